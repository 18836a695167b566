/* test-gui-scope.c — the scope panel plots streamed waveforms and shows the
 * simulator's measurements; pause freezes the view, not the ingestion.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-scope-panel.h"
#include "monitor-test-util.h"

static MtSim *sim;
static LablinkApplication *app;
static LablinkWindow *window;
static const char *scope;
static LablinkScopePanel *panel;

static double
shown (const char *name)
{
  double value = NAN;

  if (!mt_label_number (mt_find (window, name), &value))
    return NAN;
  return value;
}

static void
test_scope_streams (void)
{
  LablinkPlot *plot;

  g_assert_true (mt_wait_connected (window, 10000));
  g_assert_true (mt_wait_equipment (window, 10000));
  scope = mt_equipment_id (window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  g_assert_nonnull (scope);

  g_assert_true (lablink_window_select_equipment (window, scope));
  panel = LABLINK_SCOPE_PANEL (lablink_window_get_panel (window, scope));
  g_assert_nonnull (panel);

  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_WAVEFORM));
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_MEASUREMENTS));

  plot = lablink_scope_panel_get_plot (panel);
  MT_WAIT (lablink_scope_panel_get_n_waveforms (panel) >= 3 && lablink_plot_get_n_draws (plot) > 0, 8000);
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), >=, 3);
  g_assert_cmpuint (lablink_plot_get_n_series (plot), >=, 1);
  g_assert_cmpuint (lablink_plot_get_series_n_points (plot, 0), >=, 100);
  g_assert_cmpuint (lablink_plot_get_n_draws (plot), >, 0);
  /* Decimated: PLplot never got more than a few points per pixel column. */
  g_assert_cmpuint (lablink_plot_get_last_drawn_points (plot), <=,
                    6 * (gsize) gtk_widget_get_width (GTK_WIDGET (plot)) * 2 + 16);
  g_assert_cmpstr (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), LABLINK_STREAM_WAVEFORM), ==, "Waveform: Running");
}

static void
test_scope_measurements (void)
{
  g_autoptr(JsonNode) snapshot = NULL;
  JsonObject *object;
  double vpp, freq, period, sim_vpp, sim_freq;

  MT_WAIT (!isnan (shown ("meas-vpp")) && !isnan (shown ("meas-freq")), 8000);
  vpp = shown ("meas-vpp");
  freq = shown ("meas-freq");
  period = shown ("meas-period");
  g_assert_false (isnan (vpp));
  g_assert_false (isnan (freq));

  /* What the simulator computes itself, asked over REST. */
  snapshot = mt_snapshot (window, scope, "measurements");
  g_assert_nonnull (snapshot);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (snapshot));
  object = json_node_get_object (snapshot);
  if (json_object_has_member (object, "data") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "data")))
    object = json_object_get_object_member (object, "data");
  sim_vpp = json_object_get_double_member_with_default (object, "vpp", NAN);
  sim_freq = json_object_get_double_member_with_default (object, "freq", NAN);
  g_test_message ("shown: Vpp %g, f %g, T %g; simulator: Vpp %g, f %g", vpp, freq, period, sim_vpp, sim_freq);

  g_assert_cmpfloat (fabs (vpp - sim_vpp), <=, 0.05 * fabs (sim_vpp) + 0.01);
  g_assert_cmpfloat (fabs (freq - sim_freq), <=, 0.02 * fabs (sim_freq));
  g_assert_cmpfloat (fabs (period * freq - 1.0), <=, 0.02);

  /* And the samples drawn agree with the table: their peak-to-peak. */
  {
    LablinkPlot *plot = lablink_scope_panel_get_plot (panel);
    double lo, hi;

    lablink_plot_get_visible_y_range (plot, 0, &lo, &hi);
    g_assert_cmpfloat (hi - lo, >=, vpp * 0.9);
  }
}

static void
test_scope_pause_and_cursor (void)
{
  LablinkPlot *plot = lablink_scope_panel_get_plot (panel);
  guint64 waveforms, draws;
  int w = gtk_widget_get_width (GTK_WIDGET (plot));
  int h = gtk_widget_get_height (GTK_WIDGET (plot));

  /* Paused: frames keep being ingested, the plot keeps its data. */
  lablink_scope_panel_set_paused (panel, TRUE);
  g_assert_true (lablink_plot_get_paused (plot));
  waveforms = lablink_scope_panel_get_n_waveforms (panel);
  MT_WAIT (lablink_scope_panel_get_n_waveforms (panel) > waveforms + 2, 5000);
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), >, waveforms + 2);

  /* The cursor readout under the pointer: time, volts, the trace's value. */
  draws = lablink_plot_get_n_draws (plot);
  lablink_plot_set_pointer (plot, w / 2.0, h / 2.0);
  MT_WAIT (lablink_plot_get_n_draws (plot) > draws, 3000);
  g_assert_nonnull (lablink_plot_get_cursor_text (plot));
  g_assert_nonnull (strstr (lablink_plot_get_cursor_text (plot), "CH1:"));
  g_assert_nonnull (strstr (lablink_plot_get_cursor_text (plot), "s"));
  lablink_plot_clear_pointer (plot);

  lablink_scope_panel_set_paused (panel, FALSE);
  g_assert_false (lablink_plot_get_paused (plot));

  /* Fixed scale: the volt axis is what the V/div says. */
  lablink_scope_panel_set_autoscale (panel, FALSE);
  draws = lablink_plot_get_n_draws (plot);
  MT_WAIT (lablink_plot_get_n_draws (plot) > draws, 3000);
  g_assert_false (lablink_plot_get_y_autoscale (plot, 0));
  lablink_scope_panel_set_autoscale (panel, TRUE);
}

int
main (int argc, char **argv)
{
  int ret;

  mt_init (&argc, &argv);

  sim = mt_sim_spawn (NULL);
  app = mt_app_new ();
  window = mt_open_window (app, mt_sim_get_url (sim), FALSE);

  g_test_add_func ("/gui/scope/streams", test_scope_streams);
  g_test_add_func ("/gui/scope/measurements", test_scope_measurements);
  g_test_add_func ("/gui/scope/pause-and-cursor", test_scope_pause_and_cursor);
  ret = g_test_run ();

  mt_close (app, window);
  mt_sim_free (sim);
  return ret;
}
