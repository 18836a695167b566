/* lablink-sim-load.h — a simulated electronic load on a simulated source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lablink-sim-instrument.h"

G_BEGIN_DECLS

#define LABLINK_SIM_TYPE_LOAD (lablink_sim_load_get_type ())
G_DECLARE_FINAL_TYPE (LablinkSimLoad, lablink_sim_load, LABLINK_SIM, LOAD, LablinkSimInstrument)

/**
 * LablinkSimLoadMode:
 * @LABLINK_SIM_LOAD_CC: constant current
 * @LABLINK_SIM_LOAD_CV: constant voltage
 * @LABLINK_SIM_LOAD_CR: constant resistance
 * @LABLINK_SIM_LOAD_CP: constant power
 */
typedef enum {
  LABLINK_SIM_LOAD_CC,
  LABLINK_SIM_LOAD_CV,
  LABLINK_SIM_LOAD_CR,
  LABLINK_SIM_LOAD_CP,
} LablinkSimLoadMode;

typedef struct {
  LablinkSimLoadMode mode;
  double             setpoint;
  double             voltage;
  double             current;
  double             power;
  gboolean           enabled;
} LablinkSimLoadReading;

LablinkSimLoad    *lablink_sim_load_new          (const char *resource_string,
                                                  guint32     seed);

const char        *lablink_sim_load_mode_to_string   (LablinkSimLoadMode  mode);
gboolean           lablink_sim_load_mode_from_string (const char         *text,
                                                      LablinkSimLoadMode *mode);

void               lablink_sim_load_set_mode     (LablinkSimLoad     *self,
                                                  LablinkSimLoadMode  mode);
LablinkSimLoadMode lablink_sim_load_get_mode     (LablinkSimLoad     *self);
void               lablink_sim_load_set_enabled  (LablinkSimLoad     *self,
                                                  gboolean            enabled);
gboolean           lablink_sim_load_set_setpoint (LablinkSimLoad     *self,
                                                  LablinkSimLoadMode  mode,
                                                  double              value,
                                                  GError            **error);
double             lablink_sim_load_get_setpoint (LablinkSimLoad     *self,
                                                  LablinkSimLoadMode  mode);
void               lablink_sim_load_set_source   (LablinkSimLoad     *self,
                                                  double              open_circuit_volts,
                                                  double              internal_ohms);

void               lablink_sim_load_solve        (LablinkSimLoad        *self,
                                                  LablinkSimLoadReading *reading);
void               lablink_sim_load_read         (LablinkSimLoad        *self,
                                                  LablinkSimLoadReading *reading);

G_END_DECLS
