/* test-cli.c — lablink-cli's usage, help and exit codes, and its commands
 * against a SoupServer replaying the recorded answers of a real server
 *
 * Against the simulator: test-cli-sim.c (REST commands, locks, TLS, stats,
 * login), test-cli-stream.c (stream) and test-cli-acquire.c (acquire).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cli-test-util.h"

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
#undef ADD

  return g_test_run ();
}
