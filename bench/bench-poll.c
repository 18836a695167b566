/* bench-poll.c — the polling fallback's rate and cost (issues 8 and 12)
 *
 * Starts lablink-sim with silent readings streams (the released LabLink
 * 1.2.5's bug), runs 1 and then 4 equipment streams at 100 ms through a
 * LablinkStreamManager, and prints the polled values per second of each
 * stream over a 20 s window (after the fallback started).
 *
 * Then, against a second simulator in --lablink-compat mode (no acquisition
 * frames, as 1.2.5), an acquisition of CH1+CH2 at 100 kSa/s:
 *  - windows of 100,000 samples fetched over REST, each way the library
 *    can, interleaved: the main thread's CPU per
 *    sample, the whole process's, and the longest the main loop stood still;
 *  - the stream manager polling that acquisition for SECONDS: polled
 *    samples per second, the main thread's share of a core and its longest
 *    stall.
 * The load average is printed with the figures. Run by hand:
 *
 *   build/bench/bench-poll [SECONDS] [windows]
 *
 * ("windows": only the acquisition part.)
 *
 * LABLINK_SIM overrides the simulator's path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>
#include <stdlib.h>
#include <time.h>

#include "lablink-json-private.h"

#define ACQ_RATE     100000.0
#define ACQ_WINDOW   100000
#define ACQ_ROUNDS   5

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

/* ------------------------------------------------------------------------ */
/* Acquisition windows over REST at 100 kSa/s                                */

static double
cpu_seconds (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The longest the main loop stood still: a 1 ms timeout notes the longest
 * gap between two of its dispatches. */
typedef struct {
  gint64 last;
  gint64 longest;
  guint  id;
} Stall;

static gboolean
stall_tick (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0)
    stall->longest = MAX (stall->longest, now - stall->last);
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

static void
stall_start (Stall *stall)
{
  stall->last = 0;
  stall->longest = 0;
  stall->id = g_timeout_add (1, stall_tick, stall);
}

static double
stall_stop (Stall *stall)
{
  g_clear_handle_id (&stall->id, g_source_remove);
  return stall->longest / 1000.0;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static char *
create_acquisition (LablinkClient *client)
{
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(JsonArray) channels = json_array_new ();
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  json_array_add_string_element (channels, "CH1");
  json_array_add_string_element (channels, "CH2");
  json_object_set_string_member (config, "equipment_id", "scope_386959fc");
  json_object_set_string_member (config, "name", "bench-poll");
  json_object_set_string_member (config, "mode", "continuous");
  json_object_set_double_member (config, "sample_rate", ACQ_RATE);
  json_object_set_int_member (config, "buffer_size", lablink_acquisition_plan_buffer (ACQ_RATE));
  json_object_set_array_member (config, "channels", json_array_ref (channels));

  lablink_client_create_acquisition_async (client, config, NULL, result_cb, &r1);
  id = lablink_client_create_acquisition_finish (client, wait_result (&r1), &error);
  if (id == NULL)
    g_error ("create: %s", error->message);
  lablink_client_control_acquisition_async (client, id, "start", NULL, result_cb, &r2);
  if (!lablink_client_control_acquisition_finish (client, wait_result (&r2), &error))
    g_error ("start: %s", error->message);
  return g_steal_pointer (&id);
}

typedef enum {
  FETCH_TREE,     /* the JSON tree, re-serialised for the message parser (before) */
  FETCH_WINDOW,   /* lablink_client_get_acquisition_window_async() (after) */
  N_FETCH
} Fetch;

static const char * const fetch_names[N_FETCH] = {
  "tree + text + parse (before)",
  "get_acquisition_window (after)",
};

/* One window of the @n newest samples the @way the polling fallback made
 * (before) or makes (after) a message of it; the samples it holds. */
static gsize
fetch_window (LablinkClient *client,
              const char    *id,
              guint          n,
              Fetch          way)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LablinkMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  if (way == FETCH_TREE)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GString) frame = g_string_new ("{\"type\": \"acquisition_stream\", \"acquisition_id\": ");

      lablink_client_get_acquisition_data_async (client, id, n, NULL, result_cb, &result);
      node = lablink_client_get_acquisition_data_finish (client, wait_result (&result), &error);
      if (node == NULL)
        g_error ("data: %s", error->message);
      lablink_json_append_string (frame, id);
      g_string_append (frame, ", \"polled\": true, \"data\": ");
      lablink_json_append_node (frame, json_object_get_member (json_node_get_object (node), "data"));
      g_string_append_c (frame, '}');
      message = lablink_message_parse (frame->str, (gssize) frame->len, &error);
    }
  else
    {
      lablink_client_get_acquisition_window_async (client, id, n, NULL, result_cb, &result);
      message = lablink_client_get_acquisition_window_finish (client, wait_result (&result), &error);
    }
  if (message == NULL)
    g_error ("window: %s", error->message);
  return lablink_message_get_n_samples (message);
}

static void
bench_windows (LablinkClient *client,
               const char    *id)
{
  double thread_cpu[N_FETCH] = { 0 }, process_cpu[N_FETCH] = { 0 }, longest[N_FETCH] = { 0 };
  gsize samples[N_FETCH] = { 0 };
  guint round, way;

  run_for (2.0);   /* more than a window in the server's buffer */
  fetch_window (client, id, ACQ_WINDOW, FETCH_TREE);   /* warm up */

  for (round = 0; round < ACQ_ROUNDS; round++)
    for (way = 0; way < N_FETCH; way++)
      {
        double t0 = cpu_seconds (CLOCK_THREAD_CPUTIME_ID), p0 = cpu_seconds (CLOCK_PROCESS_CPUTIME_ID);
        Stall stall;

        stall_start (&stall);
        samples[way] += fetch_window (client, id, ACQ_WINDOW, way);
        longest[way] = MAX (longest[way], stall_stop (&stall));
        thread_cpu[way] += cpu_seconds (CLOCK_THREAD_CPUTIME_ID) - t0;
        process_cpu[way] += cpu_seconds (CLOCK_PROCESS_CPUTIME_ID) - p0;
      }

  g_print ("\nwindows of %u samples (CH1+CH2) over REST, %u rounds interleaved:\n", ACQ_WINDOW, ACQ_ROUNDS);
  g_print ("%-32s %12s %12s %14s %16s\n", "", "samples", "main ns/Sa", "process ns/Sa", "longest stall ms");
  for (way = 0; way < N_FETCH; way++)
    {
      if (samples[way] == 0)
        continue;
      g_print ("%-32s %12" G_GSIZE_FORMAT " %12.0f %14.0f %16.1f\n", fetch_names[way], samples[way],
               thread_cpu[way] * 1e9 / samples[way], process_cpu[way] * 1e9 / samples[way], longest[way]);
    }
}

typedef struct {
  gboolean counting;
  guint    windows;
  guint64  samples;   /* distinct: newer than any delivered before */
  gint64   newest;
} Polled;

static void
on_acquisition_data (LablinkStreamManager *manager,
                     LablinkMessage       *message,
                     Polled               *p)
{
  gboolean polled = FALSE;
  const gint64 *times;
  gsize n = 0, i;

  if (!lablink_message_get_boolean (message, "polled", &polled) || !polled)
    return;
  times = lablink_message_get_sample_times (message, &n);
  for (i = 0; i < n; i++)
    if (times[i] > p->newest)
      {
        p->samples += p->counting;
        p->newest = times[i];
      }
  p->windows += p->counting;
}

static void
bench_manager (LablinkClient *client,
               const char    *id,
               double         seconds)
{
  g_autoptr(LablinkStreamManager) manager = lablink_stream_manager_new (client);
  g_autoptr(GError) error = NULL;
  Polled p = { FALSE, 0, 0, G_MININT64 };
  guint interval = lablink_acquisition_plan_interval (ACQ_RATE, 2);
  guint window = lablink_acquisition_plan_window (ACQ_RATE, 2);
  gboolean connected = FALSE;
  double t0, p0, wall0;
  Stall stall;

  g_signal_connect (manager, "acquisition-data", G_CALLBACK (on_acquisition_data), &p);
  lablink_stream_manager_connect_async (manager, NULL, connected_cb, &connected);
  while (!connected)
    g_main_context_iteration (NULL, TRUE);
  if (!lablink_stream_manager_start_acquisition_stream (manager, id, interval, window, &error))
    g_error ("start: %s", error->message);

  run_for (3.0 * interval / 1000.0 + 1.0);   /* silent, then polled */
  p.counting = TRUE;
  t0 = cpu_seconds (CLOCK_THREAD_CPUTIME_ID);
  p0 = cpu_seconds (CLOCK_PROCESS_CPUTIME_ID);
  wall0 = g_get_monotonic_time () / 1e6;
  stall_start (&stall);
  run_for (seconds);
  p.counting = FALSE;
  wall0 = g_get_monotonic_time () / 1e6 - wall0;

  g_print ("\nthe manager polling it (%u ms, %u samples a window) for %.0f s:\n", interval, window, seconds);
  g_print ("  %.0f new samples/s in %.1f windows/s; main thread %.1f %% of a core, process %.1f %%, "
           "longest main-loop stall %.1f ms\n",
           p.samples / wall0, p.windows / wall0, 100 * (cpu_seconds (CLOCK_THREAD_CPUTIME_ID) - t0) / wall0,
           100 * (cpu_seconds (CLOCK_PROCESS_CPUTIME_ID) - p0) / wall0, stall_stop (&stall));
  if (p.samples > 0)
    g_print ("  main thread %.0f ns per new sample\n",
             (cpu_seconds (CLOCK_THREAD_CPUTIME_ID) - t0) * 1e9 / p.samples);
  lablink_stream_manager_disconnect (manager);
}

static char *
start_sim (const char * const *args,
           GSubprocess       **out)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  const char *sim = g_getenv ("LABLINK_SIM") ? g_getenv ("LABLINK_SIM") : LABLINK_SIM_PATH;
  char *url;

  g_ptr_array_add (argv, (gpointer) sim);
  for (; *args != NULL; args++)
    g_ptr_array_add (argv, (gpointer) *args);
  g_ptr_array_add (argv, NULL);
  *out = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (*out == NULL)
    g_error ("Cannot run %s: %s", sim, error->message);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (*out));
  url = g_data_input_stream_read_line (in, NULL, NULL, &error);
  if (url == NULL || !g_str_has_prefix (url, "http://127.0.0.1:"))
    g_error ("lablink-sim printed no URL");
  return url;
}

static void
print_load (const char *when)
{
  g_autofree char *loadavg = NULL;

  g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL);
  g_print ("load average %s: %s", when, loadavg != NULL ? loadavg : "?\n");
}

int
main (int    argc,
      char **argv)
{
  const char *silent_args[] = { "--address", "127.0.0.1", "--port", "0",
                                "--silent-streams", "readings,measurements,waveform", NULL };
  const char *compat_args[] = { "--address", "127.0.0.1", "--port", "0", "--lablink-compat", NULL };
  double seconds = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 20.0;
  gboolean windows_only = argc > 2 && g_strcmp0 (argv[2], "windows") == 0;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GSubprocess) compat = NULL;
  g_autoptr(LablinkClient) client = NULL;
  g_autofree char *url = NULL;
  g_autofree char *compat_url = NULL;
  g_autofree char *id = NULL;

  if (seconds <= 0)
    seconds = 20.0;
  print_load ("before");

  if (!windows_only)
    {
      url = start_sim (silent_args, &child);
      bench (url, 1, seconds);
      bench (url, 4, seconds);
      g_subprocess_force_exit (child);
    }

  compat_url = start_sim (compat_args, &compat);
  client = lablink_client_new (compat_url, NULL);
  id = create_acquisition (client);
  bench_windows (client, id);
  bench_manager (client, id, seconds);
  g_subprocess_force_exit (compat);

  print_load ("after");
  return EXIT_SUCCESS;
}
