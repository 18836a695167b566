/* lablink-stream-manager-polling.c — the REST fallback of a silent equipment stream
 *
 * An equipment stream the server acknowledged but never delivers (the
 * released LabLink 1.2.5's readings) is polled through
 * `GET /api/data/{id}/snapshot` at the stream's interval: requests are due
 * at deadlines one interval apart (not "answer + interval", which runs at a
 * fraction of the rate when a request takes a while), one in flight at a
 * time (a slow server is asked back to back, never by a growing pile of
 * requests, and after a stall there is one request, not a burst). The
 * values are delivered as `stream-data` marked `"polled": true`, only while
 * the stream is POLLING, and counted in the statistics. Each answer is
 * decoded from its text by the frame decoder (lablink-message-rest.c), as a
 * frame would be: no JSON tree, no text written back from one.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "lablink-client-private.h"
#include "lablink-message-private.h"
#include "lablink-stream-manager-private.h"

/* ------------------------------------------------------------------------ */
/* The schedule, apart from any clock or I/O                                 */

/* Polling starts: the first request is due at once. */
void
_lablink_poll_clock_start (LablinkPollClock *clock,
                           gint64            now)
{
  clock->deadline = now;
}

/* Whether a request goes out at @now: it is due and none is in flight. If
 * so it is in flight and the next is due one interval after this one's
 * deadline — or at once when this one is later than that (the requests
 * then follow each other; missed deadlines are not made up). */
gboolean
_lablink_poll_clock_take (LablinkPollClock *clock,
                          gint64            now,
                          gint64            interval_us)
{
  if (clock->in_flight || now < clock->deadline)
    return FALSE;

  clock->in_flight = TRUE;
  clock->deadline = MAX (clock->deadline + interval_us, now);
  return TRUE;
}

/* The request in flight was answered (or failed). */
void
_lablink_poll_clock_done (LablinkPollClock *clock)
{
  clock->in_flight = FALSE;
}

/* ------------------------------------------------------------------------ */
/* Requests                                                                  */

void
_lablink_poll_data_free (gpointer data)
{
  PollData *poll = data;

  g_weak_ref_clear (&poll->manager);
  g_free (poll->key);
  g_free (poll);
}

PollData *
_lablink_poll_data_new (LablinkStreamManager *self,
                        const char           *key)
{
  PollData *poll = g_new0 (PollData, 1);

  g_weak_ref_init (&poll->manager, self);
  poll->key = g_strdup (key);
  return poll;
}

static void poll_next (LablinkStreamManager *self,
                       ActiveStream         *stream);

static void
count_polled (ActiveStream *stream)
{
  stream->polled++;
  stream->polled_arrivals[stream->polled_pos] = g_get_monotonic_time ();
  stream->polled_pos = (stream->polled_pos + 1) % POLL_N_ARRIVALS;
  stream->n_polled_arrivals = MIN (stream->n_polled_arrivals + 1, POLL_N_ARRIVALS);
}

static void
deliver_snapshot (LablinkStreamManager *self,
                  ActiveStream         *stream,
                  GBytes               *body)
{
  g_autoptr(LablinkMessage) message = NULL;
  g_autoptr(GError) parse_error = NULL;
  gsize length = 0;
  const char *text = g_bytes_get_data (body, &length);

  {
    LablinkNaiveZone previous = _lablink_client_push_server_zone (self->client);

    /* Straight from the answer's text, bare NaN included: no JSON tree. */
    message = lablink_message_parse_snapshot_answer (stream->equipment_id, stream->stream_type,
                                                     text != NULL ? text : "", length, &parse_error);
    _lablink_naive_zone_pop (previous);
  }
  if (message == NULL)
    {
      g_debug ("Stream %s: polled snapshot not understood: %s", stream->key, parse_error->message);
      lablink_ws_worker_count_error (self->worker, LABLINK_ERROR_KIND_REST);
      return;
    }
  count_polled (stream);
  _lablink_stream_manager_deliver_stream_data (self, message, FALSE);
}

static void
poll_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  PollData *poll = data;
  g_autoptr(LablinkStreamManager) self = g_weak_ref_get (&poll->manager);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  ActiveStream *stream;

  body = _lablink_client_finish_pointer (LABLINK_CLIENT (source), result, poll_cb, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;

  stream = g_hash_table_lookup (self->active, poll->key);
  if (stream == NULL)
    goto out;
  _lablink_poll_clock_done (&stream->poll_clock);

  if (body == NULL)
    lablink_ws_worker_count_error (self->worker, LABLINK_ERROR_KIND_REST);
  else if (stream->status == LABLINK_STREAM_STATUS_POLLING)
    deliver_snapshot (self, stream, body);   /* never once frames came back */

  /* The handlers may have stopped it. */
  stream = g_hash_table_lookup (self->active, poll->key);
  if (stream != NULL && stream->status == LABLINK_STREAM_STATUS_POLLING)
    poll_next (self, stream);

out:
  _lablink_poll_data_free (poll);
}

/* `GET /api/data/{id}/snapshot?data_type=…` (as
 * lablink_client_get_snapshot_async()), answered with the body's text. */
static void
request_snapshot (LablinkStreamManager *self,
                  ActiveStream         *stream)
{
  g_autofree char *escaped_type = g_uri_escape_string (stream->stream_type, NULL, FALSE);
  g_autofree char *suffix = g_strconcat ("/snapshot?data_type=", escaped_type, NULL);

  _lablink_client_start_id_request (self->client, "GET", "/api/data/", stream->equipment_id, suffix,
                                    "equipment id", LABLINK_RESULT_BYTES, self->cancellable, poll_cb,
                                    poll_cb, _lablink_poll_data_new (self, stream->key));
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
  if (stream == NULL)
    return G_SOURCE_REMOVE;

  stream->poll_source = 0;
  if (stream->status == LABLINK_STREAM_STATUS_POLLING)
    poll_next (self, stream);
  return G_SOURCE_REMOVE;
}

/* Send the request that is due, or wait for its deadline; nothing while one
 * is in flight (its answer comes back here). */
static void
poll_next (LablinkStreamManager *self,
           ActiveStream         *stream)
{
  gint64 now = g_get_monotonic_time ();
  gint64 interval_us = (gint64) MAX (stream->interval_ms, 1) * 1000;

  g_clear_handle_id (&stream->poll_source, g_source_remove);

  if (self->state != LABLINK_CONNECTION_CONNECTED || stream->poll_clock.in_flight)
    return;

  if (_lablink_poll_clock_take (&stream->poll_clock, now, interval_us))
    {
      request_snapshot (self, stream);
      return;
    }

  stream->poll_source = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                            (guint) ((stream->poll_clock.deadline - now + 999) / 1000),
                                            poll_timeout_cb, _lablink_poll_data_new (self, stream->key),
                                            _lablink_poll_data_free);
}

/* Forget the polled values counted (lablink_stream_manager_reset_statistics()). */
void
_lablink_stream_manager_reset_polled_stats (LablinkStreamManager *self)
{
  GHashTableIter iter;
  ActiveStream *stream;

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stream))
    {
      stream->polled = 0;
      stream->n_polled_arrivals = 0;
    }
}

/* @stream just turned POLLING. */
void
_lablink_stream_manager_start_polling (LablinkStreamManager *self,
                                       ActiveStream         *stream)
{
  _lablink_poll_clock_start (&stream->poll_clock, g_get_monotonic_time ());
  poll_next (self, stream);
}

/* The polled values in @stats: counted with the frames of their stream
 * (messages, rate) and on their own. */
void
_lablink_stream_manager_add_polled_stats (LablinkStreamManager *self,
                                          LablinkStatistics    *stats)
{
  GHashTableIter iter;
  ActiveStream *stream;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stream))
    {
      guint newest = (stream->polled_pos + POLL_N_ARRIVALS - 1) % POLL_N_ARRIVALS;
      double rate = 0;

      if (stream->polled == 0)
        continue;

      if (stream->n_polled_arrivals >= 2)
        {
          guint oldest = stream->n_polled_arrivals < POLL_N_ARRIVALS ? 0 : stream->polled_pos;
          double n = stream->n_polled_arrivals - 1;
          double span = stream->polled_arrivals[newest] - stream->polled_arrivals[oldest];

          /* Polling that ended decays towards zero, like a quiet stream. */
          if (span > 0 && now - stream->polled_arrivals[newest] > 2 * span / n)
            span = now - stream->polled_arrivals[oldest];
          if (span > 0)
            rate = n * G_USEC_PER_SEC / span;
        }
      lablink_statistics_add_polled (stats, stream->key, stream->polled, rate,
                                     (now - stream->polled_arrivals[newest]) / (double) G_USEC_PER_SEC);
    }
}
