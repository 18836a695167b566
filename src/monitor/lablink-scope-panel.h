/* lablink-scope-panel.h — an oscilloscope: controls, waveforms, measurements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lablink-instrument-panel.h"
#include "lablink-plot.h"
#include "lablink-session.h"

G_BEGIN_DECLS

#define LABLINK_SCOPE_MAX_CHANNELS 4

#define LABLINK_TYPE_SCOPE_PANEL (lablink_scope_panel_get_type ())
G_DECLARE_FINAL_TYPE (LablinkScopePanel, lablink_scope_panel, LABLINK, SCOPE_PANEL, LablinkInstrumentPanel)

LablinkPlot *lablink_scope_panel_get_plot             (LablinkScopePanel *self);
GtkWidget   *lablink_scope_panel_get_spectrum_view    (LablinkScopePanel *self);
void         lablink_scope_panel_show_spectrum        (LablinkScopePanel *self,
                                                       guint              channel);
gboolean     lablink_scope_panel_get_measurement      (LablinkScopePanel *self,
                                                       const char        *name,
                                                       double            *value);
const char  *lablink_scope_panel_get_measurement_text (LablinkScopePanel *self,
                                                       const char        *name);
guint64      lablink_scope_panel_get_n_waveforms      (LablinkScopePanel *self);
gsize        lablink_scope_panel_get_n_samples        (LablinkScopePanel *self,
                                                       guint              channel);
void         lablink_scope_panel_set_paused           (LablinkScopePanel *self,
                                                       gboolean           paused);
void         lablink_scope_panel_set_autoscale        (LablinkScopePanel *self,
                                                       gboolean           autoscale);

/* The instrument's controls, as shown (lablink-scope-panel-controls.c). */
double       lablink_scope_panel_get_vdiv             (LablinkScopePanel *self,
                                                       guint              channel);
void         lablink_scope_panel_select_vdiv          (LablinkScopePanel *self,
                                                       guint              channel,
                                                       double             vdiv);
double       lablink_scope_panel_get_time_scale       (LablinkScopePanel *self);
void         lablink_scope_panel_select_time_scale    (LablinkScopePanel *self,
                                                       double             seconds_per_div);
const char  *lablink_scope_panel_get_run_state        (LablinkScopePanel *self);
gboolean     lablink_scope_panel_get_channel_shown    (LablinkScopePanel *self,
                                                       guint              channel);
const char  *lablink_scope_panel_get_channel_stats    (LablinkScopePanel *self,
                                                       guint              channel,
                                                       double            *min,
                                                       double            *max,
                                                       double            *mean);

G_END_DECLS
