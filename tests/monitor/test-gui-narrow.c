/* test-gui-narrow.c — every page fits small windows: the sidebar folds away
 * (and its button shows it over the page), no page is wider than the window,
 * nothing outside a scrolled area reaches past its right edge. Saves
 * screenshots of each page at 800×600, 1100×720 and 1600×1000.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lablink-acquisition-panel.h"
#include "lablink-psu-panel.h"
#include "lablink-scope-panel.h"
#include "monitor-test-util.h"

static void
draw_now (GtkWidget *widget)
{
  gtk_widget_queue_draw (widget);
  test_run_for (300);
}

/* The mapped widgets under @widget, outside scrolled areas (which may clip
 * what they hold), that reach past the window's right edge: counted, and
 * named in the test log. */
static guint
count_cut_off (GtkWidget *window,
               GtkWidget *widget)
{
  graphene_rect_t bounds;
  GtkWidget *child;
  guint n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (widget != window && gtk_widget_compute_bounds (widget, window, &bounds) &&
      bounds.origin.x + bounds.size.width > gtk_widget_get_width (window) + 1.5)
    {
      g_test_message ("cut off: %s \"%s\" ends at %.0f of %d", G_OBJECT_TYPE_NAME (widget),
                      gtk_widget_get_name (widget), bounds.origin.x + bounds.size.width,
                      gtk_widget_get_width (window));
      n++;
    }
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return n;
  for (child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += count_cut_off (window, child);
  return n;
}

/* @page's minimum width fits the window and nothing of it is cut off. */
static void
assert_fits (LablinkWindow *window,
             GtkWidget     *page,
             const char    *what)
{
  int minimum = 0, window_minimum = 0;
  GtkWidget *content;

  gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  gtk_widget_measure (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)),
                      GTK_ORIENTATION_HORIZONTAL, -1, &window_minimum, NULL, NULL, NULL);
  g_test_message ("%s: minimum width %d (window %d), allocated %d of %d", what, minimum, window_minimum,
                  gtk_widget_get_width (page), gtk_widget_get_width (GTK_WIDGET (window)));
  g_assert_cmpint (minimum, <=, gtk_widget_get_width (page));
  g_assert_cmpint (window_minimum, <=, gtk_widget_get_width (GTK_WIDGET (window)));
  content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  g_test_message ("window %d, content %d wide", gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_width (content));
  g_assert_cmpuint (count_cut_off (content, content), ==, 0);
}

static void
screenshot (LablinkWindow *window,
            const char    *page,
            const char    *tag)
{
  g_autofree char *name = g_strdup_printf ("narrow-%s-%s.png", page, tag);
  g_autofree char *path = NULL;
  double variance = 0;

  draw_now (GTK_WIDGET (window));
  path = mt_screenshot (GTK_WIDGET (window), name, &variance);
  g_assert_cmpfloat (variance, >, 50.0);
}

static void
test_narrow_pages (MtFixture     *f,
                   gconstpointer  data)
{
  static const int sizes[][2] = { { 800, 600 }, { 1100, 720 }, { 1600, 1000 } };
  static const LablinkEquipmentKind kinds[] = {
    LABLINK_EQUIPMENT_POWER_SUPPLY, LABLINK_EQUIPMENT_OSCILLOSCOPE, LABLINK_EQUIPMENT_ELECTRONIC_LOAD,
  };
  static const char *kind_names[] = { "psu", "scope", "load" };
  static const char *pages[] = { "acquisitions", "statistics", "events" };
  LablinkWindow *window = f->window;
  LablinkAcquisitionPanel *acquisitions = lablink_window_get_acquisition_panel (window);
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  const char *scope = mt_equipment_id (window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  GtkWidget *sidebar = mt_find (window, "sidebar");
  GtkWidget *button = mt_find (window, "sidebar-button");
  AdwFlap *flap;
  guint i, k;

  g_assert_nonnull (sidebar);
  g_assert_nonnull (button);
  flap = ADW_FLAP (gtk_widget_get_ancestor (sidebar, ADW_TYPE_FLAP));

  /* Live data on every kind of page. */
  json_node_unref (mt_command (window, psu, "set_voltage", "{\"voltage\": 5.0, \"channel\": 1}"));
  json_node_unref (mt_command (window, psu, "set_output", "{\"enabled\": true, \"channel\": 1}"));
  g_assert_true (lablink_window_select_equipment (window, psu));
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  g_assert_true (lablink_window_select_equipment (window, scope));
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_WAVEFORM));
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_MEASUREMENTS));
  lablink_window_set_page (window, "acquisitions");
  lablink_acquisition_panel_fill_form (acquisitions, psu, "CH1, CH1_I", 50.0, "continuous");
  g_signal_emit_by_name (lablink_acquisition_panel_get_create_button (acquisitions), "clicked");
  TEST_WAIT (lablink_acquisition_panel_get_selected_id (acquisitions) != NULL, TEST_TIMEOUT_MS);
  g_assert_nonnull (lablink_acquisition_panel_get_selected_id (acquisitions));
  lablink_window_set_page (window, "instruments");
  {
    LablinkScopePanel *panel = LABLINK_SCOPE_PANEL (lablink_window_get_panel (window, scope));
    double value;

    TEST_WAIT (lablink_scope_panel_get_n_waveforms (panel) >= 3 &&
               lablink_scope_panel_get_measurement (panel, "vpp", &value), TEST_TIMEOUT_MS);
  }

  for (i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *tag = g_strdup_printf ("%dx%d", sizes[i][0], sizes[i][1]);

      mt_resize (window, sizes[i][0], sizes[i][1]);
      g_test_message ("%s: sidebar %s", tag, adw_flap_get_folded (flap) ? "folded" : "beside the page");

      /* Small: the sidebar folds away; its button shows it over the page
       * and hides it again. Large: it stays beside the page. */
      if (sizes[i][0] <= 800)
        {
          g_assert_true (adw_flap_get_folded (flap));
          TEST_WAIT (!gtk_widget_get_mapped (sidebar), TEST_TIMEOUT_MS);
          g_assert_false (gtk_widget_get_mapped (sidebar));
          g_assert_true (gtk_widget_get_visible (button));

          mt_activate (window, "toggle-sidebar", NULL);
          g_assert_true (adw_flap_get_reveal_flap (flap));
          TEST_WAIT (gtk_widget_get_mapped (sidebar) && adw_flap_get_reveal_progress (flap) >= 1.0, TEST_TIMEOUT_MS);
          g_assert_true (gtk_widget_get_mapped (sidebar));
          g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
          screenshot (window, "sidebar", tag);

          /* Choosing an instrument puts it away. */
          g_assert_true (lablink_window_select_equipment (window, psu));
          g_assert_false (adw_flap_get_reveal_flap (flap));
          TEST_WAIT (!gtk_widget_get_mapped (sidebar), TEST_TIMEOUT_MS);
          g_assert_false (gtk_widget_get_mapped (sidebar));

          mt_activate (window, "toggle-sidebar", NULL);
          g_assert_true (adw_flap_get_reveal_flap (flap));
          mt_activate (window, "toggle-sidebar", NULL);
          g_assert_false (adw_flap_get_reveal_flap (flap));
          TEST_WAIT (!gtk_widget_get_mapped (sidebar), TEST_TIMEOUT_MS);
          g_assert_false (gtk_widget_get_mapped (sidebar));
        }
      else if (sizes[i][0] >= 1600)
        {
          g_assert_false (adw_flap_get_folded (flap));
          g_assert_true (gtk_widget_get_mapped (sidebar));
          g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
        }

      for (k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          g_autofree char *what = g_strdup_printf ("%s %s", kind_names[k], tag);

          g_assert_true (lablink_window_select_equipment (window, mt_equipment_id (window, kinds[k])));
          screenshot (window, kind_names[k], tag);
          assert_fits (window, lablink_window_get_panel (window, mt_equipment_id (window, kinds[k])), what);
        }

      for (k = 0; k < G_N_ELEMENTS (pages); k++)
        {
          g_autofree char *what = g_strdup_printf ("%s %s", pages[k], tag);

          lablink_window_set_page (window, pages[k]);
          g_assert_false (gtk_widget_get_visible (button));
          screenshot (window, pages[k], tag);
          assert_fits (window, adw_view_stack_get_visible_child (ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (acquisitions), ADW_TYPE_VIEW_STACK))), what);
        }
      lablink_window_set_page (window, "instruments");
    }
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/narrow/pages", MtFixture, NULL, mt_setup, test_narrow_pages, mt_teardown);

  return g_test_run ();
}
