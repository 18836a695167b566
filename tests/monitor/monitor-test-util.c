/* monitor-test-util.c — helpers for the GUI tests of lablink-monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "lablink-units.h"
#include "monitor-test-util.h"

void
mt_init (int    *argc,
         char ***argv)
{
  /* Never talk to a session bus or an accessibility bus in tests. */
  g_setenv ("GTK_A11Y", "none", FALSE);
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", FALSE);
  g_setenv ("ADW_DISABLE_PORTAL", "1", FALSE);
  g_test_init (argc, argv, NULL);
}

/* The application, registered (its startup has run: GTK and libadwaita are
 * initialised, actions and settings set up), but not running: tests iterate
 * the main loop themselves. */
LablinkApplication *
mt_app_new (void)
{
  g_autoptr(GError) error = NULL;
  LablinkApplication *app = lablink_application_new (G_APPLICATION_NON_UNIQUE);

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  /* Keep it alive while no window is open. */
  g_application_hold (G_APPLICATION (app));
  return app;
}

LablinkWindow *
mt_open_window (LablinkApplication *app,
                const char         *server_url,
                gboolean            demo)
{
  LablinkWindow *window;

  lablink_application_set_options (app, server_url, NULL, NULL, demo);
  window = lablink_application_open_window (app);
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  return window;
}

void
mt_close (LablinkApplication *app,
          LablinkWindow      *window)
{

  if (window)
    gtk_window_destroy (GTK_WINDOW (window));
  test_run_for (100);
  g_application_release (G_APPLICATION (app));
  g_object_unref (app);
}

/* A simulator started with @sim_args, the application and a window on it,
 * connected and with the equipment listed: every test case sets up its own. */
void
mt_fixture_setup (MtFixture          *fixture,
                  const char * const *sim_args)
{
  fixture->sim = test_sim_spawn (sim_args);
  fixture->app = mt_app_new ();
  fixture->window = mt_open_window (fixture->app, test_sim_get_url (fixture->sim), FALSE);
  g_assert_true (mt_wait_connected (fixture->window, TEST_TIMEOUT_MS));
  g_assert_true (mt_wait_equipment (fixture->window, TEST_TIMEOUT_MS));
  /* Laid out at its first size: connected (at default priority) may come
   * sooner, and a gtk_window_set_default_size() before that is lost. */
  TEST_ASSERT_EVENTUALLY (gtk_widget_get_width (GTK_WIDGET (fixture->window)) > 0);
}

void
mt_fixture_teardown (MtFixture *fixture)
{
  mt_close (fixture->app, fixture->window);
  g_clear_pointer (&fixture->sim, test_sim_free);
  fixture->app = NULL;
  fixture->window = NULL;
}

void
mt_setup (MtFixture     *fixture,
          gconstpointer  data)
{
  mt_fixture_setup (fixture, NULL);
}

void
mt_teardown (MtFixture     *fixture,
             gconstpointer  data)
{
  mt_fixture_teardown (fixture);
}

/* A second (third...) server in the window: @sim's, added as
 * win.add-server does, connected and with its equipment listed.
 * Returns its session (the window's). */
LablinkSession *
mt_add_server (LablinkWindow *window,
               TestSim       *sim)
{
  LablinkSession *session;

  mt_activate (window, "add-server", g_variant_new ("(ss)", test_sim_get_url (sim), ""));
  session = lablink_window_lookup_session (window, test_sim_get_url (sim));
  g_assert_nonnull (session);
  TEST_ASSERT_EVENTUALLY (lablink_session_get_connected (session) && lablink_session_get_equipment_loaded (session));
  mt_round_trip (window);
  return session;
}

static void
on_pong (LablinkStreamManager *manager,
         LablinkMessage       *message,
         gpointer              data)
{
  *(gboolean *) data = TRUE;
}

/* A ping and its pong: whatever the server sent before the pong (stream
 * frames already on their way when a stream was stopped) has landed. */
void
mt_round_trip (LablinkWindow *window)
{
  LablinkStreamManager *manager = lablink_session_get_manager (lablink_window_get_session (window));
  g_autoptr(GError) error = NULL;
  gboolean pong = FALSE;
  gulong id;

  id = g_signal_connect (manager, "message::pong", G_CALLBACK (on_pong), &pong);
  g_assert_true (lablink_stream_manager_send_ping (manager, &error));
  g_assert_no_error (error);
  g_assert_true (test_wait_for_flag (&pong, TEST_TIMEOUT_MS));
  g_signal_handler_disconnect (manager, id);
}

gboolean
mt_wait_connected (LablinkWindow *window,
                   guint          timeout_ms)
{
  LablinkSession *session = lablink_window_get_session (window);

  TEST_WAIT (lablink_session_get_connected (session), timeout_ms);
  return lablink_session_get_connected (session);
}

gboolean
mt_wait_equipment (LablinkWindow *window,
                   guint          timeout_ms)
{
  LablinkSession *session = lablink_window_get_session (window);

  TEST_WAIT (lablink_session_get_equipment_loaded (session), timeout_ms);
  return lablink_session_get_equipment_loaded (session);
}

const char *
mt_equipment_id (LablinkWindow        *window,
                 LablinkEquipmentKind  kind)
{
  GListModel *model = lablink_session_get_equipment (lablink_window_get_session (window));
  guint i;

  for (i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LablinkEquipment) equipment = g_list_model_get_item (model, i);

      if (lablink_equipment_get_kind (equipment) == kind)
        return lablink_equipment_get_id (equipment); /* the list keeps it */
    }
  return NULL;
}

GtkWidget *
mt_find (LablinkWindow *window,
         const char    *name)
{
  return lablink_widget_find_by_name (GTK_WIDGET (window), name);
}

/* What a label shows, as a number ("5.002", "1.000 kHz", "—" is none). */
gboolean
mt_label_number (GtkWidget *label,
                 double     *value)
{
  g_return_val_if_fail (GTK_IS_LABEL (label), FALSE);
  return lablink_parse_number (gtk_label_get_label (GTK_LABEL (label)), value);
}

gboolean
mt_meter_number (GtkWidget *meter,
                 double     *value)
{
  if (meter == NULL || !LABLINK_IS_METER (meter))
    return FALSE;
  return lablink_parse_number (lablink_meter_get_text (LABLINK_METER (meter)), value);
}

/* A command through @session's door, which takes the instrument's lock. */
JsonNode *
mt_command_on (LablinkSession *session,
               const char     *equipment_id,
               const char     *action,
               const char     *parameters_json)
{
  g_autoptr(JsonNode) params = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter waiter = { 0 };
  JsonNode *node;

  g_assert_nonnull (lablink_session_get_client (session));
  params = json_from_string (parameters_json ? parameters_json : "{}", NULL);
  g_assert_nonnull (params);
  lablink_session_send_command_async (session, equipment_id, action, json_node_get_object (params), NULL,
                                      test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  node = lablink_session_send_command_finish (session, result, &error);
  g_assert_no_error (error);
  return node;
}

JsonNode *
mt_command (LablinkWindow *window,
            const char    *equipment_id,
            const char    *action,
            const char    *parameters_json)
{
  return mt_command_on (lablink_window_get_session (window), equipment_id, action, parameters_json);
}

/* Resizes the window and waits until it is laid out at about that size
 * (less its client-side shadow) and drawn. */
void
mt_resize_window (GtkWindow *window,
                  int        width,
                  int        height)
{
  gtk_window_set_default_size (window, width, height);
  TEST_WAIT (ABS (gtk_widget_get_width (GTK_WIDGET (window)) - width) <= 40 &&
             ABS (gtk_widget_get_height (GTK_WIDGET (window)) - height) <= 40, TEST_TIMEOUT_MS);
  g_assert_cmpint (ABS (gtk_widget_get_width (GTK_WIDGET (window)) - width), <=, 40);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  test_run_for (300);
}

void
mt_resize (LablinkWindow *window,
           int            width,
           int            height)
{
  mt_resize_window (GTK_WINDOW (window), width, height);
}

JsonNode *
mt_snapshot (LablinkWindow *window,
             const char    *equipment_id,
             const char    *data_type)
{
  LablinkClient *client = lablink_session_get_client (lablink_window_get_session (window));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWaiter waiter = { 0 };
  JsonNode *node;

  lablink_client_get_snapshot_async (client, equipment_id, data_type, NULL, test_waiter_cb, &waiter);
  result = test_waiter_wait (&waiter);
  node = lablink_client_get_snapshot_finish (client, result, &error);
  g_assert_no_error (error);
  return node;
}

void
mt_activate (LablinkWindow *window,
             const char    *action,
             GVariant      *parameter)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), action, parameter);
}

/**
 * mt_assert_screenshot:
 * @widget: a realized, mapped widget (a window)
 * @name: file name, saved in $G_TEST_BUILDDIR/screenshots/
 *
 * Saves the widget as mt_screenshot() does and asserts it is not blank.
 */
void
mt_assert_screenshot (GtkWidget  *widget,
                      const char *name)
{
  g_autofree char *path = NULL;
  double variance = 0;

  path = mt_screenshot (widget, name, &variance);
  g_assert_cmpfloat (variance, >, 50.0);
}

/**
 * mt_screenshot:
 * @widget: a realized, mapped widget (a window)
 * @name: file name, saved in $G_TEST_BUILDDIR/screenshots/
 * @variance: (out): the variance of the pixels' luminance (0 = blank)
 *
 * Renders the widget as it is now to a PNG.
 *
 * Returns: (transfer full): the PNG's path
 */
char *
mt_screenshot (GtkWidget  *widget,
               const char *name,
               double     *variance)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  g_autofree char *dir = NULL;
  char *path;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double sum = 0, sum2 = 0;
  guint attempt;
  gsize n, i;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  /* The widget paintable has no image while the widget waits for its next
   * frame (live data keeps invalidating it): try again at the next one. */
  for (attempt = 0; node == NULL && attempt < 80; attempt++)
    {
      if (snapshot == NULL)
        {
          test_run_for (25);
          snapshot = gtk_snapshot_new ();
        }
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".", "screenshots", NULL);
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);

  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);

  /* Written through cairo: GDK 4.8's PNG writer leaks a buffer
   * (LeakSanitizer), cairo's does not. */
  {
    cairo_surface_t *surface = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_ARGB32,
                                                                    width, height, width * 4);
    g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy (surface);
  }
  n = (gsize) width * height;
  for (i = 0; i < n; i++)
    {
      /* CAIRO_FORMAT_ARGB32 in memory: B G R A */
      double y = 0.0722 * pixels[i * 4] + 0.7152 * pixels[i * 4 + 1] + 0.2126 * pixels[i * 4 + 2];
      sum += y;
      sum2 += y * y;
    }
  if (variance)
    *variance = sum2 / n - (sum / n) * (sum / n);

  g_test_message ("screenshot %s: %dx%d", path, width, height);
  return path;
}

/* The application's (first) review window, or NULL. */
LablinkReviewWindow *
mt_find_review_window (LablinkApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (LABLINK_IS_REVIEW_WINDOW (l->data))
      return l->data;
  return NULL;
}

/* Draws @plot again and waits for the frame. */
void
mt_plot_wait_drawn (LablinkPlot *plot)
{
  guint64 draws = lablink_plot_get_n_draws (plot);

  gtk_widget_queue_draw (GTK_WIDGET (plot));
  TEST_ASSERT_EVENTUALLY (lablink_plot_get_n_draws (plot) > draws);
}

/* Puts the pointer at (@x, @y) of @plot (widget coordinates) and waits for
 * the frame that draws its readout. Returns: the readout's text (the
 * plot's, until it draws again). */
const char *
mt_plot_hover (LablinkPlot *plot,
               double       x,
               double       y)
{
  guint64 draws = lablink_plot_get_n_draws (plot);

  lablink_plot_set_pointer (plot, x, y);
  TEST_ASSERT_EVENTUALLY (lablink_plot_get_n_draws (plot) > draws && lablink_plot_get_cursor_text (plot) != NULL);
  g_test_message ("readout at %.1f, %.1f px: %s", x, y, lablink_plot_get_cursor_text (plot));
  return lablink_plot_get_cursor_text (plot);
}

/**
 * mt_capture_new:
 * @root: the folder to create it in
 * @name: its name
 * @names: (array zero-terminated=1): the channels' names
 * @units: (array zero-terminated=1): their units
 * @n_rows: how many rows
 * @row_time: the time of a row (µs since the epoch, increasing)
 * @row_value: the value of a row's channel
 * @hole_row: with a gap recorded from row @hole_row - 1 to row @hole_row
 *   (as an outage leaves it), or 0 for none
 * @data_lost: whether that gap may have lost samples (else: recovered)
 *
 * A capture on disk for the review window's tests.
 *
 * Returns: (transfer full): its directory
 */
char *
mt_capture_new (const char         *root,
                const char         *name,
                const char * const *names,
                const char * const *units,
                guint64             n_rows,
                MtRowTime           row_time,
                MtRowValue          row_value,
                guint64             hole_row,
                gboolean            data_lost)
{
  g_autoptr(LablinkCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *ini = NULL;
  guint n_channels = g_strv_length ((char **) names);
  const gsize batch = 65536;
  g_autofree gint64 *times = g_new (gint64, batch);
  g_autofree double *values = g_new (double, batch * n_channels);

  capture = lablink_capture_new (root, name, names, units, &error);
  g_assert_no_error (error);
  lablink_capture_start (capture, &error);
  g_assert_no_error (error);
  for (guint64 row = 0; row < n_rows; row += batch)
    {
      gsize n = (gsize) MIN ((guint64) batch, n_rows - row), appended = 0;

      for (gsize i = 0; i < n; i++)
        {
          times[i] = row_time (row + i);
          for (guint c = 0; c < n_channels; c++)
            values[n_channels * i + c] = row_value (row + i, c);
        }
      lablink_capture_append (capture, n, times, values, &appended, &error);
      g_assert_no_error (error);
    }
  lablink_capture_stop (capture, &error);
  g_assert_no_error (error);

  if (hole_row > 0)
    {
      g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, row_time (hole_row - 1));
      g_autofree char *end = g_strdup_printf ("%" G_GINT64_FORMAT, row_time (hole_row));

      ini = g_build_filename (lablink_capture_get_directory (capture), "capture.ini", NULL);
      g_key_file_load_from_file (kf, ini, G_KEY_FILE_KEEP_COMMENTS, &error);
      g_assert_no_error (error);
      g_key_file_set_string (kf, "Gaps", "Start", start);
      g_key_file_set_string (kf, "Gaps", "End", end);
      g_key_file_set_string (kf, "Gaps", "DataLost", data_lost ? "true" : "false");
      g_key_file_save_to_file (kf, ini, &error);
      g_assert_no_error (error);
    }
  return g_strdup (lablink_capture_get_directory (capture));
}
