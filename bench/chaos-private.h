/* chaos-private.h — what the files of bench/chaos share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <lablink.h>

G_BEGIN_DECLS

#define PSU   "ps_250e6dfe"
#define SCOPE "scope_386959fc"

#define SAMPLE_RATE      200        /* Hz */
#define SERVER_BUFFER    200        /* samples: 1 s */
#define WINDOW_SAMPLES   50         /* 250 ms per frame, every 100 ms: overlapping */
#define RUN_MS           500        /* streams running between two events */
#define REST_TIMEOUT_S   10
#define START_TIMEOUT_MS 10000
#define CATCH_UP_MS      10000
/* Missing samples this close to a gap belong to it (frames lag ~interval). */
#define GAP_SLACK_USEC   (1000 * G_TIME_SPAN_MILLISECOND)

/* One client: its own HTTP client and WebSocket. */
typedef struct {
  const char           *name;
  LablinkClient        *client;
  LablinkStreamManager *manager;
  guint                 connects;   /* transitions to CONNECTED */
  guint                 losses;     /* CONNECTED → anything else */
  gboolean              connected;
} Link;

/* One stream and its resume times. */
typedef struct {
  const char *name;
  Link       *link;
  guint64     frames;
  gboolean    waiting;              /* an outage began, no frame since the reconnect */
  guint       connects_at_outage;
  gint64      resumed_at;           /* monotonic µs */
  GArray     *resume_ms;            /* double */
} Stream;

/* An outage the capture lived through. */
typedef struct {
  gint64   start_usec;              /* wall clock, like the sample timestamps */
  gboolean kill;
} Outage;

/* One acquisition and its capture: from a (re)start of the simulator to the
 * next one. */
typedef struct {
  char           *acquisition_id;
  LablinkCapture *capture;
  gulong          handler;
  GArray         *generated;        /* gint64, the simulator's record */
  GArray         *outages;          /* Outage */
} Epoch;

typedef struct {
  /* options */
  guint        cycles;
  guint        backoff_initial_ms;
  guint        backoff_max_ms;
  guint        resume_timeout_s;
  char        *sim_path;
  gboolean     keep;
  gboolean     quiet;
  gboolean     verbose;
  gboolean     kept_failed;         /* a failed capture is kept for inspection */

  GSubprocess *sim;
  GDataInputStream *sim_out;
  char        *url;
  guint        port;
  LablinkClient *control;
  char        *root;

  Link         psu_link, scope_link, acq_link;
  Stream       psu, scope, acq;
  Epoch        epoch;

  /* capture figures */
  guint        epochs;
  guint64      rows, generated, duplicates, disorder, foreign, missing;
  guint        holes, unrecorded_holes, not_caught_up;
  guint        leadin_captures;
  guint64      leadin_samples;
  guint        gaps, gaps_drop, gaps_kill, gaps_other;
  guint        outages_drop, outages_kill;
  guint        lost_flagged, lost_true, lost_conservative, lost_conservative_kill, lost_wrong;

  /* resources after each cycle */
  GArray      *rss_kib;             /* gint64 */
  GArray      *fds;                 /* gint64 */

  GPtrArray   *failures;            /* char* */
} Chaos;


/* chaos-harness.c */
typedef gboolean (*Condition) (gpointer data);

void           run_for        (guint         ms);
gboolean       run_until      (Condition     condition,
                               gpointer      data,
                               guint         timeout_ms);
gboolean       result_ready   (gpointer      data);
void           store_result   (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);
void           fail           (Chaos        *chaos,
                               const char   *format,
                               ...) G_GNUC_PRINTF (2, 3);
G_GNUC_NORETURN
void           harness_error  (const char   *what,
                               GError       *error);
void           sim_stop       (Chaos        *chaos,
                               int           signum);
gboolean       sim_start      (Chaos        *chaos,
                               guint         port,
                               GError      **error);
JsonNode      *rest           (Chaos        *chaos,
                               const char   *method,
                               const char   *path,
                               const char   *body_json,
                               GError      **error);
LablinkClient *new_client     (Chaos        *chaos);

/* chaos-capture.c */
void           epoch_begin             (Chaos        *chaos);
void           epoch_outage            (Chaos        *chaos,
                                        gboolean      kill);
void           epoch_stop_acquisition  (Chaos        *chaos);
void           epoch_end               (Chaos        *chaos,
                                        GString      *line);

/* chaos.c */
void           stream_frame            (Stream       *stream);

G_END_DECLS
