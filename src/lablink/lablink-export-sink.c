/* lablink-export-sink.c — the output: a temporary file renamed over the destination
 *
 * An export writes to `<destination>.tmpXXXXXX` beside the destination,
 * synced and renamed over it only when complete: an interrupted, failed or
 * cancelled export never leaves a half file in place of a good one (a
 * killed process may leave the temporary file behind, never a damaged
 * destination). A destination that is not a local file goes through GIO's
 * replace, which also writes aside and renames on close.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "lablink-capture-private.h"
#include "lablink-export-private.h"

/* Opens the temporary file beside @destination (or, for a destination that
 * is not a local file, GIO's replace stream; HDF5 needs a local file). */
gboolean
lablink_export_sink_open (LablinkExportSink *sink,
                          GFile             *destination,
                          gboolean           need_local,
                          GCancellable      *cancellable,
                          GError           **error)
{
  memset (sink, 0, sizeof *sink);
  sink->fd = -1;
  sink->cancellable = cancellable;
  sink->buf = g_string_sized_new (LABLINK_EXPORT_SINK_BUFFER + 4096);
  sink->dest_path = g_file_get_path (destination);

  if (sink->dest_path != NULL)
    {
      sink->tmp_path = g_strconcat (sink->dest_path, ".tmpXXXXXX", NULL);
      sink->fd = g_mkstemp_full (sink->tmp_path, O_RDWR | O_CLOEXEC, 0666);
      if (sink->fd < 0)
        {
          int saved_errno = errno;
          g_autofree char *dir = g_path_get_dirname (sink->dest_path);
          lablink_capture_set_io_error (error, saved_errno, _("Could not create a file in"), dir);
          g_clear_pointer (&sink->tmp_path, g_free);
          return FALSE;
        }
      return TRUE;
    }

  if (need_local)
    {
      g_autofree char *uri = g_file_get_uri (destination);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("HDF5 exports need a local file, not “%s”"), uri);
      return FALSE;
    }

  /* Not a local file: GIO's replace also writes aside and renames on close. */
  sink->stream = G_OUTPUT_STREAM (g_file_replace (destination, NULL, FALSE, G_FILE_CREATE_NONE,
                                                  cancellable, error));
  return sink->stream != NULL;
}

/* Writes out what is buffered in @sink->buf. */
gboolean
lablink_export_sink_flush (LablinkExportSink *sink,
                           GError           **error)
{
  const char *data = sink->buf->str;
  gsize size = sink->buf->len;

  if (size == 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (sink->cancellable, error))
    return FALSE;

  if (sink->fd >= 0)
    {
      if (!lablink_capture_write_all (sink->fd, (const guint8 *) data, size, sink->tmp_path, error))
        return FALSE;
    }
  else if (!g_output_stream_write_all (sink->stream, data, size, NULL, sink->cancellable, error))
    return FALSE;

  g_string_truncate (sink->buf, 0);
  return TRUE;
}

/* Flushes, syncs and renames the temporary file over the destination. */
gboolean
lablink_export_sink_commit (LablinkExportSink *sink,
                            GError           **error)
{
  if (!lablink_export_sink_flush (sink, error))
    return FALSE;

  if (sink->tmp_path != NULL)
    {
      if (sink->fd < 0)
        sink->fd = g_open (sink->tmp_path, O_RDONLY | O_CLOEXEC, 0);
      if (sink->fd < 0 || g_fsync (sink->fd) != 0)
        {
          lablink_capture_set_io_error (error, errno, _("Could not sync"), sink->tmp_path);
          return FALSE;
        }
      g_close (sink->fd, NULL);
      sink->fd = -1;
      if (g_cancellable_set_error_if_cancelled (sink->cancellable, error))
        return FALSE;
      if (g_rename (sink->tmp_path, sink->dest_path) != 0)
        {
          lablink_capture_set_io_error (error, errno, _("Could not replace"), sink->dest_path);
          return FALSE;
        }
      g_clear_pointer (&sink->tmp_path, g_free);
      {
        g_autofree char *dir = g_path_get_dirname (sink->dest_path);
        lablink_capture_fsync_directory (dir);
      }
      return TRUE;
    }

  if (!g_output_stream_close (sink->stream, sink->cancellable, error))
    return FALSE;
  g_clear_object (&sink->stream);
  return TRUE;
}

/* Drops the temporary file; the destination is untouched. */
void
lablink_export_sink_clear (LablinkExportSink *sink)
{
  if (sink->fd >= 0)
    g_close (sink->fd, NULL);
  sink->fd = -1;
  if (sink->tmp_path != NULL)
    g_unlink (sink->tmp_path);
  if (sink->stream != NULL)
    {
      /* Closing a replace stream with a cancelled cancellable abandons it. */
      g_autoptr(GCancellable) cancelled = g_cancellable_new ();
      g_cancellable_cancel (cancelled);
      g_output_stream_close (sink->stream, cancelled, NULL);
      g_clear_object (&sink->stream);
    }
  g_clear_pointer (&sink->tmp_path, g_free);
  g_clear_pointer (&sink->dest_path, g_free);
  if (sink->buf != NULL)
    g_string_free (sink->buf, TRUE);
  sink->buf = NULL;
}
