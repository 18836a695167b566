/* lablink-locks.h — equipment locks of a LabLink server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lablink-client.h"
#include "lablink-version-macros.h"

G_BEGIN_DECLS

/**
 * LablinkLockMode:
 * @LABLINK_LOCK_MODE_EXCLUSIVE: full control; no one else may control the
 *   instrument (LabLink's `exclusive`)
 * @LABLINK_LOCK_MODE_OBSERVER: read-only access shared with other
 *   observers while no one holds the exclusive lock (`observer`)
 *
 * How a lock is held.
 */
typedef enum {
  LABLINK_LOCK_MODE_EXCLUSIVE,
  LABLINK_LOCK_MODE_OBSERVER,
} LablinkLockMode;

/* LabLink's defaults: a lock's and a lock session's inactivity timeouts, in seconds */
#define LABLINK_LOCK_DEFAULT_TIMEOUT 300
#define LABLINK_LOCK_SESSION_DEFAULT_TIMEOUT 600

typedef struct _LablinkLockInfo LablinkLockInfo;

#define LABLINK_TYPE_LOCK_INFO (lablink_lock_info_get_type ())
LABLINK_AVAILABLE_IN_ALL
GType            lablink_lock_info_get_type           (void) G_GNUC_CONST;
LABLINK_AVAILABLE_IN_ALL
LablinkLockInfo *lablink_lock_info_ref                (LablinkLockInfo *info);
LABLINK_AVAILABLE_IN_ALL
void             lablink_lock_info_unref              (LablinkLockInfo *info);
LABLINK_AVAILABLE_IN_ALL
const char      *lablink_lock_info_get_equipment_id   (LablinkLockInfo *info);
LABLINK_AVAILABLE_IN_ALL
gboolean         lablink_lock_info_get_locked         (LablinkLockInfo *info);
LABLINK_AVAILABLE_IN_ALL
gboolean         lablink_lock_info_get_held_by_us     (LablinkLockInfo *info);
LABLINK_AVAILABLE_IN_ALL
LablinkLockMode  lablink_lock_info_get_mode           (LablinkLockInfo *info);
LABLINK_AVAILABLE_IN_ALL
const char      *lablink_lock_info_get_session_id     (LablinkLockInfo *info);
LABLINK_AVAILABLE_IN_ALL
const char      *lablink_lock_info_get_holder_name    (LablinkLockInfo *info);
LABLINK_AVAILABLE_IN_ALL
GDateTime       *lablink_lock_info_get_acquired_at    (LablinkLockInfo *info);
LABLINK_AVAILABLE_IN_ALL
double           lablink_lock_info_get_time_remaining (LablinkLockInfo *info);
LABLINK_AVAILABLE_IN_ALL
guint            lablink_lock_info_get_observer_count (LablinkLockInfo *info);
LABLINK_AVAILABLE_IN_ALL
guint            lablink_lock_info_get_queue_length   (LablinkLockInfo *info);
LABLINK_AVAILABLE_IN_ALL
char            *lablink_lock_info_describe           (LablinkLockInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LablinkLockInfo, lablink_lock_info_unref)

LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_action_requires_control      (const char           *action);
LABLINK_AVAILABLE_IN_ALL
char          *lablink_default_lock_session_name    (void);

/* The lock session: who this client is to the server's lock manager. */
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_create_lock_session_async  (LablinkClient        *self,
                                                          const char           *client_name,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_create_lock_session_finish (LablinkClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
LABLINK_AVAILABLE_IN_ALL
const char    *lablink_client_get_lock_session_id        (LablinkClient        *self);
LABLINK_AVAILABLE_IN_ALL
const char    *lablink_client_get_lock_session_name      (LablinkClient        *self);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_set_lock_session           (LablinkClient        *self,
                                                          const char           *session_id,
                                                          const char * const   *held_equipment);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_keep_locks_alive_async     (LablinkClient        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_keep_locks_alive_finish    (LablinkClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_end_lock_session_async     (LablinkClient        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_end_lock_session_finish    (LablinkClient        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* Locks */
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_acquire_lock_async    (LablinkClient        *self,
                                                     const char           *equipment_id,
                                                     LablinkLockMode       mode,
                                                     gboolean              queue_if_busy,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_acquire_lock_finish   (LablinkClient        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_release_lock_async    (LablinkClient        *self,
                                                     const char           *equipment_id,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_release_lock_finish   (LablinkClient        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
LABLINK_AVAILABLE_IN_ALL
gboolean       lablink_client_holds_lock            (LablinkClient        *self,
                                                     const char           *equipment_id);
LABLINK_AVAILABLE_IN_ALL
GStrv          lablink_client_dup_held_locks        (LablinkClient        *self);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_get_lock_status_async (LablinkClient        *self,
                                                     const char           *equipment_id,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
LablinkLockInfo *lablink_client_get_lock_status_finish (LablinkClient        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
LABLINK_AVAILABLE_IN_ALL
void           lablink_client_get_lock_queue_async  (LablinkClient        *self,
                                                     const char           *equipment_id,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
LABLINK_AVAILABLE_IN_ALL
JsonNode      *lablink_client_get_lock_queue_finish (LablinkClient        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
