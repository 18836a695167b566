/* cli-command.c — the command command: send one instrument command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli-private.h"
#include "cli-util.h"

static int
cmd_command (Cli   *cli,
             char **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) op = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonObject) parameters = json_object_new ();

  for (guint i = 2; args[i] != NULL; i++)
    if (!cli_parse_parameter (parameters, args[i], &error))
      return cli_usage_error (error->message);

  op = cli_op_cancellable (cli);
  lablink_client_send_command_async (cli->client, args[0], args[1], parameters, op,
                                     cli_on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  answer = lablink_client_send_command_finish (cli->client, result, &error);
  if (answer == NULL)
    return cli_runtime_error (error);

  cli_print_json (answer, TRUE);
  return EXIT_OK;
}

const CliCommand cli_command_command = {
  .name = "command",
  .parameters = "ID ACTION [KEY=VALUE…]",
  .summary =
    "Send an instrument command, e.g. command ps_250e6dfe set_voltage voltage=5 channel=1",
  .entries = NULL,
  .min_args = 2,
  .max_args = G_MAXUINT,
  .run = cmd_command,
};
