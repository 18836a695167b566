/* lablink-protocol.c — building LabLink protocol frames
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lablink-json-private.h"
#include "lablink-protocol.h"

/**
 * lablink_json_append_string:
 * @out: the string being built
 * @value: UTF-8 text
 *
 * Appends @value as a JSON string literal, quotes included.
 */
void
lablink_json_append_string (GString    *out,
                            const char *value)
{
  const char *p;

  g_return_if_fail (out != NULL);

  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (p = value; *p; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

/**
 * lablink_json_append_double:
 * @out: the string being built
 * @value: a number
 * @bare_nonfinite: write NaN/Infinity bare as the real server does, instead of `null`
 *
 * Appends @value with the shortest text that reads back to the same double,
 * whatever the locale.
 */
void
lablink_json_append_double (GString  *out,
                            double    value,
                            gboolean  bare_nonfinite)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (out != NULL);

  if (!isfinite (value))
    {
      if (!bare_nonfinite)
        g_string_append (out, "null");
      else if (isnan (value))
        g_string_append (out, "NaN");
      else
        g_string_append (out, value > 0 ? "Infinity" : "-Infinity");
      return;
    }

  if (value == floor (value) && fabs (value) < 1e16)
    {
      /* Python's repr spells integral floats "5.0" up to 1e16. */
      g_ascii_formatd (buf, sizeof buf, "%.0f", value);
    }
  else
    {
      /* The shortest of 15, 16 or 17 significant digits that reads back
       * to the same double. */
      static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
      gsize i;

      for (i = 0; i < G_N_ELEMENTS (formats); i++)
        {
          g_ascii_formatd (buf, sizeof buf, formats[i], value);
          if (g_ascii_strtod (buf, NULL) == value)
            break;
        }
    }

  g_string_append (out, buf);
  if (strpbrk (buf, ".eEn") == NULL)
    g_string_append (out, ".0");
}

/**
 * lablink_format_timestamp:
 * @unix_usec: microseconds since the epoch
 *
 * Formats a time the way the real server does: naive local ISO-8601 with
 * microseconds, e.g. `2026-11-25T17:14:37.638915`.
 *
 * Returns: (transfer full): the text
 */
char *
lablink_format_timestamp (gint64 unix_usec)
{
  g_autoptr(GDateTime) dt = NULL;
  gint64 secs = unix_usec / G_USEC_PER_SEC;
  gint64 usec = unix_usec % G_USEC_PER_SEC;

  if (usec < 0)
    {
      usec += G_USEC_PER_SEC;
      secs -= 1;
    }

  dt = g_date_time_new_from_unix_local (secs);
  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000000");

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%06d",
                          g_date_time_get_year (dt), g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt), g_date_time_get_second (dt), (int) usec);
}

/**
 * lablink_json_append_timestamp:
 * @out: the string being built
 * @unix_usec: microseconds since the epoch
 *
 * Appends lablink_format_timestamp() as a JSON string.
 */
void
lablink_json_append_timestamp (GString *out,
                               gint64   unix_usec)
{
  g_autofree char *text = lablink_format_timestamp (unix_usec);
  lablink_json_append_string (out, text);
}

/**
 * lablink_json_append_node:
 * @out: the string being built
 * @node: (nullable): a json-glib tree, e.g. a REST answer read by the client
 *
 * Appends @node as the server would spell it: non-finite numbers bare
 * (`NaN`, as the real server sends a failed read), which json_to_string()
 * would write as `nan.0`, text no parser reads back.
 */
void
lablink_json_append_node (GString  *out,
                          JsonNode *node)
{
  g_return_if_fail (out != NULL);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append (out, ", ");
            first = FALSE;
            lablink_json_append_string (out, name);
            g_string_append (out, ": ");
            lablink_json_append_node (out, member);
          }
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint i, n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append (out, ", ");
            lablink_json_append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          lablink_json_append_string (out, json_node_get_string (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        default:
          lablink_json_append_double (out, json_node_get_double (node), TRUE);
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/* The client frames are spelled like LabLink's own Python client
 * (json.dumps with default separators). */

/**
 * lablink_protocol_build_start_stream:
 * @equipment_id: the equipment id
 * @stream_type: "readings", "waveform" or "measurements"
 * @interval_ms: the interval
 *
 * Returns: (transfer full): the frame
 */
char *
lablink_protocol_build_start_stream (const char *equipment_id,
                                     const char *stream_type,
                                     guint       interval_ms)
{
  GString *out = g_string_new ("{\"type\": \"start_stream\", \"equipment_id\": ");

  g_return_val_if_fail (equipment_id != NULL && stream_type != NULL, NULL);

  lablink_json_append_string (out, equipment_id);
  g_string_append (out, ", \"stream_type\": ");
  lablink_json_append_string (out, stream_type);
  g_string_append_printf (out, ", \"interval_ms\": %u}", interval_ms);
  return g_string_free (out, FALSE);
}

/**
 * lablink_protocol_build_stop_stream:
 * @equipment_id: the equipment id
 * @stream_type: the stream type
 *
 * Returns: (transfer full): the frame
 */
char *
lablink_protocol_build_stop_stream (const char *equipment_id,
                                    const char *stream_type)
{
  GString *out = g_string_new ("{\"type\": \"stop_stream\", \"equipment_id\": ");

  g_return_val_if_fail (equipment_id != NULL && stream_type != NULL, NULL);

  lablink_json_append_string (out, equipment_id);
  g_string_append (out, ", \"stream_type\": ");
  lablink_json_append_string (out, stream_type);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/**
 * lablink_protocol_build_start_acquisition_stream:
 * @acquisition_id: the acquisition id
 * @interval_ms: the interval
 * @num_samples: samples per frame (the latest window)
 *
 * Returns: (transfer full): the frame
 */
char *
lablink_protocol_build_start_acquisition_stream (const char *acquisition_id,
                                                 guint       interval_ms,
                                                 guint       num_samples)
{
  GString *out = g_string_new ("{\"type\": \"start_acquisition_stream\", \"acquisition_id\": ");

  g_return_val_if_fail (acquisition_id != NULL, NULL);

  lablink_json_append_string (out, acquisition_id);
  g_string_append_printf (out, ", \"interval_ms\": %u, \"num_samples\": %u}", interval_ms, num_samples);
  return g_string_free (out, FALSE);
}

/**
 * lablink_protocol_build_stop_acquisition_stream:
 * @acquisition_id: the acquisition id
 *
 * Returns: (transfer full): the frame
 */
char *
lablink_protocol_build_stop_acquisition_stream (const char *acquisition_id)
{
  GString *out = g_string_new ("{\"type\": \"stop_acquisition_stream\", \"acquisition_id\": ");

  g_return_val_if_fail (acquisition_id != NULL, NULL);

  lablink_json_append_string (out, acquisition_id);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/**
 * lablink_protocol_build_ping:
 *
 * Returns: (transfer full): the frame
 */
char *
lablink_protocol_build_ping (void)
{
  return g_strdup ("{\"type\": \"ping\"}");
}

/**
 * lablink_protocol_stream_key:
 * @equipment_id: the equipment id
 * @stream_type: the stream type
 *
 * Returns: (transfer full): `<equipment_id>_<stream_type>`, as the server keys streams
 */
char *
lablink_protocol_stream_key (const char *equipment_id,
                             const char *stream_type)
{
  g_return_val_if_fail (equipment_id != NULL && stream_type != NULL, NULL);
  return g_strconcat (equipment_id, "_", stream_type, NULL);
}

/**
 * lablink_protocol_acquisition_key:
 * @acquisition_id: the acquisition id
 *
 * Returns: (transfer full): `acquisition_<id>`
 */
char *
lablink_protocol_acquisition_key (const char *acquisition_id)
{
  g_return_val_if_fail (acquisition_id != NULL, NULL);
  return g_strconcat ("acquisition_", acquisition_id, NULL);
}
