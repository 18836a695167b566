/* lablink-plot-cursors.c — two cursors on a LablinkPlot and their readout table
 *
 * Like a scope's cursors: a click places one (the first, the second, then
 * the nearer one moves), dragging its line moves it. The table shows t1,
 * t2, Δt and 1/Δt, and each visible series' value at both and their
 * difference, read from the series' own data (interpolated between the two
 * samples around the cursor, not from the decimated trace).
 *
 * A cursor is kept in absolute units (a plot of rings: seconds since the
 * epoch) so that it stays on its samples while the plot scrolls; on a
 * logarithmic axis in its unit (hertz), not the logarithm, so that the
 * table reads f1, f2 and Δf. The table
 * is drawn with the chart (so exported charts have it), in tabular figures,
 * at the top left of the plot area, or at its right while a cursor is
 * under it; lablink_plot_get_cursor_readout() gives it as text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-plot-private.h"
#include "lablink-units.h"

#define HIT_PX 6.0

/* Where cursor @index is drawn, in widget coordinates. */
static double
cursor_px (LablinkPlot *self,
           guint        index,
           double       origin)
{
  return _lablink_plot_view_x_to_px (self, _lablink_plot_x_to_axis (self, self->cursors.x[index] - origin));
}

void
_lablink_plot_cursors_init (LablinkPlot *self)
{
}

void
_lablink_plot_cursors_dispose (LablinkPlot *self)
{
  g_clear_pointer (&self->cursors.readout, g_free);
}

/* The cursor whose line is within a few pixels of @px, or -1. */
int
_lablink_plot_cursors_at (LablinkPlot *self,
                          double       px)
{
  double origin = _lablink_plot_view_origin_s (self);
  double best = HIT_PX;
  int found = -1;
  guint i;

  for (i = 0; i < 2; i++)
    if (self->cursors.placed[i])
      {
        double d = fabs (cursor_px (self, i, origin) - px);

        if (d <= best)
          {
            best = d;
            found = (int) i;
          }
      }
  return found;
}

/* @x in the axis' coordinate as drawn (log₁₀ on a logarithmic axis). */
void
_lablink_plot_cursors_move (LablinkPlot *self,
                            guint        index,
                            double       x)
{
  if (index >= 2 || !isfinite (x))
    return;
  self->cursors.placed[index] = TRUE;
  self->cursors.x[index] = _lablink_plot_axis_to_x (self, x) + _lablink_plot_view_origin_s (self);
  _lablink_plot_view_sync (self);
}

/* @x in the axis' coordinate as drawn. */
void
_lablink_plot_cursors_place (LablinkPlot *self,
                             double       x)
{
  double abs_x = _lablink_plot_axis_to_x (self, x) + _lablink_plot_view_origin_s (self);
  guint index;

  if (!isfinite (x))
    return;
  if (!self->cursors.placed[0])
    index = 0;
  else if (!self->cursors.placed[1])
    index = 1;
  else
    index = fabs (self->cursors.x[0] - abs_x) <= fabs (self->cursors.x[1] - abs_x) ? 0 : 1;
  _lablink_plot_cursors_move (self, index, x);
}

/**
 * lablink_plot_set_cursor:
 * @self: a plot
 * @index: 0 or 1
 * @x: where, in the units of the x axis as drawn (a plot of rings: seconds
 *   from its origin; a logarithmic axis: its unit, above 0)
 *
 * Places cursor @index, as a click does.
 */
void
lablink_plot_set_cursor (LablinkPlot *self,
                         guint        index,
                         double       x)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (index < 2);
  g_return_if_fail (isfinite (x));

  _lablink_plot_cursors_move (self, index, _lablink_plot_x_to_axis (self, x));
}

/**
 * lablink_plot_get_cursor:
 * @self: a plot
 * @index: 0 or 1
 * @x: (out) (optional): where it is, in the units of the x axis as last drawn
 *
 * Returns: whether cursor @index is placed
 */
gboolean
lablink_plot_get_cursor (LablinkPlot *self,
                         guint        index,
                         double      *x)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), FALSE);
  g_return_val_if_fail (index < 2, FALSE);

  if (x)
    *x = self->cursors.placed[index] ? self->cursors.x[index] - _lablink_plot_view_origin_s (self) : NAN;
  return self->cursors.placed[index];
}

void
lablink_plot_clear_cursors (LablinkPlot *self)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));

  self->cursors.placed[0] = self->cursors.placed[1] = FALSE;
  _lablink_plot_view_sync (self);
}

/**
 * lablink_plot_get_cursor_readout:
 * @self: a plot
 *
 * The cursor table of the last frame, one line per row and a tab between
 * cells: a header (`""`, `C1`, `C2`, `Δ`), `t` (t1, t2, Δt), `1/Δt` (in the
 * last column) — on an axis in hertz `f` (f1, f2, Δf) and `f₂/f₁` —, then
 * each visible series (its name, its value at both, the
 * difference). Cells without a value are `—`.
 *
 * Returns: (nullable): the table, or %NULL without cursors
 */
const char *
lablink_plot_get_cursor_readout (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), NULL);
  return self->cursors.readout;
}

/* A series' value at @x (absolute units), interpolated; NaN outside its
 * data or in a gap. */
static double
value_at (LablinkPlot *self,
          Series      *s,
          double       x)
{
  if (s->ring != NULL)
    {
      gint64 t = (gint64) llround (x * G_USEC_PER_SEC);
      gsize len = lablink_ring_get_length (s->ring);
      gsize i = lablink_ring_lower_bound (s->ring, t);
      gint64 ta, tb;
      double va, vb;

      if (i >= len)
        return NAN;
      tb = lablink_ring_get_time (s->ring, i);
      vb = lablink_ring_get_value (s->ring, i, s->channel);
      if (tb == t)
        return vb;
      if (i == 0)
        return NAN;
      ta = lablink_ring_get_time (s->ring, i - 1);
      va = lablink_ring_get_value (s->ring, i - 1, s->channel);
      return tb > ta ? va + (vb - va) * (double) (t - ta) / (double) (tb - ta) : vb;
    }
  else
    {
      gsize lo = 0, hi = s->n;

      if (s->n == 0 || x < s->x[0] || x > s->x[s->n - 1])
        return NAN;
      while (lo < hi)
        {
          gsize mid = lo + (hi - lo) / 2;

          if (s->x[mid] < x)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (s->x[lo] == x || lo == 0)
        return s->y[lo];
      return s->x[lo] > s->x[lo - 1]
        ? s->y[lo - 1] + (s->y[lo] - s->y[lo - 1]) * (x - s->x[lo - 1]) / (s->x[lo] - s->x[lo - 1])
        : s->y[lo];
    }
}

typedef struct {
  GPtrArray *cells;    /* char *, row-major, 4 per row */
  GArray    *colors;   /* a GdkRGBA per row (alpha 0: none) */
} Table;

static void
table_row (Table         *t,
           const GdkRGBA *color,
           char          *c0,
           char          *c1,
           char          *c2,
           char          *c3)
{
  GdkRGBA row_color = color ? *color : (GdkRGBA) { 0 };

  g_ptr_array_add (t->cells, c0);
  g_ptr_array_add (t->cells, c1);
  g_ptr_array_add (t->cells, c2);
  g_ptr_array_add (t->cells, c3);
  g_array_append_val (t->colors, row_color);
}

static char *
format_or_dash (double      v,
                const char *unit,
                gboolean    placed)
{
  return placed ? lablink_format_si (v, unit, 4) : g_strdup ("—");
}

/* A value in the prefix of its pane's axis, to a ten-thousandth of its
 * range: 0.000 V rather than 12.3 pV for a zero crossing. */
static char *
format_value (Pane       *pane,
              double      v,
              const char *unit,
              gboolean    placed)
{
  double top = MAX (fabs (pane->wy0), fabs (pane->wy1)), factor;
  const char *prefix;
  int decimals;

  if (!placed || isnan (v) || !(top > 0) || !isfinite (top))
    return format_or_dash (v, unit, placed);
  prefix = lablink_si_prefix (top, &factor);
  decimals = CLAMP (3 - (int) floor (log10 (top * factor)), 0, 6);
  if (fabs (v * factor) < 0.5 * pow (10, -decimals))
    v = 0.0;   /* not "-0.000" */
  return g_strdup_printf ("%.*f %s%s", decimals, v * factor, prefix, unit);
}

static void
build_table (LablinkPlot *self,
             Table       *t)
{
  const char *xu = self->x_unit ? self->x_unit : "";
  double origin = _lablink_plot_view_origin_s (self);
  gboolean p0 = self->cursors.placed[0], p1 = self->cursors.placed[1];
  double dt = self->cursors.x[1] - self->cursors.x[0];
  g_autofree char *freq_unit = g_strdup_printf ("1/%s", xu);
  gboolean is_frequency = g_strcmp0 (xu, "Hz") == 0;
  guint i;

  table_row (t, NULL, g_strdup (""), g_strdup ("C1"), g_strdup ("C2"), g_strdup ("Δ"));
  table_row (t, NULL, g_strdup (is_frequency ? "f" : "t"),
             format_or_dash (self->cursors.x[0] - origin, xu, p0),
             format_or_dash (self->cursors.x[1] - origin, xu, p1),
             format_or_dash (dt, xu, p0 && p1));
  /* a time axis: the frequency of Δt; a frequency axis: the ratio */
  if (is_frequency)
    table_row (t, NULL, g_strdup ("f₂/f₁"), g_strdup (""), g_strdup (""),
               p0 && p1 && self->cursors.x[0] > 0 ? g_strdup_printf ("%.4g", self->cursors.x[1] / self->cursors.x[0])
                                                  : g_strdup ("—"));
  else
    table_row (t, NULL, g_strdup ("1/Δt"), g_strdup (""), g_strdup (""),
               format_or_dash (dt != 0 ? 1.0 / fabs (dt) : NAN, g_strcmp0 (xu, "s") == 0 ? "Hz" : freq_unit, p0 && p1));

  for (i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      const char *unit;
      double v0, v1;
      GdkRGBA color;

      if (!s->visible || s->pane >= self->n_panes)
        continue;
      unit = self->panes[s->pane].unit ? self->panes[s->pane].unit : "";
      v0 = p0 ? value_at (self, s, self->cursors.x[0]) : NAN;
      v1 = p1 ? value_at (self, s, self->cursors.x[1]) : NAN;
      _lablink_plot_series_color (self, i, &color);
      table_row (t, &color, g_strdup (s->name ? s->name : ""),
                 format_value (&self->panes[s->pane], v0, unit, p0),
                 format_value (&self->panes[s->pane], v1, unit, p1),
                 format_value (&self->panes[s->pane], v1 - v0, unit, p0 && p1));
    }
}

static char *
table_text (Table *t)
{
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; i < t->cells->len; i++)
    {
      g_string_append (text, g_ptr_array_index (t->cells, i));
      g_string_append_c (text, i % 4 == 3 ? '\n' : '\t');
    }
  return g_string_free (text, FALSE);
}

static PangoLayout *
cell_layout (LablinkPlot *self,
             const char  *text,
             gboolean     bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_attr_list_insert (attrs, pango_attr_scale_new (0.92));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

/* How many of the points drawn (times ten, per segment crossing) fall in
 * a rectangle of the widget. */
static gsize
hidden_points (LablinkPlot *self,
               double       x,
               double       y,
               double       w,
               double       h)
{
  gsize count = 0;
  guint i;
  gsize k;

  for (i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      Pane *p;

      if (!s->visible || s->pane >= self->n_panes || s->drawn_x->len == 0)
        continue;
      p = &self->panes[s->pane];
      if (p->wx1 <= p->wx0 || p->wy1 <= p->wy0)
        continue;
      for (k = 0; k < s->drawn_x->len; k++)
        {
          double px = p->left + (g_array_index (s->drawn_x, double, k) - p->wx0) / (p->wx1 - p->wx0) * (p->right - p->left);
          double py = p->bottom - (g_array_index (s->drawn_y, double, k) - p->wy0) / (p->wy1 - p->wy0) * (p->bottom - p->top);

          if (px >= x && px <= x + w && py >= y && py <= y + h)
            count += 10;
        }
    }
  return count;
}

#define PAD     6.0
#define COL_GAP 14.0
#define SWATCH  10.0

static void
draw_table (LablinkPlot   *self,
            cairo_t       *cr,
            Table         *t,
            const GdkRGBA *fg,
            const GdkRGBA *bg)
{
  guint rows = t->cells->len / 4, r, c;
  g_autofree PangoLayout **layouts = g_new0 (PangoLayout *, t->cells->len);
  double widths[4] = { 0 }, row_h = 0, w, h, x = 0, y = 0, first_col;
  Pane *top = &self->panes[0];
  Pane *bottom = &self->panes[self->n_panes - 1];
  double origin = _lablink_plot_view_origin_s (self);

  for (r = 0; r < rows; r++)
    for (c = 0; c < 4; c++)
      {
        int lw, lh;

        layouts[r * 4 + c] = cell_layout (self, g_ptr_array_index (t->cells, r * 4 + c), r == 0 || c == 0);
        pango_layout_get_pixel_size (layouts[r * 4 + c], &lw, &lh);
        widths[c] = MAX (widths[c], lw);
        row_h = MAX (row_h, lh);
      }
  first_col = widths[0] + SWATCH + 4;
  w = PAD * 2 + first_col + widths[1] + widths[2] + widths[3] + COL_GAP * 3;
  h = PAD * 2 + rows * row_h;

  /* In the corner of the plot area that hides the least of the traces,
   * no cursor and not the buttons, top left first (below the pane's
   * name when the panes are stacked). */
  {
    graphene_rect_t buttons = GRAPHENE_RECT_INIT (0, 0, 0, 0);
    gboolean have_buttons = self->view.toolbar != NULL && gtk_widget_get_visible (self->view.toolbar) &&
                            gtk_widget_compute_bounds (self->view.toolbar, GTK_WIDGET (self), &buttons);
    double name_h = self->n_panes > 1 ? 18 : 0;
    double corners[4][2] = {
      { top->left + 6, top->top + 6 + name_h },
      { top->right - 6 - w, top->top + 6 },
      { top->left + 6, bottom->bottom - 6 - h },
      { top->right - 6 - w, bottom->bottom - 6 - h },
    };
    gsize best_cost = G_MAXSIZE;
    guint k;

    if (have_buttons)
      corners[1][1] = MAX (corners[1][1], buttons.origin.y + buttons.size.height + 6);
    for (k = 0; k < G_N_ELEMENTS (corners); k++)
      {
        graphene_rect_t area = GRAPHENE_RECT_INIT (corners[k][0] - 4, corners[k][1] - 4, w + 8, h + 8);
        gsize cost = hidden_points (self, corners[k][0], corners[k][1], w, h) + k;

        for (c = 0; c < 2; c++)
          if (self->cursors.placed[c])
            {
              double cx = cursor_px (self, c, origin);

              if (cx >= corners[k][0] - 4 && cx <= corners[k][0] + w + 4)
                cost += 100000;
            }
        if (have_buttons && graphene_rect_intersection (&area, &buttons, NULL))
          cost += 10000000;
        if (cost < best_cost)
          {
            best_cost = cost;
            x = corners[k][0];
            y = corners[k][1];
          }
      }
  }
  y = MAX (y, top->top);
  if (y + h > bottom->bottom)
    h = MAX (0, bottom->bottom - y);

  cairo_save (cr);
  cairo_rectangle (cr, floor (x) + 0.5, floor (y) + 0.5, ceil (w), ceil (h));
  cairo_set_source_rgba (cr, bg->red, bg->green, bg->blue, 0.92);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, fg->alpha * 0.5);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);

  for (r = 0; r < rows; r++)
    {
      double ry = y + PAD + r * row_h;
      double cx = x + PAD;
      const GdkRGBA *color = &g_array_index (t->colors, GdkRGBA, r);

      if (color->alpha > 0)
        {
          gdk_cairo_set_source_rgba (cr, color);
          cairo_rectangle (cr, cx, ry + row_h / 2 - 2, SWATCH, 4);
          cairo_fill (cr);
        }
      for (c = 0; c < 4; c++)
        {
          int lw, lh;

          pango_layout_get_pixel_size (layouts[r * 4 + c], &lw, &lh);
          gdk_cairo_set_source_rgba (cr, fg);
          if (c == 0)
            cairo_move_to (cr, cx + (color->alpha > 0 ? SWATCH + 4 : 0), ry);
          else
            cairo_move_to (cr, cx + widths[c] - lw, ry);   /* numbers right-aligned */
          pango_cairo_show_layout (cr, layouts[r * 4 + c]);
          cx += (c == 0 ? first_col : widths[c]) + COL_GAP;
        }
    }
  cairo_restore (cr);

  for (c = 0; c < t->cells->len; c++)
    g_object_unref (layouts[c]);
}

/* The cursors' lines (with their number and a dot where they meet each
 * trace) and the table, over the frame drawn. */
void
_lablink_plot_cursors_draw (LablinkPlot   *self,
                            cairo_t       *cr,
                            const GdkRGBA *fg,
                            const GdkRGBA *bg)
{
  Pane *top = &self->panes[0];
  Pane *bottom = &self->panes[self->n_panes - 1];
  double origin = _lablink_plot_view_origin_s (self);
  Table t;
  guint c, i;

  g_clear_pointer (&self->cursors.readout, g_free);
  if ((!self->cursors.placed[0] && !self->cursors.placed[1]) || !top->drawn || !bottom->drawn)
    return;

  cairo_save (cr);
  cairo_rectangle (cr, top->left, top->top, top->right - top->left, bottom->bottom - top->top);
  cairo_clip (cr);
  for (c = 0; c < 2; c++)
    {
      double cx;
      g_autofree char *tag = NULL;

      if (!self->cursors.placed[c])
        continue;
      cx = floor (cursor_px (self, c, origin)) + 0.5;
      if (!isfinite (cx))
        continue;

      gdk_cairo_set_source_rgba (cr, fg);
      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, cx, top->top);
      cairo_line_to (cr, cx, bottom->bottom);
      cairo_stroke (cr);

      for (i = 0; i < self->series->len; i++)
        {
          Series *s = g_ptr_array_index (self->series, i);
          Pane *p;
          double v, py;
          GdkRGBA color;

          if (!s->visible || s->pane >= self->n_panes)
            continue;
          p = &self->panes[s->pane];
          v = value_at (self, s, self->cursors.x[c]);
          if (!isfinite (v) || p->wy1 <= p->wy0)
            continue;
          py = p->bottom - (v - p->wy0) / (p->wy1 - p->wy0) * (p->bottom - p->top);
          if (py < p->top || py > p->bottom)
            continue;
          _lablink_plot_series_color (self, i, &color);
          cairo_arc (cr, cx, py, 3.5, 0, 2 * G_PI);
          gdk_cairo_set_source_rgba (cr, &color);
          cairo_fill_preserve (cr);
          gdk_cairo_set_source_rgba (cr, bg);
          cairo_stroke (cr);
        }

      /* its number, in a tab at the bottom of the line */
      {
        g_autoptr(PangoLayout) layout = NULL;
        int lw, lh;

        tag = g_strdup_printf ("C%u", c + 1);
        layout = cell_layout (self, tag, TRUE);
        pango_layout_get_pixel_size (layout, &lw, &lh);
        gdk_cairo_set_source_rgba (cr, fg);
        cairo_rectangle (cr, cx - lw / 2.0 - 3, bottom->bottom - lh - 2, lw + 6, lh + 2);
        cairo_fill (cr);
        gdk_cairo_set_source_rgba (cr, bg);
        cairo_move_to (cr, cx - lw / 2.0, bottom->bottom - lh - 1);
        pango_cairo_show_layout (cr, layout);
      }
    }
  cairo_restore (cr);

  t.cells = g_ptr_array_new_with_free_func (g_free);
  t.colors = g_array_new (FALSE, FALSE, sizeof (GdkRGBA));
  build_table (self, &t);
  self->cursors.readout = table_text (&t);
  draw_table (self, cr, &t, fg, bg);
  g_ptr_array_unref (t.cells);
  g_array_unref (t.colors);
}
