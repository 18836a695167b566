/* codec-hostile.c — hostile and malformed frames, each with its exact error
 *
 * Every case is its own test (/codec/hostile/<name>), parsed through
 * lablink_message_parse(), lablink_message_parse_bytes() and (for the
 * JSON-level verdict) lablink_json_parse().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "codec-tests.h"
#include "lablink-message-private.h"

#define ACCEPT (-1)

/* Frame skeletons. */
#define SD(data) \
  "{\"type\": \"stream_data\", \"equipment_id\": \"ps_1\", \"stream_type\": \"readings\", \"data\": {" data "}}"
#define WF(data) \
  "{\"type\": \"stream_data\", \"equipment_id\": \"scope_1\", \"stream_type\": \"waveform\", \"data\": {" data "}}"
#define ACQ(data) \
  "{\"type\": \"acquisition_stream\", \"acquisition_id\": \"a-1\", \"state\": \"acquiring\", \"stats\": {}, \"data\": " data "}"
#define VALUE(v) SD ("\"voltage_actual\": " v)

typedef void (*VerifyFunc) (LablinkMessage *message);

typedef struct {
  const char *name;
  const char *text;
  gssize      length;   /* -1: nul-terminated */
  gint        code;     /* a LablinkError, or ACCEPT */
  VerifyFunc  verify;   /* for accepted frames */
} HostileCase;

static double
get_double (LablinkMessage *m,
            const char     *path)
{
  double d = -12345.0;

  g_assert_true (lablink_message_get_double (m, path, &d));
  return d;
}

static char *
get_string (LablinkMessage *m,
            const char     *path)
{
  char *s = lablink_message_dup_string (m, path);

  g_assert_nonnull (s);
  return s;
}

/* ---- verifiers of accepted frames ------------------------------------ */

static void
verify_nan (LablinkMessage *m)
{
  gint64 i;

  g_assert_true (isnan (get_double (m, "data.voltage_actual")));
  g_assert_false (lablink_message_is_null (m, "data.voltage_actual"));
  g_assert_false (lablink_message_get_int (m, "data.voltage_actual", &i));
}

static void
verify_infinity (LablinkMessage *m)
{
  double d = get_double (m, "data.voltage_actual");
  gint64 i;

  g_assert_true (isinf (d) && d > 0);
  g_assert_false (lablink_message_get_int (m, "data.voltage_actual", &i));
}

static void
verify_neg_infinity (LablinkMessage *m)
{
  double d = get_double (m, "data.voltage_actual");

  g_assert_true (isinf (d) && d < 0);
}

static void
verify_nonfinite_window (LablinkMessage *m)
{
  const double *v;
  gsize n = 0;

  g_assert_cmpuint (lablink_message_get_n_samples (m), ==, 4);
  v = lablink_message_get_channel_values (m, 0, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_true (isnan (v[0]));
  g_assert_true (isinf (v[1]) && v[1] > 0);
  g_assert_true (isinf (v[2]) && v[2] < 0);
  g_assert_true (isnan (v[3]));   /* null → NaN */
}

static void
verify_nonfinite_waveform (LablinkMessage *m)
{
  const double *v;
  gsize n = 0;

  v = lablink_message_get_waveform (m, &n);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpfloat (v[0], ==, 1.0);
  g_assert_true (isnan (v[1]));
  g_assert_true (isnan (v[2]));   /* null → NaN */
  g_assert_true (isinf (v[3]) && v[3] < 0);
  g_assert_cmpfloat (v[4], ==, -0.5);
}

static void
verify_null_value (LablinkMessage *m)
{
  double d;

  g_assert_true (lablink_message_is_null (m, "data.voltage_actual"));
  g_assert_true (lablink_message_has_member (m, "data.voltage_actual"));
  g_assert_false (lablink_message_get_double (m, "data.voltage_actual", &d));
}

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

static void
verify_ping (LablinkMessage *m)
{
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_PING);
  g_assert_cmpstr (lablink_message_get_type_name (m), ==, "ping");
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
verify_huge_exponents (LablinkMessage *m)
{
  gint64 i;
  double big = get_double (m, "data.voltage_actual");
  double small = get_double (m, "data.current_actual");
  double neg = get_double (m, "data.power");

  /* Out-of-range numbers saturate like strtod: ±Infinity and 0. */
  g_assert_true (isinf (big) && big > 0);
  g_assert_true (isinf (neg) && neg < 0);
  g_assert_cmpfloat (small, ==, 0.0);
  g_assert_false (lablink_message_get_int (m, "data.voltage_actual", &i));
}

static void
verify_big_integers (LablinkMessage *m)
{
  gint64 i = 0;

  /* beyond 2^53: the nearest double */
  g_assert_cmpfloat (get_double (m, "data.channel"), ==, 9007199254740992.0);
  g_assert_true (lablink_message_get_int (m, "data.channel", &i));
  g_assert_cmpint (i, ==, G_GINT64_CONSTANT (9007199254740992));
  /* beyond 2^63: a double, and not an int */
  g_assert_cmpfloat (get_double (m, "data.voltage_set"), ==, 123456789012345678901234567890.0);
  g_assert_false (lablink_message_get_int (m, "data.voltage_set", &i));
  /* 15 digits (the fast path) and 16 (strtod) */
  g_assert_cmpfloat (get_double (m, "data.current_set"), ==, 999999999999999.0);
  g_assert_cmpfloat (get_double (m, "data.setpoint"), ==, -1234567890123456.0);
  g_assert_true (lablink_message_get_int (m, "data.setpoint", &i));
  g_assert_cmpint (i, ==, G_GINT64_CONSTANT (-1234567890123456));
  /* integral doubles are ints; fractions and exponents behave */
  g_assert_true (lablink_message_get_int (m, "data.vpp", &i));
  g_assert_cmpint (i, ==, 100);
  g_assert_false (lablink_message_get_int (m, "data.vmax", &i));
  g_assert_cmpfloat (get_double (m, "data.vmin"), ==, -0.0);
  g_assert_true (signbit (get_double (m, "data.vmin")));
}

static void
verify_whitespace_around (LablinkMessage *m)
{
  gsize length = 0;

  verify_ping (m);
  lablink_message_get_text (m, &length);
  g_assert_cmpuint (length, ==, strlen ("  \r\n\t{ \"type\" :\t\"ping\" }\n  "));
}

static void
verify_del_char (LablinkMessage *m)
{
  g_autofree char *s = get_string (m, "s");

  g_assert_cmpstr (s, ==, "a\x7f" "b");
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
  /* Non-finite numbers where a number may go: accepted. */
  { "nan-value", VALUE ("NaN"), -1, ACCEPT, verify_nan },
  { "infinity-value", VALUE ("Infinity"), -1, ACCEPT, verify_infinity },
  { "neg-infinity-value", VALUE ("-Infinity"), -1, ACCEPT, verify_neg_infinity },
  { "nonfinite-in-window",
    ACQ ("{\"timestamps\": [\"2026-11-25T17:14:37\", \"2026-11-25T17:14:38\", \"2026-11-25T17:14:39\", \"2026-11-25T17:14:40\"], "
         "\"values\": {\"CH1\": [NaN, Infinity, -Infinity, null]}, \"count\": 4}"), -1, ACCEPT, verify_nonfinite_window },
  { "nonfinite-in-waveform", WF ("\"voltage_data\": [1, NaN, null, -Infinity, -0.5]"), -1, ACCEPT, verify_nonfinite_waveform },
  { "null-value", VALUE ("null"), -1, ACCEPT, verify_null_value },
  { "huge-exponents", SD ("\"voltage_actual\": 1e400, \"current_actual\": 1e-400, \"power\": -1E+400"), -1, ACCEPT, verify_huge_exponents },
  { "big-integers", SD ("\"channel\": 9007199254740993, \"voltage_set\": 123456789012345678901234567890, "
                        "\"current_set\": 999999999999999, \"setpoint\": -1234567890123456, \"vpp\": 1e2, "
                        "\"vmax\": 1.5, \"vmin\": -0.0"), -1, ACCEPT, verify_big_integers },

  /* Numbers that are not JSON. */
  { "number-nan-lowercase", VALUE ("nan"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-nan-uppercase", VALUE ("NAN"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-inf", VALUE ("inf"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-Inf", VALUE ("Inf"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-infinity-lowercase", VALUE ("infinity"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-infinity-truncated", VALUE ("Infinit"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-infinity-suffix", VALUE ("Infinity1"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-nan-suffix", VALUE ("NaNa"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-minus-nan", VALUE ("-NaN"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-plus-infinity", VALUE ("+Infinity"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-plus-one", VALUE ("+1"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-leading-zero", VALUE ("01"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-negative-leading-zero", VALUE ("-01"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-trailing-dot", VALUE ("1."), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-leading-dot", VALUE (".5"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-dot-exponent", VALUE ("1.e5"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-empty-exponent", VALUE ("1e"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-exponent-sign-only", VALUE ("1e+"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-minus-alone", VALUE ("-"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-double-minus", VALUE ("--1"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-hex", VALUE ("0x10"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-with-space", VALUE ("1 2"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-comma-decimal", VALUE ("5,0"), -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-at-end-of-text", "{\"type\": \"x\", \"a\": 1", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-exponent-at-end-of-text", "{\"type\": \"x\", \"a\": 1e", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "number-infinity-at-end-of-text", "{\"type\": \"x\", \"a\": Infin", -1, LABLINK_ERROR_MALFORMED, NULL },

  /* JSON, but not an object. */
  { "not-object-array", "[1, 2, 3]", -1, LABLINK_ERROR_NOT_OBJECT, NULL },
  { "not-object-empty-array", "[]", -1, LABLINK_ERROR_NOT_OBJECT, NULL },
  { "not-object-array-of-object", "[{\"type\": \"ping\"}]", -1, LABLINK_ERROR_NOT_OBJECT, NULL },
  { "not-object-string", "\"hello\"", -1, LABLINK_ERROR_NOT_OBJECT, NULL },
  { "not-object-number", "42", -1, LABLINK_ERROR_NOT_OBJECT, NULL },
  { "not-object-negative-number", " -1.5e3 ", -1, LABLINK_ERROR_NOT_OBJECT, NULL },
  { "not-object-nan", "NaN", -1, LABLINK_ERROR_NOT_OBJECT, NULL },
  { "not-object-true", "true", -1, LABLINK_ERROR_NOT_OBJECT, NULL },
  { "not-object-false", "false", -1, LABLINK_ERROR_NOT_OBJECT, NULL },
  { "not-object-null", "null", -1, LABLINK_ERROR_NOT_OBJECT, NULL },

  /* Binary-looking frames. */
  { "binary-trailing-nuls", "{\"type\": \"ping\"}\0\0\0", 19, LABLINK_ERROR_MALFORMED, NULL },
  { "binary-leading-nul", "\0{\"type\": \"ping\"}", 17, LABLINK_ERROR_MALFORMED, NULL },
  { "binary-nul-in-string", "{\"type\": \"pi\0ng\"}", 17, LABLINK_ERROR_MALFORMED, NULL },
  { "binary-garbage", "\x00\x01\x02\x03\xff\xfe\x80\x7f", 8, LABLINK_ERROR_MALFORMED, NULL },
  { "binary-msgpack", "\x81\xa4type\xa4ping", 11, LABLINK_ERROR_MALFORMED, NULL },
  { "binary-utf16", "{\0\"\0t\0y\0p\0e\0\"\0:\0\"\0p\0i\0n\0g\0\"\0}\0", 30, LABLINK_ERROR_MALFORMED, NULL },

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

  /* Invalid UTF-8. */
  { "utf8-overlong-slash", "{\"type\": \"\xc0\xaf\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "utf8-overlong-nul", "{\"type\": \"ping\", \"x\": \"\xc0\x80\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "utf8-overlong-3-byte", "{\"type\": \"\xe0\x80\xaf\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "utf8-lone-continuation", "{\"type\": \"\x80\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "utf8-lone-continuation-outside-string", "{\"type\": \"ping\"}\x80", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "utf8-truncated-sequence", "{\"type\": \"\xe2\x82\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "utf8-truncated-at-end", "{\"type\": \"ping\"}\xe2\x82", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "utf8-invalid-in-string", "{\"type\": \"ping\", \"x\": \"ok \xff ok\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "utf8-invalid-in-key", "{\"type\": \"ping\", \"\xfe\": 1}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "utf8-encoded-surrogate", "{\"type\": \"\xed\xa0\x80\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "utf8-beyond-u10ffff", "{\"type\": \"\xf4\x90\x80\x80\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "utf8-5-byte-sequence", "{\"type\": \"\xf8\x88\x80\x80\x80\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "utf8-latin1", "{\"type\": \"caf\xe9\"}", -1, LABLINK_ERROR_MALFORMED, NULL },

  /* Empty, whitespace, several values. */
  { "empty", "", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "whitespace-only", " \t\r\n ", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "form-feed-is-not-whitespace", "\f{\"type\": \"ping\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "nbsp-is-not-whitespace", "\xc2\xa0{\"type\": \"ping\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "byte-order-mark", "\xef\xbb\xbf{\"type\": \"ping\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "whitespace-around", "  \r\n\t{ \"type\" :\t\"ping\" }\n  ", -1, ACCEPT, verify_whitespace_around },
  { "trailing-garbage", "{} x", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "trailing-garbage-after-valid-frame", "{\"type\": \"ping\"} x", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "two-objects", "{}{}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "two-frames", "{\"type\": \"ping\"}\n{\"type\": \"ping\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "trailing-comma-after-frame", "{\"type\": \"ping\"},", -1, LABLINK_ERROR_MALFORMED, NULL },

  /* Strings. */
  { "unterminated-string", "{\"type\": \"ping", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "unterminated-key", "{\"type", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "unterminated-object", "{\"type\": \"ping\"", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "unterminated-array", "{\"type\": \"x\", \"a\": [1, 2", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "lone-open-brace", "{", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "lone-close-brace", "}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "lone-quote", "\"", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "bad-escape-x", "{\"type\": \"\\x41\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "bad-escape-u-short", "{\"type\": \"\\u12\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "bad-escape-u-nonhex", "{\"type\": \"\\u12G4\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "bad-escape-u-at-end", "{\"type\": \"\\u00", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "bad-escape-uppercase-U", "{\"type\": \"\\U0041\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "bad-escape-single-quote", "{\"type\": \"\\'\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "bad-escape-digit", "{\"type\": \"\\0\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "bad-escape-in-key", "{\"\\q\": 1, \"type\": \"ping\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "backslash-at-end", "{\"type\": \"abc\\", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "escaped-quote-unterminated", "{\"type\": \"abc\\\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "control-char-newline", "{\"type\": \"pi\nng\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "control-char-tab", "{\"type\": \"pi\tng\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "control-char-0x01", "{\"type\": \"ping\", \"x\": \"\x01\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "control-char-0x1f-in-key", "{\"\x1f\": 1, \"type\": \"ping\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "del-char-accepted", "{\"type\": \"ping\", \"s\": \"a\x7f" "b\"}", -1, ACCEPT, verify_del_char },

  /* Structure. */
  { "trailing-comma-object", "{\"type\": \"ping\",}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "trailing-comma-array", "{\"type\": \"x\", \"a\": [1,]}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "leading-comma-array", "{\"type\": \"x\", \"a\": [,1]}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "leading-comma-object", "{,\"type\": \"ping\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "double-comma", "{\"type\": \"x\", \"a\": [1,,2]}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "missing-colon", "{\"type\" \"ping\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "double-colon", "{\"type\":: \"ping\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "missing-comma", "{\"type\": \"ping\" \"a\": 1}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "missing-comma-array", "{\"type\": \"x\", \"a\": [1 2]}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "missing-value", "{\"type\": }", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "missing-value-at-end", "{\"type\":", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "key-without-value", "{\"type\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "key-not-string", "{1: 2}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "key-literal", "{null: 2}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "single-quotes", "{'type': 'ping'}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "unquoted-key", "{type: \"ping\"}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "comment-block", "{\"type\": \"ping\" /* c */}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "comment-line", "{\"type\": \"ping\"} // c", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "literal-True", "{\"type\": \"x\", \"a\": True}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "literal-truncated-null", "{\"type\": \"x\", \"a\": nul}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "literal-truncated-at-end", "{\"type\": \"x\", \"a\": fals", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "literal-undefined", "{\"type\": \"x\", \"a\": undefined}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "mismatched-brackets", "{\"type\": \"x\", \"a\": [1}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "mismatched-brackets-empty", "{\"type\": \"x\", \"a\": [}", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "mismatched-braces", "{\"type\": \"x\"]", -1, LABLINK_ERROR_MALFORMED, NULL },
  { "extra-close", "{\"type\": \"x\"}}", -1, LABLINK_ERROR_MALFORMED, NULL },

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

static void
run_case (gconstpointer data)
{
  const HostileCase *c = data;
  gssize length = c->length >= 0 ? c->length : (gssize) strlen (c->text);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint json_code;
  const char *first = c->text + strspn (c->text, " \t\r\n");

  /* A client's parser thread has parsed frames before: warm this thread's
   * token array, so that the known true/false/null bug of a fresh array
   * (LITERAL_BUG_TEST) does not crash the cases below. */
  lablink_message_unref (parse_ok ("{\"type\": \"ping\"}"));

  if (c->code != ACCEPT)
    assert_parse_error (c->text, length, c->code);
  else
    {
      g_autoptr(LablinkMessage) message = lablink_message_parse (c->text, length, &error);
      g_autoptr(GBytes) bytes = g_bytes_new (c->text, (gsize) length);
      g_autoptr(LablinkMessage) again = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (message);
      if (c->verify)
        c->verify (message);

      again = lablink_message_parse_bytes (bytes, (gsize) length, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (lablink_message_get_bytes (again), bytes));
      if (c->verify)
        c->verify (again);

      /* The tree is buildable too (NaN and all). */
      g_assert_nonnull (lablink_message_get_node (message));
    }

  /* lablink_json_parse() reads any JSON value: it agrees on what is not
   * JSON, and accepts the rest. */
  json_code = (c->code == LABLINK_ERROR_MALFORMED || c->code == LABLINK_ERROR_TOO_DEEP) ? c->code : ACCEPT;
  if (json_code == ACCEPT && strchr ("tfn", *first) && codec_literal_bug_present ())
    {
      g_test_incomplete ("lablink_json_parse() of a top-level literal crashes: see " LITERAL_BUG_TEST);
      return;
    }
  node = lablink_json_parse (c->text, length, &error);
  if (json_code == ACCEPT)
    {
      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
  else
    {
      g_assert_error (error, LABLINK_ERROR, json_code);
      g_assert_null (node);
    }
}

/* ---------------------------------------------------------------------- */
/* Size limit */

static GBytes *
frame_of_size (gsize size)
{
  static const char head[] = "{\"type\": \"ping\", \"pad\": \"";
  static const char tail[] = "\"}";
  char *text;

  g_assert_cmpuint (size, >=, sizeof head + sizeof tail);
  text = g_malloc (size);
  memcpy (text, head, sizeof head - 1);
  memset (text + sizeof head - 1, 'x', size - (sizeof head - 1) - (sizeof tail - 1));
  memcpy (text + size - (sizeof tail - 1), tail, sizeof tail - 1);
  return g_bytes_new_take (text, size);
}

static void
test_too_large (void)
{
  g_autoptr(GBytes) big = frame_of_size (20 * 1024 * 1024);
  g_autoptr(GBytes) limit = frame_of_size (LABLINK_MESSAGE_DEFAULT_MAX_SIZE);
  g_autoptr(GBytes) over = frame_of_size (LABLINK_MESSAGE_DEFAULT_MAX_SIZE + 1);
  g_autoptr(GBytes) small = frame_of_size (1000);
  g_autoptr(GBytes) small_over = frame_of_size (1001);
  g_autoptr(GBytes) garbage = g_bytes_new_take (g_malloc0 (20 * 1024 * 1024), 20 * 1024 * 1024);
  g_autoptr(GError) error = NULL;
  LablinkMessage *m;

  /* 20 MB with the default limit (16 MiB): refused before any parsing. */
  m = lablink_message_parse_bytes (big, 0, &error);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE);
  g_assert_null (m);
  g_clear_error (&error);

  m = lablink_message_parse_bytes (garbage, 0, &error);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE);
  g_assert_null (m);
  g_clear_error (&error);

  m = lablink_message_parse (g_bytes_get_data (big, NULL), (gssize) g_bytes_get_size (big), &error);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE);
  g_assert_null (m);
  g_clear_error (&error);

  m = lablink_message_parse_bytes (big, LABLINK_MESSAGE_DEFAULT_MAX_SIZE, &error);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* A caller may raise the limit. */
  m = lablink_message_parse_bytes (big, 32 * 1024 * 1024, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_PING);
  lablink_message_unref (m);

  /* Exactly at the default limit: accepted; one byte more: refused. */
  m = lablink_message_parse_bytes (limit, 0, &error);
  g_assert_no_error (error);
  {
    g_autofree char *pad = lablink_message_dup_string (m, "pad");
    g_assert_cmpuint (strlen (pad), ==, LABLINK_MESSAGE_DEFAULT_MAX_SIZE - strlen ("{\"type\": \"ping\", \"pad\": \"\"}"));
  }
  lablink_message_unref (m);
  m = lablink_message_parse_bytes (over, 0, &error);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* A small explicit limit. */
  m = lablink_message_parse_bytes (small, 1000, &error);
  g_assert_no_error (error);
  lablink_message_unref (m);
  m = lablink_message_parse_bytes (small_over, 1000, &error);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE);
  g_assert_null (m);
}

/* ---------------------------------------------------------------------- */
/* Nesting */

static char *
nested (const char *prefix,
        const char *open,
        const char *middle,
        const char *close,
        guint       depth,
        const char *suffix)
{
  GString *s = g_string_new (prefix);
  guint i;

  for (i = 0; i < depth; i++)
    g_string_append (s, open);
  g_string_append (s, middle);
  for (i = 0; close && i < depth; i++)
    g_string_append (s, close);
  g_string_append (s, suffix);
  return g_string_free (s, FALSE);
}

static void
assert_too_deep (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  assert_parse_error (text, -1, LABLINK_ERROR_TOO_DEEP);
  node = lablink_json_parse (text, -1, &error);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_DEEP);
  g_assert_null (node);
}

static void
test_too_deep (void)
{
  static const guint depths[] = { 65, 100, 513, 10000, 1000000 };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (depths); i++)
    {
      g_autofree char *open_arrays = nested ("", "[", "", NULL, depths[i], "");
      g_autofree char *arrays = nested ("", "[", "", "]", depths[i], "");
      g_autofree char *objects = nested ("", "{\"a\":", "1", "}", depths[i], "");
      g_autofree char *open_objects = nested ("", "{\"a\":", "", NULL, depths[i], "");
      g_autofree char *in_frame = nested ("{\"type\": \"x\", \"a\": ", "[", "1", "]", depths[i], "}");
      g_autofree char *mixed = nested ("{\"type\": \"x\", \"a\": ", "[{\"b\": ", "null", "}]", depths[i], "}");

      g_test_message ("depth %u", depths[i]);
      assert_too_deep (open_arrays);
      assert_too_deep (arrays);
      assert_too_deep (objects);
      assert_too_deep (open_objects);
      assert_too_deep (in_frame);
      assert_too_deep (mixed);
    }
}

static void
test_depth_limit (void)
{
  g_autoptr(GError) error = NULL;
  /* LABLINK_MESSAGE_MAX_DEPTH levels in all, the frame object included. */
  g_autofree char *ok = nested ("{\"type\": \"ping\", \"a\": ", "[", "1", "]", LABLINK_MESSAGE_MAX_DEPTH - 1, "}");
  g_autofree char *deep = nested ("{\"type\": \"ping\", \"a\": ", "[", "1", "]", LABLINK_MESSAGE_MAX_DEPTH, "}");
  g_autofree char *ok_json = nested ("", "[", "", "]", LABLINK_MESSAGE_MAX_DEPTH, "");
  g_autofree char *deep_json = nested ("", "[", "", "]", LABLINK_MESSAGE_MAX_DEPTH + 1, "");
  g_autoptr(LablinkMessage) m = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) path = g_string_new ("a");
  double d = 0;
  guint i;

  g_assert_cmpint (LABLINK_MESSAGE_MAX_DEPTH, ==, 64);

  m = parse_ok (ok);
  for (i = 0; i < LABLINK_MESSAGE_MAX_DEPTH - 1; i++)
    g_string_append (path, ".0");
  g_assert_true (lablink_message_get_double (m, path->str, &d));
  g_assert_cmpfloat (d, ==, 1.0);
  g_assert_nonnull (lablink_message_get_node (m));
  assert_parse_error (deep, -1, LABLINK_ERROR_TOO_DEEP);

  node = lablink_json_parse (ok_json, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_clear_pointer (&node, json_node_unref);
  node = lablink_json_parse (deep_json, -1, &error);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_DEEP);
  g_assert_null (node);
}

/* ---------------------------------------------------------------------- */
/* Big but legal frames */

static void
test_long_string (void)
{
  const gsize n = 8 * 1024 * 1024;
  GString *text = g_string_sized_new (n + 64);
  g_autofree char *frame = NULL;
  g_autoptr(LablinkMessage) m = NULL;
  g_autofree char *value = NULL;
  g_autofree char *escaped_value = NULL;
  gsize i;

  g_string_append (text, "{\"type\": \"alarm\", \"message\": \"");
  for (i = 0; i < n; i++)
    g_string_append_c (text, (char) ('a' + i % 26));
  g_string_append (text, "\", \"escaped\": \"");
  for (i = 0; i < n / 16; i++)
    g_string_append (text, "\\u00e9\\n");
  g_string_append (text, "\"}");
  frame = g_string_free (text, FALSE);

  m = parse_ok (frame);
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_EVENT);
  value = lablink_message_dup_string (m, "message");
  g_assert_cmpuint (strlen (value), ==, n);
  g_assert_cmpint (value[n - 1], ==, 'a' + (n - 1) % 26);
  escaped_value = lablink_message_dup_string (m, "escaped");
  g_assert_cmpuint (strlen (escaped_value), ==, n / 16 * 3);
  g_assert_true (g_str_has_prefix (escaped_value, "\xc3\xa9\n\xc3\xa9\n"));
}

static void
test_big_window (void)
{
  const guint n = 100000;
  GString *text = g_string_new ("{\"type\": \"acquisition_stream\", \"acquisition_id\": \"big\", \"state\": \"acquiring\", "
                                "\"stats\": null, \"data\": {\"timestamps\": [");
  g_autofree char *frame = NULL;
  g_autoptr(LablinkMessage) m = NULL;
  const gint64 *times;
  const double *ch2;
  gsize count = 0;
  guint i;

  for (i = 0; i < n; i++)
    g_string_append_printf (text, "%s%u.5", i ? ", " : "", 1700000000 + i);
  g_string_append (text, "], \"values\": {\"CH1\": [");
  for (i = 0; i < n; i++)
    g_string_append_printf (text, "%s%u", i ? ", " : "", i);
  g_string_append (text, "], \"CH2\": [");
  for (i = 0; i < n; i++)
    g_string_append_printf (text, "%s%s", i ? ", " : "", i % 2 ? "NaN" : "-1.25");
  g_string_append_printf (text, "]}, \"count\": %u}}", n);
  frame = g_string_free (text, FALSE);

  m = parse_ok (frame);
  g_assert_cmpuint (lablink_message_get_n_samples (m), ==, n);
  times = lablink_message_get_sample_times (m, &count);
  g_assert_cmpuint (count, ==, n);
  g_assert_cmpint (times[n - 1], ==, (gint64) (1700000000 + n - 1) * G_USEC_PER_SEC + 500000);
  g_assert_cmpfloat (lablink_message_get_channel_values (m, 0, NULL)[n - 1], ==, n - 1);
  ch2 = lablink_message_get_channel_values (m, 1, NULL);
  g_assert_cmpfloat (ch2[0], ==, -1.25);
  g_assert_true (isnan (ch2[n - 1]));
}

static void
test_many_members (void)
{
  const guint n = 50000;
  GString *text = g_string_new ("{");
  g_autofree char *frame = NULL;
  g_autoptr(LablinkMessage) m = NULL;
  double d = 0;
  guint i;

  for (i = 0; i < n; i++)
    g_string_append_printf (text, "\"k%u\": %u, ", i, i);
  g_string_append (text, "\"type\": \"job_updated\"}");
  frame = g_string_free (text, FALSE);

  m = parse_ok (frame);
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_EVENT);
  g_assert_true (lablink_message_get_double (m, "k49999", &d));
  g_assert_cmpfloat (d, ==, 49999);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (lablink_message_get_node (m))), ==, n + 1);
}

/* Issue 10: many timestamps and many empty channels. The decoder once
 * allocated channels × samples doubles (here 10^10, 80 GB) before looking
 * at any channel; the shape is now checked from the tokens first, so this
 * frame of under 1 MB is refused at once with a clear error. */
static void
test_shape_bomb (void)
{
  const guint n = 100000;
  GString *text = g_string_new ("{\"type\": \"acquisition_stream\", \"acquisition_id\": \"bomb\", "
                                "\"data\": {\"timestamps\": [");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(LablinkMessage) m = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < n; i++)
    g_string_append (text, i ? ",0" : "0");
  g_string_append (text, "], \"values\": {");
  for (i = 0; i < n; i++)
    g_string_append (text, i ? ",\"\":[]" : "\"\":[]");
  g_string_append (text, "}}}");
  g_assert_cmpuint (text->len, <, 1024 * 1024);
  bytes = g_string_free_to_bytes (text);

  m = lablink_message_parse_bytes (bytes, 0, &error);
  g_assert_null (m);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD);
  g_assert_nonnull (strstr (error->message, "has 0 values for 100000 timestamps"));
}

/* The same, with a first channel of the right length: a later short
 * channel is found before anything is allocated for the window. */
static void
test_shape_bomb_late (void)
{
  const guint n = 100000;
  GString *text = g_string_new ("{\"type\": \"acquisition_stream\", \"acquisition_id\": \"bomb\", "
                                "\"data\": {\"timestamps\": [");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(LablinkMessage) m = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < n; i++)
    g_string_append (text, i ? ",0" : "0");
  g_string_append (text, "], \"values\": {\"CH1\": [");
  for (i = 0; i < n; i++)
    g_string_append (text, i ? ",1" : "1");
  g_string_append (text, "]");
  for (i = 0; i < n / 2; i++)
    g_string_append (text, ",\"x\":[]");
  g_string_append (text, "}}}");
  bytes = g_string_free_to_bytes (text);

  m = lablink_message_parse_bytes (bytes, 0, &error);
  g_assert_null (m);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD);
  g_assert_nonnull (strstr (error->message, "channel “x” has 0 values"));

  /* A channel that is not an array is refused the same way. */
  {
    g_autoptr(LablinkMessage) m2 = NULL;
    g_autoptr(GError) error2 = NULL;

    m2 = lablink_message_parse (ACQ ("{\"timestamps\": [1, 2], \"values\": {\"CH1\": [1, 2], \"CH2\": 3}}"), -1, &error2);
    g_assert_null (m2);
    g_assert_error (error2, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD);
  }
}

/* A frame of @n zeros in a waveform: the worst ratio of decoded size to
 * text (a 20-byte token and an 8-byte double for every 2 bytes). */
static GBytes *
zeros_frame (guint n)
{
  GString *text = g_string_new (WF ("\"voltage_data\": ["));
  guint i;

  g_string_truncate (text, text->len - 2);
  for (i = 0; i < n; i++)
    g_string_append (text, i ? ",0" : "0");
  g_string_append (text, "]}}");
  return g_string_free_to_bytes (text);
}

/* What a queued message costs is counted in full — text, tokens and the
 * decoded samples — and stays within the documented 16 L + 4 KiB of a
 * frame of L bytes ("Memory" in src/lablink/README.md), for the frames
 * that cost the most per byte. */
static void
test_cost (void)
{
  const guint n = 200000;
  g_autoptr(GBytes) zeros = zeros_frame (n);
  GString *channels = g_string_new ("{\"type\": \"acquisition_stream\", \"acquisition_id\": \"c\", "
                                    "\"data\": {\"timestamps\": [], \"values\": {");
  GString *long_id = g_string_new ("{\"type\": \"stream_data\", \"stream_type\": \"x\", \"data\": {}, \"equipment_id\": \"");
  g_autoptr(GBytes) channels_bytes = NULL;
  g_autoptr(GBytes) long_id_bytes = NULL;
  GBytes *frames[3];
  guint i;

  for (i = 0; i < n; i++)
    g_string_append_printf (channels, i ? ",\"%u\":[]" : "\"%u\":[]", i);
  g_string_append (channels, "}}}");
  channels_bytes = g_string_free_to_bytes (channels);
  for (i = 0; i < n; i++)
    g_string_append (long_id, "abcdefgh");
  g_string_append (long_id, "\"}");
  long_id_bytes = g_string_free_to_bytes (long_id);

  frames[0] = zeros;
  frames[1] = channels_bytes;
  frames[2] = long_id_bytes;
  for (i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(LablinkMessage) m = NULL;
      g_autoptr(GError) error = NULL;
      gsize length = g_bytes_get_size (frames[i]);
      gsize cost;

      m = lablink_message_parse_bytes (frames[i], 0, &error);
      g_assert_no_error (error);
      cost = lablink_message_get_cost (m);
      g_test_message ("frame %u: %" G_GSIZE_FORMAT " bytes cost %" G_GSIZE_FORMAT " (%.1f per byte)",
                      i, length, cost, (double) cost / length);
      g_assert_cmpuint (cost, >, length);
      g_assert_cmpuint (cost, <=, 16 * length + 4096);
      if (i == 0)
        {
          gsize n_samples = 0;

          g_assert_nonnull (lablink_message_get_waveform (m, &n_samples));
          g_assert_cmpuint (n_samples, ==, n);
          /* Tokens (20 bytes), doubles (8) and text (2) for each zero. */
          g_assert_cmpuint (cost, >=, (gsize) n * 30);
        }
    }
}

/* The tokenizer's per-thread working array does not stay at the size of
 * the largest frame ever seen (issue 10 C: 8M-sample frames left 160 MB
 * behind for good). */
static void
test_scratch_shrinks (void)
{
  g_autoptr(GBytes) big = zeros_frame (500000);
  g_autoptr(LablinkMessage) m = NULL;
  g_autoptr(LablinkMessage) small = NULL;
  g_autoptr(GError) error = NULL;

  small = lablink_message_parse (VALUE ("1.5"), -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lablink_message_get_scratch_allocated (), >, 0);
  g_assert_cmpuint (lablink_message_get_scratch_allocated (), <=, 64 * 1024);

  m = lablink_message_parse_bytes (big, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lablink_message_get_scratch_allocated (), <=, 64 * 1024);

  /* A rejected outsized frame too. */
  g_clear_pointer (&m, lablink_message_unref);
  {
    g_autoptr(GBytes) bad = NULL;
    GString *text = g_string_new (WF ("\"voltage_data\": ["));
    guint i;

    g_string_truncate (text, text->len - 2);
    for (i = 0; i < 500000; i++)
      g_string_append (text, i ? ",0" : "0");
    g_string_append (text, ",\"x\"]}}");
    bad = g_string_free_to_bytes (text);
    m = lablink_message_parse_bytes (bad, 0, &error);
    g_assert_null (m);
    g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD);
    g_assert_cmpuint (lablink_message_get_scratch_allocated (), <=, 64 * 1024);
  }
}

void
codec_add_hostile_tests (void)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/codec/hostile/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], run_case);
    }

  g_test_add_func ("/codec/hostile/too-large-20mb", test_too_large);
  g_test_add_func ("/codec/hostile/too-deep-10k", test_too_deep);
  g_test_add_func ("/codec/hostile/depth-limit", test_depth_limit);
  g_test_add_func ("/codec/hostile/long-string", test_long_string);
  g_test_add_func ("/codec/hostile/big-window", test_big_window);
  g_test_add_func ("/codec/hostile/many-members", test_many_members);
  g_test_add_func ("/codec/hostile/shape-bomb", test_shape_bomb);
  g_test_add_func ("/codec/hostile/shape-bomb-late", test_shape_bomb_late);
  g_test_add_func ("/codec/hostile/cost", test_cost);
  g_test_add_func ("/codec/hostile/scratch-shrinks", test_scratch_shrinks);
}
