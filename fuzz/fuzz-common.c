/* fuzz-common.c — what the fuzz targets share: fatal GLib criticals, checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static GLogWriterOutput
fatal_writer (GLogLevelFlags   log_level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  GLogWriterOutput result = g_log_writer_default (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return result;
}

void
fuzz_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      g_log_set_writer_func (fatal_writer, NULL, NULL);
      g_once_init_leave (&initialized, 1);
    }
}

gsize
fuzz_touch_string (const char *str)
{
  gsize sum = 0;

  if (str == NULL)
    return 0;
  for (const char *p = str; *p != '\0'; p++)
    sum += (guchar) *p;
  return sum;
}

void
fuzz_fail (const char *file,
           int         line,
           const char *what)
{
  fprintf (stderr, "%s:%d: check failed: %s\n", file, line, what);
  abort ();
}
