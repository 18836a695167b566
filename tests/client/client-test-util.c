/* client-test-util.c — fixtures, a replaying SoupServer, running programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <unistd.h>

#include "client-test-util.h"

/* A self-signed certificate for 127.0.0.1 (valid until 2126), for the TLS
 * verification test only: no client trusts it. */
static const char test_tls_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBkTCCATagAwIBAgIUW1ismC9Y535ifhksH2NpNTQG8wMwCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNTE4MTUxOVoYDzIxMjYxMTAx\n"
  "MTgxNTE5WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAARgP2nmqvtNo95sPgSHViwcotIhZVYQztDiz388hEK9oRTncrkDqQyA\n"
  "9Q0kxTuh8A0LIT3Ax/CnuX88kIN+iqtYo2QwYjAdBgNVHQ4EFgQUrwdbbeyUIBGk\n"
  "Lxt9tX4BVuPkeqwwHwYDVR0jBBgwFoAUrwdbbeyUIBGkLxt9tX4BVuPkeqwwDwYD\n"
  "VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0kAMEYC\n"
  "IQCEOJYippSVFv0P26pjPclmP/vzFXkibG0n2A1wV00hIAIhAMbBahA1H7L1cZXR\n"
  "FW9vl0U0wEMmxxkjvuY8XHxu6A7/\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgcrDSkNZt+WATir6r\n"
  "aKtIVZs87nEGBI7N+7H6Z2IlidWhRANCAARgP2nmqvtNo95sPgSHViwcotIhZVYQ\n"
  "ztDiz388hEK9oRTncrkDqQyA9Q0kxTuh8A0LIT3Ax/CnuX88kIN+iqtY\n"
  "-----END PRIVATE KEY-----\n";

/* ------------------------------------------------------------------------ */
/* Fixtures                                                                 */

GPtrArray *
test_fixture_load (const char *file_name)
{
  const char *dir = g_getenv ("LABLINK_FIXTURES_DIR");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *result;

  /* The recordings are part of the tests: tests/data/lablink-1.2.5. */
  if (dir != NULL && *dir != '\0')
    path = g_build_filename (dir, file_name, NULL);
  else
    path = g_test_build_filename (G_TEST_DIST, "data", "lablink-1.2.5", file_name, NULL);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;

      if (lines[i][0] == '\0')
        continue;
      node = lablink_json_parse (lines[i], -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_ptr_array_add (result, json_object_ref (json_node_get_object (node)));
    }

  return result;
}

JsonObject *
test_fixture_find_rest (GPtrArray  *lines,
                        const char *scenario,
                        const char *method,
                        const char *path,
                        guint       status,
                        guint       nth)
{
  gsize path_len = strlen (path);
  gboolean prefix = path_len > 0 && path[path_len - 1] == '*';

  for (guint i = 0; i < lines->len; i++)
    {
      JsonObject *line = lines->pdata[i];
      const char *line_path;

      if (g_strcmp0 (json_object_get_string_member_with_default (line, "dir", ""), "rest") != 0)
        continue;
      if (scenario != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (line, "scenario", ""), scenario) != 0)
        continue;
      if (g_strcmp0 (json_object_get_string_member_with_default (line, "method", ""), method) != 0)
        continue;
      line_path = json_object_get_string_member_with_default (line, "path", "");
      if (prefix ? strncmp (line_path, path, path_len - 1) != 0 : strcmp (line_path, path) != 0)
        continue;
      if (status != 0 && (guint) json_object_get_int_member_with_default (line, "status", 0) != status)
        continue;
      if (nth-- > 0)
        continue;
      return line;
    }

  g_error ("no fixture line for %s %s %s (status %u, #%u)", scenario ? scenario : "*", method,
           path, status, nth);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Mock server                                                              */

typedef struct {
  char *method;
  char *path;
  guint status;
  char *content_type;
  char *body;
  MockFlags flags;
  GPtrArray *headers;  /* name, value, name, value… */
} Route;

struct _MockServer {
  SoupServer *server;
  char *url;
  GPtrArray *routes;
  GPtrArray *paused;
  guint n_requests;
  char *last_method;
  char *last_path;
  char *last_auth;
  char *last_body;
};

static void
route_free (Route *route)
{
  g_free (route->method);
  g_free (route->path);
  g_free (route->content_type);
  g_free (route->body);
  g_clear_pointer (&route->headers, g_ptr_array_unref);
  g_free (route);
}

static Route *
find_route (MockServer *self,
            const char *method,
            const char *path)
{
  /* the latest route added wins */
  for (guint i = self->routes->len; i > 0; i--)
    {
      Route *route = self->routes->pdata[i - 1];

      if (g_str_equal (route->method, method) && g_str_equal (route->path, path))
        return route;
    }
  return NULL;
}

static void
mock_handler (SoupServer        *soup_server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  MockServer *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autofree char *full_path = NULL;
  Route *route;

  if (g_uri_get_query (uri) != NULL)
    full_path = g_strconcat (g_uri_get_path (uri), "?", g_uri_get_query (uri), NULL);
  else
    full_path = g_strdup (g_uri_get_path (uri));

  self->n_requests++;
  g_free (self->last_method);
  self->last_method = g_strdup (method);
  g_free (self->last_path);
  self->last_path = g_strdup (full_path);
  g_free (self->last_auth);
  self->last_auth = g_strdup (soup_message_headers_get_one (request_headers, "Authorization"));
  g_free (self->last_body);
  self->last_body = NULL;
  if (request_body != NULL && request_body->length > 0)
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
      self->last_body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }

  route = find_route (self, method, full_path);
  if (route == NULL)
    {
      static const char not_found[] = "{\"detail\":\"Not Found\"}";

      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        not_found, strlen (not_found));
      return;
    }

  if (route->flags & MOCK_HANG)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (self->paused, g_object_ref (msg));
      return;
    }

  soup_server_message_set_status (msg, route->status, NULL);
  if (route->headers != NULL)
    for (guint i = 0; i + 1 < route->headers->len; i += 2)
      soup_message_headers_append (soup_server_message_get_response_headers (msg),
                                   route->headers->pdata[i], route->headers->pdata[i + 1]);

  if (route->flags & MOCK_CHUNKED)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
      SoupMessageBody *body = soup_server_message_get_response_body (msg);
      gsize len = strlen (route->body);

      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (headers, route->content_type, NULL);
      for (gsize off = 0; off < len; off += 1000)
        soup_message_body_append (body, SOUP_MEMORY_COPY, route->body + off, MIN (1000, len - off));
      soup_message_body_complete (body);
      return;
    }

  soup_server_message_set_response (msg, route->content_type, SOUP_MEMORY_COPY,
                                    route->body, strlen (route->body));
}

static MockServer *
mock_server_new_internal (gboolean tls)
{
  MockServer *self = g_new0 (MockServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  GSList *uris;

  if (tls)
    {
      certificate = g_tls_certificate_new_from_pem (test_tls_pem, -1, &error);
      g_assert_no_error (error);
      self->server = soup_server_new ("tls-certificate", certificate, NULL);
    }
  else
    {
      self->server = soup_server_new (NULL, NULL);
    }

  self->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
  self->paused = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (self->server, NULL, mock_handler, self, NULL);

  soup_server_listen_local (self->server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY | (tls ? SOUP_SERVER_LISTEN_HTTPS : 0),
                            &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  self->url = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  /* "http://127.0.0.1:PORT/" → without the slash */
  if (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';

  return self;
}

MockServer *
mock_server_new (void)
{
  return mock_server_new_internal (FALSE);
}

MockServer *
mock_server_new_tls (void)
{
  return mock_server_new_internal (TRUE);
}

void
mock_server_free (MockServer *self)
{
  for (guint i = 0; i < self->paused->len; i++)
    {
      SoupServerMessage *msg = self->paused->pdata[i];

      soup_server_message_set_status (msg, 503, NULL);
      soup_server_message_unpause (msg);
    }
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  /* let the connections wind down */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_ptr_array_unref (self->paused);
  g_ptr_array_unref (self->routes);
  g_free (self->url);
  g_free (self->last_method);
  g_free (self->last_path);
  g_free (self->last_auth);
  g_free (self->last_body);
  g_free (self);
}

const char *
mock_server_get_url (MockServer *self)
{
  return self->url;
}

SoupServer *
mock_server_get_soup (MockServer *self)
{
  return self->server;
}

void
mock_server_add (MockServer *self,
                 const char *method,
                 const char *path,
                 guint       status,
                 const char *content_type,
                 const char *body,
                 MockFlags   flags)
{
  Route *route = g_new0 (Route, 1);

  route->method = g_strdup (method);
  route->path = g_strdup (path);
  route->status = status;
  route->content_type = g_strdup (content_type != NULL ? content_type : "application/json");
  route->body = g_strdup (body != NULL ? body : "");
  route->flags = flags;
  g_ptr_array_add (self->routes, route);
}

void
mock_server_add_fixture (MockServer *self,
                         JsonObject *rest)
{
  JsonNode *content_type = json_object_get_member (rest, "content_type");

  mock_server_add (self,
                   json_object_get_string_member (rest, "method"),
                   json_object_get_string_member (rest, "path"),
                   (guint) json_object_get_int_member (rest, "status"),
                   content_type != NULL && JSON_NODE_HOLDS_VALUE (content_type)
                     ? json_node_get_string (content_type) : NULL,
                   json_object_get_string_member (rest, "body"),
                   MOCK_NORMAL);
}

void
mock_server_add_header (MockServer *self,
                        const char *method,
                        const char *path,
                        const char *name,
                        const char *value)
{
  Route *route = find_route (self, method, path);

  g_assert_nonnull (route);
  if (route->headers == NULL)
    route->headers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (route->headers, g_strdup (name));
  g_ptr_array_add (route->headers, g_strdup (value));
}

guint
mock_server_get_n_requests (MockServer *self)
{
  return self->n_requests;
}

const char *
mock_server_last_method (MockServer *self)
{
  return self->last_method;
}

const char *
mock_server_last_path (MockServer *self)
{
  return self->last_path;
}

const char *
mock_server_last_auth (MockServer *self)
{
  return self->last_auth;
}

const char *
mock_server_last_body (MockServer *self)
{
  return self->last_body;
}

JsonNode *
mock_server_last_json (MockServer *self)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_assert_nonnull (self->last_body);
  node = lablink_json_parse (self->last_body, -1, &error);
  g_assert_no_error (error);
  return node;
}

/* ------------------------------------------------------------------------ */
/* Ports                                                                    */

guint16
test_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  /* closed without listen(): connecting to it is refused */
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* ------------------------------------------------------------------------ */
/* TLS tests                                                                */

gboolean
test_tls_available (void)
{
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return FALSE;
    }
  return TRUE;
}

/* The leak checker of GCC 12 crashes at exit on the thread-local storage of
 * the dlopen()ed TLS module (glib-networking), which has nothing to do with
 * the code under test: the child ends with _exit(). */
gboolean
test_run_in_child (guint timeout_s)
{
  if (g_test_subprocess ())
    return TRUE;

  g_test_trap_subprocess (NULL, (guint64) timeout_s * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Running programs                                                         */

static void
no_controlling_terminal (gpointer user_data)
{
  setsid ();
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

int
test_run_program (const char * const *argv,
                  const char * const *env_extra,
                  guint               timeout_s,
                  char              **stdout_text,
                  char              **stderr_text)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  TestWaiter waiter = { 0 };

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env_extra[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1] != NULL ? pair[1] : "", TRUE);
    }
  g_subprocess_launcher_set_child_setup (launcher, no_controlling_terminal, NULL, NULL);

  g_test_message ("running %s %s…", argv[0], argv[1] != NULL ? argv[1] : "");
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  /* Meanwhile the context turns, so that an in-process server answers. */
  g_subprocess_communicate_utf8_async (process, NULL, NULL, test_waiter_cb, &waiter);
  TEST_WAIT (waiter.result != NULL, timeout_s * 1000);
  if (waiter.result == NULL)
    {
      g_test_message ("%s did not finish within %u s: killing it", argv[0], timeout_s);
      g_subprocess_force_exit (process);
    }

  result = test_waiter_wait (&waiter);
  g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error);
  g_assert_no_error (error);

  g_test_message ("%s → stdout: %s\nstderr: %s", argv[1] != NULL ? argv[1] : argv[0],
                  out != NULL ? out : "", err != NULL ? err : "");
  if (stdout_text != NULL)
    *stdout_text = g_steal_pointer (&out);
  if (stderr_text != NULL)
    *stderr_text = g_steal_pointer (&err);

  if (!g_subprocess_get_if_exited (process))
    return -1;
  return g_subprocess_get_exit_status (process);
}

/* ---- a LablinkClient on a replaying server ---- */

void
test_replay_setup (TestReplay    *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->patched = test_fixture_load ("lablink-1.2.5-patched.jsonl");
  fixture->auth = test_fixture_load ("lablink-1.2.5-auth.jsonl");
  fixture->server = mock_server_new ();
  fixture->client = lablink_client_new (mock_server_get_url (fixture->server), &error);
  g_assert_no_error (error);
  lablink_client_set_timeout (fixture->client, 10);
}

void
test_replay_teardown (TestReplay    *fixture,
                      gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->server, mock_server_free);
  g_clear_pointer (&fixture->patched, g_ptr_array_unref);
  g_clear_pointer (&fixture->auth, g_ptr_array_unref);
}

void
test_replay_add (TestReplay *fixture,
                 GPtrArray  *lines,
                 const char *scenario,
                 const char *method,
                 const char *path,
                 guint       status,
                 guint       nth)
{
  mock_server_add_fixture (fixture->server,
                           test_fixture_find_rest (lines, scenario, method, path, status, nth));
}

/* ---- blocking LablinkClient calls ---- */

JsonNode *
test_client_request (LablinkClient  *client,
                     const char     *method,
                     const char     *path,
                     JsonNode       *body,
                     GError        **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_request_async (client, method, path, body, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_request_finish (client, result, error);
}

JsonNode *
test_client_send_command (LablinkClient  *client,
                          const char     *equipment_id,
                          const char     *action,
                          JsonObject     *parameters,
                          GError        **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_send_command_async (client, equipment_id, action, parameters, NULL,
                                     test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_send_command_finish (client, result, error);
}

JsonNode *
test_client_capture_waveform (LablinkClient  *client,
                              const char     *equipment_id,
                              guint           channel,
                              GError        **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_capture_waveform_async (client, equipment_id, channel, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_capture_waveform_finish (client, result, error);
}
