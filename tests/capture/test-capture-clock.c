/* test-capture-clock.c — a capture against a server in another time zone
 *
 * Issue 8, failure 3: the server writes naive timestamps in ITS local time;
 * read in the client's zone, every capture was hours off. Here the
 * simulator's clock is at UTC+05:00 and the client runs under
 * TZ=America/New_York (set before anything reads TZ): the captured
 * timestamps, and the CSV export's, must be within 1 s of the true UTC
 * time of each sample.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture-test-util.h"
#include "test-common.h"

#define PSU_KEY "ps_250e6dfe_readings"

static gboolean
clock_known (gpointer data)
{
  return lablink_client_get_server_utc_offset (data, NULL);
}

static void
test_other_zones (void)
{
  const char *args[] = { "--utc-offset=+05:00", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  g_autoptr(LablinkClient) client = NULL;
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *root = capture_test_make_tmpdir ();
  g_autofree gint64 *times = NULL;
  g_autofree double *values = NULL;
  TestWaiter waiter = { 0 };
  gint64 before, after;
  gint offset_s = 0;
  guint64 n, i;

  /* The client's zone really is New York's. */
  {
    g_autoptr(GTimeZone) local = g_time_zone_new_local ();
    g_assert_cmpint (g_time_zone_get_offset (local, 0), <=, -4 * 3600);
  }

  client = lablink_client_new (test_sim_get_url (sim), &error);
  g_assert_no_error (error);
  manager = lablink_stream_manager_new (client);
  lablink_stream_manager_connect_async (manager, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  g_assert_true (lablink_stream_manager_connect_finish (manager, result, &error));
  g_assert_no_error (error);

  /* Checked on connect: from the readings' naive time and the HTTP Date. */
  g_assert_true (test_wait_until (clock_known, client, TEST_TIMEOUT_MS));
  g_assert_true (lablink_client_get_server_utc_offset (client, &offset_s));
  g_assert_cmpint (offset_s, ==, 5 * 3600);

  before = g_get_real_time ();
  capture = lablink_capture_new_for_stream (manager, PSU_KEY, root, &error);
  g_assert_no_error (error);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);
  TEST_WAIT (lablink_capture_get_n_samples (capture) >= 10, TEST_TIMEOUT_MS);
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);
  after = g_get_real_time ();

  n = lablink_capture_get_n_samples (capture);
  g_assert_cmpuint (n, >=, 10);
  times = g_new (gint64, n);
  values = g_new (double, n * MAX (lablink_capture_get_n_channels (capture), 1));
  lablink_capture_read (capture, 0, n, times, values, &error);
  g_assert_no_error (error);

  /* Each sample was taken (by the simulator, on this machine's clock)
   * between the start and the stop of the capture. */
  for (i = 0; i < n; i++)
    {
      g_assert_cmpint (times[i], >=, before - G_USEC_PER_SEC);
      g_assert_cmpint (times[i], <=, after + G_USEC_PER_SEC);
    }

  /* What a user gets: the CSV export's ISO-8601 UTC timestamps, each row
   * within the same window. */
  {
    g_autofree char *path = g_build_filename (root, "export.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    guint rows = 0;

    g_assert_true (lablink_export (capture, LABLINK_EXPORT_FORMAT_CSV, file, G_MININT64, G_MAXINT64,
                                   NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &text, NULL, &error));
    lines = g_strsplit (text, "\r\n", -1);
    g_assert_true (g_str_has_prefix (lines[0], "timestamp,"));
    for (i = 1; lines[i] != NULL; i++)
      {
        g_autofree char *stamp = NULL;
        g_autoptr(GDateTime) when = NULL;
        const char *comma = strchr (lines[i], ',');
        gint64 usec;

        if (lines[i][0] == '\0')
          continue;
        g_assert_nonnull (comma);
        stamp = g_strndup (lines[i], (gsize) (comma - lines[i]));
        g_assert_true (g_str_has_suffix (stamp, "Z"));
        when = g_date_time_new_from_iso8601 (stamp, NULL);
        g_assert_nonnull (when);
        usec = g_date_time_to_unix (when) * G_USEC_PER_SEC + g_date_time_get_microsecond (when);
        g_assert_cmpint (usec, >=, before - G_USEC_PER_SEC);
        g_assert_cmpint (usec, <=, after + G_USEC_PER_SEC);
        rows++;
      }
    g_assert_cmpuint (rows, ==, n);
  }

  g_clear_object (&capture);
  lablink_stream_manager_disconnect (manager);
  capture_test_rm_rf (root);
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything reads TZ (GLib caches the local zone). */
  g_setenv ("TZ", "America/New_York", TRUE);
  tzset ();

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/capture/clock/other-zones", test_other_zones);
  return g_test_run ();
}
