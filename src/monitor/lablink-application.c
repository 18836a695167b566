/* lablink-application.c — the LabLink Monitor application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-application.h"
#include "lablink-renderer.h"
#include "lablink-review-window.h"
#include "lablink-session.h"
#include "lablink-settings.h"
#include "lablink-window.h"

struct _LablinkApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *server_url;
  char           *ws_url;
  char           *username;
  gboolean        demo;
};

G_DEFINE_FINAL_TYPE (LablinkApplication, lablink_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "server", 's', 0, G_OPTION_ARG_STRING, NULL,
    N_("Connect to the LabLink server at URL (e.g. http://labserver:8000)"), N_("URL") },
  { "ws-url", 'w', 0, G_OPTION_ARG_STRING, NULL,
    N_("Use this WebSocket URL instead of the one derived from the server URL"), N_("URL") },
  { "user", 'u', 0, G_OPTION_ARG_STRING, NULL,
    N_("Log in as NAME (the password is asked in a dialog)"), N_("NAME") },
  { "demo", 'd', 0, G_OPTION_ARG_NONE, NULL,
    N_("Run the built-in simulator and connect to it"), NULL },
  { "open", 'o', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Review the capture in DIRECTORY (without connecting)"), N_("DIRECTORY") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

/**
 * lablink_application_set_options:
 * @self: the application
 * @server_url: (nullable): --server
 * @ws_url: (nullable): --ws-url
 * @username: (nullable): --user
 * @demo: --demo
 *
 * What the next lablink_application_open_window() connects to.
 */
void
lablink_application_set_options (LablinkApplication *self,
                                 const char         *server_url,
                                 const char         *ws_url,
                                 const char         *username,
                                 gboolean            demo)
{
  g_return_if_fail (LABLINK_IS_APPLICATION (self));

  g_free (self->server_url);
  g_free (self->ws_url);
  g_free (self->username);
  self->server_url = g_strdup (server_url);
  self->ws_url = g_strdup (ws_url);
  self->username = g_strdup (username);
  self->demo = demo;
}

GSettings *
lablink_application_get_settings (LablinkApplication *self)
{
  g_return_val_if_fail (LABLINK_IS_APPLICATION (self), NULL);
  return self->settings;
}

/* Where to connect: --demo, --server, the servers kept in the settings
 * (several at once), the last server; and on first start (nothing
 * configured) the built-in simulator, so that a new user sees live
 * instruments at once. */
static void
start_session (LablinkApplication *self,
               LablinkWindow      *window)
{
  LablinkSession *session = lablink_window_get_session (window);
  g_autofree char *server = g_strdup (self->server_url);
  g_autofree char *ws_url = g_strdup (self->ws_url);
  g_autoptr(GError) error = NULL;
  gboolean demo = self->demo;

  if (!demo && (server == NULL || *server == '\0') && self->ws_url == NULL && self->username == NULL &&
      lablink_window_restore_servers (window))
    return;

  if (!demo && (server == NULL || *server == '\0') && self->settings)
    {
      g_free (server);
      server = g_settings_get_string (self->settings, "last-server");
      if (ws_url == NULL)
        ws_url = g_settings_get_string (self->settings, "ws-url");
    }
  else if (ws_url == NULL && self->settings && server != NULL)
    {
      g_autofree char *last = g_settings_get_string (self->settings, "last-server");

      if (g_strcmp0 (server, last) == 0)
        ws_url = g_settings_get_string (self->settings, "ws-url");
    }

  if (!demo && (server == NULL || *server == '\0'))
    demo = TRUE;

  if (demo)
    {
      if (!lablink_session_start_demo (session, &error))
        lablink_window_show_error (window, _("The simulator could not start"), error->message);
      return;
    }

  if (self->settings && self->ws_url != NULL)
    g_settings_set_string (self->settings, "ws-url", self->ws_url);

  if (self->username != NULL)
    {
      if (!lablink_session_set_server (session, server, ws_url, &error))
        {
          lablink_window_show_error (window, _("Cannot use this server"), error->message);
          return;
        }
      /* Ask the password first; the dialog logs in, then connects. */
      lablink_window_ask_login (window, self->username);
      return;
    }

  if (!lablink_session_connect_to (session, server, ws_url, &error))
    lablink_window_show_error (window, _("Cannot use this server"), error->message);
}

/**
 * lablink_application_open_window:
 * @self: the application (registered)
 *
 * Shows the main window, creating it and its session (connected as the
 * options say) if there is none yet.
 *
 * Returns: (transfer none): the window
 */
LablinkWindow *
lablink_application_open_window (LablinkApplication *self)
{
  GtkWindow *window;

  g_return_val_if_fail (LABLINK_IS_APPLICATION (self), NULL);

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    {
      g_autoptr(LablinkSession) session = lablink_session_new (self->settings);

      window = GTK_WINDOW (lablink_window_new (self, session));
      gtk_window_present (window);
      start_session (self, LABLINK_WINDOW (window));
    }
  else
    {
      if (self->demo || self->server_url != NULL)
        start_session (self, LABLINK_WINDOW (window));
      gtk_window_present (window);
    }

  return LABLINK_WINDOW (window);
}

static void
lablink_application_activate (GApplication *app)
{
  lablink_application_open_window (LABLINK_APPLICATION (app));
}

static int
lablink_application_command_line (GApplication            *app,
                                  GApplicationCommandLine *command_line)
{
  LablinkApplication *self = LABLINK_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *server = NULL, *ws_url = NULL, *user = NULL;
  gboolean demo = FALSE;

  g_variant_dict_lookup (options, "server", "&s", &server);
  g_variant_dict_lookup (options, "ws-url", "&s", &ws_url);
  g_variant_dict_lookup (options, "user", "&s", &user);
  g_variant_dict_lookup (options, "demo", "b", &demo);

  /* --open DIR: a review window of its own, no connection. */
  {
    const char *open = NULL;

    if (g_variant_dict_lookup (options, "open", "^&ay", &open))
      {
        g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line, open);
        g_autofree char *path = g_file_get_path (file);

        g_action_group_activate_action (G_ACTION_GROUP (app), "review-capture", g_variant_new_string (path));
        return 0;
      }
  }

  lablink_application_set_options (self, server, ws_url, user, demo);
  g_application_activate (app);
  return 0;
}

static int
lablink_application_handle_local_options (GApplication *app,
                                          GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("lablink-monitor %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

/* app.review-capture(s): a review window for a capture's directory. */
static void
review_capture_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  LablinkReviewWindow *window = lablink_review_window_new (GTK_APPLICATION (user_data),
                                                           g_variant_get_string (parameter, NULL));
  gtk_window_present (GTK_WINDOW (window));
}

static void
lablink_application_startup (GApplication *app)
{
  LablinkApplication *self = LABLINK_APPLICATION (app);

  G_APPLICATION_CLASS (lablink_application_parent_class)->startup (app);
  lablink_renderer_choose (gdk_display_get_default ());

  self->settings = lablink_settings_new ();
  lablink_application_add_actions (self);
  {
    g_autoptr(GSimpleAction) review = g_simple_action_new ("review-capture", G_VARIANT_TYPE_STRING);
    g_signal_connect (review, "activate", G_CALLBACK (review_capture_cb), self);
    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (review));
  }
  gtk_window_set_default_icon_name (APP_ID);
}

static void
lablink_application_finalize (GObject *object)
{
  LablinkApplication *self = LABLINK_APPLICATION (object);

  g_clear_object (&self->settings);
  g_free (self->server_url);
  g_free (self->ws_url);
  g_free (self->username);

  G_OBJECT_CLASS (lablink_application_parent_class)->finalize (object);
}

static void
lablink_application_class_init (LablinkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = lablink_application_finalize;
  app_class->activate = lablink_application_activate;
  app_class->command_line = lablink_application_command_line;
  app_class->handle_local_options = lablink_application_handle_local_options;
  app_class->startup = lablink_application_startup;
}

static void
lablink_application_init (LablinkApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Watch the instruments of a LabLink server live."));
}

/**
 * lablink_application_new:
 * @extra_flags: more #GApplicationFlags (tests pass G_APPLICATION_NON_UNIQUE)
 *
 * Returns: (transfer full): the application
 */
LablinkApplication *
lablink_application_new (GApplicationFlags extra_flags)
{
  return g_object_new (LABLINK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | extra_flags,
                       "resource-base-path", "/io/github/lablinkmonitor/Monitor",
                       NULL);
}
