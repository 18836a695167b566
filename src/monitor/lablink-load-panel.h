/* lablink-load-panel.h — an electronic load: mode, set-point, V/I/P meters and history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lablink-instrument-panel.h"
#include "lablink-meter.h"
#include "lablink-plot.h"
#include "lablink-session.h"

G_BEGIN_DECLS

#define LABLINK_TYPE_LOAD_PANEL (lablink_load_panel_get_type ())
G_DECLARE_FINAL_TYPE (LablinkLoadPanel, lablink_load_panel, LABLINK, LOAD_PANEL, LablinkInstrumentPanel)

LablinkMeter *lablink_load_panel_get_meter       (LablinkLoadPanel *self,
                                                  guint             reading);
LablinkPlot  *lablink_load_panel_get_plot        (LablinkLoadPanel *self);
const char   *lablink_load_panel_get_mode_text   (LablinkLoadPanel *self);

G_END_DECLS
