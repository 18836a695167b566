/* lablink-client-acquisition.c — the acquisition-session endpoints
 *
 * `/api/acquisition/…`: create, start/stop/pause/resume, status, data, list
 * and delete.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "lablink-client-private.h"
#include "lablink-error.h"

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
