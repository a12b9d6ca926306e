#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /pudsplit.sh in the VM (pt.suite=pudsplit pt.cut=pud|pud2m): the pfnmap
# split test of guest.sh with the lab device's workaround off
# (ptdump_pfnmap split_zaps_pud=N), so that the kernel itself meets a
# shared mapping cut in three while one huge pud maps its whole GiB.
# tests/vm/pudsplit-repro.sh boots it; doc/pud-split-report.md is what it
# found.  The console (loglevel) carries any oops.
echo "@@uname $(uname -r) $(uname -m)"
echo "@@cmdline $(cat /proc/cmdline)"
pud=$(sed -n 's/.*pt\.pud=\([^ ]*\).*/\1/p' /proc/cmdline)
cut=$(sed -n 's/.*pt\.cut=\([^ ]*\).*/\1/p' /proc/cmdline)
rmmod ptdump_pfnmap
insmod /ptdump_pfnmap.ko pud_phys="$pud" split_zaps_pud=0
echo "@@split_zaps_pud $(cat /sys/module/ptdump_pfnmap/parameters/split_zaps_pud)"
/pfnsplit "${cut:-pud}" &
pid=$!
# an oops kills the test in the kernel, or leaves it stuck on a lock
i=0
while [ -d "/proc/$pid" ] && [ $i -lt 120 ]; do
	sleep 1
	i=$((i + 1))
done
if [ -d "/proc/$pid" ]; then
	echo "@@pfnsplit stuck after ${i}s: $(cat "/proc/$pid/stat" 2>/dev/null | cut -d ' ' -f 3)"
	cat "/proc/$pid/stack" 2>/dev/null
else
	wait "$pid"
	echo "@@pfnsplit exit $?"
fi
echo "@@begin dmesg"
dmesg
echo "@@end dmesg"
echo "@@done"
