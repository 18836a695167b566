/* lablink-ws-read-stream.c — the stream the worker's WebSocket reads from
 *
 * A GIOStream over the connection libsoup's session made (TLS, proxy and
 * handshake done by the session), for the worker's WebSocket connection
 * (lablink-ws-frame-conn.c). Its input:
 *
 * - Reads the connection 64 KiB at a time: straight into the reader's
 *   buffer when it offers that much room (ours always does), else into its
 *   own, serving smaller reads from memory (libsoup's were 1 KiB).
 * - Paces read bursts: a burst starts at most every READ_PERIOD_US. When
 *   frames come more often than that (a 1 kHz stream), the next burst waits
 *   for the rest of the period and reads everything that came meanwhile in
 *   one wake-up, instead of one wake-up of the worker (and one of the owner)
 *   per frame. Frames further apart than the period are read as soon as
 *   they arrive, and a burst that finds data keeps reading until the socket
 *   is drained, so a flood is not slowed. A frame waits at most
 *   READ_PERIOD_US more.
 * - On a plain socket, a read that came short ends the burst without the
 *   recv() that would only say EAGAIN.
 *
 * The output is the connection's own. Closing closes the connection.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-ws-read-stream-private.h"

#define READ_BUFFER_SIZE (64 * 1024)

/* The input. */

#define LABLINK_TYPE_WS_READ_INPUT (lablink_ws_read_input_get_type ())
G_DECLARE_FINAL_TYPE (LablinkWsReadInput, lablink_ws_read_input, LABLINK, WS_READ_INPUT, GInputStream)

struct _LablinkWsReadInput
{
  GInputStream          parent_instance;
  GPollableInputStream *base;
  guint8               *buffer;
  gsize                 start;          /* unread bytes: buffer[start, end) */
  gsize                 end;
  gint64                burst_start;    /* monotonic µs of the first read of the current burst */
  gboolean              burst_over;     /* a source was made: the next read starts a burst */
  gboolean              drained;        /* the last read of the connection came short */
  gboolean              short_read_drains;  /* a plain socket: a short read took all there was */
  guint                 period_us;
  GFunc                 burst_end;
  gpointer              burst_end_data;
};

static void lablink_ws_read_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LablinkWsReadInput, lablink_ws_read_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      lablink_ws_read_input_pollable_init))

static gssize
take_buffered (LablinkWsReadInput *self,
               void               *buffer,
               gsize               count)
{
  gsize n = MIN (count, self->end - self->start);

  memcpy (buffer, self->buffer + self->start, n);
  self->start += n;
  if (self->start == self->end)
    self->start = self->end = 0;
  return (gssize) n;
}

/* Data is handed out: the first time since the reader's last source, a burst
 * starts. (A burst that finds nothing does not count: the next waits on the
 * connection, not on the clock.) */
static gssize
took (LablinkWsReadInput *self,
      gssize              n)
{
  if (n > 0 && self->burst_over)
    {
      self->burst_over = FALSE;
      self->burst_start = g_get_monotonic_time ();
    }
  return n;
}

static gssize
lablink_ws_read_input_read_nonblocking (GPollableInputStream  *stream,
                                        void                  *buffer,
                                        gsize                  count,
                                        GError               **error)
{
  LablinkWsReadInput *self = LABLINK_WS_READ_INPUT (stream);
  gssize n;

  if (self->end > self->start)
    return took (self, take_buffered (self, buffer, count));

  /* The last read came short: the socket was drained a moment ago. The reader
   * reads until a read would block; saying so here saves a recv() per
   * burst, and what came meanwhile is seen by the source the reader makes
   * next (which polls the connection, or is ready at once if it is
   * readable). */
  if (self->drained)
    {
      self->drained = FALSE;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "");
      return -1;
    }

  /* A reader with room for a whole buffer reads straight into its own. */
  if (count >= READ_BUFFER_SIZE)
    {
      n = g_pollable_input_stream_read_nonblocking (self->base, buffer, count, NULL, error);
      if (n > 0)
        self->drained = self->short_read_drains && (gsize) n < count;
      return took (self, n);
    }

  n = g_pollable_input_stream_read_nonblocking (self->base, self->buffer, READ_BUFFER_SIZE, NULL, error);
  if (n <= 0)
    return n;
  self->drained = self->short_read_drains && n < READ_BUFFER_SIZE;
  self->start = 0;
  self->end = (gsize) n;
  return took (self, take_buffered (self, buffer, count));
}

static gssize
lablink_ws_read_input_read (GInputStream  *stream,
                            void          *buffer,
                            gsize          count,
                            GCancellable  *cancellable,
                            GError       **error)
{
  LablinkWsReadInput *self = LABLINK_WS_READ_INPUT (stream);
  gssize n;

  if (self->end > self->start)
    return take_buffered (self, buffer, count);
  n = g_input_stream_read (G_INPUT_STREAM (self->base), self->buffer, READ_BUFFER_SIZE, cancellable, error);
  if (n <= 0)
    return n;
  self->start = 0;
  self->end = (gsize) n;
  return take_buffered (self, buffer, count);
}

static gboolean
lablink_ws_read_input_close (GInputStream  *stream,
                             GCancellable  *cancellable,
                             GError       **error)
{
  /* The connection is closed with the GIOStream. */
  return TRUE;
}

static gboolean
lablink_ws_read_input_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
lablink_ws_read_input_is_readable (GPollableInputStream *stream)
{
  LablinkWsReadInput *self = LABLINK_WS_READ_INPUT (stream);

  return self->end > self->start || g_pollable_input_stream_is_readable (self->base);
}

static GSource *
lablink_ws_read_input_create_source (GPollableInputStream *stream,
                                     GCancellable         *cancellable)
{
  LablinkWsReadInput *self = LABLINK_WS_READ_INPUT (stream);
  gint64 now = g_get_monotonic_time ();
  gint64 next_burst = self->burst_start + self->period_us;
  GSource *child, *source;

  /* The reader makes a source when its burst is over. */
  self->burst_over = TRUE;
  self->drained = FALSE;
  if (self->burst_end != NULL)
    self->burst_end (self, self->burst_end_data);

  if (self->end > self->start)
    {
      child = g_timeout_source_new (0);
    }
  else if (now < next_burst)
    {
      /* Read again at the end of the period, whatever came by then; a
       * read that finds nothing makes a source on the connection. */
      child = g_timeout_source_new (0);
      g_source_set_ready_time (child, next_burst);
    }
  else
    child = g_pollable_input_stream_create_source (self->base, NULL);

  source = g_pollable_source_new_full (stream, child, cancellable);
  g_source_unref (child);
  return source;
}

static void
lablink_ws_read_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = lablink_ws_read_input_can_poll;
  iface->is_readable = lablink_ws_read_input_is_readable;
  iface->create_source = lablink_ws_read_input_create_source;
  iface->read_nonblocking = lablink_ws_read_input_read_nonblocking;
}

static void
lablink_ws_read_input_finalize (GObject *object)
{
  LablinkWsReadInput *self = LABLINK_WS_READ_INPUT (object);

  g_clear_object (&self->base);
  g_free (self->buffer);
  G_OBJECT_CLASS (lablink_ws_read_input_parent_class)->finalize (object);
}

static void
lablink_ws_read_input_class_init (LablinkWsReadInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = lablink_ws_read_input_finalize;
  input_class->read_fn = lablink_ws_read_input_read;
  input_class->close_fn = lablink_ws_read_input_close;
}

static void
lablink_ws_read_input_init (LablinkWsReadInput *self)
{
  self->buffer = g_malloc (READ_BUFFER_SIZE);
  self->burst_over = TRUE;
}

/* The GIOStream. */

struct _LablinkWsReadStream
{
  GIOStream      parent_instance;
  GIOStream     *base;
  GInputStream  *input;
};

G_DEFINE_FINAL_TYPE (LablinkWsReadStream, lablink_ws_read_stream, G_TYPE_IO_STREAM)

static GInputStream *
lablink_ws_read_stream_get_input_stream (GIOStream *stream)
{
  return LABLINK_WS_READ_STREAM (stream)->input;
}

static GOutputStream *
lablink_ws_read_stream_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (LABLINK_WS_READ_STREAM (stream)->base);
}

static gboolean
lablink_ws_read_stream_close (GIOStream     *stream,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return g_io_stream_close (LABLINK_WS_READ_STREAM (stream)->base, cancellable, error);
}

static void
base_closed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
lablink_ws_read_stream_close_async (GIOStream           *stream,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             data)
{
  GTask *task = g_task_new (stream, cancellable, callback, data);

  g_task_set_source_tag (task, lablink_ws_read_stream_close_async);
  g_io_stream_close_async (LABLINK_WS_READ_STREAM (stream)->base, io_priority, cancellable,
                           base_closed_cb, task);
}

static gboolean
lablink_ws_read_stream_close_finish (GIOStream     *stream,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lablink_ws_read_stream_finalize (GObject *object)
{
  LablinkWsReadStream *self = LABLINK_WS_READ_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->base);
  G_OBJECT_CLASS (lablink_ws_read_stream_parent_class)->finalize (object);
}

static void
lablink_ws_read_stream_class_init (LablinkWsReadStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = lablink_ws_read_stream_finalize;
  stream_class->get_input_stream = lablink_ws_read_stream_get_input_stream;
  stream_class->get_output_stream = lablink_ws_read_stream_get_output_stream;
  stream_class->close_fn = lablink_ws_read_stream_close;
  stream_class->close_async = lablink_ws_read_stream_close_async;
  stream_class->close_finish = lablink_ws_read_stream_close_finish;
}

static void
lablink_ws_read_stream_init (LablinkWsReadStream *self)
{
}

/* Returns a stream over @base (whose input and output must be pollable)
 * that reads in large chunks and starts a read burst at most every
 * @period_us (0: whenever data arrives); @burst_end (may be NULL) is
 * called with @data when a read burst is over. @plain: @base is a plain
 * socket, not TLS (whose reads return one record at a time), so a short
 * read means the socket is drained. */
GIOStream *
lablink_ws_read_stream_new (GIOStream *base,
                            gboolean   plain,
                            guint      period_us,
                            GFunc      burst_end,
                            gpointer   data)
{
  LablinkWsReadStream *self;
  LablinkWsReadInput *input;

  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (base)), NULL);

  self = g_object_new (LABLINK_TYPE_WS_READ_STREAM, NULL);
  self->base = g_object_ref (base);
  input = g_object_new (LABLINK_TYPE_WS_READ_INPUT, NULL);
  input->base = g_object_ref (G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (base)));
  input->period_us = period_us;
  input->short_read_drains = plain;
  input->burst_end = burst_end;
  input->burst_end_data = data;
  self->input = G_INPUT_STREAM (input);
  return G_IO_STREAM (self);
}
