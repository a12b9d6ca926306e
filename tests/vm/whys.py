#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Whys cut short in steps' explanations.  Each why of an architecture's
rows (common.rows and ARCH.rows) is looked for by its first 60 bytes, and
where its start is in a step's text, that why (or one of the same start:
an architecture's variants) must be there whole, with its full stop.  A
why of a rows line was cut at 399 bytes (SHM_READ, PT_RECLAIM,
MPROT_RO_PMD...).

As a program: whys.py ARCH < JSON lines (ptinspect lab --json), prints
"STEPS SEEN CUT".  tests/vm/check.py imports cut_whys()."""
import json
import os
import re
import sys

ROWS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../src/rows")


def whys_by_start(arch):
    """{first 60 bytes: {whys}} of common.rows and ARCH.rows."""
    by = {}
    for f in ("common", "arm64" if arch in ("arm64", "aarch64") else "x86_64"):
        for l in open(os.path.join(ROWS, f + ".rows")):
            m = re.match(r"^why \S+ (.*)$", l.rstrip("\n"))
            if m:
                by.setdefault(m.group(1)[:60], set()).add(m.group(1))
    return by


def cut_whys(lines, arch):
    """(steps explained, whys seen, whys cut, up to 5 examples) over
    JSON lines, each (where, line)."""
    by = whys_by_start(arch)
    steps = seen = cut = 0
    bad = []
    for where, l in lines:
        if not l.startswith("{") or '"explain"' not in l:
            continue
        try:
            t = json.loads(l).get("explain", {}).get("text", "")
        except (ValueError, AttributeError):
            continue
        if not t:
            continue
        steps += 1
        for start, whole in by.items():
            if start not in t:
                continue
            seen += 1
            if not any(w + "." in t for w in whole):
                cut += 1
                if len(bad) < 5:
                    bad.append(f"{where}: {start}... in ...{t[-200:]}")
    return steps, seen, cut, bad


if __name__ == "__main__":
    s, n, c, _ = cut_whys((("stdin", l) for l in sys.stdin), sys.argv[1])
    print(s, n, c)
