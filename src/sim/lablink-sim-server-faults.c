/* lablink-sim-server-faults.c — the simulated server's fault injection:
 * hostile frames, floods, dropping every connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lablink-sim-server-private.h"

#define HOSTILE_NESTING_DEPTH 10000
#define HOSTILE_BIG_SAMPLES   (1024 * 1024)   /* "0," each: a frame of about 2 MiB */
#define HOSTILE_BIG_STREAMS   4
#define N_HOSTILE_KINDS       6

/* ------------------------------------------------------------------------ */
/* Hostile frames                                                            */

gboolean
lablink_sim_hostile_kinds_from_string (const char             *text,
                                       LablinkSimHostileKinds *kinds,
                                       GError                **error)
{
  static const struct { const char *name; LablinkSimHostileKinds kind; } names[] = {
    { "bad-json", LABLINK_SIM_HOSTILE_BAD_JSON },
    { "non-utf8", LABLINK_SIM_HOSTILE_NON_UTF8 },
    { "wrong-types", LABLINK_SIM_HOSTILE_WRONG_TYPES },
    { "unknown-type", LABLINK_SIM_HOSTILE_UNKNOWN_TYPE },
    { "deep-nesting", LABLINK_SIM_HOSTILE_DEEP_NESTING },
    { "big-frames", LABLINK_SIM_HOSTILE_BIG_FRAMES },
    { "all", LABLINK_SIM_HOSTILE_ALL },
  };
  g_auto(GStrv) parts = NULL;
  guint result = 0;
  guint i, j;

  g_return_val_if_fail (text != NULL && kinds != NULL, FALSE);

  parts = g_strsplit (text, ",", -1);
  for (i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);
      gboolean found = FALSE;

      if (*part == '\0')
        continue;
      for (j = 0; j < G_N_ELEMENTS (names); j++)
        if (g_ascii_strcasecmp (part, names[j].name) == 0)
          {
            result |= names[j].kind;
            found = TRUE;
          }
      if (!found)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Unknown hostile frame kind “%s” (expected bad-json, non-utf8, "
                       "wrong-types, unknown-type, deep-nesting, big-frames or all)", part);
          return FALSE;
        }
    }

  if (result == 0)
    result = LABLINK_SIM_HOSTILE_ALL;
  *kinds = (LablinkSimHostileKinds) result;
  return TRUE;
}

static GBytes *
build_hostile_frame (LablinkSimServer *self,
                     LablinkSimHostileKinds kind,
                     guint             variant)
{
  switch (kind)
    {
    case LABLINK_SIM_HOSTILE_BAD_JSON:
      {
        static const char * const texts[] = {
          "{\"type\": \"stream_data\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", \"data\": {\"voltage_actual\": 5.0,",
          "this is not json",
          "{\"type\": \"stream_data\" \"equipment_id\": \"ps_250e6dfe\"}",
          "",
        };
        const char *text = texts[variant % G_N_ELEMENTS (texts)];

        return g_bytes_new_static (text, strlen (text));
      }

    case LABLINK_SIM_HOSTILE_NON_UTF8:
      {
        static const char text[] =
          "{\"type\": \"stream_data\", \"equipment_id\": \"ps_\xff\xfe\xc3\x28\", \"stream_type\": \"readings\", \"data\": {}}";

        return g_bytes_new_static (text, sizeof text - 1);
      }

    case LABLINK_SIM_HOSTILE_WRONG_TYPES:
      {
        static const char * const texts[] = {
          "{\"type\": \"stream_data\", \"equipment_id\": 42, \"stream_type\": [\"readings\"], \"data\": \"not an object\"}",
          "{\"type\": \"stream_data\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", \"data\": {\"equipment_id\": \"ps_250e6dfe\", \"timestamp\": 12345, \"channel\": \"one\", \"voltage_actual\": \"5.0\", \"current_actual\": null, \"output_enabled\": \"yes\"}}",
          "{\"type\": \"acquisition_stream\", \"acquisition_id\": null, \"state\": 7, \"stats\": [], \"data\": {\"timestamps\": \"x\", \"values\": 3, \"count\": \"many\"}}",
          "{\"type\": 7, \"detail\": false}",
          "{\"type\": \"stream_data\", \"equipment_id\": \"scope_386959fc\", \"stream_type\": \"waveform\", \"data\": {\"num_samples\": -5, \"voltage_data\": [1, \"two\", null, {}]}}",
        };
        const char *text = texts[variant % G_N_ELEMENTS (texts)];

        return g_bytes_new_static (text, strlen (text));
      }

    case LABLINK_SIM_HOSTILE_UNKNOWN_TYPE:
      {
        static const char text[] = "{\"type\": \"sim_mystery_event\", \"payload\": {\"x\": 1, \"y\": [true, null]}}";

        return g_bytes_new_static (text, sizeof text - 1);
      }

    case LABLINK_SIM_HOSTILE_BIG_FRAMES:
      {
        GString *out = g_string_sized_new (2 * HOSTILE_BIG_SAMPLES + 256);
        guint stream = variant % HOSTILE_BIG_STREAMS;
        guint i;

        g_string_append_printf (out,
                                "{\"type\": \"stream_data\", \"equipment_id\": \"hostile_%u\", "
                                "\"stream_type\": \"waveform\", \"data\": {\"equipment_id\": \"hostile_%u\", "
                                "\"num_samples\": %u, \"voltage_data\": [",
                                stream, stream, HOSTILE_BIG_SAMPLES);
        for (i = 0; i < HOSTILE_BIG_SAMPLES; i++)
          g_string_append (out, i == 0 ? "0" : ",0");
        g_string_append (out, "]}}");
        return lablink_sim_string_to_bytes (out);
      }

    case LABLINK_SIM_HOSTILE_DEEP_NESTING:
    default:
      {
        GString *out = g_string_sized_new (2 * HOSTILE_NESTING_DEPTH + 128);
        guint i;

        g_string_append (out, "{\"type\": \"stream_data\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", \"data\": ");
        for (i = 0; i < HOSTILE_NESTING_DEPTH; i++)
          g_string_append_c (out, '[');
        for (i = 0; i < HOSTILE_NESTING_DEPTH; i++)
          g_string_append_c (out, ']');
        g_string_append_c (out, '}');
        return lablink_sim_string_to_bytes (out);
      }
    }
}

static gboolean
hostile_cb (gpointer user_data)
{
  LablinkSimServer *self = user_data;
  guint i;

  if (self->clients == NULL)
    return G_SOURCE_CONTINUE;

  for (i = 0; i < N_HOSTILE_KINDS; i++)
    {
      LablinkSimHostileKinds kind = 1u << ((self->hostile_index + i) % N_HOSTILE_KINDS);

      if (self->hostile_kinds & kind)
        {
          g_autoptr(GBytes) bytes = build_hostile_frame (self, kind, (self->hostile_index + i) / N_HOSTILE_KINDS);

          self->hostile_index += i + 1;
          lablink_sim_server_broadcast (self, bytes, kind == LABLINK_SIM_HOSTILE_NON_UTF8);
          break;
        }
    }
  return G_SOURCE_CONTINUE;
}

/* (Re)starts the hostile frames at the current rate (none at 0). */
void
lablink_sim_server_update_hostile (LablinkSimServer *self)
{
  lablink_sim_clear_source (&self->hostile_source);
  if (self->hostile_rate > 0.0 && !self->stopped)
    self->hostile_source = lablink_sim_server_attach_timeout (self,
                                                              (guint) CLAMP (1000.0 / self->hostile_rate, 1.0, 3600e3),
                                                              hostile_cb, self, "[lablink-sim] hostile");
}

/* ------------------------------------------------------------------------ */
/* Flood                                                                     */

static GString *
build_flood_frame (LablinkSimServer *self,
                   guint64           seq)
{
  GString *out = g_string_sized_new (400);
  LablinkSimJson w;
  double v = 5.0 + 0.0008 * (g_rand_double (self->rand) * 2.0 - 1.0);
  double i = 0.5 + 0.0001 * (g_rand_double (self->rand) * 2.0 - 1.0);

  lablink_sim_server_init_ws_writer (self, &w, out);
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "type", "stream_data");
  lablink_sim_json_member_string (&w, "equipment_id", "flood");
  lablink_sim_json_member_string (&w, "stream_type", "readings");
  lablink_sim_json_key (&w, "data");
  lablink_sim_json_begin_object (&w);
  lablink_sim_json_member_string (&w, "equipment_id", "flood");
  lablink_sim_json_member_timestamp (&w, "timestamp", g_get_real_time ());
  lablink_sim_json_member_int (&w, "channel", 1);
  lablink_sim_json_member_double (&w, "voltage_set", 5.0);
  lablink_sim_json_member_double (&w, "current_set", 1.0);
  lablink_sim_json_member_double (&w, "voltage_actual", v);
  lablink_sim_json_member_double (&w, "current_actual", i);
  lablink_sim_json_member_boolean (&w, "output_enabled", TRUE);
  lablink_sim_json_member_boolean (&w, "in_cv_mode", TRUE);
  lablink_sim_json_member_boolean (&w, "in_cc_mode", FALSE);
  lablink_sim_json_member_int (&w, "seq", (gint64) seq);
  lablink_sim_json_end_object (&w);
  lablink_sim_json_end_object (&w);
  return out;
}

static void
flood_send (LablinkSimServer *self,
            guint64           n)
{
  while (n-- > 0 && self->flood_target > 0 && self->clients != NULL)
    {
      guint64 seq;

      g_mutex_lock (&self->lock);
      seq = ++self->flood_sent;
      g_mutex_unlock (&self->lock);

      lablink_sim_server_broadcast_string (self, build_flood_frame (self, seq));
      if (self->flood_target != G_MAXUINT64)
        self->flood_target--;
    }
}

static gboolean
flood_cb (gpointer user_data)
{
  LablinkSimServer *self = user_data;
  guint64 sent_since_base;

  if (self->clients == NULL)
    {
      /* nobody listening: hold (no backlog builds up) */
      self->flood_base_mono = g_get_monotonic_time ();
      self->flood_base_sent = self->flood_sent;
      return G_SOURCE_CONTINUE;
    }

  if (self->flood_rate == 0)
    flood_send (self, 256);
  else
    {
      double elapsed = (double) (g_get_monotonic_time () - self->flood_base_mono) / G_USEC_PER_SEC;
      guint64 due = (guint64) floor (elapsed * self->flood_rate) + 1;

      sent_since_base = self->flood_sent - self->flood_base_sent;
      if (due > sent_since_base)
        flood_send (self, MIN (due - sent_since_base, 100000));
    }

  if (self->flood_target == 0)
    {
      g_debug ("flood done (%" G_GUINT64_FORMAT " frames sent in all)", self->flood_sent);
      g_clear_pointer (&self->flood_source, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

void
lablink_sim_server_cancel_flood (LablinkSimServer *self)
{
  lablink_sim_clear_source (&self->flood_source);
  self->flood_target = 0;
}

static void
flood_start (LablinkSimServer *self,
             guint             n_frames,
             guint             rate_hz)
{
  lablink_sim_server_cancel_flood (self);
  if (self->stopped)
    return;

  self->flood_target = n_frames == 0 ? G_MAXUINT64 : n_frames;
  self->flood_rate = rate_hz;
  self->flood_base_mono = g_get_monotonic_time ();
  self->flood_base_sent = self->flood_sent;

  /* rate 0: batches of 256 frames every millisecond */
  self->flood_source = g_timeout_source_new (rate_hz == 0 ? 1 : (guint) CLAMP (1000 / rate_hz, 1, 50));
  g_source_set_name (self->flood_source, "[lablink-sim] flood");
  g_source_set_callback (self->flood_source, flood_cb, self, NULL);
  g_source_attach (self->flood_source, lablink_sim_server_get_context (self));
}

static gboolean
flood_invoke_cb (gpointer user_data)
{
  SimInvocation *inv = user_data;

  flood_start (inv->server, inv->a, inv->b);
  return G_SOURCE_REMOVE;
}

/**
 * lablink_sim_server_flood:
 * @self: a server
 * @n_frames: how many frames (0 = until lablink_sim_server_stop_flood())
 * @rate_hz: frames per second (0 = as fast as possible)
 *
 * Fault: broadcasts PSU `readings` `stream_data` frames for the stream key
 * `flood_readings` (equipment id "flood"), byte-shaped like the real
 * server's, each with an extra increasing `"seq": N` (1, 2, …, global to the
 * server) at the end of `data`. Replaces a running flood. The flood only
 * advances while at least one client is connected. Thread-safe.
 */
void
lablink_sim_server_flood (LablinkSimServer *self,
                          guint             n_frames,
                          guint             rate_hz)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  lablink_sim_server_invoke (self, flood_invoke_cb, n_frames, rate_hz, NULL);
}

static gboolean
flood_stop_invoke_cb (gpointer user_data)
{
  SimInvocation *inv = user_data;

  lablink_sim_server_cancel_flood (inv->server);
  return G_SOURCE_REMOVE;
}

/**
 * lablink_sim_server_stop_flood:
 * @self: a server
 *
 * Stops a flood. Thread-safe.
 */
void
lablink_sim_server_stop_flood (LablinkSimServer *self)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  lablink_sim_server_invoke (self, flood_stop_invoke_cb, 0, 0, NULL);
}

/**
 * lablink_sim_server_get_flood_sent:
 * @self: a server
 *
 * Returns: how many flood frames were broadcast so far (the last `seq`).
 *   Thread-safe.
 */
guint64
lablink_sim_server_get_flood_sent (LablinkSimServer *self)
{
  guint64 n;

  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), 0);

  g_mutex_lock (&self->lock);
  n = self->flood_sent;
  g_mutex_unlock (&self->lock);
  return n;
}

/* ------------------------------------------------------------------------ */
/* Dropping every connection                                                 */

static gboolean
drop_invoke_cb (gpointer user_data)
{
  SimInvocation *inv = user_data;

  lablink_sim_server_drop_all (inv->server, TRUE, 0);
  return G_SOURCE_REMOVE;
}

/**
 * lablink_sim_server_drop_connections:
 * @self: a server
 *
 * Drops every WebSocket connection now (TCP shutdown, no close frame) and
 * starts the refusal window of #LablinkSimServer:refuse-ms. Thread-safe.
 */
void
lablink_sim_server_drop_connections (LablinkSimServer *self)
{
  g_return_if_fail (LABLINK_SIM_IS_SERVER (self));
  lablink_sim_server_invoke (self, drop_invoke_cb, 0, 0, NULL);
}

/* ------------------------------------------------------------------------ */
/* Introspection for the debug REST routes                                   */

void
lablink_sim_server_write_faults (LablinkSimServer *self,
                                 LablinkSimJson   *w)
{
  lablink_sim_json_begin_object (w);
  lablink_sim_json_member_int (w, "drop_after_messages", self->drop_after_messages);
  lablink_sim_json_member_int (w, "drop_after_ms", self->drop_after_ms);
  lablink_sim_json_member_int (w, "refuse_ms", self->refuse_ms);
  lablink_sim_json_member_int (w, "latency_ms", self->latency_ms);
  lablink_sim_json_member_double (w, "hostile_rate", self->hostile_rate);
  lablink_sim_json_member_int (w, "hostile_kinds", self->hostile_kinds);
  lablink_sim_json_end_object (w);
}
