/* bench-parse.c — the codec alone: nanoseconds to validate and decode the
 * recorded PSU readings frame, against json-glib building a tree.
 *
 * Run by hand: build/bench/bench-parse [--frames N]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>
#include <time.h>

static const char psu_frame[] =
  "{\"type\": \"stream_data\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", "
  "\"data\": {\"equipment_id\": \"ps_250e6dfe\", \"timestamp\": \"2026-11-25T17:39:49.400093\", "
  "\"channel\": 1, \"voltage_set\": 5.0, \"current_set\": 1.0, \"voltage_actual\": 5.000444620551635, "
  "\"current_actual\": 0.49995062717259475, \"output_enabled\": true, \"in_cv_mode\": true, \"in_cc_mode\": false}}";

static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main (int   argc,
      char *argv[])
{
  gint64 frames = 2000000;
  GOptionEntry entries[] = {
    { "frames", 'n', 0, G_OPTION_ARG_INT64, &frames, "Frames to parse", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- LabLink codec benchmark");
  g_autoptr(GBytes) bytes = g_bytes_new_static (psu_frame, strlen (psu_frame));
  double t0, ours, theirs, sum = 0;
  gint64 i;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, NULL))
    return 2;

  t0 = cpu_now ();
  for (i = 0; i < frames; i++)
    {
      LablinkMessage *message = lablink_message_parse_bytes (bytes, 0, NULL);
      double v = 0;
      lablink_message_get_double (message, "data.voltage_actual", &v);
      sum += v;
      lablink_message_unref (message);
    }
  ours = (cpu_now () - t0) / frames * 1e9;

  t0 = cpu_now ();
  for (i = 0; i < frames / 4; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      json_parser_load_from_data (parser, psu_frame, -1, NULL);
      sum += json_object_get_double_member (json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "data"), "voltage_actual");
    }
  theirs = (cpu_now () - t0) / (frames / 4) * 1e9;

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M UTC");
    g_autofree char *load = NULL;
    g_auto(GStrv) fields = NULL;

    if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
      fields = g_strsplit (load, " ", 4);
    g_print ("bench-parse %s, load average %s %s %s\n", date,
             fields && fields[0] ? fields[0] : "?",
             fields && fields[0] && fields[1] ? fields[1] : "",
             fields && fields[0] && fields[1] && fields[2] ? fields[2] : "");
  }
  g_print ("lablink_message_parse_bytes + get_double: %7.0f ns/frame (%.0f frames/CPU-s)\n", ours, 1e9 / ours);
  g_print ("json-glib JsonParser tree  + get_double: %7.0f ns/frame (%.0f frames/CPU-s)\n", theirs, 1e9 / theirs);
  g_print ("ratio: %.1fx (checksum %.3f)\n", theirs / ours, sum);
  return 0;
}
