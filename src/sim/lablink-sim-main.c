/* lablink-sim-main.c — lablink-sim, a simulated LabLink server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <gio/gio.h>

#include "lablink-sim-announce.h"
#include "lablink-sim-scope.h"
#include "lablink-sim-json.h"
#include "lablink-sim-server.h"

static gboolean opt_verbose;

/* Every log line goes to stderr: stdout carries only the URL. */
static GLogWriterOutput
stderr_writer (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  g_autofree char *line = NULL;
  const char *domain = NULL;
  gsize i;

  for (i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
      domain = fields[i].value;

  if ((log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) != 0 && !opt_verbose &&
      g_log_writer_default_would_drop (log_level, domain))
    return G_LOG_WRITER_HANDLED;

  line = g_log_writer_format_fields (log_level, fields, n_fields, FALSE);
  fprintf (stderr, "lablink-sim: %s\n", line);
  fflush (stderr);
  return G_LOG_WRITER_HANDLED;
}

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_drain_timeout (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *opt_address = NULL;
  g_autofree char *opt_auth = NULL;
  g_autofree char *opt_hostile_kinds = NULL;
  gint opt_port = 8000;
  gboolean opt_compat = FALSE;
  gboolean opt_no_locks = FALSE;
  gint64 opt_seed = 0;
  gint opt_drop_after_messages = 0;
  gint opt_drop_after_ms = 0;
  gint opt_refuse_ms = 0;
  gint opt_latency_ms = 0;
  gdouble opt_hostile_rate = 0.0;
  gint opt_flood_rate = 0;
  gint opt_flood_frames = 0;
  gint opt_token_lifetime = 1800;
  g_autofree char *opt_silent_streams = NULL;
  gint opt_acquisition_stall_ms = 0;
  g_autofree char *opt_tls_cert = NULL;
  g_autofree char *opt_tls_key = NULL;
  gint opt_scope_points = LABLINK_SIM_SCOPE_N_SAMPLES;
  gint opt_scope_read_ms = LABLINK_SIM_SCOPE_READ_MS;
  g_autofree char *opt_utc_offset = NULL;
  gboolean opt_announce = FALSE;
  g_autofree char *opt_announce_name = NULL;
  GOptionEntry entries[] = {
    { "address", 0, 0, G_OPTION_ARG_STRING, &opt_address, "IP address to listen on (default 127.0.0.1)", "ADDR" },
    { "utc-offset", 0, 0, G_OPTION_ARG_STRING, &opt_utc_offset,
      "Zone of the naive timestamps, e.g. +05:00 (default: the machine's)", "±HH:MM" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port, "Port (default 8000; 0 = pick a free one)", "N" },
    { "lablink-compat", 0, 0, G_OPTION_ARG_NONE, &opt_compat,
      "Behave exactly like LabLink 1.2.5 (waveform frames without samples, bare NaN, 500 text/plain)", NULL },
    { "no-locks", 0, 0, G_OPTION_ARG_NONE, &opt_no_locks,
      "Let control commands run without the instrument's lock (LabLink's enable_equipment_locks off)", NULL },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &opt_auth, "Require login (WebSocket needs ?token=)", "USER:PASSWORD" },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT, &opt_token_lifetime, "Access token lifetime (default 1800)", "SECONDS" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, "Seed of the simulated noise (default 0)", "N" },
    { "drop-after-messages", 0, 0, G_OPTION_ARG_INT, &opt_drop_after_messages,
      "Fault: drop each WebSocket after it was sent N messages", "N" },
    { "drop-after-ms", 0, 0, G_OPTION_ARG_INT, &opt_drop_after_ms,
      "Fault: drop each WebSocket T ms after it opened", "T" },
    { "refuse-ms", 0, 0, G_OPTION_ARG_INT, &opt_refuse_ms,
      "Fault: answer WebSocket upgrades with 503 for T ms after a drop", "T" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &opt_latency_ms, "Fault: delay every frame sent by T ms", "T" },
    { "hostile-rate", 0, 0, G_OPTION_ARG_DOUBLE, &opt_hostile_rate,
      "Fault: broadcast malformed/hostile frames at HZ", "HZ" },
    { "hostile-kinds", 0, 0, G_OPTION_ARG_STRING, &opt_hostile_kinds,
      "Hostile frames to rotate through: bad-json,non-utf8,wrong-types,unknown-type,deep-nesting (default all), or big-frames (valid 2 MiB frames)", "LIST" },
    { "flood-rate", 0, 0, G_OPTION_ARG_INT, &opt_flood_rate,
      "Fault: flood every client with PSU readings frames (stream flood_readings, with \"seq\") at HZ", "HZ" },
    { "flood-frames", 0, 0, G_OPTION_ARG_INT, &opt_flood_frames,
      "Stop the flood after N frames (with --flood-rate 0: as fast as possible)", "N" },
    { "silent-streams", 0, 0, G_OPTION_ARG_STRING, &opt_silent_streams,
      "Fault, as the released LabLink 1.2.5: acknowledge streams of these types but never send them (e.g. readings,waveform)", "LIST" },
    { "acquisition-stall-ms", 0, 0, G_OPTION_ARG_INT, &opt_acquisition_stall_ms,
      "Fault, as a loaded server: acquisition streams send nothing for T ms after the first sample", "T" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_cert,
      "Serve https:// and wss:// (same port) with this PEM certificate (needs --tls-key)", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_key, "The PEM private key of --tls-cert", "FILE" },
    { "scope-points", 0, 0, G_OPTION_ARG_INT, &opt_scope_points,
      "The scope's record length (default 1000, at most 1000000)", "N" },
    { "scope-read-ms", 0, 0, G_OPTION_ARG_INT, &opt_scope_read_ms,
      "What reading a waveform takes: a stream sends every interval + T ms (default 50)", "T" },
    { "announce", 0, 0, G_OPTION_ARG_NONE, &opt_announce,
      "Announce the simulator on the network over mDNS (_lablink._tcp, through the Avahi daemon); "
      "only on the loopback interface while it listens on a loopback address", NULL },
    { "announce-name", 0, 0, G_OPTION_ARG_STRING, &opt_announce_name,
      "The service name of --announce (default \"LabLink Simulator on HOST\")", "NAME" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Log debug messages", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LablinkSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(LablinkSimAnnounce) announce = NULL;
  LablinkSimHostileKinds kinds = LABLINK_SIM_HOSTILE_ALL;
  guint sigint_id, sigterm_id;
  gboolean expired = FALSE;
  GSource *drain;

  setlocale (LC_ALL, "");
  signal (SIGPIPE, SIG_IGN);
  g_log_set_writer_func (stderr_writer, NULL, NULL);

  context = g_option_context_new ("— a simulated LabLink 1.2.5 server");
  g_option_context_set_summary (context,
                                "Serves the LabLink REST API and WebSocket on one port with mock\n"
                                "instruments (PSU, electronic load, oscilloscope). The first line\n"
                                "printed on stdout is the URL served; logs go to stderr.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("lablink-sim: %s\n", error->message);
      return 2;
    }

  if (opt_port < 0 || opt_port > 65535)
    {
      g_printerr ("lablink-sim: invalid --port %d\n", opt_port);
      return 2;
    }
  if (opt_seed < 0 || opt_seed > G_MAXUINT32)
    {
      g_printerr ("lablink-sim: invalid --seed\n");
      return 2;
    }
  if (opt_drop_after_messages < 0 || opt_drop_after_ms < 0 || opt_refuse_ms < 0 || opt_latency_ms < 0 ||
      opt_acquisition_stall_ms < 0 || opt_hostile_rate < 0.0 || opt_flood_rate < 0 || opt_flood_frames < 0 || opt_token_lifetime <= 0)
    {
      g_printerr ("lablink-sim: option values must not be negative\n");
      return 2;
    }
  if (opt_scope_points < 2 || opt_scope_points > LABLINK_SIM_SCOPE_MAX_POINTS)
    {
      g_printerr ("lablink-sim: --scope-points must be 2 to %d\n", LABLINK_SIM_SCOPE_MAX_POINTS);
      return 2;
    }
  if (opt_scope_read_ms < 0 || opt_scope_read_ms > 60000)
    {
      g_printerr ("lablink-sim: --scope-read-ms must be 0 to 60000\n");
      return 2;
    }
  if (opt_hostile_kinds != NULL && !lablink_sim_hostile_kinds_from_string (opt_hostile_kinds, &kinds, &error))
    {
      g_printerr ("lablink-sim: %s\n", error->message);
      return 2;
    }

  if (opt_utc_offset != NULL)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (opt_utc_offset);

      if (zone == NULL || (opt_utc_offset[0] != '+' && opt_utc_offset[0] != '-'))
        {
          g_printerr ("lablink-sim: invalid --utc-offset %s (use ±HH:MM)\n", opt_utc_offset);
          return 2;
        }
      lablink_sim_json_set_utc_offset (g_time_zone_get_offset (zone, 0));
    }

  server = lablink_sim_server_new ();
  if ((opt_tls_cert != NULL) != (opt_tls_key != NULL))
    {
      g_printerr ("lablink-sim: --tls-cert and --tls-key go together\n");
      return 2;
    }
  if (opt_tls_cert != NULL)
    {
      g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (opt_tls_cert, opt_tls_key, &error);

      if (certificate == NULL)
        {
          g_printerr ("lablink-sim: cannot use the TLS certificate %s with key %s: %s\n",
                      opt_tls_cert, opt_tls_key, error->message);
          return 2;
        }
      lablink_sim_server_set_tls_certificate (server, certificate);
    }
  lablink_sim_server_set_seed (server, (guint32) opt_seed);
  lablink_sim_server_set_lablink_compat (server, opt_compat);
  lablink_sim_server_set_locks_enabled (server, !opt_no_locks);
  if (opt_silent_streams != NULL)
    {
      g_auto(GStrv) types = g_strsplit (opt_silent_streams, ",", -1);
      lablink_sim_server_set_silent_streams (server, (const char * const *) types);
    }
  lablink_sim_server_set_token_lifetime (server, (guint) opt_token_lifetime);
  if (opt_auth != NULL)
    {
      const char *colon = strchr (opt_auth, ':');
      g_autofree char *user = NULL;

      if (colon == NULL || colon == opt_auth)
        {
          g_printerr ("lablink-sim: --auth expects USER:PASSWORD\n");
          return 2;
        }
      user = g_strndup (opt_auth, (gsize) (colon - opt_auth));
      lablink_sim_server_set_auth (server, user, colon + 1);
    }
  lablink_sim_server_set_drop_after_messages (server, (guint) opt_drop_after_messages);
  lablink_sim_server_set_drop_after_ms (server, (guint) opt_drop_after_ms);
  lablink_sim_server_set_refuse_ms (server, (guint) opt_refuse_ms);
  lablink_sim_server_set_acquisition_stall_ms (server, (guint) opt_acquisition_stall_ms);
  lablink_sim_server_set_latency_ms (server, (guint) opt_latency_ms);
  lablink_sim_server_set_hostile (server, opt_hostile_rate, kinds);
  {
    GPtrArray *instruments = lablink_sim_server_get_instruments (server);
    guint i;

    for (i = 0; i < instruments->len; i++)
      if (LABLINK_SIM_IS_SCOPE (g_ptr_array_index (instruments, i)))
        {
          lablink_sim_scope_set_n_points (g_ptr_array_index (instruments, i), (guint) opt_scope_points);
          lablink_sim_scope_set_read_ms (g_ptr_array_index (instruments, i), (guint) opt_scope_read_ms);
        }
  }

  if (!lablink_sim_server_listen (server, opt_address, (guint) opt_port, &error))
    {
      g_printerr ("lablink-sim: cannot listen: %s\n", error->message);
      return 1;
    }

  if (opt_flood_rate > 0 || opt_flood_frames > 0)
    lablink_sim_server_flood (server, (guint) opt_flood_frames, (guint) opt_flood_rate);

  fprintf (stdout, "%s\n", lablink_sim_server_get_url (server));
  fflush (stdout);
  g_message ("serving %s%s%s%s", lablink_sim_server_get_url (server),
             opt_compat ? " (LabLink 1.2.5 compatible)" : "",
             opt_auth != NULL ? " with security" : "",
             opt_tls_cert != NULL ? " over TLS" : "");

  if (opt_announce)
    {
      g_autoptr(GInetAddress) listening = g_inet_address_new_from_string (opt_address ? opt_address : "127.0.0.1");
      g_autofree char *name = opt_announce_name
        ? g_strdup (opt_announce_name)
        : g_strdup_printf ("LabLink Simulator on %s", g_get_host_name ());

      /* A DNS-SD instance name is one label: at most 63 bytes, whole characters. */
      if (strlen (name) > 63)
        *g_utf8_find_prev_char (name, name + 64) = '\0';
      announce = lablink_sim_announce_new (name, lablink_sim_server_get_port (server), "1.2.5",
                                           listening != NULL && g_inet_address_get_is_loopback (listening));
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, loop);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_message ("stopping");
  g_clear_pointer (&announce, lablink_sim_announce_free);
  lablink_sim_server_stop (server);

  /* let the close handshakes go out (bounded) */
  drain = g_timeout_source_new (300);
  g_source_set_callback (drain, on_drain_timeout, &expired, NULL);
  g_source_attach (drain, NULL);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (drain);
  g_source_unref (drain);

  return EXIT_SUCCESS;
}
