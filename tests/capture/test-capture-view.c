/* test-capture-view.c — LablinkCaptureView and the capture's min/max pyramid
 *
 * Every query is compared with a pass over all the rows (brute force):
 * many ranges and widths, single samples, ranges across holes in the
 * times, outside the rows; a pyramid that is missing, truncated, corrupt
 * or too long is rebuilt and then gives the same answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "capture-test-util.h"

#define T0        G_GINT64_CONSTANT (1764087277000000)  /* 2025-11-25T16:14:37Z */
#define N_ROWS    300000                                 /* levels 1–3 */
#define N_CH      3
#define HOLE_1    100000                                 /* rows before which time jumps */
#define HOLE_2    200003

typedef struct {
  char           *root;
  LablinkCapture *capture;
  gint64         *times;
  double         *values;   /* row-major */
  guint64         n_rows;
} Fixture;

static gint64
row_time (guint64 row)
{
  gint64 t = T0 + (gint64) row * 1000;

  if (row >= HOLE_1)
    t += 5 * G_USEC_PER_SEC;
  if (row >= HOLE_2)
    t += 60 * G_USEC_PER_SEC + 17;
  return t;
}

static void
make_capture (Fixture *fixture,
              guint64  n_rows)
{
  const char *names[] = { "CH1", "CH2", "CH3", NULL };
  const char *units[] = { "V", "A", "V", NULL };
  g_autoptr(GError) error = NULL;
  const guint64 block = 5000;
  guint64 row;

  fixture->root = capture_test_make_tmpdir ();
  fixture->n_rows = n_rows;
  fixture->times = g_new (gint64, MAX (n_rows, 1));
  fixture->values = g_new (double, MAX (n_rows, 1) * N_CH);
  for (row = 0; row < n_rows; row++)
    {
      fixture->times[row] = row_time (row);
      for (guint c = 0; c < N_CH; c++)
        fixture->values[row * N_CH + c] = capture_test_value (fixture->times[row], c);
    }

  fixture->capture = lablink_capture_new (fixture->root, "view", names, units, &error);
  g_assert_no_error (error);
  /* Not a multiple of 64: blocks of the pyramid straddle chunk files. */
  g_object_set (fixture->capture, "chunk-rows", 10007, NULL);
  lablink_capture_start (fixture->capture, &error);
  g_assert_no_error (error);
  for (row = 0; row < n_rows; row += block)
    {
      gsize n = (gsize) MIN (block, n_rows - row), appended = 0;

      lablink_capture_append (fixture->capture, n, fixture->times + row, fixture->values + row * N_CH,
                              &appended, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (appended, ==, n);
    }
  lablink_capture_stop (fixture->capture, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  make_capture (fixture, GPOINTER_TO_UINT (data) ? GPOINTER_TO_UINT (data) : N_ROWS);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->capture);
  capture_test_rm_rf (fixture->root);
  g_free (fixture->root);
  g_free (fixture->times);
  g_free (fixture->values);
}

/* The first row at or after @t. */
static guint64
lower_bound (Fixture *fixture,
             gint64   t)
{
  guint64 lo = 0, hi = fixture->n_rows;

  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;
      if (fixture->times[mid] < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
check_query (Fixture            *fixture,
             LablinkCaptureView *view,
             guint               channel,
             gint64              start,
             gint64              end,
             guint               n_columns)
{
  g_autofree double *mins = g_new (double, n_columns);
  g_autofree double *maxs = g_new (double, n_columns);
  g_autofree guint64 *counts = g_new (guint64, n_columns);
  g_autoptr(GError) error = NULL;
  guint64 row;

  lablink_capture_view_get_columns (view, channel, start, end, n_columns, mins, maxs, counts, &error);
  g_assert_no_error (error);

  row = lower_bound (fixture, start);
  for (guint i = 0; i < n_columns; i++)
    {
      gint64 next = lablink_capture_view_get_column_start (start, end, n_columns, i + 1);
      double lo = INFINITY, hi = -INFINITY;
      guint64 n = 0;

      for (; row < fixture->n_rows && fixture->times[row] < next; row++, n++)
        {
          double v = fixture->values[row * N_CH + channel];
          if (isnan (v))
            continue;
          lo = MIN (lo, v);
          hi = MAX (hi, v);
        }
      if (lo > hi)
        lo = hi = NAN;
      if (counts[i] != n || !capture_test_same_double (mins[i], lo) || !capture_test_same_double (maxs[i], hi))
        g_error ("channel %u, [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "] in %u columns, column %u: "
                 "%" G_GUINT64_FORMAT " rows %g…%g, expected %" G_GUINT64_FORMAT " rows %g…%g",
                 channel, start - T0, end - T0, n_columns, i, counts[i], mins[i], maxs[i], n, lo, hi);
    }
  g_assert_cmpint (lablink_capture_view_get_column_start (start, end, n_columns, n_columns), ==, end + 1);
}

static void
check_many (Fixture            *fixture,
            LablinkCaptureView *view,
            guint               n_random)
{
  static const guint widths[] = { 1, 2, 7, 64, 333, 1600 };
  gint64 first = fixture->times[0], last = fixture->times[fixture->n_rows - 1];
  guint w, i;

  for (w = 0; w < G_N_ELEMENTS (widths); w++)
    for (guint c = 0; c < N_CH; c++)
      {
        /* The whole capture, a single sample, across each hole, inside a
         * hole, before and after the rows, both ends. */
        check_query (fixture, view, c, first, last, widths[w]);
        check_query (fixture, view, c, row_time (12345), row_time (12345), widths[w]);
        check_query (fixture, view, c, row_time (70000), row_time (HOLE_1 + 50), widths[w]);
        check_query (fixture, view, c, row_time (HOLE_2 - 3), row_time (HOLE_2 + 2), widths[w]);
        check_query (fixture, view, c, row_time (HOLE_1 - 1) + 1, row_time (HOLE_1) - 1, widths[w]);
        check_query (fixture, view, c, first - 10 * G_USEC_PER_SEC, first + 500, widths[w]);
        check_query (fixture, view, c, last - 500, last + 10 * G_USEC_PER_SEC, widths[w]);
        check_query (fixture, view, c, first - 1000, first - 1, widths[w]);
      }

  for (i = 0; i < n_random; i++)
    {
      gint64 a = g_test_rand_int_range (-100, (gint) (last - first) / 1000 + 100);
      gint64 len = g_test_rand_bit () ? g_test_rand_int_range (0, 5000) : g_test_rand_int_range (0, 400000);
      gint64 start = first + a * 1000 + g_test_rand_int_range (-999, 1000);

      check_query (fixture, view, (guint) g_test_rand_int_range (0, N_CH), start, start + len * 1000,
                   widths[g_test_rand_int_range (0, G_N_ELEMENTS (widths))]);
    }
}

static LablinkCaptureView *
open_view (Fixture  *fixture,
           gboolean  expect_rebuilt)
{
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  LablinkCaptureView *view;

  capture = lablink_capture_open (lablink_capture_get_directory (fixture->capture), &error);
  g_assert_no_error (error);
  view = lablink_capture_view_new (capture, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (view);
  g_assert_cmpint (lablink_capture_view_get_rebuilt (view), ==, expect_rebuilt);
  g_assert_cmpuint (lablink_capture_view_get_n_samples (view), ==, fixture->n_rows);
  return view;
}

static char *
level_path (Fixture *fixture,
            guint    level)
{
  g_autofree char *name = g_strdup_printf ("pyramid-%u.bin", level);
  return g_build_filename (lablink_capture_get_directory (fixture->capture), name, NULL);
}

/* Written with the capture: levels 1–3, no rebuild, exact. */
static void
test_view_brute_force (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LablinkCaptureView) view = open_view (fixture, FALSE);
  gint64 start, end;

  g_assert_cmpuint (lablink_capture_view_get_n_levels (view), ==, 3);
  g_assert_true (lablink_capture_view_get_time_range (view, &start, &end));
  g_assert_cmpint (start, ==, fixture->times[0]);
  g_assert_cmpint (end, ==, fixture->times[fixture->n_rows - 1]);
  g_assert_cmpuint (lablink_capture_view_get_memory_bound (view), <, 5 * 1024 * 1024);
  check_many (fixture, view, 300);

  /* The view of the capture still being written (it is stopped here, but
   * the in-process object is used directly). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LablinkCaptureView) direct = lablink_capture_view_new (fixture->capture, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (lablink_capture_view_get_rebuilt (direct));
    check_many (fixture, direct, 20);
  }
}

/* A capture written before pyramids: built on first open, then used. */
static void
test_view_old_capture (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *directory = lablink_capture_get_directory (fixture->capture);
  g_autofree char *level1 = level_path (fixture, 1);
  g_autoptr(LablinkCaptureView) view = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  for (guint level = 1; level <= 5; level++)
    {
      g_autofree char *path = level_path (fixture, level);
      g_unlink (path);
    }

  view = open_view (fixture, TRUE);
  g_assert_true (g_file_test (level1, G_FILE_TEST_EXISTS));
  check_many (fixture, view, 50);
  g_clear_object (&view);

  /* No temporary file left; the second open uses what the first built. */
  dir = g_dir_open (directory, 0, NULL);
  while ((entry = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_suffix (entry, ".tmp"));
  view = open_view (fixture, FALSE);
  check_many (fixture, view, 20);
}

static void
damage (const char *path,
        goffset     offset,
        gsize       truncate_to,
        gboolean    append)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  if (offset >= 0)
    {
      g_assert_cmpint (offset, <, (goffset) length);
      contents[offset] ^= 0x40;
    }
  if (truncate_to > 0)
    length = MIN (length, truncate_to);
  if (append)
    {
      /* One more (valid-looking) entry than the rows allow. */
      contents = g_realloc (contents, length * 2);
      memcpy (contents + length, contents + 32, length - 32);
      length = length * 2 - 32;
    }
  g_file_set_contents (path, contents, (gssize) length, &error);
  g_assert_no_error (error);
}

/* A truncated, corrupt or too long pyramid is rebuilt, never trusted. */
static void
test_view_corrupt (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *level1 = level_path (fixture, 1);
  g_autofree char *level2 = level_path (fixture, 2);
  g_autofree char *level3 = level_path (fixture, 3);
  struct {
    const char *path;
    goffset     offset;
    gsize       truncate_to;
    gboolean    append;
  } cases[] = {
    { level1, 32 + 64 * 1000 + 20, 0, FALSE },   /* a minimum in the middle */
    { level1, 32 + 64 * 10, 0, FALSE },          /* a first time */
    { level2, 3, 0, FALSE },                     /* the header */
    { level2, -1, 32 + 64 * 20 + 10, FALSE },    /* truncated, torn entry */
    { level1, -1, 32 + 64 * 100, FALSE },        /* truncated, whole entries */
    { level3, -1, 0, TRUE },                     /* longer than the rows */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LablinkCaptureView) view = NULL;

      g_test_message ("case %u", i);
      damage (cases[i].path, cases[i].offset, cases[i].truncate_to, cases[i].append);
      view = open_view (fixture, TRUE);
      check_many (fixture, view, 20);
      g_clear_object (&view);
      view = open_view (fixture, FALSE);
    }
}

/* Fewer rows than a block: no pyramid, exact all the same. */
static void
test_view_small (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(LablinkCaptureView) view = open_view (fixture, FALSE);

  g_assert_cmpuint (lablink_capture_view_get_n_levels (view), ==, 0);
  check_many (fixture, view, 50);
}

/* The gaps of a range; errors for what cannot be answered. */
static void
test_view_gaps (Fixture       *fixture,
                gconstpointer  data)
{
  const char *directory = lablink_capture_get_directory (fixture->capture);
  g_autofree char *ini = g_build_filename (directory, "capture.ini", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *s1 = g_strdup_printf ("%" G_GINT64_FORMAT, row_time (HOLE_1 - 1));
  g_autofree char *e1 = g_strdup_printf ("%" G_GINT64_FORMAT, row_time (HOLE_1));
  g_autofree char *s2 = g_strdup_printf ("%" G_GINT64_FORMAT, row_time (HOLE_2 - 1));
  g_autofree char *e2 = g_strdup_printf ("%" G_GINT64_FORMAT, row_time (HOLE_2));
  const char *starts[] = { s1, s2 };
  const char *ends[] = { e1, e2 };
  gboolean lost[] = { TRUE, FALSE };
  g_autoptr(LablinkCaptureView) view = NULL;
  g_autofree LablinkCaptureGap *gaps = NULL;
  double mn, mx;
  guint n = 0;

  g_key_file_load_from_file (kf, ini, G_KEY_FILE_KEEP_COMMENTS, &error);
  g_assert_no_error (error);
  g_key_file_set_string_list (kf, "Gaps", "Start", starts, 2);
  g_key_file_set_string_list (kf, "Gaps", "End", ends, 2);
  g_key_file_set_boolean_list (kf, "Gaps", "DataLost", lost, 2);
  g_key_file_save_to_file (kf, ini, &error);
  g_assert_no_error (error);

  view = open_view (fixture, FALSE);
  gaps = lablink_capture_view_get_gaps (view, fixture->times[0], fixture->times[fixture->n_rows - 1], &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (gaps[0].start_usec, ==, row_time (HOLE_1 - 1));
  g_assert_true (gaps[0].data_lost);
  g_assert_false (gaps[1].data_lost);
  g_clear_pointer (&gaps, g_free);

  gaps = lablink_capture_view_get_gaps (view, row_time (HOLE_1) + 1, row_time (HOLE_2 - 2), &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (gaps);
  gaps = lablink_capture_view_get_gaps (view, row_time (HOLE_2) - 1, row_time (HOLE_2) + 1, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (gaps[0].end_usec, ==, row_time (HOLE_2));

  g_assert_false (lablink_capture_view_get_columns (view, N_CH, fixture->times[0], fixture->times[0] + 10, 1,
                                                    &mn, &mx, NULL, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (lablink_capture_view_get_columns (view, 0, 10, 9, 1, &mn, &mx, NULL, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
}

/* A capture still recording: its pyramid is never rebuilt under the
 * writer; what is sound of it is used (here cut short), the rest read from
 * the rows, exact all the same. */
static void
test_view_recording (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *names[] = { "CH1", "CH2", "CH3", NULL };
  g_autoptr(LablinkCapture) live = NULL;
  g_autoptr(LablinkCaptureView) view = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *level1 = NULL;
  gsize appended = 0;

  live = lablink_capture_new (fixture->root, "live", names, NULL, &error);
  g_assert_no_error (error);
  lablink_capture_start (live, &error);
  g_assert_no_error (error);
  lablink_capture_append (live, fixture->n_rows, fixture->times, fixture->values, &appended, &error);
  g_assert_no_error (error);
  lablink_capture_flush (live, &error);
  g_assert_no_error (error);

  /* Entries lost in a crash would look like this: a short level 1. */
  level1 = g_build_filename (lablink_capture_get_directory (live), "pyramid-1.bin", NULL);
  g_assert_true (g_file_test (level1, G_FILE_TEST_EXISTS));
  g_assert_cmpint (truncate (level1, 32 + 64 * 3000 + 7), ==, 0);

  view = lablink_capture_view_new (live, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (lablink_capture_view_get_rebuilt (view));
  g_assert_cmpuint (lablink_capture_view_get_n_samples (view), ==, fixture->n_rows);
  check_many (fixture, view, 30);
  g_clear_object (&view);

  lablink_capture_stop (live, &error);
  g_assert_no_error (error);
}

/* Built on a worker thread; deleting the capture deletes the pyramid. */
static void
on_view_ready (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  LablinkCaptureView **out = user_data;

  *out = lablink_capture_view_new_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_view_async_delete (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *directory = g_strdup (lablink_capture_get_directory (fixture->capture));
  g_autofree char *level1 = level_path (fixture, 1);
  g_autoptr(LablinkCaptureView) view = NULL;
  g_autoptr(GError) error = NULL;

  g_unlink (level1);
  lablink_capture_view_new_async (fixture->capture, NULL, on_view_ready, &view);
  while (view == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (lablink_capture_view_get_rebuilt (view));
  check_many (fixture, view, 10);
  g_clear_object (&view);

  lablink_capture_delete_directory (directory, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (directory, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, rows, func) \
  g_test_add (path, Fixture, GUINT_TO_POINTER (rows), fixture_setup, func, fixture_teardown)
  ADD ("/capture/view/brute-force", 0, test_view_brute_force);
  ADD ("/capture/view/old-capture", 0, test_view_old_capture);
  ADD ("/capture/view/corrupt", 0, test_view_corrupt);
  ADD ("/capture/view/small", 50, test_view_small);
  ADD ("/capture/view/gaps", 0, test_view_gaps);
  ADD ("/capture/view/recording", 0, test_view_recording);
  ADD ("/capture/view/async-delete", 0, test_view_async_delete);
#undef ADD

  return g_test_run ();
}
