/* cli-stream.c — the stream command: print an instrument stream's data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "cli-private.h"
#include "cli-util.h"

#define OBSERVE_MS 300

static int opt_interval_ms = LABLINK_DEFAULT_INTERVAL_MS;
static int opt_count;
static double opt_duration;

static const GOptionEntry stream_entries[] = {
  { "interval-ms", 'i', 0, G_OPTION_ARG_INT, &opt_interval_ms,
    "Ask for a frame every N ms (default 100)", "N" },
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count, "Stop after N frames", "N" },
  { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &opt_duration, "Stop after S seconds", "S" },
  { NULL }
};

typedef struct {
  Cli *cli;
  const char *equipment_id;
  const char *stream_type;
  guint64 frames;
  gboolean started;       /* our start_stream was sent */
  gboolean seen_before;   /* frames arrived before: another client runs it */
} StreamState;

static void
on_stream_data (LablinkStreamManager *manager,
                LablinkMessage       *message,
                gpointer              user_data)
{
  StreamState *state = user_data;
  JsonNode *root, *data;
  g_autofree char *text = NULL;

  if (g_strcmp0 (lablink_message_get_equipment_id (message), state->equipment_id) != 0 ||
      g_strcmp0 (lablink_message_get_stream_type (message), state->stream_type) != 0)
    return;
  if (!state->started)
    {
      state->seen_before = TRUE;
      return;
    }
  if (opt_count > 0 && state->frames >= (guint64) opt_count)
    return;

  root = lablink_message_get_node (message);
  data = JSON_NODE_HOLDS_OBJECT (root)
    ? json_object_get_member (json_node_get_object (root), "data") : NULL;
  text = cli_json_to_string (data, FALSE);
  printf ("%s\n", text);
  fflush (stdout);

  state->frames++;
  if (opt_count > 0 && state->frames >= (guint64) opt_count)
    state->cli->stop = TRUE;
}

static int
cmd_stream (Cli   *cli,
            char **args)
{
  static const char * const types[] = {
    LABLINK_STREAM_READINGS, LABLINK_STREAM_WAVEFORM, LABLINK_STREAM_MEASUREMENTS, NULL
  };
  g_autoptr(GError) error = NULL;
  StreamState state = { cli, args[0], args[1], 0 };
  int status;

  if (!g_strv_contains (types, args[1]))
    return cli_usage_error ("The stream TYPE must be readings, waveform or measurements");
  if (opt_interval_ms < 1 || opt_interval_ms > 3600000)
    return cli_usage_error ("--interval-ms must be between 1 and 3600000");
  if (opt_count < 0)
    return cli_usage_error ("--count must not be negative");
  if (!(opt_duration >= 0) || opt_duration > 1e6)
    return cli_usage_error ("--duration must be between 0 and 1000000 seconds");

  status = cli_check_equipment (cli, args[0], args[1]);
  if (status != EXIT_OK)
    return status;

  status = cli_connect (cli);
  if (status != EXIT_OK)
    return status;

  g_signal_connect (cli->manager, "stream-data", G_CALLBACK (on_stream_data), &state);

  /* Streams are global on the server and every frame goes to every client:
   * if this one already flows, another client runs it, and stopping it at
   * the end would stop it for that client too. Listen briefly first. */
  {
    gboolean expired = FALSE;
    guint deadline = g_timeout_add (OBSERVE_MS, cli_on_deadline, &expired);

    while (!state.seen_before && !expired && !cli->stop)
      g_main_context_iteration (NULL, TRUE);
    if (!expired)
      g_source_remove (deadline);
  }

  state.started = TRUE;
  if (!lablink_stream_manager_start_equipment_stream (cli->manager, args[0], args[1],
                                                     opt_interval_ms, &error))
    {
      cli_disconnect (cli);
      return cli_runtime_error (error);
    }

  if (opt_duration > 0)
    cli_start_stop_timer (cli, opt_duration);

  cli_run_until_stop (cli);
  g_clear_handle_id (&cli->stop_timer, g_source_remove);

  if (!state.seen_before &&
      !lablink_stream_manager_stop_equipment_stream (cli->manager, args[0], args[1], &error))
    g_clear_error (&error);   /* the link may be gone; nothing to stop then */
  cli_disconnect (cli);

  if (cli->error_message != NULL)
    {
      cli_print_error (cli->error_message);
      return EXIT_RUNTIME;
    }

  if (state.frames == 0 && cli->n_signals == 0)
    {
      g_autofree char *message =
        g_strdup_printf ("No data arrived for %s %s: the server accepted the stream but sent "
                         "nothing (an instrument that fails to read goes silent)",
                         args[0], args[1]);
      cli_print_error (message);
      return EXIT_RUNTIME;
    }

  return EXIT_OK;
}

const CliCommand cli_command_stream = {
  .name = "stream",
  .parameters = "EQUIPMENT_ID TYPE",
  .summary =
    "Print a stream's data (TYPE: readings, waveform, measurements), one JSON object a line",
  .entries = stream_entries,
  .min_args = 2,
  .max_args = 2,
  .run = cmd_stream,
};
