/* lablink-export-csv.c — the CSV writer
 *
 * RFC 4180 with CRLF line ends; header `timestamp,relative_time (s),CH1
 * (V),…` (fields quoted where needed); timestamps ISO-8601 UTC with
 * microseconds and `Z`; relative seconds from the first exported sample;
 * NaN as an empty field; `.` decimals whatever the locale.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lablink-capture-private.h"
#include "lablink-export-private.h"

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
  char buf[LABLINK_EXPORT_DOUBLE_BUF];

  if (isnan (value))
    return;   /* an empty field */
  if (isinf (value))
    {
      g_string_append (out, value > 0 ? "inf" : "-inf");
      return;
    }
  g_string_append_len (out, buf, (gssize) lablink_export_format_double (buf, value));
}

gboolean
lablink_export_write_csv (LablinkExportJob  *job,
                          LablinkExportSink *sink,
                          GCancellable      *cancellable,
                          GError           **error)
{
  GString *out = sink->buf;
  guint64 row;
  gint64 t0;
  guint c;

  t0 = lablink_export_job_first_time (job, error);
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

  job->reporter.total = (goffset) lablink_export_job_rows (job);
  for (row = job->first_row; row < job->end_row; )
    {
      gsize n = lablink_export_job_read (job, row, cancellable, error), i;

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
          if (!lablink_export_sink_maybe_flush (sink, error))
            return FALSE;
        }
      row += n;
      lablink_export_report (&job->reporter, (goffset) (row - job->first_row), FALSE);
    }
  return TRUE;
}
