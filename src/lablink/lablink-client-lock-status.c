/* lablink-client-lock-status.c — who holds an instrument's lock, and who
 * waits for it
 *
 * `GET /api/locks/status/{id}` (plus the holder's lock session, for its
 * name) and `GET /api/locks/queue/{id}`.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "lablink-client-private.h"
#include "lablink-error.h"

/* ---- status: the lock, then its holder's name ---- */

static void
holder_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LablinkLockInfo *info = g_object_get_data (G_OBJECT (task), "lablink-lock-info");
  g_autoptr(JsonNode) node = NULL;

  /* a holder the server no longer knows stays nameless */
  node = lablink_client_request_finish (LABLINK_CLIENT (source), result, NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    _lablink_lock_info_set_holder_name (info, _lablink_client_json_get_string (json_node_get_object (node),
                                                                               "client_name"));
  g_task_return_pointer (task, lablink_lock_info_ref (info), (GDestroyNotify) lablink_lock_info_unref);
}

static void
status_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LablinkClient *self = LABLINK_CLIENT (source);
  const char *equipment_id = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  LablinkLockInfo *info;
  GError *error = NULL;
  const char *holder;

  node = _lablink_client_finish_pointer (self, result, status_cb, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  info = _lablink_lock_info_new_from_json (self, equipment_id, json_node_get_object (node));
  holder = lablink_lock_info_get_session_id (info);
  if (!lablink_lock_info_get_locked (info) || lablink_lock_info_get_held_by_us (info) || holder == NULL)
    {
      g_task_return_pointer (task, info, (GDestroyNotify) lablink_lock_info_unref);
      return;
    }

  {
    g_autofree char *path = _lablink_client_id_path ("/api/locks/sessions/", holder, NULL);
    GCancellable *cancellable = g_task_get_cancellable (task);

    g_object_set_data_full (G_OBJECT (task), "lablink-lock-info", info, (GDestroyNotify) lablink_lock_info_unref);
    lablink_client_request_async (self, "GET", path, NULL, cancellable, holder_cb, g_steal_pointer (&task));
  }
}

/**
 * lablink_client_get_lock_status_async:
 * @self: a #LablinkClient
 * @equipment_id: an instrument
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api/locks/status/{id}`, then the holder's lock session (`GET
 * /api/locks/sessions/{session}`) for its name.
 */
void
lablink_client_get_lock_status_async (LablinkClient       *self,
                                      const char          *equipment_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (equipment_id != NULL);

  if (!_lablink_client_check_id (self, equipment_id, "equipment id",
                                 lablink_client_get_lock_status_async, callback, user_data))
    return;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_client_get_lock_status_async);
  g_task_set_task_data (task, g_strdup (equipment_id), g_free);
  path = _lablink_client_id_path ("/api/locks/status/", equipment_id, NULL);
  _lablink_client_start_request (self, "GET", path, NULL, LABLINK_REQUEST_DEFAULT, LABLINK_RESULT_OBJECT,
                                 NULL, cancellable, status_cb, status_cb, g_steal_pointer (&task));
}

/**
 * lablink_client_get_lock_status_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the lock's state
 */
LablinkLockInfo *
lablink_client_get_lock_status_finish (LablinkClient  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  return _lablink_client_finish_pointer (self, result, lablink_client_get_lock_status_async, error);
}

/**
 * lablink_client_get_lock_queue_async:
 * @self: a #LablinkClient
 * @equipment_id: an instrument
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api/locks/queue/{id}`: the sessions waiting for the lock.
 */
void
lablink_client_get_lock_queue_async (LablinkClient       *self,
                                     const char          *equipment_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (equipment_id != NULL);

  _lablink_client_start_id_request (self, "GET", "/api/locks/queue/", equipment_id, NULL,
                                    "equipment id", LABLINK_RESULT_OBJECT, cancellable,
                                    lablink_client_get_lock_queue_async, callback, user_data);
}

/**
 * lablink_client_get_lock_queue_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the `queue` array: objects with
 *   `session_id`, `lock_mode`, `queued_at`, `position`
 */
JsonNode *
lablink_client_get_lock_queue_finish (LablinkClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_autoptr(JsonNode) node = _lablink_client_finish_pointer (self, result, lablink_client_get_lock_queue_async,
                                                             error);
  JsonNode *queue;

  if (node == NULL)
    return NULL;
  queue = json_object_get_member (json_node_get_object (node), "queue");
  if (queue == NULL || !JSON_NODE_HOLDS_ARRAY (queue))
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                   "The answer to GET /api/locks/queue has no “queue” array");
      return NULL;
    }
  return json_node_copy (queue);
}
