/* test-gui-keyring.c — server passwords in the user's keyring
 *
 * Run by with-keyring.sh with a private Secret Service (its own D-Bus
 * session and gnome-keyring-daemon in a temporary home); skips, saying why,
 * where the machine has none or the build has no libsecret.
 *
 * A login that succeeds keeps the password in the keyring (never in the
 * settings); the window opened again logs in with it without asking; a
 * wrong stored password falls back to the login dialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lablink-login-dialog.h"
#include "lablink-secret.h"
#include "monitor-test-util.h"

static const char *auth_args[] = { "--auth=admin:s3cret", NULL };

static char *
lookup (const char *url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter waiter = { 0 };

  lablink_secret_lookup_async (url, "admin", NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_secret_lookup_finish (result, &error);
}

static void
store (const char *url,
       const char *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter waiter = { 0 };

  lablink_secret_store_async (url, "admin", password, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  g_assert_true (lablink_secret_store_finish (result, &error));
  g_assert_no_error (error);
}

static gboolean
stored_is (const char *url,
           const char *password)
{
  g_autofree char *found = lookup (url);
  return g_strcmp0 (found, password) == 0;
}

static LablinkWindow *
reopen (LablinkApplication *app,
        LablinkWindow      *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  test_run_for (100);
  /* a start without --server: the servers kept in the settings */
  lablink_application_set_options (app, NULL, NULL, NULL, FALSE);
  window = lablink_application_open_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  return window;
}

static void
test_keyring (void)
{
  g_autoptr(TestSim) sim = NULL;
  g_autoptr(GVariant) kept = NULL;
  g_autofree char *printed = NULL;
  LablinkApplication *app;
  LablinkWindow *window;
  GtkWidget *dialog;
  g_autofree char *url = NULL;

  if (!lablink_secret_is_supported ())
    {
      g_test_skip ("built without libsecret (-Dlibsecret=disabled)");
      return;
    }
  if (g_getenv ("LABLINK_TEST_KEYRING") == NULL)
    {
      g_autofree char *why = g_strdup_printf ("no private Secret Service: %s",
                                              g_getenv ("LABLINK_TEST_NO_KEYRING") ? g_getenv ("LABLINK_TEST_NO_KEYRING")
                                                                                  : "not run by with-keyring.sh");
      g_test_skip (why);
      return;
    }

  sim = test_sim_spawn (auth_args);
  app = mt_app_new ();

  /* --server URL --user admin: asked, logged in, kept in the keyring. */
  lablink_application_set_options (app, test_sim_get_url (sim), NULL, "admin", FALSE);
  window = lablink_application_open_window (app);
  url = g_strdup (lablink_session_get_server_url (lablink_window_get_session (window)));
  g_assert_false (stored_is (url, "s3cret"));
  dialog = lablink_window_get_login_dialog (window);
  g_assert_nonnull (dialog);
  lablink_login_dialog_set_credentials (LABLINK_LOGIN_DIALOG (dialog), "admin", "s3cret");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "login");
  g_assert_true (mt_wait_connected (window, TEST_TIMEOUT_MS));
  TEST_WAIT (stored_is (url, "s3cret"), TEST_TIMEOUT_MS);
  g_assert_true (stored_is (url, "s3cret"));

  /* The settings keep the server and the user, not the password. */
  kept = g_settings_get_value (lablink_session_get_settings (lablink_window_get_session (window)), "servers");
  printed = g_variant_print (kept, FALSE);
  g_test_message ("servers: %s", printed);
  g_assert_nonnull (strstr (printed, "admin"));
  g_assert_null (strstr (printed, "s3cret"));

  /* The next start logs in with the kept password, without asking. */
  window = reopen (app, window);
  g_assert_true (mt_wait_connected (window, TEST_TIMEOUT_MS));
  g_assert_null (lablink_window_get_login_dialog (window));
  g_assert_cmpstr (lablink_session_get_username (lablink_window_get_session (window)), ==, "admin");

  /* A wrong kept password: the dialog asks, the right one is kept. */
  store (url, "outdated");
  window = reopen (app, window);
  TEST_WAIT (lablink_window_get_login_dialog (window) != NULL, TEST_TIMEOUT_MS);
  dialog = lablink_window_get_login_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_false (lablink_session_get_connected (lablink_window_get_session (window)));
  g_assert_cmpstr (lablink_login_dialog_get_username (LABLINK_LOGIN_DIALOG (dialog)), ==, "admin");
  lablink_login_dialog_set_credentials (LABLINK_LOGIN_DIALOG (dialog), NULL, "s3cret");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "login");
  g_assert_true (mt_wait_connected (window, TEST_TIMEOUT_MS));
  TEST_WAIT (stored_is (url, "s3cret"), TEST_TIMEOUT_MS);
  g_assert_true (stored_is (url, "s3cret"));

  lablink_secret_clear_sync (url, "admin", NULL);
  mt_close (app, window);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add_func ("/gui/keyring/login-kept", test_keyring);

  return g_test_run ();
}
