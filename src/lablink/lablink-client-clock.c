/* lablink-client-clock.c — LablinkClient: the server's clock (its UTC offset)
 *
 * A LabLink server writes its timestamps as naive ISO-8601 in ITS local
 * time. The offset of that zone is found from one response that carries
 * both a naive timestamp and the HTTP `Date` header (UTC, RFC 1123): the
 * readings of the first instrument that has them (`GET /api/equipment/list`,
 * then `GET /api/equipment/{id}/readings`; an oscilloscope has none). The difference, rounded to the
 * nearest 15 minutes (every zone in use is a multiple of that; the two
 * clocks' disagreement and the second-resolution of `Date` vanish in the
 * rounding), is the server's UTC offset. Without a `Date` header our own
 * clock stands in for it. The two GETs go through a session of their own,
 * dropped afterwards, so that nothing of them (pooled connections, their
 * timers) stays on an idle client's main context.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "lablink-client-private.h"
#include "lablink-certificate-private.h"
#include "lablink-error.h"
#include "lablink-message-private.h"

#define QUARTER_HOUR_S 900

/* The offset (seconds east of UTC) from a naive timestamp and the
 * response's `Date` (µs since the epoch, or 0 for our clock). */
static gboolean
offset_from (const char *naive,
             gint64      date_usec,
             gint       *offset_s)
{
  LablinkNaiveZone previous = _lablink_naive_zone_push (TRUE, 0);
  gint64 as_utc = 0;
  gboolean ok = lablink_parse_timestamp (naive, strlen (naive), &as_utc);
  double quarters;

  _lablink_naive_zone_pop (previous);
  /* Only a naive timestamp says something about the zone. */
  if (!ok || strchr (naive + MIN (strlen (naive), 19), 'Z') != NULL ||
      strchr (naive + MIN (strlen (naive), 19), '+') != NULL ||
      strchr (naive + MIN (strlen (naive), 19), '-') != NULL)
    return FALSE;

  quarters = round ((double) (as_utc - date_usec) / G_USEC_PER_SEC / QUARTER_HOUR_S);
  if (fabs (quarters) > 18 * 4)   /* beyond ±18 h: not a zone, a broken clock */
    return FALSE;
  *offset_s = (gint) quarters * QUARTER_HOUR_S;
  return TRUE;
}

static void
set_offset (LablinkClient *self,
            gint           offset_s)
{
  self->server_zone_known = TRUE;
  self->server_zone_offset_s = offset_s;
}

typedef struct {
  SoupSession *session;   /* its own: nothing of it stays behind (timers, pooled connections) */
  GPtrArray   *ids;
  guint        next;
  SoupMessage *message;
} Check;

static void
check_free (gpointer data)
{
  Check *check = data;

  g_ptr_array_unref (check->ids);
  g_clear_object (&check->message);
  if (check->session != NULL)
    soup_session_abort (check->session);
  g_clear_object (&check->session);
  g_free (check);
}

static void ask_next (GTask *task);

/* The same trust as every other request of @self: a certificate the system
 * refused passes only if it is the pinned one (lablink-client-certificate.c).
 * The pin is copied: the message may outlive a change of it. */
static gboolean
accept_pinned_cb (SoupMessage          *message,
                  GTlsCertificate      *certificate,
                  GTlsCertificateFlags  errors,
                  gpointer              data)
{
  return _lablink_certificate_matches_pin (certificate, data);
}

/* A GET of its own (the response's headers are wanted), on a connection
 * closed afterwards: an idle pooled connection would keep a timer. */
static SoupMessage *
new_get (LablinkClient *self,
         const char    *path)
{
  g_autofree char *url = g_strconcat (self->server_url, path, NULL);
  SoupMessage *message = soup_message_new ("GET", url);
  SoupMessageHeaders *headers;

  if (message == NULL)
    return NULL;
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  if (self->pinned_certificate != NULL)
    g_signal_connect_data (message, "accept-certificate", G_CALLBACK (accept_pinned_cb),
                           g_strdup (self->pinned_certificate), (GClosureNotify) (void (*) (void)) g_free, 0);
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "Connection", "close");
  if (self->access_token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->access_token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
      memset (value, 0, strlen (value));
    }
  return message;
}

static void
readings_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LablinkClient *self = g_task_get_source_object (task);
  Check *check = g_task_get_task_data (task);
  SoupMessage *message = check->message;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *date_text;
  const char *naive = NULL;
  gint64 date_usec = g_get_real_time ();
  JsonNode *root;
  gint offset_s;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  date_text = soup_message_headers_get_one (soup_message_get_response_headers (message), "Date");
  if (date_text != NULL)
    {
      g_autoptr(GDateTime) date = soup_date_time_new_from_http_string (date_text);
      if (date != NULL)
        date_usec = g_date_time_to_unix (date) * G_USEC_PER_SEC;
    }

  if (soup_message_get_status (message) == SOUP_STATUS_OK &&
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *member = json_object_get_member (json_node_get_object (root), "timestamp");
      if (member != NULL && JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
        naive = json_node_get_string (member);
    }

  if (naive == NULL || !offset_from (naive, date_usec, &offset_s))
    {
      ask_next (g_steal_pointer (&task));   /* an instrument without readings */
      return;
    }

  g_debug ("Server clock: UTC%+d:%02d", offset_s / 3600, ABS (offset_s) % 3600 / 60);
  set_offset (self, offset_s);
  g_task_return_boolean (task, TRUE);
}

static void
ask_next (GTask *task)
{
  LablinkClient *self = g_task_get_source_object (task);
  Check *check = g_task_get_task_data (task);
  g_autofree char *segment = NULL;
  g_autofree char *path = NULL;

  if (check->next >= check->ids->len)
    {
      g_task_return_new_error (task, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                               "No instrument of the server has readings to read its clock from");
      g_object_unref (task);
      return;
    }

  segment = _lablink_client_escape_segment (g_ptr_array_index (check->ids, check->next++));
  path = g_strconcat ("/api/equipment/", segment, "/readings", NULL);
  g_clear_object (&check->message);
  check->message = new_get (self, path);
  if (check->message == NULL)
    {
      g_task_return_new_error (task, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT, "Invalid URL for %s", path);
      g_object_unref (task);
      return;
    }
  soup_session_send_and_read_async (check->session, check->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), readings_cb, task);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  /* `[{"id": …}, …]` */
  if (soup_message_get_status (check->message) == SOUP_STATUS_OK &&
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);
      guint i;

      for (i = 0; i < json_array_get_length (array) && check->ids->len < 8; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          const char *id;

          if (JSON_NODE_HOLDS_OBJECT (element) &&
              (id = json_object_get_string_member_with_default (json_node_get_object (element), "id", NULL)) != NULL)
            g_ptr_array_add (check->ids, g_strdup (id));
        }
    }
  ask_next (task);
}

/**
 * lablink_client_check_server_clock_async:
 * @self: a #LablinkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Finds the server's UTC offset (the zone of its naive timestamps) from
 * the readings of its first instrument and their HTTP `Date`, rounded to
 * the nearest 15 minutes. The stream manager does this on every
 * (re)connect; see lablink_client_get_server_utc_offset().
 */
void
lablink_client_check_server_clock_async (LablinkClient       *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;
  Check *check;

  g_return_if_fail (LABLINK_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_client_check_server_clock_async);
  check = g_new0 (Check, 1);
  check->ids = g_ptr_array_new_with_free_func (g_free);
  check->session = soup_session_new_with_options ("timeout", self->timeout, "idle-timeout", 1,
                                                  "tls-database", soup_session_get_tls_database (self->session),
                                                  NULL);
  check->message = new_get (self, "/api/equipment/list");
  g_task_set_task_data (task, check, check_free);
  if (check->message == NULL)
    {
      g_task_return_new_error (task, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT, "Invalid server URL");
      g_object_unref (task);
      return;
    }
  soup_session_send_and_read_async (check->session, check->message, G_PRIORITY_DEFAULT, cancellable, list_cb, task);
}

/**
 * lablink_client_check_server_clock_finish:
 * @self: a #LablinkClient
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the server's offset is now known
 */
gboolean
lablink_client_check_server_clock_finish (LablinkClient  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * lablink_client_get_server_utc_offset:
 * @self: a #LablinkClient
 * @offset_s: (out) (optional): seconds east of UTC of the server's clock
 *
 * Returns: %TRUE if the server's offset is known (else naive timestamps
 *   are read in the client's zone)
 */
gboolean
lablink_client_get_server_utc_offset (LablinkClient *self,
                                      gint          *offset_s)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), FALSE);

  if (offset_s != NULL)
    *offset_s = self->server_zone_known ? self->server_zone_offset_s : 0;
  return self->server_zone_known;
}

/* Naive timestamps parsed on this thread until _lablink_naive_zone_pop()
 * are read in @self's server's zone (if known). */
LablinkNaiveZone
_lablink_client_push_server_zone (LablinkClient *self)
{
  return _lablink_naive_zone_push (self->server_zone_known,
                                   (gint64) self->server_zone_offset_s * G_USEC_PER_SEC);
}
