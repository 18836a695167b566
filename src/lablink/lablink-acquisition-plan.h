/* lablink-acquisition-plan.h — how to stream an acquisition of a given rate
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

LABLINK_AVAILABLE_IN_ALL
guint lablink_acquisition_plan_interval         (double rate,
                                                 guint  n_channels);
LABLINK_AVAILABLE_IN_ALL
guint lablink_acquisition_plan_window           (double rate,
                                                 guint  n_channels);
LABLINK_AVAILABLE_IN_ALL
guint lablink_acquisition_plan_buffer           (double rate);
LABLINK_AVAILABLE_IN_ALL
guint lablink_acquisition_plan_backfill_timeout (double rate);

G_END_DECLS
