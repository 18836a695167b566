/* lablink-capture.c — recording a stream to disk, for hours, in flat memory
 *
 * A capture is a directory holding:
 *
 *  - `capture.ini`, a small GKeyFile (ids, channel names and units, times,
 *    gaps), replaced atomically (write + fsync + rename) at most twice a
 *    second while recording;
 *  - `chunk-000000.bin`, `chunk-000001.bin`, …: append-only rows of a fixed
 *    size, `chunk-rows` rows per file. A row is a little-endian gint64
 *    timestamp (µs since the epoch) followed by one little-endian IEEE-754
 *    double per channel (NaN for a failed read).
 *
 * Rows are accepted on the owner's thread (merged by timestamp: only rows
 * newer than the last stored one) and handed to a writer thread in blocks of
 * at most 1 MiB, at most 8 MiB queued (the producer waits beyond that), so
 * memory stays flat whatever the length of the capture. The writer write()s
 * each block as soon as it is queued and fdatasync()s at least every 500 ms:
 * killing the process loses nothing the writer had taken; a power cut loses
 * at most the last half second. The row count is never trusted from the
 * metadata: lablink_capture_open() counts whole rows in the chunk files, so
 * a torn last row (a write cut short) is ignored.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lablink-capture.h"
#include "lablink-capture-private.h"
#include "lablink-enums.h"
#include "lablink-error.h"
#include "lablink-message.h"
#include "lablink-protocol.h"

#define METADATA_FILE          "capture.ini"
#define CHUNK_FORMAT           "chunk-%06u.bin"
#define GROUP                  "LablinkCapture"
#define GAPS_GROUP             "Gaps"
#define FORMAT_VERSION         1
#define SYNC_INTERVAL_US       (500 * G_TIME_SPAN_MILLISECOND)
#define NOTIFY_INTERVAL_MS     100
#define MAX_BLOCK_BYTES        (1024 * 1024)
#define MAX_QUEUED_BYTES       (8 * 1024 * 1024)
#define MAX_HELD_FRAMES        256
#define REBACKFILL_INTERVAL_US (2 * G_TIME_SPAN_SECOND)
#define DEFAULT_INTERVAL_MS    100
#define DEFAULT_WINDOW         1000
#define DEFAULT_BACKFILL       10000
#define MAX_BACKFILL           1000000
#define DEFAULT_BACKFILL_TIMEOUT_MS 5000

typedef struct {
  guint8 *data;
  gsize   n_rows;
  gsize   size;
} Block;

struct _LablinkCapture
{
  GObject               parent_instance;

  /* Set at construction, then read-only (any thread). */
  char                 *directory;
  char                 *name;
  LablinkCaptureSource  source;
  char                 *acquisition_id;
  char                 *stream_key;
  char                 *stream_equipment;
  char                 *stream_type;
  char                 *server_url;
  gint64                created;
  gboolean              read_only;
  gboolean              interrupted;
  GMainContext         *context;
  LablinkStreamManager *manager;
  LablinkClient        *client;

  /* Shared with the writer thread and readers; under @lock. */
  GMutex                lock;
  GCond                 cond;
  guint                 chunk_rows;
  char                 *equipment_id;
  GPtrArray            *channels;
  GPtrArray            *units;
  guint                 n_channels;
  GArray               *gaps;
  guint64               n_rows;
  guint64               n_written;
  gint64                first_time;
  gint64                last_time;
  gint64                started;
  gint64                stopped;
  gboolean              writing;
  gboolean              meta_dirty;
  GQueue                blocks;
  gsize                 queued_bytes;
  gboolean              writer_quit;
  guint64               flush_requested;
  guint64               flush_done;
  GError               *write_error;
  GThread              *writer;

  /* The owner's thread only. */
  gboolean              recording;
  gboolean              started_stream;
  gulong                data_handler;
  gulong                state_handler;
  gboolean              was_connected;
  gint                  outage_gap;
  gint                  recovering_gap;
  GCancellable         *cancellable;
  GCancellable         *backfill_cancellable;
  GSource              *backfill_timeout_source;
  gboolean              backfill_timed_out;
  gboolean              backfill_again;
  gint64                backfill_done_time;
  GQueue                held;
  GSource              *notify_source;
  GSource              *failed_source;
  guint64               notified_n_rows;
  guint                 notified_n_gaps;
  guint                 interval_ms;
  guint                 window_samples;
  guint                 backfill_samples;
  gboolean              backfill_samples_set;
  guint                 backfill_timeout_ms;
  GArray               *scratch_times;
  GArray               *scratch_values;
};

G_DEFINE_FINAL_TYPE (LablinkCapture, lablink_capture, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (LablinkCaptureGap, lablink_capture_gap, lablink_capture_gap_copy, lablink_capture_gap_free)
G_DEFINE_BOXED_TYPE (LablinkCaptureInfo, lablink_capture_info, lablink_capture_info_copy, lablink_capture_info_free)

enum {
  PROP_0,
  PROP_DIRECTORY,
  PROP_NAME,
  PROP_SOURCE,
  PROP_ACQUISITION_ID,
  PROP_EQUIPMENT_ID,
  PROP_STREAM_KEY,
  PROP_MANAGER,
  PROP_CLIENT,
  PROP_N_SAMPLES,
  PROP_N_CHANNELS,
  PROP_N_GAPS,
  PROP_RECORDING,
  PROP_READ_ONLY,
  PROP_INTERRUPTED,
  PROP_CHUNK_ROWS,
  PROP_INTERVAL_MS,
  PROP_WINDOW_SAMPLES,
  PROP_BACKFILL_SAMPLES,
  PROP_BACKFILL_TIMEOUT_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------ */

/**
 * lablink_capture_gap_copy:
 * @gap: a #LablinkCaptureGap
 *
 * Returns: (transfer full): a copy of @gap
 */
LablinkCaptureGap *
lablink_capture_gap_copy (const LablinkCaptureGap *gap)
{
  g_return_val_if_fail (gap != NULL, NULL);
  return g_memdup2 (gap, sizeof *gap);
}

/**
 * lablink_capture_gap_free:
 * @gap: (transfer full): a #LablinkCaptureGap
 *
 * Frees @gap.
 */
void
lablink_capture_gap_free (LablinkCaptureGap *gap)
{
  g_free (gap);
}

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

static const char *
source_to_string (LablinkCaptureSource source)
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

static gsize
row_size_for (guint n_channels)
{
  return sizeof (gint64) + (gsize) n_channels * sizeof (double);
}

static char *
chunk_path (const char *directory,
            guint       chunk)
{
  char name[32];

  g_snprintf (name, sizeof name, CHUNK_FORMAT, chunk);
  return g_build_filename (directory, name, NULL);
}

static inline void
put_le64 (guint8  *p,
          guint64  v)
{
  v = GUINT64_TO_LE (v);
  memcpy (p, &v, sizeof v);
}

static inline guint64
get_le64 (const guint8 *p)
{
  guint64 v;
  memcpy (&v, p, sizeof v);
  return GUINT64_FROM_LE (v);
}

static inline void
put_double (guint8 *p,
            double  d)
{
  guint64 v;
  memcpy (&v, &d, sizeof v);
  put_le64 (p, v);
}

static inline double
get_double (const guint8 *p)
{
  guint64 v = get_le64 (p);
  double d;
  memcpy (&d, &v, sizeof d);
  return d;
}

static void
set_io_error (GError     **error,
              int          saved_errno,
              const char  *what,
              const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s “%s”: %s", what, display, g_strerror (saved_errno));
}

static gboolean
write_all (int           fd,
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
          set_io_error (error, saved_errno, _("Could not write"), path);
          return FALSE;
        }
      data += n;
      size -= (gsize) n;
    }
  return TRUE;
}

static gboolean
pread_all (int         fd,
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
          set_io_error (error, saved_errno, _("Could not read"), path);
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

static void
fsync_directory (const char *directory)
{
  int fd = g_open (directory, O_RDONLY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      g_fsync (fd);
      g_close (fd, NULL);
    }
}

static gboolean
pid_alive (gint64 pid)
{
  if (pid <= 0 || pid > G_MAXINT)
    return FALSE;
  if (pid == (gint64) getpid ())
    return TRUE;
  return kill ((pid_t) pid, 0) == 0 || errno == EPERM;
}

static const char *
guess_unit (LablinkCaptureSource  source,
            const char           *channel,
            const char           *equipment_id)
{
  static const struct { const char *prefix; const char *unit; } fields[] = {
    { "voltage", "V" }, { "vpp", "V" }, { "vmax", "V" }, { "vmin", "V" }, { "vavg", "V" },
    { "vrms", "V" }, { "vamp", "V" }, { "current", "A" }, { "power", "W" },
    { "resistance", "Ω" }, { "freq", "Hz" }, { "period", "s" }, { "time_scale", "s" },
    { "sample_rate", "Sa/s" },
  };
  guint i;

  if (source == LABLINK_CAPTURE_SOURCE_STREAM)
    {
      for (i = 0; i < G_N_ELEMENTS (fields); i++)
        if (g_str_has_prefix (channel, fields[i].prefix))
          return fields[i].unit;
      if (g_str_has_suffix (channel, "_voltage") || g_str_has_suffix (channel, "_offset"))
        return "V";
      return "";
    }

  if (source == LABLINK_CAPTURE_SOURCE_ACQUISITION)
    {
      /* Power supply channels: "CH1" or "CH1_V" (voltage), "CH1_I" (current). */
      gsize len = strlen (channel);

      if (len > 2 && channel[len - 2] == '_')
        switch (g_ascii_toupper (channel[len - 1]))
          {
          case 'V': return "V";
          case 'I': return "A";
          case 'P': return "W";
          default: break;
          }
      if (equipment_id != NULL &&
          (g_str_has_prefix (equipment_id, "ps_") || g_str_has_prefix (equipment_id, "scope_")))
        return "V";
    }

  return "";
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
static char *
build_metadata_locked (LablinkCapture *self,
                       guint64         n_samples,
                       gsize          *length)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree gboolean *lost = NULL;
  guint i;

  g_key_file_set_integer (kf, GROUP, "Version", FORMAT_VERSION);
  g_key_file_set_string (kf, GROUP, "Name", self->name);
  g_key_file_set_string (kf, GROUP, "Source", source_to_string (self->source));
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
  g_key_file_set_string (kf, GROUP, "State", self->writing ? "recording" : "stopped");
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

static gboolean
save_metadata (const char  *directory,
               const char  *data,
               gsize        length,
               GError     **error)
{
  g_autofree char *path = g_build_filename (directory, METADATA_FILE, NULL);

  return g_file_set_contents_full (path, data, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

typedef struct {
  LablinkCaptureSource  source;
  char                 *name;
  char                 *acquisition_id;
  char                 *equipment_id;
  char                 *stream_key;
  char                 *server_url;
  GPtrArray            *channels;
  GPtrArray            *units;
  guint                 chunk_rows;
  gint64                created;
  gint64                started;
  gint64                stopped;
  gboolean              recording;
  gint64                pid;
  GArray               *gaps;
  guint64               n_rows;
  guint64               size_bytes;
  gint64                first_time;
  gint64                last_time;
} Loaded;

static void
loaded_clear (Loaded *loaded)
{
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
  g_autofree char *path = chunk_path (directory, (guint) (row / chunk_rows));
  guint8 buf[8];
  int fd;
  gboolean ok;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      set_io_error (error, errno, _("Could not open"), path);
      return FALSE;
    }
  ok = pread_all (fd, buf, sizeof buf, (goffset) ((row % chunk_rows) * row_size), path, error);
  g_close (fd, NULL);
  if (ok)
    *time = (gint64) get_le64 (buf);
  return ok;
}

static guint64
directory_size (const char *directory)
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
static gboolean
load_capture (const char  *directory,
              Loaded      *loaded,
              GError     **error)
{
  g_autofree char *path = g_build_filename (directory, METADATA_FILE, NULL);
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
                     _("“%s” is not a capture (no %s)"), display, METADATA_FILE);
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
  loaded->pid = g_key_file_get_int64 (kf, GROUP, "Pid", NULL);

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
  row_size = row_size_for (loaded->channels->len);
  if (loaded->channels->len > 0)
    {
      for (chunk = 0; ; chunk++)
        {
          g_autofree char *cpath = chunk_path (directory, chunk);
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
  loaded->size_bytes = directory_size (directory);

  if (loaded->n_rows > 0)
    {
      if (!read_row_time (directory, loaded->chunk_rows, row_size, 0, &loaded->first_time, error) ||
          !read_row_time (directory, loaded->chunk_rows, row_size, loaded->n_rows - 1, &loaded->last_time, error))
        {
          loaded_clear (loaded);
          return FALSE;
        }
    }

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
  file->path = chunk_path (self->directory, chunk);
  existed = g_file_test (file->path, G_FILE_TEST_EXISTS);
  file->fd = g_open (file->path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (file->fd < 0)
    {
      set_io_error (error, errno, _("Could not open"), file->path);
      return FALSE;
    }
  /* Drop a torn tail (a write cut short), then append. */
  if (ftruncate (file->fd, size) != 0 || lseek (file->fd, size, SEEK_SET) != size)
    {
      set_io_error (error, errno, _("Could not prepare"), file->path);
      return FALSE;
    }
  if (!existed)
    fsync_directory (self->directory);
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
      if (!write_all (file->fd, block->data + done * row_size, n * row_size, file->path, error))
        return FALSE;
      file->rows_in_chunk += n;
      done += n;
    }
  return TRUE;
}

static gboolean emit_failed_cb (gpointer data);

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
              meta = build_metadata_locked (self, self->n_written, &meta_length);
              self->meta_dirty = FALSE;
            }
          g_mutex_unlock (&self->lock);

          if (file.fd >= 0 && !failed && g_fsync (file.fd) != 0)
            set_io_error (&error, errno, _("Could not sync"), file.path);
          if (meta != NULL && error == NULL && !failed)
            save_metadata (self->directory, meta, meta_length, &error);

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
          gsize row_size = row_size_for (self->n_channels);
          gboolean failed = self->write_error != NULL;
          g_autoptr(GError) error = NULL;
          gboolean ok = FALSE;

          g_mutex_unlock (&self->lock);
          /* After a failure, queued blocks are dropped so producers never block. */
          if (!failed)
            ok = writer_write_block (self, &file, block, first_row, row_size, chunk_rows, &error);
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
  return NULL;
}

/* Writes the metadata now when no writer runs (it does otherwise). */
static gboolean
save_metadata_now (LablinkCapture  *self,
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
  meta = build_metadata_locked (self, self->n_written, &length);
  self->meta_dirty = FALSE;
  g_mutex_unlock (&self->lock);

  return save_metadata (self->directory, meta, length, error);
}

/* ------------------------------------------------------------------------
 * Accepting rows (the owner's thread)
 * ------------------------------------------------------------------------ */

static gboolean
notify_cb (gpointer data)
{
  LablinkCapture *self = data;
  guint64 n_rows;
  guint n_gaps;

  g_clear_pointer (&self->notify_source, g_source_unref);

  g_mutex_lock (&self->lock);
  n_rows = self->n_rows;
  n_gaps = self->gaps->len;
  g_mutex_unlock (&self->lock);

  g_object_freeze_notify (G_OBJECT (self));
  if (n_rows != self->notified_n_rows)
    {
      self->notified_n_rows = n_rows;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SAMPLES]);
    }
  if (n_gaps != self->notified_n_gaps)
    {
      self->notified_n_gaps = n_gaps;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_GAPS]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  return G_SOURCE_REMOVE;
}

/* n-samples / n-gaps notifications, at most every NOTIFY_INTERVAL_MS. */
static void
schedule_notify (LablinkCapture *self)
{
  if (self->notify_source != NULL)
    return;
  self->notify_source = g_timeout_source_new (NOTIFY_INTERVAL_MS);
  g_source_set_callback (self->notify_source, notify_cb, self, NULL);
  g_source_attach (self->notify_source, self->context);
}

static void
cancel_notify (LablinkCapture *self)
{
  if (self->notify_source != NULL)
    {
      g_source_destroy (self->notify_source);
      g_clear_pointer (&self->notify_source, g_source_unref);
    }
}

/* Sets the channel list once (before any row). Owner's thread. */
static void
set_channels (LablinkCapture     *self,
              const char * const *names,
              guint               n_names)
{
  guint i;

  if (self->n_channels > 0 || n_names == 0 || n_names > LABLINK_CAPTURE_MAX_CHANNELS)
    return;

  g_mutex_lock (&self->lock);
  for (i = 0; i < n_names; i++)
    {
      g_ptr_array_add (self->channels, g_strdup (names[i] ? names[i] : ""));
      if (i >= self->units->len)
        g_ptr_array_add (self->units, g_strdup (guess_unit (self->source, names[i] ? names[i] : "",
                                                            self->equipment_id)));
    }
  g_ptr_array_set_size (self->units, n_names);
  self->n_channels = n_names;
  self->meta_dirty = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CHANNELS]);
}

/* Queues rows (strictly increasing times, all newer than last_time;
 * row-major values) for the writer. May wait for room in the queue. */
static gboolean
queue_rows (LablinkCapture  *self,
            gsize            n_rows,
            const gint64    *times,
            const double    *values,
            GError         **error)
{
  gsize row_size = row_size_for (self->n_channels);
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

          put_le64 (p, (guint64) times[done + r]);
          for (c = 0; c < self->n_channels; c++)
            put_double (p + 8 + c * 8, row[c]);
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
    schedule_notify (self);
  return TRUE;
}

static gint64
get_last_time (LablinkCapture *self)
{
  gint64 last;

  g_mutex_lock (&self->lock);
  last = self->n_rows > 0 ? self->last_time : G_MININT64;
  g_mutex_unlock (&self->lock);
  return last;
}

static gint
add_gap (LablinkCapture *self,
         gint64          start,
         gint64          end,
         gboolean        data_lost)
{
  LablinkCaptureGap gap = { start, end, 0, data_lost };
  gint index;

  g_mutex_lock (&self->lock);
  g_array_append_val (self->gaps, gap);
  index = (gint) self->gaps->len - 1;
  self->meta_dirty = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  schedule_notify (self);
  return index;
}

static void
update_gap (LablinkCapture *self,
            gint            index,
            gint64          end,
            guint64         add_recovered,
            gboolean        data_lost)
{
  LablinkCaptureGap *gap;

  g_mutex_lock (&self->lock);
  if (index >= 0 && (guint) index < self->gaps->len)
    {
      gap = &g_array_index (self->gaps, LablinkCaptureGap, index);
      if (end != 0)
        gap->end_usec = end;
      gap->n_recovered += add_recovered;
      gap->data_lost = gap->data_lost || data_lost;
      self->meta_dirty = TRUE;
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->lock);
}

/* A hole: rows newer than @after are appended, but the batch does not
 * overlap what is stored, so samples in between may be missing. */
static void
record_hole (LablinkCapture *self,
             gint64          last,
             gint64          first_new)
{
  if (self->recovering_gap >= 0)
    update_gap (self, self->recovering_gap, 0, 0, TRUE);
  else if (self->outage_gap >= 0)
    update_gap (self, self->outage_gap, 0, 0, TRUE);
  else
    add_gap (self, last, first_new, TRUE);
}

/* Merges a batch of samples in time order: @columns[c] holds channel c's
 * values (NULL = all NaN). Only samples newer than the last stored one are
 * appended. @complete: the batch is everything the server ever had. Returns
 * the number of rows appended. */
static guint64
merge_columns (LablinkCapture       *self,
               gsize                 n,
               const gint64         *times,
               const double * const *columns,
               gboolean              complete)
{
  gint64 last = get_last_time (self);
  g_autoptr(GError) error = NULL;
  gsize lo = 0, hi = n, i;
  gsize kept = 0;
  guint c;

  if (n == 0 || self->n_channels == 0)
    return 0;

  /* First index with time > last (windows are in time order). */
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (times[mid] > last)
        hi = mid;
      else
        lo = mid + 1;
    }
  if (lo == n)
    return 0;

  if (last != G_MININT64 && lo == 0 && !complete)
    record_hole (self, last, times[0]);

  g_array_set_size (self->scratch_times, 0);
  g_array_set_size (self->scratch_values, 0);
  for (i = lo; i < n; i++)
    {
      if (times[i] <= last)
        continue;   /* out of order: never store a sample twice */
      g_array_append_val (self->scratch_times, times[i]);
      for (c = 0; c < self->n_channels; c++)
        {
          double v = columns[c] != NULL ? columns[c][i] : NAN;
          g_array_append_val (self->scratch_values, v);
        }
      last = times[i];
      kept++;
    }

  if (!queue_rows (self, kept, (const gint64 *) (gpointer) self->scratch_times->data,
                   (const double *) (gpointer) self->scratch_values->data, &error))
    {
      g_debug ("Capture %s: rows not queued: %s", self->name, error->message);
      return 0;
    }
  return kept;
}

static gboolean
message_is_complete_history (LablinkMessage *message,
                             gsize           n)
{
  gint64 total = -1;

  return lablink_message_get_int (message, "stats.total_samples", &total) && total >= 0 &&
         (guint64) total == n;
}

static void
ensure_channels_from_message (LablinkCapture *self,
                              LablinkMessage *message)
{
  guint n = lablink_message_get_n_channels (message);
  g_autofree const char **names = NULL;
  guint i;

  if (self->n_channels > 0 || n == 0)
    return;
  names = g_new0 (const char *, n + 1);
  for (i = 0; i < n; i++)
    names[i] = lablink_message_get_channel_name (message, i);
  set_channels (self, names, n);
}

static guint64
merge_acquisition_message (LablinkCapture *self,
                           LablinkMessage *message)
{
  gsize n = 0;
  const gint64 *times = lablink_message_get_sample_times (message, &n);
  g_autofree const double **columns = NULL;
  guint c, j, n_msg;

  if (n == 0 || times == NULL)
    return 0;
  ensure_channels_from_message (self, message);
  if (self->n_channels == 0)
    return 0;

  n_msg = lablink_message_get_n_channels (message);
  columns = g_new0 (const double *, self->n_channels);
  for (c = 0; c < self->n_channels; c++)
    {
      const char *name = g_ptr_array_index (self->channels, c);

      /* Usually in the same order: try the same index first. */
      if (c < n_msg && g_strcmp0 (lablink_message_get_channel_name (message, c), name) == 0)
        columns[c] = lablink_message_get_channel_values (message, c, NULL);
      else
        for (j = 0; j < n_msg; j++)
          if (g_strcmp0 (lablink_message_get_channel_name (message, j), name) == 0)
            {
              columns[c] = lablink_message_get_channel_values (message, j, NULL);
              break;
            }
    }

  return merge_columns (self, n, times, columns, message_is_complete_history (message, n));
}

/* ------------------------------------------------------------------------
 * Backfill after an outage (acquisitions)
 * ------------------------------------------------------------------------ */

static void request_backfill (LablinkCapture *self,
                              gint            gap);

static void
release_held (LablinkCapture *self)
{
  LablinkMessage *message;

  while ((message = g_queue_pop_head (&self->held)) != NULL)
    {
      merge_acquisition_message (self, message);
      lablink_message_unref (message);
    }
}

static void
hold_message (LablinkCapture *self,
              LablinkMessage *message)
{
  g_queue_push_tail (&self->held, lablink_message_ref (message));
  if (self->held.length > MAX_HELD_FRAMES)
    {
      /* Windows overlap: the oldest held frame is mostly covered by newer ones. */
      LablinkMessage *oldest = g_queue_pop_head (&self->held);
      merge_acquisition_message (self, oldest);
      lablink_message_unref (oldest);
    }
}

static gboolean
parse_json_time (JsonNode *node,
                 gint64   *time)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      return lablink_parse_timestamp (text, strlen (text), time);
    }
  if (JSON_NODE_HOLDS_VALUE (node) &&
      (json_node_get_value_type (node) == G_TYPE_DOUBLE || json_node_get_value_type (node) == G_TYPE_INT64))
    {
      double secs = json_node_get_double (node);
      if (!isfinite (secs))
        return FALSE;
      *time = (gint64) llround (secs * G_USEC_PER_SEC);
      return TRUE;
    }
  return FALSE;
}

static double
json_number_or_nan (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      (json_node_get_value_type (node) == G_TYPE_DOUBLE || json_node_get_value_type (node) == G_TYPE_INT64))
    return json_node_get_double (node);
  return NAN;
}

/* Merges `{"data":{"timestamps":[…],"values":{"CH1":[…]}},"count":N}`. */
static gboolean
merge_backfill (LablinkCapture *self,
                JsonNode       *root,
                guint           requested,
                guint64        *n_appended)
{
  JsonObject *object, *data, *values;
  JsonArray *timestamps;
  g_autofree gint64 *times = NULL;
  g_autoptr(GPtrArray) columns = NULL;
  g_autofree const double **column_ptrs = NULL;
  guint n, i, c;

  *n_appended = 0;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);
  data = json_object_get_object_member (object, "data");
  if (data == NULL || !json_object_has_member (data, "timestamps") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (data, "timestamps")) ||
      !json_object_has_member (data, "values") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (data, "values")))
    return FALSE;
  timestamps = json_object_get_array_member (data, "timestamps");
  values = json_object_get_object_member (data, "values");
  n = json_array_get_length (timestamps);
  if (n == 0)
    return TRUE;

  times = g_new (gint64, n);
  for (i = 0; i < n; i++)
    if (!parse_json_time (json_array_get_element (timestamps, i), &times[i]))
      return FALSE;
  for (i = 1; i < n; i++)
    if (times[i] <= times[i - 1])
      return FALSE;

  if (self->n_channels == 0)
    {
      g_autoptr(GList) members = json_object_get_members (values);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      GList *l;

      for (l = members; l != NULL; l = l->next)
        g_ptr_array_add (names, l->data);
      set_channels (self, (const char * const *) names->pdata, names->len);
      if (self->n_channels == 0)
        return FALSE;
    }

  columns = g_ptr_array_new_with_free_func (g_free);
  column_ptrs = g_new0 (const double *, self->n_channels);
  for (c = 0; c < self->n_channels; c++)
    {
      const char *name = g_ptr_array_index (self->channels, c);
      JsonNode *member = json_object_get_member (values, name);
      double *column;
      JsonArray *array;

      if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
        continue;
      array = json_node_get_array (member);
      if (json_array_get_length (array) != n)
        return FALSE;
      column = g_new (double, n);
      for (i = 0; i < n; i++)
        column[i] = json_number_or_nan (json_array_get_element (array, i));
      g_ptr_array_add (columns, column);
      column_ptrs[c] = column;
    }

  *n_appended = merge_columns (self, n, times, column_ptrs, n < requested);
  return TRUE;
}

typedef struct {
  LablinkCapture *capture;
  GCancellable   *cancellable;
  guint           requested;
  gint            gap;
} BackfillData;

static void
backfill_finish (LablinkCapture *self)
{
  g_clear_object (&self->backfill_cancellable);
  if (self->backfill_timeout_source != NULL)
    {
      g_source_destroy (self->backfill_timeout_source);
      g_clear_pointer (&self->backfill_timeout_source, g_source_unref);
    }
  release_held (self);
  self->recovering_gap = -1;
  self->backfill_done_time = g_get_monotonic_time ();

  if (self->backfill_again && self->recording)
    {
      self->backfill_again = FALSE;
      request_backfill (self, self->outage_gap);
    }
}

static void
backfill_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  BackfillData *data = user_data;
  LablinkCapture *self = data->capture;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  guint64 appended = 0;

  node = lablink_client_get_acquisition_data_finish (LABLINK_CLIENT (source), result, &error);

  /* Stale (stopped, or superseded): the capture has moved on. */
  if (data->cancellable != self->backfill_cancellable)
    goto out;

  if (node == NULL || !merge_backfill (self, node, data->requested, &appended))
    {
      g_debug ("Capture %s: backfill failed: %s", self->name,
               error ? error->message : "unexpected answer");
      if (data->gap >= 0)
        update_gap (self, data->gap, 0, appended, TRUE);
    }
  else if (data->gap >= 0)
    update_gap (self, data->gap, 0, appended, FALSE);

  backfill_finish (self);

out:
  g_object_unref (data->cancellable);
  g_object_unref (data->capture);
  g_free (data);
}

static gboolean
backfill_timeout_cb (gpointer user_data)
{
  LablinkCapture *self = user_data;

  g_clear_pointer (&self->backfill_timeout_source, g_source_unref);
  if (self->backfill_cancellable != NULL)
    {
      GCancellable *cancellable = self->backfill_cancellable;

      g_debug ("Capture %s: backfill timed out", self->name);
      if (self->recovering_gap >= 0)
        update_gap (self, self->recovering_gap, 0, 0, TRUE);
      /* Detach first: the answer, when it comes, is stale. */
      self->backfill_cancellable = NULL;
      g_cancellable_cancel (cancellable);
      g_object_unref (cancellable);
      backfill_finish (self);
    }
  return G_SOURCE_REMOVE;
}

static void
request_backfill (LablinkCapture *self,
                  gint            gap)
{
  BackfillData *data;

  if (self->client == NULL || self->acquisition_id == NULL)
    {
      if (gap >= 0)
        update_gap (self, gap, 0, 0, TRUE);
      return;
    }
  if (self->backfill_cancellable != NULL)
    {
      self->backfill_again = TRUE;
      return;
    }

  data = g_new0 (BackfillData, 1);
  data->capture = g_object_ref (self);
  data->requested = self->backfill_samples;
  data->gap = gap;
  self->recovering_gap = gap;
  self->backfill_cancellable = g_cancellable_new ();
  data->cancellable = g_object_ref (self->backfill_cancellable);

  self->backfill_timeout_source = g_timeout_source_new (self->backfill_timeout_ms);
  g_source_set_callback (self->backfill_timeout_source, backfill_timeout_cb, self, NULL);
  g_source_attach (self->backfill_timeout_source, self->context);

  lablink_client_get_acquisition_data_async (self->client, self->acquisition_id, data->requested,
                                             self->backfill_cancellable, backfill_cb, data);
}

static void
cancel_backfill (LablinkCapture *self)
{
  if (self->backfill_cancellable != NULL)
    {
      g_autoptr(GCancellable) cancellable = g_steal_pointer (&self->backfill_cancellable);
      g_cancellable_cancel (cancellable);
    }
  if (self->backfill_timeout_source != NULL)
    {
      g_source_destroy (self->backfill_timeout_source);
      g_clear_pointer (&self->backfill_timeout_source, g_source_unref);
    }
  self->backfill_again = FALSE;
}

/* ------------------------------------------------------------------------
 * Signal handlers (the owner's thread)
 * ------------------------------------------------------------------------ */

static void
on_acquisition_data (LablinkStreamManager *manager,
                     LablinkMessage       *message,
                     gpointer              user_data)
{
  LablinkCapture *self = user_data;
  gsize n = 0;
  const gint64 *times = lablink_message_get_sample_times (message, &n);
  gint64 last;

  if (!self->recording || n == 0 || times == NULL)
    return;

  if (self->backfill_cancellable != NULL)
    {
      /* Keep rows in time order: wait for the backfill (bounded by its timeout). */
      hold_message (self, message);
      return;
    }

  last = get_last_time (self);
  if (last != G_MININT64 && times[0] > last && !message_is_complete_history (message, n) &&
      g_get_monotonic_time () - self->backfill_done_time >= REBACKFILL_INTERVAL_US)
    {
      /* The window does not reach back to the last stored sample: ask the
       * server for what it still holds before going on. */
      hold_message (self, message);
      request_backfill (self, self->outage_gap);
      return;
    }

  merge_acquisition_message (self, message);
}

static gboolean
is_number_node (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_DOUBLE || type == G_TYPE_INT64;
}

static void
on_stream_data (LablinkStreamManager *manager,
                LablinkMessage       *message,
                gpointer              user_data)
{
  LablinkCapture *self = user_data;
  g_autofree double *row = NULL;
  gint64 time, last;
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonObject *data;
  guint c;

  if (!self->recording)
    return;

  root = lablink_message_get_node (message);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  data = json_object_get_object_member (json_node_get_object (root), "data");
  if (data == NULL)
    return;

  if (self->n_channels == 0)
    {
      g_autoptr(GList) members = json_object_get_members (data);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      GList *l;

      for (l = members; l != NULL; l = l->next)
        if (strcmp (l->data, "timestamp") != 0 && is_number_node (json_object_get_member (data, l->data)))
          g_ptr_array_add (names, l->data);
      set_channels (self, (const char * const *) names->pdata, names->len);
      if (self->n_channels == 0)
        return;
    }

  if (!lablink_message_get_timestamp (message, "data.timestamp", &time))
    time = lablink_message_get_received_time (message);

  last = get_last_time (self);
  if (time <= last)
    return;  /* a frame seen twice (streams are broadcast) */

  row = g_new (double, self->n_channels);
  for (c = 0; c < self->n_channels; c++)
    {
      JsonNode *node = json_object_get_member (data, g_ptr_array_index (self->channels, c));
      row[c] = is_number_node (node) ? json_node_get_double (node) : NAN;
    }
  if (!queue_rows (self, 1, &time, row, &error))
    g_debug ("Capture %s: row not queued: %s", self->name, error->message);
}

static void
on_state_notify (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  LablinkCapture *self = user_data;
  gboolean connected = lablink_stream_manager_get_state (self->manager) == LABLINK_CONNECTION_CONNECTED;
  gint64 now = g_get_real_time ();

  if (!self->recording || connected == self->was_connected)
    return;
  self->was_connected = connected;

  if (!connected)
    {
      if (self->outage_gap < 0)
        self->outage_gap = add_gap (self, now, 0, FALSE);
      return;
    }

  if (self->outage_gap >= 0)
    {
      gint gap = self->outage_gap;

      self->outage_gap = -1;
      if (self->source == LABLINK_CAPTURE_SOURCE_ACQUISITION)
        {
          update_gap (self, gap, now, 0, FALSE);
          request_backfill (self, gap);
        }
      else
        update_gap (self, gap, now, 0, TRUE);  /* no history to fetch */
    }
}

static void
status_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LablinkCapture *self = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object, *config = NULL;
  const char *equipment_id = NULL;

  node = lablink_client_get_acquisition_status_finish (LABLINK_CLIENT (source), result, &error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Capture %s: no acquisition status: %s", self->name, error ? error->message : "not an object");
      goto out;
    }

  object = json_node_get_object (node);
  if (json_object_has_member (object, "config") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "config")))
    config = json_object_get_object_member (object, "config");

  if (json_object_has_member (object, "equipment_id"))
    equipment_id = json_object_get_string_member_with_default (object, "equipment_id", NULL);
  if (equipment_id == NULL && config != NULL)
    equipment_id = json_object_get_string_member_with_default (config, "equipment_id", NULL);

  if (equipment_id != NULL)
    {
      g_mutex_lock (&self->lock);
      if (self->equipment_id == NULL)
        {
          guint c;

          self->equipment_id = g_strdup (equipment_id);
          /* Units guessed before the equipment was known. */
          for (c = 0; c < self->units->len; c++)
            if (*(const char *) g_ptr_array_index (self->units, c) == '\0')
              {
                g_free (self->units->pdata[c]);
                self->units->pdata[c] = g_strdup (guess_unit (self->source, g_ptr_array_index (self->channels, c),
                                                              self->equipment_id));
              }
          self->meta_dirty = TRUE;
          g_cond_broadcast (&self->cond);
        }
      g_mutex_unlock (&self->lock);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EQUIPMENT_ID]);
    }

  if (config != NULL && !self->backfill_samples_set && json_object_has_member (config, "buffer_size"))
    {
      gint64 buffer = json_object_get_int_member_with_default (config, "buffer_size", 0);
      if (buffer > 0)
        self->backfill_samples = (guint) MIN (buffer, MAX_BACKFILL);
    }

  if (config != NULL && self->n_channels == 0 && json_object_has_member (config, "channels") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (config, "channels")))
    {
      JsonArray *array = json_object_get_array_member (config, "channels");
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      guint i;

      for (i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_ptr_array_add (names, (gpointer) json_node_get_string (element));
        }
      if (names->len == json_array_get_length (array))
        set_channels (self, (const char * const *) names->pdata, names->len);
    }

out:
  g_object_unref (self);
}

/* ------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------ */

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
      g_signal_emit (self, signals[FAILED], 0, error);
    }
  return G_SOURCE_REMOVE;
}

static void
lablink_capture_dispose (GObject *object)
{
  LablinkCapture *self = LABLINK_CAPTURE (object);

  if (self->recording)
    lablink_capture_stop (self, NULL);

  cancel_notify (self);
  g_clear_object (&self->manager);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (lablink_capture_parent_class)->dispose (object);
}

static void
lablink_capture_finalize (GObject *object)
{
  LablinkCapture *self = LABLINK_CAPTURE (object);
  LablinkMessage *message;

  while ((message = g_queue_pop_head (&self->held)) != NULL)
    lablink_message_unref (message);
  g_clear_object (&self->cancellable);
  g_free (self->directory);
  g_free (self->name);
  g_free (self->acquisition_id);
  g_free (self->stream_key);
  g_free (self->stream_equipment);
  g_free (self->stream_type);
  g_free (self->server_url);
  g_free (self->equipment_id);
  g_ptr_array_unref (self->channels);
  g_ptr_array_unref (self->units);
  g_array_unref (self->gaps);
  g_array_unref (self->scratch_times);
  g_array_unref (self->scratch_values);
  g_clear_error (&self->write_error);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (lablink_capture_parent_class)->finalize (object);
}

static void
lablink_capture_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LablinkCapture *self = LABLINK_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY: g_value_set_string (value, self->directory); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_SOURCE: g_value_set_enum (value, self->source); break;
    case PROP_ACQUISITION_ID: g_value_set_string (value, self->acquisition_id); break;
    case PROP_EQUIPMENT_ID: g_value_take_string (value, lablink_capture_dup_equipment_id (self)); break;
    case PROP_STREAM_KEY: g_value_set_string (value, self->stream_key); break;
    case PROP_MANAGER: g_value_set_object (value, self->manager); break;
    case PROP_CLIENT: g_value_set_object (value, self->client); break;
    case PROP_N_SAMPLES: g_value_set_uint64 (value, lablink_capture_get_n_samples (self)); break;
    case PROP_N_CHANNELS: g_value_set_uint (value, lablink_capture_get_n_channels (self)); break;
    case PROP_N_GAPS: g_value_set_uint (value, lablink_capture_get_n_gaps (self)); break;
    case PROP_RECORDING: g_value_set_boolean (value, self->recording); break;
    case PROP_READ_ONLY: g_value_set_boolean (value, self->read_only); break;
    case PROP_INTERRUPTED: g_value_set_boolean (value, self->interrupted); break;
    case PROP_CHUNK_ROWS: g_value_set_uint (value, self->chunk_rows); break;
    case PROP_INTERVAL_MS: g_value_set_uint (value, self->interval_ms); break;
    case PROP_WINDOW_SAMPLES: g_value_set_uint (value, self->window_samples); break;
    case PROP_BACKFILL_SAMPLES: g_value_set_uint (value, self->backfill_samples); break;
    case PROP_BACKFILL_TIMEOUT_MS: g_value_set_uint (value, self->backfill_timeout_ms); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_uint_prop (LablinkCapture *self,
               guint          *field,
               guint           value,
               guint           prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
lablink_capture_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LablinkCapture *self = LABLINK_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_CHUNK_ROWS:
      {
        guint rows = g_value_get_uint (value);
        gboolean can;

        g_mutex_lock (&self->lock);
        can = self->n_rows == 0 && !self->writing && !self->read_only;
        if (can && rows != self->chunk_rows)
          {
            self->chunk_rows = rows;
            self->meta_dirty = TRUE;
          }
        else
          can = FALSE;
        g_mutex_unlock (&self->lock);
        if (can)
          {
            save_metadata_now (self, NULL);
            g_object_notify_by_pspec (object, pspec);
          }
        else if (rows != self->chunk_rows)
          g_warning ("LablinkCapture:chunk-rows can only change before recording starts");
      }
      break;
    case PROP_INTERVAL_MS: set_uint_prop (self, &self->interval_ms, g_value_get_uint (value), prop_id); break;
    case PROP_WINDOW_SAMPLES: set_uint_prop (self, &self->window_samples, g_value_get_uint (value), prop_id); break;
    case PROP_BACKFILL_SAMPLES:
      self->backfill_samples_set = TRUE;
      set_uint_prop (self, &self->backfill_samples, g_value_get_uint (value), prop_id);
      break;
    case PROP_BACKFILL_TIMEOUT_MS: set_uint_prop (self, &self->backfill_timeout_ms, g_value_get_uint (value), prop_id); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_capture_class_init (LablinkCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lablink_capture_dispose;
  object_class->finalize = lablink_capture_finalize;
  object_class->get_property = lablink_capture_get_property;
  object_class->set_property = lablink_capture_set_property;

  /**
   * LablinkCapture:directory:
   *
   * The capture's own directory.
   */
  properties[PROP_DIRECTORY] = g_param_spec_string ("directory", NULL, NULL, NULL, ro);
  /**
   * LablinkCapture:name:
   *
   * The capture's name (its directory's base name).
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  /**
   * LablinkCapture:source:
   *
   * Where the rows come from.
   */
  properties[PROP_SOURCE] = g_param_spec_enum ("source", NULL, NULL, LABLINK_TYPE_CAPTURE_SOURCE,
                                               LABLINK_CAPTURE_SOURCE_NONE, ro);
  /**
   * LablinkCapture:acquisition-id:
   *
   * The recorded acquisition, if any.
   */
  properties[PROP_ACQUISITION_ID] = g_param_spec_string ("acquisition-id", NULL, NULL, NULL, ro);
  /**
   * LablinkCapture:equipment-id:
   *
   * The instrument, when known (for acquisitions, learnt from the server).
   */
  properties[PROP_EQUIPMENT_ID] = g_param_spec_string ("equipment-id", NULL, NULL, NULL, ro);
  /**
   * LablinkCapture:stream-key:
   *
   * The recorded equipment stream (`<equipment_id>_<stream_type>`), if any.
   */
  properties[PROP_STREAM_KEY] = g_param_spec_string ("stream-key", NULL, NULL, NULL, ro);
  /**
   * LablinkCapture:manager:
   *
   * The stream manager the rows come from, if any.
   */
  properties[PROP_MANAGER] = g_param_spec_object ("manager", NULL, NULL, LABLINK_TYPE_STREAM_MANAGER, ro);
  /**
   * LablinkCapture:client:
   *
   * The REST client used for backfill, if any.
   */
  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, LABLINK_TYPE_CLIENT, ro);
  /**
   * LablinkCapture:n-samples:
   *
   * Rows stored (or queued for the disk). Notified at most ten times a second.
   */
  properties[PROP_N_SAMPLES] = g_param_spec_uint64 ("n-samples", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  /**
   * LablinkCapture:n-channels:
   *
   * The number of channels (0 until the first data of a stream names them).
   */
  properties[PROP_N_CHANNELS] = g_param_spec_uint ("n-channels", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /**
   * LablinkCapture:n-gaps:
   *
   * The number of gaps recorded.
   */
  properties[PROP_N_GAPS] = g_param_spec_uint ("n-gaps", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /**
   * LablinkCapture:recording:
   *
   * Whether rows are being recorded.
   */
  properties[PROP_RECORDING] = g_param_spec_boolean ("recording", NULL, NULL, FALSE, ro);
  /**
   * LablinkCapture:read-only:
   *
   * The capture was opened with lablink_capture_open().
   */
  properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, FALSE, ro);
  /**
   * LablinkCapture:interrupted:
   *
   * The capture was being recorded when its process died; what was written
   * before was recovered.
   */
  properties[PROP_INTERRUPTED] = g_param_spec_boolean ("interrupted", NULL, NULL, FALSE, ro);
  /**
   * LablinkCapture:chunk-rows:
   *
   * Rows per chunk file; can change only before the first row.
   */
  properties[PROP_CHUNK_ROWS] = g_param_spec_uint ("chunk-rows", NULL, NULL, 1, G_MAXUINT32,
                                                   LABLINK_CAPTURE_DEFAULT_CHUNK_ROWS, rw);
  /**
   * LablinkCapture:interval-ms:
   *
   * The stream interval used when the capture starts the stream itself.
   */
  properties[PROP_INTERVAL_MS] = g_param_spec_uint ("interval-ms", NULL, NULL, 1, 3600000,
                                                    DEFAULT_INTERVAL_MS, rw);
  /**
   * LablinkCapture:window-samples:
   *
   * The `num_samples` of each acquisition frame when the capture starts the
   * acquisition stream itself: at least the samples of one interval, or
   * windows stop overlapping and every frame needs a backfill.
   */
  properties[PROP_WINDOW_SAMPLES] = g_param_spec_uint ("window-samples", NULL, NULL, 1, 1000000,
                                                       DEFAULT_WINDOW, rw);
  /**
   * LablinkCapture:backfill-samples:
   *
   * How many of the latest samples to fetch over REST after an outage
   * (default: the acquisition's `buffer_size`, learnt from the server).
   */
  properties[PROP_BACKFILL_SAMPLES] = g_param_spec_uint ("backfill-samples", NULL, NULL, 1, MAX_BACKFILL,
                                                         DEFAULT_BACKFILL, rw);
  /**
   * LablinkCapture:backfill-timeout-ms:
   *
   * How long stream frames are held waiting for a backfill.
   */
  properties[PROP_BACKFILL_TIMEOUT_MS] = g_param_spec_uint ("backfill-timeout-ms", NULL, NULL, 1, 600000,
                                                            DEFAULT_BACKFILL_TIMEOUT_MS, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LablinkCapture::failed:
   * @self: the capture
   * @error: what went wrong
   *
   * Writing to the disk failed; the capture has stopped recording.
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
lablink_capture_init (LablinkCapture *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->blocks);
  g_queue_init (&self->held);
  self->context = g_main_context_ref_thread_default ();
  self->channels = g_ptr_array_new_with_free_func (g_free);
  self->units = g_ptr_array_new_with_free_func (g_free);
  self->gaps = g_array_new (FALSE, TRUE, sizeof (LablinkCaptureGap));
  self->scratch_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->scratch_values = g_array_new (FALSE, FALSE, sizeof (double));
  self->chunk_rows = LABLINK_CAPTURE_DEFAULT_CHUNK_ROWS;
  self->first_time = self->last_time = G_MININT64;
  self->outage_gap = self->recovering_gap = -1;
  self->interval_ms = DEFAULT_INTERVAL_MS;
  self->window_samples = DEFAULT_WINDOW;
  self->backfill_samples = DEFAULT_BACKFILL;
  self->backfill_timeout_ms = DEFAULT_BACKFILL_TIMEOUT_MS;
  self->backfill_done_time = G_MININT64 / 2;
}

/* ------------------------------------------------------------------------
 * Construction
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
static gboolean
create_storage (LablinkCapture  *self,
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
      set_io_error (error, errno, _("Could not create the captures directory"), parent);
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
          set_io_error (error, errno, _("Could not create the capture directory"), path);
          return FALSE;
        }
    }

  self->created = g_get_real_time ();
  fsync_directory (parent);
  return save_metadata_now (self, error);
}

/**
 * lablink_capture_new:
 * @directory: (nullable) (type filename): where captures go; %NULL for
 *   lablink_capture_get_default_directory()
 * @name: (nullable): a label for the capture's directory name
 * @channels: (array zero-terminated=1): the channel names
 * @units: (array zero-terminated=1) (nullable): their units
 * @error: return location for a #GError
 *
 * A capture fed by the caller through lablink_capture_append() (a recording
 * made from any source, a benchmark, an import). Creates
 * `<directory>/<date>-<time>-<name>/`.
 *
 * Returns: (transfer full): the capture, or %NULL with @error set
 */
LablinkCapture *
lablink_capture_new (const char          *directory,
                     const char          *name,
                     const char * const  *channels,
                     const char * const  *units,
                     GError             **error)
{
  g_autoptr(LablinkCapture) self = NULL;
  guint n, i;

  g_return_val_if_fail (channels != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = g_strv_length ((char **) channels);
  if (n == 0 || n > LABLINK_CAPTURE_MAX_CHANNELS)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("A capture needs 1 to %u channels"), LABLINK_CAPTURE_MAX_CHANNELS);
      return NULL;
    }

  self = g_object_new (LABLINK_TYPE_CAPTURE, NULL);
  self->source = LABLINK_CAPTURE_SOURCE_NONE;
  for (i = 0; units != NULL && units[i] != NULL && i < n; i++)
    g_ptr_array_add (self->units, g_strdup (units[i]));
  set_channels (self, channels, n);

  if (!create_storage (self, directory, name ? name : "capture", error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * lablink_capture_new_for_acquisition:
 * @manager: the stream manager that receives the acquisition stream
 * @client: (nullable): the REST client for status and backfill (default:
 *   the manager's)
 * @acquisition_id: the acquisition to record
 * @directory: (nullable) (type filename): where captures go; %NULL for
 *   lablink_capture_get_default_directory()
 * @error: return location for a #GError
 *
 * A capture of an acquisition stream. Overlapping windows are merged by
 * timestamp; after an outage the samples the server still holds are
 * fetched over REST and inserted in order. Call lablink_capture_start().
 *
 * Returns: (transfer full): the capture, or %NULL with @error set
 */
LablinkCapture *
lablink_capture_new_for_acquisition (LablinkStreamManager  *manager,
                                     LablinkClient         *client,
                                     const char            *acquisition_id,
                                     const char            *directory,
                                     GError               **error)
{
  g_autoptr(LablinkCapture) self = NULL;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (manager), NULL);
  g_return_val_if_fail (client == NULL || LABLINK_IS_CLIENT (client), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (acquisition_id == NULL || *acquisition_id == '\0' || !g_utf8_validate (acquisition_id, -1, NULL))
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT, _("Invalid acquisition id"));
      return NULL;
    }

  self = g_object_new (LABLINK_TYPE_CAPTURE, NULL);
  self->source = LABLINK_CAPTURE_SOURCE_ACQUISITION;
  self->manager = g_object_ref (manager);
  self->client = client ? g_object_ref (client) : g_object_ref (lablink_stream_manager_get_client (manager));
  self->acquisition_id = g_strdup (acquisition_id);
  self->server_url = g_strdup (lablink_client_get_server_url (self->client));

  if (!create_storage (self, directory, acquisition_id, error))
    return NULL;
  return g_steal_pointer (&self);
}

static gboolean
split_stream_key (const char  *key,
                  char       **equipment_id,
                  char       **stream_type)
{
  static const char *types[] = { LABLINK_STREAM_READINGS, LABLINK_STREAM_WAVEFORM, LABLINK_STREAM_MEASUREMENTS };
  gsize len = strlen (key);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (types); i++)
    {
      gsize tlen = strlen (types[i]);
      if (len > tlen + 1 && g_str_has_suffix (key, types[i]) && key[len - tlen - 1] == '_')
        {
          *equipment_id = g_strndup (key, len - tlen - 1);
          *stream_type = g_strdup (types[i]);
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * lablink_capture_new_for_stream:
 * @manager: the stream manager
 * @stream_key: the equipment stream, `<equipment_id>_<stream_type>`
 *   (e.g. `ps_250e6dfe_readings`)
 * @directory: (nullable) (type filename): where captures go; %NULL for
 *   lablink_capture_get_default_directory()
 * @error: return location for a #GError
 *
 * A capture of an equipment stream: each `stream_data` frame is a row, the
 * numeric fields of its `data` (as in the first frame) are the channels,
 * `data.timestamp` (or the time of receipt) its time. Outages are recorded
 * as gaps (the server keeps no history of these streams).
 *
 * Returns: (transfer full): the capture, or %NULL with @error set
 */
LablinkCapture *
lablink_capture_new_for_stream (LablinkStreamManager  *manager,
                                const char            *stream_key,
                                const char            *directory,
                                GError               **error)
{
  g_autoptr(LablinkCapture) self = NULL;
  g_autofree char *equipment = NULL;
  g_autofree char *type = NULL;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (manager), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (stream_key == NULL || !g_utf8_validate (stream_key, -1, NULL) ||
      !split_stream_key (stream_key, &equipment, &type))
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("Invalid stream key “%s”: expected <equipment_id>_readings, _waveform or _measurements"),
                   stream_key ? stream_key : "(null)");
      return NULL;
    }

  self = g_object_new (LABLINK_TYPE_CAPTURE, NULL);
  self->source = LABLINK_CAPTURE_SOURCE_STREAM;
  self->manager = g_object_ref (manager);
  self->stream_key = g_strdup (stream_key);
  self->stream_equipment = g_steal_pointer (&equipment);
  self->stream_type = g_steal_pointer (&type);
  self->equipment_id = g_strdup (self->stream_equipment);
  self->server_url = g_strdup (lablink_client_get_server_url (lablink_stream_manager_get_client (manager)));

  if (!create_storage (self, directory, stream_key, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * lablink_capture_open:
 * @capture_directory: (type filename): a capture's own directory
 * @error: return location for a #GError
 *
 * Opens a capture for reading and export. A capture whose recording
 * process died is recovered: every whole row written before is there, a
 * torn last row is ignored (see #LablinkCapture:interrupted).
 *
 * Returns: (transfer full): the capture, or %NULL with @error set
 */
LablinkCapture *
lablink_capture_open (const char  *capture_directory,
                      GError     **error)
{
  g_autoptr(LablinkCapture) self = NULL;
  Loaded loaded;

  g_return_val_if_fail (capture_directory != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!load_capture (capture_directory, &loaded, error))
    return NULL;

  self = g_object_new (LABLINK_TYPE_CAPTURE, NULL);
  self->read_only = TRUE;
  self->directory = g_strdup (capture_directory);
  self->name = g_path_get_basename (capture_directory);
  self->source = loaded.source;
  self->acquisition_id = g_steal_pointer (&loaded.acquisition_id);
  self->equipment_id = g_steal_pointer (&loaded.equipment_id);
  self->stream_key = g_steal_pointer (&loaded.stream_key);
  self->server_url = g_steal_pointer (&loaded.server_url);
  g_ptr_array_extend_and_steal (self->channels, g_steal_pointer (&loaded.channels));
  g_ptr_array_extend_and_steal (self->units, g_steal_pointer (&loaded.units));
  self->n_channels = self->channels->len;
  self->chunk_rows = loaded.chunk_rows;
  self->created = loaded.created;
  self->started = loaded.started;
  self->stopped = loaded.stopped;
  g_array_append_vals (self->gaps, loaded.gaps->data, loaded.gaps->len);
  self->n_rows = self->n_written = loaded.n_rows;
  self->first_time = loaded.n_rows > 0 ? loaded.first_time : G_MININT64;
  self->last_time = loaded.n_rows > 0 ? loaded.last_time : G_MININT64;
  self->interrupted = loaded.recording && !pid_alive (loaded.pid);
  self->notified_n_rows = self->n_rows;
  self->notified_n_gaps = self->gaps->len;

  loaded_clear (&loaded);
  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------------
 * Recording
 * ------------------------------------------------------------------------ */

/**
 * lablink_capture_start:
 * @self: a #LablinkCapture
 * @error: return location for a #GError
 *
 * Starts recording. For an acquisition or an equipment stream, the capture
 * listens to the manager and starts the stream if nobody has (and then
 * stops it in lablink_capture_stop()); that needs a connected manager.
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_capture_start (LablinkCapture  *self,
                       GError         **error)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->recording)
    return TRUE;
  if (self->read_only)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("Capture “%s” was opened for reading: it cannot record"), self->name);
      return FALSE;
    }
  if (!g_file_test (self->directory, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND, _("Capture “%s” was deleted"), self->name);
      return FALSE;
    }

  if (self->source == LABLINK_CAPTURE_SOURCE_ACQUISITION)
    {
      g_autofree char *key = lablink_protocol_acquisition_key (self->acquisition_id);

      if (!lablink_stream_manager_is_stream_active (self->manager, key))
        {
          if (!lablink_stream_manager_start_acquisition_stream (self->manager, self->acquisition_id,
                                                                self->interval_ms, self->window_samples, error))
            return FALSE;
          self->started_stream = TRUE;
        }
    }
  else if (self->source == LABLINK_CAPTURE_SOURCE_STREAM)
    {
      if (!lablink_stream_manager_is_stream_active (self->manager, self->stream_key))
        {
          if (!lablink_stream_manager_start_equipment_stream (self->manager, self->stream_equipment,
                                                              self->stream_type, self->interval_ms, error))
            return FALSE;
          self->started_stream = TRUE;
        }
    }

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

  self->recording = TRUE;
  self->cancellable = g_cancellable_new ();

  if (self->manager != NULL)
    {
      self->was_connected = lablink_stream_manager_get_state (self->manager) == LABLINK_CONNECTION_CONNECTED;
      self->state_handler = g_signal_connect (self->manager, "notify::state", G_CALLBACK (on_state_notify), self);
      if (self->source == LABLINK_CAPTURE_SOURCE_ACQUISITION)
        {
          detail = g_strconcat ("acquisition-data::", self->acquisition_id, NULL);
          self->data_handler = g_signal_connect (self->manager, detail, G_CALLBACK (on_acquisition_data), self);
          lablink_client_get_acquisition_status_async (self->client, self->acquisition_id, self->cancellable,
                                                       status_cb, g_object_ref (self));
        }
      else
        {
          detail = g_strconcat ("stream-data::", self->stream_key, NULL);
          self->data_handler = g_signal_connect (self->manager, detail, G_CALLBACK (on_stream_data), self);
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
  return TRUE;
}

/**
 * lablink_capture_stop:
 * @self: a #LablinkCapture
 * @error: return location for a #GError
 *
 * Stops recording: what was received is written and synced, the metadata
 * saved. Waits for the disk. A stopped capture can be started again.
 *
 * Returns: %TRUE if everything recorded reached the disk
 */
gboolean
lablink_capture_stop (LablinkCapture  *self,
                      GError         **error)
{
  GThread *writer;
  gboolean ok = TRUE;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->recording)
    return TRUE;

  g_object_ref (self);

  if (self->manager != NULL)
    {
      g_clear_signal_handler (&self->data_handler, self->manager);
      g_clear_signal_handler (&self->state_handler, self->manager);
    }
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  cancel_backfill (self);
  /* Keep what was held for the backfill. */
  release_held (self);
  self->recovering_gap = -1;
  if (self->outage_gap >= 0)
    {
      update_gap (self, self->outage_gap, g_get_real_time (), 0, TRUE);
      self->outage_gap = -1;
    }

  if (self->started_stream && self->manager != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean sent;

      if (self->source == LABLINK_CAPTURE_SOURCE_ACQUISITION)
        sent = lablink_stream_manager_stop_acquisition_stream (self->manager, self->acquisition_id, &local_error);
      else
        sent = lablink_stream_manager_stop_equipment_stream (self->manager, self->stream_equipment,
                                                             self->stream_type, &local_error);
      if (!sent)
        g_debug ("Capture %s: stream not stopped: %s", self->name, local_error->message);
      self->started_stream = FALSE;
    }

  self->recording = FALSE;

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

  cancel_notify (self);
  notify_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
  g_object_unref (self);
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

/**
 * lablink_capture_append:
 * @self: a recording #LablinkCapture
 * @n_rows: the number of rows
 * @times: (array length=n_rows): their timestamps, µs since the epoch, in
 *   increasing order
 * @values: (array): @n_rows × n-channels values, row-major
 *   (`values[row * n_channels + channel]`), NaN for a missing value
 * @n_appended: (out) (optional): how many rows were appended
 * @error: return location for a #GError
 *
 * Appends rows. Rows not newer than the last stored one are skipped (the
 * store is in strictly increasing time order, without duplicates). May
 * wait briefly if the disk lags far behind. Call it on the thread that
 * created @self (like lablink_capture_start() and lablink_capture_stop());
 * reading and exporting work from any thread.
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_capture_append (LablinkCapture  *self,
                        gsize            n_rows,
                        const gint64    *times,
                        const double    *values,
                        gsize           *n_appended,
                        GError         **error)
{
  gint64 last;
  gsize i, run_start, total = 0;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (n_rows == 0 || (times != NULL && values != NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_appended)
    *n_appended = 0;
  if (!self->recording)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("Capture “%s” is not recording"), self->name);
      return FALSE;
    }
  if (self->n_channels == 0)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("Capture “%s” has no channels yet"), self->name);
      return FALSE;
    }

  last = get_last_time (self);
  i = 0;
  while (i < n_rows)
    {
      while (i < n_rows && times[i] <= last)
        i++;
      run_start = i;
      while (i < n_rows && times[i] > last)
        last = times[i++];
      if (i > run_start)
        {
          if (!queue_rows (self, i - run_start, times + run_start, values + run_start * self->n_channels, error))
            return FALSE;
          total += i - run_start;
        }
    }

  if (n_appended)
    *n_appended = total;
  return TRUE;
}

/* ------------------------------------------------------------------------
 * Accessors
 * ------------------------------------------------------------------------ */

/**
 * lablink_capture_get_directory:
 * @self: a #LablinkCapture
 *
 * Returns: (type filename): the capture's own directory
 */
const char *
lablink_capture_get_directory (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  return self->directory;
}

/**
 * lablink_capture_get_name:
 * @self: a #LablinkCapture
 *
 * Returns: the capture's name (its directory's base name)
 */
const char *
lablink_capture_get_name (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  return self->name;
}

/**
 * lablink_capture_get_source:
 * @self: a #LablinkCapture
 *
 * Returns: where the rows come from
 */
LablinkCaptureSource
lablink_capture_get_source (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), LABLINK_CAPTURE_SOURCE_NONE);
  return self->source;
}

/**
 * lablink_capture_get_acquisition_id:
 * @self: a #LablinkCapture
 *
 * Returns: (nullable): the acquisition id
 */
const char *
lablink_capture_get_acquisition_id (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  return self->acquisition_id;
}

/**
 * lablink_capture_dup_equipment_id:
 * @self: a #LablinkCapture
 *
 * The equipment id, when known (an acquisition's is learnt from the server
 * after the start). Thread-safe.
 *
 * Returns: (transfer full) (nullable): the equipment id
 */
char *
lablink_capture_dup_equipment_id (LablinkCapture *self)
{
  char *id;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  g_mutex_lock (&self->lock);
  id = g_strdup (self->equipment_id);
  g_mutex_unlock (&self->lock);
  return id;
}

/**
 * lablink_capture_get_stream_key:
 * @self: a #LablinkCapture
 *
 * Returns: (nullable): the equipment stream key
 */
const char *
lablink_capture_get_stream_key (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  return self->stream_key;
}

/**
 * lablink_capture_get_recording:
 * @self: a #LablinkCapture
 *
 * Returns: whether the capture is recording
 */
gboolean
lablink_capture_get_recording (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  return self->recording;
}

/**
 * lablink_capture_get_interrupted:
 * @self: a #LablinkCapture
 *
 * Returns: %TRUE if the capture was opened after its recording process died
 */
gboolean
lablink_capture_get_interrupted (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  return self->interrupted;
}

/**
 * lablink_capture_get_read_only:
 * @self: a #LablinkCapture
 *
 * Returns: %TRUE if opened with lablink_capture_open()
 */
gboolean
lablink_capture_get_read_only (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  return self->read_only;
}

/**
 * lablink_capture_get_n_samples:
 * @self: a #LablinkCapture
 *
 * Rows stored (or accepted and on their way to the disk). Thread-safe.
 *
 * Returns: the number of rows
 */
guint64
lablink_capture_get_n_samples (LablinkCapture *self)
{
  guint64 n;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), 0);
  g_mutex_lock (&self->lock);
  n = self->n_rows;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * lablink_capture_get_n_channels:
 * @self: a #LablinkCapture
 *
 * Returns: the number of channels (0 until a stream's first data)
 */
guint
lablink_capture_get_n_channels (LablinkCapture *self)
{
  guint n;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), 0);
  g_mutex_lock (&self->lock);
  n = self->n_channels;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * lablink_capture_get_channel_name:
 * @self: a #LablinkCapture
 * @channel: a channel index
 *
 * Returns: (nullable): the channel's name (valid as long as @self)
 */
const char *
lablink_capture_get_channel_name (LablinkCapture *self,
                                  guint           channel)
{
  const char *name = NULL;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  g_mutex_lock (&self->lock);
  if (channel < self->n_channels)
    name = g_ptr_array_index (self->channels, channel);
  g_mutex_unlock (&self->lock);
  return name;
}

static char **
dup_strv_locked (GPtrArray *array)
{
  char **strv = g_new0 (char *, array->len + 1);
  guint i;

  for (i = 0; i < array->len; i++)
    strv[i] = g_strdup (g_ptr_array_index (array, i));
  return strv;
}

/**
 * lablink_capture_dup_channel_names:
 * @self: a #LablinkCapture
 *
 * Returns: (transfer full) (array zero-terminated=1): the channel names
 */
char **
lablink_capture_dup_channel_names (LablinkCapture *self)
{
  char **strv;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  g_mutex_lock (&self->lock);
  strv = dup_strv_locked (self->channels);
  g_mutex_unlock (&self->lock);
  return strv;
}

/**
 * lablink_capture_dup_channel_units:
 * @self: a #LablinkCapture
 *
 * Returns: (transfer full) (array zero-terminated=1): the channel units
 *   ("" when unknown), one per channel
 */
char **
lablink_capture_dup_channel_units (LablinkCapture *self)
{
  char **strv;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  g_mutex_lock (&self->lock);
  strv = dup_strv_locked (self->units);
  g_mutex_unlock (&self->lock);
  return strv;
}

/**
 * lablink_capture_set_channel_unit:
 * @self: a #LablinkCapture
 * @channel: a channel index
 * @unit: (nullable): the unit (e.g. "V"); %NULL or "" for none
 * @error: return location for a #GError
 *
 * Sets a channel's unit (units are guessed from field names and the kind
 * of instrument; the server does not say). Saved in the metadata.
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_capture_set_channel_unit (LablinkCapture  *self,
                                  guint            channel,
                                  const char      *unit,
                                  GError         **error)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);

  if (unit != NULL && !g_utf8_validate (unit, -1, NULL))
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT, _("The unit is not valid UTF-8"));
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  if (channel >= self->n_channels)
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT, _("No channel %u"), channel);
      return FALSE;
    }
  g_free (self->units->pdata[channel]);
  self->units->pdata[channel] = g_strdup (unit ? unit : "");
  g_mutex_unlock (&self->lock);

  return save_metadata_now (self, error);
}

/**
 * lablink_capture_get_time_range:
 * @self: a #LablinkCapture
 * @start_usec: (out) (optional): the first sample's time
 * @end_usec: (out) (optional): the last sample's time
 *
 * Returns: %FALSE if the capture is empty
 */
gboolean
lablink_capture_get_time_range (LablinkCapture *self,
                                gint64         *start_usec,
                                gint64         *end_usec)
{
  gboolean any;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  g_mutex_lock (&self->lock);
  any = self->n_rows > 0;
  if (start_usec)
    *start_usec = any ? self->first_time : 0;
  if (end_usec)
    *end_usec = any ? self->last_time : 0;
  g_mutex_unlock (&self->lock);
  return any;
}

/**
 * lablink_capture_get_created_time:
 * @self: a #LablinkCapture
 *
 * Returns: when the capture was created, µs since the epoch
 */
gint64
lablink_capture_get_created_time (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), 0);
  return self->created;
}

/**
 * lablink_capture_get_gaps:
 * @self: a #LablinkCapture
 * @n_gaps: (out): the number of gaps
 *
 * Returns: (transfer full) (array length=n_gaps) (nullable): a copy of the
 *   gaps, oldest first
 */
LablinkCaptureGap *
lablink_capture_get_gaps (LablinkCapture *self,
                          guint          *n_gaps)
{
  LablinkCaptureGap *gaps;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  g_return_val_if_fail (n_gaps != NULL, NULL);

  g_mutex_lock (&self->lock);
  *n_gaps = self->gaps->len;
  gaps = self->gaps->len > 0 ? g_memdup2 (self->gaps->data, sizeof (LablinkCaptureGap) * self->gaps->len) : NULL;
  g_mutex_unlock (&self->lock);
  return gaps;
}

/**
 * lablink_capture_get_n_gaps:
 * @self: a #LablinkCapture
 *
 * Returns: the number of gaps
 */
guint
lablink_capture_get_n_gaps (LablinkCapture *self)
{
  guint n;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), 0);
  g_mutex_lock (&self->lock);
  n = self->gaps->len;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * lablink_capture_get_size_bytes:
 * @self: a #LablinkCapture
 *
 * Returns: the bytes the capture's files take on disk
 */
guint64
lablink_capture_get_size_bytes (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), 0);
  return directory_size (self->directory);
}

/* ------------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------------ */

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

  row_size = row_size_for (n_channels);
  row = first_row;
  while (row < end)
    {
      guint chunk = (guint) (row / chunk_rows);
      guint64 in_chunk = row % chunk_rows;
      gsize n = (gsize) MIN (end - row, chunk_rows - in_chunk);
      g_autofree char *path = chunk_path (self->directory, chunk);
      gsize i, c;
      int fd;
      gboolean ok;

      buf = g_realloc (buf, n * row_size);
      fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
      if (fd < 0)
        {
          set_io_error (error, errno, _("Could not open"), path);
          return FALSE;
        }
      ok = pread_all (fd, buf, n * row_size, (goffset) (in_chunk * row_size), path, error);
      g_close (fd, NULL);
      if (!ok)
        return FALSE;

      for (i = 0; i < n; i++)
        {
          const guint8 *p = buf + i * row_size;
          if (times)
            times[done + i] = (gint64) get_le64 (p);
          if (values)
            for (c = 0; c < n_channels; c++)
              values[(done + i) * n_channels + c] = get_double (p + 8 + c * 8);
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

/* ------------------------------------------------------------------------
 * Browsing and deleting
 * ------------------------------------------------------------------------ */

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

static char **
array_to_strv (GPtrArray *array)
{
  return dup_strv_locked (array);
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
      Loaded loaded;

      if (!g_file_test (path, G_FILE_TEST_IS_DIR) || !load_capture (path, &loaded, NULL))
        continue;

      info = g_new0 (LablinkCaptureInfo, 1);
      info->directory = g_steal_pointer (&path);
      info->name = g_strdup (entry);
      info->source = loaded.source;
      info->acquisition_id = g_steal_pointer (&loaded.acquisition_id);
      info->equipment_id = g_steal_pointer (&loaded.equipment_id);
      info->stream_key = g_steal_pointer (&loaded.stream_key);
      info->channels = array_to_strv (loaded.channels);
      info->units = array_to_strv (loaded.units);
      info->n_samples = loaded.n_rows;
      info->size_bytes = loaded.size_bytes;
      info->created_usec = loaded.created;
      info->start_usec = loaded.n_rows > 0 ? loaded.first_time : 0;
      info->end_usec = loaded.n_rows > 0 ? loaded.last_time : 0;
      info->n_gaps = loaded.gaps->len;
      info->recording = loaded.recording && pid_alive (loaded.pid);
      info->interrupted = loaded.recording && !info->recording;
      g_ptr_array_add (result, info);
      loaded_clear (&loaded);
    }

  g_ptr_array_sort (result, compare_info_newest_first);
  return g_steal_pointer (&result);
}

static gboolean
is_capture_file (const char *name)
{
  guint i;

  if (strcmp (name, METADATA_FILE) == 0)
    return TRUE;
  /* g_file_set_contents() leftovers: capture.ini.XXXXXX */
  if (g_str_has_prefix (name, METADATA_FILE ".") && strlen (name) == strlen (METADATA_FILE) + 7)
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
  Loaded loaded;
  const char *entry;
  guint i;

  g_return_val_if_fail (capture_directory != NULL, FALSE);

  if (!load_capture (capture_directory, &loaded, error))
    return FALSE;
  if (loaded.recording && loaded.pid != (gint64) getpid () && pid_alive (loaded.pid))
    {
      g_autofree char *display = g_filename_display_name (capture_directory);
      loaded_clear (&loaded);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("Capture “%s” is being recorded by another process"), display);
      return FALSE;
    }
  loaded_clear (&loaded);

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

      if (strcmp (name, METADATA_FILE) == 0)
        continue;
      path = g_build_filename (capture_directory, name, NULL);
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          set_io_error (error, errno, _("Could not delete"), path);
          return FALSE;
        }
    }
  {
    g_autofree char *path = g_build_filename (capture_directory, METADATA_FILE, NULL);
    if (g_unlink (path) != 0 && errno != ENOENT)
      {
        set_io_error (error, errno, _("Could not delete"), path);
        return FALSE;
      }
  }
  if (g_rmdir (capture_directory) != 0)
    {
      set_io_error (error, errno, _("Could not remove the directory"), capture_directory);
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
