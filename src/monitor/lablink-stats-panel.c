/* lablink-stats-panel.c — live connection statistics
 *
 * Polls lablink_session_get_statistics() once a second while shown (a
 * snapshot: cheap) and updates labels in place; hidden, it never wakes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lablink-stats-panel.h"
#include "lablink-units.h"

static const struct {
  const char *name;
  const char *caption;
} totals[] = {
  { "state", N_("State") },
  { "messages-received", N_("Messages received") },
  { "bytes-received", N_("Bytes received") },
  { "messages-sent", N_("Messages sent") },
  { "bytes-sent", N_("Bytes sent") },
  { "errors", N_("Errors") },
  { "dropped", N_("Dropped frames") },
  { "reconnects", N_("Reconnects") },
  { "latency", N_("Ping latency") },
  { "uptime", N_("Uptime") },
  { "active-streams", N_("Active streams") },
};

static const struct {
  LablinkErrorKind kind;
  const char      *name;
  const char      *caption;
} error_kinds[] = {
  { LABLINK_ERROR_KIND_MALFORMED, "errors-malformed", N_("Malformed frames") },
  { LABLINK_ERROR_KIND_INVALID, "errors-invalid", N_("Invalid frames") },
  { LABLINK_ERROR_KIND_TOO_LARGE, "errors-too-large", N_("Too large") },
  { LABLINK_ERROR_KIND_BINARY, "errors-binary", N_("Binary frames") },
  { LABLINK_ERROR_KIND_SERVER, "errors-server", N_("Server errors") },
  { LABLINK_ERROR_KIND_CONNECTION, "errors-connection", N_("Connection failures") },
  { LABLINK_ERROR_KIND_REST, "errors-rest", N_("REST failures") },
};

/* Send → screen, as the window measures it (lablink-frame-latency.c), for
 * servers that stamp their frames (the simulator). */
static const struct {
  const char *name;
  const char *caption;
  double      fraction;
} screen_latency[] = {
  { "screen-latency-p50", N_("Send → screen (median)"), 0.50 },
  { "screen-latency-p99", N_("Send → screen (99th percentile)"), 0.99 },
};

static const char *stream_columns[] = { "key", "messages", "rate", "dropped", "age", "status" };

struct _LablinkStatsPanel
{
  GtkWidget       parent_instance;

  GtkWidget      *scroller;
  GtkGrid        *totals_grid;
  GtkGrid        *errors_grid;
  GtkGrid        *streams_grid;

  GHashTable     *labels;        /* name → GtkLabel */
  GHashTable     *stream_labels; /* "key/column" → GtkLabel */
  char          **stream_keys;
  LablinkSession *session;
  guint           timer;
};

G_DEFINE_FINAL_TYPE (LablinkStatsPanel, lablink_stats_panel, GTK_TYPE_WIDGET)

static GtkLabel *
add_row (LablinkStatsPanel *self,
         GtkGrid           *grid,
         int                row,
         const char        *name,
         const char        *caption)
{
  GtkWidget *c = gtk_label_new (caption);
  GtkWidget *v = gtk_label_new ("—");
  g_autofree char *widget_name = g_strconcat ("stats-", name, NULL);

  gtk_label_set_xalign (GTK_LABEL (c), 0);
  gtk_widget_add_css_class (c, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (v), 1);
  gtk_widget_set_hexpand (v, TRUE);
  gtk_widget_add_css_class (v, "numeric");
  gtk_widget_set_name (v, widget_name);
  gtk_label_set_selectable (GTK_LABEL (v), TRUE);
  gtk_grid_attach (grid, c, 0, row, 1, 1);
  gtk_grid_attach (grid, v, 1, row, 1, 1);
  g_hash_table_insert (self->labels, g_strdup (name), v);
  return GTK_LABEL (v);
}

static void
set_text (LablinkStatsPanel *self,
          const char        *name,
          const char        *text)
{
  GtkLabel *label = g_hash_table_lookup (self->labels, name);

  if (label && g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static void
set_count (LablinkStatsPanel *self,
           const char        *name,
           guint64            value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
  set_text (self, name, text);
}

static void
set_bytes (LablinkStatsPanel *self,
           const char        *name,
           guint64            value)
{
  g_autofree char *text = g_format_size (value);
  set_text (self, name, text);
}

static void
rebuild_streams (LablinkStatsPanel *self,
                 char             **keys)
{
  static const char *titles[] = { N_("Stream"), N_("Messages"), N_("Rate"), N_("Dropped"), N_("Last"), N_("Status") };
  GtkWidget *child;
  guint i, c;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->streams_grid))))
    gtk_grid_remove (self->streams_grid, child);
  g_hash_table_remove_all (self->stream_labels);

  for (c = 0; c < G_N_ELEMENTS (titles); c++)
    {
      GtkWidget *t = gtk_label_new (_(titles[c]));
      gtk_label_set_xalign (GTK_LABEL (t), c == 0 ? 0 : 1);
      gtk_widget_add_css_class (t, "dim-label");
      gtk_grid_attach (self->streams_grid, t, (int) c, 0, 1, 1);
    }

  for (i = 0; keys && keys[i]; i++)
    for (c = 0; c < G_N_ELEMENTS (stream_columns); c++)
      {
        GtkWidget *label = gtk_label_new (c == 0 ? keys[i] : "—");
        g_autofree char *name = g_strdup_printf ("stream-%s-%s", keys[i], stream_columns[c]);

        gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0 : 1);
        if (c == 0)
          {
            gtk_widget_set_hexpand (label, TRUE);
            gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
          }
        gtk_widget_add_css_class (label, "numeric");
        gtk_widget_set_name (label, name);
        gtk_grid_attach (self->streams_grid, label, (int) c, (int) i + 1, 1, 1);
        g_hash_table_insert (self->stream_labels, g_strdup_printf ("%s/%s", keys[i], stream_columns[c]), label);
      }

  g_strfreev (self->stream_keys);
  self->stream_keys = g_strdupv (keys);
}

static void
set_stream (LablinkStatsPanel *self,
            const char        *key,
            const char        *column,
            const char        *text)
{
  g_autofree char *k = g_strdup_printf ("%s/%s", key, column);
  GtkLabel *label = g_hash_table_lookup (self->stream_labels, k);

  if (label && g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

void
lablink_stats_panel_update (LablinkStatsPanel *self)
{
  g_autoptr(LablinkStatistics) stats = NULL;
  g_auto(GStrv) keys = NULL;
  guint i;

  g_return_if_fail (LABLINK_IS_STATS_PANEL (self));

  set_text (self, "state", self->session ? lablink_connection_state_describe (lablink_session_get_state (self->session))
                                         : _("Offline"));
  stats = self->session ? lablink_session_get_statistics (self->session) : NULL;
  if (stats == NULL)
    return;

  set_count (self, "messages-received", lablink_statistics_get_messages_received (stats));
  set_bytes (self, "bytes-received", lablink_statistics_get_bytes_received (stats));
  set_count (self, "messages-sent", lablink_statistics_get_messages_sent (stats));
  set_bytes (self, "bytes-sent", lablink_statistics_get_bytes_sent (stats));
  set_count (self, "errors", lablink_statistics_get_errors_total (stats));
  set_count (self, "dropped", lablink_statistics_get_dropped (stats));
  set_count (self, "reconnects", lablink_statistics_get_reconnects (stats));
  set_count (self, "active-streams", lablink_statistics_get_n_active_streams (stats));
  {
    double latency = lablink_statistics_get_ping_latency_ms (stats);
    g_autofree char *text = latency > 0 && isfinite (latency) ? g_strdup_printf (_("%.1f ms"), latency)
                                                               : g_strdup ("—");
    set_text (self, "latency", text);
  }
  {
    g_autofree char *text = lablink_format_duration (lablink_statistics_get_uptime_s (stats));
    set_text (self, "uptime", text);
  }
  for (i = 0; i < G_N_ELEMENTS (error_kinds); i++)
    set_count (self, error_kinds[i].name, lablink_statistics_get_errors (stats, error_kinds[i].kind));
  for (i = 0; i < G_N_ELEMENTS (screen_latency); i++)
    {
      LablinkLatency *latency = lablink_session_get_latency (self->session);
      gint64 usec = lablink_latency_get_percentile (latency, screen_latency[i].fraction);
      g_autofree char *text = usec >= 0 ? g_strdup_printf (_("%.1f ms"), usec / 1000.0) : g_strdup ("—");

      set_text (self, screen_latency[i].name, text);
    }

  keys = lablink_statistics_get_stream_keys (stats);
  if (self->stream_keys == NULL || !g_strv_equal ((const char * const *) keys, (const char * const *) self->stream_keys))
    rebuild_streams (self, keys);

  for (i = 0; keys && keys[i]; i++)
    {
      guint64 messages = 0, dropped = 0, polled = 0;
      double rate = 0, age = -1, polled_rate = 0;
      LablinkStreamStatus status = LABLINK_STREAM_STATUS_STOPPED;
      g_autofree char *m = NULL;
      g_autofree char *r = NULL;
      g_autofree char *d = NULL;
      g_autofree char *a = NULL;

      if (!lablink_statistics_get_stream (stats, keys[i], &messages, &dropped, &rate, &age, &status))
        continue;
      lablink_statistics_get_stream_polled (stats, keys[i], &polled, &polled_rate);
      /* Values from the REST fallback count, and say so. */
      m = g_strdup_printf ("%" G_GUINT64_FORMAT, messages);
      if (polled > 0)
        {
          g_autofree char *total = g_steal_pointer (&m);
          g_autofree char *p = g_strdup_printf ("%" G_GUINT64_FORMAT, polled);

          /* TRANSLATORS: messages of a stream, of which values from REST polls */
          m = g_strdup_printf (_("%s (%s polled)"), total, p);
        }
      if (polled_rate >= 0.05)
        r = g_strdup_printf (_("%.1f /s (%.1f polled)"), rate, polled_rate);
      else
        r = g_strdup_printf (_("%.1f /s"), rate);
      d = g_strdup_printf ("%" G_GUINT64_FORMAT, dropped);
      a = age >= 0 && isfinite (age) ? g_strdup_printf (_("%.1f s ago"), age) : g_strdup ("—");
      set_stream (self, keys[i], "messages", m);
      set_stream (self, keys[i], "rate", r);
      set_stream (self, keys[i], "dropped", d);
      set_stream (self, keys[i], "age", a);
      set_stream (self, keys[i], "status", lablink_stream_status_describe (status));
    }
}

static gboolean
tick_cb (gpointer data)
{
  lablink_stats_panel_update (data);
  return G_SOURCE_CONTINUE;
}

static void
lablink_stats_panel_map (GtkWidget *widget)
{
  LablinkStatsPanel *self = LABLINK_STATS_PANEL (widget);

  GTK_WIDGET_CLASS (lablink_stats_panel_parent_class)->map (widget);
  lablink_stats_panel_update (self);
  if (self->timer == 0)
    self->timer = g_timeout_add_seconds (1, tick_cb, self);
}

static void
lablink_stats_panel_unmap (GtkWidget *widget)
{
  LablinkStatsPanel *self = LABLINK_STATS_PANEL (widget);

  g_clear_handle_id (&self->timer, g_source_remove);
  GTK_WIDGET_CLASS (lablink_stats_panel_parent_class)->unmap (widget);
}

void
lablink_stats_panel_set_session (LablinkStatsPanel *self,
                                 LablinkSession    *session)
{
  g_return_if_fail (LABLINK_IS_STATS_PANEL (self));

  g_set_object (&self->session, session);
  lablink_stats_panel_update (self);
}

/**
 * lablink_stats_panel_get_value_text:
 * @self: the panel
 * @name: "messages-received", "bytes-received", "errors", "errors-malformed",
 *   "dropped", "reconnects", "latency", "uptime", …
 *
 * Returns: (nullable): what the panel shows for it
 */
const char *
lablink_stats_panel_get_value_text (LablinkStatsPanel *self,
                                    const char        *name)
{
  GtkLabel *label;

  g_return_val_if_fail (LABLINK_IS_STATS_PANEL (self), NULL);
  label = g_hash_table_lookup (self->labels, name);
  return label ? gtk_label_get_label (label) : NULL;
}

/**
 * lablink_stats_panel_get_stream_text:
 * @self: the panel
 * @stream_key: a stream
 * @column: "messages", "rate", "dropped", "age" or "status"
 *
 * Returns: (nullable): what the panel shows for it
 */
const char *
lablink_stats_panel_get_stream_text (LablinkStatsPanel *self,
                                     const char        *stream_key,
                                     const char        *column)
{
  g_autofree char *k = NULL;
  GtkLabel *label;

  g_return_val_if_fail (LABLINK_IS_STATS_PANEL (self), NULL);
  k = g_strdup_printf ("%s/%s", stream_key, column);
  label = g_hash_table_lookup (self->stream_labels, k);
  return label ? gtk_label_get_label (label) : NULL;
}

static void
lablink_stats_panel_dispose (GObject *object)
{
  LablinkStatsPanel *self = LABLINK_STATS_PANEL (object);

  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), LABLINK_TYPE_STATS_PANEL);

  G_OBJECT_CLASS (lablink_stats_panel_parent_class)->dispose (object);
}

static void
lablink_stats_panel_finalize (GObject *object)
{
  LablinkStatsPanel *self = LABLINK_STATS_PANEL (object);

  g_hash_table_unref (self->labels);
  g_hash_table_unref (self->stream_labels);
  g_strfreev (self->stream_keys);

  G_OBJECT_CLASS (lablink_stats_panel_parent_class)->finalize (object);
}

static void
lablink_stats_panel_class_init (LablinkStatsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_stats_panel_dispose;
  object_class->finalize = lablink_stats_panel_finalize;
  widget_class->map = lablink_stats_panel_map;
  widget_class->unmap = lablink_stats_panel_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-stats-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkStatsPanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, LablinkStatsPanel, totals_grid);
  gtk_widget_class_bind_template_child (widget_class, LablinkStatsPanel, errors_grid);
  gtk_widget_class_bind_template_child (widget_class, LablinkStatsPanel, streams_grid);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lablinkstatspanel");
}

static void
lablink_stats_panel_init (LablinkStatsPanel *self)
{
  guint i;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->stream_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (i = 0; i < G_N_ELEMENTS (totals); i++)
    add_row (self, self->totals_grid, (int) i, totals[i].name, _(totals[i].caption));
  for (i = 0; i < G_N_ELEMENTS (screen_latency); i++)
    add_row (self, self->totals_grid, (int) (G_N_ELEMENTS (totals) + i),
             screen_latency[i].name, _(screen_latency[i].caption));
  for (i = 0; i < G_N_ELEMENTS (error_kinds); i++)
    add_row (self, self->errors_grid, (int) i, error_kinds[i].name, _(error_kinds[i].caption));
  rebuild_streams (self, NULL);
}

GtkWidget *
lablink_stats_panel_new (void)
{
  return g_object_new (LABLINK_TYPE_STATS_PANEL, NULL);
}
