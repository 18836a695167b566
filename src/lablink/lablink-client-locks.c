/* lablink-client-locks.c — equipment locks: the lock session, acquire,
 * release and keep-alive
 *
 * A LabLink server with equipment locks on (1.2.5's default) runs a control
 * command (set a voltage, switch an output, …) only for the lock session
 * that holds the instrument's exclusive lock. The client keeps one lock
 * session (`POST /api/locks/sessions/create`) and the set of instruments it
 * holds; lablink_client_send_command_async() sends the session's id with
 * control commands and with any command to an instrument it holds.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lablink-client-private.h"
#include "lablink-error.h"

/**
 * lablink_action_requires_control:
 * @action: a command action, e.g. `set_voltage`
 *
 * Whether a LabLink server with equipment locks on runs @action only for
 * the holder of the instrument's exclusive lock (its `CONTROL_COMMANDS`,
 * matched as substrings as the server does).
 *
 * Returns: %TRUE for control commands, %FALSE for read-only ones
 */
gboolean
lablink_action_requires_control (const char *action)
{
  static const char * const control[] = {
    "set_voltage", "set_current", "set_output", "set_ovp", "set_ocp", "clear_protection",
    "set_input", "set_mode", "set_range", "set_channel", "set_trigger", "set_timebase",
    "set_scale", "set_position", "set_offset", "reset", "clear", "save", "recall", "calibrate",
  };
  g_autofree char *lower = NULL;

  g_return_val_if_fail (action != NULL, FALSE);

  lower = g_ascii_strdown (action, -1);
  for (guint i = 0; i < G_N_ELEMENTS (control); i++)
    if (strstr (lower, control[i]) != NULL)
      return TRUE;
  return FALSE;
}

/**
 * lablink_default_lock_session_name:
 *
 * The name a lock session gets unless told otherwise, so that whoever
 * finds an instrument locked knows whom to ask: `USER@HOST`.
 *
 * Returns: (transfer full): the name
 */
char *
lablink_default_lock_session_name (void)
{
  return g_strdup_printf ("%s@%s", g_get_user_name (), g_get_host_name ());
}

/* ------------------------------------------------------------------------ */
/* The set of held locks                                                     */

static void
hold_lock (LablinkClient   *self,
           const char      *equipment_id,
           LablinkLockMode  mode)
{
  gpointer old = g_hash_table_lookup (self->held_locks, equipment_id);

  g_hash_table_replace (self->held_locks, g_strdup (equipment_id), GINT_TO_POINTER (mode + 1));
  if (old != GINT_TO_POINTER (mode + 1))
    _lablink_client_emit_lock_changed (self, equipment_id);
}

void
_lablink_client_forget_lock (LablinkClient *self,
                             const char    *equipment_id)
{
  g_autofree char *id = g_strdup (equipment_id);

  if (g_hash_table_remove (self->held_locks, id))
    _lablink_client_emit_lock_changed (self, id);
}

static void
forget_all_locks (LablinkClient *self)
{
  g_auto(GStrv) ids = lablink_client_dup_held_locks (self);

  for (guint i = 0; ids[i] != NULL; i++)
    _lablink_client_forget_lock (self, ids[i]);
}

/**
 * lablink_client_holds_lock:
 * @self: a #LablinkClient
 * @equipment_id: an instrument
 *
 * Whether this client's lock session holds @equipment_id's exclusive lock,
 * as far as the client knows (a lock the server let expire is noticed at
 * the next command or keep-alive).
 *
 * Returns: %TRUE if it does
 */
gboolean
lablink_client_holds_lock (LablinkClient *self,
                           const char    *equipment_id)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (equipment_id != NULL, FALSE);

  return g_hash_table_lookup (self->held_locks, equipment_id) ==
         GINT_TO_POINTER (LABLINK_LOCK_MODE_EXCLUSIVE + 1);
}

static int
compare_strv_items (const void *a,
                    const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/**
 * lablink_client_dup_held_locks:
 * @self: a #LablinkClient
 *
 * Returns: (transfer full): the instruments this client holds a lock on
 *   (exclusive or observer), sorted
 */
GStrv
lablink_client_dup_held_locks (LablinkClient *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree gpointer *keys = NULL;
  guint n = 0;
  GStrv ids;

  g_return_val_if_fail (LABLINK_IS_CLIENT (self), NULL);

  keys = g_hash_table_get_keys_as_array (self->held_locks, &n);
  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder, keys[i]);
  ids = g_strv_builder_end (builder);
  qsort (ids, g_strv_length (ids), sizeof (char *), compare_strv_items);
  return ids;
}

/* Adds "session_id" to a command being built when the server needs it:
 * for a control command, or any command to an instrument we hold. A
 * read-only command must not name a session that holds no lock (403). */
void
_lablink_client_add_command_session (LablinkClient *self,
                                     JsonBuilder   *builder,
                                     const char    *equipment_id,
                                     const char    *action)
{
  if (self->lock_session_id == NULL)
    return;
  if (g_hash_table_lookup (self->held_locks, equipment_id) == NULL &&
      !lablink_action_requires_control (action))
    return;
  json_builder_set_member_name (builder, "session_id");
  json_builder_add_string_value (builder, self->lock_session_id);
}

/* ------------------------------------------------------------------------ */
/* The lock session                                                          */

typedef struct {
  char *name;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_free (data->name);
  g_free (data);
}

static void
create_session_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LablinkClient *self = LABLINK_CLIENT (source);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  const char *id;

  node = lablink_client_request_finish (self, result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  id = JSON_NODE_HOLDS_OBJECT (node)
    ? _lablink_client_json_get_string (json_node_get_object (node), "session_id") : NULL;
  if (id == NULL || id[0] == '\0')
    {
      g_task_return_new_error (task, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                               "The answer to POST /api/locks/sessions/create has no “session_id”: "
                               "does this LabLink server have equipment locks?");
      return;
    }
  forget_all_locks (self);
  g_free (self->lock_session_id);
  self->lock_session_id = g_strdup (id);
  g_free (self->lock_session_name);
  self->lock_session_name = g_strdup (data->name);
  g_task_return_boolean (task, TRUE);
}

/**
 * lablink_client_create_lock_session_async:
 * @self: a #LablinkClient
 * @client_name: (nullable): who this is, shown to others who find an
 *   instrument locked; %NULL for lablink_default_lock_session_name()
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/locks/sessions/create`: a new lock session (it replaces the
 * client's previous one, which is not ended). The server forgets it after
 * %LABLINK_LOCK_SESSION_DEFAULT_TIMEOUT seconds without activity: see
 * lablink_client_keep_locks_alive_async().
 */
void
lablink_client_create_lock_session_async (LablinkClient       *self,
                                          const char          *client_name,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  CreateData *data;

  g_return_if_fail (LABLINK_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_client_create_lock_session_async);
  data = g_new0 (CreateData, 1);
  data->name = client_name != NULL ? g_strdup (client_name) : lablink_default_lock_session_name ();
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_name");
  json_builder_add_string_value (builder, data->name);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  lablink_client_request_async (self, "POST", "/api/locks/sessions/create", body, cancellable,
                                create_session_cb, g_steal_pointer (&task));
}

/**
 * lablink_client_create_lock_session_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the client has a new lock session
 */
gboolean
lablink_client_create_lock_session_finish (LablinkClient  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  return _lablink_client_finish_boolean (self, result, lablink_client_create_lock_session_async, error);
}

/**
 * lablink_client_get_lock_session_id:
 * @self: a #LablinkClient
 *
 * Returns: (nullable): the lock session's id, or %NULL without one
 */
const char *
lablink_client_get_lock_session_id (LablinkClient *self)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), NULL);
  return self->lock_session_id;
}

/**
 * lablink_client_get_lock_session_name:
 * @self: a #LablinkClient
 *
 * Returns: (nullable): the name the lock session was created with
 */
const char *
lablink_client_get_lock_session_name (LablinkClient *self)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), NULL);
  return self->lock_session_name;
}

/**
 * lablink_client_set_lock_session:
 * @self: a #LablinkClient
 * @session_id: (nullable): an existing lock session's id, or %NULL to forget it
 * @held_equipment: (nullable) (array zero-terminated=1): the instruments
 *   it holds the exclusive lock of
 *
 * Adopts a lock session created earlier (by another process, e.g. a
 * script's previous `lablink-cli command --keep-lock`). Nothing is sent.
 */
void
lablink_client_set_lock_session (LablinkClient      *self,
                                 const char         *session_id,
                                 const char * const *held_equipment)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));

  forget_all_locks (self);
  g_free (self->lock_session_id);
  self->lock_session_id = g_strdup (session_id);
  g_clear_pointer (&self->lock_session_name, g_free);
  for (guint i = 0; session_id != NULL && held_equipment != NULL && held_equipment[i] != NULL; i++)
    hold_lock (self, held_equipment[i], LABLINK_LOCK_MODE_EXCLUSIVE);
}

/* ---- keep-alive: the session's activity, then each held lock's ---- */

typedef struct {
  GPtrArray *pending;   /* equipment ids still to refresh */
  char      *expired;   /* the first lock found gone */
} KeepAliveData;

static void
keep_alive_data_free (KeepAliveData *data)
{
  g_ptr_array_unref (data->pending);
  g_free (data->expired);
  g_free (data);
}

static void keep_alive_next (GTask *task);

static void
lock_activity_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KeepAliveData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = _lablink_client_finish_pointer (LABLINK_CLIENT (source), result, lock_activity_cb, &error);
  if (node == NULL)
    {
      if (!g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_LOCK_EXPIRED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (data->expired == NULL)
        data->expired = g_strdup (g_ptr_array_index (data->pending, 0));
    }
  g_ptr_array_remove_index (data->pending, 0);
  keep_alive_next (g_steal_pointer (&task));
}

static void
keep_alive_next (GTask *task)
{
  LablinkClient *self = g_task_get_source_object (task);
  KeepAliveData *data = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  const char *id;

  if (data->pending->len == 0)
    {
      if (data->expired != NULL)
        g_task_return_new_error (task, LABLINK_ERROR, LABLINK_ERROR_LOCK_EXPIRED,
                                 "Your lock on %s expired (it was not used for its timeout); take it again",
                                 data->expired);
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  id = g_ptr_array_index (data->pending, 0);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "session_id");
  json_builder_add_string_value (builder, self->lock_session_id);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  path = _lablink_client_id_path ("/api/locks/activity/", id, NULL);
  _lablink_client_start_lock_request (self, "POST", path, body, LABLINK_RESULT_OBJECT, id,
                                      g_task_get_cancellable (task), lock_activity_cb, lock_activity_cb, task);
}

static void
session_activity_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LablinkClient *self = LABLINK_CLIENT (source);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = _lablink_client_finish_pointer (self, result, session_activity_cb, &error);
  if (node == NULL)
    {
      if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_LOCK_EXPIRED))
        {
          /* the server forgot the session, and with it our locks */
          forget_all_locks (self);
          g_clear_pointer (&self->lock_session_id, g_free);
        }
      g_task_return_error (task, error);
      return;
    }
  keep_alive_next (g_steal_pointer (&task));
}

/**
 * lablink_client_keep_locks_alive_async:
 * @self: a #LablinkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answers are complete
 * @user_data: (closure): data for @callback
 *
 * Tells the server the lock session and each exclusive lock it holds are
 * still in use (`POST /api/locks/sessions/{id}/activity`, then `POST
 * /api/locks/activity/{equipment}` for each), so that they do not time
 * out. Call it well within the shorter timeout (a lock's: 300 s by
 * default). A lost lock or session fails with
 * %LABLINK_ERROR_LOCK_EXPIRED (and #LablinkClient::lock-changed).
 * Without a lock session it does nothing.
 */
void
lablink_client_keep_locks_alive_async (LablinkClient       *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  KeepAliveData *data;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (LABLINK_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_client_keep_locks_alive_async);
  if (self->lock_session_id == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  data = g_new0 (KeepAliveData, 1);
  data->pending = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, self->held_locks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (value == GINT_TO_POINTER (LABLINK_LOCK_MODE_EXCLUSIVE + 1))
      g_ptr_array_add (data->pending, g_strdup (key));
  g_task_set_task_data (task, data, (GDestroyNotify) keep_alive_data_free);

  path = _lablink_client_id_path ("/api/locks/sessions/", self->lock_session_id, "/activity");
  _lablink_client_start_lock_request (self, "POST", path, NULL, LABLINK_RESULT_OBJECT, NULL, cancellable,
                                      session_activity_cb, session_activity_cb, g_steal_pointer (&task));
}

/**
 * lablink_client_keep_locks_alive_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the session and every lock are still held
 */
gboolean
lablink_client_keep_locks_alive_finish (LablinkClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return _lablink_client_finish_boolean (self, result, lablink_client_keep_locks_alive_async, error);
}

static void
end_session_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = _lablink_client_finish_pointer (LABLINK_CLIENT (source), result, end_session_cb, &error);
  /* a session the server already forgot is ended too */
  if (node == NULL && !g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_LOCK_EXPIRED))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);
  g_task_return_boolean (task, TRUE);
}

/**
 * lablink_client_end_lock_session_async:
 * @self: a #LablinkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `DELETE /api/locks/sessions/{id}`: ends the lock session; the server
 * releases every lock it held. The client forgets the session at once.
 * Without a lock session it does nothing.
 */
void
lablink_client_end_lock_session_async (LablinkClient       *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_client_end_lock_session_async);
  if (self->lock_session_id == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  path = _lablink_client_id_path ("/api/locks/sessions/", self->lock_session_id, NULL);
  forget_all_locks (self);
  g_clear_pointer (&self->lock_session_id, g_free);
  g_clear_pointer (&self->lock_session_name, g_free);
  _lablink_client_start_lock_request (self, "DELETE", path, NULL, LABLINK_RESULT_OBJECT, NULL, cancellable,
                                      end_session_cb, end_session_cb, g_steal_pointer (&task));
}

/**
 * lablink_client_end_lock_session_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the session is ended (or was already gone)
 */
gboolean
lablink_client_end_lock_session_finish (LablinkClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return _lablink_client_finish_boolean (self, result, lablink_client_end_lock_session_async, error);
}

/* ------------------------------------------------------------------------ */
/* Locks                                                                     */

typedef struct {
  char            *equipment_id;
  LablinkLockMode  mode;
  gboolean         queue_if_busy;
  gboolean         was_held;
} LockData;

static void
lock_data_free (LockData *data)
{
  g_free (data->equipment_id);
  g_free (data);
}

static void
status_for_error_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LockData *data = g_task_get_task_data (task);
  GError *original = g_object_steal_data (G_OBJECT (task), "lablink-lock-error");
  g_autoptr(LablinkLockInfo) info = NULL;
  g_autofree char *since = NULL;
  const char *name;
  GString *text;

  info = lablink_client_get_lock_status_finish (LABLINK_CLIENT (source), result, NULL);
  if (info == NULL || !lablink_lock_info_get_locked (info) || lablink_lock_info_get_held_by_us (info))
    {
      g_task_return_error (task, original);
      return;
    }

  text = g_string_new (NULL);
  name = lablink_lock_info_get_holder_name (info);
  if (data->was_held)
    g_string_append_printf (text, "Your lock on %s expired and ", data->equipment_id);
  else
    g_string_append_printf (text, "%s is ", data->equipment_id);
  g_string_append (text, data->was_held ? "it is now controlled by " : "controlled by ");
  if (name != NULL && name[0] != '\0')
    g_string_append (text, name);
  else
    g_string_append_printf (text, "session %s", lablink_lock_info_get_session_id (info));
  since = _lablink_lock_info_format_since (info);
  if (since != NULL)
    g_string_append_printf (text, " since %s", since);
  if (lablink_lock_info_get_queue_length (info) > 0)
    g_string_append_printf (text, " (%u waiting)", lablink_lock_info_get_queue_length (info));

  g_task_return_new_error (task, LABLINK_ERROR, LABLINK_ERROR_LOCKED, "%s", text->str);
  g_string_free (text, TRUE);
  g_error_free (original);
}

/* Returns @error on @task; a LABLINK_ERROR_LOCKED first learns who holds
 * the lock and since when, and says so. The task data is a LockData. */
void
_lablink_client_return_lock_error (GTask  *task,
                                   GError *error)
{
  LablinkClient *self = g_task_get_source_object (task);
  LockData *data = g_task_get_task_data (task);

  if (!g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_LOCKED))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "lablink-lock-error", error, (GDestroyNotify) g_error_free);
  lablink_client_get_lock_status_async (self, data->equipment_id, NULL, status_for_error_cb, task);
}

GTask *
_lablink_client_new_lock_task (LablinkClient       *self,
                               const char          *equipment_id,
                               GCancellable        *cancellable,
                               gpointer             source_tag,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  LockData *data = g_new0 (LockData, 1);

  g_task_set_source_tag (task, source_tag);
  data->equipment_id = g_strdup (equipment_id);
  data->was_held = lablink_client_holds_lock (self, equipment_id);
  g_task_set_task_data (task, data, (GDestroyNotify) lock_data_free);
  return task;
}

static void
acquire_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  LablinkClient *self = LABLINK_CLIENT (source);
  LockData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  JsonObject *object;
  const char *status;

  node = _lablink_client_finish_pointer (self, result, acquire_cb, &error);
  if (node == NULL)
    {
      _lablink_client_return_lock_error (task, error);
      return;
    }

  object = json_node_get_object (node);
  status = _lablink_client_json_get_string (object, "status");
  if (g_strcmp0 (status, "locked") == 0 || g_strcmp0 (status, "refreshed") == 0 ||
      g_strcmp0 (status, "observer") == 0)
    {
      hold_lock (self, data->equipment_id,
                 g_strcmp0 (status, "observer") == 0 ? LABLINK_LOCK_MODE_OBSERVER : LABLINK_LOCK_MODE_EXCLUSIVE);
      g_task_return_boolean (task, TRUE);
    }
  else if (g_strcmp0 (status, "queued") == 0)
    {
      JsonNode *entry = json_object_get_member (object, "queue_entry");
      double position = 0;

      if (entry != NULL && JSON_NODE_HOLDS_OBJECT (entry))
        position = json_object_get_double_member_with_default (json_node_get_object (entry), "position", 0);
      error = g_error_new (LABLINK_ERROR, LABLINK_ERROR_LOCKED,
                           "%s is controlled by another session; you are number %u in its queue",
                           data->equipment_id, (guint) position + 1);
      g_task_return_error (task, error);
    }
  else
    g_task_return_new_error (task, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                             "The answer to POST /api/locks/acquire has no known “status” (%s)",
                             status != NULL ? status : "none");
  g_object_unref (task);
}

static void
acquire_send (GTask *task)
{
  LablinkClient *self = g_task_get_source_object (task);
  LockData *data = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "equipment_id");
  json_builder_add_string_value (builder, data->equipment_id);
  json_builder_set_member_name (builder, "session_id");
  json_builder_add_string_value (builder, self->lock_session_id);
  json_builder_set_member_name (builder, "lock_mode");
  json_builder_add_string_value (builder, data->mode == LABLINK_LOCK_MODE_OBSERVER ? "observer" : "exclusive");
  if (data->queue_if_busy)
    {
      json_builder_set_member_name (builder, "queue_if_busy");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  _lablink_client_start_lock_request (self, "POST", "/api/locks/acquire", body, LABLINK_RESULT_OBJECT,
                                      data->equipment_id, g_task_get_cancellable (task),
                                      acquire_cb, acquire_cb, task);
}

static void
acquire_session_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!lablink_client_create_lock_session_finish (LABLINK_CLIENT (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  acquire_send (task);
}

/**
 * lablink_client_acquire_lock_async:
 * @self: a #LablinkClient
 * @equipment_id: an instrument
 * @mode: exclusive (to control it) or observer
 * @queue_if_busy: when another session holds it, wait in its queue (the
 *   server hands the lock over when it is released)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/locks/acquire`, creating the lock session first if the
 * client has none. Taking a lock the session already holds refreshes it.
 * When another session holds it, fails with %LABLINK_ERROR_LOCKED saying
 * who (its session's name) and since when.
 */
void
lablink_client_acquire_lock_async (LablinkClient       *self,
                                   const char          *equipment_id,
                                   LablinkLockMode      mode,
                                   gboolean             queue_if_busy,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  LockData *data;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (equipment_id != NULL);

  if (!_lablink_client_check_id (self, equipment_id, "equipment id",
                                 lablink_client_acquire_lock_async, callback, user_data))
    return;

  task = _lablink_client_new_lock_task (self, equipment_id, cancellable, lablink_client_acquire_lock_async,
                                        callback, user_data);
  data = g_task_get_task_data (task);
  data->mode = mode;
  data->queue_if_busy = queue_if_busy;

  if (self->lock_session_id == NULL)
    lablink_client_create_lock_session_async (self, NULL, cancellable, acquire_session_cb, task);
  else
    acquire_send (task);
}

/**
 * lablink_client_acquire_lock_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the lock is held
 */
gboolean
lablink_client_acquire_lock_finish (LablinkClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return _lablink_client_finish_boolean (self, result, lablink_client_acquire_lock_async, error);
}

static void
release_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  LablinkClient *self = LABLINK_CLIENT (source);
  LockData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = _lablink_client_finish_pointer (self, result, release_cb, &error);
  if (node == NULL)
    {
      _lablink_client_return_lock_error (task, error);
      return;
    }
  /* "released", "observer_released", or "not_locked" (nothing to release) */
  _lablink_client_forget_lock (self, data->equipment_id);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * lablink_client_release_lock_async:
 * @self: a #LablinkClient
 * @equipment_id: an instrument
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/locks/release`. Releasing a lock the session does not hold
 * succeeds (there is nothing to release); one held by another session
 * fails with %LABLINK_ERROR_LOCKED.
 */
void
lablink_client_release_lock_async (LablinkClient       *self,
                                   const char          *equipment_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  GTask *task;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (equipment_id != NULL);

  if (!_lablink_client_check_id (self, equipment_id, "equipment id",
                                 lablink_client_release_lock_async, callback, user_data))
    return;

  task = _lablink_client_new_lock_task (self, equipment_id, cancellable, lablink_client_release_lock_async,
                                        callback, user_data);
  if (self->lock_session_id == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "equipment_id");
  json_builder_add_string_value (builder, equipment_id);
  json_builder_set_member_name (builder, "session_id");
  json_builder_add_string_value (builder, self->lock_session_id);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  _lablink_client_start_lock_request (self, "POST", "/api/locks/release", body, LABLINK_RESULT_OBJECT,
                                      equipment_id, cancellable, release_cb, release_cb, task);
}

/**
 * lablink_client_release_lock_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the session no longer holds the lock
 */
gboolean
lablink_client_release_lock_finish (LablinkClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return _lablink_client_finish_boolean (self, result, lablink_client_release_lock_async, error);
}
