/* test-manager-tls.c — LablinkStreamManager over wss:// to lablink-sim with a pinned certificate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>
#include <string.h>
#include <unistd.h>

#include "test-common.h"

#define PSU "ps_250e6dfe"

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} Async;

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Async *a = data;

  a->ok = lablink_stream_manager_connect_finish (LABLINK_STREAM_MANAGER (source), result, &a->error);
  a->done = TRUE;
}

static gboolean
connect_manager (LablinkStreamManager  *manager,
                 GError               **error)
{
  Async a = { 0 };

  lablink_stream_manager_connect_async (manager, NULL, connect_cb, &a);
  g_assert_true (test_wait_for_flag (&a.done, TEST_TIMEOUT_MS));
  if (a.error)
    g_propagate_error (error, a.error);
  return a.ok;
}

static void
on_stream_data (LablinkStreamManager *manager,
                LablinkMessage       *message,
                guint                *count)
{
  (*count)++;
}

static TestSim *
spawn_tls_sim (const char *name)
{
  g_autofree char *pem_name = g_strconcat (name, ".pem", NULL);
  g_autofree char *key_name = g_strconcat (name, ".key", NULL);
  g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "data", "tls", pem_name, NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "data", "tls", key_name, NULL);
  const char *args[] = { "--tls-cert", cert, "--tls-key", key, NULL };

  return test_sim_spawn (args);
}

static char *
fingerprint_of (const char *name)
{
  g_autofree char *pem_name = g_strconcat (name, ".pem", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "tls", pem_name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_file (path, &error);

  g_assert_no_error (error);
  return lablink_certificate_get_fingerprint (certificate);
}

/* The leak checker of GCC 12 crashes at exit on the thread-local storage of
 * the dlopen()ed TLS module (glib-networking): run in a child that _exit()s. */
static gboolean
run_in_child (void)
{
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return FALSE;
    }
  if (g_test_subprocess ())
    return TRUE;

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  return FALSE;
}

static LablinkStreamManager *
new_manager (LablinkClient *client)
{
  return g_object_new (LABLINK_TYPE_STREAM_MANAGER, "client", client,
                       "backoff-initial-ms", 100, "backoff-max-ms", 1000,
                       "ping-interval-ms", 60000, NULL);
}

/* wss:// with the certificate pinned: streams run as over ws://. */
static void
test_wss_pinned (void)
{
  g_autoptr(TestSim) sim = NULL;
  g_autoptr(LablinkClient) client = NULL;
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ws_url = NULL;
  g_autofree char *pin = NULL;
  guint count = 0;

  if (!run_in_child ())
    return;

  sim = spawn_tls_sim ("server-a");
  client = lablink_client_new (test_sim_get_url (sim), &error);
  g_assert_no_error (error);
  ws_url = lablink_client_dup_ws_url (client);
  g_assert_true (g_str_has_prefix (ws_url, "wss://127.0.0.1:"));
  pin = fingerprint_of ("server-a");
  g_assert_true (lablink_client_set_pinned_certificate (client, pin, &error));

  manager = new_manager (client);
  g_signal_connect (manager, "stream-data", G_CALLBACK (on_stream_data), &count);
  g_assert_true (connect_manager (manager, &error));
  g_assert_no_error (error);
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 100, &error));
  g_assert_no_error (error);
  TEST_ASSERT_EVENTUALLY (count >= 3);
  /* the server's clock is read over the same pinned TLS (its own session) */
  TEST_ASSERT_EVENTUALLY (lablink_client_get_server_utc_offset (client, NULL));

  lablink_stream_manager_disconnect (manager);
  _exit (0);
}

/* Without the pin, or with another one, the WebSocket is refused with the
 * fingerprint, and not retried: it would be refused again. The manager's
 * last error keeps the refusal's code. */
static void
test_wss_refused (void)
{
  g_autoptr(TestSim) sim = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pin_a = NULL;
  g_autofree char *pin_b = NULL;

  if (!run_in_child ())
    return;

  pin_a = fingerprint_of ("server-a");
  pin_b = fingerprint_of ("server-b");
  sim = spawn_tls_sim ("server-b");

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
      g_autoptr(LablinkStreamManager) manager = NULL;

      if (i == 1)
        g_assert_true (lablink_client_set_pinned_certificate (client, pin_a, NULL));
      manager = new_manager (client);
      g_assert_false (connect_manager (manager, &error));
      g_test_message ("%s", error->message);
      LablinkError expected = i == 0 ? LABLINK_ERROR_UNTRUSTED_CERTIFICATE : LABLINK_ERROR_CERTIFICATE_CHANGED;

      g_assert_error (error, LABLINK_ERROR, (int) expected);
      g_assert_nonnull (strstr (error->message, pin_b));
      if (i == 1)
        g_assert_nonnull (strstr (error->message, pin_a));
      g_clear_error (&error);

      /* final: no retry is scheduled */
      TEST_ASSERT_EVENTUALLY (lablink_stream_manager_get_state (manager) == LABLINK_CONNECTION_DISCONNECTED);
      test_run_for (300);
      g_assert_cmpint (lablink_stream_manager_get_state (manager), ==, LABLINK_CONNECTION_DISCONNECTED);
      g_assert_nonnull (strstr (lablink_stream_manager_get_last_error (manager), pin_b));

      /* the last error keeps its code, for the app to ask the user */
      error = lablink_stream_manager_dup_last_error (manager);
      g_assert_error (error, LABLINK_ERROR, (int) expected);
      g_assert_cmpstr (error->message, ==, lablink_stream_manager_get_last_error (manager));
      g_clear_error (&error);
    }

  _exit (0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manager-tls/wss-pinned", test_wss_pinned);
  g_test_add_func ("/manager-tls/wss-refused", test_wss_refused);

  return g_test_run ();
}
