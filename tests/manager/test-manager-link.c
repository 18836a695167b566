/* test-manager-link.c — the life of LablinkStreamManager's link: not
 * connected, refused, a login, drops and restarts of lablink-sim, a frozen
 * server, a handshake that never ends, and no timer while idle
 *
 * Every test with a simulator starts its own on 127.0.0.1 with a free port.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "manager-test-util.h"

/* Starting a stream before connecting is a clear error. */
static void
test_not_connected (void)
{
  g_autoptr(LablinkClient) client = lablink_client_new ("http://127.0.0.1:9", NULL);
  g_autoptr(LablinkStreamManager) manager = lablink_stream_manager_new (client);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (lablink_stream_manager_get_state (manager), ==, LABLINK_CONNECTION_DISCONNECTED);
  g_assert_false (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 100, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_false (lablink_stream_manager_start_acquisition_stream (manager, "x", 100, 10, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_false (lablink_stream_manager_send_ping (manager, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED);
}

/* Connecting to a port where nothing listens fails with a clear error,
 * and the manager keeps trying in the background. */
static void
test_connection_refused (void)
{
  g_autoptr(LablinkClient) client = lablink_client_new ("http://127.0.0.1:9", NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_assert_false (connect_manager (manager, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED);
  g_assert_cmpint (lablink_stream_manager_get_state (manager), ==, LABLINK_CONNECTION_RECONNECTING);
  g_assert_cmpint (lablink_stream_manager_get_next_retry_time (manager), >, 0);
  g_assert_nonnull (lablink_stream_manager_get_last_error (manager));
  g_clear_error (&error);
  error = lablink_stream_manager_dup_last_error (manager);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED);
  lablink_stream_manager_disconnect (manager);
  counter_clear (&c);
}

typedef struct {
  LablinkStreamManager *manager;
  gboolean              saw_reconnecting;
  gint64                lost_at;
  gint64                worst_gap;
} StateWatch;

static void
on_state (LablinkStreamManager *manager,
          GParamSpec           *pspec,
          StateWatch           *w)
{
  LablinkConnectionState state = lablink_stream_manager_get_state (manager);

  if (state == LABLINK_CONNECTION_RECONNECTING)
    {
      if (!w->saw_reconnecting)
        w->lost_at = g_get_monotonic_time ();
      w->saw_reconnecting = TRUE;
    }
  else if (state == LABLINK_CONNECTION_CONNECTED && w->lost_at)
    {
      w->worst_gap = MAX (w->worst_gap, g_get_monotonic_time () - w->lost_at);
      w->lost_at = 0;
    }
}

static gboolean
saw_reconnecting (gpointer data)
{
  return ((StateWatch *) data)->saw_reconnecting;
}

/* The link is dropped 5 times and the simulator is killed and restarted 5
 * times: each time the client reconnects and every stream runs again. */
static void
test_reconnect (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(LablinkStatistics) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  StateWatch watch = { 0 };
  guint cycle;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  watch.manager = manager;
  g_signal_connect (manager, "notify::state", G_CALLBACK (on_state), &watch);
  g_assert_true (connect_manager (manager, &error));

  id = create_acquisition (client);
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 100, &error));
  g_assert_true (lablink_stream_manager_start_acquisition_stream (manager, id, 100, 10, &error));
  g_assert_no_error (error);
  wait_count (&c, PSU "_readings", 2, TEST_TIMEOUT_MS);

  for (cycle = 0; cycle < 10; cycle++)
    {
      gboolean kill = cycle % 2 == 1;

      watch.saw_reconnecting = FALSE;
      if (kill)
        {
          test_sim_kill (sim);
          g_assert_true (test_wait_until (saw_reconnecting, &watch, TEST_TIMEOUT_MS));
          test_sim_restart (sim);
        }
      else
        {
          g_autoptr(JsonNode) answer = test_sim_rest (sim, "POST", "/api/sim/drop", "{}", NULL);
          g_assert_true (test_wait_until (saw_reconnecting, &watch, TEST_TIMEOUT_MS));
        }

      g_assert_true (test_wait_until (is_connected, manager, TEST_TIMEOUT_MS));

      g_hash_table_remove_all (c.counts);
      c.acquisition = 0;
      wait_count (&c, PSU "_readings", 2, TEST_TIMEOUT_MS);
      if (!kill && cycle < 1)
        g_assert_true (test_wait_until (acquisition_frames, &c, TEST_TIMEOUT_MS));
      g_test_message ("cycle %u (%s): reconnected, streams resumed", cycle, kill ? "kill" : "drop");
    }

  /* How long it took is a figure, not a check (the backoff cap is 1 s). */
  g_test_message ("longest time without a link: %.1f s", watch.worst_gap / (double) G_USEC_PER_SEC);
  stats = lablink_stream_manager_get_statistics (manager);
  g_assert_cmpuint (lablink_statistics_get_reconnects (stats), ==, 10);
  g_assert_cmpuint (lablink_statistics_get_errors (stats, LABLINK_ERROR_KIND_CONNECTION), >=, 10);
  counter_clear (&c);
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Async *a = data;

  a->ok = lablink_client_login_finish (LABLINK_CLIENT (source), result, &a->error);
  a->done = TRUE;
}

/* Security on: without a token the handshake is refused, the state says
 * so and the manager does not retry; after logging in it connects. */
static void
test_auth (void)
{
  const char *args[] = { "--auth", "admin:Peer-Test-123", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(LablinkStatistics) stats = NULL;
  g_autoptr(GError) error = NULL;
  Async a = { 0 };
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_assert_false (connect_manager (manager, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_cmpint (lablink_stream_manager_get_state (manager), ==, LABLINK_CONNECTION_AUTH_FAILED);
  error = lablink_stream_manager_dup_last_error (manager);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_clear_error (&error);

  /* No retry storm: still one failed attempt 2 s later. */
  test_run_for (2000);
  stats = lablink_stream_manager_get_statistics (manager);
  g_assert_cmpuint (lablink_statistics_get_errors (stats, LABLINK_ERROR_KIND_CONNECTION), ==, 1);
  g_assert_cmpint (lablink_stream_manager_get_state (manager), ==, LABLINK_CONNECTION_AUTH_FAILED);
  g_assert_false (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 100, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  /* Wrong password, then the right one. */
  lablink_client_login_async (client, "admin", "wrong", NULL, login_cb, &a);
  g_assert_true (test_wait_until (async_done, &a, TEST_TIMEOUT_MS));
  g_assert_false (a.ok);
  g_assert_error (a.error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_clear_error (&a.error);

  memset (&a, 0, sizeof a);
  lablink_client_login_async (client, "admin", "Peer-Test-123", NULL, login_cb, &a);
  g_assert_true (test_wait_until (async_done, &a, TEST_TIMEOUT_MS));
  g_assert_no_error (a.error);
  g_assert_true (a.ok);

  lablink_stream_manager_reconnect_now (manager);
  g_assert_true (test_wait_until (is_connected, manager, TEST_TIMEOUT_MS));
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 100, &error));
  g_assert_no_error (error);
  wait_count (&c, PSU "_readings", 2, TEST_TIMEOUT_MS);
  counter_clear (&c);
}

/* How long the default main context would sleep now, in ms (-1: until an
 * fd wakes it, i.e. no timer), after dispatching what is ready. */
static gint
context_sleep_ms (void)
{
  GMainContext *context = g_main_context_default ();
  guint i;

  g_assert_true (g_main_context_acquire (context));
  for (i = 0; i < 10000; i++)
    {
      GPollFD fds[64];
      gint priority, timeout, n, k;
      gboolean ready = g_main_context_prepare (context, &priority);

      n = g_main_context_query (context, priority, &timeout, fds, G_N_ELEMENTS (fds));
      g_assert_cmpint (n, <=, (gint) G_N_ELEMENTS (fds));
      for (k = 0; k < n; k++)
        fds[k].revents = 0;
      if (g_main_context_check (context, priority, fds, n) || ready)
        {
          g_main_context_dispatch (context);
          continue;
        }
      g_main_context_release (context);
      return timeout;
    }
  g_error ("A source stays ready: the main context never sleeps");
}

static gboolean
clock_known (gpointer data)
{
  return lablink_client_get_server_utc_offset (data, NULL);
}

static gboolean
is_disconnected (gpointer data)
{
  return lablink_stream_manager_get_state (data) == LABLINK_CONNECTION_DISCONNECTED;
}

static gboolean
is_no_data (gpointer data)
{
  return lablink_stream_manager_get_stream_status (data, PSU "_readings") == LABLINK_STREAM_STATUS_NO_DATA;
}

/* Idle (connected, no stream) the manager leaves no timer on its main
 * context, so nothing wakes the process; a stream's status is checked at
 * its next deadline only while it can still change without a frame. */
static void
test_idle_no_timer (void)
{
  const char *args[] = { "--silent-streams", "readings", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_object_set (manager, "polling-fallback", FALSE, NULL);
  g_assert_true (connect_manager (manager, &error));
  g_assert_no_error (error);
  /* The check of the server's clock on connect has answered: now idle. */
  g_assert_true (test_wait_until (clock_known, client, TEST_TIMEOUT_MS));
  g_assert_cmpint (context_sleep_ms (), ==, -1);

  /* Running: its no-data deadline is watched; stopped: nothing is. */
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, SCOPE, "waveform", 100, &error));
  wait_count (&c, SCOPE "_waveform", 2, TEST_TIMEOUT_MS);
  g_assert_cmpint (context_sleep_ms (), >=, 0);
  g_assert_true (lablink_stream_manager_stop_equipment_stream (manager, SCOPE, "waveform", &error));
  g_assert_cmpint (context_sleep_ms (), ==, -1);

  /* Silent and shown as "no data", without a fallback: settled until a
   * frame comes. */
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 100, &error));
  g_assert_cmpint (context_sleep_ms (), >=, 0);
  g_assert_true (test_wait_until (is_no_data, manager, TEST_TIMEOUT_MS));
  g_assert_cmpint (context_sleep_ms (), ==, -1);

  /* Disconnected: nothing to check either. */
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, SCOPE, "waveform", 100, &error));
  g_assert_cmpint (context_sleep_ms (), >=, 0);
  lablink_stream_manager_disconnect (manager);
  g_assert_true (test_wait_until (is_disconnected, manager, TEST_TIMEOUT_MS));
  g_assert_cmpint (context_sleep_ms (), ==, -1);

  counter_clear (&c);
}

static gboolean
is_reconnecting (gpointer data)
{
  return lablink_stream_manager_get_state (data) == LABLINK_CONNECTION_RECONNECTING;
}

/* A server that stops answering without closing (a frozen process, a pulled
 * cable): the keepalive notices and the manager reconnects once it is back. */
static void
test_dead_link (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_object_set (manager, "ping-interval-ms", 300, NULL);
  g_assert_true (connect_manager (manager, &error));
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 100, &error));
  wait_count (&c, PSU "_readings", 2, TEST_TIMEOUT_MS);

  test_sim_signal (sim, SIGSTOP);
  /* Noticed by the keepalive (three silent ping intervals): the kernel of
   * a stopped process still acknowledges TCP, so no OS timeout ever would. */
  g_assert_true (test_wait_until (is_reconnecting, manager, TEST_TIMEOUT_MS));
  g_assert_nonnull (lablink_stream_manager_get_last_error (manager));

  test_sim_signal (sim, SIGCONT);
  g_assert_true (test_wait_until (is_connected, manager, TEST_TIMEOUT_MS));
  g_hash_table_remove_all (c.counts);
  wait_count (&c, PSU "_readings", 2, TEST_TIMEOUT_MS);
  counter_clear (&c);
}

/* A server that accepts TCP connections on 127.0.0.1 and never answers
 * the WebSocket upgrade (issue 10: it used to hang the app for ever). */
typedef struct {
  GSocketService *service;
  GPtrArray      *connections;  /* held open, never answered */
  guint16         port;
} SilentServer;

static gboolean
silent_incoming (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source,
                 gpointer           data)
{
  SilentServer *server = data;

  g_ptr_array_add (server->connections, g_object_ref (connection));
  return TRUE;
}

static void
silent_server_start (SilentServer *server)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  server->connections = g_ptr_array_new_with_free_func (g_object_unref);
  server->service = g_socket_service_new ();
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &effective, &error));
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (server->service, "incoming", G_CALLBACK (silent_incoming), server);
  g_socket_service_start (server->service);
}

static void
silent_server_stop (SilentServer *server)
{
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_clear_object (&server->service);
  g_clear_pointer (&server->connections, g_ptr_array_unref);
}

static LablinkStreamManager *
silent_manager (SilentServer *server,
                guint         handshake_timeout_ms)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  g_autoptr(LablinkClient) client = lablink_client_new (url, NULL);

  return g_object_new (LABLINK_TYPE_STREAM_MANAGER,
                       "client", client,
                       "handshake-timeout-ms", handshake_timeout_ms,
                       "backoff-initial-ms", 100,
                       "backoff-max-ms", 200,
                       NULL);
}

typedef struct {
  SilentServer *server;
  guint         at_least;
} AcceptWait;

static gboolean
accepted (gpointer data)
{
  AcceptWait *wait = data;
  return wait->server->connections->len >= wait->at_least;
}

/* The handshake is bounded: the first attempt fails with a clear error,
 * a retry is scheduled, and the retry connects again. */
static void
test_handshake_timeout (void)
{
  SilentServer server = { 0 };
  g_autoptr(LablinkStreamManager) manager = NULL;
  Async a = { 0 };
  AcceptWait wait = { &server, 2 };

  silent_server_start (&server);
  manager = silent_manager (&server, 300);
  g_assert_cmpuint (lablink_stream_manager_get_state (manager), ==, LABLINK_CONNECTION_DISCONNECTED);

  lablink_stream_manager_connect_async (manager, NULL, connect_cb, &a);
  /* Deadlines far above the 300 ms timeout: only a hang misses them. */
  g_assert_true (test_wait_until (async_done, &a, TEST_TIMEOUT_MS));
  g_assert_false (a.ok);
  g_assert_error (a.error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED);
  g_assert_nonnull (g_strrstr (a.error->message, "handshake"));
  g_clear_error (&a.error);

  g_assert_cmpuint (lablink_stream_manager_get_state (manager), ==, LABLINK_CONNECTION_RECONNECTING);
  g_assert_nonnull (g_strrstr (lablink_stream_manager_get_last_error (manager), "handshake"));
  g_assert_true (test_wait_until (accepted, &wait, TEST_TIMEOUT_MS));

  lablink_stream_manager_disconnect (manager);
  g_clear_object (&manager);
  silent_server_stop (&server);
}

/* Without a timeout, "Reconnect now" abandons the hanging attempt for a
 * fresh one, and cancelling connect_async() ends it. */
static void
test_handshake_reconnect_cancel (void)
{
  SilentServer server = { 0 };
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Async a = { 0 };
  AcceptWait wait = { &server, 1 };

  silent_server_start (&server);
  manager = silent_manager (&server, 0);

  lablink_stream_manager_connect_async (manager, cancellable, connect_cb, &a);
  g_assert_true (test_wait_until (accepted, &wait, TEST_TIMEOUT_MS));

  lablink_stream_manager_reconnect_now (manager);
  wait.at_least = 2;
  g_assert_true (test_wait_until (accepted, &wait, TEST_TIMEOUT_MS));
  g_assert_false (a.done);

  g_cancellable_cancel (cancellable);
  g_assert_true (test_wait_until (async_done, &a, TEST_TIMEOUT_MS));
  g_assert_false (a.ok);
  g_assert_error (a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&a.error);
  g_assert_true (test_wait_until (is_disconnected, manager, TEST_TIMEOUT_MS));

  g_clear_object (&manager);
  silent_server_stop (&server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manager/not-connected", test_not_connected);
  g_test_add_func ("/manager/connection-refused", test_connection_refused);
  g_test_add_func ("/manager/auth", test_auth);
  g_test_add_func ("/manager/idle-no-timer", test_idle_no_timer);
  g_test_add_func ("/manager/dead-link", test_dead_link);
  g_test_add_func ("/manager/reconnect", test_reconnect);
  g_test_add_func ("/manager/handshake-timeout", test_handshake_timeout);
  g_test_add_func ("/manager/handshake-reconnect-cancel", test_handshake_reconnect_cancel);

  return g_test_run ();
}
