/* test-sim.h — lablink-sim (and other helper programs) as children of a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _TestSim TestSim;

/* Starts "$LABLINK_SIM --address 127.0.0.1 --port 0 EXTRA_ARGS…" and reads
 * the URL it prints. The simulator dies with the test (PR_SET_PDEATHSIG). */
TestSim     *test_sim_spawn        (const char * const *extra_args);
const char  *test_sim_get_url      (TestSim            *sim);
guint        test_sim_get_port     (TestSim            *sim);
GSubprocess *test_sim_get_process  (TestSim            *sim);
/* SIGKILL, as a crash or a power cut would; waits for the exit. */
void         test_sim_kill         (TestSim            *sim);
/* Sends @signum (SIGSTOP makes a link that is up but dead; SIGCONT revives it). */
void         test_sim_signal       (TestSim            *sim,
                                    int                 signum);
/* After test_sim_kill(): starts the simulator again on the same port. */
void         test_sim_restart      (TestSim            *sim);
/* Sends @signum, waits (bounded) for the exit: its status, -1 if killed. */
int          test_sim_stop         (TestSim            *sim,
                                    int                 signum);
/* SIGTERM (and SIGCONT, should it be stopped), a bounded wait, then SIGKILL. */
void         test_sim_free         (TestSim            *sim);

/* A blocking REST call for test set-up: the parsed JSON answer, or NULL. */
JsonNode    *test_sim_rest         (TestSim            *sim,
                                    const char         *method,
                                    const char         *path,
                                    const char         *body,
                                    guint              *status);
/* The same, asserting a 2xx answer with a JSON body. */
JsonNode    *test_sim_rest_ok      (TestSim            *sim,
                                    const char         *method,
                                    const char         *path,
                                    const char         *body);

/* Spawns @argv (a helper program) with @flags; it dies with the test. */
GSubprocess *test_spawn            (const char * const *argv,
                                    GSubprocessFlags    flags);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestSim, test_sim_free)

G_END_DECLS
