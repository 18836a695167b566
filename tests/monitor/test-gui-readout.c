/* test-gui-readout.c — a reading redraws a meter, it does not relay it out
 *
 * A GtkLabel queues a resize up to the window at every new text: a layout
 * per reading, which restyles libadwaita widgets (AdwFlap's shadow) and
 * costs frame-clock cycles without a render. The meters draw their value in
 * a LablinkReadout of a fixed width instead. Each meter here gets a layout
 * manager that counts its allocations (a bin layout otherwise): readings
 * change the value, frames are painted after them, and the count stays.
 * No time bound: the tests wait for readings and for painted frames.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-psu-panel.h"
#include "lablink-readout.h"
#include "monitor-test-util.h"

/* ---- a bin layout that counts its allocations ---- */

#define TEST_TYPE_COUNTING_LAYOUT (test_counting_layout_get_type ())
G_DECLARE_FINAL_TYPE (TestCountingLayout, test_counting_layout, TEST, COUNTING_LAYOUT, GtkLayoutManager)

struct _TestCountingLayout
{
  GtkLayoutManager parent_instance;
  guint            n_allocations;
};

G_DEFINE_FINAL_TYPE (TestCountingLayout, test_counting_layout, GTK_TYPE_LAYOUT_MANAGER)

static void
test_counting_layout_measure (GtkLayoutManager *manager,
                              GtkWidget        *widget,
                              GtkOrientation    orientation,
                              int               for_size,
                              int              *minimum,
                              int              *natural,
                              int              *minimum_baseline,
                              int              *natural_baseline)
{
  GtkWidget *child;

  for (child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      int child_min = 0, child_nat = 0, child_min_baseline = -1, child_nat_baseline = -1;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, for_size, &child_min, &child_nat, &child_min_baseline,
                          &child_nat_baseline);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
      if (child_min_baseline > -1)
        *minimum_baseline = MAX (*minimum_baseline, child_min_baseline);
      if (child_nat_baseline > -1)
        *natural_baseline = MAX (*natural_baseline, child_nat_baseline);
    }
}

static void
test_counting_layout_allocate (GtkLayoutManager *manager,
                               GtkWidget        *widget,
                               int               width,
                               int               height,
                               int               baseline)
{
  GtkWidget *child;

  TEST_COUNTING_LAYOUT (manager)->n_allocations++;
  for (child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
test_counting_layout_class_init (TestCountingLayoutClass *klass)
{
  GtkLayoutManagerClass *manager_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  manager_class->measure = test_counting_layout_measure;
  manager_class->allocate = test_counting_layout_allocate;
}

static void
test_counting_layout_init (TestCountingLayout *self)
{
}

/* Counts @widget's allocations from now on (its layout manager is replaced). */
static TestCountingLayout *
count_allocations (GtkWidget *widget)
{
  TestCountingLayout *layout = g_object_new (TEST_TYPE_COUNTING_LAYOUT, NULL);

  gtk_widget_set_layout_manager (widget, GTK_LAYOUT_MANAGER (layout));
  return layout;
}

/* ---- painted frames ---- */

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *n_paints)
{
  (*n_paints)++;
}

/* Waits for a frame painted from now on: one that laid out what changed. */
static void
wait_painted_frame (GtkWidget *widget,
                    guint     *n_paints)
{
  guint start = *n_paints;

  gtk_widget_queue_draw (widget);
  TEST_ASSERT_EVENTUALLY (*n_paints > start);
}

static LablinkReadout *
find_readout (GtkWidget *widget)
{
  GtkWidget *child;

  if (LABLINK_IS_READOUT (widget))
    return LABLINK_READOUT (widget);
  for (child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      LablinkReadout *found = find_readout (child);

      if (found)
        return found;
    }
  return NULL;
}

/* A readout on its own: a text within the template only redraws; a wider
 * one widens the readout once, and it keeps that width. */
static void
test_readout_width (void)
{
  g_autoptr(LablinkApplication) app = mt_app_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *readout = lablink_readout_new ("-888.888");
  TestCountingLayout *counter;
  guint n_paints = 0, n_allocations;
  gulong handler;
  int width;

  gtk_widget_add_css_class (readout, "meter-value");
  gtk_widget_set_halign (box, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), readout);
  counter = count_allocations (box);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 100);
  gtk_window_present (GTK_WINDOW (window));
  TEST_ASSERT_EVENTUALLY (gtk_widget_get_mapped (readout) && counter->n_allocations > 0);
  handler = g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint_cb),
                              &n_paints);
  lablink_readout_set_text (LABLINK_READOUT (readout), "5.000");
  wait_painted_frame (window, &n_paints);
  n_allocations = counter->n_allocations;
  width = gtk_widget_get_width (readout);
  g_assert_cmpint (width, >, 0);

  /* Within the template: the same width, no allocation. */
  lablink_readout_set_text (LABLINK_READOUT (readout), "-12.345");
  g_assert_cmpstr (lablink_readout_get_text (LABLINK_READOUT (readout)), ==, "-12.345");
  wait_painted_frame (window, &n_paints);
  lablink_readout_set_text (LABLINK_READOUT (readout), "999.999");
  wait_painted_frame (window, &n_paints);
  g_assert_cmpuint (counter->n_allocations, ==, n_allocations);
  g_assert_cmpint (gtk_widget_get_width (readout), ==, width);

  /* Wider than the template: one resize, and the text fits. */
  lablink_readout_set_text (LABLINK_READOUT (readout), "-12345.678");
  wait_painted_frame (window, &n_paints);
  g_assert_cmpuint (counter->n_allocations, >, n_allocations);
  g_assert_cmpint (gtk_widget_get_width (readout), >, width);
  width = gtk_widget_get_width (readout);
  n_allocations = counter->n_allocations;

  /* Narrower again: it keeps its width (no relayout back and forth). */
  lablink_readout_set_text (LABLINK_READOUT (readout), "1.000");
  wait_painted_frame (window, &n_paints);
  g_assert_cmpuint (counter->n_allocations, ==, n_allocations);
  g_assert_cmpint (gtk_widget_get_width (readout), ==, width);

  g_signal_handler_disconnect (gtk_widget_get_frame_clock (window), handler);
  gtk_window_destroy (GTK_WINDOW (window));
  g_application_release (G_APPLICATION (app));
}

static gboolean
meter_near (LablinkWindow *window,
            const char    *name,
            double         expected)
{
  double value;

  return mt_meter_number (mt_find (window, name), &value) && fabs (value - expected) <= 0.05;
}

/* The PSU page on a stream: readings change the meters, frames are painted,
 * and no meter is allocated again. */
static void
test_readout_psu_readings (MtFixture     *f,
                           gconstpointer  data)
{
  static const char * const names[] = { "psu-ch1-voltage", "psu-ch1-current", "psu-ch1-power" };
  LablinkWindow *window = f->window;
  const char *psu = mt_equipment_id (window, LABLINK_EQUIPMENT_POWER_SUPPLY);
  LablinkPsuPanel *panel = LABLINK_PSU_PANEL (lablink_window_get_panel (window, psu));
  TestCountingLayout *counters[G_N_ELEMENTS (names)];
  guint base[G_N_ELEMENTS (names)];
  g_autoptr(JsonNode) r1 = NULL;
  g_autoptr(JsonNode) r2 = NULL;
  g_autofree char *shown = NULL;
  GdkFrameClock *clock;
  LablinkMeter *voltage;
  guint n_paints = 0, k;
  guint64 updates;
  gulong handler;

  r1 = mt_command (window, psu, "set_voltage", "{\"voltage\": 5.0, \"channel\": 1}");
  r2 = mt_command (window, psu, "set_output", "{\"enabled\": true, \"channel\": 1}");
  mt_activate (window, "start-stream", g_variant_new_string (LABLINK_STREAM_READINGS));
  TEST_ASSERT_EVENTUALLY (meter_near (window, "psu-ch1-voltage", 5.0));
  voltage = LABLINK_METER (mt_find (window, "psu-ch1-voltage"));
  TEST_ASSERT_EVENTUALLY (gtk_widget_get_mapped (GTK_WIDGET (voltage)));

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &n_paints);
  for (k = 0; k < G_N_ELEMENTS (names); k++)
    counters[k] = count_allocations (mt_find (window, names[k]));
  /* laid out once with the counting layout managers */
  wait_painted_frame (GTK_WIDGET (window), &n_paints);
  for (k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_assert_cmpuint (counters[k]->n_allocations, >, 0);
      base[k] = counters[k]->n_allocations;
    }

  /* Readings that change the value: a new set-point, then the stream's
   * own; each painted. */
  shown = g_strdup (lablink_meter_get_text (voltage));
  updates = lablink_psu_panel_get_n_updates (panel);
  g_clear_pointer (&r1, json_node_unref);
  r1 = mt_command (window, psu, "set_voltage", "{\"voltage\": 7.25, \"channel\": 1}");
  TEST_ASSERT_EVENTUALLY (meter_near (window, "psu-ch1-voltage", 7.25));
  g_assert_cmpstr (lablink_meter_get_text (voltage), !=, shown);
  wait_painted_frame (GTK_WIDGET (window), &n_paints);
  TEST_ASSERT_EVENTUALLY (lablink_psu_panel_get_n_updates (panel) >= updates + 5);
  wait_painted_frame (GTK_WIDGET (window), &n_paints);

  for (k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_test_message ("%s: %u allocations after the readings", names[k], counters[k]->n_allocations - base[k]);
      g_assert_cmpuint (counters[k]->n_allocations, ==, base[k]);
    }

  /* A stale value is dimmed by its CSS class, on the readout. */
  lablink_meter_set_stale (voltage, TRUE);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (find_readout (GTK_WIDGET (voltage))), "stale"));
  lablink_meter_set_stale (voltage, FALSE);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (find_readout (GTK_WIDGET (voltage))), "stale"));

  g_signal_handler_disconnect (clock, handler);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add_func ("/gui/readout/width", test_readout_width);
  g_test_add ("/gui/readout/psu-readings", MtFixture, NULL, mt_setup, test_readout_psu_readings, mt_teardown);

  return g_test_run ();
}
