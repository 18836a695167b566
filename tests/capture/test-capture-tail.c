/* test-capture-tail.c — the end of an acquisition's capture
 * (lablink_capture_stop_async(), issue 12)
 *
 * The test stops iterating the main loop, lets half a second of samples
 * pass, stops the acquisition over REST (a blocking request of its own)
 * and calls lablink_capture_stop_async() before the loop runs again: the
 * frames queued meanwhile are never merged, so the acquisition's last
 * samples reach the capture only through the tail's REST request, whatever
 * the machine's speed. With a server buffer of 0.1 s some of them are gone
 * for certain and must lie in a gap marked DataLost; with a buffer of 50 s
 * every one of them is fetched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "capture-test-util.h"

#define RATE       200     /* Sa/s */
#define STALL_MS   500

typedef struct {
  const char *args[2];
  guint       buffer;    /* samples the server keeps */
  guint       window;    /* samples a frame holds */
} TailCase;

static void
on_stopped (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
check_tail (gconstpointer data)
{
  const TailCase *tc = data;
  CaptureSimFixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GArray) generated = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_auto(CaptureMissing) missing = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  guint64 before;
  guint status = 0;
  gboolean lossy = tc->buffer < RATE * STALL_MS / 1000;

  capture_sim_fixture_setup (&fixture, tc->args);
  id = capture_sim_start_acquisition (&fixture, "ps_250e6dfe", RATE, tc->buffer);
  capture = lablink_capture_new_for_acquisition (fixture.manager, fixture.client, id, fixture.root, &error);
  g_assert_no_error (error);
  g_object_set (capture, "window-samples", tc->window, "interval-ms", 50, NULL);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);
  TEST_WAIT (lablink_capture_get_n_samples (capture) > RATE / 10, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_capture_get_n_samples (capture), >, RATE / 10);

  /* The main loop stalls; the acquisition stops meanwhile. */
  g_usleep (STALL_MS * G_TIME_SPAN_MILLISECOND);
  path = g_strdup_printf ("/api/acquisition/session/%s/stop", id);
  answer = test_sim_rest (fixture.sim, "POST", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  before = lablink_capture_get_n_samples (capture);
  lablink_capture_stop_async (capture, NULL, on_stopped, &result);
  TEST_WAIT (result != NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (result);
  g_assert_true (lablink_capture_stop_finish (capture, result, &error));
  g_assert_no_error (error);
  g_assert_false (lablink_capture_get_recording (capture));
  /* The tail came over REST: the frames of the stall were never taken. */
  g_assert_cmpuint (lablink_capture_get_n_samples (capture), >=, before + MIN (tc->buffer, RATE * STALL_MS / 1000) / 2);

  generated = capture_sim_get_generated (&fixture, id);
  stored = capture_test_read_times (capture);
  g_assert_cmpuint (generated->len, >, 0);
  g_assert_cmpint (g_array_index (stored, gint64, stored->len - 1), ==,
                   g_array_index (generated, gint64, generated->len - 1));

  capture_test_walk_missing (capture, generated, capture_gap_rule_lost, 0, &missing);
  if (lossy)
    {
      /* Half a second made, 0.1 s kept. */
      g_assert_cmpuint (missing.n_missing, >=, (RATE * STALL_MS / 1000 - tc->buffer) / 2);
      g_assert_cmpuint (missing.n_lost_gaps, >=, 1);
      g_assert_true (missing.gaps[missing.n_gaps - 1].data_lost);
    }
  else
    {
      g_assert_cmpuint (missing.n_missing, ==, 0);
      g_assert_cmpuint (missing.n_lost_gaps, ==, 0);
    }

  g_clear_object (&capture);
  capture_sim_fixture_teardown (&fixture);
}

/* Frames with stats.total_samples: the server's count says what is missing. */
static const TailCase tail_lost = { { NULL, NULL }, 20, 20 };
static const TailCase tail_recovered = { { NULL, NULL }, 10000, 40 };
/* Polled windows (as from the released 1.2.5): no count, the time says. */
static const TailCase tail_lost_polled = { { "--lablink-compat", NULL }, 20, 20 };
static const TailCase tail_recovered_polled = { { "--lablink-compat", NULL }, 10000, 40 };

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/capture/tail/lost", &tail_lost, check_tail);
  g_test_add_data_func ("/capture/tail/recovered", &tail_recovered, check_tail);
  g_test_add_data_func ("/capture/tail/lost-polled", &tail_lost_polled, check_tail);
  g_test_add_data_func ("/capture/tail/recovered-polled", &tail_recovered_polled, check_tail);
  return g_test_run ();
}
