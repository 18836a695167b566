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


/* Labels of a logarithmic axis, as PLplot draws them through the plot's
 * label function: values in hertz with an SI prefix. */
static void
test_si_label (void)
{
  struct { double value, resolution; const char *expected; } cases[] = {
    { 10.0, 0, "10 Hz" },
    { 100.0, 0, "100 Hz" },
    { 1000.0, 0, "1 kHz" },
    { 10000.0, 0, "10 kHz" },
    { 999.99999999, 0, "1 kHz" },     /* a decade through log10 and back */
    { 200.0, 0, "200 Hz" },
    { 1.5e6, 0, "1.5 MHz" },
    { 0.1, 0, "100 mHz" },
    { 2e-6, 0, "2 µHz" },
    { 1020.0, 20.0, "1.02 kHz" },
    { 1000.0, 20.0, "1.00 kHz" },
    { 1500.0, 500.0, "1.5 kHz" },
    { 0.0, 0, "0 Hz" },
  };
  g_autofree char *none = lablink_plot_axis_si_label (NAN, 0, "Hz");
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = lablink_plot_axis_si_label (cases[i].value, cases[i].resolution, "Hz");
      g_assert_cmpstr (label, ==, cases[i].expected);
    }
  g_assert_cmpstr (none, ==, "—");
}

static void
assert_log_labels (double      lo_value,
                   double      hi_value,
                   int         max_ticks,
                   LablinkPlotAxisLogTicks expected_kind,
                   const char *expected)
{
  double ticks[LABLINK_PLOT_AXIS_MAX_LOG_TICKS], step = -1;
  guint n = 0, i;
  LablinkPlotAxisLogTicks kind;
  g_autoptr(GString) labels = g_string_new (NULL);

  kind = lablink_plot_axis_log_ticks (log10 (lo_value), log10 (hi_value), max_ticks, &step, ticks, &n);
  for (i = 0; i < n; i++)
    {
      g_autofree char *label = lablink_plot_axis_si_label (pow (10.0, ticks[i]),
                                                           kind == LABLINK_PLOT_AXIS_LOG_LINEAR ? step : 0, "Hz");

      g_assert_cmpfloat (ticks[i], >=, log10 (lo_value) - 1e-9);
      g_assert_cmpfloat (ticks[i], <=, log10 (hi_value) + 1e-9);
      if (i > 0)
        /* never closer than the room allows */
        g_assert_cmpfloat (ticks[i] - ticks[i - 1], >=,
                           (log10 (hi_value) - log10 (lo_value)) / max_ticks - 1e-9);
      g_string_append_printf (labels, "%s%s", i ? ", " : "", label);
    }
  g_test_message ("%g…%g Hz, %d ticks: %s", lo_value, hi_value, max_ticks, labels->str);
  g_assert_cmpint (kind, ==, expected_kind);
  g_assert_cmpstr (labels->str, ==, expected);
}

static void
test_log_ticks (void)
{
  double ticks[LABLINK_PLOT_AXIS_MAX_LOG_TICKS], step;
  guint n = 99;

  /* decades, as many as fit */
  assert_log_labels (10.0, 10000.0, 8, LABLINK_PLOT_AXIS_LOG_DECADES, "10 Hz, 100 Hz, 1 kHz, 10 kHz");
  assert_log_labels (3.0, 50000.0, 8, LABLINK_PLOT_AXIS_LOG_DECADES, "10 Hz, 100 Hz, 1 kHz, 10 kHz");
  assert_log_labels (0.1, 1e6, 3, LABLINK_PLOT_AXIS_LOG_DECADES, "1 Hz, 1 kHz, 1 MHz");
  assert_log_labels (1.0, 1e6, 2, LABLINK_PLOT_AXIS_LOG_DECADES, "1 Hz, 1 kHz, 1 MHz");
  /* less than two decades: 1-2-5, then 1 to 9 */
  assert_log_labels (300.0, 3000.0, 6, LABLINK_PLOT_AXIS_LOG_MANTISSAS, "500 Hz, 1 kHz, 2 kHz");
  assert_log_labels (150.0, 950.0, 20, LABLINK_PLOT_AXIS_LOG_MANTISSAS,
                     "200 Hz, 300 Hz, 400 Hz, 500 Hz, 600 Hz, 700 Hz, 800 Hz, 900 Hz");
  /* zoomed in further: a linear step, labelled to its resolution */
  assert_log_labels (990.0, 1110.0, 6, LABLINK_PLOT_AXIS_LOG_LINEAR, "1.00 kHz, 1.05 kHz, 1.10 kHz");
  assert_log_labels (990.0, 1110.0, 12, LABLINK_PLOT_AXIS_LOG_LINEAR,
                     "1.00 kHz, 1.02 kHz, 1.04 kHz, 1.06 kHz, 1.08 kHz, 1.10 kHz");
  /* no room for two: one, in the middle */
  assert_log_labels (300.0, 3000.0, 1, LABLINK_PLOT_AXIS_LOG_MANTISSAS, "1 kHz");

  /* nothing to label */
  g_assert_cmpint (lablink_plot_axis_log_ticks (3.0, 3.0, 5, &step, ticks, &n), ==, LABLINK_PLOT_AXIS_LOG_LINEAR);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (lablink_plot_axis_log_ticks (-INFINITY, 3.0, 5, &step, ticks, &n), ==, LABLINK_PLOT_AXIS_LOG_LINEAR);
  g_assert_cmpuint (n, ==, 0);
  /* a huge range never overflows the array */
  lablink_plot_axis_log_ticks (-300, 300, 1000, &step, ticks, &n);
  g_assert_cmpuint (n, <=, LABLINK_PLOT_AXIS_MAX_LOG_TICKS);
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
  g_test_add_func ("/plot-axis/si-label", test_si_label);
  g_test_add_func ("/plot-axis/log-ticks", test_log_ticks);

  return g_test_run ();
}
