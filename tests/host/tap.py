# SPDX-License-Identifier: GPL-2.0
"""TAP for the host suites written in Python (tests/run counts the lines).

ok() and skip() number the checks; plan() prints the plan and returns the
exit status.  A failed check's diagnostics follow it as "# " lines, which
tests/run prints with the failure (CI shows only its summary).
"""
import sys

count = 0
failed = 0


def ok(cond, name, *diag):
    global count, failed
    count += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (count, name))
    if not cond:
        failed += 1
        for d in diag:
            for line in str(d).splitlines():
                print("# " + line)
    sys.stdout.flush()
    return cond


def skip(name, why):
    global count
    count += 1
    print("ok %d - %s # SKIP %s" % (count, name, why))
    sys.stdout.flush()


def plan():
    print("1..%d" % count)
    sys.stdout.flush()
    return 1 if failed else 0
