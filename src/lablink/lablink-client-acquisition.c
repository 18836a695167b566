/* lablink-client-acquisition.c — the acquisition-session endpoints
 *
 * `/api/acquisition/…`: create, start/stop/pause/resume, status, data, list
 * and delete. The samples come two ways: as a JSON tree
 * (lablink_client_get_acquisition_data_async()), or decoded into the
 * message a stream frame would have made, from the body's text, on a
 * worker thread (lablink_client_get_acquisition_window_async(): the polling
 * fallback's and a capture's backfill: a window of 100,000 samples is
 * 5–6 MB of JSON).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "lablink-client-private.h"
#include "lablink-error.h"
#include "lablink-message-private.h"

/**
 * lablink_client_create_acquisition_async:
 * @self: a #LablinkClient
 * @config: the create body: `equipment_id`, `name`, `mode`, `sample_rate`,
 *   `channels`, optionally `num_samples`, `duration_seconds`, `buffer_size`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/acquisition/session/create`.
 */
void
lablink_client_create_acquisition_async (LablinkClient       *self,
                                         JsonObject          *config,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (config != NULL);

  body = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (body, config);
  _lablink_client_start_request (self, "POST", "/api/acquisition/session/create", body,
                                 LABLINK_REQUEST_DEFAULT, LABLINK_RESULT_ACQUISITION_ID, NULL,
                                 cancellable, lablink_client_create_acquisition_async, callback,
                                 user_data);
}

/**
 * lablink_client_create_acquisition_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the new acquisition's id
 */
char *
lablink_client_create_acquisition_finish (LablinkClient  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return _lablink_client_finish_pointer (self, result, lablink_client_create_acquisition_async,
                                         error);
}

/**
 * lablink_client_control_acquisition_async:
 * @self: a #LablinkClient
 * @acquisition_id: an acquisition id
 * @action: `start`, `stop`, `pause` or `resume`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/acquisition/session/{id}/{action}`; the answer's `success`
 * must be true.
 */
void
lablink_client_control_acquisition_async (LablinkClient       *self,
                                          const char          *acquisition_id,
                                          const char          *action,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  static const char * const actions[] = { "start", "stop", "pause", "resume", NULL };
  g_autofree char *suffix = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (acquisition_id != NULL);
  g_return_if_fail (action != NULL);

  if (!_lablink_client_check_id (self, acquisition_id, "acquisition id",
                                 lablink_client_control_acquisition_async, callback, user_data))
    return;

  if (!g_strv_contains (actions, action))
    {
      g_autofree char *message =
        g_strdup_printf ("“%s” is not an acquisition action: use start, stop, pause or resume",
                         action);
      _lablink_client_return_invalid_argument (self, lablink_client_control_acquisition_async,
                                               callback, user_data, message);
      return;
    }

  suffix = g_strconcat ("/", action, NULL);
  _lablink_client_start_id_request (self, "POST", "/api/acquisition/session/", acquisition_id,
                                    suffix, "acquisition id", LABLINK_RESULT_SUCCESS, cancellable,
                                    lablink_client_control_acquisition_async, callback, user_data);
}

/**
 * lablink_client_control_acquisition_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server reported success
 */
gboolean
lablink_client_control_acquisition_finish (LablinkClient  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  return _lablink_client_finish_boolean (self, result, lablink_client_control_acquisition_async,
                                         error);
}

/**
 * lablink_client_get_acquisition_status_async:
 * @self: a #LablinkClient
 * @acquisition_id: an acquisition id
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api/acquisition/session/{id}/status`.
 */
void
lablink_client_get_acquisition_status_async (LablinkClient       *self,
                                             const char          *acquisition_id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (acquisition_id != NULL);

  _lablink_client_start_id_request (self, "GET", "/api/acquisition/session/", acquisition_id,
                                    "/status", "acquisition id", LABLINK_RESULT_OBJECT, cancellable,
                                    lablink_client_get_acquisition_status_async, callback, user_data);
}

/**
 * lablink_client_get_acquisition_status_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the status, a JSON object
 */
JsonNode *
lablink_client_get_acquisition_status_finish (LablinkClient  *self,
                                              GAsyncResult   *result,
                                              GError        **error)
{
  return _lablink_client_finish_pointer (self, result, lablink_client_get_acquisition_status_async,
                                         error);
}

/**
 * lablink_client_get_acquisition_data_async:
 * @self: a #LablinkClient
 * @acquisition_id: an acquisition id
 * @num_samples: how many of the latest samples to fetch; 0 for the
 *   server's default
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api/acquisition/session/{id}/data?num_samples=N`.
 */
void
lablink_client_get_acquisition_data_async (LablinkClient       *self,
                                           const char          *acquisition_id,
                                           guint                num_samples,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autofree char *suffix = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (acquisition_id != NULL);

  if (num_samples > 0)
    suffix = g_strdup_printf ("/data?num_samples=%u", num_samples);
  else
    suffix = g_strdup ("/data");
  _lablink_client_start_id_request (self, "GET", "/api/acquisition/session/", acquisition_id,
                                    suffix, "acquisition id", LABLINK_RESULT_OBJECT, cancellable,
                                    lablink_client_get_acquisition_data_async, callback, user_data);
}

/**
 * lablink_client_get_acquisition_data_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): `{"acquisition_id","channels",
 *   "data":{"timestamps","values"},"count"}`
 */
JsonNode *
lablink_client_get_acquisition_data_finish (LablinkClient  *self,
                                            GAsyncResult   *result,
                                            GError        **error)
{
  return _lablink_client_finish_pointer (self, result, lablink_client_get_acquisition_data_async,
                                         error);
}

/* ------------------------------------------------------------------------ */
/* Windows decoded off the main thread                                       */

typedef struct {
  char    *acquisition_id;
  char    *method;
  char    *path;
  GBytes  *body;
  gboolean zone_known;   /* the server's zone when the answer came */
  gint64   zone_offset;
} WindowData;

static void
window_data_free (gpointer data)
{
  WindowData *window = data;

  g_free (window->acquisition_id);
  g_free (window->method);
  g_free (window->path);
  g_clear_pointer (&window->body, g_bytes_unref);
  g_free (window);
}

/* For tests: answers wait on the decode thread while held. */
static GMutex hold_lock;
static GCond hold_cond;
static gboolean hold_windows;
static guint n_held_windows;

void
_lablink_client_hold_windows (gboolean hold)
{
  g_mutex_lock (&hold_lock);
  hold_windows = hold;
  g_cond_broadcast (&hold_cond);
  g_mutex_unlock (&hold_lock);
}

guint
_lablink_client_get_held_windows (void)
{
  guint n;

  g_mutex_lock (&hold_lock);
  n = n_held_windows;
  g_mutex_unlock (&hold_lock);
  return n;
}

/* Runs on the decode thread: one answer at a time, in the order they
 * came, so that each caller's results come back in that order. */
static void
window_decode (gpointer data,
               gpointer user_data)
{
  g_autoptr(GTask) task = data;
  WindowData *window = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  LablinkMessage *message;
  LablinkNaiveZone previous;
  gsize length = 0;
  const char *text = g_bytes_get_data (window->body, &length);

  g_mutex_lock (&hold_lock);
  n_held_windows++;
  while (hold_windows)
    g_cond_wait (&hold_cond, &hold_lock);
  n_held_windows--;
  g_mutex_unlock (&hold_lock);

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Naive sample times are in the server's zone, as in its frames. */
  previous = _lablink_naive_zone_push (window->zone_known, window->zone_offset);
  message = lablink_message_parse_acquisition_answer (window->acquisition_id, text != NULL ? text : "",
                                                      length, &error);
  _lablink_naive_zone_pop (previous);
  g_clear_pointer (&window->body, g_bytes_unref);

  if (message == NULL)
    g_task_return_new_error (task, LABLINK_ERROR, error->code,
                             "The answer to %s %s is not an acquisition window: %s",
                             window->method, window->path, error->message);
  else
    g_task_return_pointer (task, message, (GDestroyNotify) lablink_message_unref);
}

/* One thread, shared by every client: the windows are decoded one after
 * the other (a window is a few tens of milliseconds of CPU, the main
 * thread keeps the other core) and come back in order. */
static GThreadPool *
window_pool (void)
{
  static gsize pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, (gsize) g_thread_pool_new (window_decode, NULL, 1, FALSE, NULL));
  return (GThreadPool *) pool;
}

static void
window_answered_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LablinkClient *self = LABLINK_CLIENT (source);
  WindowData *window = g_task_get_task_data (task);
  LablinkRequest *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  window->body = _lablink_client_finish_pointer (self, result, window_answered_cb, &error);
  if (window->body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  window->method = g_strdup (request->method);
  window->path = g_strdup (request->path);
  window->zone_known = self->server_zone_known;
  window->zone_offset = (gint64) self->server_zone_offset_s * G_USEC_PER_SEC;
  g_thread_pool_push (window_pool (), g_steal_pointer (&task), NULL);
}

/**
 * lablink_client_get_acquisition_window_async:
 * @self: a #LablinkClient
 * @acquisition_id: an acquisition id
 * @num_samples: how many of the latest samples to fetch; 0 for the
 *   server's default
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the window is decoded
 * @user_data: (closure): data for @callback
 *
 * `GET /api/acquisition/session/{id}/data?num_samples=N`, as
 * lablink_client_get_acquisition_data_async(), decoded as the stream's
 * frames are: into an `acquisition_stream` message (marked
 * `"polled": true`) with its sample times and channel values, straight from
 * the answer's text (the real server's bare NaN included) and on a worker
 * thread, so that the calling thread never parses a large window.
 * #LablinkClient:max-response-size bounds the answer. @callback runs on the
 * thread-default main context of this call; the answers of several calls
 * are decoded one at a time, in the order they arrived.
 */
void
lablink_client_get_acquisition_window_async (LablinkClient       *self,
                                             const char          *acquisition_id,
                                             guint                num_samples,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *suffix = NULL;
  WindowData *window;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (acquisition_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_client_get_acquisition_window_async);
  window = g_new0 (WindowData, 1);
  window->acquisition_id = g_strdup (acquisition_id);
  g_task_set_task_data (task, window, window_data_free);

  if (num_samples > 0)
    suffix = g_strdup_printf ("/data?num_samples=%u", num_samples);
  else
    suffix = g_strdup ("/data");
  _lablink_client_start_id_request (self, "GET", "/api/acquisition/session/", acquisition_id,
                                    suffix, "acquisition id", LABLINK_RESULT_BYTES, cancellable,
                                    window_answered_cb, window_answered_cb, g_steal_pointer (&task));
}

/**
 * lablink_client_get_acquisition_window_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the window, an
 *   `acquisition_stream` message (see lablink_message_get_sample_times())
 */
LablinkMessage *
lablink_client_get_acquisition_window_finish (LablinkClient  *self,
                                              GAsyncResult   *result,
                                              GError        **error)
{
  return _lablink_client_finish_pointer (self, result, lablink_client_get_acquisition_window_async,
                                         error);
}

/**
 * lablink_client_list_acquisitions_async:
 * @self: a #LablinkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api/acquisition/sessions`.
 */
void
lablink_client_list_acquisitions_async (LablinkClient       *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));

  _lablink_client_start_request (self, "GET", "/api/acquisition/sessions", NULL,
                                 LABLINK_REQUEST_DEFAULT, LABLINK_RESULT_ARRAY_OR_OBJECT, NULL,
                                 cancellable, lablink_client_list_acquisitions_async, callback,
                                 user_data);
}

/**
 * lablink_client_list_acquisitions_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the answer (1.2.5:
 *   `{"sessions":[…],"count":N}`)
 */
JsonNode *
lablink_client_list_acquisitions_finish (LablinkClient  *self,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  return _lablink_client_finish_pointer (self, result, lablink_client_list_acquisitions_async,
                                         error);
}

/**
 * lablink_client_delete_acquisition_async:
 * @self: a #LablinkClient
 * @acquisition_id: an acquisition id
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `DELETE /api/acquisition/session/{id}`.
 */
void
lablink_client_delete_acquisition_async (LablinkClient       *self,
                                         const char          *acquisition_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (acquisition_id != NULL);

  _lablink_client_start_id_request (self, "DELETE", "/api/acquisition/session/", acquisition_id,
                                    NULL, "acquisition id", LABLINK_RESULT_SUCCESS, cancellable,
                                    lablink_client_delete_acquisition_async, callback, user_data);
}

/**
 * lablink_client_delete_acquisition_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server reported success
 */
gboolean
lablink_client_delete_acquisition_finish (LablinkClient  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return _lablink_client_finish_boolean (self, result, lablink_client_delete_acquisition_async,
                                         error);
}
