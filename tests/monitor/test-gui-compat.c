/* test-gui-compat.c — against a simulator behaving exactly like LabLink
 * 1.2.5: waveform frames carry no samples, the library fetches them from the
 * capture endpoint, and the scope panel plots them all the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

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

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);
  g_test_add_func ("/gui/compat/waveform-from-capture", test_compat_waveform);
  return g_test_run ();
}
