/* lablink-decimate.h — reducing a trace to what a screen can show
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include <glib.h>

#include "lablink-version-macros.h"

G_BEGIN_DECLS

/**
 * LABLINK_DECIMATE_MAX_PER_COLUMN:
 *
 * The most points lablink_decimate_minmax() writes for one pixel column
 * (a column holding a gap: min/max before it, the gap, min/max after it,
 * and a closing gap).
 */
#define LABLINK_DECIMATE_MAX_PER_COLUMN 6

LABLINK_AVAILABLE_IN_ALL
gsize lablink_decimate_minmax_bound (gsize         n,
                                     guint         n_columns);
LABLINK_AVAILABLE_IN_ALL
gsize lablink_decimate_minmax       (const double *x,
                                     const double *y,
                                     gsize         n,
                                     double        x_min,
                                     double        x_max,
                                     guint         n_columns,
                                     double       *x_out,
                                     double       *y_out);

G_END_DECLS
