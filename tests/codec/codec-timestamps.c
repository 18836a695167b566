/* codec-timestamps.c — lablink_parse_timestamp() and lablink_format_timestamp()
 *
 * The test binary runs in CODEC_DEFAULT_TZ (CET/CEST rules), and the
 * /codec/timestamps/zones case re-runs the zone-sensitive checks in
 * subprocesses under other zones (UTC, half-hour and 45-minute offsets,
 * northern and southern daylight saving time).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codec-tests.h"

#define USEC(s) ((gint64) (s) * G_USEC_PER_SEC)

/* 2026-11-25T17:14:37Z, computed independently (calendar.timegm). */
#define T_2026_11_25_171437_UTC G_GINT64_CONSTANT (1795626877)

static gboolean
parse (const char *text,
       gint64     *out)
{
  *out = G_MININT64;
  return lablink_parse_timestamp (text, strlen (text), out);
}

static gint64
parse_ok_ts (const char *text)
{
  gint64 t;

  if (!parse (text, &t))
    g_test_message ("lablink_parse_timestamp rejected %s", text);
  g_assert_true (parse (text, &t));
  return t;
}

/* Local wall-clock time → microseconds, via GDateTime. */
static gint64
local_usec (int year, int month, int day, int hour, int minute, int second, int usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (year, month, day, hour, minute, second);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + usec;
}

static void
test_parse_naive_local (void)
{
  g_assert_cmpstr (g_getenv ("TZ"), ==, g_getenv ("LABLINK_TEST_TZ") ? g_getenv ("LABLINK_TEST_TZ") : CODEC_DEFAULT_TZ);

  /* The protocol's example; CET in November is UTC+1. */
  g_assert_cmpint (parse_ok_ts ("2026-11-25T17:14:37.638915"), ==, local_usec (2026, 11, 25, 17, 14, 37, 638915));
  if (g_getenv ("LABLINK_TEST_TZ") == NULL)
    {
      g_assert_cmpint (parse_ok_ts ("2026-11-25T17:14:37.638915"), ==, USEC (T_2026_11_25_171437_UTC - 3600) + 638915);
      /* and CEST in July is UTC+2 */
      g_assert_cmpint (parse_ok_ts ("2026-07-01T12:00:00"), ==, USEC (G_GINT64_CONSTANT (1782907200) - 7200));
      g_assert_cmpint (parse_ok_ts ("2026-07-01T12:00:00Z") - parse_ok_ts ("2026-07-01T12:00:00"), ==, USEC (7200));
      g_assert_cmpint (parse_ok_ts ("2026-01-01T12:00:00Z") - parse_ok_ts ("2026-01-01T12:00:00"), ==, USEC (3600));
    }

  /* Without fraction, and with a space instead of T. */
  g_assert_cmpint (parse_ok_ts ("2026-11-25T17:14:37"), ==, local_usec (2026, 11, 25, 17, 14, 37, 0));
  g_assert_cmpint (parse_ok_ts ("2026-11-25 17:14:37"), ==, local_usec (2026, 11, 25, 17, 14, 37, 0));

  /* Across the year (and both sides of the DST changes). */
  {
    static const int months[] = { 1, 3, 4, 6, 9, 10, 11, 12 };
    gsize i;

    for (i = 0; i < G_N_ELEMENTS (months); i++)
      {
        g_autofree char *text = g_strdup_printf ("2025-%02d-15T08:30:00.000001", months[i]);
        g_assert_cmpint (parse_ok_ts (text), ==, local_usec (2025, months[i], 15, 8, 30, 0, 1));
      }
  }

  /* Old and far dates, leap days. */
  g_assert_cmpint (parse_ok_ts ("1970-01-01T00:00:00Z"), ==, 0);
  g_assert_cmpint (parse_ok_ts ("1969-12-31T23:59:59.999999Z"), ==, -1);
  g_assert_cmpint (parse_ok_ts ("2000-02-29T00:00:00Z"), ==, USEC (951782400));
  g_assert_cmpint (parse_ok_ts ("2024-02-29T12:00:00"), ==, local_usec (2024, 2, 29, 12, 0, 0, 0));
  g_assert_cmpint (parse_ok_ts ("1900-01-01T00:00:00Z"), ==, USEC (G_GINT64_CONSTANT (-2208988800)));
  g_assert_cmpint (parse_ok_ts ("2100-03-01T00:00:00Z"), ==, USEC (G_GINT64_CONSTANT (4107542400)));
  g_assert_cmpint (parse_ok_ts ("9999-12-31T23:59:59Z"), ==, USEC (G_GINT64_CONSTANT (253402300799)));
}

static void
test_parse_zones (void)
{
  gint64 utc = USEC (T_2026_11_25_171437_UTC);

  g_assert_cmpint (parse_ok_ts ("2026-11-25T17:14:37Z"), ==, utc);
  g_assert_cmpint (parse_ok_ts ("2026-11-25T19:14:37+02:00"), ==, utc);
  g_assert_cmpint (parse_ok_ts ("2026-11-25T19:14:37+0200"), ==, utc);
  g_assert_cmpint (parse_ok_ts ("2026-11-25T19:14:37+02"), ==, utc);
  g_assert_cmpint (parse_ok_ts ("2026-11-25T11:44:37-05:30"), ==, utc);
  g_assert_cmpint (parse_ok_ts ("2026-11-25T17:14:37+00:00"), ==, utc);
  g_assert_cmpint (parse_ok_ts ("2026-11-25T17:14:37-00:00"), ==, utc);
  g_assert_cmpint (parse_ok_ts ("2026-11-26T07:14:37+14:00"), ==, utc);
  g_assert_cmpint (parse_ok_ts ("2026-11-25T05:14:37-12:00"), ==, utc);
  g_assert_cmpint (parse_ok_ts ("2026-11-25T23:59:37+06:45"), ==, utc);
  g_assert_cmpint (parse_ok_ts ("2026-11-25T13:44:37-03:30"), ==, utc);
  g_assert_cmpint (parse_ok_ts ("2026-11-25T17:14:37.638915Z"), ==, utc + 638915);
  g_assert_cmpint (parse_ok_ts ("2026-11-25T19:14:37.5+02:00"), ==, utc + 500000);

  /* A zone overrides the local time zone: the same instant whatever TZ is. */
  g_assert_cmpint (parse_ok_ts ("2026-07-01T12:00:00Z"), ==, USEC (G_GINT64_CONSTANT (1782907200)));
}

static void
test_parse_fraction_digits (void)
{
  static const struct {
    const char *fraction;
    gint64      usec;
  } cases[] = {
    { ".1", 100000 },
    { ".12", 120000 },
    { ".123", 123000 },
    { ".1234", 123400 },
    { ".12345", 123450 },
    { ".123456", 123456 },
    { ".1234567", 123456 },      /* beyond microseconds: truncated */
    { ".12345678", 123456 },
    { ".123456789", 123456 },
    { ".999999999", 999999 },    /* truncated, never rounded up into the next second */
    { ".000001", 1 },
    { ".0000009", 0 },
    { ".0", 0 },
    { ".000000000", 0 },
  };
  gint64 base = USEC (T_2026_11_25_171437_UTC);
  gint64 local_base = local_usec (2026, 11, 25, 17, 14, 37, 0);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *zulu = g_strdup_printf ("2026-11-25T17:14:37%sZ", cases[i].fraction);
      g_autofree char *naive = g_strdup_printf ("2026-11-25T17:14:37%s", cases[i].fraction);
      g_autofree char *offset = g_strdup_printf ("2026-11-25T18:14:37%s+01:00", cases[i].fraction);

      g_assert_cmpint (parse_ok_ts (zulu), ==, base + cases[i].usec);
      g_assert_cmpint (parse_ok_ts (naive), ==, local_base + cases[i].usec);
      g_assert_cmpint (parse_ok_ts (offset), ==, base + cases[i].usec);
    }
}

static void
test_parse_rejects (void)
{
  static const char * const bad[] = {
    "",
    " ",
    "2026",
    "2026-11-25",
    "2026-11-25T",
    "2026-11-25T17",
    "2026-11-25T17:14",
    "2026-11-25T17:14:",
    "2026-11-25T17:14:3",
    "2026-11-25T17:14:37.",
    "2026-11-25T17:14:37.Z",
    "2026-11-25T17:14:37.+02:00",
    "2026-11-25T17:14:37.12a",
    "2026-11-25T17:14:37 ",
    " 2026-11-25T17:14:37",
    "2026-11-25t17:14:37",
    "2026-11-25X17:14:37",
    "2026/11/25T17:14:37",
    "2026-11-25T17-14-37",
    "26-11-25T17:14:37",
    "+2026-11-25T17:14:37",
    "-2026-11-25T17:14:37",
    "2026-1-25T17:14:37",
    "2026-11-5T17:14:37",
    "2026-11-25T7:14:37",
    "2026-00-25T17:14:37",
    "2026-13-25T17:14:37",
    "2026-11-00T17:14:37",
    "2026-11-32T17:14:37",
    "2026-11-25T24:00:00",
    "2026-11-25T17:60:00",
    "2026-11-25T17:14:61",
    "2026-11-25T17:14:37z",
    "2026-11-25T17:14:37ZZ",
    "2026-11-25T17:14:37Z ",
    "2026-11-25T17:14:37UTC",
    "2026-11-25T17:14:37+2:00",
    "2026-11-25T17:14:37+02:0",
    "2026-11-25T17:14:37+02:000",
    "2026-11-25T17:14:37+02:00:00",
    "2026-11-25T17:14:37+24:00",
    "2026-11-25T17:14:37+02:60",
    "2026-11-25T17:14:37+",
    "2026-11-25T17:14:37-",
    "2026-11-25T17:14:37+ab:cd",
    "2026-11-25T17:14:37Z+02:00",
    "2026-11-25T17:14:37\n",
    "２０２６-11-25T17:14:37",     /* full-width digits */
    "not a timestamp",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 t = 42;

      if (lablink_parse_timestamp (bad[i], strlen (bad[i]), &t))
        g_test_message ("accepted: \"%s\"", bad[i]);
      g_assert_false (lablink_parse_timestamp (bad[i], strlen (bad[i]), &t));
      g_assert_cmpint (t, ==, 42);  /* not written on failure */
    }
}

/* The documented edges: a leap second (60) is accepted and lands on the next
 * minute; @length is honoured (the text need not be nul-terminated). */
static void
test_parse_edges (void)
{
  const char *buffer = "2026-11-25T17:14:37.638915Z and more";
  gint64 t;

  g_assert_cmpint (parse_ok_ts ("2026-12-31T23:59:60Z"), ==, parse_ok_ts ("2027-01-01T00:00:00Z"));

  g_assert_true (lablink_parse_timestamp (buffer, 27, &t));
  g_assert_cmpint (t, ==, USEC (T_2026_11_25_171437_UTC) + 638915);
  g_assert_true (lablink_parse_timestamp (buffer, 26, &t));   /* without the Z: local */
  g_assert_cmpint (t, ==, local_usec (2026, 11, 25, 17, 14, 37, 638915));
  g_assert_true (lablink_parse_timestamp (buffer, 19, &t));
  g_assert_cmpint (t, ==, local_usec (2026, 11, 25, 17, 14, 37, 0));
  g_assert_false (lablink_parse_timestamp (buffer, 20, &t));  /* "…37." */
  g_assert_false (lablink_parse_timestamp (buffer, 18, &t));
  g_assert_false (lablink_parse_timestamp (buffer, 0, &t));
  g_assert_false (lablink_parse_timestamp (buffer, 28, &t));  /* "Z " */
}

/* Agrees with GLib's own ISO-8601 parser on the server's timestamps. */
static void
test_parse_matches_gdatetime (void)
{
  g_autoptr(GPtrArray) lines = codec_load_fixture (FIXTURE_PATCHED);
  g_autoptr(GRegex) regex = g_regex_new ("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}", 0, 0, NULL);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  guint i, n = 0;

  for (i = 0; i < lines->len; i++)
    {
      const FixtureLine *line = g_ptr_array_index (lines, i);
      const char *text = fixture_str (line, "frame") ? fixture_str (line, "frame") : fixture_str (line, "body");
      g_autoptr(GMatchInfo) match = NULL;

      if (text == NULL)
        continue;
      for (g_regex_match (regex, text, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
        {
          g_autofree char *ts = g_match_info_fetch (match, 0);
          g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (ts, local);
          gint64 t = parse_ok_ts (ts);

          g_assert_nonnull (dt);
          /* GDateTime goes through a double: allow 1 µs */
          g_assert_cmpint (ABS (t - (g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt))), <=, 1);
          g_assert_cmpint (t, ==, ref_local_usec (ts));
          n++;
        }
    }
  g_test_message ("%u timestamps compared", n);
  g_assert_cmpuint (n, >, 1000);
}

/* format → parse is the identity for every instant that has one local
 * spelling (the hour repeated when DST ends has two; naive text cannot tell
 * them apart, and the standard-time one is taken). */
static gboolean
is_ambiguous (gint64 t)
{
  g_autofree char *a = lablink_format_timestamp (t);
  g_autofree char *before = lablink_format_timestamp (t - USEC (3600));
  g_autofree char *after = lablink_format_timestamp (t + USEC (3600));

  /* same wall clock an hour apart → the wall clock was set back */
  return strcmp (a + 11, before + 11) == 0 || strcmp (a + 11, after + 11) == 0;
}

static void
check_format_round_trip (gint64 t)
{
  g_autofree char *text = lablink_format_timestamp (t);
  g_autoptr(GDateTime) dt = NULL;
  gint64 back;

  g_assert_cmpuint (strlen (text), ==, 26);
  g_assert_true (text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' && text[16] == ':' && text[19] == '.');

  /* The text is the local wall clock (GDateTime's opinion). */
  dt = g_date_time_new_from_unix_local (t >= 0 ? t / G_USEC_PER_SEC : -((-t + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
  {
    g_autofree char *expected = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
    g_assert_cmpint (strncmp (text, expected, 19), ==, 0);
  }

  back = parse_ok_ts (text);
  if (back != t && is_ambiguous (t))
    {
      g_assert_cmpint (ABS (back - t), ==, USEC (3600));
      return;
    }
  if (back != t)
    g_test_message ("%" G_GINT64_FORMAT " formatted as %s parsed back as %" G_GINT64_FORMAT, t, text, back);
  g_assert_cmpint (back, ==, t);
}

static void
test_format_round_trip (void)
{
  static const gint64 fixed[] = {
    0, 1, -1, 999999, -999999, 1000000, -1000000,
    G_GINT64_CONSTANT (1795626877638915),      /* 2026-11-25T17:14:37.638915Z */
    G_GINT64_CONSTANT (1782907200000000),      /* 2026-07-01T12:00:00Z */
    G_GINT64_CONSTANT (951782400000000),       /* 2000-02-29 */
    G_GINT64_CONSTANT (-2208988800000000),     /* 1900-01-01 */
    G_GINT64_CONSTANT (4107542400123456),      /* 2100-03-01 */
    G_GINT64_CONSTANT (253402214400000000),    /* 9999-12-31T00:00:00Z */
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (fixed); i++)
    check_format_round_trip (fixed[i]);

  /* Every hour of 2026, and random instants from 1902 to 2100. */
  for (i = 0; i < 365 * 24; i++)
    check_format_round_trip (USEC (G_GINT64_CONSTANT (1767225600) + (gint64) i * 3600) + (gint64) i * 7);
  for (i = 0; i < 5000; i++)
    check_format_round_trip ((gint64) g_test_rand_double_range (-2147483648.0 * 1e6, 4102444800.0 * 1e6));
}

static void
test_format_exact (void)
{
  g_autofree char *a = lablink_format_timestamp (local_usec (2026, 11, 25, 17, 14, 37, 638915));
  g_autofree char *b = lablink_format_timestamp (local_usec (2026, 1, 2, 3, 4, 5, 6));
  g_autofree char *c = lablink_format_timestamp (local_usec (1969, 12, 31, 23, 59, 59, 999999));
  g_autoptr(GString) json = g_string_new (NULL);

  g_assert_cmpstr (a, ==, "2026-11-25T17:14:37.638915");
  g_assert_cmpstr (b, ==, "2026-01-02T03:04:05.000006");
  g_assert_cmpstr (c, ==, "1969-12-31T23:59:59.999999");

  lablink_json_append_timestamp (json, local_usec (2026, 11, 25, 17, 14, 37, 638915));
  g_assert_cmpstr (json->str, ==, "\"2026-11-25T17:14:37.638915\"");

  if (g_getenv ("LABLINK_TEST_TZ") == NULL)
    {
      /* CET: the epoch is 01:00 local */
      g_autofree char *epoch = lablink_format_timestamp (0);
      g_autofree char *before = lablink_format_timestamp (-1);
      g_assert_cmpstr (epoch, ==, "1970-01-01T01:00:00.000000");
      g_assert_cmpstr (before, ==, "1970-01-01T00:59:59.999999");
    }
}

/* lablink_message_get_timestamp(): strings only, unescaped, valid. */
static void
test_message_timestamps (void)
{
  g_autoptr(LablinkMessage) m = parse_ok (
    "{\"type\": \"alarm_event\", \"data\": {"
    "\"naive\": \"2026-11-25T17:14:37.638915\", \"zulu\": \"2026-11-25T17:14:37Z\", "
    "\"offset\": \"2026-11-25T19:14:37+02:00\", \"bad\": \"yesterday\", \"number\": 1795626877, "
    "\"null\": null, \"escaped\": \"2026-11-25T17:14:37\\u002e638915\", \"list\": [\"2026-11-25T17:14:37Z\"]}}");
  gint64 t = 0;

  g_assert_true (lablink_message_get_timestamp (m, "data.naive", &t));
  g_assert_cmpint (t, ==, local_usec (2026, 11, 25, 17, 14, 37, 638915));
  g_assert_true (lablink_message_get_timestamp (m, "data.zulu", &t));
  g_assert_cmpint (t, ==, USEC (T_2026_11_25_171437_UTC));
  g_assert_true (lablink_message_get_timestamp (m, "data.offset", &t));
  g_assert_cmpint (t, ==, USEC (T_2026_11_25_171437_UTC));
  g_assert_true (lablink_message_get_timestamp (m, "data.list.0", &t));
  g_assert_cmpint (t, ==, USEC (T_2026_11_25_171437_UTC));
  g_assert_false (lablink_message_get_timestamp (m, "data.bad", &t));
  g_assert_false (lablink_message_get_timestamp (m, "data.number", &t));
  g_assert_false (lablink_message_get_timestamp (m, "data.null", &t));
  g_assert_false (lablink_message_get_timestamp (m, "data.missing", &t));
  g_assert_false (lablink_message_get_timestamp (m, "data", &t));
  /* Escaped timestamp strings are refused rather than decoded (documented
   * limitation: the server never escapes them). */
  g_assert_false (lablink_message_get_timestamp (m, "data.escaped", &t));
}

/* Acquisition windows may also carry numeric timestamps (seconds). */
static void
test_acquisition_numeric_timestamps (void)
{
  g_autoptr(LablinkMessage) m = parse_ok (
    "{\"type\": \"acquisition_stream\", \"acquisition_id\": \"a\", \"state\": \"acquiring\", \"stats\": null, "
    "\"data\": {\"timestamps\": [-0.25, 1795626877.5, \"2026-11-25T17:14:38Z\", 1795626879], "
    "\"values\": {\"CH1\": [1, 2, 3, 4]}, \"count\": 4}}");
  const gint64 *times;
  gsize n = 0;

  times = lablink_message_get_sample_times (m, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (times[0], ==, -250000);
  g_assert_cmpint (times[1], ==, USEC (T_2026_11_25_171437_UTC) + 500000);
  g_assert_cmpint (times[2], ==, USEC (T_2026_11_25_171437_UTC + 1));
  g_assert_cmpint (times[3], ==, USEC (T_2026_11_25_171437_UTC + 2));
  g_assert_null (lablink_message_get_invalid_samples (m, &n));
  g_assert_cmpuint (n, ==, 0);
}

/* ---------------------------------------------------------------------- */
/* The valid range of a sample time (issue 10). */

static void
test_sample_time_range (void)
{
  gint64 now = USEC (T_2026_11_25_171437_UTC);
  gint64 t = 42;

  g_assert_true (lablink_sample_time_is_valid (now, now));
  g_assert_true (lablink_sample_time_is_valid (0, now));
  g_assert_true (lablink_sample_time_is_valid (LABLINK_SAMPLE_TIME_MIN, 0));
  g_assert_false (lablink_sample_time_is_valid (LABLINK_SAMPLE_TIME_MIN - 1, 0));
  g_assert_true (lablink_sample_time_is_valid (LABLINK_SAMPLE_TIME_MAX - 1, 0));
  g_assert_false (lablink_sample_time_is_valid (LABLINK_SAMPLE_TIME_MAX, 0));
  g_assert_false (lablink_sample_time_is_valid (G_MAXINT64, 0));
  g_assert_false (lablink_sample_time_is_valid (G_MININT64, 0));
  g_assert_cmpint (parse_ok_ts ("1900-01-01T00:00:00Z"), ==, LABLINK_SAMPLE_TIME_MIN);
  g_assert_cmpint (parse_ok_ts ("2200-01-01T00:00:00Z"), ==, LABLINK_SAMPLE_TIME_MAX);
  g_assert_false (lablink_sample_time_is_valid (parse_ok_ts ("9999-12-31T23:59:59.000000"), 0));
  /* More than a year ahead of the clock that received it. */
  g_assert_true (lablink_sample_time_is_valid (now + LABLINK_SAMPLE_TIME_MAX_AHEAD, now));
  g_assert_false (lablink_sample_time_is_valid (now + LABLINK_SAMPLE_TIME_MAX_AHEAD + 1, now));

  g_assert_true (lablink_sample_time_from_seconds (1795626877.5, &t));
  g_assert_cmpint (t, ==, USEC (T_2026_11_25_171437_UTC) + 500000);
  g_assert_true (lablink_sample_time_from_seconds (-0.25, &t));
  g_assert_cmpint (t, ==, -250000);
  t = 42;
  g_assert_false (lablink_sample_time_from_seconds (9.2e12, &t));
  g_assert_false (lablink_sample_time_from_seconds (1e300, &t));
  g_assert_false (lablink_sample_time_from_seconds (-1e300, &t));
  g_assert_false (lablink_sample_time_from_seconds (9.3e12, &t));      /* beyond gint64 µs */
  g_assert_false (lablink_sample_time_from_seconds (NAN, &t));
  g_assert_false (lablink_sample_time_from_seconds (INFINITY, &t));
  g_assert_false (lablink_sample_time_from_seconds (7258118400.0, &t));
  g_assert_cmpint (t, ==, 42);
}

/* An acquisition stream with one bad sample among good ones, as overlapping
 * windows: every good sample is kept, in order, and the bad one counted
 * once, however many windows it is in. */
static void
check_stream_with_bad_sample (const char *bad)
{
  const guint n_total = 61, window = 20, step = 3, bad_index = 20;
  gint64 base = USEC (T_2026_11_25_171437_UTC);
  gint64 last = G_MININT64, bad_anchor = G_MININT64;
  guint n_kept = 0, n_bad = 0, bad_anchor_count = 0;
  gboolean have_bad = FALSE;
  guint end;

  for (end = 1; end <= n_total + step; end += step)
    {
      guint last_index = MIN (end, n_total), first = last_index > window ? last_index - window : 0, i;
      g_autoptr(GString) text = g_string_new ("{\"type\": \"acquisition_stream\", \"acquisition_id\": \"a\", "
                                              "\"state\": \"acquiring\", \"stats\": null, \"data\": {\"timestamps\": [");
      g_autoptr(LablinkMessage) m = NULL;
      g_autoptr(GError) error = NULL;
      const gint64 *times, *invalid;
      const double *values;
      gsize n = 0, n_invalid = 0, k;

      for (i = first; i < last_index; i++)
        {
          g_autofree char *stamp = lablink_format_timestamp (base + (gint64) i * 100000);

          if (i > first)
            g_string_append (text, ", ");
          if (i == bad_index)
            g_string_append (text, bad);
          else
            g_string_append_printf (text, "\"%s\"", stamp);
        }
      g_string_append (text, "], \"values\": {\"CH1\": [");
      for (i = first; i < last_index; i++)
        g_string_append_printf (text, "%s%u", i > first ? ", " : "", i);
      g_string_append (text, "]}}}");

      m = lablink_message_parse (text->str, -1, &error);
      g_assert_no_error (error);
      times = lablink_message_get_sample_times (m, &n);
      values = lablink_message_get_channel_values (m, 0, NULL);
      for (k = 0; k < n; k++)
        {
          /* Older than what was kept: skipped like any sample seen twice
           * (a stray past time at the start of a window is in order). */
          if (times[k] <= last)
            continue;
          /* the value says which sample this is */
          g_assert_cmpint (times[k], ==, base + (gint64) values[k] * 100000);
          g_assert_cmpfloat (values[k], !=, bad_index);
          g_assert_cmpfloat (values[k], ==, n_kept + (n_kept >= bad_index));
          n_kept++;
          last = times[k];
        }

      /* Counted once: a bad sample is known by the good one before it (and
       * its rank among the bad ones after that). */
      invalid = lablink_message_get_invalid_samples (m, &n_invalid);
      for (k = 0; k < n_invalid; )
        {
          gsize group = 1;

          g_assert_true (invalid[k] == G_MININT64 || invalid[k] == base + (gint64) (bad_index - 1) * 100000);
          while (k + group < n_invalid && invalid[k + group] == invalid[k])
            group++;
          if (!have_bad || invalid[k] > bad_anchor)
            {
              have_bad = TRUE;
              bad_anchor = invalid[k];
              bad_anchor_count = group;
              n_bad += group;
            }
          else if (invalid[k] == bad_anchor && group > bad_anchor_count)
            {
              n_bad += group - bad_anchor_count;
              bad_anchor_count = group;
            }
          k += group;
        }
    }
  g_assert_cmpuint (n_kept, ==, n_total - 1);
  g_assert_cmpuint (n_bad, ==, 1);
}

static void
test_acquisition_bad_sample (void)
{
  check_stream_with_bad_sample ("\"9999-12-31T23:59:59.000000\"");
  check_stream_with_bad_sample ("9.2e12");
  check_stream_with_bad_sample ("1e300");
  check_stream_with_bad_sample ("-1e300");
  check_stream_with_bad_sample ("NaN");
  check_stream_with_bad_sample ("null");
  check_stream_with_bad_sample ("\"yesterday\"");
  check_stream_with_bad_sample ("\"2150-01-01T00:00:00\"");
  check_stream_with_bad_sample ("\"2001-01-01T00:00:00\"");
}

/* ---------------------------------------------------------------------- */
/* Other zones, each in a subprocess (TZ is read once per process). */

static const struct {
  const char *tz;
  gint64      november_offset;   /* seconds east of UTC on 2026-11-25 */
  gint64      july_offset;       /* on 2026-07-01 */
} zones[] = {
  { "UTC0", 0, 0 },
  { "IST-5:30", 19800, 19800 },
  { "<+0545>-5:45", 20700, 20700 },
  { "EST5EDT,M3.2.0,M11.1.0", -18000, -14400 },
  { "AEST-10AEDT,M10.1.0,M4.1.0/3", 39600, 36000 },
  { "<-0330>3:30", -12600, -12600 },
};

static void
run_zone_checks (void)
{
  const char *tz = g_getenv ("TZ");
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (zones); i++)
    if (g_strcmp0 (zones[i].tz, tz) == 0)
      break;
  g_assert_cmpuint (i, <, G_N_ELEMENTS (zones));
  g_test_message ("TZ=%s", tz);

  g_assert_cmpint (parse_ok_ts ("2026-11-25T17:14:37"), ==, USEC (T_2026_11_25_171437_UTC - zones[i].november_offset));
  g_assert_cmpint (parse_ok_ts ("2026-07-01T12:00:00"), ==, USEC (G_GINT64_CONSTANT (1782907200) - zones[i].july_offset));
  g_assert_cmpint (parse_ok_ts ("2026-11-25T17:14:37Z"), ==, USEC (T_2026_11_25_171437_UTC));
  g_assert_cmpint (parse_ok_ts ("2026-11-25T19:14:37+02:00"), ==, USEC (T_2026_11_25_171437_UTC));

  test_parse_naive_local ();
  test_parse_fraction_digits ();
  test_format_exact ();
  test_format_round_trip ();
  test_parse_matches_gdatetime ();
}

static void
test_zones (void)
{
  gsize i;

  if (g_test_subprocess ())
    {
      run_zone_checks ();
      return;
    }

  for (i = 0; i < G_N_ELEMENTS (zones); i++)
    {
      g_test_message ("running the zone checks under TZ=%s", zones[i].tz);
      setenv ("LABLINK_TEST_TZ", zones[i].tz, 1);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      unsetenv ("LABLINK_TEST_TZ");
      g_test_trap_assert_passed ();
    }
}

void
codec_add_timestamp_tests (void)
{
  g_test_add_func ("/codec/timestamps/parse-naive-local", test_parse_naive_local);
  g_test_add_func ("/codec/timestamps/parse-zones", test_parse_zones);
  g_test_add_func ("/codec/timestamps/parse-fraction-digits", test_parse_fraction_digits);
  g_test_add_func ("/codec/timestamps/parse-rejects", test_parse_rejects);
  g_test_add_func ("/codec/timestamps/parse-edges", test_parse_edges);
  g_test_add_func ("/codec/timestamps/parse-matches-gdatetime", test_parse_matches_gdatetime);
  g_test_add_func ("/codec/timestamps/format-exact", test_format_exact);
  g_test_add_func ("/codec/timestamps/format-round-trip", test_format_round_trip);
  g_test_add_func ("/codec/timestamps/message-accessor", test_message_timestamps);
  g_test_add_func ("/codec/timestamps/acquisition-numeric", test_acquisition_numeric_timestamps);
  g_test_add_func ("/codec/timestamps/sample-time-range", test_sample_time_range);
  g_test_add_func ("/codec/timestamps/acquisition-bad-sample", test_acquisition_bad_sample);
  g_test_add_func ("/codec/timestamps/zones", test_zones);
}
