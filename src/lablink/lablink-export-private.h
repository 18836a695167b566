/* lablink-export-private.h — internals shared by the export's files
 *
 *  - lablink-export.c       the public API: formats, the job, its thread, progress
 *  - lablink-export-sink.c  the output: a temporary file renamed over the destination
 *  - lablink-export-csv.c   the CSV writer
 *  - lablink-export-json.c  the JSON writer
 *  - lablink-export-hdf5.c  the HDF5 writer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lablink-capture.h"
#include "lablink-export.h"

G_BEGIN_DECLS

/* Rows read from the capture at a time. */
#define LABLINK_EXPORT_BLOCK_ROWS   16384
/* Text buffered before a write to the destination. */
#define LABLINK_EXPORT_SINK_BUFFER  (256 * 1024)
/* Room for lablink_export_format_double(). */
#define LABLINK_EXPORT_DOUBLE_BUF   40

typedef struct _LablinkExportSharedProgress LablinkExportSharedProgress;

typedef struct {
  GFileProgressCallback        callback;   /* sync: called directly */
  gpointer                     data;
  LablinkExportSharedProgress *shared;     /* async: invoked in the caller's context */
  gint64                       last;
  goffset                      total;
} LablinkExportReporter;

typedef struct {
  int            fd;
  GOutputStream *stream;
  char          *tmp_path;
  char          *dest_path;
  GString       *buf;
  GCancellable  *cancellable;
} LablinkExportSink;

typedef struct {
  LablinkCapture        *capture;
  LablinkExportFormat    format;
  GFile                 *destination;
  gint64                 from;
  gint64                 to;
  LablinkExportReporter  reporter;

  /* Filled in by job_prepare(). */
  guint64                first_row;
  guint64                end_row;
  guint                  n_channels;
  char                 **channels;
  char                 **units;
  char                  *equipment_id;
  gint64                *times;
  double                *values;
} LablinkExportJob;

/* lablink-export.c */
gsize     lablink_export_format_double   (char                   *buf,
                                          double                  value);
void      lablink_export_report          (LablinkExportReporter  *r,
                                          goffset                 current,
                                          gboolean                force);
guint64   lablink_export_job_rows        (LablinkExportJob       *job);
gsize     lablink_export_job_read        (LablinkExportJob       *job,
                                          guint64                 row,
                                          GCancellable           *cancellable,
                                          GError                **error);
gint64    lablink_export_job_first_time  (LablinkExportJob       *job,
                                          GError                **error);

/* lablink-export-sink.c */
gboolean  lablink_export_sink_open       (LablinkExportSink      *sink,
                                          GFile                  *destination,
                                          gboolean                need_local,
                                          GCancellable           *cancellable,
                                          GError                **error);
gboolean  lablink_export_sink_flush      (LablinkExportSink      *sink,
                                          GError                **error);
gboolean  lablink_export_sink_commit     (LablinkExportSink      *sink,
                                          GError                **error);
void      lablink_export_sink_clear      (LablinkExportSink      *sink);

static inline gboolean
lablink_export_sink_maybe_flush (LablinkExportSink  *sink,
                                 GError            **error)
{
  return sink->buf->len < LABLINK_EXPORT_SINK_BUFFER || lablink_export_sink_flush (sink, error);
}

/* lablink-export-csv.c, lablink-export-json.c, lablink-export-hdf5.c */
gboolean  lablink_export_write_csv       (LablinkExportJob       *job,
                                          LablinkExportSink      *sink,
                                          GCancellable           *cancellable,
                                          GError                **error);
gboolean  lablink_export_write_json      (LablinkExportJob       *job,
                                          LablinkExportSink      *sink,
                                          GCancellable           *cancellable,
                                          GError                **error);
gboolean  lablink_export_write_hdf5      (LablinkExportJob       *job,
                                          LablinkExportSink      *sink,
                                          GCancellable           *cancellable,
                                          GError                **error);

G_END_DECLS
