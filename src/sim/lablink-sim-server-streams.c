/* lablink-sim-server-streams.c — the simulated server's streams: the client
 * requests that start and stop them, and the global tasks that send the frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <lablink.h>

#include "lablink-sim-scope.h"
#include "lablink-sim-server-private.h"

/* Simulated instrument read times: a stream's cadence is its interval plus
 * this, like the real server's (100 ms → ~111 ms readings, ~150 ms waveform
 * (the scope's read time, LABLINK_SIM_SCOPE_READ_MS unless set), 200 ms →
 * ~300 ms measurements). */
#define READ_MS_READINGS     11
#define READ_MS_MEASUREMENTS 100

struct _SimStream
{
  LablinkSimServer *server;
  char             *key;
  char             *equipment_id;
  char             *stream_type;
  char             *acquisition_id;
  guint             interval_ms;
  guint             read_ms;
  guint             num_samples;
  gint64            first_data;   /* when its acquisition had samples first (monotonic) */
  GSource          *source;
};

/* ------------------------------------------------------------------------ */
/* Streams                                                                   */

void
lablink_sim_stream_free (SimStream *stream)
{
  lablink_sim_clear_source (&stream->source);
  g_free (stream->key);
  g_free (stream->equipment_id);
  g_free (stream->stream_type);
  g_free (stream->acquisition_id);
  g_free (stream);
}

static gboolean stream_fire_cb (gpointer user_data);

static void
stream_schedule (SimStream *stream,
                 guint      delay_ms)
{
  lablink_sim_clear_source (&stream->source);
  stream->source = lablink_sim_server_attach_timeout (stream->server, delay_ms, stream_fire_cb, stream,
                                                      "[lablink-sim] stream");
}

static GString *
build_stream_data (LablinkSimServer     *self,
                   LablinkSimInstrument *instrument,
                   const char           *stream_type,
                   guint                 channel)
{
  GString *out = g_string_sized_new (512);
  LablinkSimJson w;
  gint64 now = g_get_real_time ();

  lablink_sim_server_init_ws_writer (self, &w, out);
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "type", "stream_data");
  lablink_sim_json_member_string (&w, "equipment_id", lablink_sim_instrument_get_id (instrument));
  lablink_sim_json_member_string (&w, "stream_type", stream_type);
  lablink_sim_json_key (&w, "data");
  if (g_str_equal (stream_type, LABLINK_STREAM_READINGS))
    lablink_sim_instrument_write_readings (instrument, &w, 1, now);
  else if (g_str_equal (stream_type, LABLINK_STREAM_WAVEFORM))
    lablink_sim_scope_write_waveform (LABLINK_SIM_SCOPE (instrument), &w, channel, now,
                                      self->compat ? LABLINK_SIM_SCOPE_WRITE_METADATA
                                                   : LABLINK_SIM_SCOPE_WRITE_VOLTAGE_DATA |
                                                     LABLINK_SIM_SCOPE_WRITE_SETTINGS);
  else
    lablink_sim_scope_write_measurements (LABLINK_SIM_SCOPE (instrument), &w, channel, now);
  lablink_sim_json_end_object (&w);
  return out;
}

/* Stamps @out, a JSON object just written, with its send time: a top-level
 * "sent_at_us" (wall clock, µs since the Unix epoch) that real servers do
 * not send, taken as the frame leaves, after it was built. Clients that
 * know it measure the time from send to screen (lablink_message_get_sent_time());
 * others ignore unknown members. Only when asked
 * (lablink_sim_server_set_stamp_send_time(): the monitor's demo), never in
 * compat mode. */
static void
stamp_sent_time (LablinkSimServer *self,
                 GString          *out)
{
  if (!self->stamp_send_time || self->compat || out->len < 2 || out->str[out->len - 1] != '}')
    return;
  g_string_truncate (out, out->len - 1);
  g_string_append_printf (out, ",\"sent_at_us\":%" G_GINT64_FORMAT "}", g_get_real_time ());
}

/* Sends @out (taken), stamped when asked. */
static void
broadcast_frame (LablinkSimServer *self,
                 GString          *out)
{
  stamp_sent_time (self, out);
  lablink_sim_server_broadcast_string (self, out);
}

/* A stream's frames of one cycle: one, except for the scope. Its waveform
 * stream sends a frame per enabled channel (the real server reads channel 1
 * only, as --lablink-compat does); a channel that is not enabled fails on
 * the real server, so sends nothing. */
static void
broadcast_stream_data (LablinkSimServer     *self,
                       LablinkSimInstrument *instrument,
                       const char           *stream_type)
{
  guint channel, last = 1;

  if (!LABLINK_SIM_IS_SCOPE (instrument))
    {
      broadcast_frame (self, build_stream_data (self, instrument, stream_type, 1));
      return;
    }

  if (g_str_equal (stream_type, LABLINK_STREAM_WAVEFORM) && !self->compat)
    last = LABLINK_SIM_SCOPE_N_CHANNELS;
  for (channel = 1; channel <= last; channel++)
    if (lablink_sim_scope_is_enabled (LABLINK_SIM_SCOPE (instrument), channel))
      broadcast_frame (self, build_stream_data (self, instrument, stream_type, channel));
}

static gboolean
stream_fire_cb (gpointer user_data)
{
  SimStream *stream = user_data;
  LablinkSimServer *self = stream->server;
  GString *out = NULL;

  g_clear_pointer (&stream->source, g_source_unref);

  if (stream->acquisition_id != NULL)
    {
      LablinkSimAcquisition *acquisition = lablink_sim_server_lookup_acquisition (self, stream->acquisition_id);

      if (acquisition != NULL && stream->first_data == 0 &&
          lablink_sim_acquisition_get_total_samples (acquisition) > 0)
        stream->first_data = g_get_monotonic_time ();
      if (acquisition != NULL && self->acquisition_stall_ms > 0 && stream->first_data != 0 &&
          g_get_monotonic_time () - stream->first_data < (gint64) self->acquisition_stall_ms * 1000)
        acquisition = NULL;   /* the stall: this tick sends nothing */
      if (acquisition != NULL)
        {
          LablinkSimJson w;

          out = g_string_sized_new (1024);
          lablink_sim_server_init_ws_writer (self, &w, out);
          lablink_sim_acquisition_write_stream_frame (acquisition, &w, stream->num_samples);
        }
      stream_schedule (stream, stream->interval_ms);
      /* Last: a send may end up closing a client. */
      if (out != NULL)
        broadcast_frame (self, out);
    }
  else
    {
      LablinkSimInstrument *found = lablink_sim_server_get_instrument (self, stream->equipment_id);
      g_autoptr(LablinkSimInstrument) instrument = found != NULL ? g_object_ref (found) : NULL;
      g_autofree char *stream_type = g_strdup (stream->stream_type);

      if (instrument != NULL && LABLINK_SIM_IS_SCOPE (instrument) &&
          g_str_equal (stream->stream_type, LABLINK_STREAM_WAVEFORM))
        stream->read_ms = lablink_sim_scope_get_read_ms (LABLINK_SIM_SCOPE (instrument));
      stream_schedule (stream, MAX (stream->interval_ms + stream->read_ms, 1));
      /* Last: a send may end up closing a client (and freeing @stream). */
      if (instrument != NULL)
        broadcast_stream_data (self, instrument, stream_type);
    }
  return G_SOURCE_REMOVE;
}

/* Whether the real server would produce frames for this stream. */
static gboolean
stream_supported (LablinkSimInstrument *instrument,
                  const char           *stream_type,
                  guint                *read_ms)
{
  if (instrument == NULL || stream_type == NULL)
    return FALSE;

  if (g_str_equal (stream_type, LABLINK_STREAM_READINGS))
    {
      *read_ms = READ_MS_READINGS;
      return lablink_sim_instrument_has_readings (instrument);
    }
  if (g_str_equal (stream_type, LABLINK_STREAM_WAVEFORM))
    {
      if (!LABLINK_SIM_IS_SCOPE (instrument))
        return FALSE;
      *read_ms = lablink_sim_scope_get_read_ms (LABLINK_SIM_SCOPE (instrument));
      return TRUE;
    }
  if (g_str_equal (stream_type, LABLINK_STREAM_MEASUREMENTS))
    {
      *read_ms = READ_MS_MEASUREMENTS;
      return LABLINK_SIM_IS_SCOPE (instrument);
    }
  return FALSE;
}

static void
start_equipment_stream (LablinkSimServer *self,
                        const char       *equipment_id,
                        const char       *stream_type,
                        guint             interval_ms)
{
  SimStream *stream;
  LablinkSimInstrument *instrument;
  guint read_ms = 0;

  stream = g_new0 (SimStream, 1);
  stream->server = self;
  stream->key = lablink_protocol_stream_key (equipment_id, stream_type);
  stream->equipment_id = g_strdup (equipment_id);
  stream->stream_type = g_strdup (stream_type);
  stream->interval_ms = interval_ms;

  instrument = lablink_sim_server_get_instrument (self, equipment_id);
  if (stream_supported (instrument, stream_type, &read_ms))
    {
      stream->read_ms = read_ms;
      stream_schedule (stream, read_ms);
    }
  else
    g_debug ("stream %s: nothing to stream, silent", stream->key);

  g_hash_table_replace (self->streams, stream->key, stream);
}

static void
start_acquisition_stream (LablinkSimServer *self,
                          const char       *acquisition_id,
                          guint             interval_ms,
                          guint             num_samples)
{
  SimStream *stream;

  stream = g_new0 (SimStream, 1);
  stream->server = self;
  stream->key = lablink_protocol_acquisition_key (acquisition_id);
  stream->acquisition_id = g_strdup (acquisition_id);
  stream->interval_ms = interval_ms;
  stream->num_samples = num_samples;
  stream_schedule (stream, 0);

  g_hash_table_replace (self->streams, stream->key, stream);
}

/* ------------------------------------------------------------------------ */
/* Client messages                                                           */

static GString *
echo_stream_frame (LablinkSimServer *self,
                   const char       *type,
                   const char       *equipment_id,
                   const char       *stream_type)
{
  GString *out = g_string_new (NULL);
  LablinkSimJson w;

  lablink_sim_server_init_ws_writer (self, &w, out);
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "type", type);
  lablink_sim_json_member_string (&w, "equipment_id", equipment_id);
  lablink_sim_json_member_string (&w, "stream_type", stream_type);
  lablink_sim_json_end_object (&w);
  return out;
}

static GString *
echo_acquisition_frame (LablinkSimServer *self,
                        const char       *type,
                        const char       *acquisition_id)
{
  GString *out = g_string_new (NULL);
  LablinkSimJson w;

  lablink_sim_server_init_ws_writer (self, &w, out);
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "type", type);
  lablink_sim_json_member_string (&w, "acquisition_id", acquisition_id);
  lablink_sim_json_end_object (&w);
  return out;
}

static guint
message_uint (LablinkMessage *message,
              const char     *member,
              guint           fallback,
              guint           max)
{
  gint64 value;
  double d;

  if (lablink_message_get_int (message, member, &value))
    return (guint) CLAMP (value, 0, (gint64) max);
  if (lablink_message_get_double (message, member, &d) && isfinite (d))
    return (guint) CLAMP (d, 0.0, (double) max);
  return fallback;
}

/* One request from @client; anything but these types is ignored. */
void
lablink_sim_server_handle_message (LablinkSimServer *self,
                                   SimClient        *client,
                                   LablinkMessage   *message)
{
  const char *type = lablink_message_get_type_name (message);

  if (g_str_equal (type, "ping"))
    {
      lablink_sim_client_send_string (client, g_string_new ("{\"type\": \"pong\"}"));
    }
  else if (g_str_equal (type, "start_stream"))
    {
      const char *equipment_id = lablink_message_get_equipment_id (message);
      const char *stream_type = lablink_message_get_stream_type (message);
      guint interval_ms = message_uint (message, "interval_ms", LABLINK_DEFAULT_INTERVAL_MS, 3600 * 1000);

      if (stream_type == NULL)
        stream_type = LABLINK_STREAM_READINGS;
      /* The released LabLink 1.2.5 acknowledges such streams and then never
       * sends a frame (its JSON encoder fails on their datetimes). */
      if (equipment_id != NULL &&
          (self->silent_streams == NULL || !g_strv_contains ((const char * const *) self->silent_streams, stream_type)))
        start_equipment_stream (self, equipment_id, stream_type, interval_ms);
      lablink_sim_client_send_string (client, echo_stream_frame (self, "stream_started", equipment_id, stream_type));
    }
  else if (g_str_equal (type, "stop_stream"))
    {
      const char *equipment_id = lablink_message_get_equipment_id (message);
      const char *stream_type = lablink_message_get_stream_type (message);

      if (stream_type == NULL)
        stream_type = LABLINK_STREAM_READINGS;
      if (equipment_id != NULL)
        {
          g_autofree char *key = lablink_protocol_stream_key (equipment_id, stream_type);

          g_hash_table_remove (self->streams, key);
        }
      lablink_sim_client_send_string (client, echo_stream_frame (self, "stream_stopped", equipment_id, stream_type));
    }
  else if (g_str_equal (type, "start_acquisition_stream"))
    {
      const char *acquisition_id = lablink_message_get_acquisition_id (message);
      guint interval_ms = message_uint (message, "interval_ms", LABLINK_DEFAULT_INTERVAL_MS, 3600 * 1000);
      guint num_samples = message_uint (message, "num_samples", LABLINK_DEFAULT_NUM_SAMPLES,
                                        LABLINK_SIM_ACQUISITION_MAX_BUFFER);

      /* The released 1.2.5's WebSocket side does not know acquisitions
       * created over REST ("Acquisition … not found, stopping stream"): it
       * acknowledges and never sends a frame. */
      if (acquisition_id != NULL && self->compat)
        g_debug ("Acquisition %s not found, stopping stream", acquisition_id);
      else if (acquisition_id != NULL)
        start_acquisition_stream (self, acquisition_id, MAX (interval_ms, 1), num_samples);
      lablink_sim_client_send_string (client, echo_acquisition_frame (self, "acquisition_stream_started", acquisition_id));
    }
  else if (g_str_equal (type, "stop_acquisition_stream"))
    {
      const char *acquisition_id = lablink_message_get_acquisition_id (message);

      if (acquisition_id != NULL)
        {
          g_autofree char *key = lablink_protocol_acquisition_key (acquisition_id);

          g_hash_table_remove (self->streams, key);
        }
      lablink_sim_client_send_string (client, echo_acquisition_frame (self, "acquisition_stream_stopped", acquisition_id));
    }
  /* anything else: ignored, like the real server */
}
