#!/usr/bin/env python3
"""make-corpus.py — seed corpora for the fuzz targets, from the recorded traffic.

Reads the JSON Lines recordings of a real LabLink 1.2.5 server
(tests/data/lablink-1.2.5/*.jsonl) and writes one seed file per distinct input
(named by the SHA-1 of its content, as libFuzzer names its own):

  OUTDIR/seeds-message/    every WebSocket frame, received and sent
  OUTDIR/seeds-rest/       every REST response body (JSON or plain text)
  OUTDIR/seeds-timestamp/  every ISO-8601 timestamp found in those, plus the
                           zone forms the server never sends
  OUTDIR/seeds-wsframe/    received frames as a server sends them on the wire
                           (after a first byte that picks the read size and
                           the limit), whole, fragmented around a ping, and
                           followed by a close

usage: make-corpus.py [--stamp FILE] OUTDIR RECORDING.jsonl...
"""
import hashlib
import json
import os
import re
import shutil
import sys

TIMESTAMP = re.compile(r'\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?')

# Forms the recordings lack (the real server sends naive local times only).
EXTRA_TIMESTAMPS = [
    '2026-11-25T17:14:37Z',
    '2026-11-25T17:14:37.638915Z',
    '2026-11-25T17:14:37+01:00',
    '2026-11-25T17:14:37.5-0530',
    '2026-11-25 17:14:37',
    '2024-02-29T23:59:60.999999999',
    '0000-01-01T00:00:00-23:59',
    '9999-12-31T23:59:59.999999+23:59',
]


def ws_frame(first, payload):
    """An unmasked (server) WebSocket frame; first: FIN, RSV and opcode bits."""
    n = len(payload)
    if n < 126:
        header = bytes([first, n])
    elif n < 65536:
        header = bytes([first, 126]) + n.to_bytes(2, 'big')
    else:
        header = bytes([first, 127]) + n.to_bytes(8, 'big')
    return header + payload


def wire_seeds(frames):
    """Seeds for fuzz-wsframe from the frames' texts."""
    seeds = []
    for i, text in enumerate(frames[:200]):
        data = text.encode('utf-8')
        half = len(data) // 2
        seeds.append(bytes([i % 256]) + ws_frame(0x81, data))
        seeds.append(bytes([(i * 7) % 256]) + ws_frame(0x01, data[:half]) + ws_frame(0x89, b'ping') +
                     ws_frame(0x80, data[half:]) + ws_frame(0x88, b'\x03\xe8bye'))
    return seeds


def write_seeds(directory, items):
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    names = set()
    for item in items:
        data = item if isinstance(item, bytes) else item.encode('utf-8')
        name = hashlib.sha1(data).hexdigest()
        if name in names:
            continue
        names.add(name)
        with open(os.path.join(directory, name), 'wb') as f:
            f.write(data)
    return len(names)


def main(argv):
    stamp = None
    if len(argv) > 1 and argv[1] == '--stamp':
        stamp = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) < 3:
        sys.exit(__doc__)
    outdir, recordings = argv[1], argv[2:]

    frames, bodies, timestamps = [], [], []
    for path in recordings:
        with open(path, encoding='utf-8') as f:
            for line in f:
                record = json.loads(line)
                if record['dir'] in ('recv', 'sent') and 'frame' in record:
                    frames.append(record['frame'])
                elif record['dir'] == 'rest' and record.get('body') is not None:
                    bodies.append(record['body'])
    for text in frames + bodies:
        timestamps.extend(TIMESTAMP.findall(text))
    timestamps.extend(EXTRA_TIMESTAMPS)

    counts = {
        'message': write_seeds(os.path.join(outdir, 'seeds-message'), frames),
        'rest': write_seeds(os.path.join(outdir, 'seeds-rest'), bodies),
        'timestamp': write_seeds(os.path.join(outdir, 'seeds-timestamp'), timestamps),
        'wsframe': write_seeds(os.path.join(outdir, 'seeds-wsframe'),
                               wire_seeds([r for r in dict.fromkeys(frames)])),
    }
    summary = ', '.join(f'{name}: {n}' for name, n in counts.items())
    if stamp:
        with open(stamp, 'w') as f:
            f.write(summary + '\n')
    else:
        print(summary)


if __name__ == '__main__':
    main(sys.argv)
