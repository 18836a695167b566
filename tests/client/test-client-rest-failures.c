/* test-client-rest-failures.c — LablinkClient when answers or the network
 * fail: malformed, oversized and redirected answers, a refused connection,
 * a timeout, a cancelled call, and https:// to servers that do not speak
 * it or that are not trusted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "client-test-util.h"

typedef TestReplay Fixture;

/* ------------------------------------------------------------------------ */
/* Malformed and oversized answers                                          */

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(JsonNode) node3 = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  mock_server_add (fixture->server, "GET", "/api", 200, "text/html", "<html>hello</html>", 0);
  lablink_client_get_info_async (fixture->client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  node = lablink_client_get_info_finish (fixture->client, result, &error);
  g_assert_null (node);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_MALFORMED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  mock_server_add (fixture->server, "GET", "/truncated", 200, NULL, "{\"a\":[1,2", 0);
  node2 = test_client_request (fixture->client, "GET", "/truncated", NULL, &error);
  g_assert_null (node2);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_MALFORMED);
  g_clear_error (&error);

  /* a JSON error body with a FastAPI validation list */
  mock_server_add (fixture->server, "POST", "/api/acquisition/session/create", 422, NULL,
                   "{\"detail\":[{\"loc\":[\"body\",\"sample_rate\"],\"msg\":\"field required\","
                   "\"type\":\"value_error.missing\"}]}", 0);
  node3 = test_client_request (fixture->client, "POST", "/api/acquisition/session/create", NULL, &error);
  g_assert_null (node3);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_HTTP);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "body.sample_rate: field required"));
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) wave = NULL;
  g_autoptr(JsonNode) chunked = NULL;
  g_autoptr(JsonNode) fits = NULL;
  JsonObject *rest;

  rest = test_fixture_find_rest (fixture->patched, "rest-waveform-capture", "POST", "/api/waveform/capture", 200, 0);
  mock_server_add_fixture (fixture->server, rest);
  mock_server_add (fixture->server, "GET", "/chunked", 200, NULL,
                   json_object_get_string_member (rest, "body"), MOCK_CHUNKED);

  lablink_client_set_max_response_size (fixture->client, 10000);

  /* announced by Content-Length */
  wave = test_client_capture_waveform (fixture->client, "scope_386959fc", 1, &error);
  g_assert_null (wave);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* only seen while reading */
  chunked = test_client_request (fixture->client, "GET", "/chunked", NULL, &error);
  g_assert_null (chunked);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* the same, chunked, under the limit */
  lablink_client_set_max_response_size (fixture->client, 1000000);
  fits = test_client_request (fixture->client, "GET", "/chunked", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (fits));
}

static void
test_redirect_not_followed (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  lablink_client_set_access_token (fixture->client, "secret-token");
  mock_server_add (fixture->server, "GET", "/api", 302, "text/plain", "", 0);
  mock_server_add_header (fixture->server, "GET", "/api", "Location", "http://127.0.0.1:1/api");
  node = test_client_request (fixture->client, "GET", "/api", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_HTTP);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "redirected"));
  g_assert_null (strstr (error->message, "secret-token"));
  g_assert_cmpuint (mock_server_get_n_requests (fixture->server), ==, 1);
}

/* ------------------------------------------------------------------------ */
/* Network failures                                                         */

/* GET /api from @url, with a client timeout of @timeout_s (0: the
 * client's default): it must fail. Returns the error. */
static GError *
get_info_error (const char *url,
                guint       timeout_s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkClient) client = lablink_client_new (url, &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) info = NULL;
  TestWaiter waiter = { 0 };

  g_assert_no_error (error);
  if (timeout_s > 0)
    lablink_client_set_timeout (client, timeout_s);
  lablink_client_get_info_async (client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  info = lablink_client_get_info_finish (client, result, &error);
  g_assert_null (info);
  g_assert_nonnull (error);
  g_test_message ("%s (%s %d)", error->message, g_quark_to_string (error->domain), error->code);
  return g_steal_pointer (&error);
}

static void
test_connection_refused (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", test_free_port ());
  g_autoptr(GError) error = get_info_error (url, 0);
  g_autofree char *expected = NULL;

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  expected = g_strdup_printf ("Could not connect to %s: is the LabLink server running?", url);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* The server never answers: the client's own timeout (1 s) ends the
   * request, long before the test's deadline. */
  mock_server_add (fixture->server, "GET", "/api", 200, NULL, "{}", MOCK_HANG);
  lablink_client_set_timeout (fixture->client, 1);
  node = test_client_request (fixture->client, "GET", "/api", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "did not answer"));
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  TestWaiter waiter = { 0 };

  mock_server_add (fixture->server, "GET", "/api", 200, NULL, "{}", MOCK_HANG);
  g_timeout_add (100, cancel_later, cancellable);
  lablink_client_get_info_async (fixture->client, cancellable, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  node = lablink_client_get_info_finish (fixture->client, result, &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* already cancelled: nothing is sent */
  g_cancellable_cancel (cancelled);
  lablink_client_get_health_async (fixture->client, cancelled, test_waiter_cb, &waiter);
  result2 = test_waiter_wait (&waiter);
  node2 = lablink_client_get_health_finish (fixture->client, result2, &error);
  g_assert_null (node2);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The TLS tests run in a child process that ends with _exit(): see
 * test_run_in_child(). */
#define TLS_CHILD_TIMEOUT_S 60

static void
test_tls_plain_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  MockServer *server;

  if (!test_tls_available () || !test_run_in_child (TLS_CHILD_TIMEOUT_S))
    return;

  /* https:// to a server that does not speak TLS: the handshake never
   * completes (the server waits for a request line) */
  server = mock_server_new ();
  url = g_strconcat ("https://", mock_server_get_url (server) + strlen ("http://"), NULL);
  error = get_info_error (url, 2);
  g_assert_nonnull (strstr (error->message, url));
  g_assert_nonnull (strstr (error->message, "http://"));

  _exit (0);
}

/* A plain HTTP server that answers whatever it reads with "400 Bad Request"
 * and closes, as web servers do with a TLS ClientHello. */
static gboolean
answer_bad_request (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source,
                    gpointer           user_data)
{
  static const char answer[] = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"
                               "Content-Length: 0\r\n\r\n";
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  char buffer[512];

  (void) g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                              buffer, sizeof buffer, NULL, NULL);
  (void) g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
  (void) g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
test_tls_plain_server_answers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GSocketService) service = NULL;
  guint16 port;

  if (!test_tls_available () || !test_run_in_child (TLS_CHILD_TIMEOUT_S))
    return;

  /* the threaded service answers on its own thread while this one waits */
  service = g_threaded_socket_service_new (2);
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (answer_bad_request), NULL);
  g_socket_service_start (service);

  url = g_strdup_printf ("https://127.0.0.1:%u", port);
  error = get_info_error (url, 30);
  /* an answer, not a timeout: the 30 s are never waited for */
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  g_assert_nonnull (strstr (error->message, url));
  g_assert_nonnull (strstr (error->message, "http://"));

  _exit (0);
}

static void
test_tls_untrusted (void)
{
  g_autoptr(GError) error = NULL;
  MockServer *server;

  if (!test_tls_available () || !test_run_in_child (TLS_CHILD_TIMEOUT_S))
    return;

  server = mock_server_new_tls ();
  mock_server_add (server, "GET", "/api", 200, NULL, "{\"name\":\"LabLink Server\"}", 0);
  g_assert_true (g_str_has_prefix (mock_server_get_url (server), "https://"));

  error = get_info_error (mock_server_get_url (server), 10);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_UNTRUSTED_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, "not trusted"));
  g_assert_nonnull (strstr (error->message, "SHA256:"));
  /* the self-signed server never saw a request */
  g_assert_cmpuint (mock_server_get_n_requests (server), ==, 0);

  _exit (0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TEST_REPLAY_ADD ("/rest/malformed", test_malformed);
  TEST_REPLAY_ADD ("/rest/too-large", test_too_large);
  TEST_REPLAY_ADD ("/rest/redirect", test_redirect_not_followed);
  TEST_REPLAY_ADD ("/rest/timeout", test_timeout);
  TEST_REPLAY_ADD ("/rest/cancel", test_cancel);
  g_test_add_func ("/rest/connection-refused", test_connection_refused);
  g_test_add_func ("/rest/tls-untrusted", test_tls_untrusted);
  g_test_add_func ("/rest/tls-plain-server", test_tls_plain_server);
  g_test_add_func ("/rest/tls-plain-server-answers", test_tls_plain_server_answers);

  return g_test_run ();
}
