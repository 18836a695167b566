/* lablink-capture-recorder.c — recording: start, stop, the stream manager
 *
 * lablink_capture_start() starts the writer and, for an acquisition or an
 * equipment stream, subscribes to the stream manager (starting the stream
 * if nobody has); lablink_capture_stop() undoes it and waits for the disk.
 * In between, the manager's frames become rows (acquisition windows are
 * merged, equipment stream frames are one row each), its connection state
 * opens and closes outage gaps, and the acquisition's REST status names
 * the equipment, the channels and the server's buffer size.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lablink-capture-private.h"
#include "lablink-error.h"
#include "lablink-protocol.h"

#define REBACKFILL_INTERVAL_US (2 * G_TIME_SPAN_SECOND)

/* ------------------------------------------------------------------------
 * Signal handlers (the owner's thread)
 * ------------------------------------------------------------------------ */

/* How many of the newest samples a backfill needs for the hole before a
 * window of @n (@times): the samples since @last at the window's spacing,
 * a quarter more, and another window's worth for those made until the
 * server answers; 0 (all it holds) when that cannot be told. Asking for
 * the server's whole buffer at every hole (a million samples, ~50 MB of
 * JSON at 100 kSa/s) would only make the next hole. */
static guint
hole_size (const gint64 *times,
           gsize         n,
           gint64        last)
{
  double spacing, want;

  if (n < 2 || last == G_MININT64 || times[n - 1] <= times[0])
    return 0;
  spacing = (double) (times[n - 1] - times[0]) / (double) (n - 1);
  want = ceil ((double) (times[n - 1] - last) / spacing * 1.25) + (double) n;
  return want < G_MAXUINT ? (guint) want : 0;
}

static void
on_acquisition_data (LablinkStreamManager *manager,
                     LablinkMessage       *message,
                     gpointer              user_data)
{
  LablinkCapture *self = user_data;
  gsize n = 0;
  const gint64 *times = lablink_message_get_sample_times (message, &n);
  gint64 last;

  if (!self->recording)
    return;
  if (n == 0 || times == NULL)
    {
      /* Nothing but samples dropped for their timestamp: count them. */
      gsize n_invalid = 0;
      const gint64 *invalid = lablink_message_get_invalid_samples (message, &n_invalid);

      lablink_capture_count_invalid (self, invalid, n_invalid);
      return;
    }

  if (self->backfill_cancellable != NULL)
    {
      /* Keep rows in time order: wait for the backfill (bounded by its timeout). */
      lablink_capture_hold_message (self, message);
      return;
    }

  last = lablink_capture_get_last_time (self);
  if (times[0] > lablink_capture_get_hole_floor (self, last) &&
      !lablink_capture_message_is_complete_history (message, n) &&
      g_get_monotonic_time () - self->backfill_done_time >= REBACKFILL_INTERVAL_US)
    {
      /* The window does not reach back to the last stored sample (or, for
       * the first, to the start of the recording: a capture started before
       * its acquisition wants the lead-in): ask the server for what it
       * still holds before going on. */
      lablink_capture_hold_message (self, message);
      self->backfill_want = hole_size (times, n, last);
      lablink_capture_request_backfill (self, self->outage_gap);
      return;
    }

  lablink_capture_merge_acquisition_message (self, message);
}

static gboolean
is_number_node (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_DOUBLE || type == G_TYPE_INT64;
}

static void
on_stream_data (LablinkStreamManager *manager,
                LablinkMessage       *message,
                gpointer              user_data)
{
  LablinkCapture *self = user_data;
  g_autofree double *row = NULL;
  gint64 time, last;
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonObject *data;
  guint c;

  if (!self->recording)
    return;

  root = lablink_message_get_node (message);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  data = json_object_get_object_member (json_node_get_object (root), "data");
  if (data == NULL)
    return;

  if (self->n_channels == 0)
    {
      g_autoptr(GList) members = json_object_get_members (data);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      GList *l;

      for (l = members; l != NULL; l = l->next)
        if (strcmp (l->data, "timestamp") != 0 && is_number_node (json_object_get_member (data, l->data)))
          g_ptr_array_add (names, l->data);
      lablink_capture_set_channels (self, (const char * const *) names->pdata, names->len);
      if (self->n_channels == 0)
        return;
    }

  if (!lablink_message_get_timestamp (message, "data.timestamp", &time))
    time = lablink_message_get_received_time (message);
  else if (!lablink_sample_time_is_valid (time, lablink_message_get_received_time (message)))
    {
      /* A broken time would hide every later row: skip this one, counted. */
      lablink_capture_add_invalid (self, 1);
      return;
    }

  last = lablink_capture_get_last_time (self);
  if (time <= last)
    return;  /* a frame seen twice (streams are broadcast) */

  row = g_new (double, self->n_channels);
  for (c = 0; c < self->n_channels; c++)
    {
      JsonNode *node = json_object_get_member (data, g_ptr_array_index (self->channels, c));
      row[c] = is_number_node (node) ? json_node_get_double (node) : NAN;
    }
  if (!lablink_capture_queue_rows (self, 1, &time, row, &error))
    g_debug ("Capture %s: row not queued: %s", self->name, error->message);
}

static void
on_state_notify (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  LablinkCapture *self = user_data;
  gboolean connected = lablink_stream_manager_get_state (self->manager) == LABLINK_CONNECTION_CONNECTED;
  gint64 now = g_get_real_time ();

  if (!self->recording || connected == self->was_connected)
    return;
  self->was_connected = connected;

  if (!connected)
    {
      if (self->outage_gap < 0)
        self->outage_gap = lablink_capture_add_gap (self, now, 0, FALSE);
      return;
    }

  if (self->outage_gap >= 0)
    {
      gint gap = self->outage_gap;

      self->outage_gap = -1;
      if (self->source == LABLINK_CAPTURE_SOURCE_ACQUISITION)
        {
          lablink_capture_update_gap (self, gap, now, 0, FALSE);
          lablink_capture_request_backfill (self, gap);
        }
      else
        lablink_capture_update_gap (self, gap, now, 0, TRUE);  /* no history to fetch */
    }
}

static void
status_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LablinkCapture *self = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object, *config = NULL;
  const char *equipment_id = NULL;

  node = lablink_client_get_acquisition_status_finish (LABLINK_CLIENT (source), result, &error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Capture %s: no acquisition status: %s", self->name, error ? error->message : "not an object");
      goto out;
    }

  object = json_node_get_object (node);
  if (json_object_has_member (object, "config") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "config")))
    config = json_object_get_object_member (object, "config");

  if (json_object_has_member (object, "equipment_id"))
    equipment_id = json_object_get_string_member_with_default (object, "equipment_id", NULL);
  if (equipment_id == NULL && config != NULL)
    equipment_id = json_object_get_string_member_with_default (config, "equipment_id", NULL);

  if (equipment_id != NULL)
    {
      g_mutex_lock (&self->lock);
      if (self->equipment_id == NULL)
        {
          guint c;

          self->equipment_id = g_strdup (equipment_id);
          /* Units guessed before the equipment was known. */
          for (c = 0; c < self->units->len; c++)
            if (*(const char *) g_ptr_array_index (self->units, c) == '\0')
              {
                g_free (self->units->pdata[c]);
                self->units->pdata[c] = g_strdup (lablink_capture_guess_unit (self->source, g_ptr_array_index (self->channels, c),
                                                                              self->equipment_id));
              }
          self->meta_dirty = TRUE;
          g_cond_broadcast (&self->cond);
        }
      g_mutex_unlock (&self->lock);
      lablink_capture_notify (self, PROP_EQUIPMENT_ID);
    }

  if (config != NULL && json_object_has_member (config, "buffer_size"))
    {
      gint64 buffer = json_object_get_int_member_with_default (config, "buffer_size", 0);
      if (buffer > 0)
        {
          self->server_buffer = (guint) MIN (buffer, G_MAXUINT);
          if (!self->backfill_samples_set)
            self->backfill_samples = (guint) MIN (buffer, LABLINK_CAPTURE_MAX_BACKFILL);
        }
    }

  if (config != NULL && self->n_channels == 0 && json_object_has_member (config, "channels") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (config, "channels")))
    {
      JsonArray *array = json_object_get_array_member (config, "channels");
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      guint i;

      for (i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_ptr_array_add (names, (gpointer) json_node_get_string (element));
        }
      if (names->len == json_array_get_length (array))
        lablink_capture_set_channels (self, (const char * const *) names->pdata, names->len);
    }

out:
  g_object_unref (self);
}

/* ------------------------------------------------------------------------
 * Failing
 * ------------------------------------------------------------------------ */

/* The recording cannot go on (the acquisition is gone from the server):
 * @gap, the outage it was found after, is left open and marked as having
 * lost data, the capture stops with the reason saved (State=failed) and
 * emits LablinkCapture::failed. */
void
lablink_capture_fail (LablinkCapture *self,
                      gint            gap,
                      const GError   *error)
{
  g_autoptr(GError) copy = g_error_copy (error);

  if (!self->recording)
    return;
  g_object_ref (self);
  g_debug ("Capture %s failed: %s", self->name, error->message);

  g_mutex_lock (&self->lock);
  g_free (self->failure);
  self->failure = g_strdup (error->message);
  if (gap >= 0 && (guint) gap < self->gaps->len)
    {
      LablinkCaptureGap *g = &g_array_index (self->gaps, LablinkCaptureGap, gap);

      /* Nothing followed this outage: it has no end. */
      g->end_usec = 0;
      g->data_lost = TRUE;
    }
  self->meta_dirty = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (self->outage_gap == gap)
    self->outage_gap = -1;
  lablink_capture_stop (self, NULL);
  lablink_capture_emit_failed (self, copy);
  g_object_unref (self);
}

/* ------------------------------------------------------------------------
 * Starting and stopping
 * ------------------------------------------------------------------------ */

/**
 * lablink_capture_start:
 * @self: a #LablinkCapture
 * @error: return location for a #GError
 *
 * Starts recording. For an acquisition or an equipment stream, the capture
 * listens to the manager and starts the stream if nobody has (and then
 * stops it in lablink_capture_stop()); that needs a connected manager.
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_capture_start (LablinkCapture  *self,
                       GError         **error)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->recording)
    return TRUE;
  if (self->read_only)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("Capture “%s” was opened for reading: it cannot record"), self->name);
      return FALSE;
    }
  if (!g_file_test (self->directory, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND, _("Capture “%s” was deleted"), self->name);
      return FALSE;
    }

  if (self->source == LABLINK_CAPTURE_SOURCE_ACQUISITION)
    {
      g_autofree char *key = lablink_protocol_acquisition_key (self->acquisition_id);

      if (!lablink_stream_manager_is_stream_active (self->manager, key))
        {
          if (!lablink_stream_manager_start_acquisition_stream (self->manager, self->acquisition_id,
                                                                self->interval_ms, self->window_samples, error))
            return FALSE;
          self->started_stream = TRUE;
        }
    }
  else if (self->source == LABLINK_CAPTURE_SOURCE_STREAM)
    {
      if (!lablink_stream_manager_is_stream_active (self->manager, self->stream_key))
        {
          if (!lablink_stream_manager_start_equipment_stream (self->manager, self->stream_equipment,
                                                              self->stream_type, self->interval_ms, error))
            return FALSE;
          self->started_stream = TRUE;
        }
    }

  lablink_capture_writer_start (self);

  self->recording = TRUE;
  self->record_start = g_get_real_time ();
  self->merge_until = G_MAXINT64;
  self->cancellable = g_cancellable_new ();
  self->count_known = FALSE;   /* samples made while stopped are not lost */
  self->count_lost = 0;
  self->last_gap_unverified = FALSE;

  if (self->manager != NULL)
    {
      self->was_connected = lablink_stream_manager_get_state (self->manager) == LABLINK_CONNECTION_CONNECTED;
      self->state_handler = g_signal_connect (self->manager, "notify::state", G_CALLBACK (on_state_notify), self);
      if (self->source == LABLINK_CAPTURE_SOURCE_ACQUISITION)
        {
          detail = g_strconcat ("acquisition-data::", self->acquisition_id, NULL);
          self->data_handler = g_signal_connect (self->manager, detail, G_CALLBACK (on_acquisition_data), self);
          lablink_client_get_acquisition_status_async (self->client, self->acquisition_id, self->cancellable,
                                                       status_cb, g_object_ref (self));
        }
      else
        {
          detail = g_strconcat ("stream-data::", self->stream_key, NULL);
          self->data_handler = g_signal_connect (self->manager, detail, G_CALLBACK (on_stream_data), self);
        }
    }

  lablink_capture_notify (self, PROP_RECORDING);
  return TRUE;
}

/**
 * lablink_capture_stop:
 * @self: a #LablinkCapture
 * @error: return location for a #GError
 *
 * Stops recording: what was received is written and synced, the metadata
 * saved. Waits for the disk. A stopped capture can be started again.
 *
 * It does not ask the server for anything: samples of an acquisition that
 * were made but had not arrived yet are not in the capture, and nothing
 * says so unless the counts of a window did. lablink_capture_stop_async()
 * fetches them first and records what is still missing as a gap.
 *
 * Returns: %TRUE if everything recorded reached the disk
 */
gboolean
lablink_capture_stop (LablinkCapture  *self,
                      GError         **error)
{
  gboolean ok;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->recording)
    return TRUE;

  g_object_ref (self);

  if (self->manager != NULL)
    {
      g_clear_signal_handler (&self->data_handler, self->manager);
      g_clear_signal_handler (&self->state_handler, self->manager);
    }
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  lablink_capture_cancel_backfill (self);
  /* Keep what was held for the backfill. */
  lablink_capture_release_held (self);
  self->recovering_gap = -1;
  if (self->outage_gap >= 0)
    {
      lablink_capture_update_gap (self, self->outage_gap, g_get_real_time (), 0, TRUE);
      self->outage_gap = -1;
    }

  if (self->started_stream && self->manager != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean sent;

      if (self->source == LABLINK_CAPTURE_SOURCE_ACQUISITION)
        sent = lablink_stream_manager_stop_acquisition_stream (self->manager, self->acquisition_id, &local_error);
      else
        sent = lablink_stream_manager_stop_equipment_stream (self->manager, self->stream_equipment,
                                                             self->stream_type, &local_error);
      if (!sent)
        g_debug ("Capture %s: stream not stopped: %s", self->name, local_error->message);
      self->started_stream = FALSE;
    }

  self->recording = FALSE;

  ok = lablink_capture_writer_stop (self, error);

  lablink_capture_cancel_notify (self);
  lablink_capture_notify_cb (self);
  lablink_capture_notify (self, PROP_RECORDING);
  /* A lablink_capture_stop_async() under way is over. */
  lablink_capture_tail_abort (self);
  g_object_unref (self);
  return ok;
}
