/* lablink-connection-indicator.h — the always-visible connection state and server bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include <lablink.h>

#include "lablink-session.h"

G_BEGIN_DECLS

#define LABLINK_TYPE_CONNECTION_INDICATOR (lablink_connection_indicator_get_type ())
G_DECLARE_FINAL_TYPE (LablinkConnectionIndicator, lablink_connection_indicator, LABLINK, CONNECTION_INDICATOR, GtkWidget)

void        lablink_connection_indicator_set_session (LablinkConnectionIndicator *self,
                                                      LablinkSession             *session);
void        lablink_connection_indicator_set_sessions (LablinkConnectionIndicator *self,
                                                       GListModel                 *sessions);
const char *lablink_connection_indicator_get_text    (LablinkConnectionIndicator *self);
void        lablink_connection_indicator_update      (LablinkConnectionIndicator *self);
void        lablink_connection_indicator_popup       (LablinkConnectionIndicator *self);
LablinkDiscovery *
            lablink_connection_indicator_get_discovery (LablinkConnectionIndicator *self);
GtkPopover *lablink_connection_indicator_get_popover (LablinkConnectionIndicator *self);

G_END_DECLS
