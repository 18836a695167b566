#!/usr/bin/env python3
"""liblablink through GObject introspection: drives the stream manager from Python.

Starts lablink-sim ($LABLINK_SIM) on 127.0.0.1 with a free port, sets the simulated
power supply to 5 V and switches its output on over REST (Lablink.Client), connects a
Lablink.StreamManager, starts the PSU readings stream and waits (bounded) for three
"stream-data" signals, reading data.voltage_actual from each message.

Needs GI_TYPELIB_PATH and LD_LIBRARY_PATH pointing at the build's src/lablink.
"""
import os
import select
import signal
import subprocess
import sys
import time

import gi
gi.require_version('GLib', '2.0')
gi.require_version('Json', '1.0')
gi.require_version('Lablink', '1.0')
from gi.repository import GLib, Json, Lablink  # noqa: E402

EQUIPMENT = 'ps_250e6dfe'
VOLTAGE_SET = 5.0
WANTED = 3
# Deadlines only a hang misses (the machine may be busy with other suites).
TIMEOUT_S = 60


def fail(msg):
    print('FAIL:', msg)
    sys.exit(1)


def start_sim():
    exe = os.environ.get('LABLINK_SIM')
    if not exe:
        fail('LABLINK_SIM is not set')
    sim = subprocess.Popen([exe, '--port', '0'], stdout=subprocess.PIPE, text=True)
    ready, _, _ = select.select([sim.stdout], [], [], TIMEOUT_S)
    if not ready:
        sim.kill()
        fail(f'lablink-sim did not print its URL within {TIMEOUT_S} s')
    url = sim.stdout.readline().strip()
    if not url.startswith('http://127.0.0.1:'):
        sim.kill()
        fail(f'lablink-sim printed {url!r}, not a 127.0.0.1 URL')
    return sim, url


def stop_sim(sim):
    if sim.poll() is None:
        sim.send_signal(signal.SIGTERM)
        try:
            sim.wait(TIMEOUT_S)
        except subprocess.TimeoutExpired:
            sim.kill()
            sim.wait()


def main():
    sim, url = start_sim()
    print('lablink-sim at', url)
    try:
        run(url)
    finally:
        stop_sim(sim)


def run(url):
    loop = GLib.MainLoop()
    client = Lablink.Client.new(url)
    manager = Lablink.StreamManager.new(client)
    assert manager.get_client() == client
    print('WebSocket URL:', client.dup_ws_url())

    state = {'voltages': [], 'error': None, 'connected': False}
    started = time.monotonic()

    def on_stream_data(mgr, message):
        if message.get_stream_key() != f'{EQUIPMENT}_readings':
            return
        ok, voltage = message.get_double('data.voltage_actual')
        ok_set, voltage_set = message.get_double('data.voltage_set')
        ok_on, output = message.get_boolean('data.output_enabled')
        if not (ok and ok_set and ok_on):
            state['error'] = 'a readings frame without its fields: ' + message.get_text()
            loop.quit()
            return
        state['voltages'].append((voltage_set, output, voltage))
        print(f'stream-data #{len(state["voltages"])}: {message.get_equipment_id()} '
              f'{message.get_stream_type()} voltage_set={voltage_set:g} V output={output} '
              f'voltage_actual={voltage:.4f} V')
        if len(state['voltages']) >= WANTED:
            loop.quit()

    # Detailed signal, as the C API documents it.
    manager.connect(f'stream-data::{EQUIPMENT}_readings', on_stream_data)

    def command(action, member, value, then):
        params = Json.Object.new()
        if isinstance(value, bool):
            params.set_boolean_member(member, value)
        else:
            params.set_double_member(member, value)
        params.set_int_member('channel', 1)

        def done(c, result):
            try:
                c.send_command_finish(result)
            except GLib.Error as e:
                state['error'] = f'{action} failed: {e.message}'
                loop.quit()
                return
            print(f'REST command {action} {member}={value}: ok')
            then()
        client.send_command_async(EQUIPMENT, action, params, None, done)

    def on_connected(mgr, result):
        try:
            mgr.connect_finish(result)
        except GLib.Error as e:
            state['error'] = f'connect failed: {e.message}'
            loop.quit()
            return
        state['connected'] = True
        print(f'connected after {time.monotonic() - started:.2f} s, state', mgr.get_state().value_nick)
        try:
            mgr.start_equipment_stream(EQUIPMENT, 'readings', 100)
        except GLib.Error as e:
            state['error'] = f'start_equipment_stream failed: {e.message}'
            loop.quit()

    def on_locked(c, result):
        try:
            c.acquire_lock_finish(result)
        except GLib.Error as e:
            state['error'] = f'acquire_lock failed: {e.message}'
            loop.quit()
            return
        print('lock taken by', c.get_lock_session_name())
        command('set_voltage', 'voltage', VOLTAGE_SET,
                lambda: command('set_output', 'enabled', True,
                                lambda: manager.connect_async(None, on_connected)))

    # Equipment locks are on (as on LabLink 1.2.5): control needs the lock.
    client.acquire_lock_async(EQUIPMENT, Lablink.LockMode.EXCLUSIVE, False, None, on_locked)

    def on_timeout():
        state['error'] = (f'timed out after {TIMEOUT_S} s: connected={state["connected"]}, '
                          f'{len(state["voltages"])} of {WANTED} stream-data signals, '
                          f'last error {manager.get_last_error()!r}')
        loop.quit()
        return GLib.SOURCE_REMOVE

    timeout_id = GLib.timeout_add_seconds(TIMEOUT_S, on_timeout)
    loop.run()
    if state['error'] is None:
        GLib.source_remove(timeout_id)

    if state['connected']:
        try:
            manager.stop_equipment_stream(EQUIPMENT, 'readings')
        except GLib.Error:
            pass
        stats = manager.get_statistics()
        print(f'statistics: {stats.get_messages_received()} frames received, '
              f'{stats.get_errors_total()} errors')
    # lablink_stream_manager_disconnect(): in Python it hides GObject.Object.disconnect
    # (signal handlers are disconnected with handler_disconnect() instead).
    manager.disconnect()

    if state['error']:
        fail(state['error'])
    for voltage_set, output, voltage in state['voltages']:
        if abs(voltage_set - VOLTAGE_SET) > 1e-9 or not output or not 0.0 < voltage <= VOLTAGE_SET * 1.05:
            fail(f'the readings do not show the output on at {VOLTAGE_SET} V: {state["voltages"]}')
    print(f'PASS: {len(state["voltages"])} stream-data signals in '
          f'{time.monotonic() - started:.2f} s')


if __name__ == '__main__':
    main()
