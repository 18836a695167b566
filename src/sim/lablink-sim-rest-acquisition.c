/* lablink-sim-rest-acquisition.c — the simulated server's acquisition routes:
 * create, start, stop, pause, resume, status, data, list, delete, export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lablink-sim-rest-private.h"

static LablinkSimAcquisition *
find_acquisition (SimRequest *r,
                  const char *acquisition_id)
{
  LablinkSimAcquisition *acquisition = lablink_sim_server_lookup_acquisition (r->server, acquisition_id);

  if (acquisition == NULL)
    lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_NOT_FOUND, "Acquisition session %s not found", acquisition_id);
  return acquisition;
}

static void
handle_acquisition_create (SimRequest *r)
{
  g_autoptr(JsonObject) body = lablink_sim_rest_read_body (r, TRUE);
  g_autoptr(LablinkSimAcquisition) acquisition = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  LablinkSimInstrument *instrument;
  const char *equipment_id;
  LablinkSimJson w;

  if (body == NULL)
    return;

  equipment_id = lablink_sim_json_object_get_str (body, "equipment_id");
  if (equipment_id == NULL)
    {
      lablink_sim_rest_respond_detail (r->msg, 422, "Field required: equipment_id");
      return;
    }
  instrument = lablink_sim_rest_find_device (r, equipment_id);
  if (instrument == NULL)
    return;

  id = lablink_sim_server_new_uuid (r->server);
  acquisition = lablink_sim_acquisition_new_from_json (id, instrument, body, r->server->compat, &error);
  if (acquisition == NULL)
    {
      lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_BAD_REQUEST, "%s", error->message);
      return;
    }
  lablink_sim_server_add_acquisition (r->server, acquisition);

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_boolean (&w, "success", TRUE);
  lablink_sim_json_member_string (&w, "message", "Acquisition session created");
  lablink_sim_json_member_string (&w, "acquisition_id", id);
  lablink_sim_json_member_string (&w, "state", "idle");
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_acquisition_action (SimRequest *r,
                           const char *acquisition_id,
                           const char *action)
{
  LablinkSimAcquisition *acquisition = find_acquisition (r, acquisition_id);
  g_autoptr(GError) error = NULL;
  const char *message;
  gboolean ok;

  if (acquisition == NULL)
    return;

  if (g_str_equal (action, "start"))
    {
      ok = lablink_sim_acquisition_start (acquisition, r->server->context, &error);
      message = "Acquisition started";
    }
  else if (g_str_equal (action, "stop"))
    {
      ok = lablink_sim_acquisition_stop (acquisition, &error);
      message = "Acquisition stopped";
    }
  else if (g_str_equal (action, "pause"))
    {
      ok = lablink_sim_acquisition_pause (acquisition, &error);
      message = "Acquisition paused";
    }
  else
    {
      ok = lablink_sim_acquisition_resume (acquisition, &error);
      message = "Acquisition resumed";
    }

  if (!ok)
    {
      lablink_sim_rest_respond_detail (r->msg, SOUP_STATUS_BAD_REQUEST, "%s", error->message);
      return;
    }
  lablink_sim_rest_respond_success (r->msg, message, acquisition_id);
}

static void
handle_acquisition_status (SimRequest *r,
                           const char *acquisition_id)
{
  LablinkSimAcquisition *acquisition = find_acquisition (r, acquisition_id);
  LablinkSimJson w;

  if (acquisition == NULL)
    return;
  lablink_sim_acquisition_tick (acquisition);
  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_acquisition_write_status (acquisition, &w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_acquisition_data (SimRequest *r,
                         const char *acquisition_id)
{
  LablinkSimAcquisition *acquisition = find_acquisition (r, acquisition_id);
  const char *text = lablink_sim_rest_query_get (r, "num_samples");
  guint64 num_samples = 0;
  LablinkSimJson w;

  if (acquisition == NULL)
    return;
  if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &num_samples, NULL))
    {
      lablink_sim_rest_respond_detail (r->msg, 422, "Invalid num_samples: %s", text);
      return;
    }
  lablink_sim_acquisition_tick (acquisition);
  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_acquisition_write_data (acquisition, &w, (guint) num_samples);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

static void
handle_acquisition_delete (SimRequest *r,
                           const char *acquisition_id)
{
  if (find_acquisition (r, acquisition_id) == NULL)
    return;
  lablink_sim_server_remove_acquisition (r->server, acquisition_id);
  lablink_sim_rest_respond_success (r->msg, "Session deleted", acquisition_id);
}

static void
handle_acquisition_list (SimRequest *r)
{
  lablink_sim_rest_respond_list (r->msg, "sessions", r->server->acquisition_order,
                                 (LablinkSimWriteItem) lablink_sim_acquisition_write_summary);
}

/* Like the real server, "exports" to a path on the server; the simulator
 * writes nothing. */
static void
handle_acquisition_export (SimRequest *r)
{
  g_autoptr(JsonObject) body = lablink_sim_rest_read_body (r, TRUE);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = NULL;
  g_autofree char *path = NULL;
  LablinkSimAcquisition *acquisition;
  const char *format;
  LablinkSimJson w;

  if (body == NULL)
    return;
  acquisition = find_acquisition (r, lablink_sim_json_object_get_str (body, "acquisition_id"));
  if (acquisition == NULL)
    return;
  format = lablink_sim_json_object_get_str (body, "format");
  if (format == NULL)
    format = "csv";

  stamp = g_date_time_format (now, "%Y%m%d_%H%M%S");
  path = g_strdup_printf ("data/acquisitions/%s_%s_%s.%s", lablink_sim_acquisition_get_equipment_id (acquisition),
                          lablink_sim_acquisition_get_id (acquisition), stamp, format);

  lablink_sim_rest_init_writer (&w, g_string_new (NULL));
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_boolean (&w, "success", TRUE);
  lablink_sim_json_member_string (&w, "message", "Data exported successfully");
  lablink_sim_json_member_string (&w, "filepath", path);
  lablink_sim_json_member_string (&w, "format", format);
  lablink_sim_json_end_object (&w);
  lablink_sim_rest_respond (r->msg, SOUP_STATUS_OK, &w);
}

/* ------------------------------------------------------------------------ */
/* Routes                                                                    */

gboolean
lablink_sim_rest_route_acquisition (SimRequest *r)
{
  char **p = r->parts;

  if (lablink_sim_rest_route (r, "POST", 4, "api", "acquisition", "session", "create"))
    handle_acquisition_create (r);
  else if (lablink_sim_rest_route (r, "GET", 3, "api", "acquisition", "sessions"))
    handle_acquisition_list (r);
  else if (lablink_sim_rest_route (r, "POST", 3, "api", "acquisition", "export"))
    handle_acquisition_export (r);
  else if (lablink_sim_rest_route (r, "DELETE", 4, "api", "acquisition", "session", NULL))
    handle_acquisition_delete (r, p[3]);
  else if (lablink_sim_rest_route (r, "GET", 5, "api", "acquisition", "session", NULL, "status"))
    handle_acquisition_status (r, p[3]);
  else if (lablink_sim_rest_route (r, "GET", 5, "api", "acquisition", "session", NULL, "data"))
    handle_acquisition_data (r, p[3]);
  else if (r->n_parts == 5 && g_str_equal (p[1], "acquisition") && g_str_equal (p[2], "session") &&
           (g_str_equal (p[4], "start") || g_str_equal (p[4], "stop") ||
            g_str_equal (p[4], "pause") || g_str_equal (p[4], "resume")) &&
           lablink_sim_rest_route (r, "POST", 5, "api", "acquisition", "session", NULL, NULL))
    handle_acquisition_action (r, p[3], p[4]);
  else
    return FALSE;
  return TRUE;
}
