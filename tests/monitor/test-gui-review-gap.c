/* test-gui-review-gap.c — the pointer's readout over a gap
 *
 * Over a gap's band the readout names the gap and lists only the series
 * that have a sample under the pointer. In the review window of a capture
 * with a gap where samples were lost: over the gap, anywhere in it, the
 * gap's line and no channel's ("CH1: —" said nothing); beside it, on the
 * samples, every channel's value and no gap. On a plot of its own, a band
 * over which one series has samples (a recovered gap) and another none:
 * the first's value there, nothing of the second. Screenshots of the
 * readout over the gap at the window's default size and 800×600.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "monitor-test-util.h"

#define T0        G_GINT64_CONSTANT (1764087277000000)
#define N_ROWS    G_GUINT64_CONSTANT (20000)
#define HOLE_ROW  G_GUINT64_CONSTANT (10000)
#define HOLE_USEC (10 * G_USEC_PER_SEC)

/* 1 kHz, 10 s of samples, a 10 s gap, 10 s of samples */
static gint64
row_time (guint64 row)
{
  return T0 + (gint64) row * 1000 + (row >= HOLE_ROW ? HOLE_USEC : 0);
}

static double
row_value (guint64 row,
           guint   channel)
{
  /* 1…3 V, 4…5 V: no prefix */
  return channel == 0 ? 2.0 + sin ((double) row * 0.002) : 4.0 + (double) (row % 1000) * 0.001;
}

/* The value in @text's line "@name: …" (a number without an SI prefix,
 * then @unit); FALSE if there is no such line or no number in it ("—"). */
static gboolean
series_value (const char *text,
              const char *name,
              const char *unit,
              double     *value)
{
  g_autofree char *suffix = g_strdup_printf (" %s", unit);
  g_autofree char *start = g_strdup_printf ("\n%s: ", name);
  const char *line = strstr (text, start);
  char *end = NULL;

  if (line == NULL)
    return FALSE;
  line += strlen (start);
  *value = g_ascii_strtod (line, &end);
  return end != line && isfinite (*value) && g_str_has_prefix (end, suffix);
}

/* The readout at x @x (widget coordinates) in the middle of @plot's height. */
static const char *
hover (LablinkPlot *plot,
       double       x)
{
  return mt_plot_hover (plot, x, gtk_widget_get_height (GTK_WIDGET (plot)) / 2.0);
}

/* The capture's gap, as the window shows it now: a band of its own; the
 * readout anywhere over it (its halves had the last sample before it and
 * the break, "—"), on its edges, on the samples on either side of it. */
static void
check_readout (LablinkPlot *plot)
{
  LablinkPlotBand band;
  double left, right, value;
  const char *text;

  g_assert_cmpuint (lablink_plot_get_n_bands (plot), ==, 1);
  g_assert_true (lablink_plot_get_band (plot, 0, &band, &left, &right));
  g_assert_cmpint (band.kind, ==, LABLINK_PLOT_BAND_LOST);
  g_test_message ("band %.1f…%.1f px", left, right);
  g_assert_cmpfloat (right - left, >, 50);

  for (guint k = 1; k < 8; k++)
    {
      text = hover (plot, left + (right - left) * k / 8.0);
      g_assert_nonnull (strstr (text, "\nGap (data lost) · 10.00 s"));
      g_assert_null (strstr (text, "—"));
      g_assert_null (strstr (text, "CH1"));
      g_assert_null (strstr (text, "CH2"));
    }

  /* on its edges (give or take a pixel): the gap, and the samples there */
  for (guint k = 0; k < 2; k++)
    {
      text = hover (plot, k == 0 ? left + 0.5 : right - 0.5);
      g_assert_nonnull (strstr (text, "\nGap (data lost) · 10.00 s"));
      g_assert_null (strstr (text, "—"));
      g_assert_true (series_value (text, "CH1", "V", &value));
      g_assert_true (series_value (text, "CH2", "V", &value));
    }

  /* the middles of the samples before and after it */
  for (guint k = 0; k < 2; k++)
    {
      text = hover (plot, k == 0 ? left - (right - left) / 2.0 : right + (right - left) / 2.0);
      g_assert_null (strstr (text, "Gap"));
      g_assert_null (strstr (text, "—"));
      g_assert_true (series_value (text, "CH1", "V", &value));
      g_assert_cmpfloat (value, >=, 1.0 - 1e-3);
      g_assert_cmpfloat (value, <=, 3.0 + 1e-3);
      g_assert_true (series_value (text, "CH2", "V", &value));
      g_assert_cmpfloat (value, >=, 4.0 - 1e-3);
      g_assert_cmpfloat (value, <=, 5.0 + 1e-3);
    }
}

static void
test_review_gap_lost (gconstpointer data)
{
  LablinkApplication *app = (LablinkApplication *) data;
  const char *names[] = { "CH1", "CH2", NULL };
  const char *units[] = { "V", "V", NULL };
  g_autofree char *root = g_dir_make_tmp ("lablink-review-gap-XXXXXX", NULL);
  g_autofree char *directory = NULL;
  LablinkReviewWindow *window;
  LablinkPlot *plot;
  const char *text;

  g_assert_nonnull (root);
  directory = mt_capture_new (root, "gap", names, units, N_ROWS, row_time, row_value, HOLE_ROW, TRUE);
  g_action_group_activate_action (G_ACTION_GROUP (app), "review-capture", g_variant_new_string (directory));
  window = mt_find_review_window (app);
  g_assert_nonnull (window);
  TEST_ASSERT_EVENTUALLY (lablink_review_window_get_view (window) != NULL);
  plot = lablink_review_window_get_plot (window);
  mt_plot_wait_drawn (plot);

  /* The whole recording at the window's default size, then at 800×600,
   * with a screenshot of the readout over the gap at each. */
  for (guint size = 0; size < 2; size++)
    {
      g_autofree char *path = NULL;
      double left, right, variance = 0;

      if (size == 1)
        {
          mt_resize_window (GTK_WINDOW (window), 800, 600);
          lablink_plot_reset_view (plot);
          mt_plot_wait_drawn (plot);
        }
      check_readout (plot);

      g_assert_true (lablink_plot_get_band (plot, 0, NULL, &left, &right));
      text = hover (plot, left + (right - left) * 0.4);
      g_assert_null (strstr (text, "CH1"));
      path = mt_screenshot (GTK_WIDGET (window), size == 0 ? "review-gap-hover.png" : "review-gap-hover-800x600.png",
                            &variance);
      g_test_message ("%s (%d×%d): luminance variance %.1f", path, gtk_widget_get_width (GTK_WIDGET (window)),
                      gtk_widget_get_height (GTK_WIDGET (window)), variance);
      g_assert_cmpfloat (variance, >, 100.0);
    }
  lablink_plot_clear_pointer (plot);

  gtk_window_destroy (GTK_WINDOW (window));
  test_run_for (100);
  g_assert_true (lablink_capture_delete_directory (directory, NULL));
  g_rmdir (root);
}

/* A plot of two series over 0…30 s and a band over 10…20 s: "kept" has
 * samples all along (the gap was recovered for it), "lost" none in the
 * band (its trace broken there, as the review window breaks it). */
static void
test_plot_band_some_series (gconstpointer data)
{
  enum { N = 3001 };
  GtkWidget *window = gtk_window_new ();
  LablinkPlot *plot = LABLINK_PLOT (lablink_plot_new ());
  g_autofree double *x = g_new (double, N);
  g_autofree double *kept = g_new (double, N);
  g_autofree double *lost_x = g_new (double, N);
  g_autofree double *lost = g_new (double, N);
  LablinkPlotBand band = { 10.0, 20.0, LABLINK_PLOT_BAND_GAP };
  double left, right, value;
  const char *text;
  gsize n_lost = 0;

  for (guint i = 0; i < N; i++)
    {
      x[i] = i * 0.01;
      kept[i] = 2.0 + sin (x[i]);
      if (x[i] > 10.0 + 1e-9 && x[i] < 20.0 - 1e-9)
        continue;
      if (fabs (x[i] - 20.0) < 1e-9)
        {
          /* the break, at the x of the first sample after the gap */
          lost_x[n_lost] = x[i];
          lost[n_lost++] = NAN;
        }
      lost_x[n_lost] = x[i];
      lost[n_lost++] = -2.0 - cos (x[i]);
    }

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 500);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (plot));
  gtk_window_present (GTK_WINDOW (window));
  TEST_ASSERT_EVENTUALLY (gtk_widget_get_mapped (GTK_WIDGET (plot)) && gtk_widget_get_width (GTK_WIDGET (plot)) > 100);

  lablink_plot_set_x_label (plot, "Time", "s");
  lablink_plot_set_pane_label (plot, 0, "Value", "V");
  lablink_plot_set_x_range (plot, 0.0, 30.0);
  lablink_plot_add_series (plot, 0, "kept", NULL);
  lablink_plot_add_series (plot, 0, "lost", NULL);
  lablink_plot_set_series_data (plot, 0, x, kept, N);
  lablink_plot_set_series_data (plot, 1, lost_x, lost, n_lost);
  lablink_plot_set_band_label (plot, LABLINK_PLOT_BAND_GAP, "Gap (recovered)");
  lablink_plot_set_bands (plot, &band, 1);
  mt_plot_wait_drawn (plot);
  g_assert_true (lablink_plot_get_band (plot, 0, NULL, &left, &right));

  /* over the band: the gap, the series with samples there, not the other */
  for (guint k = 1; k < 8; k++)
    {
      text = hover (plot, left + (right - left) * k / 8.0);
      g_assert_nonnull (strstr (text, "\nGap (recovered) · 10.00 s"));
      g_assert_true (series_value (text, "kept", "V", &value));
      g_assert_cmpfloat (value, >=, 1.0 - 1e-3);
      g_assert_cmpfloat (value, <=, 3.0 + 1e-3);
      g_assert_null (strstr (text, "lost"));
      g_assert_null (strstr (text, "—"));
    }

  /* beside it: both */
  text = hover (plot, left - (right - left) / 2.0);
  g_assert_null (strstr (text, "Gap"));
  g_assert_true (series_value (text, "kept", "V", &value));
  g_assert_true (series_value (text, "lost", "V", &value));
  g_assert_cmpfloat (value, >=, -3.0 - 1e-3);
  g_assert_cmpfloat (value, <=, -1.0 + 1e-3);

  gtk_window_destroy (GTK_WINDOW (window));
  test_run_for (50);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(LablinkApplication) app = NULL;
  int ret;

  mt_init (&argc, &argv);
  /* GTK and libadwaita initialised by the application's startup. */
  app = mt_app_new ();
  g_test_add_data_func ("/gui/review-gap/data-lost", app, test_review_gap_lost);
  g_test_add_data_func ("/gui/review-gap/plot-band-some-series", app, test_plot_band_some_series);
  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  return ret;
}
