/* lablink-review-window.h — a capture on disk, the whole recording at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <lablink.h>

#include "lablink-plot.h"

G_BEGIN_DECLS

#define LABLINK_TYPE_REVIEW_WINDOW (lablink_review_window_get_type ())
G_DECLARE_FINAL_TYPE (LablinkReviewWindow, lablink_review_window, LABLINK, REVIEW_WINDOW, AdwWindow)

LablinkReviewWindow *lablink_review_window_new            (GtkApplication       *application,
                                                           const char           *capture_directory);
gboolean             lablink_review_window_is_capture     (GFile                *file);
const char          *lablink_review_window_get_directory  (LablinkReviewWindow  *self);

/* For tests (and the code that drives the window). */
LablinkPlot         *lablink_review_window_get_plot       (LablinkReviewWindow  *self);
LablinkCaptureView  *lablink_review_window_get_view       (LablinkReviewWindow  *self);
const char          *lablink_review_window_get_status     (LablinkReviewWindow  *self);
void                 lablink_review_window_get_range      (LablinkReviewWindow  *self,
                                                           gint64               *start_usec,
                                                           gint64               *end_usec);
guint                lablink_review_window_get_n_gaps_shown (LablinkReviewWindow *self);
const double        *lablink_review_window_get_points     (LablinkReviewWindow  *self,
                                                           guint                 channel,
                                                           const double        **x,
                                                           gsize                *n);
void                 lablink_review_window_set_channel_visible (LablinkReviewWindow *self,
                                                           guint                 channel,
                                                           gboolean              visible);
void                 lablink_review_window_export_async   (LablinkReviewWindow  *self,
                                                           LablinkExportFormat   format,
                                                           GFile                *destination,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean             lablink_review_window_export_finish  (LablinkReviewWindow  *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

G_END_DECLS
