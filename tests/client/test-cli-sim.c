/* test-cli-sim.c — lablink-cli's REST commands against lablink-sim: list,
 * info, status, command (its lock, kept or let go), TLS with a pinned
 * certificate, stats, and a login that reaches the WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cli-test-util.h"

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

  g_test_add_func ("/cli/sim/rest-commands", test_sim_rest_commands);
  g_test_add_func ("/cli/sim/keep-lock", test_sim_keep_lock);
  g_test_add_func ("/cli/sim/stats", test_sim_stats);
  g_test_add_func ("/cli/sim/stats-aligned", test_sim_stats_aligned);
  g_test_add_func ("/cli/sim/auth", test_sim_auth);
  g_test_add_func ("/cli/sim/tls", test_sim_tls);

  return g_test_run ();
}
