/* test-wait.c — waiting for a condition on a main context, with a deadline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-wait.h"

/* How often a waiting context wakes up to look at the condition again. */
#define TICK_MS 10

static gboolean
expire_cb (gpointer data)
{
  ((TestDeadline *) data)->expired = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
test_deadline_start (TestDeadline *deadline,
                     GMainContext *context,
                     guint         timeout_ms)
{
  deadline->context = context ? context : g_main_context_get_thread_default ();
  deadline->expired = FALSE;

  deadline->timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (deadline->timeout, expire_cb, deadline, NULL);
  g_source_attach (deadline->timeout, deadline->context);

  deadline->tick = g_timeout_source_new (TICK_MS);
  g_source_set_callback (deadline->tick, tick_cb, NULL, NULL);
  g_source_attach (deadline->tick, deadline->context);
}

gboolean
test_deadline_iterate (TestDeadline *deadline)
{
  if (deadline->expired)
    return FALSE;
  g_main_context_iteration (deadline->context, TRUE);
  return TRUE;
}

void
test_deadline_end (TestDeadline *deadline)
{
  g_source_destroy (deadline->timeout);
  g_clear_pointer (&deadline->timeout, g_source_unref);
  g_source_destroy (deadline->tick);
  g_clear_pointer (&deadline->tick, g_source_unref);
}

gboolean
test_wait_until_in (GMainContext  *context,
                    TestCondition  condition,
                    gpointer       data,
                    guint          timeout_ms)
{
  TestDeadline deadline;
  gboolean ok;

  test_deadline_start (&deadline, context, timeout_ms);
  while (!(ok = condition (data)) && test_deadline_iterate (&deadline))
    ;
  test_deadline_end (&deadline);
  return ok;
}

gboolean
test_wait_until (TestCondition condition,
                 gpointer      data,
                 guint         timeout_ms)
{
  return test_wait_until_in (NULL, condition, data, timeout_ms);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

gboolean
test_wait_for_flag (gboolean *flag,
                    guint     timeout_ms)
{
  return test_wait_until (flag_set, flag, timeout_ms);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
test_run_for_in (GMainContext *context,
                 guint         ms)
{
  test_wait_until_in (context, never, NULL, ms);
}

void
test_run_for (guint ms)
{
  test_run_for_in (NULL, ms);
}

void
test_waiter_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TestWaiter *waiter = user_data;

  g_assert_null (waiter->result);
  waiter->result = g_object_ref (result);
}

static gboolean
waiter_done (gpointer data)
{
  return ((TestWaiter *) data)->result != NULL;
}

GAsyncResult *
test_waiter_wait_in (TestWaiter   *waiter,
                     GMainContext *context)
{
  if (!test_wait_until_in (context, waiter_done, waiter, TEST_TIMEOUT_MS))
    g_error ("an operation did not complete within %d s", TEST_TIMEOUT_MS / 1000);
  return g_steal_pointer (&waiter->result);
}

GAsyncResult *
test_waiter_wait (TestWaiter *waiter)
{
  return test_waiter_wait_in (waiter, NULL);
}

char *
test_read_line (GDataInputStream *stream)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter waiter = { 0 };
  char *line;

  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, cancellable, test_waiter_cb, &waiter);
  if (!test_wait_until (waiter_done, &waiter, TEST_TIMEOUT_MS))
    {
      g_cancellable_cancel (cancellable);
      g_test_fail_printf ("no line within %d s", TEST_TIMEOUT_MS / 1000);
    }
  result = test_waiter_wait (&waiter);
  line = g_data_input_stream_read_line_finish_utf8 (stream, result, NULL, &error);
  if (line != NULL)
    g_strchomp (line);
  return line;
}
