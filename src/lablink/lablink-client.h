/* lablink-client.h — the REST side of a LabLink server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lablink-equipment.h"
#include "lablink-message.h"
#include "lablink-version-macros.h"

G_BEGIN_DECLS

#define LABLINK_DEFAULT_SERVER_URL "http://127.0.0.1:8000"

/* Default of LablinkClient:timeout, in seconds (0 = no limit). */
#define LABLINK_CLIENT_DEFAULT_TIMEOUT 30
/* Default of LablinkClient:max-response-size, in bytes (64 MiB). */
#define LABLINK_CLIENT_DEFAULT_MAX_RESPONSE_SIZE (G_GUINT64_CONSTANT (64) * 1024 * 1024)

#define LABLINK_TYPE_CLIENT (lablink_client_get_type ())
LABLINK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (LablinkClient, lablink_client, LABLINK, CLIENT, GObject)

LABLINK_AVAILABLE_IN_ALL
LablinkClient *lablink_client_new                  (const char           *server_url,
                                                    GError              **error);
LABLINK_AVAILABLE_IN_ALL
const char    *lablink_client_get_server_url       (LablinkClient        *self);
LABLINK_AVAILABLE_IN_ALL
char          *lablink_client_dup_ws_url           (LablinkClient        *self);
LABLINK_AVAILABLE_IN_ALL
const char    *lablink_client_get_ws_url_override  (LablinkClient        *self);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_set_ws_url_override  (LablinkClient        *self,
                                                    const char           *ws_url,
                                                    GError              **error);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_get_logged_in        (LablinkClient        *self);
LABLINK_AVAILABLE_IN_ALL
const char    *lablink_client_get_username         (LablinkClient        *self);
LABLINK_AVAILABLE_IN_ALL
const char    *lablink_client_get_access_token     (LablinkClient        *self);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_set_access_token     (LablinkClient        *self,
                                                    const char           *token);
LABLINK_AVAILABLE_IN_ALL
guint          lablink_client_get_timeout          (LablinkClient        *self);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_set_timeout          (LablinkClient        *self,
                                                    guint                 seconds);
LABLINK_AVAILABLE_IN_ALL
guint64        lablink_client_get_max_response_size(LablinkClient        *self);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_set_max_response_size(LablinkClient        *self,
                                                    guint64               max_size);

/* TLS: a server whose certificate the system does not trust is accepted
 * only with its fingerprint pinned (lablink-client-certificate.c). */
LABLINK_AVAILABLE_IN_ALL
char          *lablink_client_dup_server_address   (LablinkClient        *self);
LABLINK_AVAILABLE_IN_ALL
const char    *lablink_client_get_pinned_certificate (LablinkClient      *self);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_set_pinned_certificate (LablinkClient      *self,
                                                      const char         *fingerprint,
                                                      GError            **error);
LABLINK_AVAILABLE_IN_ALL
GTlsCertificate *lablink_client_get_peer_certificate (LablinkClient      *self);
LABLINK_AVAILABLE_IN_ALL
char          *lablink_client_dup_peer_fingerprint (LablinkClient        *self);
LABLINK_AVAILABLE_IN_ALL
GTlsCertificateFlags lablink_client_get_peer_certificate_errors (LablinkClient *self);

/* Generic request: METHOD path (relative to the server URL, e.g. "/api"),
 * optional JSON body. The result is the parsed JSON answer (bare NaN tolerated). */
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_request_async        (LablinkClient        *self,
                                                    const char           *method,
                                                    const char           *path,
                                                    JsonNode             *body,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
JsonNode      *lablink_client_request_finish       (LablinkClient        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

LABLINK_AVAILABLE_IN_ALL
void           lablink_client_get_info_async       (LablinkClient        *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
JsonNode      *lablink_client_get_info_finish      (LablinkClient        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_get_health_async     (LablinkClient        *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
JsonNode      *lablink_client_get_health_finish    (LablinkClient        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

LABLINK_AVAILABLE_IN_ALL
void           lablink_client_list_equipment_async (LablinkClient        *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
GPtrArray     *lablink_client_list_equipment_finish(LablinkClient        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_get_equipment_status_async  (LablinkClient        *self,
                                                           const char           *equipment_id,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
JsonNode      *lablink_client_get_equipment_status_finish (LablinkClient        *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_send_command_async   (LablinkClient        *self,
                                                    const char           *equipment_id,
                                                    const char           *action,
                                                    JsonObject           *parameters,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
JsonNode      *lablink_client_send_command_finish  (LablinkClient        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_get_snapshot_async   (LablinkClient        *self,
                                                    const char           *equipment_id,
                                                    const char           *data_type,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
JsonNode      *lablink_client_get_snapshot_finish  (LablinkClient        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_capture_waveform_async  (LablinkClient        *self,
                                                       const char           *equipment_id,
                                                       guint                 channel,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
JsonNode      *lablink_client_capture_waveform_finish (LablinkClient        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* Acquisitions. @config is the create body of PROTOCOL.md. */
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_create_acquisition_async  (LablinkClient        *self,
                                                         JsonObject           *config,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
char          *lablink_client_create_acquisition_finish (LablinkClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
/* @action: "start", "stop", "pause" or "resume" */
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_control_acquisition_async (LablinkClient        *self,
                                                         const char           *acquisition_id,
                                                         const char           *action,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_control_acquisition_finish(LablinkClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_get_acquisition_status_async  (LablinkClient        *self,
                                                             const char           *acquisition_id,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
JsonNode      *lablink_client_get_acquisition_status_finish (LablinkClient        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_get_acquisition_data_async    (LablinkClient        *self,
                                                             const char           *acquisition_id,
                                                             guint                 num_samples,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
JsonNode      *lablink_client_get_acquisition_data_finish   (LablinkClient        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_get_acquisition_window_async  (LablinkClient        *self,
                                                             const char           *acquisition_id,
                                                             guint                 num_samples,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
LablinkMessage *lablink_client_get_acquisition_window_finish (LablinkClient       *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_list_acquisitions_async       (LablinkClient        *self,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
JsonNode      *lablink_client_list_acquisitions_finish      (LablinkClient        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_delete_acquisition_async      (LablinkClient        *self,
                                                             const char           *acquisition_id,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_delete_acquisition_finish     (LablinkClient        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* Security. On success the access token is kept and sent as
 * `Authorization: Bearer` on REST and `?token=` on the WebSocket. */
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_login_async          (LablinkClient        *self,
                                                    const char           *username,
                                                    const char           *password,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_login_finish         (LablinkClient        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_refresh_async        (LablinkClient        *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_refresh_finish       (LablinkClient        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_logout               (LablinkClient        *self);

LABLINK_AVAILABLE_IN_ALL
void           lablink_client_check_server_clock_async  (LablinkClient        *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_check_server_clock_finish (LablinkClient        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_get_server_utc_offset     (LablinkClient        *self,
                                                         gint                 *offset_s);

G_END_DECLS
