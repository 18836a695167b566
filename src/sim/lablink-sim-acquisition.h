/* lablink-sim-acquisition.h — a simulated LabLink acquisition session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "lablink-sim-instrument.h"
#include "lablink-sim-json.h"

G_BEGIN_DECLS

#define LABLINK_SIM_ACQUISITION_MAX_SAMPLE_RATE 100000.0
#define LABLINK_SIM_ACQUISITION_MAX_BUFFER      1000000
/* How many sample timestamps lablink_sim_acquisition_get_generated() keeps. */
#define LABLINK_SIM_ACQUISITION_MAX_RECORDED    2000000

#define LABLINK_SIM_TYPE_ACQUISITION (lablink_sim_acquisition_get_type ())
G_DECLARE_FINAL_TYPE (LablinkSimAcquisition, lablink_sim_acquisition, LABLINK_SIM, ACQUISITION, GObject)

typedef enum {
  LABLINK_SIM_ACQUISITION_IDLE,
  LABLINK_SIM_ACQUISITION_WAITING_TRIGGER,
  LABLINK_SIM_ACQUISITION_ACQUIRING,
  LABLINK_SIM_ACQUISITION_PAUSED,
  LABLINK_SIM_ACQUISITION_STOPPED,
  LABLINK_SIM_ACQUISITION_ERROR,
} LablinkSimAcquisitionState;

const char *lablink_sim_acquisition_state_to_string (LablinkSimAcquisitionState state);

LablinkSimAcquisition *lablink_sim_acquisition_new_from_json (const char            *id,
                                                              LablinkSimInstrument  *instrument,
                                                              JsonObject            *request,
                                                              gboolean               allow_unknown_channels,
                                                              GError               **error);

const char                 *lablink_sim_acquisition_get_id           (LablinkSimAcquisition *self);
const char                 *lablink_sim_acquisition_get_equipment_id (LablinkSimAcquisition *self);
LablinkSimInstrument       *lablink_sim_acquisition_get_instrument   (LablinkSimAcquisition *self);
LablinkSimAcquisitionState  lablink_sim_acquisition_get_state        (LablinkSimAcquisition *self);
guint                       lablink_sim_acquisition_get_n_buffered   (LablinkSimAcquisition *self);
guint64                     lablink_sim_acquisition_get_total_samples (LablinkSimAcquisition *self);

gboolean  lablink_sim_acquisition_start  (LablinkSimAcquisition  *self,
                                          GMainContext           *context,
                                          GError                **error);
gboolean  lablink_sim_acquisition_stop   (LablinkSimAcquisition  *self,
                                          GError                **error);
gboolean  lablink_sim_acquisition_pause  (LablinkSimAcquisition  *self,
                                          GError                **error);
gboolean  lablink_sim_acquisition_resume (LablinkSimAcquisition  *self,
                                          GError                **error);
void      lablink_sim_acquisition_tick   (LablinkSimAcquisition  *self);

guint64   lablink_sim_acquisition_get_generated (LablinkSimAcquisition  *self,
                                                 GArray                **timestamps);

void      lablink_sim_acquisition_write_stats     (LablinkSimAcquisition *self,
                                                   LablinkSimJson        *w);
void      lablink_sim_acquisition_write_window    (LablinkSimAcquisition *self,
                                                   LablinkSimJson        *w,
                                                   guint                  max_samples);
void      lablink_sim_acquisition_write_status    (LablinkSimAcquisition *self,
                                                   LablinkSimJson        *w);
void      lablink_sim_acquisition_write_data      (LablinkSimAcquisition *self,
                                                   LablinkSimJson        *w,
                                                   guint                  max_samples);
void      lablink_sim_acquisition_write_summary   (LablinkSimAcquisition *self,
                                                   LablinkSimJson        *w);
void      lablink_sim_acquisition_write_stream_frame (LablinkSimAcquisition *self,
                                                      LablinkSimJson        *w,
                                                      guint                  max_samples);

G_END_DECLS
