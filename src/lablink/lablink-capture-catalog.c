/* lablink-capture-catalog.c — the captures on disk: listing and deleting
 *
 * The captures directory (by default `$XDG_DATA_HOME/lablink-monitor/captures`)
 * listed as #LablinkCaptureInfo, newest first, without opening each
 * capture; deleting a capture's files and directory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "lablink-capture-private.h"

G_DEFINE_BOXED_TYPE (LablinkCaptureInfo, lablink_capture_info, lablink_capture_info_copy, lablink_capture_info_free)

/* ------------------------------------------------------------------------
 * LablinkCaptureInfo
 * ------------------------------------------------------------------------ */

/**
 * lablink_capture_info_copy:
 * @info: a #LablinkCaptureInfo
 *
 * Returns: (transfer full): a deep copy of @info
 */
LablinkCaptureInfo *
lablink_capture_info_copy (const LablinkCaptureInfo *info)
{
  LablinkCaptureInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_memdup2 (info, sizeof *info);
  copy->directory = g_strdup (info->directory);
  copy->name = g_strdup (info->name);
  copy->acquisition_id = g_strdup (info->acquisition_id);
  copy->equipment_id = g_strdup (info->equipment_id);
  copy->stream_key = g_strdup (info->stream_key);
  copy->channels = g_strdupv (info->channels);
  copy->units = g_strdupv (info->units);
  return copy;
}

/**
 * lablink_capture_info_free:
 * @info: (transfer full) (nullable): a #LablinkCaptureInfo
 *
 * Frees @info.
 */
void
lablink_capture_info_free (LablinkCaptureInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->directory);
  g_free (info->name);
  g_free (info->acquisition_id);
  g_free (info->equipment_id);
  g_free (info->stream_key);
  g_strfreev (info->channels);
  g_strfreev (info->units);
  g_free (info);
}

/**
 * lablink_capture_info_get_duration:
 * @info: a #LablinkCaptureInfo
 *
 * Returns: the time from the first to the last sample, in seconds
 */
double
lablink_capture_info_get_duration (const LablinkCaptureInfo *info)
{
  g_return_val_if_fail (info != NULL, 0.0);
  if (info->n_samples < 2)
    return 0.0;
  return (double) (info->end_usec - info->start_usec) / G_USEC_PER_SEC;
}

/* ------------------------------------------------------------------------
 * Listing
 * ------------------------------------------------------------------------ */

/**
 * lablink_capture_get_default_directory:
 *
 * Where captures go unless told otherwise:
 * `$XDG_DATA_HOME/lablink-monitor/captures`.
 *
 * Returns: (transfer full): the directory
 */
char *
lablink_capture_get_default_directory (void)
{
  return g_build_filename (g_get_user_data_dir (), "lablink-monitor", "captures", NULL);
}

static gint
compare_info_newest_first (gconstpointer a,
                           gconstpointer b)
{
  const LablinkCaptureInfo *ia = *(LablinkCaptureInfo * const *) a;
  const LablinkCaptureInfo *ib = *(LablinkCaptureInfo * const *) b;

  if (ia->created_usec != ib->created_usec)
    return ia->created_usec > ib->created_usec ? -1 : 1;
  return g_strcmp0 (ia->name, ib->name);
}

/**
 * lablink_capture_list:
 * @directory: (nullable) (type filename): a captures directory; %NULL for
 *   lablink_capture_get_default_directory()
 * @error: return location for a #GError
 *
 * Lists the captures in @directory, newest first (a missing directory has
 * none). Unreadable entries are skipped.
 *
 * Returns: (transfer full) (element-type LablinkCaptureInfo): the captures
 */
GPtrArray *
lablink_capture_list (const char  *directory,
                      GError     **error)
{
  g_autofree char *default_directory = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) lablink_capture_info_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *entry;

  if (directory == NULL)
    directory = default_directory = lablink_capture_get_default_directory ();

  dir = g_dir_open (directory, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&result);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, entry, NULL);
      LablinkCaptureInfo *info;
      LablinkCaptureLoaded loaded;

      if (!g_file_test (path, G_FILE_TEST_IS_DIR) || !lablink_capture_load (path, &loaded, NULL))
        continue;

      info = g_new0 (LablinkCaptureInfo, 1);
      info->directory = g_steal_pointer (&path);
      info->name = g_strdup (entry);
      info->source = loaded.source;
      info->acquisition_id = g_steal_pointer (&loaded.acquisition_id);
      info->equipment_id = g_steal_pointer (&loaded.equipment_id);
      info->stream_key = g_steal_pointer (&loaded.stream_key);
      info->channels = lablink_capture_dup_strv (loaded.channels);
      info->units = lablink_capture_dup_strv (loaded.units);
      info->n_samples = loaded.n_rows;
      info->size_bytes = loaded.size_bytes;
      info->created_usec = loaded.created;
      info->start_usec = loaded.n_rows > 0 ? loaded.first_time : 0;
      info->end_usec = loaded.n_rows > 0 ? loaded.last_time : 0;
      info->n_gaps = loaded.gaps->len;
      info->recording = loaded.recording && lablink_capture_pid_alive (loaded.pid);
      info->interrupted = loaded.recording && !info->recording;
      g_ptr_array_add (result, info);
      lablink_capture_loaded_clear (&loaded);
    }

  g_ptr_array_sort (result, compare_info_newest_first);
  return g_steal_pointer (&result);
}

static gboolean

/* ------------------------------------------------------------------------
 * Deleting
 * ------------------------------------------------------------------------ */

is_capture_file (const char *name)
{
  guint i;

  if (strcmp (name, LABLINK_CAPTURE_METADATA_FILE) == 0)
    return TRUE;
  /* g_file_set_contents() leftovers: capture.ini.XXXXXX */
  if (g_str_has_prefix (name, LABLINK_CAPTURE_METADATA_FILE ".") && strlen (name) == strlen (LABLINK_CAPTURE_METADATA_FILE) + 7)
    return TRUE;
  /* The min/max pyramid: pyramid-L.bin, and pyramid-L.bin.tmp of a rebuild. */
  if (g_str_has_prefix (name, "pyramid-") && g_ascii_isdigit (name[8]) &&
      (strcmp (name + 9, ".bin") == 0 || strcmp (name + 9, ".bin.tmp") == 0))
    return TRUE;
  if (strlen (name) != strlen ("chunk-000000.bin") || !g_str_has_prefix (name, "chunk-") ||
      !g_str_has_suffix (name, ".bin"))
    return FALSE;
  for (i = 6; i < 12; i++)
    if (!g_ascii_isdigit (name[i]))
      return FALSE;
  return TRUE;
}

/**
 * lablink_capture_delete_directory:
 * @capture_directory: (type filename): a capture's own directory
 * @error: return location for a #GError
 *
 * Deletes a capture on disk: its metadata and chunk files, then the
 * directory (only if nothing else is left in it). Refuses a directory that
 * is not a capture, and a capture another live process is recording.
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_capture_delete_directory (const char  *capture_directory,
                                  GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  LablinkCaptureLoaded loaded;
  const char *entry;
  guint i;

  g_return_val_if_fail (capture_directory != NULL, FALSE);

  if (!lablink_capture_load (capture_directory, &loaded, error))
    return FALSE;
  if (loaded.recording && loaded.pid != (gint64) getpid () && lablink_capture_pid_alive (loaded.pid))
    {
      g_autofree char *display = g_filename_display_name (capture_directory);
      lablink_capture_loaded_clear (&loaded);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("Capture “%s” is being recorded by another process"), display);
      return FALSE;
    }
  lablink_capture_loaded_clear (&loaded);

  dir = g_dir_open (capture_directory, 0, error);
  if (dir == NULL)
    return FALSE;
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (is_capture_file (entry))
      g_ptr_array_add (names, g_strdup (entry));

  /* Metadata last: an interrupted delete still leaves a listable capture. */
  for (i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = NULL;

      if (strcmp (name, LABLINK_CAPTURE_METADATA_FILE) == 0)
        continue;
      path = g_build_filename (capture_directory, name, NULL);
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          lablink_capture_set_io_error (error, errno, _("Could not delete"), path);
          return FALSE;
        }
    }
  {
    g_autofree char *path = g_build_filename (capture_directory, LABLINK_CAPTURE_METADATA_FILE, NULL);
    if (g_unlink (path) != 0 && errno != ENOENT)
      {
        lablink_capture_set_io_error (error, errno, _("Could not delete"), path);
        return FALSE;
      }
  }
  if (g_rmdir (capture_directory) != 0)
    {
      lablink_capture_set_io_error (error, errno, _("Could not remove the directory"), capture_directory);
      return FALSE;
    }
  return TRUE;
}

/**
 * lablink_capture_delete:
 * @self: a #LablinkCapture
 * @error: return location for a #GError
 *
 * Stops recording if needed and deletes the capture's files. @self can
 * then no longer be read.
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_capture_delete (LablinkCapture  *self,
                        GError         **error)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);

  if (self->recording)
    lablink_capture_stop (self, NULL);

  if (!lablink_capture_delete_directory (self->directory, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->n_rows = self->n_written = 0;
  self->first_time = self->last_time = G_MININT64;
  g_mutex_unlock (&self->lock);
  self->read_only = TRUE;
  return TRUE;
}
