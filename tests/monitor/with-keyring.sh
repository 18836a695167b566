#!/bin/sh
# with-keyring.sh COMMAND… — runs COMMAND with a private Secret Service: its
# own D-Bus session (dbus-run-session) and a gnome-keyring-daemon whose
# keyrings live in a temporary home, unlocked with a throwaway password.
# Where either is missing, COMMAND runs without one (and the test skips,
# saying why: LABLINK_TEST_KEYRING is unset).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -e

if [ -z "$LABLINK_IN_KEYRING" ]; then
  if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
    LABLINK_TEST_NO_KEYRING="dbus-run-session or gnome-keyring-daemon is not installed" exec "$@"
  fi
  LABLINK_IN_KEYRING=1 exec dbus-run-session -- "$0" "$@"
fi

home=$(mktemp -d "${TMPDIR:-/tmp}/lablink-keyring.XXXXXX")
# (the daemon leaves with the D-Bus session)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# Creates and unlocks the login keyring (the default collection).
printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
has_service() {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true
}
# The daemon forks: its name comes a moment later (up to 10 s on a loaded machine).
tries=0
until has_service || [ $tries -ge 100 ]; do
  sleep 0.1
  tries=$((tries + 1))
done
if ! has_service; then
  LABLINK_TEST_NO_KEYRING="gnome-keyring-daemon did not start" "$@"
  exit $?
fi
export LABLINK_TEST_KEYRING=1
"$@"
