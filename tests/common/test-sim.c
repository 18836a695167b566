/* test-sim.c — lablink-sim (and other helper programs) as children of a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <sys/prctl.h>
#include <signal.h>
#include <string.h>

#include "test-common.h"

struct _TestSim
{
  GSubprocess *process;
  GStrv        args;
  char        *url;
  guint        port;
};

static void
die_with_parent (gpointer data)
{
  /* A test that aborts must not leave children behind holding its output
   * open (the test runner waits for that to close). */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

GSubprocess *
test_spawn (const char * const *argv,
            GSubprocessFlags    flags)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  child = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return child;
}

static void
start (TestSim *sim,
       guint    port)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) in = NULL;
  const char *exe = g_getenv ("LABLINK_SIM");
  char *line;
  guint i;

  if (exe == NULL || *exe == '\0')
    g_error ("LABLINK_SIM is not set (run the tests through meson test)");
  g_ptr_array_add (argv, g_strdup (exe));
  g_ptr_array_add (argv, g_strdup ("--address"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", port));
  for (i = 0; sim->args && sim->args[i]; i++)
    g_ptr_array_add (argv, g_strdup (sim->args[i]));
  g_ptr_array_add (argv, NULL);

  sim->process = test_spawn ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  line = test_read_line (in);
  if (line == NULL)
    g_error ("lablink-sim printed no URL");
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:") || g_str_has_prefix (line, "https://127.0.0.1:"));

  g_free (sim->url);
  sim->url = line;
  sim->port = (guint) g_ascii_strtoull (strrchr (sim->url, ':') + 1, NULL, 10);
  g_assert_cmpuint (sim->port, >, 0);
  if (port != 0)
    g_assert_cmpuint (sim->port, ==, port);
}

TestSim *
test_sim_spawn (const char * const *extra_args)
{
  TestSim *sim = g_new0 (TestSim, 1);

  sim->args = g_strdupv ((char **) extra_args);
  start (sim, 0);
  return sim;
}

const char *
test_sim_get_url (TestSim *sim)
{
  return sim->url;
}

guint
test_sim_get_port (TestSim *sim)
{
  return sim->port;
}

GSubprocess *
test_sim_get_process (TestSim *sim)
{
  return sim->process;
}

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) data = TRUE;
}

/* Waits for the exit on a private context (the caller's sources stay put);
 * SIGKILL after @timeout_ms, longer than a healthy process ever takes. */
static void
wait_exit_keep (TestSim *sim,
                guint    timeout_ms)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  gboolean exited = FALSE;

  g_main_context_push_thread_default (context);
  g_subprocess_wait_async (sim->process, NULL, exited_cb, &exited);
  test_wait_for_flag (&exited, timeout_ms);
  if (!exited)
    {
      g_test_message ("lablink-sim did not exit within %u s: killing it", timeout_ms / 1000);
      g_subprocess_force_exit (sim->process);
      test_wait_for_flag (&exited, TEST_TIMEOUT_MS);
    }
  g_main_context_pop_thread_default (context);
  g_assert_true (exited);
}

/* For clean-up: a shorter wait before the SIGKILL. */
static void
wait_exit (TestSim *sim)
{
  wait_exit_keep (sim, TEST_TIMEOUT_MS / 4);
  g_clear_object (&sim->process);
}

int
test_sim_stop (TestSim *sim,
               int      signum)
{
  int status;

  g_assert_nonnull (sim->process);
  g_subprocess_send_signal (sim->process, signum);
  g_subprocess_send_signal (sim->process, SIGCONT);
  wait_exit_keep (sim, TEST_TIMEOUT_MS);
  status = g_subprocess_get_if_exited (sim->process) ? g_subprocess_get_exit_status (sim->process) : -1;
  g_clear_object (&sim->process);
  return status;
}

void
test_sim_kill (TestSim *sim)
{
  if (sim->process == NULL)
    return;
  g_subprocess_send_signal (sim->process, SIGKILL);
  wait_exit (sim);
}

void
test_sim_signal (TestSim *sim,
                 int      signum)
{
  g_assert_nonnull (sim->process);
  g_subprocess_send_signal (sim->process, signum);
}

void
test_sim_restart (TestSim *sim)
{
  g_assert_null (sim->process);
  start (sim, sim->port);
}

void
test_sim_free (TestSim *sim)
{
  if (sim == NULL)
    return;
  if (sim->process)
    {
      g_subprocess_send_signal (sim->process, SIGTERM);
      g_subprocess_send_signal (sim->process, SIGCONT);
      wait_exit (sim);
    }
  g_strfreev (sim->args);
  g_free (sim->url);
  g_free (sim);
}

/* A blocking REST call for test set-up. */
JsonNode *
test_sim_rest (TestSim    *sim,
               const char *method,
               const char *path,
               const char *body,
               guint      *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (sim->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *data;
  gsize len;

  g_assert_nonnull (msg);
  if (body)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (status)
    *status = soup_message_get_status (msg);

  data = g_bytes_get_data (response, &len);
  if (len == 0 || !json_parser_load_from_data (parser, data, (gssize) len, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

JsonNode *
test_sim_rest_ok (TestSim    *sim,
                  const char *method,
                  const char *path,
                  const char *body)
{
  guint status = 0;
  JsonNode *answer = test_sim_rest (sim, method, path, body, &status);

  g_assert_cmpuint (status, >=, 200);
  g_assert_cmpuint (status, <, 300);
  g_assert_nonnull (answer);
  return answer;
}

