/* lablink-units.h — SI-prefixed number formatting for display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The SI prefix of engineering notation for @value ("m" for 0.012, "µ" for
 * 3e-6, "" for 5), and the factor to multiply by. */
const char *lablink_si_prefix          (double      value,
                                        double     *factor);
/* "12.34 mV": @digits significant digits, never exponent notation. */
char       *lablink_format_si          (double      value,
                                        const char *unit,
                                        guint       digits);
/* Fixed decimals with a thin space before the unit: "5.002 V". */
char       *lablink_format_fixed       (double      value,
                                        const char *unit,
                                        guint       decimals);
/* Parses user input with g_ascii_strtod, accepting an SI prefix and a
 * decimal comma: "2.5m" → 0.0025. */
gboolean    lablink_parse_number       (const char *text,
                                        double     *value);
char       *lablink_format_duration    (double      seconds);

G_END_DECLS
