/* lablink-sim-rest-private.h — internals shared by the REST route files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lablink-sim-server-private.h"

G_BEGIN_DECLS

/* One REST request being answered. */
typedef struct
{
  LablinkSimServer  *server;
  SoupServerMessage *msg;
  const char        *method;
  char             **parts;    /* path components after the leading "/" */
  guint              n_parts;
  GHashTable        *query;
  gboolean           path_matched;  /* a route exists for the path (→ 405, not 404) */
} SimRequest;

/* lablink-sim-rest.c */
void                  lablink_sim_rest_init_writer       (LablinkSimJson    *w,
                                                          GString           *out);
void                  lablink_sim_rest_respond           (SoupServerMessage *msg,
                                                          guint              status,
                                                          LablinkSimJson    *w);
void                  lablink_sim_rest_respond_detail    (SoupServerMessage *msg,
                                                          guint              status,
                                                          const char        *format,
                                                          ...) G_GNUC_PRINTF (3, 4);
void                  lablink_sim_rest_respond_success   (SoupServerMessage *msg,
                                                          const char        *message,
                                                          const char        *acquisition_id);
void                  lablink_sim_rest_respond_success_for (SoupServerMessage *msg,
                                                          const char        *message,
                                                          const char        *id_member,
                                                          const char        *id);
typedef void (*LablinkSimWriteItem) (gpointer        item,
                                     LablinkSimJson *w);
void                  lablink_sim_rest_respond_list      (SoupServerMessage  *msg,
                                                          const char         *member,
                                                          GPtrArray          *items,
                                                          LablinkSimWriteItem write_item);
JsonObject           *lablink_sim_rest_read_body         (SimRequest        *r,
                                                          gboolean           required);
gboolean              lablink_sim_rest_route             (SimRequest        *r,
                                                          const char        *method,
                                                          guint              n_parts,
                                                          ...);
const char           *lablink_sim_rest_query_get         (SimRequest        *r,
                                                          const char        *name);

/* Each route group answers @r and returns %TRUE if one of its routes
 * matches the method and path; they are tried in the order below. */

/* lablink-sim-rest-equipment.c */
LablinkSimInstrument *lablink_sim_rest_find_device       (SimRequest        *r,
                                                          const char        *equipment_id);
gboolean              lablink_sim_rest_route_equipment   (SimRequest        *r);

/* lablink-sim-rest-security.c */
gboolean              lablink_sim_rest_route_security    (SimRequest        *r);

/* lablink-sim-rest-locks.c */
gboolean              lablink_sim_rest_route_locks       (SimRequest        *r);
gboolean              lablink_sim_rest_check_lock        (SimRequest        *r,
                                                          const char        *equipment_id,
                                                          JsonObject        *command);

/* lablink-sim-rest-acquisition.c */
gboolean              lablink_sim_rest_route_acquisition (SimRequest        *r);

/* lablink-sim-rest-sim.c */
gboolean              lablink_sim_rest_route_sim         (SimRequest        *r);

G_END_DECLS
