/* lablink-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "lablink-error.h"

G_DEFINE_QUARK (lablink-error-quark, lablink_error)
