#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ptinspect replay FILE --html OUT, checked in a real browser.

A real lab session is recorded, replayed into one HTML page, and the page
is checked as a file (nothing fetched, recording strings escaped) and in
headless Chromium through chromedriver's W3C WebDriver protocol (a tiny
client over urllib: no selenium): the first step shows, the keys step,
the shown step's text equals `replay F --script 'step N; dump'`, and a
screenshot is a real PNG with the highlight colour of changed bits in
it.  Without chromium the browser checks fail as root (make check
installs it through make deps) and are skipped otherwise.  TAP out.

Usage: html.py [RECORDING]: with a recording (one made in the VM with the
module, say) the same checks run on it instead of a new lab session.
"""
import base64
import contextlib
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zlib

from tap import ok, plan, skip

PTINSPECT = os.environ.get("PTINSPECT", "./ptinspect")
SCRIPT = "write parent; fork; write child; write parent"
# .chg in htmlview.c's CSS: the background of highlighted (changed) cells
CHG_RGB = (0xFF, 0xD7, 0x5F)


def run(*args):
    return subprocess.run([PTINSPECT] + list(args), capture_output=True, text=True,
                          timeout=120)


def words(text):
    """Whitespace normalised: only the words and their order count."""
    return text.split()


def dump_of(rec, step):
    """The last '== step N' block of `replay --script 'step N; dump'`."""
    r = run("replay", rec, "--script", "step %d; dump" % step)
    blocks = re.split(r"(?m)^(?=== step )", r.stdout)
    blocks = [b for b in blocks if b.startswith("== step %d " % step)]
    return blocks[-1] if blocks else "(no dump: rc %d %s)" % (r.returncode, r.stderr)


# --- a tiny WebDriver client -------------------------------------------------

class WebDriver:
    def __init__(self, port):
        self.base = "http://127.0.0.1:%d" % port
        self.sid = None

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                return json.loads(resp.read().decode())["value"]
        except urllib.error.HTTPError as e:
            raise RuntimeError("%s %s: %s" % (method, path, e.read().decode()[:500]))

    def s(self, method, path, body=None):
        return self.call(method, "/session/%s%s" % (self.sid, path), body)

    def start(self, chromium):
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--window-size=1400,1200", "--force-device-scale-factor=1"]}}}}
        self.sid = self.call("POST", "/session", caps)["sessionId"]

    def find(self, css):
        v = self.s("POST", "/element", {"using": "css selector", "value": css})
        return list(v.values())[0]

    def finds(self, css):
        v = self.s("POST", "/elements", {"using": "css selector", "value": css})
        return [list(e.values())[0] for e in v]

    def text(self, css):
        return self.s("GET", "/element/%s/text" % self.find(css))

    def js(self, script):
        return self.s("POST", "/execute/sync", {"script": script, "args": []})

    def click(self, css):
        self.s("POST", "/element/%s/click" % self.find(css), {})

    def key(self, k):
        acts = [{"type": "keyDown", "value": k}, {"type": "keyUp", "value": k}]
        self.s("POST", "/actions",
               {"actions": [{"type": "key", "id": "kb", "actions": acts}]})

    def stop(self):
        if self.sid:
            try:
                self.call("DELETE", "/session/%s" % self.sid)
            except Exception:
                pass


KEYS = {"Right": "\ue014", "Left": "\ue012", "Home": "\ue011", "End": "\ue010",
        "f": "f", "b": "b"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- PNG -----------------------------------------------------------------------

@contextlib.contextmanager
def chromium_session(driver, chromium):
    """chromedriver on a free port and a headless Chromium under it (also
    for tests/host/learn.py's handout); both are ended on the way out."""
    port = free_port()
    proc = subprocess.Popen([driver, "--port=%d" % port], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wd = WebDriver(port)
    try:
        for _ in range(100):
            try:
                if wd.call("GET", "/status").get("ready"):
                    break
            except Exception:
                pass
            time.sleep(0.1)
        wd.start(chromium)
        yield wd
    finally:
        wd.stop()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def png_pixels(data):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB/RGBA PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        ln, typ = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + ln]
        if typ == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", chunk)
        elif typ == b"IDAT":
            idat += chunk
        elif typ == b"IEND":
            break
        pos += 12 + ln
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError("PNG depth %d type %d interlace %d" % (depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        cur = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = cur[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                cur[i] = (cur[i] + a) & 255
            elif f == 2:
                cur[i] = (cur[i] + b) & 255
            elif f == 3:
                cur[i] = (cur[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                cur[i] = (cur[i] + pr) & 255
        rows.append([tuple(cur[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = cur
    return w, h, rows


# --- the test ----------------------------------------------------------------

def main():
    tmp = tempfile.mkdtemp(prefix="ptinspect-html.")
    rec = os.path.join(tmp, "lab.jsonl")
    page = os.path.join(tmp, "lab.html")
    try:
        if len(sys.argv) > 1:
            shutil.copyfile(sys.argv[1], rec)
        body(tmp, rec, page, len(sys.argv) > 1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return plan()


def body(tmp, rec, page, given):
    if not given:
        r = run("lab", "--kind", "thp", "--script", SCRIPT, "--record", rec)
        if not ok(r.returncode == 0 and os.path.exists(rec), "a real lab session is recorded",
                  r.stdout[-2000:], r.stderr):
            return
    steps = len(re.findall(r"(?m)^== step ", run("replay", rec).stdout))
    if given:
        ok(steps >= 3, "the given recording replays (%d steps)" % steps)
    else:
        ok(steps == 5, "the recording has the map and the four events (%d steps)" % steps)

    r = run("replay", rec, "--html", page)
    ok(r.returncode == 0 and r.stdout == "" and r.stderr == "",
       "replay --html writes the page and prints nothing", r.stdout, r.stderr)
    html = open(page, encoding="utf-8").read()
    ok(not re.search(r"(?i)https?:|//[a-z0-9.-]+\.[a-z]", html),
       "the page names no http(s):// or protocol-relative address")
    ok(not re.search(r"(?i)\s(src|href|srcset|action)\s*=", html),
       "no src, href, srcset or action attribute: nothing external is loaded")
    ok(not re.search(r"(?i)<link|@import|url\(|<iframe|<object|<embed", html),
       "no <link>, @import, url(), frames or objects")
    ok(html.count("<script") == 1 and html.count("<style") == 2,
       "one inline script and the two inline styles, nothing else runs or styles")
    ok(len(re.findall(r'<section class="step"', html)) == steps,
       "one section per step")
    ok(html.count('<span class="chg">') > 0, "changed cells carry the chg class")

    # a recording's strings are escaped: an event label with markup in it
    lines = open(rec, encoding="utf-8").read().splitlines(True)
    evil = '<script>alert("x")</script>&amp;\'<b>'
    hostile = os.path.join(tmp, "hostile.jsonl")
    with open(hostile, "w", encoding="utf-8") as f:
        for line in lines:
            obj = json.loads(line)
            if obj.get("step") == 2:
                obj["event"] = evil
                line = json.dumps(obj, separators=(",", ":")) + "\n"
            f.write(line)
    hpage = os.path.join(tmp, "hostile.html")
    r = run("replay", hostile, "--html", hpage)
    if ok(r.returncode == 0, "a recording with markup in an event label replays",
          r.stderr):
        h = open(hpage, encoding="utf-8").read()
        ok("<script>alert" not in h and "<b>" not in h
           and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;&#39;&lt;b&gt;" in h,
           "the label's markup is escaped, never markup in the page")

    # a corrupt recording: status 12, one line, no file
    bad = os.path.join(tmp, "bad.jsonl")
    with open(bad, "w", encoding="utf-8") as f:
        f.write(lines[0] + lines[1][:len(lines[1]) // 2] + "\n" + "".join(lines[2:]))
    bpage = os.path.join(tmp, "bad.html")
    r = run("replay", bad, "--html", bpage)
    ok(r.returncode == 12 and len(r.stderr.splitlines()) == 1 and r.stdout == "",
       "a corrupt recording with --html: exit 12 and one line (%d)" % r.returncode,
       r.stderr)
    ok(not os.path.exists(bpage), "and no page is written")
    trunc = os.path.join(tmp, "trunc.jsonl")
    with open(trunc, "w", encoding="utf-8") as f:
        f.write("".join(lines)[:-40])
    r = run("replay", trunc, "--html", bpage)
    ok(r.returncode == 12 and len(r.stderr.splitlines()) == 1 and not os.path.exists(bpage),
       "a truncated one too (%d)" % r.returncode, r.stderr)
    r = run("lab", "--kind", "thp", "--html", bpage)
    ok(r.returncode == 2 and len(r.stderr.splitlines()) == 1 and not os.path.exists(bpage),
       "--html outside replay: usage, one line (%d)" % r.returncode, r.stderr)
    r = run("replay", rec, "--html", bpage, "--script", "step 2")
    ok(r.returncode == 2 and len(r.stderr.splitlines()) == 1 and not os.path.exists(bpage),
       "--html with a script: usage, one line (%d)" % r.returncode, r.stderr)
    before = open(rec, "rb").read()
    r = run("replay", rec, "--html", rec)
    ok(r.returncode == 2 and len(r.stderr.splitlines()) == 1
       and open(rec, "rb").read() == before,
       "--html naming the recording itself: refused, the recording kept (%d)"
       % r.returncode, r.stderr)
    r = run("replay", rec, "--html", os.path.join(tmp, "no", "such", "dir.html"))
    ok(r.returncode != 0 and len(r.stderr.splitlines()) == 1,
       "an unwritable OUT: one line, non-zero (%d)" % r.returncode, r.stderr)

    browser(page, steps, rec, given)


def browser(page, steps, rec, given):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    names = ["the browser check"]
    if not chromium or not driver:
        why = "chromium and chromium-driver are not installed (make deps)"
        if os.geteuid() == 0:
            ok(False, names[0], why)
        else:
            skip(names[0], why)
        return
    try:
        with chromium_session(driver, chromium) as wd:
            ok(True, "headless chromium runs under chromedriver")
            wd.s("POST", "/url", {"url": "file://" + page})
            exact = {i: dump_of(rec, i) for i in range(1, steps + 1)}
            expect = {i: words(exact[i]) for i in exact}

            def shown(name, step):
                no = wd.text("#stepno")
                txt = wd.text("section.step:not([hidden]) pre.dump")
                visible = len(wd.finds("section.step:not([hidden])"))
                # the text the page holds, not only what it shows: byte for byte
                held = wd.js("return document.querySelector("
                             "'section.step:not([hidden]) pre.dump').textContent")
                ok(no == str(step) and visible == 1 and words(txt) == expect[step]
                   and held == exact[step],
                   "%s: step %s of %d shows, its text is the dump of step %d"
                   % (name, no, steps, step),
                   "shown sections: %d" % visible, "browser:", txt, "dump:",
                   " ".join(expect[step]))

            shown("loaded", 1)
            ok(wd.text("#nsteps") == str(steps), "the page names %d steps" % steps)
            path = [("Right", 2), ("Right", 3), ("End", steps), ("Right", steps),
                    ("Left", steps - 1), ("Home", 1), ("Left", 1), ("f", 2), ("f", 3),
                    ("b", 2), ("Right", 3)]
            for k, step in path:
                wd.key(KEYS[k])
                shown("key %s" % k, step)
            # the buttons and the timeline's entries
            wd.click("#next")
            shown("button next", 4)
            wd.click("#back")
            shown("button back", 3)
            wd.click("#timeline li:nth-child(%d)" % steps)
            shown("timeline entry %d" % steps, steps)
            wd.click("#timeline li:nth-child(2)")
            shown("timeline entry 2", 2)
            # every step once, from the first
            wd.key(KEYS["Home"])
            for step in range(2, steps + 1):
                wd.key(KEYS["Right"])
                shown("walk", step)
            # the fork (a given recording without one: its last step that
            # changed something)
            forks = [i for i in expect if expect[i][3:4] == ["fork"]]
            focus = forks[0] if forks else max(
                [i for i in expect if "changed:" in expect[i]] or [steps])
            if not given:
                ok(focus == 3, "the fork is step 3 (%d)" % focus)
            wd.key(KEYS["Home"])
            for _ in range(focus - 1):
                wd.key(KEYS["Right"])
            shown("to step %d" % focus, focus)
            grid = wd.text("section.step:not([hidden]) pre.grid")
            chg = wd.finds("section.step:not([hidden]) pre.grid span.chg")
            ok(("fork" in grid or given) and "parent" in grid and "child" in grid and chg,
               "step %d's grid shows both sides and %d highlighted runs" % (focus, len(chg)), grid)
            png = base64.b64decode(wd.s("GET", "/screenshot"))
            out = os.environ.get("PT_HTML_SHOT")
            if out:
                with open(out, "wb") as f:
                    f.write(png)
            try:
                w, h, rows = png_pixels(png)
            except Exception as e:
                ok(False, "the screenshot is a PNG", e)
                return
            colours = set()
            for y in range(0, h, 4):
                colours.update(rows[y][::4])
            ok(w > 0 and h > 0 and len(colours) > 2,
               "the screenshot is a %dx%d PNG of %d sampled colours" % (w, h, len(colours)))
            # every highlighted run of the grid: the changed bits, the "what"
            # line, the timeline's shown step; each cell's background is the
            # highlight where the glyph leaves it (a "0" covers about 60%)
            seen, bad = [], []
            for eid in chg:
                word = wd.s("GET", "/element/%s/text" % eid)
                rect = wd.s("GET", "/element/%s/rect" % eid)
                x0, y0 = int(rect["x"]) + 1, int(rect["y"]) + 1
                x1, y1 = int(rect["x"] + rect["width"]) - 1, int(rect["y"] + rect["height"]) - 1
                box = [rows[y][x] for y in range(y0, min(y1, h)) for x in range(x0, min(x1, w))]
                hl = sum(1 for px in box if px == CHG_RGB)
                seen.append("'%s' %d/%d" % (word, hl, len(box)))
                if not box or hl * 4 < len(box):
                    bad.append(seen[-1])
            ok(chg and not bad,
               "the screenshot shows every changed run highlighted (pixels of the"
               " highlight colour in its cells): " + ", ".join(seen), "not: %s" % bad)
    except Exception as e:  # a browser that fails is a failed check, not a crash
        ok(False, "the browser session", e)


if __name__ == "__main__":
    sys.exit(main())
