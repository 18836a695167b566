/* lablink-equipment-row.c — one instrument in the sidebar
 *
 * Shows the instrument's type (a symbolic icon of the Adwaita theme), name,
 * model and id, and the status of its streams ("Live", "No data",
 * "Polling", "Idle").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-equipment-row.h"
#include "lablink-instrument-panel.h"

struct _LablinkEquipmentRow
{
  GtkListBoxRow     parent_instance;

  GtkImage         *icon;
  GtkLabel         *title_label;
  GtkLabel         *subtitle_label;
  GtkLabel         *status_label;

  LablinkSession   *session;
  GSignalGroup     *session_signals;
  LablinkEquipment *equipment;
};

G_DEFINE_FINAL_TYPE (LablinkEquipmentRow, lablink_equipment_row, GTK_TYPE_LIST_BOX_ROW)

const char *
lablink_equipment_kind_icon_name (LablinkEquipmentKind kind)
{
  switch (kind)
    {
    case LABLINK_EQUIPMENT_POWER_SUPPLY: return "ac-adapter-symbolic";
    case LABLINK_EQUIPMENT_ELECTRONIC_LOAD: return "power-profile-performance-symbolic";
    case LABLINK_EQUIPMENT_OSCILLOSCOPE: return "video-display-symbolic";
    case LABLINK_EQUIPMENT_OTHER:
    default: return "applications-engineering-symbolic";
    }
}

static const char *
kind_title (LablinkEquipmentKind kind)
{
  switch (kind)
    {
    case LABLINK_EQUIPMENT_POWER_SUPPLY: return _("Power supply");
    case LABLINK_EQUIPMENT_ELECTRONIC_LOAD: return _("Electronic load");
    case LABLINK_EQUIPMENT_OSCILLOSCOPE: return _("Oscilloscope");
    case LABLINK_EQUIPMENT_OTHER:
    default: return _("Instrument");
    }
}

static void
update_status (LablinkEquipmentRow *self)
{
  LablinkStatusLevel level;
  const char *text = lablink_session_describe_equipment (self->session, self->equipment, &level);

  lablink_status_label_set (self->status_label, text, level);
}

static void
status_changed_cb (LablinkSession      *session,
                   const char          *key,
                   LablinkStreamStatus  status,
                   LablinkEquipmentRow *self)
{
  if (key && g_str_has_prefix (key, lablink_equipment_get_id (self->equipment)))
    update_status (self);
}

static void
lablink_equipment_row_dispose (GObject *object)
{
  LablinkEquipmentRow *self = LABLINK_EQUIPMENT_ROW (object);

  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  g_clear_object (&self->equipment);
  gtk_widget_dispose_template (GTK_WIDGET (self), LABLINK_TYPE_EQUIPMENT_ROW);

  G_OBJECT_CLASS (lablink_equipment_row_parent_class)->dispose (object);
}

static void
lablink_equipment_row_class_init (LablinkEquipmentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_equipment_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-equipment-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkEquipmentRow, icon);
  gtk_widget_class_bind_template_child (widget_class, LablinkEquipmentRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkEquipmentRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkEquipmentRow, status_label);
}

static void
lablink_equipment_row_init (LablinkEquipmentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
lablink_equipment_row_new (LablinkSession   *session,
                           LablinkEquipment *equipment)
{
  LablinkEquipmentRow *self = g_object_new (LABLINK_TYPE_EQUIPMENT_ROW, NULL);
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", kind_title (lablink_equipment_get_kind (equipment)),
                                               lablink_equipment_get_id (equipment));
  const char *model = lablink_equipment_get_model (equipment);
  const char *nickname = lablink_equipment_get_nickname (equipment);
  g_autofree char *name = g_strdup_printf ("equipment-%s", lablink_equipment_get_id (equipment));

  self->session = g_object_ref (session);
  self->equipment = g_object_ref (equipment);
  gtk_widget_set_name (GTK_WIDGET (self), name);

  gtk_image_set_from_icon_name (self->icon, lablink_equipment_kind_icon_name (lablink_equipment_get_kind (equipment)));
  /* The sidebar is narrow: the nickname or model, the manufacturer only in
   * the tooltip and the panel. */
  gtk_label_set_label (self->title_label, nickname && *nickname ? nickname
                                          : model && *model ? model
                                          : lablink_equipment_get_display_name (equipment));
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), lablink_equipment_get_display_name (equipment));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  lablink_equipment_get_display_name (equipment), -1);

  self->session_signals = g_signal_group_new (LABLINK_TYPE_SESSION);
  g_signal_group_connect (self->session_signals, "stream-status-changed", G_CALLBACK (status_changed_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "streams-changed", G_CALLBACK (update_status), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::state", G_CALLBACK (update_status), self);
  g_signal_group_set_target (self->session_signals, session);
  update_status (self);

  return GTK_WIDGET (self);
}

/**
 * lablink_equipment_row_get_equipment:
 * @self: a row
 *
 * Returns: (transfer none): its instrument
 */
LablinkEquipment *
lablink_equipment_row_get_equipment (LablinkEquipmentRow *self)
{
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT_ROW (self), NULL);
  return self->equipment;
}

/**
 * lablink_equipment_row_get_session:
 * @self: a row
 *
 * Returns: (transfer none): the session (server) of its instrument
 */
LablinkSession *
lablink_equipment_row_get_session (LablinkEquipmentRow *self)
{
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT_ROW (self), NULL);
  return self->session;
}

const char *
lablink_equipment_row_get_status_text (LablinkEquipmentRow *self)
{
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT_ROW (self), NULL);
  return gtk_label_get_label (self->status_label);
}
