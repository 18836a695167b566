/* bench-ingest.c — how fast the stream manager ingests a flood, and how
 * well the consumer's main loop keeps turning meanwhile.
 *
 * A forked server floods the exact PSU readings frame of the recorded
 * LabLink 1.2.5 traffic. We measure frames handled per CPU-second of this
 * process (all threads) and the worst delay of a 10 ms timer on the
 * consumer's main loop, for liblablink and, in the same run, for a plain
 * libsoup + json-glib tree client on its main loop.
 *
 * Run by hand: build/bench/bench-ingest [--frames N] [--no-baseline]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <lablink.h>
#include <sys/resource.h>

#include "flood-server.h"

/* The first PSU readings frame of lablink-1.2.5-patched.jsonl (ws-psu-readings), byte for byte. */
static const char psu_frame[] =
  "{\"type\": \"stream_data\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", "
  "\"data\": {\"equipment_id\": \"ps_250e6dfe\", \"timestamp\": \"2026-11-25T17:39:49.400093\", "
  "\"channel\": 1, \"voltage_set\": 5.0, \"current_set\": 1.0, \"voltage_actual\": 5.000444620551635, "
  "\"current_actual\": 0.49995062717259475, \"output_enabled\": true, \"in_cv_mode\": true, \"in_cc_mode\": false}}";

typedef struct {
  guint64  expected;
  guint64  delivered;
  double   checksum;
  gint64   last_tick;
  gint64   worst_delay;
  guint64  ticks;
  gboolean connected;
  gboolean failed;
} Run;

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static gboolean
tick_cb (gpointer data)
{
  Run *run = data;
  gint64 now = g_get_monotonic_time ();

  if (run->last_tick != 0)
    run->worst_delay = MAX (run->worst_delay, now - run->last_tick - 10000);
  run->last_tick = now;
  run->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
on_stream_data (LablinkStreamManager *manager,
                LablinkMessage       *message,
                gpointer              data)
{
  Run *run = data;
  double v;

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
  run->connected = TRUE;
}

static void
report (const char *name,
        guint64     handled,
        guint64     delivered,
        guint64     dropped,
        double      cpu,
        double      wall,
        Run        *run)
{
  g_print ("%-22s %9" G_GUINT64_FORMAT " frames  %6.2f s wall  %6.2f s CPU  %9.0f frames/CPU-s  "
           "delivered %" G_GUINT64_FORMAT " dropped %" G_GUINT64_FORMAT "  10 ms timer: %" G_GUINT64_FORMAT " ticks, worst delay %.2f ms\n",
           name, handled, wall, cpu, handled / cpu, delivered, dropped,
           run->ticks, run->worst_delay / 1000.0);
}

static double
bench_lablink (guint port,
               guint64 frames)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(LablinkClient) client = lablink_client_new (url, NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(LablinkStatistics) stats = NULL;
  Run run = { .expected = frames };
  GMainContext *context = g_main_context_default ();
  gint64 start, deadline;
  double cpu0, cpu;
  guint tick;

  manager = g_object_new (LABLINK_TYPE_STREAM_MANAGER, "client", client,
                          "reconnect", FALSE, "ping-interval-ms", 600000, NULL);
  g_signal_connect (manager, "stream-data", G_CALLBACK (on_stream_data), &run);

  lablink_stream_manager_connect_async (manager, NULL, connected_cb, &run);
  cpu0 = cpu_seconds ();
  start = g_get_monotonic_time ();
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
      if (run.delivered + lablink_statistics_get_dropped (stats) >= frames)
        break;
    }

  cpu = cpu_seconds () - cpu0;
  g_source_remove (tick);
  g_clear_pointer (&stats, lablink_statistics_unref);
  stats = lablink_stream_manager_get_statistics (manager);
  report ("liblablink", lablink_statistics_get_messages_received (stats), run.delivered,
          lablink_statistics_get_dropped (stats), cpu,
          (g_get_monotonic_time () - start) / 1e6, &run);
  lablink_stream_manager_disconnect (manager);

  return lablink_statistics_get_messages_received (stats) / cpu;
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
  run->connected = TRUE;
}

static double
bench_baseline (guint   port,
                guint64 frames)
{
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/ws", port);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  Run run = { .expected = frames };
  gint64 start, deadline;
  double cpu0, cpu;
  guint tick;

  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        baseline_connected, &run);
  cpu0 = cpu_seconds ();
  start = g_get_monotonic_time ();
  tick = g_timeout_add (10, tick_cb, &run);
  deadline = start + 120 * G_USEC_PER_SEC;

  while (run.delivered < frames && !run.failed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  cpu = cpu_seconds () - cpu0;
  g_source_remove (tick);
  report ("libsoup+json-glib tree", run.delivered, run.delivered, 0, cpu,
          (g_get_monotonic_time () - start) / 1e6, &run);
  g_object_set_data (G_OBJECT (session), "conn", NULL);
  return run.delivered / cpu;
}

static void
ignore_log (const char     *domain,
            GLogLevelFlags  level,
            const char     *message,
            gpointer        data)
{
}

int
main (int   argc,
      char *argv[])
{
  gint64 frames = 1000000;
  gboolean no_baseline = FALSE;
  GOptionEntry entries[] = {
    { "frames", 'n', 0, G_OPTION_ARG_INT64, &frames, "Frames to flood (default 1000000)", "N" },
    { "no-baseline", 0, 0, G_OPTION_ARG_NONE, &no_baseline, "Skip the libsoup + json-glib baseline", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- LabLink ingest benchmark");
  g_autoptr(GError) error = NULL;
  FloodServer lablink_server, baseline_server = { 0 };
  double ours, theirs = 0;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (g_getenv ("BENCH_QUIET_SOUP"))
    g_log_set_handler ("libsoup", G_LOG_LEVEL_DEBUG, ignore_log, NULL);

  /* Fork the servers before any thread exists. */
  lablink_server = flood_server_start (psu_frame, (guint64) frames);
  if (!no_baseline)
    baseline_server = flood_server_start (psu_frame, (guint64) frames);

  g_print ("Flooding %" G_GINT64_FORMAT " copies of the %zu-byte PSU readings frame over loopback\n",
           frames, strlen (psu_frame));

  ours = bench_lablink (lablink_server.port, (guint64) frames);
  flood_server_stop (&lablink_server);

  if (!no_baseline)
    {
      theirs = bench_baseline (baseline_server.port, (guint64) frames);
      flood_server_stop (&baseline_server);
      g_print ("ratio liblablink / baseline: %.2fx\n", ours / theirs);
    }

  return 0;
}
