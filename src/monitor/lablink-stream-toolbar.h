/* lablink-stream-toolbar.h — start/stop and interval of the selected instrument's streams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lablink-session.h"

G_BEGIN_DECLS

#define LABLINK_TYPE_STREAM_TOOLBAR (lablink_stream_toolbar_get_type ())
G_DECLARE_FINAL_TYPE (LablinkStreamToolbar, lablink_stream_toolbar, LABLINK, STREAM_TOOLBAR, GtkWidget)

void             lablink_stream_toolbar_set_session     (LablinkStreamToolbar *self,
                                                         LablinkSession       *session);
void             lablink_stream_toolbar_set_equipment   (LablinkStreamToolbar *self,
                                                         LablinkEquipment     *equipment);
LablinkEquipment *lablink_stream_toolbar_get_equipment  (LablinkStreamToolbar *self);
GtkToggleButton *lablink_stream_toolbar_get_toggle      (LablinkStreamToolbar *self,
                                                         const char           *stream_type);
GtkSpinButton   *lablink_stream_toolbar_get_interval    (LablinkStreamToolbar *self,
                                                         const char           *stream_type);
const char      *lablink_stream_toolbar_get_status_text (LablinkStreamToolbar *self,
                                                         const char           *stream_type);
const char      *lablink_stream_toolbar_get_shared_text (LablinkStreamToolbar *self,
                                                         const char           *stream_type);
void             lablink_stream_toolbar_sync            (LablinkStreamToolbar *self);

G_END_DECLS
