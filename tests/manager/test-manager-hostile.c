/* test-manager-hostile.c — LablinkStreamManager against servers that misbehave
 *
 * A server that accepts and drops at once (the backoff must grow), frames
 * over the payload limit (counted as too-large), and big valid frames
 * (memory bounded in bytes, checked against the documented worst case).
 * Every test starts its own simulator on
 * 127.0.0.1 with a free port.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>
#include <string.h>

#include "test-sim.h"
#include "test-wait.h"

/* Connected, through the common harness's async-result waiter. */
static void
connect_manager (LablinkStreamManager *manager)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  lablink_stream_manager_connect_async (manager, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  g_assert_true (lablink_stream_manager_connect_finish (manager, result, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------------ */
/* Backoff against a server that accepts and then drops                     */

typedef struct {
  GArray  *attempts;          /* retry-attempt at each RECONNECTING */
  guint    connected;         /* times CONNECTED was entered */
  gboolean saw_zero_while_up; /* retry-attempt went to 0 on a stable link */
} DropWatch;

static void
on_drop_state (LablinkStreamManager *manager,
               GParamSpec           *pspec,
               DropWatch            *w)
{
  LablinkConnectionState state = lablink_stream_manager_get_state (manager);

  if (state == LABLINK_CONNECTION_RECONNECTING)
    {
      guint attempt = lablink_stream_manager_get_retry_attempt (manager);

      /* Only the planned retries count (next-retry-time set). */
      if (lablink_stream_manager_get_next_retry_time (manager) != 0)
        g_array_append_val (w->attempts, attempt);
    }
  else if (state == LABLINK_CONNECTION_CONNECTED)
    w->connected++;
}

static void
on_drop_attempt (LablinkStreamManager *manager,
                 GParamSpec           *pspec,
                 DropWatch            *w)
{
  if (lablink_stream_manager_get_state (manager) == LABLINK_CONNECTION_CONNECTED &&
      lablink_stream_manager_get_retry_attempt (manager) == 0)
    w->saw_zero_while_up = TRUE;
}

typedef struct {
  DropWatch *w;
  guint      n;
} DropWait;

static gboolean
enough_drops (gpointer data)
{
  DropWait *d = data;
  return d->w->attempts->len >= d->n;
}

static LablinkStreamManager *
new_drop_manager (LablinkClient *client,
                  guint          stable_after_ms,
                  DropWatch     *w)
{
  LablinkStreamManager *manager = g_object_new (LABLINK_TYPE_STREAM_MANAGER,
                                                "client", client,
                                                "backoff-initial-ms", 20,
                                                "backoff-max-ms", 600000,
                                                "stable-after-ms", stable_after_ms,
                                                "ping-interval-ms", 60000,
                                                NULL);

  w->attempts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (manager, "notify::state", G_CALLBACK (on_drop_state), w);
  g_signal_connect (manager, "notify::retry-attempt", G_CALLBACK (on_drop_attempt), w);
  return manager;
}

/* The simulator drops each link 150 ms after it opened, far sooner than
 * stable-after-ms: every drop is one more attempt of the same backoff, so
 * the attempt number (and the cap of the delay) grows. Issue 10 A: it was
 * reset on every successful connect, so the client retried at the initial
 * backoff for ever (2.2 reconnects a second against --drop-after-ms 200). */
static void
test_backoff_grows (void)
{
  const char *args[] = { "--drop-after-ms", "150", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  DropWatch w = { 0 };
  DropWait d = { &w, 5 };
  guint i;

  manager = new_drop_manager (client, 60000, &w);
  connect_manager (manager);

  /* Caps 20, 40, 80, 160, 320 ms (full jitter) plus 150 ms up each time. */
  g_assert_true (test_wait_until (enough_drops, &d, TEST_TIMEOUT_MS));
  for (i = 0; i < w.attempts->len; i++)
    g_test_message ("drop %u: retry attempt %u", i + 1, g_array_index (w.attempts, guint, i));
  /* The attempt is read when the owner handles the drop: a late owner may
   * see a later one, never an earlier one. */
  for (i = 0; i < d.n; i++)
    g_assert_cmpuint (g_array_index (w.attempts, guint, i), >=, i + 1);
  g_assert_false (w.saw_zero_while_up);

  g_array_unref (w.attempts);
}

/* A link that stays up stable-after-ms resets the backoff: with the link
 * dropped only after 2 s and stable-after-ms at 200, every drop is a first
 * retry again, and retry-attempt reads 0 while the link is up. */
static void
test_backoff_resets_when_stable (void)
{
  const char *args[] = { "--drop-after-ms", "2000", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  DropWatch w = { 0 };
  DropWait d = { &w, 2 };
  guint i;

  manager = new_drop_manager (client, 200, &w);
  connect_manager (manager);

  g_assert_true (test_wait_until (enough_drops, &d, TEST_TIMEOUT_MS));
  for (i = 0; i < d.n; i++)
    g_assert_cmpuint (g_array_index (w.attempts, guint, i), ==, 1);
  g_assert_true (w.saw_zero_while_up);

  g_array_unref (w.attempts);
}

/* ------------------------------------------------------------------------ */
/* A frame over max-payload-size                                            */

typedef struct {
  guint too_large;
  guint other;
} FrameErrors;

static void
on_frame_error (LablinkStreamManager *manager,
                const GError         *error,
                FrameErrors          *f)
{
  if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE))
    f->too_large++;
  else
    f->other++;
}

static gboolean
saw_too_large (gpointer data)
{
  return ((FrameErrors *) data)->too_large > 0;
}

static gboolean
is_connected (gpointer data)
{
  return lablink_stream_manager_get_connected (data);
}

static char *
broadcast_body (gsize size)
{
  g_autoptr(GString) frame = g_string_new ("{\"type\": \"big_event\", \"blob\": \"");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  while (frame->len < size)
    g_string_append (frame, "0123456789abcdef");
  g_string_append (frame, "\"}");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, frame->str);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  return json_to_string (body, FALSE);
}

/* libsoup refuses a frame over max-payload-size by closing the link (1009,
 * "too big") without handing the frame over. Issue 10 B: that was counted
 * as a connection error; it is a too-large frame, reported as such, and the
 * link comes back. */
static void
test_frame_over_limit (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(LablinkStatistics) stats = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *body = broadcast_body (200 * 1024);
  FrameErrors f = { 0 };

  manager = g_object_new (LABLINK_TYPE_STREAM_MANAGER,
                          "client", client,
                          "backoff-initial-ms", 50,
                          "backoff-max-ms", 500,
                          "ping-interval-ms", 60000,
                          "max-payload-size", 64 * 1024,
                          NULL);
  g_signal_connect (manager, "frame-error", G_CALLBACK (on_frame_error), &f);
  connect_manager (manager);

  answer = test_sim_rest (sim, "POST", "/api/sim/broadcast", body, NULL);
  g_assert_true (test_wait_until (saw_too_large, &f, TEST_TIMEOUT_MS));
  g_assert_true (test_wait_until (is_connected, manager, TEST_TIMEOUT_MS));

  stats = lablink_stream_manager_get_statistics (manager);
  g_assert_cmpuint (lablink_statistics_get_errors (stats, LABLINK_ERROR_KIND_TOO_LARGE), ==, 1);
  g_assert_cmpuint (lablink_statistics_get_errors (stats, LABLINK_ERROR_KIND_CONNECTION), ==, 0);
  g_assert_cmpuint (f.too_large, ==, 1);
  g_assert_cmpuint (f.other, ==, 0);
}

/* ------------------------------------------------------------------------ */
/* Memory bounded in bytes                                                  */

/* The worst case of src/lablink/README.md, "Memory": a decoded frame of L
 * bytes costs at most 16 L + 4 KiB; the queues hold total-queue-bytes plus
 * the newest frame, the owner one batch (1 MiB or one frame), the network
 * thread libsoup's buffers (3 L), the tokenizer's working array (10 L) and
 * the frame being decoded. */
static guint64
documented_bound (guint64 max_payload,
                  guint64 total_queue_bytes)
{
  guint64 frame = 16 * max_payload + 4096;

  return total_queue_bytes + 3 * frame + 13 * max_payload + 1024 * 1024;
}

static guint64
status_bytes (const char *field)
{
  g_autofree char *text = NULL;
  const char *p;

  g_assert_true (g_file_get_contents ("/proc/self/status", &text, NULL, NULL));
  p = strstr (text, field);
  g_assert_nonnull (p);
  return g_ascii_strtoull (p + strlen (field), NULL, 10) * 1024;
}

typedef struct {
  guint    delivered;
  guint64  max_cost;
} BigCount;

static void
on_big_frame (LablinkStreamManager *manager,
              LablinkMessage       *message,
              BigCount             *b)
{
  gsize n = 0;

  if (g_str_has_prefix (lablink_message_get_stream_key (message), "hostile_") &&
      lablink_message_get_waveform (message, &n) != NULL && n > 0)
    b->delivered++;
}

static gboolean
big_delivered (gpointer data)
{
  return ((BigCount *) data)->delivered > 0;
}

static guint64
received (LablinkStreamManager *manager)
{
  g_autoptr(LablinkStatistics) stats = lablink_stream_manager_get_statistics (manager);
  return lablink_statistics_get_messages_received (stats);
}

/* Under AddressSanitizer the RSS bound is not checked (below) and each
 * frame costs several times as much to decode: half as many show the
 * dropping, and a loaded machine still gets through them. */
#ifdef __SANITIZE_ADDRESS__
#define BIG_FRAMES 12
#else
#define BIG_FRAMES 24
#endif

static void
memory_bounded_child (void)
{
  const guint64 max_payload = 4 * 1024 * 1024;
  const guint64 queue_bytes = 8 * 1024 * 1024;
  const guint64 total_queue_bytes = 24 * 1024 * 1024;
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(LablinkStatistics) stats = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint64 before, peak, bound, start, dropped;
  gint64 deadline;
  BigCount b = { 0 };

  manager = g_object_new (LABLINK_TYPE_STREAM_MANAGER,
                          "client", client,
                          "ping-interval-ms", 60000,
                          "max-payload-size", (guint) max_payload,
                          "queue-bytes", queue_bytes,
                          "total-queue-bytes", total_queue_bytes,
                          NULL);
  g_signal_connect (manager, "stream-data", G_CALLBACK (on_big_frame), &b);
  connect_manager (manager);

  before = status_bytes ("VmRSS:");
  start = received (manager);

  /* Valid frames of a million zeros (2 MiB each, about 30 MB decoded) to
   * four streams, while the owner's loop does not turn: everything the
   * worker keeps stays queued. Issue 10 C: the queues were bounded in
   * frames only (256 a stream), so each frame stayed (0.7 GB here). */
  answer = test_sim_rest (sim, "POST", "/api/sim/faults",
                          "{\"hostile_rate\": 25, \"hostile_kinds\": \"big-frames\"}", NULL);
  deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;
  while (received (manager) - start < BIG_FRAMES && g_get_monotonic_time () < deadline)
    g_usleep (20000);
  g_assert_cmpuint (received (manager) - start, >=, BIG_FRAMES);

  peak = status_bytes ("VmHWM:");
  bound = documented_bound (max_payload, total_queue_bytes);
  g_test_message ("RSS %" G_GUINT64_FORMAT " MiB before, peak %" G_GUINT64_FORMAT " MiB, "
                  "growth %" G_GUINT64_FORMAT " MiB, documented bound %" G_GUINT64_FORMAT " MiB",
                  before >> 20, peak >> 20, (peak - before) >> 20, bound >> 20);
#ifndef __SANITIZE_ADDRESS__
  g_assert_cmpuint (peak - before, <, bound);
#else
  /* AddressSanitizer keeps freed memory in quarantine (256 MiB) and adds
   * shadow memory: the RSS says nothing about the bound there. */
  (void) bound;
#endif

  g_clear_pointer (&answer, json_node_unref);
  answer = test_sim_rest (sim, "POST", "/api/sim/faults", "{\"hostile_rate\": 0}", NULL);

  /* The excess was dropped and counted; the newest frames still arrive. */
  stats = lablink_stream_manager_get_statistics (manager);
  dropped = lablink_statistics_get_dropped (stats);
  g_assert_cmpuint (dropped, >=, BIG_FRAMES / 2);
  g_assert_true (test_wait_until (big_delivered, &b, TEST_TIMEOUT_MS));
  g_assert_true (lablink_stream_manager_get_connected (manager));
}

/* Run in a process of its own: its peak RSS is then this test's alone. */
static void
test_memory_bounded (void)
{
  if (g_test_subprocess ())
    {
      memory_bounded_child ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manager-hostile/backoff-grows", test_backoff_grows);
  g_test_add_func ("/manager-hostile/backoff-resets-when-stable", test_backoff_resets_when_stable);

  g_test_add_func ("/manager-hostile/frame-over-limit", test_frame_over_limit);

  g_test_add_func ("/manager-hostile/memory-bounded", test_memory_bounded);

  return g_test_run ();
}
