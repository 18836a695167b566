/* lablink-sim-scope-commands.c — the simulated scope's command API
 *
 * The commands of the real server's MockOscilloscope, with its parameter
 * names, defaults, answers and errors:
 *
 * | command | parameters | answer |
 * |---|---|---|
 * | `set_timebase` | `scale` (s/div, > 0), `offset` = 0 | `null` |
 * | `set_channel` | `channel`, `enabled` = true, `scale` = 1, `offset` = 0, `coupling` = "DC" | `null` |
 * | `trigger_run`, `trigger_stop`, `trigger_single` | — | `null` |
 * | `autoscale` | — | `null` (V/div = amplitude / 3 on enabled channels) |
 * | `get_measurements` | `channel` = 1 (must be enabled) | `{vpp, vmax, vmin, vavg, vrms, freq, period}` |
 *
 * Like the mock (Python keyword defaults), a `set_channel` that omits
 * `enabled`, `scale`, `offset` or `coupling` sets them to their defaults:
 * what works against the simulator works against the real server. The
 * `set_*` commands need the equipment lock (checked before they get here).
 *
 * Simulator-only: `get_waveform {channel}`, `get_settings` (everything the
 * scope is set to), and `set_channel`'s generator parameters `waveform`,
 * `frequency`, `amplitude` and `dc_offset` (kept when omitted).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <gio/gio.h>

#include "lablink-sim-scope-private.h"

static gboolean
channel_parameter (JsonObject  *parameters,
                   guint       *channel,
                   GError     **error)
{
  double value;

  if (!lablink_sim_json_object_get_number (parameters, "channel", &value) ||
      value != floor (value) || value < 1 || value > LABLINK_SIM_SCOPE_N_CHANNELS)
    {
      g_autofree char *text = NULL;

      if (parameters != NULL && json_object_has_member (parameters, "channel") &&
          lablink_sim_json_object_get_number (parameters, "channel", &value))
        text = g_strdup_printf ("%g", value);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid channel: %s", text != NULL ? text : "(missing)");
      return FALSE;
    }
  *channel = (guint) value;
  return TRUE;
}

/* channel = 1 when absent, as the mock's keyword default */
static gboolean
optional_channel (JsonObject  *parameters,
                  guint       *channel,
                  GError     **error)
{
  *channel = 1;
  if (parameters == NULL || !json_object_has_member (parameters, "channel"))
    return TRUE;
  return channel_parameter (parameters, channel, error);
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
require_enabled (LablinkSimScope  *self,
                 guint             channel,
                 GError          **error)
{
  if (lablink_sim_scope_is_enabled (self, channel))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Channel %u is not enabled", channel);
  return FALSE;
}

static gboolean
set_channel (LablinkSimScope  *self,
             JsonObject       *parameters,
             GError          **error)
{
  LablinkSimScopeChannel config;
  const char *text;
  guint channel;

  if (!channel_parameter (parameters, &channel, error))
    return FALSE;
  lablink_sim_scope_get_channel (self, channel, &config);

  /* The mock's keyword defaults. */
  config.enabled = TRUE;
  config.voltage_scale = 1.0;
  config.vertical_offset = 0.0;
  config.coupling = LABLINK_SIM_COUPLING_DC;

  if (json_object_has_member (parameters, "enabled") &&
      !lablink_sim_json_object_get_bool (parameters, "enabled", &config.enabled))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Invalid parameter: enabled");
      return FALSE;
    }
  if (!optional_number (parameters, "scale", 1e-6, 1000.0, &config.voltage_scale, error) ||
      !optional_number (parameters, "offset", -1000.0, 1000.0, &config.vertical_offset, error))
    return FALSE;
  text = lablink_sim_json_object_get_str (parameters, "coupling");
  if (json_object_has_member (parameters, "coupling") &&
      (text == NULL || !lablink_sim_coupling_from_string (text, &config.coupling)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Coupling must be DC, AC, or GND");
      return FALSE;
    }

  /* Simulator-only: the signal applied to the input. */
  text = lablink_sim_json_object_get_str (parameters, "waveform");
  if (text == NULL)
    text = lablink_sim_json_object_get_str (parameters, "waveform_type");
  if (text != NULL && !lablink_sim_wave_shape_from_string (text, &config.shape))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid waveform: %s (expected sine, square, triangle or noise)", text);
      return FALSE;
    }
  if (!optional_number (parameters, "frequency", 1e-3, 1e9, &config.frequency, error) ||
      !optional_number (parameters, "amplitude", 0.0, 1000.0, &config.amplitude, error) ||
      !optional_number (parameters, "dc_offset", -1000.0, 1000.0, &config.offset, error))
    return FALSE;

  lablink_sim_scope_set_channel (self, channel, &config);
  return TRUE;
}

static gboolean
set_timebase (LablinkSimScope  *self,
              JsonObject       *parameters,
              GError          **error)
{
  double scale = 0.0, offset = 0.0;

  if (parameters == NULL || !json_object_has_member (parameters, "scale"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Missing parameter: scale");
      return FALSE;
    }
  if (!lablink_sim_json_object_get_number (parameters, "scale", &scale) || !isfinite (scale))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Invalid parameter: scale");
      return FALSE;
    }
  if (scale <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Time scale must be positive");
      return FALSE;
    }
  if (!lablink_sim_instrument_require_number (parameters, "scale", 1e-9, 10.0, &scale, error) ||
      !optional_number (parameters, "offset", -1000.0, 1000.0, &offset, error))
    return FALSE;

  lablink_sim_scope_set_time_scale (self, scale);
  lablink_sim_scope_set_time_offset (self, offset);
  return TRUE;
}

/* Simulator-only: what the scope is set to, for a client that wants to show
 * the instrument's own state. */
static void
write_settings (LablinkSimScope *self,
                LablinkSimJson  *w)
{
  guint c;

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_double (w, "time_scale", lablink_sim_scope_get_time_scale (self));
  lablink_sim_json_member_double (w, "time_offset", lablink_sim_scope_get_time_offset (self));
  lablink_sim_json_member_string (w, "trigger_mode", lablink_sim_scope_get_trigger_mode (self));
  lablink_sim_json_member_boolean (w, "running", lablink_sim_scope_get_running (self));
  lablink_sim_json_member_int (w, "num_samples", lablink_sim_scope_get_n_points (self));
  lablink_sim_json_key (w, "channels");
  lablink_sim_json_begin_array (w);
  for (c = 1; c <= LABLINK_SIM_SCOPE_N_CHANNELS; c++)
    {
      LablinkSimScopeChannel ch;

      lablink_sim_scope_get_channel (self, c, &ch);
      lablink_sim_json_begin_object (w);
      lablink_sim_json_member_int (w, "channel", c);
      lablink_sim_json_member_boolean (w, "enabled", ch.enabled);
      lablink_sim_json_member_double (w, "scale", ch.voltage_scale);
      lablink_sim_json_member_double (w, "offset", ch.vertical_offset);
      lablink_sim_json_member_string (w, "coupling", lablink_sim_coupling_to_string (ch.coupling));
      lablink_sim_json_end_object (w);
    }
  lablink_sim_json_end_array (w);
  lablink_sim_json_end_object (w);
}

gboolean
lablink_sim_scope_execute (LablinkSimInstrument *instrument,
                           const char           *action,
                           JsonObject           *parameters,
                           LablinkSimJson       *data,
                           GError              **error)
{
  LablinkSimScope *self = LABLINK_SIM_SCOPE (instrument);
  guint channel;

  if (g_str_equal (action, "set_channel"))
    return set_channel (self, parameters, error);
  if (g_str_equal (action, "set_timebase"))
    return set_timebase (self, parameters, error);
  if (g_str_equal (action, "trigger_run"))
    {
      lablink_sim_scope_run (self);
      return TRUE;
    }
  if (g_str_equal (action, "trigger_stop"))
    {
      lablink_sim_scope_stop (self);
      return TRUE;
    }
  if (g_str_equal (action, "trigger_single"))
    {
      lablink_sim_scope_single (self);
      return TRUE;
    }
  if (g_str_equal (action, "autoscale"))
    {
      lablink_sim_scope_autoscale (self);
      return TRUE;
    }
  if (g_str_equal (action, "get_measurements"))
    {
      if (!optional_channel (parameters, &channel, error) || !require_enabled (self, channel, error))
        return FALSE;
      lablink_sim_scope_write_measurements (self, data, channel, g_get_real_time ());
      return TRUE;
    }
  if (g_str_equal (action, "get_waveform"))
    {
      if (!optional_channel (parameters, &channel, error) || !require_enabled (self, channel, error))
        return FALSE;
      lablink_sim_scope_write_waveform (self, data, channel, g_get_real_time (),
                                        LABLINK_SIM_SCOPE_WRITE_CAPTURE | LABLINK_SIM_SCOPE_WRITE_SETTINGS);
      return TRUE;
    }
  if (g_str_equal (action, "get_settings"))
    {
      write_settings (self, data);
      return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Unknown command: %s", action);
  return FALSE;
}
