/* lablink-acquisition-panel-spectrum.c — the acquisition panel's Spectrum view
 *
 * Chart | Spectrum: the spectrum of one channel of the selected acquisition
 * over the chart's visible time range (lablink_plot_get_view_x_range(): the
 * chart's window before the newest sample while it follows, the range
 * zoomed or panned to when it does not). It is computed only while shown,
 * from the session's ring, by LablinkSpectrumView (a range with a gap is
 * transformed only over its longest part without one, and says so;
 * irregular timestamps are resampled; long records are transformed on a
 * worker thread).
 *
 * While shown it follows the range: new samples move it while the chart
 * follows, and it is transformed again at most every SPECTRUM_INTERVAL_MS
 * (frames arriving meanwhile are coalesced); a range that did not change
 * (the chart stopped following, no sample came into it) is not transformed
 * again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lablink-acquisition-panel-private.h"

#define SPECTRUM_INTERVAL_MS 300

static gboolean
spectrum_shown (LablinkAcquisitionPanel *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "spectrum") == 0;
}

static void
forget_range (LablinkAcquisitionPanel *self)
{
  self->spectrum_from = self->spectrum_to = 0;
  self->spectrum_n = 0;
  self->spectrum_channel = G_MAXUINT;
}

/* Transforms the visible range of the chosen channel, unless that is what
 * the view shows already. */
static void
recompute (LablinkAcquisitionPanel *self)
{
  guint channel = gtk_drop_down_get_selected (self->spectrum_channel_dropdown);
  LablinkRing *ring = self->bound_ring;
  GListModel *names = gtk_drop_down_get_model (self->spectrum_channel_dropdown);
  double x0 = 0, x1 = 0;
  gint64 from, to;
  gsize first, n;

  g_clear_handle_id (&self->spectrum_timer, g_source_remove);
  if (!spectrum_shown (self))
    return;

  if (ring == NULL || names == NULL || channel == GTK_INVALID_LIST_POSITION ||
      channel >= lablink_ring_get_n_channels (ring) ||
      !lablink_plot_get_view_x_range (self->plot, &x0, &x1))
    {
      forget_range (self);
      lablink_spectrum_view_clear (self->spectrum_view);
      lablink_plot_set_message (lablink_spectrum_view_get_plot (self->spectrum_view),
                                _("No samples yet: the spectrum is of the chart’s visible time range"));
      return;
    }

  /* seconds since the epoch, the rings' time */
  from = (gint64) llround (x0 * G_USEC_PER_SEC);
  to = (gint64) llround (x1 * G_USEC_PER_SEC);
  n = lablink_ring_find_range (ring, from, to, &first);
  if (from == self->spectrum_from && to == self->spectrum_to && n == self->spectrum_n &&
      channel == self->spectrum_channel)
    return;
  self->spectrum_from = from;
  self->spectrum_to = to;
  self->spectrum_n = n;
  self->spectrum_channel = channel;

  lablink_spectrum_view_set_source_name (self->spectrum_view,
                                         gtk_string_list_get_string (GTK_STRING_LIST (names), channel));
  lablink_spectrum_view_set_ring_range (self->spectrum_view, ring, channel, from, to,
                                        self->spectrum_units && channel < g_strv_length (self->spectrum_units)
                                          ? self->spectrum_units[channel] : NULL);
}

static gboolean
spectrum_timer_cb (gpointer data)
{
  LablinkAcquisitionPanel *self = data;

  self->spectrum_timer = 0;
  recompute (self);
  return G_SOURCE_REMOVE;
}

/* New samples (the visible range moves while the chart follows): a
 * transform within SPECTRUM_INTERVAL_MS. */
void
_lablink_acquisition_panel_spectrum_update (LablinkAcquisitionPanel *self)
{
  if (!spectrum_shown (self) || self->spectrum_timer != 0)
    return;
  self->spectrum_timer = g_timeout_add (SPECTRUM_INTERVAL_MS, spectrum_timer_cb, self);
}

/* The chart was bound to (another) ring: the channel choice follows its
 * channels, keeping the one chosen where it can. */
void
_lablink_acquisition_panel_spectrum_bind (LablinkAcquisitionPanel *self,
                                          const char * const      *channels,
                                          const char * const      *units,
                                          guint                    n_channels)
{
  guint selected = gtk_drop_down_get_selected (self->spectrum_channel_dropdown);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint c;

  g_clear_pointer (&self->spectrum_units, g_strfreev);
  self->spectrum_units = g_new0 (char *, n_channels + 1);
  for (c = 0; c < n_channels; c++)
    {
      gtk_string_list_append (names, channels && channels[c] ? channels[c] : "?");
      self->spectrum_units[c] = g_strdup (units && units[c] && *units[c] ? units[c] : "");
    }

  forget_range (self);
  gtk_drop_down_set_model (self->spectrum_channel_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->spectrum_channel_dropdown,
                              selected != GTK_INVALID_LIST_POSITION && selected < n_channels ? selected : 0);
  lablink_spectrum_view_clear (self->spectrum_view);
  recompute (self);
}

static void
view_changed_cb (LablinkAcquisitionPanel *self)
{
  gboolean shown = spectrum_shown (self);

  gtk_widget_set_visible (GTK_WIDGET (self->spectrum_channel_dropdown), shown);
  forget_range (self);
  recompute (self);
}

static void
spectrum_channel_changed_cb (LablinkAcquisitionPanel *self)
{
  recompute (self);
}

void
_lablink_acquisition_panel_class_init_spectrum (GtkWidgetClass *widget_class)
{
  g_type_ensure (LABLINK_TYPE_SPECTRUM_VIEW);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, view_stack);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, spectrum_view);
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionPanel, spectrum_channel_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, view_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, spectrum_channel_changed_cb);
}

void
_lablink_acquisition_panel_init_spectrum (LablinkAcquisitionPanel *self)
{
  forget_range (self);
}

void
_lablink_acquisition_panel_dispose_spectrum (LablinkAcquisitionPanel *self)
{
  g_clear_handle_id (&self->spectrum_timer, g_source_remove);
  g_clear_pointer (&self->spectrum_units, g_strfreev);
}

/**
 * lablink_acquisition_panel_show_spectrum:
 * @self: the panel
 * @channel: the acquisition's channel (0 = its first), or -1 for the chart
 *
 * Shows the spectrum of @channel over the chart's visible time range (what
 * the Spectrum switch and the channel drop-down do), or the chart.
 */
void
lablink_acquisition_panel_show_spectrum (LablinkAcquisitionPanel *self,
                                         int                      channel)
{
  g_return_if_fail (LABLINK_IS_ACQUISITION_PANEL (self));

  if (channel < 0)
    {
      gtk_stack_set_visible_child_name (self->view_stack, "chart");
      return;
    }
  gtk_drop_down_set_selected (self->spectrum_channel_dropdown, (guint) channel);
  gtk_stack_set_visible_child_name (self->view_stack, "spectrum");
}

/**
 * lablink_acquisition_panel_get_spectrum_view:
 * @self: the panel
 *
 * Returns: (transfer none): the spectrum view (a #LablinkSpectrumView)
 */
GtkWidget *
lablink_acquisition_panel_get_spectrum_view (LablinkAcquisitionPanel *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_PANEL (self), NULL);
  return GTK_WIDGET (self->spectrum_view);
}
