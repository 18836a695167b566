/* codec-message.c — LablinkMessage: lifetime, accessors, tree, waveform copy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "codec-tests.h"

#define PSU_FRAME \
  "{\"type\": \"stream_data\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", \"data\": " \
  "{\"equipment_id\": \"ps_250e6dfe\", \"timestamp\": \"2026-11-25T17:39:49.400093\", \"channel\": 1, " \
  "\"voltage_set\": 5.0, \"current_set\": 1.0, \"voltage_actual\": 5.000444620551635, " \
  "\"current_actual\": 0.49995062717259475, \"output_enabled\": true, \"in_cv_mode\": true, \"in_cc_mode\": false}}"

#define SIM_WAVEFORM_FRAME \
  "{\"type\": \"stream_data\", \"equipment_id\": \"scope_386959fc\", \"stream_type\": \"waveform\", \"data\": " \
  "{\"equipment_id\": \"scope_386959fc\", \"channel\": 1, \"timestamp\": \"2026-11-25T17:39:54.254086\", " \
  "\"sample_rate\": 1000000000.0, \"num_samples\": 4, \"voltage_data\": [0.5, -0.25, 1e-3, 3]}}"

static void
test_lifetime (void)
{
  gint64 before = g_get_real_time ();
  static const char frame[] = PSU_FRAME;
  LablinkMessage *m = parse_ok (frame);
  gint64 after = g_get_real_time ();
  LablinkMessage *copy;
  gsize length = 0;
  const char *text;

  g_assert_true (G_TYPE_IS_BOXED (LABLINK_TYPE_MESSAGE));
  g_assert_cmpstr (g_type_name (LABLINK_TYPE_MESSAGE), ==, "LablinkMessage");

  g_assert_cmpint (lablink_message_get_received_time (m), >=, before);
  g_assert_cmpint (lablink_message_get_received_time (m), <=, after);

  text = lablink_message_get_text (m, &length);
  g_assert_cmpuint (length, ==, strlen (PSU_FRAME));
  g_assert_cmpint (memcmp (text, PSU_FRAME, length), ==, 0);
  g_assert_true (text != frame);  /* lablink_message_parse() copies */
  /* get_bytes() is the same text, owned by the bytes (they may outlive m) */
  g_assert_true (g_bytes_get_size (lablink_message_get_bytes (m)) == length);
  g_assert_cmpint (memcmp (g_bytes_get_data (lablink_message_get_bytes (m), NULL), text, length), ==, 0);
  g_assert_true (lablink_message_get_bytes (m) == lablink_message_get_bytes (m));

  g_assert_true (lablink_message_ref (m) == m);
  copy = g_boxed_copy (LABLINK_TYPE_MESSAGE, m);
  g_assert_true (copy == m);
  g_boxed_free (LABLINK_TYPE_MESSAGE, copy);
  lablink_message_unref (m);
  /* still alive: one reference left */
  g_assert_cmpstr (lablink_message_get_equipment_id (m), ==, "ps_250e6dfe");
  lablink_message_unref (m);
}

/* A message owns its text: the caller's buffer or GBytes can go at once,
 * and need not be nul-terminated. */
static void
test_parse_copies_text (void)
{
  gsize n = strlen (PSU_FRAME);
  char *buffer = g_malloc (n);
  GBytes *bytes;
  g_autoptr(LablinkMessage) m = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  double d = 0;

  memcpy (buffer, PSU_FRAME, n);   /* no nul */
  bytes = g_bytes_new_take (buffer, n);
  m = lablink_message_parse_bytes (bytes, 0, &error);
  g_assert_no_error (error);
  g_bytes_unref (bytes);           /* frees buffer */

  g_assert_cmpint (memcmp (lablink_message_get_text (m, &length), PSU_FRAME, n), ==, 0);
  g_assert_cmpuint (length, ==, n);
  g_assert_cmpuint (g_bytes_get_size (lablink_message_get_bytes (m)), ==, n);
  g_assert_cmpint (memcmp (g_bytes_get_data (lablink_message_get_bytes (m), NULL), PSU_FRAME, n), ==, 0);
  g_assert_true (lablink_message_get_bytes (m) == lablink_message_get_bytes (m));
  g_assert_true (lablink_message_get_double (m, "data.voltage_actual", &d));
  g_assert_cmpfloat (d, ==, 5.000444620551635);

  /* Explicit length shorter than the text: only that prefix is the frame. */
  {
    g_autoptr(LablinkMessage) p = lablink_message_parse ("{\"type\": \"ping\"}{\"type\": \"pong\"}", 16, &error);
    g_assert_no_error (error);
    g_assert_cmpint (lablink_message_get_message_type (p), ==, LABLINK_MESSAGE_PING);
    lablink_message_get_text (p, &length);
    g_assert_cmpuint (length, ==, 16);
  }
}

static void
test_accessors (void)
{
  g_autoptr(LablinkMessage) m = parse_ok (PSU_FRAME);
  double d = -1;
  gint64 i = -1;
  gboolean b = FALSE;

  /* Wrong JSON types are refused, outputs untouched. */
  g_assert_false (lablink_message_get_double (m, "data.equipment_id", &d));
  g_assert_false (lablink_message_get_double (m, "data.output_enabled", &d));
  g_assert_false (lablink_message_get_double (m, "data", &d));
  g_assert_false (lablink_message_get_double (m, "data.missing", &d));
  g_assert_cmpfloat (d, ==, -1);
  g_assert_false (lablink_message_get_int (m, "data.voltage_actual", &i));   /* a fraction */
  g_assert_false (lablink_message_get_int (m, "data.timestamp", &i));
  g_assert_cmpint (i, ==, -1);
  g_assert_true (lablink_message_get_int (m, "data.voltage_set", &i));       /* 5.0 is integral */
  g_assert_cmpint (i, ==, 5);
  g_assert_false (lablink_message_get_boolean (m, "data.channel", &b));
  g_assert_false (lablink_message_get_boolean (m, "data.missing", &b));
  g_assert_false (b);
  g_assert_null (lablink_message_dup_string (m, "data.channel"));
  g_assert_null (lablink_message_dup_string (m, "data"));
  g_assert_null (lablink_message_dup_string (m, "nope"));
  g_assert_false (lablink_message_is_null (m, "data.missing"));
  g_assert_false (lablink_message_is_null (m, "data.channel"));
  g_assert_true (lablink_message_has_member (m, "data"));
  g_assert_true (lablink_message_has_member (m, "type"));
  g_assert_false (lablink_message_has_member (m, "data.channel.x"));
  g_assert_false (lablink_message_has_member (m, "Data"));   /* case-sensitive */

  /* Accessors unrelated to the type are empty. */
  g_assert_null (lablink_message_get_acquisition_id (m));
  g_assert_null (lablink_message_get_detail (m));
  g_assert_cmpuint (lablink_message_get_n_samples (m), ==, 0);
  g_assert_cmpuint (lablink_message_get_n_channels (m), ==, 0);
  g_assert_null (lablink_message_get_sample_times (m, NULL));
  g_assert_null (lablink_message_get_channel_values (m, 0, NULL));
  g_assert_null (lablink_message_get_channel_name (m, 0));
  g_assert_null (lablink_message_get_waveform (m, NULL));
}

/* The message enum is registered (lablink-enums) and covers every type. */
static void
test_enum_type (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (LABLINK_TYPE_MESSAGE_TYPE);
  GEnumValue *value;

  g_assert_cmpuint (klass->n_values, ==, LABLINK_MESSAGE_EVENT + 1);
  value = g_enum_get_value (klass, LABLINK_MESSAGE_EVENT);
  g_assert_nonnull (value);
  g_assert_cmpstr (value->value_name, ==, "LABLINK_MESSAGE_EVENT");
}

/* get_node(): built once, sealed, shared. */
static void
test_node_cached (void)
{
  g_autoptr(LablinkMessage) m = parse_ok (PSU_FRAME);
  JsonNode *node = lablink_message_get_node (m);
  g_autoptr(JsonNode) ref = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (node);
  g_assert_true (lablink_message_get_node (m) == node);
  g_assert_true (json_node_is_immutable (node));
  ref = ref_parse_json (PSU_FRAME, -1, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (node, ref));
  g_assert_true (ref_nodes_match (node, ref, FALSE, NULL));
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (json_object_get_object_member (
                     json_node_get_object (node), "data"), "channel")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (json_object_get_object_member (
                     json_node_get_object (node), "data"), "voltage_set")), ==, G_TYPE_DOUBLE);
}

typedef struct {
  LablinkMessage *message;
  GMutex          mutex;
  GCond           cond;
  gboolean        go;
} RaceData;

static gpointer
race_thread (gpointer data)
{
  RaceData *race = data;

  g_mutex_lock (&race->mutex);
  while (!race->go)
    g_cond_wait (&race->cond, &race->mutex);
  g_mutex_unlock (&race->mutex);

  return lablink_message_get_node (race->message);
}

/* Many threads asking for the tree of a fresh message at once all get the
 * same one (the losers' trees are freed: ASan would see a leak). */
static void
test_node_thread_race (void)
{
  guint round;

  for (round = 0; round < 20; round++)
    {
      RaceData race = { 0 };
      GThread *threads[8];
      JsonNode *first = NULL;
      guint i;

      race.message = parse_ok (SIM_WAVEFORM_FRAME);
      g_mutex_init (&race.mutex);
      g_cond_init (&race.cond);
      for (i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("race", race_thread, &race);
      g_mutex_lock (&race.mutex);
      race.go = TRUE;
      g_cond_broadcast (&race.cond);
      g_mutex_unlock (&race.mutex);
      for (i = 0; i < G_N_ELEMENTS (threads); i++)
        {
          JsonNode *node = g_thread_join (threads[i]);
          if (first == NULL)
            first = node;
          g_assert_true (node == first);
        }
      g_assert_true (lablink_message_get_node (race.message) == first);
      lablink_message_unref (race.message);
      g_mutex_clear (&race.mutex);
      g_cond_clear (&race.cond);
    }
}

/* The simulator's frames carry the samples inline. */
static void
test_inline_waveform (void)
{
  g_autoptr(LablinkMessage) m = parse_ok (SIM_WAVEFORM_FRAME);
  const double *w;
  gsize n = 0;

  w = lablink_message_get_waveform (m, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat (w[0], ==, 0.5);
  g_assert_cmpfloat (w[1], ==, -0.25);
  g_assert_cmpfloat (w[2], ==, 1e-3);
  g_assert_cmpfloat (w[3], ==, 3.0);
  g_assert_nonnull (lablink_message_get_waveform (m, NULL));

  /* voltage_data is only decoded for waveform streams */
  {
    g_autoptr(LablinkMessage) r = parse_ok ("{\"type\": \"stream_data\", \"equipment_id\": \"e\", \"stream_type\": \"readings\", "
                                            "\"data\": {\"voltage_data\": [1, 2]}}");
    g_assert_null (lablink_message_get_waveform (r, &n));
    g_assert_cmpuint (n, ==, 0);
  }
  /* an empty or null voltage_data */
  {
    g_autoptr(LablinkMessage) e = parse_ok ("{\"type\": \"stream_data\", \"equipment_id\": \"e\", \"stream_type\": \"waveform\", "
                                            "\"data\": {\"voltage_data\": []}}");
    g_autoptr(LablinkMessage) z = parse_ok ("{\"type\": \"stream_data\", \"equipment_id\": \"e\", \"stream_type\": \"waveform\", "
                                            "\"data\": {\"voltage_data\": null}}");
    n = 99;
    lablink_message_get_waveform (e, &n);
    g_assert_cmpuint (n, ==, 0);
    n = 99;
    g_assert_null (lablink_message_get_waveform (z, &n));
    g_assert_cmpuint (n, ==, 0);
  }
}

static void
test_new_with_waveform (void)
{
  static const double samples[] = { 1.0, NAN, -2.5, 1e-9, 4.0 };
  g_autoptr(LablinkMessage) inline_frame = parse_ok (SIM_WAVEFORM_FRAME);
  g_autoptr(LablinkMessage) replaced = NULL;
  g_autoptr(LablinkMessage) emptied = NULL;
  g_autoptr(LablinkMessage) chained = NULL;
  const double *w;
  gsize n = 0, i;

  /* Replaces inline samples; the original keeps its own. */
  replaced = lablink_message_new_with_waveform (inline_frame, samples, G_N_ELEMENTS (samples));
  w = lablink_message_get_waveform (replaced, &n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (samples));
  for (i = 0; i < n; i++)
    g_assert_true (ref_same_double (w[i], samples[i]));
  g_assert_true (w != samples);
  lablink_message_get_waveform (inline_frame, &n);
  g_assert_cmpuint (n, ==, 4);

  /* The copy is a full message: same text, same decoded fields, own tree. */
  g_assert_true (g_bytes_equal (lablink_message_get_bytes (replaced), lablink_message_get_bytes (inline_frame)));
  g_assert_cmpint (lablink_message_get_message_type (replaced), ==, LABLINK_MESSAGE_STREAM_DATA);
  g_assert_cmpstr (lablink_message_get_stream_key (replaced), ==, "scope_386959fc_waveform");
  g_assert_cmpint (lablink_message_get_received_time (replaced), ==, lablink_message_get_received_time (inline_frame));
  g_assert_true (json_node_equal (lablink_message_get_node (replaced), lablink_message_get_node (inline_frame)));

  /* No samples at all. */
  emptied = lablink_message_new_with_waveform (inline_frame, NULL, 0);
  n = 99;
  lablink_message_get_waveform (emptied, &n);
  g_assert_cmpuint (n, ==, 0);

  /* A copy of a copy. */
  chained = lablink_message_new_with_waveform (replaced, samples + 1, 2);
  w = lablink_message_get_waveform (chained, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (isnan (w[0]));
  g_assert_cmpfloat (w[1], ==, -2.5);
}

/* Messages are immutable and shareable: readers on several threads. */
static gpointer
reader_thread (gpointer data)
{
  LablinkMessage *m = data;
  guint i;

  for (i = 0; i < 2000; i++)
    {
      double d = 0;
      g_autofree char *s = lablink_message_dup_string (m, "data.timestamp");
      gint64 t = 0;

      g_assert_true (lablink_message_get_double (m, "data.voltage_actual", &d));
      g_assert_cmpfloat (d, ==, 5.000444620551635);
      g_assert_cmpstr (s, ==, "2026-11-25T17:39:49.400093");
      g_assert_true (lablink_message_get_timestamp (m, "data.timestamp", &t));
      g_assert_cmpint (t, ==, ref_local_usec ("2026-11-25T17:39:49.400093"));
    }
  return NULL;
}

static void
test_shared_between_threads (void)
{
  g_autoptr(LablinkMessage) m = parse_ok (PSU_FRAME);
  GThread *threads[4];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("reader", reader_thread, lablink_message_ref (m));
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      lablink_message_unref (m);
    }
}

void
codec_add_message_tests (void)
{
  g_test_add_func ("/codec/message/lifetime", test_lifetime);
  g_test_add_func ("/codec/message/parse-copies-text", test_parse_copies_text);
  g_test_add_func ("/codec/message/accessors", test_accessors);
  g_test_add_func ("/codec/message/enum-type", test_enum_type);
  g_test_add_func ("/codec/message/node-cached", test_node_cached);
  g_test_add_func ("/codec/message/node-thread-race", test_node_thread_race);
  g_test_add_func ("/codec/message/inline-waveform", test_inline_waveform);
  g_test_add_func ("/codec/message/new-with-waveform", test_new_with_waveform);
  g_test_add_func ("/codec/message/shared-between-threads", test_shared_between_threads);
}
