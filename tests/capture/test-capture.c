/* test-capture.c — LablinkCapture's store and the exports, without a server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#ifdef HAVE_HDF5
# include <hdf5.h>
#endif

#include "capture-test-util.h"

#define T0 G_GINT64_CONSTANT (1764087277000000)  /* 2025-11-25T16:14:37Z */

static guint
count_files_with_prefix (const char *directory,
                         const char *prefix)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *entry;
  guint n = 0;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (entry, prefix))
      n++;
  return n;
}

static void
assert_rows (LablinkCapture *capture,
             guint64         first_row,
             gsize           n_rows,
             gint64          t0)
{
  guint n_channels = lablink_capture_get_n_channels (capture);
  g_autofree gint64 *times = g_new (gint64, MAX (n_rows, 1));
  g_autofree double *values = g_new (double, MAX (n_rows * n_channels, 1));
  g_autoptr(GError) error = NULL;
  gsize i;
  guint c;

  lablink_capture_read (capture, first_row, n_rows, times, values, &error);
  g_assert_no_error (error);
  for (i = 0; i < n_rows; i++)
    {
      gint64 t = t0 + (gint64) (first_row + i) * 1000;

      g_assert_cmpint (times[i], ==, t);
      for (c = 0; c < n_channels; c++)
        if (!capture_test_same_double (values[i * n_channels + c], capture_test_value (t, c)))
          g_error ("row %" G_GUINT64_FORMAT " channel %u: %g, expected %g",
                   first_row + i, c, values[i * n_channels + c], capture_test_value (t, c));
    }
}

static void
on_notify_count (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static gsize
append_range (LablinkCapture *capture,
              guint64         first,
              guint64         end)
{
  guint n_channels = lablink_capture_get_n_channels (capture);
  gsize n = (gsize) (end - first), i, appended = 0;
  g_autofree gint64 *times = g_new (gint64, MAX (n, 1));
  g_autofree double *values = g_new (double, MAX (n * n_channels, 1));
  g_autoptr(GError) error = NULL;
  guint c;

  for (i = 0; i < n; i++)
    {
      times[i] = T0 + (gint64) (first + i) * 1000;
      for (c = 0; c < n_channels; c++)
        values[i * n_channels + c] = capture_test_value (times[i], c);
    }
  lablink_capture_append (capture, n, times, values, &appended, &error);
  g_assert_no_error (error);
  return appended;
}

/* Rows in, rows out: merge by time, chunks, reopen, time lookup, restart. */
static void
test_store_roundtrip (void)
{
  g_autofree char *root = capture_test_make_tmpdir ();
  const char *channels[] = { "CH1", "Temp, outside", "Q\"x", NULL };
  const char *units[] = { "V", "°C", NULL };
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(LablinkCapture) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) got_units = NULL;
  guint notifications = 0;
  gint64 start, end;

  capture = lablink_capture_new (root, "roundtrip", channels, units, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (lablink_capture_get_directory (capture), root));
  g_assert_true (g_str_has_suffix (lablink_capture_get_name (capture), "-roundtrip"));
  g_assert_cmpuint (lablink_capture_get_n_channels (capture), ==, 3);
  g_object_set (capture, "chunk-rows", 1000, NULL);
  g_signal_connect (capture, "notify::n-samples", G_CALLBACK (on_notify_count), &notifications);

  /* Appending needs a recording capture. */
  g_assert_false (lablink_capture_append (capture, 0, NULL, NULL, NULL, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  lablink_capture_start (capture, &error);
  g_assert_no_error (error);
  g_assert_true (lablink_capture_get_recording (capture));

  /* Overlapping batches: nothing doubled, nothing lost. */
  g_assert_cmpuint (append_range (capture, 0, 2500), ==, 2500);
  g_assert_cmpuint (append_range (capture, 2000, 6000), ==, 3500);
  g_assert_cmpuint (append_range (capture, 5999, 6000), ==, 0);
  g_assert_cmpuint (append_range (capture, 6000, 10500), ==, 4500);
  g_assert_cmpuint (lablink_capture_get_n_samples (capture), ==, 10500);

  /* Readable while recording, across a chunk boundary. */
  assert_rows (capture, 900, 200, T0);

  /* n-samples is notified after a delay, once for the burst. */
  g_assert_cmpuint (notifications, ==, 0);
  TEST_WAIT (notifications > 0, TEST_TIMEOUT_MS);
  test_run_for (250);
  g_assert_cmpuint (notifications, ==, 1);

  lablink_capture_flush (capture, &error);
  g_assert_no_error (error);
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);
  g_assert_false (lablink_capture_get_recording (capture));
  g_assert_cmpuint (count_files_with_prefix (lablink_capture_get_directory (capture), "chunk-"), ==, 11);

  /* Restart: rows continue in the same chunk. */
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (append_range (capture, 10000, 10700), ==, 200);
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  lablink_capture_set_channel_unit (capture, 2, "mA", &error);
  g_assert_no_error (error);

  reopened = lablink_capture_open (lablink_capture_get_directory (capture), &error);
  g_assert_no_error (error);
  g_assert_true (lablink_capture_get_read_only (reopened));
  g_assert_false (lablink_capture_get_interrupted (reopened));
  g_assert_cmpint (lablink_capture_get_source (reopened), ==, LABLINK_CAPTURE_SOURCE_NONE);
  g_assert_cmpuint (lablink_capture_get_n_samples (reopened), ==, 10700);
  names = lablink_capture_dup_channel_names (reopened);
  got_units = lablink_capture_dup_channel_units (reopened);
  g_assert_cmpstrv (names, channels);
  g_assert_cmpstr (got_units[0], ==, "V");
  g_assert_cmpstr (got_units[1], ==, "°C");
  g_assert_cmpstr (got_units[2], ==, "mA");
  g_assert_true (lablink_capture_get_time_range (reopened, &start, &end));
  g_assert_cmpint (start, ==, T0);
  g_assert_cmpint (end, ==, T0 + 10699 * 1000);
  assert_rows (reopened, 0, 10700, T0);

  g_assert_cmpuint (lablink_capture_find_row (reopened, G_MININT64, NULL), ==, 0);
  g_assert_cmpuint (lablink_capture_find_row (reopened, T0 + 1234 * 1000, NULL), ==, 1234);
  g_assert_cmpuint (lablink_capture_find_row (reopened, T0 + 1234 * 1000 + 1, NULL), ==, 1235);
  g_assert_cmpuint (lablink_capture_find_row (reopened, G_MAXINT64, NULL), ==, 10700);

  /* Out of range reads and recording an opened capture are errors. */
  g_assert_false (lablink_capture_read (reopened, 10000, 701, NULL, NULL, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (lablink_capture_start (reopened, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_clear_object (&capture);
  g_clear_object (&reopened);
  capture_test_rm_rf (root);
}

/* A write cut short leaves a partial row: it is ignored on open. */
static void
test_store_torn_row (void)
{
  g_autofree char *root = capture_test_make_tmpdir ();
  g_autoptr(LablinkCapture) capture = capture_test_make (root, 1500, 2, 1000, T0);
  g_autoptr(LablinkCapture) reopened = NULL;
  g_autofree char *chunk = g_build_filename (lablink_capture_get_directory (capture), "chunk-000001.bin", NULL);
  g_autoptr(GError) error = NULL;
  FILE *f;
  gint64 end;

  f = g_fopen (chunk, "ab");
  g_assert_nonnull (f);
  g_assert_cmpint (fwrite ("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d", 1, 13, f), ==, 13);
  fclose (f);

  reopened = lablink_capture_open (lablink_capture_get_directory (capture), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lablink_capture_get_n_samples (reopened), ==, 1500);
  g_assert_true (lablink_capture_get_time_range (reopened, NULL, &end));
  g_assert_cmpint (end, ==, T0 + 1499 * 1000);
  assert_rows (reopened, 1400, 100, T0);

  /* Not a capture at all. */
  g_clear_object (&reopened);
  reopened = lablink_capture_open (root, &error);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND);
  g_assert_null (reopened);

  g_clear_object (&capture);
  capture_test_rm_rf (root);
}

/* The long-capture behaviour at a small scale: many chunk files, more than
 * the writer's queue limit in flight, every row read back. */
static void
test_store_many_chunks (void)
{
  g_autofree char *root = capture_test_make_tmpdir ();
  const guint64 n_rows = 300000;
  g_autoptr(LablinkCapture) capture = capture_test_make (root, n_rows, 4, 4096, T0);
  g_autoptr(LablinkCapture) reopened = NULL;
  g_autoptr(GError) error = NULL;
  guint64 row;

  g_assert_cmpuint (lablink_capture_get_n_samples (capture), ==, n_rows);
  g_assert_cmpuint (count_files_with_prefix (lablink_capture_get_directory (capture), "chunk-"),
                    ==, (n_rows + 4095) / 4096);
  /* 8-byte timestamp + 4 doubles per row, plus the metadata and the min/max
   * pyramid (per 64 rows 16 + 4 × 16 bytes, per 64² rows as much, …). */
  g_assert_cmpuint (lablink_capture_get_size_bytes (capture), >=, n_rows * 40);
  g_assert_cmpuint (lablink_capture_get_size_bytes (capture), <, n_rows * 40 + n_rows / 63 * 80 + 5 * 32 + 8192);

  reopened = lablink_capture_open (lablink_capture_get_directory (capture), &error);
  g_assert_no_error (error);
  for (row = 0; row < n_rows; row += 50000)
    assert_rows (reopened, row, (gsize) MIN (50000, n_rows - row), T0);
  g_assert_cmpuint (lablink_capture_find_row (reopened, T0 + 299999 * 1000, NULL), ==, 299999);

  g_clear_object (&capture);
  g_clear_object (&reopened);
  capture_test_rm_rf (root);
}

static void
test_list_delete (void)
{
  g_autofree char *root = capture_test_make_tmpdir ();
  g_autofree char *missing = g_build_filename (root, "missing", NULL);
  g_autofree char *other = g_build_filename (root, "not-a-capture", NULL);
  g_autofree char *other_file = g_build_filename (other, "notes.txt", NULL);
  g_autoptr(LablinkCapture) first = capture_test_make (root, 100, 3, 1000, T0);
  g_autoptr(LablinkCapture) second = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  LablinkCaptureInfo *info;

  g_usleep (2000);
  second = capture_test_make (root, 50, 1, 1000, T0 + G_USEC_PER_SEC);
  g_assert_cmpint (g_mkdir (other, 0755), ==, 0);
  g_assert_true (g_file_set_contents (other_file, "keep me", -1, NULL));

  list = lablink_capture_list (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  info = g_ptr_array_index (list, 0);   /* newest first */
  g_assert_cmpstr (info->directory, ==, lablink_capture_get_directory (second));
  g_assert_cmpuint (info->n_samples, ==, 50);
  info = g_ptr_array_index (list, 1);
  g_assert_cmpstr (info->name, ==, lablink_capture_get_name (first));
  g_assert_cmpuint (info->n_samples, ==, 100);
  g_assert_cmpuint (g_strv_length (info->channels), ==, 3);
  g_assert_cmpstr (info->units[2], ==, "V");
  g_assert_cmpint (info->start_usec, ==, T0);
  g_assert_cmpint (info->end_usec, ==, T0 + 99 * 1000);
  g_assert_cmpfloat_with_epsilon (lablink_capture_info_get_duration (info), 0.099, 1e-9);
  g_assert_cmpuint (info->size_bytes, >=, 100 * 32);
  g_assert_false (info->recording);
  g_assert_false (info->interrupted);
  {
    g_autoptr(LablinkCaptureInfo) copy = lablink_capture_info_copy (info);
    g_assert_cmpstrv (copy->channels, info->channels);
  }
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A missing directory has no captures; a non-capture is never deleted. */
  list = lablink_capture_list (missing, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_false (lablink_capture_delete_directory (other, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (g_file_test (other_file, G_FILE_TEST_EXISTS));

  lablink_capture_delete_directory (lablink_capture_get_directory (first), &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (lablink_capture_get_directory (first), G_FILE_TEST_EXISTS));
  lablink_capture_delete (second, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (lablink_capture_get_directory (second), G_FILE_TEST_EXISTS));

  list = lablink_capture_list (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);

  g_clear_object (&first);
  g_clear_object (&second);
  capture_test_rm_rf (root);
}

/* A capturing child process is SIGKILLed: the capture reopens with at most
 * about a second of samples missing and no torn row. */
static void
test_crash_safety (void)
{
  g_autofree char *root = capture_test_make_tmpdir ();
  const char *argv[] = { CAPTURE_HELPER_PATH, "record", root, "1000", NULL };
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree gint64 *times = NULL;
  g_autofree double *values = NULL;
  guint64 printed = 0, n, i;
  gint64 deadline;

  child = test_spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  directory = test_read_line (lines);
  g_assert_nonnull (directory);

  /* Let it record 1.5 s. */
  deadline = g_get_monotonic_time () + TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  while (printed < 1500 && g_get_monotonic_time () < deadline)
    {
      g_autofree char *line = test_read_line (lines);
      g_assert_nonnull (line);
      printed = g_ascii_strtoull (line, NULL, 10);
    }
  g_assert_cmpuint (printed, >=, 1500);

  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (child));

  capture = lablink_capture_open (directory, &error);
  g_assert_no_error (error);
  g_assert_true (lablink_capture_get_interrupted (capture));
  n = lablink_capture_get_n_samples (capture);
  g_test_message ("appended %" G_GUINT64_FORMAT " (at least), recovered %" G_GUINT64_FORMAT, printed, n);
  g_assert_cmpuint (n + 1000, >=, printed);    /* at most one second lost */
  g_assert_cmpuint (n, <=, printed + 2000);

  times = g_new (gint64, n);
  values = g_new (double, n * 2);
  lablink_capture_read (capture, 0, n, times, values, &error);
  g_assert_no_error (error);
  for (i = 0; i < n; i++)
    {
      if (i > 0)
        g_assert_cmpint (times[i] - times[i - 1], ==, 1000);
      g_assert_true (capture_test_same_double (values[2 * i], capture_test_value (times[i], 0)));
      g_assert_true (capture_test_same_double (values[2 * i + 1], capture_test_value (times[i], 1)));
    }

  list = lablink_capture_list (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_true (((LablinkCaptureInfo *) g_ptr_array_index (list, 0))->interrupted);
  g_assert_false (((LablinkCaptureInfo *) g_ptr_array_index (list, 0))->recording);

  g_clear_object (&capture);
  capture_test_rm_rf (root);
}

/* ------------------------------------------------------------------------
 * Exports
 * ------------------------------------------------------------------------ */

typedef struct {
  char           *root;
  LablinkCapture *capture;
  guint64         n_rows;
} ExportFixture;

static const char *export_channels[] = { "CH1", "Temp, outside", "Q\"x", NULL };
static const char *export_units[] = { "V", "°C", "", NULL };

static void
export_fixture_setup (ExportFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *times = NULL;
  g_autofree double *values = NULL;
  guint64 i;
  guint c;

  fixture->root = capture_test_make_tmpdir ();
  fixture->n_rows = 5000;
  fixture->capture = lablink_capture_new (fixture->root, "export", export_channels, export_units, &error);
  g_assert_no_error (error);
  lablink_capture_start (fixture->capture, &error);
  g_assert_no_error (error);

  times = g_new (gint64, fixture->n_rows);
  values = g_new (double, fixture->n_rows * 3);
  for (i = 0; i < fixture->n_rows; i++)
    {
      times[i] = T0 + (gint64) i * 1000 + 7;   /* microseconds that matter */
      for (c = 0; c < 3; c++)
        values[i * 3 + c] = capture_test_value (times[i], c);
    }
  values[3 * 3 + 2] = INFINITY;
  values[4 * 3 + 2] = -0.0;
  values[5 * 3 + 2] = 1e-300;
  values[6 * 3 + 2] = -1.7976931348623157e308;
  lablink_capture_append (fixture->capture, fixture->n_rows, times, values, NULL, &error);
  g_assert_no_error (error);
  /* Still recording: exports read what is there (waiting for the disk). */
}

static void
export_fixture_teardown (ExportFixture *fixture,
                         gconstpointer  data)
{
  g_clear_object (&fixture->capture);
  capture_test_rm_rf (fixture->root);
  g_free (fixture->root);
}

static void
read_all (LablinkCapture *capture,
          gint64        **times,
          double        **values)
{
  guint64 n = lablink_capture_get_n_samples (capture);
  guint n_channels = lablink_capture_get_n_channels (capture);
  g_autoptr(GError) error = NULL;

  *times = g_new (gint64, MAX (n, 1));
  *values = g_new (double, MAX (n * n_channels, 1));
  lablink_capture_read (capture, 0, n, *times, *values, &error);
  g_assert_no_error (error);
}

/* RFC 4180 fields of one line (without its CRLF). */
static GPtrArray *
parse_csv_line (const char *line)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  const char *p = line;

  for (;;)
    {
      GString *field = g_string_new (NULL);

      if (*p == '"')
        {
          p++;
          for (;;)
            {
              g_assert_true (*p != '\0');
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p++);
            }
        }
      else
        while (*p != ',' && *p != '\0')
          g_string_append_c (field, *p++);

      g_ptr_array_add (fields, g_string_free (field, FALSE));
      if (*p == '\0')
        break;
      g_assert_cmpint (*p, ==, ',');
      p++;
    }
  return fields;
}

static double
parse_csv_number (const char *field)
{
  char *end = NULL;
  double value;

  if (*field == '\0')
    return NAN;
  value = g_ascii_strtod (field, &end);
  g_assert_true (end != NULL && *end == '\0');
  return value;
}

/* Checks a CSV export of rows [first, first + n) of @capture. */
static void
check_csv (LablinkCapture *capture,
           const char     *path,
           guint64         first,
           guint64         n)
{
  g_autofree char *contents = NULL;
  g_autofree gint64 *times = NULL;
  g_autofree double *values = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GError) error = NULL;
  gsize length, i, crlf = 0, lf = 0;
  guint64 row;
  guint c;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  for (i = 0; i < length; i++)
    if (contents[i] == '\n')
      {
        lf++;
        if (i > 0 && contents[i - 1] == '\r')
          crlf++;
      }
  g_assert_cmpuint (lf, ==, crlf);         /* every line ends with CRLF */
  g_assert_cmpuint (lf, ==, n + 1);
  g_assert_true (g_str_has_suffix (contents, "\r\n"));

  read_all (capture, &times, &values);
  lines = g_strsplit (contents, "\r\n", -1);
  header = parse_csv_line (lines[0]);
  g_assert_cmpuint (header->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (header, 0), ==, "timestamp");
  g_assert_cmpstr (g_ptr_array_index (header, 1), ==, "relative_time (s)");
  g_assert_cmpstr (g_ptr_array_index (header, 2), ==, "CH1 (V)");
  g_assert_cmpstr (g_ptr_array_index (header, 3), ==, "Temp, outside (°C)");
  g_assert_cmpstr (g_ptr_array_index (header, 4), ==, "Q\"x");
  g_assert_nonnull (strstr (lines[0], ",\"Temp, outside (°C)\",\"Q\"\"x\""));

  for (row = 0; row < n; row++)
    {
      g_autoptr(GPtrArray) fields = parse_csv_line (lines[row + 1]);
      const char *ts = g_ptr_array_index (fields, 0);
      gint64 t = 0, delta = times[first + row] - times[first];
      g_autofree char *relative = g_strdup_printf ("%" G_GINT64_FORMAT ".%06d", delta / G_USEC_PER_SEC,
                                                   (int) (delta % G_USEC_PER_SEC));

      g_assert_cmpuint (fields->len, ==, 5);
      g_assert_cmpuint (strlen (ts), ==, strlen ("2025-11-25T16:14:37.000007Z"));
      g_assert_true (g_str_has_suffix (ts, "Z"));
      g_assert_true (lablink_parse_timestamp (ts, strlen (ts), &t));
      g_assert_cmpint (t, ==, times[first + row]);
      g_assert_cmpstr (g_ptr_array_index (fields, 1), ==, relative);
      for (c = 0; c < 3; c++)
        {
          double expected = values[(first + row) * 3 + c];
          double got = parse_csv_number (g_ptr_array_index (fields, 2 + c));

          if (!capture_test_same_double (got, expected))
            g_error ("row %" G_GUINT64_FORMAT " channel %u: “%s”, expected %.17g", row, c,
                     (const char *) g_ptr_array_index (fields, 2 + c), expected);
          g_assert_cmpint (signbit (got), ==, signbit (expected));
        }
    }
  g_assert_cmpstr (lines[n + 1], ==, "");
}

static void
test_export_csv (ExportFixture *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->root, "out.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  lablink_export (fixture->capture, LABLINK_EXPORT_FORMAT_CSV, file, G_MININT64, G_MAXINT64,
                  NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_csv (fixture->capture, path, 0, fixture->n_rows);

  /* A range: rows 1000..1999 (times are T0 + row ms + 7 µs; `to` inclusive). */
  lablink_export (fixture->capture, LABLINK_EXPORT_FORMAT_CSV, file,
                  T0 + 1000 * 1000, T0 + 1999 * 1000 + 7, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_csv (fixture->capture, path, 1000, 1000);

  /* Nothing in range: the header only. */
  lablink_export (fixture->capture, LABLINK_EXPORT_FORMAT_CSV, file, 0, 1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_csv (fixture->capture, path, 0, 0);

  /* No temporary file left behind. */
  g_assert_cmpuint (count_files_with_prefix (fixture->root, "out.csv.tmp"), ==, 0);
}

static void
check_json (LablinkCapture *capture,
            const char     *path,
            guint64         first,
            guint64         n)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *times = NULL;
  g_autofree double *values = NULL;
  JsonObject *root, *data, *units, *json_values;
  JsonArray *timestamps, *channels;
  guint64 row;
  guint c;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  read_all (capture, &times, &values);

  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "lablink-capture");
  g_assert_cmpstr (json_object_get_string_member (root, "source"), ==, "manual");
  g_assert_true (json_object_get_null_member (root, "acquisition_id"));
  g_assert_cmpint (json_object_get_int_member (root, "count"), ==, (gint64) n);
  channels = json_object_get_array_member (root, "channels");
  g_assert_cmpuint (json_array_get_length (channels), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (channels, 2), ==, "Q\"x");
  units = json_object_get_object_member (root, "units");
  g_assert_cmpstr (json_object_get_string_member (units, "Temp, outside"), ==, "°C");
  if (n > 0)
    {
      const char *start = json_object_get_string_member (root, "start_time");
      gint64 t;
      g_assert_true (lablink_parse_timestamp (start, strlen (start), &t));
      g_assert_cmpint (t, ==, times[first]);
    }

  data = json_object_get_object_member (root, "data");
  timestamps = json_object_get_array_member (data, "timestamps");
  json_values = json_object_get_object_member (data, "values");
  g_assert_cmpuint (json_array_get_length (timestamps), ==, n);
  for (row = 0; row < n; row++)
    {
      const char *text = json_array_get_string_element (timestamps, row);
      gint64 t = 0;

      g_assert_true (lablink_parse_timestamp (text, strlen (text), &t));
      g_assert_cmpint (t, ==, times[first + row]);
    }
  for (c = 0; c < 3; c++)
    {
      JsonArray *column = json_object_get_array_member (json_values, export_channels[c]);

      g_assert_cmpuint (json_array_get_length (column), ==, n);
      for (row = 0; row < n; row++)
        {
          JsonNode *node = json_array_get_element (column, row);
          double expected = values[(first + row) * 3 + c];

          if (!isfinite (expected))
            g_assert_true (JSON_NODE_HOLDS_NULL (node));
          else
            g_assert_true (json_node_get_double (node) == expected);
        }
    }
}

static void
test_export_json (ExportFixture *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->root, "out.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  lablink_export (fixture->capture, LABLINK_EXPORT_FORMAT_JSON, file, G_MININT64, G_MAXINT64,
                  NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_json (fixture->capture, path, 0, fixture->n_rows);

  lablink_export (fixture->capture, LABLINK_EXPORT_FORMAT_JSON, file, T0 + 10 * 1000, T0 + 19 * 1000 + 7,
                  NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_json (fixture->capture, path, 10, 10);

  lablink_export (fixture->capture, LABLINK_EXPORT_FORMAT_JSON, file, 0, 1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_json (fixture->capture, path, 0, 0);
}

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

static void
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
  g_assert_cmpuint (count_files_with_prefix (fixture->root, "out.h5.tmp"), ==, 0);
}

#else /* !HAVE_HDF5 */

/* Built without HDF5 (meson -Dhdf5=disabled): the export says so. */
static void
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
  g_assert_cmpuint (count_files_with_prefix (fixture->root, "out.h5.tmp"), ==, 0);
}

#endif /* HAVE_HDF5 */

typedef struct {
  GThread *thread;
  guint    calls;
  goffset  current;
  goffset  total;
} ProgressLog;

static void
on_progress (goffset  current,
             goffset  total,
             gpointer user_data)
{
  ProgressLog *log = user_data;

  g_assert_true (log->thread == g_thread_self ());
  g_assert_cmpint (current, >=, log->current);
  log->calls++;
  log->current = current;
  log->total = total;
}

static void
test_export_async (ExportFixture *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->root, "async.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  ProgressLog log = { g_thread_self (), 0, 0, 0 };

  lablink_export_async (fixture->capture, LABLINK_EXPORT_FORMAT_JSON, file, G_MININT64, G_MAXINT64, NULL,
                        on_progress, &log, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  lablink_export_finish (fixture->capture, result, &error);
  g_assert_no_error (error);
  TEST_WAIT (log.current == log.total, TEST_TIMEOUT_MS);   /* a last progress report, if still queued */

  g_assert_cmpuint (log.calls, >=, 1);
  g_assert_cmpint (log.total, ==, (goffset) fixture->n_rows * 4);   /* timestamps + 3 channels */
  g_assert_cmpint (log.current, ==, log.total);
  check_json (fixture->capture, path, 0, fixture->n_rows);
}

static void
cancel_on_progress (goffset  current,
                    goffset  total,
                    gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

/* Cancelled or failed: the old file stays, no temporary file remains. */
static void
test_export_cancel (ExportFixture *fixture,
                    gconstpointer  data)
{
  static const LablinkExportFormat formats[] = {
    LABLINK_EXPORT_FORMAT_CSV, LABLINK_EXPORT_FORMAT_JSON,
#ifdef HAVE_HDF5
    LABLINK_EXPORT_FORMAT_HDF5
#endif
  };
  g_autofree char *path = g_build_filename (fixture->root, "keep.dat", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;
      TestWaiter waiter = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;

      g_assert_true (g_file_set_contents (path, "the previous export\n", -1, NULL));
      g_assert_false (lablink_export (fixture->capture, formats[i], file, G_MININT64, G_MAXINT64,
                                      cancellable, cancel_on_progress, cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "the previous export\n");
      g_assert_cmpuint (count_files_with_prefix (fixture->root, "keep.dat.tmp"), ==, 0);

      /* Cancelled before it starts, asynchronously. */
      g_cancellable_reset (cancellable);
      g_cancellable_cancel (cancellable);
      lablink_export_async (fixture->capture, formats[i], file, G_MININT64, G_MAXINT64, cancellable,
                            NULL, NULL, test_waiter_cb, &waiter);
      result = test_waiter_wait (&waiter);
      g_assert_false (lablink_export_finish (fixture->capture, result, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (count_files_with_prefix (fixture->root, "keep.dat.tmp"), ==, 0);
    }

  /* A destination in a missing directory fails cleanly. */
  {
    g_autofree char *bad = g_build_filename (fixture->root, "no", "such", "dir.csv", NULL);
    g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
    g_autoptr(GError) error = NULL;

    g_assert_false (lablink_export (fixture->capture, LABLINK_EXPORT_FORMAT_CSV, bad_file, G_MININT64,
                                    G_MAXINT64, NULL, NULL, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
}

/* `.` decimals under a locale whose decimal separator is `,`. */
static void
test_export_locale (ExportFixture *fixture,
                    gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (fixture->root, "de.csv", NULL);
  g_autofree char *json = g_build_filename (fixture->root, "de.json", NULL);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv);
  g_autoptr(GFile) json_file = g_file_new_for_path (json);
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  g_autoptr(GError) error = NULL;
  char buf[32];

  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    {
      g_test_skip ("the de_DE.UTF-8 locale is not available");
      return;
    }
  g_snprintf (buf, sizeof buf, "%.1f", 1.5);
  g_assert_cmpstr (buf, ==, "1,5");   /* the locale is really in effect */

  lablink_export (fixture->capture, LABLINK_EXPORT_FORMAT_CSV, csv_file, G_MININT64, G_MAXINT64,
                  NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  lablink_export (fixture->capture, LABLINK_EXPORT_FORMAT_JSON, json_file, G_MININT64, G_MAXINT64,
                  NULL, NULL, NULL, &error);
  setlocale (LC_ALL, saved);
  g_assert_no_error (error);

  check_csv (fixture->capture, csv, 0, fixture->n_rows);
  check_json (fixture->capture, json, 0, fixture->n_rows);
}

/* An export killed in the middle of its write leaves the previous file. */
static void
test_export_killed (void)
{
  g_autofree char *root = capture_test_make_tmpdir ();
  g_autoptr(LablinkCapture) capture = capture_test_make (root, 200000, 4, LABLINK_CAPTURE_DEFAULT_CHUNK_ROWS, T0);
  g_autofree char *dest = g_build_filename (root, "export.csv", NULL);
  const char *argv[] = { CAPTURE_HELPER_PATH, "export", lablink_capture_get_directory (capture), "csv", dest,
                         "200", NULL };
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *entry;
  guint progress = 0;
  gboolean temp_seen = FALSE;

  g_assert_true (g_file_set_contents (dest, "a good previous export\r\n", -1, NULL));

  child = test_spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  /* Two blocks done: a quarter megabyte or more is in the temporary file. */
  while (progress < 2)
    {
      g_autofree char *line = test_read_line (lines);
      g_assert_nonnull (line);
      g_assert_true (g_str_has_prefix (line, "progress "));
      progress++;
    }

  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (child));

  g_assert_true (g_file_get_contents (dest, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "a good previous export\r\n");

  /* The half-written file is the temporary one, beside it. */
  dir = g_dir_open (root, 0, NULL);
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (entry, "export.csv.tmp"))
      {
        g_autofree char *tmp = g_build_filename (root, entry, NULL);
        GStatBuf st;

        g_assert_cmpint (g_stat (tmp, &st), ==, 0);
        g_assert_cmpint (st.st_size, >, 0);
        temp_seen = TRUE;
      }
  g_assert_true (temp_seen);

  g_clear_object (&capture);
  capture_test_rm_rf (root);
}

static void
test_format_names (void)
{
  LablinkExportFormat format;
  g_autofree char *text = NULL;

  g_assert_true (lablink_export_format_from_string ("CSV", &format));
  g_assert_cmpint (format, ==, LABLINK_EXPORT_FORMAT_CSV);
  g_assert_true (lablink_export_format_from_string ("h5", &format));
  g_assert_cmpint (format, ==, LABLINK_EXPORT_FORMAT_HDF5);
  g_assert_true (lablink_export_format_from_string ("json", &format));
  g_assert_cmpint (format, ==, LABLINK_EXPORT_FORMAT_JSON);
  g_assert_false (lablink_export_format_from_string ("xlsx", &format));
  g_assert_cmpstr (lablink_export_format_get_extension (LABLINK_EXPORT_FORMAT_HDF5), ==, "h5");
  g_assert_cmpstr (lablink_export_format_to_string (LABLINK_EXPORT_FORMAT_CSV), ==, "csv");

  text = lablink_capture_format_time (T0 + 7);
  g_assert_cmpstr (text, ==, "2025-11-25T16:14:37.000007Z");
  g_clear_pointer (&text, g_free);
  text = lablink_capture_format_time (-1);
  g_assert_cmpstr (text, ==, "1969-12-31T23:59:59.999999Z");
  g_clear_pointer (&text, g_free);
  text = lablink_capture_format_time (G_GINT64_CONSTANT (951782400) * G_USEC_PER_SEC);   /* a leap day */
  g_assert_cmpstr (text, ==, "2000-02-29T00:00:00.000000Z");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture/store/roundtrip", test_store_roundtrip);
  g_test_add_func ("/capture/store/torn-row", test_store_torn_row);
  g_test_add_func ("/capture/store/many-chunks", test_store_many_chunks);
  g_test_add_func ("/capture/store/list-delete", test_list_delete);
  g_test_add_func ("/capture/store/crash-safety", test_crash_safety);
  g_test_add_func ("/capture/export/format-names", test_format_names);
  g_test_add ("/capture/export/csv", ExportFixture, NULL, export_fixture_setup, test_export_csv,
              export_fixture_teardown);
  g_test_add ("/capture/export/json", ExportFixture, NULL, export_fixture_setup, test_export_json,
              export_fixture_teardown);
  g_test_add ("/capture/export/hdf5", ExportFixture, NULL, export_fixture_setup, test_export_hdf5,
              export_fixture_teardown);
  g_test_add ("/capture/export/async", ExportFixture, NULL, export_fixture_setup, test_export_async,
              export_fixture_teardown);
  g_test_add ("/capture/export/cancel", ExportFixture, NULL, export_fixture_setup, test_export_cancel,
              export_fixture_teardown);
  g_test_add ("/capture/export/locale", ExportFixture, NULL, export_fixture_setup, test_export_locale,
              export_fixture_teardown);
  g_test_add_func ("/capture/export/killed", test_export_killed);

  return g_test_run ();
}
