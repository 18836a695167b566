/* lablink-stream-manager.c — WebSocket streams of a LabLink server
 *
 * The owner's side of the stream manager: the public API, the hand-off from
 * the worker (lablink-ws-worker.c) drained within a time budget, signals and
 * handlers, stream status ("no data" / polling fallback), and fetching the
 * samples of waveform frames that carry none (the real server's).
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
#include "lablink-stream-manager.h"
#include "lablink-ws-worker-private.h"

#define TAKE_BATCH          64
#define STATUS_INTERVAL_MS  100
#define MAX_PAYLOAD_LIMIT   (256u * 1024u * 1024u)

typedef struct {
  char                *key;
  gboolean             acquisition;
  char                *equipment_id;
  char                *stream_type;
  char                *acquisition_id;
  guint                interval_ms;
  guint                num_samples;
  gint64               started_at;
  LablinkStreamStatus  status;
  guint                poll_source;
  gboolean             poll_in_flight;
  gboolean             capture_in_flight;
  gint64               last_capture;
} ActiveStream;

typedef struct {
  guint                 id;
  const char           *type_name;   /* interned; NULL = every message */
  LablinkMessageHandler func;
  gpointer              data;
  GDestroyNotify        destroy;
} Handler;

struct _LablinkStreamManager
{
  GObject                 parent_instance;

  LablinkClient          *client;
  LablinkWsWorker        *worker;
  GSource                *dispatch_source;
  GCancellable           *cancellable;
  GHashTable             *active;           /* key → ActiveStream */
  GPtrArray              *handlers;         /* Handler* */
  guint                   next_handler_id;
  guint                   status_source;

  LablinkConnectionState  state;
  gint64                  next_retry;
  guint                   attempt;
  char                   *last_error;
  GTask                  *connect_task;
  GPtrArray              *disconnect_tasks;

  gboolean                reconnect;
  guint                   backoff_initial_ms;
  guint                   backoff_max_ms;
  guint                   stable_after_ms;
  guint                   ping_interval_ms;
  guint                   max_payload_size;
  guint                   queue_length;
  guint                   dispatch_budget_us;
  gboolean                polling_fallback;
  gboolean                fetch_waveforms;
};

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
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
active_stream_free (gpointer data)
{
  ActiveStream *stream = data;

  g_clear_handle_id (&stream->poll_source, g_source_remove);
  g_free (stream->key);
  g_free (stream->equipment_id);
  g_free (stream->stream_type);
  g_free (stream->acquisition_id);
  g_free (stream);
}

static void
handler_free (gpointer data)
{
  Handler *handler = data;

  if (handler->destroy)
    handler->destroy (handler->data);
  g_free (handler);
}

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

static void
call_handlers (LablinkStreamManager *self,
               LablinkMessage       *message)
{
  const char *type_name;
  g_autoptr(GPtrArray) snapshot = NULL;
  guint i;

  if (self->handlers->len == 0)
    return;

  type_name = lablink_message_get_type_name (message);
  /* A copy, since a handler may add or remove handlers; it does not own
   * them (g_ptr_array_copy() would carry the free function over). */
  snapshot = g_ptr_array_copy (self->handlers, NULL, NULL);
  g_ptr_array_set_free_func (snapshot, NULL);
  for (i = 0; i < snapshot->len; i++)
    {
      Handler *handler = g_ptr_array_index (snapshot, i);

      /* Removed by an earlier handler of this same message? */
      if (!g_ptr_array_find (self->handlers, handler, NULL))
        continue;
      if (handler->type_name == NULL || g_strcmp0 (handler->type_name, type_name) == 0)
        handler->func (self, message, handler->data);
    }
}

static void
set_stream_status (LablinkStreamManager *self,
                   ActiveStream         *stream,
                   LablinkStreamStatus   status)
{
  if (stream->status == status)
    return;

  stream->status = status;
  lablink_ws_worker_set_stream_status (self->worker, stream->key, status);
  g_signal_emit (self, signals[STREAM_STATUS_CHANGED], detail_for (stream->key), stream->key, status);
}

static void deliver_stream_data (LablinkStreamManager *self,
                                 LablinkMessage       *message,
                                 gboolean              from_socket);

typedef struct {
  GWeakRef        manager;
  char           *key;
  LablinkMessage *message;
} FetchData;

static void
fetch_data_free (FetchData *fetch)
{
  g_weak_ref_clear (&fetch->manager);
  g_free (fetch->key);
  g_clear_pointer (&fetch->message, lablink_message_unref);
  g_free (fetch);
}

static FetchData *
fetch_data_new (LablinkStreamManager *self,
                const char           *key,
                LablinkMessage       *message)
{
  FetchData *fetch = g_new0 (FetchData, 1);

  g_weak_ref_init (&fetch->manager, self);
  fetch->key = g_strdup (key);
  fetch->message = message ? lablink_message_ref (message) : NULL;
  return fetch;
}

static void
capture_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  FetchData *fetch = data;
  g_autoptr(LablinkStreamManager) self = g_weak_ref_get (&fetch->manager);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkMessage) complete = NULL;
  g_autofree double *samples = NULL;
  ActiveStream *stream;
  JsonObject *object;
  JsonArray *array;
  guint i, n;

  node = lablink_client_capture_waveform_finish (LABLINK_CLIENT (source), result, &error);

  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;

  stream = g_hash_table_lookup (self->active, fetch->key);
  if (stream != NULL)
    stream->capture_in_flight = FALSE;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (object = json_node_get_object (node), !json_object_has_member (object, "voltage_data")) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "voltage_data")))
    {
      g_debug ("Waveform capture for %s failed: %s", fetch->key, error ? error->message : "no voltage_data");
      lablink_ws_worker_count_error (self->worker, LABLINK_ERROR_KIND_REST);
      goto out;
    }

  array = json_object_get_array_member (object, "voltage_data");
  n = json_array_get_length (array);
  samples = g_new (double, MAX (n, 1));
  for (i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      samples[i] = JSON_NODE_HOLDS_VALUE (element) ? json_node_get_double (element) : NAN;
    }

  complete = lablink_message_new_with_waveform (fetch->message, samples, n);
  if (complete != NULL)
    deliver_stream_data (self, complete, FALSE);

out:
  fetch_data_free (fetch);
}

static void
maybe_fetch_waveform (LablinkStreamManager *self,
                      LablinkMessage       *message)
{
  ActiveStream *stream = g_hash_table_lookup (self->active, lablink_message_get_stream_key (message));
  gint64 now = g_get_monotonic_time ();
  gint64 channel = 1;

  /* Only for streams we run, one request in flight, never faster than the
   * stream's interval. */
  if (stream == NULL || stream->capture_in_flight ||
      now - stream->last_capture < (gint64) stream->interval_ms * 1000)
    return;

  lablink_message_get_int (message, "data.channel", &channel);
  stream->capture_in_flight = TRUE;
  stream->last_capture = now;
  lablink_client_capture_waveform_async (self->client, stream->equipment_id, (guint) CLAMP (channel, 1, G_MAXUINT),
                                         self->cancellable, capture_cb,
                                         fetch_data_new (self, stream->key, message));
}

static void
deliver_stream_data (LablinkStreamManager *self,
                     LablinkMessage       *message,
                     gboolean              from_socket)
{
  const char *key = lablink_message_get_stream_key (message);
  ActiveStream *stream = g_hash_table_lookup (self->active, key);

  if (from_socket && stream != NULL && stream->status != LABLINK_STREAM_STATUS_RUNNING)
    {
      g_clear_handle_id (&stream->poll_source, g_source_remove);
      set_stream_status (self, stream, LABLINK_STREAM_STATUS_RUNNING);
    }

  if (self->fetch_waveforms &&
      g_strcmp0 (lablink_message_get_stream_type (message), LABLINK_STREAM_WAVEFORM) == 0 &&
      lablink_message_get_waveform (message, NULL) == NULL)
    {
      /* The real server sends waveform metadata without samples. */
      maybe_fetch_waveform (self, message);
      return;
    }

  emit_message (self, STREAM_DATA, key, message);
}

static void
handle_message (LablinkStreamManager *self,
                LablinkMessage       *message)
{
  const char *type_name = lablink_message_get_type_name (message);

  emit_message (self, MESSAGE, type_name, message);
  call_handlers (self, message);

  switch (lablink_message_get_message_type (message))
    {
    case LABLINK_MESSAGE_STREAM_DATA:
      deliver_stream_data (self, message, TRUE);
      break;

    case LABLINK_MESSAGE_ACQUISITION_STREAM:
      {
        ActiveStream *stream = g_hash_table_lookup (self->active, lablink_message_get_stream_key (message));
        if (stream != NULL)
          set_stream_status (self, stream, LABLINK_STREAM_STATUS_RUNNING);
        emit_message (self, ACQUISITION_DATA, lablink_message_get_acquisition_id (message), message);
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

          g_hash_table_iter_init (&iter, self->active);
          while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stream))
            {
              stream->started_at = now;
              g_clear_handle_id (&stream->poll_source, g_source_remove);
              set_stream_status (self, stream, LABLINK_STREAM_STATUS_STARTING);
            }
        }
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

/* Owner's main loop: drain what the worker handed over, within a time
 * budget, so that the owner's other sources (timers, input, drawing) keep
 * turning at any input rate. */
static gboolean
dispatch_cb (gpointer data)
{
  LablinkStreamManager *self = data;
  LablinkWsItem items[TAKE_BATCH];
  gint64 deadline;
  gboolean more = FALSE;

  g_source_set_ready_time (self->dispatch_source, -1);
  deadline = g_get_monotonic_time () + self->dispatch_budget_us;

  g_object_ref (self);
  do
    {
      guint n, i;

      if (self->worker == NULL)
        break;

      n = lablink_ws_worker_take (self->worker, items, TAKE_BATCH, &more);
      for (i = 0; i < n; i++)
        {
          if (self->worker != NULL)
            handle_item (self, &items[i]);
          lablink_ws_item_clear (&items[i]);
        }
    }
  while (more && g_get_monotonic_time () < deadline);

  if (more && self->dispatch_source != NULL)
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

static void
poll_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  FetchData *fetch = data;
  g_autoptr(LablinkStreamManager) self = g_weak_ref_get (&fetch->manager);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  ActiveStream *stream;

  node = lablink_client_get_snapshot_finish (LABLINK_CLIENT (source), result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;

  stream = g_hash_table_lookup (self->active, fetch->key);
  if (stream == NULL)
    goto out;
  stream->poll_in_flight = FALSE;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      lablink_ws_worker_count_error (self->worker, LABLINK_ERROR_KIND_REST);
      goto out;
    }

  if (stream->status == LABLINK_STREAM_STATUS_POLLING)
    {
      g_autofree char *data_text = json_to_string (node, FALSE);
      g_autoptr(GString) frame = g_string_new ("{\"type\": \"stream_data\", \"equipment_id\": ");
      g_autoptr(LablinkMessage) message = NULL;
      g_autoptr(GError) parse_error = NULL;

      lablink_json_append_string (frame, stream->equipment_id);
      g_string_append (frame, ", \"stream_type\": ");
      lablink_json_append_string (frame, stream->stream_type);
      g_string_append_printf (frame, ", \"data\": %s}", data_text);

      message = lablink_message_parse (frame->str, (gssize) frame->len, &parse_error);
      if (message == NULL)
        lablink_ws_worker_count_error (self->worker, LABLINK_ERROR_KIND_REST);
      else
        deliver_stream_data (self, message, FALSE);
    }

out:
  fetch_data_free (fetch);
}

static gboolean
poll_timeout_cb (gpointer data)
{
  FetchData *fetch = data;
  g_autoptr(LablinkStreamManager) self = g_weak_ref_get (&fetch->manager);
  ActiveStream *stream;

  if (self == NULL)
    return G_SOURCE_REMOVE;

  stream = g_hash_table_lookup (self->active, fetch->key);
  if (stream == NULL || self->state != LABLINK_CONNECTION_CONNECTED)
    return G_SOURCE_CONTINUE;

  if (!stream->poll_in_flight)
    {
      stream->poll_in_flight = TRUE;
      lablink_client_get_snapshot_async (self->client, stream->equipment_id, stream->stream_type,
                                         self->cancellable, poll_cb,
                                         fetch_data_new (self, stream->key, NULL));
    }

  return G_SOURCE_CONTINUE;
}

/* Streams the server acknowledged but that deliver nothing (the released
 * 1.2.5 server does this for readings and waveforms) show as "no data"
 * after about three intervals and, for equipment streams, fall back to
 * polling the REST snapshot at the stream's interval. */
static gboolean
status_cb (gpointer data)
{
  LablinkStreamManager *self = data;
  GHashTableIter iter;
  ActiveStream *stream;
  gint64 now = g_get_monotonic_time ();

  if (self->state != LABLINK_CONNECTION_CONNECTED)
    return G_SOURCE_CONTINUE;

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stream))
    {
      gint64 last = lablink_ws_worker_get_last_receive (self->worker, stream->key);
      gint64 limit = 3 * (gint64) stream->interval_ms * 1000 + 100000;
      gint64 since = MAX (last, stream->started_at);

      if (last > stream->started_at && now - last <= limit)
        continue; /* running: deliver_stream_data() marks it */

      if (now - since <= limit)
        continue; /* still starting */

      if (stream->status == LABLINK_STREAM_STATUS_POLLING)
        continue;

      if (self->polling_fallback && !stream->acquisition)
        {
          FetchData *fetch = fetch_data_new (self, stream->key, NULL);

          set_stream_status (self, stream, LABLINK_STREAM_STATUS_POLLING);
          g_clear_handle_id (&stream->poll_source, g_source_remove);
          stream->poll_source = g_timeout_add_full (G_PRIORITY_DEFAULT, MAX (stream->interval_ms, 20),
                                                    poll_timeout_cb, fetch,
                                                    (GDestroyNotify) fetch_data_free);
          poll_timeout_cb (fetch);
        }
      else
        set_stream_status (self, stream, LABLINK_STREAM_STATUS_NO_DATA);
    }

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

  self->worker = lablink_ws_worker_new (wakeup_owner, self->dispatch_source);

  self->status_source = g_timeout_add (STATUS_INTERVAL_MS, status_cb, self);
}

static void
lablink_stream_manager_dispose (GObject *object)
{
  LablinkStreamManager *self = (LablinkStreamManager *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->status_source, g_source_remove);

  /* Stop the worker first: afterwards nothing touches the dispatch source. */
  g_clear_pointer (&self->worker, lablink_ws_worker_free);

  if (self->dispatch_source)
    g_source_destroy (self->dispatch_source);
  g_clear_pointer (&self->dispatch_source, g_source_unref);

  if (self->connect_task)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The stream manager was destroyed"));
    }
  if (self->disconnect_tasks)
    complete_disconnect_tasks (self);

  g_hash_table_remove_all (self->active);
  g_ptr_array_set_size (self->handlers, 0);

  G_OBJECT_CLASS (lablink_stream_manager_parent_class)->dispose (object);
}

static void
lablink_stream_manager_finalize (GObject *object)
{
  LablinkStreamManager *self = (LablinkStreamManager *) object;

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->active, g_hash_table_unref);
  g_clear_pointer (&self->handlers, g_ptr_array_unref);
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
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
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
    case PROP_POLLING_FALLBACK: set_boolean (self, &self->polling_fallback, g_value_get_boolean (value), prop_id); break;
    case PROP_FETCH_WAVEFORMS: set_boolean (self, &self->fetch_waveforms, g_value_get_boolean (value), prop_id); break;
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
}

static void
lablink_stream_manager_init (LablinkStreamManager *self)
{
  self->cancellable = g_cancellable_new ();
  self->active = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, active_stream_free);
  self->handlers = g_ptr_array_new_with_free_func (handler_free);
  self->disconnect_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->next_handler_id = 1;
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
 * lablink_stream_manager_connect_async:
 * @self: a #LablinkStreamManager
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the first attempt succeeded or failed
 * @user_data: data for @callback
 *
 * Opens the WebSocket. When the first attempt fails, the task fails, and
 * (with #LablinkStreamManager:reconnect) the manager keeps trying in the
 * background unless the server refused our credentials.
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
  config.backoff_initial_ms = self->backoff_initial_ms;
  config.backoff_max_ms = MAX (self->backoff_max_ms, self->backoff_initial_ms);
  config.stable_after_ms = self->stable_after_ms;
  config.ping_interval_ms = self->ping_interval_ms;
  config.max_payload = self->max_payload_size;
  config.queue_length = self->queue_length;
  config.reconnect = self->reconnect;

  self->connect_task = g_steal_pointer (&task);
  lablink_ws_worker_connect (self->worker, &config);
  g_free (config.uri);
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
 * e.g. once the user logged in again).
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

static gboolean
check_connected (LablinkStreamManager  *self,
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

static gboolean
check_id (const char  *value,
          const char  *what,
          GError     **error)
{
  if (value != NULL && *value != '\0' && g_utf8_validate (value, -1, NULL) && strlen (value) <= 256)
    return TRUE;

  g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
               _("Invalid %s: it must be a non-empty name"), what);
  return FALSE;
}

static gboolean
check_interval (guint    interval_ms,
                GError **error)
{
  if (interval_ms >= 1 && interval_ms <= 3600000)
    return TRUE;

  g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
               _("Invalid interval of %u ms: use 1 ms to 1 hour"), interval_ms);
  return FALSE;
}

static ActiveStream *
register_stream (LablinkStreamManager *self,
                 char                 *key,
                 const char           *start_frame)
{
  ActiveStream *stream = g_new0 (ActiveStream, 1);

  stream->key = key;
  stream->started_at = g_get_monotonic_time ();
  stream->status = LABLINK_STREAM_STATUS_STARTING;
  g_hash_table_replace (self->active, stream->key, stream);

  lablink_ws_worker_set_stream (self->worker, key, g_strdup (start_frame));
  lablink_ws_worker_send (self->worker, g_strdup (start_frame));

  return stream;
}

/**
 * lablink_stream_manager_start_equipment_stream:
 * @self: a #LablinkStreamManager
 * @equipment_id: the equipment id
 * @stream_type: "readings", "waveform" or "measurements"
 * @interval_ms: the interval, 1 ms to 1 h
 * @error: return location for a #GError
 *
 * Starts (or restarts with a new interval) an equipment stream; it is
 * restarted after every reconnect until stopped.
 *
 * Returns: %TRUE if the request was sent
 */
gboolean
lablink_stream_manager_start_equipment_stream (LablinkStreamManager  *self,
                                               const char            *equipment_id,
                                               const char            *stream_type,
                                               guint                  interval_ms,
                                               GError               **error)
{
  g_autofree char *frame = NULL;
  ActiveStream *stream;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), FALSE);

  if (!check_connected (self, error) ||
      !check_id (equipment_id, _("equipment id"), error) ||
      !check_id (stream_type, _("stream type"), error) ||
      !check_interval (interval_ms, error))
    return FALSE;

  frame = lablink_protocol_build_start_stream (equipment_id, stream_type, interval_ms);
  stream = register_stream (self, lablink_protocol_stream_key (equipment_id, stream_type), frame);
  stream->equipment_id = g_strdup (equipment_id);
  stream->stream_type = g_strdup (stream_type);
  stream->interval_ms = interval_ms;

  return TRUE;
}

/**
 * lablink_stream_manager_stop_equipment_stream:
 * @self: a #LablinkStreamManager
 * @equipment_id: the equipment id
 * @stream_type: the stream type
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the request was sent
 */
gboolean
lablink_stream_manager_stop_equipment_stream (LablinkStreamManager  *self,
                                              const char            *equipment_id,
                                              const char            *stream_type,
                                              GError               **error)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), FALSE);

  if (!check_id (equipment_id, _("equipment id"), error) ||
      !check_id (stream_type, _("stream type"), error))
    return FALSE;

  key = lablink_protocol_stream_key (equipment_id, stream_type);
  g_hash_table_remove (self->active, key);
  lablink_ws_worker_set_stream (self->worker, key, NULL);

  if (!check_connected (self, error))
    return FALSE;

  lablink_ws_worker_send (self->worker, lablink_protocol_build_stop_stream (equipment_id, stream_type));
  return TRUE;
}

/**
 * lablink_stream_manager_start_acquisition_stream:
 * @self: a #LablinkStreamManager
 * @acquisition_id: the acquisition id
 * @interval_ms: the interval, 1 ms to 1 h
 * @num_samples: samples per frame (the latest window), 1 to 1000000
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the request was sent
 */
gboolean
lablink_stream_manager_start_acquisition_stream (LablinkStreamManager  *self,
                                                 const char            *acquisition_id,
                                                 guint                  interval_ms,
                                                 guint                  num_samples,
                                                 GError               **error)
{
  g_autofree char *frame = NULL;
  ActiveStream *stream;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), FALSE);

  if (!check_connected (self, error) ||
      !check_id (acquisition_id, _("acquisition id"), error) ||
      !check_interval (interval_ms, error))
    return FALSE;

  if (num_samples < 1 || num_samples > 1000000)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("Invalid number of samples per frame (%u): use 1 to 1000000"), num_samples);
      return FALSE;
    }

  frame = lablink_protocol_build_start_acquisition_stream (acquisition_id, interval_ms, num_samples);
  stream = register_stream (self, lablink_protocol_acquisition_key (acquisition_id), frame);
  stream->acquisition = TRUE;
  stream->acquisition_id = g_strdup (acquisition_id);
  stream->interval_ms = interval_ms;
  stream->num_samples = num_samples;

  return TRUE;
}

/**
 * lablink_stream_manager_stop_acquisition_stream:
 * @self: a #LablinkStreamManager
 * @acquisition_id: the acquisition id
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the request was sent
 */
gboolean
lablink_stream_manager_stop_acquisition_stream (LablinkStreamManager  *self,
                                                const char            *acquisition_id,
                                                GError               **error)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), FALSE);

  if (!check_id (acquisition_id, _("acquisition id"), error))
    return FALSE;

  key = lablink_protocol_acquisition_key (acquisition_id);
  g_hash_table_remove (self->active, key);
  lablink_ws_worker_set_stream (self->worker, key, NULL);

  if (!check_connected (self, error))
    return FALSE;

  lablink_ws_worker_send (self->worker, lablink_protocol_build_stop_acquisition_stream (acquisition_id));
  return TRUE;
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

  if (!check_connected (self, error))
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

  if (!check_connected (self, error))
    return FALSE;
  lablink_ws_worker_send (self->worker, g_strdup (text));
  return TRUE;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/**
 * lablink_stream_manager_get_active_streams:
 * @self: a #LablinkStreamManager
 *
 * Returns: (transfer full) (array zero-terminated=1): the keys of the streams
 *   this manager runs (`<equipment_id>_<stream_type>`, `acquisition_<id>`), sorted
 */
char **
lablink_stream_manager_get_active_streams (LablinkStreamManager *self)
{
  g_autofree gpointer *keys = NULL;
  char **result;
  guint n, i;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), NULL);

  keys = g_hash_table_get_keys_as_array (self->active, &n);
  result = g_new0 (char *, n + 1);
  for (i = 0; i < n; i++)
    result[i] = g_strdup (keys[i]);
  qsort (result, n, sizeof (char *), compare_strings);
  return result;
}

/**
 * lablink_stream_manager_is_stream_active:
 * @self: a #LablinkStreamManager
 * @stream_key: a stream key
 *
 * Returns: whether this manager runs the stream
 */
gboolean
lablink_stream_manager_is_stream_active (LablinkStreamManager *self,
                                         const char           *stream_key)
{
  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), FALSE);
  return stream_key != NULL && g_hash_table_contains (self->active, stream_key);
}

/**
 * lablink_stream_manager_get_stream_status:
 * @self: a #LablinkStreamManager
 * @stream_key: a stream key
 *
 * Returns: the stream's status (%LABLINK_STREAM_STATUS_STOPPED if not run by us)
 */
LablinkStreamStatus
lablink_stream_manager_get_stream_status (LablinkStreamManager *self,
                                          const char           *stream_key)
{
  ActiveStream *stream;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), LABLINK_STREAM_STATUS_STOPPED);

  stream = stream_key ? g_hash_table_lookup (self->active, stream_key) : NULL;
  return stream ? stream->status : LABLINK_STREAM_STATUS_STOPPED;
}

/**
 * lablink_stream_manager_get_statistics:
 * @self: a #LablinkStreamManager
 *
 * Returns: (transfer full): a snapshot of the counters
 */
LablinkStatistics *
lablink_stream_manager_get_statistics (LablinkStreamManager *self)
{
  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), NULL);
  return lablink_ws_worker_get_statistics (self->worker);
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
}

/**
 * lablink_stream_manager_add_handler:
 * @self: a #LablinkStreamManager
 * @message_type: (nullable): a message type name (`stream_data`,
 *   `alarm_event`, …), or %NULL for every message
 * @handler: (scope notified) (closure user_data) (destroy destroy): the handler
 * @user_data: data for @handler
 * @destroy: (nullable): frees @user_data
 *
 * Registers a typed (or, with %NULL, generic) handler, called on the
 * owner's thread for each matching message, unknown types included.
 *
 * Returns: an id for lablink_stream_manager_remove_handler()
 */
guint
lablink_stream_manager_add_handler (LablinkStreamManager  *self,
                                    const char            *message_type,
                                    LablinkMessageHandler  handler,
                                    gpointer               user_data,
                                    GDestroyNotify         destroy)
{
  Handler *h;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (self), 0);
  g_return_val_if_fail (handler != NULL, 0);

  h = g_new0 (Handler, 1);
  h->id = self->next_handler_id++;
  h->type_name = message_type ? g_intern_string (message_type) : NULL;
  h->func = handler;
  h->data = user_data;
  h->destroy = destroy;
  g_ptr_array_add (self->handlers, h);

  return h->id;
}

/**
 * lablink_stream_manager_remove_handler:
 * @self: a #LablinkStreamManager
 * @handler_id: an id from lablink_stream_manager_add_handler()
 */
void
lablink_stream_manager_remove_handler (LablinkStreamManager *self,
                                       guint                 handler_id)
{
  guint i;

  g_return_if_fail (LABLINK_IS_STREAM_MANAGER (self));

  for (i = 0; i < self->handlers->len; i++)
    {
      Handler *h = g_ptr_array_index (self->handlers, i);
      if (h->id == handler_id)
        {
          g_ptr_array_remove_index (self->handlers, i);
          return;
        }
    }
}
