/* lablink-sim-scope.c — a simulated 4-channel oscilloscope
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "lablink-sim-scope-private.h"

/* Front-end noise on every channel (1 sigma, volts). */
#define FRONT_END_NOISE 0.005
/* Gaussian noise of long records comes from a table of this many values. */
#define NOISE_TABLE_SIZE 4096
/* The record's ADC: 10 bits over the 10 vertical divisions. */
#define ADC_CODES 1024

/* One acquisition of one channel: what a stopped scope keeps showing. */
typedef struct {
  double *samples;
  gsize   n;
  gsize   allocated;
  gint64  unix_usec;
  char   *data_id;
  double  lsb;
  gboolean valid;
} ScopeRecord;

/**
 * LablinkSimScope:
 *
 * A MockScope-2000 with four channels, each fed by a generator (sine,
 * square, triangle or noise; frequency, peak amplitude, DC offset) and set
 * up like the real mock (enabled, V/div, offset, coupling). A record is
 * `n_points` (default 1000) over the 10 horizontal divisions, so the sample
 * rate is n_points / (10 × time_scale): the default 1 ms/div gives
 * 100 kSa/s, i.e. ten periods of the default 1 kHz sine. Records are
 * triggered on CH1's generator (its rising phase 0, at the screen's centre
 * plus the time offset) unless CH1 is noise, so that successive records
 * line up as on a real scope.
 *
 * Each sample is the signal as the coupling passes it (AC removes the DC
 * offset, GND gives 0 V) plus 5 mV front-end noise, clipped at ±5 divisions
 * of the channel's V/div and quantized with 10 bits over the 10 divisions,
 * plus the channel's offset (the real mock adds it to the data too).
 * Running, every read acquires anew; stopped, the last record of each
 * channel is sent again (same data_id and timestamp); `trigger_single`
 * acquires every enabled channel once at the next read, then stays stopped.
 * The measurements (vpp, vmax, vmin, vavg, vrms, freq, period) are computed
 * from the record.
 */
struct _LablinkSimScope
{
  LablinkSimInstrument parent_instance;

  LablinkSimScopeChannel channels[LABLINK_SIM_SCOPE_N_CHANNELS];
  double                 time_scale;
  double                 time_offset;
  guint                  n_points;
  guint                  read_ms;
  gboolean               running;
  gboolean               single;        /* trigger mode SINGLE (else AUTO) */
  gboolean               single_armed;  /* the single acquisition is still to come */

  ScopeRecord            records[LABLINK_SIM_SCOPE_N_CHANNELS];
  double                *noise;         /* NOISE_TABLE_SIZE values of sigma 1 */
  guint32                noise_state;
};

G_DEFINE_FINAL_TYPE (LablinkSimScope, lablink_sim_scope, LABLINK_SIM_TYPE_INSTRUMENT)

static const char * const shape_names[] = { "sine", "square", "triangle", "noise" };
static const char * const coupling_names[] = { "DC", "AC", "GND" };

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

const char *
lablink_sim_coupling_to_string (LablinkSimCoupling coupling)
{
  g_return_val_if_fail ((guint) coupling < G_N_ELEMENTS (coupling_names), "DC");
  return coupling_names[coupling];
}

/* Exactly "DC", "AC" or "GND", as the mock checks. */
gboolean
lablink_sim_coupling_from_string (const char         *text,
                                  LablinkSimCoupling *coupling)
{
  guint i;

  if (text == NULL)
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (coupling_names); i++)
    {
      if (g_str_equal (text, coupling_names[i]))
        {
          *coupling = (LablinkSimCoupling) i;
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
invalidate_records (LablinkSimScope *self)
{
  guint c;

  for (c = 0; c < LABLINK_SIM_SCOPE_N_CHANNELS; c++)
    self->records[c].valid = FALSE;
}

static void
lablink_sim_scope_write_capabilities (LablinkSimInstrument *instrument,
                                      LablinkSimJson       *w)
{
  LablinkSimScope *self = LABLINK_SIM_SCOPE (instrument);
  g_autofree char *depth = g_strdup_printf ("%upts", self->n_points);
  guint i;

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_int (w, "num_channels", LABLINK_SIM_SCOPE_N_CHANNELS);
  lablink_sim_json_member_string (w, "bandwidth", "200MHz");
  lablink_sim_json_member_string (w, "sample_rate", "1GSa/s");
  lablink_sim_json_member_string (w, "memory_depth", depth);
  lablink_sim_json_key (w, "waveform_types");
  lablink_sim_json_begin_array (w);
  for (i = 0; i < G_N_ELEMENTS (shape_names); i++)
    lablink_sim_json_string (w, shape_names[i]);
  lablink_sim_json_end_array (w);
  lablink_sim_json_end_object (w);
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
lablink_sim_scope_finalize (GObject *object)
{
  LablinkSimScope *self = LABLINK_SIM_SCOPE (object);
  guint c;

  for (c = 0; c < LABLINK_SIM_SCOPE_N_CHANNELS; c++)
    {
      g_free (self->records[c].samples);
      g_free (self->records[c].data_id);
    }
  g_free (self->noise);
  G_OBJECT_CLASS (lablink_sim_scope_parent_class)->finalize (object);
}

static void
lablink_sim_scope_class_init (LablinkSimScopeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LablinkSimInstrumentClass *instrument_class = LABLINK_SIM_INSTRUMENT_CLASS (klass);

  object_class->finalize = lablink_sim_scope_finalize;

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
    { LABLINK_SIM_WAVE_SINE, 1000.0, 1.0, 0.0, 1.0, TRUE, 0.0, LABLINK_SIM_COUPLING_DC },
    { LABLINK_SIM_WAVE_SQUARE, 500.0, 1.5, 1.5, 1.0, TRUE, 0.0, LABLINK_SIM_COUPLING_DC },
    { LABLINK_SIM_WAVE_TRIANGLE, 2000.0, 0.5, 0.0, 1.0, FALSE, 0.0, LABLINK_SIM_COUPLING_DC },
    { LABLINK_SIM_WAVE_NOISE, 1000.0, 0.2, 0.0, 1.0, FALSE, 0.0, LABLINK_SIM_COUPLING_DC },
  };

  memcpy (self->channels, defaults, sizeof defaults);
  self->time_scale = 0.001;
  self->n_points = LABLINK_SIM_SCOPE_N_SAMPLES;
  self->read_ms = LABLINK_SIM_SCOPE_READ_MS;
  self->running = TRUE;
}

/**
 * lablink_sim_scope_new:
 * @resource_string: (nullable): the resource string (default `MOCK::SCOPE::0`)
 * @seed: the seed of the noise
 *
 * Returns: (transfer full): a new scope: CH1 1 kHz sine 1 V, CH2 500 Hz
 *   square 0–3 V, CH3 (2 kHz triangle) and CH4 (noise) disabled; 1 V/div,
 *   DC, 1 ms/div, running
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
  LablinkSimScopeChannel *ch;

  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  g_return_if_fail (valid_channel (channel));
  g_return_if_fail (config != NULL);
  g_return_if_fail ((guint) config->shape < G_N_ELEMENTS (shape_names));
  g_return_if_fail ((guint) config->coupling < G_N_ELEMENTS (coupling_names));

  ch = &self->channels[channel - 1];
  *ch = *config;
  if (!(ch->voltage_scale > 0.0) || !isfinite (ch->voltage_scale))
    ch->voltage_scale = 1.0;
  if (!isfinite (ch->vertical_offset))
    ch->vertical_offset = 0.0;
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
 * lablink_sim_scope_set_time_offset:
 * @self: a scope
 * @seconds: where the screen's centre is, after the trigger
 */
void
lablink_sim_scope_set_time_offset (LablinkSimScope *self,
                                   double           seconds)
{
  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  g_return_if_fail (isfinite (seconds));

  self->time_offset = seconds;
}

double
lablink_sim_scope_get_time_offset (LablinkSimScope *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SCOPE (self), NAN);
  return self->time_offset;
}

/**
 * lablink_sim_scope_get_sample_rate:
 * @self: a scope
 *
 * Returns: n_points / (10 divisions × time_scale), in samples per second
 */
double
lablink_sim_scope_get_sample_rate (LablinkSimScope *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SCOPE (self), NAN);
  return self->n_points / (LABLINK_SIM_SCOPE_DIVISIONS * self->time_scale);
}

/**
 * lablink_sim_scope_set_n_points:
 * @self: a scope
 * @n_points: the record length, 2 to %LABLINK_SIM_SCOPE_MAX_POINTS
 */
void
lablink_sim_scope_set_n_points (LablinkSimScope *self,
                                guint            n_points)
{
  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  g_return_if_fail (n_points >= 2 && n_points <= LABLINK_SIM_SCOPE_MAX_POINTS);

  self->n_points = n_points;
  invalidate_records (self);
}

guint
lablink_sim_scope_get_n_points (LablinkSimScope *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SCOPE (self), 0);
  return self->n_points;
}

/**
 * lablink_sim_scope_set_read_ms:
 * @self: a scope
 * @read_ms: what reading a waveform takes: a waveform stream sends a frame
 *   every interval + @read_ms (default %LABLINK_SIM_SCOPE_READ_MS, as the
 *   real server)
 */
void
lablink_sim_scope_set_read_ms (LablinkSimScope *self,
                               guint            read_ms)
{
  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  self->read_ms = read_ms;
}

guint
lablink_sim_scope_get_read_ms (LablinkSimScope *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SCOPE (self), LABLINK_SIM_SCOPE_READ_MS);
  return self->read_ms;
}

/* trigger_run: trigger mode AUTO, acquiring */
void
lablink_sim_scope_run (LablinkSimScope *self)
{
  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  self->single = FALSE;
  self->single_armed = FALSE;
  self->running = TRUE;
}

/* trigger_stop: the last records stay (the mode is kept) */
void
lablink_sim_scope_stop (LablinkSimScope *self)
{
  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  self->running = FALSE;
  self->single_armed = FALSE;
}

/* trigger_single: trigger mode SINGLE, stopped; the next read acquires every
 * enabled channel once, and that record stays */
void
lablink_sim_scope_single (LablinkSimScope *self)
{
  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  self->single = TRUE;
  self->running = FALSE;
  self->single_armed = TRUE;
  invalidate_records (self);
}

gboolean
lablink_sim_scope_get_running (LablinkSimScope *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SCOPE (self), FALSE);
  return self->running;
}

/* "AUTO" or "SINGLE", as the mock's trigger_mode */
const char *
lablink_sim_scope_get_trigger_mode (LablinkSimScope *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SCOPE (self), "AUTO");
  return self->single ? "SINGLE" : "AUTO";
}

/* autoscale: as the mock, V/div = amplitude / 3 on every enabled channel */
void
lablink_sim_scope_autoscale (LablinkSimScope *self)
{
  guint c;

  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  for (c = 0; c < LABLINK_SIM_SCOPE_N_CHANNELS; c++)
    if (self->channels[c].enabled && self->channels[c].amplitude > 0.0)
      self->channels[c].voltage_scale = self->channels[c].amplitude / 3.0;
}

/* The generator's shape at a phase in [0, 1): in [-1, 1] */
static inline double
shape_value (LablinkSimWaveShape shape,
             double              phase)
{
  switch (shape)
    {
    case LABLINK_SIM_WAVE_SINE:
      return sin (2.0 * G_PI * phase);
    case LABLINK_SIM_WAVE_SQUARE:
      return phase < 0.5 ? 1.0 : -1.0;
    case LABLINK_SIM_WAVE_TRIANGLE:
      return 1.0 - 4.0 * fabs (phase - 0.5);
    case LABLINK_SIM_WAVE_NOISE:
    default:
      return 0.0;
    }
}

/**
 * lablink_sim_scope_value:
 * @self: a scope
 * @channel: 1 to 4
 * @t: simulated time in seconds
 *
 * Returns: the channel's instantaneous voltage at @t as its coupling passes
 *   it, front-end noise and the channel's offset included (not clipped)
 */
double
lablink_sim_scope_value (LablinkSimScope *self,
                         guint            channel,
                         double           t)
{
  LablinkSimInstrument *instrument = LABLINK_SIM_INSTRUMENT (self);
  const LablinkSimScopeChannel *ch;
  double cycles, v, signal;

  g_return_val_if_fail (LABLINK_SIM_IS_SCOPE (self), NAN);
  g_return_val_if_fail (valid_channel (channel), NAN);
  ch = &self->channels[channel - 1];

  cycles = ch->frequency * t;
  if (ch->shape == LABLINK_SIM_WAVE_NOISE)
    v = lablink_sim_instrument_gauss (instrument, 1.0);
  else
    v = shape_value (ch->shape, cycles - floor (cycles));

  switch (ch->coupling)
    {
    case LABLINK_SIM_COUPLING_AC:
      signal = ch->amplitude * v;
      break;
    case LABLINK_SIM_COUPLING_GND:
      signal = 0.0;
      break;
    case LABLINK_SIM_COUPLING_DC:
    default:
      signal = ch->offset + ch->amplitude * v;
      break;
    }

  return signal + lablink_sim_instrument_gauss (instrument, FRONT_END_NOISE) + ch->vertical_offset;
}

static inline double
noise_next (LablinkSimScope *self)
{
  guint32 x = self->noise_state;

  /* xorshift32 over the table of Gaussian values */
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  self->noise_state = x;
  return self->noise[x & (NOISE_TABLE_SIZE - 1)];
}

/* The record's start in simulated time: triggered on CH1's generator at the
 * screen's centre plus the time offset. */
static double
record_start (LablinkSimScope *self,
              double           t)
{
  const LablinkSimScopeChannel *trigger = &self->channels[0];
  double half = LABLINK_SIM_SCOPE_DIVISIONS / 2.0 * self->time_scale;
  double t_trigger = t + half;

  if (trigger->shape != LABLINK_SIM_WAVE_NOISE && trigger->coupling != LABLINK_SIM_COUPLING_GND &&
      trigger->frequency > 0.0 && trigger->amplitude > 0.0)
    t_trigger = ceil (t * trigger->frequency) / trigger->frequency;
  return t_trigger + self->time_offset - half;
}

/* Acquires @channel into @record (n_points at the sample rate). */
static void
fill_record (LablinkSimScope *self,
             guint            channel,
             gint64           unix_usec,
             ScopeRecord     *record)
{
  LablinkSimInstrument *instrument = LABLINK_SIM_INSTRUMENT (self);
  const LablinkSimScopeChannel *ch = &self->channels[channel - 1];
  double t0, dt, cycles0, dcycles, lsb, dc, amplitude;
  double lo_code = -(ADC_CODES / 2), hi_code = ADC_CODES / 2 - 1;
  gsize i, n = self->n_points;

  if (self->noise == NULL)
    {
      self->noise = g_new (double, NOISE_TABLE_SIZE);
      for (i = 0; i < NOISE_TABLE_SIZE; i++)
        self->noise[i] = lablink_sim_instrument_gauss (instrument, 1.0);
    }
  self->noise_state = g_rand_int (lablink_sim_instrument_get_rand (instrument)) | 1;

  if (record->allocated < n)
    {
      g_free (record->samples);
      record->samples = g_new (double, n);
      record->allocated = n;
    }
  record->n = n;
  record->unix_usec = unix_usec;
  record->valid = TRUE;
  g_free (record->data_id);
  record->data_id = g_strdup_printf ("waveform_%08x", g_rand_int (lablink_sim_instrument_get_rand (instrument)));

  dt = 1.0 / lablink_sim_scope_get_sample_rate (self);
  t0 = record_start (self, lablink_sim_instrument_time (instrument, unix_usec));
  cycles0 = ch->frequency * t0;
  cycles0 -= floor (cycles0);
  dcycles = ch->frequency * dt;
  lsb = LABLINK_SIM_SCOPE_DIVISIONS * ch->voltage_scale / ADC_CODES;
  record->lsb = lsb;
  dc = ch->coupling == LABLINK_SIM_COUPLING_DC ? ch->offset : 0.0;
  amplitude = ch->coupling == LABLINK_SIM_COUPLING_GND ? 0.0 : ch->amplitude;

  for (i = 0; i < n; i++)
    {
      double v, code;

      if (ch->shape == LABLINK_SIM_WAVE_NOISE)
        v = noise_next (self);
      else
        {
          double cycles = cycles0 + i * dcycles;

          v = shape_value (ch->shape, cycles - floor (cycles));
        }
      v = dc + amplitude * v + FRONT_END_NOISE * noise_next (self);
      code = CLAMP (nearbyint (v / lsb), lo_code, hi_code);
      record->samples[i] = code * lsb + ch->vertical_offset;
    }
}

/**
 * lablink_sim_scope_acquire:
 * @self: a scope
 * @channel: 1 to 4
 * @unix_usec: now
 * @n_samples: (out): the record's length
 * @acquired_usec: (out) (optional): when the record was acquired
 * @data_id: (out) (optional) (transfer none): its id
 *
 * Reads @channel's record: a fresh one while running, the kept one when
 * stopped (a single acquisition takes every enabled channel at once).
 *
 * Returns: (transfer none) (array length=n_samples): the samples, valid
 *   until the next read of @channel
 */
const double *
lablink_sim_scope_acquire (LablinkSimScope *self,
                           guint            channel,
                           gint64           unix_usec,
                           gsize           *n_samples,
                           gint64          *acquired_usec,
                           const char     **data_id)
{
  ScopeRecord *record;

  g_return_val_if_fail (LABLINK_SIM_IS_SCOPE (self), NULL);
  g_return_val_if_fail (valid_channel (channel), NULL);

  record = &self->records[channel - 1];
  if (record->valid && record->n != self->n_points)
    record->valid = FALSE;

  if (self->running)
    fill_record (self, channel, unix_usec, record);
  else if (!record->valid)
    {
      if (self->single_armed)
        {
          guint c;

          /* the single acquisition: every enabled channel at once */
          for (c = 1; c <= LABLINK_SIM_SCOPE_N_CHANNELS; c++)
            if (c == channel || self->channels[c - 1].enabled)
              fill_record (self, c, unix_usec, &self->records[c - 1]);
          self->single_armed = FALSE;
        }
      else
        fill_record (self, channel, unix_usec, record);
    }

  *n_samples = record->n;
  if (acquired_usec != NULL)
    *acquired_usec = record->unix_usec;
  if (data_id != NULL)
    *data_id = record->data_id;
  return record->samples;
}

/**
 * lablink_sim_scope_capture:
 * @self: a scope
 * @channel: 1 to 4
 * @unix_usec: the time of the first point
 * @samples: (out caller-allocates) (array): n_points values
 *
 * Acquires a fresh record of n_points (whether running or not).
 */
void
lablink_sim_scope_capture (LablinkSimScope *self,
                           guint            channel,
                           gint64           unix_usec,
                           double          *samples)
{
  ScopeRecord record = { 0 };

  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  g_return_if_fail (valid_channel (channel));
  g_return_if_fail (samples != NULL);

  record.samples = samples;
  record.allocated = self->n_points;
  fill_record (self, channel, unix_usec, &record);
  g_free (record.data_id);
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
 * @m: (out caller-allocates): the measurements of the channel's record
 */
void
lablink_sim_scope_read_measurements (LablinkSimScope             *self,
                                     guint                        channel,
                                     gint64                       unix_usec,
                                     LablinkSimScopeMeasurements *m)
{
  const double *samples;
  gsize n = 0;

  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  g_return_if_fail (valid_channel (channel));

  samples = lablink_sim_scope_acquire (self, channel, unix_usec, &n, NULL, NULL);
  lablink_sim_scope_measure (samples, n, lablink_sim_scope_get_sample_rate (self), m);
}

/* The LSB of @channel's record (as acquired, whatever the V/div now). */
double
lablink_sim_scope_get_record_lsb (LablinkSimScope *self,
                                  guint            channel)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SCOPE (self), NAN);
  g_return_val_if_fail (valid_channel (channel), NAN);
  return self->records[channel - 1].lsb;
}
