/* lablink-sim-thread.h — a simulated server on a thread of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lablink-sim-server.h"

G_BEGIN_DECLS

/**
 * LablinkSimThreadSetup:
 * @server: the server, not yet listening
 * @user_data: the data given to lablink_sim_thread_new()
 *
 * Sets @server up (instruments, options) on the simulator's own thread,
 * before it listens.
 */
typedef void (*LablinkSimThreadSetup) (LablinkSimServer *server,
                                       gpointer          user_data);

#define LABLINK_SIM_TYPE_THREAD (lablink_sim_thread_get_type ())
G_DECLARE_FINAL_TYPE (LablinkSimThread, lablink_sim_thread, LABLINK_SIM, THREAD, GObject)

LablinkSimThread *lablink_sim_thread_new        (const char             *address,
                                                 LablinkSimThreadSetup   setup,
                                                 gpointer                user_data,
                                                 GError                **error);
const char       *lablink_sim_thread_get_url    (LablinkSimThread       *self);
LablinkSimServer *lablink_sim_thread_get_server (LablinkSimThread       *self);
void              lablink_sim_thread_stop       (LablinkSimThread       *self);

G_END_DECLS
