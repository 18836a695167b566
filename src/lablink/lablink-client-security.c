/* lablink-client-security.c — logging in and out
 *
 * `POST /api/security/login` and `/refresh`, keeping the tokens they give,
 * and logout.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "lablink-client-private.h"
#include "lablink-error.h"

/* Keeps the tokens of a login or refresh answer, or says why it has none. */
GError *
_lablink_client_take_tokens (LablinkClient  *self,
                             LablinkRequest *request,
                             JsonObject     *object)
{
  const char *access_token = _lablink_client_json_get_string (object, "access_token");
  const char *refresh_token = _lablink_client_json_get_string (object, "refresh_token");
  const char *username = request->username;
  JsonNode *user = json_object_get_member (object, "user");

  if (access_token == NULL || access_token[0] == '\0')
    return _lablink_client_shape_error (self, request, "it has no “access_token” string");

  if (user != NULL && JSON_NODE_HOLDS_OBJECT (user) &&
      _lablink_client_json_get_string (json_node_get_object (user), "username") != NULL)
    username = _lablink_client_json_get_string (json_node_get_object (user), "username");

  if (request->kind == LABLINK_RESULT_LOGIN)
    {
      _lablink_client_set_tokens (self, access_token, refresh_token, username, TRUE);
    }
  else
    {
      /* keep the old refresh token if the server did not rotate it */
      _lablink_client_set_tokens (self, access_token,
                                  refresh_token != NULL ? refresh_token : self->refresh_token,
                                  username != NULL ? username : self->username, TRUE);
    }

  return NULL;
}

/**
 * lablink_client_login_async:
 * @self: a #LablinkClient
 * @username: the user name
 * @password: the password (never logged, zeroed after sending)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/security/login`. On success the access and refresh tokens
 * and the user name are kept; wrong credentials fail with
 * %LABLINK_ERROR_AUTH and the server's text.
 */
void
lablink_client_login_async (LablinkClient       *self,
                            const char          *username,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  if (!_lablink_client_check_id (self, username, "user name", lablink_client_login_async, callback,
                                 user_data))
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  _lablink_client_start_request (self, "POST", "/api/security/login", body,
                                 LABLINK_REQUEST_NO_AUTH | LABLINK_REQUEST_SENSITIVE,
                                 LABLINK_RESULT_LOGIN, username, cancellable,
                                 lablink_client_login_async, callback, user_data);
}

/**
 * lablink_client_login_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when logged in
 */
gboolean
lablink_client_login_finish (LablinkClient  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return _lablink_client_finish_boolean (self, result, lablink_client_login_async, error);
}

/**
 * lablink_client_refresh_async:
 * @self: a #LablinkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/security/refresh` with the refresh token of the last login;
 * on success the new tokens replace the old ones. Fails with
 * %LABLINK_ERROR_AUTH when there is no refresh token or the server
 * refuses it.
 */
void
lablink_client_refresh_async (LablinkClient       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));

  if (self->refresh_token == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, lablink_client_refresh_async);
      g_task_return_new_error (task, LABLINK_ERROR, LABLINK_ERROR_AUTH,
                               "There is no session to refresh: log in first");
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, self->refresh_token);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  _lablink_client_start_request (self, "POST", "/api/security/refresh", body,
                                 LABLINK_REQUEST_NO_AUTH | LABLINK_REQUEST_SENSITIVE,
                                 LABLINK_RESULT_REFRESH, NULL, cancellable,
                                 lablink_client_refresh_async, callback, user_data);
}

/**
 * lablink_client_refresh_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the tokens were renewed
 */
gboolean
lablink_client_refresh_finish (LablinkClient  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  return _lablink_client_finish_boolean (self, result, lablink_client_refresh_async, error);
}

/**
 * lablink_client_logout:
 * @self: a #LablinkClient
 *
 * Forgets the tokens and the user name (the server keeps no session to
 * close). Open WebSockets are not affected.
 */
void
lablink_client_logout (LablinkClient *self)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));

  _lablink_client_set_tokens (self, NULL, NULL, NULL, TRUE);
}
