/* lablink-sim-instrument.h — the base class of the simulated instruments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "lablink-sim-json.h"

G_BEGIN_DECLS

#define LABLINK_SIM_TYPE_INSTRUMENT (lablink_sim_instrument_get_type ())
G_DECLARE_DERIVABLE_TYPE (LablinkSimInstrument, lablink_sim_instrument, LABLINK_SIM, INSTRUMENT, GObject)

/* Channel index of an acquisition channel the instrument does not have. */
#define LABLINK_SIM_CHANNEL_INVALID G_MAXUINT

/**
 * LablinkSimInstrumentClass:
 * @type_name: the LabLink equipment type ("power_supply", ...)
 * @id_prefix: the id prefix ("ps", "scope", "load")
 * @python_class: the mock's class name in the real server's error messages
 * @write_capabilities: writes the `capabilities` object of the status
 * @write_readings: writes a readings object, or returns %FALSE if the
 *   instrument has no readings
 * @execute: runs a command; writes its `data` value into @data (nothing
 *   written = `null`)
 * @lookup_channel: maps an acquisition channel name ("CH1") to an index
 * @sample: the instantaneous value of an acquisition channel at @t seconds
 *   of simulated time
 */
struct _LablinkSimInstrumentClass
{
  GObjectClass parent_class;

  const char *type_name;
  const char *id_prefix;
  const char *python_class;

  void     (*write_capabilities) (LablinkSimInstrument *self,
                                  LablinkSimJson       *w);
  gboolean (*write_readings)     (LablinkSimInstrument *self,
                                  LablinkSimJson       *w,
                                  guint                 channel,
                                  gint64                unix_usec);
  gboolean (*execute)            (LablinkSimInstrument *self,
                                  const char           *action,
                                  JsonObject           *parameters,
                                  LablinkSimJson       *data,
                                  GError              **error);
  gboolean (*lookup_channel)     (LablinkSimInstrument *self,
                                  const char           *name,
                                  guint                *index);
  double   (*sample)             (LablinkSimInstrument *self,
                                  guint                 index,
                                  double                t);

  gpointer padding[8];
};

char       *lablink_sim_instrument_compute_id       (const char *prefix,
                                                     const char *resource_string);

const char *lablink_sim_instrument_get_id           (LablinkSimInstrument *self);
const char *lablink_sim_instrument_get_type_name    (LablinkSimInstrument *self);
const char *lablink_sim_instrument_get_resource_string (LablinkSimInstrument *self);
const char *lablink_sim_instrument_get_model        (LablinkSimInstrument *self);
const char *lablink_sim_instrument_get_manufacturer (LablinkSimInstrument *self);
const char *lablink_sim_instrument_get_serial_number (LablinkSimInstrument *self);
const char *lablink_sim_instrument_get_connection_type (LablinkSimInstrument *self);
const char *lablink_sim_instrument_get_firmware_version (LablinkSimInstrument *self);

void        lablink_sim_instrument_set_seed         (LablinkSimInstrument *self,
                                                     guint32               seed);
double      lablink_sim_instrument_gauss            (LablinkSimInstrument *self,
                                                     double                sigma);
GRand      *lablink_sim_instrument_get_rand         (LablinkSimInstrument *self);
double      lablink_sim_instrument_time             (LablinkSimInstrument *self,
                                                     gint64                unix_usec);
gint64      lablink_sim_instrument_get_epoch        (LablinkSimInstrument *self);

void        lablink_sim_instrument_write_list_entry (LablinkSimInstrument *self,
                                                     LablinkSimJson       *w);
void        lablink_sim_instrument_write_status     (LablinkSimInstrument *self,
                                                     LablinkSimJson       *w);
gboolean    lablink_sim_instrument_write_readings   (LablinkSimInstrument *self,
                                                     LablinkSimJson       *w,
                                                     guint                 channel,
                                                     gint64                unix_usec);
gboolean    lablink_sim_instrument_has_readings     (LablinkSimInstrument *self);
gboolean    lablink_sim_instrument_execute          (LablinkSimInstrument *self,
                                                     const char           *action,
                                                     JsonObject           *parameters,
                                                     LablinkSimJson       *data,
                                                     GError              **error);
gboolean    lablink_sim_instrument_lookup_channel   (LablinkSimInstrument *self,
                                                     const char           *name,
                                                     guint                *index);
double      lablink_sim_instrument_sample           (LablinkSimInstrument *self,
                                                     guint                 index,
                                                     double                t);

/* Parameter helpers for execute() implementations. */
gboolean    lablink_sim_instrument_require_number   (JsonObject  *parameters,
                                                     const char  *name,
                                                     double       min,
                                                     double       max,
                                                     double      *value,
                                                     GError     **error);
gboolean    lablink_sim_instrument_optional_channel (JsonObject  *parameters,
                                                     guint        n_channels,
                                                     guint       *channel,
                                                     GError     **error);

G_END_DECLS
