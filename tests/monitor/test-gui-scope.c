/* test-gui-scope.c — the scope panel plots streamed waveforms and shows the
 * simulator's measurements; pause freezes the view, not the ingestion.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-scope-panel.h"
#include "monitor-test-util.h"

/* Every case: the scope selected, its waveform and measurements streams
 * started. */
static void
setup (MtFixture     *f,
       gconstpointer  data)
{
  const char *scope;

  mt_fixture_setup (f, NULL);
  scope = mt_equipment_id (f->window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  g_assert_nonnull (scope);
  g_assert_true (lablink_window_select_equipment (f->window, scope));
  g_assert_nonnull (lablink_window_get_panel (f->window, scope));
  mt_activate (f->window, "start-stream", g_variant_new_string (LABLINK_STREAM_WAVEFORM));
  mt_activate (f->window, "start-stream", g_variant_new_string (LABLINK_STREAM_MEASUREMENTS));
}

static void
teardown (MtFixture     *f,
          gconstpointer  data)
{
  mt_fixture_teardown (f);
}

static LablinkScopePanel *
scope_panel (MtFixture *f)
{
  const char *scope = mt_equipment_id (f->window, LABLINK_EQUIPMENT_OSCILLOSCOPE);

  return LABLINK_SCOPE_PANEL (lablink_window_get_panel (f->window, scope));
}

static double
shown (LablinkWindow *window,
       const char    *name)
{
  double value = NAN;

  if (!mt_label_number (mt_find (window, name), &value))
    return NAN;
  return value;
}

static void
test_scope_streams (MtFixture     *f,
                    gconstpointer  data)
{
  LablinkScopePanel *panel = scope_panel (f);
  LablinkPlot *plot;

  plot = lablink_scope_panel_get_plot (panel);
  TEST_WAIT (lablink_scope_panel_get_n_waveforms (panel) >= 3 && lablink_plot_get_n_draws (plot) > 0, TEST_TIMEOUT_MS);
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
test_scope_measurements (MtFixture     *f,
                         gconstpointer  data)
{
  LablinkWindow *window = f->window;
  const char *scope = mt_equipment_id (window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  LablinkScopePanel *panel = scope_panel (f);
  g_autoptr(JsonNode) snapshot = NULL;
  JsonObject *object;
  double vpp, freq, period, sim_vpp, sim_freq;

  TEST_WAIT (!isnan (shown (window, "meas-vpp")) && !isnan (shown (window, "meas-freq")), TEST_TIMEOUT_MS);
  vpp = shown (window, "meas-vpp");
  freq = shown (window, "meas-freq");
  period = shown (window, "meas-period");
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
test_scope_pause_and_cursor (MtFixture     *f,
                             gconstpointer  data)
{
  LablinkScopePanel *panel = scope_panel (f);
  LablinkPlot *plot = lablink_scope_panel_get_plot (panel);
  guint64 waveforms, draws;
  int w = 0, h = 0;

  /* Waveforms shown first, as in test_scope_streams. */
  TEST_WAIT (lablink_scope_panel_get_n_waveforms (panel) >= 3 && lablink_plot_get_n_draws (plot) > 0 &&
             lablink_plot_get_series_n_points (plot, 0) >= 100, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), >=, 3);
  g_assert_cmpuint (lablink_plot_get_series_n_points (plot, 0), >=, 100);
  w = gtk_widget_get_width (GTK_WIDGET (plot));
  h = gtk_widget_get_height (GTK_WIDGET (plot));

  /* Paused: frames keep being ingested, the plot keeps its data. */
  lablink_scope_panel_set_paused (panel, TRUE);
  g_assert_true (lablink_plot_get_paused (plot));
  waveforms = lablink_scope_panel_get_n_waveforms (panel);
  TEST_WAIT (lablink_scope_panel_get_n_waveforms (panel) > waveforms + 2, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), >, waveforms + 2);

  /* The cursor readout under the pointer: time, volts, the trace's value. */
  draws = lablink_plot_get_n_draws (plot);
  lablink_plot_set_pointer (plot, w / 2.0, h / 2.0);
  TEST_WAIT (lablink_plot_get_n_draws (plot) > draws, TEST_TIMEOUT_MS);
  g_assert_nonnull (lablink_plot_get_cursor_text (plot));
  g_assert_nonnull (strstr (lablink_plot_get_cursor_text (plot), "CH1:"));
  g_assert_nonnull (strstr (lablink_plot_get_cursor_text (plot), "s"));
  lablink_plot_clear_pointer (plot);

  lablink_scope_panel_set_paused (panel, FALSE);
  g_assert_false (lablink_plot_get_paused (plot));

  /* Fixed scale: the volt axis is what the V/div says. */
  lablink_scope_panel_set_autoscale (panel, FALSE);
  draws = lablink_plot_get_n_draws (plot);
  TEST_WAIT (lablink_plot_get_n_draws (plot) > draws, TEST_TIMEOUT_MS);
  g_assert_false (lablink_plot_get_y_autoscale (plot, 0));
  lablink_scope_panel_set_autoscale (panel, TRUE);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/scope/streams", MtFixture, NULL, setup, test_scope_streams, teardown);
  g_test_add ("/gui/scope/measurements", MtFixture, NULL, setup, test_scope_measurements, teardown);
  g_test_add ("/gui/scope/pause-and-cursor", MtFixture, NULL, setup, test_scope_pause_and_cursor, teardown);

  return g_test_run ();
}
