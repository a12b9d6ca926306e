#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The kernel-log check of tests/vm/check.py can fail: each captured report
in tests/vm/klog-samples is flagged, each headline on its own, and a clean
log of the debug kernel running the whole guest suite is not.  TAP out."""
import glob
import os
import subprocess
import sys
import tempfile

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


# check.py itself, on a guest output holding only a dmesg section (and a
# console): its kernel-log line must follow the log
def verdict(dmesg, console):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "la57.out")
        with open(out, "w") as f:
            f.write(f"@@begin dmesg\n{dmesg}\n@@end dmesg\n@@done\n")
        with open(os.path.join(d, "la57.console"), "w") as f:
            f.write(console)
        r = subprocess.run([sys.executable, os.path.join(here, "check.py"), out, "debug", "la57"],
                           capture_output=True, text=True)
        return [l for l in r.stdout.splitlines() if "kernel_log_free" in l]


samples = os.path.join(here, "klog-samples")
clean = "\n".join(lines(os.path.join(samples, "clean-debug-6.12.txt")))
kasan = "\n".join(lines(os.path.join(samples, "kasan.txt")))
rcu = "\n".join(lines(os.path.join(samples, "rcu.txt")))
for name, dmesg, console, ok in (("clean", clean, "", True),
                                 ("kasan_in_dmesg", clean + "\n" + kasan, "", False),
                                 ("rcu_splat_in_dmesg", rcu + "\n" + clean, "", False),
                                 ("kasan_on_console_only", clean, kasan, False)):
    v = verdict(dmesg, console)
    tap(len(v) == 1 and v[0].startswith("ok ") == ok, f"check_py_kernel_log_{'passes' if ok else 'fails'} {name}", v)
print(f"1..{n}")
