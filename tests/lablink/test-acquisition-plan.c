/* test-acquisition-plan.c — the stream plan of an acquisition keeps every sample
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <lablink.h>

/* At every rate and channel count a frame holds more than an interval's
 * samples (consecutive frames overlap, so a late frame loses nothing), the
 * interval stays in the protocol's range and a frame fits the manager's
 * 16 MiB payload at ~30 bytes a sample and 14 a value. */
static void
test_plan_overlaps (void)
{
  const double rates[] = { 1, 10, 100, 1000, 2500, 9999, 10000, 20000, 49999, 50000, 50001, 100000, 1e6 };

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    for (guint n = 1; n <= 8; n++)
      {
        guint interval = lablink_acquisition_plan_interval (rates[r], n);
        guint window = lablink_acquisition_plan_window (rates[r], n);
        double per_interval = rates[r] * interval / 1000.0;

        g_test_message ("%g Sa/s × %u: %u ms, %u samples", rates[r], n, interval, window);
        g_assert_cmpuint (interval, >=, 20);
        g_assert_cmpuint (interval, <=, 1000);
        g_assert_cmpfloat (window, >=, per_interval * 2);
        g_assert_cmpfloat ((double) window * (30 + 14 * n), <, 16.0 * 1024 * 1024);
        g_assert_cmpuint (window, <=, 1000000);
      }
}

/* The server keeps 10 s for a backfill, within the protocol's bounds, and
 * a capture waits longer for a bigger one. */
static void
test_plan_buffer (void)
{
  g_assert_cmpuint (lablink_acquisition_plan_buffer (1000), ==, 10000);
  g_assert_cmpuint (lablink_acquisition_plan_buffer (50000), ==, 500000);
  g_assert_cmpuint (lablink_acquisition_plan_buffer (1e7), ==, 1000000);
  g_assert_cmpuint (lablink_acquisition_plan_buffer (1), ==, 10000);
  g_assert_cmpuint (lablink_acquisition_plan_backfill_timeout (100000), >,
                    lablink_acquisition_plan_backfill_timeout (1000));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/acquisition-plan/overlaps", test_plan_overlaps);
  g_test_add_func ("/acquisition-plan/buffer", test_plan_buffer);
  return g_test_run ();
}
