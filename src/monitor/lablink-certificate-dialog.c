/* lablink-certificate-dialog.c — asks whether to trust a server's self-signed certificate
 *
 * Shown when the system does not trust a server's certificate: the server,
 * the SHA-256 fingerprint to compare with the one its administrator gives,
 * whom it was issued to and by, and its validity. "Trust This Server" pins
 * the fingerprint for that server; when a pinned certificate changed, the
 * dialog says so, shows the old fingerprint too, and the answer that trusts
 * the new one is marked destructive. Cancel is the default.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <lablink.h>

#include "lablink-certificate-dialog.h"

struct _LablinkCertificateDialog
{
  AdwMessageDialog  parent_instance;

  GtkLabel         *server_label;
  GtkLabel         *fingerprint_label;
  GtkLabel         *old_title;
  GtkLabel         *old_label;
  GtkLabel         *subject_label;
  GtkLabel         *issuer_label;
  GtkLabel         *validity_label;

  char             *server;
  char             *fingerprint;
};

G_DEFINE_FINAL_TYPE (LablinkCertificateDialog, lablink_certificate_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
lablink_certificate_dialog_finalize (GObject *object)
{
  LablinkCertificateDialog *self = LABLINK_CERTIFICATE_DIALOG (object);

  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->fingerprint, g_free);

  G_OBJECT_CLASS (lablink_certificate_dialog_parent_class)->finalize (object);
}

static void
lablink_certificate_dialog_class_init (LablinkCertificateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = lablink_certificate_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-certificate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkCertificateDialog, server_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkCertificateDialog, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkCertificateDialog, old_title);
  gtk_widget_class_bind_template_child (widget_class, LablinkCertificateDialog, old_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkCertificateDialog, subject_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkCertificateDialog, issuer_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkCertificateDialog, validity_label);
}

static void
lablink_certificate_dialog_init (LablinkCertificateDialog *self)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* a fingerprint wraps anywhere, but must not gain a hyphen */
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (self->fingerprint_label, attrs);
  gtk_label_set_attributes (self->old_label, attrs);
  pango_attr_list_unref (attrs);
}

static char *
format_date (GDateTime *time)
{
  /* ISO 8601: certificates often run for a century, "%x" has two-digit years */
  return time != NULL ? g_date_time_format (time, "%Y-%m-%d") : g_strdup ("?");
}

static void
set_text_or_unknown (GtkLabel   *label,
                     const char *text)
{
  gtk_label_set_text (label, text != NULL && *text != '\0' ? text : _("Unknown"));
}

/**
 * lablink_certificate_dialog_new:
 * @parent: (nullable): the window
 * @server: the server, as "host:port"
 * @certificate: the certificate it presented
 * @errors: why the system does not trust it
 * @pinned: (nullable): the fingerprint trusted for @server before, when
 *   the certificate changed
 *
 * Returns: (transfer floating): the dialog; its "response" is "trust" or
 *   "cancel"
 */
GtkWidget *
lablink_certificate_dialog_new (GtkWindow            *parent,
                                const char           *server,
                                GTlsCertificate      *certificate,
                                GTlsCertificateFlags  errors,
                                const char           *pinned)
{
  LablinkCertificateDialog *self = g_object_new (LABLINK_TYPE_CERTIFICATE_DIALOG, "transient-for", parent, NULL);
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;
  g_autoptr(GDateTime) not_before = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *validity = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  self->server = g_strdup (server);
  self->fingerprint = lablink_certificate_get_fingerprint (certificate);

  g_object_get (certificate,
                "subject-name", &subject,
                "issuer-name", &issuer,
                "not-valid-before", &not_before,
                "not-valid-after", &not_after,
                NULL);
  from = format_date (not_before);
  until = format_date (not_after);
  /* Translators: the validity of a certificate: "from DATE to DATE" */
  validity = g_strdup_printf (_("%s to %s"), from, until);
  if (errors & G_TLS_CERTIFICATE_EXPIRED)
    {
      g_autofree char *expired = g_strdup_printf (_("%s (expired)"), validity);

      g_free (validity);
      validity = g_steal_pointer (&expired);
    }

  gtk_label_set_text (self->server_label, server);
  gtk_label_set_text (self->fingerprint_label, self->fingerprint);
  set_text_or_unknown (self->subject_label, subject);
  set_text_or_unknown (self->issuer_label, issuer);
  gtk_label_set_text (self->validity_label, validity);

  if (pinned != NULL)
    {
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Certificate Changed"));
      body = g_strdup_printf (_("The server %s now presents another certificate than the one you "
                                "trusted for it. Someone may be intercepting the connection, or the "
                                "server got a new certificate. Ask the server’s administrator, and "
                                "trust the new certificate only if they confirm its fingerprint."),
                              server);
      gtk_label_set_text (self->old_label, pinned);
      gtk_widget_set_visible (GTK_WIDGET (self->old_title), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->old_label), TRUE);
      adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), "trust", _("_Trust New Certificate"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "trust", ADW_RESPONSE_DESTRUCTIVE);
    }
  else
    {
      body = g_strdup_printf (_("The certificate of %s is not signed by an authority this computer "
                                "trusts, as is usual for a lab server’s own certificate. Compare its "
                                "fingerprint with the one the server’s administrator gives you, and "
                                "trust it only if they are the same. It is then remembered for this "
                                "server."),
                              server);
    }
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  return GTK_WIDGET (self);
}

const char *
lablink_certificate_dialog_get_server (LablinkCertificateDialog *self)
{
  g_return_val_if_fail (LABLINK_IS_CERTIFICATE_DIALOG (self), NULL);
  return self->server;
}

/**
 * lablink_certificate_dialog_get_fingerprint:
 * @self: the dialog
 *
 * Returns: the fingerprint of the certificate shown, to pin on "trust"
 */
const char *
lablink_certificate_dialog_get_fingerprint (LablinkCertificateDialog *self)
{
  g_return_val_if_fail (LABLINK_IS_CERTIFICATE_DIALOG (self), NULL);
  return self->fingerprint;
}
