/* lablink-server-row.h — one server's header in the sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lablink-session.h"

G_BEGIN_DECLS

#define LABLINK_TYPE_SERVER_ROW (lablink_server_row_get_type ())
G_DECLARE_FINAL_TYPE (LablinkServerRow, lablink_server_row, LABLINK, SERVER_ROW, GtkListBoxRow)

GtkWidget      *lablink_server_row_new             (LablinkSession   *session);
LablinkSession *lablink_server_row_get_session     (LablinkServerRow *self);
const char     *lablink_server_row_get_title       (LablinkServerRow *self);
const char     *lablink_server_row_get_status_text (LablinkServerRow *self);

char           *lablink_session_dup_title          (LablinkSession   *session);
char           *lablink_session_dup_state_text     (LablinkSession   *session,
                                                    const char      **css_class);

G_END_DECLS
