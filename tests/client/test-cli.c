/* test-cli.c — lablink-cli exit codes and output, against a replaying
 * SoupServer and against the simulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "client-test-util.h"

#define CLI_TIMEOUT_S 30

static int
run_cli (const char * const *env_extra,
         char              **out,
         char              **err,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) LABLINK_CLI_PATH);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return test_run_program ((const char * const *) argv->pdata, env_extra, CLI_TIMEOUT_S, out, err);
}

static gboolean
cli_test_on_timeout (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* pieces of @text split at newlines ("a\nb\n" → 3) */
static guint
count_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strv_length (lines);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack ? haystack : "(null)", needle);
}

/* ------------------------------------------------------------------------ */
/* Usage                                                                    */

static void
test_usage_errors (void)
{
  static const char *cases[][6] = {
    { NULL },
    { "frobnicate", NULL },
    { "status", NULL },
    { "status", "a", "b", NULL },
    { "--server", "ftp://example.org", "list", NULL },
    { "--ws-url", "http://x/ws", "list", NULL },
    { "list", "--no-such-option", NULL },
    { "acquire", "ps_250e6dfe", NULL },
    { "acquire", "ps_250e6dfe", "--channels", "CH1,,CH2", NULL },
    { "stream", "ps_250e6dfe", "spectrum", NULL },
    { "stream", "ps_250e6dfe", "readings", "--interval-ms", "0", NULL },
    { "command", "ps_250e6dfe", "set_voltage", "voltage", NULL },
    { "--timeout", "-1", "list", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char * const *c = cases[i];
      int status = run_cli (NULL, &out, &err, c[0], c[1], c[2], c[3], c[4], c[5], NULL);

      g_assert_cmpint (status, ==, 2);
      g_assert_true (g_str_has_prefix (err, "lablink-cli: "));
      assert_contains (err, "--help");
      g_assert_cmpstr (out, ==, "");
    }
}

static void
test_help (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;

  g_assert_cmpint (run_cli (NULL, &out, &err, "--help", NULL), ==, 0);
  assert_contains (out, "Commands:");
  assert_contains (out, "acquire");
  assert_contains (out, "--server");

  g_assert_cmpint (run_cli (NULL, &out2, NULL, "stream", "--help", NULL), ==, 0);
  assert_contains (out2, "--interval-ms");
}

/* Every command line of "--help" has its summary in the same column,
 * counted in characters ("…" is one), after at least two spaces. */
static void
test_help_aligned (void)
{
  const char *env[] = { "LC_ALL=C.UTF-8", NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  glong column = -1;
  guint n_commands = 0;
  gboolean in_commands = FALSE;

  g_assert_cmpint (run_cli (env, &out, NULL, "--help", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *gap, *summary;
      glong at;

      if (g_str_equal (line, "Commands:"))
        {
          in_commands = TRUE;
          continue;
        }
      if (!in_commands)
        continue;
      if (line[0] == '\0')
        break;

      g_assert_true (g_str_has_prefix (line, "  ") && line[2] != ' ');
      gap = strstr (line + 2, "  ");
      if (gap == NULL)
        g_error ("no gap between synopsis and summary in “%s”", line);
      for (summary = gap; *summary == ' '; summary++)
        ;
      at = g_utf8_pointer_to_offset (line, summary);
      if (column < 0)
        column = at;
      else if (at != column)
        g_error ("“%s”: summary in column %ld, not %ld", line, at, column);
      n_commands++;
    }

  g_assert_cmpuint (n_commands, >=, 8);
  assert_contains (out, "command ID ACTION [KEY=VALUE…]");
}

static void
test_connection_refused (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", test_free_port ());
  g_autofree char *expected = g_strdup_printf ("lablink-cli: Could not connect to %s: is the "
                                               "LabLink server running?\n", url);
  g_autofree char *env = g_strconcat ("LABLINK_SERVER=", url, NULL);
  const char *env_extra[] = { env, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;

  g_assert_cmpint (run_cli (NULL, &out, &err, "--server", url, "list", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, expected);

  /* $LABLINK_SERVER is the default server */
  g_assert_cmpint (run_cli (env_extra, NULL, &err2, "info", NULL), ==, 1);
  g_assert_cmpstr (err2, ==, expected);
}

/* ------------------------------------------------------------------------ */
/* Against recorded answers                                                 */

typedef struct {
  GPtrArray *patched;
  GPtrArray *auth;
  MockServer *server;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->patched = test_fixture_load ("lablink-1.2.5-patched.jsonl");
  fixture->auth = test_fixture_load ("lablink-1.2.5-auth.jsonl");
  fixture->server = mock_server_new ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->server, mock_server_free);
  g_clear_pointer (&fixture->patched, g_ptr_array_unref);
  g_clear_pointer (&fixture->auth, g_ptr_array_unref);
}

static void
replay (Fixture    *fixture,
        GPtrArray  *lines,
        const char *scenario,
        const char *method,
        const char *path,
        guint       status)
{
  mock_server_add_fixture (fixture->server,
                           test_fixture_find_rest (lines, scenario, method, path, status, 0));
}

static void
test_mock_list_info (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *url = mock_server_get_url (fixture->server);
  g_autofree char *out = NULL;
  g_autofree char *json_out = NULL;
  g_autofree char *info_out = NULL;
  g_autofree char *info_json = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *first;

  replay (fixture, fixture->patched, "rest-discovery", "GET", "/api/equipment/list", 200);
  replay (fixture, fixture->patched, "rest-discovery", "GET", "/api", 200);
  replay (fixture, fixture->patched, "rest-discovery", "GET", "/health", 200);

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--server", url, "list", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "ID "));
  assert_contains (out, "scope_386959fc  oscilloscope     Mock Instruments MockScope-2000");
  assert_contains (out, "ps_250e6dfe");
  assert_contains (out, "MOCK::LOAD::0");
  g_assert_cmpuint (count_lines (out), ==, 5);  /* header, 3 rows, "" */

  g_assert_cmpint (run_cli (NULL, &json_out, NULL, "list", "--json", "--server", url, NULL), ==, 0);
  list = lablink_json_parse (json_out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 3);
  first = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, "scope_386959fc");
  g_assert_cmpstr (json_object_get_string_member (first, "type"), ==, "oscilloscope");
  g_assert_true (json_object_get_null_member (first, "nickname"));

  g_assert_cmpint (run_cli (NULL, &info_out, NULL, "--server", url, "info", NULL), ==, 0);
  assert_contains (info_out, "Version:    1.2.5");
  assert_contains (info_out, "Health:     healthy (3 connected devices)");
  assert_contains (info_out, "Security:   disabled");
  assert_contains (info_out, "/ws");

  g_assert_cmpint (run_cli (NULL, &info_json, NULL, "--server", url, "info", "--json", NULL), ==, 0);
  info = lablink_json_parse (info_json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (info), "info"), "version"), ==, "1.2.5");
}

static void
test_mock_status (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *url = mock_server_get_url (fixture->server);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(GError) error = NULL;

  replay (fixture, fixture->patched, "rest-discovery", "GET", "/api/equipment/ps_250e6dfe/status", 200);
  replay (fixture, fixture->patched, "rest-discovery", "GET", "/api/equipment/nosuch_00000000/status", 404);

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--server", url, "status", "ps_250e6dfe", NULL), ==, 0);
  status = lablink_json_parse (out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (status), "firmware_version"), ==, "v2.1.0-mock");

  g_assert_cmpint (run_cli (NULL, &out2, &err, "--server", url, "status", "nosuch_00000000", NULL), ==, 1);
  g_assert_cmpstr (out2, ==, "");
  g_assert_true (g_str_has_prefix (err, "lablink-cli: Device not found"));
}

static void
test_mock_command (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *url = mock_server_get_url (fixture->server);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) sent = NULL;
  JsonObject *params;

  replay (fixture, fixture->patched, "rest-setup", "POST", "/api/equipment/ps_250e6dfe/command", 200);

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--server", url, "command", "ps_250e6dfe",
                            "set_voltage", "voltage=5.0", "channel=1", "label=\"x\"", NULL), ==, 0);
  assert_contains (out, "\"success\": true");
  sent = mock_server_last_json (fixture->server);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent), "action"), ==, "set_voltage");
  params = json_object_get_object_member (json_node_get_object (sent), "parameters");
  g_assert_cmpfloat (json_object_get_double_member (params, "voltage"), ==, 5.0);
  g_assert_cmpint (json_object_get_int_member (params, "channel"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (params, "label"), ==, "x");

  /* (this server has no lock routes: the command goes without a lock) */

  /* locks on: 401 → exit 1 with the server's words, and what to do */
  replay (fixture, fixture->patched, "rest-setup", "POST", "/api/equipment/ps_250e6dfe/command", 401);
  g_assert_cmpint (run_cli (NULL, NULL, &err, "--server", url, "command", "ps_250e6dfe",
                            "set_voltage", "voltage=5.0", NULL), ==, 1);
  assert_contains (err, "session_id required");
  assert_contains (err, "take the lock first");
  g_assert_null (strstr (err, "login"));
}

/* The recorded lock flow: session, lock, the command with its session_id,
 * then the session ended (which releases the lock). */
static void
test_mock_command_locked (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *url = mock_server_get_url (fixture->server);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) sent = NULL;

  replay (fixture, fixture->patched, "rest-setup", "POST", "/api/locks/sessions/create", 200);
  replay (fixture, fixture->patched, "rest-setup", "POST", "/api/locks/acquire", 200);
  replay (fixture, fixture->patched, "rest-setup", "POST", "/api/equipment/ps_250e6dfe/command", 200);
  /* not in the recording: the real server's answer shape (server/api/locks.py) */
  mock_server_add (fixture->server, "DELETE", "/api/locks/sessions/cc4468f6-e149-4887-931f-5ace341302ea", 200, NULL,
                   "{\"success\":true,\"message\":\"Session ended\","
                   "\"session_id\":\"cc4468f6-e149-4887-931f-5ace341302ea\",\"locks_released\":1}", 0);

  g_assert_cmpint (run_cli (NULL, &out, &err, "--server", url, "command", "ps_250e6dfe",
                            "set_voltage", "voltage=5.0", "channel=1", NULL), ==, 0);
  assert_contains (out, "\"success\": true");
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpstr (mock_server_last_method (fixture->server), ==, "DELETE");

  /* --keep-lock: no DELETE, the session id on stderr */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (NULL, &out, &err, "--server", url, "command", "--keep-lock", "ps_250e6dfe",
                            "set_voltage", "voltage=5.0", "channel=1", NULL), ==, 0);
  g_assert_cmpstr (mock_server_last_method (fixture->server), ==, "POST");
  sent = mock_server_last_json (fixture->server);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent), "session_id"), ==,
                   "cc4468f6-e149-4887-931f-5ace341302ea");
  assert_contains (err, "--lock-session=cc4468f6-e149-4887-931f-5ace341302ea");
}

static void
test_mock_login (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *url = mock_server_get_url (fixture->server);
  const char *good_env[] = { "LABLINK_PASSWORD=Peer-Test-123", NULL };
  const char *bad_env[] = { "LABLINK_PASSWORD=wrong-password", NULL };
  JsonObject *accepted;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bearer = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *info_out = NULL;

  if (fixture->auth == NULL)
    return;
  accepted = test_fixture_find_rest (fixture->auth, "auth", "POST", "/api/security/login", 200, 0);
  body = lablink_json_parse (json_object_get_string_member (accepted, "body"), -1, &error);
  g_assert_no_error (error);
  bearer = g_strconcat ("Bearer ", json_object_get_string_member (json_node_get_object (body), "access_token"), NULL);
  replay (fixture, fixture->auth, "auth", "GET", "/api/equipment/list", 200);
  replay (fixture, fixture->auth, "auth", "GET", "/api", 200);
  mock_server_add_fixture (fixture->server, accepted);

  g_assert_cmpint (run_cli (good_env, &out, NULL, "--server", url, "--user", "admin", "list", NULL), ==, 0);
  assert_contains (out, "ps_250e6dfe");
  g_assert_cmpstr (mock_server_last_path (fixture->server), ==, "/api/equipment/list");
  g_assert_cmpstr (mock_server_last_auth (fixture->server), ==, bearer);

  /* info never prints the token */
  g_assert_cmpint (run_cli (good_env, &info_out, NULL, "--server", url, "--user", "admin", "info", NULL), ==, 0);
  assert_contains (info_out, "Security:   enabled (logged in)");
  assert_contains (info_out, "?token=…");
  g_assert_null (strstr (info_out, json_object_get_string_member (json_node_get_object (body), "access_token")));

  /* wrong password: exit 1, the server's words, never the password */
  replay (fixture, fixture->auth, "auth", "POST", "/api/security/login", 401);
  g_assert_cmpint (run_cli (bad_env, NULL, &err, "--server", url, "--user", "admin", "list", NULL), ==, 1);
  assert_contains (err, "Invalid username or password");
  g_assert_null (strstr (err, "wrong-password"));

  /* no password and no terminal */
  g_assert_cmpint (run_cli (NULL, NULL, &err2, "--server", url, "--user", "admin", "list", NULL), ==, 1);
  assert_contains (err2, "LABLINK_PASSWORD");
}

static void
test_mock_server_error (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *url = mock_server_get_url (fixture->server);
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;

  mock_server_add (fixture->server, "GET", "/api/equipment/list", 500, "text/plain; charset=utf-8",
                   "Internal Server Error", 0);
  g_assert_cmpint (run_cli (NULL, NULL, &err, "--server", url, "list", NULL), ==, 1);
  assert_contains (err, "lablink-cli: Internal Server Error (HTTP 500");

  mock_server_add (fixture->server, "GET", "/api", 200, "text/html", "<html></html>", 0);
  g_assert_cmpint (run_cli (NULL, NULL, &err2, "--server", url, "info", NULL), ==, 1);
  assert_contains (err2, "not valid JSON");
}

/* ------------------------------------------------------------------------ */
/* Against the simulator                                                    */

/* The simulator's lock table has no session left. */
static void
assert_no_lock_left (const char *url)
{
  g_autoptr(LablinkClient) client = lablink_client_new (url, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter waiter = { 0 };
  JsonObject *locks;

  lablink_client_request_async (client, "GET", "/api/sim/status", NULL, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  status = lablink_client_request_finish (client, result, &error);
  g_assert_no_error (error);
  locks = json_object_get_object_member (json_node_get_object (status), "locks");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (locks, "sessions")), ==, 0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (
    json_object_get_object_member (locks, "table"), "exclusive_locks")), ==, 0);
}

static void
test_sim_rest_commands (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autofree char *out = NULL;
  g_autofree char *info = NULL;
  g_autofree char *json_out = NULL;
  g_autofree char *command_out = NULL;
  g_autofree char *status_out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GError) error = NULL;

  if (sim == NULL)
    return;

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--server", test_sim_get_url (sim), "list", NULL), ==, 0);
  assert_contains (out, "ps_250e6dfe");
  assert_contains (out, "scope_386959fc");
  assert_contains (out, "load_47fa0d5c");

  g_assert_cmpint (run_cli (NULL, &json_out, NULL, "--server", test_sim_get_url (sim), "list", "--json", NULL), ==, 0);
  list = lablink_json_parse (json_out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), >=, 3);

  g_assert_cmpint (run_cli (NULL, &info, NULL, "--server", test_sim_get_url (sim), "info", NULL), ==, 0);
  assert_contains (info, "Server:     ");
  assert_contains (info, test_sim_get_url (sim));
  assert_contains (info, "Health:     healthy");

  g_assert_cmpint (run_cli (NULL, &command_out, NULL, "--server", test_sim_get_url (sim), "command",
                            "ps_250e6dfe", "set_voltage", "voltage=3.3", "channel=1", NULL), ==, 0);
  assert_contains (command_out, "\"success\": true");
  assert_no_lock_left (test_sim_get_url (sim));

  g_assert_cmpint (run_cli (NULL, &status_out, NULL, "--server", test_sim_get_url (sim), "status", "ps_250e6dfe", NULL), ==, 0);
  assert_contains (status_out, "\"id\": \"ps_250e6dfe\"");

  g_assert_cmpint (run_cli (NULL, NULL, &err, "--server", test_sim_get_url (sim), "status", "nosuch_00000000", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err, "lablink-cli: "));

  test_sim_free (sim);
}

/* TLS with a self-signed certificate: refused with the option that trusts
 * it, accepted with it (REST and WebSocket), refused once it changed. */
static void
test_sim_tls (void)
{
  g_autofree char *cert_a = g_test_build_filename (G_TEST_DIST, "data", "tls", "server-a.pem", NULL);
  g_autofree char *key_a = g_test_build_filename (G_TEST_DIST, "data", "tls", "server-a.key", NULL);
  g_autofree char *cert_b = g_test_build_filename (G_TEST_DIST, "data", "tls", "server-b.pem", NULL);
  g_autofree char *key_b = g_test_build_filename (G_TEST_DIST, "data", "tls", "server-b.key", NULL);
  const char *args_a[] = { "--tls-cert", cert_a, "--tls-key", key_a, NULL };
  const char *args_b[] = { "--tls-cert", cert_b, "--tls-key", key_b, NULL };
  const char *pin_a = "SHA256:0I1Qg70GHDjK0ye2n8CN1uN3VHiOjkjmVpHvPDYjk7o";
  g_autofree char *option = g_strconcat ("--accept-certificate=", pin_a, NULL);
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *err3 = NULL;
  g_autofree char *err4 = NULL;
  g_autofree char *out = NULL;
  g_autofree char *stats = NULL;
  TestSim *sim;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return;
    }

  sim = test_sim_spawn (args_a);
  g_assert_true (g_str_has_prefix (test_sim_get_url (sim), "https://"));

  /* untrusted: the fingerprint and the exact option to pass */
  g_assert_cmpint (run_cli (NULL, NULL, &err, "--server", test_sim_get_url (sim), "list", NULL), ==, 1);
  g_test_message ("%s", err);
  assert_contains (err, "not trusted");
  assert_contains (err, option);
  /* the WebSocket alike, and without retrying for ever */
  g_assert_cmpint (run_cli (NULL, NULL, &err2, "--server", test_sim_get_url (sim), "stats", "-d", "1", NULL), ==, 1);
  assert_contains (err2, option);

  /* pinned (any form of the fingerprint): REST and wss work */
  g_assert_cmpint (run_cli (NULL, &out, NULL, "--server", test_sim_get_url (sim), option, "list", NULL), ==, 0);
  assert_contains (out, "ps_250e6dfe");
  g_assert_cmpint (run_cli (NULL, &stats, NULL, "--server", test_sim_get_url (sim),
                            "--accept-certificate", "D0:8D:50:83:BD:06:1C:38:CA:D3:27:B6:9F:C0:8D:D6:"
                            "E3:77:54:78:8E:8E:48:E6:56:91:EF:3C:36:23:93:BA",
                            "stats", "-d", "1", NULL), ==, 0);
  assert_contains (stats, "Reconnects:");

  /* not a fingerprint: a usage error */
  g_assert_cmpint (run_cli (NULL, NULL, &err3, "--server", test_sim_get_url (sim),
                            "--accept-certificate=SHA256:nope", "list", NULL), ==, 2);
  assert_contains (err3, "--accept-certificate");
  test_sim_free (sim);

  /* the same server with another certificate: refused, old and new named */
  sim = test_sim_spawn (args_b);
  g_assert_cmpint (run_cli (NULL, NULL, &err4, "--server", test_sim_get_url (sim), option, "list", NULL), ==, 1);
  g_test_message ("%s", err4);
  assert_contains (err4, "has changed");
  assert_contains (err4, pin_a);
  assert_contains (err4, "--accept-certificate=SHA256:");
  g_assert_null (strstr (err4, option));
  test_sim_free (sim);
}

static void
test_sim_keep_lock (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *err3 = NULL;
  g_autofree char *out = NULL;
  g_autofree char *option = NULL;
  g_autofree char *expected = NULL;
  const char *id;

  if (sim == NULL)
    return;

  g_assert_cmpint (run_cli (NULL, NULL, &err, "--server", test_sim_get_url (sim), "command", "--keep-lock",
                            "ps_250e6dfe", "set_voltage", "voltage=2", "channel=1", NULL), ==, 0);
  id = strstr (err, "--lock-session=");
  g_assert_nonnull (id);
  option = g_strndup (id, strlen ("--lock-session=") + 36);

  /* someone else is told who holds it */
  g_assert_cmpint (run_cli (NULL, NULL, &err2, "--server", test_sim_get_url (sim), "command", "ps_250e6dfe",
                            "set_output", "enabled=true", "channel=1", NULL), ==, 1);
  expected = g_strdup_printf ("lablink-cli: ps_250e6dfe is controlled by %s@%s since ", g_get_user_name (),
                              g_get_host_name ());
  g_assert_true (g_str_has_prefix (err2, expected));

  /* the script's next command keeps control, then lets go */
  g_assert_cmpint (run_cli (NULL, &out, &err3, "--server", test_sim_get_url (sim), "command", option,
                            "ps_250e6dfe", "set_output", "enabled=true", "channel=1", NULL), ==, 0);
  assert_contains (out, "\"success\": true");
  assert_no_lock_left (test_sim_get_url (sim));

  test_sim_free (sim);
}

static void
test_sim_stream (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  if (sim == NULL)
    return;

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--server", test_sim_get_url (sim), "stream", "ps_250e6dfe",
                            "readings", "--count", "3", "--interval-ms", "50", "--duration", "20",
                            NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonNode) data = lablink_json_parse (lines[i], -1, NULL);

      g_assert_nonnull (data);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (data), "equipment_id"), ==, "ps_250e6dfe");
      g_assert_true (json_object_has_member (json_node_get_object (data), "voltage_set"));
    }

  /* a scope has no readings stream */
  g_assert_cmpint (run_cli (NULL, NULL, &err, "--server", test_sim_get_url (sim), "stream", "scope_386959fc",
                            "readings", "--count", "1", NULL), ==, 1);
  assert_contains (err, "waveform, measurements");

  test_sim_free (sim);
}

static void
read_first_line_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TestWaiter *waiter = user_data;

  waiter->result = g_object_ref (result);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static void
test_sim_stream_sigint (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  TestWaiter waiter = { 0 };
  gboolean done = FALSE;

  if (sim == NULL)
    return;

  process = test_spawn ((const char * const[]) { LABLINK_CLI_PATH, "--server", test_sim_get_url (sim),
                                                  "stream", "load_47fa0d5c", "readings",
                                                  "--duration", "3600", NULL },
                       G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, read_first_line_cb, &waiter);
  result = test_waiter_wait (&waiter);
  line = g_data_input_stream_read_line_finish_utf8 (lines, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  assert_contains (line, "load_47fa0d5c");

  /* Ctrl-C: a clean stop, exit status 0, long before --duration */
  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  if (!test_wait_for_flag (&done, TEST_TIMEOUT_MS))
    {
      g_subprocess_force_exit (process);
      test_wait_for_flag (&done, TEST_TIMEOUT_MS);
      g_error ("lablink-cli did not stop on SIGINT");
    }
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  test_sim_free (sim);
}

static gint64
parse_time (const char *text)
{
  gint64 usec = 0;

  g_assert_true (lablink_parse_timestamp (text, strlen (text), &usec));
  return usec;
}

static guint
count_acquisitions (TestSim *sim)
{
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  lablink_client_list_acquisitions_async (client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  list = lablink_client_list_acquisitions_finish (client, result, &error);
  g_assert_no_error (error);
  array = JSON_NODE_HOLDS_OBJECT (list)
    ? json_object_get_array_member (json_node_get_object (list), "sessions")
    : json_node_get_array (list);
  return json_array_get_length (array);
}

static void
test_sim_acquire (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autofree char *out = NULL;
  g_autofree char *sessions = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 last = G_MININT64;
  guint n;

  if (sim == NULL)
    return;

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--server", test_sim_get_url (sim), "acquire", "ps_250e6dfe",
                            "--channels", "CH1,CH2", "--rate", "50", "--num-samples", "40",
                            "--duration", "20", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, ==, 42);  /* header, 40 samples, "" */
  g_assert_cmpstr (lines[0], ==, "timestamp,CH1,CH2");
  for (guint i = 1; i < 41; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      gint64 t;

      g_assert_cmpuint (g_strv_length (cells), ==, 3);
      t = parse_time (cells[0]);
      /* consecutive frames overlap: no sample twice, in order */
      g_assert_cmpint (t, >, last);
      last = t;
      g_assert_cmpuint (strlen (cells[1]), >, 0);
    }

  /* the acquisition was stopped and deleted */
  g_assert_cmpuint (count_acquisitions (sim), ==, 0);

  test_sim_free (sim);
}

static void
test_sim_acquire_sigint (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  if (sim == NULL)
    return;

  process = test_spawn ((const char * const[]) { LABLINK_CLI_PATH, "--server", test_sim_get_url (sim),
                                                  "acquire", "ps_250e6dfe", "--channels", "CH1",
                                                  "--rate", "20", "--duration", "3600", NULL },
                       G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  /* the header, then a first sample */
  for (int i = 0; i < 2; i++)
    {
      TestWaiter waiter = { 0 };
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *line = NULL;

      g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, read_first_line_cb, &waiter);
      result = test_waiter_wait (&waiter);
      line = g_data_input_stream_read_line_finish_utf8 (lines, result, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (i == 0)
        g_assert_cmpstr (line, ==, "timestamp,CH1");
    }
  g_assert_cmpuint (count_acquisitions (sim), ==, 1);

  /* Ctrl-C: stopped and deleted on the server, exit status 0 */
  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  if (!test_wait_for_flag (&done, TEST_TIMEOUT_MS))
    {
      g_subprocess_force_exit (process);
      test_wait_for_flag (&done, TEST_TIMEOUT_MS);
      g_error ("lablink-cli acquire did not stop on SIGINT");
    }
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpuint (count_acquisitions (sim), ==, 0);

  test_sim_free (sim);
}

typedef struct {
  gboolean done;
  char *out;
  char *err;
} LostCommunicated;

static void
lost_communicate_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  LostCommunicated *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, &c->err, NULL);
  c->done = TRUE;
}

/* The server is killed and a fresh one (without the acquisition) starts on
 * the same port: acquire says the acquisition is gone and exits 1, instead
 * of waiting silently forever (issue 10). */
static void
test_sim_acquire_server_lost (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  LostCommunicated c = { 0 };

  if (sim == NULL)
    return;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              LABLINK_CLI_PATH, "--server", test_sim_get_url (sim), "acquire", "ps_250e6dfe",
                              "--channels", "CH1", "--rate", "20", "--duration", "100", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  /* the header, then a first sample */
  for (int i = 0; i < 2; i++)
    {
      TestWaiter waiter = { 0 };
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *line = NULL;

      g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, read_first_line_cb, &waiter);
      result = test_waiter_wait (&waiter);
      line = g_data_input_stream_read_line_finish_utf8 (lines, result, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
    }

  /* SIGKILL, then a fresh simulator on the same port: it never heard of
   * the acquisition */
  test_sim_kill (sim);
  test_sim_restart (sim);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, lost_communicate_cb, &c);
  if (!test_wait_for_flag (&c.done, TEST_TIMEOUT_MS))
    {
      g_subprocess_force_exit (process);
      test_wait_for_flag (&c.done, 5000);
      g_error ("lablink-cli acquire did not notice that the server lost the acquisition");
    }
  g_test_message ("stderr: %s", c.err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  assert_contains (c.err, "is gone from the server");

  g_free (c.out);
  g_free (c.err);
  test_sim_free (sim);
}

static void
test_sim_stats (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autofree char *out = NULL;

  if (sim == NULL)
    return;

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--server", test_sim_get_url (sim), "stats", "--duration", "1", NULL), ==, 0);
  assert_contains (out, "Messages received:");
  assert_contains (out, "State:              connected");

  test_sim_free (sim);
}

/* A stream manager of the test's own, connected to @sim: streams are
 * global, so it sees the frames of streams any client runs. */
static LablinkStreamManager *
connect_listener (TestSim *sim)
{
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = lablink_stream_manager_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter waiter = { 0 };

  lablink_stream_manager_connect_async (manager, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  g_assert_true (lablink_stream_manager_connect_finish (manager, result, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&manager);
}

/* The character column where the value of "LABEL: VALUE" starts; fails
 * when the line has no colon, or nothing but a space after it. */
static glong
value_column (const char *line)
{
  const char *colon = strchr (line, ':');
  const char *value;

  if (colon == NULL || colon[1] != ' ')
    g_error ("“%s” is not “LABEL: VALUE”", line);
  for (value = colon + 1; *value == ' '; value++)
    ;
  g_assert_cmpint (*value, !=, '\0');
  return g_utf8_pointer_to_offset (line, value);
}

/* "stats": each label apart from its value, the values in one column (one
 * for the counters and error kinds, one for the streams). */
static void
test_sim_stats_aligned (void)
{
  /* Hostile frames that count as errors without closing the link (invalid
   * UTF-8 would: libsoup closes with 1007, and a loaded machine may then see
   * no stream frame in the whole run). */
  static const char * const args[] = { "--hostile-rate", "40",
                                       "--hostile-kinds", "bad-json,wrong-types,unknown-type,deep-nesting", NULL };
  TestSim *sim = test_sim_spawn (args);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  glong column = -1, stream_column = -1;
  gboolean in_streams = FALSE, saw_error_kind = FALSE, saw_stream = FALSE;

  if (sim == NULL)
    return;

  manager = connect_listener (sim);
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, "ps_250e6dfe", "readings",
                                                                100, &error));
  g_assert_no_error (error);

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--server", test_sim_get_url (sim), "stats", "--duration", "5",
                            NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      glong at = value_column (lines[i]);

      if (in_streams)
        {
          g_assert_true (g_str_has_prefix (lines[i], "  "));
          if (stream_column < 0)
            stream_column = at;
          g_assert_cmpint (at, ==, stream_column);
          saw_stream = saw_stream || g_str_has_prefix (lines[i], "  ps_250e6dfe_readings:");
          continue;
        }

      if (column < 0)
        column = at;
      if (at != column)
        g_error ("“%s”: value in column %ld, not %ld", lines[i], at, column);
      saw_error_kind = saw_error_kind || g_str_has_prefix (lines[i], "  ");
      in_streams = g_str_has_prefix (lines[i], "Streams:");
    }

  g_assert_true (saw_error_kind);
  g_assert_true (saw_stream);

  lablink_stream_manager_disconnect (manager);
  test_sim_free (sim);
}

/* Arrival times (monotonic µs) of one stream's frames, as a listener sees them */
typedef struct {
  const char *key;
  GArray *times;
} FrameLog;

static void
frame_log_cb (LablinkStreamManager *manager,
              LablinkMessage       *message,
              gpointer              user_data)
{
  FrameLog *log = user_data;
  gint64 now = g_get_monotonic_time ();

  if (g_strcmp0 (lablink_message_get_stream_key (message), log->key) == 0)
    g_array_append_val (log->times, now);
}

static gboolean
frame_log_wait (FrameLog *log,
                guint     n_frames,
                guint     timeout_s)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, cli_test_on_timeout, &expired);

  while (log->times->len < n_frames && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return log->times->len >= n_frames;
}

/* The mean gap between the frames from @first on, in ms */
static double
frame_log_mean_gap_ms (FrameLog *log,
                       guint     first)
{
  guint last = log->times->len - 1;

  g_assert_cmpuint (last, >, first);
  return (g_array_index (log->times, gint64, last) - g_array_index (log->times, gint64, first)) /
         1000.0 / (last - first);
}

/* Streams are global: "stream" on a stream another client runs must leave
 * its interval alone (unless --interval-ms is given) and never stop it. */
static void
test_sim_stream_shared (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  FrameLog log = { "ps_250e6dfe_readings", NULL };
  guint first;

  if (sim == NULL)
    return;

  log.times = g_array_new (FALSE, FALSE, sizeof (gint64));
  manager = connect_listener (sim);
  g_signal_connect (manager, "stream-data", G_CALLBACK (frame_log_cb), &log);
  /* slower than the 300 ms the command used to listen before starting */
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, "ps_250e6dfe", "readings",
                                                                700, &error));
  g_assert_no_error (error);
  g_assert_true (frame_log_wait (&log, 1, 30));

  /* without --interval-ms: it only listens */
  g_assert_cmpint (run_cli (NULL, &out, &err, "--server", test_sim_get_url (sim), "stream", "ps_250e6dfe",
                            "readings", "-n", "3", "--duration", "60", NULL), ==, 0);
  g_assert_cmpuint (count_lines (out), ==, 4);

  /* the first client's stream still runs, at its own interval */
  first = log.times->len;
  if (!frame_log_wait (&log, first + 4, 30))
    g_error ("the stream stopped when lablink-cli exited");
  g_assert_cmpfloat (frame_log_mean_gap_ms (&log, first), >=, 500);
  assert_contains (err, "already runs");

  /* with --interval-ms: it changes the interval for everyone, says so, and
   * still leaves the stream running */
  g_assert_cmpint (run_cli (NULL, &out2, &err2, "--server", test_sim_get_url (sim), "stream", "ps_250e6dfe",
                            "readings", "-n", "2", "--interval-ms", "250", "--duration", "60",
                            NULL), ==, 0);
  g_assert_cmpuint (count_lines (out2), ==, 3);
  assert_contains (err2, "every client");
  first = log.times->len;
  if (!frame_log_wait (&log, first + 4, 30))
    g_error ("the stream stopped when lablink-cli exited");

  lablink_stream_manager_disconnect (manager);
  g_array_unref (log.times);
  test_sim_free (sim);
}

static char *
read_line (GDataInputStream *lines)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, read_first_line_cb, &waiter);
  result = test_waiter_wait (&waiter);
  line = g_data_input_stream_read_line_finish_utf8 (lines, result, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL)
    g_error ("lablink-cli closed stderr early");
  return line;
}

static void
sim_broadcast (TestSim    *sim,
               const char *text)
{
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter waiter = { 0 };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  lablink_client_request_async (client, "POST", "/api/sim/broadcast", body, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  answer = lablink_client_request_finish (client, result, &error);
  g_assert_no_error (error);
}

/* A silent stream: stderr says when polling starts, and when frames come
 * over the WebSocket again */
static void
test_sim_stream_polling (void)
{
  static const char * const args[] = { "--silent-streams", "readings", NULL };
  static const char frame[] =
    "{\"type\": \"stream_data\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", "
    "\"data\": {\"equipment_id\": \"ps_250e6dfe\", \"timestamp\": \"2026-11-25T17:39:49.400093\", "
    "\"channel\": 1, \"voltage_set\": 5.0, \"current_set\": 1.0, \"voltage_actual\": 5.0, "
    "\"current_actual\": 0.5, \"output_enabled\": true, \"in_cv_mode\": true, \"in_cc_mode\": false}}";
  TestSim *sim = test_sim_spawn (args);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  if (sim == NULL)
    return;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, LABLINK_CLI_PATH, "--server", test_sim_get_url (sim), "stream",
                              "ps_250e6dfe", "readings", "--duration", "60", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));

  for (;;)
    {
      g_autofree char *line = read_line (lines);

      if (strstr (line, "falling back to REST polling") != NULL)
        break;
    }

  sim_broadcast (sim, frame);
  for (;;)
    {
      g_autofree char *line = read_line (lines);

      if (strstr (line, "streaming resumed") != NULL)
        break;
    }

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  if (!test_wait_for_flag (&done, 15000))
    {
      g_subprocess_force_exit (process);
      test_wait_for_flag (&done, 5000);
      g_error ("lablink-cli stream did not stop on SIGINT");
    }
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  test_sim_free (sim);
}

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TestWaiter *waiter = user_data;

  waiter->result = g_object_ref (result);
}

/* Sums the N of every "dropped N frames" line of @err */
static guint64
sum_drop_reports (const char *err)
{
  g_auto(GStrv) lines = g_strsplit (err, "\n", -1);
  guint64 sum = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = strstr (lines[i], "lablink-cli: dropped ");

      if (at != NULL)
        sum += g_ascii_strtoull (at + strlen ("lablink-cli: dropped "), NULL, 10);
    }
  return sum;
}

/* stdout blocked: the frames the command could not print in time are
 * dropped, and stderr says how many */
static void
test_sim_stream_drops (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *received = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *dropped = NULL;
  g_autofree char *unprinted = NULL;
  FrameLog log = { "ps_250e6dfe_readings", NULL };
  TestWaiter waiter = { 0 };
  guint64 n_received, n_printed, n_dropped;

  if (sim == NULL)
    return;

  log.times = g_array_new (FALSE, FALSE, sizeof (gint64));
  manager = connect_listener (sim);
  g_signal_connect (manager, "stream-data", G_CALLBACK (frame_log_cb), &log);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, LABLINK_CLI_PATH, "--server", test_sim_get_url (sim), "stream",
                              "ps_250e6dfe", "readings", "--interval-ms", "1", "--duration", "250",
                              NULL);
  g_assert_no_error (error);

  /* Nobody reads stdout: once the pipe (64 KiB, ~230 lines) and the
   * manager's queue (256 frames) are full, frames are dropped. */
  if (!frame_log_wait (&log, 1000, 120))
    g_error ("the stream delivered only %u frames", log.times->len);

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &waiter);
  result = test_waiter_wait (&waiter);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_test_message ("stderr: %s", err);

  regex = g_regex_new ("ps_250e6dfe_readings: ([0-9]+) frames received, ([0-9]+) printed, "
                       "([0-9]+) dropped \\(consumer too slow\\), ([0-9]+) unprinted at the end", 0, 0, &error);
  g_assert_no_error (error);
  if (!g_regex_match (regex, err, 0, &match))
    g_error ("no summary of dropped frames in “%s”", err);
  received = g_match_info_fetch (match, 1);
  printed = g_match_info_fetch (match, 2);
  dropped = g_match_info_fetch (match, 3);
  n_received = g_ascii_strtoull (received, NULL, 10);
  n_printed = g_ascii_strtoull (printed, NULL, 10);
  n_dropped = g_ascii_strtoull (dropped, NULL, 10);

  g_assert_cmpuint (n_dropped, >, 0);
  g_assert_cmpuint (n_printed, ==, count_lines (out) - 1);
  g_assert_cmpuint (n_printed + n_dropped, <=, n_received);
  unprinted = g_match_info_fetch (match, 4);
  g_assert_cmpuint (n_printed + n_dropped + g_ascii_strtoull (unprinted, NULL, 10), ==, n_received);
  /* the reports along the way and at the end add up to the total */
  g_assert_cmpuint (sum_drop_reports (err), ==, n_dropped);

  lablink_stream_manager_disconnect (manager);
  g_array_unref (log.times);
  test_sim_free (sim);
}

static void
test_sim_auth (void)
{
  static const char * const args[] = { "--auth", "admin:S3cret-pass", NULL };
  TestSim *sim = test_sim_spawn (args);
  const char *env[] = { "LABLINK_PASSWORD=S3cret-pass", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (sim == NULL)
    return;

  /* the token reaches the WebSocket too */
  g_assert_cmpint (run_cli (env, &out, NULL, "--server", test_sim_get_url (sim), "--user", "admin", "stream",
                            "ps_250e6dfe", "readings", "--count", "2", "--duration", "20", NULL), ==, 0);
  g_assert_cmpuint (count_lines (out), ==, 3);

  /* without a login the WebSocket is refused: exit 1 and a hint */
  g_assert_cmpint (run_cli (NULL, NULL, &err, "--server", test_sim_get_url (sim), "stats", "--duration", "1",
                            NULL), ==, 1);
  assert_contains (err, "--user");

  test_sim_free (sim);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/help-aligned", test_help_aligned);
  g_test_add_func ("/cli/connection-refused", test_connection_refused);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli/mock/list-info", test_mock_list_info);
  ADD ("/cli/mock/status", test_mock_status);
  ADD ("/cli/mock/command", test_mock_command);
  ADD ("/cli/mock/command-locked", test_mock_command_locked);
  ADD ("/cli/mock/login", test_mock_login);
  ADD ("/cli/mock/server-error", test_mock_server_error);

  g_test_add_func ("/cli/sim/rest-commands", test_sim_rest_commands);
  g_test_add_func ("/cli/sim/keep-lock", test_sim_keep_lock);
  g_test_add_func ("/cli/sim/stream", test_sim_stream);
  g_test_add_func ("/cli/sim/stream-sigint", test_sim_stream_sigint);
  g_test_add_func ("/cli/sim/stream-shared", test_sim_stream_shared);
  g_test_add_func ("/cli/sim/stream-polling", test_sim_stream_polling);
  g_test_add_func ("/cli/sim/stream-drops", test_sim_stream_drops);
  g_test_add_func ("/cli/sim/acquire", test_sim_acquire);
  g_test_add_func ("/cli/sim/acquire-sigint", test_sim_acquire_sigint);
  g_test_add_func ("/cli/sim/acquire-server-lost", test_sim_acquire_server_lost);
  g_test_add_func ("/cli/sim/stats", test_sim_stats);
  g_test_add_func ("/cli/sim/stats-aligned", test_sim_stats_aligned);
  g_test_add_func ("/cli/sim/auth", test_sim_auth);
  g_test_add_func ("/cli/sim/tls", test_sim_tls);

  return g_test_run ();
}
