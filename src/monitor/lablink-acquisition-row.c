/* lablink-acquisition-row.c — one acquisition of the server, and its row in the list
 *
 * LablinkAcquisitionItem is an acquisition as the server listed it: its id
 * and instrument (fixed), its name and state (updated by each listing), and
 * the server it came from (set while the app shows several servers).
 * LablinkAcquisitionRow shows one in the acquisitions list: the name (or
 * the id), the server, the instrument and short id, the state as a pill;
 * bindings keep it up to date.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lablink-acquisition-row.h"

/* The item */

struct _LablinkAcquisitionItem
{
  GObject  parent_instance;

  char    *acquisition_id;
  char    *equipment_id;
  char    *name;
  char    *state;
  char    *server;
};

G_DEFINE_FINAL_TYPE (LablinkAcquisitionItem, lablink_acquisition_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_ACQUISITION_ID,
  ITEM_PROP_EQUIPMENT_ID,
  ITEM_PROP_NAME,
  ITEM_PROP_STATE,
  ITEM_PROP_SERVER,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

static void
lablink_acquisition_item_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  LablinkAcquisitionItem *self = LABLINK_ACQUISITION_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ACQUISITION_ID:
      g_value_set_string (value, self->acquisition_id);
      break;
    case ITEM_PROP_EQUIPMENT_ID:
      g_value_set_string (value, self->equipment_id);
      break;
    case ITEM_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case ITEM_PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case ITEM_PROP_SERVER:
      g_value_set_string (value, self->server);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_acquisition_item_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  LablinkAcquisitionItem *self = LABLINK_ACQUISITION_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ACQUISITION_ID:
      self->acquisition_id = g_value_dup_string (value);
      break;
    case ITEM_PROP_EQUIPMENT_ID:
      self->equipment_id = g_value_dup_string (value);
      break;
    case ITEM_PROP_NAME:
      lablink_acquisition_item_set_name (self, g_value_get_string (value));
      break;
    case ITEM_PROP_STATE:
      lablink_acquisition_item_set_state (self, g_value_get_string (value));
      break;
    case ITEM_PROP_SERVER:
      lablink_acquisition_item_set_server (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_acquisition_item_finalize (GObject *object)
{
  LablinkAcquisitionItem *self = LABLINK_ACQUISITION_ITEM (object);

  g_free (self->acquisition_id);
  g_free (self->equipment_id);
  g_free (self->name);
  g_free (self->state);
  g_free (self->server);

  G_OBJECT_CLASS (lablink_acquisition_item_parent_class)->finalize (object);
}

static void
lablink_acquisition_item_class_init (LablinkAcquisitionItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = lablink_acquisition_item_get_property;
  object_class->set_property = lablink_acquisition_item_set_property;
  object_class->finalize = lablink_acquisition_item_finalize;

  item_properties[ITEM_PROP_ACQUISITION_ID] =
    g_param_spec_string ("acquisition-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_EQUIPMENT_ID] =
    g_param_spec_string ("equipment-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
lablink_acquisition_item_init (LablinkAcquisitionItem *self)
{
}

LablinkAcquisitionItem *
lablink_acquisition_item_new (const char *acquisition_id,
                              const char *equipment_id)
{
  g_return_val_if_fail (acquisition_id != NULL, NULL);

  return g_object_new (LABLINK_TYPE_ACQUISITION_ITEM,
                       "acquisition-id", acquisition_id,
                       "equipment-id", equipment_id,
                       NULL);
}

const char *
lablink_acquisition_item_get_acquisition_id (LablinkAcquisitionItem *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_ITEM (self), NULL);
  return self->acquisition_id;
}

const char *
lablink_acquisition_item_get_equipment_id (LablinkAcquisitionItem *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_ITEM (self), NULL);
  return self->equipment_id;
}

/**
 * lablink_acquisition_item_get_name:
 * @self: an item
 *
 * Returns: (nullable): the name given at creation, if any
 */
const char *
lablink_acquisition_item_get_name (LablinkAcquisitionItem *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_ITEM (self), NULL);
  return self->name;
}

/* Replaces *@field by a copy of @value; TRUE if it changed. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
lablink_acquisition_item_set_name (LablinkAcquisitionItem *self,
                                   const char             *name)
{
  g_return_if_fail (LABLINK_IS_ACQUISITION_ITEM (self));

  if (set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_NAME]);
}

const char *
lablink_acquisition_item_get_state (LablinkAcquisitionItem *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_ITEM (self), NULL);
  return self->state;
}

void
lablink_acquisition_item_set_state (LablinkAcquisitionItem *self,
                                    const char             *state)
{
  g_return_if_fail (LABLINK_IS_ACQUISITION_ITEM (self));

  if (set_string (&self->state, state))
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_STATE]);
}

/**
 * lablink_acquisition_item_get_server:
 * @self: an item
 *
 * Returns: (nullable): the name of the server it came from, when the app
 *   shows several
 */
const char *
lablink_acquisition_item_get_server (LablinkAcquisitionItem *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_ITEM (self), NULL);
  return self->server;
}

void
lablink_acquisition_item_set_server (LablinkAcquisitionItem *self,
                                     const char             *server)
{
  g_return_if_fail (LABLINK_IS_ACQUISITION_ITEM (self));

  if (set_string (&self->server, server))
    g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_SERVER]);
}

/* The row */

struct _LablinkAcquisitionRow
{
  AdwActionRow            parent_instance;

  GtkLabel               *state_label;

  LablinkAcquisitionItem *item;
};

G_DEFINE_FINAL_TYPE (LablinkAcquisitionRow, lablink_acquisition_row, ADW_TYPE_ACTION_ROW)

/* The title: the name, or the id of an acquisition without one. */
static gboolean
title_from_name (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      data)
{
  LablinkAcquisitionItem *item = data;
  const char *name = g_value_get_string (from);

  g_value_set_string (to, name && *name ? name : item->acquisition_id);
  return TRUE;
}

static void
lablink_acquisition_row_dispose (GObject *object)
{
  LablinkAcquisitionRow *self = LABLINK_ACQUISITION_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LABLINK_TYPE_ACQUISITION_ROW);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (lablink_acquisition_row_parent_class)->dispose (object);
}

static void
lablink_acquisition_row_class_init (LablinkAcquisitionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_acquisition_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-acquisition-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkAcquisitionRow, state_label);
}

static void
lablink_acquisition_row_init (LablinkAcquisitionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The subtitle: the server (while several are shown), the instrument, the short id. */
static gboolean
subtitle_from_server (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      data)
{
  LablinkAcquisitionItem *item = data;
  const char *server = g_value_get_string (from);
  const char *equipment = item->equipment_id ? item->equipment_id : "";

  if (server && *server)
    g_value_take_string (to, g_strdup_printf ("%s · %s · %.8s", server, equipment, item->acquisition_id));
  else
    g_value_take_string (to, g_strdup_printf ("%s · %.8s", equipment, item->acquisition_id));
  return TRUE;
}

GtkWidget *
lablink_acquisition_row_new (LablinkAcquisitionItem *item)
{
  LablinkAcquisitionRow *self;

  g_return_val_if_fail (LABLINK_IS_ACQUISITION_ITEM (item), NULL);

  self = g_object_new (LABLINK_TYPE_ACQUISITION_ROW, NULL);
  self->item = g_object_ref (item);

  g_object_bind_property_full (item, "server", self, "subtitle", G_BINDING_SYNC_CREATE,
                               subtitle_from_server, NULL, item, NULL);
  g_object_bind_property_full (item, "name", self, "title", G_BINDING_SYNC_CREATE,
                               title_from_name, NULL, item, NULL);
  g_object_bind_property (item, "state", self->state_label, "label", G_BINDING_SYNC_CREATE);

  return GTK_WIDGET (self);
}

/**
 * lablink_acquisition_row_get_item:
 * @self: a row
 *
 * Returns: (transfer none): the acquisition it shows
 */
LablinkAcquisitionItem *
lablink_acquisition_row_get_item (LablinkAcquisitionRow *self)
{
  g_return_val_if_fail (LABLINK_IS_ACQUISITION_ROW (self), NULL);
  return self->item;
}
