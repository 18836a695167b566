/* lablink-events-panel.h — unsolicited server events (alarms, jobs), of every server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lablink-session.h"

G_BEGIN_DECLS

#define LABLINK_EVENTS_MAX 500

#define LABLINK_TYPE_EVENTS_PANEL (lablink_events_panel_get_type ())
G_DECLARE_FINAL_TYPE (LablinkEventsPanel, lablink_events_panel, LABLINK, EVENTS_PANEL, GtkWidget)

GtkWidget  *lablink_events_panel_new          (void);
const char *lablink_events_panel_add          (LablinkEventsPanel *self,
                                               LablinkMessage     *message);
const char *lablink_events_panel_add_from     (LablinkEventsPanel *self,
                                               LablinkMessage     *message,
                                               const char         *server);
guint       lablink_events_panel_get_n_events (LablinkEventsPanel *self);
const char *lablink_events_panel_get_text     (LablinkEventsPanel *self,
                                               guint               index);
void        lablink_events_panel_set_show_servers (LablinkEventsPanel *self,
                                               gboolean            show_servers);
gboolean    lablink_events_panel_get_show_servers (LablinkEventsPanel *self);
GListModel *lablink_events_panel_get_model    (LablinkEventsPanel *self);
void        lablink_events_panel_clear        (LablinkEventsPanel *self);

char       *lablink_describe_event            (LablinkMessage     *message);

G_END_DECLS
