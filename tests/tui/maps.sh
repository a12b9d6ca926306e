#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The mappings list and the populated-page keys in a real terminal (tmux,
# as tests/tui/tui.sh): m opens the list on the watched mapping, k/j and
# Up/Down select, Enter inspects the selected mapping's start and closes
# the list, Esc and q close it (q does not quit there), ] and [ step over
# the holes of a mapping, in the lab and watching a process (--pid).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

. tests/tui/tmux.sh
H_PID=
cleanup() {
	exec 6>&- 2>/dev/null
	[ -n "$H_PID" ] && wait "$H_PID" 2>/dev/null
	tmux_cleanup
}
trap cleanup EXIT
# the mapping the list highlights (reverse video), its first cell
selected() { screen -e | grep $'\e\\[[0-9;]*7m' | sed 's/\x1b\[[0-9;]*m//g' | awk '{print $2}' | head -1; }
header_addr() { screen | sed -n '1s/.* addr \(0x[0-9a-f]*\).*/\1/p'; }

# the lab: ] and [ over the holes of the subject's mapping (pages 0 and 8)
start a 120 40 "$bin lab --kind anon"
check "tui_lab_starts" shows "step 1/1"
keys ':' 'write parent' Enter
check "tui_lab_writes_page_0" shows "step 2/2  write parent"
first=$(header_addr)
keys ':' 'write parent 32768' Enter
check "tui_lab_writes_page_8" shows "step 3/3  write parent 32768"
keys ':' 'addr +4096' Enter
check "tui_lab_looks_at_a_hole" shows "step 4/4  addr +4096"
keys ']'
page8() { [ -n "$first" ] && [ "$(header_addr)" = "$(printf '0x%x' $((first + 32768)))" ]; }
check "tui_right_bracket_steps_to_the_next_populated_page" page8
keys ']'
check "tui_right_bracket_past_the_last_says_so" shows "nothing populated after"
keys '['
at_first() { [ "$(header_addr)" = "$first" ]; }
check "tui_left_bracket_steps_back_over_the_hole" at_first
keys q
check "tui_lab_quits" ended

# who copied what in the list: beside the lab's child, the title sums it
# up and o sorts by bytes copied (the COPIED column then goes down), again
# by start
start c 150 40 "$bin lab --kind anon"
check "tui_child_lab_starts" shows "step 1/1"
keys ':' 'write parent' Enter ':' 'fork' Enter ':' 'write child' Enter
check "tui_child_lab_writes_in_the_child" shows "step 4/4  write child"
keys m
check "tui_child_list_sums_up_shared_and_copied" shows_re "mappings of pid [0-9]+: [0-9]+/[0-9]+ · shared [0-9.]+[KMG]?, copied [0-9.]+[KMG]?: [0-9.]+% of the pages both map copied · by start"
check "tui_child_list_has_the_share_copied_column" shows_re "SHARED +COPIED +COPY% +PATH"
keys o
check "tui_o_sorts_the_list_by_copied" shows "· by copied"
# the COPIED cells (the column before COPY%) in the order shown
copied_desc() {
	screen | $PY -c '
import re, sys
units = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
v = []
for l in sys.stdin:
    m = re.search(r"^\S+ 0x[0-9a-f]+ +0x[0-9a-f]+ .* (\S+) +(-|[0-9.]+%) ", l)
    if m and m.group(1) != "-":
        n = re.match(r"([0-9.]+)([KMG]?)$", m.group(1))
        v.append(float(n.group(1)) * units[n.group(2)])
sys.exit(0 if len(v) > 3 and v[0] > 0 and v == sorted(v, reverse=True) else 1)
'
}
check "tui_sorted_list_puts_the_most_copied_first" copied_desc
keys o
check "tui_o_again_sorts_by_start" shows "· by start"
keys q q
check "tui_child_lab_quits" ended

# watching a process (not the lab's subject: an ASan subject's terabytes of
# shadow take the range engine minutes): the list and its keys, ] and [
held_start 6 "$TMUX_TMPDIR/in" "$TMUX_TMPDIR/out" $PY tests/host/holes.py "$TMUX_TMPDIR"
H_PID=$HELD_PID
read -r ANON _ _ <"$TMUX_TMPDIR/out"
ANON=$(printf '0x%x' "$ANON")
start w 120 40 "$bin --pid $H_PID --addr $(printf '0x%x' $((ANON + 4096))) --no-trace --interval 0.2"
check "tui_watch_starts" shows "pid $H_PID"
keys ']'
w8() { [ "$(header_addr)" = "$(printf '0x%x' $((ANON + 32768)))" ]; }
check "tui_watch_right_bracket_goes_to_the_next_populated_page" w8
keys '[' '['
w0() { [ "$(header_addr)" = "$ANON" ]; }
check "tui_watch_left_bracket_goes_back_over_the_hole" w0
keys m
check "tui_m_opens_the_list" shows "mappings of pid $H_PID"
on_anon() { [ "$(selected)" = "$ANON" ]; }
check "tui_list_selects_the_watched_mapping" on_anon
keys k
moved_up() { [ -n "$(selected)" ] && [ "$(selected)" != "$ANON" ]; }
check "tui_k_selects_the_mapping_above" moved_up
above=$(selected)
keys Down
check "tui_down_moves_it_back" on_anon
keys Up
on_above() { [ "$(selected)" = "$above" ]; }
check "tui_up_selects_the_mapping_above" on_above
keys j
check "tui_j_moves_it_back" on_anon
keys k Enter
check "tui_enter_closes_the_list" not shows "mappings of pid"
at_above() { [ "$(header_addr)" = "$above" ]; }
check "tui_enter_inspects_the_selected_mapping_start" at_above
keys m
check "tui_m_opens_again" shows "mappings of pid"
keys Escape
check "tui_esc_closes_the_list" not shows "mappings of pid"
keys m
check "tui_m_opens_once_more" shows "mappings of pid"
keys q
check "tui_q_closes_the_list" not shows "mappings of pid"
# still running: the next key acts on the steps
keys ':' "addr $ANON" Enter
check "tui_q_in_the_list_does_not_quit" w0
keys q
check "tui_watch_quits" ended
t_done
