/* lablink-capture-private.h — internals shared by the capture's files
 *
 * LablinkCapture is split over sibling files, one thing each:
 *
 *  - lablink-capture.c           the object: type, properties, construction, accessors
 *  - lablink-capture-format.c    the directory on disk: times, chunk files, capture.ini
 *  - lablink-capture-io.c        file I/O helpers (errors from errno, write/read loops)
 *  - lablink-capture-writer.c    the writer thread and its queue of blocks
 *  - lablink-capture-merge.c     taking rows in: channels, merge by timestamp, gaps
 *  - lablink-capture-recorder.c  start/stop, following the stream manager
 *  - lablink-capture-backfill.c  fetching what an outage missed over REST
 *  - lablink-capture-tail.c      stopping after the acquisition's last samples
 *  - lablink-capture-reader.c    reading rows back, finding a time
 *  - lablink-capture-catalog.c   listing and deleting the captures on disk
 *  - lablink-capture-pyramid.c   the min/max pyramid files and their builder
 *  - lablink-capture-view.c      LablinkCaptureView: per-column min/max of a
 *                                time range, from the pyramid
 *
 * The export (lablink-export*.c) uses the time formatting and the I/O
 * helpers, nothing else from here.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <string.h>

#include "lablink-capture.h"
#include "lablink-message.h"

G_BEGIN_DECLS

#define LABLINK_CAPTURE_METADATA_FILE  "capture.ini"
#define LABLINK_CAPTURE_MAX_BACKFILL   1000000

/* The pyramid (lablink-capture-pyramid.c): level L summarizes 64^L rows. */
#define LABLINK_CAPTURE_PYRAMID_FACTOR      64
#define LABLINK_CAPTURE_PYRAMID_MAX_LEVELS  5
#define LABLINK_CAPTURE_PYRAMID_HEADER      32

typedef struct _LablinkCapturePyramidBuilder LablinkCapturePyramidBuilder;

/* Room for lablink_capture_format_time_buf(): "-292277-01-01T00:00:00.000000Z". */
#define LABLINK_CAPTURE_TIME_BUF_SIZE 40

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
  guint64               n_invalid;
  gint64                first_time;
  gint64                last_time;
  gint64                started;
  gint64                stopped;
  char                 *failure;      /* why recording ended on its own */
  gboolean              writing;
  gboolean              meta_dirty;
  GQueue                blocks;
  gsize                 queued_bytes;
  gboolean              writer_quit;
  guint64               flush_requested;
  guint64               flush_done;
  GError               *write_error;
  GThread              *writer;
  LablinkCapturePyramidBuilder *pyramid;   /* the writer thread's (between runs: nobody's) */
  gboolean              pyramid_off;       /* rows were written without it */

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
  gint64                record_start;   /* real time of the last lablink_capture_start() */
  GQueue                held;
  GSource              *notify_source;
  GSource              *failed_source;
  guint64               notified_n_rows;
  guint                 notified_n_gaps;
  guint                 interval_ms;
  guint                 window_samples;
  guint                 backfill_samples;
  gboolean              backfill_samples_set;
  guint                 server_buffer;  /* the acquisition's buffer_size, 0 = not known yet */
  guint                 backfill_timeout_ms;
  gboolean              count_known;    /* count_base is set */
  gint64                count_base;     /* samples the server made that the capture never had to hold */
  guint64               count_lost;     /* samples found missing so far */
  gboolean              last_gap_unverified;  /* closed, not yet checked by the counts */
  guint                 backfill_want;  /* samples the next backfill needs, 0 = all there are */
  guint                 n_holes;        /* holes recorded by merges (lablink-capture-tail.c) */
  gint64                merge_until;    /* newer samples are not the capture's (the tail's cut) */
  GTask                *tail_task;      /* lablink_capture_stop_async() under way */
  gboolean              invalid_seen;
  gint64                invalid_anchor;
  gsize                 invalid_anchor_count;
  GArray               *scratch_times;
  GArray               *scratch_values;
};

typedef enum {
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
} LablinkCaptureProp;

/* A capture directory as read from the disk (lablink_capture_load()). */
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
  char                 *failure;
  gint64                pid;
  GArray               *gaps;
  guint64               n_rows;
  guint64               size_bytes;
  guint64               n_invalid;
  gint64                first_time;
  gint64                last_time;
} LablinkCaptureLoaded;

/* Row encoding: a little-endian gint64 timestamp (µs since the epoch), then
 * one little-endian IEEE-754 double per channel. */

static inline gsize
lablink_capture_row_size (guint n_channels)
{
  return sizeof (gint64) + (gsize) n_channels * sizeof (double);
}

static inline void
lablink_capture_put_le64 (guint8  *p,
                          guint64  v)
{
  v = GUINT64_TO_LE (v);
  memcpy (p, &v, sizeof v);
}

static inline guint64
lablink_capture_get_le64 (const guint8 *p)
{
  guint64 v;
  memcpy (&v, p, sizeof v);
  return GUINT64_FROM_LE (v);
}

static inline void
lablink_capture_put_double (guint8 *p,
                            double  d)
{
  guint64 v;
  memcpy (&v, &d, sizeof v);
  lablink_capture_put_le64 (p, v);
}

static inline double
lablink_capture_get_double (const guint8 *p)
{
  guint64 v = lablink_capture_get_le64 (p);
  double d;
  memcpy (&d, &v, sizeof d);
  return d;
}

/* lablink-capture.c */
void        lablink_capture_notify                 (LablinkCapture        *self,
                                                    LablinkCaptureProp     prop_id);
void        lablink_capture_emit_failed            (LablinkCapture        *self,
                                                    const GError          *error);
char      **lablink_capture_dup_strv               (GPtrArray             *array);

/* lablink-capture-format.c */

/* Formats @unix_usec as ISO-8601 UTC with microseconds and `Z`, e.g.
 * `2026-11-25T16:14:37.638915Z`, into @buf (LABLINK_CAPTURE_TIME_BUF_SIZE
 * bytes); returns the length written. Locale-independent, allocation-free
 * (meant for per-row use). */
gsize       lablink_capture_format_time_buf        (gint64                 unix_usec,
                                                    char                  *buf);
const char *lablink_capture_source_to_string       (LablinkCaptureSource   source);
char       *lablink_capture_chunk_path             (const char            *directory,
                                                    guint                  chunk);
gboolean    lablink_capture_pid_alive              (gint64                 pid);
char       *lablink_capture_build_metadata_locked  (LablinkCapture        *self,
                                                    guint64                n_samples,
                                                    gsize                 *length);
gboolean    lablink_capture_save_metadata          (const char            *directory,
                                                    const char            *data,
                                                    gsize                  length,
                                                    GError               **error);
gboolean    lablink_capture_load                   (const char            *directory,
                                                    LablinkCaptureLoaded  *loaded,
                                                    GError               **error);
void        lablink_capture_loaded_clear           (LablinkCaptureLoaded  *loaded);
guint64     lablink_capture_directory_size         (const char            *directory);
gboolean    lablink_capture_create_storage         (LablinkCapture        *self,
                                                    const char            *parent,
                                                    const char            *label,
                                                    GError               **error);

/* lablink-capture-io.c (also used by the export) */
void        lablink_capture_set_io_error           (GError               **error,
                                                    int                    saved_errno,
                                                    const char            *what,
                                                    const char            *path);
gboolean    lablink_capture_write_all              (int                    fd,
                                                    const guint8          *data,
                                                    gsize                  size,
                                                    const char            *path,
                                                    GError               **error);
gboolean    lablink_capture_pread_all              (int                    fd,
                                                    guint8                *data,
                                                    gsize                  size,
                                                    goffset                offset,
                                                    const char            *path,
                                                    GError               **error);
void        lablink_capture_fsync_directory        (const char            *directory);

/* lablink-capture-writer.c */
void        lablink_capture_writer_start           (LablinkCapture        *self);
gboolean    lablink_capture_writer_stop            (LablinkCapture        *self,
                                                    GError               **error);
gboolean    lablink_capture_queue_rows             (LablinkCapture        *self,
                                                    gsize                  n_rows,
                                                    const gint64          *times,
                                                    const double          *values,
                                                    GError               **error);
gboolean    lablink_capture_save_metadata_now      (LablinkCapture        *self,
                                                    GError               **error);

/* lablink-capture-merge.c */
gboolean    lablink_capture_notify_cb              (gpointer               data);
void        lablink_capture_schedule_notify        (LablinkCapture        *self);
void        lablink_capture_cancel_notify          (LablinkCapture        *self);
const char *lablink_capture_guess_unit             (LablinkCaptureSource   source,
                                                    const char            *channel,
                                                    const char            *equipment_id);
void        lablink_capture_set_channels           (LablinkCapture        *self,
                                                    const char * const    *names,
                                                    guint                  n_names);
gint64      lablink_capture_get_last_time          (LablinkCapture        *self);
gint64      lablink_capture_get_hole_floor         (LablinkCapture        *self,
                                                    gint64                 last);
gint        lablink_capture_add_gap                (LablinkCapture        *self,
                                                    gint64                 start,
                                                    gint64                 end,
                                                    gboolean               data_lost);
void        lablink_capture_update_gap             (LablinkCapture        *self,
                                                    gint                   index,
                                                    gint64                 end,
                                                    guint64                add_recovered,
                                                    gboolean               data_lost);
void        lablink_capture_add_invalid            (LablinkCapture        *self,
                                                    guint64                n);
void        lablink_capture_count_invalid          (LablinkCapture        *self,
                                                    const gint64          *invalid_after,
                                                    gsize                  n_invalid);
guint64     lablink_capture_merge_columns          (LablinkCapture        *self,
                                                    gsize                  n,
                                                    const gint64          *times,
                                                    const double * const  *columns,
                                                    gboolean               complete);
gboolean    lablink_capture_message_is_complete_history (LablinkMessage   *message,
                                                         gsize             n);
guint64     lablink_capture_merge_acquisition_message   (LablinkCapture   *self,
                                                         LablinkMessage   *message);

/* lablink-capture-backfill.c */
void        lablink_capture_hold_message           (LablinkCapture        *self,
                                                    LablinkMessage        *message);
void        lablink_capture_release_held           (LablinkCapture        *self);
gboolean    lablink_capture_merge_backfill_answer  (LablinkCapture        *self,
                                                    LablinkMessage        *window,
                                                    guint                  requested,
                                                    gboolean              *too_short,
                                                    guint64               *n_appended);
guint       lablink_capture_backfill_limit         (LablinkCapture        *self);
void        lablink_capture_request_backfill       (LablinkCapture        *self,
                                                    gint                   gap);
void        lablink_capture_cancel_backfill        (LablinkCapture        *self);

/* lablink-capture-pyramid.c */
char       *lablink_capture_pyramid_path           (const char            *directory,
                                                    guint                  level);
gsize       lablink_capture_pyramid_entry_size     (guint                  n_channels);
guint64     lablink_capture_pyramid_check          (const guint8          *entry,
                                                    gsize                  entry_size,
                                                    guint64                index,
                                                    guint                  level);
void        lablink_capture_pyramid_put_header     (guint8                *header,
                                                    guint                  level,
                                                    guint                  n_channels);
gboolean    lablink_capture_pyramid_header_ok      (const guint8          *header,
                                                    guint                  level,
                                                    guint                  n_channels);
void        lablink_capture_pyramid_remove         (const char            *directory);
LablinkCapturePyramidBuilder *
            lablink_capture_pyramid_builder_new    (const char            *directory,
                                                    guint                  n_channels,
                                                    gboolean               temporary);
gboolean    lablink_capture_pyramid_builder_feed   (LablinkCapturePyramidBuilder *self,
                                                    const guint8          *rows,
                                                    gsize                  n_rows,
                                                    GError               **error);
gboolean    lablink_capture_pyramid_builder_flush  (LablinkCapturePyramidBuilder *self,
                                                    GError               **error);
gboolean    lablink_capture_pyramid_builder_finish (LablinkCapturePyramidBuilder *self,
                                                    GError               **error);
void        lablink_capture_pyramid_builder_free   (LablinkCapturePyramidBuilder *self);
gboolean    lablink_capture_pyramid_build          (const char            *directory,
                                                    guint                  n_channels,
                                                    guint                  chunk_rows,
                                                    guint64                n_rows,
                                                    GCancellable          *cancellable,
                                                    GError               **error);

/* lablink-capture-recorder.c */
void        lablink_capture_fail                   (LablinkCapture        *self,
                                                    gint                   gap,
                                                    const GError          *error);

/* lablink-capture-tail.c */
void        lablink_capture_tail_continue          (LablinkCapture        *self);
void        lablink_capture_tail_abort             (LablinkCapture        *self);

G_END_DECLS
