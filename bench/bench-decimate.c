/* bench-decimate.c — lablink_decimate_minmax(): microseconds to decimate
 * a million points to a plot's pixel columns (what a plot frame costs
 * before PLplot draws anything).
 *
 * Run by hand: build/bench/bench-decimate [--points N] [--columns C]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lablink.h>
#include <math.h>

int
main (int   argc,
      char *argv[])
{
  gint64 points = 1000000;
  int columns = 2000;
  int rounds = 20;
  GOptionEntry entries[] = {
    { "points", 'n', 0, G_OPTION_ARG_INT64, &points, "Points to decimate", "N" },
    { "columns", 'c', 0, G_OPTION_ARG_INT, &columns, "Pixel columns", "C" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Rounds (the best is printed)", "R" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- decimation benchmark");
  g_autoptr(GError) error = NULL;
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  g_autofree double *xo = NULL;
  g_autofree double *yo = NULL;
  gint64 best = G_MAXINT64, total = 0;
  gsize n, i, out = 0;
  int round;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || points < 2 || columns < 1 || rounds < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "bad arguments");
      return 2;
    }

  n = (gsize) points;
  x = g_new (double, n);
  y = g_new (double, n);
  xo = g_new (double, lablink_decimate_minmax_bound (n, (guint) columns));
  yo = g_new (double, lablink_decimate_minmax_bound (n, (guint) columns));
  for (i = 0; i < n; i++)
    {
      x[i] = (double) i;
      y[i] = sin (i * 0.001);
    }

  for (round = 0; round < rounds; round++)
    {
      gint64 t0 = g_get_monotonic_time (), dt;

      out = lablink_decimate_minmax (x, y, n, 0, n - 1.0, (guint) columns, xo, yo);
      dt = g_get_monotonic_time () - t0;
      best = MIN (best, dt);
      total += dt;
    }

  g_print ("decimating %" G_GSIZE_FORMAT " points to %d columns (%" G_GSIZE_FORMAT " out): "
           "best %" G_GINT64_FORMAT " us, mean %" G_GINT64_FORMAT " us over %d rounds\n",
           n, columns, out, best, total / rounds, rounds);
  return 0;
}
