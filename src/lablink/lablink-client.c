/* lablink-client.c — the REST side of a LabLink server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "lablink-client.h"
#include "lablink-error.h"
#include "lablink-message.h"

/**
 * LablinkClient:
 *
 * The REST side of one LabLink server: server and WebSocket URLs, login
 * state, and asynchronous requests for every REST endpoint the protocol
 * uses.
 *
 * A client owns one #SoupSession and must be used from the thread that
 * created it; every callback is dispatched in the thread-default main
 * context of the caller of the `*_async` function. Each `*_finish`
 * function returns a #GError whose message says what went wrong and what
 * to do about it:
 *
 * - network failures keep their #G_IO_ERROR, #G_RESOLVER_ERROR or
 *   #G_TLS_ERROR domain and code (e.g. %G_IO_ERROR_CONNECTION_REFUSED,
 *   %G_IO_ERROR_TIMED_OUT, %G_IO_ERROR_CANCELLED);
 * - HTTP 401/403 give %LABLINK_ERROR_AUTH, 404 %LABLINK_ERROR_NOT_FOUND and
 *   every other error status %LABLINK_ERROR_HTTP, with the server's `detail`
 *   text when it sent one;
 * - a body that is not JSON gives %LABLINK_ERROR_MALFORMED, a JSON answer of
 *   the wrong shape %LABLINK_ERROR_INVALID_FIELD, an answer with
 *   `"success": false` %LABLINK_ERROR_SERVER, and a body larger than
 *   #LablinkClient:max-response-size %LABLINK_ERROR_TOO_LARGE.
 *
 * Tokens and passwords are never logged.
 */
struct _LablinkClient
{
  GObject parent_instance;

  SoupSession *session;

  char *server_url;      /* normalised: scheme://host[:port][/prefix], no trailing slash */
  char *scheme;          /* "http" or "https" */
  char *host;
  int port;              /* -1 = the scheme's default */
  char *path;            /* "" or "/prefix" */

  char *ws_url_override;

  char *username;
  char *access_token;
  char *refresh_token;

  guint timeout;
  guint64 max_response_size;
};

G_DEFINE_FINAL_TYPE (LablinkClient, lablink_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_WS_URL,
  PROP_LOGGED_IN,
  PROP_USERNAME,
  PROP_TIMEOUT,
  PROP_MAX_RESPONSE_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define READ_CHUNK_SIZE (64 * 1024)
#define MAX_TIMEOUT_SECONDS (24 * 60 * 60)
#define MAX_DETAIL_CHARS 1000

/* ------------------------------------------------------------------------ */
/* Secrets                                                                  */

static void
secret_free (gpointer data)
{
  volatile char *p = data;

  if (p == NULL)
    return;
  while (*p != '\0')
    *p++ = '\0';
  g_free (data);
}

static void
secret_bytes_free (gpointer data)
{
  /* the JSON text of a login body: zero it before it is released */
  secret_free (data);
}

static void
clear_secret (char **secret)
{
  secret_free (g_steal_pointer (secret));
}

/* ------------------------------------------------------------------------ */
/* URLs                                                                     */

typedef struct {
  char *url;
  char *scheme;
  char *host;
  int port;
  char *path;
} ServerUrl;

static void
server_url_clear (ServerUrl *parts)
{
  g_clear_pointer (&parts->url, g_free);
  g_clear_pointer (&parts->scheme, g_free);
  g_clear_pointer (&parts->host, g_free);
  g_clear_pointer (&parts->path, g_free);
}

static gboolean
parse_server_url (const char  *url,
                  ServerUrl   *out,
                  GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *full = NULL;
  g_autofree char *scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *reason = NULL;
  const char *path;
  gsize path_len;

  memset (out, 0, sizeof *out);

  trimmed = g_strstrip (g_strdup (url != NULL ? url : ""));
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                           "The server URL is empty. Use http://HOST:PORT or https://HOST:PORT, "
                           "e.g. " LABLINK_DEFAULT_SERVER_URL);
      return FALSE;
    }

  /* A bare host:port means http. */
  if (strstr (trimmed, "://") == NULL)
    full = g_strconcat ("http://", trimmed, NULL);
  else
    full = g_strdup (trimmed);

  uri = g_uri_parse (full, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, &local_error);
  if (uri == NULL)
    reason = local_error->message;

  if (reason == NULL)
    {
      scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);

      if (g_str_equal (scheme, "ws") || g_str_equal (scheme, "wss"))
        reason = "this is a WebSocket URL; give the server's http:// or https:// URL "
                 "(the WebSocket URL is derived from it, or set separately)";
      else if (!g_str_equal (scheme, "http") && !g_str_equal (scheme, "https"))
        reason = "only http:// and https:// are supported";
      else if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
        reason = "it has no host name";
      else if (g_uri_get_userinfo (uri) != NULL)
        reason = "it must not contain a user name or password (log in instead)";
      else if (g_uri_get_query (uri) != NULL)
        reason = "it must not contain a query (“?…”)";
      else if (g_uri_get_fragment (uri) != NULL)
        reason = "it must not contain a fragment (“#…”)";
      else if (g_uri_get_port (uri) == 0)
        reason = "port 0 is not a valid port";
    }

  if (reason != NULL)
    {
      /* never echo a password */
      g_autofree char *shown = uri != NULL && g_uri_get_userinfo (uri) != NULL
        ? g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO) : g_strdup (trimmed);

      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid LabLink server URL: %s. Use http://HOST:PORT or "
                   "https://HOST:PORT, e.g. " LABLINK_DEFAULT_SERVER_URL,
                   shown, reason);
      return FALSE;
    }

  path = g_uri_get_path (uri);
  path_len = strlen (path);
  while (path_len > 0 && path[path_len - 1] == '/')
    path_len--;

  out->scheme = g_steal_pointer (&scheme);
  out->host = g_strdup (g_uri_get_host (uri));
  out->port = g_uri_get_port (uri);
  /* the default port is implied (and the same for ws:// and wss://) */
  if ((g_str_equal (out->scheme, "http") && out->port == 80) ||
      (g_str_equal (out->scheme, "https") && out->port == 443))
    out->port = -1;
  out->path = g_strndup (path, path_len);
  out->url = g_uri_join (G_URI_FLAGS_ENCODED, out->scheme, NULL, out->host, out->port,
                         out->path, NULL, NULL);
  return TRUE;
}

static gboolean
check_ws_url (const char  *url,
              GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *scheme = NULL;
  const char *reason = NULL;

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &local_error);
  if (uri == NULL)
    {
      reason = local_error->message;
    }
  else
    {
      scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
      if (!g_str_equal (scheme, "ws") && !g_str_equal (scheme, "wss"))
        reason = "only ws:// and wss:// are supported";
      else if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
        reason = "it has no host name";
      else if (g_uri_get_userinfo (uri) != NULL)
        reason = "it must not contain a user name or password (log in instead)";
      else if (g_uri_get_fragment (uri) != NULL)
        reason = "it must not contain a fragment (“#…”)";
    }

  if (reason != NULL)
    {
      /* never echo a password */
      g_autofree char *shown = uri != NULL && g_uri_get_userinfo (uri) != NULL
        ? g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO) : g_strdup (url);

      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid WebSocket URL: %s. Use ws://HOST:PORT/ws or "
                   "wss://HOST:PORT/ws, e.g. ws://127.0.0.1:8000/ws",
                   shown, reason);
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
lablink_client_set_server_url (LablinkClient *self,
                               const char    *url)
{
  ServerUrl parts;
  g_autoptr(GError) error = NULL;

  if (!parse_server_url (url != NULL ? url : LABLINK_DEFAULT_SERVER_URL, &parts, &error))
    {
      g_critical ("%s; using %s instead (create clients with lablink_client_new() to get "
                  "this as a GError)", error->message, LABLINK_DEFAULT_SERVER_URL);
      g_clear_error (&error);
      if (!parse_server_url (LABLINK_DEFAULT_SERVER_URL, &parts, &error))
        g_assert_not_reached ();
    }

  g_free (self->server_url);
  g_free (self->scheme);
  g_free (self->host);
  g_free (self->path);
  self->server_url = g_steal_pointer (&parts.url);
  self->scheme = g_steal_pointer (&parts.scheme);
  self->host = g_steal_pointer (&parts.host);
  self->port = parts.port;
  self->path = g_steal_pointer (&parts.path);
}

static void
lablink_client_dispose (GObject *object)
{
  LablinkClient *self = LABLINK_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (lablink_client_parent_class)->dispose (object);
}

static void
lablink_client_finalize (GObject *object)
{
  LablinkClient *self = LABLINK_CLIENT (object);

  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->scheme, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->ws_url_override, g_free);
  g_clear_pointer (&self->username, g_free);
  clear_secret (&self->access_token);
  clear_secret (&self->refresh_token);

  G_OBJECT_CLASS (lablink_client_parent_class)->finalize (object);
}

static void
lablink_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LablinkClient *self = LABLINK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_WS_URL:
      g_value_set_string (value, self->ws_url_override);
      break;
    case PROP_LOGGED_IN:
      g_value_set_boolean (value, lablink_client_get_logged_in (self));
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_MAX_RESPONSE_SIZE:
      g_value_set_uint64 (value, self->max_response_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LablinkClient *self = LABLINK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      lablink_client_set_server_url (self, g_value_get_string (value));
      break;
    case PROP_WS_URL:
      {
        g_autoptr(GError) error = NULL;

        if (!lablink_client_set_ws_url_override (self, g_value_get_string (value), &error))
          g_warning ("%s", error->message);
      }
      break;
    case PROP_TIMEOUT:
      lablink_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RESPONSE_SIZE:
      lablink_client_set_max_response_size (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_client_constructed (GObject *object)
{
  LablinkClient *self = LABLINK_CLIENT (object);

  G_OBJECT_CLASS (lablink_client_parent_class)->constructed (object);

  if (self->server_url == NULL)
    lablink_client_set_server_url (self, LABLINK_DEFAULT_SERVER_URL);
}

static void
lablink_client_class_init (LablinkClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lablink_client_constructed;
  object_class->dispose = lablink_client_dispose;
  object_class->finalize = lablink_client_finalize;
  object_class->get_property = lablink_client_get_property;
  object_class->set_property = lablink_client_set_property;

  /**
   * LablinkClient:server-url:
   *
   * The server's base URL, normalised (`http://HOST:PORT`, no trailing
   * slash; a path prefix is kept). Set once, at construction.
   */
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, LABLINK_DEFAULT_SERVER_URL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LablinkClient:ws-url:
   *
   * A WebSocket URL that overrides the one derived from
   * #LablinkClient:server-url, or %NULL.
   */
  properties[PROP_WS_URL] =
    g_param_spec_string ("ws-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LablinkClient:logged-in:
   *
   * Whether the client holds an access token.
   */
  properties[PROP_LOGGED_IN] =
    g_param_spec_boolean ("logged-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LablinkClient:username:
   *
   * The name of the logged-in user, or %NULL.
   */
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LablinkClient:timeout:
   *
   * The longest a REST request may take, in seconds, from connecting to the
   * end of the answer; 0 means no limit.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, MAX_TIMEOUT_SECONDS,
                       LABLINK_CLIENT_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LablinkClient:max-response-size:
   *
   * The largest response body accepted, in bytes; larger ones fail with
   * %LABLINK_ERROR_TOO_LARGE.
   */
  properties[PROP_MAX_RESPONSE_SIZE] =
    g_param_spec_uint64 ("max-response-size", NULL, NULL, 1, G_MAXUINT32,
                         LABLINK_CLIENT_DEFAULT_MAX_RESPONSE_SIZE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lablink_client_init (LablinkClient *self)
{
  self->port = -1;
  self->timeout = LABLINK_CLIENT_DEFAULT_TIMEOUT;
  self->max_response_size = LABLINK_CLIENT_DEFAULT_MAX_RESPONSE_SIZE;
  self->session = soup_session_new_with_options ("user-agent", "lablink-monitor/" PACKAGE_VERSION,
                                                 "timeout", self->timeout,
                                                 NULL);
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                */

/**
 * lablink_client_new:
 * @server_url: (nullable): the server's URL: `http://HOST:PORT`,
 *   `https://HOST:PORT` (optionally with a path prefix), or a bare
 *   `HOST:PORT` meaning http; %NULL for %LABLINK_DEFAULT_SERVER_URL
 * @error: return location for a #GError
 *
 * Creates a client for one LabLink server. Nothing is sent to the server.
 *
 * Returns: (transfer full) (nullable): a new client, or %NULL with
 *   %LABLINK_ERROR_INVALID_ARGUMENT when @server_url is not usable
 */
LablinkClient *
lablink_client_new (const char  *server_url,
                    GError     **error)
{
  ServerUrl parts;
  LablinkClient *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!parse_server_url (server_url != NULL ? server_url : LABLINK_DEFAULT_SERVER_URL,
                         &parts, error))
    return NULL;

  self = g_object_new (LABLINK_TYPE_CLIENT, "server-url", parts.url, NULL);
  server_url_clear (&parts);
  return self;
}

/**
 * lablink_client_get_server_url:
 * @self: a #LablinkClient
 *
 * Returns: the normalised server URL (no trailing slash)
 */
const char *
lablink_client_get_server_url (LablinkClient *self)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), NULL);
  return self->server_url;
}

/**
 * lablink_client_dup_ws_url:
 * @self: a #LablinkClient
 *
 * The URL to open the WebSocket on: the override when one is set, else
 * derived from the server URL (http → ws, https → wss, same host and
 * port, the server URL's path plus `/ws`). When an access token is set,
 * `token=<escaped token>` is appended as a query parameter.
 *
 * The result contains the access token: never log it.
 *
 * Returns: (transfer full): the WebSocket URL
 */
char *
lablink_client_dup_ws_url (LablinkClient *self)
{
  g_autofree char *base = NULL;
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (LABLINK_IS_CLIENT (self), NULL);

  if (self->ws_url_override != NULL)
    {
      base = g_strdup (self->ws_url_override);
    }
  else
    {
      g_autofree char *path = g_strconcat (self->path, "/ws", NULL);

      base = g_uri_join (G_URI_FLAGS_ENCODED,
                         g_str_equal (self->scheme, "https") ? "wss" : "ws",
                         NULL, self->host, self->port, path, NULL, NULL);
    }

  if (self->access_token == NULL)
    return g_steal_pointer (&base);

  escaped = g_uri_escape_string (self->access_token, NULL, FALSE);
  return g_strconcat (base, strchr (base, '?') != NULL ? "&" : "?", "token=", escaped, NULL);
}

/**
 * lablink_client_get_ws_url_override:
 * @self: a #LablinkClient
 *
 * Returns: (nullable): the WebSocket URL override, without token
 */
const char *
lablink_client_get_ws_url_override (LablinkClient *self)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), NULL);
  return self->ws_url_override;
}

/**
 * lablink_client_set_ws_url_override:
 * @self: a #LablinkClient
 * @ws_url: (nullable): a `ws://` or `wss://` URL, or %NULL (or "") to
 *   derive the WebSocket URL from the server URL again
 * @error: return location for a #GError
 *
 * Overrides the WebSocket URL. Takes effect at the next connection.
 *
 * Returns: %TRUE, or %FALSE with %LABLINK_ERROR_INVALID_ARGUMENT when
 *   @ws_url is not a WebSocket URL (the override is then unchanged)
 */
gboolean
lablink_client_set_ws_url_override (LablinkClient  *self,
                                    const char     *ws_url,
                                    GError        **error)
{
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (LABLINK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (ws_url != NULL)
    {
      trimmed = g_strstrip (g_strdup (ws_url));
      if (trimmed[0] == '\0')
        g_clear_pointer (&trimmed, g_free);
    }

  if (trimmed != NULL && !check_ws_url (trimmed, error))
    return FALSE;

  if (g_strcmp0 (trimmed, self->ws_url_override) == 0)
    return TRUE;

  g_free (self->ws_url_override);
  self->ws_url_override = g_steal_pointer (&trimmed);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WS_URL]);
  return TRUE;
}

/**
 * lablink_client_get_logged_in:
 * @self: a #LablinkClient
 *
 * Returns: whether the client holds an access token
 */
gboolean
lablink_client_get_logged_in (LablinkClient *self)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), FALSE);
  return self->access_token != NULL;
}

/**
 * lablink_client_get_username:
 * @self: a #LablinkClient
 *
 * Returns: (nullable): the name of the logged-in user
 */
const char *
lablink_client_get_username (LablinkClient *self)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), NULL);
  return self->username;
}

/**
 * lablink_client_get_access_token:
 * @self: a #LablinkClient
 *
 * The current access token. Never log or export it.
 *
 * Returns: (nullable): the access token
 */
const char *
lablink_client_get_access_token (LablinkClient *self)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), NULL);
  return self->access_token;
}

static void
set_tokens (LablinkClient *self,
            const char    *access_token,
            const char    *refresh_token,
            const char    *username,
            gboolean       set_refresh_and_username)
{
  gboolean was_logged_in = self->access_token != NULL;
  /* copies first: the arguments may be our own strings */
  char *new_access = g_strdup (access_token);
  char *new_refresh = g_strdup (refresh_token);

  g_object_freeze_notify (G_OBJECT (self));

  clear_secret (&self->access_token);
  self->access_token = new_access;

  if (set_refresh_and_username)
    {
      clear_secret (&self->refresh_token);
      self->refresh_token = new_refresh;
      new_refresh = NULL;

      if (g_strcmp0 (self->username, username) != 0)
        {
          char *new_username = g_strdup (username);

          g_free (self->username);
          self->username = new_username;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
        }
    }
  secret_free (new_refresh);

  if (was_logged_in != (self->access_token != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGGED_IN]);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * lablink_client_set_access_token:
 * @self: a #LablinkClient
 * @token: (nullable): an access token (e.g. one kept from an earlier
 *   login), or %NULL to log out
 *
 * Sets the access token sent as `Authorization: Bearer` on REST requests
 * and as `?token=` on the WebSocket.
 */
void
lablink_client_set_access_token (LablinkClient *self,
                                 const char    *token)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));

  if (token != NULL && token[0] == '\0')
    token = NULL;

  if (token == NULL)
    {
      lablink_client_logout (self);
      return;
    }

  set_tokens (self, token, NULL, NULL, FALSE);
}

/**
 * lablink_client_get_timeout:
 * @self: a #LablinkClient
 *
 * Returns: the request timeout in seconds (0 = none)
 */
guint
lablink_client_get_timeout (LablinkClient *self)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), 0);
  return self->timeout;
}

/**
 * lablink_client_set_timeout:
 * @self: a #LablinkClient
 * @seconds: the longest a request may take, in seconds; 0 for no limit
 *
 * Sets the request timeout; it applies to requests started afterwards.
 */
void
lablink_client_set_timeout (LablinkClient *self,
                            guint          seconds)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));

  seconds = MIN (seconds, MAX_TIMEOUT_SECONDS);
  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * lablink_client_get_max_response_size:
 * @self: a #LablinkClient
 *
 * Returns: the largest response body accepted, in bytes
 */
guint64
lablink_client_get_max_response_size (LablinkClient *self)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), 0);
  return self->max_response_size;
}

/**
 * lablink_client_set_max_response_size:
 * @self: a #LablinkClient
 * @max_size: the largest response body to accept, in bytes (at least 1,
 *   at most 4 GiB - 1); the default is 64 MiB
 *
 * Bounds the memory one answer may take.
 */
void
lablink_client_set_max_response_size (LablinkClient *self,
                                      guint64        max_size)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));

  max_size = CLAMP (max_size, 1, G_MAXUINT32);
  if (self->max_response_size == max_size)
    return;

  self->max_response_size = max_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RESPONSE_SIZE]);
}

/* ------------------------------------------------------------------------ */
/* Requests                                                                 */

typedef enum {
  RESULT_JSON,            /* any JSON value */
  RESULT_OBJECT,          /* a JSON object */
  RESULT_ARRAY_OR_OBJECT, /* lists */
  RESULT_EQUIPMENT_LIST,  /* → GPtrArray of LablinkEquipment */
  RESULT_COMMAND,         /* object whose "success" is not false */
  RESULT_SUCCESS,         /* object with "success": true → boolean */
  RESULT_ACQUISITION_ID,  /* → char* */
  RESULT_LOGIN,           /* tokens → boolean */
  RESULT_REFRESH,         /* tokens → boolean */
} ResultKind;

typedef enum {
  REQUEST_DEFAULT = 0,
  REQUEST_NO_AUTH = 1 << 0,   /* do not send the access token */
  REQUEST_SENSITIVE = 1 << 1, /* the body holds a secret: zero it when done */
} RequestFlags;

typedef struct {
  SoupMessage *message;
  char *method;
  char *path;
  char *username;          /* RESULT_LOGIN */
  ResultKind kind;

  GCancellable *cancellable;  /* ours: cancelled on timeout or by the caller's */
  GSource *cancel_source;     /* watches the caller's cancellable */
  GSource *timeout_source;
  gboolean timed_out;

  GInputStream *stream;
  GByteArray *body;
} Request;

static void
request_stop_watching (Request *request)
{
  if (request->timeout_source != NULL)
    {
      g_source_destroy (request->timeout_source);
      g_clear_pointer (&request->timeout_source, g_source_unref);
    }
  if (request->cancel_source != NULL)
    {
      g_source_destroy (request->cancel_source);
      g_clear_pointer (&request->cancel_source, g_source_unref);
    }
}

/* Drops the body stream of a request that failed: cancelling the message
 * first makes libsoup close the connection instead of reading (blocking)
 * whatever the server still sends. */
static void
request_abort_stream (Request *request)
{
  if (request->stream == NULL)
    return;
  g_cancellable_cancel (request->cancellable);
  g_clear_object (&request->stream);
}

static void
request_free (Request *request)
{
  request_stop_watching (request);
  request_abort_stream (request);
  g_clear_object (&request->message);
  g_clear_pointer (&request->method, g_free);
  g_clear_pointer (&request->path, g_free);
  g_clear_pointer (&request->username, g_free);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->stream);
  if (request->body != NULL)
    {
      /* error bodies of a login can echo what was sent: zero everything */
      memset (request->body->data, 0, request->body->len);
      g_clear_pointer (&request->body, g_byte_array_unref);
    }
  g_free (request);
}

static gboolean
request_timeout_cb (gpointer user_data)
{
  Request *request = user_data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);
  g_clear_pointer (&request->timeout_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static gboolean
request_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  Request *request = user_data;

  g_cancellable_cancel (request->cancellable);
  g_clear_pointer (&request->cancel_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
task_return_error (GTask  *task,
                   GError *error)
{
  Request *request = g_task_get_task_data (task);

  request_stop_watching (request);
  request_abort_stream (request);
  g_task_return_error (task, error);
}

static char *
tls_hint (GError *error)
{
  if (error->domain != G_TLS_ERROR)
    return g_strdup ("");

  switch (error->code)
    {
    case G_TLS_ERROR_BAD_CERTIFICATE:
      return g_strdup (": the server's certificate is not trusted. Install the certificate of "
                       "the authority that signed it on this computer (verification cannot "
                       "be turned off)");
    case G_TLS_ERROR_NOT_TLS:
      return g_strdup (": the server does not speak TLS. Use http:// instead of https://");
    case G_TLS_ERROR_UNAVAILABLE:
      return g_strdup (": TLS support is not installed (glib-networking)");
    default:
      return g_strdup ("");
    }
}

static GError *
network_error (LablinkClient *self,
               Request       *request,
               GError        *error)
{
  if (request->timed_out ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                        "%s did not answer %s %s within %u s: is the server overloaded, "
                        "or the network down?%s",
                        self->server_url, request->method, request->path, self->timeout,
                        g_str_equal (self->scheme, "https")
                          ? " (a server without TLS needs an http:// URL)" : "");

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

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
                        "restarting? Try again",
                        self->server_url, request->method, request->path, error->message);

  return g_error_new (error->domain, error->code, "%s %s on %s failed: %s",
                      request->method, request->path, self->server_url, error->message);
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
error_body_text (Request *request)
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

static GError *
http_error (LablinkClient *self,
            Request       *request,
            guint          status)
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

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      code = LABLINK_ERROR_AUTH;
      if (request->kind != RESULT_LOGIN && request->kind != RESULT_REFRESH)
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

static GError *
shape_error (LablinkClient *self,
             Request       *request,
             const char    *what)
{
  return g_error_new (LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                      "The answer to %s %s is not what a LabLink server sends: %s",
                      request->method, request->path, what);
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The `success` member: 1 true, 0 false, -1 absent or not a boolean. */
static int
get_success (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "success");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return -1;
  return json_node_get_boolean (node) ? 1 : 0;
}

static GError *
refused_error (Request    *request,
               JsonObject *object)
{
  const char *text = get_string (object, "error");

  if (text == NULL)
    text = get_string (object, "message");
  if (text == NULL)
    text = get_string (object, "detail");

  return g_error_new (LABLINK_ERROR, LABLINK_ERROR_SERVER, "%s (%s %s)",
                      text != NULL ? text : "The server reported a failure",
                      request->method, request->path);
}

static void
request_complete (GTask *task)
{
  LablinkClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  guint status = soup_message_get_status (request->message);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object = NULL;

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      task_return_error (task, http_error (self, request, status));
      return;
    }

  if (request->body->len == 0)
    {
      root = json_node_new (JSON_NODE_NULL);
    }
  else
    {
      root = lablink_json_parse ((const char *) request->body->data, request->body->len, &error);
      if (root == NULL)
        {
          task_return_error (task,
                             g_error_new (LABLINK_ERROR, LABLINK_ERROR_MALFORMED,
                                          "The answer to %s %s is not valid JSON (%s): is %s "
                                          "a LabLink server?",
                                          request->method, request->path, error->message,
                                          self->server_url));
          return;
        }
    }

  if (request->kind != RESULT_JSON && request->kind != RESULT_ARRAY_OR_OBJECT &&
      request->kind != RESULT_EQUIPMENT_LIST)
    {
      if (!JSON_NODE_HOLDS_OBJECT (root))
        {
          task_return_error (task, shape_error (self, request, "it is not a JSON object"));
          return;
        }
      object = json_node_get_object (root);
    }

  request_stop_watching (request);

  switch (request->kind)
    {
    case RESULT_JSON:
    case RESULT_OBJECT:
      g_task_return_pointer (task, g_steal_pointer (&root), (GDestroyNotify) json_node_unref);
      return;

    case RESULT_ARRAY_OR_OBJECT:
      if (!JSON_NODE_HOLDS_ARRAY (root) && !JSON_NODE_HOLDS_OBJECT (root))
        {
          task_return_error (task, shape_error (self, request,
                                                "it is neither a JSON array nor an object"));
          return;
        }
      g_task_return_pointer (task, g_steal_pointer (&root), (GDestroyNotify) json_node_unref);
      return;

    case RESULT_EQUIPMENT_LIST:
      {
        g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
        JsonArray *array;

        if (!JSON_NODE_HOLDS_ARRAY (root))
          {
            task_return_error (task, shape_error (self, request, "it is not a JSON array"));
            return;
          }

        array = json_node_get_array (root);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *element = json_array_get_element (array, i);
            LablinkEquipment *equipment;

            if (!JSON_NODE_HOLDS_OBJECT (element))
              {
                g_autofree char *what = g_strdup_printf ("entry %u is not a JSON object", i);
                task_return_error (task, shape_error (self, request, what));
                return;
              }

            equipment = lablink_equipment_new_from_json (json_node_get_object (element), &error);
            if (equipment == NULL)
              {
                g_autofree char *what = g_strdup_printf ("entry %u: %s", i, error->message);
                task_return_error (task, shape_error (self, request, what));
                return;
              }
            g_ptr_array_add (list, equipment);
          }

        g_task_return_pointer (task, g_steal_pointer (&list), (GDestroyNotify) g_ptr_array_unref);
      }
      return;

    case RESULT_COMMAND:
      if (get_success (object) == 0)
        {
          task_return_error (task, refused_error (request, object));
          return;
        }
      g_task_return_pointer (task, g_steal_pointer (&root), (GDestroyNotify) json_node_unref);
      return;

    case RESULT_SUCCESS:
      switch (get_success (object))
        {
        case 1:
          g_task_return_boolean (task, TRUE);
          return;
        case 0:
          task_return_error (task, refused_error (request, object));
          return;
        default:
          task_return_error (task, shape_error (self, request, "it has no boolean “success”"));
          return;
        }

    case RESULT_ACQUISITION_ID:
      {
        const char *id;

        if (get_success (object) == 0)
          {
            task_return_error (task, refused_error (request, object));
            return;
          }
        id = get_string (object, "acquisition_id");
        if (id == NULL || id[0] == '\0')
          {
            task_return_error (task, shape_error (self, request,
                                                  "it has no “acquisition_id” string"));
            return;
          }
        g_task_return_pointer (task, g_strdup (id), g_free);
      }
      return;

    case RESULT_LOGIN:
    case RESULT_REFRESH:
      {
        const char *access_token = get_string (object, "access_token");
        const char *refresh_token = get_string (object, "refresh_token");
        const char *username = request->username;
        JsonNode *user = json_object_get_member (object, "user");

        if (access_token == NULL || access_token[0] == '\0')
          {
            task_return_error (task, shape_error (self, request,
                                                  "it has no “access_token” string"));
            return;
          }

        if (user != NULL && JSON_NODE_HOLDS_OBJECT (user) &&
            get_string (json_node_get_object (user), "username") != NULL)
          username = get_string (json_node_get_object (user), "username");

        if (request->kind == RESULT_LOGIN)
          {
            set_tokens (self, access_token, refresh_token, username, TRUE);
          }
        else
          {
            /* keep the old refresh token if the server did not rotate it */
            set_tokens (self, access_token,
                        refresh_token != NULL ? refresh_token : self->refresh_token,
                        username != NULL ? username : self->username, TRUE);
          }

        g_task_return_boolean (task, TRUE);
      }
      return;

    default:
      g_assert_not_reached ();
    }
}

static void request_read_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

static void
request_closed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);

  /* the whole body was read: a failed close changes nothing for us */
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  g_clear_object (&request->stream);
  request_complete (task);
}

static void
request_read_next (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   request->cancellable, request_read_cb, task);
}

static GError *
too_large_error (LablinkClient *self,
                 Request       *request)
{
  return g_error_new (LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE,
                      "The answer to %s %s is larger than %" G_GUINT64_FORMAT " bytes; "
                      "refusing it",
                      request->method, request->path, self->max_response_size);
}

static void
request_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LablinkClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      task_return_error (task, network_error (self, request, error));
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      /* Closing hands the connection back to the session for reuse. */
      g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL,
                                  request_closed_cb, g_steal_pointer (&task));
      return;
    }

  if ((guint64) request->body->len + size > self->max_response_size)
    {
      task_return_error (task, too_large_error (self, request));
      return;
    }

  g_byte_array_append (request->body, g_bytes_get_data (bytes, NULL), size);
  request_read_next (g_steal_pointer (&task));
}

static void
request_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LablinkClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset length;

  request->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (request->stream == NULL)
    {
      task_return_error (task, network_error (self, request, error));
      return;
    }

  length = soup_message_headers_get_content_length (
    soup_message_get_response_headers (request->message));
  if (length > 0 && (guint64) length > self->max_response_size)
    {
      task_return_error (task, too_large_error (self, request));
      return;
    }

  request->body = g_byte_array_sized_new (length > 0 ? MIN ((gsize) length, 1024 * 1024) : 4096);
  request_read_next (g_steal_pointer (&task));
}

static void
start_request (LablinkClient       *self,
               const char          *method,
               const char          *path,
               JsonNode            *body,
               RequestFlags         flags,
               ResultKind           kind,
               const char          *username,
               GCancellable        *cancellable,
               gpointer             source_tag,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  Request *request;
  SoupMessageHeaders *headers;
  GMainContext *context = g_main_context_get_thread_default ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  request = g_new0 (Request, 1);
  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->username = g_strdup (username);
  request->kind = kind;
  request->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  url = g_strconcat (self->server_url, path, NULL);
  request->message = soup_message_new (method, url);
  if (request->message == NULL)
    {
      task_return_error (task, g_error_new (LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                                            "Cannot make a request for %s %s: invalid URL",
                                            method, path));
      return;
    }

  /* Never follow a redirect: it could carry the token to another host. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->access_token != NULL && !(flags & REQUEST_NO_AUTH))
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->access_token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
      memset (value, 0, strlen (value));
    }

  if (body != NULL)
    {
      gsize length = 0;
      char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = NULL;

      length = strlen (text);
      if (flags & REQUEST_SENSITIVE)
        bytes = g_bytes_new_with_free_func (text, length, secret_bytes_free, text);
      else
        bytes = g_bytes_new_take (text, length);
      soup_message_set_request_body_from_bytes (request->message, "application/json", bytes);
    }

  if (self->timeout > 0)
    {
      request->timeout_source = g_timeout_source_new_seconds (self->timeout);
      g_source_set_callback (request->timeout_source, request_timeout_cb, request, NULL);
      g_source_set_static_name (request->timeout_source, "[lablink] request timeout");
      g_source_attach (request->timeout_source, context);
    }

  if (cancellable != NULL)
    {
      request->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (request->cancel_source, G_SOURCE_FUNC (request_cancelled_cb),
                             request, NULL);
      g_source_set_static_name (request->cancel_source, "[lablink] request cancelled");
      g_source_attach (request->cancel_source, context);
    }

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           request->cancellable, request_sent_cb, g_steal_pointer (&task));
}

static void
return_invalid_argument (LablinkClient       *self,
                         gpointer             source_tag,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data,
                         const char          *message)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_return_new_error (task, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT, "%s", message);
}

static gboolean
check_id (LablinkClient       *self,
          const char          *id,
          const char          *what,
          gpointer             source_tag,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autofree char *message = NULL;

  if (id[0] != '\0')
    return TRUE;

  message = g_strdup_printf ("The %s is empty", what);
  return_invalid_argument (self, source_tag, callback, user_data, message);
  return FALSE;
}

static gpointer
finish_pointer (LablinkClient  *self,
                GAsyncResult   *result,
                gpointer        source_tag,
                GError        **error)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
finish_boolean (LablinkClient  *self,
                GAsyncResult   *result,
                gpointer        source_tag,
                GError        **error)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static char *
escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Public requests                                                          */

/**
 * lablink_client_request_async:
 * @self: a #LablinkClient
 * @method: the HTTP method, e.g. "GET"
 * @path: the path relative to the server URL, starting with `/` (e.g.
 *   `/api`), with an already escaped query if any
 * @body: (nullable): a JSON body to send
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * Sends any REST request; the answer is parsed as JSON (bare NaN and
 * Infinity tolerated). An empty successful answer gives a JSON null.
 */
void
lablink_client_request_async (LablinkClient       *self,
                              const char          *method,
                              const char          *path,
                              JsonNode            *body,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (path[0] != '/')
    {
      return_invalid_argument (self, lablink_client_request_async, callback, user_data,
                               "A request path must start with “/”");
      return;
    }

  start_request (self, method, path, body, REQUEST_DEFAULT, RESULT_JSON, NULL, cancellable,
                 lablink_client_request_async, callback, user_data);
}

/**
 * lablink_client_request_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the parsed answer, or %NULL on error
 */
JsonNode *
lablink_client_request_finish (LablinkClient  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  return finish_pointer (self, result, lablink_client_request_async, error);
}

/**
 * lablink_client_get_info_async:
 * @self: a #LablinkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api`: the server's name, version, hostname, status and whether
 * security is enabled.
 */
void
lablink_client_get_info_async (LablinkClient       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));

  start_request (self, "GET", "/api", NULL, REQUEST_DEFAULT, RESULT_OBJECT, NULL, cancellable,
                 lablink_client_get_info_async, callback, user_data);
}

/**
 * lablink_client_get_info_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the answer, a JSON object
 */
JsonNode *
lablink_client_get_info_finish (LablinkClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  return finish_pointer (self, result, lablink_client_get_info_async, error);
}

/**
 * lablink_client_get_health_async:
 * @self: a #LablinkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /health`: `{"status":"healthy","connected_devices":N}`.
 */
void
lablink_client_get_health_async (LablinkClient       *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));

  start_request (self, "GET", "/health", NULL, REQUEST_DEFAULT, RESULT_OBJECT, NULL, cancellable,
                 lablink_client_get_health_async, callback, user_data);
}

/**
 * lablink_client_get_health_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the answer, a JSON object
 */
JsonNode *
lablink_client_get_health_finish (LablinkClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return finish_pointer (self, result, lablink_client_get_health_async, error);
}

/**
 * lablink_client_list_equipment_async:
 * @self: a #LablinkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api/equipment/list`.
 */
void
lablink_client_list_equipment_async (LablinkClient       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));

  start_request (self, "GET", "/api/equipment/list", NULL, REQUEST_DEFAULT,
                 RESULT_EQUIPMENT_LIST, NULL, cancellable,
                 lablink_client_list_equipment_async, callback, user_data);
}

/**
 * lablink_client_list_equipment_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * An entry that is not a valid equipment description fails the whole list
 * with %LABLINK_ERROR_INVALID_FIELD.
 *
 * Returns: (transfer container) (element-type LablinkEquipment) (nullable):
 *   the equipment, in the server's order
 */
GPtrArray *
lablink_client_list_equipment_finish (LablinkClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return finish_pointer (self, result, lablink_client_list_equipment_async, error);
}

/**
 * lablink_client_get_equipment_status_async:
 * @self: a #LablinkClient
 * @equipment_id: an equipment id
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api/equipment/{id}/status` (with `capabilities`). An unknown id
 * fails with %LABLINK_ERROR_NOT_FOUND.
 */
void
lablink_client_get_equipment_status_async (LablinkClient       *self,
                                           const char          *equipment_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (equipment_id != NULL);

  if (!check_id (self, equipment_id, "equipment id",
                 lablink_client_get_equipment_status_async, callback, user_data))
    return;

  escaped = escape_segment (equipment_id);
  path = g_strdup_printf ("/api/equipment/%s/status", escaped);
  start_request (self, "GET", path, NULL, REQUEST_DEFAULT, RESULT_OBJECT, NULL, cancellable,
                 lablink_client_get_equipment_status_async, callback, user_data);
}

/**
 * lablink_client_get_equipment_status_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the status, a JSON object
 */
JsonNode *
lablink_client_get_equipment_status_finish (LablinkClient  *self,
                                            GAsyncResult   *result,
                                            GError        **error)
{
  return finish_pointer (self, result, lablink_client_get_equipment_status_async, error);
}

/**
 * lablink_client_send_command_async:
 * @self: a #LablinkClient
 * @equipment_id: an equipment id
 * @action: the instrument action, e.g. `set_voltage`
 * @parameters: (nullable): the action's parameters, e.g.
 *   `{"voltage": 5.0, "channel": 1}`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/equipment/{id}/command` with a unique `command_id`. An
 * answer with `"success": false` fails with %LABLINK_ERROR_SERVER and the
 * server's `error` text.
 */
void
lablink_client_send_command_async (LablinkClient       *self,
                                   const char          *equipment_id,
                                   const char          *action,
                                   JsonObject          *parameters,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) params = NULL;
  g_autofree char *command_id = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (equipment_id != NULL);
  g_return_if_fail (action != NULL);

  if (!check_id (self, equipment_id, "equipment id",
                 lablink_client_send_command_async, callback, user_data) ||
      !check_id (self, action, "command action",
                 lablink_client_send_command_async, callback, user_data))
    return;

  params = json_node_new (JSON_NODE_OBJECT);
  if (parameters != NULL)
    json_node_set_object (params, parameters);
  else
    json_node_take_object (params, json_object_new ());

  command_id = g_uuid_string_random ();

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "command_id");
  json_builder_add_string_value (builder, command_id);
  json_builder_set_member_name (builder, "equipment_id");
  json_builder_add_string_value (builder, equipment_id);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, action);
  json_builder_set_member_name (builder, "parameters");
  json_builder_add_value (builder, g_steal_pointer (&params));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  escaped = escape_segment (equipment_id);
  path = g_strdup_printf ("/api/equipment/%s/command", escaped);
  start_request (self, "POST", path, body, REQUEST_DEFAULT, RESULT_COMMAND, NULL, cancellable,
                 lablink_client_send_command_async, callback, user_data);
}

/**
 * lablink_client_send_command_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the answer (`command_id`, `success`,
 *   `data`, `error`, `timestamp`)
 */
JsonNode *
lablink_client_send_command_finish (LablinkClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return finish_pointer (self, result, lablink_client_send_command_async, error);
}

/**
 * lablink_client_get_snapshot_async:
 * @self: a #LablinkClient
 * @equipment_id: an equipment id
 * @data_type: `readings`, `waveform` or `measurements`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api/data/{id}/snapshot?data_type=…`: one sample of what a stream
 * would send (the polling fallback).
 */
void
lablink_client_get_snapshot_async (LablinkClient       *self,
                                   const char          *equipment_id,
                                   const char          *data_type,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *escaped_type = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (equipment_id != NULL);
  g_return_if_fail (data_type != NULL);

  if (!check_id (self, equipment_id, "equipment id",
                 lablink_client_get_snapshot_async, callback, user_data) ||
      !check_id (self, data_type, "data type",
                 lablink_client_get_snapshot_async, callback, user_data))
    return;

  escaped = escape_segment (equipment_id);
  escaped_type = g_uri_escape_string (data_type, NULL, FALSE);
  path = g_strdup_printf ("/api/data/%s/snapshot?data_type=%s", escaped, escaped_type);
  start_request (self, "GET", path, NULL, REQUEST_DEFAULT, RESULT_OBJECT, NULL, cancellable,
                 lablink_client_get_snapshot_async, callback, user_data);
}

/**
 * lablink_client_get_snapshot_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the snapshot, a JSON object
 */
JsonNode *
lablink_client_get_snapshot_finish (LablinkClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return finish_pointer (self, result, lablink_client_get_snapshot_async, error);
}

/**
 * lablink_client_capture_waveform_async:
 * @self: a #LablinkClient
 * @equipment_id: an oscilloscope's id
 * @channel: the channel, from 1
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/waveform/capture {"equipment_id","config":{"channel":N}}`:
 * the waveform metadata plus `time_data` and `voltage_data` arrays.
 */
void
lablink_client_capture_waveform_async (LablinkClient       *self,
                                       const char          *equipment_id,
                                       guint                channel,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (equipment_id != NULL);

  if (!check_id (self, equipment_id, "equipment id",
                 lablink_client_capture_waveform_async, callback, user_data))
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "equipment_id");
  json_builder_add_string_value (builder, equipment_id);
  json_builder_set_member_name (builder, "config");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "channel");
  json_builder_add_int_value (builder, channel);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  start_request (self, "POST", "/api/waveform/capture", body, REQUEST_DEFAULT, RESULT_OBJECT,
                 NULL, cancellable, lablink_client_capture_waveform_async, callback, user_data);
}

/**
 * lablink_client_capture_waveform_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the capture, a JSON object
 */
JsonNode *
lablink_client_capture_waveform_finish (LablinkClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return finish_pointer (self, result, lablink_client_capture_waveform_async, error);
}

/**
 * lablink_client_create_acquisition_async:
 * @self: a #LablinkClient
 * @config: the create body: `equipment_id`, `name`, `mode`, `sample_rate`,
 *   `channels`, optionally `num_samples`, `duration_seconds`, `buffer_size`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/acquisition/session/create`.
 */
void
lablink_client_create_acquisition_async (LablinkClient       *self,
                                         JsonObject          *config,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (config != NULL);

  body = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (body, config);
  start_request (self, "POST", "/api/acquisition/session/create", body, REQUEST_DEFAULT,
                 RESULT_ACQUISITION_ID, NULL, cancellable,
                 lablink_client_create_acquisition_async, callback, user_data);
}

/**
 * lablink_client_create_acquisition_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the new acquisition's id
 */
char *
lablink_client_create_acquisition_finish (LablinkClient  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return finish_pointer (self, result, lablink_client_create_acquisition_async, error);
}

/**
 * lablink_client_control_acquisition_async:
 * @self: a #LablinkClient
 * @acquisition_id: an acquisition id
 * @action: `start`, `stop`, `pause` or `resume`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/acquisition/session/{id}/{action}`; the answer's `success`
 * must be true.
 */
void
lablink_client_control_acquisition_async (LablinkClient       *self,
                                          const char          *acquisition_id,
                                          const char          *action,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  static const char * const actions[] = { "start", "stop", "pause", "resume", NULL };
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (acquisition_id != NULL);
  g_return_if_fail (action != NULL);

  if (!check_id (self, acquisition_id, "acquisition id",
                 lablink_client_control_acquisition_async, callback, user_data))
    return;

  if (!g_strv_contains (actions, action))
    {
      g_autofree char *message =
        g_strdup_printf ("“%s” is not an acquisition action: use start, stop, pause or resume",
                         action);
      return_invalid_argument (self, lablink_client_control_acquisition_async, callback,
                               user_data, message);
      return;
    }

  escaped = escape_segment (acquisition_id);
  path = g_strdup_printf ("/api/acquisition/session/%s/%s", escaped, action);
  start_request (self, "POST", path, NULL, REQUEST_DEFAULT, RESULT_SUCCESS, NULL, cancellable,
                 lablink_client_control_acquisition_async, callback, user_data);
}

/**
 * lablink_client_control_acquisition_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server reported success
 */
gboolean
lablink_client_control_acquisition_finish (LablinkClient  *self,
                                           GAsyncResult   *result,
                                           GError        **error)
{
  return finish_boolean (self, result, lablink_client_control_acquisition_async, error);
}

/**
 * lablink_client_get_acquisition_status_async:
 * @self: a #LablinkClient
 * @acquisition_id: an acquisition id
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api/acquisition/session/{id}/status`.
 */
void
lablink_client_get_acquisition_status_async (LablinkClient       *self,
                                             const char          *acquisition_id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (acquisition_id != NULL);

  if (!check_id (self, acquisition_id, "acquisition id",
                 lablink_client_get_acquisition_status_async, callback, user_data))
    return;

  escaped = escape_segment (acquisition_id);
  path = g_strdup_printf ("/api/acquisition/session/%s/status", escaped);
  start_request (self, "GET", path, NULL, REQUEST_DEFAULT, RESULT_OBJECT, NULL, cancellable,
                 lablink_client_get_acquisition_status_async, callback, user_data);
}

/**
 * lablink_client_get_acquisition_status_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the status, a JSON object
 */
JsonNode *
lablink_client_get_acquisition_status_finish (LablinkClient  *self,
                                              GAsyncResult   *result,
                                              GError        **error)
{
  return finish_pointer (self, result, lablink_client_get_acquisition_status_async, error);
}

/**
 * lablink_client_get_acquisition_data_async:
 * @self: a #LablinkClient
 * @acquisition_id: an acquisition id
 * @num_samples: how many of the latest samples to fetch; 0 for the
 *   server's default
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api/acquisition/session/{id}/data?num_samples=N`.
 */
void
lablink_client_get_acquisition_data_async (LablinkClient       *self,
                                           const char          *acquisition_id,
                                           guint                num_samples,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (acquisition_id != NULL);

  if (!check_id (self, acquisition_id, "acquisition id",
                 lablink_client_get_acquisition_data_async, callback, user_data))
    return;

  escaped = escape_segment (acquisition_id);
  if (num_samples > 0)
    path = g_strdup_printf ("/api/acquisition/session/%s/data?num_samples=%u", escaped, num_samples);
  else
    path = g_strdup_printf ("/api/acquisition/session/%s/data", escaped);
  start_request (self, "GET", path, NULL, REQUEST_DEFAULT, RESULT_OBJECT, NULL, cancellable,
                 lablink_client_get_acquisition_data_async, callback, user_data);
}

/**
 * lablink_client_get_acquisition_data_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): `{"acquisition_id","channels",
 *   "data":{"timestamps","values"},"count"}`
 */
JsonNode *
lablink_client_get_acquisition_data_finish (LablinkClient  *self,
                                            GAsyncResult   *result,
                                            GError        **error)
{
  return finish_pointer (self, result, lablink_client_get_acquisition_data_async, error);
}

/**
 * lablink_client_list_acquisitions_async:
 * @self: a #LablinkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `GET /api/acquisition/sessions`.
 */
void
lablink_client_list_acquisitions_async (LablinkClient       *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));

  start_request (self, "GET", "/api/acquisition/sessions", NULL, REQUEST_DEFAULT,
                 RESULT_ARRAY_OR_OBJECT, NULL, cancellable,
                 lablink_client_list_acquisitions_async, callback, user_data);
}

/**
 * lablink_client_list_acquisitions_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the answer (1.2.5:
 *   `{"sessions":[…],"count":N}`)
 */
JsonNode *
lablink_client_list_acquisitions_finish (LablinkClient  *self,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  return finish_pointer (self, result, lablink_client_list_acquisitions_async, error);
}

/**
 * lablink_client_delete_acquisition_async:
 * @self: a #LablinkClient
 * @acquisition_id: an acquisition id
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `DELETE /api/acquisition/session/{id}`.
 */
void
lablink_client_delete_acquisition_async (LablinkClient       *self,
                                         const char          *acquisition_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (acquisition_id != NULL);

  if (!check_id (self, acquisition_id, "acquisition id",
                 lablink_client_delete_acquisition_async, callback, user_data))
    return;

  escaped = escape_segment (acquisition_id);
  path = g_strdup_printf ("/api/acquisition/session/%s", escaped);
  start_request (self, "DELETE", path, NULL, REQUEST_DEFAULT, RESULT_SUCCESS, NULL, cancellable,
                 lablink_client_delete_acquisition_async, callback, user_data);
}

/**
 * lablink_client_delete_acquisition_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server reported success
 */
gboolean
lablink_client_delete_acquisition_finish (LablinkClient  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return finish_boolean (self, result, lablink_client_delete_acquisition_async, error);
}

/**
 * lablink_client_login_async:
 * @self: a #LablinkClient
 * @username: the user name
 * @password: the password (never logged, zeroed after sending)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/security/login`. On success the access and refresh tokens
 * and the user name are kept; wrong credentials fail with
 * %LABLINK_ERROR_AUTH and the server's text.
 */
void
lablink_client_login_async (LablinkClient       *self,
                            const char          *username,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  if (!check_id (self, username, "user name", lablink_client_login_async, callback, user_data))
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  start_request (self, "POST", "/api/security/login", body,
                 REQUEST_NO_AUTH | REQUEST_SENSITIVE, RESULT_LOGIN, username, cancellable,
                 lablink_client_login_async, callback, user_data);
}

/**
 * lablink_client_login_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when logged in
 */
gboolean
lablink_client_login_finish (LablinkClient  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return finish_boolean (self, result, lablink_client_login_async, error);
}

/**
 * lablink_client_refresh_async:
 * @self: a #LablinkClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the answer is complete
 * @user_data: (closure): data for @callback
 *
 * `POST /api/security/refresh` with the refresh token of the last login;
 * on success the new tokens replace the old ones. Fails with
 * %LABLINK_ERROR_AUTH when there is no refresh token or the server
 * refuses it.
 */
void
lablink_client_refresh_async (LablinkClient       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (LABLINK_IS_CLIENT (self));

  if (self->refresh_token == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, lablink_client_refresh_async);
      g_task_return_new_error (task, LABLINK_ERROR, LABLINK_ERROR_AUTH,
                               "There is no session to refresh: log in first");
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, self->refresh_token);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  start_request (self, "POST", "/api/security/refresh", body,
                 REQUEST_NO_AUTH | REQUEST_SENSITIVE, RESULT_REFRESH, NULL, cancellable,
                 lablink_client_refresh_async, callback, user_data);
}

/**
 * lablink_client_refresh_finish:
 * @self: a #LablinkClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the tokens were renewed
 */
gboolean
lablink_client_refresh_finish (LablinkClient  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  return finish_boolean (self, result, lablink_client_refresh_async, error);
}

/**
 * lablink_client_logout:
 * @self: a #LablinkClient
 *
 * Forgets the tokens and the user name (the server keeps no session to
 * close). Open WebSockets are not affected.
 */
void
lablink_client_logout (LablinkClient *self)
{
  g_return_if_fail (LABLINK_IS_CLIENT (self));

  set_tokens (self, NULL, NULL, NULL, TRUE);
}
