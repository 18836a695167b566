/* lablink-lock-info.c — a lock's state, and lock refusals as GErrors
 *
 * LablinkLockInfo is the answer of `GET /api/locks/status/{id}` with the
 * holder's name (its lock session's `client_name`) added. The refusals a
 * LabLink server sends when equipment locks are on (401/403/409 with a
 * `detail` text, see server/api/equipment.py and server/api/locks.py) are
 * turned into LABLINK_ERROR_LOCKED / _NOT_LOCKED / _LOCK_EXPIRED errors
 * that say what happened instead of asking for a login.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-client-private.h"
#include "lablink-error.h"
#include "lablink-message-private.h"

struct _LablinkLockInfo
{
  gatomicrefcount  ref_count;
  char            *equipment_id;
  gboolean         locked;
  gboolean         held_by_us;
  LablinkLockMode  mode;
  char            *session_id;
  char            *holder_name;
  GDateTime       *acquired_at;
  double           time_remaining;
  guint            observer_count;
  guint            queue_length;
};

G_DEFINE_BOXED_TYPE (LablinkLockInfo, lablink_lock_info, lablink_lock_info_ref, lablink_lock_info_unref)

/**
 * lablink_lock_info_ref:
 * @info: a #LablinkLockInfo
 *
 * Returns: (transfer full): @info
 */
LablinkLockInfo *
lablink_lock_info_ref (LablinkLockInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  g_atomic_ref_count_inc (&info->ref_count);
  return info;
}

/**
 * lablink_lock_info_unref:
 * @info: (transfer full): a #LablinkLockInfo
 */
void
lablink_lock_info_unref (LablinkLockInfo *info)
{
  g_return_if_fail (info != NULL);
  if (!g_atomic_ref_count_dec (&info->ref_count))
    return;
  g_free (info->equipment_id);
  g_free (info->session_id);
  g_free (info->holder_name);
  g_clear_pointer (&info->acquired_at, g_date_time_unref);
  g_free (info);
}

/* LabLink writes naive local times (`2026-11-25T17:39:49.011989`) in the
 * server's zone: read like every other timestamp of @self's server, in the
 * client's zone only while the server's is unknown (lablink-client-clock.c).
 * The answer is in the client's zone. */
static GDateTime *
parse_time (LablinkClient *self,
            const char    *text)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) exact = NULL;
  LablinkNaiveZone previous;
  gint64 unix_usec = 0;
  gint64 seconds, usec;
  gboolean ok;

  if (text == NULL)
    return NULL;
  previous = _lablink_client_push_server_zone (self);
  ok = lablink_parse_timestamp (text, strlen (text), &unix_usec);
  _lablink_naive_zone_pop (previous);
  if (!ok)
    return NULL;

  seconds = unix_usec / G_USEC_PER_SEC;
  usec = unix_usec % G_USEC_PER_SEC;
  if (usec < 0)
    {
      seconds--;
      usec += G_USEC_PER_SEC;
    }
  utc = g_date_time_new_from_unix_utc (seconds);
  if (utc != NULL)
    exact = g_date_time_add (utc, usec);
  return exact != NULL ? g_date_time_to_local (exact) : NULL;
}

static double
get_double (JsonObject *object,
            const char *name,
            double      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_DOUBLE:
      return json_node_get_double (node);
    case G_TYPE_INT64:
      return (double) json_node_get_int (node);
    default:
      return fallback;
    }
}

LablinkLockInfo *
_lablink_lock_info_new_from_json (LablinkClient *self,
                                  const char    *equipment_id,
                                  JsonObject    *object)
{
  LablinkLockInfo *info = g_new0 (LablinkLockInfo, 1);
  JsonNode *locked = json_object_get_member (object, "locked");
  const char *mode = _lablink_client_json_get_string (object, "lock_mode");

  g_atomic_ref_count_init (&info->ref_count);
  info->equipment_id = g_strdup (equipment_id);
  info->locked = locked != NULL && JSON_NODE_HOLDS_VALUE (locked) &&
                 json_node_get_value_type (locked) == G_TYPE_BOOLEAN && json_node_get_boolean (locked);
  info->mode = g_strcmp0 (mode, "observer") == 0 ? LABLINK_LOCK_MODE_OBSERVER : LABLINK_LOCK_MODE_EXCLUSIVE;
  info->session_id = g_strdup (_lablink_client_json_get_string (object, "session_id"));
  info->acquired_at = parse_time (self, _lablink_client_json_get_string (object, "acquired_at"));
  info->time_remaining = get_double (object, "time_remaining", -1.0);
  info->observer_count = (guint) MAX (get_double (object, "observer_count", 0.0), 0.0);
  info->queue_length = (guint) MAX (get_double (object, "queue_length", 0.0), 0.0);
  info->held_by_us = info->locked && info->session_id != NULL && self->lock_session_id != NULL &&
                     g_str_equal (info->session_id, self->lock_session_id);
  if (info->held_by_us)
    info->holder_name = g_strdup (self->lock_session_name);
  return info;
}

void
_lablink_lock_info_set_holder_name (LablinkLockInfo *info,
                                    const char      *name)
{
  g_free (info->holder_name);
  info->holder_name = g_strdup (name);
}

/**
 * lablink_lock_info_get_equipment_id:
 * @info: a #LablinkLockInfo
 *
 * Returns: the instrument's id
 */
const char *
lablink_lock_info_get_equipment_id (LablinkLockInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->equipment_id;
}

/**
 * lablink_lock_info_get_locked:
 * @info: a #LablinkLockInfo
 *
 * Returns: whether a session holds the instrument's exclusive lock
 */
gboolean
lablink_lock_info_get_locked (LablinkLockInfo *info)
{
  g_return_val_if_fail (info != NULL, FALSE);
  return info->locked;
}

/**
 * lablink_lock_info_get_held_by_us:
 * @info: a #LablinkLockInfo
 *
 * Returns: whether the holder is the lock session of the client that asked
 */
gboolean
lablink_lock_info_get_held_by_us (LablinkLockInfo *info)
{
  g_return_val_if_fail (info != NULL, FALSE);
  return info->held_by_us;
}

/**
 * lablink_lock_info_get_mode:
 * @info: a #LablinkLockInfo
 *
 * Returns: how the lock is held (meaningful while locked)
 */
LablinkLockMode
lablink_lock_info_get_mode (LablinkLockInfo *info)
{
  g_return_val_if_fail (info != NULL, LABLINK_LOCK_MODE_EXCLUSIVE);
  return info->mode;
}

/**
 * lablink_lock_info_get_session_id:
 * @info: a #LablinkLockInfo
 *
 * Returns: (nullable): the holding lock session's id
 */
const char *
lablink_lock_info_get_session_id (LablinkLockInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->session_id;
}

/**
 * lablink_lock_info_get_holder_name:
 * @info: a #LablinkLockInfo
 *
 * Returns: (nullable): the holding lock session's `client_name` (e.g.
 *   `anna@bench-3`), or %NULL when the server does not know it
 */
const char *
lablink_lock_info_get_holder_name (LablinkLockInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->holder_name;
}

/**
 * lablink_lock_info_get_acquired_at:
 * @info: a #LablinkLockInfo
 *
 * Returns: (nullable) (transfer none): when the lock was taken (local time)
 */
GDateTime *
lablink_lock_info_get_acquired_at (LablinkLockInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  return info->acquired_at;
}

/**
 * lablink_lock_info_get_time_remaining:
 * @info: a #LablinkLockInfo
 *
 * Returns: seconds until the lock expires unless used, or -1 (no timeout
 *   or not locked)
 */
double
lablink_lock_info_get_time_remaining (LablinkLockInfo *info)
{
  g_return_val_if_fail (info != NULL, -1.0);
  return info->time_remaining;
}

/**
 * lablink_lock_info_get_observer_count:
 * @info: a #LablinkLockInfo
 *
 * Returns: the number of observer sessions (while not locked exclusively)
 */
guint
lablink_lock_info_get_observer_count (LablinkLockInfo *info)
{
  g_return_val_if_fail (info != NULL, 0);
  return info->observer_count;
}

/**
 * lablink_lock_info_get_queue_length:
 * @info: a #LablinkLockInfo
 *
 * Returns: the number of sessions waiting for the lock
 */
guint
lablink_lock_info_get_queue_length (LablinkLockInfo *info)
{
  g_return_val_if_fail (info != NULL, 0);
  return info->queue_length;
}

/* "14:02" today, else "2026-11-25 14:02"; NULL without a time */
char *
_lablink_lock_info_format_since (LablinkLockInfo *info)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) local = NULL;

  if (info->acquired_at == NULL)
    return NULL;
  local = g_date_time_to_local (info->acquired_at);
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/**
 * lablink_lock_info_describe:
 * @info: a #LablinkLockInfo
 *
 * A sentence for people: "ps_1 is free", "ps_1 is controlled by you since
 * 14:02", "ps_1 is controlled by bench-3 since 14:02".
 *
 * Returns: (transfer full): the description
 */
char *
lablink_lock_info_describe (LablinkLockInfo *info)
{
  g_autofree char *since = NULL;
  g_autofree char *holder = NULL;
  GString *text;

  g_return_val_if_fail (info != NULL, NULL);

  if (!info->locked)
    {
      if (info->observer_count > 0)
        return g_strdup_printf ("%s is free (%u observer%s)", info->equipment_id, info->observer_count,
                                info->observer_count == 1 ? "" : "s");
      return g_strdup_printf ("%s is free", info->equipment_id);
    }

  if (info->held_by_us)
    holder = g_strdup ("you");
  else if (info->holder_name != NULL && info->holder_name[0] != '\0')
    holder = g_strdup (info->holder_name);
  else
    holder = g_strdup_printf ("session %s", info->session_id != NULL ? info->session_id : "unknown");

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s is controlled by %s", info->equipment_id, holder);
  since = _lablink_lock_info_format_since (info);
  if (since != NULL)
    g_string_append_printf (text, " since %s", since);
  if (info->queue_length > 0)
    g_string_append_printf (text, " (%u waiting)", info->queue_length);
  return g_string_free (text, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Refusals                                                                  */

/* The session id after @marker in @detail, up to a '.', space or the end. */
static char *
session_after (const char *detail,
               const char *marker)
{
  const char *start = strstr (detail, marker);
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen (marker);
  end = start;
  while (*end != '\0' && *end != ' ' && *end != '.' && *end != ',')
    end++;
  return end > start ? g_strndup (start, (gsize) (end - start)) : NULL;
}

GError *
_lablink_client_lock_error (LablinkClient  *self,
                            LablinkRequest *request,
                            guint           status,
                            const char     *detail)
{
  const char *id = request->equipment_id != NULL ? request->equipment_id : "the instrument";
  gboolean held = request->equipment_id != NULL && lablink_client_holds_lock (self, request->equipment_id);
  g_autofree char *owner = NULL;
  GError *error = NULL;

  if (detail == NULL)
    return NULL;

  if (status == 401 && strstr (detail, "session_id required") != NULL)
    error = g_error_new (LABLINK_ERROR, LABLINK_ERROR_NOT_LOCKED,
                         "%s can only be controlled by the holder of its lock: this server has "
                         "equipment locks on; take the lock first (%s, HTTP 401 from %s %s)",
                         id, detail, request->method, request->path);
  else if ((owner = session_after (detail, "locked by session ")) != NULL ||
           (owner = session_after (detail, "exclusive lock by session ")) != NULL ||
           (owner = session_after (detail, "owned by session ")) != NULL)
    {
      if (g_str_equal (owner, "unknown"))
        error = held
          ? g_error_new (LABLINK_ERROR, LABLINK_ERROR_LOCK_EXPIRED,
                         "Your lock on %s expired (it was not used for its timeout); take it again",
                         id)
          : g_error_new (LABLINK_ERROR, LABLINK_ERROR_NOT_LOCKED,
                         "You do not hold the lock of %s: take it first (HTTP %u from %s %s)",
                         id, status, request->method, request->path);
      else if (self->lock_session_id != NULL && g_str_equal (owner, self->lock_session_id))
        return NULL;
      else
        error = g_error_new (LABLINK_ERROR, LABLINK_ERROR_LOCKED,
                             "%s is controlled by another session (%s)", id, owner);
    }
  else if (strstr (detail, "No observer or control access") != NULL)
    error = g_error_new (LABLINK_ERROR, LABLINK_ERROR_NOT_LOCKED,
                         "You hold no lock on %s: take one first (HTTP %u from %s %s)",
                         id, status, request->method, request->path);
  else if (status == 404 && g_str_has_prefix (detail, "No lock found for equipment"))
    error = g_error_new (LABLINK_ERROR, LABLINK_ERROR_LOCK_EXPIRED,
                         "Your lock on %s expired (it was not used for its timeout); take it again", id);
  else if (status == 404 && g_str_has_prefix (detail, "Session ") && g_str_has_suffix (detail, " not found"))
    error = g_error_new (LABLINK_ERROR, LABLINK_ERROR_LOCK_EXPIRED,
                         "The lock session expired (it was not kept alive for its timeout): "
                         "its locks are gone; take them again");

  if (error != NULL && error->code != LABLINK_ERROR_LOCKED && request->equipment_id != NULL)
    _lablink_client_forget_lock (self, request->equipment_id);
  else if (error != NULL && held)
    _lablink_client_forget_lock (self, request->equipment_id);
  return error;
}
