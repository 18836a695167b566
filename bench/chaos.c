/* chaos.c — kill/restart and drop cycles of lablink-sim under live clients
 *
 *   chaos [CYCLES] [--backoff-initial-ms N] [--backoff-max-ms N]
 *         [--resume-timeout S] [--sim PATH] [--keep] [--quiet] [--verbose]
 *
 * Starts lablink-sim on 127.0.0.1 (a free port) and three clients, each its
 * own LablinkClient and LablinkStreamManager: the PSU's readings stream, the
 * scope's waveform stream, and an acquisition of the PSU (200 Hz, a server
 * buffer of 1 s) recorded by a LablinkCapture. Each cycle then
 *
 *   1. drops every WebSocket (POST /api/sim/drop) with a refusal window of
 *      150, 500 or 1500 ms (the last one longer than the server's buffer, so
 *      samples are really lost), and waits for all three streams to resume;
 *   2. stops the acquisition, waits for the capture to hold its last sample,
 *      and takes the simulator's record of every sample it generated
 *      (GET /api/sim/acquisition/ID/generated) as the truth;
 *   3. kills the simulator (SIGKILL), keeps it down 100–400 ms, starts it
 *      again on the same port and waits for the PSU and scope streams;
 *   4. stops the capture and checks it against the truth: no duplicate or
 *      out-of-order row, no row the simulator never generated, every missing
 *      sample inside a recorded gap, and each gap's data_lost flag against
 *      what was really lost; then a new acquisition and capture begin.
 *
 * It prints the resume time per stream (outage end → first frame; the end
 * of a drop is the end of the refusal window, the end of a kill is the
 * restarted simulator printing its URL) as min/median/p90/max, reconnects
 * against outages, the capture figures, and VmRSS and open fds after the
 * first and the last cycle. Every wait is bounded. The exit status is 1 on
 * a hard failure: a stream that did not resume within --resume-timeout, a
 * duplicate, out-of-order or foreign row, a sample missing outside every
 * recorded gap or under a gap that says nothing was lost, a capture that
 * never caught up, or an fd count that grew in every cycle; 2 when the
 * harness itself could not run (no simulator, a REST call failed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#include <lablink.h>

#define PSU   "ps_250e6dfe"
#define SCOPE "scope_386959fc"

#define SAMPLE_RATE      200        /* Hz */
#define SERVER_BUFFER    200        /* samples: 1 s */
#define WINDOW_SAMPLES   50         /* 250 ms per frame, every 100 ms: overlapping */
#define RUN_MS           500        /* streams running between two events */
#define REST_TIMEOUT_S   10
#define START_TIMEOUT_MS 10000
#define CATCH_UP_MS      10000
/* Missing samples this close to a gap belong to it (frames lag ~interval). */
#define GAP_SLACK_USEC   (500 * G_TIME_SPAN_MILLISECOND)

static const guint refuse_plan[] = { 150, 500, 1500 };
static const guint down_plan[] = { 100, 250, 400 };

/* One client: its own HTTP client and WebSocket. */
typedef struct {
  const char           *name;
  LablinkClient        *client;
  LablinkStreamManager *manager;
  guint                 connects;   /* transitions to CONNECTED */
  guint                 losses;     /* CONNECTED → anything else */
  gboolean              connected;
} Link;

/* One stream and its resume times. */
typedef struct {
  const char *name;
  Link       *link;
  guint64     frames;
  gboolean    waiting;              /* an outage began, no frame since the reconnect */
  guint       connects_at_outage;
  gint64      resumed_at;           /* monotonic µs */
  GArray     *resume_ms;            /* double */
} Stream;

/* An outage the capture lived through. */
typedef struct {
  gint64   start_usec;              /* wall clock, like the sample timestamps */
  gboolean kill;
} Outage;

/* One acquisition and its capture: from a (re)start of the simulator to the
 * next one. */
typedef struct {
  char           *acquisition_id;
  LablinkCapture *capture;
  gulong          handler;
  GArray         *generated;        /* gint64, the simulator's record */
  GArray         *outages;          /* Outage */
} Epoch;

typedef struct {
  /* options */
  guint        cycles;
  guint        backoff_initial_ms;
  guint        backoff_max_ms;
  guint        resume_timeout_s;
  char        *sim_path;
  gboolean     keep;
  gboolean     quiet;
  gboolean     verbose;

  GSubprocess *sim;
  GDataInputStream *sim_out;
  char        *url;
  guint        port;
  LablinkClient *control;
  char        *root;

  Link         psu_link, scope_link, acq_link;
  Stream       psu, scope, acq;
  Epoch        epoch;

  /* capture figures */
  guint        epochs;
  guint64      rows, generated, duplicates, disorder, foreign, missing;
  guint        holes, unrecorded_holes, not_caught_up;
  guint        gaps, gaps_drop, gaps_kill, gaps_other;
  guint        outages_drop, outages_kill;
  guint        lost_flagged, lost_true, lost_conservative, lost_conservative_kill, lost_wrong;

  /* resources after each cycle */
  GArray      *rss_kib;             /* gint64 */
  GArray      *fds;                 /* gint64 */

  GPtrArray   *failures;            /* char* */
} Chaos;

/* ------------------------------------------------------------------ */
/* main-loop helpers                                                   */

static gboolean
on_expired (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, on_expired, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

typedef gboolean (*Condition) (gpointer data);

/* Turns the main loop until @condition holds or @timeout_ms passed. */
static gboolean
run_until (Condition condition,
           gpointer  data,
           guint     timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, on_expired, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return condition (data);
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
fail (Chaos      *chaos,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
fail (Chaos      *chaos,
      const char *format,
      ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("chaos: FAILURE: %s\n", message);
  g_ptr_array_add (chaos->failures, message);
}

G_GNUC_NORETURN static void
harness_error (const char *what,
               GError     *error)
{
  g_printerr ("chaos: %s: %s\n", what, error ? error->message : "timed out");
  exit (2);
}

/* ------------------------------------------------------------------ */
/* the simulator                                                       */

static void
die_with_parent (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

static void
line_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  char **line = user_data;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  if (*line == NULL)
    *line = g_strdup ("");
}

static gboolean
line_ready (gpointer data)
{
  return *(char **) data != NULL;
}

static void
sim_stop (Chaos *chaos,
          int    signum)
{
  if (chaos->sim == NULL)
    return;
  g_subprocess_send_signal (chaos->sim, signum);
  g_subprocess_wait (chaos->sim, NULL, NULL);
  g_clear_object (&chaos->sim_out);
  g_clear_object (&chaos->sim);
}

/* Starts the simulator on @port (0: a free one); TRUE once it printed its
 * URL. A port still held by the killed process is retried for 10 s. */
static gboolean
sim_start (Chaos  *chaos,
           guint   port,
           GError **error)
{
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (TRUE)
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autofree char *port_text = g_strdup_printf ("%u", port);
      g_autofree char *line = NULL;
      const char *argv[] = { chaos->sim_path, "--address", "127.0.0.1", "--port", port_text, NULL };
      GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE;

      if (!chaos->verbose)
        flags |= G_SUBPROCESS_FLAGS_STDERR_SILENCE;
      launcher = g_subprocess_launcher_new (flags);
      g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
      chaos->sim = g_subprocess_launcher_spawnv (launcher, argv, error);
      if (chaos->sim == NULL)
        return FALSE;
      chaos->sim_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (chaos->sim));
      g_data_input_stream_read_line_async (chaos->sim_out, G_PRIORITY_DEFAULT, cancellable, line_cb, &line);
      if (!run_until (line_ready, &line, START_TIMEOUT_MS))
        {
          g_cancellable_cancel (cancellable);
          run_until (line_ready, &line, START_TIMEOUT_MS);
        }
      if (line != NULL && g_str_has_prefix (line, "http://127.0.0.1:"))
        {
          g_free (chaos->url);
          chaos->url = g_strchomp (g_steal_pointer (&line));
          chaos->port = (guint) g_ascii_strtoull (strrchr (chaos->url, ':') + 1, NULL, 10);
          return TRUE;
        }
      sim_stop (chaos, SIGKILL);
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "lablink-sim did not start on port %u", port);
          return FALSE;
        }
      run_for (100);
    }
}

/* A REST call on the control client; NULL (and @error) on failure. */
static JsonNode *
rest (Chaos       *chaos,
      const char  *method,
      const char  *path,
      const char  *body_json,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (body_json != NULL && (body = json_from_string (body_json, error)) == NULL)
    return NULL;
  lablink_client_request_async (chaos->control, method, path, body, NULL, store_result, &result);
  if (!run_until (result_ready, &result, (REST_TIMEOUT_S + 5) * 1000))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s %s timed out", method, path);
      return NULL;
    }
  return lablink_client_request_finish (chaos->control, result, error);
}

static LablinkClient *
new_client (Chaos *chaos)
{
  g_autoptr(GError) error = NULL;
  LablinkClient *client = lablink_client_new (chaos->url, &error);

  if (client == NULL)
    harness_error ("client", error);
  lablink_client_set_timeout (client, REST_TIMEOUT_S);
  return client;
}

/* ------------------------------------------------------------------ */
/* links and streams                                                   */

static void
on_state (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  Link *link = user_data;
  gboolean connected = lablink_stream_manager_get_state (link->manager) == LABLINK_CONNECTION_CONNECTED;

  if (connected && !link->connected)
    link->connects++;
  if (!connected && link->connected)
    link->losses++;
  link->connected = connected;
}

static void
stream_frame (Stream *stream)
{
  stream->frames++;
  if (stream->waiting && stream->link->connects > stream->connects_at_outage)
    {
      stream->waiting = FALSE;
      stream->resumed_at = g_get_monotonic_time ();
    }
}

static void
on_stream_data (LablinkStreamManager *manager,
                LablinkMessage       *message,
                gpointer              user_data)
{
  stream_frame (user_data);
}

static void
link_init (Chaos      *chaos,
           Link       *link,
           const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  link->name = name;
  link->client = new_client (chaos);
  link->manager = lablink_stream_manager_new (link->client);
  g_object_set (link->manager,
                "backoff-initial-ms", chaos->backoff_initial_ms,
                "backoff-max-ms", MAX (chaos->backoff_max_ms, chaos->backoff_initial_ms),
                "polling-fallback", FALSE,   /* only WebSocket frames count as resumed */
                NULL);
  g_signal_connect (link->manager, "notify::state", G_CALLBACK (on_state), link);
  lablink_stream_manager_connect_async (link->manager, NULL, store_result, &result);
  if (!run_until (result_ready, &result, START_TIMEOUT_MS))
    harness_error ("connect", NULL);
  if (!lablink_stream_manager_connect_finish (link->manager, result, &error))
    harness_error ("connect", error);
}

static void
link_clear (Link *link)
{
  if (link->manager != NULL)
    {
      g_signal_handlers_disconnect_by_data (link->manager, link);
      lablink_stream_manager_disconnect (link->manager);
    }
  g_clear_object (&link->manager);
  g_clear_object (&link->client);
}

static void
stream_init (Stream     *stream,
             const char *name,
             Link       *link)
{
  stream->name = name;
  stream->link = link;
  stream->resume_ms = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
stream_outage_begins (Stream *stream)
{
  stream->waiting = TRUE;
  stream->connects_at_outage = stream->link->connects;
  stream->resumed_at = 0;
}

static gboolean
streams_resumed (gpointer data)
{
  Stream **streams = data;
  guint i;

  for (i = 0; streams[i] != NULL; i++)
    if (streams[i]->waiting)
      return FALSE;
  return TRUE;
}

/* Waits for every stream of the NULL-terminated @streams to deliver a frame
 * over a new connection; records the resume times from @outage_end. */
static gboolean
wait_resumed (Chaos   *chaos,
              Stream **streams,
              gint64   outage_end,
              GString *line)
{
  gboolean ok = run_until (streams_resumed, streams, chaos->resume_timeout_s * 1000);
  guint i;

  for (i = 0; streams[i] != NULL; i++)
    {
      Stream *stream = streams[i];

      if (stream->waiting)
        {
          fail (chaos, "%s did not resume within %u s (link %s)", stream->name, chaos->resume_timeout_s,
                stream->link->connected ? "up" : "down");
          g_string_append_printf (line, " %s never", stream->name);
          continue;
        }
      else
        {
          double ms = (double) MAX (stream->resumed_at - outage_end, 0) / 1000.0;

          g_array_append_val (stream->resume_ms, ms);
          g_string_append_printf (line, " %s %.0f", stream->name, ms);
        }
    }
  return ok;
}

/* ------------------------------------------------------------------ */
/* the acquisition and its capture                                     */

static void
on_acquisition_data (LablinkStreamManager *manager,
                     LablinkMessage       *message,
                     gpointer              user_data)
{
  stream_frame (user_data);
}

static void
control_acquisition (Chaos      *chaos,
                     const char *id,
                     const char *action)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  lablink_client_control_acquisition_async (chaos->control, id, action, NULL, store_result, &result);
  if (!run_until (result_ready, &result, (REST_TIMEOUT_S + 5) * 1000))
    harness_error (action, NULL);
  if (!lablink_client_control_acquisition_finish (chaos->control, result, &error))
    harness_error (action, error);
}

/* A new acquisition, captured from its first sample on. */
static void
epoch_begin (Chaos *chaos)
{
  Epoch *epoch = &chaos->epoch;
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(JsonArray) channels = json_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;

  json_array_add_string_element (channels, "CH1");
  json_array_add_string_element (channels, "CH2");
  json_object_set_string_member (config, "equipment_id", PSU);
  json_object_set_string_member (config, "name", "chaos");
  json_object_set_string_member (config, "mode", "continuous");
  json_object_set_int_member (config, "sample_rate", SAMPLE_RATE);
  json_object_set_int_member (config, "buffer_size", SERVER_BUFFER);
  json_object_set_array_member (config, "channels", json_array_ref (channels));
  lablink_client_create_acquisition_async (chaos->control, config, NULL, store_result, &result);
  if (!run_until (result_ready, &result, (REST_TIMEOUT_S + 5) * 1000))
    harness_error ("create acquisition", NULL);
  epoch->acquisition_id = lablink_client_create_acquisition_finish (chaos->control, result, &error);
  if (epoch->acquisition_id == NULL)
    harness_error ("create acquisition", error);

  epoch->capture = lablink_capture_new_for_acquisition (chaos->acq_link.manager, chaos->acq_link.client,
                                                        epoch->acquisition_id, chaos->root, &error);
  if (epoch->capture == NULL)
    harness_error ("capture", error);
  g_object_set (epoch->capture, "window-samples", WINDOW_SAMPLES, "interval-ms", 100, NULL);
  detail = g_strconcat ("acquisition-data::", epoch->acquisition_id, NULL);
  epoch->handler = g_signal_connect (chaos->acq_link.manager, detail, G_CALLBACK (on_acquisition_data), &chaos->acq);
  if (!lablink_capture_start (epoch->capture, &error))
    harness_error ("capture start", error);
  control_acquisition (chaos, epoch->acquisition_id, "start");
  epoch->outages = g_array_new (FALSE, FALSE, sizeof (Outage));
  chaos->acq.waiting = FALSE;
}

static void
epoch_outage (Chaos   *chaos,
              gboolean kill)
{
  Outage outage = { g_get_real_time (), kill };

  g_array_append_val (chaos->epoch.outages, outage);
  if (kill)
    chaos->outages_kill++;
  else
    chaos->outages_drop++;
}

static GArray *
get_generated (Chaos      *chaos,
               const char *id)
{
  g_autofree char *path = g_strdup_printf ("/api/sim/acquisition/%s/generated", id);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = rest (chaos, "GET", path, NULL, &error);
  JsonArray *timestamps;
  GArray *times;
  guint i;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (timestamps = json_object_get_array_member (json_node_get_object (node), "timestamps")) == NULL)
    harness_error ("generated samples", error);
  times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), json_array_get_length (timestamps));
  for (i = 0; i < json_array_get_length (timestamps); i++)
    {
      const char *text = json_array_get_string_element (timestamps, i);
      gint64 t;

      if (text == NULL || !lablink_parse_timestamp (text, strlen (text), &t))
        harness_error ("generated samples: a bad timestamp", NULL);
      g_array_append_val (times, t);
    }
  return times;
}

typedef struct {
  LablinkCapture *capture;
  gint64          last;
} CatchUp;

static gboolean
caught_up (gpointer data)
{
  CatchUp *c = data;
  gint64 end = 0;

  return lablink_capture_get_time_range (c->capture, NULL, &end) && end >= c->last;
}

/* Stops the acquisition and waits for the capture to hold its last sample;
 * the simulator's record is the truth. */
static void
epoch_stop_acquisition (Chaos *chaos)
{
  Epoch *epoch = &chaos->epoch;
  CatchUp c = { epoch->capture, 0 };

  control_acquisition (chaos, epoch->acquisition_id, "stop");
  epoch->generated = get_generated (chaos, epoch->acquisition_id);
  if (epoch->generated->len > 0)
    c.last = g_array_index (epoch->generated, gint64, epoch->generated->len - 1);
  if (epoch->generated->len > 0 && !run_until (caught_up, &c, CATCH_UP_MS))
    {
      chaos->not_caught_up++;
      fail (chaos, "the capture of %s never reached the acquisition's last sample", epoch->acquisition_id);
    }
}

static int
cmp_int64 (gconstpointer a,
           gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
contains (const GArray *sorted,
          gint64        t)
{
  return bsearch (&t, sorted->data, sorted->len, sizeof (gint64), cmp_int64) != NULL;
}

/* Stops the capture and checks it against the simulator's record. */
static void
epoch_end (Chaos   *chaos,
           GString *line)
{
  Epoch *epoch = &chaos->epoch;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GArray) sorted = NULL;
  g_autofree double *values = NULL;
  g_autofree LablinkCaptureGap *gaps = NULL;
  g_autofree gboolean *gap_lost = NULL;
  guint64 n, i;
  guint n_gaps = 0, g, dups = 0, disorder = 0, foreign = 0, missing = 0, holes = 0, unrecorded = 0;

  if (!lablink_capture_stop (epoch->capture, &error))
    fail (chaos, "capture stop: %s", error->message);
  g_clear_error (&error);
  g_clear_signal_handler (&epoch->handler, chaos->acq_link.manager);

  n = lablink_capture_get_n_samples (epoch->capture);
  stored = g_array_sized_new (FALSE, FALSE, sizeof (gint64), (guint) n);
  g_array_set_size (stored, (guint) n);
  values = g_new (double, MAX (n * MAX (lablink_capture_get_n_channels (epoch->capture), 1), 1));
  if (n > 0 && !lablink_capture_read (epoch->capture, 0, n, (gint64 *) (gpointer) stored->data, values, &error))
    harness_error ("capture read", error);

  for (i = 1; i < n; i++)
    {
      gint64 a = g_array_index (stored, gint64, i - 1), b = g_array_index (stored, gint64, i);

      if (b == a)
        dups++;
      else if (b < a)
        disorder++;
    }
  for (i = 0; i < n; i++)
    if (!contains (epoch->generated, g_array_index (stored, gint64, i)))
      foreign++;
  sorted = g_array_copy (stored);
  g_array_sort (sorted, cmp_int64);

  gaps = lablink_capture_get_gaps (epoch->capture, &n_gaps);
  gap_lost = g_new0 (gboolean, MAX (n_gaps, 1));

  /* Runs of missing samples: each must lie within a recorded gap. */
  for (i = 0; i < epoch->generated->len; )
    {
      gint64 first, last = 0;
      guint run = 0;
      gboolean found = FALSE;

      if (contains (sorted, g_array_index (epoch->generated, gint64, i)))
        {
          i++;
          continue;
        }
      first = g_array_index (epoch->generated, gint64, i);
      while (i < epoch->generated->len && !contains (sorted, g_array_index (epoch->generated, gint64, i)))
        {
          last = g_array_index (epoch->generated, gint64, i);
          run++;
          i++;
        }
      missing += run;
      holes++;
      for (g = 0; g < n_gaps; g++)
        {
          gint64 end = gaps[g].end_usec != 0 ? gaps[g].end_usec : G_MAXINT64 - GAP_SLACK_USEC;

          if (first <= end + GAP_SLACK_USEC && last >= gaps[g].start_usec - GAP_SLACK_USEC)
            {
              gap_lost[g] = TRUE;
              found = TRUE;
            }
        }
      if (!found)
        {
          g_autofree char *from = lablink_capture_format_time (first);
          g_autofree char *to = lablink_capture_format_time (last);

          unrecorded++;
          fail (chaos, "acquisition %s: %u samples missing (%s ... %s) outside every recorded gap",
                epoch->acquisition_id, run, from, to);
        }
    }

  /* Each gap: which outage it belongs to; its data_lost flag against the truth. */
  for (g = 0; g < n_gaps; g++)
    {
      gint64 best = G_MAXINT64;
      gint kind = -1;
      guint o;

      for (o = 0; o < epoch->outages->len; o++)
        {
          Outage *outage = &g_array_index (epoch->outages, Outage, o);
          gint64 distance = ABS (gaps[g].start_usec - outage->start_usec);

          if (distance < best && distance < 2 * G_USEC_PER_SEC)
            {
              best = distance;
              kind = outage->kill;
            }
        }
      if (kind == 1)
        chaos->gaps_kill++;
      else if (kind == 0)
        chaos->gaps_drop++;
      else
        chaos->gaps_other++;

      if (gaps[g].data_lost)
        chaos->lost_flagged++;
      if (gaps[g].data_lost && gap_lost[g])
        chaos->lost_true++;
      else if (gaps[g].data_lost)
        {
          chaos->lost_conservative++;
          if (kind == 1)
            chaos->lost_conservative_kill++;
        }
      else if (gap_lost[g])
        {
          chaos->lost_wrong++;
          fail (chaos, "acquisition %s: gap %u says nothing was lost, but samples are missing",
                epoch->acquisition_id, g);
        }
    }

  if (dups > 0)
    fail (chaos, "acquisition %s: %u duplicate rows", epoch->acquisition_id, dups);
  if (disorder > 0)
    fail (chaos, "acquisition %s: %u out-of-order rows", epoch->acquisition_id, disorder);
  if (foreign > 0)
    fail (chaos, "acquisition %s: %u rows the simulator never generated", epoch->acquisition_id, foreign);

  g_string_append_printf (line, "; capture %" G_GUINT64_FORMAT "/%u rows, %u gaps, %u missing in %u holes",
                          n, epoch->generated->len, n_gaps, missing, holes);

  chaos->epochs++;
  chaos->rows += n;
  chaos->generated += epoch->generated->len;
  chaos->duplicates += dups;
  chaos->disorder += disorder;
  chaos->foreign += foreign;
  chaos->missing += missing;
  chaos->holes += holes;
  chaos->unrecorded_holes += unrecorded;
  chaos->gaps += n_gaps;

  if (!chaos->keep && !lablink_capture_delete (epoch->capture, &error))
    g_printerr ("chaos: capture delete: %s\n", error->message);
  g_clear_object (&epoch->capture);
  g_clear_pointer (&epoch->acquisition_id, g_free);
  g_clear_pointer (&epoch->generated, g_array_unref);
  g_clear_pointer (&epoch->outages, g_array_unref);
}

/* ------------------------------------------------------------------ */
/* resources                                                           */

static gint64
vm_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return g_ascii_strtoll (line + 6, NULL, 10);
}

static gint64
open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  gint64 n = 0;

  if (dir == NULL)
    return -1;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n - 1;   /* the directory being read */
}

/* ------------------------------------------------------------------ */
/* one cycle                                                           */

static gboolean
cycle (Chaos *chaos,
       guint  number)
{
  Stream *all[] = { &chaos->psu, &chaos->scope, &chaos->acq, NULL };
  Stream *equipment[] = { &chaos->psu, &chaos->scope, NULL };
  guint refuse_ms = refuse_plan[(number - 1) % G_N_ELEMENTS (refuse_plan)];
  guint down_ms = down_plan[(number - 1) % G_N_ELEMENTS (down_plan)];
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *faults = NULL;
  gint64 start, outage_end, rss, fds;
  gboolean ok;
  guint i;

  g_string_append_printf (line, "cycle %u/%u: drop %u ms ->", number, chaos->cycles, refuse_ms);

  /* 1. Every WebSocket dropped, upgrades refused for refuse_ms. */
  run_for (RUN_MS);
  faults = g_strdup_printf ("{\"refuse_ms\": %u}", refuse_ms);
  answer = rest (chaos, "POST", "/api/sim/faults", faults, &error);
  if (answer == NULL)
    harness_error ("faults", error);
  g_clear_pointer (&answer, json_node_unref);
  for (i = 0; all[i] != NULL; i++)
    stream_outage_begins (all[i]);
  epoch_outage (chaos, FALSE);
  start = g_get_monotonic_time ();
  answer = rest (chaos, "POST", "/api/sim/drop", "{}", &error);
  if (answer == NULL)
    harness_error ("drop", error);
  g_clear_pointer (&answer, json_node_unref);
  outage_end = start + (gint64) refuse_ms * G_TIME_SPAN_MILLISECOND;
  ok = wait_resumed (chaos, all, outage_end, line);
  if (ok)
    run_for (RUN_MS);

  /* 2. The truth, then 3. kill -9 and a restart on the same port. */
  epoch_stop_acquisition (chaos);
  g_string_append_printf (line, "; kill %u ms ->", down_ms);
  for (i = 0; equipment[i] != NULL; i++)
    stream_outage_begins (equipment[i]);
  epoch_outage (chaos, TRUE);
  sim_stop (chaos, SIGKILL);
  run_for (down_ms);
  if (!sim_start (chaos, chaos->port, &error))
    harness_error ("restart", error);
  outage_end = g_get_monotonic_time ();
  g_clear_object (&chaos->control);
  chaos->control = new_client (chaos);
  ok = wait_resumed (chaos, equipment, outage_end, line) && ok;

  /* 4. The capture against the truth; a new acquisition. */
  epoch_end (chaos, line);
  if (ok)
    epoch_begin (chaos);

  rss = vm_rss_kib ();
  fds = open_fds ();
  g_array_append_val (chaos->rss_kib, rss);
  g_array_append_val (chaos->fds, fds);
  g_string_append_printf (line, "; RSS %" G_GINT64_FORMAT " KiB, %" G_GINT64_FORMAT " fds", rss, fds);
  if (!chaos->quiet)
    g_print ("%s\n", line->str);
  return ok;
}

/* ------------------------------------------------------------------ */
/* the report                                                          */

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
rank (const GArray *sorted,
      double        q)
{
  guint i = (guint) ceil (q * sorted->len);

  return g_array_index (sorted, double, i > 0 ? i - 1 : 0);
}

static void
print_resume (Stream     *stream,
              const char *note)
{
  g_autoptr(GArray) sorted = g_array_copy (stream->resume_ms);

  if (sorted->len == 0)
    {
      g_print ("  %-16s %4u\n", stream->name, 0);
      return;
    }
  g_array_sort (sorted, cmp_double);
  g_print ("  %-16s %4u %8.0f %8.0f %8.0f %8.0f   %s\n", stream->name, sorted->len,
           g_array_index (sorted, double, 0), rank (sorted, 0.5), rank (sorted, 0.9),
           g_array_index (sorted, double, sorted->len - 1), note);
}

static void
print_link (Chaos *chaos,
            Link  *link)
{
  guint outages = chaos->outages_drop + chaos->outages_kill;
  guint reconnects = link->connects > 0 ? link->connects - 1 : 0;

  g_print ("  %-12s %u reconnects, %u links lost, for %u outages%s\n", link->name, reconnects, link->losses,
           outages, reconnects == outages && link->losses == outages ? "" : "  (MISMATCH)");
}

static gint64
array_max (GArray *array)
{
  gint64 max = G_MININT64;
  guint i;

  for (i = 0; i < array->len; i++)
    max = MAX (max, g_array_index (array, gint64, i));
  return max;
}

/* An fd count that grew in every cycle is a leak. */
static void
check_fds (Chaos *chaos)
{
  guint i;

  if (chaos->fds->len < 3)
    return;
  for (i = 1; i < chaos->fds->len; i++)
    if (g_array_index (chaos->fds, gint64, i) <= g_array_index (chaos->fds, gint64, i - 1))
      return;
  fail (chaos, "open fds grew in every cycle (%" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT ")",
        g_array_index (chaos->fds, gint64, 0), g_array_index (chaos->fds, gint64, chaos->fds->len - 1));
}

static void
report (Chaos *chaos,
        gint64 elapsed)
{
  gint64 rss0 = chaos->rss_kib->len ? g_array_index (chaos->rss_kib, gint64, 0) : -1;
  gint64 rss1 = chaos->rss_kib->len ? g_array_index (chaos->rss_kib, gint64, chaos->rss_kib->len - 1) : -1;
  gint64 fd0 = chaos->fds->len ? g_array_index (chaos->fds, gint64, 0) : -1;
  gint64 fd1 = chaos->fds->len ? g_array_index (chaos->fds, gint64, chaos->fds->len - 1) : -1;

  g_print ("\n%u cycles in %.1f s (backoff %u-%u ms)\n", chaos->rss_kib->len, (double) elapsed / G_USEC_PER_SEC,
           chaos->backoff_initial_ms, MAX (chaos->backoff_max_ms, chaos->backoff_initial_ms));
  g_print ("resume, outage end -> first frame (ms):\n");
  g_print ("  %-16s %4s %8s %8s %8s %8s\n", "stream", "n", "min", "median", "p90", "max");
  print_resume (&chaos->psu, "drops and kills");
  print_resume (&chaos->scope, "drops and kills");
  print_resume (&chaos->acq, "drops (a kill loses the acquisition)");
  g_print ("reconnects (%u drops, %u kills):\n", chaos->outages_drop, chaos->outages_kill);
  print_link (chaos, &chaos->psu_link);
  print_link (chaos, &chaos->scope_link);
  print_link (chaos, &chaos->acq_link);
  g_print ("capture (%u acquisitions):\n", chaos->epochs);
  g_print ("  rows %" G_GUINT64_FORMAT " stored of %" G_GUINT64_FORMAT " generated; duplicates %" G_GUINT64_FORMAT
           ", out of order %" G_GUINT64_FORMAT ", foreign %" G_GUINT64_FORMAT "\n",
           chaos->rows, chaos->generated, chaos->duplicates, chaos->disorder, chaos->foreign);
  g_print ("  missing %" G_GUINT64_FORMAT " samples in %u holes, %u outside every recorded gap%s\n",
           chaos->missing, chaos->holes, chaos->unrecorded_holes,
           chaos->not_caught_up ? " (and captures that never caught up)" : "");
  g_print ("  gaps %u: %u at the %u drops, %u at the %u kills, %u elsewhere\n",
           chaos->gaps, chaos->gaps_drop, chaos->outages_drop, chaos->gaps_kill, chaos->outages_kill, chaos->gaps_other);
  g_print ("  data_lost: %u flagged: %u truly lost, %u with nothing missing (%u at kills: the acquisition died\n"
           "  with the server); %u gaps wrongly said complete\n",
           chaos->lost_flagged, chaos->lost_true, chaos->lost_conservative, chaos->lost_conservative_kill,
           chaos->lost_wrong);
  g_print ("resources after the first / last cycle (max):\n");
  g_print ("  VmRSS %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " KiB (%+" G_GINT64_FORMAT ", max %" G_GINT64_FORMAT ")\n",
           rss0, rss1, rss1 - rss0, array_max (chaos->rss_kib));
  g_print ("  fds   %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " (%+" G_GINT64_FORMAT ", max %" G_GINT64_FORMAT ")\n",
           fd0, fd1, fd1 - fd0, array_max (chaos->fds));
}

static char *
default_sim_path (const char *argv0)
{
  const char *env = g_getenv ("LABLINK_SIM");
  g_autofree char *dir = NULL;
  char *path;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  /* build/bench/chaos → build/src/sim/lablink-sim */
  dir = g_path_get_dirname (argv0);
  path = g_build_filename (dir, "..", "src", "sim", "lablink-sim", NULL);
  if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return path;
  g_free (path);
  return g_strdup (LABLINK_SIM_PATH);
}

int
main (int   argc,
      char *argv[])
{
  Chaos chaos = { 0 };
  gint opt_backoff_initial = 100, opt_backoff_max = 500, opt_resume_timeout = 30;
  g_autofree char *opt_sim = NULL;
  gboolean opt_keep = FALSE, opt_quiet = FALSE, opt_verbose = FALSE;
  GOptionEntry entries[] = {
    { "backoff-initial-ms", 0, 0, G_OPTION_ARG_INT, &opt_backoff_initial, "First reconnect delay cap (default 100)", "N" },
    { "backoff-max-ms", 0, 0, G_OPTION_ARG_INT, &opt_backoff_max, "Reconnect delay cap (default 500)", "N" },
    { "resume-timeout", 0, 0, G_OPTION_ARG_INT, &opt_resume_timeout, "A stream not resumed after S seconds fails the run (default 30)", "S" },
    { "sim", 0, 0, G_OPTION_ARG_FILENAME, &opt_sim, "The lablink-sim executable (default: $LABLINK_SIM, else the build tree's)", "PATH" },
    { "keep", 'k', 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the captures (their directory is printed)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "Only the summary", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Show the simulator's log", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[CYCLES] - kill/restart and drop cycles of lablink-sim");
  g_autoptr(GError) error = NULL;
  gint64 started;
  guint i;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("chaos: %s\n", error->message);
      return 2;
    }
  if (argc > 2)
    {
      g_printerr ("chaos: one argument at most (CYCLES)\n");
      return 2;
    }
  if (argc == 2)
    {
      guint64 n = 0;

      if (!g_ascii_string_to_unsigned (argv[1], 10, 1, 100000, &n, &error))
        {
          g_printerr ("chaos: CYCLES: %s\n", error->message);
          return 2;
        }
      chaos.cycles = (guint) n;
    }
  else
    chaos.cycles = 10;
  chaos.backoff_initial_ms = (guint) CLAMP (opt_backoff_initial, 1, 3600000);
  chaos.backoff_max_ms = (guint) CLAMP (opt_backoff_max, 1, 3600000);
  chaos.resume_timeout_s = (guint) CLAMP (opt_resume_timeout, 1, 3600);
  chaos.sim_path = opt_sim != NULL ? g_strdup (opt_sim) : default_sim_path (argv[0]);
  chaos.keep = opt_keep;
  chaos.quiet = opt_quiet;
  chaos.verbose = opt_verbose;
  chaos.failures = g_ptr_array_new_with_free_func (g_free);
  chaos.rss_kib = g_array_new (FALSE, FALSE, sizeof (gint64));
  chaos.fds = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!g_file_test (chaos.sim_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("chaos: no simulator at %s (--sim or $LABLINK_SIM)\n", chaos.sim_path);
      return 2;
    }
  chaos.root = g_dir_make_tmp ("lablink-chaos-XXXXXX", &error);
  if (chaos.root == NULL)
    harness_error ("capture directory", error);
  if (!sim_start (&chaos, 0, &error))
    harness_error ("lablink-sim", error);
  chaos.control = new_client (&chaos);
  if (!chaos.quiet)
    g_print ("lablink-sim at %s, %u cycles\n", chaos.url, chaos.cycles);

  link_init (&chaos, &chaos.psu_link, "psu");
  link_init (&chaos, &chaos.scope_link, "scope");
  link_init (&chaos, &chaos.acq_link, "acquisition");
  stream_init (&chaos.psu, "psu-readings", &chaos.psu_link);
  stream_init (&chaos.scope, "scope-waveform", &chaos.scope_link);
  stream_init (&chaos.acq, "acquisition", &chaos.acq_link);
  g_signal_connect (chaos.psu_link.manager, "stream-data::" PSU "_readings", G_CALLBACK (on_stream_data), &chaos.psu);
  g_signal_connect (chaos.scope_link.manager, "stream-data::" SCOPE "_waveform", G_CALLBACK (on_stream_data), &chaos.scope);
  if (!lablink_stream_manager_start_equipment_stream (chaos.psu_link.manager, PSU, "readings", 50, &error) ||
      !lablink_stream_manager_start_equipment_stream (chaos.scope_link.manager, SCOPE, "waveform", 100, &error))
    harness_error ("start stream", error);
  epoch_begin (&chaos);

  started = g_get_monotonic_time ();
  for (i = 1; i <= chaos.cycles; i++)
    if (!cycle (&chaos, i))
      break;   /* a stream that never came back: the rest would measure nothing */
  if (chaos.epoch.capture != NULL)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      epoch_stop_acquisition (&chaos);
      epoch_end (&chaos, line);
    }
  check_fds (&chaos);
  report (&chaos, g_get_monotonic_time () - started);

  link_clear (&chaos.psu_link);
  link_clear (&chaos.scope_link);
  link_clear (&chaos.acq_link);
  g_clear_object (&chaos.control);
  sim_stop (&chaos, SIGTERM);
  if (chaos.keep)
    g_print ("captures kept in %s\n", chaos.root);
  else
    g_rmdir (chaos.root);

  if (chaos.failures->len > 0)
    {
      g_print ("FAILED: %u hard failure%s\n", chaos.failures->len, chaos.failures->len == 1 ? "" : "s");
      for (i = 0; i < chaos.failures->len; i++)
        g_print ("  %s\n", (const char *) g_ptr_array_index (chaos.failures, i));
      return 1;
    }
  g_print ("OK\n");
  return 0;
}
