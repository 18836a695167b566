/* test-client-tls.c — LablinkClient over TLS to lablink-sim: trust, pinning, a changed certificate
 *
 * The simulator serves the self-signed test certificates of tests/data/tls
 * (--tls-cert/--tls-key); no system trusts them, so every connection goes
 * through the pin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "client-test-util.h"

/* `openssl x509 -in server-a.pem -noout -fingerprint -sha256` */
#define FINGERPRINT_A_HEX "D0:8D:50:83:BD:06:1C:38:CA:D3:27:B6:9F:C0:8D:D6:" \
                          "E3:77:54:78:8E:8E:48:E6:56:91:EF:3C:36:23:93:BA"
#define FINGERPRINT_A     "SHA256:0I1Qg70GHDjK0ye2n8CN1uN3VHiOjkjmVpHvPDYjk7o"

static char *
tls_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "tls", name, NULL);
}

static char *
fingerprint_of (const char *pem)
{
  g_autofree char *path = tls_file (pem);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_file (path, &error);

  g_assert_no_error (error);
  return lablink_certificate_get_fingerprint (certificate);
}

static TestSim *
spawn_tls_sim (const char *name)
{
  g_autofree char *pem_name = g_strconcat (name, ".pem", NULL);
  g_autofree char *key_name = g_strconcat (name, ".key", NULL);
  g_autofree char *cert = tls_file (pem_name);
  g_autofree char *key = tls_file (key_name);
  const char *args[] = { "--tls-cert", cert, "--tls-key", key, NULL };
  TestSim *sim = test_sim_spawn (args);

  g_assert_true (g_str_has_prefix (test_sim_get_url (sim), "https://"));
  return sim;
}

/* Each test runs in a child process that ends with _exit(): see
 * test_run_in_child(). */
#define TLS_CHILD_TIMEOUT_S 120

static JsonNode *
get_info (LablinkClient  *client,
          GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  TestWaiter waiter = { 0 };

  lablink_client_get_info_async (client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_get_info_finish (client, result, error);
}

/* The fingerprint's forms: computed, ssh-like base64, openssl's hex. */
static void
test_fingerprint_format (void)
{
  g_autofree char *computed = fingerprint_of ("server-a.pem");
  g_autofree char *from_hex = lablink_certificate_normalize_fingerprint (FINGERPRINT_A_HEX, NULL);
  g_autofree char *padded = lablink_certificate_normalize_fingerprint (" " FINGERPRINT_A "= ", NULL);
  g_autofree char *bare = lablink_certificate_normalize_fingerprint (FINGERPRINT_A + 7, NULL);
  g_autofree char *other = fingerprint_of ("server-b.pem");
  g_autoptr(GError) error = NULL;
  char *bad;

  g_assert_cmpstr (computed, ==, FINGERPRINT_A);
  g_assert_cmpstr (from_hex, ==, FINGERPRINT_A);
  g_assert_cmpstr (padded, ==, FINGERPRINT_A);
  g_assert_cmpstr (bare, ==, FINGERPRINT_A);
  g_assert_true (lablink_certificate_fingerprint_equal (FINGERPRINT_A_HEX, FINGERPRINT_A));
  g_assert_false (lablink_certificate_fingerprint_equal (other, FINGERPRINT_A));
  g_assert_false (lablink_certificate_fingerprint_equal (NULL, FINGERPRINT_A));

  bad = lablink_certificate_normalize_fingerprint ("SHA256:abc", &error);
  g_assert_null (bad);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  bad = lablink_certificate_normalize_fingerprint ("SHA256:0I1Qg70GHDjK0ye2n8CN1uN3VHiOjkjmVpHvPDYjk7!", &error);
  g_assert_null (bad);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
}

static void
test_pin_property (void)
{
  g_autoptr(LablinkClient) client = lablink_client_new ("https://127.0.0.1:8443", NULL);
  g_autoptr(LablinkClient) ipv6 = lablink_client_new ("https://[::1]", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *address = lablink_client_dup_server_address (client);
  g_autofree char *address6 = lablink_client_dup_server_address (ipv6);
  g_autofree char *property = NULL;

  g_assert_cmpstr (address, ==, "127.0.0.1:8443");
  g_assert_cmpstr (address6, ==, "[::1]:443");
  g_assert_null (lablink_client_get_pinned_certificate (client));
  g_assert_true (lablink_client_set_pinned_certificate (client, FINGERPRINT_A_HEX, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lablink_client_get_pinned_certificate (client), ==, FINGERPRINT_A);
  g_object_get (client, "pinned-certificate", &property, NULL);
  g_assert_cmpstr (property, ==, FINGERPRINT_A);

  /* a bad pin leaves the old one */
  g_assert_false (lablink_client_set_pinned_certificate (client, "SHA256:nonsense", &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (lablink_client_get_pinned_certificate (client), ==, FINGERPRINT_A);

  g_assert_true (lablink_client_set_pinned_certificate (client, "", NULL));
  g_assert_null (lablink_client_get_pinned_certificate (client));
}

/* Untrusted: refused before any request, with the fingerprint to confirm. */
static void
test_untrusted (void)
{
  g_autoptr(TestSim) sim = NULL;
  g_autoptr(LablinkClient) client = NULL;
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *peer = NULL;
  g_autofree char *address = NULL;

  if (!test_tls_available () || !test_run_in_child (TLS_CHILD_TIMEOUT_S))
    return;

  sim = spawn_tls_sim ("server-a");
  client = lablink_client_new (test_sim_get_url (sim), &error);
  g_assert_no_error (error);
  g_assert_null (lablink_client_get_peer_certificate (client));

  info = get_info (client, &error);
  g_assert_null (info);
  g_test_message ("%s", error->message);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_UNTRUSTED_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, FINGERPRINT_A));
  address = lablink_client_dup_server_address (client);
  g_assert_nonnull (strstr (error->message, address));
  g_assert_nonnull (strstr (error->message, "not trusted"));

  g_assert_nonnull (lablink_client_get_peer_certificate (client));
  peer = lablink_client_dup_peer_fingerprint (client);
  g_assert_cmpstr (peer, ==, FINGERPRINT_A);
  g_assert_true (lablink_client_get_peer_certificate_errors (client) & G_TLS_CERTIFICATE_UNKNOWN_CA);

  _exit (0);
}

/* Pinned: REST works, with the same client after the refusal too. */
static void
test_pinned (void)
{
  g_autoptr(TestSim) sim = NULL;
  g_autoptr(LablinkClient) client = NULL;
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;

  if (!test_tls_available () || !test_run_in_child (TLS_CHILD_TIMEOUT_S))
    return;

  sim = spawn_tls_sim ("server-a");
  client = lablink_client_new (test_sim_get_url (sim), &error);
  g_assert_no_error (error);

  info = get_info (client, &error);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_UNTRUSTED_CERTIFICATE);
  g_clear_error (&error);

  g_assert_true (lablink_client_set_pinned_certificate (client, FINGERPRINT_A, &error));
  info = get_info (client, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (info));
  again = get_info (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);

  _exit (0);
}

/* Changed: another certificate than the pinned one is refused, saying both. */
static void
test_changed (void)
{
  g_autoptr(TestSim) sim = NULL;
  g_autoptr(LablinkClient) client = NULL;
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint_b = NULL;
  g_autofree char *peer = NULL;

  if (!test_tls_available () || !test_run_in_child (TLS_CHILD_TIMEOUT_S))
    return;

  fingerprint_b = fingerprint_of ("server-b.pem");
  sim = spawn_tls_sim ("server-b");
  client = lablink_client_new (test_sim_get_url (sim), &error);
  g_assert_no_error (error);
  g_assert_true (lablink_client_set_pinned_certificate (client, FINGERPRINT_A, &error));

  info = get_info (client, &error);
  g_assert_null (info);
  g_test_message ("%s", error->message);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_CERTIFICATE_CHANGED);
  g_assert_nonnull (strstr (error->message, "has changed"));
  /* old, then new */
  g_assert_nonnull (strstr (error->message, FINGERPRINT_A));
  g_assert_nonnull (strstr (error->message, fingerprint_b));
  g_assert_true (strstr (error->message, FINGERPRINT_A) < strstr (error->message, fingerprint_b));
  peer = lablink_client_dup_peer_fingerprint (client);
  g_assert_cmpstr (peer, ==, fingerprint_b);
  /* the pin is the user's: a refusal does not change it */
  g_assert_cmpstr (lablink_client_get_pinned_certificate (client), ==, FINGERPRINT_A);

  _exit (0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tls/fingerprint-format", test_fingerprint_format);
  g_test_add_func ("/tls/pin-property", test_pin_property);
  g_test_add_func ("/tls/untrusted", test_untrusted);
  g_test_add_func ("/tls/pinned", test_pinned);
  g_test_add_func ("/tls/changed", test_changed);

  return g_test_run ();
}
