/* lablink-export-json.c — the JSON writer
 *
 * One object: the capture's metadata (name, source, ids, channels, units,
 * time range, count, gaps), then `data` with the timestamps and one array
 * of values per channel (written in one pass each: flat memory). Non-finite
 * values are `null`.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-capture-private.h"
#include "lablink-export-private.h"
#include "lablink-protocol.h"

static void
json_append_number (GString *out,
                    double   value)
{
  char buf[LABLINK_EXPORT_DOUBLE_BUF];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_len (out, buf, (gssize) lablink_export_format_double (buf, value));
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

gboolean
lablink_export_write_json (LablinkExportJob  *job,
                           LablinkExportSink *sink,
                           GCancellable      *cancellable,
                           GError           **error)
{
  LablinkCapture *capture = job->capture;
  GString *out = sink->buf;
  g_autofree LablinkCaptureGap *gaps = NULL;
  guint n_gaps = 0, c, pass;
  guint64 rows = lablink_export_job_rows (job);
  gint64 first = 0, last = 0;

  if (rows > 0 &&
      (!lablink_capture_read (capture, job->first_row, 1, &first, NULL, error) ||
       !lablink_capture_read (capture, job->end_row - 1, 1, &last, NULL, error)))
    return FALSE;

  g_string_append (out, "{\"format\": \"lablink-capture\", \"version\": 1");
  g_string_append (out, ",\n \"name\": ");
  lablink_json_append_string (out, lablink_capture_get_name (capture));
  g_string_append (out, ",\n \"source\": ");
  lablink_json_append_string (out, lablink_capture_source_to_string (lablink_capture_get_source (capture)));
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
          gsize n = lablink_export_job_read (job, row, cancellable, error), i;

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
              if (!lablink_export_sink_maybe_flush (sink, error))
                return FALSE;
            }
          row += n;
          lablink_export_report (&job->reporter, (goffset) (pass * rows + row - job->first_row), FALSE);
        }
    }
  if (job->n_channels == 0)
    g_string_append (out, "],\n  \"values\": {}}}\n");
  else
    g_string_append (out, "]}}}\n");
  return TRUE;
}
