/* test-gui-plot-view.c — exploring a LablinkPlot: wheel zoom, pan, rubber
 * band, reset and "Follow live" on a live history; min/max decimation exact
 * when zoomed; two cursors on the simulator's 1 kHz sine read Δt = 1.000 ms;
 * screenshots of a zoomed plot with cursors at three window sizes.
 *
 * The gestures are synthesized by calling the functions the plot's event
 * controllers call (_lablink_plot_gesture_wheel(), _press(), _motion(),
 * _release(), _double_click(), in widget coordinates, from
 * lablink-plot-private.h), the cursors through lablink_plot_set_cursor().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lablink-plot-private.h"
#include "lablink-acquisition-panel.h"
#include "lablink-scope-panel.h"
#include "monitor-test-util.h"

/* A plot of its own in a window of its own. */
typedef struct {
  GtkWidget   *window;
  LablinkPlot *plot;
  LablinkRing *ring;
  guint        feed;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 500);
  f->plot = LABLINK_PLOT (lablink_plot_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->plot));
  gtk_window_present (GTK_WINDOW (f->window));
  TEST_WAIT (gtk_widget_get_mapped (GTK_WIDGET (f->plot)) && gtk_widget_get_width (GTK_WIDGET (f->plot)) > 100,
             TEST_TIMEOUT_MS);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->plot)), >, 100);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_handle_id (&f->feed, g_source_remove);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_pointer (&f->ring, lablink_ring_unref);
  test_run_for (50);
}

static void
wait_draw (LablinkPlot *plot)
{
  guint64 before = lablink_plot_get_n_draws (plot);

  gtk_widget_queue_draw (GTK_WIDGET (plot));
  TEST_WAIT (lablink_plot_get_n_draws (plot) > before, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_plot_get_n_draws (plot), >, before);
}

static void
assert_range (LablinkPlot *plot,
              double       x0,
              double       x1)
{
  double a, b, tol = 1e-6 * (x1 - x0);

  lablink_plot_get_visible_x_range (plot, &a, &b);
  g_test_message ("visible %.6f … %.6f, expected %.6f … %.6f", a, b, x0, x1);
  g_assert_cmpfloat (fabs (a - x0), <=, tol);
  g_assert_cmpfloat (fabs (b - x1), <=, tol);
}

/* Ingestion: a sample every 20 ms, as a live stream delivers them. */
static gboolean
feed_cb (gpointer data)
{
  Fixture *f = data;
  double v = sin (g_get_real_time () / 1e6);

  lablink_ring_push (f->ring, g_get_real_time (), &v);
  gtk_widget_queue_draw (GTK_WIDGET (f->plot));
  return G_SOURCE_CONTINUE;
}

static void
live_history (Fixture *f)
{
  gint64 now = g_get_real_time ();
  guint s;
  int i;

  f->ring = lablink_ring_new (1, 100000);
  for (i = 3000; i > 0; i--)
    {
      double v = sin ((now - i * 20000) / 1e6);
      lablink_ring_push (f->ring, now - (gint64) i * 20000, &v);
    }
  lablink_plot_set_window (f->plot, 60.0, LABLINK_PLOT_ORIGIN_NOW);
  lablink_plot_set_pane_label (f->plot, 0, "Voltage", "V");
  s = lablink_plot_add_series (f->plot, 0, "CH1", NULL);
  lablink_plot_set_series_ring (f->plot, s, f->ring, 0);
  f->feed = g_timeout_add (20, feed_cb, f);
  wait_draw (f->plot);
}

static GtkWidget *
plot_child (LablinkPlot *plot,
            const char  *name)
{
  GtkWidget *w = lablink_widget_find_by_name (GTK_WIDGET (plot), name);

  g_assert_nonnull (w);
  return w;
}

static gboolean
shown (LablinkPlot *plot,
       const char  *name)
{
  return gtk_widget_is_visible (plot_child (plot, name));
}

static void
test_view_zoom_pan_reset_follow (Fixture       *f,
                                 gconstpointer  data)
{
  LablinkPlot *plot = f->plot;
  Pane *pane = &plot->panes[0];
  double px, cx, x0, x1, y0, y1, w, width_px;
  gint64 frozen_origin;
  gsize length;

  live_history (f);
  g_assert_true (lablink_plot_get_following (plot));
  g_assert_false (lablink_plot_get_zoomed (plot));
  assert_range (plot, -60.0, 0.0);
  g_assert_false (shown (plot, "plot-follow-live"));

  /* Wheel up at a third of the plot: x zooms in by 1.25 around the pointer. */
  width_px = pane->right - pane->left;
  px = pane->left + width_px / 3.0;
  cx = _lablink_plot_view_px_to_x (plot, px);
  g_assert_true (_lablink_plot_gesture_wheel (plot, px, (pane->top + pane->bottom) / 2, 0, -1, 0, FALSE));
  wait_draw (plot);
  assert_range (plot, cx - (cx + 60.0) / 1.25, cx + (0.0 - cx) / 1.25);
  g_assert_cmpfloat (fabs (_lablink_plot_view_px_to_x (plot, px) - cx), <, 1e-6);
  g_assert_false (lablink_plot_get_following (plot));
  g_assert_true (lablink_plot_get_zoomed (plot));
  g_assert_true (shown (plot, "plot-follow-live"));
  g_assert_true (shown (plot, "plot-reset-zoom"));

  /* Not following: the range stays put while samples keep arriving. */
  lablink_plot_get_visible_x_range (plot, &x0, &x1);
  frozen_origin = plot->view.drawn_origin;
  length = lablink_ring_get_length (f->ring);
  TEST_WAIT (lablink_ring_get_length (f->ring) >= length + 10, TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_ring_get_length (f->ring), >=, length + 10);
  wait_draw (plot);
  assert_range (plot, x0, x1);
  g_assert_cmpint (plot->view.drawn_origin, ==, frozen_origin);

  /* Drag 100 px to the right: the range moves 100 px worth to the left. */
  w = x1 - x0;
  _lablink_plot_gesture_press (plot, px, (pane->top + pane->bottom) / 2, 0);
  _lablink_plot_gesture_motion (plot, 50, 0);
  _lablink_plot_gesture_motion (plot, 100, 0);
  _lablink_plot_gesture_release (plot, 100, 0);
  wait_draw (plot);
  assert_range (plot, x0 - 100 / width_px * w, x1 - 100 / width_px * w);
  g_assert_false (lablink_plot_get_cursor (plot, 0, NULL));   /* a drag places no cursor */

  /* Ctrl+wheel: y only. */
  lablink_plot_get_visible_y_range (plot, 0, &y0, &y1);
  g_assert_true (_lablink_plot_gesture_wheel (plot, px, (pane->top + pane->bottom) / 2, 0, -2, GDK_CONTROL_MASK, FALSE));
  wait_draw (plot);
  {
    double ny0, ny1;

    lablink_plot_get_visible_y_range (plot, 0, &ny0, &ny1);
    g_assert_cmpfloat (fabs ((ny1 - ny0) - (y1 - y0) / (1.25 * 1.25)), <, 1e-9 * (y1 - y0) + 1e-12);
    assert_range (plot, x0 - 100 / width_px * w, x1 - 100 / width_px * w);
  }

  /* Double-click (as the controllers see it: two clicks, the second press
   * a double one): back to the last minute, following, y as before; the
   * first click's cursor is taken back. */
  _lablink_plot_gesture_press (plot, px, pane->top + 20, 0);
  _lablink_plot_gesture_release (plot, 0, 0);
  g_assert_true (lablink_plot_get_cursor (plot, 0, NULL));
  _lablink_plot_gesture_press (plot, px, pane->top + 20, 0);
  _lablink_plot_gesture_double_click (plot);
  _lablink_plot_gesture_release (plot, 0, 0);
  wait_draw (plot);
  g_assert_false (lablink_plot_get_cursor (plot, 0, NULL));
  assert_range (plot, -60.0, 0.0);
  g_assert_true (lablink_plot_get_following (plot));
  g_assert_false (lablink_plot_get_zoomed (plot));
  g_assert_false (plot->view.y_zoomed[0]);
  g_assert_false (shown (plot, "plot-follow-live"));
  g_assert_false (shown (plot, "plot-reset-zoom"));

  /* Shift+drag: a rubber band from 50 % to 75 % of the width. */
  {
    double a = pane->left + width_px * 0.5, b = pane->left + width_px * 0.75;
    double xa = _lablink_plot_view_px_to_x (plot, a), xb = _lablink_plot_view_px_to_x (plot, b);

    _lablink_plot_gesture_press (plot, a, pane->top + 10, GDK_SHIFT_MASK);
    _lablink_plot_gesture_motion (plot, b - a, 2);
    _lablink_plot_gesture_release (plot, b - a, 2);
    wait_draw (plot);
    assert_range (plot, xa, xb);
    g_assert_false (plot->view.y_zoomed[0]);   /* a flat band: x only */
    g_assert_false (lablink_plot_get_following (plot));
  }

  /* "Follow live": the zoomed width, ending at now, scrolling again. */
  lablink_plot_get_visible_x_range (plot, &x0, &x1);
  w = x1 - x0;
  g_signal_emit_by_name (plot_child (plot, "plot-follow-live"), "clicked");
  wait_draw (plot);
  g_assert_true (lablink_plot_get_following (plot));
  assert_range (plot, -w, 0.0);
  g_assert_false (shown (plot, "plot-follow-live"));
  g_assert_true (shown (plot, "plot-reset-zoom"));
  frozen_origin = plot->view.drawn_origin;
  test_run_for (100);
  wait_draw (plot);
  g_assert_cmpint (plot->view.drawn_origin, >, frozen_origin);

  /* The reset button: the default range again. */
  g_signal_emit_by_name (plot_child (plot, "plot-reset-zoom"), "clicked");
  wait_draw (plot);
  assert_range (plot, -60.0, 0.0);
  g_assert_false (lablink_plot_get_zoomed (plot));

  /* A click places a cursor, a second click the other one; a drag on a
   * cursor's line moves it. The plot follows live and scrolls between
   * frames, so positions are compared as times taken in the frame the
   * gesture saw (no main loop turn between the gesture and the reading):
   * how long the machine takes to draw the next frame does not matter. */
  {
    double a = pane->left + width_px * 0.2, b = pane->left + width_px * 0.6, c1, c2;
    double ta, tb, t_drag, px_per_s = width_px / 60.0;

    ta = _lablink_plot_view_px_to_x (plot, a);
    _lablink_plot_gesture_press (plot, a, pane->top + 20, 0);
    _lablink_plot_gesture_release (plot, 0, 0);
    tb = _lablink_plot_view_px_to_x (plot, b);
    _lablink_plot_gesture_press (plot, b, pane->top + 20, 0);
    _lablink_plot_gesture_release (plot, 0, 0);
    g_assert_true (lablink_plot_get_cursor (plot, 0, &c1));
    g_assert_true (lablink_plot_get_cursor (plot, 1, &c2));
    g_assert_cmpfloat (fabs (c1 - ta) * px_per_s, <, 2.0);
    g_assert_cmpfloat (fabs (c2 - tb) * px_per_s, <, 2.0);
    wait_draw (plot);
    g_assert_nonnull (lablink_plot_get_cursor_readout (plot));
    g_assert_true (lablink_plot_get_following (plot));   /* a click does not stop following */

    /* grab cursor 2 where it is now drawn, 2 px off its line (its time is
     * read again: the frame drawn since has scrolled) */
    g_assert_true (lablink_plot_get_cursor (plot, 1, &c2));
    b = _lablink_plot_view_x_to_px (plot, c2);
    t_drag = _lablink_plot_view_px_to_x (plot, b + 40);
    _lablink_plot_gesture_press (plot, b + 2, pane->top + 20, 0);
    _lablink_plot_gesture_motion (plot, 40, 0);
    _lablink_plot_gesture_release (plot, 40, 0);
    g_assert_true (lablink_plot_get_cursor (plot, 1, &c2));
    g_assert_cmpfloat (fabs (c2 - t_drag) * px_per_s, <, 4.0);
    wait_draw (plot);
    g_assert_true (lablink_plot_get_following (plot));   /* moving a cursor is not a pan */

    g_signal_emit_by_name (plot_child (plot, "plot-clear-cursors"), "clicked");
    wait_draw (plot);
    g_assert_false (lablink_plot_get_cursor (plot, 0, NULL));
    g_assert_null (lablink_plot_get_cursor_readout (plot));
  }
}

static GObject *
find_controller (LablinkPlot *plot,
                 GType        type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (plot));
  guint i;

  for (i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;   /* the widget holds it */
    }
  g_assert_not_reached ();
  return NULL;
}

/* The same through the plot's own event controllers (their signals
 * emitted as GTK would): the handlers are wired to the gestures. */
static void
test_view_controllers (Fixture       *f,
                       gconstpointer  data)
{
  LablinkPlot *plot = f->plot;
  Pane *pane = &plot->panes[0];
  GObject *scroll, *drag, *click, *zoom;
  guint n_motion = 0;
  double px, py, x0, x1, cx;
  gboolean handled = FALSE;

  live_history (f);
  px = pane->left + (pane->right - pane->left) / 2;
  py = (pane->top + pane->bottom) / 2;
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (plot));
    guint i;

    /* the pointer enters in the middle (the hover readout's and the
     * gestures' motion controllers) */
    for (i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_MOTION (c))
          {
            g_signal_emit_by_name (c, "enter", px, py);
            g_signal_emit_by_name (c, "motion", px, py);
            n_motion++;
          }
      }
  }
  g_assert_cmpuint (n_motion, ==, 2);
  scroll = find_controller (plot, GTK_TYPE_EVENT_CONTROLLER_SCROLL);
  drag = find_controller (plot, GTK_TYPE_GESTURE_DRAG);
  click = find_controller (plot, GTK_TYPE_GESTURE_CLICK);
  zoom = find_controller (plot, GTK_TYPE_GESTURE_ZOOM);

  /* a wheel notch up */
  cx = _lablink_plot_view_px_to_x (plot, px);
  g_signal_emit_by_name (scroll, "scroll", 0.0, -1.0, &handled);
  g_assert_true (handled);
  wait_draw (plot);
  assert_range (plot, cx - (cx + 60.0) / 1.25, cx + (0.0 - cx) / 1.25);
  g_assert_false (lablink_plot_get_following (plot));

  /* a drag of 50 px to the left */
  lablink_plot_get_visible_x_range (plot, &x0, &x1);
  g_signal_emit_by_name (drag, "drag-begin", px, py);
  g_signal_emit_by_name (drag, "drag-update", -50.0, 0.0);
  g_signal_emit_by_name (drag, "drag-end", -50.0, 0.0);
  wait_draw (plot);
  assert_range (plot, x0 + 50 / (pane->right - pane->left) * (x1 - x0), x1 + 50 / (pane->right - pane->left) * (x1 - x0));

  /* a pinch, twice as wide apart */
  _lablink_plot_gesture_pinch_begin (plot, px);
  lablink_plot_get_visible_x_range (plot, &x0, &x1);
  cx = _lablink_plot_view_px_to_x (plot, px);
  g_signal_emit_by_name (zoom, "scale-changed", 2.0);
  wait_draw (plot);
  assert_range (plot, cx - (cx - x0) / 2, cx + (x1 - cx) / 2);

  /* a double click */
  g_signal_emit_by_name (drag, "drag-begin", px, py);
  g_signal_emit_by_name (drag, "drag-end", 0.0, 0.0);
  g_signal_emit_by_name (click, "pressed", 1, px, py);
  g_signal_emit_by_name (drag, "drag-begin", px, py);
  g_signal_emit_by_name (click, "pressed", 2, px, py);
  g_signal_emit_by_name (drag, "drag-end", 0.0, 0.0);
  wait_draw (plot);
  assert_range (plot, -60.0, 0.0);
  g_assert_true (lablink_plot_get_following (plot));
  g_assert_false (lablink_plot_get_cursor (plot, 0, NULL));
}

/* Zoomed in, every pixel column still holds exactly the min and the max of
 * the raw samples in it (computed here by brute force), spikes included. */
static void
assert_envelope_exact (LablinkPlot  *plot,
                       const double *x,
                       const double *y,
                       gsize         n)
{
  Pane *pane = &plot->panes[0];
  Series *s = g_ptr_array_index (plot->series, 0);
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (plot));
  guint columns = (guint) MAX (1.0, (pane->right - pane->left) * scale);
  double x0 = pane->wx0, x1 = pane->wx1, k = columns / (x1 - x0);
  g_autofree double *raw_min = g_new (double, columns);
  g_autofree double *raw_max = g_new (double, columns);
  g_autofree double *got_min = g_new (double, columns);
  g_autofree double *got_max = g_new (double, columns);
  guint c, checked = 0;
  gsize i;

  for (c = 0; c < columns; c++)
    {
      raw_min[c] = got_min[c] = INFINITY;
      raw_max[c] = got_max[c] = -INFINITY;
    }
  for (i = 0; i < n; i++)
    if (x[i] >= x0 && x[i] <= x1)
      {
        c = MIN ((guint) ((x[i] - x0) * k), columns - 1);
        raw_min[c] = MIN (raw_min[c], y[i]);
        raw_max[c] = MAX (raw_max[c], y[i]);
      }
  for (i = 0; i < s->drawn_x->len; i++)
    {
      double dx = g_array_index (s->drawn_x, double, i), dy = g_array_index (s->drawn_y, double, i);

      if (dx < x0 || dx > x1)
        continue;
      c = MIN ((guint) ((dx - x0) * k), columns - 1);
      got_min[c] = MIN (got_min[c], dy);
      got_max[c] = MAX (got_max[c], dy);
    }
  for (c = 0; c < columns; c++)
    {
      g_assert_cmpfloat (got_min[c], ==, raw_min[c]);
      g_assert_cmpfloat (got_max[c], ==, raw_max[c]);
      checked += isfinite (raw_min[c]);
    }
  g_assert_cmpuint (checked, >, 0);
  g_assert_cmpuint (s->drawn_x->len, <=, lablink_decimate_minmax_bound (n, columns));
}

static void
test_view_decimation_zoomed (Fixture       *f,
                             gconstpointer  data)
{
  LablinkPlot *plot = f->plot;
  const gsize n = 1000000;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  double spike_x;
  guint s, level;
  gsize i;

  for (i = 0; i < n; i++)
    {
      x[i] = i * 1e-6;
      y[i] = sin (2 * G_PI * 50 * x[i]) + 0.01 * sin (2 * G_PI * 7919 * x[i]);
    }
  y[654321] = 5.0;   /* one sample: must survive every zoom level */
  spike_x = x[654321];

  s = lablink_plot_add_series (plot, 0, "CH1", NULL);
  lablink_plot_set_series_data (plot, s, x, y, n);
  wait_draw (plot);
  assert_envelope_exact (plot, x, y, n);

  /* Zoom in around the spike, a wheel notch at a time, down to about a
   * hundred samples across the plot. */
  for (level = 0; level < 60; level++)
    {
      double px = _lablink_plot_view_x_to_px (plot, spike_x);
      double x0, x1;

      _lablink_plot_gesture_wheel (plot, px, (plot->panes[0].top + plot->panes[0].bottom) / 2, 0, -1, 0, FALSE);
      wait_draw (plot);
      lablink_plot_get_visible_x_range (plot, &x0, &x1);
      if (level % 5 == 4 || x1 - x0 < 100e-6)
        {
          double lo, hi;

          g_test_message ("zoom level %u: %.6f s wide, %u points drawn", level, x1 - x0,
                          ((Series *) g_ptr_array_index (plot->series, 0))->drawn_x->len);
          assert_envelope_exact (plot, x, y, n);
          lablink_plot_get_visible_y_range (plot, 0, &lo, &hi);
          g_assert_cmpfloat (hi, >=, 5.0);   /* the spike is in view and drawn */
        }
      if (x1 - x0 < 100e-6)
        break;
    }
  g_assert_cmpuint (level, <, 60);

  /* Pan away from the spike: still exact. */
  _lablink_plot_gesture_press (plot, plot->panes[0].left + 100, plot->panes[0].top + 20, 0);
  _lablink_plot_gesture_motion (plot, 300, 0);
  _lablink_plot_gesture_release (plot, 300, 0);
  wait_draw (plot);
  assert_envelope_exact (plot, x, y, n);

  /* Back out: the whole second, the same envelope as before zooming. */
  lablink_plot_reset_view (plot);
  wait_draw (plot);
  assert_envelope_exact (plot, x, y, n);
}

/* The app against the simulator: the scope's CH1, a 1 kHz sine. */
static void
scope_setup (MtFixture     *f,
             gconstpointer  data)
{
  const char *scope;

  mt_fixture_setup (f, NULL);
  scope = mt_equipment_id (f->window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  g_assert_nonnull (scope);
  g_assert_true (lablink_window_select_equipment (f->window, scope));
  mt_activate (f->window, "start-stream", g_variant_new_string (LABLINK_STREAM_WAVEFORM));
}

static void
scope_setup_plain (MtFixture     *f,
                   gconstpointer  data)
{
  mt_fixture_setup (f, NULL);
}

static void
scope_teardown (MtFixture     *f,
                gconstpointer  data)
{
  mt_fixture_teardown (f);
}

static Series *
find_series (LablinkPlot *plot,
             const char  *name)
{
  guint i;

  for (i = 0; i < plot->series->len; i++)
    if (g_strcmp0 (((Series *) g_ptr_array_index (plot->series, i))->name, name) == 0)
      return g_ptr_array_index (plot->series, i);
  return NULL;
}

/* The readout's cell (row, column) as a number in the unit @unit with its
 * SI prefix. */
static double
readout_number (LablinkPlot *plot,
                guint        row,
                guint        column,
                const char  *unit)
{
  g_auto(GStrv) lines = g_strsplit (lablink_plot_get_cursor_readout (plot), "\n", -1);
  g_auto(GStrv) cells = NULL;
  static const struct { const char *prefix; double factor; } prefixes[] = {
    { "p", 1e-12 }, { "n", 1e-9 }, { "µ", 1e-6 }, { "m", 1e-3 }, { "k", 1e3 }, { "M", 1e6 }, { "", 1 },
  };
  char *end = NULL;
  double value;
  guint i;

  g_assert_cmpuint (g_strv_length (lines), >, row);
  cells = g_strsplit (lines[row], "\t", -1);
  g_assert_cmpuint (g_strv_length (cells), ==, 4);
  value = g_ascii_strtod (cells[column], &end);
  g_assert_true (end != cells[column]);
  g_strstrip (end);
  for (i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (end, prefixes[i].prefix) && g_strcmp0 (end + strlen (prefixes[i].prefix), unit) == 0)
      return value * prefixes[i].factor;
  g_error ("unexpected unit in “%s”", cells[column]);
  return NAN;
}

static void
test_view_scope_cursors (MtFixture     *f,
                         gconstpointer  data)
{
  const char *scope = mt_equipment_id (f->window, LABLINK_EQUIPMENT_OSCILLOSCOPE);
  LablinkScopePanel *panel = LABLINK_SCOPE_PANEL (lablink_window_get_panel (f->window, scope));
  LablinkPlot *plot = lablink_scope_panel_get_plot (panel);
  static const int sizes[][2] = { { 1100, 720 }, { 1600, 1000 }, { 800, 600 } };
  double crossings[2], dt, freq, v;
  gboolean armed = FALSE;
  guint found = 0, i;
  Series *s;

  TEST_WAIT ((s = find_series (plot, "CH1")) != NULL && s->n >= 500 && lablink_plot_get_n_draws (plot) > 0,
             TEST_TIMEOUT_MS);
  s = find_series (plot, "CH1");
  g_assert_nonnull (s);
  g_assert_cmpuint (s->n, >=, 500);

  /* Freeze the view (the ingestion goes on), then two rising zero
   * crossings of the data shown, interpolated between samples. */
  lablink_plot_set_paused (plot, TRUE);
  for (i = 1; i < s->n && found < 2; i++)
    {
      if (s->y[i - 1] < -0.2)
        armed = TRUE;
      if (armed && s->y[i - 1] < 0 && s->y[i] >= 0)
        {
          crossings[found++] = s->x[i - 1] + (0 - s->y[i - 1]) * (s->x[i] - s->x[i - 1]) / (s->y[i] - s->y[i - 1]);
          armed = FALSE;
        }
    }
  g_assert_cmpuint (found, ==, 2);

  lablink_plot_set_cursor (plot, 0, crossings[0]);
  lablink_plot_set_cursor (plot, 1, crossings[1]);
  /* Zoomed to the period and a half around them. */
  lablink_plot_zoom_x_range (plot, crossings[0] - 0.25e-3, crossings[1] + 0.25e-3);
  wait_draw (plot);
  g_assert_nonnull (lablink_plot_get_cursor_readout (plot));
  g_test_message ("cursor table:\n%s", lablink_plot_get_cursor_readout (plot));

  dt = readout_number (plot, 1, 3, "s");
  freq = readout_number (plot, 2, 3, "Hz");
  g_assert_cmpfloat (fabs (dt - 1e-3), <=, 0.01 * 1e-3);
  g_assert_cmpfloat (fabs (freq - 1e3), <=, 0.01 * 1e3);
  g_assert_true (strstr (lablink_plot_get_cursor_readout (plot), "\nt\t") != NULL);
  /* The sine's value at both crossings: 0 V, its difference 0 V. */
  for (i = 0; i < 3; i++)
    {
      g_auto(GStrv) lines = g_strsplit (lablink_plot_get_cursor_readout (plot), "\n", -1);
      guint row;

      for (row = 3; lines[row] && !g_str_has_prefix (lines[row], "CH1\t"); row++)
        ;
      g_assert_nonnull (lines[row]);
      v = readout_number (plot, row, i + 1, "V");
      g_assert_cmpfloat (fabs (v), <, 0.02);
    }

  for (i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *name = g_strdup_printf ("plot-cursors-scope-%dx%d.png", sizes[i][0], sizes[i][1]);
      g_autofree char *path = NULL;
      double variance = 0;

      mt_resize (f->window, sizes[i][0], sizes[i][1]);
      path = mt_screenshot (GTK_WIDGET (f->window), name, &variance);
      g_test_message ("%s: luminance variance %.1f", path, variance);
      g_assert_cmpfloat (variance, >, 100.0);
      /* resizing keeps the zoom and the cursors */
      g_assert_true (lablink_plot_get_zoomed (plot));
      g_assert_true (lablink_plot_get_cursor (plot, 1, NULL));
    }
}

/* The acquisition chart: CH1 (V) and CH1_I (A) on their own axes; a live
 * ring chart zoomed (not following) with cursors, at three sizes. */
static void
test_view_acquisition_units (MtFixture     *f,
                             gconstpointer  data)
{
  LablinkWindow *window = f->window;
  LablinkAcquisitionPanel *panel = lablink_window_get_acquisition_panel (window);
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  static const int sizes[][2] = { { 1100, 720 }, { 1600, 1000 }, { 800, 600 } };
  LablinkPlot *plot;
  double x0, x1;
  guint i;

  g_assert_nonnull (psu);
  json_node_unref (mt_command (window, psu, "set_voltage", "{\"voltage\": 5.0, \"channel\": 1}"));
  json_node_unref (mt_command (window, psu, "set_output", "{\"enabled\": true, \"channel\": 1}"));
  lablink_window_set_page (window, "acquisitions");
  lablink_acquisition_panel_fill_form (panel, psu, "CH1, CH1_I", 100.0, "continuous");
  g_signal_emit_by_name (lablink_acquisition_panel_get_create_button (panel), "clicked");
  TEST_WAIT (lablink_acquisition_panel_get_selected_id (panel) != NULL, TEST_TIMEOUT_MS);

  plot = lablink_acquisition_panel_get_plot (panel);
  /* (the units are known once the list knows the acquisition's instrument) */
  TEST_WAIT (lablink_plot_get_n_series (plot) == 2 && lablink_plot_get_series_n_points (plot, 0) >= 300 &&
             lablink_plot_get_n_panes (plot) == 2 && g_strcmp0 (plot->panes[0].unit, "V") == 0,
             TEST_TIMEOUT_MS);
  g_assert_cmpuint (lablink_plot_get_n_series (plot), ==, 2);
  g_assert_cmpuint (lablink_plot_get_n_panes (plot), ==, 2);
  g_assert_cmpstr (plot->panes[0].unit, ==, "V");
  g_assert_cmpstr (plot->panes[1].unit, ==, "A");
  g_assert_cmpstr (((Series *) g_ptr_array_index (plot->series, 0))->name, ==, "CH1");
  g_assert_cmpuint (((Series *) g_ptr_array_index (plot->series, 0))->pane, ==, 0);
  g_assert_cmpstr (((Series *) g_ptr_array_index (plot->series, 1))->name, ==, "CH1_I");
  g_assert_cmpuint (((Series *) g_ptr_array_index (plot->series, 1))->pane, ==, 1);
  g_assert_true (lablink_plot_get_following (plot));

  /* The last two seconds, and cursors 1 s apart. */
  wait_draw (plot);
  lablink_plot_zoom_x_range (plot, -2.0, 0.0);
  wait_draw (plot);
  g_assert_false (lablink_plot_get_following (plot));
  lablink_plot_get_visible_x_range (plot, &x0, &x1);
  g_assert_cmpfloat (fabs (x0 + 2.0), <, 1e-6);
  lablink_plot_set_cursor (plot, 0, -1.5);
  lablink_plot_set_cursor (plot, 1, -0.5);
  wait_draw (plot);
  g_test_message ("cursor table:\n%s", lablink_plot_get_cursor_readout (plot));
  g_assert_cmpfloat (fabs (readout_number (plot, 1, 3, "s") - 1.0), <, 1e-6);
  g_assert_cmpfloat (fabs (readout_number (plot, 3, 1, "V") - 5.0), <, 0.2);

  for (i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *name = g_strdup_printf ("plot-cursors-acquisition-%dx%d.png", sizes[i][0], sizes[i][1]);
      g_autofree char *path = NULL;

      mt_resize (window, sizes[i][0], sizes[i][1]);
      path = mt_screenshot (GTK_WIDGET (window), name, NULL);
      g_test_message ("%s", path);
    }

  /* Follow live: following again, the two seconds kept. */
  lablink_plot_follow_live (plot);
  wait_draw (plot);
  g_assert_true (lablink_plot_get_following (plot));
  lablink_plot_get_visible_x_range (plot, &x0, &x1);
  g_assert_cmpfloat (fabs (x0 + 2.0), <, 1e-6);
  g_assert_cmpfloat (fabs (x1), <, 1e-6);
}

int
main (int argc, char **argv)
{
  g_autoptr(LablinkApplication) app = NULL;
  int ret;

  mt_init (&argc, &argv);
  app = mt_app_new ();

  g_test_add ("/gui/plot-view/zoom-pan-reset-follow", Fixture, NULL, setup, test_view_zoom_pan_reset_follow, teardown);
  g_test_add ("/gui/plot-view/controllers", Fixture, NULL, setup, test_view_controllers, teardown);
  g_test_add ("/gui/plot-view/decimation-zoomed", Fixture, NULL, setup, test_view_decimation_zoomed, teardown);
  g_test_add ("/gui/plot-view/scope-cursors", MtFixture, NULL, scope_setup, test_view_scope_cursors, scope_teardown);
  g_test_add ("/gui/plot-view/acquisition-units", MtFixture, NULL, scope_setup_plain, test_view_acquisition_units, scope_teardown);
  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  return ret;
}
