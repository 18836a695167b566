/* cli-stats.c — the stats command: listen on the WebSocket, print its statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "cli-private.h"
#include "cli-util.h"

static double opt_duration;

static const GOptionEntry stats_entries[] = {
  { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &opt_duration,
    "Collect for S seconds (default 5)", "S" },
  { NULL }
};

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  return v != NULL ? v->value_nick : "?";
}

static int
cmd_stats (Cli   *cli,
           char **args)
{
  g_autoptr(LablinkStatistics) stats = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *ws_url = NULL;
  g_autofree char *shown = NULL;
  double duration = opt_duration > 0 ? opt_duration : 5.0;
  int status;

  if (!(opt_duration >= 0) || opt_duration > 1e6)
    return cli_usage_error ("--duration must be between 0 and 1000000 seconds");

  status = cli_connect (cli);
  if (status != EXIT_OK)
    return status;

  cli_start_stop_timer (cli, duration);
  cli_run_until_stop (cli);
  g_clear_handle_id (&cli->stop_timer, g_source_remove);

  stats = lablink_stream_manager_get_statistics (cli->manager);
  ws_url = lablink_client_dup_ws_url (cli->client);
  shown = cli_redact_token (ws_url);

  printf ("WebSocket:          %s\n", shown);
  printf ("State:              %s\n",
          enum_nick (LABLINK_TYPE_CONNECTION_STATE, lablink_stream_manager_get_state (cli->manager)));
  printf ("Uptime:             %.1f s\n", lablink_statistics_get_uptime_s (stats));
  printf ("Messages received:  %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " bytes)\n",
          lablink_statistics_get_messages_received (stats),
          lablink_statistics_get_bytes_received (stats));
  printf ("Messages sent:      %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " bytes)\n",
          lablink_statistics_get_messages_sent (stats),
          lablink_statistics_get_bytes_sent (stats));
  printf ("Dropped:            %" G_GUINT64_FORMAT "\n", lablink_statistics_get_dropped (stats));
  printf ("Reconnects:         %u\n", lablink_statistics_get_reconnects (stats));
  printf ("Ping latency:       %.1f ms\n", lablink_statistics_get_ping_latency_ms (stats));
  printf ("Errors:             %" G_GUINT64_FORMAT "\n",
          lablink_statistics_get_errors_total (stats));
  for (int kind = 0; kind < LABLINK_N_ERROR_KINDS; kind++)
    {
      guint64 count = lablink_statistics_get_errors (stats, kind);

      if (count > 0)
        printf ("  %-18s%" G_GUINT64_FORMAT "\n", enum_nick (LABLINK_TYPE_ERROR_KIND, kind), count);
    }

  keys = lablink_statistics_get_stream_keys (stats);
  printf ("Streams:            %u active, %u seen\n",
          lablink_statistics_get_n_active_streams (stats), keys != NULL ? g_strv_length (keys) : 0);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      guint64 messages = 0, dropped = 0;
      double rate = 0, age = 0;
      LablinkStreamStatus stream_status = LABLINK_STREAM_STATUS_STOPPED;

      if (!lablink_statistics_get_stream (stats, keys[i], &messages, &dropped, &rate, &age,
                                          &stream_status))
        continue;
      printf ("  %s: %" G_GUINT64_FORMAT " messages, %.2f Hz, %" G_GUINT64_FORMAT
              " dropped, last %.1f s ago, %s\n",
              keys[i], messages, rate, dropped, age,
              enum_nick (LABLINK_TYPE_STREAM_STATUS, stream_status));
    }

  cli_disconnect (cli);

  if (cli->error_message != NULL)
    {
      cli_print_error (cli->error_message);
      return EXIT_RUNTIME;
    }
  return EXIT_OK;
}

const CliCommand cli_command_stats = {
  .name = "stats",
  .parameters = "",
  .summary = "Connect, listen, and print the stream statistics",
  .entries = stats_entries,
  .min_args = 0,
  .max_args = 0,
  .run = cmd_stats,
};
