/* test-sim-rest.c — the simulator's REST API against the real server's shapes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sim-test-util.h"

typedef SimFixture Fixture;

static void
configure_auth (LablinkSimServer *server,
                gpointer          user_data)
{
  lablink_sim_server_set_seed (server, 5);
  if (user_data != NULL)
    lablink_sim_server_set_auth (server, "admin", "secret-pw");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  sim_fixture_start (f, configure_auth, (gpointer) data);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sim_fixture_stop (f);
}

static HttpResult *
get (Fixture    *f,
     const char *path)
{
  return http_request (f->session, "GET", f->url, path, NULL);
}

static HttpResult *
post (Fixture    *f,
      const char *path,
      const char *body)
{
  return http_request (f->session, "POST", f->url, path, body);
}

/* A lock session holding @equipment_id's exclusive lock: its id. */
static char *
take_lock (Fixture    *f,
           const char *equipment_id)
{
  g_autoptr(HttpResult) session = post (f, "/api/locks/sessions/create", "{\"client_name\": \"test-sim-rest\"}");
  g_autoptr(HttpResult) lock = NULL;
  g_autofree char *body = NULL;
  char *session_id;

  g_assert_cmpuint (session->status, ==, 200);
  session_id = g_strdup (object_get_str (http_result_object (session), "session_id"));
  body = g_strdup_printf ("{\"equipment_id\": \"%s\", \"session_id\": \"%s\"}", equipment_id, session_id);
  lock = post (f, "/api/locks/acquire", body);
  g_assert_cmpuint (lock->status, ==, 200);
  return session_id;
}

/* POST the command @json (an object's text) with "session_id": @session_id. */
static HttpResult *
command (Fixture    *f,
         const char *equipment_id,
         const char *session_id,
         const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autofree char *path = g_strdup_printf ("/api/equipment/%s/command", equipment_id);
  g_autofree char *body = NULL;

  g_assert_nonnull (node);
  if (session_id != NULL)
    json_object_set_string_member (json_node_get_object (node), "session_id", session_id);
  body = json_to_string (node, FALSE);
  return post (f, path, body);
}

static void
assert_detail (HttpResult *r,
               guint       status,
               const char *body)
{
  g_assert_cmpuint (r->status, ==, status);
  g_assert_cmpstr (r->content_type, ==, "application/json");
  g_assert_cmpstr (r->body, ==, body);
}

static void
test_info (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(HttpResult) info = get (f, "/api");
  g_autoptr(HttpResult) health = get (f, "/health");
  g_autoptr(HttpResult) missing = get (f, "/api/no/such/route");
  g_autoptr(HttpResult) wrong_method = post (f, "/api/equipment/list", "{}");

  g_assert_cmpuint (info->status, ==, 200);
  g_assert_cmpstr (info->content_type, ==, "application/json");
  g_assert_cmpstr (info->body, ==,
                   "{\"name\":\"LabLink Server\",\"version\":\"1.2.5\",\"hostname\":\"LabLink Server\","
                   "\"status\":\"running\",\"security_enabled\":false}");
  g_assert_cmpstr (health->body, ==, "{\"status\":\"healthy\",\"connected_devices\":3}");
  assert_detail (missing, 404, "{\"detail\":\"Not Found\"}");
  assert_detail (wrong_method, 405, "{\"detail\":\"Method Not Allowed\"}");
}

static void
test_equipment (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(HttpResult) list = get (f, "/api/equipment/list");
  g_autoptr(HttpResult) psu = get (f, "/api/equipment/ps_250e6dfe/status");
  g_autoptr(HttpResult) scope = get (f, "/api/equipment/scope_386959fc/status");
  g_autoptr(HttpResult) load = get (f, "/api/equipment/load_47fa0d5c/status");
  g_autoptr(HttpResult) nosuch = get (f, "/api/equipment/nosuch_00000000/status");
  g_autoptr(HttpResult) scope_readings = get (f, "/api/equipment/scope_386959fc/readings");
  g_autoptr(HttpResult) psu_readings = get (f, "/api/equipment/ps_250e6dfe/readings");
  g_autoptr(HttpResult) load_readings = get (f, "/api/equipment/load_47fa0d5c/readings");
  JsonArray *array;
  JsonObject *o;
  g_autoptr(GList) members = NULL;
  static const char * const psu_reading_keys[] = {
    "equipment_id", "timestamp", "channel", "voltage_set", "current_set", "voltage_actual",
    "current_actual", "output_enabled", "in_cv_mode", "in_cc_mode",
  };
  static const char * const load_reading_keys[] = {
    "equipment_id", "timestamp", "mode", "setpoint", "voltage", "current", "power", "load_enabled",
  };
  GList *l;
  guint i;

  g_assert_cmpuint (list->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (list->json));
  array = json_node_get_array (list->json);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  o = json_array_get_object_element (array, 0);
  g_assert_cmpstr (object_get_str (o, "id"), ==, "scope_386959fc");
  g_assert_cmpstr (object_get_str (o, "type"), ==, "oscilloscope");
  g_assert_cmpstr (object_get_str (o, "model"), ==, "MockScope-2000");
  g_assert_cmpstr (object_get_str (o, "connection_type"), ==, "ethernet");
  g_assert_true (g_str_has_prefix (object_get_str (o, "serial_number"), "MOCK"));
  g_assert_true (json_object_get_null_member (o, "nickname"));
  o = json_array_get_object_element (array, 1);
  g_assert_cmpstr (object_get_str (o, "id"), ==, "ps_250e6dfe");
  g_assert_cmpstr (object_get_str (o, "type"), ==, "power_supply");
  g_assert_cmpstr (object_get_str (o, "resource_string"), ==, "MOCK::PSU::0");
  o = json_array_get_object_element (array, 2);
  g_assert_cmpstr (object_get_str (o, "id"), ==, "load_47fa0d5c");
  g_assert_cmpstr (object_get_str (o, "type"), ==, "electronic_load");

  /* statuses, byte for byte like the real server's capabilities */
  g_assert_cmpuint (psu->status, ==, 200);
  g_assert_nonnull (strstr (psu->body,
                            "\"capabilities\":{\"num_channels\":3,\"max_voltage\":\"30.0V\",\"max_current\":\"3.0A\","
                            "\"channels\":{\"ch1\":{\"max_voltage\":\"30.0V\",\"max_current\":\"3.0A\"},"
                            "\"ch2\":{\"max_voltage\":\"30.0V\",\"max_current\":\"3.0A\"},"
                            "\"ch3\":{\"max_voltage\":\"5.0V\",\"max_current\":\"3.0A\"}}}"));
  g_assert_true (g_str_has_prefix (psu->body, "{\"id\":\"ps_250e6dfe\",\"connected\":true,\"error\":null,"
                                              "\"firmware_version\":\"v2.1.0-mock\","));
  g_assert_true (g_str_has_suffix (psu->body, "\"health_score\":null,\"last_error_messages\":[]}"));
  g_assert_nonnull (strstr (scope->body,
                            "\"capabilities\":{\"num_channels\":4,\"bandwidth\":\"200MHz\",\"sample_rate\":\"1GSa/s\","
                            "\"memory_depth\":\"1000pts\",\"waveform_types\":[\"sine\",\"square\",\"triangle\",\"noise\"]}"));
  g_assert_nonnull (strstr (load->body,
                            "\"capabilities\":{\"max_voltage\":120.0,\"max_current\":30.0,\"max_power\":300.0,"
                            "\"modes\":[\"CC\",\"CV\",\"CR\",\"CP\"]}"));

  assert_detail (nosuch, 404, "{\"detail\":\"Device not found\"}");
  assert_detail (scope_readings, 501, "{\"detail\":\"Equipment type MockOscilloscope does not support readings\"}");

  /* readings: the real key order */
  o = http_result_object (psu_readings);
  members = json_object_get_members (o);
  for (l = members, i = 0; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, psu_reading_keys[i]);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (psu_reading_keys));
  g_assert_true (g_str_has_prefix (psu_readings->body, "{\"equipment_id\":\"ps_250e6dfe\",\"timestamp\":\""));
  g_assert_nonnull (strstr (psu_readings->body,
                            "\"channel\":1,\"voltage_set\":0.0,\"current_set\":1.0,\"voltage_actual\":0.0,"
                            "\"current_actual\":0.0,\"output_enabled\":false,\"in_cv_mode\":false,\"in_cc_mode\":false}"));
  g_clear_pointer (&members, g_list_free);

  o = http_result_object (load_readings);
  members = json_object_get_members (o);
  for (l = members, i = 0; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, load_reading_keys[i]);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (load_reading_keys));
}

static void
test_timestamps (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(HttpResult) r = get (f, "/api/equipment/ps_250e6dfe/readings");
  const char *ts = object_get_str (http_result_object (r), "timestamp");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *prefix = g_date_time_format (now, "%Y-%m-%dT");
  guint i;

  /* naive local ISO-8601 with microseconds: 2026-11-25T17:14:37.638915 */
  g_assert_cmpuint (strlen (ts), ==, 26);
  g_assert_true (g_str_has_prefix (ts, prefix) || g_date_time_get_hour (now) == 0);
  g_assert_cmpint (ts[19], ==, '.');
  for (i = 20; i < 26; i++)
    g_assert_true (g_ascii_isdigit (ts[i]));
}

static void
test_snapshot (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(HttpResult) psu = get (f, "/api/data/ps_250e6dfe/snapshot?data_type=readings");
  g_autoptr(HttpResult) load = get (f, "/api/data/load_47fa0d5c/snapshot?data_type=readings");
  g_autoptr(HttpResult) wave = get (f, "/api/data/scope_386959fc/snapshot?data_type=waveform");
  g_autoptr(HttpResult) meas = get (f, "/api/data/scope_386959fc/snapshot?data_type=measurements");
  g_autoptr(HttpResult) scope_readings = get (f, "/api/data/scope_386959fc/snapshot?data_type=readings");
  g_autoptr(HttpResult) psu_wave = get (f, "/api/data/ps_250e6dfe/snapshot?data_type=waveform");
  g_autoptr(HttpResult) spectrum = get (f, "/api/data/ps_250e6dfe/snapshot?data_type=spectrum");
  g_autoptr(HttpResult) nosuch = get (f, "/api/data/nosuch_00000000/snapshot?data_type=readings");
  JsonObject *o;

  g_assert_cmpuint (psu->status, ==, 200);
  g_assert_cmpstr (object_get_str (http_result_object (psu), "equipment_id"), ==, "ps_250e6dfe");
  g_assert_cmpuint (load->status, ==, 200);
  g_assert_cmpstr (object_get_str (http_result_object (load), "mode"), ==, "CC");

  g_assert_cmpuint (wave->status, ==, 200);
  o = http_result_object (wave);
  g_assert_cmpstr (object_get_str (o, "equipment_id"), ==, "scope_386959fc");
  g_assert_cmpfloat (object_get_num (o, "channel"), ==, 1);
  g_assert_cmpfloat (object_get_num (o, "sample_rate"), ==, 100000.0);
  g_assert_cmpfloat (object_get_num (o, "time_scale"), ==, 0.001);
  g_assert_cmpfloat (object_get_num (o, "num_samples"), ==, 1000);
  g_assert_true (g_str_has_prefix (object_get_str (o, "data_id"), "waveform_"));
  /* default mode: the samples come inline */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "voltage_data")), ==, 1000);

  o = http_result_object (meas);
  g_assert_cmpfloat_with_epsilon (object_get_num (o, "vpp"), 2.0, 0.15);
  g_assert_cmpfloat_with_epsilon (object_get_num (o, "freq"), 1000.0, 10.0);
  g_assert_cmpfloat_with_epsilon (object_get_num (o, "period"), 0.001, 0.00001);
  g_assert_true (g_str_has_prefix (meas->body, "{\"vpp\":"));

  assert_detail (scope_readings, 500, "{\"detail\":\"Unknown command: get_readings\"}");
  assert_detail (psu_wave, 500, "{\"detail\":\"Unknown command: get_waveform\"}");
  assert_detail (spectrum, 400, "{\"detail\":\"Unknown data type: spectrum\"}");
  assert_detail (nosuch, 404, "{\"detail\":\"Device not found\"}");
}

static void
assert_command_ok (HttpResult *r,
                   const char *command_id)
{
  JsonObject *o = http_result_object (r);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (o, "success"));
  g_assert_true (json_object_get_null_member (o, "error"));
  if (command_id != NULL)
    g_assert_cmpstr (object_get_str (o, "command_id"), ==, command_id);
  g_assert_nonnull (object_get_str (o, "timestamp"));
}

static void
test_psu_commands (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(HttpResult) c1 = NULL, c2 = NULL, c3 = NULL, c4 = NULL, bad = NULL, unknown = NULL;
  g_autoptr(HttpResult) cv = NULL, cc = NULL;
  g_autofree char *s = take_lock (f, "ps_250e6dfe");
  JsonObject *o;

  c1 = command (f, "ps_250e6dfe", s, "{\"command_id\": \"c1\", \"equipment_id\": \"ps_250e6dfe\", \"action\": \"set_voltage\", "
             "\"parameters\": {\"voltage\": 5.0, \"channel\": 1}}");
  assert_command_ok (c1, "c1");
  g_assert_true (g_str_has_prefix (c1->body, "{\"command_id\":\"c1\",\"success\":true,\"data\":null,\"error\":null,\"timestamp\":\""));
  c2 = command (f, "ps_250e6dfe", s, "{\"command_id\": \"c2\", \"action\": \"set_current\", \"parameters\": {\"current\": 1.0, \"channel\": 1}}");
  assert_command_ok (c2, "c2");
  c3 = command (f, "ps_250e6dfe", s, "{\"command_id\": \"c3\", \"action\": \"set_output\", \"parameters\": {\"enabled\": true, \"channel\": 1}}");
  assert_command_ok (c3, "c3");

  /* 5 V into the default 10 Ω: CV at 0.5 A */
  cv = get (f, "/api/equipment/ps_250e6dfe/readings");
  o = http_result_object (cv);
  g_assert_cmpfloat (object_get_num (o, "voltage_set"), ==, 5.0);
  g_assert_cmpfloat_with_epsilon (object_get_num (o, "voltage_actual"), 5.0, 0.01);
  g_assert_cmpfloat_with_epsilon (object_get_num (o, "current_actual"), 0.5, 0.005);
  g_assert_true (json_object_get_boolean_member (o, "output_enabled"));
  g_assert_true (json_object_get_boolean_member (o, "in_cv_mode"));
  g_assert_false (json_object_get_boolean_member (o, "in_cc_mode"));

  /* a 2 Ω load would draw 2.5 A: CC at the 1 A limit, 2 V */
  c4 = command (f, "ps_250e6dfe", s, "{\"action\": \"set_load\", \"parameters\": {\"resistance\": 2.0, \"channel\": 1}}");
  assert_command_ok (c4, NULL);
  cc = get (f, "/api/equipment/ps_250e6dfe/readings");
  o = http_result_object (cc);
  g_assert_cmpfloat_with_epsilon (object_get_num (o, "current_actual"), 1.0, 0.005);
  g_assert_cmpfloat_with_epsilon (object_get_num (o, "voltage_actual"), 2.0, 0.01);
  g_assert_false (json_object_get_boolean_member (o, "in_cv_mode"));
  g_assert_true (json_object_get_boolean_member (o, "in_cc_mode"));

  /* failures are success:false with an error, HTTP 200 */
  bad = command (f, "ps_250e6dfe", s, "{\"command_id\": \"x\", \"action\": \"set_voltage\", \"parameters\": {\"voltage\": 99.0, \"channel\": 1}}");
  g_assert_cmpuint (bad->status, ==, 200);
  o = http_result_object (bad);
  g_assert_false (json_object_get_boolean_member (o, "success"));
  g_assert_nonnull (object_get_str (o, "error"));
  unknown = command (f, "ps_250e6dfe", s, "{\"action\": \"warp_drive\"}");
  o = http_result_object (unknown);
  g_assert_false (json_object_get_boolean_member (o, "success"));
  g_assert_cmpstr (object_get_str (o, "error"), ==, "Unknown command: warp_drive");
}

static void
test_load_and_scope_commands (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(HttpResult) a = NULL, b = NULL, readings = NULL, meas = NULL, set = NULL, meas3 = NULL;
  g_autofree char *load = take_lock (f, "load_47fa0d5c");
  g_autofree char *scope = take_lock (f, "scope_386959fc");
  JsonObject *o, *d;

  a = command (f, "load_47fa0d5c", load, "{\"action\": \"set_current\", \"parameters\": {\"current\": 0.5}}");
  assert_command_ok (a, NULL);
  b = command (f, "load_47fa0d5c", load, "{\"action\": \"set_input\", \"parameters\": {\"enabled\": true}}");
  assert_command_ok (b, NULL);
  readings = get (f, "/api/equipment/load_47fa0d5c/readings");
  o = http_result_object (readings);
  g_assert_cmpstr (object_get_str (o, "mode"), ==, "CC");
  g_assert_cmpfloat (object_get_num (o, "setpoint"), ==, 0.5);
  g_assert_cmpfloat_with_epsilon (object_get_num (o, "voltage"), 11.95, 0.02);
  g_assert_cmpfloat_with_epsilon (object_get_num (o, "current"), 0.5, 0.01);
  g_assert_cmpfloat_with_epsilon (object_get_num (o, "power"), 5.975, 0.15);
  g_assert_true (json_object_get_boolean_member (o, "load_enabled"));

  meas = post (f, "/api/equipment/scope_386959fc/command",
               "{\"command_id\": \"m1\", \"action\": \"get_measurements\", \"parameters\": {\"channel\": 1}}");
  assert_command_ok (meas, "m1");
  d = json_object_get_object_member (http_result_object (meas), "data");
  g_assert_cmpfloat_with_epsilon (object_get_num (d, "vpp"), 2.0, 0.15);
  g_assert_cmpfloat_with_epsilon (object_get_num (d, "freq"), 1000.0, 10.0);
  g_assert_true (g_str_has_prefix (meas->body, "{\"command_id\":\"m1\",\"success\":true,\"data\":{\"vpp\":"));

  set = command (f, "scope_386959fc", scope,
                 "{\"action\": \"set_channel\", \"parameters\": {\"channel\": 3, \"waveform\": \"square\", "
              "\"frequency\": 2000, \"amplitude\": 0.5, \"offset\": 0.5, \"enabled\": true}}");
  assert_command_ok (set, NULL);
  meas3 = post (f, "/api/equipment/scope_386959fc/command",
                "{\"action\": \"get_measurements\", \"parameters\": {\"channel\": 3}}");
  d = json_object_get_object_member (http_result_object (meas3), "data");
  g_assert_cmpfloat_with_epsilon (object_get_num (d, "vpp"), 1.0, 0.1);
  g_assert_cmpfloat_with_epsilon (object_get_num (d, "vavg"), 0.5, 0.05);
  g_assert_cmpfloat_with_epsilon (object_get_num (d, "freq"), 2000.0, 20.0);
}

static void
test_waveform_capture (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(HttpResult) ch1 = NULL, ch3 = NULL, psu = NULL, nosuch = NULL;
  JsonObject *o;
  JsonArray *t, *v;
  double sample_rate;

  ch1 = post (f, "/api/waveform/capture", "{\"equipment_id\": \"scope_386959fc\", \"config\": {\"channel\": 1}}");
  g_assert_cmpuint (ch1->status, ==, 200);
  o = http_result_object (ch1);
  t = json_object_get_array_member (o, "time_data");
  v = json_object_get_array_member (o, "voltage_data");
  g_assert_cmpuint (json_array_get_length (t), ==, 1000);
  g_assert_cmpuint (json_array_get_length (v), ==, 1000);
  sample_rate = object_get_num (o, "sample_rate");
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (t, 999), 999.0 / sample_rate, 1e-12);
  /* 10 divisions × time_scale = the capture's span */
  g_assert_cmpfloat_with_epsilon (1000.0 / sample_rate, 10 * object_get_num (o, "time_scale"), 1e-12);
  g_assert_true (json_object_get_null_member (o, "trigger_time"));
  g_assert_true (json_object_get_null_member (o, "pre_trigger_samples"));
  g_assert_true (g_str_has_suffix (ch1->body, "],\"trigger_time\":null,\"pre_trigger_samples\":null}"));

  ch3 = post (f, "/api/waveform/capture", "{\"equipment_id\": \"scope_386959fc\", \"config\": {\"channel\": 3}}");
  assert_detail (ch3, 400, "{\"detail\":\"Channel 3 is not enabled\"}");
  psu = post (f, "/api/waveform/capture", "{\"equipment_id\": \"ps_250e6dfe\", \"config\": {\"channel\": 1}}");
  g_assert_cmpuint (psu->status, ==, 400);
  nosuch = post (f, "/api/waveform/capture", "{\"equipment_id\": \"scope_00000000\", \"config\": {\"channel\": 1}}");
  assert_detail (nosuch, 404, "{\"detail\":\"Device not found\"}");
}

static void
test_acquisition_rest (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(HttpResult) create = NULL, start = NULL, status = NULL, acq_data = NULL, pause = NULL;
  g_autoptr(HttpResult) resume = NULL, stop = NULL, status2 = NULL, list = NULL, generated = NULL;
  g_autoptr(HttpResult) del = NULL, gone = NULL, bad = NULL, again = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  JsonObject *o, *stats;
  JsonArray *ts, *gen_ts;
  guint64 count;
  guint i;

  create = post (f, "/api/acquisition/session/create",
                 "{\"equipment_id\": \"ps_250e6dfe\", \"name\": \"t\", \"mode\": \"continuous\", \"sample_rate\": 50, "
                 "\"channels\": [\"CH1\", \"CH2\"]}");
  g_assert_cmpuint (create->status, ==, 200);
  o = http_result_object (create);
  id = g_strdup (object_get_str (o, "acquisition_id"));
  g_assert_cmpuint (strlen (id), ==, 36);
  g_assert_true (g_uuid_string_is_valid (id));
  g_assert_true (g_str_has_prefix (create->body, "{\"success\":true,\"message\":\"Acquisition session created\",\"acquisition_id\":\""));
  g_assert_true (g_str_has_suffix (create->body, "\",\"state\":\"idle\"}"));

  path = g_strdup_printf ("/api/acquisition/session/%s/start", id);
  start = post (f, path, NULL);
  g_assert_cmpuint (start->status, ==, 200);
  g_assert_cmpstr (object_get_str (http_result_object (start), "message"), ==, "Acquisition started");
  again = post (f, path, NULL);
  g_assert_cmpuint (again->status, ==, 400);

  g_free (path);
  path = g_strdup_printf ("/api/acquisition/session/%s/status", id);
  /* at least 300 ms (the duration checked below), then asked for until it
   * has samples (only a hang takes TEST_TIMEOUT_MS) */
  test_run_for (300);
  for (guint k = 0; k < TEST_TIMEOUT_MS / 20; k++)
    {
      g_clear_pointer (&status, http_result_free);
      status = get (f, path);
      o = http_result_object (status);
      if (object_get_num (json_object_get_object_member (o, "stats"), "total_samples") >= 10)
        break;
      test_run_for (20);
    }
  g_assert_cmpstr (object_get_str (o, "state"), ==, "acquiring");
  stats = json_object_get_object_member (o, "stats");
  g_assert_cmpfloat (object_get_num (stats, "total_samples"), >=, 10);
  g_assert_true (json_object_get_null_member (stats, "end_time"));
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (stats, "mean_values")), ==, 0);
  g_assert_cmpfloat (object_get_num (json_object_get_object_member (o, "config"), "sample_rate"), ==, 50.0);

  g_free (path);
  path = g_strdup_printf ("/api/acquisition/session/%s/pause", id);
  pause = post (f, path, NULL);
  g_assert_cmpstr (object_get_str (http_result_object (pause), "message"), ==, "Acquisition paused");
  test_run_for (100);
  g_free (path);
  path = g_strdup_printf ("/api/acquisition/session/%s/resume", id);
  resume = post (f, path, NULL);
  g_assert_cmpstr (object_get_str (http_result_object (resume), "message"), ==, "Acquisition resumed");
  test_run_for (100);
  g_free (path);
  path = g_strdup_printf ("/api/acquisition/session/%s/stop", id);
  stop = post (f, path, NULL);
  g_assert_cmpstr (object_get_str (http_result_object (stop), "message"), ==, "Acquisition stopped");

  g_free (path);
  path = g_strdup_printf ("/api/acquisition/session/%s/status", id);
  status2 = get (f, path);
  o = http_result_object (status2);
  g_assert_cmpstr (object_get_str (o, "state"), ==, "stopped");
  stats = json_object_get_object_member (o, "stats");
  g_assert_nonnull (object_get_str (stats, "end_time"));
  g_assert_cmpfloat (object_get_num (stats, "duration_seconds"), >, 0.3);
  g_assert_cmpfloat_with_epsilon (object_get_num (json_object_get_object_member (stats, "mean_values"), "CH1"), 0.0, 1e-9);
  count = (guint64) object_get_num (stats, "total_samples");

  /* data: the latest N, oldest first */
  g_free (path);
  path = g_strdup_printf ("/api/acquisition/session/%s/data?num_samples=5", id);
  acq_data = get (f, path);
  o = http_result_object (acq_data);
  g_assert_cmpfloat (object_get_num (o, "count"), ==, 5);
  ts = json_object_get_array_member (json_object_get_object_member (o, "data"), "timestamps");
  g_assert_cmpuint (json_array_get_length (ts), ==, 5);

  /* what the simulator says it generated matches */
  g_free (path);
  path = g_strdup_printf ("/api/sim/acquisition/%s/generated", id);
  generated = get (f, path);
  o = http_result_object (generated);
  g_assert_cmpfloat (object_get_num (o, "count"), ==, count);
  gen_ts = json_object_get_array_member (o, "timestamps");
  g_assert_cmpuint (json_array_get_length (gen_ts), ==, count);
  for (i = 0; i < 5; i++)
    g_assert_cmpstr (json_array_get_string_element (ts, i), ==,
                     json_array_get_string_element (gen_ts, count - 5 + i));
  {
    guint64 api_count = 0;
    g_autoptr(GArray) api_ts = NULL;

    g_assert_true (lablink_sim_server_get_acquisition_generated (sim_thread_get_server (f->sim), id,
                                                                 &api_count, &api_ts));
    g_assert_cmpuint (api_count, ==, count);
    g_assert_cmpuint (api_ts->len, ==, count);
  }

  list = get (f, "/api/acquisition/sessions");
  o = http_result_object (list);
  g_assert_cmpfloat (object_get_num (o, "count"), ==, 1);

  g_free (path);
  path = g_strdup_printf ("/api/acquisition/session/%s", id);
  del = http_request (f->session, "DELETE", f->url, path, NULL);
  g_assert_cmpstr (object_get_str (http_result_object (del), "message"), ==, "Session deleted");
  g_free (path);
  path = g_strdup_printf ("/api/acquisition/session/%s/status", id);
  gone = get (f, path);
  g_assert_cmpuint (gone->status, ==, 404);

  /* a channel the PSU lacks is refused outside compat mode */
  bad = post (f, "/api/acquisition/session/create",
              "{\"equipment_id\": \"ps_250e6dfe\", \"sample_rate\": 20, \"channels\": [\"CH1\", \"CH9\"]}");
  g_assert_cmpuint (bad->status, ==, 400);
}

static void
test_security (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(HttpResult) info = get (f, "/api");
  g_autoptr(HttpResult) wrong = NULL, login = NULL, me = NULL, refresh = NULL, refresh_again = NULL, bad_refresh = NULL;
  g_autoptr(HttpResult) equipment = NULL;
  g_autofree char *refresh_body = NULL;
  JsonObject *o, *user;
  const char *access, *refresh_token;
  g_auto(GStrv) parts = NULL;

  g_assert_true (json_object_get_boolean_member (http_result_object (info), "security_enabled"));

  wrong = post (f, "/api/security/login", "{\"username\": \"admin\", \"password\": \"wrong-password\"}");
  assert_detail (wrong, 401, "{\"detail\":\"Invalid username or password\"}");

  login = post (f, "/api/security/login", "{\"username\": \"admin\", \"password\": \"secret-pw\"}");
  g_assert_cmpuint (login->status, ==, 200);
  o = http_result_object (login);
  access = object_get_str (o, "access_token");
  refresh_token = object_get_str (o, "refresh_token");
  g_assert_nonnull (access);
  g_assert_nonnull (refresh_token);
  g_assert_cmpstr (object_get_str (o, "token_type"), ==, "bearer");
  g_assert_cmpfloat (object_get_num (o, "expires_in"), ==, 1800);
  parts = g_strsplit (access, ".", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);   /* JWT-looking */
  user = json_object_get_object_member (o, "user");
  g_assert_cmpstr (object_get_str (user, "username"), ==, "admin");

  /* REST equipment routes answer without a token, as in 1.2.5 */
  equipment = get (f, "/api/equipment/list");
  g_assert_cmpuint (equipment->status, ==, 200);

  {
    g_autofree char *url = g_strconcat (f->url, "/api/security/me", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autofree char *auth = g_strdup_printf ("Bearer %s", access);
    g_autoptr(GBytes) body = NULL;

    soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
    body = soup_session_send_and_read (f->session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_nonnull (strstr (g_bytes_get_data (body, NULL), "\"username\":\"admin\""));
  }
  me = get (f, "/api/security/me");
  g_assert_cmpuint (me->status, ==, 401);

  refresh_body = g_strdup_printf ("{\"refresh_token\": \"%s\"}", refresh_token);
  refresh = post (f, "/api/security/refresh", refresh_body);
  g_assert_cmpuint (refresh->status, ==, 200);
  g_assert_cmpstr (object_get_str (http_result_object (refresh), "token_type"), ==, "bearer");
  g_assert_cmpstr (object_get_str (http_result_object (refresh), "access_token"), !=, access);
  /* a refresh token is single-use */
  refresh_again = post (f, "/api/security/refresh", refresh_body);
  assert_detail (refresh_again, 401, "{\"detail\":\"Invalid or expired refresh token\"}");
  bad_refresh = post (f, "/api/security/refresh", "{\"refresh_token\": \"not-a-jwt\"}");
  assert_detail (bad_refresh, 401, "{\"detail\":\"Invalid or expired refresh token\"}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sim/rest/info", Fixture, NULL, fixture_setup, test_info, fixture_teardown);
  g_test_add ("/sim/rest/equipment", Fixture, NULL, fixture_setup, test_equipment, fixture_teardown);
  g_test_add ("/sim/rest/timestamps", Fixture, NULL, fixture_setup, test_timestamps, fixture_teardown);
  g_test_add ("/sim/rest/snapshot", Fixture, NULL, fixture_setup, test_snapshot, fixture_teardown);
  g_test_add ("/sim/rest/psu-commands", Fixture, NULL, fixture_setup, test_psu_commands, fixture_teardown);
  g_test_add ("/sim/rest/load-and-scope-commands", Fixture, NULL, fixture_setup, test_load_and_scope_commands, fixture_teardown);
  g_test_add ("/sim/rest/waveform-capture", Fixture, NULL, fixture_setup, test_waveform_capture, fixture_teardown);
  g_test_add ("/sim/rest/acquisition", Fixture, NULL, fixture_setup, test_acquisition_rest, fixture_teardown);
  g_test_add ("/sim/rest/security", Fixture, "auth", fixture_setup, test_security, fixture_teardown);

  return g_test_run ();
}
