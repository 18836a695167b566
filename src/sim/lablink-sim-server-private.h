/* lablink-sim-server-private.h — internals shared by the server's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>
#include <lablink.h>

#include "lablink-sim-acquisition.h"
#include "lablink-sim-server.h"

G_BEGIN_DECLS

typedef struct _SimClient SimClient;   /* lablink-sim-server-clients.c */
typedef struct _SimStream SimStream;   /* lablink-sim-server-streams.c */
typedef struct _SimLockSession SimLockSession; /* lablink-sim-server-locks.c */
typedef struct _SimLock SimLock;               /* lablink-sim-server-locks.c */

/* LabLink's defaults for a lock's and a lock session's inactivity timeout */
#define LABLINK_SIM_LOCK_TIMEOUT_S 300
#define LABLINK_SIM_LOCK_SESSION_TIMEOUT_S 600

typedef enum {
  SIM_LOCK_OK,
  SIM_LOCK_CONFLICT,   /* 409 */
  SIM_LOCK_FORBIDDEN,  /* 403 */
} SimLockResult;

/* Arguments of a call queued onto the server's main context. */
typedef struct
{
  LablinkSimServer *server;
  guint             a;
  guint             b;
  char             *text;
} SimInvocation;

struct _LablinkSimServer
{
  GObject parent_instance;

  /* options */
  gboolean               compat;
  gboolean               stamp_send_time;
  GStrv                  silent_streams;  /* stream types acknowledged but never sent */
  guint                  acquisition_stall_ms;  /* fault: a first acquisition frame this late */
  guint32                seed;
  char                  *auth_username;
  char                  *auth_password;
  guint                  token_lifetime;
  guint                  drop_after_messages;
  guint                  drop_after_ms;
  guint                  refuse_ms;
  guint                  latency_ms;
  double                 hostile_rate;
  LablinkSimHostileKinds hostile_kinds;
  GTlsCertificate       *tls_certificate;  /* serve https:// and wss:// */

  /* runtime (server thread) */
  GMainContext          *context;
  SoupServer            *soup;
  char                  *url;
  guint                  port;
  gboolean               stopped;
  GRand                 *rand;
  GPtrArray             *instruments;     /* LablinkSimInstrument */
  GPtrArray             *acquisition_order; /* LablinkSimAcquisition, creation order */
  GList                 *clients;         /* SimClient, open */
  GList                 *closing;         /* SimClient, close requested by stop() */
  GList                 *dead;            /* SimClient, closed, to free */
  GSource               *reap_source;
  GHashTable            *streams;         /* key → SimStream */
  gint64                 refuse_until;    /* monotonic µs */
  guint64                next_client_id;

  /* auth */
  GHashTable            *access_tokens;   /* token → expiry (monotonic µs, boxed) */
  GHashTable            *refresh_tokens;  /* token → expiry */
  guint8                 secret[32];
  gint64                 last_login;
  gint64                 created_at;

  /* equipment locks (lablink-sim-server-locks.c) */
  gboolean               locks_enabled;
  GHashTable            *lock_sessions;   /* session id → SimLockSession */
  GPtrArray             *session_order;   /* session ids, creation order */
  GHashTable            *locks;           /* equipment id → SimLock (exclusive) */
  GHashTable            *observers;       /* equipment id → GPtrArray of session ids */
  GHashTable            *lock_queues;     /* equipment id → GPtrArray of queue entries */

  /* events */
  char                  *last_event_id;
  char                  *last_job_id;

  /* faults */
  GSource               *hostile_source;
  guint                  hostile_index;
  GSource               *flood_source;
  guint64                flood_target;    /* frames still to send; G_MAXUINT64 = unlimited */
  guint                  flood_rate;
  gint64                 flood_base_mono;
  guint64                flood_base_sent;

  /* guarded by lock: read from any thread */
  GMutex                 lock;
  guint                  n_clients;
  guint64                flood_sent;
  GHashTable            *acquisitions;    /* id → LablinkSimAcquisition */
};

/* lablink-sim-server.c */
GSource               *lablink_sim_server_attach_timeout     (LablinkSimServer      *self,
                                                              guint                  ms,
                                                              GSourceFunc            func,
                                                              gpointer               data,
                                                              const char            *name);
void                   lablink_sim_clear_source              (GSource              **source);
GMainContext          *lablink_sim_server_get_context        (LablinkSimServer      *self);
void                   lablink_sim_server_init_ws_writer     (LablinkSimServer      *self,
                                                              LablinkSimJson        *w,
                                                              GString               *out);
GBytes                *lablink_sim_string_to_bytes           (GString               *out);
char                  *lablink_sim_server_new_uuid           (LablinkSimServer      *self);
char                  *lablink_sim_server_new_hex_id         (LablinkSimServer      *self,
                                                              const char            *prefix);
void                   lablink_sim_server_invoke             (LablinkSimServer      *self,
                                                              GSourceFunc            func,
                                                              guint                  a,
                                                              guint                  b,
                                                              const char            *text);
void                   lablink_sim_server_write_sim_status   (LablinkSimServer      *self,
                                                              LablinkSimJson        *w);

/* lablink-sim-server-instruments.c */
LablinkSimAcquisition *lablink_sim_server_lookup_acquisition (LablinkSimServer      *self,
                                                              const char            *acquisition_id);
void                   lablink_sim_server_add_acquisition    (LablinkSimServer      *self,
                                                              LablinkSimAcquisition *acquisition);
void                   lablink_sim_server_remove_acquisition (LablinkSimServer      *self,
                                                              const char            *acquisition_id);

/* lablink-sim-server-clients.c */
void                   lablink_sim_client_send_string        (SimClient             *client,
                                                              GString               *out);
guint                  lablink_sim_server_broadcast          (LablinkSimServer      *self,
                                                              GBytes                *bytes,
                                                              gboolean               raw);
guint                  lablink_sim_server_broadcast_string   (LablinkSimServer      *self,
                                                              GString               *out);
void                   lablink_sim_server_ws_precheck        (SoupServer            *soup,
                                                              SoupServerMessage     *msg,
                                                              const char            *path,
                                                              GHashTable            *query,
                                                              gpointer               user_data);
void                   lablink_sim_server_ws_connected       (SoupServer            *soup,
                                                              SoupServerMessage     *msg,
                                                              const char            *path,
                                                              SoupWebsocketConnection *conn,
                                                              gpointer               user_data);
void                   lablink_sim_server_close_clients      (LablinkSimServer      *self);
void                   lablink_sim_server_free_clients       (LablinkSimServer      *self);
guint                  lablink_sim_server_drop_all           (LablinkSimServer      *self,
                                                              gboolean               abrupt,
                                                              gushort                code);

/* lablink-sim-server-streams.c */
void                   lablink_sim_stream_free               (SimStream             *stream);
void                   lablink_sim_server_handle_message     (LablinkSimServer      *self,
                                                              SimClient             *client,
                                                              LablinkMessage        *message);

/* lablink-sim-server-faults.c */
void                   lablink_sim_server_update_hostile     (LablinkSimServer      *self);
void                   lablink_sim_server_cancel_flood       (LablinkSimServer      *self);
void                   lablink_sim_server_write_faults       (LablinkSimServer      *self,
                                                              LablinkSimJson        *w);

/* lablink-sim-server-locks.c */
void                   lablink_sim_server_init_locks         (LablinkSimServer      *self);
void                   lablink_sim_server_clear_locks        (LablinkSimServer      *self);
void                   lablink_sim_locks_sweep               (LablinkSimServer      *self);
SimLockSession        *lablink_sim_locks_create_session      (LablinkSimServer      *self,
                                                              const char            *client_name,
                                                              const char            *client_ip,
                                                              guint                  timeout_s,
                                                              JsonNode              *metadata);
SimLockSession        *lablink_sim_locks_get_session         (LablinkSimServer      *self,
                                                              const char            *session_id);
gboolean               lablink_sim_locks_touch_session       (LablinkSimServer      *self,
                                                              const char            *session_id);
gboolean               lablink_sim_locks_end_session         (LablinkSimServer      *self,
                                                              const char            *session_id,
                                                              guint                 *n_released);
GPtrArray             *lablink_sim_locks_list_sessions       (LablinkSimServer      *self);
void                   lablink_sim_locks_write_session       (SimLockSession        *session,
                                                              LablinkSimJson        *w);
SimLock               *lablink_sim_locks_get_lock            (LablinkSimServer      *self,
                                                              const char            *equipment_id);
void                   lablink_sim_locks_write_lock          (SimLock               *lock,
                                                              LablinkSimJson        *w);
const char            *lablink_sim_locks_get_lock_session    (SimLock               *lock);
void                   lablink_sim_locks_write_session_locks (LablinkSimServer      *self,
                                                              const char            *session_id,
                                                              LablinkSimJson        *w);
SimLockResult          lablink_sim_locks_acquire             (LablinkSimServer      *self,
                                                              const char            *equipment_id,
                                                              const char            *session_id,
                                                              gboolean               observer,
                                                              guint                  timeout_s,
                                                              gboolean               queue_if_busy,
                                                              LablinkSimJson        *w,
                                                              char                 **detail);
SimLockResult          lablink_sim_locks_release             (LablinkSimServer      *self,
                                                              const char            *equipment_id,
                                                              const char            *session_id,
                                                              gboolean               force,
                                                              LablinkSimJson        *w,
                                                              char                 **detail);
guint                  lablink_sim_locks_release_all         (LablinkSimServer      *self,
                                                              const char            *session_id);
gboolean               lablink_sim_locks_touch_lock          (LablinkSimServer      *self,
                                                              const char            *equipment_id,
                                                              const char            *session_id);
gboolean               lablink_sim_locks_can_control         (LablinkSimServer      *self,
                                                              const char            *equipment_id,
                                                              const char            *session_id);
gboolean               lablink_sim_locks_can_observe         (LablinkSimServer      *self,
                                                              const char            *equipment_id,
                                                              const char            *session_id);
gboolean               lablink_sim_locks_requires_control    (const char            *action);
void                   lablink_sim_locks_write_status        (LablinkSimServer      *self,
                                                              const char            *equipment_id,
                                                              LablinkSimJson        *w);
void                   lablink_sim_locks_write_queue         (LablinkSimServer      *self,
                                                              const char            *equipment_id,
                                                              LablinkSimJson        *w);
void                   lablink_sim_locks_write_all           (LablinkSimServer      *self,
                                                              LablinkSimJson        *w);
void                   lablink_sim_locks_write_sim_status    (LablinkSimServer      *self,
                                                              LablinkSimJson        *w);

/* lablink-sim-server-events.c */
guint                  lablink_sim_server_emit_event_frame   (LablinkSimServer      *self,
                                                              const char            *type,
                                                              JsonNode              *data);

/* lablink-sim-rest.c */
void                   lablink_sim_rest_handle               (SoupServer            *soup,
                                                              SoupServerMessage     *msg,
                                                              const char            *path,
                                                              GHashTable            *query,
                                                              gpointer               user_data);

/* lablink-sim-rest-security.c */
gboolean               lablink_sim_server_token_is_valid     (LablinkSimServer      *self,
                                                              const char            *token);

G_END_DECLS
