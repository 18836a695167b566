/* test-capture-windows.c — the windows a capture of a lablink-sim
 * acquisition is handed: a sample with a bad timestamp, backfill answers
 * without data, and the lead-in before the first window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "capture-test-util.h"

/* A window of samples base + i × 100 ms, i in [first, end), as the server
 * spells it, sample @bad_index stamped @bad. */
static LablinkMessage *
make_window (const char *id,
             gint64      base,
             guint       first,
             guint       end,
             guint       bad_index,
             const char *bad)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  LablinkMessage *message;
  guint i;

  g_string_printf (text, "{\"type\": \"acquisition_stream\", \"acquisition_id\": \"%s\", \"state\": \"acquiring\", "
                         "\"stats\": {\"total_samples\": %u}, \"data\": {\"timestamps\": [", id, end);
  for (i = first; i < end; i++)
    {
      g_autofree char *stamp = lablink_format_timestamp (base + (gint64) i * 100000);

      if (i > first)
        g_string_append (text, ", ");
      if (i == bad_index)
        g_string_append (text, bad);
      else
        g_string_append_printf (text, "\"%s\"", stamp);
    }
  g_string_append (text, "], \"values\": {\"CH1\": [");
  for (i = first; i < end; i++)
    g_string_append_printf (text, "%s%u", i > first ? ", " : "", i);
  g_string_append (text, "], \"CH2\": [");
  for (i = first; i < end; i++)
    g_string_append_printf (text, "%s%u", i > first ? ", " : "", 2 * i);
  g_string_append (text, "]}}}");
  message = lablink_message_parse (text->str, -1, &error);
  g_assert_no_error (error);
  return message;
}

/* One sample with a bad timestamp among good ones, in every window it is
 * part of: the capture keeps every good sample, skips the bad one and
 * counts it once (issue 10). */
static void
check_bad_sample (const char *bad)
{
  const guint n_total = 61, window = 20, step = 3, bad_index = 20;
  CaptureSimFixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(LablinkCapture) reopened = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  g_autofree double *values = NULL;
  const char *id = "acq_hostile";
  gint64 base = (g_get_real_time () / G_USEC_PER_SEC - 60) * G_USEC_PER_SEC;
  guint end, i;

  capture_sim_fixture_setup (&fixture, NULL);

  /* The sim knows no such acquisition: only the frames below arrive. */
  capture = lablink_capture_new_for_acquisition (fixture.manager, NULL, id, fixture.root, &error);
  g_assert_no_error (error);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);

  detail = g_strconcat ("acquisition-data::", id, NULL);
  for (end = 1; end < n_total + step; end += step)
    {
      guint last = MIN (end, n_total);
      g_autoptr(LablinkMessage) message = make_window (id, base, last > window ? last - window : 0, last, bad_index, bad);

      g_signal_emit_by_name (fixture.manager, detail, message);
    }
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  stored = capture_test_read_times (capture);
  g_assert_cmpuint (stored->len, ==, n_total - 1);
  values = g_new (double, stored->len * 2);
  lablink_capture_read (capture, 0, stored->len, NULL, values, &error);
  g_assert_no_error (error);
  for (i = 0; i < stored->len; i++)
    {
      guint sample = i < bad_index ? i : i + 1;

      g_assert_cmpint (g_array_index (stored, gint64, i), ==, base + (gint64) sample * 100000);
      g_assert_cmpfloat (values[2 * i], ==, sample);
      g_assert_cmpfloat (values[2 * i + 1], ==, 2 * sample);
    }
  g_assert_cmpuint (lablink_capture_get_n_invalid_samples (capture), ==, 1);
  g_assert_cmpuint (lablink_capture_get_n_gaps (capture), ==, 0);

  reopened = lablink_capture_open (lablink_capture_get_directory (capture), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lablink_capture_get_n_samples (reopened), ==, n_total - 1);
  g_assert_cmpuint (lablink_capture_get_n_invalid_samples (reopened), ==, 1);

  g_clear_object (&capture);
  g_clear_object (&reopened);
  capture_sim_fixture_teardown (&fixture);
}

static void
test_bad_timestamp (void)
{
  check_bad_sample ("\"9999-12-31T23:59:59.000000\"");
  check_bad_sample ("9.2e12");
  check_bad_sample ("1e300");
  check_bad_sample ("\"tomorrow\"");
}

/* A stand-in for the server's REST side: `GET …/data` answers @body. */
typedef struct {
  const char *body;
  guint       n_data_requests;
} MockRest;

static void
mock_rest_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  MockRest *mock = user_data;

  if (g_str_has_suffix (path, "/data"))
    {
      mock->n_data_requests++;
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, mock->body, strlen (mock->body));
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

/* The backfill of a hole between two windows gets @body: only an answer
 * with a `data` object of timestamps and values is merged; anything else is
 * a bad answer (no critical, no crash), the hole stays a gap with data lost
 * and recording goes on. */
static void
check_backfill_answer (gint64      base,
                       const char *body,
                       gboolean    good)
{
  CaptureSimFixture fixture;
  MockRest mock = { body, 0 };
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(LablinkClient) rest_client = NULL;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkMessage) first = NULL;
  g_autoptr(LablinkMessage) second = NULL;
  g_autofree LablinkCaptureGap *gaps = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *url = NULL;
  GSList *uris;
  const char *id = "acq_guard";
  guint n_gaps = 0;

  capture_sim_fixture_setup (&fixture, NULL);
  g_object_set (fixture.manager, "polling-fallback", FALSE, NULL);

  soup_server_add_handler (server, NULL, mock_rest_cb, &mock, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  rest_client = lablink_client_new (url, &error);
  g_assert_no_error (error);

  /* The sim knows no such acquisition: only the frames below arrive. */
  capture = lablink_capture_new_for_acquisition (fixture.manager, rest_client, id, fixture.root, &error);
  g_assert_no_error (error);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);

  detail = g_strconcat ("acquisition-data::", id, NULL);
  first = make_window (id, base, 0, 20, G_MAXUINT, NULL);
  g_signal_emit_by_name (fixture.manager, detail, first);
  /* 20…34 missing; the backfill answer (20…39) overlaps this window, as
   * the server's windows overlap */
  second = make_window (id, base, 35, 60, G_MAXUINT, NULL);
  g_signal_emit_by_name (fixture.manager, detail, second);

  TEST_WAIT (lablink_capture_get_n_samples (capture) >= 45, TEST_TIMEOUT_MS);
  g_assert_true (lablink_capture_get_recording (capture));
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  stored = capture_test_read_times (capture);
  gaps = lablink_capture_get_gaps (capture, &n_gaps);
  g_test_message ("%s: %u requests, stored %u, gaps %u", body, mock.n_data_requests, stored->len, n_gaps);
  g_assert_cmpuint (mock.n_data_requests, ==, 1);
  for (guint k = 0; k < n_gaps; k++)
    g_test_message ("gap from base + %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " ms, lost %d",
                    (gaps[k].start_usec - base) / 1000,
                    (gaps[k].end_usec - base) / 1000, gaps[k].data_lost);
  if (good)
    {
      g_assert_cmpuint (stored->len, ==, 60);
      g_assert_cmpuint (n_gaps, ==, 0);
    }
  else
    {
      g_assert_cmpuint (stored->len, ==, 45);
      g_assert_cmpuint (n_gaps, ==, 1);
      g_assert_true (gaps[0].data_lost);
      g_assert_cmpint (gaps[0].start_usec, ==, base + 19 * 100000);
      g_assert_cmpint (gaps[0].end_usec, ==, base + 35 * 100000);
    }

  g_clear_object (&capture);
  soup_server_disconnect (server);
  capture_sim_fixture_teardown (&fixture);
}

static void
test_backfill_data_guard (void)
{
  gint64 base = (g_get_real_time () / G_USEC_PER_SEC - 60) * G_USEC_PER_SEC;
  g_autoptr(LablinkMessage) window = make_window ("acq_guard", base, 20, 40, G_MAXUINT, NULL);
  g_autoptr(JsonNode) root = json_from_string (lablink_message_get_text (window, NULL), NULL);
  g_autofree char *data = json_to_string (json_object_get_member (json_node_get_object (root), "data"), FALSE);
  g_autofree char *good = g_strdup_printf ("{\"acquisition_id\": \"acq_guard\", \"data\": %s, \"count\": 20}", data);

  check_backfill_answer (base, "{}", FALSE);
  check_backfill_answer (base, "{\"success\": false}", FALSE);
  check_backfill_answer (base, "{\"data\": []}", FALSE);
  check_backfill_answer (base, "{\"data\": null}", FALSE);
  check_backfill_answer (base, "{\"data\": \"none\"}", FALSE);
  check_backfill_answer (base, "{\"data\": {\"timestamps\": []}}", FALSE);
  check_backfill_answer (base, "[]", FALSE);
  /* the same hole, a real answer: recovered, no gap */
  check_backfill_answer (base, good, TRUE);
}

static void
count_frame (guint          *n_frames,
             LablinkMessage *message)
{
  (void) message;
  (*n_frames)++;
}

/* A capture started before its acquisition wants the lead-in: the first
 * window (the latest 20 samples of about 200, as a late frame or a REST
 * poll brings them) does not reach back to the start of the recording, so
 * the capture backfills what the server holds; when the server no longer
 * holds it, the loss is a gap (it used to be lost without one). */
static void
check_lead_in (guint    buffer_size,
               gboolean holds_lead_in)
{
  CaptureSimFixture fixture;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GArray) generated = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) window = NULL;
  g_autoptr(LablinkMessage) message = NULL;
  g_autofree LablinkCaptureGap *gaps = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *text = NULL;
  g_autofree char *data = NULL;
  guint n_gaps = 0, i;
  guint n_frames = 0;
  gulong frames_handler;

  capture_sim_fixture_setup (&fixture, NULL);

  id = capture_sim_create_acquisition (&fixture, "ps_250e6dfe", 200, buffer_size);
  /* The stream is ours, with frames so rare that only its first (empty)
   * one comes: the window below is the only one. That first frame must
   * come before the acquisition starts, or (on a busy machine) it may
   * already carry the lead-in. */
  detail = g_strconcat ("acquisition-data::", id, NULL);
  frames_handler = g_signal_connect_swapped (fixture.manager, detail, G_CALLBACK (count_frame), &n_frames);
  g_assert_true (lablink_stream_manager_start_acquisition_stream (fixture.manager, id, 3600000, 20, &error));
  g_assert_no_error (error);
  TEST_WAIT (n_frames > 0, TEST_TIMEOUT_MS);
  g_signal_handler_disconnect (fixture.manager, frames_handler);

  capture = lablink_capture_new_for_acquisition (fixture.manager, NULL, id, fixture.root, &error);
  g_assert_no_error (error);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);

  capture_sim_control (&fixture, id, "start");
  test_run_for (1000);

  path = g_strdup_printf ("/api/acquisition/session/%s/data?num_samples=20", id);
  window = test_sim_rest_ok (fixture.sim, "GET", path, NULL);
  data = json_to_string (json_object_get_member (json_node_get_object (window), "data"), FALSE);
  text = g_strdup_printf ("{\"type\": \"acquisition_stream\", \"acquisition_id\": \"%s\", \"state\": \"acquiring\", "
                          "\"stats\": {\"total_samples\": 100000}, \"data\": %s}", id, data);
  message = lablink_message_parse (text, -1, &error);
  g_assert_no_error (error);
  g_signal_emit_by_name (fixture.manager, detail, message);

  /* the backfill, when it is done, released the held window */
  TEST_WAIT (lablink_capture_get_n_samples (capture) > 20 || lablink_capture_get_n_gaps (capture) > 0,
             TEST_TIMEOUT_MS);
  test_run_for (100);
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  generated = capture_sim_get_generated (&fixture, id);
  stored = capture_test_read_times (capture);
  gaps = lablink_capture_get_gaps (capture, &n_gaps);
  g_test_message ("buffer %u: generated %u, stored %u, gaps %u", buffer_size, generated->len, stored->len, n_gaps);
  g_assert_cmpuint (stored->len, >, 0);
  g_assert_cmpuint (generated->len, >=, stored->len);

  if (holds_lead_in)
    {
      /* everything from the first sample on, nothing twice, no gap */
      g_assert_cmpmem (stored->data, stored->len * sizeof (gint64), generated->data, stored->len * sizeof (gint64));
      g_assert_cmpuint (n_gaps, ==, 0);
    }
  else
    {
      /* what the server still held, and a gap saying the lead-in was lost */
      g_assert_cmpint (g_array_index (stored, gint64, 0), >, g_array_index (generated, gint64, 0));
      g_assert_cmpuint (n_gaps, ==, 1);
      g_assert_true (gaps[0].data_lost);
      g_assert_cmpint (gaps[0].start_usec, <=, g_array_index (generated, gint64, 0));
      g_assert_cmpint (gaps[0].end_usec, ==, g_array_index (stored, gint64, 0));
    }
  for (i = 1; i < stored->len; i++)
    g_assert_cmpint (g_array_index (stored, gint64, i), >, g_array_index (stored, gint64, i - 1));

  g_clear_object (&capture);
  capture_sim_fixture_teardown (&fixture);
}

static void
test_lead_in (void)
{
  check_lead_in (10000, TRUE);   /* the server still holds the lead-in */
  check_lead_in (50, FALSE);     /* it does not */
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture/sim/bad-timestamp", test_bad_timestamp);
  g_test_add_func ("/capture/sim/lead-in", test_lead_in);
  g_test_add_func ("/capture/sim/backfill-data-guard", test_backfill_data_guard);

  return g_test_run ();
}
