/* cli-test-util.c — running lablink-cli in the tests of its commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "cli-test-util.h"

#define CLI_TIMEOUT_S 60

int
run_cli (const char * const *env_extra,
         char              **out,
         char              **err,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) LABLINK_CLI_PATH);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return test_run_program ((const char * const *) argv->pdata, env_extra, CLI_TIMEOUT_S, out, err);
}

void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack ? haystack : "(null)", needle);
}

guint
count_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strv_length (lines);
}

gint64
parse_time (const char *text)
{
  gint64 usec = 0;

  g_assert_true (lablink_parse_timestamp (text, strlen (text), &usec));
  return usec;
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

void
interrupt_cli (GSubprocess *process,
               const char  *what)
{
  gboolean done = FALSE;

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  if (!test_wait_for_flag (&done, TEST_TIMEOUT_MS))
    {
      g_subprocess_force_exit (process);
      test_wait_for_flag (&done, TEST_TIMEOUT_MS);
      g_error ("%s did not stop on SIGINT", what);
    }
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

LablinkStreamManager *
connect_listener (TestSim *sim)
{
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStreamManager) manager = lablink_stream_manager_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter waiter = { 0 };

  lablink_stream_manager_connect_async (manager, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  g_assert_true (lablink_stream_manager_connect_finish (manager, result, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&manager);
}
