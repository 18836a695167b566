/* lablink-error.h — the error domain of liblablink
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include <glib.h>

#include "lablink-version-macros.h"

G_BEGIN_DECLS

#define LABLINK_ERROR (lablink_error_quark ())

/**
 * LablinkError:
 * @LABLINK_ERROR_MALFORMED: the text is not valid JSON (or not UTF-8)
 * @LABLINK_ERROR_NOT_OBJECT: a frame's JSON value is not an object
 * @LABLINK_ERROR_TOO_LARGE: a frame exceeds the configured size limit
 * @LABLINK_ERROR_TOO_DEEP: JSON nesting exceeds the depth limit
 * @LABLINK_ERROR_INVALID_FIELD: a field is missing or of the wrong JSON type
 * @LABLINK_ERROR_BINARY_FRAME: a binary WebSocket frame where text was expected
 * @LABLINK_ERROR_NOT_CONNECTED: the operation needs a connected stream manager
 * @LABLINK_ERROR_AUTH: the server refused our credentials (HTTP 401/403)
 * @LABLINK_ERROR_HTTP: the server answered with an HTTP error status
 * @LABLINK_ERROR_SERVER: the server reported an error in a protocol message
 * @LABLINK_ERROR_INVALID_ARGUMENT: the caller passed an unusable value
 * @LABLINK_ERROR_NOT_FOUND: no such equipment, acquisition or stream
 * @LABLINK_ERROR_IO: reading or writing a file failed
 * @LABLINK_ERROR_LOCKED: another session holds the instrument's lock
 * @LABLINK_ERROR_NOT_LOCKED: the server has equipment locks on and this
 *   client does not hold the instrument's lock: take it first
 * @LABLINK_ERROR_LOCK_EXPIRED: this client's lock (or lock session) expired
 * @LABLINK_ERROR_UNTRUSTED_CERTIFICATE: the server's TLS certificate is not
 *   trusted by the system and its fingerprint is not pinned: the message
 *   gives the fingerprint to confirm and pin
 * @LABLINK_ERROR_CERTIFICATE_CHANGED: the server presented another
 *   certificate than the one pinned for it: the message gives both
 *   fingerprints
 *
 * Errors reported by liblablink.
 */
typedef enum {
  LABLINK_ERROR_MALFORMED,
  LABLINK_ERROR_NOT_OBJECT,
  LABLINK_ERROR_TOO_LARGE,
  LABLINK_ERROR_TOO_DEEP,
  LABLINK_ERROR_INVALID_FIELD,
  LABLINK_ERROR_BINARY_FRAME,
  LABLINK_ERROR_NOT_CONNECTED,
  LABLINK_ERROR_AUTH,
  LABLINK_ERROR_HTTP,
  LABLINK_ERROR_SERVER,
  LABLINK_ERROR_INVALID_ARGUMENT,
  LABLINK_ERROR_NOT_FOUND,
  LABLINK_ERROR_IO,
  LABLINK_ERROR_LOCKED,
  LABLINK_ERROR_NOT_LOCKED,
  LABLINK_ERROR_LOCK_EXPIRED,
  LABLINK_ERROR_UNTRUSTED_CERTIFICATE,
  LABLINK_ERROR_CERTIFICATE_CHANGED,
} LablinkError;

LABLINK_AVAILABLE_IN_ALL
GQuark lablink_error_quark (void);

G_END_DECLS
