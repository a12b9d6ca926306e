#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM for bench/kmod-vm.sh (as /kmodbench.sh, pt.suite=
# kmodbench): per size, REPS rounds of kwalk's bench (the module's walk
# and ptinspect dump --backend kmod --range against a bulk pagemap read,
# tests/helpers/kwalk.c); in each round /ptinspect.base, when there is
# one, runs right after /ptinspect, so both see the same load.
REPS=@REPS@
echo "@@uname $(uname -r)"
# 4 KiB pages, then 1 GiB of THP (MADV_HUGEPAGE, as many as the VM gives),
# then 256 MiB whose PFNs seldom follow each other (kwalk's scat)
for size in 256 1024 1024:thp 256:scat; do
	mib=${size%%:*} thp=
	[ "$size" = "$mib" ] || thp=${size#*:}
	i=0
	while [ $i -lt $REPS ]; do
		for bin in /ptinspect /ptinspect.base; do
			[ -x $bin ] || continue
			echo "@@bin $bin"
			/kwalk bench $mib $bin $thp
		done
		i=$((i + 1))
	done
done
echo "@@done"
