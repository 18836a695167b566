/* lablink-login-dialog.h — asks a user name and password for a server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LABLINK_TYPE_LOGIN_DIALOG (lablink_login_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LablinkLoginDialog, lablink_login_dialog, LABLINK, LOGIN_DIALOG, AdwMessageDialog)

GtkWidget  *lablink_login_dialog_new          (GtkWindow          *parent,
                                               const char         *server_url,
                                               const char         *username,
                                               const char         *error_text);
const char *lablink_login_dialog_get_username (LablinkLoginDialog *self);
const char *lablink_login_dialog_get_password (LablinkLoginDialog *self);
void        lablink_login_dialog_set_credentials (LablinkLoginDialog *self,
                                                  const char         *username,
                                                  const char         *password);

G_END_DECLS
