/* lablink-sim-scope-json.c — the simulated scope's JSON: waveform and
 * measurement objects
 *
 * A waveform object is the real mock's WaveformData (plus, where asked, the
 * simulator's settings), its `voltage_data` written at the resolution of
 * the record's LSB: short and exact, so that 1M points stay within the
 * client's default 16 MiB frame limit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-json-private.h"
#include "lablink-sim-scope-private.h"

/* Appends @value rounded to @decimals (1…9) places, trailing zeros dropped
 * but one ("1.0", "-0.0125"): short, exact for the quantized samples. */
static void
append_fixed (GString *out,
              double   value,
              guint    decimals,
              gint64   pow10)
{
  char buf[48];
  char *p = buf + sizeof buf;
  gint64 k = llround (fabs (value) * (double) pow10);
  gint64 ip = k / pow10, fp = k % pow10;
  guint d = decimals;

  /* fraction, least significant first, trailing zeros dropped */
  while (d > 1 && fp % 10 == 0)
    {
      fp /= 10;
      d--;
    }
  while (d-- > 0)
    {
      *--p = (char) ('0' + fp % 10);
      fp /= 10;
    }
  *--p = '.';
  do
    {
      *--p = (char) ('0' + ip % 10);
      ip /= 10;
    }
  while (ip > 0);
  if (value < 0 && k != 0)
    *--p = '-';
  g_string_append_len (out, p, buf + sizeof buf - p);
}

/* `voltage_data`: values at the resolution of the record's LSB. */
static void
write_samples (LablinkSimJson *w,
               const double   *samples,
               gsize           n,
               double          lsb)
{
  const char *separator = w->python_style ? ", " : ",";
  guint decimals;
  gint64 pow10 = 1;
  gsize i;

  decimals = (guint) CLAMP (ceil (-log10 (lsb)) + 1, 1, 9);

  /* Within the client's default frame limit (16 MiB) even with a large
   * offset on a fine V/div: fewer decimals then. */
  {
    double max_abs = 0.0;
    guint width;

    for (i = 0; i < n; i++)
      if (isfinite (samples[i]))
        max_abs = MAX (max_abs, fabs (samples[i]));
    width = (max_abs >= 1.0 ? (guint) floor (log10 (max_abs)) + 1 : 1) + decimals + 4;
    while (decimals > 1 && (double) n * width > 15.0 * 1024 * 1024)
      {
        decimals--;
        width--;
      }
  }
  for (i = 0; i < decimals; i++)
    pow10 *= 10;

  lablink_sim_json_key (w, "voltage_data");
  lablink_sim_json_begin_array (w);
  for (i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (w->out, separator);
      if (isfinite (samples[i]) && fabs (samples[i]) * (double) pow10 < 9e15)
        append_fixed (w->out, samples[i], decimals, pow10);
      else
        lablink_json_append_double (w->out, samples[i], w->bare_nonfinite);
    }
  lablink_sim_json_end_array (w);
}

/* The simulator's extras: what the scope is set to beyond the mock's
 * WaveformData (a client uses them when present). */
static void
write_settings (LablinkSimScope *self,
                LablinkSimJson  *w,
                guint            channel)
{
  LablinkSimScopeChannel ch;
  guint c;

  lablink_sim_scope_get_channel (self, channel, &ch);
  lablink_sim_json_member_double (w, "time_offset", lablink_sim_scope_get_time_offset (self));
  lablink_sim_json_member_string (w, "coupling", lablink_sim_coupling_to_string (ch.coupling));
  lablink_sim_json_member_string (w, "trigger_mode", lablink_sim_scope_get_trigger_mode (self));
  lablink_sim_json_member_boolean (w, "running", lablink_sim_scope_get_running (self));
  lablink_sim_json_key (w, "enabled_channels");
  lablink_sim_json_begin_array (w);
  for (c = 1; c <= LABLINK_SIM_SCOPE_N_CHANNELS; c++)
    if (lablink_sim_scope_is_enabled (self, c))
      lablink_sim_json_int (w, c);
  lablink_sim_json_end_array (w);
}

/**
 * lablink_sim_scope_write_waveform:
 * @self: a scope
 * @w: a writer
 * @channel: 1 to 4
 * @unix_usec: now
 * @flags: what to write beyond the metadata
 *
 * Reads the channel's record (lablink_sim_scope_acquire()) and writes a
 * waveform object: `equipment_id, channel, timestamp (of the acquisition),
 * sample_rate, time_scale, voltage_scale, voltage_offset, num_samples,
 * data_id`, then the simulator's settings
 * (%LABLINK_SIM_SCOPE_WRITE_SETTINGS: `time_offset, coupling, trigger_mode,
 * running, enabled_channels`), then `voltage_data`
 * (%LABLINK_SIM_SCOPE_WRITE_VOLTAGE_DATA) or `time_data, voltage_data,
 * trigger_time, pre_trigger_samples` (%LABLINK_SIM_SCOPE_WRITE_CAPTURE).
 */
void
lablink_sim_scope_write_waveform (LablinkSimScope           *self,
                                  LablinkSimJson            *w,
                                  guint                      channel,
                                  gint64                     unix_usec,
                                  LablinkSimScopeWriteFlags  flags)
{
  LablinkSimInstrument *instrument = LABLINK_SIM_INSTRUMENT (self);
  LablinkSimScopeChannel ch;
  const double *samples;
  const char *data_id = NULL;
  gint64 acquired = unix_usec;
  double sample_rate, dt;
  gsize i, n = 0;

  g_return_if_fail (LABLINK_SIM_IS_SCOPE (self));
  g_return_if_fail (channel >= 1 && channel <= LABLINK_SIM_SCOPE_N_CHANNELS);
  lablink_sim_scope_get_channel (self, channel, &ch);

  samples = lablink_sim_scope_acquire (self, channel, unix_usec, &n, &acquired, &data_id);
  sample_rate = lablink_sim_scope_get_sample_rate (self);

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "equipment_id", lablink_sim_instrument_get_id (instrument));
  lablink_sim_json_member_int (w, "channel", channel);
  lablink_sim_json_member_timestamp (w, "timestamp", acquired);
  lablink_sim_json_member_double (w, "sample_rate", sample_rate);
  lablink_sim_json_member_double (w, "time_scale", lablink_sim_scope_get_time_scale (self));
  lablink_sim_json_member_double (w, "voltage_scale", ch.voltage_scale);
  lablink_sim_json_member_double (w, "voltage_offset", ch.vertical_offset);
  lablink_sim_json_member_int (w, "num_samples", (gint64) n);
  lablink_sim_json_member_string (w, "data_id", data_id);

  if (flags & LABLINK_SIM_SCOPE_WRITE_SETTINGS)
    write_settings (self, w, channel);

  if (flags & LABLINK_SIM_SCOPE_WRITE_CAPTURE)
    {
      dt = 1.0 / sample_rate;
      lablink_sim_json_key (w, "time_data");
      lablink_sim_json_begin_array (w);
      for (i = 0; i < n; i++)
        lablink_sim_json_double (w, i * dt);
      lablink_sim_json_end_array (w);
    }

  if (flags & (LABLINK_SIM_SCOPE_WRITE_VOLTAGE_DATA | LABLINK_SIM_SCOPE_WRITE_CAPTURE))
    write_samples (w, samples, n, lablink_sim_scope_get_record_lsb (self, channel));

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
 * @unix_usec: now
 *
 * Writes `{vpp, vmax, vmin, vavg, vrms, freq, period}` of the channel's record.
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
