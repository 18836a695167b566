/* lablink-ws-worker.c — the WebSocket side of LablinkStreamManager
 *
 * The worker's thread and its connection: connecting (with a handshake
 * timeout), reconnecting with backoff, keeping the link alive, and the
 * owner-side calls that queue work for the thread. The queues it fills are
 * in lablink-ws-worker-handoff.c; see lablink-ws-worker-private.h for the
 * design. Everything named "W" runs on the worker thread; functions
 * documented as owner-side only take the lock and queue work for the worker.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lablink-certificate-private.h"
#include "lablink-error.h"
#include "lablink-protocol.h"
#include "lablink-ws-read-stream-private.h"
#include "lablink-ws-worker-private.h"

static void start_attempt     (LablinkWsWorker *self);
static void schedule_retry    (LablinkWsWorker *self,
                               const char      *reason);

/* W: abandons the attempt under way, if any; its callback then sees
 * G_IO_ERROR_CANCELLED and does nothing. */
static void
cancel_attempt (LablinkWsWorker *self)
{
  if (self->connect_cancellable)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  if (self->handshake_source)
    g_source_destroy (self->handshake_source);
  g_clear_pointer (&self->handshake_source, g_source_unref);
  g_clear_object (&self->connect_msg);
}

/* W: an attempt failed for @reported (taken): counted, then retried (unless
 * the server refused our credentials: @auth) and reported to a connect()
 * waiting for its first result. */
static void
attempt_failed (LablinkWsWorker *self,
                GError          *reported,
                gboolean         auth)
{
  /* a refused certificate stays refused until the user pins it */
  gboolean certificate = g_error_matches (reported, LABLINK_ERROR, LABLINK_ERROR_UNTRUSTED_CERTIFICATE) ||
                         g_error_matches (reported, LABLINK_ERROR, LABLINK_ERROR_CERTIFICATE_CHANGED);

  if (auth || certificate)
    self->want_connected = FALSE;
  g_mutex_lock (&self->lock);
  self->errors[LABLINK_ERROR_KIND_CONNECTION]++;
  g_mutex_unlock (&self->lock);

  if (auth)
    lablink_ws_worker_set_state_error (self, LABLINK_CONNECTION_AUTH_FAILED, 0, reported);
  else if (certificate)
    lablink_ws_worker_set_state_error (self, LABLINK_CONNECTION_DISCONNECTED, 0, reported);
  else if (self->want_connected)
    schedule_retry (self, reported->message);

  if (self->report_connect)
    {
      self->report_connect = FALSE;
      lablink_ws_worker_post_item (self, LABLINK_WS_ITEM_CONNECTED, NULL, reported);
    }
  else
    g_error_free (reported);
}

/* W: a server that accepts the TCP connection but never answers the
 * upgrade would otherwise hold the attempt forever (the session has no
 * I/O timeout: an open WebSocket may rightly be quiet for long). */
static gboolean
handshake_timeout_cb (gpointer data)
{
  LablinkWsWorker *self = data;
  g_autofree char *what = NULL;
  guint timeout_ms;

  g_mutex_lock (&self->lock);
  timeout_ms = self->config.handshake_timeout_ms;
  g_mutex_unlock (&self->lock);

  /* Being dispatched: dropped here so that cancel_attempt() leaves it be. */
  g_clear_pointer (&self->handshake_source, g_source_unref);
  cancel_attempt (self);

  what = g_strdup_printf (_("no answer to the WebSocket handshake within %.1f s"), timeout_ms / 1000.0);
  attempt_failed (self, g_error_new (LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED, _("Could not connect: %s"), what),
                  FALSE);
  return G_SOURCE_REMOVE;
}

static gpointer
worker_thread (gpointer data)
{
  LablinkWsWorker *self = data;

  g_main_context_push_thread_default (self->context);
  self->session = soup_session_new_with_options ("timeout", 0, "idle-timeout", 0, NULL);
  /* Our framing (lablink-ws-frame.c) has no permessage-deflate: it is not
   * offered, and the server sends its frames as they are. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);
  self->rand = g_rand_new ();
  self->flush_source = lablink_ws_worker_flush_source_new (self);

  g_main_loop_run (self->loop);

  cancel_attempt (self);
  if (self->retry_source)
    g_source_destroy (self->retry_source);
  g_clear_pointer (&self->retry_source, g_source_unref);
  if (self->keepalive_source)
    g_source_destroy (self->keepalive_source);
  g_clear_pointer (&self->keepalive_source, g_source_unref);
  if (self->stable_source)
    g_source_destroy (self->stable_source);
  g_clear_pointer (&self->stable_source, g_source_unref);
  if (self->conn)
    {
      lablink_ws_frame_conn_close (self->conn, SOUP_WEBSOCKET_CLOSE_NORMAL);
      g_clear_pointer (&self->conn, lablink_ws_frame_conn_free);
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
  self->streams = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, lablink_ws_stream_entry_free);
  self->order = g_ptr_array_new ();
  g_queue_init (&self->control);
  self->queue_length = 256;
  self->queue_bytes = DEFAULT_QUEUE_BYTES;
  self->total_queue_bytes = DEFAULT_TOTAL_QUEUE_BYTES;
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
  g_queue_clear_full (&self->control, (GDestroyNotify) lablink_ws_item_free);
  g_free (self->config.uri);
  g_free (self->config.pinned_certificate);
  g_free (self->last_error);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/* W */
static void
send_text (LablinkWsWorker *self,
           const char      *text)
{
  gsize len;

  if (self->conn == NULL || !lablink_ws_frame_conn_is_open (self->conn))
    return;

  len = strlen (text);
  lablink_ws_frame_conn_send_text (self->conn, text, len);

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
  if (self->stable_source)
    g_source_destroy (self->stable_source);
  g_clear_pointer (&self->stable_source, g_source_unref);

  if (self->conn != NULL)
    {
      if (close)
        lablink_ws_frame_conn_close (self->conn, SOUP_WEBSOCKET_CLOSE_NORMAL);
      g_clear_pointer (&self->conn, lablink_ws_frame_conn_free);
    }

  g_mutex_lock (&self->lock);
  self->up_since = 0;
  g_mutex_unlock (&self->lock);

  self->ping_sent = 0;

  /* The last burst is over with the connection. */
  if (self->bursts_reported)
    {
      self->bursts_reported = FALSE;
      lablink_ws_worker_burst_over (NULL, self);
    }
}

/* W: the connection closed; @code is the server's close code (0: none). */
static void
on_closed (gushort  code,
           gpointer data)
{
  LablinkWsWorker *self = data;
  g_autofree char *reason = NULL;

  if (code == 0 || code == SOUP_WEBSOCKET_CLOSE_NORMAL || code == SOUP_WEBSOCKET_CLOSE_GOING_AWAY)
    reason = g_strdup (_("The server closed the connection"));
  else
    reason = g_strdup_printf (_("The server closed the connection (code %u)"), code);

  teardown_connection (self, FALSE);

  /* A frame over max-payload-size: the connection closes the link (1009,
   * "too big") without reading the frame. That is the frame's fault, not
   * the connection's: counted and reported as a too-large frame. */
  if (self->closed_too_big || code == SOUP_WEBSOCKET_CLOSE_TOO_BIG)
    {
      gsize max_payload;

      g_mutex_lock (&self->lock);
      max_payload = self->config.max_payload;
      self->messages_received++;
      self->errors[LABLINK_ERROR_KIND_TOO_LARGE]++;
      g_mutex_unlock (&self->lock);

      /* Worded like the parser's own too-large frame errors. */
      lablink_ws_worker_post_item (self, LABLINK_WS_ITEM_FRAME_ERROR, NULL,
                                   g_error_new (LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE,
                                                "Frame exceeds the limit of %" G_GSIZE_FORMAT " bytes; the connection was closed",
                                                max_payload));
    }
  else
    {
      g_mutex_lock (&self->lock);
      self->errors[LABLINK_ERROR_KIND_CONNECTION]++;
      g_mutex_unlock (&self->lock);
    }
  self->closed_too_big = FALSE;

  if (self->want_connected)
    schedule_retry (self, reason);
  else
    lablink_ws_worker_set_state (self, LABLINK_CONNECTION_DISCONNECTED, 0, NULL);
}

/* W */
static void
on_error (const GError *error,
          gpointer      data)
{
  LablinkWsWorker *self = data;

  g_debug ("WebSocket error: %s", error->message);
  if (g_error_matches (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_CLOSE_TOO_BIG))
    self->closed_too_big = TRUE;
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

/* W: the link stayed up stable-after-ms: the backoff starts over. */
static gboolean
stable_cb (gpointer data)
{
  LablinkWsWorker *self = data;
  gboolean changed;

  g_clear_pointer (&self->stable_source, g_source_unref);

  g_mutex_lock (&self->lock);
  changed = self->attempt != 0;
  self->attempt = 0;
  g_mutex_unlock (&self->lock);

  /* Hands the reset attempt number over (the state itself is unchanged). */
  if (changed)
    lablink_ws_worker_set_state (self, LABLINK_CONNECTION_CONNECTED, 0, NULL);
  return G_SOURCE_REMOVE;
}

/* W: a certificate the system refused is accepted only if pinned; else it
 * is kept on the message for certificate_error(). */
static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              data)
{
  LablinkWsWorker *self = data;
  gboolean accept;

  g_mutex_lock (&self->lock);
  accept = _lablink_certificate_matches_pin (certificate, self->config.pinned_certificate);
  g_mutex_unlock (&self->lock);
  if (!accept)
    {
      g_object_set_data_full (G_OBJECT (msg), "lablink-refused-certificate",
                              g_object_ref (certificate), g_object_unref);
      g_object_set_data (G_OBJECT (msg), "lablink-refused-errors", GUINT_TO_POINTER (errors));
    }
  return accept;
}

/* W */
static GError *
certificate_error (LablinkWsWorker *self,
                   SoupMessage     *msg,
                   GTlsCertificate *certificate)
{
  GUri *uri = soup_message_get_uri (msg);
  g_autofree char *server = _lablink_certificate_server_name (g_uri_get_host (uri), g_uri_get_port (uri), TRUE);
  GTlsCertificateFlags errors = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (msg), "lablink-refused-errors"));
  GError *error;

  g_mutex_lock (&self->lock);
  error = _lablink_certificate_error (server, certificate, errors, self->config.pinned_certificate);
  g_mutex_unlock (&self->lock);
  return error;
}

static const LablinkWsFrameCallbacks frame_callbacks = {
  .message = lablink_ws_worker_on_message,
  .error = on_error,
  .closed = on_closed,
};

/* W: the session did the handshake (TLS, proxy, authentication, headers)
 * and made @conn (taken) on the connection; returns a connection of our own
 * (lablink-ws-frame-conn.c) on the same connection, reading it through a
 * LablinkWsReadStream (large reads, paced bursts: lablink-ws-read-stream.c),
 * or NULL if the stream cannot be taken over. Whatever @conn might have
 * read already would be lost, but a LabLink server sends nothing before the
 * client's first frame (sent once we are connected). */
static LablinkWsFrameConn *
take_over_connection (LablinkWsWorker         *self,
                      SoupWebsocketConnection *conn,
                      gsize                    max_payload)
{
  GIOStream *base = soup_websocket_connection_get_io_stream (conn);
  g_autoptr(GIOStream) stream = NULL;
  LablinkWsFrameConn *ours;
  const char *scheme;

  /* Disposing @conn closes its stream, unless a close cannot start: the
   * stream is marked busy for that moment (its close then fails with
   * G_IO_ERROR_PENDING, which @conn takes as closed). Extensions cannot
   * have been negotiated (none is offered: worker_thread()). */
  if (!G_IS_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (base)) ||
      !G_IS_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (base)) ||
      soup_websocket_connection_get_extensions (conn) != NULL ||
      !g_io_stream_set_pending (base, NULL))
    {
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (conn);
      return NULL;
    }
  g_object_ref (base);

  /* ws:// is a plain socket (also through a proxy); wss:// is TLS. */
  scheme = g_uri_get_scheme (soup_websocket_connection_get_uri (conn));
  stream = lablink_ws_read_stream_new (base, g_strcmp0 (scheme, "ws") == 0 || g_strcmp0 (scheme, "http") == 0,
                                       READ_PERIOD_US, lablink_ws_worker_burst_over, self);

  g_object_run_dispose (G_OBJECT (conn));
  g_object_unref (conn);
  g_io_stream_clear_pending (base);
  g_object_unref (base);

  ours = lablink_ws_frame_conn_new (stream, max_payload, &frame_callbacks, self);
  self->bursts_reported = TRUE;
  return ours;
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
  gsize max_payload;
  GPtrArray *frames;
  GHashTableIter iter;
  StreamEntry *entry;
  guint status;
  guint i;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* This attempt is over: its message, cancellable and timeout go. */
  msg = g_steal_pointer (&self->connect_msg);
  g_clear_object (&self->connect_cancellable);
  if (self->handshake_source)
    g_source_destroy (self->handshake_source);
  g_clear_pointer (&self->handshake_source, g_source_unref);
  status = msg ? soup_message_get_status (msg) : 0;

  if (conn == NULL)
    {
      GTlsCertificate *refused = msg ? g_object_get_data (G_OBJECT (msg), "lablink-refused-certificate") : NULL;

      if (refused != NULL)
        attempt_failed (self, certificate_error (self, msg, refused), FALSE);
      else if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
        attempt_failed (self,
                        g_error_new (LABLINK_ERROR, LABLINK_ERROR_AUTH,
                                     _("The server refused the connection (HTTP %u): log in with a valid user name and password"),
                                     status),
                        TRUE);
      else if (status >= 300)
        attempt_failed (self,
                        g_error_new (LABLINK_ERROR, LABLINK_ERROR_HTTP,
                                     _("The server refused the WebSocket connection (HTTP %u %s)"),
                                     status, soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : ""),
                        FALSE);
      else
        attempt_failed (self,
                        g_error_new (LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED,
                                     _("Could not connect: %s"), error->message),
                        FALSE);
      return;
    }

  if (!self->want_connected)
    {
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (conn);
      return;
    }

  g_mutex_lock (&self->lock);
  max_payload = self->config.max_payload;
  g_mutex_unlock (&self->lock);
  self->closed_too_big = FALSE;
  self->conn = take_over_connection (self, conn, max_payload);
  if (self->conn == NULL)
    {
      attempt_failed (self,
                      g_error_new (LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED, _("Could not connect: %s"),
                                   "the upgraded stream cannot be taken over"),
                      FALSE);
      return;
    }

  /* No WebSocket keepalive: our application ping (keepalive_cb) already
   * makes traffic both ways every interval; a second timer only doubled the
   * idle wake-ups. */
  g_mutex_lock (&self->lock);
  self->up_since = g_get_monotonic_time ();
  if (self->ever_connected)
    self->reconnects++;
  /* The attempt counter is NOT reset here: a server that accepts and drops
   * at once would otherwise be retried at the initial backoff for ever.
   * stable_cb() resets it once the link stayed up stable-after-ms. */
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

  lablink_ws_worker_set_state (self, LABLINK_CONNECTION_CONNECTED, 0, NULL);

  for (i = 0; i < frames->len; i++)
    send_text (self, g_ptr_array_index (frames, i));
  g_ptr_array_unref (frames);

  g_mutex_lock (&self->lock);
  self->keepalive_source = g_timeout_source_new (MAX (self->config.ping_interval_ms, 50));
  self->stable_source = g_timeout_source_new (self->config.stable_after_ms);
  g_mutex_unlock (&self->lock);
  g_source_set_callback (self->keepalive_source, keepalive_cb, self, NULL);
  g_source_set_static_name (self->keepalive_source, "[lablink] keepalive");
  g_source_attach (self->keepalive_source, self->context);
  g_source_set_callback (self->stable_source, stable_cb, self, NULL);
  g_source_set_static_name (self->stable_source, "[lablink] stable link");
  g_source_attach (self->stable_source, self->context);

  /* A first round trip at once, so the latency is known from the start. */
  {
    g_autofree char *ping = lablink_protocol_build_ping ();
    self->ping_sent = g_get_monotonic_time ();
    send_text (self, ping);
  }

  if (self->report_connect)
    {
      self->report_connect = FALSE;
      lablink_ws_worker_post_item (self, LABLINK_WS_ITEM_CONNECTED, NULL, NULL);
    }
}

/* W */
static void
start_attempt (LablinkWsWorker *self)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  guint timeout_ms;
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
      lablink_ws_worker_set_state (self, LABLINK_CONNECTION_DISCONNECTED, 0, reported->message);
      if (self->report_connect)
        {
          self->report_connect = FALSE;
          lablink_ws_worker_post_item (self, LABLINK_WS_ITEM_CONNECTED, NULL, reported);
        }
      else
        g_error_free (reported);
      return;
    }

  /* A fresh attempt: whatever was under way is abandoned. The message is
   * kept so that the callback can read the handshake's HTTP status. */
  cancel_attempt (self);
  self->connect_msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  g_signal_connect (self->connect_msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), self);
  self->connect_cancellable = g_cancellable_new ();

  soup_session_websocket_connect_async (self->session, self->connect_msg, NULL, NULL,
                                        G_PRIORITY_DEFAULT, self->connect_cancellable,
                                        on_connected, self);

  g_mutex_lock (&self->lock);
  timeout_ms = self->config.handshake_timeout_ms;
  g_mutex_unlock (&self->lock);
  if (timeout_ms > 0)
    {
      self->handshake_source = g_timeout_source_new (timeout_ms);
      g_source_set_callback (self->handshake_source, handshake_timeout_cb, self, NULL);
      g_source_set_static_name (self->handshake_source, "[lablink] handshake timeout");
      g_source_attach (self->handshake_source, self->context);
    }
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
      lablink_ws_worker_set_state (self, LABLINK_CONNECTION_DISCONNECTED, 0, reason);
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

  lablink_ws_worker_set_state (self, LABLINK_CONNECTION_RECONNECTING, now + (gint64) delay_ms * 1000, reason);
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
  g_free (call->config.pinned_certificate);
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

  cancel_attempt (self);
  teardown_connection (self, TRUE);

  g_mutex_lock (&self->lock);
  g_free (self->config.uri);
  g_free (self->config.pinned_certificate);
  self->config = call->config;
  call->config.uri = NULL;
  call->config.pinned_certificate = NULL;
  self->attempt = 0;
  self->connected_since = 0;
  g_mutex_unlock (&self->lock);

  self->want_connected = TRUE;
  self->report_connect = TRUE;
  lablink_ws_worker_set_state (self, self->ever_connected ? LABLINK_CONNECTION_RECONNECTING : LABLINK_CONNECTION_CONNECTING, 0, NULL);
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
  call->config.pinned_certificate = g_strdup (config->pinned_certificate);

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
  cancel_attempt (self);
  if (self->retry_source)
    g_source_destroy (self->retry_source);
  g_clear_pointer (&self->retry_source, g_source_unref);
  teardown_connection (self, TRUE);

  if (self->report_connect)
    {
      self->report_connect = FALSE;
      lablink_ws_worker_post_item (self, LABLINK_WS_ITEM_CONNECTED, NULL,
                                   g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Disconnected")));
    }

  lablink_ws_worker_set_state (self, LABLINK_CONNECTION_DISCONNECTED, 0, NULL);
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

  /* An attempt under way may be one that hangs (a server that never
   * answers): start_attempt() abandons it for a fresh one. */
  self->want_connected = TRUE;
  lablink_ws_worker_set_state (self, self->ever_connected ? LABLINK_CONNECTION_RECONNECTING : LABLINK_CONNECTION_CONNECTING, 0, NULL);
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
