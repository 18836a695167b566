/* lablink-capture-format.c — a capture's directory on disk
 *
 * A capture is a directory holding:
 *
 *  - `capture.ini`, a small GKeyFile (ids, channel names and units, times,
 *    gaps), replaced atomically (write + fsync + rename);
 *  - `chunk-000000.bin`, `chunk-000001.bin`, …: append-only rows of a fixed
 *    size, `chunk-rows` rows per file. A row is a little-endian gint64
 *    timestamp (µs since the epoch) followed by one little-endian IEEE-754
 *    double per channel (NaN for a failed read); see the row encoding in
 *    lablink-capture-private.h.
 *
 * This file writes and reads that layout: the times as text, the chunk
 * file names, the metadata, and the directory itself. The row count is
 * never trusted from the metadata: lablink_capture_load() counts whole rows
 * in the chunk files, so a torn last row (a write cut short) is ignored.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lablink-capture-private.h"
#include "lablink-error.h"

#define CHUNK_FORMAT           "chunk-%06u.bin"
#define GROUP                  "LablinkCapture"
#define GAPS_GROUP             "Gaps"
#define FORMAT_VERSION         1

/* ------------------------------------------------------------------------
 * Times
 * ------------------------------------------------------------------------ */

/* Days since 1970-01-01 → civil date (Howard Hinnant's algorithm). */
static void
civil_from_days (gint64  days,
                 gint64 *year,
                 guint  *month,
                 guint  *day)
{
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  guint doe = (guint) (z - era * 146097);
  guint yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  guint doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  guint mp = (5 * doy + 2) / 153;
  guint m = mp < 10 ? mp + 3 : mp - 9;

  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = m;
  *year = (gint64) yoe + era * 400 + (m <= 2);
}

static char *
put_digits (char   *p,
            guint64 value,
            guint   width)
{
  guint i;

  for (i = width; i > 0; i--)
    {
      p[i - 1] = (char) ('0' + value % 10);
      value /= 10;
    }
  return p + width;
}

gsize
lablink_capture_format_time_buf (gint64  unix_usec,
                                 char   *buf)
{
  gint64 secs = unix_usec / G_USEC_PER_SEC;
  gint64 usec = unix_usec % G_USEC_PER_SEC;
  gint64 days, year;
  guint month, day, sod;
  char *p = buf;

  if (usec < 0)
    {
      usec += G_USEC_PER_SEC;
      secs -= 1;
    }
  days = secs / 86400;
  if (secs % 86400 < 0)
    days -= 1;
  sod = (guint) (secs - days * 86400);
  civil_from_days (days, &year, &month, &day);

  if (year < 0)
    {
      *p++ = '-';
      year = -year;
    }
  if (year > 9999)
    p += g_snprintf (p, 12, "%" G_GINT64_FORMAT, year);
  else
    p = put_digits (p, (guint64) year, 4);
  *p++ = '-';
  p = put_digits (p, month, 2);
  *p++ = '-';
  p = put_digits (p, day, 2);
  *p++ = 'T';
  p = put_digits (p, sod / 3600, 2);
  *p++ = ':';
  p = put_digits (p, sod / 60 % 60, 2);
  *p++ = ':';
  p = put_digits (p, sod % 60, 2);
  *p++ = '.';
  p = put_digits (p, (guint64) usec, 6);
  *p++ = 'Z';
  *p = '\0';
  return (gsize) (p - buf);
}

/**
 * lablink_capture_format_time:
 * @unix_usec: microseconds since the epoch
 *
 * Formats a time as ISO-8601 UTC with microseconds and `Z`, as captures and
 * exports write them: `2026-11-25T16:14:37.638915Z`.
 *
 * Returns: (transfer full): the text
 */
char *
lablink_capture_format_time (gint64 unix_usec)
{
  char buf[LABLINK_CAPTURE_TIME_BUF_SIZE];

  lablink_capture_format_time_buf (unix_usec, buf);
  return g_strdup (buf);
}

/* ------------------------------------------------------------------------
 * Names, chunk files, the recording process
 * ------------------------------------------------------------------------ */

/* The `Source` key's value (the exports write it too). */
const char *
lablink_capture_source_to_string (LablinkCaptureSource source)
{
  switch (source)
    {
    case LABLINK_CAPTURE_SOURCE_ACQUISITION: return "acquisition";
    case LABLINK_CAPTURE_SOURCE_STREAM: return "stream";
    case LABLINK_CAPTURE_SOURCE_NONE:
    default: return "manual";
    }
}

static LablinkCaptureSource
source_from_string (const char *text)
{
  if (g_strcmp0 (text, "acquisition") == 0)
    return LABLINK_CAPTURE_SOURCE_ACQUISITION;
  if (g_strcmp0 (text, "stream") == 0)
    return LABLINK_CAPTURE_SOURCE_STREAM;
  return LABLINK_CAPTURE_SOURCE_NONE;
}

/* <directory>/chunk-NNNNNN.bin */
char *
lablink_capture_chunk_path (const char *directory,
                            guint       chunk)
{
  char name[32];

  g_snprintf (name, sizeof name, CHUNK_FORMAT, chunk);
  return g_build_filename (directory, name, NULL);
}

/* Whether the process that wrote a capture's `Pid` still runs. */
gboolean
lablink_capture_pid_alive (gint64 pid)
{
  if (pid <= 0 || pid > G_MAXINT)
    return FALSE;
  if (pid == (gint64) getpid ())
    return TRUE;
  return kill ((pid_t) pid, 0) == 0 || errno == EPERM;
}

/* ------------------------------------------------------------------------
 * Metadata
 * ------------------------------------------------------------------------ */

static void
key_file_set_optional (GKeyFile   *kf,
                       const char *key,
                       const char *value)
{
  if (value != NULL)
    g_key_file_set_string (kf, GROUP, key, value);
}

static void
key_file_set_time (GKeyFile   *kf,
                   const char *key,
                   gint64      value)
{
  char buf[LABLINK_CAPTURE_TIME_BUF_SIZE];
  g_autofree char *iso_key = g_strconcat (key, "Time", NULL);

  g_key_file_set_int64 (kf, GROUP, key, value);
  lablink_capture_format_time_buf (value, buf);
  g_key_file_set_string (kf, GROUP, iso_key, buf);
}

static void
set_int64_list (GKeyFile   *kf,
                const char *key,
                GArray     *gaps,
                gsize       offset)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  guint i;

  for (i = 0; i < gaps->len; i++)
    {
      const guint8 *gap = (const guint8 *) &g_array_index (gaps, LablinkCaptureGap, i);
      gint64 value;
      memcpy (&value, gap + offset, sizeof value);
      g_ptr_array_add (list, g_strdup_printf ("%" G_GINT64_FORMAT, value));
    }
  g_key_file_set_string_list (kf, GAPS_GROUP, key, (const char * const *) list->pdata, list->len);
}

/* Called with the lock held. */
char *
lablink_capture_build_metadata_locked (LablinkCapture *self,
                                       guint64         n_samples,
                                       gsize          *length)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree gboolean *lost = NULL;
  guint i;

  g_key_file_set_integer (kf, GROUP, "Version", FORMAT_VERSION);
  g_key_file_set_string (kf, GROUP, "Name", self->name);
  g_key_file_set_string (kf, GROUP, "Source", lablink_capture_source_to_string (self->source));
  key_file_set_optional (kf, "AcquisitionId", self->acquisition_id);
  key_file_set_optional (kf, "EquipmentId", self->equipment_id);
  key_file_set_optional (kf, "StreamKey", self->stream_key);
  key_file_set_optional (kf, "ServerUrl", self->server_url);
  g_key_file_set_string (kf, GROUP, "RowFormat", "int64le-usec,float64le*channels");
  g_key_file_set_uint64 (kf, GROUP, "ChunkRows", self->chunk_rows);
  g_key_file_set_string_list (kf, GROUP, "Channels",
                              (const char * const *) self->channels->pdata, self->channels->len);
  g_key_file_set_string_list (kf, GROUP, "Units",
                              (const char * const *) self->units->pdata, self->units->len);
  key_file_set_time (kf, "Created", self->created);
  if (self->started != 0)
    key_file_set_time (kf, "Started", self->started);
  if (self->stopped != 0)
    key_file_set_time (kf, "Stopped", self->stopped);
  g_key_file_set_uint64 (kf, GROUP, "Samples", n_samples);
  if (self->n_rows > 0)
    {
      key_file_set_time (kf, "FirstSample", self->first_time);
      key_file_set_time (kf, "LastSample", self->last_time);
    }
  if (self->n_invalid > 0)
    g_key_file_set_uint64 (kf, GROUP, "InvalidSamples", self->n_invalid);
  g_key_file_set_string (kf, GROUP, "State", self->writing ? "recording" : self->failure != NULL ? "failed" : "stopped");
  key_file_set_optional (kf, "Failure", self->failure);
  g_key_file_set_int64 (kf, GROUP, "Pid", (gint64) getpid ());

  if (self->gaps->len > 0)
    {
      set_int64_list (kf, "Start", self->gaps, G_STRUCT_OFFSET (LablinkCaptureGap, start_usec));
      set_int64_list (kf, "End", self->gaps, G_STRUCT_OFFSET (LablinkCaptureGap, end_usec));
      set_int64_list (kf, "Recovered", self->gaps, G_STRUCT_OFFSET (LablinkCaptureGap, n_recovered));
      lost = g_new (gboolean, self->gaps->len);
      for (i = 0; i < self->gaps->len; i++)
        lost[i] = g_array_index (self->gaps, LablinkCaptureGap, i).data_lost;
      g_key_file_set_boolean_list (kf, GAPS_GROUP, "DataLost", lost, self->gaps->len);
    }

  return g_key_file_to_data (kf, length, NULL);
}

gboolean
lablink_capture_save_metadata (const char  *directory,
                               const char  *data,
                               gsize        length,
                               GError     **error)
{
  g_autofree char *path = g_build_filename (directory, LABLINK_CAPTURE_METADATA_FILE, NULL);

  return g_file_set_contents_full (path, data, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

void
lablink_capture_loaded_clear (LablinkCaptureLoaded *loaded)
{
  g_clear_pointer (&loaded->failure, g_free);
  g_free (loaded->name);
  g_free (loaded->acquisition_id);
  g_free (loaded->equipment_id);
  g_free (loaded->stream_key);
  g_free (loaded->server_url);
  g_clear_pointer (&loaded->channels, g_ptr_array_unref);
  g_clear_pointer (&loaded->units, g_ptr_array_unref);
  g_clear_pointer (&loaded->gaps, g_array_unref);
}

static char *
key_file_dup_optional (GKeyFile   *kf,
                       const char *key)
{
  char *value = g_key_file_get_string (kf, GROUP, key, NULL);

  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static gint64 *
get_int64_list (GKeyFile   *kf,
                const char *key,
                gsize      *n)
{
  g_auto(GStrv) list = g_key_file_get_string_list (kf, GAPS_GROUP, key, n, NULL);
  gint64 *values;
  gsize i;

  if (list == NULL)
    {
      *n = 0;
      return NULL;
    }
  values = g_new0 (gint64, *n + 1);
  for (i = 0; i < *n; i++)
    values[i] = g_ascii_strtoll (list[i], NULL, 10);
  return values;
}

static GPtrArray *
strv_to_array (char **strv)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);
  guint i;

  for (i = 0; strv != NULL && strv[i] != NULL; i++)
    g_ptr_array_add (array, g_strdup (strv[i]));
  return array;
}

static gboolean
read_row_time (const char  *directory,
               guint        chunk_rows,
               gsize        row_size,
               guint64      row,
               gint64      *time,
               GError     **error)
{
  g_autofree char *path = lablink_capture_chunk_path (directory, (guint) (row / chunk_rows));
  guint8 buf[8];
  int fd;
  gboolean ok;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      lablink_capture_set_io_error (error, errno, _("Could not open"), path);
      return FALSE;
    }
  ok = lablink_capture_pread_all (fd, buf, sizeof buf, (goffset) ((row % chunk_rows) * row_size), path, error);
  g_close (fd, NULL);
  if (ok)
    *time = (gint64) lablink_capture_get_le64 (buf);
  return ok;
}

guint64
lablink_capture_directory_size (const char *directory)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *entry;
  guint64 total = 0;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, entry, NULL);
      GStatBuf st;

      if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode))
        total += (guint64) st.st_size;
    }
  return total;
}

/* Reads a capture directory: metadata, then the rows actually in the chunk
 * files (whole rows only: a torn last row is ignored). */
gboolean
lablink_capture_load (const char           *directory,
                      LablinkCaptureLoaded *loaded,
                      GError              **error)
{
  g_autofree char *path = g_build_filename (directory, LABLINK_CAPTURE_METADATA_FILE, NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_auto(GStrv) channels = NULL;
  g_auto(GStrv) units = NULL;
  g_autofree char *state = NULL;
  g_autofree gint64 *starts = NULL;
  g_autofree gint64 *ends = NULL;
  g_autofree gint64 *recovered = NULL;
  g_autofree gboolean *lost = NULL;
  gsize n_starts = 0, n_ends = 0, n_recovered = 0, n_lost = 0;
  g_autoptr(GError) local_error = NULL;
  gint version;
  guint64 chunk_rows;
  gsize row_size;
  guint chunk;
  gsize i;

  memset (loaded, 0, sizeof *loaded);

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local_error))
    {
      g_autofree char *display = g_filename_display_name (directory);

      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND,
                     _("“%s” is not a capture (no %s)"), display, LABLINK_CAPTURE_METADATA_FILE);
      else
        g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_IO,
                     _("Could not read the metadata of capture “%s”: %s"), display, local_error->message);
      return FALSE;
    }

  version = g_key_file_get_integer (kf, GROUP, "Version", NULL);
  chunk_rows = g_key_file_get_uint64 (kf, GROUP, "ChunkRows", NULL);
  channels = g_key_file_get_string_list (kf, GROUP, "Channels", NULL, NULL);
  units = g_key_file_get_string_list (kf, GROUP, "Units", NULL, NULL);

  if (version < 1 || version > FORMAT_VERSION || chunk_rows == 0 || chunk_rows > G_MAXUINT32 ||
      (channels != NULL && g_strv_length (channels) > LABLINK_CAPTURE_MAX_CHANNELS))
    {
      g_autofree char *display = g_filename_display_name (directory);
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                   _("Capture “%s” has invalid or unsupported metadata (version %d)"), display, version);
      return FALSE;
    }

  state = g_key_file_get_string (kf, GROUP, "Source", NULL);
  loaded->source = source_from_string (state);
  g_clear_pointer (&state, g_free);
  loaded->name = key_file_dup_optional (kf, "Name");
  if (loaded->name == NULL)
    loaded->name = g_path_get_basename (directory);
  loaded->acquisition_id = key_file_dup_optional (kf, "AcquisitionId");
  loaded->equipment_id = key_file_dup_optional (kf, "EquipmentId");
  loaded->stream_key = key_file_dup_optional (kf, "StreamKey");
  loaded->server_url = key_file_dup_optional (kf, "ServerUrl");
  loaded->channels = strv_to_array (channels);
  loaded->units = strv_to_array (units);
  while (loaded->units->len < loaded->channels->len)
    g_ptr_array_add (loaded->units, g_strdup (""));
  g_ptr_array_set_size (loaded->units, loaded->channels->len);
  loaded->chunk_rows = (guint) chunk_rows;
  loaded->created = g_key_file_get_int64 (kf, GROUP, "Created", NULL);
  loaded->started = g_key_file_get_int64 (kf, GROUP, "Started", NULL);
  loaded->stopped = g_key_file_get_int64 (kf, GROUP, "Stopped", NULL);
  state = g_key_file_get_string (kf, GROUP, "State", NULL);
  loaded->recording = g_strcmp0 (state, "recording") == 0;
  loaded->failure = key_file_dup_optional (kf, "Failure");
  loaded->pid = g_key_file_get_int64 (kf, GROUP, "Pid", NULL);
  loaded->n_invalid = g_key_file_get_uint64 (kf, GROUP, "InvalidSamples", NULL);

  loaded->gaps = g_array_new (FALSE, TRUE, sizeof (LablinkCaptureGap));
  starts = get_int64_list (kf, "Start", &n_starts);
  ends = get_int64_list (kf, "End", &n_ends);
  recovered = get_int64_list (kf, "Recovered", &n_recovered);
  lost = g_key_file_get_boolean_list (kf, GAPS_GROUP, "DataLost", &n_lost, NULL);
  for (i = 0; i < n_starts; i++)
    {
      LablinkCaptureGap gap = { starts[i], i < n_ends ? ends[i] : 0,
                                i < n_recovered ? (guint64) MAX (recovered[i], 0) : 0,
                                i < n_lost ? lost[i] : TRUE };
      g_array_append_val (loaded->gaps, gap);
    }

  /* Count the whole rows actually on disk. */
  row_size = lablink_capture_row_size (loaded->channels->len);
  if (loaded->channels->len > 0)
    {
      for (chunk = 0; ; chunk++)
        {
          g_autofree char *cpath = lablink_capture_chunk_path (directory, chunk);
          GStatBuf st;
          guint64 rows;

          if (g_stat (cpath, &st) != 0)
            break;
          rows = MIN ((guint64) st.st_size / row_size, (guint64) loaded->chunk_rows);
          loaded->n_rows += rows;
          if (rows < loaded->chunk_rows)
            break;
        }
    }
  loaded->size_bytes = lablink_capture_directory_size (directory);

  if (loaded->n_rows > 0)
    {
      if (!read_row_time (directory, loaded->chunk_rows, row_size, 0, &loaded->first_time, error) ||
          !read_row_time (directory, loaded->chunk_rows, row_size, loaded->n_rows - 1, &loaded->last_time, error))
        {
          lablink_capture_loaded_clear (loaded);
          return FALSE;
        }
    }

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Creating a capture directory
 * ------------------------------------------------------------------------ */

static char *
slug (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p;

  for (p = text; p != NULL && *p != '\0' && out->len < 40; p++)
    {
      char ch = *p;
      if (g_ascii_isalnum (ch) || ch == '-' || ch == '_' || ch == '.')
        g_string_append_c (out, ch);
      else
        g_string_append_c (out, '_');
    }
  if (out->len == 0 || out->str[0] == '.')
    g_string_prepend (out, "capture");
  return g_string_free (out, FALSE);
}

/* Creates <parent>/<YYYYmmdd-HHMMSS>-<label>[-N]/ and writes its metadata. */
gboolean
lablink_capture_create_storage (LablinkCapture  *self,
                                const char      *parent,
                                const char      *label,
                                GError         **error)
{
  g_autofree char *default_parent = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *label_slug = slug (label);
  guint attempt;

  if (parent == NULL)
    parent = default_parent = lablink_capture_get_default_directory ();

  if (g_mkdir_with_parents (parent, 0755) != 0)
    {
      lablink_capture_set_io_error (error, errno, _("Could not create the captures directory"), parent);
      return FALSE;
    }

  for (attempt = 1; ; attempt++)
    {
      g_autofree char *base = attempt == 1
        ? g_strdup_printf ("%s-%s", stamp, label_slug)
        : g_strdup_printf ("%s-%s-%u", stamp, label_slug, attempt);
      g_autofree char *path = g_build_filename (parent, base, NULL);

      if (g_mkdir (path, 0755) == 0)
        {
          self->directory = g_steal_pointer (&path);
          self->name = g_steal_pointer (&base);
          break;
        }
      if (errno != EEXIST || attempt >= 1000)
        {
          lablink_capture_set_io_error (error, errno, _("Could not create the capture directory"), path);
          return FALSE;
        }
    }

  self->created = g_get_real_time ();
  lablink_capture_fsync_directory (parent);
  return lablink_capture_save_metadata_now (self, error);
}
