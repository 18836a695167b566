/* test-plot-axis.c — the axis maths of the plot: ranges, tick spacing, labels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-plot-axis.h"

#define assert_close(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), fabs (b) * 1e-12 + 1e-15)

static void
test_nice_step (void)
{
  struct { double range; int max_ticks; double expected; } cases[] = {
    { 10.0, 10, 1.0 },     /* exactly 1 per interval */
    { 10.0, 5, 2.0 },
    { 10.0, 4, 5.0 },      /* 2.5 → 5 */
    { 10.0, 2, 5.0 },
    { 10.0, 1, 10.0 },
    { 7.0, 10, 1.0 },      /* 0.7 → 1 */
    { 0.024, 6, 0.005 },   /* 0.004 → 0.005 */
    { 0.031, 6, 0.01 },    /* 0.00517 → 0.01 */
    { 120.0, 5, 50.0 },    /* 24 → 50 */
    { 1.2e6, 3, 5e5 },     /* 4e5 → 5e5 */
    { 10.0, 0, 10.0 },     /* no room: one interval */
    { 10.0, -3, 10.0 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_close (lablink_plot_axis_nice_step (cases[i].range, cases[i].max_ticks), cases[i].expected);

  /* Nothing to divide: PLplot's own choice. */
  g_assert_cmpfloat (lablink_plot_axis_nice_step (0.0, 5), ==, 0.0);
  g_assert_cmpfloat (lablink_plot_axis_nice_step (-1.0, 5), ==, 0.0);
  g_assert_cmpfloat (lablink_plot_axis_nice_step (NAN, 5), ==, 0.0);
  g_assert_cmpfloat (lablink_plot_axis_nice_step (INFINITY, 5), ==, 0.0);
}

/* Whatever the range, the step is 1, 2 or 5 × 10^k and gives at most
 * max_ticks intervals. */
static void
test_nice_step_properties (void)
{
  double range;
  int max_ticks;

  for (range = 1e-9; range < 1e9; range *= 1.37)
    for (max_ticks = 1; max_ticks <= 12; max_ticks++)
      {
        double step = lablink_plot_axis_nice_step (range, max_ticks);
        double mantissa = step / pow (10.0, floor (log10 (step) + 1e-9));

        g_assert_cmpfloat (step, >, 0.0);
        g_assert_cmpfloat (range / step, <=, max_ticks * (1 + 1e-9));
        g_assert_true (fabs (mantissa - 1) < 1e-6 || fabs (mantissa - 2) < 1e-6 ||
                       fabs (mantissa - 5) < 1e-6 || fabs (mantissa - 10) < 1e-6);
      }
}

static void
test_max_ticks (void)
{
  g_assert_cmpint (lablink_plot_axis_max_ticks (500.0, LABLINK_PLOT_AXIS_X_TICK_PX), ==, 5);
  g_assert_cmpint (lablink_plot_axis_max_ticks (89.9, LABLINK_PLOT_AXIS_X_TICK_PX), ==, 0);
  g_assert_cmpint (lablink_plot_axis_max_ticks (130.0, LABLINK_PLOT_AXIS_Y_TICK_PX), ==, 5);
}

static void
test_nice_range (void)
{
  double lo, hi;

  /* A 6 % margin on each side. */
  lo = 0.0; hi = 10.0;
  lablink_plot_axis_nice_range (&lo, &hi);
  assert_close (lo, -0.6);
  assert_close (hi, 10.6);

  /* Millivolts of noise on 5 V: at least ±1 % of the value, plus the margin. */
  lo = 4.999; hi = 5.001;
  lablink_plot_axis_nice_range (&lo, &hi);
  assert_close (lo, 4.95 - 0.1 * 0.06);
  assert_close (hi, 5.05 + 0.1 * 0.06);

  /* A constant: ±10 % of it. */
  lo = hi = 2.0;
  lablink_plot_axis_nice_range (&lo, &hi);
  assert_close (lo, 1.8);
  assert_close (hi, 2.2);

  /* Constant zero: ±1. */
  lo = hi = 0.0;
  lablink_plot_axis_nice_range (&lo, &hi);
  assert_close (lo, -1.0);
  assert_close (hi, 1.0);

  /* No data (the envelope's start values). */
  lo = INFINITY; hi = -INFINITY;
  lablink_plot_axis_nice_range (&lo, &hi);
  g_assert_cmpfloat (lo, ==, -1.0);
  g_assert_cmpfloat (hi, ==, 1.0);

  lo = NAN; hi = 3.0;
  lablink_plot_axis_nice_range (&lo, &hi);
  g_assert_cmpfloat (lo, ==, -1.0);
  g_assert_cmpfloat (hi, ==, 1.0);
}

static void
test_data_and_fixed_range (void)
{
  double lo, hi;

  lo = INFINITY; hi = -INFINITY;
  lablink_plot_axis_data_range (&lo, &hi);
  g_assert_cmpfloat (lo, ==, 0.0);
  g_assert_cmpfloat (hi, ==, 1.0);

  lo = hi = 3.0;
  lablink_plot_axis_data_range (&lo, &hi);
  g_assert_cmpfloat (lo, ==, 3.0);
  g_assert_cmpfloat (hi, ==, 4.0);

  lo = -2.0; hi = 5.0;
  lablink_plot_axis_data_range (&lo, &hi);
  g_assert_cmpfloat (lo, ==, -2.0);
  g_assert_cmpfloat (hi, ==, 5.0);

  lo = 5.0; hi = 1.0;
  lablink_plot_axis_fixed_range (&lo, &hi);
  g_assert_cmpfloat (lo, ==, 5.0);
  g_assert_cmpfloat (hi, ==, 6.0);

  lo = 0.0; hi = 0.5;
  lablink_plot_axis_fixed_range (&lo, &hi);
  g_assert_cmpfloat (hi, ==, 0.5);

  lo = 0.0; hi = NAN;
  lablink_plot_axis_fixed_range (&lo, &hi);
  g_assert_cmpfloat (hi, ==, 1.0);
}

static void
test_labels (void)
{
  struct { const char *quantity, *unit, *prefix, *expected; } cases[] = {
    { "Voltage", "V", "m", "Voltage (mV)" },
    { "Time", "s", "", "Time (s)" },
    { "Samples", NULL, "k", "Samples" },
    { "Samples", "", "k", "Samples" },
    { NULL, "A", "µ", " (µA)" },
    { NULL, NULL, "m", "" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = lablink_plot_axis_label (cases[i].quantity, cases[i].unit, cases[i].prefix);
      g_assert_cmpstr (label, ==, cases[i].expected);
    }

  /* Stacked panes: the unit alone along the side. */
  {
    g_autofree char *one = lablink_plot_axis_pane_label (1, "Current", "A", "m");
    g_autofree char *two = lablink_plot_axis_pane_label (2, "Current", "A", "m");
    g_autofree char *no_unit = lablink_plot_axis_pane_label (2, "Ratio", "", "");

    g_assert_cmpstr (one, ==, "Current (mA)");
    g_assert_cmpstr (two, ==, "mA");
    g_assert_cmpstr (no_unit, ==, "Ratio");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plot-axis/nice-step", test_nice_step);
  g_test_add_func ("/plot-axis/nice-step-properties", test_nice_step_properties);
  g_test_add_func ("/plot-axis/max-ticks", test_max_ticks);
  g_test_add_func ("/plot-axis/nice-range", test_nice_range);
  g_test_add_func ("/plot-axis/data-and-fixed-range", test_data_and_fixed_range);
  g_test_add_func ("/plot-axis/labels", test_labels);

  return g_test_run ();
}
