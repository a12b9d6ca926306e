#!/bin/sh
# Download Debian bookworm's two cloud kernel lines (image + headers) into a
# cache outside the tree and unpack them there.  Nothing is installed
# system-wide: apt-get download + dpkg-deb -x only.
#
# Usage: fetch-kernels.sh [CACHE [kernels|checkpatch|all]]
# Prints one line per kernel (LINE DIR RELEASE) and one for checkpatch.
set -eu

cache=${1:-${PTINSPECT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ptinspect}}
mkdir -p "$cache/debs"

# Resolve the versioned package behind a meta-package at run time.
dep_of() {
	apt-cache depends "$1" 2>/dev/null |
		sed -n "s/^ *Depends: \($2[^ ]*\).*/\1/p" | head -n 1
}

fetch_line() {
	line=$1 meta=$2
	img=$(dep_of "$meta" linux-image-)
	# package lists may be missing on a fresh machine: read them once
	if [ -z "$img" ] && [ "$(id -u)" -eq 0 ]; then
		apt-get update -q >/dev/null 2>&1
		img=$(dep_of "$meta" linux-image-)
	fi
	[ -n "$img" ] || { echo "fetch-kernels: cannot resolve $meta (run apt-get update)" >&2; return 1; }
	rel=${img#linux-image-}
	hdr=linux-headers-$rel
	common=$(apt-cache depends "$hdr" | sed -n 's/^ *Depends: \(linux-headers-[^ ]*-common\).*/\1/p' | head -n 1)
	kbuild=$(apt-cache depends "$hdr" | sed -n 's/^ *Depends: \(linux-kbuild-[^ ]*\).*/\1/p' | head -n 1)
	dir=$cache/$rel
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir"
		mkdir -p "$dir/root"
		(cd "$cache/debs" && for p in "$img" "$hdr" "$common" "$kbuild"; do
			ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download -q "$p" >&2
		done)
		for p in "$img" "$hdr" "$common" "$kbuild"; do
			dpkg-deb -x "$(ls "$cache/debs/${p}"_*.deb | tail -n 1)" "$dir/root"
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

# The kernel's checkpatch.pl, from Debian's source package of the newer line.
fetch_checkpatch() {
	dir=$cache/checkpatch
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		(cd "$cache/debs" && { ls linux-source-6.12_*.deb >/dev/null 2>&1 ||
			apt-get download -q linux-source-6.12 >&2; })
		deb=$(ls "$cache/debs"/linux-source-6.12_*.deb | tail -n 1)
		dpkg-deb --fsys-tarfile "$deb" |
			tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
			tar -xJ -C "$dir" --wildcards --strip-components=1 \
				'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
				'*/scripts/const_structs.checkpatch'
		touch "$dir/.done"
	fi
	echo "checkpatch $dir/scripts/checkpatch.pl"
}

case ${2:-all} in
checkpatch) fetch_checkpatch ;;
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
