#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The kernel-log check of tests/vm/check.py can fail: each captured report
in tests/vm/klog-samples is flagged, each headline on its own, and a clean
log of the debug kernel running the whole guest suite is not.  TAP out."""
import glob
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from klog import bad_lines  # noqa: E402

n = 0


def tap(ok, name, detail=""):
    global n
    n += 1
    print(("ok " if ok else "not ok ") + f"{n} - {name}")
    if not ok and detail:
        for l in str(detail).splitlines()[:20]:
            print("# " + l)


def lines(path):
    return [l for l in open(path).read().splitlines() if l and not l.startswith("#")]


for path in sorted(glob.glob(os.path.join(here, "klog-samples", "*.txt"))):
    name = os.path.basename(path)
    text = "\n".join(lines(path))
    if name.startswith("clean-"):
        bad = bad_lines(text)
        tap(not bad and len(lines(path)) > 100, f"clean_log_passes {name}", "\n".join(bad))
    elif name == "headlines.txt":
        for l in lines(path):
            tap(bad_lines(l) == [l], f"headline_flagged {l.split('] ', 1)[-1]}")
    else:
        bad = bad_lines(text)
        tap(bad, f"report_flagged {name} ({len(bad)} lines)", text[:400])
        # the headline alone, without the Call Trace and registers around it
        head = [l for l in lines(path) if "BUG:" in l or "WARNING:" in l]
        tap(head and all(bad_lines(l) for l in head), f"headline_flagged_alone {name}", head)
print(f"1..{n}")
