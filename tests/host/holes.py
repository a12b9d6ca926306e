# SPDX-License-Identifier: GPL-2.0
"""A process with holes for tests/host/maps.sh, held until stdin closes.

2 MiB of private anonymous memory without THP, every 8th page written;
a file named "a b" in DIR mapped shared, its first page written; then a
fork, whose child writes every 16th page (half the written ones: those
are copied, the other half still shared).  Prints one line when all is
done: "ANON_ADDR FILE_ADDR CHILD_PID".
"""
import ctypes
import mmap
import os
import sys

PAGES = 512
anon = mmap.mmap(-1, PAGES * 4096, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
anon.madvise(mmap.MADV_NOHUGEPAGE)
for i in range(0, PAGES, 8):
    anon[i * 4096] = 1
f = open(os.path.join(sys.argv[1], "a b"), "w+b")
f.truncate(8192)
fmap = mmap.mmap(f.fileno(), 8192)
fmap[0] = 1
anon_addr = ctypes.addressof(ctypes.c_char.from_buffer(anon))
file_addr = ctypes.addressof(ctypes.c_char.from_buffer(fmap))
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    for i in range(0, PAGES, 16):
        anon[i * 4096] = 2
    os.write(w, b"x")
    sys.stdin.read()
    os._exit(0)
os.read(r, 1)
print(f"{anon_addr:#x} {file_addr:#x} {pid}", flush=True)
sys.stdin.read()
os.waitpid(pid, 0)
