#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM (busybox): real fork and write scenarios dumped
# through the module, the module's layout, abuse by kstress, and the
# kernel log.  Prints sections "@@begin NAME" .. "@@end NAME"; the host
# (tests/vm/check.py) asserts on them.
. /lib.sh
PTINSPECT=/ptinspect
SUBJECT="/ptinspect subject"

section() {
	sec=$1
	shift
	echo "@@begin $sec"
	"$@" 2>&1
	echo "@@end $sec"
}

# dump NAME ADDR [CHILD]: the kmod source's JSON of the parent (and child)
dump() {
	# shellcheck disable=SC2086
	section "$1" $PTINSPECT dump --backend kmod --pid "$S_PID" ${3:+--child $3} --addr "$2" --json
}

echo "@@uname $(uname -r)"
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
section anon.range $PTINSPECT dump --backend kmod --pid "$S_PID" --range "$(printf '%s-0x%x' "$A" $((A + 65536)))" --json
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

section fuzz /kstress fuzz 10000
section race /kstress race 10000
section pfnstress /kstress pfnmap 10000
section perm /kstress perm
# the module stays while its pfnmap is mapped, and goes after
rmmod_mapped() {
	subject_start
	subject map pfnmap
	subject write "$R"
	rmmod ptdump_helper && echo "rmmod while mapped: removed" || echo "rmmod while mapped: refused"
	subject_stop
	# the reaped subject's mm is gone, but give a busy guest five tries
	local i
	for i in 1 2 3 4 5; do
		rmmod ptdump_helper 2>/dev/null && break
		sleep 0.2
	done
	[ -d /sys/module/ptdump_helper ] && echo "rmmod after unmap: refused" || echo "rmmod after unmap: removed"
	insmod /ptdump_helper.ko
}
section rmmod rmmod_mapped
# ---- expectations keyed on state (issue 8) ----
# the rmmod section loaded the module again without pud_phys
pud=$(sed -n 's/.*pt\.pud=\([^ ]*\).*/\1/p' /proc/cmdline)
rmmod ptdump_helper && insmod /ptdump_helper.ko ${pud:+pud_phys=$pud}
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
lab_ex pfnmap_softdirty_nofault pfnmap "read parent; madvise dontneed; clear-soft-dirty; madvise dontneed; write parent"
lab_ex pfnmap_softdirty_tracked pfnmap "clear-soft-dirty; read parent; write parent"
lab_ex failed_event anon "write parent; fork; fork; write child 99999999999"
lab_ex hugetlb_saved_dirty hugetlb "write parent"
lab_ex thp_split thp "write parent; fork; write child"
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

section dmesg dmesg
echo "@@done"
