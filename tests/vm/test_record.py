#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Recordings made in the VM (guest.sh, "issue 11: recordings"), replayed
on this machine with no module: the text, the JSON and the screen must be
what the sessions printed in the guest, and the replay must show the
module's raw bits.  Usage: test_record.py GUEST_OUT LINE; unnumbered TAP.

What may differ and why: nothing in the text and JSON (the steps are
printed from the recorded values alone); the screen is compared in its
stable form because the live one was drawn with the guest's terminal
settings, and as the last step, where the live lab and the replay stand
alike."""
import json
import os
import re
import subprocess
import sys
import tempfile

out_path, line = sys.argv[1:3]
exe = os.environ.get("PTINSPECT", "build/plain/ptinspect")
text = open(out_path, errors="replace").read().replace("\r\n", "\n")
sec = dict(re.findall(r"^@@begin (\S+)\n(.*?)^@@end \1$", text, re.S | re.M))
uname = re.search(r"^@@uname (\S+)", text, re.M)


def check(name, cond, detail=""):
    print(f"{'ok' if cond else 'not ok'} - {name} ({line})")
    if not cond:
        for d in str(detail).splitlines()[:30]:
            print(f"# {d}")


need = ["record_text_rec", "record_rec_text", "record_rec_screen", "record_json_rec", "record_rec_json"]
check("guest_printed_the_recordings", uname and all(n in sec for n in need) and "@@done" in text,
      f"sections: {sorted(sec)}\n" + text[-1500:])
if not all(n in sec for n in need):
    sys.exit(0)

d = tempfile.mkdtemp()


def replay(name, *args):
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write(sec[name])
    return subprocess.run([exe, "replay", path, *args], capture_output=True, text=True)


hdr = json.loads(sec["record_text_rec"].splitlines()[0])
steps = [json.loads(x) for x in sec["record_text_rec"].splitlines()[1:-1]]
check("recorded_in_the_vm_with_the_module",
      hdr["source"] == "kmod" and hdr["kernel"] == uname.group(1) and hdr["kernel"].startswith(line)
      and hdr["recording"] == 1, json.dumps({k: hdr[k] for k in ("source", "kernel", "arch")}))
raw = [lv["raw"] for s in steps for w in ("parent", "child") if s[w]["walk"]
       for lv in s[w]["walk"]["levels"] if lv["raw"]]
check("recording_holds_the_raw_entries", len(raw) >= 10, f"{len(raw)} raw entries")
# the module's word on the layout travels with the file
check("recording_holds_the_modules_layout",
      hdr["layout"]["kver"] >> 16 == int(line.split(".")[0]) and len(hdr["layout"]["rows"]) > 10
      and len(hdr["layout"]["vmflags"]) > 0, json.dumps(hdr["layout"])[:600])

r = replay("record_text_rec")
check("vm_recording_replays_here_as_the_same_text",
      r.returncode == 0 and r.stdout == sec["record_rec_text"] and "== step 6" in r.stdout,
      r.stderr + "\n".join(l for l in __import__("difflib").unified_diff(
          sec["record_rec_text"].splitlines(), r.stdout.splitlines(), lineterm=""))[:3000])
check("replay_shows_the_raw_pmd_from_the_vm",
      re.search(r"pmd\s+0x[0-9a-f]+", r.stdout) is not None and "source kmod" not in r.stderr,
      r.stdout[:1500])
# the replay decodes with the recorded rows, not this machine's table:
# a row renamed in the file is named so in the replay's bit lines
hdr_lines = sec["record_text_rec"].split("\n")
h2 = json.loads(hdr_lines[0])
for row in h2["layout"]["rows"]:
    if row["name"] == "dirty":
        row["name"] = "grimy"
sec["grimy"] = "\n".join([json.dumps(h2)] + hdr_lines[1:])
g = replay("grimy")
bitlines = [x for x in sec["record_rec_text"].splitlines() if x.startswith("   present")]
gbits = [x for x in g.stdout.splitlines() if x.startswith("   present")]
check("replay_decodes_with_the_recorded_layout",
      g.returncode == 0 and any(" dirty" in x for x in bitlines)
      and gbits == [x.replace(" dirty", " grimy") for x in bitlines],
      g.stderr + "\n".join(gbits[:5]))
r = replay("record_json_rec", "--json")
check("vm_recording_replays_here_as_the_same_json",
      r.returncode == 0 and r.stdout == sec["record_rec_json"] and r.stdout.count("\n") == 6,
      r.stderr + r.stdout[:1500])
js = [json.loads(x) for x in r.stdout.splitlines()]
check("replayed_json_names_the_kmod_source_with_raw_bits",
      js and all(s["parent"]["source"] == "kmod" for s in js if s["parent"]), r.stdout[:800])
scr = os.path.join(d, "screen")
r = replay("record_text_rec", "--script", "step last; screen stable", "--screen", scr)
got = open(scr).read() if os.path.exists(scr) else ""
check("vm_recording_replays_here_as_the_same_screen",
      r.returncode == 0 and got == sec["record_rec_screen"] and "source kmod (raw)" in got,
      r.stderr + got[:1500] + "\n----\n" + sec["record_rec_screen"][:1500])

# the same recording as one HTML page, checked in headless Chromium
# (tests/host/html.py RECORDING): its lines as unnumbered ones of this
# suite, its plan dropped
path = os.path.join(d, "vm.rec")
with open(path, "w") as f:
    f.write(sec["record_text_rec"])
h = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "..", "host", "html.py"), path],
                   capture_output=True, text=True, env=dict(os.environ, PTINSPECT=exe))
for x in h.stdout.splitlines():
    m = re.match(r"^(ok|not ok) \d+ - (.*)$", x)
    if m:
        print(f"{m.group(1)} - vm_recording_as_html: {m.group(2)} ({line})")
    elif x.startswith("#"):
        print(x)
check("vm_recording_as_html_ran", h.returncode == 0 or "not ok" in h.stdout, h.stderr[-1500:])
