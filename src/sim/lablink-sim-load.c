/* lablink-sim-load.c — a simulated electronic load on a simulated source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "lablink-sim-load.h"

#define MAX_VOLTAGE 120.0
#define MAX_CURRENT 30.0
#define MAX_POWER   300.0

#define VOLTAGE_NOISE 0.002
#define CURRENT_NOISE 0.001

/**
 * LablinkSimLoad:
 *
 * A MockLoad-300 (120 V, 30 A, 300 W) connected to a simulated source: an
 * open-circuit voltage (12 V) behind an internal resistance (0.1 Ω). The load
 * sinks the current its mode asks for (CC: the set current; CV: whatever
 * pulls the terminals down to the set voltage; CR: Voc/(Rs+R); CP: the lower
 * root of Rs·I² − Voc·I + P = 0), limited by its ratings; the terminal
 * voltage is then Voc − I·Rs. With the input off it draws nothing and reads
 * the open-circuit voltage.
 */
struct _LablinkSimLoad
{
  LablinkSimInstrument parent_instance;

  LablinkSimLoadMode mode;
  double             setpoints[4];
  gboolean           enabled;
  double             source_volts;
  double             source_ohms;
};

G_DEFINE_FINAL_TYPE (LablinkSimLoad, lablink_sim_load, LABLINK_SIM_TYPE_INSTRUMENT)

static const char * const mode_names[] = { "CC", "CV", "CR", "CP" };

const char *
lablink_sim_load_mode_to_string (LablinkSimLoadMode mode)
{
  g_return_val_if_fail ((guint) mode < G_N_ELEMENTS (mode_names), "CC");
  return mode_names[mode];
}

gboolean
lablink_sim_load_mode_from_string (const char         *text,
                                   LablinkSimLoadMode *mode)
{
  guint i;

  if (text == NULL)
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (mode_names); i++)
    {
      if (g_ascii_strcasecmp (text, mode_names[i]) == 0)
        {
          *mode = (LablinkSimLoadMode) i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
lablink_sim_load_write_capabilities (LablinkSimInstrument *instrument,
                                     LablinkSimJson       *w)
{
  guint i;

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_double (w, "max_voltage", MAX_VOLTAGE);
  lablink_sim_json_member_double (w, "max_current", MAX_CURRENT);
  lablink_sim_json_member_double (w, "max_power", MAX_POWER);
  lablink_sim_json_key (w, "modes");
  lablink_sim_json_begin_array (w);
  for (i = 0; i < G_N_ELEMENTS (mode_names); i++)
    lablink_sim_json_string (w, mode_names[i]);
  lablink_sim_json_end_array (w);
  lablink_sim_json_end_object (w);
}

static void
write_reading (LablinkSimLoad        *self,
               LablinkSimJson        *w,
               gint64                 unix_usec,
               LablinkSimLoadReading *r)
{
  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "equipment_id", lablink_sim_instrument_get_id (LABLINK_SIM_INSTRUMENT (self)));
  lablink_sim_json_member_timestamp (w, "timestamp", unix_usec);
  lablink_sim_json_member_string (w, "mode", lablink_sim_load_mode_to_string (r->mode));
  lablink_sim_json_member_double (w, "setpoint", r->setpoint);
  lablink_sim_json_member_double (w, "voltage", r->voltage);
  lablink_sim_json_member_double (w, "current", r->current);
  lablink_sim_json_member_double (w, "power", r->power);
  lablink_sim_json_member_boolean (w, "load_enabled", r->enabled);
  lablink_sim_json_end_object (w);
}

static gboolean
lablink_sim_load_write_readings (LablinkSimInstrument *instrument,
                                 LablinkSimJson       *w,
                                 guint                 channel,
                                 gint64                unix_usec)
{
  LablinkSimLoad *self = LABLINK_SIM_LOAD (instrument);
  LablinkSimLoadReading r;

  lablink_sim_load_read (self, &r);
  write_reading (self, w, unix_usec, &r);
  return TRUE;
}

static gboolean
set_from_parameter (LablinkSimLoad      *self,
                    JsonObject          *parameters,
                    const char          *name,
                    LablinkSimLoadMode   mode,
                    GError             **error)
{
  double value;

  if (!lablink_sim_instrument_require_number (parameters, name, -G_MAXDOUBLE, G_MAXDOUBLE, &value, error))
    return FALSE;
  return lablink_sim_load_set_setpoint (self, mode, value, error);
}

static gboolean
lablink_sim_load_execute (LablinkSimInstrument *instrument,
                          const char           *action,
                          JsonObject           *parameters,
                          LablinkSimJson       *data,
                          GError              **error)
{
  LablinkSimLoad *self = LABLINK_SIM_LOAD (instrument);

  if (g_str_equal (action, "set_mode"))
    {
      LablinkSimLoadMode mode;

      if (!lablink_sim_load_mode_from_string (lablink_sim_json_object_get_str (parameters, "mode"), &mode))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "Invalid mode (expected CC, CV, CR or CP)");
          return FALSE;
        }
      lablink_sim_load_set_mode (self, mode);
      return TRUE;
    }
  if (g_str_equal (action, "set_input"))
    {
      gboolean enabled;

      if (!lablink_sim_json_object_get_bool (parameters, "enabled", &enabled))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "Missing or invalid parameter: enabled");
          return FALSE;
        }
      lablink_sim_load_set_enabled (self, enabled);
      return TRUE;
    }
  if (g_str_equal (action, "set_current"))
    return set_from_parameter (self, parameters, "current", LABLINK_SIM_LOAD_CC, error);
  if (g_str_equal (action, "set_voltage"))
    return set_from_parameter (self, parameters, "voltage", LABLINK_SIM_LOAD_CV, error);
  if (g_str_equal (action, "set_resistance"))
    return set_from_parameter (self, parameters, "resistance", LABLINK_SIM_LOAD_CR, error);
  if (g_str_equal (action, "set_power"))
    return set_from_parameter (self, parameters, "power", LABLINK_SIM_LOAD_CP, error);
  if (g_str_equal (action, "set_source"))
    {
      /* Simulator extension: the source the load is connected to. */
      double volts, ohms;

      if (!lablink_sim_instrument_require_number (parameters, "voltage", 0.0, MAX_VOLTAGE, &volts, error) ||
          !lablink_sim_instrument_require_number (parameters, "resistance", 1e-6, 1e6, &ohms, error))
        return FALSE;
      lablink_sim_load_set_source (self, volts, ohms);
      return TRUE;
    }
  if (g_str_equal (action, "get_readings"))
    {
      LablinkSimLoadReading r;

      lablink_sim_load_read (self, &r);
      write_reading (self, data, g_get_real_time (), &r);
      return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Unknown command: %s", action);
  return FALSE;
}

/* "CH1"/"voltage" → 0, "CH2"/"current" → 1, "CH3"/"power" → 2. */
static gboolean
lablink_sim_load_lookup_channel (LablinkSimInstrument *instrument,
                                 const char           *name,
                                 guint                *index)
{
  static const char * const names[3][3] = {
    { "CH1", "voltage", "V" },
    { "CH2", "current", "I" },
    { "CH3", "power", "P" },
  };
  guint i, j;

  for (i = 0; i < 3; i++)
    for (j = 0; j < 3; j++)
      if (g_ascii_strcasecmp (name, names[i][j]) == 0)
        {
          *index = i;
          return TRUE;
        }
  return FALSE;
}

static double
lablink_sim_load_sample (LablinkSimInstrument *instrument,
                         guint                 index,
                         double                t)
{
  LablinkSimLoadReading r;

  lablink_sim_load_read (LABLINK_SIM_LOAD (instrument), &r);
  switch (index)
    {
    case 0:
      return r.voltage;
    case 1:
      return r.current;
    case 2:
      return r.power;
    default:
      return NAN;
    }
}

static void
lablink_sim_load_class_init (LablinkSimLoadClass *klass)
{
  LablinkSimInstrumentClass *instrument_class = LABLINK_SIM_INSTRUMENT_CLASS (klass);

  instrument_class->type_name = "electronic_load";
  instrument_class->id_prefix = "load";
  instrument_class->python_class = "MockElectronicLoad";
  instrument_class->write_capabilities = lablink_sim_load_write_capabilities;
  instrument_class->write_readings = lablink_sim_load_write_readings;
  instrument_class->execute = lablink_sim_load_execute;
  instrument_class->lookup_channel = lablink_sim_load_lookup_channel;
  instrument_class->sample = lablink_sim_load_sample;
}

static void
lablink_sim_load_init (LablinkSimLoad *self)
{
  self->mode = LABLINK_SIM_LOAD_CC;
  self->setpoints[LABLINK_SIM_LOAD_CC] = 0.0;
  self->setpoints[LABLINK_SIM_LOAD_CV] = 0.0;
  self->setpoints[LABLINK_SIM_LOAD_CR] = 0.0;
  self->setpoints[LABLINK_SIM_LOAD_CP] = 0.0;
  self->enabled = FALSE;
  self->source_volts = 12.0;
  self->source_ohms = 0.1;
}

/**
 * lablink_sim_load_new:
 * @resource_string: (nullable): the resource string (default `MOCK::LOAD::0`)
 * @seed: the seed of the read-back noise
 *
 * Returns: (transfer full): a new load, input off, CC mode, on a 12 V / 0.1 Ω source
 */
LablinkSimLoad *
lablink_sim_load_new (const char *resource_string,
                      guint32     seed)
{
  return g_object_new (LABLINK_SIM_TYPE_LOAD,
                       "resource-string", resource_string != NULL ? resource_string : "MOCK::LOAD::0",
                       "model", "MockLoad-300",
                       "connection-type", "usb",
                       "firmware-version", "v1.5.0-mock",
                       "seed", seed,
                       NULL);
}

void
lablink_sim_load_set_mode (LablinkSimLoad     *self,
                           LablinkSimLoadMode  mode)
{
  g_return_if_fail (LABLINK_SIM_IS_LOAD (self));
  g_return_if_fail ((guint) mode < G_N_ELEMENTS (mode_names));
  self->mode = mode;
}

LablinkSimLoadMode
lablink_sim_load_get_mode (LablinkSimLoad *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_LOAD (self), LABLINK_SIM_LOAD_CC);
  return self->mode;
}

void
lablink_sim_load_set_enabled (LablinkSimLoad *self,
                              gboolean        enabled)
{
  g_return_if_fail (LABLINK_SIM_IS_LOAD (self));
  self->enabled = !!enabled;
}

/**
 * lablink_sim_load_set_setpoint:
 * @self: a load
 * @mode: which set-point (CC: amps, CV: volts, CR: ohms, CP: watts)
 * @value: the value
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @value is within the load's ratings
 */
gboolean
lablink_sim_load_set_setpoint (LablinkSimLoad     *self,
                               LablinkSimLoadMode  mode,
                               double              value,
                               GError            **error)
{
  static const double limits[4] = { MAX_CURRENT, MAX_VOLTAGE, 1e6, MAX_POWER };

  g_return_val_if_fail (LABLINK_SIM_IS_LOAD (self), FALSE);
  g_return_val_if_fail ((guint) mode < G_N_ELEMENTS (mode_names), FALSE);

  if (!isfinite (value) || value < 0.0 || value > limits[mode])
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s set-point %g out of range (0 to %g)", mode_names[mode], value, limits[mode]);
      return FALSE;
    }
  self->setpoints[mode] = value;
  return TRUE;
}

double
lablink_sim_load_get_setpoint (LablinkSimLoad     *self,
                               LablinkSimLoadMode  mode)
{
  g_return_val_if_fail (LABLINK_SIM_IS_LOAD (self), NAN);
  g_return_val_if_fail ((guint) mode < G_N_ELEMENTS (mode_names), NAN);
  return self->setpoints[mode];
}

void
lablink_sim_load_set_source (LablinkSimLoad *self,
                             double          open_circuit_volts,
                             double          internal_ohms)
{
  g_return_if_fail (LABLINK_SIM_IS_LOAD (self));
  g_return_if_fail (open_circuit_volts >= 0.0 && internal_ohms > 0.0);

  self->source_volts = open_circuit_volts;
  self->source_ohms = internal_ohms;
}

/* The current at which the source delivers @watts (lower root), or the
 * maximum-power-point current if it cannot. */
static double
current_for_power (double voc,
                   double rs,
                   double watts)
{
  double disc = voc * voc - 4.0 * rs * watts;

  if (disc <= 0.0)
    return voc / (2.0 * rs);
  return (voc - sqrt (disc)) / (2.0 * rs);
}

/**
 * lablink_sim_load_solve:
 * @self: a load
 * @reading: (out caller-allocates): the noise-free operating point
 */
void
lablink_sim_load_solve (LablinkSimLoad        *self,
                        LablinkSimLoadReading *reading)
{
  double voc, rs, sp, current;

  g_return_if_fail (LABLINK_SIM_IS_LOAD (self));
  g_return_if_fail (reading != NULL);

  voc = self->source_volts;
  rs = self->source_ohms;
  sp = self->setpoints[self->mode];

  memset (reading, 0, sizeof *reading);
  reading->mode = self->mode;
  reading->setpoint = sp;
  reading->enabled = self->enabled;

  if (!self->enabled)
    {
      reading->voltage = voc;
      return;
    }

  switch (self->mode)
    {
    case LABLINK_SIM_LOAD_CC:
      current = sp;
      break;
    case LABLINK_SIM_LOAD_CV:
      current = sp >= voc ? 0.0 : (voc - sp) / rs;
      break;
    case LABLINK_SIM_LOAD_CR:
      current = voc / (rs + MAX (sp, 1e-6));
      break;
    case LABLINK_SIM_LOAD_CP:
      current = current_for_power (voc, rs, sp);
      break;
    default:
      g_assert_not_reached ();
    }

  /* The source cannot deliver more than its short-circuit current, and the
   * load is limited by its ratings. */
  current = MIN (current, voc / rs);
  current = MIN (current, MAX_CURRENT);
  if ((voc - current * rs) * current > MAX_POWER)
    current = MIN (current, current_for_power (voc, rs, MAX_POWER));
  current = MAX (current, 0.0);

  reading->current = current;
  reading->voltage = voc - current * rs;
  reading->power = reading->voltage * reading->current;
}

/**
 * lablink_sim_load_read:
 * @self: a load
 * @reading: (out caller-allocates): a reading with read-back noise
 */
void
lablink_sim_load_read (LablinkSimLoad        *self,
                       LablinkSimLoadReading *reading)
{
  LablinkSimInstrument *instrument = LABLINK_SIM_INSTRUMENT (self);

  lablink_sim_load_solve (self, reading);

  reading->voltage += lablink_sim_instrument_gauss (instrument, VOLTAGE_NOISE);
  if (!reading->enabled)
    return;

  reading->current += lablink_sim_instrument_gauss (instrument, CURRENT_NOISE);
  reading->power = reading->voltage * reading->current;
}
