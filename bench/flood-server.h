/* flood-server.h — a minimal WebSocket server that floods one frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

typedef struct {
  pid_t pid;
  guint port;
} FloodServer;

FloodServer flood_server_start (const char  *frame,
                                guint64      count,
                                guint        rate);
void        flood_server_stop  (FloodServer *server);
