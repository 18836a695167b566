/* lablink-window-servers.c — LablinkWindow: the servers it shows
 *
 * A lab has a LabLink server per bench: the window holds a list of
 * sessions (a GListStore of LablinkSession), one per server, each with its
 * own link, reconnects, credentials and statistics. The first is the one
 * the connection popover's server bar, win.connect, the demo and the
 * Acquisitions view's first page follow (lablink_window_get_session());
 * the header bar's connection indicator sums up all of them. Adding a
 * server keeps the others connected, removing one disconnects only it;
 * connecting to one in the list already shows it (no duplicate).
 *
 * The sidebar groups instruments by server: the window keeps a flat list
 * model of sections, one per server (lablink-window-instruments.c shows
 * it). The Statistics and Acquisitions views have a page per server (the
 * acquisitions' rows then name their server).
 *
 * The set is kept in the settings (`servers`: URL and user name of each,
 * never a password; the built-in simulator is not kept) and restored at a
 * start without --server or --demo. Passwords go to the user's keyring:
 * a restored server with a user name logs in with the stored password, or
 * asks (lablink-window-login.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lablink-server-row.h"
#include "lablink-window-private.h"

static guint
n_sessions (LablinkWindow *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->sessions));
}

static void
update_actions (LablinkWindow *self)
{
  GAction *remove = g_action_map_lookup_action (G_ACTION_MAP (self), "remove-server");

  if (remove)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (remove), n_sessions (self) > 1);
}

/* The Statistics view: the template's panel for the first server, one
 * more per other server, each a page titled by its server (made again:
 * they keep nothing). The Acquisitions view: the same pages, but each
 * server's panel is kept while its server is (it may be recording); its
 * rows name their server while there are several, as the events do. */
static void
sync_pages (LablinkWindow *self)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stats_stack));
  guint i, n = n_sessions (self);

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (child != GTK_WIDGET (self->stats_panel))
        gtk_stack_remove (self->stats_stack, child);
      child = next;
    }

  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkSession) session = g_list_model_get_item (G_LIST_MODEL (self->sessions), i);
      g_autofree char *title = lablink_session_dup_title (session);
      GtkWidget *panel, *acquisitions;

      if (i == 0)
        {
          panel = GTK_WIDGET (self->stats_panel);
          lablink_stats_panel_set_session (self->stats_panel, session);
          acquisitions = GTK_WIDGET (self->acquisition_panel);
        }
      else
        {
          panel = lablink_stats_panel_new ();
          lablink_stats_panel_set_session (LABLINK_STATS_PANEL (panel), session);
          gtk_stack_add_child (self->stats_stack, panel);
          acquisitions = g_hash_table_lookup (self->acquisition_panels, session);
          if (acquisitions == NULL)
            {
              acquisitions = lablink_acquisition_panel_new ();
              lablink_acquisition_panel_set_session (LABLINK_ACQUISITION_PANEL (acquisitions), session);
              gtk_stack_add_child (self->acquisitions_stack, acquisitions);
              g_hash_table_insert (self->acquisition_panels, session, acquisitions);
            }
        }
      gtk_stack_page_set_title (gtk_stack_get_page (self->stats_stack, panel), title);
      gtk_stack_page_set_title (gtk_stack_get_page (self->acquisitions_stack, acquisitions), title);
      lablink_acquisition_panel_set_server_label (LABLINK_ACQUISITION_PANEL (acquisitions), n > 1 ? title : NULL);
    }
  gtk_widget_set_visible (self->stats_switcher, n > 1);
  gtk_widget_set_visible (self->acquisitions_switcher, n > 1);
  /* the events name their server while there are several */
  lablink_events_panel_set_show_servers (self->events_panel, n > 1);
}

/* A session's own acquisitions panel goes (removed, or now the first). */
static void
remove_acquisition_panel (LablinkWindow  *self,
                          LablinkSession *session)
{
  GtkWidget *panel = g_hash_table_lookup (self->acquisition_panels, session);

  if (panel == NULL)
    return;
  if (gtk_stack_get_visible_child (self->acquisitions_stack) == panel)
    gtk_stack_set_visible_child (self->acquisitions_stack, GTK_WIDGET (self->acquisition_panel));
  gtk_stack_remove (self->acquisitions_stack, panel);
  g_hash_table_remove (self->acquisition_panels, session);
}

/**
 * lablink_window_get_acquisition_panel_for:
 * @self: the window
 * @session: one of its sessions
 *
 * Returns: (transfer none) (nullable): the acquisitions page of its server
 */
LablinkAcquisitionPanel *
lablink_window_get_acquisition_panel_for (LablinkWindow  *self,
                                          LablinkSession *session)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);

  if (session == self->session)
    return self->acquisition_panel;
  return g_hash_table_lookup (self->acquisition_panels, session);
}

static void
session_title_cb (LablinkSession *session,
                  GParamSpec     *pspec,
                  LablinkWindow  *self)
{
  sync_pages (self);
}

void
_lablink_window_set_primary (LablinkWindow  *self,
                             LablinkSession *session)
{
  if (!g_set_object (&self->session, session))
    return;
  lablink_connection_indicator_set_session (self->connection_indicator, session);
  remove_acquisition_panel (self, session);
  lablink_acquisition_panel_set_session (self->acquisition_panel, session);
  if (self->selected_session == NULL)
    lablink_stream_toolbar_set_session (self->stream_toolbar, session);
}

/**
 * lablink_window_add_session:
 * @self: the window
 * @session: a session (of a server not shown yet)
 *
 * Shows @session's server too: a group in the sidebar, a statistics page.
 * The window takes it over: removing it or disposing the window disconnects
 * it.
 */
void
lablink_window_add_session (LablinkWindow  *self,
                            LablinkSession *session)
{
  g_autoptr(GListModel) section = NULL;
  GSignalGroup *group;

  g_return_if_fail (LABLINK_IS_WINDOW (self));
  g_return_if_fail (LABLINK_IS_SESSION (session));

  group = g_signal_group_new (LABLINK_TYPE_SESSION);
  _lablink_window_connect_session_signals (self, group);
  g_signal_group_connect (group, "notify::server-url", G_CALLBACK (session_title_cb), self);
  g_signal_group_connect (group, "notify::demo", G_CALLBACK (session_title_cb), self);
  g_signal_group_set_target (group, session);
  g_hash_table_insert (self->session_signals, g_object_ref (session), group);

  g_list_store_append (self->sessions, session);
  section = _lablink_window_section_new (session);
  g_list_store_append (self->sections, section);
  if (self->session == NULL)
    _lablink_window_set_primary (self, session);

  sync_pages (self);
  update_actions (self);
  _lablink_window_update_title (self);
}

/**
 * lablink_window_get_sessions:
 * @self: the window
 *
 * Returns: (transfer none): its sessions (#LablinkSession), one per
 *   server, the first being lablink_window_get_session()'s
 */
GListModel *
lablink_window_get_sessions (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->sessions);
}

/* "http://host:8000" and "http://host:8000/" are one server */
static gboolean
same_url (const char *a,
          const char *b)
{
  return g_str_equal (a, b) ||
         (g_str_has_prefix (a, b) && g_str_equal (a + strlen (b), "/")) ||
         (g_str_has_prefix (b, a) && g_str_equal (b + strlen (a), "/"));
}

/**
 * lablink_window_lookup_session:
 * @self: the window
 * @server_url: a server's URL (as typed: "host:8000" is http://host:8000)
 *
 * Returns: (transfer none) (nullable): the session of that server
 */
LablinkSession *
lablink_window_lookup_session (LablinkWindow *self,
                               const char    *server_url)
{
  g_autoptr(LablinkClient) client = NULL;
  const char *normalised = NULL;
  guint i, n;

  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);

  if (server_url == NULL)
    return NULL;
  /* the sessions' URLs are the client's normalised ones */
  client = lablink_client_new (server_url, NULL);
  if (client != NULL)
    normalised = lablink_client_get_server_url (client);
  n = n_sessions (self);
  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkSession) session = g_list_model_get_item (G_LIST_MODEL (self->sessions), i);
      const char *url = lablink_session_get_server_url (session);

      if (url != NULL && (same_url (url, server_url) || (normalised && same_url (url, normalised))))
        return session;
    }
  return NULL;
}

/**
 * lablink_window_show_server:
 * @self: the window
 * @session: one of its sessions
 *
 * Brings @session's server into view (win.show-server): the Instruments
 * view with the sidebar shown, one of its instruments selected (the one
 * shown stays if it is of this server) and its header row focused.
 */
void
lablink_window_show_server (LablinkWindow  *self,
                            LablinkSession *session)
{
  GtkWidget *row;

  g_return_if_fail (LABLINK_IS_WINDOW (self));
  g_return_if_fail (LABLINK_IS_SESSION (session));

  lablink_window_set_page (self, "instruments");
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, TRUE);
  if (self->selected_session != session)
    {
      GListModel *equipment = lablink_session_get_equipment (session);
      g_autoptr(LablinkEquipment) first = g_list_model_get_item (equipment, 0);

      if (first != NULL)
        lablink_window_select_equipment_for (self, session, lablink_equipment_get_id (first));
    }
  row = lablink_window_get_server_row (self, session);
  if (row != NULL)
    gtk_widget_grab_focus (row);
}

/**
 * lablink_window_show_shown_server:
 * @self: the window
 * @session: one of its sessions
 *
 * Asked to connect to @session's server again: it is shown, with a toast
 * that says it is in the list already.
 */
void
lablink_window_show_shown_server (LablinkWindow  *self,
                                  LablinkSession *session)
{
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (LABLINK_IS_WINDOW (self));

  lablink_window_show_server (self, session);
  title = lablink_session_dup_title (session);
  text = g_strdup_printf (_("%s is shown already"), title);
  lablink_window_add_toast (self, text);
}

/**
 * lablink_window_get_stats_panel_for:
 * @self: the window
 * @session: one of its sessions
 *
 * Returns: (transfer none) (nullable): the statistics page of its server
 */
LablinkStatsPanel *
lablink_window_get_stats_panel_for (LablinkWindow  *self,
                                    LablinkSession *session)
{
  GtkWidget *child;
  guint position;

  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);

  if (!g_list_store_find (self->sessions, session, &position))
    return NULL;
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->stats_stack)); child;
       child = gtk_widget_get_next_sibling (child))
    if (position-- == 0)
      return LABLINK_STATS_PANEL (child);
  return NULL;
}

/**
 * lablink_window_get_server_row:
 * @self: the window
 * @session: one of its sessions
 *
 * Returns: (transfer none) (nullable): its header row in the sidebar
 */
GtkWidget *
lablink_window_get_server_row (LablinkWindow  *self,
                               LablinkSession *session)
{
  GtkListBoxRow *row;
  int i;

  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);

  for (i = 0; (row = gtk_list_box_get_row_at_index (self->equipment_list, i)); i++)
    if (LABLINK_IS_SERVER_ROW (row) && lablink_server_row_get_session (LABLINK_SERVER_ROW (row)) == session)
      return GTK_WIDGET (row);
  return NULL;
}

/**
 * lablink_window_add_server:
 * @self: the window
 * @server_url: the server's URL
 * @ws_url: (nullable): a WebSocket URL overriding the derived one
 * @username: (nullable): log in as this user
 * @error: return location for an error
 *
 * Connects to one more server (the others stay connected) and keeps the
 * set in the settings.
 *
 * Returns: (transfer none) (nullable): its session, or %NULL if the URL is
 *   unusable or the server is shown already
 */
LablinkSession *
lablink_window_add_server (LablinkWindow  *self,
                           const char     *server_url,
                           const char     *ws_url,
                           const char     *username,
                           GError        **error)
{
  g_autoptr(LablinkSession) session = NULL;

  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);

  if (lablink_window_lookup_session (self, server_url) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("%s is shown already"), server_url);
      return NULL;
    }
  session = lablink_session_new (self->settings);
  if (!lablink_session_set_server (session, server_url, ws_url, error))
    return NULL;
  lablink_window_add_session (self, session);
  lablink_window_start_session (self, session, username);
  lablink_window_save_servers (self);
  return session;
}

/**
 * lablink_window_remove_server:
 * @self: the window
 * @session: one of its sessions
 *
 * Disconnects @session's server and removes it (its group in the sidebar,
 * its panels and statistics); the others stay. The last server stays.
 *
 * Returns: whether it was removed
 */
gboolean
lablink_window_remove_server (LablinkWindow  *self,
                              LablinkSession *session)
{
  g_autoptr(LablinkSession) removed = NULL;
  guint position;

  g_return_val_if_fail (LABLINK_IS_WINDOW (self), FALSE);

  if (n_sessions (self) < 2 || !g_list_store_find (self->sessions, session, &position))
    return FALSE;

  removed = g_object_ref (session);
  _lablink_window_remove_panels (self, session);
  if (self->login_session == session && self->login_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->login_dialog));
  g_list_store_remove (self->sections, position);
  g_list_store_remove (self->sessions, position);
  g_hash_table_remove (self->session_signals, session);
  remove_acquisition_panel (self, session);
  _lablink_window_latency_forget (self, session);
  if (self->session == session)
    {
      g_autoptr(LablinkSession) first = g_list_model_get_item (G_LIST_MODEL (self->sessions), 0);
      _lablink_window_set_primary (self, first);
    }
  /* the toolbar lets go of it */
  lablink_stream_toolbar_set_session (self->stream_toolbar,
                                      self->selected_session ? self->selected_session : self->session);
  /* the link and a simulator stop now, whoever still holds a reference */
  g_object_run_dispose (G_OBJECT (removed));

  sync_pages (self);
  update_actions (self);
  _lablink_window_update_title (self);
  lablink_window_save_servers (self);
  return TRUE;
}

/**
 * lablink_window_save_servers:
 * @self: the window
 *
 * Keeps the set of servers (URL and user name of each, not the built-in
 * simulator) in the settings' `servers`.
 */
void
lablink_window_save_servers (LablinkWindow *self)
{
  GVariantBuilder builder;
  guint i, n;

  g_return_if_fail (LABLINK_IS_WINDOW (self));

  if (self->settings == NULL)
    return;
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ss)"));
  n = n_sessions (self);
  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkSession) session = g_list_model_get_item (G_LIST_MODEL (self->sessions), i);
      const char *url = lablink_session_get_server_url (session);
      const char *user = lablink_session_get_username (session);

      if (user == NULL)
        user = g_object_get_data (G_OBJECT (session), LABLINK_WINDOW_USERNAME_KEY);
      if (url != NULL && !lablink_session_get_demo (session))
        g_variant_builder_add (&builder, "(ss)", url, user ? user : "");
    }
  g_settings_set_value (self->settings, "servers", g_variant_builder_end (&builder));
}

/**
 * lablink_window_restore_servers:
 * @self: the window, with its first session not connected yet
 *
 * Connects to the servers kept in the settings: the first through the
 * window's first session, the others added.
 *
 * Returns: %FALSE if none was kept (nothing changed)
 */
gboolean
lablink_window_restore_servers (LablinkWindow *self)
{
  g_autoptr(GVariant) servers = NULL;
  g_autofree char *last = NULL;
  GVariantIter iter;
  const char *url, *user;
  gboolean first = TRUE, any = FALSE;

  g_return_val_if_fail (LABLINK_IS_WINDOW (self), FALSE);

  if (self->settings == NULL)
    return FALSE;
  servers = g_settings_get_value (self->settings, "servers");
  last = g_settings_get_string (self->settings, "last-server");
  g_variant_iter_init (&iter, servers);
  while (g_variant_iter_next (&iter, "(&s&s)", &url, &user))
    {
      g_autoptr(GError) error = NULL;

      if (first)
        {
          g_autofree char *ws_url = g_str_equal (url, last) ? g_settings_get_string (self->settings, "ws-url") : NULL;

          if (!lablink_session_set_server (self->session, url, ws_url, &error))
            {
              lablink_window_show_error (self, _("Cannot use this server"), error->message);
              continue;
            }
          first = FALSE;
          lablink_window_start_session (self, self->session, user);
        }
      else if (lablink_window_lookup_session (self, url) == NULL)
        {
          g_autoptr(LablinkSession) session = lablink_session_new (self->settings);

          if (!lablink_session_set_server (session, url, NULL, &error))
            {
              lablink_window_show_error (self, _("Cannot use this server"), error->message);
              continue;
            }
          lablink_window_add_session (self, session);
          lablink_window_start_session (self, session, user);
        }
      any = TRUE;
    }
  return any;
}

/* ------------------------------------------------------------------------ */
/* Actions: win.add-server(('url', 'ws-url')), win.remove-server('url'),    */
/* win.reconnect-server('url'), win.show-server('url'), win.show-add-server */

/* A server in the list already is shown rather than added twice. */
static void
add_server_failed (LablinkWindow *self,
                   const char    *url,
                   const GError  *error)
{
  LablinkSession *shown = lablink_window_lookup_session (self, url);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS) && shown != NULL)
    lablink_window_show_shown_server (self, shown);
  else
    lablink_window_show_error (self, _("Cannot add this server"), error->message);
}

static void
add_server_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       data)
{
  LablinkWindow *self = data;
  g_autoptr(GError) error = NULL;
  const char *url, *ws_url;

  g_variant_get (parameter, "(&s&s)", &url, &ws_url);
  if (lablink_window_add_server (self, url, *ws_url ? ws_url : NULL, NULL, &error) == NULL)
    add_server_failed (self, url, error);
}

static void
remove_server_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       data)
{
  LablinkWindow *self = data;
  LablinkSession *session = lablink_window_lookup_session (self, g_variant_get_string (parameter, NULL));

  if (session != NULL)
    lablink_window_remove_server (self, session);
}

static void
show_server_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       data)
{
  LablinkWindow *self = data;
  LablinkSession *session = lablink_window_lookup_session (self, g_variant_get_string (parameter, NULL));

  if (session != NULL)
    lablink_window_show_server (self, session);
}

static void
reconnect_server_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       data)
{
  LablinkWindow *self = data;
  LablinkSession *session = lablink_window_lookup_session (self, g_variant_get_string (parameter, NULL));

  if (session == NULL)
    return;
  if (lablink_session_get_state (session) == LABLINK_CONNECTION_AUTH_FAILED)
    {
      const char *user = lablink_session_get_username (session);
      lablink_window_ask_login_for (self, session, user ? user : g_object_get_data (G_OBJECT (session), LABLINK_WINDOW_USERNAME_KEY));
      return;
    }
  lablink_session_reconnect_now (session);
}

static void
add_dialog_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        LablinkWindow    *self)
{
  GtkEditable *url_entry = g_object_get_data (G_OBJECT (dialog), "url-entry");
  GtkEditable *user_entry = g_object_get_data (G_OBJECT (dialog), "user-entry");
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const char *user;

  if (g_strcmp0 (response, "add") != 0)
    return;
  url = g_strstrip (g_strdup (gtk_editable_get_text (url_entry)));
  user = gtk_editable_get_text (user_entry);
  if (lablink_window_add_server (self, url, NULL, *user ? user : NULL, &error) == NULL)
    add_server_failed (self, url, error);
}

static void
show_add_server_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       data)
{
  LablinkWindow *self = data;
  GtkWidget *dialog, *box, *url_entry, *user_entry;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Add Server"),
                                   _("The other servers stay connected."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  url_entry = gtk_entry_new ();
  gtk_widget_set_name (url_entry, "add-server-url");
  gtk_entry_set_placeholder_text (GTK_ENTRY (url_entry), "http://labserver:8000");
  gtk_entry_set_activates_default (GTK_ENTRY (url_entry), TRUE);
  user_entry = gtk_entry_new ();
  gtk_widget_set_name (user_entry, "add-server-user");
  gtk_entry_set_placeholder_text (GTK_ENTRY (user_entry), _("User (optional)"));
  gtk_entry_set_activates_default (GTK_ENTRY (user_entry), TRUE);
  gtk_box_append (GTK_BOX (box), url_entry);
  gtk_box_append (GTK_BOX (box), user_entry);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "url-entry", url_entry);
  g_object_set_data (G_OBJECT (dialog), "user-entry", user_entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (add_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry server_actions[] = {
  { "add-server", add_server_action, "(ss)" },
  { "remove-server", remove_server_action, "s" },
  { "reconnect-server", reconnect_server_action, "s" },
  { "show-server", show_server_action, "s" },
  { "show-add-server", show_add_server_action },
};

void
_lablink_window_add_server_actions (LablinkWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), server_actions, G_N_ELEMENTS (server_actions), self);
  update_actions (self);
}

void
_lablink_window_servers_init (LablinkWindow *self)
{
  self->sessions = g_list_store_new (LABLINK_TYPE_SESSION);
  self->sections = g_list_store_new (G_TYPE_LIST_MODEL);
  self->session_signals = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
  self->acquisition_panels = g_hash_table_new (NULL, NULL);   /* the stack owns the panels */
  self->sidebar_model = gtk_flatten_list_model_new (G_LIST_MODEL (g_object_ref (self->sections)));
  /* the header bar sums up every server */
  lablink_connection_indicator_set_sessions (self->connection_indicator, G_LIST_MODEL (self->sessions));
}

void
_lablink_window_servers_dispose (LablinkWindow *self)
{
  guint i, n;

  if (self->sessions == NULL)
    return;
  gtk_list_box_bind_model (self->equipment_list, NULL, NULL, NULL, NULL);
  lablink_connection_indicator_set_sessions (self->connection_indicator, NULL);
  g_clear_pointer (&self->session_signals, g_hash_table_unref);
  g_clear_pointer (&self->acquisition_panels, g_hash_table_unref);
  n = n_sessions (self);
  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkSession) session = g_list_model_get_item (G_LIST_MODEL (self->sessions), i);
      g_object_run_dispose (G_OBJECT (session));
    }
  g_clear_object (&self->sidebar_model);
  g_clear_object (&self->sections);
  g_clear_object (&self->sessions);
  g_clear_object (&self->session);
}
