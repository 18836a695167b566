/* lablink-certificate-dialog.h — asks whether to trust a server's self-signed certificate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LABLINK_TYPE_CERTIFICATE_DIALOG (lablink_certificate_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LablinkCertificateDialog, lablink_certificate_dialog, LABLINK, CERTIFICATE_DIALOG, AdwMessageDialog)

GtkWidget  *lablink_certificate_dialog_new             (GtkWindow                *parent,
                                                        const char               *server,
                                                        GTlsCertificate          *certificate,
                                                        GTlsCertificateFlags      errors,
                                                        const char               *pinned);
const char *lablink_certificate_dialog_get_server      (LablinkCertificateDialog *self);
const char *lablink_certificate_dialog_get_fingerprint (LablinkCertificateDialog *self);

G_END_DECLS
