/* lablink-login-dialog.c — asks a user name and password for a server
 *
 * The password stays in the entry until the dialog is destroyed; it is
 * never logged nor stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-login-dialog.h"

struct _LablinkLoginDialog
{
  AdwMessageDialog  parent_instance;

  GtkEntry         *username_entry;
  GtkPasswordEntry *password_entry;
};

G_DEFINE_FINAL_TYPE (LablinkLoginDialog, lablink_login_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
lablink_login_dialog_class_init (LablinkLoginDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-login-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkLoginDialog, username_entry);
  gtk_widget_class_bind_template_child (widget_class, LablinkLoginDialog, password_entry);
}

static void
lablink_login_dialog_init (LablinkLoginDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
lablink_login_dialog_new (GtkWindow  *parent,
                          const char *server_url,
                          const char *username,
                          const char *error_text)
{
  LablinkLoginDialog *self = g_object_new (LABLINK_TYPE_LOGIN_DIALOG, "transient-for", parent, NULL);
  g_autofree char *body = NULL;

  if (error_text)
    body = g_strdup_printf (_("%s\n\nThe server %s needs a user name and password."), error_text,
                            server_url ? server_url : "");
  else
    body = g_strdup_printf (_("The server %s needs a user name and password."), server_url ? server_url : "");
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  if (username)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->username_entry), username);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->username_entry));

  return GTK_WIDGET (self);
}

const char *
lablink_login_dialog_get_username (LablinkLoginDialog *self)
{
  g_return_val_if_fail (LABLINK_IS_LOGIN_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->username_entry));
}

const char *
lablink_login_dialog_get_password (LablinkLoginDialog *self)
{
  g_return_val_if_fail (LABLINK_IS_LOGIN_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->password_entry));
}

/**
 * lablink_login_dialog_set_credentials:
 * @self: the dialog
 * @username: (nullable): a user name
 * @password: (nullable): a password (for scripts and tests)
 */
void
lablink_login_dialog_set_credentials (LablinkLoginDialog *self,
                                      const char         *username,
                                      const char         *password)
{
  g_return_if_fail (LABLINK_IS_LOGIN_DIALOG (self));

  if (username)
    gtk_editable_set_text (GTK_EDITABLE (self->username_entry), username);
  if (password)
    gtk_editable_set_text (GTK_EDITABLE (self->password_entry), password);
}
