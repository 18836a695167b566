/* lablink-acquisition-panel-private.h — internals shared by the acquisitions panel's files
 *
 * The panel is one widget written in four files:
 *   lablink-acquisition-panel.c           the widget: template, session, the selected
 *                                         acquisition's detail and live chart
 *   lablink-acquisition-panel-control.c   the acquisitions list, the New Acquisition
 *                                         form, Start/Pause/Resume/Stop and Live Chart
 *   lablink-acquisition-panel-recording.c Record and the Captures popover
 *   lablink-acquisition-panel-export.c    Export… (the capture's data or the chart)
 *   lablink-acquisition-panel-spectrum.c  the Spectrum view of a channel over the
 *                                         chart's visible time range
 * Each file's part of class_init, init and dispose is a function below.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lablink-acquisition-panel.h"
#include "lablink-spectrum-view.h"

G_BEGIN_DECLS

struct _LablinkAcquisitionPanel
{
  GtkWidget        parent_instance;

  /* Template children */
  GtkWidget       *paned;
  GtkListBox      *list;
  GtkWidget       *list_placeholder;
  GtkDropDown     *equipment_dropdown;
  GtkEntry        *channels_entry;
  GtkSpinButton   *rate_spin;
  GtkDropDown     *mode_dropdown;
  GtkButton       *create_button;
  GtkStack        *detail_stack;
  GtkLabel        *title_label;
  GtkLabel        *state_label;
  GtkLabel        *stats_label;
  GtkToggleButton *watch_button;
  GtkToggleButton *record_button;
  GtkButton       *export_button;
  GtkLabel        *record_label;
  GtkWidget       *export_box;
  GtkProgressBar  *export_progress;
  GtkListBox      *captures_list;
  GtkWidget       *captures_placeholder;
  LablinkPlot     *plot;
  GtkStack        *view_stack;
  LablinkSpectrumView *spectrum_view;
  GtkDropDown     *spectrum_channel_dropdown;

  /* The session (lablink-acquisition-panel.c) */
  LablinkSession  *session;
  GSignalGroup    *session_signals;
  GCancellable    *cancellable;
  char            *selected_id;
  LablinkRing     *bound_ring;       /* the ring the chart draws */
  gboolean         bound_knowing_equipment;  /* its units were guessed knowing the instrument */
  gboolean         syncing;          /* setting widgets from the state: not a user's action */

  /* Acquisitions (lablink-acquisition-panel-control.c) */
  GListStore      *acquisitions;     /* LablinkAcquisitionItem, in the server's order */
  GHashTable      *names;            /* acquisition id → its name */
  char            *server_label;     /* its server's name, while several are shown */
  char            *pending_name;

  /* Recording (lablink-acquisition-panel-recording.c) */
  LablinkCapture  *capture;          /* the current capture: recording or last recorded */
  LablinkCapture  *stopping;         /* a capture fetching its tail (lablink_capture_stop_async()) */
  GSignalGroup    *capture_signals;
  GListStore      *captures;         /* LablinkCaptureItem, on disk */

  /* Export (lablink-acquisition-panel-export.c) */
  GCancellable    *export_cancellable;
  guint            n_exports;
  guint            pulse_timer;
  GtkNativeDialog *chooser;

  /* Spectrum (lablink-acquisition-panel-spectrum.c) */
  GStrv            spectrum_units;   /* each channel's unit */
  guint            spectrum_timer;   /* a recompute due */
  gint64           spectrum_from, spectrum_to;    /* the range last transformed */
  gsize            spectrum_n;       /* the entries in it then */
  guint            spectrum_channel; /* the channel then, G_MAXUINT: none yet */
};

void _lablink_acquisition_panel_toast                   (LablinkAcquisitionPanel *self,
                                                         const char              *text);
void _lablink_acquisition_panel_bind_list               (GtkListBox              *list,
                                                         GtkWidget               *placeholder,
                                                         GListStore              *store,
                                                         GtkListBoxCreateWidgetFunc create_row);

/* lablink-acquisition-panel-control.c */
void _lablink_acquisition_panel_class_init_control      (GtkWidgetClass          *widget_class);
void _lablink_acquisition_panel_init_control            (LablinkAcquisitionPanel *self);
void _lablink_acquisition_panel_finalize_control        (LablinkAcquisitionPanel *self);
void _lablink_acquisition_panel_set_equipment           (LablinkAcquisitionPanel *self,
                                                         GListModel              *equipment);
void _lablink_acquisition_panel_sync_watch_button       (LablinkAcquisitionPanel *self);
void _lablink_acquisition_panel_stop_watching          (LablinkAcquisitionPanel *self,
                                                         const char              *acquisition_id);
const char *_lablink_acquisition_panel_lookup_name      (LablinkAcquisitionPanel *self,
                                                         const char              *acquisition_id);

/* lablink-acquisition-panel-recording.c */
void _lablink_acquisition_panel_class_init_recording    (GtkWidgetClass          *widget_class);
void _lablink_acquisition_panel_init_recording          (LablinkAcquisitionPanel *self);
void _lablink_acquisition_panel_dispose_recording       (LablinkAcquisitionPanel *self);
void _lablink_acquisition_panel_clear_capture           (LablinkAcquisitionPanel *self);

/* lablink-acquisition-panel-export.c */
void _lablink_acquisition_panel_class_init_export       (GtkWidgetClass          *widget_class);
void _lablink_acquisition_panel_dispose_export          (LablinkAcquisitionPanel *self);
void _lablink_acquisition_panel_finalize_export         (LablinkAcquisitionPanel *self);

/* lablink-acquisition-panel-spectrum.c */
void _lablink_acquisition_panel_class_init_spectrum     (GtkWidgetClass          *widget_class);
void _lablink_acquisition_panel_init_spectrum           (LablinkAcquisitionPanel *self);
void _lablink_acquisition_panel_dispose_spectrum        (LablinkAcquisitionPanel *self);
void _lablink_acquisition_panel_spectrum_bind           (LablinkAcquisitionPanel *self,
                                                         const char * const      *channels,
                                                         const char * const      *units,
                                                         guint                    n_channels);
void _lablink_acquisition_panel_spectrum_update         (LablinkAcquisitionPanel *self);

G_END_DECLS
