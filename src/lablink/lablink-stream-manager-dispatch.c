/* lablink-stream-manager-dispatch.c — delivering what the worker hands over
 *
 * The owner's side of the hand-over from the worker (lablink-ws-worker.c):
 * the sources that wake the owner's main loop (frames at idle priority,
 * control items at default priority, the streams' no-data deadlines), the
 * drain within a time budget, and each item delivered as the manager's
 * signals.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "lablink-stream-manager-private.h"

#define TAKE_BATCH          64

/* The owner's dispatch and control sources: ready while a flag the worker
 * sets is up. The worker wakes the owner's context with
 * g_main_context_wakeup(), which takes no lock. (g_source_set_ready_time()
 * from the worker wrote the context's wake-up while holding the context's
 * lock: the owner, woken, preempted the worker on that one core and then
 * slept on the lock the worker still held, four context switches per
 * wake-up instead of two.) */
typedef struct {
  GSource       source;
  GMainContext *context;   /* attached to it for the manager's lifetime */
  gint          ready;     /* atomic */
} WakeSource;

static void
wake_source_set_ready (GSource *source)
{
  g_atomic_int_set (&((WakeSource *) source)->ready, TRUE);
}

/* Owner's side, before draining: a wake-up that comes meanwhile sets it
 * again, and the source runs once more. */
static void
wake_source_clear (GSource *source)
{
  g_atomic_int_set (&((WakeSource *) source)->ready, FALSE);
}

/* Worker thread: wake the owner's dispatch source. Thread-safe. */
static void
wakeup_owner (gpointer data)
{
  WakeSource *source = data;

  g_atomic_int_set (&source->ready, TRUE);
  g_main_context_wakeup (source->context);
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
  if (g_signal_has_handler_pending (self, _lablink_stream_manager_signals[signal_id], 0, FALSE) ||
      (quark != 0 && g_signal_has_handler_pending (self, _lablink_stream_manager_signals[signal_id], quark, FALSE)))
    g_signal_emit (self, _lablink_stream_manager_signals[signal_id], quark, message);
}

void
_lablink_stream_manager_emit_stream_data (LablinkStreamManager *self,
                                          LablinkMessage       *message)
{
  emit_message (self, SIGNAL_STREAM_DATA, lablink_message_get_stream_key (message), message);
}

void
_lablink_stream_manager_emit_acquisition_data (LablinkStreamManager *self,
                                               LablinkMessage       *message)
{
  emit_message (self, SIGNAL_ACQUISITION_DATA, lablink_message_get_acquisition_id (message), message);
}

void
_lablink_stream_manager_emit_stream_status (LablinkStreamManager *self,
                                            const char           *key,
                                            LablinkStreamStatus   status)
{
  g_signal_emit (self, _lablink_stream_manager_signals[SIGNAL_STREAM_STATUS_CHANGED], detail_for (key), key, status);
}

void
_lablink_stream_manager_emit_server_interval (LablinkStreamManager *self,
                                              const char           *key,
                                              guint                 server_interval_ms)
{
  g_signal_emit (self, _lablink_stream_manager_signals[SIGNAL_STREAM_INTERVAL_CHANGED], detail_for (key), key, server_interval_ms);
}

static void
handle_message (LablinkStreamManager *self,
                LablinkMessage       *message)
{
  const char *type_name = lablink_message_get_type_name (message);

  emit_message (self, SIGNAL_MESSAGE, type_name, message);

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
      emit_message (self, SIGNAL_EVENT, type_name, message);
      break;

    case LABLINK_MESSAGE_ERROR:
      if (g_signal_has_handler_pending (self, _lablink_stream_manager_signals[SIGNAL_SERVER_ERROR], 0, FALSE))
        g_signal_emit (self, _lablink_stream_manager_signals[SIGNAL_SERVER_ERROR], 0, lablink_message_get_detail (message));
      break;

    default:
      break;
    }
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
      if (g_signal_has_handler_pending (self, _lablink_stream_manager_signals[SIGNAL_FRAME_ERROR], 0, FALSE))
        g_signal_emit (self, _lablink_stream_manager_signals[SIGNAL_FRAME_ERROR], 0, item->error);
      break;

    case LABLINK_WS_ITEM_STATE:
      _lablink_stream_manager_update_state (self, item->state, item->error);
      break;

    case LABLINK_WS_ITEM_CONNECTED:
      _lablink_stream_manager_connect_done (self, g_steal_pointer (&item->error));
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
  wake_source_clear (self->dispatch_source);
  if (drain (self, lablink_ws_worker_take) && self->dispatch_source != NULL)
    wake_source_set_ready (self->dispatch_source);
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
  wake_source_clear (self->control_source);
  if (drain (self, lablink_ws_worker_take_control) && self->dispatch_source != NULL)
    wake_source_set_ready (self->dispatch_source);
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

static gboolean
wake_source_prepare (GSource *source,
                     gint    *timeout)
{
  *timeout = -1;
  return g_atomic_int_get (&((WakeSource *) source)->ready);
}

static gboolean
wake_source_check (GSource *source)
{
  return g_atomic_int_get (&((WakeSource *) source)->ready);
}

static GSourceFuncs wake_funcs = {
  .prepare = wake_source_prepare,
  .check = wake_source_check,
  .dispatch = dispatch_source_dispatch,
};

static GSource *
wake_source_new (GSourceFunc  callback,
                 gpointer     data,
                 int          priority,
                 const char  *name)
{
  GSource *source = g_source_new (&wake_funcs, sizeof (WakeSource));

  g_source_set_callback (source, callback, data, NULL);
  g_source_set_priority (source, priority);
  g_source_set_static_name (source, name);
  ((WakeSource *) source)->context = g_main_context_get_thread_default ();
  if (((WakeSource *) source)->context == NULL)
    ((WakeSource *) source)->context = g_main_context_default ();
  g_source_attach (source, ((WakeSource *) source)->context);
  return source;
}

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

/* The sources that wake the owner's main loop, and the worker that wakes
 * them. */
void
_lablink_stream_manager_start_dispatch (LablinkStreamManager *self)
{
  self->dispatch_source = wake_source_new (dispatch_cb, self, G_PRIORITY_DEFAULT_IDLE, "[lablink] dispatch");
  self->control_source = wake_source_new (control_cb, self, G_PRIORITY_DEFAULT, "[lablink] dispatch control");

  self->worker = lablink_ws_worker_new (wakeup_owner, self->dispatch_source);
  lablink_ws_worker_set_control_wakeup (self->worker, wakeup_owner, self->control_source);
  lablink_ws_worker_set_queue_bytes (self->worker, self->queue_bytes, self->total_queue_bytes);

  self->status_source = g_source_new (&dispatch_funcs, sizeof (GSource));
  g_source_set_callback (self->status_source, status_cb, self, NULL);
  g_source_set_static_name (self->status_source, "[lablink] stream status");
  g_source_set_ready_time (self->status_source, -1);
  g_source_attach (self->status_source, g_main_context_get_thread_default ());
}
