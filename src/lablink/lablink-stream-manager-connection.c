/* lablink-stream-manager-connection.c — connecting, and the connection state
 *
 * Connecting and disconnecting the worker's WebSocket, reconnecting at
 * once, the state the worker reports (state, next retry, last error) as
 * the manager's properties, the server's clock checked at each connect,
 * and the few calls that need the link up (ping, raw text).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lablink-error.h"
#include "lablink-stream-manager-private.h"

static void
clock_checked_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  GWeakRef *ref = data;
  g_autoptr(LablinkStreamManager) self = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  gint offset_s = 0;

  g_weak_ref_clear (ref);
  g_free (ref);

  if (!lablink_client_check_server_clock_finish (LABLINK_CLIENT (source), result, &error))
    g_debug ("Server clock unknown (%s): naive timestamps stay in the client's zone", error->message);
  if (self == NULL)
    return;
  self->clock_in_flight = FALSE;
  if (self->worker != NULL && lablink_client_get_server_utc_offset (self->client, &offset_s))
    lablink_ws_worker_set_naive_zone (self->worker, TRUE, (gint64) offset_s * G_USEC_PER_SEC);
}

/* The server's UTC offset, for its naive timestamps: checked on every
 * (re)connect (lablink-client-clock.c); until it is known, the last one
 * known stays in force. */
void
_lablink_stream_manager_check_clock (LablinkStreamManager *self)
{
  GWeakRef *ref;

  if (self->clock_in_flight || self->client == NULL)
    return;
  self->clock_in_flight = TRUE;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  lablink_client_check_server_clock_async (self->client, self->cancellable, clock_checked_cb, ref);
}

void
_lablink_stream_manager_complete_disconnect_tasks (LablinkStreamManager *self)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->disconnect_tasks);
  guint i;

  self->disconnect_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (i = 0; i < tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
}

static gboolean
error_equal (const GError *a,
             const GError *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->domain == b->domain && a->code == b->code && g_str_equal (a->message, b->message);
}

/* The worker's last error (@text) as a GError: its domain and code come
 * with the STATE item of a failure that has them (@reported; the owner may
 * take that item after the text changed, or the other way round), else
 * %LABLINK_ERROR_NOT_CONNECTED. */
static GError *
last_error_new (LablinkStreamManager *self,
                const char           *text,
                const GError         *reported)
{
  if (text == NULL)
    return NULL;
  if (reported != NULL && g_str_equal (reported->message, text))
    return g_error_copy (reported);
  if (self->last_error != NULL && g_str_equal (self->last_error->message, text))
    return g_error_copy (self->last_error);
  return g_error_new_literal (LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED, text);
}

/* A STATE item: @entered, and (@reported, nullable) why. */
void
_lablink_stream_manager_update_state (LablinkStreamManager   *self,
                                      LablinkConnectionState  entered,
                                      const GError           *reported)
{
  LablinkConnectionState state;
  g_autofree char *text = NULL;
  g_autoptr(GError) last_error = NULL;
  gboolean was_connected = self->state == LABLINK_CONNECTION_CONNECTED;
  gint64 next_retry;
  guint attempt;

  lablink_ws_worker_get_state (self->worker, NULL, &next_retry, &attempt, &text);
  last_error = last_error_new (self, text, reported);
  state = entered;

  g_object_freeze_notify (G_OBJECT (self));

  if (state != self->state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), _lablink_stream_manager_properties[PROP_STATE]);
      if (was_connected != (state == LABLINK_CONNECTION_CONNECTED))
        g_object_notify_by_pspec (G_OBJECT (self), _lablink_stream_manager_properties[PROP_CONNECTED]);

      if (state == LABLINK_CONNECTION_CONNECTED)
        {
          GHashTableIter iter;
          ActiveStream *stream;
          gint64 now = g_get_monotonic_time ();

          _lablink_stream_manager_check_clock (self);
          g_hash_table_iter_init (&iter, self->active);
          while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stream))
            {
              stream->started_at = now;
              _lablink_stream_manager_reset_sharing (self, stream);
              g_clear_handle_id (&stream->poll_source, g_source_remove);
              _lablink_stream_manager_set_stream_status (self, stream, LABLINK_STREAM_STATUS_STARTING);
            }
        }
      _lablink_stream_manager_schedule_check (self);
    }
  if (next_retry != self->next_retry)
    {
      self->next_retry = next_retry;
      g_object_notify_by_pspec (G_OBJECT (self), _lablink_stream_manager_properties[PROP_NEXT_RETRY_TIME]);
    }
  if (attempt != self->attempt)
    {
      self->attempt = attempt;
      g_object_notify_by_pspec (G_OBJECT (self), _lablink_stream_manager_properties[PROP_RETRY_ATTEMPT]);
    }
  if (!error_equal (last_error, self->last_error))
    {
      g_clear_error (&self->last_error);
      self->last_error = g_steal_pointer (&last_error);
      g_object_notify_by_pspec (G_OBJECT (self), _lablink_stream_manager_properties[PROP_LAST_ERROR]);
    }

  g_object_thaw_notify (G_OBJECT (self));

  if (state == LABLINK_CONNECTION_DISCONNECTED || state == LABLINK_CONNECTION_AUTH_FAILED)
    _lablink_stream_manager_complete_disconnect_tasks (self);
}

/* Waits for a callback running on another thread: never call it from
 * connect_cancelled_cb(). */
void
_lablink_stream_manager_stop_watching_cancellable (LablinkStreamManager *self)
{
  if (self->connect_cancellable == NULL)
    return;
  g_cancellable_disconnect (self->connect_cancellable, self->connect_cancelled_id);
  self->connect_cancelled_id = 0;
  g_clear_object (&self->connect_cancellable);
}

/* The worker's first result for connect_async() (@error: taken, or NULL). */
void
_lablink_stream_manager_connect_done (LablinkStreamManager *self,
                                      GError               *error)
{
  /* The STATE items before it already told the state. */
  _lablink_stream_manager_stop_watching_cancellable (self);
  if (self->connect_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);

      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
    }
  else
    g_clear_error (&error);
}

/* Any thread: the caller gave up on connect_async(). Disconnecting ends the
 * attempt; the worker then reports the connect as cancelled. */
static void
connect_cancelled_cb (GCancellable *cancellable,
                      gpointer      data)
{
  lablink_ws_worker_disconnect (data);
}

/**
 * lablink_stream_manager_connect_async:
 * @self: a #LablinkStreamManager
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the first attempt succeeded or failed
 * @user_data: data for @callback
 *
 * Opens the WebSocket. When the first attempt fails (or the server does not
 * answer the handshake within #LablinkStreamManager:handshake-timeout-ms),
 * the task fails, and (with #LablinkStreamManager:reconnect) the manager
 * keeps trying in the background unless the server refused our
 * credentials. Cancelling @cancellable before the first result abandons the
 * attempt: the manager disconnects and the task fails with
 * %G_IO_ERROR_CANCELLED.
 */
void
lablink_stream_manager_connect_async (LablinkStreamManager *self,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  LablinkWsConfig config = { 0 };

  g_return_if_fail (LABLINK_IS_STREAM_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_stream_manager_connect_async);

  if (self->connect_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, _("A connection attempt is already under way"));
      return;
    }

  config.uri = lablink_client_dup_ws_url (self->client);
  config.pinned_certificate = g_strdup (lablink_client_get_pinned_certificate (self->client));
  config.backoff_initial_ms = self->backoff_initial_ms;
  config.backoff_max_ms = MAX (self->backoff_max_ms, self->backoff_initial_ms);
  config.stable_after_ms = self->stable_after_ms;
  config.ping_interval_ms = self->ping_interval_ms;
  config.max_payload = self->max_payload_size;
  config.queue_length = self->queue_length;
  config.reconnect = self->reconnect;
  config.handshake_timeout_ms = self->handshake_timeout_ms;

  self->connect_task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      /* Called at once if already cancelled. */
      self->connect_cancellable = g_object_ref (cancellable);
      self->connect_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (connect_cancelled_cb),
                                                          self->worker, NULL);
    }
  /* Usually known before the first frame of a stream started once connected. */
  _lablink_stream_manager_check_clock (self);
  lablink_ws_worker_connect (self->worker, &config);
  g_free (config.uri);
  g_free (config.pinned_certificate);
}

/**
 * lablink_stream_manager_connect_finish:
 * @self: a #LablinkStreamManager
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE once connected
 */
gboolean
lablink_stream_manager_connect_finish (LablinkStreamManager  *self,
                                       GAsyncResult          *result,
                                       GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * lablink_stream_manager_disconnect:
 * @self: a #LablinkStreamManager
 *
 * Closes the WebSocket and stops reconnecting. The streams stay registered:
 * the next connect restarts them.
 */
void
lablink_stream_manager_disconnect (LablinkStreamManager *self)
{
  g_return_if_fail (LABLINK_IS_STREAM_MANAGER (self));
  lablink_ws_worker_disconnect (self->worker);
}

/**
 * lablink_stream_manager_disconnect_async:
 * @self: a #LablinkStreamManager
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once disconnected
 * @user_data: data for @callback
 */
void
lablink_stream_manager_disconnect_async (LablinkStreamManager *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data)
{
  GTask *task;

  g_return_if_fail (LABLINK_IS_STREAM_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_stream_manager_disconnect_async);
  g_ptr_array_add (self->disconnect_tasks, task);
  lablink_ws_worker_disconnect (self->worker);
}

/**
 * lablink_stream_manager_disconnect_finish:
 * @self: a #LablinkStreamManager
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE
 */
gboolean
lablink_stream_manager_disconnect_finish (LablinkStreamManager  *self,
                                          GAsyncResult          *result,
                                          GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * lablink_stream_manager_reconnect_now:
 * @self: a #LablinkStreamManager
 *
 * Skips the backoff wait and tries at once (also after an auth failure,
 * e.g. once the user logged in again). An attempt under way — say, to a
 * server that never answers — is abandoned for a fresh one.
 */
void
lablink_stream_manager_reconnect_now (LablinkStreamManager *self)
{
  g_return_if_fail (LABLINK_IS_STREAM_MANAGER (self));

  if (self->state == LABLINK_CONNECTION_AUTH_FAILED)
    {
      /* The token may have changed: take the URL anew. */
      lablink_stream_manager_connect_async (self, NULL, NULL, NULL);
      return;
    }
  lablink_ws_worker_reconnect_now (self->worker);
}

LablinkConnectionState
lablink_stream_manager_get_state (LablinkStreamManager *self)
{
  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), LABLINK_CONNECTION_DISCONNECTED);
  return self->state;
}

gboolean
lablink_stream_manager_get_connected (LablinkStreamManager *self)
{
  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), FALSE);
  return self->state == LABLINK_CONNECTION_CONNECTED;
}

/**
 * lablink_stream_manager_get_next_retry_time:
 * @self: a #LablinkStreamManager
 *
 * Returns: the monotonic time (g_get_monotonic_time()) of the next
 *   reconnection attempt, or 0 if none is planned
 */
gint64
lablink_stream_manager_get_next_retry_time (LablinkStreamManager *self)
{
  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), 0);
  return self->next_retry;
}

/**
 * lablink_stream_manager_get_retry_attempt:
 * @self: a #LablinkStreamManager
 *
 * Returns: the number of the planned reconnection attempt (1 = first)
 */
guint
lablink_stream_manager_get_retry_attempt (LablinkStreamManager *self)
{
  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), 0);
  return self->attempt;
}

/**
 * lablink_stream_manager_get_last_error:
 * @self: a #LablinkStreamManager
 *
 * Returns: (nullable): why the link was last lost or refused
 */
const char *
lablink_stream_manager_get_last_error (LablinkStreamManager *self)
{
  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), NULL);
  return self->last_error != NULL ? self->last_error->message : NULL;
}

/**
 * lablink_stream_manager_dup_last_error:
 * @self: a #LablinkStreamManager
 *
 * Why the link was last lost or refused, with its domain and code: a
 * refused certificate is %LABLINK_ERROR_UNTRUSTED_CERTIFICATE or
 * %LABLINK_ERROR_CERTIFICATE_CHANGED, refused credentials
 * %LABLINK_ERROR_AUTH, anything else %LABLINK_ERROR_NOT_CONNECTED. Its
 * message is #LablinkStreamManager:last-error.
 *
 * Returns: (transfer full) (nullable): a copy of the last error
 */
GError *
lablink_stream_manager_dup_last_error (LablinkStreamManager *self)
{
  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), NULL);
  return self->last_error != NULL ? g_error_copy (self->last_error) : NULL;
}

gboolean
_lablink_stream_manager_check_connected (LablinkStreamManager  *self,
                                         GError               **error)
{
  if (self->state == LABLINK_CONNECTION_CONNECTED || self->state == LABLINK_CONNECTION_RECONNECTING)
    return TRUE;

  g_set_error_literal (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED,
                       self->state == LABLINK_CONNECTION_AUTH_FAILED
                         ? _("Not connected: the server refused our credentials. Log in, then connect again.")
                         : _("Not connected to a LabLink server. Connect first."));
  return FALSE;
}

/**
 * lablink_stream_manager_send_ping:
 * @self: a #LablinkStreamManager
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the ping was sent
 */
gboolean
lablink_stream_manager_send_ping (LablinkStreamManager  *self,
                                  GError               **error)
{
  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), FALSE);

  if (!_lablink_stream_manager_check_connected (self, error))
    return FALSE;
  lablink_ws_worker_ping (self->worker);
  return TRUE;
}

/**
 * lablink_stream_manager_send_text:
 * @self: a #LablinkStreamManager
 * @text: a frame
 * @error: return location for a #GError
 *
 * Sends a raw text frame (for protocol extensions and tests).
 *
 * Returns: %TRUE if the frame was sent
 */
gboolean
lablink_stream_manager_send_text (LablinkStreamManager  *self,
                                  const char            *text,
                                  GError               **error)
{
  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!_lablink_stream_manager_check_connected (self, error))
    return FALSE;
  lablink_ws_worker_send (self->worker, g_strdup (text));
  return TRUE;
}
