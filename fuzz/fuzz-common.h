/* fuzz-common.h — what the fuzz targets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

/* libFuzzer's entry points. */
int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* Makes every GLib critical and warning fatal: a g_return_if_fail() reached
 * from a parser is a bug found, as much as a crash is. */
void fuzz_init (void);

/* Touches every byte of a string, so that AddressSanitizer checks it. */
gsize fuzz_touch_string (const char *str);

/* Aborts with a message when @condition is false (also in release builds). */
#define fuzz_check(condition) \
  G_STMT_START { \
    if (G_UNLIKELY (!(condition))) \
      fuzz_fail (__FILE__, __LINE__, #condition); \
  } G_STMT_END

G_NORETURN void fuzz_fail (const char *file,
                           int         line,
                           const char *what);
