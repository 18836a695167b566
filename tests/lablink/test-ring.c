/* test-ring.c — LablinkRing and lablink_decimate_minmax() (liblablink)
 *
 * How fast decimation is is a figure: bench-decimate prints it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <lablink.h>
#include <math.h>

static void
test_ring_push (void)
{
  g_autoptr(LablinkRing) ring = lablink_ring_new (2, 4);
  double v[2], out[2];
  gint64 t, first, last;
  guint64 serial;
  gsize i;

  g_assert_cmpuint (lablink_ring_get_length (ring), ==, 0);
  g_assert_false (lablink_ring_get_time_range (ring, NULL, NULL));
  g_assert_false (lablink_ring_get_last (ring, NULL, NULL));
  g_assert_false (lablink_ring_push_gap (ring, 5)); /* nothing to break */

  for (i = 0; i < 6; i++)
    {
      v[0] = i;
      v[1] = 10.0 * i;
      g_assert_true (lablink_ring_push (ring, 100 * (gint64) i, v));
    }
  g_assert_cmpuint (lablink_ring_get_length (ring), ==, 4);
  g_assert_cmpuint (lablink_ring_get_capacity (ring), ==, 4);
  g_assert_cmpuint (lablink_ring_get_total_pushed (ring), ==, 6);
  g_assert_true (lablink_ring_get_time_range (ring, &first, &last));
  g_assert_cmpint (first, ==, 200);
  g_assert_cmpint (last, ==, 500);
  for (i = 0; i < 4; i++)
    {
      g_assert_cmpint (lablink_ring_get_time (ring, i), ==, 100 * (gint64) (i + 2));
      g_assert_cmpfloat (lablink_ring_get_value (ring, i, 0), ==, i + 2);
      g_assert_cmpfloat (lablink_ring_get_value (ring, i, 1), ==, 10.0 * (i + 2));
    }

  /* Not later than the last entry: refused, nothing changes. */
  serial = lablink_ring_get_serial (ring);
  g_assert_false (lablink_ring_push (ring, 500, v));
  g_assert_false (lablink_ring_push (ring, 10, v));
  g_assert_cmpuint (lablink_ring_get_serial (ring), ==, serial);

  /* A gap: all NaN, moved after the last entry, never twice in a row. */
  g_assert_true (lablink_ring_push_gap (ring, 0));
  g_assert_cmpuint (lablink_ring_get_serial (ring), !=, serial);
  g_assert_true (lablink_ring_get_last (ring, &t, out));
  g_assert_cmpint (t, ==, 501);
  g_assert_true (isnan (out[0]) && isnan (out[1]));
  g_assert_false (lablink_ring_push_gap (ring, 600));

  lablink_ring_clear (ring);
  g_assert_cmpuint (lablink_ring_get_length (ring), ==, 0);
  g_assert_true (lablink_ring_push (ring, 1, v));
}

static void
test_ring_range (void)
{
  g_autoptr(LablinkRing) ring = lablink_ring_new (1, 100);
  gint64 times[100];
  double values[100], xs[100];
  gsize i, first, n;

  /* Wrap around: 150 entries into 100 slots. */
  for (i = 0; i < 150; i++)
    {
      double v = (double) i;
      lablink_ring_push (ring, (gint64) i * 1000, &v);
    }
  g_assert_cmpint (lablink_ring_get_time (ring, 0), ==, 50000);

  g_assert_cmpuint (lablink_ring_lower_bound (ring, 0), ==, 0);
  g_assert_cmpuint (lablink_ring_lower_bound (ring, 50000), ==, 0);
  g_assert_cmpuint (lablink_ring_lower_bound (ring, 50001), ==, 1);
  g_assert_cmpuint (lablink_ring_lower_bound (ring, 149000), ==, 99);
  g_assert_cmpuint (lablink_ring_lower_bound (ring, 149001), ==, 100);

  n = lablink_ring_find_range (ring, 60500, 80000, &first);
  g_assert_cmpuint (first, ==, 11);
  g_assert_cmpuint (n, ==, 20); /* 61000 … 80000 */
  g_assert_cmpuint (lablink_ring_find_range (ring, 0, 10, NULL), ==, 0);
  g_assert_cmpuint (lablink_ring_find_range (ring, 0, G_MAXINT64, NULL), ==, 100);

  /* Copies across the wrap point. */
  g_assert_cmpuint (lablink_ring_copy_times (ring, 40, 100, times), ==, 60);
  g_assert_cmpuint (lablink_ring_copy_values (ring, 0, 40, 60, values), ==, 60);
  for (i = 0; i < 60; i++)
    {
      g_assert_cmpint (times[i], ==, (gint64) (i + 90) * 1000);
      g_assert_cmpfloat (values[i], ==, i + 90);
    }
  g_assert_cmpuint (lablink_ring_copy_xy (ring, 0, 0, 100, 149000, xs, values), ==, 100);
  g_assert_cmpfloat_with_epsilon (xs[0], -0.099, 1e-12);
  g_assert_cmpfloat_with_epsilon (xs[99], 0.0, 1e-12);
  g_assert_cmpfloat (values[99], ==, 149);
  g_assert_cmpuint (lablink_ring_copy_values (ring, 0, 100, 5, values), ==, 0);
}

static void
test_ring_merge (void)
{
  g_autoptr(LablinkRing) ring = lablink_ring_new (2, 1000);
  gint64 times[50];
  double a[50], b[50];
  const double *channels[2] = { a, b };
  const double *one_channel[2] = { a, NULL };
  gsize frame, i, added_total = 0;

  /* Overlapping windows of the latest 50 samples, 20 new per frame: each
   * sample is stored once. */
  for (frame = 0; frame < 10; frame++)
    {
      gsize start = frame * 20;

      for (i = 0; i < 50; i++)
        {
          gsize s = start + i < 30 ? 0 : start + i - 30;
          times[i] = (gint64) s * 1000;
          a[i] = s;
          b[i] = -(double) s;
        }
      /* The first frame's window starts at sample 0 repeated: make it a
       * proper increasing window. */
      if (frame == 0)
        for (i = 0; i < 50; i++)
          {
            times[i] = (gint64) i * 1000;
            a[i] = i;
            b[i] = -(double) i;
          }
      added_total += lablink_ring_merge (ring, 50, times, channels);
    }

  g_assert_cmpuint (added_total, ==, lablink_ring_get_length (ring));
  for (i = 1; i < lablink_ring_get_length (ring); i++)
    {
      g_assert_cmpint (lablink_ring_get_time (ring, i), >, lablink_ring_get_time (ring, i - 1));
      g_assert_cmpfloat (lablink_ring_get_value (ring, i, 0), ==, lablink_ring_get_time (ring, i) / 1000);
      g_assert_cmpfloat (lablink_ring_get_value (ring, i, 1), ==, -lablink_ring_get_value (ring, i, 0));
    }
  g_assert_cmpint (lablink_ring_get_time (ring, 0), ==, 0);
  g_assert_cmpint (lablink_ring_get_time (ring, lablink_ring_get_length (ring) - 1), ==, 199 * 1000);

  /* The same window again adds nothing; a missing channel becomes NaN. */
  g_assert_cmpuint (lablink_ring_merge (ring, 50, times, channels), ==, 0);
  times[0] = 999999;
  g_assert_cmpuint (lablink_ring_merge (ring, 1, times, one_channel), ==, 1);
  g_assert_true (isnan (lablink_ring_get_value (ring, lablink_ring_get_length (ring) - 1, 1)));
}

/* A slow, obviously right reference: the min and max of each column. */
static void
check_envelope (const double *x, const double *y, gsize n,
                double x_min, double x_max, guint cols,
                const double *xo, const double *yo, gsize no)
{
  guint c;

  for (c = 0; c < cols; c++)
    {
      double lo = INFINITY, hi = -INFINITY, olo = INFINITY, ohi = -INFINITY;
      double c0 = x_min + (x_max - x_min) * c / cols;
      double c1 = x_min + (x_max - x_min) * (c + 1) / cols;
      gsize i;

      for (i = 0; i < n; i++)
        if (x[i] >= c0 && (x[i] < c1 || (c == cols - 1 && x[i] <= c1)) && !isnan (y[i]))
          {
            lo = MIN (lo, y[i]);
            hi = MAX (hi, y[i]);
          }
      for (i = 0; i < no; i++)
        if (xo[i] >= c0 && (xo[i] < c1 || (c == cols - 1 && xo[i] <= c1)) && !isnan (yo[i]))
          {
            olo = MIN (olo, yo[i]);
            ohi = MAX (ohi, yo[i]);
          }
      g_assert_cmpfloat (lo, ==, olo);
      g_assert_cmpfloat (hi, ==, ohi);
    }
}

static void
test_decimate_envelope (void)
{
  const gsize n = 100000;
  const guint cols = 500;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  g_autofree double *xo = g_new (double, lablink_decimate_minmax_bound (n, cols));
  g_autofree double *yo = g_new (double, lablink_decimate_minmax_bound (n, cols));
  gsize i, no;

  for (i = 0; i < n; i++)
    {
      x[i] = i * 1e-4;
      y[i] = sin (x[i] * 3.0) + 0.01 * ((i * 7919) % 13);
    }
  y[54321] = 42.0;  /* one-sample spike */
  y[12345] = -42.0;

  no = lablink_decimate_minmax (x, y, n, 0.0, x[n - 1], cols, xo, yo);
  g_assert_cmpuint (no, <=, 2 * cols);
  g_assert_cmpuint (no, >=, cols);
  check_envelope (x, y, n, 0.0, x[n - 1], cols, xo, yo, no);

  /* x stays non-decreasing; the spikes are there at their own x. */
  for (i = 1; i < no; i++)
    g_assert_cmpfloat (xo[i], >=, xo[i - 1]);
  for (i = 0; i < no && yo[i] != 42.0; i++)
    ;
  g_assert_cmpuint (i, <, no);
  g_assert_cmpfloat (xo[i], ==, x[54321]);
  for (i = 0; i < no && yo[i] != -42.0; i++)
    ;
  g_assert_cmpuint (i, <, no);

  /* Fewer points than columns: every point kept. */
  no = lablink_decimate_minmax (x, y, 100, 0.0, x[99], 1000, xo, yo);
  g_assert_cmpuint (no, ==, 100);
  for (i = 0; i < 100; i++)
    g_assert_cmpfloat (yo[i], ==, y[i]);
}

static void
test_decimate_gaps (void)
{
  const gsize n = 10000;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  g_autofree double *xo = g_new (double, n);
  g_autofree double *yo = g_new (double, n);
  gsize i, no, gaps = 0;

  for (i = 0; i < n; i++)
    {
      x[i] = (double) i;
      y[i] = (i >= 3000 && i < 3500) || i == 7777 ? NAN : (double) (i % 17);
    }

  no = lablink_decimate_minmax (x, y, n, 0.0, n - 1.0, 100, xo, yo);
  g_assert_cmpuint (no, <=, lablink_decimate_minmax_bound (n, 100));
  for (i = 0; i < no; i++)
    if (isnan (yo[i]))
      {
        gaps++;
        g_assert_cmpuint (i, >, 0);
        g_assert_false (isnan (yo[i - 1])); /* never two gaps in a row */
      }
  g_assert_cmpuint (gaps, ==, 2); /* the outage and the single lost sample */
  check_envelope (x, y, n, 0.0, n - 1.0, 100, xo, yo, no);

  /* A gap at the very start draws nothing before the first point. */
  y[0] = NAN;
  no = lablink_decimate_minmax (x, y, n, 0.0, n - 1.0, 100, xo, yo);
  g_assert_false (isnan (yo[0]));

  /* All NaN: nothing to draw. */
  for (i = 0; i < n; i++)
    y[i] = NAN;
  g_assert_cmpuint (lablink_decimate_minmax (x, y, n, 0.0, n - 1.0, 100, xo, yo), ==, 0);
}

static void
test_decimate_outside (void)
{
  double x[] = { -3, -2, -1, 0.5, 1.5, 2.5, 11, 12, 13 };
  double y[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  double xo[9], yo[9];
  gsize no;

  no = lablink_decimate_minmax (x, y, G_N_ELEMENTS (x), 0.0, 10.0, 10, xo, yo);
  /* the last point left of the range, the three inside, the first right of it */
  g_assert_cmpuint (no, ==, 5);
  g_assert_cmpfloat (xo[0], ==, -1);
  g_assert_cmpfloat (xo[1], ==, 0.5);
  g_assert_cmpfloat (xo[3], ==, 2.5);
  g_assert_cmpfloat (xo[4], ==, 11);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ring/push", test_ring_push);
  g_test_add_func ("/ring/range", test_ring_range);
  g_test_add_func ("/ring/merge", test_ring_merge);
  g_test_add_func ("/decimate/envelope", test_decimate_envelope);
  g_test_add_func ("/decimate/gaps", test_decimate_gaps);
  g_test_add_func ("/decimate/outside", test_decimate_outside);

  return g_test_run ();
}
