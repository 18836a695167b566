#!/usr/bin/env python3
"""Checks the translations in po/.

For each language in po/LINGUAS:
 1. `msgfmt --check --statistics` on the catalogue: format strings, headers, and
    no untranslated or fuzzy message;
 2. the catalogue is up to date: a template extracted now from po/POTFILES.in (with
    the same xgettext options as meson's glib preset) merged into it leaves no
    untranslated or fuzzy message.

usage: check-po.py SOURCE_ROOT DOMAIN
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

root, domain = sys.argv[1], sys.argv[2]
podir = os.path.join(root, 'po')

XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments', '-k_', '--keyword=N_', '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2', '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3', '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format', '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format', '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format', '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format', '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format', '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format', '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]


def statistics(path, tmp):
    """Returns (translated, fuzzy, untranslated, output) of msgfmt --check --statistics."""
    out = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.path.join(tmp, 'out.mo'), path],
                         capture_output=True, text=True, env=dict(os.environ, LC_ALL='C'))
    text = (out.stdout + out.stderr).strip()
    if out.returncode != 0:
        return None, text
    counts = {}
    for kind in ('translated', 'fuzzy', 'untranslated'):
        m = re.search(r'(\d+) ' + kind, text)
        counts[kind] = int(m.group(1)) if m else 0
    return counts, text


with open(os.path.join(podir, 'LINGUAS'), encoding='utf-8') as f:
    langs = [w for line in f if not line.lstrip().startswith('#') for w in line.split()]

failed = False
with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, domain + '.pot')
    subprocess.run(['xgettext', '--package-name=' + domain, '-f', os.path.join(podir, 'POTFILES.in'),
                    '-D', root, '-o', pot] + XGETTEXT_ARGS, check=True)
    for lang in langs:
        po = os.path.join(podir, lang + '.po')
        counts, text = statistics(po, tmp)
        print(f'{lang}.po: {text}')
        if counts is None:
            print(f'ERROR: msgfmt --check failed on {lang}.po')
            failed = True
            continue
        if counts['fuzzy'] or counts['untranslated']:
            print(f'ERROR: {lang}.po has fuzzy or untranslated messages')
            failed = True
        merged = os.path.join(tmp, lang + '-merged.po')
        subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, po, pot], check=True)
        counts, text = statistics(merged, tmp)
        print(f'{lang}.po against the current sources: {text}')
        if counts is None or counts['fuzzy'] or counts['untranslated']:
            print(f'ERROR: {lang}.po is out of date: regenerate the template '
                  f'(meson compile -C BUILDDIR {domain}-pot), msgmerge and translate')
            failed = True

sys.exit(1 if failed else 0)
