/* lablink-client-server.c — the server-wide endpoints
 *
 * Any REST request (lablink_client_request_async()), `GET /api` and
 * `GET /health`.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "lablink-client-private.h"
#include "lablink-error.h"

/**
 * lablink_client_request_async:
 * @self: a #LablinkClient
 * @method: the HTTP method, e.g. "GET"
 * @path: the path relative to the server URL, starting with `/` (e.g.
 *   `/api`), with an already escaped query if any
 * @body: (nullable): a JSON body to send
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * Sends any REST request; the answer is parsed as JSON (bare NaN and
 * Infinity tolerated). An empty successful answer gives a JSON null.
 */
void
lablink_client_request_async (LablinkClient       *self,
                              const char          *method,
                              const char          *path,
                              JsonNode            *body,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (path[0] != '/')
    {
      _lablink_client_return_invalid_argument (self, lablink_client_request_async, callback,
                                               user_data, "A request path must start with “/”");
      return;
    }

  _lablink_client_start_request (self, method, path, body, LABLINK_REQUEST_DEFAULT,
                                 LABLINK_RESULT_JSON, NULL, cancellable,
                                 lablink_client_request_async, callback, user_data);
}

/**
 * lablink_client_request_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the parsed answer, or %NULL on error
 */
JsonNode *
lablink_client_request_finish (LablinkClient  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  return _lablink_client_finish_pointer (self, result, lablink_client_request_async, error);
}

/**
 * lablink_client_get_info_async:
 * @self: a #LablinkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api`: the server's name, version, hostname, status and whether
 * security is enabled.
 */
void
lablink_client_get_info_async (LablinkClient       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));

  _lablink_client_start_request (self, "GET", "/api", NULL, LABLINK_REQUEST_DEFAULT,
                                 LABLINK_RESULT_OBJECT, NULL, cancellable,
                                 lablink_client_get_info_async, callback, user_data);
}

/**
 * lablink_client_get_info_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the answer, a JSON object
 */
JsonNode *
lablink_client_get_info_finish (LablinkClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  return _lablink_client_finish_pointer (self, result, lablink_client_get_info_async, error);
}

/**
 * lablink_client_get_health_async:
 * @self: a #LablinkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /health`: `{"status":"healthy","connected_devices":N}`.
 */
void
lablink_client_get_health_async (LablinkClient       *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));

  _lablink_client_start_request (self, "GET", "/health", NULL, LABLINK_REQUEST_DEFAULT,
                                 LABLINK_RESULT_OBJECT, NULL, cancellable,
                                 lablink_client_get_health_async, callback, user_data);
}

/**
 * lablink_client_get_health_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the answer, a JSON object
 */
JsonNode *
lablink_client_get_health_finish (LablinkClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return _lablink_client_finish_pointer (self, result, lablink_client_get_health_async, error);
}
