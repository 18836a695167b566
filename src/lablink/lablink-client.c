/* lablink-client.c — LablinkClient: the object, its URLs, settings and login state
 *
 * The server and WebSocket URLs, the properties, the timeout and size limit,
 * and the tokens of a login. The requests live in the sibling files listed in
 * lablink-client-private.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-client-private.h"
#include "lablink-error.h"

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
 *   #LablinkClient:max-response-size %LABLINK_ERROR_TOO_LARGE;
 * - a TLS certificate the system does not trust gives
 *   %LABLINK_ERROR_UNTRUSTED_CERTIFICATE, with its fingerprint (accepted
 *   once pinned: #LablinkClient:pinned-certificate), and one that differs
 *   from the pinned one %LABLINK_ERROR_CERTIFICATE_CHANGED.
 *
 * Tokens and passwords are never logged.
 */

G_DEFINE_FINAL_TYPE (LablinkClient, lablink_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_WS_URL,
  PROP_LOGGED_IN,
  PROP_USERNAME,
  PROP_TIMEOUT,
  PROP_MAX_RESPONSE_SIZE,
  PROP_PINNED_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_LOCK_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define MAX_TIMEOUT_SECONDS (24 * 60 * 60)

/* ------------------------------------------------------------------------ */
/* Secrets                                                                  */

void
_lablink_client_secret_free (gpointer data)
{
  volatile char *p = data;

  if (p == NULL)
    return;
  while (*p != '\0')
    *p++ = '\0';
  g_free (data);
}

static void
clear_secret (char **secret)
{
  _lablink_client_secret_free (g_steal_pointer (secret));
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
  g_clear_pointer (&self->lock_session_id, g_free);
  g_clear_pointer (&self->lock_session_name, g_free);
  g_clear_pointer (&self->held_locks, g_hash_table_unref);
  g_clear_pointer (&self->pinned_certificate, g_free);
  g_clear_object (&self->peer_certificate);

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
    case PROP_PINNED_CERTIFICATE:
      g_value_set_string (value, self->pinned_certificate);
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
    case PROP_PINNED_CERTIFICATE:
      {
        g_autoptr(GError) error = NULL;

        if (!lablink_client_set_pinned_certificate (self, g_value_get_string (value), &error))
          g_warning ("%s", error->message);
      }
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

  /**
   * LablinkClient:pinned-certificate:
   *
   * The SHA-256 fingerprint (`SHA256:…`) of the certificate the user
   * confirmed for this server, or %NULL. A certificate the system does not
   * trust is accepted if, and only if, it has this fingerprint; REST
   * requests and the stream manager's WebSocket alike.
   */
  properties[PROP_PINNED_CERTIFICATE] =
    g_param_spec_string ("pinned-certificate", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LablinkClient::lock-changed:
   * @self: the client
   * @equipment_id: the instrument whose lock this client took, released or lost
   *
   * Emitted when lablink_client_holds_lock() changes for @equipment_id: a
   * lock taken or released, a lock session ended, or the server saying the
   * lock is gone (expired, or taken by another session).
   */
  signals[SIGNAL_LOCK_CHANGED] =
    g_signal_new ("lock-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

void
_lablink_client_notify_pinned_certificate (LablinkClient *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINNED_CERTIFICATE]);
}

void
_lablink_client_emit_lock_changed (LablinkClient *self,
                                   const char    *equipment_id)
{
  g_signal_emit (self, signals[SIGNAL_LOCK_CHANGED], 0, equipment_id);
}

static void
lablink_client_init (LablinkClient *self)
{
  self->port = -1;
  self->timeout = LABLINK_CLIENT_DEFAULT_TIMEOUT;
  self->max_response_size = LABLINK_CLIENT_DEFAULT_MAX_RESPONSE_SIZE;
  self->held_locks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
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

void
_lablink_client_set_tokens (LablinkClient *self,
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
  _lablink_client_secret_free (new_refresh);

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

  _lablink_client_set_tokens (self, token, NULL, NULL, FALSE);
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
