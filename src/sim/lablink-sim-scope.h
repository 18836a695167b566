/* lablink-sim-scope.h — a simulated 4-channel oscilloscope
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lablink-sim-instrument.h"

G_BEGIN_DECLS

#define LABLINK_SIM_SCOPE_N_CHANNELS 4
/* The default record length, and the longest one (--scope-points). */
#define LABLINK_SIM_SCOPE_N_SAMPLES  1000
#define LABLINK_SIM_SCOPE_MAX_POINTS 1000000
#define LABLINK_SIM_SCOPE_DIVISIONS  10
/* What reading a waveform takes by default (like the real server's). */
#define LABLINK_SIM_SCOPE_READ_MS    50

#define LABLINK_SIM_TYPE_SCOPE (lablink_sim_scope_get_type ())
G_DECLARE_FINAL_TYPE (LablinkSimScope, lablink_sim_scope, LABLINK_SIM, SCOPE, LablinkSimInstrument)

typedef enum {
  LABLINK_SIM_WAVE_SINE,
  LABLINK_SIM_WAVE_SQUARE,
  LABLINK_SIM_WAVE_TRIANGLE,
  LABLINK_SIM_WAVE_NOISE,
} LablinkSimWaveShape;

typedef enum {
  LABLINK_SIM_COUPLING_DC,
  LABLINK_SIM_COUPLING_AC,
  LABLINK_SIM_COUPLING_GND,
} LablinkSimCoupling;

/**
 * LablinkSimScopeChannel:
 * @shape: the signal applied to the channel
 * @frequency: its frequency in Hz
 * @amplitude: its peak amplitude in volts (a sine of amplitude 1 has vpp 2)
 * @offset: its DC offset in volts (part of the signal: AC coupling removes it)
 * @voltage_scale: the channel's vertical scale in V/div (`set_channel`'s
 *   `scale`): the record clips the signal at ±5 divisions and quantizes it
 *   with 10 bits over the 10 divisions
 * @enabled: whether the channel is displayed (captures of a disabled channel fail)
 * @vertical_offset: the channel's offset in volts (`set_channel`'s `offset`),
 *   added to the samples as the real mock does and reported as `voltage_offset`
 * @coupling: DC, AC (the signal's DC offset removed) or GND (0 V in)
 */
typedef struct {
  LablinkSimWaveShape shape;
  double              frequency;
  double              amplitude;
  double              offset;
  double              voltage_scale;
  gboolean            enabled;
  double              vertical_offset;
  LablinkSimCoupling  coupling;
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
  LABLINK_SIM_SCOPE_WRITE_SETTINGS     = 1 << 2,  /* simulator extras: `time_offset`, `coupling`, … */
} LablinkSimScopeWriteFlags;

LablinkSimScope *lablink_sim_scope_new            (const char *resource_string,
                                                   guint32     seed);

const char      *lablink_sim_coupling_to_string     (LablinkSimCoupling   coupling);
gboolean         lablink_sim_coupling_from_string   (const char          *text,
                                                     LablinkSimCoupling  *coupling);
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
void             lablink_sim_scope_set_time_offset (LablinkSimScope *self,
                                                    double           seconds);
double           lablink_sim_scope_get_time_offset (LablinkSimScope *self);
double           lablink_sim_scope_get_sample_rate (LablinkSimScope *self);
void             lablink_sim_scope_set_n_points   (LablinkSimScope *self,
                                                   guint            n_points);
guint            lablink_sim_scope_get_n_points   (LablinkSimScope *self);
void             lablink_sim_scope_set_read_ms    (LablinkSimScope *self,
                                                   guint            read_ms);
guint            lablink_sim_scope_get_read_ms    (LablinkSimScope *self);

void             lablink_sim_scope_run            (LablinkSimScope *self);
void             lablink_sim_scope_stop           (LablinkSimScope *self);
void             lablink_sim_scope_single         (LablinkSimScope *self);
gboolean         lablink_sim_scope_get_running    (LablinkSimScope *self);
const char      *lablink_sim_scope_get_trigger_mode (LablinkSimScope *self);
void             lablink_sim_scope_autoscale      (LablinkSimScope *self);

double           lablink_sim_scope_value          (LablinkSimScope *self,
                                                   guint            channel,
                                                   double           t);
void             lablink_sim_scope_capture        (LablinkSimScope *self,
                                                   guint            channel,
                                                   gint64           unix_usec,
                                                   double          *samples);
const double    *lablink_sim_scope_acquire        (LablinkSimScope *self,
                                                   guint            channel,
                                                   gint64           unix_usec,
                                                   gsize           *n_samples,
                                                   gint64          *acquired_usec,
                                                   const char     **data_id);
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
