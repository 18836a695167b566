/* lablink-session-locks.c — LablinkSession: equipment locks
 *
 * A LabLink server with equipment locks on runs a control command only for
 * the lock session holding the instrument's exclusive lock. The session
 * owns one lock session per server: created at the first control action
 * (by LablinkClient, with the user@host name), kept alive by a timer, and
 * ended when the server is dropped (disconnect, another server, the window
 * closing, quitting). The first control action on an instrument takes its
 * lock; one held by someone else fails, saying who and since when. The
 * state of each instrument's lock is kept for the widgets
 * (lablink_session_get_lock_state(), ::lock-changed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-session-private.h"

/* Keep-alive period: well within a lock's default timeout (300 s). */
#define KEEPALIVE_S (LABLINK_LOCK_DEFAULT_TIMEOUT / 3)
/* How long ending the lock session may hold up dropping the server. */
#define END_TIMEOUT_MS 3000

static void
store_info (LablinkSession  *self,
            const char      *equipment_id,
            LablinkLockInfo *info)
{
  if (info != NULL)
    g_hash_table_replace (self->lock_infos, g_strdup (equipment_id), lablink_lock_info_ref (info));
  else
    g_hash_table_remove (self->lock_infos, equipment_id);
  g_signal_emit (self, lablink_session_signals[LOCK_CHANGED], g_quark_from_string (equipment_id), equipment_id);
}

static void
refresh_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(LablinkSession) self = data;
  g_autoptr(LablinkLockInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = lablink_client_get_lock_status_finish (LABLINK_CLIENT (source), result, &error);
  if (info == NULL || LABLINK_CLIENT (source) != self->client)
    return;
  store_info (self, lablink_lock_info_get_equipment_id (info), info);
}

/**
 * lablink_session_refresh_lock:
 * @self: a session
 * @equipment_id: an instrument
 *
 * Asks the server who holds @equipment_id's lock; ::lock-changed follows.
 */
void
lablink_session_refresh_lock (LablinkSession *self,
                              const char     *equipment_id)
{
  g_return_if_fail (LABLINK_IS_SESSION (self));
  g_return_if_fail (equipment_id != NULL);

  if (self->client == NULL)
    return;
  lablink_client_get_lock_status_async (self->client, equipment_id, self->cancellable, refresh_cb,
                                        g_object_ref (self));
}

/**
 * lablink_session_get_lock_state:
 * @self: a session
 * @equipment_id: an instrument
 * @holder: (out) (optional) (transfer none): the holder's name, when
 *   someone else holds it
 * @since: (out) (optional) (transfer none): when it was taken, if known
 *
 * Returns: who holds the instrument's lock, as last seen
 */
LablinkSessionLockState
lablink_session_get_lock_state (LablinkSession  *self,
                                const char      *equipment_id,
                                const char     **holder,
                                GDateTime      **since)
{
  LablinkLockInfo *info;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), LABLINK_SESSION_LOCK_UNKNOWN);
  g_return_val_if_fail (equipment_id != NULL, LABLINK_SESSION_LOCK_UNKNOWN);

  if (holder != NULL)
    *holder = NULL;
  if (since != NULL)
    *since = NULL;
  if (self->client != NULL && lablink_client_holds_lock (self->client, equipment_id))
    {
      info = g_hash_table_lookup (self->lock_infos, equipment_id);
      if (since != NULL && info != NULL && lablink_lock_info_get_held_by_us (info))
        *since = lablink_lock_info_get_acquired_at (info);
      return LABLINK_SESSION_LOCK_OURS;
    }
  info = g_hash_table_lookup (self->lock_infos, equipment_id);
  if (info == NULL)
    return LABLINK_SESSION_LOCK_UNKNOWN;
  if (!lablink_lock_info_get_locked (info) || lablink_lock_info_get_held_by_us (info))
    return LABLINK_SESSION_LOCK_FREE;
  if (holder != NULL)
    *holder = lablink_lock_info_get_holder_name (info);
  if (since != NULL)
    *since = lablink_lock_info_get_acquired_at (info);
  return LABLINK_SESSION_LOCK_OTHERS;
}

/* ------------------------------------------------------------------------ */
/* Keep-alive                                                                */

static void
keep_alive_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(LablinkSession) self = data;
  g_autoptr(GError) error = NULL;

  if (!lablink_client_keep_locks_alive_finish (LABLINK_CLIENT (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Keeping the locks alive: %s", error->message);
}

static gboolean
keep_alive_tick (gpointer data)
{
  LablinkSession *self = data;

  if (self->client == NULL || lablink_client_get_lock_session_id (self->client) == NULL)
    {
      self->keepalive_id = 0;
      return G_SOURCE_REMOVE;
    }
  lablink_client_keep_locks_alive_async (self->client, self->cancellable, keep_alive_cb, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static void
ensure_keep_alive (LablinkSession *self)
{
  if (self->keepalive_id == 0)
    self->keepalive_id = g_timeout_add_seconds (KEEPALIVE_S, keep_alive_tick, self);
}

/* The client took, released or lost a lock. */
static void
client_lock_changed_cb (LablinkClient *client,
                        const char    *equipment_id,
                        gpointer       data)
{
  LablinkSession *self = data;

  if (client != self->client)
    return;
  if (lablink_client_holds_lock (client, equipment_id))
    ensure_keep_alive (self);
  /* learn who has it now (and since when) */
  lablink_session_refresh_lock (self, equipment_id);
}

void
_lablink_session_locks_watch_client (LablinkSession *self)
{
  g_signal_connect_object (self->client, "lock-changed", G_CALLBACK (client_lock_changed_cb), self, 0);
}

/* ------------------------------------------------------------------------ */
/* Ending                                                                    */

static void
end_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  gboolean *done = data;
  g_autoptr(GError) error = NULL;

  if (!lablink_client_end_lock_session_finish (LABLINK_CLIENT (source), result, &error))
    g_debug ("Ending the lock session: %s", error->message);
  *done = TRUE;
}

static gboolean
end_timeout_cb (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Ends the client's lock session, releasing every lock it holds, before
 * the client goes: bounded, so that a server that does not answer cannot
 * hold up closing the window or quitting. */
void
_lablink_session_end_locks (LablinkSession *self)
{
  gboolean done = FALSE, expired = FALSE;
  guint timeout_id;

  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_hash_table_remove_all (self->lock_infos);
  if (self->client == NULL || lablink_client_get_lock_session_id (self->client) == NULL)
    return;

  g_signal_handlers_disconnect_by_func (self->client, client_lock_changed_cb, self);
  lablink_client_end_lock_session_async (self->client, NULL, end_cb, &done);
  timeout_id = g_timeout_add (END_TIMEOUT_MS, end_timeout_cb, &expired);
  while (!done && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (timeout_id);
}

/* ------------------------------------------------------------------------ */
/* Control commands                                                          */

typedef struct {
  char       *equipment_id;
  char       *action;
  JsonObject *parameters;
  gboolean    retried;
} CommandData;

static void
command_data_free (CommandData *data)
{
  g_free (data->equipment_id);
  g_free (data->action);
  g_clear_pointer (&data->parameters, json_object_unref);
  g_free (data);
}

static void send_locked (GTask *task);

static void
send_command_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(GTask) task = data;
  CommandData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = lablink_client_send_command_finish (LABLINK_CLIENT (source), result, &error);
  if (node != NULL)
    {
      g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
      return;
    }
  /* our lock timed out or went: take it again, once */
  if (!cd->retried && lablink_action_requires_control (cd->action) &&
      (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_LOCK_EXPIRED) ||
       g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_NOT_LOCKED)))
    {
      cd->retried = TRUE;
      send_locked (g_steal_pointer (&task));
      return;
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
send_now (GTask *task)
{
  LablinkSession *self = g_task_get_source_object (task);
  CommandData *cd = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  lablink_client_send_command_async (self->client, cd->equipment_id, cd->action, cd->parameters, cancellable,
                                     send_command_cb, task);
}

static void
acquire_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  GTask *task = data;
  g_autoptr(GError) error = NULL;

  if (!lablink_client_acquire_lock_finish (LABLINK_CLIENT (source), result, &error) &&
      !g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND))
    {
      LablinkSession *self = g_task_get_source_object (task);
      CommandData *cd = g_task_get_task_data (task);

      if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_LOCKED))
        lablink_session_refresh_lock (self, cd->equipment_id);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  /* (a server without lock routes: send it without a lock) */
  send_now (task);
}

static void
send_locked (GTask *task)
{
  LablinkSession *self = g_task_get_source_object (task);
  CommandData *cd = g_task_get_task_data (task);

  if (!lablink_action_requires_control (cd->action) || lablink_client_holds_lock (self->client, cd->equipment_id))
    {
      send_now (task);
      return;
    }
  lablink_client_acquire_lock_async (self->client, cd->equipment_id, LABLINK_LOCK_MODE_EXCLUSIVE, FALSE,
                                     g_task_get_cancellable (task), acquire_cb, task);
}

/**
 * lablink_session_send_command_async:
 * @self: a session
 * @equipment_id: the instrument
 * @action: the command ("set_voltage", …)
 * @parameters: (nullable): its parameters
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Sends a command to an instrument of the current server. A control
 * command first takes the instrument's lock (and the session's lock
 * session) unless the session holds it; when someone else does, it fails
 * with %LABLINK_ERROR_LOCKED saying who and since when.
 */
void
lablink_session_send_command_async (LablinkSession      *self,
                                    const char          *equipment_id,
                                    const char          *action,
                                    JsonObject          *parameters,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CommandData *cd;

  g_return_if_fail (LABLINK_IS_SESSION (self));
  g_return_if_fail (equipment_id != NULL);
  g_return_if_fail (action != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_session_send_command_async);
  if (self->client == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("No server is set"));
      return;
    }
  cd = g_new0 (CommandData, 1);
  cd->equipment_id = g_strdup (equipment_id);
  cd->action = g_strdup (action);
  cd->parameters = parameters != NULL ? json_object_ref (parameters) : NULL;
  g_task_set_task_data (task, cd, (GDestroyNotify) command_data_free);
  send_locked (g_steal_pointer (&task));
}

/**
 * lablink_session_send_command_finish:
 * @self: a session
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the server's answer
 */
JsonNode *
lablink_session_send_command_finish (LablinkSession  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
release_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  if (!lablink_client_release_lock_finish (LABLINK_CLIENT (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * lablink_session_release_lock_async:
 * @self: a session
 * @equipment_id: an instrument whose lock the session holds
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Gives the instrument's lock back, so that others can control it.
 */
void
lablink_session_release_lock_async (LablinkSession      *self,
                                    const char          *equipment_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LABLINK_IS_SESSION (self));
  g_return_if_fail (equipment_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_session_release_lock_async);
  if (self->client == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  lablink_client_release_lock_async (self->client, equipment_id, cancellable, release_cb, g_steal_pointer (&task));
}

/**
 * lablink_session_release_lock_finish:
 * @self: a session
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE when the lock is no longer held
 */
gboolean
lablink_session_release_lock_finish (LablinkSession  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
