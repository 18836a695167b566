/* test-spectrum.c — LablinkSpectrum: levels, windows, peaks, THD, plans
 *
 * Against signals whose spectrum is known: a sine of amplitude A reads
 * 20·log10(A/√2) dBV with every window, a square wave's odd harmonics are
 * 1/n of its fundamental (−9.54 dB, −13.98 dB, …).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <lablink.h>
#include <math.h>

#include "lablink-spectrum-private.h"

static const LablinkSpectrumWindow all_windows[] = {
  LABLINK_SPECTRUM_WINDOW_HANN,
  LABLINK_SPECTRUM_WINDOW_FLAT_TOP,
  LABLINK_SPECTRUM_WINDOW_BLACKMAN_HARRIS,
  LABLINK_SPECTRUM_WINDOW_RECTANGULAR,
};

static double *
make_sine (gsize  n,
           double dt,
           double frequency,
           double amplitude,
           double phase)
{
  double *x = g_new (double, n);
  gsize i;

  for (i = 0; i < n; i++)
    x[i] = amplitude * sin (2.0 * G_PI * frequency * i * dt + phase);
  return x;
}

static double
rms_dbv (double amplitude)
{
  return 20.0 * log10 (amplitude / sqrt (2.0));
}

/* A 1 kHz sine, 1 V amplitude, not on a bin (100 kS/s, 4096 points: the
 * bin is 24.41 Hz, 1 kHz is bin 40.96): the peak is at 1 kHz within a bin
 * and reads −3.01 dBV with each window (the rectangular window leaks, so
 * it gets the wider tolerance its scalloping implies). */
static void
test_spectrum_sine_windows (void)
{
  const gsize n = 4096;
  const double dt = 1e-5;
  g_autofree double *x = make_sine (n, dt, 1000.0, 1.0, 0.3);
  guint w;

  for (w = 0; w < G_N_ELEMENTS (all_windows); w++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LablinkSpectrum) s = lablink_spectrum_compute (x, n, dt, all_windows[w], &error);
      double f, level, df;

      g_assert_no_error (error);
      g_assert_nonnull (s);
      g_assert_cmpuint (lablink_spectrum_get_n_bins (s), ==, n / 2 + 1);
      g_assert_cmpint (lablink_spectrum_get_window (s), ==, all_windows[w]);
      df = lablink_spectrum_get_bin_width (s);
      g_assert_cmpfloat_with_epsilon (df, 1.0 / (n * dt), 1e-9);
      g_assert_cmpfloat_with_epsilon (lablink_spectrum_get_frequency (s, 41), 41 * df, 1e-9);

      g_assert_true (lablink_spectrum_find_peak (s, 0.0, &f, &level));
      g_test_message ("window %u: peak %.3f Hz (%.4f bins off), %.4f dBV", w, f, (f - 1000.0) / df, level);
      g_assert_cmpfloat (fabs (f - 1000.0), <=, df);
      if (all_windows[w] == LABLINK_SPECTRUM_WINDOW_RECTANGULAR)
        g_assert_cmpfloat (fabs (level - rms_dbv (1.0)), <=, 1.0);
      else
        {
          /* the interpolation is much better than a bin */
          g_assert_cmpfloat (fabs (f - 1000.0), <=, 0.05 * df);
          g_assert_cmpfloat (fabs (level - rms_dbv (1.0)), <=, 0.05);
        }
    }
  g_assert_cmpfloat_with_epsilon (rms_dbv (1.0), -3.0103, 1e-4);
}

/* The flat-top window reads a tone's own bin right wherever it falls. */
static void
test_spectrum_flat_top_scalloping (void)
{
  const gsize n = 2048;
  const double dt = 1e-4;
  double offset;

  for (offset = 0.0; offset <= 0.5; offset += 0.125)
    {
      double f0 = (100.0 + offset) / (n * dt);
      g_autofree double *x = make_sine (n, dt, f0, 2.0, 1.0);
      g_autoptr(LablinkSpectrum) s = lablink_spectrum_compute (x, n, dt, LABLINK_SPECTRUM_WINDOW_FLAT_TOP, NULL);
      double bin_level = lablink_spectrum_get_level (s, 100);

      g_test_message ("flat-top, %.3f bins off: bin %.4f dBV", offset, bin_level);
      g_assert_cmpfloat (fabs (bin_level - rms_dbv (2.0)), <=, 0.02);
    }
}

/* Rectangular window, sine centred on a bin: that bin is the exact RMS
 * level, every other bin is empty (to rounding). DC reads the mean. */
static void
test_spectrum_rectangular_exact (void)
{
  const gsize n = 1000;
  const double dt = 1e-5;   /* 100 Hz bins: 1 kHz is bin 10 */
  g_autofree double *x = make_sine (n, dt, 1000.0, 0.5, 0.7);
  g_autoptr(LablinkSpectrum) s = NULL;
  g_autoptr(LablinkSpectrum) dc = NULL;
  double f, level;
  gsize i, n_bins;
  const double *levels;

  s = lablink_spectrum_compute (x, n, dt, LABLINK_SPECTRUM_WINDOW_RECTANGULAR, NULL);
  levels = lablink_spectrum_get_levels (s, &n_bins);
  g_assert_cmpuint (n_bins, ==, 501);
  g_assert_cmpfloat_with_epsilon (levels[10], rms_dbv (0.5), 1e-9);
  for (i = 0; i < n_bins; i++)
    if (i != 10)
      g_assert_cmpfloat (levels[i], <, -250.0);
  g_assert_true (lablink_spectrum_find_peak (s, 0.0, &f, &level));
  g_assert_cmpfloat_with_epsilon (f, 1000.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (level, rms_dbv (0.5), 1e-9);
  g_assert_cmpfloat_with_epsilon (lablink_spectrum_tone_level (s, 1000.0), rms_dbv (0.5), 1e-9);

  /* A constant 2 V: DC is 2 V RMS, +6.02 dBV. */
  for (i = 0; i < n; i++)
    x[i] = 2.0;
  dc = lablink_spectrum_compute (x, n, dt, LABLINK_SPECTRUM_WINDOW_RECTANGULAR, NULL);
  g_assert_cmpfloat_with_epsilon (lablink_spectrum_get_level (dc, 0), 20.0 * log10 (2.0), 1e-9);
  /* and no peak above DC worth the name */
  g_assert_true (lablink_spectrum_find_peak (dc, 0.0, NULL, &level));
  g_assert_cmpfloat (level, <, -250.0);
}

/* A ±1 V square wave at 1 kHz: odd harmonics at 1/n of the fundamental,
 * even ones absent. 1 MS/s, 65536 points (not a whole number of periods). */
static void
test_spectrum_square_harmonics (void)
{
  const gsize n = 65536;
  const double dt = 1e-6;
  g_autofree double *x = g_new (double, n);
  g_autoptr(LablinkSpectrum) s = NULL;
  double f, fundamental;
  guint h;
  gsize i;

  for (i = 0; i < n; i++)
    x[i] = (i % 1000) < 500 ? 1.0 : -1.0;

  s = lablink_spectrum_compute (x, n, dt, LABLINK_SPECTRUM_WINDOW_FLAT_TOP, NULL);
  g_assert_true (lablink_spectrum_find_peak (s, 0.0, &f, &fundamental));
  g_assert_cmpfloat (fabs (f - 1000.0), <=, lablink_spectrum_get_bin_width (s));
  /* 4/π V amplitude */
  g_assert_cmpfloat (fabs (fundamental - rms_dbv (4.0 / G_PI)), <=, 0.05);

  for (h = 2; h <= 9; h++)
    {
      double rel = lablink_spectrum_tone_level (s, h * 1000.0) - fundamental;

      g_test_message ("harmonic %u: %.3f dB", h, rel);
      if (h % 2 == 1)
        g_assert_cmpfloat (fabs (rel - 20.0 * log10 (1.0 / h)), <=, 0.5);
      else
        g_assert_cmpfloat (rel, <, -80.0);
    }
  g_assert_cmpfloat (fabs (20.0 * log10 (1.0 / 3) - -9.54), <, 0.01);
  g_assert_cmpfloat (fabs (20.0 * log10 (1.0 / 5) - -13.98), <, 0.01);
}

static void
test_spectrum_thd (void)
{
  const gsize n = 16384;
  const double dt = 1e-5;
  g_autofree double *pure = make_sine (n, dt, 1000.0, 1.0, 0.0);
  g_autofree double *distorted = g_new (double, n);
  double f1;
  guint n_harmonics, w;
  gsize i;

  /* 10 % second and 5 % third harmonic: THD = √(0.1² + 0.05²) = 11.18 % */
  for (i = 0; i < n; i++)
    {
      double t = i * dt;
      distorted[i] = sin (2 * G_PI * 1000.0 * t) + 0.1 * sin (2 * G_PI * 2000.0 * t + 0.4)
                     + 0.05 * sin (2 * G_PI * 3000.0 * t + 1.1);
    }

  for (w = 0; w < G_N_ELEMENTS (all_windows); w++)
    {
      g_autoptr(LablinkSpectrum) sp = lablink_spectrum_compute (pure, n, dt, all_windows[w], NULL);
      g_autoptr(LablinkSpectrum) sd = lablink_spectrum_compute (distorted, n, dt, all_windows[w], NULL);
      double thd_pure, thd;

      if (all_windows[w] == LABLINK_SPECTRUM_WINDOW_RECTANGULAR)
        continue;  /* leaks: not for distortion off a bin */

      thd_pure = lablink_spectrum_get_thd (sp, 10, &f1, &n_harmonics);
      g_test_message ("window %u: THD of a pure sine %.3g (%.1f dB)", w, thd_pure, 20 * log10 (thd_pure));
      g_assert_cmpfloat (fabs (f1 - 1000.0), <=, 0.05 * lablink_spectrum_get_bin_width (sp));
      g_assert_cmpuint (n_harmonics, ==, 10 - 1);
      g_assert_cmpfloat (thd_pure, <, 1e-3);

      thd = lablink_spectrum_get_thd (sd, 10, &f1, NULL);
      g_test_message ("window %u: THD %.5f", w, thd);
      g_assert_cmpfloat (fabs (thd - sqrt (0.1 * 0.1 + 0.05 * 0.05)), <=, 0.002);
    }

  /* Harmonics up to Nyquist only: at 20 kHz with 100 kS/s, 2 fit. */
  {
    g_autofree double *high = make_sine (n, dt, 20000.0, 1.0, 0.0);
    g_autoptr(LablinkSpectrum) s = lablink_spectrum_compute (high, n, dt, LABLINK_SPECTRUM_WINDOW_HANN, NULL);

    lablink_spectrum_get_thd (s, 10, &f1, &n_harmonics);
    g_assert_cmpuint (n_harmonics, ==, 1);
  }
}

static void
test_spectrum_invalid (void)
{
  double x[16] = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_null (lablink_spectrum_compute (x, 4, 1e-3, LABLINK_SPECTRUM_WINDOW_HANN, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (lablink_spectrum_compute (x, 16, 0.0, LABLINK_SPECTRUM_WINDOW_HANN, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  x[3] = NAN;
  g_assert_null (lablink_spectrum_compute (x, 16, 1e-3, LABLINK_SPECTRUM_WINDOW_HANN, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
}

static void
test_spectrum_window_gains (void)
{
  g_assert_cmpfloat_with_epsilon (lablink_spectrum_window_coherent_gain (LABLINK_SPECTRUM_WINDOW_RECTANGULAR, 1024), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (lablink_spectrum_window_coherent_gain (LABLINK_SPECTRUM_WINDOW_HANN, 1024), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (lablink_spectrum_window_enbw (LABLINK_SPECTRUM_WINDOW_RECTANGULAR, 1024), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (lablink_spectrum_window_enbw (LABLINK_SPECTRUM_WINDOW_HANN, 1024), 1.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (lablink_spectrum_window_enbw (LABLINK_SPECTRUM_WINDOW_BLACKMAN_HARRIS, 1024), 2.0044, 1e-3);
  g_assert_cmpfloat_with_epsilon (lablink_spectrum_window_enbw (LABLINK_SPECTRUM_WINDOW_FLAT_TOP, 1024), 3.77, 0.01);
}

/* One plan per size, reused. */
static void
test_spectrum_plan_reuse (void)
{
  const gsize n = 3000;  /* a size no other test uses */
  g_autofree double *x = make_sine (n, 1e-3, 50.0, 1.0, 0.0);
  guint created = _lablink_spectrum_get_n_plans_created ();
  guint cached = _lablink_spectrum_get_n_cached_plans ();
  LablinkSpectrum *a, *b;

  a = lablink_spectrum_compute (x, n, 1e-3, LABLINK_SPECTRUM_WINDOW_HANN, NULL);
  g_assert_cmpuint (_lablink_spectrum_get_n_plans_created (), ==, created + 1);
  g_assert_cmpuint (_lablink_spectrum_get_n_cached_plans (), ==, cached + 1);
  b = lablink_spectrum_compute (x, n, 1e-3, LABLINK_SPECTRUM_WINDOW_BLACKMAN_HARRIS, NULL);
  g_assert_cmpuint (_lablink_spectrum_get_n_plans_created (), ==, created + 1);
  g_assert_cmpuint (_lablink_spectrum_get_n_cached_plans (), ==, cached + 1);
  lablink_spectrum_unref (a);
  lablink_spectrum_unref (b);
}

static void
on_computed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  LablinkSpectrum **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = lablink_spectrum_compute_finish (result, &error);
  g_assert_no_error (error);
}

static void
wait_for (LablinkSpectrum **out)
{
  /* generous: only a hang misses it */
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (*out == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*out);
}

/* Small records in the caller's thread, large ones on a worker; the
 * callback comes later either way; several at once on the worker threads
 * share one plan. */
static void
test_spectrum_async (void)
{
  const gsize small = 1024, large = 1 << 18;
  g_autofree double *xs = make_sine (small, 1e-5, 1000.0, 1.0, 0.0);
  g_autofree double *xl = make_sine (large, 1e-6, 1000.0, 1.0, 0.0);
  LablinkSpectrum *results[4] = { NULL };
  LablinkSpectrum *sync_result = NULL;
  guint created, on_worker, i;
  double f, level;

  on_worker = _lablink_spectrum_get_n_on_worker ();
  lablink_spectrum_compute_async (xs, small, 1e-5, LABLINK_SPECTRUM_WINDOW_HANN, NULL, on_computed, &sync_result);
  g_assert_null (sync_result);  /* never called back from inside the call */
  wait_for (&sync_result);
  g_assert_cmpuint (_lablink_spectrum_get_n_on_worker (), ==, on_worker);
  g_assert_true (lablink_spectrum_find_peak (sync_result, 0.0, &f, &level));
  g_assert_cmpfloat (fabs (f - 1000.0), <=, 1.0);
  lablink_spectrum_unref (sync_result);

  created = _lablink_spectrum_get_n_plans_created ();
  for (i = 0; i < G_N_ELEMENTS (results); i++)
    lablink_spectrum_compute_async (xl, large, 1e-6, all_windows[i], NULL, on_computed, &results[i]);
  for (i = 0; i < G_N_ELEMENTS (results); i++)
    {
      wait_for (&results[i]);
      g_assert_cmpuint (lablink_spectrum_get_n_samples (results[i]), ==, large);
      g_assert_true (lablink_spectrum_find_peak (results[i], 0.0, &f, &level));
      g_assert_cmpfloat (fabs (f - 1000.0), <=, lablink_spectrum_get_bin_width (results[i]));
      lablink_spectrum_unref (results[i]);
    }
  g_assert_cmpuint (_lablink_spectrum_get_n_plans_created (), <=, created + 1);
  /* the large ones were transformed on worker threads */
  g_assert_cmpuint (_lablink_spectrum_get_n_on_worker (), ==, on_worker + G_N_ELEMENTS (results));
}

static void
on_cancelled (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  LablinkSpectrum *s = lablink_spectrum_compute_finish (result, &error);

  /* cancelled before it ran, or it had already finished */
  if (s == NULL)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  else
    lablink_spectrum_unref (s);
  *done = TRUE;
}

static void
on_invalid (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_null (lablink_spectrum_compute_finish (result, &error));
  g_assert_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT);
  *done = TRUE;
}

static void
test_spectrum_async_errors (void)
{
  double x[4] = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree double *xl = make_sine (1 << 16, 1e-6, 1000.0, 1.0, 0.0);
  gboolean done = FALSE;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  lablink_spectrum_compute_async (x, G_N_ELEMENTS (x), 1e-3, LABLINK_SPECTRUM_WINDOW_HANN, NULL, on_invalid, &done);
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done);

  done = FALSE;
  g_cancellable_cancel (cancellable);
  lablink_spectrum_compute_async (xl, 1 << 16, 1e-6, LABLINK_SPECTRUM_WINDOW_HANN, cancellable, on_cancelled, &done);
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/spectrum/sine-windows", test_spectrum_sine_windows);
  g_test_add_func ("/spectrum/flat-top-scalloping", test_spectrum_flat_top_scalloping);
  g_test_add_func ("/spectrum/rectangular-exact", test_spectrum_rectangular_exact);
  g_test_add_func ("/spectrum/square-harmonics", test_spectrum_square_harmonics);
  g_test_add_func ("/spectrum/thd", test_spectrum_thd);
  g_test_add_func ("/spectrum/invalid", test_spectrum_invalid);
  g_test_add_func ("/spectrum/window-gains", test_spectrum_window_gains);
  g_test_add_func ("/spectrum/plan-reuse", test_spectrum_plan_reuse);
  g_test_add_func ("/spectrum/async", test_spectrum_async);
  g_test_add_func ("/spectrum/async-errors", test_spectrum_async_errors);

  return g_test_run ();
}
