/* codec-util.c — shared helpers of the liblablink codec tests
 *
 * The reference helpers here deliberately use json-glib, GDateTime and the C
 * library, never liblablink, so that the tests compare the codec against an
 * independent implementation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec-tests.h"

/* ---------------------------------------------------------------------- */
/* Failure context */

static char context[512] = "(none)";

void
codec_set_context (const char *format,
                   ...)
{
  va_list args;

  va_start (args, format);
  g_vsnprintf (context, sizeof context, format, args);
  va_end (args);
}

const char *
codec_get_context (void)
{
  return context;
}

/* ---------------------------------------------------------------------- */
/* Fixtures */

char *
codec_fixture_path (const char *name)
{
  const char *dir = g_getenv ("LABLINK_FIXTURES_DIR");
  char *path;

  if (dir != NULL && *dir != '\0')
    return g_build_filename (dir, name, NULL);

  /* G_TEST_SRCDIR is tests/ when run by meson (see tests/meson.build); the
   * recordings live in tests/data/lablink-1.2.5. */
  path = g_test_build_filename (G_TEST_DIST, "data", "lablink-1.2.5", name, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return path;
  g_free (path);

  return g_build_filename (CODEC_FIXTURES_FALLBACK, name, NULL);
}

static void
fixture_line_free (gpointer data)
{
  FixtureLine *line = data;

  json_object_unref (line->object);
  g_free (line);
}

GPtrArray *
codec_load_fixture (const char *name)
{
  g_autofree char *path = codec_fixture_path (name);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *result;
  guint i;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      g_test_message ("cannot read fixture %s (set LABLINK_FIXTURES_DIR)", path);
      g_assert_no_error (error);
    }

  result = g_ptr_array_new_with_free_func (fixture_line_free);
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      FixtureLine *line;

      if (lines[i][0] == '\0')
        continue;

      node = ref_parse_json (lines[i], -1, &error);
      if (node == NULL)
        g_test_message ("%s:%u does not parse with json-glib", name, i + 1);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

      line = g_new0 (FixtureLine, 1);
      line->file = g_intern_string (name);
      line->lineno = i + 1;
      line->object = json_object_ref (json_node_get_object (node));
      g_ptr_array_add (result, line);
    }

  g_assert_cmpuint (result->len, >, 0);
  return result;
}

const char *
fixture_str (const FixtureLine *line,
             const char        *member)
{
  JsonNode *node = json_object_get_member (line->object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
object_get_str (JsonObject *object,
                const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
object_get_obj (JsonObject *object,
                const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

const FixtureLine *
codec_find_recv (GPtrArray  *lines,
                 const char *scenario,
                 const char *type,
                 const char *stream_type,
                 guint       nth)
{
  guint i;

  for (i = 0; i < lines->len; i++)
    {
      const FixtureLine *line = g_ptr_array_index (lines, i);
      g_autofree char *safe = NULL;
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object;

      if (g_strcmp0 (fixture_str (line, "dir"), "recv") != 0 ||
          g_strcmp0 (fixture_str (line, "scenario"), scenario) != 0)
        continue;

      safe = ref_nonfinite_to_null (fixture_str (line, "frame"));
      node = ref_parse_json (safe, -1, NULL);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      if (g_strcmp0 (object_get_str (object, "type"), type) != 0)
        continue;
      if (stream_type != NULL && g_strcmp0 (object_get_str (object, "stream_type"), stream_type) != 0)
        continue;
      if (nth-- == 0)
        return line;
    }

  g_test_message ("no recv frame #%u of type %s/%s in scenario %s", nth, type, stream_type, scenario);
  g_assert_not_reached ();
  return NULL;
}

const char *
fixture_mode (const char *file)
{
  if (strcmp (file, FIXTURE_PATCHED) == 0)
    return "patched";
  if (strcmp (file, FIXTURE_UPSTREAM) == 0)
    return "upstream";
  return "auth";
}

void
codec_add_per_recording_test (const char    *kind,
                              GTestDataFunc  func)
{
  static const char * const files[] = { FIXTURE_PATCHED, FIXTURE_UPSTREAM, FIXTURE_AUTH };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_strdup_printf ("/codec/fixtures/%s/%s", fixture_mode (files[i]), kind);

      g_test_add_data_func (path, files[i], func);
    }
}

void
set_frame_context (const FixtureLine *line,
                   const char        *frame)
{
  codec_set_context ("%s:%u (%s) %.160s%s", line->file, line->lineno,
                     fixture_str (line, "scenario"), frame, strlen (frame) > 160 ? "..." : "");
}

LablinkMessage *
parse_line (const FixtureLine *line)
{
  set_frame_context (line, fixture_str (line, "frame"));
  return parse_ok (fixture_str (line, "frame"));
}

/* ---------------------------------------------------------------------- */
/* The README's "WebSocket messages" table: how many frames of each kind the
 * recordings hold. Checking our tally against it proves that every frame
 * was visited and classified as the recording's author did. */

typedef struct {
  const char *mode;
  const char *dir;
  const char *label;
  guint       count;
} ReadmeCount;

static const ReadmeCount readme_counts[] = {
  { "auth", "recv", "pong", 2 },
  { "auth", "recv", "stream_data/readings", 8 },
  { "auth", "recv", "stream_started/readings", 1 },
  { "auth", "recv", "stream_stopped/readings", 1 },
  { "auth", "sent", "ping", 2 },
  { "auth", "sent", "start_stream/readings", 1 },
  { "auth", "sent", "stop_stream/readings", 1 },
  { "patched", "recv", "acquisition_stream", 36 },
  { "patched", "recv", "acquisition_stream_started", 3 },
  { "patched", "recv", "acquisition_stream_stopped", 3 },
  { "patched", "recv", "alarm", 1 },
  { "patched", "recv", "alarm_cleared", 2 },
  { "patched", "recv", "alarm_event", 2 },
  { "patched", "recv", "alarm_updated", 1 },
  { "patched", "recv", "error", 3 },
  { "patched", "recv", "pong", 7 },
  { "patched", "recv", "stream_data/measurements", 17 },
  { "patched", "recv", "stream_data/readings", 99 },
  { "patched", "recv", "stream_data/waveform", 33 },
  { "patched", "recv", "stream_started/measurements", 2 },
  { "patched", "recv", "stream_started/readings", 6 },
  { "patched", "recv", "stream_started/spectrum", 1 },
  { "patched", "recv", "stream_started/waveform", 3 },
  { "patched", "recv", "stream_stopped/measurements", 3 },
  { "patched", "recv", "stream_stopped/readings", 6 },
  { "patched", "recv", "stream_stopped/waveform", 3 },
  { "patched", "sent", "(JSON NoneType)", 1 },
  { "patched", "sent", "(JSON list)", 1 },
  { "patched", "sent", "(JSON str)", 1 },
  { "patched", "sent", "(not JSON)", 3 },
  { "patched", "sent", "(object without type)", 1 },
  { "patched", "sent", "no_such_type", 1 },
  { "patched", "sent", "ping", 8 },
  { "patched", "sent", "start_acquisition_stream", 3 },
  { "patched", "sent", "start_stream/measurements", 2 },
  { "patched", "sent", "start_stream/readings", 6 },
  { "patched", "sent", "start_stream/spectrum", 1 },
  { "patched", "sent", "start_stream/waveform", 3 },
  { "patched", "sent", "stop_acquisition_stream", 3 },
  { "patched", "sent", "stop_stream/measurements", 3 },
  { "patched", "sent", "stop_stream/readings", 6 },
  { "patched", "sent", "stop_stream/waveform", 3 },
  { "upstream", "recv", "acquisition_stream_started", 1 },
  { "upstream", "recv", "acquisition_stream_stopped", 1 },
  { "upstream", "recv", "pong", 5 },
  { "upstream", "recv", "stream_data/measurements", 7 },
  { "upstream", "recv", "stream_started/measurements", 2 },
  { "upstream", "recv", "stream_started/readings", 4 },
  { "upstream", "recv", "stream_started/waveform", 2 },
  { "upstream", "recv", "stream_stopped/measurements", 2 },
  { "upstream", "recv", "stream_stopped/readings", 4 },
  { "upstream", "recv", "stream_stopped/waveform", 2 },
  { "upstream", "sent", "ping", 5 },
  { "upstream", "sent", "start_acquisition_stream", 1 },
  { "upstream", "sent", "start_stream/measurements", 2 },
  { "upstream", "sent", "start_stream/readings", 4 },
  { "upstream", "sent", "start_stream/waveform", 2 },
  { "upstream", "sent", "stop_acquisition_stream", 1 },
  { "upstream", "sent", "stop_stream/measurements", 2 },
  { "upstream", "sent", "stop_stream/readings", 4 },
  { "upstream", "sent", "stop_stream/waveform", 2 },
};

GHashTable *
readme_new_counts (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
readme_tally (GHashTable *counts,
              const char *mode,
              const char *dir,
              const char *label)
{
  char *key = g_strdup_printf ("%s|%s|%s", mode, dir, label);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));

  g_hash_table_replace (counts, key, GUINT_TO_POINTER (n + 1));
}

void
readme_compare_counts (GHashTable *counts,
                       const char *mode,
                       const char *dir)
{
  g_autofree char *prefix = g_strdup_printf ("%s|%s|", mode, dir);
  GHashTableIter iter;
  gpointer key, value;
  guint expected_entries = 0;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (readme_counts); i++)
    {
      g_autofree char *k = NULL;

      if (strcmp (readme_counts[i].mode, mode) != 0 || strcmp (readme_counts[i].dir, dir) != 0)
        continue;
      expected_entries++;
      k = g_strdup_printf ("%s%s", prefix, readme_counts[i].label);
      codec_set_context ("README count of %s: %u", k, readme_counts[i].count);
      check (GPOINTER_TO_UINT (g_hash_table_lookup (counts, k)) == readme_counts[i].count);
    }

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      codec_set_context ("frame kind %s (%u) not in the README table", (const char *) key, GPOINTER_TO_UINT (value));
      check (g_str_has_prefix (key, prefix));
    }
  codec_set_context ("%s: README lists %u kinds of frame", prefix, expected_entries);
  check (g_hash_table_size (counts) == expected_entries);
}

/* ---------------------------------------------------------------------- */
/* References */

JsonNode *
ref_parse_json (const char *text,
                gssize      length,
                GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, length, error))
    return NULL;
  return json_parser_steal_root (parser);
}

/* Replaces the bare NaN / Infinity / -Infinity tokens (outside strings) by
 * null, so that json-glib, which rejects them, can read the text. */
char *
ref_nonfinite_to_null (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  gboolean in_string = FALSE;
  const char *p = text;

  while (*p)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            {
              g_string_append_len (out, p, 2);
              p += 2;
              continue;
            }
          if (*p == '"')
            in_string = FALSE;
          g_string_append_c (out, *p++);
          continue;
        }
      if (*p == '"')
        in_string = TRUE;
      if (g_str_has_prefix (p, "NaN"))
        {
          g_string_append (out, "null");
          p += 3;
        }
      else if (g_str_has_prefix (p, "-Infinity"))
        {
          g_string_append (out, "null");
          p += 9;
        }
      else if (g_str_has_prefix (p, "Infinity"))
        {
          g_string_append (out, "null");
          p += 8;
        }
      else
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

gboolean
ref_has_nonfinite (const char *text)
{
  g_autofree char *replaced = ref_nonfinite_to_null (text);
  return strcmp (replaced, text) != 0;
}

/* Naive ISO-8601 (`YYYY-MM-DDTHH:MM:SS[.f…]`) as local time, through
 * GDateTime. Fractions beyond microseconds are truncated. */
gint64
ref_local_usec (const char *iso)
{
  g_autoptr(GDateTime) dt = NULL;
  int year, month, day, hour, minute, second, consumed = 0;
  gint64 usec = 0, scale = 100000;
  const char *p;

  if (sscanf (iso, "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute, &second, &consumed) != 6 ||
      consumed != 19)
    return G_MININT64;
  p = iso + consumed;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++, scale /= 10)
      usec += (*p - '0') * scale;
  if (*p != '\0')
    return G_MININT64;

  dt = g_date_time_new_local (year, month, day, hour, minute, second);
  if (dt == NULL)
    return G_MININT64;
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + usec;
}

gboolean
ref_same_double (double a,
                 double b)
{
  if (isnan (a) || isnan (b))
    return isnan (a) && isnan (b);
  return a == b && signbit (a) == signbit (b);
}

static gboolean
mismatch (GString    *where,
          const char *path,
          const char *what)
{
  if (where)
    g_string_append_printf (where, "%s: %s", *path ? path : "(root)", what);
  return FALSE;
}

static gboolean
nodes_match (JsonNode   *ours,
             JsonNode   *ref,
             gboolean    nonfinite_is_null,
             GString    *where,
             const char *path)
{
  if (nonfinite_is_null && JSON_NODE_HOLDS_VALUE (ours) &&
      json_node_get_value_type (ours) == G_TYPE_DOUBLE && !isfinite (json_node_get_double (ours)))
    {
      if (!JSON_NODE_HOLDS_NULL (ref))
        return mismatch (where, path, "non-finite number where the reference has no null");
      return TRUE;
    }

  if (JSON_NODE_TYPE (ours) != JSON_NODE_TYPE (ref))
    return mismatch (where, path, "different node types");

  switch (JSON_NODE_TYPE (ours))
    {
    case JSON_NODE_NULL:
      return TRUE;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (ours) != json_node_get_value_type (ref))
        return mismatch (where, path, "different value types (int/double/string/boolean)");
      switch (json_node_get_value_type (ours))
        {
        case G_TYPE_INT64:
          if (json_node_get_int (ours) != json_node_get_int (ref))
            return mismatch (where, path, "different integers");
          return TRUE;
        case G_TYPE_DOUBLE:
          if (json_node_get_double (ours) != json_node_get_double (ref))
            return mismatch (where, path, "different doubles");
          return TRUE;
        case G_TYPE_BOOLEAN:
          if (json_node_get_boolean (ours) != json_node_get_boolean (ref))
            return mismatch (where, path, "different booleans");
          return TRUE;
        case G_TYPE_STRING:
          if (g_strcmp0 (json_node_get_string (ours), json_node_get_string (ref)) != 0)
            return mismatch (where, path, "different strings");
          return TRUE;
        default:
          return mismatch (where, path, "unexpected value type");
        }

    case JSON_NODE_ARRAY:
      {
        JsonArray *a = json_node_get_array (ours), *b = json_node_get_array (ref);
        guint i;

        if (json_array_get_length (a) != json_array_get_length (b))
          return mismatch (where, path, "different array lengths");
        for (i = 0; i < json_array_get_length (a); i++)
          {
            g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);
            if (!nodes_match (json_array_get_element (a, i), json_array_get_element (b, i), nonfinite_is_null, where, sub))
              return FALSE;
          }
        return TRUE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *a = json_node_get_object (ours), *b = json_node_get_object (ref);
        g_autoptr(GList) names_a = json_object_get_members (a);
        g_autoptr(GList) names_b = json_object_get_members (b);
        GList *la, *lb;

        if (json_object_get_size (a) != json_object_get_size (b))
          return mismatch (where, path, "different member counts");
        for (la = names_a, lb = names_b; la && lb; la = la->next, lb = lb->next)
          {
            g_autofree char *sub = g_strdup_printf ("%s.%s", path, (const char *) la->data);
            if (strcmp (la->data, lb->data) != 0)
              return mismatch (where, sub, "different member names or order");
            if (!nodes_match (json_object_get_member (a, la->data), json_object_get_member (b, lb->data),
                              nonfinite_is_null, where, sub))
              return FALSE;
          }
        return TRUE;
      }

    default:
      return mismatch (where, path, "unexpected node type");
    }
}

/* Strict structural equality: same node and value types (an integer is not
 * a double), same member order. With @nonfinite_is_null, a NaN/±Infinity on
 * our side must be a null on the reference side (see ref_nonfinite_to_null). */
gboolean
ref_nodes_match (JsonNode *ours,
                 JsonNode *ref,
                 gboolean  nonfinite_is_null,
                 GString  *where)
{
  return nodes_match (ours, ref, nonfinite_is_null, where, "");
}

/* Compares our tree with json-glib's reading of the same text. */
void
check_node_against_reference (JsonNode   *ours,
                              const char *text)
{
  g_autofree char *safe = ref_nonfinite_to_null (text);
  g_autoptr(JsonNode) ref = NULL;
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean nonfinite = strcmp (safe, text) != 0;

  ref = ref_parse_json (safe, -1, &error);
  g_assert_no_error (error);

  if (!ref_nodes_match (ours, ref, nonfinite, where))
    {
      g_test_message ("context: %s", codec_get_context ());
      g_test_message ("tree mismatch: %s", where->str);
      g_assert_not_reached ();
    }
  if (!nonfinite)
    check (json_node_equal (ours, ref));
}

/* Smallest number of significant digits that reads back to @value. */
guint
ref_min_digits (double value)
{
  guint p;

  g_assert_true (isfinite (value));
  for (p = 1; p <= 17; p++)
    {
      char format[16], buf[64];

      g_snprintf (format, sizeof format, "%%.%ue", p - 1);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        return p;
    }
  g_assert_not_reached ();
  return 17;
}

/* Python's repr() of a float (what the real server's json.dumps writes):
 * shortest round-trip digits; positional notation for 1e-4 <= |v| < 1e16
 * with at least one fractional digit, else d.ddde±XX. */
char *
ref_python_repr (double value)
{
  char format[16], buf[64], digits[32];
  guint p = ref_min_digits (value), n = 0;
  const char *s;
  int exponent;
  GString *out;

  g_snprintf (format, sizeof format, "%%.%ue", p - 1);
  g_ascii_formatd (buf, sizeof buf, format, fabs (value));
  for (s = buf; *s && *s != 'e'; s++)
    if (g_ascii_isdigit (*s))
      digits[n++] = *s;
  g_assert_true (*s == 'e');
  exponent = atoi (s + 1);
  while (n > 1 && digits[n - 1] == '0')
    n--;
  digits[n] = '\0';

  out = g_string_new (signbit (value) ? "-" : "");
  if (exponent >= -4 && exponent < 16)
    {
      if (exponent >= 0)
        {
          guint i;
          for (i = 0; i <= (guint) exponent; i++)
            g_string_append_c (out, i < n ? digits[i] : '0');
          g_string_append_c (out, '.');
          if ((guint) exponent + 1 < n)
            g_string_append (out, digits + exponent + 1);
          else
            g_string_append_c (out, '0');
        }
      else
        {
          g_string_append (out, "0.");
          for (int i = 0; i < -exponent - 1; i++)
            g_string_append_c (out, '0');
          g_string_append (out, digits);
        }
    }
  else
    {
      g_string_append_c (out, digits[0]);
      if (n > 1)
        {
          g_string_append_c (out, '.');
          g_string_append (out, digits + 1);
        }
      g_string_append_printf (out, "e%c%02d", exponent < 0 ? '-' : '+', abs (exponent));
    }

  return g_string_free (out, FALSE);
}

guint
ref_significant_digits (const char *number_text)
{
  const char *p = number_text, *end;
  guint leading = 0, count = 0, trailing_zeros = 0;
  gboolean started = FALSE;

  if (*p == '-' || *p == '+')
    p++;
  end = p + strcspn (p, "eE");
  for (; p < end; p++)
    {
      if (!g_ascii_isdigit (*p))
        continue;
      if (!started && *p == '0')
        {
          leading++;
          continue;
        }
      started = TRUE;
      count++;
      trailing_zeros = (*p == '0') ? trailing_zeros + 1 : 0;
    }

  if (!started)
    return 1;  /* zero */
  return count - trailing_zeros;
}

LablinkMessageType
ref_expected_type (const char *type_name)
{
  static const struct {
    const char        *name;
    LablinkMessageType type;
  } table[] = {
    { "stream_data", LABLINK_MESSAGE_STREAM_DATA },
    { "acquisition_stream", LABLINK_MESSAGE_ACQUISITION_STREAM },
    { "stream_started", LABLINK_MESSAGE_STREAM_STARTED },
    { "stream_stopped", LABLINK_MESSAGE_STREAM_STOPPED },
    { "acquisition_stream_started", LABLINK_MESSAGE_ACQUISITION_STREAM_STARTED },
    { "acquisition_stream_stopped", LABLINK_MESSAGE_ACQUISITION_STREAM_STOPPED },
    { "pong", LABLINK_MESSAGE_PONG },
    { "ping", LABLINK_MESSAGE_PING },
    { "error", LABLINK_MESSAGE_ERROR },
    { "start_stream", LABLINK_MESSAGE_START_STREAM },
    { "stop_stream", LABLINK_MESSAGE_STOP_STREAM },
    { "start_acquisition_stream", LABLINK_MESSAGE_START_ACQUISITION_STREAM },
    { "stop_acquisition_stream", LABLINK_MESSAGE_STOP_ACQUISITION_STREAM },
    /* PROTOCOL.md: unsolicited server events */
    { "alarm", LABLINK_MESSAGE_EVENT },
    { "alarm_event", LABLINK_MESSAGE_EVENT },
    { "alarm_updated", LABLINK_MESSAGE_EVENT },
    { "alarm_cleared", LABLINK_MESSAGE_EVENT },
    { "job_created", LABLINK_MESSAGE_EVENT },
    { "job_updated", LABLINK_MESSAGE_EVENT },
    { "job_deleted", LABLINK_MESSAGE_EVENT },
    { "job_started", LABLINK_MESSAGE_EVENT },
    { "job_completed", LABLINK_MESSAGE_EVENT },
    { "job_failed", LABLINK_MESSAGE_EVENT },
    { "discovery_progress", LABLINK_MESSAGE_EVENT },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_strcmp0 (table[i].name, type_name) == 0)
      return table[i].type;
  return LABLINK_MESSAGE_UNKNOWN;
}

/* ---------------------------------------------------------------------- */
/* Hostile cases */

double
get_double (LablinkMessage *m,
            const char     *path)
{
  double d = -12345.0;

  g_assert_true (lablink_message_get_double (m, path, &d));
  return d;
}

char *
get_string (LablinkMessage *m,
            const char     *path)
{
  char *s = lablink_message_dup_string (m, path);

  g_assert_nonnull (s);
  return s;
}

void
verify_ping (LablinkMessage *m)
{
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_PING);
  g_assert_cmpstr (lablink_message_get_type_name (m), ==, "ping");
}

/* One case: see codec_add_hostile_cases(). */
static void
run_hostile_case (gconstpointer data)
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

void
codec_add_hostile_cases (const HostileCase *cases,
                         gsize              n_cases)
{
  gsize i;

  for (i = 0; i < n_cases; i++)
    {
      g_autofree char *path = g_strdup_printf ("/codec/hostile/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], run_hostile_case);
    }
}

/* ---------------------------------------------------------------------- */
/* Small helpers */

gboolean
codec_literal_bug_present (void)
{
  static int present = -1;

  g_assert_false (g_test_subprocess ());
  if (present < 0)
    {
      g_test_trap_subprocess (LITERAL_BUG_TEST, 0, G_TEST_SUBPROCESS_DEFAULT);
      present = !g_test_trap_has_passed ();
    }
  return present;
}

LablinkMessage *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  LablinkMessage *message = lablink_message_parse (text, -1, &error);

  if (error)
    g_test_message ("parsing %s", text);
  g_assert_no_error (error);
  g_assert_nonnull (message);
  return message;
}

void
assert_parse_error (const char *text,
                    gssize      length,
                    gint        code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (length < 0)
    length = (gssize) strlen (text);

  message = lablink_message_parse (text, length, &error);
  if (error == NULL || !g_error_matches (error, LABLINK_ERROR, code))
    g_test_message ("input (%" G_GSSIZE_FORMAT " bytes): %.*s", length, (int) MIN (length, 200), text);
  g_assert_error (error, LABLINK_ERROR, code);
  g_assert_null (message);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);

  /* The same through lablink_message_parse_bytes() with the default limit. */
  bytes = g_bytes_new (text, (gsize) length);
  message = lablink_message_parse_bytes (bytes, 0, &error);
  g_assert_error (error, LABLINK_ERROR, code);
  g_assert_null (message);
}
