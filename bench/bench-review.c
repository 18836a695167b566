/* bench-review.c — opening a long capture for review and drawing frames of it
 *
 *   bench-review [--samples N] [--channels N] [--dir DIR] [--keep] [--frames N]
 *
 * Writes a capture of N samples per channel (default 100 million, 1
 * channel: 16 bytes a row, 1.6 GB) at 1 kHz timestamps with a few holes,
 * through lablink_capture_append() (so the writer thread builds the min/max
 * pyramid as it writes); or reuses the capture in --dir if there is one.
 * Then prints:
 *
 *  - open: lablink_capture_open() + lablink_capture_view_new() with the
 *    pyramid as written, then with the pyramid deleted (an old capture: the
 *    one-off rebuild), then again (warm);
 *  - frame: lablink_capture_view_get_columns() for 1600 columns (what the
 *    review window asks per channel and frame, without drawing) at 5 zoom
 *    levels — the whole capture down to ~1600 samples — at random places,
 *    median and worst of --frames (default 50) each;
 *  - VmRSS and VmHWM.
 *
 * Run by hand; prints figures (never part of `meson test`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include <lablink.h>

#define T0       G_GINT64_CONSTANT (1764087277000000)
#define COLUMNS  1600

static gint64
status_kib (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, key);
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}

static char *
find_capture (const char *root)
{
  g_autoptr(GPtrArray) list = lablink_capture_list (root, NULL);

  if (list == NULL || list->len == 0)
    return NULL;
  return g_strdup (((LablinkCaptureInfo *) g_ptr_array_index (list, 0))->directory);
}

static char *
generate (const char *root,
          guint64     n_samples,
          guint       n_channels)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  const gsize batch = 65536;
  g_autofree gint64 *times = g_new (gint64, batch);
  g_autofree double *values = g_new (double, batch * n_channels);
  gint64 start = g_get_monotonic_time ();
  guint64 row;

  for (guint c = 0; c < n_channels; c++)
    g_ptr_array_add (names, g_strdup_printf ("CH%u", c + 1));
  g_ptr_array_add (names, NULL);
  capture = lablink_capture_new (root, "review", (const char * const *) names->pdata, NULL, &error);
  if (capture == NULL || !lablink_capture_start (capture, &error))
    g_error ("%s", error->message);

  for (row = 0; row < n_samples; row += batch)
    {
      gsize n = (gsize) MIN ((guint64) batch, n_samples - row), appended = 0;

      for (gsize i = 0; i < n; i++)
        {
          guint64 r = row + i;
          /* 1 kHz, a 10 s hole every 10 million samples. */
          times[i] = T0 + (gint64) r * 1000 + (gint64) (r / 10000000) * 10 * G_USEC_PER_SEC;
          for (guint c = 0; c < n_channels; c++)
            values[i * n_channels + c] = sin ((double) r * 0.001 * (c + 1)) + (double) (r % 1000) * 1e-4;
        }
      if (!lablink_capture_append (capture, n, times, values, &appended, &error))
        g_error ("%s", error->message);
      if (row % (10 * 1000 * 1000) < batch)
        {
          g_printerr ("\r  writing: %" G_GUINT64_FORMAT " M samples", row / 1000000);
        }
    }
  if (!lablink_capture_stop (capture, &error))
    g_error ("%s", error->message);
  g_printerr ("\r");
  g_print ("write: %" G_GUINT64_FORMAT " samples × %u channels in %.1f s (%.2f GB)\n", n_samples, n_channels,
           (double) (g_get_monotonic_time () - start) / 1e6,
           (double) lablink_capture_get_size_bytes (capture) / 1e9);
  return g_strdup (lablink_capture_get_directory (capture));
}

static LablinkCaptureView *
open_view (const char *directory,
           const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkCapture) capture = NULL;
  LablinkCaptureView *view;
  gint64 start = g_get_monotonic_time ();

  capture = lablink_capture_open (directory, &error);
  if (capture == NULL)
    g_error ("%s", error->message);
  view = lablink_capture_view_new (capture, NULL, &error);
  if (view == NULL)
    g_error ("%s", error->message);
  g_print ("open (%s): %.3f s%s, %u levels, heap bound %zu KiB\n", what,
           (double) (g_get_monotonic_time () - start) / 1e6,
           lablink_capture_view_get_rebuilt (view) ? " (pyramid built)" : "",
           lablink_capture_view_get_n_levels (view), lablink_capture_view_get_memory_bound (view) / 1024);
  return view;
}

static gint64
cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  gint64 n_samples = 100 * 1000 * 1000;
  gint n_channels = 1;
  gint n_frames = 50;
  g_autofree char *dir = NULL;
  gboolean keep = FALSE;
  GOptionEntry entries[] = {
    { "samples", 0, 0, G_OPTION_ARG_INT64, &n_samples, "Samples per channel (100000000)", "N" },
    { "channels", 0, 0, G_OPTION_ARG_INT, &n_channels, "Channels (1)", "N" },
    { "frames", 0, 0, G_OPTION_ARG_INT, &n_frames, "Frames per zoom level (50)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where the capture goes (a temporary directory); an existing capture there is reused", "DIR" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the capture", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— capture review: open and frame times");
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkCaptureView) view = NULL;
  g_autofree char *directory = NULL;
  g_autofree gint64 *frame_us = NULL;
  gint64 first_us;
  g_autofree gint64 *cpu_us = NULL;
  g_autofree double *mins = g_new (double, COLUMNS);
  g_autofree double *maxs = g_new (double, COLUMNS);
  gboolean made_dir = FALSE;
  gint64 first, last;
  gint64 rss_before;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_samples < 1 || n_channels < 1 || n_frames < 1)
    {
      g_printerr ("--samples, --channels and --frames must be positive\n");
      return 2;
    }
  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("bench-review-XXXXXX", &error);
      if (dir == NULL)
        g_error ("%s", error->message);
      made_dir = TRUE;
    }
  g_mkdir_with_parents (dir, 0755);

  directory = find_capture (dir);
  if (directory == NULL)
    directory = generate (dir, (guint64) n_samples, (guint) n_channels);
  else
    g_print ("reusing %s\n", directory);

  rss_before = status_kib ("VmRSS:");
  g_clear_object (&view);
  view = open_view (directory, "pyramid as written");
  g_clear_object (&view);
  for (guint level = 1; level <= 5; level++)
    {
      g_autofree char *name = g_strdup_printf ("pyramid-%u.bin", level);
      g_autofree char *path = g_build_filename (directory, name, NULL);
      g_unlink (path);
    }
  view = open_view (directory, "old capture, no pyramid");
  g_clear_object (&view);
  view = open_view (directory, "again");

  lablink_capture_view_get_time_range (view, &first, &last);
  g_print ("capture: %" G_GUINT64_FORMAT " samples × %u channels, %.1f h\n",
           lablink_capture_view_get_n_samples (view),
           lablink_capture_get_n_channels (lablink_capture_view_get_capture (view)),
           (double) (last - first) / 3.6e9);

  frame_us = g_new (gint64, n_frames);
  cpu_us = g_new (gint64, n_frames);
  for (guint zoom = 0; zoom < 5; zoom++)
    {
      /* 1, 1/40, 1/1600, … of the capture: the last one ~1 sample a column
       * for 100M samples. */
      double fraction = pow (40.0, -(double) zoom);
      gint64 span = MAX ((gint64) ((double) (last - first) * fraction), COLUMNS);
      GRand *rand = g_rand_new_with_seed (zoom);

      for (gint f = 0; f < n_frames; f++)
        {
          gint64 start = first + (gint64) (g_rand_double (rand) * (double) MAX (last - first - span, 0));
          gint64 t = g_get_monotonic_time ();
          gint64 cpu = cpu_usec ();

          for (guint c = 0; c < (guint) n_channels; c++)
            if (!lablink_capture_view_get_columns (view, c, start, start + span, COLUMNS, mins, maxs, NULL, &error))
              g_error ("%s", error->message);
          frame_us[f] = g_get_monotonic_time () - t;
          cpu_us[f] = cpu_usec () - cpu;
        }
      g_rand_free (rand);
      /* The first frame of a level finds the block cache cold (as the first
       * frame after a zoom does): shown on its own, the rest sorted. */
      first_us = frame_us[0];
      if (n_frames > 1)
        {
          qsort (frame_us + 1, (gsize) n_frames - 1, sizeof (gint64), compare_gint64);
          qsort (cpu_us + 1, (gsize) n_frames - 1, sizeof (gint64), compare_gint64);
        }
      g_print ("frame at 1/%-8.0f (%11.3f s shown): first %6.2f ms; then median %6.2f ms, worst %6.2f ms "
               "(CPU: median %6.2f ms, worst %6.2f ms)\n",
               1.0 / fraction, (double) span / 1e6, (double) first_us / 1000.0,
               (double) frame_us[1 + (n_frames - 1) / 2] / 1000.0, (double) frame_us[n_frames - 1] / 1000.0,
               (double) cpu_us[1 + (n_frames - 1) / 2] / 1000.0, (double) cpu_us[n_frames - 1] / 1000.0);
    }

  g_print ("VmRSS %" G_GINT64_FORMAT " KiB (before opening %" G_GINT64_FORMAT " KiB), VmHWM %" G_GINT64_FORMAT " KiB\n",
           status_kib ("VmRSS:"), rss_before, status_kib ("VmHWM:"));

  g_clear_object (&view);
  if (!keep)
    {
      if (!lablink_capture_delete_directory (directory, &error))
        g_printerr ("%s\n", error->message);
      if (made_dir)
        g_rmdir (dir);
    }
  else
    g_print ("kept %s\n", directory);
  return 0;
}
