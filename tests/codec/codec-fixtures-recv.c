/* codec-fixtures-recv.c — every `recv` frame of the recordings
 *
 * Every frame the real LabLink 1.2.5 server sent, in the three recordings of
 * tests/data/lablink-1.2.5, goes through lablink_message_parse() and is
 * compared with an independent reading of the same text (json-glib, and
 * GDateTime for timestamps): message type, stream key, every member through
 * the typed accessors, acquisition windows and the whole tree. The frames of
 * each kind are tallied against the README's table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "codec-tests.h"

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
  readme_tally (counts, fixture_str (line, "mode"), "recv", label);

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

/* Every `recv` frame of one recording. */
static void
test_fixture_recv (gconstpointer data)
{
  const char *file = data;
  g_autoptr(GPtrArray) lines = codec_load_fixture (file);
  g_autoptr(GHashTable) counts = readme_new_counts ();
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
  readme_compare_counts (counts, fixture_mode (file), "recv");
}

void
codec_add_fixture_recv_tests (void)
{
  codec_add_per_recording_test ("recv", test_fixture_recv);
}
