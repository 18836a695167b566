/* cli-login.c — logging in with --user: the password from
 * $LABLINK_PASSWORD or asked on the terminal without echo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli-private.h"

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

int
cli_login (Cli        *cli,
           const char *user)
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
      g_autofree char *prompt = g_strdup_printf ("Password for %s at %s: ", user,
                                                 lablink_client_get_server_url (cli->client));
      password = read_password (prompt, &error);
      if (password == NULL)
        return cli_runtime_error (error);
    }

  op = cli_op_cancellable (cli);
  lablink_client_login_async (cli->client, user, password, op, cli_on_async_done, cli);
  free_secret (password);
  result = cli_wait (cli, op, TRUE, 0, NULL);
  if (!lablink_client_login_finish (cli->client, result, &error))
    return cli_runtime_error (error);

  return EXIT_OK;
}
