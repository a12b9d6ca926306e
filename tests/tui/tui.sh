#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What only a real terminal shows: tmux runs ptinspect, keys are sent and
# the pane is read.  The terminal must come back (no alternate screen,
# echo and canonical mode on) after q, SIGTERM, SIGINT and a crash; a
# resize redraws; readline works inside curses (the ':' prompt) and in
# ptinspect shell; --pid follows a process.  What the screen says is
# tested without a terminal, whole screens at a time: tests/host/screens.sh.
#
# No sleeps: every check polls the pane for its condition (10 s at most,
# for a loaded machine), and panes stay after their command exits
# (remain-on-exit), so no session is killed while others start.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

. tests/tui/tmux.sh
restored_modes() { screen -S -5 | grep -qE -- "^EXITED rc=[0-9]+ TTY icanon echo *$"; }
last_line_re() { screen | sed '/^$/d' | tail -n 1 | grep -qE -- "$1"; }
# restored NAME: the terminal is back as the shell left it
alt_off() { [ "$(tm display -p -t "$S" '#{alternate_on}')" = 0 ]; }
restored() {
	check "${1}_left_the_alternate_screen" alt_off
	check "${1}_restored_echo_and_canonical_mode" restored_modes
}
tui_pid() { pgrep -P "$(tm display -p -t "$S" '#{pane_pid}')" -x ptinspect; }

# the lab: the painted pane is the screen command's text
start a 110 42 "$bin lab --kind thp"
check "tui_starts" shows "step 1/1"
keys n n
check "tui_n_runs_the_queued_events" shows "step 3/3  fork"
# PIDs, PFNs and addresses differ between the two labs, and a box is as
# wide as its longest line (a PFN of more digits widens it): rules as one
norm() {
	sed -E '/^[ ^]*\^[ ^]*$/d; /next \(n\):/d; s/0x[0-9a-f]+/0xH/g; s/[0-9]+/N/g; s/ +/ /g; s/─+/─/g; s/ $//' | sed '/^$/d'
}
"$bin" lab --kind thp --script "write parent; fork; screen 110x42" 2>/dev/null >"$TMUX_TMPDIR/lab.out"
sed -n '/^ptinspect lab /,$p' "$TMUX_TMPDIR/lab.out" | norm >"$TMUX_TMPDIR/want"
painted_as_text() { screen | norm | diff -q - "$TMUX_TMPDIR/want" >/dev/null; }
if poll painted_as_text; then
	t_ok "tui_paints_what_the_screen_command_writes"
else
	t_fail "tui_paints_what_the_screen_command_writes" "$(screen | norm | diff "$TMUX_TMPDIR/want" -)"
fi
# what the step changed is highlighted: an attribute on the pagemap line
highlighted() { screen -e | grep 'pagemap: present' | grep -q $'\e\\[[0-9;]*7m'; }
check "tui_highlights_what_changed" highlighted
keys b
check "tui_key_b_shows_the_step_before" shows "step 2/3  write parent"
keys f
check "tui_key_f_shows_the_step_after" shows "step 3/3  fork"
keys '?'
check "tui_help_overlay" shows "run the next event of the script"
keys x
check "tui_help_closes_on_any_key" not shows "any key closes"
# readline inside curses: completion, editing, history, a bad command
keys ':' 'wri' Tab
check "tui_prompt_completes_commands" last_line_re '^:write$'
keys 'ch' Tab
check "tui_prompt_completes_arguments" last_line_re '^:write child$'
keys BSpace BSpace BSpace BSpace BSpace BSpace 'child' Enter
check "tui_prompt_runs_the_event" shows "step 4/4  write child"
keys ':' Up
check "tui_prompt_recalls_history" last_line_re '^:write child'
keys Escape
check "tui_prompt_escape_cancels" not last_line_re '^:'
keys ':' 'frob' Enter
check "tui_bad_command_is_a_message" shows "unknown command 'frob'"
# resize: narrow stacks parent above child
tm resize-window -t "$S" -x 80 -y 50
stacked() { screen | grep -q '^┌─ child' && ! screen | grep -q '─ parent .*─ child'; }
check "tui_resize_redraws_stacked" stacked
keys q
check "tui_q_exits_0" ended 0
restored tui_q
grep -qs "write child" "$XDG_STATE_HOME/ptinspect/history" &&
	t_ok "tui_history_saved_under_xdg_state_home" || t_fail "tui_history_saved_under_xdg_state_home"

# monochrome: attributes without colours, then SIGTERM
start b 110 42 "NO_COLOR=1 $bin lab --kind anon"
check "tui_no_color_starts" shows "step 1/1"
keys n
check "tui_no_color_runs_an_event" shows "step 2/2"
mono() { ! screen -e | grep -q $'\e\\[3[0-7]m' && screen -e | grep -q $'\e\\[[0-9;]*7m'; }
check "tui_no_color_draws_attributes_not_colours" mono
kill -TERM "$(tui_pid)"
check "tui_sigterm_exits" ended "[0-9]+"
restored tui_sigterm

start c 100 40 "$bin lab --kind anon"
check "tui_sigint_starts" shows "step 1/1"
kill -INT "$(tui_pid)"
check "tui_sigint_exits" ended "[0-9]+"
restored tui_sigint

# a crash: the terminal first, then the crash as it would have been
start d 100 40 "$bin lab --kind anon"
check "tui_crash_starts" shows "step 1/1"
kill -SEGV "$(tui_pid)"
check "tui_crash_exits_non_zero" ended "[1-9][0-9]*"
restored tui_crash

# ptinspect shell: readline with completion and history, then quit
start e 110 42 "$bin shell --kind anon"
check "shell_prompts" shows "ptinspect>"
keys 'wri' Tab 'par' Tab Enter
check "shell_completes_and_runs_an_event" shows "== step 2  write parent"
keys 'fork' Enter
check "shell_forks" shows "== step 3  fork"
keys Up Up Enter
check "shell_recalls_history" shows "== step 4  write parent"
keys 'frob' Enter
check "shell_bad_command_is_one_line_and_goes_on" shows "ptinspect: unknown command 'frob'"
keys 'quit' Enter
check "shell_quits" ended 0

# ptinspect --pid: the same screen on a process we have, following it
subject_start
subject map anon 4096
A=$R
subject write "$A"
start f 110 42 "$bin --pid $S_PID --addr $A --interval 0.2"
check "tui_watch_shows_the_process" shows "ptinspect · pid $S_PID"
subject fork
# traced: the fork is its own step, taken while both sides are stopped
check "tui_watch_makes_a_step_at_the_fork" shows_re "step 2/2  fork: child [0-9]+"
keys c
check "tui_watch_c_shows_the_next_child" shows_re "step 3/3  show child [0-9]+"
# the screen's cursor is its own: back on an earlier step, it stays there
# while the watch appends (the parent's write copies the shared page)
keys b
check "tui_watch_back_shows_step_2" shows_re "step 2/3  fork: child [0-9]+"
subject write "$A"
check "tui_watch_stays_on_its_step_while_steps_come" shows_re "step 2/4  fork: child [0-9]+"
keys : 'step last' Enter
check "tui_watch_step_last_follows_again" shows_re "step 4/4 "
subject_stop
check "tui_watch_marks_an_exited_process" shows "exited"
keys q
check "tui_watch_quits" ended 0
t_done
