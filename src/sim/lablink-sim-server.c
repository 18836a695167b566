/* lablink-sim-server.c — a simulated LabLink server (REST + WebSocket)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <lablink.h>

#include "lablink-sim-load.h"
#include "lablink-sim-psu.h"
#include "lablink-sim-scope.h"
#include "lablink-sim-server-private.h"

/* Simulated instrument read times: a stream's cadence is its interval plus
 * this, like the real server's (100 ms → ~111 ms readings, ~150 ms waveform,
 * 200 ms → ~300 ms measurements). */
#define READ_MS_READINGS     11
#define READ_MS_WAVEFORM     50
#define READ_MS_MEASUREMENTS 100

#define MAX_INCOMING_PAYLOAD (1024 * 1024)
#define HOSTILE_NESTING_DEPTH 10000

/**
 * LablinkSimServer:
 *
 * A simulated LabLink 1.2.5 server: REST and WebSocket on one port, three
 * mock instruments with physics (a 3-channel PSU with resistive loads, an
 * electronic load on a source, a 4-channel scope), acquisitions, optional
 * JWT-like security, and fault injection (dropped, refused or slow
 * connections, hostile frames, floods).
 *
 * By default it behaves like a fixed 1.2.5 server plus inline waveform
 * samples in `stream_data` frames; with #LablinkSimServer:lablink-compat it
 * also reproduces the real server's quirks: waveform frames without samples,
 * bare NaN for channels an instrument lacks and `500 text/plain` from the
 * REST routes that would have to encode them.
 *
 * Everything runs on the thread-default #GMainContext of the thread that
 * calls lablink_sim_server_listen().
 */

struct _SimClient
{
  gint                     ref_count;
  LablinkSimServer        *server;      /* unowned; NULL once removed */
  guint64                  id;
  SoupWebsocketConnection *conn;
  GSocket                 *socket;
  gulong                   message_id;
  gulong                   closed_id;
  guint64                  n_sent;
  gboolean                 dropping;
  GQueue                   pending;     /* PendingFrame, for the latency fault */
  GSource                  *latency_source;
  GSource                  *drop_source;
};

typedef struct
{
  gint64  due;      /* monotonic µs */
  GBytes *bytes;
  gboolean raw;
} PendingFrame;

typedef struct
{
  LablinkSimServer *server;
  char             *key;
  char             *equipment_id;
  char             *stream_type;
  char             *acquisition_id;
  guint             interval_ms;
  guint             read_ms;
  guint             num_samples;
  GSource          *source;
} SimStream;

G_DEFINE_FINAL_TYPE (LablinkSimServer, lablink_sim_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LABLINK_COMPAT,
  PROP_SEED,
  PROP_DROP_AFTER_MESSAGES,
  PROP_DROP_AFTER_MS,
  PROP_REFUSE_MS,
  PROP_LATENCY_MS,
  PROP_HOSTILE_RATE,
  PROP_PORT,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void client_unref (SimClient *client);
static void client_write (SimClient *client, GBytes *bytes, gboolean raw);
static void stream_free (SimStream *stream);
static void update_hostile_source (LablinkSimServer *self);
static void flood_start (LablinkSimServer *self, guint n_frames, guint rate_hz);
static void flood_stop (LablinkSimServer *self);

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static GSource *
attach_timeout (LablinkSimServer *self,
                guint             ms,
                GSourceFunc       func,
                gpointer          data,
                const char       *name)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_name (source, name);
  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, self->context);
  return source;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static GMainContext *
server_context (LablinkSimServer *self)
{
  return self->context != NULL ? self->context : g_main_context_get_thread_default ();
}

/* Python-style (WebSocket) writer */
static void
ws_writer_init (LablinkSimServer *self,
                LablinkSimJson   *w,
                GString          *out)
{
  lablink_sim_json_init (w, out, LABLINK_SIM_JSON_PYTHON, self->compat);
}

static GBytes *
string_to_bytes (GString *out)
{
  gsize len = out->len;

  return g_bytes_new_take (g_string_free (out, FALSE), len);
}

char *
lablink_sim_server_new_uuid (LablinkSimServer *self)
{
  guint32 r[4];
  guint i;

  for (i = 0; i < 4; i++)
    r[i] = g_rand_int (self->rand);

  /* version 4, variant 10 */
  return g_strdup_printf ("%08x-%04x-%04x-%04x-%04x%08x",
                          r[0], r[1] >> 16, 0x4000 | (r[1] & 0x0fff),
                          0x8000 | (r[2] >> 16 & 0x3fff), r[2] & 0xffff, r[3]);
}

char *
lablink_sim_server_new_hex_id (LablinkSimServer *self,
                               const char       *prefix)
{
  return g_strdup_printf ("%s_%08x", prefix, g_rand_int (self->rand));
}

gboolean
lablink_sim_hostile_kinds_from_string (const char             *text,
                                       LablinkSimHostileKinds *kinds,
                                       GError                **error)
{
  static const struct { const char *name; LablinkSimHostileKinds kind; } names[] = {
    { "bad-json", LABLINK_SIM_HOSTILE_BAD_JSON },
    { "non-utf8", LABLINK_SIM_HOSTILE_NON_UTF8 },
    { "wrong-types", LABLINK_SIM_HOSTILE_WRONG_TYPES },
    { "unknown-type", LABLINK_SIM_HOSTILE_UNKNOWN_TYPE },
    { "deep-nesting", LABLINK_SIM_HOSTILE_DEEP_NESTING },
    { "all", LABLINK_SIM_HOSTILE_ALL },
  };
  g_auto(GStrv) parts = NULL;
  guint result = 0;
  guint i, j;

  g_return_val_if_fail (text != NULL && kinds != NULL, FALSE);

  parts = g_strsplit (text, ",", -1);
  for (i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);
      gboolean found = FALSE;

      if (*part == '\0')
        continue;
      for (j = 0; j < G_N_ELEMENTS (names); j++)
        if (g_ascii_strcasecmp (part, names[j].name) == 0)
          {
            result |= names[j].kind;
            found = TRUE;
          }
      if (!found)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Unknown hostile frame kind “%s” (expected bad-json, non-utf8, "
                       "wrong-types, unknown-type, deep-nesting or all)", part);
          return FALSE;
        }
    }

  if (result == 0)
    result = LABLINK_SIM_HOSTILE_ALL;
  *kinds = (LablinkSimHostileKinds) result;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
lablink_sim_server_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LablinkSimServer *self = LABLINK_SIM_SERVER (object);

  switch (prop_id)
    {
    case PROP_LABLINK_COMPAT:
      g_value_set_boolean (value, self->compat);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    case PROP_DROP_AFTER_MESSAGES:
      g_value_set_uint (value, self->drop_after_messages);
      break;
    case PROP_DROP_AFTER_MS:
      g_value_set_uint (value, self->drop_after_ms);
      break;
    case PROP_REFUSE_MS:
      g_value_set_uint (value, self->refuse_ms);
      break;
    case PROP_LATENCY_MS:
      g_value_set_uint (value, self->latency_ms);
      break;
    case PROP_HOSTILE_RATE:
      g_value_set_double (value, self->hostile_rate);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_sim_server_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LablinkSimServer *self = LABLINK_SIM_SERVER (object);

  switch (prop_id)
    {
    case PROP_LABLINK_COMPAT:
      lablink_sim_server_set_lablink_compat (self, g_value_get_boolean (value));
      break;
    case PROP_SEED:
      lablink_sim_server_set_seed (self, g_value_get_uint (value));
      break;
    case PROP_DROP_AFTER_MESSAGES:
      lablink_sim_server_set_drop_after_messages (self, g_value_get_uint (value));
      break;
    case PROP_DROP_AFTER_MS:
      lablink_sim_server_set_drop_after_ms (self, g_value_get_uint (value));
      break;
    case PROP_REFUSE_MS:
      lablink_sim_server_set_refuse_ms (self, g_value_get_uint (value));
      break;
    case PROP_LATENCY_MS:
      lablink_sim_server_set_latency_ms (self, g_value_get_uint (value));
      break;
    case PROP_HOSTILE_RATE:
      lablink_sim_server_set_hostile (self, g_value_get_double (value), self->hostile_kinds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
free_client_list (GList **list)
{
  GList *l;

  for (l = *list; l != NULL; l = l->next)
    {
      SimClient *client = l->data;

      client->server = NULL;
      if (client->socket != NULL)
        g_socket_shutdown (client->socket, TRUE, TRUE, NULL);
      client_unref (client);
    }
  g_clear_pointer (list, g_list_free);
}

static void
lablink_sim_server_dispose (GObject *object)
{
  LablinkSimServer *self = LABLINK_SIM_SERVER (object);

  lablink_sim_server_stop (self);

  free_client_list (&self->clients);
  free_client_list (&self->closing);
  free_client_list (&self->dead);
  clear_source (&self->reap_source);

  G_OBJECT_CLASS (lablink_sim_server_parent_class)->dispose (object);
}

static void
lablink_sim_server_finalize (GObject *object)
{
  LablinkSimServer *self = LABLINK_SIM_SERVER (object);

  g_clear_pointer (&self->auth_username, g_free);
  g_clear_pointer (&self->auth_password, g_free);
  g_clear_pointer (&self->silent_streams, g_strfreev);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->instruments, g_ptr_array_unref);
  g_clear_pointer (&self->acquisition_order, g_ptr_array_unref);
  g_clear_pointer (&self->acquisitions, g_hash_table_unref);
  g_clear_pointer (&self->streams, g_hash_table_unref);
  g_clear_pointer (&self->access_tokens, g_hash_table_unref);
  g_clear_pointer (&self->refresh_tokens, g_hash_table_unref);
  g_clear_pointer (&self->last_event_id, g_free);
  g_clear_pointer (&self->last_job_id, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (lablink_sim_server_parent_class)->finalize (object);
}

static void
lablink_sim_server_class_init (LablinkSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = lablink_sim_server_get_property;
  object_class->set_property = lablink_sim_server_set_property;
  object_class->dispose = lablink_sim_server_dispose;
  object_class->finalize = lablink_sim_server_finalize;

  /**
   * LablinkSimServer:lablink-compat:
   *
   * Reproduce the real 1.2.5 server's quirks (waveform frames without
   * samples, bare NaN for missing acquisition channels, 500 text/plain).
   */
  properties[PROP_LABLINK_COMPAT] =
    g_param_spec_boolean ("lablink-compat", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DROP_AFTER_MESSAGES] =
    g_param_spec_uint ("drop-after-messages", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DROP_AFTER_MS] =
    g_param_spec_uint ("drop-after-ms", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFUSE_MS] =
    g_param_spec_uint ("refuse-ms", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LATENCY_MS] =
    g_param_spec_uint ("latency-ms", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOSTILE_RATE] =
    g_param_spec_double ("hostile-rate", NULL, NULL, 0.0, 10000.0, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lablink_sim_server_init (LablinkSimServer *self)
{
  guint i;

  g_mutex_init (&self->lock);
  self->token_lifetime = 1800;
  self->hostile_kinds = LABLINK_SIM_HOSTILE_ALL;
  self->rand = g_rand_new_with_seed (0);
  self->created_at = g_get_real_time ();

  self->instruments = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->instruments, lablink_sim_scope_new (NULL, 1));
  g_ptr_array_add (self->instruments, lablink_sim_psu_new (NULL, 2));
  g_ptr_array_add (self->instruments, lablink_sim_load_new (NULL, 3));

  self->acquisition_order = g_ptr_array_new_with_free_func (g_object_unref);
  self->acquisitions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->streams = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) stream_free);
  self->access_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (i = 0; i < G_N_ELEMENTS (self->secret); i++)
    self->secret[i] = (guint8) g_random_int_range (0, 256);
}

/**
 * lablink_sim_server_new:
 *
 * Returns: (transfer full): a new, not yet listening, simulated server
 */
LablinkSimServer *
lablink_sim_server_new (void)
{
  return g_object_new (LABLINK_SIM_TYPE_SERVER, NULL);
}

/* ------------------------------------------------------------------------ */
/* Options                                                                   */

void
lablink_sim_server_set_lablink_compat (LablinkSimServer *self,
                                       gboolean          compat)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));

  compat = !!compat;
  if (self->compat == compat)
    return;
  self->compat = compat;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABLINK_COMPAT]);
}

/**
 * lablink_sim_server_set_silent_streams:
 * @self: a #LablinkSimServer
 * @stream_types: (nullable) (array zero-terminated=1): stream types
 *
 * Fault, as in the released LabLink 1.2.5: streams of these types are
 * acknowledged (`stream_started`) but never deliver a frame. The REST
 * snapshot of the same data still answers.
 */
void
lablink_sim_server_set_silent_streams (LablinkSimServer   *self,
                                       const char * const *stream_types)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));

  g_strfreev (self->silent_streams);
  self->silent_streams = g_strdupv ((char **) stream_types);
}

gboolean
lablink_sim_server_get_lablink_compat (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), FALSE);
  return self->compat;
}

/**
 * lablink_sim_server_set_seed:
 * @self: a server
 * @seed: the seed
 *
 * Reseeds every random choice of the simulator (instrument noise, serial
 * numbers' successors, ids): the same seed and the same requests give the
 * same values.
 */
void
lablink_sim_server_set_seed (LablinkSimServer *self,
                             guint32           seed)
{
  guint i;

  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));

  self->seed = seed;
  g_rand_set_seed (self->rand, seed);
  for (i = 0; i < self->instruments->len; i++)
    lablink_sim_instrument_set_seed (g_ptr_array_index (self->instruments, i), seed * 7919u + i + 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
}

guint32
lablink_sim_server_get_seed (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), 0);
  return self->seed;
}

/**
 * lablink_sim_server_set_auth:
 * @self: a server
 * @username: (nullable): the one user, or %NULL to turn security off
 * @password: (nullable): its password
 *
 * With security on, `POST /api/security/login` issues tokens and the
 * WebSocket upgrade needs `?token=<access_token>` (HTTP 403 otherwise).
 */
void
lablink_sim_server_set_auth (LablinkSimServer *self,
                             const char       *username,
                             const char       *password)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));

  g_free (self->auth_username);
  g_free (self->auth_password);
  self->auth_username = g_strdup (username);
  self->auth_password = g_strdup (username != NULL ? (password != NULL ? password : "") : NULL);
  g_hash_table_remove_all (self->access_tokens);
  g_hash_table_remove_all (self->refresh_tokens);
}

gboolean
lablink_sim_server_get_security_enabled (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), FALSE);
  return self->auth_username != NULL;
}

void
lablink_sim_server_set_token_lifetime (LablinkSimServer *self,
                                       guint             seconds)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  self->token_lifetime = MAX (seconds, 1);
}

/**
 * lablink_sim_server_set_drop_after_messages:
 * @self: a server
 * @n_messages: 0 to disable
 *
 * Fault: drop every WebSocket connection (TCP shutdown, no close frame)
 * once @n_messages frames have been sent to it.
 */
void
lablink_sim_server_set_drop_after_messages (LablinkSimServer *self,
                                            guint             n_messages)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  if (self->drop_after_messages == n_messages)
    return;
  self->drop_after_messages = n_messages;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DROP_AFTER_MESSAGES]);
}

guint
lablink_sim_server_get_drop_after_messages (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), 0);
  return self->drop_after_messages;
}

/**
 * lablink_sim_server_set_drop_after_ms:
 * @self: a server
 * @ms: 0 to disable
 *
 * Fault: drop every WebSocket connection @ms after it opened (applies to
 * connections opened after the call).
 */
void
lablink_sim_server_set_drop_after_ms (LablinkSimServer *self,
                                      guint             ms)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  if (self->drop_after_ms == ms)
    return;
  self->drop_after_ms = ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DROP_AFTER_MS]);
}

guint
lablink_sim_server_get_drop_after_ms (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), 0);
  return self->drop_after_ms;
}

/**
 * lablink_sim_server_set_refuse_ms:
 * @self: a server
 * @ms: 0 to disable
 *
 * Fault: for @ms after any drop, answer WebSocket upgrades with HTTP 503.
 */
void
lablink_sim_server_set_refuse_ms (LablinkSimServer *self,
                                  guint             ms)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  if (self->refuse_ms == ms)
    return;
  self->refuse_ms = ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFUSE_MS]);
}

guint
lablink_sim_server_get_refuse_ms (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), 0);
  return self->refuse_ms;
}

/**
 * lablink_sim_server_set_latency_ms:
 * @self: a server
 * @ms: 0 to disable
 *
 * Fault: delay every WebSocket frame the server sends by @ms (order kept).
 */
void
lablink_sim_server_set_latency_ms (LablinkSimServer *self,
                                   guint             ms)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  if (self->latency_ms == ms)
    return;
  self->latency_ms = ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY_MS]);
}

guint
lablink_sim_server_get_latency_ms (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), 0);
  return self->latency_ms;
}

/**
 * lablink_sim_server_set_hostile:
 * @self: a server
 * @rate_hz: hostile frames per second to every client (0 to disable)
 * @kinds: which kinds to rotate through (0 = all)
 *
 * Fault: broadcast malformed or hostile frames at @rate_hz.
 */
void
lablink_sim_server_set_hostile (LablinkSimServer       *self,
                                double                  rate_hz,
                                LablinkSimHostileKinds  kinds)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));

  if (!(rate_hz > 0.0) || !isfinite (rate_hz))
    rate_hz = 0.0;
  self->hostile_rate = MIN (rate_hz, 10000.0);
  self->hostile_kinds = (kinds & LABLINK_SIM_HOSTILE_ALL) != 0 ? (kinds & LABLINK_SIM_HOSTILE_ALL)
                                                               : LABLINK_SIM_HOSTILE_ALL;
  if (self->soup != NULL)
    update_hostile_source (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOSTILE_RATE]);
}

double
lablink_sim_server_get_hostile_rate (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), 0.0);
  return self->hostile_rate;
}

/* ------------------------------------------------------------------------ */
/* Instruments and acquisitions                                              */

/**
 * lablink_sim_server_get_instrument:
 * @self: a server
 * @equipment_id: an equipment id
 *
 * Returns: (transfer none) (nullable): the instrument
 */
LablinkSimInstrument *
lablink_sim_server_get_instrument (LablinkSimServer *self,
                                   const char       *equipment_id)
{
  guint i;

  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), NULL);

  if (equipment_id == NULL)
    return NULL;
  for (i = 0; i < self->instruments->len; i++)
    {
      LablinkSimInstrument *instrument = g_ptr_array_index (self->instruments, i);

      if (g_str_equal (lablink_sim_instrument_get_id (instrument), equipment_id))
        return instrument;
    }
  return NULL;
}

/**
 * lablink_sim_server_get_instruments:
 * @self: a server
 *
 * Returns: (transfer none) (element-type LablinkSimInstrument): the
 *   instruments, in the order of `GET /api/equipment/list`
 */
GPtrArray *
lablink_sim_server_get_instruments (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), NULL);
  return self->instruments;
}

LablinkSimAcquisition *
lablink_sim_server_lookup_acquisition (LablinkSimServer *self,
                                       const char       *acquisition_id)
{
  LablinkSimAcquisition *acquisition;

  if (acquisition_id == NULL)
    return NULL;
  g_mutex_lock (&self->lock);
  acquisition = g_hash_table_lookup (self->acquisitions, acquisition_id);
  g_mutex_unlock (&self->lock);
  return acquisition;
}

void
lablink_sim_server_add_acquisition (LablinkSimServer      *self,
                                    LablinkSimAcquisition *acquisition)
{
  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->acquisitions, (gpointer) lablink_sim_acquisition_get_id (acquisition),
                        g_object_ref (acquisition));
  g_mutex_unlock (&self->lock);
  g_ptr_array_add (self->acquisition_order, g_object_ref (acquisition));
}

void
lablink_sim_server_remove_acquisition (LablinkSimServer *self,
                                       const char       *acquisition_id)
{
  LablinkSimAcquisition *acquisition;
  g_autoptr(LablinkSimAcquisition) keep = NULL;

  g_mutex_lock (&self->lock);
  acquisition = g_hash_table_lookup (self->acquisitions, acquisition_id);
  if (acquisition != NULL)
    {
      keep = g_object_ref (acquisition);
      g_hash_table_remove (self->acquisitions, acquisition_id);
    }
  g_mutex_unlock (&self->lock);

  if (keep != NULL)
    {
      lablink_sim_acquisition_stop (keep, NULL);
      g_ptr_array_remove (self->acquisition_order, keep);
    }
}

/**
 * lablink_sim_server_get_acquisition_generated:
 * @self: a server
 * @acquisition_id: an acquisition id
 * @count: (out) (optional): how many samples the acquisition generated
 * @timestamps: (out) (optional) (transfer full) (element-type gint64): their
 *   timestamps, µs since the epoch, oldest first
 *
 * What the simulator really generated for an acquisition, to check a client
 * against. Thread-safe.
 *
 * Returns: %FALSE if there is no such acquisition
 */
gboolean
lablink_sim_server_get_acquisition_generated (LablinkSimServer  *self,
                                              const char        *acquisition_id,
                                              guint64           *count,
                                              GArray           **timestamps)
{
  g_autoptr(LablinkSimAcquisition) acquisition = NULL;
  guint64 n;

  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), FALSE);
  g_return_val_if_fail (acquisition_id != NULL, FALSE);

  g_mutex_lock (&self->lock);
  acquisition = g_hash_table_lookup (self->acquisitions, acquisition_id);
  if (acquisition != NULL)
    g_object_ref (acquisition);
  g_mutex_unlock (&self->lock);

  if (acquisition == NULL)
    return FALSE;

  n = lablink_sim_acquisition_get_generated (acquisition, timestamps);
  if (count != NULL)
    *count = n;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* WebSocket clients                                                         */

static SimClient *
client_ref (SimClient *client)
{
  client->ref_count++;
  return client;
}

static void
pending_frame_free (PendingFrame *frame)
{
  g_bytes_unref (frame->bytes);
  g_free (frame);
}

static void
client_release (SimClient *client)
{
  clear_source (&client->latency_source);
  clear_source (&client->drop_source);
  g_queue_clear_full (&client->pending, (GDestroyNotify) pending_frame_free);
  if (client->conn != NULL)
    {
      g_clear_signal_handler (&client->message_id, client->conn);
      g_clear_signal_handler (&client->closed_id, client->conn);
    }
}

static void
client_unref (SimClient *client)
{
  if (--client->ref_count > 0)
    return;

  client_release (client);
  g_clear_object (&client->conn);
  g_clear_object (&client->socket);
  g_free (client);
}

static gboolean
client_is_open (SimClient *client)
{
  return client->server != NULL && !client->dropping && client->conn != NULL &&
         soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN;
}

static void
note_drop (LablinkSimServer *self)
{
  if (self->refuse_ms > 0)
    self->refuse_until = g_get_monotonic_time () + (gint64) self->refuse_ms * 1000;
}

/* A dropped connection: TCP shutdown, no close frame (the peer sees 1006). */
static void
client_drop (SimClient *client)
{
  if (client->dropping || client->server == NULL)
    return;

  g_debug ("client %" G_GUINT64_FORMAT ": dropping the connection", client->id);
  client->dropping = TRUE;
  note_drop (client->server);
  clear_source (&client->latency_source);
  g_queue_clear_full (&client->pending, (GDestroyNotify) pending_frame_free);
  if (client->socket != NULL)
    g_socket_shutdown (client->socket, TRUE, TRUE, NULL);
  else if (client->conn != NULL)
    g_io_stream_close (soup_websocket_connection_get_io_stream (client->conn), NULL, NULL);
}

static void
client_close (SimClient *client,
              gushort    code)
{
  if (client_is_open (client))
    soup_websocket_connection_close (client->conn, code, NULL);
}

/* Writes one raw, unmasked WebSocket text frame: how the simulator sends
 * bytes libsoup would refuse to (non-UTF-8 text). */
static void
client_write_raw (SimClient *client,
                  GBytes    *payload)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  gsize length;
  const guint8 *data = g_bytes_get_data (payload, &length);
  guint8 header[10];
  gsize header_len;
  gssize written;

  header[0] = 0x81;
  if (length < 126)
    {
      header[1] = (guint8) length;
      header_len = 2;
    }
  else if (length <= 0xffff)
    {
      header[1] = 126;
      header[2] = (guint8) (length >> 8);
      header[3] = (guint8) length;
      header_len = 4;
    }
  else
    {
      guint i;

      header[1] = 127;
      for (i = 0; i < 8; i++)
        header[2 + i] = (guint8) ((guint64) length >> (56 - 8 * i));
      header_len = 10;
    }
  g_byte_array_append (frame, header, header_len);
  g_byte_array_append (frame, data, length);

  if (client->socket == NULL)
    return;
  written = g_socket_send_with_blocking (client->socket, (const char *) frame->data, frame->len, FALSE, NULL, NULL);
  if (written != (gssize) frame->len)
    client_drop (client);   /* a partial frame corrupts the stream anyway */
}

static void
client_write (SimClient *client,
              GBytes    *bytes,
              gboolean   raw)
{
  LablinkSimServer *self = client->server;

  if (!client_is_open (client))
    return;

  if (raw)
    client_write_raw (client, bytes);
  else
    soup_websocket_connection_send_message (client->conn, SOUP_WEBSOCKET_DATA_TEXT, bytes);

  client->n_sent++;
  if (self != NULL && self->drop_after_messages > 0 && client->n_sent >= self->drop_after_messages)
    client_drop (client);
}

static gboolean
client_latency_cb (gpointer user_data)
{
  SimClient *client = user_data;
  gint64 now = g_get_monotonic_time ();

  client_ref (client);
  g_clear_pointer (&client->latency_source, g_source_unref);

  while (!g_queue_is_empty (&client->pending) && client_is_open (client))
    {
      PendingFrame *frame = g_queue_peek_head (&client->pending);

      if (frame->due > now)
        break;
      g_queue_pop_head (&client->pending);
      client_write (client, frame->bytes, frame->raw);
      pending_frame_free (frame);
    }

  if (!g_queue_is_empty (&client->pending) && client_is_open (client))
    {
      PendingFrame *frame = g_queue_peek_head (&client->pending);
      guint delay = (guint) CLAMP ((frame->due - now + 999) / 1000, 0, G_MAXINT);

      client->latency_source = attach_timeout (client->server, delay, client_latency_cb, client,
                                               "[lablink-sim] latency");
    }

  client_unref (client);
  return G_SOURCE_REMOVE;
}

static void
client_send (SimClient *client,
             GBytes    *bytes,
             gboolean   raw)
{
  LablinkSimServer *self = client->server;

  if (!client_is_open (client))
    return;

  if (self->latency_ms == 0 && g_queue_is_empty (&client->pending))
    {
      client_write (client, bytes, raw);
      return;
    }

  {
    PendingFrame *frame = g_new0 (PendingFrame, 1);

    frame->due = g_get_monotonic_time () + (gint64) self->latency_ms * 1000;
    frame->bytes = g_bytes_ref (bytes);
    frame->raw = raw;
    g_queue_push_tail (&client->pending, frame);
  }

  if (client->latency_source == NULL)
    client->latency_source = attach_timeout (self, self->latency_ms, client_latency_cb, client,
                                             "[lablink-sim] latency");
}

static void
client_send_string (SimClient *client,
                    GString   *out)
{
  g_autoptr(GBytes) bytes = string_to_bytes (out);

  client_send (client, bytes, FALSE);
}

/* Sends @bytes to every open client; returns how many. */
static guint
broadcast (LablinkSimServer *self,
           GBytes           *bytes,
           gboolean          raw)
{
  g_autoptr(GPtrArray) snapshot = g_ptr_array_new_with_free_func ((GDestroyNotify) client_unref);
  GList *l;
  guint i, n = 0;

  for (l = self->clients; l != NULL; l = l->next)
    g_ptr_array_add (snapshot, client_ref (l->data));

  for (i = 0; i < snapshot->len; i++)
    {
      SimClient *client = g_ptr_array_index (snapshot, i);

      if (client_is_open (client))
        {
          client_send (client, bytes, raw);
          n++;
        }
    }
  return n;
}

static guint
broadcast_string (LablinkSimServer *self,
                  GString          *out)
{
  g_autoptr(GBytes) bytes = string_to_bytes (out);

  return broadcast (self, bytes, FALSE);
}

static void
update_n_clients (LablinkSimServer *self)
{
  g_mutex_lock (&self->lock);
  self->n_clients = g_list_length (self->clients);
  g_mutex_unlock (&self->lock);
}

static gboolean
reap_cb (gpointer user_data)
{
  LablinkSimServer *self = user_data;
  GList *dead = g_steal_pointer (&self->dead);

  g_clear_pointer (&self->reap_source, g_source_unref);
  g_list_free_full (dead, (GDestroyNotify) client_unref);

  /* The real server cancels every stream when its last client leaves. */
  if (self->clients == NULL && g_hash_table_size (self->streams) > 0)
    {
      g_debug ("last client gone: cancelling %u streams", g_hash_table_size (self->streams));
      g_hash_table_remove_all (self->streams);
    }
  return G_SOURCE_REMOVE;
}

static void
on_ws_closed (SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  SimClient *client = user_data;
  LablinkSimServer *self = client->server;

  if (self == NULL)
    return;

  g_debug ("client %" G_GUINT64_FORMAT ": closed (code %u)", client->id,
           soup_websocket_connection_get_close_code (conn));

  self->clients = g_list_remove (self->clients, client);
  self->closing = g_list_remove (self->closing, client);
  self->dead = g_list_prepend (self->dead, client);   /* the list's reference moves */
  client->server = NULL;
  client_release (client);
  update_n_clients (self);

  if (self->reap_source == NULL)
    {
      self->reap_source = g_idle_source_new ();
      g_source_set_name (self->reap_source, "[lablink-sim] reap");
      g_source_set_callback (self->reap_source, reap_cb, self, NULL);
      g_source_attach (self->reap_source, server_context (self));
    }
}

/* ------------------------------------------------------------------------ */
/* Streams                                                                   */

static void
stream_free (SimStream *stream)
{
  clear_source (&stream->source);
  g_free (stream->key);
  g_free (stream->equipment_id);
  g_free (stream->stream_type);
  g_free (stream->acquisition_id);
  g_free (stream);
}

static gboolean stream_fire_cb (gpointer user_data);

static void
stream_schedule (SimStream *stream,
                 guint      delay_ms)
{
  clear_source (&stream->source);
  stream->source = attach_timeout (stream->server, delay_ms, stream_fire_cb, stream, "[lablink-sim] stream");
}

static GString *
build_stream_data (LablinkSimServer     *self,
                   LablinkSimInstrument *instrument,
                   const char           *stream_type)
{
  GString *out = g_string_sized_new (512);
  LablinkSimJson w;
  gint64 now = g_get_real_time ();

  ws_writer_init (self, &w, out);
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "type", "stream_data");
  lablink_sim_json_member_string (&w, "equipment_id", lablink_sim_instrument_get_id (instrument));
  lablink_sim_json_member_string (&w, "stream_type", stream_type);
  lablink_sim_json_key (&w, "data");
  if (g_str_equal (stream_type, LABLINK_STREAM_READINGS))
    lablink_sim_instrument_write_readings (instrument, &w, 1, now);
  else if (g_str_equal (stream_type, LABLINK_STREAM_WAVEFORM))
    lablink_sim_scope_write_waveform (LABLINK_SIM_SCOPE (instrument), &w, 1, now,
                                      self->compat ? LABLINK_SIM_SCOPE_WRITE_METADATA
                                                   : LABLINK_SIM_SCOPE_WRITE_VOLTAGE_DATA);
  else
    lablink_sim_scope_write_measurements (LABLINK_SIM_SCOPE (instrument), &w, 1, now);
  lablink_sim_json_end_object (&w);
  return out;
}

static gboolean
stream_fire_cb (gpointer user_data)
{
  SimStream *stream = user_data;
  LablinkSimServer *self = stream->server;
  GString *out = NULL;

  g_clear_pointer (&stream->source, g_source_unref);

  if (stream->acquisition_id != NULL)
    {
      LablinkSimAcquisition *acquisition = lablink_sim_server_lookup_acquisition (self, stream->acquisition_id);

      if (acquisition != NULL)
        {
          LablinkSimJson w;

          out = g_string_sized_new (1024);
          ws_writer_init (self, &w, out);
          lablink_sim_acquisition_write_stream_frame (acquisition, &w, stream->num_samples);
        }
      stream_schedule (stream, stream->interval_ms);
    }
  else
    {
      LablinkSimInstrument *instrument = lablink_sim_server_get_instrument (self, stream->equipment_id);

      if (instrument != NULL)
        out = build_stream_data (self, instrument, stream->stream_type);
      stream_schedule (stream, stream->interval_ms + stream->read_ms);
    }

  /* Last: a send may end up closing a client. */
  if (out != NULL)
    broadcast_string (self, out);
  return G_SOURCE_REMOVE;
}

/* Whether the real server would produce frames for this stream. */
static gboolean
stream_supported (LablinkSimInstrument *instrument,
                  const char           *stream_type,
                  guint                *read_ms)
{
  if (instrument == NULL || stream_type == NULL)
    return FALSE;

  if (g_str_equal (stream_type, LABLINK_STREAM_READINGS))
    {
      *read_ms = READ_MS_READINGS;
      return lablink_sim_instrument_has_readings (instrument);
    }
  if (g_str_equal (stream_type, LABLINK_STREAM_WAVEFORM))
    {
      *read_ms = READ_MS_WAVEFORM;
      return LABLINK_SIM_IS_SCOPE (instrument);
    }
  if (g_str_equal (stream_type, LABLINK_STREAM_MEASUREMENTS))
    {
      *read_ms = READ_MS_MEASUREMENTS;
      return LABLINK_SIM_IS_SCOPE (instrument);
    }
  return FALSE;
}

static void
start_equipment_stream (LablinkSimServer *self,
                        const char       *equipment_id,
                        const char       *stream_type,
                        guint             interval_ms)
{
  SimStream *stream;
  LablinkSimInstrument *instrument;
  guint read_ms = 0;

  stream = g_new0 (SimStream, 1);
  stream->server = self;
  stream->key = lablink_protocol_stream_key (equipment_id, stream_type);
  stream->equipment_id = g_strdup (equipment_id);
  stream->stream_type = g_strdup (stream_type);
  stream->interval_ms = interval_ms;

  instrument = lablink_sim_server_get_instrument (self, equipment_id);
  if (stream_supported (instrument, stream_type, &read_ms))
    {
      stream->read_ms = read_ms;
      stream_schedule (stream, read_ms);
    }
  else
    g_debug ("stream %s: nothing to stream, silent", stream->key);

  g_hash_table_replace (self->streams, stream->key, stream);
}

static void
start_acquisition_stream (LablinkSimServer *self,
                          const char       *acquisition_id,
                          guint             interval_ms,
                          guint             num_samples)
{
  SimStream *stream;

  stream = g_new0 (SimStream, 1);
  stream->server = self;
  stream->key = lablink_protocol_acquisition_key (acquisition_id);
  stream->acquisition_id = g_strdup (acquisition_id);
  stream->interval_ms = interval_ms;
  stream->num_samples = num_samples;
  stream_schedule (stream, 0);

  g_hash_table_replace (self->streams, stream->key, stream);
}

/* ------------------------------------------------------------------------ */
/* Client messages                                                           */

static GString *
echo_stream_frame (LablinkSimServer *self,
                   const char       *type,
                   const char       *equipment_id,
                   const char       *stream_type)
{
  GString *out = g_string_new (NULL);
  LablinkSimJson w;

  ws_writer_init (self, &w, out);
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "type", type);
  lablink_sim_json_member_string (&w, "equipment_id", equipment_id);
  lablink_sim_json_member_string (&w, "stream_type", stream_type);
  lablink_sim_json_end_object (&w);
  return out;
}

static GString *
echo_acquisition_frame (LablinkSimServer *self,
                        const char       *type,
                        const char       *acquisition_id)
{
  GString *out = g_string_new (NULL);
  LablinkSimJson w;

  ws_writer_init (self, &w, out);
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "type", type);
  lablink_sim_json_member_string (&w, "acquisition_id", acquisition_id);
  lablink_sim_json_end_object (&w);
  return out;
}

static guint
message_uint (LablinkMessage *message,
              const char     *member,
              guint           fallback,
              guint           max)
{
  gint64 value;
  double d;

  if (lablink_message_get_int (message, member, &value))
    return (guint) CLAMP (value, 0, (gint64) max);
  if (lablink_message_get_double (message, member, &d) && isfinite (d))
    return (guint) CLAMP (d, 0.0, (double) max);
  return fallback;
}

static void
handle_message (SimClient      *client,
                LablinkMessage *message)
{
  LablinkSimServer *self = client->server;
  const char *type = lablink_message_get_type_name (message);

  if (g_str_equal (type, "ping"))
    {
      client_send_string (client, g_string_new ("{\"type\": \"pong\"}"));
    }
  else if (g_str_equal (type, "start_stream"))
    {
      const char *equipment_id = lablink_message_get_equipment_id (message);
      const char *stream_type = lablink_message_get_stream_type (message);
      guint interval_ms = message_uint (message, "interval_ms", LABLINK_DEFAULT_INTERVAL_MS, 3600 * 1000);

      if (stream_type == NULL)
        stream_type = LABLINK_STREAM_READINGS;
      /* The released LabLink 1.2.5 acknowledges such streams and then never
       * sends a frame (its JSON encoder fails on their datetimes). */
      if (equipment_id != NULL &&
          (self->silent_streams == NULL || !g_strv_contains ((const char * const *) self->silent_streams, stream_type)))
        start_equipment_stream (self, equipment_id, stream_type, interval_ms);
      client_send_string (client, echo_stream_frame (self, "stream_started", equipment_id, stream_type));
    }
  else if (g_str_equal (type, "stop_stream"))
    {
      const char *equipment_id = lablink_message_get_equipment_id (message);
      const char *stream_type = lablink_message_get_stream_type (message);

      if (stream_type == NULL)
        stream_type = LABLINK_STREAM_READINGS;
      if (equipment_id != NULL)
        {
          g_autofree char *key = lablink_protocol_stream_key (equipment_id, stream_type);

          g_hash_table_remove (self->streams, key);
        }
      client_send_string (client, echo_stream_frame (self, "stream_stopped", equipment_id, stream_type));
    }
  else if (g_str_equal (type, "start_acquisition_stream"))
    {
      const char *acquisition_id = lablink_message_get_acquisition_id (message);
      guint interval_ms = message_uint (message, "interval_ms", LABLINK_DEFAULT_INTERVAL_MS, 3600 * 1000);
      guint num_samples = message_uint (message, "num_samples", LABLINK_DEFAULT_NUM_SAMPLES,
                                        LABLINK_SIM_ACQUISITION_MAX_BUFFER);

      if (acquisition_id != NULL)
        start_acquisition_stream (self, acquisition_id, MAX (interval_ms, 1), num_samples);
      client_send_string (client, echo_acquisition_frame (self, "acquisition_stream_started", acquisition_id));
    }
  else if (g_str_equal (type, "stop_acquisition_stream"))
    {
      const char *acquisition_id = lablink_message_get_acquisition_id (message);

      if (acquisition_id != NULL)
        {
          g_autofree char *key = lablink_protocol_acquisition_key (acquisition_id);

          g_hash_table_remove (self->streams, key);
        }
      client_send_string (client, echo_acquisition_frame (self, "acquisition_stream_stopped", acquisition_id));
    }
  /* anything else: ignored, like the real server */
}

static void
on_ws_message (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *bytes,
               gpointer                 user_data)
{
  SimClient *client = user_data;
  g_autoptr(LablinkMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  if (!client_is_open (client))
    return;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      /* The real server closes on a binary frame (1000, empty reason). */
      client_close (client, SOUP_WEBSOCKET_CLOSE_NORMAL);
      return;
    }

  message = lablink_message_parse_bytes (bytes, MAX_INCOMING_PAYLOAD, &error);
  if (message == NULL)
    {
      if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_NOT_OBJECT))
        client_close (client, SOUP_WEBSOCKET_CLOSE_NORMAL);
      else if (g_error_matches (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD))
        g_debug ("client %" G_GUINT64_FORMAT ": ignoring frame: %s", client->id, error->message);
      else
        client_send_string (client, g_string_new ("{\"type\": \"error\", \"detail\": \"Invalid JSON\"}"));
      return;
    }

  client_ref (client);
  handle_message (client, message);
  client_unref (client);
}

static gboolean
client_drop_timer_cb (gpointer user_data)
{
  SimClient *client = user_data;

  g_clear_pointer (&client->drop_source, g_source_unref);
  client_drop (client);
  return G_SOURCE_REMOVE;
}

static void
on_ws_connected (SoupServer              *soup,
                 SoupServerMessage       *msg,
                 const char              *path,
                 SoupWebsocketConnection *conn,
                 gpointer                 user_data)
{
  LablinkSimServer *self = user_data;
  SimClient *client;
  GSocket *socket;

  if (self->stopped)
    {
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      return;
    }

  client = g_new0 (SimClient, 1);
  client->ref_count = 1;
  client->server = self;
  client->id = ++self->next_client_id;
  client->conn = g_object_ref (conn);
  socket = soup_server_message_get_socket (msg);
  client->socket = socket != NULL ? g_object_ref (socket) : NULL;
  g_queue_init (&client->pending);

  soup_websocket_connection_set_max_incoming_payload_size (conn, MAX_INCOMING_PAYLOAD);
  soup_websocket_connection_set_keepalive_interval (conn, 0);
  client->message_id = g_signal_connect (conn, "message", G_CALLBACK (on_ws_message), client);
  client->closed_id = g_signal_connect (conn, "closed", G_CALLBACK (on_ws_closed), client);

  if (self->drop_after_ms > 0)
    client->drop_source = attach_timeout (self, self->drop_after_ms, client_drop_timer_cb, client,
                                          "[lablink-sim] drop-after");

  self->clients = g_list_append (self->clients, client);
  update_n_clients (self);
  g_debug ("client %" G_GUINT64_FORMAT ": connected (%u open)", client->id, g_list_length (self->clients));
}

/* Runs before libsoup's handshake: refusals (503) and authentication (403). */
static void
ws_precheck (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  LablinkSimServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (self->refuse_until != 0 && g_get_monotonic_time () < self->refuse_until)
    {
      g_debug ("refusing a WebSocket upgrade (fault injection)");
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "", 0);
      soup_message_headers_replace (headers, "Connection", "close");
      return;
    }

  if (self->auth_username != NULL)
    {
      const char *token = query != NULL ? g_hash_table_lookup (query, "token") : NULL;

      if (token == NULL || !lablink_sim_server_token_is_valid (self, token))
        {
          soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
          soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "", 0);
          soup_message_headers_replace (headers, "Connection", "close");
          return;
        }
    }
  /* status left unset: libsoup goes on with the WebSocket handshake */
}

/* ------------------------------------------------------------------------ */
/* Life cycle                                                                */

/**
 * lablink_sim_server_listen:
 * @self: a server
 * @address: (nullable): an IP address (default "127.0.0.1"; "localhost" is
 *   taken as 127.0.0.1)
 * @port: the port, or 0 for a free one
 * @error: return location for a #GError
 *
 * Starts serving on the calling thread's thread-default main context.
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_sim_server_listen (LablinkSimServer  *self,
                           const char        *address,
                           guint              port,
                           GError           **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  GSList *listeners;
  g_autofree char *ip = NULL;
  guint actual_port = 0;

  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);

  if (self->soup != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "The server is already listening");
      return FALSE;
    }

  if (address == NULL || g_ascii_strcasecmp (address, "localhost") == 0)
    address = LABLINK_SIM_DEFAULT_ADDRESS;
  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address", address);
      return FALSE;
    }

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->stopped = FALSE;

  self->soup = soup_server_new ("server-header", "lablink-sim/" PACKAGE_VERSION, NULL);
  soup_server_add_handler (self->soup, NULL, lablink_sim_rest_handle, self, NULL);
  soup_server_add_handler (self->soup, "/ws", ws_precheck, self, NULL);
  soup_server_add_websocket_handler (self->soup, "/ws", NULL, NULL, on_ws_connected, self, NULL);

  socket_address = g_inet_socket_address_new (inet, (guint16) port);
  if (!soup_server_listen (self->soup, socket_address, 0, error))
    {
      g_clear_object (&self->soup);
      g_clear_pointer (&self->context, g_main_context_unref);
      return FALSE;
    }

  listeners = soup_server_get_listeners (self->soup);
  if (listeners != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);

      if (local != NULL && G_IS_INET_SOCKET_ADDRESS (local))
        actual_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    }
  g_slist_free (listeners);

  ip = g_inet_address_to_string (inet);
  self->port = actual_port;
  g_free (self->url);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    self->url = g_strdup_printf ("http://[%s]:%u", ip, actual_port);
  else
    self->url = g_strdup_printf ("http://%s:%u", ip, actual_port);

  update_hostile_source (self);
  g_debug ("serving %s", self->url);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  return TRUE;
}

/**
 * lablink_sim_server_get_url:
 * @self: a server
 *
 * Returns: (nullable): the server's URL, e.g. `http://127.0.0.1:41234`
 *   (no trailing slash), or %NULL before listen()
 */
const char *
lablink_sim_server_get_url (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), NULL);
  return self->url;
}

guint
lablink_sim_server_get_port (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), 0);
  return self->port;
}

gboolean
lablink_sim_server_is_stopped (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), TRUE);
  return self->soup == NULL;
}

/**
 * lablink_sim_server_stop:
 * @self: a server
 *
 * Stops serving: closes the listening socket and every HTTP connection,
 * closes every WebSocket (1001 "going away"), cancels streams, faults and
 * acquisitions. Idempotent. The close handshakes complete if the main
 * context keeps running; lablink_sim_server_get_n_clients() is 0 at once.
 */
void
lablink_sim_server_stop (LablinkSimServer *self)
{
  GList *clients, *l;
  guint i;

  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));

  if (self->stopped)
    return;
  self->stopped = TRUE;

  clear_source (&self->hostile_source);
  flood_stop (self);
  g_hash_table_remove_all (self->streams);
  for (i = 0; i < self->acquisition_order->len; i++)
    lablink_sim_acquisition_stop (g_ptr_array_index (self->acquisition_order, i), NULL);

  clients = g_steal_pointer (&self->clients);
  for (l = clients; l != NULL; l = l->next)
    {
      SimClient *client = l->data;

      clear_source (&client->drop_source);
      clear_source (&client->latency_source);
      g_queue_clear_full (&client->pending, (GDestroyNotify) pending_frame_free);
      if (client_is_open (client))
        soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      else if (client->socket != NULL)
        g_socket_shutdown (client->socket, TRUE, TRUE, NULL);
    }
  self->closing = g_list_concat (self->closing, clients);
  update_n_clients (self);

  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
}

/* ------------------------------------------------------------------------ */
/* Thread-safe entry points                                                  */

typedef struct
{
  LablinkSimServer *server;
  guint             a;
  guint             b;
  char             *text;
} Invocation;

static void
invocation_free (Invocation *inv)
{
  g_object_unref (inv->server);
  g_free (inv->text);
  g_free (inv);
}

static void
invoke (LablinkSimServer *self,
        GSourceFunc       func,
        guint             a,
        guint             b,
        const char       *text)
{
  Invocation *inv = g_new0 (Invocation, 1);

  inv->server = g_object_ref (self);
  inv->a = a;
  inv->b = b;
  inv->text = g_strdup (text);
  g_main_context_invoke_full (server_context (self), G_PRIORITY_DEFAULT, func, inv,
                              (GDestroyNotify) invocation_free);
}

/**
 * lablink_sim_server_get_n_clients:
 * @self: a server
 *
 * Returns: the number of open WebSocket connections. Thread-safe.
 */
guint
lablink_sim_server_get_n_clients (LablinkSimServer *self)
{
  guint n;

  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), 0);

  g_mutex_lock (&self->lock);
  n = self->n_clients;
  g_mutex_unlock (&self->lock);
  return n;
}

/* -- flood -- */

static GString *
build_flood_frame (LablinkSimServer *self,
                   guint64           seq)
{
  GString *out = g_string_sized_new (400);
  LablinkSimJson w;
  double v = 5.0 + 0.0008 * (g_rand_double (self->rand) * 2.0 - 1.0);
  double i = 0.5 + 0.0001 * (g_rand_double (self->rand) * 2.0 - 1.0);

  ws_writer_init (self, &w, out);
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "type", "stream_data");
  lablink_sim_json_member_string (&w, "equipment_id", "flood");
  lablink_sim_json_member_string (&w, "stream_type", "readings");
  lablink_sim_json_key (&w, "data");
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "equipment_id", "flood");
  lablink_sim_json_member_timestamp (&w, "timestamp", g_get_real_time ());
  lablink_sim_json_member_int (&w, "channel", 1);
  lablink_sim_json_member_double (&w, "voltage_set", 5.0);
  lablink_sim_json_member_double (&w, "current_set", 1.0);
  lablink_sim_json_member_double (&w, "voltage_actual", v);
  lablink_sim_json_member_double (&w, "current_actual", i);
  lablink_sim_json_member_boolean (&w, "output_enabled", TRUE);
  lablink_sim_json_member_boolean (&w, "in_cv_mode", TRUE);
  lablink_sim_json_member_boolean (&w, "in_cc_mode", FALSE);
  lablink_sim_json_member_int (&w, "seq", (gint64) seq);
  lablink_sim_json_end_object (&w);
  lablink_sim_json_end_object (&w);
  return out;
}

static void
flood_send (LablinkSimServer *self,
            guint64           n)
{
  while (n-- > 0 && self->flood_target > 0 && self->clients != NULL)
    {
      guint64 seq;

      g_mutex_lock (&self->lock);
      seq = ++self->flood_sent;
      g_mutex_unlock (&self->lock);

      broadcast_string (self, build_flood_frame (self, seq));
      if (self->flood_target != G_MAXUINT64)
        self->flood_target--;
    }
}

static gboolean
flood_cb (gpointer user_data)
{
  LablinkSimServer *self = user_data;
  guint64 sent_since_base;

  if (self->clients == NULL)
    {
      /* nobody listening: hold (no backlog builds up) */
      self->flood_base_mono = g_get_monotonic_time ();
      self->flood_base_sent = self->flood_sent;
      return G_SOURCE_CONTINUE;
    }

  if (self->flood_rate == 0)
    flood_send (self, 256);
  else
    {
      double elapsed = (double) (g_get_monotonic_time () - self->flood_base_mono) / G_USEC_PER_SEC;
      guint64 due = (guint64) floor (elapsed * self->flood_rate) + 1;

      sent_since_base = self->flood_sent - self->flood_base_sent;
      if (due > sent_since_base)
        flood_send (self, MIN (due - sent_since_base, 100000));
    }

  if (self->flood_target == 0)
    {
      g_debug ("flood done (%" G_GUINT64_FORMAT " frames sent in all)", self->flood_sent);
      g_clear_pointer (&self->flood_source, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
flood_stop (LablinkSimServer *self)
{
  clear_source (&self->flood_source);
  self->flood_target = 0;
}

static void
flood_start (LablinkSimServer *self,
             guint             n_frames,
             guint             rate_hz)
{
  flood_stop (self);
  if (self->stopped)
    return;

  self->flood_target = n_frames == 0 ? G_MAXUINT64 : n_frames;
  self->flood_rate = rate_hz;
  self->flood_base_mono = g_get_monotonic_time ();
  self->flood_base_sent = self->flood_sent;

  /* rate 0: batches of 256 frames every millisecond */
  self->flood_source = g_timeout_source_new (rate_hz == 0 ? 1 : (guint) CLAMP (1000 / rate_hz, 1, 50));
  g_source_set_name (self->flood_source, "[lablink-sim] flood");
  g_source_set_callback (self->flood_source, flood_cb, self, NULL);
  g_source_attach (self->flood_source, server_context (self));
}

static gboolean
flood_invoke_cb (gpointer user_data)
{
  Invocation *inv = user_data;

  flood_start (inv->server, inv->a, inv->b);
  return G_SOURCE_REMOVE;
}

/**
 * lablink_sim_server_flood:
 * @self: a server
 * @n_frames: how many frames (0 = until lablink_sim_server_stop_flood())
 * @rate_hz: frames per second (0 = as fast as possible)
 *
 * Fault: broadcasts PSU `readings` `stream_data` frames for the stream key
 * `flood_readings` (equipment id "flood"), byte-shaped like the real
 * server's, each with an extra increasing `"seq": N` (1, 2, …, global to the
 * server) at the end of `data`. Replaces a running flood. The flood only
 * advances while at least one client is connected. Thread-safe.
 */
void
lablink_sim_server_flood (LablinkSimServer *self,
                          guint             n_frames,
                          guint             rate_hz)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  invoke (self, flood_invoke_cb, n_frames, rate_hz, NULL);
}

static gboolean
flood_stop_invoke_cb (gpointer user_data)
{
  Invocation *inv = user_data;

  flood_stop (inv->server);
  return G_SOURCE_REMOVE;
}

/**
 * lablink_sim_server_stop_flood:
 * @self: a server
 *
 * Stops a flood. Thread-safe.
 */
void
lablink_sim_server_stop_flood (LablinkSimServer *self)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  invoke (self, flood_stop_invoke_cb, 0, 0, NULL);
}

/**
 * lablink_sim_server_get_flood_sent:
 * @self: a server
 *
 * Returns: how many flood frames were broadcast so far (the last `seq`).
 *   Thread-safe.
 */
guint64
lablink_sim_server_get_flood_sent (LablinkSimServer *self)
{
  guint64 n;

  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), 0);

  g_mutex_lock (&self->lock);
  n = self->flood_sent;
  g_mutex_unlock (&self->lock);
  return n;
}

/* -- hostile frames -- */

static GBytes *
build_hostile_frame (LablinkSimServer *self,
                     LablinkSimHostileKinds kind,
                     guint             variant)
{
  switch (kind)
    {
    case LABLINK_SIM_HOSTILE_BAD_JSON:
      {
        static const char * const texts[] = {
          "{\"type\": \"stream_data\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", \"data\": {\"voltage_actual\": 5.0,",
          "this is not json",
          "{\"type\": \"stream_data\" \"equipment_id\": \"ps_250e6dfe\"}",
          "",
        };
        const char *text = texts[variant % G_N_ELEMENTS (texts)];

        return g_bytes_new_static (text, strlen (text));
      }

    case LABLINK_SIM_HOSTILE_NON_UTF8:
      {
        static const char text[] =
          "{\"type\": \"stream_data\", \"equipment_id\": \"ps_\xff\xfe\xc3\x28\", \"stream_type\": \"readings\", \"data\": {}}";

        return g_bytes_new_static (text, sizeof text - 1);
      }

    case LABLINK_SIM_HOSTILE_WRONG_TYPES:
      {
        static const char * const texts[] = {
          "{\"type\": \"stream_data\", \"equipment_id\": 42, \"stream_type\": [\"readings\"], \"data\": \"not an object\"}",
          "{\"type\": \"stream_data\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", \"data\": {\"equipment_id\": \"ps_250e6dfe\", \"timestamp\": 12345, \"channel\": \"one\", \"voltage_actual\": \"5.0\", \"current_actual\": null, \"output_enabled\": \"yes\"}}",
          "{\"type\": \"acquisition_stream\", \"acquisition_id\": null, \"state\": 7, \"stats\": [], \"data\": {\"timestamps\": \"x\", \"values\": 3, \"count\": \"many\"}}",
          "{\"type\": 7, \"detail\": false}",
          "{\"type\": \"stream_data\", \"equipment_id\": \"scope_386959fc\", \"stream_type\": \"waveform\", \"data\": {\"num_samples\": -5, \"voltage_data\": [1, \"two\", null, {}]}}",
        };
        const char *text = texts[variant % G_N_ELEMENTS (texts)];

        return g_bytes_new_static (text, strlen (text));
      }

    case LABLINK_SIM_HOSTILE_UNKNOWN_TYPE:
      {
        static const char text[] = "{\"type\": \"sim_mystery_event\", \"payload\": {\"x\": 1, \"y\": [true, null]}}";

        return g_bytes_new_static (text, sizeof text - 1);
      }

    case LABLINK_SIM_HOSTILE_DEEP_NESTING:
    default:
      {
        GString *out = g_string_sized_new (2 * HOSTILE_NESTING_DEPTH + 128);
        guint i;

        g_string_append (out, "{\"type\": \"stream_data\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", \"data\": ");
        for (i = 0; i < HOSTILE_NESTING_DEPTH; i++)
          g_string_append_c (out, '[');
        for (i = 0; i < HOSTILE_NESTING_DEPTH; i++)
          g_string_append_c (out, ']');
        g_string_append_c (out, '}');
        return string_to_bytes (out);
      }
    }
}

static gboolean
hostile_cb (gpointer user_data)
{
  LablinkSimServer *self = user_data;
  guint i;

  if (self->clients == NULL)
    return G_SOURCE_CONTINUE;

  for (i = 0; i < 5; i++)
    {
      LablinkSimHostileKinds kind = 1u << ((self->hostile_index + i) % 5);

      if (self->hostile_kinds & kind)
        {
          g_autoptr(GBytes) bytes = build_hostile_frame (self, kind, (self->hostile_index + i) / 5);

          self->hostile_index += i + 1;
          broadcast (self, bytes, kind == LABLINK_SIM_HOSTILE_NON_UTF8);
          break;
        }
    }
  return G_SOURCE_CONTINUE;
}

static void
update_hostile_source (LablinkSimServer *self)
{
  clear_source (&self->hostile_source);
  if (self->hostile_rate > 0.0 && !self->stopped)
    self->hostile_source = attach_timeout (self, (guint) CLAMP (1000.0 / self->hostile_rate, 1.0, 3600e3),
                                           hostile_cb, self, "[lablink-sim] hostile");
}

/* -- events -- */

static void
write_alarm_event_data (LablinkSimServer *self,
                        LablinkSimJson   *w,
                        const char       *event_id)
{
  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "event_id", event_id);
  lablink_sim_json_member_string (w, "alarm_id", "alarm_51300001");
  lablink_sim_json_member_string (w, "alarm_name", "sim-overvoltage");
  lablink_sim_json_member_string (w, "severity", "warning");
  lablink_sim_json_member_string (w, "state", "active");
  lablink_sim_json_member_string (w, "equipment_id", "ps_250e6dfe");
  lablink_sim_json_member_string (w, "parameter", "voltage");
  lablink_sim_json_member_double (w, "value", 5.0);
  lablink_sim_json_member_double (w, "threshold", 4.0);
  lablink_sim_json_member_string (w, "message", "Alarm: sim-overvoltage - voltage = 5.0");
  lablink_sim_json_member_timestamp (w, "timestamp", g_get_real_time ());
  lablink_sim_json_end_object (w);
}

/* Builds a realistic frame for an unsolicited event type (shapes from the
 * real server where it was observed), or a generic one with @data. */
static GString *
build_event_frame (LablinkSimServer *self,
                   const char       *type,
                   JsonNode         *data)
{
  GString *out = g_string_new (NULL);
  LablinkSimJson w;
  gint64 now = g_get_real_time ();

  ws_writer_init (self, &w, out);
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "type", type);

  if (data != NULL)
    {
      lablink_sim_json_key (&w, "data");
      lablink_sim_json_node (&w, data);
    }
  else if (g_str_equal (type, "alarm"))
    {
      g_free (self->last_event_id);
      self->last_event_id = lablink_sim_server_new_hex_id (self, "event");
      lablink_sim_json_member_string (&w, "severity", "warning");
      lablink_sim_json_member_string (&w, "event_id", self->last_event_id);
      lablink_sim_json_member_string (&w, "alarm_id", "alarm_51300001");
      lablink_sim_json_member_string (&w, "alarm_name", "sim-overvoltage");
      lablink_sim_json_member_string (&w, "message", "Alarm: sim-overvoltage - voltage = 5.0");
      lablink_sim_json_member_string (&w, "equipment_id", "ps_250e6dfe");
      lablink_sim_json_member_string (&w, "parameter", "voltage");
      lablink_sim_json_member_double (&w, "value", 5.0);
      lablink_sim_json_member_double (&w, "threshold", 4.0);
      lablink_sim_json_member_timestamp (&w, "triggered_at", now);
      lablink_sim_json_member_string (&w, "state", "active");
    }
  else if (g_str_equal (type, "alarm_event"))
    {
      g_free (self->last_event_id);
      self->last_event_id = lablink_sim_server_new_hex_id (self, "event");
      lablink_sim_json_key (&w, "data");
      write_alarm_event_data (self, &w, self->last_event_id);
    }
  else if (g_str_equal (type, "alarm_updated"))
    {
      if (self->last_event_id == NULL)
        self->last_event_id = lablink_sim_server_new_hex_id (self, "event");
      lablink_sim_json_key (&w, "data");
      lablink_sim_json_begin_object (&w);
      lablink_sim_json_member_string (&w, "event_id", self->last_event_id);
      lablink_sim_json_member_string (&w, "state", "acknowledged");
      lablink_sim_json_member_timestamp (&w, "acknowledged_at", now);
      lablink_sim_json_member_string (&w, "acknowledged_by", "lablink-sim");
      lablink_sim_json_end_object (&w);
    }
  else if (g_str_equal (type, "alarm_cleared"))
    {
      if (self->last_event_id == NULL)
        self->last_event_id = lablink_sim_server_new_hex_id (self, "event");
      lablink_sim_json_key (&w, "data");
      lablink_sim_json_begin_object (&w);
      lablink_sim_json_member_string (&w, "event_id", self->last_event_id);
      lablink_sim_json_end_object (&w);
    }
  else if (g_str_has_prefix (type, "job_"))
    {
      const char *status = "scheduled";

      if (self->last_job_id == NULL || g_str_equal (type, "job_created"))
        {
          g_free (self->last_job_id);
          self->last_job_id = lablink_sim_server_new_hex_id (self, "job");
        }
      if (g_str_equal (type, "job_started"))
        status = "running";
      else if (g_str_equal (type, "job_completed"))
        status = "completed";
      else if (g_str_equal (type, "job_failed"))
        status = "failed";
      else if (g_str_equal (type, "job_deleted"))
        status = "deleted";

      lablink_sim_json_key (&w, "data");
      lablink_sim_json_begin_object (&w);
      lablink_sim_json_member_string (&w, "job_id", self->last_job_id);
      lablink_sim_json_member_string (&w, "name", "sim-measure");
      lablink_sim_json_member_string (&w, "equipment_id", "ps_250e6dfe");
      lablink_sim_json_member_string (&w, "status", status);
      if (g_str_equal (type, "job_failed"))
        lablink_sim_json_member_string (&w, "error", "Simulated failure");
      lablink_sim_json_member_timestamp (&w, "timestamp", now);
      lablink_sim_json_end_object (&w);
    }
  else if (g_str_equal (type, "discovery_progress"))
    {
      lablink_sim_json_key (&w, "data");
      lablink_sim_json_begin_object (&w);
      lablink_sim_json_member_double (&w, "progress", 0.5);
      lablink_sim_json_member_int (&w, "devices_found", self->instruments->len);
      lablink_sim_json_member_string (&w, "message", "Scanning MOCK resources");
      lablink_sim_json_end_object (&w);
    }
  else
    {
      lablink_sim_json_key (&w, "data");
      lablink_sim_json_begin_object (&w);
      lablink_sim_json_member_timestamp (&w, "timestamp", now);
      lablink_sim_json_end_object (&w);
    }

  lablink_sim_json_end_object (&w);
  return out;
}

guint
lablink_sim_server_emit_event_frame (LablinkSimServer *self,
                                     const char       *type,
                                     JsonNode         *data)
{
  return broadcast_string (self, build_event_frame (self, type, data));
}

static gboolean
event_invoke_cb (gpointer user_data)
{
  Invocation *inv = user_data;

  lablink_sim_server_emit_event_frame (inv->server, inv->text, NULL);
  return G_SOURCE_REMOVE;
}

/**
 * lablink_sim_server_emit_event:
 * @self: a server
 * @type: an unsolicited message type: `alarm`, `alarm_event`,
 *   `alarm_updated`, `alarm_cleared`, `job_created`, `job_updated`,
 *   `job_deleted`, `job_started`, `job_completed`, `job_failed`,
 *   `discovery_progress` (anything else gets a generic `data`)
 *
 * Broadcasts an unsolicited event frame to every client. Thread-safe.
 */
void
lablink_sim_server_emit_event (LablinkSimServer *self,
                               const char       *type)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  g_return_if_fail (type != NULL);
  invoke (self, event_invoke_cb, 0, 0, type);
}

static gboolean
broadcast_invoke_cb (gpointer user_data)
{
  Invocation *inv = user_data;

  broadcast_string (inv->server, g_string_new (inv->text));
  return G_SOURCE_REMOVE;
}

/**
 * lablink_sim_server_broadcast_text:
 * @self: a server
 * @text: UTF-8 text
 *
 * Broadcasts @text as a text frame to every client, as is. Thread-safe.
 */
void
lablink_sim_server_broadcast_text (LablinkSimServer *self,
                                   const char       *text)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  g_return_if_fail (text != NULL && g_utf8_validate (text, -1, NULL));
  invoke (self, broadcast_invoke_cb, 0, 0, text);
}

guint
lablink_sim_server_drop_all (LablinkSimServer *self,
                             gboolean          abrupt,
                             gushort           code)
{
  g_autoptr(GPtrArray) snapshot = g_ptr_array_new_with_free_func ((GDestroyNotify) client_unref);
  GList *l;
  guint i;

  for (l = self->clients; l != NULL; l = l->next)
    g_ptr_array_add (snapshot, client_ref (l->data));

  if (snapshot->len > 0)
    note_drop (self);
  for (i = 0; i < snapshot->len; i++)
    {
      SimClient *client = g_ptr_array_index (snapshot, i);

      if (abrupt)
        client_drop (client);
      else
        client_close (client, code);
    }
  return snapshot->len;
}

static gboolean
drop_invoke_cb (gpointer user_data)
{
  Invocation *inv = user_data;

  lablink_sim_server_drop_all (inv->server, TRUE, 0);
  return G_SOURCE_REMOVE;
}

/**
 * lablink_sim_server_drop_connections:
 * @self: a server
 *
 * Drops every WebSocket connection now (TCP shutdown, no close frame) and
 * starts the refusal window of #LablinkSimServer:refuse-ms. Thread-safe.
 */
void
lablink_sim_server_drop_connections (LablinkSimServer *self)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  invoke (self, drop_invoke_cb, 0, 0, NULL);
}

/* -- introspection for the debug REST routes -- */

void
lablink_sim_server_write_faults (LablinkSimServer *self,
                                 LablinkSimJson   *w)
{
  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_int (w, "drop_after_messages", self->drop_after_messages);
  lablink_sim_json_member_int (w, "drop_after_ms", self->drop_after_ms);
  lablink_sim_json_member_int (w, "refuse_ms", self->refuse_ms);
  lablink_sim_json_member_int (w, "latency_ms", self->latency_ms);
  lablink_sim_json_member_double (w, "hostile_rate", self->hostile_rate);
  lablink_sim_json_member_int (w, "hostile_kinds", self->hostile_kinds);
  lablink_sim_json_end_object (w);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

void
lablink_sim_server_write_sim_status (LablinkSimServer *self,
                                     LablinkSimJson   *w)
{
  GHashTableIter iter;
  gpointer key;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  guint i;

  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_int (w, "clients", g_list_length (self->clients));
  lablink_sim_json_key (w, "streams");
  lablink_sim_json_begin_array (w);
  for (i = 0; i < keys->len; i++)
    lablink_sim_json_string (w, g_ptr_array_index (keys, i));
  lablink_sim_json_end_array (w);
  lablink_sim_json_member_int (w, "flood_sent", (gint64) lablink_sim_server_get_flood_sent (self));
  lablink_sim_json_member_boolean (w, "flood_running", self->flood_source != NULL);
  lablink_sim_json_member_boolean (w, "lablink_compat", self->compat);
  lablink_sim_json_member_boolean (w, "security_enabled", self->auth_username != NULL);
  lablink_sim_json_member_int (w, "seed", self->seed);
  lablink_sim_json_key (w, "faults");
  lablink_sim_server_write_faults (self, w);
  lablink_sim_json_end_object (w);
}
