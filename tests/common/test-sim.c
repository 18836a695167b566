/* test-sim.c — helpers for tests that talk to a lablink-sim process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <sys/prctl.h>
#include <signal.h>
#include <string.h>

#include "test-sim.h"

struct _TestSim
{
  GSubprocess *process;
  GStrv        args;
  char        *url;
  guint        port;
};

typedef struct {
  GDataInputStream *in;
  char             *line;
  gboolean          done;
} LineRead;

static void
line_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  LineRead *read = data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  read->done = TRUE;
}

static gboolean
line_done (gpointer data)
{
  return ((LineRead *) data)->done;
}

static void
die_with_parent (gpointer data)
{
  /* A test that aborts must not leave simulators behind. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
start (TestSim *sim,
       guint    port)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const char *exe = g_getenv ("LABLINK_SIM");
  LineRead read = { 0 };
  guint i;

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, g_strdup (exe));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", port));
  for (i = 0; sim->args && sim->args[i]; i++)
    g_ptr_array_add (argv, g_strdup (sim->args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, NULL, line_cb, &read);
  g_assert_true (test_wait_until (line_done, &read, 10000));
  g_assert_nonnull (read.line);
  g_assert_true (g_str_has_prefix (read.line, "http://127.0.0.1:"));

  g_free (sim->url);
  sim->url = g_strchomp (read.line);
  sim->port = (guint) g_ascii_strtoull (strrchr (sim->url, ':') + 1, NULL, 10);
  g_assert_cmpuint (sim->port, >, 0);
}

/**
 * test_sim_spawn:
 * @extra_args: (nullable): more lablink-sim options
 *
 * Starts lablink-sim (from $LABLINK_SIM) on 127.0.0.1 with a free port.
 */
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

static void
wait_exit (TestSim *sim)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait (sim->process, NULL, &error);
  g_clear_object (&sim->process);
}

/* SIGKILL, as a crash or a power cut would. */
void
test_sim_kill (TestSim *sim)
{
  if (sim->process == NULL)
    return;
  g_subprocess_send_signal (sim->process, SIGKILL);
  wait_exit (sim);
}

/* SIGSTOP makes a link that is up but dead; SIGCONT revives it. */
void
test_sim_signal (TestSim *sim,
                 int      signum)
{
  g_assert_nonnull (sim->process);
  g_subprocess_send_signal (sim->process, signum);
}

/* Starts the simulator again on the same port. */
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

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the thread-default main context until @condition holds or
 * @timeout_ms passed. */
gboolean
test_wait_until (TestCondition condition,
                 gpointer      data,
                 guint         timeout_ms)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean timed_out = FALSE;
  GSource *timeout = g_timeout_source_new (timeout_ms);
  gboolean ok;

  g_source_set_callback (timeout, timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);

  while (!(ok = condition (data)) && !timed_out)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);
  g_source_unref (timeout);
  return ok;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
test_run_for (guint ms)
{
  test_wait_until (never, NULL, ms);
}
