/* lablink-plot.c — a live chart drawn with PLplot, for every plot of the app
 *
 * The widget: its API (panes, series, ranges, pause), its data (copied on
 * set, so that drawing follows the frame clock: a plot draws at most once
 * per frame however fast data arrives) and its GtkWidget life cycle.
 * Drawing is in lablink-plot-draw.c (with the PLplot notes), the axis maths
 * in lablink-plot-axis.c, saving to files in lablink-plot-export.c, the
 * range the user zoomed to in lablink-plot-view.c, the gestures in
 * lablink-plot-gestures.c, the two cursors in lablink-plot-cursors.c, the
 * shaded bands (gaps) in lablink-plot-bands.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "lablink-plot-private.h"
#include "lablink-units.h"

G_DEFINE_FINAL_TYPE (LablinkPlot, lablink_plot, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PAUSED,
  PROP_MESSAGE,
  PROP_DARK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static gboolean follow_theme = TRUE;

static void
series_free (gpointer data)
{
  Series *s = data;

  g_free (s->name);
  g_free (s->x);
  g_free (s->y);
  g_free (s->px);
  g_free (s->py);
  g_clear_pointer (&s->ring, lablink_ring_unref);
  g_array_unref (s->drawn_x);
  g_array_unref (s->drawn_y);
  g_free (s);
}

gboolean
_lablink_plot_has_ring_series (LablinkPlot *self)
{
  guint i;

  for (i = 0; i < self->series->len; i++)
    if (((Series *) g_ptr_array_index (self->series, i))->ring != NULL)
      return TRUE;
  return FALSE;
}

/* How long after its last frame a live plot is redrawn by the scroll
 * timer alone (a little under its 1 s period: the timer's own frames come
 * at most that far apart). */
#define SCROLL_IDLE_US (900 * G_TIME_SPAN_MILLISECOND)

static gboolean needs_scrolling (LablinkPlot *self);
static gboolean scroll_cb       (gpointer     data);

static void
lablink_plot_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  LablinkPlot *self = LABLINK_PLOT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gint64 start = g_get_monotonic_time ();
  cairo_t *cr;

  if (width < 8 || height < 8)
    return;

  if (self->auto_dark)
    self->dark = follow_theme && adw_style_manager_get_dark (adw_style_manager_get_default ());

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  _lablink_plot_draw (self, cr, width, height);
  cairo_destroy (cr);
  _lablink_plot_gestures_snapshot (self, snapshot);
  _lablink_plot_view_snapshot_children (self, snapshot);

  self->n_draws++;
  self->last_snapshot_us = g_get_monotonic_time ();
  self->last_draw_ms = (self->last_snapshot_us - start) / 1000.0;

  if (self->scroll_timer == 0 && needs_scrolling (self))
    self->scroll_timer = g_timeout_add_seconds (1, scroll_cb, self);
}

static void
lablink_plot_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 140;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 300;
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           LablinkPlot              *self)
{
  lablink_plot_set_pointer (self, x, y);
}

static void
leave_cb (GtkEventControllerMotion *controller,
          LablinkPlot              *self)
{
  lablink_plot_clear_pointer (self);
}

/* A history against the wall clock keeps scrolling when data is slow or
 * stopped: one redraw a second while the plot is on screen and a sample is
 * still in its window (data arriving redraws it anyway). Once the last
 * sample has scrolled out, the timer stops; the next draw with data in the
 * window (new data, unpausing) starts it again. A tick that comes when data
 * has drawn the plot within the last second draws nothing: a stream at
 * 10 Hz then costs 10 frames a second, not 11. */
static gboolean
needs_scrolling (LablinkPlot *self)
{
  gint64 since;
  guint i;

  if (self->paused || self->view.frozen || self->origin != LABLINK_PLOT_ORIGIN_NOW)
    return FALSE;

  since = g_get_real_time () - (gint64) (self->window_seconds * G_USEC_PER_SEC);
  for (i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      gint64 last;

      if (s->ring != NULL && lablink_ring_get_time_range (s->ring, NULL, &last) && last >= since)
        return TRUE;
    }
  return FALSE;
}

static gboolean
scroll_cb (gpointer data)
{
  LablinkPlot *self = data;

  if (!self->paused && !self->view.frozen && self->origin == LABLINK_PLOT_ORIGIN_NOW && _lablink_plot_has_ring_series (self) &&
      g_get_monotonic_time () - self->last_snapshot_us >= SCROLL_IDLE_US)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  if (needs_scrolling (self))
    return G_SOURCE_CONTINUE;

  self->scroll_timer = 0;
  return G_SOURCE_REMOVE;
}

static void
lablink_plot_unmap (GtkWidget *widget)
{
  LablinkPlot *self = LABLINK_PLOT (widget);

  g_clear_handle_id (&self->scroll_timer, g_source_remove);
  GTK_WIDGET_CLASS (lablink_plot_parent_class)->unmap (widget);
}

static void
lablink_plot_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  _lablink_plot_view_allocate (LABLINK_PLOT (widget), width, height);
}

static void
lablink_plot_unrealize (GtkWidget *widget)
{
  _lablink_plot_end_stream (LABLINK_PLOT (widget));
  GTK_WIDGET_CLASS (lablink_plot_parent_class)->unrealize (widget);
}

static void
lablink_plot_dispose (GObject *object)
{
  LablinkPlot *self = LABLINK_PLOT (object);

  g_clear_handle_id (&self->scroll_timer, g_source_remove);
  _lablink_plot_end_stream (self);
  _lablink_plot_view_dispose (self);
  _lablink_plot_cursors_dispose (self);
  G_OBJECT_CLASS (lablink_plot_parent_class)->dispose (object);
}

static void
lablink_plot_finalize (GObject *object)
{
  LablinkPlot *self = LABLINK_PLOT (object);
  guint p;

  g_ptr_array_unref (self->series);
  for (p = 0; p < LABLINK_PLOT_MAX_PANES; p++)
    {
      g_free (self->panes[p].quantity);
      g_free (self->panes[p].unit);
    }
  g_free (self->x_quantity);
  g_free (self->x_unit);
  g_free (self->message);
  g_free (self->cursor_text);
  g_array_unref (self->scratch_x);
  g_array_unref (self->scratch_y);
  g_string_free (self->legend, TRUE);
  _lablink_plot_bands_finalize (self);

  G_OBJECT_CLASS (lablink_plot_parent_class)->finalize (object);
}

static void
lablink_plot_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LablinkPlot *self = LABLINK_PLOT (object);

  switch (prop_id)
    {
    case PROP_PAUSED: g_value_set_boolean (value, self->paused); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    case PROP_DARK: g_value_set_boolean (value, self->dark); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_plot_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LablinkPlot *self = LABLINK_PLOT (object);

  switch (prop_id)
    {
    case PROP_PAUSED: lablink_plot_set_paused (self, g_value_get_boolean (value)); break;
    case PROP_MESSAGE: lablink_plot_set_message (self, g_value_get_string (value)); break;
    case PROP_DARK: lablink_plot_set_dark (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_plot_class_init (LablinkPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lablink_plot_dispose;
  object_class->finalize = lablink_plot_finalize;
  object_class->get_property = lablink_plot_get_property;
  object_class->set_property = lablink_plot_set_property;

  widget_class->snapshot = lablink_plot_snapshot;
  widget_class->measure = lablink_plot_measure;
  widget_class->size_allocate = lablink_plot_size_allocate;
  widget_class->unrealize = lablink_plot_unrealize;
  widget_class->unmap = lablink_plot_unmap;

  properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE, rw);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, rw);
  properties[PROP_DARK] = g_param_spec_boolean ("dark", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LablinkPlot::view-changed:
   * @self: the plot
   *
   * The user's view changed: zoom, pan, reset or the cursors (see
   * lablink_plot_get_view_x_range()). A plot that is fed only what is
   * visible (capture review) feeds it again.
   */
  g_signal_new ("view-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "lablinkplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lablink_plot_init (LablinkPlot *self)
{
  GtkEventController *motion;

  self->series = g_ptr_array_new_with_free_func (series_free);
  self->n_panes = 1;
  self->window_seconds = 60.0;
  self->origin = LABLINK_PLOT_ORIGIN_NOW;
  self->scratch_x = g_array_new (FALSE, FALSE, sizeof (double));
  self->scratch_y = g_array_new (FALSE, FALSE, sizeof (double));
  self->x_quantity = g_strdup (_("Time"));
  self->x_unit = g_strdup ("s");
  self->legend = g_string_new (NULL);
  _lablink_plot_bands_init (self);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  _lablink_plot_view_init (self);
  _lablink_plot_gestures_init (self);
  _lablink_plot_cursors_init (self);

  self->auto_dark = TRUE;
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);

  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

GtkWidget *
lablink_plot_new (void)
{
  return g_object_new (LABLINK_TYPE_PLOT, NULL);
}

void
lablink_plot_set_n_panes (LablinkPlot *self,
                          guint        n_panes)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (n_panes >= 1 && n_panes <= LABLINK_PLOT_MAX_PANES);

  self->n_panes = n_panes;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
lablink_plot_get_n_panes (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), 0);
  return self->n_panes;
}

void
lablink_plot_set_pane_label (LablinkPlot *self,
                             guint        pane,
                             const char  *quantity,
                             const char  *unit)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (pane < LABLINK_PLOT_MAX_PANES);

  g_free (self->panes[pane].quantity);
  g_free (self->panes[pane].unit);
  self->panes[pane].quantity = g_strdup (quantity);
  self->panes[pane].unit = g_strdup (unit);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lablink_plot_set_y_range (LablinkPlot *self,
                          guint        pane,
                          double       min,
                          double       max)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (pane < LABLINK_PLOT_MAX_PANES);
  g_return_if_fail (isfinite (min) && isfinite (max) && max > min);

  self->panes[pane].fixed = TRUE;
  self->panes[pane].min = min;
  self->panes[pane].max = max;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lablink_plot_set_y_autoscale (LablinkPlot *self,
                              guint        pane)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (pane < LABLINK_PLOT_MAX_PANES);

  self->panes[pane].fixed = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
lablink_plot_get_y_autoscale (LablinkPlot *self,
                              guint        pane)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), FALSE);
  g_return_val_if_fail (pane < LABLINK_PLOT_MAX_PANES, FALSE);
  return !self->panes[pane].fixed;
}

void
lablink_plot_set_x_label (LablinkPlot *self,
                          const char  *quantity,
                          const char  *unit)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));

  g_free (self->x_quantity);
  g_free (self->x_unit);
  self->x_quantity = g_strdup (quantity);
  self->x_unit = g_strdup (unit);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lablink_plot_set_x_range (LablinkPlot *self,
                          double       min,
                          double       max)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (isfinite (min) && isfinite (max) && max > min);

  self->x_fixed = TRUE;
  self->x_min = min;
  self->x_max = max;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lablink_plot_set_x_autoscale (LablinkPlot *self)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));
  self->x_fixed = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * lablink_plot_add_series:
 * @self: a plot
 * @pane: the pane (0 = top)
 * @name: the legend's name
 * @color: (nullable): its colour, or %NULL for the theme palette's colour
 *   of its index
 *
 * Returns: the index of the new series
 */
guint
lablink_plot_add_series (LablinkPlot   *self,
                         guint          pane,
                         const char    *name,
                         const GdkRGBA *color)
{
  Series *s;

  g_return_val_if_fail (LABLINK_IS_PLOT (self), 0);
  g_return_val_if_fail (pane < LABLINK_PLOT_MAX_PANES, 0);

  s = g_new0 (Series, 1);
  s->name = g_strdup (name);
  s->pane = pane;
  s->visible = TRUE;
  if (color)
    {
      s->color = *color;
      s->has_color = TRUE;
    }
  s->drawn_x = g_array_new (FALSE, FALSE, sizeof (double));
  s->drawn_y = g_array_new (FALSE, FALSE, sizeof (double));
  s->palette_index = self->series->len;
  g_ptr_array_add (self->series, s);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return self->series->len - 1;
}

void
lablink_plot_remove_all_series (LablinkPlot *self)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_ptr_array_set_size (self->series, 0);
  lablink_plot_clear_cursors (self);
  lablink_plot_reset_view (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
lablink_plot_get_n_series (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), 0);
  return self->series->len;
}

/**
 * lablink_plot_set_series_palette_index:
 * @self: a plot
 * @series: the series
 * @index: which colour of the theme's palette it takes (by default: its
 *   own index), so that e.g. every trace of channel 2 has the same colour
 */
void
lablink_plot_set_series_palette_index (LablinkPlot *self,
                                       guint        series,
                                       guint        index)
{
  Series *s;

  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (series < self->series->len);

  s = g_ptr_array_index (self->series, series);
  s->palette_index = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lablink_plot_set_series_visible (LablinkPlot *self,
                                 guint        series,
                                 gboolean     visible)
{
  Series *s;

  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (series < self->series->len);

  s = g_ptr_array_index (self->series, series);
  s->visible = !!visible;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
copy_into (double       **dx,
           double       **dy,
           gsize         *dn,
           const double  *x,
           const double  *y,
           gsize          n)
{
  if (*dn != n)
    {
      *dx = g_renew (double, *dx, MAX (n, 1));
      *dy = g_renew (double, *dy, MAX (n, 1));
    }
  if (n > 0)
    {
      memcpy (*dx, x, n * sizeof (double));
      memcpy (*dy, y, n * sizeof (double));
    }
  *dn = n;
}

/**
 * lablink_plot_set_series_data:
 * @self: a plot
 * @series: the series
 * @x: (array length=n): x values, non-decreasing
 * @y: (array length=n): y values, NaN for gaps
 * @n: number of points
 *
 * Replaces a series' points (copied). Only queues a draw: call it as often
 * as data arrives. While the plot is paused, the points are kept for when
 * it resumes.
 */
void
lablink_plot_set_series_data (LablinkPlot  *self,
                              guint         series,
                              const double *x,
                              const double *y,
                              gsize         n)
{
  Series *s;

  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (series < self->series->len);
  g_return_if_fail (n == 0 || (x != NULL && y != NULL));

  s = g_ptr_array_index (self->series, series);
  g_clear_pointer (&s->ring, lablink_ring_unref);

  if (self->paused)
    {
      copy_into (&s->px, &s->py, &s->pn, x, y, n);
      s->has_pending = TRUE;
      return;
    }

  copy_into (&s->x, &s->y, &s->n, x, y, n);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * lablink_plot_set_series_ring:
 * @self: a plot
 * @series: the series
 * @ring: (nullable): a ring
 * @channel: the ring's channel to draw
 *
 * Makes a series draw the last lablink_plot_set_window() seconds of a ring,
 * read at draw time. Call gtk_widget_queue_draw() when the ring changes.
 */
void
lablink_plot_set_series_ring (LablinkPlot *self,
                              guint        series,
                              LablinkRing *ring,
                              guint        channel)
{
  Series *s;

  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (series < self->series->len);
  g_return_if_fail (ring == NULL || channel < lablink_ring_get_n_channels (ring));

  s = g_ptr_array_index (self->series, series);
  if (ring)
    lablink_ring_ref (ring);
  g_clear_pointer (&s->ring, lablink_ring_unref);
  s->ring = ring;
  s->channel = channel;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lablink_plot_set_window (LablinkPlot       *self,
                         double             seconds,
                         LablinkPlotOrigin  origin)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (seconds > 0);

  self->window_seconds = seconds;
  self->origin = origin;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lablink_plot_set_paused (LablinkPlot *self,
                         gboolean     paused)
{
  guint i;

  g_return_if_fail (LABLINK_IS_PLOT (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  if (paused)
    {
      self->paused_now = g_get_real_time ();
      self->paused = FALSE;
      self->paused_latest = _lablink_plot_ring_origin (self);
      self->paused = TRUE;
    }
  else
    {
      self->paused = FALSE;
      for (i = 0; i < self->series->len; i++)
        {
          Series *s = g_ptr_array_index (self->series, i);

          if (s->has_pending)
            {
              copy_into (&s->x, &s->y, &s->n, s->px, s->py, s->pn);
              s->has_pending = FALSE;
            }
        }
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
lablink_plot_get_paused (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), FALSE);
  return self->paused;
}

/**
 * lablink_plot_set_message:
 * @self: a plot
 * @message: (nullable): a message shown over the plot ("No data"), or %NULL
 */
void
lablink_plot_set_message (LablinkPlot *self,
                          const char  *message)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));

  if (g_strcmp0 (self->message, message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

const char *
lablink_plot_get_message (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), NULL);
  return self->message;
}

void
lablink_plot_set_dark (LablinkPlot *self,
                       gboolean     dark)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));

  dark = !!dark;
  self->auto_dark = FALSE;
  if (self->dark == dark)
    return;
  self->dark = dark;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DARK]);
}

/**
 * lablink_plot_set_follow_theme:
 * @follow: whether plots are dark when the style is dark (the
 *   `dark-plots-follow-theme` setting); when not, plots are always light
 *
 * Applies to every plot not given an explicit lablink_plot_set_dark().
 */
void
lablink_plot_set_follow_theme (gboolean follow)
{
  follow_theme = !!follow;
}

void
lablink_plot_set_pointer (LablinkPlot *self,
                          double       x,
                          double       y)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));

  self->pointer_in = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lablink_plot_clear_pointer (LablinkPlot *self)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));

  self->pointer_in = FALSE;
  g_clear_pointer (&self->cursor_text, g_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * lablink_plot_get_series_n_points:
 * @self: a plot
 * @series: the series
 *
 * Returns: the number of raw points the series holds (for a ring series:
 *   the ring's length)
 */
gsize
lablink_plot_get_series_n_points (LablinkPlot *self,
                                  guint        series)
{
  Series *s;

  g_return_val_if_fail (LABLINK_IS_PLOT (self), 0);
  g_return_val_if_fail (series < self->series->len, 0);

  s = g_ptr_array_index (self->series, series);
  return s->ring ? lablink_ring_get_length (s->ring) : s->n;
}

guint64
lablink_plot_get_n_draws (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), 0);
  return self->n_draws;
}

gsize
lablink_plot_get_last_drawn_points (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), 0);
  return self->last_drawn_points;
}

/**
 * lablink_plot_get_text_height:
 * @self: a plot
 *
 * Returns: the height of the axes' characters in the last frame drawn, in
 *   pixels of PLplot's page (0 before the first): the same at every size
 *   of the plot
 */
double
lablink_plot_get_text_height (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), 0);
  return self->last_text_px;
}

double
lablink_plot_get_last_draw_ms (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), 0);
  return self->last_draw_ms;
}

const char *
lablink_plot_get_cursor_text (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), NULL);
  return self->cursor_text;
}

void
lablink_plot_get_visible_y_range (LablinkPlot *self,
                                  guint        pane,
                                  double      *min,
                                  double      *max)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (pane < LABLINK_PLOT_MAX_PANES);

  if (min)
    *min = self->panes[pane].wy0;
  if (max)
    *max = self->panes[pane].wy1;
}
