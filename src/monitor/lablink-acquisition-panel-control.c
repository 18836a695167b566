/* lablink-acquisition-panel-control.c — the acquisitions list, the New Acquisition form, the controls
 *
 * Part of LablinkAcquisitionPanel (see lablink-acquisition-panel-private.h).
 *
 * The list is a GListStore of LablinkAcquisitionItem bound to the list box
 * (one LablinkAcquisitionRow per item): each listing from the server
 * updates the items it already holds and replaces the store's contents
 * only when acquisitions came or went. The form's instruments are the
 * session's equipment model itself. Create, Start/Pause/Resume/Stop and
 * the listing go through the session (lablink-session-acquisition.c);
 * Live Chart watches the acquisition's stream.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lablink-acquisition-panel-private.h"
#include "lablink-acquisition-row.h"

/* The instruments of the form */

/* What the Instrument drop-down shows: the model, else the display name. */
static char *
equipment_label (LablinkEquipment *equipment)
{
  const char *model;

  if (equipment == NULL)
    return NULL;
  model = lablink_equipment_get_model (equipment);
  return g_strdup (model && *model ? model : lablink_equipment_get_display_name (equipment));
}

void
_lablink_acquisition_panel_set_equipment (LablinkAcquisitionPanel *self,
                                          GListModel              *equipment)
{
  gtk_drop_down_set_model (self->equipment_dropdown, equipment);
}

static const char *
selected_equipment_id (LablinkAcquisitionPanel *self)
{
  LablinkEquipment *equipment = gtk_drop_down_get_selected_item (self->equipment_dropdown);

  return equipment ? lablink_equipment_get_id (equipment) : NULL;
}

/* The list */

static LablinkAcquisitionItem *
find_item (LablinkAcquisitionPanel *self,
           const char              *acquisition_id,
           guint                   *position)
{
  guint i, n = g_list_model_get_n_items (G_LIST_MODEL (self->acquisitions));

  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkAcquisitionItem) item = g_list_model_get_item (G_LIST_MODEL (self->acquisitions), i);

      if (g_strcmp0 (lablink_acquisition_item_get_acquisition_id (item), acquisition_id) == 0)
        {
          if (position)
            *position = i;
          return item;   /* the store holds it */
        }
    }
  return NULL;
}

const char *
_lablink_acquisition_panel_lookup_name (LablinkAcquisitionPanel *self,
                                        const char              *acquisition_id)
{
  return g_hash_table_lookup (self->names, acquisition_id);
}

/* Selects the row of the selected acquisition, or none. */
static void
sync_list_selection (LablinkAcquisitionPanel *self)
{
  guint position;

  self->syncing = TRUE;
  if (self->selected_id && find_item (self, self->selected_id, &position))
    gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, position));
  else
    gtk_list_box_unselect_all (self->list);
  self->syncing = FALSE;
}

static GtkWidget *
create_row (gpointer item,
            gpointer data)
{
  return lablink_acquisition_row_new (LABLINK_ACQUISITION_ITEM (item));
}

static void
row_selected_cb (LablinkAcquisitionPanel *self,
                 GtkListBoxRow           *row)
{
  if (row == NULL || self->syncing || !LABLINK_IS_ACQUISITION_ROW (row))
    return;
  lablink_acquisition_panel_select (self,
    lablink_acquisition_item_get_acquisition_id (lablink_acquisition_row_get_item (LABLINK_ACQUISITION_ROW (row))));
}

/* Updates the store from the server's "sessions" array. */
static void
update_list (LablinkAcquisitionPanel *self,
             JsonArray               *sessions)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint i, n = sessions ? json_array_get_length (sessions) : 0;
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->acquisitions));
  gboolean same = TRUE;

  for (i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (sessions, i);
      JsonObject *object;
      LablinkAcquisitionItem *item;
      const char *id, *name, *state, *equipment;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      object = json_node_get_object (element);
      id = json_object_get_string_member_with_default (object, "acquisition_id", NULL);
      if (id == NULL)
        continue;
      name = json_object_get_string_member_with_default (object, "name", NULL);
      state = json_object_get_string_member_with_default (object, "state", "?");
      equipment = json_object_get_string_member_with_default (object, "equipment_id", "");

      item = find_item (self, id, NULL);
      if (item != NULL && g_strcmp0 (lablink_acquisition_item_get_equipment_id (item), equipment) == 0)
        g_object_ref (item);
      else
        item = lablink_acquisition_item_new (id, equipment);
      lablink_acquisition_item_set_server (item, self->server_label);
      lablink_acquisition_item_set_name (item, name);
      lablink_acquisition_item_set_state (item, state);
      /* The listing tells the state of a stream no longer watched. */
      if (g_strcmp0 (id, self->selected_id) == 0 && strcmp (state, "?") != 0)
        gtk_label_set_label (self->state_label, state);
      if (name && *name)
        g_hash_table_replace (self->names, g_strdup (id), g_strdup (name));

      if (same)
        {
          g_autoptr(LablinkAcquisitionItem) old = items->len < n_old
            ? g_list_model_get_item (G_LIST_MODEL (self->acquisitions), items->len) : NULL;

          same = old == item;
        }
      g_ptr_array_add (items, item);
    }

  if (!same || items->len != n_old)
    {
      self->syncing = TRUE;
      g_list_store_splice (self->acquisitions, 0, n_old, items->pdata, items->len);
      self->syncing = FALSE;
    }
  sync_list_selection (self);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(LablinkAcquisitionPanel) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = lablink_session_list_acquisitions_finish (LABLINK_SESSION (source), result, &error);
  JsonObject *object;

  if (node == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Listing acquisitions failed: %s"), error->message);
          _lablink_acquisition_panel_toast (self, text);
        }
      return;
    }

  object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  update_list (self,
               object && json_object_has_member (object, "sessions") &&
               JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "sessions"))
               ? json_object_get_array_member (object, "sessions") : NULL);
}

/**
 * lablink_acquisition_panel_refresh:
 * @self: the panel
 *
 * Lists the server's acquisitions again.
 */
void
lablink_acquisition_panel_refresh (LablinkAcquisitionPanel *self)
{
  g_return_if_fail (LABLINK_IS_ACQUISITION_PANEL (self));

  if (self->session == NULL || !lablink_session_has_server (self->session))
    return;
  lablink_session_list_acquisitions_async (self->session, self->cancellable, list_cb, g_object_ref (self));
}

guint
lablink_acquisition_panel_get_n_listed (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->acquisitions));
}

/* Start, Pause, Resume, Stop */

typedef struct {
  LablinkAcquisitionPanel *panel;
  char                    *id;
  char                    *action;
  gboolean                 watch;
} ControlData;

static void
control_data_free (ControlData *ctl)
{
  g_object_unref (ctl->panel);
  g_free (ctl->id);
  g_free (ctl->action);
  g_free (ctl);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ControlData, control_data_free)

static void
control_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(ControlData) ctl = data;
  LablinkAcquisitionPanel *self = ctl->panel;
  g_autoptr(GError) error = NULL;

  if (!lablink_session_control_acquisition_finish (LABLINK_SESSION (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Could not %s the acquisition: %s"), ctl->action, error->message);
          _lablink_acquisition_panel_toast (self, text);
        }
      return;
    }

  if (ctl->watch && self->session &&
      !lablink_session_is_watching_acquisition (self->session, ctl->id))
    {
      g_autoptr(GError) watch_error = NULL;

      if (!lablink_session_watch_acquisition (self->session, ctl->id, &watch_error))
        _lablink_acquisition_panel_toast (self, watch_error->message);
      lablink_acquisition_panel_select (self, ctl->id);
    }
  if (g_str_equal (ctl->action, "stop"))
    _lablink_acquisition_panel_stop_watching (self, ctl->id);
  lablink_acquisition_panel_refresh (self);
}

static void
control (LablinkAcquisitionPanel *self,
         const char              *id,
         const char              *action,
         gboolean                 watch)
{
  ControlData *ctl;

  if (self->session == NULL || !lablink_session_has_server (self->session) || id == NULL)
    return;
  ctl = g_new0 (ControlData, 1);
  ctl->panel = g_object_ref (self);
  ctl->id = g_strdup (id);
  ctl->action = g_strdup (action);
  ctl->watch = watch;
  lablink_session_control_acquisition_async (self->session, id, action, self->cancellable, control_cb, ctl);
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

/* Live Chart */

/* A stopped acquisition has no new samples, yet its stream keeps sending
 * the last window: stops watching it, so nothing more arrives (and nothing
 * is counted as repeated). */
void
_lablink_acquisition_panel_stop_watching (LablinkAcquisitionPanel *self,
                                          const char              *acquisition_id)
{
  g_autoptr(GError) error = NULL;

  if (self->session == NULL || acquisition_id == NULL ||
      !lablink_session_is_watching_acquisition (self->session, acquisition_id))
    return;
  if (!lablink_session_unwatch_acquisition (self->session, acquisition_id, &error))
    _lablink_acquisition_panel_toast (self, error->message);
  _lablink_acquisition_panel_sync_watch_button (self);
}

void
_lablink_acquisition_panel_sync_watch_button (LablinkAcquisitionPanel *self)
{
  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->watch_button,
                                self->session && self->selected_id &&
                                lablink_session_is_watching_acquisition (self->session, self->selected_id));
  self->syncing = FALSE;
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
    _lablink_acquisition_panel_toast (self, error->message);
  _lablink_acquisition_panel_sync_watch_button (self);
}

/* Create and Start */

static void
create_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(LablinkAcquisitionPanel) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = lablink_session_create_acquisition_finish (LABLINK_SESSION (source), result, &error);

  if (self->create_button != NULL)   /* NULL once disposed */
    gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), TRUE);
  if (id == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Could not create the acquisition: %s"), error->message);
          _lablink_acquisition_panel_toast (self, text);
        }
      return;
    }

  if (self->pending_name)
    g_hash_table_replace (self->names, g_strdup (id), g_steal_pointer (&self->pending_name));
  lablink_acquisition_panel_select (self, id);
  control (self, id, "start", TRUE);
}

static void
create_cb (LablinkAcquisitionPanel *self)
{
  const char *equipment_id = selected_equipment_id (self);
  g_autoptr(JsonObject) config = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  JsonArray *channels;
  GtkStringObject *mode;
  guint i;

  if (self->session == NULL || !lablink_session_has_server (self->session))
    {
      _lablink_acquisition_panel_toast (self, _("Not connected to a server"));
      return;
    }
  if (equipment_id == NULL)
    {
      _lablink_acquisition_panel_toast (self, _("Choose an instrument first"));
      return;
    }

  config = json_object_new ();
  json_object_set_string_member (config, "equipment_id", equipment_id);
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
  lablink_session_create_acquisition_async (self->session, config, self->cancellable,
                                            create_done_cb, g_object_ref (self));
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
  GListModel *model;
  guint i;

  g_return_if_fail (LABLINK_IS_ACQUISITION_PANEL (self));

  model = gtk_drop_down_get_model (self->equipment_dropdown);
  for (i = 0; equipment_id && model && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LablinkEquipment) equipment = g_list_model_get_item (model, i);

      if (g_strcmp0 (lablink_equipment_get_id (equipment), equipment_id) == 0)
        gtk_drop_down_set_selected (self->equipment_dropdown, i);
    }
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

/* Class and instance */

void
_lablink_acquisition_panel_class_init_control (GtkWidgetClass *widget_class)
{
  g_type_ensure (LABLINK_TYPE_ACQUISITION_ROW);
  gtk_widget_class_bind_template_callback (widget_class, lablink_acquisition_panel_refresh);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_cb);
  gtk_widget_class_bind_template_callback (widget_class, start_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, pause_cb);
  gtk_widget_class_bind_template_callback (widget_class, resume_cb);
  gtk_widget_class_bind_template_callback (widget_class, watch_toggled_cb);
}

void
_lablink_acquisition_panel_init_control (LablinkAcquisitionPanel *self)
{
  g_autoptr(GtkExpression) label = NULL;

  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->acquisitions = g_list_store_new (LABLINK_TYPE_ACQUISITION_ITEM);
  _lablink_acquisition_panel_bind_list (self->list, self->list_placeholder, self->acquisitions, create_row);

  label = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                       G_CALLBACK (equipment_label), NULL, NULL);
  gtk_drop_down_set_expression (self->equipment_dropdown, label);
}

void
_lablink_acquisition_panel_finalize_control (LablinkAcquisitionPanel *self)
{
  g_clear_object (&self->acquisitions);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->pending_name, g_free);
}
