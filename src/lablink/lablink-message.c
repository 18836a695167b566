/* lablink-message.c — one decoded LabLink protocol message
 *
 * The boxed type and its accessors; decoding is in lablink-message-decode.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lablink-error.h"
#include "lablink-message-private.h"
#include "lablink-protocol.h"

G_DEFINE_BOXED_TYPE (LablinkMessage, lablink_message, lablink_message_ref, lablink_message_unref)

static void
lablink_message_free (LablinkMessage *self)
{
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->owned_equipment_id);
  g_free (self->waveform);
  g_strfreev (self->channel_names);
  g_free (self->sample_times);
  g_free (self->values);
  g_free (self->invalid_after);
  g_clear_pointer (&self->node, json_node_unref);
  g_free (self);  /* tokens, text and strings live in the same block */
}

/**
 * lablink_message_parse_bytes:
 * @bytes: the frame's text
 * @max_size: the size limit in bytes (0 for %LABLINK_MESSAGE_DEFAULT_MAX_SIZE)
 * @error: return location for a #GError
 *
 * Validates and decodes one frame. Bad frames give a #LablinkError:
 * %LABLINK_ERROR_MALFORMED (not JSON or not UTF-8), %LABLINK_ERROR_NOT_OBJECT,
 * %LABLINK_ERROR_TOO_LARGE, %LABLINK_ERROR_TOO_DEEP or
 * %LABLINK_ERROR_INVALID_FIELD (a known field of the wrong type).
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
LablinkMessage *
lablink_message_parse_bytes (GBytes  *bytes,
                             gsize    max_size,
                             GError **error)
{
  const char *text;
  gsize length;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_bytes_get_data (bytes, &length);
  return lablink_message_parse_text (text, length, max_size, error);
}

/**
 * lablink_message_parse:
 * @text: (array length=length) (element-type guint8): UTF-8 JSON text
 * @length: length of @text, or -1 if nul-terminated
 * @error: return location for a #GError
 *
 * Like lablink_message_parse_bytes() with the default size limit.
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
LablinkMessage *
lablink_message_parse (const char  *text,
                       gssize       length,
                       GError     **error)
{
  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (text);
  return lablink_message_parse_text (text, (gsize) length, 0, error);
}

/**
 * lablink_message_ref:
 * @self: a #LablinkMessage
 *
 * Returns: (transfer full): @self
 */
LablinkMessage *
lablink_message_ref (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * lablink_message_unref:
 * @self: (transfer full): a #LablinkMessage
 */
void
lablink_message_unref (LablinkMessage *self)
{
  g_return_if_fail (self != NULL);
  if (g_atomic_ref_count_dec (&self->ref_count))
    lablink_message_free (self);
}

LablinkMessageType
lablink_message_get_message_type (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, LABLINK_MESSAGE_UNKNOWN);
  return self->type;
}

/**
 * lablink_message_get_type_name:
 * @self: a #LablinkMessage
 *
 * Returns: the message's `type` string, as sent
 */
const char *
lablink_message_get_type_name (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->type_name;
}

/**
 * lablink_message_get_bytes:
 * @self: a #LablinkMessage
 *
 * Returns: (transfer none): the frame's exact text
 */
GBytes *
lablink_message_get_bytes (LablinkMessage *self)
{
  GBytes *bytes;

  g_return_val_if_fail (self != NULL, NULL);

  bytes = g_atomic_pointer_get (&self->bytes);
  if (bytes == NULL)
    {
      /* A copy: a caller may keep the bytes longer than the message. */
      bytes = g_bytes_new (self->doc.text, self->text_length);
      if (!g_atomic_pointer_compare_and_exchange (&self->bytes, NULL, bytes))
        {
          g_bytes_unref (bytes);
          bytes = g_atomic_pointer_get (&self->bytes);
        }
    }
  return bytes;
}

/**
 * lablink_message_get_text:
 * @self: a #LablinkMessage
 * @length: (out) (optional): the length in bytes
 *
 * Returns: (transfer none): the frame's exact text (not nul-terminated!)
 */
const char *
lablink_message_get_text (LablinkMessage *self,
                          gsize          *length)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (length)
    *length = self->text_length;
  return self->doc.text;
}

/**
 * lablink_message_get_received_time:
 * @self: a #LablinkMessage
 *
 * Returns: when the frame was decoded, in microseconds since the epoch
 */
gint64
lablink_message_get_received_time (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->received;
}

/**
 * lablink_message_get_sent_time:
 * @self: a #LablinkMessage
 *
 * The frame's send time, when its server stamps it: a top-level
 * `"sent_at_us"` (microseconds since the epoch) that lablink-sim adds to its
 * stream frames and real servers do not send. With it a client measures the
 * time from send to screen.
 *
 * Returns: the send time in microseconds since the epoch, or 0 if the frame
 *   has none
 */
gint64
lablink_message_get_sent_time (LablinkMessage *self)
{
  gint64 value = 0;

  g_return_val_if_fail (self != NULL, 0);
  if (!lablink_message_get_int (self, "sent_at_us", &value) || value <= 0)
    return 0;
  return value;
}

/**
 * lablink_message_get_equipment_id:
 * @self: a #LablinkMessage
 *
 * Returns: (nullable): the equipment id, for equipment streams and events
 */
const char *
lablink_message_get_equipment_id (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->equipment_id;
}

/**
 * lablink_message_get_stream_type:
 * @self: a #LablinkMessage
 *
 * Returns: (nullable): the stream type of an equipment stream message
 */
const char *
lablink_message_get_stream_type (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->stream_type;
}

/**
 * lablink_message_get_acquisition_id:
 * @self: a #LablinkMessage
 *
 * Returns: (nullable): the acquisition id of an acquisition message
 */
const char *
lablink_message_get_acquisition_id (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->acquisition_id;
}

/**
 * lablink_message_get_stream_key:
 * @self: a #LablinkMessage
 *
 * Returns: (nullable): `<equipment_id>_<stream_type>` or `acquisition_<id>`
 */
const char *
lablink_message_get_stream_key (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->stream_key;
}

/**
 * lablink_message_get_detail:
 * @self: a #LablinkMessage
 *
 * Returns: (nullable): the `detail` of an `error` message
 */
const char *
lablink_message_get_detail (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->detail;
}

static gint
lookup (LablinkMessage *self,
        const char     *path)
{
  return lablink_json_doc_path (&self->doc, 0, path);
}

/**
 * lablink_message_has_member:
 * @self: a #LablinkMessage
 * @path: a dotted path such as `data.voltage_actual`
 *
 * Returns: whether the path exists (its value may be null)
 */
gboolean
lablink_message_has_member (LablinkMessage *self,
                            const char     *path)
{
  g_return_val_if_fail (self != NULL && path != NULL, FALSE);
  return lookup (self, path) >= 0;
}

/**
 * lablink_message_is_null:
 * @self: a #LablinkMessage
 * @path: a dotted path
 *
 * Returns: whether the path exists and holds `null`
 */
gboolean
lablink_message_is_null (LablinkMessage *self,
                         const char     *path)
{
  gint tok;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);
  tok = lookup (self, path);
  return tok >= 0 && self->doc.tokens[tok].type == LABLINK_JSON_NULL;
}

/**
 * lablink_message_get_double:
 * @self: a #LablinkMessage
 * @path: a dotted path such as `data.voltage_actual`
 * @value: (out): the number (NaN for the server's bare NaN)
 *
 * Returns: %TRUE if the path holds a number
 */
gboolean
lablink_message_get_double (LablinkMessage *self,
                            const char     *path,
                            double         *value)
{
  g_return_val_if_fail (self != NULL && path != NULL && value != NULL, FALSE);
  return lablink_json_doc_get_double (&self->doc, lookup (self, path), value);
}

/**
 * lablink_message_get_int:
 * @self: a #LablinkMessage
 * @path: a dotted path
 * @value: (out): the integer
 *
 * Returns: %TRUE if the path holds a finite number with no fractional part
 */
gboolean
lablink_message_get_int (LablinkMessage *self,
                         const char     *path,
                         gint64         *value)
{
  double d;

  g_return_val_if_fail (self != NULL && path != NULL && value != NULL, FALSE);

  if (!lablink_json_doc_get_double (&self->doc, lookup (self, path), &d))
    return FALSE;
  if (!isfinite (d) || d != floor (d) || d < (double) G_MININT64 || d >= (double) G_MAXINT64)
    return FALSE;
  *value = (gint64) d;
  return TRUE;
}

/**
 * lablink_message_get_boolean:
 * @self: a #LablinkMessage
 * @path: a dotted path
 * @value: (out): the boolean
 *
 * Returns: %TRUE if the path holds `true` or `false`
 */
gboolean
lablink_message_get_boolean (LablinkMessage *self,
                             const char     *path,
                             gboolean       *value)
{
  gint tok;

  g_return_val_if_fail (self != NULL && path != NULL && value != NULL, FALSE);

  tok = lookup (self, path);
  if (tok < 0)
    return FALSE;
  switch (self->doc.tokens[tok].type)
    {
    case LABLINK_JSON_TRUE:
      *value = TRUE;
      return TRUE;
    case LABLINK_JSON_FALSE:
      *value = FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * lablink_message_dup_string:
 * @self: a #LablinkMessage
 * @path: a dotted path
 *
 * Returns: (transfer full) (nullable): the string at @path, or %NULL
 */
char *
lablink_message_dup_string (LablinkMessage *self,
                            const char     *path)
{
  gint tok;

  g_return_val_if_fail (self != NULL && path != NULL, NULL);

  tok = lookup (self, path);
  if (tok < 0 || self->doc.tokens[tok].type != LABLINK_JSON_STRING)
    return NULL;
  return lablink_json_doc_dup_string (&self->doc, tok);
}

/**
 * lablink_message_get_timestamp:
 * @self: a #LablinkMessage
 * @path: a dotted path such as `data.timestamp`
 * @unix_usec: (out): microseconds since the epoch
 *
 * Naive timestamps (the real server's: its local time) are read in the
 * server's zone when the stream manager knew it as the message arrived
 * (lablink_client_get_server_utc_offset()), else in the client's.
 *
 * Returns: %TRUE if the path holds a valid ISO-8601 timestamp
 */
gboolean
lablink_message_get_timestamp (LablinkMessage *self,
                               const char     *path,
                               gint64         *unix_usec)
{
  const LablinkJsonToken *t;
  gint tok;

  g_return_val_if_fail (self != NULL && path != NULL && unix_usec != NULL, FALSE);

  tok = lookup (self, path);
  if (tok < 0)
    return FALSE;
  t = &self->doc.tokens[tok];
  if (t->type != LABLINK_JSON_STRING || (t->flags & LABLINK_JSON_FLAG_ESCAPED))
    return FALSE;
  {
    LablinkNaiveZone previous = _lablink_naive_zone_push (self->naive_known, self->naive_offset);
    gboolean ok = lablink_parse_timestamp (self->doc.text + t->start, t->length, unix_usec);

    _lablink_naive_zone_pop (previous);
    return ok;
  }
}

/**
 * lablink_message_get_node:
 * @self: a #LablinkMessage
 *
 * The whole message as a json-glib tree, built on first use (bare NaN
 * becomes a NaN double). Meant for generic consumers; the typed accessors
 * are much cheaper.
 *
 * Returns: (transfer none): the root node
 */
JsonNode *
lablink_message_get_node (LablinkMessage *self)
{
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);

  node = g_atomic_pointer_get (&self->node);
  if (node == NULL)
    {
      node = lablink_json_doc_to_node (&self->doc, 0);
      json_node_seal (node);
      if (!g_atomic_pointer_compare_and_exchange (&self->node, NULL, node))
        {
          json_node_unref (node);
          node = g_atomic_pointer_get (&self->node);
        }
    }

  return node;
}

/**
 * lablink_message_get_waveform:
 * @self: a #LablinkMessage
 * @n_samples: (out): the number of samples
 *
 * Returns: (array length=n_samples) (nullable): the waveform's voltage samples,
 *   or %NULL if the frame carried none (the real server sends none)
 */
const double *
lablink_message_get_waveform (LablinkMessage *self,
                              gsize          *n_samples)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_samples)
    *n_samples = self->n_waveform;
  return self->waveform;
}

/**
 * lablink_message_get_n_samples:
 * @self: a #LablinkMessage
 *
 * Returns: the number of samples per channel of an acquisition window
 */
gsize
lablink_message_get_n_samples (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_samples;
}

/**
 * lablink_message_get_n_channels:
 * @self: a #LablinkMessage
 *
 * Returns: the number of channels of an acquisition window
 */
guint
lablink_message_get_n_channels (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_channels;
}

/**
 * lablink_message_get_channel_name:
 * @self: a #LablinkMessage
 * @channel: the channel index
 *
 * Returns: (nullable): the channel's name (e.g. `CH1`)
 */
const char *
lablink_message_get_channel_name (LablinkMessage *self,
                                  guint           channel)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (channel >= self->n_channels)
    return NULL;
  return self->channel_names[channel];
}

/**
 * lablink_message_get_sample_times:
 * @self: a #LablinkMessage
 * @n_samples: (out) (optional): the number of samples
 *
 * Returns: (array length=n_samples) (nullable): the window's timestamps, in
 *   microseconds since the epoch, in the order the server sent them
 */
const gint64 *
lablink_message_get_sample_times (LablinkMessage *self,
                                  gsize          *n_samples)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_samples)
    *n_samples = self->n_samples;
  return self->sample_times;
}

/**
 * lablink_message_get_invalid_samples:
 * @self: a #LablinkMessage
 * @n_invalid: (out) (optional): the number of samples dropped from the window
 *
 * The samples of an acquisition window that were dropped because their
 * timestamp was unreadable, not finite, out of the valid range (see
 * lablink_sample_time_is_valid()) or out of order. The rest of the window is
 * kept. Windows overlap, so a bad sample shows up in several frames: each is
 * identified by the time of the valid sample before it in the window
 * (%G_MININT64 when there is none), which does not change from frame to
 * frame while that sample is in the window.
 *
 * Returns: (array length=n_invalid) (nullable): for each dropped sample, the
 *   time of the valid sample before it, in window order
 */
const gint64 *
lablink_message_get_invalid_samples (LablinkMessage *self,
                                     gsize          *n_invalid)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_invalid)
    *n_invalid = self->n_invalid;
  return self->invalid_after;
}

/**
 * lablink_message_get_channel_values:
 * @self: a #LablinkMessage
 * @channel: the channel index
 * @n_samples: (out) (optional): the number of samples
 *
 * Returns: (array length=n_samples) (nullable): the channel's values (NaN
 *   where the instrument's read failed)
 */
const double *
lablink_message_get_channel_values (LablinkMessage *self,
                                    guint           channel,
                                    gsize          *n_samples)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_samples)
    *n_samples = channel < self->n_channels ? self->n_samples : 0;
  if (channel >= self->n_channels)
    return NULL;
  return self->values + (gsize) channel * self->n_samples;
}

/**
 * lablink_message_new_with_waveform:
 * @self: a `stream_data` waveform message
 * @samples: (array length=n_samples): voltage samples
 * @n_samples: the number of samples
 *
 * A copy of @self carrying @samples, for frames whose samples had to be
 * fetched separately (the real server's waveform stream).
 *
 * Returns: (transfer full): the new message
 */
LablinkMessage *
lablink_message_new_with_waveform (LablinkMessage *self,
                                   const double   *samples,
                                   gsize           n_samples)
{
  LablinkMessage *copy;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (samples != NULL || n_samples == 0, NULL);

  copy = lablink_message_parse_text (self->doc.text, self->text_length, G_MAXSIZE, NULL);
  g_return_val_if_fail (copy != NULL, NULL);

  g_clear_pointer (&copy->waveform, g_free);
  copy->waveform = g_memdup2 (samples, MAX (n_samples, 1) * sizeof (double));
  copy->n_waveform = n_samples;
  copy->received = self->received;
  copy->naive_known = self->naive_known;
  copy->naive_offset = self->naive_offset;

  return copy;
}

/**
 * lablink_json_parse:
 * @text: (array length=length) (element-type guint8): UTF-8 JSON text
 * @length: length of @text, or -1 if nul-terminated
 * @error: return location for a #GError
 *
 * Parses any JSON value (REST bodies), tolerating the real server's bare
 * NaN and Infinity, with the same limits as frames.
 *
 * Returns: (transfer full): the tree, or %NULL with @error set
 */
JsonNode *
lablink_json_parse (const char  *text,
                    gssize       length,
                    GError     **error)
{
  LablinkJsonDoc doc = { 0 };
  JsonNode *node;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length < 0)
    length = (gssize) strlen (text);
  if (!lablink_json_doc_parse (&doc, text, (gsize) length, LABLINK_MESSAGE_MAX_DEPTH, error))
    {
      lablink_json_doc_clear (&doc);
      return NULL;
    }
  node = lablink_json_doc_to_node (&doc, 0);
  lablink_json_doc_clear (&doc);
  return node;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era;
  guint yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (guint) (y - era * 400);
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

static gboolean
read_digits (const char *s,
             gsize       len,
             gsize      *pos,
             guint       n,
             guint      *out)
{
  guint v = 0, i;

  if (*pos + n > len)
    return FALSE;
  for (i = 0; i < n; i++)
    {
      char c = s[*pos + i];
      if (c < '0' || c > '9')
        return FALSE;
      v = v * 10 + (guint) (c - '0');
    }
  *pos += n;
  *out = v;
  return TRUE;
}

static _Thread_local LablinkNaiveZone naive_zone;

/* Naive timestamps parsed on this thread until _lablink_naive_zone_pop()
 * are in the zone @offset_usec east of UTC (if @known). Returns the zone
 * in force before. */
LablinkNaiveZone
_lablink_naive_zone_push (gboolean known,
                          gint64   offset_usec)
{
  LablinkNaiveZone previous = naive_zone;

  naive_zone.known = known;
  naive_zone.offset_usec = offset_usec;
  return previous;
}

void
_lablink_naive_zone_pop (LablinkNaiveZone previous)
{
  naive_zone = previous;
}

/* The local zone, looked up again only when TZ changes or every
 * LOCAL_ZONE_RECHECK_US (the system's zone may change under a running
 * app): GLib 2.74's g_time_zone_new_local() reads /etc/localtime's link on
 * every call, which cost more than the rest of a sample's decoding. The
 * offset is kept per quarter of an hour (zones move by 30 or 45 minutes, at
 * quarter hours). One per thread, freed with it. */
#define LOCAL_ZONE_RECHECK_US (10 * G_USEC_PER_SEC)

typedef struct {
  GTimeZone *tz;
  char      *tz_env;      /* TZ when @tz was looked up */
  gint64     checked;     /* monotonic µs of that lookup */
  gint64     quarter;
  gint64     offset_usec;
} LocalZone;

static void
local_zone_free (gpointer data)
{
  LocalZone *zone = data;

  g_clear_pointer (&zone->tz, g_time_zone_unref);
  g_free (zone->tz_env);
  g_free (zone);
}

static GPrivate local_zone_key = G_PRIVATE_INIT (local_zone_free);

/* The local UTC offset in force at a naive local time. */
static gint64
local_offset_usec (gint64 naive_seconds)
{
  LocalZone *zone = g_private_get (&local_zone_key);
  const char *tz_env = g_getenv ("TZ");
  gint64 now = g_get_monotonic_time ();
  gint64 quarter = naive_seconds >= 0 ? naive_seconds / 900 : -((-naive_seconds + 899) / 900);

  if (zone == NULL)
    {
      zone = g_new0 (LocalZone, 1);
      g_private_set (&local_zone_key, zone);
    }

  if (zone->tz == NULL || g_strcmp0 (tz_env, zone->tz_env) != 0 ||
      now - zone->checked >= LOCAL_ZONE_RECHECK_US)
    {
      GTimeZone *tz = g_time_zone_new_local ();

      if (tz != zone->tz)
        {
          g_clear_pointer (&zone->tz, g_time_zone_unref);
          zone->tz = g_steal_pointer (&tz);
          zone->quarter = G_MININT64;
        }
      g_clear_pointer (&tz, g_time_zone_unref);
      g_free (zone->tz_env);
      zone->tz_env = g_strdup (tz_env);
      zone->checked = now;
    }

  if (quarter != zone->quarter)
    {
      gint64 t = naive_seconds;
      gint interval = g_time_zone_adjust_time (zone->tz, G_TIME_TYPE_STANDARD, &t);

      zone->offset_usec = (gint64) g_time_zone_get_offset (zone->tz, interval) * G_USEC_PER_SEC;
      zone->quarter = quarter;
    }
  return zone->offset_usec;
}

/**
 * lablink_sample_time_is_valid:
 * @unix_usec: a sample time, µs since the epoch
 * @received: when it was received (µs since the epoch), or 0 for no bound
 *   from the clock
 *
 * The valid range of a sample time: from %LABLINK_SAMPLE_TIME_MIN to
 * %LABLINK_SAMPLE_TIME_MAX (excluded), and not more than
 * %LABLINK_SAMPLE_TIME_MAX_AHEAD after @received. A time outside it is a
 * broken sample, never data: kept, it would print as nonsense and, being
 * the newest, hide every later sample.
 *
 * Returns: %TRUE if @unix_usec is a plausible sample time
 */
gboolean
lablink_sample_time_is_valid (gint64 unix_usec,
                              gint64 received)
{
  if (unix_usec < LABLINK_SAMPLE_TIME_MIN || unix_usec >= LABLINK_SAMPLE_TIME_MAX)
    return FALSE;
  return received == 0 || unix_usec <= received + LABLINK_SAMPLE_TIME_MAX_AHEAD;
}

/**
 * lablink_sample_time_from_seconds:
 * @seconds: seconds since the epoch (a numeric timestamp)
 * @unix_usec: (out): microseconds since the epoch
 *
 * Converts a numeric timestamp, refusing (without undefined behaviour)
 * anything not finite or outside %LABLINK_SAMPLE_TIME_MIN …
 * %LABLINK_SAMPLE_TIME_MAX.
 *
 * Returns: %TRUE if @seconds is a time in the valid range
 */
gboolean
lablink_sample_time_from_seconds (double  seconds,
                                  gint64 *unix_usec)
{
  double usec;

  g_return_val_if_fail (unix_usec != NULL, FALSE);

  if (!isfinite (seconds))
    return FALSE;
  usec = seconds * G_USEC_PER_SEC;
  /* Compared as doubles first: llround() of a value out of gint64's range
   * is undefined. */
  if (!(usec >= (double) LABLINK_SAMPLE_TIME_MIN && usec < (double) LABLINK_SAMPLE_TIME_MAX))
    return FALSE;
  *unix_usec = (gint64) llround (usec);
  return lablink_sample_time_is_valid (*unix_usec, 0);
}

/**
 * lablink_parse_timestamp:
 * @text: (array length=length) (element-type guint8): an ISO-8601 timestamp
 * @length: its length
 * @unix_usec: (out): microseconds since the epoch
 *
 * Parses `YYYY-MM-DDTHH:MM:SS[.ffffff][Z|±HH:MM]`. Without a zone (as the
 * real server sends them) the time is the server's local time: read in its
 * zone where the library knows it (parsing a stream manager's frames, a
 * capture's REST answers), else in the client's.
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_parse_timestamp (const char *text,
                         gsize       length,
                         gint64     *unix_usec)
{
  guint year, month, day, hour, minute, second, usec = 0;
  gsize p = 0;
  gint64 seconds, result;

  g_return_val_if_fail (text != NULL && unix_usec != NULL, FALSE);

  if (!read_digits (text, length, &p, 4, &year) || p >= length || text[p++] != '-' ||
      !read_digits (text, length, &p, 2, &month) || p >= length || text[p++] != '-' ||
      !read_digits (text, length, &p, 2, &day) || p >= length || (text[p] != 'T' && text[p] != ' '))
    return FALSE;
  p++;
  if (!read_digits (text, length, &p, 2, &hour) || p >= length || text[p++] != ':' ||
      !read_digits (text, length, &p, 2, &minute) || p >= length || text[p++] != ':' ||
      !read_digits (text, length, &p, 2, &second))
    return FALSE;

  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60 ||
      day > g_date_get_days_in_month ((GDateMonth) month, (GDateYear) CLAMP (year, 1, G_MAXUINT16)))
    return FALSE;

  if (p < length && text[p] == '.')
    {
      guint scale = 100000;
      p++;
      if (p >= length || text[p] < '0' || text[p] > '9')
        return FALSE;
      while (p < length && text[p] >= '0' && text[p] <= '9')
        {
          usec += (guint) (text[p] - '0') * scale;
          scale /= 10;
          p++;
        }
    }

  seconds = days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60 + second;

  if (p == length)
    result = seconds * G_USEC_PER_SEC + usec -
             (naive_zone.known ? naive_zone.offset_usec : local_offset_usec (seconds));
  else if (text[p] == 'Z' && p + 1 == length)
    result = seconds * G_USEC_PER_SEC + usec;
  else if (text[p] == '+' || text[p] == '-')
    {
      guint oh, om = 0;
      gint sign = text[p] == '-' ? -1 : 1;
      p++;
      if (!read_digits (text, length, &p, 2, &oh))
        return FALSE;
      if (p < length && text[p] == ':')
        {
          p++;
          if (!read_digits (text, length, &p, 2, &om))
            return FALSE;
        }
      else if (p < length && !read_digits (text, length, &p, 2, &om))
        return FALSE;
      if (p != length || oh > 23 || om > 59)
        return FALSE;
      result = (seconds - sign * (gint64) (oh * 3600 + om * 60)) * G_USEC_PER_SEC + usec;
    }
  else
    return FALSE;

  *unix_usec = result;
  return TRUE;
}
