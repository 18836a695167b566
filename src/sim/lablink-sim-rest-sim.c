/* lablink-sim-rest-sim.c — the simulator's own debug routes, /api/sim/…:
 * status, generated samples, events, broadcasts, drops, floods, faults
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-sim-rest-private.h"

static void
handle_sim_status (SimRequest *r)
{
  LablinkSimJson w;

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_server_write_sim_status (r->server, &w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_sim_generated (SimRequest *r,
                      const char *acquisition_id)
{
  g_autoptr(GArray) timestamps = NULL;
  guint64 count = 0;
  LablinkSimJson w;
  guint i;

  if (!lablink_sim_server_get_acquisition_generated (r->server, acquisition_id, &count, &timestamps))
    {
      lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_NOT_FOUND, "Acquisition session %s not found", acquisition_id);
      return;
    }

  lablink_sim_rest_init_writer (&w, g_string_sized_new (32 + timestamps->len * 29));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_int (&w, "count", (gint64) count);
  lablink_sim_json_key (&w, "timestamps");
  lablink_sim_json_begin_array (&w);
  for (i = 0; i < timestamps->len; i++)
    lablink_sim_json_timestamp (&w, g_array_index (timestamps, gint64, i));
  lablink_sim_json_end_array (&w);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_sim_event (SimRequest *r)
{
  g_autoptr(JsonObject) body = lablink_sim_rest_read_body (r, TRUE);
  const char *type;
  JsonNode *data;
  LablinkSimJson w;
  guint n;

  if (body == NULL)
    return;
  type = lablink_sim_json_object_get_str (body, "type");
  if (type == NULL || *type == '\0')
    {
      lablink_sim_rest_respond_detail (r->msg, 422, "Field required: type");
      return;
    }
  data = json_object_get_member (body, "data");
  n = lablink_sim_server_emit_event_frame (r->server, type, data);

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_boolean (&w, "success", TRUE);
  lablink_sim_json_member_string (&w, "type", type);
  lablink_sim_json_member_int (&w, "clients", n);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_sim_broadcast (SimRequest *r)
{
  g_autoptr(JsonObject) body = lablink_sim_rest_read_body (r, TRUE);
  const char *text;

  if (body == NULL)
    return;
  text = lablink_sim_json_object_get_str (body, "text");
  if (text == NULL)
    {
      lablink_sim_rest_respond_detail (r->msg, 422, "Field required: text");
      return;
    }
  lablink_sim_server_broadcast_text (r->server, text);
  lablink_sim_rest_respond_success (r->msg, "Broadcast queued", NULL);
}

static void
handle_sim_drop (SimRequest *r)
{
  g_autoptr(JsonObject) body = lablink_sim_rest_read_body (r, FALSE);
  const char *mode;
  double code = SOUP_WEBSOCKET_CLOSE_GOING_AWAY;
  gboolean abrupt = TRUE;
  LablinkSimJson w;
  guint n;

  if (body == NULL)
    return;
  mode = lablink_sim_json_object_get_str (body, "mode");
  if (mode != NULL && g_str_equal (mode, "close"))
    {
      abrupt = FALSE;
      if (lablink_sim_json_object_get_number (body, "code", &code) &&
          (code != floor (code) || code < 1000 || code > 4999))
        {
          lablink_sim_rest_respond_detail (r->msg, 422, "Invalid close code");
          return;
        }
    }
  else if (mode != NULL && !g_str_equal (mode, "abrupt"))
    {
      lablink_sim_rest_respond_detail (r->msg, 422, "Invalid mode (expected abrupt or close)");
      return;
    }

  n = lablink_sim_server_drop_all (r->server, abrupt, (gushort) code);

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_boolean (&w, "success", TRUE);
  lablink_sim_json_member_int (&w, "dropped", n);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
respond_flood (SimRequest *r)
{
  LablinkSimJson w;

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_int (&w, "sent", (gint64) lablink_sim_server_get_flood_sent (r->server));
  lablink_sim_json_member_boolean (&w, "running", r->server->flood_source != NULL);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static gboolean
get_uint_member (SimRequest *r,
                 JsonObject *body,
                 const char *name,
                 guint      *value)
{
  double d;

  if (!json_object_has_member (body, name))
    return TRUE;
  if (!lablink_sim_json_object_get_number (body, name, &d) || d != floor (d) || d < 0 || d > G_MAXUINT)
    {
      lablink_sim_rest_respond_detail (r->msg, 422, "Invalid %s (expected a non-negative integer)", name);
      return FALSE;
    }
  *value = (guint) d;
  return TRUE;
}

static void
handle_sim_flood (SimRequest *r)
{
  g_autoptr(JsonObject) body = lablink_sim_rest_read_body (r, FALSE);
  guint n_frames = 0, rate_hz = 0;

  if (body == NULL)
    return;
  if (!get_uint_member (r, body, "n_frames", &n_frames) || !get_uint_member (r, body, "rate_hz", &rate_hz))
    return;
  lablink_sim_server_flood (r->server, n_frames, rate_hz);
  respond_flood (r);
}

static void
handle_sim_faults (SimRequest *r)
{
  LablinkSimServer *self = r->server;
  LablinkSimJson w;

  if (g_str_equal (r->method, "POST"))
    {
      g_autoptr(JsonObject) body = lablink_sim_rest_read_body (r, TRUE);
      guint drop_after_messages = self->drop_after_messages;
      guint drop_after_ms = self->drop_after_ms;
      guint refuse_ms = self->refuse_ms;
      guint latency_ms = self->latency_ms;
      double hostile_rate = self->hostile_rate;
      LablinkSimHostileKinds kinds = self->hostile_kinds;
      const char *kinds_text;

      if (body == NULL)
        return;
      if (!get_uint_member (r, body, "drop_after_messages", &drop_after_messages) ||
          !get_uint_member (r, body, "drop_after_ms", &drop_after_ms) ||
          !get_uint_member (r, body, "refuse_ms", &refuse_ms) ||
          !get_uint_member (r, body, "latency_ms", &latency_ms))
        return;
      if (json_object_has_member (body, "hostile_rate") &&
          (!lablink_sim_json_object_get_number (body, "hostile_rate", &hostile_rate) || hostile_rate < 0))
        {
          lablink_sim_rest_respond_detail (r->msg, 422, "Invalid hostile_rate");
          return;
        }
      kinds_text = lablink_sim_json_object_get_str (body, "hostile_kinds");
      if (kinds_text != NULL)
        {
          g_autoptr(GError) error = NULL;

          if (!lablink_sim_hostile_kinds_from_string (kinds_text, &kinds, &error))
            {
              lablink_sim_rest_respond_detail (r->msg, 422, "%s", error->message);
              return;
            }
        }

      lablink_sim_server_set_drop_after_messages (self, drop_after_messages);
      lablink_sim_server_set_drop_after_ms (self, drop_after_ms);
      lablink_sim_server_set_refuse_ms (self, refuse_ms);
      lablink_sim_server_set_latency_ms (self, latency_ms);
      lablink_sim_server_set_hostile (self, hostile_rate, kinds);
    }

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_server_write_faults (self, &w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

/* ------------------------------------------------------------------------ */
/* Routes                                                                    */

gboolean
lablink_sim_rest_route_sim (SimRequest *r)
{
  char **p = r->parts;

  if (lablink_sim_rest_route (r, "GET", 3, "api", "sim", "status"))
    handle_sim_status (r);
  else if (lablink_sim_rest_route (r, "GET", 5, "api", "sim", "acquisition", NULL, "generated"))
    handle_sim_generated (r, p[3]);
  else if (lablink_sim_rest_route (r, "POST", 3, "api", "sim", "event"))
    handle_sim_event (r);
  else if (lablink_sim_rest_route (r, "POST", 3, "api", "sim", "broadcast"))
    handle_sim_broadcast (r);
  else if (lablink_sim_rest_route (r, "POST", 3, "api", "sim", "drop"))
    handle_sim_drop (r);
  else if (lablink_sim_rest_route (r, "POST", 3, "api", "sim", "flood"))
    handle_sim_flood (r);
  else if (lablink_sim_rest_route (r, "GET", 3, "api", "sim", "flood"))
    respond_flood (r);
  else if (lablink_sim_rest_route (r, "DELETE", 3, "api", "sim", "flood"))
    {
      lablink_sim_server_stop_flood (r->server);
      respond_flood (r);
    }
  else if (lablink_sim_rest_route (r, "GET", 3, "api", "sim", "faults") ||
           lablink_sim_rest_route (r, "POST", 3, "api", "sim", "faults"))
    handle_sim_faults (r);
  else
    return FALSE;
  return TRUE;
}
