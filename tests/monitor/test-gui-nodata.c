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

/* A simulator whose readings streams are acknowledged and then silent,
 * as the released LabLink 1.2.5 does. */
static void
setup (MtFixture     *f,
       gconstpointer  data)
{
  const char *args[] = { "--silent-streams=readings", NULL };

  mt_fixture_setup (f, args);
}

static void
teardown (MtFixture     *f,
          gconstpointer  data)
{
  mt_fixture_teardown (f);
}

static void
test_no_data (MtFixture     *f,
              gconstpointer  data)
{
  LablinkWindow *window = f->window;
  const char *psu;
  LablinkSession *session = lablink_window_get_session (window);
  LablinkStreamToolbar *toolbar = lablink_window_get_stream_toolbar (window);
  LablinkStatsPanel *stats = lablink_window_get_stats_panel (window);
  g_autofree char *key = NULL;
  LablinkPsuPanel *panel;

  psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  key = lablink_protocol_stream_key (psu, LABLINK_STREAM_READINGS);
  panel = LABLINK_PSU_PANEL (lablink_window_get_panel (window, psu));

  g_object_set (lablink_session_get_manager (session), "polling-fallback", FALSE, NULL);
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));

  TEST_WAIT (g_strcmp0 (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), NULL), "No data") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), NULL), ==, "No data");
  g_assert_cmpstr (lablink_stream_toolbar_get_status_text (toolbar, LABLINK_STREAM_READINGS), ==, "No data");
  g_assert_nonnull (lablink_plot_get_message (lablink_psu_panel_get_plot (panel)));
  lablink_stats_panel_update (stats);
  g_assert_cmpstr (lablink_stats_panel_get_stream_text (stats, key, "status"), ==, "No data");
  g_assert_cmpuint (lablink_psu_panel_get_n_updates (panel), ==, 0);
}

static void
test_polling (MtFixture     *f,
              gconstpointer  data)
{
  LablinkWindow *window = f->window;
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
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

  TEST_WAIT (g_strcmp0 (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), NULL), "Polling") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), NULL), ==, "Polling");
  g_assert_cmpstr (lablink_stream_toolbar_get_status_text (toolbar, LABLINK_STREAM_READINGS), ==, "Polling");
  g_assert_null (lablink_plot_get_message (lablink_psu_panel_get_plot (panel)));

  /* Values come from the REST snapshots. */
  TEST_WAIT (mt_meter_number (mt_find (window, "psu-ch1-voltage"), &value) && fabs (value - 2.5) < 0.05, TEST_TIMEOUT_MS);
  g_assert_true (mt_meter_number (mt_find (window, "psu-ch1-voltage"), &value));
  g_assert_cmpfloat (fabs (value - 2.5), <, 0.05);

  g_assert_cmpstr (lablink_stream_toolbar_get_shared_text (toolbar, LABLINK_STREAM_READINGS), ==,
                   "values polled over REST: the server sends no frames");

  /* Polled values are counted, and marked (issue 8, failure 5). */
  TEST_WAIT ((lablink_stats_panel_update (stats),
              strstr (lablink_stats_panel_get_stream_text (stats, key, "rate"), " polled)") != NULL), TEST_TIMEOUT_MS);
  g_assert_cmpstr (lablink_stats_panel_get_stream_text (stats, key, "status"), ==, "Polling");
  g_assert_nonnull (strstr (lablink_stats_panel_get_stream_text (stats, key, "messages"), " polled)"));
  g_assert_nonnull (strstr (lablink_stats_panel_get_stream_text (stats, key, "rate"), " polled)"));
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/nodata/no-data", MtFixture, NULL, setup, test_no_data, teardown);
  g_test_add ("/gui/nodata/polling", MtFixture, NULL, setup, test_polling, teardown);

  return g_test_run ();
}
