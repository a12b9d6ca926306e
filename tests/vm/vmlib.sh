# SPDX-License-Identifier: GPL-2.0
# Shared by tests/vm/run.sh and make demo: the Debian kernels, the module
# built against each, and the initramfs that boots it.
# shellcheck shell=sh

VM_CACHE=${PTINSPECT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ptinspect}
VM_OUT=${VM_OUT:-build/vm}
# amd64 (qemu-system-x86_64) or arm64 (qemu-system-aarch64 -M virt)
VM_ARCH=${VM_ARCH:-amd64}

# The build variant of the guest's static binaries, and its busybox
vm_variant() {
	if [ "$VM_ARCH" = arm64 ]; then echo static-arm64; else echo static; fi
}
vm_busybox() {
	if [ "$VM_ARCH" = arm64 ]; then
		echo "$VM_CACHE/busybox-arm64/bin/busybox"
	else
		echo /bin/busybox
	fi
}

# Lines "LINE DIR RELEASE" of the downloaded kernels (and one "checkpatch";
# with VM_ARCH=arm64 the arm64 kernels and one "busybox")
vm_fetch() {
	mkdir -p "$VM_OUT"
	what=${1:-all}
	[ "$VM_ARCH" = arm64 ] && what=arm64
	sh tests/vm/fetch-kernels.sh "$VM_CACHE" "$what" >"$VM_OUT/kernels" 2>"$VM_OUT/fetch.log"
}

vm_static() {
	v=$(vm_variant)
	make -s "build/$v/ptinspect" "build/$v/helpers/kstress" \
		"build/$v/helpers/pfnsplit" "build/$v/helpers/kwalk" >"$VM_OUT/static.log" 2>&1
}

# The modules kmod/Kbuild names (obj-m), one per line
vm_kmods() {
	sed -n 's/^obj-m[ :+]*=//p' kmod/Kbuild | tr ' \t' '\n\n' | sed -n 's/\.o$//p'
}

# vm_module DIR RELEASE: builds every module of kmod/Kbuild against the
# kernel's headers (or build tree); the log is kmod/build.log
vm_module() {
	kb=$VM_OUT/$2/kmod
	rm -rf "$kb"
	mkdir -p "$kb"
	cp kmod/Kbuild "$kb/"
	for h in kmod/*.h; do
		[ -f "$h" ] && cp "$h" "$kb/"
	done
	for m in $(vm_kmods); do
		cp "kmod/$m.c" "$kb/" || return 1
	done
	# arm64 headers name their cross compiler only when dpkg's build and
	# host architectures differ (6.1's .kernelvariables), and a kernel
	# build tree (tests/vm/build-kernel.sh) not even its architecture:
	# say both here
	cross=
	[ "$VM_ARCH" = arm64 ] && cross="ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"
	make -C "$1/root/usr/src/linux-headers-$2" M="$(pwd)/$kb" $cross modules >"$kb/build.log" 2>&1 &&
		! grep -q 'warning:' "$kb/build.log" || return 1
	# ptdump_helper as built for a kernel without the IPI after a hugetlb
	# pmd table is unshared (its Kbuild test left out), for guest.sh
	ns=$kb/nosync
	mkdir -p "$ns"
	cp "$kb/"*.h "$kb/ptdump_helper.c" "$ns/" 2>/dev/null
	grep -v HUGETLB_UNSHARE_SYNC kmod/Kbuild | sed 's/^obj-m .*/obj-m := ptdump_helper.o/' >"$ns/Kbuild"
	make -C "$1/root/usr/src/linux-headers-$2" M="$(pwd)/$ns" $cross modules >"$ns/build.log" 2>&1 &&
		! grep -q 'warning:' "$ns/build.log" && cp "$ns/ptdump_helper.ko" "$kb/ptdump_helper-nosync.ko"
}

# vm_initramfs RELEASE [DIR]: busybox, the module, static binaries, the
# guest scripts and the terminfo entries a TUI on the serial console needs;
# and the kernel's config as /boot/config-RELEASE, where distributions put
# it (from DIR's headers), for the rows that hold only with an option set.
vm_initramfs() {
	root=$VM_OUT/$1/initramfs
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/lib/terminfo" \
		"$root/boot"
	[ -z "${2:-}" ] || [ ! -f "$2/root/usr/src/linux-headers-$1/.config" ] ||
		cp "$2/root/usr/src/linux-headers-$1/.config" "$root/boot/config-$1"
	v=build/$(vm_variant)
	cp "$(vm_busybox)" "$root/bin/busybox"
	cp tests/vm/init "$root/init"
	cp tests/vm/guest.sh tests/vm/guest-arm64.sh tests/vm/demo.sh tests/vm/learn.sh \
		tests/vm/pudsplit.sh tests/lib.sh "$root/"
	cp "$VM_OUT/$1/kmod/"*.ko "$v/ptinspect" "$v/helpers/kstress" \
		"$v/helpers/pfnsplit" "$v/helpers/kwalk" "$root/"
	for t in xterm xterm-256color screen screen-256color tmux tmux-256color linux vt100 vt220 dumb; do
		for d in /lib/terminfo /usr/share/terminfo; do
			f=$(ls "$d"/*/"$t" 2>/dev/null | head -n 1)
			[ -n "$f" ] || continue
			mkdir -p "$root/lib/terminfo/$(basename "$(dirname "$f")")"
			cp "$f" "$root/lib/terminfo/$(basename "$(dirname "$f")")/"
			break
		done
	done
	# the C.UTF-8 locale (libc-bin), so the static ptinspect draws UTF-8
	if [ -d /usr/lib/locale/C.utf8 ]; then
		mkdir -p "$root/usr/lib/locale"
		cp -r /usr/lib/locale/C.utf8 "$root/usr/lib/locale/"
	fi
	chmod +x "$root/init"
	(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$VM_OUT/$1/initramfs.gz"
}

# vm_boot DIR RELEASE CPU APPEND SERIAL...: QEMU without KVM, 2.5 GiB of
# which 1 GiB at 1 GiB is reserved for the module's pfnmap_pud (the rest
# stays above 512 MiB, below which THP is off).  Single-threaded TCG: with
# one host thread per vCPU, the kernel's int3-based text patching (static
# keys flipping) raced and oopsed ("Oops: int3" in handle_mm_fault) once.
#
# arm64: the virt machine, 2 GiB, no reserved GiB (no pud pfnmap on arm64,
# and no memmap=), one PL011 UART for the console and the suite's output
# (pt.out= for tests/vm/init, pt.con= for demo.sh).  pauth-impdef: QEMU's own pointer
# authentication instead of QARMA, which TCG emulates slowly.
vm_boot() {
	dir=$1 rel=$2 cpu=$3 append=$4
	shift 4
	if [ "$VM_ARCH" = arm64 ]; then
		qemu-system-aarch64 -nographic -no-reboot -M virt -m 2048 -smp 2 \
			-cpu "$cpu" -accel tcg,thread=single \
			-kernel "$dir/root/boot/vmlinuz-$rel" -initrd "$VM_OUT/$rel/initramfs.gz" \
			-append "console=ttyAMA0 panic=-1 pt.out=ttyAMA0 pt.con=ttyAMA0 $append" "$@"
		return
	fi
	# no_timer_check: on a loaded host the IO-APIC timer test timed out
	# under TCG once ("IO-APIC + timer doesn't work!", 7.1 lab kernel)
	qemu-system-x86_64 -nographic -no-reboot -m 2560 -smp 2 -cpu "$cpu" \
		-accel tcg,thread=single \
		-kernel "$dir/root/boot/vmlinuz-$rel" -initrd "$VM_OUT/$rel/initramfs.gz" \
		-append "console=ttyS0 panic=-1 no_timer_check memmap=1G\$0x40000000 pt.pud=0x40000000 $append" "$@"
}
