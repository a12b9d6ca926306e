#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The TUI inside the VM, on its serial console, through the module (what
# make demo shows): tmux runs QEMU, keys go in, the screen comes out.
# Usage: tui.sh DIR RELEASE LINE; prints unnumbered TAP lines.
cd "$(dirname "$0")/../.." || exit 1
dir=$1 rel=$2 line=$3
TMUX_TMPDIR=$(mktemp -d)
export TMUX_TMPDIR LC_ALL=C.UTF-8
# our own server on our own socket: $TMUX (the user's) would win
unset TMUX
tm() { tmux -S "$TMUX_TMPDIR/sock" "$@"; }
S=ptvm
trap 'tm kill-server 2>/dev/null; rm -rf "$TMUX_TMPDIR"' EXIT

ok() { echo "ok - $1 ($line)"; }
fail() { echo "not ok - $1 ($line)"; tm capture-pane -t $S -p | sed 's/^/# /'; }
wait_for() {
	i=0
	while [ $i -lt "${2:-100}" ]; do
		tm capture-pane -t $S -p | grep -qF -- "$1" && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

# arm64: QEMU's own pointer authentication, as tests/vm/arm64.sh boots it
cpu=max
[ "${VM_ARCH:-}" = arm64 ] && cpu=max,pauth-impdef=on
tm -u new-session -d -s $S -x 120 -y 45 \
	". tests/vm/vmlib.sh; vm_boot '$dir' '$rel' $cpu 'loglevel=1 pt.suite=demo pt.tty=1 pt.rows=45 pt.cols=120 pt.term=screen-256color'; echo VM-OFF; sleep 60"
if wait_for "step 1/1" 300; then ok "vm_tui_starts_on_the_serial_console"; else fail "vm_tui_starts_on_the_serial_console"; exit 0; fi
tm send-keys -t $S n
wait_for "step 2/2" || true
tm send-keys -t $S n
if wait_for "step 3/3  fork"; then ok "vm_tui_steps_through_fork"; else fail "vm_tui_steps_through_fork"; fi
# the serial line draws at its own pace: read the screen once it is still
settled() {
	local a b i
	a=$(tm capture-pane -t $S -p -e)
	for i in $(seq 40); do
		sleep 0.5
		b=$(tm capture-pane -t $S -p -e)
		[ "$a" = "$b" ] && break
		a=$b
	done
}
settled
scr=$(tm capture-pane -t $S -p)
if echo "$scr" | grep -q "source kmod (raw)" && echo "$scr" | grep -q " parent [0-9]* .* child [0-9]* " &&
	echo "$scr" | grep -q "pmd 0x[0-9a-f]*  leaf"; then
	ok "vm_tui_shows_raw_pmd_of_parent_and_child"
else
	fail "vm_tui_shows_raw_pmd_of_parent_and_child"
fi
# the grid's columns come from the running kernel's table (on arm64 its
# own bits, the MAIR index by the kernel's MT_* name)
if [ "${VM_ARCH:-}" = arm64 ]; then
	want="V  .*AI  *NS .* PXN  *UXN "
	echo "$scr" | grep -q "NORM" || want=NO-MT-NAME
elif [ "$line" = 6.12 ]; then
	want="P  *W  *U .* SD "
else
	want="P  *W  *U .* dm "
fi
if echo "$scr" | grep -q "$want"; then ok "vm_tui_grid_columns_from_the_kernels_table"; else fail "vm_tui_grid_columns_from_the_kernels_table"; fi
# the write bit the fork cleared is drawn highlighted (reverse video)
if tm capture-pane -t $S -p -e | grep -q "$(printf '\033')\[[0-9;]*7m0"; then
	ok "vm_tui_highlights_the_bits_fork_changed"
else
	fail "vm_tui_highlights_the_bits_fork_changed"
fi
tm send-keys -t $S q
if wait_for "VM-OFF" 150; then ok "vm_tui_q_quits_and_powers_off"; else fail "vm_tui_q_quits_and_powers_off"; fi

# make demo's first lesson (pt.demo=learn): a question on the console,
# answered; q leaves the lesson for the lab, whose q powers off
# a new session before the old one goes, so the server stays up
tm -u new-session -d -s ptvm2 -x 120 -y 45 \
	". tests/vm/vmlib.sh; vm_boot '$dir' '$rel' $cpu 'loglevel=1 pt.suite=demo pt.tty=1 pt.rows=45 pt.cols=120 pt.term=screen-256color pt.demo=learn'; echo VM-OFF; sleep 60"
tm kill-session -t $S
S=ptvm2
if wait_for "question 1 of 10" 300; then ok "vm_demo_offers_the_first_lesson"; else fail "vm_demo_offers_the_first_lesson"; exit 0; fi
tm send-keys -t $S y
if wait_for "RIGHT: you said y, the kernel showed yes"; then
	ok "vm_demo_lesson_grades_an_answer"
else
	fail "vm_demo_lesson_grades_an_answer"
fi
tm send-keys -t $S q
if wait_for "step 1/1" 150; then ok "vm_demo_lab_after_the_lesson"; else fail "vm_demo_lab_after_the_lesson"; fi
tm send-keys -t $S q
if wait_for "VM-OFF" 150; then ok "vm_demo_q_quits_and_powers_off"; else fail "vm_demo_q_quits_and_powers_off"; fi
