/* lablink-sim-acquisition-json.c — how a simulated acquisition is written:
 * its status, config, stats, data, summary and stream frames in LabLink's JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-sim-acquisition-private.h"

static void
write_channel_map_double (LablinkSimAcquisition *self,
                          LablinkSimJson        *w,
                          const char            *key,
                          guint                  which)
{
  guint i;
  gboolean ended = (self->state == LABLINK_SIM_ACQUISITION_STOPPED ||
                    self->state == LABLINK_SIM_ACQUISITION_ERROR);

  lablink_sim_json_key (w, key);
  lablink_sim_json_begin_object (w);
  if (ended && self->total_samples > 0)
    {
      for (i = 0; i < self->n_channels; i++)
        {
          const ChannelStats *st = &self->stats[i];
          double v;

          switch (which)
            {
            case 0:
              v = st->min;
              break;
            case 1:
              v = st->max;
              break;
            default:
              v = st->sum / (double) self->total_samples;
              break;
            }
          lablink_sim_json_member_double (w, self->channels[i], v);
        }
    }
  lablink_sim_json_end_object (w);
}

/**
 * lablink_sim_acquisition_write_stats:
 * @self: an acquisition
 * @w: a writer
 *
 * Writes the `stats` object. end_time, duration_seconds, actual_sample_rate
 * and the min/max/mean maps are filled only once the acquisition has ended.
 */
void
lablink_sim_acquisition_write_stats (LablinkSimAcquisition *self,
                                     LablinkSimJson        *w)
{
  gboolean ended;
  guint i;

  g_return_if_fail (LABLINK_SIM_IS_ACQUISITION (self));

  ended = (self->state == LABLINK_SIM_ACQUISITION_STOPPED || self->state == LABLINK_SIM_ACQUISITION_ERROR) &&
          self->started_at != 0;

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_int (w, "total_samples", (gint64) self->total_samples);
  lablink_sim_json_key (w, "samples_per_channel");
  lablink_sim_json_begin_object (w);
  if (self->total_samples > 0)
    for (i = 0; i < self->n_channels; i++)
      lablink_sim_json_member_int (w, self->channels[i], (gint64) self->total_samples);
  lablink_sim_json_end_object (w);
  lablink_sim_json_member_timestamp_or_null (w, "start_time", self->started_at);
  lablink_sim_json_member_timestamp_or_null (w, "end_time", ended ? self->stopped_at : 0);
  if (ended)
    {
      double duration = (double) (self->stopped_at - self->started_at) / G_USEC_PER_SEC;

      lablink_sim_json_member_double (w, "duration_seconds", duration);
      if (duration > 0.0)
        lablink_sim_json_member_double (w, "actual_sample_rate", self->total_samples / duration);
      else
        lablink_sim_json_member_null (w, "actual_sample_rate");
    }
  else
    {
      lablink_sim_json_member_null (w, "duration_seconds");
      lablink_sim_json_member_null (w, "actual_sample_rate");
    }
  lablink_sim_json_member_int (w, "buffer_overruns", (gint64) self->buffer_overruns);
  write_channel_map_double (self, w, "min_values", 0);
  write_channel_map_double (self, w, "max_values", 1);
  write_channel_map_double (self, w, "mean_values", 2);
  lablink_sim_json_end_object (w);
}

/* Writes the timestamps of buffered samples first … first + n - 1 (in
 * buffer order) as strings. Formatting a naive local time costs a time zone
 * lookup per call (about 10 µs, most of a 100 kSa/s window's cost), so the
 * text up to the seconds is formatted once per second and reused: only the
 * microseconds change. A spelling not ending in `.` and six digits is never
 * reused. */
static void
write_timestamps (LablinkSimAcquisition *self,
                  LablinkSimJson        *w,
                  guint                  first,
                  guint                  n)
{
  gint64 cached_sec = G_MININT64;
  char text[96];
  gsize prefix_len = 0;
  guint i;

  for (i = 0; i < n; i++)
    {
      gint64 t = self->times[(self->head + first + i) % self->buffer_size];
      gint64 sec = t >= 0 ? t / G_USEC_PER_SEC : -((-t + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
      gint usec = (gint) (t - sec * G_USEC_PER_SEC);

      if (sec == cached_sec)
        {
          g_snprintf (text + prefix_len, sizeof text - prefix_len, ".%06d", usec);
          lablink_sim_json_string (w, text);
        }
      else
        {
          gsize before = w->out->len;
          const char *start, *dot, *end;

          lablink_sim_json_timestamp (w, t);
          cached_sec = G_MININT64;
          start = strchr (w->out->str + before, '"');
          if (start == NULL)
            continue;
          start++;
          end = w->out->str + w->out->len - 1;   /* the closing quote */
          dot = end - 7;
          if (*end == '"' && dot > start && *dot == '.' && (gsize) (dot - start) < sizeof text - 8 &&
              strspn (dot + 1, "0123456789") == 6 && memchr (start, '\\', (gsize) (end - start)) == NULL)
            {
              prefix_len = (gsize) (dot - start);
              memcpy (text, start, prefix_len);
              cached_sec = sec;
            }
        }
    }
}

/**
 * lablink_sim_acquisition_write_window:
 * @self: an acquisition
 * @w: a writer
 * @max_samples: the window size (0 = everything buffered)
 *
 * Writes `{"timestamps":[…],"values":{"CH1":[…],…},"count":N}` with the
 * latest @max_samples buffered samples, or `null` if the buffer is empty.
 */
void
lablink_sim_acquisition_write_window (LablinkSimAcquisition *self,
                                      LablinkSimJson        *w,
                                      guint                  max_samples)
{
  guint n, first, i, c;

  g_return_if_fail (LABLINK_SIM_IS_ACQUISITION (self));

  if (self->length == 0)
    {
      lablink_sim_json_null (w);
      return;
    }

  n = (max_samples == 0) ? self->length : MIN (max_samples, self->length);
  first = self->length - n;

  lablink_sim_json_begin_object (w);
  lablink_sim_json_key (w, "timestamps");
  lablink_sim_json_begin_array (w);
  write_timestamps (self, w, first, n);
  lablink_sim_json_end_array (w);
  lablink_sim_json_key (w, "values");
  lablink_sim_json_begin_object (w);
  for (c = 0; c < self->n_channels; c++)
    {
      lablink_sim_json_key (w, self->channels[c]);
      lablink_sim_json_begin_array (w);
      for (i = 0; i < n; i++)
        {
          guint slot = (self->head + first + i) % self->buffer_size;

          lablink_sim_json_double (w, self->values[(gsize) slot * self->n_channels + c]);
        }
      lablink_sim_json_end_array (w);
    }
  lablink_sim_json_end_object (w);
  lablink_sim_json_member_int (w, "count", n);
  lablink_sim_json_end_object (w);
}

/**
 * lablink_sim_acquisition_write_data:
 * @self: an acquisition
 * @w: a writer
 * @max_samples: the latest samples to return (0 = everything buffered)
 *
 * Writes `GET /api/acquisition/session/{id}/data`.
 */
void
lablink_sim_acquisition_write_data (LablinkSimAcquisition *self,
                                    LablinkSimJson        *w,
                                    guint                  max_samples)
{
  guint n, first, i, c;

  g_return_if_fail (LABLINK_SIM_IS_ACQUISITION (self));

  n = (max_samples == 0) ? self->length : MIN (max_samples, self->length);
  first = self->length - n;

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "acquisition_id", self->id);
  lablink_sim_json_key (w, "channels");
  lablink_sim_json_begin_array (w);
  for (c = 0; c < self->n_channels; c++)
    lablink_sim_json_string (w, self->channels[c]);
  lablink_sim_json_end_array (w);
  lablink_sim_json_key (w, "data");
  lablink_sim_json_begin_object (w);
  lablink_sim_json_key (w, "timestamps");
  lablink_sim_json_begin_array (w);
  write_timestamps (self, w, first, n);
  lablink_sim_json_end_array (w);
  lablink_sim_json_key (w, "values");
  lablink_sim_json_begin_object (w);
  for (c = 0; c < self->n_channels; c++)
    {
      lablink_sim_json_key (w, self->channels[c]);
      lablink_sim_json_begin_array (w);
      for (i = 0; i < n; i++)
        {
          guint slot = (self->head + first + i) % self->buffer_size;

          lablink_sim_json_double (w, self->values[(gsize) slot * self->n_channels + c]);
        }
      lablink_sim_json_end_array (w);
    }
  lablink_sim_json_end_object (w);
  lablink_sim_json_end_object (w);
  lablink_sim_json_member_int (w, "count", n);
  lablink_sim_json_end_object (w);
}

static void
write_config (LablinkSimAcquisition *self,
              LablinkSimJson        *w)
{
  guint c;

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "acquisition_id", self->id);
  lablink_sim_json_member_string (w, "equipment_id", lablink_sim_instrument_get_id (self->instrument));
  lablink_sim_json_member_string (w, "name", self->name);
  lablink_sim_json_member_string (w, "description", self->description);
  lablink_sim_json_member_string (w, "mode", mode_names[self->mode]);
  lablink_sim_json_member_double (w, "sample_rate", self->sample_rate);
  if (self->num_samples > 0)
    lablink_sim_json_member_int (w, "num_samples", self->num_samples);
  else
    lablink_sim_json_member_null (w, "num_samples");
  if (self->duration_seconds > 0.0)
    lablink_sim_json_member_double (w, "duration_seconds", self->duration_seconds);
  else
    lablink_sim_json_member_null (w, "duration_seconds");
  lablink_sim_json_key (w, "channels");
  lablink_sim_json_begin_array (w);
  for (c = 0; c < self->n_channels; c++)
    lablink_sim_json_string (w, self->channels[c]);
  lablink_sim_json_end_array (w);
  lablink_sim_json_key (w, "trigger_config");
  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "trigger_type", trigger_names[self->trigger_type]);
  if (self->has_trigger_level)
    lablink_sim_json_member_double (w, "level", self->trigger_level);
  else
    lablink_sim_json_member_null (w, "level");
  lablink_sim_json_member_string (w, "edge", self->has_trigger_edge ? edge_names[self->trigger_edge] : NULL);
  lablink_sim_json_member_string (w, "channel", self->trigger_channel);
  lablink_sim_json_member_int (w, "pre_trigger_samples", 0);
  lablink_sim_json_end_object (w);
  lablink_sim_json_member_int (w, "buffer_size", self->buffer_size);
  lablink_sim_json_member_boolean (w, "auto_export", FALSE);
  lablink_sim_json_member_string (w, "export_format", "csv");
  lablink_sim_json_member_null (w, "export_path");
  lablink_sim_json_key (w, "metadata");
  lablink_sim_json_begin_object (w);
  lablink_sim_json_end_object (w);
  lablink_sim_json_end_object (w);
}

/**
 * lablink_sim_acquisition_write_status:
 * @self: an acquisition
 * @w: a writer
 *
 * Writes `GET /api/acquisition/session/{id}/status`.
 */
void
lablink_sim_acquisition_write_status (LablinkSimAcquisition *self,
                                      LablinkSimJson        *w)
{
  g_return_if_fail (LABLINK_SIM_IS_ACQUISITION (self));

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "acquisition_id", self->id);
  lablink_sim_json_member_string (w, "equipment_id", lablink_sim_instrument_get_id (self->instrument));
  lablink_sim_json_member_string (w, "state", state_names[self->state]);
  lablink_sim_json_key (w, "config");
  write_config (self, w);
  lablink_sim_json_key (w, "stats");
  lablink_sim_acquisition_write_stats (self, w);
  lablink_sim_json_member_timestamp (w, "created_at", self->created_at);
  lablink_sim_json_member_timestamp_or_null (w, "started_at", self->started_at);
  lablink_sim_json_member_timestamp_or_null (w, "stopped_at",
                                             self->state == LABLINK_SIM_ACQUISITION_STOPPED ? self->stopped_at : 0);
  lablink_sim_json_end_object (w);
}

/**
 * lablink_sim_acquisition_write_summary:
 * @self: an acquisition
 * @w: a writer
 *
 * Writes the acquisition's entry of `GET /api/acquisition/sessions`.
 */
void
lablink_sim_acquisition_write_summary (LablinkSimAcquisition *self,
                                       LablinkSimJson        *w)
{
  g_return_if_fail (LABLINK_SIM_IS_ACQUISITION (self));

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "acquisition_id", self->id);
  lablink_sim_json_member_string (w, "equipment_id", lablink_sim_instrument_get_id (self->instrument));
  lablink_sim_json_member_string (w, "name", self->name);
  lablink_sim_json_member_string (w, "state", state_names[self->state]);
  lablink_sim_json_member_string (w, "mode", mode_names[self->mode]);
  lablink_sim_json_member_timestamp (w, "created_at", self->created_at);
  lablink_sim_json_member_int (w, "total_samples", (gint64) self->total_samples);
  lablink_sim_json_end_object (w);
}

/**
 * lablink_sim_acquisition_write_stream_frame:
 * @self: an acquisition
 * @w: a writer (Python style for the WebSocket)
 * @max_samples: the window size
 *
 * Writes a whole `acquisition_stream` frame.
 */
void
lablink_sim_acquisition_write_stream_frame (LablinkSimAcquisition *self,
                                            LablinkSimJson        *w,
                                            guint                  max_samples)
{
  g_return_if_fail (LABLINK_SIM_IS_ACQUISITION (self));

  lablink_sim_acquisition_tick (self);

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "type", "acquisition_stream");
  lablink_sim_json_member_string (w, "acquisition_id", self->id);
  lablink_sim_json_member_string (w, "state", state_names[self->state]);
  lablink_sim_json_key (w, "stats");
  lablink_sim_acquisition_write_stats (self, w);
  lablink_sim_json_key (w, "data");
  lablink_sim_acquisition_write_window (self, w, max_samples == 0 ? 100 : max_samples);
  lablink_sim_json_end_object (w);
}
