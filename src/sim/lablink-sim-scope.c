/* lablink-sim-scope.c — a simulated 4-channel oscilloscope
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "lablink-sim-scope.h"

/* Front-end noise on every channel (1 sigma, volts). */
#define FRONT_END_NOISE 0.005

/**
 * LablinkSimScope:
 *
 * A MockScope-2000 with four channels, each fed by a generator (sine,
 * square, triangle or noise; frequency, peak amplitude, offset). A capture is
 * 1000 points over the 10 horizontal divisions, so the sample rate is always
 * 1000 / (10 × time_scale): the default 1 ms/div gives 100 kSa/s, i.e. ten
 * periods of the default 1 kHz sine. The measurements (vpp, vmax, vmin,
 * vavg, vrms, freq, period) are computed from the captured samples.
 */
struct _LablinkSimScope
{
  LablinkSimInstrument parent_instance;

  LablinkSimScopeChannel channels[LABLINK_SIM_SCOPE_N_CHANNELS];
  double                 time_scale;
};

G_DEFINE_FINAL_TYPE (LablinkSimScope, lablink_sim_scope, LABLINK_SIM_TYPE_INSTRUMENT)

static const char * const shape_names[] = { "sine", "square", "triangle", "noise" };

const char *
lablink_sim_wave_shape_to_string (LablinkSimWaveShape shape)
{
  g_return_val_if_fail ((guint) shape < G_N_ELEMENTS (shape_names), "sine");
  return shape_names[shape];
}

gboolean
lablink_sim_wave_shape_from_string (const char          *text,
                                    LablinkSimWaveShape *shape)
{
  guint i;

  if (text == NULL)
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (shape_names); i++)
    {
      if (g_ascii_strcasecmp (text, shape_names[i]) == 0)
        {
          *shape = (LablinkSimWaveShape) i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
valid_channel (guint channel)
{
  return channel >= 1 && channel <= LABLINK_SIM_SCOPE_N_CHANNELS;
}

static void
lablink_sim_scope_write_capabilities (LablinkSimInstrument *instrument,
                                      LablinkSimJson       *w)
{
  guint i;

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_int (w, "num_channels", LABLINK_SIM_SCOPE_N_CHANNELS);
  lablink_sim_json_member_string (w, "bandwidth", "200MHz");
  lablink_sim_json_member_string (w, "sample_rate", "1GSa/s");
  lablink_sim_json_member_string (w, "memory_depth", "1000pts");
  lablink_sim_json_key (w, "waveform_types");
  lablink_sim_json_begin_array (w);
  for (i = 0; i < G_N_ELEMENTS (shape_names); i++)
    lablink_sim_json_string (w, shape_names[i]);
  lablink_sim_json_end_array (w);
  lablink_sim_json_end_object (w);
}

static gboolean
channel_parameter (JsonObject  *parameters,
                   guint       *channel,
                   GError     **error)
{
  double value;

  if (!lablink_sim_json_object_get_number (parameters, "channel", &value) ||
      value != floor (value) || !valid_channel ((guint) CLAMP (value, 0, 1000)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid channel (expected 1 to %u)", LABLINK_SIM_SCOPE_N_CHANNELS);
      return FALSE;
    }
  *channel = (guint) value;
  return TRUE;
}

static gboolean
optional_number (JsonObject  *parameters,
                 const char  *name,
                 double       min,
                 double       max,
                 double      *value,
                 GError     **error)
{
  if (parameters == NULL || !json_object_has_member (parameters, name))
    return TRUE;
  return lablink_sim_instrument_require_number (parameters, name, min, max, value, error);
}

static gboolean
lablink_sim_scope_execute (LablinkSimInstrument *instrument,
                           const char           *action,
                           JsonObject           *parameters,
                           LablinkSimJson       *data,
                           GError              **error)
{
  LablinkSimScope *self = LABLINK_SIM_SCOPE (instrument);
  guint channel;

  if (g_str_equal (action, "set_channel"))
    {
      LablinkSimScopeChannel config;
      const char *shape;

      if (!channel_parameter (parameters, &channel, error))
        return FALSE;
      lablink_sim_scope_get_channel (self, channel, &config);

      shape = lablink_sim_json_object_get_str (parameters, "waveform");
      if (shape == NULL)
        shape = lablink_sim_json_object_get_str (parameters, "waveform_type");
      if (shape != NULL && !lablink_sim_wave_shape_from_string (shape, &config.shape))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Invalid waveform: %s (expected sine, square, triangle or noise)", shape);
          return FALSE;
        }
      if (!optional_number (parameters, "frequency", 1e-3, 1e9, &config.frequency, error) ||
          !optional_number (parameters, "amplitude", 0.0, 1000.0, &config.amplitude, error) ||
          !optional_number (parameters, "offset", -1000.0, 1000.0, &config.offset, error) ||
          !optional_number (parameters, "voltage_scale", 1e-6, 1000.0, &config.voltage_scale, error))
        return FALSE;
      if (parameters != NULL && json_object_has_member (parameters, "enabled") &&
          !lablink_sim_json_object_get_bool (parameters, "enabled", &config.enabled))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "Invalid parameter: enabled");
          return FALSE;
        }
      lablink_sim_scope_set_channel (self, channel, &config);
      return TRUE;
    }
  if (g_str_equal (action, "set_timebase"))
    {
      double time_scale;

      if (!lablink_sim_instrument_require_number (parameters, "time_scale", 1e-9, 10.0, &time_scale, error))
        return FALSE;
      lablink_sim_scope_set_time_scale (self, time_scale);
      return TRUE;
    }
  if (g_str_equal (action, "get_measurements"))
    {
      channel = 1;
      if (parameters != NULL && json_object_has_member (parameters, "channel") &&
          !channel_parameter (parameters, &channel, error))
        return FALSE;
      lablink_sim_scope_write_measurements (self, data, channel, g_get_real_time ());
      return TRUE;
    }
  if (g_str_equal (action, "get_waveform"))
    {
      channel = 1;
      if (parameters != NULL && json_object_has_member (parameters, "channel") &&
          !channel_parameter (parameters, &channel, error))
        return FALSE;
      lablink_sim_scope_write_waveform (self, data, channel, g_get_real_time (), LABLINK_SIM_SCOPE_WRITE_CAPTURE);
      return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Unknown command: %s", action);
  return FALSE;
}

/* "CH1" … "CH4" → 0 … 3 */
static gboolean
lablink_sim_scope_lookup_channel (LablinkSimInstrument *instrument,
                                  const char           *name,
                                  guint                *index)
{
  guint64 n;
  char *end = NULL;

  if (g_ascii_strncasecmp (name, "CH", 2) != 0 || !g_ascii_isdigit (name[2]))
    return FALSE;
  n = g_ascii_strtoull (name + 2, &end, 10);
  if (*end != '\0' || !valid_channel ((guint) MIN (n, 1000)))
    return FALSE;
  *index = (guint) n - 1;
  return TRUE;
}

static double
lablink_sim_scope_sample (LablinkSimInstrument *instrument,
                          guint                 index,
                          double                t)
{
  if (index >= LABLINK_SIM_SCOPE_N_CHANNELS)
    return NAN;
  return lablink_sim_scope_value (LABLINK_SIM_SCOPE (instrument), index + 1, t);
}

static void
lablink_sim_scope_class_init (LablinkSimScopeClass *klass)
{
  LablinkSimInstrumentClass *instrument_class = LABLINK_SIM_INSTRUMENT_CLASS (klass);

  instrument_class->type_name = "oscilloscope";
  instrument_class->id_prefix = "scope";
  instrument_class->python_class = "MockOscilloscope";
  instrument_class->write_capabilities = lablink_sim_scope_write_capabilities;
  instrument_class->write_readings = NULL;
  instrument_class->execute = lablink_sim_scope_execute;
  instrument_class->lookup_channel = lablink_sim_scope_lookup_channel;
  instrument_class->sample = lablink_sim_scope_sample;
}

static void
lablink_sim_scope_init (LablinkSimScope *self)
{
  static const LablinkSimScopeChannel defaults[LABLINK_SIM_SCOPE_N_CHANNELS] = {
    { LABLINK_SIM_WAVE_SINE, 1000.0, 1.0, 0.0, 1.0, TRUE },
    { LABLINK_SIM_WAVE_SQUARE, 500.0, 1.5, 1.5, 1.0, TRUE },
    { LABLINK_SIM_WAVE_TRIANGLE, 2000.0, 0.5, 0.0, 1.0, FALSE },
    { LABLINK_SIM_WAVE_NOISE, 1000.0, 0.2, 0.0, 1.0, FALSE },
  };

  memcpy (self->channels, defaults, sizeof defaults);
  self->time_scale = 0.001;
}

/**
 * lablink_sim_scope_new:
 * @resource_string: (nullable): the resource string (default `MOCK::SCOPE::0`)
 * @seed: the seed of the noise
 *
 * Returns: (transfer full): a new scope: CH1 1 kHz sine 1 V, CH2 500 Hz
 *   square 0–3 V, CH3 and CH4 disabled; 1 ms/div
 */
LablinkSimScope *
lablink_sim_scope_new (const char *resource_string,
                       guint32     seed)
{
  return g_object_new (LABLINK_SIM_TYPE_SCOPE,
                       "resource-string", resource_string != NULL ? resource_string : "MOCK::SCOPE::0",
                       "model", "MockScope-2000",
                       "connection-type", "ethernet",
                       "firmware-version", "v1.0.0-mock",
                       "seed", seed,
                       NULL);
}

void
lablink_sim_scope_get_channel (LablinkSimScope        *self,
                               guint                   channel,
                               LablinkSimScopeChannel *config)
{
  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  g_return_if_fail (valid_channel (channel));
  g_return_if_fail (config != NULL);

  *config = self->channels[channel - 1];
}

void
lablink_sim_scope_set_channel (LablinkSimScope              *self,
                               guint                         channel,
                               const LablinkSimScopeChannel *config)
{
  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  g_return_if_fail (valid_channel (channel));
  g_return_if_fail (config != NULL);
  g_return_if_fail ((guint) config->shape < G_N_ELEMENTS (shape_names));

  self->channels[channel - 1] = *config;
  if (!(self->channels[channel - 1].voltage_scale > 0.0))
    self->channels[channel - 1].voltage_scale = 1.0;
}

gboolean
lablink_sim_scope_is_enabled (LablinkSimScope *self,
                              guint            channel)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SCOPE (self), FALSE);
  if (!valid_channel (channel))
    return FALSE;
  return self->channels[channel - 1].enabled;
}

void
lablink_sim_scope_set_time_scale (LablinkSimScope *self,
                                  double           seconds_per_div)
{
  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  g_return_if_fail (seconds_per_div > 0.0 && isfinite (seconds_per_div));

  self->time_scale = seconds_per_div;
}

double
lablink_sim_scope_get_time_scale (LablinkSimScope *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SCOPE (self), NAN);
  return self->time_scale;
}

/**
 * lablink_sim_scope_get_sample_rate:
 * @self: a scope
 *
 * Returns: 1000 points / (10 divisions × time_scale), in samples per second
 */
double
lablink_sim_scope_get_sample_rate (LablinkSimScope *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SCOPE (self), NAN);
  return LABLINK_SIM_SCOPE_N_SAMPLES / (LABLINK_SIM_SCOPE_DIVISIONS * self->time_scale);
}

/**
 * lablink_sim_scope_value:
 * @self: a scope
 * @channel: 1 to 4
 * @t: simulated time in seconds
 *
 * Returns: the channel's instantaneous voltage at @t, front-end noise included
 */
double
lablink_sim_scope_value (LablinkSimScope *self,
                         guint            channel,
                         double           t)
{
  LablinkSimInstrument *instrument = LABLINK_SIM_INSTRUMENT (self);
  const LablinkSimScopeChannel *ch;
  double cycles, phase, v;

  g_return_val_if_fail (LABLINK_SIM_IS_SCOPE (self), NAN);
  g_return_val_if_fail (valid_channel (channel), NAN);
  ch = &self->channels[channel - 1];

  cycles = ch->frequency * t;
  phase = cycles - floor (cycles);

  switch (ch->shape)
    {
    case LABLINK_SIM_WAVE_SINE:
      v = sin (2.0 * G_PI * phase);
      break;
    case LABLINK_SIM_WAVE_SQUARE:
      v = phase < 0.5 ? 1.0 : -1.0;
      break;
    case LABLINK_SIM_WAVE_TRIANGLE:
      v = 1.0 - 4.0 * fabs (phase - 0.5);
      break;
    case LABLINK_SIM_WAVE_NOISE:
      v = lablink_sim_instrument_gauss (instrument, 1.0);
      break;
    default:
      g_assert_not_reached ();
    }

  return ch->offset + ch->amplitude * v + lablink_sim_instrument_gauss (instrument, FRONT_END_NOISE);
}

/**
 * lablink_sim_scope_capture:
 * @self: a scope
 * @channel: 1 to 4
 * @unix_usec: the time of the first point
 * @samples: (out caller-allocates) (array fixed-size=1000): the capture
 *
 * Acquires %LABLINK_SIM_SCOPE_N_SAMPLES points at the current sample rate.
 */
void
lablink_sim_scope_capture (LablinkSimScope *self,
                           guint            channel,
                           gint64           unix_usec,
                           double          *samples)
{
  double t0, dt;
  guint i;

  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  g_return_if_fail (valid_channel (channel));
  g_return_if_fail (samples != NULL);

  t0 = lablink_sim_instrument_time (LABLINK_SIM_INSTRUMENT (self), unix_usec);
  dt = 1.0 / lablink_sim_scope_get_sample_rate (self);
  for (i = 0; i < LABLINK_SIM_SCOPE_N_SAMPLES; i++)
    samples[i] = lablink_sim_scope_value (self, channel, t0 + i * dt);
}

/**
 * lablink_sim_scope_measure:
 * @samples: (array length=n_samples): a capture
 * @n_samples: its length
 * @sample_rate: its sample rate in Hz
 * @m: (out caller-allocates): the measurements
 *
 * Computes the scope's automatic measurements from samples. The frequency
 * comes from the rising crossings of the mid level (with a hysteresis of 10 %
 * of vpp against noise), interpolated between samples; with fewer than two
 * crossings in the capture, freq and period are 0.
 */
void
lablink_sim_scope_measure (const double                *samples,
                           gsize                        n_samples,
                           double                       sample_rate,
                           LablinkSimScopeMeasurements *m)
{
  double sum = 0.0, sum_sq = 0.0, mid, hysteresis;
  double first_edge = 0.0, last_edge = 0.0, last_cross = -1.0;
  guint n_edges = 0;
  gboolean low = FALSE;
  gsize i;

  g_return_if_fail (m != NULL);
  memset (m, 0, sizeof *m);
  if (samples == NULL || n_samples == 0)
    return;

  m->vmax = m->vmin = samples[0];
  for (i = 0; i < n_samples; i++)
    {
      m->vmax = MAX (m->vmax, samples[i]);
      m->vmin = MIN (m->vmin, samples[i]);
      sum += samples[i];
      sum_sq += samples[i] * samples[i];
    }
  m->vpp = m->vmax - m->vmin;
  m->vavg = sum / n_samples;
  m->vrms = sqrt (sum_sq / n_samples);

  mid = (m->vmax + m->vmin) / 2.0;
  hysteresis = 0.1 * m->vpp;
  if (!(sample_rate > 0.0) || !(m->vpp > 0.0))
    return;

  for (i = 0; i < n_samples; i++)
    {
      double x = samples[i];

      if (i > 0 && samples[i - 1] < mid && x >= mid)
        last_cross = (i - 1) + (mid - samples[i - 1]) / (x - samples[i - 1]);

      if (x < mid - hysteresis)
        low = TRUE;
      else if (low && x > mid + hysteresis && last_cross >= 0.0)
        {
          low = FALSE;
          if (n_edges == 0)
            first_edge = last_cross;
          last_edge = last_cross;
          n_edges++;
        }
    }

  if (n_edges >= 2 && last_edge > first_edge)
    {
      m->period = (last_edge - first_edge) / (n_edges - 1) / sample_rate;
      m->freq = 1.0 / m->period;
    }
}

/**
 * lablink_sim_scope_read_measurements:
 * @self: a scope
 * @channel: 1 to 4
 * @unix_usec: the time of the capture
 * @m: (out caller-allocates): the measurements of a fresh capture
 */
void
lablink_sim_scope_read_measurements (LablinkSimScope             *self,
                                     guint                        channel,
                                     gint64                       unix_usec,
                                     LablinkSimScopeMeasurements *m)
{
  double samples[LABLINK_SIM_SCOPE_N_SAMPLES];

  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  g_return_if_fail (valid_channel (channel));

  lablink_sim_scope_capture (self, channel, unix_usec, samples);
  lablink_sim_scope_measure (samples, LABLINK_SIM_SCOPE_N_SAMPLES, lablink_sim_scope_get_sample_rate (self), m);
}

/**
 * lablink_sim_scope_write_waveform:
 * @self: a scope
 * @w: a writer
 * @channel: 1 to 4
 * @unix_usec: the time of the capture
 * @flags: what to write beyond the metadata
 *
 * Writes a waveform object: `equipment_id, channel, timestamp, sample_rate,
 * time_scale, voltage_scale, voltage_offset, num_samples, data_id`, then
 * `voltage_data` (%LABLINK_SIM_SCOPE_WRITE_VOLTAGE_DATA) or `time_data,
 * voltage_data, trigger_time, pre_trigger_samples` (%LABLINK_SIM_SCOPE_WRITE_CAPTURE).
 */
void
lablink_sim_scope_write_waveform (LablinkSimScope           *self,
                                  LablinkSimJson            *w,
                                  guint                      channel,
                                  gint64                     unix_usec,
                                  LablinkSimScopeWriteFlags  flags)
{
  LablinkSimInstrument *instrument = LABLINK_SIM_INSTRUMENT (self);
  const LablinkSimScopeChannel *ch;
  g_autofree double *samples = NULL;
  g_autofree char *data_id = NULL;
  double sample_rate, dt;
  guint i;

  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  g_return_if_fail (valid_channel (channel));
  ch = &self->channels[channel - 1];

  sample_rate = lablink_sim_scope_get_sample_rate (self);
  data_id = g_strdup_printf ("waveform_%08x", g_rand_int (lablink_sim_instrument_get_rand (instrument)));

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "equipment_id", lablink_sim_instrument_get_id (instrument));
  lablink_sim_json_member_int (w, "channel", channel);
  lablink_sim_json_member_timestamp (w, "timestamp", unix_usec);
  lablink_sim_json_member_double (w, "sample_rate", sample_rate);
  lablink_sim_json_member_double (w, "time_scale", self->time_scale);
  lablink_sim_json_member_double (w, "voltage_scale", ch->voltage_scale);
  lablink_sim_json_member_double (w, "voltage_offset", 0.0);
  lablink_sim_json_member_int (w, "num_samples", LABLINK_SIM_SCOPE_N_SAMPLES);
  lablink_sim_json_member_string (w, "data_id", data_id);

  if (flags & (LABLINK_SIM_SCOPE_WRITE_VOLTAGE_DATA | LABLINK_SIM_SCOPE_WRITE_CAPTURE))
    {
      samples = g_new (double, LABLINK_SIM_SCOPE_N_SAMPLES);
      lablink_sim_scope_capture (self, channel, unix_usec, samples);
    }

  if (flags & LABLINK_SIM_SCOPE_WRITE_CAPTURE)
    {
      dt = 1.0 / sample_rate;
      lablink_sim_json_key (w, "time_data");
      lablink_sim_json_begin_array (w);
      for (i = 0; i < LABLINK_SIM_SCOPE_N_SAMPLES; i++)
        lablink_sim_json_double (w, i * dt);
      lablink_sim_json_end_array (w);
    }

  if (samples != NULL)
    {
      lablink_sim_json_key (w, "voltage_data");
      lablink_sim_json_begin_array (w);
      for (i = 0; i < LABLINK_SIM_SCOPE_N_SAMPLES; i++)
        lablink_sim_json_double (w, samples[i]);
      lablink_sim_json_end_array (w);
    }

  if (flags & LABLINK_SIM_SCOPE_WRITE_CAPTURE)
    {
      lablink_sim_json_member_null (w, "trigger_time");
      lablink_sim_json_member_null (w, "pre_trigger_samples");
    }

  lablink_sim_json_end_object (w);
}

/**
 * lablink_sim_scope_write_measurements:
 * @self: a scope
 * @w: a writer
 * @channel: 1 to 4
 * @unix_usec: the time of the capture
 *
 * Writes `{vpp, vmax, vmin, vavg, vrms, freq, period}` of a fresh capture.
 */
void
lablink_sim_scope_write_measurements (LablinkSimScope *self,
                                      LablinkSimJson  *w,
                                      guint            channel,
                                      gint64           unix_usec)
{
  LablinkSimScopeMeasurements m;

  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));

  lablink_sim_scope_read_measurements (self, channel, unix_usec, &m);

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_double (w, "vpp", m.vpp);
  lablink_sim_json_member_double (w, "vmax", m.vmax);
  lablink_sim_json_member_double (w, "vmin", m.vmin);
  lablink_sim_json_member_double (w, "vavg", m.vavg);
  lablink_sim_json_member_double (w, "vrms", m.vrms);
  lablink_sim_json_member_double (w, "freq", m.freq);
  lablink_sim_json_member_double (w, "period", m.period);
  lablink_sim_json_end_object (w);
}
