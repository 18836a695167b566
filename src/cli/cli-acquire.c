/* cli-acquire.c — the acquire command: run an acquisition, print its samples
 * as CSV and optionally record them to a capture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli-private.h"
#include "cli-util.h"

static double opt_duration;
static char *opt_channels;
static double opt_rate = 10.0;
static int opt_num_samples;
static gboolean opt_capture;
static char *opt_capture_dir;

static const GOptionEntry acquire_entries[] = {
  { "channels", 'c', 0, G_OPTION_ARG_STRING, &opt_channels,
    "Channels to acquire, e.g. CH1,CH2 (required)", "CH,…" },
  { "rate", 'r', 0, G_OPTION_ARG_DOUBLE, &opt_rate, "Sample rate in Hz (default 10)", "HZ" },
  { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &opt_duration, "Stop after S seconds", "S" },
  { "num-samples", 'n', 0, G_OPTION_ARG_INT, &opt_num_samples,
    "Stop after N samples", "N" },
  { "capture", 0, 0, G_OPTION_ARG_NONE, &opt_capture,
    "Also record the samples to a capture on disk (see “export”)", NULL },
  { "capture-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_capture_dir,
    "Where captures go (default: ~/.local/share/lablink-monitor/captures)", "DIR" },
  { NULL }
};

typedef struct {
  Cli *cli;
  const char *acquisition_id;
  char **channels;
  gint64 last_time;
  gboolean have_last;
  guint64 printed;
  guint window;
  gboolean warned_gap;
  gboolean server_stopped;
  gboolean draining;
  gboolean drained;
  /* samples skipped for a bad timestamp, each counted once (see
   * lablink_message_get_invalid_samples()) */
  guint64 n_invalid;
  gboolean invalid_seen;
  gint64 invalid_anchor;
  gsize invalid_anchor_count;
  /* the link: after a reconnect, is the acquisition still there? */
  gboolean was_connected;
  GCancellable *check;
  char *lost;
  /* the stream: frames, or REST polling (the released 1.2.5 sends none) */
  char *key;
  gboolean polling;
  gboolean no_data;   /* nothing at all came within the bound */
  guint no_data_source;
  /* the text of the current second, for append_timestamp() */
  gint64 stamp_sec;
  char *stamp_prefix;
  /* the lead-in: the first frame with samples did not hold every sample
   * made since the start (it came late): they are fetched over REST, the
   * frames held meanwhile */
  gboolean lead_in_checked;
  GPtrArray *held;   /* of LablinkMessage, while the lead-in is fetched */
  guint lead_in_asked;
  gint64 started_at;   /* when the start was asked for (monotonic) */
} AcquireState;

/* How long acquire waits for a first sample before it gives up (exit 1),
 * when neither --duration nor the acquisition ends it sooner. */
#define NO_DATA_MIN_S 10.0

/* Counts the samples a window dropped for their timestamp, once each
 * although windows overlap; returns how many are new. */
static guint64
count_invalid (AcquireState   *state,
               LablinkMessage *message)
{
  gsize n_invalid = 0, k = 0;
  const gint64 *invalid = lablink_message_get_invalid_samples (message, &n_invalid);
  guint64 added = 0;

  while (k < n_invalid)
    {
      gsize group = 1;

      while (k + group < n_invalid && invalid[k + group] == invalid[k])
        group++;
      if (!state->invalid_seen || invalid[k] > state->invalid_anchor)
        {
          state->invalid_seen = TRUE;
          state->invalid_anchor = invalid[k];
          state->invalid_anchor_count = group;
          added += group;
        }
      else if (invalid[k] == state->invalid_anchor && group > state->invalid_anchor_count)
        {
          added += group - state->invalid_anchor_count;
          state->invalid_anchor_count = group;
        }
      k += group;
    }
  state->n_invalid += added;
  return added;
}

static void
stop_lost (AcquireState *state,
           const char   *message)
{
  if (state->lost == NULL)
    state->lost = g_strdup (message);
  state->cli->stop = TRUE;
}

static void
status_checked (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  AcquireState *state;

  node = lablink_client_get_acquisition_status_finish (LABLINK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the command is over: @user_data is gone */
  state = user_data;
  if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND))
    {
      g_autofree char *message = g_strdup_printf ("acquisition %s is gone from the server "
                                                  "(was it restarted?): %s",
                                                  state->acquisition_id, error->message);
      stop_lost (state, message);
    }
}

/* After a reconnect the server may be a fresh one that never heard of the
 * acquisition: it would stay silent forever. Ask. */
static void
on_state_changed (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  AcquireState *state = user_data;
  gboolean connected = lablink_stream_manager_get_state (state->cli->manager) == LABLINK_CONNECTION_CONNECTED;

  if (connected && !state->was_connected)
    lablink_client_get_acquisition_status_async (state->cli->client, state->acquisition_id, state->check,
                                                 status_checked, state);
  state->was_connected = connected;
}

static void
on_stream_status_changed (LablinkStreamManager *manager,
                          const char           *key,
                          LablinkStreamStatus   status,
                          gpointer              user_data)
{
  AcquireState *state = user_data;

  if (g_strcmp0 (key, state->key) != 0)
    return;
  if (status == LABLINK_STREAM_STATUS_POLLING && !state->polling)
    {
      fprintf (stderr, "lablink-cli: the server sends no acquisition frames: fetching the samples "
                       "over REST (GET /api/acquisition/session/%s/data)\n", state->acquisition_id);
      state->polling = TRUE;
    }
  else if (status == LABLINK_STREAM_STATUS_RUNNING && state->polling)
    {
      fprintf (stderr, "lablink-cli: acquisition frames arrive again: streaming\n");
      state->polling = FALSE;
    }
}

/* No sample at all within the bound: give up rather than wait forever. */
static gboolean
on_no_data_timeout (gpointer user_data)
{
  AcquireState *state = user_data;

  state->no_data_source = 0;
  if (state->printed == 0)
    {
      state->no_data = TRUE;
      state->cli->stop = TRUE;
    }
  return G_SOURCE_REMOVE;
}

static void
on_capture_failed (LablinkCapture *capture,
                   const GError   *error,
                   gpointer        user_data)
{
  stop_lost (user_data, error->message);
}

/* lablink_format_timestamp() costs a time zone lookup (about 10 µs, most of
 * a row's cost at 100 kSa/s): the text up to the seconds is made once per
 * second, then only the microseconds change. */
static void
append_timestamp (AcquireState *state,
                  GString      *line,
                  gint64        t)
{
  gint64 sec = t >= 0 ? t / G_USEC_PER_SEC : -((-t + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

  if (sec != state->stamp_sec || state->stamp_prefix == NULL)
    {
      g_autofree char *text = lablink_format_timestamp (sec * G_USEC_PER_SEC);
      char *dot = strrchr (text, '.');

      if (dot != NULL)
        *dot = '\0';
      g_free (state->stamp_prefix);
      state->stamp_prefix = g_steal_pointer (&text);
      state->stamp_sec = sec;
    }
  g_string_assign (line, state->stamp_prefix);
  g_string_append_printf (line, ".%06d", (int) (t - sec * G_USEC_PER_SEC));
}

/* Prints the samples of @message newer than those printed (an acquisition
 * frame, or a REST window). */
static void
print_samples (AcquireState   *state,
               LablinkMessage *message)
{
  const gint64 *times;
  gsize n = 0;
  guint n_channels;
  g_autofree gint *index = NULL;
  g_autofree char *acq_state = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GString) rows = g_string_new (NULL);
  guint n_wanted = g_strv_length (state->channels);
  gsize first_new = 0;
  gboolean polled = FALSE;

  acq_state = lablink_message_dup_string (message, "state");
  if (acq_state != NULL && (g_str_equal (acq_state, "stopped") || g_str_equal (acq_state, "error")))
    state->server_stopped = TRUE;

  times = lablink_message_get_sample_times (message, &n);
  if (times == NULL)
    n = 0;

  {
    guint64 added = count_invalid (state, message);

    if (added > 0)
      fprintf (stderr, "lablink-cli: warning: skipped %" G_GUINT64_FORMAT " sample%s with an invalid "
                       "timestamp (%" G_GUINT64_FORMAT " so far)\n",
               added, added == 1 ? "" : "s", state->n_invalid);
  }

  if (state->have_last)
    {
      /* frames overlap: skip what was printed already */
      while (first_new < n && times[first_new] <= state->last_time)
        first_new++;
      if (first_new == 0 && n > 0 && n >= state->window && !state->warned_gap)
        {
          fprintf (stderr, "lablink-cli: warning: samples were lost between two frames; "
                           "use a lower --rate\n");
          state->warned_gap = TRUE;
        }
    }

  n_channels = lablink_message_get_n_channels (message);
  index = g_new (gint, n_wanted);
  for (guint c = 0; c < n_wanted; c++)
    {
      index[c] = -1;
      for (guint k = 0; k < n_channels; k++)
        if (g_strcmp0 (lablink_message_get_channel_name (message, k), state->channels[c]) == 0)
          index[c] = (gint) k;
    }

  for (gsize i = first_new; i < n; i++)
    {
      if (opt_num_samples > 0 && state->printed >= (guint64) opt_num_samples)
        break;

      append_timestamp (state, line, times[i]);
      for (guint c = 0; c < n_wanted; c++)
        {
          gsize n_values = 0;
          const double *values = index[c] >= 0
            ? lablink_message_get_channel_values (message, (guint) index[c], &n_values) : NULL;

          g_string_append_c (line, ',');
          if (values != NULL && i < n_values)
            cli_append_number (line, values[i]);
        }
      g_string_append_c (line, '\n');
      g_string_append_len (rows, line->str, line->len);
      state->printed++;
      state->last_time = times[i];
      state->have_last = TRUE;
    }
  /* One write per window: stdout is line buffered, and a write per row
   * was a fifth of the command's time at 100 kSa/s. */
  fwrite (rows->str, 1, rows->len, stdout);
  fflush (stdout);

  /* The tail is in: the server says the acquisition stopped (its frames
   * then repeat the last window), or the samples come by polling, which
   * fetches what there is now. A frame of a backlog is not the tail. */
  if (state->draining &&
      (state->server_stopped || lablink_message_get_boolean (message, "polled", &polled)))
    state->drained = TRUE;
  if (state->server_stopped ||
      (opt_num_samples > 0 && state->printed >= (guint64) opt_num_samples))
    state->cli->stop = TRUE;
}

static void
lead_in_fetched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LablinkMessage) window = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) held = NULL;
  AcquireState *state;
  gsize n = 0;

  window = lablink_client_get_acquisition_window_finish (LABLINK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the command is over: @user_data is gone */
  state = user_data;
  if (window == NULL)
    fprintf (stderr, "lablink-cli: warning: the acquisition's first samples could not be fetched "
                     "(%s): they are missing from the output\n", error->message);
  else
    {
      if (lablink_message_get_sample_times (window, &n) == NULL || n >= state->lead_in_asked)
        fprintf (stderr, "lablink-cli: warning: the server may no longer hold the acquisition's "
                         "first samples: some may be missing from the output\n");
      print_samples (state, window);
    }

  /* Then the frames that came meanwhile, in order. */
  held = g_steal_pointer (&state->held);
  for (guint i = 0; i < held->len; i++)
    print_samples (state, g_ptr_array_index (held, i));
}

static void
on_acquisition_data (LablinkStreamManager *manager,
                     LablinkMessage       *message,
                     gpointer              user_data)
{
  AcquireState *state = user_data;
  gint64 total = -1;
  gsize n = 0;

  if (g_strcmp0 (lablink_message_get_acquisition_id (message), state->acquisition_id) != 0)
    return;

  if (state->held != NULL)
    {
      g_ptr_array_add (state->held, lablink_message_ref (message));
      return;
    }

  /* The first frame with samples holds the latest window: one that came
   * late (a loaded machine), or a window polled over REST while frames did
   * not come, does not reach back to the start, and what it lacks is still
   * in the server's buffer. Only a frame that counts every sample made
   * (stats.total_samples) proves it holds them all. */
  if (!state->lead_in_checked && lablink_message_get_sample_times (message, &n) != NULL && n > 0)
    {
      state->lead_in_checked = TRUE;
      if (!lablink_message_get_int (message, "stats.total_samples", &total) || total > (gint64) n)
        {
          double elapsed = (g_get_monotonic_time () - state->started_at) / (double) G_USEC_PER_SEC;
          double made = MAX (2.0 * (double) total, opt_rate * elapsed * 1.25);

          /* What was made by now, with room to spare, and a window; at most
           * what the server keeps. */
          state->lead_in_asked = (guint) MIN ((double) lablink_acquisition_plan_buffer (opt_rate),
                                              made + state->window);
          g_debug ("the first samples (%" G_GSIZE_FORMAT " of %" G_GINT64_FORMAT " made) do not reach "
                   "back to the start: fetching the latest %u over REST", n, total, state->lead_in_asked);
          state->held = g_ptr_array_new_with_free_func ((GDestroyNotify) lablink_message_unref);
          g_ptr_array_add (state->held, lablink_message_ref (message));
          lablink_client_get_acquisition_window_async (state->cli->client, state->acquisition_id,
                                                       state->lead_in_asked, state->check,
                                                       lead_in_fetched, state);
          return;
        }
    }

  print_samples (state, message);
}

static gboolean
rest_control (Cli        *cli,
              const char *acquisition_id,
              const char *action,
              gboolean    abort_on_stop,
              GError    **error)
{
  g_autoptr(GCancellable) op = cli_op_cancellable (cli);
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_control_acquisition_async (cli->client, acquisition_id, action, op,
                                            cli_on_async_done, cli);
  result = cli_wait (cli, op, abort_on_stop, 0, NULL);
  return lablink_client_control_acquisition_finish (cli->client, result, error);
}

static gboolean
rest_delete (Cli        *cli,
             const char *acquisition_id,
             GError    **error)
{
  g_autoptr(GCancellable) op = cli_op_cancellable (cli);
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_delete_acquisition_async (cli->client, acquisition_id, op, cli_on_async_done,
                                           cli);
  result = cli_wait (cli, op, FALSE, 0, NULL);
  return lablink_client_delete_acquisition_finish (cli->client, result, error);
}

/* The stream's plan, from the rate: lablink-acquisition-plan.c. */

static int
cmd_acquire (Cli   *cli,
             char **args)
{
  guint interval_ms;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) channels = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) config = NULL;
  g_autoptr(GCancellable) op = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *acquisition_id = NULL;
  g_autoptr(GString) header = NULL;
  AcquireState state = { 0 };
  g_autoptr(LablinkCapture) capture = NULL;
  int status = EXIT_OK;

  if (opt_channels == NULL)
    return cli_usage_error ("acquire needs --channels, e.g. --channels CH1,CH2");
  channels = cli_parse_channels (opt_channels, &error);
  if (channels == NULL)
    return cli_usage_error (error->message);
  if (!(opt_rate > 0) || opt_rate > 1e6)
    return cli_usage_error ("--rate must be more than 0 and at most 1000000 Hz");
  if (!(opt_duration >= 0) || opt_duration > 1e6)
    return cli_usage_error ("--duration must be between 0 and 1000000 seconds");
  if (opt_num_samples < 0)
    return cli_usage_error ("--num-samples must not be negative");

  interval_ms = lablink_acquisition_plan_interval (opt_rate, g_strv_length (channels));
  status = cli_check_equipment (cli, args[0], NULL);
  if (status != EXIT_OK)
    return status;

  /* Connect first so that no early sample is missed. */
  status = cli_connect (cli);
  if (status != EXIT_OK)
    return status;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "equipment_id");
  json_builder_add_string_value (builder, args[0]);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "lablink-cli");
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, "continuous");
  json_builder_set_member_name (builder, "sample_rate");
  json_builder_add_double_value (builder, opt_rate);
  json_builder_set_member_name (builder, "channels");
  json_builder_begin_array (builder);
  for (guint i = 0; channels[i] != NULL; i++)
    json_builder_add_string_value (builder, channels[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "buffer_size");
  json_builder_add_int_value (builder, lablink_acquisition_plan_buffer (opt_rate));
  if (opt_num_samples > 0)
    {
      json_builder_set_member_name (builder, "num_samples");
      json_builder_add_int_value (builder, opt_num_samples);
    }
  if (opt_duration > 0)
    {
      json_builder_set_member_name (builder, "duration_seconds");
      json_builder_add_double_value (builder, opt_duration);
    }
  json_builder_end_object (builder);
  config = json_builder_get_root (builder);

  op = cli_op_cancellable (cli);
  lablink_client_create_acquisition_async (cli->client, json_node_get_object (config), op,
                                           cli_on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  acquisition_id = lablink_client_create_acquisition_finish (cli->client, result, &error);
  if (acquisition_id == NULL)
    {
      cli_disconnect (cli);
      return cli_runtime_error (error);
    }

  state.cli = cli;
  state.acquisition_id = acquisition_id;
  state.channels = channels;
  state.window = lablink_acquisition_plan_window (opt_rate, g_strv_length (channels));

  g_signal_connect (cli->manager, "acquisition-data", G_CALLBACK (on_acquisition_data), &state);
  state.key = lablink_protocol_acquisition_key (acquisition_id);
  g_signal_connect (cli->manager, "stream-status-changed", G_CALLBACK (on_stream_status_changed), &state);
  state.check = g_cancellable_new ();
  state.was_connected = lablink_stream_manager_get_state (cli->manager) == LABLINK_CONNECTION_CONNECTED;
  g_signal_connect (cli->manager, "notify::state", G_CALLBACK (on_state_changed), &state);
  if (!lablink_stream_manager_start_acquisition_stream (cli->manager, acquisition_id,
                                                       interval_ms, state.window, &error))
    {
      status = cli_runtime_error (error);
      g_clear_error (&error);
      goto stop;
    }

  if (opt_capture)
    {
      /* The stream is already ours: the capture only listens (and backfills
       * over REST after an outage). No frame arrives before the main loop runs. */
      capture = lablink_capture_new_for_acquisition (cli->manager, cli->client, acquisition_id,
                                                     opt_capture_dir, &error);
      if (capture != NULL)
        g_object_set (capture, "interval-ms", interval_ms, "window-samples", state.window,
                      "backfill-samples", lablink_acquisition_plan_buffer (opt_rate),
                      "backfill-timeout-ms", lablink_acquisition_plan_backfill_timeout (opt_rate), NULL);
      if (capture == NULL || !lablink_capture_start (capture, &error))
        {
          status = cli_runtime_error (error);
          g_clear_error (&error);
          goto stop;
        }
      g_signal_connect (capture, "failed", G_CALLBACK (on_capture_failed), &state);
    }

  /* Started only now: the stream (its frames carry no data until then) and
   * the capture are there before the first sample is made. Started first,
   * a frame that came late would not reach back to the start, and the
   * capture, begun after it, would not know those samples were its own. */
  state.started_at = g_get_monotonic_time ();
  if (!rest_control (cli, acquisition_id, "start", TRUE, &error))
    {
      status = cli_runtime_error (error);
      g_clear_error (&error);
      if (capture != NULL)
        {
          if (!lablink_capture_stop (capture, &error))
            g_clear_error (&error);
          if (!lablink_capture_delete_directory (lablink_capture_get_directory (capture), &error))
            g_clear_error (&error);
        }
      if (!lablink_stream_manager_stop_acquisition_stream (cli->manager, acquisition_id, &error))
        g_clear_error (&error);
      g_signal_handlers_disconnect_by_func (cli->manager, on_state_changed, &state);
      g_signal_handlers_disconnect_by_func (cli->manager, on_stream_status_changed, &state);
      g_signal_handlers_disconnect_by_func (cli->manager, on_acquisition_data, &state);
      goto delete;
    }
  if (capture != NULL)
    fprintf (stderr, "lablink-cli: recording to %s\n", lablink_capture_get_directory (capture));

  header = g_string_new ("timestamp");
  for (guint i = 0; channels[i] != NULL; i++)
    g_string_append_printf (header, ",%s", channels[i]);
  printf ("%s\n", header->str);
  fflush (stdout);

  if (opt_duration > 0)
    cli_start_stop_timer (cli, opt_duration);
  if (opt_duration <= 0 || opt_duration > NO_DATA_MIN_S)
    state.no_data_source = g_timeout_add_seconds ((guint) ceil (MAX (NO_DATA_MIN_S, 3.0 / opt_rate)),
                                            on_no_data_timeout, &state);

  cli_run_until_stop (cli);
  g_clear_handle_id (&cli->stop_timer, g_source_remove);
  g_clear_handle_id (&state.no_data_source, g_source_remove);
  if (state.printed == 0 && state.lost == NULL && cli->n_signals == 0)
    state.no_data = TRUE;

stop:
  if (state.held != NULL && cli->n_signals < 2)
    {
      /* A lead-in still being fetched: it and the frames held behind it
       * are printed first (a second signal stops at once). */
      gboolean expired = FALSE;
      guint deadline = g_timeout_add (lablink_acquisition_plan_backfill_timeout (opt_rate),
                                      cli_on_deadline, &expired);

      while (state.held != NULL && !expired && cli->n_signals < 2)
        g_main_context_iteration (NULL, TRUE);
      if (!expired)
        g_source_remove (deadline);
    }
  if (state.check != NULL)
    g_cancellable_cancel (state.check);
  g_signal_handlers_disconnect_by_func (cli->manager, on_state_changed, &state);
  g_signal_handlers_disconnect_by_func (cli->manager, on_stream_status_changed, &state);
  if (state.lost != NULL)
    {
      /* Nothing left to stop or delete on the server. */
      cli_print_error (state.lost);
      status = EXIT_RUNTIME;
    }
  else if (!state.server_stopped)
    {
      if (!rest_control (cli, acquisition_id, "stop", FALSE, &error))
        {
          fprintf (stderr, "lablink-cli: could not stop acquisition %s: %s\n", acquisition_id,
                   error->message);
          g_clear_error (&error);
          status = EXIT_RUNTIME;
        }
      else if (cli->n_signals < 2 &&
               !(opt_num_samples > 0 && state.printed >= (guint64) opt_num_samples))
        {
          /* Frames keep coming after the stop: the first saying so brings
           * the tail (behind a backlog, at high rates). */
          gboolean expired = FALSE;
          guint deadline = g_timeout_add (MAX (5000, 5 * interval_ms), cli_on_deadline, &expired);

          state.draining = TRUE;
          while (!state.drained && !expired && cli->n_signals < 2)
            g_main_context_iteration (NULL, TRUE);
          if (!expired)
            g_source_remove (deadline);
        }
    }

  if (capture != NULL && state.have_last && cli->n_signals < 2)
    {
      /* The capture may still be fetching a hole over REST (holding the
       * frames after it): let it catch up with what was printed. */
      gboolean expired = FALSE;
      guint deadline = g_timeout_add (10000, cli_on_deadline, &expired);
      gint64 last = G_MININT64;

      while (!expired && cli->n_signals < 2 && lablink_capture_get_recording (capture) &&
             (!lablink_capture_get_time_range (capture, NULL, &last) || last < state.last_time))
        g_main_context_iteration (NULL, TRUE);
      if (!expired)
        g_source_remove (deadline);
    }

  if (capture != NULL)
    {
      /* The tail: what the server made that has not arrived is fetched, or
       * recorded as lost (a second signal stops at once). */
      g_autoptr(GCancellable) stop_op = cli_op_cancellable (cli);
      g_autoptr(GAsyncResult) stop_result = NULL;
      g_autofree LablinkCaptureGap *gaps = NULL;
      guint n_gaps = 0, n_lost = 0;

      if (cli->n_signals >= 2)
        g_cancellable_cancel (stop_op);
      lablink_capture_stop_async (capture, stop_op, cli_on_async_done, cli);
      stop_result = cli_wait (cli, stop_op, FALSE, 0, NULL);
      gaps = lablink_capture_get_gaps (capture, &n_gaps);
      for (guint i = 0; i < n_gaps; i++)
        n_lost += gaps[i].data_lost;
      if (!lablink_capture_stop_finish (capture, stop_result, &error))
        {
          fprintf (stderr, "lablink-cli: the capture failed: %s\n", error->message);
          g_clear_error (&error);
          status = EXIT_RUNTIME;
        }
      else
        fprintf (stderr, "lablink-cli: captured %" G_GUINT64_FORMAT " samples (%u gaps) in %s\n",
                 lablink_capture_get_n_samples (capture), n_gaps, lablink_capture_get_directory (capture));
      if (n_gaps > 0 && gaps[n_gaps - 1].data_lost && gaps[n_gaps - 1].end_usec == 0)
        fprintf (stderr, "lablink-cli: warning: the acquisition's last samples did not reach the capture "
                         "(the server no longer held them, or did not answer in time): recorded as a gap "
                         "marked lost at its end\n");
      else if (n_lost > 0)
        fprintf (stderr, "lablink-cli: warning: the capture lacks samples the server made: %u gap%s marked lost\n",
                 n_lost, n_lost == 1 ? "" : "s");
    }

  if (!lablink_stream_manager_stop_acquisition_stream (cli->manager, acquisition_id, &error))
    g_clear_error (&error);

delete:
  if (state.lost == NULL && !rest_delete (cli, acquisition_id, &error))
    {
      fprintf (stderr, "lablink-cli: could not delete acquisition %s: %s\n", acquisition_id,
               error->message);
      status = EXIT_RUNTIME;
    }

  cli_disconnect (cli);
  g_clear_object (&state.check);
  g_free (state.lost);
  g_free (state.key);
  g_free (state.stamp_prefix);
  g_clear_pointer (&state.held, g_ptr_array_unref);

  if (state.no_data && state.printed == 0 && status == EXIT_OK)
    {
      g_autofree char *message =
        g_strdup_printf ("no sample of acquisition %s arrived: the server sent no acquisition frames%s",
                         acquisition_id,
                         state.polling ? " and its REST data (GET /api/acquisition/session/…/data) held none "
                                         "or failed" : "");
      cli_print_error (message);
      status = EXIT_RUNTIME;
    }

  if (state.n_invalid > 0)
    fprintf (stderr, "lablink-cli: %" G_GUINT64_FORMAT " sample%s skipped for an invalid timestamp\n",
             state.n_invalid, state.n_invalid == 1 ? "" : "s");

  if (status == EXIT_OK && cli->error_message != NULL)
    {
      cli_print_error (cli->error_message);
      status = EXIT_RUNTIME;
    }

  return status;
}

static void
clear_options (void)
{
  g_clear_pointer (&opt_channels, g_free);
  g_clear_pointer (&opt_capture_dir, g_free);
}

const CliCommand cli_command_acquire = {
  .name = "acquire",
  .parameters = "EQUIPMENT_ID --channels CH1,CH2",
  .summary = "Run an acquisition and print its samples as CSV",
  .entries = acquire_entries,
  .min_args = 1,
  .max_args = 1,
  .run = cmd_acquire,
  .clear = clear_options,
};
