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
void        codec_add_fixture_tests      (void);
void        codec_add_builder_tests      (void);
void        codec_add_number_tests       (void);
void        codec_add_timestamp_tests    (void);
void        codec_add_hostile_tests      (void);
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

/* Expected LablinkMessageType for a `type` string, from PROTOCOL.md. */
LablinkMessageType ref_expected_type     (const char *type_name);

/* Whether the tokenizer's true/false/null write-after-realloc bug is present
 * (probed once, in a subprocess: see /codec/known-bugs/). Tests that cannot
 * avoid it in-process use this to report "incomplete" instead of crashing. */
gboolean    codec_literal_bug_present    (void);
#define LITERAL_BUG_TEST "/codec/known-bugs/json-literal-write-after-realloc"

/* Small helpers. */
LablinkMessage *parse_ok                 (const char *text);
void        assert_parse_error           (const char *text,
                                          gssize      length,
                                          gint        code);

G_END_DECLS
