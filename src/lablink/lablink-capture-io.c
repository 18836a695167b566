/* lablink-capture-io.c — file I/O helpers for captures and exports
 *
 * A GError from an errno, whole-buffer write() and pread() loops that
 * retry on EINTR, and the fsync() of a directory (so that a file created
 * or renamed in it survives a power cut). Shared by the capture's files and
 * the export's.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "lablink-capture-private.h"
#include "lablink-error.h"

void
lablink_capture_set_io_error (GError     **error,
                              int          saved_errno,
                              const char  *what,
                              const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s “%s”: %s", what, display, g_strerror (saved_errno));
}

gboolean
lablink_capture_write_all (int           fd,
                           const guint8 *data,
                           gsize         size,
                           const char   *path,
                           GError      **error)
{
  while (size > 0)
    {
      gssize n = write (fd, data, size);

      if (n < 0)
        {
          int saved_errno = errno;
          if (saved_errno == EINTR)
            continue;
          lablink_capture_set_io_error (error, saved_errno, _("Could not write"), path);
          return FALSE;
        }
      data += n;
      size -= (gsize) n;
    }
  return TRUE;
}

gboolean
lablink_capture_pread_all (int         fd,
                           guint8     *data,
                           gsize       size,
                           goffset     offset,
                           const char *path,
                           GError    **error)
{
  while (size > 0)
    {
      gssize n = pread (fd, data, size, offset);

      if (n < 0)
        {
          int saved_errno = errno;
          if (saved_errno == EINTR)
            continue;
          lablink_capture_set_io_error (error, saved_errno, _("Could not read"), path);
          return FALSE;
        }
      if (n == 0)
        {
          g_autofree char *display = g_filename_display_name (path);
          g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_IO,
                       _("Capture file “%s” is shorter than its rows"), display);
          return FALSE;
        }
      data += n;
      size -= (gsize) n;
      offset += n;
    }
  return TRUE;
}

void
lablink_capture_fsync_directory (const char *directory)
{
  int fd = g_open (directory, O_RDONLY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      g_fsync (fd);
      g_close (fd, NULL);
    }
}
