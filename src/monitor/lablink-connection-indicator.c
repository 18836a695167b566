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
 * With several servers (lablink_connection_indicator_set_sessions()) it
 * sums them up, as the header bar is the window's whole, on every view:
 * "Connected" while all are, the one server that is not named with its
 * state ("bench2:8000: Reconnecting in 3 s (attempt 2)"), else "2 of 3
 * servers not connected", in the colour of the worst; its quick reconnect
 * (or log in) button acts on that server. The popover then lists every
 * server with its own state and menu (a LablinkServerRow each; activating
 * one shows it, win.show-server); the server bar below is the first
 * server's.
 *
 * Where the header bar is short of room it says the state in a few words
 * ("Reconnecting…"), and where even that does not fit it is the icon
 * alone, in the state's colour, in a round button of its own (style class
 * "compact"): the button is given only the width of what it shows, never
 * an empty pill sized for words it left out. The tooltip then has the
 * whole state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "lablink-connection-indicator.h"
#include "lablink-server-row.h"
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
  GtkLabel       *short_label;   /* when the header bar is short of room */
  GtkWidget      *squeezer;      /* shows one of them, or neither */
  GtkWidget      *reconnect_button;
  GtkWidget      *login_button;
  GtkWidget      *servers_title;
  GtkListBox     *servers_list;

  LablinkSession *session;
  GSignalGroup   *session_signals;
  GListModel     *sessions;          /* all the window's, or NULL */
  GPtrArray      *sessions_signals;  /* GSignalGroup per one of sessions */
  GSignalGroup   *settings_signals;  /* the session's settings */
  GtkStringList  *recent;            /* recent servers, newest first */
  LablinkDiscovery *discovery;       /* once the popover was open */
  guint           countdown;
  char           *tooltip;           /* while the whole state is shown */
  char           *squeezed_tooltip;  /* while it is not */
};

G_DEFINE_FINAL_TYPE (LablinkConnectionIndicator, lablink_connection_indicator, GTK_TYPE_WIDGET)

static gboolean countdown_cb (gpointer data);

/* The tooltip says what the button leaves out. */
static void
sync_tooltip (LablinkConnectionIndicator *self)
{
  gboolean whole;

  if (self->squeezer == NULL)   /* still being built */
    return;
  whole = adw_squeezer_get_visible_child (ADW_SQUEEZER (self->squeezer)) == GTK_WIDGET (self->label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), whole ? self->tooltip : self->squeezed_tooltip);
}

static void
set_tooltips (LablinkConnectionIndicator *self,
              const char                 *tooltip,
              const char                 *squeezed_tooltip)
{
  g_free (self->tooltip);
  self->tooltip = g_strdup (tooltip);
  g_free (self->squeezed_tooltip);
  self->squeezed_tooltip = g_strdup (squeezed_tooltip);
  sync_tooltip (self);
}

/* The squeezer chose: a round button for the icon alone. */
static void
squeezed_cb (LablinkConnectionIndicator *self)
{
  if (self->squeezer == NULL)   /* still being built */
    return;
  if (adw_squeezer_get_visible_child (ADW_SQUEEZER (self->squeezer)) == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->menu_button), "compact");
  sync_tooltip (self);
}

static const char * const notifications[] = {
  "notify::state", "notify::next-retry-time", "notify::retry-attempt", "notify::last-error",
  "notify::server-url", "notify::demo",
};

static const char *
icon_for_state (LablinkConnectionState state)
{
  switch (state)
    {
    case LABLINK_CONNECTION_CONNECTED:
      return "network-transmit-receive-symbolic";
    case LABLINK_CONNECTION_CONNECTING:
      return "network-idle-symbolic";
    case LABLINK_CONNECTION_RECONNECTING:
      return "network-error-symbolic";
    case LABLINK_CONNECTION_AUTH_FAILED:
      return "dialog-password-symbolic";
    case LABLINK_CONNECTION_DISCONNECTED:
    default:
      return "network-offline-symbolic";
    }
}

/* A state in a few words: no countdown, no attempt. */
static char *
dup_short_state (LablinkSession *session)
{
  if (session != NULL && lablink_session_get_state (session) == LABLINK_CONNECTION_RECONNECTING)
    return g_strdup (_("Reconnecting…"));
  if (session == NULL)
    return g_strdup (_("Offline"));
  return lablink_session_dup_state_text (session, NULL);
}

static void
show_state (LablinkConnectionIndicator *self,
            const char                 *text,
            const char                 *short_text,
            const char                 *icon,
            const char                 *css)
{
  gtk_label_set_label (self->label, text);
  gtk_label_set_label (self->short_label, short_text);
  gtk_image_set_from_icon_name (self->icon, icon);
  gtk_widget_remove_css_class (GTK_WIDGET (self->menu_button), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->menu_button), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->menu_button), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), css);
}

/* A countdown needs a tick; nothing else does. */
static void
tick (LablinkConnectionIndicator *self,
      gboolean                    reconnecting)
{
  if (reconnecting && self->countdown == 0)
    self->countdown = g_timeout_add_seconds (1, countdown_cb, self);
  else if (!reconnecting)
    g_clear_handle_id (&self->countdown, g_source_remove);
}

/* A button's action and its target (a server's URL, or none), never one
 * without the other that it needs. */
static void
set_action (GtkWidget  *button,
            const char *name,
            const char *url)
{
  GtkActionable *actionable = GTK_ACTIONABLE (button);
  GVariant *target = gtk_actionable_get_action_target_value (actionable);

  if (g_strcmp0 (gtk_actionable_get_action_name (actionable), name) == 0 &&
      (url == NULL ? target == NULL
                   : target != NULL && g_strcmp0 (g_variant_get_string (target, NULL), url) == 0))
    return;
  gtk_actionable_set_action_name (actionable, NULL);
  gtk_actionable_set_action_target_value (actionable, url ? g_variant_new_string (url) : NULL);
  gtk_actionable_set_action_name (actionable, name);
}

static guint
n_sessions (LablinkConnectionIndicator *self)
{
  return self->sessions ? g_list_model_get_n_items (self->sessions) : 0;
}

/* Several servers: all connected, or the worst named, or how many are not. */
static void
update_summary (LablinkConnectionIndicator *self)
{
  g_autoptr(LablinkSession) worst = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *text = NULL;
  LablinkConnectionState worst_state = LABLINK_CONNECTION_CONNECTED;
  const char *css = "success";
  gboolean reconnecting = FALSE;
  guint i, n = n_sessions (self), bad = 0, worst_rank = 0;

  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkSession) session = g_list_model_get_item (self->sessions, i);
      LablinkConnectionState state = lablink_session_get_state (session);
      g_autofree char *title = lablink_session_dup_title (session);
      g_autofree char *state_text = lablink_session_dup_state_text (session, NULL);
      guint rank;

      g_string_append_printf (detail, "%s%s: %s", i ? "\n" : "", title, state_text);
      reconnecting |= state == LABLINK_CONNECTION_RECONNECTING;
      if (state == LABLINK_CONNECTION_CONNECTED)
        continue;
      bad++;
      /* offline or refused is worse than on its way */
      rank = state == LABLINK_CONNECTION_AUTH_FAILED || state == LABLINK_CONNECTION_DISCONNECTED ? 2 : 1;
      if (rank > worst_rank)
        {
          g_set_object (&worst, session);
          worst_state = state;
          worst_rank = rank;
        }
    }

  if (bad == 0)
    text = g_strdup (_("Connected"));
  else if (bad == 1)
    {
      g_autofree char *title = lablink_session_dup_title (worst);
      g_autofree char *state_text = lablink_session_dup_state_text (worst, &css);

      /* Translators: a server, then its connection state */
      text = g_strdup_printf (_("%s: %s"), title, state_text);
    }
  else
    {
      g_free (lablink_session_dup_state_text (worst, &css));
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u server not connected",
                                           "%u of %u servers not connected", n), bad, n);
    }
  {
    g_autofree char *short_text = worst ? dup_short_state (worst) : g_strdup (text);

    show_state (self, text, short_text, icon_for_state (worst_state), css);
  }

  /* the quick buttons act on the worst */
  if (worst != NULL)
    {
      const char *url = lablink_session_get_server_url (worst);

      set_action (self->reconnect_button, "win.reconnect-server", url ? url : "");
      set_action (self->login_button, "win.reconnect-server", url ? url : "");
    }
  gtk_widget_set_visible (self->reconnect_button,
                          worst_state == LABLINK_CONNECTION_RECONNECTING || worst_state == LABLINK_CONNECTION_DISCONNECTED);
  gtk_widget_set_visible (self->login_button, worst_state == LABLINK_CONNECTION_AUTH_FAILED);
  /* each server with its whole state */
  set_tooltips (self, detail->str, detail->str);
  tick (self, reconnecting);
}

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

  gtk_widget_set_visible (self->servers_title, n_sessions (self) > 1);
  gtk_widget_set_visible (GTK_WIDGET (self->servers_list), n_sessions (self) > 1);
  if (n_sessions (self) > 1)
    {
      update_summary (self);
      return;
    }
  /* one server: its own quick buttons */
  set_action (self->reconnect_button, "win.reconnect", NULL);
  set_action (self->login_button, "win.login", NULL);

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

  {
    g_autofree char *short_text = state == LABLINK_CONNECTION_RECONNECTING ? g_strdup (_("Reconnecting…"))
                                                                          : g_strdup (text);

    show_state (self, text, short_text, icon, css);
  }

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
  {
    g_autofree char *with_state = g_strdup_printf ("%s\n%s", text, detail);

    set_tooltips (self, detail, with_state);
  }

  tick (self, state == LABLINK_CONNECTION_RECONNECTING);
}

static gboolean
countdown_cb (gpointer data)
{
  LablinkConnectionIndicator *self = data;

  /* update() removes the tick once nothing waits */
  lablink_connection_indicator_update (self);
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

static GtkWidget *
create_server_row_cb (gpointer item,
                      gpointer data)
{
  GtkWidget *row = lablink_server_row_new (LABLINK_SESSION (item));

  /* here a row shows its server (win.show-server) */
  gtk_widget_set_name (row, "indicator-server-row");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static void
server_activated_cb (LablinkConnectionIndicator *self,
                     GtkListBoxRow              *row)
{
  const char *url = lablink_session_get_server_url (lablink_server_row_get_session (LABLINK_SERVER_ROW (row)));

  if (url == NULL)
    return;
  gtk_popover_popdown (self->popover);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-server", "s", url);
}

/* Each server's state changes are heard (a signal group each). */
static void
sessions_changed_cb (LablinkConnectionIndicator *self)
{
  guint i, n = n_sessions (self);

  g_ptr_array_set_size (self->sessions_signals, 0);
  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkSession) session = g_list_model_get_item (self->sessions, i);
      GSignalGroup *group = g_signal_group_new (LABLINK_TYPE_SESSION);
      guint k;

      for (k = 0; k < G_N_ELEMENTS (notifications); k++)
        g_signal_group_connect_swapped (group, notifications[k], G_CALLBACK (lablink_connection_indicator_update), self);
      g_signal_group_set_target (group, session);
      g_ptr_array_add (self->sessions_signals, group);
    }
  lablink_connection_indicator_update (self);
}

/**
 * lablink_connection_indicator_set_sessions:
 * @self: the indicator
 * @sessions: (nullable): the window's sessions (#LablinkSession): with
 *   several, it sums them up and its popover lists them
 */
void
lablink_connection_indicator_set_sessions (LablinkConnectionIndicator *self,
                                           GListModel                 *sessions)
{
  g_return_if_fail (LABLINK_IS_CONNECTION_INDICATOR (self));
  g_return_if_fail (sessions == NULL || G_IS_LIST_MODEL (sessions));

  if (self->sessions == sessions)
    return;
  if (self->sessions != NULL)
    g_signal_handlers_disconnect_by_func (self->sessions, sessions_changed_cb, self);
  g_set_object (&self->sessions, sessions);
  gtk_list_box_bind_model (self->servers_list, sessions, sessions ? create_server_row_cb : NULL, NULL, NULL);
  if (sessions != NULL)
    g_signal_connect_object (sessions, "items-changed", G_CALLBACK (sessions_changed_cb), self, G_CONNECT_SWAPPED);
  sessions_changed_cb (self);
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
lablink_connection_indicator_measure (GtkWidget      *widget,
                                     GtkOrientation  orientation,
                                     int             for_size,
                                     int            *minimum,
                                     int            *natural,
                                     int            *minimum_baseline,
                                     int            *natural_baseline)
{
  LablinkConnectionIndicator *self = LABLINK_CONNECTION_INDICATOR (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

/* The box is given the width of the widest state that fits (the whole, the
 * few words or none) rather than all there is, so that the button's pill
 * ends where its icon or words do; the rest of @width stays empty. The
 * squeezer in the button then has just the room of the state chosen. */
static void
lablink_connection_indicator_size_allocate (GtkWidget *widget,
                                           int        width,
                                           int        height,
                                           int        baseline)
{
  LablinkConnectionIndicator *self = LABLINK_CONNECTION_INDICATOR (widget);
  int box_min, box_nat, whole, few, rest, used;

  gtk_widget_measure (self->box, GTK_ORIENTATION_HORIZONTAL, -1, &box_min, &box_nat, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->label), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &whole, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->short_label), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &few, NULL, NULL);
  /* all but the squeezer, whose natural width is its widest label's */
  rest = box_nat - MAX (whole, few);
  if (rest + whole <= width)
    used = rest + whole;
  else if (rest + few <= width)
    used = rest + few;
  else
    used = rest;
  used = MAX (used, box_min);

  gtk_widget_size_allocate (self->box,
                            &(GtkAllocation) {
                              gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL ? MAX (width - used, 0) : 0,
                              0, used, height },
                            baseline);
}

static void
lablink_connection_indicator_dispose (GObject *object)
{
  LablinkConnectionIndicator *self = LABLINK_CONNECTION_INDICATOR (object);

  g_clear_handle_id (&self->countdown, g_source_remove);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->settings_signals);
  g_clear_object (&self->session);
  if (self->servers_list)
    gtk_list_box_bind_model (self->servers_list, NULL, NULL, NULL, NULL);
  if (self->sessions)
    g_signal_handlers_disconnect_by_func (self->sessions, sessions_changed_cb, self);
  g_clear_object (&self->sessions);
  g_clear_pointer (&self->sessions_signals, g_ptr_array_unref);
  if (self->recent_list)
    gtk_list_box_bind_model (self->recent_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->recent);
  if (self->discovered_list)
    gtk_list_box_bind_model (self->discovered_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->discovery);
  g_clear_pointer (&self->tooltip, g_free);
  g_clear_pointer (&self->squeezed_tooltip, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), LABLINK_TYPE_CONNECTION_INDICATOR);

  G_OBJECT_CLASS (lablink_connection_indicator_parent_class)->dispose (object);
}

static void
lablink_connection_indicator_class_init (LablinkConnectionIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_connection_indicator_dispose;
  widget_class->measure = lablink_connection_indicator_measure;
  widget_class->size_allocate = lablink_connection_indicator_size_allocate;

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
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, short_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, squeezer);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, reconnect_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, login_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, servers_title);
  gtk_widget_class_bind_template_child (widget_class, LablinkConnectionIndicator, servers_list);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, connect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, recent_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, discovered_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, squeezed_cb);

  gtk_widget_class_set_css_name (widget_class, "lablinkconnectionindicator");
}

static void
lablink_connection_indicator_init (LablinkConnectionIndicator *self)
{
  guint i;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->sessions_signals = g_ptr_array_new_with_free_func (g_object_unref);

  self->recent = gtk_string_list_new (NULL);
  gtk_list_box_bind_model (self->recent_list, G_LIST_MODEL (self->recent), create_recent_row_cb, NULL, NULL);

  self->session_signals = g_signal_group_new (LABLINK_TYPE_SESSION);
  for (i = 0; i < G_N_ELEMENTS (notifications); i++)
    g_signal_group_connect_swapped (self->session_signals, notifications[i],
                                    G_CALLBACK (lablink_connection_indicator_update), self);
  self->settings_signals = g_signal_group_new (G_TYPE_SETTINGS);
  g_signal_group_connect_swapped (self->settings_signals, "changed::recent-servers", G_CALLBACK (sync_recent), self);
}
