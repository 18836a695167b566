/* lablink-client-equipment.c — the instruments' endpoints
 *
 * `/api/equipment/…` (list, status, commands), `GET /api/data/{id}/snapshot`
 * and `POST /api/waveform/capture`.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "lablink-client-private.h"
#include "lablink-error.h"

/**
 * lablink_client_list_equipment_async:
 * @self: a #LablinkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api/equipment/list`.
 */
void
lablink_client_list_equipment_async (LablinkClient       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));

  _lablink_client_start_request (self, "GET", "/api/equipment/list", NULL, LABLINK_REQUEST_DEFAULT,
                                 LABLINK_RESULT_EQUIPMENT_LIST, NULL, cancellable,
                                 lablink_client_list_equipment_async, callback, user_data);
}

/**
 * lablink_client_list_equipment_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * An entry that is not a valid equipment description fails the whole list
 * with %LABLINK_ERROR_INVALID_FIELD.
 *
 * Returns: (transfer container) (element-type LablinkEquipment) (nullable):
 *   the equipment, in the server's order
 */
GPtrArray *
lablink_client_list_equipment_finish (LablinkClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return _lablink_client_finish_pointer (self, result, lablink_client_list_equipment_async, error);
}

/**
 * lablink_client_get_equipment_status_async:
 * @self: a #LablinkClient
 * @equipment_id: an equipment id
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api/equipment/{id}/status` (with `capabilities`). An unknown id
 * fails with %LABLINK_ERROR_NOT_FOUND.
 */
void
lablink_client_get_equipment_status_async (LablinkClient       *self,
                                           const char          *equipment_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (equipment_id != NULL);

  _lablink_client_start_id_request (self, "GET", "/api/equipment/", equipment_id, "/status",
                                    "equipment id", LABLINK_RESULT_OBJECT, cancellable,
                                    lablink_client_get_equipment_status_async, callback, user_data);
}

/**
 * lablink_client_get_equipment_status_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the status, a JSON object
 */
JsonNode *
lablink_client_get_equipment_status_finish (LablinkClient  *self,
                                            GAsyncResult   *result,
                                            GError        **error)
{
  return _lablink_client_finish_pointer (self, result, lablink_client_get_equipment_status_async,
                                         error);
}

static void
command_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  JsonNode *node;

  node = _lablink_client_finish_pointer (LABLINK_CLIENT (source), result, command_done_cb, &error);
  if (node == NULL)
    {
      _lablink_client_return_lock_error (task, error);
      return;
    }
  g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
  g_object_unref (task);
}

/**
 * lablink_client_send_command_async:
 * @self: a #LablinkClient
 * @equipment_id: an equipment id
 * @action: the instrument action, e.g. `set_voltage`
 * @parameters: (nullable): the action's parameters, e.g.
 *   `{"voltage": 5.0, "channel": 1}`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/equipment/{id}/command` with a unique `command_id`. An
 * answer with `"success": false` fails with %LABLINK_ERROR_SERVER and the
 * server's `error` text.
 *
 * On a server with equipment locks on, a control command (see
 * lablink_action_requires_control()) runs only for the lock session holding
 * the instrument's exclusive lock: the client sends its lock session's id
 * (`session_id`) with control commands and with any command to an
 * instrument it holds (see lablink_client_acquire_lock_async()). A refusal
 * fails with %LABLINK_ERROR_NOT_LOCKED (no lock taken),
 * %LABLINK_ERROR_LOCKED (held by someone else: who, and since when) or
 * %LABLINK_ERROR_LOCK_EXPIRED.
 */
void
lablink_client_send_command_async (LablinkClient       *self,
                                   const char          *equipment_id,
                                   const char          *action,
                                   JsonObject          *parameters,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) params = NULL;
  g_autofree char *command_id = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (equipment_id != NULL);
  g_return_if_fail (action != NULL);

  if (!_lablink_client_check_id (self, equipment_id, "equipment id",
                                 lablink_client_send_command_async, callback, user_data) ||
      !_lablink_client_check_id (self, action, "command action",
                                 lablink_client_send_command_async, callback, user_data))
    return;

  params = json_node_new (JSON_NODE_OBJECT);
  if (parameters != NULL)
    json_node_set_object (params, parameters);
  else
    json_node_take_object (params, json_object_new ());

  command_id = g_uuid_string_random ();

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "command_id");
  json_builder_add_string_value (builder, command_id);
  json_builder_set_member_name (builder, "equipment_id");
  json_builder_add_string_value (builder, equipment_id);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, action);
  json_builder_set_member_name (builder, "parameters");
  json_builder_add_value (builder, g_steal_pointer (&params));
  _lablink_client_add_command_session (self, builder, equipment_id, action);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  task = _lablink_client_new_lock_task (self, equipment_id, cancellable, lablink_client_send_command_async,
                                        callback, user_data);
  path = _lablink_client_id_path ("/api/equipment/", equipment_id, "/command");
  _lablink_client_start_lock_request (self, "POST", path, body, LABLINK_RESULT_COMMAND, equipment_id,
                                      cancellable, command_done_cb, command_done_cb, task);
}

/**
 * lablink_client_send_command_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the answer (`command_id`, `success`,
 *   `data`, `error`, `timestamp`)
 */
JsonNode *
lablink_client_send_command_finish (LablinkClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return _lablink_client_finish_pointer (self, result, lablink_client_send_command_async, error);
}

/**
 * lablink_client_get_snapshot_async:
 * @self: a #LablinkClient
 * @equipment_id: an equipment id
 * @data_type: `readings`, `waveform` or `measurements`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api/data/{id}/snapshot?data_type=…`: one sample of what a stream
 * would send (the polling fallback).
 */
void
lablink_client_get_snapshot_async (LablinkClient       *self,
                                   const char          *equipment_id,
                                   const char          *data_type,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *escaped_type = NULL;
  g_autofree char *suffix = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (equipment_id != NULL);
  g_return_if_fail (data_type != NULL);

  if (!_lablink_client_check_id (self, equipment_id, "equipment id",
                                 lablink_client_get_snapshot_async, callback, user_data) ||
      !_lablink_client_check_id (self, data_type, "data type",
                                 lablink_client_get_snapshot_async, callback, user_data))
    return;

  escaped_type = g_uri_escape_string (data_type, NULL, FALSE);
  suffix = g_strconcat ("/snapshot?data_type=", escaped_type, NULL);
  _lablink_client_start_id_request (self, "GET", "/api/data/", equipment_id, suffix,
                                    "equipment id", LABLINK_RESULT_OBJECT, cancellable,
                                    lablink_client_get_snapshot_async, callback, user_data);
}

/**
 * lablink_client_get_snapshot_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the snapshot, a JSON object
 */
JsonNode *
lablink_client_get_snapshot_finish (LablinkClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return _lablink_client_finish_pointer (self, result, lablink_client_get_snapshot_async, error);
}

/**
 * lablink_client_capture_waveform_async:
 * @self: a #LablinkClient
 * @equipment_id: an oscilloscope's id
 * @channel: the channel, from 1
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/waveform/capture {"equipment_id","config":{"channel":N}}`:
 * the waveform metadata plus `time_data` and `voltage_data` arrays.
 */
void
lablink_client_capture_waveform_async (LablinkClient       *self,
                                       const char          *equipment_id,
                                       guint                channel,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (equipment_id != NULL);

  if (!_lablink_client_check_id (self, equipment_id, "equipment id",
                                 lablink_client_capture_waveform_async, callback, user_data))
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "equipment_id");
  json_builder_add_string_value (builder, equipment_id);
  json_builder_set_member_name (builder, "config");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "channel");
  json_builder_add_int_value (builder, channel);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  _lablink_client_start_request (self, "POST", "/api/waveform/capture", body,
                                 LABLINK_REQUEST_DEFAULT, LABLINK_RESULT_OBJECT, NULL, cancellable,
                                 lablink_client_capture_waveform_async, callback, user_data);
}

/**
 * lablink_client_capture_waveform_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the capture, a JSON object
 */
JsonNode *
lablink_client_capture_waveform_finish (LablinkClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return _lablink_client_finish_pointer (self, result, lablink_client_capture_waveform_async,
                                         error);
}
