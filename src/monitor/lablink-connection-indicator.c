/* lablink-connection-indicator.c — the always-visible connection state and server bar
 *
 * "Connected", "Connecting…", "Reconnecting in 3 s (attempt 2)" (counted
 * down once a second from the manager's next-retry-time), "Login required",
 * "Offline"; its popover is the server bar: URL, WebSocket override,
 * connect/disconnect, reconnect now, log in, recent servers (a list model
 * that follows the settings) and the servers found on the network (a
 * LablinkDiscovery, browsing from the first time the popover opens; a dim
 * line says when discovery is unavailable, e.g. without an Avahi daemon).
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
  GtkListBox     *discovered_list;
  GtkLabel       *discovery_status;
  GtkImage       *icon;
  GtkLabel       *label;
  GtkWidget      *reconnect_button;
  GtkWidget      *login_button;

  LablinkSession *session;
  GSignalGroup   *session_signals;
  GSignalGroup   *settings_signals;  /* the session's settings */
  GtkStringList  *recent;            /* recent servers, newest first */
  LablinkDiscovery *discovery;       /* once the popover was open */
  guint           countdown;
};

G_DEFINE_FINAL_TYPE (LablinkConnectionIndicator, lablink_connection_indicator, GTK_TYPE_WIDGET)

static gboolean countdown_cb (gpointer data);

void
lablink_connection_indicator_update (LablinkConnectionIndicator *self)
{
  LablinkConnectionState state;
  g_autofree char *text = NULL;
  g_autofree char *detail = NULL;
  const char *icon = "network-offline-symbolic";
  const char *css = "error";
  const char *url, *last_error;

  g_return_if_fail (LABLINK_IS_CONNECTION_INDICATOR (self));

  state = self->session ? lablink_session_get_state (self->session) : LABLINK_CONNECTION_DISCONNECTED;
  url = self->session ? lablink_session_get_server_url (self->session) : NULL;
  last_error = self->session ? lablink_session_get_last_error (self->session) : NULL;

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
        gint64 next = lablink_session_get_next_retry_time (self->session);
        guint attempt = lablink_session_get_retry_attempt (self->session);
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

/* The recent servers as the settings have them now. */
static void
sync_recent (LablinkConnectionIndicator *self)
{
  g_auto(GStrv) recent = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->recent));

  recent = lablink_settings_dup_recent_servers (self->session ? lablink_session_get_settings (self->session) : NULL);
  gtk_string_list_splice (self->recent, 0, n, (const char * const *) recent);
  gtk_widget_set_visible (self->recent_title, recent[0] != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->recent_list), recent[0] != NULL);
}

static GtkWidget *
create_recent_row_cb (gpointer item,
                      gpointer data)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), gtk_string_object_get_string (item));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

/* "http://10.0.0.5:8000 · LabLink 1.2.5 · bench3" */
static GtkWidget *
create_discovered_row_cb (gpointer item,
                          gpointer data)
{
  LablinkDiscoveredServer *server = item;
  GtkWidget *row = adw_action_row_new ();
  const char *version = lablink_discovered_server_get_version (server);
  const char *hostname = lablink_discovered_server_get_hostname (server);
  g_autoptr(GString) subtitle = g_string_new (lablink_discovered_server_get_url (server));

  if (version != NULL)
    {
      g_string_append (subtitle, " · ");
      /* Translators: the version of a LabLink server found on the network */
      g_string_append_printf (subtitle, _("LabLink %s"), version);
    }
  if (hostname != NULL)
    g_string_append_printf (subtitle, " · %s", hostname);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), lablink_discovered_server_get_name (server));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_widget_set_tooltip_text (row, _("Connect to this server"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

/* The list while discovery works, else a dim line that says why not. */
static void
sync_discovery (LablinkConnectionIndicator *self)
{
  const GError *error = lablink_discovery_get_error (self->discovery);
  g_autofree char *text = NULL;

  if (lablink_discovery_get_available (self->discovery) || error == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->discovered_list), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->discovery_status), FALSE);
      return;
    }

  if (g_error_matches (error, LABLINK_DISCOVERY_ERROR, LABLINK_DISCOVERY_ERROR_NO_DAEMON))
    text = g_strdup (_("Discovery unavailable: no Avahi daemon"));
  else if (g_error_matches (error, LABLINK_DISCOVERY_ERROR, LABLINK_DISCOVERY_ERROR_UNSUPPORTED))
    text = g_strdup (_("Discovery unavailable: built without Avahi"));
  else
    text = g_strdup_printf (_("Discovery unavailable: %s"), error->message);
  gtk_label_set_label (self->discovery_status, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->discovery_status), error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->discovered_list), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->discovery_status), TRUE);
}

/* Browsing starts the first time the popover opens, and goes on. */
static void
ensure_discovery (LablinkConnectionIndicator *self)
{
  if (self->discovery != NULL)
    return;
  self->discovery = lablink_discovery_new ();
  gtk_list_box_bind_model (self->discovered_list, G_LIST_MODEL (self->discovery),
                           create_discovered_row_cb, NULL, NULL);
  g_signal_connect_object (self->discovery, "notify::available", G_CALLBACK (sync_discovery),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->discovery, "notify::error", G_CALLBACK (sync_discovery),
                           self, G_CONNECT_SWAPPED);
  sync_discovery (self);
}

static void
popover_show_cb (LablinkConnectionIndicator *self)
{
  const char *url = self->session ? lablink_session_get_server_url (self->session) : NULL;
  const char *ws = self->session ? lablink_session_get_ws_url_override (self->session) : NULL;

  if (self->session && !lablink_session_get_demo (self->session) && url)
    gtk_editable_set_text (GTK_EDITABLE (self->server_entry), url);
  gtk_editable_set_text (GTK_EDITABLE (self->ws_entry), ws ? ws : "");
  ensure_discovery (self);
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
  g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (self->recent),
                                                           (guint) gtk_list_box_row_get_index (row));
  const char *url = item ? gtk_string_object_get_string (item) : NULL;

  if (url == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->server_entry), url);
  gtk_editable_set_text (GTK_EDITABLE (self->ws_entry), "");
  connect_clicked_cb (self);
}

static void
discovered_activated_cb (LablinkConnectionIndicator *self,
                         GtkListBoxRow              *row)
{
  g_autoptr(LablinkDiscoveredServer) server = NULL;

  if (self->discovery == NULL)
    return;
  server = g_list_model_get_item (G_LIST_MODEL (self->discovery), (guint) gtk_list_box_row_get_index (row));
  if (server == NULL)
    return;
  /* The WebSocket is derived from the URL, as for one typed in. */
  gtk_editable_set_text (GTK_EDITABLE (self->server_entry), lablink_discovered_server_get_url (server));
  gtk_editable_set_text (GTK_EDITABLE (self->ws_entry), "");
  connect_clicked_cb (self);
}

void
lablink_connection_indicator_set_session (LablinkConnectionIndicator *self,
                                          LablinkSession             *session)
{
  g_return_if_fail (LABLINK_IS_CONNECTION_INDICATOR (self));

  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  g_signal_group_set_target (self->settings_signals, session ? lablink_session_get_settings (session) : NULL);
  sync_recent (self);
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

/**
 * lablink_connection_indicator_get_discovery:
 * @self: the indicator
 *
 * Returns: (nullable): the servers found on the network, once the popover
 *   was open
 */
LablinkDiscovery *
lablink_connection_indicator_get_discovery (LablinkConnectionIndicator *self)
{
  g_return_val_if_fail (LABLINK_IS_CONNECTION_INDICATOR (self), NULL);
  return self->discovery;
}

GtkPopover *
lablink_connection_indicator_get_popover (LablinkConnectionIndicator *self)
{
  g_return_val_if_fail (LABLINK_IS_CONNECTION_INDICATOR (self), NULL);
  return self->popover;
}

static void
lablink_connection_indicator_dispose (GObject *object)
{
  LablinkConnectionIndicator *self = LABLINK_CONNECTION_INDICATOR (object);

  g_clear_handle_id (&self->countdown, g_source_remove);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->settings_signals);
  g_clear_object (&self->session);
  if (self->recent_list)
    gtk_list_box_bind_model (self->recent_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->recent);
  if (self->discovered_list)
    gtk_list_box_bind_model (self->discovered_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->discovery);
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
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, discovered_list);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, discovery_status);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, label);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, reconnect_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, login_button);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, connect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, recent_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, discovered_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lablinkconnectionindicator");
}

static void
lablink_connection_indicator_init (LablinkConnectionIndicator *self)
{
  static const char *notifications[] = {
    "notify::state", "notify::next-retry-time", "notify::retry-attempt", "notify::last-error",
    "notify::server-url", "notify::demo",
  };
  guint i;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->recent = gtk_string_list_new (NULL);
  gtk_list_box_bind_model (self->recent_list, G_LIST_MODEL (self->recent), create_recent_row_cb, NULL, NULL);

  self->session_signals = g_signal_group_new (LABLINK_TYPE_SESSION);
  for (i = 0; i < G_N_ELEMENTS (notifications); i++)
    g_signal_group_connect_swapped (self->session_signals, notifications[i],
                                    G_CALLBACK (lablink_connection_indicator_update), self);
  self->settings_signals = g_signal_group_new (G_TYPE_SETTINGS);
  g_signal_group_connect_swapped (self->settings_signals, "changed::recent-servers", G_CALLBACK (sync_recent), self);
}
