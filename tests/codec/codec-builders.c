/* codec-builders.c — client frame builders and JSON string writer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "codec-tests.h"

/* Parses @text with both the codec and json-glib and checks they agree. */
static LablinkMessage *
parse_built (const char *text)
{
  g_autoptr(JsonNode) ref = NULL;
  g_autoptr(GError) error = NULL;
  LablinkMessage *message = parse_ok (text);

  ref = ref_parse_json (text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (ref_nodes_match (lablink_message_get_node (message), ref, FALSE, NULL));
  return message;
}

static void
test_build_start_stream (void)
{
  /* The fixture's frame (patched ws-psu-readings, and auth with 200 ms). */
  static const struct {
    const char *equipment_id, *stream_type;
    guint interval;
    const char *expected;
  } cases[] = {
    { "ps_250e6dfe", "readings", 100,
      "{\"type\": \"start_stream\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", \"interval_ms\": 100}" },
    { "ps_250e6dfe", "readings", 200,
      "{\"type\": \"start_stream\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", \"interval_ms\": 200}" },
    { "scope_386959fc", "waveform", 100,
      "{\"type\": \"start_stream\", \"equipment_id\": \"scope_386959fc\", \"stream_type\": \"waveform\", \"interval_ms\": 100}" },
    { "scope_386959fc", "measurements", 200,
      "{\"type\": \"start_stream\", \"equipment_id\": \"scope_386959fc\", \"stream_type\": \"measurements\", \"interval_ms\": 200}" },
    { "load_47fa0d5c", "readings", 200,
      "{\"type\": \"start_stream\", \"equipment_id\": \"load_47fa0d5c\", \"stream_type\": \"readings\", \"interval_ms\": 200}" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = lablink_protocol_build_start_stream (cases[i].equipment_id, cases[i].stream_type,
                                                                   cases[i].interval);
      g_autoptr(LablinkMessage) m = NULL;
      g_autofree char *key = g_strdup_printf ("%s_%s", cases[i].equipment_id, cases[i].stream_type);
      gint64 interval = 0;

      g_assert_cmpstr (text, ==, cases[i].expected);
      m = parse_built (text);
      g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_START_STREAM);
      g_assert_cmpstr (lablink_message_get_type_name (m), ==, "start_stream");
      g_assert_cmpstr (lablink_message_get_equipment_id (m), ==, cases[i].equipment_id);
      g_assert_cmpstr (lablink_message_get_stream_type (m), ==, cases[i].stream_type);
      g_assert_cmpstr (lablink_message_get_stream_key (m), ==, key);
      g_assert_true (lablink_message_get_int (m, "interval_ms", &interval));
      g_assert_cmpint (interval, ==, cases[i].interval);
    }
}

/* The exact text of the fixture's frame, read from the recording. */
static void
test_build_matches_fixture (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autofree char *built = lablink_protocol_build_start_stream ("ps_250e6dfe", LABLINK_STREAM_READINGS,
                                                                LABLINK_DEFAULT_INTERVAL_MS);
  g_autofree char *ping = lablink_protocol_build_ping ();
  g_autofree char *stop = lablink_protocol_build_stop_stream ("ps_250e6dfe", LABLINK_STREAM_READINGS);
  g_autofree char *start_acq = lablink_protocol_build_start_acquisition_stream ("da3c9cc7-db72-47e4-8e0f-391eafc48747", 300, 5);
  g_autofree char *stop_acq = lablink_protocol_build_stop_acquisition_stream ("da3c9cc7-db72-47e4-8e0f-391eafc48747");
  gboolean found[5] = { FALSE };
  guint i;

  for (i = 0; i < lines->len; i++)
    {
      const FixtureLine *line = g_ptr_array_index (lines, i);
      const char *frame = fixture_str (line, "frame");
      const char *scenario = fixture_str (line, "scenario");

      if (g_strcmp0 (fixture_str (line, "dir"), "sent") != 0)
        continue;
      if (g_strcmp0 (scenario, "ws-psu-readings") == 0 && g_str_has_prefix (frame, "{\"type\": \"start_stream\""))
        {
          g_assert_cmpstr (built, ==, frame);
          found[0] = TRUE;
        }
      if (g_strcmp0 (scenario, "ws-psu-readings") == 0 && g_str_has_prefix (frame, "{\"type\": \"stop_stream\""))
        {
          g_assert_cmpstr (stop, ==, frame);
          found[1] = TRUE;
        }
      if (g_strcmp0 (scenario, "ws-psu-readings") == 0 && g_str_has_prefix (frame, "{\"type\": \"ping\""))
        {
          g_assert_cmpstr (ping, ==, frame);
          found[2] = TRUE;
        }
      if (g_strcmp0 (scenario, "acquisition-nan") == 0 && g_str_has_prefix (frame, "{\"type\": \"start_acq"))
        {
          g_assert_cmpstr (start_acq, ==, frame);
          found[3] = TRUE;
        }
      if (g_strcmp0 (scenario, "acquisition-nan") == 0 && g_str_has_prefix (frame, "{\"type\": \"stop_acq"))
        {
          g_assert_cmpstr (stop_acq, ==, frame);
          found[4] = TRUE;
        }
    }

  for (i = 0; i < G_N_ELEMENTS (found); i++)
    g_assert_true (found[i]);
}

static void
test_build_stop_stream (void)
{
  g_autofree char *text = lablink_protocol_build_stop_stream ("scope_386959fc", LABLINK_STREAM_MEASUREMENTS);
  g_autoptr(LablinkMessage) m = NULL;

  g_assert_cmpstr (text, ==, "{\"type\": \"stop_stream\", \"equipment_id\": \"scope_386959fc\", \"stream_type\": \"measurements\"}");
  m = parse_built (text);
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_STOP_STREAM);
  g_assert_cmpstr (lablink_message_get_equipment_id (m), ==, "scope_386959fc");
  g_assert_cmpstr (lablink_message_get_stream_type (m), ==, "measurements");
  g_assert_cmpstr (lablink_message_get_stream_key (m), ==, "scope_386959fc_measurements");
  g_assert_false (lablink_message_has_member (m, "interval_ms"));
}

static void
test_build_start_acquisition_stream (void)
{
  g_autofree char *text = lablink_protocol_build_start_acquisition_stream ("ef958d84-9aec-47c8-9f5b-953407d0f2d1", 200, 50);
  g_autofree char *defaults = lablink_protocol_build_start_acquisition_stream ("x", LABLINK_DEFAULT_INTERVAL_MS,
                                                                              LABLINK_DEFAULT_NUM_SAMPLES);
  g_autofree char *extreme = lablink_protocol_build_start_acquisition_stream ("x", G_MAXUINT, 0);
  g_autoptr(LablinkMessage) m = NULL;
  g_autoptr(LablinkMessage) e = NULL;
  gint64 v = 0;

  g_assert_cmpstr (text, ==,
                   "{\"type\": \"start_acquisition_stream\", \"acquisition_id\": \"ef958d84-9aec-47c8-9f5b-953407d0f2d1\", "
                   "\"interval_ms\": 200, \"num_samples\": 50}");
  m = parse_built (text);
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_START_ACQUISITION_STREAM);
  g_assert_cmpstr (lablink_message_get_acquisition_id (m), ==, "ef958d84-9aec-47c8-9f5b-953407d0f2d1");
  g_assert_cmpstr (lablink_message_get_stream_key (m), ==, "acquisition_ef958d84-9aec-47c8-9f5b-953407d0f2d1");
  g_assert_true (lablink_message_get_int (m, "interval_ms", &v));
  g_assert_cmpint (v, ==, 200);
  g_assert_true (lablink_message_get_int (m, "num_samples", &v));
  g_assert_cmpint (v, ==, 50);
  g_assert_null (lablink_message_get_equipment_id (m));

  g_assert_cmpstr (defaults, ==,
                   "{\"type\": \"start_acquisition_stream\", \"acquisition_id\": \"x\", \"interval_ms\": 100, \"num_samples\": 100}");

  g_assert_cmpstr (extreme, ==,
                   "{\"type\": \"start_acquisition_stream\", \"acquisition_id\": \"x\", \"interval_ms\": 4294967295, \"num_samples\": 0}");
  e = parse_built (extreme);
  g_assert_true (lablink_message_get_int (e, "interval_ms", &v));
  g_assert_cmpint (v, ==, G_MAXUINT);
  g_assert_true (lablink_message_get_int (e, "num_samples", &v));
  g_assert_cmpint (v, ==, 0);
}

static void
test_build_stop_acquisition_stream (void)
{
  g_autofree char *text = lablink_protocol_build_stop_acquisition_stream ("00000000-0000-0000-0000-000000000000");
  g_autoptr(LablinkMessage) m = NULL;

  g_assert_cmpstr (text, ==,
                   "{\"type\": \"stop_acquisition_stream\", \"acquisition_id\": \"00000000-0000-0000-0000-000000000000\"}");
  m = parse_built (text);
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_STOP_ACQUISITION_STREAM);
  g_assert_cmpstr (lablink_message_get_acquisition_id (m), ==, "00000000-0000-0000-0000-000000000000");
  g_assert_cmpstr (lablink_message_get_stream_key (m), ==, "acquisition_00000000-0000-0000-0000-000000000000");
}

static void
test_build_ping (void)
{
  g_autofree char *text = lablink_protocol_build_ping ();
  g_autoptr(LablinkMessage) m = NULL;

  g_assert_cmpstr (text, ==, "{\"type\": \"ping\"}");
  m = parse_built (text);
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_PING);
  g_assert_cmpstr (lablink_message_get_type_name (m), ==, "ping");
  g_assert_null (lablink_message_get_stream_key (m));
}

/* Ids that need escaping survive the round trip through the builders and
 * the codec (and json-glib agrees). */
static void
test_build_escaping_round_trip (void)
{
  static const char * const ids[] = {
    "",
    "with \"quotes\"",
    "back\\slash",
    "slash/",
    "tab\tnewline\ncr\rbs\bff\f",
    "\x01\x02\x1f\x7f",
    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",     /* café € 😀 */
    "\xe2\x80\xa8 line separator",
    "{\"type\": \"ping\"}",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *start = lablink_protocol_build_start_stream (ids[i], ids[i], 7);
      g_autofree char *stop = lablink_protocol_build_stop_stream (ids[i], "readings");
      g_autofree char *start_acq = lablink_protocol_build_start_acquisition_stream (ids[i], 1, 2);
      g_autofree char *stop_acq = lablink_protocol_build_stop_acquisition_stream (ids[i]);
      g_autoptr(LablinkMessage) a = parse_built (start);
      g_autoptr(LablinkMessage) b = parse_built (stop);
      g_autoptr(LablinkMessage) c = parse_built (start_acq);
      g_autoptr(LablinkMessage) d = parse_built (stop_acq);
      g_autofree char *key = g_strdup_printf ("%s_%s", ids[i], ids[i]);
      g_autofree char *acq_key = g_strdup_printf ("acquisition_%s", ids[i]);

      g_assert_true (g_utf8_validate (start, -1, NULL));
      g_assert_cmpint (lablink_message_get_message_type (a), ==, LABLINK_MESSAGE_START_STREAM);
      g_assert_cmpstr (lablink_message_get_equipment_id (a), ==, ids[i]);
      g_assert_cmpstr (lablink_message_get_stream_type (a), ==, ids[i]);
      g_assert_cmpstr (lablink_message_get_stream_key (a), ==, key);
      g_assert_cmpstr (lablink_message_get_equipment_id (b), ==, ids[i]);
      g_assert_cmpstr (lablink_message_get_acquisition_id (c), ==, ids[i]);
      g_assert_cmpstr (lablink_message_get_stream_key (c), ==, acq_key);
      g_assert_cmpstr (lablink_message_get_acquisition_id (d), ==, ids[i]);
    }
}

static void
test_stream_keys (void)
{
  g_autofree char *a = lablink_protocol_stream_key ("ps_250e6dfe", LABLINK_STREAM_READINGS);
  g_autofree char *b = lablink_protocol_stream_key ("scope_386959fc", LABLINK_STREAM_WAVEFORM);
  g_autofree char *c = lablink_protocol_acquisition_key ("ef958d84-9aec-47c8-9f5b-953407d0f2d1");
  g_autofree char *d = lablink_protocol_stream_key ("", "");

  g_assert_cmpstr (a, ==, "ps_250e6dfe_readings");
  g_assert_cmpstr (b, ==, "scope_386959fc_waveform");
  g_assert_cmpstr (c, ==, "acquisition_ef958d84-9aec-47c8-9f5b-953407d0f2d1");
  g_assert_cmpstr (d, ==, "_");
  g_assert_cmpstr (LABLINK_STREAM_MEASUREMENTS, ==, "measurements");
  g_assert_cmpint (LABLINK_DEFAULT_INTERVAL_MS, ==, 100);
  g_assert_cmpint (LABLINK_DEFAULT_NUM_SAMPLES, ==, 100);
}

static void
test_append_string (void)
{
  static const struct {
    const char *in, *out;
  } cases[] = {
    { "", "\"\"" },
    { "plain", "\"plain\"" },
    { "\"", "\"\\\"\"" },
    { "\\", "\"\\\\\"" },
    { "/", "\"/\"" },
    { "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"" },
    { "\x01\x1f", "\"\\u0001\\u001f\"" },
    { "\x7f", "\"\x7f\"" },
    { "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
  };
  gsize i;
  int c;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new ("x");
      g_autofree char *expected = g_strconcat ("x", cases[i].out, NULL);

      lablink_json_append_string (out, cases[i].in);
      g_assert_cmpstr (out->str, ==, expected);
    }

  {
    g_autoptr(GString) out = g_string_new (NULL);
    lablink_json_append_string (out, NULL);
    g_assert_cmpstr (out->str, ==, "null");
  }

  /* Every control character round-trips through the codec's own parser
   * and through json-glib. */
  for (c = 1; c < 0x20; c++)
    {
      char in[4] = { 'a', (char) c, 'b', 0 };
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) ours = NULL;
      g_autoptr(JsonNode) ref = NULL;

      lablink_json_append_string (out, in);
      ours = lablink_json_parse (out->str, (gssize) out->len, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_node_get_string (ours), ==, in);
      ref = ref_parse_json (out->str, (gssize) out->len, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_node_get_string (ref), ==, in);
    }
}


/* A REST answer written back into a frame (the polling fallback): bare NaN
 * survives, where json_to_string() would write `nan.0`. */
static void
test_append_node (void)
{
  static const char answer[] =
    "{\"voltage\": NaN, \"current\": 0.25, \"channel\": 1, \"on\": true,"
    " \"mode\": \"CV\", \"limits\": [1, -2.5, null], \"none\": null}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = lablink_json_parse (answer, -1, &error);
  g_autoptr(GString) frame = g_string_new ("{\"type\": \"stream_data\", \"equipment_id\": \"ps_1\","
                                           " \"stream_type\": \"readings\", \"data\": ");
  g_autoptr(LablinkMessage) message = NULL;
  g_autofree char *mode = NULL;
  double value = 0;

  g_assert_no_error (error);
  lablink_json_append_node (frame, node);
  g_string_append_c (frame, '}');
  g_assert_nonnull (strstr (frame->str, "\"voltage\": NaN"));
  g_assert_nonnull (strstr (frame->str, "\"limits\": [1, -2.5, null]"));

  message = lablink_message_parse (frame->str, (gssize) frame->len, &error);
  g_assert_no_error (error);
  g_assert_true (lablink_message_get_double (message, "data.voltage", &value));
  g_assert_true (isnan (value));
  g_assert_true (lablink_message_get_double (message, "data.current", &value));
  g_assert_cmpfloat (value, ==, 0.25);
  mode = lablink_message_dup_string (message, "data.mode");
  g_assert_cmpstr (mode, ==, "CV");
}

void
codec_add_builder_tests (void)
{
  g_test_add_func ("/codec/builders/start-stream", test_build_start_stream);
  g_test_add_func ("/codec/builders/matches-fixture", test_build_matches_fixture);
  g_test_add_func ("/codec/builders/stop-stream", test_build_stop_stream);
  g_test_add_func ("/codec/builders/start-acquisition-stream", test_build_start_acquisition_stream);
  g_test_add_func ("/codec/builders/stop-acquisition-stream", test_build_stop_acquisition_stream);
  g_test_add_func ("/codec/builders/ping", test_build_ping);
  g_test_add_func ("/codec/builders/escaping-round-trip", test_build_escaping_round_trip);
  g_test_add_func ("/codec/builders/stream-keys", test_stream_keys);
  g_test_add_func ("/codec/builders/append-string", test_append_string);
  g_test_add_func ("/codec/builders/append-node", test_append_node);
}
