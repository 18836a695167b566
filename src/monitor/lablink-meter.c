/* lablink-meter.c — a big, readable numeric meter
 *
 * Large tabular digits, readable across a lab, in a LablinkReadout as wide
 * as "-888.888" (for 3 decimals): the value neither jitters sideways nor
 * resizes the meter as it changes, and a new reading costs a redraw, not a
 * relayout of the window (a value of 1000 or more widens the readout once).
 * Values of 10,000 and more take an SI prefix on the unit (123456.789 V is
 * 123.457 kV), so the digits keep to the width of the meter. The readout
 * knows the unit too: it copies the value with it (context menu, Ctrl+C).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-meter.h"
#include "lablink-readout.h"
#include "lablink-units.h"

/* From this magnitude on, the unit takes a prefix (k, M, G). */
#define PREFIX_FROM 1e4

struct _LablinkMeter
{
  GtkWidget  parent_instance;

  GtkWidget      *box;
  GtkLabel       *caption_label;
  LablinkReadout *value_readout;
  GtkLabel       *unit_label;

  double          value;
  guint           decimals;
  char           *unit;       /* the unit without prefix */
};

G_DEFINE_FINAL_TYPE (LablinkMeter, lablink_meter, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lablink_meter_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LABLINK_TYPE_METER);
  G_OBJECT_CLASS (lablink_meter_parent_class)->dispose (object);
}

static void
lablink_meter_finalize (GObject *object)
{
  g_free (LABLINK_METER (object)->unit);
  G_OBJECT_CLASS (lablink_meter_parent_class)->finalize (object);
}

static void
lablink_meter_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LablinkMeter *self = LABLINK_METER (object);

  switch (prop_id)
    {
    case PROP_VALUE: g_value_set_double (value, self->value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_meter_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LablinkMeter *self = LABLINK_METER (object);

  switch (prop_id)
    {
    case PROP_VALUE: lablink_meter_set_value (self, g_value_get_double (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_meter_class_init (LablinkMeterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_meter_dispose;
  object_class->finalize = lablink_meter_finalize;
  object_class->get_property = lablink_meter_get_property;
  object_class->set_property = lablink_meter_set_property;

  properties[PROP_VALUE] =
    g_param_spec_double ("value", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LABLINK_TYPE_READOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-meter.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkMeter, box);
  gtk_widget_class_bind_template_child (widget_class, LablinkMeter, caption_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkMeter, value_readout);
  gtk_widget_class_bind_template_child (widget_class, LablinkMeter, unit_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lablinkmeter");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
lablink_meter_init (LablinkMeter *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->value = NAN;
  self->decimals = 3;
}

GtkWidget *
lablink_meter_new (const char *caption,
                   const char *unit,
                   guint       decimals)
{
  LablinkMeter *self = g_object_new (LABLINK_TYPE_METER, NULL);
  g_autofree char *template_text = NULL;

  gtk_label_set_label (self->caption_label, caption);
  gtk_label_set_label (self->unit_label, unit);
  lablink_readout_set_unit (self->value_readout, unit);
  self->unit = g_strdup (unit ? unit : "");
  self->decimals = MIN (decimals, 9);
  /* up to ±999.999 (a PSU's and a load's usual readings) in the
   * readout's width; a value up to PREFIX_FROM widens it */
  template_text = self->decimals > 0 ? g_strdup_printf ("-888.%.*s", (int) self->decimals, "888888888")
                                     : g_strdup ("-888");
  lablink_readout_set_template (self->value_readout, template_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, caption, -1);
  return GTK_WIDGET (self);
}

/**
 * lablink_meter_set_value:
 * @self: a meter
 * @value: the value; NaN shows "—" (a failed read)
 */
void
lablink_meter_set_value (LablinkMeter *self,
                         double        value)
{
  g_autofree char *text = NULL;
  g_autofree char *unit = NULL;
  const char *prefix = "";

  g_return_if_fail (LABLINK_IS_METER (self));

  if (value == self->value || (isnan (value) && isnan (self->value)))
    return;

  self->value = value;
  if (isnan (value) || isinf (value))
    text = g_strdup ("—");
  else
    {
      double factor = 1.0;

      if (fabs (value) >= PREFIX_FROM)
        prefix = lablink_si_prefix (value, &factor);
      text = g_strdup_printf ("%.*f", (int) self->decimals, value * factor);
    }
  /* A redraw only (a GtkLabel would relayout the window at every reading),
   * and the unit only when its prefix changes. */
  lablink_readout_set_text (self->value_readout, text);
  unit = g_strconcat (prefix, self->unit, NULL);
  if (g_strcmp0 (unit, gtk_label_get_label (self->unit_label)) != 0)
    {
      gtk_label_set_label (self->unit_label, unit);
      lablink_readout_set_unit (self->value_readout, unit); /* copied with the value */
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

double
lablink_meter_get_value (LablinkMeter *self)
{
  g_return_val_if_fail (LABLINK_IS_METER (self), NAN);
  return self->value;
}

/**
 * lablink_meter_get_text:
 * @self: a meter
 *
 * Returns: what the meter shows, e.g. "5.002"
 */
const char *
lablink_meter_get_text (LablinkMeter *self)
{
  g_return_val_if_fail (LABLINK_IS_METER (self), NULL);
  return lablink_readout_get_text (self->value_readout);
}

/**
 * lablink_meter_get_unit:
 * @self: a meter
 *
 * Returns: the unit shown, with its prefix, e.g. "kV"
 */
const char *
lablink_meter_get_unit (LablinkMeter *self)
{
  g_return_val_if_fail (LABLINK_IS_METER (self), NULL);
  return gtk_label_get_label (self->unit_label);
}

void
lablink_meter_set_caption (LablinkMeter *self,
                           const char   *caption)
{
  g_return_if_fail (LABLINK_IS_METER (self));
  gtk_label_set_label (self->caption_label, caption);
}

/**
 * lablink_meter_set_stale:
 * @self: a meter
 * @stale: whether the value is old (stream stopped, link down)
 */
void
lablink_meter_set_stale (LablinkMeter *self,
                         gboolean      stale)
{
  g_return_if_fail (LABLINK_IS_METER (self));

  /* only a change restyles */
  if ((stale != FALSE) != gtk_widget_has_css_class (GTK_WIDGET (self->value_readout), "stale"))
    {
      if (stale)
        gtk_widget_add_css_class (GTK_WIDGET (self->value_readout), "stale");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->value_readout), "stale");
    }
}
