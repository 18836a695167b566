/* lablink-stats-panel.h — live connection statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lablink-session.h"

G_BEGIN_DECLS

#define LABLINK_TYPE_STATS_PANEL (lablink_stats_panel_get_type ())
G_DECLARE_FINAL_TYPE (LablinkStatsPanel, lablink_stats_panel, LABLINK, STATS_PANEL, GtkWidget)

GtkWidget  *lablink_stats_panel_new              (void);
void        lablink_stats_panel_set_session      (LablinkStatsPanel *self,
                                                  LablinkSession    *session);
void        lablink_stats_panel_update           (LablinkStatsPanel *self);
const char *lablink_stats_panel_get_value_text   (LablinkStatsPanel *self,
                                                  const char        *name);
const char *lablink_stats_panel_get_stream_text  (LablinkStatsPanel *self,
                                                  const char        *stream_key,
                                                  const char        *column);

G_END_DECLS
