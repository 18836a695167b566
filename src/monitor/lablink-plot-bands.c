/* lablink-plot-bands.c — shaded stretches of a LablinkPlot's x axis
 *
 * A band marks a stretch of the x axis across every pane: a gap of a
 * recording (an outage, samples lost). It is not a series: it has no
 * values, the pointer's readout does not list it as one, and it is drawn
 * first in each pane, under the grid and the traces, filled in a light
 * tint with a stronger edge in the theme's colours (a neutral one for a
 * gap that was made good, the error colour where samples are missing).
 * A band narrower than two pixels is drawn two pixels wide so that it
 * stays visible in a view of hours. Each kind of band in view gets a
 * legend entry after the series' (the label its user set, e.g. "Gap (data
 * lost)"), and the pointer's readout names the band under it; there it
 * lists only the series that have a sample under the pointer (a recovered
 * gap's), none with "—" for samples the gap lost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-plot-private.h"
#include "lablink-units.h"

/* The narrowest band drawn, in pixels. */
#define MIN_BAND_PX 2.0

/* How far from the pointer, in pixels, a series' point over a band is
 * still a sample at the pointer's x (a column or so of a decimated trace). */
#define AT_POINTER_PX 2.0

void
_lablink_plot_bands_init (LablinkPlot *self)
{
  self->bands.bands = g_array_new (FALSE, FALSE, sizeof (LablinkPlotBand));
  self->bands.drawn = g_array_new (FALSE, FALSE, sizeof (double));
}

void
_lablink_plot_bands_finalize (LablinkPlot *self)
{
  g_clear_pointer (&self->bands.bands, g_array_unref);
  g_clear_pointer (&self->bands.drawn, g_array_unref);
  for (guint k = 0; k < PLOT_N_BAND_KINDS; k++)
    g_clear_pointer (&self->bands.labels[k], g_free);
}

/* Adwaita's light 3 / dark 4 (neutral) and red 3 / 2 (samples lost). */
static void
band_colors (LablinkPlot         *self,
             LablinkPlotBandKind  kind,
             GdkRGBA             *fill,
             GdkRGBA             *edge)
{
  if (kind == LABLINK_PLOT_BAND_LOST)
    *edge = self->dark ? (GdkRGBA) { 0.965, 0.380, 0.318, 1.0 } : (GdkRGBA) { 0.878, 0.106, 0.141, 1.0 };
  else
    *edge = self->dark ? (GdkRGBA) { 0.604, 0.600, 0.588, 1.0 } : (GdkRGBA) { 0.467, 0.463, 0.482, 1.0 };
  *fill = *edge;
  fill->alpha = kind == LABLINK_PLOT_BAND_LOST ? (self->dark ? 0.24 : 0.16) : (self->dark ? 0.20 : 0.14);
  edge->alpha = 0.6;
}

static void
set_plcolor (const GdkRGBA *c)
{
  plscol0a (SCRATCH_COLOR, (PLINT) lround (c->red * 255), (PLINT) lround (c->green * 255),
            (PLINT) lround (c->blue * 255), c->alpha);
  plcol0 (SCRATCH_COLOR);
}

/* Where a band lies in the pane's axis coordinate, widened to
 * MIN_BAND_PX; FALSE if it is out of view. */
static gboolean
band_extent (LablinkPlot           *self,
             const Pane            *pane,
             const LablinkPlotBand *band,
             double                *a0,
             double                *a1)
{
  double per_px = (pane->wx1 - pane->wx0) / (pane->right - pane->left);
  double start = _lablink_plot_x_to_axis (self, band->start);
  double end = _lablink_plot_x_to_axis (self, band->end);

  if (isnan (start) && !isnan (end))
    start = pane->wx0;   /* from x ≤ 0 on a logarithmic axis */
  if (isnan (start) || isnan (end) || !(per_px > 0))
    return FALSE;
  if (end - start < MIN_BAND_PX * per_px)
    {
      double mid = (start + end) / 2.0;

      start = mid - MIN_BAND_PX / 2.0 * per_px;
      end = mid + MIN_BAND_PX / 2.0 * per_px;
    }
  if (end < pane->wx0 || start > pane->wx1)
    return FALSE;
  *a0 = MAX (start, pane->wx0);
  *a1 = MIN (end, pane->wx1);
  return TRUE;
}

/* The bands of pane @pane (its geometry set, its window given to
 * plwind() with the factors @xf, @yf): before its grid and traces. */
void
_lablink_plot_bands_draw (LablinkPlot *self,
                          guint        pane,
                          double       xf,
                          double       yf)
{
  const Pane *p = &self->panes[pane];
  GArray *bands = self->bands.bands;

  if (pane == 0)
    {
      g_array_set_size (self->bands.drawn, 2 * bands->len);
      for (guint i = 0; i < 2 * bands->len; i++)
        g_array_index (self->bands.drawn, double, i) = NAN;
    }
  if (_lablink_plot_has_ring_series (self))
    return;

  for (guint i = 0; i < bands->len; i++)
    {
      const LablinkPlotBand *band = &g_array_index (bands, LablinkPlotBand, i);
      GdkRGBA fill, edge;
      double a0, a1;
      PLFLT xs[4], ys[4];

      if (!band_extent (self, p, band, &a0, &a1))
        continue;
      if (pane == 0)
        {
          double scale = (p->right - p->left) / (p->wx1 - p->wx0);

          g_array_index (self->bands.drawn, double, 2 * i) = p->left + (a0 - p->wx0) * scale;
          g_array_index (self->bands.drawn, double, 2 * i + 1) = p->left + (a1 - p->wx0) * scale;
        }

      band_colors (self, band->kind, &fill, &edge);
      xs[0] = xs[3] = a0 * xf;
      xs[1] = xs[2] = a1 * xf;
      ys[0] = ys[1] = p->wy0 * yf;
      ys[2] = ys[3] = p->wy1 * yf;
      set_plcolor (&fill);
      plfill (4, xs, ys);
      set_plcolor (&edge);
      pljoin (xs[0], ys[0], xs[0], ys[2]);
      pljoin (xs[1], ys[0], xs[1], ys[2]);
    }
}

static gboolean
kind_in_view (LablinkPlot         *self,
              LablinkPlotBandKind  kind)
{
  GArray *bands = self->bands.bands;

  for (guint i = 0; i < bands->len && 2 * i < self->bands.drawn->len; i++)
    if (g_array_index (bands, LablinkPlotBand, i).kind == kind &&
        !isnan (g_array_index (self->bands.drawn, double, 2 * i)))
      return TRUE;
  return FALSE;
}

/* Above the plot area: a mark on its top edge where each band in view is
 * (dense traces hide a narrow band drawn under them), and a legend entry
 * for each kind of band in view that has a label, from @x on (moved past
 * them). */
void
_lablink_plot_bands_draw_legend (LablinkPlot   *self,
                                 cairo_t       *cr,
                                 double        *x,
                                 const GdkRGBA *fg)
{
  GArray *bands = self->bands.bands;

  for (guint i = 0; i < bands->len && 2 * i < self->bands.drawn->len && self->panes[0].drawn; i++)
    {
      double left = g_array_index (self->bands.drawn, double, 2 * i);
      double right = g_array_index (self->bands.drawn, double, 2 * i + 1);
      GdkRGBA fill, edge;

      if (isnan (left))
        continue;
      band_colors (self, g_array_index (bands, LablinkPlotBand, i).kind, &fill, &edge);
      edge.alpha = 1.0;
      gdk_cairo_set_source_rgba (cr, &edge);
      cairo_rectangle (cr, MIN (left, (left + right) / 2.0 - 2.0), self->panes[0].top - 6,
                       MAX (right - left, 4.0), 5);
      cairo_fill (cr);
    }

  for (guint k = 0; k < PLOT_N_BAND_KINDS; k++)
    {
      const char *label = self->bands.labels[k];
      g_autoptr(PangoLayout) layout = NULL;
      GdkRGBA fill, edge;
      double y = MARGIN_TOP / 2.0;
      int w, h;

      if (label == NULL || !kind_in_view (self, k))
        continue;
      band_colors (self, k, &fill, &edge);
      cairo_rectangle (cr, *x + 0.5, y - 5.5, 13, 11);
      gdk_cairo_set_source_rgba (cr, &fill);
      cairo_fill_preserve (cr);
      gdk_cairo_set_source_rgba (cr, &edge);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);

      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), label);
      pango_layout_get_pixel_size (layout, &w, &h);
      cairo_move_to (cr, *x + 18, y - h / 2.0);
      gdk_cairo_set_source_rgba (cr, fg);
      pango_cairo_show_layout (cr, layout);
      *x += 18 + w + 16;

      if (self->legend->len > 0)
        g_string_append (self->legend, ", ");
      g_string_append (self->legend, label);
    }
}

/* Whether band @i lies under the pointer (as last drawn, give or take a
 * pixel), and where: @left, @right (optional) in widget coordinates. */
static gboolean
under_pointer (LablinkPlot *self,
               guint        i,
               double      *left,
               double      *right)
{
  double l, r;

  if (2 * i + 1 >= self->bands.drawn->len)
    return FALSE;
  l = g_array_index (self->bands.drawn, double, 2 * i);
  r = g_array_index (self->bands.drawn, double, 2 * i + 1);
  if (isnan (l) || self->pointer_x < l - 1 || self->pointer_x > r + 1)
    return FALSE;
  if (left)
    *left = l;
  if (right)
    *right = r;
  return TRUE;
}

/* Whether the pointer's readout leaves a series out: the pointer is over a
 * band where the series has no sample. Its point nearest to the pointer,
 * drawn at @px (widget coordinates) with the value @y, is a sample there
 * if it is a value and lies at the pointer (within AT_POINTER_PX) or well
 * inside such a band (a recovered gap's samples); else the series has
 * nothing to say there (not even "—"). Outside bands nothing is left out. */
gboolean
_lablink_plot_bands_hide_value (LablinkPlot *self,
                                double       px,
                                double       y)
{
  gboolean over_band = FALSE;

  for (guint i = 0; i < self->bands.bands->len; i++)
    {
      double left, right;

      if (!under_pointer (self, i, &left, &right))
        continue;
      over_band = TRUE;
      if (!isnan (y) &&
          (fabs (px - self->pointer_x) <= AT_POINTER_PX || (px > left + 1 && px < right - 1)))
        return FALSE;
    }
  return over_band;
}

/* Whether the pointer is over a band. */
gboolean
_lablink_plot_bands_under_pointer (LablinkPlot *self)
{
  for (guint i = 0; i < self->bands.bands->len; i++)
    if (under_pointer (self, i, NULL, NULL))
      return TRUE;
  return FALSE;
}

/* The pointer's readout: a line for each band under the pointer. */
void
_lablink_plot_bands_describe (LablinkPlot *self,
                              GString     *text)
{
  GArray *bands = self->bands.bands;

  for (guint i = 0; i < bands->len; i++)
    {
      const LablinkPlotBand *band = &g_array_index (bands, LablinkPlotBand, i);
      const char *label = self->bands.labels[band->kind];
      g_autofree char *width = NULL;

      if (label == NULL || !under_pointer (self, i, NULL, NULL))
        continue;
      width = lablink_format_si (band->end - band->start, self->x_unit ? self->x_unit : "", 4);
      g_string_append_printf (text, "\n%s · %s", label, width);
    }
}

/**
 * lablink_plot_set_bands:
 * @self: a plot of array series
 * @bands: (array length=n_bands) (nullable): the bands, in any order
 * @n_bands: how many
 *
 * Replaces the shaded stretches of the x axis (gaps of a recording), drawn
 * across every pane under the traces. A plot of rings draws none.
 */
void
lablink_plot_set_bands (LablinkPlot           *self,
                        const LablinkPlotBand *bands,
                        gsize                  n_bands)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (bands != NULL || n_bands == 0);

  g_array_set_size (self->bands.bands, 0);
  for (gsize i = 0; i < n_bands; i++)
    {
      LablinkPlotBand band = bands[i];

      g_return_if_fail (band.kind < PLOT_N_BAND_KINDS);
      if (!isfinite (band.start) || !isfinite (band.end))
        continue;
      if (band.end < band.start)
        {
          double t = band.start;

          band.start = band.end;
          band.end = t;
        }
      g_array_append_val (self->bands.bands, band);
    }
  /* nothing drawn of them yet */
  g_array_set_size (self->bands.drawn, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * lablink_plot_set_band_label:
 * @self: a plot
 * @kind: a kind of band
 * @label: (nullable): what it marks, for the legend and the pointer's
 *   readout (e.g. "Gap (data lost)"); %NULL: none
 */
void
lablink_plot_set_band_label (LablinkPlot         *self,
                             LablinkPlotBandKind  kind,
                             const char          *label)
{
  g_return_if_fail (LABLINK_IS_PLOT (self));
  g_return_if_fail (kind < PLOT_N_BAND_KINDS);

  g_free (self->bands.labels[kind]);
  self->bands.labels[kind] = g_strdup (label);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * lablink_plot_get_n_bands:
 * @self: a plot
 *
 * Returns: how many bands are set
 */
guint
lablink_plot_get_n_bands (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), 0);
  return self->bands.bands->len;
}

/**
 * lablink_plot_get_band:
 * @self: a plot
 * @index: a band, below lablink_plot_get_n_bands()
 * @band: (out) (optional): the band as set
 * @left_px: (out) (optional): its left edge in the last frame drawn, in
 *   widget coordinates (at least two pixels from its right edge)
 * @right_px: (out) (optional): its right edge
 *
 * Returns: whether the last frame drew it (it is in view)
 */
gboolean
lablink_plot_get_band (LablinkPlot     *self,
                       guint            index,
                       LablinkPlotBand *band,
                       double          *left_px,
                       double          *right_px)
{
  double left = NAN, right = NAN;

  g_return_val_if_fail (LABLINK_IS_PLOT (self), FALSE);
  g_return_val_if_fail (index < self->bands.bands->len, FALSE);

  if (band)
    *band = g_array_index (self->bands.bands, LablinkPlotBand, index);
  if (2 * index + 1 < self->bands.drawn->len)
    {
      left = g_array_index (self->bands.drawn, double, 2 * index);
      right = g_array_index (self->bands.drawn, double, 2 * index + 1);
    }
  if (left_px)
    *left_px = left;
  if (right_px)
    *right_px = right;
  return !isnan (left);
}

/**
 * lablink_plot_get_legend:
 * @self: a plot
 *
 * Returns: the legend of the last frame drawn, comma-separated: its series'
 *   names, then its bands' labels ("CH1, CH2, Gap (data lost)"); "" for
 *   none
 */
const char *
lablink_plot_get_legend (LablinkPlot *self)
{
  g_return_val_if_fail (LABLINK_IS_PLOT (self), NULL);
  return self->legend->str;
}
