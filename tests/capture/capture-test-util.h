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
 * manager that reconnects fast (backoff 50…200 ms) and counts its drops,
 * a directory for captures. */
typedef struct {
  TestSim              *sim;
  char                 *root;
  LablinkClient        *client;
  LablinkStreamManager *manager;
  guint                 drops;        /* CONNECTED → anything else */
  gboolean              connected;
} CaptureSimFixture;

void            capture_sim_fixture_setup    (CaptureSimFixture  *fixture,
                                              const char * const *args);
void            capture_sim_fixture_teardown (CaptureSimFixture  *fixture);
void            capture_sim_control          (CaptureSimFixture  *fixture,
                                              const char         *id,
                                              const char         *action);
/* Drops the link (POST /api/sim/drop) and waits until the manager is back. */
void            capture_sim_drop_and_wait    (CaptureSimFixture  *fixture);
/* An acquisition of @equipment_id's CH1 and CH2, created and left idle. */
char           *capture_sim_create_acquisition (CaptureSimFixture *fixture,
                                                const char        *equipment_id,
                                                guint              rate,
                                                guint              buffer);
/* The same, started. */
char           *capture_sim_start_acquisition (CaptureSimFixture *fixture,
                                               const char        *equipment_id,
                                               guint              rate,
                                               guint              buffer);
/* The simulator's record of every sample it generated (µs, UTC). */
GArray         *capture_sim_get_generated    (CaptureSimFixture  *fixture,
                                              const char         *id);
/* After the acquisition @id stopped: waits until @capture holds the last
 * sample the simulator generated; returns the simulator's record. */
GArray         *capture_sim_wait_generated   (CaptureSimFixture  *fixture,
                                              LablinkCapture     *capture,
                                              const char         *id);
/* The times of every sample @capture holds (asserted strictly increasing,
 * the first channel's values finite). */
GArray         *capture_test_read_times      (LablinkCapture     *capture);
/* ---- samples missing from a capture ---- */

/* The gap that may hold a sample missing from the store at @t: its index
 * in @gaps, or -1 (the walk then fails the test). */
typedef gint (*CaptureGapRule) (const LablinkCaptureGap *gaps,
                                guint                    n_gaps,
                                gint64                   t,
                                gint64                   slack);

/* A DataLost gap: strictly inside a gap (an open one has no end) that says
 * DataLost, as what no backfill could fetch is. @slack is unused. */
gint            capture_gap_rule_lost        (const LablinkCaptureGap *gaps,
                                              guint                    n_gaps,
                                              gint64                   t,
                                              gint64                   slack);
/* A live outage: the latest gap that, widened by @slack µs on either side,
 * holds @t (its ends are the client's clock when the link dropped and came
 * back; samples in flight around them are lost too). Whether the gap says
 * DataLost is the caller's to check (CaptureMissing.gap_missing). */
gint            capture_gap_rule_outage      (const LablinkCaptureGap *gaps,
                                              guint                    n_gaps,
                                              gint64                   t,
                                              gint64                   slack);

/* What capture_test_walk_missing() found. */
typedef struct {
  guint              first;        /* the first stored sample is generated[first] */
  guint              n_missing;    /* generated from there on, not stored */
  guint              n_runs;       /* runs of consecutive missing samples */
  guint              n_gaps;
  guint              n_lost_gaps;  /* gaps that say DataLost */
  LablinkCaptureGap *gaps;         /* the capture's gaps */
  gboolean          *gap_missing;  /* [n_gaps]: a sample went missing in gap k */
} CaptureMissing;

void            capture_missing_clear        (CaptureMissing     *missing);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CaptureMissing, capture_missing_clear)

/* Walks @generated (the simulator's record) against what @capture holds,
 * from its first stored sample on: asserts stored ⊆ @generated, in order,
 * none twice, and each missing sample in the gap @rule (with @slack)
 * allows; fills @missing. */
void            capture_test_walk_missing    (LablinkCapture     *capture,
                                              GArray             *generated,
                                              CaptureGapRule      rule,
                                              gint64              slack,
                                              CaptureMissing     *missing);

G_END_DECLS
