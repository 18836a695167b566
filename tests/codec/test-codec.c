/* test-codec.c — unit tests of the liblablink protocol codec
 *
 * Test groups (see the other files in this directory):
 *   /codec/fixtures/…    every frame and REST body of the real-server
 *                        recordings, spot-checked values (codec-fixtures-*.c)
 *   /codec/builders/…    client frame builders, JSON string writer
 *   /codec/numbers/…     lablink_json_append_double(), also under de_DE.UTF-8
 *   /codec/timestamps/…  lablink_parse_timestamp(), lablink_format_timestamp()
 *   /codec/hostile/…     malformed and hostile frames, each with its error
 *                        code, size and depth limits, big frames
 *                        (codec-hostile-*.c)
 *   /codec/tokenizer/…   the JSON tokenizer of lablink-json-private.h
 *   /codec/message/…     LablinkMessage lifetime, accessors, tree, waveforms
 *   /codec/known-bugs/…  codec bugs found by these tests (TAP TODO until fixed)
 *
 * Environment: LABLINK_FIXTURES_DIR (set by tests/meson.build) locates the
 * recordings; LABLINK_TEST_TZ overrides the time zone the tests run in
 * (default CODEC_DEFAULT_TZ, a CET/CEST rule).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <time.h>

#include "codec-tests.h"

int
main (int    argc,
      char **argv)
{
  const char *tz = g_getenv ("LABLINK_TEST_TZ");

  /* Before anything reads the local time zone. */
  g_setenv ("TZ", tz != NULL ? tz : CODEC_DEFAULT_TZ, TRUE);
  tzset ();

  g_test_init (&argc, &argv, NULL);

  codec_add_fixture_recv_tests ();
  codec_add_fixture_sent_tests ();
  codec_add_fixture_rest_tests ();
  codec_add_fixture_value_tests ();
  codec_add_fixture_merge_tests ();
  codec_add_builder_tests ();
  codec_add_number_tests ();
  codec_add_timestamp_tests ();
  codec_add_hostile_syntax_tests ();
  codec_add_hostile_field_tests ();
  codec_add_hostile_limit_tests ();
  codec_add_hostile_memory_tests ();
  codec_add_tokenizer_tests ();
  codec_add_message_tests ();
  codec_add_known_bug_tests ();

  return g_test_run ();
}
