/* lablink-instrument-panel.h — what every instrument panel has in common
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lablink-session.h"

G_BEGIN_DECLS

#define LABLINK_TYPE_INSTRUMENT_PANEL (lablink_instrument_panel_get_type ())
G_DECLARE_DERIVABLE_TYPE (LablinkInstrumentPanel, lablink_instrument_panel, LABLINK, INSTRUMENT_PANEL, GtkWidget)

struct _LablinkInstrumentPanelClass
{
  GtkWidgetClass parent_class;

  /* The stream types the panel shows, %NULL-terminated; the first one is
   * its main stream. Set in class_init (static storage). */
  const char * const *stream_types;

  /* At construction, once the session and instrument are set: set up what
   * depends on them (rings, history window), before the stored frames. */
  void (*session_set)    (LablinkInstrumentPanel *self,
                          LablinkSession         *session);
  /* A frame of one of stream_types arrived (or was the last one stored
   * when the session was set). */
  void (*stream_data)    (LablinkInstrumentPanel *self,
                          const char             *stream_type,
                          LablinkMessage         *message);
  /* The connection, the streams or a stream's status changed (the status
   * labels were updated already). */
  void (*status_changed) (LablinkInstrumentPanel *self);

  /*< private >*/
  gpointer _reserved[8];
};

GtkWidget        *lablink_instrument_panel_new              (LablinkSession         *session,
                                                             LablinkEquipment       *equipment);
LablinkSession   *lablink_instrument_panel_get_session      (LablinkInstrumentPanel *self);
LablinkEquipment *lablink_instrument_panel_get_equipment    (LablinkInstrumentPanel *self);
const char       *lablink_instrument_panel_get_equipment_id (LablinkInstrumentPanel *self);
void              lablink_instrument_panel_add_status_label (LablinkInstrumentPanel *self,
                                                             GtkLabel               *label,
                                                             const char             *stream_type,
                                                             const char             *title);
void              lablink_instrument_panel_add_lock_bar     (LablinkInstrumentPanel *self,
                                                             GtkBox                 *box,
                                                             GtkWidget              *controls);
const char       *lablink_instrument_panel_get_lock_text    (LablinkInstrumentPanel *self);
const char       *lablink_instrument_panel_get_status_text  (LablinkInstrumentPanel *self,
                                                             const char             *stream_type);
gboolean          lablink_instrument_panel_is_live          (LablinkInstrumentPanel *self,
                                                             const char             *stream_type,
                                                             LablinkStreamStatus    *status);
void              lablink_instrument_panel_send_command     (LablinkInstrumentPanel *self,
                                                             const char             *action,
                                                             JsonObject             *parameters);

/* Shows a status text the way every widget does: a pill coloured by level. */
void              lablink_status_label_set                  (GtkLabel               *label,
                                                             const char             *text,
                                                             LablinkStatusLevel      level);
/* Sends an instrument command; a failure is a toast (win.show-toast) of @widget. */
void              lablink_send_command_from_widget          (GtkWidget              *widget,
                                                             LablinkSession         *session,
                                                             const char             *equipment_id,
                                                             const char             *action,
                                                             JsonObject             *parameters);

G_END_DECLS
