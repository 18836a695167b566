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

static const char *
indicator (LablinkWindow *window)
{
  return lablink_connection_indicator_get_text (lablink_window_get_connection_indicator (window));
}

static void
test_reconnect (MtFixture     *f,
                gconstpointer  data)
{
  LablinkWindow *window = f->window;
  LablinkSession *session = lablink_window_get_session (window);
  LablinkPsuPanel *panel;
  LablinkRing *ring;
  const char *psu;
  guint64 updates;
  gboolean saw_countdown = FALSE;
  double last[LABLINK_N_READINGS];
  gsize i;
  gboolean gap = FALSE;

  psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  g_assert_cmpstr (lablink_window_get_selected_equipment_id (window), ==, psu);
  panel = LABLINK_PSU_PANEL (lablink_window_get_panel (window, psu));

  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  TEST_WAIT (lablink_psu_panel_get_n_updates (panel) >= 5, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_psu_panel_get_n_updates (panel), >=, 5);
  g_assert_cmpstr (indicator (window), ==, "Connected");

  test_sim_kill (f->sim);

  TEST_WAIT (g_str_has_prefix (indicator (window), "Reconnecting"), TEST_TIMEOUT_MS);
  g_test_message ("after the kill: %s", indicator (window));
  g_assert_true (g_str_has_prefix (indicator (window), "Reconnecting"));
  g_assert_cmpstr (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), NULL), !=, "Running");

  /* The trace breaks where the link went. */
  ring = lablink_session_get_readings_ring (session, psu, 1);
  g_assert_true (lablink_ring_get_last (ring, NULL, last));
  g_assert_true (isnan (last[LABLINK_READING_VOLTAGE]));

  /* A countdown while it waits ("Reconnecting in 2 s (attempt 1)"). */
  TEST_WAIT ((saw_countdown = strstr (indicator (window), " in ") != NULL && strstr (indicator (window), "attempt") != NULL),
             1500);
  g_test_message ("countdown seen: %s", saw_countdown ? "yes" : "no (attempts under way)");

  updates = lablink_psu_panel_get_n_updates (panel);
  test_sim_restart (f->sim);

  TEST_WAIT (g_strcmp0 (indicator (window), "Connected") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (indicator (window), ==, "Connected");

  /* The readings stream was restarted by itself. */
  TEST_WAIT (lablink_psu_panel_get_n_updates (panel) > updates + 3, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_psu_panel_get_n_updates (panel), >, updates + 3);
  TEST_WAIT (g_strcmp0 (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), NULL), "Running") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (lablink_instrument_panel_get_status_text (LABLINK_INSTRUMENT_PANEL (panel), NULL), ==, "Running");

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
  mt_init (&argc, &argv);

  g_test_add ("/gui/reconnect/kill-and-restart", MtFixture, NULL, mt_setup, test_reconnect, mt_teardown);

  return g_test_run ();
}
