/* test-discovery.c — LablinkDiscovery against a real avahi-daemon
 *
 * The test moves into a private network namespace with only `lo` first
 * (test-avahi.h): the private avahi-daemon it starts, on a private system
 * bus, sees no other interface, so no mDNS packet leaves the namespace.
 * There, `lablink-sim --announce` must appear in the model with its ports
 * and TXT fields, and disappear when it exits (SIGTERM: the service is
 * withdrawn; SIGKILL: the daemon withdraws it when the client's bus
 * connection closes). Without a daemon (no bus; a bus without Avahi) the
 * model is empty and says discovery is unavailable, and it becomes
 * available when a daemon appears. lablink-cli discover lists what the
 * model has, or fails with the reason. Skipped with the reason where the
 * machine allows no namespace or has no avahi-daemon / dbus-daemon.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <lablink.h>

#include "test-avahi.h"
#include "test-common.h"

/* The private system bus of this process (libdbus reads the address once
 * per process, so there is one for all tests), or why there is none. */
static TestAvahi *bus;
static char *no_bus_reason;

static LablinkDiscoveredServer *
find_server (LablinkDiscovery *discovery,
             const char       *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (discovery));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LablinkDiscoveredServer) server = g_list_model_get_item (G_LIST_MODEL (discovery), i);

      if (g_strcmp0 (lablink_discovered_server_get_name (server), name) == 0)
        return server;   /* the model keeps a reference */
    }
  return NULL;
}

static void
assert_unavailable (LablinkDiscovery *discovery,
                    gint              code)
{
  const GError *error = lablink_discovery_get_error (discovery);

  g_assert_false (lablink_discovery_get_available (discovery));
  g_assert_nonnull (error);
  g_test_message ("unavailable: %s", error->message);
  g_assert_error ((GError *) error, LABLINK_DISCOVERY_ERROR, code);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (discovery)), ==, 0);
}

/* No system bus at all: unavailable at once, with a clear message. (In a
 * process of its own: libdbus reads the bus address once per process.) */
static void
test_no_bus (void)
{
  g_autoptr(LablinkDiscovery) discovery = NULL;
  GError *error = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  test_avahi_no_bus ();
  discovery = lablink_discovery_new ();
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (discovery)) == LABLINK_TYPE_DISCOVERED_SERVER);
#ifdef HAVE_AVAHI
  assert_unavailable (discovery, LABLINK_DISCOVERY_ERROR_NO_DAEMON);
  g_assert_nonnull (strstr (lablink_discovery_get_error (discovery)->message, "no Avahi daemon"));
#else
  assert_unavailable (discovery, LABLINK_DISCOVERY_ERROR_UNSUPPORTED);
#endif
  /* …and it stays so, quietly. */
  test_run_for (200);
  g_object_get (discovery, "error", &error, NULL);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (lablink_discovery_get_available (discovery));
}

/* A bus without Avahi: unavailable; when a daemon starts, available; when
 * it stops, unavailable again, and available with the next one. */
static void
test_daemon_comes_and_goes (void)
{
  g_autoptr(LablinkDiscovery) discovery = NULL;
  g_autofree char *reason = NULL;

#ifndef HAVE_AVAHI
  g_test_skip ("built without Avahi");
  return;
#endif

  if (bus == NULL)
    {
      g_test_skip (no_bus_reason);
      return;
    }
  discovery = lablink_discovery_new ();
  assert_unavailable (discovery, LABLINK_DISCOVERY_ERROR_NO_DAEMON);

  if (!test_avahi_start_daemon (bus, &reason))
    {
      g_test_skip (reason);
      return;
    }
  TEST_ASSERT_EVENTUALLY (lablink_discovery_get_available (discovery));
  g_assert_null (lablink_discovery_get_error (discovery));

  test_avahi_stop_daemon (bus);
  TEST_ASSERT_EVENTUALLY (!lablink_discovery_get_available (discovery));
  assert_unavailable (discovery, LABLINK_DISCOVERY_ERROR_NO_DAEMON);

  /* …and a new client waits for the next daemon. */
  g_clear_pointer (&reason, g_free);
  g_assert_true (test_avahi_start_daemon (bus, &reason));
  TEST_ASSERT_EVENTUALLY (lablink_discovery_get_available (discovery));
  test_avahi_stop_daemon (bus);
  TEST_ASSERT_EVENTUALLY (!lablink_discovery_get_available (discovery));
}

static void
check_sim (LablinkDiscoveredServer *server,
           TestSim                 *sim)
{
  guint port = test_sim_get_port (sim);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);

  g_test_message ("found %s: %s (host %s, version %s, hostname %s)",
                  lablink_discovered_server_get_name (server), lablink_discovered_server_get_url (server),
                  lablink_discovered_server_get_host (server), lablink_discovered_server_get_version (server),
                  lablink_discovered_server_get_hostname (server));
  g_assert_cmpstr (lablink_discovered_server_get_address (server), ==, "127.0.0.1");
  g_assert_cmpstr (lablink_discovered_server_get_host (server), ==, "lablink-test.local");
  g_assert_cmpuint (lablink_discovered_server_get_port (server), ==, port);
  g_assert_cmpuint (lablink_discovered_server_get_api_port (server), ==, port);
  g_assert_cmpuint (lablink_discovered_server_get_ws_port (server), ==, port);
  g_assert_cmpstr (lablink_discovered_server_get_version (server), ==, "1.2.5");
  g_assert_cmpstr (lablink_discovered_server_get_hostname (server), ==, g_get_host_name ());
  g_assert_cmpstr (lablink_discovered_server_get_url (server), ==, url);
}

/* lablink-cli ARGS…: its exit status, stdout and stderr. */
static int
run_cli (char       **out,
         char       **err,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) LABLINK_CLI_PATH);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = test_spawn ((const char * const *) argv->pdata,
                        G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

/* The simulator announces itself; it is found, then gone when it exits. */
static void
test_announced_sim (void)
{
  g_autoptr(LablinkDiscovery) discovery = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(TestSim) sim = NULL;
  g_autoptr(TestSim) second = NULL;
  g_autofree char *default_name = g_strdup_printf ("LabLink Simulator on %s", g_get_host_name ());
  LablinkDiscoveredServer *server;

#ifndef HAVE_AVAHI
  g_test_skip ("built without Avahi");
  return;
#endif
  if (bus == NULL || !test_avahi_start_daemon (bus, &reason))
    {
      g_test_skip (bus == NULL ? no_bus_reason : reason);
      return;
    }
  discovery = lablink_discovery_new ();
  TEST_ASSERT_EVENTUALLY (lablink_discovery_get_available (discovery));

  sim = test_sim_spawn ((const char *[]) { "--announce", "--announce-name", "LabLink Test Bench", NULL });
  TEST_ASSERT_EVENTUALLY (find_server (discovery, "LabLink Test Bench") != NULL);
  check_sim (find_server (discovery, "LabLink Test Bench"), sim);

  /* A second one, under the default name, sorts before it. */
  second = test_sim_spawn ((const char *[]) { "--announce", NULL });
  TEST_ASSERT_EVENTUALLY (find_server (discovery, default_name) != NULL);
  check_sim (find_server (discovery, default_name), second);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (discovery)), ==, 2);
  {
    g_autoptr(LablinkDiscoveredServer) first = g_list_model_get_item (G_LIST_MODEL (discovery), 0);
    g_autoptr(LablinkDiscoveredServer) last = g_list_model_get_item (G_LIST_MODEL (discovery), 1);

    g_assert_cmpint (g_utf8_collate (lablink_discovered_server_get_name (first),
                                     lablink_discovered_server_get_name (last)), <, 0);
  }

  /* lablink-cli discover lists both. */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonArray *array;

    g_assert_cmpint (run_cli (&out, &err, "discover", "--timeout", "2", NULL), ==, 0);
    g_test_message ("lablink-cli discover:\n%s", out);
    g_assert_true (g_str_has_prefix (out, "NAME "));
    g_assert_nonnull (strstr (out, test_sim_get_url (sim)));
    g_assert_nonnull (strstr (out, test_sim_get_url (second)));
    g_assert_nonnull (strstr (out, "LabLink Test Bench"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);

    g_assert_cmpint (run_cli (&out, &err, "discover", "--timeout", "2", "--json", NULL), ==, 0);
    json_parser_load_from_data (parser, out, -1, &error);
    g_assert_no_error (error);
    array = json_node_get_array (json_parser_get_root (parser));
    g_assert_cmpuint (json_array_get_length (array), ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        JsonObject *object = json_array_get_object_element (array, i);

        g_assert_cmpstr (json_object_get_string_member (object, "version"), ==, "1.2.5");
        g_assert_cmpint (json_object_get_int_member (object, "api_port"), ==,
                         json_object_get_int_member (object, "port"));
      }
  }

  /* SIGTERM: the simulator withdraws the service. */
  g_assert_cmpint (test_sim_stop (sim, SIGTERM), ==, 0);
  TEST_ASSERT_EVENTUALLY (find_server (discovery, "LabLink Test Bench") == NULL);
  g_assert_nonnull (find_server (discovery, default_name));

  /* SIGKILL: the daemon withdraws it when the simulator's bus connection closes. */
  test_sim_kill (second);
  TEST_ASSERT_EVENTUALLY (g_list_model_get_n_items (G_LIST_MODEL (discovery)) == 0);

  server = find_server (discovery, default_name);
  g_assert_null (server);
  g_assert_true (lablink_discovery_get_available (discovery));
  test_avahi_stop_daemon (bus);
}

/* Without a daemon the simulator says on stderr that it is not announced,
 * and serves all the same; lablink-cli discover says discovery is not
 * available. */
static void
test_sim_without_daemon (void)
{
  const char *sim = g_getenv ("LABLINK_SIM");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *url = NULL;
  g_autofree char *line = NULL;
  g_autofree char *address = NULL;

  g_assert_nonnull (sim);
  /* The simulator alone sees no bus. */
  address = g_strdup (g_getenv ("DBUS_SYSTEM_BUS_ADDRESS"));
  test_avahi_no_bus ();
  process = test_spawn ((const char *[]) { sim, "--address", "127.0.0.1", "--port", "0", "--announce", NULL },
                        G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (address != NULL)
    g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", address, TRUE);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  url = test_read_line (out);
  g_assert_nonnull (url);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  while ((line = test_read_line (err)) != NULL && strstr (line, "--announce") == NULL)
    g_clear_pointer (&line, g_free);
  g_assert_nonnull (line);
  g_test_message ("%s", line);
#ifdef HAVE_AVAHI
  g_assert_nonnull (strstr (line, "no Avahi daemon"));
#else
  g_assert_nonnull (strstr (line, "built without Avahi"));
#endif
  g_assert_nonnull (strstr (line, "not announced"));
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);

  /* lablink-cli discover fails with the reason. */
  {
    g_autofree char *out_text = NULL;
    g_autofree char *err_text = NULL;
    int status;

    test_avahi_no_bus ();
    status = run_cli (&out_text, &err_text, "discover", "--timeout", "1", NULL);
    if (address != NULL)
      g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", address, TRUE);
    g_test_message ("lablink-cli discover: %s", err_text);
    g_assert_cmpint (status, ==, 1);
    g_assert_cmpstr (out_text, ==, "");
#ifdef HAVE_AVAHI
    g_assert_nonnull (strstr (err_text, "no Avahi daemon"));
#else
    g_assert_nonnull (strstr (err_text, "built without Avahi"));
#endif
  }
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything else: namespaces are per thread. */
  const char *isolation = test_avahi_isolate ();
  int status;

  g_test_init (&argc, &argv, NULL);
  if (isolation != NULL)
    g_test_message ("no private network namespace: %s", isolation);

  g_test_add_func ("/discovery/no-bus", test_no_bus);
  g_test_add_func ("/discovery/sim-without-daemon", test_sim_without_daemon);
  g_test_add_func ("/discovery/daemon-comes-and-goes", test_daemon_comes_and_goes);
  g_test_add_func ("/discovery/announced-sim", test_announced_sim);

  if (!g_test_subprocess ())
    bus = test_avahi_new_bus (&no_bus_reason);
  status = g_test_run ();
  g_clear_pointer (&bus, test_avahi_free);
  g_free (no_bus_reason);
  return status;
}
