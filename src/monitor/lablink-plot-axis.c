/* lablink-plot-axis.c — the axis maths of LablinkPlot
 *
 * Ranges, tick spacing and labels as pure functions (see lablink-plot-axis.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-plot-axis.h"

/**
 * lablink_plot_axis_data_range:
 * @lo: (inout): the smallest x of the data (non-finite without data)
 * @hi: (inout): the largest x of the data
 *
 * The x range of array data: 0…1 without data, one unit wide for a single
 * point.
 */
void
lablink_plot_axis_data_range (double *lo,
                              double *hi)
{
  if (!isfinite (*lo) || !isfinite (*hi))
    {
      *lo = 0.0;
      *hi = 1.0;
    }
  if (*hi <= *lo)
    *hi = *lo + 1.0;
}

/**
 * lablink_plot_axis_fixed_range:
 * @lo: (inout): the range's start, as set
 * @hi: (inout): the range's end, as set
 *
 * A range set by the user, made usable: one unit wide when empty or reversed.
 */
void
lablink_plot_axis_fixed_range (double *lo,
                               double *hi)
{
  if (!(*hi > *lo))
    *hi = *lo + 1.0;
}

/**
 * lablink_plot_axis_max_ticks:
 * @length_px: the axis' length on screen
 * @px_per_tick: the room one interval wants
 *
 * Returns: how many tick intervals fit (possibly 0: see lablink_plot_axis_nice_step())
 */
int
lablink_plot_axis_max_ticks (double length_px,
                             double px_per_tick)
{
  return (int) (length_px / px_per_tick);
}

/**
 * lablink_plot_axis_nice_range:
 * @lo: (inout): the lowest value shown
 * @hi: (inout): the highest value shown
 *
 * The autoscaled range of a value axis: a margin of 6 % on each side, at
 * least ±1 % of the value (a steady 5 V with millivolts of noise is a flat
 * line), ±10 % of the value (or ±1) for a constant, and -1…1 without data
 * (non-finite bounds).
 */
void
lablink_plot_axis_nice_range (double *lo,
                              double *hi)
{
  double span;

  if (!isfinite (*lo) || !isfinite (*hi))
    {
      *lo = -1.0;
      *hi = 1.0;
      return;
    }
  span = *hi - *lo;

  /* Readable at a glance: a steady 5 V with millivolts of noise is a flat
   * line, not a zoom into the noise. At least ±1 % of the value. */
  {
    double mid = (*lo + *hi) / 2, min_span = fabs (mid) * 0.02;

    if (span > 1e-15 && span < min_span)
      {
        *lo = mid - min_span / 2;
        *hi = mid + min_span / 2;
        span = min_span;
      }
  }

  if (span <= fabs (*hi) * 1e-9 || span <= 1e-15)
    {
      double mid = (*lo + *hi) / 2, half = fabs (mid) * 0.1;

      if (half < 1e-12)
        half = 1.0;
      *lo = mid - half;
      *hi = mid + half;
      return;
    }
  *lo -= span * 0.06;
  *hi += span * 0.06;
}

/**
 * lablink_plot_axis_nice_step:
 * @range: the span of the axis, in the units it is labelled in
 * @max_ticks: the most intervals wanted (below 1 counts as 1)
 *
 * A 1/2/5 × 10^k tick spacing giving at most @max_ticks intervals: PLplot's
 * own choice ignores how small a pane is, and labels then collide.
 *
 * Returns: the spacing, or 0 (PLplot's choice) for an empty or non-finite range
 */
double
lablink_plot_axis_nice_step (double range,
                             int    max_ticks)
{
  double raw, magnitude, norm;

  if (!(range > 0) || !isfinite (range))
    return 0.0;  /* PLplot's choice */
  raw = range / MAX (max_ticks, 1);
  magnitude = pow (10.0, floor (log10 (raw)));
  norm = raw / magnitude;
  if (norm <= 1.0)
    return magnitude;
  if (norm <= 2.0)
    return 2.0 * magnitude;
  if (norm <= 5.0)
    return 5.0 * magnitude;
  return 10.0 * magnitude;
}

/**
 * lablink_plot_axis_label:
 * @quantity: (nullable): e.g. "Voltage"
 * @unit: (nullable): e.g. "V"
 * @prefix: the SI prefix of the axis' scale, e.g. "m"
 *
 * Returns: (transfer full): "Voltage (mV)", or the quantity alone without a unit
 */
char *
lablink_plot_axis_label (const char *quantity,
                         const char *unit,
                         const char *prefix)
{
  if (quantity == NULL && unit == NULL)
    return g_strdup ("");
  if (unit == NULL || *unit == '\0')
    return g_strdup (quantity ? quantity : "");
  return g_strdup_printf ("%s (%s%s)", quantity ? quantity : "", prefix, unit);
}

/**
 * lablink_plot_axis_pane_label:
 * @n_panes: how many panes the plot stacks
 * @quantity: (nullable): the pane's quantity
 * @unit: (nullable): the pane's unit
 * @prefix: the SI prefix of the pane's scale
 *
 * Stacked panes are too short for "Current (mA)" along their side: there
 * the unit alone ("mA"; the quantity is written inside the pane).
 *
 * Returns: (transfer full): the value axis' label
 */
char *
lablink_plot_axis_pane_label (guint       n_panes,
                              const char *quantity,
                              const char *unit,
                              const char *prefix)
{
  if (n_panes > 1 && unit && *unit)
    return g_strconcat (prefix, unit, NULL);
  return lablink_plot_axis_label (quantity, unit, prefix);
}

/* Ticks at each of @mantissas × 10^k inside lo…hi (log₁₀ units), if at
 * least @min_ticks fit and the closest two are @min_gap (log₁₀ units)
 * apart. */
static gboolean
mantissa_ticks (double        lo,
                double        hi,
                const double *mantissas,
                guint         n_mantissas,
                double        min_gap,
                guint         min_ticks,
                double       *ticks,
                guint        *n_ticks)
{
  double k;
  guint n = 0, i;

  for (k = floor (lo); k <= ceil (hi) && n < LABLINK_PLOT_AXIS_MAX_LOG_TICKS; k++)
    for (i = 0; i < n_mantissas && n < LABLINK_PLOT_AXIS_MAX_LOG_TICKS; i++)
      {
        double t = k + log10 (mantissas[i]);

        if (t >= lo - 1e-9 && t <= hi + 1e-9)
          ticks[n++] = t;
      }
  for (i = 1; i < n; i++)
    if (ticks[i] - ticks[i - 1] < min_gap)
      return FALSE;
  *n_ticks = n;
  return n >= min_ticks;
}

/**
 * lablink_plot_axis_log_ticks:
 * @lo: the axis' start, log₁₀ of its value
 * @hi: its end
 * @max_ticks: how many intervals fit (lablink_plot_axis_max_ticks())
 * @step: (out): %LABLINK_PLOT_AXIS_LOG_DECADES: decades between labels;
 *   %LABLINK_PLOT_AXIS_LOG_LINEAR: the step of the value; else 0
 * @ticks: (out caller-allocates) (array fixed-size=64): where to label,
 *   log₁₀ of the value, ascending
 * @n_ticks: (out): how many
 *
 * Labels for a logarithmic axis: decades while two or more are shown (every
 * 1, 2, 3 or a multiple of 3 decades, as many as fit), then 1…9 or 1-2-5
 * of a decade (the denser that fits, three labels at least), then a linear
 * step of the value when zoomed in further. The closest two labels are
 * never closer than the room @max_ticks leaves.
 *
 * Returns: which kind of labels
 */
LablinkPlotAxisLogTicks
lablink_plot_axis_log_ticks (double  lo,
                             double  hi,
                             int     max_ticks,
                             double *step,
                             double *ticks,
                             guint  *n_ticks)
{
  static const double one_two_five[] = { 1, 2, 5 };
  static const double one_to_nine[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  double span = hi - lo, min_gap, d, vlo, vhi, k;
  guint n = 0, min_ticks;

  *step = 0;
  *n_ticks = 0;
  if (!isfinite (lo) || !isfinite (hi) || !(span > 0))
    return LABLINK_PLOT_AXIS_LOG_LINEAR;
  max_ticks = MAX (max_ticks, 1);
  min_gap = span / max_ticks;

  /* Two decades or more: every d decades, d = 1, 2, 3, 6, 9, … */
  if (floor (hi + 1e-9) - ceil (lo - 1e-9) >= 1)
    {
      for (d = 1; span / d > max_ticks; d = d < 3 ? d + 1 : d + 3)
        ;
      for (k = ceil (lo / d - 1e-9) * d; k <= hi + 1e-9 && n < LABLINK_PLOT_AXIS_MAX_LOG_TICKS; k += d)
        ticks[n++] = k;
      *step = d;
      *n_ticks = n;
      return LABLINK_PLOT_AXIS_LOG_DECADES;
    }

  /* three labels at least where there is room for them (two say little) */
  min_ticks = max_ticks >= 3 ? 3 : 2;
  if (mantissa_ticks (lo, hi, one_to_nine, G_N_ELEMENTS (one_to_nine), min_gap, min_ticks, ticks, n_ticks) ||
      mantissa_ticks (lo, hi, one_two_five, G_N_ELEMENTS (one_two_five), min_gap, min_ticks, ticks, n_ticks))
    return LABLINK_PLOT_AXIS_LOG_MANTISSAS;

  /* A linear step, wide enough where the labels are closest (the end). */
  vlo = pow (10.0, lo);
  vhi = pow (10.0, hi);
  d = lablink_plot_axis_nice_step (vhi * (pow (10.0, min_gap) - 1.0), 1);
  if (!(d > 0))
    return LABLINK_PLOT_AXIS_LOG_LINEAR;
  for (k = ceil (vlo / d - 1e-9); k * d <= vhi * (1 + 1e-12) && n < LABLINK_PLOT_AXIS_MAX_LOG_TICKS; k++)
    if (k > 0)
      ticks[n++] = log10 (k * d);

  /* No room for two: one label, the round value nearest the middle. */
  if (n == 0 && mantissa_ticks (lo, hi, one_two_five, G_N_ELEMENTS (one_two_five), 0, 1, ticks, &n))
    {
      guint best = 0, i;

      for (i = 1; i < n; i++)
        if (fabs (ticks[i] - (lo + hi) / 2) < fabs (ticks[best] - (lo + hi) / 2))
          best = i;
      ticks[0] = ticks[best];
      *n_ticks = 1;
      return LABLINK_PLOT_AXIS_LOG_MANTISSAS;
    }
  *step = d;
  *n_ticks = n;
  return LABLINK_PLOT_AXIS_LOG_LINEAR;
}

/**
 * lablink_plot_axis_si_label:
 * @value: a value
 * @resolution: the smallest difference the label must show (a linear
 *   tick step), or 0 for three significant digits
 * @unit: (nullable): the unit, e.g. "Hz"
 *
 * A tick label of a logarithmic axis: "10 Hz", "200 Hz", "1 kHz",
 * "1.5 MHz"; with a @resolution of 20 Hz, "1.02 kHz".
 *
 * Returns: (transfer full): the label
 */
char *
lablink_plot_axis_si_label (double      value,
                            double      resolution,
                            const char *unit)
{
  static const char *prefixes[] = { "p", "n", "µ", "m", "", "k", "M", "G", "T" };
  double magnitude, scale, mantissa;
  int e3, decimals;

  if (unit == NULL)
    unit = "";
  if (!isfinite (value))
    return g_strdup ("—");
  if (value == 0)
    return g_strdup_printf ("0 %s", unit);

  /* 999.9999 (a decade through log10 and back) is 1000 */
  magnitude = pow (10.0, floor (log10 (fabs (value))) - 5);
  value = round (value / magnitude) * magnitude;
  e3 = (int) floor (log10 (fabs (value)) / 3.0 + 1e-12);
  e3 = CLAMP (e3, -4, 4);
  scale = pow (10.0, 3 * e3);
  mantissa = value / scale;

  if (resolution > 0 && isfinite (resolution))
    {
      decimals = (int) -floor (log10 (resolution / scale) + 1e-9);
      return g_strdup_printf ("%.*f %s%s", CLAMP (decimals, 0, 9), mantissa, prefixes[e3 + 4], unit);
    }
  return g_strdup_printf ("%.3g %s%s", mantissa, prefixes[e3 + 4], unit);
}
