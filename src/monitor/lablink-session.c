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
 * When the link drops, every ring gets a gap (NaN) so traces break there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#ifdef HAVE_LABLINK_SIM
# include "lablink-sim-load.h"
# include "lablink-sim-psu.h"
# include "lablink-sim-server.h"
#endif

#include "lablink-session.h"
#include "lablink-settings.h"

typedef struct {
  LablinkRing *ring;
  char       **channels;
  guint64      duplicates;
} AcqStore;

struct _LablinkSession
{
  GObject               parent_instance;

  GSettings            *settings;
  LablinkClient        *client;
  LablinkStreamManager *manager;
  char                 *server_url;
  GObject              *sim;
  gboolean              demo;

  GListStore           *equipment;
  gboolean              equipment_loaded;
  GCancellable         *cancellable;

  GHashTable           *last_messages;   /* stream key → LablinkMessage */
  GHashTable           *rings;           /* "<id>:<n>" → LablinkRing */
  GHashTable           *acquisitions;    /* acquisition id → AcqStore */
  GHashTable           *intervals;       /* stream key → interval (no settings) */
  GHashTable           *listening;       /* "signal::detail" connected on the manager */
  LablinkMessage       *last_event;

  LablinkConnectionState state;
};

G_DEFINE_FINAL_TYPE (LablinkSession, lablink_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_CONNECTED,
  PROP_SERVER_URL,
  PROP_DEMO,
  PROP_MANAGER,
  PROP_NEXT_RETRY_TIME,
  PROP_RETRY_ATTEMPT,
  PROP_LAST_ERROR,
  N_PROPS
};

enum {
  STREAM_DATA,
  ACQUISITION_DATA,
  STREAM_STATUS_CHANGED,
  STREAMS_CHANGED,
  EVENT,
  SERVER_ERROR,
  AUTH_REQUIRED,
  EQUIPMENT_LOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
acq_store_free (gpointer data)
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

static char *
ring_key (const char *equipment_id,
          guint       channel)
{
  return g_strdup_printf ("%s:%u", equipment_id, channel);
}

static void
push_gaps (LablinkSession *self,
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
  if ((quark != 0 && g_signal_has_handler_pending (self, signals[signal_id], quark, FALSE)) ||
      g_signal_has_handler_pending (self, signals[signal_id], 0, FALSE))
    g_signal_emit (self, signals[signal_id], quark, message);
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

  g_signal_emit (self, signals[STREAM_STATUS_CHANGED], quark, key, status);
}

static void
event_cb (LablinkStreamManager *manager,
          LablinkMessage       *message,
          LablinkSession       *self)
{
  /* A known type reaches both its detailed handler and the one without a
   * detail: once is enough. (The last event is kept referenced, so its
   * address cannot be reused by another message.) */
  if (message == self->last_event)
    return;
  g_clear_pointer (&self->last_event, lablink_message_unref);
  self->last_event = lablink_message_ref (message);

  /* Unsolicited server events (alarms, jobs) and unknown types: shown,
   * never treated as errors. */
  g_signal_emit (self, signals[EVENT], 0, message);
}

/* The manager's data signals are detailed by stream key; a handler is
 * connected per key, once (a handler without a detail is not called for an
 * emission with a detail someone else connected to). */
static void
listen_to (LablinkSession *self,
           const char     *signal_name,
           const char     *detail)
{
  g_autofree char *name = g_strconcat (signal_name, "::", detail, NULL);

  if (self->manager == NULL || g_hash_table_contains (self->listening, name))
    return;

  if (g_str_equal (signal_name, "stream-data"))
    g_signal_connect (self->manager, name, G_CALLBACK (stream_data_cb), self);
  else
    g_signal_connect (self->manager, name, G_CALLBACK (acquisition_data_cb), self);
  g_hash_table_add (self->listening, g_steal_pointer (&name));
}

static void
listen_to_equipment (LablinkSession   *self,
                     LablinkEquipment *equipment)
{
  const char * const *types = lablink_equipment_get_stream_types (equipment);
  guint t;

  for (t = 0; types && types[t]; t++)
    {
      g_autofree char *key = lablink_protocol_stream_key (lablink_equipment_get_id (equipment), types[t]);
      listen_to (self, "stream-data", key);
    }
}

static void
server_error_cb (LablinkStreamManager *manager,
                 const char           *detail,
                 LablinkSession       *self)
{
  g_signal_emit (self, signals[SERVER_ERROR], 0, detail);
}

static void
list_equipment_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(LablinkSession) self = data;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  list = lablink_client_list_equipment_finish (LABLINK_CLIENT (source), result, &error);
  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Listing the equipment failed: %s", error->message);
          g_signal_emit (self, signals[SERVER_ERROR], 0, error->message);
        }
      return;
    }
  if (LABLINK_CLIENT (source) != self->client)
    return;

  {
    guint i;

    for (i = 0; i < list->len; i++)
      listen_to_equipment (self, g_ptr_array_index (list, i));
  }
  g_list_store_splice (self->equipment, 0, g_list_model_get_n_items (G_LIST_MODEL (self->equipment)),
                       list->pdata, list->len);
  self->equipment_loaded = TRUE;
  g_signal_emit (self, signals[EQUIPMENT_LOADED], 0);
}

void
lablink_session_refresh_equipment (LablinkSession *self)
{
  g_return_if_fail (LABLINK_IS_SESSION (self));

  if (self->client == NULL)
    return;
  lablink_client_list_equipment_async (self->client, self->cancellable, list_equipment_cb, g_object_ref (self));
}

static void
manager_state_cb (LablinkStreamManager *manager,
                  GParamSpec           *pspec,
                  LablinkSession       *self)
{
  LablinkConnectionState state = lablink_stream_manager_get_state (manager);
  LablinkConnectionState old = self->state;

  if (state == old)
    return;

  self->state = state;

  if (old == LABLINK_CONNECTION_CONNECTED)
    push_gaps (self, NULL);

  if (state == LABLINK_CONNECTION_CONNECTED)
    {
      if (!self->demo)
        lablink_settings_add_recent_server (self->settings, self->server_url);
      if (!self->equipment_loaded)
        lablink_session_refresh_equipment (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if ((old == LABLINK_CONNECTION_CONNECTED) != (state == LABLINK_CONNECTION_CONNECTED))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);

  if (state == LABLINK_CONNECTION_AUTH_FAILED)
    g_signal_emit (self, signals[AUTH_REQUIRED], 0);
}

static void
manager_forward_notify_cb (LablinkStreamManager *manager,
                           GParamSpec           *pspec,
                           LablinkSession       *self)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "next-retry-time"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_RETRY_TIME]);
  else if (g_str_equal (name, "retry-attempt"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_ATTEMPT]);
  else if (g_str_equal (name, "last-error"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
drop_server (LablinkSession *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->manager)
    {
      g_signal_handlers_disconnect_by_data (self->manager, self);
      lablink_stream_manager_disconnect (self->manager);
      g_clear_object (&self->manager);
    }
  g_hash_table_remove_all (self->listening);
  g_clear_pointer (&self->last_event, lablink_message_unref);
  g_clear_object (&self->client);
  g_list_store_remove_all (self->equipment);
  self->equipment_loaded = FALSE;
  g_hash_table_remove_all (self->last_messages);
  g_hash_table_remove_all (self->rings);
  g_hash_table_remove_all (self->acquisitions);

  if (self->state != LABLINK_CONNECTION_DISCONNECTED)
    {
      gboolean was_connected = self->state == LABLINK_CONNECTION_CONNECTED;

      self->state = LABLINK_CONNECTION_DISCONNECTED;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      if (was_connected)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
    }
}

static void
stop_sim (LablinkSession *self)
{
#ifdef HAVE_LABLINK_SIM
  if (self->sim)
    lablink_sim_server_stop (LABLINK_SIM_SERVER (self->sim));
#endif
  g_clear_object (&self->sim);
  if (self->demo)
    {
      self->demo = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
    }
}

/**
 * lablink_session_set_server:
 * @self: a session
 * @server_url: the server's URL ("http://host:8000")
 * @ws_url: (nullable): a WebSocket URL overriding the derived one
 * @error: return location for an error
 *
 * Forgets the current server and prepares a client and stream manager for
 * @server_url, without connecting (lablink_session_connect()).
 *
 * Returns: %FALSE if the URLs are unusable
 */
gboolean
lablink_session_set_server (LablinkSession  *self,
                            const char      *server_url,
                            const char      *ws_url,
                            GError         **error)
{
  g_autoptr(LablinkClient) client = NULL;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);

  client = lablink_client_new (server_url, error);
  if (client == NULL)
    return FALSE;
  if (ws_url != NULL && *ws_url != '\0' && !lablink_client_set_ws_url_override (client, ws_url, error))
    return FALSE;

  drop_server (self);

  self->client = g_steal_pointer (&client);
  g_free (self->server_url);
  self->server_url = g_strdup (lablink_client_get_server_url (self->client));

  self->manager = lablink_stream_manager_new (self->client);
  /* A lab monitor should come back quickly once the server is back. */
  g_object_set (self->manager, "backoff-max-ms", 5000, NULL);
  /* stream-data and acquisition-data are connected per stream key
   * (listen_to()); events per known type and without a detail (unknown
   * types), each message shown once. */
  {
    static const char *event_types[] = {
      "alarm", "alarm_event", "alarm_updated", "alarm_cleared", "job_created", "job_updated",
      "job_deleted", "job_started", "job_completed", "job_failed", "discovery_progress",
    };
    guint e;

    g_signal_connect (self->manager, "event", G_CALLBACK (event_cb), self);
    for (e = 0; e < G_N_ELEMENTS (event_types); e++)
      {
        g_autofree char *name = g_strconcat ("event::", event_types[e], NULL);
        g_signal_connect (self->manager, name, G_CALLBACK (event_cb), self);
      }
  }
  g_signal_connect (self->manager, "stream-status-changed", G_CALLBACK (stream_status_cb), self);
  g_signal_connect (self->manager, "server-error", G_CALLBACK (server_error_cb), self);
  g_signal_connect (self->manager, "notify::state", G_CALLBACK (manager_state_cb), self);
  g_signal_connect (self->manager, "notify::next-retry-time", G_CALLBACK (manager_forward_notify_cb), self);
  g_signal_connect (self->manager, "notify::retry-attempt", G_CALLBACK (manager_forward_notify_cb), self);
  g_signal_connect (self->manager, "notify::last-error", G_CALLBACK (manager_forward_notify_cb), self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANAGER]);
  g_signal_emit (self, signals[STREAMS_CHANGED], 0);
  return TRUE;
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(GError) error = NULL;

  if (!lablink_stream_manager_connect_finish (LABLINK_STREAM_MANAGER (source), result, &error))
    g_debug ("Connecting: %s", error->message);
}

void
lablink_session_connect (LablinkSession *self)
{
  g_return_if_fail (LABLINK_IS_SESSION (self));

  if (self->manager == NULL)
    return;
  if (self->state == LABLINK_CONNECTION_DISCONNECTED || self->state == LABLINK_CONNECTION_AUTH_FAILED)
    lablink_stream_manager_connect_async (self->manager, NULL, connect_cb, NULL);
  else
    lablink_stream_manager_reconnect_now (self->manager);
}

gboolean
lablink_session_connect_to (LablinkSession  *self,
                            const char      *server_url,
                            const char      *ws_url,
                            GError         **error)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);

  if (!lablink_session_set_server (self, server_url, ws_url, error))
    return FALSE;
  lablink_session_connect (self);
  return TRUE;
}

void
lablink_session_disconnect (LablinkSession *self)
{
  g_return_if_fail (LABLINK_IS_SESSION (self));

  if (self->manager)
    lablink_stream_manager_disconnect (self->manager);
}

void
lablink_session_reconnect_now (LablinkSession *self)
{
  g_return_if_fail (LABLINK_IS_SESSION (self));

  if (self->manager == NULL)
    return;
  if (self->state == LABLINK_CONNECTION_DISCONNECTED)
    lablink_session_connect (self);
  else
    lablink_stream_manager_reconnect_now (self->manager);
}

#ifdef HAVE_LABLINK_SIM
/* Something to watch at once: PSU channel 1 at 5 V into its load, the
 * electronic load sinking 1.5 A. (The simulator runs on this thread.) */
static void
setup_demo_instruments (LablinkSimServer *sim)
{
  GPtrArray *instruments = lablink_sim_server_get_instruments (sim);
  guint i;

  for (i = 0; instruments && i < instruments->len; i++)
    {
      gpointer instrument = g_ptr_array_index (instruments, i);

      if (LABLINK_SIM_IS_PSU (instrument))
        {
          lablink_sim_psu_set_voltage (instrument, 1, 5.0, NULL);
          lablink_sim_psu_set_current (instrument, 1, 1.0, NULL);
          lablink_sim_psu_set_output (instrument, 1, TRUE);
        }
      else if (LABLINK_SIM_IS_LOAD (instrument))
        {
          lablink_sim_load_set_mode (instrument, LABLINK_SIM_LOAD_CC);
          lablink_sim_load_set_setpoint (instrument, LABLINK_SIM_LOAD_CC, 1.5, NULL);
          lablink_sim_load_set_enabled (instrument, TRUE);
        }
    }
}
#endif

/**
 * lablink_session_start_demo:
 * @self: a session
 * @error: return location for an error
 *
 * Starts the simulated server in this process (127.0.0.1, a free port, on
 * the main context: its work per frame is tiny) and connects to it.
 *
 * Returns: whether the simulator runs
 */
gboolean
lablink_session_start_demo (LablinkSession  *self,
                            GError         **error)
{
#ifdef HAVE_LABLINK_SIM
  g_autoptr(LablinkSimServer) sim = NULL;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);

  drop_server (self);
  stop_sim (self);

  sim = lablink_sim_server_new ();
  if (!lablink_sim_server_listen (sim, "127.0.0.1", 0, error))
    return FALSE;
  setup_demo_instruments (sim);
  if (!lablink_session_set_server (self, lablink_sim_server_get_url (sim), NULL, error))
    {
      lablink_sim_server_stop (sim);
      return FALSE;
    }
  self->sim = G_OBJECT (g_steal_pointer (&sim));
  self->demo = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
  lablink_session_connect (self);
  return TRUE;
#else
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This build has no simulator"));
  return FALSE;
#endif
}

gboolean
lablink_session_get_demo (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);
  return self->demo;
}

/**
 * lablink_session_get_sim_server:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): the in-process LablinkSimServer of
 *   --demo
 */
gpointer
lablink_session_get_sim_server (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  return self->sim;
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(GTask) task = data;
  LablinkSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!lablink_client_login_finish (LABLINK_CLIENT (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (LABLINK_CLIENT (source) == self->client)
    lablink_session_connect (self);
  g_task_return_boolean (task, TRUE);
}

void
lablink_session_login_async (LablinkSession      *self,
                             const char          *username,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LABLINK_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_session_login_async);
  if (self->client == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("No server is set"));
      return;
    }
  lablink_client_login_async (self->client, username, password, cancellable, login_cb, g_steal_pointer (&task));
}

gboolean
lablink_session_login_finish (LablinkSession  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
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
  {
    g_autofree char *key = lablink_protocol_stream_key (equipment_id, stream_type);
    listen_to (self, "stream-data", key);
  }
  if (!lablink_stream_manager_start_equipment_stream (self->manager, equipment_id, stream_type,
                                                      lablink_session_get_interval (self, equipment_id, stream_type),
                                                      error))
    return FALSE;
  g_signal_emit (self, signals[STREAMS_CHANGED], 0);
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
    push_gaps (self, equipment_id);
  g_signal_emit (self, signals[STREAMS_CHANGED], 0);
  return ok;
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
  listen_to (self, "acquisition-data", acquisition_id);
  if (!lablink_stream_manager_start_acquisition_stream (self->manager, acquisition_id, 200, 500, error))
    return FALSE;
  if (!g_hash_table_contains (self->acquisitions, acquisition_id))
    g_hash_table_insert (self->acquisitions, g_strdup (acquisition_id), g_new0 (AcqStore, 1));
  g_signal_emit (self, signals[STREAMS_CHANGED], 0);
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
  g_signal_emit (self, signals[STREAMS_CHANGED], 0);
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

static void
lablink_session_dispose (GObject *object)
{
  LablinkSession *self = LABLINK_SESSION (object);

  drop_server (self);
  stop_sim (self);
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
  g_hash_table_unref (self->listening);

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
    case PROP_NEXT_RETRY_TIME:
      g_value_set_int64 (value, self->manager ? lablink_stream_manager_get_next_retry_time (self->manager) : 0);
      break;
    case PROP_RETRY_ATTEMPT:
      g_value_set_uint (value, self->manager ? lablink_stream_manager_get_retry_attempt (self->manager) : 0);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->manager ? lablink_stream_manager_get_last_error (self->manager) : NULL);
      break;
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

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LABLINK_TYPE_CONNECTION_STATE,
                                              LABLINK_CONNECTION_DISCONNECTED, ro);
  properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, ro);
  properties[PROP_SERVER_URL] = g_param_spec_string ("server-url", NULL, NULL, NULL, ro);
  properties[PROP_DEMO] = g_param_spec_boolean ("demo", NULL, NULL, FALSE, ro);
  properties[PROP_MANAGER] = g_param_spec_object ("manager", NULL, NULL, LABLINK_TYPE_STREAM_MANAGER, ro);
  properties[PROP_NEXT_RETRY_TIME] = g_param_spec_int64 ("next-retry-time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_RETRY_ATTEMPT] = g_param_spec_uint ("retry-attempt", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[STREAM_DATA] =
    g_signal_new ("stream-data", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LABLINK_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[ACQUISITION_DATA] =
    g_signal_new ("acquisition-data", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LABLINK_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[STREAM_STATUS_CHANGED] =
    g_signal_new ("stream-status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, LABLINK_TYPE_STREAM_STATUS);
  signals[STREAMS_CHANGED] =
    g_signal_new ("streams-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LABLINK_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SERVER_ERROR] =
    g_signal_new ("server-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[AUTH_REQUIRED] =
    g_signal_new ("auth-required", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[EQUIPMENT_LOADED] =
    g_signal_new ("equipment-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lablink_session_init (LablinkSession *self)
{
  self->equipment = g_list_store_new (LABLINK_TYPE_EQUIPMENT);
  self->cancellable = g_cancellable_new ();
  self->last_messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) lablink_message_unref);
  self->rings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) lablink_ring_unref);
  self->acquisitions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, acq_store_free);
  self->intervals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->listening = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->state = LABLINK_CONNECTION_DISCONNECTED;
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
