/* lablink-renderer.h — which GSK renderer the app's windows use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

const char *lablink_renderer_choose (GdkDisplay *display);

G_END_DECLS
