/* lablink-capture-row.h — one capture on disk, and its row in the Captures popover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <lablink.h>

G_BEGIN_DECLS

#define LABLINK_TYPE_CAPTURE_ITEM (lablink_capture_item_get_type ())
G_DECLARE_FINAL_TYPE (LablinkCaptureItem, lablink_capture_item, LABLINK, CAPTURE_ITEM, GObject)

LablinkCaptureItem       *lablink_capture_item_new      (const LablinkCaptureInfo *info);
const LablinkCaptureInfo *lablink_capture_item_get_info (LablinkCaptureItem       *self);

#define LABLINK_TYPE_CAPTURE_ROW (lablink_capture_row_get_type ())
G_DECLARE_FINAL_TYPE (LablinkCaptureRow, lablink_capture_row, LABLINK, CAPTURE_ROW, AdwActionRow)

GtkWidget                *lablink_capture_row_new       (LablinkCaptureItem       *item,
                                                         const char               *delete_action);

G_END_DECLS
