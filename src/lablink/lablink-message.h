/* lablink-message.h — one decoded LabLink protocol message
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "lablink-version-macros.h"

G_BEGIN_DECLS

/**
 * LablinkMessageType:
 * @LABLINK_MESSAGE_UNKNOWN: a type this library does not know (still delivered)
 * @LABLINK_MESSAGE_STREAM_DATA: `stream_data`
 * @LABLINK_MESSAGE_ACQUISITION_STREAM: `acquisition_stream`
 * @LABLINK_MESSAGE_STREAM_STARTED: `stream_started`
 * @LABLINK_MESSAGE_STREAM_STOPPED: `stream_stopped`
 * @LABLINK_MESSAGE_ACQUISITION_STREAM_STARTED: `acquisition_stream_started`
 * @LABLINK_MESSAGE_ACQUISITION_STREAM_STOPPED: `acquisition_stream_stopped`
 * @LABLINK_MESSAGE_PONG: `pong`
 * @LABLINK_MESSAGE_PING: `ping` (client to server)
 * @LABLINK_MESSAGE_ERROR: `error`, with a `detail`
 * @LABLINK_MESSAGE_START_STREAM: `start_stream` (client to server)
 * @LABLINK_MESSAGE_STOP_STREAM: `stop_stream` (client to server)
 * @LABLINK_MESSAGE_START_ACQUISITION_STREAM: `start_acquisition_stream` (client to server)
 * @LABLINK_MESSAGE_STOP_ACQUISITION_STREAM: `stop_acquisition_stream` (client to server)
 * @LABLINK_MESSAGE_EVENT: an unsolicited server event (`alarm*`, `job_*`, `discovery_progress`)
 *
 * The kinds of message of the LabLink WebSocket protocol.
 */
typedef enum {
  LABLINK_MESSAGE_UNKNOWN,
  LABLINK_MESSAGE_STREAM_DATA,
  LABLINK_MESSAGE_ACQUISITION_STREAM,
  LABLINK_MESSAGE_STREAM_STARTED,
  LABLINK_MESSAGE_STREAM_STOPPED,
  LABLINK_MESSAGE_ACQUISITION_STREAM_STARTED,
  LABLINK_MESSAGE_ACQUISITION_STREAM_STOPPED,
  LABLINK_MESSAGE_PONG,
  LABLINK_MESSAGE_PING,
  LABLINK_MESSAGE_ERROR,
  LABLINK_MESSAGE_START_STREAM,
  LABLINK_MESSAGE_STOP_STREAM,
  LABLINK_MESSAGE_START_ACQUISITION_STREAM,
  LABLINK_MESSAGE_STOP_ACQUISITION_STREAM,
  LABLINK_MESSAGE_EVENT,
} LablinkMessageType;

/**
 * LABLINK_MESSAGE_DEFAULT_MAX_SIZE:
 *
 * The default size limit of one frame, in bytes (16 MiB).
 */
#define LABLINK_MESSAGE_DEFAULT_MAX_SIZE (16u * 1024u * 1024u)

/**
 * LABLINK_MESSAGE_MAX_DEPTH:
 *
 * The deepest JSON nesting accepted in a frame.
 */
#define LABLINK_MESSAGE_MAX_DEPTH 64

/**
 * LablinkMessage:
 *
 * An immutable, reference-counted LabLink message: the frame's text, its
 * validated JSON structure, and the fields every consumer needs decoded once
 * (type, ids, sample arrays). Safe to share between threads.
 */
typedef struct _LablinkMessage LablinkMessage;

#define LABLINK_TYPE_MESSAGE (lablink_message_get_type ())
LABLINK_AVAILABLE_IN_ALL
GType lablink_message_get_type (void) G_GNUC_CONST;

LABLINK_AVAILABLE_IN_ALL
LablinkMessage     *lablink_message_parse             (const char      *text,
                                                       gssize           length,
                                                       GError         **error);
LABLINK_AVAILABLE_IN_ALL
LablinkMessage     *lablink_message_parse_bytes       (GBytes          *bytes,
                                                       gsize            max_size,
                                                       GError         **error);
LABLINK_AVAILABLE_IN_ALL
LablinkMessage     *lablink_message_ref               (LablinkMessage  *self);
LABLINK_AVAILABLE_IN_ALL
void                lablink_message_unref             (LablinkMessage  *self);

LABLINK_AVAILABLE_IN_ALL
LablinkMessageType  lablink_message_get_message_type  (LablinkMessage  *self);
LABLINK_AVAILABLE_IN_ALL
const char         *lablink_message_get_type_name     (LablinkMessage  *self);
LABLINK_AVAILABLE_IN_ALL
GBytes             *lablink_message_get_bytes         (LablinkMessage  *self);
LABLINK_AVAILABLE_IN_ALL
const char         *lablink_message_get_text          (LablinkMessage  *self,
                                                       gsize           *length);
LABLINK_AVAILABLE_IN_ALL
gint64              lablink_message_get_received_time (LablinkMessage  *self);

LABLINK_AVAILABLE_IN_ALL
gint64              lablink_message_get_sent_time     (LablinkMessage  *self);
LABLINK_AVAILABLE_IN_ALL
const char         *lablink_message_get_equipment_id  (LablinkMessage  *self);
LABLINK_AVAILABLE_IN_ALL
const char         *lablink_message_get_stream_type   (LablinkMessage  *self);
LABLINK_AVAILABLE_IN_ALL
const char         *lablink_message_get_acquisition_id(LablinkMessage  *self);
LABLINK_AVAILABLE_IN_ALL
const char         *lablink_message_get_stream_key    (LablinkMessage  *self);
LABLINK_AVAILABLE_IN_ALL
const char         *lablink_message_get_detail        (LablinkMessage  *self);

LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_message_has_member        (LablinkMessage  *self,
                                                       const char      *path);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_message_is_null           (LablinkMessage  *self,
                                                       const char      *path);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_message_get_double        (LablinkMessage  *self,
                                                       const char      *path,
                                                       double          *value);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_message_get_int           (LablinkMessage  *self,
                                                       const char      *path,
                                                       gint64          *value);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_message_get_boolean       (LablinkMessage  *self,
                                                       const char      *path,
                                                       gboolean        *value);
LABLINK_AVAILABLE_IN_ALL
char               *lablink_message_dup_string        (LablinkMessage  *self,
                                                       const char      *path);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_message_get_timestamp     (LablinkMessage  *self,
                                                       const char      *path,
                                                       gint64          *unix_usec);
LABLINK_AVAILABLE_IN_ALL
JsonNode           *lablink_message_get_node          (LablinkMessage  *self);

/* Sample arrays, decoded once at parse time. */
LABLINK_AVAILABLE_IN_ALL
const double       *lablink_message_get_waveform      (LablinkMessage  *self,
                                                       gsize           *n_samples);
LABLINK_AVAILABLE_IN_ALL
gsize               lablink_message_get_n_samples     (LablinkMessage  *self);
LABLINK_AVAILABLE_IN_ALL
guint               lablink_message_get_n_channels    (LablinkMessage  *self);
LABLINK_AVAILABLE_IN_ALL
const char         *lablink_message_get_channel_name  (LablinkMessage  *self,
                                                       guint            channel);
LABLINK_AVAILABLE_IN_ALL
const gint64       *lablink_message_get_sample_times  (LablinkMessage  *self,
                                                       gsize           *n_samples);
LABLINK_AVAILABLE_IN_ALL
const gint64       *lablink_message_get_invalid_samples (LablinkMessage *self,
                                                         gsize          *n_invalid);
LABLINK_AVAILABLE_IN_ALL
const double       *lablink_message_get_channel_values(LablinkMessage  *self,
                                                       guint            channel,
                                                       gsize           *n_samples);

LABLINK_AVAILABLE_IN_ALL
LablinkMessage     *lablink_message_new_with_waveform (LablinkMessage  *self,
                                                       const double    *samples,
                                                       gsize            n_samples);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LablinkMessage, lablink_message_unref)

LABLINK_AVAILABLE_IN_ALL
JsonNode           *lablink_json_parse                (const char      *text,
                                                       gssize           length,
                                                       GError         **error);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_parse_timestamp           (const char      *text,
                                                       gsize            length,
                                                       gint64          *unix_usec);

/**
 * LABLINK_SAMPLE_TIME_MIN:
 *
 * The earliest valid sample time, 1900-01-01T00:00:00Z in µs since the
 * epoch (see lablink_sample_time_is_valid()).
 */
#define LABLINK_SAMPLE_TIME_MIN        G_GINT64_CONSTANT (-2208988800000000)

/**
 * LABLINK_SAMPLE_TIME_MAX:
 *
 * The end of the valid sample times (excluded), 2200-01-01T00:00:00Z in µs
 * since the epoch (see lablink_sample_time_is_valid()).
 */
#define LABLINK_SAMPLE_TIME_MAX        G_GINT64_CONSTANT (7258118400000000)

/**
 * LABLINK_SAMPLE_TIME_MAX_AHEAD:
 *
 * How far (µs) a sample time may lie ahead of the time it was received: a
 * year, far more than any clock skew or time zone mix-up.
 */
#define LABLINK_SAMPLE_TIME_MAX_AHEAD  (G_GINT64_CONSTANT (366) * G_TIME_SPAN_DAY)

LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_sample_time_is_valid      (gint64           unix_usec,
                                                       gint64           received);
LABLINK_AVAILABLE_IN_ALL
gboolean            lablink_sample_time_from_seconds  (double           seconds,
                                                       gint64          *unix_usec);

G_END_DECLS
