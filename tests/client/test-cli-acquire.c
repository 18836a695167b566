/* test-cli-acquire.c — lablink-cli acquire against a simulator that, like
 * the released LabLink 1.2.5 (--lablink-compat), never sends acquisition
 * frames: the samples come over REST, and no data at all ends the command
 * with exit 1 (issue 8, failure 4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "client-test-util.h"

#define CLI_TIMEOUT_S 60

static int
run_cli (char **out,
         char **err,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) LABLINK_CLI_PATH);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return test_run_program ((const char * const *) argv->pdata, NULL, CLI_TIMEOUT_S, out, err);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack ? haystack : "(null)", needle);
}

static gint64
parse_time (const char *text)
{
  gint64 usec = 0;

  g_assert_true (lablink_parse_timestamp (text, strlen (text), &usec));
  return usec;
}

static char *
only_capture (const char *parent)
{
  g_autoptr(GDir) dir = g_dir_open (parent, 0, NULL);
  const char *name;
  char *found = NULL;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_null (found);
      found = g_build_filename (parent, name, NULL);
    }
  g_assert_nonnull (found);
  return found;
}

/* -n 50 --capture at 20 Hz: 50 rows through REST, in order, none twice;
 * the capture holds them too, with no hole between consecutive samples. */
static void
test_compat_rest (void)
{
  static const char * const args[] = { "--lablink-compat", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *path = NULL;
  g_autofree gint64 *printed = NULL;
  g_autofree gint64 *times = NULL;
  g_autofree double *values = NULL;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 n_rows, i;

  if (sim == NULL)
    return;

  parent = g_dir_make_tmp ("test-cli-acquire-XXXXXX", &error);
  g_assert_no_error (error);

  g_assert_cmpint (run_cli (&out, &err, "--server", test_sim_get_url (sim), "acquire", "ps_250e6dfe",
                            "--channels", "CH1,CH2", "--rate", "20", "-n", "50", "--capture",
                            "--capture-dir", parent, NULL), ==, 0);
  g_test_message ("stderr: %s", err);
  assert_contains (err, "the server sends no acquisition frames");

  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 52);   /* header, 50 samples, "" */
  g_assert_cmpstr (lines[0], ==, "timestamp,CH1,CH2");
  printed = g_new (gint64, 50);
  for (i = 0; i < 50; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i + 1], ",", -1);

      g_assert_cmpuint (g_strv_length (cells), ==, 3);
      printed[i] = parse_time (cells[0]);
      if (i > 0)
        {
          g_assert_cmpint (printed[i], >, printed[i - 1]);                 /* none twice */
          g_assert_cmpint (printed[i] - printed[i - 1], <, 75000);         /* none lost (50 ms apart) */
        }
    }

  path = only_capture (parent);
  capture = lablink_capture_open (path, &error);
  g_assert_no_error (error);
  n_rows = lablink_capture_get_n_samples (capture);
  g_assert_cmpuint (n_rows, >=, 50);
  g_assert_cmpuint (lablink_capture_get_n_gaps (capture), ==, 0);
  times = g_new (gint64, n_rows);
  values = g_new (double, n_rows * lablink_capture_get_n_channels (capture));
  g_assert_true (lablink_capture_read (capture, 0, n_rows, times, values, &error));
  g_assert_no_error (error);
  for (i = 1; i < n_rows; i++)
    {
      g_assert_cmpint (times[i], >, times[i - 1]);
      g_assert_cmpint (times[i] - times[i - 1], <, 75000);
    }
  /* what was printed is what was recorded */
  for (i = 0; i < 50; i++)
    g_assert_cmpint (times[i], ==, printed[i]);

  g_clear_object (&capture);
  g_assert_true (lablink_capture_delete_directory (path, &error));
  g_assert_no_error (error);
  g_rmdir (parent);
}

/* A channel the PSU lacks: no frame, and the REST data answers 500. With
 * -d the command ends at its duration, with -n only at its no-data bound;
 * either way exit 1, saying so. */
static void
test_compat_no_data (void)
{
  static const char * const args[] = { "--lablink-compat", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  const char *bounds[] = { "-d", "2", "-n", "50" };

  if (sim == NULL)
    return;

  for (guint k = 0; k < G_N_ELEMENTS (bounds); k += 2)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run_cli (&out, &err, "--server", test_sim_get_url (sim), "acquire", "ps_250e6dfe",
                                "--channels", "CH1,CH9", "--rate", "20", bounds[k], bounds[k + 1], NULL), ==, 1);
      g_test_message ("%s %s: stderr: %s", bounds[k], bounds[k + 1], err);
      g_assert_cmpstr (out, ==, "timestamp,CH1,CH9\n");
      assert_contains (err, "no sample of acquisition");
      assert_contains (err, "the server sent no acquisition frames");
    }
}

/* The scope at 20 kSa/s for 1 s, CH1+CH2: every sample the simulator made
 * is printed and captured, once, 50 µs apart (issue 12: windows of at most
 * 10,000 samples every ~275 ms kept a third at 100 kSa/s). Counts only, no
 * timing. */
static void
test_every_sample (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *path = NULL;
  g_autofree gint64 *times = NULL;
  g_autofree double *values = NULL;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 n_rows, i, n_printed;

  if (sim == NULL)
    return;

  parent = g_dir_make_tmp ("test-cli-acquire-XXXXXX", &error);
  g_assert_no_error (error);

  g_assert_cmpint (run_cli (&out, &err, "--server", test_sim_get_url (sim), "acquire", "scope_386959fc",
                            "--channels", "CH1,CH2", "--rate", "20000", "-d", "1", "--capture",
                            "--capture-dir", parent, NULL), ==, 0);
  g_test_message ("stderr: %s", err);

  /* stdout: header, the samples, "" */
  lines = g_strsplit (out, "\n", -1);
  n_printed = g_strv_length (lines) - 2;
  for (i = 2; i < n_printed + 1; i++)
    {
      g_auto(GStrv) ca = g_strsplit (lines[i - 1], ",", 2);
      g_auto(GStrv) cb = g_strsplit (lines[i], ",", 2);
      gint64 a = parse_time (ca[0]), b = parse_time (cb[0]);

      if (b - a != 50)
        g_error ("printed rows %" G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT " are %" G_GINT64_FORMAT " µs apart",
                 i - 1, i, b - a);
    }

  path = only_capture (parent);
  capture = lablink_capture_open (path, &error);
  g_assert_no_error (error);
  n_rows = lablink_capture_get_n_samples (capture);
  g_test_message ("printed %" G_GUINT64_FORMAT ", captured %" G_GUINT64_FORMAT, n_printed, n_rows);
  g_assert_cmpuint (lablink_capture_get_n_gaps (capture), ==, 0);
  times = g_new (gint64, n_rows);
  values = g_new (double, n_rows * 2);
  g_assert_true (lablink_capture_read (capture, 0, n_rows, times, values, &error));
  g_assert_no_error (error);
  for (i = 1; i < n_rows; i++)
    if (times[i] - times[i - 1] != 50)
      g_error ("captured rows %" G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT " are %" G_GINT64_FORMAT " µs apart",
               i - 1, i, times[i] - times[i - 1]);

  /* the acquisition stops itself after 1 s: at least 20,000 samples (one
   * less for where the last one falls; its last tick may add a few) */
  g_assert_cmpuint (n_rows + 1, >=, 20000);
  g_assert_cmpuint (n_printed, ==, n_rows);

  g_clear_object (&capture);
  g_assert_true (lablink_capture_delete_directory (path, &error));
  g_assert_no_error (error);
  g_rmdir (parent);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/acquire/compat-rest", test_compat_rest);
  g_test_add_func ("/cli/acquire/compat-no-data", test_compat_no_data);
  g_test_add_func ("/cli/acquire/every-sample", test_every_sample);

  return g_test_run ();
}
