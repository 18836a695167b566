/* cli-info.c — the commands that show what the server says: info, list, status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli-private.h"
#include "cli-util.h"

static gboolean opt_json;

static const GOptionEntry json_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print JSON", NULL },
  { NULL }
};

static const char *
get_member_string (JsonObject *object,
                   const char *name,
                   char      **tmp)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "-";
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);

  *tmp = cli_json_to_string (node, FALSE);
  return *tmp;
}

static int
cmd_info (Cli   *cli,
          char **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) health_error = NULL;
  g_autoptr(GCancellable) op = cli_op_cancellable (cli);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) health_result = NULL;
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(JsonNode) health = NULL;
  g_autofree char *ws_url = NULL;
  g_autofree char *shown_ws_url = NULL;
  JsonObject *object;
  static const struct { const char *label; const char *member; } fields[] = {
    { "Name", "name" },
    { "Version", "version" },
    { "Hostname", "hostname" },
    { "Status", "status" },
  };

  lablink_client_get_info_async (cli->client, op, cli_on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  info = lablink_client_get_info_finish (cli->client, result, &error);
  if (info == NULL)
    return cli_runtime_error (error);

  lablink_client_get_health_async (cli->client, op, cli_on_async_done, cli);
  health_result = cli_wait (cli, op, TRUE, 0, NULL);
  health = lablink_client_get_health_finish (cli->client, health_result, &health_error);
  if (g_error_matches (health_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return cli_runtime_error (health_error);

  if (opt_json)
    {
      g_autoptr(JsonNode) combined = json_node_new (JSON_NODE_OBJECT);
      JsonObject *out = json_object_new ();

      json_node_take_object (combined, out);
      json_object_set_string_member (out, "server_url",
                                     lablink_client_get_server_url (cli->client));
      json_object_set_member (out, "info", json_node_ref (info));
      if (health != NULL)
        json_object_set_member (out, "health", json_node_ref (health));
      else
        json_object_set_null_member (out, "health");
      cli_print_json (combined, TRUE);
      return EXIT_OK;
    }

  object = json_node_get_object (info);
  printf ("%-11s %s\n", "Server:", lablink_client_get_server_url (cli->client));
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *tmp = NULL;
      g_autofree char *label = g_strconcat (fields[i].label, ":", NULL);

      printf ("%-11s %s\n", label, get_member_string (object, fields[i].member, &tmp));
    }

  if (json_object_has_member (object, "security_enabled"))
    {
      JsonNode *node = json_object_get_member (object, "security_enabled");
      gboolean enabled = JSON_NODE_HOLDS_VALUE (node) &&
                         json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
                         json_node_get_boolean (node);

      printf ("%-11s %s%s\n", "Security:", enabled ? "enabled" : "disabled",
              lablink_client_get_logged_in (cli->client) ? " (logged in)" : "");
    }

  if (health != NULL)
    {
      JsonObject *h = json_node_get_object (health);
      g_autofree char *tmp = NULL;
      g_autofree char *tmp2 = NULL;

      printf ("%-11s %s (%s connected devices)\n", "Health:",
              get_member_string (h, "status", &tmp),
              get_member_string (h, "connected_devices", &tmp2));
    }
  else
    {
      printf ("%-11s unavailable (%s)\n", "Health:", health_error->message);
    }

  ws_url = lablink_client_dup_ws_url (cli->client);
  shown_ws_url = cli_redact_token (ws_url);
  printf ("%-11s %s\n", "WebSocket:", shown_ws_url);

  return EXIT_OK;
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static int
cmd_list (Cli   *cli,
          char **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  static const char * const headers[] = { "ID", "TYPE", "NAME", "SERIAL", "CONNECTION", "RESOURCE" };

  list = cli_fetch_equipment (cli, &error);
  if (list == NULL)
    return cli_runtime_error (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < list->len; i++)
        {
          LablinkEquipment *e = list->pdata[i];

          json_builder_begin_object (builder);
          add_nullable_string (builder, "id", lablink_equipment_get_id (e));
          add_nullable_string (builder, "type", lablink_equipment_get_type_name (e));
          add_nullable_string (builder, "manufacturer", lablink_equipment_get_manufacturer (e));
          add_nullable_string (builder, "model", lablink_equipment_get_model (e));
          add_nullable_string (builder, "serial_number", lablink_equipment_get_serial_number (e));
          add_nullable_string (builder, "connection_type",
                               lablink_equipment_get_connection_type (e));
          add_nullable_string (builder, "resource_string",
                               lablink_equipment_get_resource_string (e));
          add_nullable_string (builder, "nickname", lablink_equipment_get_nickname (e));
          add_nullable_string (builder, "display_name", lablink_equipment_get_display_name (e));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      cli_print_json (root, TRUE);
      return EXIT_OK;
    }

  if (list->len == 0)
    {
      printf ("No equipment on %s\n", lablink_client_get_server_url (cli->client));
      return EXIT_OK;
    }

  {
    g_autofree const char **cells = g_new0 (const char *, list->len * G_N_ELEMENTS (headers));
    g_autofree char *table = NULL;

    for (guint i = 0; i < list->len; i++)
      {
        LablinkEquipment *e = list->pdata[i];
        const char **row = cells + i * G_N_ELEMENTS (headers);

        row[0] = lablink_equipment_get_id (e);
        row[1] = lablink_equipment_get_type_name (e);
        row[2] = lablink_equipment_get_display_name (e);
        row[3] = lablink_equipment_get_serial_number (e);
        row[4] = lablink_equipment_get_connection_type (e);
        row[5] = lablink_equipment_get_resource_string (e);
      }
    table = cli_format_columns (headers, G_N_ELEMENTS (headers), cells, list->len);
    fputs (table, stdout);
  }

  return EXIT_OK;
}

static int
cmd_status (Cli   *cli,
            char **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) op = cli_op_cancellable (cli);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) status = NULL;

  lablink_client_get_equipment_status_async (cli->client, args[0], op, cli_on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  status = lablink_client_get_equipment_status_finish (cli->client, result, &error);
  if (status == NULL)
    return cli_runtime_error (error);

  cli_print_json (status, TRUE);
  return EXIT_OK;
}

const CliCommand cli_command_info = {
  .name = "info",
  .parameters = "",
  .summary = "Show the server's name, version and health",
  .entries = json_entries,
  .min_args = 0,
  .max_args = 0,
  .run = cmd_info,
};

const CliCommand cli_command_list = {
  .name = "list",
  .parameters = "",
  .summary = "List the equipment",
  .entries = json_entries,
  .min_args = 0,
  .max_args = 0,
  .run = cmd_list,
};

const CliCommand cli_command_status = {
  .name = "status",
  .parameters = "ID",
  .summary = "Show one instrument's status",
  .entries = NULL,
  .min_args = 1,
  .max_args = 1,
  .run = cmd_status,
};
