#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The module's range walk in the test VM (Debian's 6.12 under QEMU, as
# tests/vm): per size, the walk of a range of populated 4 KiB pages
# through ptdump_helper against a bulk /proc/PID/pagemap read of the same
# range, measured in the same boot, as a ratio; and the target's worst
# mmap+munmap latency while idle and while walks run beside it.
# Figures are of this run only; TCG makes absolute times meaningless.
cd "$(dirname "$0")/.." || exit 1
# a tree of its own: the test suite's VM files stay as they are
export VM_OUT=build/bench-vm
. tests/vm/vmlib.sh
vm_fetch kernels || { tail -5 "$VM_OUT/fetch.log"; exit 1; }
vm_static || { tail -5 "$VM_OUT/static.log"; exit 1; }
set -- $(awk '$1 == "6.12" { print $2, $3 }' "$VM_OUT/kernels")
dir=$1 rel=$2
vm_module "$dir" "$rel" || { tail -5 "$VM_OUT/$rel/kmod/build.log"; exit 1; }
vm_initramfs "$rel"
out=$VM_OUT/$rel/bench.out
rm -f "$out"
timeout 900 sh -c '. tests/vm/vmlib.sh; vm_boot "$@"' vm "$dir" "$rel" max \
	"loglevel=4 pt.suite=bench" -serial null -serial "file:$out" -monitor none \
	</dev/null >/dev/null 2>&1
grep -q '^@@done' "$out" || { echo "bench: the VM did not finish; see $out"; exit 1; }
printf '%s\n' "kmod range walk in the VM ($rel, QEMU TCG), one boot:"
awk '/^kwalk bench/ {
	for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	printf "  %5d MiB of 4 KiB pages: walk %.3f s (%.3f s of it in the module), pagemap read %.3f s, throughput walk/pagemap %.2fx (%d parts); target mmap+munmap worst %d us idle, %d us beside %d walks\n",
		v["mib"], v["walk_s"], v["walk_kernel_s"], v["pagemap_s"], v["throughput_ratio"], v["parts"],
		v["mmap_worst_idle_us"], v["mmap_worst_walking_us"], v["walks"]
	printf "          ptinspect dump --backend kmod --range (runs): %.3f s, throughput against the pagemap read %.2fx\n",
		v["ptinspect_s"], v["ptinspect_ratio"]
}' "$out"
