#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Builds the Debian packages from a copy of the tree (the files git knows,
# committed or not) in OUT/src, so that dpkg-buildpackage's ../*.deb land
# in OUT, not beside the checkout.  Usage: build.sh OUT; the log is
# OUT/build.log, the packages OUT/*.deb.
set -eu
cd "$(dirname "$0")/../.."
out=$1
ver=$(dpkg-parsechangelog -S Version)
src=$out/ptinspect-$ver
rm -rf "$out"
mkdir -p "$src"
git ls-files -z -co --exclude-standard | cpio -0 -pdm --quiet "$src"
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1
ls "$out"/*.deb
