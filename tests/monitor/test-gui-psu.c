/* test-gui-psu.c — the PSU panel shows what the simulator does; the toolbar
 * starts and stops its stream.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-psu-panel.h"
#include "monitor-test-util.h"

static gboolean
meter_near (LablinkWindow *window,
            const char    *name,
            double         expected,
            double         tolerance)
{
  double value;

  return mt_meter_number (mt_find (window, name), &value) && fabs (value - expected) <= tolerance;
}

static void
test_psu_connect (MtFixture     *f,
                  gconstpointer  data)
{
  LablinkWindow *window = f->window;
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);

  g_assert_cmpstr (lablink_connection_indicator_get_text (lablink_window_get_connection_indicator (window)),
                   ==, "Connected");
  g_assert_nonnull (psu);
  /* A first look at a server selects its power supply. */
  g_assert_cmpstr (lablink_window_get_selected_equipment_id (window), ==, psu);
  g_assert_true (LABLINK_IS_PSU_PANEL (lablink_window_get_panel (window, psu)));
  g_assert_nonnull (mt_find (window, "equipment-scope_386959fc"));
}

static void
test_psu_meters_follow_setpoints (MtFixture     *f,
                                  gconstpointer  data)
{
  LablinkWindow *window = f->window;
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  LablinkStreamToolbar *toolbar = lablink_window_get_stream_toolbar (window);
  LablinkPsuPanel *panel = LABLINK_PSU_PANEL (lablink_window_get_panel (window, psu));
  GtkToggleButton *toggle = lablink_stream_toolbar_get_toggle (toolbar, LABLINK_STREAM_READINGS);
  g_autoptr(JsonNode) r1 = NULL;
  g_autoptr(JsonNode) r2 = NULL;
  g_autoptr(JsonNode) r3 = NULL;
  g_autoptr(JsonNode) r4 = NULL;
  LablinkPsuChannel *channel;
  LablinkPlot *plot;

  g_assert_nonnull (toggle);
  g_assert_false (gtk_toggle_button_get_active (toggle));

  /* The toolbar's action, as a click does it. */
  mt_activate (window, "toggle-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  g_assert_true (gtk_toggle_button_get_active (toggle));

  r1 = mt_command (window, psu, "set_current", "{\"current\": 2.0, \"channel\": 1}");
  r2 = mt_command (window, psu, "set_voltage", "{\"voltage\": 7.25, \"channel\": 1}");
  r3 = mt_command (window, psu, "set_output", "{\"enabled\": true, \"channel\": 1}");

  TEST_WAIT (meter_near (window, "psu-ch1-voltage", 7.25, 0.05), TEST_TIMEOUT_MS);
  g_assert_true (meter_near (window, "psu-ch1-voltage", 7.25, 0.05));

  channel = lablink_psu_panel_get_channel (panel, 1);
  g_assert_nonnull (channel);
  g_assert_cmpstr (lablink_psu_channel_get_output_text (channel), ==, "Output ON");
  g_assert_nonnull (strstr (lablink_psu_channel_get_setpoint_text (channel), "7.250"));
  TEST_WAIT (g_strcmp0 (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), NULL), "Running") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), NULL), ==, "Running");
  g_assert_cmpstr (lablink_stream_toolbar_get_status_text (toolbar, LABLINK_STREAM_READINGS), ==, "Running");

  /* A current and a power follow from the load. */
  {
    double i, p, v;

    g_assert_true (mt_meter_number (mt_find (window, "psu-ch1-current"), &i));
    g_assert_true (mt_meter_number (mt_find (window, "psu-ch1-power"), &p));
    g_assert_true (mt_meter_number (mt_find (window, "psu-ch1-voltage"), &v));
    g_assert_cmpfloat (i, >, 0.0);
    g_assert_cmpfloat_with_epsilon (p, v * i, 0.01 + 0.02 * p);
  }

  /* A second set-point: the meter follows again. */
  r4 = mt_command (window, psu, "set_voltage", "{\"voltage\": 3.3, \"channel\": 1}");
  TEST_WAIT (meter_near (window, "psu-ch1-voltage", 3.3, 0.05), TEST_TIMEOUT_MS);
  g_assert_true (meter_near (window, "psu-ch1-voltage", 3.3, 0.05));

  /* The history chart has the readings and was drawn. */
  plot = lablink_psu_panel_get_plot (panel);
  TEST_WAIT (lablink_plot_get_n_draws (plot) > 0 && lablink_plot_get_series_n_points (plot, 0) > 5, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_plot_get_series_n_points (plot, 0), >, 5);
  g_assert_cmpuint (lablink_plot_get_n_draws (plot), >, 0);
}

static void
test_psu_stop_from_toolbar (MtFixture     *f,
                            gconstpointer  data)
{
  LablinkWindow *window = f->window;
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  LablinkStreamToolbar *toolbar = lablink_window_get_stream_toolbar (window);
  LablinkPsuPanel *panel = LABLINK_PSU_PANEL (lablink_window_get_panel (window, psu));
  LablinkSession *session = lablink_window_get_session (window);
  GtkToggleButton *toggle = lablink_stream_toolbar_get_toggle (toolbar, LABLINK_STREAM_READINGS);
  g_autofree char *shown = NULL;
  guint64 updates;

  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  TEST_WAIT (lablink_psu_panel_get_n_updates (panel) > 2, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_psu_panel_get_n_updates (panel), >, 2);
  g_assert_true (lablink_session_is_stream_active (session, psu, LABLINK_STREAM_READINGS));

  mt_activate (window, "toggle-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  g_assert_false (gtk_toggle_button_get_active (toggle));
  g_assert_false (lablink_session_is_stream_active (session, psu, LABLINK_STREAM_READINGS));
  g_assert_cmpstr (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), NULL), ==, "Stopped");

  /* Frames already on their way may still land (they are in before the
   * pong); then nothing, however long the next round trip takes. */
  mt_round_trip (window);
  updates = lablink_psu_panel_get_n_updates (panel);
  shown = g_strdup (lablink_meter_get_text (LABLINK_METER (mt_find (window, "psu-ch1-voltage"))));
  test_run_for (500);
  mt_round_trip (window);
  g_assert_cmpuint (lablink_psu_panel_get_n_updates (panel), ==, updates);
  g_assert_cmpstr (lablink_meter_get_text (LABLINK_METER (mt_find (window, "psu-ch1-voltage"))), ==, shown);

  /* Start again from the toolbar: updates resume. */
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  g_assert_true (gtk_toggle_button_get_active (toggle));
  TEST_WAIT (lablink_psu_panel_get_n_updates (panel) > updates + 2, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_psu_panel_get_n_updates (panel), >, updates + 2);
}

static void
test_psu_interval_persisted (MtFixture     *f,
                             gconstpointer  data)
{
  LablinkWindow *window = f->window;
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  LablinkStreamToolbar *toolbar = lablink_window_get_stream_toolbar (window);
  LablinkSession *session = lablink_window_get_session (window);
  GtkSpinButton *spin = lablink_stream_toolbar_get_interval (toolbar, LABLINK_STREAM_READINGS);
  GSettings *settings = lablink_session_get_settings (session);
  g_autofree char *key = lablink_protocol_stream_key (psu, LABLINK_STREAM_READINGS);
  guint32 stored = 0;

  g_assert_nonnull (spin);
  gtk_spin_button_set_value (spin, 250);
  TEST_WAIT (lablink_session_get_interval (session, psu, LABLINK_STREAM_READINGS) == 250, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_session_get_interval (session, psu, LABLINK_STREAM_READINGS), ==, 250);

  if (settings)
    {
      g_autoptr(GVariant) dict = g_settings_get_value (settings, "stream-intervals");
      g_assert_true (g_variant_lookup (dict, key, "u", &stored));
      g_assert_cmpuint (stored, ==, 250);
    }
  else
    g_test_message ("no settings schema: interval kept in memory only");
}

static void
test_psu_settings_kept (MtFixture     *f,
                        gconstpointer  data)
{
  LablinkWindow *window = f->window;
  GSettings *settings = lablink_session_get_settings (lablink_window_get_session (window));
  g_auto(GStrv) recent = NULL;
  g_autofree char *last = NULL;

  if (settings == NULL)
    {
      g_test_skip ("no settings schema");
      return;
    }

  /* The server connected to is remembered. */
  last = g_settings_get_string (settings, "last-server");
  g_assert_cmpstr (last, ==, test_sim_get_url (f->sim));
  recent = g_settings_get_strv (settings, "recent-servers");
  g_assert_nonnull (recent[0]);
  g_assert_cmpstr (recent[0], ==, test_sim_get_url (f->sim));

  /* Window size and sidebar width, as saved when the window closes. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1111, 777);
  lablink_window_save_state (window);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1111);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 777);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_cmpint (g_settings_get_int (settings, "sidebar-width"), >=, 160);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/psu/connect", MtFixture, NULL, mt_setup, test_psu_connect, mt_teardown);
  g_test_add ("/gui/psu/meters-follow-setpoints", MtFixture, NULL, mt_setup, test_psu_meters_follow_setpoints, mt_teardown);
  g_test_add ("/gui/psu/stop-from-toolbar", MtFixture, NULL, mt_setup, test_psu_stop_from_toolbar, mt_teardown);
  g_test_add ("/gui/psu/interval-persisted", MtFixture, NULL, mt_setup, test_psu_interval_persisted, mt_teardown);
  g_test_add ("/gui/psu/settings-kept", MtFixture, NULL, mt_setup, test_psu_settings_kept, mt_teardown);

  return g_test_run ();
}
