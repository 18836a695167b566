/* lablink-ws-frame-conn.c — the worker's WebSocket client connection
 *
 * RFC 6455 framing (lablink-ws-frame.c) on the GIOStream the SoupSession
 * upgraded (TLS, proxy, authentication and the handshake stay the
 * session's), in place of a SoupWebsocketConnection: frames are decoded
 * straight out of one large read buffer and a message in one frame (every
 * frame a LabLink server sends) is handed to the callback where it lies —
 * no per-frame copy, GBytes, signal emission or formatted debug message.
 *
 * Reading: the input is the worker's LablinkWsReadStream, whose sources
 * pace read bursts (lablink-ws-read-stream.c); each burst reads into the
 * buffer, 64 KiB or more at a time, until a read would block (at most
 * MAX_READS_PER_BURST reads, so that a flood leaves the worker's other
 * sources their turn) and decodes what came after each read. The buffer
 * grows to hold a frame as large as the limit allows (the decoder checks
 * the length from the header first) and shrinks when empty.
 *
 * Writing: client frames, masked, queued and written without blocking;
 * what the socket does not take is written when it is writable. A server
 * ping is answered with a pong; a server close with a close (its code
 * echoed), after which the connection closes; a protocol error sends the
 * close code the decoder gives (1002, 1007, 1009) and reports the error.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "lablink-ws-frame-private.h"

#define READ_CHUNK          (64 * 1024)  /* free space before each read */
#define SHRINK_ABOVE        (4 * READ_CHUNK)
#define MAX_READS_PER_BURST 16

struct _LablinkWsFrameConn
{
  GIOStream               *stream;
  GPollableInputStream    *input;
  GPollableOutputStream   *output;
  GMainContext            *context;
  LablinkWsFrameCallbacks  callbacks;
  gpointer                 user_data;
  LablinkWsDecoder         decoder;

  guint8                  *buffer;      /* undecoded bytes: buffer[start, end) */
  gsize                    start;
  gsize                    end;
  gsize                    size;
  gsize                    needed;      /* what the frame at start takes, at least */

  GByteArray              *outgoing;    /* frames not yet written */
  GSource                 *input_source;
  GSource                 *output_source;
  GSource                 *fail_source; /* a write failed: reported from the main loop */
  GError                  *write_error;
  gboolean                 open;
};

static void arm_input (LablinkWsFrameConn *self);

static LablinkWsFrameConn *
conn_ref (LablinkWsFrameConn *self)
{
  return g_rc_box_acquire (self);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
conn_finalize (gpointer data)
{
  LablinkWsFrameConn *self = data;

  g_clear_object (&self->stream);
  g_clear_pointer (&self->context, g_main_context_unref);
  lablink_ws_decoder_clear (&self->decoder);
  g_free (self->buffer);
  g_clear_pointer (&self->outgoing, g_byte_array_unref);
  g_clear_error (&self->write_error);
}

static void
conn_unref (LablinkWsFrameConn *self)
{
  g_rc_box_release_full (self, conn_finalize);
}

static guint32
mask_key (void)
{
  return g_random_int ();
}

/* Writes what is queued, without blocking; the rest when the socket is
 * writable. A failure is reported from the main loop, not from the
 * caller's stack (a send from the worker's own callbacks). */
static gboolean output_ready (GObject *stream, gpointer data);

static gboolean
fail_cb (gpointer data);

static void
flush_output (LablinkWsFrameConn *self)
{
  while (self->outgoing->len > 0 && self->write_error == NULL)
    {
      GError *error = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (self->output, self->outgoing->data,
                                                             self->outgoing->len, NULL, &error);

      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              g_error_free (error);
              if (self->output_source == NULL && self->open)
                {
                  self->output_source = g_pollable_output_stream_create_source (self->output, NULL);
                  g_source_set_callback (self->output_source, G_SOURCE_FUNC (output_ready), self, NULL);
                  g_source_set_static_name (self->output_source, "[lablink] WebSocket output");
                  g_source_attach (self->output_source, self->context);
                }
              return;
            }
          self->write_error = error;
          if (self->open && self->fail_source == NULL)
            {
              self->fail_source = g_timeout_source_new (0);
              g_source_set_callback (self->fail_source, fail_cb, self, NULL);
              g_source_set_static_name (self->fail_source, "[lablink] WebSocket write error");
              g_source_attach (self->fail_source, self->context);
            }
          return;
        }
      g_byte_array_remove_range (self->outgoing, 0, (guint) n);
    }
}

static gboolean
output_ready (GObject  *stream,
              gpointer  data)
{
  LablinkWsFrameConn *self = data;

  g_clear_pointer (&self->output_source, g_source_unref);
  flush_output (self);
  return G_SOURCE_REMOVE;
}

/* The connection is over: if @send_close, a close frame (@code, 0 for
 * none) goes out if it can without blocking; the stream is closed. */
static void
shut_down (LablinkWsFrameConn *self,
           gboolean            send_close,
           gushort             code,
           const char         *reason)
{
  self->open = FALSE;
  destroy_source (&self->input_source);
  destroy_source (&self->output_source);
  destroy_source (&self->fail_source);
  if (send_close && self->write_error == NULL)
    {
      lablink_ws_frame_append_close (self->outgoing, code, reason, TRUE, mask_key ());
      flush_output (self);
    }
  g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

/* The connection ends: @code is the server's (0: none), @error (may be
 * NULL) a failure; a close frame with @send_code goes out if @send_close.
 * The callbacks follow. */
static void
finish (LablinkWsFrameConn *self,
        gushort             code,
        gboolean            send_close,
        gushort             send_code,
        const GError       *error)
{
  if (!self->open)
    return;
  if (error != NULL)
    self->callbacks.error (error, self->user_data);
  if (!self->open)
    return;
  shut_down (self, send_close, send_code, NULL);
  self->callbacks.closed (code, self->user_data);
}

static gboolean
fail_cb (gpointer data)
{
  LablinkWsFrameConn *self = data;
  g_autoptr(GError) error = g_steal_pointer (&self->write_error);

  g_clear_pointer (&self->fail_source, g_source_unref);
  conn_ref (self);
  /* The stream is broken: no close frame. */
  finish (self, 0, FALSE, 0, error);
  conn_unref (self);
  return G_SOURCE_REMOVE;
}

static void
send_frame (LablinkWsFrameConn *self,
            LablinkWsOpcode     opcode,
            const guint8       *payload,
            gsize               length)
{
  lablink_ws_frame_append (self->outgoing, opcode, payload, length, TRUE, mask_key ());
  flush_output (self);
}

/* Decodes and hands out every whole frame in the buffer. */
static void
decode (LablinkWsFrameConn *self)
{
  while (self->open)
    {
      g_autoptr(GError) error = NULL;
      LablinkWsEvent event;
      gsize taken = lablink_ws_decoder_next (&self->decoder, self->buffer + self->start,
                                             self->end - self->start, &event, &self->needed, &error);

      self->start += taken;
      switch (event.kind)
        {
        case LABLINK_WS_EVENT_NONE:
          if (taken == 0)
            goto out;
          break;

        case LABLINK_WS_EVENT_TEXT:
        case LABLINK_WS_EVENT_BINARY:
          self->callbacks.message ((const char *) event.data, event.length,
                                   event.kind == LABLINK_WS_EVENT_BINARY, self->user_data);
          break;

        case LABLINK_WS_EVENT_PING:
          send_frame (self, LABLINK_WS_OPCODE_PONG, event.data, event.length);
          break;

        case LABLINK_WS_EVENT_PONG:
          break;

        case LABLINK_WS_EVENT_CLOSE:
          /* The close handshake: the server's code echoed. */
          finish (self, event.close_code, TRUE, event.close_code, NULL);
          break;

        case LABLINK_WS_EVENT_ERROR:
        default:
          finish (self, event.close_code, TRUE, event.close_code, error);
          break;
        }
    }
out:
  if (self->start == self->end)
    self->start = self->end = 0;
}

/* Room for the next read: READ_CHUNK at least, and the whole of the frame
 * being received. */
static void
make_room (LablinkWsFrameConn *self)
{
  gsize have = self->end - self->start;
  gsize want = MAX (READ_CHUNK, self->needed > have ? self->needed - have : 0);

  if (have == 0 && self->size > SHRINK_ABOVE && self->needed <= READ_CHUNK)
    {
      g_free (self->buffer);
      self->size = 2 * READ_CHUNK;
      self->buffer = g_malloc (self->size);
      self->start = self->end = 0;
    }
  if (self->size - self->end >= want)
    return;
  if (self->start > 0)
    {
      memmove (self->buffer, self->buffer + self->start, have);
      self->start = 0;
      self->end = have;
    }
  if (self->size - self->end < want)
    {
      self->size = self->end + want;
      self->buffer = g_realloc (self->buffer, self->size);
    }
}

static gboolean
input_ready (GObject  *stream,
             gpointer  data)
{
  LablinkWsFrameConn *self = data;
  guint reads;

  conn_ref (self);
  g_clear_pointer (&self->input_source, g_source_unref);

  for (reads = 0; self->open && reads < MAX_READS_PER_BURST; reads++)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      make_room (self);
      n = g_pollable_input_stream_read_nonblocking (self->input, self->buffer + self->end,
                                                    self->size - self->end, NULL, &error);
      if (n < 0)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              /* The stream is broken: no close frame. */
              finish (self, 0, FALSE, 0, error);
            }
          break;
        }
      if (n == 0)
        {
          /* The server went without a close frame: none is sent. */
          finish (self, 0, FALSE, 0, NULL);
          break;
        }
      self->end += (gsize) n;
      decode (self);
    }

  if (self->open)
    arm_input (self);
  conn_unref (self);
  return G_SOURCE_REMOVE;
}

/* The read stream's source paces the next burst. */
static void
arm_input (LablinkWsFrameConn *self)
{
  self->input_source = g_pollable_input_stream_create_source (self->input, NULL);
  g_source_set_callback (self->input_source, G_SOURCE_FUNC (input_ready), self, NULL);
  g_source_set_static_name (self->input_source, "[lablink] WebSocket input");
  g_source_attach (self->input_source, self->context);
}

/* A client connection on @stream (upgraded; its input and output
 * pollable), for messages of at most @max_payload bytes. */
LablinkWsFrameConn *
lablink_ws_frame_conn_new (GIOStream                     *stream,
                           gsize                          max_payload,
                           const LablinkWsFrameCallbacks *callbacks,
                           gpointer                       user_data)
{
  LablinkWsFrameConn *self;

  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (stream)), NULL);
  g_return_val_if_fail (G_IS_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (stream)), NULL);

  self = g_rc_box_new0 (LablinkWsFrameConn);
  self->stream = g_object_ref (stream);
  self->input = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (stream));
  self->output = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (stream));
  self->context = g_main_context_ref_thread_default ();
  self->callbacks = *callbacks;
  self->user_data = user_data;
  lablink_ws_decoder_init (&self->decoder, max_payload, FALSE);
  self->size = 2 * READ_CHUNK;
  self->buffer = g_malloc (self->size);
  self->outgoing = g_byte_array_new ();
  self->open = TRUE;
  arm_input (self);
  return self;
}

gboolean
lablink_ws_frame_conn_is_open (LablinkWsFrameConn *self)
{
  return self->open;
}

void
lablink_ws_frame_conn_send_text (LablinkWsFrameConn *self,
                                 const char         *text,
                                 gsize               length)
{
  if (self->open)
    send_frame (self, LABLINK_WS_OPCODE_TEXT, (const guint8 *) text, length);
}

/* Closes with @code (a close frame, if it can go without blocking, then
 * the stream); no callback follows. */
void
lablink_ws_frame_conn_close (LablinkWsFrameConn *self,
                             gushort             code)
{
  if (self->open)
    shut_down (self, TRUE, code, NULL);
}

/* Closes without a close frame if still open; no callback follows. */
void
lablink_ws_frame_conn_free (LablinkWsFrameConn *self)
{
  if (self == NULL)
    return;
  if (self->open)
    {
      self->open = FALSE;
      destroy_source (&self->input_source);
      destroy_source (&self->output_source);
      destroy_source (&self->fail_source);
      g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
    }
  self->callbacks.message = NULL;
  conn_unref (self);
}
