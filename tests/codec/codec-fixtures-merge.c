/* codec-fixtures-merge.c — recorded messages put together
 *
 * What holds across several recorded messages: consecutive acquisition
 * windows, which overlap, merge by timestamp into exactly the samples the
 * server counted; a waveform capture from POST /api/waveform/capture attaches
 * to a recorded waveform frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "codec-tests.h"

/* Consecutive acquisition_stream frames hold overlapping windows (the
 * latest num_samples samples): merged by timestamp, they give exactly the
 * samples the server counted, and overlapping samples agree. */
static void
check_overlapping_windows (const char *scenario,
                           guint       window,
                           gint64      expected_total)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(GHashTable) merged = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(LablinkMessage) previous = NULL;
  guint i, frames = 0, overlaps = 0;
  gint64 total = -1;

  for (i = 0; i < lines->len; i++)
    {
      const FixtureLine *line = g_ptr_array_index (lines, i);
      g_autoptr(LablinkMessage) m = NULL;
      const gint64 *times;
      gsize n, k;
      guint channels;

      if (g_strcmp0 (fixture_str (line, "dir"), "recv") != 0 ||
          g_strcmp0 (fixture_str (line, "scenario"), scenario) != 0)
        continue;
      m = parse_line (line);
      if (lablink_message_get_message_type (m) != LABLINK_MESSAGE_ACQUISITION_STREAM)
        continue;
      frames++;
      g_assert_true (lablink_message_get_int (m, "stats.total_samples", &total));
      if (lablink_message_get_n_samples (m) == 0)
        continue;

      times = lablink_message_get_sample_times (m, &n);
      channels = lablink_message_get_n_channels (m);
      g_assert_cmpuint (n, <=, window);
      g_assert_cmpuint (channels, ==, 2);

      if (previous != NULL)
        {
          gsize pn = 0;
          const gint64 *ptimes = lablink_message_get_sample_times (previous, &pn);
          /* the window slides forward: it never starts before the previous one */
          g_assert_cmpint (times[0], >=, ptimes[0]);
          if (times[0] <= ptimes[pn - 1])
            overlaps++;
        }

      for (k = 0; k < n; k++)
        {
          double *row = g_hash_table_lookup (merged, &times[k]);
          guint c;

          if (row == NULL)
            {
              row = g_new (double, channels);
              for (c = 0; c < channels; c++)
                row[c] = lablink_message_get_channel_values (m, c, NULL)[k];
              g_hash_table_insert (merged, g_memdup2 (&times[k], sizeof (gint64)), row);
            }
          else
            for (c = 0; c < channels; c++)
              g_assert_true (ref_same_double (row[c], lablink_message_get_channel_values (m, c, NULL)[k]));
        }

      g_clear_pointer (&previous, lablink_message_unref);
      previous = g_steal_pointer (&m);
    }

  g_test_message ("%s: %u frames, %u overlapping the previous window, %u distinct samples",
                  scenario, frames, overlaps, g_hash_table_size (merged));
  g_assert_cmpuint (overlaps, >, 0);
  g_assert_cmpint (total, ==, expected_total);
  g_assert_cmpuint (g_hash_table_size (merged), ==, (guint) expected_total);
}

static void
test_acquisition_overlapping_windows (void)
{
  check_overlapping_windows ("acquisition", 50, 54);
  check_overlapping_windows ("acquisition-nan", 5, 17);
}

/* The real server's waveform frames carry no samples; they come from
 * POST /api/waveform/capture. Attach the recorded capture to a recorded frame. */
static void
test_waveform_capture_attach (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) frame = parse_line (codec_find_recv (lines, "ws-scope-waveform", "stream_data", NULL, 0));
  guint i, captures = 0;

  for (i = 0; i < lines->len; i++)
    {
      const FixtureLine *line = g_ptr_array_index (lines, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(LablinkMessage) with = NULL;
      g_autofree double *samples = NULL;
      JsonObject *object;
      JsonArray *voltage, *time_data;
      const double *got;
      gsize n = 0, k;

      if (g_strcmp0 (fixture_str (line, "dir"), "rest") != 0 ||
          g_strcmp0 (fixture_str (line, "path"), "/api/waveform/capture") != 0 ||
          json_object_get_int_member (line->object, "status") != 200)
        continue;

      body = lablink_json_parse (fixture_str (line, "body"), -1, &error);
      g_assert_no_error (error);
      object = json_node_get_object (body);
      g_assert_cmpint (json_object_get_int_member (object, "num_samples"), ==, 1000);
      voltage = json_object_get_array_member (object, "voltage_data");
      time_data = json_object_get_array_member (object, "time_data");
      g_assert_cmpuint (json_array_get_length (voltage), ==, 1000);
      g_assert_cmpuint (json_array_get_length (time_data), ==, 1000);
      g_assert_cmpfloat (json_array_get_double_element (time_data, 1), ==, 1e-09);
      g_assert_true (json_object_get_null_member (object, "trigger_time"));

      samples = g_new (double, json_array_get_length (voltage));
      for (k = 0; k < json_array_get_length (voltage); k++)
        samples[k] = json_array_get_double_element (voltage, k);

      with = lablink_message_new_with_waveform (frame, samples, json_array_get_length (voltage));
      g_assert_nonnull (with);
      g_assert_true (with != frame);
      got = lablink_message_get_waveform (with, &n);
      g_assert_cmpuint (n, ==, 1000);
      g_assert_true (got != samples);  /* copied */
      for (k = 0; k < n; k++)
        g_assert_cmpfloat (got[k], ==, samples[k]);

      /* Everything else is the frame's. */
      g_assert_cmpint (lablink_message_get_message_type (with), ==, LABLINK_MESSAGE_STREAM_DATA);
      g_assert_cmpstr (lablink_message_get_stream_key (with), ==, lablink_message_get_stream_key (frame));
      g_assert_cmpint (lablink_message_get_received_time (with), ==, lablink_message_get_received_time (frame));
      g_assert_true (g_bytes_equal (lablink_message_get_bytes (with), lablink_message_get_bytes (frame)));
      captures++;
    }

  g_assert_cmpuint (captures, ==, 2);
  /* the original is untouched */
  g_assert_null (lablink_message_get_waveform (frame, NULL));
}

void
codec_add_fixture_merge_tests (void)
{
  g_test_add_func ("/codec/fixtures/acquisition/overlapping-windows", test_acquisition_overlapping_windows);
  g_test_add_func ("/codec/fixtures/waveform-capture-attach", test_waveform_capture_attach);
}
