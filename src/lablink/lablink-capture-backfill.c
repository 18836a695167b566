/* lablink-capture-backfill.c — fetching what an outage missed over REST
 *
 * When the acquisition stream comes back after an outage, or a window does
 * not reach back to the last stored sample, the capture asks the server
 * (GET /api/acquisition/<id>/data) for the samples it still holds and
 * merges them in order. The answer is decoded on a worker thread
 * (lablink_client_get_acquisition_window_async()): a backfill of tens of
 * thousands of samples never stops the owner's main loop. Stream frames
 * arriving meanwhile are held (bounded in number and by a timeout) so that
 * rows stay in time order.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lablink-capture-private.h"
#include "lablink-client-private.h"
#include "lablink-error.h"
#include "lablink-protocol.h"

#define MAX_HELD_FRAMES        256

/* Merges the frames held during a backfill, oldest first. */
void
lablink_capture_release_held (LablinkCapture *self)
{
  LablinkMessage *message;

  while ((message = g_queue_pop_head (&self->held)) != NULL)
    {
      lablink_capture_merge_acquisition_message (self, message);
      lablink_message_unref (message);
    }
}

void
lablink_capture_hold_message (LablinkCapture *self,
                              LablinkMessage *message)
{
  g_queue_push_tail (&self->held, lablink_message_ref (message));
  if (self->held.length > MAX_HELD_FRAMES)
    {
      /* Windows overlap: the oldest held frame is mostly covered by newer ones. */
      LablinkMessage *oldest = g_queue_pop_head (&self->held);
      lablink_capture_merge_acquisition_message (self, oldest);
      lablink_message_unref (oldest);
    }
}

/* Whether a backfill answer of @n_sent samples, @requested asked for, is
 * everything the server ever made. Short of what was asked, it is all the
 * server holds; that is all it made only if its buffer never filled: an
 * answer as long as the acquisition's buffer_size (from its status) is no
 * proof, however much more was asked. Taken for complete, the hole before
 * it went unrecorded, and when the windows are polled (they carry no
 * stats.total_samples) no count ever found the loss. */
static gboolean
answer_is_complete (LablinkCapture *self,
                    guint           n_sent,
                    guint           requested)
{
  return n_sent < requested && (self->server_buffer == 0 || n_sent < self->server_buffer);
}

/* The column of each of the capture's channels in @window (NULL where it
 * has none); the capture takes the window's channels if it has none yet. */
static const double **
window_columns (LablinkCapture *self,
                LablinkMessage *window)
{
  guint n_window = lablink_message_get_n_channels (window);
  const double **columns;
  guint c, w;

  if (self->n_channels == 0)
    {
      g_autofree const char **names = g_new0 (const char *, n_window + 1);

      for (w = 0; w < n_window; w++)
        names[w] = lablink_message_get_channel_name (window, w);
      lablink_capture_set_channels (self, names, n_window);
      if (self->n_channels == 0)
        return NULL;
    }

  columns = g_new0 (const double *, self->n_channels);
  for (w = 0; w < n_window; w++)
    for (c = 0; c < self->n_channels; c++)
      if (columns[c] == NULL &&
          g_strcmp0 (g_ptr_array_index (self->channels, c), lablink_message_get_channel_name (window, w)) == 0)
        {
          columns[c] = lablink_message_get_channel_values (window, w, NULL);
          break;
        }
  return columns;
}

/* Merges @window (lablink_client_get_acquisition_window_async(): decoded
 * off the main thread), the answer to a request for the @requested newest
 * samples. With @too_short, a full answer that does not reach back to the
 * last stored sample when more than @requested could be asked is not
 * merged: *@too_short says to ask again for more (a hole it would leave
 * may still be on the server). */
gboolean
lablink_capture_merge_backfill_answer (LablinkCapture *self,
                                       LablinkMessage *window,
                                       guint           requested,
                                       gboolean       *too_short,
                                       guint64        *n_appended)
{
  g_autofree const double **columns = NULL;
  const gint64 *times, *invalid;
  gsize n = 0, n_invalid = 0, n_sent;

  *n_appended = 0;
  if (too_short != NULL)
    *too_short = FALSE;
  /* {"success": false} or {"data": null} is a bad answer, not a critical */
  times = window != NULL ? lablink_message_get_sample_times (window, &n) : NULL;
  if (times == NULL)
    return FALSE;

  /* A sample with a bad or out of order time was dropped by the decoder
   * (and is counted here), not the answer (issue 10). */
  invalid = lablink_message_get_invalid_samples (window, &n_invalid);
  n_sent = n + n_invalid;
  if (n_sent == 0)
    return TRUE;

  if (too_short != NULL && n > 0 && n_sent >= requested && requested < lablink_capture_backfill_limit (self) &&
      times[0] > lablink_capture_get_hole_floor (self, lablink_capture_get_last_time (self)))
    {
      *too_short = TRUE;
      return TRUE;
    }
  lablink_capture_count_invalid (self, invalid, n_invalid);
  if (n == 0)
    return TRUE;

  columns = window_columns (self, window);
  if (columns == NULL)
    return FALSE;
  *n_appended = lablink_capture_merge_columns (self, n, times, columns,
                                               answer_is_complete (self, (guint) MIN (n_sent, G_MAXUINT), requested));
  return TRUE;
}

typedef struct {
  LablinkCapture *capture;
  GCancellable   *cancellable;
  guint           requested;
  gint            gap;
} BackfillData;

/* The most a backfill asks for: what the server holds, when known. */
guint
lablink_capture_backfill_limit (LablinkCapture *self)
{
  guint limit = self->backfill_samples;

  if (self->server_buffer > 0)
    limit = MIN (limit, self->server_buffer);
  return MAX (limit, 1);
}

static void backfill_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data);

static void
send_request (LablinkCapture *self,
              BackfillData   *data)
{
  lablink_client_get_acquisition_window_async (self->client, self->acquisition_id, data->requested,
                                               data->cancellable, backfill_cb, data);
}

static void
backfill_finish (LablinkCapture *self)
{
  g_clear_object (&self->backfill_cancellable);
  if (self->backfill_timeout_source != NULL)
    {
      g_source_destroy (self->backfill_timeout_source);
      g_clear_pointer (&self->backfill_timeout_source, g_source_unref);
    }
  lablink_capture_release_held (self);
  if (self->recovering_gap >= 0)
    self->last_gap_unverified = TRUE;   /* until the next window's counts */
  self->recovering_gap = -1;
  self->backfill_done_time = g_get_monotonic_time ();

  if (self->tail_task != NULL)
    {
      /* Stopping: the tail's own request fetches what another would. */
      self->backfill_again = FALSE;
      lablink_capture_tail_continue (self);
    }
  else if (self->backfill_again && self->recording)
    {
      self->backfill_again = FALSE;
      lablink_capture_request_backfill (self, self->outage_gap);
    }
}

static void
backfill_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  BackfillData *data = user_data;
  LablinkCapture *self = data->capture;
  g_autoptr(LablinkMessage) window = NULL;
  g_autoptr(GError) error = NULL;
  guint64 appended = 0;
  gboolean too_short = FALSE, merged;

  window = lablink_client_get_acquisition_window_finish (LABLINK_CLIENT (source), result, &error);

  /* Stale (stopped, or superseded): the capture has moved on. */
  if (data->cancellable != self->backfill_cancellable)
    goto out;

  if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND))
    {
      /* The server no longer has the acquisition (it was restarted, or the
       * acquisition deleted): nothing will ever follow (issue 10). */
      g_autoptr(GError) gone = g_error_new (LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND,
                                            "Acquisition %s is gone from the server: %s",
                                            self->acquisition_id, error->message);
      gint gap = data->gap;

      backfill_finish (self);
      lablink_capture_fail (self, gap, gone);
      goto out;
    }

  merged = lablink_capture_merge_backfill_answer (self, window, data->requested, &too_short, &appended);
  if (merged && too_short)
    {
      /* More is missing than asked for: ask for all the server may hold. */
      g_debug ("Capture %s: backfill of %u too short, asking %u", self->name, data->requested,
               lablink_capture_backfill_limit (self));
      data->requested = lablink_capture_backfill_limit (self);
      send_request (self, data);
      return;
    }
  if (!merged)
    {
      g_debug ("Capture %s: backfill failed: %s", self->name,
               error ? error->message : "unexpected answer");
      if (data->gap >= 0)
        lablink_capture_update_gap (self, data->gap, 0, appended, TRUE);
    }
  else if (data->gap >= 0)
    lablink_capture_update_gap (self, data->gap, 0, appended, FALSE);

  backfill_finish (self);

out:
  g_object_unref (data->cancellable);
  g_object_unref (data->capture);
  g_free (data);
}

static gboolean
backfill_timeout_cb (gpointer user_data)
{
  LablinkCapture *self = user_data;

  g_clear_pointer (&self->backfill_timeout_source, g_source_unref);
  if (self->backfill_cancellable != NULL)
    {
      GCancellable *cancellable = self->backfill_cancellable;

      g_debug ("Capture %s: backfill timed out", self->name);
      if (self->recovering_gap >= 0)
        lablink_capture_update_gap (self, self->recovering_gap, 0, 0, TRUE);
      /* Detach first: the answer, when it comes, is stale. */
      self->backfill_cancellable = NULL;
      g_cancellable_cancel (cancellable);
      g_object_unref (cancellable);
      backfill_finish (self);
    }
  return G_SOURCE_REMOVE;
}

void
lablink_capture_request_backfill (LablinkCapture *self,
                                  gint            gap)
{
  BackfillData *data;

  if (self->client == NULL || self->acquisition_id == NULL)
    {
      if (gap >= 0)
        lablink_capture_update_gap (self, gap, 0, 0, TRUE);
      return;
    }
  if (self->backfill_cancellable != NULL)
    {
      self->backfill_again = TRUE;
      return;
    }

  data = g_new0 (BackfillData, 1);
  data->capture = g_object_ref (self);
  /* What the hole needs, if the caller knows (else all the server holds). */
  data->requested = lablink_capture_backfill_limit (self);
  if (self->backfill_want > 0)
    data->requested = MIN (data->requested, self->backfill_want);
  self->backfill_want = 0;
  data->gap = gap;
  self->recovering_gap = gap;
  self->backfill_cancellable = g_cancellable_new ();
  data->cancellable = g_object_ref (self->backfill_cancellable);

  self->backfill_timeout_source = g_timeout_source_new (self->backfill_timeout_ms);
  g_source_set_callback (self->backfill_timeout_source, backfill_timeout_cb, self, NULL);
  g_source_attach (self->backfill_timeout_source, self->context);

  send_request (self, data);
}

void
lablink_capture_cancel_backfill (LablinkCapture *self)
{
  if (self->backfill_cancellable != NULL)
    {
      g_autoptr(GCancellable) cancellable = g_steal_pointer (&self->backfill_cancellable);
      g_cancellable_cancel (cancellable);
    }
  if (self->backfill_timeout_source != NULL)
    {
      g_source_destroy (self->backfill_timeout_source);
      g_clear_pointer (&self->backfill_timeout_source, g_source_unref);
    }
  self->backfill_again = FALSE;
}
