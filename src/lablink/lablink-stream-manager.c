/* lablink-stream-manager.c — WebSocket streams of a LabLink server
 *
 * The owner's side of the stream manager: the object (properties, signals),
 * connecting and disconnecting, and the dispatch of what the worker
 * (lablink-ws-worker.c) hands over, drained within a time budget. The
 * streams it runs are in lablink-stream-manager-streams.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lablink-enums.h"
#include "lablink-error.h"
#include "lablink-json-private.h"
#include "lablink-protocol.h"
#include "lablink-stream-manager-private.h"

#define TAKE_BATCH          64
#define MAX_PAYLOAD_LIMIT   (256u * 1024u * 1024u)

G_DEFINE_FINAL_TYPE (LablinkStreamManager, lablink_stream_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_STATE,
  PROP_CONNECTED,
  PROP_NEXT_RETRY_TIME,
  PROP_RETRY_ATTEMPT,
  PROP_LAST_ERROR,
  PROP_RECONNECT,
  PROP_BACKOFF_INITIAL_MS,
  PROP_BACKOFF_MAX_MS,
  PROP_STABLE_AFTER_MS,
  PROP_PING_INTERVAL_MS,
  PROP_MAX_PAYLOAD_SIZE,
  PROP_QUEUE_LENGTH,
  PROP_DISPATCH_BUDGET_US,
  PROP_POLLING_FALLBACK,
  PROP_FETCH_WAVEFORMS,
  PROP_HANDSHAKE_TIMEOUT_MS,
  PROP_QUEUE_BYTES,
  PROP_TOTAL_QUEUE_BYTES,
  N_PROPS
};

enum {
  MESSAGE,
  STREAM_DATA,
  ACQUISITION_DATA,
  EVENT,
  SERVER_ERROR,
  FRAME_ERROR,
  STREAM_STATUS_CHANGED,
  STREAM_INTERVAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Worker thread: wake the owner's dispatch source. Thread-safe. */
static void
wakeup_owner (gpointer data)
{
  GSource *source = data;
  g_source_set_ready_time (source, 0);
}

static GQuark
detail_for (const char *name)
{
  /* Only details someone connected to exist as quarks: never create one per
   * server-chosen string. */
  return name ? g_quark_try_string (name) : 0;
}

static void
emit_message (LablinkStreamManager *self,
              guint                 signal_id,
              const char           *detail,
              LablinkMessage       *message)
{
  GQuark quark = detail_for (detail);

  /* In GLib 2.74 a query with a detail does not match handlers connected
   * without one: ask for both. */
  if (g_signal_has_handler_pending (self, signals[signal_id], 0, FALSE) ||
      (quark != 0 && g_signal_has_handler_pending (self, signals[signal_id], quark, FALSE)))
    g_signal_emit (self, signals[signal_id], quark, message);
}

void
_lablink_stream_manager_emit_stream_data (LablinkStreamManager *self,
                                          LablinkMessage       *message)
{
  emit_message (self, STREAM_DATA, lablink_message_get_stream_key (message), message);
}

void
_lablink_stream_manager_emit_acquisition_data (LablinkStreamManager *self,
                                               LablinkMessage       *message)
{
  emit_message (self, ACQUISITION_DATA, lablink_message_get_acquisition_id (message), message);
}

void
_lablink_stream_manager_emit_stream_status (LablinkStreamManager *self,
                                            const char           *key,
                                            LablinkStreamStatus   status)
{
  g_signal_emit (self, signals[STREAM_STATUS_CHANGED], detail_for (key), key, status);
}

void
_lablink_stream_manager_emit_server_interval (LablinkStreamManager *self,
                                              const char           *key,
                                              guint                 server_interval_ms)
{
  g_signal_emit (self, signals[STREAM_INTERVAL_CHANGED], detail_for (key), key, server_interval_ms);
}

static void
handle_message (LablinkStreamManager *self,
                LablinkMessage       *message)
{
  const char *type_name = lablink_message_get_type_name (message);

  emit_message (self, MESSAGE, type_name, message);

  switch (lablink_message_get_message_type (message))
    {
    case LABLINK_MESSAGE_STREAM_DATA:
      _lablink_stream_manager_deliver_stream_data (self, message, TRUE);
      break;

    case LABLINK_MESSAGE_ACQUISITION_STREAM:
      {
        ActiveStream *stream = g_hash_table_lookup (self->active, lablink_message_get_stream_key (message));
        if (stream != NULL)
          _lablink_stream_manager_acquisition_frame (self, stream, message);
        _lablink_stream_manager_emit_acquisition_data (self, message);
      }
      break;

    case LABLINK_MESSAGE_EVENT:
    case LABLINK_MESSAGE_UNKNOWN:
      emit_message (self, EVENT, type_name, message);
      break;

    case LABLINK_MESSAGE_ERROR:
      if (g_signal_has_handler_pending (self, signals[SERVER_ERROR], 0, FALSE))
        g_signal_emit (self, signals[SERVER_ERROR], 0, lablink_message_get_detail (message));
      break;

    default:
      break;
    }
}

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

static void
complete_disconnect_tasks (LablinkStreamManager *self)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->disconnect_tasks);
  guint i;

  self->disconnect_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (i = 0; i < tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
}

static void
update_state (LablinkStreamManager   *self,
              LablinkConnectionState  entered)
{
  LablinkConnectionState state;
  g_autofree char *last_error = NULL;
  gboolean was_connected = self->state == LABLINK_CONNECTION_CONNECTED;
  gint64 next_retry;
  guint attempt;

  lablink_ws_worker_get_state (self->worker, NULL, &next_retry, &attempt, &last_error);
  state = entered;

  g_object_freeze_notify (G_OBJECT (self));

  if (state != self->state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      if (was_connected != (state == LABLINK_CONNECTION_CONNECTED))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);

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
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_RETRY_TIME]);
    }
  if (attempt != self->attempt)
    {
      self->attempt = attempt;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_ATTEMPT]);
    }
  if (g_strcmp0 (last_error, self->last_error) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_steal_pointer (&last_error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }

  g_object_thaw_notify (G_OBJECT (self));

  if (state == LABLINK_CONNECTION_DISCONNECTED || state == LABLINK_CONNECTION_AUTH_FAILED)
    complete_disconnect_tasks (self);
}

/* Waits for a callback running on another thread: never call it from
 * connect_cancelled_cb(). */
static void
stop_watching_cancellable (LablinkStreamManager *self)
{
  if (self->connect_cancellable == NULL)
    return;
  g_cancellable_disconnect (self->connect_cancellable, self->connect_cancelled_id);
  self->connect_cancelled_id = 0;
  g_clear_object (&self->connect_cancellable);
}

static void
handle_item (LablinkStreamManager *self,
             LablinkWsItem        *item)
{
  switch (item->kind)
    {
    case LABLINK_WS_ITEM_MESSAGE:
      handle_message (self, item->message);
      break;

    case LABLINK_WS_ITEM_FRAME_ERROR:
      if (g_signal_has_handler_pending (self, signals[FRAME_ERROR], 0, FALSE))
        g_signal_emit (self, signals[FRAME_ERROR], 0, item->error);
      break;

    case LABLINK_WS_ITEM_STATE:
      update_state (self, item->state);
      break;

    case LABLINK_WS_ITEM_CONNECTED:
      /* The STATE items before it already told the state. */
      stop_watching_cancellable (self);
      if (self->connect_task != NULL)
        {
          g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);

          if (item->error)
            g_task_return_error (task, g_steal_pointer (&item->error));
          else
            g_task_return_boolean (task, TRUE);
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Owner's main loop: drain what the worker handed over (@take: everything,
 * control items first, or control items only), within a time budget, so
 * that the owner's other sources (timers, input, drawing) keep turning at
 * any input rate. Returns whether items remain. The caller holds a
 * reference on @self. */
static gboolean
drain (LablinkStreamManager *self,
       guint               (*take) (LablinkWsWorker *, LablinkWsItem *, guint, gboolean *))
{
  LablinkWsItem items[TAKE_BATCH];
  gint64 deadline = g_get_monotonic_time () + self->dispatch_budget_us;
  gboolean more = FALSE;

  do
    {
      guint n, i;

      if (self->worker == NULL)
        break;

      n = take (self->worker, items, TAKE_BATCH, &more);
      for (i = 0; i < n; i++)
        {
          if (self->worker != NULL)
            handle_item (self, &items[i]);
          lablink_ws_item_clear (&items[i]);
        }
    }
  while (more && g_get_monotonic_time () < deadline);

  return more;
}

/* Frames (and whatever control items are queued, first), at
 * G_PRIORITY_DEFAULT_IDLE: input, timers and GTK's frame clock go first. */
static gboolean
dispatch_cb (gpointer data)
{
  LablinkStreamManager *self = data;

  g_object_ref (self);
  g_source_set_ready_time (self->dispatch_source, -1);
  if (drain (self, lablink_ws_worker_take) && self->dispatch_source != NULL)
    g_source_set_ready_time (self->dispatch_source, 0);
  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

/* Control items (state, connect results, errors, events, stream_started /
 * stopped…), at G_PRIORITY_DEFAULT: they are few, and redraws or a flood
 * of frames that keep the idle-priority dispatch waiting must not hold an
 * alarm back. Still delivered before the frames queued with them, as
 * always. Whatever exceeds one budget (a server flooding events) is left to
 * the idle-priority dispatch, which takes control items first, so such a
 * flood cannot starve the owner's drawing either. */
static gboolean
control_cb (gpointer data)
{
  LablinkStreamManager *self = data;

  g_object_ref (self);
  g_source_set_ready_time (self->control_source, -1);
  if (drain (self, lablink_ws_worker_take_control) && self->dispatch_source != NULL)
    g_source_set_ready_time (self->dispatch_source, 0);
  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

static gboolean
dispatch_source_dispatch (GSource     *source,
                          GSourceFunc  callback,
                          gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs dispatch_funcs = {
  .dispatch = dispatch_source_dispatch,
};

/* Owner's main loop, at the next no-data deadline of a stream (never while
 * idle: no stream, disconnected, or every silent stream settled). */
static gboolean
status_cb (gpointer data)
{
  LablinkStreamManager *self = data;

  g_object_ref (self);
  _lablink_stream_manager_check_streams (self);
  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

static void
lablink_stream_manager_constructed (GObject *object)
{
  LablinkStreamManager *self = (LablinkStreamManager *) object;

  G_OBJECT_CLASS (lablink_stream_manager_parent_class)->constructed (object);

  if (self->client == NULL)
    g_critical ("LablinkStreamManager needs a LablinkClient");

  self->dispatch_source = g_source_new (&dispatch_funcs, sizeof (GSource));
  g_source_set_callback (self->dispatch_source, dispatch_cb, self, NULL);
  g_source_set_priority (self->dispatch_source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_static_name (self->dispatch_source, "[lablink] dispatch");
  g_source_attach (self->dispatch_source, g_main_context_get_thread_default ());

  self->control_source = g_source_new (&dispatch_funcs, sizeof (GSource));
  g_source_set_callback (self->control_source, control_cb, self, NULL);
  g_source_set_priority (self->control_source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (self->control_source, "[lablink] dispatch control");
  g_source_attach (self->control_source, g_main_context_get_thread_default ());

  self->worker = lablink_ws_worker_new (wakeup_owner, self->dispatch_source);
  lablink_ws_worker_set_control_wakeup (self->worker, wakeup_owner, self->control_source);
  lablink_ws_worker_set_queue_bytes (self->worker, self->queue_bytes, self->total_queue_bytes);

  self->status_source = g_source_new (&dispatch_funcs, sizeof (GSource));
  g_source_set_callback (self->status_source, status_cb, self, NULL);
  g_source_set_static_name (self->status_source, "[lablink] stream status");
  g_source_set_ready_time (self->status_source, -1);
  g_source_attach (self->status_source, g_main_context_get_thread_default ());
}

static void
lablink_stream_manager_dispose (GObject *object)
{
  LablinkStreamManager *self = (LablinkStreamManager *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->status_source)
    g_source_destroy (self->status_source);
  g_clear_pointer (&self->status_source, g_source_unref);
  stop_watching_cancellable (self);

  /* Stop the worker first: afterwards nothing touches the dispatch sources. */
  g_clear_pointer (&self->worker, lablink_ws_worker_free);

  if (self->dispatch_source)
    g_source_destroy (self->dispatch_source);
  g_clear_pointer (&self->dispatch_source, g_source_unref);
  if (self->control_source)
    g_source_destroy (self->control_source);
  g_clear_pointer (&self->control_source, g_source_unref);

  if (self->connect_task)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The stream manager was destroyed"));
    }
  if (self->disconnect_tasks)
    complete_disconnect_tasks (self);

  g_hash_table_remove_all (self->active);

  G_OBJECT_CLASS (lablink_stream_manager_parent_class)->dispose (object);
}

static void
lablink_stream_manager_finalize (GObject *object)
{
  LablinkStreamManager *self = (LablinkStreamManager *) object;

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->active, g_hash_table_unref);
  g_clear_pointer (&self->disconnect_tasks, g_ptr_array_unref);
  g_free (self->last_error);

  G_OBJECT_CLASS (lablink_stream_manager_parent_class)->finalize (object);
}

static void
lablink_stream_manager_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  LablinkStreamManager *self = LABLINK_STREAM_MANAGER (object);

  switch (prop_id)
    {
    case PROP_CLIENT: g_value_set_object (value, self->client); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_CONNECTED: g_value_set_boolean (value, self->state == LABLINK_CONNECTION_CONNECTED); break;
    case PROP_NEXT_RETRY_TIME: g_value_set_int64 (value, self->next_retry); break;
    case PROP_RETRY_ATTEMPT: g_value_set_uint (value, self->attempt); break;
    case PROP_LAST_ERROR: g_value_set_string (value, self->last_error); break;
    case PROP_RECONNECT: g_value_set_boolean (value, self->reconnect); break;
    case PROP_BACKOFF_INITIAL_MS: g_value_set_uint (value, self->backoff_initial_ms); break;
    case PROP_BACKOFF_MAX_MS: g_value_set_uint (value, self->backoff_max_ms); break;
    case PROP_STABLE_AFTER_MS: g_value_set_uint (value, self->stable_after_ms); break;
    case PROP_PING_INTERVAL_MS: g_value_set_uint (value, self->ping_interval_ms); break;
    case PROP_MAX_PAYLOAD_SIZE: g_value_set_uint (value, self->max_payload_size); break;
    case PROP_QUEUE_LENGTH: g_value_set_uint (value, self->queue_length); break;
    case PROP_DISPATCH_BUDGET_US: g_value_set_uint (value, self->dispatch_budget_us); break;
    case PROP_POLLING_FALLBACK: g_value_set_boolean (value, self->polling_fallback); break;
    case PROP_FETCH_WAVEFORMS: g_value_set_boolean (value, self->fetch_waveforms); break;
    case PROP_HANDSHAKE_TIMEOUT_MS: g_value_set_uint (value, self->handshake_timeout_ms); break;
    case PROP_QUEUE_BYTES: g_value_set_uint64 (value, self->queue_bytes); break;
    case PROP_TOTAL_QUEUE_BYTES: g_value_set_uint64 (value, self->total_queue_bytes); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_queue_bytes (LablinkStreamManager *self,
                 guint64              *field,
                 guint64               value,
                 guint                 prop_id)
{
  if (*field == value)
    return;
  *field = value;
  if (self->worker)
    lablink_ws_worker_set_queue_bytes (self->worker, self->queue_bytes, self->total_queue_bytes);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_uint (LablinkStreamManager *self,
          guint                *field,
          guint                 value,
          guint                 prop_id)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
    }
}

static void
set_boolean (LablinkStreamManager *self,
             gboolean             *field,
             gboolean              value,
             guint                 prop_id)
{
  value = !!value;
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
    }
}

static void
lablink_stream_manager_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  LablinkStreamManager *self = LABLINK_STREAM_MANAGER (object);

  switch (prop_id)
    {
    case PROP_CLIENT: self->client = g_value_dup_object (value); break;
    case PROP_RECONNECT: set_boolean (self, &self->reconnect, g_value_get_boolean (value), prop_id); break;
    case PROP_BACKOFF_INITIAL_MS: set_uint (self, &self->backoff_initial_ms, g_value_get_uint (value), prop_id); break;
    case PROP_BACKOFF_MAX_MS: set_uint (self, &self->backoff_max_ms, g_value_get_uint (value), prop_id); break;
    case PROP_STABLE_AFTER_MS: set_uint (self, &self->stable_after_ms, g_value_get_uint (value), prop_id); break;
    case PROP_PING_INTERVAL_MS: set_uint (self, &self->ping_interval_ms, g_value_get_uint (value), prop_id); break;
    case PROP_MAX_PAYLOAD_SIZE: set_uint (self, &self->max_payload_size, g_value_get_uint (value), prop_id); break;
    case PROP_QUEUE_LENGTH:
      set_uint (self, &self->queue_length, g_value_get_uint (value), prop_id);
      if (self->worker)
        lablink_ws_worker_set_queue_length (self->worker, self->queue_length);
      break;
    case PROP_DISPATCH_BUDGET_US: set_uint (self, &self->dispatch_budget_us, g_value_get_uint (value), prop_id); break;
    case PROP_POLLING_FALLBACK:
      set_boolean (self, &self->polling_fallback, g_value_get_boolean (value), prop_id);
      _lablink_stream_manager_schedule_check (self); /* a "no data" stream may now poll */
      break;
    case PROP_FETCH_WAVEFORMS: set_boolean (self, &self->fetch_waveforms, g_value_get_boolean (value), prop_id); break;
    case PROP_HANDSHAKE_TIMEOUT_MS: set_uint (self, &self->handshake_timeout_ms, g_value_get_uint (value), prop_id); break;
    case PROP_QUEUE_BYTES: set_queue_bytes (self, &self->queue_bytes, g_value_get_uint64 (value), prop_id); break;
    case PROP_TOTAL_QUEUE_BYTES: set_queue_bytes (self, &self->total_queue_bytes, g_value_get_uint64 (value), prop_id); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_stream_manager_class_init (LablinkStreamManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = lablink_stream_manager_constructed;
  object_class->dispose = lablink_stream_manager_dispose;
  object_class->finalize = lablink_stream_manager_finalize;
  object_class->get_property = lablink_stream_manager_get_property;
  object_class->set_property = lablink_stream_manager_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, LABLINK_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, LABLINK_TYPE_CONNECTION_STATE,
                       LABLINK_CONNECTION_DISCONNECTED, ro);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE, ro);
  properties[PROP_NEXT_RETRY_TIME] =
    g_param_spec_int64 ("next-retry-time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_RETRY_ATTEMPT] =
    g_param_spec_uint ("retry-attempt", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_RECONNECT] =
    g_param_spec_boolean ("reconnect", NULL, NULL, TRUE, rw | G_PARAM_CONSTRUCT);
  properties[PROP_BACKOFF_INITIAL_MS] =
    g_param_spec_uint ("backoff-initial-ms", NULL, NULL, 1, 3600000, 500, rw | G_PARAM_CONSTRUCT);
  properties[PROP_BACKOFF_MAX_MS] =
    g_param_spec_uint ("backoff-max-ms", NULL, NULL, 1, 3600000, 30000, rw | G_PARAM_CONSTRUCT);
  properties[PROP_STABLE_AFTER_MS] =
    g_param_spec_uint ("stable-after-ms", NULL, NULL, 0, 3600000, 10000, rw | G_PARAM_CONSTRUCT);
  properties[PROP_PING_INTERVAL_MS] =
    g_param_spec_uint ("ping-interval-ms", NULL, NULL, 100, 3600000, 5000, rw | G_PARAM_CONSTRUCT);
  properties[PROP_MAX_PAYLOAD_SIZE] =
    g_param_spec_uint ("max-payload-size", NULL, NULL, 1024, MAX_PAYLOAD_LIMIT,
                       LABLINK_MESSAGE_DEFAULT_MAX_SIZE, rw | G_PARAM_CONSTRUCT);
  properties[PROP_QUEUE_LENGTH] =
    g_param_spec_uint ("queue-length", NULL, NULL, 1, 1 << 20, 256, rw | G_PARAM_CONSTRUCT);
  properties[PROP_DISPATCH_BUDGET_US] =
    g_param_spec_uint ("dispatch-budget-us", NULL, NULL, 50, 1000000, 1000, rw | G_PARAM_CONSTRUCT);
  properties[PROP_POLLING_FALLBACK] =
    g_param_spec_boolean ("polling-fallback", NULL, NULL, TRUE, rw | G_PARAM_CONSTRUCT);
  properties[PROP_FETCH_WAVEFORMS] =
    g_param_spec_boolean ("fetch-waveforms", NULL, NULL, TRUE, rw | G_PARAM_CONSTRUCT);
  /**
   * LablinkStreamManager:handshake-timeout-ms:
   *
   * How long a connection attempt may wait for the server to answer the
   * WebSocket handshake before it counts as failed (and, with
   * #LablinkStreamManager:reconnect, is retried); 0 waits for ever. Taken
   * at each connect.
   */
  properties[PROP_HANDSHAKE_TIMEOUT_MS] =
    g_param_spec_uint ("handshake-timeout-ms", NULL, NULL, 0, 3600000, 10000, rw | G_PARAM_CONSTRUCT);
  /**
   * LablinkStreamManager:queue-bytes:
   *
   * The most a stream's queue (and the queue of events and other control
   * messages) may hold between the network thread and the owner, in bytes
   * of decoded frames (text, tokens and sample arrays: a frame of numbers
   * costs up to about 15 times its size). Beyond it, and beyond
   * #LablinkStreamManager:queue-length frames, the oldest frames are
   * dropped and counted; the newest frame is always kept.
   */
  properties[PROP_QUEUE_BYTES] =
    g_param_spec_uint64 ("queue-bytes", NULL, NULL, 64 * 1024, G_MAXUINT64,
                         DEFAULT_QUEUE_BYTES, rw | G_PARAM_CONSTRUCT);
  /**
   * LablinkStreamManager:total-queue-bytes:
   *
   * The most all queues together may hold, in bytes of decoded frames
   * (see #LablinkStreamManager:queue-bytes). Beyond it the oldest frame of
   * the fullest queue is dropped and counted. With the defaults (64 MiB a
   * stream, 256 MiB in all) the queues of a desktop client stay a fraction
   * of its memory whatever the server sends; see "Memory" in the library's
   * README for the whole bound.
   */
  properties[PROP_TOTAL_QUEUE_BYTES] =
    g_param_spec_uint64 ("total-queue-bytes", NULL, NULL, 64 * 1024, G_MAXUINT64,
                         DEFAULT_TOTAL_QUEUE_BYTES, rw | G_PARAM_CONSTRUCT);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LablinkStreamManager::message:
   * @self: the manager
   * @message: the message
   *
   * Every well-formed message, detailed by its type name
   * (`message::stream_data`, `message::alarm_event`, …), unknown types too.
   */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, g_cclosure_marshal_VOID__BOXED, G_TYPE_NONE, 1,
                  LABLINK_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_set_va_marshaller (signals[MESSAGE], G_TYPE_FROM_CLASS (klass), g_cclosure_marshal_VOID__BOXEDv);

  /**
   * LablinkStreamManager::stream-data:
   * @self: the manager
   * @message: a `stream_data` message (waveforms with their samples)
   *
   * Equipment stream data, detailed by stream key (`stream-data::ps_250e6dfe_readings`).
   */
  signals[STREAM_DATA] =
    g_signal_new ("stream-data", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, g_cclosure_marshal_VOID__BOXED, G_TYPE_NONE, 1,
                  LABLINK_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_set_va_marshaller (signals[STREAM_DATA], G_TYPE_FROM_CLASS (klass), g_cclosure_marshal_VOID__BOXEDv);

  /**
   * LablinkStreamManager::acquisition-data:
   * @self: the manager
   * @message: an `acquisition_stream` message
   *
   * Acquisition stream frames, detailed by acquisition id.
   */
  signals[ACQUISITION_DATA] =
    g_signal_new ("acquisition-data", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, g_cclosure_marshal_VOID__BOXED, G_TYPE_NONE, 1,
                  LABLINK_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_set_va_marshaller (signals[ACQUISITION_DATA], G_TYPE_FROM_CLASS (klass), g_cclosure_marshal_VOID__BOXEDv);

  /**
   * LablinkStreamManager::event:
   * @self: the manager
   * @message: the event
   *
   * Unsolicited server events (`alarm_event`, `job_started`, …) and messages
   * of unknown types, detailed by type name. Never errors.
   */
  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, g_cclosure_marshal_VOID__BOXED, G_TYPE_NONE, 1,
                  LABLINK_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_set_va_marshaller (signals[EVENT], G_TYPE_FROM_CLASS (klass), g_cclosure_marshal_VOID__BOXEDv);

  /**
   * LablinkStreamManager::server-error:
   * @self: the manager
   * @detail: the server's `detail`
   *
   * The server sent an `error` message.
   */
  signals[SERVER_ERROR] =
    g_signal_new ("server-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * LablinkStreamManager::frame-error:
   * @self: the manager
   * @error: why the frame was rejected
   *
   * A frame was rejected (counted and skipped; the link stays up).
   */
  signals[FRAME_ERROR] =
    g_signal_new ("frame-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * LablinkStreamManager::stream-status-changed:
   * @self: the manager
   * @stream_key: the stream
   * @status: its new #LablinkStreamStatus
   *
   * Detailed by stream key.
   */
  signals[STREAM_STATUS_CHANGED] =
    g_signal_new ("stream-status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, LABLINK_TYPE_STREAM_STATUS);

  /**
   * LablinkStreamManager::stream-interval-changed:
   * @self: the manager
   * @stream_key: the stream
   * @server_interval_ms: the cadence the server now sends it at, when
   *   another client changed it; 0 when it sends at ours again
   *
   * Detailed by stream key. See lablink_stream_manager_get_server_interval().
   */
  signals[STREAM_INTERVAL_CHANGED] =
    g_signal_new ("stream-interval-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
lablink_stream_manager_init (LablinkStreamManager *self)
{
  self->cancellable = g_cancellable_new ();
  self->active = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, _lablink_active_stream_free);
  self->disconnect_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->state = LABLINK_CONNECTION_DISCONNECTED;
}

/**
 * lablink_stream_manager_new:
 * @client: the server's REST client (gives the WebSocket URL and token)
 *
 * The manager delivers its signals on the thread-default main context of
 * the thread that creates it; the network and parsing run on a thread of
 * their own.
 *
 * Returns: (transfer full): a new stream manager
 */
LablinkStreamManager *
lablink_stream_manager_new (LablinkClient *client)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (client), NULL);
  return g_object_new (LABLINK_TYPE_STREAM_MANAGER, "client", client, NULL);
}

/**
 * lablink_stream_manager_get_client:
 * @self: a #LablinkStreamManager
 *
 * Returns: (transfer none): the REST client
 */
LablinkClient *
lablink_stream_manager_get_client (LablinkStreamManager *self)
{
  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), NULL);
  return self->client;
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
  return self->last_error;
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

/**
 * lablink_stream_manager_get_statistics:
 * @self: a #LablinkStreamManager
 *
 * Values from the polling fallback count as messages of their stream (and
 * in its rate); lablink_statistics_get_stream_polled() tells them apart.
 *
 * Returns: (transfer full): a snapshot of the counters
 */
LablinkStatistics *
lablink_stream_manager_get_statistics (LablinkStreamManager *self)
{
  LablinkStatistics *stats;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), NULL);
  stats = lablink_ws_worker_get_statistics (self->worker);
  _lablink_stream_manager_add_polled_stats (self, stats);
  return stats;
}

/**
 * lablink_stream_manager_reset_statistics:
 * @self: a #LablinkStreamManager
 */
void
lablink_stream_manager_reset_statistics (LablinkStreamManager *self)
{
  g_return_if_fail (LABLINK_IS_STREAM_MANAGER (self));
  lablink_ws_worker_reset_statistics (self->worker);
  _lablink_stream_manager_reset_polled_stats (self);
}
