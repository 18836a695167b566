/* test-gui-shared.c — a stream the app runs, changed by another client
 *
 * The server runs one stream for all its clients (issue 8, failure 2):
 * another client's start_stream sets the interval for everyone. The stream
 * toolbar says so ("Server sends every 460 ms (another client changed it)")
 * and "Use 200 ms" asks for ours again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "monitor-test-util.h"

static gboolean
other_connected (gpointer data)
{
  return lablink_stream_manager_get_connected (data);
}

static void
test_other_interval (MtFixture     *f,
                     gconstpointer  data)
{
  LablinkWindow *window = f->window;
  LablinkSession *session = lablink_window_get_session (window);
  LablinkStreamToolbar *toolbar = lablink_window_get_stream_toolbar (window);
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  g_autoptr(LablinkClient) client = lablink_client_new (test_sim_get_url (f->sim), NULL);
  g_autoptr(LablinkStreamManager) other = lablink_stream_manager_new (client);
  g_autoptr(GError) error = NULL;
  g_autofree char *use = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;
  GtkWidget *reclaim;
  const char *text;
  guint interval;

  lablink_session_set_interval (session, psu, LABLINK_STREAM_READINGS, 200);
  interval = lablink_session_get_interval (session, psu, LABLINK_STREAM_READINGS);
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  TEST_WAIT (g_strcmp0 (lablink_stream_toolbar_get_status_text (toolbar, LABLINK_STREAM_READINGS), "Running") == 0,
             TEST_TIMEOUT_MS);
  g_assert_cmpstr (lablink_stream_toolbar_get_status_text (toolbar, LABLINK_STREAM_READINGS), ==, "Running");
  g_assert_null (lablink_stream_toolbar_get_shared_text (toolbar, LABLINK_STREAM_READINGS));

  /* Another client asks for 450 ms (within three of our intervals: not taken for a stop). */
  lablink_stream_manager_connect_async (other, NULL, NULL, NULL);
  g_assert_true (test_wait_until (other_connected, other, TEST_TIMEOUT_MS));
  g_assert_true (lablink_stream_manager_start_equipment_stream (other, psu, LABLINK_STREAM_READINGS, 450, &error));
  g_assert_no_error (error);

  TEST_WAIT (lablink_stream_toolbar_get_shared_text (toolbar, LABLINK_STREAM_READINGS) != NULL, TEST_TIMEOUT_MS);
  text = lablink_stream_toolbar_get_shared_text (toolbar, LABLINK_STREAM_READINGS);
  g_assert_nonnull (text);
  g_assert_true (g_str_has_prefix (text, "Server sends every "));
  g_assert_nonnull (strstr (text, "another client changed it"));
  reclaim = mt_find (window, "reclaim-readings");
  use = g_strdup_printf ("Use %u ms", interval);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (reclaim)), ==, use);
  g_assert_true (gtk_widget_get_visible (reclaim));
  path = mt_screenshot (GTK_WIDGET (window), "stream-shared.png", NULL);
  g_test_message ("%s", path);

  /* "Use 200 ms": ours again; the other client is the one told now. */
  g_signal_emit_by_name (reclaim, "clicked");
  g_assert_null (lablink_stream_toolbar_get_shared_text (toolbar, LABLINK_STREAM_READINGS));
  key = lablink_protocol_stream_key (psu, LABLINK_STREAM_READINGS);
  TEST_WAIT (lablink_stream_manager_get_server_interval (other, key) != 0, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_stream_manager_get_server_interval (other, key), !=, 0);
  g_assert_null (lablink_stream_toolbar_get_shared_text (toolbar, LABLINK_STREAM_READINGS));
  g_assert_cmpstr (lablink_stream_toolbar_get_status_text (toolbar, LABLINK_STREAM_READINGS), !=, "Polling");

  lablink_stream_manager_disconnect (other);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/shared/other-interval", MtFixture, NULL, mt_setup, test_other_interval, mt_teardown);

  return g_test_run ();
}
