/* lablink-plot-draw.c — drawing one frame of a LablinkPlot with PLplot
 *
 * Drawing follows the frame clock: setting data only copies it and queues a
 * draw, so a plot draws at most once per frame however fast data arrives.
 * At draw time each series is reduced to min/max per pixel column
 * (lablink_decimate_minmax()) before PLplot sees it: PLplot then draws
 * O(width) points whatever the trace's length.
 *
 * PLplot notes (measured, PLplot 5.15):
 * - Only the "extcairo" device draws into our cairo context; without the
 *   plplot-driver-cairo package plsdev("extcairo") + plinit() would fall back
 *   to asking for a device on stdin and exit the process. So the device list
 *   is checked first; if extcairo is missing the plot says so instead.
 * - The page size is fixed at plinit(); re-initialising a stream costs
 *   ~60 µs, so the stream is simply re-made when the widget's size changes.
 * - pl_cmd (PLESC_DEVINIT, cr) takes each new cairo context (and flips its
 *   y axis: once per context). extcairo paints no background: we do.
 * - PLplot has one current stream: plsstrm() before every use; main thread.
 * - plline() does not skip NaN: traces are split at gaps here.
 * - A logarithmic x axis: the data is handed over as log₁₀ (decimated in
 *   that coordinate, so each pixel column spans the same factor) and the
 *   box drawn with plbox's "l" option. Two decades or more are labelled by
 *   PLplot at its major ticks through plslabelfunc() and the "o" option
 *   (its label function gets log₁₀ of the value); narrower ranges get
 *   PLplot's decade and 2…9 ticks and our labels (1-2-5, 1…9 or a linear
 *   step: lablink_plot_axis_log_ticks()) with plmtex() and grid lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "lablink-plot-axis.h"
#include "lablink-plot-private.h"
#include "lablink-units.h"

/* Adwaita palette: 3 (light backgrounds) and 2/1 (dark backgrounds). */
static const char *palette_light[] = {
  "#1c71d8", "#e66100", "#26a269", "#c01c28", "#813d9c", "#986a44", "#e5a50a", "#2190a4",
};
static const char *palette_dark[] = {
  "#62a0ea", "#ffa348", "#57e389", "#f66151", "#c061cb", "#cdab8f", "#f8e45c", "#5bc8af",
};

static void
plplot_abort_handler (PLCHAR_VECTOR message)
{
  g_debug ("PLplot: %s", message);
}

/**
 * lablink_plot_is_available:
 *
 * Whether PLplot can draw into GTK here: its "extcairo" device is installed
 * (package plplot-driver-cairo). Set `LABLINK_PLOT_DISABLE=1` to test the
 * fallback.
 *
 * Returns: %TRUE if plots can be drawn
 */
gboolean
lablink_plot_is_available (void)
{
  static int available = -1;

  if (available < 0)
    {
      const char **menu = g_new0 (const char *, 256);
      const char **devices = g_new0 (const char *, 256);
      int n = 256, i;

      available = 0;
      if (g_strcmp0 (g_getenv ("LABLINK_PLOT_DISABLE"), "1") != 0)
        {
          plgDevs (&menu, &devices, &n);
          for (i = 0; i < n && i < 256; i++)
            if (g_strcmp0 (devices[i], "extcairo") == 0)
              available = 1;
        }
      if (!available)
        g_message ("PLplot's extcairo device is not available (install plplot-driver-cairo): plots are disabled");
      g_free (menu);
      g_free (devices);
    }

  return available == 1;
}

void
_lablink_plot_end_stream (LablinkPlot *self)
{
  if (!self->stream_ready)
    return;
  plsstrm (self->stream);
  plend1 ();
  self->stream_ready = FALSE;
}

static gboolean
ensure_stream (LablinkPlot *self,
               int          width,
               int          height)
{
  if (self->stream_ready && self->page_width == width && self->page_height == height)
    {
      plsstrm (self->stream);
      return TRUE;
    }

  _lablink_plot_end_stream (self);

  plmkstrm (&self->stream);
  if (self->stream < 0)
    return FALSE;
  plsstrm (self->stream);
  plsabort (plplot_abort_handler);
  plsdev ("extcairo");
  plspage (0.0, 0.0, width, height, 0, 0);
  plinit ();
  self->stream_ready = TRUE;
  self->page_width = width;
  self->page_height = height;
  return TRUE;
}

static void
set_color (const GdkRGBA *c)
{
  plscol0a (SCRATCH_COLOR,
            (PLINT) lround (CLAMP (c->red, 0, 1) * 255),
            (PLINT) lround (CLAMP (c->green, 0, 1) * 255),
            (PLINT) lround (CLAMP (c->blue, 0, 1) * 255),
            CLAMP (c->alpha, 0, 1));
  plcol0 (SCRATCH_COLOR);
}

static void
series_color (LablinkPlot *self,
              guint        index,
              GdkRGBA     *color)
{
  Series *s = g_ptr_array_index (self->series, index);

  if (s->has_color)
    *color = s->color;
  else
    gdk_rgba_parse (color, self->dark ? palette_dark[s->palette_index % G_N_ELEMENTS (palette_dark)]
                                      : palette_light[s->palette_index % G_N_ELEMENTS (palette_light)]);
}

static void
theme_colors (LablinkPlot *self,
              GdkRGBA     *bg,
              GdkRGBA     *fg,
              GdkRGBA     *grid)
{
  if (self->dark)
    {
      *bg = (GdkRGBA) { 0.118, 0.118, 0.118, 1.0 };
      *fg = (GdkRGBA) { 1.0, 1.0, 1.0, 0.85 };
      *grid = (GdkRGBA) { 1.0, 1.0, 1.0, 0.12 };
    }
  else
    {
      *bg = (GdkRGBA) { 1.0, 1.0, 1.0, 1.0 };
      *fg = (GdkRGBA) { 0.0, 0.0, 0.0, 0.8 };
      *grid = (GdkRGBA) { 0.0, 0.0, 0.0, 0.10 };
    }
}

/* The data a series shows this frame, as x/y arrays (x in the plot's x
 * unit). Ring series are copied into the scratch arrays. */
static gsize
series_source (LablinkPlot   *self,
               Series        *s,
               double         x0,
               double         x1,
               gint64         now,
               const double **x,
               const double **y)
{
  if (s->ring != NULL)
    {
      gsize first, n;
      gint64 from = now + (gint64) (x0 * G_USEC_PER_SEC);
      gint64 to = now + (gint64) (x1 * G_USEC_PER_SEC);

      n = lablink_ring_find_range (s->ring, from, to, &first);
      /* one entry on each side, for the lines entering and leaving */
      if (first > 0)
        {
          first--;
          n++;
        }
      if (first + n < lablink_ring_get_length (s->ring))
        n++;

      g_array_set_size (self->scratch_x, n);
      g_array_set_size (self->scratch_y, n);
      n = lablink_ring_copy_xy (s->ring, s->channel, first, n, now,
                                (double *) self->scratch_x->data, (double *) self->scratch_y->data);
      *x = (const double *) self->scratch_x->data;
      *y = (const double *) self->scratch_y->data;
      return n;
    }

  if (_lablink_plot_x_is_log (self))
    {
      gsize i, n = 0;
      double *lx, *ly;

      /* log₁₀ x; points at x ≤ 0 have no place on the axis */
      g_array_set_size (self->scratch_x, s->n);
      g_array_set_size (self->scratch_y, s->n);
      lx = (double *) self->scratch_x->data;
      ly = (double *) self->scratch_y->data;
      for (i = 0; i < s->n; i++)
        if (s->x[i] > 0)
          {
            lx[n] = log10 (s->x[i]);
            ly[n] = s->y[i];
            n++;
          }
      *x = lx;
      *y = ly;
      return n;
    }

  *x = s->x;
  *y = s->y;
  return s->n;
}

gint64
_lablink_plot_ring_origin (LablinkPlot *self)
{
  gint64 latest = G_MININT64;
  guint i;

  if (self->view.frozen)
    return self->view.origin;
  if (self->paused)
    return self->origin == LABLINK_PLOT_ORIGIN_NOW ? self->paused_now : self->paused_latest;
  if (self->origin == LABLINK_PLOT_ORIGIN_NOW)
    return g_get_real_time ();

  for (i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      gint64 last;

      if (s->ring != NULL && lablink_ring_get_time_range (s->ring, NULL, &last))
        latest = MAX (latest, last);
    }
  return latest == G_MININT64 ? g_get_real_time () : latest;
}

static void
x_range (LablinkPlot *self,
         double      *x0,
         double      *x1)
{
  double lo = INFINITY, hi = -INFINITY;
  guint i;

  if (_lablink_plot_view_x_range (self, x0, x1))
    return;
  if (self->x_fixed && (!_lablink_plot_x_is_log (self) || self->x_max > 0))
    {
      *x0 = self->x_min;
      *x1 = self->x_max;
      if (_lablink_plot_x_is_log (self))
        {
          /* a range from 0: from a decade below its end */
          *x0 = *x0 > 0 ? log10 (*x0) : log10 (*x1) - 1.0;
          *x1 = log10 (*x1);
          lablink_plot_axis_fixed_range (x0, x1);
        }
      return;
    }
  if (_lablink_plot_has_ring_series (self))
    {
      *x0 = -self->window_seconds;
      *x1 = 0.0;
      return;
    }

  for (i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);

      if (s->visible && s->n > 0 && _lablink_plot_x_is_log (self))
        {
          gsize k;

          /* the first positive x */
          for (k = 0; k < s->n && !(s->x[k] > 0); k++)
            ;
          if (k < s->n && s->x[s->n - 1] > 0)
            {
              lo = MIN (lo, log10 (s->x[k]));
              hi = MAX (hi, log10 (s->x[s->n - 1]));
            }
        }
      else if (s->visible && s->n > 0)
        {
          lo = MIN (lo, s->x[0]);
          hi = MAX (hi, s->x[s->n - 1]);
        }
    }
  lablink_plot_axis_data_range (&lo, &hi);
  *x0 = lo;
  *x1 = hi;
}

static void
draw_text (LablinkPlot   *self,
           cairo_t       *cr,
           const char    *text,
           double         x,
           double         y,
           double         x_align,
           const GdkRGBA *color,
           gboolean       bold,
           double        *width)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  int w, h;

  if (bold)
    {
      g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>", text);
      pango_layout_set_markup (layout, markup, -1);
    }
  else
    pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - w * x_align, y - h / 2.0);
  gdk_cairo_set_source_rgba (cr, color);
  pango_cairo_show_layout (cr, layout);
  if (width)
    *width = w;
}

static void
draw_centered_message (LablinkPlot   *self,
                       cairo_t       *cr,
                       const char    *text,
                       double         cx,
                       double         cy,
                       const GdkRGBA *fg)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int w, h;

  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_width (layout, (int) (gtk_widget_get_width (GTK_WIDGET (self)) * 0.8 * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, cx - w / 2.0, cy - h / 2.0);
  gdk_cairo_set_source_rgba (cr, fg);
  pango_cairo_show_layout (cr, layout);
}

/* Draws one decimated trace, split at its gaps. */
static gsize
draw_trace (const double *x,
            const double *y,
            gsize         n,
            double        xf,
            double        yf)
{
  g_autofree PLFLT *px = g_new (PLFLT, MAX (n, 1));
  g_autofree PLFLT *py = g_new (PLFLT, MAX (n, 1));
  gsize i = 0, drawn = 0;

  while (i < n)
    {
      gsize run = 0;

      while (i < n && isnan (y[i]))
        i++;
      while (i < n && !isnan (y[i]))
        {
          px[run] = x[i] * xf;
          py[run] = y[i] * yf;
          run++;
          i++;
        }
      if (run >= 2)
        plline ((PLINT) run, px, py);
      else if (run == 1)
        plpoin (1, px, py, 1);
      drawn += run;
    }
  return drawn;
}

/* Of the points drawn at the same x as point @best (a column's minimum
 * and maximum, a break in the trace and the value after it): @best if it
 * is a value, else a value if there is one. */
static gsize
value_at_same_x (const double *dx,
                 const double *dy,
                 gsize         n,
                 gsize         best)
{
  gsize i = best;

  if (!isnan (dy[best]))
    return best;
  while (i > 0 && dx[i - 1] == dx[best])
    i--;
  for (; i < n && dx[i] == dx[best]; i++)
    if (!isnan (dy[i]))
      return i;
  return best;
}

static void
update_cursor (LablinkPlot *self,
               cairo_t     *cr,
               const GdkRGBA *fg,
               const GdkRGBA *bg)
{
  g_autoptr(GString) text = NULL;
  Pane *pane = NULL;
  double wx, wy, factor;
  const char *prefix;
  g_autofree char *xs = NULL;
  g_autofree char *ys = NULL;
  gboolean over_band;
  double px_per_x;
  guint p, i;

  g_clear_pointer (&self->cursor_text, g_free);
  if (!self->pointer_in)
    return;

  for (p = 0; p < self->n_panes; p++)
    if (self->panes[p].drawn &&
        self->pointer_x >= self->panes[p].left && self->pointer_x <= self->panes[p].right &&
        self->pointer_y >= self->panes[p].top && self->pointer_y <= self->panes[p].bottom)
      pane = &self->panes[p];
  if (pane == NULL)
    return;

  wx = pane->wx0 + (self->pointer_x - pane->left) / (pane->right - pane->left) * (pane->wx1 - pane->wx0);
  wy = pane->wy1 - (self->pointer_y - pane->top) / (pane->bottom - pane->top) * (pane->wy1 - pane->wy0);

  prefix = lablink_si_prefix (MAX (fabs (pane->wx0), fabs (pane->wx1)), &factor);
  (void) prefix;
  xs = lablink_format_si (_lablink_plot_axis_to_x (self, wx), self->x_unit ? self->x_unit : "", 4);
  ys = lablink_format_si (wy, pane->unit ? pane->unit : "", 4);
  text = g_string_new (NULL);
  g_string_append_printf (text, "%s  %s", xs, ys);

  /* The value of each series of the pane nearest to the pointer's x. */
  over_band = _lablink_plot_bands_under_pointer (self);
  px_per_x = (pane->right - pane->left) / (pane->wx1 - pane->wx0);
  for (i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      const double *dx = (const double *) s->drawn_x->data;
      const double *dy = (const double *) s->drawn_y->data;
      gsize lo = 0, hi = s->drawn_x->len, best;
      g_autofree char *vs = NULL;

      if (&self->panes[s->pane] != pane || !s->visible || hi == 0)
        continue;
      while (lo < hi)
        {
          gsize mid = lo + (hi - lo) / 2;
          if (dx[mid] < wx)
            lo = mid + 1;
          else
            hi = mid;
        }
      best = lo >= s->drawn_x->len ? s->drawn_x->len - 1 : lo;
      if (best > 0 && fabs (dx[best - 1] - wx) < fabs (dx[best] - wx))
        best--;
      /* Over a band (a gap): only a series with a sample there, none
       * with "—"; a break in the trace at a gap's edge is drawn at the
       * x of the first value after it, which is what is there. */
      if (over_band)
        {
          best = value_at_same_x (dx, dy, s->drawn_x->len, best);
          if (_lablink_plot_bands_hide_value (self, pane->left + (dx[best] - pane->wx0) * px_per_x, dy[best]))
            continue;
        }
      vs = lablink_format_si (dy[best], pane->unit ? pane->unit : "", 4);
      g_string_append_printf (text, "\n%s: %s", s->name, vs);
    }
  _lablink_plot_bands_describe (self, text);

  self->cursor_text = g_string_free (g_steal_pointer (&text), FALSE);

  /* crosshair and readout box */
  cairo_save (cr);
  gdk_cairo_set_source_rgba (cr, fg);
  cairo_set_line_width (cr, 1.0);
  cairo_set_dash (cr, (double[]) { 3.0, 3.0 }, 2, 0);
  cairo_move_to (cr, floor (self->pointer_x) + 0.5, pane->top);
  cairo_line_to (cr, floor (self->pointer_x) + 0.5, pane->bottom);
  cairo_stroke (cr);
  cairo_restore (cr);

  {
    g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->cursor_text);
    int w, h;
    double bx, by;

    pango_layout_get_pixel_size (layout, &w, &h);
    bx = self->pointer_x + 12;
    by = self->pointer_y + 12;
    if (bx + w + 8 > pane->right)
      bx = self->pointer_x - 12 - w - 8;
    if (by + h + 8 > pane->bottom)
      by = MAX (pane->top, self->pointer_y - 12 - h - 8);
    cairo_rectangle (cr, bx, by, w + 8, h + 6);
    cairo_set_source_rgba (cr, bg->red, bg->green, bg->blue, 0.9);
    cairo_fill_preserve (cr);
    gdk_cairo_set_source_rgba (cr, fg);
    cairo_set_line_width (cr, 1.0);
    cairo_stroke (cr);
    cairo_move_to (cr, bx + 4, by + 3);
    pango_cairo_show_layout (cr, layout);
  }
}

static void
note_tick_label (LablinkPlot *self,
                 const char  *label)
{
  if (self->x_tick_labels[0] != '\0')
    g_strlcat (self->x_tick_labels, ", ", sizeof self->x_tick_labels);
  g_strlcat (self->x_tick_labels, label, sizeof self->x_tick_labels);
}

/**
 * lablink_plot_get_x_tick_labels:
 * @self: a plot
 *
 * Returns: the labels of a logarithmic x axis in the last frame drawn,
 *   comma-separated ("10 Hz, 100 Hz, 1 kHz"); "" for a linear axis
 */
const char *
lablink_plot_get_x_tick_labels (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), NULL);
  return self->x_tick_labels;
}

/* PLplot's label function for the decades of a logarithmic x axis: it
 * gets log₁₀ of the value. */
static void
log_label_cb (PLINT            axis,
              PLFLT            value,
              PLCHAR_NC_VECTOR label,
              PLINT            length,
              PLPointer        data)
{
  LablinkPlot *self = data;
  g_autofree char *text = lablink_plot_axis_si_label (pow (10.0, value), 0, self->x_unit);

  g_strlcpy (label, text, (gsize) MAX (length, 1));
  if (axis == PL_X_AXIS)
    note_tick_label (self, text);
}

/* The box of a pane with a logarithmic x axis (x0…x1 in log₁₀, y0…y1 as
 * given to plwind()): decades and their 2…9 ticks by PLplot, the grid and
 * the labels as lablink_plot_axis_log_ticks() says. */
static void
draw_log_box (LablinkPlot   *self,
              double         x0,
              double         x1,
              double         y0,
              double         y1,
              double         width_px,
              gboolean       last,
              double         ytick,
              const GdkRGBA *grid,
              const GdkRGBA *fg)
{
  double ticks[LABLINK_PLOT_AXIS_MAX_LOG_TICKS], step;
  guint n, i;
  LablinkPlotAxisLogTicks kind;

  kind = lablink_plot_axis_log_ticks (x0, x1, lablink_plot_axis_max_ticks (width_px, LABLINK_PLOT_AXIS_X_TICK_PX),
                                      &step, ticks, &n);

  /* a faint line at 2…9 of each decade where a decade is wide enough */
  if (width_px / (x1 - x0) >= 150)
    {
      GdkRGBA faint = *grid;

      faint.alpha *= 0.6;
      set_color (&faint);
      plbox ("hl", 1.0, 0, "", 0, 0);
    }
  set_color (grid);
  plbox ("", 0, 0, "g", ytick, 0);
  for (i = 0; i < n; i++)
    pljoin (ticks[i], y0, ticks[i], y1);

  set_color (fg);
  if (kind == LABLINK_PLOT_AXIS_LOG_DECADES)
    {
      plslabelfunc (log_label_cb, self);
      if (step == 1)
        plbox (last ? "bcnstlo" : "bcstl", step, 0, "bcnstv", ytick, 0);
      else
        plbox (last ? "bcntlo" : "bctl", step, 0, "bcnstv", ytick, 0);
      plslabelfunc (NULL, NULL);
      return;
    }

  plbox ("bcstl", 1.0, 0, "bcnstv", ytick, 0);
  if (!last)
    return;
  for (i = 0; i < n; i++)
    {
      g_autofree char *label = lablink_plot_axis_si_label (pow (10.0, ticks[i]),
                                                           kind == LABLINK_PLOT_AXIS_LOG_LINEAR ? step : 0,
                                                           self->x_unit);

      plmtex ("b", 1.5, (ticks[i] - x0) / (x1 - x0), 0.5, label);
      note_tick_label (self, label);
    }
}

/* The size of the plot's text (tick labels, axis titles), in points. */
#define TEXT_PT 9.5

/* The screen's resolution in dots per inch (GTK's font resolution). */
static double
screen_dpi (LablinkPlot *self)
{
  int xft_dpi = 0;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-xft-dpi", &xft_dpi, NULL);
  return xft_dpi > 0 ? xft_dpi / 1024.0 : 96.0;
}

/* PLplot's character height (plschr) for TEXT_PT text on this screen.
 * PLplot sizes text in millimetres of its page, which is the widget
 * (@height pixels tall) at PLplot's own resolution; its cairo driver then
 * asks Pango for a font of that many points (72 to the inch), which Pango
 * renders at its font map's resolution. A constant size in points on the
 * screen is therefore a character height computed from the page's size
 * and both resolutions, not a fraction of the window. */
static double
char_height_mm (LablinkPlot *self,
                int          height)
{
  PLFLT xmin, xmax, ymin, ymax;
  double text_px = TEXT_PT * screen_dpi (self) / 72.0;
  double pango_dpi = pango_cairo_font_map_get_resolution (PANGO_CAIRO_FONT_MAP (pango_cairo_font_map_get_default ()));
  double mm_per_px;

  plgspa (&xmin, &xmax, &ymin, &ymax);
  mm_per_px = height > 0 && ymax > ymin ? (ymax - ymin) / height : 25.4 / 72.0;
  if (pango_dpi <= 0)
    pango_dpi = 96.0;
  /* PLplot's points are its page's pixels: 72 to its inch. */
  return text_px * mm_per_px * 72.0 / pango_dpi;
}

void
_lablink_plot_draw (LablinkPlot *self,
                    cairo_t     *cr,
                    int          width,
                    int          height)
{
  GdkRGBA bg, fg, grid;
  double x0, x1, xf, plot_left, plot_right, plot_top, plot_bottom, pane_h, text_px;
  const char *x_prefix;
  g_autofree char *x_label = NULL;
  gint64 now = 0;
  gboolean any_data = FALSE;
  guint columns, p, i;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  theme_colors (self, &bg, &fg, &grid);
  gdk_cairo_set_source_rgba (cr, &bg);
  cairo_paint (cr);

  if (!lablink_plot_is_available ())
    {
      draw_centered_message (self, cr,
                             _("Plotting unavailable: PLplot’s cairo driver is not installed (package plplot-driver-cairo)."),
                             width / 2.0, height / 2.0, &fg);
      return;
    }

  if (!ensure_stream (self, width, height))
    return;

  cairo_save (cr);
  pl_cmd (PLESC_DEVINIT, cr);
  pladv (0);
  {
    PLFLT xmin, xmax, ymin, ymax, def, ht;

    plschr (char_height_mm (self, height), 1.0);
    plgchr (&def, &ht);
    plgspa (&xmin, &xmax, &ymin, &ymax);
    self->last_text_px = ymax > ymin ? ht * height / (ymax - ymin) : 0;
  }
  plwidth (1.0);

  /* Room for the tick labels and axis titles, whose size is constant:
   * the margins grow only with the text (a high-resolution screen). */
  text_px = TEXT_PT * screen_dpi (self) / 72.0;
  plot_left = MAX (MARGIN_LEFT, 7.0 * text_px);
  plot_right = width - MARGIN_RIGHT;
  plot_top = MARGIN_TOP;
  plot_bottom = height - MAX (MARGIN_BOTTOM, 4.3 * text_px);
  if (plot_right - plot_left < 20 || plot_bottom - plot_top < 20)
    {
      cairo_restore (cr);
      return;
    }
  pane_h = (plot_bottom - plot_top - PANE_GAP * (self->n_panes - 1)) / self->n_panes;
  columns = (guint) MAX (1.0, (plot_right - plot_left) * scale);

  x_range (self, &x0, &x1);
  if (_lablink_plot_has_ring_series (self))
    now = _lablink_plot_ring_origin (self);
  self->view.drawn_origin = now;
  if (_lablink_plot_x_is_log (self))
    {
      /* the ticks carry the unit */
      xf = 1.0;
      x_label = g_strdup (self->x_quantity ? self->x_quantity : "");
    }
  else
    {
      x_prefix = lablink_si_prefix (MAX (fabs (x0), fabs (x1)), &xf);
      x_label = lablink_plot_axis_label (self->x_quantity, self->x_unit, x_prefix);
    }

  self->last_drawn_points = 0;
  self->x_tick_labels[0] = '\0';

  for (p = 0; p < self->n_panes; p++)
    {
      Pane *pane = &self->panes[p];
      double top = plot_top + p * (pane_h + PANE_GAP);
      double bottom = top + pane_h;
      double y0 = INFINITY, y1 = -INFINITY, yf;
      const char *y_prefix;
      g_autofree char *y_label = NULL;
      gboolean last = p + 1 == self->n_panes;

      /* Reduce every series of the pane to its envelope. */
      for (i = 0; i < self->series->len; i++)
        {
          Series *s = g_ptr_array_index (self->series, i);
          const double *sx, *sy;
          gsize n, bound, k;

          g_array_set_size (s->drawn_x, 0);
          g_array_set_size (s->drawn_y, 0);
          if (s->pane != p || !s->visible)
            continue;

          n = series_source (self, s, x0, x1, now, &sx, &sy);
          if (n == 0)
            continue;
          bound = lablink_decimate_minmax_bound (n, columns);
          g_array_set_size (s->drawn_x, bound);
          g_array_set_size (s->drawn_y, bound);
          n = lablink_decimate_minmax (sx, sy, n, x0, x1, columns,
                                       (double *) s->drawn_x->data, (double *) s->drawn_y->data);
          g_array_set_size (s->drawn_x, n);
          g_array_set_size (s->drawn_y, n);

          for (k = 0; k < n; k++)
            {
              double vx = g_array_index (s->drawn_x, double, k);
              double vy = g_array_index (s->drawn_y, double, k);

              if (vx >= x0 && vx <= x1 && isfinite (vy))
                {
                  y0 = MIN (y0, vy);
                  y1 = MAX (y1, vy);
                  any_data = TRUE;
                }
            }
        }

      if (_lablink_plot_view_y_range (self, p, &y0, &y1))
        lablink_plot_axis_fixed_range (&y0, &y1);
      else if (pane->fixed)
        {
          y0 = pane->min;
          y1 = pane->max;
          lablink_plot_axis_fixed_range (&y0, &y1);
        }
      else
        lablink_plot_axis_nice_range (&y0, &y1);

      y_prefix = lablink_si_prefix (MAX (fabs (y0), fabs (y1)), &yf);
      /* Stacked panes: the unit along the side, the quantity inside. */
      y_label = lablink_plot_axis_pane_label (self->n_panes, pane->quantity, pane->unit, y_prefix);

      pane->left = plot_left;
      pane->right = plot_right;
      pane->top = top;
      pane->bottom = bottom;
      pane->wx0 = x0;
      pane->wx1 = x1;
      pane->wy0 = y0;
      pane->wy1 = y1;
      pane->drawn = TRUE;

      plvpor (plot_left / width, plot_right / width, 1.0 - bottom / height, 1.0 - top / height);
      plwind (x0 * xf, x1 * xf, y0 * yf, y1 * yf);
      /* under the grid and the traces */
      _lablink_plot_bands_draw (self, p, xf, yf);

      {
        double xtick = lablink_plot_axis_nice_step ((x1 - x0) * xf,
                                                    lablink_plot_axis_max_ticks (plot_right - plot_left,
                                                                                 LABLINK_PLOT_AXIS_X_TICK_PX));
        double ytick = lablink_plot_axis_nice_step ((y1 - y0) * yf,
                                                    lablink_plot_axis_max_ticks (pane_h, LABLINK_PLOT_AXIS_Y_TICK_PX));

        if (_lablink_plot_x_is_log (self))
          draw_log_box (self, x0, x1, y0 * yf, y1 * yf, plot_right - plot_left, last, ytick, &grid, &fg);
        else
          {
            set_color (&grid);
            plbox ("g", xtick, 0, "g", ytick, 0);
            set_color (&fg);
            plbox (last ? "bcnst" : "bcst", xtick, 0, "bcnstv", ytick, 0);
          }
      }
      plmtex ("l", 6.4, 0.5, 0.5, y_label);
      if (last)
        plmtex ("b", 3.2, 0.5, 0.5, x_label);

      /* The traces, clipped to the pane. */
      cairo_save (cr);
      plwidth (1.6);
      for (i = 0; i < self->series->len; i++)
        {
          Series *s = g_ptr_array_index (self->series, i);
          GdkRGBA color;

          if (s->pane != p || !s->visible || s->drawn_x->len == 0)
            continue;
          series_color (self, i, &color);
          set_color (&color);
          self->last_drawn_points += draw_trace ((const double *) s->drawn_x->data,
                                                 (const double *) s->drawn_y->data,
                                                 s->drawn_x->len, xf, yf);
        }
      plwidth (1.0);
      cairo_restore (cr);
    }

  plflush ();
  cairo_restore (cr);

  if (self->n_panes > 1)
    for (p = 0; p < self->n_panes; p++)
      if (self->panes[p].quantity && self->panes[p].drawn)
        draw_text (self, cr, self->panes[p].quantity, self->panes[p].left + 8, self->panes[p].top + 12,
                   0.0, &fg, FALSE, NULL);

  /* Legend, above the plot area; a name and colour shown in several panes
   * is listed once. The bands' kinds follow (lablink-plot-bands.c). */
  {
    double lx = plot_left;

    g_string_truncate (self->legend, 0);
    for (i = 0; i < self->series->len && self->series->len > 1; i++)
      {
        Series *s = g_ptr_array_index (self->series, i);
        GdkRGBA color;
        double w = 0;
        gboolean seen = FALSE;
        guint j;

        if (!s->visible)
          continue;
        series_color (self, i, &color);
        for (j = 0; j < i && !seen; j++)
          {
            Series *o = g_ptr_array_index (self->series, j);
            GdkRGBA other;

            series_color (self, j, &other);
            seen = o->visible && g_strcmp0 (o->name, s->name) == 0 && gdk_rgba_equal (&other, &color);
          }
        if (seen)
          continue;
        gdk_cairo_set_source_rgba (cr, &color);
        cairo_rectangle (cr, lx, MARGIN_TOP / 2.0 - 2, 14, 4);
        cairo_fill (cr);
        draw_text (self, cr, s->name, lx + 18, MARGIN_TOP / 2.0, 0.0, &fg, FALSE, &w);
        lx += 18 + w + 16;
        g_string_append_printf (self->legend, "%s%s", self->legend->len > 0 ? ", " : "", s->name);
      }
    _lablink_plot_bands_draw_legend (self, cr, &lx, &fg);
  }

  if (self->paused)
    draw_text (self, cr, _("Paused"), plot_right, MARGIN_TOP / 2.0, 1.0, &fg, TRUE, NULL);

  if (self->message != NULL)
    draw_centered_message (self, cr, self->message, (plot_left + plot_right) / 2, (plot_top + plot_bottom) / 2, &fg);
  else if (!any_data)
    draw_centered_message (self, cr, _("Waiting for data…"), (plot_left + plot_right) / 2, (plot_top + plot_bottom) / 2, &fg);

  _lablink_plot_cursors_draw (self, cr, &fg, &bg);
  update_cursor (self, cr, &fg, &bg);
}

void
_lablink_plot_series_color (LablinkPlot *self,
                            guint        index,
                            GdkRGBA     *color)
{
  series_color (self, index, color);
}
