/* test-gui-compat.c — against a simulator behaving exactly like LabLink
 * 1.2.5: waveform frames carry no samples, the library fetches them from the
 * capture endpoint, and the scope panel plots them all the same; no
 * acquisition frame ever comes, the library polls the acquisition's data
 * over REST and the acquisitions view says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-acquisition-panel.h"
#include "lablink-scope-panel.h"
#include "monitor-test-util.h"

static void
test_compat_waveform (void)
{
  const char *args[] = { "--lablink-compat", NULL };
  TestSim *sim = test_sim_spawn (args);
  LablinkApplication *app = mt_app_new ();
  LablinkWindow *window = mt_open_window (app, test_sim_get_url (sim), FALSE);
  LablinkScopePanel *panel;
  const char *scope;

  g_assert_true (mt_wait_connected (window, TEST_TIMEOUT_MS));
  g_assert_true (mt_wait_equipment (window, TEST_TIMEOUT_MS));
  scope = mt_equipment_id (window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  g_assert_true (lablink_window_select_equipment (window, scope));
  panel = LABLINK_SCOPE_PANEL (lablink_window_get_panel (window, scope));

  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_WAVEFORM));
  TEST_WAIT (lablink_scope_panel_get_n_waveforms (panel) >= 2, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), >=, 2);
  g_assert_cmpuint (lablink_scope_panel_get_n_samples (panel, 1), >=, 100);

  mt_close (app, window);
  test_sim_free (sim);
}

static void
test_compat_acquisition (void)
{
  const char *args[] = { "--lablink-compat", NULL };
  TestSim *sim = test_sim_spawn (args);
  LablinkApplication *app = mt_app_new ();
  LablinkWindow *window = mt_open_window (app, test_sim_get_url (sim), FALSE);
  LablinkAcquisitionPanel *panel = lablink_window_get_acquisition_panel (window);
  LablinkSession *session = lablink_window_get_session (window);
  LablinkPlot *plot;
  LablinkRing *ring;
  const char *psu, *id;
  gsize i;

  g_assert_true (mt_wait_connected (window, TEST_TIMEOUT_MS));
  g_assert_true (mt_wait_equipment (window, TEST_TIMEOUT_MS));
  psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);

  lablink_window_set_page (window, "acquisitions");
  lablink_acquisition_panel_fill_form (panel, psu, "CH1, CH2", 50.0, "continuous");
  g_signal_emit_by_name (lablink_acquisition_panel_get_create_button (panel), "clicked");
  TEST_WAIT (lablink_acquisition_panel_get_selected_id (panel) != NULL, TEST_TIMEOUT_MS);
  id = lablink_acquisition_panel_get_selected_id (panel);
  g_assert_nonnull (id);

  /* The samples come over REST, and the view says why. */
  plot = lablink_acquisition_panel_get_plot (panel);
  TEST_WAIT (lablink_plot_get_n_series (plot) == 2 && lablink_plot_get_series_n_points (plot, 0) >= 50, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_plot_get_series_n_points (plot, 0), >=, 50);
  g_test_message ("%s", lablink_acquisition_panel_get_stats_text (panel));
  g_assert_nonnull (strstr (lablink_acquisition_panel_get_stats_text (panel),
                            "Data by REST polling: the server sends no acquisition frames"));

  /* merged like frames: no timestamp twice */
  ring = lablink_session_get_acquisition_ring (session, id);
  g_assert_nonnull (ring);
  for (i = 1; i < lablink_ring_get_length (ring); i++)
    g_assert_cmpint (lablink_ring_get_time (ring, i), >, lablink_ring_get_time (ring, i - 1));

  mt_close (app, window);
  test_sim_free (sim);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);
  g_test_add_func ("/gui/compat/waveform-from-capture", test_compat_waveform);
  g_test_add_func ("/gui/compat/acquisition-by-rest", test_compat_acquisition);
  return g_test_run ();
}
