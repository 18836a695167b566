/* test-gui-review-drop.c — a capture folder dropped on the main window
 *
 * The main window's GtkDropTarget (GDK_TYPE_FILE_LIST) is driven through
 * its "drop" signal with a GdkFileList, as a file manager's drop reaches
 * it: a capture's folder opens a review window on that capture (its
 * recovered gap shaded as a "Gap (recovered)" band); a folder that is not
 * a capture is refused with a toast that says so, and opens no window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "lablink-review-window.h"
#include "monitor-test-util.h"

#define T0     G_GINT64_CONSTANT (1764087277000000)
#define N_ROWS 2000
#define HOLE   1000   /* the first row after a 2 s gap */

static gint64
row_time (guint64 row)
{
  return T0 + (gint64) row * 1000 + (row >= HOLE ? 2 * G_USEC_PER_SEC : 0);
}

static double
row_value (guint64 row,
           guint   channel)
{
  return (double) (row % 100) / 100.0;
}

/* A capture of one channel with a gap the server still held (recovered). */
static char *
make_capture (const char *root)
{
  const char *names[] = { "CH1", NULL };
  const char *units[] = { "V", NULL };

  return mt_capture_new (root, "dropped", names, units, N_ROWS, row_time, row_value, HOLE, FALSE);
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

/* Drops @path on @window's drop target at its middle, as a GdkFileList of
 * one folder. Returns what the target answered (TRUE: accepted). */
static gboolean
drop_folder (LablinkWindow *window,
             const char    *path)
{
  GtkDropTarget *target = find_drop_target (GTK_WIDGET (window));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_assert_nonnull (target);
  g_assert_true (gdk_content_formats_contain_gtype (gtk_drop_target_get_formats (target), GDK_TYPE_FILE_LIST));
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (&file, 1));
  g_signal_emit_by_name (target, "drop", &value,
                         gtk_widget_get_width (GTK_WIDGET (window)) / 2.0,
                         gtk_widget_get_height (GTK_WIDGET (window)) / 2.0,
                         &accepted);
  return accepted;
}

static guint
count_review_windows (LablinkApplication *app,
                      LablinkReviewWindow **last)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (LABLINK_IS_REVIEW_WINDOW (l->data))
      {
        if (last)
          *last = l->data;
        n++;
      }
  return n;
}

static void
test_drop_capture (MtFixture     *fixture,
                   gconstpointer  data)
{
  g_autofree char *root = g_dir_make_tmp ("lablink-drop-XXXXXX", NULL);
  g_autofree char *directory = NULL;
  LablinkReviewWindow *review = NULL;
  LablinkPlot *plot;
  LablinkPlotBand band;

  g_assert_nonnull (root);
  directory = make_capture (root);
  g_assert_cmpuint (count_review_windows (fixture->app, NULL), ==, 0);

  g_assert_true (drop_folder (fixture->window, directory));
  TEST_ASSERT_EVENTUALLY (count_review_windows (fixture->app, &review) == 1);
  g_assert_cmpstr (lablink_review_window_get_directory (review), ==, directory);
  TEST_ASSERT_EVENTUALLY (lablink_review_window_get_view (review) != NULL);
  g_assert_cmpuint (lablink_capture_view_get_n_samples (lablink_review_window_get_view (review)), ==, N_ROWS);

  /* What it shows: the capture, its recovered gap as a neutral band. */
  plot = lablink_review_window_get_plot (review);
  TEST_ASSERT_EVENTUALLY (lablink_plot_get_n_bands (plot) == 1 && lablink_plot_get_band (plot, 0, &band, NULL, NULL));
  g_assert_cmpint (band.kind, ==, LABLINK_PLOT_BAND_GAP);
  g_assert_cmpfloat_with_epsilon (band.start, (double) (row_time (HOLE - 1) - T0) / G_USEC_PER_SEC, 1e-9);
  g_assert_cmpfloat_with_epsilon (band.end, (double) (row_time (HOLE) - T0) / G_USEC_PER_SEC, 1e-9);
  g_assert_cmpstr (lablink_plot_get_legend (plot), ==, "Gap (recovered)");
  g_assert_nonnull (strstr (lablink_review_window_get_status (review), "Gap (recovered)"));

  gtk_window_destroy (GTK_WINDOW (review));
  TEST_ASSERT_EVENTUALLY (count_review_windows (fixture->app, NULL) == 0);
  g_assert_true (lablink_capture_delete_directory (directory, NULL));
  g_rmdir (root);
}

static void
test_drop_other_folder (MtFixture     *fixture,
                        gconstpointer  data)
{
  g_autofree char *root = g_dir_make_tmp ("lablink-drop-XXXXXX", NULL);
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;
  guint toasts;

  g_assert_nonnull (root);
  folder = g_build_filename (root, "not-a-capture", NULL);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  name = g_filename_display_name (folder);
  toasts = lablink_window_get_n_toasts (fixture->window);

  g_assert_false (drop_folder (fixture->window, folder));
  g_assert_cmpuint (lablink_window_get_n_toasts (fixture->window), ==, toasts + 1);
  g_test_message ("toast: %s", lablink_window_get_last_toast (fixture->window));
  g_assert_nonnull (strstr (lablink_window_get_last_toast (fixture->window), name));
  g_assert_nonnull (strstr (lablink_window_get_last_toast (fixture->window), "is not a capture"));
  /* no window, not even later */
  test_run_for (300);
  g_assert_cmpuint (count_review_windows (fixture->app, NULL), ==, 0);

  g_rmdir (folder);
  g_rmdir (root);
}

int
main (int    argc,
      char **argv)
{
  mt_init (&argc, &argv);
  g_test_add ("/gui/review-drop/capture", MtFixture, NULL, mt_setup, test_drop_capture, mt_teardown);
  g_test_add ("/gui/review-drop/other-folder", MtFixture, NULL, mt_setup, test_drop_other_folder, mt_teardown);
  return g_test_run ();
}
