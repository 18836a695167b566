/* lablink-discovery.h — LabLink servers found on the local network (mDNS/DNS-SD)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include <gio/gio.h>

#include "lablink-version-macros.h"

G_BEGIN_DECLS

/**
 * LABLINK_DISCOVERY_SERVICE_TYPE:
 *
 * The DNS-SD service type LabLink servers announce themselves as.
 */
#define LABLINK_DISCOVERY_SERVICE_TYPE "_lablink._tcp"

#define LABLINK_DISCOVERY_ERROR (lablink_discovery_error_quark ())

/**
 * LablinkDiscoveryError:
 * @LABLINK_DISCOVERY_ERROR_UNSUPPORTED: liblablink was built without Avahi
 * @LABLINK_DISCOVERY_ERROR_NO_DAEMON: no Avahi daemon runs (or there is no
 *   D-Bus system bus to reach one): discovery starts by itself once a
 *   daemon appears on the bus
 * @LABLINK_DISCOVERY_ERROR_FAILED: Avahi reported another failure
 *
 * Why a #LablinkDiscovery is not available.
 */
typedef enum {
  LABLINK_DISCOVERY_ERROR_UNSUPPORTED,
  LABLINK_DISCOVERY_ERROR_NO_DAEMON,
  LABLINK_DISCOVERY_ERROR_FAILED,
} LablinkDiscoveryError;

LABLINK_AVAILABLE_IN_ALL
GQuark lablink_discovery_error_quark (void);

#define LABLINK_TYPE_DISCOVERED_SERVER (lablink_discovered_server_get_type ())
LABLINK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (LablinkDiscoveredServer, lablink_discovered_server, LABLINK, DISCOVERED_SERVER, GObject)

LABLINK_AVAILABLE_IN_ALL
const char *lablink_discovered_server_get_name     (LablinkDiscoveredServer *self);
LABLINK_AVAILABLE_IN_ALL
const char *lablink_discovered_server_get_host     (LablinkDiscoveredServer *self);
LABLINK_AVAILABLE_IN_ALL
const char *lablink_discovered_server_get_address  (LablinkDiscoveredServer *self);
LABLINK_AVAILABLE_IN_ALL
guint       lablink_discovered_server_get_port     (LablinkDiscoveredServer *self);
LABLINK_AVAILABLE_IN_ALL
guint       lablink_discovered_server_get_api_port (LablinkDiscoveredServer *self);
LABLINK_AVAILABLE_IN_ALL
guint       lablink_discovered_server_get_ws_port  (LablinkDiscoveredServer *self);
LABLINK_AVAILABLE_IN_ALL
const char *lablink_discovered_server_get_version  (LablinkDiscoveredServer *self);
LABLINK_AVAILABLE_IN_ALL
const char *lablink_discovered_server_get_hostname (LablinkDiscoveredServer *self);
LABLINK_AVAILABLE_IN_ALL
const char *lablink_discovered_server_get_url      (LablinkDiscoveredServer *self);

#define LABLINK_TYPE_DISCOVERY (lablink_discovery_get_type ())
LABLINK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (LablinkDiscovery, lablink_discovery, LABLINK, DISCOVERY, GObject)

LABLINK_AVAILABLE_IN_ALL
LablinkDiscovery *lablink_discovery_new           (void);
LABLINK_AVAILABLE_IN_ALL
gboolean          lablink_discovery_get_available (LablinkDiscovery *self);
LABLINK_AVAILABLE_IN_ALL
const GError     *lablink_discovery_get_error     (LablinkDiscovery *self);

G_END_DECLS
