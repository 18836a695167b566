/* lablink-sim-rest.c — the REST routes of the simulated LabLink server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <lablink.h>

#include "lablink-sim-psu.h"
#include "lablink-sim-scope.h"
#include "lablink-sim-server-private.h"

typedef struct
{
  LablinkSimServer  *server;
  SoupServerMessage *msg;
  const char        *method;
  char             **parts;    /* path components after the leading "/" */
  guint              n_parts;
  GHashTable        *query;
  gboolean           path_matched;  /* a route exists for the path (→ 405, not 404) */
} Request;

/* ------------------------------------------------------------------------ */
/* Responses                                                                 */

static void
respond_internal_error (SoupServerMessage *msg)
{
  static const char body[] = "Internal Server Error";

  soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC, body, sizeof body - 1);
}

/* Compact JSON writer. Numbers that are not finite are written bare so we
 * can tell, and then answered like FastAPI does: 500 text/plain. */
static void
writer_init (LablinkSimJson *w,
             GString        *out)
{
  lablink_sim_json_init (w, out, LABLINK_SIM_JSON_COMPACT, TRUE);
}

static void
respond_writer (SoupServerMessage *msg,
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

static void
respond_detail (SoupServerMessage *msg,
                guint              status,
                const char        *format,
                ...) G_GNUC_PRINTF (3, 4);

static void
respond_detail (SoupServerMessage *msg,
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

  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "detail", detail);
  lablink_sim_json_end_object (&w);
  respond_writer (msg, status, &w);
}

static void
respond_success (SoupServerMessage *msg,
                 const char        *message,
                 const char        *acquisition_id)
{
  LablinkSimJson w;

  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_boolean (&w, "success", TRUE);
  lablink_sim_json_member_string (&w, "message", message);
  if (acquisition_id != NULL)
    lablink_sim_json_member_string (&w, "acquisition_id", acquisition_id);
  lablink_sim_json_end_object (&w);
  respond_writer (msg, SOUP_STATUS_OK, &w);
}

static JsonObject *
read_body (Request *r,
           gboolean required)
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
    respond_detail (r->msg, 422, "Invalid request body: %s", error->message);
  return object;
}

static gboolean
route (Request    *r,
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

static const char *
query_get (Request    *r,
           const char *name)
{
  return r->query != NULL ? g_hash_table_lookup (r->query, name) : NULL;
}

static gint64
now_usec (void)
{
  return g_get_real_time ();
}

/* ------------------------------------------------------------------------ */
/* Server and equipment                                                      */

static void
handle_info (Request *r)
{
  LablinkSimJson w;

  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "name", "LabLink Server");
  lablink_sim_json_member_string (&w, "version", "1.2.5");
  lablink_sim_json_member_string (&w, "hostname", "LabLink Server");
  lablink_sim_json_member_string (&w, "status", "running");
  lablink_sim_json_member_boolean (&w, "security_enabled", r->server->auth_username != NULL);
  lablink_sim_json_end_object (&w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_health (Request *r)
{
  LablinkSimJson w;

  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "status", "healthy");
  lablink_sim_json_member_int (&w, "connected_devices", r->server->instruments->len);
  lablink_sim_json_end_object (&w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_equipment_list (Request *r)
{
  LablinkSimJson w;
  guint i;

  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_array (&w);
  for (i = 0; i < r->server->instruments->len; i++)
    lablink_sim_instrument_write_list_entry (g_ptr_array_index (r->server->instruments, i), &w);
  lablink_sim_json_end_array (&w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static LablinkSimInstrument *
find_device (Request    *r,
             const char *equipment_id)
{
  LablinkSimInstrument *instrument = lablink_sim_server_get_instrument (r->server, equipment_id);

  if (instrument == NULL)
    respond_detail (r->msg, SOUP_STATUS_NOT_FOUND, "Device not found");
  return instrument;
}

static void
handle_equipment_status (Request    *r,
                         const char *equipment_id)
{
  LablinkSimInstrument *instrument = find_device (r, equipment_id);
  LablinkSimJson w;

  if (instrument == NULL)
    return;

  writer_init (&w, g_string_new (NULL));
  lablink_sim_instrument_write_status (instrument, &w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static guint
query_channel (Request *r)
{
  const char *text = query_get (r, "channel");
  guint64 channel;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, 64, &channel, NULL))
    return 1;
  return (guint) channel;
}

static void
write_readings_response (Request              *r,
                         LablinkSimInstrument *instrument)
{
  LablinkSimJson w;

  writer_init (&w, g_string_new (NULL));
  lablink_sim_instrument_write_readings (instrument, &w, query_channel (r), now_usec ());
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_equipment_readings (Request    *r,
                           const char *equipment_id)
{
  LablinkSimInstrument *instrument = find_device (r, equipment_id);

  if (instrument == NULL)
    return;

  if (!lablink_sim_instrument_has_readings (instrument))
    {
      respond_detail (r->msg, SOUP_STATUS_NOT_IMPLEMENTED, "Equipment type %s does not support readings",
                      LABLINK_SIM_INSTRUMENT_GET_CLASS (instrument)->python_class);
      return;
    }
  write_readings_response (r, instrument);
}

static void
handle_equipment_command (Request    *r,
                          const char *equipment_id)
{
  LablinkSimInstrument *instrument = find_device (r, equipment_id);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) data = g_string_new (NULL);
  g_autofree char *command_id = NULL;
  LablinkSimJson data_writer, w;
  JsonObject *parameters = NULL;
  JsonNode *node;
  const char *action;
  gboolean ok;

  if (instrument == NULL)
    return;
  body = read_body (r, TRUE);
  if (body == NULL)
    return;

  action = lablink_sim_json_object_get_str (body, "action");
  if (action == NULL)
    {
      respond_detail (r->msg, 422, "Field required: action");
      return;
    }
  node = json_object_get_member (body, "parameters");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    parameters = json_node_get_object (node);

  command_id = g_strdup (lablink_sim_json_object_get_str (body, "command_id"));
  if (command_id == NULL)
    command_id = lablink_sim_server_new_uuid (r->server);

  writer_init (&data_writer, data);
  ok = lablink_sim_instrument_execute (instrument, action, parameters, &data_writer, &error);

  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "command_id", command_id);
  lablink_sim_json_member_boolean (&w, "success", ok);
  lablink_sim_json_key (&w, "data");
  if (ok && data->len > 0)
    {
      /* the data writer shares the style; splice its text */
      lablink_sim_json_null (&w);
      g_string_truncate (w.out, w.out->len - 4);
      g_string_append_len (w.out, data->str, data->len);
      w.saw_nonfinite |= data_writer.saw_nonfinite;
    }
  else
    lablink_sim_json_null (&w);
  lablink_sim_json_member_string (&w, "error", ok ? NULL : error->message);
  lablink_sim_json_member_timestamp (&w, "timestamp", now_usec ());
  lablink_sim_json_end_object (&w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_equipment_connect (Request *r)
{
  g_autoptr(JsonObject) body = read_body (r, TRUE);
  const char *resource;
  LablinkSimJson w;
  guint i;

  if (body == NULL)
    return;
  resource = lablink_sim_json_object_get_str (body, "resource_string");
  for (i = 0; resource != NULL && i < r->server->instruments->len; i++)
    {
      LablinkSimInstrument *instrument = g_ptr_array_index (r->server->instruments, i);

      if (g_str_equal (resource, lablink_sim_instrument_get_resource_string (instrument)))
        {
          writer_init (&w, g_string_new (NULL));
          lablink_sim_json_begin_object (&w);
          lablink_sim_json_member_string (&w, "equipment_id", lablink_sim_instrument_get_id (instrument));
          lablink_sim_json_member_string (&w, "status", "connected");
          lablink_sim_json_end_object (&w);
          respond_writer (r->msg, SOUP_STATUS_OK, &w);
          return;
        }
    }
  respond_detail (r->msg, SOUP_STATUS_NOT_FOUND, "Device not found");
}

static void
handle_snapshot (Request    *r,
                 const char *equipment_id)
{
  LablinkSimInstrument *instrument = find_device (r, equipment_id);
  const char *data_type = query_get (r, "data_type");
  LablinkSimJson w;

  if (instrument == NULL)
    return;
  if (data_type == NULL)
    data_type = LABLINK_STREAM_READINGS;

  if (g_str_equal (data_type, LABLINK_STREAM_READINGS))
    {
      if (!lablink_sim_instrument_has_readings (instrument))
        {
          respond_detail (r->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Unknown command: get_readings");
          return;
        }
      write_readings_response (r, instrument);
    }
  else if (g_str_equal (data_type, LABLINK_STREAM_WAVEFORM))
    {
      if (!LABLINK_SIM_IS_SCOPE (instrument))
        {
          respond_detail (r->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Unknown command: get_waveform");
          return;
        }
      writer_init (&w, g_string_new (NULL));
      lablink_sim_scope_write_waveform (LABLINK_SIM_SCOPE (instrument), &w, 1, now_usec (),
                                        r->server->compat ? LABLINK_SIM_SCOPE_WRITE_METADATA
                                                          : LABLINK_SIM_SCOPE_WRITE_VOLTAGE_DATA);
      respond_writer (r->msg, SOUP_STATUS_OK, &w);
    }
  else if (g_str_equal (data_type, LABLINK_STREAM_MEASUREMENTS))
    {
      if (!LABLINK_SIM_IS_SCOPE (instrument))
        {
          respond_detail (r->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Unknown command: get_measurements");
          return;
        }
      writer_init (&w, g_string_new (NULL));
      lablink_sim_scope_write_measurements (LABLINK_SIM_SCOPE (instrument), &w, 1, now_usec ());
      respond_writer (r->msg, SOUP_STATUS_OK, &w);
    }
  else
    respond_detail (r->msg, SOUP_STATUS_BAD_REQUEST, "Unknown data type: %s", data_type);
}

static void
handle_waveform_capture (Request *r)
{
  g_autoptr(JsonObject) body = read_body (r, TRUE);
  LablinkSimInstrument *instrument;
  JsonNode *config;
  double channel = 1.0;
  LablinkSimJson w;

  if (body == NULL)
    return;

  instrument = find_device (r, lablink_sim_json_object_get_str (body, "equipment_id"));
  if (instrument == NULL)
    return;
  if (!LABLINK_SIM_IS_SCOPE (instrument))
    {
      respond_detail (r->msg, SOUP_STATUS_BAD_REQUEST, "Equipment %s does not support waveform capture",
                      lablink_sim_instrument_get_id (instrument));
      return;
    }

  config = json_object_get_member (body, "config");
  if (config != NULL && JSON_NODE_HOLDS_OBJECT (config) &&
      json_object_has_member (json_node_get_object (config), "channel") &&
      (!lablink_sim_json_object_get_number (json_node_get_object (config), "channel", &channel) ||
       channel != floor (channel) || channel < 1 || channel > LABLINK_SIM_SCOPE_N_CHANNELS))
    {
      respond_detail (r->msg, SOUP_STATUS_BAD_REQUEST, "Invalid channel");
      return;
    }

  if (!lablink_sim_scope_is_enabled (LABLINK_SIM_SCOPE (instrument), (guint) channel))
    {
      respond_detail (r->msg, SOUP_STATUS_BAD_REQUEST, "Channel %u is not enabled", (guint) channel);
      return;
    }

  writer_init (&w, g_string_sized_new (40000));
  lablink_sim_scope_write_waveform (LABLINK_SIM_SCOPE (instrument), &w, (guint) channel, now_usec (),
                                    LABLINK_SIM_SCOPE_WRITE_CAPTURE);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

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
respond_tokens (Request *r)
{
  LablinkSimServer *self = r->server;
  g_autofree char *access = make_token (self, "access");
  g_autofree char *refresh = make_token (self, "refresh");
  LablinkSimJson w;

  remember_token (self->access_tokens, access, self->token_lifetime);
  remember_token (self->refresh_tokens, refresh, 7 * 24 * 3600);

  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "access_token", access);
  lablink_sim_json_member_string (&w, "token_type", "bearer");
  lablink_sim_json_member_int (&w, "expires_in", self->token_lifetime);
  lablink_sim_json_member_string (&w, "refresh_token", refresh);
  lablink_sim_json_key (&w, "user");
  write_user (self, &w);
  lablink_sim_json_end_object (&w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static gboolean
require_security (Request *r)
{
  if (r->server->auth_username == NULL)
    {
      respond_detail (r->msg, SOUP_STATUS_BAD_REQUEST, "Security is not enabled on this server");
      return FALSE;
    }
  return TRUE;
}

static void
handle_login (Request *r)
{
  LablinkSimServer *self = r->server;
  g_autoptr(JsonObject) body = NULL;
  const char *username, *password;

  if (!require_security (r))
    return;
  body = read_body (r, TRUE);
  if (body == NULL)
    return;

  username = lablink_sim_json_object_get_str (body, "username");
  password = lablink_sim_json_object_get_str (body, "password");
  if (g_strcmp0 (username, self->auth_username) != 0 || g_strcmp0 (password, self->auth_password) != 0)
    {
      respond_detail (r->msg, SOUP_STATUS_UNAUTHORIZED, "Invalid username or password");
      return;
    }

  respond_tokens (r);
  self->last_login = g_get_real_time ();
}

static void
handle_refresh (Request *r)
{
  LablinkSimServer *self = r->server;
  g_autoptr(JsonObject) body = NULL;
  const char *token;

  if (!require_security (r))
    return;
  body = read_body (r, TRUE);
  if (body == NULL)
    return;

  token = lablink_sim_json_object_get_str (body, "refresh_token");
  if (token == NULL || !token_valid_in (self->refresh_tokens, token))
    {
      respond_detail (r->msg, SOUP_STATUS_UNAUTHORIZED, "Invalid or expired refresh token");
      return;
    }
  g_hash_table_remove (self->refresh_tokens, token);
  respond_tokens (r);
}

static const char *
bearer_token (Request *r)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (r->msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  return value + 7;
}

static void
handle_me (Request *r)
{
  LablinkSimJson w;

  if (!require_security (r))
    return;
  if (!lablink_sim_server_token_is_valid (r->server, bearer_token (r)))
    {
      respond_detail (r->msg, SOUP_STATUS_UNAUTHORIZED, "Not authenticated");
      return;
    }
  writer_init (&w, g_string_new (NULL));
  write_user (r->server, &w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_logout (Request *r)
{
  const char *token = bearer_token (r);

  if (token != NULL)
    g_hash_table_remove (r->server->access_tokens, token);
  respond_success (r->msg, "Logged out", NULL);
}

/* ------------------------------------------------------------------------ */
/* Locks (accepted and ignored: the simulator needs no locks)                */

static void
handle_lock_session (Request *r)
{
  g_autoptr(JsonObject) body = read_body (r, FALSE);
  g_autofree char *session_id = NULL;
  gint64 now = now_usec ();
  LablinkSimJson w;

  if (body == NULL)
    return;
  session_id = lablink_sim_server_new_uuid (r->server);
  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "session_id", session_id);
  lablink_sim_json_member_string (&w, "client_name", lablink_sim_json_object_get_str (body, "client_name"));
  lablink_sim_json_member_string (&w, "client_ip", "127.0.0.1");
  lablink_sim_json_member_timestamp (&w, "created_at", now);
  lablink_sim_json_member_timestamp (&w, "last_activity", now);
  lablink_sim_json_member_double (&w, "time_remaining", 600.0);
  lablink_sim_json_member_double (&w, "duration_seconds", 0.0);
  lablink_sim_json_key (&w, "metadata");
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_end_object (&w);
  lablink_sim_json_end_object (&w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_lock_acquire (Request *r)
{
  g_autoptr(JsonObject) body = read_body (r, TRUE);
  g_autofree char *lock_id = NULL;
  gint64 now = now_usec ();
  LablinkSimJson w;

  if (body == NULL)
    return;
  lock_id = lablink_sim_server_new_uuid (r->server);
  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_boolean (&w, "success", TRUE);
  lablink_sim_json_member_string (&w, "status", "locked");
  lablink_sim_json_key (&w, "lock");
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "lock_id", lock_id);
  lablink_sim_json_member_string (&w, "equipment_id", lablink_sim_json_object_get_str (body, "equipment_id"));
  lablink_sim_json_member_string (&w, "session_id", lablink_sim_json_object_get_str (body, "session_id"));
  lablink_sim_json_member_string (&w, "lock_mode", "exclusive");
  lablink_sim_json_member_timestamp (&w, "acquired_at", now);
  lablink_sim_json_member_timestamp (&w, "last_activity", now);
  lablink_sim_json_member_int (&w, "timeout_seconds", 300);
  lablink_sim_json_end_object (&w);
  lablink_sim_json_end_object (&w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

/* ------------------------------------------------------------------------ */
/* Acquisitions                                                              */

static LablinkSimAcquisition *
find_acquisition (Request    *r,
                  const char *acquisition_id)
{
  LablinkSimAcquisition *acquisition = lablink_sim_server_lookup_acquisition (r->server, acquisition_id);

  if (acquisition == NULL)
    respond_detail (r->msg, SOUP_STATUS_NOT_FOUND, "Acquisition session %s not found", acquisition_id);
  return acquisition;
}

static void
handle_acquisition_create (Request *r)
{
  g_autoptr(JsonObject) body = read_body (r, TRUE);
  g_autoptr(LablinkSimAcquisition) acquisition = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  LablinkSimInstrument *instrument;
  const char *equipment_id;
  LablinkSimJson w;

  if (body == NULL)
    return;

  equipment_id = lablink_sim_json_object_get_str (body, "equipment_id");
  if (equipment_id == NULL)
    {
      respond_detail (r->msg, 422, "Field required: equipment_id");
      return;
    }
  instrument = find_device (r, equipment_id);
  if (instrument == NULL)
    return;

  id = lablink_sim_server_new_uuid (r->server);
  acquisition = lablink_sim_acquisition_new_from_json (id, instrument, body, r->server->compat, &error);
  if (acquisition == NULL)
    {
      respond_detail (r->msg, SOUP_STATUS_BAD_REQUEST, "%s", error->message);
      return;
    }
  lablink_sim_server_add_acquisition (r->server, acquisition);

  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_boolean (&w, "success", TRUE);
  lablink_sim_json_member_string (&w, "message", "Acquisition session created");
  lablink_sim_json_member_string (&w, "acquisition_id", id);
  lablink_sim_json_member_string (&w, "state", "idle");
  lablink_sim_json_end_object (&w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_acquisition_action (Request    *r,
                           const char *acquisition_id,
                           const char *action)
{
  LablinkSimAcquisition *acquisition = find_acquisition (r, acquisition_id);
  g_autoptr(GError) error = NULL;
  const char *message;
  gboolean ok;

  if (acquisition == NULL)
    return;

  if (g_str_equal (action, "start"))
    {
      ok = lablink_sim_acquisition_start (acquisition, r->server->context, &error);
      message = "Acquisition started";
    }
  else if (g_str_equal (action, "stop"))
    {
      ok = lablink_sim_acquisition_stop (acquisition, &error);
      message = "Acquisition stopped";
    }
  else if (g_str_equal (action, "pause"))
    {
      ok = lablink_sim_acquisition_pause (acquisition, &error);
      message = "Acquisition paused";
    }
  else
    {
      ok = lablink_sim_acquisition_resume (acquisition, &error);
      message = "Acquisition resumed";
    }

  if (!ok)
    {
      respond_detail (r->msg, SOUP_STATUS_BAD_REQUEST, "%s", error->message);
      return;
    }
  respond_success (r->msg, message, acquisition_id);
}

static void
handle_acquisition_status (Request    *r,
                           const char *acquisition_id)
{
  LablinkSimAcquisition *acquisition = find_acquisition (r, acquisition_id);
  LablinkSimJson w;

  if (acquisition == NULL)
    return;
  lablink_sim_acquisition_tick (acquisition);
  writer_init (&w, g_string_new (NULL));
  lablink_sim_acquisition_write_status (acquisition, &w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_acquisition_data (Request    *r,
                         const char *acquisition_id)
{
  LablinkSimAcquisition *acquisition = find_acquisition (r, acquisition_id);
  const char *text = query_get (r, "num_samples");
  guint64 num_samples = 0;
  LablinkSimJson w;

  if (acquisition == NULL)
    return;
  if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &num_samples, NULL))
    {
      respond_detail (r->msg, 422, "Invalid num_samples: %s", text);
      return;
    }
  lablink_sim_acquisition_tick (acquisition);
  writer_init (&w, g_string_new (NULL));
  lablink_sim_acquisition_write_data (acquisition, &w, (guint) num_samples);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_acquisition_delete (Request    *r,
                           const char *acquisition_id)
{
  if (find_acquisition (r, acquisition_id) == NULL)
    return;
  lablink_sim_server_remove_acquisition (r->server, acquisition_id);
  respond_success (r->msg, "Session deleted", acquisition_id);
}

static void
handle_acquisition_list (Request *r)
{
  GPtrArray *order = r->server->acquisition_order;
  LablinkSimJson w;
  guint i;

  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_key (&w, "sessions");
  lablink_sim_json_begin_array (&w);
  for (i = 0; i < order->len; i++)
    lablink_sim_acquisition_write_summary (g_ptr_array_index (order, i), &w);
  lablink_sim_json_end_array (&w);
  lablink_sim_json_member_int (&w, "count", order->len);
  lablink_sim_json_end_object (&w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

/* Like the real server, "exports" to a path on the server; the simulator
 * writes nothing. */
static void
handle_acquisition_export (Request *r)
{
  g_autoptr(JsonObject) body = read_body (r, TRUE);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = NULL;
  g_autofree char *path = NULL;
  LablinkSimAcquisition *acquisition;
  const char *format;
  LablinkSimJson w;

  if (body == NULL)
    return;
  acquisition = find_acquisition (r, lablink_sim_json_object_get_str (body, "acquisition_id"));
  if (acquisition == NULL)
    return;
  format = lablink_sim_json_object_get_str (body, "format");
  if (format == NULL)
    format = "csv";

  stamp = g_date_time_format (now, "%Y%m%d_%H%M%S");
  path = g_strdup_printf ("data/acquisitions/%s_%s_%s.%s", lablink_sim_acquisition_get_equipment_id (acquisition),
                          lablink_sim_acquisition_get_id (acquisition), stamp, format);

  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_boolean (&w, "success", TRUE);
  lablink_sim_json_member_string (&w, "message", "Data exported successfully");
  lablink_sim_json_member_string (&w, "filepath", path);
  lablink_sim_json_member_string (&w, "format", format);
  lablink_sim_json_end_object (&w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

/* ------------------------------------------------------------------------ */
/* Simulator debug routes: /api/sim/…                                        */

static void
handle_sim_status (Request *r)
{
  LablinkSimJson w;

  writer_init (&w, g_string_new (NULL));
  lablink_sim_server_write_sim_status (r->server, &w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_sim_generated (Request    *r,
                      const char *acquisition_id)
{
  g_autoptr(GArray) timestamps = NULL;
  guint64 count = 0;
  LablinkSimJson w;
  guint i;

  if (!lablink_sim_server_get_acquisition_generated (r->server, acquisition_id, &count, &timestamps))
    {
      respond_detail (r->msg, SOUP_STATUS_NOT_FOUND, "Acquisition session %s not found", acquisition_id);
      return;
    }

  writer_init (&w, g_string_sized_new (32 + timestamps->len * 29));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_int (&w, "count", (gint64) count);
  lablink_sim_json_key (&w, "timestamps");
  lablink_sim_json_begin_array (&w);
  for (i = 0; i < timestamps->len; i++)
    lablink_sim_json_timestamp (&w, g_array_index (timestamps, gint64, i));
  lablink_sim_json_end_array (&w);
  lablink_sim_json_end_object (&w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_sim_event (Request *r)
{
  g_autoptr(JsonObject) body = read_body (r, TRUE);
  const char *type;
  JsonNode *data;
  LablinkSimJson w;
  guint n;

  if (body == NULL)
    return;
  type = lablink_sim_json_object_get_str (body, "type");
  if (type == NULL || *type == '\0')
    {
      respond_detail (r->msg, 422, "Field required: type");
      return;
    }
  data = json_object_get_member (body, "data");
  n = lablink_sim_server_emit_event_frame (r->server, type, data);

  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_boolean (&w, "success", TRUE);
  lablink_sim_json_member_string (&w, "type", type);
  lablink_sim_json_member_int (&w, "clients", n);
  lablink_sim_json_end_object (&w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_sim_broadcast (Request *r)
{
  g_autoptr(JsonObject) body = read_body (r, TRUE);
  const char *text;

  if (body == NULL)
    return;
  text = lablink_sim_json_object_get_str (body, "text");
  if (text == NULL)
    {
      respond_detail (r->msg, 422, "Field required: text");
      return;
    }
  lablink_sim_server_broadcast_text (r->server, text);
  respond_success (r->msg, "Broadcast queued", NULL);
}

static void
handle_sim_drop (Request *r)
{
  g_autoptr(JsonObject) body = read_body (r, FALSE);
  const char *mode;
  double code = SOUP_WEBSOCKET_CLOSE_GOING_AWAY;
  gboolean abrupt = TRUE;
  LablinkSimJson w;
  guint n;

  if (body == NULL)
    return;
  mode = lablink_sim_json_object_get_str (body, "mode");
  if (mode != NULL && g_str_equal (mode, "close"))
    {
      abrupt = FALSE;
      if (lablink_sim_json_object_get_number (body, "code", &code) &&
          (code != floor (code) || code < 1000 || code > 4999))
        {
          respond_detail (r->msg, 422, "Invalid close code");
          return;
        }
    }
  else if (mode != NULL && !g_str_equal (mode, "abrupt"))
    {
      respond_detail (r->msg, 422, "Invalid mode (expected abrupt or close)");
      return;
    }

  n = lablink_sim_server_drop_all (r->server, abrupt, (gushort) code);

  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_boolean (&w, "success", TRUE);
  lablink_sim_json_member_int (&w, "dropped", n);
  lablink_sim_json_end_object (&w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static void
respond_flood (Request *r)
{
  LablinkSimJson w;

  writer_init (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_int (&w, "sent", (gint64) lablink_sim_server_get_flood_sent (r->server));
  lablink_sim_json_member_boolean (&w, "running", r->server->flood_source != NULL);
  lablink_sim_json_end_object (&w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

static gboolean
get_uint_member (Request    *r,
                 JsonObject *body,
                 const char *name,
                 guint      *value)
{
  double d;

  if (!json_object_has_member (body, name))
    return TRUE;
  if (!lablink_sim_json_object_get_number (body, name, &d) || d != floor (d) || d < 0 || d > G_MAXUINT)
    {
      respond_detail (r->msg, 422, "Invalid %s (expected a non-negative integer)", name);
      return FALSE;
    }
  *value = (guint) d;
  return TRUE;
}

static void
handle_sim_flood (Request *r)
{
  g_autoptr(JsonObject) body = read_body (r, FALSE);
  guint n_frames = 0, rate_hz = 0;

  if (body == NULL)
    return;
  if (!get_uint_member (r, body, "n_frames", &n_frames) || !get_uint_member (r, body, "rate_hz", &rate_hz))
    return;
  lablink_sim_server_flood (r->server, n_frames, rate_hz);
  respond_flood (r);
}

static void
handle_sim_faults (Request *r)
{
  LablinkSimServer *self = r->server;
  LablinkSimJson w;

  if (g_str_equal (r->method, "POST"))
    {
      g_autoptr(JsonObject) body = read_body (r, TRUE);
      guint drop_after_messages = self->drop_after_messages;
      guint drop_after_ms = self->drop_after_ms;
      guint refuse_ms = self->refuse_ms;
      guint latency_ms = self->latency_ms;
      double hostile_rate = self->hostile_rate;
      LablinkSimHostileKinds kinds = self->hostile_kinds;
      const char *kinds_text;

      if (body == NULL)
        return;
      if (!get_uint_member (r, body, "drop_after_messages", &drop_after_messages) ||
          !get_uint_member (r, body, "drop_after_ms", &drop_after_ms) ||
          !get_uint_member (r, body, "refuse_ms", &refuse_ms) ||
          !get_uint_member (r, body, "latency_ms", &latency_ms))
        return;
      if (json_object_has_member (body, "hostile_rate") &&
          (!lablink_sim_json_object_get_number (body, "hostile_rate", &hostile_rate) || hostile_rate < 0))
        {
          respond_detail (r->msg, 422, "Invalid hostile_rate");
          return;
        }
      kinds_text = lablink_sim_json_object_get_str (body, "hostile_kinds");
      if (kinds_text != NULL)
        {
          g_autoptr(GError) error = NULL;

          if (!lablink_sim_hostile_kinds_from_string (kinds_text, &kinds, &error))
            {
              respond_detail (r->msg, 422, "%s", error->message);
              return;
            }
        }

      lablink_sim_server_set_drop_after_messages (self, drop_after_messages);
      lablink_sim_server_set_drop_after_ms (self, drop_after_ms);
      lablink_sim_server_set_refuse_ms (self, refuse_ms);
      lablink_sim_server_set_latency_ms (self, latency_ms);
      lablink_sim_server_set_hostile (self, hostile_rate, kinds);
    }

  writer_init (&w, g_string_new (NULL));
  lablink_sim_server_write_faults (self, &w);
  respond_writer (r->msg, SOUP_STATUS_OK, &w);
}

/* ------------------------------------------------------------------------ */
/* Dispatch                                                                  */

static void
dispatch (Request *r)
{
  char **p = r->parts;

  if (route (r, "GET", 0) || route (r, "GET", 1, "api"))
    {
      handle_info (r);
      return;
    }
  if (route (r, "GET", 1, "health"))
    {
      handle_health (r);
      return;
    }
  if (r->n_parts == 0 || !g_str_equal (p[0], "api"))
    return;

  /* equipment */
  if (route (r, "GET", 3, "api", "equipment", "list"))
    handle_equipment_list (r);
  else if (route (r, "POST", 3, "api", "equipment", "connect"))
    handle_equipment_connect (r);
  else if (route (r, "GET", 4, "api", "equipment", NULL, "status"))
    handle_equipment_status (r, p[2]);
  else if (route (r, "GET", 4, "api", "equipment", NULL, "readings"))
    handle_equipment_readings (r, p[2]);
  else if (route (r, "POST", 4, "api", "equipment", NULL, "command"))
    handle_equipment_command (r, p[2]);
  else if (route (r, "GET", 4, "api", "data", NULL, "snapshot"))
    handle_snapshot (r, p[2]);
  else if (route (r, "POST", 3, "api", "waveform", "capture"))
    handle_waveform_capture (r);

  /* security */
  else if (route (r, "POST", 3, "api", "security", "login"))
    handle_login (r);
  else if (route (r, "POST", 3, "api", "security", "refresh"))
    handle_refresh (r);
  else if (route (r, "GET", 3, "api", "security", "me"))
    handle_me (r);
  else if (route (r, "POST", 3, "api", "security", "logout"))
    handle_logout (r);

  /* locks */
  else if (route (r, "POST", 4, "api", "locks", "sessions", "create"))
    handle_lock_session (r);
  else if (route (r, "POST", 3, "api", "locks", "acquire"))
    handle_lock_acquire (r);
  else if (route (r, "POST", 3, "api", "locks", "release"))
    respond_success (r->msg, "Lock released", NULL);

  /* acquisitions */
  else if (route (r, "POST", 4, "api", "acquisition", "session", "create"))
    handle_acquisition_create (r);
  else if (route (r, "GET", 3, "api", "acquisition", "sessions"))
    handle_acquisition_list (r);
  else if (route (r, "POST", 3, "api", "acquisition", "export"))
    handle_acquisition_export (r);
  else if (route (r, "DELETE", 4, "api", "acquisition", "session", NULL))
    handle_acquisition_delete (r, p[3]);
  else if (route (r, "GET", 5, "api", "acquisition", "session", NULL, "status"))
    handle_acquisition_status (r, p[3]);
  else if (route (r, "GET", 5, "api", "acquisition", "session", NULL, "data"))
    handle_acquisition_data (r, p[3]);
  else if (r->n_parts == 5 && g_str_equal (p[1], "acquisition") && g_str_equal (p[2], "session") &&
           (g_str_equal (p[4], "start") || g_str_equal (p[4], "stop") ||
            g_str_equal (p[4], "pause") || g_str_equal (p[4], "resume")) &&
           route (r, "POST", 5, "api", "acquisition", "session", NULL, NULL))
    handle_acquisition_action (r, p[3], p[4]);

  /* simulator */
  else if (route (r, "GET", 3, "api", "sim", "status"))
    handle_sim_status (r);
  else if (route (r, "GET", 5, "api", "sim", "acquisition", NULL, "generated"))
    handle_sim_generated (r, p[3]);
  else if (route (r, "POST", 3, "api", "sim", "event"))
    handle_sim_event (r);
  else if (route (r, "POST", 3, "api", "sim", "broadcast"))
    handle_sim_broadcast (r);
  else if (route (r, "POST", 3, "api", "sim", "drop"))
    handle_sim_drop (r);
  else if (route (r, "POST", 3, "api", "sim", "flood"))
    handle_sim_flood (r);
  else if (route (r, "GET", 3, "api", "sim", "flood"))
    respond_flood (r);
  else if (route (r, "DELETE", 3, "api", "sim", "flood"))
    {
      lablink_sim_server_stop_flood (r->server);
      respond_flood (r);
    }
  else if (route (r, "GET", 3, "api", "sim", "faults") || route (r, "POST", 3, "api", "sim", "faults"))
    handle_sim_faults (r);
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
  Request r = { 0 };
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
    respond_detail (msg, r.path_matched ? SOUP_STATUS_METHOD_NOT_ALLOWED : SOUP_STATUS_NOT_FOUND,
                    r.path_matched ? "Method Not Allowed" : "Not Found");
}
