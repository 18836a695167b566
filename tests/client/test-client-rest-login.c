/* test-client-rest-login.c — LablinkClient's login, token refresh and
 * refusals against a SoupServer replaying the real server's recorded
 * answers (security on)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "client-test-util.h"

typedef TestReplay Fixture;

static gboolean
login (Fixture     *fixture,
       const char  *user,
       const char  *password,
       GError     **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_login_async (fixture->client, user, password, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_login_finish (fixture->client, result, error);
}

static gboolean
refresh (Fixture  *fixture,
         GError  **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_refresh_async (fixture->client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_refresh_finish (fixture->client, result, error);
}

static char *
body_member (JsonObject *rest,
             const char *name)
{
  g_autoptr(JsonNode) body = lablink_json_parse (json_object_get_string_member (rest, "body"), -1, NULL);

  return g_strdup (json_object_get_string_member (json_node_get_object (body), name));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_login (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JsonObject *refused, *accepted, *refreshed, *refresh_refused;
  g_autofree char *token = NULL;
  g_autofree char *refresh_token = NULL;
  g_autofree char *new_token = NULL;
  g_autofree char *bearer = NULL;
  g_autofree char *ws = NULL;
  g_autofree char *expected_ws = NULL;
  g_autofree char *escaped = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) sent_refresh = NULL;
  g_autoptr(GPtrArray) list = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  guint notified_logged_in = 0, notified_username = 0;

  refused = test_fixture_find_rest (fixture->auth, "auth", "POST", "/api/security/login", 401, 0);
  accepted = test_fixture_find_rest (fixture->auth, "auth", "POST", "/api/security/login", 200, 0);
  refreshed = test_fixture_find_rest (fixture->auth, "auth", "POST", "/api/security/refresh", 200, 0);
  refresh_refused = test_fixture_find_rest (fixture->auth, "auth", "POST", "/api/security/refresh", 401, 0);
  token = body_member (accepted, "access_token");
  refresh_token = body_member (accepted, "refresh_token");
  new_token = body_member (refreshed, "access_token");
  test_replay_add (fixture, fixture->auth, "auth", "GET", "/api/equipment/list", 200, 0);

  g_signal_connect (fixture->client, "notify::logged-in", G_CALLBACK (count_notify), &notified_logged_in);
  g_signal_connect (fixture->client, "notify::username", G_CALLBACK (count_notify), &notified_username);

  /* refresh before any login */
  g_assert_false (refresh (fixture, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_clear_error (&error);

  /* wrong password */
  mock_server_add_fixture (fixture->server, refused);
  g_assert_false (login (fixture, "admin", "wrong-password", &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Invalid username or password. 4 attempts remaining."));
  g_assert_null (strstr (error->message, "wrong-password"));
  g_clear_error (&error);
  g_assert_false (lablink_client_get_logged_in (fixture->client));
  g_assert_cmpuint (notified_logged_in, ==, 0);

  /* the login request: JSON credentials, no Authorization */
  sent = mock_server_last_json (fixture->server);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent), "username"), ==, "admin");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent), "password"), ==, "wrong-password");
  g_assert_null (mock_server_last_auth (fixture->server));

  /* good password */
  mock_server_add_fixture (fixture->server, accepted);
  g_assert_true (login (fixture, "admin", "Peer-Test-123", &error));
  g_assert_no_error (error);
  g_assert_true (lablink_client_get_logged_in (fixture->client));
  g_assert_cmpstr (lablink_client_get_username (fixture->client), ==, "admin");
  g_assert_cmpstr (lablink_client_get_access_token (fixture->client), ==, token);
  g_assert_cmpuint (notified_logged_in, ==, 1);
  g_assert_cmpuint (notified_username, ==, 1);

  escaped = g_uri_escape_string (token, NULL, FALSE);
  expected_ws = g_strdup_printf ("ws://%s/ws?token=%s",
                                 mock_server_get_url (fixture->server) + strlen ("http://"), escaped);
  ws = lablink_client_dup_ws_url (fixture->client);
  g_assert_cmpstr (ws, ==, expected_ws);

  /* every REST request now carries the token */
  lablink_client_list_equipment_async (fixture->client, NULL, test_waiter_cb, &waiter);
  r1 = test_waiter_wait (&waiter);
  list = lablink_client_list_equipment_finish (fixture->client, r1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  bearer = g_strconcat ("Bearer ", token, NULL);
  g_assert_cmpstr (mock_server_last_auth (fixture->server), ==, bearer);

  /* refresh: sends the refresh token, keeps the new access token */
  mock_server_add_fixture (fixture->server, refreshed);
  g_assert_true (refresh (fixture, &error));
  g_assert_no_error (error);
  sent_refresh = mock_server_last_json (fixture->server);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (sent_refresh), "refresh_token"), ==, refresh_token);
  g_assert_cmpstr (lablink_client_get_access_token (fixture->client), ==, new_token);
  g_assert_true (lablink_client_get_logged_in (fixture->client));
  g_assert_cmpuint (notified_logged_in, ==, 1);

  /* a refused refresh */
  mock_server_add_fixture (fixture->server, refresh_refused);
  g_assert_false (refresh (fixture, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "Invalid or expired refresh token"));
  g_clear_error (&error);

  /* logout: no token any more */
  lablink_client_logout (fixture->client);
  g_assert_false (lablink_client_get_logged_in (fixture->client));
  g_assert_null (lablink_client_get_username (fixture->client));
  g_assert_cmpuint (notified_logged_in, ==, 2);
  g_assert_cmpuint (notified_username, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);
  lablink_client_list_equipment_async (fixture->client, NULL, test_waiter_cb, &waiter);
  r2 = test_waiter_wait (&waiter);
  list = lablink_client_list_equipment_finish (fixture->client, r2, &error);
  g_assert_no_error (error);
  g_assert_null (mock_server_last_auth (fixture->server));
}

static void
test_forbidden (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  mock_server_add (fixture->server, "GET", "/api/equipment/list", 403, "text/plain", "", 0);
  node = test_client_request (fixture->client, "GET", "/api/equipment/list", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "log in"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TEST_REPLAY_ADD ("/rest/login", test_login);
  TEST_REPLAY_ADD ("/rest/forbidden", test_forbidden);

  return g_test_run ();
}
