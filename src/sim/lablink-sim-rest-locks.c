/* lablink-sim-rest-locks.c — the simulated server's lock routes,
 * `/api/locks/…`, and the lock check of equipment commands
 *
 * Status codes and `detail` texts are LabLink 1.2.5's (server/api/locks.py,
 * server/api/equipment.py); the table itself is lablink-sim-server-locks.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-sim-rest-private.h"

/* A required string member, else 422. */
static const char *
require_str (SimRequest *r,
             JsonObject *body,
             const char *member)
{
  const char *value = lablink_sim_json_object_get_str (body, member);

  if (value == NULL)
    lablink_sim_rest_respond_detail (r->msg, 422, "Field required: %s", member);
  return value;
}

/* An optional timeout (integer ≥ 0), else 422. */
static gboolean
get_timeout (SimRequest *r,
             JsonObject *body,
             guint      *timeout_s)
{
  double value;

  if (!json_object_has_member (body, "timeout_seconds"))
    return TRUE;
  if (!lablink_sim_json_object_get_number (body, "timeout_seconds", &value) ||
      value != floor (value) || value < 0 || value > G_MAXUINT32)
    {
      lablink_sim_rest_respond_detail (r->msg, 422, "Invalid timeout_seconds");
      return FALSE;
    }
  *timeout_s = (guint) value;
  return TRUE;
}

static void
respond_no_session (SimRequest *r,
                    const char *session_id)
{
  lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_NOT_FOUND, "Session %s not found", session_id);
}

static void
respond_writer_detail (SimRequest *r,
                       guint       status,
                       GString    *out,
                       const char *detail)
{
  g_string_free (out, TRUE);
  lablink_sim_rest_respond_detail (r->msg, status, "%s", detail);
}

/* ------------------------------------------------------------------------ */
/* Sessions                                                                  */

static void
handle_session_create (SimRequest *r)
{
  g_autoptr(JsonObject) body = lablink_sim_rest_read_body (r, FALSE);
  const char *client_ip;
  guint timeout_s = LABLINK_SIM_LOCK_SESSION_TIMEOUT_S;
  SimLockSession *session;
  LablinkSimJson w;

  if (body == NULL || !get_timeout (r, body, &timeout_s))
    return;
  client_ip = lablink_sim_json_object_get_str (body, "client_ip");
  if (client_ip == NULL)
    client_ip = soup_server_message_get_remote_host (r->msg);
  session = lablink_sim_locks_create_session (r->server, lablink_sim_json_object_get_str (body, "client_name"),
                                              client_ip, timeout_s, json_object_get_member (body, "metadata"));
  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_locks_write_session (session, &w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_session_get (SimRequest *r,
                    const char *session_id)
{
  SimLockSession *session = lablink_sim_locks_get_session (r->server, session_id);
  LablinkSimJson w;

  if (session == NULL)
    {
      respond_no_session (r, session_id);
      return;
    }
  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_locks_write_session (session, &w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_session_end (SimRequest *r,
                    const char *session_id)
{
  guint n_released = 0;
  LablinkSimJson w;

  if (!lablink_sim_locks_end_session (r->server, session_id, &n_released))
    {
      respond_no_session (r, session_id);
      return;
    }
  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_boolean (&w, "success", TRUE);
  lablink_sim_json_member_string (&w, "message", "Session ended");
  lablink_sim_json_member_string (&w, "session_id", session_id);
  lablink_sim_json_member_int (&w, "locks_released", n_released);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_session_activity (SimRequest *r,
                         const char *session_id)
{
  if (!lablink_sim_locks_touch_session (r->server, session_id))
    {
      respond_no_session (r, session_id);
      return;
    }
  lablink_sim_rest_respond_success_for (r->msg, "Session activity updated", "session_id", session_id);
}

static void
handle_session_list (SimRequest *r)
{
  g_autoptr(GPtrArray) sessions = lablink_sim_locks_list_sessions (r->server);

  lablink_sim_rest_respond_list (r->msg, "sessions", sessions,
                                 (LablinkSimWriteItem) lablink_sim_locks_write_session);
}

static void
handle_session_locks (SimRequest *r,
                      const char *session_id)
{
  LablinkSimJson w;

  if (lablink_sim_locks_get_session (r->server, session_id) == NULL)
    {
      respond_no_session (r, session_id);
      return;
    }
  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_locks_write_session_locks (r->server, session_id, &w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_cleanup (SimRequest *r)
{
  LablinkSimJson w;

  /* the sweep before every lock route already forgot expired sessions */
  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_boolean (&w, "success", TRUE);
  lablink_sim_json_member_string (&w, "message", "Cleanup completed");
  lablink_sim_json_member_int (&w, "expired_sessions", 0);
  lablink_sim_json_key (&w, "session_ids");
  lablink_sim_json_begin_array (&w);
  lablink_sim_json_end_array (&w);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

/* ------------------------------------------------------------------------ */
/* Locks                                                                     */

static void
handle_acquire (SimRequest *r)
{
  g_autoptr(JsonObject) body = lablink_sim_rest_read_body (r, TRUE);
  g_autofree char *detail = NULL;
  const char *equipment_id, *session_id, *mode;
  guint timeout_s = LABLINK_SIM_LOCK_TIMEOUT_S;
  gboolean queue_if_busy = FALSE;
  LablinkSimJson w;

  if (body == NULL ||
      (equipment_id = require_str (r, body, "equipment_id")) == NULL ||
      (session_id = require_str (r, body, "session_id")) == NULL ||
      !get_timeout (r, body, &timeout_s))
    return;
  mode = lablink_sim_json_object_get_str (body, "lock_mode");
  if (mode != NULL && !g_str_equal (mode, "exclusive") && !g_str_equal (mode, "observer"))
    {
      lablink_sim_rest_respond_detail (r->msg, 422, "lock_mode: Input should be 'exclusive' or 'observer'");
      return;
    }
  lablink_sim_json_object_get_bool (body, "queue_if_busy", &queue_if_busy);

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  if (lablink_sim_locks_acquire (r->server, equipment_id, session_id, g_strcmp0 (mode, "observer") == 0,
                                 timeout_s, queue_if_busy, &w, &detail) != SIM_LOCK_OK)
    {
      respond_writer_detail (r, SOUP_STATUS_CONFLICT, w.out, detail);
      return;
    }
  lablink_sim_locks_touch_session (r->server, session_id);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_release (SimRequest *r)
{
  g_autoptr(JsonObject) body = lablink_sim_rest_read_body (r, TRUE);
  g_autofree char *detail = NULL;
  const char *equipment_id, *session_id;
  gboolean force = FALSE;
  LablinkSimJson w;

  if (body == NULL ||
      (equipment_id = require_str (r, body, "equipment_id")) == NULL ||
      (session_id = require_str (r, body, "session_id")) == NULL)
    return;
  lablink_sim_json_object_get_bool (body, "force", &force);

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  if (lablink_sim_locks_release (r->server, equipment_id, session_id, force, &w, &detail) != SIM_LOCK_OK)
    {
      respond_writer_detail (r, SOUP_STATUS_FORBIDDEN, w.out, detail);
      return;
    }
  lablink_sim_locks_touch_session (r->server, session_id);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_status (SimRequest *r,
               const char *equipment_id)
{
  LablinkSimJson w;

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_locks_write_status (r->server, equipment_id, &w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_queue (SimRequest *r,
              const char *equipment_id)
{
  LablinkSimJson w;

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "equipment_id", equipment_id);
  lablink_sim_json_key (&w, "queue");
  lablink_sim_locks_write_queue (r->server, equipment_id, &w);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_all (SimRequest *r)
{
  LablinkSimJson w;

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_locks_write_all (r->server, &w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_lock_activity (SimRequest *r,
                      const char *equipment_id)
{
  g_autoptr(JsonObject) body = lablink_sim_rest_read_body (r, TRUE);
  const char *session_id;
  LablinkSimJson w;

  if (body == NULL || (session_id = require_str (r, body, "session_id")) == NULL)
    return;
  if (!lablink_sim_locks_touch_lock (r->server, equipment_id, session_id))
    {
      lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_NOT_FOUND, "No lock found for equipment %s and session %s",
                                       equipment_id, session_id);
      return;
    }
  lablink_sim_locks_touch_session (r->server, session_id);
  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_boolean (&w, "success", TRUE);
  lablink_sim_json_member_string (&w, "message", "Activity updated");
  lablink_sim_json_member_string (&w, "equipment_id", equipment_id);
  lablink_sim_json_member_string (&w, "session_id", session_id);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

/* ------------------------------------------------------------------------ */
/* Commands                                                                  */

/**
 * lablink_sim_rest_check_lock:
 * @r: a command request
 * @equipment_id: the instrument
 * @command: the command's body
 *
 * With locks on, a control command needs a `session_id` holding the
 * exclusive lock (401 without one, 403 otherwise) and a read-only command
 * that names a session needs that session to hold a lock; both refresh
 * the lock. Answers @r and returns %FALSE when the command may not run.
 */
gboolean
lablink_sim_rest_check_lock (SimRequest *r,
                             const char *equipment_id,
                             JsonObject *command)
{
  LablinkSimServer *self = r->server;
  const char *action = lablink_sim_json_object_get_str (command, "action");
  const char *session_id = lablink_sim_json_object_get_str (command, "session_id");

  if (!self->locks_enabled || action == NULL)
    return TRUE;

  lablink_sim_locks_sweep (self);
  if (lablink_sim_locks_requires_control (action))
    {
      if (session_id == NULL || session_id[0] == '\0')
        {
          lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_UNAUTHORIZED,
                                           "session_id required for control commands when locks are enabled");
          return FALSE;
        }
      if (!lablink_sim_locks_can_control (self, equipment_id, session_id))
        {
          SimLock *lock = lablink_sim_locks_get_lock (self, equipment_id);
          const char *owner = lock != NULL ? lablink_sim_locks_get_lock_session (lock) : "unknown";

          lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_FORBIDDEN,
                                           "Equipment %s is locked by session %s. "
                                           "Acquire exclusive lock before control commands.",
                                           equipment_id, owner);
          return FALSE;
        }
      lablink_sim_locks_touch_lock (self, equipment_id, session_id);
    }
  else if (session_id != NULL && session_id[0] != '\0')
    {
      if (!lablink_sim_locks_can_observe (self, equipment_id, session_id))
        {
          lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_FORBIDDEN,
                                           "No observer or control access to equipment %s", equipment_id);
          return FALSE;
        }
      lablink_sim_locks_touch_lock (self, equipment_id, session_id);
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Routes                                                                    */

gboolean
lablink_sim_rest_route_locks (SimRequest *r)
{
  char **p = r->parts;

  if (r->n_parts < 3 || !g_str_equal (p[1], "locks"))
    return FALSE;
  lablink_sim_locks_sweep (r->server);

  if (lablink_sim_rest_route (r, "POST", 4, "api", "locks", "sessions", "create"))
    handle_session_create (r);
  else if (lablink_sim_rest_route (r, "GET", 3, "api", "locks", "sessions"))
    handle_session_list (r);
  else if (lablink_sim_rest_route (r, "GET", 4, "api", "locks", "sessions", NULL))
    handle_session_get (r, p[3]);
  else if (lablink_sim_rest_route (r, "DELETE", 4, "api", "locks", "sessions", NULL))
    handle_session_end (r, p[3]);
  else if (lablink_sim_rest_route (r, "POST", 5, "api", "locks", "sessions", NULL, "activity"))
    handle_session_activity (r, p[3]);
  else if (lablink_sim_rest_route (r, "GET", 5, "api", "locks", "sessions", NULL, "locks"))
    handle_session_locks (r, p[3]);
  else if (lablink_sim_rest_route (r, "POST", 3, "api", "locks", "acquire"))
    handle_acquire (r);
  else if (lablink_sim_rest_route (r, "POST", 3, "api", "locks", "release"))
    handle_release (r);
  else if (lablink_sim_rest_route (r, "GET", 4, "api", "locks", "status", NULL))
    handle_status (r, p[3]);
  else if (lablink_sim_rest_route (r, "GET", 4, "api", "locks", "queue", NULL))
    handle_queue (r, p[3]);
  else if (lablink_sim_rest_route (r, "GET", 3, "api", "locks", "all"))
    handle_all (r);
  else if (lablink_sim_rest_route (r, "POST", 4, "api", "locks", "activity", NULL))
    handle_lock_activity (r, p[3]);
  else if (lablink_sim_rest_route (r, "POST", 3, "api", "locks", "cleanup"))
    handle_cleanup (r);
  else
    return FALSE;
  return TRUE;
}
