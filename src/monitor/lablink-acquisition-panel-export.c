/* lablink-acquisition-panel-export.c — Export…: the recorded data or the chart
 *
 * Part of LablinkAcquisitionPanel (see lablink-acquisition-panel-private.h).
 *
 * The capture's data is written by lablink_export_async() on a worker
 * thread (CSV, JSON, HDF5), the chart by lablink_plot_export() (PNG, SVG,
 * PDF). The Export… button asks for a file with a GtkFileChooserNative;
 * while data exports run, a progress bar pulses with a Cancel button.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lablink-acquisition-panel-private.h"

static gboolean
chart_format (const char              *format,
              LablinkPlotExportFormat *out)
{
  if (g_ascii_strcasecmp (format, "png") == 0)
    *out = LABLINK_PLOT_EXPORT_PNG;
  else if (g_ascii_strcasecmp (format, "svg") == 0)
    *out = LABLINK_PLOT_EXPORT_SVG;
  else if (g_ascii_strcasecmp (format, "pdf") == 0)
    *out = LABLINK_PLOT_EXPORT_PDF;
  else
    return FALSE;
  return TRUE;
}

/**
 * lablink_acquisition_panel_export_chart:
 * @self: the panel
 * @file: the file to write
 * @format: "png", "svg" or "pdf"
 * @width: the width (0: the chart's own, or 1200)
 * @height: the height (0: the chart's own, or 700)
 * @error: return location for a #GError
 *
 * Saves the chart as it is now.
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_acquisition_panel_export_chart (LablinkAcquisitionPanel  *self,
                                        GFile                    *file,
                                        const char               *format,
                                        int                       width,
                                        int                       height,
                                        GError                  **error)
{
  LablinkPlotExportFormat plot_format;

  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  if (!chart_format (format, &plot_format))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a chart format: choose PNG, SVG or PDF"), format);
      return FALSE;
    }
  if (width <= 0 || height <= 0)
    {
      int w = gtk_widget_get_width (GTK_WIDGET (self->plot));
      int h = gtk_widget_get_height (GTK_WIDGET (self->plot));

      width = w >= 100 && h >= 100 ? w : 1200;
      height = w >= 100 && h >= 100 ? h : 700;
    }
  return lablink_plot_export (self->plot, file, plot_format, width, height, error);
}

/* Progress while data exports run: the bar pulses. lablink_export_async()
 * can report a fraction on this thread (its progress is queued on the
 * caller's context); showing it needs a callback that outlives the panel
 * safely (a weak reference), which is still to do. */
static gboolean
export_pulse_cb (gpointer data)
{
  LablinkAcquisitionPanel *self = data;

  gtk_progress_bar_pulse (self->export_progress);
  return G_SOURCE_CONTINUE;
}

static void
export_busy (LablinkAcquisitionPanel *self,
             gboolean                 busy)
{
  if (busy)
    {
      if (self->n_exports++ == 0)
        {
          g_clear_object (&self->export_cancellable);
          self->export_cancellable = g_cancellable_new ();
          gtk_progress_bar_set_text (self->export_progress, _("Exporting…"));
          gtk_progress_bar_set_pulse_step (self->export_progress, 0.1);
          self->pulse_timer = g_timeout_add (100, export_pulse_cb, self);
          g_source_set_name_by_id (self->pulse_timer, "[lablink] export progress");
        }
    }
  else if (self->n_exports > 0 && --self->n_exports == 0)
    g_clear_handle_id (&self->pulse_timer, g_source_remove);
  if (self->export_box != NULL)   /* NULL once disposed */
    gtk_widget_set_visible (self->export_box, self->n_exports > 0);
}

static void
export_cancel_cb (LablinkAcquisitionPanel *self)
{
  g_cancellable_cancel (self->export_cancellable);
}

static void
export_data_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GTask) task = data;
  LablinkAcquisitionPanel *self = g_task_get_source_object (task);
  GError *error = NULL;

  export_busy (self, FALSE);
  if (lablink_export_finish (LABLINK_CAPTURE (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * lablink_acquisition_panel_export_to_file:
 * @self: the panel
 * @file: the file to write (replaced atomically when complete)
 * @format: "csv", "json", "hdf5" (the whole current capture) or "png",
 *   "svg", "pdf" (the chart, at its size on screen)
 * @callback: called when done
 * @user_data: data for @callback
 *
 * What the Export… dialog does with its answer; the data formats are
 * written on a worker thread, with progress shown in the panel.
 */
void
lablink_acquisition_panel_export_to_file (LablinkAcquisitionPanel *self,
                                          GFile                   *file,
                                          const char              *format,
                                          GAsyncReadyCallback      callback,
                                          gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  LablinkPlotExportFormat plot_format;
  LablinkExportFormat data_format;

  g_return_if_fail (LABLINK_IS_ACQUISITION_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (format != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, lablink_acquisition_panel_export_to_file);

  if (chart_format (format, &plot_format))
    {
      GError *error = NULL;

      if (lablink_acquisition_panel_export_chart (self, file, format, 0, 0, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;
    }

  if (!lablink_export_format_from_string (format, &data_format))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Unknown export format “%s”: choose CSV, JSON, HDF5, PNG, SVG or PDF"), format);
      return;
    }
  if (self->capture == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("Nothing recorded yet: press Record, then export the recording"));
      return;
    }

  export_busy (self, TRUE);
  lablink_export_async (self->capture, data_format, file, G_MININT64, G_MAXINT64,
                        self->export_cancellable, NULL, NULL,
                        export_data_cb, g_steal_pointer (&task));
}

gboolean
lablink_acquisition_panel_export_to_file_finish (LablinkAcquisitionPanel  *self,
                                                 GAsyncResult             *result,
                                                 GError                  **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lablink_acquisition_panel_export_to_file, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  LablinkAcquisitionPanel *self = LABLINK_ACQUISITION_PANEL (source);
  g_autoptr(GFile) file = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *text = NULL;

  if (lablink_acquisition_panel_export_to_file_finish (self, result, &error))
    text = g_strdup_printf (_("Saved “%s”"), name);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup (_("Export cancelled"));
  else
    text = g_strdup_printf (_("Could not export to “%s”: %s"), name, error->message);
  _lablink_acquisition_panel_toast (self, text);
}

static const struct {
  const char *format;
  const char *name;
  const char *pattern;
} export_formats[] = {
  { "csv", N_("CSV (recorded data)"), "*.csv" },
  { "json", N_("JSON (recorded data)"), "*.json" },
  { "hdf5", N_("HDF5 (recorded data)"), "*.h5" },
  { "png", N_("PNG image (chart)"), "*.png" },
  { "svg", N_("SVG drawing (chart)"), "*.svg" },
  { "pdf", N_("PDF document (chart)"), "*.pdf" },
};

static void
chooser_response_cb (GtkNativeDialog         *chooser,
                     int                      response,
                     LablinkAcquisitionPanel *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *base = NULL;
  GtkFileFilter *filter;
  const char *format = NULL;
  const char *dot;
  guint i;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    {
      /* The name's extension decides; else the chosen filter, whose
       * extension is then added. */
      base = g_file_get_basename (file);
      dot = base ? strrchr (base, '.') : NULL;
      for (i = 0; dot && i < G_N_ELEMENTS (export_formats); i++)
        if (g_ascii_strcasecmp (dot + 1, export_formats[i].format) == 0 ||
            g_ascii_strcasecmp (dot, export_formats[i].pattern + 1) == 0)
          format = export_formats[i].format;
      if (format == NULL)
        {
          g_autofree char *named = NULL;
          g_autoptr(GFile) parent = g_file_get_parent (file);

          filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (chooser));
          format = filter ? g_object_get_data (G_OBJECT (filter), "format") : NULL;
          if (format == NULL)
            format = "csv";
          for (i = 0; i < G_N_ELEMENTS (export_formats); i++)
            if (g_str_equal (format, export_formats[i].format))
              named = g_strconcat (base, export_formats[i].pattern + 1, NULL);
          if (parent && named)
            {
              g_object_unref (file);
              file = g_file_get_child (parent, named);
            }
        }
      lablink_acquisition_panel_export_to_file (self, file, format, export_done_cb, g_object_ref (file));
    }

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
export_clicked_cb (LablinkAcquisitionPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  guint i;

  if (self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  for (i = 0; i < G_N_ELEMENTS (export_formats); i++)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _(export_formats[i].name));
      gtk_file_filter_add_pattern (filter, export_formats[i].pattern);
      g_object_set_data (G_OBJECT (filter), "format", (gpointer) export_formats[i].format);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      /* Without a recording, the chart is what can be saved. */
      if ((self->capture != NULL && i == 0) || (self->capture == NULL && i == 3))
        gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), filter);
      g_object_unref (filter);
    }
  name = g_strdup_printf ("acquisition-%.8s.%s", self->selected_id ? self->selected_id : "chart",
                          self->capture != NULL ? "csv" : "png");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_DEFAULT);
  gtk_native_dialog_show (self->chooser);
}

/* Class and instance */

void
_lablink_acquisition_panel_class_init_export (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_cancel_cb);
}

/* Cancels the exports under way and closes the file chooser. */
void
_lablink_acquisition_panel_dispose_export (LablinkAcquisitionPanel *self)
{
  g_cancellable_cancel (self->export_cancellable);
  g_clear_handle_id (&self->pulse_timer, g_source_remove);
  if (self->chooser)
    {
      GtkNativeDialog *chooser = g_steal_pointer (&self->chooser);

      gtk_native_dialog_destroy (chooser);
      g_object_unref (chooser);
    }
}

void
_lablink_acquisition_panel_finalize_export (LablinkAcquisitionPanel *self)
{
  g_clear_object (&self->export_cancellable);
}
