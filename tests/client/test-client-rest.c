/* test-client-rest.c — every LablinkClient call against a SoupServer
 * replaying the real server's recorded answers
 *
 * Logins: test-client-rest-login.c; malformed answers, network failures
 * and TLS: test-client-rest-failures.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "client-test-util.h"

#define ACQ_ID "ef958d84-9aec-47c8-9f5b-953407d0f2d1"
#define NAN_ACQ_ID "da3c9cc7-db72-47e4-8e0f-391eafc48747"

typedef TestReplay Fixture;

static const char *
member_string (JsonNode   *node,
               const char *name)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_string_member (json_node_get_object (node), name);
}

/* ------------------------------------------------------------------------ */
/* Calls                                                                    */

static void
test_info_health (Fixture       *fixture,
                  gconstpointer  data)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(JsonNode) health = NULL;
  g_autoptr(GError) error = NULL;

  test_replay_add (fixture, fixture->patched, "rest-discovery", "GET", "/api", 200, 0);
  test_replay_add (fixture, fixture->patched, "rest-discovery", "GET", "/health", 200, 0);

  lablink_client_get_info_async (fixture->client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  info = lablink_client_get_info_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (member_string (info, "version"), ==, "1.2.5");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (info), "security_enabled"));
  g_assert_cmpstr (mock_server_last_method (fixture->server), ==, "GET");
  g_assert_cmpstr (mock_server_last_path (fixture->server), ==, "/api");
  g_assert_null (mock_server_last_auth (fixture->server));

  lablink_client_get_health_async (fixture->client, NULL, test_waiter_cb, &waiter);
  result2 = test_waiter_wait (&waiter);
  health = lablink_client_get_health_finish (fixture->client, result2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (member_string (health, "status"), ==, "healthy");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (health), "connected_devices"), ==, 3);
}

static void
test_list_equipment (Fixture       *fixture,
                     gconstpointer  data)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  test_replay_add (fixture, fixture->patched, "rest-discovery", "GET", "/api/equipment/list", 200, 0);

  lablink_client_list_equipment_async (fixture->client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  list = lablink_client_list_equipment_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (lablink_equipment_get_id (list->pdata[0]), ==, "scope_386959fc");
  g_assert_cmpstr (lablink_equipment_get_id (list->pdata[1]), ==, "ps_250e6dfe");
  g_assert_cmpstr (lablink_equipment_get_id (list->pdata[2]), ==, "load_47fa0d5c");
  g_assert_cmpint (lablink_equipment_get_kind (list->pdata[1]), ==, LABLINK_EQUIPMENT_POWER_SUPPLY);
}

static void
test_list_equipment_upstream_empty (Fixture       *fixture,
                                    gconstpointer  data)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) upstream = test_fixture_load ("lablink-1.2.5-upstream.jsonl");

  test_replay_add (fixture, upstream, "acquisition", "GET", "/api/equipment/list", 200, 0);

  lablink_client_list_equipment_async (fixture->client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  list = lablink_client_list_equipment_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_list_equipment_invalid (Fixture       *fixture,
                             gconstpointer  data)
{
  static const char *bodies[] = {
    "{}",
    "[1]",
    "[{\"id\":7,\"type\":\"power_supply\"}]",
    "[{\"id\":\"ps\",\"type\":\"power_supply\",\"nickname\":[]}]",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      TestWaiter waiter = { 0 };
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) list = NULL;
      g_autoptr(GError) error = NULL;

      mock_server_add (fixture->server, "GET", "/api/equipment/list", 200, NULL, bodies[i], 0);
      lablink_client_list_equipment_async (fixture->client, NULL, test_waiter_cb, &waiter);
      result = test_waiter_wait (&waiter);
      list = lablink_client_list_equipment_finish (fixture->client, result, &error);
      g_test_message ("%s → %s", bodies[i], error != NULL ? error->message : "(accepted)");
      g_assert_null (list);
      g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD);
    }
}

static void
test_equipment_status (Fixture       *fixture,
                       gconstpointer  data)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(GError) error = NULL;

  test_replay_add (fixture, fixture->patched, "rest-discovery", "GET", "/api/equipment/ps_250e6dfe/status", 200, 0);
  test_replay_add (fixture, fixture->patched, "rest-discovery", "GET", "/api/equipment/nosuch_00000000/status", 404, 0);

  lablink_client_get_equipment_status_async (fixture->client, "ps_250e6dfe", NULL,
                                             test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  status = lablink_client_get_equipment_status_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (member_string (status, "firmware_version"), ==, "v2.1.0-mock");
  g_assert_true (json_object_has_member (json_node_get_object (status), "capabilities"));

  lablink_client_get_equipment_status_async (fixture->client, "nosuch_00000000", NULL,
                                             test_waiter_cb, &waiter);
  result2 = test_waiter_wait (&waiter);
  missing = lablink_client_get_equipment_status_finish (fixture->client, result2, &error);
  g_assert_null (missing);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Device not found"));
  g_assert_nonnull (strstr (error->message, "404"));
}

static void
test_path_escaping (Fixture       *fixture,
                    gconstpointer  data)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(GError) error = NULL;

  /* SoupServer hands handlers the decoded path: had "?" or " " not been
   * escaped, the path would end at them (or the request be invalid). */
  mock_server_add (fixture->server, "GET", "/api/equipment/a/b c?/status", 200, NULL,
                   "{\"id\":\"a/b c?\"}", 0);
  lablink_client_get_equipment_status_async (fixture->client, "a/b c?", NULL, test_waiter_cb,
                                             &waiter);
  result = test_waiter_wait (&waiter);
  status = lablink_client_get_equipment_status_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mock_server_last_path (fixture->server), ==, "/api/equipment/a/b c?/status");
  g_assert_cmpstr (member_string (status, "id"), ==, "a/b c?");
}

static void
test_invalid_arguments (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;

  lablink_client_get_equipment_status_async (fixture->client, "", NULL, test_waiter_cb, &waiter);
  r1 = test_waiter_wait (&waiter);
  node = lablink_client_get_equipment_status_finish (fixture->client, r1, &error);
  g_assert_null (node);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  lablink_client_control_acquisition_async (fixture->client, "x", "explode", NULL,
                                            test_waiter_cb, &waiter);
  r2 = test_waiter_wait (&waiter);
  g_assert_false (lablink_client_control_acquisition_finish (fixture->client, r2, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  lablink_client_request_async (fixture->client, "GET", "api", NULL, NULL, test_waiter_cb, &waiter);
  r3 = test_waiter_wait (&waiter);
  g_assert_null (lablink_client_request_finish (fixture->client, r3, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);

  g_assert_cmpuint (mock_server_get_n_requests (fixture->server), ==, 0);
}

static void
test_readings_not_supported (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) readings = NULL;

  test_replay_add (fixture, fixture->patched, "rest-discovery", "GET", "/api/equipment/scope_386959fc/readings", 501, 0);
  test_replay_add (fixture, fixture->patched, "rest-discovery", "GET", "/api/equipment/ps_250e6dfe/readings", 200, 0);

  node = test_client_request (fixture->client, "GET", "/api/equipment/scope_386959fc/readings", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_HTTP);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "does not support readings"));
  g_assert_nonnull (strstr (error->message, "501"));
  g_clear_error (&error);

  readings = test_client_request (fixture->client, "GET", "/api/equipment/ps_250e6dfe/readings", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (member_string (readings, "equipment_id"), ==, "ps_250e6dfe");
}

static JsonNode *
snapshot (Fixture     *fixture,
          const char  *id,
          const char  *type,
          GError     **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_get_snapshot_async (fixture->client, id, type, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_get_snapshot_finish (fixture->client, result, error);
}

static void
test_snapshots (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) readings = NULL;
  g_autoptr(JsonNode) measurements = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(JsonNode) spectrum = NULL;

  test_replay_add (fixture, fixture->patched, "rest-discovery", "GET", "/api/data/ps_250e6dfe/snapshot?data_type=readings", 200, 0);
  test_replay_add (fixture, fixture->patched, "rest-discovery", "GET", "/api/data/scope_386959fc/snapshot?data_type=measurements", 200, 0);
  test_replay_add (fixture, fixture->patched, "rest-discovery", "GET", "/api/data/scope_386959fc/snapshot?data_type=readings", 500, 0);
  test_replay_add (fixture, fixture->patched, "rest-discovery", "GET", "/api/data/ps_250e6dfe/snapshot?data_type=spectrum", 400, 0);

  readings = snapshot (fixture, "ps_250e6dfe", "readings", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mock_server_last_path (fixture->server), ==,
                   "/api/data/ps_250e6dfe/snapshot?data_type=readings");
  g_assert_cmpstr (member_string (readings, "equipment_id"), ==, "ps_250e6dfe");

  measurements = snapshot (fixture, "scope_386959fc", "measurements", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (measurements), "freq"), ==, 1000.0);

  bad = snapshot (fixture, "scope_386959fc", "readings", &error);
  g_assert_null (bad);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_HTTP);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Unknown command: get_readings"));
  g_clear_error (&error);

  spectrum = snapshot (fixture, "ps_250e6dfe", "spectrum", &error);
  g_assert_null (spectrum);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "Unknown data type: spectrum"));
}

static void
test_command (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) parameters = json_object_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) answer2 = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) sent2 = NULL;
  g_autoptr(JsonNode) locked = NULL;
  JsonObject *body;
  JsonObject *params;
  g_autofree char *first_id = NULL;

  test_replay_add (fixture, fixture->patched, "rest-setup", "POST", "/api/equipment/ps_250e6dfe/command", 200, 0);

  json_object_set_double_member (parameters, "voltage", 5.0);
  json_object_set_int_member (parameters, "channel", 1);
  answer = test_client_send_command (fixture->client, "ps_250e6dfe", "set_voltage", parameters, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (answer), "success"));

  g_assert_cmpstr (mock_server_last_method (fixture->server), ==, "POST");
  sent = mock_server_last_json (fixture->server);
  body = json_node_get_object (sent);
  g_assert_cmpstr (json_object_get_string_member (body, "equipment_id"), ==, "ps_250e6dfe");
  g_assert_cmpstr (json_object_get_string_member (body, "action"), ==, "set_voltage");
  first_id = g_strdup (json_object_get_string_member (body, "command_id"));
  g_assert_cmpuint (strlen (first_id), >, 0);
  params = json_object_get_object_member (body, "parameters");
  g_assert_cmpfloat (json_object_get_double_member (params, "voltage"), ==, 5.0);
  g_assert_cmpint (json_object_get_int_member (params, "channel"), ==, 1);

  /* a second command gets another id; no parameters → {} */
  answer2 = test_client_send_command (fixture->client, "ps_250e6dfe", "get_readings", NULL, &error);
  g_assert_no_error (error);
  sent2 = mock_server_last_json (fixture->server);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent2), "command_id"), !=, first_id);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_node_get_object (sent2), "parameters")), ==, 0);

  /* locks enabled: 401 with the server's reason, a lock to take (not a login) */
  test_replay_add (fixture, fixture->patched, "rest-setup", "POST", "/api/equipment/ps_250e6dfe/command", 401, 0);
  locked = test_client_send_command (fixture->client, "ps_250e6dfe", "set_voltage", parameters, &error);
  g_assert_null (locked);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_LOCKED);
  g_assert_null (strstr (error->message, "login"));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "session_id required"));
}

static void
test_command_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;

  mock_server_add (fixture->server, "POST", "/api/equipment/ps_1/command", 200, NULL,
                   "{\"command_id\":\"x\",\"success\":false,\"data\":null,"
                   "\"error\":\"Unknown command: fly\",\"timestamp\":\"2026-11-25T17:39:49.035129\"}", 0);
  answer = test_client_send_command (fixture->client, "ps_1", "fly", NULL, &error);
  g_assert_null (answer);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "Unknown command: fly"));
}

static void
test_waveform_capture (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) wave = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) disabled = NULL;
  JsonObject *object;

  test_replay_add (fixture, fixture->patched, "rest-waveform-capture", "POST", "/api/waveform/capture", 200, 0);

  wave = test_client_capture_waveform (fixture->client, "scope_386959fc", 1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (wave);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "voltage_data")), ==, 1000);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "time_data")), ==, 1000);

  sent = mock_server_last_json (fixture->server);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent), "equipment_id"), ==, "scope_386959fc");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (sent), "config"), "channel"), ==, 1);

  test_replay_add (fixture, fixture->patched, "rest-waveform-capture", "POST", "/api/waveform/capture", 400, 0);
  disabled = test_client_capture_waveform (fixture->client, "scope_386959fc", 3, &error);
  g_assert_null (disabled);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "Channel 3 is not enabled"));
}

static gboolean
control (Fixture     *fixture,
         const char  *id,
         const char  *action,
         GError     **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_control_acquisition_async (fixture->client, id, action, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_control_acquisition_finish (fixture->client, result, error);
}

static void
test_acquisition (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) config = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(JsonNode) samples = NULL;
  g_autoptr(JsonNode) sessions = NULL;
  g_autofree char *id = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GAsyncResult) r4 = NULL;
  g_autoptr(GAsyncResult) r5 = NULL;
  static const char *actions[] = { "start", "pause", "resume", "stop" };

  test_replay_add (fixture, fixture->patched, "acquisition", "POST", "/api/acquisition/session/create", 200, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/acquisition/session/" ACQ_ID "/%s", actions[i]);
      test_replay_add (fixture, fixture->patched, "acquisition", "POST", path, 200, 0);
    }
  test_replay_add (fixture, fixture->patched, "acquisition", "GET", "/api/acquisition/session/" ACQ_ID "/status", 200, 0);
  test_replay_add (fixture, fixture->patched, "acquisition", "GET", "/api/acquisition/session/" ACQ_ID "/data?num_samples=100", 200, 0);
  test_replay_add (fixture, fixture->patched, "acquisition", "GET", "/api/acquisition/sessions", 200, 0);
  test_replay_add (fixture, fixture->patched, "acquisition", "DELETE", "/api/acquisition/session/" ACQ_ID, 200, 0);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "equipment_id");
  json_builder_add_string_value (builder, "ps_250e6dfe");
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, "continuous");
  json_builder_set_member_name (builder, "sample_rate");
  json_builder_add_int_value (builder, 20);
  json_builder_set_member_name (builder, "channels");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "CH1");
  json_builder_add_string_value (builder, "CH2");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  config = json_builder_get_root (builder);

  lablink_client_create_acquisition_async (fixture->client, json_node_get_object (config), NULL,
                                           test_waiter_cb, &waiter);
  r1 = test_waiter_wait (&waiter);
  id = lablink_client_create_acquisition_finish (fixture->client, r1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, ACQ_ID);
  sent = mock_server_last_json (fixture->server);
  g_assert_true (json_node_equal (sent, config));

  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/acquisition/session/" ACQ_ID "/%s", actions[i]);

      g_assert_true (control (fixture, id, actions[i], &error));
      g_assert_no_error (error);
      g_assert_cmpstr (mock_server_last_method (fixture->server), ==, "POST");
      g_assert_cmpstr (mock_server_last_path (fixture->server), ==, path);
    }

  lablink_client_get_acquisition_status_async (fixture->client, id, NULL, test_waiter_cb, &waiter);
  r2 = test_waiter_wait (&waiter);
  status = lablink_client_get_acquisition_status_finish (fixture->client, r2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (member_string (status, "state"), ==, "acquiring");

  lablink_client_get_acquisition_data_async (fixture->client, id, 100, NULL, test_waiter_cb, &waiter);
  r3 = test_waiter_wait (&waiter);
  samples = lablink_client_get_acquisition_data_finish (fixture->client, r3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (samples), "count"), ==, 43);

  lablink_client_list_acquisitions_async (fixture->client, NULL, test_waiter_cb, &waiter);
  r4 = test_waiter_wait (&waiter);
  sessions = lablink_client_list_acquisitions_finish (fixture->client, r4, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (sessions), "count"), ==, 1);

  lablink_client_delete_acquisition_async (fixture->client, id, NULL, test_waiter_cb, &waiter);
  r5 = test_waiter_wait (&waiter);
  g_assert_true (lablink_client_delete_acquisition_finish (fixture->client, r5, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mock_server_last_method (fixture->server), ==, "DELETE");
}

static void
test_acquisition_failures (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) samples = NULL;
  g_autoptr(JsonNode) status = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;

  /* the NaN acquisition: REST answers 500 text/plain */
  test_replay_add (fixture, fixture->patched, "acquisition-nan", "GET", "/api/acquisition/session/" NAN_ACQ_ID "/data?num_samples=5", 500, 0);
  test_replay_add (fixture, fixture->patched, "acquisition-nan", "GET", "/api/acquisition/session/" NAN_ACQ_ID "/status", 500, 0);

  lablink_client_get_acquisition_data_async (fixture->client, NAN_ACQ_ID, 5, NULL, test_waiter_cb, &waiter);
  r1 = test_waiter_wait (&waiter);
  samples = lablink_client_get_acquisition_data_finish (fixture->client, r1, &error);
  g_assert_null (samples);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_HTTP);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Internal Server Error"));
  g_assert_nonnull (strstr (error->message, "HTTP 500"));
  g_clear_error (&error);

  lablink_client_get_acquisition_status_async (fixture->client, NAN_ACQ_ID, NULL, test_waiter_cb, &waiter);
  r2 = test_waiter_wait (&waiter);
  status = lablink_client_get_acquisition_status_finish (fixture->client, r2, &error);
  g_assert_null (status);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_HTTP);
  g_clear_error (&error);

  /* "success": false, and a missing "success" */
  mock_server_add (fixture->server, "POST", "/api/acquisition/session/x/stop", 200, NULL,
                   "{\"success\":false,\"message\":\"Acquisition is not running\"}", 0);
  g_assert_false (control (fixture, "x", "stop", &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "Acquisition is not running"));
  g_clear_error (&error);

  mock_server_add (fixture->server, "POST", "/api/acquisition/session/x/start", 200, NULL,
                   "{\"message\":\"ok?\"}", 0);
  g_assert_false (control (fixture, "x", "start", &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD);
  g_clear_error (&error);

  mock_server_add (fixture->server, "POST", "/api/acquisition/session/x/pause", 404, NULL,
                   "{\"detail\":\"Acquisition session x not found\"}", 0);
  g_assert_false (control (fixture, "x", "pause", &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND);
}

static void
test_nan_body (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *values;

  /* bare NaN/Infinity, as the real server writes them in frames */
  mock_server_add (fixture->server, "GET", "/nan", 200, NULL,
                   "{\"values\":{\"CH1\":[5.0,NaN],\"CH9\":[Infinity,-Infinity]}}", 0);
  node = test_client_request (fixture->client, "GET", "/nan", NULL, &error);
  g_assert_no_error (error);
  values = json_object_get_object_member (json_node_get_object (node), "values");
  g_assert_true (isnan (json_array_get_double_element (json_object_get_array_member (values, "CH1"), 1)));
  g_assert_true (isinf (json_array_get_double_element (json_object_get_array_member (values, "CH9"), 0)));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TEST_REPLAY_ADD ("/rest/info-health", test_info_health);
  TEST_REPLAY_ADD ("/rest/equipment/list", test_list_equipment);
  TEST_REPLAY_ADD ("/rest/equipment/list-upstream-empty", test_list_equipment_upstream_empty);
  TEST_REPLAY_ADD ("/rest/equipment/list-invalid", test_list_equipment_invalid);
  TEST_REPLAY_ADD ("/rest/equipment/status", test_equipment_status);
  TEST_REPLAY_ADD ("/rest/equipment/path-escaping", test_path_escaping);
  TEST_REPLAY_ADD ("/rest/equipment/readings", test_readings_not_supported);
  TEST_REPLAY_ADD ("/rest/invalid-arguments", test_invalid_arguments);
  TEST_REPLAY_ADD ("/rest/snapshots", test_snapshots);
  TEST_REPLAY_ADD ("/rest/command", test_command);
  TEST_REPLAY_ADD ("/rest/command-refused", test_command_refused);
  TEST_REPLAY_ADD ("/rest/waveform-capture", test_waveform_capture);
  TEST_REPLAY_ADD ("/rest/acquisition", test_acquisition);
  TEST_REPLAY_ADD ("/rest/acquisition-failures", test_acquisition_failures);
  TEST_REPLAY_ADD ("/rest/nan-body", test_nan_body);

  return g_test_run ();
}
