#!/usr/bin/env python3
"""Fails when a file with translatable strings is missing from po/POTFILES.in.

A file under src/ has translatable strings when it calls _(), N_(), C_(), NC_(),
g_dngettext()/ngettext() or, for GtkBuilder .ui files, has translatable="yes".
Also fails when POTFILES.in lists a file that does not exist (xgettext would fail),
or misses one of the desktop/metainfo/schema files in data/.

usage: check-potfiles.py SOURCE_ROOT APP_ID
"""
import os
import re
import sys

root, app_id = sys.argv[1], sys.argv[2]

CALL = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)\s*\(')
UI = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"')
CODE_EXT = ('.c', '.h', '.py', '.js', '.vala')
UI_EXT = ('.ui', '.blp')


def strip_c_comments(text):
    # Comments may mention _() without being translatable code.
    return re.sub(r'/\*.*?\*/|//[^\n]*', '', text, flags=re.S)


def listed(path):
    files = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                files.append(line.split('#')[0].strip())
    return files


potfiles = listed(os.path.join(root, 'po', 'POTFILES.in'))
skipped = []
if os.path.exists(os.path.join(root, 'po', 'POTFILES.skip')):
    skipped = listed(os.path.join(root, 'po', 'POTFILES.skip'))

errors = []
for entry in potfiles:
    if not os.path.isfile(os.path.join(root, entry)):
        errors.append(f'po/POTFILES.in lists {entry}, which does not exist')
    if potfiles.count(entry) > 1:
        errors.append(f'po/POTFILES.in lists {entry} more than once')

needed = []
for dirpath, dirnames, filenames in os.walk(os.path.join(root, 'src')):
    dirnames.sort()
    for name in sorted(filenames):
        path = os.path.join(dirpath, name)
        rel = os.path.relpath(path, root)
        try:
            with open(path, encoding='utf-8') as f:
                text = f.read()
        except (UnicodeDecodeError, OSError):
            continue
        if name.endswith(CODE_EXT) and CALL.search(strip_c_comments(text)):
            needed.append(rel)
        elif name.endswith(UI_EXT) and UI.search(text):
            needed.append(rel)

for suffix in ('.desktop.in', '.metainfo.xml.in', '.gschema.xml'):
    needed.append(f'data/{app_id}{suffix}')

for rel in needed:
    if rel not in potfiles and rel not in skipped:
        errors.append(f'{rel} has translatable strings but is not in po/POTFILES.in')

print(f'{len(potfiles)} files in po/POTFILES.in, {len(needed)} files with translatable strings')
for e in sorted(set(errors)):
    print('ERROR:', e)
sys.exit(1 if errors else 0)
