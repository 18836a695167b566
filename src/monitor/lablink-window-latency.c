/* lablink-window-latency.c — LablinkWindow: send → screen latency
 *
 * The values the window shows (the selected instrument's streams on the
 * Instruments view, the selected acquisition's on the Acquisitions view)
 * carry their server's send time; lablink-frame-latency.c turns the frame
 * that draws them into a latency, for the Statistics view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lablink-window-private.h"

static void
stream_data_cb (LablinkSession *session,
                LablinkMessage *message,
                LablinkWindow  *self)
{
  gint64 sent = lablink_message_get_sent_time (message);

  if (sent != 0 && self->latency != NULL && session == self->selected_session &&
      g_strcmp0 (lablink_window_get_page (self), "instruments") == 0 &&
      g_strcmp0 (lablink_message_get_equipment_id (message), self->selected_id) == 0)
    lablink_frame_latency_add (self->latency, sent);
}

static void
acquisition_data_cb (LablinkSession *session,
                     LablinkMessage *message,
                     LablinkWindow  *self)
{
  gint64 sent = lablink_message_get_sent_time (message);

  if (sent != 0 && self->latency != NULL && session == self->session &&
      g_strcmp0 (lablink_window_get_page (self), "acquisitions") == 0 &&
      g_strcmp0 (lablink_message_get_acquisition_id (message),
                 lablink_acquisition_panel_get_selected_id (self->acquisition_panel)) == 0)
    lablink_frame_latency_add (self->latency, sent);
}

/* What the latency hears from each session. */
void
_lablink_window_latency_watch (LablinkWindow *self,
                               GSignalGroup  *group)
{
  g_signal_group_connect (group, "stream-data", G_CALLBACK (stream_data_cb), self);
  g_signal_group_connect (group, "acquisition-data", G_CALLBACK (acquisition_data_cb), self);
}
