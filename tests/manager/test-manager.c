/* test-manager.c — LablinkStreamManager against lablink-sim
 *
 * Every test starts its own simulator on 127.0.0.1 with a free port.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>
#include <math.h>
#include <signal.h>

#include "test-common.h"

#define PSU   "ps_250e6dfe"
#define LOAD  "load_47fa0d5c"
#define SCOPE "scope_386959fc"

typedef struct {
  GHashTable *counts;        /* stream key → count of stream-data */
  guint       messages;      /* "message" signals */
  guint       frame_errors;
  guint       acquisition;   /* acquisition-data with samples */
  guint       waveforms_with_samples;
  guint       events;
  guint64     last_seq;
} Counter;

static void
counter_init (Counter *c)
{
  memset (c, 0, sizeof *c);
  c->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
counter_clear (Counter *c)
{
  g_clear_pointer (&c->counts, g_hash_table_unref);
}

static guint
count_of (Counter    *c,
          const char *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (c->counts, key));
}

static void
on_stream_data (LablinkStreamManager *manager,
                LablinkMessage       *message,
                Counter              *c)
{
  const char *key = lablink_message_get_stream_key (message);
  gsize n = 0;

  g_hash_table_replace (c->counts, g_strdup (key), GUINT_TO_POINTER (count_of (c, key) + 1));
  if (lablink_message_get_waveform (message, &n) != NULL && n > 0)
    c->waveforms_with_samples++;
}

static void
on_message (LablinkStreamManager *manager,
            LablinkMessage       *message,
            Counter              *c)
{
  c->messages++;
}

static void
on_frame_error (LablinkStreamManager *manager,
                const GError         *error,
                Counter              *c)
{
  g_assert_error (error, LABLINK_ERROR, error->code);
  c->frame_errors++;
}

static void
on_acquisition_data (LablinkStreamManager *manager,
                     LablinkMessage       *message,
                     Counter              *c)
{
  if (lablink_message_get_n_samples (message) > 0)
    c->acquisition++;
}

static void
on_event (LablinkStreamManager *manager,
          LablinkMessage       *message,
          Counter              *c)
{
  c->events++;
}

static LablinkStreamManager *
new_manager (LablinkClient *client,
             Counter       *c)
{
  LablinkStreamManager *manager = g_object_new (LABLINK_TYPE_STREAM_MANAGER,
                                                "client", client,
                                                "backoff-initial-ms", 100,
                                                "backoff-max-ms", 1000,
                                                "ping-interval-ms", 60000,
                                                NULL);
  g_signal_connect (manager, "stream-data", G_CALLBACK (on_stream_data), c);
  g_signal_connect (manager, "message", G_CALLBACK (on_message), c);
  g_signal_connect (manager, "frame-error", G_CALLBACK (on_frame_error), c);
  g_signal_connect (manager, "acquisition-data", G_CALLBACK (on_acquisition_data), c);
  g_signal_connect (manager, "event", G_CALLBACK (on_event), c);
  return manager;
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
  gpointer result;
} Async;

static gboolean
async_done (gpointer data)
{
  return ((Async *) data)->done;
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Async *a = data;

  a->ok = lablink_stream_manager_connect_finish (LABLINK_STREAM_MANAGER (source), result, &a->error);
  a->done = TRUE;
}

static gboolean
connect_manager (LablinkStreamManager  *manager,
                 GError               **error)
{
  Async a = { 0 };

  lablink_stream_manager_connect_async (manager, NULL, connect_cb, &a);
  g_assert_true (test_wait_until (async_done, &a, TEST_TIMEOUT_MS));
  if (a.error)
    g_propagate_error (error, a.error);
  return a.ok;
}

static gboolean
is_connected (gpointer data)
{
  return lablink_stream_manager_get_connected (data);
}

typedef struct {
  Counter    *c;
  const char *key;
  guint       at_least;
} CountWait;

static gboolean
count_reached (gpointer data)
{
  CountWait *w = data;
  return count_of (w->c, w->key) >= w->at_least;
}

static void
wait_count (Counter    *c,
            const char *key,
            guint       at_least,
            guint       timeout_ms)
{
  CountWait w = { c, key, at_least };

  if (!test_wait_until (count_reached, &w, timeout_ms))
    g_error ("%s: %u frames after %u ms, expected at least %u", key, count_of (c, key), timeout_ms, at_least);
}

/* Starting a stream before connecting is a clear error. */
static void
test_not_connected (void)
{
  g_autoptr(LablinkClient) client = lablink_client_new ("http://127.0.0.1:9", NULL);
  g_autoptr(LablinkStreamManager) manager = lablink_stream_manager_new (client);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (lablink_stream_manager_get_state (manager), ==, LABLINK_CONNECTION_DISCONNECTED);
  g_assert_false (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 100, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_false (lablink_stream_manager_start_acquisition_stream (manager, "x", 100, 10, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_false (lablink_stream_manager_send_ping (manager, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED);
}

/* Connecting to a port where nothing listens fails with a clear error,
 * and the manager keeps trying in the background. */
static void
test_connection_refused (void)
{
  g_autoptr(LablinkClient) client = lablink_client_new ("http://127.0.0.1:9", NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_assert_false (connect_manager (manager, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED);
  g_assert_cmpint (lablink_stream_manager_get_state (manager), ==, LABLINK_CONNECTION_RECONNECTING);
  g_assert_cmpint (lablink_stream_manager_get_next_retry_time (manager), >, 0);
  g_assert_nonnull (lablink_stream_manager_get_last_error (manager));
  g_clear_error (&error);
  error = lablink_stream_manager_dup_last_error (manager);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED);
  lablink_stream_manager_disconnect (manager);
  counter_clear (&c);
}

/* Several streams at once, each at about its interval, then stop one. */
static void
test_streams (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) active = NULL;
  guint psu, load, wave, meas, after_stop;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_assert_true (connect_manager (manager, &error));
  g_assert_no_error (error);
  g_assert_true (lablink_stream_manager_get_connected (manager));

  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 100, &error));
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, LOAD, "readings", 200, &error));
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, SCOPE, "waveform", 100, &error));
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, SCOPE, "measurements", 200, &error));
  g_assert_no_error (error);

  active = lablink_stream_manager_get_active_streams (manager);
  g_assert_cmpuint (g_strv_length (active), ==, 4);
  g_assert_cmpstr (active[0], ==, LOAD "_readings");
  g_assert_true (lablink_stream_manager_is_stream_active (manager, PSU "_readings"));

  /* Count from the first PSU frame on until the load, the slowest stream,
   * has delivered 5 frames: the 100 ms streams outrun the 200 ms ones
   * (cadence = interval + read time: ~111 ms, ~211 ms, ~150 ms, ~211 ms). */
  wait_count (&c, PSU "_readings", 1, TEST_TIMEOUT_MS);
  g_hash_table_remove_all (c.counts);
  c.waveforms_with_samples = 0;
  wait_count (&c, LOAD "_readings", 5, TEST_TIMEOUT_MS);

  psu = count_of (&c, PSU "_readings");
  load = count_of (&c, LOAD "_readings");
  wave = count_of (&c, SCOPE "_waveform");
  meas = count_of (&c, SCOPE "_measurements");
  g_test_message ("psu %u, load %u, waveform %u, measurements %u", psu, load, wave, meas);
  g_assert_cmpuint (psu, >, load);
  g_assert_cmpuint (wave, >, 0);
  g_assert_cmpuint (meas, >, 0);
  g_assert_cmpuint (c.waveforms_with_samples, ==, wave);
  g_assert_cmpint (lablink_stream_manager_get_stream_status (manager, PSU "_readings"), ==, LABLINK_STREAM_STATUS_RUNNING);

  /* Stop the PSU stream: after the frames in flight, nothing more, while
   * the load stream, on the same link, goes on. */
  g_assert_true (lablink_stream_manager_stop_equipment_stream (manager, PSU, "readings", &error));
  g_assert_no_error (error);
  g_assert_false (lablink_stream_manager_is_stream_active (manager, PSU "_readings"));
  wait_count (&c, LOAD "_readings", load + 3, TEST_TIMEOUT_MS);
  after_stop = count_of (&c, PSU "_readings");
  wait_count (&c, LOAD "_readings", load + 6, TEST_TIMEOUT_MS);
  g_assert_cmpuint (count_of (&c, PSU "_readings"), ==, after_stop);

  counter_clear (&c);
}

typedef struct {
  gboolean done;
  char    *id;
  GError  *error;
} CreateWait;

static void
create_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  CreateWait *w = data;

  w->id = lablink_client_create_acquisition_finish (LABLINK_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

static void
control_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  CreateWait *w = data;

  lablink_client_control_acquisition_finish (LABLINK_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

static char *
create_acquisition (LablinkClient *client)
{
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(JsonArray) channels = json_array_new ();
  CreateWait w = { 0 };
  CreateWait s = { 0 };

  json_array_add_string_element (channels, "CH1");
  json_array_add_string_element (channels, "CH2");
  json_object_set_string_member (config, "equipment_id", PSU);
  json_object_set_string_member (config, "name", "test-manager");
  json_object_set_string_member (config, "mode", "continuous");
  json_object_set_double_member (config, "sample_rate", 50);
  json_object_set_array_member (config, "channels", json_array_ref (channels));

  lablink_client_create_acquisition_async (client, config, NULL, create_cb, &w);
  g_assert_true (test_wait_until (async_done, &w, TEST_TIMEOUT_MS));
  g_assert_no_error (w.error);
  g_assert_nonnull (w.id);

  lablink_client_control_acquisition_async (client, w.id, "start", NULL, control_cb, &s);
  g_assert_true (test_wait_until (async_done, &s, TEST_TIMEOUT_MS));
  g_assert_no_error (s.error);
  return w.id;
}

static gboolean
acquisition_frames (gpointer data)
{
  return ((Counter *) data)->acquisition >= 3;
}

/* An acquisition stream delivers overlapping windows of samples. */
static void
test_acquisition_stream (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_assert_true (connect_manager (manager, &error));
  id = create_acquisition (client);
  key = lablink_protocol_acquisition_key (id);

  g_assert_true (lablink_stream_manager_start_acquisition_stream (manager, id, 200, 20, &error));
  g_assert_no_error (error);
  g_assert_true (lablink_stream_manager_is_stream_active (manager, key));
  g_assert_true (test_wait_until (acquisition_frames, &c, TEST_TIMEOUT_MS));
  g_assert_cmpint (lablink_stream_manager_get_stream_status (manager, key), ==, LABLINK_STREAM_STATUS_RUNNING);

  g_assert_true (lablink_stream_manager_stop_acquisition_stream (manager, id, &error));
  g_assert_no_error (error);
  g_assert_false (lablink_stream_manager_is_stream_active (manager, key));
  counter_clear (&c);
}

static gboolean
quiet_for (Counter *c,
           guint    ms)
{
  guint before = c->messages + c->frame_errors;
  test_run_for (ms);
  return c->messages + c->frame_errors == before;
}

typedef struct {
  LablinkStreamManager *manager;
  Counter              *c;
} StatisticsWait;

/* Hostile frames rejected, readings delivered, the pings answered, and the
 * link up for over a second. */
static gboolean
statistics_filled (gpointer data)
{
  StatisticsWait *w = data;
  g_autoptr(LablinkStatistics) stats = lablink_stream_manager_get_statistics (w->manager);

  return w->c->frame_errors >= 3 && count_of (w->c, PSU "_readings") >= 10 &&
         lablink_statistics_get_ping_latency_ms (stats) > 0 &&
         lablink_statistics_get_uptime_s (stats) > 1;
}

/* Statistics count exactly what was received, sent and rejected, also with
 * hostile frames in the mix; the link stays up. */
static void
test_statistics (void)
{
  /* Invalid UTF-8 in a text frame is a WebSocket protocol error on which
   * libsoup itself closes the link (1007): see test_reconnect for links
   * that go down. Every other kind of bad frame is counted and skipped. */
  const char *args[] = { "--hostile-rate", "40", "--hostile-kinds", "bad-json,wrong-types,unknown-type,deep-nesting", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(LablinkStatistics) stats = NULL;
  g_autoptr(GError) error = NULL;
  guint64 messages = 0, dropped = 1;
  double rate = 0, age = -1;
  LablinkStreamStatus status;
  StatisticsWait sw;
  guint i;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_assert_true (connect_manager (manager, &error));

  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 50, &error));
  for (i = 0; i < 3; i++)
    g_assert_true (lablink_stream_manager_send_ping (manager, &error));
  g_assert_no_error (error);
  sw = (StatisticsWait) { manager, &c };
  g_assert_true (test_wait_until (statistics_filled, &sw, TEST_TIMEOUT_MS));
  g_assert_true (lablink_stream_manager_stop_equipment_stream (manager, PSU, "readings", &error));

  /* Hostile frames keep coming: stop them to compare at rest. */
  test_sim_rest (sim, "POST", "/api/sim/faults", "{\"hostile_rate\": 0}", NULL);
  for (i = 0; i < 20 && !quiet_for (&c, 300); i++)
    ;

  stats = lablink_stream_manager_get_statistics (manager);
  g_assert_true (lablink_stream_manager_get_connected (manager));
  g_assert_cmpuint (c.frame_errors, >, 0);
  g_assert_cmpuint (lablink_statistics_get_messages_received (stats), ==, c.messages + c.frame_errors);
  g_assert_cmpuint (lablink_statistics_get_errors (stats, LABLINK_ERROR_KIND_MALFORMED) +
                    lablink_statistics_get_errors (stats, LABLINK_ERROR_KIND_INVALID) +
                    lablink_statistics_get_errors (stats, LABLINK_ERROR_KIND_TOO_LARGE) +
                    lablink_statistics_get_errors (stats, LABLINK_ERROR_KIND_BINARY), ==, c.frame_errors);
  /* the keepalive's first ping on connect, start, 3 pings, stop */
  g_assert_cmpuint (lablink_statistics_get_messages_sent (stats), ==, 6);
  g_assert_cmpuint (lablink_statistics_get_bytes_sent (stats), >, 5 * 16);
  g_assert_cmpuint (lablink_statistics_get_bytes_received (stats), >, 300 * count_of (&c, PSU "_readings"));
  g_assert_cmpuint (lablink_statistics_get_dropped (stats), ==, 0);
  g_assert_true (lablink_statistics_get_stream (stats, PSU "_readings", &messages, &dropped, &rate, &age, &status));
  g_assert_cmpuint (messages, ==, count_of (&c, PSU "_readings"));
  g_assert_cmpuint (dropped, ==, 0);
  g_assert_cmpfloat (age, >=, 0);
  g_assert_cmpfloat (lablink_statistics_get_ping_latency_ms (stats), >, 0);
  g_assert_cmpfloat (lablink_statistics_get_uptime_s (stats), >, 1);
  g_assert_cmpuint (lablink_statistics_get_n_active_streams (stats), ==, 0);
  g_assert_cmpuint (lablink_statistics_get_reconnects (stats), ==, 0);
  counter_clear (&c);
}

typedef struct {
  LablinkStreamManager *manager;
  gboolean              saw_reconnecting;
  gint64                lost_at;
  gint64                worst_gap;
} StateWatch;

static void
on_state (LablinkStreamManager *manager,
          GParamSpec           *pspec,
          StateWatch           *w)
{
  LablinkConnectionState state = lablink_stream_manager_get_state (manager);

  if (state == LABLINK_CONNECTION_RECONNECTING)
    {
      if (!w->saw_reconnecting)
        w->lost_at = g_get_monotonic_time ();
      w->saw_reconnecting = TRUE;
    }
  else if (state == LABLINK_CONNECTION_CONNECTED && w->lost_at)
    {
      w->worst_gap = MAX (w->worst_gap, g_get_monotonic_time () - w->lost_at);
      w->lost_at = 0;
    }
}

static gboolean
saw_reconnecting (gpointer data)
{
  return ((StateWatch *) data)->saw_reconnecting;
}

/* The link is dropped 5 times and the simulator is killed and restarted 5
 * times: each time the client reconnects and every stream runs again. */
static void
test_reconnect (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(LablinkStatistics) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  StateWatch watch = { 0 };
  guint cycle;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  watch.manager = manager;
  g_signal_connect (manager, "notify::state", G_CALLBACK (on_state), &watch);
  g_assert_true (connect_manager (manager, &error));

  id = create_acquisition (client);
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 100, &error));
  g_assert_true (lablink_stream_manager_start_acquisition_stream (manager, id, 100, 10, &error));
  g_assert_no_error (error);
  wait_count (&c, PSU "_readings", 2, TEST_TIMEOUT_MS);

  for (cycle = 0; cycle < 10; cycle++)
    {
      gboolean kill = cycle % 2 == 1;

      watch.saw_reconnecting = FALSE;
      if (kill)
        {
          test_sim_kill (sim);
          g_assert_true (test_wait_until (saw_reconnecting, &watch, TEST_TIMEOUT_MS));
          test_sim_restart (sim);
        }
      else
        {
          g_autoptr(JsonNode) answer = test_sim_rest (sim, "POST", "/api/sim/drop", "{}", NULL);
          g_assert_true (test_wait_until (saw_reconnecting, &watch, TEST_TIMEOUT_MS));
        }

      g_assert_true (test_wait_until (is_connected, manager, TEST_TIMEOUT_MS));

      g_hash_table_remove_all (c.counts);
      c.acquisition = 0;
      wait_count (&c, PSU "_readings", 2, TEST_TIMEOUT_MS);
      if (!kill && cycle < 1)
        g_assert_true (test_wait_until (acquisition_frames, &c, TEST_TIMEOUT_MS));
      g_test_message ("cycle %u (%s): reconnected, streams resumed", cycle, kill ? "kill" : "drop");
    }

  /* How long it took is a figure, not a check (the backoff cap is 1 s). */
  g_test_message ("longest time without a link: %.1f s", watch.worst_gap / (double) G_USEC_PER_SEC);
  stats = lablink_stream_manager_get_statistics (manager);
  g_assert_cmpuint (lablink_statistics_get_reconnects (stats), ==, 10);
  g_assert_cmpuint (lablink_statistics_get_errors (stats, LABLINK_ERROR_KIND_CONNECTION), >=, 10);
  counter_clear (&c);
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Async *a = data;

  a->ok = lablink_client_login_finish (LABLINK_CLIENT (source), result, &a->error);
  a->done = TRUE;
}

/* Security on: without a token the handshake is refused, the state says
 * so and the manager does not retry; after logging in it connects. */
static void
test_auth (void)
{
  const char *args[] = { "--auth", "admin:Peer-Test-123", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(LablinkStatistics) stats = NULL;
  g_autoptr(GError) error = NULL;
  Async a = { 0 };
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_assert_false (connect_manager (manager, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_cmpint (lablink_stream_manager_get_state (manager), ==, LABLINK_CONNECTION_AUTH_FAILED);
  error = lablink_stream_manager_dup_last_error (manager);
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_clear_error (&error);

  /* No retry storm: still one failed attempt 2 s later. */
  test_run_for (2000);
  stats = lablink_stream_manager_get_statistics (manager);
  g_assert_cmpuint (lablink_statistics_get_errors (stats, LABLINK_ERROR_KIND_CONNECTION), ==, 1);
  g_assert_cmpint (lablink_stream_manager_get_state (manager), ==, LABLINK_CONNECTION_AUTH_FAILED);
  g_assert_false (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 100, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  /* Wrong password, then the right one. */
  lablink_client_login_async (client, "admin", "wrong", NULL, login_cb, &a);
  g_assert_true (test_wait_until (async_done, &a, TEST_TIMEOUT_MS));
  g_assert_false (a.ok);
  g_assert_error (a.error, LABLINK_ERROR, LABLINK_ERROR_AUTH);
  g_clear_error (&a.error);

  memset (&a, 0, sizeof a);
  lablink_client_login_async (client, "admin", "Peer-Test-123", NULL, login_cb, &a);
  g_assert_true (test_wait_until (async_done, &a, TEST_TIMEOUT_MS));
  g_assert_no_error (a.error);
  g_assert_true (a.ok);

  lablink_stream_manager_reconnect_now (manager);
  g_assert_true (test_wait_until (is_connected, manager, TEST_TIMEOUT_MS));
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 100, &error));
  g_assert_no_error (error);
  wait_count (&c, PSU "_readings", 2, TEST_TIMEOUT_MS);
  counter_clear (&c);
}

static void
slow_consumer (LablinkStreamManager *manager,
               LablinkMessage       *message,
               Counter              *c)
{
  gint64 until = g_get_monotonic_time () + 30;

  /* A consumer slower than the sender: 30 µs a frame. */
  while (g_get_monotonic_time () < until)
    ;
}

typedef struct {
  TestSim              *sim;
  LablinkStreamManager *manager;
  Counter              *c;
  guint64               expected;
} FloodWait;

static gboolean
flood_accounted (gpointer data)
{
  FloodWait *w = data;
  g_autoptr(LablinkStatistics) stats = lablink_stream_manager_get_statistics (w->manager);
  guint64 messages = 0, dropped = 0;

  lablink_statistics_get_stream (stats, "flood_readings", &messages, &dropped, NULL, NULL, NULL);
  return messages == w->expected && count_of (w->c, "flood_readings") + dropped == w->expected;
}

/* The simulator floods far faster than the consumer handles: the excess is
 * dropped oldest-first and counted exactly, and the link stays up. How long
 * the consumer's main loop stalls meanwhile is a figure: bench-ingest
 * prints it (the worst timer delay under flood). */
static void
test_flood (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(LablinkStatistics) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) started = NULL;
  guint64 messages = 0, dropped = 0;
  FloodWait w;
  guint i;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_object_set (manager, "queue-length", 128, NULL);
  g_signal_connect (manager, "stream-data::flood_readings", G_CALLBACK (slow_consumer), &c);
  g_assert_true (connect_manager (manager, &error));

  started = test_sim_rest (sim, "POST", "/api/sim/flood", "{\"n_frames\": 40000, \"rate_hz\": 0}", NULL);
  g_assert_nonnull (started);

  /* Wait for the sender to finish, then for every frame to be accounted. */
  for (i = 0; i < TEST_TIMEOUT_MS / 100; i++)
    {
      g_autoptr(JsonNode) node = test_sim_rest (sim, "GET", "/api/sim/flood", NULL, NULL);
      JsonObject *o = json_node_get_object (node);

      if (!json_object_get_boolean_member (o, "running") && json_object_get_int_member (o, "sent") == 40000)
        break;
      test_run_for (100);
    }
  g_assert_cmpuint (i, <, TEST_TIMEOUT_MS / 100);

  w = (FloodWait) { sim, manager, &c, 40000 };
  g_assert_true (test_wait_until (flood_accounted, &w, TEST_TIMEOUT_MS));

  stats = lablink_stream_manager_get_statistics (manager);
  g_assert_true (lablink_statistics_get_stream (stats, "flood_readings", &messages, &dropped, NULL, NULL, NULL));
  g_test_message ("flood: %" G_GUINT64_FORMAT " received, %u delivered, %" G_GUINT64_FORMAT " dropped",
                  messages, count_of (&c, "flood_readings"), dropped);
  g_assert_cmpuint (messages, ==, 40000);
  g_assert_cmpuint (dropped, >, 0);
  g_assert_cmpuint (count_of (&c, "flood_readings") + dropped, ==, 40000);
  g_assert_cmpuint (lablink_statistics_get_dropped (stats), ==, dropped);
  g_assert_true (lablink_stream_manager_get_connected (manager));
  counter_clear (&c);
}

static gboolean
waveforms_fetched (gpointer data)
{
  return ((Counter *) data)->waveforms_with_samples >= 3;
}

/* Like the real server: waveform frames without samples; the manager
 * fetches them through the capture endpoint. */
static void
test_compat_waveform (void)
{
  const char *args[] = { "--lablink-compat", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(LablinkStatistics) stats = NULL;
  g_autoptr(GError) error = NULL;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_assert_true (connect_manager (manager, &error));
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, SCOPE, "waveform", 100, &error));
  g_assert_no_error (error);
  g_assert_true (test_wait_until (waveforms_fetched, &c, TEST_TIMEOUT_MS));
  /* Every delivered waveform carries samples. */
  g_assert_cmpuint (count_of (&c, SCOPE "_waveform"), ==, c.waveforms_with_samples);
  stats = lablink_stream_manager_get_statistics (manager);
  g_assert_cmpuint (lablink_statistics_get_errors (stats, LABLINK_ERROR_KIND_REST), ==, 0);
  counter_clear (&c);
}

static gboolean
got_event (gpointer data)
{
  return ((Counter *) data)->events >= 2;
}

/* Unsolicited events reach the event signal, never the error paths. */
static void
test_events (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(LablinkStatistics) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_assert_true (connect_manager (manager, &error));
  a = test_sim_rest (sim, "POST", "/api/sim/event", "{\"type\": \"alarm_event\"}", NULL);
  b = test_sim_rest (sim, "POST", "/api/sim/event", "{\"type\": \"job_completed\"}", NULL);
  g_assert_true (test_wait_until (got_event, &c, TEST_TIMEOUT_MS));
  stats = lablink_stream_manager_get_statistics (manager);
  g_assert_cmpuint (lablink_statistics_get_errors_total (stats), ==, 0);
  g_assert_cmpuint (c.frame_errors, ==, 0);
  counter_clear (&c);
}

typedef struct {
  GPtrArray *statuses;
} StatusLog;

static void
on_status (LablinkStreamManager *manager,
           const char           *key,
           LablinkStreamStatus   status,
           StatusLog            *log)
{
  g_ptr_array_add (log->statuses, GINT_TO_POINTER (status));
}

static gboolean
is_polling (gpointer data)
{
  return lablink_stream_manager_get_stream_status (data, PSU "_readings") == LABLINK_STREAM_STATUS_POLLING;
}

/* The released LabLink 1.2.5 acknowledges readings streams and then sends
 * nothing: the stream shows "no data" after about three intervals, values
 * then come from polling the REST snapshot at the stream's interval. */
static void
test_polling_fallback (void)
{
  const char *args[] = { "--silent-streams", "readings", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(LablinkStatistics) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statuses = g_ptr_array_new ();
  StatusLog log = { statuses };
  LablinkStreamStatus status = LABLINK_STREAM_STATUS_STOPPED;
  gint64 started;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_signal_connect (manager, "stream-status-changed::" PSU "_readings", G_CALLBACK (on_status), &log);
  g_assert_true (connect_manager (manager, &error));

  started = g_get_monotonic_time ();
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 200, &error));
  g_assert_no_error (error);
  g_assert_true (test_wait_until (is_polling, manager, TEST_TIMEOUT_MS));
  /* About three intervals (plus slack), not at once. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 3 * 200 * 1000);
  g_assert_cmpuint (statuses->len, >=, 1);

  /* Polled values arrive as stream data, at the interval: the first poll
   * when "no data" is declared, then one every 200 ms, so the fifth cannot
   * come before 3 + 4 intervals. */
  wait_count (&c, PSU "_readings", 5, TEST_TIMEOUT_MS);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, (3 + 4) * 200 * 1000);

  stats = lablink_stream_manager_get_statistics (manager);
  g_assert_true (lablink_statistics_get_stream (stats, PSU "_readings", NULL, NULL, NULL, NULL, &status));
  g_assert_cmpint (status, ==, LABLINK_STREAM_STATUS_POLLING);
  g_assert_cmpuint (lablink_statistics_get_errors (stats, LABLINK_ERROR_KIND_REST), ==, 0);
  counter_clear (&c);
}

/* How long the default main context would sleep now, in ms (-1: until an
 * fd wakes it, i.e. no timer), after dispatching what is ready. */
static gint
context_sleep_ms (void)
{
  GMainContext *context = g_main_context_default ();
  guint i;

  g_assert_true (g_main_context_acquire (context));
  for (i = 0; i < 10000; i++)
    {
      GPollFD fds[64];
      gint priority, timeout, n, k;
      gboolean ready = g_main_context_prepare (context, &priority);

      n = g_main_context_query (context, priority, &timeout, fds, G_N_ELEMENTS (fds));
      g_assert_cmpint (n, <=, (gint) G_N_ELEMENTS (fds));
      for (k = 0; k < n; k++)
        fds[k].revents = 0;
      if (g_main_context_check (context, priority, fds, n) || ready)
        {
          g_main_context_dispatch (context);
          continue;
        }
      g_main_context_release (context);
      return timeout;
    }
  g_error ("A source stays ready: the main context never sleeps");
}

static gboolean
clock_known (gpointer data)
{
  return lablink_client_get_server_utc_offset (data, NULL);
}

static gboolean
is_disconnected (gpointer data)
{
  return lablink_stream_manager_get_state (data) == LABLINK_CONNECTION_DISCONNECTED;
}

static gboolean
is_no_data (gpointer data)
{
  return lablink_stream_manager_get_stream_status (data, PSU "_readings") == LABLINK_STREAM_STATUS_NO_DATA;
}

/* Idle (connected, no stream) the manager leaves no timer on its main
 * context, so nothing wakes the process; a stream's status is checked at
 * its next deadline only while it can still change without a frame. */
static void
test_idle_no_timer (void)
{
  const char *args[] = { "--silent-streams", "readings", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_object_set (manager, "polling-fallback", FALSE, NULL);
  g_assert_true (connect_manager (manager, &error));
  g_assert_no_error (error);
  /* The check of the server's clock on connect has answered: now idle. */
  g_assert_true (test_wait_until (clock_known, client, TEST_TIMEOUT_MS));
  g_assert_cmpint (context_sleep_ms (), ==, -1);

  /* Running: its no-data deadline is watched; stopped: nothing is. */
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, SCOPE, "waveform", 100, &error));
  wait_count (&c, SCOPE "_waveform", 2, TEST_TIMEOUT_MS);
  g_assert_cmpint (context_sleep_ms (), >=, 0);
  g_assert_true (lablink_stream_manager_stop_equipment_stream (manager, SCOPE, "waveform", &error));
  g_assert_cmpint (context_sleep_ms (), ==, -1);

  /* Silent and shown as "no data", without a fallback: settled until a
   * frame comes. */
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 100, &error));
  g_assert_cmpint (context_sleep_ms (), >=, 0);
  g_assert_true (test_wait_until (is_no_data, manager, TEST_TIMEOUT_MS));
  g_assert_cmpint (context_sleep_ms (), ==, -1);

  /* Disconnected: nothing to check either. */
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, SCOPE, "waveform", 100, &error));
  g_assert_cmpint (context_sleep_ms (), >=, 0);
  lablink_stream_manager_disconnect (manager);
  g_assert_true (test_wait_until (is_disconnected, manager, TEST_TIMEOUT_MS));
  g_assert_cmpint (context_sleep_ms (), ==, -1);

  counter_clear (&c);
}

static gboolean
is_reconnecting (gpointer data)
{
  return lablink_stream_manager_get_state (data) == LABLINK_CONNECTION_RECONNECTING;
}

/* A server that stops answering without closing (a frozen process, a pulled
 * cable): the keepalive notices and the manager reconnects once it is back. */
static void
test_dead_link (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  g_object_set (manager, "ping-interval-ms", 300, NULL);
  g_assert_true (connect_manager (manager, &error));
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 100, &error));
  wait_count (&c, PSU "_readings", 2, TEST_TIMEOUT_MS);

  test_sim_signal (sim, SIGSTOP);
  /* Noticed by the keepalive (three silent ping intervals): the kernel of
   * a stopped process still acknowledges TCP, so no OS timeout ever would. */
  g_assert_true (test_wait_until (is_reconnecting, manager, TEST_TIMEOUT_MS));
  g_assert_nonnull (lablink_stream_manager_get_last_error (manager));

  test_sim_signal (sim, SIGCONT);
  g_assert_true (test_wait_until (is_connected, manager, TEST_TIMEOUT_MS));
  g_hash_table_remove_all (c.counts);
  wait_count (&c, PSU "_readings", 2, TEST_TIMEOUT_MS);
  counter_clear (&c);
}

typedef struct {
  Counter *c;
  gsize    size;
} BigWait;

static void
on_big_event (LablinkStreamManager *manager,
              LablinkMessage       *message,
              BigWait              *w)
{
  gsize length = 0;

  lablink_message_get_text (message, &length);
  w->size = MAX (w->size, length);
}

static gboolean
big_arrived (gpointer data)
{
  return ((BigWait *) data)->size > 0;
}

/* libsoup's default limit on an incoming frame is 128 KiB: the manager
 * raises it (bounded, configurable). */
static void
test_large_frame (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) frame = g_string_new ("{\"type\": \"big_event\", \"blob\": \"");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *body_text = NULL;
  BigWait w = { 0 };
  Counter c;

  while (frame->len < 2 * 1024 * 1024)
    g_string_append (frame, "0123456789abcdef");
  g_string_append (frame, "\"}");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, frame->str);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  body_text = json_to_string (body, FALSE);

  counter_init (&c);
  w.c = &c;
  manager = new_manager (client, &c);
  g_signal_connect (manager, "event::big_event", G_CALLBACK (on_big_event), &w);
  g_assert_true (connect_manager (manager, &error));

  answer = test_sim_rest (sim, "POST", "/api/sim/broadcast", body_text, NULL);
  g_assert_true (test_wait_until (big_arrived, &w, TEST_TIMEOUT_MS));
  g_assert_cmpuint (w.size, ==, frame->len);
  g_assert_true (lablink_stream_manager_get_connected (manager));
  counter_clear (&c);
}

typedef struct {
  guint typed;
  guint generic;
  guint after_removal;
  guint destroyed;
  gulong id;
  LablinkStreamManager *manager;
} HandlerLog;

static void
typed_handler (LablinkStreamManager *manager,
               LablinkMessage       *message,
               gpointer              data)
{
  HandlerLog *log = data;

  g_assert_cmpint (lablink_message_get_message_type (message), ==, LABLINK_MESSAGE_STREAM_DATA);
  log->typed++;
}

static void
generic_handler (LablinkStreamManager *manager,
                 LablinkMessage       *message,
                 gpointer              data)
{
  HandlerLog *log = data;

  log->generic++;
  /* A handler may disconnect itself (or another one) while messages flow. */
  if (log->generic == 3)
    g_signal_handler_disconnect (log->manager, log->id);
  else if (log->generic > 3)
    log->after_removal++;
}

static void
count_destroy (gpointer  data,
               GClosure *closure)
{
  ((HandlerLog *) data)->destroyed++;
}

static gboolean
handlers_done (gpointer data)
{
  HandlerLog *log = data;
  return log->typed >= 4 && log->generic >= 3;
}

/* Subscribing is done with the detailed `message` signal alone: typed
 * (`message::stream_data`) and generic handlers, disconnection from within
 * a handler, destroy notifications. */
static void
test_handlers (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  HandlerLog log = { 0 };
  gulong typed_id;
  Counter c;

  counter_init (&c);
  manager = new_manager (client, &c);
  log.manager = manager;
  typed_id = g_signal_connect_data (manager, "message::stream_data", G_CALLBACK (typed_handler),
                                    &log, count_destroy, 0);
  log.id = g_signal_connect_data (manager, "message", G_CALLBACK (generic_handler),
                                  &log, count_destroy, 0);
  g_assert_cmpuint (typed_id, !=, log.id);
  g_assert_true (connect_manager (manager, &error));
  g_assert_true (lablink_stream_manager_start_equipment_stream (manager, PSU, "readings", 50, &error));
  g_assert_true (test_wait_until (handlers_done, &log, TEST_TIMEOUT_MS));
  test_run_for (300);

  g_assert_cmpuint (log.generic, ==, 3);
  g_assert_cmpuint (log.after_removal, ==, 0);
  g_assert_cmpuint (log.destroyed, ==, 1);
  g_signal_handler_disconnect (manager, typed_id);
  g_assert_cmpuint (log.destroyed, ==, 2);
  counter_clear (&c);
}

/* A server that accepts TCP connections on 127.0.0.1 and never answers
 * the WebSocket upgrade (issue 10: it used to hang the app for ever). */
typedef struct {
  GSocketService *service;
  GPtrArray      *connections;  /* held open, never answered */
  guint16         port;
} SilentServer;

static gboolean
silent_incoming (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source,
                 gpointer           data)
{
  SilentServer *server = data;

  g_ptr_array_add (server->connections, g_object_ref (connection));
  return TRUE;
}

static void
silent_server_start (SilentServer *server)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  server->connections = g_ptr_array_new_with_free_func (g_object_unref);
  server->service = g_socket_service_new ();
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &effective, &error));
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (server->service, "incoming", G_CALLBACK (silent_incoming), server);
  g_socket_service_start (server->service);
}

static void
silent_server_stop (SilentServer *server)
{
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_clear_object (&server->service);
  g_clear_pointer (&server->connections, g_ptr_array_unref);
}

static LablinkStreamManager *
silent_manager (SilentServer *server,
                guint         handshake_timeout_ms)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  g_autoptr(LablinkClient) client = lablink_client_new (url, NULL);

  return g_object_new (LABLINK_TYPE_STREAM_MANAGER,
                       "client", client,
                       "handshake-timeout-ms", handshake_timeout_ms,
                       "backoff-initial-ms", 100,
                       "backoff-max-ms", 200,
                       NULL);
}

typedef struct {
  SilentServer *server;
  guint         at_least;
} AcceptWait;

static gboolean
accepted (gpointer data)
{
  AcceptWait *wait = data;
  return wait->server->connections->len >= wait->at_least;
}

static gboolean
silent_is_disconnected (gpointer data)
{
  return lablink_stream_manager_get_state (data) == LABLINK_CONNECTION_DISCONNECTED;
}

/* The handshake is bounded: the first attempt fails with a clear error,
 * a retry is scheduled, and the retry connects again. */
static void
test_handshake_timeout (void)
{
  SilentServer server = { 0 };
  g_autoptr(LablinkStreamManager) manager = NULL;
  Async a = { 0 };
  AcceptWait wait = { &server, 2 };

  silent_server_start (&server);
  manager = silent_manager (&server, 300);
  g_assert_cmpuint (lablink_stream_manager_get_state (manager), ==, LABLINK_CONNECTION_DISCONNECTED);

  lablink_stream_manager_connect_async (manager, NULL, connect_cb, &a);
  /* Deadlines far above the 300 ms timeout: only a hang misses them. */
  g_assert_true (test_wait_until (async_done, &a, TEST_TIMEOUT_MS));
  g_assert_false (a.ok);
  g_assert_error (a.error, LABLINK_ERROR, LABLINK_ERROR_NOT_CONNECTED);
  g_assert_nonnull (g_strrstr (a.error->message, "handshake"));
  g_clear_error (&a.error);

  g_assert_cmpuint (lablink_stream_manager_get_state (manager), ==, LABLINK_CONNECTION_RECONNECTING);
  g_assert_nonnull (g_strrstr (lablink_stream_manager_get_last_error (manager), "handshake"));
  g_assert_true (test_wait_until (accepted, &wait, TEST_TIMEOUT_MS));

  lablink_stream_manager_disconnect (manager);
  g_clear_object (&manager);
  silent_server_stop (&server);
}

/* Without a timeout, "Reconnect now" abandons the hanging attempt for a
 * fresh one, and cancelling connect_async() ends it. */
static void
test_handshake_reconnect_cancel (void)
{
  SilentServer server = { 0 };
  g_autoptr(LablinkStreamManager) manager = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Async a = { 0 };
  AcceptWait wait = { &server, 1 };

  silent_server_start (&server);
  manager = silent_manager (&server, 0);

  lablink_stream_manager_connect_async (manager, cancellable, connect_cb, &a);
  g_assert_true (test_wait_until (accepted, &wait, TEST_TIMEOUT_MS));

  lablink_stream_manager_reconnect_now (manager);
  wait.at_least = 2;
  g_assert_true (test_wait_until (accepted, &wait, TEST_TIMEOUT_MS));
  g_assert_false (a.done);

  g_cancellable_cancel (cancellable);
  g_assert_true (test_wait_until (async_done, &a, TEST_TIMEOUT_MS));
  g_assert_false (a.ok);
  g_assert_error (a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&a.error);
  g_assert_true (test_wait_until (silent_is_disconnected, manager, TEST_TIMEOUT_MS));

  g_clear_object (&manager);
  silent_server_stop (&server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manager/not-connected", test_not_connected);
  g_test_add_func ("/manager/connection-refused", test_connection_refused);
  g_test_add_func ("/manager/streams", test_streams);
  g_test_add_func ("/manager/acquisition-stream", test_acquisition_stream);
  g_test_add_func ("/manager/statistics", test_statistics);
  g_test_add_func ("/manager/events", test_events);
  g_test_add_func ("/manager/handlers", test_handlers);
  g_test_add_func ("/manager/compat-waveform", test_compat_waveform);
  g_test_add_func ("/manager/auth", test_auth);
  g_test_add_func ("/manager/polling-fallback", test_polling_fallback);
  g_test_add_func ("/manager/idle-no-timer", test_idle_no_timer);
  g_test_add_func ("/manager/dead-link", test_dead_link);
  g_test_add_func ("/manager/large-frame", test_large_frame);
  g_test_add_func ("/manager/flood", test_flood);
  g_test_add_func ("/manager/reconnect", test_reconnect);
  g_test_add_func ("/manager/handshake-timeout", test_handshake_timeout);
  g_test_add_func ("/manager/handshake-reconnect-cancel", test_handshake_reconnect_cancel);

  return g_test_run ();
}
