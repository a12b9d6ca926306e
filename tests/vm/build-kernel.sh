#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Builds a kernel of the VM suite once, from source: `make tinyconfig` plus
# a fragment of what the lab needs, bzImage (arm64: Image) and the build
# tree an out-of-tree module is built against (make -C TREE M=DIR).
#
#   debug      Debian's linux-source-6.12 with tests/vm/debug.config
#              (KASAN, lockdep, DEBUG_VM, DEBUG_PAGEALLOC, PAGE_TABLE_CHECK...)
#   6.18 7.1   the upstream trees of SHARED/kernels (linux-V.tar.xz, checked
#              against its .sha256) with tests/vm/lab.config
#   7.1-arm64  the 7.1 tree cross-built (aarch64-linux-gnu-) with
#              tests/vm/lab-arm64.config, for qemu-system-aarch64 -M virt
#
# SHARED is PT_SHARED, else ../shared beside the clone (as CI has it), else
# beside the main checkout of a git worktree.  The result is cached outside
# the tree in CACHE/NAME-HASH, HASH covering the fragment, the source (the
# Debian package's version or the tarball's sha256), the architecture and
# the compiler, so a second run only prints the line.  Laid out like an
# unpacked Debian kernel, so vmlib.sh boots it and builds modules against
# it the same way:
#   DIR/root/boot/vmlinuz-REL, DIR/root/usr/src/linux-headers-REL
#
# Usage: build-kernel.sh NAME [CACHE]   (PT_DEBUG_CONFIG names another
# fragment for debug).  Prints "NAME DIR RELEASE"; the build log is DIR.log
# (DIR/build.log once built); a failed build leaves only the log.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
name=${1:?usage: build-kernel.sh debug|6.18|7.1|7.1-arm64 [CACHE]}
cache=${2:-${PTINSPECT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ptinspect}}
mkdir -p "$cache/debs"

shared_dir() {
	if [ -n "${PT_SHARED:-}" ]; then
		echo "$PT_SHARED"
		return
	fi
	top=$(cd "$here/../.." && pwd)
	if [ -d "$top/../shared/kernels" ]; then
		(cd "$top/../shared" && pwd)
		return
	fi
	# a git worktree: beside the main checkout
	common=$(git -C "$top" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
	if [ -n "$common" ] && [ -d "$common/../../shared/kernels" ]; then
		(cd "$common/../../shared" && pwd)
		return
	fi
	echo "build-kernel: no shared/kernels beside $top (set PT_SHARED)" >&2
	return 1
}

arch=x86_64 cross='' image=arch/x86/boot/bzImage target=bzImage
case $name in
debug)
	frag=${PT_DEBUG_CONFIG:-$here/debug.config}
	deb=$(ls "$cache/debs"/linux-source-6.12_*.deb 2>/dev/null | tail -n 1 || true)
	if [ -z "$deb" ]; then
		(cd "$cache/debs" && apt-get download -q linux-source-6.12 >&2)
		deb=$(ls "$cache/debs"/linux-source-6.12_*.deb | tail -n 1)
	fi
	src_id=$(dpkg-deb -f "$deb" Version)
	;;
6.18 | 7.1 | 7.1-arm64)
	frag=$here/lab.config
	case $name in
	*-arm64)
		frag=$here/lab-arm64.config
		arch=arm64 cross=aarch64-linux-gnu- image=arch/arm64/boot/Image target=Image
		;;
	esac
	shared=$(shared_dir)
	tarball=$(ls "$shared/kernels/linux-${name%-arm64}".*.tar.xz | tail -n 1)
	sum=$(cut -d ' ' -f 1 "$tarball.sha256")
	# the checksum is read once per cache: a 60 MB xz takes seconds
	if ! grep -qxF "$sum $tarball" "$cache/tarballs.ok" 2>/dev/null; then
		(cd "$(dirname "$tarball")" && sha256sum -c --quiet "$(basename "$tarball").sha256") >&2 || {
			echo "build-kernel: $tarball does not match its .sha256" >&2
			exit 1
		}
		echo "$sum $tarball" >>"$cache/tarballs.ok"
	fi
	src_id=$sum
	;;
*)
	echo "build-kernel: unknown kernel $name (debug, 6.18, 7.1 or 7.1-arm64)" >&2
	exit 2
	;;
esac

# the module must be built by the compiler that built the kernel; the
# debug kernel's key is the one it always had (no architecture in it)
cc=${cross:+${cross}gcc}
cc_line=$(${cc:-${CC:-gcc}} --version | head -n 1)
if [ "$name" = debug ]; then
	key=$( (cat "$frag"; echo "$src_id"; echo "$cc_line") | sha256sum | cut -c 1-12)
else
	key=$( (cat "$frag"; echo "$src_id"; echo "$arch"; echo "$cc_line") | sha256sum | cut -c 1-12)
fi
dir=$cache/$name-$key

print_line() {
	echo "$name $dir $(cat "$dir/release")"
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
echo "build-kernel: building $dir (log $log)" >&2
rm -rf "$dir"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/src" "$dir/obj" "$dir/root/boot" "$dir/root/usr/src"

if [ "$name" = debug ]; then
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
		tar -xJ -C "$dir/src" --strip-components=1
else
	tar -xJf "$tarball" -C "$dir/src" --strip-components=1
fi

kmake() {
	make -C "$dir/src" O="$dir/obj" ARCH=$arch ${cross:+CROSS_COMPILE=$cross} "$@" >>"$log" 2>&1
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
	echo "build-kernel: options of $frag that olddefconfig did not keep:$bad" >&2
	exit 1
fi

start=$(date +%s)
# modules: runs modpost, which writes the Module.symvers M= builds read
if ! kmake -j"$(nproc)" $target modules; then
	tail -n 30 "$log" >&2
	exit 1
fi
echo $(($(date +%s) - start)) >"$dir/build-seconds"
echo "build-kernel: $name built in $(cat "$dir/build-seconds") s" >&2

rel=$(cat "$dir/obj/include/config/kernel.release")
ln -s "../../obj/$image" "$dir/root/boot/vmlinuz-$rel"
ln -s ../../../obj "$dir/root/usr/src/linux-headers-$rel"
echo "$rel" >"$dir/release"
mv "$log" "$dir/build.log"
touch "$dir/.done"
trap - EXIT
print_line
