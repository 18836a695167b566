/* lablink-sim-json.c — writing JSON the way the real LabLink server spells it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <lablink.h>
#include "lablink-json-private.h"  /* internal: lablink_json_append_*() */

#include "lablink-sim-json.h"

void
lablink_sim_json_init (LablinkSimJson      *w,
                       GString             *out,
                       LablinkSimJsonStyle  style,
                       gboolean             bare_nonfinite)
{
  g_return_if_fail (w != NULL && out != NULL);

  w->out = out;
  w->python_style = (style == LABLINK_SIM_JSON_PYTHON);
  w->bare_nonfinite = bare_nonfinite;
  w->saw_nonfinite = FALSE;
  w->after_key = FALSE;
  w->depth = 0;
  w->has_items = 0;
}

/* Called before every value and every key. */
static void
separate (LablinkSimJson *w)
{
  guint64 bit;

  if (w->after_key)
    {
      w->after_key = FALSE;
      return;
    }
  if (w->depth == 0)
    return;

  bit = G_GUINT64_CONSTANT (1) << (w->depth - 1);
  if (w->has_items & bit)
    g_string_append (w->out, w->python_style ? ", " : ",");
  w->has_items |= bit;
}

static void
push (LablinkSimJson *w,
      char            c)
{
  separate (w);
  g_string_append_c (w->out, c);
  g_return_if_fail (w->depth < LABLINK_SIM_JSON_MAX_DEPTH);
  w->depth++;
  w->has_items &= ~(G_GUINT64_CONSTANT (1) << (w->depth - 1));
}

static void
pop (LablinkSimJson *w,
     char            c)
{
  g_return_if_fail (w->depth > 0);
  w->has_items &= ~(G_GUINT64_CONSTANT (1) << (w->depth - 1));
  w->depth--;
  g_string_append_c (w->out, c);
}

void
lablink_sim_json_begin_object (LablinkSimJson *w)
{
  push (w, '{');
}

void
lablink_sim_json_end_object (LablinkSimJson *w)
{
  pop (w, '}');
}

void
lablink_sim_json_begin_array (LablinkSimJson *w)
{
  push (w, '[');
}

void
lablink_sim_json_end_array (LablinkSimJson *w)
{
  pop (w, ']');
}

void
lablink_sim_json_key (LablinkSimJson *w,
                      const char     *key)
{
  separate (w);
  lablink_json_append_string (w->out, key);
  g_string_append (w->out, w->python_style ? ": " : ":");
  w->after_key = TRUE;
}

void
lablink_sim_json_string (LablinkSimJson *w,
                         const char     *value)
{
  separate (w);
  lablink_json_append_string (w->out, value);
}

void
lablink_sim_json_double (LablinkSimJson *w,
                         double          value)
{
  separate (w);
  if (!isfinite (value))
    w->saw_nonfinite = TRUE;
  lablink_json_append_double (w->out, value, w->bare_nonfinite);
}

void
lablink_sim_json_int (LablinkSimJson *w,
                      gint64          value)
{
  separate (w);
  g_string_append_printf (w->out, "%" G_GINT64_FORMAT, value);
}

void
lablink_sim_json_boolean (LablinkSimJson *w,
                          gboolean        value)
{
  separate (w);
  g_string_append (w->out, value ? "true" : "false");
}

void
lablink_sim_json_null (LablinkSimJson *w)
{
  separate (w);
  g_string_append (w->out, "null");
}

/* The zone of the naive timestamps (--utc-offset); unset: the machine's. */
static gboolean naive_zone_set;
static gint64   naive_zone_offset_s;

/**
 * lablink_sim_json_set_utc_offset:
 * @offset_s: seconds east of UTC of the simulated server's clock
 *
 * Naive timestamps are then written in that zone, as a real server in
 * that zone writes them (its local time, no zone).
 */
void
lablink_sim_json_set_utc_offset (gint64 offset_s)
{
  naive_zone_set = TRUE;
  naive_zone_offset_s = offset_s;
}

/**
 * lablink_sim_json_format_naive:
 * @unix_usec: µs since the epoch
 *
 * Returns: (transfer full): the naive ISO-8601 text of @unix_usec in the
 *   simulated server's zone
 */
char *
lablink_sim_json_format_naive (gint64 unix_usec)
{
  if (!naive_zone_set)
    return lablink_format_timestamp (unix_usec);

  {
    gint64 shifted = unix_usec + naive_zone_offset_s * G_USEC_PER_SEC;
    gint64 secs = shifted / G_USEC_PER_SEC;
    gint64 usec = shifted % G_USEC_PER_SEC;
    g_autoptr(GDateTime) dt = NULL;

    if (usec < 0)
      {
        usec += G_USEC_PER_SEC;
        secs -= 1;
      }
    /* The UTC fields of the shifted time are the naive local ones. */
    dt = g_date_time_new_from_unix_utc (secs);
    if (dt == NULL)
      return g_strdup ("1970-01-01T00:00:00.000000");
    return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%06d",
                            g_date_time_get_year (dt), g_date_time_get_month (dt),
                            g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                            g_date_time_get_minute (dt), g_date_time_get_second (dt), (int) usec);
  }
}

void
lablink_sim_json_timestamp (LablinkSimJson *w,
                            gint64          unix_usec)
{
  g_autofree char *text = lablink_sim_json_format_naive (unix_usec);

  separate (w);
  lablink_json_append_string (w->out, text);
}

void
lablink_sim_json_node (LablinkSimJson *w,
                       JsonNode       *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      lablink_sim_json_null (w);
      return;
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        lablink_sim_json_begin_object (w);
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            lablink_sim_json_key (w, name);
            lablink_sim_json_node (w, member);
          }
        lablink_sim_json_end_object (w);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint i, n = json_array_get_length (array);

        lablink_sim_json_begin_array (w);
        for (i = 0; i < n; i++)
          lablink_sim_json_node (w, json_array_get_element (array, i));
        lablink_sim_json_end_array (w);
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          lablink_sim_json_int (w, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          lablink_sim_json_double (w, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          lablink_sim_json_boolean (w, json_node_get_boolean (node));
          break;
        case G_TYPE_STRING:
          lablink_sim_json_string (w, json_node_get_string (node));
          break;
        default:
          lablink_sim_json_null (w);
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      lablink_sim_json_null (w);
      break;
    }
}

void
lablink_sim_json_member_string (LablinkSimJson *w,
                                const char     *key,
                                const char     *value)
{
  lablink_sim_json_key (w, key);
  lablink_sim_json_string (w, value);
}

void
lablink_sim_json_member_double (LablinkSimJson *w,
                                const char     *key,
                                double          value)
{
  lablink_sim_json_key (w, key);
  lablink_sim_json_double (w, value);
}

void
lablink_sim_json_member_int (LablinkSimJson *w,
                             const char     *key,
                             gint64          value)
{
  lablink_sim_json_key (w, key);
  lablink_sim_json_int (w, value);
}

void
lablink_sim_json_member_boolean (LablinkSimJson *w,
                                 const char     *key,
                                 gboolean        value)
{
  lablink_sim_json_key (w, key);
  lablink_sim_json_boolean (w, value);
}

void
lablink_sim_json_member_null (LablinkSimJson *w,
                              const char     *key)
{
  lablink_sim_json_key (w, key);
  lablink_sim_json_null (w);
}

void
lablink_sim_json_member_timestamp (LablinkSimJson *w,
                                   const char     *key,
                                   gint64          unix_usec)
{
  lablink_sim_json_key (w, key);
  lablink_sim_json_timestamp (w, unix_usec);
}

void
lablink_sim_json_member_timestamp_or_null (LablinkSimJson *w,
                                           const char     *key,
                                           gint64          unix_usec)
{
  lablink_sim_json_key (w, key);
  if (unix_usec == 0)
    lablink_sim_json_null (w);
  else
    lablink_sim_json_timestamp (w, unix_usec);
}

/**
 * lablink_sim_json_parse_object:
 * @body: a request body
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the body's top-level object
 */
JsonObject *
lablink_sim_json_parse_object (GBytes  *body,
                               GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  const char *data;
  gsize length = 0;
  JsonNode *root;

  data = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "Empty request body");
      return NULL;
    }
  if (length > G_MAXSSIZE || !g_utf8_validate (data, (gssize) length, NULL))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "Request body is not UTF-8");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) length, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "Request body must be a JSON object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

gboolean
lablink_sim_json_object_get_number (JsonObject *object,
                                    const char *member,
                                    double     *value)
{
  JsonNode *node;

  if (object == NULL)
    return FALSE;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      *value = json_node_get_double (node);
      return isfinite (*value);
    default:
      return FALSE;
    }
}

gboolean
lablink_sim_json_object_get_bool (JsonObject *object,
                                  const char *member,
                                  gboolean   *value)
{
  JsonNode *node;

  if (object == NULL)
    return FALSE;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *value = json_node_get_boolean (node);
  return TRUE;
}

const char *
lablink_sim_json_object_get_str (JsonObject *object,
                                 const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}
