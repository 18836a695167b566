/* test-sim-scope.c — the simulated scope's commands (those of the real
 * server's MockOscilloscope) change what it sends: V/div, offset and
 * coupling in the samples and the metadata, the timebase, Run/Stop/Single,
 * autoscale, four distinct channels, the record length
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lablink-sim-scope.h"
#include "sim-test-util.h"

#define SCOPE "scope_386959fc"

typedef struct {
  SimThread   *sim;
  SoupSession *session;
  const char  *url;
  WsClient    *ws;
  char        *lock_session;
} Fixture;

/* data: a record length, or NULL for the default */
static void
configure (LablinkSimServer *server,
           gpointer          user_data)
{
  GPtrArray *instruments = lablink_sim_server_get_instruments (server);
  guint i;

  for (i = 0; i < instruments->len; i++)
    if (LABLINK_SIM_IS_SCOPE (g_ptr_array_index (instruments, i)) && user_data != NULL)
      {
        lablink_sim_scope_set_n_points (g_ptr_array_index (instruments, i), GPOINTER_TO_UINT (user_data));
        lablink_sim_scope_set_read_ms (g_ptr_array_index (instruments, i), 0);
      }
}

static HttpResult *
post (Fixture    *f,
      const char *path,
      const char *body)
{
  return http_request (f->session, "POST", f->url, path, body);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(HttpResult) session = NULL, lock = NULL;
  g_autofree char *body = NULL;
  guint status = 0;

  f->sim = sim_thread_start (configure, (gpointer) data);
  f->url = sim_thread_get_url (f->sim);
  f->session = test_session_new ();

  session = post (f, "/api/locks/sessions/create", "{\"client_name\": \"test-sim-scope\"}");
  g_assert_cmpuint (session->status, ==, 200);
  f->lock_session = g_strdup (object_get_str (http_result_object (session), "session_id"));
  body = g_strdup_printf ("{\"equipment_id\": \"%s\", \"session_id\": \"%s\"}", SCOPE, f->lock_session);
  lock = post (f, "/api/locks/acquire", body);
  g_assert_cmpuint (lock->status, ==, 200);

  f->ws = ws_connect (f->session, f->url, NULL, &status);
  g_assert_nonnull (f->ws);
  ws_send (f->ws, "{\"type\": \"start_stream\", \"equipment_id\": \"" SCOPE "\", "
                  "\"stream_type\": \"waveform\", \"interval_ms\": 20}");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  ws_client_free (f->ws);
  g_free (f->lock_session);
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  sim_thread_stop (f->sim);
}

/* Runs @action with @parameters (an object's text, or NULL) under the lock
 * (or without it: @locked FALSE); returns the answer's object. */
static JsonNode *
run (Fixture    *f,
     gboolean    locked,
     const char *action,
     const char *parameters)
{
  g_autoptr(HttpResult) r = NULL;
  g_autofree char *body = NULL;
  JsonNode *node;

  if (locked)
    body = g_strdup_printf ("{\"action\": \"%s\", \"parameters\": %s, \"session_id\": \"%s\"}", action,
                            parameters != NULL ? parameters : "{}", f->lock_session);
  else
    body = g_strdup_printf ("{\"action\": \"%s\", \"parameters\": %s}", action,
                            parameters != NULL ? parameters : "{}");
  r = post (f, "/api/equipment/" SCOPE "/command", body);
  g_test_message ("%s %s → %u %s", action, parameters ? parameters : "", r->status,
                  strlen (r->body) > 300 ? "(long)" : r->body);
  node = r->json != NULL ? json_node_ref (r->json) : json_node_new (JSON_NODE_NULL);
  if (r->status != 200)
    {
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "status", r->status);
      json_node_unref (node);
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, o);
    }
  return node;
}

static void
run_ok (Fixture    *f,
        const char *action,
        const char *parameters)
{
  g_autoptr(JsonNode) answer = run (f, TRUE, action, parameters);
  JsonObject *o = json_node_get_object (answer);

  g_assert_true (json_object_get_boolean_member_with_default (o, "success", FALSE));
  g_assert_true (json_object_get_null_member (o, "data"));
  g_assert_true (json_object_get_null_member (o, "error"));
}

/* The next waveform frame of @channel whose text holds @needle (NULL: any
 * sent after this call's first frame, so after what came before it). */
static WsFrame *
next_wave (Fixture    *f,
           guint       channel,
           const char *needle)
{
  g_autofree char *tag = g_strdup_printf ("\"channel\": %u, ", channel);
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_MS * 1000;
  guint skip = needle == NULL ? 2 : 0;

  while (g_get_monotonic_time () < deadline)
    {
      WsFrame *frame = ws_wait_type (f->ws, "stream_data", SCOPE, TEST_TIMEOUT_MS);

      g_assert_nonnull (frame);
      if (strstr (frame->text, tag) != NULL && (needle == NULL || strstr (frame->text, needle) != NULL))
        {
          if (skip == 0)
            return frame;
          skip--;
        }
      ws_frame_free (frame);
    }
  g_error ("no waveform frame of channel %u with %s", channel, needle);
  return NULL;
}

typedef struct {
  gsize  n;
  double min, max, mean;
  double centre;   /* the sample at the screen's centre */
} Stats;

static Stats
wave_stats (WsFrame     *frame,
            JsonObject **data_out,
            JsonNode   **node_out)
{
  JsonObject *d = json_object_get_object_member (frame_object (frame, node_out), "data");
  JsonArray *v = json_object_get_array_member (d, "voltage_data");
  Stats s = { 0, G_MAXDOUBLE, -G_MAXDOUBLE, 0, 0 };
  gsize i;

  s.n = json_array_get_length (v);
  for (i = 0; i < s.n; i++)
    {
      double x = json_array_get_double_element (v, i);

      s.min = MIN (s.min, x);
      s.max = MAX (s.max, x);
      s.mean += x / s.n;
    }
  s.centre = json_array_get_double_element (v, s.n / 2);
  if (data_out != NULL)
    *data_out = d;
  return s;
}

static void
test_lock_and_errors (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) a = NULL, b = NULL, c = NULL, d = NULL, e = NULL, g = NULL;

  /* set_* need the lock, trigger_* and autoscale do not */
  a = run (f, FALSE, "set_timebase", "{\"scale\": 0.002}");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (a), "status"), ==, 401);
  b = run (f, FALSE, "set_channel", "{\"channel\": 1, \"scale\": 2}");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (b), "status"), ==, 401);
  c = run (f, FALSE, "trigger_run", NULL);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (c), "success"));

  /* the mock's errors */
  d = run (f, TRUE, "set_timebase", "{\"scale\": 0}");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (d), "error"), ==, "Time scale must be positive");
  e = run (f, TRUE, "set_channel", "{\"channel\": 1, \"coupling\": \"ac\"}");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (e), "error"), ==, "Coupling must be DC, AC, or GND");
  g = run (f, TRUE, "get_measurements", "{\"channel\": 3}");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (g), "error"), ==, "Channel 3 is not enabled");
  {
    g_autoptr(JsonNode) h = run (f, TRUE, "set_channel", "{\"channel\": 5}");
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (h), "error"), ==, "Invalid channel: 5");
  }
}

static void
test_channel_settings (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WsFrame) before = NULL, scaled = NULL, ac = NULL, gnd = NULL, reset = NULL;
  g_autoptr(JsonNode) n1 = NULL, n2 = NULL, n3 = NULL, n4 = NULL, n5 = NULL;
  JsonObject *d;
  Stats s;

  /* default CH1: 1 V sine, 1 V/div, DC, no offset */
  before = next_wave (f, 1, NULL);
  s = wave_stats (before, &d, &n1);
  g_assert_cmpfloat (object_get_num (d, "voltage_scale"), ==, 1.0);
  g_assert_cmpfloat (object_get_num (d, "voltage_offset"), ==, 0.0);
  g_assert_cmpstr (object_get_str (d, "coupling"), ==, "DC");
  g_assert_cmpfloat_with_epsilon (s.max - s.min, 2.0, 0.1);

  /* 0.1 V/div clips the sine at ±5 div = ±0.5 V; the offset is added */
  run_ok (f, "set_channel", "{\"channel\": 1, \"enabled\": true, \"scale\": 0.1, \"offset\": 0.2, \"coupling\": \"DC\"}");
  scaled = next_wave (f, 1, "\"voltage_scale\": 0.1, \"voltage_offset\": 0.2, ");
  s = wave_stats (scaled, &d, &n2);
  g_test_message ("0.1 V/div, +0.2 V: %g … %g", s.min, s.max);
  g_assert_cmpfloat_with_epsilon (s.max, 0.7, 0.002);
  g_assert_cmpfloat_with_epsilon (s.min, -0.3, 0.002);

  /* CH2, a 0–3 V square: AC takes its 1.5 V away */
  run_ok (f, "set_channel", "{\"channel\": 2, \"scale\": 1, \"offset\": 0, \"coupling\": \"AC\"}");
  ac = next_wave (f, 2, "\"coupling\": \"AC\"");
  s = wave_stats (ac, &d, &n3);
  g_test_message ("CH2 AC: %g … %g, mean %g", s.min, s.max, s.mean);
  g_assert_cmpfloat_with_epsilon (s.mean, 0.0, 0.1);
  g_assert_cmpfloat_with_epsilon (s.max, 1.5, 0.05);

  /* GND: a flat line at the offset */
  run_ok (f, "set_channel", "{\"channel\": 2, \"scale\": 0.5, \"offset\": -1, \"coupling\": \"GND\"}");
  gnd = next_wave (f, 2, "\"coupling\": \"GND\"");
  s = wave_stats (gnd, &d, &n4);
  g_assert_cmpfloat (object_get_num (d, "voltage_scale"), ==, 0.5);
  g_assert_cmpfloat (object_get_num (d, "voltage_offset"), ==, -1.0);
  g_assert_cmpfloat (s.max - s.min, <, 0.06);
  g_assert_cmpfloat_with_epsilon (s.mean, -1.0, 0.01);

  /* like the mock, what a set_channel leaves out takes its default */
  run_ok (f, "set_channel", "{\"channel\": 2}");
  reset = next_wave (f, 2, "\"voltage_scale\": 1.0, \"voltage_offset\": 0.0, ");
  s = wave_stats (reset, &d, &n5);
  g_assert_cmpstr (object_get_str (d, "coupling"), ==, "DC");
  g_assert_cmpfloat_with_epsilon (s.mean, 1.5, 0.1);

  /* disabling a channel: its frames stop, the others say so */
  run_ok (f, "set_channel", "{\"channel\": 2, \"enabled\": false}");
  {
    g_autoptr(WsFrame) w = next_wave (f, 1, "\"enabled_channels\": [1]");
    g_assert_nonnull (w);
  }
}

static void
test_timebase (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(WsFrame) w0 = NULL, w1 = NULL;
  g_autoptr(JsonNode) n0 = NULL, n1 = NULL;
  JsonObject *d;
  Stats s;

  /* triggered on CH1's rising zero crossing at the screen's centre */
  run_ok (f, "set_timebase", "{\"scale\": 0.0005}");
  w0 = next_wave (f, 1, "\"time_scale\": 0.0005, ");
  s = wave_stats (w0, &d, &n0);
  g_assert_cmpfloat (object_get_num (d, "sample_rate"), ==, 200000.0);
  g_assert_cmpfloat (object_get_num (d, "time_offset"), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (s.centre, 0.0, 0.05);

  /* a quarter period later the sine peaks there */
  run_ok (f, "set_timebase", "{\"scale\": 0.0005, \"offset\": 0.00025}");
  w1 = next_wave (f, 1, "\"time_offset\": 0.00025");
  s = wave_stats (w1, &d, &n1);
  g_assert_cmpfloat_with_epsilon (s.centre, 1.0, 0.05);
}

static void
test_run_stop_single (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WsFrame) a = NULL, b = NULL, c = NULL, d = NULL, e = NULL, g = NULL, h = NULL;
  g_autoptr(JsonNode) na = NULL, nb = NULL, nc = NULL, nd = NULL, ne = NULL, ng = NULL, nh = NULL;
  JsonObject *da, *db, *dc, *dd, *de, *dg, *dh;

  /* running: every frame a new acquisition */
  a = next_wave (f, 1, "\"running\": true");
  b = next_wave (f, 1, NULL);
  wave_stats (a, &da, &na);
  wave_stats (b, &db, &nb);
  g_assert_cmpstr (object_get_str (da, "data_id"), !=, object_get_str (db, "data_id"));

  /* single: one acquisition, then the same record over and over */
  run_ok (f, "trigger_single", NULL);
  c = next_wave (f, 1, "\"trigger_mode\": \"SINGLE\", \"running\": false");
  d = next_wave (f, 1, NULL);
  e = next_wave (f, 2, NULL);
  wave_stats (c, &dc, &nc);
  wave_stats (d, &dd, &nd);
  wave_stats (e, &de, &ne);
  g_assert_cmpstr (object_get_str (dc, "data_id"), ==, object_get_str (dd, "data_id"));
  g_assert_cmpstr (object_get_str (dc, "timestamp"), ==, object_get_str (dd, "timestamp"));
  g_assert_cmpstr (strstr (c->text, "\"voltage_data\""), ==, strstr (d->text, "\"voltage_data\""));
  /* every channel from the one acquisition */
  g_assert_cmpstr (object_get_str (dc, "timestamp"), ==, object_get_str (de, "timestamp"));

  /* run again: new records */
  run_ok (f, "trigger_run", NULL);
  g = next_wave (f, 1, "\"trigger_mode\": \"AUTO\", \"running\": true");
  wave_stats (g, &dg, &ng);
  g_assert_cmpstr (object_get_str (dg, "data_id"), !=, object_get_str (dc, "data_id"));

  /* stop: the last record stays */
  run_ok (f, "trigger_stop", NULL);
  h = next_wave (f, 1, "\"running\": false");
  {
    g_autoptr(WsFrame) i = next_wave (f, 1, NULL);
    g_autoptr(JsonNode) ni = NULL;
    JsonObject *di;

    wave_stats (h, &dh, &nh);
    wave_stats (i, &di, &ni);
    g_assert_cmpstr (object_get_str (dh, "data_id"), ==, object_get_str (di, "data_id"));
    g_assert_cmpstr (object_get_str (dh, "trigger_mode"), ==, "AUTO");
  }
}

static void
test_channels_distinct (Fixture       *f,
                        gconstpointer  data)
{
  static const struct { double vpp, vavg, freq; } expected[] = {
    { 2.0, 0.0, 1000.0 },   /* sine 1 V */
    { 3.0, 1.5, 500.0 },    /* square 0–3 V */
    { 1.0, 0.0, 2000.0 },   /* triangle 0.5 V */
    { -1, 0.0, -1 },        /* noise 0.2 V rms */
  };
  guint c;

  run_ok (f, "set_channel", "{\"channel\": 3}");
  run_ok (f, "set_channel", "{\"channel\": 4}");
  for (c = 1; c <= 4; c++)
    {
      g_autofree char *params = g_strdup_printf ("{\"channel\": %u}", c);
      g_autoptr(JsonNode) m = run (f, TRUE, "get_measurements", params);
      JsonObject *o = json_object_get_object_member (json_node_get_object (m), "data");
      g_autoptr(WsFrame) w = next_wave (f, c, NULL);

      g_assert_nonnull (w);
      g_assert_nonnull (o);
      if (expected[c - 1].vpp > 0)
        {
          g_assert_cmpfloat_with_epsilon (object_get_num (o, "vpp"), expected[c - 1].vpp, 0.1);
          g_assert_cmpfloat_with_epsilon (object_get_num (o, "freq"), expected[c - 1].freq, 0.02 * expected[c - 1].freq);
        }
      else
        g_assert_cmpfloat_with_epsilon (object_get_num (o, "vrms"), 0.2, 0.03);
      g_assert_cmpfloat_with_epsilon (object_get_num (o, "vavg"), expected[c - 1].vavg, 0.1);
    }
}

static void
test_autoscale (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WsFrame) w1 = NULL, w2 = NULL;

  run_ok (f, "autoscale", NULL);
  /* V/div = amplitude / 3, as the mock */
  w1 = next_wave (f, 1, "\"voltage_scale\": 0.3333333333333333, ");
  w2 = next_wave (f, 2, "\"voltage_scale\": 0.5, ");
  g_assert_nonnull (w1);
  g_assert_nonnull (w2);
}

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *o;
  JsonArray *channels;

  run_ok (f, "set_channel", "{\"channel\": 3, \"scale\": 0.2, \"offset\": 0.1, \"coupling\": \"AC\"}");
  answer = run (f, TRUE, "get_settings", NULL);
  o = json_object_get_object_member (json_node_get_object (answer), "data");
  g_assert_cmpfloat (object_get_num (o, "time_scale"), ==, 0.001);
  g_assert_cmpstr (object_get_str (o, "trigger_mode"), ==, "AUTO");
  channels = json_object_get_array_member (o, "channels");
  g_assert_cmpuint (json_array_get_length (channels), ==, 4);
  o = json_array_get_object_element (channels, 2);
  g_assert_true (json_object_get_boolean_member (o, "enabled"));
  g_assert_cmpfloat (object_get_num (o, "scale"), ==, 0.2);
  g_assert_cmpfloat (object_get_num (o, "offset"), ==, 0.1);
  g_assert_cmpstr (object_get_str (o, "coupling"), ==, "AC");
}

/* --scope-points: 100k points in every frame; the stream's cadence is then
 * the interval alone (read time 0) */
static void
test_record_length (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(WsFrame) w = next_wave (f, 1, NULL);
  g_autoptr(JsonNode) n = NULL;
  JsonObject *d;
  Stats s = wave_stats (w, &d, &n);

  g_assert_cmpuint (s.n, ==, 100000);
  g_assert_cmpfloat (object_get_num (d, "num_samples"), ==, 100000);
  g_assert_cmpfloat (object_get_num (d, "sample_rate"), ==, 1e7);
  g_assert_cmpfloat_with_epsilon (s.max - s.min, 2.0, 0.1);
}

/* The longest record fits the client's default frame limit (16 MiB). */
static void
test_record_million (void)
{
  g_autoptr(LablinkSimScope) scope = lablink_sim_scope_new (NULL, 1);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  LablinkSimJson w;
  JsonObject *o;

  lablink_sim_scope_set_n_points (scope, LABLINK_SIM_SCOPE_MAX_POINTS);
  lablink_sim_json_init (&w, out, LABLINK_SIM_JSON_PYTHON, TRUE);
  lablink_sim_scope_write_waveform (scope, &w, 1, g_get_real_time (),
                                    LABLINK_SIM_SCOPE_WRITE_VOLTAGE_DATA | LABLINK_SIM_SCOPE_WRITE_SETTINGS);
  g_test_message ("1M points: %zu bytes", out->len);
  g_assert_cmpuint (out->len, <, 12u * 1024 * 1024);
  node = json_from_string (out->str, NULL);
  g_assert_nonnull (node);
  o = json_node_get_object (node);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "voltage_data")), ==, 1000000);
  g_assert_cmpfloat (object_get_num (o, "sample_rate"), ==, 1e8);

  /* the widest samples: a fine V/div under a large offset */
  {
    LablinkSimScopeChannel ch;

    lablink_sim_scope_get_channel (scope, 1, &ch);
    ch.voltage_scale = 1e-6;
    ch.vertical_offset = -999.5;
    lablink_sim_scope_set_channel (scope, 1, &ch);
    g_string_truncate (out, 0);
    lablink_sim_json_init (&w, out, LABLINK_SIM_JSON_PYTHON, TRUE);
    lablink_sim_scope_write_waveform (scope, &w, 1, g_get_real_time (), LABLINK_SIM_SCOPE_WRITE_VOLTAGE_DATA);
    g_test_message ("1M points at 1 µV/div, -999.5 V: %zu bytes", out->len);
    g_assert_cmpuint (out->len, <, 16u * 1024 * 1024);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn, data) \
  g_test_add (path, Fixture, data, fixture_setup, fn, fixture_teardown)
  ADD ("/sim-scope/lock-and-errors", test_lock_and_errors, NULL);
  ADD ("/sim-scope/channel-settings", test_channel_settings, NULL);
  ADD ("/sim-scope/timebase", test_timebase, NULL);
  ADD ("/sim-scope/run-stop-single", test_run_stop_single, NULL);
  ADD ("/sim-scope/channels-distinct", test_channels_distinct, NULL);
  ADD ("/sim-scope/autoscale", test_autoscale, NULL);
  ADD ("/sim-scope/settings", test_settings, NULL);
  ADD ("/sim-scope/record-length", test_record_length, GUINT_TO_POINTER (100000));
#undef ADD
  g_test_add_func ("/sim-scope/record-million", test_record_million);

  return g_test_run ();
}
