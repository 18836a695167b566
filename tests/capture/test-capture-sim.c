/* test-capture-sim.c — capturing from lablink-sim through forced
 * disconnects (backfilled, or lost and marked so exactly), an equipment
 * stream through one, and a server that lost the acquisition
 *
 * The windows a capture is handed (bad timestamps, backfill answers, the
 * lead-in): test-capture-windows.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "capture-test-util.h"

#define N_DROPS 5

/* Until @capture holds @more samples than @before: data flows. */
static void
wait_samples (LablinkCapture *capture,
              guint64         before,
              guint64         more)
{
  TEST_WAIT (lablink_capture_get_n_samples (capture) >= before + more, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_capture_get_n_samples (capture), >=, before + more);
}

/* Records through N_DROPS forced disconnects (each link down ≥ 300 ms),
 * frames too small to reach back over an outage: what the server still held
 * is backfilled, so the store holds exactly what the simulator generated. */
/* When the store and the server disagree: which samples, and where the
 * gaps are, in ms from the first sample generated (for the test's log). */
static void
report_missing (LablinkCapture *capture,
                GArray         *generated,
                GArray         *stored)
{
  g_autofree LablinkCaptureGap *gaps = NULL;
  gint64 t0 = g_array_index (generated, gint64, 0);
  guint n_gaps = 0, i, j = 0, shown = 0;

  for (i = 0; i < generated->len && shown < 10; i++)
    {
      gint64 t = g_array_index (generated, gint64, i);

      while (j < stored->len && g_array_index (stored, gint64, j) < t)
        j++;
      if (j < stored->len && g_array_index (stored, gint64, j) == t)
        continue;
      g_test_message ("missing sample %u of %u at %.3f ms", i, generated->len, (t - t0) / 1000.0);
      shown++;
    }
  gaps = lablink_capture_get_gaps (capture, &n_gaps);
  for (i = 0; i < n_gaps; i++)
    g_test_message ("gap %u: %.3f .. %.3f ms, recovered %" G_GUINT64_FORMAT "%s", i,
                    (gaps[i].start_usec - t0) / 1000.0, (gaps[i].end_usec - t0) / 1000.0,
                    (guint64) gaps[i].n_recovered, gaps[i].data_lost ? ", data lost" : "");
}

static void
test_backfilled (void)
{
  CaptureSimFixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(LablinkCapture) reopened = NULL;
  g_autoptr(GArray) generated = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) faults = NULL;
  g_autofree LablinkCaptureGap *gaps = NULL;
  g_autofree char *id = NULL;
  g_autofree char *equipment = NULL;
  guint64 recovered = 0;
  guint n_gaps = 0, i;
  gint64 deadline;

  capture_sim_fixture_setup (&fixture, NULL);

  /* Each drop keeps the link down at least 300 ms. */
  faults = test_sim_rest_ok (fixture.sim, "POST", "/api/sim/faults", "{\"refuse_ms\": 300}");
  id = capture_sim_start_acquisition (&fixture, "ps_250e6dfe", 200, 10000);

  capture = lablink_capture_new_for_acquisition (fixture.manager, NULL, id, fixture.root, &error);
  g_assert_no_error (error);
  /* 50-sample windows every 100 ms at 200 Hz: they overlap while the link
   * is up, never across an outage. */
  g_object_set (capture, "window-samples", 50, "interval-ms", 100, NULL);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);
  g_assert_true (lablink_capture_get_recording (capture));

  /* Between drops, 0.5 s of samples at 200 Hz. */
  for (i = 0; i < N_DROPS; i++)
    {
      wait_samples (capture, lablink_capture_get_n_samples (capture), 100);
      capture_sim_drop_and_wait (&fixture);
    }
  wait_samples (capture, lablink_capture_get_n_samples (capture), 100);
  capture_sim_control (&fixture, id, "stop");

  /* Frames keep coming after the stop; wait for the store to catch up. */
  deadline = g_get_monotonic_time () + TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  do
    {
      g_clear_pointer (&generated, g_array_unref);
      test_run_for (200);
      generated = capture_sim_get_generated (&fixture, id);
    }
  while (lablink_capture_get_n_samples (capture) < generated->len && g_get_monotonic_time () < deadline);

  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  stored = capture_test_read_times (capture);
  g_test_message ("generated %u, stored %u", generated->len, stored->len);
  if (stored->len != generated->len)
    report_missing (capture, generated, stored);
  g_assert_cmpuint (generated->len, >, 200 * 2);
  g_assert_cmpuint (stored->len, ==, generated->len);
  g_assert_cmpmem (stored->data, stored->len * sizeof (gint64), generated->data, generated->len * sizeof (gint64));

  /* One gap per outage, each recovered from the server. */
  gaps = lablink_capture_get_gaps (capture, &n_gaps);
  g_assert_cmpuint (n_gaps, ==, N_DROPS);
  for (i = 0; i < n_gaps; i++)
    {
      g_assert_cmpint (gaps[i].end_usec, >, gaps[i].start_usec);
      g_assert_false (gaps[i].data_lost);
      recovered += gaps[i].n_recovered;
    }
  g_assert_cmpuint (recovered, >, 0);

  equipment = lablink_capture_dup_equipment_id (capture);
  g_assert_cmpstr (equipment, ==, "ps_250e6dfe");

  /* The same on disk. */
  reopened = lablink_capture_open (lablink_capture_get_directory (capture), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lablink_capture_get_n_samples (reopened), ==, generated->len);
  g_assert_cmpuint (lablink_capture_get_n_gaps (reopened), ==, N_DROPS);
  g_assert_cmpstr (lablink_capture_get_acquisition_id (reopened), ==, id);

  g_clear_object (&capture);
  g_clear_object (&reopened);
  capture_sim_fixture_teardown (&fixture);
}

/* The server's buffer is too small to cover the outages: the store holds
 * every sample generated while the link was up, nothing twice, and each
 * outage is a gap marked as having lost data. */
static void
test_data_lost (void)
{
  CaptureSimFixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GArray) generated = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) faults = NULL;
  g_auto(CaptureMissing) missing = { 0 };
  g_autofree char *id = NULL;
  guint i;

  capture_sim_fixture_setup (&fixture, NULL);

  faults = test_sim_rest_ok (fixture.sim, "POST", "/api/sim/faults", "{\"refuse_ms\": 500}");
  id = capture_sim_start_acquisition (&fixture, "ps_250e6dfe", 200, 40);   /* 0.2 s of history */

  capture = lablink_capture_new_for_acquisition (fixture.manager, fixture.client, id, fixture.root, &error);
  g_assert_no_error (error);
  g_object_set (capture, "window-samples", 40, "interval-ms", 100, NULL);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);

  for (i = 0; i < 3; i++)
    {
      wait_samples (capture, lablink_capture_get_n_samples (capture), 60);
      capture_sim_drop_and_wait (&fixture);
    }
  wait_samples (capture, lablink_capture_get_n_samples (capture), 60);
  capture_sim_control (&fixture, id, "stop");

  /* Frames keep coming after the stop: wait for the last sample. */
  generated = capture_sim_wait_generated (&fixture, capture, id);
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  /* stored ⊆ generated, in order, without duplicates; whatever is missing
   * (after the first stored sample: before it is the time before the
   * capture started) lies within a second of an outage. */
  stored = capture_test_read_times (capture);
  capture_test_walk_missing (capture, generated, capture_gap_rule_outage, G_USEC_PER_SEC, &missing);
  g_assert_cmpuint (missing.n_gaps, ==, 3);
  for (i = 0; i < missing.n_gaps; i++)
    g_assert_true (missing.gaps[i].data_lost);
  g_assert_cmpuint (missing.n_runs, <=, missing.n_gaps);
  g_assert_cmpuint (stored->len, >, 200);

  g_clear_object (&capture);
  capture_sim_fixture_teardown (&fixture);
}

static void
on_failed (LablinkCapture *capture,
           const GError   *error,
           gpointer        user_data)
{
  GError **out = user_data;

  g_assert_null (*out);
  *out = g_error_copy (error);
}

/* The server is killed and restarted without the acquisition: after the
 * reconnect the capture finds it gone and fails, saying why, the outage
 * gap left open and marked as having lost data (issue 10). */
static void
test_server_lost_acquisition (void)
{
  CaptureSimFixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(LablinkCapture) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) failure = NULL;
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree LablinkCaptureGap *gaps = NULL;
  g_autofree char *id = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *state = NULL;
  g_autofree char *reason = NULL;
  guint64 n_before;
  guint n_gaps = 0;

  capture_sim_fixture_setup (&fixture, NULL);

  id = capture_sim_start_acquisition (&fixture, "ps_250e6dfe", 100, 1000);
  capture = lablink_capture_new_for_acquisition (fixture.manager, NULL, id, fixture.root, &error);
  g_assert_no_error (error);
  g_object_set (capture, "interval-ms", 100, NULL);
  g_signal_connect (capture, "failed", G_CALLBACK (on_failed), &failure);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);

  TEST_WAIT (lablink_capture_get_n_samples (capture) >= 20, TEST_TIMEOUT_MS);
  n_before = lablink_capture_get_n_samples (capture);
  g_assert_cmpuint (n_before, >=, 20);

  /* Killed, then a fresh server on the same port. */
  test_sim_kill (fixture.sim);
  test_sim_restart (fixture.sim);

  TEST_WAIT (!lablink_capture_get_recording (capture), TEST_TIMEOUT_MS);
  g_assert_false (lablink_capture_get_recording (capture));
  g_assert_error (failure, LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND);
  g_test_message ("failed: %s", failure->message);
  g_assert_nonnull (strstr (failure->message, id));

  gaps = lablink_capture_get_gaps (capture, &n_gaps);
  g_assert_cmpuint (n_gaps, ==, 1);
  g_assert_cmpint (gaps[0].end_usec, ==, 0);
  g_assert_true (gaps[0].data_lost);

  /* The same on disk: failed, with the reason. */
  ini = g_build_filename (lablink_capture_get_directory (capture), "capture.ini", NULL);
  g_key_file_load_from_file (kf, ini, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  state = g_key_file_get_string (kf, "LablinkCapture", "State", NULL);
  g_assert_cmpstr (state, ==, "failed");
  reason = g_key_file_get_string (kf, "LablinkCapture", "Failure", NULL);
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, id));
  reopened = lablink_capture_open (lablink_capture_get_directory (capture), &error);
  g_assert_no_error (error);
  g_assert_false (lablink_capture_get_interrupted (reopened));
  g_assert_cmpuint (lablink_capture_get_n_samples (reopened), >=, n_before);

  g_clear_object (&capture);
  g_clear_object (&reopened);
  capture_sim_fixture_teardown (&fixture);
}

/* Forced disconnects, some short enough for the server's small buffer to
 * cover them and some not: every sample the server generated after the
 * capture's first one is either stored or lost in a gap, and a gap says
 * DataLost exactly when a sample went missing in it (issue 10). */
static void
test_lost_exactly (void)
{
  static const char *const faults[] = { "{\"refuse_ms\": 0}", "{\"refuse_ms\": 900}" };
  CaptureSimFixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GArray) generated = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CaptureMissing) missing = { 0 };
  g_autofree char *id = NULL;
  guint i, k;

  capture_sim_fixture_setup (&fixture, NULL);

  id = capture_sim_start_acquisition (&fixture, "ps_250e6dfe", 200, 100);   /* 0.5 s of history */
  capture = lablink_capture_new_for_acquisition (fixture.manager, NULL, id, fixture.root, &error);
  g_assert_no_error (error);
  /* Asking for more than the server holds: a short answer is no proof
   * that it is all the server ever had. */
  g_object_set (capture, "window-samples", 30, "interval-ms", 100, "backfill-samples", 10000, NULL);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);

  for (i = 0; i < 6; i++)
    {
      g_autoptr(JsonNode) answer = test_sim_rest_ok (fixture.sim, "POST", "/api/sim/faults", faults[i % 2]);

      test_run_for (1500);
      capture_sim_drop_and_wait (&fixture);
    }
  test_run_for (1500);
  capture_sim_control (&fixture, id, "stop");

  generated = capture_sim_wait_generated (&fixture, capture, id);
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  /* From the first stored sample on: stored ⊆ generated, in order; each
   * missing sample in an outage (half a second either side of its gap). */
  capture_test_walk_missing (capture, generated, capture_gap_rule_outage, G_USEC_PER_SEC / 2, &missing);
  g_assert_cmpuint (missing.n_gaps, ==, 6);

  for (k = 0; k < missing.n_gaps; k++)
    {
      const LablinkCaptureGap *gap = &missing.gaps[k];

      g_test_message ("gap %u: %.3f s, recovered %" G_GUINT64_FORMAT ", data lost %d, missing %d", k,
                      (gap->end_usec - gap->start_usec) / 1e6, gap->n_recovered, gap->data_lost,
                      missing.gap_missing[k]);
      g_assert_cmpint (gap->data_lost, ==, missing.gap_missing[k]);
    }

  g_clear_object (&capture);
  capture_sim_fixture_teardown (&fixture);
}

/* An equipment stream: one row per frame, its numeric fields as channels
 * (units guessed from their names), an outage recorded as a gap. */
static void
test_equipment_stream (void)
{
  CaptureSimFixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) units = NULL;
  g_autofree LablinkCaptureGap *gaps = NULL;
  guint n_gaps = 0, i;
  gboolean voltage = FALSE, current = FALSE;

  capture_sim_fixture_setup (&fixture, NULL);

  capture = lablink_capture_new_for_stream (fixture.manager, "bad-key", fixture.root, &error);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
  g_assert_null (capture);
  g_clear_error (&error);

  capture = lablink_capture_new_for_stream (fixture.manager, "ps_250e6dfe_readings", fixture.root, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lablink_capture_get_source (capture), ==, LABLINK_CAPTURE_SOURCE_STREAM);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);
  g_assert_true (lablink_stream_manager_is_stream_active (fixture.manager, "ps_250e6dfe_readings"));

  wait_samples (capture, 0, 4);
  capture_sim_drop_and_wait (&fixture);
  wait_samples (capture, lablink_capture_get_n_samples (capture), 4);
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);
  /* The capture started the stream, so it stopped it. */
  g_assert_false (lablink_stream_manager_is_stream_active (fixture.manager, "ps_250e6dfe_readings"));

  names = lablink_capture_dup_channel_names (capture);
  units = lablink_capture_dup_channel_units (capture);
  for (i = 0; names[i] != NULL; i++)
    {
      g_test_message ("channel %s (%s)", names[i], units[i]);
      g_assert_cmpstr (names[i], !=, "timestamp");
      if (g_str_equal (names[i], "voltage_actual"))
        {
          g_assert_cmpstr (units[i], ==, "V");
          voltage = TRUE;
        }
      if (g_str_equal (names[i], "current_actual"))
        {
          g_assert_cmpstr (units[i], ==, "A");
          current = TRUE;
        }
    }
  g_assert_true (voltage && current);

  stored = capture_test_read_times (capture);   /* strictly increasing: no frame stored twice */
  g_test_message ("%u rows", stored->len);
  g_assert_cmpuint (stored->len, >=, 8);

  gaps = lablink_capture_get_gaps (capture, &n_gaps);
  g_assert_cmpuint (n_gaps, ==, 1);
  g_assert_true (gaps[0].data_lost);   /* no history to fetch for equipment streams */
  g_assert_cmpint (gaps[0].end_usec, >, gaps[0].start_usec);

  g_clear_object (&capture);
  capture_sim_fixture_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture/sim/backfilled", test_backfilled);
  g_test_add_func ("/capture/sim/data-lost", test_data_lost);
  g_test_add_func ("/capture/sim/equipment-stream", test_equipment_stream);
  g_test_add_func ("/capture/sim/lost-exactly", test_lost_exactly);
  g_test_add_func ("/capture/sim/server-lost-acquisition", test_server_lost_acquisition);

  return g_test_run ();
}
