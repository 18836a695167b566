/* lablink-server-row.c — one server's header in the sidebar
 *
 * The instruments of each server are listed under a row naming it (its
 * host and port, or "Built-in simulator"; the URL as tooltip), with its own
 * connection state ("Connected", "Reconnecting in 3 s", counted down once a
 * second while it waits, "Login required", "Offline") and a menu:
 * reconnect now (or log in), remove the server. Not selectable. The
 * sidebar is narrow: the state is said briefly (the attempt is in its
 * tooltip, which has the whole state) and wraps rather than being cut.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-server-row.h"

struct _LablinkServerRow
{
  GtkListBoxRow   parent_instance;

  GtkImage       *icon;
  GtkLabel       *title_label;
  GtkLabel       *status_label;
  GtkMenuButton  *menu_button;

  LablinkSession *session;
  GSignalGroup   *session_signals;
  guint           countdown;
};

G_DEFINE_FINAL_TYPE (LablinkServerRow, lablink_server_row, GTK_TYPE_LIST_BOX_ROW)

/**
 * lablink_session_dup_title:
 * @session: a session
 *
 * Returns: (transfer full): what names its server: "host:port", or "Built-in
 *   simulator"
 */
char *
lablink_session_dup_title (LablinkSession *session)
{
  const char *url = lablink_session_get_server_url (session);
  g_autoptr(GUri) uri = NULL;

  if (lablink_session_get_demo (session))
    return g_strdup (_("Built-in simulator"));
  if (url == NULL)
    return g_strdup (_("No server"));
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

/* The state, with the attempt while it waits to reconnect unless @brief. */
static char *
dup_state_text (LablinkSession  *session,
                gboolean         brief,
                const char     **css_class)
{
  const char *css = "error";
  char *text;

  switch (lablink_session_get_state (session))
    {
    case LABLINK_CONNECTION_CONNECTED:
      css = "success";
      text = g_strdup (lablink_session_get_demo (session) ? _("Connected (simulator)") : _("Connected"));
      break;
    case LABLINK_CONNECTION_CONNECTING:
      css = "warning";
      text = g_strdup (_("Connecting…"));
      break;
    case LABLINK_CONNECTION_RECONNECTING:
      {
        gint64 next = lablink_session_get_next_retry_time (session);
        guint attempt = MAX (lablink_session_get_retry_attempt (session), 1);
        gint64 now = g_get_monotonic_time ();

        guint seconds = next > now ? (guint) ((next - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 0;

        css = "warning";
        if (brief && seconds > 0)
          /* Translators: the sidebar's short form of "Reconnecting in %u s (attempt %u)" */
          text = g_strdup_printf (_("Reconnecting in %u s"), seconds);
        else if (brief)
          text = g_strdup (_("Reconnecting…"));
        else if (seconds > 0)
          text = g_strdup_printf (_("Reconnecting in %u s (attempt %u)"), seconds, attempt);
        else
          text = g_strdup_printf (_("Reconnecting… (attempt %u)"), attempt);
      }
      break;
    case LABLINK_CONNECTION_AUTH_FAILED:
      text = g_strdup (_("Login required"));
      break;
    case LABLINK_CONNECTION_DISCONNECTED:
    default:
      text = g_strdup (_("Offline"));
      break;
    }
  if (css_class)
    *css_class = css;
  return text;
}

/**
 * lablink_session_dup_state_text:
 * @session: a session
 * @css_class: (out) (optional): "success", "warning" or "error"
 *
 * Returns: (transfer full): its connection state in a few words, with the
 *   countdown and the attempt while it waits to reconnect
 */
char *
lablink_session_dup_state_text (LablinkSession  *session,
                                const char     **css_class)
{
  return dup_state_text (session, FALSE, css_class);
}

static gboolean countdown_cb (gpointer data);

static void
update (LablinkServerRow *self)
{
  static const char * const classes[] = { "success", "warning", "error" };
  g_autofree char *title = lablink_session_dup_title (self->session);
  g_autofree char *text = NULL;
  g_autofree char *whole = NULL;
  const char *css = NULL;
  guint i;

  text = dup_state_text (self->session, TRUE, &css);
  whole = dup_state_text (self->session, FALSE, NULL);
  gtk_label_set_label (self->title_label, title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), lablink_session_get_server_url (self->session));
  gtk_label_set_label (self->status_label, text);
  /* the sidebar is narrow: the state briefly, the whole state here */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), whole);
  for (i = 0; i < G_N_ELEMENTS (classes); i++)
    if (g_strcmp0 (classes[i], css) != 0)
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), css);

  /* The countdown ticks only while it waits. */
  if (lablink_session_get_state (self->session) == LABLINK_CONNECTION_RECONNECTING)
    {
      if (self->countdown == 0)
        self->countdown = g_timeout_add_seconds (1, countdown_cb, self);
    }
  else
    g_clear_handle_id (&self->countdown, g_source_remove);
}

static gboolean
countdown_cb (gpointer data)
{
  LablinkServerRow *self = data;

  if (lablink_session_get_state (self->session) != LABLINK_CONNECTION_RECONNECTING)
    {
      self->countdown = 0;
      update (self);
      return G_SOURCE_REMOVE;
    }
  update (self);
  return G_SOURCE_CONTINUE;
}

static void
update_menu (LablinkServerRow *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) reconnect = NULL;
  g_autoptr(GMenuItem) remove = NULL;
  const char *url = lablink_session_get_server_url (self->session);

  reconnect = g_menu_item_new (lablink_session_get_state (self->session) == LABLINK_CONNECTION_AUTH_FAILED
                               ? _("_Log In…") : _("_Reconnect Now"), NULL);
  g_menu_item_set_action_and_target_value (reconnect, "win.reconnect-server", g_variant_new_string (url ? url : ""));
  g_menu_append_item (menu, reconnect);
  remove = g_menu_item_new (_("Re_move Server"), NULL);
  g_menu_item_set_action_and_target_value (remove, "win.remove-server", g_variant_new_string (url ? url : ""));
  g_menu_append_item (menu, remove);
  gtk_menu_button_set_menu_model (self->menu_button, G_MENU_MODEL (menu));
}

static void
session_changed_cb (LablinkServerRow *self)
{
  update (self);
  update_menu (self);
}

static void
lablink_server_row_dispose (GObject *object)
{
  LablinkServerRow *self = LABLINK_SERVER_ROW (object);

  g_clear_handle_id (&self->countdown, g_source_remove);
  g_clear_object (&self->session_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), LABLINK_TYPE_SERVER_ROW);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (lablink_server_row_parent_class)->dispose (object);
}

static void
lablink_server_row_class_init (LablinkServerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_server_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-server-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkServerRow, icon);
  gtk_widget_class_bind_template_child (widget_class, LablinkServerRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkServerRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkServerRow, menu_button);
}

static void
lablink_server_row_init (LablinkServerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->session_signals = g_signal_group_new (LABLINK_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::state", G_CALLBACK (session_changed_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::server-url", G_CALLBACK (session_changed_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::demo", G_CALLBACK (session_changed_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::next-retry-time", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::retry-attempt", G_CALLBACK (update), self);
}

/**
 * lablink_server_row_new:
 * @session: the server's session
 *
 * Returns: (transfer floating): a header row for the server
 */
GtkWidget *
lablink_server_row_new (LablinkSession *session)
{
  LablinkServerRow *self;

  g_return_val_if_fail (LABLINK_IS_SESSION (session), NULL);

  self = g_object_new (LABLINK_TYPE_SERVER_ROW, NULL);
  self->session = g_object_ref (session);
  g_signal_group_set_target (self->session_signals, session);
  session_changed_cb (self);
  return GTK_WIDGET (self);
}

LablinkSession *
lablink_server_row_get_session (LablinkServerRow *self)
{
  g_return_val_if_fail (LABLINK_IS_SERVER_ROW (self), NULL);
  return self->session;
}

const char *
lablink_server_row_get_title (LablinkServerRow *self)
{
  g_return_val_if_fail (LABLINK_IS_SERVER_ROW (self), NULL);
  return gtk_label_get_label (self->title_label);
}

const char *
lablink_server_row_get_status_text (LablinkServerRow *self)
{
  g_return_val_if_fail (LABLINK_IS_SERVER_ROW (self), NULL);
  return gtk_label_get_label (self->status_label);
}
