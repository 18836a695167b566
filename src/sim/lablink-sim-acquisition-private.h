/* lablink-sim-acquisition-private.h — internals shared by the acquisition files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lablink-sim-acquisition.h"

G_BEGIN_DECLS

typedef enum {
  MODE_CONTINUOUS,
  MODE_SINGLE_SHOT,
  MODE_TRIGGERED,
} Mode;

static const char * const mode_names[] = { "continuous", "single_shot", "triggered" };

typedef enum {
  TRIGGER_IMMEDIATE,
  TRIGGER_LEVEL,
  TRIGGER_EDGE,
} TriggerType;

static const char * const trigger_names[] = { "immediate", "level", "edge" };

typedef enum {
  EDGE_RISING,
  EDGE_FALLING,
  EDGE_EITHER,
} Edge;

static const char * const edge_names[] = { "rising", "falling", "either" };

typedef struct {
  double sum;
  double min;
  double max;
} ChannelStats;

/* JSON spellings of LablinkSimAcquisitionState, indexed by it */
static const char * const state_names[] = {
  "idle", "waiting_trigger", "acquiring", "paused", "stopped", "error",
};

/* see LablinkSimAcquisition in lablink-sim-acquisition.c */
struct _LablinkSimAcquisition
{
  GObject parent_instance;

  char                 *id;
  LablinkSimInstrument *instrument;

  /* config */
  char         *name;
  char         *description;
  Mode          mode;
  double        sample_rate;
  gint64        num_samples;       /* 0 = null */
  double        duration_seconds;  /* 0 = null */
  GStrv         channels;
  guint         n_channels;
  guint        *channel_index;
  TriggerType   trigger_type;
  gboolean      has_trigger_level;
  double        trigger_level;
  gboolean      has_trigger_edge;
  Edge          trigger_edge;
  char         *trigger_channel;
  guint         trigger_index;
  guint         buffer_size;

  /* state */
  LablinkSimAcquisitionState state;
  gint64        created_at;
  gint64        started_at;
  gint64        stopped_at;
  GSource      *timer;
  gint64        base_mono;
  gint64        base_real;
  guint64       n_since_base;
  gint64        last_timestamp;
  gboolean      have_previous_trigger_value;
  double        previous_trigger_value;

  /* ring buffer */
  gint64       *times;
  double       *values;   /* buffer_size × n_channels */
  guint         head;     /* oldest */
  guint         length;

  /* stats */
  guint64       total_samples;
  guint64       buffer_overruns;
  ChannelStats *stats;

  /* what was generated, for tests; guarded by generated_lock */
  GMutex        generated_lock;
  guint64       generated_count;
  GArray       *generated_times;
};

G_END_DECLS
