/* lablink-certificate.c — certificate fingerprints for pinning self-signed servers
 *
 * A lab server with a self-signed certificate is trusted only once the user
 * confirmed its fingerprint; the fingerprint is then pinned for that server
 * (LablinkClient:pinned-certificate). This file computes, parses and
 * compares fingerprints, and says why the system refused a certificate.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "lablink-certificate-private.h"
#include "lablink-error.h"

#define DIGEST_LENGTH 32

static char *
format_digest (const guint8 *digest)
{
  g_autofree char *base64 = g_base64_encode (digest, DIGEST_LENGTH);
  gsize len = strlen (base64);

  while (len > 0 && base64[len - 1] == '=')
    base64[--len] = '\0';
  return g_strconcat (LABLINK_FINGERPRINT_PREFIX, base64, NULL);
}

/**
 * lablink_certificate_get_fingerprint:
 * @certificate: a certificate
 *
 * The SHA-256 fingerprint of @certificate (of its DER encoding), as
 * `SHA256:` and the base64 of the digest without padding, e.g.
 * `SHA256:0I1Qg70GHDjK0ye2n8CN1uN3VHiOjkjmVpHvPDYjk7o`.
 *
 * Returns: (transfer full): the fingerprint
 */
char *
lablink_certificate_get_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[DIGEST_LENGTH];
  gsize digest_len = sizeof digest;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  if (der != NULL)
    g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  g_assert (digest_len == DIGEST_LENGTH);
  return format_digest (digest);
}

static gboolean
parse_hex (const char *text,
           guint8     *digest)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      int value;

      if (*p == ':')
        continue;
      value = g_ascii_xdigit_value (*p);
      if (value < 0 || n >= DIGEST_LENGTH * 2)
        return FALSE;
      if (n % 2 == 0)
        digest[n / 2] = (guint8) (value << 4);
      else
        digest[n / 2] |= (guint8) value;
      n++;
    }
  return n == DIGEST_LENGTH * 2;
}

static gboolean
parse_base64 (const char *text,
              guint8     *digest)
{
  g_autofree char *padded = NULL;
  g_autofree guchar *decoded = NULL;
  gsize len = strlen (text);
  gsize decoded_len = 0;

  while (len > 0 && text[len - 1] == '=')
    len--;
  /* 32 bytes are 43 base64 characters (and one '=') */
  if (len != 43)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '+' && text[i] != '/')
      return FALSE;

  padded = g_strndup (text, len);
  padded = g_realloc (padded, len + 2);
  padded[len] = '=';
  padded[len + 1] = '\0';
  decoded = g_base64_decode (padded, &decoded_len);
  if (decoded_len != DIGEST_LENGTH)
    return FALSE;
  memcpy (digest, decoded, DIGEST_LENGTH);
  return TRUE;
}

/**
 * lablink_certificate_normalize_fingerprint:
 * @text: a SHA-256 fingerprint: `SHA256:` (optional) followed by the base64
 *   of the digest (as liblablink and ssh write it) or by its 64 hex digits
 *   (with or without colons, as `openssl x509 -fingerprint -sha256` writes it)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the fingerprint as
 *   lablink_certificate_get_fingerprint() writes it, or %NULL with
 *   %LABLINK_ERROR_INVALID_ARGUMENT
 */
char *
lablink_certificate_normalize_fingerprint (const char  *text,
                                           GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  const char *body = trimmed;
  guint8 digest[DIGEST_LENGTH];

  if (g_ascii_strncasecmp (body, LABLINK_FINGERPRINT_PREFIX, strlen (LABLINK_FINGERPRINT_PREFIX)) == 0)
    body += strlen (LABLINK_FINGERPRINT_PREFIX);

  if (parse_hex (body, digest) || parse_base64 (body, digest))
    return format_digest (digest);

  g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
               "“%s” is not a certificate fingerprint: use SHA256: followed by the 43 base64 "
               "characters (or 64 hex digits) of the SHA-256 digest, as shown when the "
               "certificate was refused", trimmed);
  return NULL;
}

/**
 * lablink_certificate_fingerprint_equal:
 * @a: (nullable): a fingerprint in any form
 *   lablink_certificate_normalize_fingerprint() accepts
 * @b: (nullable): another one
 *
 * Returns: whether @a and @b are valid fingerprints of the same digest
 */
gboolean
lablink_certificate_fingerprint_equal (const char *a,
                                       const char *b)
{
  g_autofree char *na = NULL;
  g_autofree char *nb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  na = lablink_certificate_normalize_fingerprint (a, NULL);
  nb = lablink_certificate_normalize_fingerprint (b, NULL);
  return na != NULL && nb != NULL && g_str_equal (na, nb);
}

/**
 * lablink_certificate_describe_errors:
 * @errors: why a certificate was not trusted
 *
 * Returns: (transfer full): the reasons in words, e.g. "it is self-signed
 *   or signed by an unknown authority"
 */
char *
lablink_certificate_describe_errors (GTlsCertificateFlags errors)
{
  static const struct {
    GTlsCertificateFlags flag;
    const char *text;
  } reasons[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, "it is self-signed or signed by an unknown authority" },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, "it was made for another host name" },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, "it is not valid yet" },
    { G_TLS_CERTIFICATE_EXPIRED, "it has expired" },
    { G_TLS_CERTIFICATE_REVOKED, "it was revoked" },
    { G_TLS_CERTIFICATE_INSECURE, "it uses an insecure algorithm" },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, "it could not be checked" },
  };
  g_autoptr(GString) text = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (errors & reasons[i].flag)
      {
        if (text->len > 0)
          g_string_append (text, "; ");
        g_string_append (text, reasons[i].text);
      }
  if (text->len == 0)
    g_string_append (text, "the system does not trust it");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
_lablink_certificate_matches_pin (GTlsCertificate *certificate,
                                  const char      *pin)
{
  g_autofree char *fingerprint = NULL;

  if (certificate == NULL || pin == NULL)
    return FALSE;
  fingerprint = lablink_certificate_get_fingerprint (certificate);
  return lablink_certificate_fingerprint_equal (fingerprint, pin);
}

char *
_lablink_certificate_server_name (const char *host,
                                  int         port,
                                  gboolean    tls)
{
  if (port <= 0)
    port = tls ? 443 : 80;
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%d", host, port);
  return g_strdup_printf ("%s:%d", host, port);
}

GError *
_lablink_certificate_error (const char           *server,
                            GTlsCertificate      *certificate,
                            GTlsCertificateFlags  errors,
                            const char           *pin)
{
  g_autofree char *fingerprint = lablink_certificate_get_fingerprint (certificate);
  g_autofree char *reasons = lablink_certificate_describe_errors (errors);
  g_autofree char *pinned = pin != NULL ? lablink_certificate_normalize_fingerprint (pin, NULL) : NULL;

  if (pinned == NULL)
    return g_error_new (LABLINK_ERROR, LABLINK_ERROR_UNTRUSTED_CERTIFICATE,
                        "The TLS certificate of %s is not trusted: %s. Its fingerprint is %s. "
                        "Connect only if the server's administrator confirms this fingerprint; "
                        "then trust it (pin it) for this server",
                        server, reasons, fingerprint);

  return g_error_new (LABLINK_ERROR, LABLINK_ERROR_CERTIFICATE_CHANGED,
                      "The TLS certificate of %s has changed: the fingerprint trusted for it is "
                      "%s, but the server now presents %s (%s). Refusing to connect: someone may "
                      "be intercepting the connection, or the server got a new certificate. Ask "
                      "the server's administrator, and only if they confirm the new fingerprint, "
                      "trust it instead of the old one",
                      server, pinned, fingerprint, reasons);
}
