#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Builds the Debian packages (debian/) from a copy of the tree, the files
# git knows, committed or not, in OUT/ptinspect-VERSION, so that
# dpkg-buildpackage's ../*.deb land in OUT, not beside the checkout.
# Usage: deb.sh OUT; prints the packages; the log is OUT/build.log.
set -eu
cd "$(dirname "$0")/.."
out=$1
ver=$(dpkg-parsechangelog -S Version)
# one version: the package's is the program's (VERSION, --version)
if [ "$ver" != "$(cat VERSION)" ]; then
	echo "deb: debian/changelog says $ver, VERSION says $(cat VERSION)" >&2
	exit 1
fi
src=$out/ptinspect-$ver
rm -rf "$out"
mkdir -p "$src"
git ls-files -z -co --exclude-standard | cpio -0 -pdm --quiet "$src"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
	tail -n 20 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed; see $out/build.log" >&2
	exit 1
fi
ls "$out"/*.deb
