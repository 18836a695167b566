/* lablink-sim-scope-private.h — what the simulated scope's files share
 *
 * lablink-sim-scope.c: the instrument, its signals and records;
 * lablink-sim-scope-commands.c: its command API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lablink-sim-scope.h"

G_BEGIN_DECLS

gboolean lablink_sim_scope_execute (LablinkSimInstrument *instrument,
                                    const char           *action,
                                    JsonObject           *parameters,
                                    LablinkSimJson       *data,
                                    GError              **error);

G_END_DECLS
