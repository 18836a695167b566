/* test-ws-frame.c — the worker's RFC 6455 framing (lablink-ws-frame.c,
 * lablink-ws-frame-conn.c)
 *
 * The decoder on every frame shape (7-, 16- and 64-bit lengths, text,
 * binary, fragments, control frames between fragments), fed whole and cut
 * at every byte boundary; what it must refuse (oversized messages from the
 * header alone, unknown opcodes, reserved bits, masked server frames,
 * broken fragmentation, bad close frames, text that is not UTF-8); the
 * writer's masked client frames; and the connection over a socket pair:
 * ping → pong, the close handshake, a protocol error → close 1002.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lablink-ws-frame-private.h"

#define TEST_TIMEOUT_US (30 * G_USEC_PER_SEC)

/* A server frame (unmasked) with explicit header bits. */
static void
append_raw (GByteArray   *out,
            guint8        first,
            const guint8 *payload,
            gsize         length)
{
  guint start = out->len;

  lablink_ws_frame_append (out, LABLINK_WS_OPCODE_TEXT, payload, length, FALSE, 0);
  out->data[start] = first;
}

static void
append_text (GByteArray *out,
             guint8      first,
             const char *text)
{
  append_raw (out, first, (const guint8 *) text, strlen (text));
}

typedef struct {
  LablinkWsEventKind kind;
  char              *data;
  gsize              length;
  gushort            code;
} Event;

static void
event_free (gpointer data)
{
  Event *e = data;

  g_free (e->data);
  g_free (e);
}

/* Decodes @data as the connection does: appended to a buffer in pieces
 * (cut at @split, or whole if 0), every whole frame taken out after each.
 * Returns the events, the error last (if any). */
static GPtrArray *
decode_all (const guint8 *data,
            gsize         length,
            gsize         split,
            gsize         max_payload,
            gboolean      masked,
            GError      **error)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (event_free);
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  LablinkWsDecoder decoder;
  gsize pieces[2] = { split ? split : length, split ? length - split : 0 };
  gsize offset = 0;
  guint p;

  lablink_ws_decoder_init (&decoder, max_payload, masked);
  for (p = 0; p < 2; p++)
    {
      g_byte_array_append (buffer, data + offset, (guint) pieces[p]);
      offset += pieces[p];
      for (;;)
        {
          LablinkWsEvent event;
          gsize needed;
          gsize taken = lablink_ws_decoder_next (&decoder, buffer->data, buffer->len, &event, &needed, error);

          if (event.kind != LABLINK_WS_EVENT_NONE)
            {
              Event *e = g_new0 (Event, 1);

              e->kind = event.kind;
              e->data = g_memdup2 (event.data, event.length);
              e->length = event.length;
              e->code = event.close_code;
              g_ptr_array_add (events, e);
            }
          if (event.kind == LABLINK_WS_EVENT_ERROR)
            {
              lablink_ws_decoder_clear (&decoder);
              return events;
            }
          if (taken == 0)
            {
              g_assert_cmpuint (needed, >, buffer->len);
              break;
            }
          g_byte_array_remove_range (buffer, 0, (guint) taken);
        }
    }
  lablink_ws_decoder_clear (&decoder);
  return events;
}

static void
assert_event (GPtrArray          *events,
              guint               i,
              LablinkWsEventKind  kind,
              const guint8       *data,
              gsize               length)
{
  Event *e;

  g_assert_cmpuint (i, <, events->len);
  e = g_ptr_array_index (events, i);
  g_assert_cmpint (e->kind, ==, kind);
  g_assert_cmpmem (e->data, e->length, data, length);
}

/* Text and binary messages of every length encoding, whole and split at
 * every byte boundary. */
static void
test_shapes (void)
{
  const gsize lengths[] = { 0, 1, 125, 126, 127, 1000, 65535, 65536, 70001 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autoptr(GByteArray) wire = g_byte_array_new ();
      g_autofree guint8 *payload = g_malloc (lengths[i] + 1);
      gsize j, split;

      for (j = 0; j < lengths[i]; j++)
        payload[j] = 'a' + j % 26;
      lablink_ws_frame_append (wire, LABLINK_WS_OPCODE_TEXT, payload, lengths[i], FALSE, 0);
      lablink_ws_frame_append (wire, LABLINK_WS_OPCODE_BINARY, payload, lengths[i], FALSE, 0);
      g_assert_cmpuint (wire->len, ==, 2 * (lengths[i] + (lengths[i] < 126 ? 2 : lengths[i] < 65536 ? 4 : 10)));

      for (split = 0; split < wire->len; split += lengths[i] > 1000 ? 997 : 1)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GPtrArray) events = decode_all (wire->data, wire->len, split, 1 << 20, FALSE, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (events->len, ==, 2);
          assert_event (events, 0, LABLINK_WS_EVENT_TEXT, payload, lengths[i]);
          assert_event (events, 1, LABLINK_WS_EVENT_BINARY, payload, lengths[i]);
        }
    }
}

/* A fragmented message with control frames between its fragments, then a
 * close; every split. */
static void
test_fragments (void)
{
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  static const guint8 close_payload[] = { 0x03, 0xE9, 'b', 'y', 'e' };
  gsize split;

  append_text (wire, 0x01, "{\"type\": ");      /* text, not final */
  append_text (wire, 0x89, "are you there");   /* ping */
  append_text (wire, 0x00, "\"stream_");       /* continuation */
  append_text (wire, 0x8A, "");                /* pong */
  append_text (wire, 0x80, "data\"}");         /* last continuation */
  append_text (wire, 0x02, "\x01\x02");        /* binary, not final */
  append_text (wire, 0x80, "\xff");            /* its end */
  append_raw (wire, 0x88, close_payload, sizeof close_payload);

  for (split = 0; split < wire->len; split++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = decode_all (wire->data, wire->len, split, 1024, FALSE, &error);
      Event *close;

      g_assert_no_error (error);
      g_assert_cmpuint (events->len, ==, 5);
      assert_event (events, 0, LABLINK_WS_EVENT_PING, (const guint8 *) "are you there", 13);
      assert_event (events, 1, LABLINK_WS_EVENT_PONG, NULL, 0);
      assert_event (events, 2, LABLINK_WS_EVENT_TEXT, (const guint8 *) "{\"type\": \"stream_data\"}", 23);
      assert_event (events, 3, LABLINK_WS_EVENT_BINARY, (const guint8 *) "\x01\x02\xff", 3);
      assert_event (events, 4, LABLINK_WS_EVENT_CLOSE, (const guint8 *) "bye", 3);
      close = g_ptr_array_index (events, 4);
      g_assert_cmpuint (close->code, ==, 1001);
    }
}

static void
expect_error (GByteArray *wire,
              gsize       max_payload,
              gboolean    masked,
              gushort     code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = decode_all (wire->data, wire->len, 0, max_payload, masked, &error);
  Event *last;

  g_assert_cmpuint (events->len, >, 0);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpint (last->kind, ==, LABLINK_WS_EVENT_ERROR);
  g_assert_cmpuint (last->code, ==, code);
  g_assert_error (error, SOUP_WEBSOCKET_ERROR, code);
}

/* Over the limit: refused from the header alone, before any payload. */
static void
test_oversize (void)
{
  static const guint8 len16[] = { 0x81, 126, 0x04, 0x01 };                 /* 1025 bytes */
  static const guint8 len64[] = { 0x82, 127, 0x40, 0, 0, 0, 0, 0, 0, 0 };  /* 2^62 */
  static const guint8 msb[] = { 0x81, 127, 0x80, 0, 0, 0, 0, 0, 0, 1 };
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  guint8 payload[600] = { 0 };

  g_byte_array_append (wire, len16, sizeof len16);
  expect_error (wire, 1024, FALSE, SOUP_WEBSOCKET_CLOSE_TOO_BIG);

  g_byte_array_set_size (wire, 0);
  g_byte_array_append (wire, len64, sizeof len64);
  expect_error (wire, 1024, FALSE, SOUP_WEBSOCKET_CLOSE_TOO_BIG);

  g_byte_array_set_size (wire, 0);
  g_byte_array_append (wire, msb, sizeof msb);
  expect_error (wire, 1024, FALSE, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR);

  /* Fragments: each under the limit, together over it. */
  memset (payload, 'x', sizeof payload);
  g_byte_array_set_size (wire, 0);
  append_raw (wire, 0x01, payload, sizeof payload);
  append_raw (wire, 0x80, payload, sizeof payload);
  expect_error (wire, 1024, FALSE, SOUP_WEBSOCKET_CLOSE_TOO_BIG);

  /* Exactly at the limit is fine. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) events = NULL;

    g_byte_array_set_size (wire, 0);
    append_raw (wire, 0x01, payload, 512);
    append_raw (wire, 0x80, payload, 512);
    events = decode_all (wire->data, wire->len, 0, 1024, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (events->len, ==, 1);
    g_assert_cmpuint (((Event *) g_ptr_array_index (events, 0))->length, ==, 1024);
  }
}

/* Frames given as (first byte, payload) pairs, ending in NULL, must end
 * in an error with @code. */
static void
expect_frames_error (gboolean    masked,
                     gushort     code,
                     guint       first,
                     const char *payload,
                     ...)
{
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  va_list args;

  va_start (args, payload);
  while (payload != NULL)
    {
      append_text (wire, (guint8) first, payload);
      first = va_arg (args, guint);
      payload = first ? va_arg (args, const char *) : NULL;
    }
  va_end (args);
  expect_error (wire, 1024, masked, code);
}

/* Frames a client must refuse. */
static void
test_protocol_errors (void)
{
  const gushort protocol = SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR;
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  guint8 big[126] = { 0 };
  guint opcode;

  /* unknown opcodes */
  for (opcode = 3; opcode < 16; opcode++)
    if (opcode < 8 || opcode > 10)
      expect_frames_error (FALSE, protocol, 0x80 | opcode, "x", 0);

  /* reserved bits (no extension negotiated) */
  for (opcode = 0x10; opcode <= 0x40; opcode <<= 1)
    expect_frames_error (FALSE, protocol, 0x81 | opcode, "x", 0);

  /* a masked server frame; an unmasked client frame, for a server */
  lablink_ws_frame_append (wire, LABLINK_WS_OPCODE_TEXT, (const guint8 *) "hi", 2, TRUE, 0x12345678);
  expect_error (wire, 1024, FALSE, protocol);
  expect_frames_error (TRUE, protocol, 0x81, "hi", 0);

  /* a fragmented control frame; a control frame over 125 bytes */
  expect_frames_error (FALSE, protocol, 0x09, "ping", 0);
  g_byte_array_set_size (wire, 0);
  append_raw (wire, 0x89, big, sizeof big);
  expect_error (wire, 1024, FALSE, protocol);

  /* a continuation with nothing to continue; a new message inside one */
  expect_frames_error (FALSE, protocol, 0x80, "x", 0);
  expect_frames_error (FALSE, protocol, 0x01, "x", 0x81, "y", 0);

  /* close frames: 1 byte, codes a peer may not send, a reason not UTF-8 */
  expect_frames_error (FALSE, protocol, 0x88, "\x03", 0);
  {
    const guint codes[] = { 0, 999, 1004, 1005, 1006, 1015, 2999, 5000, 65535 };
    guint i;

    for (i = 0; i < G_N_ELEMENTS (codes); i++)
      {
        guint8 payload[2] = { codes[i] >> 8, codes[i] & 0xFF };

        g_byte_array_set_size (wire, 0);
        append_raw (wire, 0x88, payload, 2);
        expect_error (wire, 1024, FALSE, protocol);
      }
  }
  expect_frames_error (FALSE, SOUP_WEBSOCKET_CLOSE_BAD_DATA, 0x88, "\x03\xe8\xff", 0);

  /* after an error, nothing more */
  {
    LablinkWsDecoder decoder;
    LablinkWsEvent event;
    gsize needed;
    GError *error = NULL;

    lablink_ws_decoder_init (&decoder, 1024, FALSE);
    g_assert_cmpuint (lablink_ws_decoder_next (&decoder, (const guint8 *) "\x83\x00", 2, &event, &needed, &error), ==, 0);
    g_assert_cmpint (event.kind, ==, LABLINK_WS_EVENT_ERROR);
    g_clear_error (&error);
    g_assert_cmpuint (lablink_ws_decoder_next (&decoder, (const guint8 *) "\x81\x00", 2, &event, &needed, &error), ==, 0);
    g_assert_cmpint (event.kind, ==, LABLINK_WS_EVENT_ERROR);
    g_clear_error (&error);
    lablink_ws_decoder_clear (&decoder);
  }
}

/* Text must be UTF-8 (1007 otherwise), also across fragments; binary need not. */
static void
test_utf8 (void)
{
  static const struct {
    const char *text;
    gboolean    valid;
  } cases[] = {
    { "plain ASCII, longer than eight bytes", TRUE },
    { "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x8c", TRUE },
    { "nul \0 inside", TRUE },
    { "\xc0\x80", FALSE },              /* overlong */
    { "\xe0\x80\xaf", FALSE },          /* overlong */
    { "\xed\xa0\x80", FALSE },          /* surrogate */
    { "\xf4\x90\x80\x80", FALSE },      /* over U+10FFFF */
    { "\xf5\x80\x80\x80", FALSE },
    { "abcdefgh\xc3", FALSE },          /* cut */
    { "\x80", FALSE },
    { "\xe2\x82", FALSE },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length = i == 2 ? 13 : strlen (cases[i].text);
      g_autoptr(GByteArray) wire = g_byte_array_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = NULL;

      append_raw (wire, 0x81, (const guint8 *) cases[i].text, length);
      append_raw (wire, 0x82, (const guint8 *) cases[i].text, length);
      events = decode_all (wire->data, wire->len, 0, 1024, FALSE, &error);
      if (cases[i].valid)
        {
          g_assert_no_error (error);
          assert_event (events, 0, LABLINK_WS_EVENT_TEXT, (const guint8 *) cases[i].text, length);
          assert_event (events, 1, LABLINK_WS_EVENT_BINARY, (const guint8 *) cases[i].text, length);
        }
      else
        {
          g_assert_error (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
          g_assert_cmpuint (events->len, ==, 1);
        }
    }

  /* a character cut between two fragments is whole in the message */
  {
    g_autoptr(GByteArray) wire = g_byte_array_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) events = NULL;

    append_text (wire, 0x01, "\xe2\x82");
    append_text (wire, 0x80, "\xac");
    events = decode_all (wire->data, wire->len, 0, 1024, FALSE, &error);
    g_assert_no_error (error);
    assert_event (events, 0, LABLINK_WS_EVENT_TEXT, (const guint8 *) "\xe2\x82\xac", 3);
  }
}

/* The writer: masked client frames that a server's decoder reads back. */
static void
test_writer (void)
{
  const gsize lengths[] = { 0, 5, 125, 126, 65535, 65536 };
  g_autofree char *long_reason = g_strnfill (200, 'r');
  guint i;

  for (i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autoptr(GByteArray) wire = g_byte_array_new ();
      g_autofree guint8 *payload = g_malloc (lengths[i] + 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = NULL;
      gsize j;

      for (j = 0; j < lengths[i]; j++)
        payload[j] = 'A' + j % 26;
      lablink_ws_frame_append (wire, LABLINK_WS_OPCODE_TEXT, payload, lengths[i], TRUE, 0xA1B2C3D4);
      lablink_ws_frame_append (wire, LABLINK_WS_OPCODE_PONG, payload, MIN (lengths[i], 125), TRUE, 0x01020304);
      g_assert_cmpuint (wire->data[0], ==, 0x81);
      g_assert_true (wire->data[1] & 0x80);
      if (lengths[i] > 0)
        g_assert_true (memcmp (wire->data + wire->len - MIN (lengths[i], 125), payload, MIN (lengths[i], 125)) != 0);

      events = decode_all (wire->data, wire->len, 0, 1 << 20, TRUE, &error);
      g_assert_no_error (error);
      assert_event (events, 0, LABLINK_WS_EVENT_TEXT, payload, lengths[i]);
      assert_event (events, 1, LABLINK_WS_EVENT_PONG, payload, MIN (lengths[i], 125));
    }

  /* close: code and reason, the reason cut to what a control frame holds */
  {
    g_autoptr(GByteArray) wire = g_byte_array_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) events = NULL;
    Event *e;

    lablink_ws_frame_append_close (wire, 1000, long_reason, TRUE, 42);
    lablink_ws_frame_append_close (wire, 0, "ignored", TRUE, 43);
    events = decode_all (wire->data, wire->len, 0, 1024, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (events->len, ==, 2);
    e = g_ptr_array_index (events, 0);
    g_assert_cmpint (e->kind, ==, LABLINK_WS_EVENT_CLOSE);
    g_assert_cmpuint (e->code, ==, 1000);
    g_assert_cmpuint (e->length, ==, 123);
    e = g_ptr_array_index (events, 1);
    g_assert_cmpint (e->kind, ==, LABLINK_WS_EVENT_CLOSE);
    g_assert_cmpuint (e->code, ==, 0);
    g_assert_cmpuint (e->length, ==, 0);
  }
}

/* The connection, over a socket pair: our end a GSocketConnection read
 * through nothing but itself; the other end a plain fd playing server. */

typedef struct {
  GPtrArray *messages;
  GError    *error;
  gint       closed;   /* -1: not yet, else the code */
} ConnState;

static void
conn_message (const char *data,
              gsize       length,
              gboolean    binary,
              gpointer    user_data)
{
  ConnState *s = user_data;

  g_ptr_array_add (s->messages, g_strndup (data, length));
}

static void
conn_error (const GError *error,
            gpointer      user_data)
{
  ConnState *s = user_data;

  g_clear_error (&s->error);
  s->error = g_error_copy (error);
}

static void
conn_closed (gushort  code,
             gpointer user_data)
{
  ((ConnState *) user_data)->closed = code;
}

static const LablinkWsFrameCallbacks conn_callbacks = { conn_message, conn_error, conn_closed };

static gboolean
wait_for (gboolean (*done) (ConnState *), ConnState *s)
{
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_US;

  while (!done (s) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return done (s);
}

static gboolean
has_message (ConnState *s)
{
  return s->messages->len > 0;
}

static gboolean
is_closed (ConnState *s)
{
  return s->closed >= 0;
}

/* Reads what the client wrote until @want events were decoded. */
static GPtrArray *
server_read (int   fd,
             guint want)
{
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_US;

  for (;;)
    {
      guint8 chunk[4096];
      g_autoptr(GError) error = NULL;
      GPtrArray *events = decode_all (wire->data, wire->len, 0, 1 << 20, TRUE, &error);
      ssize_t n;

      if (events->len >= want || error != NULL)
        return events;
      g_ptr_array_unref (events);
      g_main_context_iteration (NULL, FALSE);
      n = recv (fd, chunk, sizeof chunk, MSG_DONTWAIT);
      if (n > 0)
        g_byte_array_append (wire, chunk, (guint) n);
      else if (n == 0 || g_get_monotonic_time () > deadline)
        return g_ptr_array_new_with_free_func (event_free);
      else
        g_usleep (1000);
    }
}

static LablinkWsFrameConn *
conn_pair (int       *server_fd,
           ConnState *s)
{
  int fds[2];
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  socket = g_socket_new_from_fd (fds[0], NULL);
  g_assert_nonnull (socket);
  connection = g_socket_connection_factory_create_connection (socket);
  *server_fd = fds[1];
  s->messages = g_ptr_array_new_with_free_func (g_free);
  s->closed = -1;
  return lablink_ws_frame_conn_new (G_IO_STREAM (connection), 1024, &conn_callbacks, s);
}

static void
server_write (int         fd,
              GByteArray *wire)
{
  g_assert_cmpint (send (fd, wire->data, wire->len, 0), ==, (ssize_t) wire->len);
}

static void
test_conn (void)
{
  ConnState s = { 0 };
  int fd;
  g_autoptr(LablinkWsFrameConn) conn = conn_pair (&fd, &s);
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  g_autoptr(GPtrArray) events = NULL;
  Event *e;

  /* a ping is answered (masked pong, same payload); messages delivered */
  append_text (wire, 0x89, "p1");
  append_text (wire, 0x81, "{\"type\": \"pong\"}");
  server_write (fd, wire);
  g_assert_true (wait_for (has_message, &s));
  g_assert_cmpstr (g_ptr_array_index (s.messages, 0), ==, "{\"type\": \"pong\"}");

  lablink_ws_frame_conn_send_text (conn, "{\"type\": \"ping\"}", 16);
  events = server_read (fd, 2);
  assert_event (events, 0, LABLINK_WS_EVENT_PONG, (const guint8 *) "p1", 2);
  assert_event (events, 1, LABLINK_WS_EVENT_TEXT, (const guint8 *) "{\"type\": \"ping\"}", 16);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* the server closes: its code echoed, then closed(code) */
  g_byte_array_set_size (wire, 0);
  lablink_ws_frame_append_close (wire, 1001, "going away", FALSE, 0);
  server_write (fd, wire);
  g_assert_true (wait_for (is_closed, &s));
  g_assert_cmpint (s.closed, ==, 1001);
  g_assert_null (s.error);
  g_assert_false (lablink_ws_frame_conn_is_open (conn));
  events = server_read (fd, 1);
  g_assert_cmpuint (events->len, ==, 1);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpint (e->kind, ==, LABLINK_WS_EVENT_CLOSE);
  g_assert_cmpuint (e->code, ==, 1001);

  close (fd);
  g_ptr_array_unref (s.messages);
}

static void
test_conn_errors (void)
{
  ConnState s = { 0 };
  int fd;
  g_autoptr(LablinkWsFrameConn) conn = conn_pair (&fd, &s);
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  g_autoptr(GPtrArray) events = NULL;
  guint8 big[2000] = { 0 };

  /* over the limit: error 1009, close 1009 sent, closed */
  append_raw (wire, 0x81, big, sizeof big);
  server_write (fd, wire);
  g_assert_true (wait_for (is_closed, &s));
  g_assert_error (s.error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  g_assert_cmpint (s.closed, ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  events = server_read (fd, 1);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpuint (((Event *) g_ptr_array_index (events, 0))->code, ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  close (fd);
  g_clear_pointer (&conn, lablink_ws_frame_conn_free);
  g_clear_error (&s.error);
  g_ptr_array_unref (s.messages);

  /* a protocol error: 1002 */
  conn = conn_pair (&fd, &s);
  g_byte_array_set_size (wire, 0);
  append_text (wire, 0x83, "?");
  server_write (fd, wire);
  g_assert_true (wait_for (is_closed, &s));
  g_assert_error (s.error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR);
  g_assert_cmpint (s.closed, ==, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR);
  close (fd);
  g_clear_pointer (&conn, lablink_ws_frame_conn_free);
  g_clear_error (&s.error);
  g_ptr_array_unref (s.messages);

  /* the server just goes: closed with no code */
  conn = conn_pair (&fd, &s);
  close (fd);
  g_assert_true (wait_for (is_closed, &s));
  g_assert_cmpint (s.closed, ==, 0);
  g_ptr_array_unref (s.messages);
  g_clear_error (&s.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lablink/ws-frame/shapes", test_shapes);
  g_test_add_func ("/lablink/ws-frame/fragments", test_fragments);
  g_test_add_func ("/lablink/ws-frame/oversize", test_oversize);
  g_test_add_func ("/lablink/ws-frame/protocol-errors", test_protocol_errors);
  g_test_add_func ("/lablink/ws-frame/utf8", test_utf8);
  g_test_add_func ("/lablink/ws-frame/writer", test_writer);
  g_test_add_func ("/lablink/ws-frame/conn", test_conn);
  g_test_add_func ("/lablink/ws-frame/conn-errors", test_conn_errors);

  return g_test_run ();
}
