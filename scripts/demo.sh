#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: boot Debian's 6.12 kernel under QEMU with ptdump_helper
# loaded and offer the first lesson (ptinspect learn fork-cow), then the
# lab on the serial console (the TUI when this is a terminal: n runs the
# next event, q quits and powers the VM off).  DEMO=lab: the lab only.
# ARCH=arm64 (make demo ARCH=arm64): Debian's arm64 6.12 under
# qemu-system-aarch64 instead.
set -eu
cd "$(dirname "$0")/.."
cpu=max
if [ "${ARCH:-}" = arm64 ]; then
	VM_ARCH=arm64 VM_OUT=${VM_OUT:-build/vm}/arm64 cpu=max,pauth-impdef=on
	export VM_ARCH VM_OUT
fi
. tests/vm/vmlib.sh
echo "ptinspect demo: fetching Debian's kernels (cached in $VM_CACHE)..."
vm_fetch kernels
vm_static
set -- $(awk '$1 == "6.12" { print $2, $3 }' "$VM_OUT/kernels")
dir=$1 rel=$2
vm_module "$dir" "$rel" || { cat "$VM_OUT/$rel/kmod/build.log" >&2; exit 1; }
vm_initramfs "$rel"
if [ -t 0 ] && [ -t 1 ]; then
	set -- $(stty size)
	echo "ptinspect demo: booting $rel (about 5 s without KVM): the lesson fork-cow, then the lab; q quits the lab and the VM"
	sleep 1
	vm_boot "$dir" "$rel" "$cpu" \
		"loglevel=1 pt.suite=demo pt.tty=1 pt.rows=$1 pt.cols=$2 pt.term=${TERM:-vt100} pt.demo=${DEMO:-learn}"
else
	vm_boot "$dir" "$rel" "$cpu" "loglevel=1 pt.suite=demo" </dev/null
fi
