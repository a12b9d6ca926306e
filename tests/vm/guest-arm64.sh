#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the arm64 VM (busybox): the module's layout, raw walks and
# dumps decoded with arm64's layout, and every lab kind, kept short (TCG
# emulates arm64 on the host).  Sections "@@begin NAME" .. "@@end NAME",
# as tests/vm/guest.sh prints them; tests/vm/check.py asserts on them.
. /lib.sh
PTINSPECT=/ptinspect
SUBJECT="/ptinspect subject"

section() {
	sec=$1
	shift
	t0=$(cut -d ' ' -f 1 /proc/uptime)
	echo "@@begin $sec"
	"$@" 2>&1
	echo "@@end $sec"
	echo "@@took $sec $t0 $(cut -d ' ' -f 1 /proc/uptime)"
}

# walk PID ADDR: the module's raw answer, through its walk file
walk() {
	exec 3<>/sys/kernel/debug/ptdump_helper/walk
	echo "$1 $2" >&3 && cat <&3
	exec 3>&-
}

# dump NAME ADDR [CHILD]: the kmod source's JSON of the parent (and child)
dump() {
	# shellcheck disable=SC2086
	section "$1" $PTINSPECT dump --backend kmod --pid "$S_PID" ${3:+--child $3} --addr "$2" --json
}

echo "@@uname $(uname -r) $(uname -m)"
echo "@@cmdline $(cat /proc/cmdline)"
# what this kernel has, seen here, for check.py: the CPU's hardware
# dirty-bit management in use (cpufeature's "Hardware dirty bit
# management", only with CONFIG_ARM64_HW_AFDBM)
facilities() {
	dmesg | grep -q 'Hardware dirty bit management' && echo "hw_dbm yes" || echo "hw_dbm no"
}
section facilities facilities
section layout cat /sys/kernel/debug/ptdump_helper/layout

# a private anonymous 4 KiB page: written, forked, written by the child
subject_start
subject map anon 4096
A=$R
subject write "$A"
section anon.walk walk "$S_PID" "$A"
dump anon.written "$A"
section anon.written.text $PTINSPECT dump --backend kmod --pid "$S_PID" --addr "$A"
subject fork
C=$R
dump anon.fork "$A" "$C"
subject c write "$A"
dump anon.child_write "$A" "$C"
subject_stop

# a THP: a pmd block
subject_start
subject map thp 2097152
A=$R
subject write "$A"
section thp.walk walk "$S_PID" "$A"
dump thp.written "$A"
subject fork
C=$R
dump thp.fork "$A" "$C"
subject_stop

# a 64 KiB mTHP (6.8 on): contpte_set_ptes() maps it with PTE_CONT on all
# 16 ptes (arch/arm64/mm/contpte.c); the walk shows each raw sub-entry.
# The thp kind's region is 2 MiB-aligned; with 2 MiB folios off and
# 64 KiB ones on, a write faults in one 64 KiB folio.
cont() {
	h=/sys/kernel/mm/transparent_hugepage
	if [ ! -f $h/hugepages-64kB/enabled ]; then
		echo "no 64 KiB mTHP in this kernel"
		return
	fi
	pmd=$(sed 's/.*\[\(.*\)\].*/\1/' $h/hugepages-2048kB/enabled)
	echo never >$h/hugepages-2048kB/enabled
	echo always >$h/hugepages-64kB/enabled
	subject_start
	subject map thp
	a=$R
	subject write "$a"
	e=$(printf '0x%x' $((a + 0x10000)))
	walk "$S_PID" "$a $e"
	$PTINSPECT dump --backend kmod --pid "$S_PID" --range "$a-$e" --each --json
	subject_stop
	echo never >$h/hugepages-64kB/enabled
	echo "$pmd" >$h/hugepages-2048kB/enabled
}
section cont cont

# every kind through the same events; the lab checks each step itself
echo 4 >/proc/sys/vm/nr_hugepages
for k in anon thp shared file-private file-shared memfd hugetlb hugetlb-shared pfnmap pfnmap-pud pfnmap-private; do
	section "kind.$k" $PTINSPECT lab --kind $k --json \
		--script "write parent; fork; read child; write child; write parent; exit child" </dev/null
done
section lab.thread $PTINSPECT lab --scenario thread --json </dev/null

# PTE_CONT runs in the lab (6.9 on): a THP pmd split by a copy-on-write
# fault is mapped again with set_ptes() -> contpte_set_ptes(), PTE_CONT
# on each aligned 64 KiB run; a write fault in a run unfolds it
# (arch/arm64/mm/contpte.c), fork keeps it and gives the child runs too
section lab.cont $PTINSPECT lab --kind thp --json --script "write parent; fork; write child 0x10000; \
write child 0x1000; write parent 0x10000; exit child; fork; write child 0x1000" </dev/null

# the lab's pfnmap device: a VMA cut in two keeps each page where it was
section pfn.small /pfnsplit small
# a range larger than one answer, part after part, every PFN against
# pagemap (256 MiB of 4 KiB pages: several 1 MiB answers)
section range.kwalk /kwalk range "${PT_RANGE_MIB:-256}"
# the same, its PFNs scattered: most ptes are short lines (protocol 5)
section range.kwalk.scat /kwalk range "${PT_RANGE_MIB:-256}" scat
section range.kwalk.spans /kwalk range "${PT_RANGE_MIB:-256}" scat spans
section range.ptcheck /kwalk ptcheck "${PT_RANGE_MIB:-256}" "$PTINSPECT"

# bad queries, walks racing a churning window, and root only: counts from
# the kernel command line (tests/vm/init), small under TCG
section fuzz /kstress fuzz "${PT_FUZZ:-5000}"
section race /kstress race "${PT_RACE:-5000}"
section perm /kstress perm

# generated scripts over every kind; "--random 1 --seed S --kind K"
# replays one
GEN=${PT_GEN_SCRIPTS:-20}
seed=$(($(date +%s) % 1000000))
echo "@@gen madvise seed $seed scripts $GEN"
section gen.madvise $PTINSPECT lab --random "$GEN" --seed "$seed" --json </dev/null

# --- the grid names arm64's fields (issue 14, item 3) -------------------
# A lab step's screen on real arm64 entries: attrindx as the running
# kernel's MT_* slot (the module's "mt" lines), SH as its meaning (no SH
# with LPA2).  The step's recording is printed too: the host replays it
# (tests/host/screens.sh, tests/screens/arm64-*/) without a VM.
grid() {
	d=$(mktemp -d)
	$PTINSPECT lab --kind anon --script "write parent; fork; screen 110x42 stable" \
		--screen "$d/screen.txt" --record "$d/grid.rec" </dev/null >"$d/out" 2>&1 ||
		cat "$d/out"
	cat "$d/screen.txt"
	echo "@@recording"
	cat "$d/grid.rec"
	rm -rf "$d"
}
section grid grid
# --- end of the grid block ----------------------------------------------

section dmesg dmesg
echo "@@done"
