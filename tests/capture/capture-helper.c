/* capture-helper.c — a child process for the capture tests, to be killed
 *
 *   capture-helper record ROOT RATE_HZ
 *       creates a capture under ROOT, prints its directory, then appends
 *       rows at RATE_HZ (2 channels, capture_test_value()) and prints the
 *       number of rows appended after each batch, until killed (or 30 s).
 *   capture-helper export CAPTURE_DIR FORMAT DESTINATION SLEEP_MS
 *       exports, printing "progress DONE TOTAL" and sleeping SLEEP_MS after
 *       each block, so that a test can kill it in the middle of the write.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "capture-test-util.h"

static int
record (const char *root,
        const char *rate_text)
{
  const char *channels[] = { "CH1", "CH2", NULL };
  const char *units[] = { "V", "A", NULL };
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  gint64 rate = g_ascii_strtoll (rate_text, NULL, 10);
  gint64 period, t0, start, deadline;
  guint64 done = 0;

  if (rate < 1 || rate > 1000000)
    return 2;
  period = G_USEC_PER_SEC / rate;

  capture = lablink_capture_new (root, "crash", channels, units, &error);
  if (capture == NULL || !lablink_capture_start (capture, &error))
    {
      fprintf (stderr, "capture-helper: %s\n", error->message);
      return 1;
    }
  printf ("%s\n", lablink_capture_get_directory (capture));
  fflush (stdout);

  t0 = g_get_real_time ();
  start = g_get_monotonic_time ();
  deadline = start + 30 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      guint64 due = (guint64) ((g_get_monotonic_time () - start) / period) + 1;
      g_autofree gint64 *times = NULL;
      g_autofree double *values = NULL;
      guint64 n = due > done ? due - done : 0, i;

      if (n > 0)
        {
          times = g_new (gint64, n);
          values = g_new (double, n * 2);
          for (i = 0; i < n; i++)
            {
              times[i] = t0 + (gint64) (done + i) * period;
              values[2 * i] = capture_test_value (times[i], 0);
              values[2 * i + 1] = capture_test_value (times[i], 1);
            }
          if (!lablink_capture_append (capture, n, times, values, NULL, &error))
            {
              fprintf (stderr, "capture-helper: %s\n", error->message);
              return 1;
            }
          done += n;
          printf ("%" G_GUINT64_FORMAT "\n", done);
          fflush (stdout);
        }
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }

  lablink_capture_stop (capture, NULL);
  return 0;
}

typedef struct {
  gulong sleep_ms;
} ExportState;

static void
on_progress (goffset  current,
             goffset  total,
             gpointer user_data)
{
  ExportState *state = user_data;

  printf ("progress %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", (gint64) current, (gint64) total);
  fflush (stdout);
  g_usleep (state->sleep_ms * G_TIME_SPAN_MILLISECOND);
}

static int
export (const char *directory,
        const char *format_text,
        const char *destination,
        const char *sleep_text)
{
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (destination);
  g_autoptr(GError) error = NULL;
  LablinkExportFormat format;
  ExportState state = { (gulong) g_ascii_strtoull (sleep_text, NULL, 10) };

  if (!lablink_export_format_from_string (format_text, &format))
    return 2;
  capture = lablink_capture_open (directory, &error);
  if (capture == NULL ||
      !lablink_export (capture, format, file, G_MININT64, G_MAXINT64, NULL, on_progress, &state, &error))
    {
      fprintf (stderr, "capture-helper: %s\n", error->message);
      return 1;
    }
  printf ("done\n");
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "record"))
    return record (argv[2], argv[3]);
  if (argc == 6 && g_str_equal (argv[1], "export"))
    return export (argv[2], argv[3], argv[4], argv[5]);
  fprintf (stderr, "usage: capture-helper record ROOT RATE_HZ | export DIR FORMAT DEST SLEEP_MS\n");
  return 2;
}
