/* test-sim-locks.c — the simulator's equipment locks against LabLink 1.2.5's
 * rules and the recorded rest-setup / rest-cleanup traffic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sim-test-util.h"

#define PSU  "ps_250e6dfe"
#define LOAD "load_47fa0d5c"

typedef SimFixture Fixture;

static void
configure (LablinkSimServer *server,
           gpointer          user_data)
{
  if (user_data != NULL)
    lablink_sim_server_set_locks_enabled (server, FALSE);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  sim_fixture_start (f, configure, (gpointer) data);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sim_fixture_stop (f);
}

static HttpResult *
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *body)
{
  return http_request (f->session, method, f->url, path, body);
}

static char *
create_session (Fixture    *f,
                const char *name,
                guint       timeout_s)
{
  g_autofree char *body = timeout_s > 0
    ? g_strdup_printf ("{\"client_name\": \"%s\", \"timeout_seconds\": %u}", name, timeout_s)
    : g_strdup_printf ("{\"client_name\": \"%s\"}", name);
  g_autoptr(HttpResult) r = request (f, "POST", "/api/locks/sessions/create", body);

  g_assert_cmpuint (r->status, ==, 200);
  return g_strdup (object_get_str (http_result_object (r), "session_id"));
}

static HttpResult *
acquire (Fixture    *f,
         const char *equipment_id,
         const char *session_id,
         const char *extra)
{
  g_autofree char *body = g_strdup_printf ("{\"equipment_id\": \"%s\", \"session_id\": \"%s\"%s}",
                                           equipment_id, session_id, extra != NULL ? extra : "");
  return request (f, "POST", "/api/locks/acquire", body);
}

static HttpResult *
release (Fixture    *f,
         const char *equipment_id,
         const char *session_id)
{
  g_autofree char *body = g_strdup_printf ("{\"equipment_id\": \"%s\", \"session_id\": \"%s\"}",
                                           equipment_id, session_id);
  return request (f, "POST", "/api/locks/release", body);
}

static HttpResult *
set_voltage (Fixture    *f,
             const char *session_id)
{
  g_autofree char *body = NULL;

  if (session_id != NULL)
    body = g_strdup_printf ("{\"command_id\": \"c1\", \"equipment_id\": \"" PSU "\", \"action\": \"set_voltage\", "
                            "\"parameters\": {\"voltage\": 5.0, \"channel\": 1}, \"session_id\": \"%s\"}", session_id);
  else
    body = g_strdup ("{\"command_id\": \"c0\", \"equipment_id\": \"" PSU "\", \"action\": \"set_voltage\", "
                     "\"parameters\": {\"voltage\": 5.0, \"channel\": 1}}");
  return request (f, "POST", "/api/equipment/" PSU "/command", body);
}

static void
assert_body (HttpResult *r,
             guint       status,
             const char *body)
{
  g_assert_cmpuint (r->status, ==, status);
  g_assert_cmpstr (r->content_type, ==, "application/json");
  g_assert_cmpstr (r->body, ==, body);
}

static void
assert_success (HttpResult *r)
{
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (http_result_object (r), "success"));
}

/* The shapes of the recorded rest-setup and rest-cleanup exchanges. */
static void
test_recorded_flow (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(HttpResult) created = request (f, "POST", "/api/locks/sessions/create", "{\"client_name\": \"fixture-capture\"}");
  g_autoptr(HttpResult) locked = NULL, without = NULL, with = NULL, meas = NULL, released = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *o, *lock;
  const char *keys[] = { "session_id", "client_name", "client_ip", "created_at", "last_activity",
                         "time_remaining", "duration_seconds", "metadata" };
  const char *lock_keys[] = { "lock_id", "equipment_id", "session_id", "lock_mode", "acquired_at",
                              "last_activity", "timeout_seconds" };
  g_autofree char *body = NULL;
  const char *s;
  GList *l;
  guint i;

  g_assert_cmpuint (created->status, ==, 200);
  o = http_result_object (created);
  members = json_object_get_members (o);
  for (l = members, i = 0; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, keys[i]);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (keys));
  s = object_get_str (o, "session_id");
  g_assert_cmpuint (strlen (s), ==, 36);
  g_assert_cmpstr (object_get_str (o, "client_name"), ==, "fixture-capture");
  g_assert_cmpstr (object_get_str (o, "client_ip"), ==, "127.0.0.1");
  g_assert_cmpfloat (object_get_num (o, "time_remaining"), >, 599.0);
  g_assert_cmpfloat (object_get_num (o, "time_remaining"), <=, 600.0);

  locked = acquire (f, PSU, s, NULL);
  g_assert_cmpuint (locked->status, ==, 200);
  g_assert_true (g_str_has_prefix (locked->body, "{\"success\":true,\"status\":\"locked\",\"lock\":{\"lock_id\":\""));
  lock = json_object_get_object_member (http_result_object (locked), "lock");
  g_clear_pointer (&members, g_list_free);
  members = json_object_get_members (lock);
  for (l = members, i = 0; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, lock_keys[i]);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (lock_keys));
  g_assert_cmpstr (object_get_str (lock, "session_id"), ==, s);
  g_assert_cmpstr (object_get_str (lock, "lock_mode"), ==, "exclusive");
  g_assert_cmpint (json_object_get_int_member (lock, "timeout_seconds"), ==, 300);

  without = set_voltage (f, NULL);
  assert_body (without, 401, "{\"detail\":\"session_id required for control commands when locks are enabled\"}");
  with = set_voltage (f, s);
  g_assert_cmpuint (with->status, ==, 200);
  g_assert_true (g_str_has_prefix (with->body, "{\"command_id\":\"c1\",\"success\":true,\"data\":null,\"error\":null,\"timestamp\":\""));

  /* a read-only command needs no session */
  meas = request (f, "POST", "/api/equipment/scope_386959fc/command",
                  "{\"command_id\": \"m1\", \"equipment_id\": \"scope_386959fc\", \"action\": \"get_measurements\", "
                  "\"parameters\": {\"channel\": 1}}");
  g_assert_cmpuint (meas->status, ==, 200);

  released = release (f, PSU, s);
  assert_body (released, 200, "{\"success\":true,\"status\":\"released\",\"was_forced\":false}");
  body = g_strdup_printf ("{\"success\":false,\"status\":\"not_locked\",\"message\":\"No lock found for session %s\"}", s);
  {
    g_autoptr(HttpResult) again = release (f, PSU, s);
    assert_body (again, 200, body);
  }
}

static void
test_conflicts (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *a = create_session (f, "bench-3", 0);
  g_autofree char *b = create_session (f, "bench-4", 0);
  g_autoptr(HttpResult) la = acquire (f, PSU, a, NULL);
  g_autoptr(HttpResult) lb = acquire (f, PSU, b, NULL);
  g_autoptr(HttpResult) ob = acquire (f, PSU, b, ", \"lock_mode\": \"observer\"");
  g_autoptr(HttpResult) cb = set_voltage (f, b);
  g_autoptr(HttpResult) rb = release (f, PSU, b);
  g_autoptr(HttpResult) refresh = acquire (f, PSU, a, NULL);
  g_autoptr(HttpResult) status = request (f, "GET", "/api/locks/status/" PSU, NULL);
  g_autoptr(HttpResult) free_status = request (f, "GET", "/api/locks/status/" LOAD, NULL);
  g_autoptr(HttpResult) read_only = NULL, ended = NULL, gone = NULL, after = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *session_path = NULL;
  JsonObject *o;

  assert_success (la);
  expected = g_strdup_printf ("{\"detail\":\"Equipment " PSU " is locked by session %s\"}", a);
  assert_body (lb, 409, expected);
  g_free (g_steal_pointer (&expected));
  expected = g_strdup_printf ("{\"detail\":\"Equipment " PSU " has exclusive lock by session %s\"}", a);
  assert_body (ob, 409, expected);
  g_free (g_steal_pointer (&expected));
  expected = g_strdup_printf ("{\"detail\":\"Equipment " PSU " is locked by session %s. "
                              "Acquire exclusive lock before control commands.\"}", a);
  assert_body (cb, 403, expected);
  g_free (g_steal_pointer (&expected));
  expected = g_strdup_printf ("{\"detail\":\"Cannot release lock: owned by session %s\"}", a);
  assert_body (rb, 403, expected);
  g_assert_cmpstr (object_get_str (http_result_object (refresh), "status"), ==, "refreshed");

  o = http_result_object (status);
  g_assert_true (json_object_get_boolean_member (o, "locked"));
  g_assert_cmpstr (object_get_str (o, "session_id"), ==, a);
  g_assert_cmpstr (object_get_str (o, "lock_mode"), ==, "exclusive");
  g_assert_nonnull (object_get_str (o, "acquired_at"));
  g_assert_cmpfloat (object_get_num (o, "time_remaining"), >, 290.0);
  g_assert_cmpint (json_object_get_int_member (o, "queue_length"), ==, 0);
  assert_body (free_status, 200,
               "{\"equipment_id\":\"" LOAD "\",\"locked\":false,\"lock_mode\":null,\"session_id\":null,"
               "\"lock_id\":null,\"acquired_at\":null,\"time_remaining\":null,\"observer_count\":null,"
               "\"observer_sessions\":null,\"queue_length\":0}");

  /* a read-only command naming a session without a lock: 403 */
  g_free (g_steal_pointer (&expected));
  expected = g_strdup_printf ("{\"command_id\": \"m\", \"action\": \"get_readings\", \"session_id\": \"%s\"}", b);
  read_only = request (f, "POST", "/api/equipment/" PSU "/command", expected);
  assert_body (read_only, 403, "{\"detail\":\"No observer or control access to equipment " PSU "\"}");

  /* ending a session releases its locks */
  session_path = g_strdup_printf ("/api/locks/sessions/%s", a);
  ended = request (f, "DELETE", session_path, NULL);
  assert_success (ended);
  g_assert_cmpint (json_object_get_int_member (http_result_object (ended), "locks_released"), ==, 1);
  gone = request (f, "GET", session_path, NULL);
  g_assert_cmpuint (gone->status, ==, 404);
  after = acquire (f, PSU, b, NULL);
  g_assert_cmpstr (object_get_str (http_result_object (after), "status"), ==, "locked");
}

static void
test_observer_and_queue (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *a = create_session (f, "a", 0);
  g_autofree char *b = create_session (f, "b", 0);
  g_autofree char *c = create_session (f, "c", 0);
  g_autoptr(HttpResult) oa = acquire (f, LOAD, a, ", \"lock_mode\": \"observer\"");
  g_autoptr(HttpResult) ob = acquire (f, LOAD, b, ", \"lock_mode\": \"observer\"");
  g_autoptr(HttpResult) st1 = request (f, "GET", "/api/locks/status/" LOAD, NULL);
  g_autoptr(HttpResult) xc = acquire (f, LOAD, c, NULL);
  g_autoptr(HttpResult) qa = acquire (f, LOAD, a, ", \"queue_if_busy\": true");
  g_autoptr(HttpResult) queue = request (f, "GET", "/api/locks/queue/" LOAD, NULL);
  g_autoptr(HttpResult) rc = release (f, LOAD, c);
  g_autoptr(HttpResult) st2 = request (f, "GET", "/api/locks/status/" LOAD, NULL);
  g_autoptr(HttpResult) all = request (f, "GET", "/api/locks/all", NULL);
  JsonObject *o;

  g_assert_cmpstr (object_get_str (http_result_object (oa), "status"), ==, "observer");
  g_assert_cmpint (json_object_get_int_member (http_result_object (ob), "observer_count"), ==, 2);
  o = http_result_object (st1);
  g_assert_false (json_object_get_boolean_member (o, "locked"));
  g_assert_cmpint (json_object_get_int_member (o, "observer_count"), ==, 2);

  /* the exclusive lock drops the observers */
  g_assert_cmpstr (object_get_str (http_result_object (xc), "status"), ==, "locked");
  o = http_result_object (qa);
  g_assert_false (json_object_get_boolean_member (o, "success"));
  g_assert_cmpstr (object_get_str (o, "status"), ==, "queued");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "queue_entry"), "position"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (http_result_object (queue), "queue")), ==, 1);

  /* releasing hands the lock to the queue */
  assert_success (rc);
  o = http_result_object (st2);
  g_assert_true (json_object_get_boolean_member (o, "locked"));
  g_assert_cmpstr (object_get_str (o, "session_id"), ==, a);
  o = json_object_get_object_member (http_result_object (all), "exclusive_locks");
  g_assert_true (json_object_has_member (o, LOAD));
}

static gboolean
status_unlocked (gpointer data)
{
  Fixture *f = data;
  g_autoptr(HttpResult) st = request (f, "GET", "/api/locks/status/" PSU, NULL);

  return !json_object_get_boolean_member (http_result_object (st), "locked");
}

static gboolean
session_gone (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  const char *path = ((gpointer *) data)[1];
  g_autoptr(HttpResult) r = request (f, "GET", path, NULL);

  return r->status == 404;
}

static void
test_timeouts (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *a = create_session (f, "short", 1);
  g_autofree char *path = g_strdup_printf ("/api/locks/sessions/%s", a);
  g_autoptr(HttpResult) la = acquire (f, PSU, a, ", \"timeout_seconds\": 1");
  g_autoptr(HttpResult) late = NULL;
  gpointer args[2] = { f, path };

  assert_success (la);
  g_assert_true (test_wait_until (status_unlocked, f, TEST_TIMEOUT_MS));
  late = set_voltage (f, a);
  assert_body (late, 403, "{\"detail\":\"Equipment " PSU " is locked by session unknown. "
                          "Acquire exclusive lock before control commands.\"}");
  g_assert_true (test_wait_until (session_gone, args, TEST_TIMEOUT_MS));
}

static void
test_sim_status_and_no_locks (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *a = create_session (f, "bench-3", 0);
  g_autoptr(HttpResult) la = acquire (f, PSU, a, NULL);
  g_autoptr(HttpResult) status = request (f, "GET", "/api/sim/status", NULL);
  g_autoptr(HttpResult) free_command = set_voltage (f, NULL);
  JsonObject *locks = json_object_get_object_member (http_result_object (status), "locks");
  JsonObject *table = json_object_get_object_member (locks, "table");

  assert_success (la);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (locks, "sessions")), ==, 1);
  g_assert_true (json_object_has_member (json_object_get_object_member (table, "exclusive_locks"), PSU));
  if (data != NULL)
    {
      /* --no-locks: a control command runs without a session */
      g_assert_false (json_object_get_boolean_member (locks, "enabled"));
      assert_success (free_command);
    }
  else
    {
      g_assert_true (json_object_get_boolean_member (locks, "enabled"));
      g_assert_cmpuint (free_command->status, ==, 401);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sim/locks/recorded-flow", Fixture, NULL, fixture_setup, test_recorded_flow, fixture_teardown);
  g_test_add ("/sim/locks/conflicts", Fixture, NULL, fixture_setup, test_conflicts, fixture_teardown);
  g_test_add ("/sim/locks/observer-and-queue", Fixture, NULL, fixture_setup, test_observer_and_queue, fixture_teardown);
  g_test_add ("/sim/locks/timeouts", Fixture, NULL, fixture_setup, test_timeouts, fixture_teardown);
  g_test_add ("/sim/locks/status", Fixture, NULL, fixture_setup, test_sim_status_and_no_locks, fixture_teardown);
  g_test_add ("/sim/locks/no-locks", Fixture, "no-locks", fixture_setup, test_sim_status_and_no_locks, fixture_teardown);

  return g_test_run ();
}
