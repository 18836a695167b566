/* lablink-units.c — SI-prefixed number formatting for display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "lablink-units.h"

static const struct {
  int         exponent;
  const char *prefix;
} prefixes[] = {
  { -12, "p" }, { -9, "n" }, { -6, "µ" }, { -3, "m" }, { 0, "" },
  { 3, "k" }, { 6, "M" }, { 9, "G" },
};

const char *
lablink_si_prefix (double  value,
                   double *factor)
{
  double a = fabs (value);
  int exponent, i;

  if (!isfinite (a) || a == 0.0)
    {
      if (factor)
        *factor = 1.0;
      return "";
    }

  /* Round first, so that 999.96 mV is shown as 1.000 V rather than 1000.0 mV. */
  exponent = (int) floor (log10 (a * (1.0 + 1e-9)) / 3.0) * 3;
  exponent = CLAMP (exponent, -12, 9);
  for (i = 0; i < (int) G_N_ELEMENTS (prefixes); i++)
    if (prefixes[i].exponent == exponent)
      {
        if (factor)
          *factor = pow (10.0, -exponent);
        return prefixes[i].prefix;
      }

  if (factor)
    *factor = 1.0;
  return "";
}

char *
lablink_format_si (double      value,
                   const char *unit,
                   guint       digits)
{
  double factor, scaled;
  const char *prefix;
  int int_digits, decimals;

  if (isnan (value))
    return g_strdup ("—");
  if (isinf (value))
    return g_strdup_printf ("%s∞ %s", value < 0 ? "−" : "", unit ? unit : "");

  digits = CLAMP (digits, 1, 12);
  prefix = lablink_si_prefix (value, &factor);
  scaled = value * factor;
  int_digits = fabs (scaled) < 1.0 ? 1 : (int) floor (log10 (fabs (scaled))) + 1;
  decimals = MAX (0, (int) digits - int_digits);

  /* 999.96 mV to 4 digits is 1.000 V, not 1000.0 mV. */
  if (fabs (round (scaled * pow (10, decimals)) / pow (10, decimals)) >= 1000.0 && factor > 1e-9)
    {
      prefix = lablink_si_prefix (value * 1.001, &factor);
      scaled = value * factor;
      int_digits = fabs (scaled) < 1.0 ? 1 : (int) floor (log10 (fabs (scaled))) + 1;
      decimals = MAX (0, (int) digits - int_digits);
    }

  /* Locale-dependent decimal separator: this is for display only. */
  return g_strdup_printf ("%.*f %s%s", decimals, scaled, prefix, unit ? unit : "");
}

char *
lablink_format_fixed (double      value,
                      const char *unit,
                      guint       decimals)
{
  if (isnan (value))
    return g_strdup_printf ("— %s", unit ? unit : "");
  return g_strdup_printf ("%.*f %s", (int) MIN (decimals, 9), value, unit ? unit : "");
}

gboolean
lablink_parse_number (const char *text,
                      double     *value)
{
  g_autofree char *copy = NULL;
  char *end = NULL, *p;
  double v, factor = 1.0;

  if (text == NULL)
    return FALSE;

  copy = g_strstrip (g_strdup (text));
  for (p = copy; *p; p++)
    if (*p == ',')
      *p = '.';
  if (*copy == '\0')
    return FALSE;

  v = g_ascii_strtod (copy, &end);
  if (end == copy)
    return FALSE;
  while (*end == ' ')
    end++;

  if (g_str_has_prefix (end, "µ") || *end == 'u')
    factor = 1e-6, end += *end == 'u' ? 1 : strlen ("µ");
  else if (*end == 'n')
    factor = 1e-9, end++;
  else if (*end == 'm')
    factor = 1e-3, end++;
  else if (*end == 'k')
    factor = 1e3, end++;
  else if (*end == 'M')
    factor = 1e6, end++;

  /* A unit may follow ("2.5 mV", "100 ms"); anything else is an error. */
  while (g_ascii_isalpha (*end) || *end == ' ')
    end++;
  if (*end != '\0' || !isfinite (v))
    return FALSE;

  *value = v * factor;
  return TRUE;
}

char *
lablink_format_duration (double seconds)
{
  guint64 s;

  if (!(seconds >= 0))
    return g_strdup ("—");
  s = (guint64) seconds;
  if (s < 60)
    return g_strdup_printf (_("%.1f s"), seconds);
  if (s < 3600)
    return g_strdup_printf (_("%u min %02u s"), (guint) (s / 60), (guint) (s % 60));
  return g_strdup_printf (_("%u h %02u min"), (guint) (s / 3600), (guint) ((s / 60) % 60));
}
