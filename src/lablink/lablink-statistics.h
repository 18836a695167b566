/* lablink-statistics.h — a snapshot of a stream manager's counters
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include <glib-object.h>

#include "lablink-version-macros.h"

G_BEGIN_DECLS

/**
 * LablinkErrorKind:
 * @LABLINK_ERROR_KIND_MALFORMED: frames that were not valid JSON / UTF-8
 * @LABLINK_ERROR_KIND_INVALID: frames with wrong or missing fields, or not objects
 * @LABLINK_ERROR_KIND_TOO_LARGE: frames over the size or depth limit
 * @LABLINK_ERROR_KIND_BINARY: binary frames
 * @LABLINK_ERROR_KIND_SERVER: `error` messages sent by the server
 * @LABLINK_ERROR_KIND_CONNECTION: failed connection attempts and lost links
 * @LABLINK_ERROR_KIND_REST: failed REST requests made by the manager (capture, snapshot)
 */
typedef enum {
  LABLINK_ERROR_KIND_MALFORMED,
  LABLINK_ERROR_KIND_INVALID,
  LABLINK_ERROR_KIND_TOO_LARGE,
  LABLINK_ERROR_KIND_BINARY,
  LABLINK_ERROR_KIND_SERVER,
  LABLINK_ERROR_KIND_CONNECTION,
  LABLINK_ERROR_KIND_REST,
  LABLINK_N_ERROR_KINDS
} LablinkErrorKind;

/**
 * LablinkStreamStatus:
 * @LABLINK_STREAM_STATUS_STARTING: requested, no data yet
 * @LABLINK_STREAM_STATUS_RUNNING: frames arrive
 * @LABLINK_STREAM_STATUS_NO_DATA: acknowledged or started, but silent for ~3 intervals
 * @LABLINK_STREAM_STATUS_POLLING: silent over WebSocket; values come from REST polling
 * @LABLINK_STREAM_STATUS_STOPPED: not active (received because another client started it)
 */
typedef enum {
  LABLINK_STREAM_STATUS_STARTING,
  LABLINK_STREAM_STATUS_RUNNING,
  LABLINK_STREAM_STATUS_NO_DATA,
  LABLINK_STREAM_STATUS_POLLING,
  LABLINK_STREAM_STATUS_STOPPED,
} LablinkStreamStatus;

typedef struct _LablinkStatistics LablinkStatistics;

#define LABLINK_TYPE_STATISTICS (lablink_statistics_get_type ())
LABLINK_AVAILABLE_IN_ALL
GType               lablink_statistics_get_type            (void) G_GNUC_CONST;

LABLINK_AVAILABLE_IN_ALL
LablinkStatistics  *lablink_statistics_ref                 (LablinkStatistics *self);
LABLINK_AVAILABLE_IN_ALL
void                lablink_statistics_unref               (LablinkStatistics *self);

LABLINK_AVAILABLE_IN_ALL
guint64             lablink_statistics_get_messages_received (LablinkStatistics *self);
LABLINK_AVAILABLE_IN_ALL
guint64             lablink_statistics_get_messages_sent     (LablinkStatistics *self);
LABLINK_AVAILABLE_IN_ALL
guint64             lablink_statistics_get_bytes_received    (LablinkStatistics *self);
LABLINK_AVAILABLE_IN_ALL
guint64             lablink_statistics_get_bytes_sent        (LablinkStatistics *self);
LABLINK_AVAILABLE_IN_ALL
guint64             lablink_statistics_get_errors            (LablinkStatistics *self,
                                                              LablinkErrorKind   kind);
LABLINK_AVAILABLE_IN_ALL
guint64             lablink_statistics_get_errors_total      (LablinkStatistics *self);
LABLINK_AVAILABLE_IN_ALL
guint64             lablink_statistics_get_dropped           (LablinkStatistics *self);
LABLINK_AVAILABLE_IN_ALL
guint               lablink_statistics_get_reconnects        (LablinkStatistics *self);
LABLINK_AVAILABLE_IN_ALL
double              lablink_statistics_get_ping_latency_ms   (LablinkStatistics *self);
LABLINK_AVAILABLE_IN_ALL
double              lablink_statistics_get_uptime_s          (LablinkStatistics *self);
LABLINK_AVAILABLE_IN_ALL
char              **lablink_statistics_get_stream_keys       (LablinkStatistics *self);
LABLINK_AVAILABLE_IN_ALL
guint               lablink_statistics_get_n_active_streams  (LablinkStatistics *self);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_statistics_get_stream            (LablinkStatistics *self,
                                                              const char        *stream_key,
                                                              guint64           *messages,
                                                              guint64           *dropped,
                                                              double            *rate_hz,
                                                              double            *last_age_s,
                                                              LablinkStreamStatus *status);

LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_statistics_get_stream_polled     (LablinkStatistics *self,
                                                              const char        *stream_key,
                                                              guint64           *polled,
                                                              double            *rate_hz);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LablinkStatistics, lablink_statistics_unref)

/* A histogram of latencies (send → screen), kept by whoever measures them. */
typedef struct _LablinkLatency LablinkLatency;

#define LABLINK_TYPE_LATENCY (lablink_latency_get_type ())
LABLINK_AVAILABLE_IN_ALL
GType               lablink_latency_get_type               (void) G_GNUC_CONST;
LABLINK_AVAILABLE_IN_ALL
LablinkLatency     *lablink_latency_new                    (void);
LABLINK_AVAILABLE_IN_ALL
LablinkLatency     *lablink_latency_ref                    (LablinkLatency    *self);
LABLINK_AVAILABLE_IN_ALL
void                lablink_latency_unref                  (LablinkLatency    *self);
LABLINK_AVAILABLE_IN_ALL
void                lablink_latency_record                 (LablinkLatency    *self,
                                                              gint64             usec);
LABLINK_AVAILABLE_IN_ALL
void                lablink_latency_reset                  (LablinkLatency    *self);
LABLINK_AVAILABLE_IN_ALL
guint64             lablink_latency_get_count              (LablinkLatency    *self);
LABLINK_AVAILABLE_IN_ALL
gint64              lablink_latency_get_percentile         (LablinkLatency    *self,
                                                              double             fraction);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LablinkLatency, lablink_latency_unref)

G_END_DECLS
