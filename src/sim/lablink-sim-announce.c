/* lablink-sim-announce.c — lablink-sim published over mDNS (--announce)
 *
 * One Avahi entry group with the simulator's `_lablink._tcp` service, added
 * whenever the client reaches a running daemon (again), renamed on a name
 * collision ("… #2"), withdrawn when the simulator stops (or, should it be
 * killed, by the daemon when its D-Bus connection closes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#ifdef HAVE_AVAHI
# include <net/if.h>
# include <avahi-client/client.h>
# include <avahi-client/publish.h>
# include <avahi-common/alternative.h>
# include <avahi-common/error.h>
# include <avahi-common/malloc.h>
# include <avahi-glib/glib-watch.h>
#endif

#include "lablink-sim-announce.h"

#define SERVICE_TYPE "_lablink._tcp"

struct _LablinkSimAnnounce
{
  char            *name;
  guint            port;
  char            *version;
  gboolean         loopback_only;
  gboolean         said_no_daemon;
#ifdef HAVE_AVAHI
  AvahiGLibPoll   *poll;
  AvahiClient     *client;
  AvahiEntryGroup *group;
  guint            restart_id;
#endif
};

#ifdef HAVE_AVAHI

static void     add_service    (LablinkSimAnnounce *self,
                                AvahiClient        *client);
static gboolean free_client_cb (gpointer            data);
static gboolean restart_cb     (gpointer            data);

static void
rename_service (LablinkSimAnnounce *self)
{
  char *alternative = avahi_alternative_service_name (self->name);

  g_free (self->name);
  self->name = g_strdup (alternative);
  avahi_free (alternative);
}

static void
group_cb (AvahiEntryGroup      *group,
          AvahiEntryGroupState  state,
          void                 *user_data)
{
  LablinkSimAnnounce *self = user_data;
  AvahiClient *client = avahi_entry_group_get_client (group);

  switch (state)
    {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
      g_message ("announced as “%s” (%s, port %u)", self->name, SERVICE_TYPE, self->port);
      break;

    case AVAHI_ENTRY_GROUP_COLLISION:
      rename_service (self);
      g_message ("service name taken on the network: trying “%s”", self->name);
      avahi_entry_group_reset (group);
      add_service (self, client);
      break;

    case AVAHI_ENTRY_GROUP_FAILURE:
      g_printerr ("lablink-sim: --announce: %s\n", avahi_strerror (avahi_client_errno (client)));
      break;

    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
    default:
      break;
    }
}

static void
add_service (LablinkSimAnnounce *self,
             AvahiClient        *client)
{
  g_autofree char *api_port = g_strdup_printf ("api_port=%u", self->port);
  g_autofree char *ws_port = g_strdup_printf ("ws_port=%u", self->port);
  g_autofree char *version = g_strdup_printf ("version=%s", self->version);
  g_autofree char *hostname = g_strdup_printf ("hostname=%s", g_get_host_name ());
  AvahiIfIndex interface = AVAHI_IF_UNSPEC;
  int error;

  if (self->loopback_only)
    {
      unsigned index = if_nametoindex ("lo");

      if (index != 0)
        interface = (AvahiIfIndex) index;
    }

  if (self->group == NULL)
    self->group = avahi_entry_group_new (client, group_cb, self);
  if (self->group == NULL)
    {
      g_printerr ("lablink-sim: --announce: %s\n", avahi_strerror (avahi_client_errno (client)));
      return;
    }

  for (;;)
    {
      /* The WebSocket is on the API port, at /ws. */
      error = avahi_entry_group_add_service (self->group, interface, AVAHI_PROTO_UNSPEC, 0,
                                             self->name, SERVICE_TYPE, NULL, NULL, (uint16_t) self->port,
                                             version, api_port, ws_port, hostname, NULL);
      if (error != AVAHI_ERR_COLLISION)
        break;
      rename_service (self);
    }
  if (error == AVAHI_OK)
    error = avahi_entry_group_commit (self->group);
  if (error != AVAHI_OK)
    g_printerr ("lablink-sim: --announce: cannot publish “%s”: %s\n", self->name, avahi_strerror (error));
}

static void
client_cb (AvahiClient      *client,
           AvahiClientState  state,
           void             *user_data)
{
  LablinkSimAnnounce *self = user_data;

  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
      self->said_no_daemon = FALSE;
      if (self->group == NULL || avahi_entry_group_is_empty (self->group))
        add_service (self, client);
      break;

    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
      /* The host name changes: publish again once it is settled. */
      if (self->group != NULL)
        avahi_entry_group_reset (self->group);
      break;

    case AVAHI_CLIENT_CONNECTING:
      /* No daemon yet: the client waits for one. */
      if (!self->said_no_daemon)
        g_printerr ("lablink-sim: --announce: no Avahi daemon is running; announcing once one starts\n");
      self->said_no_daemon = TRUE;
      break;

    case AVAHI_CLIENT_FAILURE:
    default:
      if (avahi_client_errno (client) == AVAHI_ERR_DISCONNECTED && self->client == client)
        {
          /* The daemon went away: a new client waits for the next one. */
          g_printerr ("lablink-sim: --announce: the Avahi daemon went away; announcing once one starts\n");
          self->said_no_daemon = TRUE;
          g_clear_pointer (&self->group, avahi_entry_group_free);
          self->client = NULL;
          if (self->restart_id == 0)
            self->restart_id = g_idle_add (restart_cb, self);
          g_idle_add (free_client_cb, client);
        }
      else
        g_printerr ("lablink-sim: --announce: %s; not announced\n", avahi_strerror (avahi_client_errno (client)));
      break;
    }
}

static gboolean
free_client_cb (gpointer data)
{
  avahi_client_free (data);
  return G_SOURCE_REMOVE;
}

static void
start_client (LablinkSimAnnounce *self)
{
  int error = 0;

  self->client = avahi_client_new (avahi_glib_poll_get (self->poll), AVAHI_CLIENT_NO_FAIL,
                                   client_cb, self, &error);
  if (self->client == NULL)
    g_printerr ("lablink-sim: --announce: %s; not announced\n",
                error == AVAHI_ERR_NO_DAEMON ? "no Avahi daemon (no D-Bus system bus)" : avahi_strerror (error));
}

static gboolean
restart_cb (gpointer data)
{
  LablinkSimAnnounce *self = data;

  self->restart_id = 0;
  start_client (self);
  return G_SOURCE_REMOVE;
}

#endif /* HAVE_AVAHI */

LablinkSimAnnounce *
lablink_sim_announce_new (const char *name,
                          guint       port,
                          const char *version,
                          gboolean    loopback_only)
{
  LablinkSimAnnounce *self = g_new0 (LablinkSimAnnounce, 1);

  self->name = g_strdup (name);
  self->port = port;
  self->version = g_strdup (version);
  self->loopback_only = loopback_only;

#ifdef HAVE_AVAHI
  self->poll = avahi_glib_poll_new (NULL, G_PRIORITY_DEFAULT);
  start_client (self);
#else
  g_printerr ("lablink-sim: --announce: built without Avahi; not announced\n");
#endif
  return self;
}

void
lablink_sim_announce_free (LablinkSimAnnounce *self)
{
  if (self == NULL)
    return;
#ifdef HAVE_AVAHI
  g_clear_handle_id (&self->restart_id, g_source_remove);
  /* Freeing the group withdraws the service (goodbye packets). */
  g_clear_pointer (&self->group, avahi_entry_group_free);
  g_clear_pointer (&self->client, avahi_client_free);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
#endif
  g_free (self->name);
  g_free (self->version);
  g_free (self);
}
