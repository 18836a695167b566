/* lablink-certificate.h — certificate fingerprints for pinning self-signed servers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include <gio/gio.h>

#include "lablink-version-macros.h"

G_BEGIN_DECLS

/**
 * LABLINK_FINGERPRINT_PREFIX:
 *
 * The prefix of every fingerprint liblablink writes: `SHA256:`, followed by
 * the base64 of the SHA-256 digest of the certificate's DER encoding,
 * without padding (as ssh writes host key fingerprints).
 */
#define LABLINK_FINGERPRINT_PREFIX "SHA256:"

LABLINK_AVAILABLE_IN_ALL
char     *lablink_certificate_get_fingerprint       (GTlsCertificate *certificate);
LABLINK_AVAILABLE_IN_ALL
char     *lablink_certificate_normalize_fingerprint (const char      *text,
                                                     GError         **error);
LABLINK_AVAILABLE_IN_ALL
gboolean  lablink_certificate_fingerprint_equal     (const char      *a,
                                                     const char      *b);
LABLINK_AVAILABLE_IN_ALL
char     *lablink_certificate_describe_errors       (GTlsCertificateFlags errors);

G_END_DECLS
