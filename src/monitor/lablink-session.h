/* lablink-session.h — one server connection and the app's live data store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <lablink.h>

G_BEGIN_DECLS

/* Ring channels of a readings ring (PSU channel or electronic load). */
enum {
  LABLINK_READING_VOLTAGE,
  LABLINK_READING_CURRENT,
  LABLINK_READING_POWER,
  LABLINK_N_READINGS
};

#define LABLINK_SESSION_RING_CAPACITY (1u << 17)
#define LABLINK_SESSION_ACQ_RING_CAPACITY 200000u
#define LABLINK_SESSION_MAX_ACQ_CHANNELS 16

/* How a status should look (a widget maps it to a style class). */
typedef enum {
  LABLINK_STATUS_NEUTRAL,
  LABLINK_STATUS_GOOD,
  LABLINK_STATUS_WARNING,
} LablinkStatusLevel;

/* Who holds an instrument's lock, as the session last saw it. */
typedef enum {
  LABLINK_SESSION_LOCK_UNKNOWN,  /* not asked yet */
  LABLINK_SESSION_LOCK_FREE,
  LABLINK_SESSION_LOCK_OURS,
  LABLINK_SESSION_LOCK_OTHERS,
} LablinkSessionLockState;

#define LABLINK_TYPE_SESSION (lablink_session_get_type ())
G_DECLARE_FINAL_TYPE (LablinkSession, lablink_session, LABLINK, SESSION, GObject)

LablinkSession         *lablink_session_new                  (GSettings        *settings);
GSettings              *lablink_session_get_settings         (LablinkSession   *self);

gboolean                lablink_session_set_server           (LablinkSession   *self,
                                                              const char       *server_url,
                                                              const char       *ws_url,
                                                              GError          **error);
void                    lablink_session_connect              (LablinkSession   *self);
gboolean                lablink_session_connect_to           (LablinkSession   *self,
                                                              const char       *server_url,
                                                              const char       *ws_url,
                                                              GError          **error);
void                    lablink_session_disconnect           (LablinkSession   *self);
void                    lablink_session_reconnect_now        (LablinkSession   *self);
gboolean                lablink_session_start_demo           (LablinkSession   *self,
                                                              GError          **error);
gboolean                lablink_session_get_demo             (LablinkSession   *self);
gpointer                lablink_session_get_sim_server       (LablinkSession   *self);

void                    lablink_session_login_async          (LablinkSession   *self,
                                                              const char       *username,
                                                              const char       *password,
                                                              GCancellable     *cancellable,
                                                              GAsyncReadyCallback callback,
                                                              gpointer          user_data);
gboolean                lablink_session_login_finish         (LablinkSession   *self,
                                                              GAsyncResult     *result,
                                                              GError          **error);

const char             *lablink_session_get_username         (LablinkSession   *self);
const char             *lablink_session_get_ws_url_override  (LablinkSession   *self);

void                    lablink_session_send_command_async   (LablinkSession   *self,
                                                              const char       *equipment_id,
                                                              const char       *action,
                                                              JsonObject       *parameters,
                                                              GCancellable     *cancellable,
                                                              GAsyncReadyCallback callback,
                                                              gpointer          user_data);
JsonNode               *lablink_session_send_command_finish  (LablinkSession   *self,
                                                              GAsyncResult     *result,
                                                              GError          **error);
LablinkSessionLockState lablink_session_get_lock_state       (LablinkSession   *self,
                                                              const char       *equipment_id,
                                                              const char      **holder,
                                                              GDateTime       **since);
void                    lablink_session_refresh_lock         (LablinkSession   *self,
                                                              const char       *equipment_id);
void                    lablink_session_release_lock_async   (LablinkSession   *self,
                                                              const char       *equipment_id,
                                                              GCancellable     *cancellable,
                                                              GAsyncReadyCallback callback,
                                                              gpointer          user_data);
gboolean                lablink_session_release_lock_finish  (LablinkSession   *self,
                                                              GAsyncResult     *result,
                                                              GError          **error);

/* The widgets' door is the session; these two are for what works on the
 * link itself (a LablinkCapture) and for tests. */
LablinkClient          *lablink_session_get_client           (LablinkSession   *self);
LablinkStreamManager   *lablink_session_get_manager          (LablinkSession   *self);

const char             *lablink_session_get_server_url       (LablinkSession   *self);
LablinkConnectionState  lablink_session_get_state            (LablinkSession   *self);
gboolean                lablink_session_get_connected        (LablinkSession   *self);
gint64                  lablink_session_get_next_retry_time  (LablinkSession   *self);
guint                   lablink_session_get_retry_attempt    (LablinkSession   *self);
const char             *lablink_session_get_last_error       (LablinkSession   *self);
LablinkStatistics      *lablink_session_get_statistics       (LablinkSession   *self);
LablinkLatency         *lablink_session_get_latency          (LablinkSession   *self);

GListModel             *lablink_session_get_equipment        (LablinkSession   *self);
LablinkEquipment       *lablink_session_lookup_equipment     (LablinkSession   *self,
                                                              const char       *equipment_id);
void                    lablink_session_refresh_equipment    (LablinkSession   *self);
gboolean                lablink_session_get_equipment_loaded (LablinkSession   *self);

guint                   lablink_session_get_interval         (LablinkSession   *self,
                                                              const char       *equipment_id,
                                                              const char       *stream_type);
void                    lablink_session_set_interval         (LablinkSession   *self,
                                                              const char       *equipment_id,
                                                              const char       *stream_type,
                                                              guint             interval_ms);
gboolean                lablink_session_start_stream         (LablinkSession   *self,
                                                              const char       *equipment_id,
                                                              const char       *stream_type,
                                                              GError          **error);
gboolean                lablink_session_stop_stream          (LablinkSession   *self,
                                                              const char       *equipment_id,
                                                              const char       *stream_type,
                                                              GError          **error);
gboolean                lablink_session_is_stream_active     (LablinkSession   *self,
                                                              const char       *equipment_id,
                                                              const char       *stream_type);
LablinkStreamStatus     lablink_session_get_stream_status    (LablinkSession   *self,
                                                              const char       *equipment_id,
                                                              const char       *stream_type);
guint                   lablink_session_get_server_interval  (LablinkSession   *self,
                                                              const char       *equipment_id,
                                                              const char       *stream_type);
gboolean                lablink_session_reclaim_stream       (LablinkSession   *self,
                                                              const char       *equipment_id,
                                                              const char       *stream_type,
                                                              GError          **error);
const char             *lablink_session_describe_stream      (LablinkSession   *self,
                                                              const char       *equipment_id,
                                                              const char       *stream_type,
                                                              LablinkStatusLevel *level);
const char             *lablink_session_describe_equipment   (LablinkSession   *self,
                                                              LablinkEquipment *equipment,
                                                              LablinkStatusLevel *level);
LablinkMessage         *lablink_session_get_last_message     (LablinkSession   *self,
                                                              const char       *stream_key);

LablinkRing            *lablink_session_get_readings_ring    (LablinkSession   *self,
                                                              const char       *equipment_id,
                                                              guint             channel);
LablinkRing            *lablink_session_get_acquisition_ring (LablinkSession   *self,
                                                              const char       *acquisition_id);
const char * const     *lablink_session_get_acquisition_channels (LablinkSession *self,
                                                              const char       *acquisition_id);
gboolean                lablink_session_watch_acquisition    (LablinkSession   *self,
                                                              const char       *acquisition_id,
                                                              GError          **error);
gboolean                lablink_session_unwatch_acquisition  (LablinkSession   *self,
                                                              const char       *acquisition_id,
                                                              GError          **error);
gboolean                lablink_session_is_watching_acquisition (LablinkSession *self,
                                                              const char       *acquisition_id);
guint64                 lablink_session_get_acquisition_duplicates (LablinkSession *self,
                                                              const char       *acquisition_id);

const char             *lablink_connection_state_describe    (LablinkConnectionState state);
const char             *lablink_stream_status_describe       (LablinkStreamStatus    status);

/* ------------------------------------------------------------------------
 * Acquisitions over REST (lablink-session-acquisition.c): what the
 * acquisitions panel asks the server, through the session's client.
 * ------------------------------------------------------------------------ */

gboolean                lablink_session_has_server           (LablinkSession   *self);
void                    lablink_session_list_acquisitions_async   (LablinkSession      *self,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
JsonNode               *lablink_session_list_acquisitions_finish  (LablinkSession      *self,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);
void                    lablink_session_create_acquisition_async  (LablinkSession      *self,
                                                                   JsonObject          *config,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
char                   *lablink_session_create_acquisition_finish (LablinkSession      *self,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);
void                    lablink_session_control_acquisition_async (LablinkSession      *self,
                                                                   const char          *acquisition_id,
                                                                   const char          *action,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
gboolean                lablink_session_control_acquisition_finish (LablinkSession     *self,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);
LablinkCapture         *lablink_session_new_acquisition_capture   (LablinkSession      *self,
                                                                   const char          *acquisition_id,
                                                                   const char          *directory,
                                                                   GError             **error);

G_END_DECLS
