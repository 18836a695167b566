/* lablink-capture-merge.c — taking rows in, in time order
 *
 * On the owner's thread: the channel list (set once, units guessed from
 * the field names), merging batches by timestamp (acquisition frames are
 * overlapping windows of the latest samples: only samples newer than the
 * last stored one are kept, never a sample twice), the gaps (outages and
 * holes between windows), the throttled n-samples / n-gaps notifications,
 * and lablink_capture_append() for rows fed by the caller.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lablink-capture-private.h"
#include "lablink-error.h"

#define NOTIFY_INTERVAL_MS     100

/* ------------------------------------------------------------------------
 * Notifications
 * ------------------------------------------------------------------------ */

gboolean
lablink_capture_notify_cb (gpointer data)
{
  LablinkCapture *self = data;
  guint64 n_rows;
  guint n_gaps;

  g_clear_pointer (&self->notify_source, g_source_unref);

  g_mutex_lock (&self->lock);
  n_rows = self->n_rows;
  n_gaps = self->gaps->len;
  g_mutex_unlock (&self->lock);

  g_object_freeze_notify (G_OBJECT (self));
  if (n_rows != self->notified_n_rows)
    {
      self->notified_n_rows = n_rows;
      lablink_capture_notify (self, PROP_N_SAMPLES);
    }
  if (n_gaps != self->notified_n_gaps)
    {
      self->notified_n_gaps = n_gaps;
      lablink_capture_notify (self, PROP_N_GAPS);
    }
  g_object_thaw_notify (G_OBJECT (self));

  return G_SOURCE_REMOVE;
}

/* n-samples / n-gaps notifications, at most every NOTIFY_INTERVAL_MS. */
void
lablink_capture_schedule_notify (LablinkCapture *self)
{
  if (self->notify_source != NULL)
    return;
  self->notify_source = g_timeout_source_new (NOTIFY_INTERVAL_MS);
  g_source_set_callback (self->notify_source, lablink_capture_notify_cb, self, NULL);
  g_source_attach (self->notify_source, self->context);
}

void
lablink_capture_cancel_notify (LablinkCapture *self)
{
  if (self->notify_source != NULL)
    {
      g_source_destroy (self->notify_source);
      g_clear_pointer (&self->notify_source, g_source_unref);
    }
}

/* ------------------------------------------------------------------------
 * Channels
 * ------------------------------------------------------------------------ */

/* A unit for @channel from its name and the kind of instrument (the server
 * does not say); "" when there is no good guess. */
const char *
lablink_capture_guess_unit (LablinkCaptureSource  source,
                            const char           *channel,
                            const char           *equipment_id)
{
  static const struct { const char *prefix; const char *unit; } fields[] = {
    { "voltage", "V" }, { "vpp", "V" }, { "vmax", "V" }, { "vmin", "V" }, { "vavg", "V" },
    { "vrms", "V" }, { "vamp", "V" }, { "current", "A" }, { "power", "W" },
    { "resistance", "Ω" }, { "freq", "Hz" }, { "period", "s" }, { "time_scale", "s" },
    { "sample_rate", "Sa/s" },
  };
  guint i;

  if (source == LABLINK_CAPTURE_SOURCE_STREAM)
    {
      for (i = 0; i < G_N_ELEMENTS (fields); i++)
        if (g_str_has_prefix (channel, fields[i].prefix))
          return fields[i].unit;
      if (g_str_has_suffix (channel, "_voltage") || g_str_has_suffix (channel, "_offset"))
        return "V";
      return "";
    }

  if (source == LABLINK_CAPTURE_SOURCE_ACQUISITION)
    {
      /* Power supply channels: "CH1" or "CH1_V" (voltage), "CH1_I" (current). */
      gsize len = strlen (channel);

      if (len > 2 && channel[len - 2] == '_')
        switch (g_ascii_toupper (channel[len - 1]))
          {
          case 'V': return "V";
          case 'I': return "A";
          case 'P': return "W";
          default: break;
          }
      if (equipment_id != NULL &&
          (g_str_has_prefix (equipment_id, "ps_") || g_str_has_prefix (equipment_id, "scope_")))
        return "V";
    }

  return "";
}

/* Sets the channel list once (before any row). Owner's thread. */
void
lablink_capture_set_channels (LablinkCapture     *self,
                              const char * const *names,
                              guint               n_names)
{
  guint i;

  if (self->n_channels > 0 || n_names == 0 || n_names > LABLINK_CAPTURE_MAX_CHANNELS)
    return;

  g_mutex_lock (&self->lock);
  for (i = 0; i < n_names; i++)
    {
      g_ptr_array_add (self->channels, g_strdup (names[i] ? names[i] : ""));
      if (i >= self->units->len)
        g_ptr_array_add (self->units, g_strdup (lablink_capture_guess_unit (self->source, names[i] ? names[i] : "",
                                                                            self->equipment_id)));
    }
  g_ptr_array_set_size (self->units, n_names);
  self->n_channels = n_names;
  self->meta_dirty = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  lablink_capture_notify (self, PROP_N_CHANNELS);
}

/* ------------------------------------------------------------------------
 * Gaps
 * ------------------------------------------------------------------------ */

gint64
lablink_capture_get_last_time (LablinkCapture *self)
{
  gint64 last;

  g_mutex_lock (&self->lock);
  last = self->n_rows > 0 ? self->last_time : G_MININT64;
  g_mutex_unlock (&self->lock);
  return last;
}

/* The time after which a missing sample is a hole: the last stored one,
 * or, before any, the start of the recording (samples made since then
 * belong to the capture, a lead-in included). G_MAXINT64 when nothing can
 * be missing. */
gint64
lablink_capture_get_hole_floor (LablinkCapture *self,
                                gint64          last)
{
  if (last != G_MININT64)
    return last;
  return self->record_start != 0 ? self->record_start : G_MAXINT64;
}

gint
lablink_capture_add_gap (LablinkCapture *self,
                         gint64          start,
                         gint64          end,
                         gboolean        data_lost)
{
  LablinkCaptureGap gap = { start, end, 0, data_lost };
  gint index;

  g_mutex_lock (&self->lock);
  g_array_append_val (self->gaps, gap);
  index = (gint) self->gaps->len - 1;
  self->meta_dirty = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  lablink_capture_schedule_notify (self);
  return index;
}

void
lablink_capture_update_gap (LablinkCapture *self,
                            gint            index,
                            gint64          end,
                            guint64         add_recovered,
                            gboolean        data_lost)
{
  LablinkCaptureGap *gap;

  g_mutex_lock (&self->lock);
  if (index >= 0 && (guint) index < self->gaps->len)
    {
      gap = &g_array_index (self->gaps, LablinkCaptureGap, index);
      if (end != 0)
        gap->end_usec = end;
      gap->n_recovered += add_recovered;
      gap->data_lost = gap->data_lost || data_lost;
      self->meta_dirty = TRUE;
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->lock);
}

/* A hole: rows newer than @after are appended, but the batch does not
 * overlap what is stored, so samples in between may be missing. */
static void
record_hole (LablinkCapture *self,
             gint64          last,
             gint64          first_new)
{
  self->n_holes++;
  if (self->recovering_gap >= 0)
    lablink_capture_update_gap (self, self->recovering_gap, 0, 0, TRUE);
  else if (self->outage_gap >= 0)
    lablink_capture_update_gap (self, self->outage_gap, 0, 0, TRUE);
  else
    {
      lablink_capture_add_gap (self, last, first_new, TRUE);
      /* The counts of the window being merged will find these same
       * samples missing: they belong to this gap, not to a second one. */
      self->last_gap_unverified = TRUE;
    }
}

/* ------------------------------------------------------------------------
 * Merging
 * ------------------------------------------------------------------------ */

/* Merges a batch of samples in time order: @columns[c] holds channel c's
 * values (NULL = all NaN). Only samples newer than the last stored one are
 * appended. @complete: the batch is everything the server ever had. Returns
 * the number of rows appended. */
guint64
lablink_capture_merge_columns (LablinkCapture       *self,
                               gsize                 n,
                               const gint64         *times,
                               const double * const *columns,
                               gboolean              complete)
{
  gint64 last = lablink_capture_get_last_time (self);
  g_autoptr(GError) error = NULL;
  gsize lo = 0, hi = n, i;
  gsize kept = 0;
  guint c;

  if (n == 0 || self->n_channels == 0)
    return 0;

  /* First index with time > last (windows are in time order). */
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (times[mid] > last)
        hi = mid;
      else
        lo = mid + 1;
    }
  if (lo == n)
    return 0;

  if (lo == 0 && !complete && times[0] > lablink_capture_get_hole_floor (self, last))
    record_hole (self, lablink_capture_get_hole_floor (self, last), times[0]);

  g_array_set_size (self->scratch_times, 0);
  g_array_set_size (self->scratch_values, 0);
  for (i = lo; i < n && times[i] <= self->merge_until; i++)
    {
      if (times[i] <= last)
        continue;   /* out of order: never store a sample twice */
      g_array_append_val (self->scratch_times, times[i]);
      for (c = 0; c < self->n_channels; c++)
        {
          double v = columns[c] != NULL ? columns[c][i] : NAN;
          g_array_append_val (self->scratch_values, v);
        }
      last = times[i];
      kept++;
    }

  if (!lablink_capture_queue_rows (self, kept, (const gint64 *) (gpointer) self->scratch_times->data,
                                   (const double *) (gpointer) self->scratch_values->data, &error))
    {
      g_debug ("Capture %s: rows not queued: %s", self->name, error->message);
      return 0;
    }
  return kept;
}

void
lablink_capture_add_invalid (LablinkCapture *self,
                             guint64         n)
{
  if (n == 0)
    return;
  g_debug ("Capture %s: %" G_GUINT64_FORMAT " samples skipped for an invalid timestamp", self->name, n);
  g_mutex_lock (&self->lock);
  self->n_invalid += n;
  self->meta_dirty = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* Counts the samples a window dropped for their timestamp, each once
 * although windows overlap: a dropped sample is known by the valid time
 * before it (lablink_message_get_invalid_samples()) and its rank among the
 * dropped ones after that time. */
void
lablink_capture_count_invalid (LablinkCapture *self,
                               const gint64   *invalid_after,
                               gsize           n_invalid)
{
  guint64 added = 0;
  gsize k = 0;

  while (k < n_invalid)
    {
      gsize group = 1;

      while (k + group < n_invalid && invalid_after[k + group] == invalid_after[k])
        group++;
      if (!self->invalid_seen || invalid_after[k] > self->invalid_anchor)
        {
          self->invalid_seen = TRUE;
          self->invalid_anchor = invalid_after[k];
          self->invalid_anchor_count = group;
          added += group;
        }
      else if (invalid_after[k] == self->invalid_anchor && group > self->invalid_anchor_count)
        {
          added += group - self->invalid_anchor_count;
          self->invalid_anchor_count = group;
        }
      k += group;
    }

  lablink_capture_add_invalid (self, added);
}

/**
 * lablink_capture_get_n_invalid_samples:
 * @self: a #LablinkCapture
 *
 * How many samples the server sent with a timestamp that was unreadable,
 * out of the valid range or out of order (see
 * lablink_sample_time_is_valid()): each was skipped, the samples around it
 * kept. Saved with the capture.
 *
 * Returns: the number of samples skipped for their timestamp
 */
guint64
lablink_capture_get_n_invalid_samples (LablinkCapture *self)
{
  guint64 n;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), 0);
  g_mutex_lock (&self->lock);
  n = self->n_invalid;
  g_mutex_unlock (&self->lock);
  return n;
}

gboolean
lablink_capture_message_is_complete_history (LablinkMessage *message,
                                             gsize           n)
{
  gint64 total = -1;

  return lablink_message_get_int (message, "stats.total_samples", &total) && total >= 0 &&
         (guint64) total == n;
}

static void
ensure_channels_from_message (LablinkCapture *self,
                              LablinkMessage *message)
{
  guint n = lablink_message_get_n_channels (message);
  g_autofree const char **names = NULL;
  guint i;

  if (self->n_channels > 0 || n == 0)
    return;
  names = g_new0 (const char *, n + 1);
  for (i = 0; i < n; i++)
    names[i] = lablink_message_get_channel_name (message, i);
  lablink_capture_set_channels (self, names, n);
}

/* Counts what the server generated against what the capture holds, so that
 * no gap claims nothing was lost without the numbers saying so (issue 10):
 * a window's stats.total_samples is the number of samples the server made
 * up to the window's newest. When the store is caught up to that sample,
 * every sample made since the capture's first window is either stored or
 * skipped for its timestamp, or it is lost. The first check sets the base
 * (what came before the capture started); any later shortfall is a loss,
 * charged to the latest gap (or a new one between @before and the window). */
static void
check_counts (LablinkCapture *self,
              LablinkMessage *message,
              gsize           n,
              const gint64   *times,
              gint64          before)
{
  gint64 total = -1, held, missing;
  guint64 n_rows, n_invalid;

  if (!lablink_message_get_int (message, "stats.total_samples", &total) || total < (gint64) n)
    return;

  g_mutex_lock (&self->lock);
  if (self->n_rows == 0 || self->last_time != times[n - 1])
    {
      g_mutex_unlock (&self->lock);
      return;   /* not caught up to the window's newest sample */
    }
  n_rows = self->n_rows;
  n_invalid = self->n_invalid;
  g_mutex_unlock (&self->lock);

  held = (gint64) MIN (n_rows + n_invalid, (guint64) G_MAXINT64);
  if (!self->count_known)
    {
      self->count_known = TRUE;
      self->count_base = total - held;
      return;
    }
  missing = total - held - self->count_base;
  if (missing <= 0 || (guint64) missing <= self->count_lost)
    {
      /* Everything made up to here is accounted for. */
      if (self->recovering_gap < 0 && self->outage_gap < 0)
        self->last_gap_unverified = FALSE;
      return;
    }

  g_debug ("Capture %s: %" G_GUINT64_FORMAT " samples the server made never arrived",
           self->name, (guint64) missing - self->count_lost);
  self->count_lost = (guint64) missing;
  if (self->recovering_gap >= 0)
    lablink_capture_update_gap (self, self->recovering_gap, 0, 0, TRUE);
  else if (self->outage_gap >= 0)
    lablink_capture_update_gap (self, self->outage_gap, 0, 0, TRUE);
  else
    {
      guint n_gaps;

      g_mutex_lock (&self->lock);
      n_gaps = self->gaps->len;
      g_mutex_unlock (&self->lock);
      if (n_gaps > 0 && self->last_gap_unverified)
        lablink_capture_update_gap (self, (gint) n_gaps - 1, 0, 0, TRUE);
      else
        lablink_capture_add_gap (self, before != G_MININT64 ? before : times[0], times[0], TRUE);
      self->last_gap_unverified = FALSE;
    }
}

guint64
lablink_capture_merge_acquisition_message (LablinkCapture *self,
                                           LablinkMessage *message)
{
  gint64 before = lablink_capture_get_last_time (self);
  guint64 appended;
  gsize n = 0, n_invalid = 0;
  const gint64 *times = lablink_message_get_sample_times (message, &n);
  const gint64 *invalid = lablink_message_get_invalid_samples (message, &n_invalid);
  g_autofree const double **columns = NULL;
  guint c, j, n_msg;

  lablink_capture_count_invalid (self, invalid, n_invalid);
  if (n == 0 || times == NULL)
    return 0;
  ensure_channels_from_message (self, message);
  if (self->n_channels == 0)
    return 0;

  n_msg = lablink_message_get_n_channels (message);
  columns = g_new0 (const double *, self->n_channels);
  for (c = 0; c < self->n_channels; c++)
    {
      const char *name = g_ptr_array_index (self->channels, c);

      /* Usually in the same order: try the same index first. */
      if (c < n_msg && g_strcmp0 (lablink_message_get_channel_name (message, c), name) == 0)
        columns[c] = lablink_message_get_channel_values (message, c, NULL);
      else
        for (j = 0; j < n_msg; j++)
          if (g_strcmp0 (lablink_message_get_channel_name (message, j), name) == 0)
            {
              columns[c] = lablink_message_get_channel_values (message, j, NULL);
              break;
            }
    }

  appended = lablink_capture_merge_columns (self, n, times, columns, lablink_capture_message_is_complete_history (message, n));
  check_counts (self, message, n, times, before);
  return appended;
}

/**
 * lablink_capture_append:
 * @self: a recording #LablinkCapture
 * @n_rows: the number of rows
 * @times: (array length=n_rows): their timestamps, µs since the epoch, in
 *   increasing order
 * @values: (array): @n_rows × n-channels values, row-major
 *   (`values[row * n_channels + channel]`), NaN for a missing value
 * @n_appended: (out) (optional): how many rows were appended
 * @error: return location for a #GError
 *
 * Appends rows. Rows not newer than the last stored one are skipped (the
 * store is in strictly increasing time order, without duplicates). May
 * wait briefly if the disk lags far behind. Call it on the thread that
 * created @self (like lablink_capture_start() and lablink_capture_stop());
 * reading and exporting work from any thread.
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_capture_append (LablinkCapture  *self,
                        gsize            n_rows,
                        const gint64    *times,
                        const double    *values,
                        gsize           *n_appended,
                        GError         **error)
{
  gint64 last;
  gsize i, run_start, total = 0;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (n_rows == 0 || (times != NULL && values != NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_appended)
    *n_appended = 0;
  if (!self->recording)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("Capture “%s” is not recording"), self->name);
      return FALSE;
    }
  if (self->n_channels == 0)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("Capture “%s” has no channels yet"), self->name);
      return FALSE;
    }

  last = lablink_capture_get_last_time (self);
  i = 0;
  while (i < n_rows)
    {
      while (i < n_rows && times[i] <= last)
        i++;
      run_start = i;
      while (i < n_rows && times[i] > last)
        last = times[i++];
      if (i > run_start)
        {
          if (!lablink_capture_queue_rows (self, i - run_start, times + run_start, values + run_start * self->n_channels, error))
            return FALSE;
          total += i - run_start;
        }
    }

  if (n_appended)
    *n_appended = total;
  return TRUE;
}
