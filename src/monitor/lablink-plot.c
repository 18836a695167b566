/* lablink-plot.c — a live chart drawn with PLplot, for every plot of the app
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
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <plplot.h>
#include <string.h>

#include "lablink-plot.h"
#include "lablink-units.h"

#define MARGIN_LEFT   88.0
#define MARGIN_RIGHT  14.0
#define MARGIN_TOP    26.0
#define MARGIN_BOTTOM 54.0
#define PANE_GAP      12.0
#define SCRATCH_COLOR 15

typedef struct {
  char        *name;
  guint        pane;
  GdkRGBA      color;
  gboolean     has_color;
  guint        palette_index;
  gboolean     visible;

  /* array data (shown, and pending while paused) */
  double      *x, *y;
  gsize        n;
  double      *px, *py;
  gsize        pn;
  gboolean     has_pending;

  LablinkRing *ring;
  guint        channel;

  /* what the last frame drew, for the cursor readout */
  GArray      *drawn_x;
  GArray      *drawn_y;
} Series;

typedef struct {
  char     *quantity;
  char     *unit;
  gboolean  fixed;
  double    min, max;

  /* geometry of the last frame, in widget coordinates and world units */
  double    left, right, top, bottom;
  double    wx0, wx1, wy0, wy1;
  gboolean  drawn;
} Pane;

struct _LablinkPlot
{
  GtkWidget          parent_instance;

  PLINT              stream;
  gboolean           stream_ready;
  int                page_width;
  int                page_height;

  GPtrArray         *series;
  Pane               panes[LABLINK_PLOT_MAX_PANES];
  guint              n_panes;

  char              *x_quantity;
  char              *x_unit;
  gboolean           x_fixed;
  double             x_min, x_max;

  double             window_seconds;
  LablinkPlotOrigin  origin;
  gboolean           paused;
  gint64             paused_now;
  gint64             paused_latest;

  char              *message;
  gboolean           dark;
  gboolean           auto_dark;

  gboolean           pointer_in;
  double             pointer_x, pointer_y;
  char              *cursor_text;

  guint64            n_draws;
  gsize              last_drawn_points;
  double             last_draw_ms;

  GArray            *scratch_x;
  GArray            *scratch_y;

  guint              scroll_timer;
};

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

/* Adwaita palette: 3 (light backgrounds) and 2/1 (dark backgrounds). */
static const char *palette_light[] = {
  "#1c71d8", "#e66100", "#26a269", "#c01c28", "#813d9c", "#986a44", "#e5a50a", "#2190a4",
};
static const char *palette_dark[] = {
  "#62a0ea", "#ffa348", "#57e389", "#f66151", "#c061cb", "#cdab8f", "#f8e45c", "#5bc8af",
};

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

static void
end_stream (LablinkPlot *self)
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

  end_stream (self);

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

  *x = s->x;
  *y = s->y;
  return s->n;
}

static gboolean
has_ring_series (LablinkPlot *self)
{
  guint i;

  for (i = 0; i < self->series->len; i++)
    if (((Series *) g_ptr_array_index (self->series, i))->ring != NULL)
      return TRUE;
  return FALSE;
}

static gint64
ring_origin (LablinkPlot *self)
{
  gint64 latest = G_MININT64;
  guint i;

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

  if (self->x_fixed)
    {
      *x0 = self->x_min;
      *x1 = self->x_max;
      return;
    }
  if (has_ring_series (self))
    {
      *x0 = -self->window_seconds;
      *x1 = 0.0;
      return;
    }

  for (i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);

      if (s->visible && s->n > 0)
        {
          lo = MIN (lo, s->x[0]);
          hi = MAX (hi, s->x[s->n - 1]);
        }
    }
  if (!isfinite (lo) || !isfinite (hi))
    {
      lo = 0.0;
      hi = 1.0;
    }
  if (hi <= lo)
    hi = lo + 1.0;
  *x0 = lo;
  *x1 = hi;
}

static void
nice_y_range (double *lo,
              double *hi)
{
  double span;

  if (!isfinite (*lo) || !isfinite (*hi))
    {
      *lo = -1.0;
      *hi = 1.0;
      return;
    }
  span = *hi - *lo;

  /* Readable at a glance: a steady 5 V with millivolts of noise is a flat
   * line, not a zoom into the noise. At least ±1 % of the value. */
  {
    double mid = (*lo + *hi) / 2, min_span = fabs (mid) * 0.02;

    if (span > 1e-15 && span < min_span)
      {
        *lo = mid - min_span / 2;
        *hi = mid + min_span / 2;
        span = min_span;
      }
  }

  if (span <= fabs (*hi) * 1e-9 || span <= 1e-15)
    {
      double mid = (*lo + *hi) / 2, half = fabs (mid) * 0.1;

      if (half < 1e-12)
        half = 1.0;
      *lo = mid - half;
      *hi = mid + half;
      return;
    }
  *lo -= span * 0.06;
  *hi += span * 0.06;
}

/* A 1/2/5 × 10^k tick spacing giving at most @max_ticks intervals: PLplot's
 * own choice ignores how small a pane is, and labels then collide. */
static double
nice_step (double range,
           int    max_ticks)
{
  double raw, magnitude, norm;

  if (!(range > 0) || !isfinite (range))
    return 0.0;  /* PLplot's choice */
  raw = range / MAX (max_ticks, 1);
  magnitude = pow (10.0, floor (log10 (raw)));
  norm = raw / magnitude;
  if (norm <= 1.0)
    return magnitude;
  if (norm <= 2.0)
    return 2.0 * magnitude;
  if (norm <= 5.0)
    return 5.0 * magnitude;
  return 10.0 * magnitude;
}

static char *
axis_label (const char *quantity,
            const char *unit,
            const char *prefix)
{
  if (quantity == NULL && unit == NULL)
    return g_strdup ("");
  if (unit == NULL || *unit == '\0')
    return g_strdup (quantity ? quantity : "");
  return g_strdup_printf ("%s (%s%s)", quantity ? quantity : "", prefix, unit);
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
  xs = lablink_format_si (wx, self->x_unit ? self->x_unit : "", 4);
  ys = lablink_format_si (wy, pane->unit ? pane->unit : "", 4);
  text = g_string_new (NULL);
  g_string_append_printf (text, "%s  %s", xs, ys);

  /* The value of each series of the pane nearest to the pointer's x. */
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
      vs = lablink_format_si (dy[best], pane->unit ? pane->unit : "", 4);
      g_string_append_printf (text, "\n%s: %s", s->name, vs);
    }

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
draw_plot (LablinkPlot *self,
           cairo_t     *cr,
           int          width,
           int          height)
{
  GdkRGBA bg, fg, grid;
  double x0, x1, xf, plot_left, plot_right, plot_top, plot_bottom, pane_h;
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
  plschr (0.0, 0.95);
  plwidth (1.0);

  plot_left = MARGIN_LEFT;
  plot_right = width - MARGIN_RIGHT;
  plot_top = MARGIN_TOP;
  plot_bottom = height - MARGIN_BOTTOM;
  if (plot_right - plot_left < 20 || plot_bottom - plot_top < 20)
    {
      cairo_restore (cr);
      return;
    }
  pane_h = (plot_bottom - plot_top - PANE_GAP * (self->n_panes - 1)) / self->n_panes;
  columns = (guint) MAX (1.0, (plot_right - plot_left) * scale);

  x_range (self, &x0, &x1);
  if (has_ring_series (self))
    now = ring_origin (self);
  x_prefix = lablink_si_prefix (MAX (fabs (x0), fabs (x1)), &xf);
  x_label = axis_label (self->x_quantity, self->x_unit, x_prefix);

  self->last_drawn_points = 0;

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

      if (pane->fixed)
        {
          y0 = pane->min;
          y1 = pane->max;
          if (!(y1 > y0))
            y1 = y0 + 1.0;
        }
      else
        nice_y_range (&y0, &y1);

      y_prefix = lablink_si_prefix (MAX (fabs (y0), fabs (y1)), &yf);
      /* Stacked panes are too short for "Current (mA)" along their side:
       * the unit there, the quantity written inside the pane. */
      if (self->n_panes > 1 && pane->unit && *pane->unit)
        y_label = g_strconcat (y_prefix, pane->unit, NULL);
      else
        y_label = axis_label (pane->quantity, pane->unit, y_prefix);

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

      {
        double xtick = nice_step ((x1 - x0) * xf, (int) ((plot_right - plot_left) / 90.0));
        double ytick = nice_step ((y1 - y0) * yf, (int) (pane_h / 26.0));

        set_color (&grid);
        plbox ("g", xtick, 0, "g", ytick, 0);
        set_color (&fg);
        plbox (last ? "bcnst" : "bcst", xtick, 0, "bcnstv", ytick, 0);
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
   * is listed once. */
  {
    double lx = plot_left;

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
      }
  }

  if (self->paused)
    draw_text (self, cr, _("Paused"), plot_right, MARGIN_TOP / 2.0, 1.0, &fg, TRUE, NULL);

  if (self->message != NULL)
    draw_centered_message (self, cr, self->message, (plot_left + plot_right) / 2, (plot_top + plot_bottom) / 2, &fg);
  else if (!any_data)
    draw_centered_message (self, cr, _("Waiting for data…"), (plot_left + plot_right) / 2, (plot_top + plot_bottom) / 2, &fg);

  update_cursor (self, cr, &fg, &bg);
}

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
  draw_plot (self, cr, width, height);
  cairo_destroy (cr);

  self->n_draws++;
  self->last_draw_ms = (g_get_monotonic_time () - start) / 1000.0;
}

/**
 * lablink_plot_export:
 * @self: a #LablinkPlot
 * @file: the file to write (a local file); replaced atomically
 * @format: the file format
 * @width: the width, in pixels (PNG) or points (SVG, PDF)
 * @height: the height
 * @error: return location for a #GError
 *
 * Draws the chart as it is now, with the widget's own drawing code, into
 * a new cairo surface of @width × @height and writes it to @file: first to
 * a temporary file in the same directory, then renamed over @file, so that
 * @file is either left as it was or complete. Main thread only (PLplot).
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_plot_export (LablinkPlot              *self,
                     GFile                    *file,
                     LablinkPlotExportFormat   format,
                     int                       width,
                     int                       height,
                     GError                  **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp_name = NULL;
  g_autofree char *tmp_path = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  gboolean pointer_in;
  int fd;

  g_return_val_if_fail (LABLINK_IS_PLOT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lablink_plot_is_available ())
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The chart cannot be drawn: install PLplot’s cairo driver (package plplot-driver-cairo)."));
      return FALSE;
    }
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Charts can only be saved to local files: choose a folder on this computer."));
      return FALSE;
    }

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp_name = g_strdup_printf (".%s-XXXXXX", base);
  tmp_path = g_build_filename (dir, tmp_name, NULL);
  fd = g_mkstemp (tmp_path);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write to “%s”: %s. Choose a folder you can write to."),
                   dir, g_strerror (saved));
      return FALSE;
    }
  g_close (fd, NULL);
  g_chmod (tmp_path, 0644);

  switch (format)
    {
    case LABLINK_PLOT_EXPORT_SVG:
      surface = cairo_svg_surface_create (tmp_path, width, height);
      break;
    case LABLINK_PLOT_EXPORT_PDF:
      surface = cairo_pdf_surface_create (tmp_path, width, height);
      break;
    case LABLINK_PLOT_EXPORT_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      break;
    }

  /* No cursor readout in a saved chart. */
  pointer_in = self->pointer_in;
  self->pointer_in = FALSE;
  cr = cairo_create (surface);
  draw_plot (self, cr, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);
  self->pointer_in = pointer_in;

  if (status == CAIRO_STATUS_SUCCESS && format == LABLINK_PLOT_EXPORT_PNG)
    status = cairo_surface_write_to_png (surface, tmp_path);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  /* The widget's geometry (cursor, panes) is its own again next frame. */
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_unlink (tmp_path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not save the chart to “%s”: %s. Check the free space and try again."),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  if (g_rename (tmp_path, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp_path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not replace “%s”: %s. Choose another file name."),
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
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
 * stopped: one redraw a second while the plot is on screen (data arriving
 * redraws it anyway). */
static gboolean
scroll_cb (gpointer data)
{
  LablinkPlot *self = data;

  if (!self->paused && self->origin == LABLINK_PLOT_ORIGIN_NOW && has_ring_series (self))
    gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_CONTINUE;
}

static void
lablink_plot_map (GtkWidget *widget)
{
  LablinkPlot *self = LABLINK_PLOT (widget);

  GTK_WIDGET_CLASS (lablink_plot_parent_class)->map (widget);
  if (self->scroll_timer == 0)
    self->scroll_timer = g_timeout_add_seconds (1, scroll_cb, self);
}

static void
lablink_plot_unmap (GtkWidget *widget)
{
  LablinkPlot *self = LABLINK_PLOT (widget);

  g_clear_handle_id (&self->scroll_timer, g_source_remove);
  GTK_WIDGET_CLASS (lablink_plot_parent_class)->unmap (widget);
}

static void
lablink_plot_unrealize (GtkWidget *widget)
{
  end_stream (LABLINK_PLOT (widget));
  GTK_WIDGET_CLASS (lablink_plot_parent_class)->unrealize (widget);
}

static void
lablink_plot_dispose (GObject *object)
{
  LablinkPlot *self = LABLINK_PLOT (object);

  g_clear_handle_id (&self->scroll_timer, g_source_remove);
  end_stream (self);
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
  widget_class->unrealize = lablink_plot_unrealize;
  widget_class->map = lablink_plot_map;
  widget_class->unmap = lablink_plot_unmap;

  properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE, rw);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, rw);
  properties[PROP_DARK] = g_param_spec_boolean ("dark", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

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

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

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
      self->paused_latest = ring_origin (self);
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
