#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Adds the 6.18 and 7.1 lines to a rows file's citations, from kernel trees.

Usage: rows-cite.py ROWS TREE-6.18 TREE-7.1 >NEW-ROWS

For each row whose src= names FILE:LINE (6.12's line) and whose func= is
one identifier, the line where that function (or macro) is defined in FILE
of each tree is added as "(6.18:N)" / "(7.1:N)", where the row holds at
that version and has no line of it yet.  A row whose function is not
defined in FILE there keeps no line for that version, and is then cited
at 6.12, named as such.  Lines read by hand (a line inside the function)
are never replaced.  Prints what it could not find on stderr.
"""
import re
import sys


def kv(s):
    a, b = s.split('.')
    return int(a) << 16 | int(b) << 8


def holds(row, v):
    m = re.search(r'\bsince=(\S+)', row)
    if m and v < kv(m.group(1)):
        return False
    m = re.search(r'\buntil=(\S+)', row)
    return not (m and v >= kv(m.group(1)))


_files = {}


def definition(tree, path, func):
    key = (tree, path)
    if key not in _files:
        try:
            with open('%s/%s' % (tree, path), encoding='utf-8', errors='replace') as f:
                _files[key] = f.read().split('\n')
        except OSError:
            _files[key] = None
    lines = _files[key]
    if lines is None:
        return None
    fn = re.escape(func)
    pats = [re.compile(r'^#\s*define\s+%s\(' % fn),
            re.compile(r'^[A-Za-z_][^;()]*[\s*]%s\(' % fn),
            re.compile(r'^%s\(' % fn)]
    for i, l in enumerate(lines):
        if any(p.match(l) for p in pats) and not l.rstrip().endswith(';'):
            # a prototype spread over lines ends with ');'
            j = i
            while j < len(lines) and ')' not in lines[j]:
                j += 1
            if j < len(lines) and lines[j].rstrip().endswith(';'):
                continue
            return i + 1
    return None


def main():
    rows, t618, t71 = sys.argv[1:4]
    out = []
    with open(rows, encoding='utf-8') as f:
        text = f.read().split('\n')
    for row in text:
        m = re.search(r'\bsrc=(\S+)', row)
        fm = re.search(r'\bfunc=([A-Za-z_][A-Za-z0-9_]*)(\s|$)', row)
        if row.startswith('#') or not m or not fm:
            out.append(row)
            continue
        src, func = m.group(1), fm.group(1)
        base = src.split('(')[0]
        path = base.rsplit(':', 1)[0] if re.search(r':\d+$', base) else base
        if not path.startswith(('mm/', 'arch/', 'fs/', 'io_uring/', 'include/', 'kernel/')):
            out.append(row)
            continue
        new = src
        for ver, tree in (('6.18', t618), ('7.1', t71)):
            if '(%s:' % ver in src or not holds(row, kv(ver)):
                continue
            n = definition(tree, path, func)
            if n:
                new += '(%s:%d)' % (ver, n)
            else:
                print('%s: no %s in %s at %s' % (rows, func, path, ver), file=sys.stderr)
        out.append(row.replace('src=' + src, 'src=' + new, 1))
    sys.stdout.write('\n'.join(out))


if __name__ == '__main__':
    main()
