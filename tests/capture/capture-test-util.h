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
/* How many entries of @directory start with @prefix. */
guint           capture_test_count_files   (const char   *directory,
                                            const char   *prefix);

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

/* A lablink-sim process (started with @args), a client and a connected
 * manager, a directory for captures. */
typedef struct {
  TestSim              *sim;
  char                 *root;
  LablinkClient        *client;
  LablinkStreamManager *manager;
} CaptureSimFixture;

void            capture_sim_fixture_setup    (CaptureSimFixture  *fixture,
                                              const char * const *args);
void            capture_sim_fixture_teardown (CaptureSimFixture  *fixture);
void            capture_sim_control          (CaptureSimFixture  *fixture,
                                              const char         *id,
                                              const char         *action);
/* A running acquisition of @equipment_id's CH1 and CH2. */
char           *capture_sim_start_acquisition (CaptureSimFixture *fixture,
                                               const char        *equipment_id,
                                               guint              rate,
                                               guint              buffer);
/* The simulator's record of every sample it generated (µs, UTC). */
GArray         *capture_sim_get_generated    (CaptureSimFixture  *fixture,
                                              const char         *id);
/* The times of every sample @capture holds. */
GArray         *capture_test_read_times      (LablinkCapture     *capture);
/* From the first stored sample on: stored ⊆ @generated, in order, and
 * each missing sample strictly inside a gap marked DataLost (asserted).
 * Returns the number missing; @n_lost_gaps: gaps marked DataLost. */
guint           capture_test_check_missing   (LablinkCapture     *capture,
                                              GArray             *generated,
                                              guint              *n_lost_gaps);

G_END_DECLS
