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
#include "lablink-server-row.h"
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
  f->b = mt_add_server (window, f->sim_b);
  g_assert_true (f->a != f->b);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  mt_teardown (&f->mt, data);
  g_clear_pointer (&f->sim_b, test_sim_free);
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
  mt_assert_screenshot (GTK_WIDGET (window), "server-state-connect-shown.png");
}

static const char *
indicator_text (LablinkWindow *window)
{
  return lablink_connection_indicator_get_text (lablink_window_get_connection_indicator (window));
}

/* The popover's row for @session's server, or NULL. */
static GtkWidget *
indicator_row (LablinkWindow  *window,
               LablinkSession *session)
{
  GtkListBox *list = GTK_LIST_BOX (mt_find (window, "indicator-servers"));
  GtkListBoxRow *row;
  int i;

  for (i = 0; (row = gtk_list_box_get_row_at_index (list, i)); i++)
    if (lablink_server_row_get_session (LABLINK_SERVER_ROW (row)) == session)
      return GTK_WIDGET (row);
  return NULL;
}

static gboolean
starts (const char *text,
        const char *prefix)
{
  return text != NULL && g_str_has_prefix (text, prefix);
}

/* The header bar sums up every server: whichever instrument is shown, a
 * server that drops is named there with its state, and its popover has
 * each server's own state. */
static void
test_indicator (Fixture       *f,
                gconstpointer  data)
{
  LablinkWindow *window = f->mt.window;
  LablinkConnectionIndicator *indicator = lablink_window_get_connection_indicator (window);
  GtkWidget *list = mt_find (window, "indicator-servers");
  g_autofree char *title_a = g_strdup_printf ("127.0.0.1:%u", test_sim_get_port (f->mt.sim));
  g_autofree char *title_b = title_of (f->sim_b);
  g_autofree char *b_reconnecting = g_strdup_printf ("%s: Reconnecting", title_b);

  g_assert_nonnull (list);
  g_assert_cmpstr (indicator_text (window), ==, "Connected");
  g_assert_true (gtk_widget_get_visible (list));
  g_assert_nonnull (indicator_row (window, f->a));
  g_assert_nonnull (indicator_row (window, f->b));
  g_assert_cmpstr (lablink_server_row_get_title (LABLINK_SERVER_ROW (indicator_row (window, f->b))), ==, title_b);

  /* Looking at an instrument of B when B drops. */
  g_assert_true (lablink_window_select_equipment_for (window, f->b, mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY)));
  test_sim_kill (f->sim_b);
  TEST_ASSERT_EVENTUALLY (starts (indicator_text (window), b_reconnecting));
  g_test_message ("indicator: %s", indicator_text (window));
  /* its box's menu button, in the colour of the state */
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (indicator))),
                                           "warning"));
  g_assert_true (starts (lablink_server_row_get_status_text (LABLINK_SERVER_ROW (indicator_row (window, f->b))), "Reconnecting"));
  g_assert_cmpstr (lablink_server_row_get_status_text (LABLINK_SERVER_ROW (indicator_row (window, f->a))), ==, "Connected");
  /* and still so while A's instrument is shown */
  g_assert_true (lablink_window_select_equipment_for (window, f->a, mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY)));
  g_assert_true (starts (indicator_text (window), title_b));

  test_run_for (300);
  mt_assert_screenshot (GTK_WIDGET (window), "server-state-indicator-default.png");
  lablink_connection_indicator_popup (indicator);
  TEST_ASSERT_EVENTUALLY (gtk_widget_get_mapped (GTK_WIDGET (lablink_connection_indicator_get_popover (indicator))));
  test_run_for (300);
  {
    g_autofree char *path = NULL;
    double variance = 0;

    /* a surface of its own: not in the window's screenshot */
    path = mt_screenshot (GTK_WIDGET (lablink_connection_indicator_get_popover (indicator)),
                          "server-state-indicator-popover.png", &variance);
    g_assert_cmpfloat (variance, >, 50.0);
  }
  gtk_popover_popdown (lablink_connection_indicator_get_popover (indicator));
  mt_resize (window, 1600, 1000);
  mt_assert_screenshot (GTK_WIDGET (window), "server-state-indicator-1600x1000.png");
  mt_resize (window, 800, 600);
  mt_assert_screenshot (GTK_WIDGET (window), "server-state-indicator-800x600.png");

  /* Both down: how many. */
  test_sim_kill (f->mt.sim);
  TEST_ASSERT_EVENTUALLY (g_strcmp0 (indicator_text (window), "2 of 2 servers not connected") == 0);

  /* One server again: as it always was. */
  mt_activate (window, "remove-server", g_variant_new_string (lablink_session_get_server_url (f->b)));
  f->b = NULL;
  g_assert_false (gtk_widget_get_visible (list));
  g_assert_false (starts (indicator_text (window), title_a));
  g_assert_true (starts (indicator_text (window), "Reconnecting"));
}

/* Send → screen: the values of B's instrument shown go to B's statistics,
 * not to the first server's. */
/* Send → screen: the values of an instrument shown go to the statistics
 * of its own server, not to the first server's. (Only the built-in
 * simulator stamps its frames with their send time: it is a third server.) */
static void
test_latency (Fixture       *f,
              gconstpointer  data)
{
  LablinkWindow *window = f->mt.window;
  g_autoptr(LablinkSession) demo = lablink_session_new (lablink_session_get_settings (f->a));
  g_autoptr(GError) error = NULL;
  LablinkLatency *latency_a = lablink_session_get_latency (f->a);
  LablinkLatency *latency_demo = lablink_session_get_latency (demo);
  guint64 before_a = lablink_latency_get_count (latency_a);
  const char *psu = NULL;
  GListModel *equipment;
  guint i;

  lablink_window_add_session (window, demo);
  g_assert_true (lablink_session_start_demo (demo, &error));
  g_assert_no_error (error);
  TEST_ASSERT_EVENTUALLY (lablink_session_get_connected (demo) && lablink_session_get_equipment_loaded (demo));
  equipment = lablink_session_get_equipment (demo);
  for (i = 0; psu == NULL && i < g_list_model_get_n_items (equipment); i++)
    {
      g_autoptr(LablinkEquipment) item = g_list_model_get_item (equipment, i);

      if (lablink_equipment_get_kind (item) == LABLINK_EQUIPMENT_POWER_SUPPLY)
        psu = lablink_equipment_get_id (item);   /* the list keeps it */
    }
  g_assert_nonnull (psu);

  g_assert_true (lablink_window_select_equipment_for (window, demo, psu));
  lablink_window_set_page (window, "instruments");
  if (!lablink_session_is_stream_active (demo, psu, LABLINK_STREAM_READINGS))
    mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  g_assert_true (lablink_session_is_stream_active (demo, psu, LABLINK_STREAM_READINGS));
  TEST_ASSERT_EVENTUALLY (lablink_latency_get_count (latency_demo) + lablink_latency_get_count (latency_a) >= before_a + 5);
  g_test_message ("latency counts: first server %" G_GUINT64_FORMAT ", simulator %" G_GUINT64_FORMAT,
                  lablink_latency_get_count (latency_a), lablink_latency_get_count (latency_demo));
  g_assert_cmpuint (lablink_latency_get_count (latency_a), ==, before_a);
  g_assert_cmpuint (lablink_latency_get_count (latency_demo), >=, 5);

  lablink_window_set_page (window, "statistics");
  {
    GtkWidget *stats = GTK_WIDGET (lablink_window_get_stats_panel_for (window, demo));

    gtk_stack_set_visible_child (GTK_STACK (gtk_widget_get_parent (stats)), stats);
    lablink_stats_panel_update (LABLINK_STATS_PANEL (stats));
  }
  test_run_for (300);
  mt_assert_screenshot (GTK_WIDGET (window), "server-state-statistics.png");
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
  mt_assert_screenshot (GTK_WIDGET (window), "server-state-events-default.png");
  mt_resize (window, 1600, 1000);
  mt_assert_screenshot (GTK_WIDGET (window), "server-state-events-1600x1000.png");
  mt_resize (window, 800, 600);
  mt_assert_screenshot (GTK_WIDGET (window), "server-state-events-800x600.png");

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
  g_test_add ("/gui/server-state/indicator", Fixture, NULL, setup, test_indicator, teardown);
  g_test_add ("/gui/server-state/latency", Fixture, NULL, setup, test_latency, teardown);

  return g_test_run ();
}
