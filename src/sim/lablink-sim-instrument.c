/* lablink-sim-instrument.c — the base class of the simulated instruments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "lablink-sim-instrument.h"

/**
 * LablinkSimInstrument:
 *
 * What every simulated instrument shares: its identity as LabLink lists it
 * (id, type, model, serial number, resource string), a seeded random
 * generator for its noise, and the simulated time base. Subclasses provide
 * the physics through the class vfuncs.
 */
typedef struct
{
  char   *id;
  char   *resource_string;
  char   *model;
  char   *manufacturer;
  char   *serial_number;
  char   *connection_type;
  char   *firmware_version;
  GRand  *rand;
  gint64  epoch_usec;
  double  spare_gauss;
  gboolean has_spare_gauss;
} LablinkSimInstrumentPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (LablinkSimInstrument, lablink_sim_instrument, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_RESOURCE_STRING,
  PROP_MODEL,
  PROP_MANUFACTURER,
  PROP_SERIAL_NUMBER,
  PROP_CONNECTION_TYPE,
  PROP_FIRMWARE_VERSION,
  PROP_SEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * lablink_sim_instrument_compute_id:
 * @prefix: the type prefix ("ps", "scope", "load")
 * @resource_string: the VISA-like resource string (`MOCK::PSU::0`)
 *
 * Computes an equipment id the way LabLink does: the prefix, an underscore
 * and the first 8 hex digits of the SHA-256 of the resource string.
 *
 * Returns: (transfer full): the id
 */
char *
lablink_sim_instrument_compute_id (const char *prefix,
                                   const char *resource_string)
{
  g_autoptr(GChecksum) checksum = NULL;
  const char *digest;

  g_return_val_if_fail (prefix != NULL && resource_string != NULL, NULL);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) resource_string, (gssize) strlen (resource_string));
  digest = g_checksum_get_string (checksum);

  return g_strdup_printf ("%s_%.8s", prefix, digest);
}

static void
lablink_sim_instrument_constructed (GObject *object)
{
  LablinkSimInstrument *self = LABLINK_SIM_INSTRUMENT (object);
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);
  LablinkSimInstrumentClass *klass = LABLINK_SIM_INSTRUMENT_GET_CLASS (self);

  G_OBJECT_CLASS (lablink_sim_instrument_parent_class)->constructed (object);

  if (priv->resource_string == NULL)
    priv->resource_string = g_strdup ("MOCK::UNKNOWN::0");
  priv->id = lablink_sim_instrument_compute_id (klass->id_prefix != NULL ? klass->id_prefix : "dev",
                                                priv->resource_string);
  if (priv->serial_number == NULL)
    priv->serial_number = g_strdup_printf ("MOCK%08X", g_rand_int (priv->rand));
}

static void
lablink_sim_instrument_finalize (GObject *object)
{
  LablinkSimInstrument *self = LABLINK_SIM_INSTRUMENT (object);
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  g_clear_pointer (&priv->id, g_free);
  g_clear_pointer (&priv->resource_string, g_free);
  g_clear_pointer (&priv->model, g_free);
  g_clear_pointer (&priv->manufacturer, g_free);
  g_clear_pointer (&priv->serial_number, g_free);
  g_clear_pointer (&priv->connection_type, g_free);
  g_clear_pointer (&priv->firmware_version, g_free);
  g_clear_pointer (&priv->rand, g_rand_free);

  G_OBJECT_CLASS (lablink_sim_instrument_parent_class)->finalize (object);
}

static void
lablink_sim_instrument_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  LablinkSimInstrument *self = LABLINK_SIM_INSTRUMENT (object);
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, priv->id);
      break;
    case PROP_RESOURCE_STRING:
      g_value_set_string (value, priv->resource_string);
      break;
    case PROP_MODEL:
      g_value_set_string (value, priv->model);
      break;
    case PROP_MANUFACTURER:
      g_value_set_string (value, priv->manufacturer);
      break;
    case PROP_SERIAL_NUMBER:
      g_value_set_string (value, priv->serial_number);
      break;
    case PROP_CONNECTION_TYPE:
      g_value_set_string (value, priv->connection_type);
      break;
    case PROP_FIRMWARE_VERSION:
      g_value_set_string (value, priv->firmware_version);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_sim_instrument_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  LablinkSimInstrument *self = LABLINK_SIM_INSTRUMENT (object);
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_RESOURCE_STRING:
      g_free (priv->resource_string);
      priv->resource_string = g_value_dup_string (value);
      break;
    case PROP_MODEL:
      g_free (priv->model);
      priv->model = g_value_dup_string (value);
      break;
    case PROP_MANUFACTURER:
      g_free (priv->manufacturer);
      priv->manufacturer = g_value_dup_string (value);
      break;
    case PROP_SERIAL_NUMBER:
      g_free (priv->serial_number);
      priv->serial_number = g_value_dup_string (value);
      break;
    case PROP_CONNECTION_TYPE:
      g_free (priv->connection_type);
      priv->connection_type = g_value_dup_string (value);
      break;
    case PROP_FIRMWARE_VERSION:
      g_free (priv->firmware_version);
      priv->firmware_version = g_value_dup_string (value);
      break;
    case PROP_SEED:
      lablink_sim_instrument_set_seed (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
default_lookup_channel (LablinkSimInstrument *self,
                        const char           *name,
                        guint                *index)
{
  return FALSE;
}

static double
default_sample (LablinkSimInstrument *self,
                guint                 index,
                double                t)
{
  return NAN;
}

static gboolean
default_execute (LablinkSimInstrument *self,
                 const char           *action,
                 JsonObject           *parameters,
                 LablinkSimJson       *data,
                 GError              **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Unknown command: %s", action);
  return FALSE;
}

static void
lablink_sim_instrument_class_init (LablinkSimInstrumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lablink_sim_instrument_constructed;
  object_class->finalize = lablink_sim_instrument_finalize;
  object_class->get_property = lablink_sim_instrument_get_property;
  object_class->set_property = lablink_sim_instrument_set_property;

  klass->lookup_channel = default_lookup_channel;
  klass->sample = default_sample;
  klass->execute = default_execute;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESOURCE_STRING] =
    g_param_spec_string ("resource-string", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MANUFACTURER] =
    g_param_spec_string ("manufacturer", NULL, NULL, "Mock Instruments",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERIAL_NUMBER] =
    g_param_spec_string ("serial-number", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION_TYPE] =
    g_param_spec_string ("connection-type", NULL, NULL, "usb",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIRMWARE_VERSION] =
    g_param_spec_string ("firmware-version", NULL, NULL, "v1.0.0-mock",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Construct property so the generator exists before constructed(). */
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_WRITABLE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lablink_sim_instrument_init (LablinkSimInstrument *self)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  priv->rand = g_rand_new_with_seed (0);
  priv->epoch_usec = g_get_real_time ();
}

const char *
lablink_sim_instrument_get_id (LablinkSimInstrument *self)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), NULL);
  return priv->id;
}

const char *
lablink_sim_instrument_get_type_name (LablinkSimInstrument *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), NULL);
  return LABLINK_SIM_INSTRUMENT_GET_CLASS (self)->type_name;
}

const char *
lablink_sim_instrument_get_resource_string (LablinkSimInstrument *self)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), NULL);
  return priv->resource_string;
}

const char *
lablink_sim_instrument_get_model (LablinkSimInstrument *self)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), NULL);
  return priv->model;
}

const char *
lablink_sim_instrument_get_manufacturer (LablinkSimInstrument *self)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), NULL);
  return priv->manufacturer;
}

const char *
lablink_sim_instrument_get_serial_number (LablinkSimInstrument *self)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), NULL);
  return priv->serial_number;
}

const char *
lablink_sim_instrument_get_connection_type (LablinkSimInstrument *self)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), NULL);
  return priv->connection_type;
}

const char *
lablink_sim_instrument_get_firmware_version (LablinkSimInstrument *self)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), NULL);
  return priv->firmware_version;
}

/**
 * lablink_sim_instrument_set_seed:
 * @self: an instrument
 * @seed: the seed of the noise generator
 *
 * Reseeds the instrument's noise: the same seed and the same sequence of
 * reads give the same values.
 */
void
lablink_sim_instrument_set_seed (LablinkSimInstrument *self,
                                 guint32               seed)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  g_return_if_fail (LABLINK_SIM_IS_INSTRUMENT (self));

  g_rand_set_seed (priv->rand, seed);
  priv->has_spare_gauss = FALSE;
}

GRand *
lablink_sim_instrument_get_rand (LablinkSimInstrument *self)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), NULL);
  return priv->rand;
}

/**
 * lablink_sim_instrument_gauss:
 * @self: an instrument
 * @sigma: the standard deviation
 *
 * Returns: a normally distributed value of mean 0 (Box–Muller, from the
 *   instrument's seeded generator)
 */
double
lablink_sim_instrument_gauss (LablinkSimInstrument *self,
                              double                sigma)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);
  double u1, u2, r;

  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), 0.0);

  if (sigma <= 0.0)
    return 0.0;

  if (priv->has_spare_gauss)
    {
      priv->has_spare_gauss = FALSE;
      return priv->spare_gauss * sigma;
    }

  do
    u1 = g_rand_double (priv->rand);
  while (u1 <= DBL_MIN);
  u2 = g_rand_double (priv->rand);

  r = sqrt (-2.0 * log (u1));
  priv->spare_gauss = r * sin (2.0 * G_PI * u2);
  priv->has_spare_gauss = TRUE;
  return r * cos (2.0 * G_PI * u2) * sigma;
}

/**
 * lablink_sim_instrument_time:
 * @self: an instrument
 * @unix_usec: a wall-clock time
 *
 * Returns: the simulated time in seconds (since the instrument was created)
 */
double
lablink_sim_instrument_time (LablinkSimInstrument *self,
                             gint64                unix_usec)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), 0.0);
  return (double) (unix_usec - priv->epoch_usec) / (double) G_USEC_PER_SEC;
}

gint64
lablink_sim_instrument_get_epoch (LablinkSimInstrument *self)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), 0);
  return priv->epoch_usec;
}

/**
 * lablink_sim_instrument_write_list_entry:
 * @self: an instrument
 * @w: a writer
 *
 * Writes the instrument's entry of `GET /api/equipment/list`.
 */
void
lablink_sim_instrument_write_list_entry (LablinkSimInstrument *self,
                                         LablinkSimJson       *w)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);

  g_return_if_fail (LABLINK_SIM_IS_INSTRUMENT (self));

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "id", priv->id);
  lablink_sim_json_member_string (w, "type", lablink_sim_instrument_get_type_name (self));
  lablink_sim_json_member_string (w, "manufacturer", priv->manufacturer);
  lablink_sim_json_member_string (w, "model", priv->model);
  lablink_sim_json_member_string (w, "serial_number", priv->serial_number);
  lablink_sim_json_member_string (w, "connection_type", priv->connection_type);
  lablink_sim_json_member_string (w, "resource_string", priv->resource_string);
  lablink_sim_json_member_null (w, "nickname");
  lablink_sim_json_end_object (w);
}

/**
 * lablink_sim_instrument_write_status:
 * @self: an instrument
 * @w: a writer
 *
 * Writes `GET /api/equipment/{id}/status`.
 */
void
lablink_sim_instrument_write_status (LablinkSimInstrument *self,
                                     LablinkSimJson       *w)
{
  LablinkSimInstrumentPrivate *priv = lablink_sim_instrument_get_instance_private (self);
  LablinkSimInstrumentClass *klass;
  static const char * const null_members[] = {
    "temperature_celsius", "operating_hours", "error_code", "error_message",
    "last_calibration_date", "calibration_due_date", "calibration_status",
    "self_test_status", "self_test_last_run", "health_score",
  };
  gsize i;

  g_return_if_fail (LABLINK_SIM_IS_INSTRUMENT (self));
  klass = LABLINK_SIM_INSTRUMENT_GET_CLASS (self);

  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_string (w, "id", priv->id);
  lablink_sim_json_member_boolean (w, "connected", TRUE);
  lablink_sim_json_member_null (w, "error");
  lablink_sim_json_member_string (w, "firmware_version", priv->firmware_version);
  lablink_sim_json_key (w, "capabilities");
  if (klass->write_capabilities != NULL)
    klass->write_capabilities (self, w);
  else
    {
      lablink_sim_json_begin_object (w);
      lablink_sim_json_end_object (w);
    }
  for (i = 0; i < G_N_ELEMENTS (null_members); i++)
    lablink_sim_json_member_null (w, null_members[i]);
  lablink_sim_json_key (w, "last_error_messages");
  lablink_sim_json_begin_array (w);
  lablink_sim_json_end_array (w);
  lablink_sim_json_end_object (w);
}

gboolean
lablink_sim_instrument_has_readings (LablinkSimInstrument *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), FALSE);
  return LABLINK_SIM_INSTRUMENT_GET_CLASS (self)->write_readings != NULL;
}

/**
 * lablink_sim_instrument_write_readings:
 * @self: an instrument
 * @w: a writer
 * @channel: the channel (1-based; instruments with one channel ignore it)
 * @unix_usec: the time of the reading
 *
 * Reads the instrument (advancing its noise) and writes the readings object.
 *
 * Returns: %FALSE if the instrument has no readings (nothing written)
 */
gboolean
lablink_sim_instrument_write_readings (LablinkSimInstrument *self,
                                       LablinkSimJson       *w,
                                       guint                 channel,
                                       gint64                unix_usec)
{
  LablinkSimInstrumentClass *klass;

  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), FALSE);
  klass = LABLINK_SIM_INSTRUMENT_GET_CLASS (self);

  if (klass->write_readings == NULL)
    return FALSE;
  return klass->write_readings (self, w, channel, unix_usec);
}

/**
 * lablink_sim_instrument_execute:
 * @self: an instrument
 * @action: the command's action
 * @parameters: (nullable): the command's parameters
 * @data: a writer for the command's result (nothing written = `null`)
 * @error: return location for a #GError
 *
 * Runs a command of `POST /api/equipment/{id}/command`. Unknown actions fail
 * with %G_IO_ERROR_NOT_SUPPORTED, bad parameters with
 * %G_IO_ERROR_INVALID_ARGUMENT.
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_sim_instrument_execute (LablinkSimInstrument *self,
                                const char           *action,
                                JsonObject           *parameters,
                                LablinkSimJson       *data,
                                GError              **error)
{
  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  return LABLINK_SIM_INSTRUMENT_GET_CLASS (self)->execute (self, action, parameters, data, error);
}

/**
 * lablink_sim_instrument_lookup_channel:
 * @self: an instrument
 * @name: an acquisition channel name, e.g. "CH1"
 * @index: (out): the channel's index for lablink_sim_instrument_sample()
 *
 * Returns: %TRUE if the instrument has that channel
 */
gboolean
lablink_sim_instrument_lookup_channel (LablinkSimInstrument *self,
                                       const char           *name,
                                       guint                *index)
{
  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), FALSE);
  g_return_val_if_fail (name != NULL && index != NULL, FALSE);

  return LABLINK_SIM_INSTRUMENT_GET_CLASS (self)->lookup_channel (self, name, index);
}

/**
 * lablink_sim_instrument_sample:
 * @self: an instrument
 * @index: a channel index from lablink_sim_instrument_lookup_channel(), or
 *   %LABLINK_SIM_CHANNEL_INVALID
 * @t: simulated time in seconds
 *
 * Returns: the channel's value at @t (NaN for an invalid channel)
 */
double
lablink_sim_instrument_sample (LablinkSimInstrument *self,
                               guint                 index,
                               double                t)
{
  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (self), NAN);

  if (index == LABLINK_SIM_CHANNEL_INVALID)
    return NAN;
  return LABLINK_SIM_INSTRUMENT_GET_CLASS (self)->sample (self, index, t);
}

gboolean
lablink_sim_instrument_require_number (JsonObject  *parameters,
                                       const char  *name,
                                       double       min,
                                       double       max,
                                       double      *value,
                                       GError     **error)
{
  if (!lablink_sim_json_object_get_number (parameters, name, value))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Missing or invalid parameter: %s", name);
      return FALSE;
    }
  if (*value < min || *value > max)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Parameter %s=%g out of range [%g, %g]", name, *value, min, max);
      return FALSE;
    }
  return TRUE;
}

gboolean
lablink_sim_instrument_optional_channel (JsonObject  *parameters,
                                         guint        n_channels,
                                         guint       *channel,
                                         GError     **error)
{
  double value;

  *channel = 1;
  if (parameters == NULL || !json_object_has_member (parameters, "channel"))
    return TRUE;

  if (!lablink_sim_json_object_get_number (parameters, "channel", &value) ||
      value != floor (value) || value < 1 || value > n_channels)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid channel (expected 1 to %u)", n_channels);
      return FALSE;
    }

  *channel = (guint) value;
  return TRUE;
}
