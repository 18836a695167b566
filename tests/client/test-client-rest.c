/* test-client-rest.c — every LablinkClient call against a SoupServer
 * replaying the real server's recorded answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

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

static JsonNode *
capture (Fixture     *fixture,
         guint        channel,
         GError     **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_capture_waveform_async (fixture->client, "scope_386959fc", channel, NULL,
                                         test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_capture_waveform_finish (fixture->client, result, error);
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

  wave = capture (fixture, 1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (wave);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "voltage_data")), ==, 1000);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "time_data")), ==, 1000);

  sent = mock_server_last_json (fixture->server);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent), "equipment_id"), ==, "scope_386959fc");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (sent), "config"), "channel"), ==, 1);

  test_replay_add (fixture, fixture->patched, "rest-waveform-capture", "POST", "/api/waveform/capture", 400, 0);
  disabled = capture (fixture, 3, &error);
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

/* ------------------------------------------------------------------------ */
/* Login                                                                    */

static gboolean
login (Fixture     *fixture,
       const char  *user,
       const char  *password,
       GError     **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_login_async (fixture->client, user, password, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_login_finish (fixture->client, result, error);
}

static gboolean
refresh (Fixture  *fixture,
         GError  **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_refresh_async (fixture->client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_refresh_finish (fixture->client, result, error);
}

static char *
body_member (JsonObject *rest,
             const char *name)
{
  g_autoptr(JsonNode) body = lablink_json_parse (json_object_get_string_member (rest, "body"), -1, NULL);

  return g_strdup (json_object_get_string_member (json_node_get_object (body), name));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_login (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JsonObject *refused, *accepted, *refreshed, *refresh_refused;
  g_autofree char *token = NULL;
  g_autofree char *refresh_token = NULL;
  g_autofree char *new_token = NULL;
  g_autofree char *bearer = NULL;
  g_autofree char *ws = NULL;
  g_autofree char *expected_ws = NULL;
  g_autofree char *escaped = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) sent_refresh = NULL;
  g_autoptr(GPtrArray) list = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  guint notified_logged_in = 0, notified_username = 0;

  refused = test_fixture_find_rest (fixture->auth, "auth", "POST", "/api/security/login", 401, 0);
  accepted = test_fixture_find_rest (fixture->auth, "auth", "POST", "/api/security/login", 200, 0);
  refreshed = test_fixture_find_rest (fixture->auth, "auth", "POST", "/api/security/refresh", 200, 0);
  refresh_refused = test_fixture_find_rest (fixture->auth, "auth", "POST", "/api/security/refresh", 401, 0);
  token = body_member (accepted, "access_token");
  refresh_token = body_member (accepted, "refresh_token");
  new_token = body_member (refreshed, "access_token");
  test_replay_add (fixture, fixture->auth, "auth", "GET", "/api/equipment/list", 200, 0);

  g_signal_connect (fixture->client, "notify::logged-in", G_CALLBACK (count_notify), &notified_logged_in);
  g_signal_connect (fixture->client, "notify::username", G_CALLBACK (count_notify), &notified_username);

  /* refresh before any login */
  g_assert_false (refresh (fixture, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_clear_error (&error);

  /* wrong password */
  mock_server_add_fixture (fixture->server, refused);
  g_assert_false (login (fixture, "admin", "wrong-password", &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Invalid username or password. 4 attempts remaining."));
  g_assert_null (strstr (error->message, "wrong-password"));
  g_clear_error (&error);
  g_assert_false (lablink_client_get_logged_in (fixture->client));
  g_assert_cmpuint (notified_logged_in, ==, 0);

  /* the login request: JSON credentials, no Authorization */
  sent = mock_server_last_json (fixture->server);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent), "username"), ==, "admin");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent), "password"), ==, "wrong-password");
  g_assert_null (mock_server_last_auth (fixture->server));

  /* good password */
  mock_server_add_fixture (fixture->server, accepted);
  g_assert_true (login (fixture, "admin", "Peer-Test-123", &error));
  g_assert_no_error (error);
  g_assert_true (lablink_client_get_logged_in (fixture->client));
  g_assert_cmpstr (lablink_client_get_username (fixture->client), ==, "admin");
  g_assert_cmpstr (lablink_client_get_access_token (fixture->client), ==, token);
  g_assert_cmpuint (notified_logged_in, ==, 1);
  g_assert_cmpuint (notified_username, ==, 1);

  escaped = g_uri_escape_string (token, NULL, FALSE);
  expected_ws = g_strdup_printf ("ws://%s/ws?token=%s",
                                 mock_server_get_url (fixture->server) + strlen ("http://"), escaped);
  ws = lablink_client_dup_ws_url (fixture->client);
  g_assert_cmpstr (ws, ==, expected_ws);

  /* every REST request now carries the token */
  lablink_client_list_equipment_async (fixture->client, NULL, test_waiter_cb, &waiter);
  r1 = test_waiter_wait (&waiter);
  list = lablink_client_list_equipment_finish (fixture->client, r1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  bearer = g_strconcat ("Bearer ", token, NULL);
  g_assert_cmpstr (mock_server_last_auth (fixture->server), ==, bearer);

  /* refresh: sends the refresh token, keeps the new access token */
  mock_server_add_fixture (fixture->server, refreshed);
  g_assert_true (refresh (fixture, &error));
  g_assert_no_error (error);
  sent_refresh = mock_server_last_json (fixture->server);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent_refresh), "refresh_token"), ==, refresh_token);
  g_assert_cmpstr (lablink_client_get_access_token (fixture->client), ==, new_token);
  g_assert_true (lablink_client_get_logged_in (fixture->client));
  g_assert_cmpuint (notified_logged_in, ==, 1);

  /* a refused refresh */
  mock_server_add_fixture (fixture->server, refresh_refused);
  g_assert_false (refresh (fixture, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "Invalid or expired refresh token"));
  g_clear_error (&error);

  /* logout: no token any more */
  lablink_client_logout (fixture->client);
  g_assert_false (lablink_client_get_logged_in (fixture->client));
  g_assert_null (lablink_client_get_username (fixture->client));
  g_assert_cmpuint (notified_logged_in, ==, 2);
  g_assert_cmpuint (notified_username, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);
  lablink_client_list_equipment_async (fixture->client, NULL, test_waiter_cb, &waiter);
  r2 = test_waiter_wait (&waiter);
  list = lablink_client_list_equipment_finish (fixture->client, r2, &error);
  g_assert_no_error (error);
  g_assert_null (mock_server_last_auth (fixture->server));
}

static void
test_forbidden (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  mock_server_add (fixture->server, "GET", "/api/equipment/list", 403, "text/plain", "", 0);
  node = test_client_request (fixture->client, "GET", "/api/equipment/list", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "log in"));
}

/* ------------------------------------------------------------------------ */
/* Malformed and oversized answers                                          */

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(JsonNode) node3 = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  mock_server_add (fixture->server, "GET", "/api", 200, "text/html", "<html>hello</html>", 0);
  lablink_client_get_info_async (fixture->client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  node = lablink_client_get_info_finish (fixture->client, result, &error);
  g_assert_null (node);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_MALFORMED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  mock_server_add (fixture->server, "GET", "/truncated", 200, NULL, "{\"a\":[1,2", 0);
  node2 = test_client_request (fixture->client, "GET", "/truncated", NULL, &error);
  g_assert_null (node2);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_MALFORMED);
  g_clear_error (&error);

  /* a JSON error body with a FastAPI validation list */
  mock_server_add (fixture->server, "POST", "/api/acquisition/session/create", 422, NULL,
                   "{\"detail\":[{\"loc\":[\"body\",\"sample_rate\"],\"msg\":\"field required\","
                   "\"type\":\"value_error.missing\"}]}", 0);
  node3 = test_client_request (fixture->client, "POST", "/api/acquisition/session/create", NULL, &error);
  g_assert_null (node3);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_HTTP);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "body.sample_rate: field required"));
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) wave = NULL;
  g_autoptr(JsonNode) chunked = NULL;
  g_autoptr(JsonNode) fits = NULL;
  JsonObject *rest;

  rest = test_fixture_find_rest (fixture->patched, "rest-waveform-capture", "POST", "/api/waveform/capture", 200, 0);
  mock_server_add_fixture (fixture->server, rest);
  mock_server_add (fixture->server, "GET", "/chunked", 200, NULL,
                   json_object_get_string_member (rest, "body"), MOCK_CHUNKED);

  lablink_client_set_max_response_size (fixture->client, 10000);

  /* announced by Content-Length */
  wave = capture (fixture, 1, &error);
  g_assert_null (wave);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* only seen while reading */
  chunked = test_client_request (fixture->client, "GET", "/chunked", NULL, &error);
  g_assert_null (chunked);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* the same, chunked, under the limit */
  lablink_client_set_max_response_size (fixture->client, 1000000);
  fits = test_client_request (fixture->client, "GET", "/chunked", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (fits));
}

static void
test_redirect_not_followed (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  lablink_client_set_access_token (fixture->client, "secret-token");
  mock_server_add (fixture->server, "GET", "/api", 302, "text/plain", "", 0);
  mock_server_add_header (fixture->server, "GET", "/api", "Location", "http://127.0.0.1:1/api");
  node = test_client_request (fixture->client, "GET", "/api", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_HTTP);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "redirected"));
  g_assert_null (strstr (error->message, "secret-token"));
  g_assert_cmpuint (mock_server_get_n_requests (fixture->server), ==, 1);
}

/* ------------------------------------------------------------------------ */
/* Network failures                                                         */

static void
test_connection_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", test_free_port ());
  g_autoptr(LablinkClient) client = lablink_client_new (url, &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) info = NULL;
  g_autofree char *expected = NULL;
  TestWaiter waiter = { 0 };

  g_assert_no_error (error);
  lablink_client_get_info_async (client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  info = lablink_client_get_info_finish (client, result, &error);
  g_assert_null (info);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  expected = g_strdup_printf ("Could not connect to %s: is the LabLink server running?", url);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* The server never answers: the client's own timeout (1 s) ends the
   * request, long before the test's deadline. */
  mock_server_add (fixture->server, "GET", "/api", 200, NULL, "{}", MOCK_HANG);
  lablink_client_set_timeout (fixture->client, 1);
  node = test_client_request (fixture->client, "GET", "/api", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "did not answer"));
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  TestWaiter waiter = { 0 };

  mock_server_add (fixture->server, "GET", "/api", 200, NULL, "{}", MOCK_HANG);
  g_timeout_add (100, cancel_later, cancellable);
  lablink_client_get_info_async (fixture->client, cancellable, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  node = lablink_client_get_info_finish (fixture->client, result, &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* already cancelled: nothing is sent */
  g_cancellable_cancel (cancelled);
  lablink_client_get_health_async (fixture->client, cancelled, test_waiter_cb, &waiter);
  result2 = test_waiter_wait (&waiter);
  node2 = lablink_client_get_health_finish (fixture->client, result2, &error);
  g_assert_null (node2);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
tls_available (void)
{
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return FALSE;
    }
  return TRUE;
}

/* The TLS tests run in a child process that ends with _exit(): the leak
 * checker of GCC 12 crashes at exit on the thread-local storage of the
 * dlopen()ed TLS module (glib-networking), which has nothing to do with
 * this code. */
static gboolean
run_in_child (void)
{
  if (g_test_subprocess ())
    return TRUE;

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  return FALSE;
}

static void
test_tls_plain_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(LablinkClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) info = NULL;
  TestWaiter waiter = { 0 };
  MockServer *server;

  if (!tls_available () || !run_in_child ())
    return;

  /* https:// to a server that does not speak TLS: the handshake never
   * completes (the server waits for a request line) */
  server = mock_server_new ();
  url = g_strconcat ("https://", mock_server_get_url (server) + strlen ("http://"), NULL);
  client = lablink_client_new (url, &error);
  g_assert_no_error (error);
  lablink_client_set_timeout (client, 2);
  lablink_client_get_info_async (client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  info = lablink_client_get_info_finish (client, result, &error);
  g_assert_null (info);
  g_assert_nonnull (error);
  g_test_message ("%s (%s %d)", error->message, g_quark_to_string (error->domain), error->code);
  g_assert_nonnull (strstr (error->message, url));
  g_assert_nonnull (strstr (error->message, "http://"));

  _exit (0);
}

/* A plain HTTP server that answers whatever it reads with "400 Bad Request"
 * and closes, as web servers do with a TLS ClientHello. */
static gboolean
answer_bad_request (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source,
                    gpointer           user_data)
{
  static const char answer[] = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"
                               "Content-Length: 0\r\n\r\n";
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  char buffer[512];

  (void) g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                              buffer, sizeof buffer, NULL, NULL);
  (void) g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
  (void) g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
test_tls_plain_server_answers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(LablinkClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(GSocketService) service = NULL;
  TestWaiter waiter = { 0 };
  guint16 port;

  if (!tls_available () || !run_in_child ())
    return;

  /* the threaded service answers on its own thread while this one waits */
  service = g_threaded_socket_service_new (2);
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (answer_bad_request), NULL);
  g_socket_service_start (service);

  url = g_strdup_printf ("https://127.0.0.1:%u", port);
  client = lablink_client_new (url, &error);
  g_assert_no_error (error);
  lablink_client_set_timeout (client, 30);
  lablink_client_get_info_async (client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  info = lablink_client_get_info_finish (client, result, &error);
  g_assert_null (info);
  g_assert_nonnull (error);
  g_test_message ("%s (%s %d)", error->message, g_quark_to_string (error->domain), error->code);
  /* an answer, not a timeout: the 30 s are never waited for */
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  g_assert_nonnull (strstr (error->message, url));
  g_assert_nonnull (strstr (error->message, "http://"));

  _exit (0);
}

static void
test_tls_untrusted (void)
{
  g_autoptr(GError) error = NULL;
  MockServer *server;
  g_autoptr(LablinkClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) info = NULL;
  TestWaiter waiter = { 0 };

  if (!tls_available () || !run_in_child ())
    return;

  server = mock_server_new_tls ();
  mock_server_add (server, "GET", "/api", 200, NULL, "{\"name\":\"LabLink Server\"}", 0);
  g_assert_true (g_str_has_prefix (mock_server_get_url (server), "https://"));

  client = lablink_client_new (mock_server_get_url (server), &error);
  g_assert_no_error (error);
  lablink_client_set_timeout (client, 10);
  lablink_client_get_info_async (client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  info = lablink_client_get_info_finish (client, result, &error);
  g_assert_null (info);
  g_test_message ("%s", error->message);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_UNTRUSTED_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, "not trusted"));
  g_assert_nonnull (strstr (error->message, "SHA256:"));
  /* the self-signed server never saw a request */
  g_assert_cmpuint (mock_server_get_n_requests (server), ==, 0);

  _exit (0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, test_replay_setup, func, test_replay_teardown)

  ADD ("/rest/info-health", test_info_health);
  ADD ("/rest/equipment/list", test_list_equipment);
  ADD ("/rest/equipment/list-upstream-empty", test_list_equipment_upstream_empty);
  ADD ("/rest/equipment/list-invalid", test_list_equipment_invalid);
  ADD ("/rest/equipment/status", test_equipment_status);
  ADD ("/rest/equipment/path-escaping", test_path_escaping);
  ADD ("/rest/equipment/readings", test_readings_not_supported);
  ADD ("/rest/invalid-arguments", test_invalid_arguments);
  ADD ("/rest/snapshots", test_snapshots);
  ADD ("/rest/command", test_command);
  ADD ("/rest/command-refused", test_command_refused);
  ADD ("/rest/waveform-capture", test_waveform_capture);
  ADD ("/rest/acquisition", test_acquisition);
  ADD ("/rest/acquisition-failures", test_acquisition_failures);
  ADD ("/rest/nan-body", test_nan_body);
  ADD ("/rest/login", test_login);
  ADD ("/rest/forbidden", test_forbidden);
  ADD ("/rest/malformed", test_malformed);
  ADD ("/rest/too-large", test_too_large);
  ADD ("/rest/redirect", test_redirect_not_followed);
  ADD ("/rest/timeout", test_timeout);
  ADD ("/rest/cancel", test_cancel);
  g_test_add_func ("/rest/connection-refused", test_connection_refused);
  g_test_add_func ("/rest/tls-untrusted", test_tls_untrusted);
  g_test_add_func ("/rest/tls-plain-server", test_tls_plain_server);
  g_test_add_func ("/rest/tls-plain-server-answers", test_tls_plain_server_answers);

  return g_test_run ();
}
