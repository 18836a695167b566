/* lablink-stream-manager-sharing.c — living with the other clients of a stream
 *
 * A LabLink server runs one task per (equipment, stream type) for all its
 * clients: any client's start_stream replaces the interval for everyone,
 * any client's stop_stream stops it for everyone (and only the asker hears
 * stream_stopped). Here a LablinkStreamManager measures the cadence the
 * server really sends an equipment stream at and says when it is another
 * than ours (::stream-interval-changed), re-claims a stream that went silent
 * after having delivered (someone stopped it) and re-claims on request.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "lablink-error.h"
#include "lablink-protocol.h"
#include "lablink-stream-manager-private.h"

/* Gaps needed before the cadence is judged. */
#define MIN_GAPS 4

/* The frame's time: the server's own (its `data.timestamp`, immune to our
 * load) or, without one, when we handle it. Differences only are used, so
 * the server's zone does not matter. */
static gint64
frame_time (LablinkMessage *message)
{
  gint64 t;

  if (lablink_message_get_timestamp (message, "data.timestamp", &t))
    return t;
  return g_get_monotonic_time ();
}

static int
compare_uint (const void *a,
              const void *b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : x > y;
}

static void
set_server_interval (LablinkStreamManager *self,
                     ActiveStream         *stream,
                     guint                 server_interval_ms)
{
  if (stream->server_interval_ms == server_interval_ms)
    return;
  stream->server_interval_ms = server_interval_ms;
  _lablink_stream_manager_emit_server_interval (self, stream->key, server_interval_ms);
}

/* A cadence rounded as people say it: 10 ms steps below 1 s, then 100 ms. */
static guint
round_interval (guint ms)
{
  guint step = ms < 1000 ? 10 : 100;
  return MAX (step, (ms + step / 2) / step * step);
}

/* Another interval than ours: faster than 0.7 of it (reading the instrument
 * only ever adds to an interval), or slower than 1.25 of it plus 150 ms (what
 * reading takes: the real server sends a 100 ms stream every ~111 ms, 200 ms
 * measurements every ~300 ms). */
static gboolean
is_other_interval (guint cadence_ms,
                   guint interval_ms)
{
  return (guint64) cadence_ms * 10 < (guint64) interval_ms * 7 ||
         (guint64) cadence_ms * 4 > (guint64) interval_ms * 5 + 600;
}

static void
judge_cadence (LablinkStreamManager *self,
               ActiveStream         *stream)
{
  guint sorted[SHARING_N_GAPS];
  guint median;

  if (stream->n_gaps < MIN_GAPS)
    return;

  memcpy (sorted, stream->gaps_ms, stream->n_gaps * sizeof (guint));
  qsort (sorted, stream->n_gaps, sizeof (guint), compare_uint);
  median = sorted[stream->n_gaps / 2];

  set_server_interval (self, stream,
                       is_other_interval (median, stream->interval_ms) ? round_interval (median) : 0);
}

/* A frame of @stream came over the socket. */
void
_lablink_stream_manager_note_frame (LablinkStreamManager *self,
                                    ActiveStream         *stream,
                                    LablinkMessage       *message)
{
  gint64 t;

  if (stream->acquisition)
    return;

  t = frame_time (message);
  if (stream->last_frame_time != 0 && t > stream->last_frame_time)
    {
      gint64 gap_ms = (t - stream->last_frame_time) / 1000;

      stream->gaps_ms[stream->gap_pos] = (guint) MIN (gap_ms, (gint64) G_MAXUINT);
      stream->gap_pos = (stream->gap_pos + 1) % SHARING_N_GAPS;
      stream->n_gaps = MIN (stream->n_gaps + 1, SHARING_N_GAPS);
      judge_cadence (self, stream);
    }
  stream->last_frame_time = t;
}

/* Forget what was measured: the stream was (re)started. */
void
_lablink_stream_manager_reset_sharing (LablinkStreamManager *self,
                                       ActiveStream         *stream)
{
  stream->last_frame_time = 0;
  stream->n_gaps = 0;
  stream->gap_pos = 0;
  set_server_interval (self, stream, 0);
}

/* @stream is silent: re-claim it if it delivered since it was last
 * (re)started — someone else stopped it — rather than fall back to
 * polling, which is for a server that never delivers it. */
gboolean
_lablink_stream_manager_should_reclaim (LablinkStreamManager *self,
                                        ActiveStream         *stream)
{
  return !stream->acquisition && stream->last_frame_time != 0 &&
         stream->status != LABLINK_STREAM_STATUS_POLLING;
}

/* Send our start_stream again (our interval, for every client). */
void
_lablink_stream_manager_reclaim (LablinkStreamManager *self,
                                 ActiveStream         *stream)
{
  g_debug ("Stream %s went silent after delivering: re-claiming it at %u ms", stream->key, stream->interval_ms);
  stream->reclaims++;
  stream->started_at = g_get_monotonic_time ();
  _lablink_stream_manager_reset_sharing (self, stream);
  lablink_ws_worker_send (self->worker,
                          lablink_protocol_build_start_stream (stream->equipment_id, stream->stream_type,
                                                               stream->interval_ms));
  _lablink_stream_manager_set_stream_status (self, stream, LABLINK_STREAM_STATUS_STARTING);
  _lablink_stream_manager_schedule_check (self);
}

/**
 * lablink_stream_manager_get_server_interval:
 * @self: a #LablinkStreamManager
 * @stream_key: the key of an equipment stream this manager runs
 *
 * The server runs one stream for all its clients: another client's
 * start_stream changes its interval for us too. This is the cadence the
 * server sends @stream_key at, measured from the frames' timestamps, when it
 * is clearly another than the interval we asked for; 0 while it sends at
 * ours (reading the instrument adds to an interval: 100 ms arrive every
 * ~111 ms) or while not enough frames came to tell. Changes are signalled
 * by #LablinkStreamManager::stream-interval-changed;
 * lablink_stream_manager_reclaim_stream() asks for ours again.
 *
 * Returns: the server's cadence in ms, or 0
 */
guint
lablink_stream_manager_get_server_interval (LablinkStreamManager *self,
                                            const char           *stream_key)
{
  ActiveStream *stream;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), 0);

  stream = stream_key ? g_hash_table_lookup (self->active, stream_key) : NULL;
  return stream ? stream->server_interval_ms : 0;
}

/**
 * lablink_stream_manager_get_reclaims:
 * @self: a #LablinkStreamManager
 * @stream_key: the key of a stream this manager runs
 *
 * Returns: how often @stream_key was re-claimed since it was started (after
 *   another client stopped it, or by lablink_stream_manager_reclaim_stream())
 */
guint
lablink_stream_manager_get_reclaims (LablinkStreamManager *self,
                                     const char           *stream_key)
{
  ActiveStream *stream;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), 0);

  stream = stream_key ? g_hash_table_lookup (self->active, stream_key) : NULL;
  return stream ? stream->reclaims : 0;
}

/**
 * lablink_stream_manager_reclaim_stream:
 * @self: a #LablinkStreamManager
 * @stream_key: the key of an equipment stream this manager runs
 * @error: return location for a #GError
 *
 * Sends our start_stream again, with our interval: the server then sends
 * at it to every client (another client may change it back).
 *
 * Returns: %TRUE if the request was sent
 */
gboolean
lablink_stream_manager_reclaim_stream (LablinkStreamManager  *self,
                                       const char            *stream_key,
                                       GError               **error)
{
  ActiveStream *stream;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), FALSE);

  if (!_lablink_stream_manager_check_connected (self, error))
    return FALSE;

  stream = stream_key ? g_hash_table_lookup (self->active, stream_key) : NULL;
  if (stream == NULL || stream->acquisition)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("No equipment stream %s is running"), stream_key ? stream_key : "");
      return FALSE;
    }

  _lablink_stream_manager_reclaim (self, stream);
  return TRUE;
}
