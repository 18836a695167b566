/* codec-fixtures-sent.c — every `sent` frame of the recordings
 *
 * Every frame the recording client sent goes through lablink_message_parse():
 * the deliberately bad frames of the ws-bad-input scenario fail with the
 * error a codec must give, every other one is read as json-glib reads it and
 * is rebuilt to the letter by the client frame builders. The frames of each
 * kind are tallied against the README's table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "codec-tests.h"

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
      readme_tally (counts, fixture_str (line, "mode"), "sent", bad_sent_frames[i].label);
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
  readme_tally (counts, fixture_str (line, "mode"), "sent", label);

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

/* Every `sent` frame of one recording. */
static void
test_fixture_sent (gconstpointer data)
{
  const char *file = data;
  g_autoptr(GPtrArray) lines = codec_load_fixture (file);
  g_autoptr(GHashTable) counts = readme_new_counts ();
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
  readme_compare_counts (counts, fixture_mode (file), "sent");
}

void
codec_add_fixture_sent_tests (void)
{
  codec_add_per_recording_test ("sent", test_fixture_sent);
}
