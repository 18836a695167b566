/* main.c — lablink-monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "lablink-application.h"

static gboolean no_session_bus;

/* Without a session bus (ssh -X, a container) GLib and GTK each try to reach
 * one and may not agree on the outcome: a GtkApplication that has a
 * connection but no registered object path then fails an assertion for every
 * exported action change. Decide once, before either looks: no bus means
 * "disabled:", said in one line, and GTK's own warning about the same fact is
 * not repeated. */
static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if (no_session_bus && (log_level & G_LOG_LEVEL_WARNING) != 0)
    {
      for (gsize i = 0; i < n_fields; i++)
        if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0 &&
            g_str_has_prefix (fields[i].value, "Unable to acquire session bus"))
          return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
check_session_bus (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");

  if (g_strcmp0 (address, "disabled:") == 0)
    {
      no_session_bus = TRUE;
      return;
    }

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus != NULL)
    return;

  no_session_bus = TRUE;
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  g_printerr (_("lablink-monitor: no D-Bus session bus (%s); running without desktop integration\n"),
              error->message);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(LablinkApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_log_set_writer_func (log_writer, NULL, NULL);
  check_session_bus ();

  app = lablink_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
