/* lablink-load-panel.c — an electronic load: mode, set-point, V/I/P meters and history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lablink-load-panel.h"
#include "lablink-psu-channel.h"
#include "lablink-settings.h"
#include "lablink-units.h"

struct _LablinkLoadPanel
{
  GtkWidget         parent_instance;

  GtkWidget        *box;
  GtkLabel         *title_label;
  GtkLabel         *subtitle_label;
  GtkLabel         *status_label;
  GtkLabel         *mode_label;
  GtkLabel         *input_label;
  GtkBox           *meters_box;
  GtkLabel         *setpoint_label;
  GtkDropDown      *mode_dropdown;
  GtkEntry         *setpoint_entry;
  GtkSwitch        *input_switch;
  LablinkPlot      *plot;

  LablinkMeter     *meters[LABLINK_N_READINGS];
  LablinkSession   *session;
  LablinkEquipment *equipment;
  char             *stream_key;
  gboolean          updating;
};

G_DEFINE_FINAL_TYPE (LablinkLoadPanel, lablink_load_panel, GTK_TYPE_WIDGET)

static const struct {
  const char *mode;
  const char *action;
  const char *parameter;
  const char *unit;
} modes[] = {
  { "CC", "set_current", "current", "A" },
  { "CV", "set_voltage", "voltage", "V" },
  { "CR", "set_resistance", "resistance", "Ω" },
  { "CP", "set_power", "power", "W" },
};

static void
apply_cb (LablinkLoadPanel *self)
{
  guint m = gtk_drop_down_get_selected (self->mode_dropdown);
  g_autoptr(JsonObject) mode_params = json_object_new ();
  g_autoptr(JsonObject) params = NULL;
  const char *id = lablink_equipment_get_id (self->equipment);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->setpoint_entry));
  double value;

  if (m >= G_N_ELEMENTS (modes))
    return;

  json_object_set_string_member (mode_params, "mode", modes[m].mode);
  lablink_send_command_from_widget (GTK_WIDGET (self), self->session, id, "set_mode", mode_params);

  if (*text == '\0')
    return;
  if (!lablink_parse_number (text, &value))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->setpoint_entry), "error");
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", _("Enter a number, e.g. 0.5"));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->setpoint_entry), "error");
  params = json_object_new ();
  json_object_set_double_member (params, modes[m].parameter, value);
  lablink_send_command_from_widget (GTK_WIDGET (self), self->session, id, modes[m].action, params);
}

static gboolean
input_state_set_cb (LablinkLoadPanel *self,
                    gboolean          state)
{
  g_autoptr(JsonObject) params = NULL;

  if (self->updating)
    return FALSE;
  params = json_object_new ();
  json_object_set_boolean_member (params, "enabled", state);
  lablink_send_command_from_widget (GTK_WIDGET (self), self->session,
                                    lablink_equipment_get_id (self->equipment), "set_input", params);
  return FALSE;
}

static void
stream_data_cb (LablinkSession   *session,
                LablinkMessage   *message,
                LablinkLoadPanel *self)
{
  double v = NAN, i = NAN, p = NAN, setpoint = NAN;
  gboolean enabled = FALSE;
  g_autofree char *mode = lablink_message_dup_string (message, "data.mode");
  g_autofree char *setpoint_text = NULL;
  const char *unit = "";
  guint m;

  if (!lablink_message_has_member (message, "data.voltage"))
    return;

  lablink_message_get_double (message, "data.voltage", &v);
  lablink_message_get_double (message, "data.current", &i);
  if (!lablink_message_get_double (message, "data.power", &p))
    p = v * i;
  lablink_message_get_double (message, "data.setpoint", &setpoint);
  lablink_message_get_boolean (message, "data.load_enabled", &enabled);

  lablink_meter_set_value (self->meters[LABLINK_READING_VOLTAGE], v);
  lablink_meter_set_value (self->meters[LABLINK_READING_CURRENT], i);
  lablink_meter_set_value (self->meters[LABLINK_READING_POWER], p);

  for (m = 0; m < G_N_ELEMENTS (modes); m++)
    if (g_strcmp0 (mode, modes[m].mode) == 0)
      unit = modes[m].unit;
  gtk_label_set_label (self->mode_label, mode ? mode : "—");
  gtk_label_set_label (self->input_label, enabled ? _("Input ON") : _("Input OFF"));
  if (enabled)
    gtk_widget_add_css_class (GTK_WIDGET (self->input_label), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->input_label), "accent");
  {
    g_autofree char *value = lablink_format_fixed (setpoint, unit, 3);
    setpoint_text = g_strdup_printf (_("Set-point: %s"), value);
  }
  gtk_label_set_label (self->setpoint_label, setpoint_text);

  self->updating = TRUE;
  if (gtk_switch_get_active (self->input_switch) != enabled)
    gtk_switch_set_active (self->input_switch, enabled);
  gtk_switch_set_state (self->input_switch, enabled);
  self->updating = FALSE;

  for (m = 0; m < LABLINK_N_READINGS; m++)
    lablink_meter_set_stale (self->meters[m], FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self->plot));
}

static void
update_status (LablinkLoadPanel *self)
{
  const char *id = lablink_equipment_get_id (self->equipment);
  gboolean active = lablink_session_is_stream_active (self->session, id, LABLINK_STREAM_READINGS);
  LablinkStreamStatus status = lablink_session_get_stream_status (self->session, id, LABLINK_STREAM_READINGS);
  gboolean connected = lablink_session_get_connected (self->session);
  guint m;

  gtk_label_set_label (self->status_label,
                       !connected ? lablink_connection_state_describe (lablink_session_get_state (self->session))
                       : !active ? _("Stopped") : lablink_stream_status_describe (status));
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "warning");
  if (connected && active)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label),
                              status == LABLINK_STREAM_STATUS_RUNNING ? "success" : "warning");
  lablink_plot_set_message (self->plot,
                            connected && active && status == LABLINK_STREAM_STATUS_NO_DATA
                              ? _("No data: the server acknowledged the stream but sends nothing")
                              : NULL);
  for (m = 0; m < LABLINK_N_READINGS; m++)
    lablink_meter_set_stale (self->meters[m], !connected || !active || status == LABLINK_STREAM_STATUS_NO_DATA);
}

static void
status_changed_cb (LablinkSession      *session,
                   const char          *key,
                   LablinkStreamStatus  status,
                   LablinkLoadPanel    *self)
{
  update_status (self);
}

static void
lablink_load_panel_dispose (GObject *object)
{
  LablinkLoadPanel *self = LABLINK_LOAD_PANEL (object);

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LABLINK_TYPE_LOAD_PANEL);
  g_clear_object (&self->session);
  g_clear_object (&self->equipment);

  G_OBJECT_CLASS (lablink_load_panel_parent_class)->dispose (object);
}

static void
lablink_load_panel_finalize (GObject *object)
{
  LablinkLoadPanel *self = LABLINK_LOAD_PANEL (object);

  g_free (self->stream_key);
  G_OBJECT_CLASS (lablink_load_panel_parent_class)->finalize (object);
}

static void
lablink_load_panel_class_init (LablinkLoadPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_load_panel_dispose;
  object_class->finalize = lablink_load_panel_finalize;

  g_type_ensure (LABLINK_TYPE_PLOT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-load-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkLoadPanel, box);
  gtk_widget_class_bind_template_child (widget_class, LablinkLoadPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkLoadPanel, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkLoadPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkLoadPanel, mode_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkLoadPanel, input_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkLoadPanel, meters_box);
  gtk_widget_class_bind_template_child (widget_class, LablinkLoadPanel, setpoint_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkLoadPanel, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LablinkLoadPanel, setpoint_entry);
  gtk_widget_class_bind_template_child (widget_class, LablinkLoadPanel, input_switch);
  gtk_widget_class_bind_template_child (widget_class, LablinkLoadPanel, plot);
  gtk_widget_class_bind_template_callback (widget_class, apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, input_state_set_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lablinkloadpanel");
}

static void
lablink_load_panel_init (LablinkLoadPanel *self)
{
  static const struct { const char *caption; const char *unit; const char *name; } meters[] = {
    { N_("Voltage"), "V", "load-voltage" },
    { N_("Current"), "A", "load-current" },
    { N_("Power"), "W", "load-power" },
  };
  guint k;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (k = 0; k < LABLINK_N_READINGS; k++)
    {
      self->meters[k] = LABLINK_METER (lablink_meter_new (_(meters[k].caption), meters[k].unit, 3));
      gtk_widget_set_name (GTK_WIDGET (self->meters[k]), meters[k].name);
      gtk_box_append (self->meters_box, GTK_WIDGET (self->meters[k]));
    }

  lablink_plot_set_n_panes (self->plot, 3);
  lablink_plot_set_pane_label (self->plot, 0, _("Voltage"), "V");
  lablink_plot_set_pane_label (self->plot, 1, _("Current"), "A");
  lablink_plot_set_pane_label (self->plot, 2, _("Power"), "W");
}

GtkWidget *
lablink_load_panel_new (LablinkSession   *session,
                        LablinkEquipment *equipment)
{
  LablinkLoadPanel *self = g_object_new (LABLINK_TYPE_LOAD_PANEL, NULL);
  const char *id = lablink_equipment_get_id (equipment);
  g_autofree char *subtitle = g_strdup_printf ("%s %s · %s", lablink_equipment_get_manufacturer (equipment),
                                               lablink_equipment_get_model (equipment), id);
  g_autofree char *detail = NULL;
  LablinkRing *ring;
  LablinkMessage *last;
  static const char *names[] = { "V", "I", "P" };
  guint k;

  self->session = g_object_ref (session);
  self->equipment = g_object_ref (equipment);
  self->stream_key = lablink_protocol_stream_key (id, LABLINK_STREAM_READINGS);

  gtk_label_set_label (self->title_label, lablink_equipment_get_display_name (equipment));
  gtk_label_set_label (self->subtitle_label, subtitle);

  ring = lablink_session_get_readings_ring (session, id, 0);
  for (k = 0; k < LABLINK_N_READINGS; k++)
    {
      guint series = lablink_plot_add_series (self->plot, k, names[k], NULL);
      lablink_plot_set_series_ring (self->plot, series, ring, k);
    }
  lablink_plot_set_window (self->plot, lablink_settings_get_history_seconds (lablink_session_get_settings (session)),
                           LABLINK_PLOT_ORIGIN_NOW);

  detail = g_strconcat ("stream-data::", self->stream_key, NULL);
  g_signal_connect (session, detail, G_CALLBACK (stream_data_cb), self);
  g_free (g_steal_pointer (&detail));
  detail = g_strconcat ("stream-status-changed::", self->stream_key, NULL);
  g_signal_connect (session, detail, G_CALLBACK (status_changed_cb), self);
  g_signal_connect_swapped (session, "streams-changed", G_CALLBACK (update_status), self);
  g_signal_connect_swapped (session, "notify::state", G_CALLBACK (update_status), self);

  last = lablink_session_get_last_message (session, self->stream_key);
  if (last)
    stream_data_cb (session, last, self);
  update_status (self);

  return GTK_WIDGET (self);
}

/**
 * lablink_load_panel_get_meter:
 * @self: a panel
 * @reading: LABLINK_READING_VOLTAGE, _CURRENT or _POWER
 *
 * Returns: (transfer none): the meter
 */
LablinkMeter *
lablink_load_panel_get_meter (LablinkLoadPanel *self,
                              guint             reading)
{
  g_return_val_if_fail (LABLINK_IS_LOAD_PANEL (self), NULL);
  g_return_val_if_fail (reading < LABLINK_N_READINGS, NULL);
  return self->meters[reading];
}

/**
 * lablink_load_panel_get_plot:
 * @self: a panel
 *
 * Returns: (transfer none): the history chart
 */
LablinkPlot *
lablink_load_panel_get_plot (LablinkLoadPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_LOAD_PANEL (self), NULL);
  return self->plot;
}

const char *
lablink_load_panel_get_mode_text (LablinkLoadPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_LOAD_PANEL (self), NULL);
  return gtk_label_get_label (self->mode_label);
}

const char *
lablink_load_panel_get_status_text (LablinkLoadPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_LOAD_PANEL (self), NULL);
  return gtk_label_get_label (self->status_label);
}
