/* test-gui-server-state.c — what the window says of each of several servers
 *
 * Two simulators in one window: connecting to a server already in the
 * list shows it instead of making a duplicate; the header bar's connection
 * indicator sums up all servers (a server reconnecting is named, each
 * server's state is in its popover); the send → screen latency of the
 * values shown goes to their own server's statistics; every event names
 * the server it came from while there are several (and, with one, stays as
 * it was).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-connection-indicator.h"
#include "lablink-events-panel.h"
#include "monitor-test-util.h"

typedef struct {
  MtFixture       mt;
  TestSim        *sim_b;
  LablinkSession *a;   /* the first server */
  LablinkSession *b;   /* the second */
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  LablinkWindow *window;

  mt_setup (&f->mt, data);
  window = f->mt.window;
  f->sim_b = test_sim_spawn (NULL);
  f->a = lablink_window_get_session (window);
  mt_activate (window, "add-server", g_variant_new ("(ss)", test_sim_get_url (f->sim_b), ""));
  f->b = lablink_window_lookup_session (window, test_sim_get_url (f->sim_b));
  g_assert_nonnull (f->b);
  g_assert_true (f->a != f->b);
  TEST_ASSERT_EVENTUALLY (lablink_session_get_connected (f->b) && lablink_session_get_equipment_loaded (f->b));
  mt_round_trip (window);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  mt_teardown (&f->mt, data);
  g_clear_pointer (&f->sim_b, test_sim_free);
}

static void
screenshot (LablinkWindow *window,
            const char    *name)
{
  g_autofree char *path = NULL;
  double variance = 0;

  path = mt_screenshot (GTK_WIDGET (window), name, &variance);
  g_assert_cmpfloat (variance, >, 50.0);
}

static char *
title_of (TestSim *sim)
{
  return g_strdup_printf ("127.0.0.1:%u", test_sim_get_port (sim));
}

/* win.connect (the connection popover, a recent or a found server) with
 * the URL of another server in the list: that server is shown; the first
 * server stays where it was and no session is added. */
static void
test_connect_shown (Fixture       *f,
                    gconstpointer  data)
{
  LablinkWindow *window = f->mt.window;
  g_autofree char *url_a = g_strdup (lablink_session_get_server_url (f->a));
  g_autofree char *url_b = g_strdup (lablink_session_get_server_url (f->b));
  g_autofree char *title_b = title_of (f->sim_b);
  g_autofree char *with_slash = g_strconcat (url_b, "/", NULL);
  const char * const urls[] = { url_b, with_slash, title_b /* "host:port" means http */ };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_test_message ("connect to %s", urls[i]);
      lablink_window_select_equipment_for (window, f->a, mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY));
      lablink_window_set_page (window, "statistics");
      g_assert_true (lablink_window_get_selected_session (window) == f->a);

      mt_activate (window, "connect", g_variant_new ("(ss)", urls[i], ""));

      g_assert_cmpuint (g_list_model_get_n_items (lablink_window_get_sessions (window)), ==, 2);
      g_assert_true (lablink_window_get_session (window) == f->a);
      g_assert_cmpstr (lablink_session_get_server_url (f->a), ==, url_a);
      g_assert_true (lablink_session_get_connected (f->a));
      /* B is shown: the Instruments view, one of its instruments */
      g_assert_cmpstr (lablink_window_get_page (window), ==, "instruments");
      g_assert_true (lablink_window_get_selected_session (window) == f->b);
      g_assert_nonnull (lablink_window_get_last_toast (window));
      g_assert_nonnull (strstr (lablink_window_get_last_toast (window), title_b));
    }

  /* Adding it again shows it too, and adds nothing. */
  lablink_window_select_equipment_for (window, f->a, mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY));
  mt_activate (window, "add-server", g_variant_new ("(ss)", with_slash, ""));
  g_assert_cmpuint (g_list_model_get_n_items (lablink_window_get_sessions (window)), ==, 2);
  g_assert_true (lablink_window_get_selected_session (window) == f->b);

  /* Its own URL still reconnects the first server (no duplicate either). */
  mt_activate (window, "connect", g_variant_new ("(ss)", url_a, ""));
  g_assert_cmpuint (g_list_model_get_n_items (lablink_window_get_sessions (window)), ==, 2);
  g_assert_cmpstr (lablink_session_get_server_url (f->a), ==, url_a);
  TEST_ASSERT_EVENTUALLY (lablink_session_get_connected (f->a));
  mt_round_trip (window);
  screenshot (window, "server-state-connect-shown.png");
}

static void
emit_event (LablinkSession *session,
            const char     *frame)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkMessage) message = lablink_message_parse (frame, -1, &error);

  g_assert_no_error (error);
  g_signal_emit_by_name (session, "event", message);
}

/* The subtitle of the events list's row @index (0: the newest). */
static const char *
event_subtitle (LablinkWindow *window,
                int            index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (mt_find (window, "events-list")), index);

  g_assert_true (ADW_IS_ACTION_ROW (row));
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static gboolean
names (const char *text,
       const char *server)
{
  return text != NULL && strstr (text, server) != NULL;
}

#define ALARM "{\"type\": \"alarm_event\", \"data\": {\"event_id\": \"ev-1\", " \
              "\"alarm_name\": \"psu-overvoltage\", \"message\": \"Overvoltage on CH1\"}}"
#define JOB "{\"type\": \"job_completed\", \"data\": {\"job_id\": \"job-7\", " \
            "\"message\": \"Sweep finished\"}}"

/* One list for the events of every server: each names its server while
 * there are several; with one, the rows are as they always were. */
static void
test_events (Fixture       *f,
             gconstpointer  data)
{
  LablinkWindow *window = f->mt.window;
  LablinkEventsPanel *events = lablink_window_get_events_panel (window);
  g_autofree char *title_a = g_strdup_printf ("127.0.0.1:%u", test_sim_get_port (f->mt.sim));
  g_autofree char *title_b = title_of (f->sim_b);
  guint i;

  lablink_events_panel_clear (events);
  emit_event (f->b, JOB);
  g_assert_true (names (lablink_window_get_last_toast (window), title_b));
  /* the same alarm id on both benches: two alarms, not one */
  emit_event (f->b, ALARM);
  emit_event (f->a, ALARM);
  g_assert_true (names (lablink_window_get_last_toast (window), title_a));
  g_assert_cmpuint (lablink_events_panel_get_n_events (events), ==, 3);
  for (i = 0; i < 3; i++)
    g_test_message ("event %u: %s — %s", i, lablink_events_panel_get_text (events, i), event_subtitle (window, i));
  g_assert_cmpstr (lablink_events_panel_get_text (events, 0), ==, "Overvoltage on CH1");
  g_assert_cmpstr (lablink_events_panel_get_text (events, 1), ==, "Overvoltage on CH1");
  g_assert_true (names (event_subtitle (window, 0), title_a));
  g_assert_true (names (event_subtitle (window, 1), title_b));
  g_assert_true (names (event_subtitle (window, 2), title_b));
  g_assert_true (names (event_subtitle (window, 2), "job_completed"));

  lablink_window_set_page (window, "events");
  test_run_for (300);
  screenshot (window, "server-state-events-default.png");
  mt_resize (window, 1600, 1000);
  screenshot (window, "server-state-events-1600x1000.png");
  mt_resize (window, 800, 600);
  screenshot (window, "server-state-events-800x600.png");

  /* One server again: no server named (the older events included). */
  mt_activate (window, "remove-server", g_variant_new_string (lablink_session_get_server_url (f->b)));
  f->b = NULL;
  emit_event (f->a, JOB);
  g_assert_cmpuint (lablink_events_panel_get_n_events (events), ==, 4);
  for (i = 0; i < 4; i++)
    {
      g_test_message ("event %u: %s", i, event_subtitle (window, i));
      g_assert_false (names (event_subtitle (window, i), title_a));
      g_assert_false (names (event_subtitle (window, i), title_b));
    }
  g_assert_false (names (lablink_window_get_last_toast (window), title_a));
  g_assert_cmpstr (lablink_window_get_last_toast (window), ==, "Sweep finished");
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/server-state/connect-shown", Fixture, NULL, setup, test_connect_shown, teardown);
  g_test_add ("/gui/server-state/events", Fixture, NULL, setup, test_events, teardown);

  return g_test_run ();
}
