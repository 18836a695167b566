/* lablink-psu-panel.h — a power supply: per-channel meters and V/I/P history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lablink-instrument-panel.h"
#include "lablink-plot.h"
#include "lablink-psu-channel.h"
#include "lablink-session.h"

G_BEGIN_DECLS

#define LABLINK_TYPE_PSU_PANEL (lablink_psu_panel_get_type ())
G_DECLARE_FINAL_TYPE (LablinkPsuPanel, lablink_psu_panel, LABLINK, PSU_PANEL, LablinkInstrumentPanel)

LablinkPsuChannel *lablink_psu_panel_get_channel     (LablinkPsuPanel  *self,
                                                      guint             channel);
LablinkPlot       *lablink_psu_panel_get_plot        (LablinkPsuPanel  *self);
guint64            lablink_psu_panel_get_n_updates   (LablinkPsuPanel  *self);

G_END_DECLS
