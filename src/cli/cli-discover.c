/* cli-discover.c — the discover command: LabLink servers announced on the
 * local network (mDNS, through the Avahi daemon)
 *
 * Browses for --timeout seconds (the global option: here the browse time,
 * default 3), then prints what was found. Needs no server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli-private.h"
#include "cli-util.h"

#define DEFAULT_BROWSE_S 3

static gboolean opt_json;

static const GOptionEntry discover_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print the servers as a JSON array", NULL },
  { NULL }
};

static void
print_json (GListModel *servers)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n = g_list_model_get_n_items (servers);

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LablinkDiscoveredServer) s = g_list_model_get_item (servers, i);

      const char *strings[][2] = {
        { "name", lablink_discovered_server_get_name (s) },
        { "url", lablink_discovered_server_get_url (s) },
        { "host", lablink_discovered_server_get_host (s) },
        { "address", lablink_discovered_server_get_address (s) },
        { "version", lablink_discovered_server_get_version (s) },
        { "hostname", lablink_discovered_server_get_hostname (s) },
      };

      json_builder_begin_object (builder);
      for (gsize k = 0; k < G_N_ELEMENTS (strings); k++)
        {
          json_builder_set_member_name (builder, strings[k][0]);
          if (strings[k][1] != NULL)
            json_builder_add_string_value (builder, strings[k][1]);
          else
            json_builder_add_null_value (builder);
        }
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, lablink_discovered_server_get_port (s));
      json_builder_set_member_name (builder, "api_port");
      json_builder_add_int_value (builder, lablink_discovered_server_get_api_port (s));
      json_builder_set_member_name (builder, "ws_port");
      json_builder_add_int_value (builder, lablink_discovered_server_get_ws_port (s));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  cli_print_json (root, TRUE);
}

/* NAME  URL  VERSION  HOSTNAME, in columns. */
static void
print_table (GListModel *servers)
{
  static const char * const headers[] = { "NAME", "URL", "VERSION", "HOSTNAME" };
  guint n = g_list_model_get_n_items (servers);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree const char **cells = g_new0 (const char *, n * G_N_ELEMENTS (headers));
  g_autofree char *table = NULL;

  for (guint i = 0; i < n; i++)
    {
      LablinkDiscoveredServer *s = g_list_model_get_item (servers, i);
      const char **row = cells + i * G_N_ELEMENTS (headers);

      g_ptr_array_add (items, s);
      row[0] = lablink_discovered_server_get_name (s);
      row[1] = lablink_discovered_server_get_url (s);
      row[2] = lablink_discovered_server_get_version (s);
      row[3] = lablink_discovered_server_get_hostname (s);
    }
  table = cli_format_columns (headers, G_N_ELEMENTS (headers), cells, n);
  fputs (table, stdout);
}

static int
cmd_discover (Cli   *cli,
              char **args)
{
  g_autoptr(LablinkDiscovery) discovery = lablink_discovery_new ();
  const GError *error = lablink_discovery_get_error (discovery);

  if (!lablink_discovery_get_available (discovery))
    {
      cli_print_error (error != NULL ? error->message : "Discovery is not available");
      return EXIT_RUNTIME;
    }

  cli_start_stop_timer (cli, cli->timeout_s >= 0 ? cli->timeout_s : DEFAULT_BROWSE_S);
  cli_run_until_stop (cli);

  if (opt_json)
    print_json (G_LIST_MODEL (discovery));
  else if (g_list_model_get_n_items (G_LIST_MODEL (discovery)) == 0)
    printf ("No LabLink server found on the network\n");
  else
    print_table (G_LIST_MODEL (discovery));
  return EXIT_OK;
}

const CliCommand cli_command_discover = {
  .name = "discover",
  .parameters = "",
  .summary = "List the LabLink servers announced on the local network (mDNS; --timeout: browse time, default 3 s)",
  .entries = discover_entries,
  .min_args = 0,
  .max_args = 0,
  .run = cmd_discover,
};
