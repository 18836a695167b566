/* bench-acquire.c — how much of an acquisition `lablink-cli acquire --capture`
 * keeps, rate by rate (issue 12)
 *
 * Starts lablink-sim, then for each rate runs
 *   lablink-cli acquire EQUIPMENT --channels CHANNELS --rate R -d SECONDS --capture
 * (stdout to /dev/null), opens the capture it recorded and compares what it
 * kept with what the simulator generated over the same span (the simulator
 * samples on absolute time: sample n at start + n / R, so the span gives
 * the count). Prints one row per rate, then the highest lossless rate.
 * Run by hand: figures depend on the machine and its load (printed).
 *
 *   bench-acquire [--seconds 10] [--rates 1000,10000,20000,50000,100000]
 *                 [--equipment scope_386959fc] [--channels CH1,CH2]
 *
 * LABLINK_SIM and LABLINK_CLI override the programs measured.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/resource.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <lablink.h>

static double opt_seconds = 10.0;
static char *opt_rates;
static char *opt_equipment;
static char *opt_channels;

static const GOptionEntry entries[] = {
  { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &opt_seconds, "Seconds per rate (default 10)", "S" },
  { "rates", 0, 0, G_OPTION_ARG_STRING, &opt_rates, "Rates in Sa/s (default 1000,10000,20000,50000,100000)", "R,…" },
  { "equipment", 0, 0, G_OPTION_ARG_STRING, &opt_equipment, "Equipment (default scope_386959fc)", "ID" },
  { "channels", 0, 0, G_OPTION_ARG_STRING, &opt_channels, "Channels (default CH1,CH2)", "CH,…" },
  { NULL }
};

static const char *
program (const char *variable,
         const char *fallback)
{
  const char *value = g_getenv (variable);

  return value != NULL && *value != '\0' ? value : fallback;
}

static char *
start_sim (GSubprocess **out_sim)
{
  const char *argv[] = { program ("LABLINK_SIM", LABLINK_SIM_PATH), "--address", "127.0.0.1", "--port", "0", NULL };
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  char *url;

  *out_sim = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (*out_sim == NULL)
    g_error ("cannot start %s: %s", argv[0], error->message);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (*out_sim));
  url = g_data_input_stream_read_line (in, NULL, NULL, &error);
  if (url == NULL || !g_str_has_prefix (url, "http://127.0.0.1:"))
    g_error ("lablink-sim printed no URL: %s", error ? error->message : url);
  return url;
}

static double
children_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static char *
only_child (const char *parent)
{
  g_autoptr(GDir) dir = g_dir_open (parent, 0, NULL);
  const char *name = dir ? g_dir_read_name (dir) : NULL;

  return name ? g_build_filename (parent, name, NULL) : NULL;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

/* One rate: TRUE if every sample over the capture's span was kept. */
static gboolean
bench_rate (const char *url,
            double      rate)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_dir_make_tmp ("bench-acquire-XXXXXX", &error);
  g_autofree char *rate_text = g_strdup_printf ("%.0f", rate);
  g_autofree char *seconds_text = g_strdup_printf ("%g", opt_seconds);
  g_autofree char *err = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(LablinkCapture) capture = NULL;
  const char *argv[] = { program ("LABLINK_CLI", LABLINK_CLI_PATH), "--server", url, "acquire", opt_equipment,
                         "--channels", opt_channels, "--rate", rate_text, "-d", seconds_text, "--capture",
                         "--capture-dir", parent, NULL };
  gint64 first = 0, last = 0, wall;
  guint64 kept = 0, expected = 0, span = 0;
  double cpu;
  guint gaps = 0;
  gboolean lossless;

  if (parent == NULL)
    g_error ("no temporary directory: %s", error->message);

  cpu = children_cpu_seconds ();
  wall = g_get_monotonic_time ();
  cli = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  if (cli == NULL || !g_subprocess_communicate_utf8 (cli, NULL, NULL, NULL, &err, &error))
    g_error ("lablink-cli: %s", error->message);
  wall = g_get_monotonic_time () - wall;
  cpu = children_cpu_seconds () - cpu;

  path = only_child (parent);
  if (path != NULL)
    capture = lablink_capture_open (path, &error);
  if (capture != NULL)
    {
      kept = lablink_capture_get_n_samples (capture);
      gaps = lablink_capture_get_n_gaps (capture);
      if (lablink_capture_get_time_range (capture, &first, &last))
        span = (guint64) llround ((last - first) * rate / G_USEC_PER_SEC) + 1;
    }
  /* The acquisition stops itself after --duration: rate × seconds samples
   * (±1 for where the last one falls). The capture may hold a few made
   * just before it started, the first window reaching back. */
  expected = (guint64) llround (rate * opt_seconds);
  lossless = capture != NULL && g_subprocess_get_exit_status (cli) == 0 && kept == span && gaps == 0 &&
             kept + 1 >= expected;

  printf ("%9.0f  %10" G_GUINT64_FORMAT "  %10" G_GUINT64_FORMAT "  %6.2f %%  %4u  %6.1f s  %6.1f s  %s\n",
          rate, expected, kept, expected > 0 ? 100.0 * kept / expected : 0.0, gaps,
          cpu, wall / 1e6, lossless ? "lossless" : "LOSSY");
  if (!lossless && err != NULL && *err != '\0')
    {
      g_auto(GStrv) lines = g_strsplit (err, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        if (*lines[i] != '\0' && g_str_has_prefix (lines[i], "lablink-cli:"))
          printf ("           %s\n", lines[i]);
    }
  fflush (stdout);

  g_clear_object (&capture);
  remove_tree (parent);
  return lossless;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— what lablink-cli acquire --capture keeps, by rate");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) sim = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  g_autofree char *loadavg = NULL;
  g_autofree char *url = NULL;
  g_auto(GStrv) rates = NULL;
  double best = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-acquire: %s\n", error->message);
      return 2;
    }
  if (opt_rates == NULL)
    opt_rates = g_strdup ("1000,10000,20000,50000,100000");
  if (opt_equipment == NULL)
    opt_equipment = g_strdup ("scope_386959fc");
  if (opt_channels == NULL)
    opt_channels = g_strdup ("CH1,CH2");

  g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL);
  printf ("bench-acquire %s, %s %s for %g s per rate; load average %s", stamp, opt_equipment, opt_channels,
          opt_seconds, loadavg ? loadavg : "?\n");
  url = start_sim (&sim);

  printf ("%9s  %10s  %10s  %8s  %4s  %8s  %8s\n", "rate", "generated", "kept", "kept", "gaps", "CLI CPU", "wall");
  rates = g_strsplit (opt_rates, ",", -1);
  for (guint i = 0; rates[i] != NULL; i++)
    {
      double rate = g_ascii_strtod (rates[i], NULL);

      if (!(rate > 0))
        continue;
      if (bench_rate (url, rate) && rate > best)
        best = rate;
    }

  g_free (loadavg);
  loadavg = NULL;
  g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL);
  printf ("highest lossless rate: %.0f Sa/s (load average after: %s)", best, loadavg ? loadavg : "?\n");

  g_subprocess_send_signal (sim, SIGTERM);
  g_subprocess_wait (sim, NULL, NULL);
  g_free (opt_rates);
  g_free (opt_equipment);
  g_free (opt_channels);
  return 0;
}
