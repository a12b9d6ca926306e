#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM for bench/kmod-vm.sh: the module's range walk against
# a bulk pagemap read of the same range, and a process's worst mmap/munmap
# latency with and without walks beside it, all in this one boot.
echo "@@uname $(uname -r)"
for mib in 64 256 1024; do
	/kwalk bench $mib /ptinspect
done
echo "@@done"
