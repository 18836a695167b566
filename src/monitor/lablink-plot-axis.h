/* lablink-plot-axis.h — the axis maths of LablinkPlot
 *
 * Ranges, tick spacing and labels: pure functions, no widget and no PLplot,
 * so that they can be tested on their own (tests/monitor/test-plot-axis.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Pixels per tick interval the axes aim for: fewer ticks on small panes. */
#define LABLINK_PLOT_AXIS_X_TICK_PX 90.0
#define LABLINK_PLOT_AXIS_Y_TICK_PX 26.0

void    lablink_plot_axis_data_range  (double     *lo,
                                       double     *hi);
void    lablink_plot_axis_fixed_range (double     *lo,
                                       double     *hi);
void    lablink_plot_axis_nice_range  (double     *lo,
                                       double     *hi);
int     lablink_plot_axis_max_ticks   (double      length_px,
                                       double      px_per_tick);
double  lablink_plot_axis_nice_step   (double      range,
                                       int         max_ticks);
char   *lablink_plot_axis_label       (const char *quantity,
                                       const char *unit,
                                       const char *prefix);
char   *lablink_plot_axis_pane_label  (guint       n_panes,
                                       const char *quantity,
                                       const char *unit,
                                       const char *prefix);

/* Logarithmic axes: positions are log₁₀ of the value (what PLplot's "l"
 * option wants), labels are values with an SI prefix ("1 kHz"). */

/**
 * LablinkPlotAxisLogTicks:
 * @LABLINK_PLOT_AXIS_LOG_DECADES: a label every `step` decades (PLplot's
 *   own major ticks, labelled through the plot's label function)
 * @LABLINK_PLOT_AXIS_LOG_MANTISSAS: 1, 2, 5 (or 1 to 9) × 10^k: less than
 *   two decades are shown
 * @LABLINK_PLOT_AXIS_LOG_LINEAR: a 1/2/5 × 10^k step of the value (`step`):
 *   zoomed in to less than a factor of about two
 *
 * How lablink_plot_axis_log_ticks() labelled a logarithmic axis.
 */
typedef enum {
  LABLINK_PLOT_AXIS_LOG_DECADES,
  LABLINK_PLOT_AXIS_LOG_MANTISSAS,
  LABLINK_PLOT_AXIS_LOG_LINEAR,
} LablinkPlotAxisLogTicks;

/* The most ticks lablink_plot_axis_log_ticks() returns. */
#define LABLINK_PLOT_AXIS_MAX_LOG_TICKS 64

LablinkPlotAxisLogTicks
        lablink_plot_axis_log_ticks   (double      lo,
                                       double      hi,
                                       int         max_ticks,
                                       double     *step,
                                       double     *ticks,
                                       guint      *n_ticks);
char   *lablink_plot_axis_si_label    (double      value,
                                       double      resolution,
                                       const char *unit);

G_END_DECLS
