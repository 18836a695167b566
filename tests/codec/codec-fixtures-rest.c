/* codec-fixtures-rest.c — every REST body of the recordings
 *
 * Every REST answer body of the three recordings goes through
 * lablink_json_parse(): the JSON ones give json-glib's tree (with and without
 * an explicit length), the 500 text/plain ones are refused as malformed. The
 * bodies are counted against the README's "REST exchanges" table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "codec-tests.h"

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

void
codec_add_fixture_rest_tests (void)
{
  codec_add_per_recording_test ("rest", test_fixture_rest);
}
