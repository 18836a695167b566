/* flood-server.c — a minimal WebSocket server that floods one frame
 *
 * Runs in a forked child so that the benchmark measures only the client's
 * CPU time. It speaks just enough RFC 6455 for one client: the handshake,
 * then unmasked text frames written with blocking sends (TCP backpressure
 * paces it to what the client reads). At a given rate it sends each frame
 * when it is due (one send per frame, like a server with a timer per
 * reading; frames overdue after a late wake-up go in one send).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "flood-server.h"

static gboolean
write_all (int         fd,
           const char *data,
           gsize       len)
{
  while (len > 0)
    {
      ssize_t n = send (fd, data, len, MSG_NOSIGNAL);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static void
append_frame (GString    *out,
              const char *payload,
              gsize       len)
{
  g_string_append_c (out, (char) 0x81);
  if (len < 126)
    g_string_append_c (out, (char) len);
  else if (len < 65536)
    {
      g_string_append_c (out, 126);
      g_string_append_c (out, (char) (len >> 8));
      g_string_append_c (out, (char) (len & 0xff));
    }
  else
    {
      int i;
      g_string_append_c (out, 127);
      for (i = 7; i >= 0; i--)
        g_string_append_c (out, (char) ((guint64) len >> (8 * i)));
    }
  g_string_append_len (out, payload, (gssize) len);
}

static guint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (guint64) ts.tv_sec * 1000000000u + (guint64) ts.tv_nsec;
}

static void
serve (int          listener,
       const char  *frame,
       guint64      count,
       guint        rate)
{
  char request[8192];
  gsize got = 0;
  int fd = -1;
  const char *key = NULL, *end;
  g_autofree char *key_text = NULL;
  g_autofree char *concat = NULL;
  g_autofree char *accept_key = NULL;
  g_autofree char *response = NULL;
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  g_autoptr(GString) batch = g_string_new (NULL);
  guint64 sent = 0;
  guint per_batch = 256;
  guint i;

  /* Other requests (the client's REST calls, e.g. for the server's clock)
   * may come first: answered 404, and the next connection is accepted. */
  while (key == NULL)
    {
      static const char not_found[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

      fd = accept (listener, NULL, NULL);
      if (fd < 0)
        _exit (1);
      got = 0;
      request[0] = '\0';
      while (got < sizeof request - 1)
        {
          ssize_t n = recv (fd, request + got, sizeof request - 1 - got, 0);
          if (n <= 0)
            break;
          got += (gsize) n;
          request[got] = '\0';
          if (strstr (request, "\r\n\r\n"))
            break;
        }

      key = strcasestr (request, "Sec-WebSocket-Key:");
      if (key == NULL)
        {
          write_all (fd, not_found, sizeof not_found - 1);
          close (fd);
        }
    }
  key += strlen ("Sec-WebSocket-Key:");
  while (*key == ' ')
    key++;
  end = strstr (key, "\r\n");
  key_text = g_strndup (key, (gsize) (end - key));
  concat = g_strconcat (key_text, "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", NULL);
  g_checksum_update (sha1, (const guchar *) concat, -1);
  g_checksum_get_digest (sha1, digest, &digest_len);
  accept_key = g_base64_encode (digest, digest_len);
  response = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
                              "Upgrade: websocket\r\n"
                              "Connection: Upgrade\r\n"
                              "Sec-WebSocket-Accept: %s\r\n\r\n", accept_key);
  if (!write_all (fd, response, strlen (response)))
    _exit (1);

  for (i = 0; i < per_batch; i++)
    append_frame (batch, frame, strlen (frame));

  if (rate > 0)
    {
      guint64 start;

      /* Sleep to the due time, not "about" to it. */
      prctl (PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
      start = now_ns ();
      while (sent < count)
        {
          guint64 due = sent * 1000000000u / rate;   /* of the next frame, from start */
          guint64 elapsed = now_ns () - start;
          guint64 n;

          if (elapsed < due)
            {
              struct timespec ts = { (time_t) ((due - elapsed) / 1000000000u), (long) ((due - elapsed) % 1000000000u) };
              nanosleep (&ts, NULL);
              continue;
            }
          /* Every frame due by now, in one send. */
          n = elapsed * rate / 1000000000u + 1 - sent;
          n = MIN (MIN (n, (guint64) per_batch), count - sent);
          if (!write_all (fd, batch->str, batch->len / per_batch * (gsize) n))
            _exit (0);
          sent += n;
        }
    }

  while (sent < count)
    {
      guint n = (guint) MIN ((guint64) per_batch, count - sent);
      gsize len = batch->len / per_batch * n;

      if (!write_all (fd, batch->str, len))
        _exit (0);
      sent += n;
    }

  /* Keep the link up until the client is done. */
  while (recv (fd, request, sizeof request, 0) > 0)
    ;
  _exit (0);
}

/* Forks a server that sends @frame @count times to the first client, as
 * fast as it reads (@rate 0) or @rate frames a second. Call before any
 * thread exists. */
FloodServer
flood_server_start (const char *frame,
                    guint64     count,
                    guint       rate)
{
  FloodServer server = { 0 };
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;
  int listener = socket (AF_INET, SOCK_STREAM, 0);
  int one = 1;

  setsockopt (listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind (listener, (struct sockaddr *) &addr, sizeof addr) < 0 || listen (listener, 1) < 0)
    g_error ("flood server: %s", g_strerror (errno));
  getsockname (listener, (struct sockaddr *) &addr, &len);
  server.port = ntohs (addr.sin_port);

  server.pid = fork ();
  if (server.pid == 0)
    serve (listener, frame, count, rate);
  close (listener);
  return server;
}

void
flood_server_stop (FloodServer *server)
{
  if (server->pid > 0)
    {
      kill (server->pid, SIGTERM);
      waitpid (server->pid, NULL, 0);
      server->pid = 0;
    }
}
