/* test-cli-stream.c — lablink-cli stream against lablink-sim: frames as
 * JSON lines, Ctrl-C, a stream another client runs, the REST polling of a
 * silent stream, and frames dropped for a consumer too slow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "cli-test-util.h"

static gboolean
cli_test_on_timeout (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_sim_stream (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  if (sim == NULL)
    return;

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--server", test_sim_get_url (sim), "stream", "ps_250e6dfe",
                            "readings", "--count", "3", "--interval-ms", "50", "--duration", "20",
                            NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonNode) data = lablink_json_parse (lines[i], -1, NULL);

      g_assert_nonnull (data);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (data), "equipment_id"), ==, "ps_250e6dfe");
      g_assert_true (json_object_has_member (json_node_get_object (data), "voltage_set"));
    }

  /* a scope has no readings stream */
  g_assert_cmpint (run_cli (NULL, NULL, &err, "--server", test_sim_get_url (sim), "stream", "scope_386959fc",
                            "readings", "--count", "1", NULL), ==, 1);
  assert_contains (err, "waveform, measurements");

  test_sim_free (sim);
}

static void
test_sim_stream_sigint (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;

  if (sim == NULL)
    return;

  process = test_spawn ((const char * const[]) { LABLINK_CLI_PATH, "--server", test_sim_get_url (sim),
                                                  "stream", "load_47fa0d5c", "readings",
                                                  "--duration", "3600", NULL },
                       G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = test_read_line (lines);
  g_assert_nonnull (line);
  assert_contains (line, "load_47fa0d5c");

  /* Ctrl-C: a clean stop, exit status 0, long before --duration */
  interrupt_cli (process, "lablink-cli stream");

  test_sim_free (sim);
}

/* Arrival times (monotonic µs) of one stream's frames, as a listener sees them */
typedef struct {
  const char *key;
  GArray *times;
} FrameLog;

static void
frame_log_cb (LablinkStreamManager *manager,
              LablinkMessage       *message,
              gpointer              user_data)
{
  FrameLog *log = user_data;
  gint64 now = g_get_monotonic_time ();

  if (g_strcmp0 (lablink_message_get_stream_key (message), log->key) == 0)
    g_array_append_val (log->times, now);
}

static gboolean
frame_log_wait (FrameLog *log,
                guint     n_frames,
                guint     timeout_s)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, cli_test_on_timeout, &expired);

  while (log->times->len < n_frames && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return log->times->len >= n_frames;
}

/* The mean gap between the frames from @first on, in ms */
static double
frame_log_mean_gap_ms (FrameLog *log,
                       guint     first)
{
  guint last = log->times->len - 1;

  g_assert_cmpuint (last, >, first);
  return (g_array_index (log->times, gint64, last) - g_array_index (log->times, gint64, first)) /
         1000.0 / (last - first);
}

/* Streams are global: "stream" on a stream another client runs must leave
 * its interval alone (unless --interval-ms is given) and never stop it. */
static void
test_sim_stream_shared (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  FrameLog log = { "ps_250e6dfe_readings", NULL };
  guint first;

  if (sim == NULL)
    return;

  log.times = g_array_new (FALSE, FALSE, sizeof (gint64));
  manager = connect_listener (sim);
  g_signal_connect (manager, "stream-data", G_CALLBACK (frame_log_cb), &log);
  /* slower than the 300 ms the command used to listen before starting */
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, "ps_250e6dfe", "readings",
                                                                700, &error));
  g_assert_no_error (error);
  g_assert_true (frame_log_wait (&log, 1, 30));

  /* without --interval-ms: it only listens */
  g_assert_cmpint (run_cli (NULL, &out, &err, "--server", test_sim_get_url (sim), "stream", "ps_250e6dfe",
                            "readings", "-n", "3", "--duration", "60", NULL), ==, 0);
  g_assert_cmpuint (count_lines (out), ==, 4);

  /* the first client's stream still runs, at its own interval */
  first = log.times->len;
  if (!frame_log_wait (&log, first + 4, 30))
    g_error ("the stream stopped when lablink-cli exited");
  g_assert_cmpfloat (frame_log_mean_gap_ms (&log, first), >=, 500);
  assert_contains (err, "already runs");

  /* with --interval-ms: it changes the interval for everyone, says so, and
   * still leaves the stream running */
  g_assert_cmpint (run_cli (NULL, &out2, &err2, "--server", test_sim_get_url (sim), "stream", "ps_250e6dfe",
                            "readings", "-n", "2", "--interval-ms", "250", "--duration", "60",
                            NULL), ==, 0);
  g_assert_cmpuint (count_lines (out2), ==, 3);
  assert_contains (err2, "every client");
  first = log.times->len;
  if (!frame_log_wait (&log, first + 4, 30))
    g_error ("the stream stopped when lablink-cli exited");

  lablink_stream_manager_disconnect (manager);
  g_array_unref (log.times);
  test_sim_free (sim);
}

static void
sim_broadcast (TestSim    *sim,
               const char *text)
{
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter waiter = { 0 };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  lablink_client_request_async (client, "POST", "/api/sim/broadcast", body, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  answer = lablink_client_request_finish (client, result, &error);
  g_assert_no_error (error);
}

/* Reads @lines until one contains @needle. */
static void
read_until (GDataInputStream *lines,
            const char       *needle)
{
  for (;;)
    {
      g_autofree char *line = test_read_line (lines);

      if (line == NULL)
        g_error ("lablink-cli closed its output before “%s”", needle);
      if (strstr (line, needle) != NULL)
        return;
    }
}

/* A silent stream: stderr says when polling starts, and when frames come
 * over the WebSocket again */
static void
test_sim_stream_polling (void)
{
  static const char * const args[] = { "--silent-streams", "readings", NULL };
  static const char frame[] =
    "{\"type\": \"stream_data\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", "
    "\"data\": {\"equipment_id\": \"ps_250e6dfe\", \"timestamp\": \"2026-11-25T17:39:49.400093\", "
    "\"channel\": 1, \"voltage_set\": 5.0, \"current_set\": 1.0, \"voltage_actual\": 5.0, "
    "\"current_actual\": 0.5, \"output_enabled\": true, \"in_cv_mode\": true, \"in_cc_mode\": false}}";
  TestSim *sim = test_sim_spawn (args);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;

  if (sim == NULL)
    return;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, LABLINK_CLI_PATH, "--server", test_sim_get_url (sim), "stream",
                              "ps_250e6dfe", "readings", "--duration", "3600", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));

  read_until (lines, "falling back to REST polling");
  sim_broadcast (sim, frame);
  read_until (lines, "streaming resumed");

  interrupt_cli (process, "lablink-cli stream");

  test_sim_free (sim);
}

/* Sums the N of every "dropped N frames" line of @err */
static guint64
sum_drop_reports (const char *err)
{
  g_auto(GStrv) lines = g_strsplit (err, "\n", -1);
  guint64 sum = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = strstr (lines[i], "lablink-cli: dropped ");

      if (at != NULL)
        sum += g_ascii_strtoull (at + strlen ("lablink-cli: dropped "), NULL, 10);
    }
  return sum;
}

/* stdout blocked: the frames the command could not print in time are
 * dropped, and stderr says how many */
static void
test_sim_stream_drops (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *received = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *dropped = NULL;
  g_autofree char *unprinted = NULL;
  FrameLog log = { "ps_250e6dfe_readings", NULL };
  TestWaiter waiter = { 0 };
  guint64 n_received, n_printed, n_dropped;

  if (sim == NULL)
    return;

  log.times = g_array_new (FALSE, FALSE, sizeof (gint64));
  manager = connect_listener (sim);
  g_signal_connect (manager, "stream-data", G_CALLBACK (frame_log_cb), &log);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, LABLINK_CLI_PATH, "--server", test_sim_get_url (sim), "stream",
                              "ps_250e6dfe", "readings", "--interval-ms", "1", "--duration", "250",
                              NULL);
  g_assert_no_error (error);

  /* Nobody reads stdout: once the pipe (64 KiB, ~230 lines) and the
   * manager's queue (256 frames) are full, frames are dropped. */
  if (!frame_log_wait (&log, 1000, 120))
    g_error ("the stream delivered only %u frames", log.times->len);

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_test_message ("stderr: %s", err);

  regex = g_regex_new ("ps_250e6dfe_readings: ([0-9]+) frames received, ([0-9]+) printed, "
                       "([0-9]+) dropped \\(consumer too slow\\), ([0-9]+) unprinted at the end", 0, 0, &error);
  g_assert_no_error (error);
  if (!g_regex_match (regex, err, 0, &match))
    g_error ("no summary of dropped frames in “%s”", err);
  received = g_match_info_fetch (match, 1);
  printed = g_match_info_fetch (match, 2);
  dropped = g_match_info_fetch (match, 3);
  n_received = g_ascii_strtoull (received, NULL, 10);
  n_printed = g_ascii_strtoull (printed, NULL, 10);
  n_dropped = g_ascii_strtoull (dropped, NULL, 10);

  g_assert_cmpuint (n_dropped, >, 0);
  g_assert_cmpuint (n_printed, ==, count_lines (out) - 1);
  g_assert_cmpuint (n_printed + n_dropped, <=, n_received);
  unprinted = g_match_info_fetch (match, 4);
  g_assert_cmpuint (n_printed + n_dropped + g_ascii_strtoull (unprinted, NULL, 10), ==, n_received);
  /* the reports along the way and at the end add up to the total */
  g_assert_cmpuint (sum_drop_reports (err), ==, n_dropped);

  lablink_stream_manager_disconnect (manager);
  g_array_unref (log.times);
  test_sim_free (sim);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/sim/stream", test_sim_stream);
  g_test_add_func ("/cli/sim/stream-sigint", test_sim_stream_sigint);
  g_test_add_func ("/cli/sim/stream-shared", test_sim_stream_shared);
  g_test_add_func ("/cli/sim/stream-polling", test_sim_stream_polling);
  g_test_add_func ("/cli/sim/stream-drops", test_sim_stream_drops);

  return g_test_run ();
}
