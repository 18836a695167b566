/* lablink-events-panel.c — unsolicited server events (alarms, jobs)
 *
 * Events are information, never errors: newest first, at most
 * LABLINK_EVENTS_MAX kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "lablink-events-panel.h"

struct _LablinkEventsPanel
{
  GtkWidget   parent_instance;

  GtkWidget  *box;
  GtkLabel   *count_label;
  GtkStack   *stack;
  GtkListBox *list;

  GPtrArray  *texts;   /* newest first */
};

G_DEFINE_FINAL_TYPE (LablinkEventsPanel, lablink_events_panel, GTK_TYPE_WIDGET)

/**
 * lablink_describe_event:
 * @message: an event message
 *
 * Returns: (transfer full): a one-line description: the event's `message`
 *   when it has one, else its type and names
 */
char *
lablink_describe_event (LablinkMessage *message)
{
  const char *type = lablink_message_get_type_name (message);
  g_autofree char *text = lablink_message_dup_string (message, "data.message");
  g_autofree char *name = NULL;
  g_autofree char *equipment = NULL;

  if (text == NULL)
    text = lablink_message_dup_string (message, "message");
  if (text != NULL && *text != '\0')
    return g_steal_pointer (&text);

  name = lablink_message_dup_string (message, "data.alarm_name");
  if (name == NULL)
    name = lablink_message_dup_string (message, "data.name");
  if (name == NULL)
    name = lablink_message_dup_string (message, "data.job_id");
  equipment = lablink_message_dup_string (message, "data.equipment_id");

  if (name && equipment)
    return g_strdup_printf ("%s: %s (%s)", type, name, equipment);
  if (name || equipment)
    return g_strdup_printf ("%s: %s", type, name ? name : equipment);
  return g_strdup (type ? type : _("event"));
}

static const char *
icon_for (const char *type)
{
  if (type == NULL)
    return "dialog-information-symbolic";
  if (g_str_equal (type, "alarm_cleared"))
    return "emblem-ok-symbolic";
  if (g_str_has_prefix (type, "alarm"))
    return "dialog-warning-symbolic";
  if (g_str_equal (type, "job_failed"))
    return "dialog-error-symbolic";
  if (g_str_has_prefix (type, "job"))
    return "system-run-symbolic";
  return "dialog-information-symbolic";
}

static void
update_count (LablinkEventsPanel *self)
{
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", self->texts->len),
                                           self->texts->len);

  gtk_label_set_label (self->count_label, text);
  gtk_stack_set_visible_child_name (self->stack, self->texts->len ? "list" : "empty");
}

void
lablink_events_panel_add (LablinkEventsPanel *self,
                          LablinkMessage     *message)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");
  g_autofree char *text = lablink_describe_event (message);
  const char *type = lablink_message_get_type_name (message);
  GtkWidget *row, *last;

  g_return_if_fail (LABLINK_IS_EVENTS_PANEL (self));

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  {
    g_autofree char *subtitle = g_strdup_printf ("%s · %s", time, type ? type : "");
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  }
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon_for (type)));
  gtk_list_box_prepend (self->list, row);
  g_ptr_array_insert (self->texts, 0, g_strdup (text));

  while (self->texts->len > LABLINK_EVENTS_MAX && (last = gtk_widget_get_last_child (GTK_WIDGET (self->list))))
    {
      gtk_list_box_remove (self->list, last);
      g_ptr_array_remove_index (self->texts, self->texts->len - 1);
    }
  update_count (self);
}

guint
lablink_events_panel_get_n_events (LablinkEventsPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_EVENTS_PANEL (self), 0);
  return self->texts->len;
}

/**
 * lablink_events_panel_get_text:
 * @self: the panel
 * @index: 0 for the newest event
 *
 * Returns: (nullable): its description
 */
const char *
lablink_events_panel_get_text (LablinkEventsPanel *self,
                               guint               index)
{
  g_return_val_if_fail (LABLINK_IS_EVENTS_PANEL (self), NULL);
  return index < self->texts->len ? g_ptr_array_index (self->texts, index) : NULL;
}

void
lablink_events_panel_clear (LablinkEventsPanel *self)
{
  GtkWidget *child;

  g_return_if_fail (LABLINK_IS_EVENTS_PANEL (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);
  g_ptr_array_set_size (self->texts, 0);
  update_count (self);
}

static void
lablink_events_panel_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LABLINK_TYPE_EVENTS_PANEL);
  G_OBJECT_CLASS (lablink_events_panel_parent_class)->dispose (object);
}

static void
lablink_events_panel_finalize (GObject *object)
{
  LablinkEventsPanel *self = LABLINK_EVENTS_PANEL (object);

  g_ptr_array_unref (self->texts);
  G_OBJECT_CLASS (lablink_events_panel_parent_class)->finalize (object);
}

static void
lablink_events_panel_class_init (LablinkEventsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_events_panel_dispose;
  object_class->finalize = lablink_events_panel_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-events-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkEventsPanel, box);
  gtk_widget_class_bind_template_child (widget_class, LablinkEventsPanel, count_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkEventsPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, LablinkEventsPanel, list);
  gtk_widget_class_bind_template_callback (widget_class, lablink_events_panel_clear);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lablinkeventspanel");
}

static void
lablink_events_panel_init (LablinkEventsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->texts = g_ptr_array_new_with_free_func (g_free);
  update_count (self);
}

GtkWidget *
lablink_events_panel_new (void)
{
  return g_object_new (LABLINK_TYPE_EVENTS_PANEL, NULL);
}
