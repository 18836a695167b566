/* lablink-export-hdf5.c — the HDF5 writer
 *
 * One file with the capture's metadata as attributes, the datasets
 * `timestamps` (µs since the epoch) and `relative_seconds`, and one float64
 * dataset per channel (named after it, with `channel` and `units`
 * attributes), written block by block. HDF5 writes the file itself, under
 * the sink's temporary name.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <string.h>

#include "lablink-capture-private.h"
#include "lablink-error.h"
#include "lablink-export-private.h"

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
h5_write_metadata (LablinkExportJob *job,
                   hid_t             file,
                   gint64            first,
                   gint64            last,
                   GError          **error)
{
  LablinkCapture *capture = job->capture;
  g_autofree LablinkCaptureGap *gaps = NULL;
  guint n_gaps = 0, i;
  char buf[LABLINK_CAPTURE_TIME_BUF_SIZE];
  guint64 rows = lablink_export_job_rows (job);

  if (!h5_set_string (file, "format", "lablink-capture") ||
      !h5_set_int64 (file, "version", 1) ||
      !h5_set_string (file, "name", lablink_capture_get_name (capture)) ||
      !h5_set_string (file, "source", lablink_capture_source_to_string (lablink_capture_get_source (capture))) ||
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

gboolean
lablink_export_write_hdf5 (LablinkExportJob  *job,
                           LablinkExportSink *sink,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree hid_t *datasets = NULL;
  g_autofree double *column = NULL;
  g_autofree double *relative = NULL;
  hid_t file, ts_set = -1, rel_set = -1;
  guint64 rows = lablink_export_job_rows (job), row;
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

  column = g_new (double, LABLINK_EXPORT_BLOCK_ROWS);
  relative = g_new (double, LABLINK_EXPORT_BLOCK_ROWS);
  job->reporter.total = (goffset) rows;
  for (row = job->first_row; row < job->end_row; )
    {
      gsize n = lablink_export_job_read (job, row, cancellable, error), i;
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
      lablink_export_report (&job->reporter, (goffset) (row - job->first_row), FALSE);
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
