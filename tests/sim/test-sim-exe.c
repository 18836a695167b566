/* test-sim-exe.c — the lablink-sim executable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "sim-test-util.h"

static const char *
sim_path (void)
{
  const char *path = g_getenv ("LABLINK_SIM");

  if (path == NULL || *path == '\0')
    g_test_skip ("LABLINK_SIM is not set (run through meson test)");
  return path;
}

typedef struct {
  gboolean done;
  gboolean ok;
} WaitData;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  WaitData *data = user_data;

  data->ok = g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  data->done = TRUE;
}

static gboolean
wait_done (gpointer data)
{
  return ((WaitData *) data)->done;
}

static void
test_url_and_sigterm (void)
{
  static const char * const args[] = { "--seed", "7", NULL };
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(HttpResult) info = NULL;
  g_autoptr(WsFrame) frame = NULL;
  g_autoptr(TestSim) sim = NULL;
  WsClient *client;

  if (sim_path () == NULL)
    return;

  sim = test_sim_spawn (args);
  g_test_message ("lablink-sim serves %s", test_sim_get_url (sim));
  g_assert_true (g_regex_match_simple ("^http://127\\.0\\.0\\.1:[0-9]+$", test_sim_get_url (sim), 0, 0));

  session = test_session_new ();
  info = http_request (session, "GET", test_sim_get_url (sim), "/api", NULL);
  g_assert_cmpuint (info->status, ==, 200);
  g_assert_false (json_object_get_boolean_member (http_result_object (info), "security_enabled"));

  client = ws_connect (session, test_sim_get_url (sim), NULL, NULL);
  g_assert_nonnull (client);
  ws_send (client, "{\"type\": \"start_stream\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", \"interval_ms\": 100}");
  frame = ws_wait_type (client, "stream_data", "ps_250e6dfe", TEST_TIMEOUT_MS);
  g_assert_nonnull (frame);

  /* SIGTERM: a clean stop, exit 0, clients told "going away" */
  g_assert_cmpint (test_sim_stop (sim, SIGTERM), ==, 0);
  g_assert_true (ws_wait_closed (client, TEST_TIMEOUT_MS));
  g_test_message ("client closed with %u", client->close_code);
  g_assert_cmpuint (client->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  ws_client_free (client);
  soup_session_abort (session);
}

static void
test_options_and_sigint (void)
{
  static const char * const args[] = { "--lablink-compat", "--auth", "admin:pw", "--latency-ms", "1", NULL };
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(HttpResult) info = NULL;
  g_autoptr(HttpResult) snapshot = NULL;
  g_autoptr(TestSim) sim = NULL;
  guint status = 0;

  if (sim_path () == NULL)
    return;

  sim = test_sim_spawn (args);
  session = test_session_new ();
  info = http_request (session, "GET", test_sim_get_url (sim), "/api", NULL);
  g_assert_true (json_object_get_boolean_member (http_result_object (info), "security_enabled"));
  g_assert_null (ws_connect (session, test_sim_get_url (sim), NULL, &status));
  g_assert_cmpuint (status, ==, 403);
  /* compat: no inline samples */
  snapshot = http_request (session, "GET", test_sim_get_url (sim), "/api/data/scope_386959fc/snapshot?data_type=waveform", NULL);
  g_assert_cmpuint (snapshot->status, ==, 200);
  g_assert_null (strstr (snapshot->body, "voltage_data"));

  g_assert_cmpint (test_sim_stop (sim, SIGINT), ==, 0);
  soup_session_abort (session);
}

static void
test_bad_options (void)
{
  static const char * const bad[][3] = {
    { "--port", "70000", NULL },
    { "--auth", "no-colon", NULL },
    { "--hostile-kinds", "nonsense", NULL },
    { "--no-such-option", NULL, NULL },
  };
  guint i;

  if (sim_path () == NULL)
    return;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GSubprocess) process = NULL;
      const char *argv[5] = { sim_path (), bad[i][0], bad[i][1], bad[i][2], NULL };

      WaitData data = { 0 };

      process = test_spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      g_subprocess_wait_async (process, NULL, wait_cb, &data);
      if (!test_wait_until (wait_done, &data, TEST_TIMEOUT_MS))
        {
          g_subprocess_force_exit (process);
          g_subprocess_wait (process, NULL, NULL);
          g_assert_not_reached ();
        }
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/exe/url-and-sigterm", test_url_and_sigterm);
  g_test_add_func ("/sim/exe/options-and-sigint", test_options_and_sigint);
  g_test_add_func ("/sim/exe/bad-options", test_bad_options);

  return g_test_run ();
}
