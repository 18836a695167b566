#!/usr/bin/env python3
"""Installs the project into a temporary DESTDIR and checks that everything is there.

usage: check-install.py MESON BUILD_ROOT APP_ID GIR(yes|no) GUI(yes|no) PREFIX BINDIR LIBDIR
                        INCLUDEDIR DATADIR MANDIR LOCALEDIR LINGUAS_FILE
"""
import glob
import os
import subprocess
import sys
import tempfile

(meson, build_root, app_id, gir, gui, prefix, bindir, libdir, includedir, datadir, mandir,
 localedir, linguas_file) = sys.argv[1:14]


def under(d):
    return d if os.path.isabs(d) else os.path.join(prefix, d)


bindir, libdir, includedir, datadir, mandir, localedir = map(
    under, (bindir, libdir, includedir, datadir, mandir, localedir))
with open(linguas_file, encoding='utf-8') as f:
    langs = [w for line in f if not line.lstrip().startswith('#') for w in line.split()]

expected = [
    # (what, path, must be executable)
    ('binary', f'{bindir}/lablink-sim', True),
    ('binary', f'{bindir}/lablink-cli', True),
    ('library', f'{libdir}/liblablink-1.0.so', False),
    ('library', f'{libdir}/liblablink-1.0.so.0', False),
    ('header', f'{includedir}/lablink-1.0/lablink.h', False),
    ('header', f'{includedir}/lablink-1.0/lablink-enums.h', False),
    ('header', f'{includedir}/lablink-1.0/lablink-stream-manager.h', False),
    ('header', f'{includedir}/lablink-1.0/lablink-version.h', False),
    ('header', f'{includedir}/lablink-1.0/lablink-version-macros.h', False),
    ('pkg-config file', f'{libdir}/pkgconfig/lablink-1.0.pc', False),
    ('man page', f'{mandir}/man1/lablink-sim.1', False),
    ('man page', f'{mandir}/man1/lablink-cli.1', False),
]
gui_expected = [
    ('binary', f'{bindir}/lablink-monitor', True),
    ('desktop file', f'{datadir}/applications/{app_id}.desktop', False),
    ('metainfo', f'{datadir}/metainfo/{app_id}.metainfo.xml', False),
    ('GSettings schema', f'{datadir}/glib-2.0/schemas/{app_id}.gschema.xml', False),
    ('icon', f'{datadir}/icons/hicolor/scalable/apps/{app_id}.svg', False),
    ('symbolic icon', f'{datadir}/icons/hicolor/symbolic/apps/{app_id}-symbolic.svg', False),
    ('man page', f'{mandir}/man1/lablink-monitor.1', False),
]
if gui == 'yes':
    expected += gui_expected
for lang in langs:
    expected.append(('translation', f'{localedir}/{lang}/LC_MESSAGES/lablink-monitor.mo', False))
if gir == 'yes':
    expected.append(('GIR', f'{datadir}/gir-1.0/Lablink-1.0.gir', False))
    expected.append(('typelib', f'{libdir}/girepository-1.0/Lablink-1.0.typelib', False))

with tempfile.TemporaryDirectory(prefix='lablink-install-') as destdir:
    run = subprocess.run([meson, 'install', '-C', build_root, '--destdir', destdir,
                          '--no-rebuild', '--quiet'], capture_output=True, text=True)
    if run.returncode != 0:
        print(run.stdout, run.stderr, sep='\n')
        print('ERROR: meson install failed')
        sys.exit(1)

    def staged(path):
        return os.path.join(destdir, path.lstrip('/'))

    missing = []
    for what, path, executable in expected:
        p = staged(path)
        if not os.path.isfile(p):
            missing.append(f'{what} {path}')
        elif executable and not os.access(p, os.X_OK):
            missing.append(f'{what} {path} (not executable)')
        else:
            print(f'ok   {what:17} {path}')

    # Internal headers stay in the source tree.
    unexpected = [p[len(destdir):] for p in
                  sorted(glob.glob(staged(f'{includedir}/lablink-1.0/*-private.h')))]

    # The installed files must still be valid once merged and installed.
    checks = [
        ['desktop-file-validate', staged(f'{datadir}/applications/{app_id}.desktop')],
        ['glib-compile-schemas', '--strict', '--dry-run', staged(f'{datadir}/glib-2.0/schemas')],
    ]
    for cmd in checks:
        if os.path.exists(cmd[-1]):
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0 or r.stdout.strip() or r.stderr.strip():
                missing.append(f'{" ".join(cmd[:-1])} failed on the installed file: {r.stdout}{r.stderr}')

    n_files = sum(len(files) for _, _, files in os.walk(destdir))
    print(f'{n_files} files installed under DESTDIR{prefix}')
    for m in missing:
        print('MISSING:', m)
    for u in unexpected:
        print('UNEXPECTED (an internal header):', u)
    sys.exit(1 if missing or unexpected else 0)
