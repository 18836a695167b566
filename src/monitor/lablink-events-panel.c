/* lablink-events-panel.c — unsolicited server events (alarms, jobs)
 *
 * Events are information, never errors: newest first, at most
 * LABLINK_EVENTS_MAX kept, in a GListStore of LablinkEventItem that the
 * list box is bound to.
 *
 * The server tells of one alarm twice: an `alarm` frame (its fields at the
 * top) and an `alarm_event` frame (the same fields under `data`), with the
 * same event_id. They are one event here, shown once. `alarm_updated` and
 * `alarm_cleared` carry little more than that event_id: they are told as
 * sentences naming the alarm raised under it.
 *
 * Each event knows the server it came from (the window's servers share one
 * list); its row names it while the window has several (show-servers):
 * "12:03:04 · bench2:8000 · alarm_event".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "lablink-events-panel.h"

/* One event as the list shows it. */
#define LABLINK_TYPE_EVENT_ITEM (lablink_event_item_get_type ())
G_DECLARE_FINAL_TYPE (LablinkEventItem, lablink_event_item, LABLINK, EVENT_ITEM, GObject)

struct _LablinkEventItem
{
  GObject  parent_instance;

  char    *text;
  char    *time;
  char    *server;       /* the server it came from, or NULL */
  char    *type;
  char    *alarm_key;    /* an alarm's occurrence (event_id), else NULL */
  char    *alarm_name;
};

G_DEFINE_FINAL_TYPE (LablinkEventItem, lablink_event_item, G_TYPE_OBJECT)

static void
lablink_event_item_finalize (GObject *object)
{
  LablinkEventItem *self = LABLINK_EVENT_ITEM (object);

  g_free (self->text);
  g_free (self->time);
  g_free (self->server);
  g_free (self->type);
  g_free (self->alarm_key);
  g_free (self->alarm_name);
  G_OBJECT_CLASS (lablink_event_item_parent_class)->finalize (object);
}

static void
lablink_event_item_class_init (LablinkEventItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lablink_event_item_finalize;
}

static void
lablink_event_item_init (LablinkEventItem *self)
{
}

struct _LablinkEventsPanel
{
  GtkWidget   parent_instance;

  GtkWidget  *box;
  GtkLabel   *count_label;
  GtkStack   *stack;
  GtkListBox *list;

  GListStore *events;   /* LablinkEventItem, newest first */
  gboolean    show_servers;
};

G_DEFINE_FINAL_TYPE (LablinkEventsPanel, lablink_events_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SHOW_SERVERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* An alarm frame's field, under data or at the top. */
static char *
alarm_field (LablinkMessage *message,
             const char     *field)
{
  g_autofree char *path = g_strconcat ("data.", field, NULL);
  char *value = lablink_message_dup_string (message, path);

  if (value == NULL)
    value = lablink_message_dup_string (message, field);
  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static gboolean
is_alarm_raised (const char *type)
{
  return g_strcmp0 (type, "alarm") == 0 || g_strcmp0 (type, "alarm_event") == 0;
}

/* Which occurrence of an alarm a frame tells of: its event_id, else its
 * alarm_id and when it was raised. */
static char *
alarm_key (LablinkMessage *message)
{
  const char *type = lablink_message_get_type_name (message);
  g_autofree char *event_id = NULL;
  g_autofree char *alarm_id = NULL;
  g_autofree char *when = NULL;

  if (type == NULL || !g_str_has_prefix (type, "alarm"))
    return NULL;
  event_id = alarm_field (message, "event_id");
  if (event_id != NULL)
    return g_steal_pointer (&event_id);
  alarm_id = alarm_field (message, "alarm_id");
  when = alarm_field (message, "triggered_at");
  if (when == NULL)
    when = alarm_field (message, "timestamp");
  return alarm_id && when ? g_strdup_printf ("%s@%s", alarm_id, when) : NULL;
}

/* A sentence for an alarm's later news, @name (the alarm's name or id)
 * when known. NULL for frames that are not such news. */
static char *
describe_alarm_news (LablinkMessage *message,
                     const char     *name)
{
  const char *type = lablink_message_get_type_name (message);
  g_autofree char *state = NULL;
  g_autofree char *by = NULL;

  if (g_strcmp0 (type, "alarm_cleared") == 0)
    return name ? g_strdup_printf (_("Alarm “%s” cleared"), name) : g_strdup (_("Alarm cleared"));
  if (g_strcmp0 (type, "alarm_updated") != 0)
    return NULL;

  state = alarm_field (message, "state");
  if (g_strcmp0 (state, "acknowledged") != 0)
    return name ? g_strdup_printf (_("Alarm “%s” updated"), name) : g_strdup (_("Alarm updated"));
  by = alarm_field (message, "acknowledged_by");
  if (name && by)
    return g_strdup_printf (_("Alarm “%s” acknowledged by %s"), name, by);
  return name ? g_strdup_printf (_("Alarm “%s” acknowledged"), name) : g_strdup (_("Alarm acknowledged"));
}

/* The alarm's name (else its id, else the event's) in a frame. */
static char *
alarm_name (LablinkMessage *message)
{
  char *name = alarm_field (message, "alarm_name");

  if (name == NULL)
    name = alarm_field (message, "alarm_id");
  return name;
}

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
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *equipment = NULL;

  name = alarm_name (message);
  if (name == NULL)
    name = alarm_field (message, "event_id");
  text = describe_alarm_news (message, name);
  if (text != NULL)
    return g_steal_pointer (&text);
  g_clear_pointer (&name, g_free);

  text = lablink_message_dup_string (message, "data.message");
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
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", n), n);

  gtk_label_set_label (self->count_label, text);
  gtk_stack_set_visible_child_name (self->stack, n ? "list" : "empty");
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer data)
{
  LablinkEventsPanel *self = data;
  LablinkEventItem *event = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = NULL;

  if (self->show_servers && event->server != NULL)
    subtitle = g_strdup_printf ("%s · %s · %s", event->time, event->server, event->type ? event->type : "");
  else
    subtitle = g_strdup_printf ("%s · %s", event->time, event->type ? event->type : "");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), event->text);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon_for (event->type)));
  return row;
}

/* The raised alarm shown for @key of @server, or NULL. */
static LablinkEventItem *
find_alarm (LablinkEventsPanel *self,
            const char         *server,
            const char         *key)
{
  guint i, n = g_list_model_get_n_items (G_LIST_MODEL (self->events));

  for (i = 0; key && i < n; i++)
    {
      g_autoptr(LablinkEventItem) event = g_list_model_get_item (G_LIST_MODEL (self->events), i);

      if (is_alarm_raised (event->type) && g_strcmp0 (event->alarm_key, key) == 0 &&
          g_strcmp0 (event->server, server) == 0)
        return event;   /* the store holds it */
    }
  return NULL;
}

/**
 * lablink_events_panel_add:
 * @self: the panel
 * @message: an event message
 *
 * lablink_events_panel_add_from() for an event of no server in particular.
 *
 * Returns: (nullable): the new event's description, or %NULL when the
 *   event was one already shown
 */
const char *
lablink_events_panel_add (LablinkEventsPanel *self,
                          LablinkMessage     *message)
{
  return lablink_events_panel_add_from (self, message, NULL);
}

/**
 * lablink_events_panel_add_from:
 * @self: the panel
 * @message: an event message
 * @server: (nullable): what names the server it came from
 *
 * Shows an event, unless it is an alarm of that server already shown
 * (`alarm` and `alarm_event` tell of the same one).
 *
 * Returns: (nullable): the new event's description, or %NULL when the
 *   event was one already shown
 */
const char *
lablink_events_panel_add_from (LablinkEventsPanel *self,
                               LablinkMessage     *message,
                               const char         *server)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");
  g_autoptr(LablinkEventItem) event = NULL;
  const char *type = lablink_message_get_type_name (message);
  LablinkEventItem *raised;
  guint n;

  g_return_val_if_fail (LABLINK_IS_EVENTS_PANEL (self), NULL);

  event = g_object_new (LABLINK_TYPE_EVENT_ITEM, NULL);
  event->type = g_strdup (type);
  event->server = g_strdup (server);
  event->alarm_key = alarm_key (message);
  raised = find_alarm (self, server, event->alarm_key);
  if (is_alarm_raised (type) && raised != NULL)
    return NULL;

  event->alarm_name = alarm_name (message);
  if (event->alarm_name == NULL && raised != NULL)
    event->alarm_name = g_strdup (raised->alarm_name);
  event->text = describe_alarm_news (message, event->alarm_name ? event->alarm_name : event->alarm_key);
  if (event->text == NULL)
    event->text = lablink_describe_event (message);
  event->time = g_steal_pointer (&time);

  g_list_store_insert (self->events, 0, event);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  if (n > LABLINK_EVENTS_MAX)
    g_list_store_splice (self->events, LABLINK_EVENTS_MAX, n - LABLINK_EVENTS_MAX, NULL, 0);
  return event->text;   /* the store holds it */
}

guint
lablink_events_panel_get_n_events (LablinkEventsPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_EVENTS_PANEL (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->events));
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
  g_autoptr(LablinkEventItem) event = NULL;

  g_return_val_if_fail (LABLINK_IS_EVENTS_PANEL (self), NULL);

  event = g_list_model_get_item (G_LIST_MODEL (self->events), index);
  /* The store keeps the item alive. */
  return event ? event->text : NULL;
}

/**
 * lablink_events_panel_get_model:
 * @self: the panel
 *
 * Returns: (transfer none): the events shown, newest first
 */
GListModel *
lablink_events_panel_get_model (LablinkEventsPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_EVENTS_PANEL (self), NULL);
  return G_LIST_MODEL (self->events);
}

/**
 * lablink_events_panel_set_show_servers:
 * @self: the panel
 * @show_servers: whether rows name their event's server (when there are
 *   several servers)
 */
void
lablink_events_panel_set_show_servers (LablinkEventsPanel *self,
                                       gboolean            show_servers)
{
  g_return_if_fail (LABLINK_IS_EVENTS_PANEL (self));

  show_servers = !!show_servers;
  if (self->show_servers == show_servers)
    return;
  self->show_servers = show_servers;
  /* the rows again, with or without their server */
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->events), create_row_cb, self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_SERVERS]);
}

gboolean
lablink_events_panel_get_show_servers (LablinkEventsPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_EVENTS_PANEL (self), FALSE);
  return self->show_servers;
}

void
lablink_events_panel_clear (LablinkEventsPanel *self)
{
  g_return_if_fail (LABLINK_IS_EVENTS_PANEL (self));
  g_list_store_remove_all (self->events);
}

static void
lablink_events_panel_dispose (GObject *object)
{
  LablinkEventsPanel *self = LABLINK_EVENTS_PANEL (object);

  if (self->events)
    g_signal_handlers_disconnect_by_func (self->events, update_count, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), LABLINK_TYPE_EVENTS_PANEL);
  g_clear_object (&self->events);
  G_OBJECT_CLASS (lablink_events_panel_parent_class)->dispose (object);
}

static void
lablink_events_panel_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LablinkEventsPanel *self = LABLINK_EVENTS_PANEL (object);

  switch (prop_id)
    {
    case PROP_SHOW_SERVERS:
      g_value_set_boolean (value, self->show_servers);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_events_panel_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LablinkEventsPanel *self = LABLINK_EVENTS_PANEL (object);

  switch (prop_id)
    {
    case PROP_SHOW_SERVERS:
      lablink_events_panel_set_show_servers (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_events_panel_class_init (LablinkEventsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_events_panel_dispose;
  object_class->get_property = lablink_events_panel_get_property;
  object_class->set_property = lablink_events_panel_set_property;

  /**
   * LablinkEventsPanel:show-servers:
   *
   * Whether each row names the server its event came from.
   */
  properties[PROP_SHOW_SERVERS] =
    g_param_spec_boolean ("show-servers", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  self->events = g_list_store_new (LABLINK_TYPE_EVENT_ITEM);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->events), create_row_cb, self, NULL);
  g_signal_connect_swapped (self->events, "items-changed", G_CALLBACK (update_count), self);
  update_count (self);
}

GtkWidget *
lablink_events_panel_new (void)
{
  return g_object_new (LABLINK_TYPE_EVENTS_PANEL, NULL);
}
