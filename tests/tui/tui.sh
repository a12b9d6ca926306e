#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The real TUI in a real terminal: tmux runs ptinspect lab, keys are sent,
# the screen is captured (with attributes) and asserted; the terminal
# must come back after q, SIGTERM and SIGINT.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

if ! command -v tmux >/dev/null; then
	t_fail "tmux_available" "tmux is not installed (make deps)"
	t_done
	exit 0
fi
export TMUX_TMPDIR=$(mktemp -d)
export LC_ALL=C.UTF-8
export XDG_STATE_HOME=$TMUX_TMPDIR/state
S=pt$$
bin=$(realpath "$PTINSPECT")
cleanup() { tmux kill-server 2>/dev/null; rm -rf "$TMUX_TMPDIR"; }
trap cleanup EXIT
# a session that outlives the tests' own: killing the last session makes
# the server exit, and a new-session racing that exit fails ("server
# exited unexpectedly"), as it once did in CI
tmux new-session -d -s keep "sleep 86400"

screen() { tmux capture-pane -t $S -p; }
screen_e() { tmux capture-pane -t $S -p -e; }
keys() { tmux send-keys -t $S "$@"; sleep 0.4; }
# wait_for TEXT: until the screen shows TEXT (10 s at most)
wait_for() {
	local i
	for i in $(seq 100); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
# check NAME CMD...: CMD must succeed within 10 s; retried because the
# screen under test redraws when it gets the CPU, which a loaded machine
# delays.
check() {
	local name=$1 end=$((SECONDS + 10))
	shift
	until "$@"; do
		if [ $SECONDS -ge $end ]; then
			t_fail "$name" "$(screen)"
			return
		fi
		sleep 0.1
	done
	t_ok "$name"
}

start() { # WIDTH HEIGHT ARGS...
	local w=$1 h=$2
	shift 2
	tmux kill-session -t $S 2>/dev/null
	tmux -u new-session -d -s $S -x "$w" -y "$h" \
		"$bin $* ; echo \"EXITED rc=\$?\"; sleep 60"
	wait_for "step 1/1"
}

start 110 42 lab --kind thp
check "tui_shows_header_and_first_step" wait_for "ptinspect lab · thp"
keys n
keys n
check "tui_parent_and_child_side_by_side" \
	bash -c "tmux capture-pane -t $S -p | grep -q '─ parent [0-9]* .*─ child [0-9]* '"
check "tui_step_counter_after_fork" wait_for "step 3/3  fork"
check "tui_shows_pagemap_fields_marked_derived" \
	bash -c "tmux capture-pane -t $S -p | grep -q 'pmd (derived) leaf 2M'"
check "tui_timeline_lists_steps_with_counters" \
	bash -c "tmux capture-pane -t $S -p | grep -qE '^>   3  fork +[0-9]+ +[0-9]+'"
# the change line of the last step is drawn highlighted (colour or reverse)
check "tui_highlights_what_changed" \
	bash -c "tmux capture-pane -t $S -p -e | grep ' what' | grep -q $'\e\\['"
keys b
check "tui_step_back" wait_for "step 2/3  write parent"
keys f
check "tui_step_forward" wait_for "step 3/3  fork"
keys '?'
check "tui_help_overlay_from_key_table" wait_for "run the next event of the script"
keys x
check "tui_help_closes" bash -c "! tmux capture-pane -t $S -p | grep -q 'any key closes'"
# the prompt: readline editing, completion and history
keys ':'
keys 'wri' Tab
check "tui_prompt_completes_commands" bash -c "tmux capture-pane -t $S -p | tail -1 | grep -q '^:write$'"
keys 'ch' Tab
check "tui_prompt_completes_arguments" bash -c "tmux capture-pane -t $S -p | tail -1 | grep -q '^:write child$'"
keys BSpace BSpace BSpace BSpace BSpace BSpace 'child' Enter
check "tui_prompt_runs_the_event" wait_for "step 4/4  write child"
keys ':'
keys Up
check "tui_prompt_recalls_history" bash -c "tmux capture-pane -t $S -p | tail -1 | grep -q '^:write child'"
keys Escape
keys ':' 'frob' Enter
check "tui_bad_command_is_a_message" wait_for "unknown command 'frob'"
# resize: narrow stacks parent above child
tmux resize-window -t $S -x 80 -y 50
check "tui_narrow_window_stacks_boxes" \
	bash -c "tmux capture-pane -t $S -p | grep -q '^┌─ child' && ! tmux capture-pane -t $S -p | grep -q '─ parent .*─ child'"
NO_COLOR= keys q
check "tui_quit_restores_the_terminal" wait_for "EXITED rc=0"
check "tui_left_the_alternate_screen" bash -c "[ \"\$(tmux display -p -t $S '#{alternate_on}')\" = 0 ]"
test -s "$XDG_STATE_HOME/ptinspect/history" && grep -q "write child" "$XDG_STATE_HOME/ptinspect/history" &&
	t_ok "tui_history_saved_under_xdg_state_home" || t_fail "tui_history_saved_under_xdg_state_home"

# monochrome: NO_COLOR keeps attributes but no colour, changed values marked
tmux kill-session -t $S
tmux -u new-session -d -s $S -x 110 -y 42 "NO_COLOR=1 $bin lab --kind anon; sleep 60"
wait_for "step 1/1"
keys n
check "tui_no_color_draws_without_colour" \
	bash -c "! tmux capture-pane -t $S -p -e | grep -q $'\e\\[3[0-7]m'"

# a wrong expectation is shown prominently, and marked in the timeline
start 110 42 lab --kind anon --expect "anon:fork:parent:error=1"
keys n
keys n
check "tui_shows_unexpected" wait_for "UNEXPECTED"
check "tui_timeline_marks_the_unexpected_step" \
	bash -c "tmux capture-pane -t $S -p | grep -qE '^>   3  fork +!!'"
check "tui_shows_why" bash -c "tmux capture-pane -t $S -p | grep -q '^ why  fork copies the page tables'"

# a state no row describes is said so, plainly, and not as UNEXPECTED
start 110 42 lab --kind anon --script "'write parent; madvise pageout'"
keys n
keys n
check "tui_says_not_modelled" wait_for "not modelled"
check "tui_not_modelled_is_not_unexpected" \
	bash -c "tmux capture-pane -t $S -p | grep -q 'madvise-pageout parent on present' && ! tmux capture-pane -t $S -p | grep -q UNEXPECTED"

# signals: the terminal comes back after SIGTERM and SIGINT
for sig in TERM INT; do
	start 100 40 lab --kind anon
	# signal the TUI once it is drawn, not the shell still starting it
	wait_for "step 1/1"
	pid=$(pgrep -P "$(tmux display -p -t $S '#{pane_pid}')" -x ptinspect)
	[ -n "$pid" ] && kill -$sig "$pid"
	check "tui_sig${sig}_restores_the_terminal" wait_for "EXITED rc="
	check "tui_sig${sig}_left_the_alternate_screen" bash -c "[ \"\$(tmux display -p -t $S '#{alternate_on}')\" = 0 ]"
done

# ptinspect shell: readline with completion and history, then quit
tmux kill-session -t $S
tmux -u new-session -d -s $S -x 110 -y 42 "$bin shell --kind anon; echo \"EXITED rc=\$?\"; sleep 60"
check "shell_prompts" wait_for "ptinspect>"
keys 'wri' Tab 'par' Tab Enter
check "shell_completes_and_runs_an_event" wait_for "== step 2  write parent"
keys 'fork' Enter
check "shell_forks" wait_for "== step 3  fork"
keys Up Up Enter
check "shell_recalls_history" wait_for "== step 4  write parent"
keys 'frob' Enter
check "shell_bad_command_is_one_line_and_goes_on" wait_for "ptinspect: unknown command 'frob'"
keys 'quit' Enter
check "shell_quits" wait_for "EXITED rc=0"

# ptinspect --pid: the same screen on a process we have, following it
subject_start
subject map anon 4096
A=$R
subject write "$A"
tmux kill-session -t $S
tmux -u new-session -d -s $S -x 110 -y 42 "$bin --pid $S_PID --addr $A --interval 0.2; echo \"EXITED rc=\$?\"; sleep 60"
check "tui_watch_shows_the_process" wait_for "ptinspect · pid $S_PID"
subject fork
check "tui_watch_makes_a_step_when_a_bit_changes" wait_for "step 2/2  refresh"
subject_stop
check "tui_watch_marks_an_exited_process" wait_for "exited"
keys q
check "tui_watch_quits" wait_for "EXITED rc=0"
t_done
