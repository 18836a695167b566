/* lablink-session-rest.c — LablinkSession: the REST door
 *
 * What the widgets ask of the server go through the session, never to the
 * LablinkClient or LablinkStreamManager themselves: the equipment list,
 * who is logged in, the link's statistics (commands, which need the
 * instrument's lock, are in lablink-session-locks.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-session-private.h"

static void
list_equipment_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(LablinkSession) self = data;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  list = lablink_client_list_equipment_finish (LABLINK_CLIENT (source), result, &error);
  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Listing the equipment failed: %s", error->message);
          g_signal_emit (self, lablink_session_signals[SERVER_ERROR], 0, error->message);
        }
      return;
    }
  if (LABLINK_CLIENT (source) != self->client)
    return;

  g_list_store_splice (self->equipment, 0, g_list_model_get_n_items (G_LIST_MODEL (self->equipment)),
                       list->pdata, list->len);
  self->equipment_loaded = TRUE;
  g_signal_emit (self, lablink_session_signals[EQUIPMENT_LOADED], 0);
}

void
lablink_session_refresh_equipment (LablinkSession *self)
{
  g_return_if_fail (LABLINK_IS_SESSION (self));

  if (self->client == NULL)
    return;
  lablink_client_list_equipment_async (self->client, self->cancellable, list_equipment_cb, g_object_ref (self));
}

/**
 * lablink_session_get_username:
 * @self: a session
 *
 * Returns: (nullable): the user the client logged in as, if any
 */
const char *
lablink_session_get_username (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  return self->client ? lablink_client_get_username (self->client) : NULL;
}

/**
 * lablink_session_get_ws_url_override:
 * @self: a session
 *
 * Returns: (nullable): the WebSocket URL given to lablink_session_set_server()
 */
const char *
lablink_session_get_ws_url_override (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  return self->client ? lablink_client_get_ws_url_override (self->client) : NULL;
}

/**
 * lablink_session_get_latency:
 * @self: a session
 *
 * Returns: (transfer none): the time from a frame's send (when its server
 *   stamps it: the simulator does) to its value on screen, as the window
 *   measures it (lablink-frame-latency.c)
 */
LablinkLatency *
lablink_session_get_latency (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  return self->latency;
}

/**
 * lablink_session_get_statistics:
 * @self: a session
 *
 * Returns: (transfer full) (nullable): a snapshot of the link's statistics,
 *   or %NULL without a server
 */
LablinkStatistics *
lablink_session_get_statistics (LablinkSession *self)
{
  g_return_val_if_fail (LABLINK_IS_SESSION (self), NULL);
  return self->manager ? lablink_stream_manager_get_statistics (self->manager) : NULL;
}
