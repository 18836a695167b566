/* test-gui-export.c — recording an acquisition from the acquisition panel
 * and exporting it: the data to CSV, JSON and HDF5, the chart to PNG, SVG
 * and PDF (through the panel's export function, as its Export… dialog does);
 * the Captures popover lists the recording and deletes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "lablink-acquisition-panel.h"
#include "monitor-test-util.h"

/* This case's directory (captures, exports), made by setup (). */
static char *tmp_dir;

static void
rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
setup (MtFixture     *f,
       gconstpointer  data)
{
  g_autofree char *captures = NULL;

  /* Captures and exports go to a directory of this case's own. */
  tmp_dir = g_dir_make_tmp ("lablink-export-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  captures = g_build_filename (tmp_dir, "captures", NULL);
  g_setenv ("LABLINK_CAPTURE_DIR", captures, TRUE);
  mt_fixture_setup (f, NULL);
}

static void
teardown (MtFixture     *f,
          gconstpointer  data)
{
  mt_fixture_teardown (f);
  rm_rf (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

static GtkWidget *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *found = NULL;
  guint i;

  for (i = 0; i < g_list_model_get_n_items (toplevels) && found == NULL; i++)
    {
      GtkWidget *widget = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (widget) && gtk_widget_get_visible (widget))
        found = widget;
      g_object_unref (widget);   /* still listed: the list holds it */
    }
  return found;
}

static gboolean
chooser_set_file (GtkWidget  *dialog,
                  GFile      *folder,
                  const char *name,
                  GFile      *file)
{
  g_autoptr(GFile) chosen = NULL;

  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  return chosen != NULL && g_file_equal (chosen, file);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

/* Exports through the panel and waits (bounded) for the result. */
static gboolean
export_file (LablinkAcquisitionPanel  *panel,
             const char               *name,
             const char               *format,
             char                    **path_out,
             GError                  **error)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;

  lablink_acquisition_panel_export_to_file (panel, file, format, store_result_cb, &result);
  TEST_WAIT (result != NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (result);
  *path_out = g_steal_pointer (&path);
  return lablink_acquisition_panel_export_to_file_finish (panel, result, error);
}

static guint
csv_rows (const char *path,
          char      **header)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint i, n = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\r\n", -1);
  g_assert_nonnull (lines[0]);
  *header = g_strdup (lines[0]);
  for (i = 1; lines[i]; i++)
    if (*lines[i] != '\0')
      n++;
  return n;
}

static void
assert_prefix (const char *path,
               const char *prefix,
               gsize       prefix_len)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >=, prefix_len);
  g_assert_cmpmem (data, prefix_len, prefix, prefix_len);
}

static void
test_record_and_export (MtFixture     *f,
                        gconstpointer  test_data)
{
  LablinkWindow *window = f->window;
  LablinkAcquisitionPanel *panel = lablink_window_get_acquisition_panel (window);
  GtkToggleButton *record;
  LablinkCapture *capture;
  LablinkPlot *plot;
  const char *psu;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *header = NULL;
  guint64 n_before, n_after, n;
  guint rows;

  psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  g_assert_nonnull (psu);
  json_node_unref (mt_command (window, psu, "set_voltage", "{\"voltage\": 5.0, \"channel\": 1}"));
  json_node_unref (mt_command (window, psu, "set_output", "{\"enabled\": true, \"channel\": 1}"));

  lablink_window_set_page (window, "acquisitions");
  lablink_acquisition_panel_fill_form (panel, psu, "CH1, CH1_I", 100.0, "continuous");
  g_signal_emit_by_name (lablink_acquisition_panel_get_create_button (panel), "clicked");
  TEST_WAIT (lablink_acquisition_panel_get_selected_id (panel) != NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (lablink_acquisition_panel_get_selected_id (panel));
  plot = lablink_acquisition_panel_get_plot (panel);
  TEST_WAIT (lablink_plot_get_n_series (plot) == 2 && lablink_plot_get_series_n_points (plot, 0) >= 20, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_plot_get_n_series (plot), ==, 2);

  /* Without a recording there is no data to export: an error that says
   * what to do. */
  g_assert_null (lablink_acquisition_panel_get_capture (panel));
  g_assert_false (export_file (panel, "none.csv", "csv", &path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Record"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_clear_pointer (&path, g_free);

  /* Record: the count is shown live. */
  record = lablink_acquisition_panel_get_record_button (panel);
  gtk_toggle_button_set_active (record, TRUE);
  capture = lablink_acquisition_panel_get_capture (panel);
  g_assert_nonnull (capture);
  g_assert_true (lablink_capture_get_recording (capture));
  g_assert_true (g_str_has_prefix (lablink_capture_get_directory (capture), tmp_dir));
  TEST_WAIT (lablink_capture_get_n_samples (capture) >= 20, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_capture_get_n_samples (capture), >=, 20);
  TEST_WAIT (g_str_has_prefix (lablink_acquisition_panel_get_record_text (panel), "Recording: ") &&
           strcmp (lablink_acquisition_panel_get_record_text (panel), "Recording: 0 samples") != 0, TEST_TIMEOUT_MS);
  g_test_message ("%s", lablink_acquisition_panel_get_record_text (panel));
  g_assert_true (g_str_has_prefix (lablink_acquisition_panel_get_record_text (panel), "Recording: "));

  /* While recording: the rows stored when the export started. */
  n_before = lablink_capture_get_n_samples (capture);
  g_assert_true (export_file (panel, "live.csv", "csv", &path, &error));
  g_assert_no_error (error);
  n_after = lablink_capture_get_n_samples (capture);
  rows = csv_rows (path, &header);
  g_test_message ("live CSV: %u rows (capture %" G_GUINT64_FORMAT "…%" G_GUINT64_FORMAT ")", rows, n_before, n_after);
  g_assert_cmpuint (rows, >=, n_before);
  g_assert_cmpuint (rows, <=, n_after);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&header, g_free);

  /* The chart, while data arrives. */
  {
    g_autofree char *png = g_build_filename (tmp_dir, "chart.png", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (png);
    g_autofree guchar *data = NULL;
    gsize len = 0;

    g_assert_true (lablink_acquisition_panel_export_chart (panel, file, "png", 640, 360, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (png, (char **) &data, &len, NULL));
    g_assert_cmpuint (len, >, 24);
    g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
    g_assert_cmpmem (data + 12, 4, "IHDR", 4);
    g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) (data + 16)), ==, 640);
    g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) (data + 20)), ==, 360);
  }
  g_assert_true (export_file (panel, "chart.svg", "svg", &path, &error));
  g_assert_no_error (error);
  {
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_assert_true (g_str_has_prefix (text, "<?xml"));
    g_assert_nonnull (strstr (text, "<svg"));
  }
  g_clear_pointer (&path, g_free);
  g_assert_true (export_file (panel, "chart.pdf", "pdf", &path, &error));
  g_assert_no_error (error);
  assert_prefix (path, "%PDF-", 5);
  g_clear_pointer (&path, g_free);

  /* Stop recording: the capture first fetches the acquisition's tail from
   * the server (the button waits), then stays, for export. */
  gtk_toggle_button_set_active (record, FALSE);
  if (lablink_capture_get_recording (capture))
    {
      g_assert_true (g_str_has_prefix (lablink_acquisition_panel_get_record_text (panel), "Finishing: "));
      g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (record)));
    }
  TEST_WAIT (!lablink_capture_get_recording (capture), TEST_TIMEOUT_MS);
  g_assert_false (lablink_capture_get_recording (capture));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (record)));
  g_assert_false (gtk_toggle_button_get_active (record));
  g_assert_true (lablink_acquisition_panel_get_capture (panel) == capture);
  g_assert_true (g_str_has_prefix (lablink_acquisition_panel_get_record_text (panel), "Recorded: "));
  n = lablink_capture_get_n_samples (capture);
  g_assert_cmpuint (n, >=, 20);

  g_assert_true (export_file (panel, "data.csv", "csv", &path, &error));
  g_assert_no_error (error);
  rows = csv_rows (path, &header);
  g_test_message ("CSV header: %s; %u rows, capture %" G_GUINT64_FORMAT, header, rows, n);
  g_assert_true (g_str_has_prefix (header, "timestamp,"));
  g_assert_nonnull (strstr (header, "CH1"));
  g_assert_cmpuint (rows, ==, n);
  g_clear_pointer (&path, g_free);

  g_assert_true (export_file (panel, "data.json", "json", &path, &error));
  g_assert_no_error (error);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *root, *data;

    g_assert_true (json_parser_load_from_file (parser, path, &error));
    g_assert_no_error (error);
    g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
    root = json_node_get_object (json_parser_get_root (parser));
    g_assert_true (json_object_has_member (root, "data"));
    data = json_object_get_object_member (root, "data");
    g_assert_nonnull (data);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (data, "timestamps")), ==, n);
  }
  g_clear_pointer (&path, g_free);

#ifdef HAVE_HDF5  /* meson -Dhdf5 */
  g_assert_true (export_file (panel, "data.h5", "hdf5", &path, &error));
  g_assert_no_error (error);
  assert_prefix (path, "\x89HDF\r\n\x1a\n", 8);
  g_clear_pointer (&path, g_free);
#endif

  /* The Export… button's file chooser (GTK's own dialog here, no portal):
   * the name's extension picks the format. */
  {
    g_autofree char *svg = g_build_filename (tmp_dir, "dialog.svg", NULL);
    g_autoptr(GFile) folder = g_file_new_for_path (tmp_dir);
    GtkWidget *dialog = NULL;

    g_signal_emit_by_name (mt_find (window, "acq-export"), "clicked");
    TEST_WAIT ((dialog = find_file_chooser ()) != NULL, TEST_TIMEOUT_MS);
    g_assert_nonnull (dialog);
    {
      g_autoptr(GFile) file = g_file_new_for_path (svg);
      g_autoptr(GFile) chosen = NULL;

      /* A folder set while the dialog is still starting up is lost:
       * set it until it holds. */
      TEST_WAIT (chooser_set_file (dialog, folder, "dialog.svg", file), TEST_TIMEOUT_MS);
      chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_assert_nonnull (chosen);
      g_test_message ("chooser: %s", g_file_peek_path (chosen));
      g_assert_true (g_file_equal (chosen, file));
    }
    /* GtkFileChooserDialog may hold an answer back while it still checks
     * the name it was given (its widget's should_respond, asynchronous):
     * answer again, as a user would press Save again, until it is taken. */
    {
      gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
      guint answers = 0;

      while (!g_file_test (svg, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
        {
          GtkWidget *open = find_file_chooser ();

          if (open != NULL)
            {
              gtk_dialog_response (GTK_DIALOG (open), GTK_RESPONSE_ACCEPT);
              answers++;
            }
          test_run_for (200);
        }
      g_test_message ("chooser answered %u time(s)", answers);
    }
    g_assert_true (g_file_test (svg, G_FILE_TEST_EXISTS));
    TEST_WAIT (find_file_chooser () == NULL, TEST_TIMEOUT_MS);
    g_assert_null (find_file_chooser ());
  }

  /* The Captures popover lists it; Delete removes it from disk. */
  {
    g_autofree char *directory = g_strdup (lablink_capture_get_directory (capture));
    GtkWidget *delete_button;

    g_assert_cmpuint (lablink_acquisition_panel_refresh_captures (panel), ==, 1);
    delete_button = mt_find (window, "capture-delete");
    g_assert_nonnull (delete_button);
    g_assert_true (gtk_widget_get_sensitive (delete_button));
    g_signal_emit_by_name (delete_button, "clicked");
    g_assert_null (lablink_acquisition_panel_get_capture (panel));
    g_assert_false (g_file_test (directory, G_FILE_TEST_EXISTS));
    g_assert_cmpuint (lablink_acquisition_panel_refresh_captures (panel), ==, 0);
    capture = NULL;
  }

  /* An unknown format is refused. */
  g_assert_false (export_file (panel, "data.xyz", "xyz", &path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_clear_pointer (&path, g_free);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/export/record-and-export", MtFixture, NULL, setup, test_record_and_export, teardown);

  return g_test_run ();
}
