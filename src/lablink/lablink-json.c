/* lablink-json.c — a validating, allocation-light JSON tokenizer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "lablink-error.h"
#include "lablink-json-private.h"

#define INITIAL_TOKENS 64

static inline gboolean
is_ws (char c)
{
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static inline gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

static gint
add_token (LablinkJsonDoc *doc,
           LablinkJsonType type,
           gsize           start)
{
  LablinkJsonToken *tok;

  if (G_UNLIKELY (doc->n_tokens == doc->allocated))
    {
      /* Every token but the first takes at least two bytes (its own and a
       * separator or closing bracket), so a valid text of L bytes has at
       * most L / 2 + 1 tokens: doubling stops there instead of allocating
       * up to twice what the largest frames need. */
      guint most = (guint) MIN (doc->length / 2 + 2, G_MAXUINT / 2);
      guint grown = doc->allocated ? doc->allocated * 2 : INITIAL_TOKENS;

      if (grown > most && doc->allocated < most)
        grown = most;
      doc->allocated = grown;
      doc->tokens = g_renew (LablinkJsonToken, doc->tokens, doc->allocated);
    }

  tok = &doc->tokens[doc->n_tokens];
  tok->type = type;
  tok->flags = 0;
  tok->reserved = 0;
  tok->start = (guint32) start;
  tok->length = 0;
  tok->next = doc->n_tokens + 1;
  tok->count = 0;

  return (gint) doc->n_tokens++;
}

static gboolean
fail (GError     **error,
      gint         code,
      gsize        pos,
      const char  *what)
{
  g_set_error (error, LABLINK_ERROR, code, "Invalid JSON at byte %" G_GSIZE_FORMAT ": %s", pos, what);
  return FALSE;
}

static inline gboolean
is_hex (char c)
{
  return is_digit (c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Printable ASCII other than '"' and '\\'. */
static const guint8 plain_char[256] = {
  [0x20] = 1, [0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7e] = 1,
};

/* @pos points at the opening quote. */
static gboolean
scan_string (LablinkJsonDoc  *doc,
             gsize           *pos,
             GError         **error)
{
  const char *s = doc->text;
  gsize len = doc->length;
  gsize p = *pos + 1;
  gint tok = add_token (doc, LABLINK_JSON_STRING, p);
  guint8 flags = 0;
  gboolean non_ascii = FALSE;

  for (;;)
    {
      guchar c;

      /* Plain printable ASCII: the common case, scanned tightly. */
      while (p < len && plain_char[(guchar) s[p]])
        p++;

      if (G_UNLIKELY (p >= len))
        return fail (error, LABLINK_ERROR_MALFORMED, p, "unterminated string");

      c = (guchar) s[p];
      if (c == '"')
        break;
      if (G_UNLIKELY (c < 0x20))
        return fail (error, LABLINK_ERROR_MALFORMED, p, "control character in string");
      if (c >= 0x80)
        non_ascii = TRUE;
      if (c == '\\')
        {
          flags |= LABLINK_JSON_FLAG_ESCAPED;
          if (p + 1 >= len)
            return fail (error, LABLINK_ERROR_MALFORMED, p, "unterminated escape");
          switch (s[p + 1])
            {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
              p += 2;
              break;
            case 'u':
              if (p + 5 >= len || !is_hex (s[p + 2]) || !is_hex (s[p + 3]) ||
                  !is_hex (s[p + 4]) || !is_hex (s[p + 5]))
                return fail (error, LABLINK_ERROR_MALFORMED, p, "bad \\u escape");
              p += 6;
              break;
            default:
              return fail (error, LABLINK_ERROR_MALFORMED, p, "bad escape");
            }
          continue;
        }
      p++;
    }

  /* Outside strings any byte ≥ 0x80 is a syntax error, so validating the
   * strings that have such bytes validates the whole text. */
  if (non_ascii && !g_utf8_validate_len (s + doc->tokens[tok].start, p - doc->tokens[tok].start, NULL))
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_MALFORMED,
                   "Invalid JSON at byte %" G_GSIZE_FORMAT ": string is not valid UTF-8", *pos);
      return FALSE;
    }

  doc->tokens[tok].flags = flags;
  doc->tokens[tok].length = (guint32) (p - doc->tokens[tok].start);
  *pos = p + 1;
  return TRUE;
}

static gboolean
match_word (const char *s,
            gsize       len,
            gsize       p,
            const char *word)
{
  gsize n = strlen (word);
  return p + n <= len && memcmp (s + p, word, n) == 0;
}

static gboolean
scan_number (LablinkJsonDoc  *doc,
             gsize           *pos,
             GError         **error)
{
  const char *s = doc->text;
  gsize len = doc->length;
  gsize p = *pos;
  gint tok = add_token (doc, LABLINK_JSON_NUMBER, p);
  guint8 flags = LABLINK_JSON_FLAG_INTEGER;

  if (s[p] == '-')
    p++;

  if (p < len && s[p] == 'I')
    {
      if (!match_word (s, len, p, "Infinity"))
        return fail (error, LABLINK_ERROR_MALFORMED, p, "bad literal");
      p += 8;
      flags = LABLINK_JSON_FLAG_NONFINITE;
    }
  else if (p < len && s[p] == 'N' && p == *pos)
    {
      if (!match_word (s, len, p, "NaN"))
        return fail (error, LABLINK_ERROR_MALFORMED, p, "bad literal");
      p += 3;
      flags = LABLINK_JSON_FLAG_NONFINITE;
    }
  else
    {
      if (p >= len || !is_digit (s[p]))
        return fail (error, LABLINK_ERROR_MALFORMED, p, "bad number");
      if (s[p] == '0')
        p++;
      else
        while (p < len && is_digit (s[p]))
          p++;
      if (p < len && s[p] == '.')
        {
          p++;
          flags = 0;
          if (p >= len || !is_digit (s[p]))
            return fail (error, LABLINK_ERROR_MALFORMED, p, "bad fraction");
          while (p < len && is_digit (s[p]))
            p++;
        }
      if (p < len && (s[p] == 'e' || s[p] == 'E'))
        {
          p++;
          flags = 0;
          if (p < len && (s[p] == '+' || s[p] == '-'))
            p++;
          if (p >= len || !is_digit (s[p]))
            return fail (error, LABLINK_ERROR_MALFORMED, p, "bad exponent");
          while (p < len && is_digit (s[p]))
            p++;
        }
    }

  doc->tokens[tok].flags = flags;
  doc->tokens[tok].length = (guint32) (p - *pos);
  *pos = p;
  return TRUE;
}

static inline gsize
skip_ws (const char *s,
         gsize       len,
         gsize       p)
{
  while (p < len && is_ws (s[p]))
    p++;
  return p;
}

gboolean
lablink_json_doc_parse (LablinkJsonDoc  *doc,
                        const char      *text,
                        gsize            length,
                        guint            max_depth,
                        GError         **error)
{
  gint stack[LABLINK_JSON_MAX_DEPTH_LIMIT];
  guint depth = 0;
  gsize p;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (text != NULL || length == 0, FALSE);

  max_depth = MIN (max_depth, LABLINK_JSON_MAX_DEPTH_LIMIT);

  doc->text = text;
  doc->length = length;
  doc->n_tokens = 0;

  if (length > G_MAXUINT32 / 2)
    return fail (error, LABLINK_ERROR_TOO_LARGE, 0, "text too large");

  p = skip_ws (text, length, 0);
  if (p >= length)
    return fail (error, LABLINK_ERROR_MALFORMED, p, "empty text");

  for (;;)
    {
      char c;

      /* A value starts at p. */
      p = skip_ws (text, length, p);
      if (p >= length)
        return fail (error, LABLINK_ERROR_MALFORMED, p, "unexpected end of text");

      c = text[p];
      switch (c)
        {
        case '{':
        case '[':
          {
            gint tok = add_token (doc, c == '{' ? LABLINK_JSON_OBJECT : LABLINK_JSON_ARRAY, p);

            if (depth >= max_depth)
              {
                g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_DEEP,
                             "Invalid JSON: nesting deeper than %u levels", max_depth);
                return FALSE;
              }
            stack[depth++] = tok;
            p = skip_ws (text, length, p + 1);
            if (p < length && text[p] == (c == '{' ? '}' : ']'))
              {
                /* Empty container: closed by the loop below. */
                break;
              }
            if (c == '{')
              {
                if (p >= length || text[p] != '"')
                  return fail (error, LABLINK_ERROR_MALFORMED, p, "expected a member name");
                if (!scan_string (doc, &p, error))
                  return FALSE;
                p = skip_ws (text, length, p);
                if (p >= length || text[p] != ':')
                  return fail (error, LABLINK_ERROR_MALFORMED, p, "expected ':'");
                p++;
              }
            continue;
          }

        case '"':
          if (!scan_string (doc, &p, error))
            return FALSE;
          break;

        case 't':
          if (!match_word (text, length, p, "true"))
            return fail (error, LABLINK_ERROR_MALFORMED, p, "bad literal");
          {
            gint tok = add_token (doc, LABLINK_JSON_TRUE, p);
            doc->tokens[tok].length = 4;
          }
          p += 4;
          break;

        case 'f':
          if (!match_word (text, length, p, "false"))
            return fail (error, LABLINK_ERROR_MALFORMED, p, "bad literal");
          {
            gint tok = add_token (doc, LABLINK_JSON_FALSE, p);
            doc->tokens[tok].length = 5;
          }
          p += 5;
          break;

        case 'n':
          if (!match_word (text, length, p, "null"))
            return fail (error, LABLINK_ERROR_MALFORMED, p, "bad literal");
          {
            gint tok = add_token (doc, LABLINK_JSON_NULL, p);
            doc->tokens[tok].length = 4;
          }
          p += 4;
          break;

        default:
          if (c == '-' || c == 'N' || c == 'I' || is_digit (c))
            {
              if (!scan_number (doc, &p, error))
                return FALSE;
            }
          else if ((guchar) c >= 0x80)
            return fail (error, LABLINK_ERROR_MALFORMED, p, "unexpected non-ASCII byte (or invalid UTF-8)");
          else
            return fail (error, LABLINK_ERROR_MALFORMED, p, "unexpected character");
          break;
        }

      /* A value ended at p: close containers or move to the next member. */
      for (;;)
        {
          gint container;
          gboolean is_object;

          if (depth == 0)
            {
              p = skip_ws (text, length, p);
              if (p != length)
                return fail (error, LABLINK_ERROR_MALFORMED, p, "trailing characters");
              return TRUE;
            }

          container = stack[depth - 1];
          is_object = doc->tokens[container].type == LABLINK_JSON_OBJECT;

          p = skip_ws (text, length, p);
          if (p >= length)
            return fail (error, LABLINK_ERROR_MALFORMED, p, "unexpected end of text");

          if ((guint) container + 1 != doc->n_tokens || text[p] == ',')
            doc->tokens[container].count++;
          else if (text[p] != (is_object ? '}' : ']'))
            return fail (error, LABLINK_ERROR_MALFORMED, p, "expected ',' or end of container");

          if (text[p] == ',')
            {
              p = skip_ws (text, length, p + 1);
              if (is_object)
                {
                  if (p >= length || text[p] != '"')
                    return fail (error, LABLINK_ERROR_MALFORMED, p, "expected a member name");
                  if (!scan_string (doc, &p, error))
                    return FALSE;
                  p = skip_ws (text, length, p);
                  if (p >= length || text[p] != ':')
                    return fail (error, LABLINK_ERROR_MALFORMED, p, "expected ':'");
                  p++;
                }
              break;
            }
          else if (text[p] == (is_object ? '}' : ']'))
            {
              doc->tokens[container].next = doc->n_tokens;
              doc->tokens[container].length = (guint32) (p + 1 - doc->tokens[container].start);
              depth--;
              p++;
              continue;
            }
          else
            return fail (error, LABLINK_ERROR_MALFORMED, p, "expected ',' or end of container");
        }
    }
}

void
lablink_json_doc_clear (LablinkJsonDoc *doc)
{
  g_clear_pointer (&doc->tokens, g_free);
  doc->n_tokens = 0;
  doc->allocated = 0;
  doc->text = NULL;
  doc->length = 0;
}

/* Frees the token array if it grew past @keep_tokens: a thread's working
 * array must not stay at the size of the largest frame it ever saw. */
void
lablink_json_doc_trim (LablinkJsonDoc *doc,
                       guint           keep_tokens)
{
  if (doc->allocated > keep_tokens)
    {
      g_clear_pointer (&doc->tokens, g_free);
      doc->allocated = 0;
    }
  doc->n_tokens = 0;
  doc->text = NULL;
  doc->length = 0;
}

gboolean
lablink_json_doc_string_equal (const LablinkJsonDoc *doc,
                               gint                  token,
                               const char           *str,
                               gsize                 len)
{
  const LablinkJsonToken *t = &doc->tokens[token];

  if (t->type != LABLINK_JSON_STRING)
    return FALSE;
  if (G_LIKELY (!(t->flags & LABLINK_JSON_FLAG_ESCAPED)))
    return t->length == len && memcmp (doc->text + t->start, str, len) == 0;
  else
    {
      g_autofree char *decoded = lablink_json_doc_dup_string (doc, token);
      return strlen (decoded) == len && memcmp (decoded, str, len) == 0;
    }
}

gint
lablink_json_doc_member (const LablinkJsonDoc *doc,
                         gint                  object,
                         const char           *key,
                         gsize                 key_len)
{
  const LablinkJsonToken *obj;
  guint i;
  gint k;

  if (object < 0 || (guint) object >= doc->n_tokens)
    return -1;
  obj = &doc->tokens[object];
  if (obj->type != LABLINK_JSON_OBJECT)
    return -1;

  k = object + 1;
  for (i = 0; i < obj->count; i++)
    {
      gint v = k + 1;
      if (lablink_json_doc_string_equal (doc, k, key, key_len))
        return v;
      k = (gint) doc->tokens[v].next;
    }

  return -1;
}

gint
lablink_json_doc_path (const LablinkJsonDoc *doc,
                       gint                  root,
                       const char           *path)
{
  gint cur = root;

  while (cur >= 0 && *path)
    {
      const char *dot = strchr (path, '.');
      gsize n = dot ? (gsize) (dot - path) : strlen (path);
      const LablinkJsonToken *t = &doc->tokens[cur];

      if (t->type == LABLINK_JSON_ARRAY && n > 0 && is_digit (path[0]))
        {
          guint64 index = g_ascii_strtoull (path, NULL, 10);
          gint child = lablink_json_doc_first_child (doc, cur);
          guint64 i;

          for (i = 0; i < index && child >= 0 && i < t->count; i++)
            child = (gint) doc->tokens[child].next;
          cur = (index < t->count) ? child : -1;
        }
      else
        cur = lablink_json_doc_member (doc, cur, path, n);

      path += n;
      if (*path == '.')
        path++;
    }

  return cur;
}

static void
append_utf8 (GString  *out,
             gunichar  c)
{
  if (!g_unichar_validate (c) || c == 0)
    c = 0xFFFD;
  g_string_append_unichar (out, c);
}

char *
lablink_json_doc_dup_string (const LablinkJsonDoc *doc,
                             gint                  token)
{
  const LablinkJsonToken *t = &doc->tokens[token];
  const char *s;
  GString *out;
  guint32 i;

  g_return_val_if_fail (t->type == LABLINK_JSON_STRING, NULL);

  s = doc->text + t->start;
  if (!(t->flags & LABLINK_JSON_FLAG_ESCAPED))
    return g_strndup (s, t->length);

  out = g_string_sized_new (t->length);
  for (i = 0; i < t->length; i++)
    {
      if (s[i] != '\\')
        {
          g_string_append_c (out, s[i]);
          continue;
        }
      i++;
      switch (s[i])
        {
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar c = (gunichar) g_ascii_strtoull ((char[5]) { s[i + 1], s[i + 2], s[i + 3], s[i + 4], 0 }, NULL, 16);
            i += 4;
            if (c >= 0xD800 && c <= 0xDBFF && i + 6 < t->length && s[i + 1] == '\\' && s[i + 2] == 'u')
              {
                gunichar lo = (gunichar) g_ascii_strtoull ((char[5]) { s[i + 3], s[i + 4], s[i + 5], s[i + 6], 0 }, NULL, 16);
                if (lo >= 0xDC00 && lo <= 0xDFFF)
                  {
                    c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                  }
              }
            append_utf8 (out, c);
          }
          break;
        default: /* '"', '\\', '/' */
          g_string_append_c (out, s[i]);
          break;
        }
    }

  return g_string_free (out, FALSE);
}

gboolean
lablink_json_doc_get_double (const LablinkJsonDoc *doc,
                             gint                  token,
                             double               *value)
{
  const LablinkJsonToken *t;
  const char *s;
  char buf[64];

  if (token < 0)
    return FALSE;
  t = &doc->tokens[token];
  if (t->type != LABLINK_JSON_NUMBER)
    return FALSE;

  s = doc->text + t->start;

  if (t->flags & LABLINK_JSON_FLAG_NONFINITE)
    {
      if (s[0] == 'N')
        *value = NAN;
      else
        *value = s[0] == '-' ? -INFINITY : INFINITY;
      return TRUE;
    }

  if ((t->flags & LABLINK_JSON_FLAG_INTEGER) && t->length <= 15)
    {
      gint64 v = 0;
      guint32 i = (s[0] == '-');
      for (; i < t->length; i++)
        v = v * 10 + (s[i] - '0');
      *value = (double) (s[0] == '-' ? -v : v);
      return TRUE;
    }

  if (t->length < sizeof buf)
    {
      memcpy (buf, s, t->length);
      buf[t->length] = '\0';
      *value = g_ascii_strtod (buf, NULL);
    }
  else
    {
      g_autofree char *copy = g_strndup (s, t->length);
      *value = g_ascii_strtod (copy, NULL);
    }

  return TRUE;
}

JsonNode *
lablink_json_doc_to_node (const LablinkJsonDoc *doc,
                          gint                  token)
{
  const LablinkJsonToken *t = &doc->tokens[token];
  JsonNode *node;

  switch ((LablinkJsonType) t->type)
    {
    case LABLINK_JSON_NULL:
      return json_node_init_null (json_node_alloc ());
    case LABLINK_JSON_TRUE:
    case LABLINK_JSON_FALSE:
      return json_node_init_boolean (json_node_alloc (), t->type == LABLINK_JSON_TRUE);
    case LABLINK_JSON_NUMBER:
      {
        double v = 0;
        if ((t->flags & LABLINK_JSON_FLAG_INTEGER) && t->length <= 20)
          {
            char buf[24];
            gint64 n;

            memcpy (buf, doc->text + t->start, t->length);
            buf[t->length] = '\0';
            errno = 0;
            n = g_ascii_strtoll (buf, NULL, 10);
            if (errno == 0)
              return json_node_init_int (json_node_alloc (), n);
          }
        lablink_json_doc_get_double (doc, token, &v);
        return json_node_init_double (json_node_alloc (), v);
      }
    case LABLINK_JSON_STRING:
      {
        g_autofree char *str = lablink_json_doc_dup_string (doc, token);
        return json_node_init_string (json_node_alloc (), str);
      }
    case LABLINK_JSON_ARRAY:
      {
        JsonArray *array = json_array_sized_new (t->count);
        gint child = lablink_json_doc_first_child (doc, token);
        guint i;

        for (i = 0; i < t->count; i++)
          {
            json_array_add_element (array, lablink_json_doc_to_node (doc, child));
            child = (gint) doc->tokens[child].next;
          }
        node = json_node_init_array (json_node_alloc (), array);
        json_array_unref (array);
        return node;
      }
    case LABLINK_JSON_OBJECT:
      {
        JsonObject *object = json_object_new ();
        gint k = token + 1;
        guint i;

        for (i = 0; i < t->count; i++)
          {
            gint v = k + 1;
            g_autofree char *key = lablink_json_doc_dup_string (doc, k);

            /* Duplicate names: the first wins, as in every lookup here. */
            if (!json_object_has_member (object, key))
              json_object_set_member (object, key, lablink_json_doc_to_node (doc, v));
            k = (gint) doc->tokens[v].next;
          }
        node = json_node_init_object (json_node_alloc (), object);
        json_object_unref (object);
        return node;
      }
    default:
      g_assert_not_reached ();
    }
}
