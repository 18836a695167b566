/* lablink-acquisition-panel.c — acquisitions: the panel, its session and live chart
 *
 * The widget itself: its template, the session it follows (a GSignalGroup
 * of the session's signals) and the detail of the selected acquisition:
 * title, state, statistics and the live chart.
 *
 * Acquisition frames carry the latest N samples, so consecutive frames
 * overlap: the session merges them into one ring by timestamp (each sample
 * once) and the chart draws that ring, x = 0 at the newest sample.
 *
 * The list, the form and the controls are in
 * lablink-acquisition-panel-control.c, Record and the Captures popover in
 * lablink-acquisition-panel-recording.c, Export… in
 * lablink-acquisition-panel-export.c, the Spectrum view in
 * lablink-acquisition-panel-spectrum.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "lablink-acquisition-panel-private.h"
#include "lablink-acquisition-row.h"
#include "lablink-units.h"

G_DEFINE_FINAL_TYPE (LablinkAcquisitionPanel, lablink_acquisition_panel, GTK_TYPE_WIDGET)

void
_lablink_acquisition_panel_toast (LablinkAcquisitionPanel *self,
                                  const char              *text)
{
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", text);
}

/* Shows the placeholder only while the store is empty. GtkListBox hides
 * it from view but leaves it visible, and a visible placeholder after the
 * last row takes the row's :last-child style (a boxed list's bottom
 * corners) away. */
static gboolean
placeholder_visible (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      data)
{
  g_value_set_boolean (to, g_value_get_uint (from) == 0);
  return TRUE;
}

/* Binds a list box of the panel to its store, one row per item. */
void
_lablink_acquisition_panel_bind_list (GtkListBox                 *list,
                                      GtkWidget                  *placeholder,
                                      GListStore                 *store,
                                      GtkListBoxCreateWidgetFunc  create_row)
{
  gtk_list_box_bind_model (list, G_LIST_MODEL (store), create_row, NULL, NULL);
  g_object_bind_property_full (store, "n-items", placeholder, "visible", G_BINDING_SYNC_CREATE,
                               placeholder_visible, NULL, NULL, NULL);
}

/* The instrument an acquisition samples, from the list. */
static const char *
acquisition_equipment (LablinkAcquisitionPanel *self,
                       const char              *acquisition_id)
{
  guint i, n = g_list_model_get_n_items (G_LIST_MODEL (self->acquisitions));

  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkAcquisitionItem) item = g_list_model_get_item (G_LIST_MODEL (self->acquisitions), i);

      if (g_strcmp0 (lablink_acquisition_item_get_acquisition_id (item), acquisition_id) == 0)
        return lablink_acquisition_item_get_equipment_id (item);   /* the store holds it */
    }
  return NULL;
}

/* A channel's unit from its name and instrument (the server does not say;
 * as captures guess it): "CH1_I" A, "CH1_P" W, "CH1_V" V, a power supply's
 * or a scope's plain channel V; "" when unknown. */
static const char *
channel_unit (const char *channel,
              const char *equipment_id)
{
  gsize len = channel ? strlen (channel) : 0;

  if (len > 2 && channel[len - 2] == '_')
    switch (g_ascii_toupper (channel[len - 1]))
      {
      case 'V': return "V";
      case 'I': return "A";
      case 'P': return "W";
      default: break;
      }
  if (equipment_id != NULL && (g_str_has_prefix (equipment_id, "ps_") || g_str_has_prefix (equipment_id, "scope_")))
    return "V";
  return "";
}

static const char *
unit_quantity (const char *unit)
{
  if (g_strcmp0 (unit, "V") == 0)
    return _("Voltage");
  if (g_strcmp0 (unit, "A") == 0)
    return _("Current");
  if (g_strcmp0 (unit, "W") == 0)
    return _("Power");
  return _("Value");
}

/* Binds the chart's series to the session's ring of the selected
 * acquisition: a pane per unit (CH1 in volts above CH1_I in amperes), one
 * "Value" pane when the units are unknown or too many. */
static void
bind_chart (LablinkAcquisitionPanel *self)
{
  LablinkRing *ring = self->session && self->selected_id
    ? lablink_session_get_acquisition_ring (self->session, self->selected_id) : NULL;
  const char *units[LABLINK_PLOT_MAX_PANES];
  g_autofree const char **chan_units = NULL;
  const char * const *channels;
  const char *equipment_id;
  guint c, p, n_units = 0, n_channels;
  gboolean by_unit = TRUE;

  /* Frames can come before the list knows the acquisition's instrument
   * (a plain "CH1" is volts only on a supply or a scope): bound again, once,
   * when it does. */
  if (ring == self->bound_ring &&
      (self->bound_knowing_equipment || ring == NULL ||
       acquisition_equipment (self, self->selected_id) == NULL))
    return;

  lablink_plot_remove_all_series (self->plot);
  g_clear_pointer (&self->bound_ring, lablink_ring_unref);
  if (ring == NULL)
    {
      _lablink_acquisition_panel_spectrum_bind (self, NULL, NULL, 0);
      return;
    }

  self->bound_ring = lablink_ring_ref (ring);
  channels = lablink_session_get_acquisition_channels (self->session, self->selected_id);
  equipment_id = acquisition_equipment (self, self->selected_id);
  self->bound_knowing_equipment = equipment_id != NULL;
  n_channels = lablink_ring_get_n_channels (ring);

  for (c = 0; c < n_channels && by_unit; c++)
    {
      const char *unit = channel_unit (channels ? channels[c] : NULL, equipment_id);

      for (p = 0; p < n_units && g_strcmp0 (units[p], unit) != 0; p++)
        ;
      if (p == n_units && n_units == LABLINK_PLOT_MAX_PANES)
        by_unit = FALSE;
      else if (p == n_units)
        units[n_units++] = unit;
    }
  if (!by_unit || n_units == 0)
    {
      n_units = 1;
      units[0] = "";
    }

  lablink_plot_set_n_panes (self->plot, n_units);
  for (p = 0; p < n_units; p++)
    lablink_plot_set_pane_label (self->plot, p, unit_quantity (units[p]), units[p][0] ? units[p] : NULL);

  chan_units = g_new0 (const char *, n_channels + 1);
  for (c = 0; c < n_channels; c++)
    {
      const char *unit = channel_unit (channels ? channels[c] : NULL, equipment_id);
      guint series;

      chan_units[c] = unit;
      for (p = 0; p + 1 < n_units && g_strcmp0 (units[p], unit) != 0; p++)
        ;
      series = lablink_plot_add_series (self->plot, p, channels && channels[c] ? channels[c] : "?", NULL);
      lablink_plot_set_series_palette_index (self->plot, series, c);
      lablink_plot_set_series_ring (self->plot, series, ring, c);
    }
  _lablink_acquisition_panel_spectrum_bind (self, channels, chan_units, n_channels);
}

static void
update_detail (LablinkAcquisitionPanel *self,
               LablinkMessage          *message)
{
  g_autoptr(GString) stats = g_string_new (NULL);
  g_autofree char *state = NULL;
  gint64 total = -1, overruns = -1;
  double rate = NAN, duration = NAN;
  LablinkRing *ring;

  if (message != NULL)
    {
      state = lablink_message_dup_string (message, "state");
      if (state)
        gtk_label_set_label (self->state_label, state);
      lablink_message_get_int (message, "stats.total_samples", &total);
      lablink_message_get_int (message, "stats.buffer_overruns", &overruns);
      lablink_message_get_double (message, "stats.actual_sample_rate", &rate);
      lablink_message_get_double (message, "stats.duration_seconds", &duration);
    }

  ring = self->bound_ring;
  if (self->session != NULL && self->selected_id != NULL && lablink_session_get_manager (self->session) != NULL)
    {
      g_autofree char *key = lablink_protocol_acquisition_key (self->selected_id);

      /* The released LabLink 1.2.5 never streams acquisitions created over REST. */
      switch (lablink_stream_manager_get_stream_status (lablink_session_get_manager (self->session), key))
        {
        case LABLINK_STREAM_STATUS_POLLING:
          g_string_append (stats, _("Data by REST polling: the server sends no acquisition frames"));
          break;
        case LABLINK_STREAM_STATUS_NO_DATA:
          g_string_append (stats, _("No data: the server sends no acquisition frames"));
          break;
        default:
          break;
        }
    }
  if (total >= 0 && stats->len)
    g_string_append (stats, "\n");
  if (total >= 0)
    g_string_append_printf (stats, _("Server: %" PRId64 " samples"), total);
  if (isfinite (rate))
    {
      g_autofree char *r = lablink_format_si (rate, "S/s", 4);
      g_string_append_printf (stats, " · %s", r);
    }
  if (isfinite (duration))
    {
      g_autofree char *d = lablink_format_duration (duration);
      g_string_append_printf (stats, " · %s", d);
    }
  if (overruns > 0)
    g_string_append_printf (stats, _(" · %" PRId64 " overruns"), overruns);
  if (ring)
    {
      if (stats->len)
        g_string_append (stats, "\n");
      g_string_append_printf (stats, _("Chart: %zu samples (%" PRIu64 " repeated in overlapping frames, skipped)"),
                              lablink_ring_get_length (ring),
                              lablink_session_get_acquisition_duplicates (self->session, self->selected_id));
    }
  gtk_label_set_label (self->stats_label, stats->str);
}

static void
acquisition_data_cb (LablinkSession          *session,
                     LablinkMessage          *message,
                     LablinkAcquisitionPanel *self)
{
  g_autofree char *state = NULL;

  /* Stopped (here, by another client or at its end): this frame holds the
   * last samples, later ones would only repeat them. */
  state = lablink_message_dup_string (message, "state");
  if (g_strcmp0 (state, "stopped") == 0)
    _lablink_acquisition_panel_stop_watching (self, lablink_message_get_acquisition_id (message));

  if (g_strcmp0 (lablink_message_get_acquisition_id (message), self->selected_id) != 0)
    return;

  bind_chart (self);
  update_detail (self, message);
  gtk_widget_queue_draw (GTK_WIDGET (self->plot));
  _lablink_acquisition_panel_spectrum_update (self);
}

static void
stream_status_cb (LablinkSession          *session,
                  const char              *key,
                  LablinkStreamStatus      status,
                  LablinkAcquisitionPanel *self)
{
  g_autofree char *selected = NULL;

  if (self->selected_id == NULL)
    return;
  selected = lablink_protocol_acquisition_key (self->selected_id);
  if (g_strcmp0 (key, selected) == 0)
    update_detail (self, lablink_session_get_last_message (session, key));
}

static void
connected_cb (LablinkSession          *session,
              GParamSpec              *pspec,
              LablinkAcquisitionPanel *self)
{
  if (lablink_session_get_connected (session))
    lablink_acquisition_panel_refresh (self);
  _lablink_acquisition_panel_sync_watch_button (self);
}

/**
 * lablink_acquisition_panel_set_session:
 * @self: the panel
 * @session: (nullable): the session to follow
 */
void
lablink_acquisition_panel_set_session (LablinkAcquisitionPanel *self,
                                       LablinkSession          *session)
{
  g_return_if_fail (LABLINK_IS_ACQUISITION_PANEL (self));
  g_return_if_fail (session == NULL || LABLINK_IS_SESSION (session));

  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  _lablink_acquisition_panel_set_equipment (self, session ? lablink_session_get_equipment (session) : NULL);
  lablink_acquisition_panel_select (self, NULL);
}

/**
 * lablink_acquisition_panel_set_server_label:
 * @self: the panel
 * @label: (nullable): its server's name, shown in each row while the app
 *   shows several servers; %NULL for none
 */
void
lablink_acquisition_panel_set_server_label (LablinkAcquisitionPanel *self,
                                            const char              *label)
{
  guint i, n;

  g_return_if_fail (LABLINK_IS_ACQUISITION_PANEL (self));

  if (g_strcmp0 (self->server_label, label) == 0)
    return;
  g_free (self->server_label);
  self->server_label = g_strdup (label);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->acquisitions));
  for (i = 0; i < n; i++)
    {
      g_autoptr(LablinkAcquisitionItem) item = g_list_model_get_item (G_LIST_MODEL (self->acquisitions), i);
      lablink_acquisition_item_set_server (item, label);
    }
}

/**
 * lablink_acquisition_panel_select:
 * @self: the panel
 * @acquisition_id: (nullable): an acquisition
 *
 * Shows an acquisition's state, controls and chart.
 */
void
lablink_acquisition_panel_select (LablinkAcquisitionPanel *self,
                                  const char              *acquisition_id)
{
  LablinkMessage *last = NULL;

  g_return_if_fail (LABLINK_IS_ACQUISITION_PANEL (self));

  if (g_strcmp0 (acquisition_id, self->selected_id) != 0)
    {
      _lablink_acquisition_panel_clear_capture (self);
      g_free (self->selected_id);
      self->selected_id = g_strdup (acquisition_id);
      lablink_plot_remove_all_series (self->plot);
      g_clear_pointer (&self->bound_ring, lablink_ring_unref);
      _lablink_acquisition_panel_spectrum_bind (self, NULL, NULL, 0);
    }

  gtk_stack_set_visible_child_name (self->detail_stack, acquisition_id ? "detail" : "empty");
  if (acquisition_id == NULL)
    return;

  {
    const char *name = _lablink_acquisition_panel_lookup_name (self, acquisition_id);
    g_autofree char *title = name ? g_strdup_printf ("%s · %.8s", name, acquisition_id) : g_strdup (acquisition_id);

    gtk_label_set_label (self->title_label, title);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), acquisition_id);
  }
  if (self->session)
    {
      g_autofree char *key = lablink_protocol_acquisition_key (acquisition_id);
      last = lablink_session_get_last_message (self->session, key);
    }
  bind_chart (self);
  update_detail (self, last);
  _lablink_acquisition_panel_sync_watch_button (self);
}

const char *
lablink_acquisition_panel_get_selected_id (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), NULL);
  return self->selected_id;
}

/**
 * lablink_acquisition_panel_get_plot:
 * @self: the panel
 *
 * Returns: (transfer none): the chart
 */
LablinkPlot *
lablink_acquisition_panel_get_plot (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), NULL);
  return self->plot;
}

const char *
lablink_acquisition_panel_get_state_text (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), NULL);
  return gtk_label_get_label (self->state_label);
}

const char *
lablink_acquisition_panel_get_stats_text (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), NULL);
  return gtk_label_get_label (self->stats_label);
}

static void
lablink_acquisition_panel_dispose (GObject *object)
{
  LablinkAcquisitionPanel *self = LABLINK_ACQUISITION_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  _lablink_acquisition_panel_dispose_export (self);
  _lablink_acquisition_panel_dispose_recording (self);
  _lablink_acquisition_panel_dispose_spectrum (self);
  if (self->session_signals)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  g_clear_pointer (&self->bound_ring, lablink_ring_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), LABLINK_TYPE_ACQUISITION_PANEL);

  G_OBJECT_CLASS (lablink_acquisition_panel_parent_class)->dispose (object);
}

static void
lablink_acquisition_panel_finalize (GObject *object)
{
  LablinkAcquisitionPanel *self = LABLINK_ACQUISITION_PANEL (object);

  _lablink_acquisition_panel_finalize_export (self);
  _lablink_acquisition_panel_finalize_control (self);
  g_clear_object (&self->cancellable);
  g_free (self->selected_id);
  g_free (self->server_label);

  G_OBJECT_CLASS (lablink_acquisition_panel_parent_class)->finalize (object);
}

static void
lablink_acquisition_panel_class_init (LablinkAcquisitionPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_acquisition_panel_dispose;
  object_class->finalize = lablink_acquisition_panel_finalize;

  g_type_ensure (LABLINK_TYPE_PLOT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-acquisition-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, paned);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, list);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, list_placeholder);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, equipment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, channels_entry);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, create_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, state_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, stats_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, watch_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, plot);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, record_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, export_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, record_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, export_box);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, export_progress);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, captures_list);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, captures_placeholder);

  _lablink_acquisition_panel_class_init_control (widget_class);
  _lablink_acquisition_panel_class_init_recording (widget_class);
  _lablink_acquisition_panel_class_init_export (widget_class);
  _lablink_acquisition_panel_class_init_spectrum (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lablinkacquisitionpanel");
}

static void
lablink_acquisition_panel_init (LablinkAcquisitionPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  self->session_signals = g_signal_group_new (LABLINK_TYPE_SESSION);
  g_signal_group_connect (self->session_signals, "acquisition-data",
                          G_CALLBACK (acquisition_data_cb), self);
  g_signal_group_connect (self->session_signals, "stream-status-changed",
                          G_CALLBACK (stream_status_cb), self);
  g_signal_group_connect (self->session_signals, "notify::connected",
                          G_CALLBACK (connected_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "streams-changed",
                                  G_CALLBACK (_lablink_acquisition_panel_sync_watch_button), self);

  _lablink_acquisition_panel_init_control (self);
  _lablink_acquisition_panel_init_recording (self);
  _lablink_acquisition_panel_init_spectrum (self);

  lablink_plot_set_window (self->plot, 10.0, LABLINK_PLOT_ORIGIN_LATEST);
  lablink_plot_set_pane_label (self->plot, 0, _("Value"), NULL);
  lablink_plot_set_x_label (self->plot, _("Time before the newest sample"), "s");
}

GtkWidget *
lablink_acquisition_panel_new (void)
{
  return g_object_new (LABLINK_TYPE_ACQUISITION_PANEL, NULL);
}
