/* lablink-stream-manager-acquisition.c — acquisitions the server does not stream
 *
 * The released LabLink 1.2.5 acknowledges `start_acquisition_stream` for an
 * acquisition created over REST and then never sends a frame (its WebSocket
 * side does not know such acquisitions). When an acquisition stream stays
 * silent for about three intervals (see lablink-stream-manager-streams.c),
 * the manager fetches `GET /api/acquisition/session/{id}/data` at the
 * stream's interval, one request in flight, and delivers each answer as an
 * `acquisition_stream` message (with `"polled": true`) through
 * LablinkStreamManager::acquisition-data, exactly where the frames would
 * have gone: the latest window of samples, which consumers merge by
 * timestamp as they merge the stream's overlapping windows (no sample
 * twice). No sample is lost between two polls either: when an answer is a
 * full window that does not reach back to the newest sample already
 * delivered (by a poll or a frame), it is not delivered but asked again at
 * once with twice the window, up to four stream windows (beyond, a hole is
 * left to the consumer, e.g. a capture's backfill). The first frame
 * from the socket ends the polling (the stream is running again).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-client-private.h"
#include "lablink-stream-manager-private.h"

/* The largest window asked for (LabLink's largest acquisition buffer). */
#define MAX_POLL_SAMPLES 1000000
#define MIN_POLL_INTERVAL_MS 20
#define MAX_POLL_GROWTH      4


/* How far a window asked over REST may grow: a few stream windows (an
 * answer of a million samples is ~50 MB of JSON, seconds for a server to
 * write and a client to parse, which would only make the next poll later). */
static guint
max_poll_samples (ActiveStream *stream)
{
  return (guint) MIN ((guint64) MAX (stream->num_samples, 1) * MAX_POLL_GROWTH, MAX_POLL_SAMPLES);
}

static void request_data (LablinkStreamManager *self,
                          ActiveStream         *stream);

static void
data_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  PollData *poll = user_data;
  g_autoptr(LablinkStreamManager) self = g_weak_ref_get (&poll->manager);
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkMessage) message = NULL;
  ActiveStream *stream;
  const gint64 *times;
  gsize n = 0;

  /* Decoded off this thread, from the answer's text (no JSON tree). */
  message = lablink_client_get_acquisition_window_finish (LABLINK_CLIENT (source), result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;

  stream = g_hash_table_lookup (self->active, poll->key);
  if (stream == NULL)
    goto out;
  stream->poll_clock.in_flight = FALSE;
  if (stream->status != LABLINK_STREAM_STATUS_POLLING)
    goto out;   /* frames came meanwhile: they have it */

  /* No sample times: the answer had no "data" object. */
  times = message != NULL ? lablink_message_get_sample_times (message, &n) : NULL;
  if (times == NULL)
    {
      /* 1.2.5 answers 500 text/plain for a window holding NaN. */
      g_debug ("Acquisition %s: no data over REST: %s", stream->acquisition_id,
               error != NULL ? error->message : "not a data answer");
      lablink_ws_worker_count_error (self->worker, LABLINK_ERROR_KIND_REST);
      goto out;
    }

  if (n == 0)
    {
      _lablink_stream_manager_emit_acquisition_data (self, message);  /* invalid samples, if any, are counted */
      goto out;
    }

  if (stream->poll_newest != G_MININT64 && times[0] > stream->poll_newest &&
      n >= poll->requested && poll->requested < max_poll_samples (stream))
    {
      /* A full window that does not reach back to what was delivered: more
       * came since than the window holds. Ask for more, now. */
      stream->poll_samples = (guint) MIN ((guint64) poll->requested * 2, max_poll_samples (stream));
      g_debug ("Acquisition %s: polled window of %u too short, asking %u", stream->acquisition_id,
               poll->requested, stream->poll_samples);
      request_data (self, stream);
      goto out;
    }

  if (times[n - 1] > stream->poll_newest)
    stream->poll_newest = times[n - 1];
  _lablink_stream_manager_emit_acquisition_data (self, message);

out:
  _lablink_poll_data_free (poll);
}

static void
request_data (LablinkStreamManager *self,
              ActiveStream         *stream)
{
  PollData *poll = _lablink_poll_data_new (self, stream->key);

  poll->requested = MAX (stream->poll_samples, 1);
  stream->poll_clock.in_flight = TRUE;
  lablink_client_get_acquisition_window_async (self->client, stream->acquisition_id, poll->requested,
                                               self->cancellable, data_cb, poll);
}

static gboolean
poll_timeout_cb (gpointer data)
{
  PollData *poll = data;
  g_autoptr(LablinkStreamManager) self = g_weak_ref_get (&poll->manager);
  ActiveStream *stream;

  if (self == NULL)
    return G_SOURCE_REMOVE;

  stream = g_hash_table_lookup (self->active, poll->key);
  if (stream == NULL || self->state != LABLINK_CONNECTION_CONNECTED)
    return G_SOURCE_CONTINUE;

  if (!stream->poll_clock.in_flight)
    request_data (self, stream);
  return G_SOURCE_CONTINUE;
}

/* @stream, an acquisition stream, stayed silent: fetch its samples over
 * REST at its interval until frames come (status POLLING). */
void
_lablink_stream_manager_poll_acquisition (LablinkStreamManager *self,
                                          ActiveStream         *stream)
{
  PollData *poll = _lablink_poll_data_new (self, stream->key);

  g_debug ("Acquisition %s: the server sends no frames, polling its data", stream->acquisition_id);
  _lablink_stream_manager_set_stream_status (self, stream, LABLINK_STREAM_STATUS_POLLING);
  g_clear_handle_id (&stream->poll_source, g_source_remove);
  stream->poll_source = g_timeout_add_full (G_PRIORITY_DEFAULT, MAX (stream->interval_ms, MIN_POLL_INTERVAL_MS),
                                            poll_timeout_cb, poll, _lablink_poll_data_free);
  poll_timeout_cb (poll);
}

/* A frame of @stream came from the socket: it is running (again), polling
 * (if any) ends. */
void
_lablink_stream_manager_acquisition_frame (LablinkStreamManager *self,
                                           ActiveStream         *stream,
                                           LablinkMessage       *message)
{
  gsize n = 0;
  const gint64 *times = lablink_message_get_sample_times (message, &n);

  if (times != NULL && n > 0 && times[n - 1] > stream->poll_newest)
    stream->poll_newest = times[n - 1];

  if (stream->status != LABLINK_STREAM_STATUS_RUNNING)
    {
      if (stream->status == LABLINK_STREAM_STATUS_POLLING)
        g_debug ("Acquisition %s: frames again, polling ends", stream->acquisition_id);
      g_clear_handle_id (&stream->poll_source, g_source_remove);
      _lablink_stream_manager_set_stream_status (self, stream, LABLINK_STREAM_STATUS_RUNNING);
    }
}
