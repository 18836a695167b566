/* lablink-spectrum-view.c — the spectrum of a waveform: level in dBV against frequency
 *
 * Whoever has a waveform (the scope panel, a channel of an acquisition)
 * hands it over with lablink_spectrum_view_set_waveform() as often as it
 * arrives; the view transforms it with lablink_spectrum_compute_async()
 * (large records on a worker thread) and draws the result in a
 * LablinkPlot, with the strongest tone marked and its THD shown. One
 * transform runs at a time: waveforms arriving meanwhile are coalesced into
 * the newest, so a fast stream costs at most one transform per result.
 *
 * The logarithmic frequency axis is the plot's own (lablink_plot_set_x_log():
 * ticks in hertz, cursors reading frequencies); it leaves out the DC bin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "lablink-spectrum-view.h"
#include "lablink-units.h"

/* The dynamic range shown below the strongest bin, in dB. */
#define DISPLAY_RANGE_DB 140.0
/* Harmonics included in THD. */
#define THD_HARMONICS 10

struct _LablinkSpectrumView
{
  GtkWidget              parent_instance;

  GtkWidget             *box;
  GtkDropDown           *window_dropdown;
  GtkToggleButton       *linear_button;
  GtkToggleButton       *log_button;
  GtkLabel              *peak_label;
  GtkLabel              *thd_label;
  GtkLabel              *info_label;
  GtkLabel              *note_label;
  LablinkPlot           *plot;

  LablinkSpectrumWindow  window;
  gboolean               log_frequency;
  char                  *unit;
  char                  *source_name;

  /* the newest record, kept to transform again with another window */
  double                *samples;
  gsize                  n_samples;
  double                 dt;

  GCancellable          *cancellable;
  gboolean               busy;
  gboolean               again;      /* a newer record arrived while busy */

  LablinkSpectrum       *spectrum;
  gboolean               have_peak;
  double                 peak_frequency;
  double                 peak_level;
  double                 thd;
  guint64                n_spectra;

  guint                  trace_series;
  guint                  peak_series;
  GArray                *x;
  GArray                *y;
};

G_DEFINE_FINAL_TYPE (LablinkSpectrumView, lablink_spectrum_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WINDOW,
  PROP_LOG_FREQUENCY,
  PROP_SPECTRUM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
level_unit (LablinkSpectrumView *self)
{
  return self->unit && *self->unit ? self->unit : "V";
}

/* "dBV" for volts, "dBA" for amperes: dB re one unit RMS. */
static char *
db_unit (LablinkSpectrumView *self)
{
  return g_strconcat ("dB", level_unit (self), NULL);
}

static void
setup_series (LablinkSpectrumView *self)
{
  GdkRGBA red;

  lablink_plot_remove_all_series (self->plot);
  self->trace_series = lablink_plot_add_series (self->plot, 0,
                                                self->source_name ? self->source_name : _("Spectrum"), NULL);
  gdk_rgba_parse (&red, "#c01c28");
  /* Translators: the marker at the strongest tone of a spectrum */
  self->peak_series = lablink_plot_add_series (self->plot, 0, _("Peak"), &red);
}

static void
update_axes (LablinkSpectrumView *self)
{
  g_autofree char *unit = db_unit (self);

  lablink_plot_set_x_label (self->plot, _("Frequency"), "Hz");
  lablink_plot_set_x_log (self->plot, self->log_frequency);
  lablink_plot_set_pane_label (self->plot, 0, _("Level"), unit);
}

static void
set_labels_empty (LablinkSpectrumView *self)
{
  gtk_label_set_label (self->peak_label, "");
  gtk_label_set_label (self->thd_label, "");
}

static const char *
window_name (LablinkSpectrumWindow window)
{
  switch (window)
    {
    case LABLINK_SPECTRUM_WINDOW_HANN:
      return _("Hann");
    case LABLINK_SPECTRUM_WINDOW_FLAT_TOP:
      return _("Flat-top");
    case LABLINK_SPECTRUM_WINDOW_BLACKMAN_HARRIS:
      return _("Blackman-Harris");
    case LABLINK_SPECTRUM_WINDOW_RECTANGULAR:
    default:
      return _("Rectangular");
    }
}

/* The plot, the peak and THD labels from self->spectrum. */
static void
show_spectrum (LablinkSpectrumView *self)
{
  LablinkSpectrum *s = self->spectrum;
  const double *levels;
  gsize n_bins, first, n, i;
  double df, top = -INFINITY, bottom = INFINITY, hi, lo;
  double *x, *y;
  g_autofree char *unit = db_unit (self);

  if (s == NULL)
    {
      lablink_plot_set_series_data (self->plot, self->trace_series, NULL, NULL, 0);
      lablink_plot_set_series_data (self->plot, self->peak_series, NULL, NULL, 0);
      set_labels_empty (self);
      gtk_label_set_label (self->info_label, "");
      return;
    }

  levels = lablink_spectrum_get_levels (s, &n_bins);
  df = lablink_spectrum_get_bin_width (s);
  first = self->log_frequency ? 1 : 0;   /* no DC on a logarithmic axis */
  n = n_bins - first;

  g_array_set_size (self->x, n);
  g_array_set_size (self->y, n);
  x = (double *) self->x->data;
  y = (double *) self->y->data;
  for (i = 0; i < n; i++)
    {
      double f = (first + i) * df;

      x[i] = f;
      y[i] = levels[first + i];
      top = MAX (top, y[i]);
      bottom = MIN (bottom, y[i]);
    }
  lablink_plot_set_series_data (self->plot, self->trace_series, x, y, n);

  /* Level axis: from a round 10 dB above the strongest bin down over the
   * display range (or to the floor, if it is higher). */
  hi = ceil ((top + 5.0) / 10.0) * 10.0;
  lo = MAX (hi - DISPLAY_RANGE_DB, floor ((bottom - 5.0) / 10.0) * 10.0);
  lablink_plot_set_y_range (self->plot, 0, lo, hi);
  lablink_plot_set_x_range (self->plot, x[0], MAX (x[n - 1], x[0] + 1e-12));

  self->have_peak = lablink_spectrum_find_peak (s, 0.0, &self->peak_frequency, &self->peak_level);
  self->thd = lablink_spectrum_get_thd (s, THD_HARMONICS, NULL, NULL);

  if (self->have_peak && self->peak_frequency > 0.0)
    {
      double mx[2], my[2];
      g_autofree char *f = lablink_format_si (self->peak_frequency, "Hz", 4);
      g_autofree char *text = NULL;

      mx[0] = mx[1] = self->peak_frequency;
      my[0] = lo;
      my[1] = self->peak_level;
      lablink_plot_set_series_data (self->plot, self->peak_series, mx, my, 2);
      /* Translators: the strongest tone of a spectrum: "Peak 1.000 kHz  −3.01 dBV" */
      text = g_strdup_printf (_("Peak %s  %.2f %s"), f, self->peak_level, unit);
      gtk_label_set_label (self->peak_label, text);
    }
  else
    {
      lablink_plot_set_series_data (self->plot, self->peak_series, NULL, NULL, 0);
      gtk_label_set_label (self->peak_label, "");
    }

  if (isfinite (self->thd) && self->thd > 0.0)
    {
      /* Translators: total harmonic distortion, in percent and in dB */
      g_autofree char *text = g_strdup_printf (_("THD %.3g %%  (%.1f dB)"), 100.0 * self->thd, 20.0 * log10 (self->thd));
      gtk_label_set_label (self->thd_label, text);
    }
  else
    /* Translators: no THD to show (no tone, or none of its harmonics below Nyquist) */
    gtk_label_set_label (self->thd_label, _("THD —"));

  {
    g_autofree char *rate = lablink_format_si (1.0 / lablink_spectrum_get_dt (s), "S/s", 4);
    g_autofree char *bin = lablink_format_si (df, "Hz", 4);
    /* Translators: "1000 samples · 100 kS/s · 100 Hz bins · Hann" */
    g_autofree char *info = g_strdup_printf (_("%" PRIu64 " samples · %s · %s bins · %s"),
                                             (guint64) lablink_spectrum_get_n_samples (s), rate, bin,
                                             window_name (lablink_spectrum_get_window (s)));
    gtk_label_set_label (self->info_label, info);
  }
}

static void start_transform (LablinkSpectrumView *self);

static void
transform_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LablinkSpectrumView) self = user_data;
  g_autoptr(GError) error = NULL;
  LablinkSpectrum *spectrum;

  spectrum = lablink_spectrum_compute_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* disposed or cleared */

  self->busy = FALSE;
  g_clear_pointer (&self->spectrum, lablink_spectrum_unref);
  self->spectrum = spectrum;
  if (spectrum == NULL)
    {
      lablink_plot_set_message (self->plot, error->message);
      self->have_peak = FALSE;
      self->thd = NAN;
      set_labels_empty (self);
    }
  else
    {
      lablink_plot_set_message (self->plot, NULL);
      self->n_spectra++;
      show_spectrum (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPECTRUM]);

  if (self->again)
    start_transform (self);
}

static void
start_transform (LablinkSpectrumView *self)
{
  self->again = FALSE;
  if (self->samples == NULL)
    return;
  if (self->busy)
    {
      self->again = TRUE;
      return;
    }
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  self->busy = TRUE;
  /* (the record is copied for a worker thread, or transformed at once) */
  lablink_spectrum_compute_async (self->samples, self->n_samples, self->dt, self->window,
                                  self->cancellable, transform_done_cb, g_object_ref (self));
}

static void
window_selected_cb (LablinkSpectrumView *self)
{
  guint selected = gtk_drop_down_get_selected (self->window_dropdown);

  if (selected != GTK_INVALID_LIST_POSITION)
    lablink_spectrum_view_set_window (self, (LablinkSpectrumWindow) selected);
}

static void
log_toggled_cb (LablinkSpectrumView *self)
{
  lablink_spectrum_view_set_log_frequency (self, gtk_toggle_button_get_active (self->log_button));
}

static void
lablink_spectrum_view_dispose (GObject *object)
{
  LablinkSpectrumView *self = LABLINK_SPECTRUM_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LABLINK_TYPE_SPECTRUM_VIEW);
  G_OBJECT_CLASS (lablink_spectrum_view_parent_class)->dispose (object);
}

static void
lablink_spectrum_view_finalize (GObject *object)
{
  LablinkSpectrumView *self = LABLINK_SPECTRUM_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->spectrum, lablink_spectrum_unref);
  g_free (self->samples);
  g_free (self->unit);
  g_free (self->source_name);
  g_array_unref (self->x);
  g_array_unref (self->y);
  G_OBJECT_CLASS (lablink_spectrum_view_parent_class)->finalize (object);
}

static void
lablink_spectrum_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  LablinkSpectrumView *self = LABLINK_SPECTRUM_VIEW (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      g_value_set_enum (value, self->window);
      break;
    case PROP_LOG_FREQUENCY:
      g_value_set_boolean (value, self->log_frequency);
      break;
    case PROP_SPECTRUM:
      g_value_set_boxed (value, self->spectrum);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_spectrum_view_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  LablinkSpectrumView *self = LABLINK_SPECTRUM_VIEW (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      lablink_spectrum_view_set_window (self, g_value_get_enum (value));
      break;
    case PROP_LOG_FREQUENCY:
      lablink_spectrum_view_set_log_frequency (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_spectrum_view_class_init (LablinkSpectrumViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lablink_spectrum_view_dispose;
  object_class->finalize = lablink_spectrum_view_finalize;
  object_class->get_property = lablink_spectrum_view_get_property;
  object_class->set_property = lablink_spectrum_view_set_property;

  properties[PROP_WINDOW] =
    g_param_spec_enum ("window", NULL, NULL, LABLINK_TYPE_SPECTRUM_WINDOW, LABLINK_SPECTRUM_WINDOW_HANN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG_FREQUENCY] =
    g_param_spec_boolean ("log-frequency", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Notified on every new result (and when cleared). */
  properties[PROP_SPECTRUM] =
    g_param_spec_boxed ("spectrum", NULL, NULL, LABLINK_TYPE_SPECTRUM,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lablinkmonitor/Monitor/lablink-spectrum-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LablinkSpectrumView, box);
  gtk_widget_class_bind_template_child (widget_class, LablinkSpectrumView, window_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LablinkSpectrumView, linear_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkSpectrumView, log_button);
  gtk_widget_class_bind_template_child (widget_class, LablinkSpectrumView, peak_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkSpectrumView, thd_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkSpectrumView, info_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkSpectrumView, note_label);
  gtk_widget_class_bind_template_child (widget_class, LablinkSpectrumView, plot);
  gtk_widget_class_bind_template_callback (widget_class, window_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, log_toggled_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lablinkspectrumview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
lablink_spectrum_view_init (LablinkSpectrumView *self)
{
  g_type_ensure (LABLINK_TYPE_PLOT);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->window = LABLINK_SPECTRUM_WINDOW_HANN;
  self->thd = NAN;
  self->x = g_array_new (FALSE, FALSE, sizeof (double));
  self->y = g_array_new (FALSE, FALSE, sizeof (double));
  setup_series (self);
  update_axes (self);
  set_labels_empty (self);
}

/**
 * lablink_spectrum_view_new:
 *
 * Returns: (transfer floating): a new, empty spectrum view
 */
GtkWidget *
lablink_spectrum_view_new (void)
{
  return g_object_new (LABLINK_TYPE_SPECTRUM_VIEW, NULL);
}

/**
 * lablink_spectrum_view_set_waveform:
 * @self: a spectrum view
 * @samples: (array length=n): a uniformly sampled record (copied)
 * @n: its length (at most %LABLINK_SPECTRUM_MAX_SAMPLES are used: the newest)
 * @dt: the sample interval in seconds (1 / sample rate)
 * @unit: (nullable): the samples' unit, "V" (%NULL) for levels in dBV
 *
 * Shows the spectrum of @samples, as soon as it is computed (at once for
 * short records, from a worker thread for long ones). Call it for every
 * waveform that arrives: records arriving while one is being transformed
 * are coalesced into the newest. #LablinkSpectrumView:spectrum is
 * notified when the result is shown.
 */
void
lablink_spectrum_view_set_waveform (LablinkSpectrumView *self,
                                    const double        *samples,
                                    gsize                n,
                                    double               dt,
                                    const char          *unit)
{
  g_return_if_fail (LABLINK_IS_SPECTRUM_VIEW (self));
  g_return_if_fail (samples != NULL || n == 0);

  if (n > LABLINK_SPECTRUM_MAX_SAMPLES)
    {
      samples += n - LABLINK_SPECTRUM_MAX_SAMPLES;
      n = LABLINK_SPECTRUM_MAX_SAMPLES;
    }

  if (g_strcmp0 (unit, self->unit) != 0)
    {
      g_free (self->unit);
      self->unit = g_strdup (unit);
      update_axes (self);
    }

  if (n != self->n_samples || self->samples == NULL)
    {
      g_free (self->samples);
      self->samples = g_new (double, MAX (n, 1));
    }
  if (n > 0)
    memcpy (self->samples, samples, n * sizeof (double));
  self->n_samples = n;
  self->dt = dt;
  start_transform (self);
}

/* A gap between two entries: more than 1.5 of the typical interval. */
#define GAP_FACTOR 1.5
/* Timestamps further than this (of an interval) from the uniform grid are
 * resampled onto it. */
#define JITTER_TOLERANCE 0.02

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The typical interval of @times (their median, of 4096 intervals spread
 * over a long record: cheap on the main thread), in µs. */
static gint64
median_interval (const gint64 *times,
                 gsize         n)
{
  gsize stride = MAX ((n - 1) / 4096, 1), m = 0, i;
  g_autofree gint64 *d = g_new (gint64, (n - 1) / stride + 1);

  for (i = 1; i < n; i += stride)
    d[m++] = times[i] - times[i - 1];
  qsort (d, m, sizeof (gint64), compare_gint64);
  return d[(m - 1) / 2];
}

/**
 * lablink_spectrum_view_set_ring_range:
 * @self: a spectrum view
 * @ring: a ring (an acquisition's)
 * @channel: the ring channel
 * @from: the start of the range, in the ring's time (microseconds)
 * @to: its end
 * @unit: (nullable): the channel's unit
 *
 * Shows the spectrum of one channel of @ring between @from and @to (e.g.
 * what an acquisition plot shows), the newest
 * %LABLINK_SPECTRUM_MAX_SAMPLES entries at most.
 *
 * A transform needs uniform sampling. The sample interval is the one the
 * timestamps show (their median: the acquisition's actual rate); an
 * interval over 1.5 of it, or a gap the ring marks, splits the range and
 * only its longest part without a gap is transformed, which the view then
 * says (lablink_spectrum_view_get_note()). Timestamps off the uniform grid
 * by more than 2 % of an interval are resampled onto it (linear
 * interpolation), which the view says too.
 *
 * Returns: %FALSE (and the view says so) if the range holds fewer than 8
 *   entries without a gap
 */
gboolean
lablink_spectrum_view_set_ring_range (LablinkSpectrumView *self,
                                      LablinkRing         *ring,
                                      guint                channel,
                                      gint64               from,
                                      gint64               to,
                                      const char          *unit)
{
  g_autofree gint64 *times = NULL;
  g_autofree double *values = NULL;
  g_autofree double *grid = NULL;
  g_autoptr(GString) note = g_string_new (NULL);
  gsize first, n, start = 0, best_start = 0, best_n = 0, i;
  guint n_gaps = 0;
  gint64 typical = 0;
  double dt, worst = 0;

  g_return_val_if_fail (LABLINK_IS_SPECTRUM_VIEW (self), FALSE);
  g_return_val_if_fail (ring != NULL, FALSE);
  g_return_val_if_fail (channel < lablink_ring_get_n_channels (ring), FALSE);

  n = lablink_ring_find_range (ring, from, to, &first);
  if (n > LABLINK_SPECTRUM_MAX_SAMPLES)
    {
      first += n - LABLINK_SPECTRUM_MAX_SAMPLES;
      n = LABLINK_SPECTRUM_MAX_SAMPLES;
    }
  times = g_new (gint64, MAX (n, 1));
  values = g_new (double, MAX (n, 1));
  n = lablink_ring_copy_times (ring, first, n, times);
  n = MIN (n, lablink_ring_copy_values (ring, channel, first, n, values));
  if (n >= 3)
    typical = median_interval (times, n);

  /* The runs between gaps (a NaN entry, or too long an interval): the
   * longest, the newest of equals. */
  for (i = 0; i <= n; i++)
    {
      gboolean gap = i == n || !isfinite (values[i]) ||
                     (i > start && (double) (times[i] - times[i - 1]) > GAP_FACTOR * typical);

      if (!gap)
        continue;
      if (i < n)
        n_gaps++;
      if (i - start >= best_n && i > start)
        {
          best_start = start;
          best_n = i - start;
        }
      start = isfinite (i < n ? values[i] : 0) ? i : i + 1;
    }

  if (best_n < 8 || times[best_start + best_n - 1] <= times[best_start])
    {
      lablink_spectrum_view_clear (self);
      lablink_plot_set_message (self->plot, n_gaps > 0 ? _("Too few samples without a gap in the range for a spectrum")
                                                       : _("Too few samples in the range for a spectrum"));
      return FALSE;
    }

  dt = (times[best_start + best_n - 1] - times[best_start]) / 1e6 / (double) (best_n - 1);
  for (i = 0; i < best_n; i++)
    worst = MAX (worst, fabs ((times[best_start + i] - times[best_start]) / 1e6 - i * dt));

  if (n_gaps > 0)
    {
      g_autofree char *length = lablink_format_si (best_n * dt, "s", 3);

      /* Translators: %u gaps; %s is a duration, "2.50 s" */
      g_string_append_printf (note, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u gap in the range: the spectrum is of its longest part without one (%s)",
                                                 "%u gaps in the range: the spectrum is of its longest part without one (%s)",
                                                 n_gaps),
                              n_gaps, length);
    }

  /* 1 µs of the ring's clock is no irregularity. */
  if (worst > JITTER_TOLERANCE * dt + 1.5e-6)
    {
      gsize k = 0;

      grid = g_new (double, best_n);
      for (i = 0; i < best_n; i++)
        {
          double t = times[best_start] / 1e6 + i * dt;

          while (k + 2 < best_n && times[best_start + k + 1] / 1e6 < t)
            k++;
          {
            double ta = times[best_start + k] / 1e6, tb = times[best_start + k + 1] / 1e6;
            double va = values[best_start + k], vb = values[best_start + k + 1];

            grid[i] = tb > ta ? va + (vb - va) * CLAMP ((t - ta) / (tb - ta), 0.0, 1.0) : vb;
          }
        }
      if (note->len)
        g_string_append (note, " · ");
      /* Translators: the samples' timestamps were not evenly spaced */
      g_string_append (note, _("Irregular timestamps: resampled to a uniform rate"));
    }

  lablink_spectrum_view_set_waveform (self, grid ? grid : values + best_start, best_n, dt, unit);
  lablink_spectrum_view_set_note (self, note->len ? note->str : NULL);
  return TRUE;
}

/**
 * lablink_spectrum_view_set_note:
 * @self: a spectrum view
 * @note: (nullable): what the spectrum shown is of, when that is not the
 *   whole record asked for (a gap), or %NULL
 */
void
lablink_spectrum_view_set_note (LablinkSpectrumView *self,
                                const char          *note)
{
  g_return_if_fail (LABLINK_IS_SPECTRUM_VIEW (self));

  gtk_label_set_label (self->note_label, note ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL && *note != '\0');
}

/**
 * lablink_spectrum_view_get_note:
 * @self: a spectrum view
 *
 * Returns: the note shown ("" without one)
 */
const char *
lablink_spectrum_view_get_note (LablinkSpectrumView *self)
{
  g_return_val_if_fail (LABLINK_IS_SPECTRUM_VIEW (self), NULL);
  return gtk_label_get_label (self->note_label);
}

/**
 * lablink_spectrum_view_clear:
 * @self: a spectrum view
 *
 * Forgets the record and its spectrum (a transform under way is dropped).
 */
void
lablink_spectrum_view_clear (LablinkSpectrumView *self)
{
  g_return_if_fail (LABLINK_IS_SPECTRUM_VIEW (self));

  if (self->cancellable)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  self->busy = FALSE;
  self->again = FALSE;
  g_clear_pointer (&self->samples, g_free);
  self->n_samples = 0;
  g_clear_pointer (&self->spectrum, lablink_spectrum_unref);
  self->have_peak = FALSE;
  self->thd = NAN;
  lablink_plot_set_message (self->plot, NULL);
  lablink_spectrum_view_set_note (self, NULL);
  show_spectrum (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPECTRUM]);
}

/**
 * lablink_spectrum_view_set_source_name:
 * @self: a spectrum view
 * @name: (nullable): what the spectrum is of, e.g. "CH1" (the legend)
 */
void
lablink_spectrum_view_set_source_name (LablinkSpectrumView *self,
                                       const char          *name)
{
  g_return_if_fail (LABLINK_IS_SPECTRUM_VIEW (self));

  if (g_strcmp0 (name, self->source_name) == 0)
    return;
  g_free (self->source_name);
  self->source_name = g_strdup (name);
  setup_series (self);
  show_spectrum (self);
}

void
lablink_spectrum_view_set_window (LablinkSpectrumView   *self,
                                  LablinkSpectrumWindow  window)
{
  g_return_if_fail (LABLINK_IS_SPECTRUM_VIEW (self));
  g_return_if_fail (window <= LABLINK_SPECTRUM_WINDOW_RECTANGULAR);

  if (self->window == window)
    return;
  self->window = window;
  if (gtk_drop_down_get_selected (self->window_dropdown) != (guint) window)
    gtk_drop_down_set_selected (self->window_dropdown, (guint) window);
  start_transform (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW]);
}

LablinkSpectrumWindow
lablink_spectrum_view_get_window (LablinkSpectrumView *self)
{
  g_return_val_if_fail (LABLINK_IS_SPECTRUM_VIEW (self), LABLINK_SPECTRUM_WINDOW_HANN);
  return self->window;
}

void
lablink_spectrum_view_set_log_frequency (LablinkSpectrumView *self,
                                         gboolean             log_frequency)
{
  g_return_if_fail (LABLINK_IS_SPECTRUM_VIEW (self));

  log_frequency = !!log_frequency;
  if (self->log_frequency == log_frequency)
    return;
  self->log_frequency = log_frequency;
  if (gtk_toggle_button_get_active (self->log_button) != log_frequency)
    gtk_toggle_button_set_active (log_frequency ? self->log_button : self->linear_button, TRUE);
  update_axes (self);
  show_spectrum (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_FREQUENCY]);
}

gboolean
lablink_spectrum_view_get_log_frequency (LablinkSpectrumView *self)
{
  g_return_val_if_fail (LABLINK_IS_SPECTRUM_VIEW (self), FALSE);
  return self->log_frequency;
}

/**
 * lablink_spectrum_view_get_spectrum:
 * @self: a spectrum view
 *
 * Returns: (transfer none) (nullable): the spectrum shown
 */
LablinkSpectrum *
lablink_spectrum_view_get_spectrum (LablinkSpectrumView *self)
{
  g_return_val_if_fail (LABLINK_IS_SPECTRUM_VIEW (self), NULL);
  return self->spectrum;
}

/**
 * lablink_spectrum_view_get_peak:
 * @self: a spectrum view
 * @frequency: (out) (optional): the marked peak's frequency in hertz
 * @level: (out) (optional): its RMS level in dB re one unit
 *
 * Returns: %TRUE if a peak is marked
 */
gboolean
lablink_spectrum_view_get_peak (LablinkSpectrumView *self,
                                double              *frequency,
                                double              *level)
{
  g_return_val_if_fail (LABLINK_IS_SPECTRUM_VIEW (self), FALSE);

  if (!self->have_peak)
    return FALSE;
  if (frequency)
    *frequency = self->peak_frequency;
  if (level)
    *level = self->peak_level;
  return TRUE;
}

/**
 * lablink_spectrum_view_get_thd:
 * @self: a spectrum view
 *
 * Returns: the THD shown, as a ratio, or NaN
 */
double
lablink_spectrum_view_get_thd (LablinkSpectrumView *self)
{
  g_return_val_if_fail (LABLINK_IS_SPECTRUM_VIEW (self), NAN);
  return self->thd;
}

guint64
lablink_spectrum_view_get_n_spectra (LablinkSpectrumView *self)
{
  g_return_val_if_fail (LABLINK_IS_SPECTRUM_VIEW (self), 0);
  return self->n_spectra;
}

LablinkPlot *
lablink_spectrum_view_get_plot (LablinkSpectrumView *self)
{
  g_return_val_if_fail (LABLINK_IS_SPECTRUM_VIEW (self), NULL);
  return self->plot;
}
