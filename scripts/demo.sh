#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: start a subject process, write a private THP and a 4K page,
# fork, and show parent and child side by side before and after the
# child writes (source: the module when loaded, else /proc).
set -eu
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'exec 7>&-; kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
mkfifo "$dir/in"
build/plain/helpers/subject <"$dir/in" >"$dir/out" &
pid=$!
exec 7>"$dir/in"
n=1
ask() {
	echo "$*" >&7
	n=$((n + 1))
	while [ "$(wc -l <"$dir/out")" -lt $n ]; do sleep 0.02; done
	r=$(sed -n "${n}p" "$dir/out" | awk '{print $2}')
}
ask map thp 2097152
thp=$r
ask write "$thp"
ask fork
child=$r
echo "== private THP written by the parent, then fork"
./ptinspect dump --pid "$pid" --child "$child" --addr "$thp"
ask c write "$thp"
echo
echo "== the child writes: it gets its own page"
./ptinspect dump --pid "$pid" --child "$child" --addr "$thp"
echo
echo "== the same entry as JSON (parent)"
./ptinspect dump --pid "$pid" --addr "$thp" --json
