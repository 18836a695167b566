/* lablink-monitor-app-actions.c — the application's actions and shortcuts
 *
 *   app.about  app.quit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-application.h"
#include "lablink-window.h"

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       data)
{
  GtkApplication *app = data;
  static const char *developers[] = { "LabLink Monitor contributors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "destroy-with-parent", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("LabLink Monitor"),
                        "developer-name", _("LabLink Monitor contributors"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/lablinkmonitor/lablink-monitor",
                        "issue-url", "https://github.com/lablinkmonitor/lablink-monitor/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "comments", _("Watch power supplies, electronic loads and oscilloscopes of a LabLink server live."),
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       data)
{
  GtkApplication *app = data;
  GList *windows = gtk_application_get_windows (app);

  /* Save each window's size before it goes. */
  for (; windows; windows = windows->next)
    if (LABLINK_IS_WINDOW (windows->data))
      lablink_window_save_state (windows->data);
  g_application_quit (G_APPLICATION (app));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
};

void
lablink_application_add_actions (LablinkApplication *self)
{
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.reconnect", { "<Control>r", "F5", NULL } },
    { "win.show-connect", { "<Control>l", NULL } },
    { "win.start-all", { "<Control><Shift>s", NULL } },
    { "win.stop-all", { "<Control>period", NULL } },
    { "win.show-page('instruments')", { "<Alt>1", NULL } },
    { "win.show-page('acquisitions')", { "<Alt>2", NULL } },
    { "win.show-page('statistics')", { "<Alt>3", NULL } },
    { "win.show-page('events')", { "<Alt>4", NULL } },
  };
  guint i;

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  for (i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);
}
