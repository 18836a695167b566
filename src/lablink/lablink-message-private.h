/* lablink-message-private.h — the inside of a LablinkMessage
 *
 * Shared by lablink-message.c (the boxed type and its accessors),
 * lablink-message-decode.c (turning a frame's text into one) and
 * lablink-message-rest.c (REST answers into one).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "lablink-json-private.h"
#include "lablink-message.h"

G_BEGIN_DECLS

struct _LablinkMessage
{
  gatomicrefcount     ref_count;
  LablinkMessageType  type;
  const char         *type_name;   /* static for known types, else in the arena */
  LablinkJsonDoc      doc;         /* tokens and text live in this same block */
  gsize               text_length;
  GBytes             *bytes;       /* made on demand by get_bytes() */
  gint64              received;
  gboolean            naive_known;   /* the server's zone, when parsed (else the client's) */
  gint64              naive_offset;  /* µs east of UTC */

  /* In the arena at the end of this block. */
  char               *equipment_id;
  char               *stream_type;
  char               *acquisition_id;
  char               *stream_key;
  char               *detail;
  char               *arena;
  char               *arena_end;
  char               *owned_equipment_id;  /* events only */
  gint                root[8];      /* token of each ROOT_* member, or -1 */

  /* Waveform samples (stream_data/waveform with voltage_data). */
  double             *waveform;
  gsize               n_waveform;

  /* Acquisition window (acquisition_stream with data). */
  gsize               n_samples;
  guint               n_channels;
  char              **channel_names;
  gint64             *sample_times;
  double             *values;       /* n_channels × n_samples, channel-major */
  gsize               n_invalid;
  gint64             *invalid_after;  /* per dropped sample: the valid time before it */

  JsonNode           *node;         /* built lazily by get_node() */

  gsize               cost;         /* bytes held when decoded (lablink_message_get_cost()) */
};

/* Tokenizes, validates and decodes one frame of @length bytes (at most
 * @max_size, 0 for the default): one allocation holding header, tokens,
 * text and strings. */
LablinkMessage *lablink_message_parse_text (const char  *text,
                                            gsize        length,
                                            gsize        max_size,
                                            GError     **error);

/* REST answers as the messages a stream would carry (lablink-message-rest.c). */
LablinkMessage *lablink_message_parse_acquisition_answer (const char  *acquisition_id,
                                                          const char  *body,
                                                          gsize        length,
                                                          GError     **error);
LablinkMessage *lablink_message_parse_snapshot_answer    (const char  *equipment_id,
                                                          const char  *stream_type,
                                                          const char  *body,
                                                          gsize        length,
                                                          GError     **error);

/* The bytes the message held when decoded: its block (header, tokens,
 * text, strings) and its decoded sample arrays. */
gsize           lablink_message_get_cost   (LablinkMessage *self);

/* For tests: the tokens the calling thread's working array holds; it is
 * freed after a frame of more than 64 Ki tokens. */
guint           lablink_message_get_scratch_allocated (void);

/* The zone of naive timestamps (the server's local time) on this thread:
 * set around parsing what one server sent (lablink-message.c). Unknown:
 * the client's own zone, as before the server's clock was checked. */
typedef struct {
  gboolean known;
  gint64   offset_usec;   /* east of UTC */
} LablinkNaiveZone;

LablinkNaiveZone _lablink_naive_zone_push (gboolean          known,
                                           gint64            offset_usec);
void             _lablink_naive_zone_pop  (LablinkNaiveZone  previous);

G_END_DECLS
