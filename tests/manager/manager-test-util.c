/* manager-test-util.c — counting what a LablinkStreamManager delivers, and
 * waiting for it, in the stream manager tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "manager-test-util.h"

void
counter_init (Counter *c)
{
  memset (c, 0, sizeof *c);
  c->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
counter_clear (Counter *c)
{
  g_clear_pointer (&c->counts, g_hash_table_unref);
}

guint
count_of (Counter    *c,
          const char *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (c->counts, key));
}

static void
on_stream_data (LablinkStreamManager *manager,
                LablinkMessage       *message,
                Counter              *c)
{
  const char *key = lablink_message_get_stream_key (message);
  gsize n = 0;

  g_hash_table_replace (c->counts, g_strdup (key), GUINT_TO_POINTER (count_of (c, key) + 1));
  if (lablink_message_get_waveform (message, &n) != NULL && n > 0)
    c->waveforms_with_samples++;
}

static void
on_message (LablinkStreamManager *manager,
            LablinkMessage       *message,
            Counter              *c)
{
  c->messages++;
}

static void
on_frame_error (LablinkStreamManager *manager,
                const GError         *error,
                Counter              *c)
{
  g_assert_error (error, LABLINK_ERROR, error->code);
  c->frame_errors++;
}

static void
on_acquisition_data (LablinkStreamManager *manager,
                     LablinkMessage       *message,
                     Counter              *c)
{
  if (lablink_message_get_n_samples (message) > 0)
    c->acquisition++;
}

static void
on_event (LablinkStreamManager *manager,
          LablinkMessage       *message,
          Counter              *c)
{
  c->events++;
}

LablinkStreamManager *
new_manager (LablinkClient *client,
             Counter       *c)
{
  LablinkStreamManager *manager = g_object_new (LABLINK_TYPE_STREAM_MANAGER,
                                                "client", client,
                                                "backoff-initial-ms", 100,
                                                "backoff-max-ms", 1000,
                                                "ping-interval-ms", 60000,
                                                NULL);
  g_signal_connect (manager, "stream-data", G_CALLBACK (on_stream_data), c);
  g_signal_connect (manager, "message", G_CALLBACK (on_message), c);
  g_signal_connect (manager, "frame-error", G_CALLBACK (on_frame_error), c);
  g_signal_connect (manager, "acquisition-data", G_CALLBACK (on_acquisition_data), c);
  g_signal_connect (manager, "event", G_CALLBACK (on_event), c);
  return manager;
}

gboolean
async_done (gpointer data)
{
  return ((Async *) data)->done;
}

void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Async *a = data;

  a->ok = lablink_stream_manager_connect_finish (LABLINK_STREAM_MANAGER (source), result, &a->error);
  a->done = TRUE;
}

gboolean
connect_manager (LablinkStreamManager  *manager,
                 GError               **error)
{
  Async a = { 0 };

  lablink_stream_manager_connect_async (manager, NULL, connect_cb, &a);
  g_assert_true (test_wait_until (async_done, &a, TEST_TIMEOUT_MS));
  if (a.error)
    g_propagate_error (error, a.error);
  return a.ok;
}

gboolean
is_connected (gpointer data)
{
  return lablink_stream_manager_get_connected (data);
}

typedef struct {
  Counter    *c;
  const char *key;
  guint       at_least;
} CountWait;

static gboolean
count_reached (gpointer data)
{
  CountWait *w = data;
  return count_of (w->c, w->key) >= w->at_least;
}

void
wait_count (Counter    *c,
            const char *key,
            guint       at_least,
            guint       timeout_ms)
{
  CountWait w = { c, key, at_least };

  if (!test_wait_until (count_reached, &w, timeout_ms))
    g_error ("%s: %u frames after %u ms, expected at least %u", key, count_of (c, key), timeout_ms, at_least);
}

typedef struct {
  gboolean done;
  char    *id;
  GError  *error;
} CreateWait;

static void
create_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  CreateWait *w = data;

  w->id = lablink_client_create_acquisition_finish (LABLINK_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

static void
control_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  CreateWait *w = data;

  lablink_client_control_acquisition_finish (LABLINK_CLIENT (source), result, &w->error);
  w->done = TRUE;
}

char *
create_acquisition (LablinkClient *client)
{
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(JsonArray) channels = json_array_new ();
  CreateWait w = { 0 };
  CreateWait s = { 0 };

  json_array_add_string_element (channels, "CH1");
  json_array_add_string_element (channels, "CH2");
  json_object_set_string_member (config, "equipment_id", PSU);
  json_object_set_string_member (config, "name", "test-manager");
  json_object_set_string_member (config, "mode", "continuous");
  json_object_set_double_member (config, "sample_rate", 50);
  json_object_set_array_member (config, "channels", json_array_ref (channels));

  lablink_client_create_acquisition_async (client, config, NULL, create_cb, &w);
  g_assert_true (test_wait_until (async_done, &w, TEST_TIMEOUT_MS));
  g_assert_no_error (w.error);
  g_assert_nonnull (w.id);

  lablink_client_control_acquisition_async (client, w.id, "start", NULL, control_cb, &s);
  g_assert_true (test_wait_until (async_done, &s, TEST_TIMEOUT_MS));
  g_assert_no_error (s.error);
  return w.id;
}

gboolean
acquisition_frames (gpointer data)
{
  return ((Counter *) data)->acquisition >= 3;
}
