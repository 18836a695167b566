/* cli-util.h — helpers of lablink-cli that need no server (unit-tested)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* JSON text of @node; non-finite numbers are written bare (NaN, Infinity)
 * as the LabLink server does. @pretty: two-space indentation. */
char      *cli_json_to_string      (JsonNode    *node,
                                    gboolean     pretty);

/* "KEY=VALUE" → member of @parameters. VALUE: true/false/null, a finite
 * number (integers stay integers), or else a string. A VALUE quoted with
 * double quotes is always a string. */
gboolean   cli_parse_parameter     (JsonObject  *parameters,
                                    const char  *argument,
                                    GError     **error);

/* "CH1,CH2" → a NULL-terminated list; empty items and duplicates are
 * errors. */
char     **cli_parse_channels      (const char  *text,
                                    GError     **error);

/* @url with the value of a `token=` query parameter replaced by "…". */
char      *cli_redact_token        (const char  *url);

/* A double as CSV/JSON-compatible text (shortest round trip, "NaN"). */
void       cli_append_number       (GString     *out,
                                    double       value);

/* Appends @text padded with spaces to @width characters (UTF-8 aware). */
void       cli_append_padded       (GString     *out,
                                    const char  *text,
                                    guint        width);
/* A table: @headers, then @n_rows rows of @n_columns @cells (row by row;
 * NULL shows as "-"), in columns padded by characters two spaces apart,
 * each line ending in a newline. */
char      *cli_format_columns      (const char * const *headers,
                                    guint               n_columns,
                                    const char * const *cells,
                                    guint               n_rows);

/* The fingerprint a refused TLS certificate presented ("SHA256:…", the
 * last one in @message), or NULL. */
char      *cli_find_fingerprint    (const char  *message);

/* @message, and if it is about a refused certificate, the option that
 * trusts it on a line of its own. */
char      *cli_certificate_message (const char  *message);

G_END_DECLS
