/* test-gui-scope-acquisition.c — the scope panel draws the channels of one
 * acquisition together: a waveform whose server says a higher channel is
 * enabled waits for that channel's frame (or, if it never comes, a short
 * while), and is then shown with it; frames that say nothing of the other
 * channels (the real server's) are shown at once.
 *
 * The frames are handed to the panel as the session hands them over (its
 * stream-data signal), so what is held is counted exactly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lablink-scope-panel.h"
#include "monitor-test-util.h"

static const char *
select_scope (MtFixture *f)
{
  const char *scope = mt_equipment_id (f->window, LABLINK_EQUIPMENT_OSCILLOSCOPE);

  g_assert_nonnull (scope);
  g_assert_true (lablink_window_select_equipment (f->window, scope));
  g_assert_nonnull (lablink_window_get_panel (f->window, scope));
  return scope;
}

/* A waveform frame of @channel with four samples; @enabled: the
 * enabled_channels member as JSON, or NULL for none (the real server). */
static void
send_waveform (MtFixture  *f,
               const char *scope,
               guint       channel,
               const char *enabled)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *members = enabled ? g_strdup_printf (",\"enabled_channels\":%s", enabled) : g_strdup ("");
  g_autofree char *text =
    g_strdup_printf ("{\"type\":\"stream_data\",\"equipment_id\":\"%s\",\"stream_type\":\"waveform\","
                     "\"data\":{\"channel\":%u,\"sample_rate\":1000.0,\"num_samples\":4%s,"
                     "\"voltage_data\":[0.0,%u.0,0.5,-1.0]}}",
                     scope, channel, members, channel);
  g_autoptr(LablinkMessage) message = lablink_message_parse (text, -1, &error);
  g_autofree char *signal = NULL;
  gsize n = 0;

  g_assert_no_error (error);
  g_assert_nonnull (lablink_message_get_waveform (message, &n));
  g_assert_cmpuint (n, ==, 4);
  signal = g_strconcat ("stream-data::", lablink_message_get_stream_key (message), NULL);
  g_signal_emit_by_name (lablink_window_get_session (f->window), signal, message);
}

static LablinkScopePanel *
panel_of (MtFixture  *f,
          const char *scope)
{
  return LABLINK_SCOPE_PANEL (lablink_window_get_panel (f->window, scope));
}

typedef struct {
  LablinkScopePanel *panel;
  guint64            count;
} WaitCount;

static gboolean
waveforms_reach (gpointer data)
{
  WaitCount *w = data;

  return lablink_scope_panel_get_n_waveforms (w->panel) >= w->count;
}

static void
test_channels_together (MtFixture     *f,
                        gconstpointer  data)
{
  const char *scope = select_scope (f);
  LablinkScopePanel *panel = panel_of (f, scope);
  guint64 base = lablink_scope_panel_get_n_waveforms (panel);

  /* CH1 of an acquisition of CH1 and CH2: held for CH2. */
  send_waveform (f, scope, 1, "[1,2]");
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), ==, base);
  /* CH2: both shown, in the same main loop iteration (one frame). */
  send_waveform (f, scope, 2, "[1,2]");
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), ==, base + 2);
  g_assert_cmpuint (lablink_scope_panel_get_n_samples (panel, 1), ==, 4);
  g_assert_cmpuint (lablink_scope_panel_get_n_samples (panel, 2), ==, 4);

  /* Four channels: the first three wait for the fourth. */
  send_waveform (f, scope, 1, "[1,2,3,4]");
  send_waveform (f, scope, 2, "[1,2,3,4]");
  send_waveform (f, scope, 3, "[1,2,3,4]");
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), ==, base + 2);
  send_waveform (f, scope, 4, "[1,2,3,4]");
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), ==, base + 6);

  /* The highest enabled channel, and frames that do not say which
   * channels are enabled, are shown at once. */
  send_waveform (f, scope, 2, "[2]");
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), ==, base + 7);
  send_waveform (f, scope, 1, NULL);
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), ==, base + 8);
}

/* A held channel is shown when the next acquisition starts, or when the
 * channel it waits for never comes. */
static void
test_missing_channel (MtFixture     *f,
                      gconstpointer  data)
{
  const char *scope = select_scope (f);
  LablinkScopePanel *panel = panel_of (f, scope);
  guint64 base = lablink_scope_panel_get_n_waveforms (panel);
  WaitCount wait = { panel, base + 3 };

  /* CH1 again: the held one is shown, the new one held. */
  send_waveform (f, scope, 1, "[1,2]");
  send_waveform (f, scope, 1, "[1,2]");
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), ==, base + 1);
  /* A frame that says nothing of the others: the held one first. */
  send_waveform (f, scope, 3, NULL);
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), ==, base + 3);

  /* CH2 never comes: CH1 is shown all the same, soon. */
  send_waveform (f, scope, 1, "[1,2]");
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), ==, base + 3);
  wait.count = base + 4;
  g_assert_true (test_wait_until (waveforms_reach, &wait, TEST_TIMEOUT_MS));
  g_assert_cmpuint (lablink_scope_panel_get_n_waveforms (panel), ==, base + 4);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/gui/scope-acquisition/channels-together", MtFixture, NULL, mt_setup, test_channels_together, mt_teardown);
  g_test_add ("/gui/scope-acquisition/missing-channel", MtFixture, NULL, mt_setup, test_missing_channel, mt_teardown);

  return g_test_run ();
}
