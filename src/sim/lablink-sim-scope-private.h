/* lablink-sim-scope-private.h — what the simulated scope's files share
 *
 * lablink-sim-scope.c: the instrument, its signals and records;
 * lablink-sim-scope-commands.c: its command API;
 * lablink-sim-scope-json.c: its waveform and measurement objects.
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

double   lablink_sim_scope_get_record_lsb (LablinkSimScope *self,
                                           guint            channel);

G_END_DECLS
