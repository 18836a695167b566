/* lablink-client-request.c — one REST request, from sending to a typed result
 *
 * Builds the message (auth header, JSON body, no redirects), watches the
 * timeout and the caller's cancellable, reads the body within the size
 * limit, and turns the answer into what the endpoint returns. The helpers
 * the endpoints share (argument checks, `*_finish`) are here too.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-client-private.h"
#include "lablink-error.h"
#include "lablink-message.h"

#define READ_CHUNK_SIZE (64 * 1024)

static void
secret_bytes_free (gpointer data)
{
  /* the JSON text of a login body: zero it before it is released */
  _lablink_client_secret_free (data);
}

static void
request_stop_watching (LablinkRequest *request)
{
  if (request->timeout_source != NULL)
    {
      g_source_destroy (request->timeout_source);
      g_clear_pointer (&request->timeout_source, g_source_unref);
    }
  if (request->cancel_source != NULL)
    {
      g_source_destroy (request->cancel_source);
      g_clear_pointer (&request->cancel_source, g_source_unref);
    }
}

/* Drops the body stream of a request that failed: cancelling the message
 * first makes libsoup close the connection instead of reading (blocking)
 * whatever the server still sends. */
static void
request_abort_stream (LablinkRequest *request)
{
  if (request->stream == NULL)
    return;
  g_cancellable_cancel (request->cancellable);
  g_clear_object (&request->stream);
}

static void
request_free (LablinkRequest *request)
{
  request_stop_watching (request);
  request_abort_stream (request);
  g_clear_object (&request->message);
  g_clear_pointer (&request->method, g_free);
  g_clear_pointer (&request->path, g_free);
  g_clear_pointer (&request->username, g_free);
  g_clear_pointer (&request->equipment_id, g_free);
  g_clear_pointer (&request->pinned_certificate, g_free);
  g_clear_object (&request->peer_certificate);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->stream);
  if (request->body != NULL)
    {
      /* error bodies of a login can echo what was sent: zero everything */
      memset (request->body->data, 0, request->body->len);
      g_clear_pointer (&request->body, g_byte_array_unref);
    }
  g_free (request);
}

static gboolean
request_timeout_cb (gpointer user_data)
{
  LablinkRequest *request = user_data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);
  g_clear_pointer (&request->timeout_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static gboolean
request_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  LablinkRequest *request = user_data;

  g_cancellable_cancel (request->cancellable);
  g_clear_pointer (&request->cancel_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
task_return_error (GTask  *task,
                   GError *error)
{
  LablinkRequest *request = g_task_get_task_data (task);

  request_stop_watching (request);
  request_abort_stream (request);
  g_task_return_error (task, error);
}

static void
task_return_shape_error (GTask      *task,
                         const char *what)
{
  LablinkClient *self = g_task_get_source_object (task);
  LablinkRequest *request = g_task_get_task_data (task);

  task_return_error (task, _lablink_client_shape_error (self, request, what));
}

const char *
_lablink_client_json_get_string (JsonObject *object,
                                 const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The `success` member: 1 true, 0 false, -1 absent or not a boolean. */
static int
get_success (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "success");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return -1;
  return json_node_get_boolean (node) ? 1 : 0;
}

static void
request_complete (GTask *task)
{
  LablinkClient *self = g_task_get_source_object (task);
  LablinkRequest *request = g_task_get_task_data (task);
  guint status = soup_message_get_status (request->message);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object = NULL;

  /* The body was bounded while it was read (request_read_cb()); checked
   * again before a tree is made of it, since a json-glib tree costs up to
   * about 40 times its text: nothing over max-response-size is parsed,
   * whatever happened to the limit since. */
  if ((guint64) request->body->len > self->max_response_size)
    {
      task_return_error (task, _lablink_client_too_large_error (self, request));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      task_return_error (task, _lablink_client_http_error (self, request, status));
      return;
    }

  if (request->kind == LABLINK_RESULT_BYTES)
    {
      /* For a decoder of its own (lablink-client-acquisition.c): no tree. */
      request_stop_watching (request);
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&request->body)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (request->body->len == 0)
    {
      root = json_node_new (JSON_NODE_NULL);
    }
  else
    {
      root = lablink_json_parse ((const char *) request->body->data, request->body->len, &error);
      if (root == NULL)
        {
          task_return_error (task,
                             g_error_new (LABLINK_ERROR, LABLINK_ERROR_MALFORMED,
                                          "The answer to %s %s is not valid JSON (%s): is %s "
                                          "a LabLink server?",
                                          request->method, request->path, error->message,
                                          self->server_url));
          return;
        }
    }

  if (request->kind != LABLINK_RESULT_JSON && request->kind != LABLINK_RESULT_ARRAY_OR_OBJECT &&
      request->kind != LABLINK_RESULT_EQUIPMENT_LIST)
    {
      if (!JSON_NODE_HOLDS_OBJECT (root))
        {
          task_return_shape_error (task, "it is not a JSON object");
          return;
        }
      object = json_node_get_object (root);
    }

  request_stop_watching (request);

  switch (request->kind)
    {
    case LABLINK_RESULT_JSON:
    case LABLINK_RESULT_OBJECT:
      g_task_return_pointer (task, g_steal_pointer (&root), (GDestroyNotify) json_node_unref);
      return;

    case LABLINK_RESULT_ARRAY_OR_OBJECT:
      if (!JSON_NODE_HOLDS_ARRAY (root) && !JSON_NODE_HOLDS_OBJECT (root))
        {
          task_return_shape_error (task, "it is neither a JSON array nor an object");
          return;
        }
      g_task_return_pointer (task, g_steal_pointer (&root), (GDestroyNotify) json_node_unref);
      return;

    case LABLINK_RESULT_EQUIPMENT_LIST:
      {
        g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
        JsonArray *array;

        if (!JSON_NODE_HOLDS_ARRAY (root))
          {
            task_return_shape_error (task, "it is not a JSON array");
            return;
          }

        array = json_node_get_array (root);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *element = json_array_get_element (array, i);
            LablinkEquipment *equipment;

            if (!JSON_NODE_HOLDS_OBJECT (element))
              {
                g_autofree char *what = g_strdup_printf ("entry %u is not a JSON object", i);
                task_return_shape_error (task, what);
                return;
              }

            equipment = lablink_equipment_new_from_json (json_node_get_object (element), &error);
            if (equipment == NULL)
              {
                g_autofree char *what = g_strdup_printf ("entry %u: %s", i, error->message);
                task_return_shape_error (task, what);
                return;
              }
            g_ptr_array_add (list, equipment);
          }

        g_task_return_pointer (task, g_steal_pointer (&list), (GDestroyNotify) g_ptr_array_unref);
      }
      return;

    case LABLINK_RESULT_COMMAND:
      if (get_success (object) == 0)
        {
          task_return_error (task, _lablink_client_refused_error (request, object));
          return;
        }
      g_task_return_pointer (task, g_steal_pointer (&root), (GDestroyNotify) json_node_unref);
      return;

    case LABLINK_RESULT_SUCCESS:
      switch (get_success (object))
        {
        case 1:
          g_task_return_boolean (task, TRUE);
          return;
        case 0:
          task_return_error (task, _lablink_client_refused_error (request, object));
          return;
        default:
          task_return_shape_error (task, "it has no boolean “success”");
          return;
        }

    case LABLINK_RESULT_ACQUISITION_ID:
      {
        const char *id;

        if (get_success (object) == 0)
          {
            task_return_error (task, _lablink_client_refused_error (request, object));
            return;
          }
        id = _lablink_client_json_get_string (object, "acquisition_id");
        if (id == NULL || id[0] == '\0')
          {
            task_return_shape_error (task, "it has no “acquisition_id” string");
            return;
          }
        g_task_return_pointer (task, g_strdup (id), g_free);
      }
      return;

    case LABLINK_RESULT_LOGIN:
    case LABLINK_RESULT_REFRESH:
      {
        GError *token_error = _lablink_client_take_tokens (self, request, object);

        if (token_error != NULL)
          {
            task_return_error (task, token_error);
            return;
          }
        g_task_return_boolean (task, TRUE);
      }
      return;

    default:
      g_assert_not_reached ();
    }
}

static void request_read_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

static void
request_closed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LablinkRequest *request = g_task_get_task_data (task);

  /* the whole body was read: a failed close changes nothing for us */
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  g_clear_object (&request->stream);
  request_complete (task);
}

static void
request_read_next (GTask *task)
{
  LablinkRequest *request = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   request->cancellable, request_read_cb, task);
}

static void
request_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LablinkClient *self = g_task_get_source_object (task);
  LablinkRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      task_return_error (task, _lablink_client_network_error (self, request, error));
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      /* Closing hands the connection back to the session for reuse. */
      g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL,
                                  request_closed_cb, g_steal_pointer (&task));
      return;
    }

  if ((guint64) request->body->len + size > self->max_response_size)
    {
      task_return_error (task, _lablink_client_too_large_error (self, request));
      return;
    }

  g_byte_array_append (request->body, g_bytes_get_data (bytes, NULL), size);
  request_read_next (g_steal_pointer (&task));
}

static void
request_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LablinkClient *self = g_task_get_source_object (task);
  LablinkRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset length;

  request->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (request->stream == NULL)
    {
      task_return_error (task, _lablink_client_network_error (self, request, error));
      return;
    }

  length = soup_message_headers_get_content_length (
    soup_message_get_response_headers (request->message));
  if (length > 0 && (guint64) length > self->max_response_size)
    {
      task_return_error (task, _lablink_client_too_large_error (self, request));
      return;
    }

  request->body = g_byte_array_sized_new (length > 0 ? MIN ((gsize) length, 1024 * 1024) : 4096);
  request_read_next (g_steal_pointer (&task));
}

static void
start_request (LablinkClient       *self,
               const char          *method,
               const char          *path,
               JsonNode            *body,
               LablinkRequestFlags  flags,
               LablinkResultKind    kind,
               const char          *username,
               const char          *equipment_id,
               GCancellable        *cancellable,
               gpointer             source_tag,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  LablinkRequest *request;
  SoupMessageHeaders *headers;
  GMainContext *context = g_main_context_get_thread_default ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  request = g_new0 (LablinkRequest, 1);
  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->username = g_strdup (username);
  request->equipment_id = g_strdup (equipment_id);
  request->kind = kind;
  request->flags = flags;
  request->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  url = g_strconcat (self->server_url, path, NULL);
  request->message = soup_message_new (method, url);
  if (request->message == NULL)
    {
      task_return_error (task, g_error_new (LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                                            "Cannot make a request for %s %s: invalid URL",
                                            method, path));
      return;
    }

  /* Never follow a redirect: it could carry the token to another host. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);
  _lablink_client_watch_certificate (self, request);

  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->access_token != NULL && !(flags & LABLINK_REQUEST_NO_AUTH))
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->access_token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
      memset (value, 0, strlen (value));
    }

  if (body != NULL)
    {
      gsize length = 0;
      char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = NULL;

      length = strlen (text);
      if (flags & LABLINK_REQUEST_SENSITIVE)
        bytes = g_bytes_new_with_free_func (text, length, secret_bytes_free, text);
      else
        bytes = g_bytes_new_take (text, length);
      soup_message_set_request_body_from_bytes (request->message, "application/json", bytes);
    }

  if (self->timeout > 0)
    {
      request->timeout_source = g_timeout_source_new_seconds (self->timeout);
      g_source_set_callback (request->timeout_source, request_timeout_cb, request, NULL);
      g_source_set_static_name (request->timeout_source, "[lablink] request timeout");
      g_source_attach (request->timeout_source, context);
    }

  if (cancellable != NULL)
    {
      request->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (request->cancel_source, G_SOURCE_FUNC (request_cancelled_cb),
                             request, NULL);
      g_source_set_static_name (request->cancel_source, "[lablink] request cancelled");
      g_source_attach (request->cancel_source, context);
    }

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           request->cancellable, request_sent_cb, g_steal_pointer (&task));
}

void
_lablink_client_start_request (LablinkClient       *self,
                               const char          *method,
                               const char          *path,
                               JsonNode            *body,
                               LablinkRequestFlags  flags,
                               LablinkResultKind    kind,
                               const char          *username,
                               GCancellable        *cancellable,
                               gpointer             source_tag,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  start_request (self, method, path, body, flags, kind, username, NULL, cancellable, source_tag,
                 callback, user_data);
}

/* A request whose 401/403/409 may be a lock refusal about @equipment_id
 * (nullable): the error then says so (_lablink_client_lock_error()). */
void
_lablink_client_start_lock_request (LablinkClient       *self,
                                    const char          *method,
                                    const char          *path,
                                    JsonNode            *body,
                                    LablinkResultKind    kind,
                                    const char          *equipment_id,
                                    GCancellable        *cancellable,
                                    gpointer             source_tag,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  start_request (self, method, path, body, LABLINK_REQUEST_LOCKS, kind, NULL, equipment_id,
                 cancellable, source_tag, callback, user_data);
}

void
_lablink_client_return_invalid_argument (LablinkClient       *self,
                                         gpointer             source_tag,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data,
                                         const char          *message)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_return_new_error (task, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT, "%s", message);
}

gboolean
_lablink_client_check_id (LablinkClient       *self,
                          const char          *id,
                          const char          *what,
                          gpointer             source_tag,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autofree char *message = NULL;

  if (id[0] != '\0')
    return TRUE;

  message = g_strdup_printf ("The %s is empty", what);
  _lablink_client_return_invalid_argument (self, source_tag, callback, user_data, message);
  return FALSE;
}

gpointer
_lablink_client_finish_pointer (LablinkClient  *self,
                                GAsyncResult   *result,
                                gpointer        source_tag,
                                GError        **error)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
_lablink_client_finish_boolean (LablinkClient  *self,
                                GAsyncResult   *result,
                                gpointer        source_tag,
                                GError        **error)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
_lablink_client_escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

/* @prefix, then @id as one escaped path segment, then @suffix (nullable) */
char *
_lablink_client_id_path (const char *prefix,
                         const char *id,
                         const char *suffix)
{
  g_autofree char *escaped = _lablink_client_escape_segment (id);

  return g_strconcat (prefix, escaped, suffix, NULL);
}

/* The shape of every endpoint that names one thing by its id:
 * `@method @prefix{id}@suffix` with no body, after checking that @id (the
 * @what, for the error) is not empty. */
void
_lablink_client_start_id_request (LablinkClient       *self,
                                  const char          *method,
                                  const char          *prefix,
                                  const char          *id,
                                  const char          *suffix,
                                  const char          *what,
                                  LablinkResultKind    kind,
                                  GCancellable        *cancellable,
                                  gpointer             source_tag,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *path = NULL;

  if (!_lablink_client_check_id (self, id, what, source_tag, callback, user_data))
    return;

  path = _lablink_client_id_path (prefix, id, suffix);
  _lablink_client_start_request (self, method, path, NULL, LABLINK_REQUEST_DEFAULT, kind, NULL,
                                 cancellable, source_tag, callback, user_data);
}
