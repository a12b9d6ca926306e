#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The module's range walk in the test VM (Debian's 6.12 under QEMU, as
# tests/vm): per size, the walk of a range of populated 4 KiB pages (and
# of 1 GiB of THP, and of 256 MiB whose PFNs seldom follow each other,
# where most ptes are the protocol's short lines) through ptdump_helper, and ptinspect dump --backend kmod --range, each
# against a bulk /proc/PID/pagemap read of the same range measured just
# before it in the same boot, as a throughput ratio (ptinspect also
# against that read made by a process of its own, which pays the same
# start-up, as make bench's baseline on the host); and the target's
# worst mmap+munmap latency while idle and while walks run beside it.
#
# BENCH_VM_REPS rounds per size (default 3), medians shown.  BENCH_BASE:
# another static ptinspect (e.g. an older commit's build/static/ptinspect)
# run right after this one in every round, for a before/after in one boot.
# Figures are of this run only; TCG makes absolute times meaningless, and
# a host shared with other work makes single runs noisy.  BENCH_ICOUNT=1:
# QEMU's -icount shift=0,sleep=off, so that the guest's clock counts
# instructions (1 ns each) and the host's load moves nothing; the same
# target gives the same figures to the microsecond, and only how
# scattered its PFNs are (how many lines the module writes) differs from
# boot to boot and round to round.
cd "$(dirname "$0")/.." || exit 1
# a tree of its own: the test suite's VM files stay as they are
export VM_OUT=build/bench-vm
. tests/vm/vmlib.sh
reps=${BENCH_VM_REPS:-3}
clock="QEMU TCG"
icount=
if [ "${BENCH_ICOUNT:-0}" = 1 ]; then
	clock="QEMU TCG -icount: times are instructions, 1 ns each"
	icount="-icount shift=0,sleep=off"
fi
vm_fetch kernels || { tail -5 "$VM_OUT/fetch.log"; exit 1; }
vm_static || { tail -5 "$VM_OUT/static.log"; exit 1; }
set -- $(awk '$1 == "6.12" { print $2, $3 }' "$VM_OUT/kernels")
dir=$1 rel=$2
vm_module "$dir" "$rel" || { tail -5 "$VM_OUT/$rel/kmod/build.log"; exit 1; }
vm_initramfs "$rel"
root=$VM_OUT/$rel/initramfs
sed "s/@REPS@/$reps/" bench/kmod-vm-guest.sh >"$root/kmodbench.sh"
if [ -n "${BENCH_BASE:-}" ]; then
	cp "$BENCH_BASE" "$root/ptinspect.base" || exit 1
fi
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$VM_OUT/$rel/initramfs.gz"
out=$VM_OUT/$rel/bench.out
console=$VM_OUT/$rel/console.out
# A boot whose guest dies is reported with its console's oops lines (all
# of them: loglevel=7, registers are printed at the default level) and
# booted again, up to 3 boots.  Under -icount, Debian 12's QEMU (7.2) has
# killed guests in the kernel's own code, with the module of this tree
# and with that of the commit before (kmem_cache_alloc_noprof() after its
# cmpxchg16b, mas_wr_store_type() under mmap), each with an EFLAGS that
# no CPU pushes (bits 22 to 31 set: the low half of a kernel pointer), as
# TCG's lazily computed flags give when their state is stale.
boot=1
rm -f "$console".[0-9]
while :; do
	rm -f "$out" "$console"
	timeout 1800 sh -c '. tests/vm/vmlib.sh; vm_boot "$@"' vm "$dir" "$rel" max \
		"loglevel=7 pt.suite=kmodbench" -serial "file:$console" -serial "file:$out" \
		-monitor none $icount </dev/null >/dev/null 2>&1
	grep -q '^@@done' "$out" 2>/dev/null && break
	echo "bench: boot $boot of the VM did not finish; its console ($console.$boot):"
	grep -E 'BUG:|Oops|double fault|RIP: 0010|EFLAGS|Kernel panic' "$console" 2>/dev/null |
		head -8 | sed 's/^/  /'
	mv "$console" "$console.$boot" 2>/dev/null
	[ $boot -lt 3 ] || { echo "bench: the VM did not finish; see $out"; exit 1; }
	boot=$((boot + 1))
done
[ $boot = 1 ] || echo "bench: the figures below are of boot $boot"
printf '%s\n' "kmod range walk in the VM ($rel, $clock), one boot, medians of $reps rounds:"
awk '
function median(key,   n, i, j, t, a) {
	n = cnt[key]
	for (i = 1; i <= n; i++)
		a[i] = val[key, i]
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function add(key, v) { val[key, ++cnt[key]] = v }
/^@@bin / { bin = $2 }
/^kwalk bench / {
	delete v
	for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	if (v["error"] != "") { print "  error: " $0; next }
	sz = v["mib"] (v["thp"] == 1 ? " MiB of THP" : v["scat"] == 1 ? " MiB, scattered PFNs" : " MiB of 4 KiB pages")
	k = sz SUBSEP bin
	if (!(sz in seen)) { seen[sz] = 1; sizes[++nsizes] = sz }
	if (!(bin in seenbin)) { seenbin[bin] = 1; bins[++nbins] = bin }
	add(k SUBSEP "walk_s", v["walk_s"]); add(k SUBSEP "kernel_s", v["walk_kernel_s"])
	add(k SUBSEP "pagemap_s", v["pagemap_s"]); add(k SUBSEP "ratio", v["throughput_ratio"])
	add(k SUBSEP "parts", v["parts"]); add(k SUBSEP "idle", v["mmap_worst_idle_us"])
	add(k SUBSEP "busy", v["mmap_worst_walking_us"])
	add(k SUBSEP "pt_s", v["ptinspect_s"]); add(k SUBSEP "pt_ratio", v["ptinspect_ratio"])
	add(k SUBSEP "pmp_s", v["pagemap_proc_s"]); add(k SUBSEP "pt_pratio", v["ptinspect_proc_ratio"])
	add(k SUBSEP "lines", v["lines"]); add(k SUBSEP "slines", v["spans_lines"])
	add(k SUBSEP "skernel_s", v["spans_kernel_s"])
}
END {
	for (s = 1; s <= nsizes; s++) {
		mib = sizes[s]
		k = mib SUBSEP bins[1]
		printf "  %24s: walk %.3f s (%.3f s of it in the module), pagemap read %.3f s, module throughput/pagemap %.2fx (%d parts); target mmap+munmap worst %d us idle, %d us beside walks\n",
			mib, median(k SUBSEP "walk_s"), median(k SUBSEP "kernel_s"),
			median(k SUBSEP "pagemap_s"),
			median(k SUBSEP "pagemap_s") / median(k SUBSEP "kernel_s"),
			median(k SUBSEP "parts"), median(k SUBSEP "idle"), median(k SUBSEP "busy")
		printf "  %24s  asked for spans: %.3f s in the module, throughput/pagemap %.2fx; lines %d, as spans %d\n",
			"", median(k SUBSEP "skernel_s"),
			median(k SUBSEP "pagemap_s") / median(k SUBSEP "skernel_s"),
			median(k SUBSEP "lines"), median(k SUBSEP "slines")
		for (b = 1; b <= nbins; b++) {
			k = mib SUBSEP bins[b]
			printf "          %-15s dump --backend kmod --range (runs): %.3f s, throughput against the pagemap read %.3fx; against it as a process (%.3f s, fork and exec included, as make bench'"'"'s baseline) %.3fx\n",
				bins[b], median(k SUBSEP "pt_s"), median(k SUBSEP "pt_ratio"),
				median(k SUBSEP "pmp_s"), median(k SUBSEP "pt_pratio")
		}
	}
}' "$out"
