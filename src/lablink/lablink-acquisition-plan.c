/* lablink-acquisition-plan.c — how to stream an acquisition of a given rate
 *
 * The server sends the latest `num_samples` of an acquisition every
 * `interval_ms`; a client that wants every sample must choose both from
 * the rate, so that consecutive frames overlap, and ask the server to keep
 * enough for a backfill. `lablink-cli acquire` and the monitor use these.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>

#include "lablink-acquisition-plan.h"
#include "lablink-protocol.h"

/* The stream's plan, from the rate (issue 12). Frames come every interval
 * plus the server's time to write one (the simulator takes about 3 µs a
 * sample of two channels, the released server far more), so a window must
 * hold more than an interval's worth for consecutive windows to overlap.
 * Up to 10 kSa/s: 200 ms frames holding three intervals (a frame may be two
 * intervals late); up to 50 kSa/s 500 ms frames holding two intervals;
 * faster, 1 s frames holding two (a 200,000-sample window takes the
 * simulator ~0.6 s to write: frames every ~1.6 s). What a second costs to
 * write and parse is the same with either interval, but the manager takes
 * a stream silent after three intervals without a frame and then also polls
 * it over REST: on a loaded machine 500 ms frames at 100 kSa/s came late
 * enough for that, and the polling doubled the work. A frame stays under
 * PLAN_MAX_FRAME_BYTES (the manager's limit is 16 MiB: about 30 bytes a
 * sample for the time and 14 a value): a longer one is cut to fit and its
 * interval shortened with it. The server's buffer (what a REST backfill
 * can still fetch) holds BUFFER_SECONDS of samples: a capture fills any
 * hole, and the tail, from it. */
#define FAST_RATE           10000.0
#define FASTER_RATE         50000.0
#define PLAN_MAX_SAMPLES    1000000
#define PLAN_MAX_FRAME_BYTES (12u * 1024u * 1024u)
#define BUFFER_SECONDS      10.0

static double
plan_factor (double rate)
{
  return rate >= FAST_RATE ? 2.0 : 3.0;
}

static guint
plan_max_window (guint n_channels)
{
  return PLAN_MAX_FRAME_BYTES / (30 + 14 * MAX (n_channels, 1));
}

/**
 * lablink_acquisition_plan_interval:
 * @rate: the acquisition's sample rate (samples per second)
 * @n_channels: how many channels it acquires
 *
 * Returns: the interval of its stream's frames, in ms
 */
guint
lablink_acquisition_plan_interval (double rate,
                                   guint  n_channels)
{
  guint interval = rate > FASTER_RATE ? 1000 : rate >= FAST_RATE ? 500 : 200;
  double fits = plan_max_window (n_channels) / (rate * plan_factor (rate)) * 1000.0;

  return (guint) CLAMP (MIN ((double) interval, floor (fits)), 20, interval);
}

/**
 * lablink_acquisition_plan_window:
 * @rate: the acquisition's sample rate (samples per second)
 * @n_channels: how many channels it acquires
 *
 * Returns: the samples each frame carries (`num_samples`): enough for
 *   consecutive frames to overlap at lablink_acquisition_plan_interval()
 */
guint
lablink_acquisition_plan_window (double rate,
                                 guint  n_channels)
{
  double window = ceil (rate * lablink_acquisition_plan_interval (rate, n_channels) / 1000.0 * plan_factor (rate)) + 10;

  window = MIN (window, plan_max_window (n_channels));
  return (guint) CLAMP (window, LABLINK_DEFAULT_NUM_SAMPLES, PLAN_MAX_SAMPLES);
}

/**
 * lablink_acquisition_plan_buffer:
 * @rate: the acquisition's sample rate (samples per second)
 *
 * Returns: the server-side buffer to ask for (`buffer_size`), from which
 *   a capture's REST backfill can still fetch a hole
 */
guint
lablink_acquisition_plan_buffer (double rate)
{
  double buffer = ceil (rate * BUFFER_SECONDS);

  return (guint) CLAMP (buffer, 10000, PLAN_MAX_SAMPLES);
}

/* A backfill of the whole buffer (50 MB of JSON at a million samples) takes
 * seconds to write and to parse, more on a loaded machine: the capture
 * waits 5 s and 20 µs a sample. */
/**
 * lablink_acquisition_plan_backfill_timeout:
 * @rate: the acquisition's sample rate (samples per second)
 *
 * Returns: how long a capture may wait for a backfill, in ms
 */
guint
lablink_acquisition_plan_backfill_timeout (double rate)
{
  return 5000 + lablink_acquisition_plan_buffer (rate) / 50;
}
