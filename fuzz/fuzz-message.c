/* fuzz-message.c — libFuzzer target: one WebSocket text frame
 *
 * The input is the payload of a text frame, decoded as the WebSocket worker
 * decodes it (lablink_message_parse_bytes() with the default size limit),
 * then read through every accessor the stream manager, the capture, the CLI
 * and the monitor use. Checks, besides the sanitizers:
 *
 * - lablink_message_parse() and lablink_message_parse_bytes() agree;
 * - a frame is refused with a LablinkError, or decoded into consistent
 *   sample arrays (every byte readable);
 * - the lazily built json-glib tree says the same as the typed accessors
 *   (ids, numbers and booleans at the paths the application reads).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lablink.h"
#include "fuzz-common.h"

/* Every path the application reads, and some that go through arrays. */
static const char * const paths[] = {
  "type", "equipment_id", "stream_type", "acquisition_id", "detail", "state", "interval_ms",
  "num_samples", "data", "stats", "data.alarm_name", "data.channel", "data.current",
  "data.current_actual", "data.current_set", "data.equipment_id", "data.in_cc_mode",
  "data.in_cv_mode", "data.job_id", "data.load_enabled", "data.message", "data.mode",
  "data.name", "data.output_enabled", "data.power", "data.sample_rate", "data.setpoint",
  "data.time_scale", "data.timestamp", "data.voltage", "data.voltage_actual",
  "data.voltage_scale", "data.voltage_set", "data.vpp", "data.freq",
  "stats.actual_sample_rate", "stats.buffer_overruns", "stats.duration_seconds",
  "stats.total_samples", "data.voltage_data.0", "data.voltage_data.1",
  "data.timestamps.0", "data.timestamps.1", "data.values.CH1.0", "data.count", "0", "",
  "data.", ".data", "data..voltage", "data.voltage_data.18446744073709551617",
};

/* The node at a dotted path of a json-glib tree, with the semantics of
 * lablink_message_has_member(): digits index arrays, anything else names an
 * object member (the first of duplicates). */
static JsonNode *
node_at_path (JsonNode   *node,
              const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (*path == '\0')
    return node;

  parts = g_strsplit (path, ".", -1);
  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      const char *part = parts[i];

      if (part[0] == '\0' && parts[i + 1] == NULL)
        break;  /* a trailing dot ends the path */
      if (JSON_NODE_HOLDS_ARRAY (node) && g_ascii_isdigit (part[0]))
        {
          JsonArray *array = json_node_get_array (node);
          guint64 index = g_ascii_strtoull (part, NULL, 10);

          node = index < json_array_get_length (array)
            ? json_array_get_element (array, (guint) index) : NULL;
        }
      else if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), part);
      else
        node = NULL;
    }
  return node;
}

static gboolean
same_double (double a,
             double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

static void
check_path (LablinkMessage *message,
            JsonNode       *root,
            const char     *path)
{
  JsonNode *node = node_at_path (root, path);
  gboolean has = lablink_message_has_member (message, path);
  g_autofree char *str = lablink_message_dup_string (message, path);
  gboolean boolean;
  double d;
  gint64 i, usec;

  fuzz_check (has == (node != NULL));
  fuzz_check (lablink_message_is_null (message, path) == (node != NULL && JSON_NODE_HOLDS_NULL (node)));

  if (str != NULL)
    {
      fuzz_check (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                  json_node_get_value_type (node) == G_TYPE_STRING);
      fuzz_check (strcmp (str, json_node_get_string (node)) == 0);
      fuzz_check (g_utf8_validate (str, -1, NULL));
    }

  if (lablink_message_get_double (message, path, &d))
    {
      GType type;

      fuzz_check (node != NULL && JSON_NODE_HOLDS_VALUE (node));
      type = json_node_get_value_type (node);
      fuzz_check (type == G_TYPE_DOUBLE || type == G_TYPE_INT64);
      fuzz_check (same_double (d, json_node_get_double (node)));
    }

  if (lablink_message_get_int (message, path, &i))
    {
      fuzz_check (lablink_message_get_double (message, path, &d));
      fuzz_check (isfinite (d) && d == floor (d));
    }

  if (lablink_message_get_boolean (message, path, &boolean))
    fuzz_check (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
                json_node_get_boolean (node) == boolean);

  if (lablink_message_get_timestamp (message, path, &usec))
    fuzz_check (str != NULL);
}

static gsize
walk (JsonNode *node,
      guint     depth)
{
  gsize n = 1;

  fuzz_check (depth <= LABLINK_MESSAGE_MAX_DEPTH + 1);
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        n += walk (json_array_get_element (array, i), depth + 1);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          fuzz_check (g_utf8_validate (name, -1, NULL));
          n += walk (member, depth + 1);
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      fuzz_check (g_utf8_validate (json_node_get_string (node), -1, NULL));
    }
  return n;
}

static void
check_root_string (JsonNode   *root,
                   const char *member,
                   const char *decoded)
{
  JsonNode *node;

  if (decoded == NULL)
    return;
  node = json_object_get_member (json_node_get_object (root), member);
  fuzz_check (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
              json_node_get_value_type (node) == G_TYPE_STRING);
  fuzz_check (strcmp (json_node_get_string (node), decoded) == 0);
}

static void
exercise (LablinkMessage *message,
          const uint8_t  *data,
          size_t          size)
{
  LablinkMessageType type = lablink_message_get_message_type (message);
  const char *type_name = lablink_message_get_type_name (message);
  const char *text;
  gsize length, n, n_times;
  const double *samples;
  const gint64 *times;
  guint n_channels;
  JsonNode *root;
  GBytes *bytes;
  double sum = 0;

  fuzz_check (type_name != NULL && g_utf8_validate (type_name, -1, NULL));
  text = lablink_message_get_text (message, &length);
  fuzz_check (length == size && memcmp (text, data, size) == 0);
  bytes = lablink_message_get_bytes (message);
  fuzz_check (g_bytes_get_size (bytes) == size);

  fuzz_touch_string (lablink_message_get_equipment_id (message));
  fuzz_touch_string (lablink_message_get_stream_type (message));
  fuzz_touch_string (lablink_message_get_acquisition_id (message));
  fuzz_touch_string (lablink_message_get_stream_key (message));
  fuzz_touch_string (lablink_message_get_detail (message));

  switch (type)
    {
    case LABLINK_MESSAGE_STREAM_DATA:
    case LABLINK_MESSAGE_STREAM_STARTED:
    case LABLINK_MESSAGE_STREAM_STOPPED:
    case LABLINK_MESSAGE_START_STREAM:
    case LABLINK_MESSAGE_STOP_STREAM:
      fuzz_check (lablink_message_get_equipment_id (message) != NULL);
      fuzz_check (lablink_message_get_stream_type (message) != NULL);
      fuzz_check (lablink_message_get_stream_key (message) != NULL);
      break;
    case LABLINK_MESSAGE_ACQUISITION_STREAM:
    case LABLINK_MESSAGE_ACQUISITION_STREAM_STARTED:
    case LABLINK_MESSAGE_ACQUISITION_STREAM_STOPPED:
    case LABLINK_MESSAGE_START_ACQUISITION_STREAM:
    case LABLINK_MESSAGE_STOP_ACQUISITION_STREAM:
      fuzz_check (lablink_message_get_acquisition_id (message) != NULL);
      fuzz_check (lablink_message_get_stream_key (message) != NULL);
      break;
    case LABLINK_MESSAGE_ERROR:
      fuzz_check (lablink_message_get_detail (message) != NULL);
      break;
    case LABLINK_MESSAGE_UNKNOWN:
    case LABLINK_MESSAGE_PONG:
    case LABLINK_MESSAGE_PING:
    case LABLINK_MESSAGE_EVENT:
    default:
      break;
    }

  samples = lablink_message_get_waveform (message, &n);
  fuzz_check (samples != NULL || n == 0);
  for (gsize i = 0; i < n; i++)
    sum += samples[i];

  times = lablink_message_get_sample_times (message, &n_times);
  fuzz_check (n_times == lablink_message_get_n_samples (message));
  fuzz_check (times != NULL || n_times == 0);
  for (gsize i = 0; i < n_times; i++)
    sum += (double) times[i];

  n_channels = lablink_message_get_n_channels (message);
  for (guint c = 0; c < n_channels; c++)
    {
      const double *values = lablink_message_get_channel_values (message, c, &n);

      fuzz_touch_string (lablink_message_get_channel_name (message, c));
      fuzz_check (lablink_message_get_channel_name (message, c) != NULL);
      fuzz_check (n == n_times && (values != NULL || n == 0));
      for (gsize i = 0; i < n; i++)
        sum += values[i];
    }
  fuzz_check (lablink_message_get_channel_name (message, n_channels) == NULL);
  fuzz_check (lablink_message_get_channel_values (message, n_channels, &n) == NULL && n == 0);

  /* The json-glib view and the typed accessors must agree. */
  root = lablink_message_get_node (message);
  fuzz_check (root != NULL && JSON_NODE_HOLDS_OBJECT (root));
  walk (root, 0);
  if (type != LABLINK_MESSAGE_EVENT)
    check_root_string (root, "equipment_id", lablink_message_get_equipment_id (message));
  check_root_string (root, "stream_type", lablink_message_get_stream_type (message));
  check_root_string (root, "acquisition_id", lablink_message_get_acquisition_id (message));
  if (type == LABLINK_MESSAGE_UNKNOWN)
    check_root_string (root, "type", type_name);
  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    check_path (message, root, paths[i]);

  /* What the stream manager does with a waveform frame whose samples came
   * separately. */
  if (type == LABLINK_MESSAGE_STREAM_DATA)
    {
      static const double extra[] = { 1.0, -2.5, NAN };
      g_autoptr(LablinkMessage) copy = lablink_message_new_with_waveform (message, extra,
                                                                          G_N_ELEMENTS (extra));

      fuzz_check (copy != NULL);
      samples = lablink_message_get_waveform (copy, &n);
      fuzz_check (n == G_N_ELEMENTS (extra) && samples[0] == 1.0);
      fuzz_check (g_strcmp0 (lablink_message_get_stream_key (copy),
                             lablink_message_get_stream_key (message)) == 0);
    }

  (void) sum;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(LablinkMessage) message = NULL;
  g_autoptr(LablinkMessage) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error_again = NULL;
  g_autoptr(GError) json_error = NULL;

  message = lablink_message_parse_bytes (bytes, 0, &error);
  again = lablink_message_parse ((const char *) g_bytes_get_data (bytes, NULL), (gssize) size,
                                 &error_again);
  fuzz_check ((message == NULL) == (again == NULL));

  /* The generic parser (REST bodies) accepts every frame the codec does. */
  node = lablink_json_parse ((const char *) g_bytes_get_data (bytes, NULL), (gssize) size,
                             &json_error);
  fuzz_check (node != NULL || json_error != NULL);
  if (message != NULL)
    fuzz_check (node != NULL && JSON_NODE_HOLDS_OBJECT (node));

  if (message == NULL)
    {
      fuzz_check (error != NULL && error->domain == LABLINK_ERROR);
      fuzz_check (error_again != NULL && error_again->code == error->code);
      fuzz_check (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  /* A smaller limit refuses it. */
  if (size > 1)
    {
      g_autoptr(GError) limit_error = NULL;
      g_autoptr(LablinkMessage) limited = lablink_message_parse_bytes (bytes, size - 1, &limit_error);

      fuzz_check (limited == NULL &&
                  g_error_matches (limit_error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE));
    }

  exercise (message, data, size);
  return 0;
}
