/* lablink-ws-worker-private.h — the WebSocket side of LablinkStreamManager
 *
 * A fast server keeps whoever reads the socket busy for as long as it has
 * data, so it would freeze the owner's main loop. The worker owns the
 * socket on a thread of its own with its own GMainContext: it connects
 * (libsoup's session does the handshake), speaks RFC 6455 on the upgraded
 * stream (lablink-ws-frame-conn.c), reconnects, keeps the link alive, parses
 * each frame into a LablinkMessage and hands it over through small bounded
 * per-stream queues (oldest dropped first, counted). The owner's side is
 * woken once per batch and drains within a time budget.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "lablink-message.h"
#include "lablink-statistics.h"
#include "lablink-stream-manager.h"
#include "lablink-ws-frame-private.h"

G_BEGIN_DECLS

typedef struct _LablinkWsWorker LablinkWsWorker;

typedef enum {
  LABLINK_WS_ITEM_MESSAGE,     /* a parsed frame */
  LABLINK_WS_ITEM_FRAME_ERROR, /* a rejected frame (error set) */
  LABLINK_WS_ITEM_STATE,       /* the connection state changed (error set: why, when known) */
  LABLINK_WS_ITEM_CONNECTED,   /* a connect attempt ended (error set on failure) */
} LablinkWsItemKind;

typedef struct {
  LablinkWsItemKind       kind;
  LablinkMessage         *message;
  GError                 *error;
  LablinkConnectionState  state;   /* STATE items: the state entered, in order */
} LablinkWsItem;

typedef struct {
  char    *uri;            /* ws:// or wss:// URL, token included */
  char    *pinned_certificate;  /* LablinkClient:pinned-certificate, or NULL */
  guint    backoff_initial_ms;
  guint    backoff_max_ms;
  guint    stable_after_ms;
  guint    ping_interval_ms;
  guint    handshake_timeout_ms;  /* 0: none */
  gsize    max_payload;
  guint    queue_length;
  gboolean reconnect;
} LablinkWsConfig;

/* Called with the worker's lock NOT held, on the worker thread: the owner
 * must be woken (thread-safe). */
typedef void (*LablinkWsWakeup) (gpointer data);

LablinkWsWorker *lablink_ws_worker_new                (LablinkWsWakeup         wakeup,
                                                       gpointer                wakeup_data);
void             lablink_ws_worker_free               (LablinkWsWorker        *self);

/* Owner-side calls; all thread-safe. */
void             lablink_ws_worker_connect            (LablinkWsWorker        *self,
                                                       const LablinkWsConfig  *config);
void             lablink_ws_worker_disconnect         (LablinkWsWorker        *self);
void             lablink_ws_worker_reconnect_now      (LablinkWsWorker        *self);
void             lablink_ws_worker_send               (LablinkWsWorker        *self,
                                                       char                   *text);
void             lablink_ws_worker_ping               (LablinkWsWorker        *self);
void             lablink_ws_worker_set_stream         (LablinkWsWorker        *self,
                                                       const char             *key,
                                                       char                   *start_frame);
void             lablink_ws_worker_set_control_wakeup (LablinkWsWorker        *self,
                                                       LablinkWsWakeup         wakeup,
                                                       gpointer                wakeup_data);
void             lablink_ws_worker_set_queue_length   (LablinkWsWorker        *self,
                                                       guint                   length);
void             lablink_ws_worker_set_queue_bytes    (LablinkWsWorker        *self,
                                                       guint64                 per_stream,
                                                       guint64                 total);

/* Takes up to @max items (round-robin over the stream queues, control items
 * first), and no more frames once TAKE_BYTES are taken: what the owner
 * holds while it dispatches is bounded too. Returns the number taken;
 * *more is set when items remain. */
guint            lablink_ws_worker_take               (LablinkWsWorker        *self,
                                                       LablinkWsItem          *items,
                                                       guint                   max,
                                                       gboolean               *more);
/* Takes up to @max control items only (no frames, no pongs, which stay
 * with the frames), for the owner's control source: what
 * lablink_ws_worker_set_control_wakeup() announces. */
guint            lablink_ws_worker_take_control       (LablinkWsWorker        *self,
                                                       LablinkWsItem          *items,
                                                       guint                   max,
                                                       gboolean               *more);
void             lablink_ws_item_clear                (LablinkWsItem          *item);

void             lablink_ws_worker_get_state          (LablinkWsWorker        *self,
                                                       LablinkConnectionState *state,
                                                       gint64                 *next_retry,
                                                       guint                  *attempt,
                                                       char                  **last_error);
LablinkStatistics *lablink_ws_worker_get_statistics   (LablinkWsWorker        *self);
void             lablink_ws_worker_reset_statistics   (LablinkWsWorker        *self);
void             lablink_ws_worker_count_error        (LablinkWsWorker        *self,
                                                       LablinkErrorKind        kind);
gint64           lablink_ws_worker_get_last_receive   (LablinkWsWorker        *self,
                                                       const char             *key);
void             lablink_ws_worker_set_naive_zone     (LablinkWsWorker        *self,
                                                       gboolean                known,
                                                       gint64                  offset_usec);
void             lablink_ws_worker_set_stream_status  (LablinkWsWorker        *self,
                                                       const char             *key,
                                                       LablinkStreamStatus     status);

/* Statistics construction (lablink-statistics.c). */
typedef struct {
  char               *key;
  guint64             messages;
  guint64             dropped;
  double              rate_hz;
  double              last_age_s;
  LablinkStreamStatus status;
  gboolean            active;
  guint64             polled;          /* of messages: values from REST polls (the manager's) */
  double              polled_rate_hz;  /* of rate_hz */
} LablinkStreamStatsEntry;

LablinkStatistics *lablink_statistics_new             (void);
void               lablink_statistics_set_counters    (LablinkStatistics *self,
                                                       guint64            messages_received,
                                                       guint64            messages_sent,
                                                       guint64            bytes_received,
                                                       guint64            bytes_sent,
                                                       const guint64     *errors,
                                                       guint64            dropped,
                                                       guint              reconnects,
                                                       double             ping_latency_ms,
                                                       double             uptime_s);
void               lablink_statistics_add_stream      (LablinkStatistics *self,
                                                       const LablinkStreamStatsEntry *entry);

/* Inside the worker: shared by lablink-ws-worker.c (the thread and the
 * connection) and lablink-ws-worker-handoff.c (the queues between the
 * worker and its owner, and the counters). Nothing else looks in here. */

#define MAX_STREAM_ENTRIES   256
#define CONTROL_QUEUE_LENGTH 4096
#define N_ARRIVALS           16
#define OTHER_STREAM_KEY     ""
#define WAKE_BATCH           64     /* frames handed over before the owner is woken… */
#define WAKE_LATENCY_US      2000   /* …or this long after the first of them */
#define READ_PERIOD_US       4000   /* a read burst starts at most this often (lablink-ws-read-stream.c) */
#define YIELD_PERIOD_US      250    /* a busy worker offers its core this often (lablink_ws_yield_due()) */
#define DEFAULT_QUEUE_BYTES       (G_GUINT64_CONSTANT (64) * 1024 * 1024)
#define DEFAULT_TOTAL_QUEUE_BYTES (G_GUINT64_CONSTANT (256) * 1024 * 1024)
#define TAKE_BYTES           (1024 * 1024)  /* the owner takes at most this much at once (or one frame) */

/* When the worker offers its core (lablink-ws-worker-handoff.c): once it
 * has been busy for YIELD_PERIOD_US since it last yielded or went idle. */
typedef struct {
  gint64 busy_since;   /* monotonic µs; 0: idle (no read burst under way) */
} LablinkWsYield;

gboolean lablink_ws_yield_due  (LablinkWsYield *self,
                                gint64          now);
void     lablink_ws_yield_idle (LablinkWsYield *self);

typedef struct {
  char               *key;
  LablinkMessage    **ring;           /* bounded FIFO of frames for the owner */
  guint               ring_capacity;
  guint               ring_head;
  guint               ring_length;
  gsize               ring_bytes;     /* lablink_message_get_cost() of the queued frames */
  guint64             messages;
  guint64             dropped;
  gint64              arrivals[N_ARRIVALS];
  guint               n_arrivals;
  guint               arrival_pos;
  gint64              last_receive;   /* monotonic µs, 0 = never */
  LablinkStreamStatus status;
  char               *start_frame;    /* non-NULL while we want it running */
} StreamEntry;

struct _LablinkWsWorker
{
  GMutex                   lock;
  gboolean                 naive_known;    /* the server's zone (under lock) */
  gint64                   naive_offset;
  GThread                 *thread;
  GMainContext            *context;
  GMainLoop               *loop;
  LablinkWsWakeup          wakeup;
  gpointer                 wakeup_data;
  LablinkWsWakeup          control_wakeup;       /* set before connecting, or NULL */
  gpointer                 control_wakeup_data;

  /* Worker thread only. */
  SoupSession             *session;
  LablinkWsFrameConn      *conn;
  GCancellable            *connect_cancellable;
  SoupMessage             *connect_msg;
  GSource                 *handshake_source;
  GSource                 *retry_source;
  GSource                 *keepalive_source;
  GSource                 *stable_source;   /* resets the backoff once the link is stable */
  gint64                   connected_since;
  gint64                   last_rx;
  gint64                   ping_sent;
  gboolean                 want_connected;
  gboolean                 report_connect;   /* a connect() waits for its first result */
  gboolean                 ever_connected;
  gboolean                 closed_too_big;   /* the link was closed for a frame over max_payload */
  GRand                   *rand;
  GSource                 *flush_source;
  gboolean                 flush_armed;      /* flush_source has a ready time */
  gboolean                 bursts_reported;  /* the read stream calls lablink_ws_worker_burst_over() */
  LablinkWsYield           yield;

  /* Protected by lock. */
  LablinkWsConfig          config;
  LablinkConnectionState   state;
  gint64                   next_retry;
  guint                    attempt;
  char                    *last_error;
  GHashTable              *streams;         /* key → StreamEntry */
  GPtrArray               *order;           /* StreamEntry*, for round-robin */
  guint                    rr_pos;
  GQueue                   control;         /* LablinkWsItem* */
  gsize                    control_bytes;   /* cost of the messages in control */
  gsize                    queued_bytes;    /* cost of every queued message */
  guint                    queue_length;
  guint64                  queue_bytes;     /* per stream (and for control) */
  guint64                  total_queue_bytes;
  gboolean                 wake_pending;
  gboolean                 control_wake_pending;  /* control_wakeup called, urgent items not yet taken */
  guint                    control_urgent;  /* items in control for control_wakeup: all but pongs */
  guint                    unwoken;
  gint64                   first_unwoken;
  gboolean                 flush_scheduled;
  guint64                  messages_received;
  guint64                  messages_sent;
  guint64                  bytes_received;
  guint64                  bytes_sent;
  guint64                  errors[LABLINK_N_ERROR_KINDS];
  guint64                  control_dropped;
  guint                    reconnects;
  double                   ping_latency_ms;
  gint64                   up_since;        /* monotonic µs of the current link, 0 = down */
};

/* lablink-ws-worker-handoff.c */
void     lablink_ws_stream_entry_free       (gpointer                 data);
void     lablink_ws_item_free               (LablinkWsItem           *item);
GSource *lablink_ws_worker_flush_source_new (LablinkWsWorker         *self);
void     lablink_ws_worker_burst_over       (gpointer                 stream,
                                             gpointer                 data);
void     lablink_ws_worker_post_item        (LablinkWsWorker         *self,
                                             LablinkWsItemKind        kind,
                                             LablinkMessage          *message,
                                             GError                  *error);
void     lablink_ws_worker_set_state        (LablinkWsWorker         *self,
                                             LablinkConnectionState   state,
                                             gint64                   next_retry,
                                             const char              *error_message);
void     lablink_ws_worker_set_state_error  (LablinkWsWorker         *self,
                                             LablinkConnectionState   state,
                                             gint64                   next_retry,
                                             const GError            *error);
void     lablink_ws_worker_on_message       (const char              *text,
                                             gsize                    size,
                                             gboolean                 binary,
                                             gpointer                 data);

G_END_DECLS
