/* lablink-capture-reader.c — reading rows back
 *
 * lablink_capture_read() decodes rows from the chunk files (from any
 * thread, also while recording: rows still queued for the disk are waited
 * for); lablink_capture_find_row() binary-searches a time on the disk.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "lablink-capture-private.h"
#include "lablink-error.h"

/**
 * lablink_capture_read: (skip)
 * @self: a #LablinkCapture
 * @first_row: the first row to read
 * @n_rows: how many rows
 * @times: (array length=n_rows) (out caller-allocates) (nullable): room for
 *   @n_rows timestamps (µs since the epoch), or %NULL
 * @values: (array) (out caller-allocates) (nullable): room for @n_rows ×
 *   n-channels values, written ROW-MAJOR (`values[row * n_channels +
 *   channel]`), or %NULL
 * @error: return location for a #GError
 *
 * Reads rows from the disk; thread-safe, also while recording (rows still
 * queued for the disk are waited for).
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_capture_read (LablinkCapture  *self,
                      guint64          first_row,
                      gsize            n_rows,
                      gint64          *times,
                      double          *values,
                      GError         **error)
{
  g_autofree guint8 *buf = NULL;
  guint64 end, row;
  guint n_channels, chunk_rows;
  gsize row_size, done = 0;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_rows == 0)
    return TRUE;

  g_mutex_lock (&self->lock);
  n_channels = self->n_channels;
  chunk_rows = self->chunk_rows;
  if (first_row > self->n_rows || n_rows > self->n_rows - first_row)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("Rows %" PRIu64 "–%" PRIu64 " are outside capture “%s” (%" PRIu64 " rows)"),
                   first_row, first_row + n_rows, self->name, self->n_rows);
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  end = first_row + n_rows;
  while (self->n_written < end && self->writing && self->write_error == NULL)
    g_cond_wait (&self->cond, &self->lock);
  if (self->n_written < end)
    {
      if (self->write_error != NULL)
        g_propagate_error (error, g_error_copy (self->write_error));
      else
        g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_IO, _("Rows of capture “%s” were not written"), self->name);
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  g_mutex_unlock (&self->lock);

  row_size = lablink_capture_row_size (n_channels);
  row = first_row;
  while (row < end)
    {
      guint chunk = (guint) (row / chunk_rows);
      guint64 in_chunk = row % chunk_rows;
      gsize n = (gsize) MIN (end - row, chunk_rows - in_chunk);
      g_autofree char *path = lablink_capture_chunk_path (self->directory, chunk);
      gsize i, c;
      int fd;
      gboolean ok;

      buf = g_realloc (buf, n * row_size);
      fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
      if (fd < 0)
        {
          lablink_capture_set_io_error (error, errno, _("Could not open"), path);
          return FALSE;
        }
      ok = lablink_capture_pread_all (fd, buf, n * row_size, (goffset) (in_chunk * row_size), path, error);
      g_close (fd, NULL);
      if (!ok)
        return FALSE;

      for (i = 0; i < n; i++)
        {
          const guint8 *p = buf + i * row_size;
          if (times)
            times[done + i] = (gint64) lablink_capture_get_le64 (p);
          if (values)
            for (c = 0; c < n_channels; c++)
              values[(done + i) * n_channels + c] = lablink_capture_get_double (p + 8 + c * 8);
        }
      done += n;
      row += n;
    }

  return TRUE;
}

/**
 * lablink_capture_find_row:
 * @self: a #LablinkCapture
 * @time_usec: a time, µs since the epoch
 * @error: return location for a #GError
 *
 * Finds the first row at or after @time_usec (binary search on the disk).
 *
 * Returns: the row index; n-samples if every row is older; G_MAXUINT64 on
 *   error
 */
guint64
lablink_capture_find_row (LablinkCapture  *self,
                          gint64           time_usec,
                          GError         **error)
{
  guint64 lo = 0, hi;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), G_MAXUINT64);

  hi = lablink_capture_get_n_samples (self);
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;
      gint64 t;

      if (!lablink_capture_read (self, mid, 1, &t, NULL, error))
        return G_MAXUINT64;
      if (t < time_usec)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}
