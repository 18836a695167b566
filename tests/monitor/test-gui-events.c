/* test-gui-events.c — the server's alarm frames as the events list shows
 * them: the recorded frames of LabLink 1.2.5 (scenario ws-alarm-broadcasts)
 * go through the session's "event" signal. An alarm told twice (`alarm`
 * and `alarm_event`, one event_id) is one event and one toast;
 * `alarm_updated` and `alarm_cleared` read as sentences naming the alarm.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lablink-events-panel.h"
#include "monitor-test-util.h"

/* The frames the client received in a scenario of the patched recording. */
static GPtrArray *
recorded_frames (const char *scenario)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "lablink-1.2.5",
                                                 "lablink-1.2.5-patched.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify) lablink_message_unref);
  guint i;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i]; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *record;
      const char *frame;

      if (*lines[i] == '\0' || !json_parser_load_from_data (parser, lines[i], -1, NULL))
        continue;
      record = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member_with_default (record, "scenario", ""), scenario) != 0 ||
          g_strcmp0 (json_object_get_string_member_with_default (record, "dir", ""), "recv") != 0)
        continue;
      frame = json_object_get_string_member (record, "frame");
      g_ptr_array_add (frames, lablink_message_parse (frame, -1, &error));
      g_assert_no_error (error);
    }
  return frames;
}

static void
test_alarm_once (MtFixture     *f,
                 gconstpointer  data)
{
  LablinkWindow *window = f->window;
  LablinkEventsPanel *events = lablink_window_get_events_panel (window);
  LablinkSession *session = lablink_window_get_session (window);
  g_autoptr(GPtrArray) frames = recorded_frames ("ws-alarm-broadcasts");
  guint toasts = lablink_window_get_n_toasts (window);
  guint i, raised = 0;

  /* alarm, alarm_event (the same one), alarm_updated, alarm_cleared,
   * alarm_event (a second one), alarm_cleared */
  g_assert_cmpuint (frames->len, ==, 6);
  lablink_events_panel_clear (events);
  for (i = 0; i < frames->len; i++)
    g_signal_emit_by_name (session, "event", frames->pdata[i]);

  for (i = 0; i < lablink_events_panel_get_n_events (events); i++)
    {
      g_test_message ("event %u: %s", i, lablink_events_panel_get_text (events, i));
      if (g_strcmp0 (lablink_events_panel_get_text (events, i), "Alarm: psu-overvoltage - voltage = 5.0") == 0)
        raised++;
    }
  g_assert_cmpuint (raised, ==, 1);
  g_assert_cmpuint (lablink_events_panel_get_n_events (events), ==, 5);
  g_assert_cmpuint (lablink_window_get_n_toasts (window), ==, toasts + 5);

  /* Newest first. */
  g_assert_cmpstr (lablink_events_panel_get_text (events, 0), ==, "Alarm “psu-overvoltage” cleared");
  g_assert_cmpstr (lablink_events_panel_get_text (events, 1), ==, "Alarm: psu-overvoltage - voltage = 6.5");
  g_assert_cmpstr (lablink_events_panel_get_text (events, 2), ==, "Alarm “psu-overvoltage” cleared");
  g_assert_cmpstr (lablink_events_panel_get_text (events, 3), ==, "Alarm “psu-overvoltage” acknowledged by fixture-capture");
  g_assert_cmpstr (lablink_events_panel_get_text (events, 4), ==, "Alarm: psu-overvoltage - voltage = 5.0");
  g_assert_cmpstr (lablink_window_get_last_toast (window), ==, "Alarm “psu-overvoltage” cleared");

  /* What the events page looks like. */
  {
    g_autofree char *path = NULL;

    lablink_window_set_page (window, "events");
    test_run_for (300);
    path = mt_screenshot (GTK_WIDGET (window), "events.png", NULL);
  }
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/events/alarm-once", MtFixture, NULL, mt_setup, test_alarm_once, mt_teardown);

  return g_test_run ();
}
