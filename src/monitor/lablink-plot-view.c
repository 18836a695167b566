/* lablink-plot-view.c — the visible range of a LablinkPlot the user chose
 *
 * By default a plot shows everything (arrays) or the last window of its
 * rings, following the newest data. Zooming or panning replaces the x range
 * (and, per pane, the y range) with the user's. A plot of rings then stops
 * following: its range is kept at the time origin of the frame the gesture
 * started on (ingestion goes on; the rings keep filling), and a "Follow
 * live" button appears. Following again keeps the zoomed width, ending at
 * the newest data; resetting (double-click, the button) returns to the
 * default range.
 *
 * The overlay buttons (Follow live, reset, remove the cursors) are the
 * plot's only child widgets, allocated at the top right of the plot area.
 * Pixel ↔ world conversions use the geometry of the last frame drawn, so
 * they match what the user sees. The range is kept in the axis'
 * coordinate: on a logarithmic x axis that is log₁₀ of the value, so that
 * zooming and panning scale it (a wheel notch zooms by the same factor
 * around the pointer wherever it is); the API speaks in values.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "lablink-plot-private.h"

/* The narrowest range a zoom reaches (a ring's clock has microseconds). */
#define MIN_RING_WIDTH 20e-6
#define MAX_WIDTH      1e12

static gboolean
is_live (LablinkPlot *self)
{
  return _lablink_plot_has_ring_series (self);
}

/* A logarithmic x axis applies to array series (a plot of rings is a
 * time axis). */
gboolean
_lablink_plot_x_is_log (LablinkPlot *self)
{
  return self->x_log && !is_live (self);
}

/* A value of the x axis to the axis' coordinate (log₁₀ on a logarithmic
 * axis: NaN for a value that is not positive). */
double
_lablink_plot_x_to_axis (LablinkPlot *self,
                         double       x)
{
  if (!_lablink_plot_x_is_log (self))
    return x;
  return x > 0 ? log10 (x) : NAN;
}

double
_lablink_plot_axis_to_x (LablinkPlot *self,
                         double       axis)
{
  return _lablink_plot_x_is_log (self) ? pow (10.0, axis) : axis;
}

/**
 * lablink_plot_set_x_log:
 * @self: a plot
 * @log: whether the x axis is logarithmic
 *
 * A logarithmic x axis for array series (e.g. frequency): the data stays
 * in its unit (hertz, points at x ≤ 0 are left out), the ticks are
 * labelled in it with an SI prefix ("10 Hz", "1 kHz"), zoom and pan scale
 * the axis by factors, and the cursors read values, not their logarithm.
 * A zoomed x range is reset.
 */
void
lablink_plot_set_x_log (LablinkPlot *self,
                        gboolean     log)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));

  log = !!log;
  if (self->x_log == log)
    return;
  self->x_log = log;
  self->view.x_zoomed = FALSE;
  _lablink_plot_view_sync (self);
}

gboolean
lablink_plot_get_x_log (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), FALSE);
  return self->x_log;
}

double
_lablink_plot_view_origin_s (LablinkPlot *self)
{
  return is_live (self) ? self->view.drawn_origin / (double) G_USEC_PER_SEC : 0.0;
}

/* Stops following live: the range is kept at @origin (µs). */
void
_lablink_plot_view_freeze (LablinkPlot *self,
                           gint64       origin)
{
  if (!is_live (self) || self->view.frozen)
    return;
  self->view.frozen = TRUE;
  /* before the first frame: where the next one would be */
  self->view.origin = origin != 0 ? origin : _lablink_plot_ring_origin (self);
}

gboolean
_lablink_plot_view_x_range (LablinkPlot *self,
                            double      *x0,
                            double      *x1)
{
  if (!self->view.x_zoomed)
    return FALSE;
  *x0 = self->view.x0;
  *x1 = self->view.x1;
  return TRUE;
}

gboolean
_lablink_plot_view_y_range (LablinkPlot *self,
                            guint        pane,
                            double      *y0,
                            double      *y1)
{
  if (pane >= LABLINK_PLOT_MAX_PANES || !self->view.y_zoomed[pane])
    return FALSE;
  *y0 = self->view.y0[pane];
  *y1 = self->view.y1[pane];
  return TRUE;
}

/* Shows the overlay buttons that apply, and redraws. */
void
_lablink_plot_view_sync (LablinkPlot *self)
{
  gboolean y_zoomed = FALSE, follow, reset, clear;
  guint p;

  for (p = 0; p < LABLINK_PLOT_MAX_PANES; p++)
    y_zoomed |= self->view.y_zoomed[p];

  follow = is_live (self) && self->view.frozen;
  reset = self->view.x_zoomed || self->view.frozen || y_zoomed;
  clear = self->cursors.placed[0] || self->cursors.placed[1];

  if (self->view.toolbar != NULL)
    {
      gtk_widget_set_visible (self->view.follow_button, follow);
      gtk_widget_set_visible (self->view.reset_button, reset);
      gtk_widget_set_visible (self->view.clear_button, clear);
      gtk_widget_set_visible (self->view.toolbar, follow || reset || clear);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit_by_name (self, "view-changed");
}

/* A range made usable: finite, ordered, neither too narrow nor too wide. */
static gboolean
sane_range (LablinkPlot *self,
            double      *x0,
            double      *x1,
            gboolean     is_x)
{
  double mid, width, min_width;

  if (!isfinite (*x0) || !isfinite (*x1))
    return FALSE;
  if (*x1 < *x0)
    {
      double t = *x0;
      *x0 = *x1;
      *x1 = t;
    }
  mid = (*x0 + *x1) / 2.0;
  width = *x1 - *x0;
  min_width = MAX (fabs (mid) * 1e-9, 1e-15);
  if (is_x && is_live (self))
    min_width = MAX (min_width, MIN_RING_WIDTH);
  if (width < min_width)
    width = min_width;
  if (width > MAX_WIDTH)
    width = MAX_WIDTH;
  *x0 = mid - width / 2.0;
  *x1 = mid + width / 2.0;
  return TRUE;
}

/* Sets the visible x range, in the units of the last frame drawn (ring
 * plots: seconds from its origin). A ring plot stops following. */
void
_lablink_plot_view_set_x (LablinkPlot *self,
                          double       x0,
                          double       x1)
{
  if (!sane_range (self, &x0, &x1, TRUE))
    return;
  _lablink_plot_view_freeze (self, self->view.drawn_origin);
  self->view.x_zoomed = TRUE;
  self->view.x0 = x0;
  self->view.x1 = x1;
  _lablink_plot_view_sync (self);
}

void
_lablink_plot_view_set_y (LablinkPlot *self,
                          guint        pane,
                          double       y0,
                          double       y1)
{
  if (pane >= LABLINK_PLOT_MAX_PANES || !sane_range (self, &y0, &y1, FALSE))
    return;
  self->view.y_zoomed[pane] = TRUE;
  self->view.y0[pane] = y0;
  self->view.y1[pane] = y1;
  _lablink_plot_view_sync (self);
}

/* Scales the x range by @factor (< 1: zoom in) around @center. */
void
_lablink_plot_view_zoom_x (LablinkPlot *self,
                           double       center,
                           double       factor)
{
  Pane *pane = &self->panes[0];

  if (!pane->drawn || !isfinite (center) || !(factor > 0))
    return;
  _lablink_plot_view_set_x (self,
                            center - (center - pane->wx0) * factor,
                            center + (pane->wx1 - center) * factor);
}

void
_lablink_plot_view_zoom_y (LablinkPlot *self,
                           guint        pane,
                           double       center,
                           double       factor)
{
  Pane *p;

  if (pane >= self->n_panes || !isfinite (center) || !(factor > 0))
    return;
  p = &self->panes[pane];
  if (!p->drawn)
    return;
  _lablink_plot_view_set_y (self, pane,
                            center - (center - p->wy0) * factor,
                            center + (p->wy1 - center) * factor);
}

/* The pane at a point of the widget (its plot area), or -1. */
int
_lablink_plot_view_pane_at (LablinkPlot *self,
                            double       px,
                            double       py)
{
  guint p;

  for (p = 0; p < self->n_panes; p++)
    {
      Pane *pane = &self->panes[p];

      if (pane->drawn && px >= pane->left && px <= pane->right && py >= pane->top && py <= pane->bottom)
        return (int) p;
    }
  return -1;
}

double
_lablink_plot_view_px_to_x (LablinkPlot *self,
                            double       px)
{
  Pane *pane = &self->panes[0];

  if (!pane->drawn || pane->right <= pane->left)
    return NAN;
  return pane->wx0 + (px - pane->left) / (pane->right - pane->left) * (pane->wx1 - pane->wx0);
}

double
_lablink_plot_view_x_to_px (LablinkPlot *self,
                            double       x)
{
  Pane *pane = &self->panes[0];

  if (!pane->drawn || pane->wx1 <= pane->wx0)
    return NAN;
  return pane->left + (x - pane->wx0) / (pane->wx1 - pane->wx0) * (pane->right - pane->left);
}

double
_lablink_plot_view_py_to_y (LablinkPlot *self,
                            guint        pane,
                            double       py)
{
  Pane *p;

  if (pane >= self->n_panes || !self->panes[pane].drawn)
    return NAN;
  p = &self->panes[pane];
  return p->wy1 - (py - p->top) / (p->bottom - p->top) * (p->wy1 - p->wy0);
}

/**
 * lablink_plot_reset_view:
 * @self: a plot
 *
 * Returns to the default range (every point, or the window of the rings
 * following the newest data) with the y axes as the panel set them, as a
 * double-click does.
 */
void
lablink_plot_reset_view (LablinkPlot *self)
{
  guint p;

  g_return_if_fail (LABLINK_IS_PLOT (self));

  self->view.x_zoomed = FALSE;
  self->view.frozen = FALSE;
  for (p = 0; p < LABLINK_PLOT_MAX_PANES; p++)
    self->view.y_zoomed[p] = FALSE;
  _lablink_plot_view_sync (self);
}

/**
 * lablink_plot_follow_live:
 * @self: a plot
 *
 * A plot of rings that stopped following (zoomed or panned) follows the
 * newest data again, keeping the width the user zoomed to ("Follow live").
 */
void
lablink_plot_follow_live (LablinkPlot *self)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));

  if (!self->view.frozen)
    return;
  self->view.frozen = FALSE;
  if (self->view.x_zoomed)
    {
      double width = self->view.x1 - self->view.x0;

      if (fabs (width - self->window_seconds) <= 1e-9 * self->window_seconds)
        self->view.x_zoomed = FALSE;
      self->view.x0 = -width;
      self->view.x1 = 0.0;
    }
  _lablink_plot_view_sync (self);
}

/**
 * lablink_plot_get_following:
 * @self: a plot
 *
 * Returns: whether the plot shows the newest data of its rings as it
 *   arrives (%FALSE once the user zoomed or panned it, and for plots of
 *   arrays)
 */
gboolean
lablink_plot_get_following (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), FALSE);
  return is_live (self) && !self->view.frozen;
}

/**
 * lablink_plot_get_zoomed:
 * @self: a plot
 *
 * Returns: whether the user changed the visible range (what the reset
 *   button undoes)
 */
gboolean
lablink_plot_get_zoomed (LablinkPlot *self)
{
  guint p;

  g_return_val_if_fail (LABLINK_IS_PLOT (self), FALSE);

  for (p = 0; p < LABLINK_PLOT_MAX_PANES; p++)
    if (self->view.y_zoomed[p])
      return TRUE;
  return self->view.x_zoomed || self->view.frozen;
}

/**
 * lablink_plot_zoom_x_range:
 * @self: a plot
 * @min: the new left edge, in the units of the x axis as drawn (a plot of
 *   rings: seconds from the newest data, or from where it stopped
 *   following; a logarithmic axis: its unit, e.g. hertz, above 0)
 * @max: the new right edge
 *
 * Shows @min to @max, as a rubber-band zoom does: a plot of rings stops
 * following.
 */
void
lablink_plot_zoom_x_range (LablinkPlot *self,
                           double       min,
                           double       max)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (isfinite (min) && isfinite (max) && max > min);

  _lablink_plot_view_set_x (self, _lablink_plot_x_to_axis (self, min), _lablink_plot_x_to_axis (self, max));
}

/**
 * lablink_plot_get_visible_x_range:
 * @self: a plot
 * @min: (out) (optional): the left edge of the last frame drawn
 * @max: (out) (optional): its right edge
 *
 * In the units of the x axis (a plot of rings: seconds from its origin;
 * a logarithmic axis: its unit, not the logarithm).
 */
void
lablink_plot_get_visible_x_range (LablinkPlot *self,
                                  double      *min,
                                  double      *max)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));

  if (min)
    *min = _lablink_plot_axis_to_x (self, self->panes[0].wx0);
  if (max)
    *max = _lablink_plot_axis_to_x (self, self->panes[0].wx1);
}

/**
 * lablink_plot_get_view_x_range:
 * @self: a plot
 * @min: (out) (optional): the left edge of the next frame
 * @max: (out) (optional): its right edge
 *
 * The x range the next frame draws (the plot may be hidden), where that
 * does not depend on the data: the range the user zoomed or panned to;
 * else, for a plot of rings, its window before the newest data (or before
 * where it stopped following); else the range set with
 * lablink_plot_set_x_range(). lablink_plot_get_visible_x_range() gives the
 * last frame's instead.
 *
 * In the units of the x axis (a logarithmic axis: its unit, not the
 * logarithm), except for a plot of rings: seconds since the epoch, the
 * time of its samples (its axis' origin moves while it follows). A plot
 * that is fed only what is visible (capture review) or that works on what
 * is (the acquisition's spectrum) asks here.
 *
 * Returns: %FALSE (and leaves @min, @max alone) for a plot of arrays that
 *   shows the extent of its data
 */
gboolean
lablink_plot_get_view_x_range (LablinkPlot *self,
                               double      *min,
                               double      *max)
{
  double x0, x1;

  g_return_val_if_fail (LABLINK_IS_PLOT (self), FALSE);

  if (is_live (self))
    {
      double origin = _lablink_plot_ring_origin (self) / (double) G_USEC_PER_SEC;

      if (!_lablink_plot_view_x_range (self, &x0, &x1))
        {
          x0 = -self->window_seconds;
          x1 = 0.0;
        }
      x0 += origin;
      x1 += origin;
    }
  else if (_lablink_plot_view_x_range (self, &x0, &x1))
    {
      x0 = _lablink_plot_axis_to_x (self, x0);
      x1 = _lablink_plot_axis_to_x (self, x1);
    }
  else if (self->x_fixed)
    {
      x0 = self->x_min;
      x1 = self->x_max;
    }
  else
    return FALSE;

  if (min)
    *min = x0;
  if (max)
    *max = x1;
  return TRUE;
}

/* The overlay buttons */

static GtkWidget *
overlay_button (const char *icon,
                const char *label,
                const char *tooltip,
                const char *name)
{
  GtkWidget *button = gtk_button_new ();

  if (label != NULL)
    {
      GtkWidget *content = adw_button_content_new ();

      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), icon);
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), label);
      gtk_button_set_child (GTK_BUTTON (button), content);
    }
  else
    gtk_button_set_icon_name (GTK_BUTTON (button), icon);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_name (button, name);
  gtk_widget_add_css_class (button, "osd");
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_set_visible (button, FALSE);
  return button;
}

static void
clear_cursors_cb (LablinkPlot *self)
{
  lablink_plot_clear_cursors (self);
}

void
_lablink_plot_view_init (LablinkPlot *self)
{
  PlotView *v = &self->view;

  v->toolbar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_visible (v->toolbar, FALSE);
  v->follow_button = overlay_button ("go-last-symbolic", _("Follow live"),
                                     _("Show the newest data as it arrives"), "plot-follow-live");
  v->reset_button = overlay_button ("zoom-fit-best-symbolic", NULL,
                                    _("Reset the zoom (double-click)"), "plot-reset-zoom");
  v->clear_button = overlay_button ("edit-clear-symbolic", NULL,
                                    _("Remove the cursors"), "plot-clear-cursors");
  gtk_box_append (GTK_BOX (v->toolbar), v->follow_button);
  gtk_box_append (GTK_BOX (v->toolbar), v->reset_button);
  gtk_box_append (GTK_BOX (v->toolbar), v->clear_button);
  g_signal_connect_swapped (v->follow_button, "clicked", G_CALLBACK (lablink_plot_follow_live), self);
  g_signal_connect_swapped (v->reset_button, "clicked", G_CALLBACK (lablink_plot_reset_view), self);
  g_signal_connect_swapped (v->clear_button, "clicked", G_CALLBACK (clear_cursors_cb), self);
  gtk_widget_set_parent (v->toolbar, GTK_WIDGET (self));
}

void
_lablink_plot_view_dispose (LablinkPlot *self)
{
  if (self->view.toolbar != NULL)
    {
      gtk_widget_unparent (self->view.toolbar);
      self->view.toolbar = NULL;
      self->view.follow_button = self->view.reset_button = self->view.clear_button = NULL;
    }
}

/* The toolbar at the top right of the plot area. */
void
_lablink_plot_view_allocate (LablinkPlot *self,
                             int          width,
                             int          height)
{
  GtkRequisition natural;
  /* as the next frame lays out the plot area (the last one may have had
   * another size) */
  double right = width - MARGIN_RIGHT;
  double top = MARGIN_TOP;

  if (self->view.toolbar == NULL || !gtk_widget_get_visible (self->view.toolbar))
    return;
  gtk_widget_get_preferred_size (self->view.toolbar, NULL, &natural);
  gtk_widget_size_allocate (self->view.toolbar,
                            &(GtkAllocation) { (int) MAX (0, right - natural.width - 6), (int) top + 6,
                                               MIN (natural.width, width), MIN (natural.height, height) },
                            -1);
}

void
_lablink_plot_view_snapshot_children (LablinkPlot *self,
                                      GtkSnapshot *snapshot)
{
  if (self->view.toolbar != NULL)
    gtk_widget_snapshot_child (GTK_WIDGET (self), self->view.toolbar, snapshot);
}
