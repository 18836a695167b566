/* lablink-acquisition-panel-recording.c — Record and the Captures popover
 *
 * Part of LablinkAcquisitionPanel (see lablink-acquisition-panel-private.h).
 *
 * Record makes a LablinkCapture of the selected acquisition, in
 * $LABLINK_CAPTURE_DIR if set (tests), else the default directory; the
 * label beside it follows the capture's sample count (a GSignalGroup on
 * the current capture). The Captures popover lists the captures on disk: a
 * GListStore of LablinkCaptureItem bound to the list box, one
 * LablinkCaptureRow each, whose Delete button activates
 * "acquisition.delete-capture" with the capture's directory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "lablink-acquisition-panel-private.h"
#include "lablink-capture-row.h"

static const char *
capture_dir (void)
{
  const char *dir = g_getenv ("LABLINK_CAPTURE_DIR");

  return dir && *dir ? dir : NULL;
}

/* Recording */

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
  if (self->stopping == self->capture)
    text = g_strdup_printf (_("Finishing: fetching the last samples from the server (%" PRIu64 " so far)"),
                            lablink_capture_get_n_samples (self->capture));
  else if (lablink_capture_get_recording (self->capture))
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
                                self->capture != NULL && lablink_capture_get_recording (self->capture) &&
                                self->stopping != self->capture);
  gtk_widget_set_sensitive (GTK_WIDGET (self->record_button), self->stopping == NULL);
  self->syncing = FALSE;
}

static void
stop_recording (LablinkAcquisitionPanel *self)
{
  g_autoptr(GError) error = NULL;

  if (self->capture == NULL || self->capture == self->stopping ||
      !lablink_capture_get_recording (self->capture))
    return;
  if (!lablink_capture_stop (self->capture, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not finish the recording: %s"), error->message);
      _lablink_acquisition_panel_toast (self, text);
    }
}

static void
stop_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(LablinkAcquisitionPanel) self = data;
  g_autoptr(GError) error = NULL;

  if (!lablink_capture_stop_finish (LABLINK_CAPTURE (source), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not finish the recording: %s"), error->message);

      if (self->session != NULL)   /* not disposed */
        _lablink_acquisition_panel_toast (self, text);
      else
        g_warning ("%s", text);
    }
  if (self->stopping == LABLINK_CAPTURE (source))
    g_clear_object (&self->stopping);
  if (self->record_button != NULL)
    {
      update_record_label (self);
      sync_record_button (self);
    }
}

/* The user stopped recording: the capture first fetches the acquisition's
 * tail from the server (what the stream had not delivered yet), or marks
 * it lost, then stops (lablink_capture_stop_async()). */
static void
stop_recording_async (LablinkAcquisitionPanel *self)
{
  if (self->capture == NULL || self->stopping != NULL || !lablink_capture_get_recording (self->capture))
    return;
  self->stopping = g_object_ref (self->capture);
  lablink_capture_stop_async (self->capture, NULL, stop_done_cb, g_object_ref (self));
}

static void
set_capture (LablinkAcquisitionPanel *self,
             LablinkCapture          *capture)
{
  g_set_object (&self->capture, capture);
  g_signal_group_set_target (self->capture_signals, capture);
  update_record_label (self);
}

/* Stops recording and forgets the capture (it stays on disk). */
void
_lablink_acquisition_panel_clear_capture (LablinkAcquisitionPanel *self)
{
  stop_recording (self);
  set_capture (self, NULL);
  sync_record_button (self);
}

static gboolean
start_recording (LablinkAcquisitionPanel  *self,
                 GError                  **error)
{
  g_autoptr(LablinkCapture) capture = NULL;

  if (self->session == NULL || self->selected_id == NULL || !lablink_session_has_server (self->session))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("Not connected: connect to a server and select an acquisition first"));
      return FALSE;
    }

  capture = lablink_session_new_acquisition_capture (self->session, self->selected_id, capture_dir (), error);
  if (capture == NULL || !lablink_capture_start (capture, error))
    return FALSE;

  _lablink_acquisition_panel_clear_capture (self);
  set_capture (self, capture);
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
          _lablink_acquisition_panel_toast (self, text);
        }
    }
  else
    {
      stop_recording_async (self);
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

/* The Captures popover */

static GtkWidget *
create_capture_row (gpointer item,
                    gpointer data)
{
  return lablink_capture_row_new (LABLINK_CAPTURE_ITEM (item), "acquisition.delete-capture");
}

/* "acquisition.delete-capture" (s): deletes the capture in that directory,
 * unless it is being recorded. */
static void
delete_capture_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LablinkAcquisitionPanel *self = LABLINK_ACQUISITION_PANEL (widget);
  const char *directory = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->capture != NULL && g_strcmp0 (directory, lablink_capture_get_directory (self->capture)) == 0)
    {
      if (lablink_capture_get_recording (self->capture))
        {
          _lablink_acquisition_panel_toast (self, _("Stop recording before deleting this capture"));
          return;
        }
      ok = lablink_capture_delete (self->capture, &error);
      if (ok)
        _lablink_acquisition_panel_clear_capture (self);
    }
  else
    ok = lablink_capture_delete_directory (directory, &error);

  if (!ok)
    {
      g_autofree char *text = g_strdup_printf (_("Could not delete the capture: %s"), error->message);
      _lablink_acquisition_panel_toast (self, text);
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
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), 0);

  if (self->captures == NULL)   /* disposed */
    return 0;
  infos = lablink_capture_list (capture_dir (), &error);
  if (infos == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_autofree char *text = g_strdup_printf (_("Could not list the captures: %s"), error->message);
      _lablink_acquisition_panel_toast (self, text);
    }

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (i = 0; infos != NULL && i < infos->len; i++)
    g_ptr_array_add (items, lablink_capture_item_new (g_ptr_array_index (infos, i)));
  g_list_store_splice (self->captures, 0, g_list_model_get_n_items (G_LIST_MODEL (self->captures)),
                       items->pdata, items->len);
  return items->len;
}

/* Class and instance */

void
_lablink_acquisition_panel_class_init_recording (GtkWidgetClass *widget_class)
{
  g_type_ensure (LABLINK_TYPE_CAPTURE_ROW);
  gtk_widget_class_bind_template_callback (widget_class, lablink_acquisition_panel_refresh_captures);
  gtk_widget_class_bind_template_callback (widget_class, record_toggled_cb);
  gtk_widget_class_install_action (widget_class, "acquisition.delete-capture", "s", delete_capture_action);
}

void
_lablink_acquisition_panel_init_recording (LablinkAcquisitionPanel *self)
{
  self->capture_signals = g_signal_group_new (LABLINK_TYPE_CAPTURE);
  g_signal_group_connect_swapped (self->capture_signals, "notify::n-samples",
                                  G_CALLBACK (update_record_label), self);

  self->captures = g_list_store_new (LABLINK_TYPE_CAPTURE_ITEM);
  _lablink_acquisition_panel_bind_list (self->captures_list, self->captures_placeholder, self->captures,
                                        create_capture_row);
}

/* Finishes a recording still going (it stays on disk). */
void
_lablink_acquisition_panel_dispose_recording (LablinkAcquisitionPanel *self)
{
  if (self->capture_signals)
    g_signal_group_set_target (self->capture_signals, NULL);
  g_clear_object (&self->capture_signals);
  if (self->capture)
    {
      g_autoptr(GError) error = NULL;

      /* A capture fetching its tail finishes on its own (stop_done_cb). */
      if (self->capture != self->stopping &&
          lablink_capture_get_recording (self->capture) && !lablink_capture_stop (self->capture, &error))
        g_warning ("Could not finish the recording: %s", error->message);
      g_clear_object (&self->capture);
    }
  g_clear_object (&self->stopping);
  g_clear_object (&self->captures);   /* the list box holds it until it goes */
}
