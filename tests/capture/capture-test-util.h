/* capture-test-util.h — helpers of the capture and export tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <lablink.h>

#include "test-common.h"

G_BEGIN_DECLS

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

/* Doubles equal, NaN equal to NaN. */
gboolean        capture_test_same_double   (double        a,
                                            double        b);

G_END_DECLS
