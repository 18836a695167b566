/* lablink-ws-worker.c — the WebSocket side of LablinkStreamManager
 *
 * See lablink-ws-worker-private.h for the design. Everything named "W" runs
 * on the worker thread; functions documented as owner-side only take the
 * lock and queue work for the worker.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "lablink-error.h"
#include "lablink-protocol.h"
#include "lablink-ws-worker-private.h"

#define MAX_STREAM_ENTRIES   256
#define CONTROL_QUEUE_LENGTH 4096
#define N_ARRIVALS           16
#define OTHER_STREAM_KEY     ""
#define WAKE_BATCH           64     /* frames handed over before the owner is woken… */
#define WAKE_LATENCY_US      2000   /* …or this long after the first of them */

typedef struct {
  char               *key;
  LablinkMessage    **ring;           /* bounded FIFO of frames for the owner */
  guint               ring_capacity;
  guint               ring_head;
  guint               ring_length;
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
  GThread                 *thread;
  GMainContext            *context;
  GMainLoop               *loop;
  LablinkWsWakeup          wakeup;
  gpointer                 wakeup_data;

  /* Worker thread only. */
  SoupSession             *session;
  SoupWebsocketConnection *conn;
  GCancellable            *connect_cancellable;
  SoupMessage             *connect_msg;
  GSource                 *retry_source;
  GSource                 *keepalive_source;
  gint64                   connected_since;
  gint64                   last_rx;
  gint64                   ping_sent;
  gboolean                 want_connected;
  gboolean                 report_connect;   /* a connect() waits for its first result */
  gboolean                 ever_connected;
  GRand                   *rand;
  GSource                 *flush_source;

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
  guint                    queue_length;
  gboolean                 wake_pending;
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

static void start_attempt     (LablinkWsWorker *self);
static void schedule_retry    (LablinkWsWorker *self,
                               const char      *reason);

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

/* Appends @message; when full, the oldest frame is dropped and counted. */
static void
ring_push (StreamEntry    *entry,
           LablinkMessage *message,
           guint           capacity)
{
  if (G_UNLIKELY (entry->ring_capacity != capacity))
    {
      LablinkMessage **ring = g_new (LablinkMessage *, capacity);
      guint n = 0;

      while (entry->ring_length > 0)
        {
          LablinkMessage *old = ring_pop (entry);
          if (entry->ring_length >= capacity)
            {
              lablink_message_unref (old);
              entry->dropped++;
            }
          else
            ring[n++] = old;
        }
      g_free (entry->ring);
      entry->ring = ring;
      entry->ring_capacity = capacity;
      entry->ring_head = 0;
      entry->ring_length = n;
    }

  if (entry->ring_length == entry->ring_capacity)
    {
      lablink_message_unref (ring_pop (entry));
      entry->dropped++;
    }
  entry->ring[(entry->ring_head + entry->ring_length) % entry->ring_capacity] = message;
  entry->ring_length++;
}

static void
stream_entry_free (gpointer data)
{
  StreamEntry *entry = data;

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

static void
item_free (LablinkWsItem *item)
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

  g_source_set_ready_time (self->flush_source, -1);

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

static gpointer
worker_thread (gpointer data)
{
  LablinkWsWorker *self = data;

  g_main_context_push_thread_default (self->context);
  self->session = soup_session_new_with_options ("timeout", 0, "idle-timeout", 0, NULL);
  self->rand = g_rand_new ();
  self->flush_source = g_source_new (&flush_funcs, sizeof (GSource));
  g_source_set_callback (self->flush_source, flush_cb, self, NULL);
  g_source_set_priority (self->flush_source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_static_name (self->flush_source, "[lablink] hand-off flush");
  g_source_attach (self->flush_source, self->context);

  g_main_loop_run (self->loop);

  if (self->connect_cancellable)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  if (self->retry_source)
    g_source_destroy (self->retry_source);
  g_clear_pointer (&self->retry_source, g_source_unref);
  g_clear_object (&self->connect_msg);
  if (self->keepalive_source)
    g_source_destroy (self->keepalive_source);
  g_clear_pointer (&self->keepalive_source, g_source_unref);
  if (self->conn)
    {
      g_signal_handlers_disconnect_by_data (self->conn, self);
      if (soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&self->conn);
    }
  soup_session_abort (self->session);
  g_clear_object (&self->session);

  /* Let cancelled operations finish their callbacks before the context goes. */
  while (g_main_context_iteration (self->context, FALSE))
    ;

  g_source_destroy (self->flush_source);
  g_clear_pointer (&self->flush_source, g_source_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

LablinkWsWorker *
lablink_ws_worker_new (LablinkWsWakeup wakeup,
                       gpointer        wakeup_data)
{
  LablinkWsWorker *self = g_new0 (LablinkWsWorker, 1);

  g_mutex_init (&self->lock);
  self->wakeup = wakeup;
  self->wakeup_data = wakeup_data;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->streams = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, stream_entry_free);
  self->order = g_ptr_array_new ();
  g_queue_init (&self->control);
  self->queue_length = 256;
  self->state = LABLINK_CONNECTION_DISCONNECTED;
  self->thread = g_thread_new ("lablink-ws", worker_thread, self);

  return self;
}

static gboolean
quit_cb (gpointer data)
{
  LablinkWsWorker *self = data;
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

void
lablink_ws_worker_free (LablinkWsWorker *self)
{
  if (self == NULL)
    return;

  g_main_context_invoke (self->context, quit_cb, self);
  g_thread_join (self->thread);

  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_ptr_array_unref (self->order);
  g_hash_table_unref (self->streams);
  g_queue_clear_full (&self->control, (GDestroyNotify) item_free);
  g_free (self->config.uri);
  g_free (self->last_error);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/* Called with the lock held, for control items: the owner is woken at once. */
static gboolean
need_wakeup_locked (LablinkWsWorker *self)
{
  if (self->wake_pending)
    return FALSE;
  self->wake_pending = TRUE;
  self->unwoken = 0;
  return TRUE;
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
      g_source_set_ready_time (self->flush_source, 0);
    }
  return FALSE;
}

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

  g_queue_push_tail (&self->control, item);
  if (self->control.length > CONTROL_QUEUE_LENGTH)
    {
      item_free (g_queue_pop_head (&self->control));
      self->control_dropped++;
    }
}

static void
post_item (LablinkWsWorker   *self,
           LablinkWsItemKind  kind,
           LablinkMessage    *message,
           GError            *error)
{
  gboolean wake;

  g_mutex_lock (&self->lock);
  push_control_locked (self, kind, message, error);
  wake = need_wakeup_locked (self);
  g_mutex_unlock (&self->lock);

  if (wake)
    self->wakeup (self->wakeup_data);
}

static void
set_state (LablinkWsWorker        *self,
           LablinkConnectionState  state,
           gint64                  next_retry,
           const char             *error_message)
{
  gboolean wake;

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
  push_control_locked (self, LABLINK_WS_ITEM_STATE, NULL, NULL);
  ((LablinkWsItem *) g_queue_peek_tail (&self->control))->state = state;
  wake = need_wakeup_locked (self);
  g_mutex_unlock (&self->lock);

  if (wake)
    self->wakeup (self->wakeup_data);
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

/* W: one frame arrived. This is the hot path: parse, then one lock. */
static void
on_message (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *bytes,
            gpointer                 data)
{
  LablinkWsWorker *self = data;
  g_autoptr(GError) error = NULL;
  LablinkMessage *message = NULL;
  gsize size = g_bytes_get_size (bytes);
  gint64 now = g_get_monotonic_time ();
  LablinkErrorKind kind = LABLINK_ERROR_KIND_MALFORMED;
  gboolean wake = FALSE;

  self->last_rx = now;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_set_error (&error, LABLINK_ERROR, LABLINK_ERROR_BINARY_FRAME,
                   "Unexpected binary frame of %" G_GSIZE_FORMAT " bytes", size);
      kind = LABLINK_ERROR_KIND_BINARY;
    }
  else
    {
      /* config.max_payload only changes on this thread (connect_cb). */
      message = lablink_message_parse_bytes (bytes, self->config.max_payload, &error);
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
      wake = need_wakeup_locked (self);
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
            ring_push (entry, message, self->queue_length);
            wake = batch_wakeup_locked (self, now);
          }
          break;

        case LABLINK_MESSAGE_PONG:
          if (self->ping_sent != 0)
            {
              self->ping_latency_ms = (now - self->ping_sent) / 1000.0;
              self->ping_sent = 0;
            }
          push_control_locked (self, LABLINK_WS_ITEM_MESSAGE, message, NULL);
          wake = need_wakeup_locked (self);
          break;

        case LABLINK_MESSAGE_ERROR:
          self->errors[LABLINK_ERROR_KIND_SERVER]++;
          G_GNUC_FALLTHROUGH;

        default:
          push_control_locked (self, LABLINK_WS_ITEM_MESSAGE, message, NULL);
          wake = need_wakeup_locked (self);
          break;
        }
    }
  g_mutex_unlock (&self->lock);

  if (wake)
    self->wakeup (self->wakeup_data);
}

/* W */
static void
send_text (LablinkWsWorker *self,
           const char      *text)
{
  gsize len;

  if (self->conn == NULL ||
      soup_websocket_connection_get_state (self->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  len = strlen (text);
  soup_websocket_connection_send_text (self->conn, text);

  g_mutex_lock (&self->lock);
  self->messages_sent++;
  self->bytes_sent += len;
  g_mutex_unlock (&self->lock);
}

/* W */
static void
teardown_connection (LablinkWsWorker *self,
                     gboolean         close)
{
  if (self->keepalive_source)
    g_source_destroy (self->keepalive_source);
  g_clear_pointer (&self->keepalive_source, g_source_unref);

  if (self->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->conn, self);
      if (close && soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&self->conn);
    }

  g_mutex_lock (&self->lock);
  self->up_since = 0;
  g_mutex_unlock (&self->lock);

  self->ping_sent = 0;
}

/* W */
static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 data)
{
  LablinkWsWorker *self = data;
  gushort code = soup_websocket_connection_get_close_code (conn);
  g_autofree char *reason = NULL;

  if (code == 0 || code == SOUP_WEBSOCKET_CLOSE_NORMAL || code == SOUP_WEBSOCKET_CLOSE_GOING_AWAY)
    reason = g_strdup (_("The server closed the connection"));
  else
    reason = g_strdup_printf (_("The server closed the connection (code %u)"), code);

  teardown_connection (self, FALSE);

  g_mutex_lock (&self->lock);
  self->errors[LABLINK_ERROR_KIND_CONNECTION]++;
  g_mutex_unlock (&self->lock);

  if (self->want_connected)
    schedule_retry (self, reason);
  else
    set_state (self, LABLINK_CONNECTION_DISCONNECTED, 0, NULL);
}

/* W */
static void
on_error (SoupWebsocketConnection *conn,
          GError                  *error,
          gpointer                 data)
{
  LablinkWsWorker *self = data;

  g_debug ("WebSocket error: %s", error->message);
  g_mutex_lock (&self->lock);
  g_free (self->last_error);
  self->last_error = g_strdup (error->message);
  g_mutex_unlock (&self->lock);
}

/* W: application ping, and dead-link detection. */
static gboolean
keepalive_cb (gpointer data)
{
  LablinkWsWorker *self = data;
  gint64 now = g_get_monotonic_time ();
  guint interval_ms;

  g_mutex_lock (&self->lock);
  interval_ms = self->config.ping_interval_ms;
  g_mutex_unlock (&self->lock);

  if (now - self->last_rx > 3 * (gint64) interval_ms * 1000)
    {
      g_autofree char *reason = g_strdup_printf (_("No answer from the server for %.0f s"),
                                                 (now - self->last_rx) / (double) G_USEC_PER_SEC);
      teardown_connection (self, TRUE);
      g_mutex_lock (&self->lock);
      self->errors[LABLINK_ERROR_KIND_CONNECTION]++;
      g_mutex_unlock (&self->lock);
      schedule_retry (self, reason);
      return G_SOURCE_REMOVE;
    }

  if (self->ping_sent == 0)
    {
      g_autofree char *ping = lablink_protocol_build_ping ();
      self->ping_sent = now;
      send_text (self, ping);
    }

  return G_SOURCE_CONTINUE;
}

/* W */
static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  LablinkWsWorker *self = data;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *conn;
  GPtrArray *frames;
  GHashTableIter iter;
  StreamEntry *entry;
  guint status;
  guint i;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  msg = g_steal_pointer (&self->connect_msg);

  g_clear_object (&self->connect_cancellable);
  status = msg ? soup_message_get_status (msg) : 0;

  if (conn == NULL)
    {
      g_autoptr(GError) reported = NULL;

      if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
        {
          reported = g_error_new (LABLINK_ERROR, LABLINK_ERROR_AUTH,
                                  _("The server refused the connection (HTTP %u): log in with a valid user name and password"),
                                  status);
          self->want_connected = FALSE;
          g_mutex_lock (&self->lock);
          self->errors[LABLINK_ERROR_KIND_CONNECTION]++;
          g_mutex_unlock (&self->lock);
          set_state (self, LABLINK_CONNECTION_AUTH_FAILED, 0, reported->message);
        }
      else
        {
          if (status >= 300)
            reported = g_error_new (LABLINK_ERROR, LABLINK_ERROR_HTTP,
                                    _("The server refused the WebSocket connection (HTTP %u %s)"),
                                    status, soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : "");
          else
            reported = g_error_new (LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED,
                                    _("Could not connect: %s"), error->message);
          g_mutex_lock (&self->lock);
          self->errors[LABLINK_ERROR_KIND_CONNECTION]++;
          g_mutex_unlock (&self->lock);
          if (self->want_connected)
            schedule_retry (self, reported->message);
        }

      if (self->report_connect)
        {
          self->report_connect = FALSE;
          post_item (self, LABLINK_WS_ITEM_CONNECTED, NULL, g_steal_pointer (&reported));
        }
      return;
    }

  if (!self->want_connected)
    {
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (conn);
      return;
    }

  self->conn = conn;
  g_mutex_lock (&self->lock);
  soup_websocket_connection_set_max_incoming_payload_size (conn, self->config.max_payload);
  soup_websocket_connection_set_keepalive_interval (conn, MAX (1, self->config.ping_interval_ms / 1000));
  self->up_since = g_get_monotonic_time ();
  if (self->ever_connected)
    self->reconnects++;
  self->attempt = 0;
  self->ever_connected = TRUE;

  /* Every stream we want running is (re)started: the server cancels all
   * streams when its last client leaves. */
  frames = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->start_frame != NULL)
      {
        g_ptr_array_add (frames, g_strdup (entry->start_frame));
        entry->status = LABLINK_STREAM_STATUS_STARTING;
        entry->n_arrivals = 0;
      }
  g_mutex_unlock (&self->lock);

  self->connected_since = g_get_monotonic_time ();
  self->last_rx = self->connected_since;
  self->ping_sent = 0;

  g_signal_connect (conn, "message", G_CALLBACK (on_message), self);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), self);
  g_signal_connect (conn, "error", G_CALLBACK (on_error), self);

  set_state (self, LABLINK_CONNECTION_CONNECTED, 0, NULL);

  for (i = 0; i < frames->len; i++)
    send_text (self, g_ptr_array_index (frames, i));
  g_ptr_array_unref (frames);

  g_mutex_lock (&self->lock);
  self->keepalive_source = g_timeout_source_new (MAX (self->config.ping_interval_ms, 50));
  g_mutex_unlock (&self->lock);
  g_source_set_callback (self->keepalive_source, keepalive_cb, self, NULL);
  g_source_set_static_name (self->keepalive_source, "[lablink] keepalive");
  g_source_attach (self->keepalive_source, self->context);

  /* A first round trip at once, so the latency is known from the start. */
  {
    g_autofree char *ping = lablink_protocol_build_ping ();
    self->ping_sent = g_get_monotonic_time ();
    send_text (self, ping);
  }

  if (self->report_connect)
    {
      self->report_connect = FALSE;
      post_item (self, LABLINK_WS_ITEM_CONNECTED, NULL, NULL);
    }
}

/* W */
static void
start_attempt (LablinkWsWorker *self)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  char *uri_text;

  if (self->retry_source)
    g_source_destroy (self->retry_source);
  g_clear_pointer (&self->retry_source, g_source_unref);

  g_mutex_lock (&self->lock);
  uri_text = g_strdup (self->config.uri);
  g_mutex_unlock (&self->lock);

  uri = g_uri_parse (uri_text, SOUP_HTTP_URI_FLAGS, &error);
  g_free (uri_text);
  if (uri == NULL)
    {
      GError *reported = g_error_new (LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                                      _("Invalid WebSocket URL: %s"), error->message);
      self->want_connected = FALSE;
      set_state (self, LABLINK_CONNECTION_DISCONNECTED, 0, reported->message);
      if (self->report_connect)
        {
          self->report_connect = FALSE;
          post_item (self, LABLINK_WS_ITEM_CONNECTED, NULL, reported);
        }
      else
        g_error_free (reported);
      return;
    }

  /* Kept so that the callback can read the handshake's HTTP status. */
  g_clear_object (&self->connect_msg);
  self->connect_msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  self->connect_cancellable = g_cancellable_new ();

  soup_session_websocket_connect_async (self->session, self->connect_msg, NULL, NULL,
                                        G_PRIORITY_DEFAULT, self->connect_cancellable,
                                        on_connected, self);
}

/* W */
static gboolean
retry_cb (gpointer data)
{
  LablinkWsWorker *self = data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  start_attempt (self);
  return G_SOURCE_REMOVE;
}

/* W: full-jitter exponential backoff. */
static void
schedule_retry (LablinkWsWorker *self,
                const char      *reason)
{
  gint64 now = g_get_monotonic_time ();
  guint64 cap_ms, delay_ms;
  guint attempt;

  g_mutex_lock (&self->lock);
  if (!self->config.reconnect)
    {
      g_mutex_unlock (&self->lock);
      self->want_connected = FALSE;
      set_state (self, LABLINK_CONNECTION_DISCONNECTED, 0, reason);
      return;
    }

  /* The backoff restarts only after the link stayed up for a while, so a
   * server that accepts and drops at once is not hammered. */
  if (self->connected_since != 0 &&
      now - self->connected_since >= (gint64) self->config.stable_after_ms * 1000)
    self->attempt = 0;
  self->connected_since = 0;

  attempt = self->attempt++;
  cap_ms = self->config.backoff_initial_ms;
  while (attempt-- > 0 && cap_ms < self->config.backoff_max_ms)
    cap_ms *= 2;
  cap_ms = MIN (cap_ms, self->config.backoff_max_ms);
  g_mutex_unlock (&self->lock);

  delay_ms = (guint64) g_rand_double_range (self->rand, 0, (double) cap_ms + 1);

  if (self->retry_source)
    g_source_destroy (self->retry_source);
  g_clear_pointer (&self->retry_source, g_source_unref);
  self->retry_source = g_timeout_source_new ((guint) delay_ms);
  g_source_set_callback (self->retry_source, retry_cb, self, NULL);
  g_source_set_static_name (self->retry_source, "[lablink] reconnect");
  g_source_attach (self->retry_source, self->context);

  set_state (self, LABLINK_CONNECTION_RECONNECTING, now + (gint64) delay_ms * 1000, reason);
}

typedef struct {
  LablinkWsWorker *self;
  LablinkWsConfig  config;
  char            *text;
  char            *key;
} Call;

static void
call_free (gpointer data)
{
  Call *call = data;

  g_free (call->config.uri);
  g_free (call->text);
  g_free (call->key);
  g_free (call);
}

static void
invoke (LablinkWsWorker *self,
        GSourceFunc      func,
        Call            *call)
{
  call->self = self;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, func, call, call_free);
}

static gboolean
connect_cb (gpointer data)
{
  Call *call = data;
  LablinkWsWorker *self = call->self;

  if (self->connect_cancellable)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  teardown_connection (self, TRUE);

  g_mutex_lock (&self->lock);
  g_free (self->config.uri);
  self->config = call->config;
  call->config.uri = NULL;
  self->attempt = 0;
  self->connected_since = 0;
  g_mutex_unlock (&self->lock);

  self->want_connected = TRUE;
  self->report_connect = TRUE;
  set_state (self, self->ever_connected ? LABLINK_CONNECTION_RECONNECTING : LABLINK_CONNECTION_CONNECTING, 0, NULL);
  start_attempt (self);
  return G_SOURCE_REMOVE;
}

/**
 * lablink_ws_worker_connect: (skip)
 *
 * Owner-side: (re)connects with @config; the result arrives as a
 * LABLINK_WS_ITEM_CONNECTED item.
 */
void
lablink_ws_worker_connect (LablinkWsWorker       *self,
                           const LablinkWsConfig *config)
{
  Call *call = g_new0 (Call, 1);

  call->config = *config;
  call->config.uri = g_strdup (config->uri);

  g_mutex_lock (&self->lock);
  self->queue_length = MAX (config->queue_length, 1);
  g_mutex_unlock (&self->lock);

  invoke (self, connect_cb, call);
}

static gboolean
disconnect_cb (gpointer data)
{
  Call *call = data;
  LablinkWsWorker *self = call->self;

  self->want_connected = FALSE;
  if (self->connect_cancellable)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  if (self->retry_source)
    g_source_destroy (self->retry_source);
  g_clear_pointer (&self->retry_source, g_source_unref);
  teardown_connection (self, TRUE);

  if (self->report_connect)
    {
      self->report_connect = FALSE;
      post_item (self, LABLINK_WS_ITEM_CONNECTED, NULL,
                 g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Disconnected")));
    }

  set_state (self, LABLINK_CONNECTION_DISCONNECTED, 0, NULL);
  return G_SOURCE_REMOVE;
}

void
lablink_ws_worker_disconnect (LablinkWsWorker *self)
{
  invoke (self, disconnect_cb, g_new0 (Call, 1));
}

static gboolean
reconnect_now_cb (gpointer data)
{
  Call *call = data;
  LablinkWsWorker *self = call->self;

  if (self->conn != NULL || self->config.uri == NULL)
    return G_SOURCE_REMOVE;
  if (self->connect_cancellable != NULL)
    return G_SOURCE_REMOVE;  /* an attempt is already under way */

  self->want_connected = TRUE;
  set_state (self, self->ever_connected ? LABLINK_CONNECTION_RECONNECTING : LABLINK_CONNECTION_CONNECTING, 0, NULL);
  start_attempt (self);
  return G_SOURCE_REMOVE;
}

void
lablink_ws_worker_reconnect_now (LablinkWsWorker *self)
{
  invoke (self, reconnect_now_cb, g_new0 (Call, 1));
}

static gboolean
send_cb (gpointer data)
{
  Call *call = data;

  send_text (call->self, call->text);
  return G_SOURCE_REMOVE;
}

static gboolean
ping_cb (gpointer data)
{
  Call *call = data;
  LablinkWsWorker *self = call->self;
  g_autofree char *ping = lablink_protocol_build_ping ();

  /* The round trip is timed from the oldest unanswered ping. */
  if (self->ping_sent == 0)
    self->ping_sent = g_get_monotonic_time ();
  send_text (self, ping);
  return G_SOURCE_REMOVE;
}

/* Owner-side: an application ping, timed. */
void
lablink_ws_worker_ping (LablinkWsWorker *self)
{
  invoke (self, ping_cb, g_new0 (Call, 1));
}

/* Owner-side: takes @text. */
void
lablink_ws_worker_send (LablinkWsWorker *self,
                        char            *text)
{
  Call *call = g_new0 (Call, 1);

  call->text = text;
  invoke (self, send_cb, call);
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

guint
lablink_ws_worker_take (LablinkWsWorker *self,
                        LablinkWsItem   *items,
                        guint            max,
                        gboolean        *more)
{
  guint n = 0;
  guint n_streams;

  g_mutex_lock (&self->lock);

  while (n < max && self->control.length > 0)
    {
      LablinkWsItem *item = g_queue_pop_head (&self->control);
      items[n++] = *item;
      g_free (item);
    }

  n_streams = self->order->len;
  while (n < max && n_streams > 0)
    {
      gboolean found = FALSE;
      guint i;

      for (i = 0; i < n_streams && n < max; i++)
        {
          StreamEntry *entry = g_ptr_array_index (self->order, (self->rr_pos + i) % n_streams);
          LablinkMessage *message = ring_pop (entry);

          if (message == NULL)
            continue;
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
