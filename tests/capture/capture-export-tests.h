/* capture-export-tests.h — what the export tests share (test-capture-export.c,
 * capture-export-hdf5.c): a capture still recording, with special values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "capture-test-util.h"

G_BEGIN_DECLS

#define T0 G_GINT64_CONSTANT (1764087277000000)  /* 2025-11-25T16:14:37Z */

/* 5000 rows 1 ms apart from T0 + 7 µs of the channels export_channels
 * (units export_units), among them ±inf, -0, a subnormal-ish tiny value and
 * the most negative double; still recording. */
typedef struct {
  char           *root;
  LablinkCapture *capture;
  guint64         n_rows;
} ExportFixture;

extern const char *export_channels[];
extern const char *export_units[];

void export_fixture_setup    (ExportFixture  *fixture,
                              gconstpointer   data);
void export_fixture_teardown (ExportFixture  *fixture,
                              gconstpointer   data);
/* Every row of @capture (times and values, g_free() them). */
void read_all                (LablinkCapture *capture,
                              gint64        **times,
                              double        **values);

/* /capture/export/hdf5 (capture-export-hdf5.c) */
void test_export_hdf5        (ExportFixture  *fixture,
                              gconstpointer   data);

G_END_DECLS
