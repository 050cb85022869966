#!/usr/bin/env python3
"""Print one RESP SET command per line of a JSONL file, for `redis-cli --pipe`.

Usage: python3 load-jsonl.py FILE PREFIX | redis-cli -p PORT --pipe
Keys are PREFIX:0, PREFIX:1, ...; each value is the line's bytes without its newline, stored plain.
"""
import sys

path, prefix = sys.argv[1], sys.argv[2]
out = sys.stdout.buffer
with open(path, 'rb') as lines:
    for n, line in enumerate(lines):
        value = line.rstrip(b'\r\n')
        if not value:
            continue
        key = b'%s:%d' % (prefix.encode(), n)
        out.write(b'*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n' % (len(key), key, len(value), value))
