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
  GtkWidget          parent_instance;

  GtkWidget         *box;
  GtkLabel          *title_label;
  GtkLabel          *subtitle_label;
  GtkLabel          *status_label;
  GtkBox            *channels_box;
  GtkWidget         *waiting_page;
  LablinkPlot       *plot;

  LablinkSession    *session;
  LablinkEquipment  *equipment;
  char              *stream_key;
  LablinkPsuChannel *channels[MAX_CHANNELS + 1];
  guint64            n_updates;
};

G_DEFINE_FINAL_TYPE (LablinkPsuPanel, lablink_psu_panel, GTK_TYPE_WIDGET)

static LablinkPsuChannel *
ensure_channel (LablinkPsuPanel *self,
                guint            channel)
{
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

  widget = lablink_psu_channel_new (self->session, lablink_equipment_get_id (self->equipment), channel);
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

  ring = lablink_session_get_readings_ring (self->session, lablink_equipment_get_id (self->equipment), channel);
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
stream_data_cb (LablinkSession  *session,
                LablinkMessage  *message,
                LablinkPsuPanel *self)
{
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
update_status (LablinkPsuPanel *self)
{
  const char *id = lablink_equipment_get_id (self->equipment);
  gboolean active = lablink_session_is_stream_active (self->session, id, LABLINK_STREAM_READINGS);
  LablinkStreamStatus status = lablink_session_get_stream_status (self->session, id, LABLINK_STREAM_READINGS);
  gboolean connected = lablink_session_get_connected (self->session);
  const char *text;
  guint c;

  if (!connected)
    text = lablink_connection_state_describe (lablink_session_get_state (self->session));
  else if (!active)
    text = _("Stopped");
  else
    text = lablink_stream_status_describe (status);

  gtk_label_set_label (self->status_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "warning");
  if (connected && active && status == LABLINK_STREAM_STATUS_RUNNING)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "success");
  else if (connected && active)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "warning");

  lablink_plot_set_message (self->plot,
                            connected && active && status == LABLINK_STREAM_STATUS_NO_DATA
                              ? _("No data: the server acknowledged the stream but sends nothing")
                              : NULL);

  for (c = 1; c <= MAX_CHANNELS; c++)
    if (self->channels[c])
      lablink_psu_channel_set_stale (self->channels[c],
                                     !connected || !active || status == LABLINK_STREAM_STATUS_NO_DATA);
}

static void
status_changed_cb (LablinkSession      *session,
                   const char          *key,
                   LablinkStreamStatus  status,
                   LablinkPsuPanel     *self)
{
  update_status (self);
}

static void
session_changed_cb (LablinkPsuPanel *self)
{
  update_status (self);
}

static void
lablink_psu_panel_dispose (GObject *object)
{
  LablinkPsuPanel *self = LABLINK_PSU_PANEL (object);

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LABLINK_TYPE_PSU_PANEL);
  g_clear_object (&self->session);
  g_clear_object (&self->equipment);

  G_OBJECT_CLASS (lablink_psu_panel_parent_class)->dispose (object);
}

static void
lablink_psu_panel_finalize (GObject *object)
{
  LablinkPsuPanel *self = LABLINK_PSU_PANEL (object);

  g_free (self->stream_key);
  G_OBJECT_CLASS (lablink_psu_panel_parent_class)->finalize (object);
}

static void
lablink_psu_panel_class_init (LablinkPsuPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_psu_panel_dispose;
  object_class->finalize = lablink_psu_panel_finalize;

  g_type_ensure (LABLINK_TYPE_PLOT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-psu-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuPanel, box);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuPanel, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuPanel, channels_box);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuPanel, waiting_page);
  gtk_widget_class_bind_template_child (widget_class, LablinkPsuPanel, plot);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lablinkpsupanel");
}

static void
lablink_psu_panel_init (LablinkPsuPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  lablink_plot_set_n_panes (self->plot, 3);
  lablink_plot_set_pane_label (self->plot, 0, _("Voltage"), "V");
  lablink_plot_set_pane_label (self->plot, 1, _("Current"), "A");
  lablink_plot_set_pane_label (self->plot, 2, _("Power"), "W");
  lablink_plot_set_x_label (self->plot, _("Time"), "s");
}

GtkWidget *
lablink_psu_panel_new (LablinkSession   *session,
                       LablinkEquipment *equipment)
{
  LablinkPsuPanel *self = g_object_new (LABLINK_TYPE_PSU_PANEL, NULL);
  const char *id = lablink_equipment_get_id (equipment);
  g_autofree char *subtitle = g_strdup_printf ("%s %s · %s", lablink_equipment_get_manufacturer (equipment),
                                               lablink_equipment_get_model (equipment), id);
  g_autofree char *detail = NULL;
  LablinkMessage *last;

  self->session = g_object_ref (session);
  self->equipment = g_object_ref (equipment);
  self->stream_key = lablink_protocol_stream_key (id, LABLINK_STREAM_READINGS);

  gtk_label_set_label (self->title_label, lablink_equipment_get_display_name (equipment));
  gtk_label_set_label (self->subtitle_label, subtitle);
  lablink_plot_set_window (self->plot, lablink_settings_get_history_seconds (lablink_session_get_settings (session)),
                           LABLINK_PLOT_ORIGIN_NOW);

  detail = g_strconcat ("stream-data::", self->stream_key, NULL);
  g_signal_connect (session, detail, G_CALLBACK (stream_data_cb), self);
  g_free (g_steal_pointer (&detail));
  detail = g_strconcat ("stream-status-changed::", self->stream_key, NULL);
  g_signal_connect (session, detail, G_CALLBACK (status_changed_cb), self);
  g_signal_connect_swapped (session, "streams-changed", G_CALLBACK (session_changed_cb), self);
  g_signal_connect_swapped (session, "notify::state", G_CALLBACK (session_changed_cb), self);

  /* What arrived before the panel existed. */
  last = lablink_session_get_last_message (session, self->stream_key);
  if (last)
    stream_data_cb (session, last, self);
  update_status (self);

  return GTK_WIDGET (self);
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

const char *
lablink_psu_panel_get_status_text (LablinkPsuPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_PSU_PANEL (self), NULL);
  return gtk_label_get_label (self->status_label);
}

guint64
lablink_psu_panel_get_n_updates (LablinkPsuPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_PSU_PANEL (self), 0);
  return self->n_updates;
}
