/* lablink-monitor-window-actions.c — the window's actions
 *
 *   win.connect(('url', 'ws-url'))  (the first server; a URL of another one shows it)
 *   win.disconnect  win.reconnect  win.demo
 *   win.login  win.show-connect
 *   win.toggle-stream('readings')  win.start-stream(s)  win.stop-stream(s)
 *     (streams of the selected instrument)
 *   win.start-all  win.stop-all     (every stream of every instrument of every server)
 *   (the servers' own: lablink-window-servers.c)
 *   win.show-page('events')  win.show-toast(s)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-window.h"

static void
connect_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       data)
{
  LablinkWindow *self = data;
  LablinkSession *session = lablink_window_get_session (self);
  LablinkSession *shown;
  g_autoptr(GError) error = NULL;
  const char *url, *ws_url;

  g_variant_get (parameter, "(&s&s)", &url, &ws_url);
  /* Another server of the list: shown, not a second session of it. */
  shown = lablink_window_lookup_session (self, url);
  if (shown != NULL && shown != session)
    {
      lablink_window_show_shown_server (self, shown);
      return;
    }
  if (!lablink_session_connect_to (session, url, *ws_url ? ws_url : NULL, &error))
    {
      lablink_window_show_error (self, _("Cannot use this server"), error->message);
      return;
    }
  if (lablink_session_get_settings (session))
    g_settings_set_string (lablink_session_get_settings (session), "ws-url", ws_url);
  lablink_window_save_servers (self);
}

static void
disconnect_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       data)
{
  lablink_session_disconnect (lablink_window_get_session (data));
}

static void
reconnect_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       data)
{
  LablinkWindow *self = data;
  LablinkSession *session = lablink_window_get_session (self);

  if (lablink_session_get_state (session) == LABLINK_CONNECTION_AUTH_FAILED)
    {
      lablink_window_ask_login (self, lablink_session_get_username (session));
      return;
    }
  lablink_session_reconnect_now (session);
}

static void
demo_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       data)
{
  LablinkWindow *self = data;
  g_autoptr(GError) error = NULL;

  if (!lablink_session_start_demo (lablink_window_get_session (self), &error))
    lablink_window_show_error (self, _("The simulator could not start"), error->message);
}

static void
login_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       data)
{
  LablinkWindow *self = data;

  lablink_window_ask_login (self, lablink_session_get_username (lablink_window_get_session (self)));
}

static void
show_connect_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       data)
{
  lablink_connection_indicator_popup (lablink_window_get_connection_indicator (data));
}

static LablinkEquipment *
selected_equipment (LablinkWindow *self)
{
  return lablink_stream_toolbar_get_equipment (lablink_window_get_stream_toolbar (self));
}

static void
set_stream (LablinkWindow *self,
            const char    *stream_type,
            int            start)  /* 1 start, 0 stop, -1 toggle */
{
  LablinkSession *session = lablink_window_get_selected_session (self);
  LablinkEquipment *equipment = selected_equipment (self);
  g_autoptr(GError) error = NULL;
  const char *id;
  gboolean ok;

  if (equipment == NULL || session == NULL)
    return;
  id = lablink_equipment_get_id (equipment);
  if (start < 0)
    start = !lablink_session_is_stream_active (session, id, stream_type);

  ok = start ? lablink_session_start_stream (session, id, stream_type, &error)
             : lablink_session_stop_stream (session, id, stream_type, &error);
  if (!ok)
    lablink_window_add_toast (self, error->message);
  lablink_stream_toolbar_sync (lablink_window_get_stream_toolbar (self));
}

static void
toggle_stream_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       data)
{
  set_stream (data, g_variant_get_string (parameter, NULL), -1);
}

static void
start_stream_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       data)
{
  set_stream (data, g_variant_get_string (parameter, NULL), 1);
}

static void
stop_stream_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       data)
{
  set_stream (data, g_variant_get_string (parameter, NULL), 0);
}

static void
session_streams (LablinkSession *session,
                 gboolean        start,
                 GError        **error)
{
  GListModel *model = lablink_session_get_equipment (session);
  guint i, n = g_list_model_get_n_items (model);

  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkEquipment) equipment = g_list_model_get_item (model, i);
      const char * const *types = lablink_equipment_get_stream_types (equipment);
      const char *id = lablink_equipment_get_id (equipment);
      guint t;

      for (t = 0; types && types[t]; t++)
        {
          gboolean active = lablink_session_is_stream_active (session, id, types[t]);

          if (start && !active && !lablink_session_start_stream (session, id, types[t], *error ? NULL : error))
            continue;
          if (!start && active)
            lablink_session_stop_stream (session, id, types[t], NULL);
        }
    }
}

/* Every stream of every instrument of every server. */
static void
all_streams (LablinkWindow *self,
             gboolean       start)
{
  GListModel *sessions = lablink_window_get_sessions (self);
  g_autoptr(GError) error = NULL;
  guint i, n = g_list_model_get_n_items (sessions);

  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkSession) session = g_list_model_get_item (sessions, i);
      session_streams (session, start, &error);
    }
  if (error)
    lablink_window_add_toast (self, error->message);
  lablink_stream_toolbar_sync (lablink_window_get_stream_toolbar (self));
}

void
lablink_window_start_all (LablinkWindow *self)
{
  all_streams (self, TRUE);
}

void
lablink_window_stop_all (LablinkWindow *self)
{
  all_streams (self, FALSE);
}

static void
start_all_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       data)
{
  lablink_window_start_all (data);
}

static void
stop_all_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       data)
{
  lablink_window_stop_all (data);
}

static void
show_page_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       data)
{
  lablink_window_set_page (data, g_variant_get_string (parameter, NULL));
}

static void
show_toast_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       data)
{
  lablink_window_add_toast (data, g_variant_get_string (parameter, NULL));
}

static const GActionEntry window_actions[] = {
  { "connect", connect_action, "(ss)" },
  { "disconnect", disconnect_action },
  { "reconnect", reconnect_action },
  { "demo", demo_action },
  { "login", login_action },
  { "show-connect", show_connect_action },
  { "toggle-stream", toggle_stream_action, "s" },
  { "start-stream", start_stream_action, "s" },
  { "stop-stream", stop_stream_action, "s" },
  { "start-all", start_all_action },
  { "stop-all", stop_all_action },
  { "show-page", show_page_action, "s" },
  { "show-toast", show_toast_action, "s" },
};

void
lablink_window_add_actions (LablinkWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), window_actions, G_N_ELEMENTS (window_actions), self);
}
