#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ptinspect --pid following a real program's forks (tests/helpers/forker.c).

The program is driven command by command; ptinspect's JSON steps are read
as they come.  Traced, a fork is a step with both sides walked while both
are stopped (the parent's page already write-protected and shared, as
fork() left it); children made later are followed; exits are steps.
Untraced (--no-trace), or refused because another tracer holds the
program, children are found by polling.  A step a page fault in the
watched page explains is labelled with it (perf: write and read told
apart through x86's exceptions:page_fault_user as root, the software
event's address only without privileges); perf refused (seccomp, as in
a container) is one line and steps stay "refresh".  TAP out.
"""
import ctypes
import json
import os
import platform
import random
import select
import subprocess
import sys
import time

from tap import ok, plan

PTINSPECT = os.environ.get("PTINSPECT", "./ptinspect")
FORKER = os.path.join(os.path.dirname(PTINSPECT), "helpers", "forker")
if not os.access(FORKER, os.X_OK):
    FORKER = "build/plain/helpers/forker"


NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


class Forker:
    def __init__(self, prefix=()):
        # LeakSanitizer cannot run in a traced process (the asan build's
        # forker would exit 1 at its end): leaks are checked elsewhere
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
        self.p = subprocess.Popen([*prefix, FORKER], stdin=subprocess.PIPE, env=env,
                                  stdout=subprocess.PIPE, text=True)
        self.addr = self.p.stdout.readline().split()[1]
        # setpriv execs: the pid is the program's
        self.pid = self.p.pid

    def cmd(self, c):
        self.p.stdin.write(c + "\n")
        self.p.stdin.flush()
        return self.p.stdout.readline().strip()

    def quit(self):
        try:
            self.p.stdin.write("quit\n")
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        return self.p.wait(timeout=10)


class Watch:
    def __init__(self, pid, addr, *extra, prefix=(), preexec=None, interval=0.2):
        self.p = subprocess.Popen([*prefix, PTINSPECT, "--pid", str(pid), "--addr", addr,
                                   "--interval", str(interval), "--json", *extra],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  preexec_fn=preexec)
        self.steps = []
        self.buf = b""

    def until(self, pred, secs=10):
        """Reads steps until one satisfies pred; that step, or None."""
        end = time.time() + secs
        fd = self.p.stdout.fileno()
        seen = 0
        while True:
            # lines split here, off the raw descriptor: a buffered reader
            # would hide from select() lines it has already read
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                self.steps.append(json.loads(line))
            for s in self.steps[seen:]:
                if pred(s):
                    return s
            seen = len(self.steps)
            if time.time() >= end:
                return None
            r, _, _ = select.select([fd], [], [], 0.1)
            if r:
                data = os.read(fd, 1 << 20)
                if not data:
                    return None
                self.buf += data

    def finish(self, secs=10):
        try:
            out, err = self.p.communicate(timeout=secs)
        except subprocess.TimeoutExpired:
            self.p.kill()
            out, err = self.p.communicate()
        for line in (self.buf + out).splitlines():
            self.steps.append(json.loads(line))
        self.buf = b""
        return self.p.returncode, err.decode()


def ev(s):
    return s["event"]


def pm(side):
    return side["pagemap"] if side else None


def traced():
    f = Forker()
    f.cmd("write")
    w = Watch(f.pid, f.addr)
    ok(w.until(lambda s: ev(s) == "attach") is not None, "traced: attach step")
    c1 = f.cmd("fork")
    s = w.until(lambda s: ev(s) == "fork: child " + c1)
    if ok(s is not None, "traced: the fork is a step naming the child",
          [ev(x) for x in w.steps]):
        par, chi = s["parent"], s["child"]
        ok(chi is not None and chi["pid"] == int(c1),
           "traced: the fork step walks the new child", s)
        # at the fork stop, copy_page_range() is done: one page, two mappers
        ok(par and chi and pm(par)["pfn"] == pm(chi)["pfn"] and
           not pm(par)["exclusive"] and not pm(chi)["exclusive"],
           "traced: at the fork both map the same page, neither exclusive",
           json.dumps(pm(par)), json.dumps(pm(chi)))
    f.cmd("cwrite")
    s = w.until(lambda s: s["child"] and s["parent"] and
                pm(s["child"])["pfn"] != pm(s["parent"])["pfn"])
    ok(s is not None and pm(s["child"])["exclusive"],
       "traced: the child's write gives it its own page",
       [ev(x) for x in w.steps])
    ok(s is not None and ev(s) == "%s at %s in child %s" % (KIND["write"], f.addr, c1),
       "traced: the child's new page is labelled with its write fault",
       s and ev(s), [ev(x) for x in w.steps])
    c2 = f.cmd("tfork")
    s = w.until(lambda s: ev(s).startswith("fork: child " + c2))
    ok(s is not None and "from thread" in ev(s) and s["child"]["pid"] == int(c1),
       "traced: a fork from a thread is a step; the shown child stays",
       [ev(x) for x in w.steps])
    f.cmd("cexit")   # c2, not shown: no step
    f.cmd("cexit")   # c1, shown
    s = w.until(lambda s: ev(s) == "exit in child " + c1)
    ok(s is not None and s["child"] is not None,
       "traced: the child's exit is a step while its memory is still there",
       [ev(x) for x in w.steps])
    s = w.until(lambda s: ev(s) == "child %s exited with 0" % c1)
    ok(s is not None, "traced: the child gone is a step", [ev(x) for x in w.steps])
    ok(not any(ev(x).startswith("exit in child " + c2) for x in w.steps),
       "traced: an unshown child's exit is no step")
    c3 = f.cmd("fork")
    s = w.until(lambda s: ev(s) == "fork: child " + c3)
    ok(s is not None and s["child"]["pid"] == int(c3),
       "traced: a child made after another exited is shown",
       [ev(x) for x in w.steps])
    f.cmd("cexit")
    f.quit()
    rc, err = w.finish()
    ok(rc == 0 and any(ev(x) == "parent %d exited with 0" % f.pid for x in w.steps),
       "traced: the parent's exit ends the watch, status 0",
       rc, err, [ev(x) for x in w.steps])
    # every step is one JSON document with its number
    ok([x["step"] for x in w.steps] == list(range(1, len(w.steps) + 1)),
       "traced: steps are numbered in order")


def many_threads(nr):
    """A process of nr threads is traced whole: its fork is a step."""
    name = "%d threads" % nr
    f = Forker()
    made = f.cmd("threads %d" % (nr - 1))
    w = Watch(f.pid, f.addr)
    ok(made == "ok %d" % (nr - 1) and w.until(lambda s: ev(s) == "attach") is not None,
       name + ": attach step", made)
    c1 = f.cmd("fork")
    s = w.until(lambda s: ev(s) == "fork: child " + c1)
    ok(s is not None and s["child"] and s["child"]["pid"] == int(c1),
       name + ": the fork is a step with both sides stopped",
       [ev(x) for x in w.steps])
    # then the child runs: never kept in a tracing stop
    state = "?"
    for _ in range(250):
        try:
            state = [x for x in open("/proc/%s/status" % c1) if x.startswith("State:")][0]
        except (OSError, IndexError):
            break
        if "tracing stop" not in state:
            break
        time.sleep(0.02)
    ok("tracing stop" not in state, name + ": the child is not left in a tracing stop", state)
    if "tracing stop" in state:
        os.kill(int(c1), 9)   # so that cexit's waitpid returns
    f.cmd("cexit")
    f.quit()
    rc, err = w.finish(30)
    ok(rc == 0 and "polling" not in err, name + ": traced, not polled; ends with it", rc, err)


def polled(extra, name, holder=None):
    f = Forker()
    hold = None
    if holder:
        hold = holder(f.pid)
    w = Watch(f.pid, f.addr, *extra)
    ok(w.until(lambda s: ev(s) == "attach") is not None, name + ": attach step")
    c1 = f.cmd("fork")
    s = w.until(lambda s: ev(s) == "child %s appeared" % c1)
    ok(s is not None and s["child"] and s["child"]["pid"] == int(c1),
       name + ": a new child is found and shown", [ev(x) for x in w.steps])
    f.cmd("cexit")
    if hold:
        hold.kill()
        hold.wait()
    f.quit()
    rc, err = w.finish()
    ok(rc == 0, name + ": ends when the process does", rc, err)
    return err


def seize_holder(pid):
    """Another tracer on pid (PTRACE_SEIZE from a child process)."""
    r, wfd = os.pipe()
    c = os.fork()
    if c == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        res = libc.ptrace(0x4206, pid, None, None)
        os.write(wfd, b"y" if res == 0 else b"n")
        # pass every signal on, as a tracer must (SIGCHLD included)
        while True:
            _, st = os.waitpid(pid, 0x40000000)  # __WALL
            if not os.WIFSTOPPED(st):
                os._exit(0)
            sig = os.WSTOPSIG(st) if (st >> 16) == 0 else 0
            libc.ptrace(7, pid, None, sig)  # PTRACE_CONT
    os.read(r, 1)

    class H:
        def kill(self):
            os.kill(c, 9)

        def wait(self):
            os.waitpid(c, 0)
    return H()


def deny_perf():
    """seccomp: perf_event_open fails with EACCES, as in a container."""
    arch = {"x86_64": (0xc000003e, 298), "aarch64": (0xc00000b7, 241)}
    audit, nr = arch[platform.machine()]
    ins = [(0x20, 0, 0, 4), (0x15, 0, 3, audit), (0x20, 0, 0, 0),
           (0x15, 0, 1, nr), (0x06, 0, 0, 0x00050000 | 13), (0x06, 0, 0, 0x7fff0000)]

    class Ins(ctypes.Structure):
        _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8),
                    ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]

    class Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(Ins))]
    prog = (Ins * len(ins))(*[Ins(*i) for i in ins])
    fprog = Prog(len(ins), prog)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(38, 1, 0, 0, 0) or libc.prctl(22, 2, ctypes.byref(fprog), 0, 0):
        os._exit(99)


def faults(name, prefix=(), preexec=None, kind=None):
    """A parent's write after fork, a page dropped, a read: their steps."""
    f = Forker(prefix)
    w = Watch(f.pid, f.addr, prefix=prefix, preexec=preexec)
    ok(w.until(lambda s: ev(s) == "attach") is not None, name + ": attach step",
       w.p.poll() is not None and w.finish())
    c1 = f.cmd("fork")
    ok(w.until(lambda s: ev(s) == "fork: child " + c1) is not None, name + ": fork step")
    def after(pred):
        last = len(w.steps)
        return w.until(lambda s: s["step"] > last and pred(s))
    f.cmd("pwrite1")
    # the parent's copy: its page exclusive again (PFNs may read as 0)
    s = after(lambda s: s["child"] and pm(s["parent"])["exclusive"])
    want = "refresh" if kind is None else "%s at %s in parent %d" % (kind["write"], f.addr,
                                                                     f.pid)
    ok(s is not None and ev(s) == want, name + ": the parent's write after fork: " + want,
       s and ev(s), [ev(x) for x in w.steps])
    f.cmd("pdrop1")
    s = after(lambda s: not pm(s["parent"])["present"])
    ok(s is not None and ev(s) == "refresh",
       name + ": a page dropped without a fault stays \"refresh\"", s and ev(s))
    f.cmd("pread1")
    s = after(lambda s: pm(s["parent"])["present"])
    want = "refresh" if kind is None else "%s at %s in parent %d" % (kind["read"], f.addr,
                                                                     f.pid)
    ok(s is not None and ev(s) == want, name + ": the parent's read: " + want,
       s and ev(s), [ev(x) for x in w.steps])
    f.cmd("cexit")
    f.quit()
    rc, err = w.finish()
    ok(rc == 0, name + ": ends with the process", rc, err)
    return err


def racing(kind, rounds=12):
    """Reads made at random moments against looks slowed by 20,000 mappings.

    A look reads /proc's maps and smaps before the pagemap word: a fault
    taken while it runs can map the page before the word is read, after
    the faults up to the look's start were taken.  Each page that appears
    is named after its read fault all the same."""
    seed = int(os.environ.get("PT_SEED", time.time_ns() % 1000000))
    rnd = random.Random(seed)
    print("# racing: seed %d (PT_SEED=%d replays the pauses)" % (seed, seed))
    f = Forker()
    f.cmd("vmas 20000")
    w = Watch(f.pid, f.addr, "--no-trace", interval=0.05)
    ok(w.until(lambda s: ev(s) == "attach", 30) is not None, "racing: attach step",
       w.p.poll() is not None and w.finish())
    want = "%s at %s in parent %d" % (kind["read"], f.addr, f.pid)
    bad = []
    for i in range(rounds):
        last = len(w.steps)
        f.cmd("pdrop1")
        s = w.until(lambda s: s["step"] > last and not pm(s["parent"])["present"], 30)
        if s is None:
            bad.append("round %d: no step without the page" % i)
            break
        time.sleep(rnd.uniform(0, 0.4))
        last = len(w.steps)
        f.cmd("pread1")
        s = w.until(lambda s: s["step"] > last and pm(s["parent"])["present"], 30)
        if s is None or ev(s) != want:
            bad.append("round %d: %s" % (i, s and ev(s)))
    f.quit()
    rc, err = w.finish()
    ok(not bad and rc == 0,
       "racing: %d reads at random moments during looks: each page's step names its fault" % rounds,
       "seed %d" % seed, *bad, err,
       [ev(x) for x in w.steps])


# root on x86 reads the tracepoint, which tells a write from a read
if os.geteuid() == 0 and platform.machine() == "x86_64":
    KIND = {"write": "write fault", "read": "read fault"}
else:
    KIND = {"write": "fault", "read": "fault"}
traced()
faults("faults", kind=KIND)
if os.geteuid() == 0:
    # without privileges: the software event, paranoid 2 allows it
    # on one's own processes; the address only
    faults("unprivileged", prefix=NOBODY, kind={"write": "fault", "read": "fault"})
racing(KIND)
err = faults("perf denied", preexec=deny_perf)
# (the counters' note, at the end, is the lab's own line)
ok(len([x for x in err.splitlines() if "page faults" in x]) == 1 and
   "page faults not recorded: perf refused (Permission denied" in err,
   "perf denied: one line says so", err)
# the tracer once held 512 threads: at 512 a fork was missed unsaid,
# above it the process was polled
many_threads(512)
many_threads(600)
polled(["--no-trace"], "no-trace")
err = polled([], "refused", seize_holder)
ok("already traced by" in err and "watching by polling" in err and
   len(err.strip().splitlines()) == 1,
   "refused: one line says why and that it polls", err)
sys.exit(plan())
