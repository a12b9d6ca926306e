#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Whole TUI screens without a terminal: real lab scripts on this
# machine's kernel through /proc, their screens written as text by the
# `screen` command into --screen FILE, compared with the expected files
# in tests/screens/MAJOR.MINOR/ (this kernel's version: what the kernel
# does differs between versions).
#
# `screen ... stable` puts placeholders where runs differ (PID, ADDR,
# pfn 0x..., counts N, the kernel without its build), nothing else is
# filtered: a moved box, a changed word or a changed bit fails the diff.
# Marker lines of '^' under a line are the cells the terminal highlights.
#
# To record the files for a new kernel, or after a deliberate layout
# change: PT_SCREENS_UPDATE=1 bash tests/host/screens.sh, then read every
# changed file (git diff) before committing it.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

rel=$(uname -r)
kver=$(echo "$rel" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
dir=tests/screens/$kver
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# case NAME KIND SCRIPT [LAB OPTIONS...]: the script's screens vs NAME.txt
case_() {
	local name=$1 kind=$2 script=$3 out=$tmp/$1.txt
	shift 3
	if ! "$PTINSPECT" lab --kind "$kind" --script "$script" --screen "$out" "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.err"; then
		t_fail "screen_$name" "ptinspect lab failed:" "$(cat "$tmp/$name.err")"
		return
	fi
	if [ -n "${PT_SCREENS_UPDATE:-}" ]; then
		mkdir -p "$dir"
		cp "$out" "$dir/$name.txt"
	fi
	if [ ! -f "$dir/$name.txt" ]; then
		t_skip "screen_$name" "no expected screens for kernel $kver (PT_SCREENS_UPDATE=1 records them)"
	elif diff -u "$dir/$name.txt" "$out" >"$tmp/$name.diff"; then
		t_ok "screen_$name"
	else
		t_fail "screen_$name" "$(head -60 "$tmp/$name.diff")"
	fi
}

# side by side and stacked: the header, boxes, what, why, timeline
case_ thp-fork-110x42 thp "write parent; fork; screen 110x42 stable"
case_ thp-fork-80x50 thp "write parent; fork; screen 80x50 stable"
# view commands move the shown step, the timeline's mark with it
case_ thp-back-step-110x42 thp \
	"write parent; fork; back; screen 110x42 stable; step; screen 110x42 stable"
# copy-on-write: the child's frame changes, a state no row describes
case_ anon-cow-120x40 anon "write parent; fork; write child; screen 120x40 stable"
# a wrong expectation: UNEXPECTED, and !! in the timeline
case_ anon-unexpected-110x42 anon "write parent; fork; screen 110x42 stable" \
	--expect "anon:fork:parent:error=1"
case_ anon-not-modelled-110x42 anon "write parent; madvise pageout; screen 110x42 stable"
# every step of a built-in scenario, in a short terminal
case_ shared-steps-104x24 shared \
	"screen 104x24 stable; write parent; screen 104x24 stable; fork; screen 104x24 stable; write child; screen 104x24 stable"

# Without stable, the screen shows this run's values: the pids and the
# frame the text view prints for the same step.
"$PTINSPECT" lab --kind thp --script "write parent; fork; screen 110x42" \
	>"$tmp/raw.out" 2>/dev/null
pids=$(sed -n 's/^parent \([0-9]*\) *child \([0-9]*\)$/\1 \2/p' "$tmp/raw.out" | tail -1)
pfn=$(sed -n 's/^pm: present .* pfn=\(0x[0-9a-f]*\) .*/\1/p' "$tmp/raw.out" | tail -1)
set -- $pids
if [ -n "$2" ] && grep -q "─ parent $1 ─.*─ child $2 ─" "$tmp/raw.out" &&
	[ -n "$pfn" ] && grep -q "pagemap: present, shared pfn $pfn " "$tmp/raw.out"; then
	t_ok "screen_without_stable_shows_pids_and_pfns"
else
	t_fail "screen_without_stable_shows_pids_and_pfns" "pids '$pids' pfn '$pfn'" "$(cat "$tmp/raw.out")"
fi

# The /proc source's panes show what /proc knows: after fork and the
# child's write to a THP, the child's page is a copy (its own frame) and
# the pages around it are still the parent's (the same frame in both),
# the mapping line carries the VmFlags the text view printed from smaps,
# and as root kpageflags and the mapcount are named.
"$PTINSPECT" lab --kind thp --script "write parent; fork; write child; screen 110x42" \
	>"$tmp/cow.out" 2>"$tmp/cow.err"
flags=$(sed -n 's/^ *VmFlags: //p' "$tmp/cow.out" | tail -1)
strip=$(grep -c '^│ pages \[c\]=\{31\} .*││ pages \[c\]=\{31\} ' "$tmp/cow.out")
if [ -n "$flags" ] && [ "$strip" = 1 ] &&
	grep -q "^│ vmflags $flags  *││ vmflags $flags  *│\$" "$tmp/cow.out" &&
	grep -q '^│ map 0x[0-9a-f]*-0x[0-9a-f]* rw-p anon-private' "$tmp/cow.out" &&
	grep -q '= shared  c copied  + only here' "$tmp/cow.out" &&
	{ [ "$(id -u)" != 0 ] ||
		[ "$(grep '^│' "$tmp/cow.out" | grep -o -e anonymous -e ' mapcount [0-9]' | wc -l)" = 4 ]; }; then
	t_ok "screen_proc_pane_strip_copied_among_shared_and_vmflags"
else
	t_fail "screen_proc_pane_strip_copied_among_shared_and_vmflags" "flags '$flags' strip '$strip'" \
		"$(sed -n '/^ptinspect lab/,/^ what/p' "$tmp/cow.out")" "$(cat "$tmp/cow.err")"
fi

# Without CAP_SYS_ADMIN the kernel reads PFNs as 0 and hides kpageflags:
# the pane says so rather than showing zeros or calling pages shared.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$PTINSPECT" lab --kind thp \
		--script "write parent; fork; write child; screen 110x42 stable" >"$tmp/user.out" 2>&1
	if grep -q '^│ pages \[?\]?\{31\} .*││ pages \[?\]?\{31\} ' "$tmp/user.out" &&
		grep -q '^│ kpf (root only) mapcount (root only) .*││ kpf (root only) mapcount (root only) ' "$tmp/user.out" &&
		grep -q '^│ pagemap: present, exclusive pfn (root only) ' "$tmp/user.out" &&
		! grep '^│' "$tmp/user.out" | grep -q 'pfn 0x0'; then
		t_ok "screen_proc_pane_without_root_says_root_only"
	else
		t_fail "screen_proc_pane_without_root_says_root_only" "$(sed -n '/^ptinspect lab/,/^ what/p' "$tmp/user.out")"
	fi
else
	t_skip "screen_proc_pane_without_root_says_root_only" "needs root and setpriv to drop to nobody"
fi

# --screen without a screen command: the last step's screen, 110x42
"$PTINSPECT" lab --kind anon --script "write parent" --screen "$tmp/last.txt" >/dev/null 2>&1
if [ "$(grep -cv '^[ ^]*\^[ ^]*$' "$tmp/last.txt")" = 42 ] &&
	head -2 "$tmp/last.txt" | grep -q '^step 2/2  write parent ' &&
	[ "$(LC_ALL=C.UTF-8 wc -L <"$tmp/last.txt")" -le 110 ]; then
	t_ok "screen_file_gets_the_last_screen"
else
	t_fail "screen_file_gets_the_last_screen" "$(cat "$tmp/last.txt")"
fi

# the screens go to the file, the steps still to stdout
if grep -q '^== step 2  write parent' "$tmp/raw.out" &&
	! grep -q '^== step' "$tmp/last.txt"; then
	t_ok "screen_file_holds_only_screens"
else
	t_fail "screen_file_holds_only_screens"
fi

# arm64's grid without a VM: recordings the arm64 VM's lab made on Debian's
# 6.1 and 6.12 kernels (tests/vm/guest-arm64.sh's grid block; arm64.sh
# leaves them in build/vm/arm64/RELEASE/), replayed here.  The expected
# screen is the one the live lab drew in the VM: the replay on this host
# draws the same grid, attrindx as the kernel's MT_* slot (NORM), SH as
# ISH on 6.1 and no SH with 6.12's LPA2.
for d in tests/screens/arm64-*/; do
	name=${d%/}
	name=${name##*/}
	if ! "$PTINSPECT" replay "$d/grid.rec" --script "step last; screen 110x42 stable" \
		--screen "$tmp/$name.txt" >/dev/null 2>"$tmp/$name.err"; then
		t_fail "screen_${name}_replayed_grid" "$(cat "$tmp/$name.err")"
	elif diff -u "$d/grid-110x42.txt" "$tmp/$name.txt" >"$tmp/$name.diff" &&
		grep -q ' AI ' "$tmp/$name.txt" && grep -q ' NORM ' "$tmp/$name.txt"; then
		t_ok "screen_${name}_replayed_grid_names_mt_normal"
	else
		t_fail "screen_${name}_replayed_grid_names_mt_normal" "$(head -60 "$tmp/$name.diff")"
	fi
done

t_exit "screen_too_small_exits_2" 2 "$PTINSPECT" lab --kind anon --script "screen 20x5"
t_exit "screen_bad_size_exits_2" 2 "$PTINSPECT" lab --kind anon --script "screen 100by40"
t_exit "screen_option_needs_lab_exits_2" 2 "$PTINSPECT" shell --kind anon --screen "$tmp/x"
t_exit "screen_unwritable_file_exits_2" 2 "$PTINSPECT" lab --kind anon --script "write parent" \
	--screen "$tmp/no/such/dir/s.txt"
t_done
