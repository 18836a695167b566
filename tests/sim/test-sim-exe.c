/* test-sim-exe.c — the lablink-sim executable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "sim-test-util.h"

typedef struct {
  GSubprocess      *process;
  GDataInputStream *stdout_data;
  char             *url;
} SimProcess;

typedef struct {
  gboolean  done;
  char     *line;
  GError   *error;
} LineData;

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineData *data = user_data;

  data->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &data->error);
  data->done = TRUE;
}

static gboolean
line_done (gpointer data)
{
  return ((LineData *) data)->done;
}

static const char *
sim_path (void)
{
  const char *path = g_getenv ("LABLINK_SIM");

  if (path == NULL || *path == '\0')
    g_test_skip ("LABLINK_SIM is not set (run through meson test)");
  return path;
}

/* Starts lablink-sim and reads the first line of its stdout, bounded. */
static SimProcess *
sim_process_start (const char * const *extra_args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  SimProcess *sp = g_new0 (SimProcess, 1);
  LineData data = { 0 };
  guint i;

  g_ptr_array_add (argv, (gpointer) sim_path ());
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  for (i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  sp->process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  sp->stdout_data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sp->process));

  g_data_input_stream_read_line_async (sp->stdout_data, G_PRIORITY_DEFAULT, NULL, read_line_cb, &data);
  g_assert_true (iterate_until (line_done, &data, SIM_TEST_TIMEOUT_MS));
  g_assert_no_error (data.error);
  g_assert_nonnull (data.line);
  sp->url = data.line;
  return sp;
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

/* Sends @signum and waits (bounded) for the exit; returns the exit status. */
static int
sim_process_signal_and_wait (SimProcess *sp,
                             int         signum)
{
  WaitData data = { 0 };

  g_subprocess_send_signal (sp->process, signum);
  g_subprocess_wait_async (sp->process, NULL, wait_cb, &data);
  if (!iterate_until (wait_done, &data, SIM_TEST_TIMEOUT_MS))
    {
      g_subprocess_force_exit (sp->process);
      g_subprocess_wait (sp->process, NULL, NULL);
      g_assert_not_reached ();
    }
  g_assert_true (g_subprocess_get_if_exited (sp->process));
  return g_subprocess_get_exit_status (sp->process);
}

static void
sim_process_free (SimProcess *sp)
{
  if (sp == NULL)
    return;
  if (g_subprocess_get_identifier (sp->process) != NULL)
    {
      g_subprocess_force_exit (sp->process);
      g_subprocess_wait (sp->process, NULL, NULL);
    }
  g_clear_object (&sp->stdout_data);
  g_clear_object (&sp->process);
  g_free (sp->url);
  g_free (sp);
}

static void
test_url_and_sigterm (void)
{
  static const char * const args[] = { "--seed", "7", NULL };
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(HttpResult) info = NULL;
  g_autoptr(WsFrame) frame = NULL;
  SimProcess *sp;
  WsClient *client;

  if (sim_path () == NULL)
    return;

  sp = sim_process_start (args);
  g_test_message ("lablink-sim serves %s", sp->url);
  g_assert_true (g_regex_match_simple ("^http://127\\.0\\.0\\.1:[0-9]+$", sp->url, 0, 0));

  session = test_session_new ();
  info = http_request (session, "GET", sp->url, "/api", NULL);
  g_assert_cmpuint (info->status, ==, 200);
  g_assert_false (json_object_get_boolean_member (http_result_object (info), "security_enabled"));

  client = ws_connect (session, sp->url, NULL, NULL);
  g_assert_nonnull (client);
  ws_send (client, "{\"type\": \"start_stream\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", \"interval_ms\": 100}");
  frame = ws_wait_type (client, "stream_data", "ps_250e6dfe", SIM_TEST_TIMEOUT_MS);
  g_assert_nonnull (frame);

  /* SIGTERM: a clean stop, exit 0, clients told "going away" */
  g_assert_cmpint (sim_process_signal_and_wait (sp, SIGTERM), ==, 0);
  g_assert_true (ws_wait_closed (client, SIM_TEST_TIMEOUT_MS));
  g_test_message ("client closed with %u", client->close_code);
  g_assert_cmpuint (client->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  ws_client_free (client);
  soup_session_abort (session);
  sim_process_free (sp);
}

static void
test_options_and_sigint (void)
{
  static const char * const args[] = { "--lablink-compat", "--auth", "admin:pw", "--latency-ms", "1", NULL };
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(HttpResult) info = NULL;
  g_autoptr(HttpResult) snapshot = NULL;
  SimProcess *sp;
  guint status = 0;

  if (sim_path () == NULL)
    return;

  sp = sim_process_start (args);
  session = test_session_new ();
  info = http_request (session, "GET", sp->url, "/api", NULL);
  g_assert_true (json_object_get_boolean_member (http_result_object (info), "security_enabled"));
  g_assert_null (ws_connect (session, sp->url, NULL, &status));
  g_assert_cmpuint (status, ==, 403);
  /* compat: no inline samples */
  snapshot = http_request (session, "GET", sp->url, "/api/data/scope_386959fc/snapshot?data_type=waveform", NULL);
  g_assert_cmpuint (snapshot->status, ==, 200);
  g_assert_null (strstr (snapshot->body, "voltage_data"));

  g_assert_cmpint (sim_process_signal_and_wait (sp, SIGINT), ==, 0);
  soup_session_abort (session);
  sim_process_free (sp);
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
      g_autoptr(GError) error = NULL;
      const char *argv[5] = { sim_path (), bad[i][0], bad[i][1], bad[i][2], NULL };

      WaitData data = { 0 };

      process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
      g_assert_no_error (error);
      g_subprocess_wait_async (process, NULL, wait_cb, &data);
      if (!iterate_until (wait_done, &data, SIM_TEST_TIMEOUT_MS))
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
