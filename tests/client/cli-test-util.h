/* cli-test-util.h — running lablink-cli in the tests of its commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "client-test-util.h"

G_BEGIN_DECLS

/* Runs LABLINK_CLI_PATH with the arguments (NULL-terminated), @env_extra
 * ("NAME=VALUE"…, may be NULL) added to its environment; kills it after a
 * deadline only a hang misses. Returns its exit status (-1: killed). */
int                   run_cli                 (const char * const *env_extra,
                                               char              **out,
                                               char              **err,
                                               ...) G_GNUC_NULL_TERMINATED;

/* Fails the test unless @haystack contains @needle. */
void                  assert_contains         (const char        *haystack,
                                               const char        *needle);
/* Pieces of @text split at newlines ("a\nb\n" → 3). */
guint                 count_lines             (const char        *text);
/* A timestamp as lablink-cli prints it, in µs (fails the test if it is none). */
gint64                parse_time              (const char        *text);

/* Sends SIGINT to @process and waits for it to exit with status 0; fails
 * the test (saying @what did not stop) if it does not. */
void                  interrupt_cli           (GSubprocess       *process,
                                               const char        *what);

/* A stream manager of the test's own, connected to @sim: streams are
 * global, so it sees the frames of streams any client runs. */
LablinkStreamManager *connect_listener        (TestSim           *sim);

G_END_DECLS
