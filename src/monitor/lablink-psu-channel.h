/* lablink-psu-channel.h — meters and controls of one power-supply channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lablink-meter.h"
#include "lablink-session.h"

G_BEGIN_DECLS

#define LABLINK_TYPE_PSU_CHANNEL (lablink_psu_channel_get_type ())
G_DECLARE_FINAL_TYPE (LablinkPsuChannel, lablink_psu_channel, LABLINK, PSU_CHANNEL, GtkWidget)

GtkWidget    *lablink_psu_channel_new          (LablinkSession    *session,
                                                const char        *equipment_id,
                                                guint              channel);
guint         lablink_psu_channel_get_channel  (LablinkPsuChannel *self);
void          lablink_psu_channel_update       (LablinkPsuChannel *self,
                                                LablinkMessage    *message);
void          lablink_psu_channel_set_stale    (LablinkPsuChannel *self,
                                                gboolean           stale);
LablinkMeter *lablink_psu_channel_get_meter    (LablinkPsuChannel *self,
                                                guint              reading);
const char   *lablink_psu_channel_get_mode_text     (LablinkPsuChannel *self);
const char   *lablink_psu_channel_get_output_text   (LablinkPsuChannel *self);
const char   *lablink_psu_channel_get_setpoint_text (LablinkPsuChannel *self);

G_END_DECLS
