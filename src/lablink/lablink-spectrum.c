/* lablink-spectrum.c — the magnitude spectrum of a sampled signal (FFTW3)
 *
 * A real-input FFT (fftw_plan_dft_r2c_1d) of the windowed record, scaled
 * so that each bin is an RMS level: the window's coherent gain (the mean
 * of its samples) is divided out, and the single-sided bins are doubled in
 * power. A sine of amplitude A on a bin then reads A/√2 there with every
 * window; between bins the windows differ (scalloping), which is why tone
 * levels (peak, harmonics, THD) are not read off one bin but summed in
 * power over the window's main lobe and divided by its equivalent noise
 * bandwidth: that is the tone's RMS level wherever it falls (Parseval).
 *
 * FFTW plans are made once per transform size and kept (a small cache).
 * Making and destroying plans is not thread-safe in FFTW, executing them
 * with the new-array interface is: the cache is guarded by a mutex and
 * transforms run outside it, on buffers from fftw_malloc() (so they have
 * the alignment the plan was made for).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <fftw3.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "lablink-error.h"
#include "lablink-spectrum.h"
#include "lablink-spectrum-private.h"

/* Levels of empty bins: far below anything an instrument measures, but
 * finite (a plot can draw it). */
#define FLOOR_DB (-300.0)

/* Sizes whose plans are kept; a transform of another size beyond these
 * makes a plan for the one transform. */
#define MAX_CACHED_PLANS 16

/* The shortest record worth transforming. */
#define MIN_SAMPLES 8

struct _LablinkSpectrum
{
  gatomicrefcount        ref_count;
  LablinkSpectrumWindow  window;
  gsize                  n_samples;
  double                 dt;
  gsize                  n_bins;
  double                 enbw;     /* in bins */
  double                *power;    /* RMS² per bin, in unit² */
  double                *levels;   /* dB re 1 unit RMS */
};

G_DEFINE_BOXED_TYPE (LablinkSpectrum, lablink_spectrum, lablink_spectrum_ref, lablink_spectrum_unref)

/* The plan cache */

static GMutex      plan_lock;
static GHashTable *plans;          /* size → fftw_plan */
static guint       n_plans_created;
static guint       n_on_worker;    /* transforms run on a worker thread */

/* A plan for @n points, from the cache or made now (with the buffers the
 * transform will use, only for their alignment: FFTW_ESTIMATE does not
 * touch them). *@cached is %FALSE for a one-off plan the caller releases
 * with release_plan(). */
static fftw_plan
acquire_plan (gsize         n,
              double       *in,
              fftw_complex *out,
              gboolean     *cached)
{
  fftw_plan plan;

  g_mutex_lock (&plan_lock);
  if (plans == NULL)
    plans = g_hash_table_new (g_direct_hash, g_direct_equal);
  plan = g_hash_table_lookup (plans, GSIZE_TO_POINTER (n));
  *cached = TRUE;
  if (plan == NULL)
    {
      plan = fftw_plan_dft_r2c_1d ((int) n, in, out, FFTW_ESTIMATE);
      n_plans_created++;
      if (g_hash_table_size (plans) < MAX_CACHED_PLANS)
        g_hash_table_insert (plans, GSIZE_TO_POINTER (n), plan);
      else
        *cached = FALSE;
    }
  g_mutex_unlock (&plan_lock);
  return plan;
}

static void
release_plan (fftw_plan plan,
              gboolean  cached)
{
  if (cached)
    return;
  g_mutex_lock (&plan_lock);
  fftw_destroy_plan (plan);
  g_mutex_unlock (&plan_lock);
}

/* How many plans were ever made (tests: plans are reused). */
guint
_lablink_spectrum_get_n_plans_created (void)
{
  guint n;

  g_mutex_lock (&plan_lock);
  n = n_plans_created;
  g_mutex_unlock (&plan_lock);
  return n;
}

guint
_lablink_spectrum_get_n_cached_plans (void)
{
  guint n;

  g_mutex_lock (&plan_lock);
  n = plans ? g_hash_table_size (plans) : 0;
  g_mutex_unlock (&plan_lock);
  return n;
}

/* How many transforms lablink_spectrum_compute_async() ran on a worker
 * thread (tests: large records never on the caller's). */
guint
_lablink_spectrum_get_n_on_worker (void)
{
  return (guint) g_atomic_int_get (&n_on_worker);
}

/* Windows */

/* Cosine-sum coefficients a0 − a1 cos + a2 cos − …, in the periodic
 * (DFT-even) form that spectral analysis uses. */
static const double *
window_coefficients (LablinkSpectrumWindow window,
                     guint                *n_terms)
{
  static const double rectangular[] = { 1.0 };
  static const double hann[] = { 0.5, 0.5 };
  /* Blackman-Harris, 4 terms, −92 dB sidelobes (Harris 1978). */
  static const double blackman_harris[] = { 0.35875, 0.48829, 0.14128, 0.01168 };
  /* The 5-term flat-top of ISO 18431-1 (MATLAB's flattopwin). */
  static const double flat_top[] = { 0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368 };

  switch (window)
    {
    case LABLINK_SPECTRUM_WINDOW_HANN:
      *n_terms = G_N_ELEMENTS (hann);
      return hann;
    case LABLINK_SPECTRUM_WINDOW_FLAT_TOP:
      *n_terms = G_N_ELEMENTS (flat_top);
      return flat_top;
    case LABLINK_SPECTRUM_WINDOW_BLACKMAN_HARRIS:
      *n_terms = G_N_ELEMENTS (blackman_harris);
      return blackman_harris;
    case LABLINK_SPECTRUM_WINDOW_RECTANGULAR:
    default:
      *n_terms = G_N_ELEMENTS (rectangular);
      return rectangular;
    }
}

/* Half the width of the window's main lobe, in bins: a K-term cosine sum
 * has its first zeros K bins from the centre. */
static guint
lobe_half_width (LablinkSpectrumWindow window)
{
  guint n_terms;

  window_coefficients (window, &n_terms);
  return n_terms;
}

static double
window_value (const double *a,
              guint         n_terms,
              gsize         i,
              gsize         n)
{
  double w = a[0], sign = -1.0;
  guint k;

  for (k = 1; k < n_terms; k++, sign = -sign)
    w += sign * a[k] * cos (2.0 * G_PI * k * (double) i / (double) n);
  return w;
}

/* Σw and Σw² of the window over @n points. */
static void
window_sums (LablinkSpectrumWindow window,
             gsize                 n,
             double               *s1,
             double               *s2)
{
  guint n_terms;
  const double *a = window_coefficients (window, &n_terms);
  gsize i;

  *s1 = *s2 = 0.0;
  if (n_terms == 1)
    {
      *s1 = *s2 = (double) n;
      return;
    }
  for (i = 0; i < n; i++)
    {
      double w = window_value (a, n_terms, i, n);
      *s1 += w;
      *s2 += w * w;
    }
}

/**
 * lablink_spectrum_window_coherent_gain:
 * @window: a window
 * @n: the record length
 *
 * Returns: the mean of the window's @n samples (1 for rectangular, 0.5
 *   for Hann): a tone's bin is this much lower than without a window
 */
double
lablink_spectrum_window_coherent_gain (LablinkSpectrumWindow window,
                                       gsize                 n)
{
  double s1, s2;

  g_return_val_if_fail (n > 0, NAN);
  window_sums (window, n, &s1, &s2);
  return s1 / n;
}

/**
 * lablink_spectrum_window_enbw:
 * @window: a window
 * @n: the record length
 *
 * Returns: the window's equivalent noise bandwidth in bins, n·Σw²/(Σw)²
 *   (1 for rectangular, 1.5 for Hann)
 */
double
lablink_spectrum_window_enbw (LablinkSpectrumWindow window,
                              gsize                 n)
{
  double s1, s2;

  g_return_val_if_fail (n > 0, NAN);
  window_sums (window, n, &s1, &s2);
  return n * s2 / (s1 * s1);
}

/* Computing */

static gboolean
check_arguments (const double  *samples,
                 gsize          n_samples,
                 double         dt,
                 GError       **error)
{
  gsize i;

  if (n_samples < MIN_SAMPLES || n_samples > LABLINK_SPECTRUM_MAX_SAMPLES)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("A spectrum needs %u to %u samples, not %" PRIu64),
                   (guint) MIN_SAMPLES, (guint) LABLINK_SPECTRUM_MAX_SAMPLES, (guint64) n_samples);
      return FALSE;
    }
  if (!(dt > 0.0) || !isfinite (dt))
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("The sample interval must be a positive number of seconds"));
      return FALSE;
    }
  for (i = 0; i < n_samples; i++)
    if (!isfinite (samples[i]))
      {
        g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                     _("The record has a gap or an invalid sample (sample %" PRIu64 ")"), (guint64) i);
        return FALSE;
      }
  return TRUE;
}

static LablinkSpectrum *
compute (const double          *samples,
         gsize                  n,
         double                 dt,
         LablinkSpectrumWindow  window)
{
  LablinkSpectrum *self;
  guint n_terms;
  const double *a = window_coefficients (window, &n_terms);
  double *in = fftw_alloc_real (n);
  fftw_complex *out = fftw_alloc_complex (n / 2 + 1);
  double s1 = 0.0, s2 = 0.0;
  gboolean cached;
  fftw_plan plan;
  gsize i;

  for (i = 0; i < n; i++)
    {
      double w = n_terms == 1 ? 1.0 : window_value (a, n_terms, i, n);

      in[i] = samples[i] * w;
      s1 += w;
      s2 += w * w;
    }

  plan = acquire_plan (n, in, out, &cached);
  fftw_execute_dft_r2c (plan, in, out);
  release_plan (plan, cached);

  self = g_new0 (LablinkSpectrum, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->window = window;
  self->n_samples = n;
  self->dt = dt;
  self->n_bins = n / 2 + 1;
  self->enbw = n * s2 / (s1 * s1);
  self->power = g_new (double, self->n_bins);
  self->levels = g_new (double, self->n_bins);

  for (i = 0; i < self->n_bins; i++)
    {
      double re = out[i][0] / s1, im = out[i][1] / s1;
      /* DC and (for even n) the Nyquist bin have no mirror image */
      double p = (re * re + im * im) * ((i == 0 || 2 * i == n) ? 1.0 : 2.0);

      self->power[i] = p;
      self->levels[i] = p > 0.0 ? MAX (10.0 * log10 (p), FLOOR_DB) : FLOOR_DB;
    }

  fftw_free (in);
  fftw_free (out);
  return self;
}

/**
 * lablink_spectrum_compute:
 * @samples: (array length=n_samples): the record, uniformly sampled
 * @n_samples: its length, 8 to %LABLINK_SPECTRUM_MAX_SAMPLES
 * @dt: the sample interval in seconds
 * @window: the window to apply
 * @error: return location for a #LABLINK_ERROR_INVALID_ARGUMENT
 *
 * Computes the spectrum of @samples in the calling thread. Any thread may
 * call it; for long records in a user interface use
 * lablink_spectrum_compute_async().
 *
 * Returns: (transfer full) (nullable): the spectrum, or %NULL if the record
 *   is too short, too long, has a non-finite sample (a gap) or @dt is not
 *   positive
 */
LablinkSpectrum *
lablink_spectrum_compute (const double          *samples,
                          gsize                  n_samples,
                          double                 dt,
                          LablinkSpectrumWindow  window,
                          GError               **error)
{
  g_return_val_if_fail (samples != NULL || n_samples == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_arguments (samples, n_samples, dt, error))
    return NULL;
  return compute (samples, n_samples, dt, window);
}

typedef struct {
  double                *samples;
  gsize                  n_samples;
  double                 dt;
  LablinkSpectrumWindow  window;
} ComputeData;

static void
compute_data_free (gpointer data)
{
  ComputeData *d = data;

  g_free (d->samples);
  g_free (d);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeData *d = task_data;

  if (g_task_return_error_if_cancelled (task))
    return;
  g_atomic_int_inc (&n_on_worker);
  g_task_return_pointer (task, compute (d->samples, d->n_samples, d->dt, d->window),
                         (GDestroyNotify) lablink_spectrum_unref);
}

/**
 * lablink_spectrum_compute_async:
 * @samples: (array length=n_samples): the record, uniformly sampled (copied)
 * @n_samples: its length, 8 to %LABLINK_SPECTRUM_MAX_SAMPLES
 * @dt: the sample interval in seconds
 * @window: the window to apply
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context of the caller
 * @user_data: data for @callback
 *
 * Computes the spectrum of @samples as lablink_spectrum_compute() does.
 * Records longer than %LABLINK_SPECTRUM_SYNC_MAX_SAMPLES are copied and
 * transformed on a worker thread, so that the caller's thread (a user
 * interface's) never waits for a large transform; shorter ones are
 * transformed at once. @callback always runs later, from the main context.
 */
void
lablink_spectrum_compute_async (const double          *samples,
                                gsize                  n_samples,
                                double                 dt,
                                LablinkSpectrumWindow  window,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  ComputeData *d;

  g_return_if_fail (samples != NULL || n_samples == 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lablink_spectrum_compute_async);
  g_task_set_name (task, "[lablink] spectrum");

  if (!check_arguments (samples, n_samples, dt, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (n_samples <= LABLINK_SPECTRUM_SYNC_MAX_SAMPLES)
    {
      g_task_return_pointer (task, compute (samples, n_samples, dt, window),
                             (GDestroyNotify) lablink_spectrum_unref);
      return;
    }

  d = g_new0 (ComputeData, 1);
  d->samples = g_memdup2 (samples, n_samples * sizeof (double));
  d->n_samples = n_samples;
  d->dt = dt;
  d->window = window;
  g_task_set_task_data (task, d, compute_data_free);
  g_task_run_in_thread (task, compute_thread);
}

/**
 * lablink_spectrum_compute_finish:
 * @result: the #GAsyncResult of lablink_spectrum_compute_async()
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the spectrum, or %NULL with @error
 *   set (as lablink_spectrum_compute(), or %G_IO_ERROR_CANCELLED)
 */
LablinkSpectrum *
lablink_spectrum_compute_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lablink_spectrum_compute_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lablink_spectrum_ref:
 * @self: a spectrum
 *
 * Returns: (transfer full): @self
 */
LablinkSpectrum *
lablink_spectrum_ref (LablinkSpectrum *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * lablink_spectrum_unref:
 * @self: (transfer full): a spectrum
 */
void
lablink_spectrum_unref (LablinkSpectrum *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->power);
  g_free (self->levels);
  g_free (self);
}

/* Accessors */

/**
 * lablink_spectrum_get_window:
 * @self: a spectrum
 *
 * Returns: the window it was computed with
 */
LablinkSpectrumWindow
lablink_spectrum_get_window (LablinkSpectrum *self)
{
  g_return_val_if_fail (self != NULL, LABLINK_SPECTRUM_WINDOW_HANN);
  return self->window;
}

/**
 * lablink_spectrum_get_n_samples:
 * @self: a spectrum
 *
 * Returns: the length of the record it was computed from
 */
gsize
lablink_spectrum_get_n_samples (LablinkSpectrum *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_samples;
}

/**
 * lablink_spectrum_get_dt:
 * @self: a spectrum
 *
 * Returns: the sample interval of the record, in seconds
 */
double
lablink_spectrum_get_dt (LablinkSpectrum *self)
{
  g_return_val_if_fail (self != NULL, NAN);
  return self->dt;
}

/**
 * lablink_spectrum_get_n_bins:
 * @self: a spectrum
 *
 * Returns: the number of bins, `n_samples / 2 + 1` (DC to Nyquist)
 */
gsize
lablink_spectrum_get_n_bins (LablinkSpectrum *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_bins;
}

/**
 * lablink_spectrum_get_bin_width:
 * @self: a spectrum
 *
 * Returns: the spacing of the bins in hertz, 1 / (n_samples · dt)
 */
double
lablink_spectrum_get_bin_width (LablinkSpectrum *self)
{
  g_return_val_if_fail (self != NULL, NAN);
  return 1.0 / (self->n_samples * self->dt);
}

/**
 * lablink_spectrum_get_frequency:
 * @self: a spectrum
 * @bin: a bin index
 *
 * Returns: the frequency of @bin in hertz
 */
double
lablink_spectrum_get_frequency (LablinkSpectrum *self,
                                gsize            bin)
{
  g_return_val_if_fail (self != NULL, NAN);
  g_return_val_if_fail (bin < self->n_bins, NAN);
  return bin / (self->n_samples * self->dt);
}

/**
 * lablink_spectrum_get_level:
 * @self: a spectrum
 * @bin: a bin index
 *
 * Returns: the RMS level of @bin in dB re one unit (dBV for volts)
 */
double
lablink_spectrum_get_level (LablinkSpectrum *self,
                            gsize            bin)
{
  g_return_val_if_fail (self != NULL, NAN);
  g_return_val_if_fail (bin < self->n_bins, NAN);
  return self->levels[bin];
}

/**
 * lablink_spectrum_get_levels:
 * @self: a spectrum
 * @n_bins: (out) (optional): the number of levels
 *
 * Returns: (array length=n_bins) (transfer none): the level of each bin in
 *   dB re one unit RMS, valid as long as @self
 */
const double *
lablink_spectrum_get_levels (LablinkSpectrum *self,
                             gsize           *n_bins)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_bins)
    *n_bins = self->n_bins;
  return self->levels;
}

/**
 * lablink_spectrum_copy_frequencies:
 * @self: a spectrum
 * @frequencies: (out caller-allocates) (array length=n): where to write
 * @n: room in @frequencies
 *
 * Writes the frequency of the first @n bins (all bins at most), in hertz.
 *
 * Returns: how many were written
 */
gsize
lablink_spectrum_copy_frequencies (LablinkSpectrum *self,
                                   double          *frequencies,
                                   gsize            n)
{
  double df;
  gsize i;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (frequencies != NULL || n == 0, 0);

  df = lablink_spectrum_get_bin_width (self);
  n = MIN (n, self->n_bins);
  for (i = 0; i < n; i++)
    frequencies[i] = i * df;
  return n;
}

/* Tones */

/* The tone around @centre: its power summed over the main lobe (and
 * divided by the window's noise bandwidth), and its power-weighted mean
 * bin. The lobe of a tone above DC leaves out DC's own lobe (bins below
 * k): a DC offset is not part of the tone. */
static double
lobe_power (LablinkSpectrum *self,
            gsize            centre,
            double          *mean_bin)
{
  guint k = lobe_half_width (self->window);
  gsize lo = centre >= k ? MAX (centre - k, k) : 0;
  gsize hi = MIN (centre + k, self->n_bins - 1);
  double sum = 0.0, moment = 0.0;
  gsize i;

  for (i = lo; i <= hi; i++)
    {
      sum += self->power[i];
      moment += self->power[i] * (double) i;
    }
  if (mean_bin)
    *mean_bin = sum > 0.0 ? moment / sum : (double) centre;
  return sum / self->enbw;
}

static double
power_to_db (double p)
{
  return p > 0.0 ? MAX (10.0 * log10 (p), FLOOR_DB) : FLOOR_DB;
}

/**
 * lablink_spectrum_find_peak:
 * @self: a spectrum
 * @min_frequency: ignore bins below this frequency in hertz (0: only the
 *   window's main lobe around DC is ignored)
 * @frequency: (out) (optional): the peak's frequency in hertz, between
 *   bins (the power-weighted centre of its main lobe)
 * @level: (out) (optional): the peak tone's RMS level in dB re one unit
 *   (its main lobe's power, corrected for the window's noise bandwidth):
 *   right wherever the tone falls between bins
 *
 * Finds the strongest tone above DC.
 *
 * Returns: %TRUE if there is a bin to search above @min_frequency
 */
gboolean
lablink_spectrum_find_peak (LablinkSpectrum *self,
                            double           min_frequency,
                            double          *frequency,
                            double          *level)
{
  double df, best_power = -1.0, mean_bin, p;
  gsize first, best = 0, i;

  g_return_val_if_fail (self != NULL, FALSE);

  df = lablink_spectrum_get_bin_width (self);
  first = lobe_half_width (self->window);
  if (min_frequency > 0.0)
    first = MAX (first, (gsize) ceil (min_frequency / df));
  if (first >= self->n_bins)
    return FALSE;

  for (i = first; i < self->n_bins; i++)
    if (self->power[i] > best_power)
      {
        best_power = self->power[i];
        best = i;
      }

  p = lobe_power (self, best, &mean_bin);
  if (frequency)
    *frequency = mean_bin * df;
  if (level)
    *level = power_to_db (p);
  return TRUE;
}

/**
 * lablink_spectrum_tone_level:
 * @self: a spectrum
 * @frequency: a tone's frequency in hertz
 *
 * Returns: the RMS level in dB re one unit of the tone at @frequency (its
 *   main lobe's power, corrected for the window's noise bandwidth), or
 *   NaN if @frequency is outside 0 to Nyquist
 */
double
lablink_spectrum_tone_level (LablinkSpectrum *self,
                             double           frequency)
{
  double bin;

  g_return_val_if_fail (self != NULL, NAN);

  bin = round (frequency / lablink_spectrum_get_bin_width (self));
  if (!(bin >= 0.0) || bin > (double) (self->n_bins - 1))
    return NAN;
  return power_to_db (lobe_power (self, (gsize) bin, NULL));
}

/**
 * lablink_spectrum_get_thd:
 * @self: a spectrum
 * @max_harmonic: the highest harmonic to include (2 or more); harmonics
 *   whose main lobe reaches past the Nyquist frequency are left out
 * @fundamental: (out) (optional): the fundamental's frequency in hertz
 *   (the strongest tone, as lablink_spectrum_find_peak())
 * @n_harmonics: (out) (optional): how many harmonics were summed
 *
 * The total harmonic distortion of the strongest tone: the RMS sum of its
 * harmonics 2 to @max_harmonic relative to its own RMS level (IEEE
 * definition, THD_F).
 *
 * Returns: THD as a ratio (0.01 is 1 %, −40 dB), or NaN if there is no
 *   tone, it is too near DC for its harmonics to be told from it, or no
 *   harmonic is below the Nyquist frequency
 */
double
lablink_spectrum_get_thd (LablinkSpectrum *self,
                          guint            max_harmonic,
                          double          *fundamental,
                          guint           *n_harmonics)
{
  double df, f1, p1, ph = 0.0, mean_bin;
  gsize best = 0, i;
  double best_power = -1.0;
  guint k, h, n = 0;

  g_return_val_if_fail (self != NULL, NAN);
  g_return_val_if_fail (max_harmonic >= 2, NAN);

  if (n_harmonics)
    *n_harmonics = 0;
  if (fundamental)
    *fundamental = NAN;

  k = lobe_half_width (self->window);
  df = lablink_spectrum_get_bin_width (self);
  for (i = k; i < self->n_bins; i++)
    if (self->power[i] > best_power)
      {
        best_power = self->power[i];
        best = i;
      }
  if (best_power <= 0.0)
    return NAN;

  p1 = lobe_power (self, best, &mean_bin);
  f1 = mean_bin * df;
  if (fundamental)
    *fundamental = f1;
  /* The second harmonic's lobe must not overlap the fundamental's (they
   * may share their edge bin, a null of both). */
  if (mean_bin < 2.0 * k - 0.5)
    return NAN;

  for (h = 2; h <= max_harmonic; h++)
    {
      double bin = round (h * mean_bin);

      if (bin + k > (double) (self->n_bins - 1))
        break;
      ph += lobe_power (self, (gsize) bin, NULL);
      n++;
    }
  if (n_harmonics)
    *n_harmonics = n;
  if (n == 0)
    return NAN;
  return sqrt (ph / p1);
}
