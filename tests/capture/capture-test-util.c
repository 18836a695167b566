/* capture-test-util.c — helpers of the capture and export tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
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

guint
capture_test_count_files (const char *directory,
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

/* ------------------------------------------------------------------------
 * Against a lablink-sim process (test-capture-sim.c, test-capture-windows.c,
 * test-capture-polled.c, test-capture-tail.c)
 * ------------------------------------------------------------------------ */

static void
on_state (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  CaptureSimFixture *fixture = user_data;
  gboolean connected = lablink_stream_manager_get_state (fixture->manager) == LABLINK_CONNECTION_CONNECTED;

  if (fixture->connected && !connected)
    fixture->drops++;
  fixture->connected = connected;
}

void
capture_sim_fixture_setup (CaptureSimFixture  *fixture,
                           const char * const *args)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter waiter = { 0 };

  memset (fixture, 0, sizeof *fixture);
  fixture->sim = test_sim_spawn (args);
  fixture->root = capture_test_make_tmpdir ();
  fixture->client = lablink_client_new (test_sim_get_url (fixture->sim), &error);
  g_assert_no_error (error);
  fixture->manager = lablink_stream_manager_new (fixture->client);
  g_object_set (fixture->manager, "backoff-initial-ms", 50, "backoff-max-ms", 200, NULL);
  g_signal_connect (fixture->manager, "notify::state", G_CALLBACK (on_state), fixture);
  lablink_stream_manager_connect_async (fixture->manager, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  lablink_stream_manager_connect_finish (fixture->manager, result, &error);
  g_assert_no_error (error);
  fixture->connected = TRUE;
  TEST_WAIT (lablink_client_get_server_utc_offset (fixture->client, NULL), TEST_TIMEOUT_MS);
  g_assert_true (lablink_client_get_server_utc_offset (fixture->client, NULL));
}

void
capture_sim_fixture_teardown (CaptureSimFixture *fixture)
{
  g_signal_handlers_disconnect_by_data (fixture->manager, fixture);
  lablink_stream_manager_disconnect (fixture->manager);
  test_run_for (50);
  g_clear_object (&fixture->manager);
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->sim, test_sim_free);
  capture_test_rm_rf (fixture->root);
  g_free (fixture->root);
}

void
capture_sim_control (CaptureSimFixture *fixture,
                     const char        *id,
                     const char        *action)
{
  g_autoptr(GAsyncResult) result = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GError) error = NULL;

  lablink_client_control_acquisition_async (fixture->client, id, action, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  lablink_client_control_acquisition_finish (fixture->client, result, &error);
  g_assert_no_error (error);
}

void
capture_sim_drop_and_wait (CaptureSimFixture *fixture)
{
  guint before = fixture->drops;
  g_autoptr(JsonNode) answer = test_sim_rest_ok (fixture->sim, "POST", "/api/sim/drop", "{}");

  TEST_WAIT (fixture->drops != before && fixture->connected, TEST_TIMEOUT_MS);
  g_assert_cmpuint (fixture->drops, ==, before + 1);
  g_assert_true (fixture->connected);
}

char *
capture_sim_create_acquisition (CaptureSimFixture *fixture,
                                const char        *equipment_id,
                                guint              rate,
                                guint              buffer)
{
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(JsonArray) channels = json_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  TestWaiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  char *id;

  json_array_add_string_element (channels, "CH1");
  json_array_add_string_element (channels, "CH2");
  json_object_set_string_member (config, "equipment_id", equipment_id);
  json_object_set_string_member (config, "name", "capture-test");
  json_object_set_string_member (config, "mode", "continuous");
  json_object_set_int_member (config, "sample_rate", rate);
  json_object_set_int_member (config, "buffer_size", buffer);
  json_object_set_array_member (config, "channels", json_array_ref (channels));

  lablink_client_create_acquisition_async (fixture->client, config, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  id = lablink_client_create_acquisition_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  return id;
}

char *
capture_sim_start_acquisition (CaptureSimFixture *fixture,
                               const char        *equipment_id,
                               guint              rate,
                               guint              buffer)
{
  char *id = capture_sim_create_acquisition (fixture, equipment_id, rate, buffer);

  capture_sim_control (fixture, id, "start");
  return id;
}

GArray *
capture_sim_get_generated (CaptureSimFixture *fixture,
                           const char        *id)
{
  gint offset_s = 0;
  g_autofree char *path = g_strdup_printf ("/api/sim/acquisition/%s/generated", id);
  g_autoptr(JsonNode) node = test_sim_rest_ok (fixture->sim, "GET", path, NULL);
  JsonObject *object = json_node_get_object (node);
  JsonArray *timestamps = json_object_get_array_member (object, "timestamps");
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint i;

  /* The whole record (it stops at LABLINK_SIM_ACQUISITION_MAX_RECORDED). */
  g_assert_cmpint (json_object_get_int_member (object, "count"), ==, json_array_get_length (timestamps));
  /* Naive times in the server's zone, read with the offset the client found. */
  g_assert_true (lablink_client_get_server_utc_offset (fixture->client, &offset_s));
  for (i = 0; i < json_array_get_length (timestamps); i++)
    {
      g_autofree char *text = g_strconcat (json_array_get_string_element (timestamps, i), "Z", NULL);
      gint64 t;

      g_assert_true (lablink_parse_timestamp (text, strlen (text), &t));
      t -= (gint64) offset_s * G_USEC_PER_SEC;
      g_array_append_val (times, t);
    }
  return times;
}

GArray *
capture_sim_wait_generated (CaptureSimFixture *fixture,
                            LablinkCapture    *capture,
                            const char        *id)
{
  g_autoptr(GArray) generated = NULL;
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  do
    {
      gint64 last = 0;

      g_clear_pointer (&generated, g_array_unref);
      test_run_for (200);
      generated = capture_sim_get_generated (fixture, id);
      if (lablink_capture_get_time_range (capture, NULL, &last) && generated->len > 0 &&
          last >= g_array_index (generated, gint64, generated->len - 1))
        break;
    }
  while (g_get_monotonic_time () < deadline);
  return g_steal_pointer (&generated);
}

GArray *
capture_test_read_times (LablinkCapture *capture)
{
  guint64 n = lablink_capture_get_n_samples (capture);
  guint n_channels = lablink_capture_get_n_channels (capture);
  GArray *times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), (guint) n);
  g_autofree double *values = g_new (double, MAX (n * n_channels, 1));
  g_autoptr(GError) error = NULL;
  guint64 i;

  g_array_set_size (times, (guint) n);
  lablink_capture_read (capture, 0, n, (gint64 *) (gpointer) times->data, values, &error);
  g_assert_no_error (error);
  for (i = 0; i < n; i++)
    {
      /* The first channel holds numbers (the simulator's, or capture_test_value ()'s). */
      g_assert_true (isfinite (values[i * n_channels]));
      if (i > 0)
        g_assert_cmpint (g_array_index (times, gint64, i), >, g_array_index (times, gint64, i - 1));
    }
  return times;
}

gint
capture_gap_rule_lost (const LablinkCaptureGap *gaps,
                       guint                    n_gaps,
                       gint64                   t,
                       gint64                   slack)
{
  guint k;

  for (k = 0; k < n_gaps; k++)
    if (gaps[k].start_usec < t && (gaps[k].end_usec == 0 || t < gaps[k].end_usec))
      return gaps[k].data_lost ? (gint) k : -1;
  return -1;
}

gint
capture_gap_rule_outage (const LablinkCaptureGap *gaps,
                         guint                    n_gaps,
                         gint64                   t,
                         gint64                   slack)
{
  guint k;

  for (k = n_gaps; k > 0; k--)
    {
      const LablinkCaptureGap *gap = &gaps[k - 1];

      if (gap->start_usec - slack <= t && (gap->end_usec == 0 || t <= gap->end_usec + slack))
        return (gint) k - 1;
    }
  return -1;
}

void
capture_missing_clear (CaptureMissing *missing)
{
  g_clear_pointer (&missing->gaps, g_free);
  g_clear_pointer (&missing->gap_missing, g_free);
}

void
capture_test_walk_missing (LablinkCapture *capture,
                           GArray         *generated,
                           CaptureGapRule  rule,
                           gint64          slack,
                           CaptureMissing *missing)
{
  g_autoptr(GArray) stored = capture_test_read_times (capture);
  gboolean in_run = FALSE;
  guint i, j, k;

  memset (missing, 0, sizeof *missing);
  missing->gaps = lablink_capture_get_gaps (capture, &missing->n_gaps);
  missing->gap_missing = g_new0 (gboolean, MAX (missing->n_gaps, 1));
  g_assert_cmpuint (stored->len, >, 0);

  /* Before the first stored sample is the time before the capture started. */
  while (missing->first < generated->len &&
         g_array_index (generated, gint64, missing->first) != g_array_index (stored, gint64, 0))
    missing->first++;
  g_assert_cmpuint (missing->first, <, generated->len);
  for (i = missing->first, j = 0; i < generated->len; i++)
    {
      gint64 t = g_array_index (generated, gint64, i);
      gint gap;

      if (j < stored->len && g_array_index (stored, gint64, j) == t)
        {
          j++;
          in_run = FALSE;
          continue;
        }
      missing->n_missing++;
      if (!in_run)
        missing->n_runs++;
      in_run = TRUE;
      gap = rule (missing->gaps, missing->n_gaps, t, slack);
      if (gap < 0)
        g_error ("sample %u (%" G_GINT64_FORMAT ") is missing outside the gaps the rule allows (%u gaps)",
                 i, t, missing->n_gaps);
      missing->gap_missing[gap] = TRUE;
    }
  /* every stored sample was generated, in order, none twice */
  g_assert_cmpuint (j, ==, stored->len);
  g_assert_cmpuint (stored->len + missing->n_missing, ==, generated->len - missing->first);

  for (k = 0; k < missing->n_gaps; k++)
    missing->n_lost_gaps += missing->gaps[k].data_lost;
  g_test_message ("generated %u (from the first stored), stored %u, missing %u in %u runs, gaps %u (%u lost)",
                  generated->len - missing->first, stored->len, missing->n_missing, missing->n_runs,
                  missing->n_gaps, missing->n_lost_gaps);
}
