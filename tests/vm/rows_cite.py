#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks the rows' citations against kernel trees, printing TAP lines.

Usage: rows_cite.py V=TREE... ROWS...   (V one of 6.1 6.12 6.18 7.1)

For every row and every version V with a tree whose src= gives V a line:
the line lies in the body of the function func= names at V (or is its
definition line, or calls it, or lies in a helper named after it such as
__copy_present_ptes; where the file does not define it, a #define of a
constant it uses), one "ok - rows_cite_in_function (FILE V)" per rows file
and version.  And the statement is the same at each version cited (the
text normalised, or at least 75% alike, or the definition line of the
same function at both): "ok - rows_cite_same_statement (FILE V)" against
6.12's line (6.18's where a row has none).  A failure lists the rows.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'scripts'))
import ksrc  # noqa: E402

MAX_SHOWN = 12


def main():
    trees, rows = {}, []
    for a in sys.argv[1:]:
        v, eq, t = a.partition('=')
        if eq and v in ksrc.MODELLED:
            trees[v] = t
        else:
            rows.append(a)
    if not trees or not rows:
        print('usage: rows_cite.py V=TREE... ROWS...', file=sys.stderr)
        sys.exit(2)
    for rf in rows:
        name = os.path.basename(rf)
        bad_in = {v: [] for v in trees}
        bad_same = {v: [] for v in trees}
        with open(rf, encoding='utf-8') as f:
            text = f.read().split('\n')
        for i, row in enumerate(text):
            p = ksrc.parse_row(row)
            if not p:
                continue
            _, cites, funcs = p
            ref = None
            for v in ksrc.MODELLED:
                if v not in trees or v not in cites or cites[v][1] is None:
                    continue
                path, line = cites[v]
                if not path.startswith(('mm/', 'arch/', 'fs/', 'io_uring/', 'include/', 'kernel/')):
                    continue
                why = ksrc.cites_func(trees[v], path, ksrc.func_at(funcs, v), line)
                if why:
                    bad_in[v].append('%s:%d: %s at %s' % (name, i + 1, why, v))
                    continue
                fv = ksrc.func_at(funcs, v)
                if ref is None and v != '6.1':
                    ref = (v, path, line, fv)
                elif ref and v != '6.1' and not ksrc.same_stmt(trees[ref[0]], ref[1], ref[2], ref[3],
                                                     trees[v], path, line, fv):
                    bad_same[v].append('%s:%d: %s:%d at %s is not %s:%d at %s (%r / %r)' % (
                        name, i + 1, path, line, v, ref[1], ref[2], ref[0],
                        ksrc.lines_of(trees[v], path)[line - 1].strip()[:50],
                        ksrc.lines_of(trees[ref[0]], ref[1])[ref[2] - 1].strip()[:50]))
        for v in sorted(trees, key=ksrc.kv):
            for what, bad in (('in_function', bad_in[v]), ('same_statement', bad_same[v])):
                if what == 'same_statement' and v in ('6.1', '6.12'):
                    continue
                tag = 'rows_cite_%s (%s %s)' % (what, name, v)
                if not bad:
                    print('ok - %s' % tag)
                    continue
                print('not ok - %s' % tag)
                print('# %d rows' % len(bad))
                for b in bad[:MAX_SHOWN]:
                    print('#   %s' % b)


if __name__ == '__main__':
    main()
