/* lablink-capture.c — the LablinkCapture object
 *
 * Recording a stream to disk, for hours, in flat memory. This file is the
 * object itself: its type, properties and signal, its constructors
 * (lablink_capture_new*() create a capture directory, lablink_capture_open()
 * opens one, recovering a capture whose recording process died) and its
 * accessors. The rest is in sibling files (see lablink-capture-private.h):
 * the format on disk, the writer thread, taking rows in, recording from
 * the stream manager, the REST backfill, reading, listing and deleting.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lablink-capture-private.h"
#include "lablink-enums.h"
#include "lablink-error.h"
#include "lablink-protocol.h"

#define DEFAULT_INTERVAL_MS    100
#define DEFAULT_WINDOW         1000
#define DEFAULT_BACKFILL       10000
#define DEFAULT_BACKFILL_TIMEOUT_MS 5000

G_DEFINE_FINAL_TYPE (LablinkCapture, lablink_capture, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (LablinkCaptureGap, lablink_capture_gap, lablink_capture_gap_copy, lablink_capture_gap_free)

static GParamSpec *properties[N_PROPS];

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------
 * LablinkCaptureGap
 * ------------------------------------------------------------------------ */

/**
 * lablink_capture_gap_copy:
 * @gap: a #LablinkCaptureGap
 *
 * Returns: (transfer full): a copy of @gap
 */
LablinkCaptureGap *
lablink_capture_gap_copy (const LablinkCaptureGap *gap)
{
  g_return_val_if_fail (gap != NULL, NULL);
  return g_memdup2 (gap, sizeof *gap);
}

/**
 * lablink_capture_gap_free:
 * @gap: (transfer full): a #LablinkCaptureGap
 *
 * Frees @gap.
 */
void
lablink_capture_gap_free (LablinkCaptureGap *gap)
{
  g_free (gap);
}

/* ------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------ */

/* For the sibling files: notifies a property by its id. */
void
lablink_capture_notify (LablinkCapture     *self,
                        LablinkCaptureProp  prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* For the writer: emits LablinkCapture::failed. */
void
lablink_capture_emit_failed (LablinkCapture *self,
                             const GError   *error)
{
  g_signal_emit (self, signals[FAILED], 0, error);
}

static void
lablink_capture_dispose (GObject *object)
{
  LablinkCapture *self = LABLINK_CAPTURE (object);

  if (self->recording)
    lablink_capture_stop (self, NULL);

  lablink_capture_cancel_notify (self);
  g_clear_object (&self->manager);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (lablink_capture_parent_class)->dispose (object);
}

static void
lablink_capture_finalize (GObject *object)
{
  LablinkCapture *self = LABLINK_CAPTURE (object);
  LablinkMessage *message;

  while ((message = g_queue_pop_head (&self->held)) != NULL)
    lablink_message_unref (message);
  g_clear_object (&self->cancellable);
  g_free (self->directory);
  g_free (self->name);
  g_free (self->failure);
  g_free (self->acquisition_id);
  g_free (self->stream_key);
  g_free (self->stream_equipment);
  g_free (self->stream_type);
  g_free (self->server_url);
  g_free (self->equipment_id);
  g_ptr_array_unref (self->channels);
  g_ptr_array_unref (self->units);
  g_array_unref (self->gaps);
  g_array_unref (self->scratch_times);
  g_array_unref (self->scratch_values);
  g_clear_error (&self->write_error);
  g_clear_pointer (&self->pyramid, lablink_capture_pyramid_builder_free);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (lablink_capture_parent_class)->finalize (object);
}

static void
lablink_capture_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LablinkCapture *self = LABLINK_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY: g_value_set_string (value, self->directory); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_SOURCE: g_value_set_enum (value, self->source); break;
    case PROP_ACQUISITION_ID: g_value_set_string (value, self->acquisition_id); break;
    case PROP_EQUIPMENT_ID: g_value_take_string (value, lablink_capture_dup_equipment_id (self)); break;
    case PROP_STREAM_KEY: g_value_set_string (value, self->stream_key); break;
    case PROP_MANAGER: g_value_set_object (value, self->manager); break;
    case PROP_CLIENT: g_value_set_object (value, self->client); break;
    case PROP_N_SAMPLES: g_value_set_uint64 (value, lablink_capture_get_n_samples (self)); break;
    case PROP_N_CHANNELS: g_value_set_uint (value, lablink_capture_get_n_channels (self)); break;
    case PROP_N_GAPS: g_value_set_uint (value, lablink_capture_get_n_gaps (self)); break;
    case PROP_RECORDING: g_value_set_boolean (value, self->recording); break;
    case PROP_READ_ONLY: g_value_set_boolean (value, self->read_only); break;
    case PROP_INTERRUPTED: g_value_set_boolean (value, self->interrupted); break;
    case PROP_CHUNK_ROWS: g_value_set_uint (value, self->chunk_rows); break;
    case PROP_INTERVAL_MS: g_value_set_uint (value, self->interval_ms); break;
    case PROP_WINDOW_SAMPLES: g_value_set_uint (value, self->window_samples); break;
    case PROP_BACKFILL_SAMPLES: g_value_set_uint (value, self->backfill_samples); break;
    case PROP_BACKFILL_TIMEOUT_MS: g_value_set_uint (value, self->backfill_timeout_ms); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_uint_prop (LablinkCapture *self,
               guint          *field,
               guint           value,
               guint           prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
lablink_capture_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LablinkCapture *self = LABLINK_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_CHUNK_ROWS:
      {
        guint rows = g_value_get_uint (value);
        gboolean can;

        g_mutex_lock (&self->lock);
        can = self->n_rows == 0 && !self->writing && !self->read_only;
        if (can && rows != self->chunk_rows)
          {
            self->chunk_rows = rows;
            self->meta_dirty = TRUE;
          }
        else
          can = FALSE;
        g_mutex_unlock (&self->lock);
        if (can)
          {
            lablink_capture_save_metadata_now (self, NULL);
            g_object_notify_by_pspec (object, pspec);
          }
        else if (rows != self->chunk_rows)
          g_warning ("LablinkCapture:chunk-rows can only change before recording starts");
      }
      break;
    case PROP_INTERVAL_MS: set_uint_prop (self, &self->interval_ms, g_value_get_uint (value), prop_id); break;
    case PROP_WINDOW_SAMPLES: set_uint_prop (self, &self->window_samples, g_value_get_uint (value), prop_id); break;
    case PROP_BACKFILL_SAMPLES:
      self->backfill_samples_set = TRUE;
      set_uint_prop (self, &self->backfill_samples, g_value_get_uint (value), prop_id);
      break;
    case PROP_BACKFILL_TIMEOUT_MS: set_uint_prop (self, &self->backfill_timeout_ms, g_value_get_uint (value), prop_id); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lablink_capture_class_init (LablinkCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lablink_capture_dispose;
  object_class->finalize = lablink_capture_finalize;
  object_class->get_property = lablink_capture_get_property;
  object_class->set_property = lablink_capture_set_property;

  /**
   * LablinkCapture:directory:
   *
   * The capture's own directory.
   */
  properties[PROP_DIRECTORY] = g_param_spec_string ("directory", NULL, NULL, NULL, ro);
  /**
   * LablinkCapture:name:
   *
   * The capture's name (its directory's base name).
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  /**
   * LablinkCapture:source:
   *
   * Where the rows come from.
   */
  properties[PROP_SOURCE] = g_param_spec_enum ("source", NULL, NULL, LABLINK_TYPE_CAPTURE_SOURCE,
                                               LABLINK_CAPTURE_SOURCE_NONE, ro);
  /**
   * LablinkCapture:acquisition-id:
   *
   * The recorded acquisition, if any.
   */
  properties[PROP_ACQUISITION_ID] = g_param_spec_string ("acquisition-id", NULL, NULL, NULL, ro);
  /**
   * LablinkCapture:equipment-id:
   *
   * The instrument, when known (for acquisitions, learnt from the server).
   */
  properties[PROP_EQUIPMENT_ID] = g_param_spec_string ("equipment-id", NULL, NULL, NULL, ro);
  /**
   * LablinkCapture:stream-key:
   *
   * The recorded equipment stream (`<equipment_id>_<stream_type>`), if any.
   */
  properties[PROP_STREAM_KEY] = g_param_spec_string ("stream-key", NULL, NULL, NULL, ro);
  /**
   * LablinkCapture:manager:
   *
   * The stream manager the rows come from, if any.
   */
  properties[PROP_MANAGER] = g_param_spec_object ("manager", NULL, NULL, LABLINK_TYPE_STREAM_MANAGER, ro);
  /**
   * LablinkCapture:client:
   *
   * The REST client used for backfill, if any.
   */
  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, LABLINK_TYPE_CLIENT, ro);
  /**
   * LablinkCapture:n-samples:
   *
   * Rows stored (or queued for the disk). Notified at most ten times a second.
   */
  properties[PROP_N_SAMPLES] = g_param_spec_uint64 ("n-samples", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  /**
   * LablinkCapture:n-channels:
   *
   * The number of channels (0 until the first data of a stream names them).
   */
  properties[PROP_N_CHANNELS] = g_param_spec_uint ("n-channels", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /**
   * LablinkCapture:n-gaps:
   *
   * The number of gaps recorded.
   */
  properties[PROP_N_GAPS] = g_param_spec_uint ("n-gaps", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /**
   * LablinkCapture:recording:
   *
   * Whether rows are being recorded.
   */
  properties[PROP_RECORDING] = g_param_spec_boolean ("recording", NULL, NULL, FALSE, ro);
  /**
   * LablinkCapture:read-only:
   *
   * The capture was opened with lablink_capture_open().
   */
  properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, FALSE, ro);
  /**
   * LablinkCapture:interrupted:
   *
   * The capture was being recorded when its process died; what was written
   * before was recovered.
   */
  properties[PROP_INTERRUPTED] = g_param_spec_boolean ("interrupted", NULL, NULL, FALSE, ro);
  /**
   * LablinkCapture:chunk-rows:
   *
   * Rows per chunk file; can change only before the first row.
   */
  properties[PROP_CHUNK_ROWS] = g_param_spec_uint ("chunk-rows", NULL, NULL, 1, G_MAXUINT32,
                                                   LABLINK_CAPTURE_DEFAULT_CHUNK_ROWS, rw);
  /**
   * LablinkCapture:interval-ms:
   *
   * The stream interval used when the capture starts the stream itself.
   */
  properties[PROP_INTERVAL_MS] = g_param_spec_uint ("interval-ms", NULL, NULL, 1, 3600000,
                                                    DEFAULT_INTERVAL_MS, rw);
  /**
   * LablinkCapture:window-samples:
   *
   * The `num_samples` of each acquisition frame when the capture starts the
   * acquisition stream itself: at least the samples of one interval, or
   * windows stop overlapping and every frame needs a backfill.
   */
  properties[PROP_WINDOW_SAMPLES] = g_param_spec_uint ("window-samples", NULL, NULL, 1, 1000000,
                                                       DEFAULT_WINDOW, rw);
  /**
   * LablinkCapture:backfill-samples:
   *
   * How many of the latest samples to fetch over REST after an outage
   * (default: the acquisition's `buffer_size`, learnt from the server).
   */
  properties[PROP_BACKFILL_SAMPLES] = g_param_spec_uint ("backfill-samples", NULL, NULL, 1, LABLINK_CAPTURE_MAX_BACKFILL,
                                                         DEFAULT_BACKFILL, rw);
  /**
   * LablinkCapture:backfill-timeout-ms:
   *
   * How long stream frames are held waiting for a backfill.
   */
  properties[PROP_BACKFILL_TIMEOUT_MS] = g_param_spec_uint ("backfill-timeout-ms", NULL, NULL, 1, 600000,
                                                            DEFAULT_BACKFILL_TIMEOUT_MS, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LablinkCapture::failed:
   * @self: the capture
   * @error: what went wrong
   *
   * Writing to the disk failed, or the acquisition being recorded is gone
 * from the server (a server restarted without it answers 404 after the
 * reconnect): the capture has stopped recording, its state saved as
 * `failed` with the reason.
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
lablink_capture_init (LablinkCapture *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->blocks);
  g_queue_init (&self->held);
  self->context = g_main_context_ref_thread_default ();
  self->channels = g_ptr_array_new_with_free_func (g_free);
  self->units = g_ptr_array_new_with_free_func (g_free);
  self->gaps = g_array_new (FALSE, TRUE, sizeof (LablinkCaptureGap));
  self->scratch_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->scratch_values = g_array_new (FALSE, FALSE, sizeof (double));
  self->chunk_rows = LABLINK_CAPTURE_DEFAULT_CHUNK_ROWS;
  self->first_time = self->last_time = G_MININT64;
  self->outage_gap = self->recovering_gap = -1;
  self->interval_ms = DEFAULT_INTERVAL_MS;
  self->window_samples = DEFAULT_WINDOW;
  self->backfill_samples = DEFAULT_BACKFILL;
  self->backfill_timeout_ms = DEFAULT_BACKFILL_TIMEOUT_MS;
  self->backfill_done_time = G_MININT64 / 2;
}

/* ------------------------------------------------------------------------
 * Construction
 * ------------------------------------------------------------------------ */

/**
 * lablink_capture_new:
 * @directory: (nullable) (type filename): where captures go; %NULL for
 *   lablink_capture_get_default_directory()
 * @name: (nullable): a label for the capture's directory name
 * @channels: (array zero-terminated=1): the channel names
 * @units: (array zero-terminated=1) (nullable): their units
 * @error: return location for a #GError
 *
 * A capture fed by the caller through lablink_capture_append() (a recording
 * made from any source, a benchmark, an import). Creates
 * `<directory>/<date>-<time>-<name>/`.
 *
 * Returns: (transfer full): the capture, or %NULL with @error set
 */
LablinkCapture *
lablink_capture_new (const char          *directory,
                     const char          *name,
                     const char * const  *channels,
                     const char * const  *units,
                     GError             **error)
{
  g_autoptr(LablinkCapture) self = NULL;
  guint n, i;

  g_return_val_if_fail (channels != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = g_strv_length ((char **) channels);
  if (n == 0 || n > LABLINK_CAPTURE_MAX_CHANNELS)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("A capture needs 1 to %u channels"), LABLINK_CAPTURE_MAX_CHANNELS);
      return NULL;
    }

  self = g_object_new (LABLINK_TYPE_CAPTURE, NULL);
  self->source = LABLINK_CAPTURE_SOURCE_NONE;
  for (i = 0; units != NULL && units[i] != NULL && i < n; i++)
    g_ptr_array_add (self->units, g_strdup (units[i]));
  lablink_capture_set_channels (self, channels, n);

  if (!lablink_capture_create_storage (self, directory, name ? name : "capture", error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * lablink_capture_new_for_acquisition:
 * @manager: the stream manager that receives the acquisition stream
 * @client: (nullable): the REST client for status and backfill (default:
 *   the manager's)
 * @acquisition_id: the acquisition to record
 * @directory: (nullable) (type filename): where captures go; %NULL for
 *   lablink_capture_get_default_directory()
 * @error: return location for a #GError
 *
 * A capture of an acquisition stream. Overlapping windows are merged by
 * timestamp; after an outage the samples the server still holds are
 * fetched over REST and inserted in order. Call lablink_capture_start().
 *
 * Returns: (transfer full): the capture, or %NULL with @error set
 */
LablinkCapture *
lablink_capture_new_for_acquisition (LablinkStreamManager  *manager,
                                     LablinkClient         *client,
                                     const char            *acquisition_id,
                                     const char            *directory,
                                     GError               **error)
{
  g_autoptr(LablinkCapture) self = NULL;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (manager), NULL);
  g_return_val_if_fail (client == NULL || LABLINK_IS_CLIENT (client), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (acquisition_id == NULL || *acquisition_id == '\0' || !g_utf8_validate (acquisition_id, -1, NULL))
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT, _("Invalid acquisition id"));
      return NULL;
    }

  self = g_object_new (LABLINK_TYPE_CAPTURE, NULL);
  self->source = LABLINK_CAPTURE_SOURCE_ACQUISITION;
  self->manager = g_object_ref (manager);
  self->client = client ? g_object_ref (client) : g_object_ref (lablink_stream_manager_get_client (manager));
  self->acquisition_id = g_strdup (acquisition_id);
  self->server_url = g_strdup (lablink_client_get_server_url (self->client));

  if (!lablink_capture_create_storage (self, directory, acquisition_id, error))
    return NULL;
  return g_steal_pointer (&self);
}

static gboolean
split_stream_key (const char  *key,
                  char       **equipment_id,
                  char       **stream_type)
{
  static const char *types[] = { LABLINK_STREAM_READINGS, LABLINK_STREAM_WAVEFORM, LABLINK_STREAM_MEASUREMENTS };
  gsize len = strlen (key);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (types); i++)
    {
      gsize tlen = strlen (types[i]);
      if (len > tlen + 1 && g_str_has_suffix (key, types[i]) && key[len - tlen - 1] == '_')
        {
          *equipment_id = g_strndup (key, len - tlen - 1);
          *stream_type = g_strdup (types[i]);
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * lablink_capture_new_for_stream:
 * @manager: the stream manager
 * @stream_key: the equipment stream, `<equipment_id>_<stream_type>`
 *   (e.g. `ps_250e6dfe_readings`)
 * @directory: (nullable) (type filename): where captures go; %NULL for
 *   lablink_capture_get_default_directory()
 * @error: return location for a #GError
 *
 * A capture of an equipment stream: each `stream_data` frame is a row, the
 * numeric fields of its `data` (as in the first frame) are the channels,
 * `data.timestamp` (or the time of receipt) its time. Outages are recorded
 * as gaps (the server keeps no history of these streams).
 *
 * Returns: (transfer full): the capture, or %NULL with @error set
 */
LablinkCapture *
lablink_capture_new_for_stream (LablinkStreamManager  *manager,
                                const char            *stream_key,
                                const char            *directory,
                                GError               **error)
{
  g_autoptr(LablinkCapture) self = NULL;
  g_autofree char *equipment = NULL;
  g_autofree char *type = NULL;

  g_return_val_if_fail (LABLINK_IS_STREAM_MANAGER (manager), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (stream_key == NULL || !g_utf8_validate (stream_key, -1, NULL) ||
      !split_stream_key (stream_key, &equipment, &type))
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT,
                   _("Invalid stream key “%s”: expected <equipment_id>_readings, _waveform or _measurements"),
                   stream_key ? stream_key : "(null)");
      return NULL;
    }

  self = g_object_new (LABLINK_TYPE_CAPTURE, NULL);
  self->source = LABLINK_CAPTURE_SOURCE_STREAM;
  self->manager = g_object_ref (manager);
  self->stream_key = g_strdup (stream_key);
  self->stream_equipment = g_steal_pointer (&equipment);
  self->stream_type = g_steal_pointer (&type);
  self->equipment_id = g_strdup (self->stream_equipment);
  self->server_url = g_strdup (lablink_client_get_server_url (lablink_stream_manager_get_client (manager)));

  if (!lablink_capture_create_storage (self, directory, stream_key, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * lablink_capture_open:
 * @capture_directory: (type filename): a capture's own directory
 * @error: return location for a #GError
 *
 * Opens a capture for reading and export. A capture whose recording
 * process died is recovered: every whole row written before is there, a
 * torn last row is ignored (see #LablinkCapture:interrupted).
 *
 * Returns: (transfer full): the capture, or %NULL with @error set
 */
LablinkCapture *
lablink_capture_open (const char  *capture_directory,
                      GError     **error)
{
  g_autoptr(LablinkCapture) self = NULL;
  LablinkCaptureLoaded loaded;

  g_return_val_if_fail (capture_directory != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lablink_capture_load (capture_directory, &loaded, error))
    return NULL;

  self = g_object_new (LABLINK_TYPE_CAPTURE, NULL);
  self->read_only = TRUE;
  self->directory = g_strdup (capture_directory);
  self->name = g_path_get_basename (capture_directory);
  self->source = loaded.source;
  self->acquisition_id = g_steal_pointer (&loaded.acquisition_id);
  self->equipment_id = g_steal_pointer (&loaded.equipment_id);
  self->stream_key = g_steal_pointer (&loaded.stream_key);
  self->server_url = g_steal_pointer (&loaded.server_url);
  g_ptr_array_extend_and_steal (self->channels, g_steal_pointer (&loaded.channels));
  g_ptr_array_extend_and_steal (self->units, g_steal_pointer (&loaded.units));
  self->n_channels = self->channels->len;
  self->chunk_rows = loaded.chunk_rows;
  self->created = loaded.created;
  self->started = loaded.started;
  self->stopped = loaded.stopped;
  g_array_append_vals (self->gaps, loaded.gaps->data, loaded.gaps->len);
  self->n_rows = self->n_written = loaded.n_rows;
  self->n_invalid = loaded.n_invalid;
  self->failure = g_steal_pointer (&loaded.failure);
  self->first_time = loaded.n_rows > 0 ? loaded.first_time : G_MININT64;
  self->last_time = loaded.n_rows > 0 ? loaded.last_time : G_MININT64;
  self->interrupted = loaded.recording && !lablink_capture_pid_alive (loaded.pid);
  self->notified_n_rows = self->n_rows;
  self->notified_n_gaps = self->gaps->len;

  lablink_capture_loaded_clear (&loaded);
  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------------
 * Accessors
 * ------------------------------------------------------------------------ */

/**
 * lablink_capture_get_directory:
 * @self: a #LablinkCapture
 *
 * Returns: (type filename): the capture's own directory
 */
const char *
lablink_capture_get_directory (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  return self->directory;
}

/**
 * lablink_capture_get_name:
 * @self: a #LablinkCapture
 *
 * Returns: the capture's name (its directory's base name)
 */
const char *
lablink_capture_get_name (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  return self->name;
}

/**
 * lablink_capture_get_source:
 * @self: a #LablinkCapture
 *
 * Returns: where the rows come from
 */
LablinkCaptureSource
lablink_capture_get_source (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), LABLINK_CAPTURE_SOURCE_NONE);
  return self->source;
}

/**
 * lablink_capture_get_acquisition_id:
 * @self: a #LablinkCapture
 *
 * Returns: (nullable): the acquisition id
 */
const char *
lablink_capture_get_acquisition_id (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  return self->acquisition_id;
}

/**
 * lablink_capture_dup_equipment_id:
 * @self: a #LablinkCapture
 *
 * The equipment id, when known (an acquisition's is learnt from the server
 * after the start). Thread-safe.
 *
 * Returns: (transfer full) (nullable): the equipment id
 */
char *
lablink_capture_dup_equipment_id (LablinkCapture *self)
{
  char *id;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  g_mutex_lock (&self->lock);
  id = g_strdup (self->equipment_id);
  g_mutex_unlock (&self->lock);
  return id;
}

/**
 * lablink_capture_get_stream_key:
 * @self: a #LablinkCapture
 *
 * Returns: (nullable): the equipment stream key
 */
const char *
lablink_capture_get_stream_key (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  return self->stream_key;
}

/**
 * lablink_capture_get_recording:
 * @self: a #LablinkCapture
 *
 * Returns: whether the capture is recording
 */
gboolean
lablink_capture_get_recording (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  return self->recording;
}

/**
 * lablink_capture_get_interrupted:
 * @self: a #LablinkCapture
 *
 * Returns: %TRUE if the capture was opened after its recording process died
 */
gboolean
lablink_capture_get_interrupted (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  return self->interrupted;
}

/**
 * lablink_capture_get_read_only:
 * @self: a #LablinkCapture
 *
 * Returns: %TRUE if opened with lablink_capture_open()
 */
gboolean
lablink_capture_get_read_only (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  return self->read_only;
}

/**
 * lablink_capture_get_n_samples:
 * @self: a #LablinkCapture
 *
 * Rows stored (or accepted and on their way to the disk). Thread-safe.
 *
 * Returns: the number of rows
 */
guint64
lablink_capture_get_n_samples (LablinkCapture *self)
{
  guint64 n;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), 0);
  g_mutex_lock (&self->lock);
  n = self->n_rows;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * lablink_capture_get_n_channels:
 * @self: a #LablinkCapture
 *
 * Returns: the number of channels (0 until a stream's first data)
 */
guint
lablink_capture_get_n_channels (LablinkCapture *self)
{
  guint n;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), 0);
  g_mutex_lock (&self->lock);
  n = self->n_channels;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * lablink_capture_get_channel_name:
 * @self: a #LablinkCapture
 * @channel: a channel index
 *
 * Returns: (nullable): the channel's name (valid as long as @self)
 */
const char *
lablink_capture_get_channel_name (LablinkCapture *self,
                                  guint           channel)
{
  const char *name = NULL;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  g_mutex_lock (&self->lock);
  if (channel < self->n_channels)
    name = g_ptr_array_index (self->channels, channel);
  g_mutex_unlock (&self->lock);
  return name;
}

/* A %NULL-terminated copy of @array's strings (under the lock when @array is
 * the capture's). */
char **
lablink_capture_dup_strv (GPtrArray *array)
{
  char **strv = g_new0 (char *, array->len + 1);
  guint i;

  for (i = 0; i < array->len; i++)
    strv[i] = g_strdup (g_ptr_array_index (array, i));
  return strv;
}

/**
 * lablink_capture_dup_channel_names:
 * @self: a #LablinkCapture
 *
 * Returns: (transfer full) (array zero-terminated=1): the channel names
 */
char **
lablink_capture_dup_channel_names (LablinkCapture *self)
{
  char **strv;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  g_mutex_lock (&self->lock);
  strv = lablink_capture_dup_strv (self->channels);
  g_mutex_unlock (&self->lock);
  return strv;
}

/**
 * lablink_capture_dup_channel_units:
 * @self: a #LablinkCapture
 *
 * Returns: (transfer full) (array zero-terminated=1): the channel units
 *   ("" when unknown), one per channel
 */
char **
lablink_capture_dup_channel_units (LablinkCapture *self)
{
  char **strv;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  g_mutex_lock (&self->lock);
  strv = lablink_capture_dup_strv (self->units);
  g_mutex_unlock (&self->lock);
  return strv;
}

/**
 * lablink_capture_set_channel_unit:
 * @self: a #LablinkCapture
 * @channel: a channel index
 * @unit: (nullable): the unit (e.g. "V"); %NULL or "" for none
 * @error: return location for a #GError
 *
 * Sets a channel's unit (units are guessed from field names and the kind
 * of instrument; the server does not say). Saved in the metadata.
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_capture_set_channel_unit (LablinkCapture  *self,
                                  guint            channel,
                                  const char      *unit,
                                  GError         **error)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);

  if (unit != NULL && !g_utf8_validate (unit, -1, NULL))
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT, _("The unit is not valid UTF-8"));
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  if (channel >= self->n_channels)
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_ARGUMENT, _("No channel %u"), channel);
      return FALSE;
    }
  g_free (self->units->pdata[channel]);
  self->units->pdata[channel] = g_strdup (unit ? unit : "");
  g_mutex_unlock (&self->lock);

  return lablink_capture_save_metadata_now (self, error);
}

/**
 * lablink_capture_get_time_range:
 * @self: a #LablinkCapture
 * @start_usec: (out) (optional): the first sample's time
 * @end_usec: (out) (optional): the last sample's time
 *
 * Returns: %FALSE if the capture is empty
 */
gboolean
lablink_capture_get_time_range (LablinkCapture *self,
                                gint64         *start_usec,
                                gint64         *end_usec)
{
  gboolean any;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), FALSE);
  g_mutex_lock (&self->lock);
  any = self->n_rows > 0;
  if (start_usec)
    *start_usec = any ? self->first_time : 0;
  if (end_usec)
    *end_usec = any ? self->last_time : 0;
  g_mutex_unlock (&self->lock);
  return any;
}

/**
 * lablink_capture_get_created_time:
 * @self: a #LablinkCapture
 *
 * Returns: when the capture was created, µs since the epoch
 */
gint64
lablink_capture_get_created_time (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), 0);
  return self->created;
}

/**
 * lablink_capture_get_gaps:
 * @self: a #LablinkCapture
 * @n_gaps: (out): the number of gaps
 *
 * Returns: (transfer full) (array length=n_gaps) (nullable): a copy of the
 *   gaps, oldest first
 */
LablinkCaptureGap *
lablink_capture_get_gaps (LablinkCapture *self,
                          guint          *n_gaps)
{
  LablinkCaptureGap *gaps;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), NULL);
  g_return_val_if_fail (n_gaps != NULL, NULL);

  g_mutex_lock (&self->lock);
  *n_gaps = self->gaps->len;
  gaps = self->gaps->len > 0 ? g_memdup2 (self->gaps->data, sizeof (LablinkCaptureGap) * self->gaps->len) : NULL;
  g_mutex_unlock (&self->lock);
  return gaps;
}

/**
 * lablink_capture_get_n_gaps:
 * @self: a #LablinkCapture
 *
 * Returns: the number of gaps
 */
guint
lablink_capture_get_n_gaps (LablinkCapture *self)
{
  guint n;

  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), 0);
  g_mutex_lock (&self->lock);
  n = self->gaps->len;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * lablink_capture_get_size_bytes:
 * @self: a #LablinkCapture
 *
 * Returns: the bytes the capture's files take on disk
 */
guint64
lablink_capture_get_size_bytes (LablinkCapture *self)
{
  g_return_val_if_fail (LABLINK_IS_CAPTURE (self), 0);
  return lablink_capture_directory_size (self->directory);
}
