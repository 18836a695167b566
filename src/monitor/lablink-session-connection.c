/* lablink-session-connection.c — LablinkSession: the server and the link to it
 *
 * Which server (set_server, or the in-process simulator for --demo),
 * connecting, disconnecting, reconnecting, logging in, and following the
 * stream manager's connection state. A server whose TLS certificate the
 * system does not trust is connected to only after the user trusted its
 * fingerprint in LablinkCertificateDialog; the pin is kept per server
 * ("host:port") in the settings' pinned-certificates and set on the client
 * of every later connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#ifdef HAVE_LABLINK_SIM
# include "lablink-sim-load.h"
# include "lablink-sim-psu.h"
# include "lablink-sim-server.h"
# include "lablink-sim-thread.h"
#endif

#include "lablink-certificate-dialog.h"
#include "lablink-session-private.h"
#include "lablink-settings.h"

/* The dialog while it is shown (object data of the session; tests answer it). */
#define CERTIFICATE_DIALOG_KEY "lablink-certificate-dialog"

static void check_certificate (LablinkSession *self);

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
    _lablink_session_push_gaps (self, NULL);

  if (state == LABLINK_CONNECTION_CONNECTED)
    {
      if (!self->demo)
        lablink_settings_add_recent_server (self->settings, self->server_url);
      if (!self->equipment_loaded)
        lablink_session_refresh_equipment (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), lablink_session_properties[PROP_STATE]);
  if ((old == LABLINK_CONNECTION_CONNECTED) != (state == LABLINK_CONNECTION_CONNECTED))
    g_object_notify_by_pspec (G_OBJECT (self), lablink_session_properties[PROP_CONNECTED]);

  if (state == LABLINK_CONNECTION_AUTH_FAILED)
    g_signal_emit (self, lablink_session_signals[AUTH_REQUIRED], 0);

  /* the library refused the certificate (and stopped): ask the user */
  if (state == LABLINK_CONNECTION_DISCONNECTED)
    {
      g_autoptr(GError) last = lablink_stream_manager_dup_last_error (manager);

      if (g_error_matches (last, LABLINK_ERROR, LABLINK_ERROR_UNTRUSTED_CERTIFICATE) ||
          g_error_matches (last, LABLINK_ERROR, LABLINK_ERROR_CERTIFICATE_CHANGED))
        check_certificate (self);
    }
}

/* ------------------------------------------------------------------------ */
/* Trusting a self-signed certificate                                       */

static char *
lookup_pin (LablinkSession *self,
            const char     *server)
{
  g_autoptr(GVariant) pins = NULL;
  const char *pin = NULL;

  if (self->settings == NULL)
    return NULL;
  pins = g_settings_get_value (self->settings, "pinned-certificates");
  if (!g_variant_lookup (pins, server, "&s", &pin))
    return NULL;
  return g_strdup (pin);
}

static void
store_pin (LablinkSession *self,
           const char     *server,
           const char     *fingerprint)
{
  g_autoptr(GVariant) pins = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key, *value;

  if (self->settings == NULL)
    return;
  pins = g_settings_get_value (self->settings, "pinned-certificates");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, pins);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (!g_str_equal (key, server))
      g_variant_builder_add (&builder, "{ss}", key, value);
  g_variant_builder_add (&builder, "{ss}", server, fingerprint);
  g_settings_set_value (self->settings, "pinned-certificates", g_variant_builder_end (&builder));
}

static void
certificate_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         LablinkSession   *self)
{
  LablinkCertificateDialog *certificate_dialog = LABLINK_CERTIFICATE_DIALOG (dialog);
  g_autofree char *server = self->client ? lablink_client_dup_server_address (self->client) : NULL;
  const char *fingerprint = lablink_certificate_dialog_get_fingerprint (certificate_dialog);

  g_object_set_data (G_OBJECT (self), CERTIFICATE_DIALOG_KEY, NULL);

  /* the answer is for the server shown, not one chosen since */
  if (g_strcmp0 (response, "trust") != 0 ||
      g_strcmp0 (server, lablink_certificate_dialog_get_server (certificate_dialog)) != 0)
    return;

  g_debug ("Trusting the certificate %s of %s", fingerprint, server);
  store_pin (self, server, fingerprint);
  if (lablink_client_set_pinned_certificate (self->client, fingerprint, NULL))
    lablink_session_connect (self);
}

static void
certificate_probe_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  g_autoptr(LablinkSession) self = data;
  LablinkClient *client = LABLINK_CLIENT (source);
  g_autoptr(JsonNode) health = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  GApplication *app;
  GtkWindow *parent = NULL;
  GtkWidget *dialog;

  health = lablink_client_get_health_finish (client, result, &error);
  if (client != self->client || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_object_get_data (G_OBJECT (self), CERTIFICATE_DIALOG_KEY) != NULL)
    return;

  if (!g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_UNTRUSTED_CERTIFICATE) &&
      !g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_CERTIFICATE_CHANGED))
    {
      g_debug ("Checking the certificate: %s", error ? error->message : "accepted");
      return;
    }
  if (lablink_client_get_peer_certificate (client) == NULL)
    return;

  app = g_application_get_default ();
  if (GTK_IS_APPLICATION (app))
    parent = gtk_application_get_active_window (GTK_APPLICATION (app));
  server = lablink_client_dup_server_address (client);
  dialog = lablink_certificate_dialog_new (parent, server,
                                           lablink_client_get_peer_certificate (client),
                                           lablink_client_get_peer_certificate_errors (client),
                                           lablink_client_get_pinned_certificate (client));
  g_object_set_data (G_OBJECT (self), CERTIFICATE_DIALOG_KEY, dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (certificate_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The WebSocket met a certificate the library refused: a REST request
 * fetches it with its details for the dialog (the worker's thread keeps
 * only the message). */
static void
check_certificate (LablinkSession *self)
{
  if (self->client == NULL || g_object_get_data (G_OBJECT (self), CERTIFICATE_DIALOG_KEY) != NULL)
    return;
  lablink_client_get_health_async (self->client, self->cancellable, certificate_probe_cb, g_object_ref (self));
}

static void
manager_forward_notify_cb (LablinkStreamManager *manager,
                           GParamSpec           *pspec,
                           LablinkSession       *self)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "next-retry-time"))
    g_object_notify_by_pspec (G_OBJECT (self), lablink_session_properties[PROP_NEXT_RETRY_TIME]);
  else if (g_str_equal (name, "retry-attempt"))
    g_object_notify_by_pspec (G_OBJECT (self), lablink_session_properties[PROP_RETRY_ATTEMPT]);
  else if (g_str_equal (name, "last-error"))
    g_object_notify_by_pspec (G_OBJECT (self), lablink_session_properties[PROP_LAST_ERROR]);
}

void
_lablink_session_connection_init (LablinkSession *self)
{
  g_signal_group_connect (self->manager_signals, "notify::state", G_CALLBACK (manager_state_cb), self);
  g_signal_group_connect (self->manager_signals, "notify::next-retry-time", G_CALLBACK (manager_forward_notify_cb), self);
  g_signal_group_connect (self->manager_signals, "notify::retry-attempt", G_CALLBACK (manager_forward_notify_cb), self);
  g_signal_group_connect (self->manager_signals, "notify::last-error", G_CALLBACK (manager_forward_notify_cb), self);
}

void
_lablink_session_drop_server (LablinkSession *self)
{
  /* first, while the client is there: give the locks back */
  _lablink_session_end_locks (self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->manager)
    {
      g_signal_group_set_target (self->manager_signals, NULL);
      lablink_stream_manager_disconnect (self->manager);
      g_clear_object (&self->manager);
    }
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
      g_object_notify_by_pspec (G_OBJECT (self), lablink_session_properties[PROP_STATE]);
      if (was_connected)
        g_object_notify_by_pspec (G_OBJECT (self), lablink_session_properties[PROP_CONNECTED]);
    }
}

void
_lablink_session_stop_sim (LablinkSession *self)
{
#ifdef HAVE_LABLINK_SIM
  if (self->sim)
    lablink_sim_thread_stop (LABLINK_SIM_THREAD (self->sim));
#endif
  g_clear_object (&self->sim);
  if (self->demo)
    {
      self->demo = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), lablink_session_properties[PROP_DEMO]);
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
  {
    g_autofree char *server = lablink_client_dup_server_address (client);
    g_autofree char *pin = lookup_pin (self, server);

    if (pin != NULL && !lablink_client_set_pinned_certificate (client, pin, NULL))
      g_warning ("Ignoring the trusted certificate of %s: “%s” is not a fingerprint", server, pin);
  }

  _lablink_session_drop_server (self);

  self->client = g_steal_pointer (&client);
  _lablink_session_locks_watch_client (self);
  g_free (self->server_url);
  self->server_url = g_strdup (lablink_client_get_server_url (self->client));

  self->manager = lablink_stream_manager_new (self->client);
  /* A lab monitor should come back quickly once the server is back. */
  g_object_set (self->manager, "backoff-max-ms", 5000, NULL);
  /* The handlers (connected once, _lablink_session_*_init()) follow. */
  g_signal_group_set_target (self->manager_signals, self->manager);

  g_object_notify_by_pspec (G_OBJECT (self), lablink_session_properties[PROP_SERVER_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), lablink_session_properties[PROP_MANAGER]);
  g_signal_emit (self, lablink_session_signals[STREAMS_CHANGED], 0);
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
 * electronic load sinking 1.5 A; frames stamped with their send time for
 * the send → screen latency (Statistics, bench/bench-render). Runs on the
 * simulator's thread. */
static void
setup_demo_server (LablinkSimServer *sim,
                   gpointer          user_data)
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
  lablink_sim_server_set_stamp_send_time (sim, TRUE);
}
#endif

/**
 * lablink_session_start_demo:
 * @self: a session
 * @error: return location for an error
 *
 * Starts the simulated server in this process (127.0.0.1, a free port, on
 * a thread of its own: lablink-sim-thread.c) and connects to it.
 *
 * Returns: whether the simulator runs
 */
gboolean
lablink_session_start_demo (LablinkSession  *self,
                            GError         **error)
{
#ifdef HAVE_LABLINK_SIM
  g_autoptr(LablinkSimThread) sim = NULL;

  g_return_val_if_fail (LABLINK_IS_SESSION (self), FALSE);

  _lablink_session_drop_server (self);
  _lablink_session_stop_sim (self);

  sim = lablink_sim_thread_new ("127.0.0.1", setup_demo_server, NULL, error);
  if (sim == NULL)
    return FALSE;
  if (!lablink_session_set_server (self, lablink_sim_thread_get_url (sim), NULL, error))
    {
      lablink_sim_thread_stop (sim);
      return FALSE;
    }
  self->sim = G_OBJECT (g_steal_pointer (&sim));
  self->demo = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), lablink_session_properties[PROP_DEMO]);
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
 * The server runs on a thread of its own: use only its thread-safe calls
 * (lablink_sim_server_emit_event(), …).
 *
 * Returns: (transfer none) (nullable): the in-process LablinkSimServer of
 *   --demo
 */
gpointer
lablink_session_get_sim_server (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
#ifdef HAVE_LABLINK_SIM
  if (self->sim != NULL)
    return lablink_sim_thread_get_server (LABLINK_SIM_THREAD (self->sim));
#endif
  return NULL;
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
