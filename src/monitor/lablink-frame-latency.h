/* lablink-frame-latency.h — send → screen latency of the values a window shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <lablink.h>

G_BEGIN_DECLS

typedef struct _LablinkFrameLatency LablinkFrameLatency;

LablinkFrameLatency *lablink_frame_latency_new   (GtkWidget           *widget,
                                                  LablinkLatency      *histogram);
void                 lablink_frame_latency_free  (LablinkFrameLatency *self);
void                 lablink_frame_latency_add   (LablinkFrameLatency *self,
                                                  gint64               sent_at_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LablinkFrameLatency, lablink_frame_latency_free)

G_END_DECLS
