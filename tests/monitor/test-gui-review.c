/* test-gui-review.c — the review window on a generated 10M-sample capture
 *
 * A capture of 10 million samples of two channels (1 kHz, a recorded 10 s
 * gap in the middle) opens through app.review-capture (what the Captures
 * popover, --open and a drop do); zooming in through the plot's API down
 * to single samples shows each sample's exact value; the gap is shown (a
 * shaded band of the plot, with its legend entry and its line in the
 * pointer's readout, not a series);
 * toggling a channel hides it; the export of the visible range writes
 * only that range. Screenshots at the window's default size, 1600×1000
 * and 800×600.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "lablink-review-window.h"
#include "monitor-test-util.h"

#define T0        G_GINT64_CONSTANT (1764087277000000)
#define N_ROWS    G_GUINT64_CONSTANT (10000000)
#define HOLE_ROW  G_GUINT64_CONSTANT (5000000)
#define HOLE_USEC (10 * G_USEC_PER_SEC)

static gint64
row_time (guint64 row)
{
  return T0 + (gint64) row * 1000 + (row >= HOLE_ROW ? HOLE_USEC : 0);
}

static double
row_value (guint64 row,
           guint   channel)
{
  return channel == 0 ? sin ((double) row * 0.002) + (double) (row % 7) * 0.01
                      : (double) (row % 1000) * 0.001 - 0.5;
}

static char *
make_capture (const char *root)
{
  const char *names[] = { "CH1", "CH2", NULL };
  const char *units[] = { "V", "A", NULL };

  /* the hole recorded as a gap, as an outage leaves it */
  return mt_capture_new (root, "review", names, units, N_ROWS, row_time, row_value, HOLE_ROW, TRUE);
}

static double
row_x (guint64 row)
{
  return (double) (row_time (row) - T0) / G_USEC_PER_SEC;
}

/* Shows rows @first … @last (and nothing else: the neighbours are 1 ms
 * away, the range reaches 0.4 ms beyond). */
static void
zoom_rows (LablinkReviewWindow *window,
           guint64              first,
           guint64              last)
{
  LablinkPlot *plot = lablink_review_window_get_plot (window);

  lablink_plot_zoom_x_range (plot, row_x (first) - 0.0004, row_x (last) + 0.0004);
  TEST_ASSERT_EVENTUALLY (lablink_plot_get_n_draws (plot) > 0);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  lablink_review_window_export_finish (LABLINK_REVIEW_WINDOW (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The gap's band, zoomed to 10 s on either side of it: from its last
 * sample before to its first after, where the trace is broken; the
 * readout under the pointer names it (and no "Gaps" series, nor the
 * channels, which have no sample there), beside it does not. */
static void
check_gap_band (LablinkReviewWindow *window)
{
  LablinkPlot *plot = lablink_review_window_get_plot (window);
  LablinkPlotBand band;
  double left, right, x0, x1, area, area_left, mid_y;
  const char *text;

  zoom_rows (window, HOLE_ROW - 10000, HOLE_ROW + 10000);
  mt_plot_wait_drawn (plot);
  g_assert_cmpuint (lablink_plot_get_n_bands (plot), ==, 1);
  g_assert_true (lablink_plot_get_band (plot, 0, &band, &left, &right));
  g_assert_cmpint (band.kind, ==, LABLINK_PLOT_BAND_LOST);
  g_assert_cmpfloat_with_epsilon (band.start, row_x (HOLE_ROW - 1), 1e-9);
  g_assert_cmpfloat_with_epsilon (band.end, row_x (HOLE_ROW), 1e-9);
  g_assert_cmpstr (lablink_plot_get_legend (plot), ==, "CH1, CH2, Gap (data lost)");

  /* Where the visible range puts it: the plot area its edges imply ends
   * at the widget's right margin (14 px) and begins after the y axis'
   * labels. */
  lablink_plot_get_visible_x_range (plot, &x0, &x1);
  area = (right - left) * (x1 - x0) / (band.end - band.start);
  area_left = left - (band.start - x0) / (x1 - x0) * area;
  g_test_message ("band %.1f…%.1f px, plot area %.1f…%.1f px", left, right, area_left, area_left + area);
  g_assert_cmpfloat (fabs (area_left + area - (gtk_widget_get_width (GTK_WIDGET (plot)) - 14)), <, 1.5);
  g_assert_cmpfloat (area_left, >=, 80);
  g_assert_cmpfloat (area_left, <, 200);

  mid_y = gtk_widget_get_height (GTK_WIDGET (plot)) / 2.0;
  text = mt_plot_hover (plot, (left + right) / 2.0, mid_y);
  g_assert_nonnull (strstr (text, "\nGap (data lost) · 10.00 s"));
  g_assert_null (strstr (text, "Gaps"));
  g_assert_null (strstr (text, "\nCH1: "));

  /* Screenshots of the band and its readout, light and dark. */
  for (guint dark = 0; dark < 2; dark++)
    {
      AdwStyleManager *style = adw_style_manager_get_default ();
      g_autofree char *path = NULL;
      double variance = 0;

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_DEFAULT);
      mt_plot_wait_drawn (plot);
      path = mt_screenshot (GTK_WIDGET (window), dark ? "review-gap-dark.png" : "review-gap.png", &variance);
      g_test_message ("%s: luminance variance %.1f", path, variance);
      g_assert_cmpfloat (variance, >, 100.0);
    }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  text = mt_plot_hover (plot, right + 10, mid_y);
  g_assert_null (strstr (text, "Gap"));
  lablink_plot_clear_pointer (plot);
}

static void
test_review (void)
{
  g_autofree char *root = NULL;
  g_autofree char *directory = NULL;
  g_autoptr(LablinkApplication) app = mt_app_new ();
  LablinkReviewWindow *window;
  LablinkPlot *plot;
  const double *x, *y;
  gsize n, i, n_values;
  gint64 shown_start, shown_end;

  root = g_dir_make_tmp ("lablink-review-XXXXXX", NULL);
  g_assert_nonnull (root);
  directory = make_capture (root);

  /* Opened as the Captures popover, --open and a drop open it. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "review-capture", g_variant_new_string (directory));
  window = mt_find_review_window (app);
  g_assert_nonnull (window);
  TEST_ASSERT_EVENTUALLY (lablink_review_window_get_view (window) != NULL);
  plot = lablink_review_window_get_plot (window);
  g_assert_cmpuint (lablink_capture_view_get_n_samples (lablink_review_window_get_view (window)), ==, N_ROWS);
  mt_plot_wait_drawn (plot);

  /* The whole recording: every column has samples (min and max), one gap. */
  lablink_review_window_get_range (window, &shown_start, &shown_end);
  g_assert_cmpint (shown_start, ==, T0);
  g_assert_cmpint (shown_end, ==, row_time (N_ROWS - 1));
  y = lablink_review_window_get_points (window, 0, &x, &n);
  g_assert_cmpuint (n, >=, 200);
  g_assert_cmpuint (lablink_review_window_get_n_gaps_shown (window), ==, 1);
  g_assert_nonnull (strstr (lablink_review_window_get_status (window), "10000000 samples"));
  /* a band (a 10 s gap in 2 h 46 min: widened to be seen), not a series */
  g_assert_cmpuint (lablink_plot_get_n_series (plot), ==, 2);
  g_assert_cmpuint (lablink_plot_get_n_bands (plot), ==, 1);
  {
    double left, right;

    g_assert_true (lablink_plot_get_band (plot, 0, NULL, &left, &right));
    g_assert_cmpfloat (right - left, >=, 2.0 - 1e-9);
    g_assert_cmpfloat (right - left, <, 4.0);
  }
  g_assert_cmpstr (lablink_plot_get_legend (plot), ==, "CH1, CH2, Gap (data lost)");

  /* Down to single samples: each shown at its exact value, in order. */
  zoom_rows (window, 1234567, 1234577);
  mt_plot_wait_drawn (plot);
  y = lablink_review_window_get_points (window, 0, &x, &n);
  g_assert_cmpuint (n, ==, 11);
  for (i = 0; i < n; i++)
    {
      g_assert_cmpfloat (y[i], ==, row_value (1234567 + i, 0));
      /* at its column (one of ~1000 over 10.8 ms) */
      g_assert_cmpfloat (fabs (x[i] - row_x (1234567 + i)), <, 1e-4);
    }
  y = lablink_review_window_get_points (window, 1, &x, &n);
  g_assert_cmpuint (n, ==, 11);
  for (i = 0; i < n; i++)
    g_assert_cmpfloat (y[i], ==, row_value (1234567 + i, 1));
  g_assert_cmpuint (lablink_review_window_get_n_gaps_shown (window), ==, 0);
  g_assert_nonnull (strstr (lablink_review_window_get_status (window), "11 samples"));
  g_assert_cmpuint (lablink_plot_get_n_bands (plot), ==, 0);
  g_assert_cmpstr (lablink_plot_get_legend (plot), ==, "CH1, CH2");

  /* Across the gap: shown, and the trace broken there. */
  zoom_rows (window, HOLE_ROW - 20, HOLE_ROW + 20);
  mt_plot_wait_drawn (plot);
  g_assert_cmpuint (lablink_review_window_get_n_gaps_shown (window), ==, 1);
  g_assert_nonnull (strstr (lablink_review_window_get_status (window), "Gap"));
  y = lablink_review_window_get_points (window, 0, &x, &n);
  n_values = 0;
  for (i = 0; i < n; i++)
    if (isnan (y[i]))
      {
        /* the break lies between the last sample before and the first after */
        g_assert_cmpuint (i, >, 0);
        g_assert_cmpuint (i + 1, <, n);
        g_assert_cmpfloat (x[i - 1], <=, row_x (HOLE_ROW - 1) + 1e-9);
        g_assert_cmpfloat (x[i + 1], >, row_x (HOLE_ROW - 1));
        n_values++;
      }
  g_assert_cmpuint (n_values, ==, 1);

  /* Toggling a channel hides it (and only it). */
  lablink_review_window_set_channel_visible (window, 1, FALSE);
  mt_plot_wait_drawn (plot);
  lablink_review_window_get_points (window, 1, NULL, &n_values);
  g_assert_cmpuint (n_values, ==, 0);
  g_assert_cmpuint (lablink_plot_get_series_n_points (plot, 1), ==, 0);
  g_assert_cmpuint (lablink_plot_get_series_n_points (plot, 0), ==, n);
  lablink_review_window_set_channel_visible (window, 1, TRUE);
  g_assert_cmpuint (lablink_plot_get_series_n_points (plot, 1), >, 0);

  check_gap_band (window);

  /* The export of the visible range writes that range only. */
  {
    g_autofree char *path = g_build_filename (root, "visible.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *contents = NULL;
    g_auto(GStrv) lines = NULL;
    g_autofree char *first_time = lablink_capture_format_time (row_time (2000000));
    g_autofree char *last_time = lablink_capture_format_time (row_time (2000999));
    gboolean done = FALSE;
    guint n_lines;

    zoom_rows (window, 2000000, 2000999);
    lablink_review_window_export_async (window, LABLINK_EXPORT_FORMAT_CSV, file, NULL, export_done_cb, &done);
    TEST_ASSERT_EVENTUALLY (done);
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    lines = g_strsplit (contents, "\r\n", -1);
    n_lines = g_strv_length (lines);
    /* a header, 1000 rows, the empty string after the last CRLF */
    g_assert_cmpuint (n_lines, ==, 1002);
    g_assert_true (g_str_has_prefix (lines[1], first_time));
    g_assert_true (g_str_has_prefix (lines[1000], last_time));
  }

  /* Screenshots of the whole recording. */
  lablink_plot_reset_view (plot);
  {
    static const int sizes[][2] = { { 1100, 680 }, { 1600, 1000 }, { 800, 600 } };

    for (i = 0; i < G_N_ELEMENTS (sizes); i++)
      {
        g_autofree char *name = g_strdup_printf ("review-%dx%d.png", sizes[i][0], sizes[i][1]);
        g_autofree char *path = NULL;
        double variance = 0;

        mt_resize_window (GTK_WINDOW (window), sizes[i][0], sizes[i][1]);
        /* A new width: the columns follow the plot's pixels. */
        lablink_plot_reset_view (plot);
        mt_plot_wait_drawn (plot);
        path = mt_screenshot (GTK_WIDGET (window), name, &variance);
        g_test_message ("%s: luminance variance %.1f", path, variance);
        g_assert_cmpfloat (variance, >, 100.0);
      }
  }

  gtk_window_destroy (GTK_WINDOW (window));
  test_run_for (100);
  g_assert_true (lablink_capture_delete_directory (directory, NULL));
  g_rmdir (root);
  g_application_release (G_APPLICATION (app));
}

int
main (int    argc,
      char **argv)
{
  mt_init (&argc, &argv);
  g_test_add_func ("/gui/review/capture", test_review);
  return g_test_run ();
}
