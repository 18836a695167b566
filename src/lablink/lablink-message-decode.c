/* lablink-message-decode.c — a frame's text into a LablinkMessage
 *
 * Tokenizes the frame once, finds the root members every decoder needs in
 * one pass, checks the types of the fields we know and decodes the sample
 * arrays (acquisition windows, inline waveforms), all into one allocation.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lablink-error.h"
#include "lablink-message-private.h"
#include "lablink-protocol.h"

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

/* Every channel of @values must be an array of exactly n_samples elements;
 * and since each value is a token of this frame, channels × samples can
 * never exceed the frame's token count (checked too, overflow-safe), so
 * what decoding allocates is bounded by the frame's size. */
static gboolean
check_acquisition_shape (LablinkMessage  *self,
                         gint             values,
                         GError         **error)
{
  const LablinkJsonDoc *doc = &self->doc;
  guint n_channels = doc->tokens[values].count;
  gint k = values + 1;
  guint i;

  for (i = 0; i < n_channels; i++)
    {
      const LablinkJsonToken *v = &doc->tokens[k + 1];

      if (v->type != LABLINK_JSON_ARRAY)
        return invalid (error, self->type_name, "data.values", "an object of arrays");
      if (v->count != self->n_samples)
        {
          g_autofree char *name = lablink_json_doc_dup_string (doc, k);

          g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                       "Invalid “%s” message: channel “%s” has %u values for %" G_GSIZE_FORMAT " timestamps",
                       self->type_name, name, v->count, self->n_samples);
          return FALSE;
        }
      k = (gint) v->next;
    }

  if (self->n_samples > 0 && n_channels > doc->n_tokens / self->n_samples)
    {
      g_set_error (error, LABLINK_ERROR, LABLINK_ERROR_INVALID_FIELD,
                   "Invalid “%s” message: %u channels × %" G_GSIZE_FORMAT " samples exceed the frame",
                   self->type_name, n_channels, self->n_samples);
      return FALSE;
    }

  return TRUE;
}

/* The longest strictly increasing run of the valid samples, into @keep
 * (returns its length). Forward, each length keeps its smallest tail (a
 * stray late time loses); @backward, each keeps its largest head (a stray
 * early time loses). */
static gsize
longest_increasing (const gint64 *times,
                    const guint8 *valid,
                    gsize         n,
                    gboolean      backward,
                    guint8       *keep)
{
  g_autofree gsize *tails = g_new (gsize, n);   /* position of the best tail of each length */
  g_autofree gsize *prev = g_new (gsize, n);
  gsize len = 0, j, k;

#define KEY(pos) (backward ? -times[n - 1 - (pos)] : times[(pos)])
  for (j = 0; j < n; j++)
    {
      gsize lo = 0, hi = len;

      if (!valid[backward ? n - 1 - j : j])
        continue;
      while (lo < hi)
        {
          gsize mid = lo + (hi - lo) / 2;
          if (KEY (tails[mid]) < KEY (j))
            lo = mid + 1;
          else
            hi = mid;
        }
      prev[j] = lo > 0 ? tails[lo - 1] : G_MAXSIZE;
      tails[lo] = j;
      if (lo == len)
        len++;
    }
#undef KEY
  memset (keep, 0, n);
  for (k = len > 0 ? tails[len - 1] : G_MAXSIZE; k != G_MAXSIZE; k = prev[k])
    keep[backward ? n - 1 - k : k] = TRUE;
  return len;
}

static gint64
kept_span (const gint64 *times,
           const guint8 *keep,
           gsize         n)
{
  gsize first = 0, last = n;

  while (first < n && !keep[first])
    first++;
  while (last > first && !keep[last - 1])
    last--;
  return last > first ? times[last - 1] - times[first] : 0;
}

/* Out of order samples in a window: keeps the longest strictly increasing
 * run of the valid ones, so that a stray timestamp among good ones is the
 * one dropped whichever way it strays (of two runs as long, the one
 * spanning less time), and marks the others invalid. */
static void
keep_increasing (const gint64 *times,
                 guint8       *valid,
                 gsize         n)
{
  g_autofree guint8 *forward = g_new (guint8, n);
  g_autofree guint8 *backward = g_new (guint8, n);
  gsize len_forward, len_backward, i;
  const guint8 *keep;

  len_forward = longest_increasing (times, valid, n, FALSE, forward);
  len_backward = longest_increasing (times, valid, n, TRUE, backward);
  if (len_forward != len_backward)
    keep = len_forward > len_backward ? forward : backward;
  else
    keep = kept_span (times, forward, n) <= kept_span (times, backward, n) ? forward : backward;
  for (i = 0; i < n; i++)
    valid[i] = valid[i] && keep[i];
}

/* Removes the samples marked invalid from the window, remembering for each
 * the time of the valid sample before it. */
static void
drop_invalid_samples (LablinkMessage *self,
                      const guint8   *valid)
{
  gsize n = self->n_samples, n_invalid = 0, kept = 0, i;
  gint64 before = G_MININT64;
  guint c;

  for (i = 0; i < n; i++)
    n_invalid += !valid[i];
  if (n_invalid == 0)
    return;

  self->invalid_after = g_new (gint64, n_invalid);
  for (i = 0; i < n; i++)
    {
      if (!valid[i])
        {
          self->invalid_after[self->n_invalid++] = before;
          continue;
        }
      before = self->sample_times[i];
      self->sample_times[kept++] = self->sample_times[i];
    }
  /* Channel-major: each column moves down to its new place. */
  for (c = 0; c < self->n_channels; c++)
    {
      const double *from = self->values + (gsize) c * n;
      double *to = self->values + (gsize) c * kept;
      gsize j = 0;

      for (i = 0; i < n; i++)
        if (valid[i])
          to[j++] = from[i];
    }
  self->n_samples = kept;
}

static gboolean
decode_acquisition_stream (LablinkMessage  *self,
                           GError         **error)
{
  const LablinkJsonDoc *doc = &self->doc;
  g_autofree guint8 *valid = NULL;
  gint data, stats, timestamps, values, child, k;
  gint64 last = 0;
  gboolean have_last = FALSE, ordered = TRUE;
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

  /* The shape first, from the tokens alone: every channel is an array as
   * long as the timestamps. Only then is anything allocated, so a frame of
   * many timestamps and many empty channels costs nothing (issue 10). */
  self->n_samples = doc->tokens[timestamps].count;
  if (!check_acquisition_shape (self, values, error))
    return FALSE;

  self->sample_times = g_new (gint64, MAX (self->n_samples, 1));
  valid = g_new (guint8, MAX (self->n_samples, 1));
  child = lablink_json_doc_first_child (doc, timestamps);
  for (i = 0; i < self->n_samples; i++)
    {
      const LablinkJsonToken *t = &doc->tokens[child];
      gint64 time = 0;
      gboolean ok = FALSE;

      /* One bad timestamp costs its sample, never the window (issue 10). */
      if (t->type == LABLINK_JSON_STRING)
        ok = !(t->flags & LABLINK_JSON_FLAG_ESCAPED) &&
             lablink_parse_timestamp (doc->text + t->start, t->length, &time);
      else if (t->type == LABLINK_JSON_NUMBER)
        {
          double secs = NAN;
          ok = lablink_json_doc_get_double (doc, child, &secs) &&
               lablink_sample_time_from_seconds (secs, &time);
        }
      ok = ok && lablink_sample_time_is_valid (time, self->received);
      if (ok && have_last && time <= last)
        ordered = FALSE;
      if (ok)
        {
          last = time;
          have_last = TRUE;
        }
      self->sample_times[i] = time;
      valid[i] = ok;
      child = (gint) t->next;
    }
  if (!ordered)
    keep_increasing (self->sample_times, valid, self->n_samples);

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

  drop_invalid_samples (self, valid);
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
scratch_free (gpointer data)
{
  LablinkJsonDoc *doc = data;

  lablink_json_doc_clear (doc);
  g_free (doc);
}

/* Kept between frames: 64 Ki tokens (1.25 MiB), far more than any
 * ordinary frame needs (a readings frame has about 40). */
#define SCRATCH_KEEP_TOKENS (64u * 1024u)

/* What the C library adds to each allocation, roughly. */
#define MALLOC_OVERHEAD 16

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

/* For tests: how many tokens the calling thread's working array holds. */
guint
lablink_message_get_scratch_allocated (void)
{
  LablinkJsonDoc *doc = g_private_get (&scratch_key);

  return doc != NULL ? doc->allocated : 0;
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

/* What a message holds in memory: its block (header, tokens, text,
 * strings) and the sample arrays decoded from it. */
static gsize
message_cost (LablinkMessage *self,
              gsize           block_size)
{
  gsize cost = block_size + MALLOC_OVERHEAD;
  guint i;

  if (self->waveform != NULL)
    cost += self->n_waveform * sizeof (double) + MALLOC_OVERHEAD;
  if (self->sample_times != NULL)
    cost += MAX (self->n_samples, 1) * sizeof (gint64) + MALLOC_OVERHEAD;
  if (self->values != NULL)
    cost += MAX ((gsize) self->n_channels * self->n_samples, 1) * sizeof (double) + MALLOC_OVERHEAD;
  if (self->channel_names != NULL)
    {
      cost += (self->n_channels + 1) * sizeof (char *) + MALLOC_OVERHEAD;
      for (i = 0; i < self->n_channels && self->channel_names[i] != NULL; i++)
        cost += strlen (self->channel_names[i]) + 1 + MALLOC_OVERHEAD;
    }
  if (self->owned_equipment_id != NULL)
    cost += strlen (self->owned_equipment_id) + 1 + MALLOC_OVERHEAD;
  return cost;
}

/* The bytes @self holds (see message_cost()): what the hand-off queues
 * count against their byte limits. */
gsize
lablink_message_get_cost (LablinkMessage *self)
{
  return self->cost;
}

static LablinkMessage *
parse_with (LablinkJsonDoc  *scratch,
            const char      *text,
            gsize            length,
            gsize            max_size,
            GError         **error)
{
  g_autoptr(LablinkMessage) self = NULL;
  gint root[8];
  gsize tokens_size, arena, block_size;
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

  block_size = sizeof (LablinkMessage) + tokens_size + length + 1 + arena;
  block = g_malloc (block_size);
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

  /* Lazily read timestamps use the zone in force now (lablink-message.c). */
  {
    LablinkNaiveZone zone = _lablink_naive_zone_push (FALSE, 0);

    _lablink_naive_zone_pop (zone);
    self->naive_known = zone.known;
    self->naive_offset = zone.offset_usec;
  }

  if (!decode (self, error))
    return NULL;

  self->cost = message_cost (self, block_size);
  return g_steal_pointer (&self);
}

LablinkMessage *
lablink_message_parse_text (const char  *text,
                            gsize        length,
                            gsize        max_size,
                            GError     **error)
{
  LablinkJsonDoc *scratch = scratch_doc ();
  LablinkMessage *message;

  message = parse_with (scratch, text, length, max_size, error);

  /* After an outsized frame the working array goes: it would otherwise
   * stay at the size of the largest frame this thread ever saw (20 bytes a
   * token, up to one token per two bytes of text). */
  lablink_json_doc_trim (scratch, SCRATCH_KEEP_TOKENS);
  return message;
}
