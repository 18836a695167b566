/* test-wait.h — waiting for a condition on a main context, with a deadline
 *
 * Tests never assert how fast something happens: they wait until it has
 * happened, bounded by a deadline so generous that only a real hang misses
 * it, on a 2-core machine that is busy with other test suites.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The deadline of every wait that is expected to succeed. */
#define TEST_TIMEOUT_MS 60000

typedef gboolean (*TestCondition) (gpointer data);

/* Iterates @context (NULL: the thread-default one) until @condition holds or
 * @timeout_ms passed; returns whether it holds. The context is woken every
 * few milliseconds, so a condition another thread changes is seen too. */
gboolean      test_wait_until_in   (GMainContext  *context,
                                    TestCondition  condition,
                                    gpointer       data,
                                    guint          timeout_ms);
gboolean      test_wait_until      (TestCondition  condition,
                                    gpointer       data,
                                    guint          timeout_ms);
/* Iterates until *@flag is TRUE or @timeout_ms passed; returns *@flag. */
gboolean      test_wait_for_flag   (gboolean      *flag,
                                    guint          timeout_ms);

/* Iterates the context for @ms milliseconds, checking nothing: lets time
 * pass (a protocol timer expire, a stream deliver what it has), never a
 * substitute for waiting for a condition. */
void          test_run_for_in      (GMainContext  *context,
                                    guint          ms);
void          test_run_for         (guint          ms);

/* A deadline for conditions written as an expression, see TEST_WAIT(). */
typedef struct {
  GMainContext *context;
  GSource      *timeout;
  GSource      *tick;
  gboolean      expired;
} TestDeadline;

void          test_deadline_start   (TestDeadline  *deadline,
                                     GMainContext  *context,
                                     guint          timeout_ms);
/* One blocking iteration of the context; FALSE once the deadline passed. */
gboolean      test_deadline_iterate (TestDeadline  *deadline);
void          test_deadline_end     (TestDeadline  *deadline);

/* Iterates the thread-default context until @cond holds or @timeout_ms
 * passed. The caller checks @cond afterwards. */
#define TEST_WAIT(cond, timeout_ms)                                            \
  G_STMT_START {                                                               \
    TestDeadline test_deadline_;                                               \
    test_deadline_start (&test_deadline_, NULL, (timeout_ms));                 \
    while (!(cond) && test_deadline_iterate (&test_deadline_))                 \
      ;                                                                        \
    test_deadline_end (&test_deadline_);                                       \
  } G_STMT_END

/* Waits up to TEST_TIMEOUT_MS for @cond; fails the test if it never holds. */
#define TEST_ASSERT_EVENTUALLY(cond)                                           \
  G_STMT_START {                                                               \
    TEST_WAIT (cond, TEST_TIMEOUT_MS);                                         \
    if (!(cond))                                                               \
      g_assertion_message_expr (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,   \
                                "eventually (" #cond ")");                     \
  } G_STMT_END

/* ---- the result of an asynchronous operation ---- */

typedef struct {
  GAsyncResult *result;
} TestWaiter;

/* A GAsyncReadyCallback: keeps a ref of @result in the TestWaiter @user_data. */
void          test_waiter_cb       (GObject       *source,
                                    GAsyncResult  *result,
                                    gpointer       user_data);
/* Iterates the thread-default context until the operation completed;
 * fails the test after TEST_TIMEOUT_MS. Returns the result (transfer full). */
GAsyncResult *test_waiter_wait     (TestWaiter    *waiter);
/* Same on @context (NULL: the thread-default one). */
GAsyncResult *test_waiter_wait_in  (TestWaiter    *waiter,
                                    GMainContext  *context);

/* Reads one line of @stream (iterating the thread-default context); NULL at
 * the end of the stream, or after g_test_fail() when nothing came within
 * TEST_TIMEOUT_MS. */
char         *test_read_line       (GDataInputStream *stream);

G_END_DECLS
