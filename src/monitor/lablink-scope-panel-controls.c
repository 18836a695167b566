/* lablink-scope-panel-controls.c — the scope panel's instrument controls
 *
 * Run/Stop/Single, time per division and delay, and per channel: enabled,
 * V/div, offset and coupling — sent as the real LabLink scope's commands
 * (`trigger_run`, `trigger_stop`, `trigger_single`, `autoscale`,
 * `set_timebase {scale, offset}`, `set_channel {channel, enabled, scale,
 * offset, coupling}`) through the session, which takes the instrument's
 * lock for the `set_*` ones as for the PSU. `set_channel` always carries
 * every parameter: the real mock resets the ones left out.
 *
 * The controls show what the instrument reports, not what we sent: every
 * waveform frame's metadata (`time_scale`, `voltage_scale`,
 * `voltage_offset`; and where the server sends them, as the simulator does,
 * `time_offset`, `coupling`, `trigger_mode`, `running`, `enabled_channels`)
 * sets them. For a second after a change is sent, frames that still say the
 * old value do not undo it on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "lablink-scope-panel-private.h"
#include "lablink-units.h"

#define HOLD_USEC (1 * G_USEC_PER_SEC)

static const char * const couplings[] = { "DC", "AC", "GND", NULL };

/* The plot's palette (lablink-plot-draw.c), for the channels' swatches. */
static const char * const swatch_light[] = { "#1c71d8", "#e66100", "#26a269", "#c01c28" };
static const char * const swatch_dark[] = { "#62a0ea", "#ffa348", "#57e389", "#f66151" };

/* ------------------------------------------------------------------------ */
/* Value lists                                                               */

static char *
format_value (double      value,
              const char *unit)
{
  double factor = 1.0;
  const char *prefix = lablink_si_prefix (value, &factor);

  return g_strdup_printf ("%.4g %s%s", value * factor, prefix, unit);
}

static gboolean
same_value (double a,
            double b)
{
  return fabs (a - b) <= 1e-9 * MAX (fabs (a), fabs (b));
}

/* 1-2-5 steps from @lo to @hi */
static void
value_list_init (ScopeValueList *list,
                 GtkDropDown    *dropdown,
                 double          lo,
                 double          hi,
                 const char     *unit)
{
  static const double mantissas[] = { 1, 2, 5 };
  double decade;

  list->dropdown = dropdown;
  list->labels = gtk_string_list_new (NULL);
  list->values = g_array_new (FALSE, FALSE, sizeof (double));
  list->unit = unit;

  for (decade = lo; decade <= hi * 1.0001; decade *= 10)
    {
      guint i;

      for (i = 0; i < G_N_ELEMENTS (mantissas); i++)
        {
          /* round away the binary drift of decade × 10 × 10 … */
          double value = mantissas[i] * decade;
          double exponent = floor (log10 (value));
          g_autofree char *label = NULL;

          value = round (value / pow (10, exponent - 3)) * pow (10, exponent - 3);
          if (value > hi * 1.0001)
            break;
          label = format_value (value, unit);
          g_array_append_val (list->values, value);
          gtk_string_list_append (list->labels, label);
        }
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list->labels));
}

static void
value_list_clear (ScopeValueList *list)
{
  g_clear_object (&list->labels);
  g_clear_pointer (&list->values, g_array_unref);
}

static double
value_list_get (ScopeValueList *list)
{
  guint selected = gtk_drop_down_get_selected (list->dropdown);

  if (list->values == NULL || selected >= list->values->len)
    return NAN;
  return g_array_index (list->values, double, selected);
}

/* Selects @value, inserting it where the list does not have it. */
static void
value_list_select (ScopeValueList *list,
                   double          value)
{
  guint i;

  if (!(value > 0) || !isfinite (value))
    return;
  for (i = 0; i < list->values->len; i++)
    {
      double v = g_array_index (list->values, double, i);

      if (same_value (v, value))
        break;
      if (v > value)
        {
          g_autofree char *label = format_value (value, list->unit);
          const char * const additions[] = { label, NULL };

          g_array_insert_val (list->values, i, value);
          gtk_string_list_splice (list->labels, i, 0, additions);
          break;
        }
    }
  if (i == list->values->len)
    {
      g_autofree char *label = format_value (value, list->unit);

      g_array_append_val (list->values, value);
      gtk_string_list_append (list->labels, label);
    }
  if (gtk_drop_down_get_selected (list->dropdown) != i)
    gtk_drop_down_set_selected (list->dropdown, i);
}

/* ------------------------------------------------------------------------ */
/* Commands                                                                  */

static void
send (LablinkScopePanel *self,
      const char        *action,
      JsonObject        *parameters)
{
  g_autoptr(JsonObject) empty = NULL;

  if (parameters == NULL)
    parameters = empty = json_object_new ();
  lablink_instrument_panel_send_command (LABLINK_INSTRUMENT_PANEL (self), action, parameters);
}

static void
show_run_state (LablinkScopePanel *self)
{
  const char *text;
  LablinkStatusLevel level = LABLINK_STATUS_NEUTRAL;

  if (!self->have_run_state)
    text = "";
  else if (self->running)
    {
      text = _("Running");
      level = LABLINK_STATUS_GOOD;
    }
  else if (g_strcmp0 (self->trigger_mode, "SINGLE") == 0)
    text = _("Single");
  else
    {
      text = _("Stopped");
      level = LABLINK_STATUS_WARNING;
    }
  lablink_status_label_set (self->run_state_label, text, level);
  gtk_widget_set_visible (GTK_WIDGET (self->run_state_label), self->have_run_state);
}

/* What we sent, until a frame says otherwise. */
static void
set_run_state (LablinkScopePanel *self,
               gboolean           running,
               const char        *mode)
{
  self->have_run_state = TRUE;
  self->running = running;
  if (mode != NULL)
    {
      g_free (self->trigger_mode);
      self->trigger_mode = g_strdup (mode);
    }
  show_run_state (self);
}

void
lablink_scope_panel_run_clicked_cb (LablinkScopePanel *self)
{
  send (self, "trigger_run", NULL);
  set_run_state (self, TRUE, "AUTO");
  self->run_hold_until = g_get_monotonic_time () + HOLD_USEC;
}

void
lablink_scope_panel_stop_clicked_cb (LablinkScopePanel *self)
{
  send (self, "trigger_stop", NULL);
  set_run_state (self, FALSE, NULL);
  self->run_hold_until = g_get_monotonic_time () + HOLD_USEC;
}

void
lablink_scope_panel_single_clicked_cb (LablinkScopePanel *self)
{
  send (self, "trigger_single", NULL);
  set_run_state (self, FALSE, "SINGLE");
  self->run_hold_until = g_get_monotonic_time () + HOLD_USEC;
}

void
lablink_scope_panel_autoscale_clicked_cb (LablinkScopePanel *self)
{
  send (self, "autoscale", NULL);
}

static void
timebase_changed_cb (LablinkScopePanel *self)
{
  g_autoptr(JsonObject) parameters = NULL;
  double scale = value_list_get (&self->timebase);

  if (self->updating || isnan (scale))
    return;
  parameters = json_object_new ();
  json_object_set_double_member (parameters, "scale", scale);
  json_object_set_double_member (parameters, "offset", gtk_spin_button_get_value (self->time_offset_spin) / 1000.0);
  self->timebase_hold_until = g_get_monotonic_time () + HOLD_USEC;
  send (self, "set_timebase", parameters);
}

static void
channel_changed (LablinkScopePanel *self,
                 guint              channel)
{
  ScopeChannelUi *ch = &self->channels[channel];
  g_autoptr(JsonObject) parameters = NULL;
  guint coupling = gtk_drop_down_get_selected (ch->coupling);
  gboolean enabled = gtk_check_button_get_active (ch->enabled);

  if (self->updating)
    return;
  parameters = json_object_new ();
  json_object_set_int_member (parameters, "channel", channel);
  json_object_set_boolean_member (parameters, "enabled", enabled);
  json_object_set_double_member (parameters, "scale", value_list_get (&ch->vdiv));
  json_object_set_double_member (parameters, "offset", gtk_spin_button_get_value (ch->offset));
  json_object_set_string_member (parameters, "coupling", couplings[MIN (coupling, 2)]);
  ch->hold_until = g_get_monotonic_time () + HOLD_USEC;
  send (self, "set_channel", parameters);

  if (self->series[channel] >= 0)
    lablink_plot_set_series_visible (self->plot, (guint) self->series[channel], enabled);
  lablink_scope_panel_update_y_range (self);
}

static void
channel_widget_changed_cb (GtkWidget         *widget,
                           GParamSpec        *pspec,
                           LablinkScopePanel *self)
{
  channel_changed (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "scope-channel")));
}

static void
channel_offset_changed_cb (GtkSpinButton     *spin,
                           LablinkScopePanel *self)
{
  channel_changed (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "scope-channel")));
}

/* ------------------------------------------------------------------------ */
/* What the instrument reports                                               */

static gboolean
held (gint64 hold_until)
{
  return hold_until != 0 && g_get_monotonic_time () < hold_until;
}

static void
set_channel_enabled (LablinkScopePanel *self,
                     guint              channel,
                     gboolean           enabled)
{
  ScopeChannelUi *ch = &self->channels[channel];

  if (gtk_check_button_get_active (ch->enabled) != enabled)
    gtk_check_button_set_active (ch->enabled, enabled);
  if (self->series[channel] >= 0)
    lablink_plot_set_series_visible (self->plot, (guint) self->series[channel], enabled);
}

/* A waveform frame of @channel: its metadata sets the controls. */
/* The channels @message's server says are enabled (data.enabled_channels):
 * FALSE if it does not say. */
gboolean
lablink_scope_panel_get_enabled_channels (LablinkMessage *message,
                                          gboolean        enabled[LABLINK_SCOPE_MAX_CHANNELS + 1])
{
  guint k;

  memset (enabled, 0, (LABLINK_SCOPE_MAX_CHANNELS + 1) * sizeof (gboolean));
  if (!lablink_message_has_member (message, "data.enabled_channels"))
    return FALSE;

  /* by path, never through lablink_message_get_node(): a tree of a
   * 1M-point frame would cost seconds */
  for (k = 0; k < LABLINK_SCOPE_MAX_CHANNELS; k++)
    {
      g_autofree char *path = g_strdup_printf ("data.enabled_channels.%u", k);
      gint64 n;

      if (!lablink_message_get_int (message, path, &n))
        break;
      if (n >= 1 && n <= LABLINK_SCOPE_MAX_CHANNELS)
        enabled[n] = TRUE;
    }
  return TRUE;
}

void
lablink_scope_panel_reflect_waveform (LablinkScopePanel *self,
                                      LablinkMessage    *message,
                                      guint              channel)
{
  ScopeChannelUi *ch = &self->channels[channel];
  g_autofree char *coupling = lablink_message_dup_string (message, "data.coupling");
  g_autofree char *mode = lablink_message_dup_string (message, "data.trigger_mode");
  double vdiv = NAN, offset = NAN, time_scale = NAN, time_offset = NAN;
  gboolean running;
  guint k;

  lablink_message_get_double (message, "data.voltage_scale", &vdiv);
  lablink_message_get_double (message, "data.voltage_offset", &offset);
  lablink_message_get_double (message, "data.time_scale", &time_scale);
  lablink_message_get_double (message, "data.time_offset", &time_offset);

  self->updating = TRUE;

  /* The channel's own settings, unless we just changed them and the
   * instrument has not said so yet. */
  if (held (ch->hold_until) &&
      same_value (vdiv, value_list_get (&ch->vdiv)) &&
      (isnan (offset) || fabs (offset - gtk_spin_button_get_value (ch->offset)) < 1e-9) &&
      (coupling == NULL || g_strcmp0 (coupling, couplings[MIN (gtk_drop_down_get_selected (ch->coupling), 2)]) == 0))
    ch->hold_until = 0;
  if (!held (ch->hold_until))
    {
      ch->hold_until = 0;
      set_channel_enabled (self, channel, TRUE);
      value_list_select (&ch->vdiv, vdiv);
      if (isfinite (offset))
        gtk_spin_button_set_value (ch->offset, offset);
      for (k = 0; coupling != NULL && couplings[k] != NULL; k++)
        if (g_str_equal (coupling, couplings[k]) && gtk_drop_down_get_selected (ch->coupling) != k)
          gtk_drop_down_set_selected (ch->coupling, k);
    }

  /* The other channels: enabled or not, where the server says. */
  {
    gboolean enabled[LABLINK_SCOPE_MAX_CHANNELS + 1];
    guint c;

    if (lablink_scope_panel_get_enabled_channels (message, enabled))
      for (c = 1; c <= LABLINK_SCOPE_MAX_CHANNELS; c++)
        if (!held (self->channels[c].hold_until))
          set_channel_enabled (self, c, enabled[c]);
  }

  /* The timebase. */
  if (held (self->timebase_hold_until) && same_value (time_scale, value_list_get (&self->timebase)) &&
      (isnan (time_offset) || fabs (time_offset * 1000.0 - gtk_spin_button_get_value (self->time_offset_spin)) < 1e-6))
    self->timebase_hold_until = 0;
  if (!held (self->timebase_hold_until))
    {
      self->timebase_hold_until = 0;
      value_list_select (&self->timebase, time_scale);
      if (isfinite (time_offset))
        gtk_spin_button_set_value (self->time_offset_spin, time_offset * 1000.0);
    }

  /* Running or not. */
  if (lablink_message_get_boolean (message, "data.running", &running))
    {
      if (held (self->run_hold_until) && running == self->running &&
          (mode == NULL || g_strcmp0 (mode, self->trigger_mode) == 0))
        self->run_hold_until = 0;
      if (!held (self->run_hold_until))
        {
          self->run_hold_until = 0;
          set_run_state (self, running, mode);
        }
    }

  self->updating = FALSE;

  lablink_scope_panel_update_y_range (self);
}

/* ------------------------------------------------------------------------ */
/* Building                                                                  */

void
lablink_scope_panel_set_dark (LablinkScopePanel *self,
                              gboolean           dark)
{
  guint c;

  for (c = 1; c <= LABLINK_SCOPE_MAX_CHANNELS; c++)
    {
      g_autofree char *markup = g_strdup_printf ("<span foreground=\"%s\">●</span>",
                                                 (dark ? swatch_dark : swatch_light)[c - 1]);

      gtk_label_set_markup (self->channels[c].swatch, markup);
    }
}

static GtkWidget *
build_channel (LablinkScopePanel *self,
               guint              channel)
{
  ScopeChannelUi *ch = &self->channels[channel];
  g_autofree char *title = g_strdup_printf (_("CH%u"), channel);
  g_autofree char *name = NULL;
  GtkWidget *card, *top, *bottom, *widget;
  GtkAdjustment *adjustment;

  card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (card, 1);
  gtk_widget_set_margin_end (card, 1);
  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "scope-channel");
  name = g_strdup_printf ("scope-ch%u", channel);
  gtk_widget_set_name (card, name);
  ch->card = card;

  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (top, 8);
  gtk_widget_set_margin_end (top, 6);
  gtk_widget_set_margin_top (top, 6);
  gtk_box_append (GTK_BOX (card), top);
  ch->swatch = GTK_LABEL (gtk_label_new (NULL));
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (ch->swatch));
  ch->enabled = GTK_CHECK_BUTTON (gtk_check_button_new_with_label (title));
  g_free (name);
  name = g_strdup_printf ("scope-ch%u-enabled", channel);
  gtk_widget_set_name (GTK_WIDGET (ch->enabled), name);
  gtk_widget_set_hexpand (GTK_WIDGET (ch->enabled), TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (ch->enabled), _("Show and acquire this channel"));
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (ch->enabled));

  ch->coupling = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (couplings));
  g_free (name);
  name = g_strdup_printf ("scope-ch%u-coupling", channel);
  gtk_widget_set_name (GTK_WIDGET (ch->coupling), name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (ch->coupling), _("Coupling: DC, AC (without the DC part) or GND (0 V)"));
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (ch->coupling));

  bottom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (bottom, 6);
  gtk_widget_set_margin_end (bottom, 6);
  gtk_widget_set_margin_bottom (bottom, 6);
  gtk_box_append (GTK_BOX (card), bottom);
  widget = gtk_drop_down_new (NULL, NULL);
  g_free (name);
  name = g_strdup_printf ("scope-ch%u-vdiv", channel);
  gtk_widget_set_name (widget, name);
  gtk_widget_set_tooltip_text (widget, _("Vertical scale: volts per division"));
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_box_append (GTK_BOX (bottom), widget);
  value_list_init (&ch->vdiv, GTK_DROP_DOWN (widget), 0.001, 10.0, "V");
  value_list_select (&ch->vdiv, 1.0);

  adjustment = gtk_adjustment_new (0.0, -100.0, 100.0, 0.1, 1.0, 0.0);
  ch->offset = GTK_SPIN_BUTTON (gtk_spin_button_new (adjustment, 0.1, 3));
  g_free (name);
  name = g_strdup_printf ("scope-ch%u-offset", channel);
  gtk_widget_set_name (GTK_WIDGET (ch->offset), name);
  gtk_editable_set_width_chars (GTK_EDITABLE (ch->offset), 5);
  gtk_widget_set_tooltip_text (GTK_WIDGET (ch->offset), _("Offset in volts, added to the trace"));
  gtk_box_append (GTK_BOX (bottom), GTK_WIDGET (ch->offset));

  /* The real mock's defaults: CH1 and CH2 on. */
  gtk_check_button_set_active (ch->enabled, channel <= 2);

  g_object_set_data (G_OBJECT (ch->enabled), "scope-channel", GUINT_TO_POINTER (channel));
  g_object_set_data (G_OBJECT (ch->coupling), "scope-channel", GUINT_TO_POINTER (channel));
  g_object_set_data (G_OBJECT (ch->vdiv.dropdown), "scope-channel", GUINT_TO_POINTER (channel));
  g_object_set_data (G_OBJECT (ch->offset), "scope-channel", GUINT_TO_POINTER (channel));
  g_signal_connect (ch->enabled, "notify::active", G_CALLBACK (channel_widget_changed_cb), self);
  g_signal_connect (ch->coupling, "notify::selected", G_CALLBACK (channel_widget_changed_cb), self);
  g_signal_connect (ch->vdiv.dropdown, "notify::selected", G_CALLBACK (channel_widget_changed_cb), self);
  g_signal_connect (ch->offset, "value-changed", G_CALLBACK (channel_offset_changed_cb), self);

  return card;
}

static void
time_offset_changed_cb (GtkSpinButton     *spin,
                        LablinkScopePanel *self)
{
  timebase_changed_cb (self);
}

void
lablink_scope_panel_init_controls (LablinkScopePanel *self)
{
  guint c;

  self->updating = TRUE;
  for (c = 1; c <= LABLINK_SCOPE_MAX_CHANNELS; c++)
    gtk_flow_box_append (self->channels_flow, build_channel (self, c));

  value_list_init (&self->timebase, self->timebase_dropdown, 1e-7, 1.0, "s");
  value_list_select (&self->timebase, 0.001);
  g_signal_connect_swapped (self->timebase_dropdown, "notify::selected", G_CALLBACK (timebase_changed_cb), self);
  g_signal_connect (self->time_offset_spin, "value-changed", G_CALLBACK (time_offset_changed_cb), self);
  self->updating = FALSE;

  lablink_scope_panel_set_dark (self, FALSE);
  show_run_state (self);
}

void
lablink_scope_panel_finalize_controls (LablinkScopePanel *self)
{
  guint c;

  for (c = 1; c <= LABLINK_SCOPE_MAX_CHANNELS; c++)
    {
      value_list_clear (&self->channels[c].vdiv);
      g_clear_pointer (&self->channels[c].data_id, g_free);
    }
  value_list_clear (&self->timebase);
  g_clear_pointer (&self->trigger_mode, g_free);
}

/* ------------------------------------------------------------------------ */
/* For tests: the controls as a user sets them                               */

double
lablink_scope_panel_get_vdiv (LablinkScopePanel *self,
                              guint              channel)
{
  g_return_val_if_fail (LABLINK_IS_SCOPE_PANEL (self), NAN);
  g_return_val_if_fail (channel >= 1 && channel <= LABLINK_SCOPE_MAX_CHANNELS, NAN);
  return value_list_get (&self->channels[channel].vdiv);
}

void
lablink_scope_panel_select_vdiv (LablinkScopePanel *self,
                                 guint              channel,
                                 double             vdiv)
{
  g_return_if_fail (LABLINK_IS_SCOPE_PANEL (self));
  g_return_if_fail (channel >= 1 && channel <= LABLINK_SCOPE_MAX_CHANNELS);
  value_list_select (&self->channels[channel].vdiv, vdiv);
}

double
lablink_scope_panel_get_time_scale (LablinkScopePanel *self)
{
  g_return_val_if_fail (LABLINK_IS_SCOPE_PANEL (self), NAN);
  return value_list_get (&self->timebase);
}

void
lablink_scope_panel_select_time_scale (LablinkScopePanel *self,
                                       double             seconds_per_div)
{
  g_return_if_fail (LABLINK_IS_SCOPE_PANEL (self));
  value_list_select (&self->timebase, seconds_per_div);
}

const char *
lablink_scope_panel_get_run_state (LablinkScopePanel *self)
{
  g_return_val_if_fail (LABLINK_IS_SCOPE_PANEL (self), NULL);
  return self->have_run_state ? gtk_label_get_label (self->run_state_label) : NULL;
}
