/* lablink-sim-rest-security.c — the simulated server's access routes:
 * security (login, tokens, the user)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-sim-rest-private.h"

/* ------------------------------------------------------------------------ */
/* Security                                                                  */

static char *
base64url (const guint8 *data,
           gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *p;
  gsize len = strlen (text);

  while (len > 0 && text[len - 1] == '=')
    text[--len] = '\0';
  for (p = text; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }
  return text;
}

/* A JWT-looking token (HS256 over the simulator's random secret). The server
 * only checks that it issued it and that it has not expired. */
static char *
make_token (LablinkSimServer *self,
            const char       *kind)
{
  static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  g_autoptr(GHmac) hmac = NULL;
  g_autofree char *header64 = NULL;
  g_autofree char *payload64 = NULL;
  g_autofree char *signature64 = NULL;
  g_autofree char *signing_input = NULL;
  g_autoptr(GString) payload = g_string_new (NULL);
  LablinkSimJson w;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *jti = NULL;

  jti = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
  lablink_sim_json_init (&w, payload, LABLINK_SIM_JSON_COMPACT, FALSE);
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "sub", "sim-user-1");
  lablink_sim_json_member_string (&w, "username", self->auth_username);
  lablink_sim_json_member_string (&w, "type", kind);
  lablink_sim_json_member_int (&w, "exp", now + self->token_lifetime);
  lablink_sim_json_member_int (&w, "iat", now);
  lablink_sim_json_member_string (&w, "jti", jti);
  lablink_sim_json_end_object (&w);

  header64 = base64url ((const guint8 *) header, sizeof header - 1);
  payload64 = base64url ((const guint8 *) payload->str, payload->len);
  signing_input = g_strconcat (header64, ".", payload64, NULL);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, self->secret, sizeof self->secret);
  g_hmac_update (hmac, (const guchar *) signing_input, (gssize) strlen (signing_input));
  g_hmac_get_digest (hmac, digest, &digest_len);
  signature64 = base64url (digest, digest_len);

  return g_strconcat (signing_input, ".", signature64, NULL);
}

static void
remember_token (GHashTable *table,
                const char *token,
                guint       lifetime_s)
{
  gint64 *expiry = g_new (gint64, 1);

  *expiry = g_get_monotonic_time () + (gint64) lifetime_s * G_USEC_PER_SEC;
  g_hash_table_replace (table, g_strdup (token), expiry);
}

static gboolean
token_valid_in (GHashTable *table,
                const char *token)
{
  const gint64 *expiry = g_hash_table_lookup (table, token);

  return expiry != NULL && *expiry > g_get_monotonic_time ();
}

gboolean
lablink_sim_server_token_is_valid (LablinkSimServer *self,
                                   const char       *token)
{
  return token != NULL && token_valid_in (self->access_tokens, token);
}

static void
write_utc_time (LablinkSimJson *w,
                const char     *key,
                gint64          unix_usec)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *base = NULL;
  g_autofree char *text = NULL;

  if (unix_usec == 0)
    {
      lablink_sim_json_member_null (w, key);
      return;
    }
  dt = g_date_time_new_from_unix_utc (unix_usec / G_USEC_PER_SEC);
  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  text = g_strdup_printf ("%s.%06d+00:00", base, (int) (unix_usec % G_USEC_PER_SEC));
  lablink_sim_json_member_string (w, key, text);
}

static void
write_user (LablinkSimServer *self,
            LablinkSimJson   *w)
{
  g_autofree char *email = g_strdup_printf ("%s@lablink.local", self->auth_username);

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "user_id", "sim-user-1");
  lablink_sim_json_member_string (w, "username", self->auth_username);
  lablink_sim_json_member_string (w, "email", email);
  lablink_sim_json_member_string (w, "full_name", "Simulated User");
  lablink_sim_json_key (w, "roles");
  lablink_sim_json_begin_array (w);
  lablink_sim_json_string (w, "admin");
  lablink_sim_json_end_array (w);
  lablink_sim_json_member_boolean (w, "is_active", TRUE);
  lablink_sim_json_member_boolean (w, "is_superuser", TRUE);
  lablink_sim_json_member_boolean (w, "must_change_password", FALSE);
  lablink_sim_json_member_boolean (w, "mfa_enabled", FALSE);
  write_utc_time (w, "last_login", self->last_login);
  write_utc_time (w, "created_at", self->created_at);
  write_utc_time (w, "updated_at", self->created_at);
  lablink_sim_json_end_object (w);
}

static void
respond_tokens (SimRequest *r)
{
  LablinkSimServer *self = r->server;
  g_autofree char *access = make_token (self, "access");
  g_autofree char *refresh = make_token (self, "refresh");
  LablinkSimJson w;

  remember_token (self->access_tokens, access, self->token_lifetime);
  remember_token (self->refresh_tokens, refresh, 7 * 24 * 3600);

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "access_token", access);
  lablink_sim_json_member_string (&w, "token_type", "bearer");
  lablink_sim_json_member_int (&w, "expires_in", self->token_lifetime);
  lablink_sim_json_member_string (&w, "refresh_token", refresh);
  lablink_sim_json_key (&w, "user");
  write_user (self, &w);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static gboolean
require_security (SimRequest *r)
{
  if (r->server->auth_username == NULL)
    {
      lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_BAD_REQUEST, "Security is not enabled on this server");
      return FALSE;
    }
  return TRUE;
}

static void
handle_login (SimRequest *r)
{
  LablinkSimServer *self = r->server;
  g_autoptr(JsonObject) body = NULL;
  const char *username, *password;

  if (!require_security (r))
    return;
  body = lablink_sim_rest_read_body (r, TRUE);
  if (body == NULL)
    return;

  username = lablink_sim_json_object_get_str (body, "username");
  password = lablink_sim_json_object_get_str (body, "password");
  if (g_strcmp0 (username, self->auth_username) != 0 || g_strcmp0 (password, self->auth_password) != 0)
    {
      lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_UNAUTHORIZED, "Invalid username or password");
      return;
    }

  respond_tokens (r);
  self->last_login = g_get_real_time ();
}

static void
handle_refresh (SimRequest *r)
{
  LablinkSimServer *self = r->server;
  g_autoptr(JsonObject) body = NULL;
  const char *token;

  if (!require_security (r))
    return;
  body = lablink_sim_rest_read_body (r, TRUE);
  if (body == NULL)
    return;

  token = lablink_sim_json_object_get_str (body, "refresh_token");
  if (token == NULL || !token_valid_in (self->refresh_tokens, token))
    {
      lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_UNAUTHORIZED, "Invalid or expired refresh token");
      return;
    }
  g_hash_table_remove (self->refresh_tokens, token);
  respond_tokens (r);
}

static const char *
bearer_token (SimRequest *r)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (r->msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  return value + 7;
}

static void
handle_me (SimRequest *r)
{
  LablinkSimJson w;

  if (!require_security (r))
    return;
  if (!lablink_sim_server_token_is_valid (r->server, bearer_token (r)))
    {
      lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_UNAUTHORIZED, "Not authenticated");
      return;
    }
  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  write_user (r->server, &w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_logout (SimRequest *r)
{
  const char *token = bearer_token (r);

  if (token != NULL)
    g_hash_table_remove (r->server->access_tokens, token);
  lablink_sim_rest_respond_success (r->msg, "Logged out", NULL);
}

/* ------------------------------------------------------------------------ */
/* Routes                                                                    */

gboolean
lablink_sim_rest_route_security (SimRequest *r)
{
  if (lablink_sim_rest_route (r, "POST", 3, "api", "security", "login"))
    handle_login (r);
  else if (lablink_sim_rest_route (r, "POST", 3, "api", "security", "refresh"))
    handle_refresh (r);
  else if (lablink_sim_rest_route (r, "GET", 3, "api", "security", "me"))
    handle_me (r);
  else if (lablink_sim_rest_route (r, "POST", 3, "api", "security", "logout"))
    handle_logout (r);

  else
    return FALSE;
  return TRUE;
}
