/* lablink-acquisition-panel.h — acquisitions: list, create, control, live chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lablink-plot.h"
#include "lablink-session.h"

G_BEGIN_DECLS

#define LABLINK_TYPE_ACQUISITION_PANEL (lablink_acquisition_panel_get_type ())
G_DECLARE_FINAL_TYPE (LablinkAcquisitionPanel, lablink_acquisition_panel, LABLINK, ACQUISITION_PANEL, GtkWidget)

GtkWidget   *lablink_acquisition_panel_new              (void);
void         lablink_acquisition_panel_set_session      (LablinkAcquisitionPanel *self,
                                                         LablinkSession          *session);
void         lablink_acquisition_panel_set_server_label (LablinkAcquisitionPanel *self,
                                                         const char              *label);
void         lablink_acquisition_panel_refresh          (LablinkAcquisitionPanel *self);

/* The create form, for tests and scripting. */
void         lablink_acquisition_panel_fill_form        (LablinkAcquisitionPanel *self,
                                                         const char              *equipment_id,
                                                         const char              *channels,
                                                         double                   sample_rate,
                                                         const char              *mode);
GtkButton   *lablink_acquisition_panel_get_create_button (LablinkAcquisitionPanel *self);

const char  *lablink_acquisition_panel_get_selected_id  (LablinkAcquisitionPanel *self);
void         lablink_acquisition_panel_select           (LablinkAcquisitionPanel *self,
                                                         const char              *acquisition_id);
LablinkPlot *lablink_acquisition_panel_get_plot         (LablinkAcquisitionPanel *self);
void         lablink_acquisition_panel_show_spectrum    (LablinkAcquisitionPanel *self,
                                                         int                      channel);
GtkWidget   *lablink_acquisition_panel_get_spectrum_view (LablinkAcquisitionPanel *self);
const char  *lablink_acquisition_panel_get_state_text   (LablinkAcquisitionPanel *self);
const char  *lablink_acquisition_panel_get_stats_text   (LablinkAcquisitionPanel *self);
guint        lablink_acquisition_panel_get_n_listed     (LablinkAcquisitionPanel *self);

/* Recording and export. */
GtkToggleButton *lablink_acquisition_panel_get_record_button (LablinkAcquisitionPanel *self);
LablinkCapture  *lablink_acquisition_panel_get_capture     (LablinkAcquisitionPanel *self);
const char  *lablink_acquisition_panel_get_record_text     (LablinkAcquisitionPanel *self);
void         lablink_acquisition_panel_export_to_file      (LablinkAcquisitionPanel *self,
                                                            GFile                   *file,
                                                            const char              *format,
                                                            GAsyncReadyCallback      callback,
                                                            gpointer                 user_data);
gboolean     lablink_acquisition_panel_export_to_file_finish (LablinkAcquisitionPanel *self,
                                                            GAsyncResult            *result,
                                                            GError                 **error);
guint        lablink_acquisition_panel_refresh_captures    (LablinkAcquisitionPanel *self);
gboolean     lablink_acquisition_panel_export_chart        (LablinkAcquisitionPanel *self,
                                                            GFile                   *file,
                                                            const char              *format,
                                                            int                      width,
                                                            int                      height,
                                                            GError                 **error);

G_END_DECLS
