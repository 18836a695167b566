/* test-manager-priority.c — control items are not starved by busier sources
 *
 * The manager dispatches frames at G_PRIORITY_DEFAULT_IDLE, behind GTK's
 * frame clock and layout, so that a flood of frames cannot freeze drawing.
 * Control items (events, state changes, errors) have a source of their own
 * at G_PRIORITY_DEFAULT: an alarm must reach the application while redraws
 * (or anything else at a higher priority than idle) keep the main loop busy,
 * not only once they stop (issue 12: an alarm 23 s, once over 60 s, late
 * under load). No wall-clock bound: the alarm must arrive before a busy
 * source that never lets an idle source run stops after BUSY_ITERATIONS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>

#include "test-common.h"

#define FLOOD_KEY        "flood_readings"
#define BUSY_ITERATIONS  4000   /* of BUSY_US each: at least 20 s */
#define BUSY_US          5000

typedef struct {
  guint    iterations;
  gboolean running;
  guint    frames;
  gboolean alarm_seen;
  gboolean alarm_while_busy;
  guint    alarm_iteration;
} Busy;

/* Redraw-like work: always ready, 5 ms per iteration (sleeping, not
 * spinning, to spare a shared machine: to the main loop it is the same). */
static gboolean
busy_cb (gpointer data)
{
  Busy *b = data;

  g_usleep (BUSY_US);
  b->iterations++;
  if (b->alarm_seen || b->iterations >= BUSY_ITERATIONS)
    {
      b->running = FALSE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
on_stream_data (LablinkStreamManager *manager,
                LablinkMessage       *message,
                Busy                 *b)
{
  b->frames++;
}

static void
on_alarm (LablinkStreamManager *manager,
          LablinkMessage       *message,
          Busy                 *b)
{
  if (b->alarm_seen)
    return;
  b->alarm_seen = TRUE;
  b->alarm_while_busy = b->running;
  b->alarm_iteration = b->iterations;
}

static void
run_under_load (gint priority)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) flood = NULL;
  g_autoptr(JsonNode) alarm = NULL;
  g_autoptr(JsonNode) stopped = NULL;
  g_autoptr(GSource) busy = NULL;
  TestWaiter waiter = { 0 };
  Busy b = { 0 };
  guint frames_after_busy;

  manager = g_object_new (LABLINK_TYPE_STREAM_MANAGER,
                          "client", client,
                          "ping-interval-ms", 60000,
                          NULL);
  g_signal_connect (manager, "stream-data::" FLOOD_KEY, G_CALLBACK (on_stream_data), &b);
  g_signal_connect (manager, "event::alarm_event", G_CALLBACK (on_alarm), &b);
  lablink_stream_manager_connect_async (manager, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  g_assert_true (lablink_stream_manager_connect_finish (manager, result, &error));
  g_assert_no_error (error);

  /* A flood of frames that outlasts the test, and frames arrive. */
  flood = test_sim_rest (sim, "POST", "/api/sim/flood", "{\"n_frames\": 100000000, \"rate_hz\": 2000}", NULL);
  g_assert_nonnull (flood);
  TEST_ASSERT_EVENTUALLY (b.frames > 0);

  /* The busy source never lets an idle source run while it runs. */
  busy = g_idle_source_new ();
  g_source_set_priority (busy, priority);
  g_source_set_callback (busy, busy_cb, &b, NULL);
  b.running = TRUE;
  g_source_attach (busy, NULL);
  while (b.running && b.iterations < 3)
    g_main_context_iteration (NULL, TRUE);

  alarm = test_sim_rest (sim, "POST", "/api/sim/event", "{\"type\": \"alarm_event\"}", NULL);
  g_assert_nonnull (alarm);
  while (b.running)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("alarm %s after %u busy iterations of %u",
                  b.alarm_seen ? "delivered" : "not delivered", b.alarm_iteration, b.iterations);
  g_assert_true (b.alarm_seen);
  g_assert_true (b.alarm_while_busy);
  g_assert_cmpuint (b.alarm_iteration, <, BUSY_ITERATIONS);

  /* The frames were only held back: they come again. */
  frames_after_busy = b.frames;
  TEST_ASSERT_EVENTUALLY (b.frames > frames_after_busy);
  g_assert_true (lablink_stream_manager_get_connected (manager));

  stopped = test_sim_rest (sim, "DELETE", "/api/sim/flood", NULL, NULL);
  g_signal_handlers_disconnect_by_data (manager, &b);
  lablink_stream_manager_disconnect (manager);
}

/* Under redraw-like work (GTK's frame clock and layout run between
 * G_PRIORITY_HIGH_IDLE and G_PRIORITY_DEFAULT_IDLE). */
static void
test_alarm_under_redraws (void)
{
  run_under_load (G_PRIORITY_HIGH_IDLE);
}

/* Under work at the control source's own priority: it still gets its turn. */
static void
test_alarm_under_default_load (void)
{
  run_under_load (G_PRIORITY_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manager-priority/alarm-under-redraws", test_alarm_under_redraws);
  g_test_add_func ("/manager-priority/alarm-under-default-load", test_alarm_under_default_load);

  return g_test_run ();
}
