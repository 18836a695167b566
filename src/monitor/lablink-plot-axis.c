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
