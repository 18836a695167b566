/* lablink-ws-worker-handoff.c — the queues between the worker and its owner
 *
 * What the worker thread hands over: each frame parsed on arrival (the hot
 * path) and put into a small bounded ring per stream (oldest dropped first,
 * counted), control items (state, errors, events) in a bounded queue of
 * their own, the owner woken once per batch of frames and at once for a
 * control item (through a wake-up of its own when the owner has one), and
 * the owner taking items round-robin, control items first. Also the per-stream and total counters behind
 * LablinkStatistics. All of it under the worker's lock. And the worker
 * offering its core while a flood keeps it busy (lablink_ws_yield_due()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-error.h"
#include "lablink-message-private.h"
#include "lablink-ws-worker-private.h"

static LablinkMessage *
ring_pop (StreamEntry *entry)
{
  LablinkMessage *message;

  if (entry->ring_length == 0)
    return NULL;
  message = entry->ring[entry->ring_head];
  entry->ring_head = (entry->ring_head + 1) % entry->ring_capacity;
  entry->ring_length--;
  return message;
}

/* Called with the lock held: takes the oldest frame of @entry out of the
 * queue and its byte counts. */
static LablinkMessage *
ring_take_locked (LablinkWsWorker *self,
                  StreamEntry     *entry)
{
  LablinkMessage *message = ring_pop (entry);

  if (message != NULL)
    {
      gsize cost = lablink_message_get_cost (message);

      entry->ring_bytes -= cost;
      self->queued_bytes -= cost;
    }
  return message;
}

/* Called with the lock held: the oldest frame of @entry is dropped and
 * counted. */
static void
ring_drop_oldest_locked (LablinkWsWorker *self,
                         StreamEntry     *entry)
{
  lablink_message_unref (ring_take_locked (self, entry));
  entry->dropped++;
}

/* Called with the lock held: appends @message; when the ring is full, or
 * holds more than queue_bytes, the oldest frames are dropped and counted.
 * The frame just pushed always stays, so a single frame larger than the
 * limit is still delivered (alone). */
static void
ring_push_locked (LablinkWsWorker *self,
                  StreamEntry     *entry,
                  LablinkMessage  *message)
{
  guint capacity = self->queue_length;
  gsize cost = lablink_message_get_cost (message);

  if (G_UNLIKELY (entry->ring_capacity != capacity))
    {
      LablinkMessage **ring = g_new (LablinkMessage *, capacity);
      guint n = 0;

      while (entry->ring_length >= capacity)
        ring_drop_oldest_locked (self, entry);
      while (entry->ring_length > 0)
        ring[n++] = ring_pop (entry);
      g_free (entry->ring);
      entry->ring = ring;
      entry->ring_capacity = capacity;
      entry->ring_head = 0;
      entry->ring_length = n;
    }

  if (entry->ring_length == entry->ring_capacity)
    ring_drop_oldest_locked (self, entry);
  while (entry->ring_length > 0 && entry->ring_bytes + cost > self->queue_bytes)
    ring_drop_oldest_locked (self, entry);

  entry->ring[(entry->ring_head + entry->ring_length) % entry->ring_capacity] = message;
  entry->ring_length++;
  entry->ring_bytes += cost;
  self->queued_bytes += cost;
}

/* Whether the owner's control source delivers @item (at once, at default
 * priority): every control item but a pong, which stays with the frames
 * (lablink_ws_worker_take()). A ping's pong tells its sender that what the
 * server sent before it has landed, frames included, so it must not
 * overtake them by more than it always did. */
static gboolean
item_is_urgent (const LablinkWsItem *item)
{
  return item->kind != LABLINK_WS_ITEM_MESSAGE ||
         lablink_message_get_message_type (item->message) != LABLINK_MESSAGE_PONG;
}

/* Called with the lock held: @item leaves the control queue. */
static void
control_removed_locked (LablinkWsWorker     *self,
                        const LablinkWsItem *item)
{
  if (item->message != NULL)
    {
      gsize cost = lablink_message_get_cost (item->message);

      self->control_bytes -= cost;
      self->queued_bytes -= cost;
    }
  if (item_is_urgent (item))
    self->control_urgent--;
  if (self->control_urgent == 0)
    self->control_wake_pending = FALSE;
}

/* Called with the lock held: the oldest control item holding a message,
 * other than @keep, is dropped. Returns FALSE if there is none. */
static gboolean
control_drop_oldest_message_locked (LablinkWsWorker *self,
                                    LablinkWsItem   *keep)
{
  GList *l;

  for (l = self->control.head; l != NULL; l = l->next)
    {
      LablinkWsItem *item = l->data;

      if (item->message != NULL && item != keep)
        {
          control_removed_locked (self, item);
          g_queue_delete_link (&self->control, l);
          lablink_ws_item_free (item);
          self->control_dropped++;
          return TRUE;
        }
    }
  return FALSE;
}

/* Called with the lock held, after a message was queued (@keep_entry or
 * @keep_item is where it went): while all queues together hold more than
 * total_queue_bytes, the oldest frame of the fattest queue goes, never the
 * one just queued. Whatever the input, the queues hold at most
 * total_queue_bytes plus that one message. */
static void
enforce_total_locked (LablinkWsWorker *self,
                      StreamEntry     *keep_entry,
                      LablinkWsItem   *keep_item)
{
  while (self->queued_bytes > self->total_queue_bytes)
    {
      StreamEntry *fattest = NULL;
      gsize fattest_bytes = 0;
      gsize control_droppable = self->control_bytes;
      guint i;

      if (keep_item != NULL && keep_item->message != NULL)
        control_droppable -= lablink_message_get_cost (keep_item->message);

      for (i = 0; i < self->order->len; i++)
        {
          StreamEntry *entry = g_ptr_array_index (self->order, i);
          gsize droppable = entry->ring_bytes;

          if (entry == keep_entry && entry->ring_length > 0)
            {
              guint newest = (entry->ring_head + entry->ring_length - 1) % entry->ring_capacity;
              droppable -= lablink_message_get_cost (entry->ring[newest]);
            }
          if (droppable > fattest_bytes)
            {
              fattest = entry;
              fattest_bytes = droppable;
            }
        }

      if (fattest != NULL && fattest_bytes >= control_droppable)
        ring_drop_oldest_locked (self, fattest);
      else if (control_droppable == 0 || !control_drop_oldest_message_locked (self, keep_item))
        break;
    }
}

void
lablink_ws_stream_entry_free (gpointer data)
{
  StreamEntry *entry = data;

  /* Only when the worker goes: its byte counts go with it. */
  while (entry->ring_length > 0)
    lablink_message_unref (ring_pop (entry));
  g_free (entry->ring);
  g_free (entry->start_frame);
  g_free (entry->key);
  g_free (entry);
}

void
lablink_ws_item_clear (LablinkWsItem *item)
{
  g_clear_pointer (&item->message, lablink_message_unref);
  g_clear_error (&item->error);
}

void
lablink_ws_item_free (LablinkWsItem *item)
{
  lablink_ws_item_clear (item);
  g_free (item);
}

static gboolean
flush_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs flush_funcs = {
  .dispatch = flush_source_dispatch,
};

/* W: the end of a read burst — wake the owner for what is still unannounced. */
static gboolean
flush_cb (gpointer data)
{
  LablinkWsWorker *self = data;
  gboolean wake = FALSE;

  if (self->flush_armed)
    {
      self->flush_armed = FALSE;
      g_source_set_ready_time (self->flush_source, -1);
    }

  g_mutex_lock (&self->lock);
  self->flush_scheduled = FALSE;
  if (!self->wake_pending && self->unwoken > 0)
    {
      self->wake_pending = TRUE;
      self->unwoken = 0;
      wake = TRUE;
    }
  g_mutex_unlock (&self->lock);

  if (wake)
    self->wakeup (self->wakeup_data);
  return G_SOURCE_CONTINUE;
}

/* W: the read stream's burst is over (lablink-ws-read-stream.c), or the
 * connection is: the owner is woken now for what is unannounced, not one
 * main loop iteration (and poll()) later. */
void
lablink_ws_worker_burst_over (gpointer stream,
                              gpointer data)
{
  LablinkWsWorker *self = data;
  gboolean flush;

  lablink_ws_yield_idle (&self->yield);
  g_mutex_lock (&self->lock);
  flush = self->flush_scheduled;
  g_mutex_unlock (&self->lock);
  if (flush)
    flush_cb (self);
}

GSource *
lablink_ws_worker_flush_source_new (LablinkWsWorker *self)
{
  GSource *source = g_source_new (&flush_funcs, sizeof (GSource));

  g_source_set_callback (source, flush_cb, self, NULL);
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_static_name (source, "[lablink] hand-off flush");
  g_source_attach (source, self->context);
  return source;
}

/* Called with the lock held: the owner's dispatch is to be woken. */
static gboolean
need_wakeup_locked (LablinkWsWorker *self)
{
  if (self->wake_pending)
    return FALSE;
  self->wake_pending = TRUE;
  self->unwoken = 0;
  return TRUE;
}

/* Called with the lock held, for the control item just queued: the owner is
 * woken at once, through its control wake-up when it has one and the item
 * is urgent — with a pending flag of its own, so that frames the owner has
 * not drained yet (its frame dispatch starved by busier sources) never hold
 * a control item back. Returns the wake-up to call once the lock is
 * released, or NULL. */
static LablinkWsWakeup
control_wakeup_locked (LablinkWsWorker *self,
                       gpointer        *data)
{
  const LablinkWsItem *item = g_queue_peek_tail (&self->control);

  if (self->control_wakeup == NULL || item == NULL || !item_is_urgent (item))
    {
      *data = self->wakeup_data;
      return need_wakeup_locked (self) ? self->wakeup : NULL;
    }
  if (self->control_wake_pending)
    return NULL;
  self->control_wake_pending = TRUE;
  *data = self->control_wakeup_data;
  return self->control_wakeup;
}

/* Owner-side, before the first connect: control items (state, errors,
 * events, stream_started/stopped…) wake @wakeup instead of the frames'
 * wake-up; the owner then takes them with lablink_ws_worker_take_control(). */
void
lablink_ws_worker_set_control_wakeup (LablinkWsWorker *self,
                                      LablinkWsWakeup  wakeup,
                                      gpointer         wakeup_data)
{
  g_mutex_lock (&self->lock);
  self->control_wakeup = wakeup;
  self->control_wakeup_data = wakeup_data;
  g_mutex_unlock (&self->lock);
}

/* Called with the lock held, on the worker thread, for stream frames: the
 * owner is woken once per batch — after WAKE_BATCH frames, WAKE_LATENCY_US
 * after the first unannounced one, or when the read burst ends — not once
 * per frame, which would cost a context switch per frame. */
static gboolean
batch_wakeup_locked (LablinkWsWorker *self,
                     gint64           now)
{
  if (self->wake_pending)
    return FALSE;

  if (self->unwoken++ == 0)
    self->first_unwoken = now;

  if (self->unwoken >= WAKE_BATCH || now - self->first_unwoken >= WAKE_LATENCY_US)
    return need_wakeup_locked (self);

  if (!self->flush_scheduled)
    {
      self->flush_scheduled = TRUE;
      /* The read stream says when its burst is over (burst_over() below);
       * otherwise the flush source runs once the burst is. (Setting a
       * ready time wakes the context, even from its own thread.) */
      if (!self->bursts_reported)
        {
          self->flush_armed = TRUE;
          g_source_set_ready_time (self->flush_source, 0);
        }
    }
  return FALSE;
}

/* Called with the lock held: takes the head control item out of the queue
 * and its byte counts. */
static LablinkWsItem *
control_pop_locked (LablinkWsWorker *self)
{
  LablinkWsItem *item = g_queue_pop_head (&self->control);

  if (item != NULL)
    control_removed_locked (self, item);
  return item;
}

/* Control messages (events, errors, unknown types) may be as big as any
 * frame: bounded in bytes like a stream's queue, and in number. */
static void
push_control_locked (LablinkWsWorker   *self,
                     LablinkWsItemKind  kind,
                     LablinkMessage    *message,
                     GError            *error)
{
  LablinkWsItem *item = g_new0 (LablinkWsItem, 1);

  item->kind = kind;
  item->message = message;
  item->error = error;

  if (message != NULL)
    {
      gsize cost = lablink_message_get_cost (message);

      while (self->control_bytes + cost > self->queue_bytes &&
             control_drop_oldest_message_locked (self, NULL))
        ;
      self->control_bytes += cost;
      self->queued_bytes += cost;
    }

  g_queue_push_tail (&self->control, item);
  if (item_is_urgent (item))
    self->control_urgent++;
  if (self->control.length > CONTROL_QUEUE_LENGTH)
    {
      lablink_ws_item_free (control_pop_locked (self));
      self->control_dropped++;
    }

  if (message != NULL)
    enforce_total_locked (self, NULL, item);
}

void
lablink_ws_worker_post_item (LablinkWsWorker   *self,
                             LablinkWsItemKind  kind,
                             LablinkMessage    *message,
                             GError            *error)
{
  LablinkWsWakeup wake;
  gpointer wake_data = NULL;

  g_mutex_lock (&self->lock);
  push_control_locked (self, kind, message, error);
  wake = control_wakeup_locked (self, &wake_data);
  g_mutex_unlock (&self->lock);

  if (wake)
    wake (wake_data);
}

static void
set_state_full (LablinkWsWorker        *self,
                LablinkConnectionState  state,
                gint64                  next_retry,
                const char             *error_message,
                GError                 *error)
{
  LablinkWsWakeup wake;
  gpointer wake_data = NULL;

  g_mutex_lock (&self->lock);
  self->state = state;
  self->next_retry = next_retry;
  if (error_message != NULL)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error_message);
    }
  /* Each transition is handed over with its state, so that a drop and a
   * reconnect within one owner iteration are still both seen. */
  push_control_locked (self, LABLINK_WS_ITEM_STATE, NULL, error);
  ((LablinkWsItem *) g_queue_peek_tail (&self->control))->state = state;
  wake = control_wakeup_locked (self, &wake_data);
  g_mutex_unlock (&self->lock);

  if (wake)
    wake (wake_data);
}

void
lablink_ws_worker_set_state (LablinkWsWorker        *self,
                             LablinkConnectionState  state,
                             gint64                  next_retry,
                             const char             *error_message)
{
  set_state_full (self, state, next_retry, error_message, NULL);
}

/* The same for a failure whose domain and code the owner needs (a refused
 * certificate): a copy of @error goes with the STATE item. */
void
lablink_ws_worker_set_state_error (LablinkWsWorker        *self,
                                   LablinkConnectionState  state,
                                   gint64                  next_retry,
                                   const GError           *error)
{
  set_state_full (self, state, next_retry, error->message, g_error_copy (error));
}

static StreamEntry *
lookup_entry_locked (LablinkWsWorker *self,
                     const char      *key,
                     gboolean         create)
{
  StreamEntry *entry = g_hash_table_lookup (self->streams, key);

  if (entry != NULL || !create)
    return entry;

  if (g_hash_table_size (self->streams) >= MAX_STREAM_ENTRIES)
    {
      /* A server (or an attacker) inventing stream keys must not grow us
       * without bound: the surplus shares one queue. */
      entry = g_hash_table_lookup (self->streams, OTHER_STREAM_KEY);
      if (entry != NULL)
        return entry;
      key = OTHER_STREAM_KEY;
    }

  entry = g_new0 (StreamEntry, 1);
  entry->key = g_strdup (key);
  entry->status = LABLINK_STREAM_STATUS_STOPPED;
  g_hash_table_insert (self->streams, entry->key, entry);
  g_ptr_array_add (self->order, entry);
  return entry;
}

/* W: one message arrived (lablink-ws-frame-conn.c; @text lies in its read
 * buffer). This is the hot path: parse, then one lock. */
void
lablink_ws_worker_on_message (const char *text,
                              gsize       size,
                              gboolean    binary,
                              gpointer    data)
{
  LablinkWsWorker *self = data;
  g_autoptr(GError) error = NULL;
  LablinkMessage *message = NULL;
  gint64 now = g_get_monotonic_time ();
  LablinkErrorKind kind = LABLINK_ERROR_KIND_MALFORMED;
  LablinkWsWakeup wake = NULL;
  gpointer wake_data = NULL;

  self->last_rx = now;

  if (binary)
    {
      g_set_error (&error, LABLINK_ERROR, LABLINK_ERROR_BINARY_FRAME,
                   "Unexpected binary frame of %" G_GSIZE_FORMAT " bytes", size);
      kind = LABLINK_ERROR_KIND_BINARY;
    }
  else
    {
      /* config.max_payload only changes on this thread (connect_cb). */
      LablinkNaiveZone previous;

      g_mutex_lock (&self->lock);
      previous = _lablink_naive_zone_push (self->naive_known, self->naive_offset);
      g_mutex_unlock (&self->lock);
      message = lablink_message_parse_text (text, size, self->config.max_payload, &error);
      _lablink_naive_zone_pop (previous);
      if (message == NULL)
        {
          if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE) ||
              g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_TOO_DEEP))
            kind = LABLINK_ERROR_KIND_TOO_LARGE;
          else if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_MALFORMED))
            kind = LABLINK_ERROR_KIND_MALFORMED;
          else
            kind = LABLINK_ERROR_KIND_INVALID;
        }
    }

  g_mutex_lock (&self->lock);
  self->messages_received++;
  self->bytes_received += size;

  if (message == NULL)
    {
      self->errors[kind]++;
      push_control_locked (self, LABLINK_WS_ITEM_FRAME_ERROR, NULL, g_steal_pointer (&error));
      wake = control_wakeup_locked (self, &wake_data);
    }
  else
    {
      switch (lablink_message_get_message_type (message))
        {
        case LABLINK_MESSAGE_STREAM_DATA:
        case LABLINK_MESSAGE_ACQUISITION_STREAM:
          {
            StreamEntry *entry = lookup_entry_locked (self, lablink_message_get_stream_key (message), TRUE);

            entry->messages++;
            entry->last_receive = now;
            entry->arrivals[entry->arrival_pos] = now;
            entry->arrival_pos = (entry->arrival_pos + 1) % N_ARRIVALS;
            entry->n_arrivals = MIN (entry->n_arrivals + 1, N_ARRIVALS);
            ring_push_locked (self, entry, message);
            enforce_total_locked (self, entry, NULL);
            if (batch_wakeup_locked (self, now))
              {
                wake = self->wakeup;
                wake_data = self->wakeup_data;
              }
          }
          break;

        case LABLINK_MESSAGE_PONG:
          if (self->ping_sent != 0)
            {
              self->ping_latency_ms = (now - self->ping_sent) / 1000.0;
              self->ping_sent = 0;
            }
          push_control_locked (self, LABLINK_WS_ITEM_MESSAGE, message, NULL);
          wake = control_wakeup_locked (self, &wake_data);
          break;

        case LABLINK_MESSAGE_ERROR:
          self->errors[LABLINK_ERROR_KIND_SERVER]++;
          G_GNUC_FALLTHROUGH;

        default:
          push_control_locked (self, LABLINK_WS_ITEM_MESSAGE, message, NULL);
          wake = control_wakeup_locked (self, &wake_data);
          break;
        }
    }
  g_mutex_unlock (&self->lock);

  if (wake)
    wake (wake_data);

  if (lablink_ws_yield_due (&self->yield, now))
    g_thread_yield ();
}

/* A flood keeps the worker busy for as long as it lasts. Where it shares a
 * core with its owner (a single-core machine, a VM, a pinned process), a
 * thread woken meanwhile — the owner's timer — waited for the scheduler's
 * next tick, up to 4 ms at HZ=250 (Linux's EEVDF lets the running thread
 * finish its slice), so the owner's timers ran up to 4–8 ms late. Offering
 * the core every YIELD_PERIOD_US of continuous work bounds that wait; it
 * costs one system call then, which returns at once when no other thread
 * waits for the core. A burst that ends (the worker goes back to its main
 * loop) starts the count over: a worker that reads a few frames every few
 * milliseconds never yields. */
gboolean
lablink_ws_yield_due (LablinkWsYield *self,
                      gint64          now)
{
  if (self->busy_since == 0)
    {
      self->busy_since = now;
      return FALSE;
    }
  if (now - self->busy_since < YIELD_PERIOD_US)
    return FALSE;
  self->busy_since = now;
  return TRUE;
}

void
lablink_ws_yield_idle (LablinkWsYield *self)
{
  self->busy_since = 0;
}

/* Owner-side: @start_frame (taken) is what restarts the stream after a
 * reconnect; NULL forgets the stream. */
void
lablink_ws_worker_set_stream (LablinkWsWorker *self,
                              const char      *key,
                              char            *start_frame)
{
  StreamEntry *entry;

  g_mutex_lock (&self->lock);
  entry = lookup_entry_locked (self, key, start_frame != NULL);
  if (entry != NULL)
    {
      g_free (entry->start_frame);
      entry->start_frame = start_frame;
      entry->status = start_frame ? LABLINK_STREAM_STATUS_STARTING : LABLINK_STREAM_STATUS_STOPPED;
      entry->n_arrivals = 0;
      if (start_frame)
        entry->last_receive = 0;
    }
  else
    g_free (start_frame);
  g_mutex_unlock (&self->lock);
}

void
lablink_ws_worker_set_queue_length (LablinkWsWorker *self,
                                    guint            length)
{
  g_mutex_lock (&self->lock);
  self->queue_length = MAX (length, 1);
  g_mutex_unlock (&self->lock);
}

/* Owner-side: the byte limits of each queue and of all of them, applied
 * from the next frame on. */
void
lablink_ws_worker_set_queue_bytes (LablinkWsWorker *self,
                                   guint64          per_stream,
                                   guint64          total)
{
  g_mutex_lock (&self->lock);
  self->queue_bytes = per_stream;
  self->total_queue_bytes = total;
  g_mutex_unlock (&self->lock);
}

/* Called with the lock held: moves control items (@urgent_only: all but
 * pongs), oldest first, into @items from @n on, while fewer than @max and
 * *taken < TAKE_BYTES. Once no urgent one is left, the next one wakes the
 * owner's control source anew (control_removed_locked()). Returns the new
 * number of items. */
static guint
take_control_locked (LablinkWsWorker *self,
                     LablinkWsItem   *items,
                     guint            n,
                     guint            max,
                     gboolean         urgent_only,
                     gsize           *taken)
{
  GList *l = self->control.head;

  while (l != NULL && n < max && *taken < TAKE_BYTES &&
         (!urgent_only || self->control_urgent > 0))
    {
      LablinkWsItem *item = l->data;
      GList *next = l->next;

      if (!urgent_only || item_is_urgent (item))
        {
          control_removed_locked (self, item);
          g_queue_delete_link (&self->control, l);
          if (item->message != NULL)
            *taken += lablink_message_get_cost (item->message);
          items[n++] = *item;
          g_free (item);
        }
      l = next;
    }
  return n;
}

guint
lablink_ws_worker_take_control (LablinkWsWorker *self,
                                LablinkWsItem   *items,
                                guint            max,
                                gboolean        *more)
{
  gsize taken = 0;
  guint n;

  g_mutex_lock (&self->lock);
  n = take_control_locked (self, items, 0, max, TRUE, &taken);
  *more = self->control_urgent > 0;
  g_mutex_unlock (&self->lock);

  return n;
}

guint
lablink_ws_worker_take (LablinkWsWorker *self,
                        LablinkWsItem   *items,
                        guint            max,
                        gboolean        *more)
{
  guint n;
  guint n_streams;
  gsize taken = 0;

  g_mutex_lock (&self->lock);

  n = take_control_locked (self, items, 0, max, FALSE, &taken);

  n_streams = self->order->len;
  while (n < max && n_streams > 0 && taken < TAKE_BYTES)
    {
      gboolean found = FALSE;
      guint i;

      for (i = 0; i < n_streams && n < max && taken < TAKE_BYTES; i++)
        {
          StreamEntry *entry = g_ptr_array_index (self->order, (self->rr_pos + i) % n_streams);
          LablinkMessage *message = ring_take_locked (self, entry);

          if (message == NULL)
            continue;
          taken += lablink_message_get_cost (message);
          items[n].kind = LABLINK_WS_ITEM_MESSAGE;
          items[n].message = message;
          items[n].error = NULL;
          n++;
          found = TRUE;
        }
      self->rr_pos = (self->rr_pos + 1) % n_streams;
      if (!found)
        break;
    }

  *more = self->control.length > 0;
  if (!*more)
    {
      guint i;
      for (i = 0; i < n_streams && !*more; i++)
        *more = ((StreamEntry *) g_ptr_array_index (self->order, i))->ring_length > 0;
    }
  if (!*more)
    self->wake_pending = FALSE;

  g_mutex_unlock (&self->lock);

  return n;
}

void
lablink_ws_worker_get_state (LablinkWsWorker        *self,
                             LablinkConnectionState *state,
                             gint64                 *next_retry,
                             guint                  *attempt,
                             char                  **last_error)
{
  g_mutex_lock (&self->lock);
  if (state)
    *state = self->state;
  if (next_retry)
    *next_retry = self->next_retry;
  if (attempt)
    *attempt = self->attempt;
  if (last_error)
    *last_error = g_strdup (self->last_error);
  g_mutex_unlock (&self->lock);
}

LablinkStatistics *
lablink_ws_worker_get_statistics (LablinkWsWorker *self)
{
  LablinkStatistics *stats = lablink_statistics_new ();
  gint64 now = g_get_monotonic_time ();
  guint64 dropped;
  guint i;

  g_mutex_lock (&self->lock);

  dropped = self->control_dropped;
  for (i = 0; i < self->order->len; i++)
    {
      StreamEntry *entry = g_ptr_array_index (self->order, i);
      LablinkStreamStatsEntry e = { 0 };

      dropped += entry->dropped;
      e.key = entry->key;
      e.messages = entry->messages;
      e.dropped = entry->dropped;
      e.active = entry->start_frame != NULL;
      e.status = entry->status;
      e.last_age_s = entry->last_receive ? (now - entry->last_receive) / (double) G_USEC_PER_SEC : -1;
      if (entry->n_arrivals >= 2)
        {
          guint newest = (entry->arrival_pos + N_ARRIVALS - 1) % N_ARRIVALS;
          guint oldest = entry->n_arrivals < N_ARRIVALS ? 0 : entry->arrival_pos;
          double n = entry->n_arrivals - 1;
          double span = entry->arrivals[newest] - entry->arrivals[oldest];

          /* A stream that went quiet decays towards zero. */
          if (span > 0 && now - entry->arrivals[newest] > 2 * span / n)
            span = now - entry->arrivals[oldest];
          if (span > 0)
            e.rate_hz = n * G_USEC_PER_SEC / span;
        }
      lablink_statistics_add_stream (stats, &e);
    }

  lablink_statistics_set_counters (stats,
                                   self->messages_received, self->messages_sent,
                                   self->bytes_received, self->bytes_sent,
                                   self->errors, dropped, self->reconnects,
                                   self->ping_latency_ms,
                                   self->up_since ? (now - self->up_since) / (double) G_USEC_PER_SEC : 0);
  g_mutex_unlock (&self->lock);

  return stats;
}

void
lablink_ws_worker_reset_statistics (LablinkWsWorker *self)
{
  guint i;

  g_mutex_lock (&self->lock);
  self->messages_received = self->messages_sent = 0;
  self->bytes_received = self->bytes_sent = 0;
  memset (self->errors, 0, sizeof self->errors);
  self->control_dropped = 0;
  self->reconnects = 0;
  for (i = 0; i < self->order->len; i++)
    {
      StreamEntry *entry = g_ptr_array_index (self->order, i);
      entry->messages = entry->dropped = 0;
      entry->n_arrivals = 0;
    }
  g_mutex_unlock (&self->lock);
}

void
lablink_ws_worker_count_error (LablinkWsWorker  *self,
                               LablinkErrorKind  kind)
{
  g_return_if_fail (kind < LABLINK_N_ERROR_KINDS);

  g_mutex_lock (&self->lock);
  self->errors[kind]++;
  g_mutex_unlock (&self->lock);
}

gint64
lablink_ws_worker_get_last_receive (LablinkWsWorker *self,
                                    const char      *key)
{
  StreamEntry *entry;
  gint64 last = 0;

  g_mutex_lock (&self->lock);
  entry = lookup_entry_locked (self, key, FALSE);
  if (entry)
    last = entry->last_receive;
  g_mutex_unlock (&self->lock);

  return last;
}

/* Naive timestamps of the frames parsed from now on are in this zone (the
 * server's, lablink-client-clock.c). Thread-safe. */
void
lablink_ws_worker_set_naive_zone (LablinkWsWorker *self,
                                  gboolean         known,
                                  gint64           offset_usec)
{
  g_mutex_lock (&self->lock);
  self->naive_known = known;
  self->naive_offset = offset_usec;
  g_mutex_unlock (&self->lock);
}

void
lablink_ws_worker_set_stream_status (LablinkWsWorker     *self,
                                     const char          *key,
                                     LablinkStreamStatus  status)
{
  StreamEntry *entry;

  g_mutex_lock (&self->lock);
  entry = lookup_entry_locked (self, key, FALSE);
  if (entry)
    entry->status = status;
  g_mutex_unlock (&self->lock);
}
