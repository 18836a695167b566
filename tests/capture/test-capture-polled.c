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

typedef struct {
  TestSim              *sim;
  char                 *root;
  LablinkClient        *client;
  LablinkStreamManager *manager;
} Fixture;

static void
fixture_setup (Fixture            *fixture,
               const char * const *args)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter waiter = { 0 };

  memset (fixture, 0, sizeof *fixture);
  fixture->sim = test_sim_spawn (args);
  fixture->root = capture_test_make_tmpdir ();
  fixture->client = lablink_client_new (test_sim_get_url (fixture->sim), &error);
  g_assert_no_error (error);
  fixture->manager = lablink_stream_manager_new (fixture->client);
  lablink_stream_manager_connect_async (fixture->manager, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  lablink_stream_manager_connect_finish (fixture->manager, result, &error);
  g_assert_no_error (error);
  TEST_WAIT (lablink_client_get_server_utc_offset (fixture->client, NULL), TEST_TIMEOUT_MS);
  g_assert_true (lablink_client_get_server_utc_offset (fixture->client, NULL));
}

static void
fixture_teardown (Fixture *fixture)
{
  lablink_stream_manager_disconnect (fixture->manager);
  test_run_for (50);
  g_clear_object (&fixture->manager);
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->sim, test_sim_free);
  capture_test_rm_rf (fixture->root);
  g_free (fixture->root);
}

static void
control_acquisition (Fixture    *fixture,
                     const char *id,
                     const char *action)
{
  g_autoptr(GAsyncResult) result = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GError) error = NULL;

  lablink_client_control_acquisition_async (fixture->client, id, action, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  lablink_client_control_acquisition_finish (fixture->client, result, &error);
  g_assert_no_error (error);
}

/* A running acquisition of the PSU's CH1 and CH2. */
static char *
create_acquisition (Fixture *fixture)
{
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(JsonArray) channels = json_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  char *id;

  json_array_add_string_element (channels, "CH1");
  json_array_add_string_element (channels, "CH2");
  json_object_set_string_member (config, "equipment_id", "ps_250e6dfe");
  json_object_set_string_member (config, "name", "capture-polled-test");
  json_object_set_string_member (config, "mode", "continuous");
  json_object_set_int_member (config, "sample_rate", RATE);
  json_object_set_int_member (config, "buffer_size", BUFFER);
  json_object_set_array_member (config, "channels", json_array_ref (channels));

  lablink_client_create_acquisition_async (fixture->client, config, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  id = lablink_client_create_acquisition_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  control_acquisition (fixture, id, "start");
  return id;
}

/* The sim's record of every sample it generated: naive times in the
 * server's zone, read with the offset the client found. */
static GArray *
get_generated (Fixture    *fixture,
               const char *id)
{
  gint offset_s = 0;
  g_autofree char *path = g_strdup_printf ("/api/sim/acquisition/%s/generated", id);
  g_autoptr(JsonNode) node = test_sim_rest_ok (fixture->sim, "GET", path, NULL);
  JsonObject *object = json_node_get_object (node);
  JsonArray *timestamps = json_object_get_array_member (object, "timestamps");
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint i;

  g_assert_true (lablink_client_get_server_utc_offset (fixture->client, &offset_s));
  for (i = 0; i < json_array_get_length (timestamps); i++)
    {
      g_autofree char *text = g_strconcat (json_array_get_string_element (timestamps, i), "Z", NULL);
      gint64 t;

      g_assert_true (lablink_parse_timestamp (text, strlen (text), &t));
      t -= (gint64) offset_s * G_USEC_PER_SEC;
      g_array_append_val (times, t);
    }
  return times;
}

static GArray *
read_times (LablinkCapture *capture)
{
  guint64 n = lablink_capture_get_n_samples (capture);
  guint n_channels = lablink_capture_get_n_channels (capture);
  GArray *times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), (guint) n);
  g_autofree double *values = g_new (double, MAX (n * n_channels, 1));
  g_autoptr(GError) error = NULL;

  g_array_set_size (times, (guint) n);
  lablink_capture_read (capture, 0, n, (gint64 *) (gpointer) times->data, values, &error);
  g_assert_no_error (error);
  return times;
}

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
  Fixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GArray) generated = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree LablinkCaptureGap *gaps = NULL;
  g_autofree char *id = NULL;
  gboolean polling = FALSE;
  guint n_gaps = 0, i, j, k, first = 0, n_missing = 0, n_lost_gaps = 0;
  gint64 deadline;

  fixture_setup (&fixture, args);
  g_signal_connect (fixture.manager, "stream-status-changed", G_CALLBACK (on_status_changed), &polling);

  id = create_acquisition (&fixture);
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
  control_acquisition (&fixture, id, "stop");

  deadline = g_get_monotonic_time () + TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  do
    {
      gint64 last = 0;

      g_clear_pointer (&generated, g_array_unref);
      test_run_for (200);
      generated = get_generated (&fixture, id);
      if (lablink_capture_get_time_range (capture, NULL, &last) && generated->len > 0 &&
          last >= g_array_index (generated, gint64, generated->len - 1))
        break;
    }
  while (g_get_monotonic_time () < deadline);
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  stored = read_times (capture);
  gaps = lablink_capture_get_gaps (capture, &n_gaps);
  g_assert_cmpuint (stored->len, >, 0);
  g_assert_cmpint (g_array_index (stored, gint64, stored->len - 1), ==,
                   g_array_index (generated, gint64, generated->len - 1));

  /* From the first stored sample on: stored ⊆ generated, in order; each
   * missing sample strictly inside a gap marked DataLost. */
  while (first < generated->len && g_array_index (generated, gint64, first) != g_array_index (stored, gint64, 0))
    first++;
  g_assert_cmpuint (first, <, generated->len);
  for (i = first, j = 0; i < generated->len; i++)
    {
      gint64 t = g_array_index (generated, gint64, i);

      if (j < stored->len && g_array_index (stored, gint64, j) == t)
        {
          j++;
          continue;
        }
      n_missing++;
      for (k = 0; k < n_gaps; k++)
        if (gaps[k].start_usec < t && (gaps[k].end_usec == 0 || t < gaps[k].end_usec))
          break;
      if (k == n_gaps)
        g_error ("sample %u (%" G_GINT64_FORMAT ") missing outside any gap (%u gaps)", i, t, n_gaps);
      g_assert_true (gaps[k].data_lost);
    }
  g_assert_cmpuint (j, ==, stored->len);
  for (k = 0; k < n_gaps; k++)
    n_lost_gaps += gaps[k].data_lost;
  g_test_message ("generated %u (from the first stored), stored %u, missing %u, gaps %u (%u lost)",
                  generated->len - first, stored->len, n_missing, n_gaps, n_lost_gaps);
  g_assert_cmpuint (stored->len + n_missing, ==, generated->len - first);
  /* Each stall lost samples (a second made, 0.1 s kept). */
  g_assert_cmpuint (n_missing, >=, N_STALLS * (RATE * STALL_MS / 1000 - BUFFER) / 2);
  g_assert_cmpuint (n_lost_gaps, >=, 1);

  g_clear_object (&capture);
  fixture_teardown (&fixture);
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
