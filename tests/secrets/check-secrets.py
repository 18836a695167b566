#!/usr/bin/env python3
# check-secrets.py — no password or token in logs, captures, exports or crash output
#
#   check-secrets.py LABLINK_SIM LABLINK_CLI [GSCHEMA_XML]
#
# Runs lablink-sim with security on (--auth USER:PASSWORD, a fresh random
# password), logs in over REST to learn what its access and refresh tokens
# look like, then drives lablink-cli with G_MESSAGES_DEBUG=all: info, list,
# stats, a stream (to its end, interrupted with SIGINT, and aborted with
# SIGABRT), acquire --capture, an export of the capture to CSV, JSON and
# HDF5, a log-in with a wrong password and a server URL carrying the
# password. Then every stdout and stderr (the simulator's own log too), every
# file of the capture directory and every export is searched for the
# password, the wrong password, "USER:PASSWORD" in Base64 (basic auth), the
# tokens the test got, and any token the simulator issued (each starts with
# the same JWT header segment, taken from the test's tokens). Any hit fails.
# The app's GSettings schema, when given, must have no key meant for a
# password, token or other credential (the app keeps them in memory only).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import json
import os
import re
import resource
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.request
import xml.etree.ElementTree as ElementTree

TIMEOUT = 60          # seconds, for any one command (only a hang misses it)
USER = "labadmin"
PSU = "ps_250e6dfe"


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


class Sim:
    def __init__(self, exe, password, tmp):
        self.log_path = os.path.join(tmp, "sim.log")
        self.log = open(self.log_path, "wb")
        env = dict(os.environ, G_MESSAGES_DEBUG="all")
        self.proc = subprocess.Popen(
            [exe, "--address", "127.0.0.1", "--port", "0", "--auth", f"{USER}:{password}", "-v"],
            stdout=subprocess.PIPE, stderr=self.log, env=env)
        line = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(TIMEOUT)
        if not line or not line[0].startswith(b"http://127.0.0.1:"):
            self.stop()
            fail("lablink-sim did not print its URL")
        self.url = line[0].decode().strip()

    def rest(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return json.loads(response.read().decode())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def no_core():
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class Cli:
    def __init__(self, exe, sim, password, tmp):
        self.exe = exe
        self.outputs = []          # (label, bytes)
        self.env = dict(os.environ,
                        G_MESSAGES_DEBUG="all",
                        LABLINK_SERVER=sim.url,
                        LABLINK_PASSWORD=password,
                        HOME=os.path.join(tmp, "home"),
                        XDG_DATA_HOME=os.path.join(tmp, "home", "data"),
                        XDG_CONFIG_HOME=os.path.join(tmp, "home", "config"),
                        XDG_CACHE_HOME=os.path.join(tmp, "home", "cache"))
        os.makedirs(self.env["HOME"], exist_ok=True)

    def run(self, label, args, env=None, expect=0):
        """Runs lablink-cli to its end; keeps stdout and stderr."""
        proc = subprocess.run([self.exe] + args, capture_output=True, timeout=TIMEOUT,
                              env=dict(self.env, **(env or {})), stdin=subprocess.DEVNULL)
        self.outputs.append((label + " (stdout)", proc.stdout))
        self.outputs.append((label + " (stderr)", proc.stderr))
        if expect is not None and proc.returncode != expect:
            sys.stderr.write(proc.stderr.decode(errors="replace")[-4000:])
            fail(f"{label}: exit status {proc.returncode}, expected {expect}")
        return proc

    def run_signalled(self, label, args, signum, after_lines=2):
        """Runs lablink-cli until it printed @after_lines lines, then sends @signum."""
        proc = subprocess.Popen([self.exe] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=self.env, stdin=subprocess.DEVNULL, preexec_fn=no_core)
        got = []

        def read_lines():
            for _ in range(after_lines):
                line = proc.stdout.readline()
                if not line:
                    break
                got.append(line)

        reader = threading.Thread(target=read_lines, daemon=True)
        reader.start()
        reader.join(TIMEOUT)
        if len(got) < after_lines:
            proc.kill()
            proc.communicate()
            fail(f"{label}: no data before the signal")
        proc.send_signal(signum)
        try:
            out, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            fail(f"{label}: did not end after signal {signum}")
        self.outputs.append((label + " (stdout)", b"".join(got) + out))
        self.outputs.append((label + " (stderr)", err))
        return proc.returncode


def files_under(root):
    for directory, _, names in os.walk(root):
        for name in sorted(names):
            yield os.path.join(directory, name)


def check_schema(path):
    """No GSettings key may hold a credential."""
    keys = [key.get("name") for key in ElementTree.parse(path).getroot().iter("key")]
    suspect = [k for k in keys if re.search(r"pass|token|secret|credential|auth", k, re.IGNORECASE)]
    if suspect:
        fail(f"{os.path.basename(path)} has keys for credentials: {', '.join(suspect)}")
    print(f"{os.path.basename(path)}: {len(keys)} keys, none for a credential")


def main():
    if len(sys.argv) not in (3, 4):
        print("usage: check-secrets.py LABLINK_SIM LABLINK_CLI [GSCHEMA_XML]", file=sys.stderr)
        return 2
    sim_exe, cli_exe = sys.argv[1:3]
    if len(sys.argv) == 4:
        check_schema(sys.argv[3])
    for exe in (sim_exe, cli_exe):
        if not os.access(exe, os.X_OK):
            print(f"SKIP: {exe} is not built")
            return 77

    password = "Pw-" + secrets.token_hex(12)
    wrong_password = "Wrong-" + secrets.token_hex(12)

    with tempfile.TemporaryDirectory(prefix="lablink-secrets-") as tmp:
        sim = Sim(sim_exe, password, tmp)
        try:
            # The tokens, as the test gets them (a login and a refresh).
            login = sim.rest("POST", "/api/security/login", {"username": USER, "password": password})
            access, refresh = login["access_token"], login["refresh_token"]
            rotated = sim.rest("POST", "/api/security/refresh", {"refresh_token": refresh})
            tokens = {"access token": access, "refresh token": refresh,
                      "refreshed access token": rotated["access_token"]}
            if rotated.get("refresh_token"):
                tokens["rotated refresh token"] = rotated["refresh_token"]
            # Every token the simulator issues starts with the same header segment
            # (the CLI's own log-in gets tokens the test never sees).
            headers = {t.split(".")[0] for t in tokens.values()}
            if len(headers) != 1 or len(next(iter(headers))) < 16:
                fail("the simulator's tokens do not share a JWT header segment")
            token_header = next(iter(headers)) + "."

            cli = Cli(cli_exe, sim, password, tmp)
            captures = os.path.join(tmp, "captures")
            exports = os.path.join(tmp, "exports")
            os.makedirs(exports)
            auth = ["--user", USER]

            cli.run("info", auth + ["info"])
            cli.run("list", auth + ["list", "--json"])
            cli.run("stats", auth + ["stats", "--duration", "1"])
            cli.run("stream", auth + ["stream", PSU, "readings", "--interval-ms", "50", "--count", "5"])
            cli.run_signalled("stream interrupted", auth + ["stream", PSU, "readings", "--interval-ms", "50"],
                              signal.SIGINT)
            status = cli.run_signalled("stream aborted", auth + ["stream", PSU, "readings", "--interval-ms", "50"],
                                       signal.SIGABRT)
            if status != -signal.SIGABRT:
                fail(f"stream aborted: exit status {status}, expected death by SIGABRT")
            cli.run("acquire --capture", auth + ["acquire", PSU, "--channels", "CH1,CH2", "--rate", "50",
                                                 "--num-samples", "25", "--capture", "--capture-dir", captures])
            made = [os.path.join(captures, d) for d in sorted(os.listdir(captures))]
            if len(made) != 1 or not os.path.isdir(made[0]):
                fail(f"acquire --capture made {len(made)} captures")
            for fmt in ("csv", "json", "h5"):
                output = os.path.join(exports, "capture." + fmt)
                proc = cli.run("export " + fmt, ["export", made[0], "--output", output],
                               expect=None if fmt == "h5" else 0)
                if fmt == "h5" and proc.returncode != 0:
                    print(f"HDF5 export unavailable: {proc.stderr.decode(errors='replace').strip()[-200:]}")

            # Failures must not echo what was given either.
            cli.run("wrong password", auth + ["info"], env={"LABLINK_PASSWORD": wrong_password}, expect=None)
            cli.run("wrong password, stream", auth + ["stream", PSU, "readings", "--count", "1"],
                    env={"LABLINK_PASSWORD": wrong_password}, expect=1)
            with_userinfo = sim.url.replace("http://", f"http://{USER}:{password}@", 1)
            cli.run("password in the URL", ["--server", with_userinfo, "info"], expect=2)
        finally:
            sim.stop()

        needles = {"password": password, "wrong password": wrong_password,
                   "basic auth": base64.b64encode(f"{USER}:{password}".encode()).decode(),
                   "a token the simulator issued": token_header}
        needles.update(tokens)
        sources = list(cli.outputs)
        with open(sim.log_path, "rb") as f:
            sources.append(("lablink-sim's log", f.read()))
        n_files = 0
        for root in (captures, exports):
            for path in files_under(root):
                with open(path, "rb") as f:
                    sources.append((os.path.relpath(path, tmp), f.read()))
                n_files += 1

        debug_lines = sum(data.count(b"-DEBUG") for label, data in cli.outputs)
        if debug_lines == 0:
            fail("no debug output: G_MESSAGES_DEBUG=all had no effect")
        if n_files < 4:
            fail(f"only {n_files} capture and export files to search")

        leaks = []
        for label, data in sources:
            for what, needle in needles.items():
                at = data.find(needle.encode())
                if at >= 0:
                    context = data[max(0, at - 80):at].decode(errors="replace")
                    leaks.append(f"{what} in {label}, after: …{context!r}")
        print(f"searched {len(sources)} outputs and files ({sum(len(d) for _, d in sources)} bytes, "
              f"{debug_lines} debug lines) for {len(needles)} secrets")
        if leaks:
            for leak in leaks:
                print(f"LEAK: {leak}")
            fail(f"{len(leaks)} secrets leaked")
        print("OK: no password or token in logs, captures, exports or crash output")
        return 0


if __name__ == "__main__":
    sys.exit(main())
