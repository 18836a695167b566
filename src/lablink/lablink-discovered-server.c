/* lablink-discovered-server.c — one LabLink server found on the network
 *
 * The item of a LablinkDiscovery: the announced service (its instance name,
 * host, resolved address and port) and the TXT fields a LabLink server
 * announces (version, api_port, ws_port, hostname), with the URL a client
 * connects to. Immutable: when the announcement changes, the model replaces
 * the item.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-discovery-private.h"

struct _LablinkDiscoveredServer
{
  GObject  parent_instance;

  char    *name;
  char    *host;
  char    *address;
  guint    port;
  guint    api_port;
  guint    ws_port;
  char    *version;
  char    *hostname;
  char    *url;
};

G_DEFINE_FINAL_TYPE (LablinkDiscoveredServer, lablink_discovered_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_HOST,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_API_PORT,
  PROP_WS_PORT,
  PROP_VERSION,
  PROP_HOSTNAME,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

LablinkDiscoveredServer *
lablink_discovered_server_new (const char *name,
                               const char *host,
                               const char *address,
                               guint       port,
                               guint       txt_api_port,
                               guint       txt_ws_port,
                               const char *version,
                               const char *hostname)
{
  LablinkDiscoveredServer *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (LABLINK_TYPE_DISCOVERED_SERVER, NULL);
  self->name = g_strdup (name);
  self->host = g_strdup (host);
  self->address = g_strdup (address);
  self->port = port;
  self->api_port = txt_api_port != 0 ? txt_api_port : port;
  self->ws_port = txt_ws_port;
  self->version = g_strdup (version);
  self->hostname = g_strdup (hostname);
  /* An IPv6 address (with its zone, if any) goes in brackets. */
  if (strchr (address, ':') != NULL)
    {
      g_autofree char *escaped = g_strdup (address);
      char *percent = strchr (escaped, '%');

      if (percent != NULL)
        {
          *percent = '\0';
          self->url = g_strdup_printf ("http://[%s%%25%s]:%u", escaped, percent + 1, self->api_port);
        }
      else
        self->url = g_strdup_printf ("http://[%s]:%u", address, self->api_port);
    }
  else
    self->url = g_strdup_printf ("http://%s:%u", address, self->api_port);
  return self;
}

gboolean
lablink_discovered_server_equal (LablinkDiscoveredServer *a,
                                 LablinkDiscoveredServer *b)
{
  return g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->host, b->host) == 0 &&
         g_strcmp0 (a->address, b->address) == 0 &&
         a->port == b->port && a->api_port == b->api_port && a->ws_port == b->ws_port &&
         g_strcmp0 (a->version, b->version) == 0 &&
         g_strcmp0 (a->hostname, b->hostname) == 0;
}

/**
 * lablink_discovered_server_get_name:
 * @self: a #LablinkDiscoveredServer
 *
 * Returns: the service instance name, e.g. "LabLink Simulator on bench3"
 */
const char *
lablink_discovered_server_get_name (LablinkDiscoveredServer *self)
{
  g_return_val_if_fail (LABLINK_IS_DISCOVERED_SERVER (self), NULL);
  return self->name;
}

/**
 * lablink_discovered_server_get_host:
 * @self: a #LablinkDiscoveredServer
 *
 * Returns: (nullable): the mDNS host name the service is on, e.g. "bench3.local"
 */
const char *
lablink_discovered_server_get_host (LablinkDiscoveredServer *self)
{
  g_return_val_if_fail (LABLINK_IS_DISCOVERED_SERVER (self), NULL);
  return self->host;
}

/**
 * lablink_discovered_server_get_address:
 * @self: a #LablinkDiscoveredServer
 *
 * Returns: the resolved IP address, e.g. "192.168.1.20" (an IPv6
 *   link-local address with its zone, "fe80::1%eth0")
 */
const char *
lablink_discovered_server_get_address (LablinkDiscoveredServer *self)
{
  g_return_val_if_fail (LABLINK_IS_DISCOVERED_SERVER (self), NULL);
  return self->address;
}

/**
 * lablink_discovered_server_get_port:
 * @self: a #LablinkDiscoveredServer
 *
 * Returns: the port of the service record (SRV)
 */
guint
lablink_discovered_server_get_port (LablinkDiscoveredServer *self)
{
  g_return_val_if_fail (LABLINK_IS_DISCOVERED_SERVER (self), 0);
  return self->port;
}

/**
 * lablink_discovered_server_get_api_port:
 * @self: a #LablinkDiscoveredServer
 *
 * Returns: the REST API port: TXT `api_port`, else the service's port
 */
guint
lablink_discovered_server_get_api_port (LablinkDiscoveredServer *self)
{
  g_return_val_if_fail (LABLINK_IS_DISCOVERED_SERVER (self), 0);
  return self->api_port;
}

/**
 * lablink_discovered_server_get_ws_port:
 * @self: a #LablinkDiscoveredServer
 *
 * The WebSocket port the server announces (TXT `ws_port`). Informative
 * only: every LabLink server serves its WebSocket at `/ws` on the API port,
 * which is where a client derives it from the URL.
 *
 * Returns: TXT `ws_port`, 0 when it has none
 */
guint
lablink_discovered_server_get_ws_port (LablinkDiscoveredServer *self)
{
  g_return_val_if_fail (LABLINK_IS_DISCOVERED_SERVER (self), 0);
  return self->ws_port;
}

/**
 * lablink_discovered_server_get_version:
 * @self: a #LablinkDiscoveredServer
 *
 * Returns: (nullable): TXT `version`, the server's version
 */
const char *
lablink_discovered_server_get_version (LablinkDiscoveredServer *self)
{
  g_return_val_if_fail (LABLINK_IS_DISCOVERED_SERVER (self), NULL);
  return self->version;
}

/**
 * lablink_discovered_server_get_hostname:
 * @self: a #LablinkDiscoveredServer
 *
 * Returns: (nullable): TXT `hostname`, the name the server gives its machine
 */
const char *
lablink_discovered_server_get_hostname (LablinkDiscoveredServer *self)
{
  g_return_val_if_fail (LABLINK_IS_DISCOVERED_SERVER (self), NULL);
  return self->hostname;
}

/**
 * lablink_discovered_server_get_url:
 * @self: a #LablinkDiscoveredServer
 *
 * Returns: the URL to connect a #LablinkClient to, `http://ADDRESS:API_PORT`
 */
const char *
lablink_discovered_server_get_url (LablinkDiscoveredServer *self)
{
  g_return_val_if_fail (LABLINK_IS_DISCOVERED_SERVER (self), NULL);
  return self->url;
}

static void
lablink_discovered_server_finalize (GObject *object)
{
  LablinkDiscoveredServer *self = LABLINK_DISCOVERED_SERVER (object);

  g_free (self->name);
  g_free (self->host);
  g_free (self->address);
  g_free (self->version);
  g_free (self->hostname);
  g_free (self->url);

  G_OBJECT_CLASS (lablink_discovered_server_parent_class)->finalize (object);
}

static void
lablink_discovered_server_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  LablinkDiscoveredServer *self = LABLINK_DISCOVERED_SERVER (object);

  switch (prop_id)
    {
    case PROP_NAME:     g_value_set_string (value, self->name); break;
    case PROP_HOST:     g_value_set_string (value, self->host); break;
    case PROP_ADDRESS:  g_value_set_string (value, self->address); break;
    case PROP_PORT:     g_value_set_uint (value, self->port); break;
    case PROP_API_PORT: g_value_set_uint (value, self->api_port); break;
    case PROP_WS_PORT:  g_value_set_uint (value, self->ws_port); break;
    case PROP_VERSION:  g_value_set_string (value, self->version); break;
    case PROP_HOSTNAME: g_value_set_string (value, self->hostname); break;
    case PROP_URL:      g_value_set_string (value, self->url); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_discovered_server_class_init (LablinkDiscoveredServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lablink_discovered_server_finalize;
  object_class->get_property = lablink_discovered_server_get_property;

  /**
   * LablinkDiscoveredServer:name:
   *
   * The service instance name.
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  /**
   * LablinkDiscoveredServer:host:
   *
   * The mDNS host name the service is on.
   */
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, flags);
  /**
   * LablinkDiscoveredServer:address:
   *
   * The resolved IP address.
   */
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, flags);
  /**
   * LablinkDiscoveredServer:port:
   *
   * The port of the service record.
   */
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, flags);
  /**
   * LablinkDiscoveredServer:api-port:
   *
   * The REST API port (TXT `api_port`, else the service's port).
   */
  properties[PROP_API_PORT] = g_param_spec_uint ("api-port", NULL, NULL, 0, G_MAXUINT16, 0, flags);
  /**
   * LablinkDiscoveredServer:ws-port:
   *
   * The announced WebSocket port (TXT `ws_port`), 0 if none.
   */
  properties[PROP_WS_PORT] = g_param_spec_uint ("ws-port", NULL, NULL, 0, G_MAXUINT16, 0, flags);
  /**
   * LablinkDiscoveredServer:version:
   *
   * The server's version (TXT `version`).
   */
  properties[PROP_VERSION] = g_param_spec_string ("version", NULL, NULL, NULL, flags);
  /**
   * LablinkDiscoveredServer:hostname:
   *
   * The server's machine name (TXT `hostname`).
   */
  properties[PROP_HOSTNAME] = g_param_spec_string ("hostname", NULL, NULL, NULL, flags);
  /**
   * LablinkDiscoveredServer:url:
   *
   * The URL to connect to.
   */
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lablink_discovered_server_init (LablinkDiscoveredServer *self)
{
}
