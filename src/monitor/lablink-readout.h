/* lablink-readout.h — a fixed-width numeric readout that redraws, never relays out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LABLINK_TYPE_READOUT (lablink_readout_get_type ())
G_DECLARE_FINAL_TYPE (LablinkReadout, lablink_readout, LABLINK, READOUT, GtkWidget)

GtkWidget  *lablink_readout_new          (const char     *template_text);
void        lablink_readout_set_text     (LablinkReadout *self,
                                          const char     *text);
const char *lablink_readout_get_text     (LablinkReadout *self);
void        lablink_readout_set_template (LablinkReadout *self,
                                          const char     *template_text);
void        lablink_readout_set_unit     (LablinkReadout *self,
                                          const char     *unit);
const char *lablink_readout_get_unit     (LablinkReadout *self);

G_END_DECLS
