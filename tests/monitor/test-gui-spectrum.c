/* test-gui-spectrum.c — the spectrum view of the simulator's scope waveform
 *
 * The simulator's channel 1 is a 1 kHz sine of 1 V amplitude: the view fed
 * its streamed waveforms (as the scope panel will feed it) marks a peak at
 * 1 kHz within a bin, at −3.01 dBV. Screenshots of the view at the main
 * window's default size, 1600×1000 and 800×600.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lablink-plot-private.h"
#include "lablink-acquisition-panel.h"
#include "lablink-session.h"
#include "lablink-scope-panel.h"
#include "lablink-spectrum-view.h"
#include "monitor-test-util.h"

typedef struct {
  MtFixture            mt;
  LablinkStreamManager *manager;
  gulong               handler;
  GtkWindow           *window;
  LablinkSpectrumView *view;
  guint64              n_waveforms;
} Fixture;

/* What the scope panel does with each waveform frame of channel 1. */
static void
stream_data_cb (LablinkStreamManager *manager,
                LablinkMessage       *message,
                gpointer              user_data)
{
  Fixture *f = user_data;
  const double *samples;
  gint64 channel = 1;
  double rate = NAN;
  gsize n = 0;

  samples = lablink_message_get_waveform (message, &n);
  lablink_message_get_int (message, "data.channel", &channel);
  if (samples == NULL || n == 0 || channel != 1 ||
      !lablink_message_get_double (message, "data.sample_rate", &rate) || !(rate > 0))
    return;
  lablink_spectrum_view_set_source_name (f->view, "CH1");
  lablink_spectrum_view_set_waveform (f->view, samples, n, 1.0 / rate, "V");
  f->n_waveforms++;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autofree char *detailed = NULL;
  g_autofree char *key = NULL;
  LablinkSession *session;
  const char *scope;

  mt_fixture_setup (&f->mt, NULL);
  scope = mt_equipment_id (f->mt.window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  g_assert_nonnull (scope);
  g_assert_true (lablink_window_select_equipment (f->mt.window, scope));

  f->view = LABLINK_SPECTRUM_VIEW (lablink_spectrum_view_new ());
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (f->window, "Spectrum");
  gtk_window_set_default_size (f->window, 1100, 720);
  gtk_widget_set_margin_start (GTK_WIDGET (f->view), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (f->view), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (f->view), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (f->view), 12);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);

  session = lablink_window_get_session (f->mt.window);
  f->manager = lablink_session_get_manager (session);
  key = lablink_protocol_stream_key (scope, LABLINK_STREAM_WAVEFORM);
  detailed = g_strconcat ("stream-data::", key, NULL);
  f->handler = g_signal_connect (f->manager, detailed, G_CALLBACK (stream_data_cb), f);
  mt_activate (f->mt.window, "start-stream", g_variant_new_string (LABLINK_STREAM_WAVEFORM));
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_signal_handler (&f->handler, f->manager);
  gtk_window_destroy (f->window);
  test_run_for (50);
  mt_fixture_teardown (&f->mt);
}

/* Waits for a spectrum computed after now (a new waveform, or the view's
 * settings changed). */
static void
wait_new_spectrum (Fixture *f)
{
  guint64 n = lablink_spectrum_view_get_n_spectra (f->view);

  TEST_ASSERT_EVENTUALLY (lablink_spectrum_view_get_n_spectra (f->view) > n + 1);
}

static void
resize (Fixture *f,
        int      width,
        int      height)
{
  gtk_window_set_default_size (f->window, width, height);
  TEST_WAIT (ABS (gtk_widget_get_width (GTK_WIDGET (f->window)) - width) <= 40 &&
             ABS (gtk_widget_get_height (GTK_WIDGET (f->window)) - height) <= 40, TEST_TIMEOUT_MS);
  g_assert_cmpint (ABS (gtk_widget_get_width (GTK_WIDGET (f->window)) - width), <=, 40);
  gtk_widget_queue_draw (GTK_WIDGET (f->window));
  test_run_for (300);
}

static void
test_spectrum_scope_peak (Fixture       *f,
                          gconstpointer  data)
{
  static const LablinkSpectrumWindow windows[] = {
    LABLINK_SPECTRUM_WINDOW_HANN,
    LABLINK_SPECTRUM_WINDOW_FLAT_TOP,
    LABLINK_SPECTRUM_WINDOW_BLACKMAN_HARRIS,
    LABLINK_SPECTRUM_WINDOW_RECTANGULAR,
  };
  LablinkPlot *plot = lablink_spectrum_view_get_plot (f->view);
  guint i;

  TEST_ASSERT_EVENTUALLY (lablink_spectrum_view_get_n_spectra (f->view) >= 3 && lablink_plot_get_n_draws (plot) > 0);
  g_assert_cmpuint (f->n_waveforms, >=, 3);

  for (i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      LablinkSpectrum *spectrum;
      double frequency, level, df, thd;

      lablink_spectrum_view_set_window (f->view, windows[i]);
      wait_new_spectrum (f);
      spectrum = lablink_spectrum_view_get_spectrum (f->view);
      g_assert_nonnull (spectrum);
      g_assert_cmpint (lablink_spectrum_get_window (spectrum), ==, windows[i]);
      df = lablink_spectrum_get_bin_width (spectrum);
      g_assert_true (lablink_spectrum_view_get_peak (f->view, &frequency, &level));
      thd = lablink_spectrum_view_get_thd (f->view);
      g_test_message ("window %u: %" G_GSIZE_FORMAT " samples, bins of %g Hz: peak %.2f Hz, %.3f dBV, THD %.3g",
                      windows[i], lablink_spectrum_get_n_samples (spectrum), df, frequency, level, thd);

      /* 1 kHz within a bin, 1 V amplitude: −3.01 dBV */
      g_assert_cmpfloat (fabs (frequency - 1000.0), <=, df);
      g_assert_cmpfloat (fabs (level - -3.0103), <=, 0.3);
      /* a clean sine (the simulator adds 5 mV of noise) */
      g_assert_true (isfinite (thd));
      g_assert_cmpfloat (thd, <, 0.02);
    }
}


/* The logarithmic frequency axis is the plot's own: ticks in hertz, the
 * peak and the cursors at frequencies (not their logarithm), zooming by
 * factors around the pointer. */
static void
test_spectrum_log_axis (Fixture       *f,
                        gconstpointer  data)
{
  LablinkPlot *plot = lablink_spectrum_view_get_plot (f->view);
  Pane *pane = &plot->panes[0];
  double frequency, df, x0, x1, c, px, span;
  guint64 draws;
  g_auto(GStrv) lines = NULL;

  lablink_spectrum_view_set_log_frequency (f->view, TRUE);
  g_assert_true (lablink_plot_get_x_log (plot));
  wait_new_spectrum (f);
  draws = lablink_plot_get_n_draws (plot);
  TEST_ASSERT_EVENTUALLY (lablink_plot_get_n_draws (plot) > draws && pane->drawn);

  /* 1000 samples at 100 kS/s: bins of 100 Hz to 50 kHz, labelled in hertz */
  g_test_message ("log axis labels: %s", lablink_plot_get_x_tick_labels (plot));
  g_assert_cmpstr (lablink_plot_get_x_tick_labels (plot), ==, "100 Hz, 1 kHz, 10 kHz");
  lablink_plot_get_visible_x_range (plot, &x0, &x1);
  df = lablink_spectrum_get_bin_width (lablink_spectrum_view_get_spectrum (f->view));
  g_assert_cmpfloat (fabs (x0 - df), <=, 1e-6 * df);
  g_assert_cmpfloat (x1, >, 10000.0);
  /* the axis is log₁₀ of the frequency: 1 kHz a third of the way from
   * 100 Hz to 100 kHz */
  g_assert_cmpfloat (fabs (pane->wx0 - 2.0), <, 1e-6);

  /* the peak marker at 1 kHz in hertz */
  g_assert_true (lablink_spectrum_view_get_peak (f->view, &frequency, NULL));
  g_assert_cmpfloat (fabs (frequency - 1000.0), <=, df);

  /* a cursor reads a frequency */
  lablink_plot_set_cursor (plot, 0, 1000.0);
  lablink_plot_set_cursor (plot, 1, 3000.0);
  g_assert_true (lablink_plot_get_cursor (plot, 0, &c));
  g_assert_cmpfloat (fabs (c - 1000.0), <, 1e-9);
  draws = lablink_plot_get_n_draws (plot);
  TEST_ASSERT_EVENTUALLY (lablink_plot_get_n_draws (plot) > draws && lablink_plot_get_cursor_readout (plot) != NULL);
  g_test_message ("cursor table:\n%s", lablink_plot_get_cursor_readout (plot));
  lines = g_strsplit (lablink_plot_get_cursor_readout (plot), "\n", -1);
  g_assert_cmpstr (lines[1], ==, "f\t1.000 kHz\t3.000 kHz\t2.000 kHz");
  g_assert_cmpstr (lines[2], ==, "f₂/f₁\t\t\t3");

  /* a click places a cursor at the frequency under it */
  lablink_plot_clear_cursors (plot);
  px = pane->left + (log10 (2000.0) - pane->wx0) / (pane->wx1 - pane->wx0) * (pane->right - pane->left);
  _lablink_plot_gesture_press (plot, px, (pane->top + pane->bottom) / 2, 0);
  _lablink_plot_gesture_release (plot, 0, 0);
  g_assert_true (lablink_plot_get_cursor (plot, 0, &c));
  g_assert_cmpfloat (fabs (c - 2000.0), <, 2000.0 * 0.01);
  lablink_plot_clear_cursors (plot);

  /* the wheel zooms by a factor around the pointer: 1 kHz stays put */
  px = pane->left + (3.0 - pane->wx0) / (pane->wx1 - pane->wx0) * (pane->right - pane->left);
  span = pane->wx1 - pane->wx0;
  g_assert_true (_lablink_plot_gesture_wheel (plot, px, (pane->top + pane->bottom) / 2, 0, -3, 0, FALSE));
  draws = lablink_plot_get_n_draws (plot);
  TEST_ASSERT_EVENTUALLY (lablink_plot_get_n_draws (plot) > draws);
  lablink_plot_get_visible_x_range (plot, &x0, &x1);
  g_test_message ("zoomed: %g … %g Hz, labels %s", x0, x1, lablink_plot_get_x_tick_labels (plot));
  g_assert_cmpfloat (fabs ((log10 (x1) - log10 (x0)) - span / pow (1.25, 3)), <, 1e-6);
  g_assert_cmpfloat (fabs (_lablink_plot_view_px_to_x (plot, px) - 3.0), <, 1e-6);
  g_assert_nonnull (strstr (lablink_plot_get_x_tick_labels (plot), "1 kHz"));

  /* zoomed in to less than a factor of two: a linear step of hertz */
  lablink_plot_zoom_x_range (plot, 900.0, 1100.0);
  draws = lablink_plot_get_n_draws (plot);
  TEST_ASSERT_EVENTUALLY (lablink_plot_get_n_draws (plot) > draws);
  g_test_message ("900 Hz … 1.1 kHz: %s", lablink_plot_get_x_tick_labels (plot));
  g_assert_cmpstr (lablink_plot_get_x_tick_labels (plot), ==, "900 Hz, 950 Hz, 1.00 kHz, 1.05 kHz, 1.10 kHz");
  g_free (mt_screenshot (GTK_WIDGET (f->window), "spectrum-log-zoomed.png", NULL));

  lablink_plot_reset_view (plot);
  lablink_spectrum_view_set_log_frequency (f->view, FALSE);
  draws = lablink_plot_get_n_draws (plot);
  TEST_ASSERT_EVENTUALLY (lablink_plot_get_n_draws (plot) > draws);
  g_assert_cmpstr (lablink_plot_get_x_tick_labels (plot), ==, "");
}

static void
test_spectrum_screenshots (Fixture       *f,
                           gconstpointer  data)
{
  static const int sizes[][2] = { { 1100, 720 }, { 1600, 1000 }, { 800, 600 } };
  guint i;

  lablink_spectrum_view_set_window (f->view, LABLINK_SPECTRUM_WINDOW_BLACKMAN_HARRIS);
  TEST_ASSERT_EVENTUALLY (lablink_spectrum_view_get_n_spectra (f->view) >= 3);

  for (i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      gboolean log_axis;

      for (log_axis = FALSE; log_axis <= TRUE; log_axis++)
        {
          g_autofree char *name = g_strdup_printf ("spectrum-%s-%dx%d.png", log_axis ? "log" : "linear",
                                                   sizes[i][0], sizes[i][1]);
          g_autofree char *path = NULL;
          double variance = 0;

          lablink_spectrum_view_set_log_frequency (f->view, log_axis);
          resize (f, sizes[i][0], sizes[i][1]);
          wait_new_spectrum (f);
          path = mt_screenshot (GTK_WIDGET (f->window), name, &variance);
          g_test_message ("%s: luminance variance %.1f", path, variance);
          g_assert_cmpfloat (variance, >, 100.0);
        }
    }
}

/* An acquisition channel over a time range: a ring, uniformly sampled. */
static void
test_spectrum_ring_range (void)
{
  g_autoptr(LablinkRing) ring = lablink_ring_new (2, 4096);
  LablinkSpectrumView *view = LABLINK_SPECTRUM_VIEW (g_object_ref_sink (lablink_spectrum_view_new ()));
  double frequency, level;
  gsize i;

  /* 1 kS/s, 50 Hz of 2 V amplitude on channel 1; a gap early on */
  for (i = 0; i < 3000; i++)
    {
      double v[2] = { 0.1, 2.0 * sin (2 * G_PI * 50.0 * i / 1000.0) };

      if (i == 100)
        g_assert_true (lablink_ring_push_gap (ring, 1000 * (gint64) i - 1));
      g_assert_true (lablink_ring_push (ring, 1000 * (gint64) i, v));
    }

  g_assert_true (lablink_spectrum_view_set_ring_range (view, ring, 1, 0, 3000 * 1000, "V"));
  TEST_ASSERT_EVENTUALLY (lablink_spectrum_view_get_n_spectra (view) >= 1);
  g_assert_cmpuint (lablink_spectrum_get_n_samples (lablink_spectrum_view_get_spectrum (view)), ==, 2900);
  g_assert_true (lablink_spectrum_view_get_peak (view, &frequency, &level));
  g_assert_cmpfloat (fabs (frequency - 50.0), <=, 0.5);
  g_assert_cmpfloat (fabs (level - 20 * log10 (2.0 / sqrt (2.0))), <=, 0.1);

  /* said so, not transformed across */
  g_test_message ("note: %s", lablink_spectrum_view_get_note (view));
  g_assert_nonnull (strstr (lablink_spectrum_view_get_note (view), "1 gap in the range"));

  /* an interval of 3 samples missing is a gap too: the longer part */
  {
    g_autoptr(LablinkRing) lossy = lablink_ring_new (1, 4096);
    guint64 n = lablink_spectrum_view_get_n_spectra (view);

    for (i = 0; i < 3000; i++)
      {
        double v = 2.0 * sin (2 * G_PI * 50.0 * i / 1000.0);

        if (i < 1000 || i >= 1003)
          g_assert_true (lablink_ring_push (lossy, 1000 * (gint64) i, &v));
      }
    g_assert_true (lablink_spectrum_view_set_ring_range (view, lossy, 0, 0, 3000 * 1000, "V"));
    TEST_ASSERT_EVENTUALLY (lablink_spectrum_view_get_n_spectra (view) > n);
    g_assert_cmpuint (lablink_spectrum_get_n_samples (lablink_spectrum_view_get_spectrum (view)), ==, 1997);
    g_assert_nonnull (strstr (lablink_spectrum_view_get_note (view), "1 gap in the range"));
  }

  /* irregular timestamps (±10 % of an interval): resampled, and said so */
  {
    g_autoptr(LablinkRing) jittery = lablink_ring_new (1, 4096);
    g_autoptr(GRand) rand = g_rand_new_with_seed (7);
    guint64 n = lablink_spectrum_view_get_n_spectra (view);

    for (i = 0; i < 2000; i++)
      {
        double t = i / 1000.0 + g_rand_double_range (rand, -1e-4, 1e-4);
        double v = 2.0 * sin (2 * G_PI * 50.0 * t);

        g_assert_true (lablink_ring_push (jittery, (gint64) llround (t * 1e6), &v));
      }
    g_assert_true (lablink_spectrum_view_set_ring_range (view, jittery, 0, 0, 3000 * 1000, "V"));
    TEST_ASSERT_EVENTUALLY (lablink_spectrum_view_get_n_spectra (view) > n);
    g_test_message ("note: %s", lablink_spectrum_view_get_note (view));
    g_assert_nonnull (strstr (lablink_spectrum_view_get_note (view), "resampled"));
    g_assert_null (strstr (lablink_spectrum_view_get_note (view), "gap"));
    g_assert_true (lablink_spectrum_view_get_peak (view, &frequency, &level));
    g_assert_cmpfloat (fabs (frequency - 50.0), <=, 0.5);
    g_assert_cmpfloat (fabs (level - 20 * log10 (2.0 / sqrt (2.0))), <=, 0.2);
  }

  /* too short a range */
  g_assert_false (lablink_spectrum_view_set_ring_range (view, ring, 1, 10 * 1000, 12 * 1000, "V"));
  g_assert_null (lablink_spectrum_view_get_spectrum (view));
  g_assert_nonnull (lablink_plot_get_message (lablink_spectrum_view_get_plot (view)));
  g_assert_cmpstr (lablink_spectrum_view_get_note (view), ==, "");

  g_object_unref (view);
}

/* The scope panel's own Spectrum view: CH1's waveforms feed it while it is
 * shown; the waveform plot's controls give way to the channel choice. */
static void
test_spectrum_in_scope_panel (MtFixture     *f,
                              gconstpointer  data)
{
  const char *scope;
  LablinkScopePanel *panel;
  LablinkSpectrumView *view;
  GtkWidget *channel_dropdown;
  double frequency, level, df;

  mt_fixture_setup (f, NULL);
  scope = mt_equipment_id (f->window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  g_assert_nonnull (scope);
  g_assert_true (lablink_window_select_equipment (f->window, scope));
  panel = LABLINK_SCOPE_PANEL (lablink_window_get_panel (f->window, scope));
  view = LABLINK_SPECTRUM_VIEW (lablink_scope_panel_get_spectrum_view (panel));
  channel_dropdown = mt_find (f->window, "scope-spectrum-channel");
  g_assert_false (gtk_widget_get_visible (channel_dropdown));
  mt_activate (f->window, "start-stream", g_variant_new_string (LABLINK_STREAM_WAVEFORM));

  /* hidden: waveforms do not cost a transform */
  TEST_ASSERT_EVENTUALLY (lablink_scope_panel_get_n_waveforms (panel) >= 3);
  g_assert_cmpuint (lablink_spectrum_view_get_n_spectra (view), ==, 0);

  lablink_scope_panel_show_spectrum (panel, 1);
  g_assert_true (gtk_widget_get_visible (channel_dropdown));
  TEST_ASSERT_EVENTUALLY (lablink_spectrum_view_get_n_spectra (view) >= 2);
  df = lablink_spectrum_get_bin_width (lablink_spectrum_view_get_spectrum (view));
  g_assert_true (lablink_spectrum_view_get_peak (view, &frequency, &level));
  g_test_message ("scope panel CH1: peak %.2f Hz, %.3f dBV (bins of %g Hz)", frequency, level, df);
  g_assert_cmpfloat (fabs (frequency - 1000.0), <=, df);
  g_assert_cmpfloat (fabs (level - -3.0103), <=, 0.3);
  g_free (mt_screenshot (GTK_WIDGET (f->window), "scope-spectrum.png", NULL));

  lablink_scope_panel_show_spectrum (panel, 0);
  g_assert_false (gtk_widget_get_visible (channel_dropdown));
  mt_fixture_teardown (f);
}


/* The acquisition panel's Spectrum: the simulator's scope CH1 (a 1 kHz
 * sine of 1 V) acquired at 5 kS/s peaks at 1 kHz within a bin over the
 * chart's visible range, and follows that range when it changes. */
static void
test_spectrum_in_acquisition_panel (MtFixture     *f,
                                    gconstpointer  data)
{
  LablinkWindow *window;
  LablinkAcquisitionPanel *panel;
  LablinkSpectrumView *view;
  LablinkPlot *chart, *plot;
  GtkWidget *channel_dropdown;
  LablinkSpectrum *spectrum;
  const char *scope;
  double frequency, level, df, dt;
  gsize n_full;
  guint64 draws;

  mt_fixture_setup (f, NULL);
  window = f->window;
  panel = lablink_window_get_acquisition_panel (window);
  scope = mt_equipment_id (window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  g_assert_nonnull (scope);
  view = LABLINK_SPECTRUM_VIEW (lablink_acquisition_panel_get_spectrum_view (panel));
  plot = lablink_spectrum_view_get_plot (view);
  chart = lablink_acquisition_panel_get_plot (panel);
  channel_dropdown = mt_find (window, "acq-spectrum-channel");
  g_assert_false (gtk_widget_get_visible (channel_dropdown));

  lablink_window_set_page (window, "acquisitions");
  lablink_acquisition_panel_fill_form (panel, scope, "CH1, CH2", 2500.0, "continuous");
  g_signal_emit_by_name (lablink_acquisition_panel_get_create_button (panel), "clicked");
  TEST_WAIT (lablink_acquisition_panel_get_selected_id (panel) != NULL, TEST_TIMEOUT_MS);
  TEST_ASSERT_EVENTUALLY (lablink_plot_get_n_series (chart) == 2 && lablink_plot_get_series_n_points (chart, 0) >= 6000);

  /* hidden: no transform */
  g_assert_cmpuint (lablink_spectrum_view_get_n_spectra (view), ==, 0);

  /* the chart's last 2 s */
  lablink_plot_zoom_x_range (chart, -2.0, 0.0);
  lablink_plot_follow_live (chart);
  lablink_acquisition_panel_show_spectrum (panel, 0);
  g_assert_true (gtk_widget_get_visible (channel_dropdown));
  TEST_ASSERT_EVENTUALLY (lablink_spectrum_view_get_n_spectra (view) >= 2);
  spectrum = lablink_spectrum_view_get_spectrum (view);
  df = lablink_spectrum_get_bin_width (spectrum);
  dt = lablink_spectrum_get_dt (spectrum);
  n_full = lablink_spectrum_get_n_samples (spectrum);
  g_assert_true (lablink_spectrum_view_get_peak (view, &frequency, &level));
  g_test_message ("acquisition CH1: %" G_GSIZE_FORMAT " samples at %g S/s, peak %.2f Hz, %.3f dBV (bins of %g Hz); note: %s",
                  n_full, 1.0 / dt, frequency, level, df, lablink_spectrum_view_get_note (view));
  g_assert_cmpfloat (fabs (1.0 / dt - 2500.0), <, 2.5);
  g_assert_cmpfloat (fabs (frequency - 1000.0), <=, df);
  g_assert_cmpfloat (fabs (level - -3.0103), <=, 0.5);
  /* the visible range, not the whole ring (unless a gap shortened it) */
  g_assert_cmpuint (n_full, <=, 2 * 2500 + 5);

  /* the log axis reads hertz */
  lablink_spectrum_view_set_log_frequency (view, TRUE);
  draws = lablink_plot_get_n_draws (plot);
  TEST_ASSERT_EVENTUALLY (lablink_plot_get_n_draws (plot) > draws && *lablink_plot_get_x_tick_labels (plot) != '\0');
  g_test_message ("log axis labels: %s", lablink_plot_get_x_tick_labels (plot));
  g_assert_nonnull (strstr (lablink_plot_get_x_tick_labels (plot), "100 Hz, 1 kHz"));
  {
    static const int sizes[][2] = { { 1200, 760 }, { 1600, 1000 }, { 800, 600 } };
    guint i;

    for (i = 0; i < G_N_ELEMENTS (sizes); i++)
      {
        g_autofree char *name = g_strdup_printf ("acquisition-spectrum-%dx%d.png", sizes[i][0], sizes[i][1]);

        gtk_window_set_default_size (GTK_WINDOW (window), sizes[i][0], sizes[i][1]);
        TEST_WAIT (ABS (gtk_widget_get_width (GTK_WIDGET (window)) - sizes[i][0]) <= 40 &&
                   ABS (gtk_widget_get_height (GTK_WIDGET (window)) - sizes[i][1]) <= 40, TEST_TIMEOUT_MS);
        test_run_for (400);
        g_free (mt_screenshot (GTK_WIDGET (window), name, NULL));
      }
  }

  /* another visible range: transformed again */
  lablink_plot_zoom_x_range (chart, -0.5, 0.0);
  TEST_ASSERT_EVENTUALLY (lablink_spectrum_view_get_spectrum (view) != NULL &&
                          lablink_spectrum_get_n_samples (lablink_spectrum_view_get_spectrum (view)) <= 5000 / 2 + 5);
  g_assert_true (lablink_spectrum_view_get_peak (view, &frequency, NULL));
  df = lablink_spectrum_get_bin_width (lablink_spectrum_view_get_spectrum (view));
  g_assert_cmpfloat (fabs (frequency - 1000.0), <=, df);

  /* CH2: the 500 Hz square */
  lablink_acquisition_panel_show_spectrum (panel, 1);
  TEST_ASSERT_EVENTUALLY (lablink_spectrum_view_get_peak (view, &frequency, NULL) && fabs (frequency - 500.0) <= 10.0);

  lablink_acquisition_panel_show_spectrum (panel, -1);
  g_assert_false (gtk_widget_get_visible (channel_dropdown));
  g_signal_emit_by_name (mt_find (window, "acq-stop"), "clicked");
  mt_fixture_teardown (f);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/spectrum/scope-peak", Fixture, NULL, setup, test_spectrum_scope_peak, teardown);
  g_test_add ("/gui/spectrum/log-axis", Fixture, NULL, setup, test_spectrum_log_axis, teardown);
  g_test_add ("/gui/spectrum/screenshots", Fixture, NULL, setup, test_spectrum_screenshots, teardown);
  g_test_add_func ("/gui/spectrum/ring-range", test_spectrum_ring_range);
  g_test_add ("/gui/spectrum/scope-panel", MtFixture, NULL, NULL, test_spectrum_in_scope_panel, NULL);
  g_test_add ("/gui/spectrum/acquisition-panel", MtFixture, NULL, NULL, test_spectrum_in_acquisition_panel, NULL);

  return g_test_run ();
}
