/* monitor-test-util.h — helpers for the GUI tests of lablink-monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <lablink.h>

#include "lablink-application.h"
#include "lablink-meter.h"
#include "lablink-plot.h"
#include "lablink-review-window.h"
#include "lablink-window.h"
#include "test-common.h"

G_BEGIN_DECLS

void                mt_init                 (int              *argc,
                                             char           ***argv);
LablinkApplication *mt_app_new              (void);
LablinkWindow      *mt_open_window          (LablinkApplication *app,
                                             const char         *server_url,
                                             gboolean            demo);
void                mt_close                (LablinkApplication *app,
                                             LablinkWindow      *window);

gboolean            mt_wait_connected       (LablinkWindow      *window,
                                             guint               timeout_ms);
gboolean            mt_wait_equipment       (LablinkWindow      *window,
                                             guint               timeout_ms);
const char         *mt_equipment_id         (LablinkWindow      *window,
                                             LablinkEquipmentKind kind);
GtkWidget          *mt_find                 (LablinkWindow      *window,
                                             const char         *name);
gboolean            mt_label_number         (GtkWidget          *label,
                                             double             *value);
gboolean            mt_meter_number         (GtkWidget          *meter,
                                             double             *value);
/* Per test case: a simulator, the application, a window connected to it. */
typedef struct {
  TestSim            *sim;
  LablinkApplication *app;
  LablinkWindow      *window;
} MtFixture;

void                mt_fixture_setup        (MtFixture          *fixture,
                                             const char * const *sim_args);
void                mt_fixture_teardown     (MtFixture          *fixture);
/* The same, as g_test_add()'s fixture functions (a simulator without options). */
void                mt_setup                (MtFixture          *fixture,
                                             gconstpointer       data);
void                mt_teardown             (MtFixture          *fixture,
                                             gconstpointer       data);
void                mt_round_trip           (LablinkWindow      *window);
LablinkSession     *mt_add_server           (LablinkWindow      *window,
                                             TestSim            *sim);

JsonNode           *mt_command_on           (LablinkSession     *session,
                                             const char         *equipment_id,
                                             const char         *action,
                                             const char         *parameters_json);
void                mt_resize               (LablinkWindow      *window,
                                             int                 width,
                                             int                 height);
void                mt_resize_window        (GtkWindow          *window,
                                             int                 width,
                                             int                 height);
JsonNode           *mt_command              (LablinkWindow      *window,
                                             const char         *equipment_id,
                                             const char         *action,
                                             const char         *parameters_json);
JsonNode           *mt_snapshot             (LablinkWindow      *window,
                                             const char         *equipment_id,
                                             const char         *data_type);
void                mt_activate             (LablinkWindow      *window,
                                             const char         *action,
                                             GVariant           *parameter);
char               *mt_screenshot           (GtkWidget          *widget,
                                             const char         *name,
                                             double             *variance);
void                mt_assert_screenshot    (GtkWidget          *widget,
                                             const char         *name);

/* The review window's tests: the window, its plot's frames and readout,
 * a capture on disk. */
LablinkReviewWindow *mt_find_review_window  (LablinkApplication *app);
void                mt_plot_wait_drawn      (LablinkPlot        *plot);
const char         *mt_plot_hover           (LablinkPlot        *plot,
                                             double              x,
                                             double              y);
typedef gint64 (*MtRowTime)  (guint64 row);
typedef double (*MtRowValue) (guint64 row,
                              guint   channel);
char               *mt_capture_new          (const char         *root,
                                             const char         *name,
                                             const char * const *names,
                                             const char * const *units,
                                             guint64             n_rows,
                                             MtRowTime           row_time,
                                             MtRowValue          row_value,
                                             guint64             hole_row,
                                             gboolean            data_lost);

G_END_DECLS
