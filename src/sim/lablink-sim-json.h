/* lablink-sim-json.h — writing JSON the way the real LabLink server spells it
 *
 * The real server answers REST with FastAPI's compact JSON (`{"a":1}`) and
 * sends WebSocket frames through Python's json.dumps with default separators
 * (`{"a": 1}`). This small streaming writer produces either, on top of
 * liblablink's shared value writers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  LABLINK_SIM_JSON_COMPACT,  /* REST bodies: "," and ":" */
  LABLINK_SIM_JSON_PYTHON,   /* WebSocket frames: ", " and ": " */
} LablinkSimJsonStyle;

#define LABLINK_SIM_JSON_MAX_DEPTH 64

/**
 * LablinkSimJson:
 *
 * A stack-allocated JSON writer. Non-finite numbers are written bare (`NaN`)
 * when @bare_nonfinite is set, as the real server does, and `null` otherwise;
 * @saw_nonfinite records whether one was written.
 */
typedef struct {
  GString  *out;
  gboolean  python_style;
  gboolean  bare_nonfinite;
  gboolean  saw_nonfinite;
  gboolean  after_key;
  guint     depth;
  guint64   has_items;   /* bit per depth: the container already holds an item */
} LablinkSimJson;

void  lablink_sim_json_init         (LablinkSimJson      *w,
                                     GString             *out,
                                     LablinkSimJsonStyle  style,
                                     gboolean             bare_nonfinite);

void  lablink_sim_json_begin_object (LablinkSimJson *w);
void  lablink_sim_json_end_object   (LablinkSimJson *w);
void  lablink_sim_json_begin_array  (LablinkSimJson *w);
void  lablink_sim_json_end_array    (LablinkSimJson *w);
void  lablink_sim_json_key          (LablinkSimJson *w,
                                     const char     *key);

void  lablink_sim_json_string       (LablinkSimJson *w,
                                     const char     *value);
void  lablink_sim_json_double       (LablinkSimJson *w,
                                     double          value);
void  lablink_sim_json_int          (LablinkSimJson *w,
                                     gint64          value);
void  lablink_sim_json_boolean      (LablinkSimJson *w,
                                     gboolean        value);
void  lablink_sim_json_null         (LablinkSimJson *w);
void  lablink_sim_json_set_utc_offset (gint64        offset_s);
char *lablink_sim_json_format_naive   (gint64        unix_usec);
void  lablink_sim_json_timestamp    (LablinkSimJson *w,
                                     gint64          unix_usec);
void  lablink_sim_json_node         (LablinkSimJson *w,
                                     JsonNode       *node);

/* key + value in one call */
void  lablink_sim_json_member_string    (LablinkSimJson *w,
                                         const char     *key,
                                         const char     *value);
void  lablink_sim_json_member_double    (LablinkSimJson *w,
                                         const char     *key,
                                         double          value);
void  lablink_sim_json_member_int       (LablinkSimJson *w,
                                         const char     *key,
                                         gint64          value);
void  lablink_sim_json_member_boolean   (LablinkSimJson *w,
                                         const char     *key,
                                         gboolean        value);
void  lablink_sim_json_member_null      (LablinkSimJson *w,
                                         const char     *key);
void  lablink_sim_json_member_timestamp (LablinkSimJson *w,
                                         const char     *key,
                                         gint64          unix_usec);

/* A timestamp, or null when @unix_usec is 0. */
void  lablink_sim_json_member_timestamp_or_null (LablinkSimJson *w,
                                                 const char     *key,
                                                 gint64          unix_usec);

/* Helpers for REST request bodies (json-glib). */
JsonObject *lablink_sim_json_parse_object  (GBytes      *body,
                                            GError     **error);
gboolean    lablink_sim_json_object_get_number (JsonObject *object,
                                                const char *member,
                                                double     *value);
gboolean    lablink_sim_json_object_get_bool   (JsonObject *object,
                                                const char *member,
                                                gboolean   *value);
const char *lablink_sim_json_object_get_str    (JsonObject *object,
                                                const char *member);

G_END_DECLS
