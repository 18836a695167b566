/* lablink-sim-server-locks.c — the simulated server's lock table: lock
 * sessions, exclusive and observer locks, queues and their timeouts
 *
 * The rules are LabLink 1.2.5's (server/equipment/locks.py, sessions.py):
 * one exclusive lock per instrument, any number of observers while no one
 * holds it exclusively (taking the exclusive lock drops them), a queue of
 * sessions waiting for it, a lock timeout counted from its last activity
 * (default 300 s) and a session timeout (default 600 s), 0 = never. A lock
 * never checks that its session exists, as in the real server. The real
 * server sweeps expired locks every 10 s and forgets expired sessions only
 * on `POST /api/locks/cleanup`; the simulator does both at once, before
 * every lock-related request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-sim-server-private.h"

struct _SimLockSession
{
  char       *session_id;
  char       *client_name;
  char       *client_ip;
  gint64      created_at;     /* real µs */
  gint64      last_activity;  /* real µs */
  guint       timeout_s;
  JsonNode   *metadata;       /* an object */
};

struct _SimLock
{
  char    *lock_id;
  char    *equipment_id;
  char    *session_id;
  gboolean observer;
  gint64   acquired_at;
  gint64   last_activity;
  guint    timeout_s;
};

typedef struct
{
  char    *queue_id;
  char    *equipment_id;
  char    *session_id;
  gboolean observer;
  gint64   queued_at;
} SimQueueEntry;

static void
lock_session_free (SimLockSession *session)
{
  g_free (session->session_id);
  g_free (session->client_name);
  g_free (session->client_ip);
  g_clear_pointer (&session->metadata, json_node_unref);
  g_free (session);
}

static void
lock_free (SimLock *lock)
{
  g_free (lock->lock_id);
  g_free (lock->equipment_id);
  g_free (lock->session_id);
  g_free (lock);
}

static void
queue_entry_free (SimQueueEntry *entry)
{
  g_free (entry->queue_id);
  g_free (entry->equipment_id);
  g_free (entry->session_id);
  g_free (entry);
}

static void
ptr_array_unref0 (gpointer data)
{
  g_ptr_array_unref (data);
}

void
lablink_sim_server_init_locks (LablinkSimServer *self)
{
  self->locks_enabled = TRUE;
  self->lock_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) lock_session_free);
  self->session_order = g_ptr_array_new_with_free_func (g_free);
  self->locks = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) lock_free);
  self->observers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, ptr_array_unref0);
  self->lock_queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, ptr_array_unref0);
}

void
lablink_sim_server_clear_locks (LablinkSimServer *self)
{
  g_clear_pointer (&self->lock_sessions, g_hash_table_unref);
  g_clear_pointer (&self->session_order, g_ptr_array_unref);
  g_clear_pointer (&self->locks, g_hash_table_unref);
  g_clear_pointer (&self->observers, g_hash_table_unref);
  g_clear_pointer (&self->lock_queues, g_hash_table_unref);
}

static gboolean
expired (gint64 last_activity,
         guint  timeout_s,
         gint64 now)
{
  return timeout_s > 0 && now > last_activity + (gint64) timeout_s * G_USEC_PER_SEC;
}

static double
time_remaining (gint64 last_activity,
                guint  timeout_s,
                gint64 now)
{
  double remaining = (double) (last_activity + (gint64) timeout_s * G_USEC_PER_SEC - now) / G_USEC_PER_SEC;

  return MAX (remaining, 0.0);
}

/* ------------------------------------------------------------------------ */
/* Sessions                                                                  */

SimLockSession *
lablink_sim_locks_create_session (LablinkSimServer *self,
                                  const char       *client_name,
                                  const char       *client_ip,
                                  guint             timeout_s,
                                  JsonNode         *metadata)
{
  SimLockSession *session = g_new0 (SimLockSession, 1);

  session->session_id = lablink_sim_server_new_uuid (self);
  session->client_name = g_strdup (client_name);
  session->client_ip = g_strdup (client_ip);
  session->created_at = session->last_activity = g_get_real_time ();
  session->timeout_s = timeout_s;
  if (metadata != NULL && JSON_NODE_HOLDS_OBJECT (metadata))
    session->metadata = json_node_copy (metadata);
  else
    {
      session->metadata = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (session->metadata, json_object_new ());
    }
  g_hash_table_insert (self->lock_sessions, session->session_id, session);
  g_ptr_array_add (self->session_order, g_strdup (session->session_id));
  g_debug ("lock session %s created for %s", session->session_id, client_name);
  return session;
}

SimLockSession *
lablink_sim_locks_get_session (LablinkSimServer *self,
                               const char       *session_id)
{
  return session_id != NULL ? g_hash_table_lookup (self->lock_sessions, session_id) : NULL;
}

gboolean
lablink_sim_locks_touch_session (LablinkSimServer *self,
                                 const char       *session_id)
{
  SimLockSession *session = lablink_sim_locks_get_session (self, session_id);

  if (session == NULL)
    return FALSE;
  session->last_activity = g_get_real_time ();
  return TRUE;
}

static void
forget_session (LablinkSimServer *self,
                const char       *session_id)
{
  guint i;

  for (i = 0; i < self->session_order->len; i++)
    if (g_str_equal (g_ptr_array_index (self->session_order, i), session_id))
      {
        g_ptr_array_remove_index (self->session_order, i);
        break;
      }
  g_hash_table_remove (self->lock_sessions, session_id);
}

/* Ends a session after releasing its locks; FALSE if there was none. */
gboolean
lablink_sim_locks_end_session (LablinkSimServer *self,
                               const char       *session_id,
                               guint            *n_released)
{
  guint n = lablink_sim_locks_release_all (self, session_id);

  if (n_released != NULL)
    *n_released = n;
  if (lablink_sim_locks_get_session (self, session_id) == NULL)
    return FALSE;
  g_debug ("lock session %s ended, %u lock(s) released", session_id, n);
  forget_session (self, session_id);
  return TRUE;
}

GPtrArray *
lablink_sim_locks_list_sessions (LablinkSimServer *self)
{
  GPtrArray *list = g_ptr_array_new ();
  guint i;

  for (i = 0; i < self->session_order->len; i++)
    g_ptr_array_add (list, g_hash_table_lookup (self->lock_sessions, g_ptr_array_index (self->session_order, i)));
  return list;
}

void
lablink_sim_locks_write_session (SimLockSession *session,
                                 LablinkSimJson *w)
{
  gint64 now = g_get_real_time ();

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "session_id", session->session_id);
  lablink_sim_json_member_string (w, "client_name", session->client_name);
  lablink_sim_json_member_string (w, "client_ip", session->client_ip);
  lablink_sim_json_member_timestamp (w, "created_at", session->created_at);
  lablink_sim_json_member_timestamp (w, "last_activity", session->last_activity);
  if (session->timeout_s == 0)
    lablink_sim_json_member_null (w, "time_remaining");
  else
    lablink_sim_json_member_double (w, "time_remaining", time_remaining (session->last_activity, session->timeout_s, now));
  lablink_sim_json_member_double (w, "duration_seconds", (double) (now - session->created_at) / G_USEC_PER_SEC);
  lablink_sim_json_key (w, "metadata");
  lablink_sim_json_node (w, session->metadata);
  lablink_sim_json_end_object (w);
}

/* ------------------------------------------------------------------------ */
/* Locks                                                                     */

SimLock *
lablink_sim_locks_get_lock (LablinkSimServer *self,
                            const char       *equipment_id)
{
  return g_hash_table_lookup (self->locks, equipment_id);
}

static GPtrArray *
observers_of (LablinkSimServer *self,
              const char       *equipment_id,
              gboolean          create)
{
  GPtrArray *observers = g_hash_table_lookup (self->observers, equipment_id);

  if (observers == NULL && create)
    {
      observers = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->observers, g_strdup (equipment_id), observers);
    }
  return observers;
}

static GPtrArray *
queue_of (LablinkSimServer *self,
          const char       *equipment_id,
          gboolean          create)
{
  GPtrArray *queue = g_hash_table_lookup (self->lock_queues, equipment_id);

  if (queue == NULL && create)
    {
      queue = g_ptr_array_new_with_free_func ((GDestroyNotify) queue_entry_free);
      g_hash_table_insert (self->lock_queues, g_strdup (equipment_id), queue);
    }
  return queue;
}

static gboolean
str_array_find (GPtrArray  *array,
                const char *text,
                guint      *index)
{
  guint i;

  for (i = 0; array != NULL && i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), text))
      {
        if (index != NULL)
          *index = i;
        return TRUE;
      }
  return FALSE;
}

void
lablink_sim_locks_write_lock (SimLock        *lock,
                              LablinkSimJson *w)
{
  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "lock_id", lock->lock_id);
  lablink_sim_json_member_string (w, "equipment_id", lock->equipment_id);
  lablink_sim_json_member_string (w, "session_id", lock->session_id);
  lablink_sim_json_member_string (w, "lock_mode", lock->observer ? "observer" : "exclusive");
  lablink_sim_json_member_timestamp (w, "acquired_at", lock->acquired_at);
  lablink_sim_json_member_timestamp (w, "last_activity", lock->last_activity);
  lablink_sim_json_member_int (w, "timeout_seconds", lock->timeout_s);
  lablink_sim_json_end_object (w);
}

const char *
lablink_sim_locks_get_lock_session (SimLock *lock)
{
  return lock->session_id;
}

/* `GET /api/locks/sessions/{id}/locks`: exclusive locks, then observed */
void
lablink_sim_locks_write_session_locks (LablinkSimServer *self,
                                       const char       *session_id,
                                       LablinkSimJson   *w)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;
  guint i;

  g_hash_table_iter_init (&iter, self->locks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_equal (((SimLock *) value)->session_id, session_id))
      g_ptr_array_add (ids, key);
  g_hash_table_iter_init (&iter, self->observers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (str_array_find (value, session_id, NULL))
      g_ptr_array_add (ids, key);

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "session_id", session_id);
  lablink_sim_json_key (w, "locked_equipment");
  lablink_sim_json_begin_array (w);
  for (i = 0; i < ids->len; i++)
    lablink_sim_json_string (w, g_ptr_array_index (ids, i));
  lablink_sim_json_end_array (w);
  lablink_sim_json_member_int (w, "count", ids->len);
  lablink_sim_json_end_object (w);
}

static void
write_queue_entry (SimQueueEntry  *entry,
                   guint           position,
                   LablinkSimJson *w)
{
  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "queue_id", entry->queue_id);
  lablink_sim_json_member_string (w, "equipment_id", entry->equipment_id);
  lablink_sim_json_member_string (w, "session_id", entry->session_id);
  lablink_sim_json_member_string (w, "lock_mode", entry->observer ? "observer" : "exclusive");
  lablink_sim_json_member_timestamp (w, "queued_at", entry->queued_at);
  lablink_sim_json_member_int (w, "position", position);
  lablink_sim_json_end_object (w);
}

static SimLock *
take_lock (LablinkSimServer *self,
           const char       *equipment_id,
           const char       *session_id,
           gboolean          observer,
           guint             timeout_s)
{
  SimLock *lock = g_new0 (SimLock, 1);
  GPtrArray *observers = observers_of (self, equipment_id, FALSE);

  /* taking the exclusive lock drops every observer */
  if (observers != NULL)
    g_ptr_array_set_size (observers, 0);

  lock->lock_id = lablink_sim_server_new_uuid (self);
  lock->equipment_id = g_strdup (equipment_id);
  lock->session_id = g_strdup (session_id);
  lock->observer = observer;
  lock->acquired_at = lock->last_activity = g_get_real_time ();
  lock->timeout_s = timeout_s;
  g_hash_table_replace (self->locks, lock->equipment_id, lock);
  g_debug ("lock on %s taken by %s", equipment_id, session_id);
  return lock;
}

/* The next queued session gets the lock (default timeout), as the real
 * server's _process_queue; an observer entry becomes an observer. */
static void
process_queue (LablinkSimServer *self,
               const char       *equipment_id)
{
  GPtrArray *queue = queue_of (self, equipment_id, FALSE);
  SimQueueEntry *next;

  if (queue == NULL || queue->len == 0 || lablink_sim_locks_get_lock (self, equipment_id) != NULL)
    return;
  next = g_ptr_array_index (queue, 0);
  if (next->observer)
    {
      GPtrArray *observers = observers_of (self, equipment_id, TRUE);

      if (!str_array_find (observers, next->session_id, NULL))
        g_ptr_array_add (observers, g_strdup (next->session_id));
    }
  else
    take_lock (self, equipment_id, next->session_id, FALSE, LABLINK_SIM_LOCK_TIMEOUT_S);
  g_ptr_array_remove_index (queue, 0);
}

static void
drop_lock (LablinkSimServer *self,
           const char       *equipment_id)
{
  g_autofree char *id = g_strdup (equipment_id);

  g_hash_table_remove (self->locks, id);
  process_queue (self, id);
}

void
lablink_sim_locks_sweep (LablinkSimServer *self)
{
  gint64 now = g_get_real_time ();
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;
  guint i;

  g_hash_table_iter_init (&iter, self->locks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SimLock *lock = value;

      if (expired (lock->last_activity, lock->timeout_s, now))
        g_ptr_array_add (gone, g_strdup (lock->equipment_id));
    }
  for (i = 0; i < gone->len; i++)
    {
      g_debug ("lock on %s expired", (char *) g_ptr_array_index (gone, i));
      drop_lock (self, g_ptr_array_index (gone, i));
    }

  g_ptr_array_set_size (gone, 0);
  for (i = 0; i < self->session_order->len; i++)
    {
      SimLockSession *session = g_hash_table_lookup (self->lock_sessions, g_ptr_array_index (self->session_order, i));

      if (expired (session->last_activity, session->timeout_s, now))
        g_ptr_array_add (gone, g_strdup (session->session_id));
    }
  for (i = 0; i < gone->len; i++)
    {
      g_debug ("lock session %s expired", (char *) g_ptr_array_index (gone, i));
      lablink_sim_locks_end_session (self, g_ptr_array_index (gone, i), NULL);
    }
}

SimLockResult
lablink_sim_locks_acquire (LablinkSimServer *self,
                           const char       *equipment_id,
                           const char       *session_id,
                           gboolean          observer,
                           guint             timeout_s,
                           gboolean          queue_if_busy,
                           LablinkSimJson   *w,
                           char            **detail)
{
  SimLock *lock = lablink_sim_locks_get_lock (self, equipment_id);
  GPtrArray *observers;

  if (lock != NULL && g_str_equal (lock->session_id, session_id))
    {
      lock->last_activity = g_get_real_time ();
      lock->timeout_s = timeout_s;
      lablink_sim_json_begin_object (w);
      lablink_sim_json_member_boolean (w, "success", TRUE);
      lablink_sim_json_member_string (w, "status", "refreshed");
      lablink_sim_json_key (w, "lock");
      lablink_sim_locks_write_lock (lock, w);
      lablink_sim_json_end_object (w);
      return SIM_LOCK_OK;
    }

  if (observer)
    {
      if (lock != NULL && !lock->observer)
        {
          *detail = g_strdup_printf ("Equipment %s has exclusive lock by session %s", equipment_id, lock->session_id);
          return SIM_LOCK_CONFLICT;
        }
      observers = observers_of (self, equipment_id, TRUE);
      if (!str_array_find (observers, session_id, NULL))
        g_ptr_array_add (observers, g_strdup (session_id));
      lablink_sim_json_begin_object (w);
      lablink_sim_json_member_boolean (w, "success", TRUE);
      lablink_sim_json_member_string (w, "status", "observer");
      lablink_sim_json_member_int (w, "observer_count", observers->len);
      lablink_sim_json_end_object (w);
      return SIM_LOCK_OK;
    }

  if (lock != NULL)
    {
      GPtrArray *queue;
      SimQueueEntry *entry = NULL;
      guint i;

      if (!queue_if_busy)
        {
          *detail = g_strdup_printf ("Equipment %s is locked by session %s", equipment_id, lock->session_id);
          return SIM_LOCK_CONFLICT;
        }

      queue = queue_of (self, equipment_id, TRUE);
      for (i = 0; i < queue->len; i++)
        if (g_str_equal (((SimQueueEntry *) g_ptr_array_index (queue, i))->session_id, session_id))
          {
            entry = g_ptr_array_index (queue, i);
            break;
          }
      if (entry == NULL)
        {
          entry = g_new0 (SimQueueEntry, 1);
          entry->queue_id = lablink_sim_server_new_uuid (self);
          entry->equipment_id = g_strdup (equipment_id);
          entry->session_id = g_strdup (session_id);
          entry->queued_at = g_get_real_time ();
          g_ptr_array_add (queue, entry);
          i = queue->len - 1;
        }

      lablink_sim_json_begin_object (w);
      lablink_sim_json_member_boolean (w, "success", FALSE);
      lablink_sim_json_member_string (w, "status", "queued");
      {
        g_autofree char *message = g_strdup_printf ("Equipment locked by session %s", lock->session_id);
        lablink_sim_json_member_string (w, "message", message);
      }
      lablink_sim_json_key (w, "current_lock");
      lablink_sim_locks_write_lock (lock, w);
      lablink_sim_json_key (w, "queue_entry");
      write_queue_entry (entry, i, w);
      lablink_sim_json_end_object (w);
      return SIM_LOCK_OK;
    }

  lock = take_lock (self, equipment_id, session_id, FALSE, timeout_s);
  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_boolean (w, "success", TRUE);
  lablink_sim_json_member_string (w, "status", "locked");
  lablink_sim_json_key (w, "lock");
  lablink_sim_locks_write_lock (lock, w);
  lablink_sim_json_end_object (w);
  return SIM_LOCK_OK;
}

SimLockResult
lablink_sim_locks_release (LablinkSimServer *self,
                           const char       *equipment_id,
                           const char       *session_id,
                           gboolean          force,
                           LablinkSimJson   *w,
                           char            **detail)
{
  SimLock *lock = lablink_sim_locks_get_lock (self, equipment_id);
  GPtrArray *observers = observers_of (self, equipment_id, FALSE);
  guint index;

  if (lock != NULL)
    {
      if (!g_str_equal (lock->session_id, session_id) && !force)
        {
          *detail = g_strdup_printf ("Cannot release lock: owned by session %s", lock->session_id);
          return SIM_LOCK_FORBIDDEN;
        }
      drop_lock (self, equipment_id);
      lablink_sim_json_begin_object (w);
      lablink_sim_json_member_boolean (w, "success", TRUE);
      lablink_sim_json_member_string (w, "status", "released");
      lablink_sim_json_member_boolean (w, "was_forced", force);
      lablink_sim_json_end_object (w);
      return SIM_LOCK_OK;
    }

  if (str_array_find (observers, session_id, &index))
    {
      g_ptr_array_remove_index (observers, index);
      lablink_sim_json_begin_object (w);
      lablink_sim_json_member_boolean (w, "success", TRUE);
      lablink_sim_json_member_string (w, "status", "observer_released");
      lablink_sim_json_end_object (w);
      return SIM_LOCK_OK;
    }

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_boolean (w, "success", FALSE);
  lablink_sim_json_member_string (w, "status", "not_locked");
  {
    g_autofree char *message = g_strdup_printf ("No lock found for session %s", session_id);
    lablink_sim_json_member_string (w, "message", message);
  }
  lablink_sim_json_end_object (w);
  return SIM_LOCK_OK;
}

guint
lablink_sim_locks_release_all (LablinkSimServer *self,
                               const char       *session_id)
{
  g_autoptr(GPtrArray) mine = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;
  guint n = 0, i, index;

  g_hash_table_iter_init (&iter, self->locks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_str_equal (((SimLock *) value)->session_id, session_id))
      g_ptr_array_add (mine, g_strdup (((SimLock *) value)->equipment_id));
  for (i = 0; i < mine->len; i++, n++)
    drop_lock (self, g_ptr_array_index (mine, i));

  g_hash_table_iter_init (&iter, self->observers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (str_array_find (value, session_id, &index))
      {
        g_ptr_array_remove_index (value, index);
        n++;
      }
  return n;
}

gboolean
lablink_sim_locks_touch_lock (LablinkSimServer *self,
                              const char       *equipment_id,
                              const char       *session_id)
{
  SimLock *lock = lablink_sim_locks_get_lock (self, equipment_id);

  if (lock == NULL || !g_str_equal (lock->session_id, session_id))
    return FALSE;
  lock->last_activity = g_get_real_time ();
  return TRUE;
}

gboolean
lablink_sim_locks_can_control (LablinkSimServer *self,
                               const char       *equipment_id,
                               const char       *session_id)
{
  SimLock *lock = lablink_sim_locks_get_lock (self, equipment_id);

  return lock != NULL && !lock->observer && g_str_equal (lock->session_id, session_id);
}

gboolean
lablink_sim_locks_can_observe (LablinkSimServer *self,
                               const char       *equipment_id,
                               const char       *session_id)
{
  SimLock *lock = lablink_sim_locks_get_lock (self, equipment_id);

  if (lock != NULL && g_str_equal (lock->session_id, session_id))
    return TRUE;
  return str_array_find (observers_of (self, equipment_id, FALSE), session_id, NULL);
}

/* Commands that need the exclusive lock: LabLink's CONTROL_COMMANDS, matched
 * as substrings of the action as the server does. */
gboolean
lablink_sim_locks_requires_control (const char *action)
{
  static const char * const control[] = {
    "set_voltage", "set_current", "set_output", "set_ovp", "set_ocp", "clear_protection",
    "set_input", "set_mode", "set_range", "set_channel", "set_trigger", "set_timebase",
    "set_scale", "set_position", "set_offset", "reset", "clear", "save", "recall", "calibrate",
  };
  g_autofree char *lower = g_ascii_strdown (action, -1);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (control); i++)
    if (strstr (lower, control[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Status                                                                    */

void
lablink_sim_locks_write_status (LablinkSimServer *self,
                                const char       *equipment_id,
                                LablinkSimJson   *w)
{
  SimLock *lock = lablink_sim_locks_get_lock (self, equipment_id);
  GPtrArray *observers = observers_of (self, equipment_id, FALSE);
  GPtrArray *queue = queue_of (self, equipment_id, FALSE);
  gboolean observed = lock == NULL && observers != NULL && observers->len > 0;
  guint i;

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "equipment_id", equipment_id);
  lablink_sim_json_member_boolean (w, "locked", lock != NULL);
  lablink_sim_json_member_string (w, "lock_mode", lock != NULL ? (lock->observer ? "observer" : "exclusive") : NULL);
  lablink_sim_json_member_string (w, "session_id", lock != NULL ? lock->session_id : NULL);
  lablink_sim_json_member_string (w, "lock_id", lock != NULL ? lock->lock_id : NULL);
  if (lock != NULL)
    lablink_sim_json_member_timestamp (w, "acquired_at", lock->acquired_at);
  else
    lablink_sim_json_member_null (w, "acquired_at");
  if (lock != NULL && lock->timeout_s > 0)
    lablink_sim_json_member_double (w, "time_remaining",
                                    time_remaining (lock->last_activity, lock->timeout_s, g_get_real_time ()));
  else
    lablink_sim_json_member_null (w, "time_remaining");
  if (observed)
    {
      lablink_sim_json_member_int (w, "observer_count", observers->len);
      lablink_sim_json_key (w, "observer_sessions");
      lablink_sim_json_begin_array (w);
      for (i = 0; i < observers->len; i++)
        lablink_sim_json_string (w, g_ptr_array_index (observers, i));
      lablink_sim_json_end_array (w);
    }
  else
    {
      lablink_sim_json_member_null (w, "observer_count");
      lablink_sim_json_member_null (w, "observer_sessions");
    }
  lablink_sim_json_member_int (w, "queue_length", queue != NULL ? queue->len : 0);
  lablink_sim_json_end_object (w);
}

void
lablink_sim_locks_write_queue (LablinkSimServer *self,
                               const char       *equipment_id,
                               LablinkSimJson   *w)
{
  GPtrArray *queue = queue_of (self, equipment_id, FALSE);
  guint i;

  lablink_sim_json_begin_array (w);
  for (i = 0; queue != NULL && i < queue->len; i++)
    write_queue_entry (g_ptr_array_index (queue, i), i, w);
  lablink_sim_json_end_array (w);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

/* `GET /api/locks/all`: {"exclusive_locks", "observer_locks", "queues"} */
void
lablink_sim_locks_write_all (LablinkSimServer *self,
                             LablinkSimJson   *w)
{
  g_autoptr(GPtrArray) lock_keys = sorted_keys (self->locks);
  g_autoptr(GPtrArray) observer_keys = sorted_keys (self->observers);
  g_autoptr(GPtrArray) queue_keys = sorted_keys (self->lock_queues);
  guint i, j;

  lablink_sim_json_begin_object (w);
  lablink_sim_json_key (w, "exclusive_locks");
  lablink_sim_json_begin_object (w);
  for (i = 0; i < lock_keys->len; i++)
    {
      lablink_sim_json_key (w, g_ptr_array_index (lock_keys, i));
      lablink_sim_locks_write_lock (g_hash_table_lookup (self->locks, g_ptr_array_index (lock_keys, i)), w);
    }
  lablink_sim_json_end_object (w);
  lablink_sim_json_key (w, "observer_locks");
  lablink_sim_json_begin_object (w);
  for (i = 0; i < observer_keys->len; i++)
    {
      GPtrArray *observers = g_hash_table_lookup (self->observers, g_ptr_array_index (observer_keys, i));

      lablink_sim_json_key (w, g_ptr_array_index (observer_keys, i));
      lablink_sim_json_begin_array (w);
      for (j = 0; j < observers->len; j++)
        lablink_sim_json_string (w, g_ptr_array_index (observers, j));
      lablink_sim_json_end_array (w);
    }
  lablink_sim_json_end_object (w);
  lablink_sim_json_key (w, "queues");
  lablink_sim_json_begin_object (w);
  for (i = 0; i < queue_keys->len; i++)
    {
      lablink_sim_json_key (w, g_ptr_array_index (queue_keys, i));
      lablink_sim_locks_write_queue (self, g_ptr_array_index (queue_keys, i), w);
    }
  lablink_sim_json_end_object (w);
  lablink_sim_json_end_object (w);
}

/* For `GET /api/sim/status`: {"enabled", "sessions": {id: name}, "exclusive": {eq: session}, "observers": {eq: [sessions]}} */
void
lablink_sim_locks_write_sim_status (LablinkSimServer *self,
                                    LablinkSimJson   *w)
{
  lablink_sim_locks_sweep (self);

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_boolean (w, "enabled", self->locks_enabled);
  lablink_sim_json_key (w, "sessions");
  lablink_sim_json_begin_array (w);
  {
    g_autoptr(GPtrArray) sessions = lablink_sim_locks_list_sessions (self);
    guint i;

    for (i = 0; i < sessions->len; i++)
      lablink_sim_locks_write_session (g_ptr_array_index (sessions, i), w);
  }
  lablink_sim_json_end_array (w);
  lablink_sim_json_key (w, "table");
  lablink_sim_locks_write_all (self, w);
  lablink_sim_json_end_object (w);
}
