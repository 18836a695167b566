/* lablink-window-events.c — LablinkWindow: what its servers tell
 *
 * Unsolicited events (alarms, job notices) of every server go to the
 * Events view, each with its server's name (shown while there are several
 * servers, as in the toast), and to a toast (an alarm storm updates one toast, "… (and 12
 * more events)", rather than queueing hundreds); while the Events view is
 * not shown its page counts them in a badge. Server errors are toasts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-server-row.h"
#include "lablink-window-private.h"

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
  g_autofree char *server = lablink_session_dup_title (session);
  g_autofree char *text = g_strdup (lablink_events_panel_add_from (self->events_panel, message, server));

  if (text == NULL)   /* an alarm already shown (alarm and alarm_event) */
    return;
  /* with several servers, which one */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->sessions)) > 1)
    {
      g_autofree char *event = g_steal_pointer (&text);

      /* Translators: an event's server, then the event (a toast) */
      text = g_strdup_printf (_("%s: %s"), server, event);
    }

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

/* What the Events view hears from each session. */
void
_lablink_window_events_watch (LablinkWindow *self,
                              GSignalGroup  *group)
{
  g_signal_group_connect (group, "event", G_CALLBACK (event_cb), self);
  g_signal_group_connect (group, "server-error", G_CALLBACK (server_error_cb), self);
}
