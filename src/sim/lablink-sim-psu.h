/* lablink-sim-psu.h — a simulated 3-channel power supply with resistive loads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lablink-sim-instrument.h"

G_BEGIN_DECLS

#define LABLINK_SIM_PSU_N_CHANNELS 3

#define LABLINK_SIM_TYPE_PSU (lablink_sim_psu_get_type ())
G_DECLARE_FINAL_TYPE (LablinkSimPsu, lablink_sim_psu, LABLINK_SIM, PSU, LablinkSimInstrument)

/**
 * LablinkSimPsuReading:
 * @voltage_set: the voltage set-point
 * @current_set: the current limit
 * @voltage: the output voltage
 * @current: the output current
 * @output_enabled: whether the output is on
 * @in_cv: constant-voltage regulation
 * @in_cc: constant-current regulation (the load wants more than the limit)
 *
 * One reading of a channel.
 */
typedef struct {
  double   voltage_set;
  double   current_set;
  double   voltage;
  double   current;
  gboolean output_enabled;
  gboolean in_cv;
  gboolean in_cc;
} LablinkSimPsuReading;

LablinkSimPsu *lablink_sim_psu_new                 (const char *resource_string,
                                                    guint32     seed);

gboolean       lablink_sim_psu_set_voltage         (LablinkSimPsu *self,
                                                    guint          channel,
                                                    double         volts,
                                                    GError       **error);
gboolean       lablink_sim_psu_set_current         (LablinkSimPsu *self,
                                                    guint          channel,
                                                    double         amps,
                                                    GError       **error);
void           lablink_sim_psu_set_output          (LablinkSimPsu *self,
                                                    guint          channel,
                                                    gboolean       enabled);
void           lablink_sim_psu_set_load_resistance (LablinkSimPsu *self,
                                                    guint          channel,
                                                    double         ohms);
double         lablink_sim_psu_get_load_resistance (LablinkSimPsu *self,
                                                    guint          channel);
double         lablink_sim_psu_get_max_voltage     (LablinkSimPsu *self,
                                                    guint          channel);
double         lablink_sim_psu_get_max_current     (LablinkSimPsu *self,
                                                    guint          channel);

void           lablink_sim_psu_solve               (LablinkSimPsu        *self,
                                                    guint                 channel,
                                                    LablinkSimPsuReading *reading);
void           lablink_sim_psu_read                (LablinkSimPsu        *self,
                                                    guint                 channel,
                                                    LablinkSimPsuReading *reading);

G_END_DECLS
