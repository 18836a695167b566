/* lablink-certificate-private.h — pinning, shared by LablinkClient and the WebSocket worker
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lablink-certificate.h"

G_BEGIN_DECLS

/* Whether a certificate the system refused is the one pinned (@pin may be NULL). */
G_GNUC_INTERNAL
gboolean _lablink_certificate_matches_pin (GTlsCertificate *certificate,
                                           const char      *pin);

/* LABLINK_ERROR_UNTRUSTED_CERTIFICATE (no pin) or _CERTIFICATE_CHANGED, for
 * @server ("host:port"), with the fingerprints. */
G_GNUC_INTERNAL
GError  *_lablink_certificate_error       (const char           *server,
                                           GTlsCertificate      *certificate,
                                           GTlsCertificateFlags  errors,
                                           const char           *pin);

/* "host:port" (IPv6 in brackets), the port defaulting to 443 (https, wss) or 80. */
G_GNUC_INTERNAL
char    *_lablink_certificate_server_name (const char           *host,
                                           int                   port,
                                           gboolean              tls);

G_END_DECLS
