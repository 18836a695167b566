/* lablink-application.h — the LabLink Monitor application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct _LablinkWindow LablinkWindow;

#define LABLINK_TYPE_APPLICATION (lablink_application_get_type ())
G_DECLARE_FINAL_TYPE (LablinkApplication, lablink_application, LABLINK, APPLICATION, AdwApplication)

LablinkApplication *lablink_application_new          (GApplicationFlags   extra_flags);
GSettings          *lablink_application_get_settings (LablinkApplication *self);
void                lablink_application_set_options  (LablinkApplication *self,
                                                      const char         *server_url,
                                                      const char         *ws_url,
                                                      const char         *username,
                                                      gboolean            demo);
LablinkWindow      *lablink_application_open_window  (LablinkApplication *self);

/* lablink-monitor-app-actions.c */
void                lablink_application_add_actions  (LablinkApplication *self);

G_END_DECLS
