/* lablink-psu-panel.c — a power supply: per-channel meters and V/I/P history
 *
 * Channels appear as readings arrive (the real server streams channel 1
 * only; the simulator may stream others): keyed by data.channel. The
 * history chart has three panes (V, I, P) and reads the session's rings at
 * draw time; a reading only updates labels and queues a draw.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-psu-panel.h"
#include "lablink-settings.h"

#define MAX_CHANNELS 16

struct _LablinkPsuPanel
{
  LablinkInstrumentPanel parent_instance;

  GtkWidget         *scroller;
  GtkWidget         *box;
  GtkLabel          *status_label;
  GtkBox            *channels_box;
  GtkWidget         *waiting_page;
  LablinkPlot       *plot;

  LablinkPsuChannel *channels[MAX_CHANNELS + 1];
  guint64            n_updates;
};

G_DEFINE_FINAL_TYPE (LablinkPsuPanel, lablink_psu_panel, LABLINK_TYPE_INSTRUMENT_PANEL)

static LablinkPsuChannel *
ensure_channel (LablinkPsuPanel *self,
                guint            channel)
{
  LablinkInstrumentPanel *panel = LABLINK_INSTRUMENT_PANEL (self);
  LablinkSession *session = lablink_instrument_panel_get_session (panel);
  const char *id = lablink_instrument_panel_get_equipment_id (panel);
  GtkWidget *widget;
  LablinkRing *ring;
  guint k, series;

  if (self->channels[channel] != NULL)
    return self->channels[channel];

  if (self->waiting_page != NULL)
    {
      gtk_box_remove (self->channels_box, self->waiting_page);
      self->waiting_page = NULL;
    }

  widget = lablink_psu_channel_new (session, id, channel);
  self->channels[channel] = LABLINK_PSU_CHANNEL (widget);

  /* Keep the cards in channel order. */
  {
    GtkWidget *sibling = NULL;
    guint c;

    for (c = channel; c-- > 1;)
      if (self->channels[c] != NULL)
        {
          sibling = GTK_WIDGET (self->channels[c]);
          break;
        }
    gtk_box_insert_child_after (self->channels_box, widget, sibling);
  }

  ring = lablink_session_get_readings_ring (session, id, channel);
  for (k = 0; k < LABLINK_N_READINGS; k++)
    {
      g_autofree char *name = g_strdup_printf ("CH%u", channel);

      series = lablink_plot_add_series (self->plot, k, name, NULL);
      lablink_plot_set_series_palette_index (self->plot, series, channel - 1);
      lablink_plot_set_series_ring (self->plot, series, ring, k);
    }

  return self->channels[channel];
}

static void
lablink_psu_panel_stream_data (LablinkInstrumentPanel *panel,
                               const char             *stream_type,
                               LablinkMessage         *message)
{
  LablinkPsuPanel *self = LABLINK_PSU_PANEL (panel);
  gint64 channel = 1;

  if (!lablink_message_has_member (message, "data.voltage_actual"))
    return;
  lablink_message_get_int (message, "data.channel", &channel);
  if (channel < 1 || channel > MAX_CHANNELS)
    return;

  self->n_updates++;
  lablink_psu_channel_update (ensure_channel (self, (guint) channel), message);
  gtk_widget_queue_draw (GTK_WIDGET (self->plot));
}

static void
lablink_psu_panel_status_changed (LablinkInstrumentPanel *panel)
{
  LablinkPsuPanel *self = LABLINK_PSU_PANEL (panel);
  LablinkStreamStatus status;
  gboolean live = lablink_instrument_panel_is_live (panel, LABLINK_STREAM_READINGS, &status);
  guint c;

  lablink_plot_set_message (self->plot,
                            live && status == LABLINK_STREAM_STATUS_NO_DATA
                              ? _("No data: the server acknowledged the stream but sends nothing")
                              : NULL);

  for (c = 1; c <= MAX_CHANNELS; c++)
    if (self->channels[c])
      lablink_psu_channel_set_stale (self->channels[c], !live || status == LABLINK_STREAM_STATUS_NO_DATA);
}

static void
lablink_psu_panel_session_set (LablinkInstrumentPanel *panel,
                               LablinkSession         *session)
{
  LablinkPsuPanel *self = LABLINK_PSU_PANEL (panel);

  lablink_plot_set_window (self->plot, lablink_settings_get_history_seconds (lablink_session_get_settings (session)),
                           LABLINK_PLOT_ORIGIN_NOW);
}

static void
lablink_psu_panel_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LABLINK_TYPE_PSU_PANEL);

  G_OBJECT_CLASS (lablink_psu_panel_parent_class)->dispose (object);
}

static void
lablink_psu_panel_class_init (LablinkPsuPanelClass *klass)
{
  static const char * const stream_types[] = { LABLINK_STREAM_READINGS, NULL };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  LablinkInstrumentPanelClass *panel_class = LABLINK_INSTRUMENT_PANEL_CLASS (klass);

  object_class->dispose = lablink_psu_panel_dispose;

  panel_class->stream_types = stream_types;
  panel_class->session_set = lablink_psu_panel_session_set;
  panel_class->stream_data = lablink_psu_panel_stream_data;
  panel_class->status_changed = lablink_psu_panel_status_changed;

  g_type_ensure (LABLINK_TYPE_PLOT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-psu-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuPanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuPanel, box);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuPanel, channels_box);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuPanel, waiting_page);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuPanel, plot);

  gtk_widget_class_set_css_name (widget_class, "lablinkpsupanel");
}

static void
lablink_psu_panel_init (LablinkPsuPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  lablink_instrument_panel_add_status_label (LABLINK_INSTRUMENT_PANEL (self), self->status_label,
                                             LABLINK_STREAM_READINGS, NULL);
  lablink_instrument_panel_add_lock_bar (LABLINK_INSTRUMENT_PANEL (self), GTK_BOX (self->box),
                                         GTK_WIDGET (self->channels_box));

  lablink_plot_set_n_panes (self->plot, 3);
  lablink_plot_set_pane_label (self->plot, 0, _("Voltage"), "V");
  lablink_plot_set_pane_label (self->plot, 1, _("Current"), "A");
  lablink_plot_set_pane_label (self->plot, 2, _("Power"), "W");
  lablink_plot_set_x_label (self->plot, _("Time"), "s");
}

/**
 * lablink_psu_panel_get_channel:
 * @self: a panel
 * @channel: a channel number (1…)
 *
 * Returns: (transfer none) (nullable): its card, once readings arrived
 */
LablinkPsuChannel *
lablink_psu_panel_get_channel (LablinkPsuPanel *self,
                               guint            channel)
{
  g_return_val_if_fail (LABLINK_IS_PSU_PANEL (self), NULL);
  return channel >= 1 && channel <= MAX_CHANNELS ? self->channels[channel] : NULL;
}

/**
 * lablink_psu_panel_get_plot:
 * @self: a panel
 *
 * Returns: (transfer none): the history chart
 */
LablinkPlot *
lablink_psu_panel_get_plot (LablinkPsuPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_PSU_PANEL (self), NULL);
  return self->plot;
}

guint64
lablink_psu_panel_get_n_updates (LablinkPsuPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_PSU_PANEL (self), 0);
  return self->n_updates;
}
