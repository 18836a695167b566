/* lablink-message-rest.c — REST answers as the messages a stream would carry
 *
 * The polling fallback and a capture's backfill fetch over REST what a
 * stream would have sent: an acquisition's window (`GET …/data`) or an
 * instrument's snapshot (`GET /api/data/{id}/snapshot`). Their bodies are
 * decoded straight from their text by the frame decoder
 * (lablink-message-decode.c): the body is spliced into the frame the server
 * would have sent, marked `"polled": true`, and tokenized once — no JSON
 * tree, no text written back from one. Bare NaN and Infinity are read as in
 * frames. The caller bounded the body (LablinkClient:max-response-size):
 * no frame limit applies here.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-error.h"
#include "lablink-message-private.h"

static const char *
skip_ws (const char *p,
         const char *end)
{
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  return p;
}

/* The answer (`{"acquisition_id","channels","data":{"timestamps","values"},
 * "count"}`) to `GET /api/acquisition/session/{id}/data` as the
 * `acquisition_stream` frame the server would have sent, marked
 * `"polled": true`: the answer's members after `type` and `polled`. The
 * answer must be about @acquisition_id. Naive times are read in the zone
 * pushed on this thread (_lablink_naive_zone_push()). */
LablinkMessage *
lablink_message_parse_acquisition_answer (const char  *acquisition_id,
                                          const char  *body,
                                          gsize        length,
                                          GError     **error)
{
  static const char head[] = "{\"type\": \"acquisition_stream\", \"polled\": true, ";
  const char *end = body + length;
  const char *p = skip_ws (body, end);
  g_autoptr(GString) frame = NULL;
  LablinkMessage *message;

  if (p == end || *p != '{')
    {
      g_set_error_literal (error, LABLINK_ERROR, LABLINK_ERROR_NOT_OBJECT, "the answer is not a JSON object");
      return NULL;
    }
  p++;
  if (*skip_ws (p, end) == '}')
    {
      g_set_error_literal (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD, "the answer is an empty object");
      return NULL;
    }

  /* `{` + the answer's members: valid only if the answer is one object. */
  frame = g_string_sized_new (sizeof head + (gsize) (end - p));
  g_string_append_len (frame, head, sizeof head - 1);
  g_string_append_len (frame, p, end - p);
  message = lablink_message_parse_text (frame->str, frame->len, G_MAXSIZE, error);
  if (message == NULL)
    return NULL;

  if (g_strcmp0 (message->acquisition_id, acquisition_id) != 0)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                   "the answer is about acquisition “%s”", message->acquisition_id);
      lablink_message_unref (message);
      return NULL;
    }
  return message;
}

/* The answer to `GET /api/data/{id}/snapshot` of @equipment_id as the
 * `stream_data` frame of @stream_type the server would have sent, marked
 * `"polled": true`, the answer as its `data`. */
LablinkMessage *
lablink_message_parse_snapshot_answer (const char  *equipment_id,
                                       const char  *stream_type,
                                       const char  *body,
                                       gsize        length,
                                       GError     **error)
{
  g_autoptr(GString) frame = g_string_sized_new (length + 128);
  LablinkMessage *message;

  g_string_append (frame, "{\"type\": \"stream_data\", \"equipment_id\": ");
  lablink_json_append_string (frame, equipment_id);
  g_string_append (frame, ", \"stream_type\": ");
  lablink_json_append_string (frame, stream_type);
  /* Marked, so that nobody takes it for a frame. */
  g_string_append (frame, ", \"polled\": true, \"data\": ");
  g_string_append_len (frame, body, length);
  g_string_append_c (frame, '}');

  message = lablink_message_parse_text (frame->str, frame->len, G_MAXSIZE, error);
  if (message == NULL)
    return NULL;

  /* Five members, `data` last up to the closing brace: the answer is one
   * JSON value, not several spliced in. */
  if (message->doc.tokens[0].count != 5)
    {
      g_set_error_literal (error, LABLINK_ERROR, LABLINK_ERROR_MALFORMED, "the answer is not one JSON value");
      lablink_message_unref (message);
      return NULL;
    }
  return message;
}
