/* codec-tokenizer.c — the validating JSON tokenizer (lablink-json-private.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "codec-tests.h"

static void
doc_parse_ok (LablinkJsonDoc *doc,
              const char     *text,
              guint           max_depth)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lablink_json_doc_parse (doc, text, strlen (text), max_depth, &error));
  g_assert_no_error (error);
}

static void
doc_parse_fails (LablinkJsonDoc *doc,
                 const char     *text,
                 guint           max_depth,
                 gint            code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (lablink_json_doc_parse (doc, text, strlen (text), max_depth, &error));
  g_assert_error (error, LABLINK_ERROR, code);
}

static void
test_token_structure (void)
{
  static const char text[] =
    "{\"a\": [1, -2.5, {\"b\": null}], \"c\": \"x\\\"y\", \"d\": true, \"e\": false, \"f\": NaN, \"g\": {}}";
  static const struct {
    LablinkJsonType type;
    guint8          flags;
    guint           next;
    guint           count;
    const char     *spelling;    /* the token's text (strings without quotes) */
  } expected[] = {
    /*  0 */ { LABLINK_JSON_OBJECT, 0, 18, 6, NULL },
    /*  1 */ { LABLINK_JSON_STRING, 0, 2, 0, "a" },
    /*  2 */ { LABLINK_JSON_ARRAY, 0, 8, 3, "[1, -2.5, {\"b\": null}]" },
    /*  3 */ { LABLINK_JSON_NUMBER, LABLINK_JSON_FLAG_INTEGER, 4, 0, "1" },
    /*  4 */ { LABLINK_JSON_NUMBER, 0, 5, 0, "-2.5" },
    /*  5 */ { LABLINK_JSON_OBJECT, 0, 8, 1, "{\"b\": null}" },
    /*  6 */ { LABLINK_JSON_STRING, 0, 7, 0, "b" },
    /*  7 */ { LABLINK_JSON_NULL, 0, 8, 0, "null" },
    /*  8 */ { LABLINK_JSON_STRING, 0, 9, 0, "c" },
    /*  9 */ { LABLINK_JSON_STRING, LABLINK_JSON_FLAG_ESCAPED, 10, 0, "x\\\"y" },
    /* 10 */ { LABLINK_JSON_STRING, 0, 11, 0, "d" },
    /* 11 */ { LABLINK_JSON_TRUE, 0, 12, 0, "true" },
    /* 12 */ { LABLINK_JSON_STRING, 0, 13, 0, "e" },
    /* 13 */ { LABLINK_JSON_FALSE, 0, 14, 0, "false" },
    /* 14 */ { LABLINK_JSON_STRING, 0, 15, 0, "f" },
    /* 15 */ { LABLINK_JSON_NUMBER, LABLINK_JSON_FLAG_NONFINITE, 16, 0, "NaN" },
    /* 16 */ { LABLINK_JSON_STRING, 0, 17, 0, "g" },
    /* 17 */ { LABLINK_JSON_OBJECT, 0, 18, 0, "{}" },
  };
  LablinkJsonDoc doc = { 0 };
  g_autofree char *c = NULL;
  g_autoptr(JsonNode) node = NULL;
  double d = 0;
  guint i;

  doc_parse_ok (&doc, text, 64);
  g_assert_cmpuint (doc.n_tokens, ==, G_N_ELEMENTS (expected));
  g_assert_true (doc.text == text);
  g_assert_cmpuint (doc.length, ==, strlen (text));

  for (i = 0; i < doc.n_tokens; i++)
    {
      const LablinkJsonToken *t = &doc.tokens[i];

      if (t->type != expected[i].type || t->flags != expected[i].flags || t->next != expected[i].next ||
          t->count != expected[i].count)
        g_test_message ("token %u", i);
      g_assert_cmpint (t->type, ==, expected[i].type);
      g_assert_cmpint (t->flags, ==, expected[i].flags);
      g_assert_cmpuint (t->next, ==, expected[i].next);
      g_assert_cmpuint (t->count, ==, expected[i].count);
      if (expected[i].spelling)
        {
          g_assert_cmpuint (t->length, ==, strlen (expected[i].spelling));
          g_assert_cmpint (memcmp (text + t->start, expected[i].spelling, t->length), ==, 0);
        }
    }
  g_assert_cmpuint (doc.tokens[0].start, ==, 0);
  g_assert_cmpuint (doc.tokens[0].length, ==, strlen (text));

  /* Lookups */
  g_assert_cmpint (lablink_json_doc_member (&doc, 0, "a", 1), ==, 2);
  g_assert_cmpint (lablink_json_doc_member (&doc, 0, "c", 1), ==, 9);
  g_assert_cmpint (lablink_json_doc_member (&doc, 0, "g", 1), ==, 17);
  g_assert_cmpint (lablink_json_doc_member (&doc, 0, "gx", 1), ==, 17);   /* key_len counts */
  g_assert_cmpint (lablink_json_doc_member (&doc, 0, "zz", 2), ==, -1);
  g_assert_cmpint (lablink_json_doc_member (&doc, 0, "", 0), ==, -1);
  g_assert_cmpint (lablink_json_doc_member (&doc, 2, "a", 1), ==, -1);    /* not an object */
  g_assert_cmpint (lablink_json_doc_member (&doc, 17, "a", 1), ==, -1);   /* empty object */
  g_assert_cmpint (lablink_json_doc_member (&doc, -1, "a", 1), ==, -1);
  g_assert_cmpint (lablink_json_doc_member (&doc, 18, "a", 1), ==, -1);
  g_assert_cmpint (lablink_json_doc_member (&doc, 5, "b", 1), ==, 7);

  g_assert_cmpint (lablink_json_doc_path (&doc, 0, "a"), ==, 2);
  g_assert_cmpint (lablink_json_doc_path (&doc, 0, "a.0"), ==, 3);
  g_assert_cmpint (lablink_json_doc_path (&doc, 0, "a.1"), ==, 4);
  g_assert_cmpint (lablink_json_doc_path (&doc, 0, "a.2.b"), ==, 7);
  g_assert_cmpint (lablink_json_doc_path (&doc, 0, "a.3"), ==, -1);
  g_assert_cmpint (lablink_json_doc_path (&doc, 0, "a.99999999999999999999"), ==, -1);
  g_assert_cmpint (lablink_json_doc_path (&doc, 0, "a.x"), ==, -1);
  g_assert_cmpint (lablink_json_doc_path (&doc, 0, "a.2.b.c"), ==, -1);
  g_assert_cmpint (lablink_json_doc_path (&doc, 0, "c.0"), ==, -1);
  g_assert_cmpint (lablink_json_doc_path (&doc, 0, "g"), ==, 17);
  g_assert_cmpint (lablink_json_doc_path (&doc, 0, ""), ==, 0);
  g_assert_cmpint (lablink_json_doc_path (&doc, 2, "2.b"), ==, 7);
  g_assert_cmpint (lablink_json_doc_first_child (&doc, 2), ==, 3);
  g_assert_cmpint (lablink_json_doc_first_child (&doc, 0), ==, 1);
  g_assert_cmpint (lablink_json_doc_first_child (&doc, 17), ==, -1);

  /* Strings */
  g_assert_true (lablink_json_doc_string_equal (&doc, 9, "x\"y", 3));
  g_assert_false (lablink_json_doc_string_equal (&doc, 9, "x\\\"y", 4));
  g_assert_false (lablink_json_doc_string_equal (&doc, 9, "x\"", 2));
  g_assert_true (lablink_json_doc_string_equal (&doc, 1, "a", 1));
  g_assert_false (lablink_json_doc_string_equal (&doc, 1, "ab", 2));
  g_assert_false (lablink_json_doc_string_equal (&doc, 1, "", 0));
  g_assert_false (lablink_json_doc_string_equal (&doc, 3, "1", 1));      /* a number */
  c = lablink_json_doc_dup_string (&doc, 9);
  g_assert_cmpstr (c, ==, "x\"y");

  /* Numbers */
  g_assert_true (lablink_json_doc_get_double (&doc, 3, &d));
  g_assert_cmpfloat (d, ==, 1.0);
  g_assert_true (lablink_json_doc_get_double (&doc, 4, &d));
  g_assert_cmpfloat (d, ==, -2.5);
  g_assert_true (lablink_json_doc_get_double (&doc, 15, &d));
  g_assert_true (isnan (d));
  d = 7;
  g_assert_false (lablink_json_doc_get_double (&doc, 1, &d));
  g_assert_false (lablink_json_doc_get_double (&doc, 7, &d));
  g_assert_false (lablink_json_doc_get_double (&doc, -1, &d));
  g_assert_cmpfloat (d, ==, 7);

  /* Subtree to json-glib */
  node = lablink_json_doc_to_node (&doc, 2);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_assert_cmpint (json_array_get_int_element (json_node_get_array (node), 0), ==, 1);
  g_assert_cmpint (json_node_get_value_type (json_array_get_element (json_node_get_array (node), 0)), ==, G_TYPE_INT64);
  g_assert_cmpfloat (json_array_get_double_element (json_node_get_array (node), 1), ==, -2.5);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (json_node_get_array (node), 2), "b"));

  lablink_json_doc_clear (&doc);
  g_assert_null (doc.tokens);
  g_assert_cmpuint (doc.n_tokens, ==, 0);
  lablink_json_doc_clear (&doc);  /* idempotent */
}

static void
test_scalars_at_top_level (void)
{
  static const struct {
    const char     *text;
    LablinkJsonType type;
  } cases[] = {
    { "null", LABLINK_JSON_NULL },
    { "true", LABLINK_JSON_TRUE },
    { "false", LABLINK_JSON_FALSE },
    { "0", LABLINK_JSON_NUMBER },
    { "-0.0e-0", LABLINK_JSON_NUMBER },
    { "Infinity", LABLINK_JSON_NUMBER },
    { "-Infinity", LABLINK_JSON_NUMBER },
    { "NaN", LABLINK_JSON_NUMBER },
    { "\"\"", LABLINK_JSON_STRING },
    { " \"x\" ", LABLINK_JSON_STRING },
    { "[]", LABLINK_JSON_ARRAY },
    { "{}", LABLINK_JSON_OBJECT },
  };
  LablinkJsonDoc doc = { 0 };
  gsize i;

  /* A literal as the first token of a FRESH document is the known bug of
   * LITERAL_BUG_TEST: start with a used document. */
  doc_parse_ok (&doc, "[]", 64);
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      doc_parse_ok (&doc, cases[i].text, 64);   /* the doc is reused */
      g_assert_cmpuint (doc.n_tokens, ==, 1);
      g_assert_cmpint (doc.tokens[0].type, ==, cases[i].type);
      g_assert_cmpuint (doc.tokens[0].next, ==, 1);
    }
  lablink_json_doc_clear (&doc);
}

static void
test_number_flags (void)
{
  static const struct {
    const char *text;
    guint8      flags;
    double      value;
  } cases[] = {
    { "0", LABLINK_JSON_FLAG_INTEGER, 0 },
    { "-0", LABLINK_JSON_FLAG_INTEGER, 0 },
    { "7", LABLINK_JSON_FLAG_INTEGER, 7 },
    { "-42", LABLINK_JSON_FLAG_INTEGER, -42 },
    { "123456789012345", LABLINK_JSON_FLAG_INTEGER, 123456789012345.0 },          /* 15 digits */
    { "-12345678901234", LABLINK_JSON_FLAG_INTEGER, -12345678901234.0 },
    { "1234567890123456", LABLINK_JSON_FLAG_INTEGER, 1234567890123456.0 },        /* 16 digits */
    { "-999999999999999", LABLINK_JSON_FLAG_INTEGER, -999999999999999.0 },
    { "12345678901234567890", LABLINK_JSON_FLAG_INTEGER, 12345678901234567890.0 },
    { "1.0", 0, 1.0 },
    { "1e3", 0, 1000.0 },
    { "1E-3", 0, 0.001 },
    { "-1.5e+2", 0, -150.0 },
    { "0.1", 0, 0.1 },
    { "5.000444620551635", 0, 5.000444620551635 },
    { "1e-09", 0, 1e-9 },
    { "2.2250738585072014e-308", 0, 2.2250738585072014e-308 },
    { "4.9e-324", 0, 4.9e-324 },
    { "1.7976931348623157e308", 0, 1.7976931348623157e308 },
    { "Infinity", LABLINK_JSON_FLAG_NONFINITE, INFINITY },
    { "-Infinity", LABLINK_JSON_FLAG_NONFINITE, -INFINITY },
  };
  LablinkJsonDoc doc = { 0 };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *wrapped = g_strdup_printf ("[%s]", cases[i].text);
      double d = 0;

      doc_parse_ok (&doc, wrapped, 64);
      g_assert_cmpint (doc.tokens[1].type, ==, LABLINK_JSON_NUMBER);
      g_assert_cmpint (doc.tokens[1].flags, ==, cases[i].flags);
      g_assert_cmpuint (doc.tokens[1].length, ==, strlen (cases[i].text));
      g_assert_true (lablink_json_doc_get_double (&doc, 1, &d));
      g_assert_cmpfloat (d, ==, cases[i].value);
      g_assert_cmpfloat (d, ==, g_ascii_strtod (cases[i].text, NULL));
    }
  lablink_json_doc_clear (&doc);
}

static void
test_max_depth (void)
{
  LablinkJsonDoc doc = { 0 };
  GString *deep = g_string_new (NULL);
  g_autofree char *text = NULL;
  guint i;

  doc_parse_fails (&doc, "[[[]]]", 2, LABLINK_ERROR_TOO_DEEP);
  doc_parse_ok (&doc, "[[[]]]", 3);
  doc_parse_fails (&doc, "{\"a\": {\"b\": {}}}", 2, LABLINK_ERROR_TOO_DEEP);
  doc_parse_ok (&doc, "{\"a\": {\"b\": {}}}", 3);
  doc_parse_ok (&doc, "1", 0);
  doc_parse_fails (&doc, "[]", 0, LABLINK_ERROR_TOO_DEEP);

  /* Larger limits are clamped to LABLINK_JSON_MAX_DEPTH_LIMIT (the
   * tokenizer's own stack): no overflow, just TOO_DEEP. */
  for (i = 0; i < LABLINK_JSON_MAX_DEPTH_LIMIT; i++)
    g_string_append_c (deep, '[');
  for (i = 0; i < LABLINK_JSON_MAX_DEPTH_LIMIT; i++)
    g_string_append_c (deep, ']');
  text = g_string_free (deep, FALSE);
  doc_parse_ok (&doc, text, G_MAXUINT);
  g_assert_cmpuint (doc.n_tokens, ==, LABLINK_JSON_MAX_DEPTH_LIMIT);
  g_free (text);
  text = g_strdup_printf ("[%s]", "[]");
  doc_parse_ok (&doc, text, G_MAXUINT);
  g_free (text);
  {
    GString *deeper = g_string_new (NULL);
    for (i = 0; i <= LABLINK_JSON_MAX_DEPTH_LIMIT; i++)
      g_string_append_c (deeper, '[');
    for (i = 0; i <= LABLINK_JSON_MAX_DEPTH_LIMIT; i++)
      g_string_append_c (deeper, ']');
    text = g_string_free (deeper, FALSE);
  }
  doc_parse_fails (&doc, text, G_MAXUINT, LABLINK_ERROR_TOO_DEEP);

  lablink_json_doc_clear (&doc);
}

/* Many tokens: the token array grows, counts and `next` stay right. */
static void
test_growth (void)
{
  LablinkJsonDoc doc = { 0 };
  GString *s = g_string_new ("[");
  g_autofree char *text = NULL;
  guint i;
  gint child;

  for (i = 0; i < 10000; i++)
    g_string_append_printf (s, "%s[%u, \"s%u\"]", i ? "," : "", i, i);
  g_string_append_c (s, ']');
  text = g_string_free (s, FALSE);

  doc_parse_ok (&doc, text, 64);
  g_assert_cmpuint (doc.n_tokens, ==, 1 + 10000 * 3);
  g_assert_cmpuint (doc.allocated, >=, doc.n_tokens);
  g_assert_cmpuint (doc.tokens[0].count, ==, 10000);
  g_assert_cmpuint (doc.tokens[0].next, ==, doc.n_tokens);

  child = lablink_json_doc_first_child (&doc, 0);
  for (i = 0; i < 10000; i++)
    {
      double d = -1;
      g_assert_cmpint (doc.tokens[child].type, ==, LABLINK_JSON_ARRAY);
      g_assert_cmpuint (doc.tokens[child].count, ==, 2);
      g_assert_true (lablink_json_doc_get_double (&doc, child + 1, &d));
      g_assert_cmpfloat (d, ==, i);
      child = (gint) doc.tokens[child].next;
    }
  g_assert_cmpint (lablink_json_doc_path (&doc, 0, "9999.1"), ==, (gint) doc.n_tokens - 1);

  /* Reuse after a failure, then after success with fewer tokens. */
  doc_parse_fails (&doc, "[1, 2", 64, LABLINK_ERROR_MALFORMED);
  doc_parse_ok (&doc, "[1]", 64);
  g_assert_cmpuint (doc.n_tokens, ==, 2);

  lablink_json_doc_clear (&doc);
}

/* Errors carry a byte offset in their message. */
static void
test_error_messages (void)
{
  LablinkJsonDoc doc = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (lablink_json_doc_parse (&doc, "{\"a\": x}", 8, 64, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "6"));
  g_clear_error (&error);

  g_assert_false (lablink_json_doc_parse (&doc, "\xff", 1, 64, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "UTF-8"));
  g_clear_error (&error);

  g_assert_false (lablink_json_doc_parse (&doc, "[[", 2, 1, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_DEEP);

  lablink_json_doc_clear (&doc);
  g_assert_cmpstr (g_quark_to_string (LABLINK_ERROR), ==, "lablink-error-quark");
}

/* lablink_json_parse() vs json-glib on assorted valid JSON. */
static void
test_json_parse_matches_json_glib (void)
{
  static const char * const texts[] = {
    "{}",
    "[]",
    "[1, 2.5, -3, 1e2, -0.0, \"s\", true, false, null]",
    "{\"a\": {\"b\": [{\"c\": [[], {}]}]}, \"d\": \"\\u00e9\\n\\\"\"}",
    "\"just a string\"",
    "123456789012345678",
    "-12345678901234567",
    "{\"k\": 0.1, \"l\": 1.7976931348623157e308, \"m\": 5e-324}",
    " \n\t[ 1 , 2 ]\r\n ",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) ours = lablink_json_parse (texts[i], -1, &error);
      g_autoptr(JsonNode) ref = NULL;
      g_autoptr(GString) where = g_string_new (NULL);

      g_assert_no_error (error);
      ref = ref_parse_json (texts[i], -1, &error);
      g_assert_no_error (error);
      if (!ref_nodes_match (ours, ref, FALSE, where))
        g_test_message ("%s: %s", texts[i], where->str);
      g_assert_true (ref_nodes_match (ours, ref, FALSE, NULL));
      g_assert_true (json_node_equal (ours, ref));
    }

  /* Non-finite values, which json-glib refuses. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = lablink_json_parse ("[NaN, Infinity, -Infinity]", -1, &error);
    JsonArray *a;

    g_assert_no_error (error);
    a = json_node_get_array (node);
    g_assert_true (isnan (json_array_get_double_element (a, 0)));
    g_assert_true (isinf (json_array_get_double_element (a, 1)) && json_array_get_double_element (a, 1) > 0);
    g_assert_true (isinf (json_array_get_double_element (a, 2)) && json_array_get_double_element (a, 2) < 0);
  }
}

void
codec_add_tokenizer_tests (void)
{
  g_test_add_func ("/codec/tokenizer/structure", test_token_structure);
  g_test_add_func ("/codec/tokenizer/scalars-at-top-level", test_scalars_at_top_level);
  g_test_add_func ("/codec/tokenizer/number-flags", test_number_flags);
  g_test_add_func ("/codec/tokenizer/max-depth", test_max_depth);
  g_test_add_func ("/codec/tokenizer/growth", test_growth);
  g_test_add_func ("/codec/tokenizer/error-messages", test_error_messages);
  g_test_add_func ("/codec/tokenizer/json-parse-matches-json-glib", test_json_parse_matches_json_glib);
}
