/* lablink-secret.h — server passwords in the user's keyring (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LABLINK_SECRET_SCHEMA_NAME "io.github.lablinkmonitor.Monitor.Server"

gboolean  lablink_secret_is_supported  (void);
void      lablink_secret_store         (const char          *server_url,
                                        const char          *username,
                                        const char          *password);
void      lablink_secret_store_async   (const char          *server_url,
                                        const char          *username,
                                        const char          *password,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  lablink_secret_store_finish  (GAsyncResult        *result,
                                        GError             **error);
void      lablink_secret_lookup_async  (const char          *server_url,
                                        const char          *username,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char     *lablink_secret_lookup_finish (GAsyncResult        *result,
                                        GError             **error);
gboolean  lablink_secret_clear_sync    (const char          *server_url,
                                        const char          *username,
                                        GError             **error);

G_END_DECLS
