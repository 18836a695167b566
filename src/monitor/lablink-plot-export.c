/* lablink-plot-export.c — saving a LablinkPlot as PNG, SVG or PDF
 *
 * The chart is drawn by the widget's own drawing code into a cairo surface
 * of the requested size and written atomically (temporary file, rename).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lablink-plot-private.h"

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
  _lablink_plot_draw (self, cr, width, height);
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
