/* lablink-renderer.c — the cairo renderer where OpenGL is a software rasterizer
 *
 * GTK 4.8 draws with its GL renderer whenever OpenGL works, including on
 * Mesa's software rasterizers (llvmpipe, softpipe, swrast): what a lab PC
 * without a GPU, a virtual machine or a remote desktop gets. There every
 * frame repaints the whole window on the CPU, through a GPU pipeline
 * emulated in software (no buffer age on those drivers: no partial
 * repaints), and each cairo-drawn plot is rasterised and then uploaded as a
 * texture: bench/bench-render measured ~60 ms of CPU per frame on the PSU
 * page against ~5 ms with GSK_RENDERER=cairo, which repaints only what
 * changed (src/monitor/README.md has the figures).
 *
 * So, at startup, before the first window is realised: if the user has not
 * chosen a renderer (GSK_RENDERER unset) and the display's GL context is a
 * software rasterizer, GSK_RENDERER is set to "cairo" for this process.
 * GSK_RENDERER stays the user's override (GSK_RENDERER=gl forces GL), the
 * decision uses GTK's documented variable only, and newer GTK goes the
 * same way (since 4.14 GSK passes over its GL renderer on llvmpipe while
 * another one is available). GSK reads the variable once, at the first
 * surface's renderer: this runs at startup, before any window is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <epoxy/gl.h>
#include <string.h>

#include "lablink-renderer.h"

static gboolean
is_software (const char *renderer)
{
  static const char * const software[] = { "llvmpipe", "softpipe", "swrast", "Software Rasterizer", NULL };

  for (guint i = 0; renderer != NULL && software[i] != NULL; i++)
    if (strstr (renderer, software[i]) != NULL)
      return TRUE;
  return FALSE;
}

/**
 * lablink_renderer_choose:
 * @display: the display the windows will be on
 *
 * Sets GSK_RENDERER=cairo for this process if the user chose no renderer
 * and OpenGL on @display is a software rasterizer.
 *
 * Returns: (nullable): the GL renderer's name if it chose cairo for it, else %NULL
 */
const char *
lablink_renderer_choose (GdkDisplay *display)
{
  static char *chosen_for = NULL;
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *renderer;

  if (display == NULL || g_getenv ("GSK_RENDERER") != NULL)
    return chosen_for;

  if (!gdk_display_prepare_gl (display, &error))
    return NULL; /* no GL: GTK uses cairo anyway */

  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    return NULL;
  gdk_gl_context_make_current (context);
  renderer = (const char *) glGetString (GL_RENDERER);
  if (is_software (renderer))
    {
      chosen_for = g_strdup (renderer);
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      g_debug ("OpenGL is %s, a software rasterizer: drawing with cairo (set GSK_RENDERER=gl to use GL)", renderer);
    }
  gdk_gl_context_clear_current ();
  return chosen_for;
}
