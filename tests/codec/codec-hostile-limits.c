/* codec-hostile-limits.c — the codec's size and nesting limits
 *
 * Frames over the size limit (16 MiB by default, or the caller's) are refused
 * before any parsing, frames at it are accepted; nesting deeper than
 * LABLINK_MESSAGE_MAX_DEPTH is refused at every depth up to a million,
 * nesting at it is accepted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "codec-tests.h"

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

void
codec_add_hostile_limit_tests (void)
{
  g_test_add_func ("/codec/hostile/too-large-20mb", test_too_large);
  g_test_add_func ("/codec/hostile/too-deep-10k", test_too_deep);
  g_test_add_func ("/codec/hostile/depth-limit", test_depth_limit);
}
