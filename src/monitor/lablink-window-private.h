/* lablink-window-private.h — what the files of LablinkWindow share
 *
 * LablinkWindow is split over sibling files:
 *   lablink-window.c                  the window: header bar, views, toasts, state
 *   lablink-window-instruments.c      the Instruments view: the sidebar grouped by
 *                                     server, the panel of the selected instrument
 *   lablink-window-servers.c          the servers it shows: one LablinkSession each,
 *                                     the statistics and acquisitions per server,
 *                                     the set kept in the settings
 *   lablink-window-login.c            logging in: the keyring, the login dialog
 *   lablink-window-events.c           what the servers tell: events, errors
 *   lablink-window-latency.c          send → screen latency of what it shows
 *   lablink-monitor-window-actions.c  its actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lablink-frame-latency.h"
#include "lablink-window.h"

G_BEGIN_DECLS

/* The user name a session logs in (or was asked to log in) with. */
#define LABLINK_WINDOW_USERNAME_KEY "lablink-window-username"

struct _LablinkWindow
{
  AdwApplicationWindow        parent_instance;

  AdwToastOverlay            *toast_overlay;
  AdwHeaderBar               *header_bar;
  LablinkConnectionIndicator *connection_indicator;
  AdwViewSwitcherTitle       *switcher_title;
  AdwViewStack               *view_stack;
  AdwFlap                    *flap;
  GtkWidget                  *sidebar;
  GtkWidget                  *sidebar_button;
  GtkListBox                 *equipment_list;
  GtkWidget                  *equipment_placeholder;
  LablinkStreamToolbar       *stream_toolbar;
  GtkStack                   *panel_stack;
  GtkWidget                  *empty_page;
  GtkStack                   *acquisitions_stack;
  GtkWidget                  *acquisitions_switcher;
  LablinkAcquisitionPanel    *acquisition_panel;  /* the first server's */
  GtkStack                   *stats_stack;
  GtkWidget                  *stats_switcher;
  LablinkStatsPanel          *stats_panel;
  AdwViewStackPage           *events_page;
  LablinkEventsPanel         *events_panel;

  LablinkSession             *session;          /* the first of sessions */
  GListStore                 *sessions;         /* LablinkSession, one per server */
  GListStore                 *sections;         /* per session: [session, its equipment…] */
  GtkFlattenListModel        *sidebar_model;    /* the sections, flat */
  GHashTable                 *session_signals;  /* session → GSignalGroup */
  GHashTable                 *acquisition_panels; /* session → its panel, but the first server's */
  GSettings                  *settings;
  GSignalGroup               *settings_signals;
  GHashTable                 *panels;           /* "<session>/<equipment id>" → panel (owned by the stack) */
  LablinkSession             *selected_session; /* not owned: one of sessions */
  char                       *selected_id;
  GtkWidget                  *login_dialog;
  LablinkSession             *login_session;    /* the dialog's; not owned */
  guint                       n_toasts;
  char                       *last_toast;
  guint                       unseen_events;
  AdwToast                   *event_toast;      /* while shown; not owned */
  guint                       event_toast_count;
  GHashTable                 *latencies;        /* session → LablinkFrameLatency */
};

/* lablink-window.c */
void     _lablink_window_connect_session_signals (LablinkWindow  *self,
                                                  GSignalGroup   *group);
void     _lablink_window_update_title            (LablinkWindow  *self);

/* lablink-window-instruments.c */
void     _lablink_window_instruments_init        (LablinkWindow  *self);
void     _lablink_window_instruments_watch       (LablinkWindow  *self,
                                                  GSignalGroup   *group);
GListModel *_lablink_window_section_new          (LablinkSession *session);
void     _lablink_window_equipment_selected_cb   (LablinkWindow  *self,
                                                  GtkListBoxRow  *row);
void     _lablink_window_remove_panels           (LablinkWindow  *self,
                                                  LablinkSession *session);
void     _lablink_window_show_equipment          (LablinkWindow  *self,
                                                  LablinkSession *session,
                                                  LablinkEquipment *equipment);

/* lablink-window-login.c */
void     _lablink_window_login_watch             (LablinkWindow  *self,
                                                  GSignalGroup   *group);

/* lablink-window-events.c */
void     _lablink_window_events_watch            (LablinkWindow  *self,
                                                  GSignalGroup   *group);

/* lablink-window-latency.c */
void     _lablink_window_latency_init            (LablinkWindow  *self);
void     _lablink_window_latency_watch           (LablinkWindow  *self,
                                                  GSignalGroup   *group);
void     _lablink_window_latency_forget          (LablinkWindow  *self,
                                                  LablinkSession *session);
void     _lablink_window_latency_dispose         (LablinkWindow  *self);

/* lablink-window-servers.c */
void     _lablink_window_servers_init            (LablinkWindow  *self);
void     _lablink_window_servers_dispose         (LablinkWindow  *self);
void     _lablink_window_set_primary             (LablinkWindow  *self,
                                                  LablinkSession *session);
void     _lablink_window_add_server_actions      (LablinkWindow  *self);

G_END_DECLS
