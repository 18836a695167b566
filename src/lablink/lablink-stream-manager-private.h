/* lablink-stream-manager-private.h — the inside of LablinkStreamManager
 *
 * LablinkStreamManager is one class over sibling files:
 *
 * - lablink-stream-manager.c: the object, its properties and signals
 * - lablink-stream-manager-connection.c: connecting, disconnecting,
 *   reconnecting, and the connection state the worker reports
 * - lablink-stream-manager-dispatch.c: what the worker (lablink-ws-worker.c)
 *   hands over, drained within a time budget and delivered as signals
 * - lablink-stream-manager-streams.c: the streams it runs: start/stop,
 *   status, waveform completion
 * - lablink-stream-manager-polling.c: the REST fallback of a silent stream
 * - lablink-stream-manager-acquisition.c: acquisitions the server does not
 *   stream, fetched over REST
 * - lablink-stream-manager-sharing.c: living with the other clients of a
 *   stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "lablink-stream-manager.h"
#include "lablink-ws-worker-private.h"

G_BEGIN_DECLS

#define SHARING_N_GAPS 8

/* The polling fallback's schedule (lablink-stream-manager-polling.c):
 * requests at deadlines one interval apart, one in flight at a time. */
typedef struct {
  gint64   deadline;    /* monotonic µs: when the next request is due */
  gboolean in_flight;
} LablinkPollClock;

#define POLL_N_ARRIVALS 16

typedef struct {
  char                *key;
  gboolean             acquisition;
  char                *equipment_id;
  char                *stream_type;
  char                *acquisition_id;
  guint                interval_ms;
  guint                num_samples;
  gint64               started_at;
  LablinkStreamStatus  status;
  guint                poll_source;        /* one-shot, at the poll clock's deadline */
  LablinkPollClock     poll_clock;
  guint64              polled;             /* values delivered from REST polls */
  gint64               polled_arrivals[POLL_N_ARRIVALS];
  guint                n_polled_arrivals;
  guint                polled_pos;
  GQueue               captures;          /* waveforms: FetchData, frames being completed, in order */
  guint                captures_in_flight;
  guint                poll_samples;      /* acquisitions: the window asked over REST */
  gint64               poll_newest;       /* acquisitions: the newest sample polled */

  /* Sharing the stream with other clients (lablink-stream-manager-sharing.c) */
  gint64               last_frame_time;     /* µs, server's or arrival; 0 = none since (re)start */
  guint                gaps_ms[SHARING_N_GAPS];
  guint                n_gaps;
  guint                gap_pos;
  guint                server_interval_ms;  /* 0: the server sends at ours (or not known yet) */
  guint                reclaims;
} ActiveStream;

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_STATE,
  PROP_CONNECTED,
  PROP_NEXT_RETRY_TIME,
  PROP_RETRY_ATTEMPT,
  PROP_LAST_ERROR,
  PROP_RECONNECT,
  PROP_BACKOFF_INITIAL_MS,
  PROP_BACKOFF_MAX_MS,
  PROP_STABLE_AFTER_MS,
  PROP_PING_INTERVAL_MS,
  PROP_MAX_PAYLOAD_SIZE,
  PROP_QUEUE_LENGTH,
  PROP_DISPATCH_BUDGET_US,
  PROP_POLLING_FALLBACK,
  PROP_FETCH_WAVEFORMS,
  PROP_HANDSHAKE_TIMEOUT_MS,
  PROP_QUEUE_BYTES,
  PROP_TOTAL_QUEUE_BYTES,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE,
  SIGNAL_STREAM_DATA,
  SIGNAL_ACQUISITION_DATA,
  SIGNAL_EVENT,
  SIGNAL_SERVER_ERROR,
  SIGNAL_FRAME_ERROR,
  SIGNAL_STREAM_STATUS_CHANGED,
  SIGNAL_STREAM_INTERVAL_CHANGED,
  N_SIGNALS
};

/* lablink-stream-manager.c */
extern GParamSpec *_lablink_stream_manager_properties[N_PROPS];
extern guint _lablink_stream_manager_signals[N_SIGNALS];

struct _LablinkStreamManager
{
  GObject                 parent_instance;

  LablinkClient          *client;
  LablinkWsWorker        *worker;
  GSource                *dispatch_source;  /* frames, at idle priority */
  GSource                *control_source;   /* control items, at default priority */
  GCancellable           *cancellable;
  GHashTable             *active;           /* key → ActiveStream */
  GSource                *status_source;    /* ready at the next no-data deadline, if any */

  LablinkConnectionState  state;
  gint64                  next_retry;
  guint                   attempt;
  GError                 *last_error;     /* its message is the last-error property */
  GTask                  *connect_task;
  GCancellable           *connect_cancellable;  /* the caller's, while connect_task runs */
  gulong                  connect_cancelled_id;
  GPtrArray              *disconnect_tasks;

  gboolean                reconnect;
  guint                   backoff_initial_ms;
  guint                   backoff_max_ms;
  guint                   stable_after_ms;
  guint                   ping_interval_ms;
  guint                   max_payload_size;
  guint                   queue_length;
  guint64                 queue_bytes;
  guint64                 total_queue_bytes;
  guint                   dispatch_budget_us;
  gboolean                polling_fallback;
  gboolean                fetch_waveforms;
  guint                   handshake_timeout_ms;
  gboolean                clock_in_flight;  /* checking the server's clock */
};

/* lablink-stream-manager-connection.c */
gboolean _lablink_stream_manager_check_connected     (LablinkStreamManager  *self,
                                                      GError               **error);
void     _lablink_stream_manager_check_clock         (LablinkStreamManager  *self);
void     _lablink_stream_manager_update_state        (LablinkStreamManager  *self,
                                                      LablinkConnectionState entered,
                                                      const GError          *reported);
void     _lablink_stream_manager_connect_done        (LablinkStreamManager  *self,
                                                      GError                *error);
void     _lablink_stream_manager_stop_watching_cancellable (LablinkStreamManager *self);
void     _lablink_stream_manager_complete_disconnect_tasks (LablinkStreamManager *self);

/* lablink-stream-manager-dispatch.c */
void     _lablink_stream_manager_start_dispatch      (LablinkStreamManager  *self);
void     _lablink_stream_manager_emit_stream_data    (LablinkStreamManager  *self,
                                                      LablinkMessage        *message);
void     _lablink_stream_manager_emit_acquisition_data (LablinkStreamManager *self,
                                                        LablinkMessage       *message);
void     _lablink_stream_manager_emit_stream_status  (LablinkStreamManager  *self,
                                                      const char            *key,
                                                      LablinkStreamStatus    status);
void     _lablink_stream_manager_emit_server_interval (LablinkStreamManager *self,
                                                      const char            *key,
                                                      guint                  server_interval_ms);

/* lablink-stream-manager-streams.c */
void     _lablink_active_stream_free                 (gpointer               data);
void     _lablink_stream_manager_set_stream_status   (LablinkStreamManager  *self,
                                                      ActiveStream          *stream,
                                                      LablinkStreamStatus    status);
void     _lablink_stream_manager_deliver_stream_data (LablinkStreamManager  *self,
                                                      LablinkMessage        *message,
                                                      gboolean               from_socket);
void     _lablink_stream_manager_check_streams       (LablinkStreamManager  *self);
void     _lablink_stream_manager_schedule_check      (LablinkStreamManager  *self);

/* lablink-stream-manager-acquisition.c */
void     _lablink_stream_manager_poll_acquisition    (LablinkStreamManager  *self,
                                                      ActiveStream          *stream);
void     _lablink_stream_manager_acquisition_frame   (LablinkStreamManager  *self,
                                                      ActiveStream          *stream,
                                                      LablinkMessage        *message);
/* lablink-stream-manager-polling.c */
void     _lablink_poll_clock_start                   (LablinkPollClock      *clock,
                                                      gint64                 now);
gboolean _lablink_poll_clock_take                    (LablinkPollClock      *clock,
                                                      gint64                 now,
                                                      gint64                 interval_us);
void     _lablink_poll_clock_done                    (LablinkPollClock      *clock);
void     _lablink_stream_manager_start_polling       (LablinkStreamManager  *self,
                                                      ActiveStream          *stream);
void     _lablink_stream_manager_add_polled_stats    (LablinkStreamManager  *self,
                                                      LablinkStatistics     *stats);
void     _lablink_stream_manager_reset_polled_stats  (LablinkStreamManager  *self);

/* lablink-statistics.c */
void     lablink_statistics_add_polled               (LablinkStatistics     *stats,
                                                      const char            *key,
                                                      guint64                polled,
                                                      double                 rate_hz,
                                                      double                 last_age_s);

/* lablink-stream-manager-polling.c: what a REST poll's callback holds (the
 * manager weakly: a poll may answer after it is gone) */
typedef struct {
  GWeakRef  manager;
  char     *key;
  guint     requested;   /* acquisition polls: the samples asked for */
} PollData;

PollData *_lablink_poll_data_new                     (LablinkStreamManager  *self,
                                                      const char            *key);
void     _lablink_poll_data_free                     (gpointer               data);

/* lablink-stream-manager-sharing.c */
void     _lablink_stream_manager_note_frame          (LablinkStreamManager  *self,
                                                      ActiveStream          *stream,
                                                      LablinkMessage        *message);
void     _lablink_stream_manager_reset_sharing       (LablinkStreamManager  *self,
                                                      ActiveStream          *stream);
gboolean _lablink_stream_manager_should_reclaim      (LablinkStreamManager  *self,
                                                      ActiveStream          *stream);
void     _lablink_stream_manager_reclaim             (LablinkStreamManager  *self,
                                                      ActiveStream          *stream);

G_END_DECLS
