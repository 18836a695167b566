/* lablink-discovery-private.h — what lablink-discovery.c and
 * lablink-discovered-server.c share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "lablink-discovery.h"

G_BEGIN_DECLS

/* A resolved service. @txt_api_port / @txt_ws_port are 0 where the TXT
 * record has none (the API port is then the service's own port). */
LablinkDiscoveredServer *lablink_discovered_server_new (const char *name,
                                                        const char *host,
                                                        const char *address,
                                                        guint       port,
                                                        guint       txt_api_port,
                                                        guint       txt_ws_port,
                                                        const char *version,
                                                        const char *hostname);

/* Whether @a and @b show the same (every field equal). */
gboolean lablink_discovered_server_equal (LablinkDiscoveredServer *a,
                                          LablinkDiscoveredServer *b);

G_END_DECLS
