/* bench-idle.c — how often an idle lablink-cli and an idle lablink-monitor
 * wake up, and how much CPU they burn doing nothing.
 *
 * Starts lablink-sim on 127.0.0.1 (no stream started), then
 *
 *  - `lablink-cli -s URL stats -d …` (connected, listening, no stream);
 *  - `lablink-monitor -s URL` on a private Xvfb (connected, no stream);
 *  - with --demo, also `lablink-monitor --demo` (its in-process simulator).
 *
 * After a warm-up (connecting, first draw) it samples, for each thread of
 * the process, /proc/PID/task/TID/status (voluntary context switches: one a
 * wake-up from poll() or a futex) and /proc/PID/task/TID/stat (CPU time),
 * waits N seconds and samples again. It prints wake-ups per second per
 * thread and for the process, and the CPU % of the process.
 *
 * Run by hand: build/bench/bench-idle [--seconds N] [--warmup S] [--cli] [--app] [--demo]
 * (none of --cli, --app, --demo: --cli and --app). The programs are the build tree's; set
 * LABLINK_SIM, LABLINK_CLI, LABLINK_MONITOR to measure others. With
 * --display=:N the app runs on that display instead of a private Xvfb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static double   opt_seconds = 10;
static double   opt_warmup = 3;
static gboolean opt_cli;
static gboolean opt_app;
static gboolean opt_demo;
static char    *opt_display;

static const GOptionEntry entries[] = {
  { "seconds", 'n', 0, G_OPTION_ARG_DOUBLE, &opt_seconds, "Measure for S seconds (default 10)", "S" },
  { "warmup", 'w', 0, G_OPTION_ARG_DOUBLE, &opt_warmup, "Wait S seconds before measuring (default 3)", "S" },
  { "cli", 0, 0, G_OPTION_ARG_NONE, &opt_cli, "Measure lablink-cli", NULL },
  { "app", 0, 0, G_OPTION_ARG_NONE, &opt_app, "Measure lablink-monitor", NULL },
  { "demo", 0, 0, G_OPTION_ARG_NONE, &opt_demo, "Also measure lablink-monitor --demo (its in-process simulator)", NULL },
  { "display", 0, 0, G_OPTION_ARG_STRING, &opt_display, "Run the app on this X display (default: a private Xvfb)", "DISPLAY" },
  { NULL }
};

typedef struct {
  int     tid;
  char   *name;
  guint64 switches;    /* voluntary */
  guint64 preempted;   /* nonvoluntary */
  guint64 ticks;       /* utime + stime */
} ThreadSample;

static void
thread_sample_free (gpointer data)
{
  ThreadSample *sample = data;

  g_free (sample->name);
  g_free (sample);
}

static const char *
program (const char *variable,
         const char *fallback)
{
  const char *value = g_getenv (variable);

  return value != NULL && *value != '\0' ? value : fallback;
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
spawn (GSubprocessLauncher *launcher,
       const char * const  *argv)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  child = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (child == NULL)
    g_error ("Cannot run %s: %s", argv[0], error->message);
  return child;
}

static void
stop (GSubprocess *child)
{
  if (child == NULL || g_subprocess_get_identifier (child) == NULL)
    return;
  g_subprocess_send_signal (child, SIGTERM);
  g_subprocess_wait (child, NULL, NULL);
}

static void
sleep_seconds (double seconds)
{
  g_usleep ((gulong) (seconds * G_USEC_PER_SEC));
}

/* Every thread of @pid, by tid. */
static GHashTable *
sample_threads (const char *pid)
{
  g_autofree char *task_dir = g_build_filename ("/proc", pid, "task", NULL);
  g_autoptr(GDir) dir = g_dir_open (task_dir, 0, NULL);
  GHashTable *threads = g_hash_table_new_full (NULL, NULL, NULL, thread_sample_free);
  const char *tid;

  if (dir == NULL)
    return threads;

  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *status_path = g_build_filename (task_dir, tid, "status", NULL);
      g_autofree char *stat_path = g_build_filename (task_dir, tid, "stat", NULL);
      g_autofree char *status = NULL;
      g_autofree char *stat = NULL;
      g_auto(GStrv) lines = NULL;
      g_auto(GStrv) fields = NULL;
      ThreadSample *sample;
      const char *end;

      if (!g_file_get_contents (status_path, &status, NULL, NULL) ||
          !g_file_get_contents (stat_path, &stat, NULL, NULL) ||
          (end = strrchr (stat, ')')) == NULL)
        continue; /* gone meanwhile */

      sample = g_new0 (ThreadSample, 1);
      sample->tid = (int) g_ascii_strtoll (tid, NULL, 10);

      lines = g_strsplit (status, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          if (g_str_has_prefix (lines[i], "Name:"))
            sample->name = g_strdup (g_strstrip (lines[i] + 5));
          else if (g_str_has_prefix (lines[i], "voluntary_ctxt_switches:"))
            sample->switches = g_ascii_strtoull (lines[i] + strlen ("voluntary_ctxt_switches:"), NULL, 10);
          else if (g_str_has_prefix (lines[i], "nonvoluntary_ctxt_switches:"))
            sample->preempted = g_ascii_strtoull (lines[i] + strlen ("nonvoluntary_ctxt_switches:"), NULL, 10);
        }

      /* After "pid (comm) ": state is field 3, utime 14, stime 15. */
      fields = g_strsplit (end + 2, " ", -1);
      if (g_strv_length (fields) > 12)
        sample->ticks = g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10);

      g_hash_table_insert (threads, GINT_TO_POINTER (sample->tid), sample);
    }

  return threads;
}

static int
compare_tids (gconstpointer a,
              gconstpointer b)
{
  return GPOINTER_TO_INT (*(gconstpointer *) a) - GPOINTER_TO_INT (*(gconstpointer *) b);
}

/* Samples @child, waits opt_seconds, samples again and prints the figures. */
static void
measure (const char  *what,
         GSubprocess *child)
{
  const char *pid = g_subprocess_get_identifier (child);
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autofree gpointer *tids = NULL;
  double hz = (double) sysconf (_SC_CLK_TCK);
  gint64 start, end;
  guint64 total_switches = 0, total_preempted = 0, total_ticks = 0;
  double seconds;
  guint n;

  if (pid == NULL)
    g_error ("%s exited before the measurement", what);

  before = sample_threads (pid);
  start = g_get_monotonic_time ();
  sleep_seconds (opt_seconds);
  after = sample_threads (pid);
  end = g_get_monotonic_time ();
  seconds = (end - start) / (double) G_USEC_PER_SEC;

  if (g_subprocess_get_identifier (child) == NULL)
    g_error ("%s exited during the measurement", what);

  g_print ("%s (pid %s), idle for %.1f s:\n", what, pid, seconds);
  g_print ("  %-8s %-16s %10s %10s %8s\n", "tid", "thread", "wakeups/s", "preempt/s", "CPU %");

  tids = g_hash_table_get_keys_as_array (after, &n);
  qsort (tids, n, sizeof (gpointer), compare_tids);
  for (guint i = 0; i < n; i++)
    {
      ThreadSample *b = g_hash_table_lookup (before, tids[i]);
      ThreadSample *a = g_hash_table_lookup (after, tids[i]);
      guint64 switches = a->switches - (b ? b->switches : 0);
      guint64 preempted = a->preempted - (b ? b->preempted : 0);
      guint64 ticks = a->ticks - (b ? b->ticks : 0);

      total_switches += switches;
      total_preempted += preempted;
      total_ticks += ticks;
      g_print ("  %-8d %-16s %10.1f %10.1f %8.2f%s\n", a->tid, a->name ? a->name : "?",
               switches / seconds, preempted / seconds, 100.0 * ticks / hz / seconds,
               b == NULL ? "  (new)" : "");
    }
  g_print ("  %-8s %-16s %10.1f %10.1f %8.2f\n\n", "", "all threads",
           total_switches / seconds, total_preempted / seconds, 100.0 * total_ticks / hz / seconds);
}

static char *
start_sim (GSubprocess **out_sim)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                                  G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  const char *argv[] = { program ("LABLINK_SIM", LABLINK_SIM_PATH), "--address", "127.0.0.1", "--port", "0", NULL };
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  char *url;

  *out_sim = spawn (launcher, argv);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (*out_sim));
  url = g_data_input_stream_read_line (in, NULL, NULL, &error);
  if (url == NULL || !g_str_has_prefix (url, "http://127.0.0.1:"))
    g_error ("lablink-sim printed no URL: %s", error ? error->message : url);
  return url;
}

static void
bench_cli (const char *url)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *duration = g_strdup_printf ("%.0f", opt_warmup + opt_seconds + 60);
  const char *argv[] = { program ("LABLINK_CLI", LABLINK_CLI_PATH), "-s", url, "stats", "-d", duration, NULL };
  g_autoptr(GSubprocess) cli = NULL;

  cli = spawn (launcher, argv);
  sleep_seconds (opt_warmup);
  measure ("lablink-cli stats", cli);
  stop (cli);
}

/* A private X server: Xvfb writes its display number to the pipe. */
static char *
start_xvfb (GSubprocess **out_xvfb)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  const char *argv[] = { "Xvfb", "-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "1280x800x24", NULL };
  g_autoptr(GError) error = NULL;
  char line[32];
  gsize len = 0;
  int fds[2];

  if (!g_unix_open_pipe (fds, FD_CLOEXEC, &error))
    g_error ("pipe: %s", error->message);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  *out_xvfb = spawn (launcher, argv);

  while (len < sizeof line - 1 && (len == 0 || line[len - 1] != '\n'))
    {
      ssize_t got = read (fds[0], line + len, sizeof line - 1 - len);
      if (got <= 0)
        g_error ("Xvfb printed no display number");
      len += (gsize) got;
    }
  line[len] = '\0';
  close (fds[0]);
  return g_strdup_printf (":%s", g_strstrip (line));
}

/* The app connected to @url, or with its own simulator if @url is %NULL. */
static void
bench_app (const char *url)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  const char *argv[] = { program ("LABLINK_MONITOR", LABLINK_MONITOR_PATH), "-s", url, NULL };
  g_autoptr(GSubprocess) xvfb = NULL;
  g_autoptr(GSubprocess) app = NULL;
  g_autofree char *display = NULL;

  display = opt_display ? g_strdup (opt_display) : start_xvfb (&xvfb);

  g_subprocess_launcher_setenv (launcher, "DISPLAY", display, TRUE);
  g_subprocess_launcher_setenv (launcher, "GDK_BACKEND", "x11", TRUE);
  /* Never the user's settings; no demo on first start. */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  if (xvfb != NULL)
    {
      /* As the GUI tests: no GL on Xvfb, no accessibility bus. */
      g_subprocess_launcher_setenv (launcher, "GDK_DEBUG", "gl-disable", TRUE);
      g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", "cairo", TRUE);
      g_subprocess_launcher_setenv (launcher, "GTK_A11Y", "none", TRUE);
      g_subprocess_launcher_setenv (launcher, "NO_AT_BRIDGE", "1", TRUE);
      g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
    }

  if (url == NULL)
    {
      argv[1] = "--demo";
      argv[2] = NULL;
    }
  app = spawn (launcher, argv);
  sleep_seconds (opt_warmup);
  measure (url ? "lablink-monitor" : "lablink-monitor --demo", app);
  stop (app);
  stop (xvfb);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— wake-ups and CPU of the idle CLI and app");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) sim = NULL;
  g_autofree char *url = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!(opt_seconds > 0) || !(opt_warmup >= 0))
    {
      g_printerr ("--seconds must be > 0 and --warmup >= 0\n");
      return 2;
    }
  if (!opt_cli && !opt_app && !opt_demo)
    opt_cli = opt_app = TRUE;
  if ((opt_app || opt_demo) && *program ("LABLINK_MONITOR", LABLINK_MONITOR_PATH) == '\0')
    {
      g_printerr ("lablink-monitor was not built (-Dgui=false): measuring the CLI only\n");
      opt_app = opt_demo = FALSE;
      opt_cli = TRUE;
    }

  url = start_sim (&sim);
  g_print ("lablink-sim at %s, no stream started\n\n", url);

  if (opt_cli)
    bench_cli (url);
  if (opt_app)
    bench_app (url);
  if (opt_demo)
    bench_app (NULL);

  stop (sim);
  return 0;
}
