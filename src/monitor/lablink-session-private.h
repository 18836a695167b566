/* lablink-session-private.h — what the files of LablinkSession share
 *
 * LablinkSession is split over sibling files:
 *   lablink-session.c             the object: properties, signals, getters, status texts
 *   lablink-session-connection.c  server, connect/disconnect, demo, login, connection state
 *   lablink-session-streams.c     what arrives: the data store, stream and acquisition
 *                                 subscriptions, events
 *   lablink-session-rest.c        the door widgets use: equipment list, user, statistics
 *   lablink-session-locks.c       commands and the equipment locks they need: the lock
 *                                 session, its keep-alive, each instrument's lock state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lablink-session.h"

G_BEGIN_DECLS

typedef struct {
  LablinkRing *ring;
  char       **channels;
  guint64      duplicates;
} AcqStore;

struct _LablinkSession
{
  GObject               parent_instance;

  GSettings            *settings;
  LablinkClient        *client;
  LablinkStreamManager *manager;
  GSignalGroup         *manager_signals; /* target: manager */
  char                 *server_url;
  GObject              *sim;
  gboolean              demo;

  GListStore           *equipment;
  gboolean              equipment_loaded;
  GCancellable         *cancellable;

  GHashTable           *last_messages;   /* stream key → LablinkMessage */
  GHashTable           *rings;           /* "<id>:<n>" → LablinkRing */
  GHashTable           *acquisitions;    /* acquisition id → AcqStore */
  GHashTable           *intervals;       /* stream key → interval (no settings) */

  LablinkConnectionState state;

  GHashTable           *lock_infos;      /* equipment id → LablinkLockInfo, as last seen */
  LablinkLatency       *latency;         /* send → screen, measured by the window */
  guint                 keepalive_id;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_CONNECTED,
  PROP_SERVER_URL,
  PROP_DEMO,
  PROP_MANAGER,
  PROP_NEXT_RETRY_TIME,
  PROP_RETRY_ATTEMPT,
  PROP_LAST_ERROR,
  N_PROPS
};

enum {
  STREAM_DATA,
  ACQUISITION_DATA,
  STREAM_STATUS_CHANGED,
  STREAMS_CHANGED,
  EVENT,
  SERVER_ERROR,
  AUTH_REQUIRED,
  EQUIPMENT_LOADED,
  LOCK_CHANGED,
  N_SIGNALS
};

extern GParamSpec *lablink_session_properties[N_PROPS];
extern guint lablink_session_signals[N_SIGNALS];

/* lablink-session.c */
void     _lablink_session_acq_store_free       (gpointer              data);

/* lablink-session-connection.c */
void     _lablink_session_connection_init      (LablinkSession       *self);
void     _lablink_session_drop_server          (LablinkSession       *self);
void     _lablink_session_stop_sim             (LablinkSession       *self);

/* lablink-session-locks.c */
void     _lablink_session_locks_watch_client   (LablinkSession       *self);
void     _lablink_session_end_locks            (LablinkSession       *self);

/* lablink-session-streams.c */
void     _lablink_session_streams_init         (LablinkSession       *self);
void     _lablink_session_push_gaps            (LablinkSession       *self,
                                                const char           *equipment_id);

G_END_DECLS
