/* lablink-discovery.c — browsing the local network for LabLink servers
 *
 * A GListModel of LablinkDiscoveredServer: every `_lablink._tcp` service
 * Avahi reports, once resolved (address, port, TXT), sorted by name, and
 * gone again when the service is withdrawn. The browse runs on the
 * thread-default main context of the thread that created the model (through
 * avahi-glib) for as long as the model lives.
 *
 * A service is reported once per interface and protocol it was seen on; the
 * model lists it once (an "entry"), with the address of an IPv4 instance
 * where there is one, and drops it when its last instance went.
 *
 * Without an Avahi daemon (or without a system bus) the model is empty,
 * :available is FALSE and :error says why (LABLINK_DISCOVERY_ERROR_NO_DAEMON);
 * the client waits for a daemon (AVAHI_CLIENT_NO_FAIL) and browsing starts
 * when one appears. Built without Avahi (-Davahi=disabled) the class is the
 * same and always unavailable (LABLINK_DISCOVERY_ERROR_UNSUPPORTED).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#ifdef HAVE_AVAHI
# include <net/if.h>
# include <avahi-client/client.h>
# include <avahi-client/lookup.h>
# include <avahi-common/error.h>
# include <avahi-common/malloc.h>
# include <avahi-glib/glib-watch.h>
#endif

#include "lablink-discovery-private.h"

G_DEFINE_QUARK (lablink-discovery-error-quark, lablink_discovery_error)

/* After a client failure (not a missing daemon, which the client waits
 * for by itself), a new client is tried this much later. */
#define RESTART_DELAY_S 5

typedef struct _Entry Entry;

/* One report of the browser: the service on one interface and protocol. */
typedef struct {
  Entry                   *entry;
  int                      interface;
  int                      protocol;
#ifdef HAVE_AVAHI
  AvahiServiceResolver    *resolver;
#endif
  LablinkDiscoveredServer *server;   /* once resolved */
} Instance;

/* One service (name and domain), however many instances it has. */
struct _Entry {
  LablinkDiscovery        *self;
  char                    *name;
  char                    *domain;
  GPtrArray               *instances;
  LablinkDiscoveredServer *shown;    /* its item in the model, or NULL */
};

struct _LablinkDiscovery
{
  GObject              parent_instance;

  GPtrArray           *items;      /* LablinkDiscoveredServer, sorted by name */
  GPtrArray           *entries;    /* Entry */
  gboolean             available;
  GError              *error;

#ifdef HAVE_AVAHI
  GMainContext        *context;    /* thread-default of the creator */
  AvahiGLibPoll       *poll;
  AvahiClient         *client;
  AvahiServiceBrowser *browser;
  guint                restart_id;
#endif
};

static void lablink_discovery_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LablinkDiscovery, lablink_discovery, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, lablink_discovery_list_model_init))

enum {
  PROP_0,
  PROP_AVAILABLE,
  PROP_ERROR,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- the list model ---- */

static GType
lablink_discovery_get_item_type (GListModel *model)
{
  return LABLINK_TYPE_DISCOVERED_SERVER;
}

static guint
lablink_discovery_get_n_items (GListModel *model)
{
  return LABLINK_DISCOVERY (model)->items->len;
}

static gpointer
lablink_discovery_get_item (GListModel *model,
                            guint       position)
{
  LablinkDiscovery *self = LABLINK_DISCOVERY (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
lablink_discovery_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = lablink_discovery_get_item_type;
  iface->get_n_items = lablink_discovery_get_n_items;
  iface->get_item = lablink_discovery_get_item;
}

/* Takes ownership of @error (NULL when available). */
static void
set_state (LablinkDiscovery *self,
           gboolean          available,
           GError           *error)
{
  gboolean error_changed;

  error_changed = (self->error == NULL) != (error == NULL) ||
                  (error != NULL && (self->error->code != error->code ||
                                     g_strcmp0 (self->error->message, error->message) != 0));
  g_clear_error (&self->error);
  self->error = error;

  if (self->available != available)
    {
      self->available = available;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
    }
  if (error_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
entry_free (Entry *entry)
{
  g_clear_pointer (&entry->instances, g_ptr_array_unref);
  g_clear_object (&entry->shown);
  g_free (entry->name);
  g_free (entry->domain);
  g_free (entry);
}

#ifdef HAVE_AVAHI

static void start_client (LablinkDiscovery *self);

static void
items_changed (LablinkDiscovery *self,
               guint             position,
               guint             removed,
               guint             added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
instance_free (Instance *instance)
{
#ifdef HAVE_AVAHI
  g_clear_pointer (&instance->resolver, avahi_service_resolver_free);
#endif
  g_clear_object (&instance->server);
  g_free (instance);
}

/* Where an item of @name goes: after every item whose name sorts before it. */
static guint
sorted_position (LablinkDiscovery *self,
                 const char       *name)
{
  guint i;

  for (i = 0; i < self->items->len; i++)
    if (g_utf8_collate (lablink_discovered_server_get_name (g_ptr_array_index (self->items, i)), name) > 0)
      break;
  return i;
}

/* Shows what @entry's instances resolved to: the first IPv4 one, else the
 * first resolved one, else nothing. */
static void
entry_update (Entry *entry)
{
  LablinkDiscovery *self = entry->self;
  LablinkDiscoveredServer *best = NULL;
  guint position = 0;
  guint i;

  for (i = 0; i < entry->instances->len; i++)
    {
      Instance *instance = g_ptr_array_index (entry->instances, i);

      if (instance->server == NULL)
        continue;
      if (best == NULL || strchr (lablink_discovered_server_get_address (best), ':') != NULL)
        best = instance->server;
    }

  if (entry->shown != NULL && !g_ptr_array_find (self->items, entry->shown, &position))
    g_assert_not_reached ();

  if (best == NULL)
    {
      if (entry->shown == NULL)
        return;
      g_ptr_array_remove_index (self->items, position);
      g_clear_object (&entry->shown);
      items_changed (self, position, 1, 0);
    }
  else if (entry->shown == NULL)
    {
      entry->shown = g_object_ref (best);
      position = sorted_position (self, lablink_discovered_server_get_name (best));
      g_ptr_array_insert (self->items, (int) position, g_object_ref (best));
      items_changed (self, position, 0, 1);
    }
  else if (best != entry->shown && !lablink_discovered_server_equal (best, entry->shown))
    {
      g_set_object (&entry->shown, best);
      g_object_unref (g_ptr_array_index (self->items, position));
      g_ptr_array_index (self->items, position) = g_object_ref (best);
      items_changed (self, position, 1, 1);
    }
}

/* Forgets every service (the browse ended). */
static void
clear_entries (LablinkDiscovery *self)
{
  guint n = self->items->len;

  g_ptr_array_set_size (self->entries, 0);
  g_ptr_array_set_size (self->items, 0);
  if (n > 0)
    items_changed (self, 0, n, 0);
}


static Entry *
find_entry (LablinkDiscovery *self,
            const char       *name,
            const char       *domain,
            guint            *index)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_str_equal (entry->name, name) && g_ascii_strcasecmp (entry->domain, domain) == 0)
        {
          if (index != NULL)
            *index = i;
          return entry;
        }
    }
  return NULL;
}

static Instance *
find_instance (Entry         *entry,
               AvahiIfIndex   interface,
               AvahiProtocol  protocol,
               guint         *index)
{
  for (guint i = 0; i < entry->instances->len; i++)
    {
      Instance *instance = g_ptr_array_index (entry->instances, i);

      if (instance->interface == interface && instance->protocol == protocol)
        {
          if (index != NULL)
            *index = i;
          return instance;
        }
    }
  return NULL;
}

/* A TXT field as a port: 0 when absent or not a port. */
static guint
txt_port (AvahiStringList *txt,
          const char      *key)
{
  AvahiStringList *item = avahi_string_list_find (txt, key);
  char *value = NULL;
  guint64 port = 0;

  if (item == NULL || avahi_string_list_get_pair (item, NULL, &value, NULL) < 0 || value == NULL)
    return 0;
  if (!g_ascii_string_to_unsigned (g_strstrip (value), 10, 1, G_MAXUINT16, &port, NULL))
    port = 0;
  avahi_free (value);
  return (guint) port;
}

/* A TXT field as text: NULL when absent, empty or not UTF-8. */
static char *
txt_string (AvahiStringList *txt,
            const char      *key)
{
  AvahiStringList *item = avahi_string_list_find (txt, key);
  char *value = NULL;
  char *result = NULL;

  if (item == NULL || avahi_string_list_get_pair (item, NULL, &value, NULL) < 0 || value == NULL)
    return NULL;
  if (value[0] != '\0' && g_utf8_validate (value, -1, NULL))
    result = g_strdup (value);
  avahi_free (value);
  return result;
}

static void
resolve_cb (AvahiServiceResolver   *resolver,
            AvahiIfIndex            interface,
            AvahiProtocol           protocol,
            AvahiResolverEvent      event,
            const char             *name,
            const char             *type,
            const char             *domain,
            const char             *host_name,
            const AvahiAddress     *address,
            uint16_t                port,
            AvahiStringList        *txt,
            AvahiLookupResultFlags  flags,
            void                   *user_data)
{
  Instance *instance = user_data;
  char text[AVAHI_ADDRESS_STR_MAX];
  g_autofree char *address_text = NULL;
  g_autofree char *version = NULL;
  g_autofree char *hostname = NULL;
  g_autoptr(LablinkDiscoveredServer) server = NULL;

  if (event != AVAHI_RESOLVER_FOUND)
    {
      g_debug ("cannot resolve “%s”: %s", name,
               avahi_strerror (avahi_client_errno (avahi_service_resolver_get_client (resolver))));
      return;
    }

  avahi_address_snprint (text, sizeof text, address);
  /* An IPv6 link-local address is only usable with its interface. */
  if (address->proto == AVAHI_PROTO_INET6 &&
      address->data.ipv6.address[0] == 0xfe && (address->data.ipv6.address[1] & 0xc0) == 0x80)
    {
      char ifname[IF_NAMESIZE] = "";

      if (if_indextoname ((unsigned) interface, ifname) != NULL)
        address_text = g_strdup_printf ("%s%%%s", text, ifname);
    }
  if (address_text == NULL)
    address_text = g_strdup (text);

  version = txt_string (txt, "version");
  hostname = txt_string (txt, "hostname");
  server = lablink_discovered_server_new (name, host_name, address_text, port,
                                          txt_port (txt, "api_port"), txt_port (txt, "ws_port"),
                                          version, hostname);
  if (instance->server != NULL && lablink_discovered_server_equal (instance->server, server))
    return;
  g_debug ("resolved “%s” on %s: %s", name, host_name, lablink_discovered_server_get_url (server));
  g_set_object (&instance->server, server);
  entry_update (instance->entry);
}

static void
browse_cb (AvahiServiceBrowser    *browser,
           AvahiIfIndex            interface,
           AvahiProtocol           protocol,
           AvahiBrowserEvent       event,
           const char             *name,
           const char             *type,
           const char             *domain,
           AvahiLookupResultFlags  flags,
           void                   *user_data)
{
  LablinkDiscovery *self = user_data;
  AvahiClient *client = avahi_service_browser_get_client (browser);
  Entry *entry;
  Instance *instance;
  guint index;

  switch (event)
    {
    case AVAHI_BROWSER_NEW:
      entry = find_entry (self, name, domain, NULL);
      if (entry == NULL)
        {
          entry = g_new0 (Entry, 1);
          entry->self = self;
          entry->name = g_strdup (name);
          entry->domain = g_strdup (domain);
          entry->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) instance_free);
          g_ptr_array_add (self->entries, entry);
        }
      if (find_instance (entry, interface, protocol, NULL) != NULL)
        break;
      instance = g_new0 (Instance, 1);
      instance->entry = entry;
      instance->interface = interface;
      instance->protocol = protocol;
      /* Kept while the service is there: it reports changes too. */
      instance->resolver = avahi_service_resolver_new (client, interface, protocol, name, type, domain,
                                                       protocol, 0, resolve_cb, instance);
      if (instance->resolver == NULL)
        g_debug ("cannot resolve “%s”: %s", name, avahi_strerror (avahi_client_errno (client)));
      g_ptr_array_add (entry->instances, instance);
      break;

    case AVAHI_BROWSER_REMOVE:
      entry = find_entry (self, name, domain, &index);
      if (entry == NULL || find_instance (entry, interface, protocol, &index) == NULL)
        break;
      g_ptr_array_remove_index (entry->instances, index);
      entry_update (entry);
      if (entry->instances->len == 0 && find_entry (self, name, domain, &index) == entry)
        g_ptr_array_remove_index (self->entries, index);
      break;

    case AVAHI_BROWSER_FAILURE:
      g_clear_pointer (&self->browser, avahi_service_browser_free);
      clear_entries (self);
      set_state (self, FALSE, g_error_new (LABLINK_DISCOVERY_ERROR, LABLINK_DISCOVERY_ERROR_FAILED,
                                           _("Discovery failed: %s"),
                                           avahi_strerror (avahi_client_errno (client))));
      break;

    case AVAHI_BROWSER_ALL_FOR_NOW:
    case AVAHI_BROWSER_CACHE_EXHAUSTED:
    default:
      break;
    }
}

static void
stop_browsing (LablinkDiscovery *self)
{
  /* The resolvers first: they belong to the entries. */
  clear_entries (self);
  g_clear_pointer (&self->browser, avahi_service_browser_free);
}

/* @func on the discovery's context, after @seconds (0: when idle). */
static guint
add_source (LablinkDiscovery *self,
            guint             seconds,
            GSourceFunc       func,
            gpointer          data)
{
  g_autoptr(GSource) source = seconds > 0 ? g_timeout_source_new_seconds (seconds) : g_idle_source_new ();

  g_source_set_callback (source, func, data, NULL);
  return g_source_attach (source, self->context);
}

static gboolean
restart_cb (gpointer data)
{
  LablinkDiscovery *self = data;

  self->restart_id = 0;
  start_client (self);
  return G_SOURCE_REMOVE;
}

static gboolean
free_client_cb (gpointer data)
{
  avahi_client_free (data);
  return G_SOURCE_REMOVE;
}

static void
client_cb (AvahiClient      *client,
           AvahiClientState  state,
           void             *user_data)
{
  LablinkDiscovery *self = user_data;
  int error;

  g_debug ("Avahi client state %d (%s)", (int) state, avahi_strerror (avahi_client_errno (client)));
  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
    case AVAHI_CLIENT_S_REGISTERING:
    case AVAHI_CLIENT_S_COLLISION:
      if (self->browser == NULL)
        {
          self->browser = avahi_service_browser_new (client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                                     LABLINK_DISCOVERY_SERVICE_TYPE, NULL, 0,
                                                     browse_cb, self);
          if (self->browser == NULL)
            {
              set_state (self, FALSE, g_error_new (LABLINK_DISCOVERY_ERROR, LABLINK_DISCOVERY_ERROR_FAILED,
                                                   _("Discovery failed: %s"),
                                                   avahi_strerror (avahi_client_errno (client))));
              break;
            }
        }
      set_state (self, TRUE, NULL);
      break;

    case AVAHI_CLIENT_CONNECTING:
      /* No daemon (yet, or any more): the client waits for one. */
      stop_browsing (self);
      set_state (self, FALSE, g_error_new_literal (LABLINK_DISCOVERY_ERROR, LABLINK_DISCOVERY_ERROR_NO_DAEMON,
                                                   _("Discovery is not available: no Avahi daemon is running")));
      break;

    case AVAHI_CLIENT_FAILURE:
    default:
      /* The daemon went away (AVAHI_ERR_DISCONNECTED), or worse: this
       * client is done; a new one waits for a daemon. */
      error = avahi_client_errno (client);
      stop_browsing (self);
      if (error == AVAHI_ERR_DISCONNECTED)
        set_state (self, FALSE, g_error_new_literal (LABLINK_DISCOVERY_ERROR, LABLINK_DISCOVERY_ERROR_NO_DAEMON,
                                                     _("Discovery is not available: no Avahi daemon is running")));
      else
        set_state (self, FALSE, g_error_new (LABLINK_DISCOVERY_ERROR, LABLINK_DISCOVERY_ERROR_FAILED,
                                             _("Discovery failed: %s"), avahi_strerror (error)));
      /* Not within its own callback: the client goes from an idle. */
      if (self->client == client)
        {
          add_source (self, 0, free_client_cb, self->client);
          self->client = NULL;
          if (self->restart_id == 0)
            self->restart_id = add_source (self, error == AVAHI_ERR_DISCONNECTED ? 1 : RESTART_DELAY_S,
                                           restart_cb, self);
        }
      break;
    }
}

static void
start_client (LablinkDiscovery *self)
{
  AvahiClient *client;
  int error = 0;

  client = avahi_client_new (avahi_glib_poll_get (self->poll), AVAHI_CLIENT_NO_FAIL, client_cb, self, &error);
  if (client == NULL)
    {
      /* No system bus at all: nothing to wait on. */
      if (error == AVAHI_ERR_NO_DAEMON)
        set_state (self, FALSE, g_error_new_literal (LABLINK_DISCOVERY_ERROR, LABLINK_DISCOVERY_ERROR_NO_DAEMON,
                                                     _("Discovery is not available: no Avahi daemon is running")));
      else
        set_state (self, FALSE, g_error_new (LABLINK_DISCOVERY_ERROR, LABLINK_DISCOVERY_ERROR_FAILED,
                                             _("Discovery failed: %s"), avahi_strerror (error)));
      return;
    }
  /* The callback may already have run, from within avahi_client_new(). */
  self->client = client;
}

#endif /* HAVE_AVAHI */

/**
 * lablink_discovery_new:
 *
 * Starts browsing the local network for LabLink servers, on the
 * thread-default main context.
 *
 * Returns: (transfer full): a new #LablinkDiscovery
 */
LablinkDiscovery *
lablink_discovery_new (void)
{
  return g_object_new (LABLINK_TYPE_DISCOVERY, NULL);
}

/**
 * lablink_discovery_get_available:
 * @self: a #LablinkDiscovery
 *
 * Returns: whether the network is browsed (an Avahi daemon is there)
 */
gboolean
lablink_discovery_get_available (LablinkDiscovery *self)
{
  g_return_val_if_fail (LABLINK_IS_DISCOVERY (self), FALSE);
  return self->available;
}

/**
 * lablink_discovery_get_error:
 * @self: a #LablinkDiscovery
 *
 * Returns: (nullable) (transfer none): why discovery is not available, in
 *   the #LABLINK_DISCOVERY_ERROR domain; %NULL while it is
 */
const GError *
lablink_discovery_get_error (LablinkDiscovery *self)
{
  g_return_val_if_fail (LABLINK_IS_DISCOVERY (self), NULL);
  return self->error;
}

static void
lablink_discovery_constructed (GObject *object)
{
  LablinkDiscovery *self = LABLINK_DISCOVERY (object);

  G_OBJECT_CLASS (lablink_discovery_parent_class)->constructed (object);

#ifdef HAVE_AVAHI
  self->context = g_main_context_ref_thread_default ();
  self->poll = avahi_glib_poll_new (self->context, G_PRIORITY_DEFAULT);
  start_client (self);
#else
  set_state (self, FALSE, g_error_new_literal (LABLINK_DISCOVERY_ERROR, LABLINK_DISCOVERY_ERROR_UNSUPPORTED,
                                               _("Discovery is not available: built without Avahi")));
#endif
}

static void
lablink_discovery_dispose (GObject *object)
{
  LablinkDiscovery *self = LABLINK_DISCOVERY (object);

#ifdef HAVE_AVAHI
  if (self->restart_id != 0)
    {
      GSource *restart = g_main_context_find_source_by_id (self->context, self->restart_id);

      if (restart != NULL)
        g_source_destroy (restart);
      self->restart_id = 0;
    }
  stop_browsing (self);
  g_clear_pointer (&self->client, avahi_client_free);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
  g_clear_pointer (&self->context, g_main_context_unref);
#endif
  g_ptr_array_set_size (self->entries, 0);
  g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (lablink_discovery_parent_class)->dispose (object);
}

static void
lablink_discovery_finalize (GObject *object)
{
  LablinkDiscovery *self = LABLINK_DISCOVERY (object);

  g_ptr_array_unref (self->entries);
  g_ptr_array_unref (self->items);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (lablink_discovery_parent_class)->finalize (object);
}

static void
lablink_discovery_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LablinkDiscovery *self = LABLINK_DISCOVERY (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_discovery_class_init (LablinkDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lablink_discovery_constructed;
  object_class->dispose = lablink_discovery_dispose;
  object_class->finalize = lablink_discovery_finalize;
  object_class->get_property = lablink_discovery_get_property;

  /**
   * LablinkDiscovery:available:
   *
   * Whether the network is browsed: an Avahi daemon is there.
   */
  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LablinkDiscovery:error:
   *
   * Why discovery is not available (#LABLINK_DISCOVERY_ERROR), or %NULL.
   */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LablinkDiscovery:n-items:
   *
   * The number of servers found.
   */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lablink_discovery_init (LablinkDiscovery *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
}
