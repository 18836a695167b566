/* lablink-settings.c — the app's GSettings, when its schema is installed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>

#include "lablink-settings.h"

GSettings *
lablink_settings_new (void)
{
  static gboolean warned;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  if (schema == NULL)
    {
      if (!warned)
        g_message ("The settings schema %s is not installed: settings will not be kept", APP_ID);
      warned = TRUE;
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

guint
lablink_settings_get_stream_interval (GSettings  *settings,
                                      const char *stream_key)
{
  g_autoptr(GVariant) dict = NULL;
  guint32 value;

  if (settings == NULL || stream_key == NULL)
    return LABLINK_DEFAULT_INTERVAL_MS;

  dict = g_settings_get_value (settings, "stream-intervals");
  if (!g_variant_lookup (dict, stream_key, "u", &value))
    return LABLINK_DEFAULT_INTERVAL_MS;
  return CLAMP (value, LABLINK_MIN_INTERVAL_MS, LABLINK_MAX_INTERVAL_MS);
}

void
lablink_settings_set_stream_interval (GSettings  *settings,
                                      const char *stream_key,
                                      guint       interval_ms)
{
  g_autoptr(GVariant) dict = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  guint32 value;

  if (settings == NULL || stream_key == NULL)
    return;

  dict = g_settings_get_value (settings, "stream-intervals");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{su}"));
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&su}", &key, &value))
    if (g_strcmp0 (key, stream_key) != 0)
      g_variant_builder_add (&builder, "{su}", key, value);
  g_variant_builder_add (&builder, "{su}", stream_key, (guint32) interval_ms);
  g_settings_set_value (settings, "stream-intervals", g_variant_builder_end (&builder));
}

void
lablink_settings_add_recent_server (GSettings  *settings,
                                    const char *url)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;
  guint i, n = 1;

  if (settings == NULL || url == NULL || *url == '\0')
    return;

  old = g_settings_get_strv (settings, "recent-servers");
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, url);
  for (i = 0; old[i] && n < LABLINK_MAX_RECENT_SERVERS; i++)
    if (g_strcmp0 (old[i], url) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "recent-servers", (const char * const *) updated);
  g_settings_set_string (settings, "last-server", url);
}

char **
lablink_settings_dup_recent_servers (GSettings *settings)
{
  if (settings == NULL)
    return g_new0 (char *, 1);
  return g_settings_get_strv (settings, "recent-servers");
}

guint
lablink_settings_get_history_seconds (GSettings *settings)
{
  if (settings == NULL)
    return 60;
  return CLAMP (g_settings_get_uint (settings, "plot-history-seconds"), 10, 3600);
}
