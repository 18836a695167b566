/* lablink-capture-pyramid.c — the min/max pyramid beside a capture's chunks
 *
 * Level L (1 … LABLINK_CAPTURE_PYRAMID_MAX_LEVELS) summarizes blocks of
 * 64^L rows: per block its first timestamp and, per channel, the minimum
 * and maximum (NaN samples ignored; a block of NaN only has min > max).
 * Each level is a file `pyramid-L.bin`: a 32-byte header (magic, version,
 * level, factor, channels) and fixed-size entries
 *
 *     gint64 first time · n_channels × (double min, double max) · guint64 check
 *
 * all little-endian, the check a hash of the entry and its index, so a
 * torn, truncated, shifted or overwritten entry is found (see
 * lablink-capture-view.c, which validates and, if needed, rebuilds).
 *
 * The builder here takes encoded rows (as the chunk files hold them) and
 * appends finished entries. The writer thread feeds it every block it
 * writes, so a capture recorded from the start has its pyramid as it is
 * written; a rebuild writes `pyramid-L.bin.tmp` and renames them over the
 * old files only once all are complete and synced, so a half-built file is
 * never used. Memory: per level one partial entry and a 64 KiB buffer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>

#include "lablink-capture-private.h"
#include "lablink-error.h"

#define PYRAMID_MAGIC       "LLPYRAMD"
#define PYRAMID_VERSION     1
#define FLUSH_BYTES         (64 * 1024)

typedef struct {
  int         fd;
  char       *path;        /* what is written */
  guint64     n_entries;
  guint       count;       /* children folded into the partial entry */
  gint64      first;
  double     *mm;          /* n_channels × (min, max) */
  GByteArray *buf;
} Level;

struct _LablinkCapturePyramidBuilder
{
  char     *directory;
  guint     n_channels;
  gsize     row_size;
  gsize     entry_size;
  gboolean  temporary;
  Level     levels[LABLINK_CAPTURE_PYRAMID_MAX_LEVELS + 1];   /* [1 … MAX] */
};

char *
lablink_capture_pyramid_path (const char *directory,
                              guint       level)
{
  char name[32];

  g_snprintf (name, sizeof name, "pyramid-%u.bin", level);
  return g_build_filename (directory, name, NULL);
}

gsize
lablink_capture_pyramid_entry_size (guint n_channels)
{
  return 16 + (gsize) n_channels * 16;
}

guint64
lablink_capture_pyramid_check (const guint8 *entry,
                               gsize         entry_size,
                               guint64       index,
                               guint         level)
{
  guint64 h = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^ (index * G_GUINT64_CONSTANT (0xff51afd7ed558ccd)) ^ level;
  gsize i;

  for (i = 0; i + 8 < entry_size; i += 8)
    {
      h ^= lablink_capture_get_le64 (entry + i);
      h *= G_GUINT64_CONSTANT (0x100000001b3);
      h ^= h >> 29;
    }
  return h;
}

void
lablink_capture_pyramid_put_header (guint8 *header,
                                    guint   level,
                                    guint   n_channels)
{
  memset (header, 0, LABLINK_CAPTURE_PYRAMID_HEADER);
  memcpy (header, PYRAMID_MAGIC, 8);
  lablink_capture_put_le64 (header + 8, PYRAMID_VERSION | ((guint64) level << 32));
  lablink_capture_put_le64 (header + 16, LABLINK_CAPTURE_PYRAMID_FACTOR | ((guint64) n_channels << 32));
}

gboolean
lablink_capture_pyramid_header_ok (const guint8 *header,
                                   guint         level,
                                   guint         n_channels)
{
  guint8 expected[LABLINK_CAPTURE_PYRAMID_HEADER];

  lablink_capture_pyramid_put_header (expected, level, n_channels);
  return memcmp (header, expected, sizeof expected) == 0;
}

/* Deletes every level file (and leftovers of a rebuild). */
void
lablink_capture_pyramid_remove (const char *directory)
{
  guint level;

  for (level = 1; level <= LABLINK_CAPTURE_PYRAMID_MAX_LEVELS; level++)
    {
      g_autofree char *path = lablink_capture_pyramid_path (directory, level);
      g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);

      g_unlink (path);
      g_unlink (tmp);
    }
}

LablinkCapturePyramidBuilder *
lablink_capture_pyramid_builder_new (const char *directory,
                                     guint       n_channels,
                                     gboolean    temporary)
{
  LablinkCapturePyramidBuilder *self = g_new0 (LablinkCapturePyramidBuilder, 1);
  guint level;

  self->directory = g_strdup (directory);
  self->n_channels = n_channels;
  self->row_size = lablink_capture_row_size (n_channels);
  self->entry_size = lablink_capture_pyramid_entry_size (n_channels);
  self->temporary = temporary;
  for (level = 1; level <= LABLINK_CAPTURE_PYRAMID_MAX_LEVELS; level++)
    {
      Level *l = &self->levels[level];
      guint c;

      l->fd = -1;
      l->mm = g_new (double, 2 * (gsize) MAX (n_channels, 1));
      for (c = 0; c < n_channels; c++)
        {
          l->mm[2 * c] = INFINITY;
          l->mm[2 * c + 1] = -INFINITY;
        }
      l->buf = g_byte_array_new ();
    }
  if (!temporary)
    lablink_capture_pyramid_remove (directory);
  return self;
}

static gboolean
level_flush (LablinkCapturePyramidBuilder  *self,
             guint                          level,
             GError                       **error)
{
  Level *l = &self->levels[level];
  gboolean ok;

  if (l->buf->len == 0)
    return TRUE;
  if (l->fd < 0)
    {
      g_autofree char *final = lablink_capture_pyramid_path (self->directory, level);
      guint8 header[LABLINK_CAPTURE_PYRAMID_HEADER];

      l->path = self->temporary ? g_strconcat (final, ".tmp", NULL) : g_steal_pointer (&final);
      l->fd = g_open (l->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (l->fd < 0)
        {
          lablink_capture_set_io_error (error, errno, _("Could not create"), l->path);
          return FALSE;
        }
      lablink_capture_pyramid_put_header (header, level, self->n_channels);
      if (!lablink_capture_write_all (l->fd, header, sizeof header, l->path, error))
        return FALSE;
    }
  ok = lablink_capture_write_all (l->fd, l->buf->data, l->buf->len, l->path, error);
  g_byte_array_set_size (l->buf, 0);
  return ok;
}

/* Folds a finished entry of @level into @level + 1 and writes it out. */
static gboolean
level_emit (LablinkCapturePyramidBuilder  *self,
            guint                          level,
            GError                       **error)
{
  Level *l = &self->levels[level];
  guint len = l->buf->len;
  guint8 *p;
  guint c;

  g_byte_array_set_size (l->buf, len + (guint) self->entry_size);
  p = l->buf->data + len;
  lablink_capture_put_le64 (p, (guint64) l->first);
  for (c = 0; c < self->n_channels; c++)
    {
      lablink_capture_put_double (p + 8 + 16 * c, l->mm[2 * c]);
      lablink_capture_put_double (p + 16 + 16 * c, l->mm[2 * c + 1]);
    }
  lablink_capture_put_le64 (p + self->entry_size - 8,
                            lablink_capture_pyramid_check (p, self->entry_size, l->n_entries, level));
  l->n_entries++;

  if (level < LABLINK_CAPTURE_PYRAMID_MAX_LEVELS)
    {
      Level *up = &self->levels[level + 1];

      if (up->count == 0)
        up->first = l->first;
      for (c = 0; c < self->n_channels; c++)
        {
          up->mm[2 * c] = MIN (up->mm[2 * c], l->mm[2 * c]);
          up->mm[2 * c + 1] = MAX (up->mm[2 * c + 1], l->mm[2 * c + 1]);
        }
      if (++up->count == LABLINK_CAPTURE_PYRAMID_FACTOR && !level_emit (self, level + 1, error))
        return FALSE;
    }

  l->count = 0;
  for (c = 0; c < self->n_channels; c++)
    {
      l->mm[2 * c] = INFINITY;
      l->mm[2 * c + 1] = -INFINITY;
    }
  if (l->buf->len >= FLUSH_BYTES)
    return level_flush (self, level, error);
  return TRUE;
}

/* Takes @n_rows encoded rows (the rows after those fed before). */
gboolean
lablink_capture_pyramid_builder_feed (LablinkCapturePyramidBuilder  *self,
                                      const guint8                  *rows,
                                      gsize                          n_rows,
                                      GError                       **error)
{
  Level *l = &self->levels[1];
  gsize r;
  guint c;

  for (r = 0; r < n_rows; r++)
    {
      const guint8 *p = rows + r * self->row_size;

      if (l->count == 0)
        l->first = (gint64) lablink_capture_get_le64 (p);
      for (c = 0; c < self->n_channels; c++)
        {
          double v = lablink_capture_get_double (p + 8 + 8 * c);
          /* NaN compares false: it never becomes a min or a max. */
          if (v < l->mm[2 * c])
            l->mm[2 * c] = v;
          if (v > l->mm[2 * c + 1])
            l->mm[2 * c + 1] = v;
        }
      if (++l->count == LABLINK_CAPTURE_PYRAMID_FACTOR && !level_emit (self, 1, error))
        return FALSE;
    }
  return TRUE;
}

/* Writes out what is buffered (the writer thread calls it when it syncs). */
gboolean
lablink_capture_pyramid_builder_flush (LablinkCapturePyramidBuilder  *self,
                                       GError                       **error)
{
  guint level;

  for (level = 1; level <= LABLINK_CAPTURE_PYRAMID_MAX_LEVELS; level++)
    if (!level_flush (self, level, error))
      return FALSE;
  return TRUE;
}

/* Flushes and syncs every level; a temporary build then replaces the level
 * files (renamed after all are synced; a level it has no entry for is
 * deleted). */
gboolean
lablink_capture_pyramid_builder_finish (LablinkCapturePyramidBuilder  *self,
                                        GError                       **error)
{
  guint level;

  if (!lablink_capture_pyramid_builder_flush (self, error))
    return FALSE;
  for (level = 1; level <= LABLINK_CAPTURE_PYRAMID_MAX_LEVELS; level++)
    {
      Level *l = &self->levels[level];

      if (l->fd >= 0 && g_fsync (l->fd) != 0)
        {
          lablink_capture_set_io_error (error, errno, _("Could not sync"), l->path);
          return FALSE;
        }
    }
  if (!self->temporary)
    return TRUE;

  for (level = 1; level <= LABLINK_CAPTURE_PYRAMID_MAX_LEVELS; level++)
    {
      Level *l = &self->levels[level];
      g_autofree char *final = lablink_capture_pyramid_path (self->directory, level);

      if (l->fd < 0)
        {
          g_unlink (final);
          continue;
        }
      g_close (l->fd, NULL);
      l->fd = -1;
      if (g_rename (l->path, final) != 0)
        {
          lablink_capture_set_io_error (error, errno, _("Could not rename"), l->path);
          return FALSE;
        }
      g_clear_pointer (&l->path, g_free);
    }
  lablink_capture_fsync_directory (self->directory);
  return TRUE;
}

/* Closes the files; the temporary files of an unfinished rebuild are
 * deleted. */
void
lablink_capture_pyramid_builder_free (LablinkCapturePyramidBuilder *self)
{
  guint level;

  if (self == NULL)
    return;
  for (level = 1; level <= LABLINK_CAPTURE_PYRAMID_MAX_LEVELS; level++)
    {
      Level *l = &self->levels[level];

      if (l->fd >= 0)
        g_close (l->fd, NULL);
      if (self->temporary && l->path != NULL)
        g_unlink (l->path);
      g_free (l->path);
      g_free (l->mm);
      g_byte_array_unref (l->buf);
    }
  g_free (self->directory);
  g_free (self);
}

/* Builds the pyramid of the first @n_rows rows of a capture from its chunk
 * files, into temporary files renamed at the end. Reads at most 4 MiB at a
 * time. */
gboolean
lablink_capture_pyramid_build (const char    *directory,
                               guint          n_channels,
                               guint          chunk_rows,
                               guint64        n_rows,
                               GCancellable  *cancellable,
                               GError       **error)
{
  LablinkCapturePyramidBuilder *builder = NULL;
  gsize row_size = lablink_capture_row_size (n_channels);
  gsize per_read = MAX ((gsize) 4 * 1024 * 1024 / row_size, 1);
  g_autofree guint8 *buf = g_malloc (per_read * row_size);
  guint64 row = 0;
  gboolean ok = TRUE;
  int fd = -1;
  guint fd_chunk = G_MAXUINT;
  g_autofree char *path = NULL;

  builder = lablink_capture_pyramid_builder_new (directory, n_channels, TRUE);
  while (ok && row < n_rows)
    {
      guint chunk = (guint) (row / chunk_rows);
      guint64 in_chunk = row % chunk_rows;
      gsize n = (gsize) MIN (MIN (n_rows - row, (guint64) (chunk_rows - in_chunk)), (guint64) per_read);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (chunk != fd_chunk)
        {
          if (fd >= 0)
            g_close (fd, NULL);
          g_free (path);
          path = lablink_capture_chunk_path (directory, chunk);
          fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
          fd_chunk = chunk;
          if (fd < 0)
            {
              lablink_capture_set_io_error (error, errno, _("Could not open"), path);
              ok = FALSE;
              break;
            }
        }
      ok = lablink_capture_pread_all (fd, buf, n * row_size, (goffset) (in_chunk * row_size), path, error) &&
           lablink_capture_pyramid_builder_feed (builder, buf, n, error);
      row += n;
    }
  if (fd >= 0)
    g_close (fd, NULL);
  if (ok)
    ok = lablink_capture_pyramid_builder_finish (builder, error);
  lablink_capture_pyramid_builder_free (builder);
  return ok;
}
