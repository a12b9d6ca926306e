#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Reproduces the huge pfnmap pud split (doc/pud-split-report.md): boots
# each named kernel (6.12 Debian's, 6.18 and 7.1 from tests/vm/build-kernel.sh)
# with tests/vm/pudsplit.sh, once per cut (pud: a page off a 2 MiB
# boundary; pud2m: both cuts 2 MiB aligned), and prints what each boot
# saw.  Not part of make check: on a kernel with the bug a boot oopses.
# Usage: sh tests/vm/pudsplit-repro.sh [LINE...]   (default: 6.18 7.1)
cd "$(dirname "$0")/../.." || exit 1
VM_OUT=${VM_OUT:-build/vm}/pudsplit
export VM_OUT
. tests/vm/vmlib.sh
mkdir -p "$VM_OUT"
vm_static || { tail -5 "$VM_OUT/static.log"; exit 1; }
[ $# -gt 0 ] || set -- 6.18 7.1
for line in "$@"; do
	case $line in
	6.1 | 6.12)
		vm_fetch kernels || exit 1
		set -- $(awk -v l="$line" '$1 == l { print $2, $3 }' "$VM_OUT/kernels")
		;;
	*) set -- $(sh tests/vm/build-kernel.sh "$line" "$VM_CACHE" | cut -d ' ' -f 2-) ;;
	esac
	dir=$1 rel=$2
	vm_module "$dir" "$rel" || { cat "$VM_OUT/$rel/kmod/build.log"; exit 1; }
	vm_initramfs "$rel"
	for cut in pud pud2m; do
		log=$VM_OUT/$rel/$cut
		start=$(date +%s)
		timeout 600 sh -c '. tests/vm/vmlib.sh; vm_boot "$@"' vm "$dir" "$rel" max \
			"loglevel=7 pt.suite=pudsplit pt.cut=$cut" \
			-serial "file:$log.console" -serial "file:$log.out" -monitor none \
			</dev/null >/dev/null 2>"$log.qemu"
		echo "== $line ($rel) cut $cut: $(($(date +%s) - start)) s; $log.{out,console}"
		tr -d '\r' <"$log.out" | grep -E '^(@@|pfnsplit )'
		tr -d '\r' <"$log.console" | grep -E 'BUG|Oops|WARNING|Call Trace|RIP' | head -5
	done
done
