/* lablink-psu-channel.c — meters and controls of one power-supply channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lablink-instrument-panel.h"
#include "lablink-psu-channel.h"
#include "lablink-units.h"

struct _LablinkPsuChannel
{
  GtkWidget       parent_instance;

  GtkWidget      *box;
  GtkLabel       *title_label;
  GtkLabel       *mode_label;
  GtkLabel       *output_label;
  GtkBox         *meters_box;
  GtkLabel       *setpoint_label;
  GtkEntry       *voltage_entry;
  GtkEntry       *current_entry;
  GtkSwitch      *output_switch;

  LablinkMeter   *meters[LABLINK_N_READINGS];
  LablinkSession *session;
  char           *equipment_id;
  guint           channel;
  gboolean        updating;
};

G_DEFINE_FINAL_TYPE (LablinkPsuChannel, lablink_psu_channel, GTK_TYPE_WIDGET)

static void
send_number (LablinkPsuChannel *self,
             GtkEntry          *entry,
             const char        *action,
             const char        *parameter)
{
  g_autoptr(JsonObject) params = NULL;
  double value;

  if (!lablink_parse_number (gtk_editable_get_text (GTK_EDITABLE (entry)), &value))
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", _("Enter a number, e.g. 5 or 2.5"));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");

  params = json_object_new ();
  json_object_set_double_member (params, parameter, value);
  json_object_set_int_member (params, "channel", self->channel);
  lablink_send_command_from_widget (GTK_WIDGET (self), self->session, self->equipment_id, action, params);
}

static void
set_voltage_cb (LablinkPsuChannel *self)
{
  send_number (self, self->voltage_entry, "set_voltage", "voltage");
}

static void
set_current_cb (LablinkPsuChannel *self)
{
  send_number (self, self->current_entry, "set_current", "current");
}

static gboolean
output_state_set_cb (LablinkPsuChannel *self,
                     gboolean           state)
{
  g_autoptr(JsonObject) params = NULL;

  if (self->updating)
    return FALSE;

  params = json_object_new ();
  json_object_set_boolean_member (params, "enabled", state);
  json_object_set_int_member (params, "channel", self->channel);
  lablink_send_command_from_widget (GTK_WIDGET (self), self->session, self->equipment_id, "set_output", params);

  /* The switch moves; its state follows the next reading. */
  return FALSE;
}

static void
set_pill (GtkLabel   *label,
          const char *text,
          const char *css_class)
{
  static const char * const classes[] = { "success", "warning", "accent" };
  guint k;

  /* Only what changes: a class removed and added again restyles the label
   * (and may start its CSS transitions) at every reading, and a new text
   * relays out the window. */
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
  for (k = 0; k < G_N_ELEMENTS (classes); k++)
    if (g_strcmp0 (classes[k], css_class) != 0 && gtk_widget_has_css_class (GTK_WIDGET (label), classes[k]))
      gtk_widget_remove_css_class (GTK_WIDGET (label), classes[k]);
  if (css_class && !gtk_widget_has_css_class (GTK_WIDGET (label), css_class))
    gtk_widget_add_css_class (GTK_WIDGET (label), css_class);
}

/**
 * lablink_psu_channel_update:
 * @self: a channel
 * @message: a PSU `readings` frame of this channel
 */
void
lablink_psu_channel_update (LablinkPsuChannel *self,
                            LablinkMessage    *message)
{
  double v = NAN, i = NAN, vset = NAN, iset = NAN;
  gboolean output = FALSE, cv = FALSE, cc = FALSE;
  g_autofree char *vs = NULL;
  g_autofree char *is = NULL;
  g_autofree char *setpoints = NULL;

  g_return_if_fail (LABLINK_IS_PSU_CHANNEL (self));

  lablink_message_get_double (message, "data.voltage_actual", &v);
  lablink_message_get_double (message, "data.current_actual", &i);
  lablink_message_get_double (message, "data.voltage_set", &vset);
  lablink_message_get_double (message, "data.current_set", &iset);
  lablink_message_get_boolean (message, "data.output_enabled", &output);
  lablink_message_get_boolean (message, "data.in_cv_mode", &cv);
  lablink_message_get_boolean (message, "data.in_cc_mode", &cc);

  lablink_meter_set_value (self->meters[LABLINK_READING_VOLTAGE], v);
  lablink_meter_set_value (self->meters[LABLINK_READING_CURRENT], i);
  lablink_meter_set_value (self->meters[LABLINK_READING_POWER], v * i);

  set_pill (self->mode_label, cc ? "CC" : cv ? "CV" : "—", cc ? "warning" : cv ? "success" : NULL);
  set_pill (self->output_label, output ? _("Output ON") : _("Output OFF"), output ? "accent" : NULL);

  vs = lablink_format_fixed (vset, "V", 3);
  is = lablink_format_fixed (iset, "A", 3);
  setpoints = g_strdup_printf (_("Set-points: %s, %s"), vs, is);
  if (g_strcmp0 (gtk_label_get_label (self->setpoint_label), setpoints) != 0)
    gtk_label_set_label (self->setpoint_label, setpoints);

  self->updating = TRUE;
  if (gtk_switch_get_active (self->output_switch) != output)
    gtk_switch_set_active (self->output_switch, output);
  gtk_switch_set_state (self->output_switch, output);
  self->updating = FALSE;

  lablink_psu_channel_set_stale (self, FALSE);
}

void
lablink_psu_channel_set_stale (LablinkPsuChannel *self,
                               gboolean           stale)
{
  guint k;

  g_return_if_fail (LABLINK_IS_PSU_CHANNEL (self));
  for (k = 0; k < LABLINK_N_READINGS; k++)
    lablink_meter_set_stale (self->meters[k], stale);
}

guint
lablink_psu_channel_get_channel (LablinkPsuChannel *self)
{
  g_return_val_if_fail (LABLINK_IS_PSU_CHANNEL (self), 0);
  return self->channel;
}

/**
 * lablink_psu_channel_get_meter:
 * @self: a channel
 * @reading: LABLINK_READING_VOLTAGE, _CURRENT or _POWER
 *
 * Returns: (transfer none): the meter
 */
LablinkMeter *
lablink_psu_channel_get_meter (LablinkPsuChannel *self,
                               guint              reading)
{
  g_return_val_if_fail (LABLINK_IS_PSU_CHANNEL (self), NULL);
  g_return_val_if_fail (reading < LABLINK_N_READINGS, NULL);
  return self->meters[reading];
}

const char *
lablink_psu_channel_get_mode_text (LablinkPsuChannel *self)
{
  g_return_val_if_fail (LABLINK_IS_PSU_CHANNEL (self), NULL);
  return gtk_label_get_label (self->mode_label);
}

const char *
lablink_psu_channel_get_output_text (LablinkPsuChannel *self)
{
  g_return_val_if_fail (LABLINK_IS_PSU_CHANNEL (self), NULL);
  return gtk_label_get_label (self->output_label);
}

const char *
lablink_psu_channel_get_setpoint_text (LablinkPsuChannel *self)
{
  g_return_val_if_fail (LABLINK_IS_PSU_CHANNEL (self), NULL);
  return gtk_label_get_label (self->setpoint_label);
}

static void
lablink_psu_channel_dispose (GObject *object)
{
  LablinkPsuChannel *self = LABLINK_PSU_CHANNEL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LABLINK_TYPE_PSU_CHANNEL);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (lablink_psu_channel_parent_class)->dispose (object);
}

static void
lablink_psu_channel_finalize (GObject *object)
{
  LablinkPsuChannel *self = LABLINK_PSU_CHANNEL (object);

  g_free (self->equipment_id);
  G_OBJECT_CLASS (lablink_psu_channel_parent_class)->finalize (object);
}

static void
lablink_psu_channel_class_init (LablinkPsuChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_psu_channel_dispose;
  object_class->finalize = lablink_psu_channel_finalize;

  g_type_ensure (LABLINK_TYPE_METER);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-psu-channel.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuChannel, box);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuChannel, title_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuChannel, mode_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuChannel, output_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuChannel, meters_box);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuChannel, setpoint_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuChannel, voltage_entry);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuChannel, current_entry);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuChannel, output_switch);
  gtk_widget_class_bind_template_callback (widget_class, set_voltage_cb);
  gtk_widget_class_bind_template_callback (widget_class, set_current_cb);
  gtk_widget_class_bind_template_callback (widget_class, output_state_set_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lablinkpsuchannel");
}

static void
lablink_psu_channel_init (LablinkPsuChannel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
lablink_psu_channel_new (LablinkSession *session,
                         const char     *equipment_id,
                         guint           channel)
{
  LablinkPsuChannel *self = g_object_new (LABLINK_TYPE_PSU_CHANNEL, NULL);
  static const struct { const char *caption; const char *unit; const char *key; } meters[] = {
    { N_("Voltage"), "V", "voltage" },
    { N_("Current"), "A", "current" },
    { N_("Power"), "W", "power" },
  };
  g_autofree char *title = g_strdup_printf (_("Channel %u"), channel);
  g_autofree char *name = g_strdup_printf ("psu-ch%u", channel);
  guint k;

  self->session = g_object_ref (session);
  self->equipment_id = g_strdup (equipment_id);
  self->channel = channel;
  gtk_label_set_label (self->title_label, title);
  gtk_widget_set_name (GTK_WIDGET (self), name);

  for (k = 0; k < LABLINK_N_READINGS; k++)
    {
      g_autofree char *meter_name = g_strdup_printf ("psu-ch%u-%s", channel, meters[k].key);

      self->meters[k] = LABLINK_METER (lablink_meter_new (_(meters[k].caption), meters[k].unit, 3));
      gtk_widget_set_name (GTK_WIDGET (self->meters[k]), meter_name);
      gtk_box_append (self->meters_box, GTK_WIDGET (self->meters[k]));
    }

  return GTK_WIDGET (self);
}
