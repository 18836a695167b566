/* lablink-ring.c — a time-stamped, multi-channel ring of doubles
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lablink-ring.h"

struct _LablinkRing
{
  gatomicrefcount ref_count;
  guint           n_channels;
  gsize           capacity;
  gsize           head;      /* slot of the oldest entry */
  gsize           length;
  guint64         total;     /* entries ever pushed */
  guint64         serial;    /* bumped on every change */
  gint64         *times;
  double         *values;    /* planar: channel * capacity + slot */
};

G_DEFINE_BOXED_TYPE (LablinkRing, lablink_ring, lablink_ring_ref, lablink_ring_unref)

/**
 * lablink_ring_new:
 * @n_channels: values per entry (at least 1)
 * @capacity: how many entries the ring keeps (at least 1)
 *
 * Creates an empty ring.
 *
 * Returns: (transfer full): a new ring
 */
LablinkRing *
lablink_ring_new (guint n_channels,
                  gsize capacity)
{
  LablinkRing *self;

  g_return_val_if_fail (n_channels >= 1 && n_channels <= 4096, NULL);
  g_return_val_if_fail (capacity >= 1 && capacity <= G_MAXSIZE / sizeof (double) / n_channels, NULL);

  self = g_new0 (LablinkRing, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->n_channels = n_channels;
  self->capacity = capacity;
  self->times = g_new (gint64, capacity);
  self->values = g_new (double, capacity * n_channels);
  return self;
}

/**
 * lablink_ring_ref:
 * @self: a ring
 *
 * Returns: (transfer full): @self
 */
LablinkRing *
lablink_ring_ref (LablinkRing *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * lablink_ring_unref:
 * @self: (transfer full): a ring
 */
void
lablink_ring_unref (LablinkRing *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->times);
  g_free (self->values);
  g_free (self);
}

guint
lablink_ring_get_n_channels (LablinkRing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_channels;
}

gsize
lablink_ring_get_capacity (LablinkRing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->capacity;
}

/**
 * lablink_ring_get_length:
 * @self: a ring
 *
 * Returns: how many entries the ring holds now (at most its capacity)
 */
gsize
lablink_ring_get_length (LablinkRing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->length;
}

/**
 * lablink_ring_get_total_pushed:
 * @self: a ring
 *
 * Returns: how many entries were ever pushed (gaps included), since
 *   creation or the last lablink_ring_clear()
 */
guint64
lablink_ring_get_total_pushed (LablinkRing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->total;
}

/**
 * lablink_ring_get_serial:
 * @self: a ring
 *
 * A number that changes whenever the ring's content changes: a consumer
 * compares it with the one it saw last to know whether to redraw.
 *
 * Returns: the change serial
 */
guint64
lablink_ring_get_serial (LablinkRing *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->serial;
}

/**
 * lablink_ring_clear:
 * @self: a ring
 *
 * Removes every entry.
 */
void
lablink_ring_clear (LablinkRing *self)
{
  g_return_if_fail (self != NULL);
  self->head = 0;
  self->length = 0;
  self->total = 0;
  self->serial++;
}

static inline gsize
slot_of (LablinkRing *self,
         gsize        index)
{
  gsize slot = self->head + index;
  return slot >= self->capacity ? slot - self->capacity : slot;
}

static inline gsize
next_slot (LablinkRing *self)
{
  gsize slot;

  if (self->length < self->capacity)
    {
      slot = slot_of (self, self->length);
      self->length++;
    }
  else
    {
      slot = self->head;
      self->head = self->head + 1 == self->capacity ? 0 : self->head + 1;
    }
  self->total++;
  return slot;
}

static inline gint64
last_time (LablinkRing *self)
{
  return self->times[slot_of (self, self->length - 1)];
}

/**
 * lablink_ring_push:
 * @self: a ring
 * @time: the entry's time, later than the last entry's
 * @values: (array): one value per channel (`NaN` for none)
 *
 * Appends one entry, overwriting the oldest when the ring is full. An entry
 * not later than the last one is refused (a sample is never stored twice).
 *
 * Returns: whether the entry was appended
 */
gboolean
lablink_ring_push (LablinkRing  *self,
                   gint64        time,
                   const double *values)
{
  gsize slot;
  guint c;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);

  if (self->length > 0 && time <= last_time (self))
    return FALSE;

  slot = next_slot (self);
  self->times[slot] = time;
  for (c = 0; c < self->n_channels; c++)
    self->values[(gsize) c * self->capacity + slot] = values[c];
  self->serial++;
  return TRUE;
}

/**
 * lablink_ring_push_gap:
 * @self: a ring
 * @time: when the gap began
 *
 * Appends an entry whose every value is `NaN`, so that a trace drawn from
 * the ring breaks there (an outage, a stopped stream). Nothing is appended
 * to an empty ring or after another gap. A @time not later than the last
 * entry is moved just after it.
 *
 * Returns: whether a gap was appended
 */
gboolean
lablink_ring_push_gap (LablinkRing *self,
                       gint64       time)
{
  gsize last, slot;
  gboolean all_nan = TRUE;
  guint c;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->length == 0)
    return FALSE;

  last = slot_of (self, self->length - 1);
  for (c = 0; c < self->n_channels && all_nan; c++)
    all_nan = isnan (self->values[(gsize) c * self->capacity + last]);
  if (all_nan)
    return FALSE;

  if (time <= self->times[last])
    time = self->times[last] + 1;

  slot = next_slot (self);
  self->times[slot] = time;
  for (c = 0; c < self->n_channels; c++)
    self->values[(gsize) c * self->capacity + slot] = NAN;
  self->serial++;
  return TRUE;
}

/**
 * lablink_ring_merge:
 * @self: a ring
 * @n: number of samples
 * @times: (array length=n): their times, increasing
 * @channel_values: (array): per channel of the ring, an array of @n values,
 *   or %NULL for a channel without values (stored as `NaN`)
 *
 * Merges a window of samples that may overlap what the ring already holds
 * (acquisition frames carry the latest N samples, so consecutive frames
 * repeat samples): only samples later than the ring's last entry are
 * appended, so no sample is ever stored twice.
 *
 * Returns: how many samples were appended
 */
gsize
lablink_ring_merge (LablinkRing          *self,
                    gsize                 n,
                    const gint64         *times,
                    const double *const  *channel_values)
{
  gsize i, added = 0;
  gboolean have_last;
  gint64 last = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (n == 0 || times != NULL, 0);
  g_return_val_if_fail (n == 0 || channel_values != NULL, 0);

  have_last = self->length > 0;
  if (have_last)
    last = last_time (self);

  for (i = 0; i < n; i++)
    {
      gsize slot;
      guint c;

      if (have_last && times[i] <= last)
        continue;

      slot = next_slot (self);
      self->times[slot] = times[i];
      for (c = 0; c < self->n_channels; c++)
        self->values[(gsize) c * self->capacity + slot] =
          channel_values[c] != NULL ? channel_values[c][i] : NAN;
      last = times[i];
      have_last = TRUE;
      added++;
    }

  if (added > 0)
    self->serial++;
  return added;
}

/**
 * lablink_ring_get_time_range:
 * @self: a ring
 * @first: (out) (optional): the oldest entry's time
 * @last: (out) (optional): the newest entry's time
 *
 * Returns: %FALSE if the ring is empty
 */
gboolean
lablink_ring_get_time_range (LablinkRing *self,
                             gint64      *first,
                             gint64      *last)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->length == 0)
    return FALSE;
  if (first)
    *first = self->times[self->head];
  if (last)
    *last = last_time (self);
  return TRUE;
}

/**
 * lablink_ring_get_time:
 * @self: a ring
 * @index: 0 for the oldest entry, up to length − 1
 *
 * Returns: the entry's time
 */
gint64
lablink_ring_get_time (LablinkRing *self,
                       gsize        index)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (index < self->length, 0);
  return self->times[slot_of (self, index)];
}

/**
 * lablink_ring_get_value:
 * @self: a ring
 * @index: 0 for the oldest entry, up to length − 1
 * @channel: the channel
 *
 * Returns: the value (`NaN` for a gap)
 */
double
lablink_ring_get_value (LablinkRing *self,
                        gsize        index,
                        guint        channel)
{
  g_return_val_if_fail (self != NULL, NAN);
  g_return_val_if_fail (index < self->length, NAN);
  g_return_val_if_fail (channel < self->n_channels, NAN);
  return self->values[(gsize) channel * self->capacity + slot_of (self, index)];
}

/**
 * lablink_ring_get_last: (skip)
 * @self: a ring
 * @time: (out) (optional): the newest entry's time
 * @values: (out caller-allocates) (optional): room for one value per channel
 *
 * Returns: %FALSE if the ring is empty
 */
gboolean
lablink_ring_get_last (LablinkRing *self,
                       gint64      *time,
                       double      *values)
{
  gsize slot;
  guint c;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->length == 0)
    return FALSE;

  slot = slot_of (self, self->length - 1);
  if (time)
    *time = self->times[slot];
  if (values)
    for (c = 0; c < self->n_channels; c++)
      values[c] = self->values[(gsize) c * self->capacity + slot];
  return TRUE;
}

/**
 * lablink_ring_lower_bound:
 * @self: a ring
 * @time: a time
 *
 * Returns: the index of the first entry at or after @time (the length if
 *   there is none)
 */
gsize
lablink_ring_lower_bound (LablinkRing *self,
                          gint64       time)
{
  gsize lo = 0, hi;

  g_return_val_if_fail (self != NULL, 0);

  hi = self->length;
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (self->times[slot_of (self, mid)] < time)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * lablink_ring_find_range:
 * @self: a ring
 * @from: the earliest time
 * @to: the latest time
 * @first_index: (out) (optional): the index of the first entry in range
 *
 * Finds the entries with @from ≤ time ≤ @to.
 *
 * Returns: how many there are
 */
gsize
lablink_ring_find_range (LablinkRing *self,
                         gint64       from,
                         gint64       to,
                         gsize       *first_index)
{
  gsize first, end;

  g_return_val_if_fail (self != NULL, 0);

  first = lablink_ring_lower_bound (self, from);
  end = to == G_MAXINT64 ? self->length : lablink_ring_lower_bound (self, to + 1);
  if (first_index)
    *first_index = first;
  return end > first ? end - first : 0;
}

/* Calls @func on the (at most two) contiguous slot spans of [index, index + n). */
#define FOR_SPANS(self, index, n, body)                                  \
  G_STMT_START {                                                         \
    gsize _start = slot_of (self, index);                                \
    gsize _first = MIN (n, self->capacity - _start);                     \
    gsize span_slot = _start, span_len = _first, span_out = 0;           \
    body;                                                                \
    if (_first < n)                                                      \
      {                                                                  \
        span_slot = 0; span_len = n - _first; span_out = _first;         \
        body;                                                            \
      }                                                                  \
  } G_STMT_END

static gsize
clamp_count (LablinkRing *self,
             gsize        index,
             gsize        n)
{
  if (index >= self->length)
    return 0;
  return MIN (n, self->length - index);
}

/**
 * lablink_ring_copy_times: (skip)
 * @self: a ring
 * @index: the first entry
 * @n: how many entries
 * @times: (out caller-allocates) (array length=n): where to copy
 *
 * Returns: how many times were copied
 */
gsize
lablink_ring_copy_times (LablinkRing *self,
                         gsize        index,
                         gsize        n,
                         gint64      *times)
{
  g_return_val_if_fail (self != NULL, 0);

  n = clamp_count (self, index, n);
  if (n == 0)
    return 0;
  g_return_val_if_fail (times != NULL, 0);

  FOR_SPANS (self, index, n,
             memcpy (times + span_out, self->times + span_slot, span_len * sizeof (gint64)));
  return n;
}

/**
 * lablink_ring_copy_values: (skip)
 * @self: a ring
 * @channel: the channel
 * @index: the first entry
 * @n: how many entries
 * @values: (out caller-allocates) (array length=n): where to copy
 *
 * Returns: how many values were copied
 */
gsize
lablink_ring_copy_values (LablinkRing *self,
                          guint        channel,
                          gsize        index,
                          gsize        n,
                          double      *values)
{
  const double *base;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (channel < self->n_channels, 0);

  n = clamp_count (self, index, n);
  if (n == 0)
    return 0;
  g_return_val_if_fail (values != NULL, 0);

  base = self->values + (gsize) channel * self->capacity;
  FOR_SPANS (self, index, n,
             memcpy (values + span_out, base + span_slot, span_len * sizeof (double)));
  return n;
}

/**
 * lablink_ring_copy_xy: (skip)
 * @self: a ring
 * @channel: the channel
 * @index: the first entry
 * @n: how many entries
 * @origin: the time that becomes x = 0
 * @x_seconds: (out caller-allocates) (array length=n): (time − @origin) in seconds
 * @y: (out caller-allocates) (array length=n): the values
 *
 * Copies entries as plot coordinates.
 *
 * Returns: how many entries were copied
 */
gsize
lablink_ring_copy_xy (LablinkRing *self,
                      guint        channel,
                      gsize        index,
                      gsize        n,
                      gint64       origin,
                      double      *x_seconds,
                      double      *y)
{
  gsize i;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (channel < self->n_channels, 0);

  n = clamp_count (self, index, n);
  if (n == 0)
    return 0;
  g_return_val_if_fail (x_seconds != NULL && y != NULL, 0);

  lablink_ring_copy_values (self, channel, index, n, y);
  for (i = 0; i < n; i++)
    x_seconds[i] = (double) (self->times[slot_of (self, index + i)] - origin) / G_USEC_PER_SEC;
  return n;
}
