/* fuzz-timestamp.c — libFuzzer target: the ISO-8601 timestamp parser
 *
 * The input is the text of a timestamp as the server sends it in frames and
 * REST bodies (`2026-11-25T17:14:37.638915`, naive local time), or with a
 * zone. lablink_parse_timestamp() must never read past the text, and:
 *
 * - with an explicit zone (`Z`, `±HH[:MM]`) it must agree with GLib's own
 *   ISO-8601 parser whenever both accept the text (to a microsecond: GLib
 *   rounds fractions through a double), leap seconds aside (GLib keeps
 *   23:59:60 in the same minute, lablink_parse_timestamp() takes it as the
 *   next minute's first second);
 * - what it accepts, written back as the server writes it
 *   (lablink_format_timestamp()), must parse again to the same text.
 *
 * Naive times are local: the target runs in Europe/Berlin unless TZ is set,
 * so that the daylight-saving lookups are exercised.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lablink.h"
#include "fuzz-common.h"

static gboolean
has_zone (const char *text,
          gsize       length)
{
  /* The date and time take the first 19 characters. */
  if (length <= 19)
    return FALSE;
  if (text[length - 1] == 'Z')
    return TRUE;
  for (gsize i = 19; i < length; i++)
    if (text[i] == '+' || text[i] == '-')
      return TRUE;
  return FALSE;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  if (g_getenv ("TZ") == NULL)
    g_setenv ("TZ", "Europe/Berlin", TRUE);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autofree char *formatted = NULL;
  g_autofree char *again = NULL;
  gint64 usec = 0, usec2 = 0;

  if (!lablink_parse_timestamp (text, size, &usec))
    return 0;

  fuzz_check (size >= 19);

  if (has_zone (text, size) && memchr (text, '\0', size) == NULL &&
      !(text[17] == '6' && text[18] == '0'))
    {
      g_autofree char *copy = g_strndup (text, size);
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (copy, NULL);

      if (dt != NULL)
        {
          gint64 glib_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC +
                             g_date_time_get_microsecond (dt);

          if (ABS (glib_usec - usec) > 1)
            {
              g_printerr ("%s: lablink %" G_GINT64_FORMAT ", GLib %" G_GINT64_FORMAT "\n",
                          copy, usec, glib_usec);
              fuzz_check (ABS (glib_usec - usec) <= 1);
            }
        }
    }

  formatted = lablink_format_timestamp (usec);
  fuzz_check (lablink_parse_timestamp (formatted, strlen (formatted), &usec2));
  again = lablink_format_timestamp (usec2);
  if (strcmp (formatted, again) != 0)
    {
      g_printerr ("%.*s → %s → %s\n", (int) size, text, formatted, again);
      fuzz_check (strcmp (formatted, again) == 0);
    }

  return 0;
}
