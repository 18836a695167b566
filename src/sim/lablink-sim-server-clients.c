/* lablink-sim-server-clients.c — the simulated server's WebSocket clients:
 * connecting, sending (with the latency and drop faults), broadcasting, closing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>

#include "lablink-sim-server-private.h"

#define MAX_INCOMING_PAYLOAD (1024 * 1024)

struct _SimClient
{
  gint                     ref_count;
  LablinkSimServer        *server;      /* unowned; NULL once removed */
  guint64                  id;
  SoupWebsocketConnection *conn;
  GSocket                 *socket;
  gulong                   message_id;
  gulong                   closed_id;
  guint64                  n_sent;
  gboolean                 dropping;
  GQueue                   pending;     /* PendingFrame, for the latency fault */
  GSource                  *latency_source;
  GSource                  *drop_source;
};

typedef struct
{
  gint64  due;      /* monotonic µs */
  GBytes *bytes;
  gboolean raw;
} PendingFrame;

/* ------------------------------------------------------------------------ */
/* A client                                                                  */

static SimClient *
client_ref (SimClient *client)
{
  client->ref_count++;
  return client;
}

static void
pending_frame_free (PendingFrame *frame)
{
  g_bytes_unref (frame->bytes);
  g_free (frame);
}

static void
client_release (SimClient *client)
{
  lablink_sim_clear_source (&client->latency_source);
  lablink_sim_clear_source (&client->drop_source);
  g_queue_clear_full (&client->pending, (GDestroyNotify) pending_frame_free);
  if (client->conn != NULL)
    {
      g_clear_signal_handler (&client->message_id, client->conn);
      g_clear_signal_handler (&client->closed_id, client->conn);
    }
}

static void
client_unref (SimClient *client)
{
  if (--client->ref_count > 0)
    return;

  client_release (client);
  g_clear_object (&client->conn);
  g_clear_object (&client->socket);
  g_free (client);
}

static gboolean
client_is_open (SimClient *client)
{
  return client->server != NULL && !client->dropping && client->conn != NULL &&
         soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN;
}

static void
note_drop (LablinkSimServer *self)
{
  if (self->refuse_ms > 0)
    self->refuse_until = g_get_monotonic_time () + (gint64) self->refuse_ms * 1000;
}

/* A dropped connection: TCP shutdown, no close frame (the peer sees 1006). */
static void
client_drop (SimClient *client)
{
  if (client->dropping || client->server == NULL)
    return;

  g_debug ("client %" G_GUINT64_FORMAT ": dropping the connection", client->id);
  client->dropping = TRUE;
  note_drop (client->server);
  lablink_sim_clear_source (&client->latency_source);
  g_queue_clear_full (&client->pending, (GDestroyNotify) pending_frame_free);
  if (client->socket != NULL)
    g_socket_shutdown (client->socket, TRUE, TRUE, NULL);
  else if (client->conn != NULL)
    g_io_stream_close (soup_websocket_connection_get_io_stream (client->conn), NULL, NULL);
}

static void
client_close (SimClient *client,
              gushort    code)
{
  if (client_is_open (client))
    soup_websocket_connection_close (client->conn, code, NULL);
}

/* ------------------------------------------------------------------------ */
/* Sending                                                                   */

/* Writes one raw, unmasked WebSocket text frame: how the simulator sends
 * bytes libsoup would refuse to (non-UTF-8 text). */
static void
client_write_raw (SimClient *client,
                  GBytes    *payload)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  gsize length;
  const guint8 *data = g_bytes_get_data (payload, &length);
  guint8 header[10];
  gsize header_len;
  gssize written;

  header[0] = 0x81;
  if (length < 126)
    {
      header[1] = (guint8) length;
      header_len = 2;
    }
  else if (length <= 0xffff)
    {
      header[1] = 126;
      header[2] = (guint8) (length >> 8);
      header[3] = (guint8) length;
      header_len = 4;
    }
  else
    {
      guint i;

      header[1] = 127;
      for (i = 0; i < 8; i++)
        header[2 + i] = (guint8) ((guint64) length >> (56 - 8 * i));
      header_len = 10;
    }
  g_byte_array_append (frame, header, header_len);
  g_byte_array_append (frame, data, length);

  if (client->socket == NULL)
    return;
  written = g_socket_send_with_blocking (client->socket, (const char *) frame->data, frame->len, FALSE, NULL, NULL);
  if (written != (gssize) frame->len)
    client_drop (client);   /* a partial frame corrupts the stream anyway */
}

static void
client_write (SimClient *client,
              GBytes    *bytes,
              gboolean   raw)
{
  LablinkSimServer *self = client->server;

  if (!client_is_open (client))
    return;

  if (raw)
    client_write_raw (client, bytes);
  else
    soup_websocket_connection_send_message (client->conn, SOUP_WEBSOCKET_DATA_TEXT, bytes);

  client->n_sent++;
  if (self != NULL && self->drop_after_messages > 0 && client->n_sent >= self->drop_after_messages)
    client_drop (client);
}

static gboolean
client_latency_cb (gpointer user_data)
{
  SimClient *client = user_data;
  gint64 now = g_get_monotonic_time ();

  client_ref (client);
  g_clear_pointer (&client->latency_source, g_source_unref);

  while (!g_queue_is_empty (&client->pending) && client_is_open (client))
    {
      PendingFrame *frame = g_queue_peek_head (&client->pending);

      if (frame->due > now)
        break;
      g_queue_pop_head (&client->pending);
      client_write (client, frame->bytes, frame->raw);
      pending_frame_free (frame);
    }

  if (!g_queue_is_empty (&client->pending) && client_is_open (client))
    {
      PendingFrame *frame = g_queue_peek_head (&client->pending);
      guint delay = (guint) CLAMP ((frame->due - now + 999) / 1000, 0, G_MAXINT);

      client->latency_source = lablink_sim_server_attach_timeout (client->server, delay, client_latency_cb,
                                                                  client, "[lablink-sim] latency");
    }

  client_unref (client);
  return G_SOURCE_REMOVE;
}

static void
client_send (SimClient *client,
             GBytes    *bytes,
             gboolean   raw)
{
  LablinkSimServer *self = client->server;

  if (!client_is_open (client))
    return;

  if (self->latency_ms == 0 && g_queue_is_empty (&client->pending))
    {
      client_write (client, bytes, raw);
      return;
    }

  {
    PendingFrame *frame = g_new0 (PendingFrame, 1);

    frame->due = g_get_monotonic_time () + (gint64) self->latency_ms * 1000;
    frame->bytes = g_bytes_ref (bytes);
    frame->raw = raw;
    g_queue_push_tail (&client->pending, frame);
  }

  if (client->latency_source == NULL)
    client->latency_source = lablink_sim_server_attach_timeout (self, self->latency_ms, client_latency_cb,
                                                                client, "[lablink-sim] latency");
}

void
lablink_sim_client_send_string (SimClient *client,
                                GString   *out)
{
  g_autoptr(GBytes) bytes = lablink_sim_string_to_bytes (out);

  client_send (client, bytes, FALSE);
}

/* Sends @bytes to every open client; returns how many. */
guint
lablink_sim_server_broadcast (LablinkSimServer *self,
                              GBytes           *bytes,
                              gboolean          raw)
{
  g_autoptr(GPtrArray) snapshot = g_ptr_array_new_with_free_func ((GDestroyNotify) client_unref);
  GList *l;
  guint i, n = 0;

  for (l = self->clients; l != NULL; l = l->next)
    g_ptr_array_add (snapshot, client_ref (l->data));

  for (i = 0; i < snapshot->len; i++)
    {
      SimClient *client = g_ptr_array_index (snapshot, i);

      if (client_is_open (client))
        {
          client_send (client, bytes, raw);
          n++;
        }
    }
  return n;
}

guint
lablink_sim_server_broadcast_string (LablinkSimServer *self,
                                     GString          *out)
{
  g_autoptr(GBytes) bytes = lablink_sim_string_to_bytes (out);

  return lablink_sim_server_broadcast (self, bytes, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Connections                                                               */

static void
update_n_clients (LablinkSimServer *self)
{
  g_mutex_lock (&self->lock);
  self->n_clients = g_list_length (self->clients);
  g_mutex_unlock (&self->lock);
}

static gboolean
reap_cb (gpointer user_data)
{
  LablinkSimServer *self = user_data;
  GList *dead = g_steal_pointer (&self->dead);

  g_clear_pointer (&self->reap_source, g_source_unref);
  g_list_free_full (dead, (GDestroyNotify) client_unref);

  /* The real server cancels every stream when its last client leaves. */
  if (self->clients == NULL && g_hash_table_size (self->streams) > 0)
    {
      g_debug ("last client gone: cancelling %u streams", g_hash_table_size (self->streams));
      g_hash_table_remove_all (self->streams);
    }
  return G_SOURCE_REMOVE;
}

static void
on_ws_closed (SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  SimClient *client = user_data;
  LablinkSimServer *self = client->server;

  if (self == NULL)
    return;

  g_debug ("client %" G_GUINT64_FORMAT ": closed (code %u)", client->id,
           soup_websocket_connection_get_close_code (conn));

  self->clients = g_list_remove (self->clients, client);
  self->closing = g_list_remove (self->closing, client);
  self->dead = g_list_prepend (self->dead, client);   /* the list's reference moves */
  client->server = NULL;
  client_release (client);
  update_n_clients (self);

  if (self->reap_source == NULL)
    {
      self->reap_source = g_idle_source_new ();
      g_source_set_name (self->reap_source, "[lablink-sim] reap");
      g_source_set_callback (self->reap_source, reap_cb, self, NULL);
      g_source_attach (self->reap_source, lablink_sim_server_get_context (self));
    }
}

static void
on_ws_message (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *bytes,
               gpointer                 user_data)
{
  SimClient *client = user_data;
  g_autoptr(LablinkMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  if (!client_is_open (client))
    return;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      /* The real server closes on a binary frame (1000, empty reason). */
      client_close (client, SOUP_WEBSOCKET_CLOSE_NORMAL);
      return;
    }

  message = lablink_message_parse_bytes (bytes, MAX_INCOMING_PAYLOAD, &error);
  if (message == NULL)
    {
      if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_NOT_OBJECT))
        client_close (client, SOUP_WEBSOCKET_CLOSE_NORMAL);
      else if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD))
        g_debug ("client %" G_GUINT64_FORMAT ": ignoring frame: %s", client->id, error->message);
      else
        lablink_sim_client_send_string (client, g_string_new ("{\"type\": \"error\", \"detail\": \"Invalid JSON\"}"));
      return;
    }

  client_ref (client);
  lablink_sim_server_handle_message (client->server, client, message);
  client_unref (client);
}

static gboolean
client_drop_timer_cb (gpointer user_data)
{
  SimClient *client = user_data;

  g_clear_pointer (&client->drop_source, g_source_unref);
  client_drop (client);
  return G_SOURCE_REMOVE;
}

void
lablink_sim_server_ws_connected (SoupServer              *soup,
                                 SoupServerMessage       *msg,
                                 const char              *path,
                                 SoupWebsocketConnection *conn,
                                 gpointer                 user_data)
{
  LablinkSimServer *self = user_data;
  SimClient *client;
  GSocket *socket;

  if (self->stopped)
    {
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      return;
    }

  client = g_new0 (SimClient, 1);
  client->ref_count = 1;
  client->server = self;
  client->id = ++self->next_client_id;
  client->conn = g_object_ref (conn);
  socket = soup_server_message_get_socket (msg);
  client->socket = socket != NULL ? g_object_ref (socket) : NULL;
  g_queue_init (&client->pending);

  soup_websocket_connection_set_max_incoming_payload_size (conn, MAX_INCOMING_PAYLOAD);
  soup_websocket_connection_set_keepalive_interval (conn, 0);
  client->message_id = g_signal_connect (conn, "message", G_CALLBACK (on_ws_message), client);
  client->closed_id = g_signal_connect (conn, "closed", G_CALLBACK (on_ws_closed), client);

  if (self->drop_after_ms > 0)
    client->drop_source = lablink_sim_server_attach_timeout (self, self->drop_after_ms, client_drop_timer_cb,
                                                             client, "[lablink-sim] drop-after");

  self->clients = g_list_append (self->clients, client);
  update_n_clients (self);
  g_debug ("client %" G_GUINT64_FORMAT ": connected (%u open)", client->id, g_list_length (self->clients));
}

/* Runs before libsoup's handshake: refusals (503) and authentication (403). */
void
lablink_sim_server_ws_precheck (SoupServer        *soup,
                                SoupServerMessage *msg,
                                const char        *path,
                                GHashTable        *query,
                                gpointer           user_data)
{
  LablinkSimServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (self->refuse_until != 0 && g_get_monotonic_time () < self->refuse_until)
    {
      g_debug ("refusing a WebSocket upgrade (fault injection)");
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "", 0);
      soup_message_headers_replace (headers, "Connection", "close");
      return;
    }

  if (self->auth_username != NULL)
    {
      const char *token = query != NULL ? g_hash_table_lookup (query, "token") : NULL;

      if (token == NULL || !lablink_sim_server_token_is_valid (self, token))
        {
          soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
          soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "", 0);
          soup_message_headers_replace (headers, "Connection", "close");
          return;
        }
    }
  /* status left unset: libsoup goes on with the WebSocket handshake */
}

/**
 * lablink_sim_server_get_n_clients:
 * @self: a server
 *
 * Returns: the number of open WebSocket connections. Thread-safe.
 */
guint
lablink_sim_server_get_n_clients (LablinkSimServer *self)
{
  guint n;

  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), 0);

  g_mutex_lock (&self->lock);
  n = self->n_clients;
  g_mutex_unlock (&self->lock);
  return n;
}

/* ------------------------------------------------------------------------ */
/* Closing every client                                                      */

/* stop(): close every open client (1001), shut down the others. */
void
lablink_sim_server_close_clients (LablinkSimServer *self)
{
  GList *clients, *l;

  clients = g_steal_pointer (&self->clients);
  for (l = clients; l != NULL; l = l->next)
    {
      SimClient *client = l->data;

      lablink_sim_clear_source (&client->drop_source);
      lablink_sim_clear_source (&client->latency_source);
      g_queue_clear_full (&client->pending, (GDestroyNotify) pending_frame_free);
      if (client_is_open (client))
        soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      else if (client->socket != NULL)
        g_socket_shutdown (client->socket, TRUE, TRUE, NULL);
    }
  self->closing = g_list_concat (self->closing, clients);
  update_n_clients (self);
}

static void
free_client_list (GList **list)
{
  GList *l;

  for (l = *list; l != NULL; l = l->next)
    {
      SimClient *client = l->data;

      client->server = NULL;
      if (client->socket != NULL)
        g_socket_shutdown (client->socket, TRUE, TRUE, NULL);
      client_unref (client);
    }
  g_clear_pointer (list, g_list_free);
}

/* dispose(): forget every client, whatever its state. */
void
lablink_sim_server_free_clients (LablinkSimServer *self)
{
  free_client_list (&self->clients);
  free_client_list (&self->closing);
  free_client_list (&self->dead);
  lablink_sim_clear_source (&self->reap_source);
}

guint
lablink_sim_server_drop_all (LablinkSimServer *self,
                             gboolean          abrupt,
                             gushort           code)
{
  g_autoptr(GPtrArray) snapshot = g_ptr_array_new_with_free_func ((GDestroyNotify) client_unref);
  GList *l;
  guint i;

  for (l = self->clients; l != NULL; l = l->next)
    g_ptr_array_add (snapshot, client_ref (l->data));

  if (snapshot->len > 0)
    note_drop (self);
  for (i = 0; i < snapshot->len; i++)
    {
      SimClient *client = g_ptr_array_index (snapshot, i);

      if (abrupt)
        client_drop (client);
      else
        client_close (client, code);
    }
  return snapshot->len;
}
