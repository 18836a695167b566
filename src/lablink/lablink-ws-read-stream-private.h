/* lablink-ws-read-stream-private.h — the stream the worker's WebSocket reads from
 *
 * See lablink-ws-read-stream.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LABLINK_TYPE_WS_READ_STREAM (lablink_ws_read_stream_get_type ())
G_DECLARE_FINAL_TYPE (LablinkWsReadStream, lablink_ws_read_stream, LABLINK, WS_READ_STREAM, GIOStream)

GIOStream *lablink_ws_read_stream_new (GIOStream *base,
                                       gboolean   plain,
                                       guint      period_us,
                                       GFunc      burst_end,
                                       gpointer   data);

G_END_DECLS
