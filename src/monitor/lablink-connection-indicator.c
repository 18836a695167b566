/* lablink-connection-indicator.c — the always-visible connection state and server bar
 *
 * "Connected", "Connecting…", "Reconnecting in 3 s (attempt 2)" (counted
 * down once a second from the manager's next-retry-time), "Login required",
 * "Offline"; its popover is the server bar: URL, WebSocket override,
 * connect/disconnect, reconnect now, log in, recent servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "lablink-connection-indicator.h"
#include "lablink-settings.h"

struct _LablinkConnectionIndicator
{
  GtkWidget       parent_instance;

  GtkWidget      *box;
  GtkMenuButton  *menu_button;
  GtkPopover     *popover;
  GtkEntry       *server_entry;
  GtkEntry       *ws_entry;
  GtkLabel       *detail_label;
  GtkWidget      *recent_title;
  GtkListBox     *recent_list;
  GtkImage       *icon;
  GtkLabel       *label;
  GtkWidget      *reconnect_button;
  GtkWidget      *login_button;

  LablinkSession *session;
  guint           countdown;
};

G_DEFINE_FINAL_TYPE (LablinkConnectionIndicator, lablink_connection_indicator, GTK_TYPE_WIDGET)

static gboolean countdown_cb (gpointer data);

void
lablink_connection_indicator_update (LablinkConnectionIndicator *self)
{
  LablinkConnectionState state;
  LablinkStreamManager *manager;
  g_autofree char *text = NULL;
  g_autofree char *detail = NULL;
  const char *icon = "network-offline-symbolic";
  const char *css = "error";
  const char *url, *last_error;

  g_return_if_fail (LABLINK_IS_CONNECTION_INDICATOR (self));

  state = self->session ? lablink_session_get_state (self->session) : LABLINK_CONNECTION_DISCONNECTED;
  manager = self->session ? lablink_session_get_manager (self->session) : NULL;
  url = self->session ? lablink_session_get_server_url (self->session) : NULL;
  last_error = manager ? lablink_stream_manager_get_last_error (manager) : NULL;

  switch (state)
    {
    case LABLINK_CONNECTION_CONNECTED:
      text = g_strdup (_("Connected"));
      icon = "network-transmit-receive-symbolic";
      css = "success";
      break;

    case LABLINK_CONNECTION_CONNECTING:
      text = g_strdup (_("Connecting…"));
      icon = "network-idle-symbolic";
      css = "warning";
      break;

    case LABLINK_CONNECTION_RECONNECTING:
      {
        gint64 next = lablink_stream_manager_get_next_retry_time (manager);
        guint attempt = lablink_stream_manager_get_retry_attempt (manager);
        gint64 now = g_get_monotonic_time ();

        if (next > now)
          {
            guint seconds = (guint) ((next - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
            text = g_strdup_printf (_("Reconnecting in %u s (attempt %u)"), seconds, MAX (attempt, 1));
          }
        else
          text = g_strdup_printf (_("Reconnecting… (attempt %u)"), MAX (attempt, 1));
        icon = "network-error-symbolic";
        css = "warning";
      }
      break;

    case LABLINK_CONNECTION_AUTH_FAILED:
      text = g_strdup (_("Login required"));
      icon = "dialog-password-symbolic";
      css = "error";
      break;

    case LABLINK_CONNECTION_DISCONNECTED:
    default:
      text = g_strdup (_("Offline"));
      break;
    }

  if (self->session && lablink_session_get_demo (self->session) && state == LABLINK_CONNECTION_CONNECTED)
    {
      g_free (text);
      text = g_strdup (_("Connected (simulator)"));
    }

  gtk_label_set_label (self->label, text);
  gtk_image_set_from_icon_name (self->icon, icon);
  gtk_widget_remove_css_class (GTK_WIDGET (self->menu_button), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->menu_button), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->menu_button), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), css);

  gtk_widget_set_visible (self->reconnect_button,
                          url != NULL && (state == LABLINK_CONNECTION_RECONNECTING ||
                                          state == LABLINK_CONNECTION_DISCONNECTED));
  gtk_widget_set_visible (self->login_button, state == LABLINK_CONNECTION_AUTH_FAILED);

  if (url == NULL)
    detail = g_strdup (_("No server"));
  else if (last_error && state != LABLINK_CONNECTION_CONNECTED)
    detail = g_strdup_printf ("%s\n%s", url, last_error);
  else
    detail = g_strdup (url);
  gtk_label_set_label (self->detail_label, detail);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), detail);

  /* A countdown needs a tick; nothing else does. */
  if (state == LABLINK_CONNECTION_RECONNECTING && self->countdown == 0)
    self->countdown = g_timeout_add_seconds (1, countdown_cb, self);
  else if (state != LABLINK_CONNECTION_RECONNECTING)
    g_clear_handle_id (&self->countdown, g_source_remove);
}

static gboolean
countdown_cb (gpointer data)
{
  LablinkConnectionIndicator *self = data;

  lablink_connection_indicator_update (self);
  if (self->session == NULL || lablink_session_get_state (self->session) != LABLINK_CONNECTION_RECONNECTING)
    {
      self->countdown = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
session_notify_cb (LablinkSession             *session,
                   GParamSpec                 *pspec,
                   LablinkConnectionIndicator *self)
{
  lablink_connection_indicator_update (self);
}

static void
fill_recent (LablinkConnectionIndicator *self)
{
  g_auto(GStrv) recent = NULL;
  GtkWidget *child;
  guint i;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))))
    gtk_list_box_remove (self->recent_list, child);

  recent = lablink_settings_dup_recent_servers (self->session ? lablink_session_get_settings (self->session) : NULL);
  for (i = 0; recent[i]; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), recent[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "url", g_strdup (recent[i]), g_free);
      gtk_list_box_append (self->recent_list, row);
    }
  gtk_widget_set_visible (self->recent_title, recent[0] != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->recent_list), recent[0] != NULL);
}

static void
popover_show_cb (LablinkConnectionIndicator *self)
{
  const char *url = self->session ? lablink_session_get_server_url (self->session) : NULL;
  LablinkClient *client = self->session ? lablink_session_get_client (self->session) : NULL;
  const char *ws = client ? lablink_client_get_ws_url_override (client) : NULL;

  if (self->session && !lablink_session_get_demo (self->session) && url)
    gtk_editable_set_text (GTK_EDITABLE (self->server_entry), url);
  gtk_editable_set_text (GTK_EDITABLE (self->ws_entry), ws ? ws : "");
  fill_recent (self);
}

static void
connect_clicked_cb (LablinkConnectionIndicator *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->server_entry));
  const char *ws = gtk_editable_get_text (GTK_EDITABLE (self->ws_entry));

  if (*url == '\0')
    return;
  gtk_popover_popdown (self->popover);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.connect", "(ss)", url, ws);
}

static void
recent_activated_cb (LablinkConnectionIndicator *self,
                     GtkListBoxRow              *row)
{
  const char *url = g_object_get_data (G_OBJECT (row), "url");

  if (url == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->server_entry), url);
  gtk_editable_set_text (GTK_EDITABLE (self->ws_entry), "");
  connect_clicked_cb (self);
}

void
lablink_connection_indicator_set_session (LablinkConnectionIndicator *self,
                                          LablinkSession             *session)
{
  g_return_if_fail (LABLINK_IS_CONNECTION_INDICATOR (self));

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session)
    {
      g_signal_connect (session, "notify::state", G_CALLBACK (session_notify_cb), self);
      g_signal_connect (session, "notify::next-retry-time", G_CALLBACK (session_notify_cb), self);
      g_signal_connect (session, "notify::retry-attempt", G_CALLBACK (session_notify_cb), self);
      g_signal_connect (session, "notify::last-error", G_CALLBACK (session_notify_cb), self);
      g_signal_connect (session, "notify::server-url", G_CALLBACK (session_notify_cb), self);
      g_signal_connect (session, "notify::demo", G_CALLBACK (session_notify_cb), self);
    }
  lablink_connection_indicator_update (self);
}

/**
 * lablink_connection_indicator_get_text:
 * @self: the indicator
 *
 * Returns: what it shows, e.g. "Reconnecting in 2 s (attempt 1)"
 */
const char *
lablink_connection_indicator_get_text (LablinkConnectionIndicator *self)
{
  g_return_val_if_fail (LABLINK_IS_CONNECTION_INDICATOR (self), NULL);
  return gtk_label_get_label (self->label);
}

void
lablink_connection_indicator_popup (LablinkConnectionIndicator *self)
{
  g_return_if_fail (LABLINK_IS_CONNECTION_INDICATOR (self));
  gtk_menu_button_popup (self->menu_button);
}

static void
lablink_connection_indicator_dispose (GObject *object)
{
  LablinkConnectionIndicator *self = LABLINK_CONNECTION_INDICATOR (object);

  g_clear_handle_id (&self->countdown, g_source_remove);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), LABLINK_TYPE_CONNECTION_INDICATOR);

  G_OBJECT_CLASS (lablink_connection_indicator_parent_class)->dispose (object);
}

static void
lablink_connection_indicator_class_init (LablinkConnectionIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_connection_indicator_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lablinkmonitor/Monitor/lablink-connection-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, box);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, menu_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, popover);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, server_entry);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, ws_entry);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, detail_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, recent_title);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, recent_list);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, label);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, reconnect_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, login_button);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, connect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, recent_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lablinkconnectionindicator");
}

static void
lablink_connection_indicator_init (LablinkConnectionIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
