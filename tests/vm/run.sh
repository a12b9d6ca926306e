#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The module, tested for real: Debian bookworm's 6.1 and 6.12 cloud
# kernels are downloaded (cached outside the tree), the module is built
# against each, and each kernel boots under QEMU (no KVM needed) with 5-
# and 4-level paging, running tests/vm/guest.sh; tests/vm/check.py
# asserts on what the guest printed; the debug kernel once; the arm64
# kernels once each (tests/vm/arm64.sh); the TUI on the serial console.
# PT_VM_ONE="LINE PAGING" boots that kernel (a line of fetch-kernels.sh
# such as 6.12, or 6.18, 7.1, debug) with that paging (la57 or 4level)
# alone.  TAP out.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

. tests/vm/vmlib.sh

main() {
if ! command -v qemu-system-x86_64 >/dev/null || [ ! -x /bin/busybox ]; then
	u_skip "vm_tests" "qemu-system-x86_64 or busybox-static is not installed (make deps)"
	return 0
fi
if ! vm_fetch; then
	u_fail "debian_kernels_downloaded" "$(tail -5 "$VM_OUT/fetch.log")"
	return 0
fi
u_ok "debian_kernels_downloaded"

cp=$(awk '$1 == "checkpatch" { print $2 }' "$VM_OUT/kernels")
res=$(for f in $(vm_kmods | sed 's|.*|kmod/&.c|') kmod/*.h; do perl "$cp" --no-tree --strict --quiet -f "$f" 2>&1; done)
if [ -z "$res" ]; then u_ok "module_checkpatch_strict_clean"; else u_fail "module_checkpatch_strict_clean" "$res"; fi

if ! vm_static; then
	u_fail "static_binaries_build" "$(tail -5 "$VM_OUT/static.log")"
	return 0
fi

# PT_VM_ONE="LINE PAGING" (e.g. "6.12 la57"): that one boot of the guest
# suite and its checks, nothing else; a change to the module or its
# source checked on one kernel in a few minutes, not the whole matrix
if [ -n "${PT_VM_ONE:-}" ]; then
	set -- $PT_VM_ONE
	awk -v l="$1" '$1 == l' "$VM_OUT/kernels" >"$VM_OUT/stock"
	# an upstream or the debug kernel: built once into the cache, as below
	case $1 in
	6.18 | 7.1 | debug)
		sh tests/vm/build-kernel.sh "$1" "$VM_CACHE" >"$VM_OUT/stock" 2>"$VM_OUT/kernel-$1.log" ||
			{ u_fail "kernel_builds ($1)" "$(tail -15 "$VM_OUT/kernel-$1.log")"; return 0; }
		;;
	esac
	if ! read -r line dir rel <"$VM_OUT/stock" || { [ "$2" != la57 ] && [ "$2" != 4level ]; }; then
		u_fail "vm_one_kernel ($PT_VM_ONE)" "no such kernel line or paging (la57, 4level): $(cut -d' ' -f1 "$VM_OUT/kernels" | tr '\n' ' ')"
		return 0
	fi
	vm_prepare "$line" "$dir" "$rel" </dev/null || return 0
	vm_boot_one "$line" "$2"
	vm_check "$line" "$2"
	return 0
fi

# The modules and initramfs of both stock kernels, and the debug kernel
# (KASAN, lockdep, DEBUG_VM, PAGE_TABLE_CHECK...), built once into the
# cache, with smaller counts
grep -v '^checkpatch ' "$VM_OUT/kernels" >"$VM_OUT/stock"
ok_lines=
while read -r line dir rel; do
	vm_prepare "$line" "$dir" "$rel" </dev/null && ok_lines="$ok_lines $line"
done <"$VM_OUT/stock"
start=$(date +%s)
debug=
if sh tests/vm/build-kernel.sh debug "$VM_CACHE" >"$VM_OUT/debug-kernel" 2>"$VM_OUT/debug-kernel.log"; then
	u_ok "debug_kernel_builds"
	echo "# debug kernel ready in $(($(date +%s) - start)) s"
	read -r dline ddir drel <"$VM_OUT/debug-kernel"
	vm_prepare "$dline" "$ddir" "$drel" && debug=1
else
	u_fail "debug_kernel_builds" "$(tail -15 "$VM_OUT/debug-kernel.log")"
fi
# The upstream 6.18 and 7.1 kernels, from ../shared/kernels' trees with
# tests/vm/lab.config, built once into the cache the same way
up_lines=
for k in 6.18 7.1; do
	start=$(date +%s)
	if sh tests/vm/build-kernel.sh "$k" "$VM_CACHE" >"$VM_OUT/kernel-$k" 2>"$VM_OUT/kernel-$k.log"; then
		u_ok "kernel_builds ($k)"
		read -r kline kdir krel <"$VM_OUT/kernel-$k"
		echo "# $k kernel ready in $(($(date +%s) - start)) s (built in $(cat "$kdir/build-seconds") s)"
		vm_prepare "$kline" "$kdir" "$krel" && up_lines="$up_lines $kline"
	else
		u_fail "kernel_builds ($k)" "$(tail -15 "$VM_OUT/kernel-$k.log")"
	fi
done
# The rows' citations against the trees of those kernels (the debug
# kernel's is Debian's 6.12.118) and Debian's 6.1 source: each line in the
# function the row names, the same statement at 6.1, 6.12, 6.18 and 7.1,
# or the one scripts/rows_stmt.py read by hand there
cite=
if sh tests/vm/fetch-kernels.sh "$VM_CACHE" source-6.1 >"$VM_OUT/source-6.1" 2>"$VM_OUT/source-6.1.log"; then
	read -r _ cdir _ <"$VM_OUT/source-6.1" && cite="6.1=$cdir"
else
	u_fail "source_6_1_fetched" "$(tail -5 "$VM_OUT/source-6.1.log")"
fi
read -r _ cdir _ <"$VM_OUT/debug-kernel" 2>/dev/null && [ -d "$cdir/src" ] && cite="$cite 6.12=$cdir/src"
for k in 6.18 7.1; do
	read -r _ cdir _ <"$VM_OUT/kernel-$k" 2>/dev/null && [ -d "$cdir/src" ] && cite="$cite $k=$cdir/src"
done
if [ -n "$cite" ]; then
	# shellcheck disable=SC2086 # one V=TREE word each
	$PY tests/vm/rows_cite.py $cite src/rows/*.rows 2>"$VM_OUT/rows-cite.err" ||
		u_fail "rows_cite_runs" "$(tail -5 "$VM_OUT/rows-cite.err")"
else
	u_skip "rows_cite" "no kernel tree built"
fi

# Every boot runs under single-threaded TCG, one host core each, and the
# machine has two: two lanes, each taking the next job of one queue as it
# gets free, the longest first (the debug boot, the arm64 part of
# tests/vm/arm64.sh with its three boots, the 5-level boots with full
# counts, the 4-level ones with PTI, the TUI boots).  Lines are checked and
# printed afterwards, in a fixed order.
queue=$VM_OUT/queue
{
	[ -n "$debug" ] && echo "boot $dline la57"
	echo arm64
	for l in $ok_lines $up_lines; do echo "boot $l la57"; done
	for l in $ok_lines $up_lines; do echo "boot $l 4level"; done
	for l in $ok_lines; do echo "tui $l"; done
} >"$queue"
# the next job, or nothing: one lane at a time reads and shortens the queue
next_job() {
	while ! mkdir "$queue.lock" 2>/dev/null; do sleep 1; done
	head -n 1 "$queue"
	sed -i 1d "$queue"
	rmdir "$queue.lock"
}
lane() {
	while job=$(next_job) && [ -n "$job" ]; do
		set -- $job
		case $1 in
		boot) vm_boot_one "$2" "$3" ;;
		arm64) sh tests/vm/arm64.sh >"$VM_OUT/arm64.tap" 2>"$VM_OUT/arm64.err" ;;
		tui)
			set -- $(awk -v l="$2" '$1 == l { print $2, $3 }' "$VM_OUT/stock") "$2"
			if command -v tmux >/dev/null; then
				sh tests/vm/tui.sh "$1" "$2" "$3" >"$VM_OUT/tui-$3.tap"
			else
				u_fail "vm_tui ($3)" "tmux is not installed (make deps)" >"$VM_OUT/tui-$3.tap"
			fi
			;;
		esac
	done
}
rm -rf "$queue.lock"
lane &
lane
wait

for l in $ok_lines; do
	vm_check "$l" la57
	vm_check "$l" 4level
	cat "$VM_OUT/tui-$l.tap"
done
for l in $up_lines; do
	vm_check "$l" la57
	vm_check "$l" 4level
done
cat "$VM_OUT/arm64.tap"
grep -q '^ok - arm64_kernels_downloaded' "$VM_OUT/arm64.tap" ||
	grep -q '# SKIP' "$VM_OUT/arm64.tap" ||
	u_fail "arm64_part_ran" "$(tail -5 "$VM_OUT/arm64.err")"
[ -n "$debug" ] && vm_check "$dline" la57
}

# Walks and bad queries per boot: the issue asks for at least 100,000 of
# each on the stock kernels and 20,000 walks on the debug kernel, whose
# KASAN under TCG is slow; check.py asserts on the same minimums.  The
# pfnmap stress allocates and zeroes 2 MiB per map: 1,000 there, and
# 2,000 on the stock kernels, where 10,000 took 150-190 s of each boot.
# Range walks under pte-table retraction (kstress retract): 20,000 on the
# stock kernels, 5,000 on the debug kernel.
STOCK_RACE=100000 STOCK_FUZZ=100000 STOCK_PFN=2000 DEBUG_RACE=20000 DEBUG_FUZZ=100000 DEBUG_PFN=1000
STOCK_RETRACT=20000 DEBUG_RETRACT=5000

# vm_prepare LINE DIR RELEASE: the module built against one kernel and its
# initramfs; the kernel's line is remembered for vm_boot_one and vm_check
vm_prepare() {
	if ! vm_module "$2" "$3"; then
		u_fail "module_builds_warning_free ($1)" "$(grep -E 'warning|error' "$VM_OUT/$3/kmod/build.log" | head -10)"
		return 1
	fi
	u_ok "module_builds_warning_free ($1)"
	vm_initramfs "$3" "$2"
	echo "$2 $3" >"$VM_OUT/line-$1"
}

# vm_boot_one LINE PAGING: one boot of the guest suite, its output and
# seconds in $VM_OUT/RELEASE/PAGING.{out,secs}
vm_boot_one() {
	read -r dir rel <"$VM_OUT/line-$1"
	cpu=max extra=
	if [ "$1" = debug ]; then
		# loglevel 5: a lockdep splat (a warning) reaches the console
		# even if the guest dies before its dmesg section
		append="pt.race=$DEBUG_RACE pt.fuzz=$DEBUG_FUZZ pt.pfn=$DEBUG_PFN pt.retract=$DEBUG_RETRACT pt.rangemib=256 pt.gen=66 loglevel=5"
	else
		append="pt.race=$STOCK_RACE pt.fuzz=$STOCK_FUZZ pt.pfn=$STOCK_PFN pt.retract=$STOCK_RETRACT"
	fi
	# 4-level paging also runs with page-table isolation (and, beside
	# the 5-level boot's full counts, fewer generated scripts and a
	# smaller range: PTI under TCG doubles their time)
	[ "$2" = 4level ] && cpu=max,la57=off extra="pti=on pt.gen=44 pt.rangemib=256"
	log=$VM_OUT/$rel/$2
	rm -f "$log.out" "$log.console" "$log.secs"
	[ -n "${vm_retry:-}" ] || rm -f "$log.retried"
	start=$(date +%s)
	timeout 1200 sh -c '. tests/vm/vmlib.sh; vm_boot "$@"' vm "$dir" "$rel" "$cpu" \
		"loglevel=4 pt.suite=guest $append $extra" \
		-serial "file:$log.console" -serial "file:$log.out" -monitor none \
		</dev/null >/dev/null 2>"$log.qemu"
	echo $(($(date +%s) - start)) >"$log.secs"
	# A report printed before the module was loaded is the emulated
	# machine's early boot, not the suite's (once: KASAN on an interrupt
	# taken in identify_cpu() under TCG), and it switches lockdep off for
	# the rest of the boot: that boot is taken once more, and said so.
	if [ ! -f "$log.retried" ] && vm_early_report "$log.console"; then
		cp "$log.console" "$log.retried"
		vm_retry=1
		vm_boot_one "$@"
		vm_retry=
	fi
}

# vm_early_report CONSOLE: a BUG or WARNING line came before the module's
# load line (printed at loglevel 5, the debug boot's)
vm_early_report() {
	awk '/ptdump_helper: loading/ { if (hit) early = 1; exit }
		/(BUG|WARNING): / { hit = 1 } END { exit early ? 0 : 1 }' "$1"
}

# vm_check LINE PAGING: check.py on what that boot printed
vm_check() {
	read -r dir rel <"$VM_OUT/line-$1"
	log=$VM_OUT/$rel/$2
	echo "# $1 $2: guest suite in $(cat "$log.secs" 2>/dev/null) s"
	[ -f "$log.retried" ] && echo "# $1 $2: taken twice, the first boot reported before the module loaded:" \
		"$(grep -m 1 -E '(BUG|WARNING): ' "$log.retried")"
	# check.py prints its checks at the end: one that dies printed none
	$PY tests/vm/check.py "$log.out" "$1" "$2" 2>"$log.check.err" ||
		u_fail "check_py_read_the_guest_output ($1 $2)" "$(tail -5 "$log.check.err")"
}

# TAP lines are printed unnumbered ("ok - name"); the plan is counted here
main | awk '{ print } /^(ok|not ok) / { n++ } END { print "1.." n }'
