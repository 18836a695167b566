/* codec-hostile-memory.c — big frames and what they cost
 *
 * Big but legal frames (an 8 MB string, a 100,000-sample window, 50,000
 * members) decode; shape bombs (many timestamps and many empty channels) are
 * refused before the window is allocated; what a queued message costs is
 * counted in full and stays within the documented bound; the tokenizer's
 * scratch array does not stay at the size of the largest frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "codec-tests.h"
#include "lablink-message-private.h"

/* ---------------------------------------------------------------------- */
/* Big but legal frames */

static void
test_long_string (void)
{
  const gsize n = 8 * 1024 * 1024;
  GString *text = g_string_sized_new (n + 64);
  g_autofree char *frame = NULL;
  g_autoptr(LablinkMessage) m = NULL;
  g_autofree char *value = NULL;
  g_autofree char *escaped_value = NULL;
  gsize i;

  g_string_append (text, "{\"type\": \"alarm\", \"message\": \"");
  for (i = 0; i < n; i++)
    g_string_append_c (text, (char) ('a' + i % 26));
  g_string_append (text, "\", \"escaped\": \"");
  for (i = 0; i < n / 16; i++)
    g_string_append (text, "\\u00e9\\n");
  g_string_append (text, "\"}");
  frame = g_string_free (text, FALSE);

  m = parse_ok (frame);
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_EVENT);
  value = lablink_message_dup_string (m, "message");
  g_assert_cmpuint (strlen (value), ==, n);
  g_assert_cmpint (value[n - 1], ==, 'a' + (n - 1) % 26);
  escaped_value = lablink_message_dup_string (m, "escaped");
  g_assert_cmpuint (strlen (escaped_value), ==, n / 16 * 3);
  g_assert_true (g_str_has_prefix (escaped_value, "\xc3\xa9\n\xc3\xa9\n"));
}

static void
test_big_window (void)
{
  const guint n = 100000;
  GString *text = g_string_new ("{\"type\": \"acquisition_stream\", \"acquisition_id\": \"big\", \"state\": \"acquiring\", "
                                "\"stats\": null, \"data\": {\"timestamps\": [");
  g_autofree char *frame = NULL;
  g_autoptr(LablinkMessage) m = NULL;
  const gint64 *times;
  const double *ch2;
  gsize count = 0;
  guint i;

  for (i = 0; i < n; i++)
    g_string_append_printf (text, "%s%u.5", i ? ", " : "", 1700000000 + i);
  g_string_append (text, "], \"values\": {\"CH1\": [");
  for (i = 0; i < n; i++)
    g_string_append_printf (text, "%s%u", i ? ", " : "", i);
  g_string_append (text, "], \"CH2\": [");
  for (i = 0; i < n; i++)
    g_string_append_printf (text, "%s%s", i ? ", " : "", i % 2 ? "NaN" : "-1.25");
  g_string_append_printf (text, "]}, \"count\": %u}}", n);
  frame = g_string_free (text, FALSE);

  m = parse_ok (frame);
  g_assert_cmpuint (lablink_message_get_n_samples (m), ==, n);
  times = lablink_message_get_sample_times (m, &count);
  g_assert_cmpuint (count, ==, n);
  g_assert_cmpint (times[n - 1], ==, (gint64) (1700000000 + n - 1) * G_USEC_PER_SEC + 500000);
  g_assert_cmpfloat (lablink_message_get_channel_values (m, 0, NULL)[n - 1], ==, n - 1);
  ch2 = lablink_message_get_channel_values (m, 1, NULL);
  g_assert_cmpfloat (ch2[0], ==, -1.25);
  g_assert_true (isnan (ch2[n - 1]));
}

static void
test_many_members (void)
{
  const guint n = 50000;
  GString *text = g_string_new ("{");
  g_autofree char *frame = NULL;
  g_autoptr(LablinkMessage) m = NULL;
  double d = 0;
  guint i;

  for (i = 0; i < n; i++)
    g_string_append_printf (text, "\"k%u\": %u, ", i, i);
  g_string_append (text, "\"type\": \"job_updated\"}");
  frame = g_string_free (text, FALSE);

  m = parse_ok (frame);
  g_assert_cmpint (lablink_message_get_message_type (m), ==, LABLINK_MESSAGE_EVENT);
  g_assert_true (lablink_message_get_double (m, "k49999", &d));
  g_assert_cmpfloat (d, ==, 49999);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (lablink_message_get_node (m))), ==, n + 1);
}

/* Issue 10: many timestamps and many empty channels. The decoder once
 * allocated channels × samples doubles (here 10^10, 80 GB) before looking
 * at any channel; the shape is now checked from the tokens first, so this
 * frame of under 1 MB is refused at once with a clear error. */
static void
test_shape_bomb (void)
{
  const guint n = 100000;
  GString *text = g_string_new ("{\"type\": \"acquisition_stream\", \"acquisition_id\": \"bomb\", "
                                "\"data\": {\"timestamps\": [");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(LablinkMessage) m = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < n; i++)
    g_string_append (text, i ? ",0" : "0");
  g_string_append (text, "], \"values\": {");
  for (i = 0; i < n; i++)
    g_string_append (text, i ? ",\"\":[]" : "\"\":[]");
  g_string_append (text, "}}}");
  g_assert_cmpuint (text->len, <, 1024 * 1024);
  bytes = g_string_free_to_bytes (text);

  m = lablink_message_parse_bytes (bytes, 0, &error);
  g_assert_null (m);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD);
  g_assert_nonnull (strstr (error->message, "has 0 values for 100000 timestamps"));
}

/* The same, with a first channel of the right length: a later short
 * channel is found before anything is allocated for the window. */
static void
test_shape_bomb_late (void)
{
  const guint n = 100000;
  GString *text = g_string_new ("{\"type\": \"acquisition_stream\", \"acquisition_id\": \"bomb\", "
                                "\"data\": {\"timestamps\": [");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(LablinkMessage) m = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < n; i++)
    g_string_append (text, i ? ",0" : "0");
  g_string_append (text, "], \"values\": {\"CH1\": [");
  for (i = 0; i < n; i++)
    g_string_append (text, i ? ",1" : "1");
  g_string_append (text, "]");
  for (i = 0; i < n / 2; i++)
    g_string_append (text, ",\"x\":[]");
  g_string_append (text, "}}}");
  bytes = g_string_free_to_bytes (text);

  m = lablink_message_parse_bytes (bytes, 0, &error);
  g_assert_null (m);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD);
  g_assert_nonnull (strstr (error->message, "channel “x” has 0 values"));

  /* A channel that is not an array is refused the same way. */
  {
    g_autoptr(LablinkMessage) m2 = NULL;
    g_autoptr(GError) error2 = NULL;

    m2 = lablink_message_parse (ACQ ("{\"timestamps\": [1, 2], \"values\": {\"CH1\": [1, 2], \"CH2\": 3}}"), -1, &error2);
    g_assert_null (m2);
    g_assert_error (error2, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD);
  }
}

/* A frame of @n zeros in a waveform: the worst ratio of decoded size to
 * text (a 20-byte token and an 8-byte double for every 2 bytes). */
static GBytes *
zeros_frame (guint n)
{
  GString *text = g_string_new (WF ("\"voltage_data\": ["));
  guint i;

  g_string_truncate (text, text->len - 2);
  for (i = 0; i < n; i++)
    g_string_append (text, i ? ",0" : "0");
  g_string_append (text, "]}}");
  return g_string_free_to_bytes (text);
}

/* What a queued message costs is counted in full — text, tokens and the
 * decoded samples — and stays within the documented 16 L + 4 KiB of a
 * frame of L bytes ("Memory" in src/lablink/README.md), for the frames
 * that cost the most per byte. */
static void
test_cost (void)
{
  const guint n = 200000;
  g_autoptr(GBytes) zeros = zeros_frame (n);
  GString *channels = g_string_new ("{\"type\": \"acquisition_stream\", \"acquisition_id\": \"c\", "
                                    "\"data\": {\"timestamps\": [], \"values\": {");
  GString *long_id = g_string_new ("{\"type\": \"stream_data\", \"stream_type\": \"x\", \"data\": {}, \"equipment_id\": \"");
  g_autoptr(GBytes) channels_bytes = NULL;
  g_autoptr(GBytes) long_id_bytes = NULL;
  GBytes *frames[3];
  guint i;

  for (i = 0; i < n; i++)
    g_string_append_printf (channels, i ? ",\"%u\":[]" : "\"%u\":[]", i);
  g_string_append (channels, "}}}");
  channels_bytes = g_string_free_to_bytes (channels);
  for (i = 0; i < n; i++)
    g_string_append (long_id, "abcdefgh");
  g_string_append (long_id, "\"}");
  long_id_bytes = g_string_free_to_bytes (long_id);

  frames[0] = zeros;
  frames[1] = channels_bytes;
  frames[2] = long_id_bytes;
  for (i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(LablinkMessage) m = NULL;
      g_autoptr(GError) error = NULL;
      gsize length = g_bytes_get_size (frames[i]);
      gsize cost;

      m = lablink_message_parse_bytes (frames[i], 0, &error);
      g_assert_no_error (error);
      cost = lablink_message_get_cost (m);
      g_test_message ("frame %u: %" G_GSIZE_FORMAT " bytes cost %" G_GSIZE_FORMAT " (%.1f per byte)",
                      i, length, cost, (double) cost / length);
      g_assert_cmpuint (cost, >, length);
      g_assert_cmpuint (cost, <=, 16 * length + 4096);
      if (i == 0)
        {
          gsize n_samples = 0;

          g_assert_nonnull (lablink_message_get_waveform (m, &n_samples));
          g_assert_cmpuint (n_samples, ==, n);
          /* Tokens (20 bytes), doubles (8) and text (2) for each zero. */
          g_assert_cmpuint (cost, >=, (gsize) n * 30);
        }
    }
}

/* The tokenizer's per-thread working array does not stay at the size of
 * the largest frame ever seen (issue 10 C: 8M-sample frames left 160 MB
 * behind for good). */
static void
test_scratch_shrinks (void)
{
  g_autoptr(GBytes) big = zeros_frame (500000);
  g_autoptr(LablinkMessage) m = NULL;
  g_autoptr(LablinkMessage) small = NULL;
  g_autoptr(GError) error = NULL;

  small = lablink_message_parse (VALUE ("1.5"), -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lablink_message_get_scratch_allocated (), >, 0);
  g_assert_cmpuint (lablink_message_get_scratch_allocated (), <=, 64 * 1024);

  m = lablink_message_parse_bytes (big, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lablink_message_get_scratch_allocated (), <=, 64 * 1024);

  /* A rejected outsized frame too. */
  g_clear_pointer (&m, lablink_message_unref);
  {
    g_autoptr(GBytes) bad = NULL;
    GString *text = g_string_new (WF ("\"voltage_data\": ["));
    guint i;

    g_string_truncate (text, text->len - 2);
    for (i = 0; i < 500000; i++)
      g_string_append (text, i ? ",0" : "0");
    g_string_append (text, ",\"x\"]}}");
    bad = g_string_free_to_bytes (text);
    m = lablink_message_parse_bytes (bad, 0, &error);
    g_assert_null (m);
    g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD);
    g_assert_cmpuint (lablink_message_get_scratch_allocated (), <=, 64 * 1024);
  }
}

void
codec_add_hostile_memory_tests (void)
{
  g_test_add_func ("/codec/hostile/long-string", test_long_string);
  g_test_add_func ("/codec/hostile/big-window", test_big_window);
  g_test_add_func ("/codec/hostile/many-members", test_many_members);
  g_test_add_func ("/codec/hostile/shape-bomb", test_shape_bomb);
  g_test_add_func ("/codec/hostile/shape-bomb-late", test_shape_bomb_late);
  g_test_add_func ("/codec/hostile/cost", test_cost);
  g_test_add_func ("/codec/hostile/scratch-shrinks", test_scratch_shrinks);
}
