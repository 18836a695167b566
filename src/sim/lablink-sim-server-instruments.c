/* lablink-sim-server-instruments.c — the simulated server's instruments and
 * its registry of acquisitions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lablink-sim-server-private.h"

/**
 * lablink_sim_server_get_instrument:
 * @self: a server
 * @equipment_id: an equipment id
 *
 * Returns: (transfer none) (nullable): the instrument
 */
LablinkSimInstrument *
lablink_sim_server_get_instrument (LablinkSimServer *self,
                                   const char       *equipment_id)
{
  guint i;

  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), NULL);

  if (equipment_id == NULL)
    return NULL;
  for (i = 0; i < self->instruments->len; i++)
    {
      LablinkSimInstrument *instrument = g_ptr_array_index (self->instruments, i);

      if (g_str_equal (lablink_sim_instrument_get_id (instrument), equipment_id))
        return instrument;
    }
  return NULL;
}

/**
 * lablink_sim_server_get_instruments:
 * @self: a server
 *
 * Returns: (transfer none) (element-type LablinkSimInstrument): the
 *   instruments, in the order of `GET /api/equipment/list`
 */
GPtrArray *
lablink_sim_server_get_instruments (LablinkSimServer *self)
{
  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), NULL);
  return self->instruments;
}

LablinkSimAcquisition *
lablink_sim_server_lookup_acquisition (LablinkSimServer *self,
                                       const char       *acquisition_id)
{
  LablinkSimAcquisition *acquisition;

  if (acquisition_id == NULL)
    return NULL;
  g_mutex_lock (&self->lock);
  acquisition = g_hash_table_lookup (self->acquisitions, acquisition_id);
  g_mutex_unlock (&self->lock);
  return acquisition;
}

void
lablink_sim_server_add_acquisition (LablinkSimServer      *self,
                                    LablinkSimAcquisition *acquisition)
{
  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->acquisitions, (gpointer) lablink_sim_acquisition_get_id (acquisition),
                        g_object_ref (acquisition));
  g_mutex_unlock (&self->lock);
  g_ptr_array_add (self->acquisition_order, g_object_ref (acquisition));
}

void
lablink_sim_server_remove_acquisition (LablinkSimServer *self,
                                       const char       *acquisition_id)
{
  LablinkSimAcquisition *acquisition;
  g_autoptr(LablinkSimAcquisition) keep = NULL;

  g_mutex_lock (&self->lock);
  acquisition = g_hash_table_lookup (self->acquisitions, acquisition_id);
  if (acquisition != NULL)
    {
      keep = g_object_ref (acquisition);
      g_hash_table_remove (self->acquisitions, acquisition_id);
    }
  g_mutex_unlock (&self->lock);

  if (keep != NULL)
    {
      lablink_sim_acquisition_stop (keep, NULL);
      g_ptr_array_remove (self->acquisition_order, keep);
    }
}

/**
 * lablink_sim_server_get_acquisition_generated:
 * @self: a server
 * @acquisition_id: an acquisition id
 * @count: (out) (optional): how many samples the acquisition generated
 * @timestamps: (out) (optional) (transfer full) (element-type gint64): their
 *   timestamps, µs since the epoch, oldest first
 *
 * What the simulator really generated for an acquisition, to check a client
 * against. Thread-safe.
 *
 * Returns: %FALSE if there is no such acquisition
 */
gboolean
lablink_sim_server_get_acquisition_generated (LablinkSimServer  *self,
                                              const char        *acquisition_id,
                                              guint64           *count,
                                              GArray           **timestamps)
{
  g_autoptr(LablinkSimAcquisition) acquisition = NULL;
  guint64 n;

  g_return_val_if_fail (LABLINK_SIM_IS_SERVER (self), FALSE);
  g_return_val_if_fail (acquisition_id != NULL, FALSE);

  g_mutex_lock (&self->lock);
  acquisition = g_hash_table_lookup (self->acquisitions, acquisition_id);
  if (acquisition != NULL)
    g_object_ref (acquisition);
  g_mutex_unlock (&self->lock);

  if (acquisition == NULL)
    return FALSE;

  n = lablink_sim_acquisition_get_generated (acquisition, timestamps);
  if (count != NULL)
    *count = n;
  return TRUE;
}
