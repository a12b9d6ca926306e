#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Recordings made in a VM replayed here: the 6.12 kernel boots with the
# module and runs guest.sh's "issue 11: recordings" section alone, which
# records thp lab sessions with the module backend and prints the files
# and what the sessions printed; tests/vm/test_record.py replays the files
# with this machine's ptinspect (no module, no VM) and compares.  TAP out.
# Usage: record.sh [LINE] (default 6.12)
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
VM_OUT=${VM_OUT:-build/vm-record}
# vm_boot runs in a shell of its own
export VM_OUT
# a "make -jN test" jobserver makes the module's make warn, and a warning
# fails its build: these makes are not part of that one
unset MAKEFLAGS MFLAGS MAKELEVEL
. tests/vm/vmlib.sh
want=${1:-6.12}

main() {
	if ! command -v qemu-system-x86_64 >/dev/null || [ ! -x /bin/busybox ]; then
		echo "ok - vm_recording_replays # SKIP qemu-system-x86_64 or busybox-static is not installed"
		return 0
	fi
	if ! vm_fetch kernels; then
		echo "not ok - debian_kernels_downloaded"
		tail -5 "$VM_OUT/fetch.log" | sed 's/^/# /'
		return 0
	fi
	line=$(awk -v w="$want" '$1 == w && $3 ~ /amd64$/' "$VM_OUT/kernels" | head -n 1)
	[ -n "$line" ] || line=$(awk -v w="$want" '$1 == w' "$VM_OUT/kernels" | head -n 1)
	set -- $line
	dir=$2 rel=$3
	if [ -z "$rel" ] || ! vm_module "$dir" "$rel" || ! vm_static; then
		echo "not ok - vm_recording_prepared ($want)"
		return 0
	fi
	vm_initramfs "$rel"
	# the section alone, as a second archive the kernel unpacks on top
	x=$(mktemp -d)
	sed -n '/^# ---- issue 11: recordings ----/,/^# ---- end of issue 11 ----/p' tests/vm/guest.sh >"$x/body"
	{
		echo '. /lib.sh'
		echo 'PTINSPECT=/ptinspect'
		sed -n '/^section() {/,/^}/p' tests/vm/guest.sh
		echo 'echo "@@uname $(uname -r)"'
		cat "$x/body"
		echo 'echo "@@done"'
	} >"$x/record.sh"
	rm "$x/body"
	(cd "$x" && echo record.sh | cpio -o -H newc 2>/dev/null | gzip -1) >>"$VM_OUT/$rel/initramfs.gz"
	rm -rf "$x"
	log=$VM_OUT/$rel/record
	rm -f "$log.out" "$log.console"
	start=$(date +%s)
	timeout 900 sh -c '. tests/vm/vmlib.sh; vm_boot "$@"' vm "$dir" "$rel" max \
		"loglevel=4 pt.suite=record" \
		-serial "file:$log.console" -serial "file:$log.out" -monitor none \
		</dev/null >/dev/null 2>"$log.qemu"
	echo "# $want: recording section in $(($(date +%s) - start)) s"
	PTINSPECT=${PTINSPECT:-build/plain/ptinspect} $PY tests/vm/test_record.py "$log.out" "$want"
}

main | awk '{ print } /^(ok|not ok) / { n++ } END { print "1.." n }'
