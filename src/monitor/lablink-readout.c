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
 * label is the text with its unit (drawn beside it by the owner, e.g. a
 * LablinkMeter's unit label).
 *
 * A reading can be copied as a selectable label's could: "readout.copy"
 * puts the text with its unit ("5.000 V") on the clipboard; Ctrl+C runs it
 * when the readout has the keyboard focus (a click focuses it; the focus
 * ring shows on keyboard focus only, :focus-visible in style.css), and the
 * context menu (right click, long press, Menu, Shift+F10: "menu.popup")
 * offers it. None of it changes the size request: the menu is a popover,
 * a native surface of its own, and the unit is not drawn here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-readout.h"

struct _LablinkReadout
{
  GtkWidget    parent_instance;

  char        *text;
  char        *template_text;
  char        *unit;
  PangoLayout *layout;          /* the text, in the widget's Pango context */
  GtkWidget   *popup_menu;      /* the context menu, made at its first popup */
  gboolean     copyable;        /* whether "readout.copy" is enabled */

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
  PROP_UNIT,
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

/* A reading: a text with a digit in it (not "", nor the "—" of no value). */
static gboolean
is_reading (const char *text)
{
  for (; *text; text++)
    if (g_ascii_isdigit (*text))
      return TRUE;
  return FALSE;
}

/* The text as read aloud and copied: with its unit ("5.000 V"). */
static char *
dup_text_with_unit (LablinkReadout *self)
{
  if (self->unit == NULL || self->unit[0] == '\0' || !is_reading (self->text))
    return g_strdup (self->text);
  return g_strconcat (self->text, " ", self->unit, NULL);
}

static void
update_accessible_label (LablinkReadout *self)
{
  g_autofree char *label = dup_text_with_unit (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LablinkReadout *self = LABLINK_READOUT (widget);
  g_autofree char *text = NULL;

  if (!is_reading (self->text))
    return;
  text = dup_text_with_unit (self);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

/* The context menu, at (@x, @y) or, from the keyboard (@x < 0), below the
 * readout. */
static void
popup_menu_at (LablinkReadout *self,
               double          x,
               double          y)
{
  if (self->popup_menu == NULL)
    {
      g_autoptr(GMenu) menu = g_menu_new ();
      g_autoptr(GMenuItem) item = g_menu_item_new (_("Copy Value"), "readout.copy");

      g_menu_item_set_attribute (item, "accel", "s", "<Control>c");
      g_menu_append_item (menu, item);
      self->popup_menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
      gtk_widget_set_parent (self->popup_menu, GTK_WIDGET (self));
      gtk_popover_set_position (GTK_POPOVER (self->popup_menu), GTK_POS_BOTTOM);
      gtk_popover_set_has_arrow (GTK_POPOVER (self->popup_menu), FALSE);
      gtk_widget_set_halign (self->popup_menu, GTK_ALIGN_START);
    }

  if (x >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (self->popup_menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  else
    gtk_popover_set_pointing_to (GTK_POPOVER (self->popup_menu), NULL);
  gtk_popover_popup (GTK_POPOVER (self->popup_menu));
}

static void
popup_menu_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  popup_menu_at (LABLINK_READOUT (widget), -1, -1);
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  LablinkReadout  *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (gesture));

  if (event != NULL && gdk_event_triggers_context_menu (event))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      popup_menu_at (self, x, y);
    }
  else if (gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture)) == GDK_BUTTON_PRIMARY)
    gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
long_pressed_cb (GtkGestureLongPress *gesture,
                 double               x,
                 double               y,
                 LablinkReadout      *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_menu_at (self, x, y);
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

/* The menu is a child: it follows the readout. */
static void
lablink_readout_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  LablinkReadout *self = LABLINK_READOUT (widget);

  if (self->popup_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->popup_menu));
}

static void
lablink_readout_dispose (GObject *object)
{
  LablinkReadout *self = LABLINK_READOUT (object);

  g_clear_pointer (&self->popup_menu, gtk_widget_unparent);
  g_clear_object (&self->layout);
  G_OBJECT_CLASS (lablink_readout_parent_class)->dispose (object);
}

static void
lablink_readout_finalize (GObject *object)
{
  LablinkReadout *self = LABLINK_READOUT (object);

  g_free (self->text);
  g_free (self->template_text);
  g_free (self->unit);
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
    case PROP_UNIT: g_value_set_string (value, self->unit); break;
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
    case PROP_UNIT: lablink_readout_set_unit (self, g_value_get_string (value)); break;
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
  widget_class->size_allocate = lablink_readout_size_allocate;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEMPLATE] =
    g_param_spec_string ("template", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LablinkReadout:unit:
   *
   * The unit of the text (e.g. "V"), shown beside the readout by its
   * owner: not drawn here, but read aloud and copied with the text.
   */
  properties[PROP_UNIT] =
    g_param_spec_string ("unit", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "readout.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "menu.popup", NULL, popup_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "readout.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Insert, GDK_CONTROL_MASK, "readout.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "menu.popup", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "menu.popup", NULL);

  gtk_widget_class_set_css_name (widget_class, "lablinkreadout");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
lablink_readout_init (LablinkReadout *self)
{
  GtkGesture *gesture;

  self->text = g_strdup ("");
  self->template_width = -1;
  self->layout = new_layout (self, NULL);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "readout.copy", FALSE);

  /* right click (or the platform's context-menu click); a primary click
   * focuses the readout, for Ctrl+C */
  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  g_signal_connect (gesture, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (gesture), TRUE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (long_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
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

  if (is_reading (text) != self->copyable)
    {
      self->copyable = !self->copyable;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "readout.copy", self->copyable);
    }
  update_accessible_label (self);
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

/**
 * lablink_readout_set_unit:
 * @self: a readout
 * @unit: (nullable): the unit of the text, e.g. "V" (its owner shows it)
 *
 * Neither redraws nor resizes: the unit is only read aloud and copied with
 * the text.
 */
void
lablink_readout_set_unit (LablinkReadout *self,
                          const char     *unit)
{
  g_return_if_fail (LABLINK_IS_READOUT (self));

  if (g_strcmp0 (unit, self->unit) == 0)
    return;
  g_free (self->unit);
  self->unit = g_strdup (unit);
  update_accessible_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNIT]);
}

/**
 * lablink_readout_get_unit:
 * @self: a readout
 *
 * Returns: (nullable): the unit of the text
 */
const char *
lablink_readout_get_unit (LablinkReadout *self)
{
  g_return_val_if_fail (LABLINK_IS_READOUT (self), NULL);
  return self->unit;
}
