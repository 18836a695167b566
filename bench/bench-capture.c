/* bench-capture.c — LablinkCapture write rate, export speed per format, and
 * memory during a long capture
 *
 *   bench-capture [--rows N] [--channels N] [--export-rows N] [--dir DIR] [--keep]
 *
 * Writes N rows (default 10 million) of N channels (default 4) at 1 kHz
 * timestamps in batches of 1000 rows (what one second of a 1 kHz stream
 * brings), printing the write rate and VmRSS (baseline, peak, growth); then
 * exports the first --export-rows rows (default 1 million) to CSV, JSON and
 * HDF5, printing MB/s and rows/s. Run by hand; prints figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include <lablink.h>

static gint64
vm_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + 6, NULL, 10);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, entry, NULL);
      remove_tree (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  gint64 opt_rows = 10000000;
  gint opt_channels = 4;
  gint64 opt_export_rows = 1000000;
  g_autofree char *opt_dir = NULL;
  gboolean opt_keep = FALSE;
  GOptionEntry entries[] = {
    { "rows", 'n', 0, G_OPTION_ARG_INT64, &opt_rows, "Rows to capture (default 10000000)", "N" },
    { "channels", 'c', 0, G_OPTION_ARG_INT, &opt_channels, "Channels (default 4)", "N" },
    { "export-rows", 'e', 0, G_OPTION_ARG_INT64, &opt_export_rows, "Rows to export per format (default 1000000)", "N" },
    { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &opt_dir, "Where to write (default: a new temporary directory)", "DIR" },
    { "keep", 'k', 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the capture and exports", NULL },
    { NULL }
  };
  static const LablinkExportFormat formats[] = {
    LABLINK_EXPORT_FORMAT_CSV, LABLINK_EXPORT_FORMAT_JSON, LABLINK_EXPORT_FORMAT_HDF5
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— LablinkCapture benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree gint64 *times = NULL;
  g_autofree double *values = NULL;
  g_autofree char *root = NULL;
  const gint64 batch = 1000;
  const gint64 t0 = g_get_real_time ();
  gint64 rss_base, rss_peak, rss_end, start, elapsed, row;
  guint c, i;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  if (opt_rows < 1 || opt_channels < 1 || opt_channels > 64 || opt_export_rows < 0)
    {
      fprintf (stderr, "invalid arguments\n");
      return 2;
    }

  root = opt_dir ? g_strdup (opt_dir) : g_dir_make_tmp ("bench-capture-XXXXXX", &error);
  if (root == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  for (c = 0; c < (guint) opt_channels; c++)
    g_ptr_array_add (names, g_strdup_printf ("CH%u", c + 1));
  g_ptr_array_add (names, NULL);

  times = g_new (gint64, batch);
  values = g_new (double, batch * opt_channels);

  rss_base = rss_peak = vm_rss_kib ();
  capture = lablink_capture_new (root, "bench", (const char * const *) names->pdata, NULL, &error);
  if (capture == NULL || !lablink_capture_start (capture, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  printf ("capture: %" G_GINT64_FORMAT " rows × %d channels (%.1f MB on disk) in %s\n",
          opt_rows, opt_channels, (double) opt_rows * (8 + 8 * opt_channels) / 1e6, root);
  start = g_get_monotonic_time ();
  for (row = 0; row < opt_rows; row += batch)
    {
      gint64 n = MIN (batch, opt_rows - row), r;

      for (r = 0; r < n; r++)
        {
          times[r] = t0 + (row + r) * 1000;
          for (c = 0; c < (guint) opt_channels; c++)
            values[r * opt_channels + c] = sin ((double) (row + r) * 1e-3 + c) * (1 + c);
        }
      if (!lablink_capture_append (capture, (gsize) n, times, values, NULL, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      if ((row / batch) % 100 == 0)
        rss_peak = MAX (rss_peak, vm_rss_kib ());
    }
  if (!lablink_capture_stop (capture, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  elapsed = g_get_monotonic_time () - start;
  rss_end = vm_rss_kib ();
  rss_peak = MAX (rss_peak, rss_end);

  printf ("  write: %.2f s, %.0f rows/s, %.0f values/s, %.1f MB/s (written, synced, stopped)\n",
          elapsed / 1e6, opt_rows / (elapsed / 1e6), opt_rows * opt_channels / (elapsed / 1e6),
          (double) lablink_capture_get_size_bytes (capture) / 1e6 / (elapsed / 1e6));
  printf ("  VmRSS: baseline %.1f MB, peak %.1f MB, after %.1f MB: growth %.1f MB (target < 50 MB)\n",
          rss_base / 1024.0, rss_peak / 1024.0, rss_end / 1024.0, (rss_peak - rss_base) / 1024.0);

  opt_export_rows = MIN (opt_export_rows, opt_rows);
  for (i = 0; i < G_N_ELEMENTS (formats) && opt_export_rows > 0; i++)
    {
      g_autofree char *name = g_strdup_printf ("export.%s", lablink_export_format_get_extension (formats[i]));
      g_autofree char *path = g_build_filename (root, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      GStatBuf st;
      gint64 rss_before = vm_rss_kib ();

      start = g_get_monotonic_time ();
      if (!lablink_export (capture, formats[i], file, G_MININT64, t0 + (opt_export_rows - 1) * 1000,
                           NULL, NULL, NULL, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      elapsed = g_get_monotonic_time () - start;
      if (g_stat (path, &st) != 0)
        st.st_size = 0;
      printf ("export %-4s %" G_GINT64_FORMAT " rows: %.2f s, %.1f MB → %.1f MB/s, %.0f rows/s, VmRSS +%.1f MB\n",
              lablink_export_format_to_string (formats[i]), opt_export_rows, elapsed / 1e6,
              st.st_size / 1e6, st.st_size / 1e6 / (elapsed / 1e6), opt_export_rows / (elapsed / 1e6),
              (vm_rss_kib () - rss_before) / 1024.0);
      if (!opt_keep)
        g_unlink (path);
    }

  if (!opt_keep)
    {
      lablink_capture_delete (capture, NULL);
      if (opt_dir == NULL)
        remove_tree (root);
    }
  return 0;
}
