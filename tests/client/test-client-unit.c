/* test-client-unit.c — URL handling, equipment parsing, id hashing, CLI helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "client-test-util.h"
#include "cli-util.h"

/* ------------------------------------------------------------------------ */
/* Server URLs                                                              */

static void
test_server_url_normalised (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "http://127.0.0.1:8000", "http://127.0.0.1:8000" },
    { "http://127.0.0.1:8000/", "http://127.0.0.1:8000" },
    { "http://127.0.0.1:8000///", "http://127.0.0.1:8000" },
    { "  http://127.0.0.1:8000  ", "http://127.0.0.1:8000" },
    { "HTTP://127.0.0.1:8000", "http://127.0.0.1:8000" },
    { "127.0.0.1:8000", "http://127.0.0.1:8000" },
    { "localhost:9000", "http://localhost:9000" },
    { "labserver", "http://labserver" },
    { "https://lab.example.org", "https://lab.example.org" },
    { "https://lab.example.org:8443/", "https://lab.example.org:8443" },
    { "http://h:8000/lablink", "http://h:8000/lablink" },
    { "http://h:8000/lablink/", "http://h:8000/lablink" },
    { "http://[::1]:8000", "http://[::1]:8000" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LablinkClient) client = lablink_client_new (cases[i].in, &error);
      g_autofree char *prop = NULL;

      g_test_message ("%s", cases[i].in);
      g_assert_no_error (error);
      g_assert_cmpstr (lablink_client_get_server_url (client), ==, cases[i].out);
      g_object_get (client, "server-url", &prop, NULL);
      g_assert_cmpstr (prop, ==, cases[i].out);
    }
}

static void
test_server_url_default (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkClient) client = lablink_client_new (NULL, &error);
  g_autoptr(LablinkClient) plain = g_object_new (LABLINK_TYPE_CLIENT, NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (lablink_client_get_server_url (client), ==, LABLINK_DEFAULT_SERVER_URL);
  g_assert_cmpstr (lablink_client_get_server_url (plain), ==, LABLINK_DEFAULT_SERVER_URL);
}

static void
test_server_url_invalid (void)
{
  static const char *cases[] = {
    "",
    "   ",
    "ftp://example.org",
    "ws://127.0.0.1:8000/ws",
    "wss://127.0.0.1:8000/ws",
    "http://",
    "http://user:secret@127.0.0.1:8000",
    "http://127.0.0.1:8000/?x=1",
    "http://127.0.0.1:8000/#top",
    "http://127.0.0.1:99999",
    "http://127.0.0.1:0",
    "file:///etc/passwd",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LablinkClient) client = lablink_client_new (cases[i], &error);

      g_test_message ("“%s” → %s", cases[i], error != NULL ? error->message : "(accepted)");
      g_assert_null (client);
      g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
      /* the message says what a valid URL looks like */
      g_assert_nonnull (strstr (error->message, "http://HOST:PORT"));
      /* and never echoes a password */
      g_assert_null (strstr (error->message, "secret"));
    }
}

/* ------------------------------------------------------------------------ */
/* WebSocket URLs                                                           */

static void
test_ws_url_derived (void)
{
  static const struct { const char *server; const char *ws; } cases[] = {
    { "http://127.0.0.1:8000", "ws://127.0.0.1:8000/ws" },
    { "http://127.0.0.1:8000/", "ws://127.0.0.1:8000/ws" },
    { "https://lab.example.org", "wss://lab.example.org/ws" },
    { "https://lab.example.org:8443", "wss://lab.example.org:8443/ws" },
    { "http://h:8000/lablink", "ws://h:8000/lablink/ws" },
    { "http://h:8000/a/b/", "ws://h:8000/a/b/ws" },
    { "localhost:8000", "ws://localhost:8000/ws" },
    { "http://[::1]:8000", "ws://[::1]:8000/ws" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LablinkClient) client = lablink_client_new (cases[i].server, &error);
      g_autofree char *ws = NULL;

      g_assert_no_error (error);
      ws = lablink_client_dup_ws_url (client);
      g_assert_cmpstr (ws, ==, cases[i].ws);
      g_assert_null (lablink_client_get_ws_url_override (client));
    }
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_ws_url_override (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkClient) client = lablink_client_new ("http://127.0.0.1:8000", &error);
  g_autofree char *ws = NULL;
  g_autofree char *prop = NULL;
  guint notified = 0;

  g_assert_no_error (error);
  g_signal_connect (client, "notify::ws-url", G_CALLBACK (count_notify), &notified);

  g_assert_true (lablink_client_set_ws_url_override (client, "ws://10.0.0.5:9001/stream", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  ws = lablink_client_dup_ws_url (client);
  g_assert_cmpstr (ws, ==, "ws://10.0.0.5:9001/stream");
  g_object_get (client, "ws-url", &prop, NULL);
  g_assert_cmpstr (prop, ==, "ws://10.0.0.5:9001/stream");

  /* same value: no notification */
  g_assert_true (lablink_client_set_ws_url_override (client, "ws://10.0.0.5:9001/stream", &error));
  g_assert_cmpuint (notified, ==, 1);

  /* invalid: error, override unchanged */
  g_assert_false (lablink_client_set_ws_url_override (client, "http://10.0.0.5:9001/ws", &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "ws://HOST:PORT"));
  g_clear_error (&error);
  g_assert_false (lablink_client_set_ws_url_override (client, "not a url", &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpstr (lablink_client_get_ws_url_override (client), ==, "ws://10.0.0.5:9001/stream");
  g_assert_cmpuint (notified, ==, 1);

  /* cleared (NULL or ""): derived again */
  g_assert_true (lablink_client_set_ws_url_override (client, "", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 2);
  g_clear_pointer (&ws, g_free);
  ws = lablink_client_dup_ws_url (client);
  g_assert_cmpstr (ws, ==, "ws://127.0.0.1:8000/ws");

  /* the property sets the override too */
  g_object_set (client, "ws-url", "wss://secure.example.org/ws", NULL);
  g_assert_cmpuint (notified, ==, 3);
  g_assert_cmpstr (lablink_client_get_ws_url_override (client), ==, "wss://secure.example.org/ws");
  g_object_set (client, "ws-url", NULL, NULL);
  g_assert_null (lablink_client_get_ws_url_override (client));
  g_assert_cmpuint (notified, ==, 4);
}

static void
test_ws_url_token (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkClient) client = lablink_client_new ("https://lab.example.org:8443/ll", &error);
  g_autofree char *ws = NULL;
  guint notified = 0;

  g_assert_no_error (error);
  g_signal_connect (client, "notify::logged-in", G_CALLBACK (count_notify), &notified);
  g_assert_false (lablink_client_get_logged_in (client));

  lablink_client_set_access_token (client, "eyJ.a b+c/=&?#%");
  g_assert_true (lablink_client_get_logged_in (client));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (lablink_client_get_access_token (client), ==, "eyJ.a b+c/=&?#%");

  ws = lablink_client_dup_ws_url (client);
  g_assert_cmpstr (ws, ==, "wss://lab.example.org:8443/ll/ws?token=eyJ.a%20b%2Bc%2F%3D%26%3F%23%25");

  /* appended to the override, after its own query */
  g_assert_true (lablink_client_set_ws_url_override (client, "ws://h:1/ws?client=monitor", &error));
  g_clear_pointer (&ws, g_free);
  ws = lablink_client_dup_ws_url (client);
  g_assert_cmpstr (ws, ==, "ws://h:1/ws?client=monitor&token=eyJ.a%20b%2Bc%2F%3D%26%3F%23%25");

  g_assert_true (lablink_client_set_ws_url_override (client, "ws://h:1/ws", &error));
  g_clear_pointer (&ws, g_free);
  ws = lablink_client_dup_ws_url (client);
  g_assert_cmpstr (ws, ==, "ws://h:1/ws?token=eyJ.a%20b%2Bc%2F%3D%26%3F%23%25");

  /* a new token: still logged in, no notification */
  lablink_client_set_access_token (client, "t2");
  g_assert_cmpuint (notified, ==, 1);
  /* setting the current token again is harmless */
  lablink_client_set_access_token (client, lablink_client_get_access_token (client));
  g_assert_cmpstr (lablink_client_get_access_token (client), ==, "t2");

  /* NULL or "" logs out */
  lablink_client_set_access_token (client, "");
  g_assert_false (lablink_client_get_logged_in (client));
  g_assert_cmpuint (notified, ==, 2);
  g_assert_null (lablink_client_get_access_token (client));
  g_clear_pointer (&ws, g_free);
  ws = lablink_client_dup_ws_url (client);
  g_assert_cmpstr (ws, ==, "ws://h:1/ws");
}

static void
test_client_properties (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkClient) client = lablink_client_new ("http://127.0.0.1:8000", &error);
  guint timeout = 0;
  guint64 max_size = 0;
  gboolean logged_in = TRUE;
  g_autofree char *username = NULL;
  guint notified = 0;

  g_assert_no_error (error);
  g_object_get (client, "timeout", &timeout, "max-response-size", &max_size,
                "logged-in", &logged_in, "username", &username, NULL);
  g_assert_cmpuint (timeout, ==, LABLINK_CLIENT_DEFAULT_TIMEOUT);
  g_assert_cmpuint (max_size, ==, 64 * 1024 * 1024);
  g_assert_false (logged_in);
  g_assert_null (username);

  g_signal_connect (client, "notify::timeout", G_CALLBACK (count_notify), &notified);
  lablink_client_set_timeout (client, 5);
  lablink_client_set_timeout (client, 5);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (lablink_client_get_timeout (client), ==, 5);
  g_object_set (client, "timeout", 0u, NULL);
  g_assert_cmpuint (lablink_client_get_timeout (client), ==, 0);
  g_assert_cmpuint (notified, ==, 2);

  lablink_client_set_max_response_size (client, 1000);
  g_assert_cmpuint (lablink_client_get_max_response_size (client), ==, 1000);
}

/* ------------------------------------------------------------------------ */
/* Equipment                                                                */

static JsonArray *
fixture_equipment_list (GPtrArray **lines_out)
{
  GPtrArray *lines = test_fixture_load ("lablink-1.2.5-patched.jsonl");
  JsonObject *rest;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  *lines_out = lines;
  if (lines == NULL)
    return NULL;

  rest = test_fixture_find_rest (lines, "rest-discovery", "GET", "/api/equipment/list", 200, 0);
  body = lablink_json_parse (json_object_get_string_member (rest, "body"), -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (body));
  array = json_array_ref (json_node_get_array (body));
  return array;
}

static void
test_equipment_from_fixture (void)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(JsonArray) array = fixture_equipment_list (&lines);
  static const struct {
    const char *id, *type, *display, *serial, *connection, *resource;
    LablinkEquipmentKind kind;
    const char *streams[3];
  } expected[] = {
    { "scope_386959fc", "oscilloscope", "Mock Instruments MockScope-2000", "MOCK5BA6CDE6",
      "ethernet", "MOCK::SCOPE::0", LABLINK_EQUIPMENT_OSCILLOSCOPE,
      { "waveform", "measurements", NULL } },
    { "ps_250e6dfe", "power_supply", "Mock Instruments MockPSU-3030", "MOCKB6E55709", "usb",
      "MOCK::PSU::0", LABLINK_EQUIPMENT_POWER_SUPPLY, { "readings", NULL, NULL } },
    { "load_47fa0d5c", "electronic_load", "Mock Instruments MockLoad-300", "MOCK0480A7C7", "usb",
      "MOCK::LOAD::0", LABLINK_EQUIPMENT_ELECTRONIC_LOAD, { "readings", NULL, NULL } },
  };

  if (array == NULL)
    return;

  g_assert_cmpuint (json_array_get_length (array), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LablinkEquipment) e =
        lablink_equipment_new_from_json (json_array_get_object_element (array, i), &error);
      g_autofree char *id = NULL;
      g_autofree char *display = NULL;
      g_autofree char *nickname = NULL;
      LablinkEquipmentKind kind;

      g_assert_no_error (error);
      g_assert_cmpstr (lablink_equipment_get_id (e), ==, expected[i].id);
      g_assert_cmpstr (lablink_equipment_get_type_name (e), ==, expected[i].type);
      g_assert_cmpint (lablink_equipment_get_kind (e), ==, expected[i].kind);
      g_assert_cmpstr (lablink_equipment_get_manufacturer (e), ==, "Mock Instruments");
      g_assert_cmpstr (lablink_equipment_get_serial_number (e), ==, expected[i].serial);
      g_assert_cmpstr (lablink_equipment_get_connection_type (e), ==, expected[i].connection);
      g_assert_cmpstr (lablink_equipment_get_resource_string (e), ==, expected[i].resource);
      g_assert_null (lablink_equipment_get_nickname (e));
      g_assert_cmpstr (lablink_equipment_get_display_name (e), ==, expected[i].display);
      g_assert_cmpstrv (lablink_equipment_get_stream_types (e), expected[i].streams);

      g_object_get (e, "id", &id, "kind", &kind, "display-name", &display, "nickname", &nickname,
                    NULL);
      g_assert_cmpstr (id, ==, expected[i].id);
      g_assert_cmpint (kind, ==, expected[i].kind);
      g_assert_cmpstr (display, ==, expected[i].display);
      g_assert_null (nickname);
    }
}

static LablinkEquipment *
equipment_from_text (const char  *text,
                     GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) parse_error = NULL;

  node = lablink_json_parse (text, -1, &parse_error);
  g_assert_no_error (parse_error);
  return lablink_equipment_new_from_json (json_node_get_object (node), error);
}

static void
test_equipment_nickname (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkEquipment) e = equipment_from_text (
    "{\"id\":\"ps_1\",\"type\":\"power_supply\",\"manufacturer\":\"Rigol\",\"model\":\"DP832\","
    "\"nickname\":\"Bench PSU\"}", &error);
  g_autoptr(LablinkEquipment) bare = NULL;
  g_autoptr(LablinkEquipment) other = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (lablink_equipment_get_display_name (e), ==, "Bench PSU");
  g_assert_cmpstr (lablink_equipment_get_nickname (e), ==, "Bench PSU");
  g_assert_null (lablink_equipment_get_serial_number (e));

  /* an empty nickname does not count */
  bare = equipment_from_text ("{\"id\":\"x_1\",\"type\":\"power_supply\",\"nickname\":\"\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lablink_equipment_get_display_name (bare), ==, "x_1");

  other = equipment_from_text ("{\"id\":\"dmm_1\",\"type\":\"multimeter\",\"model\":\"34461A\"}",
                               &error);
  g_assert_no_error (error);
  g_assert_cmpint (lablink_equipment_get_kind (other), ==, LABLINK_EQUIPMENT_OTHER);
  g_assert_cmpstr (lablink_equipment_get_type_name (other), ==, "multimeter");
  g_assert_cmpstr (lablink_equipment_get_display_name (other), ==, "34461A");
  g_assert_null (lablink_equipment_get_stream_types (other)[0]);
}

static void
test_equipment_invalid (void)
{
  static const char *cases[] = {
    "{\"type\":\"power_supply\"}",
    "{\"id\":null,\"type\":\"power_supply\"}",
    "{\"id\":42,\"type\":\"power_supply\"}",
    "{\"id\":\"\",\"type\":\"power_supply\"}",
    "{\"id\":\"ps_1\"}",
    "{\"id\":\"ps_1\",\"type\":[\"power_supply\"]}",
    "{\"id\":\"ps_1\",\"type\":\"power_supply\",\"nickname\":5}",
    "{\"id\":\"ps_1\",\"type\":\"power_supply\",\"model\":{}}",
    "{\"id\":\"ps_1\",\"type\":\"power_supply\",\"serial_number\":true}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LablinkEquipment) e = equipment_from_text (cases[i], &error);

      g_test_message ("%s → %s", cases[i], error != NULL ? error->message : "(accepted)");
      g_assert_null (e);
      g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD);
    }
}

static void
test_equipment_id_hash (void)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(JsonArray) array = NULL;
  static const struct { const char *prefix, *resource, *id; } cases[] = {
    { "ps", "MOCK::PSU::0", "ps_250e6dfe" },
    { "scope", "MOCK::SCOPE::0", "scope_386959fc" },
    { "load", "MOCK::LOAD::0", "load_47fa0d5c" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = lablink_equipment_id_for_resource (cases[i].prefix, cases[i].resource);
      g_assert_cmpstr (id, ==, cases[i].id);
    }

  /* and every id of the recorded list follows the rule */
  array = fixture_equipment_list (&lines);
  if (array == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      const char *id = json_object_get_string_member (object, "id");
      g_autofree char *prefix = g_strndup (id, strchr (id, '_') - id);
      g_autofree char *computed =
        lablink_equipment_id_for_resource (prefix, json_object_get_string_member (object, "resource_string"));

      g_assert_cmpstr (computed, ==, id);
    }
}

/* ------------------------------------------------------------------------ */
/* lablink-cli helpers                                                      */

static void
test_cli_parameters (void)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(GError) error = NULL;
  static const char *good[] = {
    "voltage=5.0", "channel=1", "current=-0.25", "enabled=true", "off=false", "none=null",
    "mode=CC", "quoted=\"5\"", "big=1e3", "name=nan", "inf=inf", "hex=0x10", "empty=",
    "expr=a=b",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_assert_true (cli_parse_parameter (params, good[i], &error));
      g_assert_no_error (error);
    }

  g_assert_cmpint (json_node_get_value_type (json_object_get_member (params, "voltage")), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_object_get_double_member (params, "voltage"), ==, 5.0);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (params, "channel")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (params, "channel"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (params, "current"), ==, -0.25);
  g_assert_true (json_object_get_boolean_member (params, "enabled"));
  g_assert_false (json_object_get_boolean_member (params, "off"));
  g_assert_true (json_object_get_null_member (params, "none"));
  g_assert_cmpstr (json_object_get_string_member (params, "mode"), ==, "CC");
  g_assert_cmpstr (json_object_get_string_member (params, "quoted"), ==, "5");
  g_assert_cmpfloat (json_object_get_double_member (params, "big"), ==, 1000.0);
  g_assert_cmpstr (json_object_get_string_member (params, "name"), ==, "nan");
  g_assert_cmpstr (json_object_get_string_member (params, "inf"), ==, "inf");
  g_assert_cmpstr (json_object_get_string_member (params, "hex"), ==, "0x10");
  g_assert_cmpstr (json_object_get_string_member (params, "empty"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (params, "expr"), ==, "a=b");

  g_assert_false (cli_parse_parameter (params, "novalue", &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_clear_error (&error);
  g_assert_false (cli_parse_parameter (params, "=5", &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
}

static void
test_cli_parameters_locale (void)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(GError) error = NULL;
  const char *old = setlocale (LC_NUMERIC, NULL);
  g_autofree char *saved = g_strdup (old);

  /* a decimal-comma locale must not change how 5.5 is read */
  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL && setlocale (LC_NUMERIC, "fr_FR.UTF-8") == NULL)
    {
      g_test_skip ("no decimal-comma locale installed");
      return;
    }
  g_assert_true (cli_parse_parameter (params, "voltage=5.5", &error));
  setlocale (LC_NUMERIC, saved);
  g_assert_cmpfloat (json_object_get_double_member (params, "voltage"), ==, 5.5);
}

static void
test_cli_json_output (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *compact = NULL;
  g_autofree char *pretty = NULL;
  const char *text = "{\"a\":NaN,\"b\":[1,2.5,-Infinity],\"c\":{\"d\":null,\"e\":\"x\\\"y\"},"
                     "\"f\":true,\"g\":[],\"h\":{},\"i\":5.0}";

  node = lablink_json_parse (text, -1, &error);
  g_assert_no_error (error);
  compact = cli_json_to_string (node, FALSE);
  g_assert_cmpstr (compact, ==, text);

  pretty = cli_json_to_string (node, TRUE);
  g_assert_cmpstr (pretty, ==,
                   "{\n  \"a\": NaN,\n  \"b\": [\n    1,\n    2.5,\n    -Infinity\n  ],\n"
                   "  \"c\": {\n    \"d\": null,\n    \"e\": \"x\\\"y\"\n  },\n  \"f\": true,\n"
                   "  \"g\": [],\n  \"h\": {},\n  \"i\": 5.0\n}");
}

static void
test_cli_channels (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) channels = cli_parse_channels ("CH1, CH2,CH3", &error);
  const char *expected[] = { "CH1", "CH2", "CH3", NULL };
  static const char *bad[] = { "", ",", "CH1,,CH2", "CH1,CH1", " " };

  g_assert_no_error (error);
  g_assert_cmpstrv (channels, expected);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(GStrv) none = cli_parse_channels (bad[i], &error);

      g_assert_null (none);
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
      g_clear_error (&error);
    }
}

static void
test_cli_redact (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "ws://h:1/ws", "ws://h:1/ws" },
    { "ws://h:1/ws?token=abc.def", "ws://h:1/ws?token=…" },
    { "ws://h:1/ws?client=x&token=abc", "ws://h:1/ws?client=x&token=…" },
    { "ws://h:1/ws?token=abc&client=x", "ws://h:1/ws?token=…&client=x" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = cli_redact_token (cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

/* Columns padded by characters (a cell may hold "…"), NULL as "-". */
static void
test_cli_columns (void)
{
  static const char * const headers[] = { "NAME", "URL", "V" };
  static const char * const cells[] = {
    "Bench…", "http://10.0.0.5:8000", NULL,
    "LabLink Simulator", "http://127.0.0.1:8000", "1.2.5",
  };
  g_autofree char *table = cli_format_columns (headers, 3, cells, 2);
  g_autofree char *empty = cli_format_columns (headers, 3, NULL, 0);

  g_assert_cmpstr (table, ==,
                   "NAME               URL                    V\n"
                   "Bench…             http://10.0.0.5:8000   -\n"
                   "LabLink Simulator  http://127.0.0.1:8000  1.2.5\n");
  g_assert_cmpstr (empty, ==, "NAME  URL  V\n");
}

/* The fingerprint a certificate refusal names (the new one when it changed). */
static void
test_cli_fingerprint (void)
{
  static const char *a = "SHA256:0I1Qg70GHDjK0ye2n8CN1uN3VHiOjkjmVpHvPDYjk7o";
  static const char *b = "SHA256:cHS/aGYdMr/rBYpimtTvvbQcdupTvI2h81iFAO7jMwI";
  g_autofree char *untrusted = g_strdup_printf ("… not trusted. Its fingerprint is %s. Connect …", a);
  g_autofree char *changed = g_strdup_printf ("… trusted for it is %s, but the server now presents %s (…", a, b);
  g_autofree char *found_a = cli_find_fingerprint (untrusted);
  g_autofree char *found_b = cli_find_fingerprint (changed);
  g_autofree char *none = cli_find_fingerprint ("Could not connect (SHA256:short)");
  g_autofree char *plain = cli_certificate_message ("Could not connect");
  g_autofree char *hinted = cli_certificate_message (changed);
  g_autofree char *option = g_strconcat ("--accept-certificate=", b, NULL);

  g_assert_cmpstr (found_a, ==, a);
  g_assert_cmpstr (found_b, ==, b);
  g_assert_null (none);
  g_assert_null (cli_find_fingerprint (NULL));
  g_assert_cmpstr (plain, ==, "Could not connect");
  g_assert_true (g_str_has_prefix (hinted, changed));
  g_assert_nonnull (strstr (hinted, option));
}

static void
test_cli_numbers (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  cli_append_number (out, 5.0);
  g_string_append_c (out, ',');
  cli_append_number (out, 0.1);
  g_string_append_c (out, ',');
  cli_append_number (out, NAN);
  g_string_append_c (out, ',');
  cli_append_number (out, -INFINITY);
  g_assert_cmpstr (out->str, ==, "5,0.1,NaN,-Infinity");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/url/normalised", test_server_url_normalised);
  g_test_add_func ("/client/url/default", test_server_url_default);
  g_test_add_func ("/client/url/invalid", test_server_url_invalid);
  g_test_add_func ("/client/ws-url/derived", test_ws_url_derived);
  g_test_add_func ("/client/ws-url/override", test_ws_url_override);
  g_test_add_func ("/client/ws-url/token", test_ws_url_token);
  g_test_add_func ("/client/properties", test_client_properties);
  g_test_add_func ("/equipment/fixture", test_equipment_from_fixture);
  g_test_add_func ("/equipment/nickname", test_equipment_nickname);
  g_test_add_func ("/equipment/invalid", test_equipment_invalid);
  g_test_add_func ("/equipment/id-hash", test_equipment_id_hash);
  g_test_add_func ("/cli/parameters", test_cli_parameters);
  g_test_add_func ("/cli/parameters-locale", test_cli_parameters_locale);
  g_test_add_func ("/cli/json-output", test_cli_json_output);
  g_test_add_func ("/cli/channels", test_cli_channels);
  g_test_add_func ("/cli/redact", test_cli_redact);
  g_test_add_func ("/cli/columns", test_cli_columns);
  g_test_add_func ("/cli/numbers", test_cli_numbers);
  g_test_add_func ("/cli/fingerprint", test_cli_fingerprint);

  return g_test_run ();
}
