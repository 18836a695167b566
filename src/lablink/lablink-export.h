/* lablink-export.h — exporting a capture to CSV, JSON or HDF5
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include <gio/gio.h>

#include "lablink-capture.h"
#include "lablink-version-macros.h"

G_BEGIN_DECLS

/**
 * LablinkExportFormat:
 * @LABLINK_EXPORT_FORMAT_CSV: RFC 4180 CSV (CRLF, UTF-8): an ISO-8601 UTC
 *   timestamp column, relative seconds, one column per channel
 * @LABLINK_EXPORT_FORMAT_JSON: one JSON object: the capture's metadata and
 *   `data.timestamps` / `data.values` arrays (NaN as `null`)
 * @LABLINK_EXPORT_FORMAT_HDF5: HDF5: `timestamps` (int64 µs since the
 *   epoch), `relative_seconds` and one float64 dataset per channel, with
 *   the metadata as attributes
 *
 * The file formats of lablink_export().
 */
typedef enum {
  LABLINK_EXPORT_FORMAT_CSV,
  LABLINK_EXPORT_FORMAT_JSON,
  LABLINK_EXPORT_FORMAT_HDF5,
} LablinkExportFormat;

LABLINK_AVAILABLE_IN_ALL
gboolean    lablink_export_format_from_string   (const char              *text,
                                                 LablinkExportFormat     *format);
LABLINK_AVAILABLE_IN_ALL
const char *lablink_export_format_to_string     (LablinkExportFormat      format);
LABLINK_AVAILABLE_IN_ALL
const char *lablink_export_format_get_extension (LablinkExportFormat      format);

LABLINK_AVAILABLE_IN_ALL
gboolean    lablink_export                      (LablinkCapture          *capture,
                                                 LablinkExportFormat      format,
                                                 GFile                   *destination,
                                                 gint64                   from_usec,
                                                 gint64                   to_usec,
                                                 GCancellable            *cancellable,
                                                 GFileProgressCallback    progress_callback,
                                                 gpointer                 progress_data,
                                                 GError                 **error);
LABLINK_AVAILABLE_IN_ALL
void        lablink_export_async                (LablinkCapture          *capture,
                                                 LablinkExportFormat      format,
                                                 GFile                   *destination,
                                                 gint64                   from_usec,
                                                 gint64                   to_usec,
                                                 GCancellable            *cancellable,
                                                 GFileProgressCallback    progress_callback,
                                                 gpointer                 progress_data,
                                                 GAsyncReadyCallback      callback,
                                                 gpointer                 user_data);
LABLINK_AVAILABLE_IN_ALL
gboolean    lablink_export_finish               (LablinkCapture          *capture,
                                                 GAsyncResult            *result,
                                                 GError                 **error);

G_END_DECLS
