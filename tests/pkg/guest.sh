#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /pkg.sh in the VM (pt.suite=pkg): /init loaded the modules DKMS built
# from the ptdump-helper-dkms package; report which ones and dump a THP
# through ptdump_helper.  tests/pkg/run.sh asserts on the "@@" lines.
. /lib.sh
# shellcheck disable=SC2034 # lib.sh's subject_start runs it
SUBJECT="/ptinspect subject"
echo "@@uname $(uname -r)"
# the file /init loaded, and the state the kernel holds it in
for m in ptdump_helper ptdump_pfnmap; do
	echo "@@md5 $m $(md5sum </$m.ko | cut -d ' ' -f 1)"
	echo "@@state $m $(cat /sys/module/$m/initstate 2>&1)"
done
subject_start
subject map thp 2097152
A=$R
subject write "$A"
/ptinspect dump --backend kmod --pid "$S_PID" --addr "$A" --json >/tmp/d.json 2>&1
echo "@@dump rc $?"
sed -n 's/^ *"source": "\([a-z]*\)".*/@@source \1/p' /tmp/d.json
sed -n 's/^ *"level": "\([a-z0-9]*\)".*/@@level \1/p' /tmp/d.json
subject_stop
echo "@@done"
