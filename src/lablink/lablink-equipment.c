/* lablink-equipment.c — one instrument known to a LabLink server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-equipment.h"
#include "lablink-enums.h"
#include "lablink-error.h"

/**
 * LablinkEquipment:
 *
 * One instrument as `GET /api/equipment/list` describes it. Immutable: every
 * property is read-only and set once by lablink_equipment_new_from_json().
 */
struct _LablinkEquipment
{
  GObject parent_instance;

  char *id;
  char *type_name;
  LablinkEquipmentKind kind;
  char *manufacturer;
  char *model;
  char *serial_number;
  char *connection_type;
  char *resource_string;
  char *nickname;
  char *display_name;
};

G_DEFINE_FINAL_TYPE (LablinkEquipment, lablink_equipment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TYPE_NAME,
  PROP_KIND,
  PROP_MANUFACTURER,
  PROP_MODEL,
  PROP_SERIAL_NUMBER,
  PROP_CONNECTION_TYPE,
  PROP_RESOURCE_STRING,
  PROP_NICKNAME,
  PROP_DISPLAY_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const psu_stream_types[] = { "readings", NULL };
static const char * const scope_stream_types[] = { "waveform", "measurements", NULL };
static const char * const no_stream_types[] = { NULL };

static void
lablink_equipment_finalize (GObject *object)
{
  LablinkEquipment *self = LABLINK_EQUIPMENT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->type_name, g_free);
  g_clear_pointer (&self->manufacturer, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->serial_number, g_free);
  g_clear_pointer (&self->connection_type, g_free);
  g_clear_pointer (&self->resource_string, g_free);
  g_clear_pointer (&self->nickname, g_free);
  g_clear_pointer (&self->display_name, g_free);

  G_OBJECT_CLASS (lablink_equipment_parent_class)->finalize (object);
}

static void
lablink_equipment_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LablinkEquipment *self = LABLINK_EQUIPMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TYPE_NAME:
      g_value_set_string (value, self->type_name);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_MANUFACTURER:
      g_value_set_string (value, self->manufacturer);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_SERIAL_NUMBER:
      g_value_set_string (value, self->serial_number);
      break;
    case PROP_CONNECTION_TYPE:
      g_value_set_string (value, self->connection_type);
      break;
    case PROP_RESOURCE_STRING:
      g_value_set_string (value, self->resource_string);
      break;
    case PROP_NICKNAME:
      g_value_set_string (value, self->nickname);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, lablink_equipment_get_display_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_equipment_class_init (LablinkEquipmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lablink_equipment_finalize;
  object_class->get_property = lablink_equipment_get_property;

  /**
   * LablinkEquipment:id:
   *
   * The server's id of the instrument, e.g. `ps_250e6dfe`.
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  /**
   * LablinkEquipment:type-name:
   *
   * The server's `type` string, e.g. `power_supply`.
   */
  properties[PROP_TYPE_NAME] = g_param_spec_string ("type-name", NULL, NULL, NULL, flags);
  /**
   * LablinkEquipment:kind:
   *
   * The kind of instrument, decoded from #LablinkEquipment:type-name.
   */
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL,
                                             LABLINK_TYPE_EQUIPMENT_KIND,
                                             LABLINK_EQUIPMENT_OTHER, flags);
  /**
   * LablinkEquipment:manufacturer:
   *
   * The manufacturer, or %NULL when the server did not say.
   */
  properties[PROP_MANUFACTURER] = g_param_spec_string ("manufacturer", NULL, NULL, NULL, flags);
  /**
   * LablinkEquipment:model:
   *
   * The model, or %NULL when the server did not say.
   */
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, flags);
  /**
   * LablinkEquipment:serial-number:
   *
   * The serial number, or %NULL when the server did not say.
   */
  properties[PROP_SERIAL_NUMBER] = g_param_spec_string ("serial-number", NULL, NULL, NULL, flags);
  /**
   * LablinkEquipment:connection-type:
   *
   * How the server reaches the instrument (`usb`, `ethernet`, …), or %NULL.
   */
  properties[PROP_CONNECTION_TYPE] = g_param_spec_string ("connection-type", NULL, NULL, NULL, flags);
  /**
   * LablinkEquipment:resource-string:
   *
   * The VISA-style resource string, e.g. `MOCK::PSU::0`, or %NULL.
   */
  properties[PROP_RESOURCE_STRING] = g_param_spec_string ("resource-string", NULL, NULL, NULL, flags);
  /**
   * LablinkEquipment:nickname:
   *
   * The user-given nickname, or %NULL.
   */
  properties[PROP_NICKNAME] = g_param_spec_string ("nickname", NULL, NULL, NULL, flags);
  /**
   * LablinkEquipment:display-name:
   *
   * A name to show: the nickname, else "manufacturer model", else the id.
   */
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lablink_equipment_init (LablinkEquipment *self)
{
}

static LablinkEquipmentKind
kind_from_type_name (const char *type_name)
{
  if (g_str_equal (type_name, "power_supply"))
    return LABLINK_EQUIPMENT_POWER_SUPPLY;
  if (g_str_equal (type_name, "oscilloscope"))
    return LABLINK_EQUIPMENT_OSCILLOSCOPE;
  if (g_str_equal (type_name, "electronic_load"))
    return LABLINK_EQUIPMENT_ELECTRONIC_LOAD;
  return LABLINK_EQUIPMENT_OTHER;
}

static const char *
json_type_name (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);
        if (type == G_TYPE_BOOLEAN)
          return "a boolean";
        if (type == G_TYPE_STRING)
          return "a string";
        return "a number";
      }
    }
}

/* Reads member @name of @object into @out. A missing or null member gives
 * %NULL when @nullable, else an error; any non-string value is an error. */
static gboolean
get_string_member (JsonObject  *object,
                   const char  *name,
                   gboolean     nullable,
                   char       **out,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (nullable)
        return TRUE;
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                   "Equipment entry has no “%s” string", name);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                   "Equipment field “%s” is %s where a string was expected",
                   name, json_type_name (node));
      return FALSE;
    }

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/**
 * lablink_equipment_new_from_json:
 * @object: one element of the `GET /api/equipment/list` array
 * @error: return location for a #GError
 *
 * Decodes an equipment entry. `id` and `type` must be strings; the other
 * members must be strings or null (or absent).
 *
 * Returns: (transfer full) (nullable): a new #LablinkEquipment, or %NULL with
 *   %LABLINK_ERROR_INVALID_FIELD set
 */
LablinkEquipment *
lablink_equipment_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_autoptr(LablinkEquipment) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (LABLINK_TYPE_EQUIPMENT, NULL);

  if (!get_string_member (object, "id", FALSE, &self->id, error) ||
      !get_string_member (object, "type", FALSE, &self->type_name, error) ||
      !get_string_member (object, "manufacturer", TRUE, &self->manufacturer, error) ||
      !get_string_member (object, "model", TRUE, &self->model, error) ||
      !get_string_member (object, "serial_number", TRUE, &self->serial_number, error) ||
      !get_string_member (object, "connection_type", TRUE, &self->connection_type, error) ||
      !get_string_member (object, "resource_string", TRUE, &self->resource_string, error) ||
      !get_string_member (object, "nickname", TRUE, &self->nickname, error))
    return NULL;

  if (self->id[0] == '\0')
    {
      g_set_error_literal (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                           "Equipment entry has an empty “id”");
      return NULL;
    }

  self->kind = kind_from_type_name (self->type_name);

  if (self->nickname != NULL && self->nickname[0] != '\0')
    {
      self->display_name = g_strdup (self->nickname);
    }
  else
    {
      const char *manufacturer = self->manufacturer != NULL ? self->manufacturer : "";
      const char *model = self->model != NULL ? self->model : "";

      if (manufacturer[0] != '\0' && model[0] != '\0')
        self->display_name = g_strdup_printf ("%s %s", manufacturer, model);
      else if (manufacturer[0] != '\0' || model[0] != '\0')
        self->display_name = g_strdup (manufacturer[0] != '\0' ? manufacturer : model);
      else
        self->display_name = g_strdup (self->id);
    }

  return g_steal_pointer (&self);
}

/**
 * lablink_equipment_get_id:
 * @self: a #LablinkEquipment
 *
 * Returns: the server's id of the instrument
 */
const char *
lablink_equipment_get_id (LablinkEquipment *self)
{
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT (self), NULL);
  return self->id;
}

/**
 * lablink_equipment_get_type_name:
 * @self: a #LablinkEquipment
 *
 * Returns: the server's `type` string, e.g. `power_supply`
 */
const char *
lablink_equipment_get_type_name (LablinkEquipment *self)
{
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT (self), NULL);
  return self->type_name;
}

/**
 * lablink_equipment_get_kind:
 * @self: a #LablinkEquipment
 *
 * Returns: the kind of instrument; %LABLINK_EQUIPMENT_OTHER for a type this
 *   library does not know
 */
LablinkEquipmentKind
lablink_equipment_get_kind (LablinkEquipment *self)
{
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT (self), LABLINK_EQUIPMENT_OTHER);
  return self->kind;
}

/**
 * lablink_equipment_get_manufacturer:
 * @self: a #LablinkEquipment
 *
 * Returns: (nullable): the manufacturer
 */
const char *
lablink_equipment_get_manufacturer (LablinkEquipment *self)
{
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT (self), NULL);
  return self->manufacturer;
}

/**
 * lablink_equipment_get_model:
 * @self: a #LablinkEquipment
 *
 * Returns: (nullable): the model
 */
const char *
lablink_equipment_get_model (LablinkEquipment *self)
{
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT (self), NULL);
  return self->model;
}

/**
 * lablink_equipment_get_serial_number:
 * @self: a #LablinkEquipment
 *
 * Returns: (nullable): the serial number
 */
const char *
lablink_equipment_get_serial_number (LablinkEquipment *self)
{
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT (self), NULL);
  return self->serial_number;
}

/**
 * lablink_equipment_get_connection_type:
 * @self: a #LablinkEquipment
 *
 * Returns: (nullable): how the server reaches the instrument
 */
const char *
lablink_equipment_get_connection_type (LablinkEquipment *self)
{
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT (self), NULL);
  return self->connection_type;
}

/**
 * lablink_equipment_get_resource_string:
 * @self: a #LablinkEquipment
 *
 * Returns: (nullable): the resource string, e.g. `MOCK::PSU::0`
 */
const char *
lablink_equipment_get_resource_string (LablinkEquipment *self)
{
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT (self), NULL);
  return self->resource_string;
}

/**
 * lablink_equipment_get_nickname:
 * @self: a #LablinkEquipment
 *
 * Returns: (nullable): the user-given nickname
 */
const char *
lablink_equipment_get_nickname (LablinkEquipment *self)
{
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT (self), NULL);
  return self->nickname;
}

/**
 * lablink_equipment_get_display_name:
 * @self: a #LablinkEquipment
 *
 * Returns: the nickname when there is one, else "manufacturer model" (else
 *   the id)
 */
const char *
lablink_equipment_get_display_name (LablinkEquipment *self)
{
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT (self), NULL);
  return self->display_name;
}

/**
 * lablink_equipment_get_stream_types:
 * @self: a #LablinkEquipment
 *
 * The WebSocket stream types the instrument offers: `readings` for power
 * supplies and electronic loads, `waveform` and `measurements` for
 * oscilloscopes, none for other kinds.
 *
 * Returns: (transfer none) (array zero-terminated=1): the stream types
 */
const char * const *
lablink_equipment_get_stream_types (LablinkEquipment *self)
{
  g_return_val_if_fail (LABLINK_IS_EQUIPMENT (self), no_stream_types);

  switch (self->kind)
    {
    case LABLINK_EQUIPMENT_POWER_SUPPLY:
    case LABLINK_EQUIPMENT_ELECTRONIC_LOAD:
      return psu_stream_types;
    case LABLINK_EQUIPMENT_OSCILLOSCOPE:
      return scope_stream_types;
    case LABLINK_EQUIPMENT_OTHER:
    default:
      return no_stream_types;
    }
}

/**
 * lablink_equipment_id_for_resource:
 * @type_prefix: the id prefix of the instrument type, e.g. `ps`, `scope`, `load`
 * @resource_string: the resource string, e.g. `MOCK::PSU::0`
 *
 * Computes the id a LabLink server gives an instrument: the prefix, `_`,
 * and the first 8 hex digits of the SHA-256 of the resource string
 * (`ps` + `MOCK::PSU::0` → `ps_250e6dfe`).
 *
 * Returns: (transfer full): the equipment id
 */
char *
lablink_equipment_id_for_resource (const char *type_prefix,
                                   const char *resource_string)
{
  g_autofree char *digest = NULL;

  g_return_val_if_fail (type_prefix != NULL, NULL);
  g_return_val_if_fail (resource_string != NULL, NULL);

  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, resource_string, -1);
  return g_strdup_printf ("%s_%.8s", type_prefix, digest);
}
