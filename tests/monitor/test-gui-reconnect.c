/* test-gui-reconnect.c — SIGKILL the simulator, start it again on the same
 * port: the indicator says "Reconnecting…", then "Connected", the trace
 * has a gap and the streams resume.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-psu-panel.h"
#include "monitor-test-util.h"

static TestSim *sim;
static LablinkApplication *app;
static LablinkWindow *window;

static const char *
indicator (void)
{
  return lablink_connection_indicator_get_text (lablink_window_get_connection_indicator (window));
}

static void
test_reconnect (void)
{
  LablinkSession *session = lablink_window_get_session (window);
  LablinkPsuPanel *panel;
  LablinkRing *ring;
  const char *psu;
  guint64 updates;
  gboolean saw_countdown = FALSE;
  double last[LABLINK_N_READINGS];
  gsize i;
  gboolean gap = FALSE;

  g_assert_true (mt_wait_connected (window, TEST_TIMEOUT_MS));
  g_assert_true (mt_wait_equipment (window, TEST_TIMEOUT_MS));
  psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  g_assert_cmpstr (lablink_window_get_selected_equipment_id (window), ==, psu);
  panel = LABLINK_PSU_PANEL (lablink_window_get_panel (window, psu));

  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  TEST_WAIT (lablink_psu_panel_get_n_updates (panel) >= 5, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_psu_panel_get_n_updates (panel), >=, 5);
  g_assert_cmpstr (indicator (), ==, "Connected");

  test_sim_kill (sim);

  TEST_WAIT (g_str_has_prefix (indicator (), "Reconnecting"), TEST_TIMEOUT_MS);
  g_test_message ("after the kill: %s", indicator ());
  g_assert_true (g_str_has_prefix (indicator (), "Reconnecting"));
  g_assert_cmpstr (lablink_psu_panel_get_status_text (panel), !=, "Running");

  /* The trace breaks where the link went. */
  ring = lablink_session_get_readings_ring (session, psu, 1);
  g_assert_true (lablink_ring_get_last (ring, NULL, last));
  g_assert_true (isnan (last[LABLINK_READING_VOLTAGE]));

  /* A countdown while it waits ("Reconnecting in 2 s (attempt 1)"). */
  TEST_WAIT ((saw_countdown = strstr (indicator (), " in ") != NULL && strstr (indicator (), "attempt") != NULL),
             1500);
  g_test_message ("countdown seen: %s", saw_countdown ? "yes" : "no (attempts under way)");

  updates = lablink_psu_panel_get_n_updates (panel);
  test_sim_restart (sim);

  TEST_WAIT (g_strcmp0 (indicator (), "Connected") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (indicator (), ==, "Connected");

  /* The readings stream was restarted by itself. */
  TEST_WAIT (lablink_psu_panel_get_n_updates (panel) > updates + 3, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_psu_panel_get_n_updates (panel), >, updates + 3);
  TEST_WAIT (g_strcmp0 (lablink_psu_panel_get_status_text (panel), "Running") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (lablink_psu_panel_get_status_text (panel), ==, "Running");

  /* The gap stays in the history between the two runs. */
  for (i = 0; i < lablink_ring_get_length (ring); i++)
    gap |= isnan (lablink_ring_get_value (ring, i, LABLINK_READING_VOLTAGE));
  g_assert_true (gap);
  g_assert_false (isnan (lablink_ring_get_value (ring, lablink_ring_get_length (ring) - 1, LABLINK_READING_VOLTAGE)));

  /* The stats pane counts the reconnect. */
  lablink_stats_panel_update (lablink_window_get_stats_panel (window));
  g_assert_cmpstr (lablink_stats_panel_get_value_text (lablink_window_get_stats_panel (window), "reconnects"), !=, "0");
}

int
main (int argc, char **argv)
{
  int ret;

  mt_init (&argc, &argv);

  sim = test_sim_spawn (NULL);
  app = mt_app_new ();
  window = mt_open_window (app, test_sim_get_url (sim), FALSE);

  g_test_add_func ("/gui/reconnect/kill-and-restart", test_reconnect);
  ret = g_test_run ();

  mt_close (app, window);
  test_sim_free (sim);
  return ret;
}
