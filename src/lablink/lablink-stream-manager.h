/* lablink-stream-manager.h — WebSocket streams of a LabLink server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include <gio/gio.h>

#include "lablink-client.h"
#include "lablink-message.h"
#include "lablink-statistics.h"
#include "lablink-version-macros.h"

G_BEGIN_DECLS

/**
 * LablinkConnectionState:
 * @LABLINK_CONNECTION_DISCONNECTED: not connected, no attempt planned
 * @LABLINK_CONNECTION_CONNECTING: the first connection attempt is under way
 * @LABLINK_CONNECTION_CONNECTED: the WebSocket is open
 * @LABLINK_CONNECTION_RECONNECTING: the link was lost; an attempt is planned or under way
 * @LABLINK_CONNECTION_AUTH_FAILED: the server refused the handshake (HTTP 401/403); no retry
 */
typedef enum {
  LABLINK_CONNECTION_DISCONNECTED,
  LABLINK_CONNECTION_CONNECTING,
  LABLINK_CONNECTION_CONNECTED,
  LABLINK_CONNECTION_RECONNECTING,
  LABLINK_CONNECTION_AUTH_FAILED,
} LablinkConnectionState;

#define LABLINK_TYPE_STREAM_MANAGER (lablink_stream_manager_get_type ())
LABLINK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (LablinkStreamManager, lablink_stream_manager, LABLINK, STREAM_MANAGER, GObject)

/* Subscribing to frames: connect to the manager's detailed signals —
 * `message::TYPE` (every message, or one type), `stream-data::KEY`,
 * `acquisition-data::ID`, `event::TYPE`, `stream-status-changed::KEY`,
 * `frame-error`, `server-error` — with g_signal_connect() or
 * g_signal_connect_data() (for a destroy notify). They are the only
 * subscription mechanism (see README.md). */

LABLINK_AVAILABLE_IN_ALL
LablinkStreamManager   *lablink_stream_manager_new                 (LablinkClient         *client);
LABLINK_AVAILABLE_IN_ALL
LablinkClient          *lablink_stream_manager_get_client          (LablinkStreamManager  *self);

LABLINK_AVAILABLE_IN_ALL
void                    lablink_stream_manager_connect_async       (LablinkStreamManager  *self,
                                                                    GCancellable          *cancellable,
                                                                    GAsyncReadyCallback    callback,
                                                                    gpointer               user_data);
LABLINK_AVAILABLE_IN_ALL
gboolean                lablink_stream_manager_connect_finish      (LablinkStreamManager  *self,
                                                                    GAsyncResult          *result,
                                                                    GError               **error);
LABLINK_AVAILABLE_IN_ALL
void                    lablink_stream_manager_disconnect_async    (LablinkStreamManager  *self,
                                                                    GCancellable          *cancellable,
                                                                    GAsyncReadyCallback    callback,
                                                                    gpointer               user_data);
LABLINK_AVAILABLE_IN_ALL
gboolean                lablink_stream_manager_disconnect_finish   (LablinkStreamManager  *self,
                                                                    GAsyncResult          *result,
                                                                    GError               **error);
LABLINK_AVAILABLE_IN_ALL
void                    lablink_stream_manager_disconnect          (LablinkStreamManager  *self);
LABLINK_AVAILABLE_IN_ALL
void                    lablink_stream_manager_reconnect_now       (LablinkStreamManager  *self);

LABLINK_AVAILABLE_IN_ALL
LablinkConnectionState  lablink_stream_manager_get_state           (LablinkStreamManager  *self);
LABLINK_AVAILABLE_IN_ALL
gboolean                lablink_stream_manager_get_connected       (LablinkStreamManager  *self);
LABLINK_AVAILABLE_IN_ALL
gint64                  lablink_stream_manager_get_next_retry_time (LablinkStreamManager  *self);
LABLINK_AVAILABLE_IN_ALL
guint                   lablink_stream_manager_get_retry_attempt   (LablinkStreamManager  *self);
LABLINK_AVAILABLE_IN_ALL
const char             *lablink_stream_manager_get_last_error      (LablinkStreamManager  *self);
LABLINK_AVAILABLE_IN_ALL
GError                 *lablink_stream_manager_dup_last_error      (LablinkStreamManager  *self);

LABLINK_AVAILABLE_IN_ALL
gboolean                lablink_stream_manager_start_equipment_stream   (LablinkStreamManager  *self,
                                                                         const char            *equipment_id,
                                                                         const char            *stream_type,
                                                                         guint                  interval_ms,
                                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
gboolean                lablink_stream_manager_stop_equipment_stream    (LablinkStreamManager  *self,
                                                                         const char            *equipment_id,
                                                                         const char            *stream_type,
                                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
gboolean                lablink_stream_manager_start_acquisition_stream (LablinkStreamManager  *self,
                                                                         const char            *acquisition_id,
                                                                         guint                  interval_ms,
                                                                         guint                  num_samples,
                                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
gboolean                lablink_stream_manager_stop_acquisition_stream  (LablinkStreamManager  *self,
                                                                         const char            *acquisition_id,
                                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
gboolean                lablink_stream_manager_send_ping                (LablinkStreamManager  *self,
                                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
gboolean                lablink_stream_manager_send_text                (LablinkStreamManager  *self,
                                                                         const char            *text,
                                                                         GError               **error);
LABLINK_AVAILABLE_IN_ALL
char                  **lablink_stream_manager_get_active_streams       (LablinkStreamManager  *self);
LABLINK_AVAILABLE_IN_ALL
gboolean                lablink_stream_manager_is_stream_active         (LablinkStreamManager  *self,
                                                                         const char            *stream_key);
LABLINK_AVAILABLE_IN_ALL
LablinkStreamStatus     lablink_stream_manager_get_stream_status        (LablinkStreamManager  *self,
                                                                         const char            *stream_key);

LABLINK_AVAILABLE_IN_ALL
guint                   lablink_stream_manager_get_server_interval      (LablinkStreamManager  *self,
                                                                         const char            *stream_key);
LABLINK_AVAILABLE_IN_ALL
guint                   lablink_stream_manager_get_reclaims             (LablinkStreamManager  *self,
                                                                         const char            *stream_key);
LABLINK_AVAILABLE_IN_ALL
gboolean                lablink_stream_manager_reclaim_stream           (LablinkStreamManager  *self,
                                                                         const char            *stream_key,
                                                                         GError               **error);

LABLINK_AVAILABLE_IN_ALL
LablinkStatistics      *lablink_stream_manager_get_statistics           (LablinkStreamManager  *self);
LABLINK_AVAILABLE_IN_ALL
void                    lablink_stream_manager_reset_statistics         (LablinkStreamManager  *self);

G_END_DECLS
