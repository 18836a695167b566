/* lablink-plot-private.h — the inside of LablinkPlot
 *
 * Shared by lablink-plot.c (the widget and its API), lablink-plot-draw.c
 * (drawing a frame with PLplot), lablink-plot-export.c (PNG/SVG/PDF),
 * lablink-plot-view.c (the visible range the user chose, following live,
 * the overlay buttons), lablink-plot-gestures.c (wheel, drag, rubber band,
 * pinch, clicks), lablink-plot-cursors.c (two cursors and their table) and
 * lablink-plot-bands.c (shaded stretches of the x axis: gaps).
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

  /* geometry of the last frame, in widget coordinates and world units
   * (x: the axis' coordinate, log₁₀ of the value on a logarithmic axis) */
  double    left, right, top, bottom;
  double    wx0, wx1, wy0, wy1;
  gboolean  drawn;
} Pane;

/* The visible range the user chose (lablink-plot-view.c). */
typedef struct {
  gboolean   x_zoomed;         /* x0..x1 replaces the automatic x range */
  double     x0, x1;           /* ring plots: seconds from the origin;
                                * a logarithmic axis: log₁₀ of the value */
  gboolean   frozen;           /* ring plots: stopped following, at origin */
  gint64     origin;           /* µs, the fixed origin while frozen */
  gint64     drawn_origin;     /* µs, the origin of the last frame */
  gboolean   y_zoomed[LABLINK_PLOT_MAX_PANES];
  double     y0[LABLINK_PLOT_MAX_PANES], y1[LABLINK_PLOT_MAX_PANES];

  GtkWidget *toolbar;          /* overlay: Follow live, reset, clear cursors */
  GtkWidget *follow_button;
  GtkWidget *reset_button;
  GtkWidget *clear_button;
} PlotView;

typedef enum {
  PLOT_DRAG_NONE,
  PLOT_DRAG_PENDING,           /* pressed, not moved past the threshold yet */
  PLOT_DRAG_PAN,
  PLOT_DRAG_ZOOM_BOX,
  PLOT_DRAG_CURSOR,
} PlotDragMode;

/* A gesture in progress (lablink-plot-gestures.c). */
typedef struct {
  PlotDragMode mode;
  gboolean     shift;
  double       start_x, start_y, dx, dy;
  int          pane;           /* under the press, or -1 */
  guint        cursor;         /* PLOT_DRAG_CURSOR: which one */
  double       x0, x1, y0, y1; /* the range when the gesture began */
  gboolean     ignore_click;   /* the second press of a double click */
  gboolean     had_cursor[2];  /* before the first click of a double click */
  double       old_cursor[2];
  gint64       origin;         /* the ring origin when the gesture began */
  double       pinch_x0, pinch_x1, pinch_center;
  double       pointer_x, pointer_y;
} PlotGesture;

/* Two cursors (lablink-plot-cursors.c): x in absolute units (ring plots:
 * seconds since the epoch) so that they stay on their samples. */
typedef struct {
  gboolean   placed[2];
  double     x[2];
  char      *readout;          /* the table drawn, as tab-separated text */
} PlotCursors;

#define PLOT_N_BAND_KINDS 2

/* Shaded stretches of the x axis (lablink-plot-bands.c). */
typedef struct {
  GArray    *bands;            /* LablinkPlotBand, as set */
  GArray    *drawn;            /* per band: left, right px of the last frame
                                * (NaN: not in view) */
  char      *labels[PLOT_N_BAND_KINDS];
} PlotBands;

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
  gboolean           x_log;            /* array series: a logarithmic x axis */
  char               x_tick_labels[512];  /* of the last frame's log axis */

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
  gint64             last_snapshot_us;   /* monotonic, the last frame drawn */

  PlotView           view;
  PlotGesture        gesture;
  PlotCursors        cursors;
  PlotBands          bands;
  GString           *legend;           /* the last frame's legend entries */
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
void     _lablink_plot_series_color    (LablinkPlot *self,
                                        guint        index,
                                        GdkRGBA     *color);

/* lablink-plot-view.c */
void     _lablink_plot_view_init       (LablinkPlot *self);
void     _lablink_plot_view_dispose    (LablinkPlot *self);
void     _lablink_plot_view_allocate   (LablinkPlot *self,
                                        int          width,
                                        int          height);
void     _lablink_plot_view_snapshot_children (LablinkPlot *self,
                                        GtkSnapshot *snapshot);
void     _lablink_plot_view_sync       (LablinkPlot *self);
gboolean _lablink_plot_view_x_range    (LablinkPlot *self,
                                        double      *x0,
                                        double      *x1);
gboolean _lablink_plot_view_y_range    (LablinkPlot *self,
                                        guint        pane,
                                        double      *y0,
                                        double      *y1);
void     _lablink_plot_view_freeze     (LablinkPlot *self,
                                        gint64       origin);
void     _lablink_plot_view_set_x      (LablinkPlot *self,
                                        double       x0,
                                        double       x1);
void     _lablink_plot_view_set_y      (LablinkPlot *self,
                                        guint        pane,
                                        double       y0,
                                        double       y1);
void     _lablink_plot_view_zoom_x     (LablinkPlot *self,
                                        double       center,
                                        double       factor);
void     _lablink_plot_view_zoom_y     (LablinkPlot *self,
                                        guint        pane,
                                        double       center,
                                        double       factor);
int      _lablink_plot_view_pane_at    (LablinkPlot *self,
                                        double       px,
                                        double       py);
double   _lablink_plot_view_px_to_x    (LablinkPlot *self,
                                        double       px);
double   _lablink_plot_view_x_to_px    (LablinkPlot *self,
                                        double       x);
double   _lablink_plot_view_py_to_y    (LablinkPlot *self,
                                        guint        pane,
                                        double       py);
double   _lablink_plot_view_origin_s   (LablinkPlot *self);
gboolean _lablink_plot_x_is_log        (LablinkPlot *self);
double   _lablink_plot_x_to_axis       (LablinkPlot *self,
                                        double       x);
double   _lablink_plot_axis_to_x       (LablinkPlot *self,
                                        double       axis);

/* lablink-plot-gestures.c */
void     _lablink_plot_gestures_init   (LablinkPlot *self);
void     _lablink_plot_gestures_snapshot (LablinkPlot *self,
                                        GtkSnapshot *snapshot);
gboolean _lablink_plot_gesture_wheel   (LablinkPlot *self,
                                        double       px,
                                        double       py,
                                        double       dx,
                                        double       dy,
                                        GdkModifierType state,
                                        gboolean     smooth);
void     _lablink_plot_gesture_press   (LablinkPlot *self,
                                        double       px,
                                        double       py,
                                        GdkModifierType state);
void     _lablink_plot_gesture_motion  (LablinkPlot *self,
                                        double       dx,
                                        double       dy);
void     _lablink_plot_gesture_release (LablinkPlot *self,
                                        double       dx,
                                        double       dy);
void     _lablink_plot_gesture_double_click (LablinkPlot *self);
void     _lablink_plot_gesture_pinch_begin (LablinkPlot *self,
                                        double       px);
void     _lablink_plot_gesture_pinch   (LablinkPlot *self,
                                        double       scale);

/* lablink-plot-cursors.c */
void     _lablink_plot_cursors_init    (LablinkPlot *self);
void     _lablink_plot_cursors_dispose (LablinkPlot *self);
void     _lablink_plot_cursors_draw    (LablinkPlot *self,
                                        cairo_t     *cr,
                                        const GdkRGBA *fg,
                                        const GdkRGBA *bg);
void     _lablink_plot_cursors_place   (LablinkPlot *self,
                                        double       x);
int      _lablink_plot_cursors_at      (LablinkPlot *self,
                                        double       px);
void     _lablink_plot_cursors_move    (LablinkPlot *self,
                                        guint        index,
                                        double       x);

/* lablink-plot-bands.c */
void     _lablink_plot_bands_init      (LablinkPlot *self);
void     _lablink_plot_bands_finalize  (LablinkPlot *self);
void     _lablink_plot_bands_draw      (LablinkPlot *self,
                                        guint        pane,
                                        double       xf,
                                        double       yf);
void     _lablink_plot_bands_draw_legend (LablinkPlot *self,
                                        cairo_t     *cr,
                                        double      *x,
                                        const GdkRGBA *fg);
void     _lablink_plot_bands_describe  (LablinkPlot *self,
                                        GString     *text);
gboolean _lablink_plot_bands_under_pointer (LablinkPlot *self);
gboolean _lablink_plot_bands_hide_value (LablinkPlot *self,
                                        double       px,
                                        double       y);

G_END_DECLS
