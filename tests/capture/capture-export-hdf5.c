/* capture-export-hdf5.c — the HDF5 export, read back with libhdf5 (or,
 * built without it, the error saying so)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#ifdef HAVE_HDF5
# include <hdf5.h>
#endif

#include "capture-export-tests.h"

#ifdef HAVE_HDF5

static char *
h5_read_string_attr (hid_t       object,
                     const char *name)
{
  hid_t attr = H5Aopen (object, name, H5P_DEFAULT);
  hid_t type = H5Tcopy (H5T_C_S1);
  char *value = NULL, *copy;

  g_assert_cmpint (attr, >=, 0);
  H5Tset_size (type, H5T_VARIABLE);
  H5Tset_cset (type, H5T_CSET_UTF8);
  g_assert_cmpint (H5Aread (attr, type, &value), >=, 0);
  copy = g_strdup (value);
  H5free_memory (value);
  H5Tclose (type);
  H5Aclose (attr);
  return copy;
}

static gint64
h5_read_int_attr (hid_t       object,
                  const char *name)
{
  hid_t attr = H5Aopen (object, name, H5P_DEFAULT);
  gint64 value = 0;

  g_assert_cmpint (attr, >=, 0);
  g_assert_cmpint (H5Aread (attr, H5T_NATIVE_INT64, &value), >=, 0);
  H5Aclose (attr);
  return value;
}

static hsize_t
h5_read_dataset (hid_t       file,
                 const char *name,
                 hid_t       mem_type,
                 void      **data,
                 gsize       element_size)
{
  hid_t dataset = H5Dopen2 (file, name, H5P_DEFAULT);
  hid_t space;
  hsize_t n = 0;

  g_assert_cmpint (dataset, >=, 0);
  space = H5Dget_space (dataset);
  g_assert_cmpint (H5Sget_simple_extent_ndims (space), ==, 1);
  H5Sget_simple_extent_dims (space, &n, NULL);
  *data = g_malloc (MAX (n, 1) * element_size);
  if (n > 0)
    g_assert_cmpint (H5Dread (dataset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data), >=, 0);
  H5Sclose (space);
  H5Dclose (dataset);
  return n;
}

static void
check_hdf5 (LablinkCapture *capture,
            const char     *path,
            guint64         first,
            guint64         n)
{
  g_autofree gint64 *times = NULL;
  g_autofree double *values = NULL;
  g_autofree gint64 *h5_times = NULL;
  g_autofree double *h5_relative = NULL;
  g_autofree char *format = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *start = NULL;
  hid_t file;
  guint64 row;
  guint c;

  read_all (capture, &times, &values);
  file = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  g_assert_cmpint (file, >=, 0);

  format = h5_read_string_attr (file, "format");
  g_assert_cmpstr (format, ==, "lablink-capture");
  g_assert_cmpint (h5_read_int_attr (file, "count"), ==, (gint64) n);
  if (n > 0)
    {
      gint64 t;
      start = h5_read_string_attr (file, "start_time");
      g_assert_true (lablink_parse_timestamp (start, strlen (start), &t));
      g_assert_cmpint (t, ==, times[first]);
      g_assert_cmpint (h5_read_int_attr (file, "start_time_usec"), ==, times[first]);
    }

  g_assert_cmpuint (h5_read_dataset (file, "timestamps", H5T_NATIVE_INT64, (void **) &h5_times, 8), ==, n);
  g_assert_cmpuint (h5_read_dataset (file, "relative_seconds", H5T_NATIVE_DOUBLE, (void **) &h5_relative, 8), ==, n);
  for (row = 0; row < n; row++)
    {
      g_assert_cmpint (h5_times[row], ==, times[first + row]);
      g_assert_cmpfloat_with_epsilon (h5_relative[row], (double) (times[first + row] - times[first]) / 1e6, 1e-9);
    }

  for (c = 0; c < 3; c++)
    {
      g_autofree double *column = NULL;
      hid_t dataset;

      g_assert_cmpuint (h5_read_dataset (file, export_channels[c], H5T_NATIVE_DOUBLE, (void **) &column, 8), ==, n);
      for (row = 0; row < n; row++)
        g_assert_true (capture_test_same_double (column[row], values[(first + row) * 3 + c]));
      dataset = H5Dopen2 (file, export_channels[c], H5P_DEFAULT);
      g_clear_pointer (&unit, g_free);
      unit = h5_read_string_attr (dataset, "units");
      g_assert_cmpstr (unit, ==, export_units[c]);
      H5Dclose (dataset);
    }

  g_assert_cmpint (H5Fclose (file), >=, 0);
}

void
test_export_hdf5 (ExportFixture *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->root, "out.h5", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  lablink_export (fixture->capture, LABLINK_EXPORT_FORMAT_HDF5, file, G_MININT64, G_MAXINT64,
                  NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_hdf5 (fixture->capture, path, 0, fixture->n_rows);

  lablink_export (fixture->capture, LABLINK_EXPORT_FORMAT_HDF5, file, T0 + 4000 * 1000, G_MAXINT64,
                  NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_hdf5 (fixture->capture, path, 4000, 1000);

  lablink_export (fixture->capture, LABLINK_EXPORT_FORMAT_HDF5, file, 0, 1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_hdf5 (fixture->capture, path, 0, 0);
  g_assert_cmpuint (capture_test_count_files (fixture->root, "out.h5.tmp"), ==, 0);
}

#else /* !HAVE_HDF5 */

/* Built without HDF5 (meson -Dhdf5=disabled): the export says so. */
void
test_export_hdf5 (ExportFixture *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->root, "out.h5", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_false (lablink_export (fixture->capture, LABLINK_EXPORT_FORMAT_HDF5, file, G_MININT64,
                                  G_MAXINT64, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (capture_test_count_files (fixture->root, "out.h5.tmp"), ==, 0);
}

#endif /* HAVE_HDF5 */

