#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Builds the debug kernel of the VM suite once: Debian's linux-source-6.12,
# `make tinyconfig` plus tests/vm/debug.config (KASAN, lockdep, DEBUG_VM,
# DEBUG_PAGEALLOC, PAGE_TABLE_CHECK...), bzImage and the build tree an
# out-of-tree module is built against (make -C TREE M=DIR).
#
# The result is cached outside the tree in CACHE/debug-HASH, HASH covering
# the fragment, the source package and the compiler, so a second run only
# prints the line.  Laid out like an unpacked Debian kernel, so vmlib.sh
# boots it and builds modules against it the same way:
#   DIR/root/boot/vmlinuz-REL, DIR/root/usr/src/linux-headers-REL
#
# Usage: debug-kernel.sh [CACHE]   (PT_DEBUG_CONFIG names another fragment)
# Prints "debug DIR RELEASE"; the build log is DIR.log (DIR/build.log once
# built); a failed build leaves only the log.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
frag=${PT_DEBUG_CONFIG:-$here/debug.config}
cache=${1:-${PTINSPECT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ptinspect}}
mkdir -p "$cache/debs"

deb=$(ls "$cache/debs"/linux-source-6.12_*.deb 2>/dev/null | tail -n 1 || true)
if [ -z "$deb" ]; then
	(cd "$cache/debs" && apt-get download -q linux-source-6.12 >&2)
	deb=$(ls "$cache/debs"/linux-source-6.12_*.deb | tail -n 1)
fi
ver=$(dpkg-deb -f "$deb" Version)
# the module must be built by the compiler that built the kernel
key=$( (cat "$frag"; echo "$ver"; ${CC:-gcc} --version | head -n 1) |
	sha256sum | cut -c 1-12)
dir=$cache/debug-$key

print_line() {
	echo "debug $dir $(cat "$dir/release")"
}
[ -f "$dir/.done" ] && { print_line; exit 0; }

# one build at a time per cache, even from several worktrees
exec 9>"$dir.lock"
if command -v flock >/dev/null; then
	flock 9
	[ -f "$dir/.done" ] && { print_line; exit 0; }
fi

log=$dir.log
: >"$log"
echo "debug-kernel: building $dir (log $log)" >&2
rm -rf "$dir"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/src" "$dir/obj" "$dir/root/boot" "$dir/root/usr/src"

dpkg-deb --fsys-tarfile "$deb" |
	tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
	tar -xJ -C "$dir/src" --strip-components=1

kmake() {
	make -C "$dir/src" O="$dir/obj" ARCH=x86_64 "$@" >>"$log" 2>&1
}
kmake tinyconfig
cat "$frag" >>"$dir/obj/.config"
kmake olddefconfig

# Kconfig drops what it cannot satisfy without a word: check every line.
bad=
while IFS= read -r l; do
	case $l in
	CONFIG_*=*)
		grep -qxF "$l" "$dir/obj/.config" || bad="$bad
  wanted $l, got: $(grep -E "^(# )?${l%%=*}[= ]" "$dir/obj/.config" || echo absent)"
		;;
	"# CONFIG_"*" is not set")
		o=${l#\# }
		o=${o%% *}
		! grep -q "^$o=" "$dir/obj/.config" || bad="$bad
  wanted $l, got: $(grep "^$o=" "$dir/obj/.config")"
		;;
	esac
done <"$frag"
if [ -n "$bad" ]; then
	echo "debug-kernel: options of $frag that olddefconfig did not keep:$bad" >&2
	exit 1
fi

start=$(date +%s)
# modules: runs modpost, which writes the Module.symvers M= builds read
if ! kmake -j"$(nproc)" bzImage modules; then
	tail -n 30 "$log" >&2
	exit 1
fi
echo $(($(date +%s) - start)) >"$dir/build-seconds"
echo "debug-kernel: built in $(cat "$dir/build-seconds") s" >&2

rel=$(cat "$dir/obj/include/config/kernel.release")
ln -s ../../obj/arch/x86/boot/bzImage "$dir/root/boot/vmlinuz-$rel"
ln -s ../../../obj "$dir/root/usr/src/linux-headers-$rel"
echo "$rel" >"$dir/release"
mv "$log" "$dir/build.log"
touch "$dir/.done"
trap - EXIT
print_line
