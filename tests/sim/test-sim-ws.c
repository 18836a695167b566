/* test-sim-ws.c — the simulator's WebSocket protocol against the real server's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sim-test-util.h"

#define PSU   "ps_250e6dfe"
#define SCOPE "scope_386959fc"
#define LOAD  "load_47fa0d5c"

typedef SimFixture Fixture;

static void
configure (LablinkSimServer *server,
           gpointer          user_data)
{
  lablink_sim_server_set_seed (server, 1);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  sim_fixture_start (f, configure, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sim_fixture_stop (f);
}

static void
start_stream (WsClient   *client,
              const char *equipment_id,
              const char *stream_type,
              guint       interval_ms)
{
  g_autofree char *text = g_strdup_printf ("{\"type\": \"start_stream\", \"equipment_id\": \"%s\", "
                                           "\"stream_type\": \"%s\", \"interval_ms\": %u}",
                                           equipment_id, stream_type, interval_ms);
  ws_send (client, text);
}

static void
stop_stream (WsClient   *client,
             const char *equipment_id,
             const char *stream_type)
{
  g_autofree char *text = g_strdup_printf ("{\"type\": \"stop_stream\", \"equipment_id\": \"%s\", "
                                           "\"stream_type\": \"%s\"}", equipment_id, stream_type);
  ws_send (client, text);
}

static void
expect_text (WsClient   *client,
             const char *expected)
{
  g_autoptr(WsFrame) frame = ws_next (client, TEST_TIMEOUT_MS);

  g_assert_nonnull (frame);
  g_assert_cmpstr (frame->text, ==, expected);
}

static void
test_echo_and_silence (Fixture       *f,
                       gconstpointer  data)
{
  WsClient *client = sim_fixture_ws_connect (f, NULL);
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) ws_frame_free);
  guint i;

  ws_send (client, "{\"type\": \"ping\"}");
  expect_text (client, "{\"type\": \"pong\"}");

  /* confirmed whatever they ask for … */
  start_stream (client, "scope_00000000", "readings", 100);
  expect_text (client, "{\"type\": \"stream_started\", \"equipment_id\": \"scope_00000000\", \"stream_type\": \"readings\"}");
  start_stream (client, SCOPE, "spectrum", 100);
  expect_text (client, "{\"type\": \"stream_started\", \"equipment_id\": \"scope_386959fc\", \"stream_type\": \"spectrum\"}");
  start_stream (client, PSU, "waveform", 100);
  expect_text (client, "{\"type\": \"stream_started\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"waveform\"}");
  ws_send (client, "{\"type\": \"start_acquisition_stream\", \"acquisition_id\": "
                   "\"00000000-0000-0000-0000-000000000000\", \"interval_ms\": 100, \"num_samples\": 5}");
  expect_text (client, "{\"type\": \"acquisition_stream_started\", \"acquisition_id\": "
                       "\"00000000-0000-0000-0000-000000000000\"}");

  /* … but those streams stay silent */
  ws_collect (client, NULL, NULL, 500, frames);
  for (i = 0; i < frames->len; i++)
    g_test_message ("unexpected: %s", ((WsFrame *) g_ptr_array_index (frames, i))->text);
  g_assert_cmpuint (frames->len, ==, 0);

  stop_stream (client, PSU, "waveform");
  expect_text (client, "{\"type\": \"stream_stopped\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"waveform\"}");
  ws_send (client, "{\"type\": \"stop_acquisition_stream\", \"acquisition_id\": \"00000000-0000-0000-0000-000000000000\"}");
  expect_text (client, "{\"type\": \"acquisition_stream_stopped\", \"acquisition_id\": "
                       "\"00000000-0000-0000-0000-000000000000\"}");
  ws_client_free (client);
}

static void
test_psu_frame_shape (Fixture       *f,
                      gconstpointer  data)
{
  WsClient *client = sim_fixture_ws_connect (f, NULL);
  g_autoptr(WsFrame) frame = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o, *d;

  start_stream (client, PSU, "readings", 100);
  frame = ws_wait_type (client, "stream_data", PSU, TEST_TIMEOUT_MS);
  g_assert_nonnull (frame);
  g_test_message ("%s", frame->text);

  /* the exact byte shape of the real server's frame (Python separators) */
  g_assert_true (g_str_has_prefix (frame->text,
                                   "{\"type\": \"stream_data\", \"equipment_id\": \"ps_250e6dfe\", "
                                   "\"stream_type\": \"readings\", \"data\": {\"equipment_id\": \"ps_250e6dfe\", "
                                   "\"timestamp\": \""));
  g_assert_true (g_str_has_suffix (frame->text,
                                   "\", \"channel\": 1, \"voltage_set\": 0.0, \"current_set\": 1.0, "
                                   "\"voltage_actual\": 0.0, \"current_actual\": 0.0, \"output_enabled\": false, "
                                   "\"in_cv_mode\": false, \"in_cc_mode\": false}}"));
  /* the real server's frame is 332 bytes with the output off */
  g_assert_cmpuint (strlen (frame->text), ==, 332);

  o = frame_object (frame, &node);
  d = json_object_get_object_member (o, "data");
  g_assert_cmpuint (strlen (object_get_str (d, "timestamp")), ==, 26);
  ws_client_free (client);
}

static gint64
received_ms (GPtrArray *frames,
             guint      i,
             gint64     since)
{
  return (((WsFrame *) g_ptr_array_index (frames, i))->received - since) / 1000;
}

/* Each stream at its interval: timers never fire early, so the n-th frame
 * of a stream at I ms cannot come before (n - 1) * I ms after the start;
 * and the 100 ms streams outrun the 200 ms one. How regular the cadence is
 * on this machine is a figure (bench/), not a check. */
static void
test_cadence (Fixture       *f,
              gconstpointer  data)
{
  WsClient *client = sim_fixture_ws_connect (f, NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) ws_frame_free);
  g_autoptr(GPtrArray) readings = g_ptr_array_new ();
  g_autoptr(GPtrArray) waveform = g_ptr_array_new ();
  g_autoptr(GPtrArray) measurements = g_ptr_array_new ();
  gint64 started;
  guint i;

  started = g_get_monotonic_time ();
  start_stream (client, PSU, "readings", 100);
  start_stream (client, SCOPE, "waveform", 100);
  start_stream (client, SCOPE, "measurements", 200);
  for (i = 0; measurements->len < 4 && i < TEST_TIMEOUT_MS / 100; i++)
    {
      guint first = all->len, k;

      ws_collect (client, "stream_data", NULL, 100, all);
      for (k = first; k < all->len; k++)
        {
          WsFrame *frame = g_ptr_array_index (all, k);

          if (strstr (frame->text, "\"stream_type\": \"readings\"") != NULL)
            g_ptr_array_add (readings, frame);
          /* a frame per enabled channel: CH1's make the cadence */
          else if (strstr (frame->text, "\"stream_type\": \"waveform\"") != NULL &&
                   strstr (frame->text, "\"channel\": 1, ") != NULL)
            g_ptr_array_add (waveform, frame);
          else if (strstr (frame->text, "\"stream_type\": \"measurements\"") != NULL)
            g_ptr_array_add (measurements, frame);
        }
    }
  g_test_message ("frames: readings %u, waveform %u, measurements %u", readings->len, waveform->len,
                  measurements->len);

  g_assert_cmpuint (measurements->len, >=, 4);
  g_assert_cmpuint (readings->len, >, measurements->len);
  g_assert_cmpuint (waveform->len, >, measurements->len);
  g_assert_cmpint (received_ms (readings, readings->len - 1, started), >=, (readings->len - 1) * 100);
  g_assert_cmpint (received_ms (waveform, waveform->len - 1, started), >=, (waveform->len - 1) * 100);
  g_assert_cmpint (received_ms (measurements, measurements->len - 1, started), >=, (measurements->len - 1) * 200);
  ws_client_free (client);

  /* the first frame comes after one read time, not after one interval
   * (an hour here) */
  g_ptr_array_set_size (all, 0);
  client = sim_fixture_ws_connect (f, NULL);
  started = g_get_monotonic_time ();
  start_stream (client, PSU, "readings", 3600 * 1000);
  g_assert_true (ws_collect_n (client, "stream_data", PSU, 1, all));
  g_test_message ("first frame after %" G_GINT64_FORMAT " ms", received_ms (all, 0, started));
  ws_client_free (client);
}

static void
test_scope_frames (Fixture       *f,
                   gconstpointer  data)
{
  WsClient *client = sim_fixture_ws_connect (f, NULL);
  g_autoptr(WsFrame) wave = NULL;
  g_autoptr(WsFrame) meas = NULL;
  g_autoptr(JsonNode) wave_node = NULL;
  g_autoptr(JsonNode) meas_node = NULL;
  g_autoptr(GList) keys = NULL;
  static const char * const meas_keys[] = { "vpp", "vmax", "vmin", "vavg", "vrms", "freq", "period" };
  JsonObject *d;
  JsonArray *samples;
  GList *l;
  guint i;

  start_stream (client, SCOPE, "waveform", 100);
  wave = ws_wait_type (client, "stream_data", SCOPE, TEST_TIMEOUT_MS);
  g_assert_nonnull (wave);
  d = json_object_get_object_member (frame_object (wave, &wave_node), "data");
  g_assert_true (g_str_has_prefix (wave->text,
                                   "{\"type\": \"stream_data\", \"equipment_id\": \"scope_386959fc\", "
                                   "\"stream_type\": \"waveform\", \"data\": {\"equipment_id\": \"scope_386959fc\", "
                                   "\"channel\": 1, \"timestamp\": \""));
  g_assert_nonnull (strstr (wave->text, "\"sample_rate\": 100000.0, \"time_scale\": 0.001, \"voltage_scale\": 1.0, "
                                        "\"voltage_offset\": 0.0, \"num_samples\": 1000, \"data_id\": \"waveform_"));
  /* default mode: the samples inline */
  samples = json_object_get_array_member (d, "voltage_data");
  g_assert_cmpuint (json_array_get_length (samples), ==, 1000);
  {
    double vmin = G_MAXDOUBLE, vmax = -G_MAXDOUBLE;

    for (i = 0; i < 1000; i++)
      {
        double v = json_array_get_double_element (samples, i);

        vmin = MIN (vmin, v);
        vmax = MAX (vmax, v);
      }
    g_assert_cmpfloat_with_epsilon (vmax - vmin, 2.0, 0.15);
  }
  stop_stream (client, SCOPE, "waveform");

  start_stream (client, SCOPE, "measurements", 100);
  meas = ws_wait_type (client, "stream_data", SCOPE, TEST_TIMEOUT_MS);
  while (meas != NULL && strstr (meas->text, "\"measurements\"") == NULL)
    {
      ws_frame_free (meas);
      meas = ws_wait_type (client, "stream_data", SCOPE, TEST_TIMEOUT_MS);
    }
  g_assert_nonnull (meas);
  d = json_object_get_object_member (frame_object (meas, &meas_node), "data");
  keys = json_object_get_members (d);
  for (l = keys, i = 0; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, meas_keys[i]);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (meas_keys));
  /* computed from the samples: 1 kHz sine of amplitude 1 */
  g_assert_cmpfloat_with_epsilon (object_get_num (d, "vpp"), 2.0, 0.15);
  g_assert_cmpfloat_with_epsilon (object_get_num (d, "vrms"), 1.0 / G_SQRT2, 0.03);
  g_assert_cmpfloat_with_epsilon (object_get_num (d, "freq"), 1000.0, 10.0);
  g_assert_cmpfloat_with_epsilon (object_get_num (d, "period"), 0.001, 1e-5);
  ws_client_free (client);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  WsClient *client = sim_fixture_ws_connect (f, NULL);
  static const char * const closing[] = { "[1, 2, 3]", "\"hello\"", "null" };
  guint i;

  ws_send (client, "this is not json");
  ws_send (client, "");
  ws_send (client, "{\"type\": \"ping\"");
  ws_send (client, "{\"type\": \"no_such_type\"}");
  ws_send (client, "{\"no_type\": 1}");
  for (i = 0; i < 3; i++)
    expect_text (client, "{\"type\": \"error\", \"detail\": \"Invalid JSON\"}");

  /* unknown or typeless objects are ignored, and the socket stays open */
  ws_send (client, "{\"type\": \"ping\"}");
  expect_text (client, "{\"type\": \"pong\"}");
  g_assert_false (client->closed);
  ws_client_free (client);

  /* a JSON value that is not an object: the server closes, 1000, no reason */
  for (i = 0; i < G_N_ELEMENTS (closing); i++)
    {
      client = sim_fixture_ws_connect (f, NULL);
      ws_send (client, closing[i]);
      g_assert_true (ws_wait_closed (client, TEST_TIMEOUT_MS));
      g_assert_cmpuint (client->close_code, ==, 1000);
      g_assert_cmpstr (client->close_reason != NULL ? client->close_reason : "", ==, "");
      g_assert_true (g_queue_is_empty (&client->frames));
      ws_client_free (client);
    }

  /* a binary frame too */
  client = sim_fixture_ws_connect (f, NULL);
  ws_send_binary (client, "{\"type\": \"ping\"}");
  g_assert_true (ws_wait_closed (client, TEST_TIMEOUT_MS));
  g_assert_cmpuint (client->close_code, ==, 1000);
  ws_client_free (client);
}

static gboolean
no_clients (gpointer data)
{
  return lablink_sim_server_get_n_clients (data) == 0;
}

static gboolean
two_clients (gpointer data)
{
  return lablink_sim_server_get_n_clients (data) == 2;
}

static void
test_broadcast (Fixture       *f,
                gconstpointer  data)
{
  WsClient *a = sim_fixture_ws_connect (f, NULL);
  WsClient *b = sim_fixture_ws_connect (f, NULL);
  WsClient *c;
  g_autoptr(WsFrame) fa = NULL;
  g_autoptr(WsFrame) fb = NULL;
  g_autoptr(WsFrame) started = NULL;
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) ws_frame_free);
  g_autoptr(HttpResult) status = NULL;
  LablinkSimServer *server = sim_thread_get_server (f->sim);
  guint i;

  /* the server registers a client just after its 101 went out */
  g_assert_true (test_wait_until (two_clients, server, TEST_TIMEOUT_MS));

  /* A starts a stream; B gets its frames too, the very same bytes */
  start_stream (a, PSU, "readings", 100);
  started = ws_next (a, TEST_TIMEOUT_MS);
  g_assert_nonnull (strstr (started->text, "stream_started"));
  fa = ws_wait_type (a, "stream_data", PSU, TEST_TIMEOUT_MS);
  fb = ws_wait_type (b, "stream_data", PSU, TEST_TIMEOUT_MS);
  g_assert_nonnull (fa);
  g_assert_nonnull (fb);
  g_assert_cmpstr (fa->text, ==, fb->text);
  /* B got no stream_started: that answer goes to the requester only */
  g_assert_null (strstr (fb->text, "stream_started"));

  /* B stops it for everyone */
  stop_stream (b, PSU, "readings");
  g_clear_pointer (&started, ws_frame_free);
  started = ws_wait_type (b, "stream_stopped", NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (started);
  test_run_for (50);
  ws_drain (a);
  ws_collect (a, "stream_data", NULL, 350, frames);
  g_assert_cmpuint (frames->len, ==, 0);

  /* streams are cancelled when the last client leaves */
  start_stream (a, PSU, "readings", 100);
  ws_client_free (a);
  ws_client_free (b);
  g_assert_true (test_wait_until (no_clients, server, TEST_TIMEOUT_MS));
  for (i = 0; i < TEST_TIMEOUT_MS / 50; i++)
    {
      g_clear_pointer (&status, http_result_free);
      status = http_request (f->session, "GET", f->url, "/api/sim/status", NULL);
      if (json_array_get_length (json_object_get_array_member (http_result_object (status), "streams")) == 0)
        break;
      test_run_for (50);
    }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (http_result_object (status), "streams")), ==, 0);

  /* a reconnecting client must restart its streams */
  c = sim_fixture_ws_connect (f, NULL);
  ws_collect (c, "stream_data", NULL, 350, frames);
  g_assert_cmpuint (frames->len, ==, 0);
  ws_client_free (c);
}

static void
test_events (Fixture       *f,
             gconstpointer  data)
{
  WsClient *client = sim_fixture_ws_connect (f, NULL);
  g_autoptr(WsFrame) alarm = NULL;
  g_autoptr(WsFrame) cleared = NULL;
  g_autoptr(WsFrame) job = NULL;
  g_autoptr(WsFrame) custom = NULL;
  g_autoptr(JsonNode) alarm_node = NULL;
  g_autoptr(JsonNode) cleared_node = NULL;
  g_autoptr(HttpResult) r1 = NULL, r2 = NULL, r3 = NULL;
  JsonObject *d;

  r1 = http_request (f->session, "POST", f->url, "/api/sim/event", "{\"type\": \"alarm_event\"}");
  g_assert_cmpuint (r1->status, ==, 200);
  alarm = ws_wait_type (client, "alarm_event", NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (alarm);
  d = json_object_get_object_member (frame_object (alarm, &alarm_node), "data");
  g_assert_true (g_str_has_prefix (object_get_str (d, "event_id"), "event_"));
  g_assert_cmpstr (object_get_str (d, "severity"), ==, "warning");
  g_assert_cmpstr (object_get_str (d, "equipment_id"), ==, PSU);

  r2 = http_request (f->session, "POST", f->url, "/api/sim/event", "{\"type\": \"alarm_cleared\"}");
  cleared = ws_wait_type (client, "alarm_cleared", NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (cleared);
  g_assert_cmpstr (object_get_str (json_object_get_object_member (frame_object (cleared, &cleared_node), "data"), "event_id"),
                   ==, object_get_str (d, "event_id"));

  /* the thread-safe API */
  lablink_sim_server_emit_event (sim_thread_get_server (f->sim), "job_started");
  job = ws_wait_type (client, "job_started", NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (job);
  g_assert_nonnull (strstr (job->text, "\"job_id\": \"job_"));

  r3 = http_request (f->session, "POST", f->url, "/api/sim/event",
                     "{\"type\": \"discovery_progress\", \"data\": {\"progress\": 0.25, \"found\": [1, 2]}}");
  custom = ws_wait_type (client, "discovery_progress", NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (custom);
  g_assert_cmpstr (custom->text, ==,
                   "{\"type\": \"discovery_progress\", \"data\": {\"progress\": 0.25, \"found\": [1, 2]}}");
  ws_client_free (client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sim/ws/echo-and-silence", Fixture, NULL, fixture_setup, test_echo_and_silence, fixture_teardown);
  g_test_add ("/sim/ws/psu-frame-shape", Fixture, NULL, fixture_setup, test_psu_frame_shape, fixture_teardown);
  g_test_add ("/sim/ws/cadence", Fixture, NULL, fixture_setup, test_cadence, fixture_teardown);
  g_test_add ("/sim/ws/scope-frames", Fixture, NULL, fixture_setup, test_scope_frames, fixture_teardown);
  g_test_add ("/sim/ws/bad-input", Fixture, NULL, fixture_setup, test_bad_input, fixture_teardown);
  g_test_add ("/sim/ws/broadcast", Fixture, NULL, fixture_setup, test_broadcast, fixture_teardown);
  g_test_add ("/sim/ws/events", Fixture, NULL, fixture_setup, test_events, fixture_teardown);

  return g_test_run ();
}
