/* lablink-stream-toolbar.c — start/stop and interval of the selected instrument's streams
 *
 * One toggle per stream type of the instrument (activating win.toggle-stream),
 * its interval (50 ms – 5 s, kept per stream key in GSettings) and its
 * status ("Running", "No data", "Polling"…) and, when another client changed
 * the interval the server sends it at, says so with a button to ask for
 * ours again ("Server sends every 1000 ms … · Use 100 ms"). The toggles follow the
 * session — after a reconnect, after "Stop all" — not their own clicks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lablink-instrument-panel.h"
#include "lablink-settings.h"
#include "lablink-stream-toolbar.h"

typedef struct {
  LablinkStreamToolbar *toolbar;
  char                 *stream_type;
  GtkToggleButton      *toggle;
  GtkSpinButton        *interval;
  GtkLabel             *status;
  GtkLabel             *shared;     /* "Server sends every … (another client changed it)" */
  GtkButton            *reclaim;    /* "Use 100 ms" */
  guint                 debounce;
} StreamRow;

struct _LablinkStreamToolbar
{
  GtkWidget         parent_instance;

  GtkWidget        *box;
  GtkBox           *streams_box;

  LablinkSession   *session;
  GSignalGroup     *session_signals;
  LablinkEquipment *equipment;
  GPtrArray        *rows;
  gboolean          syncing;
};

G_DEFINE_FINAL_TYPE (LablinkStreamToolbar, lablink_stream_toolbar, GTK_TYPE_WIDGET)

static void
stream_row_free (gpointer data)
{
  StreamRow *row = data;

  g_clear_handle_id (&row->debounce, g_source_remove);
  g_free (row->stream_type);
  g_free (row);
}

static const char *
stream_type_title (const char *stream_type)
{
  if (g_strcmp0 (stream_type, LABLINK_STREAM_READINGS) == 0)
    return _("Readings");
  if (g_strcmp0 (stream_type, LABLINK_STREAM_WAVEFORM) == 0)
    return _("Waveform");
  if (g_strcmp0 (stream_type, LABLINK_STREAM_MEASUREMENTS) == 0)
    return _("Measurements");
  return stream_type;
}

void
lablink_stream_toolbar_sync (LablinkStreamToolbar *self)
{
  const char *id;
  guint i;

  g_return_if_fail (LABLINK_IS_STREAM_TOOLBAR (self));

  if (self->equipment == NULL || self->session == NULL)
    return;

  id = lablink_equipment_get_id (self->equipment);
  self->syncing = TRUE;
  for (i = 0; i < self->rows->len; i++)
    {
      StreamRow *row = g_ptr_array_index (self->rows, i);
      LablinkStatusLevel level;
      const char *text = lablink_session_describe_stream (self->session, id, row->stream_type, &level);

      guint server_interval = lablink_session_get_server_interval (self->session, id, row->stream_type);
      gboolean polling = lablink_session_is_stream_active (self->session, id, row->stream_type) &&
                         lablink_session_get_stream_status (self->session, id, row->stream_type) == LABLINK_STREAM_STATUS_POLLING;

      gtk_toggle_button_set_active (row->toggle, lablink_session_is_stream_active (self->session, id, row->stream_type));
      lablink_status_label_set (row->status, text, level);
      if (server_interval != 0 && lablink_session_is_stream_active (self->session, id, row->stream_type))
        {
          g_autofree char *shared = g_strdup_printf (_("Server sends every %u ms (another client changed it)"),
                                                     server_interval);
          g_autofree char *use = g_strdup_printf (_("Use %u ms"),
                                                  lablink_session_get_interval (self->session, id, row->stream_type));

          gtk_label_set_label (row->shared, shared);
          gtk_button_set_label (row->reclaim, use);
        }
      else if (polling)
        gtk_label_set_label (row->shared, _("values polled over REST: the server sends no frames"));
      gtk_widget_set_visible (GTK_WIDGET (row->shared), server_interval != 0 || polling);
      gtk_widget_set_visible (GTK_WIDGET (row->reclaim), server_interval != 0);
      if (gtk_spin_button_get_value_as_int (row->interval) !=
          (int) lablink_session_get_interval (self->session, id, row->stream_type) && row->debounce == 0)
        gtk_spin_button_set_value (row->interval, lablink_session_get_interval (self->session, id, row->stream_type));
    }
  self->syncing = FALSE;
}

static gboolean
apply_interval_cb (gpointer data)
{
  StreamRow *row = data;
  LablinkStreamToolbar *self = row->toolbar;

  row->debounce = 0;
  if (self->equipment && self->session)
    lablink_session_set_interval (self->session, lablink_equipment_get_id (self->equipment), row->stream_type,
                                  (guint) gtk_spin_button_get_value_as_int (row->interval));
  return G_SOURCE_REMOVE;
}

static void
interval_changed_cb (GtkSpinButton *spin,
                     StreamRow     *row)
{
  if (row->toolbar->syncing)
    return;
  /* Spinning through values should not restart the stream at each step. */
  g_clear_handle_id (&row->debounce, g_source_remove);
  row->debounce = g_timeout_add (400, apply_interval_cb, row);
}

static void
reclaim_clicked_cb (GtkButton *button,
                    StreamRow *row)
{
  LablinkStreamToolbar *self = row->toolbar;
  g_autoptr(GError) error = NULL;

  if (self->equipment == NULL || self->session == NULL)
    return;
  if (!lablink_session_reclaim_stream (self->session, lablink_equipment_get_id (self->equipment),
                                       row->stream_type, &error))
    g_warning ("Could not re-claim the stream: %s", error->message);
  lablink_stream_toolbar_sync (self);
}

static void
toggle_toggled_cb (GtkToggleButton      *toggle,
                   LablinkStreamToolbar *self)
{
  /* The action did the work; show what the session says. */
  if (!self->syncing)
    lablink_stream_toolbar_sync (self);
}

static void
rebuild (LablinkStreamToolbar *self)
{
  const char * const *types;
  GtkWidget *child;
  guint i;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->streams_box))))
    gtk_box_remove (self->streams_box, child);
  g_ptr_array_set_size (self->rows, 0);

  if (self->equipment == NULL)
    return;

  types = lablink_equipment_get_stream_types (self->equipment);
  for (i = 0; types && types[i]; i++)
    {
      StreamRow *row = g_new0 (StreamRow, 1);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *toggle = gtk_toggle_button_new_with_label (stream_type_title (types[i]));
      GtkWidget *spin = gtk_spin_button_new_with_range (LABLINK_MIN_INTERVAL_MS, LABLINK_MAX_INTERVAL_MS, 50);
      GtkWidget *unit = gtk_label_new (_("ms"));
      GtkWidget *status = gtk_label_new (_("Stopped"));
      GtkWidget *shared = gtk_label_new (NULL);
      GtkWidget *reclaim = gtk_button_new ();
      g_autofree char *name = g_strdup_printf ("toggle-%s", types[i]);
      g_autofree char *reclaim_name = g_strdup_printf ("reclaim-%s", types[i]);

      row->toolbar = self;
      row->stream_type = g_strdup (types[i]);
      row->toggle = GTK_TOGGLE_BUTTON (toggle);
      row->interval = GTK_SPIN_BUTTON (spin);
      row->status = GTK_LABEL (status);
      row->shared = GTK_LABEL (shared);
      row->reclaim = GTK_BUTTON (reclaim);
      g_ptr_array_add (self->rows, row);

      gtk_widget_set_name (toggle, name);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (toggle), "win.toggle-stream");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (toggle), "s", types[i]);
      gtk_widget_set_tooltip_text (toggle, _("Start or stop this stream"));
      g_signal_connect (toggle, "toggled", G_CALLBACK (toggle_toggled_cb), self);

      gtk_widget_set_tooltip_text (spin, _("Update interval of this stream, in milliseconds"));
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin),
                                 self->session ? lablink_session_get_interval (self->session,
                                                                               lablink_equipment_get_id (self->equipment),
                                                                               types[i])
                                               : LABLINK_DEFAULT_INTERVAL_MS);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Interval in milliseconds"), -1);
      g_signal_connect (spin, "value-changed", G_CALLBACK (interval_changed_cb), row);
      gtk_widget_add_css_class (unit, "dim-label");
      gtk_widget_add_css_class (status, "stream-status");
      gtk_label_set_xalign (GTK_LABEL (status), 0);

      gtk_box_append (GTK_BOX (box), toggle);
      gtk_box_append (GTK_BOX (box), spin);
      gtk_box_append (GTK_BOX (box), unit);
      gtk_box_append (GTK_BOX (box), status);
      gtk_widget_add_css_class (shared, "dim-label");
      gtk_label_set_ellipsize (GTK_LABEL (shared), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (shared), 0);
      gtk_widget_set_visible (shared, FALSE);
      gtk_box_append (GTK_BOX (box), shared);
      gtk_widget_set_name (reclaim, reclaim_name);
      gtk_widget_set_tooltip_text (reclaim, _("Ask the server for this interval again: it applies to every client"));
      gtk_widget_add_css_class (reclaim, "flat");
      gtk_widget_set_visible (reclaim, FALSE);
      g_signal_connect (reclaim, "clicked", G_CALLBACK (reclaim_clicked_cb), row);
      gtk_box_append (GTK_BOX (box), reclaim);
      gtk_box_append (self->streams_box, box);
    }

  lablink_stream_toolbar_sync (self);
}

void
lablink_stream_toolbar_set_session (LablinkStreamToolbar *self,
                                    LablinkSession       *session)
{
  g_return_if_fail (LABLINK_IS_STREAM_TOOLBAR (self));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  rebuild (self);
}

void
lablink_stream_toolbar_set_equipment (LablinkStreamToolbar *self,
                                      LablinkEquipment     *equipment)
{
  g_return_if_fail (LABLINK_IS_STREAM_TOOLBAR (self));

  if (self->equipment == equipment)
    return;
  g_set_object (&self->equipment, equipment);
  rebuild (self);
}

/**
 * lablink_stream_toolbar_get_equipment:
 * @self: a toolbar
 *
 * Returns: (transfer none) (nullable): the instrument whose streams it shows
 */
LablinkEquipment *
lablink_stream_toolbar_get_equipment (LablinkStreamToolbar *self)
{
  g_return_val_if_fail (LABLINK_IS_STREAM_TOOLBAR (self), NULL);
  return self->equipment;
}

static StreamRow *
find_row (LablinkStreamToolbar *self,
          const char           *stream_type)
{
  guint i;

  for (i = 0; i < self->rows->len; i++)
    {
      StreamRow *row = g_ptr_array_index (self->rows, i);
      if (g_strcmp0 (row->stream_type, stream_type) == 0)
        return row;
    }
  return NULL;
}

/**
 * lablink_stream_toolbar_get_toggle:
 * @self: a toolbar
 * @stream_type: a stream type
 *
 * Returns: (transfer none) (nullable): its toggle button
 */
GtkToggleButton *
lablink_stream_toolbar_get_toggle (LablinkStreamToolbar *self,
                                   const char           *stream_type)
{
  StreamRow *row;

  g_return_val_if_fail (LABLINK_IS_STREAM_TOOLBAR (self), NULL);
  row = find_row (self, stream_type);
  return row ? row->toggle : NULL;
}

/**
 * lablink_stream_toolbar_get_interval:
 * @self: a toolbar
 * @stream_type: a stream type
 *
 * Returns: (transfer none) (nullable): its interval spin button
 */
GtkSpinButton *
lablink_stream_toolbar_get_interval (LablinkStreamToolbar *self,
                                     const char           *stream_type)
{
  StreamRow *row;

  g_return_val_if_fail (LABLINK_IS_STREAM_TOOLBAR (self), NULL);
  row = find_row (self, stream_type);
  return row ? row->interval : NULL;
}

const char *
lablink_stream_toolbar_get_status_text (LablinkStreamToolbar *self,
                                        const char           *stream_type)
{
  StreamRow *row;

  g_return_val_if_fail (LABLINK_IS_STREAM_TOOLBAR (self), NULL);
  row = find_row (self, stream_type);
  return row ? gtk_label_get_label (row->status) : NULL;
}

/* The "another client changed it" text of @stream_type's row, or NULL
 * while the server sends at our interval. */
const char *
lablink_stream_toolbar_get_shared_text (LablinkStreamToolbar *self,
                                        const char           *stream_type)
{
  StreamRow *row;

  g_return_val_if_fail (LABLINK_IS_STREAM_TOOLBAR (self), NULL);
  row = find_row (self, stream_type);
  if (row == NULL || !gtk_widget_get_visible (GTK_WIDGET (row->shared)))
    return NULL;
  return gtk_label_get_label (row->shared);
}

static void
lablink_stream_toolbar_dispose (GObject *object)
{
  LablinkStreamToolbar *self = LABLINK_STREAM_TOOLBAR (object);

  g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session);
  g_clear_object (&self->equipment);
  g_ptr_array_set_size (self->rows, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), LABLINK_TYPE_STREAM_TOOLBAR);

  G_OBJECT_CLASS (lablink_stream_toolbar_parent_class)->dispose (object);
}

static void
lablink_stream_toolbar_finalize (GObject *object)
{
  LablinkStreamToolbar *self = LABLINK_STREAM_TOOLBAR (object);

  g_ptr_array_unref (self->rows);
  g_clear_object (&self->session_signals);
  G_OBJECT_CLASS (lablink_stream_toolbar_parent_class)->finalize (object);
}

static void
lablink_stream_toolbar_class_init (LablinkStreamToolbarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_stream_toolbar_dispose;
  object_class->finalize = lablink_stream_toolbar_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-stream-toolbar.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkStreamToolbar, box);
  gtk_widget_class_bind_template_child (widget_class, LablinkStreamToolbar, streams_box);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lablinkstreamtoolbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TOOLBAR);
}

static void
lablink_stream_toolbar_init (LablinkStreamToolbar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new_with_free_func (stream_row_free);

  /* Whatever changed, show what the session says. */
  self->session_signals = g_signal_group_new (LABLINK_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "streams-changed",
                                  G_CALLBACK (lablink_stream_toolbar_sync), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::state",
                                  G_CALLBACK (lablink_stream_toolbar_sync), self);
  g_signal_group_connect_swapped (self->session_signals, "stream-status-changed",
                                  G_CALLBACK (lablink_stream_toolbar_sync), self);
}
