/* codec-tests.h — shared helpers of the liblablink codec tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <lablink.h>
#include <json-glib/json-glib.h>

#include "lablink-json-private.h"

G_BEGIN_DECLS

/* The three recordings of a real LabLink 1.2.5 server. */
#define FIXTURE_PATCHED  "lablink-1.2.5-patched.jsonl"
#define FIXTURE_UPSTREAM "lablink-1.2.5-upstream.jsonl"
#define FIXTURE_AUTH     "lablink-1.2.5-auth.jsonl"

/* The time zone the test binary runs in unless LABLINK_TEST_TZ says
 * otherwise: a zone with daylight saving time and a non-zero offset, so that
 * "naive timestamps are local time" is actually exercised. A POSIX rule
 * string, so no tzdata is needed. */
#define CODEC_DEFAULT_TZ "CET-1CEST,M3.5.0,M10.5.0/3"

/* One line of a fixture file. */
typedef struct {
  const char *file;     /* basename, static */
  guint       lineno;   /* 1-based */
  JsonObject *object;   /* the parsed line */
} FixtureLine;

/* Registration, one per source file. */
void        codec_add_fixture_recv_tests (void);
void        codec_add_fixture_sent_tests (void);
void        codec_add_fixture_rest_tests (void);
void        codec_add_fixture_value_tests (void);
void        codec_add_fixture_merge_tests (void);
void        codec_add_builder_tests      (void);
void        codec_add_number_tests       (void);
void        codec_add_timestamp_tests    (void);
void        codec_add_hostile_syntax_tests (void);
void        codec_add_hostile_field_tests (void);
void        codec_add_hostile_limit_tests (void);
void        codec_add_hostile_memory_tests (void);
void        codec_add_tokenizer_tests    (void);
void        codec_add_message_tests      (void);
void        codec_add_known_bug_tests    (void);

/* Fixtures. */
char       *codec_fixture_path           (const char *name);
GPtrArray  *codec_load_fixture           (const char *name);   /* of FixtureLine* */
const char *fixture_str                  (const FixtureLine *line,
                                          const char        *member);
const FixtureLine *codec_find_recv       (GPtrArray  *lines,
                                          const char *scenario,
                                          const char *type,
                                          const char *stream_type,
                                          guint       nth);
/* "patched", "upstream" or "auth": the recording's mode in test paths and
 * in the README's tables. */
const char *fixture_mode                 (const char *file);
/* Registers /codec/fixtures/<mode>/<kind> for each of the three recordings,
 * @func getting the recording's file name. */
void        codec_add_per_recording_test (const char    *kind,
                                          GTestDataFunc  func);
/* A string or object member of @object (NULL-safe), or NULL. */
const char *object_get_str               (JsonObject *object,
                                          const char *member);
JsonObject *object_get_obj               (JsonObject *object,
                                          const char *member);
/* The failure context: the line's place and its frame (shortened). */
void        set_frame_context            (const FixtureLine *line,
                                          const char        *frame);
/* The line's frame, parsed (it must parse), with its failure context set. */
LablinkMessage *parse_line               (const FixtureLine *line);

/* The README's "WebSocket messages" table: frames of each kind, counted
 * in a table of readme_new_counts() by readme_tally() under a label
 * ("type" or "type/stream_type", or the README's name of a bad frame), and
 * compared with the README's numbers for one recording mode and direction
 * ("recv" or "sent") by readme_compare_counts(). */
GHashTable *readme_new_counts            (void);
void        readme_tally                 (GHashTable *counts,
                                          const char *mode,
                                          const char *dir,
                                          const char *label);
void        readme_compare_counts        (GHashTable *counts,
                                          const char *mode,
                                          const char *dir);

/* Failure context: printed (as a TAP comment) before a failing assertion. */
void        codec_set_context            (const char *format,
                                          ...) G_GNUC_PRINTF (1, 2);
const char *codec_get_context            (void);

#define check(cond) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        g_test_message ("context: %s", codec_get_context ()); \
        g_assert_true (cond); \
      } \
  } G_STMT_END

#define check_cmpstr(a, b) \
  G_STMT_START { \
    if (G_UNLIKELY (g_strcmp0 ((a), (b)) != 0)) \
      { \
        g_test_message ("context: %s", codec_get_context ()); \
        g_assert_cmpstr ((a), ==, (b)); \
      } \
  } G_STMT_END

/* Independent references (json-glib, GDateTime), not the code under test. */
JsonNode   *ref_parse_json               (const char *text,
                                          gssize      length,
                                          GError    **error);
char       *ref_nonfinite_to_null        (const char *text);
gboolean    ref_has_nonfinite            (const char *text);
gint64      ref_local_usec               (const char *iso);
gboolean    ref_nodes_match              (JsonNode   *ours,
                                          JsonNode   *ref,
                                          gboolean    nonfinite_is_null,
                                          GString    *where);
char       *ref_python_repr              (double      value);
guint       ref_min_digits               (double      value);
guint       ref_significant_digits       (const char *number_text);
gboolean    ref_same_double              (double      a,
                                          double      b);
/* Compares our tree of @text with json-glib's reading of the same text
 * (bare NaN / Infinity read as null); fails the test on any difference. */
void        check_node_against_reference (JsonNode   *ours,
                                          const char *text);

/* Expected LablinkMessageType for a `type` string, from PROTOCOL.md. */
LablinkMessageType ref_expected_type     (const char *type_name);

/* Whether the tokenizer's true/false/null write-after-realloc bug is present
 * (probed once, in a subprocess: see /codec/known-bugs/). Tests that cannot
 * avoid it in-process use this to report "incomplete" instead of crashing. */
gboolean    codec_literal_bug_present    (void);
#define LITERAL_BUG_TEST "/codec/known-bugs/json-literal-write-after-realloc"

/* Hostile cases (codec-hostile-*.c). */

/* HostileCase.code of a frame that must be accepted. */
#define ACCEPT (-1)

/* Frame skeletons. */
#define SD(data) \
  "{\"type\": \"stream_data\", \"equipment_id\": \"ps_1\", \"stream_type\": \"readings\", \"data\": {" data "}}"
#define WF(data) \
  "{\"type\": \"stream_data\", \"equipment_id\": \"scope_1\", \"stream_type\": \"waveform\", \"data\": {" data "}}"
#define ACQ(data) \
  "{\"type\": \"acquisition_stream\", \"acquisition_id\": \"a-1\", \"state\": \"acquiring\", \"stats\": {}, \"data\": " data "}"
#define VALUE(v) SD ("\"voltage_actual\": " v)

typedef void (*VerifyFunc) (LablinkMessage *message);

typedef struct {
  const char *name;
  const char *text;
  gssize      length;   /* -1: nul-terminated */
  gint        code;     /* a LablinkError, or ACCEPT */
  VerifyFunc  verify;   /* for accepted frames */
} HostileCase;

/* Registers /codec/hostile/<name> for each case: the text is refused by
 * lablink_message_parse() and lablink_message_parse_bytes() with @code, or
 * accepted by both and checked by @verify; lablink_json_parse() agrees on
 * what is not JSON and accepts the rest. */
void        codec_add_hostile_cases      (const HostileCase *cases,
                                          gsize              n_cases);
/* For verifiers: the member at @path, which must be there. */
double      get_double                   (LablinkMessage *m,
                                          const char     *path);
char       *get_string                   (LablinkMessage *m,
                                          const char     *path);
/* For verifiers: @m is a ping. */
void        verify_ping                  (LablinkMessage *m);

/* Small helpers. */
LablinkMessage *parse_ok                 (const char *text);
void        assert_parse_error           (const char *text,
                                          gssize      length,
                                          gint        code);

G_END_DECLS
