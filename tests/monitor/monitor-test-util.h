/* monitor-test-util.h — helpers for the GUI tests of lablink-monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <lablink.h>

#include "lablink-application.h"
#include "lablink-meter.h"
#include "lablink-window.h"
#include "test-sim.h"

typedef struct _MtSim MtSim;

G_BEGIN_DECLS

/* Iterates the main loop in slices of 25 ms until @cond holds or
 * @timeout_ms passed (never forever). */
#define MT_WAIT(cond, timeout_ms)                                              \
  G_STMT_START {                                                               \
    gint64 mt_end_ = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000;   \
    while (!(cond) && g_get_monotonic_time () < mt_end_)                       \
      test_run_for (25);                                                       \
  } G_STMT_END

MtSim              *mt_sim_spawn            (const char * const *args);
const char         *mt_sim_get_url          (MtSim            *sim);
void                mt_sim_kill             (MtSim            *sim);
void                mt_sim_restart          (MtSim            *sim);
void                mt_sim_free             (MtSim            *sim);

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

G_END_DECLS
