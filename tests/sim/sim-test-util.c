/* sim-test-util.c — running the simulator and talking to it, for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sim-test-util.h"

/* ------------------------------------------------------------------------ */
/* Server thread                                                             */

struct _SimThread
{
  GThread          *thread;
  GMainContext     *context;
  GMainLoop        *loop;
  LablinkSimServer *server;
  char             *url;
  GMutex            mutex;
  GCond             cond;
  gboolean          ready;
  SimConfigureFunc  configure;
  gpointer          configure_data;
};

static gboolean
drain_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gpointer
sim_thread_main (gpointer data)
{
  SimThread *st = data;
  g_autoptr(GError) error = NULL;
  gboolean ok, expired = FALSE;
  GSource *drain;

  g_main_context_push_thread_default (st->context);

  st->server = lablink_sim_server_new ();
  if (st->configure != NULL)
    st->configure (st->server, st->configure_data);
  ok = lablink_sim_server_listen (st->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);

  g_mutex_lock (&st->mutex);
  st->url = g_strdup (lablink_sim_server_get_url (st->server));
  st->ready = TRUE;
  g_cond_signal (&st->cond);
  g_mutex_unlock (&st->mutex);

  if (ok)
    g_main_loop_run (st->loop);

  lablink_sim_server_stop (st->server);

  /* let close handshakes finish, bounded */
  drain = g_timeout_source_new (100);
  g_source_set_callback (drain, drain_timeout_cb, &expired, NULL);
  g_source_attach (drain, st->context);
  while (!expired)
    g_main_context_iteration (st->context, TRUE);
  g_source_destroy (drain);
  g_source_unref (drain);

  g_clear_object (&st->server);
  while (g_main_context_iteration (st->context, FALSE))
    ;
  g_main_context_pop_thread_default (st->context);
  return NULL;
}

/**
 * sim_thread_start:
 * @configure: (nullable): called on the server thread before listen()
 * @user_data: for @configure
 *
 * Starts a simulator on 127.0.0.1, port 0, on a new thread with its own
 * main context.
 */
SimThread *
sim_thread_start (SimConfigureFunc configure,
                  gpointer         user_data)
{
  SimThread *st = g_new0 (SimThread, 1);
  gint64 deadline;

  g_mutex_init (&st->mutex);
  g_cond_init (&st->cond);
  st->context = g_main_context_new ();
  st->loop = g_main_loop_new (st->context, FALSE);
  st->configure = configure;
  st->configure_data = user_data;
  st->thread = g_thread_new ("sim-server", sim_thread_main, st);

  deadline = g_get_monotonic_time () + TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  g_mutex_lock (&st->mutex);
  while (!st->ready)
    if (!g_cond_wait_until (&st->cond, &st->mutex, deadline))
      break;
  g_mutex_unlock (&st->mutex);
  g_assert_true (st->ready);
  g_assert_nonnull (st->url);
  return st;
}

const char *
sim_thread_get_url (SimThread *st)
{
  return st->url;
}

LablinkSimServer *
sim_thread_get_server (SimThread *st)
{
  return st->server;
}

typedef struct
{
  SimThread        *st;
  SimConfigureFunc  func;
  gpointer          data;
  gboolean          done;
} SyncCall;

static gboolean
sync_call_cb (gpointer user_data)
{
  SyncCall *call = user_data;

  call->func (call->st->server, call->data);
  g_mutex_lock (&call->st->mutex);
  call->done = TRUE;
  g_cond_broadcast (&call->st->cond);
  g_mutex_unlock (&call->st->mutex);
  return G_SOURCE_REMOVE;
}

/**
 * sim_thread_run_sync:
 *
 * Runs @func on the server's thread and waits for it (bounded).
 */
void
sim_thread_run_sync (SimThread        *st,
                     SimConfigureFunc  func,
                     gpointer          user_data)
{
  SyncCall call = { st, func, user_data, FALSE };
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  g_main_context_invoke (st->context, sync_call_cb, &call);
  g_mutex_lock (&st->mutex);
  while (!call.done)
    if (!g_cond_wait_until (&st->cond, &st->mutex, deadline))
      break;
  g_mutex_unlock (&st->mutex);
  g_assert_true (call.done);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
sim_thread_stop (SimThread *st)
{
  g_main_context_invoke (st->context, quit_cb, st->loop);
  g_thread_join (st->thread);

  g_main_loop_unref (st->loop);
  g_main_context_unref (st->context);
  g_mutex_clear (&st->mutex);
  g_cond_clear (&st->cond);
  g_free (st->url);
  g_free (st);
}

/* ------------------------------------------------------------------------ */
/* Test-side main loop                                                       */


SoupSession *
test_session_new (void)
{
  return soup_session_new_with_options ("timeout", 10, "idle-timeout", 10, NULL);
}

/* ------------------------------------------------------------------------ */
/* HTTP                                                                      */

typedef struct
{
  gboolean  done;
  GBytes   *bytes;
  GError   *error;
} AsyncResultData;

static void
send_and_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AsyncResultData *data = user_data;

  data->bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &data->error);
  data->done = TRUE;
}

static gboolean
async_done (gpointer data)
{
  return ((AsyncResultData *) data)->done;
}

JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL ? json_node_copy (root) : NULL;
}

/**
 * http_request:
 * @json_body: (nullable): sent as application/json
 *
 * Returns: the response (status 0 on a transport error)
 */
HttpResult *
http_request (SoupSession *session,
              const char  *method,
              const char  *base_url,
              const char  *path,
              const char  *json_body)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  AsyncResultData data = { 0 };
  HttpResult *result = g_new0 (HttpResult, 1);
  const char *content_type;

  g_assert_nonnull (msg);
  if (json_body != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_and_read_cb, &data);
  g_assert_true (test_wait_until (async_done, &data, 2 * TEST_TIMEOUT_MS));
  if (data.error != NULL)
    {
      g_test_message ("%s %s: %s", method, path, data.error->message);
      g_clear_error (&data.error);
      return result;
    }

  result->status = soup_message_get_status (msg);
  content_type = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Content-Type");
  result->content_type = g_strdup (content_type);
  result->length = g_bytes_get_size (data.bytes);
  result->body = g_strndup (g_bytes_get_data (data.bytes, NULL), result->length);
  result->json = parse_json (result->body);
  g_bytes_unref (data.bytes);
  return result;
}

void
http_result_free (HttpResult *result)
{
  if (result == NULL)
    return;
  g_free (result->content_type);
  g_free (result->body);
  g_clear_pointer (&result->json, json_node_unref);
  g_free (result);
}

JsonObject *
http_result_object (HttpResult *result)
{
  g_assert_nonnull (result->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (result->json));
  return json_node_get_object (result->json);
}

/* ------------------------------------------------------------------------ */
/* WebSocket                                                                 */

typedef struct
{
  gboolean                 done;
  SoupWebsocketConnection *conn;
  GError                  *error;
} ConnectData;

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ConnectData *data = user_data;

  data->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &data->error);
  data->done = TRUE;
}

static gboolean
connect_done (gpointer data)
{
  return ((ConnectData *) data)->done;
}

static void
on_message (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *message,
            gpointer                 user_data)
{
  WsClient *client = user_data;
  WsFrame *frame = g_new0 (WsFrame, 1);
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  frame->text = g_strndup (data, length);
  frame->received = g_get_monotonic_time ();
  frame->binary = (type == SOUP_WEBSOCKET_DATA_BINARY);
  g_queue_push_tail (&client->frames, frame);
  client->n_received++;
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  WsClient *client = user_data;

  client->closed = TRUE;
  client->close_code = soup_websocket_connection_get_close_code (conn);
  client->close_reason = g_strdup (soup_websocket_connection_get_close_data (conn));
}

/**
 * ws_connect:
 * @query: (nullable): e.g. "token=…"
 * @http_status: (out) (optional): the handshake's HTTP status
 *
 * Returns: (nullable): the client, or %NULL if the handshake failed
 */
WsClient *
ws_connect (SoupSession *session,
            const char  *base_url,
            const char  *query,
            guint       *http_status)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  ConnectData data = { 0 };
  WsClient *client;

  url = g_strdup_printf ("%s/ws%s%s", base_url, query != NULL ? "?" : "", query != NULL ? query : "");
  /* libsoup maps http: to ws: itself */
  msg = soup_message_new ("GET", url);
  g_assert_nonnull (msg);

  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, connect_cb, &data);
  g_assert_true (test_wait_until (connect_done, &data, TEST_TIMEOUT_MS));

  if (http_status != NULL)
    *http_status = soup_message_get_status (msg);

  if (data.conn == NULL)
    {
      g_test_message ("WebSocket handshake failed (%u): %s", soup_message_get_status (msg),
                      data.error != NULL ? data.error->message : "?");
      g_clear_error (&data.error);
      return NULL;
    }

  client = g_new0 (WsClient, 1);
  g_queue_init (&client->frames);
  client->conn = data.conn;
  soup_websocket_connection_set_max_incoming_payload_size (client->conn, 64 * 1024 * 1024);
  g_signal_connect (client->conn, "message", G_CALLBACK (on_message), client);
  g_signal_connect (client->conn, "closed", G_CALLBACK (on_closed), client);
  return client;
}

void
ws_send (WsClient   *client,
         const char *text)
{
  g_assert_cmpint (soup_websocket_connection_get_state (client->conn), ==, SOUP_WEBSOCKET_STATE_OPEN);
  soup_websocket_connection_send_text (client->conn, text);
}

void
ws_send_binary (WsClient   *client,
                const char *text)
{
  soup_websocket_connection_send_binary (client->conn, text, strlen (text));
}

static gboolean
has_frame_or_closed (gpointer data)
{
  WsClient *client = data;

  return !g_queue_is_empty (&client->frames) || client->closed;
}

/**
 * ws_next:
 *
 * Returns: (nullable) (transfer full): the next frame, or %NULL on timeout or close
 */
WsFrame *
ws_next (WsClient *client,
         guint     timeout_ms)
{
  test_wait_until (has_frame_or_closed, client, timeout_ms);
  return g_queue_pop_head (&client->frames);
}

void
ws_frame_free (WsFrame *frame)
{
  if (frame == NULL)
    return;
  g_free (frame->text);
  g_free (frame);
}

JsonObject *
frame_object (WsFrame   *frame,
              JsonNode **node_out)
{
  JsonNode *node = parse_json (frame->text);

  *node_out = node;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

const char *
object_get_str (JsonObject *object,
                const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

double
object_get_num (JsonObject *object,
                const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  return json_node_get_double (node);
}

static gboolean
frame_matches (WsFrame    *frame,
               const char *type,
               const char *equipment_id)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  if (frame->binary)
    return FALSE;
  /* cheap pre-filter on the raw text (frames may hold bare NaN) */
  if (type != NULL)
    {
      g_autofree char *needle = g_strdup_printf ("\"type\": \"%s\"", type);

      if (strstr (frame->text, needle) == NULL)
        return FALSE;
    }
  if (equipment_id == NULL)
    return TRUE;

  object = frame_object (frame, &node);
  if (object == NULL)
    return FALSE;
  return g_strcmp0 (object_get_str (object, "equipment_id"), equipment_id) == 0;
}

/**
 * ws_wait_type:
 *
 * Skips frames until one of @type (and @equipment_id, if given) arrives.
 *
 * Returns: (nullable) (transfer full): the frame, or %NULL on timeout/close
 */
WsFrame *
ws_wait_type (WsClient   *client,
              const char *type,
              const char *equipment_id,
              guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      WsFrame *frame;

      if (left <= 0)
        return NULL;
      frame = ws_next (client, (guint) left);
      if (frame == NULL)
        {
          if (client->closed)
            return NULL;
          continue;
        }
      if (frame_matches (frame, type, equipment_id))
        return frame;
      ws_frame_free (frame);
    }
}

/**
 * ws_collect_n:
 * @out: (element-type WsFrame): receives the matching frames (owns them)
 *
 * Collects matching frames until there are @n in @out, the connection
 * closed, or TEST_TIMEOUT_MS passed (only a hang).
 *
 * Returns: whether @out holds @n frames
 */
gboolean
ws_collect_n (WsClient   *client,
              const char *type,
              const char *equipment_id,
              guint       n,
              GPtrArray  *out)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) TEST_TIMEOUT_MS * 1000;

  while (out->len < n)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      WsFrame *frame;

      if (left <= 0)
        break;
      frame = ws_next (client, (guint) left);
      if (frame == NULL)
        {
          if (client->closed)
            break;
          continue;
        }
      if (frame_matches (frame, type, equipment_id))
        g_ptr_array_add (out, frame);
      else
        ws_frame_free (frame);
    }
  return out->len >= n;
}

/**
 * ws_collect:
 * @out: (element-type WsFrame): receives the matching frames (owns them)
 *
 * Collects matching frames for @duration_ms.
 *
 * Returns: how many were collected
 */
guint
ws_collect (WsClient   *client,
            const char *type,
            const char *equipment_id,
            guint       duration_ms,
            GPtrArray  *out)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) duration_ms * 1000;
  guint n = 0;

  for (;;)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      WsFrame *frame;

      if (left <= 0)
        break;
      frame = ws_next (client, (guint) left);
      if (frame == NULL)
        {
          if (client->closed)
            break;
          continue;
        }
      if (frame_matches (frame, type, equipment_id))
        {
          g_ptr_array_add (out, frame);
          n++;
        }
      else
        ws_frame_free (frame);
    }
  return n;
}

static gboolean
is_closed (gpointer data)
{
  return ((WsClient *) data)->closed;
}

gboolean
ws_wait_closed (WsClient *client,
                guint     timeout_ms)
{
  return test_wait_until (is_closed, client, timeout_ms);
}

void
ws_drain (WsClient *client)
{
  g_queue_clear_full (&client->frames, (GDestroyNotify) ws_frame_free);
}

void
ws_client_free (WsClient *client)
{
  if (client == NULL)
    return;

  if (!client->closed && soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  if (!client->closed)
    ws_wait_closed (client, 2000);

  g_signal_handlers_disconnect_by_data (client->conn, client);
  g_clear_object (&client->conn);
  ws_drain (client);
  g_free (client->close_reason);
  g_free (client);
}

/* ---- the fixture of most simulator tests ---- */

void
sim_fixture_start (SimFixture       *f,
                   SimConfigureFunc  configure,
                   gpointer          user_data)
{
  f->sim = sim_thread_start (configure, user_data);
  f->url = sim_thread_get_url (f->sim);
  f->session = test_session_new ();
}

void
sim_fixture_stop (SimFixture *f)
{
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  sim_thread_stop (f->sim);
}

WsClient *
sim_fixture_ws_connect (SimFixture *f,
                        const char *query)
{
  guint status = 0;
  WsClient *client = ws_connect (f->session, f->url, query, &status);

  g_assert_nonnull (client);
  g_assert_cmpuint (status, ==, 101);
  return client;
}
