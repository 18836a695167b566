/* test-avahi.h — a private Avahi daemon for discovery tests, behind a
 * private network namespace
 *
 * Tests may send traffic only to loopback, and mDNS is multicast: so the
 * test process first moves into a network namespace of its own, whose only
 * interface is `lo` (up, multicast on), and a mount namespace with a /run of
 * its own (avahi-daemon keeps its PID file and socket there, and no host
 * system bus is reachable). Everything the test starts (dbus-daemon,
 * avahi-daemon restricted to `lo`, lablink-sim) inherits both, so no packet
 * can leave the namespace: there is no other interface to leave by.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Call first thing in main(), before any thread exists. Returns NULL once
 * the process is isolated, else why it cannot be (a g_test_skip() reason):
 * no permission for namespaces, loopback multicast refused, … */
const char *test_avahi_isolate          (void);
/* What test_avahi_isolate() returned. */
const char *test_avahi_isolation_error  (void);

typedef struct _TestAvahi TestAvahi;

/* A private D-Bus system bus (DBUS_SYSTEM_BUS_ADDRESS of this process points
 * to it from now on). NULL, with @reason set, if dbus-daemon is missing. */
TestAvahi  *test_avahi_new_bus          (char      **reason);
/* Starts avahi-daemon on the bus, on `lo` only, IPv4 only. Needs the
 * isolation; FALSE, with @reason set, where it cannot run. */
gboolean    test_avahi_start_daemon     (TestAvahi  *self,
                                         char      **reason);
/* SIGTERM to avahi-daemon, and a bounded wait for its exit. */
void        test_avahi_stop_daemon      (TestAvahi  *self);
void        test_avahi_free             (TestAvahi  *self);

/* Points DBUS_SYSTEM_BUS_ADDRESS at a socket that does not exist. */
void        test_avahi_no_bus           (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestAvahi, test_avahi_free)

G_END_DECLS
