/* cli-util.c — helpers of lablink-cli that need no server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <lablink.h>
#include "lablink-json-private.h"  /* internal: lablink_json_append_*() */

#include "cli-util.h"

static void
append_indent (GString *out,
               int      level)
{
  g_string_append_c (out, '\n');
  for (int i = 0; i < level; i++)
    g_string_append (out, "  ");
}

static void
append_node (GString  *out,
             JsonNode *node,
             gboolean  pretty,
             int       level)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          lablink_json_append_double (out, json_node_get_double (node), TRUE);
        else if (type == G_TYPE_STRING)
          lablink_json_append_string (out, json_node_get_string (node));
        else
          g_string_append (out, "null");
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            if (pretty)
              append_indent (out, level + 1);
            append_node (out, json_array_get_element (array, i), pretty, level + 1);
          }
        if (pretty && n > 0)
          append_indent (out, level);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            if (pretty)
              append_indent (out, level + 1);
            lablink_json_append_string (out, name);
            g_string_append (out, pretty ? ": " : ":");
            append_node (out, member, pretty, level + 1);
            first = FALSE;
          }
        if (pretty && !first)
          append_indent (out, level);
        g_string_append_c (out, '}');
      }
      break;

    default:
      g_string_append (out, "null");
    }
}

char *
cli_json_to_string (JsonNode *node,
                    gboolean  pretty)
{
  GString *out = g_string_new (NULL);

  if (node == NULL)
    g_string_append (out, "null");
  else
    append_node (out, node, pretty, 0);
  return g_string_free (out, FALSE);
}

gboolean
cli_parse_parameter (JsonObject  *parameters,
                     const char  *argument,
                     GError     **error)
{
  const char *equals = strchr (argument, '=');
  g_autofree char *key = NULL;
  const char *value;
  gsize value_len;
  char *end = NULL;

  if (equals == NULL || equals == argument)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "“%s” is not a KEY=VALUE parameter (e.g. voltage=5.0)", argument);
      return FALSE;
    }

  key = g_strndup (argument, equals - argument);
  value = equals + 1;
  value_len = strlen (value);

  if (value_len >= 2 && value[0] == '"' && value[value_len - 1] == '"')
    {
      g_autofree char *text = g_strndup (value + 1, value_len - 2);
      json_object_set_string_member (parameters, key, text);
      return TRUE;
    }

  if (g_str_equal (value, "true") || g_str_equal (value, "false"))
    {
      json_object_set_boolean_member (parameters, key, value[0] == 't');
      return TRUE;
    }
  if (g_str_equal (value, "null"))
    {
      json_object_set_null_member (parameters, key);
      return TRUE;
    }

  if (value[0] != '\0' && !g_ascii_isspace (value[0]))
    {
      gboolean integral = strpbrk (value, ".eE") == NULL;
      double number;

      if (integral)
        {
          gint64 integer;

          errno = 0;
          integer = g_ascii_strtoll (value, &end, 10);
          if (end != value && *end == '\0' && errno == 0)
            {
              json_object_set_int_member (parameters, key, integer);
              return TRUE;
            }
        }

      errno = 0;
      number = g_ascii_strtod (value, &end);
      /* "nan", "inf", hex floats and overflows stay strings */
      if (end != value && *end == '\0' && errno == 0 && isfinite (number) &&
          strpbrk (value, "xXnNiI") == NULL)
        {
          json_object_set_double_member (parameters, key, number);
          return TRUE;
        }
    }

  json_object_set_string_member (parameters, key, value);
  return TRUE;
}

char **
cli_parse_channels (const char  *text,
                    GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *channel = g_strstrip (parts[i]);

      if (channel[0] == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "“%s” is not a channel list: use names separated by commas, e.g. CH1,CH2",
                       text);
          return NULL;
        }
      for (guint j = 0; j < seen->len; j++)
        if (g_str_equal (seen->pdata[j], channel))
          {
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         "Channel “%s” is listed twice", channel);
            return NULL;
          }
      g_ptr_array_add (seen, channel);
      g_strv_builder_add (builder, channel);
    }

  if (seen->len == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "No channel given: use e.g. --channels CH1,CH2");
      return NULL;
    }

  return g_strv_builder_end (builder);
}

char *
cli_redact_token (const char *url)
{
  GString *out = g_string_new (NULL);
  const char *query = strchr (url, '?');
  const char *p;

  if (query == NULL)
    {
      g_string_append (out, url);
      return g_string_free (out, FALSE);
    }

  g_string_append_len (out, url, query - url);
  p = query;
  while (*p != '\0')
    {
      const char *end = strchr (p + 1, '&');
      gsize len = end != NULL ? (gsize) (end - p) : strlen (p);

      /* p points at '?' or '&' */
      if (g_str_has_prefix (p + 1, "token="))
        g_string_append_printf (out, "%ctoken=…", p[0]);
      else
        g_string_append_len (out, p, len);
      p += len;
    }

  return g_string_free (out, FALSE);
}

void
cli_append_number (GString *out,
                   double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    g_string_append (out, "NaN");
  else if (isinf (value))
    g_string_append (out, value > 0 ? "Infinity" : "-Infinity");
  else
    {
      /* the shortest text that reads back as the same double */
      static const char *formats[] = { "%.15g", "%.16g", "%.17g" };

      for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
        {
          g_ascii_formatd (buf, sizeof buf, formats[i], value);
          if (g_ascii_strtod (buf, NULL) == value)
            break;
        }
      g_string_append (out, buf);
    }
}

void
cli_append_padded (GString    *out,
                   const char *text,
                   guint       width)
{
  glong len = g_utf8_validate (text, -1, NULL) ? g_utf8_strlen (text, -1) : (glong) strlen (text);

  g_string_append (out, text);
  for (glong i = len; i < (glong) width; i++)
    g_string_append_c (out, ' ');
}

char *
cli_format_columns (const char * const *headers,
                    guint               n_columns,
                    const char * const *cells,
                    guint               n_rows)
{
  g_autofree guint *widths = g_new0 (guint, n_columns);
  GString *out = g_string_new (NULL);

  for (guint c = 0; c < n_columns; c++)
    widths[c] = (guint) g_utf8_strlen (headers[c], -1);
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_columns; c++)
      {
        const char *cell = cells[r * n_columns + c];

        if (cell != NULL)
          widths[c] = MAX (widths[c], (guint) g_utf8_strlen (cell, -1));
      }

  for (guint r = 0; r <= n_rows; r++)
    {
      for (guint c = 0; c < n_columns; c++)
        {
          const char *cell = r == 0 ? headers[c] : cells[(r - 1) * n_columns + c];

          cli_append_padded (out, cell != NULL ? cell : "-", c + 1 < n_columns ? widths[c] + 2 : 0);
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

char *
cli_find_fingerprint (const char *message)
{
  const char *found = NULL;
  const char *p = message;
  gsize len = 0;

  if (message == NULL)
    return NULL;
  while ((p = strstr (p, "SHA256:")) != NULL)
    {
      const char *q = p + strlen ("SHA256:");
      gsize n = 0;

      while (g_ascii_isalnum (q[n]) || q[n] == '+' || q[n] == '/')
        n++;
      if (n == 43)
        {
          found = p;
          len = strlen ("SHA256:") + n;
        }
      p = q;
    }
  return found != NULL ? g_strndup (found, len) : NULL;
}

char *
cli_certificate_message (const char *message)
{
  g_autofree char *fingerprint = cli_find_fingerprint (message);

  if (fingerprint == NULL)
    return g_strdup (message);
  return g_strdup_printf ("%s\nlablink-cli: Only if the server's administrator confirms %s, "
                          "trust it by running again with --accept-certificate=%s",
                          message, fingerprint, fingerprint);
}
