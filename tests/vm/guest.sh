#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM (busybox): real fork and write scenarios dumped
# through the module, the module's layout, abuse by kstress, and the
# kernel log.  Prints sections "@@begin NAME" .. "@@end NAME"; the host
# (tests/vm/check.py) asserts on them.
. /lib.sh
PTINSPECT=/ptinspect
SUBJECT="/ptinspect subject"
# the counts this boot was given (pt.gen, pt.rangemib...), for check.py
echo "@@cmdline $(cat /proc/cmdline)"
# what this kernel has, seen here (never told by its version), for the
# checks that need it: PCI (without it e820's reserved ranges never enter
# /proc/iomem), KSM, and the exceptions:page_fault_user tracepoint that
# tells a write fault from a read
facilities() {
	[ -d /sys/bus/pci ] && echo "pci yes" || echo "pci no"
	[ -e /sys/kernel/mm/ksm/run ] && echo "ksm yes" || echo "ksm no"
	local t=/sys/kernel/tracing
	[ -e $t/events ] || { t=/tmp/tracefs; mkdir -p $t; mount -t tracefs nodev $t 2>/dev/null; }
	[ -e $t/events/exceptions/page_fault_user/id ] && echo "page_fault_user yes" || echo "page_fault_user no"
	[ "$t" = /tmp/tracefs ] && { umount $t 2>/dev/null; rmdir $t; }
}

section() {
	sec=$1
	shift
	t0=$(cut -d ' ' -f 1 /proc/uptime)
	echo "@@begin $sec"
	"$@" 2>&1
	echo "@@end $sec"
	# seconds of guest uptime per section, for the suite's time budget
	echo "@@took $sec $t0 $(cut -d ' ' -f 1 /proc/uptime)"
}

# dump NAME ADDR [CHILD]: the kmod source's JSON of the parent (and child)
dump() {
	# shellcheck disable=SC2086
	section "$1" $PTINSPECT dump --backend kmod --pid "$S_PID" ${3:+--child $3} --addr "$2" --json
}

echo "@@uname $(uname -r)"
section facilities facilities
section layout cat /sys/kernel/debug/ptdump_helper/layout

# private anonymous THP: write, fork, write in the child, write in the parent
subject_start
subject map thp 2097152
A=$R
subject write "$A"
dump thp.written "$A"
subject fork
C=$R
dump thp.fork "$A" "$C"
section thp.fork.text $PTINSPECT dump --backend auto --pid "$S_PID" --child "$C" --addr "$A"
subject c write "$A"
dump thp.child_write "$A" "$C"
subject write "$A"
dump thp.parent_write "$A" "$C"
subject_stop

# private anonymous 4K page: the same story at pte level
subject_start
subject map anon 4096
A=$R
subject write "$A"
dump anon.written "$A"
subject fork
C=$R
dump anon.fork "$A" "$C"
subject c write "$A"
dump anon.child_write "$A" "$C"
subject_stop

# shared anonymous: fork copies no page tables; the child faults it in
subject_start
subject map shared 4096
A=$R
subject write "$A"
subject fork
C=$R
dump shared.fork "$A" "$C"
subject c read "$A"
dump shared.child_read "$A" "$C"
subject_stop

# a range through the module: one object per populated entry
subject_start
subject map anon 65536
A=$R
subject write "$A"
subject write "$(printf '0x%x' $((A + 0x3000)))"
section anon.range $PTINSPECT dump --backend kmod --pid "$S_PID" --range "$(printf '%s-0x%x' "$A" $((A + 65536)))" --each --json
subject_stop

# the lab's default scenario through the module
section lab.thp $PTINSPECT lab --kind thp --json </dev/null

# every kind through the same events; the lab checks each step itself
echo 4 >/proc/sys/vm/nr_hugepages
for k in anon thp shared file-private file-shared memfd hugetlb hugetlb-shared pfnmap pfnmap-pud pfnmap-private; do
	section "kind.$k" $PTINSPECT lab --kind $k --json \
		--script "write parent; fork; read child; write child; write parent; exit child" </dev/null
done

# the mailing-list thread, and an expectation that is wrong on purpose
section lab.thread $PTINSPECT lab --scenario thread --json </dev/null
section wrong.expect $PTINSPECT lab --kind thp --expect "thp:fork:child:write=1" \
	--script "write parent; fork" --json </dev/null

# mprotect ro then rw: Dirty into SavedDirty and back, pmd and pud
section lab.saveddirty $PTINSPECT lab --scenario saved-dirty --json </dev/null
section lab.pudmprotect $PTINSPECT lab --kind pfnmap-pud --json \
	--script "write parent; mprotect ro; mprotect rw" </dev/null

# soft-dirty tracking write-protects a shared pfnmap: the huge write faults
section lab.writenotify $PTINSPECT lab --scenario write-notify --json </dev/null
section lab.writenotifypud $PTINSPECT lab --kind pfnmap-pud --json \
	--script "clear-soft-dirty; read parent; write parent" </dev/null

# a page pinned long-term before fork is copied for the child at once
section lab.pin $PTINSPECT lab --scenario pin --json </dev/null

# soft-dirty through the module: clear_refs clears it, a write sets it again
section lab.softdirty $PTINSPECT lab --kind anon --json \
	--script "write parent; clear-soft-dirty; write parent" </dev/null

# mremap after clear_refs: move_ptes()/move_huge_pmd() mark every moved
# entry soft-dirty again (move_soft_dirty_pte/pmd), a pte table moved
# whole by its pmd and a hugetlb entry keep their bits; the parent's
# entries, and a child's after a fork (its own copy: written first)
for k in anon thp file-private shared memfd hugetlb; do
	section "lab.mremapsd-$k-parent" $PTINSPECT lab --kind $k --json \
		--script "write parent; clear-soft-dirty; mremap parent" </dev/null
	section "lab.mremapsd-$k-child" $PTINSPECT lab --kind $k --json \
		--script "write parent; fork; write child; clear-soft-dirty child; mremap child" </dev/null
done

# the lab's pfnmap device: a VMA cut in two keeps each page where it was
# (vm_pgoff), one opener owns the reserved GiB and finds it zeroed, and a
# shared and a private mapping of it agree on the cache mode
section pfn.small /pfnsplit small
section pfn.pud /pfnsplit pud
section pfn.owner /pfnsplit owner
section pfn.cache /pfnsplit cache

# PTI: the top-level entry over the subject's executable text is the one
# user mode runs on, without the NX the kernel's copy carries
pti_text() {
	subject_start
	text=$(awk '$2 ~ /x/ { split($1, r, "-"); print "0x" r[1]; exit }' "/proc/$S_PID/maps")
	echo "text $text"
	$PTINSPECT dump --backend kmod --pid "$S_PID" --addr "$text" --json
	subject_stop
}
section pti.layout grep '^pti ' /sys/kernel/debug/ptdump_helper/layout
section pti.text pti_text

# ranges larger than one answer: 1 GiB of 4 KiB pages straight through
# the walk file, part after part, every PFN against pagemap; then the same
# 1 GiB through ptinspect, as runs
# (PT_RANGE_MIB: less on the debug kernel, whose KASAN shadow takes memory)
section range.kwalk /kwalk range "${PT_RANGE_MIB:-1024}"
range_ptinspect() {
	/kwalk target "${PT_RANGE_MIB:-1024}" >/tmp/target &
	tp=$!
	t_wait_file /tmp/target 'kwalk target' 300
	set -- $(sed -n 's/.*start=\(0x[0-9a-f]*\) end=\(0x[0-9a-f]*\)/\1 \2/p' /tmp/target)
	$PTINSPECT dump --backend kmod --pid "$tp" --range "$1-$2" --json >/tmp/range.json
	echo "exit=$? bytes=$(wc -c </tmp/range.json)"
	cat /tmp/range.json
	kill "$tp"
	wait "$tp" 2>/dev/null
}
section range.ptinspect range_ptinspect
# 256 MiB whose PFNs seldom follow each other (half its pages ones another
# mapping freed one in two): most ptes are short lines (protocol 5), each
# checked against pagemap, straight from the walk file and through ptinspect
section range.kwalk.scat /kwalk range 256 scat
# the same asked for spans (protocol 6): a line a pte table where flags
# stay, each span's pages present with its first's flags
section range.kwalk.spans /kwalk range 256 scat spans
section range.ptcheck /kwalk ptcheck 256 "$PTINSPECT"

# counts from the kernel command line (tests/vm/init): PT_FUZZ, PT_RACE, PT_PFN
section fuzz /kstress fuzz "${PT_FUZZ:-100000}"
section race /kstress race "${PT_RACE:-100000}"
# range walks while MADV_COLLAPSE of shmem and tmpfs ranges retracts the
# pte tables of the other process mapping them (pt.retract=N walks)
section retract /kstress retract "${PT_RETRACT:-20000}"
section pfnstress /kstress pfnmap "${PT_PFN:-10000}"
section perm /kstress perm
# the lab's module stays while its pfnmap is mapped, and goes after; the
# inspection module maps nothing and goes at any time; pud_phys must name
# reserved memory, not System RAM
rmmod_mapped() {
	pud=$(sed -n 's/.*pt\.pud=\([^ ]*\).*/\1/p' /proc/cmdline)
	subject_start
	subject map pfnmap
	subject write "$R"
	rmmod ptdump_pfnmap && echo "rmmod while mapped: removed" || echo "rmmod while mapped: refused"
	rmmod ptdump_helper && echo "rmmod helper while mapped: removed" || echo "rmmod helper while mapped: refused"
	insmod /ptdump_helper.ko
	subject_stop
	# the reaped subject's mm is gone, but give a busy guest five tries
	local i
	for i in 1 2 3 4 5; do
		rmmod ptdump_pfnmap 2>/dev/null && break
		sleep 0.2
	done
	[ -d /sys/module/ptdump_pfnmap ] && echo "rmmod after unmap: refused" || echo "rmmod after unmap: removed"
	insmod /ptdump_pfnmap.ko pud_phys=0x80000000 2>/dev/null && echo "pud_phys on RAM: loaded" || echo "pud_phys on RAM: refused"
	rmmod ptdump_pfnmap 2>/dev/null
	insmod /ptdump_pfnmap.ko pud_phys=0x40001000 2>/dev/null && echo "pud_phys unaligned: loaded" || echo "pud_phys unaligned: refused"
	rmmod ptdump_pfnmap 2>/dev/null
	# above the guest's 2.5 GiB: the PCI hole (device BARs, the IOAPIC,
	# the BIOS ROM), then no resource at all; each refused with its reason
	local a
	for a in 0xc0000000 0x200000000; do
		insmod /ptdump_pfnmap.ko pud_phys=$a 2>/dev/null && echo "pud_phys $a: loaded" || echo "pud_phys $a: refused"
		rmmod ptdump_pfnmap 2>/dev/null
		dmesg | grep "pud_phys=$a" | tail -n 1
	done
	insmod /ptdump_pfnmap.ko ${pud:+pud_phys=$pud} && echo "pud_phys $pud: loaded"
	grep -B1 ptdump_pfnmap /proc/iomem
}
section rmmod rmmod_mapped
# a shared hugetlb VMA's pmd table: followed by the module built for this
# kernel (it has the IPI after unsharing one), and not by the same module
# built as for a kernel without it, whose answer and ptinspect say so
hugetlb_nosync() {
	local m
	subject_start
	subject map hugetlb-shared
	A=$R
	subject write "$A"
	for m in ptdump_helper ptdump_helper-nosync; do
		rmmod ptdump_helper
		if ! insmod "/$m.ko"; then
			echo "-- $m: insmod failed"
			insmod /ptdump_helper.ko
			continue
		fi
		echo "-- $m raw"
		# a subshell: a failed redirection would end this script
		(exec 3<>/sys/kernel/debug/ptdump_helper/walk &&
			printf '%s %s\n' "$S_PID" "${A#0x}" >&3 && cat <&3)
		echo "-- $m dump"
		$PTINSPECT dump --backend kmod --pid "$S_PID" --addr "$A" --json
	done
	rmmod ptdump_helper
	insmod /ptdump_helper.ko
	subject_stop
}
section hugetlb_nosync hugetlb_nosync
# unload and reload while nothing maps the modules: each time the
# debugfs files go and come back, and a walk is answered again
reload() {
	local i pud
	pud=$(cat /sys/module/ptdump_pfnmap/parameters/pud_phys 2>/dev/null)
	for i in 1 2 3 4 5; do
		[ -d /sys/module/ptdump_pfnmap ] && rmmod ptdump_pfnmap
		rmmod ptdump_helper || break
		[ -e /sys/kernel/debug/ptdump_helper/walk ] && echo "reload $i: walk file stayed"
		/kstress walk 2>/dev/null | sed "s/^/reload $i unloaded: /"
		insmod /ptdump_helper.ko || break
		[ -f /ptdump_pfnmap.ko ] && insmod /ptdump_pfnmap.ko ${pud:+pud_phys=$pud}
		/kstress walk | sed "s/^/reload $i: /"
	done
}
section reload reload
# ---- expectations keyed on state (issue 8) ----
# (the rmmod and reload sections left both modules loaded, pud_phys given)
# the issue's examples, each replayed: no step may be UNEXPECTED
lab_ex() {
	section "ex.$1" $PTINSPECT lab --kind "$2" --json --script "$3" </dev/null
}
lab_ex anon_write_other_page anon "read parent; write parent 4096"
lab_ex thp_read_then_mprotect thp "read parent; mprotect rw"
lab_ex file_dontneed_fork file-private "read parent; madvise dontneed; fork"
lab_ex pfnprivate_no_cow_fork pfnmap-private "read parent; fork; madvise dontneed; write parent; exit child; fork"
lab_ex hugetlb_read_fork hugetlb "read parent; fork"
lab_ex shared_wn_fork shared "write parent; clear-soft-dirty; fork; read child 8192"
# found by generated scripts: a pinned THP write-protected by soft-dirty
# tracking is split and copied at fork, not shared as the huge zero page;
# a read of a page mapped already takes no fault and maps no neighbour
lab_ex thp_pinned_ro_fork thp "write parent; pin parent; clear-soft-dirty; fork"
lab_ex shm_read_mapped file-shared "write parent; fork; write child 4096; read child 4096"
lab_ex pfnmap_softdirty_nofault pfnmap "read parent; madvise dontneed; clear-soft-dirty; madvise dontneed; write parent"
lab_ex pfnmap_softdirty_tracked pfnmap "clear-soft-dirty; read parent; write parent"
lab_ex failed_event anon "write parent; fork; fork; write child 99999999999"
lab_ex hugetlb_saved_dirty hugetlb "write parent"
lab_ex thp_split thp "write parent; fork; write child"
# MADV_DONTNEED of the whole 2 MiB frees the pte table it emptied (6.14,
# CONFIG_PT_RECLAIM, from /boot/config-RELEASE): the next read maps the
# huge zero pmd; before 6.14 the table stays and the read maps a pte
lab_ex thp_dontneed_table thp "madvise nohugepage; write parent; fork; madvise dontneed child; madvise hugepage; madvise dontneed; read parent"
# generated scripts over every kind, half with THP madvise, half always;
# the seed is printed and "--random 1 --seed S --kind K" replays one
GEN=${PT_GEN_SCRIPTS:-100}
seed=$(($(date +%s) % 1000000))
for mode in madvise always; do
	echo $mode >/sys/kernel/mm/transparent_hugepage/enabled
	echo "@@gen $mode seed $seed scripts $GEN"
	section "gen.$mode" $PTINSPECT lab --random "$GEN" --seed "$seed" --json </dev/null
	seed=$((seed + GEN))
done
echo madvise >/sys/kernel/mm/transparent_hugepage/enabled
# ---- end of issue 8 ----

# ---- fault labels (issue 11 item 2) ----
# ptinspect --pid names a look's step after the page fault that made it;
# the subject's write, its fork, the child's write.  Three rounds, each
# write after a random pause: a look under emulation takes long enough
# for a fault to land while it reads
for round in 1 2 3; do
	subject_start
	subject map anon 4096
	A=$R
	timeout 60 $PTINSPECT --pid "$S_PID" --addr "$A" --interval 0.2 --json >/tmp/faults.out 2>&1 &
	W=$!
	t_wait_file /tmp/faults.out '"attach"'
	usleep $(($(od -An -N2 -tu2 /dev/urandom) % 400000))
	subject write "$A"
	t_wait_file /tmp/faults.out 'fault at'
	subject fork
	C=$R
	t_wait_file /tmp/faults.out "fork: child $C"
	usleep $(($(od -An -N2 -tu2 /dev/urandom) % 400000))
	subject c write "$A"
	t_wait_file /tmp/faults.out "fault at [^\"]* in child $C\""
	subject c exit
	echo exit >&7
	wait "$W"
	echo "@@faults $round $S_PID $C $A paranoid $(cat /proc/sys/kernel/perf_event_paranoid)"
	section "faults-$round" cat /tmp/faults.out
	subject_stop
	rm -f /tmp/faults.out
done
# ---- end of fault labels ----
# ---- issue 11: recordings ----
# thp lab sessions through the module, recorded with --record; the host
# replays the files and compares with what the sessions printed here
# (tests/vm/record.sh boots this section alone, test_record.py checks)
REC="write parent; fork; write child; write parent; madvise dontneed child"
$PTINSPECT lab --backend kmod --kind thp --script "$REC; screen stable" --record /tmp/text.rec \
	--screen /tmp/rec.screen </dev/null >/tmp/rec.text 2>&1
$PTINSPECT lab --backend kmod --kind thp --json --script "$REC" --record /tmp/json.rec \
	</dev/null >/tmp/rec.json 2>&1
# section names without a dot: check.py reads dotted ones as dumps
for f in text.rec rec.text rec.screen json.rec rec.json; do
	section "record_$(echo "$f" | tr . _)" cat "/tmp/$f"
done
# ---- end of issue 11 ----

# the lessons (issue 23), through the module
. /learn.sh

section dmesg dmesg
echo "@@done"
