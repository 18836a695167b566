/* cli-stats.c — the stats command: listen on the WebSocket, print its statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli-private.h"
#include "cli-util.h"

static double opt_duration;

static const GOptionEntry stats_entries[] = {
  { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &opt_duration,
    "Collect for S seconds (default 5)", "S" },
  { NULL }
};

static const char *
enum_nick (GType       type,
           int         value,
           const char *prefix)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  if (v == NULL)
    return "?";
  /* "error-kind-connection" → "connection" */
  return prefix != NULL && g_str_has_prefix (v->value_nick, prefix)
    ? v->value_nick + strlen (prefix) : v->value_nick;
}

/* Rows of "LABEL: VALUE", printed with the values in one column (padded by
 * characters) at least two spaces after the longest label. */
typedef struct {
  GPtrArray *labels;
  GPtrArray *values;
} Table;

static void
table_init (Table *table)
{
  table->labels = g_ptr_array_new_with_free_func (g_free);
  table->values = g_ptr_array_new_with_free_func (g_free);
}

static void
table_clear (Table *table)
{
  g_clear_pointer (&table->labels, g_ptr_array_unref);
  g_clear_pointer (&table->values, g_ptr_array_unref);
}

G_GNUC_PRINTF (3, 4)
static void
table_add (Table      *table,
           const char *label,
           const char *format,
           ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (table->labels, g_strconcat (label, ":", NULL));
  g_ptr_array_add (table->values, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
table_print (Table *table,
             guint  min_width)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint width = 0;

  for (guint i = 0; i < table->labels->len; i++)
    width = MAX (width, (guint) g_utf8_strlen (table->labels->pdata[i], -1));
  width = MAX (width + 2, min_width);

  for (guint i = 0; i < table->labels->len; i++)
    {
      cli_append_padded (out, table->labels->pdata[i], width);
      g_string_append (out, table->values->pdata[i]);
      g_string_append_c (out, '\n');
    }
  fputs (out->str, stdout);
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
  Table table, streams;
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
  keys = lablink_statistics_get_stream_keys (stats);

  table_init (&table);
  table_add (&table, "WebSocket", "%s", shown);
  table_add (&table, "State", "%s",
             enum_nick (LABLINK_TYPE_CONNECTION_STATE,
                        lablink_stream_manager_get_state (cli->manager), NULL));
  table_add (&table, "Uptime", "%.1f s", lablink_statistics_get_uptime_s (stats));
  table_add (&table, "Messages received", "%" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " bytes)",
             lablink_statistics_get_messages_received (stats),
             lablink_statistics_get_bytes_received (stats));
  table_add (&table, "Messages sent", "%" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " bytes)",
             lablink_statistics_get_messages_sent (stats),
             lablink_statistics_get_bytes_sent (stats));
  table_add (&table, "Dropped", "%" G_GUINT64_FORMAT, lablink_statistics_get_dropped (stats));
  table_add (&table, "Reconnects", "%u", lablink_statistics_get_reconnects (stats));
  table_add (&table, "Ping latency", "%.1f ms", lablink_statistics_get_ping_latency_ms (stats));
  table_add (&table, "Errors", "%" G_GUINT64_FORMAT, lablink_statistics_get_errors_total (stats));
  for (int kind = 0; kind < LABLINK_N_ERROR_KINDS; kind++)
    {
      guint64 count = lablink_statistics_get_errors (stats, kind);
      g_autofree char *label = NULL;

      if (count == 0)
        continue;
      label = g_strconcat ("  ", enum_nick (LABLINK_TYPE_ERROR_KIND, kind, "error-kind-"), NULL);
      table_add (&table, label, "%" G_GUINT64_FORMAT, count);
    }
  table_add (&table, "Streams", "%u active, %u seen",
             lablink_statistics_get_n_active_streams (stats),
             keys != NULL ? g_strv_length (keys) : 0);
  table_print (&table, 0);
  table_clear (&table);

  /* One row a stream, in a table of its own: stream keys can be long. */
  table_init (&streams);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      guint64 messages = 0, dropped = 0;
      double rate = 0, age = -1;
      LablinkStreamStatus stream_status = LABLINK_STREAM_STATUS_STOPPED;
      g_autofree char *label = NULL;
      g_autofree char *last = NULL;

      if (!lablink_statistics_get_stream (stats, keys[i], &messages, &dropped, &rate, &age,
                                          &stream_status))
        continue;
      label = g_strconcat ("  ", keys[i], NULL);
      last = age >= 0 ? g_strdup_printf ("last %.1f s ago", age) : g_strdup ("none yet");
      table_add (&streams, label, "%" G_GUINT64_FORMAT " messages, %.2f Hz, %" G_GUINT64_FORMAT
                 " dropped, %s, %s", messages, rate, dropped, last,
                 enum_nick (LABLINK_TYPE_STREAM_STATUS, stream_status, "stream-status-"));
    }
  table_print (&streams, 0);
  table_clear (&streams);

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
