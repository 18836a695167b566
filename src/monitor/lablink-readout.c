/* lablink-readout.c — a fixed-width numeric readout that redraws, never relays out
 *
 * A GtkLabel relays out the whole window at every new text
 * (gtk_label_set_label() queues a resize up to the root): at a 10 Hz
 * reading that is ten layouts a second, which reach libadwaita widgets that
 * restyle themselves on allocation (AdwFlap's shadow) and so start
 * frame-clock cycles of their own. A readout sizes itself from a template
 * ("-888.888": every digit stands for the widest digit of its font, drawn
 * with tabular numerals), so a new value within the template's width costs
 * a redraw only. A wider text (1234.567) grows the readout with a resize,
 * and it keeps that width: a value going back and forth across a magnitude
 * relays out once, not at every reading.
 *
 * It draws one PangoLayout in its CSS font and colour, right-aligned; CSS
 * classes (e.g. "stale": opacity) apply as to any widget. Its accessible
 * label is the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lablink-readout.h"

struct _LablinkReadout
{
  GtkWidget    parent_instance;

  char        *text;
  char        *template_text;
  PangoLayout *layout;          /* the text, in the widget's Pango context */

  /* the template's width, and the widest text shown since, for the
   * context's serial (a new font measures again) */
  int          template_width;
  int          widest_text;
  guint        template_serial;
};

G_DEFINE_FINAL_TYPE (LablinkReadout, lablink_readout, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_TEMPLATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Tabular numerals: every digit as wide as the others. */
static PangoLayout *
new_layout (LablinkReadout *self,
            const char     *text)
{
  PangoLayout *layout = pango_layout_new (gtk_widget_get_pango_context (GTK_WIDGET (self)));
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_text (layout, text ? text : "", -1);
  return layout;
}

static int
layout_width (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  return logical.width;
}

/* The widest the template can be: each digit replaced by each digit in
 * turn (a font without tabular numerals has digits of different widths). */
static int
get_template_width (LablinkReadout *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *variant = NULL;
  int widest = 0;
  char d;

  if (self->template_width >= 0 && self->template_serial == pango_context_get_serial (context))
    return self->template_width;

  layout = new_layout (self, NULL);
  variant = g_strdup (self->template_text ? self->template_text : "");
  for (d = '0'; d <= '9'; d++)
    {
      char *p;

      for (p = variant; *p; p++)
        if (g_ascii_isdigit (*p))
          *p = d;
      pango_layout_set_text (layout, variant, -1);
      widest = MAX (widest, layout_width (layout));
    }

  self->template_width = widest;
  self->widest_text = layout_width (self->layout);
  self->template_serial = pango_context_get_serial (context);
  return widest;
}

static void
lablink_readout_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  LablinkReadout *self = LABLINK_READOUT (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int template_width = get_template_width (self);

      *minimum = *natural = MAX (template_width, self->widest_text);
    }
  else
    {
      PangoRectangle logical;

      pango_layout_get_pixel_extents (self->layout, NULL, &logical);
      *minimum = *natural = logical.height;
      *minimum_baseline = *natural_baseline = pango_layout_get_baseline (self->layout) / PANGO_SCALE;
    }
}

static void
lablink_readout_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  LablinkReadout *self = LABLINK_READOUT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoRectangle logical;
  GdkRGBA color;
  int baseline, x, y;

  /* GTK 4.8 (Debian 12); their successors where they exist */
#if GTK_CHECK_VERSION (4, 12, 0)
  baseline = gtk_widget_get_baseline (widget);
#else
  baseline = gtk_widget_get_allocated_baseline (widget);
#endif
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, &color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
#endif

  pango_layout_get_pixel_extents (self->layout, NULL, &logical);
  /* right-aligned (the digits of one magnitude stay in place) */
  x = width - logical.width - logical.x;
  if (baseline >= 0)
    y = baseline - pango_layout_get_baseline (self->layout) / PANGO_SCALE;
  else
    y = (height - logical.height) / 2 - logical.y;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, self->layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
lablink_readout_dispose (GObject *object)
{
  LablinkReadout *self = LABLINK_READOUT (object);

  g_clear_object (&self->layout);
  G_OBJECT_CLASS (lablink_readout_parent_class)->dispose (object);
}

static void
lablink_readout_finalize (GObject *object)
{
  LablinkReadout *self = LABLINK_READOUT (object);

  g_free (self->text);
  g_free (self->template_text);
  G_OBJECT_CLASS (lablink_readout_parent_class)->finalize (object);
}

static void
lablink_readout_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LablinkReadout *self = LABLINK_READOUT (object);

  switch (prop_id)
    {
    case PROP_TEXT: g_value_set_string (value, self->text); break;
    case PROP_TEMPLATE: g_value_set_string (value, self->template_text); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_readout_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LablinkReadout *self = LABLINK_READOUT (object);

  switch (prop_id)
    {
    case PROP_TEXT: lablink_readout_set_text (self, g_value_get_string (value)); break;
    case PROP_TEMPLATE: lablink_readout_set_template (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_readout_class_init (LablinkReadoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_readout_dispose;
  object_class->finalize = lablink_readout_finalize;
  object_class->get_property = lablink_readout_get_property;
  object_class->set_property = lablink_readout_set_property;

  widget_class->measure = lablink_readout_measure;
  widget_class->snapshot = lablink_readout_snapshot;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEMPLATE] =
    g_param_spec_string ("template", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "lablinkreadout");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
lablink_readout_init (LablinkReadout *self)
{
  self->text = g_strdup ("");
  self->template_width = -1;
  self->layout = new_layout (self, NULL);
}

/**
 * lablink_readout_new:
 * @template_text: (nullable): the widest text it shows within its width,
 *   e.g. "-888.888" (digits stand for any digit)
 *
 * Returns: (transfer floating): a readout
 */
GtkWidget *
lablink_readout_new (const char *template_text)
{
  return g_object_new (LABLINK_TYPE_READOUT, "template", template_text, NULL);
}

/**
 * lablink_readout_set_text:
 * @self: a readout
 * @text: (nullable): what it shows
 *
 * Queues a redraw when the text changed; a resize only when the text is
 * wider than the template and any text shown before.
 */
void
lablink_readout_set_text (LablinkReadout *self,
                          const char     *text)
{
  int template_width, new_width;

  g_return_if_fail (LABLINK_IS_READOUT (self));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (text, self->text) == 0)
    return;

  template_width = get_template_width (self);
  g_free (self->text);
  self->text = g_strdup (text);
  pango_layout_set_text (self->layout, text, -1);
  new_width = layout_width (self->layout);

  if (new_width > MAX (template_width, self->widest_text))
    {
      self->widest_text = new_width;
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  else
    gtk_widget_queue_draw (GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

/**
 * lablink_readout_get_text:
 * @self: a readout
 *
 * Returns: what it shows
 */
const char *
lablink_readout_get_text (LablinkReadout *self)
{
  g_return_val_if_fail (LABLINK_IS_READOUT (self), NULL);
  return self->text;
}

/**
 * lablink_readout_set_template:
 * @self: a readout
 * @template_text: (nullable): the widest text it shows within its width
 */
void
lablink_readout_set_template (LablinkReadout *self,
                              const char     *template_text)
{
  g_return_if_fail (LABLINK_IS_READOUT (self));

  if (g_strcmp0 (template_text, self->template_text) == 0)
    return;
  g_free (self->template_text);
  self->template_text = g_strdup (template_text);
  self->template_width = -1;
  self->widest_text = 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEMPLATE]);
}
