/* test-gui-acquisition.c — an acquisition created from the UI streams its
 * samples into its chart: the count grows and no timestamp is stored twice,
 * although consecutive frames overlap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-acquisition-panel.h"
#include "monitor-test-util.h"

static void
test_acquisition_from_ui (MtFixture     *f,
                          gconstpointer  data)
{
  LablinkWindow *window = f->window;
  LablinkAcquisitionPanel *panel = lablink_window_get_acquisition_panel (window);
  LablinkSession *session = lablink_window_get_session (window);
  const char *psu, *id;
  LablinkPlot *plot;
  LablinkRing *ring;
  gsize n1, n2, i;
  guint64 dup1;

  psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  g_assert_nonnull (psu);

  /* A channel with a signal: PSU channel 1 on, into its load. */
  json_node_unref (mt_command (window, psu, "set_voltage", "{\"voltage\": 5.0, \"channel\": 1}"));
  json_node_unref (mt_command (window, psu, "set_output", "{\"enabled\": true, \"channel\": 1}"));

  lablink_window_set_page (window, "acquisitions");
  lablink_acquisition_panel_fill_form (panel, psu, "CH1, CH1_I", 100.0, "continuous");
  g_signal_emit_by_name (lablink_acquisition_panel_get_create_button (panel), "clicked");

  TEST_WAIT (lablink_acquisition_panel_get_selected_id (panel) != NULL, TEST_TIMEOUT_MS);
  id = lablink_acquisition_panel_get_selected_id (panel);
  g_assert_nonnull (id);
  g_test_message ("acquisition %s", id);

  plot = lablink_acquisition_panel_get_plot (panel);
  TEST_WAIT (lablink_plot_get_n_series (plot) == 2 && lablink_plot_get_series_n_points (plot, 0) >= 50, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_plot_get_n_series (plot), ==, 2);
  n1 = lablink_plot_get_series_n_points (plot, 0);
  g_assert_cmpuint (n1, >=, 50);

  /* It keeps growing. */
  TEST_WAIT (lablink_plot_get_series_n_points (plot, 0) > n1 + 50, TEST_TIMEOUT_MS);
  n2 = lablink_plot_get_series_n_points (plot, 0);
  g_test_message ("chart samples: %zu, then %zu", n1, n2);
  g_assert_cmpuint (n2, >, n1 + 50);

  /* Overlapping frames were merged: strictly increasing timestamps, some
   * samples seen again and skipped. */
  ring = lablink_session_get_acquisition_ring (session, id);
  g_assert_nonnull (ring);
  for (i = 1; i < lablink_ring_get_length (ring); i++)
    g_assert_cmpint (lablink_ring_get_time (ring, i), >, lablink_ring_get_time (ring, i - 1));
  g_assert_cmpuint (lablink_session_get_acquisition_duplicates (session, id), >, 0);
  /* 5 V on channel 1. */
  g_assert_cmpfloat (fabs (lablink_ring_get_value (ring, lablink_ring_get_length (ring) - 1, 0) - 5.0), <, 0.2);

  TEST_WAIT (g_strcmp0 (lablink_acquisition_panel_get_state_text (panel), "acquiring") == 0, TEST_TIMEOUT_MS);
  g_assert_cmpstr (lablink_acquisition_panel_get_state_text (panel), ==, "acquiring");
  g_assert_nonnull (strstr (lablink_acquisition_panel_get_stats_text (panel), "Chart:"));
  TEST_WAIT (lablink_plot_get_n_draws (plot) > 0, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_plot_get_n_draws (plot), >, 0);

  /* It is listed. */
  TEST_WAIT (lablink_acquisition_panel_get_n_listed (panel) >= 1, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_acquisition_panel_get_n_listed (panel), >=, 1);

  /* Stop: the stream of the stopped acquisition ends, so nothing more is
   * counted (the server would repeat its last window for ever). */
  g_signal_emit_by_name (mt_find (window, "acq-stop"), "clicked");
  TEST_WAIT (g_strcmp0 (lablink_acquisition_panel_get_state_text (panel), "stopped") == 0 &&
             !lablink_session_is_watching_acquisition (session, id), TEST_TIMEOUT_MS);
  g_assert_cmpstr (lablink_acquisition_panel_get_state_text (panel), ==, "stopped");
  g_assert_false (lablink_session_is_watching_acquisition (session, id));
  mt_round_trip (window);
  n1 = lablink_plot_get_series_n_points (plot, 0);
  dup1 = lablink_session_get_acquisition_duplicates (session, id);
  test_run_for (600);   /* three frames' worth at the stream's interval */
  mt_round_trip (window);
  g_assert_cmpuint (lablink_session_get_acquisition_duplicates (session, id), ==, dup1);
  g_assert_cmpuint (lablink_plot_get_series_n_points (plot, 0), ==, n1);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/acquisition/from-ui", MtFixture, NULL, mt_setup, test_acquisition_from_ui, mt_teardown);

  return g_test_run ();
}
