/* codec-numbers.c — lablink_json_append_double(), in any locale
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "codec-tests.h"

static char *
append_double (double   value,
               gboolean bare)
{
  GString *out = g_string_new (NULL);

  lablink_json_append_double (out, value, bare);
  return g_string_free (out, FALSE);
}

/* Values whose expected spelling does not depend on how "shortest" is
 * computed: integral values (Python's "5.0") and short binary fractions. */
static const struct {
  double      value;
  const char *text;
} exact_cases[] = {
  { 5.0, "5.0" },
  { 0.0, "0.0" },
  { 1.0, "1.0" },
  { -3.0, "-3.0" },
  { 1000.0, "1000.0" },
  { 1e9, "1000000000.0" },
  { 1e14, "100000000000000.0" },
  { 999999999999999.0, "999999999999999.0" },
  { -999999999999999.0, "-999999999999999.0" },
  { 0.5, "0.5" },
  { 1.5, "1.5" },
  { -2.75, "-2.75" },
  { 0.125, "0.125" },
  { 1234.5, "1234.5" },
  { 0.001953125, "0.001953125" },
};

static void
check_exact_and_nonfinite (void)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (exact_cases); i++)
    {
      g_autofree char *bare = append_double (exact_cases[i].value, TRUE);
      g_autofree char *plain = append_double (exact_cases[i].value, FALSE);

      g_assert_cmpstr (bare, ==, exact_cases[i].text);
      g_assert_cmpstr (plain, ==, exact_cases[i].text);
    }

  {
    g_autofree char *nan_bare = append_double (NAN, TRUE);
    g_autofree char *inf_bare = append_double (INFINITY, TRUE);
    g_autofree char *ninf_bare = append_double (-INFINITY, TRUE);
    g_autofree char *nan_null = append_double (NAN, FALSE);
    g_autofree char *inf_null = append_double (INFINITY, FALSE);
    g_autofree char *ninf_null = append_double (-INFINITY, FALSE);

    g_assert_cmpstr (nan_bare, ==, "NaN");
    g_assert_cmpstr (inf_bare, ==, "Infinity");
    g_assert_cmpstr (ninf_bare, ==, "-Infinity");
    g_assert_cmpstr (nan_null, ==, "null");
    g_assert_cmpstr (inf_null, ==, "null");
    g_assert_cmpstr (ninf_null, ==, "null");
  }

  /* It appends. */
  {
    g_autoptr(GString) out = g_string_new ("[");
    lablink_json_append_double (out, 5, FALSE);
    g_string_append_c (out, ',');
    lablink_json_append_double (out, NAN, TRUE);
    g_string_append_c (out, ',');
    lablink_json_append_double (out, NAN, FALSE);
    g_string_append_c (out, ']');
    g_assert_cmpstr (out->str, ==, "[5.0,NaN,null]");
  }
}

static double
random_double (void)
{
  guint64 bits;
  double d;

  do
    {
      bits = ((guint64) g_test_rand_int () << 32) | (guint32) g_test_rand_int ();
      memcpy (&d, &bits, sizeof d);
    }
  while (!isfinite (d));
  return d;
}

/* The text reads back (C library, the codec's own parser, json-glib) to the
 * same double. */
static void
check_round_trip (double value)
{
  g_autofree char *text = append_double (value, FALSE);
  g_autofree char *wrapped = g_strdup_printf ("[%s]", text);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ours = NULL;
  g_autoptr(JsonNode) ref = NULL;
  double back = g_ascii_strtod (text, NULL);
  JsonNode *element;

  if (!(back == value))
    g_test_message ("%.17g was written %s", value, text);
  g_assert_true (back == value);
  g_assert_null (strchr (text, ','));

  ours = lablink_json_parse (wrapped, -1, &error);
  g_assert_no_error (error);
  element = json_array_get_element (json_node_get_array (ours), 0);
  /* A double stays a double (written with ".0" or a fraction/exponent).
   * Integral values of 1e15 and more are checked in known-bugs. */
  if (fabs (value) < 1e15)
    g_assert_cmpint (json_node_get_value_type (element), ==, G_TYPE_DOUBLE);
  g_assert_true (json_node_get_double (element) == value);

  ref = ref_parse_json (wrapped, -1, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_get_double (json_array_get_element (json_node_get_array (ref), 0)) == value);
}

static void
check_round_trips (void)
{
  static const double special[] = {
    0.1, 0.2, 0.3, 1.0 / 3.0, 2.0 / 3.0, 5.000444620551635, 0.49995062717259475,
    DBL_MIN, DBL_MAX, -DBL_MAX, DBL_EPSILON, 5e-324, -5e-324, 1e-300, 1e300,
    9007199254740992.0, 9007199254740994.0, 1e15, 1e16, 1e17, 1e21, 1e22, 1e23,
    123456789.123, 1e-5, 1e-4, 0.0001234, 4.35, 0.07, 100.0, 1e-7, 2.5e-9,
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (special); i++)
    {
      check_round_trip (special[i]);
      check_round_trip (-special[i]);
    }
  for (i = 0; i < 2000; i++)
    check_round_trip (random_double ());
  for (i = 0; i < 2000; i++)
    check_round_trip (g_test_rand_double_range (-1e6, 1e6));
}

static void
test_append_double (void)
{
  check_exact_and_nonfinite ();
  check_round_trips ();
}

/* The same, with a locale whose decimal separator is a comma. The codec
 * must not write "5,0" (invalid JSON) nor misread "0.5". */
static void
test_append_double_locale (void)
{
  static const char * const names[] = { "de_DE.UTF-8", "de_DE.utf8", "de_DE" };
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  const char *chosen = NULL;
  char probe[16];
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (names) && chosen == NULL; i++)
    if (setlocale (LC_ALL, names[i]) != NULL)
      chosen = names[i];

  if (chosen == NULL)
    {
      g_test_skip ("no German locale available (see `locale -a`)");
      return;
    }

  g_snprintf (probe, sizeof probe, "%.1f", 0.5);
  if (strcmp (probe, "0,5") != 0)
    {
      setlocale (LC_ALL, saved);
      g_test_skip ("the German locale does not use a decimal comma here");
      return;
    }
  g_test_message ("running under %s", chosen);

  check_exact_and_nonfinite ();
  check_round_trips ();

  /* Parsing, building and the typed accessors are locale-independent too. */
  {
    g_autoptr(LablinkMessage) m = parse_ok ("{\"type\": \"stream_data\", \"equipment_id\": \"e\", \"stream_type\": \"readings\", "
                                            "\"data\": {\"voltage_actual\": 5.000444620551635, \"current_actual\": 1e-3}}");
    double d = 0;

    g_assert_true (lablink_message_get_double (m, "data.voltage_actual", &d));
    g_assert_cmpfloat (d, ==, 5.000444620551635);
    g_assert_true (lablink_message_get_double (m, "data.current_actual", &d));
    g_assert_cmpfloat (d, ==, 1e-3);
  }
  {
    g_autofree char *built = lablink_protocol_build_start_stream ("ps_250e6dfe", "readings", 1500);
    g_assert_cmpstr (built, ==,
                     "{\"type\": \"start_stream\", \"equipment_id\": \"ps_250e6dfe\", \"stream_type\": \"readings\", \"interval_ms\": 1500}");
  }

  setlocale (LC_ALL, saved);
}

void
codec_add_number_tests (void)
{
  g_test_add_func ("/codec/numbers/append-double", test_append_double);
  g_test_add_func ("/codec/numbers/append-double-de-locale", test_append_double_locale);
}
