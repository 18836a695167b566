/* cli-stream.c — the stream command: print an instrument stream's data
 *
 * Streams are global on a LabLink server: every client gets every frame,
 * any client's start_stream sets the interval for all of them, and any
 * client's stop_stream stops the stream for all. So the command first finds
 * out whether the stream already runs (the simulator's GET /api/sim/status
 * lists its streams; LabLink has no such route, so there the command
 * listens for a frame, for 1.5 times the longest interval lablink-monitor
 * offers), and then
 *  - running, without --interval-ms: it only listens, and leaves the stream
 *    to its owner;
 *  - running, with --interval-ms: it sets the new interval, says on stderr
 *    that this changes it for every client, and leaves the stream running;
 *  - not running: it starts the stream and stops it at the end.
 *
 * Printing blocks when stdout is a slow pipe or file; meanwhile the stream
 * manager's worker keeps receiving and drops the oldest frames it holds.
 * The drops are counted per stream (LablinkStatistics): the command reports
 * them on stderr, at most once a second, and in a summary at the end. It
 * also says when the stream manager falls back to REST polling (the stream
 * went silent) and when frames arrive over the WebSocket again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "cli-private.h"
#include "cli-util.h"

#define PLAUSIBLE_MAX_INTERVAL_MS 5000   /* lablink-monitor's longest interval */
#define LISTEN_MS                 (PLAUSIBLE_MAX_INTERVAL_MS * 3 / 2)
#define DROP_REPORT_US            G_USEC_PER_SEC
#define INTERVAL_UNSET            G_MININT

static int opt_interval_ms = INTERVAL_UNSET;
static int opt_count;
static double opt_duration;

static const GOptionEntry stream_entries[] = {
  { "interval-ms", 'i', 0, G_OPTION_ARG_INT, &opt_interval_ms,
    "Ask for a frame every N ms (default 100; a stream that already runs keeps its "
    "interval unless this is given, and then it changes for every client)", "N" },
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count, "Stop after N frames", "N" },
  { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &opt_duration, "Stop after S seconds", "S" },
  { NULL }
};

typedef struct {
  Cli *cli;
  const char *equipment_id;
  const char *stream_type;
  char *key;
  guint64 frames;             /* printed */
  gboolean owned;             /* started by us: stopped at the end */
  guint interval_ms;          /* what we asked for, when we started it */
  gboolean polling;           /* the fall-back to polling was announced */
  guint64 dropped_reported;
  gint64 last_drop_check;
} StreamState;

/* Reports on stderr the frames of the stream dropped since the last report. */
static void
report_drops (StreamState *state)
{
  g_autoptr(LablinkStatistics) stats = lablink_stream_manager_get_statistics (state->cli->manager);
  guint64 dropped = 0;

  if (!lablink_statistics_get_stream (stats, state->key, NULL, &dropped, NULL, NULL, NULL) ||
      dropped <= state->dropped_reported)
    return;

  fprintf (stderr, "lablink-cli: dropped %" G_GUINT64_FORMAT " frames (consumer too slow)\n",
           dropped - state->dropped_reported);
  state->dropped_reported = dropped;
}

static void
on_stream_data (LablinkStreamManager *manager,
                LablinkMessage       *message,
                gpointer              user_data)
{
  StreamState *state = user_data;
  JsonNode *root, *data;
  g_autofree char *text = NULL;
  gint64 now;

  if (g_strcmp0 (lablink_message_get_equipment_id (message), state->equipment_id) != 0 ||
      g_strcmp0 (lablink_message_get_stream_type (message), state->stream_type) != 0)
    return;
  if (opt_count > 0 && state->frames >= (guint64) opt_count)
    return;

  root = lablink_message_get_node (message);
  data = JSON_NODE_HOLDS_OBJECT (root)
    ? json_object_get_member (json_node_get_object (root), "data") : NULL;
  text = cli_json_to_string (data, FALSE);
  printf ("%s\n", text);
  fflush (stdout);

  state->frames++;
  if (opt_count > 0 && state->frames >= (guint64) opt_count)
    state->cli->stop = TRUE;

  /* Drops happen only while frames arrive: checking here, at most once a
   * second, needs no timer. */
  now = g_get_monotonic_time ();
  if (now - state->last_drop_check >= DROP_REPORT_US)
    {
      state->last_drop_check = now;
      report_drops (state);
    }
}

static void
on_stream_status_changed (LablinkStreamManager *manager,
                          const char           *key,
                          LablinkStreamStatus   status,
                          gpointer              user_data)
{
  StreamState *state = user_data;

  if (g_strcmp0 (key, state->key) != 0)
    return;

  /* (a reconnect goes from polling through "starting" to "running") */
  if (status == LABLINK_STREAM_STATUS_POLLING && !state->polling)
    {
      fprintf (stderr, "lablink-cli: no frames of %s over the WebSocket: falling back to REST "
               "polling every %u ms\n", key, state->interval_ms);
      state->polling = TRUE;
    }
  else if (status == LABLINK_STREAM_STATUS_RUNNING && state->polling)
    {
      fprintf (stderr, "lablink-cli: frames of %s arrive over the WebSocket again: "
               "streaming resumed, polling stopped\n", key);
      state->polling = FALSE;
    }
}

/* Whether the server says @key runs: the simulator lists its streams in
 * GET /api/sim/status. FALSE when it does not say (LabLink has no such
 * route). */
static gboolean
query_running (Cli        *cli,
               const char *key,
               gboolean   *running)
{
  g_autoptr(GCancellable) op = cli_op_cancellable (cli);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonNode *streams;

  lablink_client_request_async (cli->client, "GET", "/api/sim/status", NULL, op,
                                cli_on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  node = lablink_client_request_finish (cli->client, result, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;

  streams = json_object_get_member (json_node_get_object (node), "streams");
  if (streams == NULL || !JSON_NODE_HOLDS_ARRAY (streams))
    return FALSE;

  *running = FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (streams)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (streams), i);

      if (JSON_NODE_HOLDS_VALUE (element) &&
          json_node_get_value_type (element) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (element), key) == 0)
        *running = TRUE;
    }
  return TRUE;
}

/* Listens for a frame of the stream (and prints it) for LISTEN_MS. */
static gboolean
listen_for_frame (Cli         *cli,
                  StreamState *state)
{
  gboolean expired = FALSE;
  guint deadline;

  if (isatty (STDERR_FILENO))
    fprintf (stderr, "lablink-cli: listening up to %.1f s for frames of %s, in case another "
             "client runs it…\n", LISTEN_MS / 1000.0, state->key);

  deadline = g_timeout_add (LISTEN_MS, cli_on_deadline, &expired);
  while (state->frames == 0 && !expired && !cli->stop)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (deadline);

  return state->frames > 0;
}

static int
cmd_stream (Cli   *cli,
            char **args)
{
  static const char * const types[] = {
    LABLINK_STREAM_READINGS, LABLINK_STREAM_WAVEFORM, LABLINK_STREAM_MEASUREMENTS, NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkStatistics) stats = NULL;
  g_autofree char *key = NULL;
  gboolean explicit_interval = opt_interval_ms != INTERVAL_UNSET;
  StreamState state = { 0 };
  gboolean running = FALSE;
  guint64 received = 0, dropped = 0;
  int status;

  if (!g_strv_contains (types, args[1]))
    return cli_usage_error ("The stream TYPE must be readings, waveform or measurements");
  if (explicit_interval && (opt_interval_ms < 1 || opt_interval_ms > 3600000))
    return cli_usage_error ("--interval-ms must be between 1 and 3600000");
  if (opt_count < 0)
    return cli_usage_error ("--count must not be negative");
  if (!(opt_duration >= 0) || opt_duration > 1e6)
    return cli_usage_error ("--duration must be between 0 and 1000000 seconds");

  status = cli_check_equipment (cli, args[0], args[1]);
  if (status != EXIT_OK)
    return status;

  status = cli_connect (cli);
  if (status != EXIT_OK)
    return status;

  key = lablink_protocol_stream_key (args[0], args[1]);
  state.cli = cli;
  state.equipment_id = args[0];
  state.stream_type = args[1];
  state.key = key;
  state.interval_ms = explicit_interval ? (guint) opt_interval_ms : LABLINK_DEFAULT_INTERVAL_MS;
  g_signal_connect (cli->manager, "stream-data", G_CALLBACK (on_stream_data), &state);
  g_signal_connect (cli->manager, "stream-status-changed",
                    G_CALLBACK (on_stream_status_changed), &state);

  if (opt_duration > 0)
    cli_start_stop_timer (cli, opt_duration);

  if (!query_running (cli, key, &running) && !cli->stop)
    running = listen_for_frame (cli, &state);

  if (cli->stop)
    ;   /* interrupted, or --count reached while listening */
  else if (running && !explicit_interval)
    fprintf (stderr, "lablink-cli: %s already runs (another client started it): printing it "
             "at its interval, and leaving it running\n", key);
  else
    {
      if (running)
        fprintf (stderr, "lablink-cli: %s already runs: --interval-ms changes its interval to "
                 "%u ms for every client of the server (it keeps running after this command)\n",
                 key, state.interval_ms);
      if (!lablink_stream_manager_start_equipment_stream (cli->manager, args[0], args[1],
                                                         state.interval_ms, &error))
        {
          cli_disconnect (cli);
          return cli_runtime_error (error);
        }
      state.owned = !running;
    }

  cli_run_until_stop (cli);
  g_clear_handle_id (&cli->stop_timer, g_source_remove);

  if (state.owned &&
      !lablink_stream_manager_stop_equipment_stream (cli->manager, args[0], args[1], &error))
    g_clear_error (&error);   /* the link may be gone; nothing to stop then */

  /* The drops not reported yet, and a summary */
  report_drops (&state);
  stats = lablink_stream_manager_get_statistics (cli->manager);
  if (lablink_statistics_get_stream (stats, key, &received, &dropped, NULL, NULL, NULL) &&
      dropped > 0)
    fprintf (stderr, "lablink-cli: %s: %" G_GUINT64_FORMAT " frames received, %" G_GUINT64_FORMAT
             " printed, %" G_GUINT64_FORMAT " dropped (consumer too slow), %" G_GUINT64_FORMAT
             " unprinted at the end\n", key, received, state.frames, dropped,
             received - MIN (received, state.frames + dropped));

  cli_disconnect (cli);

  if (cli->error_message != NULL)
    {
      cli_print_error (cli->error_message);
      return EXIT_RUNTIME;
    }

  if (state.frames == 0 && cli->n_signals == 0)
    {
      g_autofree char *message = running && !state.owned
        ? g_strdup_printf ("No data arrived for %s %s: the stream another client runs sent "
                           "nothing (it may have been stopped)", args[0], args[1])
        : g_strdup_printf ("No data arrived for %s %s: the server accepted the stream but sent "
                           "nothing (an instrument that fails to read goes silent)",
                           args[0], args[1]);
      cli_print_error (message);
      return EXIT_RUNTIME;
    }

  return EXIT_OK;
}

static void
stream_clear (void)
{
  opt_interval_ms = INTERVAL_UNSET;
  opt_count = 0;
  opt_duration = 0;
}

const CliCommand cli_command_stream = {
  .name = "stream",
  .parameters = "EQUIPMENT_ID TYPE",
  .summary =
    "Print a stream's data (TYPE: readings, waveform, measurements), one JSON object a line",
  .entries = stream_entries,
  .min_args = 2,
  .max_args = 2,
  .run = cmd_stream,
  .clear = stream_clear,
};
