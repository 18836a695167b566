/* lablink-sim-server.c — the simulated LabLink server: the object, its
 * options, listening and stopping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <lablink.h>

#include "lablink-sim-load.h"
#include "lablink-sim-psu.h"
#include "lablink-sim-scope.h"
#include "lablink-sim-server-private.h"

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
  PROP_LOCKS_ENABLED,
  PROP_PORT,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

GSource *
lablink_sim_server_attach_timeout (LablinkSimServer *self,
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

void
lablink_sim_clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

GMainContext *
lablink_sim_server_get_context (LablinkSimServer *self)
{
  return self->context != NULL ? self->context : g_main_context_get_thread_default ();
}

/* Python-style (WebSocket) writer */
void
lablink_sim_server_init_ws_writer (LablinkSimServer *self,
                                   LablinkSimJson   *w,
                                   GString          *out)
{
  lablink_sim_json_init (w, out, LABLINK_SIM_JSON_PYTHON, self->compat);
}

GBytes *
lablink_sim_string_to_bytes (GString *out)
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
    case PROP_LOCKS_ENABLED:
      g_value_set_boolean (value, self->locks_enabled);
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
    case PROP_LOCKS_ENABLED:
      lablink_sim_server_set_locks_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_sim_server_dispose (GObject *object)
{
  LablinkSimServer *self = LABLINK_SIM_SERVER (object);

  lablink_sim_server_stop (self);

  lablink_sim_server_free_clients (self);

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
  g_clear_object (&self->tls_certificate);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->instruments, g_ptr_array_unref);
  g_clear_pointer (&self->acquisition_order, g_ptr_array_unref);
  g_clear_pointer (&self->acquisitions, g_hash_table_unref);
  g_clear_pointer (&self->streams, g_hash_table_unref);
  g_clear_pointer (&self->access_tokens, g_hash_table_unref);
  g_clear_pointer (&self->refresh_tokens, g_hash_table_unref);
  lablink_sim_server_clear_locks (self);
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
  /**
   * LablinkSimServer:locks-enabled:
   *
   * Enforce equipment locks as LabLink 1.2.5 does by default
   * (`enable_equipment_locks`): control commands need a `session_id`
   * holding the instrument's exclusive lock. The lock routes answer either way.
   */
  properties[PROP_LOCKS_ENABLED] =
    g_param_spec_boolean ("locks-enabled", NULL, NULL, TRUE,
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
  lablink_sim_server_init_locks (self);

  self->instruments = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->instruments, lablink_sim_scope_new (NULL, 1));
  g_ptr_array_add (self->instruments, lablink_sim_psu_new (NULL, 2));
  g_ptr_array_add (self->instruments, lablink_sim_load_new (NULL, 3));

  self->acquisition_order = g_ptr_array_new_with_free_func (g_object_unref);
  self->acquisitions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->streams = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) lablink_sim_stream_free);
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
 * lablink_sim_server_set_stamp_send_time:
 * @self: a #LablinkSimServer
 * @stamp: whether to stamp stream frames
 *
 * Adds a top-level `"sent_at_us"` (wall clock, µs since the epoch) to each
 * stream frame as it leaves, a member real servers do not send: the
 * monitor's demo measures the time from send to screen with it. Off by
 * default: the frames are the real server's, byte for byte.
 */
void
lablink_sim_server_set_stamp_send_time (LablinkSimServer *self,
                                        gboolean          stamp)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  self->stamp_send_time = !!stamp;
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

/**
 * lablink_sim_server_set_acquisition_stall_ms:
 * @self: a server
 * @ms: 0 to disable
 *
 * Fault, as a loaded server: an acquisition stream sends nothing for @ms
 * after its acquisition's first sample, then its frames as usual (each the
 * latest window, so the first does not reach back to the start when @ms is
 * longer than a window).
 */
void
lablink_sim_server_set_acquisition_stall_ms (LablinkSimServer *self,
                                             guint             ms)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  self->acquisition_stall_ms = ms;
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
  kinds &= LABLINK_SIM_HOSTILE_ALL | LABLINK_SIM_HOSTILE_BIG_FRAMES;
  self->hostile_kinds = kinds != 0 ? kinds : LABLINK_SIM_HOSTILE_ALL;
  if (self->soup != NULL)
    lablink_sim_server_update_hostile (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOSTILE_RATE]);
}

double
lablink_sim_server_get_hostile_rate (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), 0.0);
  return self->hostile_rate;
}

/**
 * lablink_sim_server_set_locks_enabled:
 * @self: a server
 * @enabled: whether control commands need the instrument's exclusive lock
 *
 * On by default, as on a real LabLink 1.2.5 server.
 */
void
lablink_sim_server_set_locks_enabled (LablinkSimServer *self,
                                      gboolean          enabled)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));

  enabled = !!enabled;
  if (self->locks_enabled == enabled)
    return;
  self->locks_enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKS_ENABLED]);
}

gboolean
lablink_sim_server_get_locks_enabled (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), FALSE);
  return self->locks_enabled;
}

/**
 * lablink_sim_server_set_tls_certificate:
 * @self: a server, not listening yet
 * @certificate: (nullable): a certificate with its private key, or %NULL
 *
 * Serves TLS with @certificate: the REST API on https:// and the
 * WebSocket on wss://, on the same port.
 */
void
lablink_sim_server_set_tls_certificate (LablinkSimServer *self,
                                        GTlsCertificate  *certificate)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));
  g_return_if_fail (self->soup == NULL);

  g_set_object (&self->tls_certificate, certificate);
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

  self->soup = soup_server_new ("server-header", "lablink-sim/" PACKAGE_VERSION,
                                "tls-certificate", self->tls_certificate, NULL);
  soup_server_add_handler (self->soup, NULL, lablink_sim_rest_handle, self, NULL);
  soup_server_add_handler (self->soup, "/ws", lablink_sim_server_ws_precheck, self, NULL);
  soup_server_add_websocket_handler (self->soup, "/ws", NULL, NULL, lablink_sim_server_ws_connected, self, NULL);

  socket_address = g_inet_socket_address_new (inet, (guint16) port);
  if (!soup_server_listen (self->soup, socket_address,
                           self->tls_certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
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
    self->url = g_strdup_printf ("%s://[%s]:%u", self->tls_certificate ? "https" : "http", ip, actual_port);
  else
    self->url = g_strdup_printf ("%s://%s:%u", self->tls_certificate ? "https" : "http", ip, actual_port);

  lablink_sim_server_update_hostile (self);
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
  guint i;

  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));

  if (self->stopped)
    return;
  self->stopped = TRUE;

  lablink_sim_clear_source (&self->hostile_source);
  lablink_sim_server_cancel_flood (self);
  g_hash_table_remove_all (self->streams);
  for (i = 0; i < self->acquisition_order->len; i++)
    lablink_sim_acquisition_stop (g_ptr_array_index (self->acquisition_order, i), NULL);

  lablink_sim_server_close_clients (self);

  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
}

/* ------------------------------------------------------------------------ */
/* Running on the server's main context, from any thread                    */

static void
sim_invocation_free (SimInvocation *inv)
{
  g_object_unref (inv->server);
  g_free (inv->text);
  g_free (inv);
}

void
lablink_sim_server_invoke (LablinkSimServer *self,
                           GSourceFunc       func,
                           guint             a,
                           guint             b,
                           const char       *text)
{
  SimInvocation *inv = g_new0 (SimInvocation, 1);

  inv->server = g_object_ref (self);
  inv->a = a;
  inv->b = b;
  inv->text = g_strdup (text);
  g_main_context_invoke_full (lablink_sim_server_get_context (self), G_PRIORITY_DEFAULT, func, inv,
                              (GDestroyNotify) sim_invocation_free);
}

/* ------------------------------------------------------------------------ */
/* Introspection for the debug REST routes                                   */

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
  lablink_sim_json_key (w, "locks");
  lablink_sim_locks_write_sim_status (self, w);
  lablink_sim_json_end_object (w);
}
