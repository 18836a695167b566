/* lablink-equipment-row.h — one instrument in the sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lablink-session.h"

G_BEGIN_DECLS

#define LABLINK_TYPE_EQUIPMENT_ROW (lablink_equipment_row_get_type ())
G_DECLARE_FINAL_TYPE (LablinkEquipmentRow, lablink_equipment_row, LABLINK, EQUIPMENT_ROW, GtkListBoxRow)

GtkWidget        *lablink_equipment_row_new             (LablinkSession      *session,
                                                         LablinkEquipment    *equipment);
LablinkEquipment *lablink_equipment_row_get_equipment   (LablinkEquipmentRow *self);
LablinkSession   *lablink_equipment_row_get_session     (LablinkEquipmentRow *self);
const char       *lablink_equipment_row_get_status_text (LablinkEquipmentRow *self);
const char       *lablink_equipment_kind_icon_name      (LablinkEquipmentKind kind);

G_END_DECLS
