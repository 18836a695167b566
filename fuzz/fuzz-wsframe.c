/* fuzz-wsframe.c — libFuzzer target: the WebSocket frame decoder
 *
 * The input is what a server sends on the worker's WebSocket after the
 * handshake: frames, decoded as lablink-ws-frame-conn.c decodes them (the
 * first byte of the input picks where the bytes are cut into reads, and the
 * limit), each message of text then parsed like the worker parses it.
 * Checks, besides the sanitizers:
 *
 * - the decoder takes no more than it was given, and when it takes nothing
 *   it asks for more than it has (or failed);
 * - a message is at most the limit, a control payload at most 125 bytes,
 *   text is UTF-8, a close code is one a peer may send;
 * - an error is a SOUP_WEBSOCKET_ERROR whose code is the close code, and
 *   nothing is decoded after it;
 * - every message, written again as a masked client frame, decodes (as a
 *   server would) to the same bytes;
 * - cut differently, the same input gives the same messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "lablink.h"
#include "lablink-message-private.h"
#include "lablink-ws-frame-private.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

/* The masked client frame of @data decodes back to it. */
static void
check_round_trip (LablinkWsOpcode  opcode,
                  const guint8    *data,
                  gsize            length)
{
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  LablinkWsDecoder server;
  LablinkWsEvent event;
  gsize needed;
  gsize taken;

  lablink_ws_frame_append (wire, opcode, data, length, TRUE, 0x5A17C0DE);
  lablink_ws_decoder_init (&server, G_MAXSIZE, TRUE);
  taken = lablink_ws_decoder_next (&server, wire->data, wire->len, &event, &needed, &error);
  fuzz_check (error == NULL);
  fuzz_check (taken == wire->len);
  fuzz_check (event.length == length);
  fuzz_check (length == 0 || memcmp (event.data, data, length) == 0);
  lablink_ws_decoder_clear (&server);
}

/* Decodes @data cut into reads of @chunk bytes (0: all at once); returns
 * the messages (text and binary, in order, as one string each). */
static GPtrArray *
decode (const guint8 *data,
        gsize         size,
        gsize         chunk,
        gsize         max_payload)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  LablinkWsDecoder decoder;
  gsize offset = 0;
  gboolean failed = FALSE;

  lablink_ws_decoder_init (&decoder, max_payload, FALSE);
  while (offset < size && !failed)
    {
      gsize n = chunk ? MIN (chunk, size - offset) : size - offset;

      g_byte_array_append (buffer, data + offset, (guint) n);
      offset += n;

      for (;;)
        {
          g_autoptr(GError) error = NULL;
          LablinkWsEvent event;
          gsize needed = 0;
          gsize taken = lablink_ws_decoder_next (&decoder, buffer->data, buffer->len, &event, &needed, &error);

          fuzz_check (taken <= buffer->len);
          if (event.kind == LABLINK_WS_EVENT_ERROR)
            {
              fuzz_check (taken == 0);
              fuzz_check (g_error_matches (error, SOUP_WEBSOCKET_ERROR, event.close_code));
              fuzz_check (event.close_code == SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR ||
                          event.close_code == SOUP_WEBSOCKET_CLOSE_BAD_DATA ||
                          event.close_code == SOUP_WEBSOCKET_CLOSE_TOO_BIG);
              failed = TRUE;
              /* nothing after an error */
              g_clear_error (&error);
              lablink_ws_decoder_next (&decoder, buffer->data, buffer->len, &event, &needed, &error);
              fuzz_check (event.kind == LABLINK_WS_EVENT_ERROR);
              break;
            }
          fuzz_check (error == NULL);
          if (taken == 0)
            {
              fuzz_check (needed > buffer->len);
              break;
            }

          switch (event.kind)
            {
            case LABLINK_WS_EVENT_TEXT:
              fuzz_check (g_utf8_validate_len ((const char *) event.data, event.length, NULL) ||
                          memchr (event.data, 0, event.length) != NULL);
              {
                g_autoptr(GError) parse_error = NULL;
                LablinkMessage *message = lablink_message_parse_text ((const char *) event.data, event.length,
                                                                      max_payload, &parse_error);

                fuzz_check ((message == NULL) == (parse_error != NULL));
                g_clear_pointer (&message, lablink_message_unref);
              }
              G_GNUC_FALLTHROUGH;
            case LABLINK_WS_EVENT_BINARY:
              fuzz_check (event.length <= max_payload);
              check_round_trip (event.kind == LABLINK_WS_EVENT_TEXT ? LABLINK_WS_OPCODE_TEXT : LABLINK_WS_OPCODE_BINARY,
                                event.data, event.length);
              g_ptr_array_add (messages, g_bytes_new (event.data, event.length));
              break;

            case LABLINK_WS_EVENT_PING:
            case LABLINK_WS_EVENT_PONG:
              fuzz_check (event.length <= 125);
              check_round_trip (LABLINK_WS_OPCODE_PONG, event.data, event.length);
              break;

            case LABLINK_WS_EVENT_CLOSE:
              fuzz_check (event.length <= 123);
              fuzz_check (event.close_code == 0 || (event.close_code >= 1000 && event.close_code < 5000));
              fuzz_check (g_utf8_validate_len ((const char *) event.data, event.length, NULL) ||
                          memchr (event.data, 0, event.length) != NULL);
              break;

            case LABLINK_WS_EVENT_NONE:
            case LABLINK_WS_EVENT_ERROR:
            default:
              break;
            }
          g_byte_array_remove_range (buffer, 0, (guint) taken);
        }
    }
  lablink_ws_decoder_clear (&decoder);
  return messages;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(GPtrArray) cut = NULL;
  gsize max_payload;
  gsize chunk;
  guint i;

  if (size < 1)
    return 0;

  /* The first byte: the limit (small ones reach the too-big paths) and
   * the size of the reads. */
  max_payload = (data[0] & 0x80) ? 64 : 1024 * 1024;
  chunk = 1 + (data[0] & 0x7F);
  data++;
  size--;

  whole = decode (data, size, 0, max_payload);
  cut = decode (data, size, chunk, max_payload);

  /* The same messages, however the bytes came (as far as both got). */
  for (i = 0; i < MIN (whole->len, cut->len); i++)
    fuzz_check (g_bytes_equal (g_ptr_array_index (whole, i), g_ptr_array_index (cut, i)));
  fuzz_check (whole->len == cut->len);
  return 0;
}
