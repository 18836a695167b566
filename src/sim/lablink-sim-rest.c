/* lablink-sim-rest.c — the REST side of the simulated LabLink server:
 * requests, responses, the server's own routes and the dispatch to the others
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>

#include "lablink-sim-rest-private.h"

/* ------------------------------------------------------------------------ */
/* Responses and requests                                                    */

static void
respond_internal_error (SoupServerMessage *msg)
{
  static const char body[] = "Internal Server Error";

  soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC, body, sizeof body - 1);
}

/* Compact JSON writer. Numbers that are not finite are written bare so we
 * can tell, and then answered like FastAPI does: 500 text/plain. */
void
lablink_sim_rest_init_writer (LablinkSimJson *w,
                              GString        *out)
{
  lablink_sim_json_init (w, out, LABLINK_SIM_JSON_COMPACT, TRUE);
}

void
lablink_sim_rest_respond (SoupServerMessage *msg,
                          guint              status,
                          LablinkSimJson    *w)
{
  gsize length;

  if (w->saw_nonfinite)
    {
      g_string_free (w->out, TRUE);
      respond_internal_error (msg);
      return;
    }

  length = w->out->len;
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (w->out, FALSE), length);
}

void
lablink_sim_rest_respond_detail (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *format,
                                 ...)
{
  g_autofree char *detail = NULL;
  LablinkSimJson w;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "detail", detail);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (msg, status, &w);
}

/* `{"success":true,"message":@message,@id_member:@id}` (without the id
 * when @id is NULL) */
void
lablink_sim_rest_respond_success_for (SoupServerMessage *msg,
                                      const char        *message,
                                      const char        *id_member,
                                      const char        *id)
{
  LablinkSimJson w;

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_boolean (&w, "success", TRUE);
  lablink_sim_json_member_string (&w, "message", message);
  if (id != NULL)
    lablink_sim_json_member_string (&w, id_member, id);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (msg, SOUP_STATUS_OK, &w);
}

void
lablink_sim_rest_respond_success (SoupServerMessage *msg,
                                  const char        *message,
                                  const char        *acquisition_id)
{
  lablink_sim_rest_respond_success_for (msg, message, "acquisition_id", acquisition_id);
}

/* `{@member:[…],"count":N}`: LabLink's shape of a listing, each of @items
 * written by @write_item */
void
lablink_sim_rest_respond_list (SoupServerMessage  *msg,
                               const char         *member,
                               GPtrArray          *items,
                               LablinkSimWriteItem write_item)
{
  LablinkSimJson w;
  guint i;

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_key (&w, member);
  lablink_sim_json_begin_array (&w);
  for (i = 0; i < items->len; i++)
    write_item (g_ptr_array_index (items, i), &w);
  lablink_sim_json_end_array (&w);
  lablink_sim_json_member_int (&w, "count", items->len);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (msg, SOUP_STATUS_OK, &w);
}

JsonObject *
lablink_sim_rest_read_body (SimRequest *r,
                            gboolean    required)
{
  SoupMessageBody *body = soup_server_message_get_request_body (r->msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  bytes = soup_message_body_flatten (body);
  if (g_bytes_get_size (bytes) == 0 && !required)
    return json_object_new ();

  object = lablink_sim_json_parse_object (bytes, &error);
  if (object == NULL)
    lablink_sim_rest_respond_detail (r->msg, 422, "Invalid request body: %s", error->message);
  return object;
}

/* Whether @r is @method on a path of @n_parts components, each the given
 * string (NULL: any); a matching path with another method still counts for
 * the 405. */
gboolean
lablink_sim_rest_route (SimRequest *r,
                        const char *method,
                        guint       n_parts,
                        ...)
{
  va_list args;
  guint i;
  gboolean matched = TRUE;

  if (r->n_parts != n_parts)
    return FALSE;

  va_start (args, n_parts);
  for (i = 0; i < n_parts; i++)
    {
      const char *expected = va_arg (args, const char *);

      if (expected != NULL && !g_str_equal (expected, r->parts[i]))
        {
          matched = FALSE;
          break;
        }
    }
  va_end (args);

  if (!matched)
    return FALSE;
  r->path_matched = TRUE;
  return g_str_equal (r->method, method);
}

const char *
lablink_sim_rest_query_get (SimRequest *r,
                            const char *name)
{
  return r->query != NULL ? g_hash_table_lookup (r->query, name) : NULL;
}

/* ------------------------------------------------------------------------ */
/* The server                                                                */

static void
handle_info (SimRequest *r)
{
  LablinkSimJson w;

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "name", "LabLink Server");
  lablink_sim_json_member_string (&w, "version", "1.2.5");
  lablink_sim_json_member_string (&w, "hostname", "LabLink Server");
  lablink_sim_json_member_string (&w, "status", "running");
  lablink_sim_json_member_boolean (&w, "security_enabled", r->server->auth_username != NULL);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_health (SimRequest *r)
{
  LablinkSimJson w;

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "status", "healthy");
  lablink_sim_json_member_int (&w, "connected_devices", r->server->instruments->len);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

/* ------------------------------------------------------------------------ */
/* Dispatch                                                                  */

static void
dispatch (SimRequest *r)
{
  char **p = r->parts;

  if (lablink_sim_rest_route (r, "GET", 0) || lablink_sim_rest_route (r, "GET", 1, "api"))
    {
      handle_info (r);
      return;
    }
  if (lablink_sim_rest_route (r, "GET", 1, "health"))
    {
      handle_health (r);
      return;
    }
  if (r->n_parts == 0 || !g_str_equal (p[0], "api"))
    return;

  if (lablink_sim_rest_route_equipment (r) ||
      lablink_sim_rest_route_security (r) ||
      lablink_sim_rest_route_locks (r) ||
      lablink_sim_rest_route_acquisition (r))
    return;
  lablink_sim_rest_route_sim (r);
}

/**
 * lablink_sim_rest_handle:
 *
 * The #SoupServerCallback of every REST route.
 */
void
lablink_sim_rest_handle (SoupServer        *soup,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query,
                         gpointer           user_data)
{
  g_auto(GStrv) parts = NULL;
  SimRequest r = { 0 };
  guint n;

  parts = g_strsplit (path != NULL ? path : "/", "/", -1);
  n = g_strv_length (parts);
  /* drop the leading "" and a trailing "" (trailing slash) */
  if (n > 0 && parts[n - 1][0] == '\0')
    n--;

  r.server = user_data;
  r.msg = msg;
  r.method = soup_server_message_get_method (msg);
  r.parts = n > 0 ? parts + 1 : parts;
  r.n_parts = n > 0 ? n - 1 : 0;
  r.query = query;

  {
    /* terminate the view at n_parts (g_strsplit's vector stays intact) */
    char *saved = r.parts[r.n_parts];

    r.parts[r.n_parts] = NULL;
    dispatch (&r);
    r.parts[r.n_parts] = saved;
  }

  if (soup_server_message_get_status (msg) == 0)
    lablink_sim_rest_respond_detail (msg, r.path_matched ? SOUP_STATUS_METHOD_NOT_ALLOWED : SOUP_STATUS_NOT_FOUND,
                                     r.path_matched ? "Method Not Allowed" : "Not Found");
}
