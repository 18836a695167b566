/* cli-run.c — running one lablink-cli command
 *
 * Error messages and exit statuses, waiting for an asynchronous operation
 * on the main context (with signals and timeouts), --duration timers, the
 * WebSocket connection, and looking up equipment before a command uses it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "cli-private.h"
#include "cli-util.h"

#define CONNECT_TIMEOUT_S 30

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */

void
cli_print_error (const char *message)
{
  fprintf (stderr, "lablink-cli: %s\n", message);
}

int
cli_usage_error (const char *message)
{
  fprintf (stderr, "lablink-cli: %s\nTry “lablink-cli --help” for more information.\n",
           message);
  return EXIT_USAGE;
}

int
cli_runtime_error (GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      cli_print_error ("Interrupted");
    }
  else if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_UNTRUSTED_CERTIFICATE) ||
           g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_CERTIFICATE_CHANGED))
    {
      g_autofree char *message = cli_certificate_message (error->message);

      cli_print_error (message);
    }
  else
    {
      cli_print_error (error->message);
    }
  return EXIT_RUNTIME;
}

/* ------------------------------------------------------------------------ */
/* Waiting                                                                  */

gboolean
cli_on_signal (gpointer user_data)
{
  Cli *cli = user_data;

  cli->n_signals++;
  cli->stop = TRUE;
  if (cli->n_signals >= 2)
    g_cancellable_cancel (cli->cancellable);
  return G_SOURCE_CONTINUE;
}

void
cli_on_async_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Cli *cli = user_data;

  g_set_object (&cli->result, result);
}

gboolean
cli_on_deadline (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until the pending operation completes. @op is the
 * operation's cancellable: cancelled when a signal arrives if
 * @abort_on_stop (else only on the second signal), and after @timeout_s
 * seconds when not 0. (A --duration timer or a refused login ending the
 * command does not abort the operation under way.) */
GAsyncResult *
cli_wait (Cli          *cli,
          GCancellable *op,
          gboolean      abort_on_stop,
          guint         timeout_s,
          gboolean     *timed_out)
{
  gboolean expired = FALSE;
  guint deadline = 0;

  if (timeout_s > 0)
    deadline = g_timeout_add_seconds (timeout_s, cli_on_deadline, &expired);

  while (cli->result == NULL)
    {
      if ((abort_on_stop && cli->n_signals > 0) || cli->n_signals >= 2 || expired)
        g_cancellable_cancel (op);
      g_main_context_iteration (NULL, TRUE);
    }

  if (!expired && deadline != 0)
    g_source_remove (deadline);
  if (timed_out != NULL)
    *timed_out = expired;

  return g_steal_pointer (&cli->result);
}

/* A cancellable for one operation, also cancelled by the second signal. */
GCancellable *
cli_op_cancellable (Cli *cli)
{
  GCancellable *op = g_cancellable_new ();

  if (g_cancellable_is_cancelled (cli->cancellable))
    g_cancellable_cancel (op);
  return op;
}

void
cli_run_until_stop (Cli *cli)
{
  while (!cli->stop)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
on_stop_timer (gpointer user_data)
{
  Cli *cli = user_data;

  cli->stop = TRUE;
  cli->stop_timer = 0;
  return G_SOURCE_REMOVE;
}

void
cli_start_stop_timer (Cli    *cli,
                      double  seconds)
{
  g_clear_handle_id (&cli->stop_timer, g_source_remove);
  cli->stop_timer = g_timeout_add ((guint) ceil (seconds * 1000), on_stop_timer, cli);
}

/* ------------------------------------------------------------------------ */
/* The server                                                               */

static void
on_state_changed (LablinkStreamManager *manager,
                  GParamSpec           *pspec,
                  gpointer              user_data)
{
  Cli *cli = user_data;
  const char *last = lablink_stream_manager_get_last_error (manager);
  g_autofree char *fingerprint = NULL;

  /* a reconnect met a certificate the library refused: it stops there */
  if (lablink_stream_manager_get_state (manager) == LABLINK_CONNECTION_DISCONNECTED &&
      (fingerprint = cli_find_fingerprint (last)) != NULL)
    {
      g_free (cli->error_message);
      cli->error_message = cli_certificate_message (last);
      cli->stop = TRUE;
    }
  else if (lablink_stream_manager_get_state (manager) == LABLINK_CONNECTION_AUTH_FAILED)
    {
      g_free (cli->error_message);
      cli->error_message = g_strdup_printf ("The server refused the WebSocket connection%s%s%s",
                                            last != NULL ? " (" : "",
                                            last != NULL ? last : "",
                                            last != NULL ? ")" : "");
      if (!lablink_client_get_logged_in (cli->client))
        {
          char *with_hint = g_strconcat (cli->error_message,
                                         ": this server needs a login; use --user NAME", NULL);
          g_free (cli->error_message);
          cli->error_message = with_hint;
        }
      cli->stop = TRUE;
    }
}

void
cli_disconnect (Cli *cli)
{
  if (cli->manager != NULL)
    {
      g_signal_handlers_disconnect_by_data (cli->manager, cli);
      lablink_stream_manager_disconnect (cli->manager);
    }
}

int
cli_connect (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) op = cli_op_cancellable (cli);
  g_autoptr(GAsyncResult) result = NULL;
  gboolean timed_out = FALSE;

  cli->manager = lablink_stream_manager_new (cli->client);
  g_signal_connect (cli->manager, "notify::state", G_CALLBACK (on_state_changed), cli);

  lablink_stream_manager_connect_async (cli->manager, op, cli_on_async_done, cli);
  result = cli_wait (cli, op, TRUE, CONNECT_TIMEOUT_S, &timed_out);
  if (!lablink_stream_manager_connect_finish (cli->manager, result, &error))
    {
      if (timed_out)
        {
          g_autofree char *url = lablink_client_dup_ws_url (cli->client);
          g_autofree char *shown = cli_redact_token (url);
          g_autofree char *message =
            g_strdup_printf ("Could not open the WebSocket %s within %d s: is the LabLink "
                             "server running?", shown, CONNECT_TIMEOUT_S);
          cli_print_error (message);
          cli_disconnect (cli);
          return EXIT_RUNTIME;
        }
      cli_disconnect (cli);
      if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_AUTH) &&
          !lablink_client_get_logged_in (cli->client))
        {
          g_autofree char *message = g_strdup_printf ("%s (use --user NAME)", error->message);
          cli_print_error (message);
          return EXIT_RUNTIME;
        }
      return cli_runtime_error (error);
    }

  return EXIT_OK;
}

GPtrArray *
cli_fetch_equipment (Cli     *cli,
                     GError **error)
{
  g_autoptr(GCancellable) op = cli_op_cancellable (cli);
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_list_equipment_async (cli->client, op, cli_on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  return lablink_client_list_equipment_finish (cli->client, result, error);
}

int
cli_check_equipment (Cli        *cli,
                     const char *equipment_id,
                     const char *stream_type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = cli_fetch_equipment (cli, &error);
  LablinkEquipment *found = NULL;
  const char * const *types;
  g_autofree char *offered = NULL;
  g_autofree char *message = NULL;

  if (list == NULL)
    return cli_runtime_error (error);

  for (guint i = 0; i < list->len && found == NULL; i++)
    if (g_str_equal (lablink_equipment_get_id (list->pdata[i]), equipment_id))
      found = list->pdata[i];

  if (found == NULL)
    {
      message = g_strdup_printf ("No equipment “%s” on %s (“lablink-cli list” shows the ids)",
                                 equipment_id, lablink_client_get_server_url (cli->client));
      cli_print_error (message);
      return EXIT_RUNTIME;
    }

  if (stream_type == NULL || lablink_equipment_get_kind (found) == LABLINK_EQUIPMENT_OTHER)
    return EXIT_OK;

  types = lablink_equipment_get_stream_types (found);
  if (g_strv_contains (types, stream_type))
    return EXIT_OK;

  offered = g_strjoinv (", ", (char **) types);
  message = g_strdup_printf ("%s (%s) has no “%s” stream; it offers: %s", equipment_id,
                             lablink_equipment_get_type_name (found), stream_type, offered);
  cli_print_error (message);
  return EXIT_RUNTIME;
}

void
cli_print_json (JsonNode *node,
                gboolean  pretty)
{
  g_autofree char *text = cli_json_to_string (node, pretty);

  printf ("%s\n", text);
}
