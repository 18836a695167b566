/* test-manager-waveform-capture.c — waveform frames without samples (the
 * real server's) are each completed through the capture endpoint, in the
 * order they came, also when a capture takes longer than the stream's
 * interval (the next frames come while it is in flight).
 *
 * The simulator (--lablink-compat: metadata only) reads its scope at once
 * (--scope-read-ms 0: a frame every interval) and captures records of
 * 100,000 points (a response of megabytes, slower than the 20 ms interval),
 * and closes the connection after a few messages: the frames received are
 * then counted exactly (the stream's statistics), and every one of them
 * must come out with its samples, once, in order.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <lablink.h>

#include "test-common.h"

#define SCOPE "scope_386959fc"
#define KEY   SCOPE "_waveform"

typedef struct {
  LablinkStreamManager *manager;
  GPtrArray            *delivered;   /* LablinkMessage, with samples */
  guint                 without_samples;
  gboolean              connect_done;
  gboolean              connected;
} Fixture;

static void
stream_data_cb (LablinkStreamManager *manager,
                LablinkMessage       *message,
                Fixture              *f)
{
  gsize n = 0;

  if (g_strcmp0 (lablink_message_get_stream_key (message), KEY) != 0)
    return;
  if (lablink_message_get_waveform (message, &n) != NULL && n == 100000)
    g_ptr_array_add (f->delivered, lablink_message_ref (message));
  else
    f->without_samples++;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Fixture *f = data;

  f->connected = lablink_stream_manager_connect_finish (LABLINK_STREAM_MANAGER (source), result, NULL);
  f->connect_done = TRUE;
}

static gboolean
connect_done (gpointer data)
{
  return ((Fixture *) data)->connect_done;
}

static gboolean
disconnected (gpointer data)
{
  return !lablink_stream_manager_get_connected (((Fixture *) data)->manager);
}

static guint64
frames_received (Fixture *f)
{
  g_autoptr(LablinkStatistics) stats = lablink_stream_manager_get_statistics (f->manager);
  guint64 messages = 0, dropped = 0;

  lablink_statistics_get_stream (stats, KEY, &messages, &dropped, NULL, NULL, NULL);
  g_assert_cmpuint (dropped, ==, 0);
  return messages;
}

static gboolean
all_delivered (gpointer data)
{
  Fixture *f = data;

  return f->delivered->len >= frames_received (f);
}

static void
test_slow_capture (void)
{
  const char *args[] = { "--lablink-compat", "--scope-read-ms", "0", "--scope-points", "100000",
                         "--drop-after-messages", "8", NULL };
  g_autoptr(TestSim) sim = test_sim_spawn (args);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (sim), NULL);
  g_autoptr(LablinkStatistics) stats = NULL;
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };
  guint64 received;
  guint i;

  f.delivered = g_ptr_array_new_with_free_func ((GDestroyNotify) lablink_message_unref);
  f.manager = g_object_new (LABLINK_TYPE_STREAM_MANAGER,
                            "client", client,
                            "reconnect", FALSE,
                            "polling-fallback", FALSE,
                            "ping-interval-ms", 60000,
                            NULL);
  g_signal_connect (f.manager, "stream-data", G_CALLBACK (stream_data_cb), &f);
  lablink_stream_manager_connect_async (f.manager, NULL, connected_cb, &f);
  g_assert_true (test_wait_until (connect_done, &f, TEST_TIMEOUT_MS));
  g_assert_true (f.connected);

  g_assert_true (lablink_stream_manager_start_equipment_stream (f.manager, SCOPE, "waveform", 20, &error));
  g_assert_no_error (error);

  /* The simulator closes the connection after its eighth message: no
   * frame comes after that (no reconnect), the count is final. */
  g_assert_true (test_wait_until (disconnected, &f, TEST_TIMEOUT_MS));
  received = frames_received (&f);
  g_test_message ("%" G_GUINT64_FORMAT " waveform frames received", received);
  g_assert_cmpuint (received, >=, 2);

  /* Every frame completed, once. */
  g_assert_true (test_wait_until (all_delivered, &f, TEST_TIMEOUT_MS));
  g_assert_cmpuint (f.delivered->len, ==, received);
  g_assert_cmpuint (f.without_samples, ==, 0);
  stats = lablink_stream_manager_get_statistics (f.manager);
  g_assert_cmpuint (lablink_statistics_get_errors (stats, LABLINK_ERROR_KIND_REST), ==, 0);

  /* In the order they came: each frame's own metadata (its data_id), in
   * the order the simulator sent them (their timestamps). */
  for (i = 1; i < f.delivered->len; i++)
    {
      g_autofree char *before = lablink_message_dup_string (g_ptr_array_index (f.delivered, i - 1), "data.timestamp");
      g_autofree char *after = lablink_message_dup_string (g_ptr_array_index (f.delivered, i), "data.timestamp");
      g_autofree char *id_before = lablink_message_dup_string (g_ptr_array_index (f.delivered, i - 1), "data.data_id");
      g_autofree char *id_after = lablink_message_dup_string (g_ptr_array_index (f.delivered, i), "data.data_id");

      g_assert_nonnull (before);
      g_assert_nonnull (after);
      g_assert_cmpstr (before, <, after);
      g_assert_cmpstr (id_before, !=, id_after);
    }

  g_clear_object (&f.manager);
  g_ptr_array_unref (f.delivered);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manager/waveform-capture/slower-than-interval", test_slow_capture);

  return g_test_run ();
}
