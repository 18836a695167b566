/* lablink-client-certificate.c — LablinkClient: TLS certificates and pinning
 *
 * Certificates are validated by the system's trust store (libsoup's
 * default). A certificate the system refuses — a lab server's self-signed
 * one — is accepted if, and only if, its SHA-256 fingerprint is the one
 * pinned on the client after the user confirmed it; else the request fails
 * with LABLINK_ERROR_UNTRUSTED_CERTIFICATE (no pin) or
 * LABLINK_ERROR_CERTIFICATE_CHANGED (another certificate pinned), and the
 * certificate stays available for a dialog that asks the user. Nothing is
 * ever accepted silently.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "lablink-certificate-private.h"
#include "lablink-client-private.h"
#include "lablink-error.h"

/**
 * lablink_client_dup_server_address:
 * @self: a #LablinkClient
 *
 * The server as `HOST:PORT` (IPv6 addresses in brackets), with the
 * scheme's default port filled in: what a pinned certificate belongs to.
 *
 * Returns: (transfer full): the address
 */
char *
lablink_client_dup_server_address (LablinkClient *self)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), NULL);
  return _lablink_certificate_server_name (self->host, self->port,
                                           g_str_equal (self->scheme, "https"));
}

/**
 * lablink_client_get_pinned_certificate:
 * @self: a #LablinkClient
 *
 * Returns: (nullable): the pinned fingerprint (`SHA256:…`), or %NULL
 */
const char *
lablink_client_get_pinned_certificate (LablinkClient *self)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), NULL);
  return self->pinned_certificate;
}

/**
 * lablink_client_set_pinned_certificate:
 * @self: a #LablinkClient
 * @fingerprint: (nullable): the SHA-256 fingerprint the user confirmed
 *   for this server (any form lablink_certificate_normalize_fingerprint()
 *   accepts), or %NULL (or "") to pin nothing
 * @error: return location for a #GError
 *
 * Pins the certificate of a server the system does not trust (a
 * self-signed lab server). Applies to requests and WebSocket connections
 * started afterwards. Only pin what the user confirmed, e.g. after
 * showing the fingerprint of %LABLINK_ERROR_UNTRUSTED_CERTIFICATE.
 *
 * Returns: %TRUE, or %FALSE with %LABLINK_ERROR_INVALID_ARGUMENT when
 *   @fingerprint is not a fingerprint (the pin is then unchanged)
 */
gboolean
lablink_client_set_pinned_certificate (LablinkClient  *self,
                                       const char     *fingerprint,
                                       GError        **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (LABLINK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (fingerprint != NULL && fingerprint[0] != '\0')
    {
      normalized = lablink_certificate_normalize_fingerprint (fingerprint, error);
      if (normalized == NULL)
        return FALSE;
    }

  if (g_strcmp0 (normalized, self->pinned_certificate) == 0)
    return TRUE;

  g_free (self->pinned_certificate);
  self->pinned_certificate = g_steal_pointer (&normalized);
  _lablink_client_notify_pinned_certificate (self);
  return TRUE;
}

/**
 * lablink_client_get_peer_certificate:
 * @self: a #LablinkClient
 *
 * The certificate the server presented when a request last failed with
 * %LABLINK_ERROR_UNTRUSTED_CERTIFICATE or
 * %LABLINK_ERROR_CERTIFICATE_CHANGED: for showing its subject, issuer and
 * validity to the user who is asked to trust it.
 *
 * Returns: (transfer none) (nullable): the refused certificate, or %NULL
 */
GTlsCertificate *
lablink_client_get_peer_certificate (LablinkClient *self)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), NULL);
  return self->peer_certificate;
}

/**
 * lablink_client_dup_peer_fingerprint:
 * @self: a #LablinkClient
 *
 * Returns: (transfer full) (nullable): the fingerprint of
 *   lablink_client_get_peer_certificate(), or %NULL
 */
char *
lablink_client_dup_peer_fingerprint (LablinkClient *self)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), NULL);
  if (self->peer_certificate == NULL)
    return NULL;
  return lablink_certificate_get_fingerprint (self->peer_certificate);
}

/**
 * lablink_client_get_peer_certificate_errors:
 * @self: a #LablinkClient
 *
 * Returns: why the system refused lablink_client_get_peer_certificate()
 *   (lablink_certificate_describe_errors() says it in words)
 */
GTlsCertificateFlags
lablink_client_get_peer_certificate_errors (LablinkClient *self)
{
  g_return_val_if_fail (LABLINK_IS_CLIENT (self), 0);
  return self->peer_certificate_errors;
}

/* Only called when the system refused the certificate. */
static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              data)
{
  LablinkRequest *request = data;

  if (_lablink_certificate_matches_pin (certificate, request->pinned_certificate))
    return TRUE;

  g_set_object (&request->peer_certificate, certificate);
  request->peer_certificate_errors = errors;
  return FALSE;
}

void
_lablink_client_watch_certificate (LablinkClient  *self,
                                   LablinkRequest *request)
{
  request->pinned_certificate = g_strdup (self->pinned_certificate);
  /* the request outlives its message's signals: it owns the message */
  g_signal_connect (request->message, "accept-certificate",
                    G_CALLBACK (accept_certificate_cb), request);
}

GError *
_lablink_client_certificate_error (LablinkClient  *self,
                                   LablinkRequest *request)
{
  g_autofree char *server = lablink_client_dup_server_address (self);

  g_set_object (&self->peer_certificate, request->peer_certificate);
  self->peer_certificate_errors = request->peer_certificate_errors;
  return _lablink_certificate_error (server, request->peer_certificate,
                                     request->peer_certificate_errors,
                                     request->pinned_certificate);
}
