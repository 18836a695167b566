/* test-capture-export.c — exporting a LablinkCapture: CSV and JSON read
 * back and compared (HDF5: capture-export-hdf5.c), ranges, progress,
 * cancelling, a German locale, an export killed half-way; the format names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "capture-export-tests.h"

const char *export_channels[] = { "CH1", "Temp, outside", "Q\"x", NULL };
const char *export_units[] = { "V", "°C", "", NULL };

void
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

void
export_fixture_teardown (ExportFixture *fixture,
                         gconstpointer  data)
{
  g_clear_object (&fixture->capture);
  capture_test_rm_rf (fixture->root);
  g_free (fixture->root);
}

void
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
  g_assert_cmpuint (capture_test_count_files (fixture->root, "out.csv.tmp"), ==, 0);
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
      g_assert_cmpuint (capture_test_count_files (fixture->root, "keep.dat.tmp"), ==, 0);

      /* Cancelled before it starts, asynchronously. */
      g_cancellable_reset (cancellable);
      g_cancellable_cancel (cancellable);
      lablink_export_async (fixture->capture, formats[i], file, G_MININT64, G_MAXINT64, cancellable,
                            NULL, NULL, test_waiter_cb, &waiter);
      result = test_waiter_wait (&waiter);
      g_assert_false (lablink_export_finish (fixture->capture, result, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (capture_test_count_files (fixture->root, "keep.dat.tmp"), ==, 0);
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
