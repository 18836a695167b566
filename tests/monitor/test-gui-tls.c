/* test-gui-tls.c — a server with a self-signed certificate: the app asks
 * before it trusts it (LablinkCertificateDialog), connects once trusted,
 * keeps the pin in the settings, and says so when the certificate changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <unistd.h>

#include "lablink-certificate-dialog.h"
#include "monitor-test-util.h"

#define DIALOG_KEY "lablink-certificate-dialog"

static TestSim *
spawn_tls_sim (void)
{
  g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "..", "data", "tls", "server-a.pem", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "..", "data", "tls", "server-a.key", NULL);
  const char *args[] = { "--tls-cert", cert, "--tls-key", key, NULL };

  return test_sim_spawn (args);
}

static char *
fingerprint_of (const char *pem)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "tls", pem, NULL);
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_file (path, NULL);

  g_assert_nonnull (certificate);
  return lablink_certificate_get_fingerprint (certificate);
}

/* The TLS module (glib-networking) in a child that _exit()s: the leak
 * checker of GCC 12 crashes at exit on its thread-local storage. */
static gboolean
run_in_child (void)
{
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return FALSE;
    }
  if (g_test_subprocess ())
    return TRUE;
  g_test_trap_subprocess (NULL, 240 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  return FALSE;
}

static GtkWidget *
wait_dialog (LablinkSession *session)
{
  TEST_WAIT (g_object_get_data (G_OBJECT (session), DIALOG_KEY) != NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (g_object_get_data (G_OBJECT (session), DIALOG_KEY));
  return g_object_get_data (G_OBJECT (session), DIALOG_KEY);
}

static gboolean
label_shows (GtkWidget  *widget,
             const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_visible (child) &&
          g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return TRUE;
      if (label_shows (child, text))
        return TRUE;
    }
  return FALSE;
}

/* Untrusted: the dialog, nothing connected until "Trust This Server". */
static void
test_trust (void)
{
  g_autoptr(TestSim) sim = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GVariant) pins = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *server = NULL;
  g_autofree char *path = NULL;
  const char *pinned = NULL;
  LablinkApplication *app;
  LablinkWindow *window;
  LablinkSession *session;
  GtkWidget *dialog;

  if (!run_in_child ())
    return;

  sim = spawn_tls_sim ();
  fingerprint = fingerprint_of ("server-a.pem");
  server = g_strdup_printf ("127.0.0.1:%u", test_sim_get_port (sim));
  app = mt_app_new ();
  window = mt_open_window (app, test_sim_get_url (sim), FALSE);
  session = lablink_window_get_session (window);

  dialog = wait_dialog (session);
  g_assert_true (LABLINK_IS_CERTIFICATE_DIALOG (dialog));
  g_assert_cmpstr (lablink_certificate_dialog_get_server (LABLINK_CERTIFICATE_DIALOG (dialog)), ==, server);
  g_assert_cmpstr (lablink_certificate_dialog_get_fingerprint (LABLINK_CERTIFICATE_DIALOG (dialog)), ==, fingerprint);
  g_assert_true (label_shows (dialog, fingerprint));
  g_assert_true (label_shows (dialog, server));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Untrusted Certificate");
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");
  g_assert_false (lablink_session_get_connected (session));
  test_run_for (300);
  path = mt_screenshot (dialog, "certificate-dialog.png", NULL);
  g_test_message ("%s", path);

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "trust");
  g_assert_null (g_object_get_data (G_OBJECT (session), DIALOG_KEY));
  g_assert_true (mt_wait_connected (window, TEST_TIMEOUT_MS));
  g_assert_true (mt_wait_equipment (window, TEST_TIMEOUT_MS));

  settings = g_object_ref (lablink_session_get_settings (session));
  pins = g_settings_get_value (settings, "pinned-certificates");
  g_assert_true (g_variant_lookup (pins, server, "&s", &pinned));
  g_assert_cmpstr (pinned, ==, fingerprint);

  mt_close (app, window);
  _exit (0);
}

/* A changed certificate: the dialog says so, with the old fingerprint;
 * Cancel leaves the old pin and no connection. */
static void
test_changed (void)
{
  g_autoptr(TestSim) sim = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GVariant) pins = NULL;
  g_autofree char *old = NULL;
  g_autofree char *server = NULL;
  g_autofree char *path = NULL;
  GVariantBuilder builder;
  const char *pinned = NULL;
  LablinkApplication *app;
  LablinkWindow *window;
  LablinkSession *session;
  GtkWidget *dialog;

  if (!run_in_child ())
    return;

  sim = spawn_tls_sim ();
  old = fingerprint_of ("server-b.pem");
  server = g_strdup_printf ("127.0.0.1:%u", test_sim_get_port (sim));
  settings = g_settings_new ("io.github.lablinkmonitor.Monitor");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&builder, "{ss}", server, old);
  g_settings_set_value (settings, "pinned-certificates", g_variant_builder_end (&builder));

  app = mt_app_new ();
  window = mt_open_window (app, test_sim_get_url (sim), FALSE);
  session = lablink_window_get_session (window);

  dialog = wait_dialog (session);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Certificate Changed");
  g_assert_true (label_shows (dialog, old));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog), "trust"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  test_run_for (300);
  path = mt_screenshot (dialog, "certificate-changed.png", NULL);
  g_test_message ("%s", path);

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  test_run_for (500);
  g_assert_false (lablink_session_get_connected (session));
  g_assert_null (g_object_get_data (G_OBJECT (session), DIALOG_KEY));
  pins = g_settings_get_value (settings, "pinned-certificates");
  g_assert_true (g_variant_lookup (pins, server, "&s", &pinned));
  g_assert_cmpstr (pinned, ==, old);

  mt_close (app, window);
  _exit (0);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add_func ("/gui/tls/trust", test_trust);
  g_test_add_func ("/gui/tls/changed", test_changed);

  return g_test_run ();
}
