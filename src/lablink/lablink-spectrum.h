/* lablink-spectrum.h — the magnitude spectrum of a sampled signal (FFTW3)
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
 * LABLINK_SPECTRUM_MAX_SAMPLES:
 *
 * The most samples lablink_spectrum_compute() transforms (2^21): a
 * transform of this size needs about 64 MiB while it runs. Callers with a
 * longer record pass its newest samples.
 */
#define LABLINK_SPECTRUM_MAX_SAMPLES (1u << 21)

/**
 * LABLINK_SPECTRUM_SYNC_MAX_SAMPLES:
 *
 * Up to this many samples lablink_spectrum_compute_async() computes in the
 * calling thread (well under a millisecond); longer records are transformed
 * on a worker thread.
 */
#define LABLINK_SPECTRUM_SYNC_MAX_SAMPLES 16384

/**
 * LablinkSpectrumWindow:
 * @LABLINK_SPECTRUM_WINDOW_HANN: Hann (raised cosine): good frequency
 *   resolution, up to 1.42 dB scalloping of a single bin
 * @LABLINK_SPECTRUM_WINDOW_FLAT_TOP: the 5-term flat-top of ISO 18431-1
 *   (MATLAB's flattopwin): a tone's bin reads its level within 0.02 dB
 *   wherever it falls, for a wide main lobe
 * @LABLINK_SPECTRUM_WINDOW_BLACKMAN_HARRIS: 4-term Blackman-Harris:
 *   sidelobes below −92 dB, for distortion and small tones near big ones
 * @LABLINK_SPECTRUM_WINDOW_RECTANGULAR: no window: exact for tones centred
 *   on a bin (coherent sampling), strong leakage otherwise
 *
 * The window applied before the transform. Levels are corrected for the
 * window's coherent gain, so a tone reads its RMS level with every window.
 */
typedef enum {
  LABLINK_SPECTRUM_WINDOW_HANN,
  LABLINK_SPECTRUM_WINDOW_FLAT_TOP,
  LABLINK_SPECTRUM_WINDOW_BLACKMAN_HARRIS,
  LABLINK_SPECTRUM_WINDOW_RECTANGULAR,
} LablinkSpectrumWindow;

/**
 * LablinkSpectrum:
 *
 * The single-sided magnitude spectrum of a uniformly sampled real signal:
 * `n_samples / 2 + 1` bins from DC to the Nyquist frequency, each an RMS
 * level in dB relative to one unit of the signal (dBV for volts: a sine of
 * 1 V amplitude reads −3.01 dBV at its bin).
 *
 * An immutable, reference-counted structure: it may be passed between
 * threads.
 */
typedef struct _LablinkSpectrum LablinkSpectrum;

#define LABLINK_TYPE_SPECTRUM (lablink_spectrum_get_type ())
LABLINK_AVAILABLE_IN_ALL
GType             lablink_spectrum_get_type          (void) G_GNUC_CONST;

LABLINK_AVAILABLE_IN_ALL
LablinkSpectrum  *lablink_spectrum_compute           (const double          *samples,
                                                      gsize                  n_samples,
                                                      double                 dt,
                                                      LablinkSpectrumWindow  window,
                                                      GError               **error);
LABLINK_AVAILABLE_IN_ALL
void              lablink_spectrum_compute_async     (const double          *samples,
                                                      gsize                  n_samples,
                                                      double                 dt,
                                                      LablinkSpectrumWindow  window,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
LABLINK_AVAILABLE_IN_ALL
LablinkSpectrum  *lablink_spectrum_compute_finish    (GAsyncResult          *result,
                                                      GError               **error);

LABLINK_AVAILABLE_IN_ALL
LablinkSpectrum  *lablink_spectrum_ref               (LablinkSpectrum       *self);
LABLINK_AVAILABLE_IN_ALL
void              lablink_spectrum_unref             (LablinkSpectrum       *self);

LABLINK_AVAILABLE_IN_ALL
LablinkSpectrumWindow lablink_spectrum_get_window    (LablinkSpectrum       *self);
LABLINK_AVAILABLE_IN_ALL
gsize             lablink_spectrum_get_n_samples     (LablinkSpectrum       *self);
LABLINK_AVAILABLE_IN_ALL
double            lablink_spectrum_get_dt            (LablinkSpectrum       *self);
LABLINK_AVAILABLE_IN_ALL
gsize             lablink_spectrum_get_n_bins        (LablinkSpectrum       *self);
LABLINK_AVAILABLE_IN_ALL
double            lablink_spectrum_get_bin_width     (LablinkSpectrum       *self);
LABLINK_AVAILABLE_IN_ALL
double            lablink_spectrum_get_frequency     (LablinkSpectrum       *self,
                                                      gsize                  bin);
LABLINK_AVAILABLE_IN_ALL
double            lablink_spectrum_get_level         (LablinkSpectrum       *self,
                                                      gsize                  bin);
LABLINK_AVAILABLE_IN_ALL
const double     *lablink_spectrum_get_levels        (LablinkSpectrum       *self,
                                                      gsize                 *n_bins);
LABLINK_AVAILABLE_IN_ALL
gsize             lablink_spectrum_copy_frequencies  (LablinkSpectrum       *self,
                                                      double                *frequencies,
                                                      gsize                  n);

LABLINK_AVAILABLE_IN_ALL
gboolean          lablink_spectrum_find_peak         (LablinkSpectrum       *self,
                                                      double                 min_frequency,
                                                      double                *frequency,
                                                      double                *level);
LABLINK_AVAILABLE_IN_ALL
double            lablink_spectrum_tone_level        (LablinkSpectrum       *self,
                                                      double                 frequency);
LABLINK_AVAILABLE_IN_ALL
double            lablink_spectrum_get_thd           (LablinkSpectrum       *self,
                                                      guint                  max_harmonic,
                                                      double                *fundamental,
                                                      guint                 *n_harmonics);

LABLINK_AVAILABLE_IN_ALL
double            lablink_spectrum_window_coherent_gain (LablinkSpectrumWindow window,
                                                         gsize                 n);
LABLINK_AVAILABLE_IN_ALL
double            lablink_spectrum_window_enbw       (LablinkSpectrumWindow  window,
                                                      gsize                  n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LablinkSpectrum, lablink_spectrum_unref)

G_END_DECLS
