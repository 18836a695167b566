/* client-test-util.h — fixtures, a replaying SoupServer, running programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>
#include <lablink.h>

#include "test-common.h"

G_BEGIN_DECLS

/* ---- fixtures ---- */

/* All lines of a fixture file (e.g. "lablink-1.2.5-patched.jsonl"), as JSON
 * objects. Skips the test (returns NULL) when LABLINK_FIXTURES_DIR is unset. */
GPtrArray  *test_fixture_load          (const char *file_name);

/* The @nth (from 0) `rest` line of @lines matching @scenario (NULL: any),
 * @method, @path (exact, or a prefix when it ends with '*') and @status
 * (0: any). Fails the test when there is none. */
JsonObject *test_fixture_find_rest     (GPtrArray  *lines,
                                        const char *scenario,
                                        const char *method,
                                        const char *path,
                                        guint       status,
                                        guint       nth);

/* ---- a REST server replaying answers ---- */

typedef struct _MockServer MockServer;

typedef enum {
  MOCK_NORMAL = 0,
  MOCK_HANG = 1 << 0,     /* never answer */
  MOCK_CHUNKED = 1 << 1,  /* chunked transfer encoding, no Content-Length */
} MockFlags;

MockServer *mock_server_new            (void);
MockServer *mock_server_new_tls        (void);
void        mock_server_free           (MockServer *server);
const char *mock_server_get_url        (MockServer *server);
SoupServer *mock_server_get_soup       (MockServer *server);

/* Answers METHOD PATH (path with query) with @status, @content_type, @body. */
void        mock_server_add            (MockServer *server,
                                        const char *method,
                                        const char *path,
                                        guint       status,
                                        const char *content_type,
                                        const char *body,
                                        MockFlags   flags);
/* Same, from a fixture `rest` line (its method, path, status, body). */
void        mock_server_add_fixture    (MockServer *server,
                                        JsonObject *rest);
/* Adds a response header to the route METHOD PATH. */
void        mock_server_add_header     (MockServer *server,
                                        const char *method,
                                        const char *path,
                                        const char *name,
                                        const char *value);

guint       mock_server_get_n_requests (MockServer *server);
/* The last request seen, or the last one to METHOD PATH when given. */
const char *mock_server_last_method    (MockServer *server);
const char *mock_server_last_path      (MockServer *server);   /* with query */
const char *mock_server_last_auth      (MockServer *server);   /* Authorization, or NULL */
const char *mock_server_last_body      (MockServer *server);   /* request body text, or NULL */
JsonNode   *mock_server_last_json      (MockServer *server);   /* parsed body (transfer full) */

/* ---- a LablinkClient on a replaying server ---- */

typedef struct {
  GPtrArray     *patched;  /* lablink-1.2.5-patched.jsonl */
  GPtrArray     *auth;     /* lablink-1.2.5-auth.jsonl */
  MockServer    *server;
  LablinkClient *client;   /* on @server, 10 s timeout */
} TestReplay;

void        test_replay_setup          (TestReplay    *fixture,
                                        gconstpointer  data);
void        test_replay_teardown       (TestReplay    *fixture,
                                        gconstpointer  data);
/* Registers the test @path: @func (TestReplay *, gconstpointer) on a fresh
 * TestReplay. */
#define TEST_REPLAY_ADD(path, func) \
  g_test_add ((path), TestReplay, NULL, test_replay_setup, (func), test_replay_teardown)

/* Serves the @nth recorded exchange of @lines (see test_fixture_find_rest()). */
void        test_replay_add            (TestReplay    *fixture,
                                        GPtrArray     *lines,
                                        const char    *scenario,
                                        const char    *method,
                                        const char    *path,
                                        guint          status,
                                        guint          nth);

/* ---- blocking LablinkClient calls ---- */

/* lablink_client_request_async(), waited for. */
JsonNode   *test_client_request        (LablinkClient  *client,
                                        const char     *method,
                                        const char     *path,
                                        JsonNode       *body,
                                        GError        **error);
/* lablink_client_send_command_async(), waited for. */
JsonNode   *test_client_send_command   (LablinkClient  *client,
                                        const char     *equipment_id,
                                        const char     *action,
                                        JsonObject     *parameters,
                                        GError        **error);
/* lablink_client_capture_waveform_async(), waited for. */
JsonNode   *test_client_capture_waveform (LablinkClient  *client,
                                          const char     *equipment_id,
                                          guint           channel,
                                          GError        **error);

/* ---- ports ---- */

/* A free TCP port on 127.0.0.1 with nothing listening. */
guint16       test_free_port           (void);

/* ---- TLS tests ---- */

/* Whether a TLS backend (glib-networking) is there; when not, the test is
 * skipped and FALSE returned. */
gboolean      test_tls_available       (void);
/* Runs the current test again in a child process, which must pass within
 * @timeout_s (a deadline only a hang misses): TRUE in the child, which runs
 * the test and ends with _exit(0); FALSE in the parent once the child has
 * passed. For the TLS tests: the leak checker of GCC 12 crashes at exit on
 * the thread-local storage of the dlopen()ed TLS module. */
gboolean      test_run_in_child        (guint timeout_s);

/* ---- running programs ---- */

/* Runs @argv (iterating the main context meanwhile, so that an in-process
 * server can answer), with @env_extra ("NAME=VALUE"…, may be NULL) added to
 * the environment and no controlling terminal. Kills it after @timeout_s
 * (a deadline only a hang misses).
 * Returns the exit status; -1 when it was killed by a signal. */
int           test_run_program         (const char * const *argv,
                                        const char * const *env_extra,
                                        guint               timeout_s,
                                        char              **stdout_text,
                                        char              **stderr_text);

G_END_DECLS
