/* monitor-test-util.c — helpers for the GUI tests of lablink-monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "lablink-units.h"
#include "monitor-test-util.h"

/* lablink-sim as a child that dies with the test (PR_SET_PDEATHSIG): a
 * failed assertion never leaves a simulator behind holding the test's
 * output open. */
struct _MtSim
{
  GStrv        args;
  GSubprocess *process;
  char        *url;
  guint        port;
};

typedef struct {
  GDataInputStream *in;
  char             *line;
  gboolean          done;
} LineRead;

static void
line_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  LineRead *read = data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  read->done = TRUE;
}

static void
child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
sim_start (MtSim *sim,
           guint  port)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char *exe = g_getenv ("LABLINK_SIM");
  LineRead read = { 0 };
  guint i;

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, g_strdup (exe));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", port));
  for (i = 0; sim->args && sim->args[i]; i++)
    g_ptr_array_add (argv, g_strdup (sim->args[i]));
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  sim->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, NULL, line_cb, &read);
  MT_WAIT (read.done, 10000);
  g_assert_true (read.done);
  g_assert_nonnull (read.line);
  g_assert_true (g_str_has_prefix (read.line, "http://127.0.0.1:"));

  g_free (sim->url);
  sim->url = g_strchomp (read.line);
  sim->port = (guint) g_ascii_strtoull (strrchr (sim->url, ':') + 1, NULL, 10);
  g_assert_cmpuint (sim->port, >, 0);
}

/**
 * mt_sim_spawn:
 * @args: (nullable): more lablink-sim options ("--auth=u:p", …)
 */
MtSim *
mt_sim_spawn (const char * const *args)
{
  MtSim *sim = g_new0 (MtSim, 1);

  sim->args = g_strdupv ((char **) args);
  sim_start (sim, 0);
  return sim;
}

const char *
mt_sim_get_url (MtSim *sim)
{
  return sim->url;
}

/* SIGKILL, as a crash or a power cut would. */
void
mt_sim_kill (MtSim *sim)
{
  if (sim->process == NULL)
    return;
  g_subprocess_send_signal (sim->process, SIGKILL);
  g_subprocess_wait (sim->process, NULL, NULL);
  g_clear_object (&sim->process);
}

/* Starts it again on the same port. */
void
mt_sim_restart (MtSim *sim)
{
  g_assert_null (sim->process);
  sim_start (sim, sim->port);
}

void
mt_sim_free (MtSim *sim)
{
  if (sim == NULL)
    return;
  if (sim->process)
    {
      g_subprocess_send_signal (sim->process, SIGTERM);
      g_subprocess_wait (sim->process, NULL, NULL);
      g_clear_object (&sim->process);
    }
  g_strfreev (sim->args);
  g_free (sim->url);
  g_free (sim);
}

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

gboolean
mt_wait_connected (LablinkWindow *window,
                   guint          timeout_ms)
{
  LablinkSession *session = lablink_window_get_session (window);

  MT_WAIT (lablink_session_get_connected (session), timeout_ms);
  return lablink_session_get_connected (session);
}

gboolean
mt_wait_equipment (LablinkWindow *window,
                   guint          timeout_ms)
{
  LablinkSession *session = lablink_window_get_session (window);

  MT_WAIT (lablink_session_get_equipment_loaded (session), timeout_ms);
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

typedef struct {
  JsonNode *node;
  GError   *error;
  gboolean  done;
} Result;

static void
command_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Result *r = data;

  r->node = lablink_session_send_command_finish (LABLINK_SESSION (source), result, &r->error);
  r->done = TRUE;
}

static void
snapshot_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Result *r = data;

  r->node = lablink_client_get_snapshot_finish (LABLINK_CLIENT (source), result, &r->error);
  r->done = TRUE;
}

JsonNode *
mt_command (LablinkWindow *window,
            const char    *equipment_id,
            const char    *action,
            const char    *parameters_json)
{
  LablinkSession *session = lablink_window_get_session (window);
  g_autoptr(JsonNode) params = NULL;
  Result r = { 0 };

  /* through the session's door, which takes the instrument's lock */
  g_assert_nonnull (lablink_session_get_client (session));
  params = json_from_string (parameters_json ? parameters_json : "{}", NULL);
  g_assert_nonnull (params);
  lablink_session_send_command_async (session, equipment_id, action, json_node_get_object (params), NULL,
                                      command_cb, &r);
  MT_WAIT (r.done, 10000);
  g_assert_true (r.done);
  g_assert_no_error (r.error);
  return r.node;
}

JsonNode *
mt_snapshot (LablinkWindow *window,
             const char    *equipment_id,
             const char    *data_type)
{
  LablinkClient *client = lablink_session_get_client (lablink_window_get_session (window));
  Result r = { 0 };

  lablink_client_get_snapshot_async (client, equipment_id, data_type, NULL, snapshot_cb, &r);
  MT_WAIT (r.done, 10000);
  g_assert_true (r.done);
  g_assert_no_error (r.error);
  return r.node;
}

void
mt_activate (LablinkWindow *window,
             const char    *action,
             GVariant      *parameter)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), action, parameter);
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
