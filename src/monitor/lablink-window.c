/* lablink-window.c — the main window
 *
 * Header bar: the connection indicator (always visible), the view switcher
 * (Instruments, Acquisitions, Statistics, Events) and the main menu. The
 * Instruments view is a sidebar of equipment and, for the selected one, the
 * stream toolbar and its panel (created on first selection, then kept). In a
 * narrow window the sidebar folds away (an AdwFlap); the header bar's sidebar
 * button and F9 (win.toggle-sidebar) show it over the panel. The servers
 * (one LablinkSession each) are in lablink-window-servers.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lablink-equipment-row.h"
#include "lablink-instrument-panel.h"
#include "lablink-login-dialog.h"
#include "lablink-plot.h"
#include "lablink-review-window.h"
#include "lablink-secret.h"
#include "lablink-server-row.h"
#include "lablink-window-private.h"

G_DEFINE_FINAL_TYPE (LablinkWindow, lablink_window, ADW_TYPE_APPLICATION_WINDOW)

/**
 * lablink_widget_find_by_name:
 * @root: a widget
 * @name: a widget name
 *
 * Returns: (transfer none) (nullable): the first descendant of @root (or
 *   @root) with that name, depth first
 */
GtkWidget *
lablink_widget_find_by_name (GtkWidget  *root,
                             const char *name)
{
  GtkWidget *child;

  if (root == NULL)
    return NULL;
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = lablink_widget_find_by_name (child, name);
      if (found)
        return found;
    }
  return NULL;
}

static void
queue_draw_plots (GtkWidget *root)
{
  GtkWidget *child;

  if (LABLINK_IS_PLOT (root))
    gtk_widget_queue_draw (root);
  for (child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    queue_draw_plots (child);
}

void
lablink_window_add_toast (LablinkWindow *self,
                          const char    *text)
{
  AdwToast *toast;

  g_return_if_fail (LABLINK_IS_WINDOW (self));

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  self->n_toasts++;
  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
}

void
lablink_window_show_error (LablinkWindow *self,
                           const char    *title,
                           const char    *detail)
{
  g_autofree char *text = NULL;

  g_return_if_fail (LABLINK_IS_WINDOW (self));

  text = detail ? g_strdup_printf ("%s: %s", title, detail) : g_strdup (title);
  g_message ("%s", text);
  lablink_window_add_toast (self, text);
}

typedef struct {
  LablinkWindow  *window;
  LablinkSession *session;
  char           *username;
  char           *password;
} LoginData;

static void
login_data_free (LoginData *data)
{
  g_object_unref (data->window);
  g_object_unref (data->session);
  g_free (data->username);
  if (data->password)
    memset (data->password, 0, strlen (data->password));
  g_free (data->password);
  g_free (data);
}

static gboolean
has_session (LablinkWindow  *self,
             LablinkSession *session)
{
  guint position;

  return g_list_store_find (self->sessions, session, &position);
}

static void
login_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  LoginData *data = user_data;
  LablinkWindow *self = data->window;
  g_autoptr(GError) error = NULL;

  if (!lablink_session_login_finish (LABLINK_SESSION (source), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Login failed: %s"), error->message);

      if (gtk_widget_get_visible (GTK_WIDGET (self)) && has_session (self, data->session))
        {
          lablink_window_add_toast (self, text);
          /* Asked again with the name just tried: only the password was wrong. */
          lablink_window_ask_login_for (self, data->session,
                                        data->username && *data->username
                                        ? data->username : lablink_session_get_username (data->session));
        }
    }
  else if (has_session (self, data->session))
    {
      /* Next time without asking: the password in the user's keyring. */
      if (data->password && *data->password && !lablink_session_get_demo (data->session))
        lablink_secret_store (lablink_session_get_server_url (data->session), data->username, data->password);
      lablink_window_save_servers (self);
    }
  login_data_free (data);
}

/**
 * lablink_window_log_in:
 * @self: the window
 * @session: one of its sessions
 * @username: the user
 * @password: the password
 *
 * Logs @session in (it connects then); a failure asks again in the login
 * dialog, a success keeps the password in the user's keyring.
 */
void
lablink_window_log_in (LablinkWindow  *self,
                       LablinkSession *session,
                       const char     *username,
                       const char     *password)
{
  LoginData *data;

  g_return_if_fail (LABLINK_IS_WINDOW (self));
  g_return_if_fail (LABLINK_IS_SESSION (session));

  data = g_new0 (LoginData, 1);
  data->window = g_object_ref (self);
  data->session = g_object_ref (session);
  data->username = g_strdup (username);
  data->password = g_strdup (password);
  g_object_set_data_full (G_OBJECT (session), "lablink-window-username", g_strdup (username), g_free);
  /* our copies: the caller may wipe its password at once */
  lablink_session_login_async (session, data->username, data->password, NULL, login_done_cb, data);
}

static void
login_response_cb (LablinkLoginDialog *dialog,
                   const char         *response,
                   LablinkWindow      *self)
{
  if (g_strcmp0 (response, "login") == 0 && self->login_session != NULL && has_session (self, self->login_session))
    {
      lablink_window_log_in (self, self->login_session,
                             lablink_login_dialog_get_username (dialog),
                             lablink_login_dialog_get_password (dialog));
    }
  self->login_dialog = NULL;
  self->login_session = NULL;
}

/**
 * lablink_window_ask_login:
 * @self: the window
 * @username: (nullable): a user name to propose
 *
 * Asks for credentials of the first server; on "Log In" it logs in and
 * connects.
 */
void
lablink_window_ask_login (LablinkWindow *self,
                          const char    *username)
{
  g_return_if_fail (LABLINK_IS_WINDOW (self));
  lablink_window_ask_login_for (self, self->session, username);
}

/**
 * lablink_window_ask_login_for:
 * @self: the window
 * @session: one of its sessions
 * @username: (nullable): a user name to propose
 *
 * Asks for credentials of @session's server; on "Log In" it logs in and
 * connects.
 */
void
lablink_window_ask_login_for (LablinkWindow  *self,
                              LablinkSession *session,
                              const char     *username)
{
  g_return_if_fail (LABLINK_IS_WINDOW (self));
  g_return_if_fail (LABLINK_IS_SESSION (session));

  /* One dialog at a time; another server waiting for a login says so in
   * its sidebar row, whose menu asks again. */
  if (self->login_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->login_dialog));
      return;
    }

  self->login_session = session;
  self->login_dialog = lablink_login_dialog_new (GTK_WINDOW (self), lablink_session_get_server_url (session),
                                                 username, NULL);
  g_signal_connect (self->login_dialog, "response", G_CALLBACK (login_response_cb), self);
  gtk_window_present (GTK_WINDOW (self->login_dialog));
}

static GtkWidget *
create_panel (LablinkSession   *session,
              LablinkEquipment *equipment)
{
  GtkWidget *page = lablink_instrument_panel_new (session, equipment);
  g_autofree char *description = NULL;

  if (page != NULL)
    return page;

  page = adw_status_page_new ();
  description = g_strdup_printf (_("LabLink Monitor has no panel for instruments of type “%s”."),
                                 lablink_equipment_get_type_name (equipment));
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "applications-engineering-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), lablink_equipment_get_display_name (equipment));
  adw_status_page_set_description (ADW_STATUS_PAGE (page), description);
  return page;
}

/* Two servers may well have instruments of the same id (two benches of the
 * same kind): a panel is the instrument's on its server. */
static char *
panel_key (LablinkSession *session,
           const char     *equipment_id)
{
  return g_strdup_printf ("%p/%s", (gpointer) session, equipment_id);
}

void
_lablink_window_show_equipment (LablinkWindow    *self,
                                LablinkSession   *session,
                                LablinkEquipment *equipment)
{
  g_autofree char *key = NULL;
  GtkWidget *panel;

  if (equipment == NULL || session == NULL)
    {
      lablink_stream_toolbar_set_equipment (self->stream_toolbar, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->stream_toolbar), FALSE);
      g_clear_pointer (&self->selected_id, g_free);
      self->selected_session = NULL;
      gtk_stack_set_visible_child_name (self->panel_stack, "empty");
      return;
    }

  /* the toolbar drives the streams of the instrument's own server */
  lablink_stream_toolbar_set_equipment (self->stream_toolbar, NULL);
  lablink_stream_toolbar_set_session (self->stream_toolbar, session);
  lablink_stream_toolbar_set_equipment (self->stream_toolbar, equipment);
  gtk_widget_set_visible (GTK_WIDGET (self->stream_toolbar), TRUE);

  g_free (self->selected_id);
  self->selected_id = g_strdup (lablink_equipment_get_id (equipment));
  self->selected_session = session;

  key = panel_key (session, self->selected_id);
  panel = g_hash_table_lookup (self->panels, key);
  if (panel == NULL)
    {
      panel = create_panel (session, equipment);
      gtk_stack_add_named (self->panel_stack, panel, key);
      g_hash_table_insert (self->panels, g_steal_pointer (&key), panel);
    }
  gtk_stack_set_visible_child (self->panel_stack, panel);
}

static void
equipment_selected_cb (LablinkWindow *self,
                       GtkListBoxRow *row)
{
  if (row == NULL || !LABLINK_IS_EQUIPMENT_ROW (row))
    return;
  _lablink_window_show_equipment (self, lablink_equipment_row_get_session (LABLINK_EQUIPMENT_ROW (row)),
                                  lablink_equipment_row_get_equipment (LABLINK_EQUIPMENT_ROW (row)));
  /* Over the panel, the sidebar has done its job once a row is chosen. */
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

/* The sidebar button: on the Instruments page. (Not only while folded: the
 * flap folds during its size allocation, too late to change the header bar.) */
static void
update_sidebar_button (LablinkWindow *self)
{
  gtk_widget_set_visible (self->sidebar_button,
                          g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "instruments") == 0);
}

/**
 * lablink_window_select_equipment_for:
 * @self: the window
 * @session: (nullable): one of its sessions, or %NULL for the first server
 *   with such an instrument
 * @equipment_id: an instrument's id
 *
 * Selects the instrument in the sidebar and shows its panel.
 *
 * Returns: %FALSE if there is no such instrument
 */
gboolean
lablink_window_select_equipment_for (LablinkWindow  *self,
                                     LablinkSession *session,
                                     const char     *equipment_id)
{
  GtkListBoxRow *row;
  int i;

  g_return_val_if_fail (LABLINK_IS_WINDOW (self), FALSE);

  for (i = 0; (row = gtk_list_box_get_row_at_index (self->equipment_list, i)); i++)
    {
      LablinkEquipmentRow *equipment_row;

      if (!LABLINK_IS_EQUIPMENT_ROW (row))
        continue;
      equipment_row = LABLINK_EQUIPMENT_ROW (row);
      if ((session == NULL || lablink_equipment_row_get_session (equipment_row) == session) &&
          g_strcmp0 (lablink_equipment_get_id (lablink_equipment_row_get_equipment (equipment_row)), equipment_id) == 0)
        {
          gtk_list_box_select_row (self->equipment_list, row);
          _lablink_window_show_equipment (self, lablink_equipment_row_get_session (equipment_row),
                                          lablink_equipment_row_get_equipment (equipment_row));
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * lablink_window_select_equipment:
 * @self: the window
 * @equipment_id: an instrument's id
 *
 * Selects the instrument (of the first server that has it) in the sidebar
 * and shows its panel.
 *
 * Returns: %FALSE if there is no such instrument
 */
gboolean
lablink_window_select_equipment (LablinkWindow *self,
                                 const char    *equipment_id)
{
  return lablink_window_select_equipment_for (self, NULL, equipment_id);
}

const char *
lablink_window_get_selected_equipment_id (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  return self->selected_id;
}

/**
 * lablink_window_get_selected_session:
 * @self: the window
 *
 * Returns: (transfer none) (nullable): the session of the instrument shown
 */
LablinkSession *
lablink_window_get_selected_session (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  return self->selected_session;
}

/**
 * lablink_window_get_panel_for:
 * @self: the window
 * @session: (nullable): one of its sessions (%NULL: the first server)
 * @equipment_id: an instrument's id
 *
 * Returns: (transfer none) (nullable): its panel, once it was shown
 */
GtkWidget *
lablink_window_get_panel_for (LablinkWindow  *self,
                              LablinkSession *session,
                              const char     *equipment_id)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  key = panel_key (session ? session : self->session, equipment_id);
  return g_hash_table_lookup (self->panels, key);
}

/**
 * lablink_window_get_panel:
 * @self: the window
 * @equipment_id: an instrument's id
 *
 * Returns: (transfer none) (nullable): its panel (on the first server),
 *   once it was shown
 */
GtkWidget *
lablink_window_get_panel (LablinkWindow *self,
                          const char    *equipment_id)
{
  return lablink_window_get_panel_for (self, NULL, equipment_id);
}

/* The panels of @session's instruments (all, for %NULL) go. */
void
_lablink_window_remove_panels (LablinkWindow  *self,
                               LablinkSession *session)
{
  g_autofree char *prefix = session ? g_strdup_printf ("%p/", (gpointer) session) : NULL;
  GHashTableIter iter;
  gpointer key, panel;

  g_hash_table_iter_init (&iter, self->panels);
  while (g_hash_table_iter_next (&iter, &key, &panel))
    if (prefix == NULL || g_str_has_prefix (key, prefix))
      {
        gtk_stack_remove (self->panel_stack, panel);
        g_hash_table_iter_remove (&iter);
      }
  if (session == NULL || session == self->selected_session)
    _lablink_window_show_equipment (self, NULL, NULL);
}

static void
equipment_loaded_cb (LablinkSession *session,
                     LablinkWindow  *self)
{
  g_autofree char *previous = self->selected_session == session ? g_strdup (self->selected_id) : NULL;
  GListModel *model = lablink_session_get_equipment (session);
  guint i, n = g_list_model_get_n_items (model);

  /* The list was replaced: panels of the old list go. */
  _lablink_window_remove_panels (self, session);

  if (previous && lablink_window_select_equipment_for (self, session, previous))
    return;
  /* Another server's instrument is shown: it stays. */
  if (self->selected_session != NULL)
    return;

  /* First look at this server: the power supply, else the first one. On
   * the simulator, its readings start at once. */
  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkEquipment) equipment = g_list_model_get_item (model, i);

      if (lablink_equipment_get_kind (equipment) == LABLINK_EQUIPMENT_POWER_SUPPLY)
        {
          const char *id = lablink_equipment_get_id (equipment);

          lablink_window_select_equipment_for (self, session, id);
          if (lablink_session_get_demo (session) &&
              !lablink_session_is_stream_active (session, id, LABLINK_STREAM_READINGS))
            lablink_session_start_stream (session, id, LABLINK_STREAM_READINGS, NULL);
          return;
        }
    }
  if (n > 0)
    {
      g_autoptr(LablinkEquipment) first = g_list_model_get_item (model, 0);
      lablink_window_select_equipment_for (self, session, lablink_equipment_get_id (first));
    }
}

static void
event_toast_dismissed_cb (AdwToast      *toast,
                          LablinkWindow *self)
{
  if (self->event_toast == toast)
    self->event_toast = NULL;
}

static void
event_cb (LablinkSession *session,
          LablinkMessage *message,
          LablinkWindow  *self)
{
  g_autofree char *text = g_strdup (lablink_events_panel_add (self->events_panel, message));

  if (text == NULL)   /* an alarm already shown (alarm and alarm_event) */
    return;

  /* An alarm storm updates one toast rather than queueing hundreds. */
  if (self->event_toast != NULL)
    {
      g_autofree char *title = NULL;

      self->event_toast_count++;
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (and %u more event)", "%s (and %u more events)",
                                            self->event_toast_count),
                               text, self->event_toast_count);
      adw_toast_set_title (self->event_toast, title);
    }
  else
    {
      AdwToast *toast = adw_toast_new (text);

      adw_toast_set_timeout (toast, 5);
      adw_toast_set_button_label (toast, _("View"));
      adw_toast_set_action_name (toast, "win.show-page");
      adw_toast_set_action_target_value (toast, g_variant_new_string ("events"));
      g_signal_connect_object (toast, "dismissed", G_CALLBACK (event_toast_dismissed_cb), self, 0);
      self->event_toast = toast;
      self->event_toast_count = 0;
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  self->n_toasts++;
  g_free (self->last_toast);
  self->last_toast = g_steal_pointer (&text);

  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "events") != 0)
    {
      self->unseen_events++;
      adw_view_stack_page_set_needs_attention (self->events_page, TRUE);
      adw_view_stack_page_set_badge_number (self->events_page, self->unseen_events);
    }
}

static void
server_error_cb (LablinkSession *session,
                 const char     *detail,
                 LablinkWindow  *self)
{
  g_autofree char *text = NULL;

  /* with several servers, which one */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->sessions)) > 1)
    {
      g_autofree char *title = lablink_session_dup_title (session);
      text = g_strdup_printf (_("Server error on %s: %s"), title, detail ? detail : _("unknown"));
    }
  else
    text = g_strdup_printf (_("Server error: %s"), detail ? detail : _("unknown"));
  lablink_window_add_toast (self, text);
}

static void
auth_required_cb (LablinkSession *session,
                  LablinkWindow  *self)
{
  const char *wanted = g_object_get_data (G_OBJECT (session), "lablink-window-username");

  lablink_window_ask_login_for (self, session, lablink_session_get_username (session)
                                               ? lablink_session_get_username (session) : wanted);
}

void
_lablink_window_update_title (LablinkWindow *self)
{
  guint n = self->sessions ? g_list_model_get_n_items (G_LIST_MODEL (self->sessions)) : 0;
  g_autofree char *subtitle = NULL;

  if (n > 1)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u server", "%u servers", n), n);
  else if (self->session == NULL)
    subtitle = g_strdup ("");
  else if (lablink_session_get_demo (self->session))
    subtitle = g_strdup (_("Built-in simulator"));
  else
    subtitle = g_strdup (lablink_session_get_server_url (self->session) ? lablink_session_get_server_url (self->session) : "");
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);
}

static void
server_url_cb (LablinkSession *session,
               GParamSpec     *pspec,
               LablinkWindow  *self)
{
  _lablink_window_update_title (self);
  if (g_str_equal (g_param_spec_get_name (pspec), "server-url"))
    _lablink_window_remove_panels (self, session);
}

static void
visible_page_cb (AdwViewStack  *stack,
                 GParamSpec    *pspec,
                 LablinkWindow *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "events") == 0)
    {
      self->unseen_events = 0;
      adw_view_stack_page_set_needs_attention (self->events_page, FALSE);
      adw_view_stack_page_set_badge_number (self->events_page, 0);
    }
  else if (g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "statistics") == 0)
    lablink_stats_panel_update (self->stats_panel);
  update_sidebar_button (self);
}

void
lablink_window_set_page (LablinkWindow *self,
                         const char    *page)
{
  g_return_if_fail (LABLINK_IS_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->view_stack, page);
}

const char *
lablink_window_get_page (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

/* Send → screen: the values of the instrument or acquisition shown. */
static void
stream_data_cb (LablinkSession *session,
                LablinkMessage *message,
                LablinkWindow  *self)
{
  gint64 sent = lablink_message_get_sent_time (message);

  if (sent != 0 && self->latency != NULL && session == self->selected_session &&
      g_strcmp0 (lablink_window_get_page (self), "instruments") == 0 &&
      g_strcmp0 (lablink_message_get_equipment_id (message), self->selected_id) == 0)
    lablink_frame_latency_add (self->latency, sent);
}

static void
acquisition_data_cb (LablinkSession *session,
                     LablinkMessage *message,
                     LablinkWindow  *self)
{
  gint64 sent = lablink_message_get_sent_time (message);

  if (sent != 0 && self->latency != NULL && session == self->session &&
      g_strcmp0 (lablink_window_get_page (self), "acquisitions") == 0 &&
      g_strcmp0 (lablink_message_get_acquisition_id (message),
                 lablink_acquisition_panel_get_selected_id (self->acquisition_panel)) == 0)
    lablink_frame_latency_add (self->latency, sent);
}

static void
follow_theme_changed_cb (GSettings     *settings,
                         const char    *key,
                         LablinkWindow *self)
{
  lablink_plot_set_follow_theme (g_settings_get_boolean (settings, "dark-plots-follow-theme"));
  queue_draw_plots (GTK_WIDGET (self));
}

void
lablink_window_save_state (LablinkWindow *self)
{
  int width, height;

  g_return_if_fail (LABLINK_IS_WINDOW (self));

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  gtk_widget_get_size_request (self->sidebar, &width, NULL);
  g_settings_set_int (self->settings, "sidebar-width", width);
}

static gboolean
lablink_window_close_request (GtkWindow *window)
{
  lablink_window_save_state (LABLINK_WINDOW (window));
  return GTK_WINDOW_CLASS (lablink_window_parent_class)->close_request (window);
}

static void
lablink_window_dispose (GObject *object)
{
  LablinkWindow *self = LABLINK_WINDOW (object);

  g_clear_object (&self->settings_signals);
  g_clear_pointer (&self->latency, lablink_frame_latency_free);
  /* The sessions go with their window: stop the links and the simulator. */
  _lablink_window_servers_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LABLINK_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lablink_window_parent_class)->dispose (object);
}

static void
lablink_window_finalize (GObject *object)
{
  LablinkWindow *self = LABLINK_WINDOW (object);

  g_hash_table_unref (self->panels);
  g_free (self->selected_id);
  g_free (self->last_toast);

  G_OBJECT_CLASS (lablink_window_parent_class)->finalize (object);
}

static void
lablink_window_class_init (LablinkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = lablink_window_dispose;
  object_class->finalize = lablink_window_finalize;
  window_class->close_request = lablink_window_close_request;

  g_type_ensure (LABLINK_TYPE_CONNECTION_INDICATOR);
  g_type_ensure (LABLINK_TYPE_STREAM_TOOLBAR);
  g_type_ensure (LABLINK_TYPE_ACQUISITION_PANEL);
  g_type_ensure (LABLINK_TYPE_STATS_PANEL);
  g_type_ensure (LABLINK_TYPE_EVENTS_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, connection_indicator);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, equipment_list);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, equipment_placeholder);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, stream_toolbar);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, panel_stack);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, acquisitions_stack);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, acquisitions_switcher);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, acquisition_panel);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, stats_stack);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, stats_switcher);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, stats_panel);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, events_page);
  gtk_widget_class_bind_template_child (widget_class, LablinkWindow, events_panel);
  gtk_widget_class_bind_template_callback (widget_class, equipment_selected_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
}

/* A capture folder dropped on the window opens its review (app.review-capture);
 * anything else is refused with a toast. */
static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         LablinkWindow *self)
{
  GSList *files, *l;
  gboolean any = FALSE;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = g_value_get_boxed (value);
  for (l = files; l != NULL; l = l->next)
    if (lablink_review_window_is_capture (l->data))
      {
        g_autofree char *path = g_file_get_path (l->data);

        if (path == NULL)
          continue;
        gtk_widget_activate_action (GTK_WIDGET (self), "app.review-capture", "s", path);
        any = TRUE;
      }
  if (!any && files != NULL)
    {
      g_autofree char *name = g_file_get_parse_name (files->data);
      g_autofree char *text = g_strdup_printf (_("“%s” is not a capture (no %s)"), name, "capture.ini");

      lablink_window_add_toast (self, text);
    }
  return any;
}

static void
lablink_window_init (LablinkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->panels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  _lablink_window_servers_init (self);
  self->settings_signals = g_signal_group_new (G_TYPE_SETTINGS);
  g_signal_group_connect (self->settings_signals, "changed::dark-plots-follow-theme",
                          G_CALLBACK (follow_theme_changed_cb), self);
  gtk_widget_set_visible (GTK_WIDGET (self->stream_toolbar), FALSE);
  g_signal_connect (self->view_stack, "notify::visible-child-name", G_CALLBACK (visible_page_cb), self);
  {
    g_autoptr(GPropertyAction) toggle = g_property_action_new ("toggle-sidebar", self->flap, "reveal-flap");

    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (toggle));
  }
  update_sidebar_button (self);
  lablink_window_add_actions (self);
  _lablink_window_add_server_actions (self);
  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }
}

/* What the window hears from each of its sessions (a group per session,
 * lablink-window-servers.c). */
void
_lablink_window_connect_session_signals (LablinkWindow *self,
                                         GSignalGroup  *group)
{
  g_signal_group_connect (group, "equipment-loaded", G_CALLBACK (equipment_loaded_cb), self);
  g_signal_group_connect (group, "event", G_CALLBACK (event_cb), self);
  g_signal_group_connect (group, "server-error", G_CALLBACK (server_error_cb), self);
  g_signal_group_connect (group, "auth-required", G_CALLBACK (auth_required_cb), self);
  g_signal_group_connect (group, "notify::server-url", G_CALLBACK (server_url_cb), self);
  g_signal_group_connect (group, "notify::demo", G_CALLBACK (server_url_cb), self);
  g_signal_group_connect (group, "stream-data", G_CALLBACK (stream_data_cb), self);
  g_signal_group_connect (group, "acquisition-data", G_CALLBACK (acquisition_data_cb), self);
}

/**
 * lablink_window_new:
 * @application: the application
 * @session: the first server's session (it takes it over: disposing the
 *   window disconnects it); lablink_window_add_server() adds more
 *
 * Returns: (transfer none): the window (owned by the application)
 */
LablinkWindow *
lablink_window_new (LablinkApplication *application,
                    LablinkSession     *session)
{
  LablinkWindow *self = g_object_new (LABLINK_TYPE_WINDOW, "application", application, NULL);
  GSettings *settings = lablink_session_get_settings (session);

  self->latency = lablink_frame_latency_new (GTK_WIDGET (self), lablink_session_get_latency (session));
  self->settings = settings ? g_object_ref (settings) : NULL;

  if (self->settings)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   MAX (g_settings_get_int (self->settings, "window-width"), 360),
                                   MAX (g_settings_get_int (self->settings, "window-height"), 400));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      gtk_widget_set_size_request (self->sidebar, CLAMP (g_settings_get_int (self->settings, "sidebar-width"), 160, 600), -1);
      lablink_plot_set_follow_theme (g_settings_get_boolean (self->settings, "dark-plots-follow-theme"));
      g_signal_group_set_target (self->settings_signals, self->settings);
    }

  lablink_window_add_session (self, session);

  return self;
}

/**
 * lablink_window_get_session:
 * @self: the window
 *
 * Returns: (transfer none): its first server's session (the one the
 *   header bar's connection indicator, win.connect and the acquisitions
 *   follow)
 */
LablinkSession *
lablink_window_get_session (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  return self->session;
}

/**
 * lablink_window_get_connection_indicator:
 * @self: the window
 *
 * Returns: (transfer none): the header bar's connection indicator
 */
LablinkConnectionIndicator *
lablink_window_get_connection_indicator (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  return self->connection_indicator;
}

/**
 * lablink_window_get_stream_toolbar:
 * @self: the window
 *
 * Returns: (transfer none): the stream toolbar
 */
LablinkStreamToolbar *
lablink_window_get_stream_toolbar (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  return self->stream_toolbar;
}

/**
 * lablink_window_get_stats_panel:
 * @self: the window
 *
 * Returns: (transfer none): the statistics view
 */
LablinkStatsPanel *
lablink_window_get_stats_panel (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  return self->stats_panel;
}

/**
 * lablink_window_get_events_panel:
 * @self: the window
 *
 * Returns: (transfer none): the events view
 */
LablinkEventsPanel *
lablink_window_get_events_panel (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  return self->events_panel;
}

/**
 * lablink_window_get_acquisition_panel:
 * @self: the window
 *
 * Returns: (transfer none): the acquisitions view
 */
LablinkAcquisitionPanel *
lablink_window_get_acquisition_panel (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  return self->acquisition_panel;
}

guint
lablink_window_get_n_toasts (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), 0);
  return self->n_toasts;
}

const char *
lablink_window_get_last_toast (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  return self->last_toast;
}

/**
 * lablink_window_get_login_dialog:
 * @self: the window
 *
 * Returns: (transfer none) (nullable): the login dialog while it is shown
 */
GtkWidget *
lablink_window_get_login_dialog (LablinkWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_WINDOW (self), NULL);
  return self->login_dialog;
}
