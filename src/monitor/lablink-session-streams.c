/* lablink-session-streams.c — LablinkSession: what arrives, and the subscriptions
 *
 * The store: per stream the last message, per PSU channel / electronic load
 * a ring of V/I/P readings, per watched acquisition a ring of its samples
 * merged by timestamp. Starting and stopping equipment streams and watching
 * acquisitions; events and server errors passed on. When the link drops,
 * every ring gets a gap (NaN) so traces break there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lablink-session-private.h"
#include "lablink-settings.h"

static char *
ring_key (const char *equipment_id,
          guint       channel)
{
  return g_strdup_printf ("%s:%u", equipment_id, channel);
}

void
_lablink_session_push_gaps (LablinkSession *self,
           const char     *equipment_id)
{
  g_autofree char *prefix = equipment_id ? g_strconcat (equipment_id, ":", NULL) : NULL;
  gint64 now = g_get_real_time ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->rings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (prefix == NULL || g_str_has_prefix (key, prefix))
      lablink_ring_push_gap (value, now);

  if (equipment_id == NULL)
    {
      g_hash_table_iter_init (&iter, self->acquisitions);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          AcqStore *store = value;
          gint64 last;

          /* Acquisition rings are on the server's clock: mark the gap just
           * after their last sample. */
          if (store->ring && lablink_ring_get_time_range (store->ring, NULL, &last))
            lablink_ring_push_gap (store->ring, last + 1);
        }
    }
}

static LablinkRing *
ensure_ring (LablinkSession *self,
             const char     *equipment_id,
             guint           channel)
{
  g_autofree char *key = ring_key (equipment_id, channel);
  LablinkRing *ring = g_hash_table_lookup (self->rings, key);

  if (ring == NULL)
    {
      ring = lablink_ring_new (LABLINK_N_READINGS, LABLINK_SESSION_RING_CAPACITY);
      g_hash_table_insert (self->rings, g_steal_pointer (&key), ring);
    }
  return ring;
}

static void
store_readings (LablinkSession *self,
                LablinkMessage *message)
{
  const char *equipment_id = lablink_message_get_equipment_id (message);
  gint64 t = lablink_message_get_received_time (message);
  double v[LABLINK_N_READINGS] = { NAN, NAN, NAN };

  if (equipment_id == NULL)
    return;

  if (lablink_message_has_member (message, "data.voltage_actual"))
    {
      gint64 channel = 1;

      /* Power supply: one channel per frame, keyed by data.channel. */
      lablink_message_get_int (message, "data.channel", &channel);
      if (channel < 0 || channel > 64)
        return;
      lablink_message_get_double (message, "data.voltage_actual", &v[LABLINK_READING_VOLTAGE]);
      lablink_message_get_double (message, "data.current_actual", &v[LABLINK_READING_CURRENT]);
      v[LABLINK_READING_POWER] = v[LABLINK_READING_VOLTAGE] * v[LABLINK_READING_CURRENT];
      lablink_ring_push (ensure_ring (self, equipment_id, (guint) channel), t, v);
    }
  else if (lablink_message_has_member (message, "data.voltage") &&
           lablink_message_has_member (message, "data.current"))
    {
      /* Electronic load. */
      lablink_message_get_double (message, "data.voltage", &v[LABLINK_READING_VOLTAGE]);
      lablink_message_get_double (message, "data.current", &v[LABLINK_READING_CURRENT]);
      if (!lablink_message_get_double (message, "data.power", &v[LABLINK_READING_POWER]))
        v[LABLINK_READING_POWER] = v[LABLINK_READING_VOLTAGE] * v[LABLINK_READING_CURRENT];
      lablink_ring_push (ensure_ring (self, equipment_id, 0), t, v);
    }
}

static void
emit_detailed (LablinkSession *self,
               guint           signal_id,
               const char     *detail,
               LablinkMessage *message)
{
  GQuark quark = detail ? g_quark_try_string (detail) : 0;

  /* g_signal_has_handler_pending() matches the detail exactly: handlers
   * connected without a detail count only when asked about detail 0. */
  if ((quark != 0 && g_signal_has_handler_pending (self, lablink_session_signals[signal_id], quark, FALSE)) ||
      g_signal_has_handler_pending (self, lablink_session_signals[signal_id], 0, FALSE))
    g_signal_emit (self, lablink_session_signals[signal_id], quark, message);
}

static void
stream_data_cb (LablinkStreamManager *manager,
                LablinkMessage       *message,
                LablinkSession       *self)
{
  const char *key = lablink_message_get_stream_key (message);

  if (key == NULL)
    return;

  g_hash_table_replace (self->last_messages, g_strdup (key), lablink_message_ref (message));
  if (g_strcmp0 (lablink_message_get_stream_type (message), LABLINK_STREAM_READINGS) == 0)
    store_readings (self, message);

  emit_detailed (self, STREAM_DATA, key, message);
}

static void
acquisition_data_cb (LablinkStreamManager *manager,
                     LablinkMessage       *message,
                     LablinkSession       *self)
{
  const char *id = lablink_message_get_acquisition_id (message);
  AcqStore *store;
  guint n_channels, c;
  gsize n = 0;
  const gint64 *times;

  if (id == NULL)
    return;

  g_hash_table_replace (self->last_messages, lablink_protocol_acquisition_key (id), lablink_message_ref (message));

  store = g_hash_table_lookup (self->acquisitions, id);
  n_channels = MIN (lablink_message_get_n_channels (message), LABLINK_SESSION_MAX_ACQ_CHANNELS);
  times = lablink_message_get_sample_times (message, &n);

  if (store != NULL && n_channels > 0 && n > 0)
    {
      const double *values[LABLINK_SESSION_MAX_ACQ_CHANNELS] = { NULL };
      gsize added;

      if (store->ring == NULL || lablink_ring_get_n_channels (store->ring) != n_channels)
        {
          GStrvBuilder *builder = g_strv_builder_new ();

          g_clear_pointer (&store->ring, lablink_ring_unref);
          g_strfreev (store->channels);
          store->ring = lablink_ring_new (n_channels, LABLINK_SESSION_ACQ_RING_CAPACITY);
          for (c = 0; c < n_channels; c++)
            g_strv_builder_add (builder, lablink_message_get_channel_name (message, c));
          store->channels = g_strv_builder_end (builder);
          g_strv_builder_unref (builder);
        }

      for (c = 0; c < n_channels; c++)
        {
          gsize nc = 0;
          const char *name = store->channels[c];
          guint mc;

          /* Channels by name: a frame may list them in another order. */
          for (mc = 0; mc < lablink_message_get_n_channels (message); mc++)
            if (g_strcmp0 (lablink_message_get_channel_name (message, mc), name) == 0)
              {
                values[c] = lablink_message_get_channel_values (message, mc, &nc);
                if (nc != n)
                  values[c] = NULL;
                break;
              }
        }

      added = lablink_ring_merge (store->ring, n, times, values);
      store->duplicates += n - added;
    }

  emit_detailed (self, ACQUISITION_DATA, id, message);
}

static void
stream_status_cb (LablinkStreamManager *manager,
                  const char           *key,
                  LablinkStreamStatus   status,
                  LablinkSession       *self)
{
  GQuark quark = key ? g_quark_try_string (key) : 0;

  g_signal_emit (self, lablink_session_signals[STREAM_STATUS_CHANGED], quark, key, status);
}

/* Another client changed the interval the server sends a stream at (or
 * it is ours again): shown with the stream's status. */
static void
stream_interval_cb (LablinkStreamManager *manager,
                    const char           *key,
                    guint                 server_interval_ms,
                    LablinkSession       *self)
{
  GQuark quark = key ? g_quark_try_string (key) : 0;

  g_signal_emit (self, lablink_session_signals[STREAM_STATUS_CHANGED], quark, key,
                 lablink_stream_manager_get_stream_status (manager, key));
}

static void
event_cb (LablinkStreamManager *manager,
          LablinkMessage       *message,
          LablinkSession       *self)
{
  /* Unsolicited server events (alarms, jobs) and unknown types: shown,
   * never treated as errors. */
  g_signal_emit (self, lablink_session_signals[EVENT], 0, message);
}

static void
server_error_cb (LablinkStreamManager *manager,
                 const char           *detail,
                 LablinkSession       *self)
{
  g_signal_emit (self, lablink_session_signals[SERVER_ERROR], 0, detail);
}

/* The manager's signals arrive through the session's signal group (its
 * target is the manager of the current server). Each is connected once,
 * without a detail: the manager emits to undetailed handlers too, and an
 * undetailed handler runs once per emission whatever its detail. */
void
_lablink_session_streams_init (LablinkSession *self)
{
  g_signal_group_connect (self->manager_signals, "stream-data", G_CALLBACK (stream_data_cb), self);
  g_signal_group_connect (self->manager_signals, "acquisition-data", G_CALLBACK (acquisition_data_cb), self);
  g_signal_group_connect (self->manager_signals, "stream-status-changed", G_CALLBACK (stream_status_cb), self);
  g_signal_group_connect (self->manager_signals, "stream-interval-changed", G_CALLBACK (stream_interval_cb), self);
  g_signal_group_connect (self->manager_signals, "event", G_CALLBACK (event_cb), self);
  g_signal_group_connect (self->manager_signals, "server-error", G_CALLBACK (server_error_cb), self);
}

guint
lablink_session_get_interval (LablinkSession *self,
                              const char     *equipment_id,
                              const char     *stream_type)
{
  g_autofree char *key = NULL;
  gpointer value;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), LABLINK_DEFAULT_INTERVAL_MS);

  key = lablink_protocol_stream_key (equipment_id, stream_type);
  if (self->settings)
    return lablink_settings_get_stream_interval (self->settings, key);
  if (g_hash_table_lookup_extended (self->intervals, key, NULL, &value))
    return GPOINTER_TO_UINT (value);
  return LABLINK_DEFAULT_INTERVAL_MS;
}

void
lablink_session_set_interval (LablinkSession *self,
                              const char     *equipment_id,
                              const char     *stream_type,
                              guint           interval_ms)
{
  g_autofree char *key = NULL;

  g_return_if_fail (LABLINK_IS_SESSION (self));

  interval_ms = CLAMP (interval_ms, LABLINK_MIN_INTERVAL_MS, LABLINK_MAX_INTERVAL_MS);
  if (interval_ms == lablink_session_get_interval (self, equipment_id, stream_type))
    return;

  key = lablink_protocol_stream_key (equipment_id, stream_type);
  if (self->settings)
    lablink_settings_set_stream_interval (self->settings, key, interval_ms);
  else
    g_hash_table_insert (self->intervals, g_strdup (key), GUINT_TO_POINTER (interval_ms));

  /* A running stream takes the new interval now. */
  if (lablink_session_is_stream_active (self, equipment_id, stream_type))
    lablink_session_start_stream (self, equipment_id, stream_type, NULL);
}

gboolean
lablink_session_start_stream (LablinkSession  *self,
                              const char      *equipment_id,
                              const char      *stream_type,
                              GError         **error)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);

  if (self->manager == NULL)
    {
      g_set_error_literal (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED, _("Not connected to a server"));
      return FALSE;
    }
  if (!lablink_stream_manager_start_equipment_stream (self->manager, equipment_id, stream_type,
                                                      lablink_session_get_interval (self, equipment_id, stream_type),
                                                      error))
    return FALSE;
  g_signal_emit (self, lablink_session_signals[STREAMS_CHANGED], 0);
  return TRUE;
}

gboolean
lablink_session_stop_stream (LablinkSession  *self,
                             const char      *equipment_id,
                             const char      *stream_type,
                             GError         **error)
{
  gboolean ok;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);

  if (self->manager == NULL)
    return TRUE;
  ok = lablink_stream_manager_stop_equipment_stream (self->manager, equipment_id, stream_type, error);
  if (g_strcmp0 (stream_type, LABLINK_STREAM_READINGS) == 0)
    _lablink_session_push_gaps (self, equipment_id);
  g_signal_emit (self, lablink_session_signals[STREAMS_CHANGED], 0);
  return ok;
}

/**
 * lablink_session_get_server_interval:
 * @self: a session
 * @equipment_id: an instrument
 * @stream_type: one of its stream types
 *
 * Returns: the cadence (ms) the server sends the stream at when another
 *   client changed its interval, else 0 (lablink_stream_manager_get_server_interval())
 */
guint
lablink_session_get_server_interval (LablinkSession *self,
                                     const char     *equipment_id,
                                     const char     *stream_type)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), 0);

  if (self->manager == NULL)
    return 0;
  key = lablink_protocol_stream_key (equipment_id, stream_type);
  return lablink_stream_manager_get_server_interval (self->manager, key);
}

/**
 * lablink_session_reclaim_stream:
 * @self: a session
 * @equipment_id: an instrument
 * @stream_type: one of its stream types
 * @error: return location for a #GError
 *
 * Asks the server for our interval again, after another client changed it.
 *
 * Returns: %TRUE if the request was sent
 */
gboolean
lablink_session_reclaim_stream (LablinkSession  *self,
                                const char      *equipment_id,
                                const char      *stream_type,
                                GError         **error)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);

  if (self->manager == NULL)
    {
      g_set_error_literal (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED, _("Not connected to a server"));
      return FALSE;
    }
  key = lablink_protocol_stream_key (equipment_id, stream_type);
  return lablink_stream_manager_reclaim_stream (self->manager, key, error);
}

gboolean
lablink_session_is_stream_active (LablinkSession *self,
                                  const char     *equipment_id,
                                  const char     *stream_type)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);

  if (self->manager == NULL)
    return FALSE;
  key = lablink_protocol_stream_key (equipment_id, stream_type);
  return lablink_stream_manager_is_stream_active (self->manager, key);
}

LablinkStreamStatus
lablink_session_get_stream_status (LablinkSession *self,
                                   const char     *equipment_id,
                                   const char     *stream_type)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), LABLINK_STREAM_STATUS_STOPPED);

  if (self->manager == NULL)
    return LABLINK_STREAM_STATUS_STOPPED;
  key = lablink_protocol_stream_key (equipment_id, stream_type);
  return lablink_stream_manager_get_stream_status (self->manager, key);
}

/**
 * lablink_session_get_last_message:
 * @self: a session
 * @stream_key: a stream key
 *
 * Returns: (transfer none) (nullable): the stream's last message
 */
LablinkMessage *
lablink_session_get_last_message (LablinkSession *self,
                                  const char     *stream_key)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  return stream_key ? g_hash_table_lookup (self->last_messages, stream_key) : NULL;
}

/**
 * lablink_session_get_readings_ring:
 * @self: a session
 * @equipment_id: the instrument
 * @channel: the PSU channel (1…), or 0 for an electronic load
 *
 * Returns: (transfer none): the V/I/P ring of the readings of that channel
 *   (created empty if nothing arrived yet)
 */
LablinkRing *
lablink_session_get_readings_ring (LablinkSession *self,
                                   const char     *equipment_id,
                                   guint           channel)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  g_return_val_if_fail (equipment_id != NULL, NULL);
  return ensure_ring (self, equipment_id, channel);
}

/**
 * lablink_session_get_acquisition_ring:
 * @self: a session
 * @acquisition_id: a watched acquisition
 *
 * Returns: (transfer none) (nullable): its samples, merged by timestamp, or
 *   %NULL before the first samples arrived
 */
LablinkRing *
lablink_session_get_acquisition_ring (LablinkSession *self,
                                      const char     *acquisition_id)
{
  AcqStore *store;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);

  store = acquisition_id ? g_hash_table_lookup (self->acquisitions, acquisition_id) : NULL;
  return store ? store->ring : NULL;
}

const char * const *
lablink_session_get_acquisition_channels (LablinkSession *self,
                                          const char     *acquisition_id)
{
  AcqStore *store;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);

  store = acquisition_id ? g_hash_table_lookup (self->acquisitions, acquisition_id) : NULL;
  return store ? (const char * const *) store->channels : NULL;
}

guint64
lablink_session_get_acquisition_duplicates (LablinkSession *self,
                                            const char     *acquisition_id)
{
  AcqStore *store;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), 0);

  store = acquisition_id ? g_hash_table_lookup (self->acquisitions, acquisition_id) : NULL;
  return store ? store->duplicates : 0;
}

typedef struct {
  LablinkSession *session;
  char           *acquisition_id;
} Replan;

static void
replan_free (Replan *replan)
{
  g_object_unref (replan->session);
  g_free (replan->acquisition_id);
  g_free (replan);
}

/* The acquisition's rate is known: stream it as lablink-acquisition-plan.c
 * says, so that consecutive frames overlap and no sample falls between
 * them (a fixed 500 samples every 200 ms kept 5 % of a 50 kSa/s
 * acquisition in the chart). */
static void
replan_status_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Replan *replan = data;
  LablinkSession *self = replan->session;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object, *config;
  JsonArray *channels;
  double rate;
  guint n_channels;

  status = lablink_client_get_acquisition_status_finish (LABLINK_CLIENT (source), result, &error);
  if (status == NULL || !JSON_NODE_HOLDS_OBJECT (status) || self->manager == NULL ||
      !lablink_session_is_watching_acquisition (self, replan->acquisition_id))
    goto out;
  object = json_node_get_object (status);
  config = json_object_has_member (object, "config") &&
           JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "config"))
           ? json_object_get_object_member (object, "config") : NULL;
  if (config == NULL || !json_object_has_member (config, "sample_rate") ||
      json_node_get_value_type (json_object_get_member (config, "sample_rate")) == G_TYPE_STRING)
    goto out;
  rate = json_object_get_double_member (config, "sample_rate");
  channels = json_object_has_member (config, "channels") &&
             JSON_NODE_HOLDS_ARRAY (json_object_get_member (config, "channels"))
             ? json_object_get_array_member (config, "channels") : NULL;
  n_channels = channels != NULL ? MAX (json_array_get_length (channels), 1) : 1;
  if (!(rate > 0 && rate <= 1e7))
    goto out;
  if (!lablink_stream_manager_start_acquisition_stream (self->manager, replan->acquisition_id,
                                                        lablink_acquisition_plan_interval (rate, n_channels),
                                                        lablink_acquisition_plan_window (rate, n_channels),
                                                        &error))
    g_debug ("acquisition %s keeps its first plan: %s", replan->acquisition_id, error->message);

out:
  replan_free (replan);
}

/**
 * lablink_session_watch_acquisition:
 * @self: a session
 * @acquisition_id: an acquisition
 * @error: return location for an error
 *
 * Starts the acquisition's stream (windows of the latest 200 samples every
 * 200 ms) and stores its samples.
 *
 * Returns: whether the stream was requested
 */
gboolean
lablink_session_watch_acquisition (LablinkSession  *self,
                                   const char      *acquisition_id,
                                   GError         **error)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);

  if (self->manager == NULL)
    {
      g_set_error_literal (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED, _("Not connected to a server"));
      return FALSE;
    }
  /* A first plan for 2.5 kSa/s at once, the right one when the server
   * says the acquisition's rate (replan_status_cb). */
  if (!lablink_stream_manager_start_acquisition_stream (self->manager, acquisition_id, 200, 500, error))
    return FALSE;
  if (!g_hash_table_contains (self->acquisitions, acquisition_id))
    {
      Replan *replan = g_new0 (Replan, 1);

      replan->session = g_object_ref (self);
      replan->acquisition_id = g_strdup (acquisition_id);
      g_hash_table_insert (self->acquisitions, g_strdup (acquisition_id), g_new0 (AcqStore, 1));
      lablink_client_get_acquisition_status_async (self->client, acquisition_id, self->cancellable,
                                                   replan_status_cb, replan);
    }
  g_signal_emit (self, lablink_session_signals[STREAMS_CHANGED], 0);
  return TRUE;
}

gboolean
lablink_session_unwatch_acquisition (LablinkSession  *self,
                                     const char      *acquisition_id,
                                     GError         **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);

  if (self->manager)
    ok = lablink_stream_manager_stop_acquisition_stream (self->manager, acquisition_id, error);
  g_signal_emit (self, lablink_session_signals[STREAMS_CHANGED], 0);
  return ok;
}

gboolean
lablink_session_is_watching_acquisition (LablinkSession *self,
                                         const char     *acquisition_id)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);

  if (self->manager == NULL || acquisition_id == NULL)
    return FALSE;
  key = lablink_protocol_acquisition_key (acquisition_id);
  return lablink_stream_manager_is_stream_active (self->manager, key);
}
