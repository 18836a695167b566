/* lablink-export.c — running an export: formats, the job, its thread, progress
 *
 * Exports read the capture from disk in blocks (flat memory whatever its
 * length) and write to a temporary file beside the destination, renamed
 * over it only when complete (lablink-export-sink.c). This file is the
 * public API: the formats, the job (the row range, the blocks read), the
 * worker thread of lablink_export_async() and the progress reports. The
 * writers are lablink-export-csv.c, lablink-export-json.c and
 * lablink-export-hdf5.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lablink-error.h"
#include "lablink-export-private.h"

#define PROGRESS_INTERVAL   (100 * G_TIME_SPAN_MILLISECOND)

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
gsize
lablink_export_format_double (char   *buf,
                              double  value)
{
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, LABLINK_EXPORT_DOUBLE_BUF, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return strlen (buf);
}

/* ------------------------------------------------------------------------
 * Progress
 * ------------------------------------------------------------------------ */

struct _LablinkExportSharedProgress {
  gatomicrefcount        ref;
  GMutex                 lock;
  goffset                current;
  goffset                total;
  gboolean               pending;
  GFileProgressCallback  callback;
  gpointer               data;
  GMainContext          *context;
};

static LablinkExportSharedProgress *
shared_progress_ref (LablinkExportSharedProgress *p)
{
  g_atomic_ref_count_inc (&p->ref);
  return p;
}

static void
shared_progress_unref (gpointer data)
{
  LablinkExportSharedProgress *p = data;

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
  LablinkExportSharedProgress *p = data;
  goffset current, total;

  g_mutex_lock (&p->lock);
  current = p->current;
  total = p->total;
  p->pending = FALSE;
  g_mutex_unlock (&p->lock);

  p->callback (current, total, p->data);
  return G_SOURCE_REMOVE;
}

/* Reports progress: directly for lablink_export(), at most every
 * PROGRESS_INTERVAL (unless @force) on the caller's context for
 * lablink_export_async(). */
void
lablink_export_report (LablinkExportReporter *r,
                       goffset                current,
                       gboolean               force)
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
 * The job
 * ------------------------------------------------------------------------ */

static void
job_free (LablinkExportJob *job)
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
job_prepare (LablinkExportJob *job,
             GError          **error)
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

  job->times = g_new (gint64, LABLINK_EXPORT_BLOCK_ROWS);
  job->values = g_new (double, (gsize) LABLINK_EXPORT_BLOCK_ROWS * MAX (job->n_channels, 1));
  return TRUE;
}

/* The rows to export. */
guint64
lablink_export_job_rows (LablinkExportJob *job)
{
  return job->end_row - job->first_row;
}

/* Reads block @row (absolute); returns the rows read, or 0 with @error set. */
gsize
lablink_export_job_read (LablinkExportJob *job,
                         guint64           row,
                         GCancellable     *cancellable,
                         GError          **error)
{
  gsize n = (gsize) MIN ((guint64) LABLINK_EXPORT_BLOCK_ROWS, job->end_row - row);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return 0;
  if (!lablink_capture_read (job->capture, row, n, job->times, job->n_channels ? job->values : NULL, error))
    return 0;
  return n;
}

/* The time of the first row to export (0 if none); G_MININT64 with @error
 * set on failure. */
gint64
lablink_export_job_first_time (LablinkExportJob *job,
                               GError          **error)
{
  gint64 t0 = 0;

  if (lablink_export_job_rows (job) > 0 && !lablink_capture_read (job->capture, job->first_row, 1, &t0, NULL, error))
    return G_MININT64;
  return t0;
}

/* ------------------------------------------------------------------------
 * Running an export
 * ------------------------------------------------------------------------ */

static gboolean
job_run (LablinkExportJob *job,
         GCancellable     *cancellable,
         GError          **error)
{
  LablinkExportSink sink;
  gboolean ok;

  if (!job_prepare (job, error))
    return FALSE;
  if (!lablink_export_sink_open (&sink, job->destination, job->format == LABLINK_EXPORT_FORMAT_HDF5, cancellable, error))
    {
      lablink_export_sink_clear (&sink);
      return FALSE;
    }

  switch (job->format)
    {
    case LABLINK_EXPORT_FORMAT_CSV:
      ok = lablink_export_write_csv (job, &sink, cancellable, error);
      break;
    case LABLINK_EXPORT_FORMAT_JSON:
      ok = lablink_export_write_json (job, &sink, cancellable, error);
      break;
    case LABLINK_EXPORT_FORMAT_HDF5:
      ok = lablink_export_write_hdf5 (job, &sink, cancellable, error);
      break;
    default:
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT, _("Unknown export format"));
      ok = FALSE;
      break;
    }

  if (ok)
    ok = lablink_export_sink_commit (&sink, error);
  lablink_export_sink_clear (&sink);
  if (ok)
    lablink_export_report (&job->reporter, job->reporter.total, TRUE);
  return ok;
}

static LablinkExportJob *
job_new (LablinkCapture      *capture,
         LablinkExportFormat  format,
         GFile               *destination,
         gint64               from_usec,
         gint64               to_usec)
{
  LablinkExportJob *job = g_new0 (LablinkExportJob, 1);

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
  LablinkExportJob *job;
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
  LablinkExportJob *job = task_data;
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
  LablinkExportJob *job;

  g_return_if_fail (LABLINK_IS_CAPTURE (capture));
  g_return_if_fail (G_IS_FILE (destination));

  job = job_new (capture, format, destination, from_usec, to_usec);
  if (progress_callback != NULL)
    {
      LablinkExportSharedProgress *shared = g_new0 (LablinkExportSharedProgress, 1);

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
