/* sim-test-util.h — running the simulator and talking to it, for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "lablink-sim-server.h"
#include "test-common.h"

G_BEGIN_DECLS

/* ---- the server, in-process on its own thread and GMainContext ---- */

typedef struct _SimThread SimThread;
typedef void (*SimConfigureFunc) (LablinkSimServer *server,
                                  gpointer          user_data);

SimThread        *sim_thread_start      (SimConfigureFunc  configure,
                                         gpointer          user_data);
const char       *sim_thread_get_url    (SimThread        *st);
LablinkSimServer *sim_thread_get_server (SimThread        *st);
void              sim_thread_run_sync   (SimThread        *st,
                                         SimConfigureFunc  func,
                                         gpointer          user_data);
void              sim_thread_stop       (SimThread        *st);

/* ---- the test side: the thread-default context of the test thread ----
 * (waits: test_wait_until() and test_run_for() of tests/common) */

SoupSession *test_session_new     (void);

typedef struct {
  guint       status;
  char       *content_type;
  char       *body;
  gsize       length;
  JsonNode   *json;     /* NULL unless the body parsed as JSON */
} HttpResult;

HttpResult *http_request          (SoupSession *session,
                                   const char  *method,
                                   const char  *base_url,
                                   const char  *path,
                                   const char  *json_body);
void        http_result_free      (HttpResult  *result);
JsonObject *http_result_object    (HttpResult  *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HttpResult, http_result_free)

typedef struct {
  char   *text;
  gint64  received;   /* monotonic µs */
  gboolean binary;
} WsFrame;

typedef struct {
  SoupWebsocketConnection *conn;
  GQueue                   frames;      /* WsFrame */
  guint                    n_received;
  gboolean                 closed;
  gushort                  close_code;
  char                    *close_reason;
} WsClient;

WsClient   *ws_connect            (SoupSession *session,
                                   const char  *base_url,
                                   const char  *query,
                                   guint       *http_status);
void        ws_send               (WsClient    *client,
                                   const char  *text);
void        ws_send_binary        (WsClient    *client,
                                   const char  *text);
WsFrame    *ws_next               (WsClient    *client,
                                   guint        timeout_ms);
WsFrame    *ws_wait_type          (WsClient    *client,
                                   const char  *type,
                                   const char  *equipment_id,
                                   guint        timeout_ms);
gboolean    ws_collect_n          (WsClient    *client,
                                   const char  *type,
                                   const char  *equipment_id,
                                   guint        n,
                                   GPtrArray   *out);
guint       ws_collect            (WsClient    *client,
                                   const char  *type,
                                   const char  *equipment_id,
                                   guint        duration_ms,
                                   GPtrArray   *out);
gboolean    ws_wait_closed        (WsClient    *client,
                                   guint        timeout_ms);
void        ws_drain              (WsClient    *client);
void        ws_client_free        (WsClient    *client);
void        ws_frame_free         (WsFrame     *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsFrame, ws_frame_free)

JsonNode   *parse_json            (const char  *text);
JsonObject *frame_object          (WsFrame     *frame,
                                   JsonNode   **node_out);
const char *object_get_str        (JsonObject  *object,
                                   const char  *member);
double      object_get_num        (JsonObject  *object,
                                   const char  *member);

/* ---- the fixture of most simulator tests ---- */

typedef struct {
  SimThread   *sim;
  SoupSession *session;
  const char  *url;
} SimFixture;

/* Starts the server (configured by @configure with @user_data) and a
 * session to it. */
void        sim_fixture_start     (SimFixture       *f,
                                   SimConfigureFunc  configure,
                                   gpointer          user_data);
void        sim_fixture_stop      (SimFixture       *f);
/* A WebSocket to the server (with @query, nullable), asserting it opened. */
WsClient   *sim_fixture_ws_connect (SimFixture      *f,
                                   const char       *query);

G_END_DECLS
