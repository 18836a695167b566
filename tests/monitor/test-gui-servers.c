/* test-gui-servers.c — several servers at once (issue 11, §5)
 *
 * Two simulators: both connected at once, the sidebar shows a group per
 * server with its instruments, each server's values arrive in the panel of
 * its own instrument (the simulators' instruments have the same ids),
 * killing one shows that server reconnecting while the other stays
 * connected and live, removing a server removes its group, and the set
 * comes back when the window is opened again with the same settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-acquisition-row.h"
#include "lablink-equipment-row.h"
#include "lablink-psu-panel.h"
#include "lablink-server-row.h"
#include "monitor-test-util.h"

typedef struct {
  MtFixture  mt;
  TestSim   *sim_b;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->sim_b = test_sim_spawn (NULL);
  mt_fixture_setup (&f->mt, NULL);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  mt_fixture_teardown (&f->mt);
  g_clear_pointer (&f->sim_b, test_sim_free);
}

static const char *
psu_id (LablinkSession *session)
{
  GListModel *model = lablink_session_get_equipment (session);
  guint i;

  for (i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LablinkEquipment) equipment = g_list_model_get_item (model, i);

      if (lablink_equipment_get_kind (equipment) == LABLINK_EQUIPMENT_POWER_SUPPLY)
        return lablink_equipment_get_id (equipment);
    }
  return NULL;
}

/* The sidebar's rows: server headers and, per session, instruments. */
static guint
count_rows (LablinkWindow  *window,
            GType           type,
            LablinkSession *session)
{
  GtkListBox *list = GTK_LIST_BOX (mt_find (window, "equipment-list"));
  GtkListBoxRow *row;
  guint n = 0;
  int i;

  for (i = 0; (row = gtk_list_box_get_row_at_index (list, i)); i++)
    {
      if (!g_type_is_a (G_OBJECT_TYPE (row), type))
        continue;
      if (session == NULL ||
          (LABLINK_IS_EQUIPMENT_ROW (row) && lablink_equipment_row_get_session (LABLINK_EQUIPMENT_ROW (row)) == session) ||
          (LABLINK_IS_SERVER_ROW (row) && lablink_server_row_get_session (LABLINK_SERVER_ROW (row)) == session))
        n++;
    }
  return n;
}

static const char *
server_status (LablinkWindow  *window,
               LablinkSession *session)
{
  GtkWidget *row = lablink_window_get_server_row (window, session);

  return row ? lablink_server_row_get_status_text (LABLINK_SERVER_ROW (row)) : NULL;
}

static gboolean
meter_near (GtkWidget  *panel,
            const char *name,
            double      expected,
            double      tolerance)
{
  double value;

  return mt_meter_number (lablink_widget_find_by_name (panel, name), &value) && fabs (value - expected) <= tolerance;
}

static LablinkPsuPanel *
show_psu (LablinkWindow  *window,
          LablinkSession *session,
          const char     *psu,
          double          volts)
{
  g_autofree char *params = g_strdup_printf ("{\"voltage\": %.2f, \"channel\": 1}", volts);
  g_autoptr(JsonNode) r1 = NULL;
  g_autoptr(JsonNode) r2 = NULL;
  GtkWidget *panel;

  g_assert_true (lablink_window_select_equipment_for (window, session, psu));
  g_assert_true (lablink_window_get_selected_session (window) == session);
  panel = lablink_window_get_panel_for (window, session, psu);
  g_assert_true (LABLINK_IS_PSU_PANEL (panel));
  r1 = mt_command_on (session, psu, "set_voltage", params);
  r2 = mt_command_on (session, psu, "set_output", "{\"enabled\": true, \"channel\": 1}");
  /* the toolbar and win.start-stream act on the shown instrument's server */
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  return LABLINK_PSU_PANEL (panel);
}

/* The first acquisition row under @widget. */
static GtkWidget *
find_acquisition_row (GtkWidget *widget)
{
  GtkWidget *child;

  if (LABLINK_IS_ACQUISITION_ROW (widget))
    return widget;
  for (child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_acquisition_row (child);
      if (found)
        return found;
    }
  return NULL;
}

static void
test_two_servers (Fixture       *f,
                  gconstpointer  data)
{
  LablinkWindow *window = f->mt.window;
  LablinkSession *a = lablink_window_get_session (window);
  LablinkSession *b;
  LablinkPsuPanel *panel_a, *panel_b;
  GSettings *settings = lablink_session_get_settings (a);
  const char *url_a = lablink_session_get_server_url (a);
  g_autofree char *url_b = g_strdup (test_sim_get_url (f->sim_b));
  g_autoptr(GVariant) kept = NULL;
  const char *psu;
  guint64 updates;

  g_assert_nonnull (settings);
  g_assert_cmpuint (g_list_model_get_n_items (lablink_window_get_sessions (window)), ==, 1);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "remove-server"));

  /* A second server: the first stays connected. */
  mt_activate (window, "add-server", g_variant_new ("(ss)", url_b, ""));
  b = lablink_window_lookup_session (window, url_b);
  g_assert_nonnull (b);
  g_assert_true (b != a);
  g_assert_true (lablink_window_get_session (window) == a);
  TEST_WAIT (lablink_session_get_connected (b) && lablink_session_get_equipment_loaded (b), TEST_TIMEOUT_MS);
  g_assert_true (lablink_session_get_connected (b));
  g_assert_true (lablink_session_get_connected (a));
  g_assert_cmpuint (g_list_model_get_n_items (lablink_window_get_sessions (window)), ==, 2);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "remove-server"));

  /* Two groups: a header per server, its instruments under it. */
  g_assert_cmpuint (count_rows (window, LABLINK_TYPE_SERVER_ROW, NULL), ==, 2);
  g_assert_cmpuint (count_rows (window, LABLINK_TYPE_EQUIPMENT_ROW, a), ==,
                    g_list_model_get_n_items (lablink_session_get_equipment (a)));
  g_assert_cmpuint (count_rows (window, LABLINK_TYPE_EQUIPMENT_ROW, b), ==,
                    g_list_model_get_n_items (lablink_session_get_equipment (b)));
  g_assert_cmpuint (count_rows (window, LABLINK_TYPE_EQUIPMENT_ROW, b), >, 0);
  TEST_WAIT (g_strcmp0 (server_status (window, b), "Connected") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (server_status (window, a), ==, "Connected");
  g_assert_cmpstr (server_status (window, b), ==, "Connected");
  {
    g_autofree char *title = g_strdup_printf ("127.0.0.1:%u", test_sim_get_port (f->sim_b));
    g_assert_cmpstr (lablink_server_row_get_title (LABLINK_SERVER_ROW (lablink_window_get_server_row (window, b))), ==, title);
  }

  /* The same instrument id on both: each panel shows its own server's values. */
  psu = psu_id (b);
  g_assert_cmpstr (psu, ==, psu_id (a));
  panel_a = show_psu (window, a, psu, 7.25);
  panel_b = show_psu (window, b, psu, 3.30);
  g_assert_true (panel_a != panel_b);
  TEST_WAIT (meter_near (GTK_WIDGET (panel_b), "psu-ch1-voltage", 3.30, 0.05), TEST_TIMEOUT_MS);
  g_assert_true (meter_near (GTK_WIDGET (panel_b), "psu-ch1-voltage", 3.30, 0.05));
  TEST_WAIT (meter_near (GTK_WIDGET (panel_a), "psu-ch1-voltage", 7.25, 0.05), TEST_TIMEOUT_MS);
  g_assert_true (meter_near (GTK_WIDGET (panel_a), "psu-ch1-voltage", 7.25, 0.05));
  g_assert_true (lablink_session_is_stream_active (a, psu, LABLINK_STREAM_READINGS));
  g_assert_true (lablink_session_is_stream_active (b, psu, LABLINK_STREAM_READINGS));

  /* The statistics: a page per server. */
  g_assert_nonnull (lablink_window_get_stats_panel_for (window, a));
  g_assert_nonnull (lablink_window_get_stats_panel_for (window, b));
  g_assert_true (lablink_window_get_stats_panel_for (window, a) == lablink_window_get_stats_panel (window));
  g_assert_true (lablink_window_get_stats_panel_for (window, b) != lablink_window_get_stats_panel (window));
  g_assert_true (gtk_widget_get_visible (mt_find (window, "stats-switcher")));

  /* Acquisitions: a page per server, its rows name the server. */
  {
    LablinkAcquisitionPanel *acquisitions = lablink_window_get_acquisition_panel_for (window, b);
    g_autofree char *prefix = g_strdup_printf ("127.0.0.1:%u · ", test_sim_get_port (f->sim_b));
    GtkWidget *row;

    g_assert_nonnull (acquisitions);
    g_assert_true (acquisitions != lablink_window_get_acquisition_panel (window));
    g_assert_true (lablink_window_get_acquisition_panel_for (window, a) == lablink_window_get_acquisition_panel (window));
    g_assert_true (gtk_widget_get_visible (mt_find (window, "acquisitions-switcher")));
    lablink_window_set_page (window, "acquisitions");
    gtk_stack_set_visible_child (GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (acquisitions))), GTK_WIDGET (acquisitions));
    lablink_acquisition_panel_fill_form (acquisitions, psu, "CH1", 100.0, "continuous");
    g_signal_emit_by_name (lablink_acquisition_panel_get_create_button (acquisitions), "clicked");
    TEST_WAIT (lablink_acquisition_panel_get_selected_id (acquisitions) != NULL &&
               find_acquisition_row (GTK_WIDGET (acquisitions)) != NULL, TEST_TIMEOUT_MS);
    row = find_acquisition_row (GTK_WIDGET (acquisitions));
    g_assert_nonnull (row);
    g_test_message ("acquisition row: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), prefix));
    /* the first server has none */
    g_assert_null (find_acquisition_row (GTK_WIDGET (lablink_window_get_acquisition_panel (window))));
    test_run_for (500);
    mt_assert_screenshot (GTK_WIDGET (window), "servers-acquisitions.png");
    lablink_window_set_page (window, "instruments");
  }

  test_run_for (300);   /* the view switcher drawn for the page shown */
  mt_assert_screenshot (GTK_WIDGET (window), "servers-default.png");
  mt_resize (window, 1600, 1000);
  mt_assert_screenshot (GTK_WIDGET (window), "servers-1600x1000.png");
  lablink_window_set_page (window, "statistics");
  lablink_stats_panel_update (lablink_window_get_stats_panel_for (window, b));
  test_run_for (300);
  mt_assert_screenshot (GTK_WIDGET (window), "servers-statistics.png");
  lablink_window_set_page (window, "instruments");
  mt_resize (window, 800, 600);
  mt_assert_screenshot (GTK_WIDGET (window), "servers-800x600.png");
  mt_activate (window, "toggle-sidebar", NULL);
  test_run_for (500);
  mt_assert_screenshot (GTK_WIDGET (window), "servers-800x600-sidebar.png");
  mt_activate (window, "toggle-sidebar", NULL);
  mt_resize (window, 1200, 760);

  /* One server goes: only it reconnects; the other stays live. */
  test_sim_kill (f->sim_b);
  TEST_WAIT (g_str_has_prefix (server_status (window, b), "Reconnecting"), TEST_TIMEOUT_MS);
  g_test_message ("after the kill: %s / %s", server_status (window, a), server_status (window, b));
  g_assert_true (g_str_has_prefix (server_status (window, b), "Reconnecting"));
  g_assert_cmpstr (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel_b), NULL), !=, "Running");
  g_assert_cmpstr (server_status (window, a), ==, "Connected");
  g_assert_true (lablink_session_get_connected (a));
  updates = lablink_psu_panel_get_n_updates (panel_a);
  TEST_WAIT (lablink_psu_panel_get_n_updates (panel_a) > updates + 3, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_psu_panel_get_n_updates (panel_a), >, updates + 3);
  g_assert_cmpstr (server_status (window, a), ==, "Connected");

  /* Removing it removes its group (and only it). */
  mt_activate (window, "remove-server", g_variant_new_string (url_b));
  g_assert_null (lablink_window_lookup_session (window, url_b));
  g_assert_cmpuint (g_list_model_get_n_items (lablink_window_get_sessions (window)), ==, 1);
  g_assert_cmpuint (count_rows (window, LABLINK_TYPE_SERVER_ROW, NULL), ==, 1);
  g_assert_cmpuint (count_rows (window, LABLINK_TYPE_EQUIPMENT_ROW, NULL), ==,
                    g_list_model_get_n_items (lablink_session_get_equipment (a)));
  g_assert_false (gtk_widget_get_visible (mt_find (window, "stats-switcher")));
  g_assert_false (gtk_widget_get_visible (mt_find (window, "acquisitions-switcher")));
  g_assert_true (lablink_session_get_connected (a));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "remove-server"));
  kept = g_settings_get_value (settings, "servers");
  g_assert_cmpuint (g_variant_n_children (kept), ==, 1);
  g_clear_pointer (&kept, g_variant_unref);

  /* Back, and added again: the set is kept in the settings… */
  test_sim_restart (f->sim_b);
  mt_activate (window, "add-server", g_variant_new ("(ss)", url_b, ""));
  kept = g_settings_get_value (settings, "servers");
  g_assert_cmpuint (g_variant_n_children (kept), ==, 2);
  {
    const char *url, *user;

    g_variant_get_child (kept, 0, "(&s&s)", &url, &user);
    g_assert_cmpstr (url, ==, url_a);
    g_assert_cmpstr (user, ==, "");
    g_variant_get_child (kept, 1, "(&s&s)", &url, &user);
    g_assert_cmpstr (url, ==, lablink_session_get_server_url (lablink_window_lookup_session (window, url_b)));
  }

  /* …and restored by a new window (no --server: the kept set). */
  {
    g_autofree char *first = g_strdup (url_a);

    gtk_window_destroy (GTK_WINDOW (window));
    test_run_for (100);
    lablink_application_set_options (f->mt.app, NULL, NULL, NULL, FALSE);
    window = f->mt.window = lablink_application_open_window (f->mt.app);
    gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
    g_assert_cmpuint (g_list_model_get_n_items (lablink_window_get_sessions (window)), ==, 2);
    a = lablink_window_get_session (window);
    g_assert_cmpstr (lablink_session_get_server_url (a), ==, first);
  }
  b = lablink_window_lookup_session (window, url_b);
  g_assert_nonnull (b);
  TEST_WAIT (lablink_session_get_connected (a) && lablink_session_get_connected (b) &&
             lablink_session_get_equipment_loaded (a) && lablink_session_get_equipment_loaded (b), TEST_TIMEOUT_MS);
  g_assert_true (lablink_session_get_connected (a));
  g_assert_true (lablink_session_get_connected (b));
  TEST_WAIT (count_rows (window, LABLINK_TYPE_EQUIPMENT_ROW, b) > 0, TEST_TIMEOUT_MS);
  g_assert_cmpuint (count_rows (window, LABLINK_TYPE_SERVER_ROW, NULL), ==, 2);
  g_assert_cmpuint (count_rows (window, LABLINK_TYPE_EQUIPMENT_ROW, b), ==,
                    g_list_model_get_n_items (lablink_session_get_equipment (b)));
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/servers/two-at-once", Fixture, NULL, setup, test_two_servers, teardown);

  return g_test_run ();
}
