/* test-gui-discovery.c — "Found on the Network" in the connection popover
 *
 * On a private system bus without Avahi the popover says "Discovery
 * unavailable: no Avahi daemon" (and everything else works: the window is
 * connected to its simulator). Where the machine allows a private network
 * namespace (test-avahi.h), a private avahi-daemon then starts: the line
 * goes, an announced simulator appears in the list, activating its row
 * connects the window to it, and its row goes when it exits. Screenshots of
 * the popover at the default size, 1600×1000 and 800×600.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>

#include "lablink-connection-indicator.h"
#include "monitor-test-util.h"
#include "test-avahi.h"

#define ANNOUNCED_NAME "Bench 2 (simulator)"

static TestAvahi *bus;
static char *no_bus_reason;

/* Opens the popover (again) and saves it as discovery-NAME.png. */
static void
screenshot (LablinkConnectionIndicator *indicator,
            const char                 *name)
{
  GtkPopover *popover = lablink_connection_indicator_get_popover (indicator);
  g_autofree char *file = g_strdup_printf ("discovery-%s.png", name);
  g_autofree char *path = NULL;
  double variance;

  gtk_popover_popdown (popover);
  TEST_WAIT (!gtk_widget_get_mapped (GTK_WIDGET (popover)), TEST_TIMEOUT_MS);
  lablink_connection_indicator_popup (indicator);
  TEST_ASSERT_EVENTUALLY (gtk_widget_get_mapped (GTK_WIDGET (popover)) &&
                          gtk_widget_get_height (GTK_WIDGET (popover)) > 0);
  test_run_for (300);
  path = mt_screenshot (GTK_WIDGET (popover), file, &variance);
  g_test_message ("screenshot %s (variance %.0f)", path, variance);
  g_assert_cmpfloat (variance, >, 10.0);
}

static GtkWidget *
first_row (GtkWidget *list)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);

  return row != NULL ? GTK_WIDGET (row) : NULL;
}

static void
test_discovery (MtFixture     *f,
                gconstpointer  data)
{
  LablinkWindow *window = f->window;
  LablinkConnectionIndicator *indicator = lablink_window_get_connection_indicator (window);
  LablinkSession *session = lablink_window_get_session (window);
  LablinkDiscovery *discovery;
  GtkWidget *status;
  GtkWidget *list;
  GtkWidget *row;
  g_autoptr(TestSim) announced = NULL;
  g_autofree char *reason = NULL;

  /* No browsing before the popover was open. */
  g_assert_null (lablink_connection_indicator_get_discovery (indicator));
  lablink_connection_indicator_popup (indicator);
  TEST_ASSERT_EVENTUALLY (gtk_widget_get_mapped (GTK_WIDGET (lablink_connection_indicator_get_popover (indicator))));
  discovery = lablink_connection_indicator_get_discovery (indicator);
  g_assert_nonnull (discovery);

  /* No daemon: a dim line says so; the app works. */
  status = mt_find (window, "discovery-status");
  list = mt_find (window, "discovered-list");
  g_assert_nonnull (status);
  g_assert_nonnull (list);
  g_assert_false (lablink_discovery_get_available (discovery));
#ifdef HAVE_AVAHI
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (status)), ==, "Discovery unavailable: no Avahi daemon");
#else
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (status)), ==, "Discovery unavailable: built without Avahi");
#endif
  g_assert_true (gtk_widget_get_mapped (status));
  g_assert_false (gtk_widget_get_visible (list));
  g_assert_cmpstr (lablink_connection_indicator_get_text (indicator), ==, "Connected");
  screenshot (indicator, "unavailable");

  /* A daemon, where the machine allows one. */
  if (bus == NULL)
    {
      g_test_skip (no_bus_reason);
      return;
    }
  if (!test_avahi_start_daemon (bus, &reason))
    {
      g_test_skip (reason);
      return;
    }
  TEST_ASSERT_EVENTUALLY (lablink_discovery_get_available (discovery));
  TEST_ASSERT_EVENTUALLY (!gtk_widget_get_visible (status) && gtk_widget_get_visible (list));
  screenshot (indicator, "searching");

  announced = test_sim_spawn ((const char *[]) { "--announce", "--announce-name", ANNOUNCED_NAME, NULL });
  TEST_ASSERT_EVENTUALLY ((row = first_row (list)) != NULL);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, ANNOUNCED_NAME);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   test_sim_get_url (announced)));
  g_test_message ("row: %s — %s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                  adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  screenshot (indicator, "found-default");
  mt_resize (window, 1600, 1000);
  screenshot (indicator, "found-1600x1000");
  mt_resize (window, 800, 600);
  screenshot (indicator, "found-800x600");

  /* Activating the row connects the window to that server. */
  gtk_widget_activate (row);
  TEST_ASSERT_EVENTUALLY (g_strcmp0 (lablink_session_get_server_url (session), test_sim_get_url (announced)) == 0);
  g_assert_true (mt_wait_connected (window, TEST_TIMEOUT_MS));
  g_assert_true (mt_wait_equipment (window, TEST_TIMEOUT_MS));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (lablink_connection_indicator_get_popover (indicator))));

  /* It withdraws its announcement when it exits: its row goes. (The
   * window goes back to its first server first.) */
  mt_activate (window, "connect", g_variant_new ("(ss)", test_sim_get_url (f->sim), ""));
  TEST_ASSERT_EVENTUALLY (g_strcmp0 (lablink_session_get_server_url (session), test_sim_get_url (f->sim)) == 0);
  g_assert_true (mt_wait_connected (window, TEST_TIMEOUT_MS));
  g_assert_true (mt_wait_equipment (window, TEST_TIMEOUT_MS));
  g_assert_cmpint (test_sim_stop (announced, SIGTERM), ==, 0);
  TEST_ASSERT_EVENTUALLY (first_row (list) == NULL);
  test_avahi_stop_daemon (bus);
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything else: namespaces are per thread. */
  const char *isolation = test_avahi_isolate ();
  int status;

  mt_init (&argc, &argv);
  if (isolation != NULL)
    g_test_message ("no private network namespace: %s", isolation);
  /* libdbus reads the system bus address once per process: one private bus
   * (without Avahi until the test starts it), or none at all. */
  bus = test_avahi_new_bus (&no_bus_reason);
  if (bus == NULL)
    test_avahi_no_bus ();

  g_test_add ("/gui/discovery", MtFixture, NULL, mt_setup, test_discovery, mt_teardown);
  status = g_test_run ();
  g_clear_pointer (&bus, test_avahi_free);
  g_free (no_bus_reason);
  return status;
}
