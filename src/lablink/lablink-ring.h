/* lablink-ring.h — a time-stamped, multi-channel ring of doubles
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include <glib-object.h>

#include "lablink-version-macros.h"

G_BEGIN_DECLS

/**
 * LablinkRing:
 *
 * A fixed-capacity ring of time-stamped samples: each entry is one time
 * (microseconds, any clock the caller chooses) and one double per channel.
 * Times are strictly increasing; when the ring is full the oldest entry is
 * overwritten. A `NaN` value marks a gap (a plot breaks its trace there).
 *
 * A plain reference-counted structure, not thread-safe: use it from one
 * thread (the UI's).
 */
typedef struct _LablinkRing LablinkRing;

#define LABLINK_TYPE_RING (lablink_ring_get_type ())
LABLINK_AVAILABLE_IN_ALL
GType         lablink_ring_get_type         (void) G_GNUC_CONST;

LABLINK_AVAILABLE_IN_ALL
LablinkRing  *lablink_ring_new              (guint               n_channels,
                                             gsize               capacity);
LABLINK_AVAILABLE_IN_ALL
LablinkRing  *lablink_ring_ref              (LablinkRing        *self);
LABLINK_AVAILABLE_IN_ALL
void          lablink_ring_unref            (LablinkRing        *self);

LABLINK_AVAILABLE_IN_ALL
guint         lablink_ring_get_n_channels   (LablinkRing        *self);
LABLINK_AVAILABLE_IN_ALL
gsize         lablink_ring_get_capacity     (LablinkRing        *self);
LABLINK_AVAILABLE_IN_ALL
gsize         lablink_ring_get_length       (LablinkRing        *self);
LABLINK_AVAILABLE_IN_ALL
guint64       lablink_ring_get_total_pushed (LablinkRing        *self);
LABLINK_AVAILABLE_IN_ALL
guint64       lablink_ring_get_serial       (LablinkRing        *self);
LABLINK_AVAILABLE_IN_ALL
void          lablink_ring_clear            (LablinkRing        *self);

LABLINK_AVAILABLE_IN_ALL
gboolean      lablink_ring_push             (LablinkRing        *self,
                                             gint64              time,
                                             const double       *values);
LABLINK_AVAILABLE_IN_ALL
gboolean      lablink_ring_push_gap         (LablinkRing        *self,
                                             gint64              time);
LABLINK_AVAILABLE_IN_ALL
gsize         lablink_ring_merge            (LablinkRing        *self,
                                             gsize               n,
                                             const gint64       *times,
                                             const double *const *channel_values);

LABLINK_AVAILABLE_IN_ALL
gboolean      lablink_ring_get_time_range   (LablinkRing        *self,
                                             gint64             *first,
                                             gint64             *last);
LABLINK_AVAILABLE_IN_ALL
gint64        lablink_ring_get_time         (LablinkRing        *self,
                                             gsize               index);
LABLINK_AVAILABLE_IN_ALL
double        lablink_ring_get_value        (LablinkRing        *self,
                                             gsize               index,
                                             guint               channel);
LABLINK_AVAILABLE_IN_ALL
gboolean      lablink_ring_get_last         (LablinkRing        *self,
                                             gint64             *time,
                                             double             *values);
LABLINK_AVAILABLE_IN_ALL
gsize         lablink_ring_lower_bound      (LablinkRing        *self,
                                             gint64              time);
LABLINK_AVAILABLE_IN_ALL
gsize         lablink_ring_find_range       (LablinkRing        *self,
                                             gint64              from,
                                             gint64              to,
                                             gsize              *first_index);
LABLINK_AVAILABLE_IN_ALL
gsize         lablink_ring_copy_times       (LablinkRing        *self,
                                             gsize               index,
                                             gsize               n,
                                             gint64             *times);
LABLINK_AVAILABLE_IN_ALL
gsize         lablink_ring_copy_values      (LablinkRing        *self,
                                             guint               channel,
                                             gsize               index,
                                             gsize               n,
                                             double             *values);
LABLINK_AVAILABLE_IN_ALL
gsize         lablink_ring_copy_xy          (LablinkRing        *self,
                                             guint               channel,
                                             gsize               index,
                                             gsize               n,
                                             gint64              origin,
                                             double             *x_seconds,
                                             double             *y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LablinkRing, lablink_ring_unref)

G_END_DECLS
