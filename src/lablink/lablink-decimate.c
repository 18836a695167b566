/* lablink-decimate.c — min/max-per-column decimation of a trace
 *
 * A trace of N points drawn into W pixel columns needs at most a vertical
 * stroke per column: the min and the max of the points in it. Keeping both
 * (in the order they occurred) gives exactly the picture of the full trace
 * — spikes stay visible — for a cost linear in N, and PLplot then draws
 * O(W) points instead of N.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-decimate.h"

/**
 * lablink_decimate_minmax_bound:
 * @n: number of input points
 * @n_columns: number of pixel columns
 *
 * Returns: the most points lablink_decimate_minmax() can write for these
 *   arguments: the size @x_out and @y_out need
 */
gsize
lablink_decimate_minmax_bound (gsize n,
                               guint n_columns)
{
  return MIN (n, (gsize) n_columns * LABLINK_DECIMATE_MAX_PER_COLUMN + 2);
}

typedef struct {
  const double *x;
  const double *y;
  double       *x_out;
  double       *y_out;
  gsize         n_out;
} Out;

static inline void
emit_point (Out   *out,
            gsize  i)
{
  out->x_out[out->n_out] = out->x[i];
  out->y_out[out->n_out] = out->y[i];
  out->n_out++;
}

static inline void
emit_gap (Out   *out,
          gsize  i)
{
  /* Nothing to break before the first point; never two gaps in a row. */
  if (out->n_out == 0 || isnan (out->y_out[out->n_out - 1]))
    return;
  out->x_out[out->n_out] = out->x[i];
  out->y_out[out->n_out] = NAN;
  out->n_out++;
}

static inline void
emit_sample (Out   *out,
             gsize  i)
{
  if (isnan (out->y[i]))
    emit_gap (out, i);
  else
    emit_point (out, i);
}

typedef struct {
  gsize count;
  gsize min_i;
  gsize max_i;
} Segment;

static inline void
segment_add (Segment      *seg,
             const double *y,
             gsize         i)
{
  if (seg->count == 0)
    {
      seg->min_i = seg->max_i = i;
    }
  else
    {
      if (y[i] < y[seg->min_i])
        seg->min_i = i;
      if (y[i] > y[seg->max_i])
        seg->max_i = i;
    }
  seg->count++;
}

static inline void
segment_emit (Out     *out,
              Segment *seg)
{
  if (seg->count == 0)
    return;
  if (seg->min_i == seg->max_i)
    emit_point (out, seg->min_i);
  else if (seg->min_i < seg->max_i)
    {
      emit_point (out, seg->min_i);
      emit_point (out, seg->max_i);
    }
  else
    {
      emit_point (out, seg->max_i);
      emit_point (out, seg->min_i);
    }
}

typedef struct {
  Segment  before;      /* finite points before the column's first gap */
  gboolean gap;
  gsize    gap_i;       /* the first NaN of the column */
  Segment  after;       /* finite points after it */
  gboolean ends_in_gap;
  gsize    last_gap_i;
} Column;

static void
column_flush (Out    *out,
              Column *col)
{
  segment_emit (out, &col->before);
  if (col->gap)
    {
      emit_gap (out, col->gap_i);
      segment_emit (out, &col->after);
      if (col->ends_in_gap && col->after.count > 0)
        emit_gap (out, col->last_gap_i);
    }
  *col = (Column) { 0 };
}

/**
 * lablink_decimate_minmax: (skip)
 * @x: (array length=n): x coordinates, non-decreasing
 * @y: (array length=n): y values; `NaN` marks a gap
 * @n: number of points
 * @x_min: the x at the left edge of the plot
 * @x_max: the x at the right edge of the plot
 * @n_columns: number of pixel columns between them (at least 1)
 * @x_out: (out caller-allocates): room for lablink_decimate_minmax_bound() points
 * @y_out: (out caller-allocates): likewise
 *
 * Reduces a trace to the envelope a screen of @n_columns columns shows: per
 * column, the minimum and the maximum point, in the order they occurred,
 * with their own x. A spike of a single sample stays visible. Gaps (`NaN`
 * y) survive as one `NaN` point, so a plot breaks the trace there. Points
 * left of @x_min are reduced to the last of them, points right of @x_max
 * to the first (enough to draw the lines entering and leaving the plot).
 * Points whose x is `NaN` are skipped.
 *
 * Returns: the number of points written (at most @n)
 */
gsize
lablink_decimate_minmax (const double *x,
                         const double *y,
                         gsize         n,
                         double        x_min,
                         double        x_max,
                         guint         n_columns,
                         double       *x_out,
                         double       *y_out)
{
  Out out = { x, y, x_out, y_out, 0 };
  Column col = { 0 };
  gint64 current = G_MININT64;
  gboolean have_left = FALSE;
  gsize left_i = 0;
  double scale;
  gsize i;

  g_return_val_if_fail (n_columns >= 1, 0);
  if (n == 0)
    return 0;
  g_return_val_if_fail (x != NULL && y != NULL && x_out != NULL && y_out != NULL, 0);

  scale = x_max > x_min ? n_columns / (x_max - x_min) : 0.0;

  for (i = 0; i < n; i++)
    {
      double t;
      gint64 c;

      if (isnan (x[i]))
        continue;

      t = (x[i] - x_min) * scale;
      if (x[i] < x_min)
        {
          have_left = TRUE;
          left_i = i;
          continue;
        }
      if (have_left)
        {
          emit_sample (&out, left_i);
          have_left = FALSE;
        }
      if (x[i] > x_max)
        {
          column_flush (&out, &col);
          emit_sample (&out, i);
          current = G_MININT64;
          break;
        }

      c = t >= n_columns ? (gint64) n_columns - 1 : (gint64) t;
      if (c != current)
        {
          column_flush (&out, &col);
          current = c;
        }

      if (isnan (y[i]))
        {
          if (!col.gap)
            {
              col.gap = TRUE;
              col.gap_i = i;
            }
          col.ends_in_gap = TRUE;
          col.last_gap_i = i;
        }
      else
        {
          segment_add (col.gap ? &col.after : &col.before, y, i);
          col.ends_in_gap = FALSE;
        }
    }

  if (have_left)
    emit_sample (&out, left_i);
  column_flush (&out, &col);

  return out.n_out;
}
