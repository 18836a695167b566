/* lablink-sim-server.h — a simulated LabLink server (REST + WebSocket)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "lablink-sim-instrument.h"

G_BEGIN_DECLS

#define LABLINK_SIM_DEFAULT_ADDRESS "127.0.0.1"

/**
 * LablinkSimHostileKinds:
 * @LABLINK_SIM_HOSTILE_BAD_JSON: truncated / invalid JSON text
 * @LABLINK_SIM_HOSTILE_NON_UTF8: a text frame whose bytes are not UTF-8
 *   (a libsoup client closes the connection with 1007 on it)
 * @LABLINK_SIM_HOSTILE_WRONG_TYPES: protocol messages with fields of the wrong JSON type
 * @LABLINK_SIM_HOSTILE_UNKNOWN_TYPE: well-formed messages of an unknown `type`
 * @LABLINK_SIM_HOSTILE_DEEP_NESTING: a message nested 10000 levels deep
 * @LABLINK_SIM_HOSTILE_BIG_FRAMES: valid but outsized `stream_data` waveform
 *   frames of about 2 MiB, a million zero samples each (the worst ratio of
 *   decoded size to text), for streams `hostile_0_waveform` …
 *   `hostile_3_waveform` in turn; not part of "all"
 * @LABLINK_SIM_HOSTILE_ALL: all the malformed kinds (not big-frames)
 *
 * The malformed or hostile frames the fault injector rotates through.
 */
typedef enum {
  LABLINK_SIM_HOSTILE_BAD_JSON     = 1 << 0,
  LABLINK_SIM_HOSTILE_NON_UTF8     = 1 << 1,
  LABLINK_SIM_HOSTILE_WRONG_TYPES  = 1 << 2,
  LABLINK_SIM_HOSTILE_UNKNOWN_TYPE = 1 << 3,
  LABLINK_SIM_HOSTILE_DEEP_NESTING = 1 << 4,
  LABLINK_SIM_HOSTILE_BIG_FRAMES   = 1 << 5,
  LABLINK_SIM_HOSTILE_ALL          = 0x1f,
} LablinkSimHostileKinds;

gboolean lablink_sim_hostile_kinds_from_string (const char             *text,
                                                LablinkSimHostileKinds *kinds,
                                                GError                **error);

#define LABLINK_SIM_TYPE_SERVER (lablink_sim_server_get_type ())
G_DECLARE_FINAL_TYPE (LablinkSimServer, lablink_sim_server, LABLINK_SIM, SERVER, GObject)

LablinkSimServer     *lablink_sim_server_new                   (void);

/* Options: set them before lablink_sim_server_listen() (the fault options
 * may also be changed later, from the server's thread). */
void                  lablink_sim_server_set_silent_streams    (LablinkSimServer   *self,
                                                                const char * const *stream_types);
void                  lablink_sim_server_set_acquisition_stall_ms (LablinkSimServer *self,
                                                                guint             ms);
void                  lablink_sim_server_set_lablink_compat    (LablinkSimServer *self,
                                                                gboolean          compat);
gboolean              lablink_sim_server_get_lablink_compat    (LablinkSimServer *self);
void                  lablink_sim_server_set_stamp_send_time   (LablinkSimServer *self,
                                                                gboolean          stamp);
void                  lablink_sim_server_set_seed              (LablinkSimServer *self,
                                                                guint32           seed);
guint32               lablink_sim_server_get_seed              (LablinkSimServer *self);
void                  lablink_sim_server_set_auth              (LablinkSimServer *self,
                                                                const char       *username,
                                                                const char       *password);
gboolean              lablink_sim_server_get_security_enabled  (LablinkSimServer *self);
void                  lablink_sim_server_set_locks_enabled     (LablinkSimServer *self,
                                                                gboolean          enabled);
gboolean              lablink_sim_server_get_locks_enabled     (LablinkSimServer *self);
void                  lablink_sim_server_set_token_lifetime    (LablinkSimServer *self,
                                                                guint             seconds);
void                  lablink_sim_server_set_tls_certificate   (LablinkSimServer *self,
                                                                GTlsCertificate  *certificate);

void                  lablink_sim_server_set_drop_after_messages (LablinkSimServer *self,
                                                                  guint             n_messages);
guint                 lablink_sim_server_get_drop_after_messages (LablinkSimServer *self);
void                  lablink_sim_server_set_drop_after_ms     (LablinkSimServer *self,
                                                                guint             ms);
guint                 lablink_sim_server_get_drop_after_ms     (LablinkSimServer *self);
void                  lablink_sim_server_set_refuse_ms         (LablinkSimServer *self,
                                                                guint             ms);
guint                 lablink_sim_server_get_refuse_ms         (LablinkSimServer *self);
void                  lablink_sim_server_set_latency_ms        (LablinkSimServer *self,
                                                                guint             ms);
guint                 lablink_sim_server_get_latency_ms        (LablinkSimServer *self);
void                  lablink_sim_server_set_hostile           (LablinkSimServer       *self,
                                                                double                  rate_hz,
                                                                LablinkSimHostileKinds  kinds);
double                lablink_sim_server_get_hostile_rate      (LablinkSimServer *self);

/* Life cycle: runs on the thread-default main context of the caller of
 * listen(); stop() (and the other functions not marked thread-safe) must be
 * called from that thread. */
gboolean              lablink_sim_server_listen                (LablinkSimServer  *self,
                                                                const char        *address,
                                                                guint              port,
                                                                GError           **error);
const char           *lablink_sim_server_get_url               (LablinkSimServer *self);
guint                 lablink_sim_server_get_port              (LablinkSimServer *self);
void                  lablink_sim_server_stop                  (LablinkSimServer *self);
gboolean              lablink_sim_server_is_stopped            (LablinkSimServer *self);

/* Instruments (server thread only). */
LablinkSimInstrument *lablink_sim_server_get_instrument        (LablinkSimServer *self,
                                                                const char       *equipment_id);
GPtrArray            *lablink_sim_server_get_instruments       (LablinkSimServer *self);

/* Thread-safe: may be called from any thread once listening. */
guint                 lablink_sim_server_get_n_clients         (LablinkSimServer *self);
void                  lablink_sim_server_flood                 (LablinkSimServer *self,
                                                                guint             n_frames,
                                                                guint             rate_hz);
void                  lablink_sim_server_stop_flood            (LablinkSimServer *self);
guint64               lablink_sim_server_get_flood_sent        (LablinkSimServer *self);
void                  lablink_sim_server_emit_event            (LablinkSimServer *self,
                                                                const char       *type);
void                  lablink_sim_server_broadcast_text        (LablinkSimServer *self,
                                                                const char       *text);
void                  lablink_sim_server_drop_connections      (LablinkSimServer *self);
gboolean              lablink_sim_server_get_acquisition_generated (LablinkSimServer  *self,
                                                                    const char        *acquisition_id,
                                                                    guint64           *count,
                                                                    GArray           **timestamps);

G_END_DECLS
