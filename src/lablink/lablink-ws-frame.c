/* lablink-ws-frame.c — RFC 6455 frames: the decoder and the client's writer
 *
 * The decoder takes one frame at a time out of a buffer the caller owns and
 * hands out whole messages: an unfragmented, unmasked frame (everything a
 * server sends, in practice) as a pointer into that buffer, without a copy;
 * fragments are gathered, control frames may come between them. A frame's
 * length is checked against the limit from its header, before its payload
 * is waited for or anything is allocated. What breaks the protocol ends
 * the decoding with an error whose code is the close code to send
 * (SOUP_WEBSOCKET_ERROR, as libsoup reports it): 1002 for a protocol
 * error, 1007 for a text message or close reason that is not UTF-8, 1009
 * for a message over the limit. No extension is negotiated (the worker's
 * session offers none), so a reserved bit set is a protocol error.
 *
 * The writer appends a FIN frame, masked as a client's frames must be.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "lablink-ws-frame-private.h"

#define MAX_CONTROL_PAYLOAD 125
#define KEEP_MESSAGE_BUFFER (64 * 1024)  /* a larger gathering buffer is freed after its message */

void
lablink_ws_decoder_init (LablinkWsDecoder *decoder,
                         gsize             max_payload,
                         gboolean          masked)
{
  memset (decoder, 0, sizeof *decoder);
  decoder->max_payload = max_payload;
  decoder->masked = masked;
  decoder->message = g_byte_array_new ();
  decoder->control = g_byte_array_new ();
}

void
lablink_ws_decoder_clear (LablinkWsDecoder *decoder)
{
  g_clear_pointer (&decoder->message, g_byte_array_unref);
  g_clear_pointer (&decoder->control, g_byte_array_unref);
}

/* UTF-8 as RFC 3629 has it (U+0000 included, no surrogates, no overlong
 * forms, nothing over U+10FFFF); ASCII eight bytes at a time. */
static gboolean
valid_utf8 (const guint8 *s,
            gsize         length)
{
  const guint8 *end;

  if (length == 0)
    return TRUE;  /* (an empty message's data may be NULL) */
  end = s + length;
  while (s < end)
    {
      guint8 c;
      gsize n;
      guint8 lo = 0x80, hi = 0xBF;

      while (end - s >= 8)
        {
          guint64 word;

          memcpy (&word, s, 8);
          if (word & G_GUINT64_CONSTANT (0x8080808080808080))
            break;
          s += 8;
        }
      if (s == end)
        break;

      c = *s++;
      if (c < 0x80)
        continue;
      /* The continuation bytes a lead byte takes, and the range of the
       * first of them (no overlong forms, surrogates or > U+10FFFF). */
      if (c >= 0xC2 && c <= 0xDF)
        n = 1;
      else if (c >= 0xE0 && c <= 0xEF)
        {
          n = 2;
          lo = c == 0xE0 ? 0xA0 : 0x80;
          hi = c == 0xED ? 0x9F : 0xBF;
        }
      else if (c >= 0xF0 && c <= 0xF4)
        {
          n = 3;
          lo = c == 0xF0 ? 0x90 : 0x80;
          hi = c == 0xF4 ? 0x8F : 0xBF;
        }
      else
        return FALSE;

      if ((gsize) (end - s) < n || s[0] < lo || s[0] > hi)
        return FALSE;
      s++;
      while (--n > 0)
        {
          if ((*s & 0xC0) != 0x80)
            return FALSE;
          s++;
        }
    }
  return TRUE;
}

/* Close codes a peer may send (RFC 6455 7.4 and the IANA registry). */
static gboolean
valid_close_code (guint code)
{
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

static gsize
fail (LablinkWsDecoder *decoder,
      LablinkWsEvent   *event,
      GError          **error,
      gushort           code,
      const char       *format,
      ...) G_GNUC_PRINTF (5, 6);

static gsize
fail (LablinkWsDecoder *decoder,
      LablinkWsEvent   *event,
      GError          **error,
      gushort           code,
      const char       *format,
      ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (SOUP_WEBSOCKET_ERROR, code, format, args);
  va_end (args);
  decoder->failed = TRUE;
  event->kind = LABLINK_WS_EVENT_ERROR;
  event->close_code = code;
  return 0;
}

/* The payload of a masked frame, unmasked, appended to @out. */
static void
append_unmasked (GByteArray   *out,
                 const guint8 *payload,
                 gsize         length,
                 const guint8  key[4])
{
  guint start = out->len;
  gsize i;

  g_byte_array_set_size (out, start + (guint) length);
  for (i = 0; i < length; i++)
    out->data[start + i] = payload[i] ^ key[i & 3];
}

/*
 * Decodes the frame at the start of @data (@length bytes there). Returns
 * the bytes it took (the whole frame), or 0 when the frame is not all
 * there yet (then *needed says how many bytes it takes, at least) or on a
 * protocol error (event->kind is LABLINK_WS_EVENT_ERROR, @error set; the
 * decoder decodes nothing more). A frame taken in gives an event when it
 * completes a message or is a control frame, else LABLINK_WS_EVENT_NONE.
 */
gsize
lablink_ws_decoder_next (LablinkWsDecoder  *decoder,
                         const guint8      *data,
                         gsize              length,
                         LablinkWsEvent    *event,
                         gsize             *needed,
                         GError           **error)
{
  guint8 opcode, len7;
  gboolean fin, masked, control;
  guint64 payload_length;
  gsize header = 2, gathered;
  const guint8 *key = NULL;
  const guint8 *payload;

  memset (event, 0, sizeof *event);
  *needed = 0;

  if (decoder->failed)
    return fail (decoder, event, error, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR, "The WebSocket already failed");

  /* The previous message's big buffer goes once it was handed out. */
  if (!decoder->in_message && decoder->message->len > KEEP_MESSAGE_BUFFER)
    {
      g_byte_array_unref (decoder->message);
      decoder->message = g_byte_array_new ();
    }

  if (length < 2)
    {
      *needed = 2;
      return 0;
    }

  fin = (data[0] & 0x80) != 0;
  opcode = data[0] & 0x0F;
  masked = (data[1] & 0x80) != 0;
  len7 = data[1] & 0x7F;
  control = (opcode & 0x08) != 0;

  if (data[0] & 0x70)
    return fail (decoder, event, error, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                 "Received a frame with reserved bits set (no extension was negotiated)");
  if (opcode != LABLINK_WS_OPCODE_CONTINUATION && opcode != LABLINK_WS_OPCODE_TEXT &&
      opcode != LABLINK_WS_OPCODE_BINARY && opcode != LABLINK_WS_OPCODE_CLOSE &&
      opcode != LABLINK_WS_OPCODE_PING && opcode != LABLINK_WS_OPCODE_PONG)
    return fail (decoder, event, error, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                 "Received a frame with the unknown opcode %u", opcode);
  if (masked != decoder->masked)
    return fail (decoder, event, error, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                 masked ? "The server sent a masked frame" : "The client sent an unmasked frame");
  if (control && !fin)
    return fail (decoder, event, error, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                 "Received a fragmented control frame");
  if (control && len7 > MAX_CONTROL_PAYLOAD)
    return fail (decoder, event, error, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                 "Received a control frame with a payload over 125 bytes");
  if (!control && opcode == LABLINK_WS_OPCODE_CONTINUATION && !decoder->in_message)
    return fail (decoder, event, error, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                 "Received a continuation frame without a message to continue");
  if (!control && opcode != LABLINK_WS_OPCODE_CONTINUATION && decoder->in_message)
    return fail (decoder, event, error, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                 "Received a new message before the fragmented one was complete");

  if (len7 == 126)
    {
      header = 4;
      if (length < header)
        {
          *needed = header;
          return 0;
        }
      payload_length = ((guint) data[2] << 8) | data[3];
    }
  else if (len7 == 127)
    {
      guint i;

      header = 10;
      if (length < header)
        {
          *needed = header;
          return 0;
        }
      payload_length = 0;
      for (i = 2; i < 10; i++)
        payload_length = (payload_length << 8) | data[i];
      if (payload_length >> 63)
        return fail (decoder, event, error, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                     "Received a frame length with the most significant bit set");
    }
  else
    payload_length = len7;

  /* Checked before the payload is waited for: nothing of an oversized
   * message is ever buffered. */
  gathered = opcode == LABLINK_WS_OPCODE_CONTINUATION ? decoder->message->len : 0;
  if (!control && (payload_length > decoder->max_payload ||
                   gathered + payload_length > decoder->max_payload))
    return fail (decoder, event, error, SOUP_WEBSOCKET_CLOSE_TOO_BIG,
                 "Received a WebSocket message of %" G_GUINT64_FORMAT " bytes or more, over the limit of %" G_GSIZE_FORMAT " bytes",
                 (guint64) gathered + payload_length, decoder->max_payload);

  if (masked)
    {
      key = data + header;
      header += 4;
    }
  if (length < header || length - header < payload_length)
    {
      *needed = header + (gsize) payload_length;
      return 0;
    }
  payload = data + header;

  if (masked && control)
    {
      g_byte_array_set_size (decoder->control, 0);
      append_unmasked (decoder->control, payload, (gsize) payload_length, key);
      payload = decoder->control->data;
    }

  if (control)
    {
      event->data = payload;
      event->length = (gsize) payload_length;
      switch (opcode)
        {
        case LABLINK_WS_OPCODE_PING:
          event->kind = LABLINK_WS_EVENT_PING;
          break;
        case LABLINK_WS_OPCODE_PONG:
          event->kind = LABLINK_WS_EVENT_PONG;
          break;
        default:
          if (payload_length == 1)
            return fail (decoder, event, error, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                         "Received a close frame with a 1-byte payload");
          if (payload_length >= 2)
            {
              event->close_code = (gushort) ((payload[0] << 8) | payload[1]);
              if (!valid_close_code (event->close_code))
                return fail (decoder, event, error, SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR,
                             "Received the invalid close code %u", event->close_code);
              if (!valid_utf8 (payload + 2, (gsize) payload_length - 2))
                return fail (decoder, event, error, SOUP_WEBSOCKET_CLOSE_BAD_DATA,
                             "Received a close reason that is not UTF-8");
              event->data = payload + 2;
              event->length = (gsize) payload_length - 2;
            }
          event->kind = LABLINK_WS_EVENT_CLOSE;
          break;
        }
      return header + (gsize) payload_length;
    }

  if (opcode != LABLINK_WS_OPCODE_CONTINUATION)
    decoder->binary = opcode == LABLINK_WS_OPCODE_BINARY;

  if (fin && opcode != LABLINK_WS_OPCODE_CONTINUATION && !masked)
    {
      /* A whole message in one frame: handed out where it is. */
      event->data = payload;
      event->length = (gsize) payload_length;
    }
  else
    {
      if (opcode != LABLINK_WS_OPCODE_CONTINUATION)
        g_byte_array_set_size (decoder->message, 0);
      if (masked)
        append_unmasked (decoder->message, payload, (gsize) payload_length, key);
      else
        g_byte_array_append (decoder->message, payload, (guint) payload_length);
      decoder->in_message = !fin;
      if (!fin)
        return header + (gsize) payload_length;
      event->data = decoder->message->data;
      event->length = decoder->message->len;
    }

  if (!decoder->binary && !valid_utf8 (event->data, event->length))
    return fail (decoder, event, error, SOUP_WEBSOCKET_CLOSE_BAD_DATA,
                 "Received a text message that is not UTF-8");
  event->kind = decoder->binary ? LABLINK_WS_EVENT_BINARY : LABLINK_WS_EVENT_TEXT;
  return header + (gsize) payload_length;
}

/* Appends a final frame of @opcode carrying @payload to @out, masked with
 * @mask_key if @mask (as every client frame must be). */
void
lablink_ws_frame_append (GByteArray      *out,
                         LablinkWsOpcode  opcode,
                         const guint8    *payload,
                         gsize            length,
                         gboolean         mask,
                         guint32          mask_key)
{
  guint8 header[14];
  guint8 key[4];
  guint n = 0, start;
  gsize i;

  header[n++] = 0x80 | opcode;
  if (length < 126)
    header[n++] = (guint8) length;
  else if (length <= 0xFFFF)
    {
      header[n++] = 126;
      header[n++] = (guint8) (length >> 8);
      header[n++] = (guint8) length;
    }
  else
    {
      header[n++] = 127;
      for (i = 8; i-- > 0;)
        header[n++] = (guint8) ((guint64) length >> (8 * i));
    }
  if (mask)
    {
      header[1] |= 0x80;
      key[0] = mask_key >> 24;
      key[1] = mask_key >> 16;
      key[2] = mask_key >> 8;
      key[3] = (guint8) mask_key;
      memcpy (header + n, key, 4);
      n += 4;
    }
  g_byte_array_append (out, header, n);

  start = out->len;
  if (length > 0)
    g_byte_array_append (out, payload, (guint) length);
  if (mask)
    for (i = 0; i < length; i++)
      out->data[start + i] ^= key[i & 3];
}

/* A close frame: @code (0: none, and no reason) and @reason (may be NULL),
 * cut to what a control frame holds. */
void
lablink_ws_frame_append_close (GByteArray *out,
                               gushort     code,
                               const char *reason,
                               gboolean    mask,
                               guint32     mask_key)
{
  guint8 payload[MAX_CONTROL_PAYLOAD];
  gsize length = 0;

  if (code != 0)
    {
      const char *end = NULL;
      gsize reason_length = reason ? strlen (reason) : 0;

      payload[length++] = code >> 8;
      payload[length++] = code & 0xFF;
      if (reason_length > MAX_CONTROL_PAYLOAD - 2)
        {
          /* Cut at a character boundary. */
          g_utf8_validate (reason, MAX_CONTROL_PAYLOAD - 2, &end);
          reason_length = (gsize) (end - reason);
        }
      if (reason_length > 0)
        memcpy (payload + length, reason, reason_length);
      length += reason_length;
    }
  lablink_ws_frame_append (out, LABLINK_WS_OPCODE_CLOSE, payload, length, mask, mask_key);
}
