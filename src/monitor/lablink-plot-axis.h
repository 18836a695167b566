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

G_END_DECLS
