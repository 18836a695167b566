/* test-poll-clock.c — the polling fallback's schedule, on a simulated clock
 *
 * Issue 8, failure 5: polling at 100 ms ran at a third of the rate, because
 * the next request waited for the answer and then a whole interval. The
 * schedule (lablink-stream-manager-polling.c) sends requests at deadlines
 * one interval apart, one in flight at a time. Driven here with made-up
 * times and answer delays, so nothing depends on the machine's load; the
 * rate on a real simulator is a bench figure (bench/bench-poll).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>

#include "lablink-stream-manager-private.h"

#define MS 1000

/* Runs the schedule for @duration_ms with answers taking @answer_ms, the
 * timer firing @timer_late_ms after each deadline; returns how many
 * requests went out and checks that never two were in flight. */
static guint
simulate (gint64 interval_ms,
          gint64 answer_ms,
          gint64 timer_late_ms,
          gint64 duration_ms)
{
  LablinkPollClock clock = { 0 };
  gint64 now = 1000 * MS;
  gint64 end = now + duration_ms * MS;
  gint64 answer_at = -1;
  guint sent = 0;

  _lablink_poll_clock_start (&clock, now);
  while (now < end)
    {
      if (_lablink_poll_clock_take (&clock, now, interval_ms * MS))
        {
          g_assert_cmpint (answer_at, <, 0);  /* one in flight */
          sent++;
          answer_at = now + answer_ms * MS;
        }
      else
        g_assert_true (clock.in_flight || now < clock.deadline);

      /* Next event: the answer, or the timer at the deadline. */
      if (answer_at >= 0)
        {
          now = answer_at;
          answer_at = -1;
          _lablink_poll_clock_done (&clock);
        }
      else
        now = MAX (now, clock.deadline + timer_late_ms * MS);
    }
  return sent;
}

static void
test_deadlines (void)
{
  /* Answers within the interval: exactly one request per interval, whatever
   * they take (answer + interval would give 10 s / 130 ms = 76). */
  g_assert_cmpuint (simulate (100, 30, 0, 10000), ==, 100);
  g_assert_cmpuint (simulate (100, 1, 0, 10000), ==, 100);
  g_assert_cmpuint (simulate (100, 99, 0, 10000), ==, 100);
  /* A timer that fires late does not shift the later deadlines. */
  g_assert_cmpuint (simulate (100, 30, 20, 10000), ==, 100);
  /* Answers slower than the interval: back to back, one at a time. */
  g_assert_cmpuint (simulate (100, 150, 0, 9000), ==, 60);
}

static void
test_one_in_flight (void)
{
  LablinkPollClock clock = { 0 };
  gint64 t = 5000 * MS;

  _lablink_poll_clock_start (&clock, t);
  g_assert_true (_lablink_poll_clock_take (&clock, t, 100 * MS));
  /* Due again at t + 100 ms, but the first is still in flight. */
  g_assert_false (_lablink_poll_clock_take (&clock, t + 100 * MS, 100 * MS));
  g_assert_false (_lablink_poll_clock_take (&clock, t + 250 * MS, 100 * MS));
  _lablink_poll_clock_done (&clock);
  /* Answered 250 ms late: one request at once, not the two missed. */
  g_assert_true (_lablink_poll_clock_take (&clock, t + 250 * MS, 100 * MS));
  g_assert_false (_lablink_poll_clock_take (&clock, t + 250 * MS, 100 * MS));
  _lablink_poll_clock_done (&clock);
  /* That one was more than an interval late: the next is due at once… */
  g_assert_true (_lablink_poll_clock_take (&clock, t + 260 * MS, 100 * MS));
  _lablink_poll_clock_done (&clock);
  /* …and the deadlines go on from there, one interval apart. */
  g_assert_false (_lablink_poll_clock_take (&clock, t + 300 * MS, 100 * MS));
  g_assert_true (_lablink_poll_clock_take (&clock, t + 350 * MS, 100 * MS));
}

static void
test_not_early (void)
{
  LablinkPollClock clock = { 0 };
  gint64 t = 7000 * MS;

  _lablink_poll_clock_start (&clock, t);
  g_assert_true (_lablink_poll_clock_take (&clock, t, 100 * MS));
  _lablink_poll_clock_done (&clock);
  g_assert_false (_lablink_poll_clock_take (&clock, t + 99 * MS, 100 * MS));
  g_assert_cmpint (clock.deadline, ==, t + 100 * MS);
  g_assert_true (_lablink_poll_clock_take (&clock, t + 100 * MS, 100 * MS));
  g_assert_cmpint (clock.deadline, ==, t + 200 * MS);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/poll-clock/deadlines", test_deadlines);
  g_test_add_func ("/poll-clock/one-in-flight", test_one_in_flight);
  g_test_add_func ("/poll-clock/not-early", test_not_early);

  return g_test_run ();
}
