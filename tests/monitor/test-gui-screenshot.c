/* test-gui-screenshot.c — renders the main window with live data to PNGs
 * ($G_TEST_BUILDDIR/screenshots/) and checks they are not blank.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-acquisition-panel.h"
#include "lablink-psu-panel.h"
#include "lablink-scope-panel.h"
#include "monitor-test-util.h"

static MtSim *sim;
static LablinkApplication *app;
static LablinkWindow *window;

static void
draw_now (GtkWidget *widget)
{
  /* Let the frame clock lay out and paint what changed. */
  gtk_widget_queue_draw (widget);
  test_run_for (300);
}

static void
test_screenshot_psu (void)
{
  g_autofree char *path = NULL;
  const char *psu, *load;
  LablinkPsuPanel *panel;
  double variance = 0;
  guint step;

  g_assert_true (mt_wait_connected (window, 10000));
  g_assert_true (mt_wait_equipment (window, 10000));
  psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  load = mt_equipment_id (window, LABLINK_EQUIPMENT_ELECTRONIC_LOAD);

  json_node_unref (mt_command (window, psu, "set_current", "{\"current\": 2.0, \"channel\": 1}"));
  json_node_unref (mt_command (window, psu, "set_voltage", "{\"voltage\": 5.0, \"channel\": 1}"));
  json_node_unref (mt_command (window, psu, "set_output", "{\"enabled\": true, \"channel\": 1}"));
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  /* The load too, so that its sidebar row shows "Live". */
  g_assert_true (lablink_window_select_equipment (window, load));
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  g_assert_true (lablink_window_select_equipment (window, psu));
  panel = LABLINK_PSU_PANEL (lablink_window_get_panel (window, psu));

  /* A few seconds of history with steps in it. */
  for (step = 0; step < 4; step++)
    {
      g_autofree char *params = g_strdup_printf ("{\"voltage\": %.1f, \"channel\": 1}", 5.0 + step * 1.5);

      json_node_unref (mt_command (window, psu, "set_voltage", params));
      test_run_for (700);
    }
  MT_WAIT (lablink_psu_panel_get_n_updates (panel) > 20, 5000);
  draw_now (GTK_WIDGET (window));

  path = mt_screenshot (GTK_WIDGET (window), "main-window.png", &variance);
  g_test_message ("%s: luminance variance %.1f", path, variance);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpfloat (variance, >, 100.0);
}

static void
test_screenshot_scope (void)
{
  g_autofree char *path = NULL;
  const char *scope = mt_equipment_id (window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  LablinkScopePanel *panel;
  double variance = 0, value;

  g_assert_true (lablink_window_select_equipment (window, scope));
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_WAVEFORM));
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_MEASUREMENTS));
  panel = LABLINK_SCOPE_PANEL (lablink_window_get_panel (window, scope));
  MT_WAIT (lablink_scope_panel_get_n_waveforms (panel) >= 3 &&
           lablink_scope_panel_get_measurement (panel, "vpp", &value), 8000);

  /* The cursor readout in the picture too. */
  {
    LablinkPlot *plot = lablink_scope_panel_get_plot (panel);
    lablink_plot_set_pointer (plot, gtk_widget_get_width (GTK_WIDGET (plot)) * 0.4,
                              gtk_widget_get_height (GTK_WIDGET (plot)) * 0.3);
  }
  draw_now (GTK_WIDGET (window));

  path = mt_screenshot (GTK_WIDGET (window), "scope.png", &variance);
  g_test_message ("%s: luminance variance %.1f", path, variance);
  g_assert_cmpfloat (variance, >, 100.0);
}

static void
test_screenshot_stats (void)
{
  g_autofree char *path = NULL;
  double variance = 0;

  lablink_window_set_page (window, "statistics");
  lablink_stats_panel_update (lablink_window_get_stats_panel (window));
  draw_now (GTK_WIDGET (window));
  g_assert_cmpstr (lablink_stats_panel_get_value_text (lablink_window_get_stats_panel (window), "messages-received"),
                   !=, "0");
  path = mt_screenshot (GTK_WIDGET (window), "statistics.png", &variance);
  g_assert_cmpfloat (variance, >, 50.0);
  lablink_window_set_page (window, "instruments");
}

static void
test_screenshot_load (void)
{
  g_autofree char *path = NULL;
  const char *load = mt_equipment_id (window, LABLINK_EQUIPMENT_ELECTRONIC_LOAD);
  double variance = 0;

  json_node_unref (mt_command (window, load, "set_mode", "{\"mode\": \"CC\"}"));
  json_node_unref (mt_command (window, load, "set_current", "{\"current\": 1.25}"));
  json_node_unref (mt_command (window, load, "set_input", "{\"enabled\": true}"));
  g_assert_true (lablink_window_select_equipment (window, load));
  test_run_for (1500);
  draw_now (GTK_WIDGET (window));
  path = mt_screenshot (GTK_WIDGET (window), "load.png", &variance);
  g_assert_cmpfloat (variance, >, 100.0);
}

static void
test_screenshot_acquisition (void)
{
  LablinkAcquisitionPanel *panel = lablink_window_get_acquisition_panel (window);
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  g_autofree char *path = NULL;
  double variance = 0;

  lablink_window_set_page (window, "acquisitions");
  lablink_acquisition_panel_fill_form (panel, psu, "CH1, CH1_I", 50.0, "continuous");
  g_signal_emit_by_name (lablink_acquisition_panel_get_create_button (panel), "clicked");
  MT_WAIT (lablink_acquisition_panel_get_selected_id (panel) != NULL &&
           lablink_plot_get_n_series (lablink_acquisition_panel_get_plot (panel)) > 0, 8000);
  test_run_for (2500);
  draw_now (GTK_WIDGET (window));
  path = mt_screenshot (GTK_WIDGET (window), "acquisitions.png", &variance);
  g_assert_cmpfloat (variance, >, 100.0);
  lablink_window_set_page (window, "instruments");
}

static void
test_screenshot_dark (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  g_autofree char *path = NULL;
  double variance = 0;

  g_assert_true (lablink_window_select_equipment (window, psu));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  test_run_for (500);
  draw_now (GTK_WIDGET (window));
  path = mt_screenshot (GTK_WIDGET (window), "main-window-dark.png", &variance);
  g_assert_cmpfloat (variance, >, 100.0);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int argc, char **argv)
{
  int ret;

  mt_init (&argc, &argv);

  sim = mt_sim_spawn (NULL);
  app = mt_app_new ();
  window = mt_open_window (app, mt_sim_get_url (sim), FALSE);

  g_test_add_func ("/gui/screenshot/psu", test_screenshot_psu);
  g_test_add_func ("/gui/screenshot/scope", test_screenshot_scope);
  g_test_add_func ("/gui/screenshot/statistics", test_screenshot_stats);
  g_test_add_func ("/gui/screenshot/load", test_screenshot_load);
  g_test_add_func ("/gui/screenshot/acquisitions", test_screenshot_acquisition);
  g_test_add_func ("/gui/screenshot/dark", test_screenshot_dark);
  ret = g_test_run ();

  mt_close (app, window);
  mt_sim_free (sim);
  return ret;
}
