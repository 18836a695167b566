/* lablink-ws-frame-private.h — RFC 6455 framing for the worker's WebSocket
 *
 * The codec (lablink-ws-frame.c): a decoder that takes frames out of a
 * buffer, payloads pointing into it where the frame allows, and a writer of
 * client frames. The connection (lablink-ws-frame-conn.c): that codec on
 * the GIOStream the SoupSession upgraded, so TLS, proxies, authentication
 * and certificate pinning stay the session's.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  LABLINK_WS_OPCODE_CONTINUATION = 0x0,
  LABLINK_WS_OPCODE_TEXT         = 0x1,
  LABLINK_WS_OPCODE_BINARY       = 0x2,
  LABLINK_WS_OPCODE_CLOSE        = 0x8,
  LABLINK_WS_OPCODE_PING         = 0x9,
  LABLINK_WS_OPCODE_PONG         = 0xA,
} LablinkWsOpcode;

typedef enum {
  LABLINK_WS_EVENT_NONE,     /* a fragment taken in, or nothing yet */
  LABLINK_WS_EVENT_TEXT,     /* a whole text message (UTF-8 checked) */
  LABLINK_WS_EVENT_BINARY,   /* a whole binary message */
  LABLINK_WS_EVENT_PING,
  LABLINK_WS_EVENT_PONG,
  LABLINK_WS_EVENT_CLOSE,    /* close_code (0: none given) and the reason in data */
  LABLINK_WS_EVENT_ERROR,    /* close with close_code; the error is set */
} LablinkWsEventKind;

typedef struct {
  LablinkWsEventKind  kind;
  const guint8       *data;        /* valid until the next call, and while the input is */
  gsize               length;
  gushort             close_code;
} LablinkWsEvent;

typedef struct {
  gsize       max_payload;   /* a message (all its fragments) may be at most this long */
  gboolean    masked;        /* frames come masked (we are the server: tests) */
  gboolean    failed;        /* a protocol error was reported: nothing more is decoded */
  gboolean    in_message;    /* fragments of a data message are being gathered */
  gboolean    binary;        /* of the message being gathered */
  GByteArray *message;       /* its fragments so far */
  GByteArray *control;       /* a masked control frame's payload, unmasked */
} LablinkWsDecoder;

void  lablink_ws_decoder_init   (LablinkWsDecoder  *decoder,
                                 gsize              max_payload,
                                 gboolean           masked);
void  lablink_ws_decoder_clear  (LablinkWsDecoder  *decoder);
gsize lablink_ws_decoder_next   (LablinkWsDecoder  *decoder,
                                 const guint8      *data,
                                 gsize              length,
                                 LablinkWsEvent    *event,
                                 gsize             *needed,
                                 GError           **error);

void  lablink_ws_frame_append   (GByteArray        *out,
                                 LablinkWsOpcode    opcode,
                                 const guint8      *payload,
                                 gsize              length,
                                 gboolean           mask,
                                 guint32            mask_key);
void  lablink_ws_frame_append_close (GByteArray    *out,
                                     gushort        code,
                                     const char    *reason,
                                     gboolean       mask,
                                     guint32        mask_key);

/* The connection. Callbacks run on the thread whose main context was the
 * thread-default one at lablink_ws_frame_conn_new(). */
typedef struct _LablinkWsFrameConn LablinkWsFrameConn;

typedef struct {
  /* A whole message; @data is valid during the call only. */
  void (*message) (const char   *data,
                   gsize         length,
                   gboolean      binary,
                   gpointer      user_data);
  /* The connection failed (protocol error, read or write error) before it
   * closes: error->code is the close code sent, for SOUP_WEBSOCKET_ERROR. */
  void (*error)   (const GError *error,
                   gpointer      user_data);
  /* The connection is closed: @code is the server's close code, 0 if it
   * sent none (the connection just ended). Called once, and never after
   * lablink_ws_frame_conn_close(). */
  void (*closed)  (gushort       code,
                   gpointer      user_data);
} LablinkWsFrameCallbacks;

LablinkWsFrameConn *lablink_ws_frame_conn_new       (GIOStream                     *stream,
                                                     gsize                          max_payload,
                                                     const LablinkWsFrameCallbacks *callbacks,
                                                     gpointer                       user_data);
gboolean            lablink_ws_frame_conn_is_open   (LablinkWsFrameConn            *self);
void                lablink_ws_frame_conn_send_text (LablinkWsFrameConn            *self,
                                                     const char                    *text,
                                                     gsize                          length);
void                lablink_ws_frame_conn_close     (LablinkWsFrameConn            *self,
                                                     gushort                        code);
void                lablink_ws_frame_conn_free      (LablinkWsFrameConn            *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LablinkWsFrameConn, lablink_ws_frame_conn_free)

G_END_DECLS
