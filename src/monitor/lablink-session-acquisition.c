/* lablink-session-acquisition.c — the session's door to the server's acquisitions
 *
 * The acquisitions panel lists, creates and controls acquisitions and
 * records them through these calls, never through the LablinkClient
 * itself. Each call forwards to the session's client as it is when the
 * call is made; without one (no server chosen yet) it fails with
 * LABLINK_ERROR_NOT_CONNECTED.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-session.h"

/**
 * lablink_session_has_server:
 * @self: a session
 *
 * Returns: %TRUE when the session has a server (a client and a stream
 *   manager) to send acquisition requests to, connected or not
 */
gboolean
lablink_session_has_server (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);
  return lablink_session_get_client (self) != NULL && lablink_session_get_manager (self) != NULL;
}

/* A task of the session whose client call is under way: the client is the
 * task's data, so the answer is read from the client that was asked. */
static GTask *
forward_task_new (LablinkSession      *self,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data,
                  gpointer             source_tag,
                  LablinkClient      **client)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  *client = lablink_session_get_client (self);
  if (*client == NULL)
    {
      g_task_return_new_error (task, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED, _("Not connected to a server"));
      g_object_unref (task);
      return NULL;
    }
  g_task_set_task_data (task, g_object_ref (*client), g_object_unref);
  return task;
}

static gboolean
forward_task_is_valid (LablinkSession *self,
                       GAsyncResult   *result,
                       gpointer        source_tag)
{
  return g_task_is_valid (result, self) && g_task_get_source_tag (G_TASK (result)) == source_tag;
}

/* Listing */

static void
list_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  JsonNode *node = lablink_client_list_acquisitions_finish (LABLINK_CLIENT (source), result, &error);

  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

/**
 * lablink_session_list_acquisitions_async:
 * @self: a session
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Asks the server for its acquisitions (GET /api/acquisition/sessions).
 */
void
lablink_session_list_acquisitions_async (LablinkSession      *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  LablinkClient *client;
  GTask *task;

  g_return_if_fail (LABLINK_IS_SESSION (self));

  task = forward_task_new (self, cancellable, callback, user_data, lablink_session_list_acquisitions_async, &client);
  if (task != NULL)
    lablink_client_list_acquisitions_async (client, cancellable, list_done_cb, task);
}

/**
 * lablink_session_list_acquisitions_finish:
 * @self: a session
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the server's answer (an object whose
 *   "sessions" array lists the acquisitions), or %NULL with @error set
 */
JsonNode *
lablink_session_list_acquisitions_finish (LablinkSession  *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  g_return_val_if_fail (forward_task_is_valid (self, result, lablink_session_list_acquisitions_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Creating */

static void
create_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  char *id = lablink_client_create_acquisition_finish (LABLINK_CLIENT (source), result, &error);

  if (id == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, id, g_free);
}

/**
 * lablink_session_create_acquisition_async:
 * @self: a session
 * @config: the create body of PROTOCOL.md
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Creates an acquisition on the server (it is not started).
 */
void
lablink_session_create_acquisition_async (LablinkSession      *self,
                                          JsonObject          *config,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  LablinkClient *client;
  GTask *task;

  g_return_if_fail (LABLINK_IS_SESSION (self));
  g_return_if_fail (config != NULL);

  task = forward_task_new (self, cancellable, callback, user_data, lablink_session_create_acquisition_async, &client);
  if (task != NULL)
    lablink_client_create_acquisition_async (client, config, cancellable, create_done_cb, task);
}

/**
 * lablink_session_create_acquisition_finish:
 * @self: a session
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new acquisition's id, or %NULL with @error set
 */
char *
lablink_session_create_acquisition_finish (LablinkSession  *self,
                                           GAsyncResult    *result,
                                           GError         **error)
{
  g_return_val_if_fail (forward_task_is_valid (self, result, lablink_session_create_acquisition_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Controlling */

static void
control_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  if (lablink_client_control_acquisition_finish (LABLINK_CLIENT (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * lablink_session_control_acquisition_async:
 * @self: a session
 * @acquisition_id: the acquisition
 * @action: "start", "stop", "pause" or "resume"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
lablink_session_control_acquisition_async (LablinkSession      *self,
                                           const char          *acquisition_id,
                                           const char          *action,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  LablinkClient *client;
  GTask *task;

  g_return_if_fail (LABLINK_IS_SESSION (self));
  g_return_if_fail (acquisition_id != NULL);
  g_return_if_fail (action != NULL);

  task = forward_task_new (self, cancellable, callback, user_data, lablink_session_control_acquisition_async, &client);
  if (task != NULL)
    lablink_client_control_acquisition_async (client, acquisition_id, action, cancellable, control_done_cb, task);
}

gboolean
lablink_session_control_acquisition_finish (LablinkSession  *self,
                                            GAsyncResult    *result,
                                            GError         **error)
{
  g_return_val_if_fail (forward_task_is_valid (self, result, lablink_session_control_acquisition_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Recording */

/**
 * lablink_session_new_acquisition_capture:
 * @self: a session
 * @acquisition_id: the acquisition to record
 * @directory: (nullable) (type filename): where captures go; %NULL for the
 *   default directory
 * @error: return location for a #GError
 *
 * A capture of an acquisition of this session's server (not started: see
 * lablink_capture_start()).
 *
 * Returns: (transfer full): the capture, or %NULL with @error set
 */
LablinkCapture *
lablink_session_new_acquisition_capture (LablinkSession  *self,
                                         const char      *acquisition_id,
                                         const char      *directory,
                                         GError         **error)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lablink_session_has_server (self))
    {
      g_set_error_literal (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED, _("Not connected to a server"));
      return NULL;
    }
  return lablink_capture_new_for_acquisition (lablink_session_get_manager (self),
                                              lablink_session_get_client (self),
                                              acquisition_id, directory, error);
}
