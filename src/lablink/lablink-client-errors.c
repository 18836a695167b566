/* lablink-client-errors.c — why a REST request failed, said helpfully
 *
 * Network failures, HTTP error statuses (with the server's `detail`) and
 * answers of the wrong shape or size, each turned into a GError whose
 * message says what went wrong and what to do about it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "lablink-client-private.h"
#include "lablink-error.h"
#include "lablink-message.h"

#define MAX_DETAIL_CHARS 1000

static char *
tls_hint (GError *error)
{
  if (error->domain != G_TLS_ERROR)
    return g_strdup ("");

  switch (error->code)
    {
    case G_TLS_ERROR_BAD_CERTIFICATE:
      return g_strdup (": the server's certificate is not trusted. Install the certificate of "
                       "the authority that signed it on this computer, or trust (pin) the "
                       "fingerprint of a self-signed one (verification cannot be turned off)");
    case G_TLS_ERROR_NOT_TLS:
      return g_strdup (": the server does not speak TLS. Use http:// instead of https://");
    case G_TLS_ERROR_UNAVAILABLE:
      return g_strdup (": TLS support is not installed (glib-networking)");
    default:
      return g_strdup ("");
    }
}

/* What an https:// request that failed below HTTP most often means: the
 * server does not speak TLS at all. Depending on timing and on what the
 * plain server does with a ClientHello (wait for a request line, answer
 * "400 Bad Request", close), the same mistake arrives as a timeout, a TLS
 * error of any code or a closed connection, so each of them says it. */
static const char *
plain_server_hint (LablinkClient *self)
{
  return g_str_equal (self->scheme, "https") ? " (a server without TLS needs an http:// URL)" : "";
}

GError *
_lablink_client_network_error (LablinkClient  *self,
                               LablinkRequest *request,
                               GError         *error)
{
  if (request->timed_out ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                        "%s did not answer %s %s within %u s: is the server overloaded, "
                        "or the network down?%s",
                        self->server_url, request->method, request->path, self->timeout,
                        plain_server_hint (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  /* a certificate we refused: say which, with its fingerprint */
  if (request->peer_certificate != NULL)
    return _lablink_client_certificate_error (self, request);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (error->domain, error->code,
                        "Could not connect to %s: is the LabLink server running?",
                        self->server_url);

  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (error->domain, error->code,
                        "Could not find the host of %s (%s): check the server address",
                        self->server_url, error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    return g_error_new (error->domain, error->code,
                        "Could not reach %s (%s): check the address and the network",
                        self->server_url, error->message);

  if (error->domain == G_TLS_ERROR)
    {
      g_autofree char *hint = tls_hint (error);

      if (*hint == '\0' && error->code != G_TLS_ERROR_BAD_CERTIFICATE)
        {
          g_free (hint);
          hint = g_strdup (plain_server_hint (self));
        }
      return g_error_new (error->domain, error->code, "TLS error talking to %s (%s)%s",
                          self->server_url, error->message, hint);
    }

  if (error->domain == SOUP_SESSION_ERROR &&
      (error->code == SOUP_SESSION_ERROR_PARSING || error->code == SOUP_SESSION_ERROR_ENCODING))
    return g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                        "%s did not answer %s %s with valid HTTP (%s): is it a LabLink "
                        "server? (a TLS server needs an https:// URL)",
                        self->server_url, request->method, request->path, error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    return g_error_new (error->domain, error->code,
                        "The connection to %s closed during %s %s (%s): is the server "
                        "restarting? Try again%s",
                        self->server_url, request->method, request->path, error->message,
                        plain_server_hint (self));

  return g_error_new (error->domain, error->code, "%s %s on %s failed: %s%s",
                      request->method, request->path, self->server_url, error->message,
                      plain_server_hint (self));
}

static char *
detail_to_text (JsonNode *detail)
{
  if (JSON_NODE_HOLDS_VALUE (detail) && json_node_get_value_type (detail) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (detail));

  /* FastAPI validation errors: [{"loc": […], "msg": "…", …}, …] */
  if (JSON_NODE_HOLDS_ARRAY (detail))
    {
      JsonArray *array = json_node_get_array (detail);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *object;
          JsonNode *msg, *loc;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          object = json_node_get_object (element);
          msg = json_object_get_member (object, "msg");
          loc = json_object_get_member (object, "loc");
          if (msg == NULL || !JSON_NODE_HOLDS_VALUE (msg) ||
              json_node_get_value_type (msg) != G_TYPE_STRING)
            continue;

          if (text->len > 0)
            g_string_append (text, "; ");
          if (loc != NULL && JSON_NODE_HOLDS_ARRAY (loc))
            {
              JsonArray *parts = json_node_get_array (loc);
              gboolean first = TRUE;

              for (guint j = 0; j < json_array_get_length (parts); j++)
                {
                  JsonNode *part = json_array_get_element (parts, j);

                  if (!JSON_NODE_HOLDS_VALUE (part))
                    continue;
                  if (!first)
                    g_string_append_c (text, '.');
                  if (json_node_get_value_type (part) == G_TYPE_STRING)
                    g_string_append (text, json_node_get_string (part));
                  else
                    g_string_append_printf (text, "%" G_GINT64_FORMAT, json_node_get_int (part));
                  first = FALSE;
                }
              if (!first)
                g_string_append (text, ": ");
            }
          g_string_append (text, json_node_get_string (msg));
        }

      if (text->len > 0)
        return g_string_free (g_steal_pointer (&text), FALSE);
    }

  return NULL;
}

/* The text to show for an error answer: the JSON `detail` (or `message`),
 * else a short plain-text body, else NULL. */
static char *
error_body_text (LablinkRequest *request)
{
  const char *data = (const char *) request->body->data;
  gsize len = request->body->len;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  if (len == 0)
    return NULL;

  root = lablink_json_parse (data, len, NULL);
  if (root != NULL)
    {
      if (JSON_NODE_HOLDS_OBJECT (root))
        {
          JsonObject *object = json_node_get_object (root);
          JsonNode *detail = json_object_get_member (object, "detail");

          if (detail == NULL)
            detail = json_object_get_member (object, "message");
          if (detail == NULL)
            detail = json_object_get_member (object, "error");
          if (detail != NULL)
            text = detail_to_text (detail);
        }
    }
  else if (len <= 200 && g_utf8_validate_len (data, len, NULL))
    {
      text = g_strndup (data, len);
    }

  if (text == NULL)
    return NULL;

  g_strstrip (text);
  /* one line, printable, bounded */
  for (char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';
  if (text[0] == '\0')
    return NULL;
  if (g_utf8_validate (text, -1, NULL) && g_utf8_strlen (text, -1) > MAX_DETAIL_CHARS)
    {
      char *shorter = g_utf8_substring (text, 0, MAX_DETAIL_CHARS);

      g_free (text);
      text = g_strconcat (shorter, "…", NULL);
      g_free (shorter);
    }
  return g_steal_pointer (&text);
}

GError *
_lablink_client_http_error (LablinkClient  *self,
                            LablinkRequest *request,
                            guint           status)
{
  g_autofree char *text = error_body_text (request);
  const char *reason = soup_message_get_reason_phrase (request->message);
  const char *hint = "";
  int code = LABLINK_ERROR_HTTP;

  if (reason == NULL || reason[0] == '\0')
    reason = soup_status_get_phrase (status);
  if (reason == NULL || reason[0] == '\0')
    reason = "error";

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location = soup_message_headers_get_one (
        soup_message_get_response_headers (request->message), "Location");

      return g_error_new (LABLINK_ERROR, LABLINK_ERROR_HTTP,
                          "%s redirected %s %s (HTTP %u) to %s: use the server's real "
                          "address as the server URL",
                          self->server_url, request->method, request->path, status,
                          location != NULL ? location : "another address");
    }

  if ((request->flags & LABLINK_REQUEST_LOCKS) &&
      (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN ||
       status == SOUP_STATUS_CONFLICT || status == SOUP_STATUS_NOT_FOUND))
    {
      GError *lock_error = _lablink_client_lock_error (self, request, status, text);

      if (lock_error != NULL)
        return lock_error;
    }

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      code = LABLINK_ERROR_AUTH;
      if (request->kind != LABLINK_RESULT_LOGIN && request->kind != LABLINK_RESULT_REFRESH)
        hint = self->access_token != NULL
          ? ": the login may have expired; log in again"
          : ": this server needs a login; log in with a user name and password";
    }
  else if (status == SOUP_STATUS_NOT_FOUND)
    {
      code = LABLINK_ERROR_NOT_FOUND;
      if (text == NULL)
        hint = ": is this the URL of a LabLink server?";
    }
  else if (status >= 500 && text == NULL)
    {
      hint = ": the server failed; see its log (LabLink 1.2.5 fails this way when an "
             "instrument reading is NaN)";
    }

  return g_error_new (LABLINK_ERROR, code, "%s (HTTP %u from %s %s)%s",
                      text != NULL ? text : reason, status, request->method, request->path,
                      hint);
}

GError *
_lablink_client_shape_error (LablinkClient  *self,
                             LablinkRequest *request,
                             const char     *what)
{
  return g_error_new (LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                      "The answer to %s %s is not what a LabLink server sends: %s",
                      request->method, request->path, what);
}

GError *
_lablink_client_refused_error (LablinkRequest *request,
                               JsonObject     *object)
{
  const char *text = _lablink_client_json_get_string (object, "error");

  if (text == NULL)
    text = _lablink_client_json_get_string (object, "message");
  if (text == NULL)
    text = _lablink_client_json_get_string (object, "detail");

  return g_error_new (LABLINK_ERROR, LABLINK_ERROR_SERVER, "%s (%s %s)",
                      text != NULL ? text : "The server reported a failure",
                      request->method, request->path);
}

GError *
_lablink_client_too_large_error (LablinkClient  *self,
                                 LablinkRequest *request)
{
  return g_error_new (LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE,
                      "The answer to %s %s is larger than %" G_GUINT64_FORMAT " bytes; "
                      "refusing it",
                      request->method, request->path, self->max_response_size);
}
