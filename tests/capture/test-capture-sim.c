/* test-capture-sim.c — capturing an acquisition from lablink-sim through
 * forced disconnects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>

#include <libsoup/soup.h>

#include "capture-test-util.h"

#define N_DROPS 5

typedef struct {
  TestSim              *sim;
  char                 *root;
  LablinkClient        *client;
  LablinkStreamManager *manager;
  guint                 drops;        /* CONNECTED → anything else, as seen by the owner */
  gboolean              connected;
} Fixture;

static void
on_state (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  Fixture *fixture = user_data;
  gboolean connected = lablink_stream_manager_get_state (fixture->manager) == LABLINK_CONNECTION_CONNECTED;

  if (fixture->connected && !connected)
    fixture->drops++;
  fixture->connected = connected;
}

static gboolean
fixture_setup (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter waiter = { 0 };

  memset (fixture, 0, sizeof *fixture);
  fixture->sim = test_sim_spawn (NULL);

  fixture->root = capture_test_make_tmpdir ();
  fixture->client = lablink_client_new (test_sim_get_url (fixture->sim), &error);
  g_assert_no_error (error);
  fixture->manager = lablink_stream_manager_new (fixture->client);
  g_object_set (fixture->manager, "backoff-initial-ms", 50, "backoff-max-ms", 200, NULL);
  g_signal_connect (fixture->manager, "notify::state", G_CALLBACK (on_state), fixture);

  lablink_stream_manager_connect_async (fixture->manager, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  lablink_stream_manager_connect_finish (fixture->manager, result, &error);
  g_assert_no_error (error);
  fixture->connected = TRUE;
  return TRUE;
}

static void
fixture_teardown (Fixture *fixture)
{
  if (fixture->manager != NULL)
    {
      g_signal_handlers_disconnect_by_data (fixture->manager, fixture);
      lablink_stream_manager_disconnect (fixture->manager);
      test_run_for (50);
    }
  g_clear_object (&fixture->manager);
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->sim, test_sim_free);
  capture_test_rm_rf (fixture->root);
  g_free (fixture->root);
}

/* Until @capture holds @more samples than @before: data flows. */
static void
wait_samples (LablinkCapture *capture,
              guint64         before,
              guint64         more)
{
  TEST_WAIT (lablink_capture_get_n_samples (capture) >= before + more, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_capture_get_n_samples (capture), >=, before + more);
}

static void
start_acquisition (Fixture    *fixture,
                   const char *id)
{
  g_autoptr(GAsyncResult) started = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GError) error = NULL;

  lablink_client_control_acquisition_async (fixture->client, id, "start", NULL, test_waiter_cb, &waiter);
  started = test_waiter_wait (&waiter);
  lablink_client_control_acquisition_finish (fixture->client, started, &error);
  g_assert_no_error (error);
}

/* An acquisition of the PSU's CH1 and CH2, created and left idle. */
static char *
create_idle_acquisition (Fixture *fixture,
                         guint    sample_rate,
                         guint    buffer_size)
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
  json_object_set_string_member (config, "name", "capture-test");
  json_object_set_string_member (config, "mode", "continuous");
  json_object_set_int_member (config, "sample_rate", sample_rate);
  json_object_set_int_member (config, "buffer_size", buffer_size);
  json_object_set_array_member (config, "channels", json_array_ref (channels));

  lablink_client_create_acquisition_async (fixture->client, config, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  id = lablink_client_create_acquisition_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  return id;
}

static char *
create_acquisition (Fixture *fixture,
                    guint    sample_rate,
                    guint    buffer_size)
{
  char *id = create_idle_acquisition (fixture, sample_rate, buffer_size);

  start_acquisition (fixture, id);
  return id;
}

static void
stop_acquisition (Fixture    *fixture,
                  const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GError) error = NULL;

  lablink_client_control_acquisition_async (fixture->client, id, "stop", NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  lablink_client_control_acquisition_finish (fixture->client, result, &error);
  g_assert_no_error (error);
}

/* The sim's record of every sample it generated. */
static GArray *
get_generated (Fixture    *fixture,
               const char *id)
{
  g_autofree char *path = g_strdup_printf ("/api/sim/acquisition/%s/generated", id);
  g_autoptr(JsonNode) node = test_sim_rest_ok (fixture->sim, "GET", path, NULL);
  JsonObject *object = json_node_get_object (node);
  JsonArray *timestamps = json_object_get_array_member (object, "timestamps");
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint i;

  g_assert_cmpint (json_object_get_int_member (object, "count"), ==, json_array_get_length (timestamps));
  for (i = 0; i < json_array_get_length (timestamps); i++)
    {
      const char *text = json_array_get_string_element (timestamps, i);
      gint64 t;

      g_assert_true (lablink_parse_timestamp (text, strlen (text), &t));
      g_array_append_val (times, t);
    }
  return times;
}

static void
drop_and_wait (Fixture *fixture)
{
  guint before = fixture->drops;
  g_autoptr(JsonNode) answer = test_sim_rest_ok (fixture->sim, "POST", "/api/sim/drop", "{}");

  TEST_WAIT (fixture->drops != before && fixture->connected, TEST_TIMEOUT_MS);
  g_assert_cmpuint (fixture->drops, ==, before + 1);
  g_assert_true (fixture->connected);
}

static GArray *
read_times (LablinkCapture *capture)
{
  guint64 n = lablink_capture_get_n_samples (capture);
  guint n_channels = lablink_capture_get_n_channels (capture);
  GArray *times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), (guint) n);
  g_autofree double *values = g_new (double, MAX (n * n_channels, 1));
  g_autoptr(GError) error = NULL;
  guint64 i;

  g_array_set_size (times, (guint) n);
  lablink_capture_read (capture, 0, n, (gint64 *) (gpointer) times->data, values, &error);
  g_assert_no_error (error);
  for (i = 0; i < n; i++)
    {
      /* The sim's PSU: CH1 ≈ its voltage, CH2 too; values are real numbers. */
      g_assert_true (isfinite (values[i * n_channels]));
      if (i > 0)
        g_assert_cmpint (g_array_index (times, gint64, i), >, g_array_index (times, gint64, i - 1));
    }
  return times;
}

/* Records through N_DROPS forced disconnects (each link down ≥ 300 ms),
 * frames too small to reach back over an outage: what the server still held
 * is backfilled, so the store holds exactly what the simulator generated. */
static void
test_backfilled (void)
{
  Fixture fixture;
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

  if (!fixture_setup (&fixture))
    return;

  /* Each drop keeps the link down at least 300 ms. */
  faults = test_sim_rest_ok (fixture.sim, "POST", "/api/sim/faults", "{\"refuse_ms\": 300}");
  id = create_acquisition (&fixture, 200, 10000);

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
      drop_and_wait (&fixture);
    }
  wait_samples (capture, lablink_capture_get_n_samples (capture), 100);
  stop_acquisition (&fixture, id);

  /* Frames keep coming after the stop; wait for the store to catch up. */
  deadline = g_get_monotonic_time () + TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  do
    {
      g_clear_pointer (&generated, g_array_unref);
      test_run_for (200);
      generated = get_generated (&fixture, id);
    }
  while (lablink_capture_get_n_samples (capture) < generated->len && g_get_monotonic_time () < deadline);

  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  stored = read_times (capture);
  g_test_message ("generated %u, stored %u", generated->len, stored->len);
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
  fixture_teardown (&fixture);
}

/* The server's buffer is too small to cover the outages: the store holds
 * every sample generated while the link was up, nothing twice, and each
 * outage is a gap marked as having lost data. */
static void
test_data_lost (void)
{
  Fixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GArray) generated = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) faults = NULL;
  g_autofree LablinkCaptureGap *gaps = NULL;
  g_autofree char *id = NULL;
  guint n_gaps = 0, i, j, k, missing_runs = 0;
  gboolean in_run = FALSE;
  gint64 deadline;

  if (!fixture_setup (&fixture))
    return;

  faults = test_sim_rest_ok (fixture.sim, "POST", "/api/sim/faults", "{\"refuse_ms\": 500}");
  id = create_acquisition (&fixture, 200, 40);   /* 0.2 s of history */

  capture = lablink_capture_new_for_acquisition (fixture.manager, fixture.client, id, fixture.root, &error);
  g_assert_no_error (error);
  g_object_set (capture, "window-samples", 40, "interval-ms", 100, NULL);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);

  for (i = 0; i < 3; i++)
    {
      wait_samples (capture, lablink_capture_get_n_samples (capture), 60);
      drop_and_wait (&fixture);
    }
  wait_samples (capture, lablink_capture_get_n_samples (capture), 60);
  stop_acquisition (&fixture, id);

  /* Frames keep coming after the stop: wait for the last sample. */
  deadline = g_get_monotonic_time () + TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  do
    {
      gint64 last = 0;

      g_clear_pointer (&generated, g_array_unref);
      test_run_for (200);
      generated = get_generated (&fixture, id);
      if (!lablink_capture_get_time_range (capture, NULL, &last) || generated->len == 0 ||
          last < g_array_index (generated, gint64, generated->len - 1))
        continue;
      break;
    }
  while (g_get_monotonic_time () < deadline);
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  stored = read_times (capture);
  gaps = lablink_capture_get_gaps (capture, &n_gaps);
  g_test_message ("generated %u, stored %u, gaps %u", generated->len, stored->len, n_gaps);
  g_assert_cmpuint (n_gaps, ==, 3);
  for (i = 0; i < n_gaps; i++)
    g_assert_true (gaps[i].data_lost);

  /* stored ⊆ generated, in order, without duplicates (read_times checked
   * the order); whatever is missing lies within an outage. */
  for (i = 0, j = 0; i < generated->len; i++)
    {
      gint64 t = g_array_index (generated, gint64, i);

      if (j < stored->len && g_array_index (stored, gint64, j) == t)
        {
          j++;
          in_run = FALSE;
          continue;
        }
      /* Missing before the first stored sample is the time before the
       * capture started (the first window is the server's latest only). */
      if (j == 0)
        continue;
      if (!in_run)
        missing_runs++;
      in_run = TRUE;
      for (k = 0; k < n_gaps; k++)
        if (t >= gaps[k].start_usec - G_USEC_PER_SEC && t <= gaps[k].end_usec + G_USEC_PER_SEC)
          break;
      if (k == n_gaps)
        g_error ("sample %" G_GINT64_FORMAT " is missing outside every outage", t);
    }
  g_assert_cmpuint (j, ==, stored->len);   /* every stored sample was generated */
  g_assert_cmpuint (missing_runs, <=, n_gaps);
  g_assert_cmpuint (stored->len, >, 200);

  g_clear_object (&capture);
  fixture_teardown (&fixture);
}

/* A window of samples base + i × 100 ms, i in [first, end), as the server
 * spells it, sample @bad_index stamped @bad. */
static LablinkMessage *
make_window (const char *id,
             gint64      base,
             guint       first,
             guint       end,
             guint       bad_index,
             const char *bad)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  LablinkMessage *message;
  guint i;

  g_string_printf (text, "{\"type\": \"acquisition_stream\", \"acquisition_id\": \"%s\", \"state\": \"acquiring\", "
                         "\"stats\": {\"total_samples\": %u}, \"data\": {\"timestamps\": [", id, end);
  for (i = first; i < end; i++)
    {
      g_autofree char *stamp = lablink_format_timestamp (base + (gint64) i * 100000);

      if (i > first)
        g_string_append (text, ", ");
      if (i == bad_index)
        g_string_append (text, bad);
      else
        g_string_append_printf (text, "\"%s\"", stamp);
    }
  g_string_append (text, "], \"values\": {\"CH1\": [");
  for (i = first; i < end; i++)
    g_string_append_printf (text, "%s%u", i > first ? ", " : "", i);
  g_string_append (text, "], \"CH2\": [");
  for (i = first; i < end; i++)
    g_string_append_printf (text, "%s%u", i > first ? ", " : "", 2 * i);
  g_string_append (text, "]}}}");
  message = lablink_message_parse (text->str, -1, &error);
  g_assert_no_error (error);
  return message;
}

/* One sample with a bad timestamp among good ones, in every window it is
 * part of: the capture keeps every good sample, skips the bad one and
 * counts it once (issue 10). */
static void
check_bad_sample (const char *bad)
{
  const guint n_total = 61, window = 20, step = 3, bad_index = 20;
  Fixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(LablinkCapture) reopened = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  g_autofree double *values = NULL;
  const char *id = "acq_hostile";
  gint64 base = (g_get_real_time () / G_USEC_PER_SEC - 60) * G_USEC_PER_SEC;
  guint end, i;

  if (!fixture_setup (&fixture))
    return;

  /* The sim knows no such acquisition: only the frames below arrive. */
  capture = lablink_capture_new_for_acquisition (fixture.manager, NULL, id, fixture.root, &error);
  g_assert_no_error (error);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);

  detail = g_strconcat ("acquisition-data::", id, NULL);
  for (end = 1; end < n_total + step; end += step)
    {
      guint last = MIN (end, n_total);
      g_autoptr(LablinkMessage) message = make_window (id, base, last > window ? last - window : 0, last, bad_index, bad);

      g_signal_emit_by_name (fixture.manager, detail, message);
    }
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  stored = read_times (capture);
  g_assert_cmpuint (stored->len, ==, n_total - 1);
  values = g_new (double, stored->len * 2);
  lablink_capture_read (capture, 0, stored->len, NULL, values, &error);
  g_assert_no_error (error);
  for (i = 0; i < stored->len; i++)
    {
      guint sample = i < bad_index ? i : i + 1;

      g_assert_cmpint (g_array_index (stored, gint64, i), ==, base + (gint64) sample * 100000);
      g_assert_cmpfloat (values[2 * i], ==, sample);
      g_assert_cmpfloat (values[2 * i + 1], ==, 2 * sample);
    }
  g_assert_cmpuint (lablink_capture_get_n_invalid_samples (capture), ==, 1);
  g_assert_cmpuint (lablink_capture_get_n_gaps (capture), ==, 0);

  reopened = lablink_capture_open (lablink_capture_get_directory (capture), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lablink_capture_get_n_samples (reopened), ==, n_total - 1);
  g_assert_cmpuint (lablink_capture_get_n_invalid_samples (reopened), ==, 1);

  g_clear_object (&capture);
  g_clear_object (&reopened);
  fixture_teardown (&fixture);
}

static void
test_bad_timestamp (void)
{
  check_bad_sample ("\"9999-12-31T23:59:59.000000\"");
  check_bad_sample ("9.2e12");
  check_bad_sample ("1e300");
  check_bad_sample ("\"tomorrow\"");
}

/* A stand-in for the server's REST side: `GET …/data` answers @body. */
typedef struct {
  const char *body;
  guint       n_data_requests;
} MockRest;

static void
mock_rest_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  MockRest *mock = user_data;

  if (g_str_has_suffix (path, "/data"))
    {
      mock->n_data_requests++;
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, mock->body, strlen (mock->body));
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

/* The backfill of a hole between two windows gets @body: only an answer
 * with a `data` object of timestamps and values is merged; anything else is
 * a bad answer (no critical, no crash), the hole stays a gap with data lost
 * and recording goes on. */
static void
check_backfill_answer (gint64      base,
                       const char *body,
                       gboolean    good)
{
  Fixture fixture;
  MockRest mock = { body, 0 };
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(LablinkClient) rest_client = NULL;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkMessage) first = NULL;
  g_autoptr(LablinkMessage) second = NULL;
  g_autofree LablinkCaptureGap *gaps = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *url = NULL;
  GSList *uris;
  const char *id = "acq_guard";
  guint n_gaps = 0;

  if (!fixture_setup (&fixture))
    return;
  g_object_set (fixture.manager, "polling-fallback", FALSE, NULL);

  soup_server_add_handler (server, NULL, mock_rest_cb, &mock, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  rest_client = lablink_client_new (url, &error);
  g_assert_no_error (error);

  /* The sim knows no such acquisition: only the frames below arrive. */
  capture = lablink_capture_new_for_acquisition (fixture.manager, rest_client, id, fixture.root, &error);
  g_assert_no_error (error);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);

  detail = g_strconcat ("acquisition-data::", id, NULL);
  first = make_window (id, base, 0, 20, G_MAXUINT, NULL);
  g_signal_emit_by_name (fixture.manager, detail, first);
  /* 20…34 missing; the backfill answer (20…39) overlaps this window, as
   * the server's windows overlap */
  second = make_window (id, base, 35, 60, G_MAXUINT, NULL);
  g_signal_emit_by_name (fixture.manager, detail, second);

  TEST_WAIT (lablink_capture_get_n_samples (capture) >= 45, TEST_TIMEOUT_MS);
  g_assert_true (lablink_capture_get_recording (capture));
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  stored = read_times (capture);
  gaps = lablink_capture_get_gaps (capture, &n_gaps);
  g_test_message ("%s: %u requests, stored %u, gaps %u", body, mock.n_data_requests, stored->len, n_gaps);
  g_assert_cmpuint (mock.n_data_requests, ==, 1);
  for (guint k = 0; k < n_gaps; k++)
    g_test_message ("gap from base + %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " ms, lost %d",
                    (gaps[k].start_usec - base) / 1000,
                    (gaps[k].end_usec - base) / 1000, gaps[k].data_lost);
  if (good)
    {
      g_assert_cmpuint (stored->len, ==, 60);
      g_assert_cmpuint (n_gaps, ==, 0);
    }
  else
    {
      g_assert_cmpuint (stored->len, ==, 45);
      g_assert_cmpuint (n_gaps, ==, 1);
      g_assert_true (gaps[0].data_lost);
      g_assert_cmpint (gaps[0].start_usec, ==, base + 19 * 100000);
      g_assert_cmpint (gaps[0].end_usec, ==, base + 35 * 100000);
    }

  g_clear_object (&capture);
  soup_server_disconnect (server);
  fixture_teardown (&fixture);
}

static void
test_backfill_data_guard (void)
{
  gint64 base = (g_get_real_time () / G_USEC_PER_SEC - 60) * G_USEC_PER_SEC;
  g_autoptr(LablinkMessage) window = make_window ("acq_guard", base, 20, 40, G_MAXUINT, NULL);
  g_autoptr(JsonNode) root = json_from_string (lablink_message_get_text (window, NULL), NULL);
  g_autofree char *data = json_to_string (json_object_get_member (json_node_get_object (root), "data"), FALSE);
  g_autofree char *good = g_strdup_printf ("{\"acquisition_id\": \"acq_guard\", \"data\": %s, \"count\": 20}", data);

  check_backfill_answer (base, "{}", FALSE);
  check_backfill_answer (base, "{\"success\": false}", FALSE);
  check_backfill_answer (base, "{\"data\": []}", FALSE);
  check_backfill_answer (base, "{\"data\": null}", FALSE);
  check_backfill_answer (base, "{\"data\": \"none\"}", FALSE);
  check_backfill_answer (base, "{\"data\": {\"timestamps\": []}}", FALSE);
  check_backfill_answer (base, "[]", FALSE);
  /* the same hole, a real answer: recovered, no gap */
  check_backfill_answer (base, good, TRUE);
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
  Fixture fixture;
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

  if (!fixture_setup (&fixture))
    return;

  id = create_acquisition (&fixture, 100, 1000);
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
  fixture_teardown (&fixture);
}

/* Forced disconnects, some short enough for the server's small buffer to
 * cover them and some not: every sample the server generated after the
 * capture's first one is either stored or lost in a gap, and a gap says
 * DataLost exactly when a sample went missing in it (issue 10). */
static void
test_lost_exactly (void)
{
  static const char *const faults[] = { "{\"refuse_ms\": 0}", "{\"refuse_ms\": 900}" };
  Fixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GArray) generated = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree LablinkCaptureGap *gaps = NULL;
  g_autofree gboolean *gap_missing = NULL;
  g_autofree char *id = NULL;
  guint n_gaps = 0, i, j, k, first = 0, n_missing = 0;
  gint64 deadline;

  if (!fixture_setup (&fixture))
    return;

  id = create_acquisition (&fixture, 200, 100);   /* 0.5 s of history */
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
      drop_and_wait (&fixture);
    }
  test_run_for (1500);
  stop_acquisition (&fixture, id);

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
  gap_missing = g_new0 (gboolean, MAX (n_gaps, 1));
  g_assert_cmpuint (n_gaps, ==, 6);
  g_assert_cmpuint (stored->len, >, 0);

  /* From the first stored sample on: stored ⊆ generated, in order. */
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
      /* Missing: in the outage after the last stored sample before it. */
      n_missing++;
      for (k = n_gaps; k > 0; k--)
        if (gaps[k - 1].start_usec <= t + G_USEC_PER_SEC / 2)
          break;
      g_assert_cmpuint (k, >, 0);
      gap_missing[k - 1] = TRUE;
    }
  g_assert_cmpuint (j, ==, stored->len);
  g_test_message ("generated %u (from the first stored), stored %u, missing %u",
                  generated->len - first, stored->len, n_missing);
  g_assert_cmpuint (stored->len + n_missing, ==, generated->len - first);

  for (k = 0; k < n_gaps; k++)
    {
      g_test_message ("gap %u: %.3f s, recovered %" G_GUINT64_FORMAT ", data lost %d, missing %d", k,
                      (gaps[k].end_usec - gaps[k].start_usec) / 1e6, gaps[k].n_recovered,
                      gaps[k].data_lost, gap_missing[k]);
      g_assert_cmpint (gaps[k].data_lost, ==, gap_missing[k]);
    }

  g_clear_object (&capture);
  fixture_teardown (&fixture);
}

/* An equipment stream: one row per frame, its numeric fields as channels
 * (units guessed from their names), an outage recorded as a gap. */
static void
test_equipment_stream (void)
{
  Fixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) units = NULL;
  g_autofree LablinkCaptureGap *gaps = NULL;
  guint n_gaps = 0, i;
  gboolean voltage = FALSE, current = FALSE;

  if (!fixture_setup (&fixture))
    return;

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
  drop_and_wait (&fixture);
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

  stored = read_times (capture);   /* strictly increasing: no frame stored twice */
  g_test_message ("%u rows", stored->len);
  g_assert_cmpuint (stored->len, >=, 8);

  gaps = lablink_capture_get_gaps (capture, &n_gaps);
  g_assert_cmpuint (n_gaps, ==, 1);
  g_assert_true (gaps[0].data_lost);   /* no history to fetch for equipment streams */
  g_assert_cmpint (gaps[0].end_usec, >, gaps[0].start_usec);

  g_clear_object (&capture);
  fixture_teardown (&fixture);
}

static void
count_frame (guint          *n_frames,
             LablinkMessage *message)
{
  (void) message;
  (*n_frames)++;
}

/* A capture started before its acquisition wants the lead-in: the first
 * window (the latest 20 samples of about 200, as a late frame or a REST
 * poll brings them) does not reach back to the start of the recording, so
 * the capture backfills what the server holds; when the server no longer
 * holds it, the loss is a gap (it used to be lost without one). */
static void
check_lead_in (guint    buffer_size,
               gboolean holds_lead_in)
{
  Fixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GArray) generated = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) window = NULL;
  g_autoptr(LablinkMessage) message = NULL;
  g_autofree LablinkCaptureGap *gaps = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *text = NULL;
  g_autofree char *data = NULL;
  guint n_gaps = 0, i;
  guint n_frames = 0;
  gulong frames_handler;

  if (!fixture_setup (&fixture))
    return;

  id = create_idle_acquisition (&fixture, 200, buffer_size);
  /* The stream is ours, with frames so rare that only its first (empty)
   * one comes: the window below is the only one. That first frame must
   * come before the acquisition starts, or (on a busy machine) it may
   * already carry the lead-in. */
  detail = g_strconcat ("acquisition-data::", id, NULL);
  frames_handler = g_signal_connect_swapped (fixture.manager, detail, G_CALLBACK (count_frame), &n_frames);
  g_assert_true (lablink_stream_manager_start_acquisition_stream (fixture.manager, id, 3600000, 20, &error));
  g_assert_no_error (error);
  TEST_WAIT (n_frames > 0, TEST_TIMEOUT_MS);
  g_signal_handler_disconnect (fixture.manager, frames_handler);

  capture = lablink_capture_new_for_acquisition (fixture.manager, NULL, id, fixture.root, &error);
  g_assert_no_error (error);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);

  start_acquisition (&fixture, id);
  test_run_for (1000);

  path = g_strdup_printf ("/api/acquisition/session/%s/data?num_samples=20", id);
  window = test_sim_rest_ok (fixture.sim, "GET", path, NULL);
  data = json_to_string (json_object_get_member (json_node_get_object (window), "data"), FALSE);
  text = g_strdup_printf ("{\"type\": \"acquisition_stream\", \"acquisition_id\": \"%s\", \"state\": \"acquiring\", "
                          "\"stats\": {\"total_samples\": 100000}, \"data\": %s}", id, data);
  message = lablink_message_parse (text, -1, &error);
  g_assert_no_error (error);
  g_signal_emit_by_name (fixture.manager, detail, message);

  /* the backfill, when it is done, released the held window */
  TEST_WAIT (lablink_capture_get_n_samples (capture) > 20 || lablink_capture_get_n_gaps (capture) > 0,
             TEST_TIMEOUT_MS);
  test_run_for (100);
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  generated = get_generated (&fixture, id);
  stored = read_times (capture);
  gaps = lablink_capture_get_gaps (capture, &n_gaps);
  g_test_message ("buffer %u: generated %u, stored %u, gaps %u", buffer_size, generated->len, stored->len, n_gaps);
  g_assert_cmpuint (stored->len, >, 0);
  g_assert_cmpuint (generated->len, >=, stored->len);

  if (holds_lead_in)
    {
      /* everything from the first sample on, nothing twice, no gap */
      g_assert_cmpmem (stored->data, stored->len * sizeof (gint64), generated->data, stored->len * sizeof (gint64));
      g_assert_cmpuint (n_gaps, ==, 0);
    }
  else
    {
      /* what the server still held, and a gap saying the lead-in was lost */
      g_assert_cmpint (g_array_index (stored, gint64, 0), >, g_array_index (generated, gint64, 0));
      g_assert_cmpuint (n_gaps, ==, 1);
      g_assert_true (gaps[0].data_lost);
      g_assert_cmpint (gaps[0].start_usec, <=, g_array_index (generated, gint64, 0));
      g_assert_cmpint (gaps[0].end_usec, ==, g_array_index (stored, gint64, 0));
    }
  for (i = 1; i < stored->len; i++)
    g_assert_cmpint (g_array_index (stored, gint64, i), >, g_array_index (stored, gint64, i - 1));

  g_clear_object (&capture);
  fixture_teardown (&fixture);
}

static void
test_lead_in (void)
{
  check_lead_in (10000, TRUE);   /* the server still holds the lead-in */
  check_lead_in (50, FALSE);     /* it does not */
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
  g_test_add_func ("/capture/sim/bad-timestamp", test_bad_timestamp);
  g_test_add_func ("/capture/sim/server-lost-acquisition", test_server_lost_acquisition);
  g_test_add_func ("/capture/sim/lead-in", test_lead_in);
  g_test_add_func ("/capture/sim/backfill-data-guard", test_backfill_data_guard);

  return g_test_run ();
}
