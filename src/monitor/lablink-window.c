/* lablink-window.c — the main window
 *
 * Header bar: the connection indicator (always visible), the view switcher
 * (Instruments, Acquisitions, Statistics, Events) and the main menu; toasts
 * over the pages; the window's size kept in the settings; a capture folder
 * dropped on it opens its review. In a narrow window the Instruments
 * view's sidebar folds away (an AdwFlap); the header bar's sidebar button
 * and F9 (win.toggle-sidebar) show it over the panel.
 *
 * LablinkWindow is split over sibling files (lablink-window-private.h):
 * the Instruments view (lablink-window-instruments.c), the servers
 * (lablink-window-servers.c), logging in (lablink-window-login.c), events
 * (lablink-window-events.c), send → screen latency
 * (lablink-window-latency.c) and the actions
 * (lablink-monitor-window-actions.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-plot.h"
#include "lablink-review-window.h"
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

/* The sidebar button: on the Instruments page. (Not only while folded: the
 * flap folds during its size allocation, too late to change the header bar.) */
static void
update_sidebar_button (LablinkWindow *self)
{
  gtk_widget_set_visible (self->sidebar_button,
                          g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "instruments") == 0);
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
  _lablink_window_latency_dispose (self);
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
  gtk_widget_class_bind_template_callback_full (widget_class, "equipment_selected_cb",
                                                G_CALLBACK (_lablink_window_equipment_selected_cb));

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

  _lablink_window_latency_init (self);
  _lablink_window_servers_init (self);
  _lablink_window_instruments_init (self);
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
  _lablink_window_instruments_watch (self, group);
  _lablink_window_events_watch (self, group);
  _lablink_window_login_watch (self, group);
  _lablink_window_latency_watch (self, group);
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
 *   connection popover's server bar, win.connect and the first page of
 *   the acquisitions follow)
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
