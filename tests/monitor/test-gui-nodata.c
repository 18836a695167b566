/* test-gui-nodata.c — a stream the server acknowledges but never sends
 * (LabLink 1.2.5's readings): the panel, the toolbar and the stats pane say
 * "No data"; with the polling fallback they say "Polling" and show values.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-psu-panel.h"
#include "monitor-test-util.h"

static MtSim *sim;
static LablinkApplication *app;
static LablinkWindow *window;
static const char *psu;

static void
test_no_data (void)
{
  LablinkSession *session = lablink_window_get_session (window);
  LablinkStreamToolbar *toolbar = lablink_window_get_stream_toolbar (window);
  LablinkStatsPanel *stats = lablink_window_get_stats_panel (window);
  g_autofree char *key = NULL;
  LablinkPsuPanel *panel;

  g_assert_true (mt_wait_connected (window, 10000));
  g_assert_true (mt_wait_equipment (window, 10000));
  psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  key = lablink_protocol_stream_key (psu, LABLINK_STREAM_READINGS);
  panel = LABLINK_PSU_PANEL (lablink_window_get_panel (window, psu));

  g_object_set (lablink_session_get_manager (session), "polling-fallback", FALSE, NULL);
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));

  MT_WAIT (g_strcmp0 (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), NULL), "No data") == 0, 5000);
  g_assert_cmpstr (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), NULL), ==, "No data");
  g_assert_cmpstr (lablink_stream_toolbar_get_status_text (toolbar, LABLINK_STREAM_READINGS), ==, "No data");
  g_assert_nonnull (lablink_plot_get_message (lablink_psu_panel_get_plot (panel)));
  lablink_stats_panel_update (stats);
  g_assert_cmpstr (lablink_stats_panel_get_stream_text (stats, key, "status"), ==, "No data");
  g_assert_cmpuint (lablink_psu_panel_get_n_updates (panel), ==, 0);
}

static void
test_polling (void)
{
  LablinkSession *session = lablink_window_get_session (window);
  LablinkStreamToolbar *toolbar = lablink_window_get_stream_toolbar (window);
  LablinkStatsPanel *stats = lablink_window_get_stats_panel (window);
  g_autofree char *key = lablink_protocol_stream_key (psu, LABLINK_STREAM_READINGS);
  LablinkPsuPanel *panel = LABLINK_PSU_PANEL (lablink_window_get_panel (window, psu));
  double value;

  mt_activate (window, "stop-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  g_object_set (lablink_session_get_manager (session), "polling-fallback", TRUE, NULL);
  json_node_unref (mt_command (window, psu, "set_voltage", "{\"voltage\": 2.5, \"channel\": 1}"));
  json_node_unref (mt_command (window, psu, "set_output", "{\"enabled\": true, \"channel\": 1}"));
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));

  MT_WAIT (g_strcmp0 (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), NULL), "Polling") == 0, 5000);
  g_assert_cmpstr (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), NULL), ==, "Polling");
  g_assert_cmpstr (lablink_stream_toolbar_get_status_text (toolbar, LABLINK_STREAM_READINGS), ==, "Polling");
  g_assert_null (lablink_plot_get_message (lablink_psu_panel_get_plot (panel)));

  /* Values come from the REST snapshots. */
  MT_WAIT (mt_meter_number (mt_find (window, "psu-ch1-voltage"), &value) && fabs (value - 2.5) < 0.05, 5000);
  g_assert_true (mt_meter_number (mt_find (window, "psu-ch1-voltage"), &value));
  g_assert_cmpfloat (fabs (value - 2.5), <, 0.05);

  lablink_stats_panel_update (stats);
  g_assert_cmpstr (lablink_stats_panel_get_stream_text (stats, key, "status"), ==, "Polling");
}

int
main (int argc, char **argv)
{
  const char *args[] = { "--silent-streams=readings", NULL };
  int ret;

  mt_init (&argc, &argv);

  sim = mt_sim_spawn (args);
  app = mt_app_new ();
  window = mt_open_window (app, mt_sim_get_url (sim), FALSE);

  g_test_add_func ("/gui/nodata/no-data", test_no_data);
  g_test_add_func ("/gui/nodata/polling", test_polling);
  ret = g_test_run ();

  mt_close (app, window);
  mt_sim_free (sim);
  return ret;
}
