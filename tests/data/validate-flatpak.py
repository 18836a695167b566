#!/usr/bin/env python3
"""Validates the Flatpak manifest without building it (no Flatpak remote in CI).

Checks: well-formed JSON; the app id matches data/ (desktop file name, its Icon,
metainfo id and launchable, GSettings schema id); GNOME runtime and SDK of the same
version; command; minimal finish-args; every module (also nested ones and modules
given as file names) has sources; every remote source pins a checksum (sha256 for
archives/files, a commit for git); local sources (type "dir", or a "path" inside the
checkout) need none but must exist; no Devel variant.

usage: validate-flatpak.py MANIFEST APP_ID DESKTOP_IN METAINFO_IN SCHEMA
"""
import configparser
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

manifest_path, app_id, desktop_in, metainfo_in, schema = sys.argv[1:6]
manifest_dir = os.path.dirname(os.path.abspath(manifest_path))
errors = []


def error(msg):
    errors.append(msg)


def load(path):
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        error(f'{path}: not well-formed JSON: {e}')
        return None


# Network for the servers, a display, GL, and the system bus's Avahi daemon
# for finding servers on the LAN (mDNS). Passwords go through the Secret
# portal, which needs no permission of its own.
ALLOWED_FINISH_ARGS = {
    '--share=network', '--share=ipc', '--socket=wayland', '--socket=fallback-x11', '--device=dri',
    '--system-talk-name=org.freedesktop.Avahi',
}
SHA256 = re.compile(r'^[0-9a-f]{64}$')
COMMIT = re.compile(r'^[0-9a-f]{40}$')
n_modules = 0
n_sources = 0
n_remote = 0


def check_source(module, src, base_dir):
    global n_sources, n_remote
    n_sources += 1
    where = f'module "{module}": source {src.get("type", "?")}'
    if isinstance(src, str):          # a JSON file holding sources
        path = os.path.join(base_dir, src)
        data = load(path)
        for s in (data if isinstance(data, list) else [data] if data else []):
            check_source(module, s, os.path.dirname(path))
        return
    kind = src.get('type')
    if kind in ('script', 'shell', 'inline'):
        return                        # contents inline in the manifest
    if kind == 'dir' or ('path' in src and 'url' not in src):
        path = os.path.normpath(os.path.join(base_dir, src['path']))
        if not os.path.exists(path):
            error(f'{where}: local path {src["path"]} does not exist ({path})')
        return                        # local: no checksum needed
    if kind in ('archive', 'file', 'patch'):
        n_remote += 1
        if 'url' not in src and 'mirror-urls' not in src:
            error(f'{where}: neither a url nor a local path')
        url = src.get('url', '')
        if not url.startswith('https://'):
            error(f'{where}: url is not https: {url}')
        if not SHA256.match(src.get('sha256', '')):
            error(f'{where}: {url} has no valid sha256')
        return
    if kind in ('git', 'bzr', 'svn'):
        n_remote += 1
        if not COMMIT.match(src.get('commit', '')):
            error(f'{where}: {src.get("url")} is not pinned to a commit')
        return
    error(f'{where}: unknown source type')


def check_module(module, base_dir):
    global n_modules
    if isinstance(module, str):       # a module in its own JSON file
        path = os.path.join(base_dir, module)
        data = load(path)
        if data is not None:
            check_module(data, os.path.dirname(path))
        return
    n_modules += 1
    name = module.get('name')
    if not name:
        error('a module has no name')
    sources = module.get('sources')
    if not sources:
        error(f'module "{name}" has no sources')
    for src in sources or []:
        check_source(name, src, base_dir)
    for sub in module.get('modules', []):
        check_module(sub, base_dir)


m = load(manifest_path)
if m is None:
    print('\n'.join('ERROR: ' + e for e in errors))
    sys.exit(1)

manifest_id = m.get('id', m.get('app-id'))
if manifest_id != app_id:
    error(f'manifest id {manifest_id!r} is not {app_id!r}')
if os.path.basename(manifest_path) != app_id + '.json':
    error(f'manifest file name should be {app_id}.json')
if 'Devel' in (manifest_id or '') or 'devel' in os.path.basename(manifest_path).lower():
    error('no Devel variant is shipped')
if m.get('runtime') != 'org.gnome.Platform' or m.get('sdk') != 'org.gnome.Sdk':
    error(f'runtime/sdk should be org.gnome.Platform/org.gnome.Sdk, not {m.get("runtime")}/{m.get("sdk")}')
if not re.match(r'^\d+$', str(m.get('runtime-version', ''))):
    error(f'runtime-version should be a stable GNOME branch like "47", not {m.get("runtime-version")!r}')
if m.get('command') != 'lablink-monitor':
    error(f'command should be lablink-monitor, not {m.get("command")!r}')
finish_args = m.get('finish-args', [])
extra = [a for a in finish_args if a not in ALLOWED_FINISH_ARGS]
if extra:
    error(f'finish-args beyond the minimal set: {extra}')
for needed in ('--share=network', '--socket=wayland', '--socket=fallback-x11'):
    if needed not in finish_args:
        error(f'finish-args lack {needed}')

modules = m.get('modules') or []
if not modules:
    error('no modules')
for module in modules:
    check_module(module, manifest_dir)
app_module = modules[-1] if modules and isinstance(modules[-1], dict) else {}
if app_module.get('buildsystem') != 'meson':
    error('the last module (the app) should be built with meson')
if not any(isinstance(s, dict) and s.get('type') == 'dir' for s in app_module.get('sources', [])):
    error('the app module should be built from the local checkout (a "dir" source)')

# The id everywhere in data/.
desktop = configparser.ConfigParser(interpolation=None, strict=False)
desktop.optionxform = str
desktop.read(desktop_in, encoding='utf-8')
if os.path.basename(desktop_in) != app_id + '.desktop.in':
    error(f'{desktop_in}: file name does not match {app_id}')
if desktop.get('Desktop Entry', 'Icon', fallback=None) != app_id:
    error(f'{desktop_in}: Icon is not {app_id}')
exec_cmd = desktop.get('Desktop Entry', 'Exec', fallback='').split()
if not exec_cmd or exec_cmd[0] != m.get('command'):
    error(f'{desktop_in}: Exec does not run the manifest command')

meta = ET.parse(metainfo_in).getroot()
if meta.findtext('id') != app_id:
    error(f'{metainfo_in}: <id> is {meta.findtext("id")!r}')
if meta.findtext('launchable') != app_id + '.desktop':
    error(f'{metainfo_in}: <launchable> is {meta.findtext("launchable")!r}')

schemas = ET.parse(schema).getroot().findall('schema')
if not schemas or schemas[0].get('id') != app_id:
    error(f'{schema}: schema id is not {app_id}')
expected_path = '/' + app_id.replace('.', '/') + '/'
if schemas and schemas[0].get('path') != expected_path:
    error(f'{schema}: schema path is not {expected_path}')

for icon in (f'icons/hicolor/scalable/apps/{app_id}.svg', f'icons/hicolor/symbolic/apps/{app_id}-symbolic.svg'):
    if not os.path.isfile(os.path.join(os.path.dirname(desktop_in), icon)):
        error(f'data/{icon} is missing')

print(f'{os.path.basename(manifest_path)}: app id {manifest_id}, runtime {m.get("runtime")}//{m.get("runtime-version")}, '
      f'{n_modules} modules, {n_sources} sources ({n_remote} remote, all pinned)' if not errors else '')
for e in errors:
    print('ERROR:', e)
sys.exit(1 if errors else 0)
