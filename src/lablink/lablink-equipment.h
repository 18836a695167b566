/* lablink-equipment.h — one instrument known to a LabLink server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "lablink-version-macros.h"

G_BEGIN_DECLS

/**
 * LablinkEquipmentKind:
 * @LABLINK_EQUIPMENT_OTHER: a type this library does not know
 * @LABLINK_EQUIPMENT_POWER_SUPPLY: `power_supply`
 * @LABLINK_EQUIPMENT_OSCILLOSCOPE: `oscilloscope`
 * @LABLINK_EQUIPMENT_ELECTRONIC_LOAD: `electronic_load`
 */
typedef enum {
  LABLINK_EQUIPMENT_OTHER,
  LABLINK_EQUIPMENT_POWER_SUPPLY,
  LABLINK_EQUIPMENT_OSCILLOSCOPE,
  LABLINK_EQUIPMENT_ELECTRONIC_LOAD,
} LablinkEquipmentKind;

#define LABLINK_TYPE_EQUIPMENT (lablink_equipment_get_type ())
LABLINK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (LablinkEquipment, lablink_equipment, LABLINK, EQUIPMENT, GObject)

LABLINK_AVAILABLE_IN_ALL
LablinkEquipment     *lablink_equipment_new_from_json      (JsonObject       *object,
                                                            GError          **error);
LABLINK_AVAILABLE_IN_ALL
const char           *lablink_equipment_get_id             (LablinkEquipment *self);
LABLINK_AVAILABLE_IN_ALL
const char           *lablink_equipment_get_type_name      (LablinkEquipment *self);
LABLINK_AVAILABLE_IN_ALL
LablinkEquipmentKind  lablink_equipment_get_kind           (LablinkEquipment *self);
LABLINK_AVAILABLE_IN_ALL
const char           *lablink_equipment_get_manufacturer   (LablinkEquipment *self);
LABLINK_AVAILABLE_IN_ALL
const char           *lablink_equipment_get_model          (LablinkEquipment *self);
LABLINK_AVAILABLE_IN_ALL
const char           *lablink_equipment_get_serial_number  (LablinkEquipment *self);
LABLINK_AVAILABLE_IN_ALL
const char           *lablink_equipment_get_connection_type(LablinkEquipment *self);
LABLINK_AVAILABLE_IN_ALL
const char           *lablink_equipment_get_resource_string(LablinkEquipment *self);
LABLINK_AVAILABLE_IN_ALL
const char           *lablink_equipment_get_nickname       (LablinkEquipment *self);
LABLINK_AVAILABLE_IN_ALL
const char           *lablink_equipment_get_display_name   (LablinkEquipment *self);
LABLINK_AVAILABLE_IN_ALL
const char * const   *lablink_equipment_get_stream_types   (LablinkEquipment *self);

LABLINK_AVAILABLE_IN_ALL
char                 *lablink_equipment_id_for_resource    (const char       *type_prefix,
                                                            const char       *resource_string);

G_END_DECLS
