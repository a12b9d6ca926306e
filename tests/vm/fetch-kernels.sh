#!/bin/sh
# Download Debian bookworm's two cloud kernel lines (image + headers) into a
# cache outside the tree and unpack them there.  Nothing is installed
# system-wide: apt-get download + dpkg-deb -x only.
#
# Usage: fetch-kernels.sh [CACHE [kernels|checkpatch|all|arm64|source-6.1]]
# Prints one line per kernel (LINE DIR RELEASE) and one for checkpatch;
# source-6.1: "source-6.1 DIR VERSION", Debian's 6.1 source (part of it).
# arm64: the arm64 cloud kernels and headers (foreign architecture arm64
# must be enabled: dpkg --add-architecture arm64), cached in debs-arm64;
# the host's (amd64) linux-kbuild of the same version builds modules for
# them with the cross compiler the headers name.
set -eu

cache=${1:-${PTINSPECT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ptinspect}}
mkdir -p "$cache/debs"
# the architecture of the kernel packages, and where their debs go
arch=amd64 debs=$cache/debs

# Resolve the versioned package behind a meta-package at run time.
dep_of() {
	apt-cache depends "$1" 2>/dev/null |
		sed -n "s/^ *Depends: \($2[^ ]*\).*/\1/p" | head -n 1
}

fetch_line() {
	line=$1 meta=$2
	img=$(dep_of "$meta:$arch" linux-image-)
	# package lists may be missing on a fresh machine: read them once
	if [ -z "$img" ] && [ "$(id -u)" -eq 0 ]; then
		apt-get update -q >/dev/null 2>&1
		img=$(dep_of "$meta:$arch" linux-image-)
	fi
	[ -n "$img" ] || { echo "fetch-kernels: cannot resolve $meta:$arch (run apt-get update)" >&2; return 1; }
	img=${img%%:*}
	rel=${img#linux-image-}
	hdr=linux-headers-$rel
	common=$(apt-cache depends "$hdr:$arch" | sed -n 's/^ *Depends: <\?\(linux-headers-[^ :]*-common\).*/\1/p' | head -n 1)
	kbuild=$(apt-cache depends "$hdr:$arch" | sed -n 's/^ *Depends: \(linux-kbuild-[^ :]*\).*/\1/p' | head -n 1)
	dir=$cache/$rel
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir"
		mkdir -p "$dir/root" "$debs"
		(cd "$debs" && for p in "$img" "$hdr"; do
			ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download -q "$p:$arch" >&2
		done
		ls "${common}"_*.deb >/dev/null 2>&1 || apt-get download -q "$common" >&2)
		# kbuild runs on the host: always the host's build of it
		(cd "$cache/debs" && { ls "${kbuild}"_*.deb >/dev/null 2>&1 ||
			apt-get download -q "$kbuild" >&2; })
		for d in "$debs/$img" "$debs/$hdr" "$debs/$common" "$cache/debs/$kbuild"; do
			dpkg-deb -x "$(ls "$d"_*.deb | tail -n 1)" "$dir/root"
		done
		# The headers' top Makefile includes the -common tree by an
		# absolute /usr/src path: point it into the cache instead.
		mk=$dir/root/usr/src/$hdr/Makefile
		sed -i "s|/usr/src/|$dir/root/usr/src/|g" "$mk"
		# The kbuild scripts are linked by absolute path too.
		for l in "$dir/root/usr/src/$hdr/scripts" "$dir/root/usr/src/$hdr/tools"; do
			if [ -L "$l" ]; then
				t=$(readlink "$l")
				case $t in /*) ln -sfn "$dir/root$t" "$l" ;; esac
			fi
		done
		touch "$dir/.done"
	fi
	echo "$line $dir $rel"
}

# Debian's linux-source-VER .deb, downloaded once into the cache: its path.
source_deb() {
	(cd "$cache/debs" && { ls "linux-source-$1"_*.deb >/dev/null 2>&1 ||
		apt-get download -q "linux-source-$1" >&2; })
	ls "$cache/debs/linux-source-$1"_*.deb | tail -n 1
}

# The kernel's checkpatch.pl, from Debian's source package of the newer line.
fetch_checkpatch() {
	dir=$cache/checkpatch
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		deb=$(source_deb 6.12)
		dpkg-deb --fsys-tarfile "$deb" |
			tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
			tar -xJ -C "$dir" --wildcards --strip-components=1 \
				'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
				'*/scripts/const_structs.checkpatch'
		touch "$dir/.done"
	fi
	echo "checkpatch $dir/scripts/checkpatch.pl"
}

# Debian's linux-source-6.1, the kernel the rows' 6.1 lines are read from:
# only the trees they cite, for tests/vm/rows_cite.py (nothing is built).
fetch_source61() {
	dir=$cache/source-6.1
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir"
		mkdir -p "$dir/src"
		deb=$(source_deb 6.1)
		dpkg-deb -f "$deb" Version >"$dir/version"
		dpkg-deb --fsys-tarfile "$deb" |
			tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
			tar -xJ -C "$dir/src" --strip-components=1 linux-source-6.1/Makefile \
				linux-source-6.1/mm linux-source-6.1/fs linux-source-6.1/io_uring \
				linux-source-6.1/include linux-source-6.1/kernel \
				linux-source-6.1/arch/x86 linux-source-6.1/arch/arm64
		touch "$dir/.done"
	fi
	echo "source-6.1 $dir/src $(cat "$dir/version")"
}

# busybox-static of the kernels' architecture, unpacked (never installed:
# it would replace the host's /bin/busybox)
fetch_busybox() {
	dir=$cache/busybox-$arch
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir"
		mkdir -p "$dir" "$debs"
		(cd "$debs" && { ls busybox-static_*_"$arch".deb >/dev/null 2>&1 ||
			apt-get download -q "busybox-static:$arch" >&2; })
		dpkg-deb -x "$(ls "$debs"/busybox-static_*_"$arch".deb | tail -n 1)" "$dir"
		touch "$dir/.done"
	fi
	echo "busybox $dir/bin/busybox"
}

case ${2:-all} in
checkpatch) fetch_checkpatch ;;
source-6.1) fetch_source61 ;;
arm64)
	arch=arm64 debs=$cache/debs-arm64
	fetch_line 6.1 linux-image-cloud-arm64
	fetch_line 6.12 linux-image-6.12-cloud-arm64
	fetch_busybox
	fetch_checkpatch
	;;
kernels)
	fetch_line 6.1 linux-image-cloud-amd64
	fetch_line 6.12 linux-image-6.12-cloud-amd64
	;;
*)
	fetch_line 6.1 linux-image-cloud-amd64
	fetch_line 6.12 linux-image-6.12-cloud-amd64
	fetch_checkpatch
	;;
esac
