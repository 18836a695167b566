/* codec-fixtures.c — the codec against real LabLink 1.2.5 traffic
 *
 * Every `recv` frame, every `sent` frame and every REST body of the three
 * recordings in tests/data/lablink-1.2.5 goes through the codec and
 * is compared with an independent reading of the same text (json-glib, and
 * GDateTime for timestamps).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "codec-tests.h"

/* ---------------------------------------------------------------------- */
/* The README's "WebSocket messages" table: how many frames of each kind the
 * recordings hold. Checking our tally against it proves that every frame
 * was visited and classified as the recording's author did. */

typedef struct {
  const char *mode;
  const char *dir;
  const char *label;
  guint       count;
} ReadmeCount;

static const ReadmeCount readme_counts[] = {
  { "auth", "recv", "pong", 2 },
  { "auth", "recv", "stream_data/readings", 8 },
  { "auth", "recv", "stream_started/readings", 1 },
  { "auth", "recv", "stream_stopped/readings", 1 },
  { "auth", "sent", "ping", 2 },
  { "auth", "sent", "start_stream/readings", 1 },
  { "auth", "sent", "stop_stream/readings", 1 },
  { "patched", "recv", "acquisition_stream", 36 },
  { "patched", "recv", "acquisition_stream_started", 3 },
  { "patched", "recv", "acquisition_stream_stopped", 3 },
  { "patched", "recv", "alarm", 1 },
  { "patched", "recv", "alarm_cleared", 2 },
  { "patched", "recv", "alarm_event", 2 },
  { "patched", "recv", "alarm_updated", 1 },
  { "patched", "recv", "error", 3 },
  { "patched", "recv", "pong", 7 },
  { "patched", "recv", "stream_data/measurements", 17 },
  { "patched", "recv", "stream_data/readings", 99 },
  { "patched", "recv", "stream_data/waveform", 33 },
  { "patched", "recv", "stream_started/measurements", 2 },
  { "patched", "recv", "stream_started/readings", 6 },
  { "patched", "recv", "stream_started/spectrum", 1 },
  { "patched", "recv", "stream_started/waveform", 3 },
  { "patched", "recv", "stream_stopped/measurements", 3 },
  { "patched", "recv", "stream_stopped/readings", 6 },
  { "patched", "recv", "stream_stopped/waveform", 3 },
  { "patched", "sent", "(JSON NoneType)", 1 },
  { "patched", "sent", "(JSON list)", 1 },
  { "patched", "sent", "(JSON str)", 1 },
  { "patched", "sent", "(not JSON)", 3 },
  { "patched", "sent", "(object without type)", 1 },
  { "patched", "sent", "no_such_type", 1 },
  { "patched", "sent", "ping", 8 },
  { "patched", "sent", "start_acquisition_stream", 3 },
  { "patched", "sent", "start_stream/measurements", 2 },
  { "patched", "sent", "start_stream/readings", 6 },
  { "patched", "sent", "start_stream/spectrum", 1 },
  { "patched", "sent", "start_stream/waveform", 3 },
  { "patched", "sent", "stop_acquisition_stream", 3 },
  { "patched", "sent", "stop_stream/measurements", 3 },
  { "patched", "sent", "stop_stream/readings", 6 },
  { "patched", "sent", "stop_stream/waveform", 3 },
  { "upstream", "recv", "acquisition_stream_started", 1 },
  { "upstream", "recv", "acquisition_stream_stopped", 1 },
  { "upstream", "recv", "pong", 5 },
  { "upstream", "recv", "stream_data/measurements", 7 },
  { "upstream", "recv", "stream_started/measurements", 2 },
  { "upstream", "recv", "stream_started/readings", 4 },
  { "upstream", "recv", "stream_started/waveform", 2 },
  { "upstream", "recv", "stream_stopped/measurements", 2 },
  { "upstream", "recv", "stream_stopped/readings", 4 },
  { "upstream", "recv", "stream_stopped/waveform", 2 },
  { "upstream", "sent", "ping", 5 },
  { "upstream", "sent", "start_acquisition_stream", 1 },
  { "upstream", "sent", "start_stream/measurements", 2 },
  { "upstream", "sent", "start_stream/readings", 4 },
  { "upstream", "sent", "start_stream/waveform", 2 },
  { "upstream", "sent", "stop_acquisition_stream", 1 },
  { "upstream", "sent", "stop_stream/measurements", 2 },
  { "upstream", "sent", "stop_stream/readings", 4 },
  { "upstream", "sent", "stop_stream/waveform", 2 },
};

/* REST exchanges per file (README "REST exchanges" table). */
static const struct {
  const char *file;
  guint       json_bodies;
  guint       text_bodies;   /* 500 text/plain "Internal Server Error" */
} readme_rest[] = {
  { FIXTURE_PATCHED, 67, 2 },
  { FIXTURE_UPSTREAM, 11, 0 },
  { FIXTURE_AUTH, 7, 0 },
};

static const char *
object_get_str (JsonObject *object,
                const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
object_get_obj (JsonObject *object,
                const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static void
tally (GHashTable *counts,
       const char *mode,
       const char *dir,
       const char *label)
{
  char *key = g_strdup_printf ("%s|%s|%s", mode, dir, label);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));

  g_hash_table_replace (counts, key, GUINT_TO_POINTER (n + 1));
}

static void
set_frame_context (const FixtureLine *line,
                   const char        *frame)
{
  codec_set_context ("%s:%u (%s) %.160s%s", line->file, line->lineno,
                     fixture_str (line, "scenario"), frame, strlen (frame) > 160 ? "..." : "");
}

/* Compares our tree with json-glib's reading of the same text. */
static void
check_node_against_reference (JsonNode   *ours,
                              const char *text)
{
  g_autofree char *safe = ref_nonfinite_to_null (text);
  g_autoptr(JsonNode) ref = NULL;
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean nonfinite = strcmp (safe, text) != 0;

  ref = ref_parse_json (safe, -1, &error);
  g_assert_no_error (error);

  if (!ref_nodes_match (ours, ref, nonfinite, where))
    {
      g_test_message ("context: %s", codec_get_context ());
      g_test_message ("tree mismatch: %s", where->str);
      g_assert_not_reached ();
    }
  if (!nonfinite)
    check (json_node_equal (ours, ref));
}

/* A member of a stream_data `data` object, through the typed accessors. */
static void
check_data_member (LablinkMessage *message,
                   const char     *prefix,
                   const char     *name,
                   JsonNode       *ref)
{
  g_autofree char *path = g_strconcat (prefix, name, NULL);
  g_autofree char *saved = g_strdup (codec_get_context ());

  codec_set_context ("%s [%s]", saved, path);
  check (lablink_message_has_member (message, path));

  if (JSON_NODE_HOLDS_NULL (ref))
    {
      double d = 0;
      /* null, or a bare NaN that the reference text had to turn into null */
      check (lablink_message_is_null (message, path) ||
             (lablink_message_get_double (message, path, &d) && !isfinite (d)));
      return;
    }
  check (!lablink_message_is_null (message, path));

  if (JSON_NODE_HOLDS_VALUE (ref))
    {
      switch (json_node_get_value_type (ref))
        {
        case G_TYPE_INT64:
          {
            gint64 i = -1;
            double d = -1;
            check (lablink_message_get_int (message, path, &i));
            check (i == json_node_get_int (ref));
            check (lablink_message_get_double (message, path, &d));
            check (d == (double) json_node_get_int (ref));
          }
          break;
        case G_TYPE_DOUBLE:
          {
            double d = -1;
            gboolean b;
            check (lablink_message_get_double (message, path, &d));
            check (ref_same_double (d, json_node_get_double (ref)));
            check (!lablink_message_get_boolean (message, path, &b));
            check (lablink_message_dup_string (message, path) == NULL);
          }
          break;
        case G_TYPE_BOOLEAN:
          {
            gboolean b = !json_node_get_boolean (ref);
            double d;
            check (lablink_message_get_boolean (message, path, &b));
            check (b == json_node_get_boolean (ref));
            check (!lablink_message_get_double (message, path, &d));
          }
          break;
        case G_TYPE_STRING:
          {
            g_autofree char *s = lablink_message_dup_string (message, path);
            double d;
            check_cmpstr (s, json_node_get_string (ref));
            check (!lablink_message_get_double (message, path, &d));
            if (g_str_has_suffix (name, "timestamp") || g_str_has_suffix (name, "_time") ||
                g_str_has_suffix (name, "_at"))
              {
                gint64 t = 0, expected = ref_local_usec (json_node_get_string (ref));
                check (expected != G_MININT64);
                check (lablink_message_get_timestamp (message, path, &t));
                check (t == expected);
                check (lablink_parse_timestamp (s, strlen (s), &t));
                check (t == expected);
              }
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static void
check_object_members (LablinkMessage *message,
                      const char     *prefix,
                      JsonObject     *object)
{
  g_autoptr(GList) names = json_object_get_members (object);
  g_autofree char *saved = g_strdup (codec_get_context ());
  GList *l;

  for (l = names; l; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      codec_set_context ("%s", saved);
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *sub = g_strconcat (prefix, (const char *) l->data, ".", NULL);
          check_object_members (message, sub, json_node_get_object (node));
        }
      else if (!JSON_NODE_HOLDS_ARRAY (node))
        check_data_member (message, prefix, l->data, node);
    }
  codec_set_context ("%s", saved);
}

static void
check_acquisition_window (LablinkMessage *message,
                          JsonObject     *root)
{
  JsonNode *data_node = json_object_get_member (root, "data");
  JsonObject *data, *values;
  JsonArray *timestamps;
  g_autoptr(GList) channels = NULL;
  const gint64 *times;
  gsize n = 99;
  GList *l;
  guint c, i;

  check (data_node != NULL);
  if (JSON_NODE_HOLDS_NULL (data_node))
    {
      /* "data is null while the buffer is empty" */
      check (lablink_message_is_null (message, "data"));
      check (lablink_message_get_n_samples (message) == 0);
      check (lablink_message_get_n_channels (message) == 0);
      check (lablink_message_get_sample_times (message, &n) == NULL);
      check (n == 0);
      check (lablink_message_get_channel_name (message, 0) == NULL);
      n = 99;
      check (lablink_message_get_channel_values (message, 0, &n) == NULL);
      check (n == 0);
      return;
    }

  data = json_node_get_object (data_node);
  timestamps = json_object_get_array_member (data, "timestamps");
  values = json_object_get_object_member (data, "values");
  channels = json_object_get_members (values);

  check (lablink_message_get_n_samples (message) == json_array_get_length (timestamps));
  check ((gint64) lablink_message_get_n_samples (message) == json_object_get_int_member (data, "count"));
  check (lablink_message_get_n_channels (message) == json_object_get_size (values));

  times = lablink_message_get_sample_times (message, &n);
  check (n == json_array_get_length (timestamps));
  check (times != NULL);
  for (i = 0; i < n; i++)
    {
      gint64 expected = ref_local_usec (json_array_get_string_element (timestamps, i));
      check (expected != G_MININT64);
      check (times[i] == expected);
      if (i > 0)
        check (times[i] > times[i - 1]);
    }

  for (l = channels, c = 0; l; l = l->next, c++)
    {
      JsonArray *column = json_object_get_array_member (values, l->data);
      const double *got;
      gsize m = 0;

      check_cmpstr (lablink_message_get_channel_name (message, c), (const char *) l->data);
      got = lablink_message_get_channel_values (message, c, &m);
      check (got != NULL);
      check (m == n);
      check (json_array_get_length (column) == n);
      for (i = 0; i < m; i++)
        {
          JsonNode *element = json_array_get_element (column, i);
          if (JSON_NODE_HOLDS_NULL (element))
            check (isnan (got[i]));  /* a bare NaN in the frame */
          else
            check (got[i] == json_node_get_double (element));
        }
    }
  check (lablink_message_get_channel_name (message, c) == NULL);
  check (lablink_message_get_channel_values (message, c, NULL) == NULL);
}

static void
check_recv_frame (const FixtureLine *line,
                  GHashTable        *counts)
{
  const char *frame = fixture_str (line, "frame");
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkMessage) message = NULL;
  g_autoptr(JsonNode) ref_node = NULL;
  g_autofree char *safe = NULL;
  g_autofree char *label = NULL;
  g_autofree char *key = NULL;
  JsonObject *ref;
  const char *type, *text;
  LablinkMessageType expected;
  gsize length = 0;

  g_assert_nonnull (frame);
  set_frame_context (line, frame);

  message = lablink_message_parse (frame, -1, &error);
  if (error)
    g_test_message ("context: %s", codec_get_context ());
  g_assert_no_error (error);
  g_assert_nonnull (message);

  safe = ref_nonfinite_to_null (frame);
  ref_node = ref_parse_json (safe, -1, &error);
  g_assert_no_error (error);
  check (JSON_NODE_HOLDS_OBJECT (ref_node));
  ref = json_node_get_object (ref_node);

  type = object_get_str (ref, "type");
  expected = ref_expected_type (type);
  check (expected != LABLINK_MESSAGE_UNKNOWN);   /* the server sends only known types */
  check (lablink_message_get_message_type (message) == expected);
  check_cmpstr (lablink_message_get_type_name (message), type);

  text = lablink_message_get_text (message, &length);
  check (length == strlen (frame));
  check (memcmp (text, frame, length) == 0);
  check (g_bytes_get_size (lablink_message_get_bytes (message)) == length);

  label = object_get_str (ref, "stream_type")
    ? g_strdup_printf ("%s/%s", type, object_get_str (ref, "stream_type"))
    : g_strdup (type);
  tally (counts, fixture_str (line, "mode"), "recv", label);

  switch (expected)
    {
    case LABLINK_MESSAGE_STREAM_DATA:
    case LABLINK_MESSAGE_STREAM_STARTED:
    case LABLINK_MESSAGE_STREAM_STOPPED:
      check_cmpstr (lablink_message_get_equipment_id (message), object_get_str (ref, "equipment_id"));
      check_cmpstr (lablink_message_get_stream_type (message), object_get_str (ref, "stream_type"));
      key = g_strdup_printf ("%s_%s", object_get_str (ref, "equipment_id"), object_get_str (ref, "stream_type"));
      check_cmpstr (lablink_message_get_stream_key (message), key);
      check (lablink_message_get_acquisition_id (message) == NULL);
      if (expected == LABLINK_MESSAGE_STREAM_DATA)
        {
          JsonObject *data = object_get_obj (ref, "data");
          gsize n = 99;

          check (data != NULL);
          check_object_members (message, "data.", data);
          /* The real server never sends samples inline. */
          check (!json_object_has_member (data, "voltage_data"));
          check (lablink_message_get_waveform (message, &n) == NULL);
          check (n == 0);
        }
      break;

    case LABLINK_MESSAGE_ACQUISITION_STREAM:
    case LABLINK_MESSAGE_ACQUISITION_STREAM_STARTED:
    case LABLINK_MESSAGE_ACQUISITION_STREAM_STOPPED:
      check_cmpstr (lablink_message_get_acquisition_id (message), object_get_str (ref, "acquisition_id"));
      key = g_strdup_printf ("acquisition_%s", object_get_str (ref, "acquisition_id"));
      check_cmpstr (lablink_message_get_stream_key (message), key);
      check (lablink_message_get_equipment_id (message) == NULL);
      if (expected == LABLINK_MESSAGE_ACQUISITION_STREAM)
        {
          g_autofree char *state = lablink_message_dup_string (message, "state");
          check_cmpstr (state, object_get_str (ref, "state"));
          check_object_members (message, "stats.", object_get_obj (ref, "stats"));
          check_acquisition_window (message, ref);
        }
      break;

    case LABLINK_MESSAGE_ERROR:
      check_cmpstr (lablink_message_get_detail (message), object_get_str (ref, "detail"));
      check_cmpstr (lablink_message_get_detail (message), "Invalid JSON");
      break;

    case LABLINK_MESSAGE_EVENT:
      {
        JsonObject *data = object_get_obj (ref, "data");
        const char *eq = data ? object_get_str (data, "equipment_id") : object_get_str (ref, "equipment_id");

        check_cmpstr (lablink_message_get_equipment_id (message), eq);
        check_object_members (message, "", ref);
      }
      break;

    case LABLINK_MESSAGE_PONG:
      check (json_object_get_size (ref) == 1);
      check (lablink_message_get_equipment_id (message) == NULL);
      check (lablink_message_get_stream_key (message) == NULL);
      check (lablink_message_get_detail (message) == NULL);
      break;

    default:
      g_assert_not_reached ();
    }

  check_node_against_reference (lablink_message_get_node (message), frame);
}

/* ---------------------------------------------------------------------- */

/* The frames of the ws-bad-input scenario that are deliberately not valid
 * client messages, with the error a codec must give. */
static const struct {
  const char *frame;
  gint        code;
  const char *label;
} bad_sent_frames[] = {
  { "this is not json", LABLINK_ERROR_MALFORMED, "(not JSON)" },
  { "", LABLINK_ERROR_MALFORMED, "(not JSON)" },
  { "{\"type\": \"ping\"", LABLINK_ERROR_MALFORMED, "(not JSON)" },
  { "{\"no_type\": 1}", LABLINK_ERROR_INVALID_FIELD, "(object without type)" },
  { "[1, 2, 3]", LABLINK_ERROR_NOT_OBJECT, "(JSON list)" },
  { "\"hello\"", LABLINK_ERROR_NOT_OBJECT, "(JSON str)" },
  { "null", LABLINK_ERROR_NOT_OBJECT, "(JSON NoneType)" },
};

/* What json-glib says the frame is, named as the README does. */
static const char *
reference_label_of_bad_frame (const char *frame)
{
  g_autoptr(JsonNode) node = NULL;

  if (*frame == '\0')
    return "(not JSON)";
  node = ref_parse_json (frame, -1, NULL);
  if (node == NULL)
    return "(not JSON)";
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_ARRAY: return "(JSON list)";
    case JSON_NODE_NULL: return "(JSON NoneType)";
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) == G_TYPE_STRING ? "(JSON str)" : "(JSON scalar)";
    case JSON_NODE_OBJECT:
      return object_get_str (json_node_get_object (node), "type") ? NULL : "(object without type)";
    default:
      return NULL;
    }
}

static void
check_sent_frame (const FixtureLine *line,
                  GHashTable        *counts,
                  guint             *n_bad)
{
  const char *frame = fixture_str (line, "frame");
  const char *ref_label = reference_label_of_bad_frame (frame);
  JsonNode *binary = json_object_get_member (line->object, "binary");
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkMessage) message = NULL;
  g_autoptr(JsonNode) ref_node = NULL;
  g_autofree char *rebuilt = NULL;
  g_autofree char *label = NULL;
  JsonObject *ref;
  const char *type;
  gsize i;

  g_assert_nonnull (frame);
  set_frame_context (line, frame);

  message = lablink_message_parse (frame, -1, &error);

  for (i = 0; i < G_N_ELEMENTS (bad_sent_frames); i++)
    if (strcmp (bad_sent_frames[i].frame, frame) == 0)
      break;

  if (i < G_N_ELEMENTS (bad_sent_frames))
    {
      /* A deliberately bad frame. */
      check (message == NULL);
      if (!g_error_matches (error, LABLINK_ERROR, bad_sent_frames[i].code))
        g_test_message ("context: %s", codec_get_context ());
      g_assert_error (error, LABLINK_ERROR, bad_sent_frames[i].code);
      check_cmpstr (ref_label, bad_sent_frames[i].label);
      check_cmpstr (fixture_str (line, "scenario"), "ws-bad-input");
      tally (counts, fixture_str (line, "mode"), "sent", bad_sent_frames[i].label);
      (*n_bad)++;
      return;
    }

  /* Everything else is a JSON object with a type. */
  check (ref_label == NULL);
  if (error)
    g_test_message ("context: %s", codec_get_context ());
  g_assert_no_error (error);
  g_assert_nonnull (message);

  ref_node = ref_parse_json (frame, -1, &error);
  g_assert_no_error (error);
  ref = json_node_get_object (ref_node);
  type = object_get_str (ref, "type");
  check_cmpstr (lablink_message_get_type_name (message), type);
  check (lablink_message_get_message_type (message) == ref_expected_type (type));

  label = object_get_str (ref, "stream_type")
    ? g_strdup_printf ("%s/%s", type, object_get_str (ref, "stream_type"))
    : g_strdup (type);
  tally (counts, fixture_str (line, "mode"), "sent", label);

  /* The one binary frame carries a valid ping: refusing binary frames is
   * the transport's job (LABLINK_ERROR_BINARY_FRAME), not the codec's. */
  if (binary != NULL)
    {
      check (json_node_get_boolean (binary));
      check (lablink_message_get_message_type (message) == LABLINK_MESSAGE_PING);
    }

  switch (lablink_message_get_message_type (message))
    {
    case LABLINK_MESSAGE_PING:
      rebuilt = lablink_protocol_build_ping ();
      break;

    case LABLINK_MESSAGE_START_STREAM:
      {
        gint64 interval = 0;
        check (lablink_message_get_int (message, "interval_ms", &interval));
        check (interval == json_object_get_int_member (ref, "interval_ms"));
        check_cmpstr (lablink_message_get_equipment_id (message), object_get_str (ref, "equipment_id"));
        check_cmpstr (lablink_message_get_stream_type (message), object_get_str (ref, "stream_type"));
        rebuilt = lablink_protocol_build_start_stream (object_get_str (ref, "equipment_id"),
                                                       object_get_str (ref, "stream_type"),
                                                       (guint) json_object_get_int_member (ref, "interval_ms"));
      }
      break;

    case LABLINK_MESSAGE_STOP_STREAM:
      check_cmpstr (lablink_message_get_equipment_id (message), object_get_str (ref, "equipment_id"));
      check_cmpstr (lablink_message_get_stream_type (message), object_get_str (ref, "stream_type"));
      rebuilt = lablink_protocol_build_stop_stream (object_get_str (ref, "equipment_id"),
                                                    object_get_str (ref, "stream_type"));
      break;

    case LABLINK_MESSAGE_START_ACQUISITION_STREAM:
      {
        gint64 interval = 0, samples = 0;
        check (lablink_message_get_int (message, "interval_ms", &interval));
        check (lablink_message_get_int (message, "num_samples", &samples));
        check (interval == json_object_get_int_member (ref, "interval_ms"));
        check (samples == json_object_get_int_member (ref, "num_samples"));
        check_cmpstr (lablink_message_get_acquisition_id (message), object_get_str (ref, "acquisition_id"));
        rebuilt = lablink_protocol_build_start_acquisition_stream (object_get_str (ref, "acquisition_id"),
                                                                   (guint) interval, (guint) samples);
      }
      break;

    case LABLINK_MESSAGE_STOP_ACQUISITION_STREAM:
      check_cmpstr (lablink_message_get_acquisition_id (message), object_get_str (ref, "acquisition_id"));
      rebuilt = lablink_protocol_build_stop_acquisition_stream (object_get_str (ref, "acquisition_id"));
      break;

    case LABLINK_MESSAGE_UNKNOWN:
      /* ws-bad-input's {"type": "no_such_type"}: delivered, name kept */
      check_cmpstr (type, "no_such_type");
      break;

    default:
      g_assert_not_reached ();
    }

  /* Our builders spell client frames exactly as the recording client did. */
  if (rebuilt != NULL)
    check_cmpstr (rebuilt, frame);

  check_node_against_reference (lablink_message_get_node (message), frame);
}

static GHashTable *
new_counts (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
compare_counts (GHashTable *counts,
                const char *mode,
                const char *dir)
{
  g_autofree char *prefix = g_strdup_printf ("%s|%s|", mode, dir);
  GHashTableIter iter;
  gpointer key, value;
  guint expected_entries = 0;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (readme_counts); i++)
    {
      g_autofree char *k = NULL;

      if (strcmp (readme_counts[i].mode, mode) != 0 || strcmp (readme_counts[i].dir, dir) != 0)
        continue;
      expected_entries++;
      k = g_strdup_printf ("%s%s", prefix, readme_counts[i].label);
      codec_set_context ("README count of %s: %u", k, readme_counts[i].count);
      check (GPOINTER_TO_UINT (g_hash_table_lookup (counts, k)) == readme_counts[i].count);
    }

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      codec_set_context ("frame kind %s (%u) not in the README table", (const char *) key, GPOINTER_TO_UINT (value));
      check (g_str_has_prefix (key, prefix));
    }
  codec_set_context ("%s: README lists %u kinds of frame", prefix, expected_entries);
  check (g_hash_table_size (counts) == expected_entries);
}

static const char *
mode_of_file (const char *file)
{
  if (strcmp (file, FIXTURE_PATCHED) == 0)
    return "patched";
  if (strcmp (file, FIXTURE_UPSTREAM) == 0)
    return "upstream";
  return "auth";
}

/* Every `recv` frame of one recording. */
static void
test_fixture_recv (gconstpointer data)
{
  const char *file = data;
  g_autoptr(GPtrArray) lines = codec_load_fixture (file);
  g_autoptr(GHashTable) counts = new_counts ();
  guint i, n = 0;

  for (i = 0; i < lines->len; i++)
    {
      const FixtureLine *line = g_ptr_array_index (lines, i);
      if (g_strcmp0 (fixture_str (line, "dir"), "recv") == 0)
        {
          check_recv_frame (line, counts);
          n++;
        }
    }
  g_test_message ("%u recv frames checked in %s", n, file);
  compare_counts (counts, mode_of_file (file), "recv");
}

/* Every `sent` frame of one recording. */
static void
test_fixture_sent (gconstpointer data)
{
  const char *file = data;
  g_autoptr(GPtrArray) lines = codec_load_fixture (file);
  g_autoptr(GHashTable) counts = new_counts ();
  guint i, n = 0, n_bad = 0;

  for (i = 0; i < lines->len; i++)
    {
      const FixtureLine *line = g_ptr_array_index (lines, i);
      if (g_strcmp0 (fixture_str (line, "dir"), "sent") == 0)
        {
          check_sent_frame (line, counts, &n_bad);
          n++;
        }
    }
  g_test_message ("%u sent frames checked in %s (%u deliberately bad)", n, file, n_bad);

  /* Only the patched recording has the ws-bad-input scenario. */
  g_assert_cmpuint (n_bad, ==, strcmp (file, FIXTURE_PATCHED) == 0 ? G_N_ELEMENTS (bad_sent_frames) : 0);
  compare_counts (counts, mode_of_file (file), "sent");
}

/* Every REST body of one recording. */
static void
check_fixture_rest (const char *file)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (file);
  guint i, n_json = 0, n_text = 0;
  gsize r;

  for (i = 0; i < lines->len; i++)
    {
      const FixtureLine *line = g_ptr_array_index (lines, i);
      const char *body, *content_type;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (g_strcmp0 (fixture_str (line, "dir"), "rest") != 0)
        continue;

      body = fixture_str (line, "body");
      content_type = fixture_str (line, "content_type");
      g_assert_nonnull (body);
      g_assert_nonnull (content_type);
      codec_set_context ("%s:%u %s %s (%s)", line->file, line->lineno, fixture_str (line, "method"),
                         fixture_str (line, "path"), content_type);

      node = lablink_json_parse (body, -1, &error);
      if (g_str_has_prefix (content_type, "application/json"))
        {
          if (error)
            g_test_message ("context: %s", codec_get_context ());
          g_assert_no_error (error);
          g_assert_nonnull (node);
          check_node_against_reference (node, body);

          /* Same result with an explicit length and a text that is not
           * nul-terminated. */
          {
            gsize len = strlen (body);
            g_autofree char *copy = g_malloc (len + 8);
            g_autoptr(JsonNode) again = NULL;

            memcpy (copy, body, len);
            memcpy (copy + len, "garbage", 8);
            again = lablink_json_parse (copy, (gssize) len, &error);
            g_assert_no_error (error);
            check (json_node_equal (node, again));
          }
          n_json++;
        }
      else
        {
          /* 500 text/plain "Internal Server Error": what the server answers
           * when the data holds NaN. Not JSON. */
          g_autoptr(LablinkMessage) message = NULL;

          check (g_str_has_prefix (content_type, "text/plain"));
          check_cmpstr (body, "Internal Server Error");
          check (json_object_get_int_member (line->object, "status") == 500);
          check (node == NULL);
          g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_MALFORMED);
          g_clear_error (&error);
          message = lablink_message_parse (body, -1, &error);
          g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_MALFORMED);
          check (message == NULL);
          n_text++;
        }
    }

  for (r = 0; r < G_N_ELEMENTS (readme_rest); r++)
    if (strcmp (readme_rest[r].file, file) == 0)
      {
        g_assert_cmpuint (n_json, ==, readme_rest[r].json_bodies);
        g_assert_cmpuint (n_text, ==, readme_rest[r].text_bodies);
      }
}

/* In a subprocess: one of the real server's bodies triggers the tokenizer's
 * true/false/null heap corruption (LITERAL_BUG_TEST), which must not take
 * the whole suite down under AddressSanitizer. */
static void
test_fixture_rest (gconstpointer data)
{
  if (g_test_subprocess ())
    {
      check_fixture_rest (data);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (!g_test_trap_has_passed () && codec_literal_bug_present ())
    {
      g_test_incomplete ("a REST body crashed lablink_json_parse(): see " LITERAL_BUG_TEST);
      return;
    }
  g_test_trap_assert_passed ();
}

/* ---------------------------------------------------------------------- */
/* Spot checks: recorded values, written out, through the typed accessors. */

static LablinkMessage *
parse_line (const FixtureLine *line)
{
  set_frame_context (line, fixture_str (line, "frame"));
  return parse_ok (fixture_str (line, "frame"));
}

static void
assert_double (LablinkMessage *message,
               const char     *path,
               double          expected)
{
  double d = -12345;

  codec_set_context ("%s", path);
  check (lablink_message_get_double (message, path, &d));
  if (!ref_same_double (d, expected))
    g_test_message ("%s: got %.17g, expected %.17g", path, d, expected);
  check (ref_same_double (d, expected));
}

static void
assert_boolean (LablinkMessage *message,
                const char     *path,
                gboolean        expected)
{
  gboolean b = !expected;

  codec_set_context ("%s", path);
  check (lablink_message_get_boolean (message, path, &b));
  check (b == expected);
}

static void
assert_string (LablinkMessage *message,
               const char     *path,
               const char     *expected)
{
  g_autofree char *s = lablink_message_dup_string (message, path);

  codec_set_context ("%s", path);
  check_cmpstr (s, expected);
}

static void
assert_local_time (LablinkMessage *message,
                   const char     *path,
                   int year, int month, int day, int hour, int minute, int second, int usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (year, month, day, hour, minute, second);
  gint64 t = 0;

  codec_set_context ("%s", path);
  check (lablink_message_get_timestamp (message, path, &t));
  check (t == g_date_time_to_unix (dt) * G_USEC_PER_SEC + usec);
}

static void
test_values_psu_readings (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "ws-psu-readings", "stream_data", NULL, 0));
  gint64 channel = 0;

  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_STREAM_DATA);
  g_assert_cmpstr (lablink_message_get_equipment_id (m), ==, "ps_250e6dfe");
  g_assert_cmpstr (lablink_message_get_stream_type (m), ==, LABLINK_STREAM_READINGS);
  g_assert_cmpstr (lablink_message_get_stream_key (m), ==, "ps_250e6dfe_readings");
  assert_string (m, "data.equipment_id", "ps_250e6dfe");
  assert_local_time (m, "data.timestamp", 2026, 11, 25, 17, 39, 49, 400093);
  g_assert_true (lablink_message_get_int (m, "data.channel", &channel));
  g_assert_cmpint (channel, ==, 1);
  assert_double (m, "data.voltage_set", 5.0);
  assert_double (m, "data.current_set", 1.0);
  assert_double (m, "data.voltage_actual", 5.000444620551635);
  assert_double (m, "data.current_actual", 0.49995062717259475);
  assert_boolean (m, "data.output_enabled", TRUE);
  assert_boolean (m, "data.in_cv_mode", TRUE);
  assert_boolean (m, "data.in_cc_mode", FALSE);
  g_assert_false (lablink_message_has_member (m, "data.voltage_data"));
  g_assert_false (lablink_message_has_member (m, "data.nonexistent"));
  g_assert_false (lablink_message_has_member (m, "nonexistent.voltage_set"));
}

static void
test_values_auth_readings (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_AUTH);
  g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "auth", "stream_data", "readings", 0));

  g_assert_cmpstr (lablink_message_get_equipment_id (m), ==, "ps_250e6dfe");
  assert_local_time (m, "data.timestamp", 2026, 11, 25, 17, 41, 23, 963439);
  assert_double (m, "data.voltage_set", 0.0);
  assert_double (m, "data.voltage_actual", 0.0);
  assert_double (m, "data.current_actual", 0.0);
  assert_boolean (m, "data.output_enabled", FALSE);
  assert_boolean (m, "data.in_cv_mode", FALSE);
}

static void
test_values_load_readings (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "ws-load-readings", "stream_data", NULL, 0));

  g_assert_cmpstr (lablink_message_get_stream_key (m), ==, "load_47fa0d5c_readings");
  assert_local_time (m, "data.timestamp", 2026, 11, 25, 17, 39, 51, 807372);
  assert_string (m, "data.mode", "CC");
  assert_double (m, "data.setpoint", 0.5);
  assert_double (m, "data.voltage", 11.94999651605096);
  assert_double (m, "data.current", 0.5005059850525033);
  assert_double (m, "data.power", 5.970008448772632);
  assert_boolean (m, "data.load_enabled", TRUE);
}

static void
test_values_scope_waveform (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "ws-scope-waveform", "stream_data", NULL, 0));
  gint64 n = 0;
  gsize n_samples = 99;

  g_assert_cmpstr (lablink_message_get_stream_key (m), ==, "scope_386959fc_waveform");
  assert_local_time (m, "data.timestamp", 2026, 11, 25, 17, 39, 54, 254086);
  assert_double (m, "data.sample_rate", 1e9);
  assert_double (m, "data.time_scale", 0.001);
  assert_double (m, "data.voltage_scale", 1.0);
  assert_double (m, "data.voltage_offset", 0.0);
  g_assert_true (lablink_message_get_int (m, "data.num_samples", &n));
  g_assert_cmpint (n, ==, 1000);
  /* 1e9 is written 1000000000.0: a double, but integral */
  g_assert_true (lablink_message_get_int (m, "data.sample_rate", &n));
  g_assert_cmpint (n, ==, 1000000000);
  assert_string (m, "data.data_id", "waveform_60d0d2bd");
  g_assert_null (lablink_message_get_waveform (m, &n_samples));
  g_assert_cmpuint (n_samples, ==, 0);
}

static void
test_values_scope_measurements (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "ws-scope-measurements", "stream_data", NULL, 0));
  g_autoptr(GPtrArray) upstream = codec_load_fixture (FIXTURE_UPSTREAM);
  g_autoptr(LablinkMessage) u = parse_line (codec_find_recv (upstream, "ws-scope-measurements", "stream_data", NULL, 0));
  gint64 t;

  g_assert_cmpstr (lablink_message_get_stream_key (m), ==, "scope_386959fc_measurements");
  assert_double (m, "data.vpp", 0.124653412834803);
  assert_double (m, "data.vmax", 0.06440958450939314);
  assert_double (m, "data.vmin", -0.060243828325409844);
  assert_double (m, "data.vavg", 0.0065142010744251135);
  assert_double (m, "data.vrms", 0.021209670420604114);
  assert_double (m, "data.freq", 1000.0);
  assert_double (m, "data.period", 0.001);
  /* measurements carry no timestamp */
  g_assert_false (lablink_message_has_member (m, "data.timestamp"));
  g_assert_false (lablink_message_get_timestamp (m, "data.timestamp", &t));

  /* upstream 1.2.5 does deliver measurements */
  g_assert_cmpint (lablink_message_get_message_type (u), ==, LABLINK_MESSAGE_STREAM_DATA);
  g_assert_cmpstr (lablink_message_get_stream_key (u), ==, "scope_386959fc_measurements");
}

static void
test_values_acquisition (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) empty = parse_line (codec_find_recv (lines, "acquisition", "acquisition_stream", NULL, 0));
  g_autoptr(LablinkMessage) first = parse_line (codec_find_recv (lines, "acquisition", "acquisition_stream", NULL, 1));
  g_autoptr(LablinkMessage) full = parse_line (codec_find_recv (lines, "acquisition", "acquisition_stream", NULL, 23));
  g_autoptr(GDateTime) t0 = g_date_time_new_local (2026, 11, 25, 17, 40, 2);
  g_autoptr(GDateTime) t7 = g_date_time_new_local (2026, 11, 25, 17, 40, 7);
  const gint64 *times;
  const double *ch1, *ch2;
  gsize n = 0;
  gint64 total = -1;

  /* First frame: the buffer is still empty, data is null. */
  g_assert_cmpint (lablink_message_get_message_type (empty), ==, LABLINK_MESSAGE_ACQUISITION_STREAM);
  g_assert_cmpstr (lablink_message_get_acquisition_id (empty), ==, "ef958d84-9aec-47c8-9f5b-953407d0f2d1");
  g_assert_cmpstr (lablink_message_get_stream_key (empty), ==, "acquisition_ef958d84-9aec-47c8-9f5b-953407d0f2d1");
  assert_string (empty, "state", "acquiring");
  g_assert_true (lablink_message_is_null (empty, "data"));
  g_assert_true (lablink_message_is_null (empty, "stats.end_time"));
  g_assert_true (lablink_message_get_int (empty, "stats.total_samples", &total));
  g_assert_cmpint (total, ==, 0);
  assert_local_time (empty, "stats.start_time", 2026, 11, 25, 17, 40, 2, 643482);
  g_assert_cmpuint (lablink_message_get_n_samples (empty), ==, 0);
  g_assert_cmpuint (lablink_message_get_n_channels (empty), ==, 0);

  /* Second frame: 3 samples of CH1 and CH2. */
  g_assert_cmpuint (lablink_message_get_n_samples (first), ==, 3);
  g_assert_cmpuint (lablink_message_get_n_channels (first), ==, 2);
  g_assert_cmpstr (lablink_message_get_channel_name (first, 0), ==, "CH1");
  g_assert_cmpstr (lablink_message_get_channel_name (first, 1), ==, "CH2");
  g_assert_null (lablink_message_get_channel_name (first, 2));
  times = lablink_message_get_sample_times (first, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (times[0], ==, g_date_time_to_unix (t0) * G_USEC_PER_SEC + 643585);
  g_assert_cmpint (times[2], ==, g_date_time_to_unix (t0) * G_USEC_PER_SEC + 785078);
  ch1 = lablink_message_get_channel_values (first, 0, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (ch1[0], ==, 5.000111817743385);
  g_assert_cmpfloat (ch1[1], ==, 5.001689279002311);
  ch2 = lablink_message_get_channel_values (first, 1, NULL);
  g_assert_cmpfloat (ch2[0], ==, 3.301070479930846);
  assert_double (first, "data.values.CH1.0", 5.000111817743385);
  assert_double (first, "data.values.CH2.1", 3.3007084403706872);
  g_assert_false (lablink_message_has_member (first, "data.values.CH1.3"));
  assert_double (first, "data.count", 3);

  /* The first stopped frame: a full 50-sample window (num_samples 50). */
  assert_string (full, "state", "stopped");
  g_assert_cmpuint (lablink_message_get_n_samples (full), ==, 50);
  times = lablink_message_get_sample_times (full, &n);
  g_assert_cmpuint (n, ==, 50);
  g_assert_cmpint (times[0], ==, g_date_time_to_unix (t0) * G_USEC_PER_SEC + 926612);
  g_assert_cmpint (times[49], ==, g_date_time_to_unix (t7) * G_USEC_PER_SEC + 198940);
  g_assert_cmpfloat (lablink_message_get_channel_values (full, 0, NULL)[0], ==, 4.998969813623825);
  g_assert_cmpfloat (lablink_message_get_channel_values (full, 1, NULL)[1], ==, 3.2996676652524424);
  g_assert_true (lablink_message_get_int (full, "stats.total_samples", &total));
  g_assert_cmpint (total, ==, 54);
}

static void
test_values_acquisition_nan (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) idle = parse_line (codec_find_recv (lines, "acquisition-nan", "acquisition_stream", NULL, 0));
  g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "acquisition-nan", "acquisition_stream", NULL, 2));
  g_autoptr(LablinkMessage) last = parse_line (codec_find_recv (lines, "acquisition-nan", "acquisition_stream", NULL, 7));
  g_autoptr(GDateTime) t9 = g_date_time_new_local (2026, 11, 25, 17, 40, 9);
  JsonNode *node;
  const double *ch9;
  gsize n = 0, i;

  assert_string (idle, "state", "idle");
  g_assert_true (lablink_message_is_null (idle, "stats.start_time"));
  g_assert_true (lablink_message_is_null (idle, "data"));
  g_assert_cmpuint (lablink_message_get_n_samples (idle), ==, 0);

  g_assert_cmpuint (lablink_message_get_n_samples (m), ==, 2);
  g_assert_cmpstr (lablink_message_get_channel_name (m, 0), ==, "CH1");
  g_assert_cmpstr (lablink_message_get_channel_name (m, 1), ==, "CH9");
  g_assert_cmpfloat (lablink_message_get_channel_values (m, 0, NULL)[0], ==, 5.0000618720272545);
  g_assert_cmpfloat (lablink_message_get_channel_values (m, 0, NULL)[1], ==, 5.000616767922715);
  ch9 = lablink_message_get_channel_values (m, 1, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (isnan (ch9[0]));
  g_assert_true (isnan (ch9[1]));
  g_assert_cmpint (lablink_message_get_sample_times (m, NULL)[0], ==, g_date_time_to_unix (t9) * G_USEC_PER_SEC + 72281);
  g_assert_cmpint (lablink_message_get_sample_times (m, NULL)[1], ==, g_date_time_to_unix (t9) * G_USEC_PER_SEC + 131862);
  assert_double (m, "data.values.CH9.0", NAN);
  g_assert_false (lablink_message_is_null (m, "data.values.CH9.0"));

  /* The json-glib tree carries the NaN as a double. */
  node = lablink_message_get_node (m);
  node = json_array_get_element (json_object_get_array_member (
           json_object_get_object_member (json_object_get_object_member (json_node_get_object (node), "data"), "values"),
           "CH9"), 0);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_true (isnan (json_node_get_double (node)));

  /* The stopped frame: statistics filled, NaN for the missing channel. */
  assert_string (last, "state", "stopped");
  assert_double (last, "stats.min_values.CH9", NAN);
  assert_double (last, "stats.max_values.CH9", NAN);
  assert_double (last, "stats.mean_values.CH9", NAN);
  assert_double (last, "stats.min_values.CH1", 4.997776237501165);
  assert_double (last, "stats.duration_seconds", 1.008309);
  assert_double (last, "stats.actual_sample_rate", 16.866585310196346);
  assert_local_time (last, "stats.end_time", 2026, 11, 25, 17, 40, 10, 80275);
  ch9 = lablink_message_get_channel_values (last, 1, &n);
  g_assert_cmpuint (n, ==, 5);
  for (i = 0; i < n; i++)
    g_assert_true (isnan (ch9[i]));
}

static void
test_values_error_and_pong (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  guint i;

  for (i = 0; i < 3; i++)
    {
      g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "ws-bad-input", "error", NULL, i));
      g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_ERROR);
      g_assert_cmpstr (lablink_message_get_detail (m), ==, "Invalid JSON");
    }
  for (i = 0; i < 2; i++)
    {
      g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "ws-bad-input", "stream_started", NULL, i));
      /* echoed even for an unknown equipment id / stream type */
      g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_STREAM_STARTED);
      g_assert_cmpstr (lablink_message_get_stream_key (m), ==, i == 0 ? "scope_00000000_readings" : "scope_386959fc_spectrum");
    }
  {
    g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "ws-bad-input", "pong", NULL, 0));
    g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_PONG);
    g_assert_cmpstr (lablink_message_get_type_name (m), ==, "pong");
  }
}

static void
test_values_alarms (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) alarm = parse_line (codec_find_recv (lines, "ws-alarm-broadcasts", "alarm", NULL, 0));
  g_autoptr(LablinkMessage) event0 = parse_line (codec_find_recv (lines, "ws-alarm-broadcasts", "alarm_event", NULL, 0));
  g_autoptr(LablinkMessage) event1 = parse_line (codec_find_recv (lines, "ws-alarm-broadcasts", "alarm_event", NULL, 1));
  g_autoptr(LablinkMessage) updated = parse_line (codec_find_recv (lines, "ws-alarm-broadcasts", "alarm_updated", NULL, 0));
  g_autoptr(LablinkMessage) cleared0 = parse_line (codec_find_recv (lines, "ws-alarm-broadcasts", "alarm_cleared", NULL, 0));
  g_autoptr(LablinkMessage) cleared1 = parse_line (codec_find_recv (lines, "ws-alarm-broadcasts", "alarm_cleared", NULL, 1));
  LablinkMessage *all[] = { alarm, event0, event1, updated, cleared0, cleared1 };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_assert_cmpint (lablink_message_get_message_type (all[i]), ==, LABLINK_MESSAGE_EVENT);
      g_assert_null (lablink_message_get_stream_key (all[i]));
      g_assert_null (lablink_message_get_detail (all[i]));
    }

  g_assert_cmpstr (lablink_message_get_type_name (alarm), ==, "alarm");
  g_assert_cmpstr (lablink_message_get_equipment_id (alarm), ==, "ps_250e6dfe");
  assert_string (alarm, "severity", "warning");
  assert_string (alarm, "alarm_name", "psu-overvoltage");
  assert_double (alarm, "value", 5.0);
  assert_double (alarm, "threshold", 4.0);
  assert_local_time (alarm, "triggered_at", 2026, 11, 25, 17, 40, 20, 117656);

  g_assert_cmpstr (lablink_message_get_type_name (event0), ==, "alarm_event");
  g_assert_cmpstr (lablink_message_get_equipment_id (event0), ==, "ps_250e6dfe");
  assert_string (event0, "data.event_id", "event_04664bc4");
  assert_double (event0, "data.value", 5.0);
  assert_string (event1, "data.event_id", "event_838b74e5");
  assert_double (event1, "data.value", 6.5);
  assert_local_time (event0, "data.timestamp", 2026, 11, 25, 17, 40, 20, 117656);

  g_assert_cmpstr (lablink_message_get_type_name (updated), ==, "alarm_updated");
  g_assert_null (lablink_message_get_equipment_id (updated));
  assert_string (updated, "data.state", "acknowledged");
  assert_string (updated, "data.acknowledged_by", "fixture-capture");
  assert_local_time (updated, "data.acknowledged_at", 2026, 11, 25, 17, 40, 20, 322069);

  g_assert_cmpstr (lablink_message_get_type_name (cleared0), ==, "alarm_cleared");
  assert_string (cleared0, "data.event_id", "event_04664bc4");
  assert_string (cleared1, "data.event_id", "event_838b74e5");
}

/* Consecutive acquisition_stream frames hold overlapping windows (the
 * latest num_samples samples): merged by timestamp, they give exactly the
 * samples the server counted, and overlapping samples agree. */
static void
check_overlapping_windows (const char *scenario,
                           guint       window,
                           gint64      expected_total)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(GHashTable) merged = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(LablinkMessage) previous = NULL;
  guint i, frames = 0, overlaps = 0;
  gint64 total = -1;

  for (i = 0; i < lines->len; i++)
    {
      const FixtureLine *line = g_ptr_array_index (lines, i);
      g_autoptr(LablinkMessage) m = NULL;
      const gint64 *times;
      gsize n, k;
      guint channels;

      if (g_strcmp0 (fixture_str (line, "dir"), "recv") != 0 ||
          g_strcmp0 (fixture_str (line, "scenario"), scenario) != 0)
        continue;
      m = parse_line (line);
      if (lablink_message_get_message_type (m) != LABLINK_MESSAGE_ACQUISITION_STREAM)
        continue;
      frames++;
      g_assert_true (lablink_message_get_int (m, "stats.total_samples", &total));
      if (lablink_message_get_n_samples (m) == 0)
        continue;

      times = lablink_message_get_sample_times (m, &n);
      channels = lablink_message_get_n_channels (m);
      g_assert_cmpuint (n, <=, window);
      g_assert_cmpuint (channels, ==, 2);

      if (previous != NULL)
        {
          gsize pn = 0;
          const gint64 *ptimes = lablink_message_get_sample_times (previous, &pn);
          /* the window slides forward: it never starts before the previous one */
          g_assert_cmpint (times[0], >=, ptimes[0]);
          if (times[0] <= ptimes[pn - 1])
            overlaps++;
        }

      for (k = 0; k < n; k++)
        {
          double *row = g_hash_table_lookup (merged, &times[k]);
          guint c;

          if (row == NULL)
            {
              row = g_new (double, channels);
              for (c = 0; c < channels; c++)
                row[c] = lablink_message_get_channel_values (m, c, NULL)[k];
              g_hash_table_insert (merged, g_memdup2 (&times[k], sizeof (gint64)), row);
            }
          else
            for (c = 0; c < channels; c++)
              g_assert_true (ref_same_double (row[c], lablink_message_get_channel_values (m, c, NULL)[k]));
        }

      g_clear_pointer (&previous, lablink_message_unref);
      previous = g_steal_pointer (&m);
    }

  g_test_message ("%s: %u frames, %u overlapping the previous window, %u distinct samples",
                  scenario, frames, overlaps, g_hash_table_size (merged));
  g_assert_cmpuint (overlaps, >, 0);
  g_assert_cmpint (total, ==, expected_total);
  g_assert_cmpuint (g_hash_table_size (merged), ==, (guint) expected_total);
}

static void
test_acquisition_overlapping_windows (void)
{
  check_overlapping_windows ("acquisition", 50, 54);
  check_overlapping_windows ("acquisition-nan", 5, 17);
}

/* The real server's waveform frames carry no samples; they come from
 * POST /api/waveform/capture. Attach the recorded capture to a recorded frame. */
static void
test_waveform_capture_attach (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) frame = parse_line (codec_find_recv (lines, "ws-scope-waveform", "stream_data", NULL, 0));
  guint i, captures = 0;

  for (i = 0; i < lines->len; i++)
    {
      const FixtureLine *line = g_ptr_array_index (lines, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(LablinkMessage) with = NULL;
      g_autofree double *samples = NULL;
      JsonObject *object;
      JsonArray *voltage, *time_data;
      const double *got;
      gsize n = 0, k;

      if (g_strcmp0 (fixture_str (line, "dir"), "rest") != 0 ||
          g_strcmp0 (fixture_str (line, "path"), "/api/waveform/capture") != 0 ||
          json_object_get_int_member (line->object, "status") != 200)
        continue;

      body = lablink_json_parse (fixture_str (line, "body"), -1, &error);
      g_assert_no_error (error);
      object = json_node_get_object (body);
      g_assert_cmpint (json_object_get_int_member (object, "num_samples"), ==, 1000);
      voltage = json_object_get_array_member (object, "voltage_data");
      time_data = json_object_get_array_member (object, "time_data");
      g_assert_cmpuint (json_array_get_length (voltage), ==, 1000);
      g_assert_cmpuint (json_array_get_length (time_data), ==, 1000);
      g_assert_cmpfloat (json_array_get_double_element (time_data, 1), ==, 1e-09);
      g_assert_true (json_object_get_null_member (object, "trigger_time"));

      samples = g_new (double, json_array_get_length (voltage));
      for (k = 0; k < json_array_get_length (voltage); k++)
        samples[k] = json_array_get_double_element (voltage, k);

      with = lablink_message_new_with_waveform (frame, samples, json_array_get_length (voltage));
      g_assert_nonnull (with);
      g_assert_true (with != frame);
      got = lablink_message_get_waveform (with, &n);
      g_assert_cmpuint (n, ==, 1000);
      g_assert_true (got != samples);  /* copied */
      for (k = 0; k < n; k++)
        g_assert_cmpfloat (got[k], ==, samples[k]);

      /* Everything else is the frame's. */
      g_assert_cmpint (lablink_message_get_message_type (with), ==, LABLINK_MESSAGE_STREAM_DATA);
      g_assert_cmpstr (lablink_message_get_stream_key (with), ==, lablink_message_get_stream_key (frame));
      g_assert_cmpint (lablink_message_get_received_time (with), ==, lablink_message_get_received_time (frame));
      g_assert_true (g_bytes_equal (lablink_message_get_bytes (with), lablink_message_get_bytes (frame)));
      captures++;
    }

  g_assert_cmpuint (captures, ==, 2);
  /* the original is untouched */
  g_assert_null (lablink_message_get_waveform (frame, NULL));
}

void
codec_add_fixture_tests (void)
{
  static const char * const files[] = { FIXTURE_PATCHED, FIXTURE_UPSTREAM, FIXTURE_AUTH };
  static const char * const modes[] = { "patched", "upstream", "auth" };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *recv = g_strdup_printf ("/codec/fixtures/%s/recv", modes[i]);
      g_autofree char *sent = g_strdup_printf ("/codec/fixtures/%s/sent", modes[i]);
      g_autofree char *rest = g_strdup_printf ("/codec/fixtures/%s/rest", modes[i]);

      g_test_add_data_func (recv, files[i], test_fixture_recv);
      g_test_add_data_func (sent, files[i], test_fixture_sent);
      g_test_add_data_func (rest, files[i], test_fixture_rest);
    }

  g_test_add_func ("/codec/fixtures/values/psu-readings", test_values_psu_readings);
  g_test_add_func ("/codec/fixtures/values/auth-readings", test_values_auth_readings);
  g_test_add_func ("/codec/fixtures/values/load-readings", test_values_load_readings);
  g_test_add_func ("/codec/fixtures/values/scope-waveform", test_values_scope_waveform);
  g_test_add_func ("/codec/fixtures/values/scope-measurements", test_values_scope_measurements);
  g_test_add_func ("/codec/fixtures/values/acquisition", test_values_acquisition);
  g_test_add_func ("/codec/fixtures/values/acquisition-nan", test_values_acquisition_nan);
  g_test_add_func ("/codec/fixtures/values/error-and-pong", test_values_error_and_pong);
  g_test_add_func ("/codec/fixtures/values/alarms", test_values_alarms);
  g_test_add_func ("/codec/fixtures/acquisition/overlapping-windows", test_acquisition_overlapping_windows);
  g_test_add_func ("/codec/fixtures/waveform-capture-attach", test_waveform_capture_attach);
}
