/* test-latency.c — LablinkLatency, the send → screen histogram, and
 * lablink_message_get_sent_time() (liblablink)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <lablink.h>

static void
test_latency_percentiles (void)
{
  g_autoptr(LablinkLatency) latency = lablink_latency_new ();
  guint i;

  g_assert_cmpuint (lablink_latency_get_count (latency), ==, 0);
  g_assert_cmpint (lablink_latency_get_percentile (latency, 0.5), ==, -1);

  /* 1 ms … 100 ms, one each */
  for (i = 1; i <= 100; i++)
    lablink_latency_record (latency, i * 1000);
  g_assert_cmpuint (lablink_latency_get_count (latency), ==, 100);
  /* upper edges of 250 µs steps */
  g_assert_cmpint (lablink_latency_get_percentile (latency, 0.5), ==, 50250);
  g_assert_cmpint (lablink_latency_get_percentile (latency, 0.99), ==, 99250);
  g_assert_cmpint (lablink_latency_get_percentile (latency, 1.0), ==, 100250);
  g_assert_cmpint (lablink_latency_get_percentile (latency, 0.0), ==, 1250);

  /* clocks apart: negative counts as 0; beyond 1 s counts as 1 s */
  lablink_latency_reset (latency);
  lablink_latency_record (latency, -5000);
  g_assert_cmpint (lablink_latency_get_percentile (latency, 0.5), ==, 250);
  lablink_latency_record (latency, 60 * G_USEC_PER_SEC);
  g_assert_cmpint (lablink_latency_get_percentile (latency, 1.0), ==, G_USEC_PER_SEC);
}

static void
test_message_sent_time (void)
{
  g_autoptr(LablinkMessage) stamped = NULL;
  g_autoptr(LablinkMessage) plain = NULL;
  g_autoptr(GError) error = NULL;

  stamped = lablink_message_parse ("{\"type\": \"stream_data\", \"equipment_id\": \"ps_1\", "
                                   "\"stream_type\": \"readings\", \"data\": {\"channel\": 1},"
                                   "\"sent_at_us\":1796557109261377}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lablink_message_get_sent_time (stamped), ==, G_GINT64_CONSTANT (1796557109261377));

  plain = lablink_message_parse ("{\"type\": \"stream_data\", \"equipment_id\": \"ps_1\", "
                                 "\"stream_type\": \"readings\", \"data\": {\"channel\": 1}}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lablink_message_get_sent_time (plain), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/latency/percentiles", test_latency_percentiles);
  g_test_add_func ("/latency/message-sent-time", test_message_sent_time);

  return g_test_run ();
}
