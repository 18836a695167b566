/* lablink-json-private.h — a validating, allocation-light JSON tokenizer,
 * and the JSON writers
 *
 * The protocol's hot frames are small objects arriving by the hundred
 * thousand per second; a DOM per frame (json-glib) costs more than libsoup's
 * whole WebSocket stack. This tokenizer validates a frame in one pass into a
 * flat array of tokens that point into the frame's text; values are decoded
 * on demand. It accepts the real server's bare NaN/Infinity/-Infinity.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define LABLINK_JSON_MAX_DEPTH_LIMIT 512

typedef enum {
  LABLINK_JSON_NULL,
  LABLINK_JSON_FALSE,
  LABLINK_JSON_TRUE,
  LABLINK_JSON_NUMBER,
  LABLINK_JSON_STRING,
  LABLINK_JSON_ARRAY,
  LABLINK_JSON_OBJECT,
} LablinkJsonType;

enum {
  LABLINK_JSON_FLAG_ESCAPED = 1 << 0,  /* string contains backslash escapes */
  LABLINK_JSON_FLAG_NONFINITE = 1 << 1, /* NaN / Infinity / -Infinity */
  LABLINK_JSON_FLAG_INTEGER = 1 << 2,   /* number without fraction or exponent */
};

typedef struct {
  guint8  type;
  guint8  flags;
  guint16 reserved;
  guint32 start;   /* offset of the first character (strings: after the quote) */
  guint32 length;  /* characters (strings: without quotes) */
  guint32 next;    /* index of the token following this whole subtree */
  guint32 count;   /* members (objects: key/value pairs) or elements */
} LablinkJsonToken;

typedef struct {
  const char       *text;
  gsize             length;
  LablinkJsonToken *tokens;
  guint             n_tokens;
  guint             allocated;
} LablinkJsonDoc;

gboolean  lablink_json_doc_parse        (LablinkJsonDoc  *doc,
                                         const char      *text,
                                         gsize            length,
                                         guint            max_depth,
                                         GError         **error);
void      lablink_json_doc_clear        (LablinkJsonDoc  *doc);
void      lablink_json_doc_trim         (LablinkJsonDoc  *doc,
                                         guint            keep_tokens);

/* Lookups return a token index, or -1. */
gint      lablink_json_doc_member       (const LablinkJsonDoc *doc,
                                         gint                  object,
                                         const char           *key,
                                         gsize                 key_len);
gint      lablink_json_doc_path         (const LablinkJsonDoc *doc,
                                         gint                  root,
                                         const char           *path);

gboolean  lablink_json_doc_string_equal (const LablinkJsonDoc *doc,
                                         gint                  token,
                                         const char           *str,
                                         gsize                 len);
char     *lablink_json_doc_dup_string   (const LablinkJsonDoc *doc,
                                         gint                  token);
gboolean  lablink_json_doc_get_double   (const LablinkJsonDoc *doc,
                                         gint                  token,
                                         double               *value);
JsonNode *lablink_json_doc_to_node      (const LablinkJsonDoc *doc,
                                         gint                  token);

static inline gint
lablink_json_doc_first_child (const LablinkJsonDoc *doc,
                              gint                  token)
{
  return doc->tokens[token].count > 0 ? token + 1 : -1;
}

/* Writers (lablink-protocol.c), shared by the library, the simulator, the
 * CLI and the tests: one definition of how the protocol's JSON is spelled.
 * Internal API: not exported from the shared library, not in the GIR. */
void      lablink_json_append_string    (GString    *out,
                                         const char *value);
void      lablink_json_append_double    (GString    *out,
                                         double      value,
                                         gboolean    bare_nonfinite);
void      lablink_json_append_timestamp (GString    *out,
                                         gint64      unix_usec);
void      lablink_json_append_node      (GString    *out,
                                         JsonNode   *node);

G_END_DECLS
