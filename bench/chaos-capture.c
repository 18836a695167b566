/* chaos-capture.c — bench/chaos's acquisition client: an acquisition of the
 * PSU recorded by a LablinkCapture from one start of the simulator to the
 * next, checked against the simulator's record of every sample it generated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "chaos-private.h"

static void
on_acquisition_data (LablinkStreamManager *manager,
                     LablinkMessage       *message,
                     gpointer              user_data)
{
  stream_frame (user_data);
}

static void
control_acquisition (Chaos      *chaos,
                     const char *id,
                     const char *action)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  lablink_client_control_acquisition_async (chaos->control, id, action, NULL, store_result, &result);
  if (!run_until (result_ready, &result, (REST_TIMEOUT_S + 5) * 1000))
    harness_error (action, NULL);
  if (!lablink_client_control_acquisition_finish (chaos->control, result, &error))
    harness_error (action, error);
}

/* A new acquisition, captured from its first sample on. */
void
epoch_begin (Chaos *chaos)
{
  Epoch *epoch = &chaos->epoch;
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(JsonArray) channels = json_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;

  json_array_add_string_element (channels, "CH1");
  json_array_add_string_element (channels, "CH2");
  json_object_set_string_member (config, "equipment_id", PSU);
  json_object_set_string_member (config, "name", "chaos");
  json_object_set_string_member (config, "mode", "continuous");
  json_object_set_int_member (config, "sample_rate", SAMPLE_RATE);
  json_object_set_int_member (config, "buffer_size", SERVER_BUFFER);
  json_object_set_array_member (config, "channels", json_array_ref (channels));
  lablink_client_create_acquisition_async (chaos->control, config, NULL, store_result, &result);
  if (!run_until (result_ready, &result, (REST_TIMEOUT_S + 5) * 1000))
    harness_error ("create acquisition", NULL);
  epoch->acquisition_id = lablink_client_create_acquisition_finish (chaos->control, result, &error);
  if (epoch->acquisition_id == NULL)
    harness_error ("create acquisition", error);

  epoch->capture = lablink_capture_new_for_acquisition (chaos->acq_link.manager, chaos->acq_link.client,
                                                        epoch->acquisition_id, chaos->root, &error);
  if (epoch->capture == NULL)
    harness_error ("capture", error);
  g_object_set (epoch->capture, "window-samples", WINDOW_SAMPLES, "interval-ms", 100, NULL);
  detail = g_strconcat ("acquisition-data::", epoch->acquisition_id, NULL);
  epoch->handler = g_signal_connect (chaos->acq_link.manager, detail, G_CALLBACK (on_acquisition_data), &chaos->acq);
  if (!lablink_capture_start (epoch->capture, &error))
    harness_error ("capture start", error);
  control_acquisition (chaos, epoch->acquisition_id, "start");
  epoch->outages = g_array_new (FALSE, FALSE, sizeof (Outage));
  chaos->acq.waiting = FALSE;
}

void
epoch_outage (Chaos   *chaos,
              gboolean kill)
{
  Outage outage = { g_get_real_time (), kill };

  g_array_append_val (chaos->epoch.outages, outage);
  if (kill)
    chaos->outages_kill++;
  else
    chaos->outages_drop++;
}

static GArray *
get_generated (Chaos      *chaos,
               const char *id)
{
  g_autofree char *path = g_strdup_printf ("/api/sim/acquisition/%s/generated", id);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = rest (chaos, "GET", path, NULL, &error);
  JsonArray *timestamps;
  GArray *times;
  guint i;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (timestamps = json_object_get_array_member (json_node_get_object (node), "timestamps")) == NULL)
    harness_error ("generated samples", error);
  times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), json_array_get_length (timestamps));
  for (i = 0; i < json_array_get_length (timestamps); i++)
    {
      const char *text = json_array_get_string_element (timestamps, i);
      gint64 t;

      if (text == NULL || !lablink_parse_timestamp (text, strlen (text), &t))
        harness_error ("generated samples: a bad timestamp", NULL);
      g_array_append_val (times, t);
    }
  return times;
}

typedef struct {
  LablinkCapture *capture;
  gint64          last;
} CatchUp;

static gboolean
caught_up (gpointer data)
{
  CatchUp *c = data;
  gint64 end = 0;

  return lablink_capture_get_time_range (c->capture, NULL, &end) && end >= c->last;
}

/* Stops the acquisition and waits for the capture to hold its last sample;
 * the simulator's record is the truth. */
void
epoch_stop_acquisition (Chaos *chaos)
{
  Epoch *epoch = &chaos->epoch;
  CatchUp c = { epoch->capture, 0 };

  control_acquisition (chaos, epoch->acquisition_id, "stop");
  epoch->generated = get_generated (chaos, epoch->acquisition_id);
  if (epoch->generated->len > 0)
    c.last = g_array_index (epoch->generated, gint64, epoch->generated->len - 1);
  if (epoch->generated->len > 0 && !run_until (caught_up, &c, CATCH_UP_MS))
    {
      chaos->not_caught_up++;
      fail (chaos, "the capture of %s never reached the acquisition's last sample", epoch->acquisition_id);
    }
}

static int
cmp_int64 (gconstpointer a,
           gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
contains (const GArray *sorted,
          gint64        t)
{
  return bsearch (&t, sorted->data, sorted->len, sizeof (gint64), cmp_int64) != NULL;
}

/* Stops the capture and checks it against the simulator's record. */
void
epoch_end (Chaos   *chaos,
           GString *line)
{
  Epoch *epoch = &chaos->epoch;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GArray) sorted = NULL;
  g_autofree double *values = NULL;
  g_autofree LablinkCaptureGap *gaps = NULL;
  g_autofree gboolean *gap_lost = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  guint failures = chaos->failures->len;
  gint64 t0 = epoch->generated->len > 0 ? g_array_index (epoch->generated, gint64, 0) : 0;
  guint64 n, i;
  guint n_gaps = 0, g, flagged, dups = 0, disorder = 0, foreign = 0, missing = 0, holes = 0, unrecorded = 0;

  if (!lablink_capture_stop (epoch->capture, &error))
    fail (chaos, "capture stop: %s", error->message);
  g_clear_error (&error);
  g_clear_signal_handler (&epoch->handler, chaos->acq_link.manager);

  n = lablink_capture_get_n_samples (epoch->capture);
  stored = g_array_sized_new (FALSE, FALSE, sizeof (gint64), (guint) n);
  g_array_set_size (stored, (guint) n);
  values = g_new (double, MAX (n * MAX (lablink_capture_get_n_channels (epoch->capture), 1), 1));
  if (n > 0 && !lablink_capture_read (epoch->capture, 0, n, (gint64 *) (gpointer) stored->data, values, &error))
    harness_error ("capture read", error);

  for (i = 1; i < n; i++)
    {
      gint64 a = g_array_index (stored, gint64, i - 1), b = g_array_index (stored, gint64, i);

      if (b == a)
        dups++;
      else if (b < a)
        disorder++;
    }
  for (i = 0; i < n; i++)
    if (!contains (epoch->generated, g_array_index (stored, gint64, i)))
      foreign++;
  sorted = g_array_copy (stored);
  g_array_sort (sorted, cmp_int64);

  gaps = lablink_capture_get_gaps (epoch->capture, &n_gaps);
  gap_lost = g_new0 (gboolean, MAX (n_gaps, 1));

  /* Runs of missing samples. One before the first stored sample is the
   * lead-in: generated after the capture started (it started before the
   * acquisition), before the first window it got. Any other must lie within
   * a recorded gap, and one of the gaps it lies in must say data was lost. */
  for (i = 0; i < epoch->generated->len; )
    {
      gint64 first, last = 0;
      guint run = 0, overlapping = 0, flagged_lost = 0;

      if (contains (sorted, g_array_index (epoch->generated, gint64, i)))
        {
          i++;
          continue;
        }
      first = g_array_index (epoch->generated, gint64, i);
      while (i < epoch->generated->len && !contains (sorted, g_array_index (epoch->generated, gint64, i)))
        {
          last = g_array_index (epoch->generated, gint64, i);
          run++;
          i++;
        }
      missing += run;
      holes++;
      g_string_append_printf (detail, "\n    %u samples missing at +%.0f..+%.0f ms", run,
                              (double) (first - t0) / 1000.0, (double) (last - t0) / 1000.0);

      if (first == t0 && n > 0)
        {
          chaos->leadin_captures++;
          chaos->leadin_samples += run;
          g_print ("note: acquisition %s: the first %u samples (%.0f ms) are missing and no gap says so: "
                   "the capture's first window did not reach back to the acquisition's start\n",
                   epoch->acquisition_id, run, (double) (last - first) / 1000.0 + 1000.0 / SAMPLE_RATE);
          continue;
        }

      for (g = 0; g < n_gaps; g++)
        {
          gint64 end = gaps[g].end_usec != 0 ? gaps[g].end_usec : G_MAXINT64 - GAP_SLACK_USEC;

          if (first <= end + GAP_SLACK_USEC && last >= gaps[g].start_usec - GAP_SLACK_USEC)
            {
              overlapping++;
              if (gaps[g].data_lost)
                {
                  gap_lost[g] = TRUE;
                  flagged_lost++;
                }
            }
        }
      if (overlapping == 0)
        {
          unrecorded++;
          fail (chaos, "acquisition %s: %u samples missing (+%.0f..+%.0f ms) outside every recorded gap",
                epoch->acquisition_id, run, (double) (first - t0) / 1000.0, (double) (last - t0) / 1000.0);
        }
      else if (flagged_lost == 0)
        {
          chaos->lost_wrong++;
          fail (chaos, "acquisition %s: %u samples missing (+%.0f..+%.0f ms) under gaps that say "
                "nothing was lost", epoch->acquisition_id, run, (double) (first - t0) / 1000.0,
                (double) (last - t0) / 1000.0);
        }
    }

  /* Each gap: which outage it belongs to; its data_lost flag against the truth. */
  for (g = 0; g < n_gaps; g++)
    {
      gint64 best = G_MAXINT64;
      gint kind = -1;
      guint o;

      for (o = 0; o < epoch->outages->len; o++)
        {
          Outage *outage = &g_array_index (epoch->outages, Outage, o);
          gint64 distance = ABS (gaps[g].start_usec - outage->start_usec);

          if (distance < best && distance < 2 * G_USEC_PER_SEC)
            {
              best = distance;
              kind = outage->kill;
            }
        }
      if (kind == 1)
        chaos->gaps_kill++;
      else if (kind == 0)
        chaos->gaps_drop++;
      else
        chaos->gaps_other++;

      if (gaps[g].data_lost)
        chaos->lost_flagged++;
      if (gaps[g].data_lost && gap_lost[g])
        chaos->lost_true++;
      else if (gaps[g].data_lost)
        {
          chaos->lost_conservative++;
          if (kind == 1)
            chaos->lost_conservative_kill++;
          else
            {
              /* Not a failure, but worth a look: a recoverable outage. */
              g_autofree char *from = lablink_capture_format_time (gaps[g].start_usec);

              g_print ("note: acquisition %s: the gap at %s (%.0f ms, %" G_GUINT64_FORMAT " rows recovered) "
                       "says data was lost, but nothing is missing\n", epoch->acquisition_id, from,
                       (double) (gaps[g].end_usec - gaps[g].start_usec) / 1000.0, gaps[g].n_recovered);
            }
        }
    }

  if (dups > 0)
    fail (chaos, "acquisition %s: %u duplicate rows", epoch->acquisition_id, dups);
  if (disorder > 0)
    fail (chaos, "acquisition %s: %u out-of-order rows", epoch->acquisition_id, disorder);
  if (foreign > 0)
    fail (chaos, "acquisition %s: %u rows the simulator never generated", epoch->acquisition_id, foreign);

  for (g = 0, flagged = 0; g < n_gaps; g++)
    flagged += gaps[g].data_lost;
  g_string_append_printf (line, "; capture %" G_GUINT64_FORMAT "/%u rows, %u gaps (%u data_lost), "
                          "%u missing in %u holes",
                          n, epoch->generated->len, n_gaps, flagged, missing, holes);

  chaos->epochs++;
  chaos->rows += n;
  chaos->generated += epoch->generated->len;
  chaos->duplicates += dups;
  chaos->disorder += disorder;
  chaos->foreign += foreign;
  chaos->missing += missing;
  chaos->holes += holes;
  chaos->unrecorded_holes += unrecorded;
  chaos->gaps += n_gaps;

  if (chaos->failures->len > failures)
    {
      /* Keep what failed, with the truth next to it. */
      g_autofree char *path = g_strconcat (lablink_capture_get_directory (epoch->capture), ".generated", NULL);
      g_autoptr(GString) text = g_string_new (NULL);

      for (i = 0; i < epoch->generated->len; i++)
        g_string_append_printf (text, "%" G_GINT64_FORMAT "\n", g_array_index (epoch->generated, gint64, i));
      g_file_set_contents (path, text->str, (gssize) text->len, NULL);
      chaos->kept_failed = TRUE;
      for (g = 0; g < n_gaps; g++)
        g_string_append_printf (detail, "\n    gap %u: +%.0f..+%.0f ms, data_lost %d, %" G_GUINT64_FORMAT " recovered",
                                g, (double) (gaps[g].start_usec - t0) / 1000.0,
                                (double) (gaps[g].end_usec - t0) / 1000.0, gaps[g].data_lost, gaps[g].n_recovered);
      g_print ("chaos: acquisition %s: the first sample at %" G_GINT64_FORMAT " us (+0 ms); %u gaps%s\n"
               "chaos: kept %s and %s\n", epoch->acquisition_id, t0, n_gaps, detail->str,
               lablink_capture_get_directory (epoch->capture), path);
    }
  else if (!chaos->keep && !lablink_capture_delete (epoch->capture, &error))
    g_printerr ("chaos: capture delete: %s\n", error->message);
  g_clear_object (&epoch->capture);
  g_clear_pointer (&epoch->acquisition_id, g_free);
  g_clear_pointer (&epoch->generated, g_array_unref);
  g_clear_pointer (&epoch->outages, g_array_unref);
}

