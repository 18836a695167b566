/* manager-test-util.h — counting what a LablinkStreamManager delivers, and
 * waiting for it, in the stream manager tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <lablink.h>

#include "test-common.h"

G_BEGIN_DECLS

#define PSU   "ps_250e6dfe"
#define LOAD  "load_47fa0d5c"
#define SCOPE "scope_386959fc"

/* What a manager made by manager_test_new() delivered. */
typedef struct {
  GHashTable *counts;        /* stream key → count of stream-data */
  guint       messages;      /* "message" signals */
  guint       frame_errors;
  guint       acquisition;   /* acquisition-data with samples */
  guint       waveforms_with_samples;
  guint       events;
  guint64     last_seq;
} Counter;

void                  counter_init          (Counter       *c);
void                  counter_clear         (Counter       *c);
guint                 count_of              (Counter       *c,
                                             const char    *key);

/* A manager on @client (backoff 100 ms … 1 s, no keepalive to speak of)
 * counting into @c. */
LablinkStreamManager *new_manager           (LablinkClient *client,
                                             Counter       *c);

/* An async call waited for (connect_cb() fills it). */
typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
  gpointer result;
} Async;

gboolean              async_done            (gpointer       data);
void                  connect_cb            (GObject       *source,
                                             GAsyncResult  *result,
                                             gpointer       data);
gboolean              connect_manager       (LablinkStreamManager  *manager,
                                             GError               **error);
gboolean              is_connected          (gpointer       data);
/* Fails the test unless @key has delivered @at_least frames within @timeout_ms. */
void                  wait_count            (Counter       *c,
                                             const char    *key,
                                             guint          at_least,
                                             guint          timeout_ms);

/* A running 50 Sa/s acquisition of the PSU's CH1 and CH2. */
char                 *create_acquisition    (LablinkClient *client);
/* test_wait_until() condition: @data (a Counter) saw 3 acquisition frames. */
gboolean              acquisition_frames    (gpointer       data);

G_END_DECLS
