#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ptinspect learn, graded on this machine's kernel with real lab processes.

Every lesson runs with --json; each answer key is checked against this
file's own reading of the observation the JSON carries ("observed": what
pagemap, kpageflags and the module showed at the question's step), so a
key that does not follow the kernel fails.  Known-right and known-wrong
answer files (written from how mm behaves, not from ptinspect's keys) are
graded, as root and, when root, as nobody (no PFNs, no kpageflags); the
handout (--html) is checked as a file and in headless Chromium; --record
replays.  TAP out.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from tap import ok, plan, skip

PTINSPECT = os.path.abspath(os.environ.get("PTINSPECT", "./ptinspect"))
LESSONS = ["fork-cow", "thp-fork", "shared-write", "huge-zero", "pfnmap-thread",
           "mprotect", "soft-dirty", "pin-fork", "ksm"]


def run(args, user=None, timeout=120):
    cmd = [PTINSPECT] + args
    if user == "nobody":
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


# --- an independent reading of the observation -------------------------------

KPF = {"thp": "thp", "zero_page": "zero_page", "ksm": "ksm", "anon": "anonymous"}


def field(doc, obs, who, f):
    p = obs[who]
    if f == "exists":
        return p is not None
    if p is None or not p.get("walked"):
        return None
    # present: the module's raw leaf where there is one (pagemap calls a
    # VM_PFNMAP a hole), else pagemap's bit
    present = p["state"] == "leaf" if p["raw"] is not None else p["pagemap_present"]
    if f == "present":
        return present
    if f in ("exclusive", "swapped", "file_shared"):
        return p[f]
    if f == "soft_dirty":
        return p[f] if doc["soft_dirty_tracked"] else None
    if f == "huge":
        return p["level"] in ("pmd", "pud") if present else False
    if f == "level":
        return p["level"]
    if f == "pfn":
        return p["pfn"]
    if f == "mapcount":
        return p["mapcount"] if p["pagemap_present"] else None
    if f in KPF:
        if not p["pagemap_present"]:
            return False
        return None if p["kpageflags"] is None else KPF[f] in p["kpageflags"]
    return None if p["bits"] is None else p["bits"].get(f)


def operand(doc, obs, s):
    m = re.fullmatch(r"changed\((parent|child)\)", s)
    if m:
        names = []
        for c in obs["changes"]:
            w = c["what"][3:] if c["what"].startswith("pm_") else c["what"]
            if c["process"] == m.group(1) and w not in names:
                names.append(w)
        return set(names)
    if "." in s:
        who, f = s.split(".", 1)
        return field(doc, obs, who, f)
    return {"yes": True, "no": False}.get(s, s)


def evaluate(doc, q):
    parts = q["query"].split()
    a = operand(doc, q["observed"], parts[0])
    if len(parts) == 1:
        return a
    b = operand(doc, q["observed"], parts[2])
    if a is None or b is None:
        return None
    return (a == b) if parts[1] == "==" else (a != b)


def key_of(q, v):
    if v is None:
        return None
    if q["type"] == "yesno":
        return "y" if v else "n"
    if q["type"] == "choice":
        return chr(ord("a") + q["choices"].index(v)) if v in q["choices"] else None
    return v


def check_keys(doc, who):
    """Each key equals the query read from the observation, here."""
    bad = []
    for q in doc["questions"]:
        v = evaluate(doc, q)
        want = key_of(q, v)
        if q["type"] == "bit" and q["asked"]:
            got = set() if q["key"] == "none" else set(q["key"].split())
            if got != want:
                bad.append((q["n"], q["query"], q["key"], sorted(want)))
        elif q["asked"] != (want is not None) or (q["asked"] and q["key"] != want):
            bad.append((q["n"], q["query"], q["key"], want, q["not_asked"]))
    ok(not bad, "%s (%s): every key is the observation's answer (%d questions, %d asked)"
       % (doc["lesson"], who, len(doc["questions"]),
          sum(q["asked"] for q in doc["questions"])), *bad)


def dashes(tmp, count):
    path = os.path.join(tmp, "dashes.ans")
    with open(path, "w") as f:
        f.write("-\n" * count)
    os.chmod(path, 0o644)
    return path


def lesson_json(tmp, name, user=None, answers=None, extra=()):
    r = run(["learn", name, "--json", "--answers", answers or dashes(tmp, 16)] + list(extra),
            user)
    try:
        return r, json.loads(r.stdout)
    except ValueError:
        return r, None


# --- known answers: how mm behaves on 5.19 and later, in lesson order --------
# "*" marks a question the source may not ask (PFNs without root, raw bits
# without the module); a file holds a line for every question regardless.

RIGHT = {
    "fork-cow": ["y", "y", "y", "n", "y", "n", "n", "exclusive", "y", "none"],
    "pin-fork": ["y", "y", "y", "n", "none"],
    "shared-write": ["y", "n", "y", "y", "y", "exclusive"],
}
WRONG = {
    "fork-cow": ["n", "n", "n", "y", "n", "y", "y", "present", "n", "present"],
    "pin-fork": ["n", "n", "n", "y", "present"],
    "shared-write": ["n", "y", "n", "n", "n", "none"],
}


def graded(tmp, name, user, answers, want_all):
    path = os.path.join(tmp, "%s-%s-%s.ans" % (name, user or "me", want_all))
    with open(path, "w") as f:
        f.write("# a teacher's file: comments and blank lines are skipped\n\n")
        f.write("\n".join(answers) + "\n")
    os.chmod(path, 0o644)
    # The keys are what the kernel did.  A reuse can be a copy when
    # something holds the page for a moment: do_wp_page's
    # wp_can_reuse_anon_folio() wants a reference count of 1 and the folio
    # lock, and DAMON's kdamond (running on this project's machines),
    # compaction and LRU isolation take a reference now and then.  fork-cow
    # copied once in a clean-clone make check.  The right answers get
    # three runs, and a run that missed is printed.
    for attempt in range(3 if want_all else 1):
        r, doc = lesson_json(tmp, name, user, path)
        if doc is None or r.returncode != 0:
            break
        missed = [(q["n"], q["query"], q["answer"], q["key"])
                  for q in doc["questions"] if q["asked"] and not q["correct"]]
        if not want_all or not missed:
            break
        print("# %s (%s): run %d, the kernel answered otherwise: %s"
              % (name, user or "me", attempt + 1, missed))
    if not ok(doc is not None and r.returncode == 0, "%s (%s): graded" % (name, user or "me"),
              r.stdout[-2000:], r.stderr):
        return
    asked = [q for q in doc["questions"] if q["asked"]]
    if want_all:
        ok(asked and all(q["correct"] for q in asked)
           and doc["score"]["correct"] == len(asked),
           "%s (%s): the right answers score %d of %d" % (name, user or "me",
                                                           doc["score"]["correct"], len(asked)),
           *[(q["n"], q["query"], q["answer"], q["key"]) for q in asked if not q["correct"]])
    else:
        ok(asked and not any(q["correct"] for q in asked) and doc["score"]["correct"] == 0,
           "%s (%s): the wrong answers score 0 of %d" % (name, user or "me", len(asked)),
           *[(q["n"], q["query"], q["answer"], q["key"]) for q in asked if q["correct"]])
    return doc


def main():
    tmp = tempfile.mkdtemp(prefix="ptinspect-learn.")
    os.chmod(tmp, 0o755)
    try:
        body(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return plan()


def body(tmp):
    r = run(["learn"])
    listed = re.findall(r"(?m)^  (\S+) ", r.stdout)
    ok(r.returncode == 0 and listed == LESSONS, "learn lists the %d lessons" % len(LESSONS),
       r.stdout, r.stderr)

    users = [None] + (["nobody"] if os.geteuid() == 0 else [])
    for user in users:
        who = user or ("root" if os.geteuid() == 0 else "user")
        for name in LESSONS:
            r, doc = lesson_json(tmp, name, user)
            if not ok(r.returncode == 0 and doc is not None,
                      "%s (%s): runs, one JSON document" % (name, who), r.stdout[-1500:],
                      r.stderr):
                continue
            if doc["skipped"]:
                why = doc["skipped"]
                # a skip is honest only for what this machine lacks
                expected = (name == "pfnmap-thread" and doc["source"] != "kmod") or \
                    (name == "ksm" and open("/sys/kernel/mm/ksm/run").read().strip() != "1")
                ok(expected, "%s (%s): skipped only for a reason of this machine: %s"
                   % (name, who, why))
                continue
            check_keys(doc, who)
            ok(all(not q["asked"] or q["correct"] is False for q in doc["questions"]),
               "%s (%s): a '-' is never right" % (name, who))
            if user == "nobody":
                pfnq = [q for q in doc["questions"] if ".pfn" in q["query"]]
                ok(all(not q["asked"] and "CAP_SYS_ADMIN" in q["not_asked"] for q in pfnq),
                   "%s (nobody): PFN questions are not asked, saying why (%d)"
                   % (name, len(pfnq)))
            if doc["source"] != "kmod":
                raw = [q for q in doc["questions"]
                       if re.search(r"\.(write|dirty|saved_dirty|young)\b", q["query"])]
                ok(all(not q["asked"] and "module" in q["not_asked"] for q in raw),
                   "%s (%s): raw-bit questions wait for the module (%d)"
                   % (name, who, len(raw)))
        for name in RIGHT:
            graded(tmp, name, user, RIGHT[name], True)
            graded(tmp, name, user, WRONG[name], False)

    # bad input: one line, status 2
    for args, what in ((["learn", "no-such"], "an unknown lesson"),
                       (["learn", "fork-cow"], "no terminal and no --answers"),
                       (["learn", "fork-cow", "--answers", "/nonexistent/a"],
                        "an unreadable answers file"),
                       (["learn", "--answers", "/dev/null"], "--answers without a lesson")):
        r = run(args)
        ok(r.returncode == 2 and len(r.stderr.splitlines()) == 1,
           "%s: exit 2, one line (%d)" % (what, r.returncode), r.stderr)
    short = os.path.join(tmp, "short.ans")
    with open(short, "w") as f:
        f.write("y\ny\n")
    r = run(["learn", "fork-cow", "--answers", short])
    ok(r.returncode == 2 and "ends before question 3" in r.stderr
       and len(r.stderr.strip().splitlines()) == 1,
       "a short answers file: exit 2, naming the question (%d)" % r.returncode, r.stderr)

    # --record replays: the map and one step per lesson step
    rec = os.path.join(tmp, "fork-cow.jsonl")
    r = run(["learn", "fork-cow", "--answers", dashes(tmp, 16), "--record", rec])
    rp = run(["replay", rec])
    steps = re.findall(r"(?m)^== step \d+  (.*)$", rp.stdout)
    ok(r.returncode == 0 and rp.returncode == 0 and
       steps == ["map anon", "write parent", "fork", "write child", "write parent"],
       "--record: ptinspect replay shows the lesson's steps", steps, r.stderr, rp.stderr)

    handout(tmp)


def handout(tmp):
    evil = '<script>alert("x")</script>&'
    ans = os.path.join(tmp, "evil.ans")
    with open(ans, "w") as f:
        f.write("\n".join(["y", evil, "y", "n", "-", "-", "-", "exclusive", "y", "none"]) + "\n")
    page = os.path.join(tmp, "fork-cow.html")
    r, doc = lesson_json(tmp, "fork-cow", None, ans, ["--html", page])
    if not ok(r.returncode == 0 and doc and os.path.exists(page), "--html writes the handout",
              r.stderr):
        return
    h = open(page, encoding="utf-8").read()
    ok("<script>alert" not in h and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in h,
       "a student's answer is escaped in the handout")
    ok(not re.search(r"(?i)https?:|\s(src|href)\s*=|<link|url\(|<script", h),
       "the handout loads nothing and runs no script")
    ok(len(re.findall(r'<div class="q"', h)) == len(doc["questions"]),
       "one question block per question")
    browser(page, doc)


def browser(page, doc):
    # html.py's WebDriver client and PNG reader, loaded under another name
    from importlib import util
    spec = util.spec_from_file_location("replay_html", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "html.py"))
    mod = util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        why = "chromium and chromium-driver are not installed (make deps)"
        if os.geteuid() == 0:
            ok(False, "the handout in a browser", why)
        else:
            skip("the handout in a browser", why)
        return
    try:
        with mod.chromium_session(driver, chromium) as wd:
            browser_checks(mod, wd, page, doc)
    except Exception as e:  # a browser that fails is a failed check, not a crash
        ok(False, "the handout in Chromium", repr(e))


def browser_checks(mod, wd, page, doc):
    wd.s("POST", "/url", {"url": "file://" + page})
    blocks = wd.js("return Array.from(document.querySelectorAll('div.q')).map("
                   "function(d){var k=d.querySelector('.key'),a=d.querySelector('.answer');"
                   "return [d.dataset.correct,k?k.textContent:null,a?a.textContent:null,"
                   "getComputedStyle(d).display];})")
    want = [["skip" if not q["asked"] else "yes" if q["correct"] else "no",
             q["value"], q["answer"] if q["asked"] else None, "block"]
            for q in doc["questions"]]
    ok(blocks == want, "in Chromium: each question shows the student's answer, the "
       "kernel's and right or wrong, as --json says", blocks, want)
    grids = wd.js("return document.querySelectorAll('section.lstep pre.grid').length")
    ok(grids == len(set(q["step"] for q in doc["questions"])) or grids == 4,
       "in Chromium: each step's grid shows (%s)" % grids)
    title = wd.js("return document.title")
    ok(title == "ptinspect learn " + doc["title"], "in Chromium: the title (%s)" % title)
    shot = wd.s("GET", "/screenshot")
    w, hgt, _ = mod.png_pixels(base64.b64decode(shot))
    ok(w > 100 and hgt > 100, "in Chromium: a screenshot renders (%dx%d)" % (w, hgt))


if __name__ == "__main__":
    sys.exit(main())
