/* test-capture.c — LablinkCapture's store without a server: rows in and
 * out, torn rows, many chunks, listing and deleting, a capturing process
 * killed (the exports: test-capture-export.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "capture-test-util.h"

#define T0 G_GINT64_CONSTANT (1764087277000000)  /* 2025-11-25T16:14:37Z */

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
  g_assert_cmpuint (capture_test_count_files (lablink_capture_get_directory (capture), "chunk-"), ==, 11);

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
  g_assert_cmpuint (capture_test_count_files (lablink_capture_get_directory (capture), "chunk-"),
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

  return g_test_run ();
}
