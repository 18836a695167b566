/* test-sim-acquisition.c — acquisitions and their stream, default and compat
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sim-test-util.h"

#define PSU   "ps_250e6dfe"
#define SCOPE "scope_386959fc"

typedef struct {
  SimThread   *sim;
  SoupSession *session;
  const char  *url;
  char        *lock_session;
} Fixture;

static void
configure (LablinkSimServer *server,
           gpointer          user_data)
{
  lablink_sim_server_set_seed (server, 3);
  lablink_sim_server_set_lablink_compat (server, user_data != NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->sim = sim_thread_start (configure, (gpointer) data);
  f->url = sim_thread_get_url (f->sim);
  f->session = test_session_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  g_clear_pointer (&f->lock_session, g_free);
  sim_thread_stop (f->sim);
}

/* Runs a control command the way LabLink needs it: in a lock session
 * holding the instrument's exclusive lock (taken again: a refresh). */
static void
command (Fixture    *f,
         const char *equipment_id,
         const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/equipment/%s/command", equipment_id);
  g_autofree char *lock_body = NULL;
  g_autofree char *text = NULL;
  g_autoptr(HttpResult) lock = NULL;
  g_autoptr(HttpResult) r = NULL;
  g_autoptr(JsonNode) node = json_from_string (body, NULL);

  if (f->lock_session == NULL)
    {
      g_autoptr(HttpResult) created = http_request (f->session, "POST", f->url, "/api/locks/sessions/create",
                                                    "{\"client_name\": \"test-sim-acquisition\"}");

      g_assert_cmpuint (created->status, ==, 200);
      f->lock_session = g_strdup (object_get_str (http_result_object (created), "session_id"));
    }
  lock_body = g_strdup_printf ("{\"equipment_id\": \"%s\", \"session_id\": \"%s\"}", equipment_id, f->lock_session);
  lock = http_request (f->session, "POST", f->url, "/api/locks/acquire", lock_body);
  g_assert_cmpuint (lock->status, ==, 200);

  g_assert_nonnull (node);
  json_object_set_string_member (json_node_get_object (node), "session_id", f->lock_session);
  text = json_to_string (node, FALSE);
  r = http_request (f->session, "POST", f->url, path, text);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (http_result_object (r), "success"));
}

static char *
create_acquisition (Fixture    *f,
                    const char *body)
{
  g_autoptr(HttpResult) r = http_request (f->session, "POST", f->url, "/api/acquisition/session/create", body);

  g_assert_cmpuint (r->status, ==, 200);
  return g_strdup (object_get_str (http_result_object (r), "acquisition_id"));
}

static HttpResult *
acquisition_request (Fixture    *f,
                     const char *method,
                     const char *id,
                     const char *what)
{
  g_autofree char *path = g_strdup_printf ("/api/acquisition/session/%s/%s", id, what);

  return http_request (f->session, method, f->url, path, NULL);
}

static void
acquisition_action (Fixture    *f,
                    const char *id,
                    const char *action)
{
  g_autoptr(HttpResult) r = acquisition_request (f, "POST", id, action);

  g_assert_cmpuint (r->status, ==, 200);
}

static WsClient *
connect_ok (Fixture *f)
{
  WsClient *client = ws_connect (f->session, f->url, NULL, NULL);

  g_assert_nonnull (client);
  return client;
}

static void
start_acq_stream (WsClient   *client,
                  const char *id,
                  guint       interval_ms,
                  guint       num_samples)
{
  g_autofree char *text = g_strdup_printf ("{\"type\": \"start_acquisition_stream\", \"acquisition_id\": \"%s\", "
                                           "\"interval_ms\": %u, \"num_samples\": %u}", id, interval_ms, num_samples);
  g_autofree char *expected = g_strdup_printf ("{\"type\": \"acquisition_stream_started\", \"acquisition_id\": \"%s\"}", id);
  g_autoptr(WsFrame) frame = NULL;

  ws_send (client, text);
  frame = ws_wait_type (client, "acquisition_stream_started", NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (frame);
  g_assert_cmpstr (frame->text, ==, expected);
}

/* The generated timestamps, as the frames spell them. */
static GPtrArray *
generated_timestamps (Fixture    *f,
                      const char *id)
{
  g_autofree char *path = g_strdup_printf ("/api/sim/acquisition/%s/generated", id);
  g_autoptr(HttpResult) r = http_request (f->session, "GET", f->url, path, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;
  guint i;

  g_assert_cmpuint (r->status, ==, 200);
  array = json_object_get_array_member (http_result_object (r), "timestamps");
  g_assert_cmpfloat (object_get_num (http_result_object (r), "count"), ==, json_array_get_length (array));
  for (i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (out, g_strdup (json_array_get_string_element (array, i)));
  return out;
}

static guint
index_of (GPtrArray  *strings,
          const char *s)
{
  guint index;

  g_assert_true (g_ptr_array_find_with_equal_func (strings, s, g_str_equal, &index));
  return index;
}

static void
test_stream_windows (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = NULL;
  WsClient *client;
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) ws_frame_free);
  g_autoptr(GPtrArray) stopped_frames = g_ptr_array_new_with_free_func ((GDestroyNotify) ws_frame_free);
  g_autoptr(GPtrArray) after = g_ptr_array_new_with_free_func ((GDestroyNotify) ws_frame_free);
  g_autoptr(GPtrArray) generated = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(WsFrame) idle = NULL;
  g_autoptr(WsFrame) stopped_echo = NULL;
  g_autoptr(JsonNode) idle_node = NULL;
  guint first_index = G_MAXUINT, last_index = 0;
  guint i, j, n_overlapping = 0;
  gint prev_last = -1;
  JsonObject *o;

  command (f, PSU, "{\"action\": \"set_voltage\", \"parameters\": {\"voltage\": 5.0, \"channel\": 1}}");
  command (f, PSU, "{\"action\": \"set_output\", \"parameters\": {\"enabled\": true, \"channel\": 1}}");
  command (f, PSU, "{\"action\": \"set_voltage\", \"parameters\": {\"voltage\": 3.3, \"channel\": 2}}");
  command (f, PSU, "{\"action\": \"set_output\", \"parameters\": {\"enabled\": true, \"channel\": 2}}");

  id = create_acquisition (f, "{\"equipment_id\": \"ps_250e6dfe\", \"name\": \"w\", \"mode\": \"continuous\", "
                              "\"sample_rate\": 50, \"channels\": [\"CH1\", \"CH2\"]}");
  client = connect_ok (f);

  /* before start: frames with state idle and data null */
  start_acq_stream (client, id, 150, 20);
  idle = ws_wait_type (client, "acquisition_stream", NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (idle);
  o = frame_object (idle, &idle_node);
  g_assert_cmpstr (object_get_str (o, "state"), ==, "idle");
  g_assert_true (json_object_get_null_member (o, "data"));
  g_assert_true (json_object_get_null_member (json_object_get_object_member (o, "stats"), "start_time"));
  g_assert_true (g_str_has_suffix (idle->text, "\"min_values\": {}, \"max_values\": {}, \"mean_values\": {}}, \"data\": null}"));

  acquisition_action (f, id, "start");
  ws_drain (client);
  g_assert_true (ws_collect_n (client, "acquisition_stream", NULL, 6, frames));
  acquisition_action (f, id, "stop");
  test_run_for (20);
  ws_drain (client);
  /* a few frames after the stop (the first may have been in flight) */
  g_assert_true (ws_collect_n (client, "acquisition_stream", NULL, 5, stopped_frames));
  ws_send (client, "{\"type\": \"stop_acquisition_stream\", \"acquisition_id\": \"x\"}");
  {
    g_autofree char *text = g_strdup_printf ("{\"type\": \"stop_acquisition_stream\", \"acquisition_id\": \"%s\"}", id);

    ws_send (client, text);
  }
  stopped_echo = ws_wait_type (client, "acquisition_stream_stopped", NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (stopped_echo);
  g_clear_pointer (&stopped_echo, ws_frame_free);
  stopped_echo = ws_wait_type (client, "acquisition_stream_stopped", NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (stopped_echo);
  test_run_for (50);
  ws_drain (client);
  ws_collect (client, "acquisition_stream", NULL, 400, after);
  g_assert_cmpuint (after->len, ==, 0);

  generated = generated_timestamps (f, id);
  g_test_message ("%u frames while acquiring, %u after stop, %u samples generated",
                  frames->len, stopped_frames->len, generated->len);
  g_assert_cmpuint (frames->len, >=, 6);
  g_assert_cmpuint (generated->len, >=, 1);

  for (i = 0; i < frames->len; i++)
    {
      WsFrame *frame = g_ptr_array_index (frames, i);
      g_autoptr(JsonNode) node = NULL;
      JsonObject *d, *stats, *values;
      JsonArray *ts, *ch1, *ch2;
      guint n, first, last;

      o = frame_object (frame, &node);
      g_assert_nonnull (o);
      g_assert_cmpstr (object_get_str (o, "acquisition_id"), ==, id);
      if (g_strcmp0 (object_get_str (o, "state"), "idle") == 0)
        continue;   /* sent just before the start */
      g_assert_cmpstr (object_get_str (o, "state"), ==, "acquiring");
      stats = json_object_get_object_member (o, "stats");
      if (json_object_get_null_member (o, "data"))
        {
          g_assert_cmpfloat (object_get_num (stats, "total_samples"), ==, 0);
          continue;
        }
      d = json_object_get_object_member (o, "data");
      ts = json_object_get_array_member (d, "timestamps");
      values = json_object_get_object_member (d, "values");
      ch1 = json_object_get_array_member (values, "CH1");
      ch2 = json_object_get_array_member (values, "CH2");
      n = json_array_get_length (ts);
      g_assert_cmpfloat (object_get_num (d, "count"), ==, n);
      g_assert_cmpuint (json_array_get_length (ch1), ==, n);
      g_assert_cmpuint (json_array_get_length (ch2), ==, n);
      g_assert_cmpuint (n, >=, 1);
      g_assert_cmpuint (n, <=, 20);
      /* the window is min(num_samples, buffered) */
      g_assert_cmpuint (n, ==, MIN (20, (guint) object_get_num (stats, "total_samples")));

      /* the window is the LATEST run of generated samples, oldest first */
      first = index_of (generated, json_array_get_string_element (ts, 0));
      last = index_of (generated, json_array_get_string_element (ts, n - 1));
      g_assert_cmpuint (last - first + 1, ==, n);
      g_assert_cmpuint (last + 1, ==, (guint) object_get_num (stats, "total_samples"));
      for (j = 0; j < n; j++)
        {
          const char *t = json_array_get_string_element (ts, j);

          g_assert_cmpstr (t, ==, g_ptr_array_index (generated, first + j));
          g_hash_table_add (seen, (gpointer) g_ptr_array_index (generated, first + j));
          g_assert_cmpfloat_with_epsilon (json_array_get_double_element (ch1, j), 5.0, 0.01);
          g_assert_cmpfloat_with_epsilon (json_array_get_double_element (ch2, j), 3.3, 0.01);
        }
      if (prev_last >= (gint) first)
        n_overlapping++;
      g_assert_cmpint ((gint) last, >=, prev_last);
      prev_last = (gint) last;
      first_index = MIN (first_index, first);
      last_index = MAX (last_index, last);
    }

  /* consecutive frames overlap, and merging them loses nothing */
  g_assert_cmpuint (n_overlapping, >=, frames->len / 2);
  for (i = first_index; i <= last_index; i++)
    g_assert_true (g_hash_table_contains (seen, g_ptr_array_index (generated, i)));

  /* after stop: same last window, state stopped, end-of-run stats */
  while (stopped_frames->len > 0 &&
         strstr (((WsFrame *) g_ptr_array_index (stopped_frames, 0))->text, "\"state\": \"acquiring\"") != NULL)
    g_ptr_array_remove_index (stopped_frames, 0);   /* in flight before the stop */
  g_assert_cmpuint (stopped_frames->len, >=, 2);
  for (i = 0; i < stopped_frames->len; i++)
    {
      WsFrame *frame = g_ptr_array_index (stopped_frames, i);
      WsFrame *first_frame = g_ptr_array_index (stopped_frames, 0);
      g_autoptr(JsonNode) node = NULL;
      JsonObject *stats;
      JsonArray *ts;

      o = frame_object (frame, &node);
      g_assert_cmpstr (object_get_str (o, "state"), ==, "stopped");
      g_assert_cmpstr (frame->text, ==, first_frame->text);
      stats = json_object_get_object_member (o, "stats");
      g_assert_nonnull (object_get_str (stats, "end_time"));
      g_assert_cmpfloat (object_get_num (stats, "total_samples"), ==, generated->len);
      g_assert_cmpfloat_with_epsilon (object_get_num (json_object_get_object_member (stats, "mean_values"), "CH1"), 5.0, 0.005);
      ts = json_object_get_array_member (json_object_get_object_member (o, "data"), "timestamps");
      g_assert_cmpstr (json_array_get_string_element (ts, json_array_get_length (ts) - 1), ==,
                       g_ptr_array_index (generated, generated->len - 1));
    }

  ws_client_free (client);
}

/* Polls the status until the acquisition has @at_least samples (only a
 * hang takes longer than TEST_TIMEOUT_MS). */
static double
wait_total_samples (Fixture    *f,
                    const char *id,
                    double      at_least)
{
  double total = 0;
  guint i;

  for (i = 0; i < TEST_TIMEOUT_MS / 20; i++)
    {
      g_autoptr(HttpResult) status = acquisition_request (f, "GET", id, "status");

      total = object_get_num (json_object_get_object_member (http_result_object (status), "stats"), "total_samples");
      if (total >= at_least)
        break;
      test_run_for (20);
    }
  g_assert_cmpfloat (total, >=, at_least);
  return total;
}

static void
test_pause_and_scope (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(HttpResult) s1 = NULL, s2 = NULL, s3 = NULL, d = NULL;
  double t1, t2, t3, vmin = G_MAXDOUBLE, vmax = -G_MAXDOUBLE;
  JsonArray *values;
  guint i;

  /* a 5 Hz sine on CH1, sampled at 200 Hz */
  command (f, SCOPE, "{\"action\": \"set_channel\", \"parameters\": {\"channel\": 1, \"waveform\": \"sine\", "
                     "\"frequency\": 5, \"amplitude\": 1.0, \"offset\": 0.0}}");
  id = create_acquisition (f, "{\"equipment_id\": \"scope_386959fc\", \"sample_rate\": 200, \"channels\": [\"CH1\"]}");
  acquisition_action (f, id, "start");
  /* more than a period of the sine before the pause */
  wait_total_samples (f, id, 60);
  acquisition_action (f, id, "pause");
  s1 = acquisition_request (f, "GET", id, "status");
  g_assert_cmpstr (object_get_str (http_result_object (s1), "state"), ==, "paused");
  t1 = object_get_num (json_object_get_object_member (http_result_object (s1), "stats"), "total_samples");
  test_run_for (200);
  s2 = acquisition_request (f, "GET", id, "status");
  t2 = object_get_num (json_object_get_object_member (http_result_object (s2), "stats"), "total_samples");
  g_assert_cmpfloat (t1, ==, t2);
  acquisition_action (f, id, "resume");
  t3 = wait_total_samples (f, id, t2 + 30);
  g_assert_cmpfloat (t3, >, t2 + 10);
  acquisition_action (f, id, "stop");

  d = acquisition_request (f, "GET", id, "data");
  values = json_object_get_array_member (json_object_get_object_member (json_object_get_object_member (http_result_object (d), "data"),
                                                                        "values"), "CH1");
  for (i = 0; i < json_array_get_length (values); i++)
    {
      vmin = MIN (vmin, json_array_get_double_element (values, i));
      vmax = MAX (vmax, json_array_get_double_element (values, i));
    }
  g_test_message ("scope CH1 over %u samples: %g to %g", json_array_get_length (values), vmin, vmax);
  g_assert_cmpfloat (vmax, >, 0.8);
  g_assert_cmpfloat (vmin, <, -0.8);
}

static void
test_compat_nan (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *id = NULL;
  WsClient *client;
  g_autoptr(WsFrame) frame = NULL;
  g_autoptr(HttpResult) acq_data = NULL, status_running = NULL, status = NULL;

  command (f, PSU, "{\"action\": \"set_voltage\", \"parameters\": {\"voltage\": 5.0, \"channel\": 1}}");
  command (f, PSU, "{\"action\": \"set_output\", \"parameters\": {\"enabled\": true, \"channel\": 1}}");

  /* compat: a channel the PSU lacks is accepted and reads NaN */
  id = create_acquisition (f, "{\"equipment_id\": \"ps_250e6dfe\", \"name\": \"fixture-nan\", \"mode\": \"continuous\", "
                              "\"sample_rate\": 20, \"channels\": [\"CH1\", \"CH9\"]}");
  client = connect_ok (f);
  acquisition_action (f, id, "start");
  start_acq_stream (client, id, 150, 5);

  /* like the released 1.2.5: acknowledged, then no acquisition frame */
  frame = ws_wait_type (client, "acquisition_stream", NULL, 600);
  g_assert_null (frame);

  /* the same data over REST: 500 text/plain, like FastAPI */
  acq_data = acquisition_request (f, "GET", id, "data?num_samples=5");
  g_assert_cmpuint (acq_data->status, ==, 500);
  g_assert_cmpstr (acq_data->content_type, ==, "text/plain; charset=utf-8");
  g_assert_cmpstr (acq_data->body, ==, "Internal Server Error");

  /* status has no NaN while running (min/max/mean empty) … */
  status_running = acquisition_request (f, "GET", id, "status");
  g_assert_cmpuint (status_running->status, ==, 200);

  /* … but does once the run's stats are filled */
  acquisition_action (f, id, "stop");
  status = acquisition_request (f, "GET", id, "status");
  g_assert_cmpuint (status->status, ==, 500);
  g_assert_cmpstr (status->content_type, ==, "text/plain; charset=utf-8");
  g_assert_cmpstr (status->body, ==, "Internal Server Error");

  ws_client_free (client);
}

static void
test_compat_waveform (Fixture       *f,
                      gconstpointer  data)
{
  WsClient *client = connect_ok (f);
  g_autoptr(WsFrame) frame = NULL;
  g_autoptr(HttpResult) snapshot = NULL, capture = NULL;

  ws_send (client, "{\"type\": \"start_stream\", \"equipment_id\": \"scope_386959fc\", \"stream_type\": \"waveform\", \"interval_ms\": 100}");
  frame = ws_wait_type (client, "stream_data", SCOPE, TEST_TIMEOUT_MS);
  g_assert_nonnull (frame);
  g_test_message ("%s", frame->text);
  /* metadata only, like the real server: clients fetch the samples */
  g_assert_null (strstr (frame->text, "voltage_data"));
  g_assert_true (g_regex_match_simple ("\"num_samples\": 1000, \"data_id\": \"waveform_[0-9a-f]{8}\"}}$", frame->text, 0, 0));

  snapshot = http_request (f->session, "GET", f->url, "/api/data/scope_386959fc/snapshot?data_type=waveform", NULL);
  g_assert_null (strstr (snapshot->body, "voltage_data"));
  capture = http_request (f->session, "POST", f->url, "/api/waveform/capture",
                          "{\"equipment_id\": \"scope_386959fc\", \"config\": {\"channel\": 1}}");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (http_result_object (capture), "voltage_data")), ==, 1000);
  ws_client_free (client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sim/acquisition/stream-windows", Fixture, NULL, fixture_setup, test_stream_windows, fixture_teardown);
  g_test_add ("/sim/acquisition/pause-and-scope", Fixture, NULL, fixture_setup, test_pause_and_scope, fixture_teardown);
  g_test_add ("/sim/acquisition/compat-nan", Fixture, "compat", fixture_setup, test_compat_nan, fixture_teardown);
  g_test_add ("/sim/acquisition/compat-waveform", Fixture, "compat", fixture_setup, test_compat_waveform, fixture_teardown);

  return g_test_run ();
}
