/* lablink-cli.c — a command-line client for LabLink servers: the global
 * options and the dispatch to one command (the commands are in cli-*.c,
 * see cli-private.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>

#include "cli-private.h"
#include "cli-util.h"

static char *opt_server;
static char *opt_ws_url;
static char *opt_user;
static char *opt_accept_certificate;
static int opt_timeout = G_MININT;   /* not given */

static const GOptionEntry global_entries[] = {
  { "server", 's', 0, G_OPTION_ARG_STRING, &opt_server,
    "LabLink server URL (default: $LABLINK_SERVER, else " LABLINK_DEFAULT_SERVER_URL ")", "URL" },
  { "ws-url", 0, 0, G_OPTION_ARG_STRING, &opt_ws_url,
    "WebSocket URL (default: derived from the server URL)", "URL" },
  { "user", 'u', 0, G_OPTION_ARG_STRING, &opt_user,
    "Log in as NAME (password from $LABLINK_PASSWORD, else asked on the terminal)", "NAME" },
  { "accept-certificate", 0, 0, G_OPTION_ARG_STRING, &opt_accept_certificate,
    "Trust the server's self-signed TLS certificate with this SHA-256 fingerprint "
    "(as shown when it was refused; confirm it with the server's administrator)", "SHA256:…" },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout,
    "Give up on a REST request after SECONDS (default 30); discover: browse for SECONDS (default 3)", "SECONDS" },
  { NULL }
};

static const CliCommand * const commands[] = {
  &cli_command_info,
  &cli_command_list,
  &cli_command_status,
  &cli_command_stream,
  &cli_command_acquire,
  &cli_command_stats,
  &cli_command_command,
  &cli_command_export,
  &cli_command_discover,
};

/* The command list of "lablink-cli --help": synopses in one column, padded
 * by characters (a synopsis may hold "…"), summaries aligned after it. */
static char *
commands_description (void)
{
  GString *text = g_string_new ("Commands:\n");
  g_autoptr(GPtrArray) synopses = g_ptr_array_new_with_free_func (g_free);
  guint width = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      char *synopsis = commands[i]->parameters[0] != '\0'
        ? g_strdup_printf ("%s %s", commands[i]->name, commands[i]->parameters)
        : g_strdup (commands[i]->name);

      width = MAX (width, (guint) g_utf8_strlen (synopsis, -1));
      g_ptr_array_add (synopses, synopsis);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_string_append (text, "  ");
      cli_append_padded (text, g_ptr_array_index (synopses, i), width + 2);
      g_string_append_printf (text, "%s\n", commands[i]->summary);
    }
  g_string_append (text,
                   "\n“lablink-cli COMMAND --help” shows a command's options.\n"
                   "Exit status: 0 success, 1 failure (server or connection), 2 usage error.");
  return g_string_free (text, FALSE);
}

static void
cli_clear (Cli *cli)
{
  for (guint i = 0; i < G_N_ELEMENTS (cli->signal_sources); i++)
    g_clear_handle_id (&cli->signal_sources[i], g_source_remove);
  g_clear_handle_id (&cli->stop_timer, g_source_remove);
  g_clear_object (&cli->manager);
  g_clear_object (&cli->client);
  g_clear_object (&cli->cancellable);
  g_clear_object (&cli->result);
  g_clear_pointer (&cli->error_message, g_free);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GOptionContext) sub_context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *sub_parameters = NULL;
  g_auto(GStrv) sub_argv = NULL;
  const CliCommand *command = NULL;
  const char *server;
  Cli cli = { 0 };
  int sub_argc;
  guint n_args;
  int status;

  setlocale (LC_ALL, "");
  g_set_prgname ("lablink-cli");
  setvbuf (stdout, NULL, _IOLBF, 0);

  context = g_option_context_new ("COMMAND [ARGUMENT…]");
  g_option_context_set_summary (context, "Talk to a LabLink lab-equipment server.");
  description = commands_description ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, global_entries, NULL);
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error (error->message);

  if (argc < 2)
    return cli_usage_error ("No command given");

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i]->name))
      command = commands[i];
  if (command == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Unknown command “%s”", argv[1]);
      return cli_usage_error (message);
    }

  sub_parameters = g_strdup_printf ("%s %s", command->name, command->parameters);
  sub_context = g_option_context_new (sub_parameters);
  g_option_context_set_summary (sub_context, command->summary);
  g_option_context_add_main_entries (sub_context, global_entries, NULL);
  if (command->entries != NULL)
    g_option_context_add_main_entries (sub_context, command->entries, NULL);

  /* argv[1] (the command) plays argv[0] for the command's parser */
  sub_argc = argc - 1;
  sub_argv = g_new0 (char *, argc);
  for (int i = 1; i < argc; i++)
    sub_argv[i - 1] = g_strdup (argv[i]);
  {
    /* g_option_context_parse() may reorder and shorten the vector it gets;
     * parse a shallow copy and keep the owner for freeing. */
    g_autofree char **view = g_memdup2 (sub_argv, sizeof (char *) * argc);

    if (!g_option_context_parse (sub_context, &sub_argc, &view, &error))
      return cli_usage_error (error->message);

    n_args = (guint) sub_argc - 1;
    if (n_args < command->min_args || n_args > command->max_args)
      {
        g_autofree char *message = g_strdup_printf ("Usage: lablink-cli %s %s", command->name,
                                                    command->parameters);
        return cli_usage_error (message);
      }

    if (opt_timeout < 0 && opt_timeout != G_MININT)
      return cli_usage_error ("--timeout must not be negative");
    cli.timeout_s = opt_timeout != G_MININT ? opt_timeout : -1;

    server = opt_server != NULL ? opt_server : g_getenv ("LABLINK_SERVER");
    cli.client = lablink_client_new (server != NULL && server[0] != '\0' ? server : NULL, &error);
    if (cli.client == NULL)
      return cli_usage_error (error->message);
    lablink_client_set_timeout (cli.client, opt_timeout != G_MININT ? (guint) opt_timeout
                                                                    : LABLINK_CLIENT_DEFAULT_TIMEOUT);

    if (opt_ws_url != NULL &&
        !lablink_client_set_ws_url_override (cli.client, opt_ws_url, &error))
      {
        status = cli_usage_error (error->message);
        cli_clear (&cli);
        return status;
      }

    if (opt_accept_certificate != NULL &&
        !lablink_client_set_pinned_certificate (cli.client, opt_accept_certificate, &error))
      {
        g_autofree char *message = g_strdup_printf ("--accept-certificate: %s", error->message);

        status = cli_usage_error (message);
        cli_clear (&cli);
        return status;
      }

    cli.cancellable = g_cancellable_new ();
    cli.signal_sources[0] = g_unix_signal_add (SIGINT, cli_on_signal, &cli);
    cli.signal_sources[1] = g_unix_signal_add (SIGTERM, cli_on_signal, &cli);

    status = EXIT_OK;
    if (opt_user != NULL)
      status = cli_login (&cli, opt_user);
    if (status == EXIT_OK)
      status = command->run (&cli, view + 1);
  }

  cli_clear (&cli);
  g_clear_pointer (&opt_server, g_free);
  g_clear_pointer (&opt_ws_url, g_free);
  g_clear_pointer (&opt_user, g_free);
  g_clear_pointer (&opt_accept_certificate, g_free);
  if (command->clear != NULL)
    command->clear ();
  return status;
}
