/* lablink-secret.c — server passwords in the user's keyring (libsecret)
 *
 * A password the user logged in with is stored through the Secret Service
 * (GNOME Keyring, KWallet…) under the schema
 * io.github.lablinkmonitor.Monitor.Server, keyed by server URL and user
 * name, and looked up at the next start, so that a kept server logs in
 * without asking. Never in the settings or a file. Built without libsecret
 * (meson -Dlibsecret=disabled), or where no Secret Service answers, a
 * lookup fails and the app asks in its login dialog as before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#ifdef HAVE_LIBSECRET
# include <libsecret/secret.h>
#endif

#include "lablink-secret.h"

#ifdef HAVE_LIBSECRET
static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    LABLINK_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}
#endif

/**
 * lablink_secret_is_supported:
 *
 * Returns: whether this build keeps passwords in the keyring
 */
gboolean
lablink_secret_is_supported (void)
{
#ifdef HAVE_LIBSECRET
  return TRUE;
#else
  return FALSE;
#endif
}

#ifdef HAVE_LIBSECRET
static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else if (password == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No password is kept for this server"));
  else
    {
      /* handed over in normal memory: the caller wipes it after use */
      char *copy = g_strdup (password);

      secret_password_free (password);
      g_task_return_pointer (task, copy, g_free);
    }
}
#endif

void
lablink_secret_store_async (const char          *server_url,
                            const char          *username,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, lablink_secret_store_async);
  if (server_url == NULL || username == NULL || *username == '\0' || password == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "No server, user or password");
      return;
    }
#ifdef HAVE_LIBSECRET
  {
    g_autofree char *label = g_strdup_printf (_("LabLink server %s (%s)"), server_url, username);

    secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, password, cancellable,
                           store_cb, g_steal_pointer (&task),
                           "url", server_url, "user", username, NULL);
  }
#else
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("This build keeps no passwords"));
#endif
}

gboolean
lablink_secret_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
store_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GError) error = NULL;

  if (!lablink_secret_store_finish (result, &error))
    g_debug ("The password was not kept in the keyring: %s", error->message);
}

/**
 * lablink_secret_store:
 * @server_url: the server
 * @username: the user
 * @password: the password that logged in
 *
 * Keeps the password in the user's keyring, in the background; where that
 * fails (no Secret Service) it is only said in the debug log.
 */
void
lablink_secret_store (const char *server_url,
                      const char *username,
                      const char *password)
{
  lablink_secret_store_async (server_url, username, password, NULL, store_done_cb, NULL);
}

/**
 * lablink_secret_lookup_async:
 * @server_url: the server
 * @username: the user
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Looks the password up in the user's keyring.
 */
void
lablink_secret_lookup_async (const char          *server_url,
                             const char          *username,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, lablink_secret_lookup_async);
  if (server_url == NULL || username == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "No server or user");
      return;
    }
#ifdef HAVE_LIBSECRET
  secret_password_lookup (get_schema (), cancellable, lookup_cb, g_steal_pointer (&task),
                          "url", server_url, "user", username, NULL);
#else
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("This build keeps no passwords"));
#endif
}

/**
 * lablink_secret_lookup_finish:
 * @result: the result
 * @error: return location for an error (%G_IO_ERROR_NOT_FOUND: none kept)
 *
 * Returns: (transfer full) (nullable): the password; wipe it after use
 */
char *
lablink_secret_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lablink_secret_clear_sync:
 * @server_url: the server
 * @username: the user
 * @error: return location for an error
 *
 * Removes the kept password (tests).
 *
 * Returns: %FALSE on error
 */
gboolean
lablink_secret_clear_sync (const char  *server_url,
                           const char  *username,
                           GError     **error)
{
#ifdef HAVE_LIBSECRET
  GError *local = NULL;

  secret_password_clear_sync (get_schema (), NULL, &local, "url", server_url, "user", username, NULL);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
#else
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("This build keeps no passwords"));
  return FALSE;
#endif
}
