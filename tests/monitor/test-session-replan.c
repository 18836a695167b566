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
start_acquisition (TestSim *sim)
{
  g_autofree char *config = g_strdup_printf ("{\"equipment_id\": \"" PSU "\", \"name\": \"test-session-replan\", "
                                             "\"mode\": \"continuous\", \"sample_rate\": %d, "
                                             "\"buffer_size\": %d, \"channels\": [\"CH1\", \"CH2\"]}",
                                             RATE, BUFFER);
  g_autoptr(JsonNode) created = test_sim_rest_ok (sim, "POST", "/api/acquisition/session/create", config);
  g_autoptr(JsonNode) started = NULL;
  g_autofree char *id = g_strdup (json_object_get_string_member (json_node_get_object (created), "acquisition_id"));
  g_autofree char *path = g_strdup_printf ("/api/acquisition/session/%s/start", id);

  g_assert_nonnull (id);
  started = test_sim_rest_ok (sim, "POST", path, NULL);
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

  id = start_acquisition (sim);
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
