/* test-gui-screenshot.c — renders the main window with live data to PNGs
 * ($G_TEST_BUILDDIR/screenshots/) and checks they are not blank.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-acquisition-panel.h"
#include "lablink-psu-panel.h"
#include "lablink-scope-panel.h"
#include "monitor-test-util.h"

static void
setup (MtFixture     *f,
       gconstpointer  data)
{
  mt_fixture_setup (f, NULL);
}

static void
teardown (MtFixture     *f,
          gconstpointer  data)
{
  /* The next case starts in the default style. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  mt_fixture_teardown (f);
}

static void
draw_now (GtkWidget *widget)
{
  /* Let the frame clock lay out and paint what changed. */
  gtk_widget_queue_draw (widget);
  test_run_for (300);
}

static void
test_screenshot_psu (MtFixture     *f,
                     gconstpointer  data)
{
  LablinkWindow *window = f->window;
  g_autofree char *path = NULL;
  const char *psu, *load;
  LablinkPsuPanel *panel;
  double variance = 0;
  guint step;

  psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  load = mt_equipment_id (window, LABLINK_EQUIPMENT_ELECTRONIC_LOAD);

  json_node_unref (mt_command (window, psu, "set_current", "{\"current\": 2.0, \"channel\": 1}"));
  json_node_unref (mt_command (window, psu, "set_voltage", "{\"voltage\": 5.0, \"channel\": 1}"));
  json_node_unref (mt_command (window, psu, "set_output", "{\"enabled\": true, \"channel\": 1}"));
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  /* The load too, so that its sidebar row shows "Live". */
  g_assert_true (lablink_window_select_equipment (window, load));
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  g_assert_true (lablink_window_select_equipment (window, psu));
  panel = LABLINK_PSU_PANEL (lablink_window_get_panel (window, psu));

  /* A few seconds of history with steps in it. */
  for (step = 0; step < 4; step++)
    {
      g_autofree char *params = g_strdup_printf ("{\"voltage\": %.1f, \"channel\": 1}", 5.0 + step * 1.5);

      json_node_unref (mt_command (window, psu, "set_voltage", params));
      test_run_for (700);
    }
  TEST_WAIT (lablink_psu_panel_get_n_updates (panel) > 20, TEST_TIMEOUT_MS);
  draw_now (GTK_WIDGET (window));

  path = mt_screenshot (GTK_WIDGET (window), "main-window.png", &variance);
  g_test_message ("%s: luminance variance %.1f", path, variance);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpfloat (variance, >, 100.0);
}

static void
test_screenshot_scope (MtFixture     *f,
                       gconstpointer  data)
{
  LablinkWindow *window = f->window;
  g_autofree char *path = NULL;
  const char *scope = mt_equipment_id (window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  LablinkScopePanel *panel;
  double variance = 0, value;

  g_assert_true (lablink_window_select_equipment (window, scope));
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_WAVEFORM));
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_MEASUREMENTS));
  panel = LABLINK_SCOPE_PANEL (lablink_window_get_panel (window, scope));
  TEST_WAIT (lablink_scope_panel_get_n_waveforms (panel) >= 3 &&
           lablink_scope_panel_get_measurement (panel, "vpp", &value), TEST_TIMEOUT_MS);

  /* The cursor readout in the picture too. */
  {
    LablinkPlot *plot = lablink_scope_panel_get_plot (panel);
    lablink_plot_set_pointer (plot, gtk_widget_get_width (GTK_WIDGET (plot)) * 0.4,
                              gtk_widget_get_height (GTK_WIDGET (plot)) * 0.3);
  }
  draw_now (GTK_WIDGET (window));

  path = mt_screenshot (GTK_WIDGET (window), "scope.png", &variance);
  g_test_message ("%s: luminance variance %.1f", path, variance);
  g_assert_cmpfloat (variance, >, 100.0);
}

static void
test_screenshot_stats (MtFixture     *f,
                       gconstpointer  data)
{
  LablinkWindow *window = f->window;
  g_autofree char *path = NULL;
  double variance = 0;

  /* Some traffic to count. */
  {
    const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
    LablinkPsuPanel *panel = LABLINK_PSU_PANEL (lablink_window_get_panel (window, psu));

    mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
    TEST_WAIT (lablink_psu_panel_get_n_updates (panel) > 3, TEST_TIMEOUT_MS);
    g_assert_cmpuint (lablink_psu_panel_get_n_updates (panel), >, 3);
  }

  lablink_window_set_page (window, "statistics");
  lablink_stats_panel_update (lablink_window_get_stats_panel (window));
  draw_now (GTK_WIDGET (window));
  g_assert_cmpstr (lablink_stats_panel_get_value_text (lablink_window_get_stats_panel (window), "messages-received"),
                   !=, "0");
  path = mt_screenshot (GTK_WIDGET (window), "statistics.png", &variance);
  g_assert_cmpfloat (variance, >, 50.0);
  lablink_window_set_page (window, "instruments");
}

static void
test_screenshot_load (MtFixture     *f,
                      gconstpointer  data)
{
  LablinkWindow *window = f->window;
  g_autofree char *path = NULL;
  const char *load = mt_equipment_id (window, LABLINK_EQUIPMENT_ELECTRONIC_LOAD);
  double variance = 0;

  json_node_unref (mt_command (window, load, "set_mode", "{\"mode\": \"CC\"}"));
  json_node_unref (mt_command (window, load, "set_current", "{\"current\": 1.25}"));
  json_node_unref (mt_command (window, load, "set_input", "{\"enabled\": true}"));
  g_assert_true (lablink_window_select_equipment (window, load));
  test_run_for (1500);
  draw_now (GTK_WIDGET (window));
  path = mt_screenshot (GTK_WIDGET (window), "load.png", &variance);
  g_assert_cmpfloat (variance, >, 100.0);
}

static void
test_screenshot_acquisition (MtFixture     *f,
                             gconstpointer  data)
{
  LablinkWindow *window = f->window;
  LablinkAcquisitionPanel *panel = lablink_window_get_acquisition_panel (window);
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  g_autofree char *path = NULL;
  double variance = 0;

  lablink_window_set_page (window, "acquisitions");
  lablink_acquisition_panel_fill_form (panel, psu, "CH1, CH1_I", 50.0, "continuous");
  g_signal_emit_by_name (lablink_acquisition_panel_get_create_button (panel), "clicked");
  TEST_WAIT (lablink_acquisition_panel_get_selected_id (panel) != NULL &&
           lablink_plot_get_n_series (lablink_acquisition_panel_get_plot (panel)) > 0, TEST_TIMEOUT_MS);
  test_run_for (2500);
  draw_now (GTK_WIDGET (window));
  path = mt_screenshot (GTK_WIDGET (window), "acquisitions.png", &variance);
  g_assert_cmpfloat (variance, >, 100.0);
  lablink_window_set_page (window, "instruments");
}

static void
test_screenshot_dark (MtFixture     *f,
                      gconstpointer  data)
{
  LablinkWindow *window = f->window;
  AdwStyleManager *style = adw_style_manager_get_default ();
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  g_autofree char *path = NULL;
  double variance = 0;

  g_assert_true (lablink_window_select_equipment (window, psu));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  test_run_for (500);
  draw_now (GTK_WIDGET (window));
  path = mt_screenshot (GTK_WIDGET (window), "main-window-dark.png", &variance);
  g_assert_cmpfloat (variance, >, 100.0);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* The first visible descendant of @root of @type, depth first. */
static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  GtkWidget *child;

  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && gtk_widget_get_mapped (root))
    return root;
  for (child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);
      if (found)
        return found;
    }
  return NULL;
}

/* The pages at the window's default size (lablink-window.ui), a large and a
 * small one: idle instrument pages, live plots and the acquisitions page. */
static void
test_screenshot_sizes (MtFixture     *f,
                       gconstpointer  data)
{
  static const int sizes[][2] = { { 1100, 720 }, { 1600, 1000 }, { 800, 600 } };
  LablinkWindow *window = f->window;
  LablinkAcquisitionPanel *acquisitions = lablink_window_get_acquisition_panel (window);
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  const char *scope = mt_equipment_id (window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  double text_px[G_N_ELEMENTS (sizes)];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *tag = g_strdup_printf ("%dx%d", sizes[i][0], sizes[i][1]);
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      mt_resize (window, sizes[i][0], sizes[i][1]);

      /* Idle: no stream yet. */
      if (i == 0)
        {
          g_assert_true (lablink_window_select_equipment (window, scope));
          draw_now (GTK_WIDGET (window));
          path = mt_screenshot (GTK_WIDGET (window), "idle-scope-1100x720.png", NULL);
          g_clear_pointer (&path, g_free);

          g_assert_true (lablink_window_select_equipment (window, psu));
          draw_now (GTK_WIDGET (window));
          path = mt_screenshot (GTK_WIDGET (window), "idle-psu-1100x720.png", NULL);
          g_clear_pointer (&path, g_free);
          /* Its "No Readings Yet" gets all the height it needs: no clipped icon. */
          {
            GtkWidget *waiting = find_type (lablink_window_get_panel (window, psu), ADW_TYPE_STATUS_PAGE);
            int natural = 0;

            g_assert_nonnull (waiting);
            gtk_widget_measure (waiting, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (waiting),
                                NULL, &natural, NULL, NULL);
            g_assert_cmpint (gtk_widget_get_height (waiting), >=, natural);
          }

          json_node_unref (mt_command (window, psu, "set_voltage", "{\"voltage\": 5.0, \"channel\": 1}"));
          json_node_unref (mt_command (window, psu, "set_output", "{\"enabled\": true, \"channel\": 1}"));
          mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
          g_assert_true (lablink_window_select_equipment (window, scope));
          mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_WAVEFORM));
          lablink_window_set_page (window, "acquisitions");
          lablink_acquisition_panel_fill_form (acquisitions, psu, "CH1, CH1_I", 50.0, "continuous");
          g_signal_emit_by_name (lablink_acquisition_panel_get_create_button (acquisitions), "clicked");
          TEST_WAIT (lablink_acquisition_panel_get_selected_id (acquisitions) != NULL, TEST_TIMEOUT_MS);
          lablink_window_set_page (window, "instruments");
          test_run_for (2500);
        }

      g_assert_true (lablink_window_select_equipment (window, psu));
      draw_now (GTK_WIDGET (window));
      name = g_strdup_printf ("psu-%s.png", tag);
      path = mt_screenshot (GTK_WIDGET (window), name, NULL);
      g_clear_pointer (&path, g_free);
      g_clear_pointer (&name, g_free);
      /* The axes' text is the same size in every window: not scaled with it. */
      text_px[i] = lablink_plot_get_text_height (LABLINK_PLOT (mt_find (window, "psu-history")));
      g_test_message ("%s: plot text %.2f px", tag, text_px[i]);
      g_assert_cmpfloat (text_px[i], >, 0);
      g_assert_cmpfloat (fabs (text_px[i] - text_px[0]), <, 0.01);

      g_assert_true (lablink_window_select_equipment (window, scope));
      draw_now (GTK_WIDGET (window));
      name = g_strdup_printf ("scope-%s.png", tag);
      path = mt_screenshot (GTK_WIDGET (window), name, NULL);
      g_clear_pointer (&path, g_free);
      g_clear_pointer (&name, g_free);

      lablink_window_set_page (window, "acquisitions");
      draw_now (GTK_WIDGET (window));
      name = g_strdup_printf ("acquisitions-%s.png", tag);
      path = mt_screenshot (GTK_WIDGET (window), name, NULL);
      /* The acquisition's toolbar fits the default window and larger ones:
       * its last button ends inside the window. */
      if (sizes[i][0] >= 1100)
        {
          GtkWidget *captures = mt_find (window, "acq-captures");
          graphene_point_t end;

          g_assert_true (gtk_widget_compute_point (captures, GTK_WIDGET (window),
                                                   &GRAPHENE_POINT_INIT (gtk_widget_get_width (captures), 0), &end));
          g_assert_cmpfloat (end.x, <=, gtk_widget_get_width (GTK_WIDGET (window)));
        }
      lablink_window_set_page (window, "instruments");
    }
}

/* A very large value takes a prefix on the unit and fits a meter as wide
 * as one of a PSU channel's three at the default window size. */
static void
test_screenshot_meter (void)
{
  static const struct { double value; const char *text, *unit; } cases[] = {
    { 123456.789, "123.457", "kV" },
    { -98765432.1, "-98.765", "MV" },
    { 9999.5, "9999.500", "V" },
    { 5.0, "5.000", "V" },
  };
  g_autoptr(LablinkApplication) app = mt_app_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *meter = lablink_meter_new ("Voltage", "V", 3);
  g_autofree char *path = NULL;
  guint i;

  gtk_window_set_child (GTK_WINDOW (window), meter);
  gtk_window_set_default_size (GTK_WINDOW (window), 250, 100);
  gtk_window_present (GTK_WINDOW (window));
  TEST_WAIT (gtk_widget_get_mapped (meter), TEST_TIMEOUT_MS);

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int minimum = 0;

      lablink_meter_set_value (LABLINK_METER (meter), cases[i].value);
      g_assert_cmpstr (lablink_meter_get_text (LABLINK_METER (meter)), ==, cases[i].text);
      g_assert_cmpstr (lablink_meter_get_unit (LABLINK_METER (meter)), ==, cases[i].unit);
      gtk_widget_measure (meter, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      g_assert_cmpint (minimum, <=, 250);
    }

  lablink_meter_set_value (LABLINK_METER (meter), 123456.789);
  draw_now (window);
  path = mt_screenshot (window, "meter-large-value.png", NULL);
  g_assert_cmpint (gtk_widget_get_width (meter), <=, 250);
  gtk_window_destroy (GTK_WINDOW (window));
  g_application_release (G_APPLICATION (app));
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/screenshot/psu", MtFixture, NULL, setup, test_screenshot_psu, teardown);
  g_test_add ("/gui/screenshot/scope", MtFixture, NULL, setup, test_screenshot_scope, teardown);
  g_test_add ("/gui/screenshot/statistics", MtFixture, NULL, setup, test_screenshot_stats, teardown);
  g_test_add ("/gui/screenshot/load", MtFixture, NULL, setup, test_screenshot_load, teardown);
  g_test_add ("/gui/screenshot/acquisitions", MtFixture, NULL, setup, test_screenshot_acquisition, teardown);
  g_test_add ("/gui/screenshot/dark", MtFixture, NULL, setup, test_screenshot_dark, teardown);
  g_test_add_func ("/gui/screenshot/meter", test_screenshot_meter);
  g_test_add ("/gui/screenshot/sizes", MtFixture, NULL, setup, test_screenshot_sizes, teardown);

  return g_test_run ();
}
