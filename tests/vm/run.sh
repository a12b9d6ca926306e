#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The module, tested for real: Debian bookworm's 6.1 and 6.12 cloud
# kernels are downloaded (cached outside the tree), the module is built
# against each, and each kernel boots under QEMU (no KVM needed) with 5-
# and 4-level paging, running tests/vm/guest.sh; tests/vm/check.py
# asserts on what the guest printed.  TAP out.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
u_ok() { echo "ok - $1"; }
u_skip() { echo "ok - $1 # SKIP $2"; }
u_fail() {
	echo "not ok - $1"
	shift
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
}

main() {
cache=${PTINSPECT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ptinspect}
out=build/vm

if ! command -v qemu-system-x86_64 >/dev/null || [ ! -x /bin/busybox ]; then
	u_skip "vm_tests" "qemu-system-x86_64 or busybox-static is not installed (make deps)"
	return 0
fi
mkdir -p "$out"
if ! sh tests/vm/fetch-kernels.sh "$cache" >"$out/kernels" 2>"$out/fetch.log"; then
	u_fail "debian_kernels_downloaded" "$(tail -5 "$out/fetch.log")"
	return 0
fi
u_ok "debian_kernels_downloaded"

cp=$(awk '$1 == "checkpatch" { print $2 }' "$out/kernels")
res=$(perl "$cp" --no-tree --strict --quiet -f kmod/ptdump_helper.c 2>&1)
if [ -z "$res" ]; then u_ok "module_checkpatch_strict_clean"; else u_fail "module_checkpatch_strict_clean" "$res"; fi

if ! make -s build/static/ptinspect build/static/helpers/subject build/static/helpers/kstress >"$out/static.log" 2>&1; then
	u_fail "static_binaries_build" "$(tail -5 "$out/static.log")"
	return 0
fi

grep -v '^checkpatch ' "$out/kernels" | while read -r line dir rel; do
	kb=$out/$rel/kmod
	rm -rf "$kb"
	mkdir -p "$kb"
	cp kmod/ptdump_helper.c kmod/Kbuild "$kb/"
	if make -C "$dir/root/usr/src/linux-headers-$rel" M="$(pwd)/$kb" modules >"$kb/build.log" 2>&1 &&
		! grep -q 'warning:' "$kb/build.log"; then
		u_ok "module_builds_warning_free ($line)"
	else
		u_fail "module_builds_warning_free ($line)" "$(grep -E 'warning|error' "$kb/build.log" | head -10)"
		continue
	fi
	root=$out/$rel/initramfs
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
	cp /bin/busybox "$root/bin/busybox"
	cp tests/vm/init "$root/init"
	cp tests/vm/guest.sh tests/lib.sh "$root/"
	cp "$kb/ptdump_helper.ko" build/static/ptinspect build/static/helpers/subject \
		build/static/helpers/kstress "$root/"
	chmod +x "$root/init"
	(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$out/$rel/initramfs.gz"
	for paging in la57 4level; do
		cpu=max
		[ $paging = 4level ] && cpu=max,la57=off
		log=$out/$rel/$paging
		rm -f "$log.out" "$log.console"
		timeout 900 qemu-system-x86_64 -nographic -no-reboot -m 1536 -smp 2 -cpu "$cpu" \
			-kernel "$dir/root/boot/vmlinuz-$rel" -initrd "$out/$rel/initramfs.gz" \
			-append "console=ttyS0 panic=-1 loglevel=4 pt.suite=guest" \
			-serial "file:$log.console" -serial "file:$log.out" -monitor none \
			</dev/null >/dev/null 2>"$log.qemu"
		$PY tests/vm/check.py "$log.out" "$line" "$paging"
	done
done
}

# TAP lines are printed unnumbered ("ok - name"); the plan is counted here
main | awk '{ print } /^(ok|not ok) / { n++ } END { print "1.." n }'
