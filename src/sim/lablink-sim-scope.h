/* lablink-sim-scope.h — a simulated 4-channel oscilloscope
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lablink-sim-instrument.h"

G_BEGIN_DECLS

#define LABLINK_SIM_SCOPE_N_CHANNELS 4
#define LABLINK_SIM_SCOPE_N_SAMPLES  1000
#define LABLINK_SIM_SCOPE_DIVISIONS  10

#define LABLINK_SIM_TYPE_SCOPE (lablink_sim_scope_get_type ())
G_DECLARE_FINAL_TYPE (LablinkSimScope, lablink_sim_scope, LABLINK_SIM, SCOPE, LablinkSimInstrument)

typedef enum {
  LABLINK_SIM_WAVE_SINE,
  LABLINK_SIM_WAVE_SQUARE,
  LABLINK_SIM_WAVE_TRIANGLE,
  LABLINK_SIM_WAVE_NOISE,
} LablinkSimWaveShape;

/**
 * LablinkSimScopeChannel:
 * @shape: the signal applied to the channel
 * @frequency: its frequency in Hz
 * @amplitude: its peak amplitude in volts (a sine of amplitude 1 has vpp 2)
 * @offset: its DC offset in volts
 * @voltage_scale: the channel's vertical scale in V/div
 * @enabled: whether the channel is displayed (captures of a disabled channel fail)
 */
typedef struct {
  LablinkSimWaveShape shape;
  double              frequency;
  double              amplitude;
  double              offset;
  double              voltage_scale;
  gboolean            enabled;
} LablinkSimScopeChannel;

typedef struct {
  double vpp;
  double vmax;
  double vmin;
  double vavg;
  double vrms;
  double freq;
  double period;
} LablinkSimScopeMeasurements;

typedef enum {
  LABLINK_SIM_SCOPE_WRITE_METADATA     = 0,
  LABLINK_SIM_SCOPE_WRITE_VOLTAGE_DATA = 1 << 0,  /* inline `voltage_data` */
  LABLINK_SIM_SCOPE_WRITE_CAPTURE      = 1 << 1,  /* `time_data`, `voltage_data`, trigger fields */
} LablinkSimScopeWriteFlags;

LablinkSimScope *lablink_sim_scope_new            (const char *resource_string,
                                                   guint32     seed);

const char      *lablink_sim_wave_shape_to_string   (LablinkSimWaveShape  shape);
gboolean         lablink_sim_wave_shape_from_string (const char          *text,
                                                     LablinkSimWaveShape *shape);

void             lablink_sim_scope_get_channel    (LablinkSimScope        *self,
                                                   guint                   channel,
                                                   LablinkSimScopeChannel *config);
void             lablink_sim_scope_set_channel    (LablinkSimScope              *self,
                                                   guint                         channel,
                                                   const LablinkSimScopeChannel *config);
gboolean         lablink_sim_scope_is_enabled     (LablinkSimScope *self,
                                                   guint            channel);
void             lablink_sim_scope_set_time_scale (LablinkSimScope *self,
                                                   double           seconds_per_div);
double           lablink_sim_scope_get_time_scale (LablinkSimScope *self);
double           lablink_sim_scope_get_sample_rate (LablinkSimScope *self);

double           lablink_sim_scope_value          (LablinkSimScope *self,
                                                   guint            channel,
                                                   double           t);
void             lablink_sim_scope_capture        (LablinkSimScope *self,
                                                   guint            channel,
                                                   gint64           unix_usec,
                                                   double          *samples);
void             lablink_sim_scope_measure        (const double                *samples,
                                                   gsize                        n_samples,
                                                   double                       sample_rate,
                                                   LablinkSimScopeMeasurements *m);
void             lablink_sim_scope_read_measurements (LablinkSimScope             *self,
                                                      guint                        channel,
                                                      gint64                       unix_usec,
                                                      LablinkSimScopeMeasurements *m);

void             lablink_sim_scope_write_waveform (LablinkSimScope           *self,
                                                   LablinkSimJson            *w,
                                                   guint                      channel,
                                                   gint64                     unix_usec,
                                                   LablinkSimScopeWriteFlags  flags);
void             lablink_sim_scope_write_measurements (LablinkSimScope *self,
                                                       LablinkSimJson  *w,
                                                       guint            channel,
                                                       gint64           unix_usec);

G_END_DECLS
