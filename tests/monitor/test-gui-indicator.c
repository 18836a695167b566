/* test-gui-indicator.c — the connection state at narrow sizes, one of two servers down
 *
 * Two simulators, the second one killed: the header bar's connection
 * indicator shows what fits and nothing more (where no words fit, at
 * 800×600, the icon alone in a round button of its own, style class
 * "compact", with the whole state in its tooltip, still opening the list of
 * the servers), and the sidebar's row of the server that is down says its
 * state without cutting it (the whole of it, with the attempt, in its
 * tooltip). Screenshots at the default size, 1600×1000 and 800×600, light
 * and dark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-connection-indicator.h"
#include "lablink-server-row.h"
#include "monitor-test-util.h"

typedef struct {
  MtFixture       mt;
  TestSim        *sim_b;
  LablinkSession *b;   /* the second server, killed */
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  mt_setup (&f->mt, data);
  f->sim_b = test_sim_spawn (NULL);
  f->b = mt_add_server (f->mt.window, f->sim_b);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  mt_teardown (&f->mt, data);
  g_clear_pointer (&f->sim_b, test_sim_free);
}

static gboolean
has (const char *text,
     const char *part)
{
  return text != NULL && strstr (text, part) != NULL;
}

static int
natural_width (GtkWidget *widget)
{
  int natural = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return natural;
}

/* The indicator's button is as wide as what it shows: the icon alone in a
 * round "compact" button (no label mapped), or the icon and a label with
 * no empty room after it. */
static gboolean
pill_fits (GtkWidget *button,
           GtkWidget *squeezer)
{
  GtkWidget *shown = adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer));

  if (shown == NULL)
    return gtk_widget_has_css_class (button, "compact") &&
           gtk_widget_get_width (squeezer) <= 1 &&
           gtk_widget_get_width (button) <= gtk_widget_get_height (button) + 4;
  return !gtk_widget_has_css_class (button, "compact") &&
         gtk_widget_get_mapped (shown) &&
         ABS (gtk_widget_get_width (squeezer) - natural_width (shown)) <= 1;
}

/* The row's state is all there: not ellipsized, not wider than the label. */
static gboolean
status_whole (GtkWidget *status)
{
  PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (status));
  int width = 0;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return gtk_widget_get_mapped (status) &&
         !pango_layout_is_ellipsized (layout) &&
         width <= gtk_widget_get_width (status);
}

static void
screenshot (LablinkWindow *window,
            const char    *tag,
            gboolean       dark)
{
  g_autofree char *name = g_strdup_printf ("indicator-%s%s.png", tag, dark ? "-dark" : "");

  gtk_widget_queue_draw (GTK_WIDGET (window));
  test_run_for (300);
  mt_assert_screenshot (GTK_WIDGET (window), name);
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  static const struct { const char *tag; int width, height; } sizes[] = {
    { "default", 0, 0 }, { "1600x1000", 1600, 1000 }, { "800x600", 800, 600 },
  };
  LablinkWindow *window = f->mt.window;
  LablinkConnectionIndicator *indicator = lablink_window_get_connection_indicator (window);
  GtkWidget *label = mt_find (window, "connection-label");
  GtkWidget *squeezer = gtk_widget_get_parent (label);
  GtkWidget *button = gtk_widget_get_ancestor (label, GTK_TYPE_MENU_BUTTON);
  GtkWidget *row = lablink_window_get_server_row (window, f->b);
  GtkWidget *status = lablink_widget_find_by_name (row, "server-status");
  AdwFlap *flap = ADW_FLAP (gtk_widget_get_ancestor (mt_find (window, "sidebar"), ADW_TYPE_FLAP));
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *title_b = g_strdup_printf ("127.0.0.1:%u", test_sim_get_port (f->sim_b));
  guint i, dark;

  g_assert_true (ADW_IS_SQUEEZER (squeezer));
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_ancestor (button, GTK_WIDGET (indicator)));
  g_assert_nonnull (status);

  test_sim_kill (f->sim_b);
  f->b = NULL;
  TEST_ASSERT_EVENTUALLY (has (lablink_connection_indicator_get_text (indicator), title_b) &&
                          has (lablink_server_row_get_status_text (LABLINK_SERVER_ROW (row)), "Reconnecting in"));

  for (i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (dark = 0; dark < 2; dark++)
      {
        g_autofree char *what = g_strdup_printf ("%s%s", sizes[i].tag, dark ? " dark" : "");

        adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
        if (sizes[i].width > 0)
          mt_resize (window, sizes[i].width, sizes[i].height);
        /* where it folds away, the sidebar shown over the page */
        if (adw_flap_get_folded (flap) && !adw_flap_get_reveal_flap (flap))
          mt_activate (window, "toggle-sidebar", NULL);
        TEST_ASSERT_EVENTUALLY (gtk_widget_get_mapped (status) && adw_flap_get_reveal_progress (flap) >= 1.0);

        /* the state of the worst server, in its colour */
        TEST_ASSERT_EVENTUALLY (pill_fits (button, squeezer));
        g_test_message ("%s: indicator \"%s\", %d px wide; row \"%s\"", what,
                        adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer))
                        ? gtk_label_get_label (GTK_LABEL (adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer))))
                        : "(icon alone)",
                        gtk_widget_get_width (button), gtk_label_get_label (GTK_LABEL (status)));
        g_assert_true (gtk_widget_has_css_class (button, "warning"));
        if (sizes[i].width == 800)
          {
            /* no words fit: the icon alone, round */
            g_assert_null (adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer)));
            g_assert_true (gtk_widget_has_css_class (button, "compact"));
            g_assert_false (gtk_widget_get_mapped (label));
            g_assert_false (gtk_widget_get_mapped (mt_find (window, "connection-short-label")));
          }
        /* the whole state where the button leaves it out */
        if (adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer)) != label)
          {
            g_assert_true (has (gtk_widget_get_tooltip_text (button), title_b));
            g_assert_true (has (gtk_widget_get_tooltip_text (button), "attempt"));
          }

        /* the row says it all, its tooltip with the attempt */
        TEST_ASSERT_EVENTUALLY (status_whole (status));
        g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (status)), "Reconnecting"));
        g_assert_true (has (gtk_widget_get_tooltip_text (status), "attempt"));

        screenshot (window, sizes[i].tag, dark);
      }

  /* Icon alone, still the button that lists the servers. */
  {
    GtkPopover *popover = lablink_connection_indicator_get_popover (indicator);
    g_autofree char *path = NULL;
    double variance = 0;

    g_assert_true (gtk_widget_has_css_class (button, "compact"));
    adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
    g_signal_emit_by_name (gtk_widget_get_first_child (button), "clicked");
    TEST_ASSERT_EVENTUALLY (gtk_widget_get_mapped (GTK_WIDGET (popover)));
    g_assert_true (gtk_widget_get_mapped (mt_find (window, "indicator-servers")));
    test_run_for (300);
    path = mt_screenshot (GTK_WIDGET (popover), "indicator-popover-800x600.png", &variance);
    g_assert_cmpfloat (variance, >, 50.0);
    gtk_popover_popdown (popover);
    TEST_ASSERT_EVENTUALLY (!gtk_widget_get_mapped (GTK_WIDGET (popover)));
    test_run_for (300);
  }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/indicator/narrow", Fixture, NULL, setup, test_narrow, teardown);

  return g_test_run ();
}
