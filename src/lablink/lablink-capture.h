/* lablink-capture.h — recording a stream to disk, for hours, in flat memory
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include <gio/gio.h>

#include "lablink-client.h"
#include "lablink-stream-manager.h"
#include "lablink-version-macros.h"

G_BEGIN_DECLS

/**
 * LABLINK_CAPTURE_DEFAULT_CHUNK_ROWS:
 *
 * The default number of rows per chunk file of a capture.
 */
#define LABLINK_CAPTURE_DEFAULT_CHUNK_ROWS 262144

/**
 * LABLINK_CAPTURE_MAX_CHANNELS:
 *
 * The most channels a capture can hold.
 */
#define LABLINK_CAPTURE_MAX_CHANNELS 4096

/**
 * LablinkCaptureSource:
 * @LABLINK_CAPTURE_SOURCE_NONE: rows are appended by the caller with
 *   lablink_capture_append()
 * @LABLINK_CAPTURE_SOURCE_ACQUISITION: an acquisition stream
 *   (`acquisition_stream`), backfilled over REST after an outage
 * @LABLINK_CAPTURE_SOURCE_STREAM: an equipment stream (`stream_data`); its
 *   numeric `data` fields are the channels
 *
 * Where the rows of a #LablinkCapture come from.
 */
typedef enum {
  LABLINK_CAPTURE_SOURCE_NONE,
  LABLINK_CAPTURE_SOURCE_ACQUISITION,
  LABLINK_CAPTURE_SOURCE_STREAM,
} LablinkCaptureSource;

/**
 * LablinkCaptureGap:
 * @start_usec: when it began, in microseconds since the epoch: for an outage
 *   the wall-clock time the link was lost; for a hole found in the samples,
 *   the timestamp of the last sample before it
 * @end_usec: when it ended (same clocks as @start_usec); 0 while an outage
 *   lasts
 * @n_recovered: rows recovered from the server (REST backfill) for it
 * @data_lost: %TRUE if samples may be missing; %FALSE if the server still
 *   held everything and the store is complete across the gap
 *
 * An interruption of a capture: the link to the server was down, or the
 * samples jump over a stretch that none of the server's windows covered.
 */
typedef struct {
  gint64   start_usec;
  gint64   end_usec;
  guint64  n_recovered;
  gboolean data_lost;
} LablinkCaptureGap;

#define LABLINK_TYPE_CAPTURE_GAP (lablink_capture_gap_get_type ())
LABLINK_AVAILABLE_IN_ALL
GType               lablink_capture_gap_get_type (void) G_GNUC_CONST;
LABLINK_AVAILABLE_IN_ALL
LablinkCaptureGap  *lablink_capture_gap_copy     (const LablinkCaptureGap *gap);
LABLINK_AVAILABLE_IN_ALL
void                lablink_capture_gap_free     (LablinkCaptureGap       *gap);

/**
 * LablinkCaptureInfo:
 * @directory: the capture's directory
 * @name: its name (the directory's base name)
 * @source: where the rows came from
 * @acquisition_id: (nullable): the acquisition id
 * @equipment_id: (nullable): the equipment id
 * @stream_key: (nullable): the stream key
 * @channels: (array zero-terminated=1): the channel names
 * @units: (array zero-terminated=1): the channel units (empty when unknown)
 * @n_samples: rows stored
 * @size_bytes: bytes on disk
 * @created_usec: when the capture was created (µs since the epoch)
 * @start_usec: the first sample's timestamp (0 if empty)
 * @end_usec: the last sample's timestamp (0 if empty)
 * @n_gaps: the number of recorded gaps
 * @recording: a live process is recording it
 * @interrupted: it was being recorded when its process died (recovered on open)
 *
 * A summary of a capture on disk, for a captures browser.
 */
typedef struct {
  char                 *directory;
  char                 *name;
  LablinkCaptureSource  source;
  char                 *acquisition_id;
  char                 *equipment_id;
  char                 *stream_key;
  char                **channels;
  char                **units;
  guint64               n_samples;
  guint64               size_bytes;
  gint64                created_usec;
  gint64                start_usec;
  gint64                end_usec;
  guint                 n_gaps;
  gboolean              recording;
  gboolean              interrupted;
} LablinkCaptureInfo;

#define LABLINK_TYPE_CAPTURE_INFO (lablink_capture_info_get_type ())
LABLINK_AVAILABLE_IN_ALL
GType               lablink_capture_info_get_type     (void) G_GNUC_CONST;
LABLINK_AVAILABLE_IN_ALL
LablinkCaptureInfo *lablink_capture_info_copy         (const LablinkCaptureInfo *info);
LABLINK_AVAILABLE_IN_ALL
void                lablink_capture_info_free         (LablinkCaptureInfo       *info);
LABLINK_AVAILABLE_IN_ALL
double              lablink_capture_info_get_duration (const LablinkCaptureInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LablinkCaptureGap, lablink_capture_gap_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LablinkCaptureInfo, lablink_capture_info_free)

#define LABLINK_TYPE_CAPTURE (lablink_capture_get_type ())
LABLINK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (LablinkCapture, lablink_capture, LABLINK, CAPTURE, GObject)

LABLINK_AVAILABLE_IN_ALL
char               *lablink_capture_get_default_directory (void);

LABLINK_AVAILABLE_IN_ALL
LablinkCapture     *lablink_capture_new                 (const char            *directory,
                                                         const char            *name,
                                                         const char * const    *channels,
                                                         const char * const    *units,
                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
LablinkCapture     *lablink_capture_new_for_acquisition (LablinkStreamManager  *manager,
                                                         LablinkClient         *client,
                                                         const char            *acquisition_id,
                                                         const char            *directory,
                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
LablinkCapture     *lablink_capture_new_for_stream      (LablinkStreamManager  *manager,
                                                         const char            *stream_key,
                                                         const char            *directory,
                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
LablinkCapture     *lablink_capture_open                (const char            *capture_directory,
                                                         GError               **error);

LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_start               (LablinkCapture        *self,
                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_stop                (LablinkCapture        *self,
                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
void                lablink_capture_stop_async          (LablinkCapture        *self,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_stop_finish         (LablinkCapture        *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_flush               (LablinkCapture        *self,
                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_append              (LablinkCapture        *self,
                                                         gsize                  n_rows,
                                                         const gint64          *times,
                                                         const double          *values,
                                                         gsize                 *n_appended,
                                                         GError               **error);

LABLINK_AVAILABLE_IN_ALL
const char         *lablink_capture_get_directory       (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
const char         *lablink_capture_get_name            (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
LablinkCaptureSource lablink_capture_get_source         (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
const char         *lablink_capture_get_acquisition_id  (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
char               *lablink_capture_dup_equipment_id    (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
const char         *lablink_capture_get_stream_key      (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_get_recording       (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_get_interrupted     (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_get_read_only       (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
guint64             lablink_capture_get_n_samples       (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
guint               lablink_capture_get_n_channels      (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
const char         *lablink_capture_get_channel_name    (LablinkCapture        *self,
                                                         guint                  channel);
LABLINK_AVAILABLE_IN_ALL
char              **lablink_capture_dup_channel_names   (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
char              **lablink_capture_dup_channel_units   (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_set_channel_unit    (LablinkCapture        *self,
                                                         guint                  channel,
                                                         const char            *unit,
                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_get_time_range      (LablinkCapture        *self,
                                                         gint64                *start_usec,
                                                         gint64                *end_usec);
LABLINK_AVAILABLE_IN_ALL
gint64              lablink_capture_get_created_time    (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
LablinkCaptureGap  *lablink_capture_get_gaps            (LablinkCapture        *self,
                                                         guint                 *n_gaps);
LABLINK_AVAILABLE_IN_ALL
guint               lablink_capture_get_n_gaps          (LablinkCapture        *self);
LABLINK_AVAILABLE_IN_ALL
guint64             lablink_capture_get_n_invalid_samples (LablinkCapture      *self);
LABLINK_AVAILABLE_IN_ALL
guint64             lablink_capture_get_size_bytes      (LablinkCapture        *self);

LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_read                (LablinkCapture        *self,
                                                         guint64                first_row,
                                                         gsize                  n_rows,
                                                         gint64                *times,
                                                         double                *values,
                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
guint64             lablink_capture_find_row            (LablinkCapture        *self,
                                                         gint64                 time_usec,
                                                         GError               **error);

LABLINK_AVAILABLE_IN_ALL
GPtrArray          *lablink_capture_list                (const char            *directory,
                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_delete              (LablinkCapture        *self,
                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_delete_directory    (const char            *capture_directory,
                                                         GError               **error);

LABLINK_AVAILABLE_IN_ALL
char               *lablink_capture_format_time         (gint64                 unix_usec);

/**
 * LablinkCaptureView:
 *
 * Per-column minimum and maximum of a capture's channel over any time
 * range, exact, in time independent of the capture's length: from the
 * capture's min/max pyramid (built when the capture is written, or by
 * lablink_capture_view_new() for a capture that lacks it) and the rows at
 * the columns' edges.
 */
#define LABLINK_TYPE_CAPTURE_VIEW (lablink_capture_view_get_type ())
LABLINK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (LablinkCaptureView, lablink_capture_view, LABLINK, CAPTURE_VIEW, GObject)

LABLINK_AVAILABLE_IN_ALL
LablinkCaptureView *lablink_capture_view_new            (LablinkCapture        *capture,
                                                         GCancellable          *cancellable,
                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
void                lablink_capture_view_new_async      (LablinkCapture        *capture,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
LABLINK_AVAILABLE_IN_ALL
LablinkCaptureView *lablink_capture_view_new_finish     (GAsyncResult          *result,
                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
LablinkCapture     *lablink_capture_view_get_capture    (LablinkCaptureView    *self);
LABLINK_AVAILABLE_IN_ALL
guint64             lablink_capture_view_get_n_samples  (LablinkCaptureView    *self);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_view_get_time_range (LablinkCaptureView    *self,
                                                         gint64                *start_usec,
                                                         gint64                *end_usec);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_view_get_rebuilt    (LablinkCaptureView    *self);
LABLINK_AVAILABLE_IN_ALL
guint               lablink_capture_view_get_n_levels   (LablinkCaptureView    *self);
LABLINK_AVAILABLE_IN_ALL
gsize               lablink_capture_view_get_memory_bound (LablinkCaptureView  *self);
LABLINK_AVAILABLE_IN_ALL
gint64              lablink_capture_view_get_column_start (gint64               start_usec,
                                                         gint64                 end_usec,
                                                         guint                  n_columns,
                                                         guint                  column);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_capture_view_get_columns    (LablinkCaptureView    *self,
                                                         guint                  channel,
                                                         gint64                 start_usec,
                                                         gint64                 end_usec,
                                                         guint                  n_columns,
                                                         double                *mins,
                                                         double                *maxs,
                                                         guint64               *counts,
                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
LablinkCaptureGap  *lablink_capture_view_get_gaps       (LablinkCaptureView    *self,
                                                         gint64                 start_usec,
                                                         gint64                 end_usec,
                                                         guint                 *n_gaps);

G_END_DECLS
