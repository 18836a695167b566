/* lablink-version-macros.h — what liblablink exports, and since when
 *
 * liblablink is built with hidden symbol visibility: only the functions
 * declared with one of these macros are exported from the shared library.
 * Every public function is declared with LABLINK_AVAILABLE_IN_ALL (the API
 * of the first release); a function added later gets
 * LABLINK_AVAILABLE_IN_x_y, a deprecated one LABLINK_DEPRECATED_IN_x_y or
 * LABLINK_DEPRECATED_IN_x_y_FOR(replacement) (define them here, as GLib's
 * gversionmacros.h does, when the first one is needed).
 *
 * Applications may define LABLINK_DISABLE_DEPRECATION_WARNINGS to silence
 * the deprecation warnings.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(LABLINK_INSIDE) && !defined(LABLINK_COMPILATION)
# error "Only <lablink.h> can be included directly."
#endif

#include "lablink-version.h"

#ifndef _LABLINK_EXTERN
# if defined(__GNUC__) || defined(__clang__)
#  define _LABLINK_EXTERN __attribute__((visibility ("default"))) extern
# else
#  define _LABLINK_EXTERN extern
# endif
#endif

#if defined(__GNUC__) || defined(__clang__)
# define _LABLINK_DEPRECATED __attribute__((__deprecated__))
# define _LABLINK_DEPRECATED_FOR(f) __attribute__((__deprecated__ ("Use '" #f "' instead")))
# define _LABLINK_UNAVAILABLE(maj,min) __attribute__((__deprecated__ ("Not available before " #maj "." #min)))
#else
# define _LABLINK_DEPRECATED
# define _LABLINK_DEPRECATED_FOR(f)
# define _LABLINK_UNAVAILABLE(maj,min)
#endif

#ifdef LABLINK_DISABLE_DEPRECATION_WARNINGS
# define LABLINK_DEPRECATED _LABLINK_EXTERN
# define LABLINK_DEPRECATED_FOR(f) _LABLINK_EXTERN
# define LABLINK_UNAVAILABLE(maj,min) _LABLINK_EXTERN
#else
# define LABLINK_DEPRECATED _LABLINK_DEPRECATED _LABLINK_EXTERN
# define LABLINK_DEPRECATED_FOR(f) _LABLINK_DEPRECATED_FOR (f) _LABLINK_EXTERN
# define LABLINK_UNAVAILABLE(maj,min) _LABLINK_UNAVAILABLE (maj, min) _LABLINK_EXTERN
#endif

/**
 * LABLINK_VERSION_0_1:
 *
 * The version of the first release of liblablink (0.1), encoded with
 * LABLINK_ENCODE_VERSION().
 */
#define LABLINK_VERSION_0_1 (LABLINK_ENCODE_VERSION (0, 1, 0))

/**
 * LABLINK_AVAILABLE_IN_ALL:
 *
 * Marks a function as part of the public API since the first release: it
 * is exported from the shared library.
 */
#define LABLINK_AVAILABLE_IN_ALL _LABLINK_EXTERN
