/* lablink-capture-row.c — one capture on disk, and its row in the Captures popover
 *
 * LablinkCaptureItem holds a LablinkCaptureInfo (what lablink_capture_list()
 * found) for a GListStore. LablinkCaptureRow shows one: name, size,
 * duration, samples and channels, the directory as tooltip, and a Delete
 * button that activates the action it is given with the capture's
 * directory as target. A capture being recorded has no such action: its
 * button stays insensitive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "lablink-capture-row.h"
#include "lablink-units.h"

/* The item */

struct _LablinkCaptureItem
{
  GObject             parent_instance;

  LablinkCaptureInfo *info;
};

G_DEFINE_FINAL_TYPE (LablinkCaptureItem, lablink_capture_item, G_TYPE_OBJECT)

static void
lablink_capture_item_finalize (GObject *object)
{
  LablinkCaptureItem *self = LABLINK_CAPTURE_ITEM (object);

  g_clear_pointer (&self->info, lablink_capture_info_free);

  G_OBJECT_CLASS (lablink_capture_item_parent_class)->finalize (object);
}

static void
lablink_capture_item_class_init (LablinkCaptureItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lablink_capture_item_finalize;
}

static void
lablink_capture_item_init (LablinkCaptureItem *self)
{
}

/**
 * lablink_capture_item_new:
 * @info: a capture's summary (copied)
 *
 * Returns: (transfer full): an item for a list model
 */
LablinkCaptureItem *
lablink_capture_item_new (const LablinkCaptureInfo *info)
{
  LablinkCaptureItem *self;

  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (LABLINK_TYPE_CAPTURE_ITEM, NULL);
  self->info = lablink_capture_info_copy (info);
  return self;
}

const LablinkCaptureInfo *
lablink_capture_item_get_info (LablinkCaptureItem *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE_ITEM (self), NULL);
  return self->info;
}

/* The row */

struct _LablinkCaptureRow
{
  AdwActionRow  parent_instance;

  GtkWidget    *open_button;
  GtkWidget    *delete_button;
};

G_DEFINE_FINAL_TYPE (LablinkCaptureRow, lablink_capture_row, ADW_TYPE_ACTION_ROW)

static void
lablink_capture_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LABLINK_TYPE_CAPTURE_ROW);

  G_OBJECT_CLASS (lablink_capture_row_parent_class)->dispose (object);
}

static void
lablink_capture_row_class_init (LablinkCaptureRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_capture_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-capture-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkCaptureRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkCaptureRow, delete_button);
}

static void
lablink_capture_row_init (LablinkCaptureRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * lablink_capture_row_new:
 * @item: the capture to show
 * @delete_action: the action that deletes a capture, with its directory
 *   as a string parameter (e.g. "acquisition.delete-capture")
 *
 * Returns: (transfer floating): the row
 */
GtkWidget *
lablink_capture_row_new (LablinkCaptureItem *item,
                         const char         *delete_action)
{
  const LablinkCaptureInfo *info;
  LablinkCaptureRow *self;
  g_autofree char *size = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *channels = NULL;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (LABLINK_IS_CAPTURE_ITEM (item), NULL);
  g_return_val_if_fail (delete_action != NULL, NULL);

  info = item->info;
  size = g_format_size (info->size_bytes);
  duration = lablink_format_duration (lablink_capture_info_get_duration (info));
  channels = info->channels ? g_strjoinv (", ", info->channels) : g_strdup ("");
  /* TRANSLATORS: size · duration · samples · channel names */
  subtitle = g_strdup_printf (_("%s · %s · %" PRIu64 " samples · %s"), size, duration, info->n_samples, channels);

  self = g_object_new (LABLINK_TYPE_CAPTURE_ROW, NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), info->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), info->directory);

  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->open_button), "s", info->directory);
  if (info->recording)
    {
      gtk_widget_set_tooltip_text (self->delete_button, _("Being recorded: stop recording to delete it"));
      gtk_widget_set_sensitive (self->delete_button, FALSE);
    }
  else
    {
      gtk_widget_set_tooltip_text (self->delete_button, _("Delete this capture"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->delete_button), delete_action);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->delete_button), "s", info->directory);
    }

  return GTK_WIDGET (self);
}
