/* test-client-window.c — acquisition windows and snapshots decoded from the
 * REST answer's text (lablink_client_get_acquisition_window_async(),
 * lablink-message-rest.c), against the real server's recorded answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "client-test-util.h"
#include "lablink-message-private.h"

#define ACQ_ID "ef958d84-9aec-47c8-9f5b-953407d0f2d1"
#define NAN_ACQ_ID "da3c9cc7-db72-47e4-8e0f-391eafc48747"
#define DATA_PATH(id, n) "/api/acquisition/session/" id "/data?num_samples=" #n

typedef TestReplay Fixture;

static LablinkMessage *
get_window (Fixture     *fixture,
            const char  *id,
            guint        n,
            GError     **error)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_get_acquisition_window_async (fixture->client, id, n, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  return lablink_client_get_acquisition_window_finish (fixture->client, result, error);
}

/* The recorded answer: the same samples as the JSON tree holds. */
static void
test_window_recorded (Fixture       *fixture,
                      gconstpointer  data)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LablinkMessage) window = NULL;
  g_autoptr(JsonNode) tree = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *values;
  gboolean polled = FALSE;
  gsize n = 0, n_invalid = 0;
  guint c;

  test_replay_add (fixture, fixture->patched, "acquisition", "GET", DATA_PATH (ACQ_ID, 100), 200, 0);

  window = get_window (fixture, ACQ_ID, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lablink_message_get_message_type (window), ==, LABLINK_MESSAGE_ACQUISITION_STREAM);
  g_assert_cmpstr (lablink_message_get_acquisition_id (window), ==, ACQ_ID);
  g_assert_true (lablink_message_get_boolean (window, "polled", &polled));
  g_assert_true (polled);
  g_assert_nonnull (lablink_message_get_sample_times (window, &n));
  lablink_message_get_invalid_samples (window, &n_invalid);
  g_assert_cmpuint (n + n_invalid, ==, 43);
  g_assert_cmpuint (n_invalid, ==, 0);
  g_assert_cmpuint (lablink_message_get_n_channels (window), ==, 2);

  lablink_client_get_acquisition_data_async (fixture->client, ACQ_ID, 100, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  tree = lablink_client_get_acquisition_data_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  values = json_object_get_object_member (json_object_get_object_member (json_node_get_object (tree), "data"),
                                          "values");
  for (c = 0; c < 2; c++)
    {
      const char *name = lablink_message_get_channel_name (window, c);
      JsonArray *column = json_object_get_array_member (values, name);
      const double *decoded = lablink_message_get_channel_values (window, c, NULL);

      g_assert_cmpuint (json_array_get_length (column), ==, n);
      for (gsize i = 0; i < n; i++)
        g_assert_cmpfloat (decoded[i], ==, json_array_get_double_element (column, i));
    }
}

/* The real server writes a failed read as a bare NaN (its frames do; its
 * REST answers 500 for them, below): a window holding one decodes. The
 * body is the recorded frame's "data", as a data answer would carry it. */
static void
test_window_bare_nan (Fixture       *fixture,
                      gconstpointer  data)
{
  JsonObject *line = NULL;
  g_autoptr(GString) body = g_string_new ("{\"acquisition_id\": \"" NAN_ACQ_ID "\", \"channels\": [\"CH1\", \"CH9\"], \"data\": ");
  g_autoptr(LablinkMessage) window = NULL;
  g_autoptr(GError) error = NULL;
  const char *frame, *member;
  const double *ch1, *ch9;
  gsize n = 0;

  for (guint i = 0; i < fixture->patched->len && line == NULL; i++)
    {
      JsonObject *candidate = g_ptr_array_index (fixture->patched, i);

      if (g_strcmp0 (json_object_get_string_member (candidate, "scenario"), "acquisition-nan") == 0 &&
          g_strcmp0 (json_object_get_string_member (candidate, "dir"), "recv") == 0 &&
          strstr (json_object_get_string_member (candidate, "frame"), "NaN]") != NULL)
        line = candidate;
    }
  g_assert_nonnull (line);
  frame = json_object_get_string_member (line, "frame");
  /* "data" is the frame's last member: its text runs to the closing brace. */
  member = strstr (frame, "\"data\": ");
  g_assert_nonnull (member);
  member += strlen ("\"data\": ");
  g_string_append_len (body, member, strlen (member) - 1);
  g_string_append_c (body, '}');
  g_assert_nonnull (strstr (body->str, "NaN"));

  mock_server_add (fixture->server, "GET", DATA_PATH (NAN_ACQ_ID, 5), 200, "application/json", body->str, 0);
  window = get_window (fixture, NAN_ACQ_ID, 5, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lablink_message_get_sample_times (window, &n));
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpstr (lablink_message_get_channel_name (window, 0), ==, "CH1");
  g_assert_cmpstr (lablink_message_get_channel_name (window, 1), ==, "CH9");
  ch1 = lablink_message_get_channel_values (window, 0, NULL);
  ch9 = lablink_message_get_channel_values (window, 1, NULL);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_true (isfinite (ch1[i]));
      g_assert_true (isnan (ch9[i]));
    }
}

/* What is not a window: the released server's 500 text/plain, an answer
 * about another acquisition, one that is not an object or is empty, and
 * one over max-response-size. */
static void
test_window_failures (Fixture       *fixture,
                      gconstpointer  data)
{
  static const struct {
    const char *path;
    const char *body;
    gint        code;
  } answers[] = {
    { DATA_PATH (ACQ_ID, 1), "{\"acquisition_id\": \"other\", \"data\": {\"timestamps\": [], \"values\": {}}}",
      LABLINK_ERROR_INVALID_FIELD },
    { DATA_PATH (ACQ_ID, 2), "[1, 2]", LABLINK_ERROR_NOT_OBJECT },
    { DATA_PATH (ACQ_ID, 3), " { } ", LABLINK_ERROR_INVALID_FIELD },
    { DATA_PATH (ACQ_ID, 4), "{\"acquisition_id\": \"" ACQ_ID "\", \"data\": {\"timestamps\": [1], ",
      LABLINK_ERROR_MALFORMED },
    { DATA_PATH (ACQ_ID, 5), "{\"acquisition_id\": \"" ACQ_ID "\"}, {\"x\": 1}", LABLINK_ERROR_MALFORMED },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkMessage) window = NULL;
  g_autoptr(GString) large = g_string_new ("{\"acquisition_id\": \"" ACQ_ID "\", \"pad\": \"");

  test_replay_add (fixture, fixture->patched, "acquisition-nan", "GET", DATA_PATH (NAN_ACQ_ID, 5), 500, 0);
  window = get_window (fixture, NAN_ACQ_ID, 5, &error);
  g_assert_null (window);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "Internal Server Error"));
  g_clear_error (&error);

  for (gsize i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(LablinkMessage) bad = NULL;

      mock_server_add (fixture->server, "GET", answers[i].path, 200, "application/json", answers[i].body, 0);
      bad = get_window (fixture, ACQ_ID, (guint) i + 1, &error);
      g_test_message ("%s → %s", answers[i].body, error ? error->message : "(no error)");
      g_assert_null (bad);
      g_assert_error (error, LABLINK_ERROR, answers[i].code);
      g_clear_error (&error);
    }

  /* The byte limit on REST bodies holds for windows too. */
  for (guint i = 0; i < 4096; i++)
    g_string_append (large, "0123456789abcdef");
  g_string_append (large, "\"}");
  mock_server_add (fixture->server, "GET", DATA_PATH (ACQ_ID, 9), 200, "application/json", large->str, 0);
  lablink_client_set_max_response_size (fixture->client, 16 * 1024);
  window = get_window (fixture, ACQ_ID, 9, &error);
  g_assert_null (window);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE);
}

/* A snapshot with a bare NaN (a failed read, as the real server writes it)
 * becomes the polled stream_data frame; an answer that is several values
 * spliced together does not. */
static void
test_snapshot_answer (void)
{
  static const char nan_body[] = "{\"voltage\": NaN, \"current\": 0.5, \"output_enabled\": true}";
  static const char spliced[] = "{\"voltage\": 1}, \"equipment_id\": \"other\"";
  g_autoptr(LablinkMessage) message = NULL;
  g_autoptr(LablinkMessage) bad = NULL;
  g_autoptr(GError) error = NULL;
  gboolean polled = FALSE;
  double value = 0;

  message = lablink_message_parse_snapshot_answer ("ps_1", "readings", nan_body, strlen (nan_body), &error);
  g_assert_no_error (error);
  g_assert_cmpint (lablink_message_get_message_type (message), ==, LABLINK_MESSAGE_STREAM_DATA);
  g_assert_cmpstr (lablink_message_get_stream_key (message), ==, "ps_1_readings");
  g_assert_true (lablink_message_get_boolean (message, "polled", &polled) && polled);
  g_assert_true (lablink_message_get_double (message, "data.voltage", &value));
  g_assert_true (isnan (value));
  g_assert_true (lablink_message_get_double (message, "data.current", &value));
  g_assert_cmpfloat (value, ==, 0.5);

  bad = lablink_message_parse_snapshot_answer ("ps_1", "readings", spliced, strlen (spliced), &error);
  g_assert_null (bad);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_MALFORMED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, test_replay_setup, func, test_replay_teardown)

  ADD ("/window/recorded", test_window_recorded);
  ADD ("/window/bare-nan", test_window_bare_nan);
  ADD ("/window/failures", test_window_failures);
  g_test_add_func ("/window/snapshot-answer", test_snapshot_answer);

#undef ADD

  return g_test_run ();
}
