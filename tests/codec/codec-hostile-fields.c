/* codec-hostile-fields.c — hostile frames: well-formed JSON, wrong or odd frames
 *
 * Missing and mistyped fields of every message type, acquisition windows
 * with bad timestamps (the sample is dropped, not the window), events, and
 * the oddities that are accepted: duplicate keys, unknown types, escaped
 * names, an empty key.
 *
 * Every case is its own test (/codec/hostile/<name>), registered by
 * codec_add_hostile_cases(): parsed through lablink_message_parse(),
 * lablink_message_parse_bytes() and (for the JSON-level verdict)
 * lablink_json_parse(), refused with its exact error or accepted and checked
 * by its verifier.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "codec-tests.h"

/* ---- verifiers of accepted frames ------------------------------------ */

static void
verify_bad_stream_timestamp (LablinkMessage *m)
{
  g_autofree char *s = get_string (m, "data.timestamp");
  gint64 t;

  /* Only the JSON type is checked at parse time; the text is checked by the
   * accessor. */
  g_assert_cmpstr (s, ==, "yesterday");
  g_assert_false (lablink_message_get_timestamp (m, "data.timestamp", &t));
}

/* Duplicate keys: the typed accessors see the FIRST occurrence. (What
 * lablink_message_get_node() shows is checked in /codec/known-bugs/.) */
static void
verify_duplicate_type (LablinkMessage *m)
{
  g_autofree char *type = get_string (m, "type");

  verify_ping (m);
  g_assert_cmpstr (type, ==, "ping");
}

static void
verify_duplicate_equipment_id (LablinkMessage *m)
{
  g_assert_cmpstr (lablink_message_get_equipment_id (m), ==, "first");
  g_assert_cmpstr (lablink_message_get_stream_key (m), ==, "first_readings");
  g_assert_cmpfloat (get_double (m, "data.voltage_actual"), ==, 1.0);
}

static void
verify_unknown_type (LablinkMessage *m)
{
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_UNKNOWN);
  g_assert_cmpstr (lablink_message_get_type_name (m), ==, "no_such_type");
  g_assert_null (lablink_message_get_equipment_id (m));
  g_assert_null (lablink_message_get_stream_key (m));
}

static void
verify_unknown_type_with_fields (LablinkMessage *m)
{
  verify_unknown_type (m);
  /* Unknown types are not validated: nothing decoded, all still reachable. */
  g_assert_cmpfloat (get_double (m, "equipment_id"), ==, 5.0);
  g_assert_cmpfloat (get_double (m, "data.1"), ==, 2.0);
}

static void
verify_string_escapes (LablinkMessage *m)
{
  g_autofree char *simple = get_string (m, "simple");
  g_autofree char *bmp = get_string (m, "bmp");
  g_autofree char *upper = get_string (m, "upper");
  g_autofree char *pair = get_string (m, "pair");
  g_autofree char *pair_upper = get_string (m, "pair_upper");
  g_autofree char *lone_high = get_string (m, "lone_high");
  g_autofree char *lone_low = get_string (m, "lone_low");
  g_autofree char *high_then_char = get_string (m, "high_then_char");
  g_autofree char *high_at_end = get_string (m, "high_at_end");
  g_autofree char *nul = get_string (m, "nul");
  g_autofree char *mixed = get_string (m, "mi\xc3\xa9x");
  g_autofree char *raw = get_string (m, "raw");

  verify_ping (m);
  g_assert_cmpstr (simple, ==, "\"\\/\b\f\n\r\t");
  g_assert_cmpstr (bmp, ==, "\xc3\xa9\xe2\x82\xac");          /* é€ */
  g_assert_cmpstr (upper, ==, "\xc3\x89");                    /* É */
  g_assert_cmpstr (pair, ==, "\xf0\x9f\x98\x80");             /* U+1F600 */
  g_assert_cmpstr (pair_upper, ==, "\xf0\x9d\x84\x9e");       /* U+1D11E */
  /* Unpaired surrogates cannot be UTF-8: each becomes U+FFFD. */
  g_assert_cmpstr (lone_high, ==, "a\xef\xbf\xbd" "b");
  g_assert_cmpstr (lone_low, ==, "\xef\xbf\xbd");
  g_assert_cmpstr (high_then_char, ==, "\xef\xbf\xbd" "A");
  g_assert_cmpstr (high_at_end, ==, "\xef\xbf\xbd");
  /* \u0000 would truncate a C string: it becomes U+FFFD too. */
  g_assert_cmpstr (nul, ==, "x\xef\xbf\xbdy");
  g_assert_cmpstr (mixed, ==, "k\xc3\xa9y");                  /* escaped key, raw UTF-8 in the lookup */
  g_assert_cmpstr (raw, ==, "Gr\xc3\xbc\xc3\x9f" "e \xf0\x9f\x98\x80");
  g_assert_true (g_utf8_validate (lone_high, -1, NULL));
}

static void
verify_escaped_channel_name (LablinkMessage *m)
{
  g_assert_cmpstr (lablink_message_get_channel_name (m, 0), ==, "CH\"1\"");
  g_assert_cmpstr (lablink_message_get_channel_name (m, 1), ==, "\xce\xa9");  /* Ω */
  g_assert_cmpfloat (lablink_message_get_channel_values (m, 1, NULL)[0], ==, 3.0);
}

static void
verify_empty_key (LablinkMessage *m)
{
  JsonObject *root = json_node_get_object (lablink_message_get_node (m));
  double d;

  verify_ping (m);
  /* The dotted path "" names the root object, so the member "" cannot be
   * reached through the typed accessors; the tree has it. */
  g_assert_true (lablink_message_has_member (m, ""));
  g_assert_false (lablink_message_get_double (m, "", &d));
  g_assert_cmpint (json_object_get_int_member (root, ""), ==, 1);
}

static void
verify_error_without_detail (LablinkMessage *m)
{
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_ERROR);
  g_assert_cmpstr (lablink_message_get_detail (m), ==, "");
}

static void
verify_error_null_detail (LablinkMessage *m)
{
  verify_error_without_detail (m);
}

static void
verify_extra_fields (LablinkMessage *m)
{
  g_autofree char *s = get_string (m, "extra.nested.0");

  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_STREAM_STARTED);
  g_assert_cmpstr (s, ==, "x");
}

/* Acquisition windows with bad timestamps: the bad sample is dropped and
 * counted, the others kept with their own values. */
static void
verify_one_good_one_dropped (LablinkMessage *m)
{
  const gint64 *invalid;
  gsize n = 0;

  g_assert_nonnull (lablink_message_get_sample_times (m, &n));
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpfloat (lablink_message_get_channel_values (m, 0, NULL)[0], ==, 1);
  invalid = lablink_message_get_invalid_samples (m, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (invalid[0], ==, lablink_message_get_sample_times (m, NULL)[0]);
}

static void
verify_all_dropped (LablinkMessage *m)
{
  const gint64 *invalid;
  gsize n = 1;

  lablink_message_get_sample_times (m, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (lablink_message_get_n_channels (m), ==, 1);
  lablink_message_get_channel_values (m, 0, &n);
  g_assert_cmpuint (n, ==, 0);
  invalid = lablink_message_get_invalid_samples (m, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (invalid[0], ==, G_MININT64);
}

static void
verify_middle_dropped (LablinkMessage *m)
{
  const gint64 *times, *invalid;
  const double *ch1, *ch2;
  gsize n = 0;

  times = lablink_message_get_sample_times (m, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (times[1] - times[0], ==, G_USEC_PER_SEC);
  ch1 = lablink_message_get_channel_values (m, 0, &n);
  g_assert_cmpuint (n, ==, 2);
  ch2 = lablink_message_get_channel_values (m, 1, NULL);
  g_assert_cmpfloat (ch1[0], ==, 1);
  g_assert_cmpfloat (ch1[1], ==, 3);
  g_assert_cmpfloat (ch2[0], ==, 4);
  g_assert_cmpfloat (ch2[1], ==, 6);
  invalid = lablink_message_get_invalid_samples (m, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (invalid[0], ==, times[0]);
}

static void
verify_event_without_data (LablinkMessage *m)
{
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_EVENT);
  g_assert_cmpstr (lablink_message_get_type_name (m), ==, "job_completed");
  g_assert_null (lablink_message_get_equipment_id (m));
}

static void
verify_event_nonstring_equipment (LablinkMessage *m)
{
  /* events are informative: a bad equipment_id is ignored, not an error */
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_EVENT);
  g_assert_null (lablink_message_get_equipment_id (m));
}

static const HostileCase cases[] = {
  /* Missing or mistyped fields. */
  { "type-number", "{\"type\": 5}", -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "type-null", "{\"type\": null}", -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "type-bool", "{\"type\": true}", -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "type-object", "{\"type\": {\"type\": \"ping\"}}", -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "type-array", "{\"type\": [\"ping\"]}", -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "type-missing", "{\"no_type\": 1}", -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "type-nested-only", "{\"data\": {\"type\": \"ping\"}}", -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "empty-object", "{}", -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "equipment-id-number",
    "{\"type\": \"stream_data\", \"equipment_id\": 250, \"stream_type\": \"readings\", \"data\": {}}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "equipment-id-missing", "{\"type\": \"stream_data\", \"stream_type\": \"readings\", \"data\": {}}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "equipment-id-null",
    "{\"type\": \"stream_data\", \"equipment_id\": null, \"stream_type\": \"readings\", \"data\": {}}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "stream-type-number", "{\"type\": \"stream_data\", \"equipment_id\": \"e\", \"stream_type\": 1, \"data\": {}}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "stream-type-missing", "{\"type\": \"stream_data\", \"equipment_id\": \"e\", \"data\": {}}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "data-string", "{\"type\": \"stream_data\", \"equipment_id\": \"e\", \"stream_type\": \"readings\", \"data\": \"{}\"}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "data-array", "{\"type\": \"stream_data\", \"equipment_id\": \"e\", \"stream_type\": \"readings\", \"data\": []}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "data-null", "{\"type\": \"stream_data\", \"equipment_id\": \"e\", \"stream_type\": \"readings\", \"data\": null}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "data-missing", "{\"type\": \"stream_data\", \"equipment_id\": \"e\", \"stream_type\": \"readings\"}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "voltage-actual-string", VALUE ("\"5.0\""), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "voltage-actual-bool", VALUE ("true"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "voltage-actual-array", VALUE ("[5.0]"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "channel-string", SD ("\"channel\": \"1\""), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "output-enabled-string", SD ("\"output_enabled\": \"true\""), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "output-enabled-number", SD ("\"output_enabled\": 1"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "load-enabled-string", SD ("\"load_enabled\": \"false\""), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "data-timestamp-number", SD ("\"timestamp\": 1795626877"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "data-mode-number", SD ("\"mode\": 1"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "data-timestamp-bad-text", SD ("\"timestamp\": \"yesterday\""), -1, ACCEPT, verify_bad_stream_timestamp },
  { "waveform-samples-string", WF ("\"voltage_data\": \"1,2,3\""), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "waveform-samples-object", WF ("\"voltage_data\": {\"0\": 1}"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "waveform-sample-bool", WF ("\"voltage_data\": [1, true]"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "waveform-sample-string", WF ("\"voltage_data\": [1, \"2\"]"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "waveform-sample-nested", WF ("\"voltage_data\": [[1]]"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "started-equipment-id-number", "{\"type\": \"stream_started\", \"equipment_id\": 1, \"stream_type\": \"readings\"}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "stopped-stream-type-missing", "{\"type\": \"stream_stopped\", \"equipment_id\": \"e\"}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "start-stream-interval-string",
    "{\"type\": \"start_stream\", \"equipment_id\": \"e\", \"stream_type\": \"readings\", \"interval_ms\": \"100\"}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "start-acquisition-samples-string",
    "{\"type\": \"start_acquisition_stream\", \"acquisition_id\": \"a\", \"interval_ms\": 100, \"num_samples\": \"5\"}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "start-acquisition-interval-null",
    "{\"type\": \"start_acquisition_stream\", \"acquisition_id\": \"a\", \"interval_ms\": null}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-started-id-missing", "{\"type\": \"acquisition_stream_started\"}", -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-stopped-id-number", "{\"type\": \"acquisition_stream_stopped\", \"acquisition_id\": 7}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "stop-acquisition-id-missing", "{\"type\": \"stop_acquisition_stream\"}", -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "error-detail-number", "{\"type\": \"error\", \"detail\": 5}", -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "error-detail-missing", "{\"type\": \"error\"}", -1, ACCEPT, verify_error_without_detail },
  { "error-detail-null", "{\"type\": \"error\", \"detail\": null}", -1, ACCEPT, verify_error_null_detail },
  { "acquisition-id-missing", "{\"type\": \"acquisition_stream\", \"data\": null}", -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-data-string", ACQ ("\"none\""), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-data-array", ACQ ("[]"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-state-number", "{\"type\": \"acquisition_stream\", \"acquisition_id\": \"a\", \"state\": 3, \"data\": null}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-stats-array", "{\"type\": \"acquisition_stream\", \"acquisition_id\": \"a\", \"stats\": [], \"data\": null}", -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-timestamps-not-array", ACQ ("{\"timestamps\": \"2026-11-25T17:14:37\", \"values\": {}}"), -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-timestamps-object", ACQ ("{\"timestamps\": {}, \"values\": {}}"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-timestamps-missing", ACQ ("{\"values\": {\"CH1\": []}}"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-values-missing", ACQ ("{\"timestamps\": []}"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-values-array", ACQ ("{\"timestamps\": [], \"values\": [[]]}"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-values-column-not-array",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\"], \"values\": {\"CH1\": 5.0}}"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-values-element-string",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\"], \"values\": {\"CH1\": [\"5.0\"]}}"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-values-length-short",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\", \"2026-11-25T17:14:38\"], \"values\": {\"CH1\": [1, 2], \"CH2\": [1]}}"), -1,
    LABLINK_ERROR_INVALID_FIELD, NULL },
  { "acquisition-values-length-long",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\"], \"values\": {\"CH1\": [1, 2]}}"), -1, LABLINK_ERROR_INVALID_FIELD, NULL },
  /* A bad timestamp costs its own sample, never the window (issue 10). */
  { "acquisition-timestamp-bad-text",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\", \"2026-11-25 at noon\"], \"values\": {\"CH1\": [1, 2]}}"), -1,
    ACCEPT, verify_one_good_one_dropped },
  { "acquisition-timestamp-impossible-hour",
    ACQ ("{\"timestamps\": [\"2026-11-25T25:14:37\"], \"values\": {\"CH1\": [1]}}"), -1, ACCEPT, verify_all_dropped },
  { "acquisition-timestamp-bool", ACQ ("{\"timestamps\": [true], \"values\": {\"CH1\": [1]}}"), -1,
    ACCEPT, verify_all_dropped },
  { "acquisition-timestamp-null", ACQ ("{\"timestamps\": [null], \"values\": {\"CH1\": [1]}}"), -1,
    ACCEPT, verify_all_dropped },
  { "acquisition-timestamp-nan", ACQ ("{\"timestamps\": [NaN], \"values\": {\"CH1\": [1]}}"), -1,
    ACCEPT, verify_all_dropped },
  { "acquisition-timestamp-infinity", ACQ ("{\"timestamps\": [-Infinity], \"values\": {\"CH1\": [1]}}"), -1,
    ACCEPT, verify_all_dropped },
  { "acquisition-timestamp-year-9999",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\", \"9999-12-31T23:59:59.000000\", \"2026-11-25T17:14:38\"], "
         "\"values\": {\"CH1\": [1, 2, 3], \"CH2\": [4, 5, 6]}}"), -1, ACCEPT, verify_middle_dropped },
  { "acquisition-timestamp-numeric-9.2e12",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\", 9.2e12, \"2026-11-25T17:14:38\"], "
         "\"values\": {\"CH1\": [1, 2, 3], \"CH2\": [4, 5, 6]}}"), -1, ACCEPT, verify_middle_dropped },
  { "acquisition-timestamp-numeric-1e300",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\", 1e300, \"2026-11-25T17:14:38\"], "
         "\"values\": {\"CH1\": [1, 2, 3], \"CH2\": [4, 5, 6]}}"), -1, ACCEPT, verify_middle_dropped },
  { "acquisition-timestamp-numeric-minus-1e300",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\", -1e300, \"2026-11-25T17:14:38\"], "
         "\"values\": {\"CH1\": [1, 2, 3], \"CH2\": [4, 5, 6]}}"), -1, ACCEPT, verify_middle_dropped },
  { "acquisition-timestamp-year-1800",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\", \"1800-01-01T00:00:00\", \"2026-11-25T17:14:38\"], "
         "\"values\": {\"CH1\": [1, 2, 3], \"CH2\": [4, 5, 6]}}"), -1, ACCEPT, verify_middle_dropped },
  /* In range but out of order: the stray one goes, not what follows it. */
  { "acquisition-timestamp-stray-future",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\", \"2150-01-01T00:00:00\", \"2026-11-25T17:14:38\"], "
         "\"values\": {\"CH1\": [1, 2, 3], \"CH2\": [4, 5, 6]}}"), -1, ACCEPT, verify_middle_dropped },
  { "acquisition-timestamp-stray-past",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\", \"2001-01-01T00:00:00\", \"2026-11-25T17:14:38\"], "
         "\"values\": {\"CH1\": [1, 2, 3], \"CH2\": [4, 5, 6]}}"), -1, ACCEPT, verify_middle_dropped },
  { "acquisition-timestamp-escaped",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\", \"2026-11-25T17:14:3\\u0037\"], \"values\": {\"CH1\": [1, 2]}}"), -1,
    ACCEPT, verify_one_good_one_dropped },
  { "event-without-data", "{\"type\": \"job_completed\"}", -1, ACCEPT, verify_event_without_data },
  { "event-equipment-id-number", "{\"type\": \"alarm_event\", \"data\": {\"equipment_id\": 5}}", -1, ACCEPT,
    verify_event_nonstring_equipment },
  { "extra-fields-ignored",
    "{\"type\": \"stream_started\", \"equipment_id\": \"e\", \"stream_type\": \"readings\", \"extra\": {\"nested\": [\"x\"]}}", -1,
    ACCEPT, verify_extra_fields },

  /* Accepted oddities. */
  { "duplicate-keys", "{\"type\": \"ping\", \"type\": \"pong\"}", -1, ACCEPT, verify_duplicate_type },
  { "duplicate-equipment-id",
    "{\"type\": \"stream_data\", \"equipment_id\": \"first\", \"equipment_id\": \"second\", \"stream_type\": \"readings\", "
    "\"data\": {\"voltage_actual\": 1.0, \"voltage_actual\": 2.0}}", -1, ACCEPT, verify_duplicate_equipment_id },
  { "unknown-type", "{\"type\": \"no_such_type\"}", -1, ACCEPT, verify_unknown_type },
  { "unknown-type-unvalidated", "{\"type\": \"no_such_type\", \"equipment_id\": 5, \"data\": [1, 2]}", -1, ACCEPT,
    verify_unknown_type_with_fields },
  { "unknown-type-escaped", "{\"type\": \"\\u006eo_such_type\"}", -1, ACCEPT, verify_unknown_type },
  { "escaped-solidus-type", "{\"type\": \"\\/ping\"}", -1, ACCEPT, NULL },
  { "string-escapes",
    "{\"type\": \"ping\", \"simple\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"bmp\": \"\\u00e9\\u20ac\", \"upper\": \"\\u00C9\", "
    "\"pair\": \"\\ud83d\\ude00\", \"pair_upper\": \"\\uD834\\uDD1E\", \"lone_high\": \"a\\ud800b\", "
    "\"lone_low\": \"\\udc00\", \"high_then_char\": \"\\ud800\\u0041\", \"high_at_end\": \"\\ud800\", "
    "\"nul\": \"x\\u0000y\", \"mi\\u00e9x\": \"k\\u00e9y\", \"raw\": \"Gr\xc3\xbc\xc3\x9f" "e \xf0\x9f\x98\x80\"}", -1,
    ACCEPT, verify_string_escapes },
  { "escaped-channel-name",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\"], \"values\": {\"CH\\\"1\\\"\": [1], \"\\u03a9\": [3.0]}}"), -1,
    ACCEPT, verify_escaped_channel_name },
  { "empty-key", "{\"\": 1, \"type\": \"ping\"}", -1, ACCEPT, verify_empty_key },
};

void
codec_add_hostile_field_tests (void)
{
  codec_add_hostile_cases (cases, G_N_ELEMENTS (cases));
}
