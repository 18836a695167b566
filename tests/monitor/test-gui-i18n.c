/* test-gui-i18n.c — the app runs translated: under LANGUAGE=de the window
 * shows the German catalogue built from po/de.po.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "monitor-test-util.h"

static void
test_german (void)
{
  LablinkApplication *app = mt_app_new ();
  LablinkWindow *window;

  /* The catalogue is the one the build made, not an installed one. */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Connected"), ==, "Verbunden");

  lablink_application_set_options (app, NULL, NULL, NULL, TRUE);
  g_application_activate (G_APPLICATION (app));
  window = LABLINK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);

  g_assert_true (mt_wait_connected (window, TEST_TIMEOUT_MS));
  g_assert_cmpstr (lablink_connection_indicator_get_text (lablink_window_get_connection_indicator (window)),
                   ==, "Verbunden (Simulator)");

  mt_close (app, window);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "de", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, LABLINK_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  mt_init (&argc, &argv);
  g_test_add_func ("/gui/i18n/german", test_german);
  return g_test_run ();
}
