/* test-capture-polled.c — capturing an acquisition the server only serves
 * over REST (the stream manager's polling), losing samples for certain
 *
 * The simulator in --lablink-compat mode sends no acquisition frames (as
 * the released LabLink 1.2.5): the stream manager turns the stream silent
 * and polls GET /api/acquisition/session/{id}/data, delivering "polled"
 * windows. The server keeps only 0.1 s of samples and the test stops
 * iterating the main loop for a second now and then, so samples fall out
 * of the server's buffer before anyone fetches them, whatever the machine's
 * speed: every one of them must lie in a gap marked DataLost, and every
 * sample the capture holds must be one the simulator made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "capture-test-util.h"

#define RATE        200     /* Sa/s */
#define BUFFER      20      /* samples the server keeps: 0.1 s */
#define N_STALLS    4
#define STALL_MS    1000

static void
on_status_changed (LablinkStreamManager *manager,
                   const char           *key,
                   LablinkStreamStatus   status,
                   gpointer              user_data)
{
  gboolean *polling = user_data;

  if (status == LABLINK_STREAM_STATUS_POLLING)
    *polling = TRUE;
}

/* Polled windows with samples lost for certain in between: each lost
 * sample lies in a gap that says so. */
static void
check_polled_loss (const char * const *args)
{
  CaptureSimFixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GArray) generated = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CaptureMissing) missing = { 0 };
  g_autofree char *id = NULL;
  gboolean polling = FALSE;
  guint i;

  capture_sim_fixture_setup (&fixture, args);
  g_signal_connect (fixture.manager, "stream-status-changed", G_CALLBACK (on_status_changed), &polling);

  id = capture_sim_start_acquisition (&fixture, "ps_250e6dfe", RATE, BUFFER);
  capture = lablink_capture_new_for_acquisition (fixture.manager, fixture.client, id, fixture.root, &error);
  g_assert_no_error (error);
  /* Asking for more than the server holds (as against LabLink, whose
   * buffer the client does not know): a short answer is no proof that it
   * is all the server ever had. */
  g_object_set (capture, "window-samples", 10, "interval-ms", 50, "backfill-samples", 10000, NULL);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);

  TEST_WAIT (polling && lablink_capture_get_n_samples (capture) > 0, TEST_TIMEOUT_MS);
  g_assert_true (polling);
  g_assert_cmpuint (lablink_capture_get_n_samples (capture), >, 0);

  for (i = 0; i < N_STALLS; i++)
    {
      guint64 before;

      /* Nobody fetches for a second: 200 samples made, 20 kept. */
      g_usleep (STALL_MS * G_TIME_SPAN_MILLISECOND);
      before = lablink_capture_get_n_samples (capture);
      TEST_WAIT (lablink_capture_get_n_samples (capture) > before + BUFFER, TEST_TIMEOUT_MS);
      g_assert_cmpuint (lablink_capture_get_n_samples (capture), >, before + BUFFER);
    }
  capture_sim_control (&fixture, id, "stop");

  generated = capture_sim_wait_generated (&fixture, capture, id);
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  stored = capture_test_read_times (capture);
  g_assert_cmpuint (stored->len, >, 0);
  g_assert_cmpint (g_array_index (stored, gint64, stored->len - 1), ==,
                   g_array_index (generated, gint64, generated->len - 1));

  /* From the first stored sample on: stored ⊆ generated, in order; each
   * missing sample strictly inside a gap marked DataLost. */
  capture_test_walk_missing (capture, generated, capture_gap_rule_lost, 0, &missing);
  /* Each stall lost samples (a second made, 0.1 s kept). */
  g_assert_cmpuint (missing.n_missing, >=, N_STALLS * (RATE * STALL_MS / 1000 - BUFFER) / 2);
  g_assert_cmpuint (missing.n_lost_gaps, >=, 1);

  g_clear_object (&capture);
  capture_sim_fixture_teardown (&fixture);
}

static void
test_polled_loss (void)
{
  const char *args[] = { "--lablink-compat", NULL };

  check_polled_loss (args);
}

/* The same with the server's clock at UTC+05:00 (the client is in New
 * York): polled windows are read in the server's zone, as frames are. */
static void
test_polled_loss_other_zone (void)
{
  const char *args[] = { "--lablink-compat", "--utc-offset=+05:00", NULL };

  check_polled_loss (args);
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything reads TZ (GLib caches the local zone). */
  g_setenv ("TZ", "America/New_York", TRUE);
  tzset ();

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/capture/polled/loss", test_polled_loss);
  g_test_add_func ("/capture/polled/loss-other-zone", test_polled_loss_other_zone);
  return g_test_run ();
}
