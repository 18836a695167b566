/* lablink-export.c — exporting a capture to CSV, JSON or HDF5
 *
 * Exports read the capture from disk in blocks (flat memory whatever its
 * length) and write to a temporary file beside the destination
 * (`<destination>.tmpXXXXXX`), synced and renamed over the destination only
 * when complete: an interrupted, failed or cancelled export never leaves a
 * half file in place of a good one (a killed process may leave the
 * temporary file behind, never a damaged destination). Numbers are written
 * with g_ascii_formatd(): `.` decimals whatever the locale.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_HDF5
# include <hdf5.h>
#endif

#include "lablink-capture-private.h"
#include "lablink-enums.h"
#include "lablink-error.h"
#include "lablink-export.h"
#include "lablink-json-private.h"
#include "lablink-protocol.h"

#define BLOCK_ROWS          16384
#define SINK_BUFFER         (256 * 1024)
#define PROGRESS_INTERVAL   (100 * G_TIME_SPAN_MILLISECOND)
#define DOUBLE_BUF          40

/* ------------------------------------------------------------------------
 * Formats
 * ------------------------------------------------------------------------ */

/**
 * lablink_export_format_from_string:
 * @text: `csv`, `json`, `hdf5` (or `h5`), any case
 * @format: (out): the format
 *
 * Returns: %TRUE if @text names a format
 */
gboolean
lablink_export_format_from_string (const char          *text,
                                   LablinkExportFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (text, "csv") == 0)
    *format = LABLINK_EXPORT_FORMAT_CSV;
  else if (g_ascii_strcasecmp (text, "json") == 0)
    *format = LABLINK_EXPORT_FORMAT_JSON;
  else if (g_ascii_strcasecmp (text, "hdf5") == 0 || g_ascii_strcasecmp (text, "h5") == 0)
    *format = LABLINK_EXPORT_FORMAT_HDF5;
  else
    return FALSE;
  return TRUE;
}

/**
 * lablink_export_format_to_string:
 * @format: a #LablinkExportFormat
 *
 * Returns: `csv`, `json` or `hdf5`
 */
const char *
lablink_export_format_to_string (LablinkExportFormat format)
{
  switch (format)
    {
    case LABLINK_EXPORT_FORMAT_CSV: return "csv";
    case LABLINK_EXPORT_FORMAT_JSON: return "json";
    case LABLINK_EXPORT_FORMAT_HDF5: return "hdf5";
    default: return NULL;
    }
}

/**
 * lablink_export_format_get_extension:
 * @format: a #LablinkExportFormat
 *
 * Returns: the usual file name extension, without the dot (`csv`, `json`, `h5`)
 */
const char *
lablink_export_format_get_extension (LablinkExportFormat format)
{
  switch (format)
    {
    case LABLINK_EXPORT_FORMAT_CSV: return "csv";
    case LABLINK_EXPORT_FORMAT_JSON: return "json";
    case LABLINK_EXPORT_FORMAT_HDF5: return "h5";
    default: return NULL;
    }
}

/* The shortest of %.15g, %.16g, %.17g that reads back to the same double. */
static gsize
format_double (char   *buf,
               double  value)
{
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, DOUBLE_BUF, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return strlen (buf);
}

/* ------------------------------------------------------------------------
 * Progress
 * ------------------------------------------------------------------------ */

typedef struct {
  gatomicrefcount        ref;
  GMutex                 lock;
  goffset                current;
  goffset                total;
  gboolean               pending;
  GFileProgressCallback  callback;
  gpointer               data;
  GMainContext          *context;
} SharedProgress;

static SharedProgress *
shared_progress_ref (SharedProgress *p)
{
  g_atomic_ref_count_inc (&p->ref);
  return p;
}

static void
shared_progress_unref (gpointer data)
{
  SharedProgress *p = data;

  if (g_atomic_ref_count_dec (&p->ref))
    {
      g_mutex_clear (&p->lock);
      g_main_context_unref (p->context);
      g_free (p);
    }
}

static gboolean
shared_progress_dispatch (gpointer data)
{
  SharedProgress *p = data;
  goffset current, total;

  g_mutex_lock (&p->lock);
  current = p->current;
  total = p->total;
  p->pending = FALSE;
  g_mutex_unlock (&p->lock);

  p->callback (current, total, p->data);
  return G_SOURCE_REMOVE;
}

typedef struct {
  GFileProgressCallback  callback;   /* sync: called directly */
  gpointer               data;
  SharedProgress        *shared;     /* async: invoked in the caller's context */
  gint64                 last;
  goffset                total;
} Reporter;

static void
report (Reporter *r,
        goffset   current,
        gboolean  force)
{
  gint64 now;

  if (r->callback != NULL)
    {
      r->callback (current, r->total, r->data);
      return;
    }
  if (r->shared == NULL)
    return;

  now = g_get_monotonic_time ();
  if (!force && now - r->last < PROGRESS_INTERVAL)
    return;
  r->last = now;

  {
    gboolean schedule = FALSE;

    g_mutex_lock (&r->shared->lock);
    r->shared->current = current;
    r->shared->total = r->total;
    if (!r->shared->pending)
      schedule = r->shared->pending = TRUE;
    g_mutex_unlock (&r->shared->lock);

    /* Always queued on the caller's context, never run here: this is the
     * export thread (g_main_context_invoke() would run the callback at once
     * on it whenever the caller's context is free to acquire). */
    if (schedule)
      {
        GSource *source = g_idle_source_new ();

        g_source_set_priority (source, G_PRIORITY_DEFAULT);
        g_source_set_callback (source, shared_progress_dispatch,
                               shared_progress_ref (r->shared), shared_progress_unref);
        g_source_set_static_name (source, "[lablink] export progress");
        g_source_attach (source, r->shared->context);
        g_source_unref (source);
      }
  }
}

/* ------------------------------------------------------------------------
 * The output: a temporary file renamed over the destination when complete
 * ------------------------------------------------------------------------ */

typedef struct {
  int            fd;
  GOutputStream *stream;
  char          *tmp_path;
  char          *dest_path;
  GString       *buf;
  GCancellable  *cancellable;
} Sink;

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s “%s”: %s", what, display, g_strerror (saved_errno));
}

static gboolean
sink_open (Sink          *sink,
           GFile         *destination,
           gboolean       need_local,
           GCancellable  *cancellable,
           GError       **error)
{
  memset (sink, 0, sizeof *sink);
  sink->fd = -1;
  sink->cancellable = cancellable;
  sink->buf = g_string_sized_new (SINK_BUFFER + 4096);
  sink->dest_path = g_file_get_path (destination);

  if (sink->dest_path != NULL)
    {
      sink->tmp_path = g_strconcat (sink->dest_path, ".tmpXXXXXX", NULL);
      sink->fd = g_mkstemp_full (sink->tmp_path, O_RDWR | O_CLOEXEC, 0666);
      if (sink->fd < 0)
        {
          int saved_errno = errno;
          g_autofree char *dir = g_path_get_dirname (sink->dest_path);
          set_errno_error (error, saved_errno, _("Could not create a file in"), dir);
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

static gboolean
sink_flush (Sink    *sink,
            GError **error)
{
  const char *data = sink->buf->str;
  gsize size = sink->buf->len;

  if (size == 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (sink->cancellable, error))
    return FALSE;

  if (sink->fd >= 0)
    {
      while (size > 0)
        {
          gssize n = write (sink->fd, data, size);
          if (n < 0)
            {
              int saved_errno = errno;
              if (saved_errno == EINTR)
                continue;
              set_errno_error (error, saved_errno, _("Could not write"), sink->tmp_path);
              return FALSE;
            }
          data += n;
          size -= (gsize) n;
        }
    }
  else if (!g_output_stream_write_all (sink->stream, data, size, NULL, sink->cancellable, error))
    return FALSE;

  g_string_truncate (sink->buf, 0);
  return TRUE;
}

static inline gboolean
sink_maybe_flush (Sink    *sink,
                  GError **error)
{
  return sink->buf->len < SINK_BUFFER || sink_flush (sink, error);
}

static gboolean
sink_commit (Sink    *sink,
             GError **error)
{
  if (!sink_flush (sink, error))
    return FALSE;

  if (sink->tmp_path != NULL)
    {
      if (sink->fd < 0)
        sink->fd = g_open (sink->tmp_path, O_RDONLY | O_CLOEXEC, 0);
      if (sink->fd < 0 || g_fsync (sink->fd) != 0)
        {
          set_errno_error (error, errno, _("Could not sync"), sink->tmp_path);
          return FALSE;
        }
      g_close (sink->fd, NULL);
      sink->fd = -1;
      if (g_cancellable_set_error_if_cancelled (sink->cancellable, error))
        return FALSE;
      if (g_rename (sink->tmp_path, sink->dest_path) != 0)
        {
          set_errno_error (error, errno, _("Could not replace"), sink->dest_path);
          return FALSE;
        }
      g_clear_pointer (&sink->tmp_path, g_free);
      {
        g_autofree char *dir = g_path_get_dirname (sink->dest_path);
        int dfd = g_open (dir, O_RDONLY | O_CLOEXEC, 0);
        if (dfd >= 0)
          {
            g_fsync (dfd);
            g_close (dfd, NULL);
          }
      }
      return TRUE;
    }

  if (!g_output_stream_close (sink->stream, sink->cancellable, error))
    return FALSE;
  g_clear_object (&sink->stream);
  return TRUE;
}

/* Drops the temporary file; the destination is untouched. */
static void
sink_clear (Sink *sink)
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

/* ------------------------------------------------------------------------
 * The job
 * ------------------------------------------------------------------------ */

typedef struct {
  LablinkCapture      *capture;
  LablinkExportFormat  format;
  GFile               *destination;
  gint64               from;
  gint64               to;
  Reporter             reporter;

  /* Filled in by job_prepare(). */
  guint64              first_row;
  guint64              end_row;
  guint                n_channels;
  char               **channels;
  char               **units;
  char                *equipment_id;
  gint64              *times;
  double              *values;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->capture);
  g_clear_object (&job->destination);
  g_strfreev (job->channels);
  g_strfreev (job->units);
  g_free (job->equipment_id);
  g_free (job->times);
  g_free (job->values);
  if (job->reporter.shared != NULL)
    shared_progress_unref (job->reporter.shared);
  g_free (job);
}

static gboolean
job_prepare (Job     *job,
             GError **error)
{
  LablinkCapture *capture = job->capture;
  guint64 n = lablink_capture_get_n_samples (capture);

  if (job->from > job->to)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("The export range ends before it starts"));
      return FALSE;
    }

  job->channels = lablink_capture_dup_channel_names (capture);
  job->units = lablink_capture_dup_channel_units (capture);
  job->n_channels = g_strv_length (job->channels);
  job->equipment_id = lablink_capture_dup_equipment_id (capture);

  job->first_row = 0;
  job->end_row = n;
  if (job->from != G_MININT64)
    {
      job->first_row = lablink_capture_find_row (capture, job->from, error);
      if (job->first_row == G_MAXUINT64)
        return FALSE;
    }
  if (job->to != G_MAXINT64)
    {
      job->end_row = lablink_capture_find_row (capture, job->to + 1, error);
      if (job->end_row == G_MAXUINT64)
        return FALSE;
    }
  job->end_row = MIN (job->end_row, n);
  job->first_row = MIN (job->first_row, job->end_row);

  job->times = g_new (gint64, BLOCK_ROWS);
  job->values = g_new (double, (gsize) BLOCK_ROWS * MAX (job->n_channels, 1));
  return TRUE;
}

static guint64
job_rows (Job *job)
{
  return job->end_row - job->first_row;
}

/* Reads block @row (absolute); returns the rows read, or 0 with @error set. */
static gsize
job_read (Job           *job,
          guint64        row,
          GCancellable  *cancellable,
          GError       **error)
{
  gsize n = (gsize) MIN ((guint64) BLOCK_ROWS, job->end_row - row);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return 0;
  if (!lablink_capture_read (job->capture, row, n, job->times, job->n_channels ? job->values : NULL, error))
    return 0;
  return n;
}

static gint64
job_first_time (Job     *job,
                GError **error)
{
  gint64 t0 = 0;

  if (job_rows (job) > 0 && !lablink_capture_read (job->capture, job->first_row, 1, &t0, NULL, error))
    return G_MININT64;
  return t0;
}

static void
append_relative (GString *out,
                 gint64   delta)
{
  char buf[48];
  gint64 abs_delta = delta < 0 ? -delta : delta;

  g_snprintf (buf, sizeof buf, "%s%" G_GINT64_FORMAT ".%06d", delta < 0 ? "-" : "",
              abs_delta / G_USEC_PER_SEC, (int) (abs_delta % G_USEC_PER_SEC));
  g_string_append (out, buf);
}

/* ------------------------------------------------------------------------
 * CSV
 * ------------------------------------------------------------------------ */

static void
csv_append_field (GString    *out,
                  const char *text)
{
  const char *p;

  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_append_number (GString *out,
                   double   value)
{
  char buf[DOUBLE_BUF];

  if (isnan (value))
    return;   /* an empty field */
  if (isinf (value))
    {
      g_string_append (out, value > 0 ? "inf" : "-inf");
      return;
    }
  g_string_append_len (out, buf, (gssize) format_double (buf, value));
}

static gboolean
export_csv (Job           *job,
            Sink          *sink,
            GCancellable  *cancellable,
            GError       **error)
{
  GString *out = sink->buf;
  guint64 row;
  gint64 t0;
  guint c;

  t0 = job_first_time (job, error);
  if (t0 == G_MININT64)
    return FALSE;

  g_string_append (out, "timestamp,relative_time (s)");
  for (c = 0; c < job->n_channels; c++)
    {
      g_autofree char *header = *job->units[c] != '\0'
        ? g_strdup_printf ("%s (%s)", job->channels[c], job->units[c])
        : g_strdup (job->channels[c]);

      g_string_append_c (out, ',');
      csv_append_field (out, header);
    }
  g_string_append (out, "\r\n");

  job->reporter.total = (goffset) job_rows (job);
  for (row = job->first_row; row < job->end_row; )
    {
      gsize n = job_read (job, row, cancellable, error), i;

      if (n == 0)
        return FALSE;
      for (i = 0; i < n; i++)
        {
          char tbuf[LABLINK_CAPTURE_TIME_BUF_SIZE];
          gsize len = lablink_capture_format_time_buf (job->times[i], tbuf);

          g_string_append_len (out, tbuf, (gssize) len);
          g_string_append_c (out, ',');
          append_relative (out, job->times[i] - t0);
          for (c = 0; c < job->n_channels; c++)
            {
              g_string_append_c (out, ',');
              csv_append_number (out, job->values[i * job->n_channels + c]);
            }
          g_string_append (out, "\r\n");
          if (!sink_maybe_flush (sink, error))
            return FALSE;
        }
      row += n;
      report (&job->reporter, (goffset) (row - job->first_row), FALSE);
    }
  return TRUE;
}

/* ------------------------------------------------------------------------
 * JSON
 * ------------------------------------------------------------------------ */

static void
json_append_number (GString *out,
                    double   value)
{
  char buf[DOUBLE_BUF];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_len (out, buf, (gssize) format_double (buf, value));
}

static void
json_append_nullable_string (GString    *out,
                             const char *value)
{
  if (value == NULL)
    g_string_append (out, "null");
  else
    lablink_json_append_string (out, value);
}

static void
json_append_time (GString *out,
                  gint64   t)
{
  char buf[LABLINK_CAPTURE_TIME_BUF_SIZE];

  g_string_append_c (out, '"');
  g_string_append_len (out, buf, (gssize) lablink_capture_format_time_buf (t, buf));
  g_string_append_c (out, '"');
}

static const char *
source_name (LablinkCaptureSource source)
{
  switch (source)
    {
    case LABLINK_CAPTURE_SOURCE_ACQUISITION: return "acquisition";
    case LABLINK_CAPTURE_SOURCE_STREAM: return "stream";
    case LABLINK_CAPTURE_SOURCE_NONE:
    default: return "manual";
    }
}

static gboolean
export_json (Job           *job,
             Sink          *sink,
             GCancellable  *cancellable,
             GError       **error)
{
  LablinkCapture *capture = job->capture;
  GString *out = sink->buf;
  g_autofree LablinkCaptureGap *gaps = NULL;
  guint n_gaps = 0, c, pass;
  guint64 rows = job_rows (job);
  gint64 first = 0, last = 0;

  if (rows > 0 &&
      (!lablink_capture_read (capture, job->first_row, 1, &first, NULL, error) ||
       !lablink_capture_read (capture, job->end_row - 1, 1, &last, NULL, error)))
    return FALSE;

  g_string_append (out, "{\"format\": \"lablink-capture\", \"version\": 1");
  g_string_append (out, ",\n \"name\": ");
  lablink_json_append_string (out, lablink_capture_get_name (capture));
  g_string_append (out, ",\n \"source\": ");
  lablink_json_append_string (out, source_name (lablink_capture_get_source (capture)));
  g_string_append (out, ",\n \"acquisition_id\": ");
  json_append_nullable_string (out, lablink_capture_get_acquisition_id (capture));
  g_string_append (out, ",\n \"equipment_id\": ");
  json_append_nullable_string (out, job->equipment_id);
  g_string_append (out, ",\n \"stream_key\": ");
  json_append_nullable_string (out, lablink_capture_get_stream_key (capture));
  g_string_append (out, ",\n \"channels\": [");
  for (c = 0; c < job->n_channels; c++)
    {
      if (c > 0)
        g_string_append (out, ", ");
      lablink_json_append_string (out, job->channels[c]);
    }
  g_string_append (out, "],\n \"units\": {");
  for (c = 0; c < job->n_channels; c++)
    {
      if (c > 0)
        g_string_append (out, ", ");
      lablink_json_append_string (out, job->channels[c]);
      g_string_append (out, ": ");
      lablink_json_append_string (out, job->units[c]);
    }
  g_string_append (out, "},\n \"start_time\": ");
  if (rows > 0)
    json_append_time (out, first);
  else
    g_string_append (out, "null");
  g_string_append (out, ",\n \"end_time\": ");
  if (rows > 0)
    json_append_time (out, last);
  else
    g_string_append (out, "null");
  g_string_append_printf (out, ",\n \"count\": %" G_GUINT64_FORMAT, rows);

  g_string_append (out, ",\n \"gaps\": [");
  gaps = lablink_capture_get_gaps (capture, &n_gaps);
  for (c = 0; c < n_gaps; c++)
    {
      g_string_append (out, c > 0 ? ",\n  {\"start\": " : "\n  {\"start\": ");
      json_append_time (out, gaps[c].start_usec);
      g_string_append (out, ", \"end\": ");
      if (gaps[c].end_usec != 0)
        json_append_time (out, gaps[c].end_usec);
      else
        g_string_append (out, "null");
      g_string_append_printf (out, ", \"recovered\": %" G_GUINT64_FORMAT ", \"data_lost\": %s}",
                              gaps[c].n_recovered, gaps[c].data_lost ? "true" : "false");
    }
  g_string_append (out, "],\n \"data\": {\"timestamps\": [");

  /* One pass for the timestamps, then one per channel: flat memory. */
  job->reporter.total = (goffset) (rows * (1 + job->n_channels));
  for (pass = 0; pass <= job->n_channels; pass++)
    {
      guint64 row;

      if (pass == 1)
        g_string_append (out, "],\n  \"values\": {");
      if (pass >= 1)
        {
          if (pass > 1)
            g_string_append (out, "],\n   ");
          else
            g_string_append (out, "\n   ");
          lablink_json_append_string (out, job->channels[pass - 1]);
          g_string_append (out, ": [");
        }

      for (row = job->first_row; row < job->end_row; )
        {
          gsize n = job_read (job, row, cancellable, error), i;

          if (n == 0)
            return FALSE;
          for (i = 0; i < n; i++)
            {
              if (row + i > job->first_row)
                g_string_append_c (out, ',');
              if (pass == 0)
                json_append_time (out, job->times[i]);
              else
                json_append_number (out, job->values[i * job->n_channels + pass - 1]);
              if (!sink_maybe_flush (sink, error))
                return FALSE;
            }
          row += n;
          report (&job->reporter, (goffset) (pass * rows + row - job->first_row), FALSE);
        }
    }
  if (job->n_channels == 0)
    g_string_append (out, "],\n  \"values\": {}}}\n");
  else
    g_string_append (out, "]}}}\n");
  return TRUE;
}

/* ------------------------------------------------------------------------
 * HDF5
 * ------------------------------------------------------------------------ */

#ifdef HAVE_HDF5  /* meson -Dhdf5: without it, HDF5 exports fail in job_run() */

static gboolean
h5_fail (GError     **error,
         const char  *what)
{
  g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_IO, _("HDF5 error: could not %s"), what);
  return FALSE;
}

static hid_t
h5_string_type (void)
{
  hid_t type = H5Tcopy (H5T_C_S1);

  if (type >= 0 && (H5Tset_size (type, H5T_VARIABLE) < 0 || H5Tset_cset (type, H5T_CSET_UTF8) < 0))
    {
      H5Tclose (type);
      return -1;
    }
  return type;
}

static gboolean
h5_set_strings (hid_t                object,
                const char          *name,
                const char * const  *values,
                hsize_t              n,
                gboolean             scalar)
{
  hid_t type = h5_string_type ();
  hid_t space = scalar ? H5Screate (H5S_SCALAR) : H5Screate_simple (1, &n, NULL);
  hid_t attr = -1;
  gboolean ok = FALSE;

  if (type >= 0 && space >= 0)
    attr = H5Acreate2 (object, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (attr >= 0)
    ok = H5Awrite (attr, type, values) >= 0;
  if (attr >= 0)
    H5Aclose (attr);
  if (space >= 0)
    H5Sclose (space);
  if (type >= 0)
    H5Tclose (type);
  return ok;
}

static gboolean
h5_set_string (hid_t       object,
               const char *name,
               const char *value)
{
  const char *values[1] = { value != NULL ? value : "" };
  return h5_set_strings (object, name, values, 1, TRUE);
}

static gboolean
h5_set_int64s (hid_t         object,
               const char   *name,
               const gint64 *values,
               hsize_t       n,
               gboolean      scalar)
{
  hid_t space = scalar ? H5Screate (H5S_SCALAR) : H5Screate_simple (1, &n, NULL);
  hid_t attr = -1;
  gboolean ok = FALSE;

  if (space >= 0)
    attr = H5Acreate2 (object, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT);
  if (attr >= 0)
    ok = H5Awrite (attr, H5T_NATIVE_INT64, values) >= 0;
  if (attr >= 0)
    H5Aclose (attr);
  if (space >= 0)
    H5Sclose (space);
  return ok;
}

static gboolean
h5_set_int64 (hid_t       object,
              const char *name,
              gint64      value)
{
  return h5_set_int64s (object, name, &value, 1, TRUE);
}

/* A dataset name from a channel name: no '/', not "." nor a name taken. */
static char *
h5_dataset_name (const char *channel,
                 GHashTable *taken)
{
  g_autofree char *base = g_strdelimit (g_strdup (*channel != '\0' ? channel : "channel"), "/", '_');
  char *name;
  guint i;

  if (strcmp (base, ".") == 0)
    {
      g_free (base);
      base = g_strdup ("_");
    }
  name = g_strdup (base);
  for (i = 2; g_hash_table_contains (taken, name); i++)
    {
      g_free (name);
      name = g_strdup_printf ("%s_%u", base, i);
    }
  g_hash_table_add (taken, name);
  return g_strdup (name);
}

static hid_t
h5_create_dataset (hid_t       file,
                   const char *name,
                   hid_t       type,
                   hsize_t     n)
{
  hid_t space = H5Screate_simple (1, &n, NULL);
  hid_t dataset = -1;

  if (space >= 0)
    {
      dataset = H5Dcreate2 (file, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      H5Sclose (space);
    }
  return dataset;
}

static gboolean
h5_write_block (hid_t        dataset,
                hid_t        mem_type,
                hsize_t      offset,
                hsize_t      count,
                const void  *data)
{
  hid_t file_space = H5Dget_space (dataset);
  hid_t mem_space = H5Screate_simple (1, &count, NULL);
  gboolean ok = file_space >= 0 && mem_space >= 0 &&
                H5Sselect_hyperslab (file_space, H5S_SELECT_SET, &offset, NULL, &count, NULL) >= 0 &&
                H5Dwrite (dataset, mem_type, mem_space, file_space, H5P_DEFAULT, data) >= 0;

  if (mem_space >= 0)
    H5Sclose (mem_space);
  if (file_space >= 0)
    H5Sclose (file_space);
  return ok;
}

static gboolean
h5_write_metadata (Job     *job,
                   hid_t    file,
                   gint64   first,
                   gint64   last,
                   GError **error)
{
  LablinkCapture *capture = job->capture;
  g_autofree LablinkCaptureGap *gaps = NULL;
  guint n_gaps = 0, i;
  char buf[LABLINK_CAPTURE_TIME_BUF_SIZE];
  guint64 rows = job_rows (job);

  if (!h5_set_string (file, "format", "lablink-capture") ||
      !h5_set_int64 (file, "version", 1) ||
      !h5_set_string (file, "name", lablink_capture_get_name (capture)) ||
      !h5_set_string (file, "source", source_name (lablink_capture_get_source (capture))) ||
      !h5_set_string (file, "acquisition_id", lablink_capture_get_acquisition_id (capture)) ||
      !h5_set_string (file, "equipment_id", job->equipment_id) ||
      !h5_set_string (file, "stream_key", lablink_capture_get_stream_key (capture)) ||
      !h5_set_int64 (file, "count", (gint64) rows))
    return h5_fail (error, "write the file attributes");

  if (job->n_channels > 0 &&
      (!h5_set_strings (file, "channels", (const char * const *) job->channels, job->n_channels, FALSE) ||
       !h5_set_strings (file, "units", (const char * const *) job->units, job->n_channels, FALSE)))
    return h5_fail (error, "write the channel attributes");

  if (rows > 0)
    {
      lablink_capture_format_time_buf (first, buf);
      if (!h5_set_string (file, "start_time", buf) || !h5_set_int64 (file, "start_time_usec", first))
        return h5_fail (error, "write the start time");
      lablink_capture_format_time_buf (last, buf);
      if (!h5_set_string (file, "end_time", buf) || !h5_set_int64 (file, "end_time_usec", last))
        return h5_fail (error, "write the end time");
    }

  gaps = lablink_capture_get_gaps (capture, &n_gaps);
  if (n_gaps > 0)
    {
      g_autofree gint64 *starts = g_new (gint64, n_gaps);
      g_autofree gint64 *ends = g_new (gint64, n_gaps);
      g_autofree gint64 *recovered = g_new (gint64, n_gaps);
      g_autofree gint64 *lost = g_new (gint64, n_gaps);

      for (i = 0; i < n_gaps; i++)
        {
          starts[i] = gaps[i].start_usec;
          ends[i] = gaps[i].end_usec;
          recovered[i] = (gint64) gaps[i].n_recovered;
          lost[i] = gaps[i].data_lost ? 1 : 0;
        }
      if (!h5_set_int64s (file, "gap_start_usec", starts, n_gaps, FALSE) ||
          !h5_set_int64s (file, "gap_end_usec", ends, n_gaps, FALSE) ||
          !h5_set_int64s (file, "gap_recovered", recovered, n_gaps, FALSE) ||
          !h5_set_int64s (file, "gap_data_lost", lost, n_gaps, FALSE))
        return h5_fail (error, "write the gaps");
    }
  return TRUE;
}

static gboolean
export_hdf5 (Job           *job,
             Sink          *sink,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree hid_t *datasets = NULL;
  g_autofree double *column = NULL;
  g_autofree double *relative = NULL;
  hid_t file, ts_set = -1, rel_set = -1;
  guint64 rows = job_rows (job), row;
  gint64 first = 0, last = 0;
  gboolean ok = FALSE;
  char buf[LABLINK_CAPTURE_TIME_BUF_SIZE];
  guint c;

  if (rows > 0 &&
      (!lablink_capture_read (job->capture, job->first_row, 1, &first, NULL, error) ||
       !lablink_capture_read (job->capture, job->end_row - 1, 1, &last, NULL, error)))
    return FALSE;

  /* The file is written by HDF5 itself under the temporary name. */
  g_close (sink->fd, NULL);
  sink->fd = -1;

  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  file = H5Fcreate (sink->tmp_path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0)
    return h5_fail (error, "create the file");

  datasets = g_new (hid_t, MAX (job->n_channels, 1));
  for (c = 0; c < job->n_channels; c++)
    datasets[c] = -1;

  if (!h5_write_metadata (job, file, first, last, error))
    goto out;

  g_hash_table_add (taken, g_strdup ("timestamps"));
  g_hash_table_add (taken, g_strdup ("relative_seconds"));
  ts_set = h5_create_dataset (file, "timestamps", H5T_STD_I64LE, rows);
  rel_set = h5_create_dataset (file, "relative_seconds", H5T_IEEE_F64LE, rows);
  if (ts_set < 0 || rel_set < 0 ||
      !h5_set_string (ts_set, "units", "microseconds since 1970-01-01T00:00:00Z") ||
      !h5_set_string (rel_set, "units", "s"))
    {
      h5_fail (error, "create the time datasets");
      goto out;
    }
  if (rows > 0)
    {
      lablink_capture_format_time_buf (first, buf);
      if (!h5_set_string (rel_set, "relative_to", buf))
        {
          h5_fail (error, "write the time attributes");
          goto out;
        }
    }

  for (c = 0; c < job->n_channels; c++)
    {
      g_autofree char *name = h5_dataset_name (job->channels[c], taken);

      datasets[c] = h5_create_dataset (file, name, H5T_IEEE_F64LE, rows);
      if (datasets[c] < 0 ||
          !h5_set_string (datasets[c], "channel", job->channels[c]) ||
          !h5_set_string (datasets[c], "units", job->units[c]))
        {
          h5_fail (error, "create a channel dataset");
          goto out;
        }
    }

  column = g_new (double, BLOCK_ROWS);
  relative = g_new (double, BLOCK_ROWS);
  job->reporter.total = (goffset) rows;
  for (row = job->first_row; row < job->end_row; )
    {
      gsize n = job_read (job, row, cancellable, error), i;
      hsize_t offset = row - job->first_row;

      if (n == 0)
        goto out;
      for (i = 0; i < n; i++)
        relative[i] = (double) (job->times[i] - first) / G_USEC_PER_SEC;
      if (!h5_write_block (ts_set, H5T_NATIVE_INT64, offset, n, job->times) ||
          !h5_write_block (rel_set, H5T_NATIVE_DOUBLE, offset, n, relative))
        {
          h5_fail (error, "write the timestamps");
          goto out;
        }
      for (c = 0; c < job->n_channels; c++)
        {
          for (i = 0; i < n; i++)
            column[i] = job->values[i * job->n_channels + c];
          if (!h5_write_block (datasets[c], H5T_NATIVE_DOUBLE, offset, n, column))
            {
              h5_fail (error, "write a channel");
              goto out;
            }
        }
      row += n;
      report (&job->reporter, (goffset) (row - job->first_row), FALSE);
    }
  ok = TRUE;

out:
  for (c = 0; c < job->n_channels; c++)
    if (datasets[c] >= 0)
      H5Dclose (datasets[c]);
  if (ts_set >= 0)
    H5Dclose (ts_set);
  if (rel_set >= 0)
    H5Dclose (rel_set);
  if (H5Fclose (file) < 0 && ok)
    ok = h5_fail (error, "close the file");
  return ok;
}

#endif /* HAVE_HDF5 */

/* ------------------------------------------------------------------------
 * Running an export
 * ------------------------------------------------------------------------ */

static gboolean
job_run (Job           *job,
         GCancellable  *cancellable,
         GError       **error)
{
  Sink sink;
  gboolean ok;

#ifndef HAVE_HDF5
  if (job->format == LABLINK_EXPORT_FORMAT_HDF5)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("HDF5 support was not built"));
      return FALSE;
    }
#endif
  if (!job_prepare (job, error))
    return FALSE;
  if (!sink_open (&sink, job->destination, job->format == LABLINK_EXPORT_FORMAT_HDF5, cancellable, error))
    {
      sink_clear (&sink);
      return FALSE;
    }

  switch (job->format)
    {
    case LABLINK_EXPORT_FORMAT_CSV:
      ok = export_csv (job, &sink, cancellable, error);
      break;
    case LABLINK_EXPORT_FORMAT_JSON:
      ok = export_json (job, &sink, cancellable, error);
      break;
#ifdef HAVE_HDF5
    case LABLINK_EXPORT_FORMAT_HDF5:
      ok = export_hdf5 (job, &sink, cancellable, error);
      break;
#endif
    default:
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT, _("Unknown export format"));
      ok = FALSE;
      break;
    }

  if (ok)
    ok = sink_commit (&sink, error);
  sink_clear (&sink);
  if (ok)
    report (&job->reporter, job->reporter.total, TRUE);
  return ok;
}

static Job *
job_new (LablinkCapture      *capture,
         LablinkExportFormat  format,
         GFile               *destination,
         gint64               from_usec,
         gint64               to_usec)
{
  Job *job = g_new0 (Job, 1);

  job->capture = g_object_ref (capture);
  job->format = format;
  job->destination = g_object_ref (destination);
  job->from = from_usec;
  job->to = to_usec;
  return job;
}

/**
 * lablink_export:
 * @capture: a #LablinkCapture (recording or not)
 * @format: the file format
 * @destination: the file to write (replaced atomically when complete)
 * @from_usec: the first time to export (µs since the epoch); %G_MININT64
 *   for the start of the capture
 * @to_usec: the last time to export (inclusive); %G_MAXINT64 for the end
 * @cancellable: (nullable): a #GCancellable
 * @progress_callback: (nullable) (scope call) (closure progress_data):
 *   called in THIS thread after each block, with the work done and the
 *   total (rows × passes)
 * @progress_data: data for @progress_callback
 * @error: return location for a #GError
 *
 * Exports the rows of @capture between @from_usec and @to_usec (those
 * stored when the export starts). Blocks; see lablink_export_async().
 *
 * CSV: RFC 4180 with CRLF line ends; header `timestamp,relative_time
 * (s),CH1 (V),…` (fields quoted where needed); timestamps ISO-8601 UTC
 * with microseconds and `Z`; relative seconds from the first exported
 * sample; NaN as an empty field; `.` decimals whatever the locale.
 *
 * Returns: %TRUE on success; on failure or cancellation the destination
 *   is left as it was
 */
gboolean
lablink_export (LablinkCapture         *capture,
                LablinkExportFormat     format,
                GFile                  *destination,
                gint64                  from_usec,
                gint64                  to_usec,
                GCancellable           *cancellable,
                GFileProgressCallback   progress_callback,
                gpointer                progress_data,
                GError                **error)
{
  Job *job;
  gboolean ok;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (capture), FALSE);
  g_return_val_if_fail (G_IS_FILE (destination), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  job = job_new (capture, format, destination, from_usec, to_usec);
  job->reporter.callback = progress_callback;
  job->reporter.data = progress_data;
  ok = job_run (job, cancellable, error);
  job_free (job);
  return ok;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;

  if (job_run (job, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * lablink_export_async:
 * @capture: a #LablinkCapture (recording or not)
 * @format: the file format
 * @destination: the file to write (replaced atomically when complete)
 * @from_usec: the first time to export; %G_MININT64 for the start
 * @to_usec: the last time to export (inclusive); %G_MAXINT64 for the end
 * @cancellable: (nullable): a #GCancellable
 * @progress_callback: (nullable) (scope notified) (closure progress_data):
 *   called in the thread-default main context of the caller, at most ten
 *   times a second, with the work done and the total (rows × passes)
 * @progress_data: data for @progress_callback
 * @callback: (scope async): called when the export is complete
 * @user_data: (closure): data for @callback
 *
 * Exports on a worker thread; see lablink_export() for the formats.
 */
void
lablink_export_async (LablinkCapture         *capture,
                      LablinkExportFormat     format,
                      GFile                  *destination,
                      gint64                  from_usec,
                      gint64                  to_usec,
                      GCancellable           *cancellable,
                      GFileProgressCallback   progress_callback,
                      gpointer                progress_data,
                      GAsyncReadyCallback     callback,
                      gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (LABLINK_IS_CAPTURE (capture));
  g_return_if_fail (G_IS_FILE (destination));

  job = job_new (capture, format, destination, from_usec, to_usec);
  if (progress_callback != NULL)
    {
      SharedProgress *shared = g_new0 (SharedProgress, 1);

      g_atomic_ref_count_init (&shared->ref);
      g_mutex_init (&shared->lock);
      shared->callback = progress_callback;
      shared->data = progress_data;
      shared->context = g_main_context_ref_thread_default ();
      job->reporter.shared = shared;
      job->reporter.last = G_MININT64 / 2;
    }

  task = g_task_new (capture, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_export_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, export_thread);
}

/**
 * lablink_export_finish:
 * @capture: a #LablinkCapture
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the file was written
 */
gboolean
lablink_export_finish (LablinkCapture  *capture,
                       GAsyncResult    *result,
                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, capture), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lablink_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
