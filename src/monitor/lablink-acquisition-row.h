/* lablink-acquisition-row.h — one acquisition of the server, and its row in the list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LABLINK_TYPE_ACQUISITION_ITEM (lablink_acquisition_item_get_type ())
G_DECLARE_FINAL_TYPE (LablinkAcquisitionItem, lablink_acquisition_item, LABLINK, ACQUISITION_ITEM, GObject)

LablinkAcquisitionItem *lablink_acquisition_item_new              (const char             *acquisition_id,
                                                                   const char             *equipment_id);
const char             *lablink_acquisition_item_get_acquisition_id (LablinkAcquisitionItem *self);
const char             *lablink_acquisition_item_get_equipment_id (LablinkAcquisitionItem *self);
const char             *lablink_acquisition_item_get_name         (LablinkAcquisitionItem *self);
void                    lablink_acquisition_item_set_name         (LablinkAcquisitionItem *self,
                                                                   const char             *name);
const char             *lablink_acquisition_item_get_state        (LablinkAcquisitionItem *self);
void                    lablink_acquisition_item_set_state        (LablinkAcquisitionItem *self,
                                                                   const char             *state);

const char             *lablink_acquisition_item_get_server       (LablinkAcquisitionItem *self);
void                    lablink_acquisition_item_set_server       (LablinkAcquisitionItem *self,
                                                                   const char             *server);

#define LABLINK_TYPE_ACQUISITION_ROW (lablink_acquisition_row_get_type ())
G_DECLARE_FINAL_TYPE (LablinkAcquisitionRow, lablink_acquisition_row, LABLINK, ACQUISITION_ROW, AdwActionRow)

GtkWidget              *lablink_acquisition_row_new               (LablinkAcquisitionItem *item);
LablinkAcquisitionItem *lablink_acquisition_row_get_item          (LablinkAcquisitionRow  *self);

G_END_DECLS
