/* lablink-meter.h — a big, readable numeric meter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LABLINK_TYPE_METER (lablink_meter_get_type ())
G_DECLARE_FINAL_TYPE (LablinkMeter, lablink_meter, LABLINK, METER, GtkWidget)

GtkWidget  *lablink_meter_new         (const char   *caption,
                                       const char   *unit,
                                       guint         decimals);
void        lablink_meter_set_value   (LablinkMeter *self,
                                       double        value);
double      lablink_meter_get_value   (LablinkMeter *self);
const char *lablink_meter_get_text    (LablinkMeter *self);
const char *lablink_meter_get_unit    (LablinkMeter *self);
void        lablink_meter_set_caption (LablinkMeter *self,
                                       const char   *caption);
void        lablink_meter_set_stale   (LablinkMeter *self,
                                       gboolean      stale);

G_END_DECLS
