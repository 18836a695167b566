/* lablink-window-login.c — LablinkWindow: logging in to its servers
 *
 * A server that wants credentials (at its start with a user name, or when
 * it answers "auth required") logs in with the password kept in the user's
 * keyring (lablink-secret.c), else asks for it in the login dialog (one at
 * a time: another server waiting for a login says so in its sidebar row).
 * A failed login asks again with the name just tried; a successful one
 * keeps the password in the keyring and the user name in the settings'
 * set of servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lablink-login-dialog.h"
#include "lablink-secret.h"
#include "lablink-window-private.h"

typedef struct {
  LablinkWindow  *window;
  LablinkSession *session;
  char           *username;
  char           *password;
} LoginData;

static void
login_data_free (LoginData *data)
{
  g_object_unref (data->window);
  g_object_unref (data->session);
  g_free (data->username);
  if (data->password)
    memset (data->password, 0, strlen (data->password));
  g_free (data->password);
  g_free (data);
}

static gboolean
has_session (LablinkWindow  *self,
             LablinkSession *session)
{
  guint position;

  return g_list_store_find (self->sessions, session, &position);
}

static void
login_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  LoginData *data = user_data;
  LablinkWindow *self = data->window;
  g_autoptr(GError) error = NULL;

  if (!lablink_session_login_finish (LABLINK_SESSION (source), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Login failed: %s"), error->message);

      if (gtk_widget_get_visible (GTK_WIDGET (self)) && has_session (self, data->session))
        {
          lablink_window_add_toast (self, text);
          /* Asked again with the name just tried: only the password was wrong. */
          lablink_window_ask_login_for (self, data->session,
                                        data->username && *data->username
                                        ? data->username : lablink_session_get_username (data->session));
        }
    }
  else if (has_session (self, data->session))
    {
      /* Next time without asking: the password in the user's keyring. */
      if (data->password && *data->password && !lablink_session_get_demo (data->session))
        lablink_secret_store (lablink_session_get_server_url (data->session), data->username, data->password);
      lablink_window_save_servers (self);
    }
  login_data_free (data);
}

/**
 * lablink_window_log_in:
 * @self: the window
 * @session: one of its sessions
 * @username: the user
 * @password: the password
 *
 * Logs @session in (it connects then); a failure asks again in the login
 * dialog, a success keeps the password in the user's keyring.
 */
void
lablink_window_log_in (LablinkWindow  *self,
                       LablinkSession *session,
                       const char     *username,
                       const char     *password)
{
  LoginData *data;

  g_return_if_fail (LABLINK_IS_WINDOW (self));
  g_return_if_fail (LABLINK_IS_SESSION (session));

  data = g_new0 (LoginData, 1);
  data->window = g_object_ref (self);
  data->session = g_object_ref (session);
  data->username = g_strdup (username);
  data->password = g_strdup (password);
  g_object_set_data_full (G_OBJECT (session), LABLINK_WINDOW_USERNAME_KEY, g_strdup (username), g_free);
  /* our copies: the caller may wipe its password at once */
  lablink_session_login_async (session, data->username, data->password, NULL, login_done_cb, data);
}

static void
login_response_cb (LablinkLoginDialog *dialog,
                   const char         *response,
                   LablinkWindow      *self)
{
  if (g_strcmp0 (response, "login") == 0 && self->login_session != NULL && has_session (self, self->login_session))
    {
      lablink_window_log_in (self, self->login_session,
                             lablink_login_dialog_get_username (dialog),
                             lablink_login_dialog_get_password (dialog));
    }
  self->login_dialog = NULL;
  self->login_session = NULL;
}

/**
 * lablink_window_ask_login:
 * @self: the window
 * @username: (nullable): a user name to propose
 *
 * Asks for credentials of the first server; on "Log In" it logs in and
 * connects.
 */
void
lablink_window_ask_login (LablinkWindow *self,
                          const char    *username)
{
  g_return_if_fail (LABLINK_IS_WINDOW (self));
  lablink_window_ask_login_for (self, self->session, username);
}

/**
 * lablink_window_ask_login_for:
 * @self: the window
 * @session: one of its sessions
 * @username: (nullable): a user name to propose
 *
 * Asks for credentials of @session's server; on "Log In" it logs in and
 * connects.
 */
void
lablink_window_ask_login_for (LablinkWindow  *self,
                              LablinkSession *session,
                              const char     *username)
{
  g_return_if_fail (LABLINK_IS_WINDOW (self));
  g_return_if_fail (LABLINK_IS_SESSION (session));

  /* One dialog at a time; another server waiting for a login says so in
   * its sidebar row, whose menu asks again. */
  if (self->login_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->login_dialog));
      return;
    }

  self->login_session = session;
  self->login_dialog = lablink_login_dialog_new (GTK_WINDOW (self), lablink_session_get_server_url (session),
                                                 username, NULL);
  g_signal_connect (self->login_dialog, "response", G_CALLBACK (login_response_cb), self);
  gtk_window_present (GTK_WINDOW (self->login_dialog));
}

static void
auth_required_cb (LablinkSession *session,
                  LablinkWindow  *self)
{
  const char *wanted = g_object_get_data (G_OBJECT (session), LABLINK_WINDOW_USERNAME_KEY);

  lablink_window_ask_login_for (self, session, lablink_session_get_username (session)
                                               ? lablink_session_get_username (session) : wanted);
}

typedef struct {
  GWeakRef        window;
  LablinkSession *session;
} LookupData;

static void
secret_lookup_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  LookupData *data = user_data;
  g_autoptr(LablinkSession) session = data->session;
  g_autoptr(LablinkWindow) self = g_weak_ref_get (&data->window);
  g_autoptr(GError) error = NULL;
  g_autofree char *password = lablink_secret_lookup_finish (result, &error);
  const char *username = g_object_get_data (G_OBJECT (session), LABLINK_WINDOW_USERNAME_KEY);

  g_weak_ref_clear (&data->window);
  g_free (data);

  /* the window or the server went meanwhile */
  if (self == NULL || lablink_window_get_server_row (self, session) == NULL)
    {
      if (password)
        memset (password, 0, strlen (password));
      return;
    }

  if (password != NULL)
    {
      g_debug ("Logging in to %s as %s with the password from the keyring",
               lablink_session_get_server_url (session), username);
      lablink_window_log_in (self, session, username, password);
      memset (password, 0, strlen (password));
      return;
    }
  if (error != NULL)
    g_debug ("No password from the keyring: %s", error->message);
  lablink_window_ask_login_for (self, session, username);
}

/**
 * lablink_window_start_session:
 * @self: the window
 * @session: one of its sessions, its server set
 * @username: (nullable): log in as this user
 *
 * Connects @session; with a user name, it logs in first with the password
 * in the user's keyring, else (none, or a wrong one) it asks for it.
 */
void
lablink_window_start_session (LablinkWindow  *self,
                              LablinkSession *session,
                              const char     *username)
{
  LookupData *data;

  g_return_if_fail (LABLINK_IS_WINDOW (self));
  g_return_if_fail (LABLINK_IS_SESSION (session));

  if (username == NULL || *username == '\0')
    {
      lablink_session_connect (session);
      return;
    }

  g_object_set_data_full (G_OBJECT (session), LABLINK_WINDOW_USERNAME_KEY, g_strdup (username), g_free);
  data = g_new0 (LookupData, 1);
  g_weak_ref_init (&data->window, self);
  data->session = g_object_ref (session);
  lablink_secret_lookup_async (lablink_session_get_server_url (session), username, NULL, secret_lookup_cb, data);
}

/* What logging in hears from each session. */
void
_lablink_window_login_watch (LablinkWindow *self,
                             GSignalGroup  *group)
{
  g_signal_group_connect (group, "auth-required", G_CALLBACK (auth_required_cb), self);
}
