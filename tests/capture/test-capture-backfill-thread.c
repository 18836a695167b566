/* test-capture-backfill-thread.c — a large backfill decoded off the main
 * thread
 *
 * A capture of an acquisition at 20 kSa/s asks the simulator for a
 * backfill of 50,000 samples (about 3 MB of JSON). Its answer is decoded on
 * the client's decode thread (lablink_client_get_acquisition_window_async()):
 * held there (_lablink_client_hold_windows()), the answer waits while the
 * main loop keeps turning — a timeout source counts its iterations, the
 * stream's frames keep coming and are held by the capture. Released, the
 * backfill merges, then the frames held meanwhile, in time order: every
 * stored sample is one the simulator made, in order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "capture-test-util.h"
#include "lablink-capture-private.h"
#include "lablink-client-private.h"

#define RATE      20000    /* Sa/s */
#define BUFFER    200000   /* the server keeps 10 s */
#define BACKFILL  50000

static gboolean
count_turn (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static void
count_frame (LablinkStreamManager *manager,
             LablinkMessage       *message,
             gpointer              data)
{
  (*(guint *) data)++;
}

static void
test_backfill_off_main_thread (void)
{
  const char *args[] = { NULL };
  CaptureSimFixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GArray) generated = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  guint turns = 0, frames = 0, frames_before, turn_source;
  g_auto(CaptureMissing) missing = { 0 };
  guint64 before;
  gint64 last = 0;

  capture_sim_fixture_setup (&fixture, args);
  id = capture_sim_start_acquisition (&fixture, "scope_386959fc", RATE, BUFFER);
  capture = lablink_capture_new_for_acquisition (fixture.manager, fixture.client, id, fixture.root, &error);
  g_assert_no_error (error);
  g_object_set (capture, "window-samples", 4000, "interval-ms", 100, "backfill-samples", BACKFILL,
                "backfill-timeout-ms", 600000, NULL);
  g_signal_connect (fixture.manager, "acquisition-data", G_CALLBACK (count_frame), &frames);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);

  /* The server holds more than the backfill asks for. */
  TEST_ASSERT_EVENTUALLY (lablink_capture_get_n_samples (capture) >= BACKFILL &&
                          capture->backfill_cancellable == NULL);

  _lablink_client_hold_windows (TRUE);
  lablink_capture_request_backfill (capture, -1);
  g_assert_nonnull (capture->backfill_cancellable);
  TEST_ASSERT_EVENTUALLY (_lablink_client_get_held_windows () == 1);

  /* The answer waits for its decode: the main loop turns, frames come and
   * wait for the backfill. */
  before = lablink_capture_get_n_samples (capture);
  frames_before = frames;
  turn_source = g_timeout_add (1, count_turn, &turns);
  TEST_ASSERT_EVENTUALLY (turns >= 100 && frames >= frames_before + 3);
  g_assert_cmpuint (_lablink_client_get_held_windows (), ==, 1);
  g_assert_nonnull (capture->backfill_cancellable);
  g_assert_cmpuint (lablink_capture_get_n_samples (capture), ==, before);

  /* Decoded now, on the decode thread: the loop goes on turning. */
  turns = 0;
  _lablink_client_hold_windows (FALSE);
  TEST_ASSERT_EVENTUALLY (capture->backfill_cancellable == NULL);
  g_test_message ("%u main-loop turns while the backfill was decoded", turns);
  g_source_remove (turn_source);
  TEST_ASSERT_EVENTUALLY (lablink_capture_get_n_samples (capture) > before);

  /* Until the last sample made is stored. */
  capture_sim_control (&fixture, id, "stop");
  generated = capture_sim_get_generated (&fixture, id);
  g_assert_cmpuint (generated->len, >, 0);
  TEST_ASSERT_EVENTUALLY (lablink_capture_get_time_range (capture, NULL, &last) &&
                          last >= g_array_index (generated, gint64, generated->len - 1));
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  /* Merged in time order: strictly increasing, each one the simulator made. */
  stored = capture_test_read_times (capture);
  g_assert_cmpuint (stored->len, >, BACKFILL);
  for (guint i = 1; i < stored->len; i++)
    g_assert_cmpint (g_array_index (stored, gint64, i), >, g_array_index (stored, gint64, i - 1));
  capture_test_walk_missing (capture, generated, capture_gap_rule_lost, 0, &missing);

  g_clear_object (&capture);
  capture_sim_fixture_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/capture/backfill/off-main-thread", test_backfill_off_main_thread);
  return g_test_run ();
}
