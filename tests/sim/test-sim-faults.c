/* test-sim-faults.c — security on the WebSocket and fault injection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sim-test-util.h"

typedef SimFixture Fixture;

static void
configure (LablinkSimServer *server,
           gpointer          user_data)
{
  const char *mode = user_data;

  if (g_strcmp0 (mode, "auth") == 0)
    lablink_sim_server_set_auth (server, "admin", "Peer-Test-123");
  else if (g_strcmp0 (mode, "drop-after-messages") == 0)
    lablink_sim_server_set_drop_after_messages (server, 5);
  else if (g_strcmp0 (mode, "drop-after-ms") == 0)
    lablink_sim_server_set_drop_after_ms (server, 300);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  sim_fixture_start (f, configure, (gpointer) data);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sim_fixture_stop (f);
}

/* A dropped connection: no close frame (libsoup reports 0, or 1006). */
static void
assert_abrupt (WsClient *client)
{
  g_assert_true (client->close_code == 0 || client->close_code == SOUP_WEBSOCKET_CLOSE_ABNORMAL);
}

static void
ping_pong (WsClient *client)
{
  g_autoptr(WsFrame) pong = NULL;

  ws_send (client, "{\"type\": \"ping\"}");
  pong = ws_wait_type (client, "pong", NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (pong);
  g_assert_cmpstr (pong->text, ==, "{\"type\": \"pong\"}");
}

/* A raw upgrade request, to see the real HTTP answer. */
static char *
raw_upgrade (Fixture    *f,
             const char *path_and_query)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (f->url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *request = NULL;
  char buffer[2048];
  gsize n = 0;
  GInputStream *in;

  g_socket_client_set_timeout (socket_client, 5);
  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", (guint16) g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);

  request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                             path_and_query, g_uri_get_port (uri));
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request, strlen (request),
                             NULL, NULL, &error);
  g_assert_no_error (error);

  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_input_stream_read_all (in, buffer, sizeof buffer - 1, &n, NULL, &error);
  g_assert_no_error (error);
  buffer[n] = '\0';
  return g_strdup (buffer);
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *no_token = raw_upgrade (f, "/ws");
  g_autofree char *bad_token = raw_upgrade (f, "/ws?token=not-a-jwt");
  g_autofree char *query = NULL;
  g_autoptr(HttpResult) login = NULL;
  WsClient *client;
  guint status = 0;

  g_test_message ("%s", no_token);
  g_assert_true (g_str_has_prefix (no_token, "HTTP/1.1 403 Forbidden\r\n"));
  g_assert_nonnull (strstr (no_token, "Content-Length: 0\r\n"));
  g_assert_true (g_str_has_prefix (bad_token, "HTTP/1.1 403 Forbidden\r\n"));

  client = ws_connect (f->session, f->url, NULL, &status);
  g_assert_null (client);
  g_assert_cmpuint (status, ==, 403);

  login = http_request (f->session, "POST", f->url, "/api/security/login",
                        "{\"username\": \"admin\", \"password\": \"Peer-Test-123\"}");
  g_assert_cmpuint (login->status, ==, 200);
  query = g_strdup_printf ("token=%s", object_get_str (http_result_object (login), "access_token"));

  client = sim_fixture_ws_connect (f, query);
  ping_pong (client);
  ws_client_free (client);
}

static void
test_drop_after_messages (Fixture       *f,
                          gconstpointer  data)
{
  WsClient *client = sim_fixture_ws_connect (f, NULL);

  ws_send (client, "{\"type\": \"start_stream\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", \"interval_ms\": 20}");
  g_assert_true (ws_wait_closed (client, TEST_TIMEOUT_MS));
  /* stream_started + 4 readings, then the TCP connection goes: no close frame */
  g_assert_cmpuint (client->n_received, ==, 5);
  assert_abrupt (client);
  ws_client_free (client);

  /* the next connection gets its own budget */
  client = sim_fixture_ws_connect (f, NULL);
  ping_pong (client);
  ws_client_free (client);
}

static void
test_drop_after_ms (Fixture       *f,
                    gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();
  WsClient *client = sim_fixture_ws_connect (f, NULL);
  gint64 elapsed_ms;

  ping_pong (client);
  g_assert_true (ws_wait_closed (client, TEST_TIMEOUT_MS));
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("dropped after %" G_GINT64_FORMAT " ms", elapsed_ms);
  /* Not before the configured time (how much later is the machine's load). */
  g_assert_cmpint (elapsed_ms, >=, 250);
  assert_abrupt (client);
  ws_client_free (client);
}

static gboolean
no_clients (gpointer data)
{
  return lablink_sim_server_get_n_clients (data) == 0;
}

typedef struct {
  LablinkSimServer *server;
  guint             n;
} ClientCount;

static gboolean
has_n_clients (gpointer data)
{
  ClientCount *c = data;

  return lablink_sim_server_get_n_clients (c->server) == c->n;
}

/* The server registers a client just after its 101 went out: wait for it. */
static void
wait_n_clients (Fixture *f,
                guint    n)
{
  ClientCount c = { sim_thread_get_server (f->sim), n };

  g_assert_true (test_wait_until (has_n_clients, &c, TEST_TIMEOUT_MS));
}

static void
test_drop_and_refuse (Fixture       *f,
                      gconstpointer  data)
{
  WsClient *a = sim_fixture_ws_connect (f, NULL);
  WsClient *b = sim_fixture_ws_connect (f, NULL);
  WsClient *c;
  g_autoptr(HttpResult) faults = NULL, drop = NULL, drop2 = NULL;
  guint status = 0;

  wait_n_clients (f, 2);
  faults = http_request (f->session, "POST", f->url, "/api/sim/faults", "{\"refuse_ms\": 400}");
  g_assert_cmpuint (faults->status, ==, 200);
  g_assert_cmpfloat (object_get_num (http_result_object (faults), "refuse_ms"), ==, 400);

  drop = http_request (f->session, "POST", f->url, "/api/sim/drop", NULL);
  g_assert_cmpfloat (object_get_num (http_result_object (drop), "dropped"), ==, 2);
  g_assert_true (ws_wait_closed (a, TEST_TIMEOUT_MS));
  g_assert_true (ws_wait_closed (b, TEST_TIMEOUT_MS));
  assert_abrupt (a);
  ws_client_free (a);
  ws_client_free (b);

  /* refused for a while … */
  c = ws_connect (f->session, f->url, NULL, &status);
  g_assert_null (c);
  g_assert_cmpuint (status, ==, 503);

  /* … then accepted again */
  test_run_for (450);
  c = sim_fixture_ws_connect (f, NULL);

  /* an orderly close with a code, on request */
  g_clear_pointer (&faults, http_result_free);
  faults = http_request (f->session, "POST", f->url, "/api/sim/faults", "{\"refuse_ms\": 0}");
  wait_n_clients (f, 1);
  drop2 = http_request (f->session, "POST", f->url, "/api/sim/drop", "{\"mode\": \"close\", \"code\": 1001}");
  g_assert_true (ws_wait_closed (c, TEST_TIMEOUT_MS));
  g_assert_cmpuint (c->close_code, ==, 1001);
  ws_client_free (c);
  g_assert_true (test_wait_until (no_clients, sim_thread_get_server (f->sim), TEST_TIMEOUT_MS));

  /* the thread-safe API drops too */
  c = sim_fixture_ws_connect (f, NULL);
  wait_n_clients (f, 1);
  lablink_sim_server_drop_connections (sim_thread_get_server (f->sim));
  g_assert_true (ws_wait_closed (c, TEST_TIMEOUT_MS));
  ws_client_free (c);
}

static void
test_latency (Fixture       *f,
              gconstpointer  data)
{
  WsClient *client = sim_fixture_ws_connect (f, NULL);
  g_autoptr(HttpResult) faults = NULL;
  gint64 start, elapsed_ms;

  ping_pong (client);

  faults = http_request (f->session, "POST", f->url, "/api/sim/faults", "{\"latency_ms\": 250}");
  start = g_get_monotonic_time ();
  ping_pong (client);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("pong after %" G_GINT64_FORMAT " ms", elapsed_ms);
  /* The added latency is a lower bound; the rest is the machine's load. */
  g_assert_cmpint (elapsed_ms, >=, 240);
  ws_client_free (client);
}

static void
test_flood (Fixture       *f,
            gconstpointer  data)
{
  WsClient *client = sim_fixture_ws_connect (f, NULL);
  LablinkSimServer *server = sim_thread_get_server (f->sim);
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) ws_frame_free);
  g_autoptr(HttpResult) flood = NULL, state = NULL;
  gint64 start, elapsed_ms;
  guint i;

  /* as fast as possible */
  wait_n_clients (f, 1);
  lablink_sim_server_flood (server, 2000, 0);
  g_assert_true (ws_collect_n (client, "stream_data", "flood", 2000, frames));
  /* and not one more */
  ws_collect (client, "stream_data", "flood", 100, frames);
  g_assert_cmpuint (frames->len, ==, 2000);
  g_assert_cmpuint (lablink_sim_server_get_flood_sent (server), ==, 2000);
  for (i = 0; i < frames->len; i++)
    {
      WsFrame *frame = g_ptr_array_index (frames, i);
      g_autofree char *seq = g_strdup_printf (", \"in_cc_mode\": false, \"seq\": %u}}", i + 1);

      g_assert_true (g_str_has_suffix (frame->text, seq));
    }
  /* the byte shape of the real PSU readings frame, plus "seq" */
  {
    WsFrame *frame = g_ptr_array_index (frames, 0);

    g_test_message ("%s", frame->text);
    g_assert_true (g_str_has_prefix (frame->text, "{\"type\": \"stream_data\", \"equipment_id\": \"flood\", "
                                                  "\"stream_type\": \"readings\", \"data\": {\"equipment_id\": \"flood\", "
                                                  "\"timestamp\": \""));
    g_assert_nonnull (strstr (frame->text, "\", \"channel\": 1, \"voltage_set\": 5.0, \"current_set\": 1.0, \"voltage_actual\": "));
    g_assert_nonnull (strstr (frame->text, ", \"output_enabled\": true, \"in_cv_mode\": true, \"in_cc_mode\": false, \"seq\": 1}}"));
  }

  /* rate-limited, through REST */
  g_ptr_array_set_size (frames, 0);
  start = g_get_monotonic_time ();
  flood = http_request (f->session, "POST", f->url, "/api/sim/flood", "{\"n_frames\": 30, \"rate_hz\": 100}");
  g_assert_cmpuint (flood->status, ==, 200);
  g_assert_true (ws_collect_n (client, "stream_data", "flood", 30, frames));
  elapsed_ms = (((WsFrame *) g_ptr_array_index (frames, frames->len - 1))->received - start) / 1000;
  g_test_message ("30 frames at 100 Hz in %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_cmpuint (frames->len, ==, 30);
  /* 30 frames at 100 Hz cannot come in less than 29 periods (minus slack) */
  g_assert_cmpint (elapsed_ms, >=, 250);
  g_assert_true (g_str_has_suffix (((WsFrame *) g_ptr_array_index (frames, 29))->text, "\"seq\": 2030}}"));

  state = http_request (f->session, "GET", f->url, "/api/sim/flood", NULL);
  g_assert_cmpfloat (object_get_num (http_result_object (state), "sent"), ==, 2030);
  g_assert_false (json_object_get_boolean_member (http_result_object (state), "running"));
  ws_client_free (client);
}

static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  WsClient *client = sim_fixture_ws_connect (f, NULL);
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) ws_frame_free);
  g_autoptr(HttpResult) faults = NULL;
  gboolean bad_json = FALSE, wrong_types = FALSE, unknown = FALSE, deep = FALSE;
  guint i;

  faults = http_request (f->session, "POST", f->url, "/api/sim/faults",
                         "{\"hostile_rate\": 100, \"hostile_kinds\": \"bad-json,wrong-types,unknown-type,deep-nesting\"}");
  g_assert_cmpuint (faults->status, ==, 200);
  /* Collected until every kind came (or the deadline, only a hang). */
  for (i = 0; !(bad_json && wrong_types && unknown && deep) && i < TEST_TIMEOUT_MS / 100; i++)
    {
      guint first = frames->len, k;

      ws_collect (client, NULL, NULL, 100, frames);
      for (k = first; k < frames->len; k++)
        {
          WsFrame *frame = g_ptr_array_index (frames, k);
          g_autoptr(JsonNode) node = parse_json (frame->text);

          if (strstr (frame->text, "[[[[[[[[[[[[[[[[") != NULL)
            deep = TRUE;
          else if (node == NULL)
            bad_json = TRUE;
          else if (strstr (frame->text, "sim_mystery_event") != NULL)
            unknown = TRUE;
          else
            wrong_types = TRUE;
        }
    }
  g_clear_pointer (&faults, http_result_free);
  faults = http_request (f->session, "POST", f->url, "/api/sim/faults", "{\"hostile_rate\": 0}");

  g_test_message ("%u hostile frames", frames->len);
  g_assert_true (bad_json);
  g_assert_true (wrong_types);
  g_assert_true (unknown);
  g_assert_true (deep);

  /* nothing of that closes the connection */
  g_assert_false (client->closed);
  ping_pong (client);
  ws_client_free (client);

  /* a text frame that is not UTF-8: libsoup's client refuses it (1007) */
  client = sim_fixture_ws_connect (f, NULL);
  g_clear_pointer (&faults, http_result_free);
  faults = http_request (f->session, "POST", f->url, "/api/sim/faults",
                         "{\"hostile_rate\": 20, \"hostile_kinds\": \"non-utf8\"}");
  g_assert_true (ws_wait_closed (client, TEST_TIMEOUT_MS));
  g_test_message ("closed with %u", client->close_code);
  g_assert_cmpuint (client->close_code, ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
  ws_client_free (client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sim/faults/auth", Fixture, "auth", fixture_setup, test_auth, fixture_teardown);
  g_test_add ("/sim/faults/drop-after-messages", Fixture, "drop-after-messages", fixture_setup,
              test_drop_after_messages, fixture_teardown);
  g_test_add ("/sim/faults/drop-after-ms", Fixture, "drop-after-ms", fixture_setup, test_drop_after_ms, fixture_teardown);
  g_test_add ("/sim/faults/drop-and-refuse", Fixture, NULL, fixture_setup, test_drop_and_refuse, fixture_teardown);
  g_test_add ("/sim/faults/latency", Fixture, NULL, fixture_setup, test_latency, fixture_teardown);
  g_test_add ("/sim/faults/flood", Fixture, NULL, fixture_setup, test_flood, fixture_teardown);
  g_test_add ("/sim/faults/hostile", Fixture, NULL, fixture_setup, test_hostile, fixture_teardown);

  return g_test_run ();
}
