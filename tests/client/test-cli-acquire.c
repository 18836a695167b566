/* test-cli-acquire.c — lablink-cli acquire against lablink-sim: the
 * samples as CSV, Ctrl-C, a server that lost the acquisition, every sample
 * of a fast one; and against a simulator that, like the released LabLink
 * 1.2.5 (--lablink-compat), never sends acquisition frames: the samples come
 * over REST, and no data at all ends the command with exit 1 (issue 8,
 * failure 4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cli-test-util.h"

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

  g_assert_cmpint (run_cli (NULL, &out, &err, "--server", test_sim_get_url (sim), "acquire", "ps_250e6dfe",
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

      g_assert_cmpint (run_cli (NULL, &out, &err, "--server", test_sim_get_url (sim), "acquire", "ps_250e6dfe",
                                "--channels", "CH1,CH9", "--rate", "20", bounds[k], bounds[k + 1], NULL), ==, 1);
      g_test_message ("%s %s: stderr: %s", bounds[k], bounds[k + 1], err);
      g_assert_cmpstr (out, ==, "timestamp,CH1,CH9\n");
      assert_contains (err, "no sample of acquisition");
      assert_contains (err, "the server sent no acquisition frames");
    }
}

/* The scope at 20 kSa/s for @seconds, CH1+CH2, on a simulator started with
 * @sim_args: every sample it made is printed and captured, once, 50 µs
 * apart. Counts only, no timing. */
static void
check_every_sample (const char * const *sim_args,
                    const char         *seconds)
{
  g_autoptr(TestSim) sim = test_sim_spawn (sim_args);
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

  g_assert_cmpint (run_cli (NULL, &out, &err, "--server", test_sim_get_url (sim), "acquire", "scope_386959fc",
                            "--channels", "CH1,CH2", "--rate", "20000", "-d", seconds, "--capture",
                            "--capture-dir", parent, NULL), ==, 0);
  g_test_message ("stderr: %s", err);
  g_assert_null (strstr (err, "warning"));

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

  /* the acquisition stops itself after @seconds: every sample it made (one
   * less for where the last one falls) */
  g_assert_cmpuint (n_rows + 1, >=, (guint64) (20000 * g_ascii_strtod (seconds, NULL)));
  g_assert_cmpuint (n_printed, ==, n_rows);

  g_clear_object (&capture);
  g_assert_true (lablink_capture_delete_directory (path, &error));
  g_assert_no_error (error);
  g_rmdir (parent);
}

/* Issue 12: windows of at most 10,000 samples every ~275 ms kept a third
 * at 100 kSa/s. */
static void
test_every_sample (void)
{
  check_every_sample (NULL, "1");
}

/* The first frame with samples comes 1.5 s after the start, holding the
 * latest window (~20,000 samples at 20 kSa/s) of the 30,000 made by then, as
 * from a loaded server: the lead-in is fetched over REST, printed first and
 * captured, never lost without a word. (Before, the printing started at the
 * frame, and the capture, begun after the start, did not count the samples
 * before it as its own.) */
static void
test_late_lead_in (void)
{
  const char *args[] = { "--acquisition-stall-ms", "1500", NULL };

  check_every_sample (args, "3");
}

static guint
count_acquisitions (TestSim *sim)
{
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  lablink_client_list_acquisitions_async (client, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  list = lablink_client_list_acquisitions_finish (client, result, &error);
  g_assert_no_error (error);
  array = JSON_NODE_HOLDS_OBJECT (list)
    ? json_object_get_array_member (json_node_get_object (list), "sessions")
    : json_node_get_array (list);
  return json_array_get_length (array);
}

static void
test_sim_acquire (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 last = G_MININT64;
  guint n;

  if (sim == NULL)
    return;

  g_assert_cmpint (run_cli (NULL, &out, NULL, "--server", test_sim_get_url (sim), "acquire", "ps_250e6dfe",
                            "--channels", "CH1,CH2", "--rate", "50", "--num-samples", "40",
                            "--duration", "20", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, ==, 42);  /* header, 40 samples, "" */
  g_assert_cmpstr (lines[0], ==, "timestamp,CH1,CH2");
  for (guint i = 1; i < 41; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      gint64 t;

      g_assert_cmpuint (g_strv_length (cells), ==, 3);
      t = parse_time (cells[0]);
      /* consecutive frames overlap: no sample twice, in order */
      g_assert_cmpint (t, >, last);
      last = t;
      g_assert_cmpuint (strlen (cells[1]), >, 0);
    }

  /* the acquisition was stopped and deleted */
  g_assert_cmpuint (count_acquisitions (sim), ==, 0);

  test_sim_free (sim);
}

static void
test_sim_acquire_sigint (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;

  if (sim == NULL)
    return;

  process = test_spawn ((const char * const[]) { LABLINK_CLI_PATH, "--server", test_sim_get_url (sim),
                                                  "acquire", "ps_250e6dfe", "--channels", "CH1",
                                                  "--rate", "20", "--duration", "3600", NULL },
                       G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  /* the header, then a first sample */
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *line = test_read_line (lines);

      g_assert_nonnull (line);
      if (i == 0)
        g_assert_cmpstr (line, ==, "timestamp,CH1");
    }
  g_assert_cmpuint (count_acquisitions (sim), ==, 1);

  /* Ctrl-C: stopped and deleted on the server, exit status 0 */
  interrupt_cli (process, "lablink-cli acquire");
  g_assert_cmpuint (count_acquisitions (sim), ==, 0);

  test_sim_free (sim);
}

typedef struct {
  gboolean done;
  char *out;
  char *err;
} LostCommunicated;

static void
lost_communicate_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  LostCommunicated *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, &c->err, NULL);
  c->done = TRUE;
}

/* The server is killed and a fresh one (without the acquisition) starts on
 * the same port: acquire says the acquisition is gone and exits 1, instead
 * of waiting silently forever (issue 10). */
static void
test_sim_acquire_server_lost (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  LostCommunicated c = { 0 };

  if (sim == NULL)
    return;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              LABLINK_CLI_PATH, "--server", test_sim_get_url (sim), "acquire", "ps_250e6dfe",
                              "--channels", "CH1", "--rate", "20", "--duration", "100", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  /* the header, then a first sample */
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *line = test_read_line (lines);

      g_assert_nonnull (line);
    }

  /* SIGKILL, then a fresh simulator on the same port: it never heard of
   * the acquisition */
  test_sim_kill (sim);
  test_sim_restart (sim);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, lost_communicate_cb, &c);
  if (!test_wait_for_flag (&c.done, TEST_TIMEOUT_MS))
    {
      g_subprocess_force_exit (process);
      test_wait_for_flag (&c.done, 5000);
      g_error ("lablink-cli acquire did not notice that the server lost the acquisition");
    }
  g_test_message ("stderr: %s", c.err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  assert_contains (c.err, "is gone from the server");

  g_free (c.out);
  g_free (c.err);
  test_sim_free (sim);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/sim/acquire", test_sim_acquire);
  g_test_add_func ("/cli/sim/acquire-sigint", test_sim_acquire_sigint);
  g_test_add_func ("/cli/sim/acquire-server-lost", test_sim_acquire_server_lost);
  g_test_add_func ("/cli/acquire/compat-rest", test_compat_rest);
  g_test_add_func ("/cli/acquire/compat-no-data", test_compat_no_data);
  g_test_add_func ("/cli/acquire/every-sample", test_every_sample);
  g_test_add_func ("/cli/acquire/late-lead-in", test_late_lead_in);

  return g_test_run ();
}
