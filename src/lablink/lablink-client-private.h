/* lablink-client-private.h — what the files of LablinkClient share
 *
 * LablinkClient is one class over sibling files:
 *
 * - lablink-client.c: the object, its URLs, settings and login state
 * - lablink-client-request.c: one REST request, from sending to a typed result
 * - lablink-client-errors.c: failures and unexpected answers as GErrors that say what to do
 * - lablink-client-certificate.c: TLS: the pinned fingerprint of a self-signed server, and
 *   the certificate a refused server presented
 * - lablink-client-server.c: any request, `GET /api` and `GET /health`
 * - lablink-client-equipment.c: the instruments: list, status, commands, snapshots, waveforms
 * - lablink-client-acquisition.c: acquisition sessions
 * - lablink-client-security.c: login, token refresh and logout
 * - lablink-client-locks.c: equipment locks: the lock session, acquire, release, keep-alive
 * - lablink-client-lock-status.c: who holds a lock (status), who waits for it (queue)
 * - lablink-lock-info.c: a lock's state (LablinkLockInfo) and lock refusals as GErrors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "lablink-client.h"
#include "lablink-locks.h"
#include "lablink-message-private.h"

G_BEGIN_DECLS

struct _LablinkClient
{
  GObject parent_instance;

  SoupSession *session;

  char *server_url;      /* normalised: scheme://host[:port][/prefix], no trailing slash */
  char *scheme;          /* "http" or "https" */
  char *host;
  int port;              /* -1 = the scheme's default */
  char *path;            /* "" or "/prefix" */

  char *ws_url_override;

  char *username;
  char *access_token;
  char *refresh_token;

  guint timeout;
  guint64 max_response_size;

  /* TLS (lablink-client-certificate.c) */
  char *pinned_certificate;           /* normalised "SHA256:…", or NULL */
  GTlsCertificate *peer_certificate;  /* presented at the last refused handshake */
  GTlsCertificateFlags peer_certificate_errors;

  /* equipment locks (lablink-client-locks.c) */
  char *lock_session_id;
  char *lock_session_name;
  GHashTable *held_locks;  /* equipment id → GINT_TO_POINTER (LablinkLockMode + 1) */

  /* the server's clock (lablink-client-clock.c) */
  gboolean server_zone_known;
  gint server_zone_offset_s;
};

typedef enum {
  LABLINK_RESULT_JSON,            /* any JSON value */
  LABLINK_RESULT_OBJECT,          /* a JSON object */
  LABLINK_RESULT_ARRAY_OR_OBJECT, /* lists */
  LABLINK_RESULT_EQUIPMENT_LIST,  /* → GPtrArray of LablinkEquipment */
  LABLINK_RESULT_COMMAND,         /* object whose "success" is not false */
  LABLINK_RESULT_SUCCESS,         /* object with "success": true → boolean */
  LABLINK_RESULT_ACQUISITION_ID,  /* → char* */
  LABLINK_RESULT_LOGIN,           /* tokens → boolean */
  LABLINK_RESULT_REFRESH,         /* tokens → boolean */
  LABLINK_RESULT_BYTES,           /* the body as it came (2xx, within the size limit) → GBytes */
} LablinkResultKind;

typedef enum {
  LABLINK_REQUEST_DEFAULT = 0,
  LABLINK_REQUEST_NO_AUTH = 1 << 0,   /* do not send the access token */
  LABLINK_REQUEST_SENSITIVE = 1 << 1, /* the body holds a secret: zero it when done */
  LABLINK_REQUEST_LOCKS = 1 << 2,     /* 401/403/409 may be lock refusals (lablink-lock-info.c) */
} LablinkRequestFlags;

typedef struct {
  SoupMessage *message;
  char *method;
  char *path;
  char *username;          /* LABLINK_RESULT_LOGIN */
  char *equipment_id;      /* LABLINK_REQUEST_LOCKS: the instrument concerned */
  LablinkResultKind kind;
  LablinkRequestFlags flags;

  GCancellable *cancellable;  /* ours: cancelled on timeout or by the caller's */
  GSource *cancel_source;     /* watches the caller's cancellable */
  GSource *timeout_source;
  gboolean timed_out;

  GInputStream *stream;
  GByteArray *body;

  char *pinned_certificate;           /* the client's pin when the request started */
  GTlsCertificate *peer_certificate;  /* a certificate refused during the handshake */
  GTlsCertificateFlags peer_certificate_errors;
} LablinkRequest;

/* lablink-client.c */
G_GNUC_INTERNAL
void _lablink_client_secret_free (gpointer data);
G_GNUC_INTERNAL
void _lablink_client_emit_lock_changed (LablinkClient *self,
                                        const char    *equipment_id);
G_GNUC_INTERNAL
void _lablink_client_set_tokens (LablinkClient *self,
                                 const char    *access_token,
                                 const char    *refresh_token,
                                 const char    *username,
                                 gboolean       set_refresh_and_username);

G_GNUC_INTERNAL
void _lablink_client_notify_pinned_certificate (LablinkClient *self);

/* lablink-client-certificate.c */
G_GNUC_INTERNAL
void _lablink_client_watch_certificate (LablinkClient  *self,
                                        LablinkRequest *request);
G_GNUC_INTERNAL
GError *_lablink_client_certificate_error (LablinkClient  *self,
                                           LablinkRequest *request);

/* lablink-client-request.c */
G_GNUC_INTERNAL
void _lablink_client_start_request (LablinkClient       *self,
                                    const char          *method,
                                    const char          *path,
                                    JsonNode            *body,
                                    LablinkRequestFlags  flags,
                                    LablinkResultKind    kind,
                                    const char          *username,
                                    GCancellable        *cancellable,
                                    gpointer             source_tag,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
G_GNUC_INTERNAL
void _lablink_client_start_lock_request (LablinkClient       *self,
                                         const char          *method,
                                         const char          *path,
                                         JsonNode            *body,
                                         LablinkResultKind    kind,
                                         const char          *equipment_id,
                                         GCancellable        *cancellable,
                                         gpointer             source_tag,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
G_GNUC_INTERNAL
void _lablink_client_return_invalid_argument (LablinkClient       *self,
                                              gpointer             source_tag,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data,
                                              const char          *message);
G_GNUC_INTERNAL
gboolean _lablink_client_check_id (LablinkClient       *self,
                                   const char          *id,
                                   const char          *what,
                                   gpointer             source_tag,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
G_GNUC_INTERNAL
gpointer _lablink_client_finish_pointer (LablinkClient  *self,
                                         GAsyncResult   *result,
                                         gpointer        source_tag,
                                         GError        **error);
G_GNUC_INTERNAL
gboolean _lablink_client_finish_boolean (LablinkClient  *self,
                                         GAsyncResult   *result,
                                         gpointer        source_tag,
                                         GError        **error);
G_GNUC_INTERNAL
char *_lablink_client_escape_segment (const char *segment);
G_GNUC_INTERNAL
char *_lablink_client_id_path (const char *prefix,
                               const char *id,
                               const char *suffix);
G_GNUC_INTERNAL
void _lablink_client_start_id_request (LablinkClient       *self,
                                       const char          *method,
                                       const char          *prefix,
                                       const char          *id,
                                       const char          *suffix,
                                       const char          *what,
                                       LablinkResultKind    kind,
                                       GCancellable        *cancellable,
                                       gpointer             source_tag,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);

/* lablink-client-acquisition.c — for tests: while held, the answers of
 * lablink_client_get_acquisition_window_async() wait on the decode thread
 * (how many do: _get_held_windows()). */
void _lablink_client_hold_windows (gboolean hold);
guint _lablink_client_get_held_windows (void);

/* lablink-client-clock.c */
LablinkNaiveZone _lablink_client_push_server_zone (LablinkClient *self);
G_GNUC_INTERNAL
const char *_lablink_client_json_get_string (JsonObject *object,
                                             const char *name);

/* lablink-client-errors.c */
G_GNUC_INTERNAL
GError *_lablink_client_network_error (LablinkClient  *self,
                                       LablinkRequest *request,
                                       GError         *error);
G_GNUC_INTERNAL
GError *_lablink_client_http_error (LablinkClient  *self,
                                    LablinkRequest *request,
                                    guint           status);
G_GNUC_INTERNAL
GError *_lablink_client_shape_error (LablinkClient  *self,
                                     LablinkRequest *request,
                                     const char     *what);
G_GNUC_INTERNAL
GError *_lablink_client_refused_error (LablinkRequest *request,
                                       JsonObject     *object);
G_GNUC_INTERNAL
GError *_lablink_client_too_large_error (LablinkClient  *self,
                                         LablinkRequest *request);

/* lablink-client-locks.c */
G_GNUC_INTERNAL
void _lablink_client_forget_lock (LablinkClient *self,
                                  const char    *equipment_id);
G_GNUC_INTERNAL
GTask *_lablink_client_new_lock_task (LablinkClient       *self,
                                      const char          *equipment_id,
                                      GCancellable        *cancellable,
                                      gpointer             source_tag,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
G_GNUC_INTERNAL
void _lablink_client_return_lock_error (GTask  *task,
                                        GError *error);
G_GNUC_INTERNAL
void _lablink_client_add_command_session (LablinkClient *self,
                                          JsonBuilder   *builder,
                                          const char    *equipment_id,
                                          const char    *action);

/* lablink-lock-info.c */
G_GNUC_INTERNAL
GError *_lablink_client_lock_error (LablinkClient  *self,
                                    LablinkRequest *request,
                                    guint           status,
                                    const char     *detail);
G_GNUC_INTERNAL
LablinkLockInfo *_lablink_lock_info_new_from_json (LablinkClient *self,
                                                   const char    *equipment_id,
                                                   JsonObject    *object);
G_GNUC_INTERNAL
void _lablink_lock_info_set_holder_name (LablinkLockInfo *info,
                                         const char      *name);
G_GNUC_INTERNAL
char *_lablink_lock_info_format_since (LablinkLockInfo *info);

/* lablink-client-security.c */
G_GNUC_INTERNAL
GError *_lablink_client_take_tokens (LablinkClient  *self,
                                     LablinkRequest *request,
                                     JsonObject     *object);

G_END_DECLS
