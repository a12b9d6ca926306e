#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Parent against child on real programs nobody here wrote (Debian's).

Redis during a BGSAVE with keys overwritten while it saves, CPython after
fork (a garbage collection in the child copies the pages of every object
it visits; gc.freeze() before the fork keeps them shared), PostgreSQL's
postmaster against one of its backends (shared_buffers is shared memory,
the backend has pages of its own).  Each pair is stopped (SIGSTOP) while
it is counted, and each count ptinspect gives (maps --child, dump --child
--range all) is checked against this file's own count from both
/proc/PID/pagemap files, within 1%.  The servers run in a temp dir of
their own, on unix sockets only, PostgreSQL as nobody; every process
started here is in a session of its own and is killed (the whole process
group) on the way out, failure or not.  TAP out; ptinspect's times are
diagnostics (timing claims are bench/'s).
"""
import atexit
import ctypes
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

from tap import ok, plan, skip

PTINSPECT = os.environ.get("PTINSPECT", "./ptinspect")
PM_PRESENT = 1 << 63
PM_SWAP = 1 << 62
PM_PFN = (1 << 55) - 1
TASK_TOP = 1 << 47
PG_BIN = "/usr/lib/postgresql/15/bin"
# Debian's CPython, not whichever python3 runs this file
CPYTHON = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

groups = []     # process groups started here, killed at exit
tmp = tempfile.mkdtemp(prefix="ptinspect-real-")


def note(*lines):
    for line in lines:
        print("# " + str(line))
    sys.stdout.flush()


def cleanup():
    for pg in groups:
        try:
            os.killpg(pg, signal.SIGKILL)
        except OSError:
            pass
    # this process is their subreaper: the servers' children, orphaned by
    # the kill, are reaped here rather than left as zombies
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                time.sleep(0.01)
        except ChildProcessError:
            break
    shutil.rmtree(tmp, ignore_errors=True)


def on_signal(sig, frame):
    sys.exit(128 + sig)


def start(cmd, **kw):
    """A process in a session of its own: its group is killed at exit."""
    p = subprocess.Popen(cmd, start_new_session=True, **kw)
    groups.append(p.pid)
    return p


# -- this test's own count: both pagemaps, page by page ---------------------

def maps_rows(pid):
    rows = []
    for line in open("/proc/%d/maps" % pid):
        f = line.split()
        a, b = (int(x, 16) for x in f[0].split("-"))
        rows.append((a, b, f[1], f[5] if len(f) > 5 else ""))
    return rows


def words(fd, a, b):
    out = []
    step = 1 << 27
    while a < b:
        e = min(b, a + step)
        data = os.pread(fd, (e - a) // 4096 * 8, a // 4096 * 8)
        out.extend(struct.unpack("%dQ" % (len(data) // 8), data))
        a = e
    return out


def own_count(ppid, cpid):
    """{parent mapping start: [shared, copied]} over pages both map (as
    maps --child counts), and the pages only the child has populated over
    the union of both processes' mappings (as dump --range all does)."""
    pfd = os.open("/proc/%d/pagemap" % ppid, os.O_RDONLY)
    cfd = os.open("/proc/%d/pagemap" % cpid, os.O_RDONLY)
    per = {}
    try:
        prow = [r for r in maps_rows(ppid) if r[1] <= TASK_TOP]
        crow = [r for r in maps_rows(cpid) if r[1] <= TASK_TOP]
        for a, b, _, _ in prow:
            pw, cw = words(pfd, a, b), words(cfd, a, b)
            s = c = 0
            for x, y in zip(pw, cw):
                if x & PM_PRESENT and y & PM_PRESENT:
                    if x & PM_PFN == y & PM_PFN:
                        s += 1
                    else:
                        c += 1
            per[a] = [s, c]
        # the union, for the pages only the child has
        iv = []
        for a, b, _, _ in sorted(prow + crow):
            if iv and a <= iv[-1][1]:
                iv[-1][1] = max(iv[-1][1], b)
            else:
                iv.append([a, b])
        only_child = 0
        for a, b in iv:
            for x, y in zip(words(pfd, a, b), words(cfd, a, b)):
                if y & (PM_PRESENT | PM_SWAP) and not x & (PM_PRESENT | PM_SWAP):
                    only_child += 1
    finally:
        os.close(pfd)
        os.close(cfd)
    return per, only_child


def run(args):
    t0 = time.monotonic()
    try:
        p = subprocess.run([PTINSPECT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=120)
    except subprocess.TimeoutExpired:
        p = subprocess.CompletedProcess(args, -1, "", "killed after 120 s")
    return p, time.monotonic() - t0


def near(got, want):
    return abs(got - want) <= max(1, want // 100)


def compare(name, ppid, cpid):
    """Stops both, counts, asks ptinspect; returns (maps JSON, own) or None."""
    os.kill(cpid, signal.SIGSTOP)
    os.kill(ppid, signal.SIGSTOP)
    try:
        per, only_child = own_count(ppid, cpid)
        mp, mt = run(["maps", "--pid", str(ppid), "--child", str(cpid), "--sort", "copied",
                      "--json"])
        dp, dt = run(["dump", "--pid", str(ppid), "--child", str(cpid), "--range", "all",
                      "--json"])
        own_again, _ = own_count(ppid, cpid)
    finally:
        os.kill(ppid, signal.SIGCONT)
        os.kill(cpid, signal.SIGCONT)
    shared = sum(v[0] for v in per.values())
    copied = sum(v[1] for v in per.values())
    note("%s: own count shared %d copied %d only-child %d pages; maps --child %.3f s, "
         "dump --child --range all %.3f s" % (name, shared, copied, only_child, mt, dt))
    if not ok(mp.returncode == 0 and dp.returncode == 0,
              "%s_maps_child_and_range_all_exit_0" % name,
              "maps: exit %d %s" % (mp.returncode, mp.stderr.strip()),
              "dump: exit %d %s" % (dp.returncode, dp.stderr.strip())):
        return None
    m = json.loads(mp.stdout)
    d = json.loads(dp.stdout)
    t = m["totals"]
    ms, mc = t["shared_bytes"] // 4096, t["copied_bytes"] // 4096
    ds, dc = d["totals"]["shared_pages"], d["totals"]["copied_pages"]
    doc = d["totals"]["only_child_pages"]
    ok(near(ms, shared) and near(mc, copied),
       "%s_maps_child_totals_within_1pc_of_both_pagemaps" % name,
       "ptinspect shared %d copied %d, own %d %d" % (ms, mc, shared, copied))
    ok(near(ds, shared) and near(dc, copied) and near(doc, only_child) and d["stopped"] is None,
       "%s_range_all_totals_within_1pc_of_both_pagemaps" % name,
       "ptinspect shared %d copied %d only-child %d, own %d %d %d; stopped %s" %
       (ds, dc, doc, shared, copied, only_child, d["stopped"]))
    # per mapping: each row against the same row of this count
    bad = []
    for r in m["mappings"]:
        a = int(r["start"], 16)
        if a not in per:
            continue
        s, c = per[a]
        if not (near(r["shared_bytes"] // 4096, s) and near(r["copied_bytes"] // 4096, c)):
            bad.append("%s: ptinspect %d/%d own %d/%d" % (r["start"], r["shared_bytes"] // 4096,
                                                           r["copied_bytes"] // 4096, s, c))
    ok(not bad, "%s_every_mapping_within_1pc_of_both_pagemaps" % name, *bad[:8])
    still = sum(v[1] for v in own_again.values())
    if not near(still, copied):
        note("%s: copied moved from %d to %d pages while stopped" % (name, copied, still))
    return m, per, shared, copied


# -- Redis -----------------------------------------------------------------

class Resp:
    """The Redis protocol over a unix socket, pipelined."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.buf = b""

    def send(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.s.sendall(out)

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise OSError("redis closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        line = self.line()
        if line[:1] == b"$":
            size = int(line[1:])
            if size < 0:
                return None
            while len(self.buf) < size + 2:
                self.buf += self.s.recv(65536)
            data, self.buf = self.buf[:size], self.buf[size + 2:]
            return data
        if line[:1] == b"-":
            raise OSError(line.decode())
        return line[1:]

    def call(self, *args):
        self.send(*args)
        return self.reply()


def children(pid):
    try:
        return [int(x) for x in open("/proc/%d/task/%d/children" % (pid, pid)).read().split()]
    except OSError:
        return []


def redis_case():
    exe = shutil.which("redis-server")
    if not exe:
        skip("redis_bgsave_with_writes", "redis-server is not installed (scripts/deps.sh)")
        return
    d = os.path.join(tmp, "redis")
    os.mkdir(d)
    sock = os.path.join(d, "redis.sock")
    p = start([exe, "--port", "0", "--unixsocket", sock, "--unixsocketperm", "700",
               "--dir", d, "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no",
               "--enable-debug-command", "yes", "--logfile", os.path.join(d, "log")],
              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(500):
        if os.path.exists(sock):
            break
        time.sleep(0.01)
    r = Resp(sock)
    keys = 300000
    r.call("DEBUG", "POPULATE", keys, "key", 1024)
    # slow the child's save down so that it is still saving when counted
    r.call("CONFIG", "SET", "rdb-key-save-delay", 100)
    r.call("BGSAVE")
    child = 0
    for _ in range(500):
        kids = children(p.pid)
        if kids:
            child = kids[0]
            break
        time.sleep(0.01)
    if not ok(child > 0, "redis_bgsave_forks_a_child", open(os.path.join(d, "log")).read()[-500:]):
        return
    # 100,000 keys overwritten while the child saves: the parent copies
    value = b"y" * 1024
    for base in range(0, 100000, 5000):
        for k in range(base, base + 5000):
            r.send("SET", "key:%d" % k, value)
        for k in range(5000):
            r.reply()
    info = r.call("INFO", "persistence").decode()
    ok("rdb_bgsave_in_progress:1" in info, "redis_child_still_saving_while_counted",
       info)
    # the child saving, both running: a living process is never "exited"
    dp, dt = run(["dump", "--pid", str(p.pid), "--child", str(child), "--range", "all", "--json"])
    alive = os.path.exists("/proc/%d" % child)
    stopped = json.loads(dp.stdout)["stopped"] if dp.returncode == 0 else "no document"
    ok(dp.returncode == 0 and stopped is None and alive and
       "exited" not in dp.stderr,
       "redis_range_all_beside_a_running_child_ends_with_exit_0",
       "exit %d, child alive %s, %.3f s: %s" % (dp.returncode, alive, dt, dp.stderr.strip()[:500]))
    res = compare("redis", p.pid, child)
    if res:
        m, per, shared, copied = res
        ok(copied >= 5000 and shared >= 10000, "redis_writes_during_bgsave_copy_and_the_rest_stays_shared",
           "shared %d copied %d pages" % (shared, copied))
    # the save would go on for half a minute: ended, and reaped by Redis
    os.kill(child, signal.SIGKILL)
    for _ in range(500):
        if "rdb_bgsave_in_progress:0" in r.call("INFO", "persistence").decode():
            break
        time.sleep(0.01)
    try:
        r.call("SHUTDOWN", "NOSAVE")
    except OSError:
        pass    # it closes the connection as it goes
    p.wait(timeout=10)


# -- CPython ---------------------------------------------------------------

PY_CHILD = r'''
import gc, os, sys, time
n, freeze = int(sys.argv[1]), sys.argv[2] == "freeze"
objs = [[i] for i in range(n)]
gc.collect()
ids = " ".join(hex(id(objs[i])) for i in range(0, n, n // 64))
if freeze:
    gc.freeze()
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    # the child only looks: a collection visits (writes the header of)
    # every object the collector tracks
    gc.collect()
    os.write(w, b"x")
    while True:
        time.sleep(60)
os.read(r, 1)
sys.stdout.write("%d %d %s\n" % (os.getpid(), pid, ids))
sys.stdout.flush()
sys.stdin.read()
'''


def cpython_case():
    script = os.path.join(tmp, "cow.py")
    with open(script, "w") as f:
        f.write(PY_CHILD)
    got = {}
    for mode in ("plain", "freeze"):
        p = start([CPYTHON, script, "2000000", mode], stdin=subprocess.PIPE,
                  stdout=subprocess.PIPE, text=True)
        line = p.stdout.readline().split()
        if not ok(len(line) > 2, "cpython_%s_forks" % mode, line):
            return
        ppid, cpid, ids = int(line[0]), int(line[1]), [int(x, 16) for x in line[2:]]
        got[mode] = (compare("cpython_" + mode, ppid, cpid), ids)
        p.stdin.close()
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    if not got["plain"][0] or not got["freeze"][0]:
        return
    (m, per, shared, copied), ids = got["plain"]
    fcopied = got["freeze"][0][3]
    ok(copied >= 20000 and fcopied * 4 < copied, "cpython_gc_freeze_before_fork_drops_the_copies",
       "copied without freeze %d pages, with freeze %d" % (copied, fcopied))
    # the arenas: the mappings that hold the objects (their addresses)
    arenas = [r for r in m["mappings"]
              if any(int(r["start"], 16) <= a < int(r["end"], 16) for a in ids)]
    in_arenas = sum(r["copied_bytes"] for r in arenas)
    total = m["totals"]["copied_bytes"]
    top = m["mappings"][0]
    ok(arenas and top in arenas and in_arenas * 10 >= total * 9 and top["kind"] == "anon-private",
       "cpython_per_mapping_view_shows_the_arenas_as_the_copied_ones",
       "top %s-%s %s copied %d; arenas hold %d of %d copied bytes" %
       (top["start"], top["end"], top["kind"], top["copied_bytes"], in_arenas, total))


# -- PostgreSQL ------------------------------------------------------------

def postgres_case():
    if not os.access(os.path.join(PG_BIN, "postgres"), os.X_OK):
        skip("postgres_postmaster_and_backend", "Debian's postgresql is not installed (scripts/deps.sh)")
        return
    d = os.path.join(tmp, "pg")
    os.mkdir(d)
    os.chmod(tmp, 0o755)
    os.chown(d, 65534, 65534)
    data = os.path.join(d, "data")
    env = dict(os.environ, HOME=d, LC_ALL="C")
    init = subprocess.run([*NOBODY, os.path.join(PG_BIN, "initdb"), "-D", data, "-U", "postgres",
                           "--auth=trust", "--no-sync", "-E", "UTF8"], env=env, cwd=d,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if not ok(init.returncode == 0, "postgres_initdb_as_nobody", init.stdout[-800:]):
        return
    port = "54329"
    pm = start([*NOBODY, os.path.join(PG_BIN, "postgres"), "-D", data, "-k", d, "-p", port,
                "-c", "listen_addresses=", "-c", "shared_buffers=64MB", "-c", "huge_pages=off",
                "-c", "fsync=off", "-c", "logging_collector=off"], env=env, cwd=d,
               stdout=subprocess.DEVNULL, stderr=open(os.path.join(d, "log"), "w"))
    sock = os.path.join(d, ".s.PGSQL." + port)
    for _ in range(1000):
        if os.path.exists(sock) and subprocess.run(
                [os.path.join(PG_BIN, "pg_isready"), "-q", "-h", d, "-p", port]).returncode == 0:
            break
        time.sleep(0.02)
    psql = start([*NOBODY, "psql", "-X", "-q", "-A", "-t", "-h", d, "-p", port, "-U", "postgres",
                  "postgres"], env=env, cwd=d, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                 stderr=subprocess.STDOUT, text=True)
    psql.stdin.write("select pg_backend_pid();\n"
                     "create table t as select g, repeat('x', 500) as pad from generate_series(1, 40000) g;\n"
                     "select count(*) from t;\n")
    psql.stdin.flush()
    backend = psql.stdout.readline().strip()
    count = psql.stdout.readline().strip()
    if not ok(backend.isdigit() and count == "40000", "postgres_backend_fills_shared_buffers",
              backend, count, open(os.path.join(d, "log")).read()[-800:]):
        return
    backend = int(backend)
    postmaster = pm.pid
    ok(backend in children(postmaster),
       "postgres_backend_is_a_child_of_the_postmaster", children(postmaster))
    res = compare("postgres", postmaster, backend)
    if res:
        m, per, shared, copied = res
        shm = [r for r in m["mappings"] if r["kind"] == "anon-shared"]
        big = max(shm, key=lambda r: r["size"]) if shm else None
        ok(big and big["size"] >= 64 << 20 and big["shared_bytes"] > 0 and big["copied_bytes"] == 0,
           "postgres_shared_buffers_are_shared_memory_never_copied",
           big and "%s-%s %s size %d shared %d copied %d" % (big["start"], big["end"], big["path"],
                                                             big["size"], big["shared_bytes"],
                                                             big["copied_bytes"]))
        own = [r for r in m["mappings"] if r["kind"] == "anon-private" and r["copied_bytes"] > 0]
        ok(copied > 0 and own, "postgres_backend_has_private_pages_of_its_own",
           "copied %d pages in %d private mappings" % (copied, len(own)))
    psql.stdin.close()
    subprocess.run([*NOBODY, os.path.join(PG_BIN, "pg_ctl"), "-D", data, "-m", "immediate", "-w",
                    "stop"], env=env, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    PR_SET_CHILD_SUBREAPER = 36
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    atexit.register(cleanup)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if os.geteuid() != 0:
        skip("real_programs", "PFNs of two processes need root (CAP_SYS_ADMIN)")
        plan()
        return
    for case in (redis_case, cpython_case, postgres_case):
        try:
            case()
        except Exception as e:  # one line, and the next program still runs
            ok(False, case.__name__ + "_ran", "%s: %s" % (type(e).__name__, e))
    # the 512-thread process followed with --pid through its forks is the
    # 512-thread tracer's own test (src/trace.c), not this file's
    plan()


main()
