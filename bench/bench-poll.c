/* bench-poll.c — the polling fallback's rate (issue 8, failure 5)
 *
 * Starts lablink-sim with silent readings streams (the released LabLink
 * 1.2.5's bug), runs 1 and then 4 equipment streams at 100 ms through a
 * LablinkStreamManager, and prints the polled values per second of each
 * stream over a 20 s window (after the fallback started). Run by hand:
 *
 *   build/bench/bench-poll [SECONDS]
 *
 * LABLINK_SIM overrides the simulator's path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>
#include <stdlib.h>

static const char *streams[][2] = {
  { "ps_250e6dfe", "readings" },
  { "load_47fa0d5c", "readings" },
  { "scope_386959fc", "measurements" },
  { "scope_386959fc", "waveform" },
};

typedef struct {
  guint counts[G_N_ELEMENTS (streams)];
  gboolean counting;
} Counts;

static void
on_data (LablinkStreamManager *manager,
         LablinkMessage       *message,
         Counts               *c)
{
  const char *key = lablink_message_get_stream_key (message);
  gboolean polled = FALSE;
  guint i;

  if (!c->counting || !lablink_message_get_boolean (message, "polled", &polled) || !polled)
    return;
  for (i = 0; i < G_N_ELEMENTS (streams); i++)
    {
      g_autofree char *k = lablink_protocol_stream_key (streams[i][0], streams[i][1]);
      if (g_strcmp0 (k, key) == 0)
        c->counts[i]++;
    }
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (double seconds)
{
  gboolean done = FALSE;

  g_timeout_add ((guint) (seconds * 1000), quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GError) error = NULL;

  if (!lablink_stream_manager_connect_finish (LABLINK_STREAM_MANAGER (source), result, &error))
    g_error ("connect: %s", error->message);
  *(gboolean *) data = TRUE;
}

static void
bench (const char *url,
       guint       n_streams,
       double      seconds)
{
  g_autoptr(LablinkClient) client = lablink_client_new (url, NULL);
  g_autoptr(LablinkStreamManager) manager = lablink_stream_manager_new (client);
  Counts c = { { 0 }, FALSE };
  gboolean connected = FALSE;
  guint i;

  g_signal_connect (manager, "stream-data", G_CALLBACK (on_data), &c);
  lablink_stream_manager_connect_async (manager, NULL, connected_cb, &connected);
  while (!connected)
    g_main_context_iteration (NULL, TRUE);

  for (i = 0; i < n_streams; i++)
    {
      g_autoptr(GError) error = NULL;
      if (!lablink_stream_manager_start_equipment_stream (manager, streams[i][0], streams[i][1], 100, &error))
        g_error ("start: %s", error->message);
    }

  run_for (2.0);   /* three silent intervals, then polling */
  c.counting = TRUE;
  run_for (seconds);
  c.counting = FALSE;

  for (i = 0; i < n_streams; i++)
    {
      g_autofree char *key = lablink_protocol_stream_key (streams[i][0], streams[i][1]);
      g_print ("%u stream(s) at 100 ms: %-30s %5.1f polled values/s\n", n_streams, key, c.counts[i] / seconds);
    }
  lablink_stream_manager_disconnect (manager);
}

int
main (int    argc,
      char **argv)
{
  const char *sim = g_getenv ("LABLINK_SIM") ? g_getenv ("LABLINK_SIM") : LABLINK_SIM_PATH;
  const char *sim_argv[] = { sim, "--address", "127.0.0.1", "--port", "0",
                             "--silent-streams", "readings,measurements,waveform", NULL };
  double seconds = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 20.0;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (seconds <= 0)
    seconds = 20.0;

  child = g_subprocess_newv (sim_argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (child == NULL)
    g_error ("Cannot run %s: %s", sim, error->message);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  url = g_data_input_stream_read_line (in, NULL, NULL, &error);
  if (url == NULL || !g_str_has_prefix (url, "http://127.0.0.1:"))
    g_error ("lablink-sim printed no URL");

  bench (url, 1, seconds);
  bench (url, 4, seconds);

  g_subprocess_force_exit (child);
  return EXIT_SUCCESS;
}
