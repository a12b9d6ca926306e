# SPDX-License-Identifier: GPL-2.0
"""A sparse process for tests/host/maps.sh, from a seed: held until stdin closes.

A NORESERVE private anonymous mapping of a random size (64 MiB to 64 GiB,
no THP) with random clusters of written pages, then a fork whose child
writes a random subset of them (those are copied, the rest still shared).
Prints one JSON line: {"start", "end", "child", "pages", "copied"} with
page numbers relative to start.  The range engine skips holes with
PAGEMAP_SCAN; this is what it must still find, on any layout.
"""
import ctypes
import json
import mmap
import os
import random
import sys

MAP_NORESERVE = 0x4000
rnd = random.Random(int(sys.argv[1]))
npages = rnd.choice([1 << 14, 1 << 18, 1 << 22, 1 << 24])
m = mmap.mmap(-1, npages * 4096,
              flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | MAP_NORESERVE)
m.madvise(mmap.MADV_NOHUGEPAGE)
pages = set()
for _ in range(rnd.randint(1, 40)):
    first = rnd.randrange(npages)
    for p in range(first, min(npages, first + rnd.choice([1, 1, 3, 17, 600]))):
        pages.add(p)
for p in pages:
    m[p * 4096] = 1
start = ctypes.addressof(ctypes.c_char.from_buffer(m))
copied = sorted(p for p in pages if rnd.random() < 0.5)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    for p in copied:
        m[p * 4096] = 2
    os.write(w, b"x")
    sys.stdin.read()
    os._exit(0)
os.read(r, 1)
print(json.dumps({"start": start, "end": start + npages * 4096, "child": pid,
                  "pages": sorted(pages), "copied": copied}), flush=True)
sys.stdin.read()
os.waitpid(pid, 0)
