/* bench-ingest.c — how fast the stream manager ingests frames, and how
 * well the consumer's main loop keeps turning meanwhile.
 *
 * Forked servers send the exact PSU readings frame of the recorded LabLink
 * 1.2.5 traffic: as fast as the client reads (flood), at 1k and 10k frames
 * a second, and at 200k frames a second (over capacity: the client cannot
 * keep up and liblablink drops the oldest). For each we measure frames
 * handled per CPU-second of this process (all threads) and how late a
 * 10 ms timer on the consumer's main loop runs (worst and 99th
 * percentile), from the first frame delivered to the last, for liblablink and, in the same run and against the same
 * server, for the baseline: a plain libsoup + json-glib tree client on its
 * main loop (what LabLink's Python client does, and as fast as it here).
 *
 * The timer's lateness is measured from the time it was due, and also
 * without GLib's own rounding: GLib sleeps in poll() for whole
 * milliseconds, rounded up, so an idle loop already runs a timer up to
 * 1 ms late (the part of a tick's lateness spent in a poll() that GLib
 * asked to sleep past the due time). Beside it, the floor: a bare thread
 * on the same core, in the same run, sleeping to 10 ms deadlines with
 * clock_nanosleep() — how late this kernel (and, in a VM, the host) wakes a
 * sleeping thread at that moment, whatever the client does. Also counted:
 * the process's context switches per thousand frames (voluntary and not).
 *
 * Run by hand: build/bench/bench-ingest [--rounds N] [--pin] [--frames N]
 *              [--seconds S] [--no-baseline]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE 1
#include "config.h"

#include <libsoup/soup.h>
#include <lablink.h>
#include <sched.h>
#include <sys/resource.h>
#include <errno.h>
#include <time.h>

#include "flood-server.h"

/* The first PSU readings frame of lablink-1.2.5-patched.jsonl (ws-psu-readings), byte for byte. */
static const char psu_frame[] =
  "{\"type\": \"stream_data\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", "
  "\"data\": {\"equipment_id\": \"ps_250e6dfe\", \"timestamp\": \"2026-11-25T17:39:49.400093\", "
  "\"channel\": 1, \"voltage_set\": 5.0, \"current_set\": 1.0, \"voltage_actual\": 5.000444620551635, "
  "\"current_actual\": 0.49995062717259475, \"output_enabled\": true, \"in_cv_mode\": true, \"in_cc_mode\": false}}";

typedef struct {
  const char *name;
  guint       rate;      /* frames a second, 0: flood */
  guint64     frames;
  FloodServer servers[2];  /* liblablink's, the baseline's */
} Case;

/* The floor: a thread of its own that sleeps to 10 ms deadlines and notes
 * how late it wakes, while @measuring is set (from the first frame). */
typedef struct {
  GThread *thread;
  gint     stop;        /* atomic */
  gint     measuring;   /* atomic */
  GArray  *delays;      /* µs late */
  double   cpu;         /* its own CPU seconds, not the client's */
} Probe;

typedef struct {
  guint64  delivered;
  double   checksum;
  gint64   last_tick;
  GArray  *delays;       /* µs late, per tick */
  GArray  *own_delays;   /* the same without GLib's rounding */
  glong    switches0;
  guint64  ticks;
  double   cpu0;         /* when the first frame was delivered */
  gint64   start;
  gboolean failed;
  Probe    probe;
} Run;

typedef struct {
  guint64 frames;        /* handled: received by the client */
  guint64 delivered;     /* of them, given to the handler (not dropped) */
  guint64 dropped;
  double  cpu;
  double  wall;
  double  worst_ms;
  double  p99_ms;
  double  own_worst_ms;  /* without GLib's rounding */
  double  own_p99_ms;
  double  floor_worst_ms; /* a bare thread's wake-ups on the same core */
  double  floor_p99_ms;
  glong   switches;
} Result;

static gint64
timespec_us (const struct timespec *t)
{
  return (gint64) t->tv_sec * G_USEC_PER_SEC + t->tv_nsec / 1000;
}

static gpointer
probe_thread (gpointer data)
{
  Probe *probe = data;
  struct timespec due, now;

  clock_gettime (CLOCK_MONOTONIC, &due);
  while (!g_atomic_int_get (&probe->stop))
    {
      due.tv_nsec += 10 * 1000 * 1000;
      if (due.tv_nsec >= 1000 * 1000 * 1000)
        {
          due.tv_nsec -= 1000 * 1000 * 1000;
          due.tv_sec++;
        }
      while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR)
        ;
      clock_gettime (CLOCK_MONOTONIC, &now);
      if (g_atomic_int_get (&probe->measuring))
        {
          gint64 late = MAX (timespec_us (&now) - timespec_us (&due), 0);
          g_array_append_val (probe->delays, late);
        }
      /* Never a burst of catching up after a long stall. */
      if (timespec_us (&now) - timespec_us (&due) > 10000)
        due = now;
    }
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  probe->cpu = now.tv_sec + now.tv_nsec / 1e9;
  return NULL;
}

static void
probe_start (Probe *probe)
{
  probe->delays = g_array_new (FALSE, FALSE, sizeof (gint64));
  probe->thread = g_thread_new ("bench-floor", probe_thread, probe);
}

static void
probe_stop (Probe  *probe,
            Result *result);

/* The main loop's last poll(): when it started, the timeout GLib asked
 * for (ms), and when it returned. */
static gint64 poll_enter, poll_return;
static gint   poll_timeout;

static gint
timed_poll (GPollFD *fds,
            guint    nfds,
            gint     timeout)
{
  gint ret;

  poll_enter = g_get_monotonic_time ();
  poll_timeout = timeout;
  ret = g_poll (fds, nfds, timeout);
  poll_return = g_get_monotonic_time ();
  return ret;
}

static glong
context_switches (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_nvcsw + usage.ru_nivcsw;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* The clock starts at the first frame: what is measured is ingest, not
 * connecting (a thread, a session, a handshake) and setting up. */
static void
first_frame (Run *run)
{
  if (run->delivered == 0)
    {
      run->cpu0 = cpu_seconds ();
      run->start = g_get_monotonic_time ();
      run->switches0 = context_switches ();
      g_atomic_int_set (&run->probe.measuring, TRUE);
    }
}

/* Called while the timer's ready time is still the one that made it due
 * (GLib sets the next after the callback). */
static gboolean
tick_cb (gpointer data)
{
  Run *run = data;
  gint64 now = g_get_monotonic_time ();
  gint64 due = g_source_get_ready_time (g_main_current_source ());

  if (run->last_tick != 0)
    {
      gint64 late = MAX (now - due, 0);
      gint64 rounding = 0;

      /* The poll() that slept past the due time because GLib asked it to
       * (it rounds its timeout up to whole milliseconds). */
      if (poll_enter < due && poll_timeout > 0)
        rounding = MAX (MIN (poll_return, poll_enter + (gint64) poll_timeout * 1000) - due, 0);
      g_array_append_val (run->delays, late);
      late = MAX (late - rounding, 0);
      g_array_append_val (run->own_delays, late);
    }
  run->last_tick = now;
  run->ticks++;
  return G_SOURCE_CONTINUE;
}

static int
cmp_gint64 (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
percentiles (GArray *d,
             double *worst_ms,
             double *p99_ms)
{
  if (d->len == 0)
    return;
  g_array_sort (d, cmp_gint64);
  *worst_ms = g_array_index (d, gint64, d->len - 1) / 1000.0;
  *p99_ms = g_array_index (d, gint64, MIN (d->len - 1, (guint) (d->len * 0.99))) / 1000.0;
}

static void
probe_stop (Probe  *probe,
            Result *result)
{
  g_atomic_int_set (&probe->stop, TRUE);
  g_thread_join (probe->thread);
  percentiles (probe->delays, &result->floor_worst_ms, &result->floor_p99_ms);
  g_array_unref (probe->delays);
  /* The probe's few wake-ups are not the client's work. */
  result->cpu = MAX (result->cpu - probe->cpu, 1e-6);
}

static void
timer_figures (Run    *run,
               gint64  start,
               Result *result)
{
  gint64 late = g_get_monotonic_time () - (run->last_tick ? run->last_tick : start) - 10000;

  /* The gap since the last tick counts too: a loop that never turns is
   * as late as the run is long. */
  if (late > 0)
    {
      g_array_append_val (run->delays, late);
      g_array_append_val (run->own_delays, late);
    }

  percentiles (run->delays, &result->worst_ms, &result->p99_ms);
  percentiles (run->own_delays, &result->own_worst_ms, &result->own_p99_ms);
  probe_stop (&run->probe, result);
}

static void
run_init (Run *run)
{
  run->delays = g_array_new (FALSE, FALSE, sizeof (gint64));
  run->own_delays = g_array_new (FALSE, FALSE, sizeof (gint64));
  probe_start (&run->probe);
}

static void
run_clear (Run *run)
{
  g_array_unref (run->delays);
  g_array_unref (run->own_delays);
}

static void
on_stream_data (LablinkStreamManager *manager,
                LablinkMessage       *message,
                gpointer              data)
{
  Run *run = data;
  double v;

  first_frame (run);
  if (lablink_message_get_double (message, "data.voltage_actual", &v))
    run->checksum += v;
  run->delivered++;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;

  if (!lablink_stream_manager_connect_finish (LABLINK_STREAM_MANAGER (source), result, &error))
    {
      g_printerr ("connect: %s\n", error->message);
      run->failed = TRUE;
    }
}

static void
print_result (const char   *client,
              const Case   *c,
              const Result *r)
{
  g_print ("  %-9s %-10s %8" G_GUINT64_FORMAT " frames %6.2f s wall %6.3f s CPU %9.0f frames/CPU-s"
           "  dropped %-7" G_GUINT64_FORMAT " %6.1f switches/kframe  timer late: worst %6.2f ms, p99 %5.2f ms"
           " (without GLib's rounding %6.2f, %5.2f; floor %5.2f, %5.2f)\n",
           c->name, client, r->frames, r->wall, r->cpu, r->frames / r->cpu, r->dropped,
           r->frames ? r->switches * 1000.0 / r->frames : 0.0,
           r->worst_ms, r->p99_ms, r->own_worst_ms, r->own_p99_ms, r->floor_worst_ms, r->floor_p99_ms);
}

static Result
bench_lablink (const Case *c)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", c->servers[0].port);
  g_autoptr(LablinkClient) client = lablink_client_new (url, NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(LablinkStatistics) stats = NULL;
  Run run = { 0 };
  Result result = { 0 };
  GMainContext *context = g_main_context_default ();
  gint64 start, deadline;
  double cpu0;
  guint tick;

  run_init (&run);
  manager = g_object_new (LABLINK_TYPE_STREAM_MANAGER, "client", client,
                          "reconnect", FALSE, "ping-interval-ms", 600000, NULL);
  g_signal_connect (manager, "stream-data", G_CALLBACK (on_stream_data), &run);

  cpu0 = cpu_seconds ();
  start = g_get_monotonic_time ();
  lablink_stream_manager_connect_async (manager, NULL, connected_cb, &run);
  tick = g_timeout_add (10, tick_cb, &run);
  deadline = start + 120 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline && !run.failed)
    {
      guint64 ticks = run.ticks;

      g_main_context_iteration (context, TRUE);
      if (run.ticks == ticks)
        continue;
      /* Check for the end once per timer tick, not per iteration. */
      g_clear_pointer (&stats, lablink_statistics_unref);
      stats = lablink_stream_manager_get_statistics (manager);
      if (run.delivered + lablink_statistics_get_dropped (stats) >= c->frames)
        break;
    }

  result.cpu = cpu_seconds () - (run.delivered ? run.cpu0 : cpu0);
  result.wall = (g_get_monotonic_time () - (run.delivered ? run.start : start)) / 1e6;
  g_source_remove (tick);
  g_clear_pointer (&stats, lablink_statistics_unref);
  stats = lablink_stream_manager_get_statistics (manager);
  result.frames = lablink_statistics_get_messages_received (stats) - 1;
  result.delivered = run.delivered ? run.delivered - 1 : 0;
  result.dropped = lablink_statistics_get_dropped (stats);
  result.switches = run.delivered ? context_switches () - run.switches0 : 0;
  timer_figures (&run, start, &result);
  lablink_stream_manager_disconnect (manager);
  run_clear (&run);
  return result;
}

/* The baseline: what a straightforward client does. */
static void
baseline_message (SoupWebsocketConnection *conn,
                  gint                     type,
                  GBytes                  *bytes,
                  gpointer                 data)
{
  Run *run = data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *text = g_bytes_get_data (bytes, &len);

  first_frame (run);
  if (json_parser_load_from_data (parser, text, (gssize) len, NULL))
    {
      JsonObject *root = json_node_get_object (json_parser_get_root (parser));
      JsonObject *d = json_object_get_object_member (root, "data");
      run->checksum += json_object_get_double_member (d, "voltage_actual");
    }
  run->delivered++;
}

static void
baseline_connected (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (conn == NULL)
    {
      g_printerr ("baseline connect: %s\n", error->message);
      run->failed = TRUE;
      return;
    }
  soup_websocket_connection_set_max_incoming_payload_size (conn, 16 * 1024 * 1024);
  g_signal_connect (conn, "message", G_CALLBACK (baseline_message), run);
  g_object_set_data_full (G_OBJECT (source), "conn", conn, g_object_unref);
}

static Result
bench_baseline (const Case *c)
{
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/ws", c->servers[1].port);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  Run run = { 0 };
  Result result = { 0 };
  gint64 start, deadline;
  double cpu0;
  guint tick;

  run_init (&run);
  cpu0 = cpu_seconds ();
  start = g_get_monotonic_time ();
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        baseline_connected, &run);
  tick = g_timeout_add (10, tick_cb, &run);
  deadline = start + 120 * G_USEC_PER_SEC;

  while (run.delivered < c->frames && !run.failed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  result.cpu = cpu_seconds () - (run.delivered ? run.cpu0 : cpu0);
  result.wall = (g_get_monotonic_time () - (run.delivered ? run.start : start)) / 1e6;
  g_source_remove (tick);
  result.frames = run.delivered - 1;
  result.delivered = result.frames;
  result.switches = run.delivered ? context_switches () - run.switches0 : 0;
  timer_figures (&run, start, &result);
  g_object_set_data (G_OBJECT (session), "conn", NULL);
  run_clear (&run);
  return result;
}

static void
ignore_log (const char     *domain,
            GLogLevelFlags  level,
            const char     *message,
            gpointer        data)
{
}

static char *
load_average (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  fields = g_strsplit (g_strstrip (text), " ", 4);
  return g_strdup_printf ("%s %s %s", fields[0], fields[1] ? fields[1] : "", fields[1] && fields[2] ? fields[2] : "");
}

static void
pin (pid_t pid,
     int   cpu)
{
  cpu_set_t set;

  CPU_ZERO (&set);
  CPU_SET (cpu, &set);
  if (sched_setaffinity (pid, sizeof set, &set) < 0)
    g_printerr ("could not pin %d to CPU %d\n", (int) pid, cpu);
}

int
main (int   argc,
      char *argv[])
{
  gint64 frames = 500000;
  gint seconds = 3;
  gint rounds = 1;
  gboolean no_baseline = FALSE;
  gboolean pinned = FALSE;
  g_autofree char *only = NULL;
  GOptionEntry entries[] = {
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, "Only this rate (flood, 1k/s, 10k/s, 200k/s)", "RATE" },
    { "frames", 'n', 0, G_OPTION_ARG_INT64, &frames, "Frames to flood (default 500000)", "N" },
    { "seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "Seconds at each fixed rate (default 3)", "S" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Interleaved rounds (default 1)", "N" },
    { "pin", 0, 0, G_OPTION_ARG_NONE, &pinned, "Client on CPU 0, servers on CPU 1", NULL },
    { "no-baseline", 0, 0, G_OPTION_ARG_NONE, &no_baseline, "Skip the libsoup + json-glib baseline", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- LabLink ingest benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M UTC");
  g_autofree char *load_before = NULL;
  g_autofree char *load_after = NULL;
  Case templates[] = {
    { "flood", 0, 0 },
    { "1k/s", 1000, 0 },
    { "10k/s", 10000, 0 },
    { "200k/s", 200000, 0 },
  };
  guint n_cases = G_N_ELEMENTS (templates);
  Case warmup = { "warm-up", 0, 2000 };
  g_autofree Case *cases = NULL;
  g_autofree Result *totals = NULL;   /* [case][client], summed over rounds */
  guint r, i, k;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  rounds = MAX (rounds, 1);
  seconds = MAX (seconds, 1);

  if (g_getenv ("BENCH_QUIET_SOUP"))
    g_log_set_handler ("libsoup", G_LOG_LEVEL_DEBUG, ignore_log, NULL);

  /* Fork every server before any thread exists. */
  for (k = 0; k < 2; k++)
    warmup.servers[k] = flood_server_start (psu_frame, warmup.frames, 0);
  cases = g_new0 (Case, n_cases * rounds);
  totals = g_new0 (Result, n_cases * 2);
  for (r = 0; r < (guint) rounds; r++)
    for (i = 0; i < n_cases; i++)
      {
        Case *c = &cases[r * n_cases + i];

        *c = templates[i];
        if (only != NULL && strcmp (only, c->name) != 0)
          continue;
        c->frames = c->rate ? (guint64) c->rate * (guint64) seconds : (guint64) frames;
        for (k = 0; k < (no_baseline ? 1u : 2u); k++)
          {
            c->servers[k] = flood_server_start (psu_frame, c->frames, c->rate);
            if (pinned)
              pin (c->servers[k].pid, 1);
          }
      }
  if (pinned)
    pin (0, 0);
  g_main_context_set_poll_func (NULL, timed_poll);

  /* What the first connection of a process pays once (GIO modules, the
   * proxy resolver's settings, libsoup's types) is not the first client's. */
  bench_lablink (&warmup);
  flood_server_stop (&warmup.servers[0]);
  bench_baseline (&warmup);
  flood_server_stop (&warmup.servers[1]);

  load_before = load_average ();
  g_print ("bench-ingest %s, load average %s, %d round(s)%s: the %zu-byte PSU readings frame over loopback\n"
           "flood: %" G_GINT64_FORMAT " frames; fixed rates: %d s each\n",
           date, load_before, rounds, pinned ? ", client pinned to CPU 0" : "",
           strlen (psu_frame), frames, seconds);

  for (r = 0; r < (guint) rounds; r++)
    for (i = 0; i < n_cases; i++)
      {
        Case *c = &cases[r * n_cases + i];
        Result res[2];

        if (only != NULL && strcmp (only, c->name) != 0)
          continue;

        /* Alternate which client goes first, round by round. */
        for (k = 0; k < (no_baseline ? 1u : 2u); k++)
          {
            guint which = no_baseline ? 0 : (k + r) % 2;

            res[which] = which == 0 ? bench_lablink (c) : bench_baseline (c);
            flood_server_stop (&c->servers[which]);
            print_result (which == 0 ? "liblablink" : "baseline", c, &res[which]);

            totals[i * 2 + which].frames += res[which].frames;
            totals[i * 2 + which].delivered += res[which].delivered;
            totals[i * 2 + which].dropped += res[which].dropped;
            totals[i * 2 + which].cpu += res[which].cpu;
            totals[i * 2 + which].wall += res[which].wall;
            totals[i * 2 + which].worst_ms = MAX (totals[i * 2 + which].worst_ms, res[which].worst_ms);
            totals[i * 2 + which].p99_ms = MAX (totals[i * 2 + which].p99_ms, res[which].p99_ms);
            totals[i * 2 + which].own_worst_ms = MAX (totals[i * 2 + which].own_worst_ms, res[which].own_worst_ms);
            totals[i * 2 + which].own_p99_ms = MAX (totals[i * 2 + which].own_p99_ms, res[which].own_p99_ms);
            totals[i * 2 + which].floor_worst_ms = MAX (totals[i * 2 + which].floor_worst_ms, res[which].floor_worst_ms);
            totals[i * 2 + which].floor_p99_ms = MAX (totals[i * 2 + which].floor_p99_ms, res[which].floor_p99_ms);
          }
      }

  load_after = load_average ();
  g_print ("\nbench-ingest %s, load average before %s, after %s; frames per CPU-second of the client "
           "(all rounds together; \"delivered only\": the frames our bounded queue did not drop), 10 ms timer lateness worst / p99 (worst round), from the time it was due, "
           "and without GLib's ms rounding of poll(); the floor: a bare thread on the client's core sleeping to "
           "10 ms deadlines in the same runs (the kernel's and host's own wake-up lateness):\n\n", date, load_before, load_after);
  g_print ("| rate | baseline: libsoup + json-glib | liblablink | ratio | ratio, delivered only | timer late, baseline | timer late, liblablink "
           "| without GLib's rounding, baseline | without GLib's rounding, liblablink | floor, baseline | floor, liblablink |\n"
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (i = 0; i < n_cases; i++)
    {
      Result *ours = &totals[i * 2];
      Result *base = &totals[i * 2 + 1];

      if (ours->cpu == 0)
        continue;

      if (no_baseline)
        g_print ("| %s | — | %.1fk | — | — | — | %.1f / %.1f ms | — | %.1f / %.1f ms | — | %.1f / %.1f ms |\n", templates[i].name,
                 ours->frames / ours->cpu / 1000, ours->worst_ms, ours->p99_ms,
                 ours->own_worst_ms, ours->own_p99_ms, ours->floor_worst_ms, ours->floor_p99_ms);
      else
        g_print ("| %s | %.1fk | %.1fk | %.2fx | %.2fx | %.1f / %.1f ms | %.1f / %.1f ms | %.1f / %.1f ms | %.1f / %.1f ms "
                 "| %.1f / %.1f ms | %.1f / %.1f ms |\n",
                 templates[i].name,
                 base->frames / base->cpu / 1000, ours->frames / ours->cpu / 1000,
                 (ours->frames / ours->cpu) / (base->frames / base->cpu),
                 (ours->delivered / ours->cpu) / (base->delivered / base->cpu),
                 base->worst_ms, base->p99_ms, ours->worst_ms, ours->p99_ms,
                 base->own_worst_ms, base->own_p99_ms, ours->own_worst_ms, ours->own_p99_ms,
                 base->floor_worst_ms, base->floor_p99_ms, ours->floor_worst_ms, ours->floor_p99_ms);
    }

  return 0;
}
