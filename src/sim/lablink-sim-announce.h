/* lablink-sim-announce.h — lablink-sim published over mDNS (--announce)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LablinkSimAnnounce LablinkSimAnnounce;

/* Publishes `_lablink._tcp` @name on @port with the TXT fields a LabLink
 * server announces (version, api_port, ws_port, hostname) through the Avahi
 * daemon, for as long as the result lives; on the loopback interface only
 * when @loopback_only (a server that listens on 127.0.0.1 is reachable from
 * this machine only). Without a daemon it says so on stderr and publishes
 * once one appears; built without Avahi it says so and does nothing.
 * Runs on the default main context. */
LablinkSimAnnounce *lablink_sim_announce_new  (const char         *name,
                                               guint               port,
                                               const char         *version,
                                               gboolean            loopback_only);
void                lablink_sim_announce_free (LablinkSimAnnounce *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LablinkSimAnnounce, lablink_sim_announce_free)

G_END_DECLS
