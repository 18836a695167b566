/* lablink-capture-private.h — helpers shared by lablink-capture.c and lablink-export.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Room for lablink_capture_format_time_buf(): "-292277-01-01T00:00:00.000000Z". */
#define LABLINK_CAPTURE_TIME_BUF_SIZE 40

/* Formats @unix_usec as ISO-8601 UTC with microseconds and `Z`, e.g.
 * `2026-11-25T16:14:37.638915Z`, into @buf; returns the length written.
 * Locale-independent, allocation-free (meant for per-row use). */
gsize lablink_capture_format_time_buf (gint64  unix_usec,
                                       char   *buf);

G_END_DECLS
