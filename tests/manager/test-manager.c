/* test-manager.c — what LablinkStreamManager delivers from lablink-sim:
 * streams, acquisition windows, statistics, events, handlers, floods,
 * large frames and the polling fallback
 *
 * Every test starts its own simulator on 127.0.0.1 with a free port. The
 * connection's life (refusals, logins, reconnects, the keepalive and the
 * handshake) is in test-manager-link.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "manager-test-util.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manager/streams", test_streams);
  g_test_add_func ("/manager/acquisition-stream", test_acquisition_stream);
  g_test_add_func ("/manager/statistics", test_statistics);
  g_test_add_func ("/manager/events", test_events);
  g_test_add_func ("/manager/handlers", test_handlers);
  g_test_add_func ("/manager/compat-waveform", test_compat_waveform);
  g_test_add_func ("/manager/polling-fallback", test_polling_fallback);
  g_test_add_func ("/manager/large-frame", test_large_frame);
  g_test_add_func ("/manager/flood", test_flood);

  return g_test_run ();
}
