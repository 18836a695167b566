/* lablink-sim-acquisition.c — a simulated LabLink acquisition session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "lablink-sim-acquisition-private.h"

/**
 * LablinkSimAcquisition:
 *
 * One acquisition session: samples its instrument's channels at the
 * configured rate into a ring buffer of `buffer_size` samples, with the state
 * machine, statistics and JSON shapes of LabLink 1.2.5.
 *
 * Sampling is scheduled on absolute time: sample n (since the last start or
 * resume) is taken at base + n / sample_rate and stamped with that time, so
 * the rate is exact however late the main loop runs (late samples are
 * caught up in one tick). Every generated sample is also counted (with its
 * timestamp) for lablink_sim_acquisition_get_generated(), which may be called
 * from any thread.
 */
G_DEFINE_FINAL_TYPE (LablinkSimAcquisition, lablink_sim_acquisition, G_TYPE_OBJECT)

const char *
lablink_sim_acquisition_state_to_string (LablinkSimAcquisitionState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), "error");
  return state_names[state];
}

static gboolean
enum_from_string (const char         *text,
                  const char * const *names,
                  guint               n_names,
                  guint              *value)
{
  guint i;

  if (text == NULL)
    return FALSE;
  for (i = 0; i < n_names; i++)
    if (g_ascii_strcasecmp (text, names[i]) == 0)
      {
        *value = i;
        return TRUE;
      }
  return FALSE;
}

static void
clear_timer (LablinkSimAcquisition *self)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
}

static void
lablink_sim_acquisition_finalize (GObject *object)
{
  LablinkSimAcquisition *self = LABLINK_SIM_ACQUISITION (object);

  clear_timer (self);
  g_clear_pointer (&self->id, g_free);
  g_clear_object (&self->instrument);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->channels, g_strfreev);
  g_clear_pointer (&self->channel_index, g_free);
  g_clear_pointer (&self->trigger_channel, g_free);
  g_clear_pointer (&self->times, g_free);
  g_clear_pointer (&self->values, g_free);
  g_clear_pointer (&self->stats, g_free);
  g_clear_pointer (&self->generated_times, g_array_unref);
  g_mutex_clear (&self->generated_lock);

  G_OBJECT_CLASS (lablink_sim_acquisition_parent_class)->finalize (object);
}

static void
lablink_sim_acquisition_class_init (LablinkSimAcquisitionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lablink_sim_acquisition_finalize;
}

static void
lablink_sim_acquisition_init (LablinkSimAcquisition *self)
{
  g_mutex_init (&self->generated_lock);
  self->generated_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->state = LABLINK_SIM_ACQUISITION_IDLE;
  self->created_at = g_get_real_time ();
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

static gboolean
parse_optional_number (JsonObject  *object,
                       const char  *member,
                       double       min,
                       double       max,
                       gboolean    *present,
                       double      *value,
                       GError     **error)
{
  JsonNode *node;

  *present = FALSE;
  if (object == NULL)
    return TRUE;
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!lablink_sim_json_object_get_number (object, member, value) || *value < min || *value > max)
    return invalid (error, "Invalid %s (expected a number from %g to %g)", member, min, max);
  *present = TRUE;
  return TRUE;
}

static gboolean
parse_trigger (LablinkSimAcquisition  *self,
               JsonObject             *trigger,
               gboolean                allow_unknown_channels,
               GError                **error)
{
  const char *text;
  gboolean present;
  double value;
  guint e;

  self->trigger_type = TRIGGER_IMMEDIATE;
  self->trigger_index = LABLINK_SIM_CHANNEL_INVALID;
  if (trigger == NULL)
    return TRUE;

  text = lablink_sim_json_object_get_str (trigger, "trigger_type");
  if (text != NULL && !enum_from_string (text, trigger_names, G_N_ELEMENTS (trigger_names), &e))
    return invalid (error, "Unsupported trigger_type: %s (expected immediate, level or edge)", text);
  if (text != NULL)
    self->trigger_type = (TriggerType) e;

  if (!parse_optional_number (trigger, "level", -G_MAXDOUBLE, G_MAXDOUBLE, &present, &value, error))
    return FALSE;
  self->has_trigger_level = present;
  self->trigger_level = present ? value : 0.0;

  text = lablink_sim_json_object_get_str (trigger, "edge");
  if (text != NULL)
    {
      if (!enum_from_string (text, edge_names, G_N_ELEMENTS (edge_names), &e))
        return invalid (error, "Invalid edge: %s (expected rising, falling or either)", text);
      self->has_trigger_edge = TRUE;
      self->trigger_edge = (Edge) e;
    }

  text = lablink_sim_json_object_get_str (trigger, "channel");
  if (text != NULL)
    {
      self->trigger_channel = g_strdup (text);
      if (!lablink_sim_instrument_lookup_channel (self->instrument, text, &self->trigger_index) &&
          !allow_unknown_channels)
        return invalid (error, "Unknown trigger channel: %s", text);
    }

  if (self->trigger_type != TRIGGER_IMMEDIATE)
    {
      if (!self->has_trigger_level)
        return invalid (error, "A %s trigger needs a level", trigger_names[self->trigger_type]);
      if (self->trigger_channel == NULL)
        {
          if (self->n_channels == 0)
            return invalid (error, "A %s trigger needs a channel", trigger_names[self->trigger_type]);
          self->trigger_channel = g_strdup (self->channels[0]);
          self->trigger_index = self->channel_index[0];
        }
    }
  return TRUE;
}

/**
 * lablink_sim_acquisition_new_from_json:
 * @id: the acquisition id (a UUID)
 * @instrument: the instrument to sample
 * @request: the body of `POST /api/acquisition/session/create`
 * @allow_unknown_channels: accept channels the instrument lacks (they read
 *   NaN, as on the real server); otherwise they are an error
 * @error: return location for a #GError (%G_IO_ERROR_INVALID_ARGUMENT)
 *
 * Returns: (transfer full): the acquisition, idle
 */
LablinkSimAcquisition *
lablink_sim_acquisition_new_from_json (const char            *id,
                                       LablinkSimInstrument  *instrument,
                                       JsonObject            *request,
                                       gboolean               allow_unknown_channels,
                                       GError               **error)
{
  g_autoptr(LablinkSimAcquisition) self = NULL;
  g_autoptr(GPtrArray) channels = g_ptr_array_new_with_free_func (g_free);
  const char *text;
  JsonNode *node;
  gboolean present;
  double value;
  guint i, m;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (LABLINK_SIM_IS_INSTRUMENT (instrument), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  self = g_object_new (LABLINK_SIM_TYPE_ACQUISITION, NULL);
  self->id = g_strdup (id);
  self->instrument = g_object_ref (instrument);

  text = lablink_sim_json_object_get_str (request, "name");
  self->name = g_strdup (text);
  text = lablink_sim_json_object_get_str (request, "description");
  self->description = g_strdup (text);

  self->mode = MODE_CONTINUOUS;
  text = lablink_sim_json_object_get_str (request, "mode");
  if (text != NULL)
    {
      if (!enum_from_string (text, mode_names, G_N_ELEMENTS (mode_names), &m))
        {
          invalid (error, "Invalid mode: %s (expected continuous, single_shot or triggered)", text);
          return NULL;
        }
      self->mode = (Mode) m;
    }

  self->sample_rate = 100.0;
  if (!parse_optional_number (request, "sample_rate", 1e-3, LABLINK_SIM_ACQUISITION_MAX_SAMPLE_RATE,
                              &present, &value, error))
    return NULL;
  if (present)
    self->sample_rate = value;

  if (!parse_optional_number (request, "num_samples", 1, G_MAXINT32, &present, &value, error))
    return NULL;
  if (present)
    {
      if (value != floor (value))
        {
          invalid (error, "Invalid num_samples (expected an integer)");
          return NULL;
        }
      self->num_samples = (gint64) value;
    }
  else if (self->mode == MODE_SINGLE_SHOT)
    self->num_samples = 1000;

  if (!parse_optional_number (request, "duration_seconds", 1e-6, 1e9, &present, &value, error))
    return NULL;
  if (present)
    self->duration_seconds = value;

  self->buffer_size = 10000;
  if (!parse_optional_number (request, "buffer_size", 1, LABLINK_SIM_ACQUISITION_MAX_BUFFER, &present, &value, error))
    return NULL;
  if (present)
    {
      if (value != floor (value))
        {
          invalid (error, "Invalid buffer_size (expected an integer)");
          return NULL;
        }
      self->buffer_size = (guint) value;
    }

  node = json_object_get_member (request, "channels");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          invalid (error, "Invalid channels (expected an array of names)");
          return NULL;
        }
      array = json_node_get_array (node);
      for (i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            {
              invalid (error, "Invalid channels (expected an array of names)");
              return NULL;
            }
          g_ptr_array_add (channels, g_strdup (json_node_get_string (element)));
        }
    }
  if (channels->len == 0)
    g_ptr_array_add (channels, g_strdup ("CH1"));
  if (channels->len > 64)
    {
      invalid (error, "Too many channels (at most 64)");
      return NULL;
    }
  g_ptr_array_add (channels, NULL);

  self->n_channels = channels->len - 1;
  self->channels = (GStrv) g_ptr_array_steal (channels, NULL);
  self->channel_index = g_new0 (guint, self->n_channels);
  for (i = 0; i < self->n_channels; i++)
    {
      if (!lablink_sim_instrument_lookup_channel (instrument, self->channels[i], &self->channel_index[i]))
        {
          if (!allow_unknown_channels)
            {
              invalid (error, "Unknown channel %s for equipment %s", self->channels[i],
                       lablink_sim_instrument_get_id (instrument));
              return NULL;
            }
          self->channel_index[i] = LABLINK_SIM_CHANNEL_INVALID;
        }
    }

  node = json_object_get_member (request, "trigger_config");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) && !JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, "Invalid trigger_config (expected an object)");
      return NULL;
    }
  if (!parse_trigger (self, node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL,
                      allow_unknown_channels, error))
    return NULL;

  self->times = g_new0 (gint64, self->buffer_size);
  self->values = g_new0 (double, (gsize) self->buffer_size * self->n_channels);
  self->stats = g_new0 (ChannelStats, self->n_channels);

  return g_steal_pointer (&self);
}

const char *
lablink_sim_acquisition_get_id (LablinkSimAcquisition *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_ACQUISITION (self), NULL);
  return self->id;
}

const char *
lablink_sim_acquisition_get_equipment_id (LablinkSimAcquisition *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_ACQUISITION (self), NULL);
  return lablink_sim_instrument_get_id (self->instrument);
}

LablinkSimInstrument *
lablink_sim_acquisition_get_instrument (LablinkSimAcquisition *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_ACQUISITION (self), NULL);
  return self->instrument;
}

LablinkSimAcquisitionState
lablink_sim_acquisition_get_state (LablinkSimAcquisition *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_ACQUISITION (self), LABLINK_SIM_ACQUISITION_ERROR);
  return self->state;
}

guint
lablink_sim_acquisition_get_n_buffered (LablinkSimAcquisition *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_ACQUISITION (self), 0);
  return self->length;
}

guint64
lablink_sim_acquisition_get_total_samples (LablinkSimAcquisition *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_ACQUISITION (self), 0);
  return self->total_samples;
}

static void
reset_schedule (LablinkSimAcquisition *self)
{
  self->base_mono = g_get_monotonic_time ();
  self->base_real = g_get_real_time ();
  self->n_since_base = 0;
}

static void
finish (LablinkSimAcquisition      *self,
        LablinkSimAcquisitionState  state)
{
  clear_timer (self);
  self->state = state;
  self->stopped_at = g_get_real_time ();
}

static void
store_sample (LablinkSimAcquisition *self,
              gint64                 timestamp,
              const double          *row)
{
  guint slot, i;

  if (self->length == self->buffer_size)
    {
      slot = self->head;
      self->head = (self->head + 1) % self->buffer_size;
      self->buffer_overruns++;
    }
  else
    {
      slot = (self->head + self->length) % self->buffer_size;
      self->length++;
    }

  self->times[slot] = timestamp;
  memcpy (&self->values[(gsize) slot * self->n_channels], row, self->n_channels * sizeof (double));

  for (i = 0; i < self->n_channels; i++)
    {
      ChannelStats *st = &self->stats[i];

      if (self->total_samples == 0)
        st->min = st->max = row[i];
      else if (isnan (row[i]) || isnan (st->min))
        st->min = st->max = NAN;
      else
        {
          st->min = MIN (st->min, row[i]);
          st->max = MAX (st->max, row[i]);
        }
      st->sum += row[i];
    }
  self->total_samples++;

  g_mutex_lock (&self->generated_lock);
  self->generated_count++;
  if (self->generated_times->len < LABLINK_SIM_ACQUISITION_MAX_RECORDED)
    g_array_append_val (self->generated_times, timestamp);
  g_mutex_unlock (&self->generated_lock);
}

static gboolean
trigger_fired (LablinkSimAcquisition *self,
               double                 value)
{
  gboolean fired = FALSE;
  Edge edge = self->has_trigger_edge ? self->trigger_edge : EDGE_RISING;

  if (isnan (value))
    return FALSE;

  if (self->have_previous_trigger_value)
    {
      double prev = self->previous_trigger_value;
      gboolean rising = prev < self->trigger_level && value >= self->trigger_level;
      gboolean falling = prev > self->trigger_level && value <= self->trigger_level;

      switch (edge)
        {
        case EDGE_RISING:
          fired = rising;
          break;
        case EDGE_FALLING:
          fired = falling;
          break;
        case EDGE_EITHER:
        default:
          fired = rising || falling;
          break;
        }
    }

  self->previous_trigger_value = value;
  self->have_previous_trigger_value = TRUE;
  return fired;
}

/* A sample as an instrument's converter delivers it: to 1 µ(V, A, W), far
 * below the simulated noise. It also keeps the text short: 15 significant
 * digits read back exactly, so writing a value takes one formatting, not
 * the three a full-precision double may need (at 100 kSa/s that was most
 * of the simulator's time). */
static double
quantize (double value)
{
  if (!isfinite (value) || fabs (value) >= 1e9)
    return value;
  return nearbyint (value * 1e6) / 1e6;
}

/**
 * lablink_sim_acquisition_tick:
 * @self: an acquisition
 *
 * Takes every sample due by now. Called by the acquisition's own timer;
 * calling it more often is harmless.
 */
void
lablink_sim_acquisition_tick (LablinkSimAcquisition *self)
{
  g_autofree double *row = NULL;
  gint64 now_mono, end_real = G_MAXINT64;
  guint budget = 200000;

  g_return_if_fail (LABLINK_SIM_IS_ACQUISITION (self));

  if (self->state != LABLINK_SIM_ACQUISITION_ACQUIRING &&
      self->state != LABLINK_SIM_ACQUISITION_WAITING_TRIGGER)
    return;

  row = g_new0 (double, MAX (self->n_channels, 1));
  now_mono = g_get_monotonic_time ();
  /* A run of duration_seconds makes the samples of that span, however
   * late this tick is: none stamped at or after its end. */
  if (self->duration_seconds > 0.0)
    end_real = self->started_at + (gint64) (self->duration_seconds * G_USEC_PER_SEC);

  while (budget-- > 0)
    {
      gint64 offset = (gint64) floor ((double) self->n_since_base * G_USEC_PER_SEC / self->sample_rate);
      gint64 timestamp;
      double t;
      guint i;

      if (self->base_mono + offset > now_mono)
        break;

      timestamp = self->base_real + offset;
      if (timestamp <= self->last_timestamp)
        timestamp = self->last_timestamp + 1;
      if (timestamp >= end_real)
        {
          finish (self, LABLINK_SIM_ACQUISITION_STOPPED);
          return;
        }
      t = lablink_sim_instrument_time (self->instrument, timestamp);
      self->n_since_base++;

      if (self->state == LABLINK_SIM_ACQUISITION_WAITING_TRIGGER)
        {
          double v = lablink_sim_instrument_sample (self->instrument, self->trigger_index, t);

          if (!trigger_fired (self, v))
            continue;
          self->state = LABLINK_SIM_ACQUISITION_ACQUIRING;
        }

      for (i = 0; i < self->n_channels; i++)
        row[i] = quantize (lablink_sim_instrument_sample (self->instrument, self->channel_index[i], t));
      store_sample (self, timestamp, row);
      self->last_timestamp = timestamp;

      if (self->mode != MODE_CONTINUOUS && self->num_samples > 0 &&
          self->total_samples >= (guint64) self->num_samples)
        {
          finish (self, LABLINK_SIM_ACQUISITION_STOPPED);
          return;
        }
    }

  if (self->duration_seconds > 0.0 &&
      g_get_real_time () - self->started_at >= (gint64) (self->duration_seconds * G_USEC_PER_SEC))
    finish (self, LABLINK_SIM_ACQUISITION_STOPPED);
}

static gboolean
timer_cb (gpointer user_data)
{
  LablinkSimAcquisition *self = user_data;

  lablink_sim_acquisition_tick (self);
  return G_SOURCE_CONTINUE;
}

static void
start_timer (LablinkSimAcquisition *self,
             GMainContext          *context)
{
  guint period_ms;

  clear_timer (self);
  period_ms = (guint) CLAMP (1000.0 / self->sample_rate, 5.0, 100.0);
  self->timer = g_timeout_source_new (period_ms);
  g_source_set_name (self->timer, "[lablink-sim] acquisition");
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_attach (self->timer, context);
}

static gboolean
bad_state (LablinkSimAcquisition  *self,
           const char             *verb,
           GError                **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "Cannot %s acquisition in state %s", verb, state_names[self->state]);
  return FALSE;
}

/**
 * lablink_sim_acquisition_start:
 * @self: an idle acquisition
 * @context: (nullable): where the sampling timer runs (default: the
 *   thread-default context)
 * @error: return location for a #GError
 *
 * Returns: %TRUE if started (acquiring, or waiting for its trigger)
 */
gboolean
lablink_sim_acquisition_start (LablinkSimAcquisition  *self,
                               GMainContext           *context,
                               GError                **error)
{
  g_return_val_if_fail (LABLINK_SIM_IS_ACQUISITION (self), FALSE);

  if (self->state != LABLINK_SIM_ACQUISITION_IDLE)
    return bad_state (self, "start", error);

  self->started_at = g_get_real_time ();
  self->state = (self->mode == MODE_TRIGGERED && self->trigger_type != TRIGGER_IMMEDIATE)
    ? LABLINK_SIM_ACQUISITION_WAITING_TRIGGER
    : LABLINK_SIM_ACQUISITION_ACQUIRING;
  reset_schedule (self);

  if (context == NULL)
    context = g_main_context_get_thread_default ();
  start_timer (self, context);
  lablink_sim_acquisition_tick (self);
  return TRUE;
}

/**
 * lablink_sim_acquisition_stop:
 * @self: an acquisition
 * @error: return location for a #GError
 *
 * Stops sampling and fills the end-of-run statistics. Stopping a stopped
 * acquisition succeeds and changes nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_sim_acquisition_stop (LablinkSimAcquisition  *self,
                              GError                **error)
{
  g_return_val_if_fail (LABLINK_SIM_IS_ACQUISITION (self), FALSE);

  if (self->state == LABLINK_SIM_ACQUISITION_STOPPED)
    return TRUE;
  if (self->state == LABLINK_SIM_ACQUISITION_ERROR)
    return bad_state (self, "stop", error);

  lablink_sim_acquisition_tick (self);
  if (self->state != LABLINK_SIM_ACQUISITION_STOPPED)
    finish (self, LABLINK_SIM_ACQUISITION_STOPPED);
  return TRUE;
}

gboolean
lablink_sim_acquisition_pause (LablinkSimAcquisition  *self,
                               GError                **error)
{
  g_return_val_if_fail (LABLINK_SIM_IS_ACQUISITION (self), FALSE);

  if (self->state != LABLINK_SIM_ACQUISITION_ACQUIRING &&
      self->state != LABLINK_SIM_ACQUISITION_WAITING_TRIGGER)
    return bad_state (self, "pause", error);

  lablink_sim_acquisition_tick (self);
  if (self->state == LABLINK_SIM_ACQUISITION_STOPPED)
    return bad_state (self, "pause", error);
  self->state = LABLINK_SIM_ACQUISITION_PAUSED;
  return TRUE;
}

gboolean
lablink_sim_acquisition_resume (LablinkSimAcquisition  *self,
                                GError                **error)
{
  g_return_val_if_fail (LABLINK_SIM_IS_ACQUISITION (self), FALSE);

  if (self->state != LABLINK_SIM_ACQUISITION_PAUSED)
    return bad_state (self, "resume", error);

  self->state = LABLINK_SIM_ACQUISITION_ACQUIRING;
  reset_schedule (self);
  lablink_sim_acquisition_tick (self);
  return TRUE;
}

/**
 * lablink_sim_acquisition_get_generated:
 * @self: an acquisition
 * @timestamps: (out) (optional) (transfer full) (element-type gint64): the
 *   timestamps (µs since the epoch) of the generated samples, oldest first
 *   (at most %LABLINK_SIM_ACQUISITION_MAX_RECORDED)
 *
 * What the simulator generated, whatever was buffered, streamed or dropped.
 * Thread-safe.
 *
 * Returns: the number of samples generated
 */
guint64
lablink_sim_acquisition_get_generated (LablinkSimAcquisition  *self,
                                       GArray                **timestamps)
{
  guint64 count;

  g_return_val_if_fail (LABLINK_SIM_IS_ACQUISITION (self), 0);

  g_mutex_lock (&self->generated_lock);
  count = self->generated_count;
  if (timestamps != NULL)
    {
      *timestamps = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->generated_times->len);
      g_array_append_vals (*timestamps, self->generated_times->data, self->generated_times->len);
    }
  g_mutex_unlock (&self->generated_lock);

  return count;
}
