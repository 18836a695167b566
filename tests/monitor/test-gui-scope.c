/* test-gui-scope.c — the scope panel plots streamed waveforms and shows the
 * simulator's measurements; pause freezes the view, not the ingestion; each
 * of its controls changes what the simulator sends and what the panel
 * shows, and the controls follow what the instrument reports; 1M-point
 * records.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

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

    /* once a waveform was drawn (the measurements may come first) */
    TEST_WAIT (lablink_scope_panel_get_n_waveforms (panel) >= 2 && lablink_plot_get_n_draws (plot) > 0,
               TEST_TIMEOUT_MS);
    {
      guint64 draws = lablink_plot_get_n_draws (plot);

      TEST_WAIT (lablink_plot_get_n_draws (plot) > draws, TEST_TIMEOUT_MS);
    }
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

/* The simulator's own state, asked with its get_settings command. */
static double
sim_setting (MtFixture  *f,
             guint       channel,
             const char *member)
{
  const char *scope = mt_equipment_id (f->window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  g_autoptr(JsonNode) answer = mt_command (f->window, scope, "get_settings", NULL);
  JsonObject *o = json_node_get_object (answer);

  if (json_object_has_member (o, "data"))
    o = json_object_get_object_member (o, "data");
  if (channel > 0)
    o = json_array_get_object_element (json_object_get_array_member (o, "channels"), channel - 1);
  if (g_str_equal (member, "coupling") || g_str_equal (member, "trigger_mode"))
    {
      const char *text = json_object_get_string_member (o, member);

      /* as a number: its index in DC, AC, GND / AUTO, SINGLE */
      return g_str_equal (text, "AC") || g_str_equal (text, "SINGLE") ? 1 : g_str_equal (text, "GND") ? 2 : 0;
    }
  if (g_str_equal (member, "enabled") || g_str_equal (member, "running"))
    return json_object_get_boolean_member (o, member) ? 1 : 0;
  return json_object_get_double_member (o, member);
}

static double
shown_mean (LablinkScopePanel *panel,
            guint              channel)
{
  double mean = NAN;

  lablink_scope_panel_get_channel_stats (panel, channel, NULL, NULL, &mean);
  return mean;
}

static double
shown_max (LablinkScopePanel *panel,
           guint              channel)
{
  double max = NAN;

  lablink_scope_panel_get_channel_stats (panel, channel, NULL, &max, NULL);
  return max;
}

static void
click (MtFixture  *f,
       const char *name)
{
  GtkWidget *button = mt_find (f->window, name);

  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* The panel's data_id of @channel stays the same across @n new waveforms;
 * counted from frames sent after what the simulator did so far (a ping's
 * pong, then a frame of each channel). */
static gboolean
frozen_over (MtFixture         *f,
             LablinkScopePanel *panel,
             guint              channel,
             guint              n)
{
  g_autofree char *first = NULL;
  guint64 start;

  mt_round_trip (f->window);
  start = lablink_scope_panel_get_n_waveforms (panel);
  TEST_WAIT (lablink_scope_panel_get_n_waveforms (panel) >= start + 3, TEST_TIMEOUT_MS);
  first = g_strdup (lablink_scope_panel_get_channel_stats (panel, channel, NULL, NULL, NULL));
  start = lablink_scope_panel_get_n_waveforms (panel);

  TEST_WAIT (lablink_scope_panel_get_n_waveforms (panel) >= start + n, TEST_TIMEOUT_MS);
  return g_strcmp0 (first, lablink_scope_panel_get_channel_stats (panel, channel, NULL, NULL, NULL)) == 0;
}

static void
test_scope_channel_controls (MtFixture     *f,
                             gconstpointer  data)
{
  LablinkScopePanel *panel = scope_panel (f);
  GtkWidget *widget;

  TEST_WAIT (lablink_scope_panel_get_n_samples (panel, 1) > 0 && lablink_scope_panel_get_n_samples (panel, 2) > 0,
             TEST_TIMEOUT_MS);
  g_assert_cmpfloat (lablink_scope_panel_get_vdiv (panel, 1), ==, 1.0);
  g_assert_true (lablink_scope_panel_get_channel_shown (panel, 1));
  g_assert_true (lablink_scope_panel_get_channel_shown (panel, 2));
  g_assert_false (lablink_scope_panel_get_channel_shown (panel, 3));

  /* V/div: 0.1 V/div clips CH1's 1 V sine at ±0.5 V */
  lablink_scope_panel_select_vdiv (panel, 1, 0.1);
  TEST_WAIT (sim_setting (f, 1, "scale") == 0.1, TEST_TIMEOUT_MS);
  g_assert_cmpfloat (sim_setting (f, 1, "scale"), ==, 0.1);
  TEST_WAIT (shown_max (panel, 1) < 0.51, TEST_TIMEOUT_MS);
  g_assert_cmpfloat (shown_max (panel, 1), <, 0.51);
  g_assert_cmpfloat (lablink_scope_panel_get_vdiv (panel, 1), ==, 0.1);

  /* offset: added to the trace */
  widget = mt_find (f->window, "scope-ch1-offset");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), 0.25);
  TEST_WAIT (sim_setting (f, 1, "offset") == 0.25, TEST_TIMEOUT_MS);
  g_assert_cmpfloat (sim_setting (f, 1, "offset"), ==, 0.25);
  g_assert_cmpfloat (sim_setting (f, 1, "scale"), ==, 0.1);   /* every parameter sent */
  TEST_WAIT (fabs (shown_mean (panel, 1) - 0.25) < 0.05, TEST_TIMEOUT_MS);
  g_assert_cmpfloat_with_epsilon (shown_mean (panel, 1), 0.25, 0.05);

  /* coupling: AC takes CH2's 1.5 V DC away, GND leaves nothing */
  widget = mt_find (f->window, "scope-ch2-coupling");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), 1);
  TEST_WAIT (sim_setting (f, 2, "coupling") == 1, TEST_TIMEOUT_MS);
  g_assert_cmpfloat (sim_setting (f, 2, "coupling"), ==, 1);
  TEST_WAIT (fabs (shown_mean (panel, 2)) < 0.2, TEST_TIMEOUT_MS);
  g_assert_cmpfloat_with_epsilon (shown_mean (panel, 2), 0.0, 0.2);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), 2);
  TEST_WAIT (shown_max (panel, 2) < 0.05, TEST_TIMEOUT_MS);
  g_assert_cmpfloat (shown_max (panel, 2), <, 0.05);

  /* enable CH3: its frames arrive and its trace is drawn; disable CH2 */
  widget = mt_find (f->window, "scope-ch3-enabled");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (widget), TRUE);
  TEST_WAIT (sim_setting (f, 3, "enabled") == 1, TEST_TIMEOUT_MS);
  TEST_WAIT (lablink_scope_panel_get_n_samples (panel, 3) > 0, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_scope_panel_get_n_samples (panel, 3), >, 0);
  g_assert_true (lablink_scope_panel_get_channel_shown (panel, 3));
  widget = mt_find (f->window, "scope-ch2-enabled");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (widget), FALSE);
  TEST_WAIT (sim_setting (f, 2, "enabled") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpfloat (sim_setting (f, 2, "enabled"), ==, 0);
  mt_round_trip (f->window);
  test_run_for (300);
  g_assert_false (lablink_scope_panel_get_channel_shown (panel, 2));

  /* distinct signals: the triangle's 0.5 V against the sine */
  TEST_WAIT (shown_max (panel, 3) > 0.4, TEST_TIMEOUT_MS);
  g_assert_cmpfloat_with_epsilon (shown_max (panel, 3), 0.5, 0.05);
}

static void
test_scope_timebase_and_run (MtFixture     *f,
                             gconstpointer  data)
{
  LablinkScopePanel *panel = scope_panel (f);
  GtkWidget *widget;

  TEST_WAIT (lablink_scope_panel_get_n_samples (panel, 1) > 0, TEST_TIMEOUT_MS);
  g_assert_cmpfloat (lablink_scope_panel_get_time_scale (panel), ==, 0.001);
  TEST_WAIT (g_strcmp0 (lablink_scope_panel_get_run_state (panel), "Running") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (lablink_scope_panel_get_run_state (panel), ==, "Running");

  /* time/div: the sample rate follows (1000 points over 10 div) */
  lablink_scope_panel_select_time_scale (panel, 0.0005);
  TEST_WAIT (sim_setting (f, 0, "time_scale") == 0.0005, TEST_TIMEOUT_MS);
  g_assert_cmpfloat (sim_setting (f, 0, "time_scale"), ==, 0.0005);
  TEST_WAIT (strstr (gtk_label_get_label (GTK_LABEL (mt_find (f->window, "scope-info"))), "200.0 kS/s") != NULL,
             TEST_TIMEOUT_MS);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (mt_find (f->window, "scope-info"))), "200.0 kS/s"));

  /* delay */
  widget = mt_find (f->window, "scope-time-offset");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), 0.25);
  TEST_WAIT (fabs (sim_setting (f, 0, "time_offset") - 0.00025) < 1e-12, TEST_TIMEOUT_MS);
  g_assert_cmpfloat_with_epsilon (sim_setting (f, 0, "time_offset"), 0.00025, 1e-12);
  g_assert_cmpfloat (sim_setting (f, 0, "time_scale"), ==, 0.0005);

  /* Single: one acquisition, then the same record */
  click (f, "scope-single");
  TEST_WAIT (sim_setting (f, 0, "trigger_mode") == 1, TEST_TIMEOUT_MS);
  g_assert_cmpfloat (sim_setting (f, 0, "running"), ==, 0);
  TEST_WAIT (g_strcmp0 (lablink_scope_panel_get_run_state (panel), "Single") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (lablink_scope_panel_get_run_state (panel), ==, "Single");
  g_assert_true (frozen_over (f, panel, 1, 4));

  /* Run: new records again */
  click (f, "scope-run");
  TEST_WAIT (sim_setting (f, 0, "running") == 1, TEST_TIMEOUT_MS);
  TEST_WAIT (g_strcmp0 (lablink_scope_panel_get_run_state (panel), "Running") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (lablink_scope_panel_get_run_state (panel), ==, "Running");
  g_assert_false (frozen_over (f, panel, 1, 4));

  /* Stop: the last record stays */
  click (f, "scope-stop");
  TEST_WAIT (sim_setting (f, 0, "running") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpfloat (sim_setting (f, 0, "trigger_mode"), ==, 0);
  mt_round_trip (f->window);
  TEST_WAIT (g_strcmp0 (lablink_scope_panel_get_run_state (panel), "Stopped") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (lablink_scope_panel_get_run_state (panel), ==, "Stopped");
  g_assert_true (frozen_over (f, panel, 1, 4));
  click (f, "scope-run");
  TEST_WAIT (sim_setting (f, 0, "running") == 1, TEST_TIMEOUT_MS);
}

static void
test_scope_reflects_instrument (MtFixture     *f,
                                gconstpointer  data)
{
  LablinkScopePanel *panel = scope_panel (f);
  const char *scope = mt_equipment_id (f->window, LABLINK_EQUIPMENT_OSCILLOSCOPE);

  TEST_WAIT (lablink_scope_panel_get_n_samples (panel, 1) > 0, TEST_TIMEOUT_MS);

  /* Autoscale: the scope picks V/div = amplitude / 3; the panel shows its
   * choice, a value not in its 1-2-5 list. */
  click (f, "scope-autoscale");
  TEST_WAIT (fabs (lablink_scope_panel_get_vdiv (panel, 1) - 1.0 / 3.0) < 1e-9 &&
             fabs (lablink_scope_panel_get_vdiv (panel, 2) - 0.5) < 1e-9, TEST_TIMEOUT_MS);
  g_assert_cmpfloat_with_epsilon (lablink_scope_panel_get_vdiv (panel, 1), 1.0 / 3.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (lablink_scope_panel_get_vdiv (panel, 2), 0.5, 1e-9);

  /* Changed by someone else: the controls follow the instrument. */
  json_node_unref (mt_command (f->window, scope, "set_channel",
                               "{\"channel\": 4, \"enabled\": true, \"scale\": 2, \"offset\": -1, \"coupling\": \"AC\"}"));
  json_node_unref (mt_command (f->window, scope, "set_timebase", "{\"scale\": 0.002}"));
  json_node_unref (mt_command (f->window, scope, "trigger_stop", NULL));
  TEST_WAIT (lablink_scope_panel_get_channel_shown (panel, 4) && lablink_scope_panel_get_vdiv (panel, 4) == 2.0 &&
             lablink_scope_panel_get_time_scale (panel) == 0.002 &&
             g_strcmp0 (lablink_scope_panel_get_run_state (panel), "Stopped") == 0, TEST_TIMEOUT_MS);
  g_assert_true (lablink_scope_panel_get_channel_shown (panel, 4));
  g_assert_cmpfloat (lablink_scope_panel_get_vdiv (panel, 4), ==, 2.0);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (mt_find (f->window, "scope-ch4-offset"))), ==, -1.0);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (mt_find (f->window, "scope-ch4-coupling"))), ==, 1);
  g_assert_cmpfloat (lablink_scope_panel_get_time_scale (panel), ==, 0.002);
  g_assert_cmpstr (lablink_scope_panel_get_run_state (panel), ==, "Stopped");
}

/* --scope-points 1000000: the panel takes 1M-point records and the plot
 * draws a few points per pixel column. */
static void
setup_million (MtFixture     *f,
               gconstpointer  data)
{
  static const char * const args[] = { "--scope-points", "1000000", "--scope-read-ms", "0", NULL };
  const char *scope;

  mt_fixture_setup (f, args);
  scope = mt_equipment_id (f->window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  g_assert_true (lablink_window_select_equipment (f->window, scope));
  /* one channel: 8 MB a frame is enough for a loaded machine */
  json_node_unref (mt_command (f->window, scope, "set_channel", "{\"channel\": 2, \"enabled\": false}"));
  lablink_session_set_interval (lablink_window_get_session (f->window), scope, LABLINK_STREAM_WAVEFORM, 50);
  mt_activate (f->window, "start-stream", g_variant_new_string (LABLINK_STREAM_WAVEFORM));
}

static void
test_scope_million (MtFixture     *f,
                    gconstpointer  data)
{
  LablinkScopePanel *panel = scope_panel (f);
  LablinkPlot *plot = lablink_scope_panel_get_plot (panel);
  guint64 first, draws;
  gint64 started;
  double seconds;

  TEST_WAIT (lablink_scope_panel_get_n_samples (panel, 1) == 1000000, TEST_TIMEOUT_MS * 2);
  g_assert_cmpuint (lablink_scope_panel_get_n_samples (panel, 1), ==, 1000000);

  first = lablink_scope_panel_get_n_waveforms (panel);
  draws = lablink_plot_get_n_draws (plot);
  started = g_get_monotonic_time ();
  TEST_WAIT (lablink_scope_panel_get_n_waveforms (panel) >= first + 3 && lablink_plot_get_n_draws (plot) > draws + 1,
             TEST_TIMEOUT_MS * 2);
  seconds = (g_get_monotonic_time () - started) / 1e6;
  g_test_message ("1M points: %.1f waveforms/s, %.1f draws/s, last draw %.1f ms",
                  (lablink_scope_panel_get_n_waveforms (panel) - first) / seconds,
                  (lablink_plot_get_n_draws (plot) - draws) / seconds, lablink_plot_get_last_draw_ms (plot));
  g_assert_cmpuint (lablink_plot_get_series_n_points (plot, 0), ==, 1000000);
  /* min/max per pixel column, not a million points */
  g_assert_cmpuint (lablink_plot_get_last_drawn_points (plot), <=,
                    6 * (gsize) gtk_widget_get_width (GTK_WIDGET (plot)) * 2 + 16);
  g_assert_cmpfloat_with_epsilon (shown_max (panel, 1), 1.0, 0.05);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/scope/streams", MtFixture, NULL, setup, test_scope_streams, teardown);
  g_test_add ("/gui/scope/measurements", MtFixture, NULL, setup, test_scope_measurements, teardown);
  g_test_add ("/gui/scope/pause-and-cursor", MtFixture, NULL, setup, test_scope_pause_and_cursor, teardown);
  g_test_add ("/gui/scope/channel-controls", MtFixture, NULL, setup, test_scope_channel_controls, teardown);
  g_test_add ("/gui/scope/timebase-and-run", MtFixture, NULL, setup, test_scope_timebase_and_run, teardown);
  g_test_add ("/gui/scope/reflects-instrument", MtFixture, NULL, setup, test_scope_reflects_instrument, teardown);
  g_test_add ("/gui/scope/million-points", MtFixture, NULL, setup_million, test_scope_million, teardown);

  return g_test_run ();
}
