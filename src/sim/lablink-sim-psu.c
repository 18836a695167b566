/* lablink-sim-psu.c — a simulated 3-channel power supply with resistive loads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "lablink-sim-psu.h"

/* Measurement noise of the read-back (1 sigma), as seen on the real mock. */
#define VOLTAGE_NOISE 0.0008
#define CURRENT_NOISE 0.0001
#define DEFAULT_LOAD_OHMS 10.0

typedef struct {
  double   max_voltage;
  double   max_current;
  double   voltage_set;
  double   current_set;
  double   load_ohms;    /* INFINITY: open circuit */
  gboolean output_enabled;
} Channel;

/**
 * LablinkSimPsu:
 *
 * A MockPSU-3030: three channels (30 V/3 A, 30 V/3 A, 5 V/3 A), each driving a
 * resistive load (10 Ω by default). A channel regulates its voltage (CV)
 * until the load would draw more than the current limit, then regulates the
 * current (CC) and the voltage drops to I·R. Read-backs carry a small
 * gaussian noise; a disabled output reads exactly 0.
 */
struct _LablinkSimPsu
{
  LablinkSimInstrument parent_instance;

  Channel channels[LABLINK_SIM_PSU_N_CHANNELS];
};

G_DEFINE_FINAL_TYPE (LablinkSimPsu, lablink_sim_psu, LABLINK_SIM_TYPE_INSTRUMENT)

static Channel *
get_channel (LablinkSimPsu *self,
             guint          channel)
{
  g_return_val_if_fail (channel >= 1 && channel <= LABLINK_SIM_PSU_N_CHANNELS, NULL);
  return &self->channels[channel - 1];
}

static void
append_rating (GString    *out,
               double      value,
               const char *unit)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.1f", value);
  g_string_append_printf (out, "%s%s", buf, unit);
}

static void
write_rating (LablinkSimJson *w,
              const char     *key,
              double          value,
              const char     *unit)
{
  g_autoptr(GString) text = g_string_new (NULL);

  append_rating (text, value, unit);
  lablink_sim_json_member_string (w, key, text->str);
}

static void
lablink_sim_psu_write_capabilities (LablinkSimInstrument *instrument,
                                    LablinkSimJson       *w)
{
  LablinkSimPsu *self = LABLINK_SIM_PSU (instrument);
  guint i;

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_int (w, "num_channels", LABLINK_SIM_PSU_N_CHANNELS);
  write_rating (w, "max_voltage", self->channels[0].max_voltage, "V");
  write_rating (w, "max_current", self->channels[0].max_current, "A");
  lablink_sim_json_key (w, "channels");
  lablink_sim_json_begin_object (w);
  for (i = 0; i < LABLINK_SIM_PSU_N_CHANNELS; i++)
    {
      g_autofree char *name = g_strdup_printf ("ch%u", i + 1);

      lablink_sim_json_key (w, name);
      lablink_sim_json_begin_object (w);
      write_rating (w, "max_voltage", self->channels[i].max_voltage, "V");
      write_rating (w, "max_current", self->channels[i].max_current, "A");
      lablink_sim_json_end_object (w);
    }
  lablink_sim_json_end_object (w);
  lablink_sim_json_end_object (w);
}

static void
write_reading (LablinkSimPsu        *self,
               LablinkSimJson       *w,
               guint                 channel,
               gint64                unix_usec,
               LablinkSimPsuReading *r)
{
  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "equipment_id", lablink_sim_instrument_get_id (LABLINK_SIM_INSTRUMENT (self)));
  lablink_sim_json_member_timestamp (w, "timestamp", unix_usec);
  lablink_sim_json_member_int (w, "channel", channel);
  lablink_sim_json_member_double (w, "voltage_set", r->voltage_set);
  lablink_sim_json_member_double (w, "current_set", r->current_set);
  lablink_sim_json_member_double (w, "voltage_actual", r->voltage);
  lablink_sim_json_member_double (w, "current_actual", r->current);
  lablink_sim_json_member_boolean (w, "output_enabled", r->output_enabled);
  lablink_sim_json_member_boolean (w, "in_cv_mode", r->in_cv);
  lablink_sim_json_member_boolean (w, "in_cc_mode", r->in_cc);
  lablink_sim_json_end_object (w);
}

static gboolean
lablink_sim_psu_write_readings (LablinkSimInstrument *instrument,
                                LablinkSimJson       *w,
                                guint                 channel,
                                gint64                unix_usec)
{
  LablinkSimPsu *self = LABLINK_SIM_PSU (instrument);
  LablinkSimPsuReading r;

  if (channel < 1 || channel > LABLINK_SIM_PSU_N_CHANNELS)
    channel = 1;

  lablink_sim_psu_read (self, channel, &r);
  write_reading (self, w, channel, unix_usec, &r);
  return TRUE;
}

static gboolean
lablink_sim_psu_execute (LablinkSimInstrument *instrument,
                         const char           *action,
                         JsonObject           *parameters,
                         LablinkSimJson       *data,
                         GError              **error)
{
  LablinkSimPsu *self = LABLINK_SIM_PSU (instrument);
  guint channel;
  double value;
  gboolean enabled;

  if (!lablink_sim_instrument_optional_channel (parameters, LABLINK_SIM_PSU_N_CHANNELS, &channel, error))
    return FALSE;

  if (g_str_equal (action, "set_voltage"))
    {
      if (!lablink_sim_instrument_require_number (parameters, "voltage", -G_MAXDOUBLE, G_MAXDOUBLE, &value, error))
        return FALSE;
      return lablink_sim_psu_set_voltage (self, channel, value, error);
    }
  if (g_str_equal (action, "set_current"))
    {
      if (!lablink_sim_instrument_require_number (parameters, "current", -G_MAXDOUBLE, G_MAXDOUBLE, &value, error))
        return FALSE;
      return lablink_sim_psu_set_current (self, channel, value, error);
    }
  if (g_str_equal (action, "set_output"))
    {
      if (!lablink_sim_json_object_get_bool (parameters, "enabled", &enabled))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "Missing or invalid parameter: enabled");
          return FALSE;
        }
      lablink_sim_psu_set_output (self, channel, enabled);
      return TRUE;
    }
  if (g_str_equal (action, "set_load") || g_str_equal (action, "set_load_resistance"))
    {
      /* Simulator extension: the resistive load on a channel (<= 0: open). */
      if (!lablink_sim_instrument_require_number (parameters, "resistance", -G_MAXDOUBLE, G_MAXDOUBLE, &value, error))
        return FALSE;
      lablink_sim_psu_set_load_resistance (self, channel, value);
      return TRUE;
    }
  if (g_str_equal (action, "get_readings"))
    {
      LablinkSimPsuReading r;

      lablink_sim_psu_read (self, channel, &r);
      write_reading (self, data, channel, g_get_real_time (), &r);
      return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Unknown command: %s", action);
  return FALSE;
}

/* "CH1" / "CH1_V" → voltage of channel 1, "CH1_I" → its current. */
static gboolean
lablink_sim_psu_lookup_channel (LablinkSimInstrument *instrument,
                                const char           *name,
                                guint                *index)
{
  guint64 n;
  const char *rest;
  char *end = NULL;
  gboolean current;

  if (g_ascii_strncasecmp (name, "CH", 2) != 0 || !g_ascii_isdigit (name[2]))
    return FALSE;

  n = g_ascii_strtoull (name + 2, &end, 10);
  if (n < 1 || n > LABLINK_SIM_PSU_N_CHANNELS)
    return FALSE;

  rest = end;
  if (*rest == '\0' || g_ascii_strcasecmp (rest, "_V") == 0)
    current = FALSE;
  else if (g_ascii_strcasecmp (rest, "_I") == 0)
    current = TRUE;
  else
    return FALSE;

  *index = (guint) ((n - 1) * 2 + (current ? 1 : 0));
  return TRUE;
}

static double
lablink_sim_psu_sample (LablinkSimInstrument *instrument,
                        guint                 index,
                        double                t)
{
  LablinkSimPsu *self = LABLINK_SIM_PSU (instrument);
  LablinkSimPsuReading r;
  guint channel = index / 2 + 1;

  if (channel > LABLINK_SIM_PSU_N_CHANNELS)
    return NAN;

  lablink_sim_psu_read (self, channel, &r);
  return (index % 2) ? r.current : r.voltage;
}

static void
lablink_sim_psu_class_init (LablinkSimPsuClass *klass)
{
  LablinkSimInstrumentClass *instrument_class = LABLINK_SIM_INSTRUMENT_CLASS (klass);

  instrument_class->type_name = "power_supply";
  instrument_class->id_prefix = "ps";
  instrument_class->python_class = "MockPowerSupply";
  instrument_class->write_capabilities = lablink_sim_psu_write_capabilities;
  instrument_class->write_readings = lablink_sim_psu_write_readings;
  instrument_class->execute = lablink_sim_psu_execute;
  instrument_class->lookup_channel = lablink_sim_psu_lookup_channel;
  instrument_class->sample = lablink_sim_psu_sample;
}

static void
lablink_sim_psu_init (LablinkSimPsu *self)
{
  guint i;

  for (i = 0; i < LABLINK_SIM_PSU_N_CHANNELS; i++)
    {
      Channel *ch = &self->channels[i];

      ch->max_voltage = (i == 2) ? 5.0 : 30.0;
      ch->max_current = 3.0;
      ch->voltage_set = 0.0;
      ch->current_set = 1.0;
      ch->load_ohms = DEFAULT_LOAD_OHMS;
      ch->output_enabled = FALSE;
    }
}

/**
 * lablink_sim_psu_new:
 * @resource_string: (nullable): the resource string (default `MOCK::PSU::0`)
 * @seed: the seed of the read-back noise
 *
 * Returns: (transfer full): a new power supply, outputs off, 0 V / 1 A
 */
LablinkSimPsu *
lablink_sim_psu_new (const char *resource_string,
                     guint32     seed)
{
  return g_object_new (LABLINK_SIM_TYPE_PSU,
                       "resource-string", resource_string != NULL ? resource_string : "MOCK::PSU::0",
                       "model", "MockPSU-3030",
                       "connection-type", "usb",
                       "firmware-version", "v2.1.0-mock",
                       "seed", seed,
                       NULL);
}

gboolean
lablink_sim_psu_set_voltage (LablinkSimPsu *self,
                             guint          channel,
                             double         volts,
                             GError       **error)
{
  Channel *ch;

  g_return_val_if_fail (LABLINK_SIM_IS_PSU (self), FALSE);
  ch = get_channel (self, channel);
  g_return_val_if_fail (ch != NULL, FALSE);

  if (!isfinite (volts) || volts < 0.0 || volts > ch->max_voltage)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Voltage %g V out of range for channel %u (0 to %g V)", volts, channel, ch->max_voltage);
      return FALSE;
    }
  ch->voltage_set = volts;
  return TRUE;
}

gboolean
lablink_sim_psu_set_current (LablinkSimPsu *self,
                             guint          channel,
                             double         amps,
                             GError       **error)
{
  Channel *ch;

  g_return_val_if_fail (LABLINK_SIM_IS_PSU (self), FALSE);
  ch = get_channel (self, channel);
  g_return_val_if_fail (ch != NULL, FALSE);

  if (!isfinite (amps) || amps < 0.0 || amps > ch->max_current)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Current %g A out of range for channel %u (0 to %g A)", amps, channel, ch->max_current);
      return FALSE;
    }
  ch->current_set = amps;
  return TRUE;
}

void
lablink_sim_psu_set_output (LablinkSimPsu *self,
                            guint          channel,
                            gboolean       enabled)
{
  Channel *ch;

  g_return_if_fail (LABLINK_SIM_IS_PSU (self));
  ch = get_channel (self, channel);
  g_return_if_fail (ch != NULL);

  ch->output_enabled = !!enabled;
}

/**
 * lablink_sim_psu_set_load_resistance:
 * @self: a power supply
 * @channel: 1 to 3
 * @ohms: the load; 0, negative or infinite for an open circuit
 */
void
lablink_sim_psu_set_load_resistance (LablinkSimPsu *self,
                                     guint          channel,
                                     double         ohms)
{
  Channel *ch;

  g_return_if_fail (LABLINK_SIM_IS_PSU (self));
  ch = get_channel (self, channel);
  g_return_if_fail (ch != NULL);

  ch->load_ohms = (isfinite (ohms) && ohms > 0.0) ? ohms : INFINITY;
}

double
lablink_sim_psu_get_load_resistance (LablinkSimPsu *self,
                                     guint          channel)
{
  Channel *ch;

  g_return_val_if_fail (LABLINK_SIM_IS_PSU (self), NAN);
  ch = get_channel (self, channel);
  g_return_val_if_fail (ch != NULL, NAN);
  return ch->load_ohms;
}

double
lablink_sim_psu_get_max_voltage (LablinkSimPsu *self,
                                 guint          channel)
{
  Channel *ch;

  g_return_val_if_fail (LABLINK_SIM_IS_PSU (self), NAN);
  ch = get_channel (self, channel);
  g_return_val_if_fail (ch != NULL, NAN);
  return ch->max_voltage;
}

double
lablink_sim_psu_get_max_current (LablinkSimPsu *self,
                                 guint          channel)
{
  Channel *ch;

  g_return_val_if_fail (LABLINK_SIM_IS_PSU (self), NAN);
  ch = get_channel (self, channel);
  g_return_val_if_fail (ch != NULL, NAN);
  return ch->max_current;
}

/**
 * lablink_sim_psu_solve:
 * @self: a power supply
 * @channel: 1 to 3
 * @reading: (out caller-allocates): the noise-free operating point
 *
 * Solves the channel's operating point against its load: CV while
 * Vset/R ≤ Ilimit (V = Vset, I = Vset/R), CC beyond (I = Ilimit, V = Ilimit·R).
 */
void
lablink_sim_psu_solve (LablinkSimPsu        *self,
                       guint                 channel,
                       LablinkSimPsuReading *reading)
{
  Channel *ch;

  g_return_if_fail (LABLINK_SIM_IS_PSU (self));
  g_return_if_fail (reading != NULL);
  ch = get_channel (self, channel);
  g_return_if_fail (ch != NULL);

  memset (reading, 0, sizeof *reading);
  reading->voltage_set = ch->voltage_set;
  reading->current_set = ch->current_set;
  reading->output_enabled = ch->output_enabled;

  if (!ch->output_enabled)
    return;

  if (isinf (ch->load_ohms) || ch->voltage_set / ch->load_ohms <= ch->current_set)
    {
      reading->in_cv = TRUE;
      reading->voltage = ch->voltage_set;
      reading->current = isinf (ch->load_ohms) ? 0.0 : ch->voltage_set / ch->load_ohms;
    }
  else
    {
      reading->in_cc = TRUE;
      reading->current = ch->current_set;
      reading->voltage = ch->current_set * ch->load_ohms;
    }
}

/**
 * lablink_sim_psu_read:
 * @self: a power supply
 * @channel: 1 to 3
 * @reading: (out caller-allocates): the reading
 *
 * Like lablink_sim_psu_solve() plus the read-back noise of an enabled output.
 */
void
lablink_sim_psu_read (LablinkSimPsu        *self,
                      guint                 channel,
                      LablinkSimPsuReading *reading)
{
  LablinkSimInstrument *instrument = LABLINK_SIM_INSTRUMENT (self);

  lablink_sim_psu_solve (self, channel, reading);
  if (!reading->output_enabled)
    return;

  reading->voltage += lablink_sim_instrument_gauss (instrument, VOLTAGE_NOISE);
  reading->current += lablink_sim_instrument_gauss (instrument, CURRENT_NOISE);
}
