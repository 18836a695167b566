/* cli-private.h — what the files of lablink-cli share
 *
 * lablink-cli.c parses the global options and runs one command. A command
 * is a CliCommand in a file of its own (cli-info.c, cli-command.c,
 * cli-stream.c, cli-acquire.c, cli-stats.c, cli-export.c, cli-discover.c)
 * with its options;
 * they share the Cli of cli-run.c (waiting, signals, errors, the WebSocket)
 * and cli-login.c. The helpers that need no server are in cli-util.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <lablink.h>

G_BEGIN_DECLS

#define EXIT_OK      0
#define EXIT_RUNTIME 1
#define EXIT_USAGE   2

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
  int timeout_s;               /* --timeout as given, -1 when not given */
} Cli;

typedef struct {
  const char *name;
  const char *parameters;
  const char *summary;
  const GOptionEntry *entries;
  guint min_args;
  guint max_args;   /* G_MAXUINT: any */
  int (*run) (Cli *cli, char **args);
  void (*clear) (void);   /* frees the option values, or NULL */
} CliCommand;

/* The commands, in the order of "lablink-cli --help". */
extern const CliCommand cli_command_info;
extern const CliCommand cli_command_list;
extern const CliCommand cli_command_status;
extern const CliCommand cli_command_stream;
extern const CliCommand cli_command_acquire;
extern const CliCommand cli_command_stats;
extern const CliCommand cli_command_command;
extern const CliCommand cli_command_export;
extern const CliCommand cli_command_discover;

/* cli-run.c: errors print "lablink-cli: MESSAGE" and return the exit status */
void           cli_print_error         (const char           *message);
int            cli_usage_error         (const char           *message);
int            cli_runtime_error       (GError               *error);

/* cli-run.c: waiting */
gboolean       cli_on_signal           (gpointer              user_data);
void           cli_on_async_done       (GObject              *source,
                                        GAsyncResult         *result,
                                        gpointer              user_data);
gboolean       cli_on_deadline         (gpointer              user_data);
GAsyncResult  *cli_wait                (Cli                  *cli,
                                        GCancellable         *op,
                                        gboolean              abort_on_stop,
                                        guint                 timeout_s,
                                        gboolean             *timed_out);
GCancellable  *cli_op_cancellable      (Cli                  *cli);
void           cli_run_until_stop      (Cli                  *cli);
void           cli_start_stop_timer    (Cli                  *cli,
                                        double                seconds);

/* cli-run.c: the server */
int            cli_connect             (Cli                  *cli);
void           cli_disconnect          (Cli                  *cli);
GPtrArray     *cli_fetch_equipment     (Cli                  *cli,
                                        GError              **error);
int            cli_check_equipment     (Cli                  *cli,
                                        const char           *equipment_id,
                                        const char           *stream_type);
void           cli_print_json          (JsonNode             *node,
                                        gboolean              pretty);

/* cli-login.c */
int            cli_login               (Cli                  *cli,
                                        const char           *user);

G_END_DECLS
