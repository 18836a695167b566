/* test-avahi.c — a private Avahi daemon for discovery tests, behind a
 * private network namespace (see test-avahi.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "test-avahi.h"
#include "test-common.h"

#define MDNS_GROUP "224.0.0.251"

struct _TestAvahi
{
  char        *dir;
  GSubprocess *bus;
  GSubprocess *daemon;
};

static char *isolation_error = (char *) "test_avahi_isolate() was not called";

static gboolean
write_file (const char *path,
            const char *text)
{
  int fd = open (path, O_WRONLY);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, text, strlen (text)) == (ssize_t) strlen (text);
  close (fd);
  return ok;
}

/* Whether a datagram sent to the mDNS group on `lo` comes back: the one
 * thing avahi-daemon needs of the namespace. The port is not 5353. */
static char *
check_loopback_multicast (void)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_ANY) };
  struct ip_mreqn request = { .imr_ifindex = (int) if_nametoindex ("lo") };
  socklen_t length = sizeof address;
  struct pollfd pfd;
  unsigned char loop = 1;
  char buffer[16];
  int fd;
  char *error = NULL;

  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return g_strdup_printf ("no UDP socket: %s", g_strerror (errno));
  inet_pton (AF_INET, MDNS_GROUP, &request.imr_multiaddr);
  if (bind (fd, (struct sockaddr *) &address, sizeof address) != 0 ||
      getsockname (fd, (struct sockaddr *) &address, &length) != 0 ||
      setsockopt (fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &request, sizeof request) != 0 ||
      setsockopt (fd, IPPROTO_IP, IP_MULTICAST_IF, &request, sizeof request) != 0 ||
      setsockopt (fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop) != 0)
    error = g_strdup_printf ("loopback multicast refused: %s", g_strerror (errno));
  else
    {
      inet_pton (AF_INET, MDNS_GROUP, &address.sin_addr);
      pfd = (struct pollfd) { .fd = fd, .events = POLLIN };
      if (sendto (fd, "lablink", 7, 0, (struct sockaddr *) &address, sizeof address) != 7)
        error = g_strdup_printf ("loopback multicast refused: %s", g_strerror (errno));
      else if (poll (&pfd, 1, 10000) != 1 || recv (fd, buffer, sizeof buffer, 0) != 7)
        error = g_strdup ("loopback multicast refused: a datagram to " MDNS_GROUP " on lo did not come back");
    }
  close (fd);
  return error;
}

static char *
isolate (void)
{
  struct ifreq request = { 0 };
  struct if_nameindex *interfaces;
  uid_t uid = geteuid ();
  gid_t gid = getegid ();
  const char *runtime_dir;
  int saved;
  int fd;

  if (unshare (CLONE_NEWNET | CLONE_NEWNS) != 0)
    {
      /* Not root: a user namespace may give the rights within it. */
      saved = errno;
      if (uid == 0 || unshare (CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS) != 0)
        return g_strdup_printf ("no permission for a private network namespace (unshare: %s)", g_strerror (saved));
      {
        g_autofree char *uid_map = g_strdup_printf ("0 %u 1\n", (unsigned) uid);
        g_autofree char *gid_map = g_strdup_printf ("0 %u 1\n", (unsigned) gid);

        if (!write_file ("/proc/self/setgroups", "deny") ||
            !write_file ("/proc/self/uid_map", uid_map) || !write_file ("/proc/self/gid_map", gid_map))
          return g_strdup_printf ("cannot map the user into a user namespace: %s", g_strerror (errno));
      }
    }

  /* Nothing mounted here reaches the host; /run is our own. */
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    return g_strdup_printf ("cannot make the mounts private: %s", g_strerror (errno));
  if (mount ("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0)
    return g_strdup_printf ("cannot mount a private /run: %s", g_strerror (errno));
  runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
  if (runtime_dir != NULL && g_str_has_prefix (runtime_dir, "/run/"))
    g_mkdir_with_parents (runtime_dir, 0700);

  /* The new namespace has `lo` only, and down. */
  interfaces = if_nameindex ();
  if (interfaces == NULL)
    return g_strdup_printf ("cannot list the interfaces: %s", g_strerror (errno));
  for (struct if_nameindex *i = interfaces; i->if_index != 0; i++)
    if (!g_str_equal (i->if_name, "lo"))
      {
        char *error = g_strdup_printf ("the private namespace has an interface %s besides lo", i->if_name);

        if_freenameindex (interfaces);
        return error;
      }
  if_freenameindex (interfaces);

  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return g_strdup_printf ("no socket: %s", g_strerror (errno));
  g_strlcpy (request.ifr_name, "lo", sizeof request.ifr_name);
  if (ioctl (fd, SIOCGIFFLAGS, &request) != 0 ||
      (request.ifr_flags |= IFF_UP | IFF_MULTICAST, ioctl (fd, SIOCSIFFLAGS, &request) != 0))
    {
      saved = errno;
      close (fd);
      return g_strdup_printf ("cannot bring lo up with multicast: %s", g_strerror (saved));
    }
  close (fd);

  return check_loopback_multicast ();
}

const char *
test_avahi_isolate (void)
{
  isolation_error = isolate ();
  return isolation_error;
}

const char *
test_avahi_isolation_error (void)
{
  return isolation_error;
}

void
test_avahi_no_bus (void)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "lablink-test-no-such-bus", "socket", NULL);
  g_autofree char *address = g_strdup_printf ("unix:path=%s", path);

  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", address, TRUE);
}

static gboolean
write_config (const char  *path,
              const char  *text,
              char       **reason)
{
  g_autoptr(GError) error = NULL;

  if (g_file_set_contents (path, text, -1, &error))
    return TRUE;
  *reason = g_strdup_printf ("cannot write %s: %s", path, error->message);
  return FALSE;
}

TestAvahi *
test_avahi_new_bus (char **reason)
{
  g_autoptr(TestAvahi) self = g_new0 (TestAvahi, 1);
  g_autofree char *program = g_find_program_in_path ("dbus-daemon");
  g_autofree char *config = NULL;
  g_autofree char *text = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  if (program == NULL)
    {
      *reason = g_strdup ("no dbus-daemon (package dbus-daemon)");
      return NULL;
    }
  self->dir = g_dir_make_tmp ("lablink-avahi-XXXXXX", &error);
  g_assert_no_error (error);

  /* A bus of this test alone: whoever connects may own any name
   * (org.freedesktop.Avahi among them) and talk to anyone. */
  config = g_build_filename (self->dir, "bus.conf", NULL);
  text = g_strdup_printf ("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                          " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                          "<busconfig>\n"
                          "  <listen>unix:path=%s/system_bus_socket</listen>\n"
                          "  <auth>EXTERNAL</auth>\n"
                          "  <policy context=\"default\">\n"
                          "    <allow user=\"*\"/>\n"
                          "    <allow own=\"*\"/>\n"
                          "    <allow own=\"org.freedesktop.Avahi\"/>\n"
                          "    <allow send_destination=\"*\"/>\n"
                          "    <allow receive_sender=\"*\"/>\n"
                          "  </policy>\n"
                          "</busconfig>\n", self->dir);
  if (!write_config (config, text, reason))
    return NULL;

  self->bus = test_spawn ((const char *[]) { program, "--config-file", config, "--nofork", "--nopidfile",
                                             "--print-address=1", NULL },
                          G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->bus));
  address = test_read_line (out);
  if (address == NULL || address[0] == '\0')
    {
      *reason = g_strdup ("dbus-daemon did not start (see the log)");
      return NULL;
    }
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", address, TRUE);
  g_test_message ("private system bus at %s", address);
  return g_steal_pointer (&self);
}

static gboolean
process_exited (GSubprocess *process)
{
  return g_subprocess_get_identifier (process) == NULL;
}

static gboolean
avahi_on_bus (const char *address)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  bus = g_dbus_connection_new_for_address_sync (address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, NULL);
  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.Avahi"), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  g_dbus_connection_close_sync (bus, NULL, NULL);
  return has_owner;
}

gboolean
test_avahi_start_daemon (TestAvahi  *self,
                         char      **reason)
{
  g_autofree char *program = g_find_program_in_path ("avahi-daemon");
  g_autofree char *config = NULL;
  const char *address = g_getenv ("DBUS_SYSTEM_BUS_ADDRESS");
  gboolean up = FALSE;

  g_return_val_if_fail (self->daemon == NULL, FALSE);

  if (test_avahi_isolation_error () != NULL)
    {
      *reason = g_strdup_printf ("no private network namespace for mDNS: %s", test_avahi_isolation_error ());
      return FALSE;
    }
  if (program == NULL && g_file_test ("/usr/sbin/avahi-daemon", G_FILE_TEST_IS_EXECUTABLE))
    program = g_strdup ("/usr/sbin/avahi-daemon");
  if (program == NULL)
    {
      *reason = g_strdup ("no avahi-daemon (package avahi-daemon)");
      return FALSE;
    }

  /* On lo only, IPv4 only, nothing published but what clients ask for. */
  config = g_build_filename (self->dir, "avahi-daemon.conf", NULL);
  if (!write_config (config,
                     "[server]\n"
                     "host-name=lablink-test\n"
                     "domain-name=local\n"
                     "use-ipv4=yes\n"
                     "use-ipv6=no\n"
                     "allow-interfaces=lo\n"
                     "enable-dbus=yes\n"
                     "ratelimit-interval-usec=0\n"
                     "[wide-area]\n"
                     "enable-wide-area=no\n"
                     "[publish]\n"
                     "publish-hinfo=no\n"
                     "publish-workstation=no\n"
                     "publish-resolv-conf-dns-servers=no\n"
                     "[reflector]\n"
                     "enable-reflector=no\n"
                     "[rlimits]\n",
                     reason))
    return FALSE;

  self->daemon = test_spawn ((const char *[]) { program, "--file", config, "--no-drop-root", "--no-chroot",
                                                "--no-rlimits", "--no-proc-title", NULL },
                             G_SUBPROCESS_FLAGS_NONE);
  {
    gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

    /* Asked every 100 ms: each question is a connection to the bus. */
    while (!process_exited (self->daemon) && !(up = avahi_on_bus (address)) &&
           g_get_monotonic_time () < deadline)
      test_run_for (100);
  }
  if (!up)
    {
      *reason = g_strdup (process_exited (self->daemon) ? "avahi-daemon exited (see the log)"
                                                        : "avahi-daemon never appeared on the bus");
      g_clear_object (&self->daemon);
      return FALSE;
    }
  g_test_message ("avahi-daemon runs on the private bus");
  return TRUE;
}

static void
stop_process (GSubprocess **process)
{
  if (*process == NULL)
    return;
  if (!process_exited (*process))
    {
      g_subprocess_send_signal (*process, SIGTERM);
      TEST_WAIT (process_exited (*process), TEST_TIMEOUT_MS);
      if (!process_exited (*process))
        g_subprocess_force_exit (*process);
    }
  g_clear_object (process);
}

void
test_avahi_stop_daemon (TestAvahi *self)
{
  stop_process (&self->daemon);
}

void
test_avahi_free (TestAvahi *self)
{
  if (self == NULL)
    return;
  stop_process (&self->daemon);
  stop_process (&self->bus);
  if (self->dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (self->dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (self->dir, name, NULL);
          g_unlink (path);
        }
      g_rmdir (self->dir);
      g_free (self->dir);
    }
  test_avahi_no_bus ();
  g_free (self);
}
