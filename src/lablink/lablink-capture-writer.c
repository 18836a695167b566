/* lablink-capture-writer.c — the writer thread and its queue
 *
 * Rows accepted on the owner's thread are encoded and handed to a writer
 * thread in blocks of at most 1 MiB, at most 8 MiB queued (the producer
 * waits beyond that), so memory stays flat whatever the length of the
 * capture. The writer write()s each block as soon as it is queued and
 * fdatasync()s at least every 500 ms, then replaces the metadata (at most
 * twice a second): killing the process loses nothing the writer had taken;
 * a power cut loses at most the last half second. A write error stops the
 * capture and is reported by the #LablinkCapture::failed signal on the
 * owner's thread.
 *
 * The writer also feeds every block it wrote to the capture's min/max
 * pyramid (lablink-capture-pyramid.c), written out when it syncs; a
 * failure there only drops the pyramid (rebuilt when the capture is
 * reviewed), never the capture.
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

#define SYNC_INTERVAL_US       (500 * G_TIME_SPAN_MILLISECOND)
#define MAX_BLOCK_BYTES        (1024 * 1024)
#define MAX_QUEUED_BYTES       (8 * 1024 * 1024)

typedef struct {
  guint8 *data;
  gsize   n_rows;
  gsize   size;
} Block;

/* ------------------------------------------------------------------------
 * The producer: queueing rows (the owner's thread)
 * ------------------------------------------------------------------------ */

/* Queues rows (strictly increasing times, all newer than last_time;
 * row-major values) for the writer. May wait for room in the queue. */
gboolean
lablink_capture_queue_rows (LablinkCapture  *self,
                            gsize            n_rows,
                            const gint64    *times,
                            const double    *values,
                            GError         **error)
{
  gsize row_size = lablink_capture_row_size (self->n_channels);
  gsize per_block = MAX (MAX_BLOCK_BYTES / row_size, 1);
  gsize done = 0;

  while (done < n_rows)
    {
      gsize n = MIN (per_block, n_rows - done);
      Block *block = g_new (Block, 1);
      gsize r, c;

      block->n_rows = n;
      block->size = n * row_size;
      block->data = g_malloc (block->size);
      for (r = 0; r < n; r++)
        {
          guint8 *p = block->data + r * row_size;
          const double *row = values + (done + r) * self->n_channels;

          lablink_capture_put_le64 (p, (guint64) times[done + r]);
          for (c = 0; c < self->n_channels; c++)
            lablink_capture_put_double (p + 8 + c * 8, row[c]);
        }

      g_mutex_lock (&self->lock);
      while (self->queued_bytes > 0 && self->queued_bytes + block->size > MAX_QUEUED_BYTES &&
             self->write_error == NULL && self->writing)
        g_cond_wait (&self->cond, &self->lock);
      if (self->write_error != NULL || !self->writing)
        {
          if (self->write_error != NULL)
            g_propagate_error (error, g_error_copy (self->write_error));
          else
            g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_IO, _("The capture is not recording"));
          g_mutex_unlock (&self->lock);
          g_free (block->data);
          g_free (block);
          return FALSE;
        }
      g_queue_push_tail (&self->blocks, block);
      self->queued_bytes += block->size;
      if (self->n_rows == 0)
        self->first_time = times[0];
      self->n_rows += n;
      self->last_time = times[done + n - 1];
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);

      done += n;
    }

  if (n_rows > 0)
    lablink_capture_schedule_notify (self);
  return TRUE;
}

/* ------------------------------------------------------------------------
 * The writer thread
 * ------------------------------------------------------------------------ */

typedef struct {
  int      fd;
  guint    chunk;
  guint64  rows_in_chunk;
  char    *path;
} WriterFile;

static void
writer_file_close (WriterFile *file)
{
  if (file->fd >= 0)
    {
      g_fsync (file->fd);
      g_close (file->fd, NULL);
      file->fd = -1;
    }
  g_clear_pointer (&file->path, g_free);
}

static gboolean
writer_file_open (LablinkCapture  *self,
                  WriterFile      *file,
                  guint            chunk,
                  guint64          rows_in_chunk,
                  gsize            row_size,
                  GError         **error)
{
  goffset size = (goffset) (rows_in_chunk * row_size);
  gboolean existed;

  writer_file_close (file);
  file->path = lablink_capture_chunk_path (self->directory, chunk);
  existed = g_file_test (file->path, G_FILE_TEST_EXISTS);
  file->fd = g_open (file->path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (file->fd < 0)
    {
      lablink_capture_set_io_error (error, errno, _("Could not open"), file->path);
      return FALSE;
    }
  /* Drop a torn tail (a write cut short), then append. */
  if (ftruncate (file->fd, size) != 0 || lseek (file->fd, size, SEEK_SET) != size)
    {
      lablink_capture_set_io_error (error, errno, _("Could not prepare"), file->path);
      return FALSE;
    }
  if (!existed)
    lablink_capture_fsync_directory (self->directory);
  file->chunk = chunk;
  file->rows_in_chunk = rows_in_chunk;
  return TRUE;
}

static gboolean
writer_write_block (LablinkCapture  *self,
                    WriterFile      *file,
                    Block           *block,
                    guint64          first_row,
                    gsize            row_size,
                    guint            chunk_rows,
                    GError         **error)
{
  gsize done = 0;

  while (done < block->n_rows)
    {
      guint64 row = first_row + done;
      gsize n;

      if (file->fd < 0 || file->chunk != row / chunk_rows)
        {
          if (!writer_file_open (self, file, (guint) (row / chunk_rows), row % chunk_rows, row_size, error))
            return FALSE;
        }
      n = (gsize) MIN ((guint64) (block->n_rows - done), chunk_rows - file->rows_in_chunk);
      if (!lablink_capture_write_all (file->fd, block->data + done * row_size, n * row_size, file->path, error))
        return FALSE;
      file->rows_in_chunk += n;
      done += n;
    }
  return TRUE;
}

/* The writer thread: after @n_rows rows at @first_row reached the disk. */
static void
writer_feed_pyramid (LablinkCapture *self,
                     const guint8   *rows,
                     gsize           n_rows,
                     guint64         first_row)
{
  g_autoptr(GError) error = NULL;

  if (self->pyramid_off)
    return;
  if (self->pyramid == NULL)
    {
      if (first_row != 0)
        {
          /* Rows from before (not ours): the pyramid is built on review. */
          self->pyramid_off = TRUE;
          lablink_capture_pyramid_remove (self->directory);
          return;
        }
      self->pyramid = lablink_capture_pyramid_builder_new (self->directory, self->n_channels, FALSE);
    }
  if (!lablink_capture_pyramid_builder_feed (self->pyramid, rows, n_rows, &error))
    {
      g_debug ("Capture %s: dropping its pyramid: %s", self->name, error->message);
      g_clear_pointer (&self->pyramid, lablink_capture_pyramid_builder_free);
      self->pyramid_off = TRUE;
      lablink_capture_pyramid_remove (self->directory);
    }
}

static void
writer_flush_pyramid (LablinkCapture *self)
{
  g_autoptr(GError) error = NULL;

  if (self->pyramid != NULL && !lablink_capture_pyramid_builder_flush (self->pyramid, &error))
    {
      g_debug ("Capture %s: dropping its pyramid: %s", self->name, error->message);
      g_clear_pointer (&self->pyramid, lablink_capture_pyramid_builder_free);
      self->pyramid_off = TRUE;
      lablink_capture_pyramid_remove (self->directory);
    }
}

/* On the owner's thread: stop, then say why. */
static gboolean
emit_failed_cb (gpointer data)
{
  LablinkCapture *self = data;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->failed_source, g_source_unref);
  if (self->write_error != NULL)
    error = g_error_copy (self->write_error);
  g_mutex_unlock (&self->lock);

  if (error != NULL)
    {
      if (self->recording)
        lablink_capture_stop (self, NULL);
      lablink_capture_emit_failed (self, error);
    }
  return G_SOURCE_REMOVE;
}

/* Called with the lock held. */
static void
writer_fail_locked (LablinkCapture *self,
                    GError         *error)
{
  if (self->write_error != NULL)
    {
      g_error_free (error);
      return;
    }
  g_debug ("Capture %s: %s", self->name, error->message);
  self->write_error = error;
  if (self->failed_source == NULL)
    {
      self->failed_source = g_idle_source_new ();
      g_source_set_callback (self->failed_source, emit_failed_cb, g_object_ref (self), g_object_unref);
      g_source_attach (self->failed_source, self->context);
    }
}

static gpointer
writer_main (gpointer data)
{
  LablinkCapture *self = data;
  WriterFile file = { -1, 0, 0, NULL };
  gint64 next_sync = g_get_monotonic_time () + SYNC_INTERVAL_US;
  gboolean need_sync = FALSE;
  guint chunk_rows;

  g_mutex_lock (&self->lock);
  chunk_rows = self->chunk_rows;

  for (;;)
    {
      gboolean queue_empty = self->blocks.length == 0;
      gboolean flush_now = queue_empty && self->flush_requested != self->flush_done;
      gboolean quitting = self->writer_quit && queue_empty;
      /* The channels must be on disk before the first row. */
      gboolean meta_first = self->meta_dirty && self->n_written == 0 && !queue_empty;
      gint64 now = g_get_monotonic_time ();

      if (((need_sync || self->meta_dirty) && (now >= next_sync || quitting)) || flush_now || meta_first)
        {
          guint64 serial = self->flush_requested;
          g_autofree char *meta = NULL;
          gsize meta_length = 0;
          g_autoptr(GError) error = NULL;
          gboolean failed = self->write_error != NULL;

          if (self->meta_dirty || need_sync)
            {
              /* The files are synced before the metadata that counts their rows. */
              if (quitting)
                self->writing = FALSE;
              meta = lablink_capture_build_metadata_locked (self, self->n_written, &meta_length);
              self->meta_dirty = FALSE;
            }
          g_mutex_unlock (&self->lock);

          writer_flush_pyramid (self);
          if (file.fd >= 0 && !failed && g_fsync (file.fd) != 0)
            lablink_capture_set_io_error (&error, errno, _("Could not sync"), file.path);
          if (meta != NULL && error == NULL && !failed)
            lablink_capture_save_metadata (self->directory, meta, meta_length, &error);

          g_mutex_lock (&self->lock);
          if (error != NULL)
            writer_fail_locked (self, g_steal_pointer (&error));
          need_sync = FALSE;
          next_sync = g_get_monotonic_time () + SYNC_INTERVAL_US;
          if (queue_empty)
            self->flush_done = serial;
          g_cond_broadcast (&self->cond);
          if (quitting)
            break;
          continue;
        }

      if (!queue_empty)
        {
          Block *block = g_queue_pop_head (&self->blocks);
          guint64 first_row = self->n_written;
          gsize row_size = lablink_capture_row_size (self->n_channels);
          gboolean failed = self->write_error != NULL;
          g_autoptr(GError) error = NULL;
          gboolean ok = FALSE;

          g_mutex_unlock (&self->lock);
          /* After a failure, queued blocks are dropped so producers never block. */
          if (!failed)
            ok = writer_write_block (self, &file, block, first_row, row_size, chunk_rows, &error);
          if (ok)
            writer_feed_pyramid (self, block->data, block->n_rows, first_row);
          g_free (block->data);
          g_mutex_lock (&self->lock);

          self->queued_bytes -= block->size;
          if (ok)
            self->n_written += block->n_rows;
          else if (error != NULL)
            writer_fail_locked (self, g_steal_pointer (&error));
          g_free (block);
          need_sync = TRUE;
          g_cond_broadcast (&self->cond);
          continue;
        }

      if (quitting)
        break;

      if (need_sync || self->meta_dirty)
        g_cond_wait_until (&self->cond, &self->lock, next_sync);
      else
        g_cond_wait (&self->cond, &self->lock);
    }

  self->writing = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  writer_file_close (&file);
  writer_flush_pyramid (self);
  return NULL;
}

/* Writes the metadata now when no writer runs (it does otherwise). */
gboolean
lablink_capture_save_metadata_now (LablinkCapture  *self,
                                   GError         **error)
{
  g_autofree char *meta = NULL;
  gsize length;

  g_mutex_lock (&self->lock);
  if (self->writing)
    {
      self->meta_dirty = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      return TRUE;
    }
  meta = lablink_capture_build_metadata_locked (self, self->n_written, &length);
  self->meta_dirty = FALSE;
  g_mutex_unlock (&self->lock);

  return lablink_capture_save_metadata (self->directory, meta, length, error);
}

/* ------------------------------------------------------------------------
 * Starting, stopping and flushing
 * ------------------------------------------------------------------------ */

/* Starts the writer thread (lablink_capture_start()). */
void
lablink_capture_writer_start (LablinkCapture *self)
{
  g_mutex_lock (&self->lock);
  g_clear_error (&self->write_error);
  self->writer_quit = FALSE;
  self->writing = TRUE;
  if (self->started == 0)
    self->started = g_get_real_time ();
  self->stopped = 0;
  self->meta_dirty = TRUE;
  self->writer = g_thread_new ("lablink-capture", writer_main, self);
  g_mutex_unlock (&self->lock);
}

/* Lets the writer write and sync what is queued, save the metadata and
 * quit; waits for it (lablink_capture_stop()). Returns %FALSE with @error
 * set if anything failed to reach the disk. */
gboolean
lablink_capture_writer_stop (LablinkCapture  *self,
                             GError         **error)
{
  GThread *writer;
  gboolean ok = TRUE;

  g_mutex_lock (&self->lock);
  self->stopped = g_get_real_time ();
  self->writer_quit = TRUE;
  self->meta_dirty = TRUE;
  g_cond_broadcast (&self->cond);
  writer = g_steal_pointer (&self->writer);
  g_mutex_unlock (&self->lock);

  if (writer != NULL)
    g_thread_join (writer);

  g_mutex_lock (&self->lock);
  if (self->write_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->write_error));
      ok = FALSE;
    }
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * lablink_capture_flush:
 * @self: a #LablinkCapture
 * @error: return location for a #GError
 *
 * Waits until every row accepted so far is written and synced to the disk
 * (it happens by itself at least twice a second).
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_capture_flush (LablinkCapture  *self,
                       GError         **error)
{
  guint64 serial;
  gboolean ok = TRUE;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);

  g_mutex_lock (&self->lock);
  if (self->writing)
    {
      serial = ++self->flush_requested;
      g_cond_broadcast (&self->cond);
      while (self->writing && self->flush_done < serial && self->write_error == NULL)
        g_cond_wait (&self->cond, &self->lock);
    }
  if (self->write_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->write_error));
      ok = FALSE;
    }
  g_mutex_unlock (&self->lock);
  return ok;
}
