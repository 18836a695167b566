/* lablink-window.h — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lablink-acquisition-panel.h"
#include "lablink-application.h"
#include "lablink-connection-indicator.h"
#include "lablink-events-panel.h"
#include "lablink-session.h"
#include "lablink-stats-panel.h"
#include "lablink-stream-toolbar.h"

G_BEGIN_DECLS

#define LABLINK_TYPE_WINDOW (lablink_window_get_type ())
G_DECLARE_FINAL_TYPE (LablinkWindow, lablink_window, LABLINK, WINDOW, AdwApplicationWindow)

LablinkWindow              *lablink_window_new                    (LablinkApplication *application,
                                                                   LablinkSession     *session);
LablinkSession             *lablink_window_get_session            (LablinkWindow      *self);
void                        lablink_window_add_toast              (LablinkWindow      *self,
                                                                   const char         *text);
void                        lablink_window_show_error             (LablinkWindow      *self,
                                                                   const char         *title,
                                                                   const char         *detail);
void                        lablink_window_ask_login              (LablinkWindow      *self,
                                                                   const char         *username);
void                        lablink_window_ask_login_for          (LablinkWindow      *self,
                                                                   LablinkSession     *session,
                                                                   const char         *username);
void                        lablink_window_log_in                 (LablinkWindow      *self,
                                                                   LablinkSession     *session,
                                                                   const char         *username,
                                                                   const char         *password);
gboolean                    lablink_window_select_equipment_for   (LablinkWindow      *self,
                                                                   LablinkSession     *session,
                                                                   const char         *equipment_id);
LablinkSession             *lablink_window_get_selected_session   (LablinkWindow      *self);
GtkWidget                  *lablink_window_get_panel_for          (LablinkWindow      *self,
                                                                   LablinkSession     *session,
                                                                   const char         *equipment_id);
gboolean                    lablink_window_select_equipment       (LablinkWindow      *self,
                                                                   const char         *equipment_id);
const char                 *lablink_window_get_selected_equipment_id (LablinkWindow   *self);
GtkWidget                  *lablink_window_get_panel              (LablinkWindow      *self,
                                                                   const char         *equipment_id);
void                        lablink_window_set_page               (LablinkWindow      *self,
                                                                   const char         *page);
const char                 *lablink_window_get_page               (LablinkWindow      *self);
LablinkConnectionIndicator *lablink_window_get_connection_indicator (LablinkWindow    *self);
LablinkStreamToolbar       *lablink_window_get_stream_toolbar     (LablinkWindow      *self);
LablinkStatsPanel          *lablink_window_get_stats_panel        (LablinkWindow      *self);
LablinkEventsPanel         *lablink_window_get_events_panel       (LablinkWindow      *self);
LablinkAcquisitionPanel    *lablink_window_get_acquisition_panel  (LablinkWindow      *self);
guint                       lablink_window_get_n_toasts           (LablinkWindow      *self);
const char                 *lablink_window_get_last_toast         (LablinkWindow      *self);
GtkWidget                  *lablink_window_get_login_dialog       (LablinkWindow      *self);
void                        lablink_window_save_state             (LablinkWindow      *self);

/* lablink-window-servers.c: the servers, one session each */
GListModel                 *lablink_window_get_sessions           (LablinkWindow      *self);
void                        lablink_window_add_session            (LablinkWindow      *self,
                                                                   LablinkSession     *session);
LablinkSession             *lablink_window_add_server             (LablinkWindow      *self,
                                                                   const char         *server_url,
                                                                   const char         *ws_url,
                                                                   const char         *username,
                                                                   GError            **error);
gboolean                    lablink_window_remove_server          (LablinkWindow      *self,
                                                                   LablinkSession     *session);
LablinkSession             *lablink_window_lookup_session         (LablinkWindow      *self,
                                                                   const char         *server_url);
void                        lablink_window_show_server            (LablinkWindow      *self,
                                                                   LablinkSession     *session);
void                        lablink_window_show_shown_server      (LablinkWindow      *self,
                                                                   LablinkSession     *session);
void                        lablink_window_start_session          (LablinkWindow      *self,
                                                                   LablinkSession     *session,
                                                                   const char         *username);
void                        lablink_window_save_servers           (LablinkWindow      *self);
gboolean                    lablink_window_restore_servers        (LablinkWindow      *self);
LablinkStatsPanel          *lablink_window_get_stats_panel_for    (LablinkWindow      *self,
                                                                   LablinkSession     *session);
LablinkAcquisitionPanel    *lablink_window_get_acquisition_panel_for (LablinkWindow *self,
                                                                   LablinkSession     *session);
GtkWidget                  *lablink_window_get_server_row         (LablinkWindow      *self,
                                                                   LablinkSession     *session);

/* lablink-monitor-window-actions.c */
void                        lablink_window_add_actions            (LablinkWindow      *self);
void                        lablink_window_start_all              (LablinkWindow      *self);
void                        lablink_window_stop_all               (LablinkWindow      *self);

/* Finds a descendant by its widget name (gtk_widget_set_name()). */
GtkWidget                  *lablink_widget_find_by_name           (GtkWidget          *root,
                                                                   const char         *name);

G_END_DECLS
