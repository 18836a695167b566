/* test-sim.h — helpers for tests that talk to a lablink-sim process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _TestSim TestSim;

TestSim    *test_sim_spawn        (const char * const *extra_args);
const char *test_sim_get_url      (TestSim            *sim);
guint       test_sim_get_port     (TestSim            *sim);
void        test_sim_kill         (TestSim            *sim);
void        test_sim_signal       (TestSim            *sim,
                                   int                 signum);
void        test_sim_restart      (TestSim            *sim);
void        test_sim_free         (TestSim            *sim);

JsonNode   *test_sim_rest         (TestSim            *sim,
                                   const char         *method,
                                   const char         *path,
                                   const char         *body,
                                   guint              *status);

typedef gboolean (*TestCondition) (gpointer data);

gboolean    test_wait_until       (TestCondition       condition,
                                   gpointer            data,
                                   guint               timeout_ms);
void        test_run_for          (guint               ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestSim, test_sim_free)

G_END_DECLS
