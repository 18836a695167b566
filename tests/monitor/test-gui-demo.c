/* test-gui-demo.c — --demo: live values, in-process through the
 * application object; and the built executable starts and keeps running.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <signal.h>

#include "lablink-psu-panel.h"
#include "lablink-sim-server.h"
#include "monitor-test-util.h"

/* The first toplevel of @type (the About window, the shortcuts window). */
static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint i;

  for (i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return toplevel; /* the list keeps it */
    }
  return NULL;
}

/* Whether a GtkShortcutsShortcut under @widget has @title and @accelerator. */
static gboolean
has_shortcut (GtkWidget  *widget,
              const char *title,
              const char *accelerator)
{
  GtkWidget *child;

  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *t = NULL;
      g_autofree char *a = NULL;

      g_object_get (widget, "title", &t, "accelerator", &a, NULL);
      return g_strcmp0 (t, title) == 0 && g_strcmp0 (a, accelerator) == 0;
    }
  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (has_shortcut (child, title, accelerator))
      return TRUE;
  return FALSE;
}

static void
test_demo_in_process (void)
{
  LablinkApplication *app = mt_app_new ();
  LablinkWindow *window;
  LablinkSession *session;
  gint64 start = g_get_monotonic_time ();
  double value = NAN;
  const char *psu;

  lablink_application_set_options (app, NULL, NULL, NULL, TRUE);
  g_application_activate (G_APPLICATION (app));
  window = LABLINK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  session = lablink_window_get_session (window);
  g_assert_true (lablink_session_get_demo (session));

  TEST_WAIT (mt_meter_number (mt_find (window, "psu-ch1-voltage"), &value), TEST_TIMEOUT_MS);
  /* How long the first value took is a figure, not a check (the product
   * aims at 2 s; a busy machine or a sanitizer build takes longer). */
  g_test_message ("first value after %.0f ms: %g V",
                  (g_get_monotonic_time () - start) / 1000.0, value);
  g_assert_true (mt_meter_number (mt_find (window, "psu-ch1-voltage"), &value));
  g_assert_cmpfloat (fabs (value - 5.0), <, 0.1);

  psu = lablink_window_get_selected_equipment_id (window);
  g_assert_nonnull (psu);
  g_assert_true (lablink_session_is_stream_active (session, psu, LABLINK_STREAM_READINGS));
  g_assert_cmpstr (lablink_connection_indicator_get_text (lablink_window_get_connection_indicator (window)),
                   ==, "Connected (simulator)");

  /* What a new user sees a moment later. */
  {
    g_autofree char *path = NULL;
    double variance = 0;

    test_run_for (1500);
    path = mt_screenshot (GTK_WIDGET (window), "demo.png", &variance);
    g_assert_cmpfloat (variance, >, 100.0);
  }

  /* A simulated alarm: a toast and a line in the events list, not an error. */
  {
    LablinkEventsPanel *events = lablink_window_get_events_panel (window);
    guint toasts = lablink_window_get_n_toasts (window);

    lablink_sim_server_emit_event (lablink_session_get_sim_server (session), "alarm_event");
    TEST_WAIT (lablink_events_panel_get_n_events (events) >= 1 && lablink_window_get_n_toasts (window) > toasts,
               TEST_TIMEOUT_MS);
    g_assert_cmpuint (lablink_events_panel_get_n_events (events), >=, 1);
    g_assert_cmpuint (lablink_window_get_n_toasts (window), >, toasts);
    g_test_message ("event: %s", lablink_events_panel_get_text (events, 0));
  }

  /* The shortcuts window (gtk/help-overlay.ui) and the About window. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  {
    GtkWindow *shortcuts = NULL;

    TEST_WAIT ((shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW)) != NULL &&
               gtk_widget_get_mapped (GTK_WIDGET (shortcuts)) && gtk_widget_get_width (GTK_WIDGET (shortcuts)) > 0,
               TEST_TIMEOUT_MS);
    g_assert_nonnull (shortcuts);
    /* The meters' copy (lablink-readout.c) is listed with the rest. */
    g_assert_true (has_shortcut (GTK_WIDGET (shortcuts), "Copy the Focused Value", "<Control>c"));
    mt_assert_screenshot (GTK_WIDGET (shortcuts), "shortcuts.png");
    gtk_window_destroy (shortcuts);
  }
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  {
    GtkWindow *about = NULL;

    TEST_WAIT ((about = find_toplevel (ADW_TYPE_ABOUT_WINDOW)) != NULL, TEST_TIMEOUT_MS);
    g_assert_nonnull (about);
    g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
    g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
    gtk_window_destroy (about);
  }

  /* Alt+4 shows the events. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page", g_variant_new_string ("events"));
  g_assert_cmpstr (lablink_window_get_page (window), ==, "events");

  mt_close (app, window);
}

static void
test_demo_executable (void)
{
  const char *exe = g_getenv ("LABLINK_MONITOR");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  if (exe == NULL)
    {
      g_test_skip ("LABLINK_MONITOR is not set");
      return;
    }

  process = test_spawn ((const char * const[]) { exe, "--demo", NULL }, G_SUBPROCESS_FLAGS_NONE);

  /* Still running after 3 s: it started, showed its window, connected to
   * its simulator, and did not crash (a slow start only makes this easier). */
  test_run_for (3000);
  g_assert_nonnull (g_subprocess_get_identifier (process));
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
}

static void
test_version (void)
{
  const char *exe = g_getenv ("LABLINK_MONITOR");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  if (exe == NULL)
    {
      g_test_skip ("LABLINK_MONITOR is not set");
      return;
    }
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, exe, "--version", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "lablink-monitor " PACKAGE_VERSION "\n");
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add_func ("/gui/demo/in-process", test_demo_in_process);
  g_test_add_func ("/gui/demo/executable", test_demo_executable);
  g_test_add_func ("/gui/demo/version", test_version);

  return g_test_run ();
}
