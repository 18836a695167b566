/* lablink-session.c — one server connection and the app's live data store
 *
 * The session owns the LablinkClient and LablinkStreamManager of the server
 * the app is connected to (or of the in-process simulator, for --demo), the
 * list of equipment, and the store every panel reads: per stream the last
 * message, per PSU channel / electronic load a ring of V/I/P readings, per
 * watched acquisition a ring of its samples merged by timestamp (frames
 * overlap: a sample is stored once). Handlers are cheap: they store and
 * re-emit; widgets only queue a draw.
 *
 * This file is the object itself: its properties and signals, getters and
 * the status texts; the rest is in the sibling files listed in
 * lablink-session-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-session-private.h"

G_DEFINE_FINAL_TYPE (LablinkSession, lablink_session, G_TYPE_OBJECT)

GParamSpec *lablink_session_properties[N_PROPS];
guint lablink_session_signals[N_SIGNALS];

void
_lablink_session_acq_store_free (gpointer data)
{
  AcqStore *store = data;

  g_clear_pointer (&store->ring, lablink_ring_unref);
  g_strfreev (store->channels);
  g_free (store);
}

const char *
lablink_connection_state_describe (LablinkConnectionState state)
{
  switch (state)
    {
    case LABLINK_CONNECTION_CONNECTED: return _("Connected");
    case LABLINK_CONNECTION_CONNECTING: return _("Connecting…");
    case LABLINK_CONNECTION_RECONNECTING: return _("Reconnecting…");
    case LABLINK_CONNECTION_AUTH_FAILED: return _("Login required");
    case LABLINK_CONNECTION_DISCONNECTED:
    default: return _("Offline");
    }
}

const char *
lablink_stream_status_describe (LablinkStreamStatus status)
{
  switch (status)
    {
    case LABLINK_STREAM_STATUS_STARTING: return _("Starting");
    case LABLINK_STREAM_STATUS_RUNNING: return _("Running");
    case LABLINK_STREAM_STATUS_NO_DATA: return _("No data");
    case LABLINK_STREAM_STATUS_POLLING: return _("Polling");
    case LABLINK_STREAM_STATUS_STOPPED:
    default: return _("Stopped");
    }
}

/**
 * lablink_session_describe_stream:
 * @self: a session
 * @equipment_id: an instrument
 * @stream_type: one of its stream types
 * @level: (out) (optional): how it should look
 *
 * What every widget shows as a stream's status: the connection's state
 * while not connected, "Stopped" when the stream is not running, else its
 * status ("Running", good; "Starting", "No data", "Polling": warnings).
 *
 * Returns: the text
 */
const char *
lablink_session_describe_stream (LablinkSession     *self,
                                 const char         *equipment_id,
                                 const char         *stream_type,
                                 LablinkStatusLevel *level)
{
  LablinkStreamStatus status;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);

  if (level)
    *level = LABLINK_STATUS_NEUTRAL;
  if (self->state != LABLINK_CONNECTION_CONNECTED)
    return lablink_connection_state_describe (self->state);
  if (!lablink_session_is_stream_active (self, equipment_id, stream_type))
    return _("Stopped");
  status = lablink_session_get_stream_status (self, equipment_id, stream_type);
  if (level)
    *level = status == LABLINK_STREAM_STATUS_RUNNING ? LABLINK_STATUS_GOOD : LABLINK_STATUS_WARNING;
  return lablink_stream_status_describe (status);
}

/**
 * lablink_session_describe_equipment:
 * @self: a session
 * @equipment: an instrument
 * @level: (out) (optional): how it should look
 *
 * One word for all the streams of an instrument (the sidebar): "Idle",
 * "Waiting" (offline, streams to resume), "Starting", "Live", or the worst
 * of "Polling" and "No data".
 *
 * Returns: the text
 */
const char *
lablink_session_describe_equipment (LablinkSession     *self,
                                    LablinkEquipment   *equipment,
                                    LablinkStatusLevel *level)
{
  const char * const *types;
  const char *id;
  gboolean any_active = FALSE, any_running = FALSE, any_polling = FALSE, any_silent = FALSE;
  guint i;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT (equipment), NULL);

  types = lablink_equipment_get_stream_types (equipment);
  id = lablink_equipment_get_id (equipment);
  for (i = 0; types && types[i]; i++)
    {
      if (!lablink_session_is_stream_active (self, id, types[i]))
        continue;
      any_active = TRUE;
      switch (lablink_session_get_stream_status (self, id, types[i]))
        {
        case LABLINK_STREAM_STATUS_RUNNING: any_running = TRUE; break;
        case LABLINK_STREAM_STATUS_POLLING: any_polling = TRUE; break;
        case LABLINK_STREAM_STATUS_NO_DATA: any_silent = TRUE; break;
        default: break;
        }
    }

  if (level)
    *level = LABLINK_STATUS_NEUTRAL;
  if (self->state != LABLINK_CONNECTION_CONNECTED)
    return any_active ? _("Waiting") : _("Idle");
  if (any_silent || any_polling)
    {
      if (level)
        *level = LABLINK_STATUS_WARNING;
      return any_silent ? _("No data") : _("Polling");
    }
  if (any_running)
    {
      if (level)
        *level = LABLINK_STATUS_GOOD;
      return _("Live");
    }
  return any_active ? _("Starting") : _("Idle");
}

GSettings *
lablink_session_get_settings (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  return self->settings;
}

LablinkClient *
lablink_session_get_client (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  return self->client;
}

LablinkStreamManager *
lablink_session_get_manager (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  return self->manager;
}

gint64
lablink_session_get_next_retry_time (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), 0);
  return self->manager ? lablink_stream_manager_get_next_retry_time (self->manager) : 0;
}

guint
lablink_session_get_retry_attempt (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), 0);
  return self->manager ? lablink_stream_manager_get_retry_attempt (self->manager) : 0;
}

const char *
lablink_session_get_last_error (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  return self->manager ? lablink_stream_manager_get_last_error (self->manager) : NULL;
}

const char *
lablink_session_get_server_url (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  return self->server_url;
}

LablinkConnectionState
lablink_session_get_state (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), LABLINK_CONNECTION_DISCONNECTED);
  return self->state;
}

gboolean
lablink_session_get_connected (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);
  return self->state == LABLINK_CONNECTION_CONNECTED;
}

GListModel *
lablink_session_get_equipment (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->equipment);
}

gboolean
lablink_session_get_equipment_loaded (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);
  return self->equipment_loaded;
}

LablinkEquipment *
lablink_session_lookup_equipment (LablinkSession *self,
                                  const char     *equipment_id)
{
  guint i, n;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->equipment));
  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkEquipment) equipment = g_list_model_get_item (G_LIST_MODEL (self->equipment), i);

      if (g_strcmp0 (lablink_equipment_get_id (equipment), equipment_id) == 0)
        return equipment; /* the store keeps it alive */
    }
  return NULL;
}

static void
lablink_session_dispose (GObject *object)
{
  LablinkSession *self = LABLINK_SESSION (object);

  _lablink_session_drop_server (self);
  _lablink_session_stop_sim (self);
  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (lablink_session_parent_class)->dispose (object);
}

static void
lablink_session_finalize (GObject *object)
{
  LablinkSession *self = LABLINK_SESSION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->equipment);
  g_free (self->server_url);
  g_hash_table_unref (self->last_messages);
  g_hash_table_unref (self->rings);
  g_hash_table_unref (self->acquisitions);
  g_hash_table_unref (self->intervals);
  g_hash_table_unref (self->lock_infos);
  lablink_latency_unref (self->latency);
  g_clear_object (&self->manager_signals);

  G_OBJECT_CLASS (lablink_session_parent_class)->finalize (object);
}

static void
lablink_session_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LablinkSession *self = LABLINK_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_CONNECTED: g_value_set_boolean (value, self->state == LABLINK_CONNECTION_CONNECTED); break;
    case PROP_SERVER_URL: g_value_set_string (value, self->server_url); break;
    case PROP_DEMO: g_value_set_boolean (value, self->demo); break;
    case PROP_MANAGER: g_value_set_object (value, self->manager); break;
    case PROP_NEXT_RETRY_TIME: g_value_set_int64 (value, lablink_session_get_next_retry_time (self)); break;
    case PROP_RETRY_ATTEMPT: g_value_set_uint (value, lablink_session_get_retry_attempt (self)); break;
    case PROP_LAST_ERROR: g_value_set_string (value, lablink_session_get_last_error (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_session_class_init (LablinkSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lablink_session_dispose;
  object_class->finalize = lablink_session_finalize;
  object_class->get_property = lablink_session_get_property;

  lablink_session_properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LABLINK_TYPE_CONNECTION_STATE,
                                              LABLINK_CONNECTION_DISCONNECTED, ro);
  lablink_session_properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, ro);
  lablink_session_properties[PROP_SERVER_URL] = g_param_spec_string ("server-url", NULL, NULL, NULL, ro);
  lablink_session_properties[PROP_DEMO] = g_param_spec_boolean ("demo", NULL, NULL, FALSE, ro);
  lablink_session_properties[PROP_MANAGER] = g_param_spec_object ("manager", NULL, NULL, LABLINK_TYPE_STREAM_MANAGER, ro);
  lablink_session_properties[PROP_NEXT_RETRY_TIME] = g_param_spec_int64 ("next-retry-time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  lablink_session_properties[PROP_RETRY_ATTEMPT] = g_param_spec_uint ("retry-attempt", NULL, NULL, 0, G_MAXUINT, 0, ro);
  lablink_session_properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, lablink_session_properties);

  lablink_session_signals[STREAM_DATA] =
    g_signal_new ("stream-data", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LABLINK_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  lablink_session_signals[ACQUISITION_DATA] =
    g_signal_new ("acquisition-data", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LABLINK_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  lablink_session_signals[STREAM_STATUS_CHANGED] =
    g_signal_new ("stream-status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, LABLINK_TYPE_STREAM_STATUS);
  lablink_session_signals[STREAMS_CHANGED] =
    g_signal_new ("streams-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  lablink_session_signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LABLINK_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  lablink_session_signals[SERVER_ERROR] =
    g_signal_new ("server-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  lablink_session_signals[AUTH_REQUIRED] =
    g_signal_new ("auth-required", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  lablink_session_signals[EQUIPMENT_LOADED] =
    g_signal_new ("equipment-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* LablinkSession::lock-changed (detailed by equipment id): its lock
   * state (lablink_session_get_lock_state()) changed. */
  lablink_session_signals[LOCK_CHANGED] =
    g_signal_new ("lock-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
lablink_session_init (LablinkSession *self)
{
  self->equipment = g_list_store_new (LABLINK_TYPE_EQUIPMENT);
  self->latency = lablink_latency_new ();
  self->lock_infos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) lablink_lock_info_unref);
  self->cancellable = g_cancellable_new ();
  self->last_messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) lablink_message_unref);
  self->rings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) lablink_ring_unref);
  self->acquisitions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, _lablink_session_acq_store_free);
  self->intervals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->manager_signals = g_signal_group_new (LABLINK_TYPE_STREAM_MANAGER);
  self->state = LABLINK_CONNECTION_DISCONNECTED;

  _lablink_session_connection_init (self);
  _lablink_session_streams_init (self);
}

/**
 * lablink_session_new:
 * @settings: (nullable): the app's settings, or %NULL without a schema
 *
 * Returns: (transfer full): a new session, not connected
 */
LablinkSession *
lablink_session_new (GSettings *settings)
{
  LablinkSession *self = g_object_new (LABLINK_TYPE_SESSION, NULL);

  self->settings = settings ? g_object_ref (settings) : NULL;
  return self;
}
