/* lablink-settings.h — the app's GSettings, when its schema is installed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The settings of APP_ID, or %NULL (with a warning once) when the schema is
 * not installed: every caller degrades to defaults. */
GSettings *lablink_settings_new                (void);

guint      lablink_settings_get_stream_interval (GSettings  *settings,
                                                 const char *stream_key);
void       lablink_settings_set_stream_interval (GSettings  *settings,
                                                 const char *stream_key,
                                                 guint       interval_ms);
void       lablink_settings_add_recent_server   (GSettings  *settings,
                                                 const char *url);
char     **lablink_settings_dup_recent_servers  (GSettings  *settings);
guint      lablink_settings_get_history_seconds (GSettings  *settings);

#define LABLINK_MIN_INTERVAL_MS 50
#define LABLINK_MAX_INTERVAL_MS 5000
#define LABLINK_MAX_RECENT_SERVERS 8

G_END_DECLS
