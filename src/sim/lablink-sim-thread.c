/* lablink-sim-thread.c — a simulated server on a thread of its own
 *
 * The monitor's demo runs the simulator in its own process. On the app's
 * main thread, the simulator's work (formatting hundreds of thousands of
 * samples a second for a fast acquisition) would compete with drawing and
 * delay every frame; on a thread of its own, with its own GMainContext, it
 * stands where a real server stands: beside the app, not in its way.
 *
 * Everything of the server is created, used and destroyed on that thread.
 * From other threads only its thread-safe calls may be used
 * (lablink_sim_server_emit_event(), lablink_sim_server_broadcast_text(),
 * lablink_sim_server_get_url() once started).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lablink-sim-thread.h"

struct _LablinkSimThread
{
  GObject           parent_instance;

  GThread          *thread;
  GMainContext     *context;
  GMainLoop        *loop;
  LablinkSimServer *server;
  char             *url;

  /* Start-up hand-over, under @mutex */
  GMutex            mutex;
  GCond             cond;
  gboolean          started;
  GError           *error;

  char                  *address;
  LablinkSimThreadSetup  setup;
  gpointer               setup_data;
};

G_DEFINE_FINAL_TYPE (LablinkSimThread, lablink_sim_thread, G_TYPE_OBJECT)

static gpointer
sim_thread_main (gpointer data)
{
  LablinkSimThread *self = data;
  g_autoptr(LablinkSimServer) server = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (self->context);

  server = lablink_sim_server_new ();
  if (self->setup != NULL)
    self->setup (server, self->setup_data);
  if (lablink_sim_server_listen (server, self->address, 0, &error))
    {
      self->server = g_object_ref (server);
      self->url = g_strdup (lablink_sim_server_get_url (server));
    }

  g_mutex_lock (&self->mutex);
  self->started = TRUE;
  self->error = g_steal_pointer (&error);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (self->server != NULL)
    {
      g_main_loop_run (self->loop);
      lablink_sim_server_stop (self->server);
      g_clear_object (&self->server);
      g_clear_object (&server);
      /* Let what the stop scheduled (closing connections) run out here. */
      while (g_main_context_iteration (self->context, FALSE))
        ;
    }

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/**
 * lablink_sim_thread_stop:
 * @self: a simulator thread
 *
 * Stops the server and waits for its thread to end. Idempotent.
 */
void
lablink_sim_thread_stop (LablinkSimThread *self)
{
  g_return_if_fail (LABLINK_SIM_IS_THREAD (self));

  if (self->thread == NULL)
    return;
  g_main_context_invoke_full (self->context, G_PRIORITY_HIGH, quit_cb,
                              g_main_loop_ref (self->loop), (GDestroyNotify) g_main_loop_unref);
  g_thread_join (g_steal_pointer (&self->thread));
}

static void
lablink_sim_thread_finalize (GObject *object)
{
  LablinkSimThread *self = LABLINK_SIM_THREAD (object);

  lablink_sim_thread_stop (self);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_error (&self->error);
  g_free (self->url);
  g_free (self->address);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (lablink_sim_thread_parent_class)->finalize (object);
}

static void
lablink_sim_thread_class_init (LablinkSimThreadClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lablink_sim_thread_finalize;
}

static void
lablink_sim_thread_init (LablinkSimThread *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
}

/**
 * lablink_sim_thread_new:
 * @address: (nullable): the IP address to listen on (default 127.0.0.1)
 * @setup: (nullable) (scope call): sets the server up on its thread
 * @user_data: data for @setup
 * @error: return location for an error
 *
 * Starts a simulated server on a free port of @address, on a new thread,
 * and returns once it listens (or failed to).
 *
 * Returns: (transfer full) (nullable): the running simulator
 */
LablinkSimThread *
lablink_sim_thread_new (const char             *address,
                        LablinkSimThreadSetup   setup,
                        gpointer                user_data,
                        GError                **error)
{
  g_autoptr(LablinkSimThread) self = g_object_new (LABLINK_SIM_TYPE_THREAD, NULL);

  self->address = g_strdup (address);
  self->setup = setup;
  self->setup_data = user_data;
  self->thread = g_thread_new ("lablink-sim", sim_thread_main, self);

  /* Listening on loopback answers at once; nothing here waits on a peer. */
  g_mutex_lock (&self->mutex);
  while (!self->started)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
  self->setup = NULL;
  self->setup_data = NULL;

  if (self->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      g_thread_join (g_steal_pointer (&self->thread));
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * lablink_sim_thread_get_url:
 * @self: a simulator thread
 *
 * Returns: the server's base URL (`http://127.0.0.1:PORT`)
 */
const char *
lablink_sim_thread_get_url (LablinkSimThread *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_THREAD (self), NULL);
  return self->url;
}

/**
 * lablink_sim_thread_get_server:
 * @self: a simulator thread
 *
 * The server lives on its own thread: use only its thread-safe calls.
 *
 * Returns: (transfer none) (nullable): the server, %NULL once stopped
 */
LablinkSimServer *
lablink_sim_thread_get_server (LablinkSimThread *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_THREAD (self), NULL);
  return self->thread != NULL ? self->server : NULL;
}
