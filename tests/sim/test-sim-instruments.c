/* test-sim-instruments.c — ids and physics of the simulated instruments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "lablink-sim-acquisition.h"
#include "lablink-sim-load.h"
#include "lablink-sim-psu.h"
#include "lablink-sim-scope.h"
#include "test-common.h"

static void
test_ids (void)
{
  g_autofree char *psu = lablink_sim_instrument_compute_id ("ps", "MOCK::PSU::0");
  g_autofree char *scope = lablink_sim_instrument_compute_id ("scope", "MOCK::SCOPE::0");
  g_autofree char *load = lablink_sim_instrument_compute_id ("load", "MOCK::LOAD::0");
  g_autoptr(LablinkSimPsu) p = lablink_sim_psu_new (NULL, 0);
  g_autoptr(LablinkSimScope) s = lablink_sim_scope_new (NULL, 0);
  g_autoptr(LablinkSimLoad) l = lablink_sim_load_new (NULL, 0);

  g_assert_cmpstr (psu, ==, "ps_250e6dfe");
  g_assert_cmpstr (scope, ==, "scope_386959fc");
  g_assert_cmpstr (load, ==, "load_47fa0d5c");

  g_assert_cmpstr (lablink_sim_instrument_get_id (LABLINK_SIM_INSTRUMENT (p)), ==, "ps_250e6dfe");
  g_assert_cmpstr (lablink_sim_instrument_get_id (LABLINK_SIM_INSTRUMENT (s)), ==, "scope_386959fc");
  g_assert_cmpstr (lablink_sim_instrument_get_id (LABLINK_SIM_INSTRUMENT (l)), ==, "load_47fa0d5c");
  g_assert_cmpstr (lablink_sim_instrument_get_type_name (LABLINK_SIM_INSTRUMENT (p)), ==, "power_supply");
  g_assert_cmpstr (lablink_sim_instrument_get_type_name (LABLINK_SIM_INSTRUMENT (s)), ==, "oscilloscope");
  g_assert_cmpstr (lablink_sim_instrument_get_type_name (LABLINK_SIM_INSTRUMENT (l)), ==, "electronic_load");
}

static void
test_psu_cv_cc (void)
{
  g_autoptr(LablinkSimPsu) psu = lablink_sim_psu_new (NULL, 42);
  g_autoptr(GError) error = NULL;
  LablinkSimPsuReading r;
  guint i;

  /* off: exactly 0 */
  lablink_sim_psu_read (psu, 1, &r);
  g_assert_false (r.output_enabled);
  g_assert_cmpfloat (r.voltage, ==, 0.0);
  g_assert_cmpfloat (r.current, ==, 0.0);
  g_assert_false (r.in_cv || r.in_cc);
  g_assert_cmpfloat (r.current_set, ==, 1.0);

  /* 5 V / 1 A into the default 10 Ω: CV, 0.5 A */
  g_assert_true (lablink_sim_psu_set_voltage (psu, 1, 5.0, &error));
  g_assert_true (lablink_sim_psu_set_current (psu, 1, 1.0, &error));
  lablink_sim_psu_set_output (psu, 1, TRUE);
  for (i = 0; i < 50; i++)
    {
      lablink_sim_psu_read (psu, 1, &r);
      g_assert_true (r.in_cv);
      g_assert_false (r.in_cc);
      g_assert_cmpfloat_with_epsilon (r.voltage, 5.0, 0.01);
      g_assert_cmpfloat_with_epsilon (r.current, 0.5, 0.002);
    }

  /* 2 Ω would draw 2.5 A > 1 A: CC at 1 A, 2 V */
  lablink_sim_psu_set_load_resistance (psu, 1, 2.0);
  lablink_sim_psu_solve (psu, 1, &r);
  g_assert_true (r.in_cc);
  g_assert_false (r.in_cv);
  g_assert_cmpfloat_with_epsilon (r.current, 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (r.voltage, 2.0, 1e-12);

  /* exactly at the crossover (5 Ω → 1 A) still CV */
  lablink_sim_psu_set_load_resistance (psu, 1, 5.0);
  lablink_sim_psu_solve (psu, 1, &r);
  g_assert_true (r.in_cv);

  /* open circuit: Vset, no current */
  lablink_sim_psu_set_load_resistance (psu, 1, 0.0);
  lablink_sim_psu_solve (psu, 1, &r);
  g_assert_true (r.in_cv);
  g_assert_cmpfloat (r.current, ==, 0.0);

  /* limits: channel 3 is 5 V max */
  g_assert_false (lablink_sim_psu_set_voltage (psu, 3, 6.0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (lablink_sim_psu_set_voltage (psu, 2, 30.0, &error));
  g_assert_false (lablink_sim_psu_set_current (psu, 2, 3.5, &error));
  g_clear_error (&error);

  /* the other channels are independent */
  lablink_sim_psu_read (psu, 2, &r);
  g_assert_false (r.output_enabled);
  g_assert_cmpfloat (r.voltage, ==, 0.0);
}

static void
test_psu_seed (void)
{
  g_autoptr(LablinkSimPsu) a = lablink_sim_psu_new (NULL, 7);
  g_autoptr(LablinkSimPsu) b = lablink_sim_psu_new (NULL, 7);
  g_autoptr(LablinkSimPsu) c = lablink_sim_psu_new (NULL, 8);
  LablinkSimPsuReading ra, rb, rc;
  gboolean differs = FALSE;
  guint i;

  g_assert_cmpstr (lablink_sim_instrument_get_serial_number (LABLINK_SIM_INSTRUMENT (a)), ==,
                   lablink_sim_instrument_get_serial_number (LABLINK_SIM_INSTRUMENT (b)));

  lablink_sim_psu_set_voltage (a, 1, 12.0, NULL);
  lablink_sim_psu_set_voltage (b, 1, 12.0, NULL);
  lablink_sim_psu_set_voltage (c, 1, 12.0, NULL);
  lablink_sim_psu_set_current (a, 1, 3.0, NULL);
  lablink_sim_psu_set_current (b, 1, 3.0, NULL);
  lablink_sim_psu_set_current (c, 1, 3.0, NULL);
  lablink_sim_psu_set_output (a, 1, TRUE);
  lablink_sim_psu_set_output (b, 1, TRUE);
  lablink_sim_psu_set_output (c, 1, TRUE);

  for (i = 0; i < 20; i++)
    {
      lablink_sim_psu_read (a, 1, &ra);
      lablink_sim_psu_read (b, 1, &rb);
      lablink_sim_psu_read (c, 1, &rc);
      g_assert_cmpfloat (ra.voltage, ==, rb.voltage);
      g_assert_cmpfloat (ra.current, ==, rb.current);
      differs |= (ra.voltage != rc.voltage);
    }
  g_assert_true (differs);

  /* reseeding replays the noise */
  lablink_sim_instrument_set_seed (LABLINK_SIM_INSTRUMENT (a), 99);
  lablink_sim_psu_read (a, 1, &ra);
  lablink_sim_instrument_set_seed (LABLINK_SIM_INSTRUMENT (a), 99);
  lablink_sim_psu_read (a, 1, &rb);
  g_assert_cmpfloat (ra.voltage, ==, rb.voltage);
}

static void
test_load_modes (void)
{
  g_autoptr(LablinkSimLoad) load = lablink_sim_load_new (NULL, 1);
  g_autoptr(GError) error = NULL;
  LablinkSimLoadReading r;

  /* input off: open-circuit voltage, no current, no power */
  lablink_sim_load_solve (load, &r);
  g_assert_false (r.enabled);
  g_assert_cmpfloat_with_epsilon (r.voltage, 12.0, 1e-9);
  g_assert_cmpfloat (r.current, ==, 0.0);
  g_assert_cmpfloat (r.power, ==, 0.0);

  /* CC 0.5 A on 12 V / 0.1 Ω: 11.95 V (as the real mock reads) */
  g_assert_true (lablink_sim_load_set_setpoint (load, LABLINK_SIM_LOAD_CC, 0.5, &error));
  lablink_sim_load_set_enabled (load, TRUE);
  lablink_sim_load_solve (load, &r);
  g_assert_cmpstr (lablink_sim_load_mode_to_string (r.mode), ==, "CC");
  g_assert_cmpfloat_with_epsilon (r.setpoint, 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (r.current, 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (r.voltage, 11.95, 1e-9);
  g_assert_cmpfloat_with_epsilon (r.power, 11.95 * 0.5, 1e-9);
  lablink_sim_load_read (load, &r);
  g_assert_cmpfloat_with_epsilon (r.voltage, 11.95, 0.02);
  g_assert_cmpfloat_with_epsilon (r.current, 0.5, 0.01);

  /* CV 11 V: draws (12 − 11) / 0.1 = 10 A */
  g_assert_true (lablink_sim_load_set_setpoint (load, LABLINK_SIM_LOAD_CV, 11.0, &error));
  lablink_sim_load_set_mode (load, LABLINK_SIM_LOAD_CV);
  lablink_sim_load_solve (load, &r);
  g_assert_cmpfloat_with_epsilon (r.voltage, 11.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (r.current, 10.0, 1e-9);

  /* CV above the source: nothing drawn */
  g_assert_true (lablink_sim_load_set_setpoint (load, LABLINK_SIM_LOAD_CV, 20.0, &error));
  lablink_sim_load_solve (load, &r);
  g_assert_cmpfloat (r.current, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (r.voltage, 12.0, 1e-9);

  /* CR 5.9 Ω: I = 12 / 6 = 2 A, V = 11.8 V */
  g_assert_true (lablink_sim_load_set_setpoint (load, LABLINK_SIM_LOAD_CR, 5.9, &error));
  lablink_sim_load_set_mode (load, LABLINK_SIM_LOAD_CR);
  lablink_sim_load_solve (load, &r);
  g_assert_cmpfloat_with_epsilon (r.current, 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (r.voltage, 11.8, 1e-9);

  /* CP 23.6 W: the lower root, 2 A at 11.8 V */
  g_assert_true (lablink_sim_load_set_setpoint (load, LABLINK_SIM_LOAD_CP, 23.6, &error));
  lablink_sim_load_set_mode (load, LABLINK_SIM_LOAD_CP);
  lablink_sim_load_solve (load, &r);
  g_assert_cmpfloat_with_epsilon (r.power, 23.6, 1e-9);
  g_assert_cmpfloat_with_epsilon (r.current, 2.0, 1e-9);

  /* CC beyond the rating is refused; CV 0 V is limited to 30 A */
  g_assert_false (lablink_sim_load_set_setpoint (load, LABLINK_SIM_LOAD_CC, 31.0, &error));
  g_clear_error (&error);
  g_assert_true (lablink_sim_load_set_setpoint (load, LABLINK_SIM_LOAD_CV, 0.0, &error));
  lablink_sim_load_set_mode (load, LABLINK_SIM_LOAD_CV);
  lablink_sim_load_solve (load, &r);
  g_assert_cmpfloat_with_epsilon (r.current, 30.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (r.voltage, 9.0, 1e-9);
  g_assert_cmpfloat (r.power, <=, 300.0);
}

static void
check_measurements (LablinkSimScope *scope,
                    guint            channel,
                    double           vpp,
                    double           vavg,
                    double           vrms,
                    double           freq)
{
  LablinkSimScopeMeasurements m;

  lablink_sim_scope_read_measurements (scope, channel, g_get_real_time (), &m);
  g_test_message ("ch%u: vpp %g vmax %g vmin %g vavg %g vrms %g freq %g period %g",
                  channel, m.vpp, m.vmax, m.vmin, m.vavg, m.vrms, m.freq, m.period);
  g_assert_cmpfloat_with_epsilon (m.vpp, vpp, 0.06 * vpp + 0.03);
  g_assert_cmpfloat_with_epsilon (m.vmax - m.vmin, m.vpp, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.vavg, vavg, 0.03 * vpp + 0.01);
  g_assert_cmpfloat_with_epsilon (m.vrms, vrms, 0.03 * vrms + 0.01);
  g_assert_cmpfloat_with_epsilon (m.freq, freq, 0.01 * freq);
  g_assert_cmpfloat_with_epsilon (m.period * m.freq, 1.0, 1e-9);
}

static void
test_scope_measurements (void)
{
  g_autoptr(LablinkSimScope) scope = lablink_sim_scope_new (NULL, 3);
  LablinkSimScopeChannel ch;

  /* consistent time base: 1000 points over 10 × 1 ms */
  g_assert_cmpfloat (lablink_sim_scope_get_time_scale (scope), ==, 0.001);
  g_assert_cmpfloat (lablink_sim_scope_get_sample_rate (scope), ==, 100000.0);

  /* default CH1: 1 kHz sine, amplitude 1 → vpp 2, rms 1/√2 */
  check_measurements (scope, 1, 2.0, 0.0, 1.0 / G_SQRT2, 1000.0);

  /* CH2: 500 Hz square 0…3 V → vpp 3, avg 1.5, rms √4.5 */
  check_measurements (scope, 2, 3.0, 1.5, sqrt (4.5), 500.0);

  /* CH3 reconfigured: 2.5 kHz triangle, amplitude 2, offset 1 → rms of the AC part 2/√3 */
  lablink_sim_scope_get_channel (scope, 3, &ch);
  ch.shape = LABLINK_SIM_WAVE_TRIANGLE;
  ch.frequency = 2500.0;
  ch.amplitude = 2.0;
  ch.offset = 1.0;
  ch.enabled = TRUE;
  lablink_sim_scope_set_channel (scope, 3, &ch);
  check_measurements (scope, 3, 4.0, 1.0, sqrt (1.0 + 4.0 / 3.0), 2500.0);

  /* a slower time base changes the sample rate, still 1000 points */
  lablink_sim_scope_set_time_scale (scope, 0.01);
  g_assert_cmpfloat (lablink_sim_scope_get_sample_rate (scope), ==, 10000.0);
  check_measurements (scope, 1, 2.0, 0.0, 1.0 / G_SQRT2, 1000.0);
}

static void
test_scope_measure_pure (void)
{
  double samples[1000];
  LablinkSimScopeMeasurements m;
  guint i;

  /* a flat line: no frequency */
  for (i = 0; i < 1000; i++)
    samples[i] = 0.25;
  lablink_sim_scope_measure (samples, 1000, 1e5, &m);
  g_assert_cmpfloat (m.vpp, ==, 0.0);
  g_assert_cmpfloat (m.vavg, ==, 0.25);
  g_assert_cmpfloat (m.freq, ==, 0.0);
  g_assert_cmpfloat (m.period, ==, 0.0);

  /* exact 123.4 Hz sine sampled at 10 kHz */
  for (i = 0; i < 1000; i++)
    samples[i] = 3.0 * sin (2 * G_PI * 123.4 * i / 1e4 + 0.3);
  lablink_sim_scope_measure (samples, 1000, 1e4, &m);
  g_assert_cmpfloat_with_epsilon (m.freq, 123.4, 0.05);
  g_assert_cmpfloat_with_epsilon (m.vpp, 6.0, 0.01);
}

static void
test_scope_value_and_execute (void)
{
  g_autoptr(LablinkSimScope) scope = lablink_sim_scope_new (NULL, 5);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  LablinkSimJson w;
  LablinkSimScopeChannel ch;
  guint index;

  json_object_set_int_member (params, "channel", 4);
  json_object_set_string_member (params, "waveform", "square");
  json_object_set_double_member (params, "frequency", 250.0);
  json_object_set_double_member (params, "amplitude", 0.5);
  json_object_set_boolean_member (params, "enabled", TRUE);
  lablink_sim_json_init (&w, out, LABLINK_SIM_JSON_COMPACT, FALSE);
  g_assert_true (lablink_sim_instrument_execute (LABLINK_SIM_INSTRUMENT (scope), "set_channel", params, &w, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (out->len, ==, 0);   /* data: null */

  lablink_sim_scope_get_channel (scope, 4, &ch);
  g_assert_cmpint (ch.shape, ==, LABLINK_SIM_WAVE_SQUARE);
  g_assert_cmpfloat (ch.frequency, ==, 250.0);
  g_assert_cmpfloat (ch.amplitude, ==, 0.5);
  g_assert_true (ch.enabled);

  /* instantaneous values: first half-period high, second low */
  g_assert_cmpfloat_with_epsilon (lablink_sim_scope_value (scope, 4, 0.001), 0.5, 0.03);
  g_assert_cmpfloat_with_epsilon (lablink_sim_scope_value (scope, 4, 0.003), -0.5, 0.03);

  g_assert_true (lablink_sim_instrument_lookup_channel (LABLINK_SIM_INSTRUMENT (scope), "CH4", &index));
  g_assert_cmpuint (index, ==, 3);
  g_assert_false (lablink_sim_instrument_lookup_channel (LABLINK_SIM_INSTRUMENT (scope), "CH5", &index));
  g_assert_true (isnan (lablink_sim_instrument_sample (LABLINK_SIM_INSTRUMENT (scope), LABLINK_SIM_CHANNEL_INVALID, 0)));

  g_assert_false (lablink_sim_instrument_execute (LABLINK_SIM_INSTRUMENT (scope), "no_such_action", NULL, &w, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "Unknown command: no_such_action");
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_acquisition_object (void)
{
  g_autoptr(LablinkSimPsu) psu = lablink_sim_psu_new (NULL, 11);
  g_autoptr(LablinkSimAcquisition) acq = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) timestamps = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(JsonObject) stats = NULL;
  JsonObject *means;
  LablinkSimJson w;
  guint64 count;
  guint i;

  lablink_sim_psu_set_voltage (psu, 1, 5.0, NULL);
  lablink_sim_psu_set_output (psu, 1, TRUE);

  /* unknown channel: refused unless compat */
  request = parse_object ("{\"equipment_id\":\"ps_250e6dfe\",\"sample_rate\":1000,\"channels\":[\"CH1\",\"CH9\"]}");
  g_assert_null (lablink_sim_acquisition_new_from_json ("a", LABLINK_SIM_INSTRUMENT (psu), request, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* single shot of 50 samples at 1 kHz, buffer of 20 */
  g_clear_pointer (&request, json_object_unref);
  request = parse_object ("{\"equipment_id\":\"ps_250e6dfe\",\"mode\":\"single_shot\",\"sample_rate\":1000,"
                          "\"num_samples\":50,\"buffer_size\":20,\"channels\":[\"CH1\",\"CH1_I\"]}");
  acq = lablink_sim_acquisition_new_from_json ("b", LABLINK_SIM_INSTRUMENT (psu), request, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lablink_sim_acquisition_get_state (acq), ==, LABLINK_SIM_ACQUISITION_IDLE);

  /* an empty window is null */
  lablink_sim_json_init (&w, out, LABLINK_SIM_JSON_PYTHON, FALSE);
  lablink_sim_acquisition_write_window (acq, &w, 10);
  g_assert_cmpstr (out->str, ==, "null");

  g_assert_true (lablink_sim_acquisition_start (acq, NULL, &error));
  g_assert_false (lablink_sim_acquisition_start (acq, NULL, &error));
  g_clear_error (&error);

  for (i = 0; i < TEST_TIMEOUT_MS && lablink_sim_acquisition_get_state (acq) != LABLINK_SIM_ACQUISITION_STOPPED; i++)
    {
      g_usleep (1000);
      lablink_sim_acquisition_tick (acq);
    }
  g_assert_cmpint (lablink_sim_acquisition_get_state (acq), ==, LABLINK_SIM_ACQUISITION_STOPPED);
  g_assert_cmpuint (lablink_sim_acquisition_get_total_samples (acq), ==, 50);
  g_assert_cmpuint (lablink_sim_acquisition_get_n_buffered (acq), ==, 20);

  count = lablink_sim_acquisition_get_generated (acq, &timestamps);
  g_assert_cmpuint (count, ==, 50);
  g_assert_cmpuint (timestamps->len, ==, 50);
  for (i = 1; i < timestamps->len; i++)
    g_assert_cmpint (g_array_index (timestamps, gint64, i) - g_array_index (timestamps, gint64, i - 1), ==, 1000);

  /* stats filled at the end: 30 overruns, means near 5 V / 0.5 A */
  g_string_truncate (out, 0);
  lablink_sim_json_init (&w, out, LABLINK_SIM_JSON_COMPACT, FALSE);
  lablink_sim_acquisition_write_stats (acq, &w);
  g_test_message ("%s", out->str);
  g_assert_nonnull (strstr (out->str, "\"total_samples\":50,\"samples_per_channel\":{\"CH1\":50,\"CH1_I\":50}"));
  g_assert_nonnull (strstr (out->str, "\"buffer_overruns\":30"));
  stats = parse_object (out->str);
  means = json_object_get_object_member (stats, "mean_values");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (means, "CH1"), 5.0, 0.005);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (means, "CH1_I"), 0.5, 0.001);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (stats, "min_values"), "CH1"), <,
                     json_object_get_double_member (json_object_get_object_member (stats, "max_values"), "CH1"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/instruments/ids", test_ids);
  g_test_add_func ("/sim/instruments/psu-cv-cc", test_psu_cv_cc);
  g_test_add_func ("/sim/instruments/psu-seed", test_psu_seed);
  g_test_add_func ("/sim/instruments/load-modes", test_load_modes);
  g_test_add_func ("/sim/instruments/scope-measurements", test_scope_measurements);
  g_test_add_func ("/sim/instruments/scope-measure-pure", test_scope_measure_pure);
  g_test_add_func ("/sim/instruments/scope-value-and-execute", test_scope_value_and_execute);
  g_test_add_func ("/sim/instruments/acquisition-object", test_acquisition_object);

  return g_test_run ();
}
