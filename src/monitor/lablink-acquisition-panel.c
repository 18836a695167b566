/* lablink-acquisition-panel.c — acquisitions: list, create, control, live chart
 *
 * Acquisition frames carry the latest N samples, so consecutive frames
 * overlap: the session merges them into one ring by timestamp (each sample
 * once) and the chart draws that ring, x = 0 at the newest sample.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "lablink-acquisition-panel.h"
#include "lablink-units.h"

struct _LablinkAcquisitionPanel
{
  GtkWidget       parent_instance;

  GtkWidget      *paned;
  GtkListBox     *list;
  GtkDropDown    *equipment_dropdown;
  GtkEntry       *channels_entry;
  GtkSpinButton  *rate_spin;
  GtkDropDown    *mode_dropdown;
  GtkButton      *create_button;
  GtkStack       *detail_stack;
  GtkLabel       *title_label;
  GtkLabel       *state_label;
  GtkLabel       *stats_label;
  GtkToggleButton *watch_button;
  GtkToggleButton *record_button;
  GtkButton      *export_button;
  GtkLabel       *record_label;
  GtkWidget      *export_box;
  GtkProgressBar *export_progress;
  GtkListBox     *captures_list;
  guint           n_captures;
  LablinkPlot    *plot;

  LablinkCapture *capture;        /* the current capture: recording or last recorded */
  gulong          capture_notify;
  GCancellable   *export_cancellable;
  guint           n_exports;
  guint           pulse_timer;
  GtkNativeDialog *chooser;

  LablinkSession *session;
  GCancellable   *cancellable;
  GtkStringList  *equipment_names;
  GHashTable     *names;          /* acquisition id → its name */
  char           *pending_name;
  GPtrArray      *equipment_ids;
  char           *selected_id;
  LablinkRing    *bound_ring;
  guint           n_listed;
  gboolean        syncing;
};

G_DEFINE_FINAL_TYPE (LablinkAcquisitionPanel, lablink_acquisition_panel, GTK_TYPE_WIDGET)

static void
toast (LablinkAcquisitionPanel *self,
       const char              *text)
{
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", text);
}

static void
rebuild_equipment (LablinkAcquisitionPanel *self)
{
  GListModel *model;
  guint i, n;

  g_ptr_array_set_size (self->equipment_ids, 0);
  gtk_string_list_splice (self->equipment_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->equipment_names)), NULL);
  if (self->session == NULL)
    return;

  model = lablink_session_get_equipment (self->session);
  n = g_list_model_get_n_items (model);
  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkEquipment) equipment = g_list_model_get_item (model, i);
      const char *model_name = lablink_equipment_get_model (equipment);
      const char *name = model_name && *model_name ? model_name : lablink_equipment_get_display_name (equipment);

      gtk_string_list_append (self->equipment_names, name);
      g_ptr_array_add (self->equipment_ids, g_strdup (lablink_equipment_get_id (equipment)));
    }
}

static void
equipment_changed_cb (GListModel              *model,
                      guint                    position,
                      guint                    removed,
                      guint                    added,
                      LablinkAcquisitionPanel *self)
{
  rebuild_equipment (self);
}

/* Binds the chart's series to the session's ring of the selected acquisition. */
static void
bind_chart (LablinkAcquisitionPanel *self)
{
  LablinkRing *ring = self->session && self->selected_id
    ? lablink_session_get_acquisition_ring (self->session, self->selected_id) : NULL;
  const char * const *channels;
  guint c;

  if (ring == self->bound_ring)
    return;

  lablink_plot_remove_all_series (self->plot);
  g_clear_pointer (&self->bound_ring, lablink_ring_unref);
  if (ring == NULL)
    return;

  self->bound_ring = lablink_ring_ref (ring);
  channels = lablink_session_get_acquisition_channels (self->session, self->selected_id);
  for (c = 0; c < lablink_ring_get_n_channels (ring); c++)
    {
      guint series = lablink_plot_add_series (self->plot, 0, channels && channels[c] ? channels[c] : "?", NULL);
      lablink_plot_set_series_ring (self->plot, series, ring, c);
    }
}

static void
update_detail (LablinkAcquisitionPanel *self,
               LablinkMessage          *message)
{
  g_autoptr(GString) stats = g_string_new (NULL);
  g_autofree char *state = NULL;
  gint64 total = -1, overruns = -1;
  double rate = NAN, duration = NAN;
  LablinkRing *ring;

  if (message != NULL)
    {
      state = lablink_message_dup_string (message, "state");
      if (state)
        gtk_label_set_label (self->state_label, state);
      lablink_message_get_int (message, "stats.total_samples", &total);
      lablink_message_get_int (message, "stats.buffer_overruns", &overruns);
      lablink_message_get_double (message, "stats.actual_sample_rate", &rate);
      lablink_message_get_double (message, "stats.duration_seconds", &duration);
    }

  ring = self->bound_ring;
  if (total >= 0)
    g_string_append_printf (stats, _("Server: %" PRId64 " samples"), total);
  if (isfinite (rate))
    {
      g_autofree char *r = lablink_format_si (rate, "S/s", 4);
      g_string_append_printf (stats, " · %s", r);
    }
  if (isfinite (duration))
    {
      g_autofree char *d = lablink_format_duration (duration);
      g_string_append_printf (stats, " · %s", d);
    }
  if (overruns > 0)
    g_string_append_printf (stats, _(" · %" PRId64 " overruns"), overruns);
  if (ring)
    {
      if (stats->len)
        g_string_append (stats, "\n");
      g_string_append_printf (stats, _("Chart: %zu samples (%" PRIu64 " repeated in overlapping frames, skipped)"),
                              lablink_ring_get_length (ring),
                              lablink_session_get_acquisition_duplicates (self->session, self->selected_id));
    }
  gtk_label_set_label (self->stats_label, stats->str);
}

static void
acquisition_data_cb (LablinkSession          *session,
                     LablinkMessage          *message,
                     LablinkAcquisitionPanel *self)
{
  if (g_strcmp0 (lablink_message_get_acquisition_id (message), self->selected_id) != 0)
    return;

  bind_chart (self);
  update_detail (self, message);
  gtk_widget_queue_draw (GTK_WIDGET (self->plot));
}

static void
sync_watch_button (LablinkAcquisitionPanel *self)
{
  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->watch_button,
                                self->session && self->selected_id &&
                                lablink_session_is_watching_acquisition (self->session, self->selected_id));
  self->syncing = FALSE;
}

/* Recording: a LablinkCapture of the selected acquisition, in
 * $LABLINK_CAPTURE_DIR if set (tests), else the default directory. */

static void
update_record_label (LablinkAcquisitionPanel *self)
{
  g_autofree char *text = NULL;

  if (self->capture == NULL)
    {
      gtk_label_set_label (self->record_label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->record_label), NULL);
      return;
    }
  if (lablink_capture_get_recording (self->capture))
    text = g_strdup_printf (_("Recording: %" PRIu64 " samples"), lablink_capture_get_n_samples (self->capture));
  else
    text = g_strdup_printf (_("Recorded: %" PRIu64 " samples"), lablink_capture_get_n_samples (self->capture));
  gtk_label_set_label (self->record_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->record_label), lablink_capture_get_directory (self->capture));
}

static void
sync_record_button (LablinkAcquisitionPanel *self)
{
  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->record_button,
                                self->capture != NULL && lablink_capture_get_recording (self->capture));
  self->syncing = FALSE;
}

static void
stop_recording (LablinkAcquisitionPanel *self)
{
  g_autoptr(GError) error = NULL;

  if (self->capture == NULL || !lablink_capture_get_recording (self->capture))
    return;
  if (!lablink_capture_stop (self->capture, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not finish the recording: %s"), error->message);
      toast (self, text);
    }
}

/* Stops recording and forgets the capture (it stays on disk). */
static void
clear_capture (LablinkAcquisitionPanel *self)
{
  stop_recording (self);
  if (self->capture)
    g_clear_signal_handler (&self->capture_notify, self->capture);
  g_clear_object (&self->capture);
  update_record_label (self);
  sync_record_button (self);
}

static gboolean
start_recording (LablinkAcquisitionPanel  *self,
                 GError                  **error)
{
  g_autoptr(LablinkCapture) capture = NULL;
  const char *dir = g_getenv ("LABLINK_CAPTURE_DIR");

  if (self->session == NULL || self->selected_id == NULL ||
      lablink_session_get_client (self->session) == NULL ||
      lablink_session_get_manager (self->session) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("Not connected: connect to a server and select an acquisition first"));
      return FALSE;
    }

  capture = lablink_capture_new_for_acquisition (lablink_session_get_manager (self->session),
                                                 lablink_session_get_client (self->session),
                                                 self->selected_id,
                                                 dir && *dir ? dir : NULL,
                                                 error);
  if (capture == NULL || !lablink_capture_start (capture, error))
    return FALSE;

  clear_capture (self);
  self->capture = g_steal_pointer (&capture);
  self->capture_notify = g_signal_connect_swapped (self->capture, "notify::n-samples",
                                                   G_CALLBACK (update_record_label), self);
  update_record_label (self);
  return TRUE;
}

static void
record_toggled_cb (LablinkAcquisitionPanel *self)
{
  if (self->syncing)
    return;

  if (gtk_toggle_button_get_active (self->record_button))
    {
      g_autoptr(GError) error = NULL;

      if (!start_recording (self, &error))
        {
          g_autofree char *text = g_strdup_printf (_("Could not start recording: %s"), error->message);
          toast (self, text);
        }
    }
  else
    {
      stop_recording (self);
      update_record_label (self);
    }
  sync_record_button (self);
}

/**
 * lablink_acquisition_panel_get_record_button:
 * @self: the panel
 *
 * Returns: (transfer none): the "Record" toggle
 */
GtkToggleButton *
lablink_acquisition_panel_get_record_button (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), NULL);
  return self->record_button;
}

/**
 * lablink_acquisition_panel_get_capture:
 * @self: the panel
 *
 * Returns: (transfer none) (nullable): the capture being recorded, or the
 *   last one recorded for the selected acquisition
 */
LablinkCapture *
lablink_acquisition_panel_get_capture (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), NULL);
  return self->capture;
}

const char *
lablink_acquisition_panel_get_record_text (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), NULL);
  return gtk_label_get_label (self->record_label);
}

/* Export: the capture's data (lablink_export_async) or the chart
 * (lablink_plot_export). */

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
  toast (self, text);
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
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (self->chooser);
}

/* The Captures popover: the recordings in the captures directory. */

static void
delete_capture_cb (GtkButton               *button,
                   LablinkAcquisitionPanel *self)
{
  const char *directory = g_object_get_data (G_OBJECT (button), "capture-directory");
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (directory == NULL)
    return;
  if (self->capture != NULL && g_strcmp0 (directory, lablink_capture_get_directory (self->capture)) == 0)
    {
      if (lablink_capture_get_recording (self->capture))
        {
          toast (self, _("Stop recording before deleting this capture"));
          return;
        }
      ok = lablink_capture_delete (self->capture, &error);
      if (ok)
        clear_capture (self);
    }
  else
    ok = lablink_capture_delete_directory (directory, &error);

  if (!ok)
    {
      g_autofree char *text = g_strdup_printf (_("Could not delete the capture: %s"), error->message);
      toast (self, text);
    }
  lablink_acquisition_panel_refresh_captures (self);
}

/**
 * lablink_acquisition_panel_refresh_captures:
 * @self: the panel
 *
 * Lists the captures on disk ($LABLINK_CAPTURE_DIR or the default
 * directory) in the Captures popover.
 *
 * Returns: the number listed
 */
guint
lablink_acquisition_panel_refresh_captures (LablinkAcquisitionPanel *self)
{
  const char *dir = g_getenv ("LABLINK_CAPTURE_DIR");
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  guint i;

  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), 0);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->captures_list))))
    gtk_list_box_remove (self->captures_list, child);
  self->n_captures = 0;

  infos = lablink_capture_list (dir && *dir ? dir : NULL, &error);
  if (infos == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_autofree char *text = g_strdup_printf (_("Could not list the captures: %s"), error->message);
          toast (self, text);
        }
      return 0;
    }

  for (i = 0; i < infos->len; i++)
    {
      LablinkCaptureInfo *info = g_ptr_array_index (infos, i);
      g_autofree char *size = g_format_size (info->size_bytes);
      g_autofree char *duration = lablink_format_duration (lablink_capture_info_get_duration (info));
      g_autofree char *channels = info->channels ? g_strjoinv (", ", info->channels) : g_strdup ("");
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *button;

      /* TRANSLATORS: size · duration · samples · channel names */
      subtitle = g_strdup_printf (_("%s · %s · %" PRIu64 " samples · %s"), size, duration, info->n_samples, channels);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_tooltip_text (row, info->directory);

      button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_set_name (button, "capture-delete");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, info->recording ? _("Being recorded: stop recording to delete it")
                                                           : _("Delete this capture"));
      gtk_widget_set_sensitive (button, !info->recording);
      g_object_set_data_full (G_OBJECT (button), "capture-directory", g_strdup (info->directory), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (delete_capture_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

      gtk_list_box_append (self->captures_list, row);
      self->n_captures++;
    }
  return self->n_captures;
}

/**
 * lablink_acquisition_panel_select:
 * @self: the panel
 * @acquisition_id: (nullable): an acquisition
 *
 * Shows an acquisition's state, controls and chart.
 */
void
lablink_acquisition_panel_select (LablinkAcquisitionPanel *self,
                                  const char              *acquisition_id)
{
  LablinkMessage *last = NULL;

  g_return_if_fail (LABLINK_IS_ACQUISITION_PANEL (self));

  if (g_strcmp0 (acquisition_id, self->selected_id) != 0)
    {
      clear_capture (self);
      g_free (self->selected_id);
      self->selected_id = g_strdup (acquisition_id);
      lablink_plot_remove_all_series (self->plot);
      g_clear_pointer (&self->bound_ring, lablink_ring_unref);
    }

  gtk_stack_set_visible_child_name (self->detail_stack, acquisition_id ? "detail" : "empty");
  if (acquisition_id == NULL)
    return;

  {
    const char *name = g_hash_table_lookup (self->names, acquisition_id);
    g_autofree char *title = name ? g_strdup_printf ("%s · %.8s", name, acquisition_id) : g_strdup (acquisition_id);

    gtk_label_set_label (self->title_label, title);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), acquisition_id);
  }
  if (self->session)
    {
      g_autofree char *key = lablink_protocol_acquisition_key (acquisition_id);
      last = lablink_session_get_last_message (self->session, key);
    }
  bind_chart (self);
  update_detail (self, last);
  sync_watch_button (self);
}

const char *
lablink_acquisition_panel_get_selected_id (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), NULL);
  return self->selected_id;
}

static void
row_selected_cb (LablinkAcquisitionPanel *self,
                 GtkListBoxRow           *row)
{
  const char *id;

  if (row == NULL || self->syncing)
    return;
  id = g_object_get_data (G_OBJECT (row), "acquisition-id");
  if (id)
    lablink_acquisition_panel_select (self, id);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  LablinkAcquisitionPanel *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = lablink_client_list_acquisitions_finish (LABLINK_CLIENT (source), result, &error);
  JsonArray *sessions = NULL;
  GtkWidget *child;
  guint i, n;

  if (node == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Listing acquisitions failed: %s"), error->message);
          toast (self, text);
          g_object_unref (self);
        }
      else
        g_object_unref (self);
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (node) &&
      json_object_has_member (json_node_get_object (node), "sessions") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (node), "sessions")))
    sessions = json_object_get_array_member (json_node_get_object (node), "sessions");

  self->syncing = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);

  n = sessions ? json_array_get_length (sessions) : 0;
  self->n_listed = 0;
  for (i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (sessions, i);
      JsonObject *object;
      const char *id, *name, *state, *equipment;
      GtkWidget *row, *action_row, *state_label;
      g_autofree char *subtitle = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      object = json_node_get_object (element);
      id = json_object_get_string_member_with_default (object, "acquisition_id", NULL);
      if (id == NULL)
        continue;
      name = json_object_get_string_member_with_default (object, "name", NULL);
      state = json_object_get_string_member_with_default (object, "state", "?");
      equipment = json_object_get_string_member_with_default (object, "equipment_id", "");

      action_row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), name && *name ? name : id);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (action_row), FALSE);
      subtitle = g_strdup_printf ("%s · %.8s", equipment, id);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), subtitle);
      state_label = gtk_label_new (state);
      gtk_widget_add_css_class (state_label, "pill-label");
      gtk_widget_set_valign (state_label, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), state_label);

      row = action_row;
      g_object_set_data_full (G_OBJECT (row), "acquisition-id", g_strdup (id), g_free);
      if (name && *name)
        g_hash_table_replace (self->names, g_strdup (id), g_strdup (name));
      gtk_list_box_append (self->list, row);
      self->n_listed++;
      if (g_strcmp0 (id, self->selected_id) == 0)
        gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (row));
    }
  self->syncing = FALSE;

  g_object_unref (self);
}

void
lablink_acquisition_panel_refresh (LablinkAcquisitionPanel *self)
{
  LablinkClient *client;

  g_return_if_fail (LABLINK_IS_ACQUISITION_PANEL (self));

  client = self->session ? lablink_session_get_client (self->session) : NULL;
  if (client == NULL)
    return;
  lablink_client_list_acquisitions_async (client, self->cancellable, list_cb, g_object_ref (self));
}

typedef struct {
  LablinkAcquisitionPanel *panel;
  char                    *id;
  char                    *action;
  gboolean                 watch;
} ControlData;

static void
control_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  ControlData *ctl = data;
  LablinkAcquisitionPanel *self = ctl->panel;
  g_autoptr(GError) error = NULL;

  if (!lablink_client_control_acquisition_finish (LABLINK_CLIENT (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Could not %s the acquisition: %s"), ctl->action, error->message);
          toast (self, text);
        }
    }
  else
    {
      if (ctl->watch && self->session &&
          !lablink_session_is_watching_acquisition (self->session, ctl->id))
        {
          g_autoptr(GError) watch_error = NULL;

          if (!lablink_session_watch_acquisition (self->session, ctl->id, &watch_error))
            toast (self, watch_error->message);
          lablink_acquisition_panel_select (self, ctl->id);
        }
      lablink_acquisition_panel_refresh (self);
    }

  g_object_unref (ctl->panel);
  g_free (ctl->id);
  g_free (ctl->action);
  g_free (ctl);
}

static void
control (LablinkAcquisitionPanel *self,
         const char              *id,
         const char              *action,
         gboolean                 watch)
{
  LablinkClient *client = self->session ? lablink_session_get_client (self->session) : NULL;
  ControlData *ctl;

  if (client == NULL || id == NULL)
    return;
  ctl = g_new0 (ControlData, 1);
  ctl->panel = g_object_ref (self);
  ctl->id = g_strdup (id);
  ctl->action = g_strdup (action);
  ctl->watch = watch;
  lablink_client_control_acquisition_async (client, id, action, self->cancellable, control_cb, ctl);
}

static void
start_cb (LablinkAcquisitionPanel *self)
{
  control (self, self->selected_id, "start", TRUE);
}

static void
stop_cb (LablinkAcquisitionPanel *self)
{
  control (self, self->selected_id, "stop", FALSE);
}

static void
pause_cb (LablinkAcquisitionPanel *self)
{
  control (self, self->selected_id, "pause", FALSE);
}

static void
resume_cb (LablinkAcquisitionPanel *self)
{
  control (self, self->selected_id, "resume", FALSE);
}

static void
watch_toggled_cb (LablinkAcquisitionPanel *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->syncing || self->session == NULL || self->selected_id == NULL)
    return;

  if (gtk_toggle_button_get_active (self->watch_button))
    ok = lablink_session_watch_acquisition (self->session, self->selected_id, &error);
  else
    ok = lablink_session_unwatch_acquisition (self->session, self->selected_id, &error);
  if (!ok)
    toast (self, error->message);
  sync_watch_button (self);
}

static void
create_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  LablinkAcquisitionPanel *self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = lablink_client_create_acquisition_finish (LABLINK_CLIENT (source), result, &error);

  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), TRUE);
  if (id == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Could not create the acquisition: %s"), error->message);
          toast (self, text);
        }
      g_object_unref (self);
      return;
    }

  if (self->pending_name)
    g_hash_table_replace (self->names, g_strdup (id), g_steal_pointer (&self->pending_name));
  lablink_acquisition_panel_select (self, id);
  control (self, id, "start", TRUE);
  g_object_unref (self);
}

static void
create_cb (LablinkAcquisitionPanel *self)
{
  LablinkClient *client = self->session ? lablink_session_get_client (self->session) : NULL;
  guint selected = gtk_drop_down_get_selected (self->equipment_dropdown);
  g_autoptr(JsonObject) config = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  JsonArray *channels;
  GtkStringObject *mode;
  guint i;

  if (client == NULL)
    {
      toast (self, _("Not connected to a server"));
      return;
    }
  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->equipment_ids->len)
    {
      toast (self, _("Choose an instrument first"));
      return;
    }

  config = json_object_new ();
  json_object_set_string_member (config, "equipment_id", g_ptr_array_index (self->equipment_ids, selected));
  name = g_date_time_format (now, "Monitor %H:%M:%S");
  json_object_set_string_member (config, "name", name);
  g_free (self->pending_name);
  self->pending_name = g_strdup (name);
  mode = gtk_drop_down_get_selected_item (self->mode_dropdown);
  json_object_set_string_member (config, "mode", mode ? gtk_string_object_get_string (mode) : "continuous");
  json_object_set_double_member (config, "sample_rate", gtk_spin_button_get_value (self->rate_spin));
  json_object_set_int_member (config, "buffer_size", 10000);

  channels = json_array_new ();
  parts = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (self->channels_entry)), ", ;", -1);
  for (i = 0; parts[i]; i++)
    if (*parts[i] != '\0')
      json_array_add_string_element (channels, parts[i]);
  if (json_array_get_length (channels) == 0)
    json_array_add_string_element (channels, "CH1");
  json_object_set_array_member (config, "channels", channels);

  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), FALSE);
  lablink_client_create_acquisition_async (client, config, self->cancellable, create_done_cb, g_object_ref (self));
}

/**
 * lablink_acquisition_panel_fill_form:
 * @self: the panel
 * @equipment_id: (nullable): the instrument
 * @channels: (nullable): channel names, comma-separated
 * @sample_rate: samples per second (0: unchanged)
 * @mode: (nullable): "continuous", "single_shot" or "triggered"
 */
void
lablink_acquisition_panel_fill_form (LablinkAcquisitionPanel *self,
                                     const char              *equipment_id,
                                     const char              *channels,
                                     double                   sample_rate,
                                     const char              *mode)
{
  guint i;

  g_return_if_fail (LABLINK_IS_ACQUISITION_PANEL (self));

  for (i = 0; equipment_id && i < self->equipment_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->equipment_ids, i), equipment_id) == 0)
      gtk_drop_down_set_selected (self->equipment_dropdown, i);
  if (channels)
    gtk_editable_set_text (GTK_EDITABLE (self->channels_entry), channels);
  if (sample_rate > 0)
    gtk_spin_button_set_value (self->rate_spin, sample_rate);
  if (mode)
    {
      GListModel *modes = gtk_drop_down_get_model (self->mode_dropdown);

      for (i = 0; i < g_list_model_get_n_items (modes); i++)
        if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (modes), i), mode) == 0)
          gtk_drop_down_set_selected (self->mode_dropdown, i);
    }
}

/**
 * lablink_acquisition_panel_get_create_button:
 * @self: the panel
 *
 * Returns: (transfer none): the "Create and Start" button
 */
GtkButton *
lablink_acquisition_panel_get_create_button (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), NULL);
  return self->create_button;
}

/**
 * lablink_acquisition_panel_get_plot:
 * @self: the panel
 *
 * Returns: (transfer none): the chart
 */
LablinkPlot *
lablink_acquisition_panel_get_plot (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), NULL);
  return self->plot;
}

const char *
lablink_acquisition_panel_get_state_text (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), NULL);
  return gtk_label_get_label (self->state_label);
}

const char *
lablink_acquisition_panel_get_stats_text (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), NULL);
  return gtk_label_get_label (self->stats_label);
}

guint
lablink_acquisition_panel_get_n_listed (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), 0);
  return self->n_listed;
}

static void
connected_cb (LablinkSession          *session,
              GParamSpec              *pspec,
              LablinkAcquisitionPanel *self)
{
  if (lablink_session_get_connected (session))
    lablink_acquisition_panel_refresh (self);
  sync_watch_button (self);
}

void
lablink_acquisition_panel_set_session (LablinkAcquisitionPanel *self,
                                       LablinkSession          *session)
{
  g_return_if_fail (LABLINK_IS_ACQUISITION_PANEL (self));

  if (self->session)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (lablink_session_get_equipment (self->session), self);
    }
  g_set_object (&self->session, session);
  if (session)
    {
      g_signal_connect (session, "acquisition-data", G_CALLBACK (acquisition_data_cb), self);
      g_signal_connect (session, "notify::connected", G_CALLBACK (connected_cb), self);
      g_signal_connect_swapped (session, "streams-changed", G_CALLBACK (sync_watch_button), self);
      g_signal_connect (lablink_session_get_equipment (session), "items-changed",
                        G_CALLBACK (equipment_changed_cb), self);
    }
  rebuild_equipment (self);
  lablink_acquisition_panel_select (self, NULL);
}

static void
lablink_acquisition_panel_dispose (GObject *object)
{
  LablinkAcquisitionPanel *self = LABLINK_ACQUISITION_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->export_cancellable);
  g_clear_handle_id (&self->pulse_timer, g_source_remove);
  if (self->chooser)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }
  if (self->capture)
    {
      g_autoptr(GError) error = NULL;

      g_clear_signal_handler (&self->capture_notify, self->capture);
      if (lablink_capture_get_recording (self->capture) && !lablink_capture_stop (self->capture, &error))
        g_warning ("Could not finish the recording: %s", error->message);
      g_clear_object (&self->capture);
    }
  if (self->session)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (lablink_session_get_equipment (self->session), self);
    }
  g_clear_object (&self->session);
  g_clear_pointer (&self->bound_ring, lablink_ring_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), LABLINK_TYPE_ACQUISITION_PANEL);

  G_OBJECT_CLASS (lablink_acquisition_panel_parent_class)->dispose (object);
}

static void
lablink_acquisition_panel_finalize (GObject *object)
{
  LablinkAcquisitionPanel *self = LABLINK_ACQUISITION_PANEL (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_object (&self->equipment_names);
  g_ptr_array_unref (self->equipment_ids);
  g_hash_table_unref (self->names);
  g_free (self->pending_name);
  g_free (self->selected_id);

  G_OBJECT_CLASS (lablink_acquisition_panel_parent_class)->finalize (object);
}

static void
lablink_acquisition_panel_class_init (LablinkAcquisitionPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_acquisition_panel_dispose;
  object_class->finalize = lablink_acquisition_panel_finalize;

  g_type_ensure (LABLINK_TYPE_PLOT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-acquisition-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, paned);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, list);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, equipment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, channels_entry);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, create_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, state_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, stats_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, watch_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, plot);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, record_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, export_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, record_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, export_box);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, export_progress);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, captures_list);
  gtk_widget_class_bind_template_callback (widget_class, lablink_acquisition_panel_refresh_captures);
  gtk_widget_class_bind_template_callback (widget_class, record_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_cancel_cb);
  gtk_widget_class_bind_template_callback (widget_class, lablink_acquisition_panel_refresh);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_cb);
  gtk_widget_class_bind_template_callback (widget_class, start_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, pause_cb);
  gtk_widget_class_bind_template_callback (widget_class, resume_cb);
  gtk_widget_class_bind_template_callback (widget_class, watch_toggled_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lablinkacquisitionpanel");
}

static void
lablink_acquisition_panel_init (LablinkAcquisitionPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->equipment_names = gtk_string_list_new (NULL);
  self->equipment_ids = g_ptr_array_new_with_free_func (g_free);
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_drop_down_set_model (self->equipment_dropdown, G_LIST_MODEL (self->equipment_names));

  lablink_plot_set_window (self->plot, 10.0, LABLINK_PLOT_ORIGIN_LATEST);
  lablink_plot_set_pane_label (self->plot, 0, _("Value"), NULL);
  lablink_plot_set_x_label (self->plot, _("Time before the newest sample"), "s");
}

GtkWidget *
lablink_acquisition_panel_new (void)
{
  return g_object_new (LABLINK_TYPE_ACQUISITION_PANEL, NULL);
}
