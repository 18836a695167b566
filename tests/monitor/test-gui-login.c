/* test-gui-login.c — a server with security on: the handshake is refused,
 * the indicator says "Login required", the login dialog logs in (a wrong
 * password is told and asked again) and the streams run with the token;
 * --user asks the password before connecting.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-login-dialog.h"
#include "monitor-test-util.h"

/* A simulator that asks for a login. */
static const char *auth_args[] = { "--auth=admin:s3cret", NULL };

static const char *
indicator (LablinkWindow *window)
{
  return lablink_connection_indicator_get_text (lablink_window_get_connection_indicator (window));
}

/* The focus is in the dialog's password entry. */
static gboolean
password_has_focus (GtkWidget *dialog)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (dialog));

  return focus != NULL &&
         (GTK_IS_PASSWORD_ENTRY (focus) ||
          gtk_widget_get_ancestor (focus, GTK_TYPE_PASSWORD_ENTRY) != NULL);
}

static void
answer (LablinkWindow *window,
        const char    *username,
        const char    *password)
{
  GtkWidget *dialog;

  TEST_WAIT (lablink_window_get_login_dialog (window) != NULL, TEST_TIMEOUT_MS);
  dialog = lablink_window_get_login_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_true (LABLINK_IS_LOGIN_DIALOG (dialog));
  lablink_login_dialog_set_credentials (LABLINK_LOGIN_DIALOG (dialog), username, password);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "login");
  g_assert_null (lablink_window_get_login_dialog (window));
}

static void
test_login_after_refusal (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (auth_args);
  LablinkApplication *app = mt_app_new ();
  LablinkWindow *window = mt_open_window (app, test_sim_get_url (sim), FALSE);
  LablinkSession *session = lablink_window_get_session (window);
  GtkWidget *dialog;
  double value;
  guint toasts;

  TEST_WAIT (g_strcmp0 (indicator (window), "Login required") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (indicator (window), ==, "Login required");
  g_assert_cmpint (lablink_session_get_state (session), ==, LABLINK_CONNECTION_AUTH_FAILED);

  /* A wrong password: said so, asked again. */
  toasts = lablink_window_get_n_toasts (window);
  answer (window, "admin", "wrong");
  TEST_WAIT (lablink_window_get_n_toasts (window) > toasts && lablink_window_get_login_dialog (window) != NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (strstr (lablink_window_get_last_toast (window), "Login failed"));
  g_assert_false (lablink_session_get_connected (session));

  /* Asked again with the user name kept, the password to type. */
  dialog = lablink_window_get_login_dialog (window);
  g_assert_cmpstr (lablink_login_dialog_get_username (LABLINK_LOGIN_DIALOG (dialog)), ==, "admin");
  g_assert_cmpstr (lablink_login_dialog_get_password (LABLINK_LOGIN_DIALOG (dialog)), ==, "");
  TEST_WAIT (password_has_focus (dialog), TEST_TIMEOUT_MS);
  g_assert_true (password_has_focus (dialog));

  answer (window, NULL, "s3cret");
  g_assert_true (mt_wait_connected (window, TEST_TIMEOUT_MS));
  g_assert_cmpstr (indicator (window), ==, "Connected");
  g_assert_true (mt_wait_equipment (window, TEST_TIMEOUT_MS));

  /* Streams run on the authenticated socket. */
  json_node_unref (mt_command (window, mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY), "set_voltage",
                               "{\"voltage\": 4.0, \"channel\": 1}"));
  json_node_unref (mt_command (window, mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY), "set_output",
                               "{\"enabled\": true, \"channel\": 1}"));
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  TEST_WAIT (mt_meter_number (mt_find (window, "psu-ch1-voltage"), &value) && fabs (value - 4.0) < 0.05, TEST_TIMEOUT_MS);
  g_assert_true (mt_meter_number (mt_find (window, "psu-ch1-voltage"), &value));
  g_assert_cmpfloat (fabs (value - 4.0), <, 0.05);

  mt_close (app, window);
}

static void
test_user_option (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (auth_args);
  LablinkApplication *app = mt_app_new ();
  LablinkWindow *window;

  /* lablink-monitor --server URL --user admin */
  lablink_application_set_options (app, test_sim_get_url (sim), NULL, "admin", FALSE);
  window = lablink_application_open_window (app);

  /* The password is asked before any connection attempt. */
  g_assert_nonnull (lablink_window_get_login_dialog (window));
  g_assert_cmpstr (lablink_login_dialog_get_username (LABLINK_LOGIN_DIALOG (lablink_window_get_login_dialog (window))),
                   ==, "admin");
  g_assert_cmpint (lablink_session_get_state (lablink_window_get_session (window)), ==, LABLINK_CONNECTION_DISCONNECTED);

  answer (window, NULL, "s3cret");
  g_assert_true (mt_wait_connected (window, TEST_TIMEOUT_MS));
  g_assert_cmpstr (indicator (window), ==, "Connected");

  mt_close (app, window);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add_func ("/gui/login/after-refusal", test_login_after_refusal);
  g_test_add_func ("/gui/login/user-option", test_user_option);

  return g_test_run ();
}
