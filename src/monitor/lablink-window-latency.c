/* lablink-window-latency.c — LablinkWindow: send → screen latency
 *
 * The values the window shows (the selected instrument's streams on the
 * Instruments view, the selected acquisition's on the Acquisitions view)
 * carry their server's send time; lablink-frame-latency.c turns the frame
 * that draws them into a latency, recorded in that server's histogram (a
 * measure per server, made with its first value shown): each server's
 * Statistics page has its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lablink-window-private.h"

/* Into the histogram of the server the value came from (its Statistics
 * page), measured on this window's frames. */
static void
add (LablinkWindow  *self,
     LablinkSession *session,
     gint64          sent)
{
  LablinkFrameLatency *latency;

  if (self->latencies == NULL)
    return;
  latency = g_hash_table_lookup (self->latencies, session);
  if (latency == NULL)
    {
      latency = lablink_frame_latency_new (GTK_WIDGET (self), lablink_session_get_latency (session));
      g_hash_table_insert (self->latencies, session, latency);
    }
  lablink_frame_latency_add (latency, sent);
}

static void
stream_data_cb (LablinkSession *session,
                LablinkMessage *message,
                LablinkWindow  *self)
{
  gint64 sent = lablink_message_get_sent_time (message);

  if (sent != 0 && session == self->selected_session &&
      g_strcmp0 (lablink_window_get_page (self), "instruments") == 0 &&
      g_strcmp0 (lablink_message_get_equipment_id (message), self->selected_id) == 0)
    add (self, session, sent);
}

static void
acquisition_data_cb (LablinkSession *session,
                     LablinkMessage *message,
                     LablinkWindow  *self)
{
  gint64 sent = lablink_message_get_sent_time (message);
  LablinkAcquisitionPanel *panel;

  if (sent == 0 || g_strcmp0 (lablink_window_get_page (self), "acquisitions") != 0)
    return;
  /* the acquisitions page shown is this server's */
  panel = lablink_window_get_acquisition_panel_for (self, session);
  if (panel != NULL && gtk_stack_get_visible_child (self->acquisitions_stack) == GTK_WIDGET (panel) &&
      g_strcmp0 (lablink_message_get_acquisition_id (message),
                 lablink_acquisition_panel_get_selected_id (panel)) == 0)
    add (self, session, sent);
}

void
_lablink_window_latency_init (LablinkWindow *self)
{
  self->latencies = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) lablink_frame_latency_free);
}

/* A server goes: its measure too. */
void
_lablink_window_latency_forget (LablinkWindow  *self,
                                LablinkSession *session)
{
  if (self->latencies != NULL)
    g_hash_table_remove (self->latencies, session);
}

void
_lablink_window_latency_dispose (LablinkWindow *self)
{
  g_clear_pointer (&self->latencies, g_hash_table_unref);
}

/* What the latency hears from each session. */
void
_lablink_window_latency_watch (LablinkWindow *self,
                               GSignalGroup  *group)
{
  g_signal_group_connect (group, "stream-data", G_CALLBACK (stream_data_cb), self);
  g_signal_group_connect (group, "acquisition-data", G_CALLBACK (acquisition_data_cb), self);
}
