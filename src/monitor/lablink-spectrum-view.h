/* lablink-spectrum-view.h — the spectrum of a waveform: level in dBV against frequency
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <lablink.h>

#include "lablink-plot.h"

G_BEGIN_DECLS

#define LABLINK_TYPE_SPECTRUM_VIEW (lablink_spectrum_view_get_type ())
G_DECLARE_FINAL_TYPE (LablinkSpectrumView, lablink_spectrum_view, LABLINK, SPECTRUM_VIEW, GtkWidget)

GtkWidget            *lablink_spectrum_view_new               (void);

void                  lablink_spectrum_view_set_waveform      (LablinkSpectrumView   *self,
                                                               const double          *samples,
                                                               gsize                  n,
                                                               double                 dt,
                                                               const char            *unit);
gboolean              lablink_spectrum_view_set_ring_range    (LablinkSpectrumView   *self,
                                                               LablinkRing           *ring,
                                                               guint                  channel,
                                                               gint64                 from,
                                                               gint64                 to,
                                                               const char            *unit);
void                  lablink_spectrum_view_clear             (LablinkSpectrumView   *self);
void                  lablink_spectrum_view_set_note          (LablinkSpectrumView   *self,
                                                               const char            *note);
const char           *lablink_spectrum_view_get_note          (LablinkSpectrumView   *self);
void                  lablink_spectrum_view_set_source_name   (LablinkSpectrumView   *self,
                                                               const char            *name);

void                  lablink_spectrum_view_set_window        (LablinkSpectrumView   *self,
                                                               LablinkSpectrumWindow  window);
LablinkSpectrumWindow lablink_spectrum_view_get_window        (LablinkSpectrumView   *self);
void                  lablink_spectrum_view_set_log_frequency (LablinkSpectrumView   *self,
                                                               gboolean               log_frequency);
gboolean              lablink_spectrum_view_get_log_frequency (LablinkSpectrumView   *self);

LablinkSpectrum      *lablink_spectrum_view_get_spectrum      (LablinkSpectrumView   *self);
gboolean              lablink_spectrum_view_get_peak          (LablinkSpectrumView   *self,
                                                               double                *frequency,
                                                               double                *level);
double                lablink_spectrum_view_get_thd           (LablinkSpectrumView   *self);
guint64               lablink_spectrum_view_get_n_spectra     (LablinkSpectrumView   *self);
LablinkPlot          *lablink_spectrum_view_get_plot          (LablinkSpectrumView   *self);

G_END_DECLS
