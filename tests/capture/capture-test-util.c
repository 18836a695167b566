/* capture-test-util.c — helpers of the capture and export tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gstdio.h>

#include "capture-test-util.h"

char *
capture_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("lablink-capture-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
capture_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  if (path == NULL)
    return;
  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, entry, NULL);
      capture_test_rm_rf (child);
    }
  g_rmdir (path);
}

double
capture_test_value (gint64 t,
                    guint  channel)
{
  gint64 ms = t / 1000;

  if (channel == 1 && ms % 97 == 5)
    return NAN;
  /* Values with many significant digits, negative ones, and round ones. */
  switch (channel % 4)
    {
    case 0: return 5.0 + sin ((double) ms / 50.0) / 3.0;
    case 1: return -1.25e-3 * (double) (ms % 1000);
    case 2: return (double) (ms % 7) * 0.1;
    default: return 1e6 / (double) (1 + ms % 13);
    }
}

LablinkCapture *
capture_test_make (const char *root,
                   guint64     n_rows,
                   guint       n_channels,
                   guint       chunk_rows,
                   gint64      t0)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) units = g_ptr_array_new ();
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *times = NULL;
  g_autofree double *values = NULL;
  const guint64 block = 4096;
  guint64 row;
  guint c;

  for (c = 0; c < n_channels; c++)
    {
      g_ptr_array_add (names, g_strdup_printf ("CH%u", c + 1));
      g_ptr_array_add (units, (gpointer) "V");
    }
  g_ptr_array_add (names, NULL);
  g_ptr_array_add (units, NULL);

  capture = lablink_capture_new (root, "test", (const char * const *) names->pdata,
                                 (const char * const *) units->pdata, &error);
  g_assert_no_error (error);
  g_object_set (capture, "chunk-rows", chunk_rows, NULL);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);

  times = g_new (gint64, block);
  values = g_new (double, block * n_channels);
  for (row = 0; row < n_rows; row += block)
    {
      guint64 n = MIN (block, n_rows - row), i;
      gsize appended = 0;

      for (i = 0; i < n; i++)
        {
          times[i] = t0 + (gint64) (row + i) * 1000;
          for (c = 0; c < n_channels; c++)
            values[i * n_channels + c] = capture_test_value (times[i], c);
        }
      lablink_capture_append (capture, n, times, values, &appended, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (appended, ==, n);
    }

  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&capture);
}

gboolean
capture_test_same_double (double a,
                          double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}
