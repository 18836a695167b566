/* lablink-plot.h — a live chart drawn with PLplot, for every plot of the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <lablink.h>

G_BEGIN_DECLS

#define LABLINK_PLOT_MAX_PANES 4

/**
 * LablinkPlotOrigin:
 * @LABLINK_PLOT_ORIGIN_NOW: ring series are drawn against the wall clock:
 *   x = 0 is now (a scrolling history)
 * @LABLINK_PLOT_ORIGIN_LATEST: x = 0 is the newest entry of the rings
 */
typedef enum {
  LABLINK_PLOT_ORIGIN_NOW,
  LABLINK_PLOT_ORIGIN_LATEST,
} LablinkPlotOrigin;

/**
 * LablinkPlotExportFormat:
 * @LABLINK_PLOT_EXPORT_PNG: a PNG image
 * @LABLINK_PLOT_EXPORT_SVG: an SVG drawing
 * @LABLINK_PLOT_EXPORT_PDF: a one-page PDF
 *
 * The file formats of lablink_plot_export().
 */
typedef enum {
  LABLINK_PLOT_EXPORT_PNG,
  LABLINK_PLOT_EXPORT_SVG,
  LABLINK_PLOT_EXPORT_PDF,
} LablinkPlotExportFormat;

/**
 * LablinkPlotBandKind:
 * @LABLINK_PLOT_BAND_GAP: a stretch without samples that was made good
 *   (e.g. an outage whose samples were all recovered): shaded in a
 *   neutral colour
 * @LABLINK_PLOT_BAND_LOST: a stretch where samples are missing: shaded in
 *   the theme's error colour
 *
 * What a band of lablink_plot_set_bands() marks.
 */
typedef enum {
  LABLINK_PLOT_BAND_GAP,
  LABLINK_PLOT_BAND_LOST,
} LablinkPlotBandKind;

/**
 * LablinkPlotBand:
 * @start: where it begins, in the units of the x axis (as array series' x)
 * @end: where it ends (at least @start)
 * @kind: what it marks
 *
 * A stretch of the x axis shaded across every pane, under the traces.
 */
typedef struct {
  double              start;
  double              end;
  LablinkPlotBandKind kind;
} LablinkPlotBand;

#define LABLINK_TYPE_PLOT (lablink_plot_get_type ())
G_DECLARE_FINAL_TYPE (LablinkPlot, lablink_plot, LABLINK, PLOT, GtkWidget)

GtkWidget  *lablink_plot_new                 (void);
gboolean    lablink_plot_is_available        (void);

void        lablink_plot_set_n_panes         (LablinkPlot       *self,
                                              guint              n_panes);
guint       lablink_plot_get_n_panes         (LablinkPlot       *self);
void        lablink_plot_set_pane_label      (LablinkPlot       *self,
                                              guint              pane,
                                              const char        *quantity,
                                              const char        *unit);
void        lablink_plot_set_y_range         (LablinkPlot       *self,
                                              guint              pane,
                                              double             min,
                                              double             max);
void        lablink_plot_set_y_autoscale     (LablinkPlot       *self,
                                              guint              pane);
gboolean    lablink_plot_get_y_autoscale     (LablinkPlot       *self,
                                              guint              pane);
void        lablink_plot_set_x_label         (LablinkPlot       *self,
                                              const char        *quantity,
                                              const char        *unit);
void        lablink_plot_set_x_range         (LablinkPlot       *self,
                                              double             min,
                                              double             max);
void        lablink_plot_set_x_autoscale     (LablinkPlot       *self);
void        lablink_plot_set_x_log           (LablinkPlot       *self,
                                              gboolean           log);
gboolean    lablink_plot_get_x_log           (LablinkPlot       *self);

guint       lablink_plot_add_series          (LablinkPlot       *self,
                                              guint              pane,
                                              const char        *name,
                                              const GdkRGBA     *color);
void        lablink_plot_remove_all_series   (LablinkPlot       *self);
guint       lablink_plot_get_n_series        (LablinkPlot       *self);
void        lablink_plot_set_series_palette_index (LablinkPlot  *self,
                                              guint              series,
                                              guint              index);
void        lablink_plot_set_series_visible  (LablinkPlot       *self,
                                              guint              series,
                                              gboolean           visible);
void        lablink_plot_set_series_data     (LablinkPlot       *self,
                                              guint              series,
                                              const double      *x,
                                              const double      *y,
                                              gsize              n);
void        lablink_plot_set_series_ring     (LablinkPlot       *self,
                                              guint              series,
                                              LablinkRing       *ring,
                                              guint              channel);
void        lablink_plot_set_bands           (LablinkPlot       *self,
                                              const LablinkPlotBand *bands,
                                              gsize              n_bands);
void        lablink_plot_set_band_label      (LablinkPlot       *self,
                                              LablinkPlotBandKind kind,
                                              const char        *label);
void        lablink_plot_set_window          (LablinkPlot       *self,
                                              double             seconds,
                                              LablinkPlotOrigin  origin);
void        lablink_plot_set_paused          (LablinkPlot       *self,
                                              gboolean           paused);
gboolean    lablink_plot_get_paused          (LablinkPlot       *self);
void        lablink_plot_set_message         (LablinkPlot       *self,
                                              const char        *message);
void        lablink_plot_set_dark            (LablinkPlot       *self,
                                              gboolean           dark);
void        lablink_plot_set_follow_theme    (gboolean           follow);
void        lablink_plot_set_pointer         (LablinkPlot       *self,
                                              double             x,
                                              double             y);
void        lablink_plot_clear_pointer       (LablinkPlot       *self);

gboolean    lablink_plot_export              (LablinkPlot       *self,
                                              GFile             *file,
                                              LablinkPlotExportFormat format,
                                              int                width,
                                              int                height,
                                              GError           **error);

/* The view the user chose (zoom, pan, following live) and the cursors. */
void        lablink_plot_reset_view          (LablinkPlot       *self);
void        lablink_plot_follow_live         (LablinkPlot       *self);
gboolean    lablink_plot_get_following       (LablinkPlot       *self);
gboolean    lablink_plot_get_zoomed          (LablinkPlot       *self);
void        lablink_plot_zoom_x_range        (LablinkPlot       *self,
                                              double             min,
                                              double             max);
void        lablink_plot_get_visible_x_range (LablinkPlot       *self,
                                              double            *min,
                                              double            *max);
gboolean    lablink_plot_get_view_x_range    (LablinkPlot       *self,
                                              double            *min,
                                              double            *max);
void        lablink_plot_set_cursor          (LablinkPlot       *self,
                                              guint              index,
                                              double             x);
gboolean    lablink_plot_get_cursor          (LablinkPlot       *self,
                                              guint              index,
                                              double            *x);
void        lablink_plot_clear_cursors       (LablinkPlot       *self);
const char *lablink_plot_get_cursor_readout  (LablinkPlot       *self);

/* Introspection for tests and the stats pane. */
gsize       lablink_plot_get_series_n_points (LablinkPlot       *self,
                                              guint              series);
guint64     lablink_plot_get_n_draws         (LablinkPlot       *self);
gsize       lablink_plot_get_last_drawn_points (LablinkPlot     *self);
double      lablink_plot_get_last_draw_ms    (LablinkPlot       *self);
double      lablink_plot_get_text_height     (LablinkPlot       *self);
const char *lablink_plot_get_cursor_text     (LablinkPlot       *self);
const char *lablink_plot_get_x_tick_labels   (LablinkPlot       *self);
const char *lablink_plot_get_message         (LablinkPlot       *self);
const char *lablink_plot_get_legend          (LablinkPlot       *self);
guint       lablink_plot_get_n_bands         (LablinkPlot       *self);
gboolean    lablink_plot_get_band            (LablinkPlot       *self,
                                              guint              index,
                                              LablinkPlotBand   *band,
                                              double            *left_px,
                                              double            *right_px);
void        lablink_plot_get_visible_y_range (LablinkPlot       *self,
                                              guint              pane,
                                              double            *min,
                                              double            *max);

G_END_DECLS
