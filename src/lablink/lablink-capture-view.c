/* lablink-capture-view.c — LablinkCaptureView: min/max columns of a time range
 *
 * A view maps the capture's pyramid files (lablink-capture-pyramid.c) and
 * checks every entry on open. A pyramid that is missing, short, corrupt or
 * longer than the rows is rebuilt (into temporary files renamed at the
 * end) — unless a live process is still recording the capture: then the
 * valid prefix is used and the rest read from the rows, exact either way.
 *
 * A query (lablink_capture_view_get_columns()) first finds, for each
 * column edge, the first row at or after it: down the levels (≤ 64 entries
 * searched per level), then within one 64-row block. The rows between two
 * edges are then summed up from the highest level whose whole blocks fit,
 * and the lower levels (down to the rows) for the ragged ends. So a query
 * reads O(columns × levels × 64) entries and O(columns) 64-row blocks
 * whatever the length of the capture, never the capture.
 *
 * Memory: the level files are mapped (clean file pages); on the heap, a
 * cache of blocks of 64 encoded rows (all channels: one read of an edge
 * serves every channel's query), 4 MiB or 16 blocks, whichever is more:
 * lablink_capture_view_get_memory_bound(). (Mapping the chunk files too
 * saved the pread() per column but faulted in whole large folios of the
 * page cache: 1.3 GB of RSS for a 1.6 GB capture.)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lablink-capture-private.h"
#include "lablink-error.h"

#define BLOCK_ROWS   LABLINK_CAPTURE_PYRAMID_FACTOR
#define CACHE_BYTES  (4 * 1024 * 1024)   /* the block cache, at most (but 16 blocks) */
#define MAX_LEVELS   LABLINK_CAPTURE_PYRAMID_MAX_LEVELS

typedef struct {
  guint64  block;      /* G_MAXUINT64: empty */
  guint8  *rows;       /* BLOCK_ROWS encoded rows, all channels */
} Slot;

typedef struct {
  guint8  *map;
  gsize    map_size;
  guint64  n_entries;
} LevelMap;

struct _LablinkCaptureView
{
  GObject         parent_instance;

  LablinkCapture *capture;
  char           *directory;
  guint           n_channels;
  guint           chunk_rows;
  gsize           row_size;
  gsize           entry_size;
  guint64         n_rows;
  gint64          first_time;
  gint64          last_time;
  gboolean        rebuilt;
  guint           n_levels;
  LevelMap        levels[MAX_LEVELS + 1];   /* [1 … n_levels] */

  /* Queries, one at a time. */
  GMutex          lock;
  Slot           *slots;
  guint           n_slots;
  guint8         *slot_rows;
  int             fd;
  guint           fd_chunk;
  char           *fd_path;
};

G_DEFINE_FINAL_TYPE (LablinkCaptureView, lablink_capture_view, G_TYPE_OBJECT)

static void
unmap_levels (LablinkCaptureView *self)
{
  guint level;

  for (level = 1; level <= MAX_LEVELS; level++)
    {
      if (self->levels[level].map != NULL)
        munmap (self->levels[level].map, self->levels[level].map_size);
      memset (&self->levels[level], 0, sizeof self->levels[level]);
    }
  self->n_levels = 0;
}

static void
lablink_capture_view_finalize (GObject *object)
{
  LablinkCaptureView *self = LABLINK_CAPTURE_VIEW (object);

  unmap_levels (self);
  if (self->fd >= 0)
    g_close (self->fd, NULL);
  g_free (self->fd_path);
  g_free (self->slots);
  g_free (self->slot_rows);
  g_free (self->directory);
  g_clear_object (&self->capture);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (lablink_capture_view_parent_class)->finalize (object);
}

static void
lablink_capture_view_class_init (LablinkCaptureViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lablink_capture_view_finalize;
}

static void
lablink_capture_view_init (LablinkCaptureView *self)
{
  g_mutex_init (&self->lock);
  self->fd = -1;
  self->fd_chunk = G_MAXUINT;
}

static guint64
level_rows (guint level)
{
  guint64 rows = 1;

  while (level-- > 0)
    rows *= BLOCK_ROWS;
  return rows;
}

/* Maps level @level and checks it; *@n_valid: the entries before the first
 * bad one. Returns %FALSE if anything in the file is wrong (a missing file
 * is not: 0 entries). */
static gboolean
map_level (LablinkCaptureView *self,
           guint               level,
           guint64            *n_valid)
{
  g_autofree char *path = lablink_capture_pyramid_path (self->directory, level);
  LevelMap *map = &self->levels[level];
  GStatBuf st;
  guint64 n, i;
  int fd;

  *n_valid = 0;
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return errno == ENOENT;
  if (fstat (fd, &st) != 0 || st.st_size < LABLINK_CAPTURE_PYRAMID_HEADER)
    {
      g_close (fd, NULL);
      return FALSE;
    }
  map->map_size = (gsize) st.st_size;
  map->map = mmap (NULL, map->map_size, PROT_READ, MAP_SHARED, fd, 0);
  g_close (fd, NULL);
  if (map->map == MAP_FAILED)
    {
      map->map = NULL;
      return FALSE;
    }
  if (!lablink_capture_pyramid_header_ok (map->map, level, self->n_channels))
    return FALSE;

  n = (map->map_size - LABLINK_CAPTURE_PYRAMID_HEADER) / self->entry_size;
  for (i = 0; i < n; i++)
    {
      const guint8 *e = map->map + LABLINK_CAPTURE_PYRAMID_HEADER + i * self->entry_size;

      if (lablink_capture_get_le64 (e + self->entry_size - 8) !=
          lablink_capture_pyramid_check (e, self->entry_size, i, level))
        break;
    }
  *n_valid = i;
  return i == n && (map->map_size - LABLINK_CAPTURE_PYRAMID_HEADER) % self->entry_size == 0;
}

/* Maps every level; returns whether the pyramid is complete and sound for
 * the rows. With @live, uses what is sound of it anyway. */
static gboolean
load_levels (LablinkCaptureView *self,
             gboolean            live)
{
  gboolean sound = TRUE;
  guint64 below = self->n_rows;
  guint level;

  unmap_levels (self);
  for (level = 1; level <= MAX_LEVELS; level++)
    {
      guint64 expected = self->n_rows / level_rows (level);
      guint64 n_valid;

      if (!map_level (self, level, &n_valid) || n_valid != expected)
        sound = FALSE;
      /* Never more than the level below holds (a lagging or torn file). */
      self->levels[level].n_entries = MIN (n_valid, below / BLOCK_ROWS);
      below = self->levels[level].n_entries;
      if (below > 0)
        self->n_levels = level;
    }
  if (!sound && !live)
    unmap_levels (self);
  return sound;
}

/* Whether a process (this one or another) is still recording the capture. */
static gboolean
capture_is_live (LablinkCapture *capture)
{
  LablinkCaptureLoaded loaded;
  gboolean live;

  if (!lablink_capture_get_read_only (capture))
    {
      g_mutex_lock (&capture->lock);
      live = capture->writing;
      g_mutex_unlock (&capture->lock);
      return live || lablink_capture_get_recording (capture);
    }
  if (!lablink_capture_load (capture->directory, &loaded, NULL))
    return FALSE;
  live = loaded.recording && lablink_capture_pid_alive (loaded.pid);
  lablink_capture_loaded_clear (&loaded);
  return live;
}

/**
 * lablink_capture_view_new:
 * @capture: a #LablinkCapture
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens a view of the rows @capture holds now. Checks the capture's
 * pyramid and, if it is missing, incomplete or corrupt (a capture written
 * before there were pyramids, or whose recording process died), builds it
 * first: that reads the whole capture once (the only time). A capture
 * another process is still recording is never rebuilt under it.
 *
 * Returns: (transfer full): the view, or %NULL with @error set
 */
LablinkCaptureView *
lablink_capture_view_new (LablinkCapture  *capture,
                          GCancellable    *cancellable,
                          GError         **error)
{
  g_autoptr(LablinkCaptureView) self = NULL;
  gboolean live;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (capture), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (LABLINK_TYPE_CAPTURE_VIEW, NULL);
  self->capture = g_object_ref (capture);
  self->directory = g_strdup (capture->directory);

  g_mutex_lock (&capture->lock);
  self->n_channels = capture->n_channels;
  self->chunk_rows = capture->chunk_rows;
  self->n_rows = capture->n_written;
  g_mutex_unlock (&capture->lock);

  self->row_size = lablink_capture_row_size (self->n_channels);
  self->entry_size = lablink_capture_pyramid_entry_size (self->n_channels);
  /* Enough blocks for the column edges of a wide plot (every channel's
   * query then reads each edge's block once), within CACHE_BYTES. */
  self->n_slots = (guint) CLAMP (CACHE_BYTES / (BLOCK_ROWS * self->row_size), 16, 8192);
  self->slots = g_new (Slot, self->n_slots);
  self->slot_rows = g_malloc ((gsize) self->n_slots * BLOCK_ROWS * self->row_size);
  for (guint i = 0; i < self->n_slots; i++)
    {
      self->slots[i].block = G_MAXUINT64;
      self->slots[i].rows = self->slot_rows + (gsize) i * BLOCK_ROWS * self->row_size;
    }

  if (self->n_channels == 0 || self->n_rows == 0)
    return g_steal_pointer (&self);

  live = capture_is_live (capture);
  if (!load_levels (self, live) && !live && self->n_rows >= BLOCK_ROWS)
    {
      g_autoptr(GError) local_error = NULL;

      g_debug ("Capture %s: building its pyramid (%" G_GUINT64_FORMAT " rows)", capture->name, self->n_rows);
      if (!lablink_capture_pyramid_build (self->directory, self->n_channels, self->chunk_rows,
                                          self->n_rows, cancellable, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_IO,
                         _("Could not build the overview of capture “%s”: %s"),
                         capture->name, local_error->message);
          return NULL;
        }
      self->rebuilt = TRUE;
      if (!load_levels (self, FALSE))
        {
          g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_IO,
                       _("The overview of capture “%s” was built but does not read back"), capture->name);
          return NULL;
        }
    }

  {
    gint64 times[1];
    if (!lablink_capture_read (capture, 0, 1, times, NULL, error))
      return NULL;
    self->first_time = times[0];
    if (!lablink_capture_read (capture, self->n_rows - 1, 1, times, NULL, error))
      return NULL;
    self->last_time = times[0];
  }
  return g_steal_pointer (&self);
}

static void
view_new_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  LablinkCaptureView *view = lablink_capture_view_new (task_data, cancellable, &error);

  if (view == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, view, g_object_unref);
}

/**
 * lablink_capture_view_new_async:
 * @capture: a #LablinkCapture
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the view is ready
 * @user_data: data for @callback
 *
 * lablink_capture_view_new() on a worker thread (a rebuild of a long
 * capture's pyramid takes seconds).
 */
void
lablink_capture_view_new_async (LablinkCapture      *capture,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LABLINK_IS_CAPTURE (capture));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_capture_view_new_async);
  g_task_set_task_data (task, g_object_ref (capture), g_object_unref);
  g_task_run_in_thread (task, view_new_thread);
}

/**
 * lablink_capture_view_new_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the view, or %NULL with @error set
 */
LablinkCaptureView *
lablink_capture_view_new_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lablink_capture_view_get_capture:
 * @self: a #LablinkCaptureView
 *
 * Returns: (transfer none): the capture
 */
LablinkCapture *
lablink_capture_view_get_capture (LablinkCaptureView *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE_VIEW (self), NULL);
  return self->capture;
}

/**
 * lablink_capture_view_get_n_samples:
 * @self: a #LablinkCaptureView
 *
 * Returns: the rows the view sees (those on disk when it was opened)
 */
guint64
lablink_capture_view_get_n_samples (LablinkCaptureView *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE_VIEW (self), 0);
  return self->n_rows;
}

/**
 * lablink_capture_view_get_time_range:
 * @self: a #LablinkCaptureView
 * @start_usec: (out) (optional): the first row's time
 * @end_usec: (out) (optional): the last row's time
 *
 * Returns: %FALSE if the view has no rows
 */
gboolean
lablink_capture_view_get_time_range (LablinkCaptureView *self,
                                     gint64             *start_usec,
                                     gint64             *end_usec)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE_VIEW (self), FALSE);
  if (start_usec)
    *start_usec = self->first_time;
  if (end_usec)
    *end_usec = self->last_time;
  return self->n_rows > 0;
}

/**
 * lablink_capture_view_get_rebuilt:
 * @self: a #LablinkCaptureView
 *
 * Returns: whether opening the view (re)built the capture's pyramid
 */
gboolean
lablink_capture_view_get_rebuilt (LablinkCaptureView *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE_VIEW (self), FALSE);
  return self->rebuilt;
}

/**
 * lablink_capture_view_get_n_levels:
 * @self: a #LablinkCaptureView
 *
 * Returns: the pyramid levels in use (level L summarizes 64^L rows)
 */
guint
lablink_capture_view_get_n_levels (LablinkCaptureView *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE_VIEW (self), 0);
  return self->n_levels;
}

/**
 * lablink_capture_view_get_memory_bound:
 * @self: a #LablinkCaptureView
 *
 * Returns: the most heap memory the view uses, in bytes, whatever the
 *   length of the capture and the queries (the pyramid files are mapped,
 *   not counted: clean pages the kernel can drop)
 */
gsize
lablink_capture_view_get_memory_bound (LablinkCaptureView *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE_VIEW (self), 0);
  return sizeof *self + self->n_slots * (sizeof (Slot) + BLOCK_ROWS * self->row_size);
}

/**
 * lablink_capture_view_get_column_start:
 * @start_usec: the range's first µs
 * @end_usec: the range's last µs (inclusive)
 * @n_columns: the number of columns
 * @column: a column, 0 … @n_columns (@n_columns gives @end_usec + 1)
 *
 * The columns of lablink_capture_view_get_columns() split
 * [@start_usec, @end_usec] evenly: column i holds the samples at times t
 * with start(i) ≤ t < start(i + 1), where start(i) = @start_usec +
 * ⌈i × (@end_usec − @start_usec + 1) / @n_columns⌉.
 *
 * Returns: the first µs of @column
 */
gint64
lablink_capture_view_get_column_start (gint64 start_usec,
                                       gint64 end_usec,
                                       guint  n_columns,
                                       guint  column)
{
  guint64 span, q, r, rem;

  g_return_val_if_fail (n_columns > 0 && end_usec >= start_usec, start_usec);

  span = (guint64) (end_usec - start_usec) + 1;
  q = span / n_columns;
  r = span % n_columns;
  rem = (guint64) column * r;
  return start_usec + (gint64) ((guint64) column * q + (rem + n_columns - 1) / n_columns);
}

/* ------------------------------------------------------------------------
 * Reading rows: 64-row blocks of one channel, cached
 * ------------------------------------------------------------------------ */

/* Rows of block @block (64 rows, all channels), read on a miss. */
static const Slot *
get_block (LablinkCaptureView  *self,
           guint64              block,
           GError             **error)
{
  Slot *slot = &self->slots[block % self->n_slots];
  guint64 row = block * BLOCK_ROWS;
  guint64 end = MIN (row + BLOCK_ROWS, self->n_rows);
  gsize done = 0;

  if (slot->block == block)
    return slot;

  slot->block = G_MAXUINT64;
  while (row < end)
    {
      guint chunk = (guint) (row / self->chunk_rows);
      guint64 in_chunk = row % self->chunk_rows;
      gsize n = (gsize) MIN (end - row, (guint64) self->chunk_rows - in_chunk);

      if (chunk != self->fd_chunk)
        {
          if (self->fd >= 0)
            g_close (self->fd, NULL);
          g_free (self->fd_path);
          self->fd_path = lablink_capture_chunk_path (self->directory, chunk);
          self->fd = g_open (self->fd_path, O_RDONLY | O_CLOEXEC, 0);
          self->fd_chunk = self->fd >= 0 ? chunk : G_MAXUINT;
          if (self->fd < 0)
            {
              lablink_capture_set_io_error (error, errno, _("Could not open"), self->fd_path);
              return NULL;
            }
        }
      if (!lablink_capture_pread_all (self->fd, slot->rows + done * self->row_size, n * self->row_size,
                                      (goffset) (in_chunk * self->row_size), self->fd_path, error))
        return NULL;
      done += n;
      row += n;
    }
  slot->block = block;
  return slot;
}

static inline gint64
slot_time (const LablinkCaptureView *self,
           const Slot               *slot,
           guint                     i)
{
  return (gint64) lablink_capture_get_le64 (slot->rows + i * self->row_size);
}

static inline double
slot_value (const LablinkCaptureView *self,
            const Slot               *slot,
            guint                     i,
            guint                     channel)
{
  return lablink_capture_get_double (slot->rows + i * self->row_size + 8 + 8 * (gsize) channel);
}

static inline gint64
entry_time (const LablinkCaptureView *self,
            guint                     level,
            guint64                   index)
{
  return (gint64) lablink_capture_get_le64 (self->levels[level].map + LABLINK_CAPTURE_PYRAMID_HEADER +
                                            index * self->entry_size);
}

/* The number of rows before @time (rows at or after it: the rest). */
static gboolean
find_row (LablinkCaptureView  *self,
          gint64               time,
          guint64             *row,
          GError             **error)
{
  guint64 lo = 0, hi = self->n_rows;   /* the answer is in [lo, hi] */
  guint level;

  for (level = self->n_levels; level >= 1; level--)
    {
      guint64 size = level_rows (level);
      guint64 e0 = (lo + size - 1) / size;
      guint64 e1 = MIN (self->levels[level].n_entries, (hi + size - 1) / size);
      guint64 a = e0, b = e1;

      if (e0 >= e1)
        continue;
      /* The first entry in [e0, e1) whose first row is at or after @time. */
      while (a < b)
        {
          guint64 mid = a + (b - a) / 2;
          if (entry_time (self, level, mid) < time)
            a = mid + 1;
          else
            b = mid;
        }
      if (a > e0)
        lo = MAX (lo, (a - 1) * size + 1);
      if (a < e1)
        hi = MIN (hi, a * size);
    }

  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;
      const Slot *slot = get_block (self, mid / BLOCK_ROWS, error);

      if (slot == NULL)
        return FALSE;
      if (slot_time (self, slot, mid % BLOCK_ROWS) < time)
        lo = mid + 1;
      else
        hi = mid;
    }
  *row = lo;
  return TRUE;
}

/* Folds entries [a, b) of @level (0: rows) into *@lo, *@hi. */
static gboolean
scan (LablinkCaptureView  *self,
      guint                channel,
      guint                level,
      guint64              a,
      guint64              b,
      double              *lo,
      double              *hi,
      GError             **error)
{
  if (level == 0)
    {
      while (a < b)
        {
          const Slot *slot = get_block (self, a / BLOCK_ROWS, error);
          guint64 end = MIN (b, (a / BLOCK_ROWS + 1) * BLOCK_ROWS);

          if (slot == NULL)
            return FALSE;
          for (; a < end; a++)
            {
              double v = slot_value (self, slot, a % BLOCK_ROWS, channel);
              if (v < *lo)
                *lo = v;
              if (v > *hi)
                *hi = v;
            }
        }
      return TRUE;
    }

  for (; a < b; a++)
    {
      const guint8 *e = self->levels[level].map + LABLINK_CAPTURE_PYRAMID_HEADER + a * self->entry_size + 8 + 16 * (gsize) channel;
      double mn = lablink_capture_get_double (e);
      double mx = lablink_capture_get_double (e + 8);

      if (mn < *lo)
        *lo = mn;
      if (mx > *hi)
        *hi = mx;
    }
  return TRUE;
}

/* Min and max of rows [a, b): whole blocks from the highest level that has
 * them, the ragged ends from the levels below. */
static gboolean
range_minmax (LablinkCaptureView  *self,
              guint                channel,
              guint                level,
              guint64              a,
              guint64              b,
              double              *lo,
              double              *hi,
              GError             **error)
{
  while (level < self->n_levels)
    {
      guint64 up_a = (a + BLOCK_ROWS - 1) / BLOCK_ROWS;
      guint64 up_b = MIN (b / BLOCK_ROWS, self->levels[level + 1].n_entries);

      if (up_a >= up_b)
        break;
      if (!scan (self, channel, level, a, up_a * BLOCK_ROWS, lo, hi, error) ||
          !scan (self, channel, level, up_b * BLOCK_ROWS, b, lo, hi, error))
        return FALSE;
      level++;
      a = up_a;
      b = up_b;
    }
  return scan (self, channel, level, a, b, lo, hi, error);
}

/**
 * lablink_capture_view_get_columns:
 * @self: a #LablinkCaptureView
 * @channel: a channel index
 * @start_usec: the range's first µs
 * @end_usec: the range's last µs (inclusive)
 * @n_columns: the number of columns (the plot's width in pixels)
 * @mins: (array length=n_columns) (out caller-allocates): per column the
 *   minimum, NaN if the column holds no sample (or only NaN)
 * @maxs: (array length=n_columns) (out caller-allocates): the maximum, NaN
 *   likewise
 * @counts: (array length=n_columns) (out caller-allocates) (nullable): the
 *   number of rows in each column
 * @error: return location for a #GError
 *
 * The exact minimum and maximum of @channel in each of @n_columns equal
 * slices of a time range (see lablink_capture_view_get_column_start()),
 * as a pass over the rows would find them (NaN samples ignored), in time
 * independent of the length of the capture. Thread-safe (queries are
 * serialized).
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_capture_view_get_columns (LablinkCaptureView  *self,
                                  guint                channel,
                                  gint64               start_usec,
                                  gint64               end_usec,
                                  guint                n_columns,
                                  double              *mins,
                                  double              *maxs,
                                  guint64             *counts,
                                  GError             **error)
{
  guint64 row;
  guint i;
  gboolean ok = TRUE;

  g_return_val_if_fail (LABLINK_IS_CAPTURE_VIEW (self), FALSE);
  g_return_val_if_fail (mins != NULL && maxs != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (channel >= self->n_channels || n_columns == 0 || end_usec < start_usec)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("Invalid range for capture “%s”: channel %u, %u columns"),
                   self->capture->name, channel, n_columns);
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  ok = find_row (self, start_usec, &row, error);
  for (i = 0; ok && i < n_columns; i++)
    {
      gint64 next = lablink_capture_view_get_column_start (start_usec, end_usec, n_columns, i + 1);
      double lo = INFINITY, hi = -INFINITY;
      guint64 next_row;

      ok = find_row (self, next, &next_row, error) &&
           range_minmax (self, channel, 0, row, next_row, &lo, &hi, error);
      if (!ok)
        break;
      if (lo > hi)
        lo = hi = NAN;
      mins[i] = lo;
      maxs[i] = hi;
      if (counts)
        counts[i] = next_row - row;
      row = next_row;
    }
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * lablink_capture_view_get_gaps:
 * @self: a #LablinkCaptureView
 * @start_usec: the range's first µs
 * @end_usec: the range's last µs (inclusive)
 * @n_gaps: (out): the number of gaps returned
 *
 * The capture's gaps that overlap [@start_usec, @end_usec] (an outage
 * still open counts as lasting to the last row).
 *
 * Returns: (array length=n_gaps) (transfer full) (nullable): the gaps,
 *   oldest first; free with g_free()
 */
LablinkCaptureGap *
lablink_capture_view_get_gaps (LablinkCaptureView *self,
                               gint64              start_usec,
                               gint64              end_usec,
                               guint              *n_gaps)
{
  g_autofree LablinkCaptureGap *all = NULL;
  GArray *out;
  guint n = 0, i;

  g_return_val_if_fail (LABLINK_IS_CAPTURE_VIEW (self), NULL);
  g_return_val_if_fail (n_gaps != NULL, NULL);

  all = lablink_capture_get_gaps (self->capture, &n);
  out = g_array_new (FALSE, FALSE, sizeof (LablinkCaptureGap));
  for (i = 0; i < n; i++)
    {
      LablinkCaptureGap gap = all[i];

      if (gap.end_usec == 0)
        gap.end_usec = MAX (self->last_time, gap.start_usec);
      if (gap.end_usec >= start_usec && gap.start_usec <= end_usec)
        g_array_append_val (out, gap);
    }
  *n_gaps = out->len;
  return (LablinkCaptureGap *) g_array_free (out, out->len == 0);
}
