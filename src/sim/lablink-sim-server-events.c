/* lablink-sim-server-events.c — the simulated server's unsolicited frames:
 * alarm, job and discovery events, and raw text broadcast to every client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lablink-sim-server-private.h"

static void
write_alarm_event_data (LablinkSimServer *self,
                        LablinkSimJson   *w,
                        const char       *event_id)
{
  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "event_id", event_id);
  lablink_sim_json_member_string (w, "alarm_id", "alarm_51300001");
  lablink_sim_json_member_string (w, "alarm_name", "sim-overvoltage");
  lablink_sim_json_member_string (w, "severity", "warning");
  lablink_sim_json_member_string (w, "state", "active");
  lablink_sim_json_member_string (w, "equipment_id", "ps_250e6dfe");
  lablink_sim_json_member_string (w, "parameter", "voltage");
  lablink_sim_json_member_double (w, "value", 5.0);
  lablink_sim_json_member_double (w, "threshold", 4.0);
  lablink_sim_json_member_string (w, "message", "Alarm: sim-overvoltage - voltage = 5.0");
  lablink_sim_json_member_timestamp (w, "timestamp", g_get_real_time ());
  lablink_sim_json_end_object (w);
}

/* Builds a realistic frame for an unsolicited event type (shapes from the
 * real server where it was observed), or a generic one with @data. */
static GString *
build_event_frame (LablinkSimServer *self,
                   const char       *type,
                   JsonNode         *data)
{
  GString *out = g_string_new (NULL);
  LablinkSimJson w;
  gint64 now = g_get_real_time ();

  lablink_sim_server_init_ws_writer (self, &w, out);
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "type", type);

  if (data != NULL)
    {
      lablink_sim_json_key (&w, "data");
      lablink_sim_json_node (&w, data);
    }
  else if (g_str_equal (type, "alarm"))
    {
      g_free (self->last_event_id);
      self->last_event_id = lablink_sim_server_new_hex_id (self, "event");
      lablink_sim_json_member_string (&w, "severity", "warning");
      lablink_sim_json_member_string (&w, "event_id", self->last_event_id);
      lablink_sim_json_member_string (&w, "alarm_id", "alarm_51300001");
      lablink_sim_json_member_string (&w, "alarm_name", "sim-overvoltage");
      lablink_sim_json_member_string (&w, "message", "Alarm: sim-overvoltage - voltage = 5.0");
      lablink_sim_json_member_string (&w, "equipment_id", "ps_250e6dfe");
      lablink_sim_json_member_string (&w, "parameter", "voltage");
      lablink_sim_json_member_double (&w, "value", 5.0);
      lablink_sim_json_member_double (&w, "threshold", 4.0);
      lablink_sim_json_member_timestamp (&w, "triggered_at", now);
      lablink_sim_json_member_string (&w, "state", "active");
    }
  else if (g_str_equal (type, "alarm_event"))
    {
      g_free (self->last_event_id);
      self->last_event_id = lablink_sim_server_new_hex_id (self, "event");
      lablink_sim_json_key (&w, "data");
      write_alarm_event_data (self, &w, self->last_event_id);
    }
  else if (g_str_equal (type, "alarm_updated"))
    {
      if (self->last_event_id == NULL)
        self->last_event_id = lablink_sim_server_new_hex_id (self, "event");
      lablink_sim_json_key (&w, "data");
      lablink_sim_json_begin_object (&w);
      lablink_sim_json_member_string (&w, "event_id", self->last_event_id);
      lablink_sim_json_member_string (&w, "state", "acknowledged");
      lablink_sim_json_member_timestamp (&w, "acknowledged_at", now);
      lablink_sim_json_member_string (&w, "acknowledged_by", "lablink-sim");
      lablink_sim_json_end_object (&w);
    }
  else if (g_str_equal (type, "alarm_cleared"))
    {
      if (self->last_event_id == NULL)
        self->last_event_id = lablink_sim_server_new_hex_id (self, "event");
      lablink_sim_json_key (&w, "data");
      lablink_sim_json_begin_object (&w);
      lablink_sim_json_member_string (&w, "event_id", self->last_event_id);
      lablink_sim_json_end_object (&w);
    }
  else if (g_str_has_prefix (type, "job_"))
    {
      const char *status = "scheduled";

      if (self->last_job_id == NULL || g_str_equal (type, "job_created"))
        {
          g_free (self->last_job_id);
          self->last_job_id = lablink_sim_server_new_hex_id (self, "job");
        }
      if (g_str_equal (type, "job_started"))
        status = "running";
      else if (g_str_equal (type, "job_completed"))
        status = "completed";
      else if (g_str_equal (type, "job_failed"))
        status = "failed";
      else if (g_str_equal (type, "job_deleted"))
        status = "deleted";

      lablink_sim_json_key (&w, "data");
      lablink_sim_json_begin_object (&w);
      lablink_sim_json_member_string (&w, "job_id", self->last_job_id);
      lablink_sim_json_member_string (&w, "name", "sim-measure");
      lablink_sim_json_member_string (&w, "equipment_id", "ps_250e6dfe");
      lablink_sim_json_member_string (&w, "status", status);
      if (g_str_equal (type, "job_failed"))
        lablink_sim_json_member_string (&w, "error", "Simulated failure");
      lablink_sim_json_member_timestamp (&w, "timestamp", now);
      lablink_sim_json_end_object (&w);
    }
  else if (g_str_equal (type, "discovery_progress"))
    {
      lablink_sim_json_key (&w, "data");
      lablink_sim_json_begin_object (&w);
      lablink_sim_json_member_double (&w, "progress", 0.5);
      lablink_sim_json_member_int (&w, "devices_found", self->instruments->len);
      lablink_sim_json_member_string (&w, "message", "Scanning MOCK resources");
      lablink_sim_json_end_object (&w);
    }
  else
    {
      lablink_sim_json_key (&w, "data");
      lablink_sim_json_begin_object (&w);
      lablink_sim_json_member_timestamp (&w, "timestamp", now);
      lablink_sim_json_end_object (&w);
    }

  lablink_sim_json_end_object (&w);
  return out;
}

guint
lablink_sim_server_emit_event_frame (LablinkSimServer *self,
                                     const char       *type,
                                     JsonNode         *data)
{
  return lablink_sim_server_broadcast_string (self, build_event_frame (self, type, data));
}

static gboolean
event_invoke_cb (gpointer user_data)
{
  SimInvocation *inv = user_data;

  lablink_sim_server_emit_event_frame (inv->server, inv->text, NULL);
  return G_SOURCE_REMOVE;
}

/**
 * lablink_sim_server_emit_event:
 * @self: a server
 * @type: an unsolicited message type: `alarm`, `alarm_event`,
 *   `alarm_updated`, `alarm_cleared`, `job_created`, `job_updated`,
 *   `job_deleted`, `job_started`, `job_completed`, `job_failed`,
 *   `discovery_progress` (anything else gets a generic `data`)
 *
 * Broadcasts an unsolicited event frame to every client. Thread-safe.
 */
void
lablink_sim_server_emit_event (LablinkSimServer *self,
                               const char       *type)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  g_return_if_fail (type != NULL);
  lablink_sim_server_invoke (self, event_invoke_cb, 0, 0, type);
}

static gboolean
broadcast_invoke_cb (gpointer user_data)
{
  SimInvocation *inv = user_data;

  lablink_sim_server_broadcast_string (inv->server, g_string_new (inv->text));
  return G_SOURCE_REMOVE;
}

/**
 * lablink_sim_server_broadcast_text:
 * @self: a server
 * @text: UTF-8 text
 *
 * Broadcasts @text as a text frame to every client, as is. Thread-safe.
 */
void
lablink_sim_server_broadcast_text (LablinkSimServer *self,
                                   const char       *text)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  g_return_if_fail (text != NULL && g_utf8_validate (text, -1, NULL));
  lablink_sim_server_invoke (self, broadcast_invoke_cb, 0, 0, text);
}
