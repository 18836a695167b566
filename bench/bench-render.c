/* bench-render.c — what drawing the live window costs, per scene and renderer
 *
 * Runs the real LablinkWindow on its in-process simulator (as
 * `lablink-monitor --demo`) on a private Xvfb, through fixed scenes:
 *
 *   idle    connected, every stream stopped
 *   psu     the PSU page, readings of its 3 channels every 100 ms
 *   scope   the scope page, its waveform every 50 ms (as many samples as
 *           the simulator gives)
 *   acq     the acquisitions page, a 4-channel acquisition of the scope at
 *           50 kSa/s whose chart holds its full ring (4 × 200,000 points)
 *
 * and, per scene and renderer (the app's choice, lablink-renderer.c;
 * GSK_RENDERER=gl, GTK 4.8's default; and GSK_RENDERER=cairo),
 * prints: data frames/s, frame-clock cycles/s, renders/s, CPU per render
 * (ms: the app's CPU over renders: the process less the simulator's own
 * thread, lablink-sim-thread.c, which stands for a server elsewhere), the main
 * thread's CPU in the paint phase per render (ms: snapshot and render;
 * llvmpipe rasterises in threads of its own, counted in CPU % only), CPU %
 * of a core (the app: the process less the simulator's thread), the
 * simulator thread's CPU % beside it, wake-ups/s
 * (voluntary context switches of every thread), RSS, and the send → screen
 * latency p50/p99 of the frames drawn (the simulator stamps its send time).
 *
 * Each (scene, renderer) runs in a child process of its own (this program
 * again, with --child), so that RSS and GL state do not carry over.
 *
 * Run by hand or with `build-aux/run bench`:
 *   build/bench/bench-render [--seconds N] [--warmup S] [--scene NAME]… [--renderer gl|cairo]…
 * Never a test: the figures depend on the machine and its load.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib-unix.h>
#include <lablink.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "lablink-acquisition-panel.h"
#include "lablink-application.h"
#include "lablink-session.h"
#include "lablink-window.h"

static double   opt_seconds = 10;
static double   opt_warmup = 4;
static char   **opt_scenes;
static char   **opt_renderers;
static char    *opt_child;
static char    *opt_display;

static const GOptionEntry entries[] = {
  { "seconds", 'n', 0, G_OPTION_ARG_DOUBLE, &opt_seconds, "Measure each scene for S seconds (default 10)", "S" },
  { "warmup", 'w', 0, G_OPTION_ARG_DOUBLE, &opt_warmup, "Wait S seconds once a scene is set up (default 4)", "S" },
  { "scene", 's', 0, G_OPTION_ARG_STRING_ARRAY, &opt_scenes, "idle, psu, scope or acq (default: all)", "NAME" },
  { "renderer", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &opt_renderers, "default (the app's choice), gl or cairo (default: all three)", "NAME" },
  { "display", 0, 0, G_OPTION_ARG_STRING, &opt_display, "Use this X display instead of a private Xvfb", "DISPLAY" },
  { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt_child, NULL, NULL },
  { NULL }
};

static const char * const all_scenes[] = { "idle", "psu", "scope", "acq", NULL };
static const char * const all_renderers[] = { "default", "gl", "cairo", NULL };

/* ------------------------------------------------------------------ */
/* The child: one scene, one renderer                                  */
/* ------------------------------------------------------------------ */

typedef struct {
  guint64 cycles;
  guint64 renders;
  guint64 data;
  double  paint_cpu;    /* main thread, GdkSurface::render → after-paint, seconds */
} Counters;

static Counters counters;
static double   paint_started = -1;

static double
thread_cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}


static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  counters.cycles++;
  if (paint_started >= 0)
    counters.paint_cpu += thread_cpu_seconds () - paint_started;
  paint_started = -1;
}

/* An emission hook: GTK's own handler of GdkSurface::render stops the emission. */
static gboolean
surface_render_hook (GSignalInvocationHint *hint,
                     guint                  n_values,
                     const GValue          *values,
                     gpointer               data)
{
  counters.renders++;
  paint_started = thread_cpu_seconds ();  /* GTK's handler snapshots and renders */
  return TRUE;
}

static void
data_cb (LablinkSession *session,
         LablinkMessage *message,
         gpointer        data)
{
  counters.data++;
  if (g_getenv ("BENCH_RENDER_DEBUG"))
    g_printerr ("data %s sent %" G_GINT64_FORMAT "\n", lablink_message_get_type_name (message),
                lablink_message_get_sent_time (message));
}

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of the simulator's thread ("lablink-sim", lablink-sim-thread.c):
 * it stands for the server, which a lab runs on another machine, so the
 * app's CPU is the process's less this. */
static double
sim_cpu_seconds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  double total = 0;

  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *stat_path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *comm = NULL;
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      const char *after;

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL) ||
          !g_str_equal (g_strstrip (comm), "lablink-sim") ||
          !g_file_get_contents (stat_path, &stat, NULL, NULL) ||
          (after = strrchr (stat, ')')) == NULL)
        continue;
      /* after ") ": state(3) … utime(14) stime(15) */
      fields = g_strsplit (after + 2, " ", -1);
      if (g_strv_length (fields) > 12)
        total += (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
    }
  return total;
}

/* Voluntary context switches of every thread of this process; with
 * @by_thread, also each thread's, keyed by "name (tid)". */
static guint64
wakeups (GHashTable *by_thread)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  guint64 total = 0;

  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", tid, "status", NULL);
      g_autofree char *status = NULL;
      const char *line;

      if (g_file_get_contents (path, &status, NULL, NULL) &&
          (line = strstr (status, "\nvoluntary_ctxt_switches:")) != NULL)
        {
          guint64 n = g_ascii_strtoull (line + strlen ("\nvoluntary_ctxt_switches:"), NULL, 10);

          total += n;
          if (by_thread != NULL && g_str_has_prefix (status, "Name:\t"))
            {
              const char *name = status + strlen ("Name:\t");
              g_autofree char *key = g_strdup_printf ("%.*s (%s)", (int) strcspn (name, "\n"), name, tid);

              g_hash_table_insert (by_thread, g_steal_pointer (&key), g_memdup2 (&n, sizeof n));
            }
        }
    }
  return total;
}

/* The threads that woke during a scene, and how often: what an idle app
 * should not do is visible by name. */
static void
print_thread_wakeups (GHashTable *before,
                      GHashTable *after,
                      double      elapsed)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const guint64 *then = g_hash_table_lookup (before, key);
      guint64 n = *(const guint64 *) value - (then ? *then : 0);

      if (n > 0)
        g_printerr ("  wake-ups/s of thread %s: %.1f\n", (const char *) key, n / elapsed);
    }
}

static double
rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "\nVmRSS:")) == NULL)
    return 0;
  return g_ascii_strtod (line + strlen ("\nVmRSS:"), NULL) / 1024.0;
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* One timer, no polling: the idle scene must stay idle. */
static void
run_for (double seconds)
{
  gboolean done = FALSE;

  g_timeout_add ((guint) (seconds * 1000), set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef gboolean (*Condition) (gpointer data);

static gboolean
keep_going (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
wait_for (Condition condition,
          gpointer  data,
          double    seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  guint timer = g_timeout_add (50, keep_going, NULL);
  gboolean met;

  while (!(met = condition (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timer);
  return met;
}

static gboolean
equipment_loaded (gpointer data)
{
  LablinkSession *session = lablink_window_get_session (data);

  return lablink_session_get_connected (session) && lablink_session_get_equipment_loaded (session);
}

static const char *
equipment_id (LablinkSession       *session,
              LablinkEquipmentKind  kind)
{
  GListModel *model = lablink_session_get_equipment (session);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LablinkEquipment) equipment = g_list_model_get_item (model, i);

      if (lablink_equipment_get_kind (equipment) == kind)
        return lablink_equipment_get_id (equipment); /* the list keeps it */
    }
  return NULL;
}

/* The interval first, then the stream if it is not running (a running
 * stream takes a new interval as it is set). */
static void
run_stream (LablinkSession *session,
            const char     *id,
            const char     *type,
            guint           interval_ms)
{
  g_autoptr(GError) error = NULL;

  lablink_session_set_interval (session, id, type, interval_ms);
  if (!lablink_session_is_stream_active (session, id, type) &&
      !lablink_session_start_stream (session, id, type, &error))
    g_error ("cannot start %s of %s: %s", type, id, error->message);
}

static gboolean
acquisition_full (gpointer data)
{
  LablinkWindow *window = data;
  LablinkAcquisitionPanel *panel = lablink_window_get_acquisition_panel (window);
  const char *id = lablink_acquisition_panel_get_selected_id (panel);
  LablinkRing *ring;

  if (id == NULL)
    return FALSE;
  ring = lablink_session_get_acquisition_ring (lablink_window_get_session (window), id);
  return ring != NULL && lablink_ring_get_length (ring) >= lablink_ring_get_capacity (ring);
}

static gboolean
acquisition_selected (gpointer data)
{
  return lablink_acquisition_panel_get_selected_id (lablink_window_get_acquisition_panel (data)) != NULL;
}

/* Sets @window up for @scene; returns a note for the table. */
static char *
set_scene (LablinkWindow *window,
           const char    *scene)
{
  LablinkSession *session = lablink_window_get_session (window);
  const char *psu = equipment_id (session, LABLINK_EQUIPMENT_POWER_SUPPLY);
  const char *scope = equipment_id (session, LABLINK_EQUIPMENT_OSCILLOSCOPE);

  if (psu == NULL || scope == NULL)
    g_error ("the simulator has no PSU or no scope");

  if (!g_str_equal (scene, "psu"))
    lablink_session_stop_stream (session, psu, LABLINK_STREAM_READINGS, NULL);

  if (g_str_equal (scene, "idle"))
    {
      lablink_window_set_page (window, "instruments");
      lablink_window_select_equipment (window, psu);
      return g_strdup ("no stream");
    }
  if (g_str_equal (scene, "psu"))
    {
      lablink_window_set_page (window, "instruments");
      lablink_window_select_equipment (window, psu);
      run_stream (session, psu, LABLINK_STREAM_READINGS, 100);
      return g_strdup ("readings 100 ms");
    }
  if (g_str_equal (scene, "scope"))
    {
      lablink_window_set_page (window, "instruments");
      lablink_window_select_equipment (window, scope);
      run_stream (session, scope, LABLINK_STREAM_WAVEFORM, 50);
      return g_strdup ("waveform 50 ms");
    }
  if (g_str_equal (scene, "acq"))
    {
      LablinkAcquisitionPanel *panel = lablink_window_get_acquisition_panel (window);
      LablinkRing *ring;

      lablink_window_set_page (window, "acquisitions");
      lablink_acquisition_panel_fill_form (panel, scope, "CH1, CH2, CH3, CH4", 50000.0, "continuous");
      g_signal_emit_by_name (lablink_acquisition_panel_get_create_button (panel), "clicked");
      if (!wait_for (acquisition_selected, window, 30))
        g_error ("the acquisition was not created");
      if (!wait_for (acquisition_full, window, 60))
        g_printerr ("bench-render: the acquisition's ring did not fill in 60 s\n");
      ring = lablink_session_get_acquisition_ring (session, lablink_acquisition_panel_get_selected_id (panel));
      return g_strdup_printf ("%u ch x %zu samples",
                              lablink_ring_get_n_channels (ring), lablink_ring_get_length (ring));
    }
  g_error ("unknown scene %s", scene);
  return NULL;
}

static int
run_child (const char *scene)
{
  LablinkApplication *app;
  LablinkWindow *window;
  LablinkSession *session;
  LablinkLatency *latency;
  GdkFrameClock *clock;
  g_autofree char *note = NULL;
  double cpu0, cpu1, sim0, sim1, elapsed;
  guint64 wake0, wake1;
  g_autoptr(GHashTable) threads0 = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) threads1 = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  Counters c0;
  gint64 t0, t1;
  double p50 = -1, p99 = -1;
  guint64 n_latency = 0;
  GskRenderer *renderer;

  g_setenv ("GTK_A11Y", "none", FALSE);
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", FALSE);
  g_setenv ("ADW_DISABLE_PORTAL", "1", FALSE);
  g_setenv ("NO_AT_BRIDGE", "1", FALSE);

  app = lablink_application_new (G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    g_error ("cannot register the application");
  g_application_hold (G_APPLICATION (app));
  lablink_application_set_options (app, NULL, NULL, NULL, TRUE);
  window = lablink_application_open_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  session = lablink_window_get_session (window);

  if (!wait_for (equipment_loaded, window, 30))
    g_error ("the demo did not connect");

  g_signal_connect (session, "stream-data", G_CALLBACK (data_cb), NULL);
  g_signal_connect (session, "acquisition-data", G_CALLBACK (data_cb), NULL);

  note = set_scene (window, scene);
  run_for (opt_warmup);
  /* A stream that the manager found silent (the first GL frames can block
   * the main thread for a second on a loaded machine) is polled over REST
   * from then on: unstamped frames, at another rate. Start it again. */
  for (guint k = 0; k < 2; k++)
    {
      const char *id = lablink_window_get_selected_equipment_id (window);
      const char *types[] = { LABLINK_STREAM_READINGS, LABLINK_STREAM_WAVEFORM };
      gboolean restarted = FALSE;

      for (guint t = 0; id != NULL && t < G_N_ELEMENTS (types); t++)
        if (lablink_session_is_stream_active (session, id, types[t]) &&
            lablink_session_get_stream_status (session, id, types[t]) == LABLINK_STREAM_STATUS_POLLING)
          {
            lablink_session_stop_stream (session, id, types[t], NULL);
            run_for (0.5);
            lablink_session_start_stream (session, id, types[t], NULL);
            restarted = TRUE;
          }
      if (!restarted)
        break;
      g_printerr ("bench-render: %s: a stream was polled, started again\n", scene);
      run_for (opt_warmup);
    }

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0, surface_render_hook, NULL, NULL);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  latency = lablink_session_get_latency (session);
  lablink_latency_reset (latency);
  c0 = counters;
  wake0 = wakeups (threads0);
  cpu0 = cpu_seconds ();
  sim0 = sim_cpu_seconds ();
  t0 = g_get_monotonic_time ();

  run_for (opt_seconds);

  t1 = g_get_monotonic_time ();
  cpu1 = cpu_seconds ();
  sim1 = sim_cpu_seconds ();
  wake1 = wakeups (threads1);
  elapsed = (t1 - t0) / 1e6;
  print_thread_wakeups (threads0, threads1, elapsed);
  n_latency = lablink_latency_get_count (latency);
  p50 = lablink_latency_get_percentile (latency, 0.5);
  p99 = lablink_latency_get_percentile (latency, 0.99);

  {
    double renders = (counters.renders - c0.renders);

    double app_cpu = (cpu1 - cpu0) - (sim1 - sim0);

    g_print ("RESULT scene=%s renderer=%s data=%.1f cycles=%.1f renders=%.1f cpu_per_render=%.2f paint=%.2f "
             "cpu=%.1f sim=%.1f wakeups=%.1f rss=%.0f lat_n=%" G_GUINT64_FORMAT " p50=%.1f p99=%.1f note=%s\n",
             scene, G_OBJECT_TYPE_NAME (renderer),
             (counters.data - c0.data) / elapsed,
             (counters.cycles - c0.cycles) / elapsed,
             renders / elapsed,
             renders > 0 ? app_cpu * 1000.0 / renders : 0.0,
             renders > 0 ? (counters.paint_cpu - c0.paint_cpu) * 1000.0 / renders : 0.0,
             100.0 * app_cpu / elapsed,
             100.0 * (sim1 - sim0) / elapsed,
             (wake1 - wake0) / elapsed,
             rss_mib (),
             n_latency, p50 / 1000.0, p99 / 1000.0,
             note);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  run_for (0.1);
  g_application_release (G_APPLICATION (app));
  g_object_unref (app);
  return 0;
}

/* ------------------------------------------------------------------ */
/* The parent: Xvfb, a child per scene and renderer, the table         */
/* ------------------------------------------------------------------ */

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

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
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  *out_xvfb = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (*out_xvfb == NULL)
    g_error ("Cannot run Xvfb: %s", error->message);

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

static const char *
field (GStrv        fields,
       const char  *name)
{
  gsize n = strlen (name);

  for (guint i = 0; fields[i] != NULL; i++)
    if (strncmp (fields[i], name, n) == 0 && fields[i][n] == '=')
      return fields[i] + n + 1;
  return "?";
}

static void
run_one (const char *self_exe,
         const char *display,
         const char *scene,
         const char *renderer)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *seconds = g_strdup_printf ("%g", opt_seconds);
  g_autofree char *warmup = g_strdup_printf ("%g", opt_warmup);
  const char *argv[] = { self_exe, "--child", scene, "--seconds", seconds, "--warmup", warmup, NULL };
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) fields = NULL;
  const char *result;

  g_subprocess_launcher_setenv (launcher, "DISPLAY", display, TRUE);
  g_subprocess_launcher_setenv (launcher, "GDK_BACKEND", "x11", TRUE);
  /* default: the app's choice (lablink-renderer.c) */
  if (g_str_equal (renderer, "default"))
    g_subprocess_launcher_unsetenv (launcher, "GSK_RENDERER");
  else
    g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer, TRUE);
  g_subprocess_launcher_setenv (launcher, "LIBGL_ALWAYS_SOFTWARE", "1", FALSE);
  g_subprocess_launcher_unsetenv (launcher, "GDK_DEBUG");
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  child = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (child == NULL)
    g_error ("%s", error->message);
  if (!g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error))
    g_error ("%s", error->message);

  result = out ? strstr (out, "RESULT ") : NULL;
  if (result == NULL)
    {
      g_print ("%-6s %-6s  (failed)\n", scene, renderer);
      return;
    }
  fields = g_strsplit (g_strchomp ((char *) result + strlen ("RESULT ")), " ", -1);
  g_print ("%-6s %-7s %-17s %6s %6s %6s %7s %6s %6s %6s %7s %6s %6s %6s  %s\n",
           scene, renderer, field (fields, "renderer"),
           field (fields, "data"), field (fields, "cycles"), field (fields, "renders"),
           field (fields, "cpu_per_render"), field (fields, "paint"), field (fields, "cpu"), field (fields, "sim"),
           field (fields, "wakeups"),
           field (fields, "rss"), field (fields, "p50"), field (fields, "p99"),
           strstr (result, "note=") + strlen ("note="));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— CPU, frames and latency of the live window");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) xvfb = NULL;
  g_autofree char *display = NULL;
  g_autofree char *self_exe = NULL;
  const char * const *scenes;
  const char * const *renderers;
  double load[3] = { 0, 0, 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (opt_child != NULL)
    return run_child (opt_child);

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  scenes = opt_scenes ? (const char * const *) opt_scenes : all_scenes;
  renderers = opt_renderers ? (const char * const *) opt_renderers : all_renderers;
  display = opt_display ? g_strdup (opt_display) : start_xvfb (&xvfb);

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *date = g_date_time_format (now, "%F %T UTC");

    getloadavg (load, 3);
    g_print ("bench-render, %s, load %.2f %.2f %.2f, %g s per scene after %g s\n",
             date, load[0], load[1], load[2], opt_seconds, opt_warmup);
  }
  g_print ("%-6s %-7s %-17s %6s %6s %6s %7s %6s %6s %6s %7s %6s %6s %6s  %s\n",
           "scene", "asked", "renderer", "data/s", "cycl/s", "rend/s", "ms/rend", "paint", "CPU%", "sim%", "wake/s",
           "RSS MB", "p50 ms", "p99 ms", "note");
  for (guint s = 0; scenes[s] != NULL; s++)
    for (guint r = 0; renderers[r] != NULL; r++)
      run_one (self_exe, display, scenes[s], renderers[r]);

  getloadavg (load, 3);
  g_print ("load after: %.2f %.2f %.2f\n", load[0], load[1], load[2]);

  if (xvfb != NULL)
    {
      g_subprocess_send_signal (xvfb, SIGTERM);
      g_subprocess_wait (xvfb, NULL, NULL);
    }
  return 0;
}
