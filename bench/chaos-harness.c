/* chaos-harness.c — what bench/chaos stands on: turning the main loop with
 * a bound, the lablink-sim process (start, restart on the same port, kill),
 * its REST routes, and failures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#include "chaos-private.h"

static gboolean
on_expired (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
run_for (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, on_expired, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

/* Turns the main loop until @condition holds or @timeout_ms passed. */
gboolean
run_until (Condition condition,
           gpointer  data,
           guint     timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, on_expired, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return condition (data);
}

gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

void
fail (Chaos      *chaos,
      const char *format,
      ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("chaos: FAILURE: %s\n", message);
  g_ptr_array_add (chaos->failures, message);
}

void
harness_error (const char *what,
               GError     *error)
{
  g_printerr ("chaos: %s: %s\n", what, error ? error->message : "timed out");
  exit (2);
}

/* ------------------------------------------------------------------ */
/* the simulator                                                       */

static void
die_with_parent (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

static void
line_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  char **line = user_data;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  if (*line == NULL)
    *line = g_strdup ("");
}

static gboolean
line_ready (gpointer data)
{
  return *(char **) data != NULL;
}

void
sim_stop (Chaos *chaos,
          int    signum)
{
  if (chaos->sim == NULL)
    return;
  g_subprocess_send_signal (chaos->sim, signum);
  g_subprocess_wait (chaos->sim, NULL, NULL);
  g_clear_object (&chaos->sim_out);
  g_clear_object (&chaos->sim);
}

/* Starts the simulator on @port (0: a free one); TRUE once it printed its
 * URL. A port still held by the killed process is retried for 10 s. */
gboolean
sim_start (Chaos  *chaos,
           guint   port,
           GError **error)
{
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (TRUE)
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autofree char *port_text = g_strdup_printf ("%u", port);
      g_autofree char *line = NULL;
      const char *argv[] = { chaos->sim_path, "--address", "127.0.0.1", "--port", port_text, NULL };
      GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE;

      if (!chaos->verbose)
        flags |= G_SUBPROCESS_FLAGS_STDERR_SILENCE;
      launcher = g_subprocess_launcher_new (flags);
      g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
      chaos->sim = g_subprocess_launcher_spawnv (launcher, argv, error);
      if (chaos->sim == NULL)
        return FALSE;
      chaos->sim_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (chaos->sim));
      g_data_input_stream_read_line_async (chaos->sim_out, G_PRIORITY_DEFAULT, cancellable, line_cb, &line);
      if (!run_until (line_ready, &line, START_TIMEOUT_MS))
        {
          g_cancellable_cancel (cancellable);
          run_until (line_ready, &line, START_TIMEOUT_MS);
        }
      if (line != NULL && g_str_has_prefix (line, "http://127.0.0.1:"))
        {
          g_free (chaos->url);
          chaos->url = g_strchomp (g_steal_pointer (&line));
          chaos->port = (guint) g_ascii_strtoull (strrchr (chaos->url, ':') + 1, NULL, 10);
          return TRUE;
        }
      sim_stop (chaos, SIGKILL);
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "lablink-sim did not start on port %u", port);
          return FALSE;
        }
      run_for (100);
    }
}

/* A REST call on the control client; NULL (and @error) on failure. */
JsonNode *
rest (Chaos       *chaos,
      const char  *method,
      const char  *path,
      const char  *body_json,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (body_json != NULL && (body = json_from_string (body_json, error)) == NULL)
    return NULL;
  lablink_client_request_async (chaos->control, method, path, body, NULL, store_result, &result);
  if (!run_until (result_ready, &result, (REST_TIMEOUT_S + 5) * 1000))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s %s timed out", method, path);
      return NULL;
    }
  return lablink_client_request_finish (chaos->control, result, error);
}

LablinkClient *
new_client (Chaos *chaos)
{
  g_autoptr(GError) error = NULL;
  LablinkClient *client = lablink_client_new (chaos->url, &error);

  if (client == NULL)
    harness_error ("client", error);
  lablink_client_set_timeout (client, REST_TIMEOUT_S);
  return client;
}

