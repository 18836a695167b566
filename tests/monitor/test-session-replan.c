/* test-session-replan.c — the app's session re-plans an acquisition's stream
 * once the server says its rate
 *
 * lablink_session_watch_acquisition() starts the stream with a first plan
 * (windows of 500 samples every 200 ms) and asks the acquisition's status;
 * the answer's sample rate re-plans it as lablink-acquisition-plan.c says
 * (replan_status_cb in lablink-session-streams.c). What the server sends
 * shows it: at 5 kSa/s the planned window is several times the first
 * plan's, so only a re-planned stream carries frames larger than 500
 * samples. No display: a LablinkSession without settings, against
 * lablink-sim.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lablink-session.h"
#include "test-common.h"

#define PSU        "ps_250e6dfe"
#define RATE       5000     /* Sa/s */
#define N_CHANNELS 2
#define BUFFER     20000    /* samples the server keeps: more than a planned window */
#define FIRST_PLAN 500      /* the window lablink_session_watch_acquisition() starts with */

typedef struct {
  guint n_frames;
  gsize max_samples;   /* the largest window the server sent */
} FrameLog;

static void
on_acquisition_data (LablinkStreamManager *manager,
                     LablinkMessage       *message,
                     gpointer              user_data)
{
  FrameLog *log = user_data;

  log->n_frames++;
  log->max_samples = MAX (log->max_samples, lablink_message_get_n_samples (message));
}

/* A running acquisition of the PSU's CH1 and CH2 at RATE. */
static char *
start_acquisition (LablinkClient *client)
{
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(JsonArray) channels = json_array_new ();
  g_autoptr(GAsyncResult) created = NULL;
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter create_waiter = { 0 };
  TestWaiter start_waiter = { 0 };
  g_autofree char *id = NULL;

  json_array_add_string_element (channels, "CH1");
  json_array_add_string_element (channels, "CH2");
  json_object_set_string_member (config, "equipment_id", PSU);
  json_object_set_string_member (config, "name", "test-session-replan");
  json_object_set_string_member (config, "mode", "continuous");
  json_object_set_int_member (config, "sample_rate", RATE);
  json_object_set_int_member (config, "buffer_size", BUFFER);
  json_object_set_array_member (config, "channels", json_array_ref (channels));

  lablink_client_create_acquisition_async (client, config, NULL, test_waiter_cb, &create_waiter);
  created = test_waiter_wait (&create_waiter);
  id = lablink_client_create_acquisition_finish (client, created, &error);
  g_assert_no_error (error);

  lablink_client_control_acquisition_async (client, id, "start", NULL, test_waiter_cb, &start_waiter);
  started = test_waiter_wait (&start_waiter);
  g_assert_true (lablink_client_control_acquisition_finish (client, started, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

/* The stream is restarted with the planned window: the server's frames
 * grow from the first plan's 500 samples to exactly the planned number. */
static void
test_replan (void)
{
  TestSim *sim = test_sim_spawn (NULL);
  g_autoptr(LablinkSession) session = lablink_session_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *detail = NULL;
  FrameLog log = { 0 };
  guint planned = lablink_acquisition_plan_window (RATE, N_CHANNELS);
  gulong handler;

  /* the plan differs from the first one, or this test proves nothing */
  g_assert_cmpuint (planned, >, FIRST_PLAN);
  g_assert_cmpuint (planned, <, BUFFER);

  g_assert_true (lablink_session_connect_to (session, test_sim_get_url (sim), NULL, &error));
  g_assert_no_error (error);
  TEST_ASSERT_EVENTUALLY (lablink_session_get_connected (session));

  id = start_acquisition (lablink_session_get_client (session));
  detail = g_strconcat ("acquisition-data::", id, NULL);
  handler = g_signal_connect (lablink_session_get_manager (session), detail,
                              G_CALLBACK (on_acquisition_data), &log);

  g_assert_true (lablink_session_watch_acquisition (session, id, &error));
  g_assert_no_error (error);
  g_assert_true (lablink_session_is_watching_acquisition (session, id));

  /* Without the re-plan no frame ever carries more than FIRST_PLAN. */
  TEST_WAIT (log.max_samples > FIRST_PLAN, TEST_TIMEOUT_MS);
  g_test_message ("%u frames, the largest %" G_GSIZE_FORMAT " samples (planned %u)",
                  log.n_frames, log.max_samples, planned);
  if (log.max_samples <= FIRST_PLAN)
    g_error ("the stream kept the first plan: %u frames of at most %" G_GSIZE_FORMAT " samples",
             log.n_frames, log.max_samples);
  /* once the server holds that many, every window is the planned one */
  TEST_ASSERT_EVENTUALLY (log.max_samples >= planned);
  g_assert_cmpuint (log.max_samples, ==, planned);
  g_assert_true (lablink_session_is_watching_acquisition (session, id));

  g_signal_handler_disconnect (lablink_session_get_manager (session), handler);
  lablink_session_disconnect (session);
  test_run_for (50);
  g_clear_object (&session);
  test_sim_free (sim);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/acquisition-replan", test_replan);

  return g_test_run ();
}
