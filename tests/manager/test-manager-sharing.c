/* test-manager-sharing.c — two clients on one stream of lablink-sim
 *
 * The server runs one stream for all its clients (issue 8, failure 2): a
 * client that stops it stops it for everyone, one that starts it sets the
 * interval for everyone. Client A must re-claim a stream stopped under it
 * (frames again, never REST polls) and say when the server sends at
 * another interval than it asked for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>

#include "test-common.h"

#define PSU     "ps_250e6dfe"
#define PSU_KEY PSU "_readings"

typedef struct {
  LablinkClient        *client;
  LablinkStreamManager *manager;
  guint                 frames;       /* stream-data from the socket */
  guint                 polled;       /* stream-data marked "polled" */
  gboolean              ever_polling;
  guint                 interval_signals;
  guint                 last_server_interval;
} Peer;

static void
on_stream_data (LablinkStreamManager *manager,
                LablinkMessage       *message,
                Peer                 *peer)
{
  gboolean polled = FALSE;

  if (lablink_message_get_boolean (message, "polled", &polled) && polled)
    peer->polled++;
  else
    peer->frames++;
}

static void
on_status (LablinkStreamManager *manager,
           const char           *key,
           LablinkStreamStatus   status,
           Peer                 *peer)
{
  if (status == LABLINK_STREAM_STATUS_POLLING)
    peer->ever_polling = TRUE;
}

static void
on_interval (LablinkStreamManager *manager,
             const char           *key,
             guint                 server_interval_ms,
             Peer                 *peer)
{
  g_assert_cmpstr (key, ==, PSU_KEY);
  g_assert_cmpuint (server_interval_ms, ==, lablink_stream_manager_get_server_interval (manager, key));
  peer->interval_signals++;
  peer->last_server_interval = server_interval_ms;
}

static void
peer_connect (Peer    *peer,
              TestSim *sim)
{
  TestWaiter waiter = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  memset (peer, 0, sizeof *peer);
  peer->client = lablink_client_new (test_sim_get_url (sim), NULL);
  peer->manager = g_object_new (LABLINK_TYPE_STREAM_MANAGER,
                                "client", peer->client,
                                "ping-interval-ms", 60000,
                                NULL);
  g_signal_connect (peer->manager, "stream-data::" PSU_KEY, G_CALLBACK (on_stream_data), peer);
  g_signal_connect (peer->manager, "stream-status-changed::" PSU_KEY, G_CALLBACK (on_status), peer);
  g_signal_connect (peer->manager, "stream-interval-changed::" PSU_KEY, G_CALLBACK (on_interval), peer);

  lablink_stream_manager_connect_async (peer->manager, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  g_assert_true (lablink_stream_manager_connect_finish (peer->manager, result, &error));
  g_assert_no_error (error);
}

static void
peer_clear (Peer *peer)
{
  g_signal_handlers_disconnect_by_data (peer->manager, peer);
  lablink_stream_manager_disconnect (peer->manager);
  g_clear_object (&peer->manager);
  g_clear_object (&peer->client);
}

/* B stops the stream A runs: A re-claims it and frames keep coming, never
 * polls. */
static void
test_stopped_by_other (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(GError) error = NULL;
  Peer a, b;
  guint frames;

  peer_connect (&a, sim);
  peer_connect (&b, sim);

  g_assert_true (lablink_stream_manager_start_equipment_stream (a.manager, PSU, "readings", 200, &error));
  g_assert_no_error (error);
  TEST_ASSERT_EVENTUALLY (a.frames >= 3);

  /* B never started it: its stop stops it for everyone. */
  g_assert_true (lablink_stream_manager_stop_equipment_stream (b.manager, PSU, "readings", &error));
  g_assert_no_error (error);

  TEST_ASSERT_EVENTUALLY (lablink_stream_manager_get_reclaims (a.manager, PSU_KEY) >= 1);
  frames = a.frames;
  TEST_ASSERT_EVENTUALLY (a.frames >= frames + 5);
  g_assert_cmpint (lablink_stream_manager_get_stream_status (a.manager, PSU_KEY), ==, LABLINK_STREAM_STATUS_RUNNING);
  g_assert_false (a.ever_polling);
  g_assert_cmpuint (a.polled, ==, 0);
  g_assert_cmpuint (lablink_stream_manager_get_server_interval (a.manager, PSU_KEY), ==, 0);

  /* B hears frames too: the stream is the server's, for every client. */
  g_assert_cmpuint (b.frames, >, 0);

  peer_clear (&b);
  peer_clear (&a);
}

/* B starts the stream A runs at another interval: A says so, and can
 * re-claim it (then B is the one told). */
static void
check_other_interval (guint a_interval,
                      guint b_interval)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(GError) error = NULL;
  Peer a, b;
  guint seen;

  peer_connect (&a, sim);
  peer_connect (&b, sim);

  g_assert_true (lablink_stream_manager_start_equipment_stream (a.manager, PSU, "readings", a_interval, &error));
  g_assert_no_error (error);
  TEST_ASSERT_EVENTUALLY (a.frames >= 6);
  /* At its own interval, nothing to say. */
  g_assert_cmpuint (lablink_stream_manager_get_server_interval (a.manager, PSU_KEY), ==, 0);

  g_assert_true (lablink_stream_manager_start_equipment_stream (b.manager, PSU, "readings", b_interval, &error));
  g_assert_no_error (error);
  TEST_ASSERT_EVENTUALLY (lablink_stream_manager_get_server_interval (a.manager, PSU_KEY) != 0);
  seen = lablink_stream_manager_get_server_interval (a.manager, PSU_KEY);
  /* The cadence: B's interval plus the simulated read time (11 ms). */
  g_assert_cmpuint (seen, >=, b_interval);
  g_assert_cmpuint (seen, <=, b_interval + 100);
  g_assert_cmpuint (a.last_server_interval, ==, seen);
  g_assert_cmpuint (lablink_stream_manager_get_reclaims (a.manager, PSU_KEY), ==, 0);
  g_assert_false (a.ever_polling);
  g_assert_cmpuint (a.polled, ==, 0);

  /* "Use ours": the server sends at A's interval again. B is told, or, if
   * that is more than three of its intervals, takes it for a stop and
   * re-claims it in turn. */
  g_assert_true (lablink_stream_manager_reclaim_stream (a.manager, PSU_KEY, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lablink_stream_manager_get_server_interval (a.manager, PSU_KEY), ==, 0);
  if (a_interval > 3 * b_interval)
    {
      TEST_ASSERT_EVENTUALLY (lablink_stream_manager_get_reclaims (b.manager, PSU_KEY) >= 1);
      TEST_ASSERT_EVENTUALLY (lablink_stream_manager_get_server_interval (a.manager, PSU_KEY) != 0);
    }
  else
    {
      TEST_ASSERT_EVENTUALLY (lablink_stream_manager_get_server_interval (b.manager, PSU_KEY) != 0);
      g_assert_cmpuint (lablink_stream_manager_get_server_interval (b.manager, PSU_KEY), >=, a_interval);
      g_assert_cmpuint (lablink_stream_manager_get_server_interval (a.manager, PSU_KEY), ==, 0);
      g_assert_cmpuint (lablink_stream_manager_get_reclaims (b.manager, PSU_KEY), ==, 0);
    }

  peer_clear (&b);
  peer_clear (&a);
}

static void
test_faster_interval (void)
{
  check_other_interval (300, 50);
}

static void
test_slower_interval (void)
{
  /* Slower, but within three of A's intervals: A cannot take it for a stop. */
  check_other_interval (500, 1000);
}

/* The server's cadence at our own interval includes the read time: never
 * reported as another interval. */
static void
test_own_interval_quiet (void)
{
  g_autoptr(TestSim) sim = test_sim_spawn (NULL);
  g_autoptr(GError) error = NULL;
  Peer a;

  peer_connect (&a, sim);
  g_assert_true (lablink_stream_manager_start_equipment_stream (a.manager, PSU, "readings", 100, &error));
  g_assert_no_error (error);
  TEST_ASSERT_EVENTUALLY (a.frames >= 20);
  g_assert_cmpuint (a.interval_signals, ==, 0);
  g_assert_cmpuint (lablink_stream_manager_get_reclaims (a.manager, PSU_KEY), ==, 0);
  peer_clear (&a);
}

/* A stream that never delivered after start_stream (the released server's
 * bug) still falls back to polling, marked as polled. */
static void
test_never_delivered_polls (void)
{
  const char *args[] = { "--silent-streams", "readings", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  g_autoptr(LablinkStatistics) stats = NULL;
  g_autoptr(GError) error = NULL;
  guint64 messages = 0, polled = 0;
  double rate = 0, polled_rate = 0;
  Peer a;

  peer_connect (&a, sim);
  g_assert_true (lablink_stream_manager_start_equipment_stream (a.manager, PSU, "readings", 100, &error));
  g_assert_no_error (error);
  TEST_ASSERT_EVENTUALLY (a.polled >= 3);
  g_assert_true (a.ever_polling);
  g_assert_cmpuint (a.frames, ==, 0);
  g_assert_cmpuint (lablink_stream_manager_get_reclaims (a.manager, PSU_KEY), ==, 0);

  /* Counted in the statistics as messages of the stream, and as polled
   * (issue 8, failure 5: they showed 0 messages, 0.0/s). */
  stats = lablink_stream_manager_get_statistics (a.manager);
  g_assert_true (lablink_statistics_get_stream (stats, PSU_KEY, &messages, NULL, &rate, NULL, NULL));
  g_assert_true (lablink_statistics_get_stream_polled (stats, PSU_KEY, &polled, &polled_rate));
  g_assert_cmpuint (polled, >=, 3);
  g_assert_cmpuint (polled, <=, a.polled);
  g_assert_cmpuint (messages, >=, polled);
  g_assert_cmpfloat (polled_rate, >, 0);
  g_assert_cmpfloat (rate, >=, polled_rate);
  lablink_stream_manager_reset_statistics (a.manager);
  g_clear_pointer (&stats, lablink_statistics_unref);
  stats = lablink_stream_manager_get_statistics (a.manager);
  g_assert_true (lablink_statistics_get_stream_polled (stats, PSU_KEY, &polled, NULL));
  g_assert_cmpuint (polled, <=, 1);
  peer_clear (&a);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manager-sharing/stopped-by-other", test_stopped_by_other);
  g_test_add_func ("/manager-sharing/faster-interval", test_faster_interval);
  g_test_add_func ("/manager-sharing/slower-interval", test_slower_interval);
  g_test_add_func ("/manager-sharing/own-interval-quiet", test_own_interval_quiet);
  g_test_add_func ("/manager-sharing/never-delivered-polls", test_never_delivered_polls);

  return g_test_run ();
}
