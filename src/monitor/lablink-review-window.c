/* lablink-review-window.c — a capture on disk, the whole recording at once
 *
 * A window of its own per capture (opened from the Captures popover,
 * `lablink-monitor --open DIR` or a folder dropped on the main window).
 * It opens a LablinkCaptureView (on a worker thread: a capture without its
 * min/max pyramid has it built first) and feeds the LablinkPlot only what
 * is visible: on every view change (zoom, pan, reset) it asks the view for
 * the exact min/max of each shown channel in one column per pixel of the
 * plot and gives the plot those columns (a column of one sample is that
 * sample). Recorded gaps break the traces and are shaded as bands of the
 * plot (lablink_plot_set_bands(): "Gap (data lost)" where samples may be
 * missing, "Gap (recovered)" where the server still held them); the
 * status line says when each was. Channels
 * are toggled with check buttons; the export writes the visible range
 * with the capture export (lablink_export_async()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "lablink-review-window.h"
#include "lablink-units.h"

#define MAX_COLUMNS 4096

typedef struct {
  GArray *x;
  GArray *y;
} Points;

struct _LablinkReviewWindow
{
  AdwWindow           parent_instance;

  AdwWindowTitle     *window_title;
  GtkWidget          *export_button;
  GtkBox             *channel_box;
  LablinkPlot        *plot;
  GtkLabel           *status_label;

  char               *directory;
  LablinkCapture     *capture;
  LablinkCaptureView *view;
  GCancellable       *cancellable;
  GPtrArray          *toggles;
  Points             *points;          /* per channel, as last given to the plot */
  guint               n_channels;
  gint64              first;
  gint64              last;
  gint64              shown_start;
  gint64              shown_end;
  guint               n_gaps_shown;
  gboolean            ready;           /* the first frame's blocks read (warm_thread) */
  GtkNativeDialog    *chooser;
  guint               resize_source;
};

G_DEFINE_FINAL_TYPE (LablinkReviewWindow, lablink_review_window, ADW_TYPE_WINDOW)

static void
set_status (LablinkReviewWindow *self,
            const char          *text)
{
  gtk_label_set_text (self->status_label, text);
}

/* ------------------------------------------------------------------------
 * Feeding the plot what is visible
 * ------------------------------------------------------------------------ */

static void
append_point (Points *p,
              double  x,
              double  y)
{
  g_array_append_val (p->x, x);
  g_array_append_val (p->y, y);
}

static gboolean
gap_between (const LablinkCaptureGap *gaps,
             guint                    n_gaps,
             gint64                   from,
             gint64                   to)
{
  for (guint g = 0; g < n_gaps; g++)
    if (gaps[g].end_usec >= from && gaps[g].start_usec <= to)
      return TRUE;
  return FALSE;
}

static void
refresh (LablinkReviewWindow *self)
{
  g_autofree LablinkCaptureGap *gaps = NULL;
  g_autofree double *mins = NULL;
  g_autofree double *maxs = NULL;
  g_autofree guint64 *counts = NULL;
  g_autoptr(GString) status = g_string_new (NULL);
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  double x0, x1;
  guint n_gaps = 0, width, c;
  guint64 n_rows = 0;
  gint64 t0, t1;

  if (self->view == NULL || !self->ready)
    return;

  if (lablink_plot_get_view_x_range (self->plot, &x0, &x1))
    {
      t0 = self->first + (gint64) floor (x0 * G_USEC_PER_SEC);
      t1 = self->first + (gint64) ceil (x1 * G_USEC_PER_SEC);
    }
  else
    {
      t0 = self->first;
      t1 = self->last;
    }
  if (t1 <= t0)
    t1 = t0 + 1;
  width = (guint) CLAMP (gtk_widget_get_width (GTK_WIDGET (self->plot)), 200, MAX_COLUMNS);
  self->shown_start = t0;
  self->shown_end = t1;

  gaps = lablink_capture_view_get_gaps (self->view, t0, t1, &n_gaps);
  mins = g_new (double, width);
  maxs = g_new (double, width);
  counts = g_new (guint64, width);

  for (c = 0; c < self->n_channels; c++)
    {
      Points *p = &self->points[c];
      g_autoptr(GError) error = NULL;
      gint64 last_end = G_MININT64;
      guint i;

      g_array_set_size (p->x, 0);
      g_array_set_size (p->y, 0);
      if (!gtk_check_button_get_active (g_ptr_array_index (self->toggles, c)))
        {
          lablink_plot_set_series_data (self->plot, c, NULL, NULL, 0);
          continue;
        }
      if (!lablink_capture_view_get_columns (self->view, c, t0, t1, width, mins, maxs, counts, &error))
        {
          set_status (self, error->message);
          lablink_plot_set_series_data (self->plot, c, NULL, NULL, 0);
          return;
        }
      for (i = 0; i < width; i++)
        {
          gint64 start = lablink_capture_view_get_column_start (t0, t1, width, i);
          double x = (double) (start - self->first) / G_USEC_PER_SEC;

          if (counts[i] == 0)
            continue;
          if (c == 0)
            n_rows += counts[i];
          /* A recorded gap since the last column drawn breaks the trace. */
          if (last_end != G_MININT64 && gap_between (gaps, n_gaps, last_end, start))
            append_point (p, x, NAN);
          last_end = lablink_capture_view_get_column_start (t0, t1, width, i + 1) - 1;
          if (isnan (mins[i]))
            {
              append_point (p, x, NAN);
              continue;
            }
          append_point (p, x, mins[i]);
          if (maxs[i] != mins[i])
            append_point (p, x, maxs[i]);
        }
      lablink_plot_set_series_data (self->plot, c, (double *) p->x->data, (double *) p->y->data, p->x->len);
    }

  /* The gaps: a band each, from its last sample before to its first after. */
  {
    g_autofree LablinkPlotBand *bands = g_new (LablinkPlotBand, MAX (n_gaps, 1));

    for (guint g = 0; g < n_gaps; g++)
      {
        bands[g].start = (double) (gaps[g].start_usec - self->first) / G_USEC_PER_SEC;
        bands[g].end = (double) (gaps[g].end_usec - self->first) / G_USEC_PER_SEC;
        bands[g].kind = gaps[g].data_lost ? LABLINK_PLOT_BAND_LOST : LABLINK_PLOT_BAND_GAP;
      }
    lablink_plot_set_bands (self->plot, bands, n_gaps);
  }
  self->n_gaps_shown = n_gaps;

  from_text = lablink_capture_format_time (t0);
  to_text = lablink_capture_format_time (t1);
  /* TRANSLATORS: the visible range of a capture, e.g. "2026-12-06T10:00:00.000000Z – …" */
  g_string_append_printf (status, _("%s – %s"), from_text, to_text);
  if (self->n_channels > 0 && gtk_check_button_get_active (g_ptr_array_index (self->toggles, 0)))
    /* TRANSLATORS: how many samples of the first channel are in view */
    g_string_append_printf (status, _(" · %" PRIu64 " samples in view"), n_rows);
  for (guint g = 0; g < n_gaps; g++)
    {
      g_autofree char *gs = lablink_capture_format_time (gaps[g].start_usec);
      g_autofree char *ge = lablink_capture_format_time (gaps[g].end_usec);

      if (gaps[g].data_lost)
        /* TRANSLATORS: a gap in a capture where samples are missing: start – end */
        g_string_append_printf (status, _(" · Gap (data lost): %s – %s"), gs, ge);
      else
        /* TRANSLATORS: a gap in a capture fully recovered from the server: start – end */
        g_string_append_printf (status, _(" · Gap (recovered): %s – %s"), gs, ge);
    }
  set_status (self, status->str);
}

static void
on_view_changed (LablinkReviewWindow *self)
{
  refresh (self);
}

/* A new size: new columns (one per pixel), once the plot has its width. */
static gboolean
resized_idle_cb (gpointer data)
{
  LablinkReviewWindow *self = data;

  self->resize_source = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
on_resized (LablinkReviewWindow *self)
{
  if (self->resize_source == 0)
    self->resize_source = g_timeout_add (50, resized_idle_cb, self);
}

static void
on_toggled (LablinkReviewWindow *self,
            GtkCheckButton      *toggle)
{
  guint index;

  if (g_ptr_array_find (self->toggles, toggle, &index))
    lablink_plot_set_series_visible (self->plot, index, gtk_check_button_get_active (toggle));
  refresh (self);
}

/* ------------------------------------------------------------------------
 * Opening
 * ------------------------------------------------------------------------ */

/* The first frame shows the whole capture: its column edges' blocks are
 * read here, on a worker thread, so that the first frame drawn finds them
 * cached (cold, 1,600 reads took ~22 ms: more than a frame). */
typedef struct {
  LablinkCaptureView *view;
  gint64              t0;
  gint64              t1;
  guint               width;
  guint               n_channels;
} WarmUp;

static void
warm_up_free (WarmUp *warm)
{
  g_object_unref (warm->view);
  g_free (warm);
}

static void
warm_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  WarmUp *warm = data;
  g_autofree double *mins = g_new (double, warm->width);
  g_autofree double *maxs = g_new (double, warm->width);
  g_autofree guint64 *counts = g_new (guint64, warm->width);

  for (guint c = 0; c < warm->n_channels && !g_cancellable_is_cancelled (cancellable); c++)
    lablink_capture_view_get_columns (warm->view, c, warm->t0, warm->t1, warm->width, mins, maxs, counts, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
warm_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  LablinkReviewWindow *self = LABLINK_REVIEW_WINDOW (source);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  self->ready = TRUE;
  g_signal_connect_swapped (self->plot, "view-changed", G_CALLBACK (on_view_changed), self);
  refresh (self);
}

static gboolean start_warm_up_tick (GtkWidget     *plot,
                                    GdkFrameClock *clock,
                                    gpointer       data);

static void
start_warm_up (LablinkReviewWindow *self)
{
  g_autoptr(GTask) task = NULL;
  WarmUp *warm;

  /* The columns are the plot's pixels: wait until it has its width. */
  if (gtk_widget_get_width (GTK_WIDGET (self->plot)) == 0)
    {
      gtk_widget_add_tick_callback (GTK_WIDGET (self->plot), start_warm_up_tick, self, NULL);
      return;
    }
  task = g_task_new (self, self->cancellable, warm_done_cb, NULL);
  warm = g_new0 (WarmUp, 1);

  warm->view = g_object_ref (self->view);
  warm->t0 = self->first;
  warm->t1 = MAX (self->last, self->first + 1);
  warm->width = (guint) CLAMP (gtk_widget_get_width (GTK_WIDGET (self->plot)), 200, MAX_COLUMNS);
  warm->n_channels = self->n_channels;
  g_task_set_task_data (task, warm, (GDestroyNotify) warm_up_free);
  g_task_run_in_thread (task, warm_thread);
}

static gboolean
start_warm_up_tick (GtkWidget     *plot,
                    GdkFrameClock *clock,
                    gpointer       data)
{
  if (gtk_widget_get_width (plot) == 0)
    return G_SOURCE_CONTINUE;
  start_warm_up (data);
  return G_SOURCE_REMOVE;
}

static void
view_ready_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LablinkReviewWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkCaptureView) view = lablink_capture_view_new_finish (result, &error);
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) units = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *duration = NULL;
  const char *unit = NULL;
  gboolean one_unit = TRUE;
  guint c;

  if (view == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          lablink_plot_set_message (self->plot, error->message);
          set_status (self, error->message);
        }
      return;
    }

  self->view = g_steal_pointer (&view);
  lablink_capture_view_get_time_range (self->view, &self->first, &self->last);
  names = lablink_capture_dup_channel_names (self->capture);
  units = lablink_capture_dup_channel_units (self->capture);
  self->n_channels = g_strv_length (names);
  self->points = g_new0 (Points, self->n_channels);

  for (c = 0; c < self->n_channels; c++)
    {
      const char *u = units != NULL && c < g_strv_length (units) ? units[c] : "";
      g_autofree char *label = *u != '\0' ? g_strdup_printf ("%s (%s)", names[c], u) : g_strdup (names[c]);
      g_autofree char *widget_name = g_strdup_printf ("review-channel-%u", c);
      GtkWidget *toggle = gtk_check_button_new_with_label (label);

      gtk_widget_set_name (toggle, widget_name);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (toggle), TRUE);
      g_signal_connect_swapped (toggle, "toggled", G_CALLBACK (on_toggled), self);
      gtk_box_append (self->channel_box, toggle);
      g_ptr_array_add (self->toggles, toggle);

      self->points[c].x = g_array_new (FALSE, FALSE, sizeof (double));
      self->points[c].y = g_array_new (FALSE, FALSE, sizeof (double));
      lablink_plot_add_series (self->plot, 0, names[c], NULL);
      if (unit == NULL)
        unit = u;
      else if (g_strcmp0 (unit, u) != 0)
        one_unit = FALSE;
    }
  /* TRANSLATORS: the legend of a band shading a gap where samples are missing */
  lablink_plot_set_band_label (self->plot, LABLINK_PLOT_BAND_LOST, _("Gap (data lost)"));
  /* TRANSLATORS: the legend of a band shading a gap whose samples the server still held */
  lablink_plot_set_band_label (self->plot, LABLINK_PLOT_BAND_GAP, _("Gap (recovered)"));
  lablink_plot_set_pane_label (self->plot, 0, _("Value"), one_unit && unit != NULL ? unit : "");
  lablink_plot_set_message (self->plot, lablink_capture_view_get_n_samples (self->view) == 0
                                        ? _("This capture holds no samples") : NULL);

  duration = lablink_format_duration ((double) (self->last - self->first) / G_USEC_PER_SEC);
  /* TRANSLATORS: samples per channel · duration */
  subtitle = g_strdup_printf (_("%" PRIu64 " samples · %s"), lablink_capture_view_get_n_samples (self->view), duration);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_widget_set_sensitive (self->export_button, lablink_capture_view_get_n_samples (self->view) > 0);

  start_warm_up (self);
}

/**
 * lablink_review_window_is_capture:
 * @file: a file
 *
 * Returns: whether @file is a capture's directory (what may be opened)
 */
gboolean
lablink_review_window_is_capture (GFile *file)
{
  g_autoptr(GFile) ini = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  ini = g_file_get_child (file, "capture.ini");
  return g_file_query_exists (ini, NULL);
}

/**
 * lablink_review_window_new:
 * @application: the application
 * @capture_directory: (type filename): a capture's directory
 *
 * A window reviewing the capture (shown by the caller). The capture is read
 * in the background; errors are shown in the window.
 *
 * Returns: (transfer full): the window
 */
LablinkReviewWindow *
lablink_review_window_new (GtkApplication *application,
                           const char     *capture_directory)
{
  LablinkReviewWindow *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (capture_directory != NULL, NULL);

  self = g_object_new (LABLINK_TYPE_REVIEW_WINDOW, "application", application, NULL);
  self->directory = g_strdup (capture_directory);
  name = g_filename_display_basename (capture_directory);
  adw_window_title_set_title (self->window_title, name);
  gtk_window_set_title (GTK_WINDOW (self), name);

  self->capture = lablink_capture_open (capture_directory, &error);
  if (self->capture == NULL)
    {
      lablink_plot_set_message (self->plot, error->message);
      set_status (self, error->message);
      return self;
    }
  lablink_plot_set_message (self->plot, _("Reading the capture…"));
  lablink_capture_view_new_async (self->capture, self->cancellable, view_ready_cb, g_object_ref (self));
  return self;
}

/* ------------------------------------------------------------------------
 * Export of the visible range
 * ------------------------------------------------------------------------ */

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (lablink_export_finish (LABLINK_CAPTURE (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

/**
 * lablink_review_window_export_async:
 * @self: a review window
 * @format: the file format
 * @destination: the file to write
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Exports the rows of the visible range (every channel).
 */
void
lablink_review_window_export_async (LablinkReviewWindow *self,
                                    LablinkExportFormat  format,
                                    GFile               *destination,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (LABLINK_IS_REVIEW_WINDOW (self));
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_review_window_export_async);
  if (self->capture == NULL || self->view == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("The capture is not open"));
      g_object_unref (task);
      return;
    }
  lablink_export_async (self->capture, format, destination, self->shown_start, self->shown_end,
                        cancellable, NULL, NULL, export_done_cb, task);
}

/**
 * lablink_review_window_export_finish:
 * @self: a review window
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the file was written
 */
gboolean
lablink_review_window_export_finish (LablinkReviewWindow  *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_from_button_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  LablinkReviewWindow *self = LABLINK_REVIEW_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = user_data;

  if (lablink_review_window_export_finish (self, result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Exported the visible range to %s"), path);
      set_status (self, text);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_status (self, error->message);
}

static void
chooser_response_cb (GtkNativeDialog     *dialog,
                     int                  response,
                     LablinkReviewWindow *self)
{
  g_autoptr(GFile) file = NULL;
  LablinkExportFormat format = LABLINK_EXPORT_FORMAT_CSV;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;

  {
    g_autofree char *name = g_file_get_basename (file);
    const char *dot = strrchr (name, '.');

    if (dot != NULL && (g_ascii_strcasecmp (dot, ".h5") == 0 || g_ascii_strcasecmp (dot, ".hdf5") == 0))
      format = LABLINK_EXPORT_FORMAT_HDF5;
    else if (dot != NULL && g_ascii_strcasecmp (dot, ".json") == 0)
      format = LABLINK_EXPORT_FORMAT_JSON;
  }
  lablink_review_window_export_async (self, format, file, self->cancellable,
                                      export_from_button_cb, g_file_get_parse_name (file));
}

static void
on_export_clicked (LablinkReviewWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autofree char *suggested = NULL;

  if (self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export the visible range"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  suggested = g_strdup_printf ("%s.csv", gtk_window_get_title (GTK_WINDOW (self)));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* ------------------------------------------------------------------------
 * Accessors
 * ------------------------------------------------------------------------ */

const char *
lablink_review_window_get_directory (LablinkReviewWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_REVIEW_WINDOW (self), NULL);
  return self->directory;
}

LablinkPlot *
lablink_review_window_get_plot (LablinkReviewWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_REVIEW_WINDOW (self), NULL);
  return self->plot;
}

/* Returns: (nullable): the view, once the capture is read and its first
 * frame shown */
LablinkCaptureView *
lablink_review_window_get_view (LablinkReviewWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_REVIEW_WINDOW (self), NULL);
  return self->ready ? self->view : NULL;
}

const char *
lablink_review_window_get_status (LablinkReviewWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_REVIEW_WINDOW (self), NULL);
  return gtk_label_get_text (self->status_label);
}

/* The time range last shown (µs since the epoch, inclusive). */
void
lablink_review_window_get_range (LablinkReviewWindow *self,
                                 gint64              *start_usec,
                                 gint64              *end_usec)
{
  g_return_if_fail (LABLINK_IS_REVIEW_WINDOW (self));
  if (start_usec)
    *start_usec = self->shown_start;
  if (end_usec)
    *end_usec = self->shown_end;
}

guint
lablink_review_window_get_n_gaps_shown (LablinkReviewWindow *self)
{
  g_return_val_if_fail (LABLINK_IS_REVIEW_WINDOW (self), 0);
  return self->n_gaps_shown;
}

/* The points last given to the plot for @channel (x in seconds from the
 * first sample; NaN breaks the trace). Returns the y values. */
const double *
lablink_review_window_get_points (LablinkReviewWindow  *self,
                                  guint                 channel,
                                  const double        **x,
                                  gsize                *n)
{
  g_return_val_if_fail (LABLINK_IS_REVIEW_WINDOW (self), NULL);
  g_return_val_if_fail (n != NULL, NULL);

  if (channel >= self->n_channels)
    {
      *n = 0;
      return NULL;
    }
  *n = self->points[channel].x->len;
  if (x)
    *x = (const double *) self->points[channel].x->data;
  return (const double *) self->points[channel].y->data;
}

void
lablink_review_window_set_channel_visible (LablinkReviewWindow *self,
                                           guint                channel,
                                           gboolean             visible)
{
  g_return_if_fail (LABLINK_IS_REVIEW_WINDOW (self));
  g_return_if_fail (channel < self->toggles->len);

  gtk_check_button_set_active (g_ptr_array_index (self->toggles, channel), visible);
}

/* ------------------------------------------------------------------------
 * The object
 * ------------------------------------------------------------------------ */

static void
lablink_review_window_dispose (GObject *object)
{
  LablinkReviewWindow *self = LABLINK_REVIEW_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->resize_source, g_source_remove);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }
  if (self->plot != NULL)
    g_signal_handlers_disconnect_by_data (self->plot, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), LABLINK_TYPE_REVIEW_WINDOW);
  G_OBJECT_CLASS (lablink_review_window_parent_class)->dispose (object);
}

static void
lablink_review_window_finalize (GObject *object)
{
  LablinkReviewWindow *self = LABLINK_REVIEW_WINDOW (object);

  for (guint c = 0; self->points != NULL && c < self->n_channels; c++)
    {
      g_array_unref (self->points[c].x);
      g_array_unref (self->points[c].y);
    }
  g_free (self->points);
  g_clear_pointer (&self->toggles, g_ptr_array_unref);
  g_clear_object (&self->view);
  g_clear_object (&self->capture);
  g_clear_object (&self->cancellable);
  g_free (self->directory);

  G_OBJECT_CLASS (lablink_review_window_parent_class)->finalize (object);
}

static void
lablink_review_window_class_init (LablinkReviewWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_review_window_dispose;
  object_class->finalize = lablink_review_window_finalize;

  g_type_ensure (LABLINK_TYPE_PLOT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-review-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkReviewWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LablinkReviewWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkReviewWindow, channel_box);
  gtk_widget_class_bind_template_child (widget_class, LablinkReviewWindow, plot);
  gtk_widget_class_bind_template_child (widget_class, LablinkReviewWindow, status_label);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
lablink_review_window_init (LablinkReviewWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->toggles = g_ptr_array_new ();
  g_signal_connect_swapped (self->export_button, "clicked", G_CALLBACK (on_export_clicked), self);
  g_signal_connect (self, "notify::default-width", G_CALLBACK (on_resized), NULL);
  g_signal_connect (self, "notify::default-height", G_CALLBACK (on_resized), NULL);
  g_signal_connect (self, "notify::maximized", G_CALLBACK (on_resized), NULL);
  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (on_resized), NULL);
}
