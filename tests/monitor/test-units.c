/* test-units.c — SI formatting and locale-proof parsing of the monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>

#include "lablink-units.h"

static void
test_format_si (void)
{
  struct { double v; const char *unit; guint digits; const char *expected; } cases[] = {
    { 0.0123, "V", 4, "12.30 mV" },
    { 3e-6, "s", 3, "3.00 µs" },
    { 1000.0, "Hz", 4, "1.000 kHz" },
    { 999.96e-3, "V", 4, "1.000 V" },
    { -2.5, "A", 3, "-2.50 A" },
    { 0.0, "V", 4, "0.000 V" },
    { 12.0e6, "S/s", 3, "12.0 MS/s" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = lablink_format_si (cases[i].v, cases[i].unit, cases[i].digits);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
  {
    g_autofree char *text = lablink_format_si (NAN, "V", 4);
    g_assert_cmpstr (text, ==, "—");
  }
}

static void
test_parse_number (void)
{
  struct { const char *text; double expected; } ok[] = {
    { "5", 5.0 }, { " 2.5 ", 2.5 }, { "2,5", 2.5 }, { "2.5m", 2.5e-3 }, { "2.5 mV", 2.5e-3 },
    { "100 ms", 0.1 }, { "3u", 3e-6 }, { "3 µs", 3e-6 }, { "1.000 kHz", 1000.0 }, { "-1e-3", -1e-3 },
    { "12.30 mV", 12.30e-3 },
  };
  const char *bad[] = { "", "abc", "1.2.3", "5 V 3", NULL };
  double v;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_assert_true (lablink_parse_number (ok[i].text, &v));
      g_assert_cmpfloat_with_epsilon (v, ok[i].expected, fabs (ok[i].expected) * 1e-12 + 1e-15);
    }
  for (i = 0; bad[i]; i++)
    g_assert_false (lablink_parse_number (bad[i], &v));
  g_assert_false (lablink_parse_number (NULL, &v));
}

static void
test_parse_locale (void)
{
  double v;

  /* Under a locale with a decimal comma, input parsing stays the same. */
  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL && setlocale (LC_NUMERIC, "fr_FR.UTF-8") == NULL)
    {
      g_test_skip ("no locale with a decimal comma installed");
      return;
    }
  g_assert_true (lablink_parse_number ("2.5", &v));
  g_assert_cmpfloat (v, ==, 2.5);
  g_assert_true (lablink_parse_number ("2,5", &v));
  g_assert_cmpfloat (v, ==, 2.5);
  setlocale (LC_NUMERIC, "C");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/units/format-si", test_format_si);
  g_test_add_func ("/units/parse", test_parse_number);
  g_test_add_func ("/units/parse-locale", test_parse_locale);

  return g_test_run ();
}
