/* test-gui-plot.c — LablinkPlot: a million points drawn in one frame
 * (decimated), at most one draw per frame however often data is set, gaps,
 * and the cursor readout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-plot.h"
#include "monitor-test-util.h"

/* Every case: a plot of its own in a window of its own. */
typedef struct {
  GtkWidget   *window;
  LablinkPlot *plot;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 500);
  f->plot = LABLINK_PLOT (lablink_plot_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->plot));
  gtk_window_present (GTK_WINDOW (f->window));
  TEST_WAIT (gtk_widget_get_mapped (GTK_WIDGET (f->plot)) && gtk_widget_get_width (GTK_WIDGET (f->plot)) > 100,
             TEST_TIMEOUT_MS);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->plot)), >, 100);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_run_for (50);
}

static void
wait_draw (LablinkPlot *plot,
           guint64      after)
{
  TEST_WAIT (lablink_plot_get_n_draws (plot) > after, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_plot_get_n_draws (plot), >, after);
}

static void
test_plot_available (Fixture       *f,
                     gconstpointer  data)
{
  /* This machine has plplot-driver-cairo (the CI installs it). */
  g_assert_true (lablink_plot_is_available ());
}

static void
test_plot_million_points (Fixture       *f,
                          gconstpointer  data)
{
  LablinkPlot *plot = f->plot;
  const gsize n = 1000000;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  guint series;
  gsize i;
  int width;

  for (i = 0; i < n; i++)
    {
      x[i] = i * 1e-6;
      y[i] = sin (2 * G_PI * 50 * x[i]);
    }
  y[654321] = 5.0; /* one sample spike: must survive decimation */

  series = lablink_plot_add_series (plot, 0, "CH1", NULL);
  lablink_plot_set_x_label (plot, "Time", "s");
  lablink_plot_set_pane_label (plot, 0, "Voltage", "V");
  lablink_plot_set_series_data (plot, series, x, y, n);
  wait_draw (plot, lablink_plot_get_n_draws (plot));
  /* Again, now that fonts and the PLplot stream are set up. */
  gtk_widget_queue_draw (GTK_WIDGET (plot));
  wait_draw (plot, lablink_plot_get_n_draws (plot));

  width = gtk_widget_get_width (GTK_WIDGET (plot)) * gtk_widget_get_scale_factor (GTK_WIDGET (plot));
  /* How long the frame took is a figure (~10 ms in a normal build), not
   * a check: this machine may be busy. */
  g_test_message ("1M points: %zu drawn, frame %.2f ms", lablink_plot_get_last_drawn_points (plot),
                  lablink_plot_get_last_draw_ms (plot));
  g_assert_cmpuint (lablink_plot_get_series_n_points (plot, series), ==, n);
  g_assert_cmpuint (lablink_plot_get_last_drawn_points (plot), <=, 6 * (gsize) width + 2);

  /* The spike is in the autoscaled range. */
  {
    double lo, hi;
    lablink_plot_get_visible_y_range (plot, 0, &lo, &hi);
    g_assert_cmpfloat (hi, >=, 5.0);
    g_assert_cmpfloat (lo, <=, -1.0);
  }
}

static void
test_plot_one_draw_per_frame (Fixture       *f,
                              gconstpointer  data)
{
  LablinkPlot *plot = f->plot;
  double x[100], y[100];
  guint64 before;
  guint k, i;

  lablink_plot_remove_all_series (plot);
  lablink_plot_add_series (plot, 0, "a", NULL);
  before = lablink_plot_get_n_draws (plot);

  /* 500 updates without returning to the main loop: one draw. */
  for (k = 0; k < 500; k++)
    {
      for (i = 0; i < 100; i++)
        {
          x[i] = i;
          y[i] = sin (i * 0.1 + k);
        }
      lablink_plot_set_series_data (plot, 0, x, y, 100);
    }
  wait_draw (plot, before);
  /* Nothing more to draw: at most one more frame follows. */
  test_run_for (300);
  g_assert_cmpuint (lablink_plot_get_n_draws (plot), <=, before + 2);
}

static void
test_plot_ring_gap_and_cursor (Fixture       *f,
                               gconstpointer  data)
{
  LablinkPlot *plot = f->plot;
  g_autoptr(LablinkRing) ring = lablink_ring_new (1, 1000);
  gint64 now = g_get_real_time ();
  guint64 before;
  guint s;
  int i;

  for (i = 0; i < 200; i++)
    {
      double v = i < 100 ? 1.0 : 2.0;

      if (i == 100)
        lablink_ring_push_gap (ring, now - (gint64) (200 - i) * 50000 - 1);
      lablink_ring_push (ring, now - (gint64) (200 - i) * 50000, &v);
    }

  lablink_plot_remove_all_series (plot);
  lablink_plot_set_x_autoscale (plot);
  lablink_plot_set_window (plot, 15.0, LABLINK_PLOT_ORIGIN_LATEST);
  s = lablink_plot_add_series (plot, 0, "ring", NULL);
  lablink_plot_set_series_ring (plot, s, ring, 0);

  before = lablink_plot_get_n_draws (plot);
  lablink_plot_set_pointer (plot, gtk_widget_get_width (GTK_WIDGET (plot)) - 30,
                            gtk_widget_get_height (GTK_WIDGET (plot)) / 2.0);
  wait_draw (plot, before);
  g_assert_nonnull (lablink_plot_get_cursor_text (plot));
  g_assert_nonnull (strstr (lablink_plot_get_cursor_text (plot), "ring: 2.000"));
  /* 200 values and a gap: drawn as two runs, nothing lost. */
  g_assert_cmpuint (lablink_plot_get_last_drawn_points (plot), ==, 200);

  /* Dark, paused, with a message: still draws. */
  lablink_plot_set_dark (plot, TRUE);
  lablink_plot_set_paused (plot, TRUE);
  lablink_plot_set_message (plot, "No data");
  before = lablink_plot_get_n_draws (plot);
  wait_draw (plot, before);
  g_assert_cmpstr (lablink_plot_get_message (plot), ==, "No data");
}

/* Without the extcairo device (LABLINK_PLOT_DISABLE=1 stands for a machine
 * without plplot-driver-cairo): a message instead of a plot, no PLplot call
 * at all (which would read a device name from stdin and exit). */
static void
test_plot_unavailable (Fixture       *f,
                       gconstpointer  data)
{
  LablinkPlot *plot = f->plot;
  double x[] = { 0, 1, 2 }, y[] = { 1, 2, 3 };
  guint64 before = lablink_plot_get_n_draws (plot);
  guint s;

  g_assert_false (lablink_plot_is_available ());
  s = lablink_plot_add_series (plot, 0, "a", NULL);
  lablink_plot_set_series_data (plot, s, x, y, 3);
  wait_draw (plot, before);
  g_assert_cmpuint (lablink_plot_get_last_drawn_points (plot), ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr(LablinkApplication) app = NULL;
  int ret;

  mt_init (&argc, &argv);
  /* GTK and libadwaita initialised by the application's startup. */
  app = mt_app_new ();

  if (g_strcmp0 (g_getenv ("LABLINK_PLOT_DISABLE"), "1") == 0)
    g_test_add ("/gui/plot/unavailable", Fixture, NULL, setup, test_plot_unavailable, teardown);
  else
    {
      g_test_add ("/gui/plot/available", Fixture, NULL, setup, test_plot_available, teardown);
      g_test_add ("/gui/plot/million-points", Fixture, NULL, setup, test_plot_million_points, teardown);
      g_test_add ("/gui/plot/one-draw-per-frame", Fixture, NULL, setup, test_plot_one_draw_per_frame, teardown);
      g_test_add ("/gui/plot/ring-gap-and-cursor", Fixture, NULL, setup, test_plot_ring_gap_and_cursor, teardown);
    }
  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  return ret;
}
