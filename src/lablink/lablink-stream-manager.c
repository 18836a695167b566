/* lablink-stream-manager.c — WebSocket streams of a LabLink server
 *
 * The object: its properties and signals, construction and teardown, and
 * the statistics. The rest of the class is in its sibling files (see
 * lablink-stream-manager-private.h): connecting and the connection state
 * (lablink-stream-manager-connection.c), the dispatch of what the worker
 * hands over (lablink-stream-manager-dispatch.c) and the streams
 * (lablink-stream-manager-streams.c and the files it names).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lablink-enums.h"
#include "lablink-error.h"
#include "lablink-protocol.h"
#include "lablink-stream-manager-private.h"

#define MAX_PAYLOAD_LIMIT   (256u * 1024u * 1024u)

G_DEFINE_FINAL_TYPE (LablinkStreamManager, lablink_stream_manager, G_TYPE_OBJECT)

GParamSpec *_lablink_stream_manager_properties[N_PROPS];
guint _lablink_stream_manager_signals[N_SIGNALS];

static void
lablink_stream_manager_constructed (GObject *object)
{
  LablinkStreamManager *self = (LablinkStreamManager *) object;

  G_OBJECT_CLASS (lablink_stream_manager_parent_class)->constructed (object);

  if (self->client == NULL)
    g_critical ("LablinkStreamManager needs a LablinkClient");

  _lablink_stream_manager_start_dispatch (self);
}

static void
lablink_stream_manager_dispose (GObject *object)
{
  LablinkStreamManager *self = (LablinkStreamManager *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->status_source)
    g_source_destroy (self->status_source);
  g_clear_pointer (&self->status_source, g_source_unref);
  _lablink_stream_manager_stop_watching_cancellable (self);

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
    _lablink_stream_manager_complete_disconnect_tasks (self);

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
  g_clear_error (&self->last_error);

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
    case PROP_LAST_ERROR: g_value_set_string (value, lablink_stream_manager_get_last_error (self)); break;
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
  g_object_notify_by_pspec (G_OBJECT (self), _lablink_stream_manager_properties[prop_id]);
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
      g_object_notify_by_pspec (G_OBJECT (self), _lablink_stream_manager_properties[prop_id]);
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
      g_object_notify_by_pspec (G_OBJECT (self), _lablink_stream_manager_properties[prop_id]);
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

  _lablink_stream_manager_properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, LABLINK_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  _lablink_stream_manager_properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, LABLINK_TYPE_CONNECTION_STATE,
                       LABLINK_CONNECTION_DISCONNECTED, ro);
  _lablink_stream_manager_properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE, ro);
  _lablink_stream_manager_properties[PROP_NEXT_RETRY_TIME] =
    g_param_spec_int64 ("next-retry-time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  _lablink_stream_manager_properties[PROP_RETRY_ATTEMPT] =
    g_param_spec_uint ("retry-attempt", NULL, NULL, 0, G_MAXUINT, 0, ro);
  _lablink_stream_manager_properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  _lablink_stream_manager_properties[PROP_RECONNECT] =
    g_param_spec_boolean ("reconnect", NULL, NULL, TRUE, rw | G_PARAM_CONSTRUCT);
  _lablink_stream_manager_properties[PROP_BACKOFF_INITIAL_MS] =
    g_param_spec_uint ("backoff-initial-ms", NULL, NULL, 1, 3600000, 500, rw | G_PARAM_CONSTRUCT);
  _lablink_stream_manager_properties[PROP_BACKOFF_MAX_MS] =
    g_param_spec_uint ("backoff-max-ms", NULL, NULL, 1, 3600000, 30000, rw | G_PARAM_CONSTRUCT);
  _lablink_stream_manager_properties[PROP_STABLE_AFTER_MS] =
    g_param_spec_uint ("stable-after-ms", NULL, NULL, 0, 3600000, 10000, rw | G_PARAM_CONSTRUCT);
  _lablink_stream_manager_properties[PROP_PING_INTERVAL_MS] =
    g_param_spec_uint ("ping-interval-ms", NULL, NULL, 100, 3600000, 5000, rw | G_PARAM_CONSTRUCT);
  _lablink_stream_manager_properties[PROP_MAX_PAYLOAD_SIZE] =
    g_param_spec_uint ("max-payload-size", NULL, NULL, 1024, MAX_PAYLOAD_LIMIT,
                       LABLINK_MESSAGE_DEFAULT_MAX_SIZE, rw | G_PARAM_CONSTRUCT);
  _lablink_stream_manager_properties[PROP_QUEUE_LENGTH] =
    g_param_spec_uint ("queue-length", NULL, NULL, 1, 1 << 20, 256, rw | G_PARAM_CONSTRUCT);
  _lablink_stream_manager_properties[PROP_DISPATCH_BUDGET_US] =
    g_param_spec_uint ("dispatch-budget-us", NULL, NULL, 50, 1000000, 1000, rw | G_PARAM_CONSTRUCT);
  _lablink_stream_manager_properties[PROP_POLLING_FALLBACK] =
    g_param_spec_boolean ("polling-fallback", NULL, NULL, TRUE, rw | G_PARAM_CONSTRUCT);
  _lablink_stream_manager_properties[PROP_FETCH_WAVEFORMS] =
    g_param_spec_boolean ("fetch-waveforms", NULL, NULL, TRUE, rw | G_PARAM_CONSTRUCT);
  /**
   * LablinkStreamManager:handshake-timeout-ms:
   *
   * How long a connection attempt may wait for the server to answer the
   * WebSocket handshake before it counts as failed (and, with
   * #LablinkStreamManager:reconnect, is retried); 0 waits for ever. Taken
   * at each connect.
   */
  _lablink_stream_manager_properties[PROP_HANDSHAKE_TIMEOUT_MS] =
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
  _lablink_stream_manager_properties[PROP_QUEUE_BYTES] =
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
  _lablink_stream_manager_properties[PROP_TOTAL_QUEUE_BYTES] =
    g_param_spec_uint64 ("total-queue-bytes", NULL, NULL, 64 * 1024, G_MAXUINT64,
                         DEFAULT_TOTAL_QUEUE_BYTES, rw | G_PARAM_CONSTRUCT);

  g_object_class_install_properties (object_class, N_PROPS, _lablink_stream_manager_properties);

  /**
   * LablinkStreamManager::message:
   * @self: the manager
   * @message: the message
   *
   * Every well-formed message, detailed by its type name
   * (`message::stream_data`, `message::alarm_event`, …), unknown types too.
   */
  _lablink_stream_manager_signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, g_cclosure_marshal_VOID__BOXED, G_TYPE_NONE, 1,
                  LABLINK_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_set_va_marshaller (_lablink_stream_manager_signals[SIGNAL_MESSAGE], G_TYPE_FROM_CLASS (klass), g_cclosure_marshal_VOID__BOXEDv);

  /**
   * LablinkStreamManager::stream-data:
   * @self: the manager
   * @message: a `stream_data` message (waveforms with their samples)
   *
   * Equipment stream data, detailed by stream key (`stream-data::ps_250e6dfe_readings`).
   */
  _lablink_stream_manager_signals[SIGNAL_STREAM_DATA] =
    g_signal_new ("stream-data", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, g_cclosure_marshal_VOID__BOXED, G_TYPE_NONE, 1,
                  LABLINK_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_set_va_marshaller (_lablink_stream_manager_signals[SIGNAL_STREAM_DATA], G_TYPE_FROM_CLASS (klass), g_cclosure_marshal_VOID__BOXEDv);

  /**
   * LablinkStreamManager::acquisition-data:
   * @self: the manager
   * @message: an `acquisition_stream` message
   *
   * Acquisition stream frames, detailed by acquisition id.
   */
  _lablink_stream_manager_signals[SIGNAL_ACQUISITION_DATA] =
    g_signal_new ("acquisition-data", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, g_cclosure_marshal_VOID__BOXED, G_TYPE_NONE, 1,
                  LABLINK_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_set_va_marshaller (_lablink_stream_manager_signals[SIGNAL_ACQUISITION_DATA], G_TYPE_FROM_CLASS (klass), g_cclosure_marshal_VOID__BOXEDv);

  /**
   * LablinkStreamManager::event:
   * @self: the manager
   * @message: the event
   *
   * Unsolicited server events (`alarm_event`, `job_started`, …) and messages
   * of unknown types, detailed by type name. Never errors.
   */
  _lablink_stream_manager_signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, g_cclosure_marshal_VOID__BOXED, G_TYPE_NONE, 1,
                  LABLINK_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_set_va_marshaller (_lablink_stream_manager_signals[SIGNAL_EVENT], G_TYPE_FROM_CLASS (klass), g_cclosure_marshal_VOID__BOXEDv);

  /**
   * LablinkStreamManager::server-error:
   * @self: the manager
   * @detail: the server's `detail`
   *
   * The server sent an `error` message.
   */
  _lablink_stream_manager_signals[SIGNAL_SERVER_ERROR] =
    g_signal_new ("server-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * LablinkStreamManager::frame-error:
   * @self: the manager
   * @error: why the frame was rejected
   *
   * A frame was rejected (counted and skipped; the link stays up).
   */
  _lablink_stream_manager_signals[SIGNAL_FRAME_ERROR] =
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
  _lablink_stream_manager_signals[SIGNAL_STREAM_STATUS_CHANGED] =
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
  _lablink_stream_manager_signals[SIGNAL_STREAM_INTERVAL_CHANGED] =
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
