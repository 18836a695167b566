/* lablink-scope-panel-private.h — what the scope panel's files share
 *
 * lablink-scope-panel.c: the panel, its waveforms, plot and measurements;
 * lablink-scope-panel-controls.c: the instrument's controls (Run/Stop/
 * Single, timebase, per-channel enable, V/div, offset, coupling), the
 * commands they send and how they follow what the instrument reports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lablink-scope-panel.h"
#include "lablink-spectrum-view.h"

G_BEGIN_DECLS

/* A drop-down of values (1-2-5 steps), with the instrument's own values
 * inserted where it reports one that is not in the list. */
typedef struct {
  GtkDropDown   *dropdown;
  GtkStringList *labels;
  GArray        *values;   /* double, ascending */
  const char    *unit;
} ScopeValueList;

typedef struct {
  GtkWidget      *card;
  GtkCheckButton *enabled;
  GtkLabel       *swatch;
  ScopeValueList  vdiv;
  GtkSpinButton  *offset;
  GtkDropDown    *coupling;
  gint64          hold_until;  /* frames do not overwrite what we just sent until then */

  /* what the last frame of the channel held */
  gboolean        have_stats;
  double          min, max, mean;
  char           *data_id;
} ScopeChannelUi;

struct _LablinkScopePanel
{
  LablinkInstrumentPanel parent_instance;

  GtkWidget         *scroller;   /* the panel scrolls when the window is smaller */
  GtkWidget         *box;
  GtkLabel          *waveform_status_label;
  GtkLabel          *measurements_status_label;
  GtkWidget         *controls_box;
  GtkButton         *run_button;
  GtkButton         *stop_button;
  GtkButton         *single_button;
  GtkLabel          *run_state_label;
  GtkDropDown       *timebase_dropdown;
  GtkSpinButton     *time_offset_spin;
  GtkButton         *autoscale_command_button;
  GtkFlowBox        *channels_flow;
  GtkToggleButton   *autoscale_button;
  GtkToggleButton   *pause_button;
  GtkLabel          *info_label;
  LablinkPlot       *plot;
  GtkStack          *view_stack;
  LablinkSpectrumView *spectrum_view;
  GtkDropDown       *spectrum_channel_dropdown;
  GtkGrid           *measurements_grid;

  GtkLabel          *measurement_labels[7];
  double             measurements[7];
  gboolean           have_measurements;

  /* the waveforms of an acquisition whose higher channels are still to
   * come: drawn together with them (lablink-scope-panel.c) */
  LablinkMessage    *held[LABLINK_SCOPE_MAX_CHANNELS + 1];
  guint              held_source;

  int                series[LABLINK_SCOPE_MAX_CHANNELS + 1];
  gsize              n_samples[LABLINK_SCOPE_MAX_CHANNELS + 1];
  guint64            n_waveforms;

  /* the time axis of the last frame, kept while n, rate and start agree */
  GArray            *x;
  double             x_rate;
  double             x_start;

  /* the controls */
  ScopeChannelUi     channels[LABLINK_SCOPE_MAX_CHANNELS + 1];
  ScopeValueList     timebase;
  gint64             timebase_hold_until;
  gboolean           updating;      /* setting controls from the instrument */
  gint64             run_hold_until;
  gboolean           have_run_state;
  gboolean           running;
  char              *trigger_mode;
};

void     lablink_scope_panel_init_controls     (LablinkScopePanel *self);
void     lablink_scope_panel_finalize_controls (LablinkScopePanel *self);
gboolean lablink_scope_panel_get_enabled_channels (LablinkMessage *message,
                                                   gboolean        enabled[LABLINK_SCOPE_MAX_CHANNELS + 1]);
void     lablink_scope_panel_reflect_waveform  (LablinkScopePanel *self,
                                                LablinkMessage    *message,
                                                guint              channel);
void     lablink_scope_panel_update_y_range    (LablinkScopePanel *self);
void     lablink_scope_panel_set_dark          (LablinkScopePanel *self,
                                                gboolean           dark);

/* template callbacks */
void     lablink_scope_panel_run_clicked_cb       (LablinkScopePanel *self);
void     lablink_scope_panel_stop_clicked_cb      (LablinkScopePanel *self);
void     lablink_scope_panel_single_clicked_cb    (LablinkScopePanel *self);
void     lablink_scope_panel_autoscale_clicked_cb (LablinkScopePanel *self);

G_END_DECLS
