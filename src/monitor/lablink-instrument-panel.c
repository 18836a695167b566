/* lablink-instrument-panel.c — what every instrument panel has in common
 *
 * An abstract GtkWidget: the session and the instrument, the subscription to
 * the instrument's streams (stream-data and stream-status-changed detailed by
 * stream key, streams-changed, notify::state, all through one GSignalGroup
 * on the session), the status labels, and the frames stored before the
 * panel existed. Both are construct-only: a panel is made for one instrument
 * of one session (lablink_instrument_panel_new()). A panel (PSU, load,
 * scope) says which streams it shows (stream_types) and implements
 * session_set, stream_data and status_changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-instrument-panel.h"
#include "lablink-load-panel.h"
#include "lablink-psu-panel.h"
#include "lablink-scope-panel.h"

typedef struct {
  GtkLabel *label;
  char     *stream_type;
  char     *title;
} StatusLabel;

typedef struct
{
  LablinkSession   *session;
  LablinkEquipment *equipment;
  GSignalGroup     *session_signals;
  GArray           *status_labels;   /* StatusLabel */

  /* the lock bar (lablink_instrument_panel_add_lock_bar()) */
  GtkWidget        *lock_bar;
  GtkLabel         *lock_label;
  GtkWidget        *lock_release;
  GtkWidget        *controls;
} LablinkInstrumentPanelPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (LablinkInstrumentPanel, lablink_instrument_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_EQUIPMENT,
  PROP_TITLE,
  PROP_SUBTITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * lablink_status_label_set:
 * @label: a label
 * @text: what it says
 * @level: its colour: none, "success" or "warning"
 */
void
lablink_status_label_set (GtkLabel           *label,
                          const char         *text,
                          LablinkStatusLevel  level)
{
  const char *wanted = level == LABLINK_STATUS_GOOD ? "success" : level == LABLINK_STATUS_WARNING ? "warning" : NULL;

  g_return_if_fail (GTK_IS_LABEL (label));

  /* Only what changes: a class removed and added again restyles the label. */
  gtk_label_set_label (label, text);
  if (g_strcmp0 (wanted, "success") != 0 && gtk_widget_has_css_class (GTK_WIDGET (label), "success"))
    gtk_widget_remove_css_class (GTK_WIDGET (label), "success");
  if (g_strcmp0 (wanted, "warning") != 0 && gtk_widget_has_css_class (GTK_WIDGET (label), "warning"))
    gtk_widget_remove_css_class (GTK_WIDGET (label), "warning");
  if (wanted != NULL && !gtk_widget_has_css_class (GTK_WIDGET (label), wanted))
    gtk_widget_add_css_class (GTK_WIDGET (label), wanted);
}

typedef struct {
  GtkWidget *widget;
  char      *action;
} CommandData;

static void
command_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  CommandData *cmd = data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = lablink_session_send_command_finish (LABLINK_SESSION (source), result, &error);
  if (node == NULL && gtk_widget_get_root (cmd->widget) != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Command %s failed: %s"), cmd->action, error->message);
      gtk_widget_activate_action (cmd->widget, "win.show-toast", "s", text);
    }
  g_object_unref (cmd->widget);
  g_free (cmd->action);
  g_free (cmd);
}

void
lablink_send_command_from_widget (GtkWidget      *widget,
                                  LablinkSession *session,
                                  const char     *equipment_id,
                                  const char     *action,
                                  JsonObject     *parameters)
{
  CommandData *cmd;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (LABLINK_IS_SESSION (session));

  /* No server yet: nothing to tell. */
  if (lablink_session_get_server_url (session) == NULL)
    return;
  cmd = g_new0 (CommandData, 1);
  cmd->widget = g_object_ref (widget);
  cmd->action = g_strdup (action);
  lablink_session_send_command_async (session, equipment_id, action, parameters, NULL, command_cb, cmd);
}

static void
status_label_clear (gpointer data)
{
  StatusLabel *sl = data;

  g_free (sl->stream_type);
  g_free (sl->title);
}

static void
update_status (LablinkInstrumentPanel *self)
{
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);
  const char *id;
  guint i;

  if (priv->session == NULL || priv->equipment == NULL)
    return;

  id = lablink_equipment_get_id (priv->equipment);
  for (i = 0; i < priv->status_labels->len; i++)
    {
      StatusLabel *sl = &g_array_index (priv->status_labels, StatusLabel, i);
      LablinkStatusLevel level;
      const char *text = lablink_session_describe_stream (priv->session, id, sl->stream_type, &level);

      if (sl->title)
        {
          g_autofree char *titled = g_strdup_printf ("%s: %s", sl->title, text);
          lablink_status_label_set (sl->label, titled, level);
        }
      else
        lablink_status_label_set (sl->label, text, level);
    }

  if (LABLINK_INSTRUMENT_PANEL_GET_CLASS (self)->status_changed)
    LABLINK_INSTRUMENT_PANEL_GET_CLASS (self)->status_changed (self);
}

static void
stream_data_cb (LablinkSession         *session,
                LablinkMessage         *message,
                LablinkInstrumentPanel *self)
{
  if (LABLINK_INSTRUMENT_PANEL_GET_CLASS (self)->stream_data)
    LABLINK_INSTRUMENT_PANEL_GET_CLASS (self)->stream_data (self, lablink_message_get_stream_type (message), message);
}

static void
status_changed_cb (LablinkSession         *session,
                   const char             *key,
                   LablinkStreamStatus     status,
                   LablinkInstrumentPanel *self)
{
  update_status (self);
}

/* Connects the instrument's streams: the details are its stream keys. */
/* ------------------------------------------------------------------------ */
/* The lock bar                                                              */

static void
update_lock (LablinkInstrumentPanel *self)
{
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);
  LablinkSessionLockState state;
  const char *holder = NULL;
  GDateTime *since = NULL;

  if (priv->lock_bar == NULL || priv->session == NULL || priv->equipment == NULL)
    return;

  state = lablink_session_get_lock_state (priv->session, lablink_equipment_get_id (priv->equipment), &holder,
                                          &since);
  gtk_widget_set_visible (priv->lock_bar, state == LABLINK_SESSION_LOCK_OURS || state == LABLINK_SESSION_LOCK_OTHERS);
  gtk_widget_set_visible (priv->lock_release, state == LABLINK_SESSION_LOCK_OURS);
  if (priv->controls != NULL)
    gtk_widget_set_sensitive (priv->controls, state != LABLINK_SESSION_LOCK_OTHERS);

  if (state == LABLINK_SESSION_LOCK_OURS)
    gtk_label_set_text (priv->lock_label, _("You control this instrument"));
  else if (state == LABLINK_SESSION_LOCK_OTHERS)
    {
      g_autofree char *text = NULL;
      g_autofree char *time = NULL;
      const char *who = holder != NULL && holder[0] != '\0' ? holder : _("another session");

      if (since != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (since);

          time = g_date_time_format (local, "%H:%M");
          /* Translators: who holds an instrument's lock, and since when (HH:MM) */
          text = g_strdup_printf (_("Controlled by %s since %s"), who, time);
        }
      else
        /* Translators: who holds an instrument's lock */
        text = g_strdup_printf (_("Controlled by %s"), who);
      gtk_label_set_text (priv->lock_label, text);
    }
}

static void
release_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(GtkWidget) widget = data;
  g_autoptr(GError) error = NULL;

  if (!lablink_session_release_lock_finish (LABLINK_SESSION (source), result, &error))
    gtk_widget_activate_action (widget, "win.show-toast", "s", error->message);
}

static void
release_clicked_cb (LablinkInstrumentPanel *self)
{
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);

  if (priv->session == NULL || priv->equipment == NULL)
    return;
  lablink_session_release_lock_async (priv->session, lablink_equipment_get_id (priv->equipment), NULL,
                                      release_done_cb, g_object_ref (GTK_WIDGET (self)));
}

/**
 * lablink_instrument_panel_add_lock_bar:
 * @self: a panel
 * @box: a vertical box of the panel, the bar goes second (under the header)
 * @controls: (nullable): what must not be used while someone else holds
 *   the instrument's lock (made insensitive)
 *
 * Shows who holds the instrument's lock: "You control this instrument ·
 * Release" (the button is named `lock-release-<equipment id>`), or
 * "Controlled by NAME since HH:MM". Call it from init().
 */
void
lablink_instrument_panel_add_lock_bar (LablinkInstrumentPanel *self,
                                       GtkBox                 *box,
                                       GtkWidget              *controls)
{
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);
  GtkWidget *first;

  g_return_if_fail (LABLINK_IS_INSTRUMENT_PANEL (self));
  g_return_if_fail (priv->lock_bar == NULL);

  priv->lock_bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_name (priv->lock_bar, "lock-bar");
  gtk_widget_set_visible (priv->lock_bar, FALSE);
  priv->lock_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (priv->lock_label), "lock-label");
  gtk_label_set_xalign (priv->lock_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (priv->lock_label), TRUE);
  gtk_box_append (GTK_BOX (priv->lock_bar), GTK_WIDGET (priv->lock_label));
  priv->lock_release = gtk_button_new_with_mnemonic (_("_Release"));
  gtk_widget_set_tooltip_text (priv->lock_release, _("Let others control this instrument"));
  g_signal_connect_swapped (priv->lock_release, "clicked", G_CALLBACK (release_clicked_cb), self);
  gtk_box_append (GTK_BOX (priv->lock_bar), priv->lock_release);

  first = gtk_widget_get_first_child (GTK_WIDGET (box));
  gtk_box_insert_child_after (box, priv->lock_bar, first);
  priv->controls = controls;
}

/**
 * lablink_instrument_panel_get_lock_text:
 * @self: a panel
 *
 * Returns: (nullable): what the lock bar says, or %NULL when it is hidden
 */
const char *
lablink_instrument_panel_get_lock_text (LablinkInstrumentPanel *self)
{
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);

  g_return_val_if_fail (LABLINK_IS_INSTRUMENT_PANEL (self), NULL);
  if (priv->lock_bar == NULL || !gtk_widget_get_visible (priv->lock_bar))
    return NULL;
  return gtk_label_get_text (priv->lock_label);
}

static void
subscribe (LablinkInstrumentPanel *self)
{
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);
  const char * const *types = LABLINK_INSTRUMENT_PANEL_GET_CLASS (self)->stream_types;
  const char *id = lablink_equipment_get_id (priv->equipment);
  guint t;

  for (t = 0; types && types[t]; t++)
    {
      g_autofree char *key = lablink_protocol_stream_key (id, types[t]);
      g_autofree char *data = g_strconcat ("stream-data::", key, NULL);
      g_autofree char *status = g_strconcat ("stream-status-changed::", key, NULL);

      g_signal_group_connect (priv->session_signals, data, G_CALLBACK (stream_data_cb), self);
      g_signal_group_connect (priv->session_signals, status, G_CALLBACK (status_changed_cb), self);
    }
  g_signal_group_connect_swapped (priv->session_signals, "streams-changed", G_CALLBACK (update_status), self);
  {
    g_autofree char *lock = g_strconcat ("lock-changed::", lablink_equipment_get_id (priv->equipment), NULL);
    g_signal_group_connect_swapped (priv->session_signals, lock, G_CALLBACK (update_lock), self);
  }
  g_signal_group_connect_swapped (priv->session_signals, "notify::state", G_CALLBACK (update_status), self);
}

/**
 * lablink_instrument_panel_get_session:
 * @self: a panel
 *
 * Returns: (transfer none) (nullable): its session
 */
LablinkSession *
lablink_instrument_panel_get_session (LablinkInstrumentPanel *self)
{
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);

  g_return_val_if_fail (LABLINK_IS_INSTRUMENT_PANEL (self), NULL);
  return priv->session;
}

/**
 * lablink_instrument_panel_get_equipment:
 * @self: a panel
 *
 * Returns: (transfer none): its instrument
 */
LablinkEquipment *
lablink_instrument_panel_get_equipment (LablinkInstrumentPanel *self)
{
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);

  g_return_val_if_fail (LABLINK_IS_INSTRUMENT_PANEL (self), NULL);
  return priv->equipment;
}

const char *
lablink_instrument_panel_get_equipment_id (LablinkInstrumentPanel *self)
{
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);

  g_return_val_if_fail (LABLINK_IS_INSTRUMENT_PANEL (self), NULL);
  return priv->equipment ? lablink_equipment_get_id (priv->equipment) : NULL;
}

/**
 * lablink_instrument_panel_add_status_label:
 * @self: a panel
 * @label: a label of the panel
 * @stream_type: the stream whose status it shows
 * @title: (nullable): a prefix ("Waveform: Running")
 *
 * The label follows the stream's status (lablink_session_describe_stream()).
 */
void
lablink_instrument_panel_add_status_label (LablinkInstrumentPanel *self,
                                           GtkLabel               *label,
                                           const char             *stream_type,
                                           const char             *title)
{
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);
  StatusLabel sl;

  g_return_if_fail (LABLINK_IS_INSTRUMENT_PANEL (self));
  g_return_if_fail (GTK_IS_LABEL (label));
  g_return_if_fail (stream_type != NULL);

  sl.label = label;
  sl.stream_type = g_strdup (stream_type);
  sl.title = g_strdup (title);
  g_array_append_val (priv->status_labels, sl);
  update_status (self);
}

/**
 * lablink_instrument_panel_get_status_text:
 * @self: a panel
 * @stream_type: (nullable): a stream type, %NULL for the main stream's
 *
 * Returns: (nullable): what its status label shows
 */
const char *
lablink_instrument_panel_get_status_text (LablinkInstrumentPanel *self,
                                          const char             *stream_type)
{
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);
  guint i;

  g_return_val_if_fail (LABLINK_IS_INSTRUMENT_PANEL (self), NULL);

  for (i = 0; i < priv->status_labels->len; i++)
    {
      StatusLabel *sl = &g_array_index (priv->status_labels, StatusLabel, i);

      if (stream_type == NULL || g_strcmp0 (sl->stream_type, stream_type) == 0)
        return gtk_label_get_label (sl->label);
    }
  return NULL;
}

/**
 * lablink_instrument_panel_is_live:
 * @self: a panel
 * @stream_type: one of its streams
 * @status: (out) (optional): the stream's status
 *
 * Returns: whether the session is connected and runs the stream
 */
gboolean
lablink_instrument_panel_is_live (LablinkInstrumentPanel *self,
                                  const char             *stream_type,
                                  LablinkStreamStatus    *status)
{
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);
  const char *id;

  g_return_val_if_fail (LABLINK_IS_INSTRUMENT_PANEL (self), FALSE);

  if (status)
    *status = LABLINK_STREAM_STATUS_STOPPED;
  if (priv->session == NULL || priv->equipment == NULL)
    return FALSE;
  id = lablink_equipment_get_id (priv->equipment);
  if (status)
    *status = lablink_session_get_stream_status (priv->session, id, stream_type);
  return lablink_session_get_connected (priv->session) &&
         lablink_session_is_stream_active (priv->session, id, stream_type);
}

/**
 * lablink_instrument_panel_send_command:
 * @self: a panel
 * @action: a command of its instrument
 * @parameters: (nullable): its parameters
 *
 * Sends the command; a failure is a toast.
 */
void
lablink_instrument_panel_send_command (LablinkInstrumentPanel *self,
                                       const char             *action,
                                       JsonObject             *parameters)
{
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);

  g_return_if_fail (LABLINK_IS_INSTRUMENT_PANEL (self));

  if (priv->session && priv->equipment)
    lablink_send_command_from_widget (GTK_WIDGET (self), priv->session, lablink_equipment_get_id (priv->equipment),
                                      action, parameters);
}

/**
 * lablink_instrument_panel_new:
 * @session: the session
 * @equipment: an instrument
 *
 * Returns: (transfer floating) (nullable): the panel of the instrument's
 *   kind, or %NULL when there is none
 */
GtkWidget *
lablink_instrument_panel_new (LablinkSession   *session,
                              LablinkEquipment *equipment)
{
  GType type;

  g_return_val_if_fail (LABLINK_IS_SESSION (session), NULL);
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT (equipment), NULL);

  switch (lablink_equipment_get_kind (equipment))
    {
    case LABLINK_EQUIPMENT_POWER_SUPPLY: type = LABLINK_TYPE_PSU_PANEL; break;
    case LABLINK_EQUIPMENT_ELECTRONIC_LOAD: type = LABLINK_TYPE_LOAD_PANEL; break;
    case LABLINK_EQUIPMENT_OSCILLOSCOPE: type = LABLINK_TYPE_SCOPE_PANEL; break;
    case LABLINK_EQUIPMENT_OTHER:
    default: return NULL;
    }
  return g_object_new (type, "equipment", equipment, "session", session, NULL);
}

static char *
dup_subtitle (LablinkEquipment *equipment)
{
  return g_strdup_printf ("%s %s · %s", lablink_equipment_get_manufacturer (equipment),
                          lablink_equipment_get_model (equipment), lablink_equipment_get_id (equipment));
}

static void
lablink_instrument_panel_constructed (GObject *object)
{
  LablinkInstrumentPanel *self = LABLINK_INSTRUMENT_PANEL (object);
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);
  LablinkInstrumentPanelClass *klass = LABLINK_INSTRUMENT_PANEL_GET_CLASS (self);
  const char *id;
  guint t;

  G_OBJECT_CLASS (lablink_instrument_panel_parent_class)->constructed (object);

  g_return_if_fail (priv->session != NULL && priv->equipment != NULL);

  subscribe (self);
  g_signal_group_set_target (priv->session_signals, priv->session);

  if (klass->session_set)
    klass->session_set (self, priv->session);

  /* What arrived before the panel existed. */
  id = lablink_equipment_get_id (priv->equipment);
  for (t = 0; klass->stream_types && klass->stream_types[t]; t++)
    {
      g_autofree char *key = lablink_protocol_stream_key (id, klass->stream_types[t]);
      LablinkMessage *last = lablink_session_get_last_message (priv->session, key);

      if (last && klass->stream_data)
        klass->stream_data (self, klass->stream_types[t], last);
    }
  update_status (self);

  /* who holds its lock (a panel with a lock bar shows it) */
  if (priv->lock_bar != NULL)
    {
      g_autofree char *name = g_strconcat ("lock-release-", id, NULL);

      gtk_widget_set_name (priv->lock_release, name);
      update_lock (self);
      lablink_session_refresh_lock (priv->session, id);
    }
}

static void
lablink_instrument_panel_dispose (GObject *object)
{
  LablinkInstrumentPanel *self = LABLINK_INSTRUMENT_PANEL (object);
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);

  g_signal_group_set_target (priv->session_signals, NULL);
  g_array_set_size (priv->status_labels, 0);
  g_clear_object (&priv->session);
  g_clear_object (&priv->equipment);

  G_OBJECT_CLASS (lablink_instrument_panel_parent_class)->dispose (object);
}

static void
lablink_instrument_panel_finalize (GObject *object)
{
  LablinkInstrumentPanel *self = LABLINK_INSTRUMENT_PANEL (object);
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);

  g_clear_object (&priv->session_signals);
  g_array_unref (priv->status_labels);

  G_OBJECT_CLASS (lablink_instrument_panel_parent_class)->finalize (object);
}

static void
lablink_instrument_panel_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  LablinkInstrumentPanel *self = LABLINK_INSTRUMENT_PANEL (object);
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SESSION: g_value_set_object (value, priv->session); break;
    case PROP_EQUIPMENT: g_value_set_object (value, priv->equipment); break;
    case PROP_TITLE:
      g_value_set_string (value, priv->equipment ? lablink_equipment_get_display_name (priv->equipment) : NULL);
      break;
    case PROP_SUBTITLE:
      g_value_take_string (value, priv->equipment ? dup_subtitle (priv->equipment) : NULL);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_instrument_panel_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  LablinkInstrumentPanel *self = LABLINK_INSTRUMENT_PANEL (object);
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SESSION:
      priv->session = g_value_dup_object (value);
      break;
    case PROP_EQUIPMENT:
      priv->equipment = g_value_dup_object (value);
      g_object_notify_by_pspec (object, properties[PROP_TITLE]);
      g_object_notify_by_pspec (object, properties[PROP_SUBTITLE]);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_instrument_panel_class_init (LablinkInstrumentPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lablink_instrument_panel_constructed;
  object_class->dispose = lablink_instrument_panel_dispose;
  object_class->finalize = lablink_instrument_panel_finalize;
  object_class->get_property = lablink_instrument_panel_get_property;
  object_class->set_property = lablink_instrument_panel_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, LABLINK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EQUIPMENT] =
    g_param_spec_object ("equipment", NULL, NULL, LABLINK_TYPE_EQUIPMENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
lablink_instrument_panel_init (LablinkInstrumentPanel *self)
{
  LablinkInstrumentPanelPrivate *priv = lablink_instrument_panel_get_instance_private (self);

  priv->session_signals = g_signal_group_new (LABLINK_TYPE_SESSION);
  priv->status_labels = g_array_new (FALSE, FALSE, sizeof (StatusLabel));
  g_array_set_clear_func (priv->status_labels, status_label_clear);
}
