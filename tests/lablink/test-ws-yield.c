/* test-ws-yield.c — when the worker offers its core (issue 12)
 *
 * A flood keeps the stream manager's worker thread busy; where it shares a
 * core with its owner, the owner's timers waited for the scheduler's tick.
 * The worker therefore yields once it has been busy YIELD_PERIOD_US since
 * it last yielded or went idle (lablink_ws_yield_due(),
 * lablink-ws-worker-handoff.c), and a read burst that ends starts the
 * count over. Checked on made-up clock readings: no wall-clock bound.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>

#include "lablink-ws-worker-private.h"

#define T0 G_GINT64_CONSTANT (1000000000)

/* A flood: a frame every microsecond, for 10 periods. The worker yields
 * once per period, the first time a period after the first frame. */
static void
test_yield_flood (void)
{
  LablinkWsYield yield = { 0 };
  guint yields = 0;
  gint64 last = 0;
  gint64 t;

  for (t = T0; t < T0 + 10 * YIELD_PERIOD_US; t++)
    if (lablink_ws_yield_due (&yield, t))
      {
        yields++;
        g_assert_cmpint (t - (last ? last : T0), ==, YIELD_PERIOD_US);
        last = t;
      }
  g_assert_cmpuint (yields, ==, 9);
}

/* Short bursts (a few frames every READ_PERIOD_US, as at 1k frames/s):
 * each burst ends before a period is over, so the worker never yields,
 * however long it runs. */
static void
test_yield_short_bursts (void)
{
  LablinkWsYield yield = { 0 };
  guint burst;

  for (burst = 0; burst < 1000; burst++)
    {
      gint64 start = T0 + (gint64) burst * READ_PERIOD_US;
      guint frame;

      for (frame = 0; frame < 4; frame++)
        g_assert_false (lablink_ws_yield_due (&yield, start + frame * (YIELD_PERIOD_US / 8)));
      lablink_ws_yield_idle (&yield);
    }
}

/* A burst that ends restarts the count: idle time is not busy time. */
static void
test_yield_idle_restarts (void)
{
  LablinkWsYield yield = { 0 };

  g_assert_false (lablink_ws_yield_due (&yield, T0));
  g_assert_false (lablink_ws_yield_due (&yield, T0 + YIELD_PERIOD_US - 1));
  lablink_ws_yield_idle (&yield);
  /* Long after: the first frame of a new burst starts the count. */
  g_assert_false (lablink_ws_yield_due (&yield, T0 + 100 * YIELD_PERIOD_US));
  g_assert_false (lablink_ws_yield_due (&yield, T0 + 101 * YIELD_PERIOD_US - 1));
  g_assert_true (lablink_ws_yield_due (&yield, T0 + 101 * YIELD_PERIOD_US));
  /* Counted from the yield. */
  g_assert_false (lablink_ws_yield_due (&yield, T0 + 102 * YIELD_PERIOD_US - 1));
  g_assert_true (lablink_ws_yield_due (&yield, T0 + 102 * YIELD_PERIOD_US));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ws-yield/flood", test_yield_flood);
  g_test_add_func ("/ws-yield/short-bursts", test_yield_short_bursts);
  g_test_add_func ("/ws-yield/idle-restarts", test_yield_idle_restarts);

  return g_test_run ();
}
