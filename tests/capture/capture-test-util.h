/* capture-test-util.h — helpers of the capture and export tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <lablink.h>

G_BEGIN_DECLS

/* Every wait of these tests is bounded by this. */
#define CAPTURE_TEST_TIMEOUT_MS 15000

/* A new empty directory under the temporary directory. */
char           *capture_test_make_tmpdir   (void);
/* Deletes @path and everything under it (only what a test created). */
void            capture_test_rm_rf         (const char   *path);

/* The deterministic value of channel @channel at time @t (NaN now and then). */
double          capture_test_value         (gint64        t,
                                            guint         channel);
/* A stopped capture under @root of @n_rows rows at 1 kHz from @t0 (µs),
 * channels "CH1".. "CHn" (units V), @chunk_rows rows per chunk. */
LablinkCapture *capture_test_make          (const char   *root,
                                            guint64       n_rows,
                                            guint         n_channels,
                                            guint         chunk_rows,
                                            gint64        t0);

/* Iterates the thread-default main context for @ms milliseconds. */
void            capture_test_run_for       (guint         ms);
/* Iterates until *@result is set or @timeout_ms passed; returns whether set. */
gboolean        capture_test_wait_result   (GAsyncResult **result,
                                            guint          timeout_ms);
/* A GAsyncReadyCallback storing a ref of the result in *(GAsyncResult **) @user_data. */
void            capture_test_store_result  (GObject       *source,
                                            GAsyncResult  *result,
                                            gpointer       user_data);
/* Reads one line from @stream within @timeout_ms (iterating the context);
 * NULL at the end of the stream or on timeout. */
char           *capture_test_read_line     (GDataInputStream *stream,
                                            guint             timeout_ms);

/* Spawns @argv with its stdout piped; the child is killed if the test dies. */
GSubprocess    *capture_test_spawn         (const char * const *argv);

/* Doubles equal, NaN equal to NaN. */
gboolean        capture_test_same_double   (double        a,
                                            double        b);

G_END_DECLS
