#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The arm64 part of the VM suite: Debian bookworm's arm64 6.1 and 6.12
# cloud kernels and the upstream 7.1 (tests/vm/build-kernel.sh) under
# qemu-system-aarch64 -M virt -cpu max (TCG), the
# modules cross-built against their headers, the static arm64 ptinspect,
# and tests/vm/guest-arm64.sh; tests/vm/check.py asserts on what the guest
# printed.  One boot per kernel, kept short.  Prints unnumbered TAP lines
# (tests/vm/run.sh counts them); runs alone too: sh tests/vm/arm64.sh
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
ok() { u_ok "$@"; }
skip() { u_skip "$@"; }
fail() { u_fail "$@"; }

# exported: vm_boot runs in a shell of its own
VM_ARCH=arm64
VM_OUT=${VM_OUT:-build/vm}/arm64
export VM_ARCH VM_OUT
. tests/vm/vmlib.sh

for t in qemu-system-aarch64 aarch64-linux-gnu-gcc; do
	if ! command -v $t >/dev/null; then
		skip "vm_arm64" "$t is not installed (make deps)"
		exit 0
	fi
done
if ! vm_fetch; then
	fail "arm64_kernels_downloaded" "$(tail -5 "$VM_OUT/fetch.log")"
	exit 0
fi
ok "arm64_kernels_downloaded"
# the upstream 7.1 kernel, cross-built from ../shared/kernels' tree with
# tests/vm/lab-arm64.config (cached), as the line "7.1"
if sh tests/vm/build-kernel.sh 7.1-arm64 "$VM_CACHE" >"$VM_OUT/kernel-7.1" 2>"$VM_OUT/kernel-7.1.log"; then
	ok "arm64_kernel_builds (7.1)"
	sed 's/^7\.1-arm64 /7.1 /' "$VM_OUT/kernel-7.1" >>"$VM_OUT/kernels"
else
	fail "arm64_kernel_builds (7.1)" "$(tail -15 "$VM_OUT/kernel-7.1.log")"
fi
if ! vm_static; then
	fail "arm64_static_binaries_build" "$(tail -5 "$VM_OUT/static.log")"
	exit 0
fi
ok "arm64_static_binaries_build"

# bad queries and racing walks per boot: TCG runs arm64 several times
# slower than the x86 guests, whose counts are 100,000 each.  20,000
# walks (a few seconds): over 5,000 one 6.12 boot met no child of the
# churning target at all (its fork op never ran), which the check asks for
FUZZ=5000 RACE=20000
grep -v '^checkpatch \|^busybox ' "$VM_OUT/kernels" | while read -r line dir rel; do
	if vm_module "$dir" "$rel"; then
		ok "arm64_module_builds_warning_free ($line)"
	else
		fail "arm64_module_builds_warning_free ($line)" \
			"$(grep -E 'warning|error' "$VM_OUT/$rel/kmod/build.log" | head -10)"
		continue
	fi
	vm_initramfs "$rel" "$dir"
	log=$VM_OUT/$rel/arm64
	rm -f "$log.out"
	start=$(date +%s)
	# the upstream kernel runs 100 generated scripts (the Debian ones 20)
	gen=
	[ "$line" = 7.1 ] && gen=pt.gen=100
	timeout 600 sh -c '. tests/vm/vmlib.sh; vm_boot "$@"' vm "$dir" "$rel" max,pauth-impdef=on \
		"loglevel=4 pt.suite=guest-arm64 pt.fuzz=$FUZZ pt.race=$RACE $gen" -serial "file:$log.out" -monitor none \
		</dev/null >/dev/null 2>"$log.qemu"
	echo "# $line arm64: boot and guest suite in $(($(date +%s) - start)) s"
	# check.py prints its checks at the end: one that dies printed none
	$PY tests/vm/check.py "$log.out" "$line" arm64 2>"$log.check.err" ||
		u_fail "check_py_read_the_guest_output ($line arm64)" "$(tail -5 "$log.check.err")"
	# the TUI on the serial console, through tmux, as make demo ARCH=arm64
	# shows it: once, on the newest kernel
	if [ "$line" = 6.12 ] && command -v tmux >/dev/null; then
		sh tests/vm/tui.sh "$dir" "$rel" "$line arm64"
	fi
	# the grid block's screen and recording, as tests/screens/arm64-*/
	# keeps them for the host's replay (tests/host/screens.sh)
	tr -d '\r' <"$log.out" | awk -v s="$VM_OUT/$rel/grid-110x42.txt" -v r="$VM_OUT/$rel/grid.rec" '
		/^@@end grid$/ { on = 0 } on == 2 { print > r } /^@@recording$/ { on = 2 }
		on == 1 { print > s } /^@@begin grid$/ { on = 1 }'
done
