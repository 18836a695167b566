/* codec-fixtures-values.c — recorded values, spot-checked
 *
 * Single frames of the recordings, with the values they hold written out
 * (from the recording, by hand) and read through the typed accessors: PSU,
 * load and scope streams, acquisition windows with and without NaN, errors,
 * pongs and alarm broadcasts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "codec-tests.h"

static void
assert_double (LablinkMessage *message,
               const char     *path,
               double          expected)
{
  double d = -12345;

  codec_set_context ("%s", path);
  check (lablink_message_get_double (message, path, &d));
  if (!ref_same_double (d, expected))
    g_test_message ("%s: got %.17g, expected %.17g", path, d, expected);
  check (ref_same_double (d, expected));
}

static void
assert_boolean (LablinkMessage *message,
                const char     *path,
                gboolean        expected)
{
  gboolean b = !expected;

  codec_set_context ("%s", path);
  check (lablink_message_get_boolean (message, path, &b));
  check (b == expected);
}

static void
assert_string (LablinkMessage *message,
               const char     *path,
               const char     *expected)
{
  g_autofree char *s = lablink_message_dup_string (message, path);

  codec_set_context ("%s", path);
  check_cmpstr (s, expected);
}

static void
assert_local_time (LablinkMessage *message,
                   const char     *path,
                   int year, int month, int day, int hour, int minute, int second, int usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (year, month, day, hour, minute, second);
  gint64 t = 0;

  codec_set_context ("%s", path);
  check (lablink_message_get_timestamp (message, path, &t));
  check (t == g_date_time_to_unix (dt) * G_USEC_PER_SEC + usec);
}

static void
test_values_psu_readings (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "ws-psu-readings", "stream_data", NULL, 0));
  gint64 channel = 0;

  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_STREAM_DATA);
  g_assert_cmpstr (lablink_message_get_equipment_id (m), ==, "ps_250e6dfe");
  g_assert_cmpstr (lablink_message_get_stream_type (m), ==, LABLINK_STREAM_READINGS);
  g_assert_cmpstr (lablink_message_get_stream_key (m), ==, "ps_250e6dfe_readings");
  assert_string (m, "data.equipment_id", "ps_250e6dfe");
  assert_local_time (m, "data.timestamp", 2026, 11, 25, 17, 39, 49, 400093);
  g_assert_true (lablink_message_get_int (m, "data.channel", &channel));
  g_assert_cmpint (channel, ==, 1);
  assert_double (m, "data.voltage_set", 5.0);
  assert_double (m, "data.current_set", 1.0);
  assert_double (m, "data.voltage_actual", 5.000444620551635);
  assert_double (m, "data.current_actual", 0.49995062717259475);
  assert_boolean (m, "data.output_enabled", TRUE);
  assert_boolean (m, "data.in_cv_mode", TRUE);
  assert_boolean (m, "data.in_cc_mode", FALSE);
  g_assert_false (lablink_message_has_member (m, "data.voltage_data"));
  g_assert_false (lablink_message_has_member (m, "data.nonexistent"));
  g_assert_false (lablink_message_has_member (m, "nonexistent.voltage_set"));
}

static void
test_values_auth_readings (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_AUTH);
  g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "auth", "stream_data", "readings", 0));

  g_assert_cmpstr (lablink_message_get_equipment_id (m), ==, "ps_250e6dfe");
  assert_local_time (m, "data.timestamp", 2026, 11, 25, 17, 41, 23, 963439);
  assert_double (m, "data.voltage_set", 0.0);
  assert_double (m, "data.voltage_actual", 0.0);
  assert_double (m, "data.current_actual", 0.0);
  assert_boolean (m, "data.output_enabled", FALSE);
  assert_boolean (m, "data.in_cv_mode", FALSE);
}

static void
test_values_load_readings (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "ws-load-readings", "stream_data", NULL, 0));

  g_assert_cmpstr (lablink_message_get_stream_key (m), ==, "load_47fa0d5c_readings");
  assert_local_time (m, "data.timestamp", 2026, 11, 25, 17, 39, 51, 807372);
  assert_string (m, "data.mode", "CC");
  assert_double (m, "data.setpoint", 0.5);
  assert_double (m, "data.voltage", 11.94999651605096);
  assert_double (m, "data.current", 0.5005059850525033);
  assert_double (m, "data.power", 5.970008448772632);
  assert_boolean (m, "data.load_enabled", TRUE);
}

static void
test_values_scope_waveform (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "ws-scope-waveform", "stream_data", NULL, 0));
  gint64 n = 0;
  gsize n_samples = 99;

  g_assert_cmpstr (lablink_message_get_stream_key (m), ==, "scope_386959fc_waveform");
  assert_local_time (m, "data.timestamp", 2026, 11, 25, 17, 39, 54, 254086);
  assert_double (m, "data.sample_rate", 1e9);
  assert_double (m, "data.time_scale", 0.001);
  assert_double (m, "data.voltage_scale", 1.0);
  assert_double (m, "data.voltage_offset", 0.0);
  g_assert_true (lablink_message_get_int (m, "data.num_samples", &n));
  g_assert_cmpint (n, ==, 1000);
  /* 1e9 is written 1000000000.0: a double, but integral */
  g_assert_true (lablink_message_get_int (m, "data.sample_rate", &n));
  g_assert_cmpint (n, ==, 1000000000);
  assert_string (m, "data.data_id", "waveform_60d0d2bd");
  g_assert_null (lablink_message_get_waveform (m, &n_samples));
  g_assert_cmpuint (n_samples, ==, 0);
}

static void
test_values_scope_measurements (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "ws-scope-measurements", "stream_data", NULL, 0));
  g_autoptr(GPtrArray) upstream = codec_load_fixture (FIXTURE_UPSTREAM);
  g_autoptr(LablinkMessage) u = parse_line (codec_find_recv (upstream, "ws-scope-measurements", "stream_data", NULL, 0));
  gint64 t;

  g_assert_cmpstr (lablink_message_get_stream_key (m), ==, "scope_386959fc_measurements");
  assert_double (m, "data.vpp", 0.124653412834803);
  assert_double (m, "data.vmax", 0.06440958450939314);
  assert_double (m, "data.vmin", -0.060243828325409844);
  assert_double (m, "data.vavg", 0.0065142010744251135);
  assert_double (m, "data.vrms", 0.021209670420604114);
  assert_double (m, "data.freq", 1000.0);
  assert_double (m, "data.period", 0.001);
  /* measurements carry no timestamp */
  g_assert_false (lablink_message_has_member (m, "data.timestamp"));
  g_assert_false (lablink_message_get_timestamp (m, "data.timestamp", &t));

  /* upstream 1.2.5 does deliver measurements */
  g_assert_cmpint (lablink_message_get_message_type (u), ==, LABLINK_MESSAGE_STREAM_DATA);
  g_assert_cmpstr (lablink_message_get_stream_key (u), ==, "scope_386959fc_measurements");
}

static void
test_values_acquisition (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) empty = parse_line (codec_find_recv (lines, "acquisition", "acquisition_stream", NULL, 0));
  g_autoptr(LablinkMessage) first = parse_line (codec_find_recv (lines, "acquisition", "acquisition_stream", NULL, 1));
  g_autoptr(LablinkMessage) full = parse_line (codec_find_recv (lines, "acquisition", "acquisition_stream", NULL, 23));
  g_autoptr(GDateTime) t0 = g_date_time_new_local (2026, 11, 25, 17, 40, 2);
  g_autoptr(GDateTime) t7 = g_date_time_new_local (2026, 11, 25, 17, 40, 7);
  const gint64 *times;
  const double *ch1, *ch2;
  gsize n = 0;
  gint64 total = -1;

  /* First frame: the buffer is still empty, data is null. */
  g_assert_cmpint (lablink_message_get_message_type (empty), ==, LABLINK_MESSAGE_ACQUISITION_STREAM);
  g_assert_cmpstr (lablink_message_get_acquisition_id (empty), ==, "ef958d84-9aec-47c8-9f5b-953407d0f2d1");
  g_assert_cmpstr (lablink_message_get_stream_key (empty), ==, "acquisition_ef958d84-9aec-47c8-9f5b-953407d0f2d1");
  assert_string (empty, "state", "acquiring");
  g_assert_true (lablink_message_is_null (empty, "data"));
  g_assert_true (lablink_message_is_null (empty, "stats.end_time"));
  g_assert_true (lablink_message_get_int (empty, "stats.total_samples", &total));
  g_assert_cmpint (total, ==, 0);
  assert_local_time (empty, "stats.start_time", 2026, 11, 25, 17, 40, 2, 643482);
  g_assert_cmpuint (lablink_message_get_n_samples (empty), ==, 0);
  g_assert_cmpuint (lablink_message_get_n_channels (empty), ==, 0);

  /* Second frame: 3 samples of CH1 and CH2. */
  g_assert_cmpuint (lablink_message_get_n_samples (first), ==, 3);
  g_assert_cmpuint (lablink_message_get_n_channels (first), ==, 2);
  g_assert_cmpstr (lablink_message_get_channel_name (first, 0), ==, "CH1");
  g_assert_cmpstr (lablink_message_get_channel_name (first, 1), ==, "CH2");
  g_assert_null (lablink_message_get_channel_name (first, 2));
  times = lablink_message_get_sample_times (first, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (times[0], ==, g_date_time_to_unix (t0) * G_USEC_PER_SEC + 643585);
  g_assert_cmpint (times[2], ==, g_date_time_to_unix (t0) * G_USEC_PER_SEC + 785078);
  ch1 = lablink_message_get_channel_values (first, 0, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (ch1[0], ==, 5.000111817743385);
  g_assert_cmpfloat (ch1[1], ==, 5.001689279002311);
  ch2 = lablink_message_get_channel_values (first, 1, NULL);
  g_assert_cmpfloat (ch2[0], ==, 3.301070479930846);
  assert_double (first, "data.values.CH1.0", 5.000111817743385);
  assert_double (first, "data.values.CH2.1", 3.3007084403706872);
  g_assert_false (lablink_message_has_member (first, "data.values.CH1.3"));
  assert_double (first, "data.count", 3);

  /* The first stopped frame: a full 50-sample window (num_samples 50). */
  assert_string (full, "state", "stopped");
  g_assert_cmpuint (lablink_message_get_n_samples (full), ==, 50);
  times = lablink_message_get_sample_times (full, &n);
  g_assert_cmpuint (n, ==, 50);
  g_assert_cmpint (times[0], ==, g_date_time_to_unix (t0) * G_USEC_PER_SEC + 926612);
  g_assert_cmpint (times[49], ==, g_date_time_to_unix (t7) * G_USEC_PER_SEC + 198940);
  g_assert_cmpfloat (lablink_message_get_channel_values (full, 0, NULL)[0], ==, 4.998969813623825);
  g_assert_cmpfloat (lablink_message_get_channel_values (full, 1, NULL)[1], ==, 3.2996676652524424);
  g_assert_true (lablink_message_get_int (full, "stats.total_samples", &total));
  g_assert_cmpint (total, ==, 54);
}

static void
test_values_acquisition_nan (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) idle = parse_line (codec_find_recv (lines, "acquisition-nan", "acquisition_stream", NULL, 0));
  g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "acquisition-nan", "acquisition_stream", NULL, 2));
  g_autoptr(LablinkMessage) last = parse_line (codec_find_recv (lines, "acquisition-nan", "acquisition_stream", NULL, 7));
  g_autoptr(GDateTime) t9 = g_date_time_new_local (2026, 11, 25, 17, 40, 9);
  JsonNode *node;
  const double *ch9;
  gsize n = 0, i;

  assert_string (idle, "state", "idle");
  g_assert_true (lablink_message_is_null (idle, "stats.start_time"));
  g_assert_true (lablink_message_is_null (idle, "data"));
  g_assert_cmpuint (lablink_message_get_n_samples (idle), ==, 0);

  g_assert_cmpuint (lablink_message_get_n_samples (m), ==, 2);
  g_assert_cmpstr (lablink_message_get_channel_name (m, 0), ==, "CH1");
  g_assert_cmpstr (lablink_message_get_channel_name (m, 1), ==, "CH9");
  g_assert_cmpfloat (lablink_message_get_channel_values (m, 0, NULL)[0], ==, 5.0000618720272545);
  g_assert_cmpfloat (lablink_message_get_channel_values (m, 0, NULL)[1], ==, 5.000616767922715);
  ch9 = lablink_message_get_channel_values (m, 1, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (isnan (ch9[0]));
  g_assert_true (isnan (ch9[1]));
  g_assert_cmpint (lablink_message_get_sample_times (m, NULL)[0], ==, g_date_time_to_unix (t9) * G_USEC_PER_SEC + 72281);
  g_assert_cmpint (lablink_message_get_sample_times (m, NULL)[1], ==, g_date_time_to_unix (t9) * G_USEC_PER_SEC + 131862);
  assert_double (m, "data.values.CH9.0", NAN);
  g_assert_false (lablink_message_is_null (m, "data.values.CH9.0"));

  /* The json-glib tree carries the NaN as a double. */
  node = lablink_message_get_node (m);
  node = json_array_get_element (json_object_get_array_member (
           json_object_get_object_member (json_object_get_object_member (json_node_get_object (node), "data"), "values"),
           "CH9"), 0);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_true (isnan (json_node_get_double (node)));

  /* The stopped frame: statistics filled, NaN for the missing channel. */
  assert_string (last, "state", "stopped");
  assert_double (last, "stats.min_values.CH9", NAN);
  assert_double (last, "stats.max_values.CH9", NAN);
  assert_double (last, "stats.mean_values.CH9", NAN);
  assert_double (last, "stats.min_values.CH1", 4.997776237501165);
  assert_double (last, "stats.duration_seconds", 1.008309);
  assert_double (last, "stats.actual_sample_rate", 16.866585310196346);
  assert_local_time (last, "stats.end_time", 2026, 11, 25, 17, 40, 10, 80275);
  ch9 = lablink_message_get_channel_values (last, 1, &n);
  g_assert_cmpuint (n, ==, 5);
  for (i = 0; i < n; i++)
    g_assert_true (isnan (ch9[i]));
}

static void
test_values_error_and_pong (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  guint i;

  for (i = 0; i < 3; i++)
    {
      g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "ws-bad-input", "error", NULL, i));
      g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_ERROR);
      g_assert_cmpstr (lablink_message_get_detail (m), ==, "Invalid JSON");
    }
  for (i = 0; i < 2; i++)
    {
      g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "ws-bad-input", "stream_started", NULL, i));
      /* echoed even for an unknown equipment id / stream type */
      g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_STREAM_STARTED);
      g_assert_cmpstr (lablink_message_get_stream_key (m), ==, i == 0 ? "scope_00000000_readings" : "scope_386959fc_spectrum");
    }
  {
    g_autoptr(LablinkMessage) m = parse_line (codec_find_recv (lines, "ws-bad-input", "pong", NULL, 0));
    g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_PONG);
    g_assert_cmpstr (lablink_message_get_type_name (m), ==, "pong");
  }
}

static void
test_values_alarms (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(LablinkMessage) alarm = parse_line (codec_find_recv (lines, "ws-alarm-broadcasts", "alarm", NULL, 0));
  g_autoptr(LablinkMessage) event0 = parse_line (codec_find_recv (lines, "ws-alarm-broadcasts", "alarm_event", NULL, 0));
  g_autoptr(LablinkMessage) event1 = parse_line (codec_find_recv (lines, "ws-alarm-broadcasts", "alarm_event", NULL, 1));
  g_autoptr(LablinkMessage) updated = parse_line (codec_find_recv (lines, "ws-alarm-broadcasts", "alarm_updated", NULL, 0));
  g_autoptr(LablinkMessage) cleared0 = parse_line (codec_find_recv (lines, "ws-alarm-broadcasts", "alarm_cleared", NULL, 0));
  g_autoptr(LablinkMessage) cleared1 = parse_line (codec_find_recv (lines, "ws-alarm-broadcasts", "alarm_cleared", NULL, 1));
  LablinkMessage *all[] = { alarm, event0, event1, updated, cleared0, cleared1 };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_assert_cmpint (lablink_message_get_message_type (all[i]), ==, LABLINK_MESSAGE_EVENT);
      g_assert_null (lablink_message_get_stream_key (all[i]));
      g_assert_null (lablink_message_get_detail (all[i]));
    }

  g_assert_cmpstr (lablink_message_get_type_name (alarm), ==, "alarm");
  g_assert_cmpstr (lablink_message_get_equipment_id (alarm), ==, "ps_250e6dfe");
  assert_string (alarm, "severity", "warning");
  assert_string (alarm, "alarm_name", "psu-overvoltage");
  assert_double (alarm, "value", 5.0);
  assert_double (alarm, "threshold", 4.0);
  assert_local_time (alarm, "triggered_at", 2026, 11, 25, 17, 40, 20, 117656);

  g_assert_cmpstr (lablink_message_get_type_name (event0), ==, "alarm_event");
  g_assert_cmpstr (lablink_message_get_equipment_id (event0), ==, "ps_250e6dfe");
  assert_string (event0, "data.event_id", "event_04664bc4");
  assert_double (event0, "data.value", 5.0);
  assert_string (event1, "data.event_id", "event_838b74e5");
  assert_double (event1, "data.value", 6.5);
  assert_local_time (event0, "data.timestamp", 2026, 11, 25, 17, 40, 20, 117656);

  g_assert_cmpstr (lablink_message_get_type_name (updated), ==, "alarm_updated");
  g_assert_null (lablink_message_get_equipment_id (updated));
  assert_string (updated, "data.state", "acknowledged");
  assert_string (updated, "data.acknowledged_by", "fixture-capture");
  assert_local_time (updated, "data.acknowledged_at", 2026, 11, 25, 17, 40, 20, 322069);

  g_assert_cmpstr (lablink_message_get_type_name (cleared0), ==, "alarm_cleared");
  assert_string (cleared0, "data.event_id", "event_04664bc4");
  assert_string (cleared1, "data.event_id", "event_838b74e5");
}

void
codec_add_fixture_value_tests (void)
{
  g_test_add_func ("/codec/fixtures/values/psu-readings", test_values_psu_readings);
  g_test_add_func ("/codec/fixtures/values/auth-readings", test_values_auth_readings);
  g_test_add_func ("/codec/fixtures/values/load-readings", test_values_load_readings);
  g_test_add_func ("/codec/fixtures/values/scope-waveform", test_values_scope_waveform);
  g_test_add_func ("/codec/fixtures/values/scope-measurements", test_values_scope_measurements);
  g_test_add_func ("/codec/fixtures/values/acquisition", test_values_acquisition);
  g_test_add_func ("/codec/fixtures/values/acquisition-nan", test_values_acquisition_nan);
  g_test_add_func ("/codec/fixtures/values/error-and-pong", test_values_error_and_pong);
  g_test_add_func ("/codec/fixtures/values/alarms", test_values_alarms);
}
