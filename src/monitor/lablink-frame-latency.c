/* lablink-frame-latency.c — send → screen latency of the values a window shows
 *
 * A value that arrives (stamped by its server with its send time,
 * lablink_message_get_sent_time()) is drawn by the next frame of the
 * window's GdkFrameClock. At that frame's after-paint its send times are
 * set aside with the frame counter; once GDK has the frame's timings
 * complete, its presentation time (GdkFrameTimings, where the windowing
 * system reports one) is the moment the value reached the screen, else
 * the end of the paint (the frame was handed over to the X server or the
 * compositor: on Xvfb, with no compositor, there is no presentation time).
 * Latency = that moment (monotonic clock, turned into wall-clock time
 * with one reading of both) − send time (the server's wall clock: on
 * another host it includes their clocks' offset).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lablink-frame-latency.h"

typedef struct {
  gint64  frame;      /* frame counter */
  gint64  painted;    /* monotonic µs at after-paint */
  GArray *sent;       /* gint64 wall-clock µs */
} Frame;

struct _LablinkFrameLatency
{
  GtkWidget      *widget;     /* not owned; outlives us */
  LablinkLatency *histogram;
  GdkFrameClock  *clock;
  gulong          after_paint_id;
  GArray         *pending;    /* gint64: values not drawn yet */
  GQueue          frames;     /* Frame: drawn, presentation time not known yet */
};

#define MAX_FRAMES 8          /* GDK keeps 16 frames of timings */
#define MAX_PENDING 4096      /* values waiting for a frame */

static void
frame_free (Frame *frame)
{
  g_array_unref (frame->sent);
  g_free (frame);
}

static void
record (LablinkFrameLatency *self,
        Frame               *frame,
        gint64               shown_monotonic)
{
  gint64 offset = g_get_real_time () - g_get_monotonic_time ();
  guint i;

  for (i = 0; i < frame->sent->len; i++)
    lablink_latency_record (self->histogram,
                            shown_monotonic + offset - g_array_index (frame->sent, gint64, i));
}

/* The frames whose timings are complete, oldest first (or too old to wait for). */
static void
settle (LablinkFrameLatency *self,
        gboolean             all)
{
  Frame *frame;

  while ((frame = g_queue_peek_head (&self->frames)) != NULL)
    {
      GdkFrameTimings *timings = self->clock ? gdk_frame_clock_get_timings (self->clock, frame->frame) : NULL;
      gint64 shown = frame->painted;

      if (timings != NULL && !gdk_frame_timings_get_complete (timings) &&
          !all && g_queue_get_length (&self->frames) <= MAX_FRAMES)
        break;
      if (timings != NULL && gdk_frame_timings_get_complete (timings) &&
          gdk_frame_timings_get_presentation_time (timings) != 0)
        shown = gdk_frame_timings_get_presentation_time (timings);
      record (self, frame, shown);
      frame_free (g_queue_pop_head (&self->frames));
    }
}

static void
after_paint_cb (GdkFrameClock       *clock,
                LablinkFrameLatency *self)
{
  settle (self, FALSE);
  if (self->pending->len == 0)
    return;

  {
    Frame *frame = g_new0 (Frame, 1);

    frame->frame = gdk_frame_clock_get_frame_counter (clock);
    frame->painted = g_get_monotonic_time ();
    frame->sent = g_steal_pointer (&self->pending);
    self->pending = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_queue_push_tail (&self->frames, frame);
  }
  settle (self, FALSE);
}

static void
disconnect_clock (LablinkFrameLatency *self)
{
  settle (self, TRUE);
  if (self->clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->clock);
  g_clear_object (&self->clock);
}

static void
unrealize_cb (GtkWidget           *widget,
              LablinkFrameLatency *self)
{
  disconnect_clock (self);
  g_array_set_size (self->pending, 0);
}

/**
 * lablink_frame_latency_new:
 * @widget: the toplevel whose frames show the values
 * @histogram: where the latencies go
 *
 * Returns: (transfer full): the measure; free it before @widget goes
 */
LablinkFrameLatency *
lablink_frame_latency_new (GtkWidget      *widget,
                           LablinkLatency *histogram)
{
  LablinkFrameLatency *self = g_new0 (LablinkFrameLatency, 1);

  self->widget = widget;
  self->histogram = lablink_latency_ref (histogram);
  self->pending = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_queue_init (&self->frames);
  g_signal_connect (widget, "unrealize", G_CALLBACK (unrealize_cb), self);
  return self;
}

void
lablink_frame_latency_free (LablinkFrameLatency *self)
{
  if (self == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->widget, self);
  disconnect_clock (self);
  g_queue_clear_full (&self->frames, (GDestroyNotify) frame_free);
  g_array_unref (self->pending);
  lablink_latency_unref (self->histogram);
  g_free (self);
}

/**
 * lablink_frame_latency_add:
 * @self: the measure
 * @sent_at_us: the send time of a value just handed to a widget that
 *   queued a draw (0: not stamped, ignored)
 */
void
lablink_frame_latency_add (LablinkFrameLatency *self,
                           gint64               sent_at_us)
{
  GdkFrameClock *clock;

  if (sent_at_us <= 0 || !gtk_widget_get_mapped (self->widget))
    return;

  clock = gtk_widget_get_frame_clock (self->widget);
  if (clock != self->clock)
    {
      disconnect_clock (self);
      if (clock == NULL)
        return;
      self->clock = g_object_ref (clock);
      self->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), self);
    }
  /* No frame for a long while (a frozen frame clock): keep the latest. */
  if (self->pending->len >= MAX_PENDING)
    g_array_remove_range (self->pending, 0, self->pending->len / 2);
  g_array_append_val (self->pending, sent_at_us);
}
