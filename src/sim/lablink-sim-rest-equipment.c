/* lablink-sim-rest-equipment.c — the simulated server's equipment routes:
 * list, connect, status, readings, commands, snapshots, waveform capture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <lablink.h>

#include "lablink-sim-scope.h"
#include "lablink-sim-rest-private.h"

static void
handle_equipment_list (SimRequest *r)
{
  LablinkSimJson w;
  guint i;

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_array (&w);
  for (i = 0; i < r->server->instruments->len; i++)
    lablink_sim_instrument_write_list_entry (g_ptr_array_index (r->server->instruments, i), &w);
  lablink_sim_json_end_array (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

LablinkSimInstrument *
lablink_sim_rest_find_device (SimRequest *r,
                              const char *equipment_id)
{
  LablinkSimInstrument *instrument = lablink_sim_server_get_instrument (r->server, equipment_id);

  if (instrument == NULL)
    lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_NOT_FOUND, "Device not found");
  return instrument;
}

static void
handle_equipment_status (SimRequest *r,
                         const char *equipment_id)
{
  LablinkSimInstrument *instrument = lablink_sim_rest_find_device (r, equipment_id);
  LablinkSimJson w;

  if (instrument == NULL)
    return;

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_instrument_write_status (instrument, &w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static guint
query_channel (SimRequest *r)
{
  const char *text = lablink_sim_rest_query_get (r, "channel");
  guint64 channel;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, 64, &channel, NULL))
    return 1;
  return (guint) channel;
}

static void
write_readings_response (SimRequest           *r,
                         LablinkSimInstrument *instrument)
{
  LablinkSimJson w;

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_instrument_write_readings (instrument, &w, query_channel (r), g_get_real_time ());
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_equipment_readings (SimRequest *r,
                           const char *equipment_id)
{
  LablinkSimInstrument *instrument = lablink_sim_rest_find_device (r, equipment_id);

  if (instrument == NULL)
    return;

  if (!lablink_sim_instrument_has_readings (instrument))
    {
      lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_NOT_IMPLEMENTED, "Equipment type %s does not support readings",
                                       LABLINK_SIM_INSTRUMENT_GET_CLASS (instrument)->python_class);
      return;
    }
  write_readings_response (r, instrument);
}

static void
handle_equipment_command (SimRequest *r,
                          const char *equipment_id)
{
  LablinkSimInstrument *instrument = lablink_sim_rest_find_device (r, equipment_id);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) data = g_string_new (NULL);
  g_autofree char *command_id = NULL;
  LablinkSimJson data_writer, w;
  JsonObject *parameters = NULL;
  JsonNode *node;
  const char *action;
  gboolean ok;

  if (instrument == NULL)
    return;
  body = lablink_sim_rest_read_body (r, TRUE);
  if (body == NULL)
    return;

  action = lablink_sim_json_object_get_str (body, "action");
  if (action == NULL)
    {
      lablink_sim_rest_respond_detail (r->msg, 422, "Field required: action");
      return;
    }
  if (!lablink_sim_rest_check_lock (r, equipment_id, body))
    return;
  node = json_object_get_member (body, "parameters");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    parameters = json_node_get_object (node);

  command_id = g_strdup (lablink_sim_json_object_get_str (body, "command_id"));
  if (command_id == NULL)
    command_id = lablink_sim_server_new_uuid (r->server);

  lablink_sim_rest_init_writer (&data_writer, data);
  ok = lablink_sim_instrument_execute (instrument, action, parameters, &data_writer, &error);

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "command_id", command_id);
  lablink_sim_json_member_boolean (&w, "success", ok);
  lablink_sim_json_key (&w, "data");
  if (ok && data->len > 0)
    {
      /* the data writer shares the style; splice its text */
      lablink_sim_json_null (&w);
      g_string_truncate (w.out, w.out->len - 4);
      g_string_append_len (w.out, data->str, data->len);
      w.saw_nonfinite |= data_writer.saw_nonfinite;
    }
  else
    lablink_sim_json_null (&w);
  lablink_sim_json_member_string (&w, "error", ok ? NULL : error->message);
  lablink_sim_json_member_timestamp (&w, "timestamp", g_get_real_time ());
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_equipment_connect (SimRequest *r)
{
  g_autoptr(JsonObject) body = lablink_sim_rest_read_body (r, TRUE);
  const char *resource;
  LablinkSimJson w;
  guint i;

  if (body == NULL)
    return;
  resource = lablink_sim_json_object_get_str (body, "resource_string");
  for (i = 0; resource != NULL && i < r->server->instruments->len; i++)
    {
      LablinkSimInstrument *instrument = g_ptr_array_index (r->server->instruments, i);

      if (g_str_equal (resource, lablink_sim_instrument_get_resource_string (instrument)))
        {
          lablink_sim_rest_init_writer (&w, g_string_new (NULL));
          lablink_sim_json_begin_object (&w);
          lablink_sim_json_member_string (&w, "equipment_id", lablink_sim_instrument_get_id (instrument));
          lablink_sim_json_member_string (&w, "status", "connected");
          lablink_sim_json_end_object (&w);
          lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
          return;
        }
    }
  lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_NOT_FOUND, "Device not found");
}

static void
handle_snapshot (SimRequest *r,
                 const char *equipment_id)
{
  LablinkSimInstrument *instrument = lablink_sim_rest_find_device (r, equipment_id);
  const char *data_type = lablink_sim_rest_query_get (r, "data_type");
  LablinkSimJson w;

  if (instrument == NULL)
    return;
  if (data_type == NULL)
    data_type = LABLINK_STREAM_READINGS;

  if (g_str_equal (data_type, LABLINK_STREAM_READINGS))
    {
      if (!lablink_sim_instrument_has_readings (instrument))
        {
          lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Unknown command: get_readings");
          return;
        }
      write_readings_response (r, instrument);
    }
  else if (g_str_equal (data_type, LABLINK_STREAM_WAVEFORM))
    {
      if (!LABLINK_SIM_IS_SCOPE (instrument))
        {
          lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Unknown command: get_waveform");
          return;
        }
      lablink_sim_rest_init_writer (&w, g_string_new (NULL));
      lablink_sim_scope_write_waveform (LABLINK_SIM_SCOPE (instrument), &w, 1, g_get_real_time (),
                                        r->server->compat ? LABLINK_SIM_SCOPE_WRITE_METADATA
                                                          : LABLINK_SIM_SCOPE_WRITE_VOLTAGE_DATA);
      lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
    }
  else if (g_str_equal (data_type, LABLINK_STREAM_MEASUREMENTS))
    {
      if (!LABLINK_SIM_IS_SCOPE (instrument))
        {
          lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Unknown command: get_measurements");
          return;
        }
      lablink_sim_rest_init_writer (&w, g_string_new (NULL));
      lablink_sim_scope_write_measurements (LABLINK_SIM_SCOPE (instrument), &w, 1, g_get_real_time ());
      lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
    }
  else
    lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_BAD_REQUEST, "Unknown data type: %s", data_type);
}

static void
handle_waveform_capture (SimRequest *r)
{
  g_autoptr(JsonObject) body = lablink_sim_rest_read_body (r, TRUE);
  LablinkSimInstrument *instrument;
  JsonNode *config;
  double channel = 1.0;
  LablinkSimJson w;

  if (body == NULL)
    return;

  instrument = lablink_sim_rest_find_device (r, lablink_sim_json_object_get_str (body, "equipment_id"));
  if (instrument == NULL)
    return;
  if (!LABLINK_SIM_IS_SCOPE (instrument))
    {
      lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_BAD_REQUEST, "Equipment %s does not support waveform capture",
                                       lablink_sim_instrument_get_id (instrument));
      return;
    }

  config = json_object_get_member (body, "config");
  if (config != NULL && JSON_NODE_HOLDS_OBJECT (config) &&
      json_object_has_member (json_node_get_object (config), "channel") &&
      (!lablink_sim_json_object_get_number (json_node_get_object (config), "channel", &channel) ||
       channel != floor (channel) || channel < 1 || channel > LABLINK_SIM_SCOPE_N_CHANNELS))
    {
      lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_BAD_REQUEST, "Invalid channel");
      return;
    }

  if (!lablink_sim_scope_is_enabled (LABLINK_SIM_SCOPE (instrument), (guint) channel))
    {
      lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_BAD_REQUEST, "Channel %u is not enabled", (guint) channel);
      return;
    }

  lablink_sim_rest_init_writer (&w, g_string_sized_new (40000));
  lablink_sim_scope_write_waveform (LABLINK_SIM_SCOPE (instrument), &w, (guint) channel, g_get_real_time (),
                                    LABLINK_SIM_SCOPE_WRITE_CAPTURE);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

/* ------------------------------------------------------------------------ */
/* Routes                                                                    */

gboolean
lablink_sim_rest_route_equipment (SimRequest *r)
{
  char **p = r->parts;

  if (lablink_sim_rest_route (r, "GET", 3, "api", "equipment", "list"))
    handle_equipment_list (r);
  else if (lablink_sim_rest_route (r, "POST", 3, "api", "equipment", "connect"))
    handle_equipment_connect (r);
  else if (lablink_sim_rest_route (r, "GET", 4, "api", "equipment", NULL, "status"))
    handle_equipment_status (r, p[2]);
  else if (lablink_sim_rest_route (r, "GET", 4, "api", "equipment", NULL, "readings"))
    handle_equipment_readings (r, p[2]);
  else if (lablink_sim_rest_route (r, "POST", 4, "api", "equipment", NULL, "command"))
    handle_equipment_command (r, p[2]);
  else if (lablink_sim_rest_route (r, "GET", 4, "api", "data", NULL, "snapshot"))
    handle_snapshot (r, p[2]);
  else if (lablink_sim_rest_route (r, "POST", 3, "api", "waveform", "capture"))
    handle_waveform_capture (r);
  else
    return FALSE;
  return TRUE;
}
