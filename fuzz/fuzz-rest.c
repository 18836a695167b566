/* fuzz-rest.c — libFuzzer target: one REST response body
 *
 * The input is the body of an HTTP answer, read the ways the client reads it:
 *
 * - as an error answer: _lablink_client_http_error(), the private entry point
 *   around the static parser of error bodies (FastAPI `detail` strings and
 *   validation-error arrays, `message`, `error`, short plain text);
 * - as a success answer, as request_complete() (static, in
 *   lablink-client-request.c) does: lablink_json_parse(), then per result
 *   kind: the equipment list (lablink_equipment_new_from_json() on every
 *   entry), a refused command (_lablink_client_refused_error()), a login
 *   answer (_lablink_client_take_tokens());
 * - as a polled snapshot: the stream manager's polling fallback wraps the
 *   body in a `stream_data` frame and decodes it with lablink_message_parse().
 *
 * Equipment status, acquisition status and acquisition data are returned to
 * the caller as the lablink_json_parse() tree; the capture's backfill reads
 * acquisition data in a static function (merge_backfill() in
 * lablink-capture.c), so here that body gets the generic parse only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-client-private.h"
#include "lablink-json-private.h"
#include "lablink.h"
#include "fuzz-common.h"

static LablinkClient *client;
static SoupMessage *soup_message;

static void
check_error_text (const GError *error,
                  gboolean      one_line)
{
  fuzz_check (error != NULL);
  fuzz_check (g_utf8_validate (error->message, -1, NULL));
  /* The body's control characters were replaced. */
  if (one_line)
    for (const char *p = error->message; *p != '\0'; p++)
      fuzz_check ((guchar) *p >= 0x20);
}

static void
check_strings (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        check_strings (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          fuzz_check (g_utf8_validate (name, -1, NULL));
          check_strings (member);
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      fuzz_check (g_utf8_validate (json_node_get_string (node), -1, NULL));
    }
}

static void
check_equipment (JsonObject *object)
{
  g_autoptr(LablinkEquipment) equipment = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *types;

  equipment = lablink_equipment_new_from_json (object, &error);
  if (equipment == NULL)
    {
      fuzz_check (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD));
      return;
    }

  fuzz_check (lablink_equipment_get_id (equipment)[0] != '\0');
  fuzz_touch_string (lablink_equipment_get_type_name (equipment));
  fuzz_touch_string (lablink_equipment_get_manufacturer (equipment));
  fuzz_touch_string (lablink_equipment_get_model (equipment));
  fuzz_touch_string (lablink_equipment_get_serial_number (equipment));
  fuzz_touch_string (lablink_equipment_get_connection_type (equipment));
  fuzz_touch_string (lablink_equipment_get_resource_string (equipment));
  fuzz_touch_string (lablink_equipment_get_nickname (equipment));
  fuzz_check (lablink_equipment_get_display_name (equipment)[0] != '\0');
  types = lablink_equipment_get_stream_types (equipment);
  fuzz_check (types != NULL);
  for (guint i = 0; types[i] != NULL; i++)
    fuzz_touch_string (types[i]);
}

/* The stream manager's polling fallback (poll_cb in lablink-stream-manager.c). */
static void
check_polled_snapshot (JsonNode *root)
{
  g_autofree char *data_text = json_to_string (root, FALSE);
  g_autoptr(GString) frame = g_string_new ("{\"type\": \"stream_data\", \"equipment_id\": ");
  g_autoptr(LablinkMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  lablink_json_append_string (frame, "ps_250e6dfe");
  g_string_append (frame, ", \"stream_type\": ");
  lablink_json_append_string (frame, "readings");
  g_string_append_printf (frame, ", \"data\": %s}", data_text);

  message = lablink_message_parse (frame->str, (gssize) frame->len, &error);
  if (message == NULL)
    fuzz_check (error != NULL && error->domain == LABLINK_ERROR);
  else
    fuzz_check (lablink_message_get_message_type (message) == LABLINK_MESSAGE_STREAM_DATA);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  fuzz_init ();
  client = lablink_client_new ("http://127.0.0.1:9", &error);
  fuzz_check (client != NULL);
  soup_message = soup_message_new ("GET", "http://127.0.0.1:9/api/fuzz");
  fuzz_check (soup_message != NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const guint statuses[] = { 400, 404, 422, 500 };
  g_autoptr(GByteArray) body = g_byte_array_sized_new ((guint) size);
  LablinkRequest request = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (size > G_MAXUINT32)
    return 0;
  g_byte_array_append (body, data, (guint) size);
  request.message = soup_message;
  request.method = (char *) "POST";
  request.path = (char *) "/api/fuzz";
  request.username = (char *) "fuzz";
  request.body = body;

  /* An error answer (one status per input: the body is read the same way
   * for each, only the hints differ). */
  {
    g_autoptr(GError) http_error = _lablink_client_http_error (client, &request,
                                                               statuses[size % G_N_ELEMENTS (statuses)]);

    check_error_text (http_error, TRUE);
    fuzz_check (http_error->domain == LABLINK_ERROR);
  }

  /* A success answer. */
  root = lablink_json_parse ((const char *) body->data, (gssize) body->len, &error);
  if (root == NULL)
    {
      fuzz_check (error != NULL && error->domain == LABLINK_ERROR);
      return 0;
    }
  check_strings (root);

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            check_equipment (json_node_get_object (element));
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      g_autoptr(GError) refused = _lablink_client_refused_error (&request, object);
      g_autoptr(GError) token_error = NULL;

      check_error_text (refused, FALSE);
      check_equipment (object);

      request.kind = LABLINK_RESULT_LOGIN;
      token_error = _lablink_client_take_tokens (client, &request, object);
      if (token_error == NULL)
        {
          fuzz_check (lablink_client_get_logged_in (client));
          fuzz_check (g_strcmp0 (lablink_client_get_access_token (client),
                                 _lablink_client_json_get_string (object, "access_token")) == 0);
          _lablink_client_set_tokens (client, NULL, NULL, NULL, TRUE);
        }

      check_polled_snapshot (root);
    }

  return 0;
}
