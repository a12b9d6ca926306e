#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Inside the VM: every lesson through the module, answered with '-' (no
# answer), as JSON, so tests/vm/check.py can check each key against the
# observation it came from and the keys that differ between kernels.
# Sourced by guest.sh; alone (pt.suite=learn) for a quick boot.
PTINSPECT=${PTINSPECT:-/ptinspect}
if ! command -v section >/dev/null 2>&1; then
	section() {
		sec=$1
		shift
		echo "@@begin $sec"
		"$@" 2>&1
		echo "@@end $sec"
	}
	echo "@@uname $(uname -r)"
fi
i=0
while [ $i -lt 16 ]; do
	echo -
	i=$((i + 1))
done >/tmp/dashes.ans
# the KSM lesson needs ksmd: this guest is the test's own machine
ksm=$(cat /sys/kernel/mm/ksm/run 2>/dev/null)
echo 1 >/sys/kernel/mm/ksm/run 2>/dev/null
for l in $($PTINSPECT learn | sed -n 's/^  \([a-z0-9-]*\) .*/\1/p'); do
	# section names without a dot: check.py reads dotted ones as dumps
	section "learn_$(echo "$l" | tr - _)" $PTINSPECT learn "$l" --backend kmod --json \
		--answers /tmp/dashes.ans
done
[ -n "$ksm" ] && echo "$ksm" >/sys/kernel/mm/ksm/run
echo "@@learn-done"
