/* lablink-protocol.h — building LabLink protocol frames
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include <glib.h>

#include "lablink-version-macros.h"

G_BEGIN_DECLS

#define LABLINK_STREAM_READINGS     "readings"
#define LABLINK_STREAM_WAVEFORM     "waveform"
#define LABLINK_STREAM_MEASUREMENTS "measurements"

#define LABLINK_DEFAULT_INTERVAL_MS 100
#define LABLINK_DEFAULT_NUM_SAMPLES 100

/* Client → server frames (newly allocated UTF-8 JSON text). */
LABLINK_AVAILABLE_IN_ALL
char *lablink_protocol_build_start_stream             (const char *equipment_id,
                                                       const char *stream_type,
                                                       guint       interval_ms);
LABLINK_AVAILABLE_IN_ALL
char *lablink_protocol_build_stop_stream              (const char *equipment_id,
                                                       const char *stream_type);
LABLINK_AVAILABLE_IN_ALL
char *lablink_protocol_build_start_acquisition_stream (const char *acquisition_id,
                                                       guint       interval_ms,
                                                       guint       num_samples);
LABLINK_AVAILABLE_IN_ALL
char *lablink_protocol_build_stop_acquisition_stream  (const char *acquisition_id);
LABLINK_AVAILABLE_IN_ALL
char *lablink_protocol_build_ping                     (void);

/* Stream keys as the server names them: `<equipment_id>_<stream_type>`, and
 * `acquisition_<id>` for acquisition streams. */
LABLINK_AVAILABLE_IN_ALL
char *lablink_protocol_stream_key                     (const char *equipment_id,
                                                       const char *stream_type);
LABLINK_AVAILABLE_IN_ALL
char *lablink_protocol_acquisition_key                (const char *acquisition_id);

LABLINK_AVAILABLE_IN_ALL
char *lablink_format_timestamp                        (gint64      unix_usec);

G_END_DECLS
