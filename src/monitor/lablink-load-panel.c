/* lablink-load-panel.c — an electronic load: mode, set-point, V/I/P meters and history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lablink-load-panel.h"
#include "lablink-settings.h"
#include "lablink-units.h"

struct _LablinkLoadPanel
{
  LablinkInstrumentPanel parent_instance;

  GtkWidget        *scroller;
  GtkWidget        *box;
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
  gboolean          updating;
};

G_DEFINE_FINAL_TYPE (LablinkLoadPanel, lablink_load_panel, LABLINK_TYPE_INSTRUMENT_PANEL)

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
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->setpoint_entry));
  double value;

  if (m >= G_N_ELEMENTS (modes))
    return;

  json_object_set_string_member (mode_params, "mode", modes[m].mode);
  lablink_instrument_panel_send_command (LABLINK_INSTRUMENT_PANEL (self), "set_mode", mode_params);

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
  lablink_instrument_panel_send_command (LABLINK_INSTRUMENT_PANEL (self), modes[m].action, params);
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
  lablink_instrument_panel_send_command (LABLINK_INSTRUMENT_PANEL (self), "set_input", params);
  return FALSE;
}

static void
lablink_load_panel_stream_data (LablinkInstrumentPanel *panel,
                                const char             *stream_type,
                                LablinkMessage         *message)
{
  LablinkLoadPanel *self = LABLINK_LOAD_PANEL (panel);
  double v = NAN, i = NAN, p = NAN, setpoint = NAN;
  gboolean enabled = FALSE;
  g_autofree char *mode = lablink_message_dup_string (message, "data.mode");
  g_autofree char *setpoint_text = NULL;
  const char *mode_text, *input_text;
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
  /* Only what changes: a new text relays out the window, a class restyles
   * the label (the meters only redraw). */
  mode_text = mode ? mode : "—";
  input_text = enabled ? _("Input ON") : _("Input OFF");
  if (g_strcmp0 (gtk_label_get_label (self->mode_label), mode_text) != 0)
    gtk_label_set_label (self->mode_label, mode_text);
  if (g_strcmp0 (gtk_label_get_label (self->input_label), input_text) != 0)
    gtk_label_set_label (self->input_label, input_text);
  if ((enabled != FALSE) != gtk_widget_has_css_class (GTK_WIDGET (self->input_label), "accent"))
    {
      if (enabled)
        gtk_widget_add_css_class (GTK_WIDGET (self->input_label), "accent");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->input_label), "accent");
    }
  {
    g_autofree char *value = lablink_format_fixed (setpoint, unit, 3);
    setpoint_text = g_strdup_printf (_("Set-point: %s"), value);
  }
  if (g_strcmp0 (gtk_label_get_label (self->setpoint_label), setpoint_text) != 0)
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
lablink_load_panel_status_changed (LablinkInstrumentPanel *panel)
{
  LablinkLoadPanel *self = LABLINK_LOAD_PANEL (panel);
  LablinkStreamStatus status;
  gboolean live = lablink_instrument_panel_is_live (panel, LABLINK_STREAM_READINGS, &status);
  guint m;

  lablink_plot_set_message (self->plot,
                            live && status == LABLINK_STREAM_STATUS_NO_DATA
                              ? _("No data: the server acknowledged the stream but sends nothing")
                              : NULL);
  for (m = 0; m < LABLINK_N_READINGS; m++)
    lablink_meter_set_stale (self->meters[m], !live || status == LABLINK_STREAM_STATUS_NO_DATA);
}

static void
lablink_load_panel_session_set (LablinkInstrumentPanel *panel,
                                LablinkSession         *session)
{
  LablinkLoadPanel *self = LABLINK_LOAD_PANEL (panel);
  static const char *names[] = { "V", "I", "P" };
  LablinkRing *ring;
  guint k;

  ring = lablink_session_get_readings_ring (session, lablink_instrument_panel_get_equipment_id (panel), 0);
  for (k = 0; k < LABLINK_N_READINGS; k++)
    {
      guint series = lablink_plot_add_series (self->plot, k, names[k], NULL);
      lablink_plot_set_series_ring (self->plot, series, ring, k);
    }
  lablink_plot_set_window (self->plot, lablink_settings_get_history_seconds (lablink_session_get_settings (session)),
                           LABLINK_PLOT_ORIGIN_NOW);
}

static void
lablink_load_panel_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LABLINK_TYPE_LOAD_PANEL);

  G_OBJECT_CLASS (lablink_load_panel_parent_class)->dispose (object);
}

static void
lablink_load_panel_class_init (LablinkLoadPanelClass *klass)
{
  static const char * const stream_types[] = { LABLINK_STREAM_READINGS, NULL };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  LablinkInstrumentPanelClass *panel_class = LABLINK_INSTRUMENT_PANEL_CLASS (klass);

  object_class->dispose = lablink_load_panel_dispose;

  panel_class->stream_types = stream_types;
  panel_class->session_set = lablink_load_panel_session_set;
  panel_class->stream_data = lablink_load_panel_stream_data;
  panel_class->status_changed = lablink_load_panel_status_changed;

  g_type_ensure (LABLINK_TYPE_PLOT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-load-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkLoadPanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, LablinkLoadPanel, box);
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
  lablink_instrument_panel_add_lock_bar (LABLINK_INSTRUMENT_PANEL (self), GTK_BOX (self->box),
                                         gtk_widget_get_parent (GTK_WIDGET (self->mode_dropdown)));
  lablink_instrument_panel_add_status_label (LABLINK_INSTRUMENT_PANEL (self), self->status_label,
                                             LABLINK_STREAM_READINGS, NULL);

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
