/* lablink-message.c — one decoded LabLink protocol message
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lablink-error.h"
#include "lablink-json-private.h"
#include "lablink-message.h"
#include "lablink-protocol.h"

struct _LablinkMessage
{
  gatomicrefcount     ref_count;
  LablinkMessageType  type;
  const char         *type_name;   /* static for known types, else in the arena */
  LablinkJsonDoc      doc;         /* tokens and text live in this same block */
  gsize               text_length;
  GBytes             *bytes;       /* made on demand by get_bytes() */
  gint64              received;

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

  JsonNode           *node;         /* built lazily by get_node() */
};

G_DEFINE_BOXED_TYPE (LablinkMessage, lablink_message, lablink_message_ref, lablink_message_unref)

static const struct {
  const char         *name;
  LablinkMessageType  type;
} known_types[] = {
  { "stream_data", LABLINK_MESSAGE_STREAM_DATA },
  { "acquisition_stream", LABLINK_MESSAGE_ACQUISITION_STREAM },
  { "stream_started", LABLINK_MESSAGE_STREAM_STARTED },
  { "stream_stopped", LABLINK_MESSAGE_STREAM_STOPPED },
  { "acquisition_stream_started", LABLINK_MESSAGE_ACQUISITION_STREAM_STARTED },
  { "acquisition_stream_stopped", LABLINK_MESSAGE_ACQUISITION_STREAM_STOPPED },
  { "pong", LABLINK_MESSAGE_PONG },
  { "ping", LABLINK_MESSAGE_PING },
  { "error", LABLINK_MESSAGE_ERROR },
  { "start_stream", LABLINK_MESSAGE_START_STREAM },
  { "stop_stream", LABLINK_MESSAGE_STOP_STREAM },
  { "start_acquisition_stream", LABLINK_MESSAGE_START_ACQUISITION_STREAM },
  { "stop_acquisition_stream", LABLINK_MESSAGE_STOP_ACQUISITION_STREAM },
  { "alarm", LABLINK_MESSAGE_EVENT },
  { "alarm_event", LABLINK_MESSAGE_EVENT },
  { "alarm_updated", LABLINK_MESSAGE_EVENT },
  { "alarm_cleared", LABLINK_MESSAGE_EVENT },
  { "job_created", LABLINK_MESSAGE_EVENT },
  { "job_updated", LABLINK_MESSAGE_EVENT },
  { "job_deleted", LABLINK_MESSAGE_EVENT },
  { "job_started", LABLINK_MESSAGE_EVENT },
  { "job_completed", LABLINK_MESSAGE_EVENT },
  { "job_failed", LABLINK_MESSAGE_EVENT },
  { "discovery_progress", LABLINK_MESSAGE_EVENT },
};

/* The root members every decoder needs, found in one pass. */
enum {
  ROOT_TYPE,
  ROOT_DATA,
  ROOT_STATE,
  ROOT_STATS,
  ROOT_DETAIL,
  ROOT_STREAM_TYPE,
  ROOT_EQUIPMENT_ID,
  ROOT_ACQUISITION_ID,
};

static gint
root_slot (const LablinkJsonDoc *doc,
           gint                  key)
{
  const LablinkJsonToken *t = &doc->tokens[key];
  const char *k = doc->text + t->start;
  gsize length = t->length;
  g_autofree char *decoded = NULL;

  if (G_UNLIKELY (t->flags & LABLINK_JSON_FLAG_ESCAPED))
    {
      decoded = lablink_json_doc_dup_string (doc, key);
      k = decoded;
      length = strlen (decoded);
    }

#define IS(lit) (length == sizeof lit - 1 && memcmp (k, lit, sizeof lit - 1) == 0)
  switch (length)
    {
    case 4: return IS ("type") ? ROOT_TYPE : IS ("data") ? ROOT_DATA : -1;
    case 5: return IS ("state") ? ROOT_STATE : IS ("stats") ? ROOT_STATS : -1;
    case 6: return IS ("detail") ? ROOT_DETAIL : -1;
    case 11: return IS ("stream_type") ? ROOT_STREAM_TYPE : -1;
    case 12: return IS ("equipment_id") ? ROOT_EQUIPMENT_ID : -1;
    case 14: return IS ("acquisition_id") ? ROOT_ACQUISITION_ID : -1;
    default: return -1;
    }
#undef IS
}

typedef enum {
  FIELD_OTHER,
  FIELD_NUMBER,
  FIELD_BOOLEAN,
  FIELD_STRING,
} FieldKind;

/* Fields whose JSON type we check when present in stream data: a wrong type
 * there is a broken frame, not a value to display. */
static const struct {
  const char *name;
  guint8      length;
  FieldKind   kind;
} data_fields[] = {
#define F(n, k) { n, sizeof n - 1, k }
  F ("voltage_set", FIELD_NUMBER), F ("current_set", FIELD_NUMBER),
  F ("voltage_actual", FIELD_NUMBER), F ("current_actual", FIELD_NUMBER),
  F ("setpoint", FIELD_NUMBER), F ("voltage", FIELD_NUMBER), F ("current", FIELD_NUMBER),
  F ("power", FIELD_NUMBER), F ("vpp", FIELD_NUMBER), F ("vmax", FIELD_NUMBER),
  F ("vmin", FIELD_NUMBER), F ("vavg", FIELD_NUMBER), F ("vrms", FIELD_NUMBER),
  F ("freq", FIELD_NUMBER), F ("period", FIELD_NUMBER), F ("sample_rate", FIELD_NUMBER),
  F ("time_scale", FIELD_NUMBER), F ("voltage_scale", FIELD_NUMBER),
  F ("voltage_offset", FIELD_NUMBER), F ("channel", FIELD_NUMBER), F ("num_samples", FIELD_NUMBER),
  F ("output_enabled", FIELD_BOOLEAN), F ("in_cv_mode", FIELD_BOOLEAN),
  F ("in_cc_mode", FIELD_BOOLEAN), F ("load_enabled", FIELD_BOOLEAN),
  F ("equipment_id", FIELD_STRING), F ("timestamp", FIELD_STRING), F ("mode", FIELD_STRING),
  F ("data_id", FIELD_STRING),
#undef F
};

static FieldKind
classify_field (const LablinkJsonDoc *doc,
                gint                  key)
{
  const LablinkJsonToken *t = &doc->tokens[key];
  const char *name = doc->text + t->start;
  gsize length = t->length;
  g_autofree char *decoded = NULL;
  gsize i;

  if (G_UNLIKELY (t->flags & LABLINK_JSON_FLAG_ESCAPED))
    {
      decoded = lablink_json_doc_dup_string (doc, key);
      name = decoded;
      length = strlen (decoded);
    }
  if (length == 0)
    return FIELD_OTHER;
  for (i = 0; i < G_N_ELEMENTS (data_fields); i++)
    if (data_fields[i].length == length && name[0] == data_fields[i].name[0] &&
        memcmp (name, data_fields[i].name, length) == 0)
      return data_fields[i].kind;
  return FIELD_OTHER;
}

static gboolean
invalid (GError    **error,
         const char *type,
         const char *field,
         const char *expected)
{
  g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
               "Invalid “%s” message: field “%s” must be %s", type, field, expected);
  return FALSE;
}

static char *
arena_alloc (LablinkMessage *self,
             gsize           size)
{
  char *p = self->arena;

  g_assert (size <= (gsize) (self->arena_end - self->arena));
  self->arena += size;
  return p;
}

/* Copies (decoding escapes) a string token into the arena. */
static char *
arena_string (LablinkMessage *self,
              gint            tok)
{
  const LablinkJsonToken *t = &self->doc.tokens[tok];
  char *out;

  if (t->flags & LABLINK_JSON_FLAG_ESCAPED)
    {
      g_autofree char *decoded = lablink_json_doc_dup_string (&self->doc, tok);
      gsize len = strlen (decoded);

      out = arena_alloc (self, len + 1);
      memcpy (out, decoded, len + 1);
    }
  else
    {
      out = arena_alloc (self, t->length + 1);
      memcpy (out, self->doc.text + t->start, t->length);
      out[t->length] = '\0';
    }
  return out;
}

static char *
arena_concat (LablinkMessage *self,
              const char     *a,
              const char     *b,
              const char     *c)
{
  gsize la = strlen (a), lb = strlen (b), lc = strlen (c);
  char *out = arena_alloc (self, la + lb + lc + 1);

  memcpy (out, a, la);
  memcpy (out + la, b, lb);
  memcpy (out + la + lb, c, lc + 1);
  return out;
}

static gboolean
take_string (LablinkMessage  *self,
             gint             slot,
             const char      *field,
             gboolean         required,
             char           **out,
             GError         **error)
{
  gint tok = self->root[slot];

  if (tok < 0 || self->doc.tokens[tok].type == LABLINK_JSON_NULL)
    {
      if (required)
        return invalid (error, self->type_name, field, "a string");
      return TRUE;
    }
  if (self->doc.tokens[tok].type != LABLINK_JSON_STRING)
    return invalid (error, self->type_name, field, "a string");

  *out = arena_string (self, tok);
  return TRUE;
}

static gboolean
check_types (LablinkMessage  *self,
             gint             object,
             const char      *prefix,
             GError         **error)
{
  const LablinkJsonDoc *doc = &self->doc;
  gint k = object + 1;
  guint i;

  for (i = 0; i < doc->tokens[object].count; i++)
    {
      gint v = k + 1;
      guint8 type = doc->tokens[v].type;
      FieldKind kind = classify_field (doc, k);
      const char *expected = NULL;

      if (type != LABLINK_JSON_NULL)
        {
          if (kind == FIELD_NUMBER && type != LABLINK_JSON_NUMBER)
            expected = "a number";
          else if (kind == FIELD_BOOLEAN && type != LABLINK_JSON_TRUE && type != LABLINK_JSON_FALSE)
            expected = "a boolean";
          else if (kind == FIELD_STRING && type != LABLINK_JSON_STRING)
            expected = "a string";
        }

      if (expected != NULL)
        {
          g_autofree char *key = lablink_json_doc_dup_string (doc, k);
          g_autofree char *name = g_strconcat (prefix, key, NULL);
          return invalid (error, self->type_name, name, expected);
        }
      k = (gint) doc->tokens[v].next;
    }

  return TRUE;
}

/* Decodes a JSON array of numbers (null → NaN) into a new buffer. */
static gboolean
decode_numbers (LablinkMessage  *self,
                gint             array,
                const char      *field,
                double         **out,
                gsize           *n_out,
                GError         **error)
{
  const LablinkJsonDoc *doc = &self->doc;
  const LablinkJsonToken *t = &doc->tokens[array];
  double *values;
  gint child;
  guint i;

  if (t->type != LABLINK_JSON_ARRAY)
    return invalid (error, self->type_name, field, "an array of numbers");

  values = g_new (double, MAX (t->count, 1));
  child = lablink_json_doc_first_child (doc, array);
  for (i = 0; i < t->count; i++)
    {
      guint8 type = doc->tokens[child].type;

      if (type == LABLINK_JSON_NUMBER)
        lablink_json_doc_get_double (doc, child, &values[i]);
      else if (type == LABLINK_JSON_NULL)
        values[i] = NAN;
      else
        {
          g_free (values);
          return invalid (error, self->type_name, field, "an array of numbers");
        }
      child = (gint) doc->tokens[child].next;
    }

  *out = values;
  *n_out = t->count;
  return TRUE;
}

static gboolean
decode_stream_data (LablinkMessage  *self,
                    GError         **error)
{
  gint data;

  if (!take_string (self, ROOT_EQUIPMENT_ID, "equipment_id", TRUE, &self->equipment_id, error) ||
      !take_string (self, ROOT_STREAM_TYPE, "stream_type", TRUE, &self->stream_type, error))
    return FALSE;

  self->stream_key = arena_concat (self, self->equipment_id, "_", self->stream_type);

  data = self->root[ROOT_DATA];
  if (data < 0 || self->doc.tokens[data].type != LABLINK_JSON_OBJECT)
    return invalid (error, self->type_name, "data", "an object");

  if (!check_types (self, data, "data.", error))
    return FALSE;

  if (strcmp (self->stream_type, LABLINK_STREAM_WAVEFORM) == 0)
    {
      gint samples = lablink_json_doc_member (&self->doc, data, "voltage_data", 12);

      if (samples >= 0 && self->doc.tokens[samples].type != LABLINK_JSON_NULL &&
          !decode_numbers (self, samples, "data.voltage_data", &self->waveform, &self->n_waveform, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
decode_acquisition_stream (LablinkMessage  *self,
                           GError         **error)
{
  const LablinkJsonDoc *doc = &self->doc;
  gint data, stats, timestamps, values, child, k;
  guint i;

  if (!take_string (self, ROOT_ACQUISITION_ID, "acquisition_id", TRUE, &self->acquisition_id, error))
    return FALSE;
  self->stream_key = arena_concat (self, "acquisition_", self->acquisition_id, "");

  k = self->root[ROOT_STATE];
  if (k >= 0 && doc->tokens[k].type != LABLINK_JSON_STRING && doc->tokens[k].type != LABLINK_JSON_NULL)
    return invalid (error, self->type_name, "state", "a string");

  stats = self->root[ROOT_STATS];
  if (stats >= 0 && doc->tokens[stats].type != LABLINK_JSON_OBJECT && doc->tokens[stats].type != LABLINK_JSON_NULL)
    return invalid (error, self->type_name, "stats", "an object");

  data = self->root[ROOT_DATA];
  if (data < 0 || doc->tokens[data].type == LABLINK_JSON_NULL)
    return TRUE;  /* the server's buffer is still empty */
  if (doc->tokens[data].type != LABLINK_JSON_OBJECT)
    return invalid (error, self->type_name, "data", "an object or null");

  timestamps = lablink_json_doc_member (doc, data, "timestamps", 10);
  values = lablink_json_doc_member (doc, data, "values", 6);
  if (timestamps < 0 || doc->tokens[timestamps].type != LABLINK_JSON_ARRAY)
    return invalid (error, self->type_name, "data.timestamps", "an array of timestamps");
  if (values < 0 || doc->tokens[values].type != LABLINK_JSON_OBJECT)
    return invalid (error, self->type_name, "data.values", "an object of arrays");

  self->n_samples = doc->tokens[timestamps].count;
  self->sample_times = g_new (gint64, MAX (self->n_samples, 1));
  child = lablink_json_doc_first_child (doc, timestamps);
  for (i = 0; i < self->n_samples; i++)
    {
      const LablinkJsonToken *t = &doc->tokens[child];

      if (t->type == LABLINK_JSON_STRING)
        {
          if (!lablink_parse_timestamp (doc->text + t->start, t->length, &self->sample_times[i]))
            return invalid (error, self->type_name, "data.timestamps", "an array of ISO-8601 timestamps");
        }
      else if (t->type == LABLINK_JSON_NUMBER)
        {
          double secs = 0;
          lablink_json_doc_get_double (doc, child, &secs);
          if (!isfinite (secs))
            return invalid (error, self->type_name, "data.timestamps", "an array of timestamps");
          self->sample_times[i] = (gint64) llround (secs * G_USEC_PER_SEC);
        }
      else
        return invalid (error, self->type_name, "data.timestamps", "an array of timestamps");
      child = (gint) t->next;
    }

  self->n_channels = doc->tokens[values].count;
  self->channel_names = g_new0 (char *, self->n_channels + 1);
  self->values = g_new (double, MAX ((gsize) self->n_channels * self->n_samples, 1));
  k = values + 1;
  for (i = 0; i < self->n_channels; i++)
    {
      gint v = k + 1;
      g_autofree double *column = NULL;
      gsize n = 0;

      self->channel_names[i] = lablink_json_doc_dup_string (doc, k);
      if (!decode_numbers (self, v, "data.values", &column, &n, error))
        return FALSE;
      if (n != self->n_samples)
        {
          g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                       "Invalid “%s” message: channel “%s” has %" G_GSIZE_FORMAT " values for %" G_GSIZE_FORMAT " timestamps",
                       self->type_name, self->channel_names[i], n, self->n_samples);
          return FALSE;
        }
      if (n > 0)
        memcpy (self->values + (gsize) i * self->n_samples, column, n * sizeof (double));
      k = (gint) doc->tokens[v].next;
    }

  return TRUE;
}

static gboolean
check_number_member (LablinkMessage  *self,
                     const char      *field,
                     GError         **error)
{
  gint tok = lablink_json_doc_member (&self->doc, 0, field, strlen (field));

  if (tok >= 0 && self->doc.tokens[tok].type != LABLINK_JSON_NUMBER)
    return invalid (error, self->type_name, field, "a number");
  return TRUE;
}

static gboolean
decode (LablinkMessage  *self,
        GError         **error)
{
  switch (self->type)
    {
    case LABLINK_MESSAGE_STREAM_DATA:
      return decode_stream_data (self, error);

    case LABLINK_MESSAGE_ACQUISITION_STREAM:
      return decode_acquisition_stream (self, error);

    case LABLINK_MESSAGE_STREAM_STARTED:
    case LABLINK_MESSAGE_STREAM_STOPPED:
    case LABLINK_MESSAGE_START_STREAM:
    case LABLINK_MESSAGE_STOP_STREAM:
      if (!take_string (self, ROOT_EQUIPMENT_ID, "equipment_id", TRUE, &self->equipment_id, error) ||
          !take_string (self, ROOT_STREAM_TYPE, "stream_type", TRUE, &self->stream_type, error))
        return FALSE;
      self->stream_key = arena_concat (self, self->equipment_id, "_", self->stream_type);
      if (self->type == LABLINK_MESSAGE_START_STREAM)
        return check_number_member (self, "interval_ms", error);
      return TRUE;

    case LABLINK_MESSAGE_ACQUISITION_STREAM_STARTED:
    case LABLINK_MESSAGE_ACQUISITION_STREAM_STOPPED:
    case LABLINK_MESSAGE_START_ACQUISITION_STREAM:
    case LABLINK_MESSAGE_STOP_ACQUISITION_STREAM:
      if (!take_string (self, ROOT_ACQUISITION_ID, "acquisition_id", TRUE, &self->acquisition_id, error))
        return FALSE;
      self->stream_key = arena_concat (self, "acquisition_", self->acquisition_id, "");
      if (self->type == LABLINK_MESSAGE_START_ACQUISITION_STREAM)
        return check_number_member (self, "interval_ms", error) &&
               check_number_member (self, "num_samples", error);
      return TRUE;

    case LABLINK_MESSAGE_ERROR:
      if (!take_string (self, ROOT_DETAIL, "detail", FALSE, &self->detail, error))
        return FALSE;
      if (self->detail == NULL)
        self->detail = arena_concat (self, "", "", "");
      return TRUE;

    case LABLINK_MESSAGE_EVENT:
      /* Unsolicited events: equipment_id is informative when present. */
      {
        gint data = self->root[ROOT_DATA];
        gint obj = (data >= 0 && self->doc.tokens[data].type == LABLINK_JSON_OBJECT) ? data : 0;
        gint tok = lablink_json_doc_member (&self->doc, obj, "equipment_id", 12);
        if (tok >= 0 && self->doc.tokens[tok].type == LABLINK_JSON_STRING)
          self->equipment_id = self->owned_equipment_id = lablink_json_doc_dup_string (&self->doc, tok);
      }
      return TRUE;

    case LABLINK_MESSAGE_PONG:
    case LABLINK_MESSAGE_PING:
    case LABLINK_MESSAGE_UNKNOWN:
    default:
      return TRUE;
    }
}

static void
lablink_message_free (LablinkMessage *self)
{
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->owned_equipment_id);
  g_free (self->waveform);
  g_strfreev (self->channel_names);
  g_free (self->sample_times);
  g_free (self->values);
  g_clear_pointer (&self->node, json_node_unref);
  g_free (self);  /* tokens, text and strings live in the same block */
}

static void
scratch_free (gpointer data)
{
  LablinkJsonDoc *doc = data;

  lablink_json_doc_clear (doc);
  g_free (doc);
}

static GPrivate scratch_key = G_PRIVATE_INIT (scratch_free);

/* The tokenizer's working array, reused by each thread: a message is then
 * one allocation (header, tokens, text and strings in one block), which
 * matters when frames are made on one thread and freed on another. */
static LablinkJsonDoc *
scratch_doc (void)
{
  LablinkJsonDoc *doc = g_private_get (&scratch_key);

  if (G_UNLIKELY (doc == NULL))
    {
      doc = g_new0 (LablinkJsonDoc, 1);
      g_private_set (&scratch_key, doc);
    }
  return doc;
}

/* One pass over the root: where each member every decoder needs is, and
 * how much the arena needs for the strings copied from them (ids, type,
 * detail, and the stream keys made of them). */
static gsize
scan_root (const LablinkJsonDoc *doc,
           gint                 *root)
{
  gsize size = 64;
  gint k = 1;
  guint i;

  for (i = 0; i < 8; i++)
    root[i] = -1;

  for (i = 0; i < doc->tokens[0].count; i++)
    {
      gint v = k + 1;
      gint slot = root_slot (doc, k);

      if (slot >= 0 && root[slot] < 0)
        {
          root[slot] = v;
          if (doc->tokens[v].type == LABLINK_JSON_STRING)
            size += 2 * ((gsize) doc->tokens[v].length + 16);
        }
      k = (gint) doc->tokens[v].next;
    }

  return size;
}

static LablinkMessage *
parse_text (const char  *text,
            gsize        length,
            gsize        max_size,
            GError     **error)
{
  g_autoptr(LablinkMessage) self = NULL;
  LablinkJsonDoc *scratch;
  gint root[8];
  gsize tokens_size, arena;
  char *block;
  gint type_tok;
  gsize i;

  if (max_size == 0)
    max_size = LABLINK_MESSAGE_DEFAULT_MAX_SIZE;

  if (length > max_size)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_TOO_LARGE,
                   "Frame of %" G_GSIZE_FORMAT " bytes exceeds the limit of %" G_GSIZE_FORMAT " bytes",
                   length, max_size);
      return NULL;
    }
  if (length == 0)
    {
      g_set_error_literal (error, LABLINK_ERROR, LABLINK_ERROR_MALFORMED, "Invalid JSON: empty frame");
      return NULL;
    }

  scratch = scratch_doc ();
  if (!lablink_json_doc_parse (scratch, text, length, LABLINK_MESSAGE_MAX_DEPTH, error))
    return NULL;

  if (scratch->tokens[0].type != LABLINK_JSON_OBJECT)
    {
      g_set_error_literal (error, LABLINK_ERROR, LABLINK_ERROR_NOT_OBJECT,
                           "Invalid message: the frame is not a JSON object");
      return NULL;
    }

  tokens_size = scratch->n_tokens * sizeof (LablinkJsonToken);
  arena = scan_root (scratch, root);

  block = g_malloc (sizeof (LablinkMessage) + tokens_size + length + 1 + arena);
  self = (LablinkMessage *) block;
  memset (self, 0, sizeof *self);
  g_atomic_ref_count_init (&self->ref_count);
  self->received = g_get_real_time ();
  self->type_name = "";

  self->doc.tokens = (LablinkJsonToken *) (block + sizeof (LablinkMessage));
  self->doc.n_tokens = scratch->n_tokens;
  memcpy (self->doc.tokens, scratch->tokens, tokens_size);
  self->doc.text = block + sizeof (LablinkMessage) + tokens_size;
  memcpy ((char *) self->doc.text, text, length);
  ((char *) self->doc.text)[length] = '\0';
  self->doc.length = length;
  self->text_length = length;
  self->arena = (char *) self->doc.text + length + 1;
  self->arena_end = self->arena + arena;
  memcpy (self->root, root, sizeof root);

  type_tok = self->root[ROOT_TYPE];
  if (type_tok < 0 || self->doc.tokens[type_tok].type != LABLINK_JSON_STRING)
    {
      g_set_error_literal (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                           "Invalid message: field “type” must be a string");
      return NULL;
    }

  for (i = 0; i < G_N_ELEMENTS (known_types); i++)
    {
      const LablinkJsonToken *t = &self->doc.tokens[type_tok];

      if (!(t->flags & LABLINK_JSON_FLAG_ESCAPED) && known_types[i].name[0] != self->doc.text[t->start])
        continue;
      if (lablink_json_doc_string_equal (&self->doc, type_tok, known_types[i].name, strlen (known_types[i].name)))
        {
          self->type = known_types[i].type;
          self->type_name = known_types[i].name;
          break;
        }
    }
  if (i == G_N_ELEMENTS (known_types))
    {
      self->type = LABLINK_MESSAGE_UNKNOWN;
      self->type_name = arena_string (self, type_tok);
    }

  if (!decode (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * lablink_message_parse_bytes:
 * @bytes: the frame's text
 * @max_size: the size limit in bytes (0 for %LABLINK_MESSAGE_DEFAULT_MAX_SIZE)
 * @error: return location for a #GError
 *
 * Validates and decodes one frame. Bad frames give a #LablinkError:
 * %LABLINK_ERROR_MALFORMED (not JSON or not UTF-8), %LABLINK_ERROR_NOT_OBJECT,
 * %LABLINK_ERROR_TOO_LARGE, %LABLINK_ERROR_TOO_DEEP or
 * %LABLINK_ERROR_INVALID_FIELD (a known field of the wrong type).
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
LablinkMessage *
lablink_message_parse_bytes (GBytes  *bytes,
                             gsize    max_size,
                             GError **error)
{
  const char *text;
  gsize length;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_bytes_get_data (bytes, &length);
  return parse_text (text, length, max_size, error);
}

/**
 * lablink_message_parse:
 * @text: (array length=length) (element-type guint8): UTF-8 JSON text
 * @length: length of @text, or -1 if nul-terminated
 * @error: return location for a #GError
 *
 * Like lablink_message_parse_bytes() with the default size limit.
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
LablinkMessage *
lablink_message_parse (const char  *text,
                       gssize       length,
                       GError     **error)
{
  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (text);
  return parse_text (text, (gsize) length, 0, error);
}

/**
 * lablink_message_ref:
 * @self: a #LablinkMessage
 *
 * Returns: (transfer full): @self
 */
LablinkMessage *
lablink_message_ref (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * lablink_message_unref:
 * @self: (transfer full): a #LablinkMessage
 */
void
lablink_message_unref (LablinkMessage *self)
{
  g_return_if_fail (self != NULL);
  if (g_atomic_ref_count_dec (&self->ref_count))
    lablink_message_free (self);
}

LablinkMessageType
lablink_message_get_message_type (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, LABLINK_MESSAGE_UNKNOWN);
  return self->type;
}

/**
 * lablink_message_get_type_name:
 * @self: a #LablinkMessage
 *
 * Returns: the message's `type` string, as sent
 */
const char *
lablink_message_get_type_name (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->type_name;
}

/**
 * lablink_message_get_bytes:
 * @self: a #LablinkMessage
 *
 * Returns: (transfer none): the frame's exact text
 */
GBytes *
lablink_message_get_bytes (LablinkMessage *self)
{
  GBytes *bytes;

  g_return_val_if_fail (self != NULL, NULL);

  bytes = g_atomic_pointer_get (&self->bytes);
  if (bytes == NULL)
    {
      /* A copy: a caller may keep the bytes longer than the message. */
      bytes = g_bytes_new (self->doc.text, self->text_length);
      if (!g_atomic_pointer_compare_and_exchange (&self->bytes, NULL, bytes))
        {
          g_bytes_unref (bytes);
          bytes = g_atomic_pointer_get (&self->bytes);
        }
    }
  return bytes;
}

/**
 * lablink_message_get_text:
 * @self: a #LablinkMessage
 * @length: (out) (optional): the length in bytes
 *
 * Returns: (transfer none): the frame's exact text (not nul-terminated!)
 */
const char *
lablink_message_get_text (LablinkMessage *self,
                          gsize          *length)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (length)
    *length = self->text_length;
  return self->doc.text;
}

/**
 * lablink_message_get_received_time:
 * @self: a #LablinkMessage
 *
 * Returns: when the frame was decoded, in microseconds since the epoch
 */
gint64
lablink_message_get_received_time (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->received;
}

/**
 * lablink_message_get_equipment_id:
 * @self: a #LablinkMessage
 *
 * Returns: (nullable): the equipment id, for equipment streams and events
 */
const char *
lablink_message_get_equipment_id (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->equipment_id;
}

/**
 * lablink_message_get_stream_type:
 * @self: a #LablinkMessage
 *
 * Returns: (nullable): the stream type of an equipment stream message
 */
const char *
lablink_message_get_stream_type (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->stream_type;
}

/**
 * lablink_message_get_acquisition_id:
 * @self: a #LablinkMessage
 *
 * Returns: (nullable): the acquisition id of an acquisition message
 */
const char *
lablink_message_get_acquisition_id (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->acquisition_id;
}

/**
 * lablink_message_get_stream_key:
 * @self: a #LablinkMessage
 *
 * Returns: (nullable): `<equipment_id>_<stream_type>` or `acquisition_<id>`
 */
const char *
lablink_message_get_stream_key (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->stream_key;
}

/**
 * lablink_message_get_detail:
 * @self: a #LablinkMessage
 *
 * Returns: (nullable): the `detail` of an `error` message
 */
const char *
lablink_message_get_detail (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->detail;
}

static gint
lookup (LablinkMessage *self,
        const char     *path)
{
  return lablink_json_doc_path (&self->doc, 0, path);
}

/**
 * lablink_message_has_member:
 * @self: a #LablinkMessage
 * @path: a dotted path such as `data.voltage_actual`
 *
 * Returns: whether the path exists (its value may be null)
 */
gboolean
lablink_message_has_member (LablinkMessage *self,
                            const char     *path)
{
  g_return_val_if_fail (self != NULL && path != NULL, FALSE);
  return lookup (self, path) >= 0;
}

/**
 * lablink_message_is_null:
 * @self: a #LablinkMessage
 * @path: a dotted path
 *
 * Returns: whether the path exists and holds `null`
 */
gboolean
lablink_message_is_null (LablinkMessage *self,
                         const char     *path)
{
  gint tok;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);
  tok = lookup (self, path);
  return tok >= 0 && self->doc.tokens[tok].type == LABLINK_JSON_NULL;
}

/**
 * lablink_message_get_double:
 * @self: a #LablinkMessage
 * @path: a dotted path such as `data.voltage_actual`
 * @value: (out): the number (NaN for the server's bare NaN)
 *
 * Returns: %TRUE if the path holds a number
 */
gboolean
lablink_message_get_double (LablinkMessage *self,
                            const char     *path,
                            double         *value)
{
  g_return_val_if_fail (self != NULL && path != NULL && value != NULL, FALSE);
  return lablink_json_doc_get_double (&self->doc, lookup (self, path), value);
}

/**
 * lablink_message_get_int:
 * @self: a #LablinkMessage
 * @path: a dotted path
 * @value: (out): the integer
 *
 * Returns: %TRUE if the path holds a finite number with no fractional part
 */
gboolean
lablink_message_get_int (LablinkMessage *self,
                         const char     *path,
                         gint64         *value)
{
  double d;

  g_return_val_if_fail (self != NULL && path != NULL && value != NULL, FALSE);

  if (!lablink_json_doc_get_double (&self->doc, lookup (self, path), &d))
    return FALSE;
  if (!isfinite (d) || d != floor (d) || d < (double) G_MININT64 || d >= (double) G_MAXINT64)
    return FALSE;
  *value = (gint64) d;
  return TRUE;
}

/**
 * lablink_message_get_boolean:
 * @self: a #LablinkMessage
 * @path: a dotted path
 * @value: (out): the boolean
 *
 * Returns: %TRUE if the path holds `true` or `false`
 */
gboolean
lablink_message_get_boolean (LablinkMessage *self,
                             const char     *path,
                             gboolean       *value)
{
  gint tok;

  g_return_val_if_fail (self != NULL && path != NULL && value != NULL, FALSE);

  tok = lookup (self, path);
  if (tok < 0)
    return FALSE;
  switch (self->doc.tokens[tok].type)
    {
    case LABLINK_JSON_TRUE:
      *value = TRUE;
      return TRUE;
    case LABLINK_JSON_FALSE:
      *value = FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * lablink_message_dup_string:
 * @self: a #LablinkMessage
 * @path: a dotted path
 *
 * Returns: (transfer full) (nullable): the string at @path, or %NULL
 */
char *
lablink_message_dup_string (LablinkMessage *self,
                            const char     *path)
{
  gint tok;

  g_return_val_if_fail (self != NULL && path != NULL, NULL);

  tok = lookup (self, path);
  if (tok < 0 || self->doc.tokens[tok].type != LABLINK_JSON_STRING)
    return NULL;
  return lablink_json_doc_dup_string (&self->doc, tok);
}

/**
 * lablink_message_get_timestamp:
 * @self: a #LablinkMessage
 * @path: a dotted path such as `data.timestamp`
 * @unix_usec: (out): microseconds since the epoch
 *
 * Naive timestamps (the real server's) are taken as local time.
 *
 * Returns: %TRUE if the path holds a valid ISO-8601 timestamp
 */
gboolean
lablink_message_get_timestamp (LablinkMessage *self,
                               const char     *path,
                               gint64         *unix_usec)
{
  const LablinkJsonToken *t;
  gint tok;

  g_return_val_if_fail (self != NULL && path != NULL && unix_usec != NULL, FALSE);

  tok = lookup (self, path);
  if (tok < 0)
    return FALSE;
  t = &self->doc.tokens[tok];
  if (t->type != LABLINK_JSON_STRING || (t->flags & LABLINK_JSON_FLAG_ESCAPED))
    return FALSE;
  return lablink_parse_timestamp (self->doc.text + t->start, t->length, unix_usec);
}

/**
 * lablink_message_get_node:
 * @self: a #LablinkMessage
 *
 * The whole message as a json-glib tree, built on first use (bare NaN
 * becomes a NaN double). Meant for generic consumers; the typed accessors
 * are much cheaper.
 *
 * Returns: (transfer none): the root node
 */
JsonNode *
lablink_message_get_node (LablinkMessage *self)
{
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);

  node = g_atomic_pointer_get (&self->node);
  if (node == NULL)
    {
      node = lablink_json_doc_to_node (&self->doc, 0);
      json_node_seal (node);
      if (!g_atomic_pointer_compare_and_exchange (&self->node, NULL, node))
        {
          json_node_unref (node);
          node = g_atomic_pointer_get (&self->node);
        }
    }

  return node;
}

/**
 * lablink_message_get_waveform:
 * @self: a #LablinkMessage
 * @n_samples: (out): the number of samples
 *
 * Returns: (array length=n_samples) (nullable): the waveform's voltage samples,
 *   or %NULL if the frame carried none (the real server sends none)
 */
const double *
lablink_message_get_waveform (LablinkMessage *self,
                              gsize          *n_samples)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_samples)
    *n_samples = self->n_waveform;
  return self->waveform;
}

/**
 * lablink_message_get_n_samples:
 * @self: a #LablinkMessage
 *
 * Returns: the number of samples per channel of an acquisition window
 */
gsize
lablink_message_get_n_samples (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_samples;
}

/**
 * lablink_message_get_n_channels:
 * @self: a #LablinkMessage
 *
 * Returns: the number of channels of an acquisition window
 */
guint
lablink_message_get_n_channels (LablinkMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_channels;
}

/**
 * lablink_message_get_channel_name:
 * @self: a #LablinkMessage
 * @channel: the channel index
 *
 * Returns: (nullable): the channel's name (e.g. `CH1`)
 */
const char *
lablink_message_get_channel_name (LablinkMessage *self,
                                  guint           channel)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (channel >= self->n_channels)
    return NULL;
  return self->channel_names[channel];
}

/**
 * lablink_message_get_sample_times:
 * @self: a #LablinkMessage
 * @n_samples: (out) (optional): the number of samples
 *
 * Returns: (array length=n_samples) (nullable): the window's timestamps, in
 *   microseconds since the epoch, in the order the server sent them
 */
const gint64 *
lablink_message_get_sample_times (LablinkMessage *self,
                                  gsize          *n_samples)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_samples)
    *n_samples = self->n_samples;
  return self->sample_times;
}

/**
 * lablink_message_get_channel_values:
 * @self: a #LablinkMessage
 * @channel: the channel index
 * @n_samples: (out) (optional): the number of samples
 *
 * Returns: (array length=n_samples) (nullable): the channel's values (NaN
 *   where the instrument's read failed)
 */
const double *
lablink_message_get_channel_values (LablinkMessage *self,
                                    guint           channel,
                                    gsize          *n_samples)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (n_samples)
    *n_samples = channel < self->n_channels ? self->n_samples : 0;
  if (channel >= self->n_channels)
    return NULL;
  return self->values + (gsize) channel * self->n_samples;
}

/**
 * lablink_message_new_with_waveform:
 * @self: a `stream_data` waveform message
 * @samples: (array length=n_samples): voltage samples
 * @n_samples: the number of samples
 *
 * A copy of @self carrying @samples, for frames whose samples had to be
 * fetched separately (the real server's waveform stream).
 *
 * Returns: (transfer full): the new message
 */
LablinkMessage *
lablink_message_new_with_waveform (LablinkMessage *self,
                                   const double   *samples,
                                   gsize           n_samples)
{
  LablinkMessage *copy;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (samples != NULL || n_samples == 0, NULL);

  copy = parse_text (self->doc.text, self->text_length, G_MAXSIZE, NULL);
  g_return_val_if_fail (copy != NULL, NULL);

  g_clear_pointer (&copy->waveform, g_free);
  copy->waveform = g_memdup2 (samples, MAX (n_samples, 1) * sizeof (double));
  copy->n_waveform = n_samples;
  copy->received = self->received;

  return copy;
}

/**
 * lablink_json_parse:
 * @text: (array length=length) (element-type guint8): UTF-8 JSON text
 * @length: length of @text, or -1 if nul-terminated
 * @error: return location for a #GError
 *
 * Parses any JSON value (REST bodies), tolerating the real server's bare
 * NaN and Infinity, with the same limits as frames.
 *
 * Returns: (transfer full): the tree, or %NULL with @error set
 */
JsonNode *
lablink_json_parse (const char  *text,
                    gssize       length,
                    GError     **error)
{
  LablinkJsonDoc doc = { 0 };
  JsonNode *node;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length < 0)
    length = (gssize) strlen (text);
  if (!lablink_json_doc_parse (&doc, text, (gsize) length, LABLINK_MESSAGE_MAX_DEPTH, error))
    {
      lablink_json_doc_clear (&doc);
      return NULL;
    }
  node = lablink_json_doc_to_node (&doc, 0);
  lablink_json_doc_clear (&doc);
  return node;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era;
  guint yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (guint) (y - era * 400);
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

static gboolean
read_digits (const char *s,
             gsize       len,
             gsize      *pos,
             guint       n,
             guint      *out)
{
  guint v = 0, i;

  if (*pos + n > len)
    return FALSE;
  for (i = 0; i < n; i++)
    {
      char c = s[*pos + i];
      if (c < '0' || c > '9')
        return FALSE;
      v = v * 10 + (guint) (c - '0');
    }
  *pos += n;
  *out = v;
  return TRUE;
}

/* The local UTC offset in force at a naive local time. Looked up per
 * quarter of an hour (zones move by 30 or 45 minutes, at quarter hours) and
 * per time zone (TZ may change), cached per thread. */
static gint64
local_offset_usec (gint64 naive_seconds)
{
  static _Thread_local GTimeZone *cached_tz;
  static _Thread_local gint64 cached_quarter = G_MININT64;
  static _Thread_local gint64 cached_offset;
  GTimeZone *tz = g_time_zone_new_local ();
  gint64 quarter = naive_seconds >= 0 ? naive_seconds / 900 : -((-naive_seconds + 899) / 900);

  if (tz != cached_tz || quarter != cached_quarter)
    {
      gint64 t = naive_seconds;
      gint interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_STANDARD, &t);

      cached_offset = (gint64) g_time_zone_get_offset (tz, interval) * G_USEC_PER_SEC;
      cached_quarter = quarter;
      cached_tz = tz;  /* compared by address only; GLib keeps the local zone cached */
    }

  g_time_zone_unref (tz);
  return cached_offset;
}

/**
 * lablink_parse_timestamp:
 * @text: (array length=length) (element-type guint8): an ISO-8601 timestamp
 * @length: its length
 * @unix_usec: (out): microseconds since the epoch
 *
 * Parses `YYYY-MM-DDTHH:MM:SS[.ffffff][Z|±HH:MM]`. Without a zone (as the
 * real server sends them) the time is local.
 *
 * Returns: %TRUE on success
 */
gboolean
lablink_parse_timestamp (const char *text,
                         gsize       length,
                         gint64     *unix_usec)
{
  guint year, month, day, hour, minute, second, usec = 0;
  gsize p = 0;
  gint64 seconds, result;

  g_return_val_if_fail (text != NULL && unix_usec != NULL, FALSE);

  if (!read_digits (text, length, &p, 4, &year) || p >= length || text[p++] != '-' ||
      !read_digits (text, length, &p, 2, &month) || p >= length || text[p++] != '-' ||
      !read_digits (text, length, &p, 2, &day) || p >= length || (text[p] != 'T' && text[p] != ' '))
    return FALSE;
  p++;
  if (!read_digits (text, length, &p, 2, &hour) || p >= length || text[p++] != ':' ||
      !read_digits (text, length, &p, 2, &minute) || p >= length || text[p++] != ':' ||
      !read_digits (text, length, &p, 2, &second))
    return FALSE;

  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60 ||
      day > g_date_get_days_in_month ((GDateMonth) month, (GDateYear) CLAMP (year, 1, G_MAXUINT16)))
    return FALSE;

  if (p < length && text[p] == '.')
    {
      guint scale = 100000;
      p++;
      if (p >= length || text[p] < '0' || text[p] > '9')
        return FALSE;
      while (p < length && text[p] >= '0' && text[p] <= '9')
        {
          usec += (guint) (text[p] - '0') * scale;
          scale /= 10;
          p++;
        }
    }

  seconds = days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60 + second;

  if (p == length)
    result = seconds * G_USEC_PER_SEC + usec - local_offset_usec (seconds);
  else if (text[p] == 'Z' && p + 1 == length)
    result = seconds * G_USEC_PER_SEC + usec;
  else if (text[p] == '+' || text[p] == '-')
    {
      guint oh, om = 0;
      gint sign = text[p] == '-' ? -1 : 1;
      p++;
      if (!read_digits (text, length, &p, 2, &oh))
        return FALSE;
      if (p < length && text[p] == ':')
        {
          p++;
          if (!read_digits (text, length, &p, 2, &om))
            return FALSE;
        }
      else if (p < length && !read_digits (text, length, &p, 2, &om))
        return FALSE;
      if (p != length || oh > 23 || om > 59)
        return FALSE;
      result = (seconds - sign * (gint64) (oh * 3600 + om * 60)) * G_USEC_PER_SEC + usec;
    }
  else
    return FALSE;

  *unix_usec = result;
  return TRUE;
}
