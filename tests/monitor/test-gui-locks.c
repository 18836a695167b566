/* test-gui-locks.c — the app controls instruments through their locks, as a
 * LabLink 1.2.5 server with equipment locks on needs, and gives them back
 * when its window closes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-instrument-panel.h"
#include "lablink-psu-panel.h"
#include "lablink-session.h"
#include "monitor-test-util.h"

/* Each case: its own simulator, app and window (MtFixture), and another lab
 * member, "bench-3", with a client of their own. */
typedef struct {
  MtFixture      mt;
  LablinkClient *other;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  mt_fixture_setup (&f->mt, NULL);
  f->other = lablink_client_new (test_sim_get_url (f->mt.sim), NULL);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->other);
  mt_fixture_teardown (&f->mt);
}

typedef struct {
  gpointer  result;
  GError   *error;
  gboolean  done;
} Wait;

/* The simulator's lock table ("locks" of GET /api/sim/status). */
static JsonNode *
sim_locks (Fixture *f)
{
  g_autoptr(JsonNode) status = test_sim_rest_ok (f->mt.sim, "GET", "/api/sim/status", NULL);

  return json_node_copy (json_object_get_member (json_node_get_object (status), "locks"));
}

static gboolean
sim_holds (Fixture    *f,
           const char *equipment_id)
{
  g_autoptr(JsonNode) locks = sim_locks (f);
  JsonObject *table = json_object_get_object_member (json_node_get_object (locks), "table");

  return json_object_has_member (json_object_get_object_member (table, "exclusive_locks"), equipment_id);
}

static guint
sim_n_sessions (Fixture *f)
{
  g_autoptr(JsonNode) locks = sim_locks (f);

  return json_array_get_length (json_object_get_array_member (json_node_get_object (locks), "sessions"));
}

static const char *
panel_lock_text (Fixture    *f,
                 const char *equipment_id)
{
  return lablink_instrument_panel_get_lock_text (LABLINK_INSTRUMENT_PANEL (lablink_window_get_panel (f->mt.window,
                                                                                                    equipment_id)));
}

static void
command_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Wait *w = data;

  w->result = lablink_session_send_command_finish (LABLINK_SESSION (source), result, &w->error);
  w->done = TRUE;
}

static void
test_locks_connect (Fixture       *f,
                   gconstpointer  data)
{
  LablinkWindow *window = f->mt.window;
  g_assert_true (mt_wait_connected (window, TEST_TIMEOUT_MS));
  g_assert_true (mt_wait_equipment (window, TEST_TIMEOUT_MS));
  g_assert_cmpuint (sim_n_sessions (f), ==, 0);
}

static void
test_locks_take_on_first_control (Fixture       *f,
                                 gconstpointer  data)
{
  LablinkWindow *window = f->mt.window;
  LablinkSession *session = lablink_window_get_session (window);
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  g_autoptr(JsonNode) locks = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *name = lablink_default_lock_session_name ();
  JsonObject *first;
  GDateTime *since = NULL;

  /* reading needs no lock */
  answer = mt_command (window, psu, "get_readings", "{\"channel\": 1}");
  g_assert_false (sim_holds (f, psu));
  g_clear_pointer (&answer, json_node_unref);

  /* Set V: the session takes the lock (its lock session named user@host) */
  answer = mt_command (window, psu, "set_voltage", "{\"voltage\": 5.0, \"channel\": 1}");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (answer), "success"));
  g_assert_true (sim_holds (f, psu));
  locks = sim_locks (f);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (locks), "sessions")), ==, 1);
  first = json_array_get_object_element (json_object_get_array_member (json_node_get_object (locks), "sessions"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "client_name"), ==, name);

  TEST_WAIT (lablink_session_get_lock_state (session, psu, NULL, &since) == LABLINK_SESSION_LOCK_OURS && since != NULL,
           5000);
  g_assert_cmpint (lablink_session_get_lock_state (session, psu, NULL, NULL), ==, LABLINK_SESSION_LOCK_OURS);

  /* the next commands reuse it */
  g_clear_pointer (&answer, json_node_unref);
  answer = mt_command (window, psu, "set_output", "{\"enabled\": true, \"channel\": 1}");
  g_assert_cmpuint (sim_n_sessions (f), ==, 1);

  /* the panel says so */
  TEST_WAIT (g_strcmp0 (panel_lock_text (f, psu), "You control this instrument") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (panel_lock_text (f, psu), ==, "You control this instrument");
}

static void
test_locks_release_from_panel (Fixture       *f,
                              gconstpointer  data)
{
  LablinkWindow *window = f->mt.window;
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  g_autofree char *name = g_strconcat ("lock-release-", psu, NULL);
  g_autoptr(JsonNode) answer = mt_command (window, psu, "set_voltage", "{\"voltage\": 2.0, \"channel\": 1}");
  GtkWidget *release;

  TEST_WAIT (g_strcmp0 (panel_lock_text (f, psu), "You control this instrument") == 0, TEST_TIMEOUT_MS);
  g_assert_true (sim_holds (f, psu));
  release = mt_find (window, name);
  g_assert_nonnull (release);
  g_assert_true (gtk_widget_get_visible (release));
  gtk_widget_activate (release);
  TEST_WAIT (!sim_holds (f, psu) && panel_lock_text (f, psu) == NULL, TEST_TIMEOUT_MS);
  g_assert_false (sim_holds (f, psu));
  g_assert_null (panel_lock_text (f, psu));
}

static void
acquire_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Wait *w = data;

  lablink_client_acquire_lock_finish (LABLINK_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

static void
session_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Wait *w = data;

  lablink_client_create_lock_session_finish (LABLINK_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

static void
test_locks_held_by_someone_else (Fixture       *f,
                                gconstpointer  data)
{
  LablinkWindow *window = f->mt.window;
  LablinkSession *session = lablink_window_get_session (window);
  const char *load = mt_equipment_id (window, LABLINK_EQUIPMENT_ELECTRONIC_LOAD);
  g_autoptr(JsonObject) params = json_object_new ();
  Wait created = { 0 }, taken = { 0 }, refused = { 0 };
  const char *holder = NULL;
  GDateTime *since = NULL;

  lablink_client_create_lock_session_async (f->other, "bench-3", NULL, session_cb, &created);
  TEST_WAIT (created.done, TEST_TIMEOUT_MS);
  g_assert_no_error (created.error);
  lablink_client_acquire_lock_async (f->other, load, LABLINK_LOCK_MODE_EXCLUSIVE, FALSE, NULL, acquire_cb, &taken);
  TEST_WAIT (taken.done, TEST_TIMEOUT_MS);
  g_assert_no_error (taken.error);

  json_object_set_double_member (params, "current", 0.5);
  lablink_session_send_command_async (session, load, "set_current", params, NULL, command_cb, &refused);
  TEST_WAIT (refused.done, TEST_TIMEOUT_MS);
  g_assert_null (refused.result);
  g_assert_error (refused.error, LABLINK_ERROR, LABLINK_ERROR_LOCKED);
  g_test_message ("%s", refused.error->message);
  g_assert_nonnull (strstr (refused.error->message, "controlled by bench-3 since "));
  g_clear_error (&refused.error);

  TEST_WAIT (lablink_session_get_lock_state (session, load, NULL, NULL) == LABLINK_SESSION_LOCK_OTHERS, TEST_TIMEOUT_MS);
  g_assert_cmpint (lablink_session_get_lock_state (session, load, &holder, &since), ==, LABLINK_SESSION_LOCK_OTHERS);
  g_assert_cmpstr (holder, ==, "bench-3");
  g_assert_nonnull (since);

  /* the load's panel says who, and its controls wait */
  lablink_window_select_equipment (window, load);
  TEST_WAIT (lablink_window_get_panel (window, load) != NULL &&
           g_str_has_prefix (panel_lock_text (f, load) ? panel_lock_text (f, load) : "", "Controlled by bench-3 since "),
           5000);
  g_assert_true (g_str_has_prefix (panel_lock_text (f, load), "Controlled by bench-3 since "));
  lablink_window_select_equipment (window, mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY));
}

static void
release_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Wait *w = data;

  lablink_client_release_lock_finish (LABLINK_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

/* The PSU panel shows someone else's lock and cannot be used meanwhile. */
static void
test_locks_panel_shows_holder (Fixture       *f,
                              gconstpointer  data)
{
  LablinkWindow *window = f->mt.window;
  LablinkSession *session = lablink_window_get_session (window);
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  LablinkPsuPanel *panel = LABLINK_PSU_PANEL (lablink_window_get_panel (window, psu));
  Wait created = { 0 }, taken = { 0 }, released = { 0 };

  /* the channels appear with the first readings */
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  TEST_WAIT (lablink_psu_panel_get_channel (panel, 1) != NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (lablink_psu_panel_get_channel (panel, 1));

  lablink_client_create_lock_session_async (f->other, "bench-3", NULL, session_cb, &created);
  TEST_WAIT (created.done, TEST_TIMEOUT_MS);
  g_assert_no_error (created.error);
  lablink_client_acquire_lock_async (f->other, psu, LABLINK_LOCK_MODE_EXCLUSIVE, FALSE, NULL, acquire_cb, &taken);
  TEST_WAIT (taken.done, TEST_TIMEOUT_MS);
  g_assert_no_error (taken.error);
  lablink_session_refresh_lock (session, psu);
  TEST_WAIT (g_str_has_prefix (panel_lock_text (f, psu) ? panel_lock_text (f, psu) : "", "Controlled by bench-3 since "), TEST_TIMEOUT_MS);
  g_assert_true (g_str_has_prefix (panel_lock_text (f, psu), "Controlled by bench-3 since "));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (lablink_psu_panel_get_channel (panel, 1))));
  {
    g_autofree char *name = g_strconcat ("lock-release-", psu, NULL);

    g_assert_false (gtk_widget_get_visible (mt_find (window, name)));
  }

  lablink_client_release_lock_async (f->other, psu, NULL, release_cb, &released);
  TEST_WAIT (released.done, TEST_TIMEOUT_MS);
  g_assert_no_error (released.error);
  lablink_session_refresh_lock (session, psu);
  TEST_WAIT (panel_lock_text (f, psu) == NULL, TEST_TIMEOUT_MS);
  g_assert_null (panel_lock_text (f, psu));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (lablink_psu_panel_get_channel (panel, 1))));
}

static void
test_locks_given_back_on_close (Fixture       *f,
                               gconstpointer  data)
{
  LablinkWindow *window = f->mt.window;
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  g_autoptr(JsonNode) answer = mt_command (window, psu, "set_voltage", "{\"voltage\": 1.0, \"channel\": 1}");

  g_assert_true (sim_holds (f, psu));
  f->mt.window = NULL;
  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&window)));
  TEST_WAIT (!sim_holds (f, psu), TEST_TIMEOUT_MS);
  g_assert_false (sim_holds (f, psu));
  /* and its lock session is ended */
  g_assert_cmpuint (sim_n_sessions (f), ==, 0);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/gui/locks/connect", test_locks_connect);
  ADD ("/gui/locks/take-on-first-control", test_locks_take_on_first_control);
  ADD ("/gui/locks/release-from-panel", test_locks_release_from_panel);
  ADD ("/gui/locks/held-by-someone-else", test_locks_held_by_someone_else);
  ADD ("/gui/locks/panel-shows-holder", test_locks_panel_shows_holder);
  ADD ("/gui/locks/given-back-on-close", test_locks_given_back_on_close);
#undef ADD
  return g_test_run ();
}
