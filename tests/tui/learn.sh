#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ptinspect learn in a real terminal: tmux runs a lesson, the test answers
# it with keys (y/n, a name completed with Tab, ? for the hint), one
# answer wrong on purpose, and reads the verdicts, the score and the
# terminal's modes after it; q leaves a lesson cleanly.  The keys the
# pane shows are checked against the same lesson's --json run.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
unset TMUX

. tests/tui/tmux.sh
restored_modes() { screen -S -5 | grep -qE -- "^EXITED rc=[0-9]+ TTY icanon echo *$"; }

# fork-cow's answers by question number; 2 is wrong on purpose
declare -A answer=([1]=y [2]=n [3]=y [4]=n [5]=y [6]=n [7]=n [8]=exclu [9]=y [10]=none)
asking() { shows "? a hint"; }
telling() { shows "any key: go on"; }
qno() { screen | sed -nE 's/.* question ([0-9]+) of 10 .*/\1/p' | head -n 1; }
# lesson SESSION CHECK: answers fork-cow in SESSION; $seen gets the
# verdicts, and with CHECK 1 the checks along the way are made
lesson() {
	local i q before
	start "$1" 110 50 "$bin learn fork-cow"
	if [ "$2" = 1 ]; then
		check "learn_asks_the_first_question" shows "question 1 of 10"
		check "learn_shows_the_step_before_the_event" shows_re "^step 1/2 +map anon"
		keys '?'
		check "learn_hint_names_the_function" shows "hint: read do_anonymous_page"
	fi
	seen=
	for ((i = 0; i < 40; i++)); do
		poll eval 'asking || telling || ended 0' || break
		ended 0 && break
		q=$(qno)
		before=$(screen)
		if telling; then
			seen="$seen $(screen | grep -oE '^ (RIGHT|WRONG|not asked here)' | tr -d ' ')$q"
			keys Space
		elif [ "$q" = 8 ]; then
			keys "${answer[$q]}" Tab
			[ "$2" = 1 ] && check "learn_tab_completes_a_field_name" shows "> exclusive"
			keys Enter
		elif [ "${#answer[$q]}" -gt 1 ]; then
			keys "${answer[$q]}" Enter
		else
			keys "${answer[$q]}"
		fi
		changed() { [ "$(screen)" != "$before" ]; }
		poll changed
	done
}
lesson learn 1
check "learn_ends_with_status_0" ended 0
check "learn_restores_the_terminal" restored_modes

# The verdicts against the --json run of the same answers.  The two runs
# are two lessons on the live kernel, and it may answer otherwise in one:
# the parent's last write reuses its page only if nothing else holds it
# for that moment (wp_can_reuse_anon_folio() wants one reference; a
# per-CPU LRU batch or DAMON's kdamond may hold another), else it is a
# copy and "none" is wrong.  Both runs get three tries to agree; each
# miss is printed.
ans=$TMUX_TMPDIR/answers
printf '%s\n' y n y n y n n exclusive y none >"$ans"
for try in 1 2 3; do
	[ "$try" = 1 ] || lesson "learn$try" 0
	"$bin" learn fork-cow --answers "$ans" --json 2>/dev/null >"$TMUX_TMPDIR/json"
	want=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(("RIGHT" if q["correct"] else "WRONG") + str(q["n"]) if q["asked"]
               else "notaskedhere" + str(q["n"]) for q in d["questions"]))
print("%d of %d right" % (d["score"]["correct"], d["score"]["asked"]))' "$TMUX_TMPDIR/json")
	got=$(echo "$seen" | sed 's/^ //; s/not asked here/notaskedhere/g')
	[ "$got" = "$(echo "$want" | head -n 1)" ] && break
	echo "# try $try: the terminal's run $got, the JSON run $(echo "$want" | head -n 1)"
done
if [ "$got" = "$(echo "$want" | head -n 1)" ]; then
	t_ok "learn_verdicts_as_the_scripted_run_grades_them"
else
	t_fail "learn_verdicts_as_the_scripted_run_grades_them" "got:  $got" "want: $(echo "$want" | head -n 1)"
fi
# printed after the screen is given back: it may have scrolled into the history
said() { screen -S -5 | grep -qF -- "$1"; }
check "learn_prints_the_score" said "ptinspect learn fork-cow: $(echo "$want" | tail -n 1)"
wrong2() { echo "$got" | grep -q "WRONG2"; }
check "learn_a_wrong_answer_is_wrong" wrong2

start leave 110 50 "$bin learn thp-fork"
nq=$("$bin" learn | sed -n '/^  thp-fork /{n;s/.*; \([0-9]*\) questions.*/\1/p;}')
check "learn_second_lesson_asks" shows "question 1 of $nq"
keys q
check "learn_q_leaves_with_status_2" ended 2
check "learn_q_restores_the_terminal" restored_modes

t_done
