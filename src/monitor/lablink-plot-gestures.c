/* lablink-plot-gestures.c — exploring a LablinkPlot with the mouse and touchpad
 *
 * - wheel: zoom x around the pointer; Ctrl+wheel (or the wheel over the y
 *   axis): zoom y of the pane under the pointer; Shift+wheel or a
 *   horizontal scroll: pan x;
 * - drag: pan (x, and y where the pane's y is zoomed); Shift+drag: a
 *   rubber band (x, and y when the band is tall enough);
 * - click: place a cursor (the first, the second, then the nearer one
 *   moves); drag a cursor's line: move it;
 * - double-click: reset the zoom (the first click's cursor is taken back);
 * - touchpad pinch (GtkGestureZoom): zoom x around the fingers.
 *
 * The controllers' handlers only translate to the _lablink_plot_gesture_*()
 * functions (widget coordinates), which the tests call directly. The range
 * itself is kept by lablink-plot-view.c, the cursors by
 * lablink-plot-cursors.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-plot-private.h"

#define ZOOM_STEP        1.25   /* per wheel notch */
#define DRAG_THRESHOLD   4.0    /* px before a press becomes a drag */
#define BOX_MIN_PX       4.0
#define BOX_Y_MIN_PX     10.0   /* a flatter band zooms x only */

static void
begin_ranges (LablinkPlot *self,
              PlotGesture *g)
{
  Pane *x_pane = &self->panes[0];

  g->origin = self->view.drawn_origin;
  g->x0 = x_pane->wx0;
  g->x1 = x_pane->wx1;
  if (g->pane >= 0)
    {
      g->y0 = self->panes[g->pane].wy0;
      g->y1 = self->panes[g->pane].wy1;
    }
}

/* Below the panes (the x axis' labels) counts as the last pane for x. */
static gboolean
in_x_band (LablinkPlot *self,
           double       px,
           double       py)
{
  Pane *first = &self->panes[0];
  Pane *last = &self->panes[self->n_panes - 1];

  return first->drawn && last->drawn && px >= first->left && px <= first->right &&
         py >= first->top && py <= gtk_widget_get_height (GTK_WIDGET (self));
}

static int
pane_at_y (LablinkPlot *self,
           double       py)
{
  guint p;

  for (p = 0; p < self->n_panes; p++)
    if (self->panes[p].drawn && py >= self->panes[p].top && py <= self->panes[p].bottom)
      return (int) p;
  return -1;
}

/**
 * _lablink_plot_gesture_wheel:
 * @px: the pointer, in widget coordinates
 * @dx: horizontal scroll (notches, or pixels when @smooth)
 * @dy: vertical scroll; > 0 (down) zooms out
 *
 * Returns: whether the scroll was used (else it goes to e.g. a scrolled
 *   window around the plot)
 */
gboolean
_lablink_plot_gesture_wheel (LablinkPlot     *self,
                             double           px,
                             double           py,
                             double           dx,
                             double           dy,
                             GdkModifierType  state,
                             gboolean         smooth)
{
  double notches_x = smooth ? dx / 10.0 : dx;
  double notches_y = smooth ? dy / 10.0 : dy;
  int pane = pane_at_y (self, py);

  if (!self->panes[0].drawn)
    return FALSE;

  if ((state & GDK_SHIFT_MASK) && notches_x == 0)
    {
      notches_x = notches_y;
      notches_y = 0;
    }

  /* Over the y axis, or with Ctrl: y of that pane. */
  if (pane >= 0 && notches_y != 0 &&
      ((state & GDK_CONTROL_MASK) || (px < self->panes[0].left && px >= 0)))
    {
      _lablink_plot_view_zoom_y (self, (guint) pane, _lablink_plot_view_py_to_y (self, (guint) pane, py),
                                 pow (ZOOM_STEP, notches_y));
      return TRUE;
    }

  if (!in_x_band (self, px, py))
    return FALSE;

  if (notches_x != 0)
    {
      Pane *p = &self->panes[0];
      double shift = notches_x * 0.1 * (p->wx1 - p->wx0);

      _lablink_plot_view_set_x (self, p->wx0 + shift, p->wx1 + shift);
    }
  if (notches_y != 0)
    _lablink_plot_view_zoom_x (self, _lablink_plot_view_px_to_x (self, px), pow (ZOOM_STEP, notches_y));
  return TRUE;
}

void
_lablink_plot_gesture_press (LablinkPlot     *self,
                             double           px,
                             double           py,
                             GdkModifierType  state)
{
  PlotGesture *g = &self->gesture;
  int cursor;

  g->mode = PLOT_DRAG_PENDING;
  g->shift = (state & GDK_SHIFT_MASK) != 0;
  g->start_x = px;
  g->start_y = py;
  g->dx = g->dy = 0;
  g->pane = _lablink_plot_view_pane_at (self, px, py);
  /* not on the overlay's buttons */
  if (gtk_widget_pick (GTK_WIDGET (self), px, py, GTK_PICK_DEFAULT) != GTK_WIDGET (self))
    g->pane = -1;
  cursor = g->pane >= 0 ? _lablink_plot_cursors_at (self, px) : -1;
  g->cursor = cursor >= 0 ? (guint) cursor : G_MAXUINT;
  begin_ranges (self, g);
}

static void
pan (LablinkPlot *self,
     PlotGesture *g)
{
  Pane *xp = &self->panes[0];
  double w = xp->right - xp->left;
  double shift;

  if (w <= 0)
    return;
  _lablink_plot_view_freeze (self, g->origin);
  shift = -g->dx / w * (g->x1 - g->x0);
  _lablink_plot_view_set_x (self, g->x0 + shift, g->x1 + shift);

  if (g->pane >= 0 && self->view.y_zoomed[g->pane])
    {
      Pane *yp = &self->panes[g->pane];
      double h = yp->bottom - yp->top;

      if (h > 0)
        {
          double yshift = g->dy / h * (g->y1 - g->y0);
          _lablink_plot_view_set_y (self, (guint) g->pane, g->y0 + yshift, g->y1 + yshift);
        }
    }
}

void
_lablink_plot_gesture_motion (LablinkPlot *self,
                              double       dx,
                              double       dy)
{
  PlotGesture *g = &self->gesture;

  g->dx = dx;
  g->dy = dy;

  if (g->mode == PLOT_DRAG_PENDING && hypot (dx, dy) >= DRAG_THRESHOLD)
    {
      if (g->pane < 0)
        g->mode = PLOT_DRAG_NONE;
      else if (g->shift)
        g->mode = PLOT_DRAG_ZOOM_BOX;
      else if (g->cursor != G_MAXUINT)
        g->mode = PLOT_DRAG_CURSOR;
      else
        g->mode = PLOT_DRAG_PAN;
    }

  switch (g->mode)
    {
    case PLOT_DRAG_PAN:
      pan (self, g);
      break;
    case PLOT_DRAG_CURSOR:
      _lablink_plot_cursors_move (self, g->cursor, _lablink_plot_view_px_to_x (self, g->start_x + dx));
      break;
    case PLOT_DRAG_ZOOM_BOX:
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case PLOT_DRAG_NONE:
    case PLOT_DRAG_PENDING:
    default:
      break;
    }
}

/* The rubber band, clamped to the pane it began in. */
static gboolean
zoom_box (LablinkPlot      *self,
          PlotGesture      *g,
          graphene_rect_t  *rect)
{
  Pane *p;
  double x0, x1, y0, y1;

  if (g->pane < 0)
    return FALSE;
  p = &self->panes[g->pane];
  x0 = CLAMP (MIN (g->start_x, g->start_x + g->dx), p->left, p->right);
  x1 = CLAMP (MAX (g->start_x, g->start_x + g->dx), p->left, p->right);
  y0 = CLAMP (MIN (g->start_y, g->start_y + g->dy), p->top, p->bottom);
  y1 = CLAMP (MAX (g->start_y, g->start_y + g->dy), p->top, p->bottom);
  if (y1 - y0 < BOX_Y_MIN_PX)
    {
      y0 = p->top;
      y1 = p->bottom;
    }
  graphene_rect_init (rect, x0, y0, x1 - x0, y1 - y0);
  return TRUE;
}

void
_lablink_plot_gesture_release (LablinkPlot *self,
                               double       dx,
                               double       dy)
{
  PlotGesture *g = &self->gesture;
  graphene_rect_t box;

  _lablink_plot_gesture_motion (self, dx, dy);

  switch (g->mode)
    {
    case PLOT_DRAG_PENDING:
      /* A click: a cursor there (but not for a double click's second). */
      if (g->ignore_click)
        g->ignore_click = FALSE;
      else if (g->pane >= 0)
        {
          g->had_cursor[0] = self->cursors.placed[0];
          g->had_cursor[1] = self->cursors.placed[1];
          g->old_cursor[0] = self->cursors.x[0];
          g->old_cursor[1] = self->cursors.x[1];
          _lablink_plot_cursors_place (self, _lablink_plot_view_px_to_x (self, g->start_x));
        }
      break;

    case PLOT_DRAG_ZOOM_BOX:
      if (zoom_box (self, g, &box) && box.size.width >= BOX_MIN_PX)
        {
          Pane *p = &self->panes[g->pane];

          _lablink_plot_view_freeze (self, g->origin);
          _lablink_plot_view_set_x (self, _lablink_plot_view_px_to_x (self, box.origin.x),
                                    _lablink_plot_view_px_to_x (self, box.origin.x + box.size.width));
          if (box.size.height < p->bottom - p->top - 0.5)
            _lablink_plot_view_set_y (self, (guint) g->pane,
                                      _lablink_plot_view_py_to_y (self, (guint) g->pane, box.origin.y + box.size.height),
                                      _lablink_plot_view_py_to_y (self, (guint) g->pane, box.origin.y));
        }
      break;

    case PLOT_DRAG_NONE:
    case PLOT_DRAG_PAN:
    case PLOT_DRAG_CURSOR:
    default:
      break;
    }

  g->mode = PLOT_DRAG_NONE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The second press of a double click: the first click's cursor is taken
 * back and the zoom reset. */
void
_lablink_plot_gesture_double_click (LablinkPlot *self)
{
  PlotGesture *g = &self->gesture;
  guint i;

  for (i = 0; i < 2; i++)
    {
      self->cursors.placed[i] = g->had_cursor[i];
      self->cursors.x[i] = g->old_cursor[i];
    }
  g->ignore_click = TRUE;
  lablink_plot_reset_view (self);
}

void
_lablink_plot_gesture_pinch_begin (LablinkPlot *self,
                                   double       px)
{
  PlotGesture *g = &self->gesture;

  g->pane = -1;
  begin_ranges (self, g);
  g->pinch_x0 = g->x0;
  g->pinch_x1 = g->x1;
  g->pinch_center = _lablink_plot_view_px_to_x (self, px);
}

void
_lablink_plot_gesture_pinch (LablinkPlot *self,
                             double       scale)
{
  PlotGesture *g = &self->gesture;
  double c = g->pinch_center;

  if (!(scale > 0) || !isfinite (c))
    return;
  _lablink_plot_view_freeze (self, g->origin);
  _lablink_plot_view_set_x (self, c - (c - g->pinch_x0) / scale, c + (g->pinch_x1 - c) / scale);
}

void
_lablink_plot_gestures_snapshot (LablinkPlot *self,
                                 GtkSnapshot *snapshot)
{
  PlotGesture *g = &self->gesture;
  graphene_rect_t box;
  GdkRGBA fill = { 0.21, 0.52, 0.89, 0.18 };
  GdkRGBA line = { 0.21, 0.52, 0.89, 0.9 };

  if (g->mode != PLOT_DRAG_ZOOM_BOX || !zoom_box (self, g, &box))
    return;
  gtk_snapshot_append_color (snapshot, &fill, &box);
  gtk_snapshot_append_border (snapshot, &GSK_ROUNDED_RECT_INIT (box.origin.x, box.origin.y,
                                                                box.size.width, box.size.height),
                              (float[4]) { 1, 1, 1, 1 }, (GdkRGBA[4]) { line, line, line, line });
}

/* The controllers */

static void
pointer_cb (GtkEventControllerMotion *controller,
            double                    x,
            double                    y,
            LablinkPlot              *self)
{
  self->gesture.pointer_x = x;
  self->gesture.pointer_y = y;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           LablinkPlot              *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  gboolean smooth = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_SURFACE;

  return _lablink_plot_gesture_wheel (self, self->gesture.pointer_x, self->gesture.pointer_y,
                                      dx, dy, state, smooth);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               LablinkPlot    *self)
{
  _lablink_plot_gesture_press (self, x, y,
                               gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture)));
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                LablinkPlot    *self)
{
  PlotDragMode before = self->gesture.mode;

  _lablink_plot_gesture_motion (self, dx, dy);
  /* A real drag: nobody else (a swipe, a scrolled window) takes it. */
  if (before == PLOT_DRAG_PENDING && self->gesture.mode != PLOT_DRAG_PENDING && self->gesture.mode != PLOT_DRAG_NONE)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             LablinkPlot    *self)
{
  _lablink_plot_gesture_release (self, dx, dy);
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  LablinkPlot     *self)
{
  if (n_press >= 2 && _lablink_plot_view_pane_at (self, x, y) >= 0)
    _lablink_plot_gesture_double_click (self);
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               LablinkPlot      *self)
{
  double x = 0, y = 0;

  gtk_gesture_get_bounding_box_center (gesture, &x, &y);
  _lablink_plot_gesture_pinch_begin (self, x);
}

static void
zoom_scale_cb (GtkGestureZoom *gesture,
               double          scale,
               LablinkPlot    *self)
{
  _lablink_plot_gesture_pinch (self, scale);
}

void
_lablink_plot_gestures_init (LablinkPlot *self)
{
  GtkEventController *motion, *scroll;
  GtkGesture *drag, *click, *zoom;

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "enter", G_CALLBACK (pointer_cb), self);
  g_signal_connect (motion, "motion", G_CALLBACK (pointer_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (zoom_scale_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));
}
