/* test-client-sim.c — LablinkClient against the simulator executable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "client-test-util.h"

typedef struct {
  TestSim *sim;
  LablinkClient *client;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = test_sim_spawn (data);
  if (fixture->sim == NULL)
    return;
  fixture->client = lablink_client_new (test_sim_get_url (fixture->sim), &error);
  g_assert_no_error (error);
  lablink_client_set_timeout (fixture->client, 10);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->sim, test_sim_free);
}

static void
test_info_and_list (Fixture       *fixture,
                    gconstpointer  data)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(JsonNode) health = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gboolean seen[3] = { FALSE, FALSE, FALSE };

  if (fixture->sim == NULL)
    return;

  lablink_client_get_info_async (fixture->client, NULL, test_waiter_cb, &waiter);
  r1 = test_waiter_wait (&waiter);
  info = lablink_client_get_info_finish (fixture->client, r1, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (json_node_get_object (info), "version"));

  lablink_client_get_health_async (fixture->client, NULL, test_waiter_cb, &waiter);
  r2 = test_waiter_wait (&waiter);
  health = lablink_client_get_health_finish (fixture->client, r2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (health), "status"), ==, "healthy");

  lablink_client_list_equipment_async (fixture->client, NULL, test_waiter_cb, &waiter);
  r3 = test_waiter_wait (&waiter);
  list = lablink_client_list_equipment_finish (fixture->client, r3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, >=, 3);

  for (guint i = 0; i < list->len; i++)
    {
      LablinkEquipment *e = list->pdata[i];
      const char *id = lablink_equipment_get_id (e);

      if (g_str_equal (id, "ps_250e6dfe"))
        {
          seen[0] = TRUE;
          g_assert_cmpint (lablink_equipment_get_kind (e), ==, LABLINK_EQUIPMENT_POWER_SUPPLY);
        }
      else if (g_str_equal (id, "scope_386959fc"))
        {
          seen[1] = TRUE;
          g_assert_cmpint (lablink_equipment_get_kind (e), ==, LABLINK_EQUIPMENT_OSCILLOSCOPE);
        }
      else if (g_str_equal (id, "load_47fa0d5c"))
        {
          seen[2] = TRUE;
          g_assert_cmpint (lablink_equipment_get_kind (e), ==, LABLINK_EQUIPMENT_ELECTRONIC_LOAD);
        }
    }
  g_assert_true (seen[0] && seen[1] && seen[2]);
}

static void
test_status (Fixture       *fixture,
             gconstpointer  data)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(GError) error = NULL;

  if (fixture->sim == NULL)
    return;

  lablink_client_get_equipment_status_async (fixture->client, "ps_250e6dfe", NULL, test_waiter_cb, &waiter);
  r1 = test_waiter_wait (&waiter);
  status = lablink_client_get_equipment_status_finish (fixture->client, r1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (status), "id"), ==, "ps_250e6dfe");
  g_assert_true (json_object_has_member (json_node_get_object (status), "capabilities"));

  lablink_client_get_equipment_status_async (fixture->client, "nosuch_00000000", NULL, test_waiter_cb, &waiter);
  r2 = test_waiter_wait (&waiter);
  missing = lablink_client_get_equipment_status_finish (fixture->client, r2, &error);
  g_assert_null (missing);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND);
}

static double
readings_member (Fixture    *fixture,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) readings = test_client_request (fixture->client, "GET", "/api/equipment/ps_250e6dfe/readings", NULL, &error);

  g_assert_no_error (error);
  return json_object_get_double_member (json_node_get_object (readings), name);
}

static void
test_command_reflected (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) voltage = json_object_new ();
  g_autoptr(JsonObject) output = json_object_new ();
  g_autoptr(JsonNode) a1 = NULL;
  g_autoptr(JsonNode) a2 = NULL;
  g_autoptr(JsonNode) snapshot = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  gboolean reached = FALSE;

  if (fixture->sim == NULL)
    return;

  /* the simulator, as LabLink 1.2.5, needs the lock to control the PSU */
  lablink_client_acquire_lock_async (fixture->client, "ps_250e6dfe", LABLINK_LOCK_MODE_EXCLUSIVE, FALSE, NULL,
                                     test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  g_assert_true (lablink_client_acquire_lock_finish (fixture->client, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  waiter = (TestWaiter) { 0 };

  json_object_set_double_member (voltage, "voltage", 4.2);
  json_object_set_int_member (voltage, "channel", 1);
  a1 = test_client_send_command (fixture->client, "ps_250e6dfe", "set_voltage", voltage, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (a1), "success"));

  json_object_set_boolean_member (output, "enabled", TRUE);
  json_object_set_int_member (output, "channel", 1);
  a2 = test_client_send_command (fixture->client, "ps_250e6dfe", "set_output", output, &error);
  g_assert_no_error (error);

  g_assert_cmpfloat_with_epsilon (readings_member (fixture, "voltage_set"), 4.2, 1e-9);

  /* the output settles on the set voltage */
  for (int i = 0; i < TEST_TIMEOUT_MS / 100 && !reached; i++)
    {
      reached = fabs (readings_member (fixture, "voltage_actual") - 4.2) < 0.05;
      if (!reached)
        test_run_for (100);
    }
  g_assert_true (reached);

  /* the snapshot (polling fallback) says the same */
  lablink_client_get_snapshot_async (fixture->client, "ps_250e6dfe", "readings", NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  snapshot = lablink_client_get_snapshot_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_node_get_object (snapshot), "voltage_set"), 4.2, 1e-9);
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

static JsonNode *
acquisition_status (Fixture    *fixture,
                    const char *id)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *status;

  lablink_client_get_acquisition_status_async (fixture->client, id, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  status = lablink_client_get_acquisition_status_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  return status;
}

static void
test_acquisition (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(JsonArray) channels = json_array_new ();
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(JsonNode) stopped = NULL;
  g_autoptr(JsonNode) samples = NULL;
  g_autoptr(JsonNode) sessions = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *id = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GAsyncResult) r4 = NULL;
  g_autoptr(GAsyncResult) r5 = NULL;
  JsonObject *data_object = NULL;

  if (fixture->sim == NULL)
    return;

  json_array_add_string_element (channels, "CH1");
  json_array_add_string_element (channels, "CH2");
  json_object_set_string_member (config, "equipment_id", "ps_250e6dfe");
  json_object_set_string_member (config, "name", "client-test");
  json_object_set_string_member (config, "mode", "continuous");
  json_object_set_double_member (config, "sample_rate", 50);
  json_object_set_array_member (config, "channels", json_array_ref (channels));
  json_object_set_int_member (config, "buffer_size", 10000);

  lablink_client_create_acquisition_async (fixture->client, config, NULL, test_waiter_cb, &waiter);
  r1 = test_waiter_wait (&waiter);
  id = lablink_client_create_acquisition_finish (fixture->client, r1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);

  g_assert_true (control (fixture, id, "start", &error));
  g_assert_no_error (error);
  status = acquisition_status (fixture, id);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (status), "state"), ==, "acquiring");

  /* Samples come (asked for until there are some, up to the deadline). */
  for (guint i = 0; i < TEST_TIMEOUT_MS / 100; i++)
    {
      g_clear_object (&r2);
      g_clear_pointer (&samples, json_node_unref);
      lablink_client_get_acquisition_data_async (fixture->client, id, 10, NULL, test_waiter_cb, &waiter);
      r2 = test_waiter_wait (&waiter);
      samples = lablink_client_get_acquisition_data_finish (fixture->client, r2, &error);
      g_assert_no_error (error);
      data_object = json_object_get_object_member (json_node_get_object (samples), "data");
      g_assert_nonnull (data_object);
      if (json_array_get_length (json_object_get_array_member (data_object, "timestamps")) > 0)
        break;
      test_run_for (100);
    }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (data_object, "timestamps")), >, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (data_object, "timestamps")), <=, 10);
  g_assert_nonnull (json_object_get_object_member (data_object, "values"));

  g_assert_true (control (fixture, id, "stop", &error));
  g_assert_no_error (error);
  stopped = acquisition_status (fixture, id);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (stopped), "state"), ==, "stopped");

  lablink_client_list_acquisitions_async (fixture->client, NULL, test_waiter_cb, &waiter);
  r3 = test_waiter_wait (&waiter);
  sessions = lablink_client_list_acquisitions_finish (fixture->client, r3, &error);
  g_assert_no_error (error);

  lablink_client_delete_acquisition_async (fixture->client, id, NULL, test_waiter_cb, &waiter);
  r4 = test_waiter_wait (&waiter);
  g_assert_true (lablink_client_delete_acquisition_finish (fixture->client, r4, &error));
  g_assert_no_error (error);

  /* gone */
  lablink_client_get_acquisition_status_async (fixture->client, id, NULL, test_waiter_cb, &waiter);
  r5 = test_waiter_wait (&waiter);
  after = lablink_client_get_acquisition_status_finish (fixture->client, r5, &error);
  g_assert_null (after);
  g_assert_nonnull (error);
  g_assert_true (error->domain == LABLINK_ERROR);
}

static void
test_login (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;

  if (fixture->sim == NULL)
    return;

  lablink_client_login_async (fixture->client, "admin", "wrong", NULL, test_waiter_cb, &waiter);
  r1 = test_waiter_wait (&waiter);
  g_assert_false (lablink_client_login_finish (fixture->client, r1, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_clear_error (&error);

  lablink_client_login_async (fixture->client, "admin", "S3cret-pass", NULL, test_waiter_cb, &waiter);
  r2 = test_waiter_wait (&waiter);
  g_assert_true (lablink_client_login_finish (fixture->client, r2, &error));
  g_assert_no_error (error);
  g_assert_true (lablink_client_get_logged_in (fixture->client));
  g_assert_cmpstr (lablink_client_get_username (fixture->client), ==, "admin");

  lablink_client_refresh_async (fixture->client, NULL, test_waiter_cb, &waiter);
  r3 = test_waiter_wait (&waiter);
  g_assert_true (lablink_client_refresh_finish (fixture->client, r3, &error));
  g_assert_no_error (error);
  g_assert_true (lablink_client_get_logged_in (fixture->client));
}

int
main (int    argc,
      char **argv)
{
  static const char * const auth_args[] = { "--auth", "admin:S3cret-pass", NULL };

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, args) \
  g_test_add (path, Fixture, args, fixture_setup, func, fixture_teardown)

  ADD ("/sim/info-and-list", test_info_and_list, NULL);
  ADD ("/sim/status", test_status, NULL);
  ADD ("/sim/command-reflected", test_command_reflected, NULL);
  ADD ("/sim/acquisition", test_acquisition, NULL);
  ADD ("/sim/login", test_login, auth_args);

  return g_test_run ();
}
