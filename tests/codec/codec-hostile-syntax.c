/* codec-hostile-syntax.c — hostile text: what is not JSON, and JSON at its edges
 *
 * Numbers (non-finite ones accepted, those that are not JSON refused), JSON
 * that is not an object, binary frames, invalid UTF-8, whitespace and several
 * values, strings and escapes, broken structure.
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

#include <math.h>
#include <string.h>

#include "codec-tests.h"

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
};

void
codec_add_hostile_syntax_tests (void)
{
  codec_add_hostile_cases (cases, G_N_ELEMENTS (cases));
}
