/* cli-command.c — the command command: send one instrument command
 *
 * A control command (set_voltage, set_output, …) on a server with
 * equipment locks on (LabLink 1.2.5's default) needs the instrument's
 * exclusive lock: the command creates a lock session, takes the lock,
 * sends the command, then releases the lock and ends the session. With
 * --keep-lock it keeps both and prints the session id, so that a script's
 * next commands (--lock-session=ID) keep control in between.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli-private.h"
#include "cli-util.h"

static gboolean opt_keep_lock;
static char *opt_lock_session;

static const GOptionEntry command_entries[] = {
  { "keep-lock", 'k', 0, G_OPTION_ARG_NONE, &opt_keep_lock,
    "Keep the instrument's lock (and its lock session) after the command; print the session id", NULL },
  { "lock-session", 'l', 0, G_OPTION_ARG_STRING, &opt_lock_session,
    "Use this lock session (from --keep-lock; default $LABLINK_LOCK_SESSION)", "ID" },
  { NULL }
};

static void
command_clear (void)
{
  opt_keep_lock = FALSE;
  g_clear_pointer (&opt_lock_session, g_free);
}

/* Releases the lock and ends the session; failures only warn (the server
 * frees both after their timeouts anyway). Not aborted by a first signal. */
static void
let_go (Cli        *cli,
        const char *equipment_id)
{
  g_autoptr(GCancellable) op = cli_op_cancellable (cli);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  lablink_client_end_lock_session_async (cli->client, op, cli_on_async_done, cli);
  result = cli_wait (cli, op, FALSE, 10, NULL);
  if (!lablink_client_end_lock_session_finish (cli->client, result, &error))
    {
      g_autofree char *message = g_strdup_printf ("could not release the lock of %s (%s); the server "
                                                  "frees it after its timeout", equipment_id, error->message);
      cli_print_error (message);
    }
}

static int
take_lock (Cli        *cli,
           const char *equipment_id)
{
  g_autoptr(GCancellable) op = cli_op_cancellable (cli);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  lablink_client_acquire_lock_async (cli->client, equipment_id, LABLINK_LOCK_MODE_EXCLUSIVE, FALSE, op,
                                     cli_on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  if (lablink_client_acquire_lock_finish (cli->client, result, &error))
    return EXIT_OK;
  /* a server without lock routes controls without locks */
  if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_NOT_FOUND) &&
      lablink_client_get_lock_session_id (cli->client) == NULL)
    return EXIT_OK;
  return cli_runtime_error (error);
}

static int
cmd_command (Cli   *cli,
             char **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) op = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonObject) parameters = json_object_new ();
  const char *equipment_id = args[0];
  const char *session = opt_lock_session != NULL ? opt_lock_session : g_getenv ("LABLINK_LOCK_SESSION");
  gboolean locking;
  int status;

  for (guint i = 2; args[i] != NULL; i++)
    if (!cli_parse_parameter (parameters, args[i], &error))
      return cli_usage_error (error->message);

  if (session != NULL && session[0] != '\0')
    lablink_client_set_lock_session (cli->client, session, NULL);
  locking = lablink_action_requires_control (args[1]) || opt_keep_lock ||
            lablink_client_get_lock_session_id (cli->client) != NULL;

  if (locking)
    {
      status = take_lock (cli, equipment_id);
      if (status != EXIT_OK)
        {
          if (!opt_keep_lock)
            let_go (cli, equipment_id);
          return status;
        }
    }

  op = cli_op_cancellable (cli);
  lablink_client_send_command_async (cli->client, equipment_id, args[1], parameters, op,
                                     cli_on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  answer = lablink_client_send_command_finish (cli->client, result, &error);

  if (locking && opt_keep_lock && lablink_client_get_lock_session_id (cli->client) != NULL)
    g_printerr ("lablink-cli: %s stays locked by lock session %s: pass --lock-session=%s (or set "
                "LABLINK_LOCK_SESSION) to the next commands, and leave out --keep-lock on the last\n",
                equipment_id, lablink_client_get_lock_session_id (cli->client),
                lablink_client_get_lock_session_id (cli->client));
  else if (locking)
    let_go (cli, equipment_id);

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
  .entries = command_entries,
  .min_args = 2,
  .max_args = G_MAXUINT,
  .run = cmd_command,
  .clear = command_clear,
};
