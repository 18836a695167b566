/* lablink-statistics.c — a snapshot of a stream manager's counters
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-statistics.h"
#include "lablink-ws-worker-private.h"
#include "lablink-stream-manager-private.h"

struct _LablinkStatistics
{
  gatomicrefcount ref_count;
  guint64         messages_received;
  guint64         messages_sent;
  guint64         bytes_received;
  guint64         bytes_sent;
  guint64         errors[LABLINK_N_ERROR_KINDS];
  guint64         dropped;
  guint           reconnects;
  double          ping_latency_ms;
  double          uptime_s;
  GArray         *streams;   /* LablinkStreamStatsEntry */
};

G_DEFINE_BOXED_TYPE (LablinkStatistics, lablink_statistics, lablink_statistics_ref, lablink_statistics_unref)

static void
clear_entry (gpointer data)
{
  LablinkStreamStatsEntry *entry = data;
  g_free (entry->key);
}

LablinkStatistics *
lablink_statistics_new (void)
{
  LablinkStatistics *self = g_new0 (LablinkStatistics, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->streams = g_array_new (FALSE, TRUE, sizeof (LablinkStreamStatsEntry));
  g_array_set_clear_func (self->streams, clear_entry);
  return self;
}

/**
 * lablink_statistics_ref:
 * @self: a #LablinkStatistics
 *
 * Returns: (transfer full): @self
 */
LablinkStatistics *
lablink_statistics_ref (LablinkStatistics *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * lablink_statistics_unref:
 * @self: (transfer full): a #LablinkStatistics
 */
void
lablink_statistics_unref (LablinkStatistics *self)
{
  g_return_if_fail (self != NULL);
  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_array_unref (self->streams);
      g_free (self);
    }
}

void
lablink_statistics_set_counters (LablinkStatistics *self,
                                 guint64            messages_received,
                                 guint64            messages_sent,
                                 guint64            bytes_received,
                                 guint64            bytes_sent,
                                 const guint64     *errors,
                                 guint64            dropped,
                                 guint              reconnects,
                                 double             ping_latency_ms,
                                 double             uptime_s)
{
  self->messages_received = messages_received;
  self->messages_sent = messages_sent;
  self->bytes_received = bytes_received;
  self->bytes_sent = bytes_sent;
  memcpy (self->errors, errors, sizeof self->errors);
  self->dropped = dropped;
  self->reconnects = reconnects;
  self->ping_latency_ms = ping_latency_ms;
  self->uptime_s = uptime_s;
}

void
lablink_statistics_add_stream (LablinkStatistics             *self,
                               const LablinkStreamStatsEntry *entry)
{
  LablinkStreamStatsEntry copy = *entry;

  copy.key = g_strdup (entry->key);
  g_array_append_val (self->streams, copy);
}

/**
 * lablink_statistics_get_messages_received:
 * @self: a #LablinkStatistics
 *
 * Returns: frames received, good and bad
 */
guint64
lablink_statistics_get_messages_received (LablinkStatistics *self)
{
  return self->messages_received;
}

/**
 * lablink_statistics_get_messages_sent:
 * @self: a #LablinkStatistics
 *
 * Returns: frames sent
 */
guint64
lablink_statistics_get_messages_sent (LablinkStatistics *self)
{
  return self->messages_sent;
}

/**
 * lablink_statistics_get_bytes_received:
 * @self: a #LablinkStatistics
 *
 * Returns: payload bytes received
 */
guint64
lablink_statistics_get_bytes_received (LablinkStatistics *self)
{
  return self->bytes_received;
}

/**
 * lablink_statistics_get_bytes_sent:
 * @self: a #LablinkStatistics
 *
 * Returns: payload bytes sent
 */
guint64
lablink_statistics_get_bytes_sent (LablinkStatistics *self)
{
  return self->bytes_sent;
}

/**
 * lablink_statistics_get_errors:
 * @self: a #LablinkStatistics
 * @kind: the kind
 *
 * Returns: errors of @kind
 */
guint64
lablink_statistics_get_errors (LablinkStatistics *self,
                               LablinkErrorKind   kind)
{
  g_return_val_if_fail (kind < LABLINK_N_ERROR_KINDS, 0);
  return self->errors[kind];
}

/**
 * lablink_statistics_get_errors_total:
 * @self: a #LablinkStatistics
 *
 * Returns: errors of every kind
 */
guint64
lablink_statistics_get_errors_total (LablinkStatistics *self)
{
  guint64 total = 0;
  guint i;

  for (i = 0; i < LABLINK_N_ERROR_KINDS; i++)
    total += self->errors[i];
  return total;
}

/**
 * lablink_statistics_get_dropped:
 * @self: a #LablinkStatistics
 *
 * Returns: messages dropped because the consumer fell behind
 */
guint64
lablink_statistics_get_dropped (LablinkStatistics *self)
{
  return self->dropped;
}

/**
 * lablink_statistics_get_reconnects:
 * @self: a #LablinkStatistics
 *
 * Returns: how often the link was re-established after a loss
 */
guint
lablink_statistics_get_reconnects (LablinkStatistics *self)
{
  return self->reconnects;
}

/**
 * lablink_statistics_get_ping_latency_ms:
 * @self: a #LablinkStatistics
 *
 * Returns: the last ping → pong round trip, in ms (0 before the first)
 */
double
lablink_statistics_get_ping_latency_ms (LablinkStatistics *self)
{
  return self->ping_latency_ms;
}

/**
 * lablink_statistics_get_uptime_s:
 * @self: a #LablinkStatistics
 *
 * Returns: how long the current link has been up, in seconds
 */
double
lablink_statistics_get_uptime_s (LablinkStatistics *self)
{
  return self->uptime_s;
}

/**
 * lablink_statistics_get_stream_keys:
 * @self: a #LablinkStatistics
 *
 * Every stream seen or started, active ones included.
 *
 * Returns: (transfer full) (array zero-terminated=1): the stream keys
 */
char **
lablink_statistics_get_stream_keys (LablinkStatistics *self)
{
  char **keys = g_new0 (char *, self->streams->len + 1);
  guint i;

  for (i = 0; i < self->streams->len; i++)
    keys[i] = g_strdup (g_array_index (self->streams, LablinkStreamStatsEntry, i).key);
  return keys;
}

/**
 * lablink_statistics_get_n_active_streams:
 * @self: a #LablinkStatistics
 *
 * Returns: the streams this client runs
 */
guint
lablink_statistics_get_n_active_streams (LablinkStatistics *self)
{
  guint n = 0, i;

  for (i = 0; i < self->streams->len; i++)
    n += g_array_index (self->streams, LablinkStreamStatsEntry, i).active;
  return n;
}

/**
 * lablink_statistics_get_stream:
 * @self: a #LablinkStatistics
 * @stream_key: a stream key
 * @messages: (out) (optional): frames received for it, and values polled
 *   for it (lablink_statistics_get_stream_polled())
 * @dropped: (out) (optional): frames dropped because the consumer fell behind
 * @rate_hz: (out) (optional): measured message rate
 * @last_age_s: (out) (optional): seconds since its last frame (-1: never)
 * @status: (out) (optional): its status
 *
 * Returns: %TRUE if the stream is known
 */
gboolean
lablink_statistics_get_stream (LablinkStatistics   *self,
                               const char          *stream_key,
                               guint64             *messages,
                               guint64             *dropped,
                               double              *rate_hz,
                               double              *last_age_s,
                               LablinkStreamStatus *status)
{
  guint i;

  for (i = 0; i < self->streams->len; i++)
    {
      const LablinkStreamStatsEntry *e = &g_array_index (self->streams, LablinkStreamStatsEntry, i);

      if (g_strcmp0 (e->key, stream_key) != 0)
        continue;
      if (messages)
        *messages = e->messages;
      if (dropped)
        *dropped = e->dropped;
      if (rate_hz)
        *rate_hz = e->rate_hz;
      if (last_age_s)
        *last_age_s = e->last_age_s;
      if (status)
        *status = e->status;
      return TRUE;
    }

  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* LablinkLatency                                                            */

#define LATENCY_BUCKET_US 250                 /* resolution */
#define LATENCY_N_BUCKETS 4000                /* up to 1 s; the last also holds longer ones */

struct _LablinkLatency
{
  gatomicrefcount ref_count;
  guint64         count;
  guint32         buckets[LATENCY_N_BUCKETS];
};

G_DEFINE_BOXED_TYPE (LablinkLatency, lablink_latency, lablink_latency_ref, lablink_latency_unref)

/**
 * lablink_latency_new:
 *
 * A histogram of latencies, in 250 µs steps up to 1 s (longer ones count
 * as 1 s), for the time from a frame's send to its value on screen. Not
 * thread-safe: one thread records and reads it.
 *
 * Returns: (transfer full): an empty histogram
 */
LablinkLatency *
lablink_latency_new (void)
{
  LablinkLatency *self = g_new0 (LablinkLatency, 1);

  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

/**
 * lablink_latency_ref:
 * @self: a #LablinkLatency
 *
 * Returns: (transfer full): @self
 */
LablinkLatency *
lablink_latency_ref (LablinkLatency *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * lablink_latency_unref:
 * @self: (transfer full): a #LablinkLatency
 */
void
lablink_latency_unref (LablinkLatency *self)
{
  g_return_if_fail (self != NULL);
  if (g_atomic_ref_count_dec (&self->ref_count))
    g_free (self);
}

/**
 * lablink_latency_record:
 * @self: a #LablinkLatency
 * @usec: a latency in microseconds (negative, from clocks apart, counts as 0)
 */
void
lablink_latency_record (LablinkLatency *self,
                        gint64          usec)
{
  gint64 bucket;

  g_return_if_fail (self != NULL);
  bucket = MAX (usec, 0) / LATENCY_BUCKET_US;
  self->buckets[MIN (bucket, LATENCY_N_BUCKETS - 1)]++;
  self->count++;
}

/**
 * lablink_latency_reset:
 * @self: a #LablinkLatency
 */
void
lablink_latency_reset (LablinkLatency *self)
{
  g_return_if_fail (self != NULL);
  memset (self->buckets, 0, sizeof self->buckets);
  self->count = 0;
}

/**
 * lablink_latency_get_count:
 * @self: a #LablinkLatency
 *
 * Returns: how many latencies were recorded
 */
guint64
lablink_latency_get_count (LablinkLatency *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->count;
}

/**
 * lablink_latency_get_percentile:
 * @self: a #LablinkLatency
 * @fraction: from 0 to 1 (0.5: the median, 0.99: p99)
 *
 * Returns: the latency in microseconds below which @fraction of those
 *   recorded fall (the upper edge of its 250 µs step), or -1 if none was
 */
gint64
lablink_latency_get_percentile (LablinkLatency *self,
                                double          fraction)
{
  guint64 rank, seen = 0;
  guint i;

  g_return_val_if_fail (self != NULL, -1);
  if (self->count == 0)
    return -1;

  rank = (guint64) (CLAMP (fraction, 0.0, 1.0) * (double) self->count + 0.5);
  rank = CLAMP (rank, 1, self->count);
  for (i = 0; i < LATENCY_N_BUCKETS; i++)
    {
      seen += self->buckets[i];
      if (seen >= rank)
        break;
    }
  return (gint64) (MIN (i, LATENCY_N_BUCKETS - 1) + 1) * LATENCY_BUCKET_US;
}

/* The manager's polled values of @key: counted as its messages and in its
 * rate, and on their own. */
void
lablink_statistics_add_polled (LablinkStatistics *self,
                               const char        *key,
                               guint64            polled,
                               double             rate_hz,
                               double             last_age_s)
{
  LablinkStreamStatsEntry *e = NULL;
  guint i;

  for (i = 0; i < self->streams->len && e == NULL; i++)
    if (g_strcmp0 (g_array_index (self->streams, LablinkStreamStatsEntry, i).key, key) == 0)
      e = &g_array_index (self->streams, LablinkStreamStatsEntry, i);

  if (e == NULL)
    {
      LablinkStreamStatsEntry entry = { (char *) key, .last_age_s = -1, .status = LABLINK_STREAM_STATUS_POLLING,
                                        .active = TRUE };

      lablink_statistics_add_stream (self, &entry);
      e = &g_array_index (self->streams, LablinkStreamStatsEntry, self->streams->len - 1);
    }

  e->messages += polled;
  e->rate_hz += rate_hz;
  e->polled = polled;
  e->polled_rate_hz = rate_hz;
  if (e->last_age_s < 0 || last_age_s < e->last_age_s)
    e->last_age_s = last_age_s;
}

/**
 * lablink_statistics_get_stream_polled:
 * @self: a #LablinkStatistics
 * @stream_key: a stream key
 * @polled: (out) (optional): of its messages, the values that came from
 *   REST polls (the polling fallback)
 * @rate_hz: (out) (optional): of its rate, that of the polled values
 *
 * Returns: %TRUE if the stream is known
 */
gboolean
lablink_statistics_get_stream_polled (LablinkStatistics *self,
                                      const char        *stream_key,
                                      guint64           *polled,
                                      double            *rate_hz)
{
  guint i;

  for (i = 0; i < self->streams->len; i++)
    {
      const LablinkStreamStatsEntry *e = &g_array_index (self->streams, LablinkStreamStatsEntry, i);

      if (g_strcmp0 (e->key, stream_key) != 0)
        continue;
      if (polled)
        *polled = e->polled;
      if (rate_hz)
        *rate_hz = e->polled_rate_hz;
      return TRUE;
    }

  return FALSE;
}
