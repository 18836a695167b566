/* cli-export.c — the export command: write a capture as CSV, JSON or HDF5
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli-private.h"

static char *opt_format;
static char *opt_output;
static char *opt_from;
static char *opt_to;

static const GOptionEntry export_entries[] = {
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, "The file to write (required)", "FILE" },
  { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format,
    "csv, json or hdf5 (default: from the --output extension, else csv)", "FORMAT" },
  { "from", 0, 0, G_OPTION_ARG_STRING, &opt_from,
    "Export from this time on (ISO-8601, e.g. 2026-11-25T17:14:37; local time unless it ends in Z or an offset)", "TIME" },
  { "to", 0, 0, G_OPTION_ARG_STRING, &opt_to, "Export up to this time (inclusive)", "TIME" },
  { NULL }
};

static void
on_export_progress (goffset  current,
                    goffset  total,
                    gpointer user_data)
{
  if (total > 0)
    fprintf (stderr, "\r%3d%%", (int) (100 * current / total));
}

static gboolean
parse_time_option (const char  *name,
                   const char  *text,
                   gint64      *usec,
                   GError     **error)
{
  if (text == NULL)
    return TRUE;
  if (!lablink_parse_timestamp (text, strlen (text), usec))
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   "Invalid --%s time “%s”: use e.g. 2026-11-25T17:14:37, 2026-11-25T16:14:37.5Z", name, text);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_export (Cli   *cli,
            char **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GFile) output = NULL;
  g_autoptr(GCancellable) op = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  LablinkExportFormat format = LABLINK_EXPORT_FORMAT_CSV;
  gint64 from = G_MININT64, to = G_MAXINT64;
  gboolean progress = isatty (STDERR_FILENO);

  if (opt_output == NULL)
    return cli_usage_error ("export needs --output FILE");
  if (opt_format != NULL)
    {
      if (!lablink_export_format_from_string (opt_format, &format))
        return cli_usage_error ("--format must be csv, json or hdf5");
    }
  else if (g_str_has_suffix (opt_output, ".json"))
    format = LABLINK_EXPORT_FORMAT_JSON;
  else if (g_str_has_suffix (opt_output, ".h5") || g_str_has_suffix (opt_output, ".hdf5"))
    format = LABLINK_EXPORT_FORMAT_HDF5;
  if (!parse_time_option ("from", opt_from, &from, &error) ||
      !parse_time_option ("to", opt_to, &to, &error))
    return cli_usage_error (error->message);
  if (from > to)
    return cli_usage_error ("--from is after --to");

  capture = lablink_capture_open (args[0], &error);
  if (capture == NULL)
    return cli_runtime_error (error);
  if (lablink_capture_get_interrupted (capture))
    fprintf (stderr, "lablink-cli: capture %s was interrupted; exporting what was recorded\n", args[0]);

  output = g_file_new_for_commandline_arg (opt_output);
  op = cli_op_cancellable (cli);
  lablink_export_async (capture, format, output, from, to, op,
                        progress ? on_export_progress : NULL, NULL, cli_on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  if (progress)
    fputc ('\n', stderr);
  if (!lablink_export_finish (capture, result, &error))
    return cli_runtime_error (error);   /* the previous FILE, if any, is untouched */
  return EXIT_OK;
}

static void
clear_options (void)
{
  g_clear_pointer (&opt_format, g_free);
  g_clear_pointer (&opt_output, g_free);
  g_clear_pointer (&opt_from, g_free);
  g_clear_pointer (&opt_to, g_free);
}

const CliCommand cli_command_export = {
  .name = "export",
  .parameters = "CAPTURE_DIR --output FILE",
  .summary = "Export a capture (see acquire --capture) to CSV, JSON or HDF5; needs no server",
  .entries = export_entries,
  .min_args = 1,
  .max_args = 1,
  .run = cmd_export,
  .clear = clear_options,
};
