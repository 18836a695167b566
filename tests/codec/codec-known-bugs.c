/* codec-known-bugs.c — tests of codec bugs found while writing these tests
 *
 * Each case checks the CORRECT behaviour. While the bug is present it
 * reports itself with g_test_incomplete() (TAP "not ok … # TODO", which
 * meson counts as an expected failure) and the details as TAP comments;
 * once the codec is fixed it simply passes and the comment in the report
 * can go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec-tests.h"

static char *
append_double (double value)
{
  GString *out = g_string_new (NULL);

  lablink_json_append_double (out, value, TRUE);
  return g_string_free (out, FALSE);
}

/* The float tokens (numbers with a fraction or exponent: Python floats) of a
 * JSON text, outside strings. */
static void
collect_float_tokens (const char *text,
                      GPtrArray  *out)
{
  gboolean in_string = FALSE;
  const char *p = text;

  while (*p)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1])
            p++;
          else if (*p == '"')
            in_string = FALSE;
          p++;
          continue;
        }
      if (*p == '"')
        {
          in_string = TRUE;
          p++;
          continue;
        }
      if (*p == '-' || g_ascii_isdigit (*p))
        {
          const char *start = p;
          gsize n;

          p++;
          while (*p && strchr ("0123456789.eE+-", *p))
            p++;
          n = (gsize) (p - start);
          if (memchr (start, '.', n) || memchr (start, 'e', n) || memchr (start, 'E', n))
            g_ptr_array_add (out, g_strndup (start, n));
          continue;
        }
      p++;
    }
}

/* BUG: lablink_json_append_double() is documented to write "the shortest
 * text that reads back to the same double" (and the simulator needs the real
 * server's Python spelling), but for non-integral values it calls
 * g_ascii_dtostr(), which always formats with "%.17g":
 * 5.000444620551635 → "5.0004446205516349", 0.1 → "0.10000000000000001". */
static void
test_append_double_shortest (void)
{
  static const char * const files[] = { FIXTURE_PATCHED, FIXTURE_UPSTREAM, FIXTURE_AUTH };
  static const struct {
    double      value;
    const char *text;
  } samples[] = {
    { 0.1, "0.1" },
    { 5.000444620551635, "5.000444620551635" },
    { 0.49995062717259475, "0.49995062717259475" },
    { 1e-09, "1e-09" },
    { 0.001, "0.001" },
    { 1.0 / 3.0, "0.3333333333333333" },
    { 1e300, "1e+300" },
    /* integral doubles of 1e15 and more come out as JSON integers */
    { 1e15, "1000000000000000.0" },
    { 9007199254740992.0, "9007199254740992.0" },
    { 1e16, "1e+16" },
  };
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) examples = g_string_new (NULL);
  guint wrong_spelling = 0, not_shortest = 0, i;
  gsize f;

  for (f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr(GPtrArray) lines = codec_load_fixture (files[f]);

      for (i = 0; i < lines->len; i++)
        {
          const FixtureLine *line = g_ptr_array_index (lines, i);
          const char *text = fixture_str (line, "frame");

          if (text == NULL && g_strcmp0 (fixture_str (line, "content_type"), "application/json") == 0)
            text = fixture_str (line, "body");
          if (text != NULL && g_strcmp0 (fixture_str (line, "dir"), "sent") != 0)
            collect_float_tokens (text, tokens);
        }
    }
  g_assert_cmpuint (tokens->len, >, 5000);

  for (i = 0; i < tokens->len; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);
      double value = g_ascii_strtod (token, NULL);
      g_autofree char *python = ref_python_repr (value);
      g_autofree char *ours = append_double (value);

      /* Our model of the server's spelling must be right, or this test is
       * meaningless: a hard assertion. */
      if (strcmp (python, token) != 0)
        g_test_message ("reference repr(%s) = %s", token, python);
      g_assert_cmpstr (python, ==, token);

      if (g_ascii_strtod (ours, NULL) != value)
        g_error ("append_double(%s) = %s does not even round-trip", token, ours);
      if (strcmp (ours, token) != 0)
        {
          if (wrong_spelling++ < 5)
            g_string_append_printf (examples, " %s->%s", token, ours);
        }
      if (ref_significant_digits (ours) != ref_min_digits (value))
        not_shortest++;
    }

  for (i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *ours = append_double (samples[i].value);
      g_autofree char *python = ref_python_repr (samples[i].value);

      g_assert_cmpstr (python, ==, samples[i].text);
      if (strcmp (ours, samples[i].text) != 0)
        {
          wrong_spelling++;
          g_string_append_printf (examples, " %s->%s", samples[i].text, ours);
        }
    }

  for (i = 0; i < 2000; i++)
    {
      double value = g_test_rand_double_range (-1e3, 1e3);
      g_autofree char *ours = append_double (value);

      if (ref_significant_digits (ours) != ref_min_digits (value))
        not_shortest++;
    }

  g_test_message ("%u float tokens of the recordings checked", tokens->len);
  if (wrong_spelling > 0 || not_shortest > 0)
    {
      g_test_message ("append_double: %u values not spelled as the real server does, %u not shortest; e.g.%s",
                      wrong_spelling, not_shortest, examples->str);
      g_test_incomplete ("BUG lablink_json_append_double(): uses g_ascii_dtostr() (%.17g), "
                         "not the shortest round-trip text (lablink-protocol.c, g_ascii_dtostr call)");
    }
}

/* BUG: -0.0 is written "0.0" (the integral fast path casts to gint64), which
 * reads back as +0.0; Python writes "-0.0". */
static void
test_append_double_negative_zero (void)
{
  g_autofree char *text = append_double (-0.0);
  g_autofree char *python = ref_python_repr (-0.0);

  g_assert_cmpstr (python, ==, "-0.0");
  if (strcmp (text, "-0.0") != 0)
    {
      g_test_message ("append_double(-0.0) = \"%s\"", text);
      g_test_incomplete ("BUG lablink_json_append_double(-0.0) loses the sign: "
                         "the `value == floor (value)` branch prints (gint64) value");
      return;
    }
  g_assert_true (signbit (g_ascii_strtod (text, NULL)));
}

/* BUG: an offset whose minutes are missing after the colon ("+02:") is
 * accepted as +02:00; lablink_parse_timestamp() skips the ':' and then only
 * reads minutes `if (p < length)`. */
static void
test_timestamp_dangling_offset_colon (void)
{
  static const char * const bad[] = {
    "2026-11-25T19:14:37+02:",
    "2026-11-25T19:14:37.5-05:",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 t = 0;

      if (lablink_parse_timestamp (bad[i], strlen (bad[i]), &t))
        {
          g_test_message ("accepted \"%s\" as %" G_GINT64_FORMAT, bad[i], t);
          g_test_incomplete ("BUG lablink_parse_timestamp() accepts a dangling ':' in the zone offset");
          return;
        }
    }
}

/* BUG: impossible calendar dates are accepted and silently moved into the
 * next month (only `day > 31` is checked; days_from_civil() normalises). */
static void
test_timestamp_impossible_dates (void)
{
  static const char * const bad[] = {
    "2026-02-30T12:00:00Z",   /* -> 2026-03-02 */
    "2026-02-29T12:00:00Z",   /* 2026 is not a leap year */
    "2100-02-29T12:00:00Z",   /* nor is 2100 */
    "2026-04-31T12:00:00Z",   /* -> 2026-05-01 */
    "2026-11-31T17:14:37",
  };
  g_autoptr(GString) accepted = g_string_new (NULL);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 t = 0;

      g_autoptr(GDateTime) glib = g_date_time_new_from_iso8601 (bad[i], NULL);

      /* GLib agrees these are not dates. */
      g_assert_null (glib);
      if (lablink_parse_timestamp (bad[i], strlen (bad[i]), &t))
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t / G_USEC_PER_SEC);
          g_autofree char *as = g_date_time_format_iso8601 (dt);
          g_string_append_printf (accepted, " %s->%s", bad[i], as);
        }
    }

  if (accepted->len > 0)
    {
      g_test_message ("accepted:%s", accepted->str);
      g_test_incomplete ("BUG lablink_parse_timestamp() accepts day numbers beyond the month's length");
    }
}

/* BUG: with duplicate keys, the typed accessors read the FIRST member (the
 * documented behaviour: "first wins") but lablink_message_get_node() builds
 * the tree with json_object_set_member(), which keeps the LAST: the two
 * views of one message disagree (type "ping" vs tree "pong"). */
static void
test_node_duplicate_keys (void)
{
  g_autoptr(LablinkMessage) m = parse_ok ("{\"type\": \"ping\", \"type\": \"pong\", \"n\": 1, \"n\": 2}");
  JsonObject *root = json_node_get_object (lablink_message_get_node (m));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = lablink_json_parse ("{\"a\": 1, \"a\": 2}", -1, &error);
  double n = 0;

  g_assert_no_error (error);
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_PING);
  g_assert_true (lablink_message_get_double (m, "n", &n));
  g_assert_cmpfloat (n, ==, 1);

  if (g_strcmp0 (json_object_get_string_member (root, "type"), "ping") != 0 ||
      json_object_get_int_member (root, "n") != 1 ||
      json_object_get_int_member (json_node_get_object (node), "a") != 1)
    {
      g_test_message ("typed accessors: type=ping n=1; get_node(): type=%s n=%" G_GINT64_FORMAT
                      "; lablink_json_parse(): a=%" G_GINT64_FORMAT,
                      json_object_get_string_member (root, "type"), json_object_get_int_member (root, "n"),
                      json_object_get_int_member (json_node_get_object (node), "a"));
      g_test_incomplete ("BUG duplicate keys: lablink_json_doc_to_node() keeps the last member, "
                         "lablink_json_doc_member() the first (lablink-json.c, json_object_set_member)");
    }
}

/* BUG: lablink_json_doc_to_node() turns integers of 19+ characters into
 * doubles (`t->length <= 18`), although 19-digit values up to 2^63-1 fit a
 * gint64 and json-glib reads them as integers: precision is lost
 * (1234567890123456789 → 1234567890123456768) and get_node() differs from
 * json-glib for a NaN-free frame. */
static void
test_node_19_char_integers (void)
{
  static const char * const texts[] = {
    "[1234567890123456789]",
    "[-123456789012345678]",
    "[9223372036854775807]",
    "[-9223372036854775807]",
  };
  g_autoptr(GString) wrong = g_string_new (NULL);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) ours = lablink_json_parse (texts[i], -1, &error);
      g_autoptr(JsonNode) ref = NULL;

      g_assert_no_error (error);
      ref = ref_parse_json (texts[i], -1, &error);
      g_assert_no_error (error);
      g_assert_cmpint (json_node_get_value_type (json_array_get_element (json_node_get_array (ref), 0)), ==, G_TYPE_INT64);
      if (!ref_nodes_match (ours, ref, FALSE, NULL))
        {
          JsonNode *e = json_array_get_element (json_node_get_array (ours), 0);
          g_string_append_printf (wrong, " %s->%s %.17g", texts[i], g_type_name (json_node_get_value_type (e)),
                                  json_node_get_double (e));
        }
    }

  if (wrong->len > 0)
    {
      g_test_message ("lablink_json_parse():%s", wrong->str);
      g_test_incomplete ("BUG lablink_json_doc_to_node(): 19-character integers become doubles (lablink-json.c, `t->length <= 18`)");
    }
}

/* ---------------------------------------------------------------------- */
/* The per-thread local-offset cache of lablink_parse_timestamp()
 * (local_offset_usec() in lablink-message.c) is keyed by `naive_seconds /
 * 3600` only. */

static const char *const LORD_HOWE = "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0";

/* BUG: in a zone whose DST shift is 30 minutes (Australia/Lord_Howe), the
 * hour 01:00–02:00 on the day DST ends holds both unambiguous DST times
 * (01:00–01:29) and repeated times (01:30–01:59, resolved to standard):
 * whichever is parsed first fixes the offset of the whole hour. */
static void
check_half_hour_dst (void)
{
  g_autoptr(GDateTime) ref = g_date_time_new_local (2026, 4, 5, 1, 15, 0);
  gint64 first = 0, after = 0;

  g_assert_cmpstr (g_getenv ("TZ"), ==, LORD_HOWE);
  /* 01:15 on 2026-04-05 is still daylight time (+11:00): 14:15Z the day before */
  g_assert_cmpint (g_date_time_to_unix (ref), ==, G_GINT64_CONSTANT (1775312100));

  g_assert_true (lablink_parse_timestamp ("2026-04-05T01:45:00", 19, &first));   /* fills the cache */
  g_assert_true (lablink_parse_timestamp ("2026-04-05T01:15:00", 19, &after));
  if (after != g_date_time_to_unix (ref) * G_USEC_PER_SEC)
    {
      g_print ("BUG-REPRODUCED\n");
      g_printerr ("2026-04-05T01:15:00 parsed as %" G_GINT64_FORMAT " s, expected %" G_GINT64_FORMAT " s "
                  "(off by %" G_GINT64_FORMAT " min)\n", after / G_USEC_PER_SEC, g_date_time_to_unix (ref),
                  (after / G_USEC_PER_SEC - g_date_time_to_unix (ref)) / 60);
      exit (3);
    }
}

/* BUG: the cache is never invalidated when TZ changes (GLib's own local
 * zone is re-read), so the same naive hour keeps the old zone's offset. */
static void
check_tz_change (void)
{
  gint64 before = 0, after = 0;
  g_autoptr(GDateTime) ref = NULL;

  g_assert_true (lablink_parse_timestamp ("2026-11-25T17:14:37", 19, &before));
  setenv ("TZ", "UTC0", 1);
  tzset ();
  ref = g_date_time_new_local (2026, 11, 25, 17, 14, 37);
  g_assert_cmpint (g_date_time_get_utc_offset (ref), ==, 0);   /* GLib noticed */
  g_assert_true (lablink_parse_timestamp ("2026-11-25T17:14:37", 19, &after));
  if (after != g_date_time_to_unix (ref) * G_USEC_PER_SEC)
    {
      g_print ("BUG-REPRODUCED\n");
      g_printerr ("after TZ=UTC0: parsed as %" G_GINT64_FORMAT " s, GDateTime says %" G_GINT64_FORMAT " s\n",
                  after / G_USEC_PER_SEC, g_date_time_to_unix (ref));
      exit (3);
    }
}

static void
run_cache_subprocess (const char *test_tz,
                      const char *bug)
{
  if (test_tz)
    setenv ("LABLINK_TEST_TZ", test_tz, 1);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  unsetenv ("LABLINK_TEST_TZ");

  if (!g_test_trap_has_passed ())
    {
      /* a reproduction (details on stderr), not some other failure */
      g_test_trap_assert_stdout ("*BUG-REPRODUCED*");
      g_test_incomplete (bug);
    }
}

static void
test_timestamp_cache_half_hour_dst (void)
{
  if (g_test_subprocess ())
    {
      check_half_hour_dst ();
      return;
    }
  run_cache_subprocess (LORD_HOWE,
                        "BUG lablink_parse_timestamp(): the local-offset cache keyed by naive hour mixes two offsets "
                        "in a 30-minute-DST zone (Lord Howe), result depends on parse order (local_offset_usec)");
}

static void
test_timestamp_cache_tz_change (void)
{
  if (g_test_subprocess ())
    {
      check_tz_change ();
      return;
    }
  run_cache_subprocess (NULL,
                        "BUG lablink_parse_timestamp(): the per-thread local-offset cache ignores TZ changes "
                        "(local_offset_usec)");
}

/* BUG: for times before 1970 `naive_seconds / 3600` truncates towards zero,
 * so a cache "hour" runs from hh:00:01 to (hh+1):00:00. At a DST change the
 * repeated 02:00:00 (standard) shares the bucket with 01:00:01–01:59:59
 * (daylight time), and the order of parsing decides the result for the whole
 * hour. Shown in CET rules on 1969-10-26 (a fresh thread = a fresh cache). */
static gpointer
pre_1970_thread (gpointer data)
{
  gint64 *out = data;

  g_assert_true (lablink_parse_timestamp ("1969-10-26T02:00:00", 19, &out[0]));
  g_assert_true (lablink_parse_timestamp ("1969-10-26T01:30:00", 19, &out[1]));
  return NULL;
}

static gpointer
pre_1970_fresh_thread (gpointer data)
{
  gint64 *out = data;

  g_assert_true (lablink_parse_timestamp ("1969-10-26T01:30:00", 19, &out[0]));
  return NULL;
}

static void
test_timestamp_cache_pre_1970 (void)
{
  g_autoptr(GDateTime) ref = NULL;
  gint64 ordered[2] = { 0 }, fresh[1] = { 0 };

  if (g_strcmp0 (g_getenv ("TZ"), CODEC_DEFAULT_TZ) != 0)
    {
      g_test_skip ("needs TZ=" CODEC_DEFAULT_TZ);
      return;
    }

  ref = g_date_time_new_local (1969, 10, 26, 1, 30, 0);
  /* 01:30 CEST (+2) */
  g_assert_cmpint (g_date_time_get_utc_offset (ref), ==, 2 * G_TIME_SPAN_HOUR);

  g_thread_join (g_thread_new ("fresh", pre_1970_fresh_thread, fresh));
  g_thread_join (g_thread_new ("ordered", pre_1970_thread, ordered));

  /* Alone, 01:30 is right... */
  g_assert_cmpint (fresh[0], ==, g_date_time_to_unix (ref) * G_USEC_PER_SEC);
  /* ...after 02:00:00 was parsed in the same thread, it must still be. */
  if (ordered[1] != fresh[0])
    {
      g_test_message ("1969-10-26T01:30:00: %" G_GINT64_FORMAT " alone, %" G_GINT64_FORMAT " after parsing 02:00:00",
                      fresh[0], ordered[1]);
      g_test_incomplete ("BUG lablink_parse_timestamp(): cache bucket `naive_seconds / 3600` truncates towards zero "
                         "before 1970, mixing two offsets in one bucket (local_offset_usec)");
    }
}


/* ---------------------------------------------------------------------- */

/* BUG (memory corruption): lablink_json_doc_parse() stores the length of a
 * true/false/null token with
 *     doc->tokens[add_token (doc, LABLINK_JSON_TRUE, p)].length = 4;
 * (lablink-json.c, the 't', 'f' and 'n' cases). The order of evaluation is
 * unspecified: GCC reads doc->tokens BEFORE add_token() grows (g_renew) the
 * array, so whenever the literal is the token that makes the array grow, 4 or
 * 5 bytes are written into the freed array (or through NULL for a fresh
 * document). lablink_json_parse() ("null", "true" → SIGSEGV) uses a fresh
 * document per call: the real server's own GET /api/acquisition/session/{id}
 * /status body (fixtures: patched line 228, upstream line 67) has `null` as
 * its 65th token and corrupts the heap (AddressSanitizer: heap-buffer-
 * overflow / use-after-free WRITE in lablink_json_doc_parse). Frames hit it
 * when a frame first grows a thread's scratch array at a literal.
 * Checked in a subprocess so that a crash cannot take the suite down. */
static void
check_literal_after_realloc (void)
{
  g_autoptr(GError) error = NULL;
  GString *text = g_string_new ("[");
  LablinkJsonDoc doc = { 0 };
  JsonNode *node;
  guint i;

  for (i = 0; i < 63; i++)
    g_string_append (text, "0, ");
  g_string_append (text, "true]");

  /* A fresh document: 64 tokens fit, the 65th (token 64, `true`) grows it. */
  g_assert_true (lablink_json_doc_parse (&doc, text->str, text->len, 64, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (doc.n_tokens, ==, 65);
  if (doc.tokens[64].type != LABLINK_JSON_TRUE || doc.tokens[64].length != 4)
    {
      g_printerr ("lablink_json_doc_parse: token 64 (true) has length %u, expected 4: "
                  "the length was written into the array before it was reallocated\n", doc.tokens[64].length);
      exit (3);
    }
  lablink_json_doc_clear (&doc);
  g_string_free (text, TRUE);

  /* A literal as the very first token of a fresh document. */
  node = lablink_json_parse ("null", 4, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_NULL (node));
  json_node_unref (node);
}

static void
test_json_literal_after_realloc (void)
{
  if (g_test_subprocess ())
    {
      check_literal_after_realloc ();
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  if (!g_test_trap_has_passed ())
    {
      g_test_message ("the subprocess failed (a token length written before g_renew, "
                      "or a crash / AddressSanitizer report in lablink_json_doc_parse)");
      g_test_incomplete ("BUG lablink_json_doc_parse(): `doc->tokens[add_token (...)].length = N` writes into the "
                         "token array before add_token() reallocates it: heap corruption / NULL write "
                         "(lablink-json.c, true/false/null cases)");
    }
}

/* BUG (use after free): lablink_message_get_bytes() returns
 * g_bytes_new_static() over the message's own block ("which outlives it"):
 * a caller that keeps the GBytes with g_bytes_ref() — what GBytes is for —
 * reads freed memory once the message is gone. Shown in a subprocess: the
 * freed block is handed to the next message of the same size (glibc reuses
 * it), or AddressSanitizer reports the read. */
static void
check_bytes_outlive_message (void)
{
  static const char a[] = "{\"type\": \"stream_started\", \"equipment_id\": \"aaaa\", \"stream_type\": \"readings\"}";
  static const char b[] = "{\"type\": \"stream_started\", \"equipment_id\": \"bbbb\", \"stream_type\": \"readings\"}";
  LablinkMessage *m = parse_ok (a);
  GBytes *kept = g_bytes_ref (lablink_message_get_bytes (m));
  LablinkMessage *other;

  lablink_message_unref (m);
  other = parse_ok (b);   /* same size: likely the same block */

  if (g_bytes_get_size (kept) != strlen (a) || memcmp (g_bytes_get_data (kept, NULL), a, strlen (a)) != 0)
    {
      g_printerr ("a GBytes from lablink_message_get_bytes(), kept with g_bytes_ref(), changed after the "
                  "message was freed: \"%.*s\"\n", (int) g_bytes_get_size (kept), (const char *) g_bytes_get_data (kept, NULL));
      exit (3);
    }
  lablink_message_unref (other);
  g_bytes_unref (kept);
}

static void
test_message_bytes_outlive_message (void)
{
  if (g_test_subprocess ())
    {
      check_bytes_outlive_message ();
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (!g_test_trap_has_passed ())
    g_test_incomplete ("BUG lablink_message_get_bytes(): g_bytes_new_static() over the message block; "
                       "a g_bytes_ref()'d GBytes dangles after lablink_message_unref() (use after free)");
}

/* BUG (regression of the one-pass root scan): member names written with
 * escapes are JSON-equal to plain ones ("\u0074ype" is "type"), and the
 * path accessors treat them so, but root_slot() and classify_field()
 * (lablink-message.c) skip every escaped key: such a frame loses its type
 * or ids (LABLINK_ERROR_INVALID_FIELD), a mistyped data field escapes the
 * type check, and the decoder and the accessors can see different members. */
static void
test_escaped_root_member_names (void)
{
  g_autoptr(GString) wrong = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(LablinkMessage) m = lablink_message_parse ("{\"\\u0074ype\": \"p\\u0069ng\"}", -1, &error);
    if (m == NULL || lablink_message_get_message_type (m) != LABLINK_MESSAGE_PING)
      g_string_append_printf (wrong, " {\"\\u0074ype\": \"ping\"} -> %s;", error ? error->message : "not a ping");
    g_clear_error (&error);
  }
  {
    g_autoptr(LablinkMessage) m = lablink_message_parse (
      "{\"type\": \"stream_data\", \"equipment_id\": \"ps\\u005f1\", \"stream_type\": \"readings\", "
      "\"d\\u0061ta\": {\"voltage_\\u0061ctual\": 2.5}}", -1, &error);
    if (m == NULL || g_strcmp0 (lablink_message_get_stream_key (m), "ps_1_readings") != 0)
      g_string_append_printf (wrong, " escaped \"data\" -> %s;", error ? error->message : "wrong key");
    g_clear_error (&error);
  }
  {
    g_autoptr(LablinkMessage) m = lablink_message_parse (
      "{\"type\": \"stream_data\", \"\\u0065quipment_id\": \"e\", \"stream_type\": \"readings\", \"data\": {}}", -1, &error);
    if (m == NULL || g_strcmp0 (lablink_message_get_equipment_id (m), "e") != 0)
      g_string_append_printf (wrong, " escaped \"equipment_id\" -> %s;", error ? error->message : "wrong id");
    g_clear_error (&error);
  }
  {
    g_autoptr(LablinkMessage) m = lablink_message_parse (
      "{\"type\": \"stream_data\", \"equipment_id\": \"e\", \"stream_type\": \"readings\", "
      "\"data\": {\"voltage_\\u0061ctual\": \"5.0\"}}", -1, &error);
    if (!g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD))
      g_string_append (wrong, " {\"voltage_\\u0061ctual\": \"5.0\"} passes the type check;");
    g_clear_error (&error);
  }
  {
    g_autoptr(LablinkMessage) m = lablink_message_parse ("{\"\\u0074ype\": \"stream_data\", \"type\": \"ping\"}", -1, &error);
    g_autofree char *type = m ? lablink_message_dup_string (m, "type") : NULL;
    if (m != NULL && g_strcmp0 (type, lablink_message_get_type_name (m)) != 0)
      g_string_append_printf (wrong, " first \"type\" is %s for dup_string() but %s for the decoder;",
                              type, lablink_message_get_type_name (m));
    g_clear_error (&error);
  }

  if (wrong->len > 0)
    {
      g_test_message ("%s", wrong->str);
      g_test_incomplete ("BUG escaped member names are ignored by root_slot()/classify_field() "
                         "(lablink-message.c, `if (t->flags & LABLINK_JSON_FLAG_ESCAPED) return -1`)");
    }
}

void
codec_add_known_bug_tests (void)
{
  g_test_add_func (LITERAL_BUG_TEST, test_json_literal_after_realloc);
  g_test_add_func ("/codec/known-bugs/message-bytes-outlive-message", test_message_bytes_outlive_message);
  g_test_add_func ("/codec/known-bugs/escaped-root-member-names", test_escaped_root_member_names);
  g_test_add_func ("/codec/known-bugs/append-double-shortest", test_append_double_shortest);
  g_test_add_func ("/codec/known-bugs/append-double-negative-zero", test_append_double_negative_zero);
  g_test_add_func ("/codec/known-bugs/timestamp-dangling-offset-colon", test_timestamp_dangling_offset_colon);
  g_test_add_func ("/codec/known-bugs/timestamp-impossible-dates", test_timestamp_impossible_dates);
  g_test_add_func ("/codec/known-bugs/node-duplicate-keys", test_node_duplicate_keys);
  g_test_add_func ("/codec/known-bugs/node-19-char-integers", test_node_19_char_integers);
  g_test_add_func ("/codec/known-bugs/timestamp-cache-half-hour-dst", test_timestamp_cache_half_hour_dst);
  g_test_add_func ("/codec/known-bugs/timestamp-cache-tz-change", test_timestamp_cache_tz_change);
  g_test_add_func ("/codec/known-bugs/timestamp-cache-pre-1970", test_timestamp_cache_pre_1970);
}
