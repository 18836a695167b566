/* test-client-lock-clock.c — lock times from a server in another time zone
 *
 * A lock's `acquired_at` is a naive timestamp in the SERVER's local time,
 * like every other timestamp it writes; read in the client's zone, "since
 * 14:02" was hours off. Here the simulator's clock is at UTC+05:00 and the
 * client runs under TZ=America/New_York (set before anything reads TZ):
 * once the client knows the server's zone, the lock's time is the true
 * moment of the acquisition.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "client-test-util.h"

#define PSU "ps_250e6dfe"

static void
test_lock_in_server_zone (void)
{
  const char *args[] = { "--utc-offset=+05:00", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  g_autoptr(LablinkClient) client = NULL;
  g_autoptr(LablinkLockInfo) info = NULL;
  g_autoptr(GAsyncResult) checked = NULL;
  g_autoptr(GAsyncResult) created = NULL;
  g_autoptr(GAsyncResult) acquired = NULL;
  g_autoptr(GAsyncResult) status = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter check_waiter = { 0 };
  TestWaiter create_waiter = { 0 };
  TestWaiter acquire_waiter = { 0 };
  TestWaiter status_waiter = { 0 };
  GDateTime *acquired_at;
  gint64 before, after, at;
  gint offset_s = 0;

  if (sim == NULL)
    return;

  /* The client's zone really is New York's. */
  {
    g_autoptr(GTimeZone) local = g_time_zone_new_local ();
    g_assert_cmpint (g_time_zone_get_offset (local, 0), <=, -4 * 3600);
  }

  client = lablink_client_new (test_sim_get_url (sim), &error);
  g_assert_no_error (error);
  lablink_client_check_server_clock_async (client, NULL, test_waiter_cb, &check_waiter);
  checked = test_waiter_wait (&check_waiter);
  g_assert_true (lablink_client_check_server_clock_finish (client, checked, &error));
  g_assert_no_error (error);
  g_assert_true (lablink_client_get_server_utc_offset (client, &offset_s));
  g_assert_cmpint (offset_s, ==, 5 * 3600);

  /* Whole seconds: the server may write its times to the second. */
  before = g_get_real_time () / G_USEC_PER_SEC - 1;
  lablink_client_create_lock_session_async (client, "bench-3", NULL, test_waiter_cb, &create_waiter);
  created = test_waiter_wait (&create_waiter);
  g_assert_true (lablink_client_create_lock_session_finish (client, created, &error));
  g_assert_no_error (error);
  lablink_client_acquire_lock_async (client, PSU, LABLINK_LOCK_MODE_EXCLUSIVE, FALSE, NULL,
                                     test_waiter_cb, &acquire_waiter);
  acquired = test_waiter_wait (&acquire_waiter);
  g_assert_true (lablink_client_acquire_lock_finish (client, acquired, &error));
  g_assert_no_error (error);
  after = g_get_real_time () / G_USEC_PER_SEC + 1;

  lablink_client_get_lock_status_async (client, PSU, NULL, test_waiter_cb, &status_waiter);
  status = test_waiter_wait (&status_waiter);
  info = lablink_client_get_lock_status_finish (client, status, &error);
  g_assert_no_error (error);
  g_assert_true (lablink_lock_info_get_locked (info));

  /* Taken (on this machine's clock) between the two readings of it: read in
   * New York's zone it would be 9 or 10 hours later. */
  acquired_at = lablink_lock_info_get_acquired_at (info);
  g_assert_nonnull (acquired_at);
  at = g_date_time_to_unix (acquired_at);
  g_assert_cmpint (at, >=, before);
  g_assert_cmpint (at, <=, after);
  /* Shown in the client's zone. */
  g_assert_cmpint (g_date_time_get_utc_offset (acquired_at), <=, -4 * G_TIME_SPAN_HOUR);
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything reads TZ (GLib caches the local zone). */
  g_setenv ("TZ", "America/New_York", TRUE);
  tzset ();

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/locks/clock/server-zone", test_lock_in_server_zone);
  return g_test_run ();
}
