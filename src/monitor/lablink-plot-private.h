/* lablink-plot-private.h — the inside of LablinkPlot
 *
 * Shared by lablink-plot.c (the widget and its API), lablink-plot-draw.c
 * (drawing a frame with PLplot) and lablink-plot-export.c (PNG/SVG/PDF).
 * The axis maths is in lablink-plot-axis.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <plplot.h>

#include "lablink-plot.h"

G_BEGIN_DECLS

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
  double             last_text_px;     /* PLplot's character height, in pixels */
  double             last_draw_ms;

  GArray            *scratch_x;
  GArray            *scratch_y;

  guint              scroll_timer;
};

/* lablink-plot.c */
gboolean _lablink_plot_has_ring_series (LablinkPlot *self);

/* lablink-plot-draw.c */
void     _lablink_plot_draw            (LablinkPlot *self,
                                        cairo_t     *cr,
                                        int          width,
                                        int          height);
void     _lablink_plot_end_stream      (LablinkPlot *self);
gint64   _lablink_plot_ring_origin     (LablinkPlot *self);

G_END_DECLS
