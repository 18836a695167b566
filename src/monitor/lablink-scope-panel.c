/* lablink-scope-panel.c — an oscilloscope: controls, waveforms of its four
 * channels, measurements
 *
 * Waveform frames carry their samples (the simulator inline; for the real
 * server the library fetches them from the capture endpoint), one frame per
 * channel; each channel is a series of the plot in its own colour, named in
 * the plot's legend. The time axis comes from data.sample_rate, centred on
 * the trigger plus the delay (time 0 = the trigger). Records of up to 1M
 * points go to the plot as they are: it draws min/max per pixel column. The
 * time axis is only rebuilt when the record's length, rate or start change.
 * Pausing freezes the view while frames keep being ingested. The controls
 * are in lablink-scope-panel-controls.c.
 *
 * The channels of one acquisition are drawn in one frame: a server that
 * says which channels are enabled (data.enabled_channels: the simulator)
 * sends them one frame each, in channel order, well under a millisecond
 * apart. Drawn as they came, the first one's frame started at once and
 * the next channel waited for that render, then for the frame clock's next
 * slot (about 17 ms after the first): a second render, and 20–35 ms send →
 * screen instead of about 5. So a waveform is held while a higher enabled
 * channel is still to come, at most HOLD_MS, and shown with it. The real
 * server (channel 1 only, no enabled_channels) is shown at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lablink-scope-panel-private.h"
#include "lablink-units.h"

static const struct {
  const char *key;
  const char *caption;
  const char *unit;
} measurement_defs[] = {
  { "vpp", N_("Vpp"), "V" },
  { "vmax", N_("Vmax"), "V" },
  { "vmin", N_("Vmin"), "V" },
  { "vavg", N_("Vavg"), "V" },
  { "vrms", N_("Vrms"), "V" },
  { "freq", N_("Frequency"), "Hz" },
  { "period", N_("Period"), "s" },
};

#define N_MEASUREMENTS G_N_ELEMENTS (measurement_defs)
G_STATIC_ASSERT (N_MEASUREMENTS == G_N_ELEMENTS (((LablinkScopePanel *) NULL)->measurements));

G_DEFINE_FINAL_TYPE (LablinkScopePanel, lablink_scope_panel, LABLINK_TYPE_INSTRUMENT_PANEL)

/* How long a waveform waits for the higher channels of its acquisition. */
#define HOLD_MS 10

/* Fit: the traces; else ±5 divisions of the largest V/div shown. */
void
lablink_scope_panel_update_y_range (LablinkScopePanel *self)
{
  double vdiv = 0.0;
  guint c;

  if (gtk_toggle_button_get_active (self->autoscale_button))
    {
      lablink_plot_set_y_autoscale (self->plot, 0);
      return;
    }
  for (c = 1; c <= LABLINK_SCOPE_MAX_CHANNELS; c++)
    if (gtk_check_button_get_active (self->channels[c].enabled))
      vdiv = MAX (vdiv, lablink_scope_panel_get_vdiv (self, c));
  if (!(vdiv > 0))
    vdiv = 1.0;
  lablink_plot_set_y_range (self->plot, 0, -5 * vdiv, 5 * vdiv);
}

static void
scale_changed_cb (LablinkScopePanel *self)
{
  lablink_scope_panel_update_y_range (self);
}

static void
pause_toggled_cb (LablinkScopePanel *self)
{
  lablink_plot_set_paused (self->plot, gtk_toggle_button_get_active (self->pause_button));
}

static void
keep_stats (ScopeChannelUi *ch,
            const double   *samples,
            gsize           n,
            const char     *data_id)
{
  double lo = samples[0], hi = samples[0], sum = 0;
  gsize i;

  for (i = 0; i < n; i++)
    {
      lo = MIN (lo, samples[i]);
      hi = MAX (hi, samples[i]);
      sum += samples[i];
    }
  ch->have_stats = TRUE;
  ch->min = lo;
  ch->max = hi;
  ch->mean = sum / n;
  g_free (ch->data_id);
  ch->data_id = g_strdup (data_id);
}

/* The spectrum is computed only while it is shown, of one channel. */
static gboolean
spectrum_shown (LablinkScopePanel *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "spectrum") == 0;
}

static guint
spectrum_channel (LablinkScopePanel *self)
{
  return gtk_drop_down_get_selected (self->spectrum_channel_dropdown) + 1;
}

static void
view_changed_cb (LablinkScopePanel *self)
{
  gboolean shown = spectrum_shown (self);

  gtk_widget_set_visible (GTK_WIDGET (self->spectrum_channel_dropdown), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->autoscale_button), !shown);
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), !shown);
}

static void
spectrum_channel_changed_cb (LablinkScopePanel *self)
{
  lablink_spectrum_view_clear (self->spectrum_view);
}

static void
show_waveform (LablinkScopePanel *self,
               LablinkMessage    *message)
{
  const double *samples;
  gsize n = 0, i;
  gint64 channel = 1;
  double rate = NAN, time_scale = NAN, time_offset = 0.0, start;
  g_autofree char *data_id = NULL;

  samples = lablink_message_get_waveform (message, &n);
  if (samples == NULL || n == 0)
    return;
  lablink_message_get_int (message, "data.channel", &channel);
  if (channel < 1 || channel > LABLINK_SCOPE_MAX_CHANNELS)
    return;
  lablink_message_get_double (message, "data.time_scale", &time_scale);
  if (!lablink_message_get_double (message, "data.sample_rate", &rate) || !(rate > 0) || !isfinite (rate))
    {
      /* 10 divisions across the screen */
      if (time_scale > 0 && isfinite (time_scale))
        rate = n / (10.0 * time_scale);
      else
        rate = 1.0;
    }
  if (!lablink_message_get_double (message, "data.time_offset", &time_offset) || !isfinite (time_offset))
    time_offset = 0.0;

  if (self->series[channel] < 0)
    {
      g_autofree char *name = g_strdup_printf ("CH%d", (int) channel);

      self->series[channel] = (int) lablink_plot_add_series (self->plot, 0, name, NULL);
      lablink_plot_set_series_palette_index (self->plot, (guint) self->series[channel], (guint) channel - 1);
    }

  lablink_scope_panel_reflect_waveform (self, message, (guint) channel);

  /* The screen's centre is the trigger plus the delay. */
  start = time_offset - n / (2.0 * rate);
  if (self->x->len != n || self->x_rate != rate || self->x_start != start)
    {
      double *x;

      g_array_set_size (self->x, n);
      x = (double *) self->x->data;
      for (i = 0; i < n; i++)
        x[i] = start + i / rate;
      self->x_rate = rate;
      self->x_start = start;
    }
  lablink_plot_set_series_data (self->plot, (guint) self->series[channel], (const double *) self->x->data, samples, n);
  if (spectrum_shown (self) && (guint) channel == spectrum_channel (self))
    {
      g_autofree char *source = g_strdup_printf ("CH%d", (int) channel);

      lablink_spectrum_view_set_source_name (self->spectrum_view, source);
      lablink_spectrum_view_set_waveform (self->spectrum_view, samples, n, 1.0 / rate, "V");
    }

  data_id = lablink_message_dup_string (message, "data.data_id");
  keep_stats (&self->channels[channel], samples, n, data_id);
  self->n_samples[channel] = n;
  self->n_waveforms++;

  {
    g_autofree char *rate_text = lablink_format_si (rate, "S/s", 4);
    g_autofree char *info = g_strdup_printf (_("%zu samples · %s"), n, rate_text);
    gtk_label_set_label (self->info_label, info);
  }
}

/* The waveforms held, lowest channel first, then nothing held. */
static void
show_held (LablinkScopePanel *self)
{
  guint c;

  g_clear_handle_id (&self->held_source, g_source_remove);
  for (c = 1; c <= LABLINK_SCOPE_MAX_CHANNELS; c++)
    if (self->held[c] != NULL)
      {
        g_autoptr(LablinkMessage) message = g_steal_pointer (&self->held[c]);

        show_waveform (self, message);
      }
}

static gboolean
hold_expired_cb (gpointer data)
{
  LablinkScopePanel *self = data;

  self->held_source = 0;
  show_held (self);
  return G_SOURCE_REMOVE;
}

/* Whether @message's acquisition has an enabled channel above @channel
 * (the server says which), whose frame follows. */
static gboolean
higher_channel_follows (LablinkMessage *message,
                        gint64          channel)
{
  gboolean enabled[LABLINK_SCOPE_MAX_CHANNELS + 1];
  guint c;

  if (!lablink_scope_panel_get_enabled_channels (message, enabled))
    return FALSE;
  for (c = (guint) channel + 1; c <= LABLINK_SCOPE_MAX_CHANNELS; c++)
    if (enabled[c])
      return TRUE;
  return FALSE;
}

static void
waveform_data (LablinkScopePanel *self,
               LablinkMessage    *message)
{
  gint64 channel = 1;
  gsize n = 0;
  guint c;

  if (lablink_message_get_waveform (message, &n) == NULL || n == 0 ||
      !lablink_message_get_int (message, "data.channel", &channel) ||
      channel < 1 || channel > LABLINK_SCOPE_MAX_CHANNELS)
    {
      show_held (self);
      show_waveform (self, message);
      return;
    }

  /* This channel or a higher one held: @message starts the next acquisition. */
  for (c = (guint) channel; c <= LABLINK_SCOPE_MAX_CHANNELS; c++)
    if (self->held[c] != NULL)
      {
        show_held (self);
        break;
      }

  if (higher_channel_follows (message, channel))
    {
      self->held[channel] = lablink_message_ref (message);
      if (self->held_source == 0)
        self->held_source = g_timeout_add_full (G_PRIORITY_DEFAULT, HOLD_MS, hold_expired_cb, self, NULL);
      return;
    }

  show_held (self);
  show_waveform (self, message);
}

static void
measurements_data (LablinkScopePanel *self,
                   LablinkMessage    *message)
{
  guint k;

  for (k = 0; k < N_MEASUREMENTS; k++)
    {
      g_autofree char *path = g_strconcat ("data.", measurement_defs[k].key, NULL);
      g_autofree char *text = NULL;
      double value = NAN;

      lablink_message_get_double (message, path, &value);
      self->measurements[k] = value;
      text = lablink_format_si (value, measurement_defs[k].unit, 4);
      gtk_label_set_label (self->measurement_labels[k], text);
    }
  self->have_measurements = TRUE;
}

static void
lablink_scope_panel_stream_data (LablinkInstrumentPanel *panel,
                                 const char             *stream_type,
                                 LablinkMessage         *message)
{
  LablinkScopePanel *self = LABLINK_SCOPE_PANEL (panel);

  if (g_strcmp0 (stream_type, LABLINK_STREAM_WAVEFORM) == 0)
    waveform_data (self, message);
  else if (g_strcmp0 (stream_type, LABLINK_STREAM_MEASUREMENTS) == 0)
    measurements_data (self, message);
}

static void
lablink_scope_panel_status_changed (LablinkInstrumentPanel *panel)
{
  LablinkScopePanel *self = LABLINK_SCOPE_PANEL (panel);
  LablinkStreamStatus status;

  if (lablink_instrument_panel_is_live (panel, LABLINK_STREAM_WAVEFORM, &status) &&
      status == LABLINK_STREAM_STATUS_NO_DATA)
    lablink_plot_set_message (self->plot, _("No data: the server acknowledged the waveform stream but sends nothing"));
  else
    lablink_plot_set_message (self->plot, NULL);
}

static void
plot_dark_cb (LablinkScopePanel *self)
{
  gboolean dark = FALSE;

  g_object_get (self->plot, "dark", &dark, NULL);
  lablink_scope_panel_set_dark (self, dark);
}

static void
lablink_scope_panel_dispose (GObject *object)
{
  LablinkScopePanel *self = LABLINK_SCOPE_PANEL (object);
  guint c;

  g_clear_handle_id (&self->held_source, g_source_remove);
  for (c = 0; c <= LABLINK_SCOPE_MAX_CHANNELS; c++)
    g_clear_pointer (&self->held[c], lablink_message_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), LABLINK_TYPE_SCOPE_PANEL);

  G_OBJECT_CLASS (lablink_scope_panel_parent_class)->dispose (object);
}

static void
lablink_scope_panel_finalize (GObject *object)
{
  LablinkScopePanel *self = LABLINK_SCOPE_PANEL (object);

  g_array_unref (self->x);
  lablink_scope_panel_finalize_controls (self);
  G_OBJECT_CLASS (lablink_scope_panel_parent_class)->finalize (object);
}

static void
lablink_scope_panel_class_init (LablinkScopePanelClass *klass)
{
  static const char * const stream_types[] = { LABLINK_STREAM_WAVEFORM, LABLINK_STREAM_MEASUREMENTS, NULL };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  LablinkInstrumentPanelClass *panel_class = LABLINK_INSTRUMENT_PANEL_CLASS (klass);

  object_class->dispose = lablink_scope_panel_dispose;
  object_class->finalize = lablink_scope_panel_finalize;

  panel_class->stream_types = stream_types;
  panel_class->stream_data = lablink_scope_panel_stream_data;
  panel_class->status_changed = lablink_scope_panel_status_changed;

  g_type_ensure (LABLINK_TYPE_PLOT);
  g_type_ensure (LABLINK_TYPE_SPECTRUM_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-scope-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, box);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, waveform_status_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, measurements_status_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, controls_box);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, run_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, stop_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, single_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, run_state_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, timebase_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, time_offset_spin);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, autoscale_command_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, channels_flow);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, autoscale_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, pause_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, info_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, plot);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, view_stack);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, spectrum_view);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, spectrum_channel_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, view_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, spectrum_channel_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, LablinkScopePanel, measurements_grid);
  gtk_widget_class_bind_template_callback (widget_class, scale_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, pause_toggled_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "run_clicked_cb",
                                                G_CALLBACK (lablink_scope_panel_run_clicked_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "stop_clicked_cb",
                                                G_CALLBACK (lablink_scope_panel_stop_clicked_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "single_clicked_cb",
                                                G_CALLBACK (lablink_scope_panel_single_clicked_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "autoscale_clicked_cb",
                                                G_CALLBACK (lablink_scope_panel_autoscale_clicked_cb));

  gtk_widget_class_set_css_name (widget_class, "lablinkscopepanel");
}

static void
lablink_scope_panel_init (LablinkScopePanel *self)
{
  GtkWidget *heading;
  guint k;

  gtk_widget_init_template (GTK_WIDGET (self));
  lablink_instrument_panel_add_status_label (LABLINK_INSTRUMENT_PANEL (self), self->waveform_status_label,
                                             LABLINK_STREAM_WAVEFORM, _("Waveform"));
  lablink_instrument_panel_add_status_label (LABLINK_INSTRUMENT_PANEL (self), self->measurements_status_label,
                                             LABLINK_STREAM_MEASUREMENTS, _("Measurements"));

  lablink_instrument_panel_add_lock_bar (LABLINK_INSTRUMENT_PANEL (self), GTK_BOX (self->box), self->controls_box);

  self->x = g_array_new (FALSE, FALSE, sizeof (double));
  for (k = 0; k <= LABLINK_SCOPE_MAX_CHANNELS; k++)
    self->series[k] = -1;
  lablink_scope_panel_init_controls (self);
  g_signal_connect_object (self->plot, "notify::dark", G_CALLBACK (plot_dark_cb), self, G_CONNECT_SWAPPED);

  heading = gtk_label_new (_("Measurements"));
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_grid_attach (self->measurements_grid, heading, 0, 0, 2, 1);

  for (k = 0; k < N_MEASUREMENTS; k++)
    {
      GtkWidget *caption = gtk_label_new (_(measurement_defs[k].caption));
      GtkWidget *value = gtk_label_new ("—");
      g_autofree char *name = g_strconcat ("meas-", measurement_defs[k].key, NULL);

      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (value), 1);
      gtk_label_set_width_chars (GTK_LABEL (value), 11);
      gtk_widget_add_css_class (value, "measurement-value");
      gtk_widget_set_name (value, name);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_grid_attach (self->measurements_grid, caption, 0, (int) k + 1, 1, 1);
      gtk_grid_attach (self->measurements_grid, value, 1, (int) k + 1, 1, 1);
      self->measurement_labels[k] = GTK_LABEL (value);
      self->measurements[k] = NAN;
    }

  lablink_plot_set_pane_label (self->plot, 0, _("Voltage"), "V");
  lablink_plot_set_x_label (self->plot, _("Time"), "s");
  lablink_scope_panel_update_y_range (self);
}

/**
 * lablink_scope_panel_get_plot:
 * @self: a panel
 *
 * Returns: (transfer none): the waveform plot
 */
LablinkPlot *
lablink_scope_panel_get_plot (LablinkScopePanel *self)
{
  g_return_val_if_fail (LABLINK_IS_SCOPE_PANEL (self), NULL);
  return self->plot;
}

/**
 * lablink_scope_panel_get_spectrum_view:
 * @self: a panel
 *
 * Returns: (transfer none): the spectrum view (a #LablinkSpectrumView)
 */
GtkWidget *
lablink_scope_panel_get_spectrum_view (LablinkScopePanel *self)
{
  g_return_val_if_fail (LABLINK_IS_SCOPE_PANEL (self), NULL);
  return GTK_WIDGET (self->spectrum_view);
}

/**
 * lablink_scope_panel_show_spectrum:
 * @self: a panel
 * @channel: 1 to %LABLINK_SCOPE_MAX_CHANNELS, or 0 for the waveform view
 *
 * Shows the spectrum of @channel (what the Spectrum switch and the channel
 * drop-down do), or the waveforms.
 */
void
lablink_scope_panel_show_spectrum (LablinkScopePanel *self,
                                   guint              channel)
{
  g_return_if_fail (LABLINK_IS_SCOPE_PANEL (self));
  g_return_if_fail (channel <= LABLINK_SCOPE_MAX_CHANNELS);

  if (channel == 0)
    {
      gtk_stack_set_visible_child_name (self->view_stack, "waveform");
      return;
    }
  gtk_drop_down_set_selected (self->spectrum_channel_dropdown, channel - 1);
  gtk_stack_set_visible_child_name (self->view_stack, "spectrum");
}

/**
 * lablink_scope_panel_get_measurement:
 * @self: a panel
 * @name: "vpp", "vmax", "vmin", "vavg", "vrms", "freq" or "period"
 * @value: (out): the last value received
 *
 * Returns: %FALSE if none was received
 */
gboolean
lablink_scope_panel_get_measurement (LablinkScopePanel *self,
                                     const char        *name,
                                     double            *value)
{
  guint k;

  g_return_val_if_fail (LABLINK_IS_SCOPE_PANEL (self), FALSE);

  for (k = 0; k < N_MEASUREMENTS; k++)
    if (g_strcmp0 (measurement_defs[k].key, name) == 0)
      {
        *value = self->measurements[k];
        return self->have_measurements;
      }
  return FALSE;
}

const char *
lablink_scope_panel_get_measurement_text (LablinkScopePanel *self,
                                          const char        *name)
{
  guint k;

  g_return_val_if_fail (LABLINK_IS_SCOPE_PANEL (self), NULL);

  for (k = 0; k < N_MEASUREMENTS; k++)
    if (g_strcmp0 (measurement_defs[k].key, name) == 0)
      return gtk_label_get_label (self->measurement_labels[k]);
  return NULL;
}

guint64
lablink_scope_panel_get_n_waveforms (LablinkScopePanel *self)
{
  g_return_val_if_fail (LABLINK_IS_SCOPE_PANEL (self), 0);
  return self->n_waveforms;
}

gsize
lablink_scope_panel_get_n_samples (LablinkScopePanel *self,
                                   guint              channel)
{
  g_return_val_if_fail (LABLINK_IS_SCOPE_PANEL (self), 0);
  return channel <= LABLINK_SCOPE_MAX_CHANNELS ? self->n_samples[channel] : 0;
}

void
lablink_scope_panel_set_paused (LablinkScopePanel *self,
                                gboolean           paused)
{
  g_return_if_fail (LABLINK_IS_SCOPE_PANEL (self));
  gtk_toggle_button_set_active (self->pause_button, paused);
}

void
lablink_scope_panel_set_autoscale (LablinkScopePanel *self,
                                   gboolean           autoscale)
{
  g_return_if_fail (LABLINK_IS_SCOPE_PANEL (self));
  gtk_toggle_button_set_active (self->autoscale_button, autoscale);
}

/**
 * lablink_scope_panel_get_channel_stats:
 * @self: a panel
 * @channel: 1 to 4
 * @min: (out) (optional): the lowest sample of its last waveform
 * @max: (out) (optional): the highest
 * @mean: (out) (optional): their mean
 *
 * Returns: (nullable): the last waveform's data_id, or %NULL before the
 *   first waveform of @channel
 */
const char *
lablink_scope_panel_get_channel_stats (LablinkScopePanel *self,
                                       guint              channel,
                                       double            *min,
                                       double            *max,
                                       double            *mean)
{
  ScopeChannelUi *ch;

  g_return_val_if_fail (LABLINK_IS_SCOPE_PANEL (self), NULL);
  g_return_val_if_fail (channel >= 1 && channel <= LABLINK_SCOPE_MAX_CHANNELS, NULL);

  ch = &self->channels[channel];
  if (!ch->have_stats)
    return NULL;
  if (min != NULL)
    *min = ch->min;
  if (max != NULL)
    *max = ch->max;
  if (mean != NULL)
    *mean = ch->mean;
  return ch->data_id != NULL ? ch->data_id : "";
}

/**
 * lablink_scope_panel_get_channel_shown:
 * @self: a panel
 * @channel: 1 to 4
 *
 * Returns: whether the channel is enabled (its trace drawn)
 */
gboolean
lablink_scope_panel_get_channel_shown (LablinkScopePanel *self,
                                       guint              channel)
{
  g_return_val_if_fail (LABLINK_IS_SCOPE_PANEL (self), FALSE);
  g_return_val_if_fail (channel >= 1 && channel <= LABLINK_SCOPE_MAX_CHANNELS, FALSE);
  return gtk_check_button_get_active (self->channels[channel].enabled);
}
