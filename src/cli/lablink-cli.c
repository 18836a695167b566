/* lablink-cli.c — a command-line client for LabLink servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib-unix.h>
#include <lablink.h>

#include "cli-util.h"

#define EXIT_OK      0
#define EXIT_RUNTIME 1
#define EXIT_USAGE   2

#define CONNECT_TIMEOUT_S 30
#define OBSERVE_MS 300

/* ------------------------------------------------------------------------ */
/* Options                                                                  */

static char *opt_server;
static char *opt_ws_url;
static char *opt_user;
static int opt_timeout = LABLINK_CLIENT_DEFAULT_TIMEOUT;
static gboolean opt_json;
static int opt_interval_ms = LABLINK_DEFAULT_INTERVAL_MS;
static int opt_count;
static double opt_duration;
static char *opt_channels;
static double opt_rate = 10.0;
static int opt_num_samples;
static gboolean opt_capture;
static char *opt_capture_dir;
static char *opt_format;
static char *opt_output;
static char *opt_from;
static char *opt_to;

static const GOptionEntry global_entries[] = {
  { "server", 's', 0, G_OPTION_ARG_STRING, &opt_server,
    "LabLink server URL (default: $LABLINK_SERVER, else " LABLINK_DEFAULT_SERVER_URL ")", "URL" },
  { "ws-url", 0, 0, G_OPTION_ARG_STRING, &opt_ws_url,
    "WebSocket URL (default: derived from the server URL)", "URL" },
  { "user", 'u', 0, G_OPTION_ARG_STRING, &opt_user,
    "Log in as NAME (password from $LABLINK_PASSWORD, else asked on the terminal)", "NAME" },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout,
    "Give up on a REST request after SECONDS (default 30)", "SECONDS" },
  { NULL }
};

static const GOptionEntry json_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print JSON", NULL },
  { NULL }
};

static const GOptionEntry stream_entries[] = {
  { "interval-ms", 'i', 0, G_OPTION_ARG_INT, &opt_interval_ms,
    "Ask for a frame every N ms (default 100)", "N" },
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count, "Stop after N frames", "N" },
  { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &opt_duration, "Stop after S seconds", "S" },
  { NULL }
};

static const GOptionEntry acquire_entries[] = {
  { "channels", 'c', 0, G_OPTION_ARG_STRING, &opt_channels,
    "Channels to acquire, e.g. CH1,CH2 (required)", "CH,…" },
  { "rate", 'r', 0, G_OPTION_ARG_DOUBLE, &opt_rate, "Sample rate in Hz (default 10)", "HZ" },
  { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &opt_duration, "Stop after S seconds", "S" },
  { "num-samples", 'n', 0, G_OPTION_ARG_INT, &opt_num_samples,
    "Stop after N samples", "N" },
  { "capture", 0, 0, G_OPTION_ARG_NONE, &opt_capture,
    "Also record the samples to a capture on disk (see “export”)", NULL },
  { "capture-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_capture_dir,
    "Where captures go (default: ~/.local/share/lablink-monitor/captures)", "DIR" },
  { NULL }
};

static const GOptionEntry export_entries[] = {
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, "The file to write (required)", "FILE" },
  { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format,
    "csv, json or hdf5 (default: from the --output extension, else csv)", "FORMAT" },
  { "from", 0, 0, G_OPTION_ARG_STRING, &opt_from,
    "Export from this time on (ISO-8601, e.g. 2026-11-25T17:14:37; local time unless it ends in Z or an offset)", "TIME" },
  { "to", 0, 0, G_OPTION_ARG_STRING, &opt_to, "Export up to this time (inclusive)", "TIME" },
  { NULL }
};

static const GOptionEntry stats_entries[] = {
  { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &opt_duration,
    "Collect for S seconds (default 5)", "S" },
  { NULL }
};

/* ------------------------------------------------------------------------ */
/* Running                                                                  */

typedef struct {
  LablinkClient *client;
  LablinkStreamManager *manager;
  GCancellable *cancellable;   /* cancelled by the second signal */
  guint signal_sources[2];
  guint n_signals;
  gboolean stop;               /* a signal or a limit ended the command */
  guint stop_timer;            /* --duration */
  GAsyncResult *result;
  char *error_message;         /* set by handlers that end a command in error */
} Cli;

static void
print_error (const char *message)
{
  fprintf (stderr, "lablink-cli: %s\n", message);
}

static int
usage_error (const char *message)
{
  fprintf (stderr, "lablink-cli: %s\nTry “lablink-cli --help” for more information.\n",
           message);
  return EXIT_USAGE;
}

static int
runtime_error (GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    print_error ("Interrupted");
  else
    print_error (error->message);
  return EXIT_RUNTIME;
}

static gboolean
on_signal (gpointer user_data)
{
  Cli *cli = user_data;

  cli->n_signals++;
  cli->stop = TRUE;
  if (cli->n_signals >= 2)
    g_cancellable_cancel (cli->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Cli *cli = user_data;

  g_set_object (&cli->result, result);
}

static gboolean
on_deadline (gpointer user_data)
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
static GAsyncResult *
cli_wait (Cli          *cli,
          GCancellable *op,
          gboolean      abort_on_stop,
          guint         timeout_s,
          gboolean     *timed_out)
{
  gboolean expired = FALSE;
  guint deadline = 0;

  if (timeout_s > 0)
    deadline = g_timeout_add_seconds (timeout_s, on_deadline, &expired);

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
static GCancellable *
cli_op_cancellable (Cli *cli)
{
  GCancellable *op = g_cancellable_new ();

  if (g_cancellable_is_cancelled (cli->cancellable))
    g_cancellable_cancel (op);
  return op;
}

static void
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

static void
cli_start_stop_timer (Cli    *cli,
                      double  seconds)
{
  g_clear_handle_id (&cli->stop_timer, g_source_remove);
  cli->stop_timer = g_timeout_add ((guint) ceil (seconds * 1000), on_stop_timer, cli);
}

/* ------------------------------------------------------------------------ */
/* Login                                                                    */

static int tty_fd = -1;
static struct termios tty_saved;

static void
restore_tty_and_die (int sig)
{
  if (tty_fd >= 0)
    tcsetattr (tty_fd, TCSAFLUSH, &tty_saved);
  signal (sig, SIG_DFL);
  raise (sig);
}

static char *
read_password (const char  *prompt,
               GError     **error)
{
  struct termios quiet;
  struct sigaction action = { 0 }, old_int, old_term;
  GString *password;
  char c;
  ssize_t n;

  tty_fd = open ("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (tty_fd < 0 || tcgetattr (tty_fd, &tty_saved) != 0)
    {
      if (tty_fd >= 0)
        close (tty_fd);
      tty_fd = -1;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "No terminal to ask the password on: set LABLINK_PASSWORD");
      return NULL;
    }

  action.sa_handler = restore_tty_and_die;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, &old_int);
  sigaction (SIGTERM, &action, &old_term);

  quiet = tty_saved;
  quiet.c_lflag &= ~(ECHO | ECHONL);
  quiet.c_lflag |= ICANON;
  if (write (tty_fd, prompt, strlen (prompt)) < 0)
    { /* the prompt is a courtesy */ }
  tcsetattr (tty_fd, TCSAFLUSH, &quiet);

  password = g_string_new (NULL);
  while ((n = read (tty_fd, &c, 1)) == 1 || (n < 0 && errno == EINTR))
    {
      if (n < 0)
        continue;
      if (c == '\n' || c == '\r')
        break;
      g_string_append_c (password, c);
    }

  tcsetattr (tty_fd, TCSAFLUSH, &tty_saved);
  if (write (tty_fd, "\n", 1) < 0)
    { /* nothing to do */ }
  close (tty_fd);
  tty_fd = -1;
  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGTERM, &old_term, NULL);

  return g_string_free (password, FALSE);
}

static void
free_secret (char *secret)
{
  if (secret != NULL)
    {
      volatile char *p = secret;
      while (*p != '\0')
        *p++ = '\0';
      g_free (secret);
    }
}

static int
cli_login (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) op = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const char *env = g_getenv ("LABLINK_PASSWORD");
  char *password;

  if (env != NULL)
    {
      password = g_strdup (env);
    }
  else
    {
      g_autofree char *prompt = g_strdup_printf ("Password for %s at %s: ", opt_user,
                                                 lablink_client_get_server_url (cli->client));
      password = read_password (prompt, &error);
      if (password == NULL)
        return runtime_error (error);
    }

  op = cli_op_cancellable (cli);
  lablink_client_login_async (cli->client, opt_user, password, op, on_async_done, cli);
  free_secret (password);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  if (!lablink_client_login_finish (cli->client, result, &error))
    return runtime_error (error);

  return EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* REST commands                                                            */

static void
print_json (JsonNode *node,
            gboolean  pretty)
{
  g_autofree char *text = cli_json_to_string (node, pretty);

  printf ("%s\n", text);
}

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

  lablink_client_get_info_async (cli->client, op, on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  info = lablink_client_get_info_finish (cli->client, result, &error);
  if (info == NULL)
    return runtime_error (error);

  lablink_client_get_health_async (cli->client, op, on_async_done, cli);
  health_result = cli_wait (cli, op, TRUE, 0, NULL);
  health = lablink_client_get_health_finish (cli->client, health_result, &health_error);
  if (g_error_matches (health_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return runtime_error (health_error);

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
      print_json (combined, TRUE);
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

static GPtrArray *
fetch_equipment (Cli     *cli,
                 GError **error)
{
  g_autoptr(GCancellable) op = cli_op_cancellable (cli);
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_list_equipment_async (cli->client, op, on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  return lablink_client_list_equipment_finish (cli->client, result, error);
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
  static const char *headers[] = { "ID", "TYPE", "NAME", "SERIAL", "CONNECTION", "RESOURCE" };
  guint widths[G_N_ELEMENTS (headers)];

  list = fetch_equipment (cli, &error);
  if (list == NULL)
    return runtime_error (error);

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
      print_json (root, TRUE);
      return EXIT_OK;
    }

  if (list->len == 0)
    {
      printf ("No equipment on %s\n", lablink_client_get_server_url (cli->client));
      return EXIT_OK;
    }

  for (gsize c = 0; c < G_N_ELEMENTS (headers); c++)
    widths[c] = strlen (headers[c]);

  for (int pass = 0; pass < 2; pass++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      if (pass == 1)
        {
          for (gsize c = 0; c < G_N_ELEMENTS (headers); c++)
            cli_append_padded (line, headers[c], c + 1 < G_N_ELEMENTS (headers) ? widths[c] + 2 : 0);
          printf ("%s\n", line->str);
        }

      for (guint i = 0; i < list->len; i++)
        {
          LablinkEquipment *e = list->pdata[i];
          const char *cells[G_N_ELEMENTS (headers)] = {
            lablink_equipment_get_id (e),
            lablink_equipment_get_type_name (e),
            lablink_equipment_get_display_name (e),
            lablink_equipment_get_serial_number (e),
            lablink_equipment_get_connection_type (e),
            lablink_equipment_get_resource_string (e),
          };

          g_string_truncate (line, 0);
          for (gsize c = 0; c < G_N_ELEMENTS (headers); c++)
            {
              const char *cell = cells[c] != NULL ? cells[c] : "-";

              if (pass == 0)
                widths[c] = MAX (widths[c], (guint) g_utf8_strlen (cell, -1));
              else
                cli_append_padded (line, cell,
                                   c + 1 < G_N_ELEMENTS (headers) ? widths[c] + 2 : 0);
            }
          if (pass == 1)
            printf ("%s\n", line->str);
        }
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

  lablink_client_get_equipment_status_async (cli->client, args[0], op, on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  status = lablink_client_get_equipment_status_finish (cli->client, result, &error);
  if (status == NULL)
    return runtime_error (error);

  print_json (status, TRUE);
  return EXIT_OK;
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

  for (guint i = 2; args[i] != NULL; i++)
    if (!cli_parse_parameter (parameters, args[i], &error))
      return usage_error (error->message);

  op = cli_op_cancellable (cli);
  lablink_client_send_command_async (cli->client, args[0], args[1], parameters, op,
                                     on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  answer = lablink_client_send_command_finish (cli->client, result, &error);
  if (answer == NULL)
    return runtime_error (error);

  print_json (answer, TRUE);
  return EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* Streaming commands                                                       */

static void
on_state_changed (LablinkStreamManager *manager,
                  GParamSpec           *pspec,
                  gpointer              user_data)
{
  Cli *cli = user_data;

  if (lablink_stream_manager_get_state (manager) == LABLINK_CONNECTION_AUTH_FAILED)
    {
      const char *last = lablink_stream_manager_get_last_error (manager);

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

static void
cli_disconnect (Cli *cli)
{
  if (cli->manager != NULL)
    {
      g_signal_handlers_disconnect_by_data (cli->manager, cli);
      lablink_stream_manager_disconnect (cli->manager);
    }
}

static int
cli_connect (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) op = cli_op_cancellable (cli);
  g_autoptr(GAsyncResult) result = NULL;
  gboolean timed_out = FALSE;

  cli->manager = lablink_stream_manager_new (cli->client);
  g_signal_connect (cli->manager, "notify::state", G_CALLBACK (on_state_changed), cli);

  lablink_stream_manager_connect_async (cli->manager, op, on_async_done, cli);
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
          print_error (message);
          cli_disconnect (cli);
          return EXIT_RUNTIME;
        }
      cli_disconnect (cli);
      if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_AUTH) &&
          !lablink_client_get_logged_in (cli->client))
        {
          g_autofree char *message = g_strdup_printf ("%s (use --user NAME)", error->message);
          print_error (message);
          return EXIT_RUNTIME;
        }
      return runtime_error (error);
    }

  return EXIT_OK;
}

typedef struct {
  Cli *cli;
  const char *equipment_id;
  const char *stream_type;
  guint64 frames;
  gboolean started;       /* our start_stream was sent */
  gboolean seen_before;   /* frames arrived before: another client runs it */
} StreamState;

static void
on_stream_data (LablinkStreamManager *manager,
                LablinkMessage       *message,
                gpointer              user_data)
{
  StreamState *state = user_data;
  JsonNode *root, *data;
  g_autofree char *text = NULL;

  if (g_strcmp0 (lablink_message_get_equipment_id (message), state->equipment_id) != 0 ||
      g_strcmp0 (lablink_message_get_stream_type (message), state->stream_type) != 0)
    return;
  if (!state->started)
    {
      state->seen_before = TRUE;
      return;
    }
  if (opt_count > 0 && state->frames >= (guint64) opt_count)
    return;

  root = lablink_message_get_node (message);
  data = JSON_NODE_HOLDS_OBJECT (root)
    ? json_object_get_member (json_node_get_object (root), "data") : NULL;
  text = cli_json_to_string (data, FALSE);
  printf ("%s\n", text);
  fflush (stdout);

  state->frames++;
  if (opt_count > 0 && state->frames >= (guint64) opt_count)
    state->cli->stop = TRUE;
}

static int
check_equipment (Cli        *cli,
                 const char *equipment_id,
                 const char *stream_type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = fetch_equipment (cli, &error);
  LablinkEquipment *found = NULL;
  const char * const *types;
  g_autofree char *offered = NULL;
  g_autofree char *message = NULL;

  if (list == NULL)
    return runtime_error (error);

  for (guint i = 0; i < list->len && found == NULL; i++)
    if (g_str_equal (lablink_equipment_get_id (list->pdata[i]), equipment_id))
      found = list->pdata[i];

  if (found == NULL)
    {
      message = g_strdup_printf ("No equipment “%s” on %s (“lablink-cli list” shows the ids)",
                                 equipment_id, lablink_client_get_server_url (cli->client));
      print_error (message);
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
  print_error (message);
  return EXIT_RUNTIME;
}

static int
cmd_stream (Cli   *cli,
            char **args)
{
  static const char * const types[] = {
    LABLINK_STREAM_READINGS, LABLINK_STREAM_WAVEFORM, LABLINK_STREAM_MEASUREMENTS, NULL
  };
  g_autoptr(GError) error = NULL;
  StreamState state = { cli, args[0], args[1], 0 };
  int status;

  if (!g_strv_contains (types, args[1]))
    return usage_error ("The stream TYPE must be readings, waveform or measurements");
  if (opt_interval_ms < 1 || opt_interval_ms > 3600000)
    return usage_error ("--interval-ms must be between 1 and 3600000");
  if (opt_count < 0)
    return usage_error ("--count must not be negative");
  if (!(opt_duration >= 0) || opt_duration > 1e6)
    return usage_error ("--duration must be between 0 and 1000000 seconds");

  status = check_equipment (cli, args[0], args[1]);
  if (status != EXIT_OK)
    return status;

  status = cli_connect (cli);
  if (status != EXIT_OK)
    return status;

  g_signal_connect (cli->manager, "stream-data", G_CALLBACK (on_stream_data), &state);

  /* Streams are global on the server and every frame goes to every client:
   * if this one already flows, another client runs it, and stopping it at
   * the end would stop it for that client too. Listen briefly first. */
  {
    gboolean expired = FALSE;
    guint deadline = g_timeout_add (OBSERVE_MS, on_deadline, &expired);

    while (!state.seen_before && !expired && !cli->stop)
      g_main_context_iteration (NULL, TRUE);
    if (!expired)
      g_source_remove (deadline);
  }

  state.started = TRUE;
  if (!lablink_stream_manager_start_equipment_stream (cli->manager, args[0], args[1],
                                                     opt_interval_ms, &error))
    {
      cli_disconnect (cli);
      return runtime_error (error);
    }

  if (opt_duration > 0)
    cli_start_stop_timer (cli, opt_duration);

  cli_run_until_stop (cli);
  g_clear_handle_id (&cli->stop_timer, g_source_remove);

  if (!state.seen_before &&
      !lablink_stream_manager_stop_equipment_stream (cli->manager, args[0], args[1], &error))
    g_clear_error (&error);   /* the link may be gone; nothing to stop then */
  cli_disconnect (cli);

  if (cli->error_message != NULL)
    {
      print_error (cli->error_message);
      return EXIT_RUNTIME;
    }

  if (state.frames == 0 && cli->n_signals == 0)
    {
      g_autofree char *message =
        g_strdup_printf ("No data arrived for %s %s: the server accepted the stream but sent "
                         "nothing (an instrument that fails to read goes silent)",
                         args[0], args[1]);
      print_error (message);
      return EXIT_RUNTIME;
    }

  return EXIT_OK;
}

typedef struct {
  Cli *cli;
  const char *acquisition_id;
  char **channels;
  gint64 last_time;
  gboolean have_last;
  guint64 printed;
  guint window;
  gboolean warned_gap;
  gboolean server_stopped;
  gboolean draining;
  gboolean drained;
} AcquireState;

static void
on_acquisition_data (LablinkStreamManager *manager,
                     LablinkMessage       *message,
                     gpointer              user_data)
{
  AcquireState *state = user_data;
  const gint64 *times;
  gsize n = 0;
  guint n_channels;
  g_autofree gint *index = NULL;
  g_autofree char *acq_state = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  guint n_wanted = g_strv_length (state->channels);
  gsize first_new = 0;

  if (g_strcmp0 (lablink_message_get_acquisition_id (message), state->acquisition_id) != 0)
    return;

  acq_state = lablink_message_dup_string (message, "state");
  if (acq_state != NULL && (g_str_equal (acq_state, "stopped") || g_str_equal (acq_state, "error")))
    state->server_stopped = TRUE;

  times = lablink_message_get_sample_times (message, &n);
  if (times == NULL)
    n = 0;

  if (state->have_last)
    {
      /* frames overlap: skip what was printed already */
      while (first_new < n && times[first_new] <= state->last_time)
        first_new++;
      if (first_new == 0 && n > 0 && n >= state->window && !state->warned_gap)
        {
          fprintf (stderr, "lablink-cli: warning: samples were lost between two frames; "
                           "use a lower --rate\n");
          state->warned_gap = TRUE;
        }
    }

  n_channels = lablink_message_get_n_channels (message);
  index = g_new (gint, n_wanted);
  for (guint c = 0; c < n_wanted; c++)
    {
      index[c] = -1;
      for (guint k = 0; k < n_channels; k++)
        if (g_strcmp0 (lablink_message_get_channel_name (message, k), state->channels[c]) == 0)
          index[c] = (gint) k;
    }

  for (gsize i = first_new; i < n; i++)
    {
      g_autofree char *stamp = NULL;

      if (opt_num_samples > 0 && state->printed >= (guint64) opt_num_samples)
        break;

      stamp = lablink_format_timestamp (times[i]);
      g_string_assign (line, stamp);
      for (guint c = 0; c < n_wanted; c++)
        {
          gsize n_values = 0;
          const double *values = index[c] >= 0
            ? lablink_message_get_channel_values (message, (guint) index[c], &n_values) : NULL;

          g_string_append_c (line, ',');
          if (values != NULL && i < n_values)
            cli_append_number (line, values[i]);
        }
      printf ("%s\n", line->str);
      state->printed++;
      state->last_time = times[i];
      state->have_last = TRUE;
    }
  fflush (stdout);

  if (state->draining)
    state->drained = TRUE;
  if (state->server_stopped ||
      (opt_num_samples > 0 && state->printed >= (guint64) opt_num_samples))
    state->cli->stop = TRUE;
}

static gboolean
rest_control (Cli        *cli,
              const char *acquisition_id,
              const char *action,
              gboolean    abort_on_stop,
              GError    **error)
{
  g_autoptr(GCancellable) op = cli_op_cancellable (cli);
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_control_acquisition_async (cli->client, acquisition_id, action, op,
                                            on_async_done, cli);
  result = cli_wait (cli, op, abort_on_stop, 0, NULL);
  return lablink_client_control_acquisition_finish (cli->client, result, error);
}

static gboolean
rest_delete (Cli        *cli,
             const char *acquisition_id,
             GError    **error)
{
  g_autoptr(GCancellable) op = cli_op_cancellable (cli);
  g_autoptr(GAsyncResult) result = NULL;

  lablink_client_delete_acquisition_async (cli->client, acquisition_id, op, on_async_done, cli);
  result = cli_wait (cli, op, FALSE, 0, NULL);
  return lablink_client_delete_acquisition_finish (cli->client, result, error);
}

static int
cmd_acquire (Cli   *cli,
             char **args)
{
  const guint interval_ms = 200;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) channels = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) config = NULL;
  g_autoptr(GCancellable) op = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *acquisition_id = NULL;
  g_autoptr(GString) header = NULL;
  AcquireState state = { 0 };
  g_autoptr(LablinkCapture) capture = NULL;
  int status = EXIT_OK;
  double window;

  if (opt_channels == NULL)
    return usage_error ("acquire needs --channels, e.g. --channels CH1,CH2");
  channels = cli_parse_channels (opt_channels, &error);
  if (channels == NULL)
    return usage_error (error->message);
  if (!(opt_rate > 0) || opt_rate > 1e6)
    return usage_error ("--rate must be more than 0 and at most 1000000 Hz");
  if (!(opt_duration >= 0) || opt_duration > 1e6)
    return usage_error ("--duration must be between 0 and 1000000 seconds");
  if (opt_num_samples < 0)
    return usage_error ("--num-samples must not be negative");

  status = check_equipment (cli, args[0], NULL);
  if (status != EXIT_OK)
    return status;

  /* Connect first so that no early sample is missed. */
  status = cli_connect (cli);
  if (status != EXIT_OK)
    return status;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "equipment_id");
  json_builder_add_string_value (builder, args[0]);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "lablink-cli");
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, "continuous");
  json_builder_set_member_name (builder, "sample_rate");
  json_builder_add_double_value (builder, opt_rate);
  json_builder_set_member_name (builder, "channels");
  json_builder_begin_array (builder);
  for (guint i = 0; channels[i] != NULL; i++)
    json_builder_add_string_value (builder, channels[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "buffer_size");
  json_builder_add_int_value (builder, 10000);
  if (opt_num_samples > 0)
    {
      json_builder_set_member_name (builder, "num_samples");
      json_builder_add_int_value (builder, opt_num_samples);
    }
  if (opt_duration > 0)
    {
      json_builder_set_member_name (builder, "duration_seconds");
      json_builder_add_double_value (builder, opt_duration);
    }
  json_builder_end_object (builder);
  config = json_builder_get_root (builder);

  op = cli_op_cancellable (cli);
  lablink_client_create_acquisition_async (cli->client, json_node_get_object (config), op,
                                           on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  acquisition_id = lablink_client_create_acquisition_finish (cli->client, result, &error);
  if (acquisition_id == NULL)
    {
      cli_disconnect (cli);
      return runtime_error (error);
    }

  state.cli = cli;
  state.acquisition_id = acquisition_id;
  state.channels = channels;
  window = ceil (opt_rate * interval_ms / 1000.0 * 5) + 10;
  state.window = (guint) CLAMP (window, LABLINK_DEFAULT_NUM_SAMPLES, 10000);

  if (!rest_control (cli, acquisition_id, "start", TRUE, &error))
    {
      status = runtime_error (error);
      g_clear_error (&error);
      goto delete;
    }

  g_signal_connect (cli->manager, "acquisition-data", G_CALLBACK (on_acquisition_data), &state);
  if (!lablink_stream_manager_start_acquisition_stream (cli->manager, acquisition_id,
                                                       interval_ms, state.window, &error))
    {
      status = runtime_error (error);
      g_clear_error (&error);
      goto stop;
    }

  if (opt_capture)
    {
      /* The stream is already ours: the capture only listens (and backfills
       * over REST after an outage). No frame arrives before the main loop runs. */
      capture = lablink_capture_new_for_acquisition (cli->manager, cli->client, acquisition_id,
                                                     opt_capture_dir, &error);
      if (capture == NULL || !lablink_capture_start (capture, &error))
        {
          status = runtime_error (error);
          g_clear_error (&error);
          goto stop;
        }
      fprintf (stderr, "lablink-cli: recording to %s\n", lablink_capture_get_directory (capture));
    }

  header = g_string_new ("timestamp");
  for (guint i = 0; channels[i] != NULL; i++)
    g_string_append_printf (header, ",%s", channels[i]);
  printf ("%s\n", header->str);
  fflush (stdout);

  if (opt_duration > 0)
    cli_start_stop_timer (cli, opt_duration);

  cli_run_until_stop (cli);
  g_clear_handle_id (&cli->stop_timer, g_source_remove);

stop:
  if (!state.server_stopped)
    {
      if (!rest_control (cli, acquisition_id, "stop", FALSE, &error))
        {
          fprintf (stderr, "lablink-cli: could not stop acquisition %s: %s\n", acquisition_id,
                   error->message);
          g_clear_error (&error);
          status = EXIT_RUNTIME;
        }
      else if (cli->n_signals < 2 &&
               !(opt_num_samples > 0 && state.printed >= (guint64) opt_num_samples))
        {
          /* Frames keep coming after the stop: one more brings the tail. */
          gboolean expired = FALSE;
          guint deadline = g_timeout_add (MAX (1000, 3 * interval_ms), on_deadline, &expired);

          state.draining = TRUE;
          while (!state.drained && !expired && cli->n_signals < 2)
            g_main_context_iteration (NULL, TRUE);
          if (!expired)
            g_source_remove (deadline);
        }
    }

  if (capture != NULL)
    {
      if (!lablink_capture_stop (capture, &error))
        {
          fprintf (stderr, "lablink-cli: the capture failed: %s\n", error->message);
          g_clear_error (&error);
          status = EXIT_RUNTIME;
        }
      else
        fprintf (stderr, "lablink-cli: captured %" G_GUINT64_FORMAT " samples (%u gaps) in %s\n",
                 lablink_capture_get_n_samples (capture), lablink_capture_get_n_gaps (capture),
                 lablink_capture_get_directory (capture));
    }

  if (!lablink_stream_manager_stop_acquisition_stream (cli->manager, acquisition_id, &error))
    g_clear_error (&error);

delete:
  if (!rest_delete (cli, acquisition_id, &error))
    {
      fprintf (stderr, "lablink-cli: could not delete acquisition %s: %s\n", acquisition_id,
               error->message);
      status = EXIT_RUNTIME;
    }

  cli_disconnect (cli);

  if (status == EXIT_OK && cli->error_message != NULL)
    {
      print_error (cli->error_message);
      status = EXIT_RUNTIME;
    }

  return status;
}

static void
on_export_progress (goffset  current,
                    goffset  total,
                    gpointer user_data)
{
  if (total > 0)
    fprintf (stderr, "\r%3d%%", (int) (100 * current / total));
}

static gboolean
parse_time_option (const char  *name,
                   const char  *text,
                   gint64      *usec,
                   GError     **error)
{
  if (text == NULL)
    return TRUE;
  if (!lablink_parse_timestamp (text, strlen (text), usec))
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   "Invalid --%s time “%s”: use e.g. 2026-11-25T17:14:37, 2026-11-25T16:14:37.5Z", name, text);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_export (Cli   *cli,
            char **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GFile) output = NULL;
  g_autoptr(GCancellable) op = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  LablinkExportFormat format = LABLINK_EXPORT_FORMAT_CSV;
  gint64 from = G_MININT64, to = G_MAXINT64;
  gboolean progress = isatty (STDERR_FILENO);

  if (opt_output == NULL)
    return usage_error ("export needs --output FILE");
  if (opt_format != NULL)
    {
      if (!lablink_export_format_from_string (opt_format, &format))
        return usage_error ("--format must be csv, json or hdf5");
    }
  else if (g_str_has_suffix (opt_output, ".json"))
    format = LABLINK_EXPORT_FORMAT_JSON;
  else if (g_str_has_suffix (opt_output, ".h5") || g_str_has_suffix (opt_output, ".hdf5"))
    format = LABLINK_EXPORT_FORMAT_HDF5;
  if (!parse_time_option ("from", opt_from, &from, &error) ||
      !parse_time_option ("to", opt_to, &to, &error))
    return usage_error (error->message);
  if (from > to)
    return usage_error ("--from is after --to");

  capture = lablink_capture_open (args[0], &error);
  if (capture == NULL)
    return runtime_error (error);
  if (lablink_capture_get_interrupted (capture))
    fprintf (stderr, "lablink-cli: capture %s was interrupted; exporting what was recorded\n", args[0]);

  output = g_file_new_for_commandline_arg (opt_output);
  op = cli_op_cancellable (cli);
  lablink_export_async (capture, format, output, from, to, op,
                        progress ? on_export_progress : NULL, NULL, on_async_done, cli);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  if (progress)
    fputc ('\n', stderr);
  if (!lablink_export_finish (capture, result, &error))
    return runtime_error (error);   /* the previous FILE, if any, is untouched */
  return EXIT_OK;
}

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  return v != NULL ? v->value_nick : "?";
}

static int
cmd_stats (Cli   *cli,
           char **args)
{
  g_autoptr(LablinkStatistics) stats = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *ws_url = NULL;
  g_autofree char *shown = NULL;
  double duration = opt_duration > 0 ? opt_duration : 5.0;
  int status;

  if (!(opt_duration >= 0) || opt_duration > 1e6)
    return usage_error ("--duration must be between 0 and 1000000 seconds");

  status = cli_connect (cli);
  if (status != EXIT_OK)
    return status;

  cli_start_stop_timer (cli, duration);
  cli_run_until_stop (cli);
  g_clear_handle_id (&cli->stop_timer, g_source_remove);

  stats = lablink_stream_manager_get_statistics (cli->manager);
  ws_url = lablink_client_dup_ws_url (cli->client);
  shown = cli_redact_token (ws_url);

  printf ("WebSocket:          %s\n", shown);
  printf ("State:              %s\n",
          enum_nick (LABLINK_TYPE_CONNECTION_STATE, lablink_stream_manager_get_state (cli->manager)));
  printf ("Uptime:             %.1f s\n", lablink_statistics_get_uptime_s (stats));
  printf ("Messages received:  %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " bytes)\n",
          lablink_statistics_get_messages_received (stats),
          lablink_statistics_get_bytes_received (stats));
  printf ("Messages sent:      %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " bytes)\n",
          lablink_statistics_get_messages_sent (stats),
          lablink_statistics_get_bytes_sent (stats));
  printf ("Dropped:            %" G_GUINT64_FORMAT "\n", lablink_statistics_get_dropped (stats));
  printf ("Reconnects:         %u\n", lablink_statistics_get_reconnects (stats));
  printf ("Ping latency:       %.1f ms\n", lablink_statistics_get_ping_latency_ms (stats));
  printf ("Errors:             %" G_GUINT64_FORMAT "\n",
          lablink_statistics_get_errors_total (stats));
  for (int kind = 0; kind < LABLINK_N_ERROR_KINDS; kind++)
    {
      guint64 count = lablink_statistics_get_errors (stats, kind);

      if (count > 0)
        printf ("  %-18s%" G_GUINT64_FORMAT "\n", enum_nick (LABLINK_TYPE_ERROR_KIND, kind), count);
    }

  keys = lablink_statistics_get_stream_keys (stats);
  printf ("Streams:            %u active, %u seen\n",
          lablink_statistics_get_n_active_streams (stats), keys != NULL ? g_strv_length (keys) : 0);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      guint64 messages = 0, dropped = 0;
      double rate = 0, age = 0;
      LablinkStreamStatus stream_status = LABLINK_STREAM_STATUS_STOPPED;

      if (!lablink_statistics_get_stream (stats, keys[i], &messages, &dropped, &rate, &age,
                                          &stream_status))
        continue;
      printf ("  %s: %" G_GUINT64_FORMAT " messages, %.2f Hz, %" G_GUINT64_FORMAT
              " dropped, last %.1f s ago, %s\n",
              keys[i], messages, rate, dropped, age,
              enum_nick (LABLINK_TYPE_STREAM_STATUS, stream_status));
    }

  cli_disconnect (cli);

  if (cli->error_message != NULL)
    {
      print_error (cli->error_message);
      return EXIT_RUNTIME;
    }
  return EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* main                                                                     */

typedef struct {
  const char *name;
  const char *parameters;
  const char *summary;
  const GOptionEntry *entries;
  guint min_args;
  guint max_args;   /* G_MAXUINT: any */
  int (*run) (Cli *cli, char **args);
} Command;

static const Command commands[] = {
  { "info", "", "Show the server's name, version and health", json_entries, 0, 0, cmd_info },
  { "list", "", "List the equipment", json_entries, 0, 0, cmd_list },
  { "status", "ID", "Show one instrument's status", NULL, 1, 1, cmd_status },
  { "stream", "EQUIPMENT_ID TYPE",
    "Print a stream's data (TYPE: readings, waveform, measurements), one JSON object a line",
    stream_entries, 2, 2, cmd_stream },
  { "acquire", "EQUIPMENT_ID --channels CH1,CH2",
    "Run an acquisition and print its samples as CSV", acquire_entries, 1, 1, cmd_acquire },
  { "stats", "", "Connect, listen, and print the stream statistics", stats_entries, 0, 0,
    cmd_stats },
  { "command", "ID ACTION [KEY=VALUE…]",
    "Send an instrument command, e.g. command ps_250e6dfe set_voltage voltage=5 channel=1",
    NULL, 2, G_MAXUINT, cmd_command },
  { "export", "CAPTURE_DIR --output FILE",
    "Export a capture (see acquire --capture) to CSV, JSON or HDF5; needs no server",
    export_entries, 1, 1, cmd_export },
};

static char *
commands_description (void)
{
  GString *text = g_string_new ("Commands:\n");

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *synopsis = g_strdup_printf ("%s %s", commands[i].name,
                                                   commands[i].parameters);
      g_string_append_printf (text, "  %-36s %s\n", synopsis, commands[i].summary);
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
  const Command *command = NULL;
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
    return usage_error (error->message);

  if (argc < 2)
    return usage_error ("No command given");

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      command = &commands[i];
  if (command == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Unknown command “%s”", argv[1]);
      return usage_error (message);
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
      return usage_error (error->message);

    n_args = (guint) sub_argc - 1;
    if (n_args < command->min_args || n_args > command->max_args)
      {
        g_autofree char *message = g_strdup_printf ("Usage: lablink-cli %s %s", command->name,
                                                    command->parameters);
        return usage_error (message);
      }

    if (opt_timeout < 0)
      return usage_error ("--timeout must not be negative");

    server = opt_server != NULL ? opt_server : g_getenv ("LABLINK_SERVER");
    cli.client = lablink_client_new (server != NULL && server[0] != '\0' ? server : NULL, &error);
    if (cli.client == NULL)
      return usage_error (error->message);
    lablink_client_set_timeout (cli.client, (guint) opt_timeout);

    if (opt_ws_url != NULL &&
        !lablink_client_set_ws_url_override (cli.client, opt_ws_url, &error))
      {
        status = usage_error (error->message);
        cli_clear (&cli);
        return status;
      }

    cli.cancellable = g_cancellable_new ();
    cli.signal_sources[0] = g_unix_signal_add (SIGINT, on_signal, &cli);
    cli.signal_sources[1] = g_unix_signal_add (SIGTERM, on_signal, &cli);

    status = EXIT_OK;
    if (opt_user != NULL)
      status = cli_login (&cli);
    if (status == EXIT_OK)
      status = command->run (&cli, view + 1);
  }

  cli_clear (&cli);
  g_clear_pointer (&opt_server, g_free);
  g_clear_pointer (&opt_ws_url, g_free);
  g_clear_pointer (&opt_user, g_free);
  g_clear_pointer (&opt_channels, g_free);
  return status;
}
