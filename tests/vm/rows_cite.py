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
6.12's line (6.18's where a row has none, 7.1's where it has neither),
6.1's too.  Where scripts/rows_stmt.py names the row and the version (the
code changed, or 6.1 is the only version the row cites), the line's text
must be the one read by hand there instead, whitespace normalised; a 6.1
line with no other version to compare with and no statement there fails.
"ok - rows_cite_hand_table" says each of that table's statements is the
line of a row here, and needed: the row's line there is not the same
statement as its reference version's, or it has none.  A failure lists
the rows.  A comment per rows file counts the rows that hold at 6.1
(since=/until=) and of them those that cite a 6.1 line.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'scripts'))
import ksrc  # noqa: E402
import rows_stmt  # noqa: E402

MAX_SHOWN = 12
KERNEL_DIRS = ('mm/', 'arch/', 'fs/', 'io_uring/', 'include/', 'kernel/')


def text_at(tree, path, line):
    return ksrc.lines_of(tree, path)[line - 1].strip()


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
    # (entry, version): [rows it applied to, of those the ones that need it]
    table = {}
    for rf in rows:
        name = os.path.basename(rf)
        bad_in = {v: [] for v in trees}
        bad_same = {v: [] for v in trees}
        # rows that hold at 6.1, and of those the ones with a 6.1 line
        held61, lined61 = 0, 0
        with open(rf, encoding='utf-8') as f:
            text = f.read().split('\n')
        for i, row in enumerate(text):
            p = ksrc.parse_row(row)
            if not p:
                continue
            _, cites, funcs = p
            if ksrc.holds(row, '6.1') and cites[ksrc.BASE][0].startswith(KERNEL_DIRS):
                held61 += 1
                lined61 += '6.1' in cites and cites['6.1'][1] is not None
            at = {}
            for v in ksrc.MODELLED:
                if v not in trees or v not in cites or cites[v][1] is None:
                    continue
                path, line = cites[v]
                if not path.startswith(KERNEL_DIRS):
                    continue
                why = ksrc.cites_func(trees[v], path, ksrc.func_at(funcs, v), line)
                if why:
                    bad_in[v].append('%s:%d: %s at %s' % (name, i + 1, why, v))
                    continue
                at[v] = (path, line, ksrc.func_at(funcs, v))
            e = rows_stmt.entry(name, row)
            hand = {v: rows_stmt.text(name, row, v) for v in at}
            # the reference: the first version after 6.1 cited but not
            # read by hand
            ref = next((v for v in ksrc.MODELLED if v != '6.1' and v in at and hand[v] is None), None)

            def same(v):
                return ref is not None and ksrc.same_stmt(trees[ref], at[ref][0], at[ref][1], at[ref][2],
                                                          trees[v], at[v][0], at[v][1], at[v][2])
            for v in at:
                path, line, _ = at[v]
                if hand[v] is not None:
                    use = table.setdefault((e, v), [0, 0])
                    use[0] += 1
                    use[1] += not same(v)
                    got = text_at(trees[v], path, line)
                    if ksrc.norm(got) != ksrc.norm(hand[v]):
                        bad_same[v].append('%s:%d: %s:%d at %s is %r, not %r read by hand' % (
                            name, i + 1, path, line, v, got[:50], hand[v][:50]))
                elif v == ref:
                    continue
                elif ref is None:
                    bad_same[v].append('%s:%d: %s:%d at %s (%r): no other version to compare with, and '
                                       'no statement read by hand in rows_stmt.py' % (
                                           name, i + 1, path, line, v, text_at(trees[v], path, line)[:50]))
                elif not same(v):
                    bad_same[v].append('%s:%d: %s:%d at %s is not %s:%d at %s (%r / %r)' % (
                        name, i + 1, path, line, v, at[ref][0], at[ref][1], ref,
                        text_at(trees[v], path, line)[:50], text_at(trees[ref], at[ref][0], at[ref][1])[:50]))
        for v in sorted(trees, key=ksrc.kv):
            for what, bad in (('in_function', bad_in[v]), ('same_statement', bad_same[v])):
                tag = 'rows_cite_%s (%s %s)' % (what, name, v)
                if not bad:
                    print('ok - %s' % tag)
                    continue
                print('not ok - %s' % tag)
                print('# %d rows' % len(bad))
                for b in bad[:MAX_SHOWN]:
                    print('#   %s' % b)
        print('# %s: %d of the %d rows that hold at 6.1 cite a 6.1 line' % (name, lined61, held61))
    names = {os.path.basename(rf) for rf in rows}
    bad = []
    for k, (f, why, fn, pat, texts) in enumerate(rows_stmt.STMT):
        for v in texts:
            if f not in names or v not in trees:
                continue
            use = table.get((k, v))
            if not use:
                bad.append('%s %s %s %s at %s: no row cites it' % (f, why, fn, pat, v))
            elif not use[1]:
                bad.append('%s %s %s %s at %s: not needed, its %d rows cite the same statement as at their '
                           'reference version' % (f, why, fn, pat, v, use[0]))
    print('%s - rows_cite_hand_table' % ('not ok' if bad else 'ok'))
    for b in bad[:MAX_SHOWN]:
        print('#   %s' % b)


if __name__ == '__main__':
    main()
