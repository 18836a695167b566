/* test-client-locks.c — LablinkClient's equipment locks: the recorded
 * rest-setup / rest-cleanup exchanges replayed, then two clients against
 * the strict simulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "client-test-util.h"

#define PSU "ps_250e6dfe"
#define RECORDED_SESSION "cc4468f6-e149-4887-931f-5ace341302ea"

/* ------------------------------------------------------------------------ */
/* Calls, waited for                                                         */

static gboolean
create_session (LablinkClient *client,
                const char    *name,
                GError       **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_create_lock_session_async (client, name, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_create_lock_session_finish (client, result, error);
}

static gboolean
acquire (LablinkClient   *client,
         const char      *id,
         LablinkLockMode  mode,
         gboolean         queue,
         GError         **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_acquire_lock_async (client, id, mode, queue, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_acquire_lock_finish (client, result, error);
}

static gboolean
release (LablinkClient *client,
         const char    *id,
         GError       **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_release_lock_async (client, id, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_release_lock_finish (client, result, error);
}

static gboolean
keep_alive (LablinkClient *client,
            GError       **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_keep_locks_alive_async (client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_keep_locks_alive_finish (client, result, error);
}

static gboolean
end_session (LablinkClient *client,
             GError       **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_end_lock_session_async (client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_end_lock_session_finish (client, result, error);
}

static LablinkLockInfo *
lock_status (LablinkClient *client,
             const char    *id)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LablinkLockInfo *info;

  lablink_client_get_lock_status_async (client, id, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  info = lablink_client_get_lock_status_finish (client, result, &error);
  g_assert_no_error (error);
  return info;
}

static JsonNode *
lock_queue (LablinkClient *client,
            const char    *id)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *queue;

  lablink_client_get_lock_queue_async (client, id, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  queue = lablink_client_get_lock_queue_finish (client, result, &error);
  g_assert_no_error (error);
  return queue;
}

static JsonNode *
set_voltage (LablinkClient *client,
             double         volts,
             GError       **error)
{
  g_autoptr(JsonObject) parameters = json_object_new ();

  json_object_set_double_member (parameters, "voltage", volts);
  json_object_set_int_member (parameters, "channel", 1);
  return test_client_send_command (client, PSU, "set_voltage", parameters, error);
}

static JsonNode *
raw_request (LablinkClient *client,
             const char    *method,
             const char    *path,
             const char    *json)
{
  g_autoptr(JsonNode) body = json != NULL ? json_from_string (json, NULL) : NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *answer = test_client_request (client, method, path, body, &error);

  g_assert_no_error (error);
  return answer;
}

/* ------------------------------------------------------------------------ */
/* The recorded exchanges                                                    */

typedef TestReplay Replay;

static void
count_changes (LablinkClient *client,
               const char    *equipment_id,
               guint         *n)
{
  (*n)++;
}

static void
test_recorded_flow (Replay        *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_auto(GStrv) held = NULL;
  JsonObject *body;
  guint changes = 0;

  g_signal_connect (fixture->client, "lock-changed", G_CALLBACK (count_changes), &changes);

  /* without a lock: the recorded 401, explained as a lock (not a login) */
  test_replay_add (fixture, fixture->patched, "rest-setup", "POST", "/api/equipment/" PSU "/command", 401, 0);
  refused = set_voltage (fixture->client, 5.0, &error);
  g_assert_null (refused);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_LOCKED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "take the lock first"));
  g_assert_nonnull (strstr (error->message, "session_id required"));
  g_assert_null (strstr (error->message, "login"));
  g_clear_error (&error);

  /* acquire creates the session first */
  test_replay_add (fixture, fixture->patched, "rest-setup", "POST", "/api/locks/sessions/create", 200, 0);
  test_replay_add (fixture, fixture->patched, "rest-setup", "POST", "/api/locks/acquire", 200, 0);
  g_assert_true (acquire (fixture->client, PSU, LABLINK_LOCK_MODE_EXCLUSIVE, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lablink_client_get_lock_session_id (fixture->client), ==, RECORDED_SESSION);
  g_assert_true (lablink_client_holds_lock (fixture->client, PSU));
  g_assert_cmpuint (changes, ==, 1);
  sent = mock_server_last_json (fixture->server);
  body = json_node_get_object (sent);
  g_assert_cmpstr (json_object_get_string_member (body, "equipment_id"), ==, PSU);
  g_assert_cmpstr (json_object_get_string_member (body, "session_id"), ==, RECORDED_SESSION);
  g_assert_cmpstr (json_object_get_string_member (body, "lock_mode"), ==, "exclusive");
  g_clear_pointer (&sent, json_node_unref);

  /* the command carries the session */
  test_replay_add (fixture, fixture->patched, "rest-setup", "POST", "/api/equipment/" PSU "/command", 200, 0);
  answer = set_voltage (fixture->client, 5.0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  sent = mock_server_last_json (fixture->server);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent), "session_id"), ==, RECORDED_SESSION);

  held = lablink_client_dup_held_locks (fixture->client);
  g_assert_cmpuint (g_strv_length (held), ==, 1);
  g_assert_cmpstr (held[0], ==, PSU);

  test_replay_add (fixture, fixture->patched, "rest-cleanup", "POST", "/api/locks/release", 200, 0);
  g_assert_true (release (fixture->client, PSU, &error));
  g_assert_no_error (error);
  g_assert_false (lablink_client_holds_lock (fixture->client, PSU));
  g_assert_cmpuint (changes, ==, 2);
}

static void
test_unit (void)
{
  g_autofree char *name = lablink_default_lock_session_name ();

  g_assert_true (lablink_action_requires_control ("set_voltage"));
  g_assert_true (lablink_action_requires_control ("SET_OUTPUT"));
  g_assert_true (lablink_action_requires_control ("clear_protection"));
  g_assert_false (lablink_action_requires_control ("get_readings"));
  g_assert_false (lablink_action_requires_control ("get_measurements"));
  g_assert_nonnull (strchr (name, '@'));
}

/* ------------------------------------------------------------------------ */
/* Two clients against the simulator                                         */

typedef struct {
  TestSim *sim;
  LablinkClient *a;
  LablinkClient *b;
} Sim;

static void
sim_setup (Sim           *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = test_sim_spawn (NULL);
  if (fixture->sim == NULL)
    return;
  fixture->a = lablink_client_new (test_sim_get_url (fixture->sim), &error);
  g_assert_no_error (error);
  fixture->b = lablink_client_new (test_sim_get_url (fixture->sim), &error);
  g_assert_no_error (error);
  lablink_client_set_timeout (fixture->a, 10);
  lablink_client_set_timeout (fixture->b, 10);
}

static void
sim_teardown (Sim           *fixture,
              gconstpointer  data)
{
  g_clear_object (&fixture->a);
  g_clear_object (&fixture->b);
  g_clear_pointer (&fixture->sim, test_sim_free);
}

static void
test_two_clients (Sim           *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(LablinkLockInfo) mine = NULL;
  g_autoptr(LablinkLockInfo) theirs = NULL;
  g_autoptr(JsonNode) queue = NULL;
  g_autofree char *description = NULL;

  if (fixture->sim == NULL)
    return;

  g_assert_true (create_session (fixture->a, "bench-3", &error));
  g_assert_no_error (error);
  g_assert_true (acquire (fixture->a, PSU, LABLINK_LOCK_MODE_EXCLUSIVE, FALSE, &error));
  g_assert_no_error (error);
  ok = set_voltage (fixture->a, 4.0, &error);
  g_assert_no_error (error);

  /* b has no lock: told who has it, and since when */
  refused = set_voltage (fixture->b, 6.0, &error);
  g_assert_null (refused);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_LOCKED);
  g_clear_error (&error);
  g_assert_false (acquire (fixture->b, PSU, LABLINK_LOCK_MODE_EXCLUSIVE, FALSE, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_LOCKED);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, PSU " is controlled by bench-3 since "));
  g_clear_error (&error);
  refused = set_voltage (fixture->b, 6.0, &error);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_LOCKED);
  g_assert_true (g_str_has_prefix (error->message, PSU " is controlled by bench-3 since "));
  g_clear_error (&error);
  g_assert_false (acquire (fixture->b, PSU, LABLINK_LOCK_MODE_OBSERVER, FALSE, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_LOCKED);
  g_clear_error (&error);

  mine = lock_status (fixture->a, PSU);
  g_assert_true (lablink_lock_info_get_locked (mine));
  g_assert_true (lablink_lock_info_get_held_by_us (mine));
  g_assert_cmpstr (lablink_lock_info_get_holder_name (mine), ==, "bench-3");
  theirs = lock_status (fixture->b, PSU);
  g_assert_false (lablink_lock_info_get_held_by_us (theirs));
  g_assert_cmpstr (lablink_lock_info_get_holder_name (theirs), ==, "bench-3");
  g_assert_nonnull (lablink_lock_info_get_acquired_at (theirs));
  g_assert_cmpfloat (lablink_lock_info_get_time_remaining (theirs), >, 200.0);
  description = lablink_lock_info_describe (theirs);
  g_assert_true (g_str_has_prefix (description, PSU " is controlled by bench-3 since "));

  /* b queues; a's release hands it over */
  g_assert_false (acquire (fixture->b, PSU, LABLINK_LOCK_MODE_EXCLUSIVE, TRUE, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "number 1 in its queue"));
  g_clear_error (&error);
  queue = lock_queue (fixture->a, PSU);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (queue)), ==, 1);
  g_assert_true (release (fixture->a, PSU, &error));
  g_assert_no_error (error);
  g_clear_pointer (&theirs, lablink_lock_info_unref);
  theirs = lock_status (fixture->a, PSU);
  g_assert_cmpstr (lablink_lock_info_get_session_id (theirs), ==, lablink_client_get_lock_session_id (fixture->b));

  /* ending b's session frees it */
  g_assert_true (end_session (fixture->b, &error));
  g_assert_no_error (error);
  g_assert_null (lablink_client_get_lock_session_id (fixture->b));
  g_clear_pointer (&theirs, lablink_lock_info_unref);
  theirs = lock_status (fixture->a, PSU);
  g_assert_false (lablink_lock_info_get_locked (theirs));
}

static void
test_expired (Sim           *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) forced = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autofree char *force = NULL;

  if (fixture->sim == NULL)
    return;

  g_assert_true (acquire (fixture->a, PSU, LABLINK_LOCK_MODE_EXCLUSIVE, FALSE, &error));
  g_assert_no_error (error);
  g_assert_nonnull (lablink_client_get_lock_session_name (fixture->a));
  g_assert_true (keep_alive (fixture->a, &error));
  g_assert_no_error (error);

  /* the lock goes (as after its timeout): the keep-alive says so */
  force = g_strdup_printf ("{\"equipment_id\": \"" PSU "\", \"session_id\": \"x\", \"force\": true}");
  forced = raw_request (fixture->b, "POST", "/api/locks/release", force);
  g_assert_false (keep_alive (fixture->a, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_LOCK_EXPIRED);
  g_assert_nonnull (strstr (error->message, "Your lock on " PSU " expired"));
  g_clear_error (&error);
  g_assert_false (lablink_client_holds_lock (fixture->a, PSU));

  /* …and so does the next command */
  g_assert_true (acquire (fixture->a, PSU, LABLINK_LOCK_MODE_EXCLUSIVE, FALSE, &error));
  g_clear_pointer (&forced, json_node_unref);
  forced = raw_request (fixture->b, "POST", "/api/locks/release", force);
  refused = set_voltage (fixture->a, 2.0, &error);
  g_assert_null (refused);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_LOCK_EXPIRED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* ending the session leaves the simulator's table empty */
  g_assert_true (end_session (fixture->a, &error));
  g_assert_no_error (error);
  status = raw_request (fixture->b, "GET", "/api/sim/status", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    json_object_get_object_member (json_node_get_object (status), "locks"), "sessions")), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/locks/unit", test_unit);
  g_test_add ("/locks/recorded-flow", Replay, NULL, test_replay_setup, test_recorded_flow, test_replay_teardown);
  g_test_add ("/locks/sim/two-clients", Sim, NULL, sim_setup, test_two_clients, sim_teardown);
  g_test_add ("/locks/sim/expired", Sim, NULL, sim_setup, test_expired, sim_teardown);

  return g_test_run ();
}
