/* lablink-capture-tail.c — stopping after the acquisition's last samples
 *
 * When a capture of an acquisition stops, the last samples the server made
 * may not have arrived: the stream's last windows are still behind a
 * backlog, a polled window was asked before the acquisition stopped, or the
 * main loop was busy when it did. lablink_capture_stop_async() asks the
 * server (GET …/status) how many samples it made, fetches the newest ones
 * the capture lacks while the server still holds them (GET …/data, as a
 * backfill, decoded off the main thread), and records what is still
 * missing as a gap at the end marked DataLost, so that no capture ends
 * short without saying so (issue 12).
 * Then it stops as lablink_capture_stop() does.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lablink-capture-private.h"
#include "lablink-error.h"

typedef struct {
  gint64        stop_time;    /* real time of the stop request */
  GCancellable *cancellable;  /* the tail's requests */
  gulong        cancelled_id;
  GSource      *timeout;
  guint         requested;
  gboolean      started;      /* the status was asked */
  gboolean      in_flight;
  /* from the status */
  gboolean      ended;        /* the acquisition stopped (or failed) */
  gint64        total;        /* its stats.total_samples, -1 = unknown */
  double        rate;         /* its config.sample_rate, 0 = unknown */
} Tail;

static void
tail_free (gpointer data)
{
  Tail *tail = data;

  if (tail->timeout != NULL)
    {
      g_source_destroy (tail->timeout);
      g_clear_pointer (&tail->timeout, g_source_unref);
    }
  g_clear_object (&tail->cancellable);
  g_free (tail);
}

static gint64
stored_count (LablinkCapture *self)
{
  guint64 held;

  g_mutex_lock (&self->lock);
  held = self->n_rows + self->n_invalid;
  g_mutex_unlock (&self->lock);
  return (gint64) MIN (held, (guint64) G_MAXINT64);
}

/* Samples the server made for this capture that it does not hold and no
 * gap accounts for yet; -1 when the counts cannot tell. */
static gint64
unaccounted (LablinkCapture *self,
             Tail           *tail)
{
  gint64 missing;

  if (!tail->ended || tail->total < 0 || !self->count_known)
    return -1;
  missing = tail->total - self->count_base - stored_count (self);
  return MAX (missing - (gint64) MIN (self->count_lost, (guint64) G_MAXINT64), 0);
}

/* The end of the capture is missing: a gap from the last stored sample
 * (or the start of the recording) on, with no end, marked DataLost. */
static void
add_tail_gap (LablinkCapture *self)
{
  gint64 last = lablink_capture_get_last_time (self);
  gint64 start = last != G_MININT64 ? last : self->record_start;

  g_debug ("Capture %s: the acquisition's last samples are lost", self->name);
  lablink_capture_add_gap (self, start, 0, TRUE);
}

/* Stops for real and completes the task. */
static void
tail_complete (LablinkCapture *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->tail_task);
  g_autoptr(GError) error = NULL;
  Tail *tail = g_task_get_task_data (task);

  if (tail->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), tail->cancelled_id);
  tail->cancelled_id = 0;
  self->merge_until = G_MAXINT64;
  if (self->recording && !lablink_capture_stop (self, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* What the answer (or its failure) leaves: a tail still missing by the
 * counts is a gap; so is one nothing can verify. */
static void
tail_verify (LablinkCapture *self,
             Tail           *tail,
             gboolean        fetched,
             guint           holes_before)
{
  gint64 missing = unaccounted (self, tail);

  if (missing > 0)
    {
      /* A hole the merge recorded before the newest samples holds them. */
      if (self->n_holes == holes_before)
        add_tail_gap (self);
      self->count_lost += (guint64) missing;
    }
  else if (missing < 0 && !fetched)
    add_tail_gap (self);   /* the server made samples since, for all we know */
  tail_complete (self);
}

static void
data_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LablinkCapture *self = g_task_get_source_object (task);
  Tail *tail = g_task_get_task_data (task);
  g_autoptr(LablinkMessage) window = NULL;
  g_autoptr(GError) error = NULL;
  guint holes_before = self->n_holes;
  guint64 appended = 0;
  gboolean fetched, too_short = FALSE;

  window = lablink_client_get_acquisition_window_finish (LABLINK_CLIENT (source), result, &error);
  tail->in_flight = FALSE;
  if (self->tail_task != task)
    return;   /* lablink_capture_stop() came first */

  fetched = lablink_capture_merge_backfill_answer (self, window, tail->requested, &too_short, &appended);
  if (fetched && too_short)
    {
      /* The estimate fell short: ask for all the server may hold. */
      tail->requested = lablink_capture_backfill_limit (self);
      tail->in_flight = TRUE;
      lablink_client_get_acquisition_window_async (self->client, self->acquisition_id, tail->requested,
                                                   tail->cancellable, data_cb, g_steal_pointer (&task));
      return;
    }
  if (!fetched)
    g_debug ("Capture %s: the tail was not fetched: %s", self->name, error ? error->message : "unexpected answer");
  else
    g_debug ("Capture %s: the tail brought %" G_GUINT64_FORMAT " samples", self->name, appended);
  tail_verify (self, tail, fetched, holes_before);
}

/* How many of the newest samples to ask for: the ones missing by the counts,
 * or by the time since the last stored sample at the acquisition's rate,
 * and one more, the last stored sample, to prove the answer reaches back. */
static guint
tail_request_size (LablinkCapture *self,
                   Tail           *tail)
{
  gint64 missing = unaccounted (self, tail);
  gint64 last = lablink_capture_get_last_time (self);
  guint limit = lablink_capture_backfill_limit (self);
  double n;

  if (missing >= 0)
    n = (double) missing + 1;
  else if (tail->rate > 0)
    {
      gint64 since = last != G_MININT64 ? last : self->record_start;

      n = ceil ((double) (g_get_real_time () - since) / G_USEC_PER_SEC * tail->rate * 1.1) + 2;
    }
  else
    n = limit;
  return (guint) CLAMP (n, 1, MAX (limit, 1));
}

static void
status_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LablinkCapture *self = g_task_get_source_object (task);
  Tail *tail = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = lablink_client_get_acquisition_status_finish (LABLINK_CLIENT (source), result, &error);
  tail->in_flight = FALSE;
  if (self->tail_task != task)
    return;
  if (g_cancellable_is_cancelled (tail->cancellable))
    {
      tail_verify (self, tail, FALSE, self->n_holes);
      return;
    }

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonNode *member;
      const char *state = json_object_get_string_member_with_default (object, "state", "");

      tail->ended = g_strcmp0 (state, "stopped") == 0 || g_strcmp0 (state, "error") == 0;
      member = json_object_get_member (object, "stats");
      if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
        tail->total = json_object_get_int_member_with_default (json_node_get_object (member), "total_samples", -1);
      member = json_object_get_member (object, "config");
      if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
        {
          JsonObject *config = json_node_get_object (member);
          gint64 buffer = json_object_get_int_member_with_default (config, "buffer_size", 0);

          tail->rate = json_object_get_double_member_with_default (config, "sample_rate", 0);
          if (buffer > 0 && self->server_buffer == 0)
            self->server_buffer = (guint) MIN (buffer, G_MAXUINT);
        }
    }
  else if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND))
    {
      /* The acquisition is gone: nothing to fetch, nothing to count. */
      tail_verify (self, tail, FALSE, self->n_holes);
      return;
    }
  else
    g_debug ("Capture %s: no status at the end: %s", self->name, error ? error->message : "not an object");

  if (unaccounted (self, tail) == 0)
    {
      tail_complete (self);   /* everything the server made is here */
      return;
    }

  /* A running acquisition goes on: what it makes after the stop is not ours. */
  self->merge_until = tail->ended ? G_MAXINT64 : tail->stop_time;
  tail->requested = tail_request_size (self, tail);
  tail->in_flight = TRUE;
  lablink_client_get_acquisition_window_async (self->client, self->acquisition_id, tail->requested, tail->cancellable,
                                               data_cb, g_object_ref (task));
}

/* Starts the tail once no backfill is under way (it would hold frames and
 * merge after the tail). */
void
lablink_capture_tail_continue (LablinkCapture *self)
{
  Tail *tail;

  if (self->tail_task == NULL || self->backfill_cancellable != NULL)
    return;
  tail = g_task_get_task_data (self->tail_task);
  if (tail->started)
    return;
  tail->started = TRUE;
  tail->in_flight = TRUE;
  lablink_client_get_acquisition_status_async (self->client, self->acquisition_id, tail->cancellable,
                                               status_cb, g_object_ref (self->tail_task));
}

/* lablink_capture_stop() ran: the task is done (the capture stopped). */
void
lablink_capture_tail_abort (LablinkCapture *self)
{
  Tail *tail;

  if (self->tail_task == NULL)
    return;
  tail = g_task_get_task_data (self->tail_task);
  g_cancellable_cancel (tail->cancellable);
  tail_complete (self);
}

static gboolean
tail_timeout_cb (gpointer user_data)
{
  Tail *tail = user_data;

  g_clear_pointer (&tail->timeout, g_source_unref);
  g_cancellable_cancel (tail->cancellable);
  return G_SOURCE_REMOVE;
}

static void
task_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/**
 * lablink_capture_stop_async:
 * @self: a #LablinkCapture
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the capture has stopped
 * @user_data: (closure): data for @callback
 *
 * Stops recording as lablink_capture_stop() does, after the tail of an
 * acquisition: the capture stops taking frames, asks the server how many
 * samples the acquisition made (`GET /api/acquisition/session/{id}/status`)
 * and fetches the newest ones it lacks while the server still holds them
 * (`GET …/data`). What is still missing then, by the server's count (or
 * when nothing could be verified), is recorded as a gap at the end marked
 * as having lost data. A running acquisition goes on: samples made after
 * this call are not recorded. Takes at most #LablinkCapture:backfill-timeout-ms
 * for the server; cancelling @cancellable stops at once with what is there.
 *
 * For other captures, the same as lablink_capture_stop().
 */
void
lablink_capture_stop_async (LablinkCapture      *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Tail *tail;

  g_return_if_fail (LABLINK_IS_CAPTURE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_capture_stop_async);

  if (self->tail_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "Capture “%s” is already stopping", self->name);
      return;
    }
  if (!self->recording || self->source != LABLINK_CAPTURE_SOURCE_ACQUISITION || self->client == NULL)
    {
      if (!lablink_capture_stop (self, &error))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  tail = g_new0 (Tail, 1);
  tail->stop_time = g_get_real_time ();
  tail->total = -1;
  tail->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, tail, tail_free);
  if (cancellable != NULL)
    tail->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (task_cancelled_cb),
                                                g_object_ref (tail->cancellable), g_object_unref);
  tail->timeout = g_timeout_source_new (MAX (self->backfill_timeout_ms, 1));
  g_source_set_callback (tail->timeout, tail_timeout_cb, tail, NULL);
  g_source_attach (tail->timeout, self->context);

  /* No frame is taken any more: the server's answers are the tail. */
  if (self->manager != NULL)
    g_clear_signal_handler (&self->data_handler, self->manager);
  self->tail_task = g_steal_pointer (&task);
  lablink_capture_tail_continue (self);
}

/**
 * lablink_capture_stop_finish:
 * @self: a #LablinkCapture
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if everything recorded reached the disk
 */
gboolean
lablink_capture_stop_finish (LablinkCapture  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, lablink_capture_stop_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
