/* lablink-spectrum-private.h — what the tests may see of the plan cache and the worker
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint _lablink_spectrum_get_n_plans_created (void);
guint _lablink_spectrum_get_n_cached_plans  (void);
guint _lablink_spectrum_get_n_on_worker     (void);

G_END_DECLS
