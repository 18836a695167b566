/* lablink-stream-manager-streams.c — the streams a LablinkStreamManager runs
 *
 * Starting and stopping equipment and acquisition streams (restarted after
 * every reconnect), their status ("no data" after about three silent
 * intervals, then the polling fallback of lablink-stream-manager-polling.c), and
 * completing waveform frames that carry no samples (the real server's)
 * through the capture endpoint, every frame in order.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lablink-error.h"
#include "lablink-protocol.h"
#include "lablink-stream-manager-private.h"
#include "lablink-json-private.h"

static void detach_captures (ActiveStream *stream);

void
_lablink_active_stream_free (gpointer data)
{
  ActiveStream *stream = data;

  g_clear_handle_id (&stream->poll_source, g_source_remove);
  detach_captures (stream);
  g_free (stream->key);
  g_free (stream->equipment_id);
  g_free (stream->stream_type);
  g_free (stream->acquisition_id);
  g_free (stream);
}

void
_lablink_stream_manager_set_stream_status (LablinkStreamManager *self,
                                           ActiveStream         *stream,
                                           LablinkStreamStatus   status)
{
  if (stream->status == status)
    return;

  stream->status = status;
  lablink_ws_worker_set_stream_status (self->worker, stream->key, status);
  _lablink_stream_manager_schedule_check (self);
  _lablink_stream_manager_emit_stream_status (self, stream->key, status);
}

/* Completing waveform frames without samples (the real server's): each
 * frame gets a capture of its own, as it comes, with up to
 * CAPTURES_IN_FLIGHT requests at once (libsoup's connections per host);
 * more wait, at most CAPTURES_WAITING (then the oldest waiting frame is
 * dropped: a live view wants the newest). The frames are delivered in the
 * order they came, whatever order their captures complete in. There is no
 * other limit: a capture that takes longer than the stream's interval
 * no longer costs the next frame (only one request was allowed in flight,
 * and none within an interval of the last, so that every slow capture, or
 * two frames handed over together, dropped frames). */
#define CAPTURES_IN_FLIGHT 2
#define CAPTURES_WAITING   8

typedef struct {
  GWeakRef        manager;
  ActiveStream   *stream;      /* NULL once the stream is gone */
  LablinkMessage *message;     /* the frame */
  LablinkMessage *complete;    /* the frame with its samples, once captured */
  gboolean        started;
  gboolean        done;
} FetchData;

static void
fetch_data_free (FetchData *fetch)
{
  g_weak_ref_clear (&fetch->manager);
  g_clear_pointer (&fetch->message, lablink_message_unref);
  g_clear_pointer (&fetch->complete, lablink_message_unref);
  g_free (fetch);
}

/* @stream goes: captures in flight complete into nothing. */
static void
detach_captures (ActiveStream *stream)
{
  FetchData *fetch;

  while ((fetch = g_queue_pop_head (&stream->captures)) != NULL)
    {
      if (fetch->started && !fetch->done)
        fetch->stream = NULL;   /* capture_cb() frees it */
      else
        fetch_data_free (fetch);
    }
  stream->captures_in_flight = 0;
}

/* The samples of a capture, or NULL. */
static LablinkMessage *
complete_frame (LablinkStreamManager *self,
                FetchData            *fetch,
                JsonNode             *node,
                const GError         *error)
{
  g_autofree double *samples = NULL;
  JsonObject *object;
  JsonArray *array;
  guint i, n;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (object = json_node_get_object (node), !json_object_has_member (object, "voltage_data")) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "voltage_data")))
    {
      g_debug ("Waveform capture for %s failed: %s", lablink_message_get_stream_key (fetch->message),
               error ? error->message : "no voltage_data");
      lablink_ws_worker_count_error (self->worker, LABLINK_ERROR_KIND_REST);
      return NULL;
    }

  array = json_object_get_array_member (object, "voltage_data");
  n = json_array_get_length (array);
  samples = g_new (double, MAX (n, 1));
  for (i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      samples[i] = JSON_NODE_HOLDS_VALUE (element) ? json_node_get_double (element) : NAN;
    }
  return lablink_message_new_with_waveform (fetch->message, samples, n);
}

static void start_captures (LablinkStreamManager *self,
                            ActiveStream         *stream);

static void
capture_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  FetchData *fetch = data;
  g_autoptr(LablinkStreamManager) self = g_weak_ref_get (&fetch->manager);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  ActiveStream *stream = fetch->stream;
  g_autofree char *key = NULL;

  node = lablink_client_capture_waveform_finish (LABLINK_CLIENT (source), result, &error);
  fetch->done = TRUE;

  if (stream == NULL)
    {
      fetch_data_free (fetch);
      return;
    }
  /* else the stream's queue holds it */
  stream->captures_in_flight--;
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  fetch->complete = complete_frame (self, fetch, node, error);

  /* In order: the frames at the head whose captures are done. A handler
   * may stop (free) the stream. */
  key = g_strdup (stream->key);
  while ((fetch = g_queue_peek_head (&stream->captures)) != NULL && fetch->done)
    {
      g_autoptr(LablinkMessage) complete = g_steal_pointer (&fetch->complete);

      fetch_data_free (g_queue_pop_head (&stream->captures));
      if (complete != NULL)
        {
          _lablink_stream_manager_deliver_stream_data (self, complete, FALSE);
          if (g_hash_table_lookup (self->active, key) != stream)
            return;
        }
    }
  start_captures (self, stream);
}

static void
start_captures (LablinkStreamManager *self,
                ActiveStream         *stream)
{
  GList *l;

  for (l = stream->captures.head; l != NULL && stream->captures_in_flight < CAPTURES_IN_FLIGHT; l = l->next)
    {
      FetchData *fetch = l->data;
      gint64 channel = 1;

      if (fetch->started)
        continue;
      lablink_message_get_int (fetch->message, "data.channel", &channel);
      fetch->started = TRUE;
      stream->captures_in_flight++;
      lablink_client_capture_waveform_async (self->client, stream->equipment_id, (guint) CLAMP (channel, 1, G_MAXUINT),
                                             self->cancellable, capture_cb, fetch);
    }
}

static void
maybe_fetch_waveform (LablinkStreamManager *self,
                      LablinkMessage       *message)
{
  ActiveStream *stream = g_hash_table_lookup (self->active, lablink_message_get_stream_key (message));
  FetchData *fetch;
  GList *l, *oldest = NULL;
  guint waiting = 0;

  /* Only for streams we run. */
  if (stream == NULL)
    return;

  fetch = g_new0 (FetchData, 1);
  g_weak_ref_init (&fetch->manager, self);
  fetch->stream = stream;
  fetch->message = lablink_message_ref (message);
  g_queue_push_tail (&stream->captures, fetch);

  for (l = stream->captures.head; l != NULL; l = l->next)
    if (!((FetchData *) l->data)->started)
      {
        oldest = oldest ? oldest : l;
        waiting++;
      }
  if (waiting > CAPTURES_WAITING)
    {
      g_debug ("Waveform captures for %s lag behind: a frame dropped", stream->key);
      fetch_data_free (oldest->data);
      g_queue_delete_link (&stream->captures, oldest);
    }

  start_captures (self, stream);
}

void
_lablink_stream_manager_deliver_stream_data (LablinkStreamManager *self,
                                             LablinkMessage       *message,
                                             gboolean              from_socket)
{
  const char *key = lablink_message_get_stream_key (message);
  ActiveStream *stream = g_hash_table_lookup (self->active, key);

  if (from_socket && stream != NULL)
    {
      _lablink_stream_manager_note_frame (self, stream, message);
      if (stream->status != LABLINK_STREAM_STATUS_RUNNING)
        {
          g_clear_handle_id (&stream->poll_source, g_source_remove);
          _lablink_stream_manager_set_stream_status (self, stream, LABLINK_STREAM_STATUS_RUNNING);
        }
    }

  if (self->fetch_waveforms &&
      g_strcmp0 (lablink_message_get_stream_type (message), LABLINK_STREAM_WAVEFORM) == 0 &&
      lablink_message_get_waveform (message, NULL) == NULL)
    {
      /* The real server sends waveform metadata without samples. */
      maybe_fetch_waveform (self, message);
      return;
    }

  _lablink_stream_manager_emit_stream_data (self, message);
}

/* Streams the server acknowledged but that deliver nothing (the released
 * 1.2.5 server does this for readings and waveforms) show as "no data"
 * after about three intervals and, for equipment streams, fall back to
 * polling the REST snapshot at the stream's interval.
 *
 * This is checked at the next such deadline only (the status source's
 * ready time), never while nothing can change: disconnected, no stream, or
 * every silent stream settled ("no data" without fallback, or polling;
 * a frame from the socket makes it running again, which reschedules). */

/* When @stream is silent: about three intervals after its last frame, or
 * after it was (re)started if none came since. */
static gint64
silent_after (LablinkStreamManager *self,
              ActiveStream         *stream)
{
  gint64 last = lablink_ws_worker_get_last_receive (self->worker, stream->key);
  gint64 limit = 3 * (gint64) stream->interval_ms * 1000 + 100000;

  return MAX (last, stream->started_at) + limit;
}

static gboolean
can_poll (LablinkStreamManager *self,
          ActiveStream         *stream)
{
  return self->polling_fallback;
}

/* Nothing left to decide for @stream until a frame comes. */
static gboolean
is_settled (LablinkStreamManager *self,
            ActiveStream         *stream)
{
  return stream->status == LABLINK_STREAM_STATUS_POLLING ||
         (stream->status == LABLINK_STREAM_STATUS_NO_DATA && !can_poll (self, stream));
}

void
_lablink_stream_manager_schedule_check (LablinkStreamManager *self)
{
  GHashTableIter iter;
  ActiveStream *stream;
  gint64 next = -1;

  if (self->status_source == NULL)
    return;

  if (self->state == LABLINK_CONNECTION_CONNECTED)
    {
      g_hash_table_iter_init (&iter, self->active);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stream))
        {
          gint64 deadline;

          if (is_settled (self, stream))
            continue;
          deadline = silent_after (self, stream) + 1;
          next = next < 0 ? deadline : MIN (next, deadline);
        }
    }

  g_source_set_ready_time (self->status_source, next);
}

void
_lablink_stream_manager_check_streams (LablinkStreamManager *self)
{
  GHashTableIter iter;
  ActiveStream *stream;
  gint64 now = g_get_monotonic_time ();

  if (self->state != LABLINK_CONNECTION_CONNECTED)
    {
      _lablink_stream_manager_schedule_check (self);
      return;
    }

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stream))
    {
      if (now <= silent_after (self, stream))
        continue; /* running (deliver_stream_data() marks it) or still starting */

      if (stream->status == LABLINK_STREAM_STATUS_POLLING)
        continue;

      if (can_poll (self, stream) && stream->acquisition)
        _lablink_stream_manager_poll_acquisition (self, stream);
      else if (_lablink_stream_manager_should_reclaim (self, stream))
        _lablink_stream_manager_reclaim (self, stream);
      else if (can_poll (self, stream))
        {
          _lablink_stream_manager_set_stream_status (self, stream, LABLINK_STREAM_STATUS_POLLING);
          _lablink_stream_manager_start_polling (self, stream);
        }
      else
        _lablink_stream_manager_set_stream_status (self, stream, LABLINK_STREAM_STATUS_NO_DATA);
    }

  _lablink_stream_manager_schedule_check (self);
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
  _lablink_stream_manager_schedule_check (self);

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

  if (!_lablink_stream_manager_check_connected (self, error) ||
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
  _lablink_stream_manager_schedule_check (self);

  if (!_lablink_stream_manager_check_connected (self, error))
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

  if (!_lablink_stream_manager_check_connected (self, error) ||
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
  stream->poll_samples = num_samples;
  stream->poll_newest = G_MININT64;

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
  _lablink_stream_manager_schedule_check (self);

  if (!_lablink_stream_manager_check_connected (self, error))
    return FALSE;

  lablink_ws_worker_send (self->worker, lablink_protocol_build_stop_acquisition_stream (acquisition_id));
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
