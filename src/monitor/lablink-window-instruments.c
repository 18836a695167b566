/* lablink-window-instruments.c — LablinkWindow: the Instruments view
 *
 * A sidebar of the servers' instruments, grouped by server (its list box
 * is bound to the window's flat list model of sections: a header row per
 * server, LablinkServerRow, then its equipment, LablinkEquipmentRow), and
 * for the selected instrument the stream toolbar and its panel. A panel is
 * created on first selection and kept (a GtkStack page keyed by server and
 * instrument: two benches may have instruments of the same id) until its
 * server's list of equipment is replaced or the server goes. The first
 * look at a server selects its power supply (else its first instrument).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-equipment-row.h"
#include "lablink-instrument-panel.h"
#include "lablink-server-row.h"
#include "lablink-window-private.h"

/* A sidebar row: a server's header, or one of its instruments. */
static GtkWidget *
create_row_cb (gpointer item,
               gpointer data)
{
  LablinkWindow *self = data;
  guint i, n;

  if (LABLINK_IS_SESSION (item))
    return lablink_server_row_new (LABLINK_SESSION (item));

  /* an instrument: of the session whose list holds it */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->sessions));
  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkSession) session = g_list_model_get_item (G_LIST_MODEL (self->sessions), i);
      guint position;

      if (g_list_store_find (G_LIST_STORE (lablink_session_get_equipment (session)), item, &position))
        return lablink_equipment_row_new (session, LABLINK_EQUIPMENT (item));
    }
  return lablink_equipment_row_new (self->session, LABLINK_EQUIPMENT (item));
}

/* A server's section of the sidebar: its header, then its equipment. */
GListModel *
_lablink_window_section_new (LablinkSession *session)
{
  GListStore *header = g_list_store_new (G_TYPE_OBJECT);
  GListStore *parts = g_list_store_new (G_TYPE_LIST_MODEL);

  g_list_store_append (header, session);
  g_list_store_append (parts, header);
  g_list_store_append (parts, lablink_session_get_equipment (session));
  g_object_unref (header);
  return G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (parts)));
}

static GtkWidget *
create_panel (LablinkSession   *session,
              LablinkEquipment *equipment)
{
  GtkWidget *page = lablink_instrument_panel_new (session, equipment);
  g_autofree char *description = NULL;

  if (page != NULL)
    return page;

  page = adw_status_page_new ();
  description = g_strdup_printf (_("LabLink Monitor has no panel for instruments of type “%s”."),
                                 lablink_equipment_get_type_name (equipment));
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "applications-engineering-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), lablink_equipment_get_display_name (equipment));
  adw_status_page_set_description (ADW_STATUS_PAGE (page), description);
  return page;
}

/* Two servers may well have instruments of the same id (two benches of the
 * same kind): a panel is the instrument's on its server. */
static char *
panel_key (LablinkSession *session,
           const char     *equipment_id)
{
  return g_strdup_printf ("%p/%s", (gpointer) session, equipment_id);
}

void
_lablink_window_show_equipment (LablinkWindow    *self,
                                LablinkSession   *session,
                                LablinkEquipment *equipment)
{
  g_autofree char *key = NULL;
  GtkWidget *panel;

  if (equipment == NULL || session == NULL)
    {
      lablink_stream_toolbar_set_equipment (self->stream_toolbar, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->stream_toolbar), FALSE);
      g_clear_pointer (&self->selected_id, g_free);
      self->selected_session = NULL;
      gtk_stack_set_visible_child_name (self->panel_stack, "empty");
      return;
    }

  /* the toolbar drives the streams of the instrument's own server */
  lablink_stream_toolbar_set_equipment (self->stream_toolbar, NULL);
  lablink_stream_toolbar_set_session (self->stream_toolbar, session);
  lablink_stream_toolbar_set_equipment (self->stream_toolbar, equipment);
  gtk_widget_set_visible (GTK_WIDGET (self->stream_toolbar), TRUE);

  g_free (self->selected_id);
  self->selected_id = g_strdup (lablink_equipment_get_id (equipment));
  self->selected_session = session;

  key = panel_key (session, self->selected_id);
  panel = g_hash_table_lookup (self->panels, key);
  if (panel == NULL)
    {
      panel = create_panel (session, equipment);
      gtk_stack_add_named (self->panel_stack, panel, key);
      g_hash_table_insert (self->panels, g_steal_pointer (&key), panel);
    }
  gtk_stack_set_visible_child (self->panel_stack, panel);
}

void
_lablink_window_equipment_selected_cb (LablinkWindow *self,
                                      GtkListBoxRow *row)
{
  if (row == NULL || !LABLINK_IS_EQUIPMENT_ROW (row))
    return;
  _lablink_window_show_equipment (self, lablink_equipment_row_get_session (LABLINK_EQUIPMENT_ROW (row)),
                                  lablink_equipment_row_get_equipment (LABLINK_EQUIPMENT_ROW (row)));
  /* Over the panel, the sidebar has done its job once a row is chosen. */
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

/**
 * lablink_window_select_equipment_for:
 * @self: the window
 * @session: (nullable): one of its sessions, or %NULL for the first server
 *   with such an instrument
 * @equipment_id: an instrument's id
 *
 * Selects the instrument in the sidebar and shows its panel.
 *
 * Returns: %FALSE if there is no such instrument
 */
gboolean
lablink_window_select_equipment_for (LablinkWindow  *self,
                                     LablinkSession *session,
                                     const char     *equipment_id)
{
  GtkListBoxRow *row;
  int i;

  g_return_val_if_fail (LABLINK_IS_WINDOW (self), FALSE);

  for (i = 0; (row = gtk_list_box_get_row_at_index (self->equipment_list, i)); i++)
    {
      LablinkEquipmentRow *equipment_row;

      if (!LABLINK_IS_EQUIPMENT_ROW (row))
        continue;
      equipment_row = LABLINK_EQUIPMENT_ROW (row);
      if ((session == NULL || lablink_equipment_row_get_session (equipment_row) == session) &&
          g_strcmp0 (lablink_equipment_get_id (lablink_equipment_row_get_equipment (equipment_row)), equipment_id) == 0)
        {
          gtk_list_box_select_row (self->equipment_list, row);
          _lablink_window_show_equipment (self, lablink_equipment_row_get_session (equipment_row),
                                          lablink_equipment_row_get_equipment (equipment_row));
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * lablink_window_select_equipment:
 * @self: the window
 * @equipment_id: an instrument's id
 *
 * Selects the instrument (of the first server that has it) in the sidebar
 * and shows its panel.
 *
 * Returns: %FALSE if there is no such instrument
 */
gboolean
lablink_window_select_equipment (LablinkWindow *self,
                                 const char    *equipment_id)
{
  return lablink_window_select_equipment_for (self, NULL, equipment_id);
}

const char *
lablink_window_get_selected_equipment_id (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  return self->selected_id;
}

/**
 * lablink_window_get_selected_session:
 * @self: the window
 *
 * Returns: (transfer none) (nullable): the session of the instrument shown
 */
LablinkSession *
lablink_window_get_selected_session (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  return self->selected_session;
}

/**
 * lablink_window_get_panel_for:
 * @self: the window
 * @session: (nullable): one of its sessions (%NULL: the first server)
 * @equipment_id: an instrument's id
 *
 * Returns: (transfer none) (nullable): its panel, once it was shown
 */
GtkWidget *
lablink_window_get_panel_for (LablinkWindow  *self,
                              LablinkSession *session,
                              const char     *equipment_id)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  key = panel_key (session ? session : self->session, equipment_id);
  return g_hash_table_lookup (self->panels, key);
}

/**
 * lablink_window_get_panel:
 * @self: the window
 * @equipment_id: an instrument's id
 *
 * Returns: (transfer none) (nullable): its panel (on the first server),
 *   once it was shown
 */
GtkWidget *
lablink_window_get_panel (LablinkWindow *self,
                          const char    *equipment_id)
{
  return lablink_window_get_panel_for (self, NULL, equipment_id);
}

/* The panels of @session's instruments (all, for %NULL) go. */
void
_lablink_window_remove_panels (LablinkWindow  *self,
                               LablinkSession *session)
{
  g_autofree char *prefix = session ? g_strdup_printf ("%p/", (gpointer) session) : NULL;
  GHashTableIter iter;
  gpointer key, panel;

  g_hash_table_iter_init (&iter, self->panels);
  while (g_hash_table_iter_next (&iter, &key, &panel))
    if (prefix == NULL || g_str_has_prefix (key, prefix))
      {
        gtk_stack_remove (self->panel_stack, panel);
        g_hash_table_iter_remove (&iter);
      }
  if (session == NULL || session == self->selected_session)
    _lablink_window_show_equipment (self, NULL, NULL);
}

static void
equipment_loaded_cb (LablinkSession *session,
                     LablinkWindow  *self)
{
  g_autofree char *previous = self->selected_session == session ? g_strdup (self->selected_id) : NULL;
  GListModel *model = lablink_session_get_equipment (session);
  guint i, n = g_list_model_get_n_items (model);

  /* The list was replaced: panels of the old list go. */
  _lablink_window_remove_panels (self, session);

  if (previous && lablink_window_select_equipment_for (self, session, previous))
    return;
  /* Another server's instrument is shown: it stays. */
  if (self->selected_session != NULL)
    return;

  /* First look at this server: the power supply, else the first one. On
   * the simulator, its readings start at once. */
  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkEquipment) equipment = g_list_model_get_item (model, i);

      if (lablink_equipment_get_kind (equipment) == LABLINK_EQUIPMENT_POWER_SUPPLY)
        {
          const char *id = lablink_equipment_get_id (equipment);

          lablink_window_select_equipment_for (self, session, id);
          if (lablink_session_get_demo (session) &&
              !lablink_session_is_stream_active (session, id, LABLINK_STREAM_READINGS))
            lablink_session_start_stream (session, id, LABLINK_STREAM_READINGS, NULL);
          return;
        }
    }
  if (n > 0)
    {
      g_autoptr(LablinkEquipment) first = g_list_model_get_item (model, 0);
      lablink_window_select_equipment_for (self, session, lablink_equipment_get_id (first));
    }
}

/* Another server (or the simulator) behind a session: its panels go. */
static void
server_url_cb (LablinkSession *session,
               GParamSpec     *pspec,
               LablinkWindow  *self)
{
  _lablink_window_update_title (self);
  if (g_str_equal (g_param_spec_get_name (pspec), "server-url"))
    _lablink_window_remove_panels (self, session);
}

/* What the Instruments view hears from each session. */
void
_lablink_window_instruments_watch (LablinkWindow *self,
                                   GSignalGroup  *group)
{
  g_signal_group_connect (group, "equipment-loaded", G_CALLBACK (equipment_loaded_cb), self);
  g_signal_group_connect (group, "notify::server-url", G_CALLBACK (server_url_cb), self);
  g_signal_group_connect (group, "notify::demo", G_CALLBACK (server_url_cb), self);
}

void
_lablink_window_instruments_init (LablinkWindow *self)
{
  gtk_list_box_bind_model (self->equipment_list, G_LIST_MODEL (self->sidebar_model), create_row_cb, self, NULL);
}
