#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Shell completion, generated from $PTINSPECT's own help by
# scripts/gen-completion.sh, driven the way the shells drive it: a bash
# started per query sources the script, sets COMP_WORDS/COMP_CWORD, calls
# _ptinspect and prints COMPREPLY; PIDs and mapping names come from a
# process started here, and every mapping name offered is then given to
# ptinspect itself.  zsh runs its script with compadd recorded.  TAP out.
cd "$(dirname "$0")/../.." || exit 1
PTINSPECT=${PTINSPECT:-build/plain/ptinspect}
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() {
	n=$((n + 1))
	echo "not ok $n - $1"
	shift
	printf '%s\n' "$@" | sed 's/^/# /'
}

out=$(mktemp -d build/completion-test.XXXXXX)
sleep 600 &
P=$!
trap 'kill $P 2>/dev/null; rm -rf "$out"' EXIT

# comp WORD...: the completions of the last word, one per line
comp() {
	bash --norc --noprofile -c '. "$1"; shift; COMP_WORDS=(ptinspect "$@"); COMP_CWORD=$#
		_ptinspect; printf "%s\n" "${COMPREPLY[@]}"' bash "$out/ptinspect.bash" "$@" 2>&1
}
# is NAME GOT WANT: the completions, sorted, are exactly WANT (space separated)
is() {
	g=$(printf '%s\n' "$2" | sed '/^$/d' | sort | tr '\n' ' ')
	# shellcheck disable=SC2086 # WANT is a list
	w=$(printf "%s\n" $3 | sed "/^$/d" | sort | tr '\n' ' ')
	if [ "$g" = "$w" ]; then ok "$1"; else fail "$1" "got:  $g" "want: $w"; fi
}
# are NAME GOT WANT...: the completions, one per line, are exactly the WANTs
are() {
	name=$1 got=$(printf '%s\n' "$2" | sed '/^$/d' | sort)
	shift 2
	want=$(printf '%s\n' "$@" | sed '/^$/d' | sort)
	if [ "$got" = "$want" ]; then ok "$name"; else fail "$name" "got:  $got" "want: $want"; fi
}
# has NAME GOT WORD...: the completions include every WORD
has() {
	name=$1 got=$2
	shift 2
	for w in "$@"; do
		printf '%s\n' "$got" | grep -qxF -- "$w" || { fail "$name" "no '$w' in: $(printf '%s ' "$got" | tr '\n' ' ')"; return; }
	done
	ok "$name"
}

echo "1..78"
if sh scripts/gen-completion.sh "$PTINSPECT" "$out" 2>"$out/gen.err"; then
	ok "generated_from_the_binary"
else
	fail "generated_from_the_binary" "$(cat "$out/gen.err")"
fi

is "subcommands" "$(comp '')" "dump maps decode bits lab shell replay learn help subject"
is "subcommands_by_prefix" "$(comp d)" "dump decode"
is "learn_lessons_by_prefix" "$(comp learn fork)" "fork-cow"
is "learn_lessons" "$(comp learn '' | wc -w)" "$("$PTINSPECT" learn | grep -c '^  [a-z]')"
is "learn_one_lesson_only" "$(comp learn fork-cow '')" ""
is "dump_options_by_prefix" "$(comp dump --b)" "--backend"
is "backend_choices" "$(comp dump --backend '')" "auto kmod pagemap"
is "backend_choice_after_equals" "$(comp dump --backend=p)" "pagemap"
is "maps_options_by_prefix" "$(comp maps --n)" "--noheadings"
is "maps_color_choices" "$(comp maps --color '')" "auto always never"

# -o/--output: the columns --output help lists, for maps, for dump
# --range and for dump --range --child; after a comma, after a '+'
cols() { "$PTINSPECT" "$@" --output help | awk '/^  [^ ]/ { print $1 }'; }
is "maps_output_columns" "$(comp maps --pid "$P" -o '')" "$(cols maps)"
is "dump_output_columns" "$(comp dump --pid "$P" --range all --output '')" "$(cols dump)"
is "dump_child_output_columns" "$(comp dump --pid "$P" --child "$P" -o '')" "$(cols dump --child 1)"
if [ "$(cols dump)" != "$(cols dump --child 1)" ]; then
	ok "dump_child_columns_differ"
else
	fail "dump_child_columns_differ" "dump --child lists the same columns as dump"
fi
# every column of a random prefix, after a random list of others
mapfile -t dc < <(cols dump)
i=$((RANDOM % ${#dc[@]})) j=$((RANDOM % ${#dc[@]}))
pfx=${dc[i]:0:1}
want=$(printf '%s\n' "${dc[@]}" | grep "^$pfx" | sed "s/^/${dc[j]},/")
are "dump_columns_after_a_comma (${dc[j]},$pfx)" "$(comp dump -o "${dc[j]},$pfx")" "$want"
want=$(printf '%s\n' "${dc[@]}" | grep "^$pfx" | sed "s/^/+/")
are "dump_columns_after_a_plus (+$pfx)" "$(comp dump --output "+$pfx")" "$want"
is "output_after_equals" "$(comp maps --output = exc)" "exclusive"
is "no_columns_for_lab" "$(comp lab -o '')" ""
has "lab_maps_commands_for_script" "$(comp lab --script '')" maps next-populated prev-populated
kinds=$("$PTINSPECT" help | sed -n 's/^kinds: //p')
is "kinds_are_the_programs" "$(comp lab --kind '')" "$kinds"
is "kind_list_after_a_comma" "$(comp lab --random 5 --kind anon,t)" "anon,thp"
scen=$("$PTINSPECT" help | sed -n 's/^scenario \([^:]*\):.*/\1/p')
is "scenarios_are_the_programs" "$(comp lab --scenario '')" "$scen"
is "scenario_by_prefix" "$(comp lab --scenario sa)" "saved-dirty"
has "lab_commands_for_script" "$(comp lab --script '')" write read fork exit madvise mprotect quit
got=$(comp lab --script 'write parent; f')
if [ "$got" = "write parent; fork" ]; then
	ok "lab_command_after_a_semicolon"
else
	fail "lab_command_after_a_semicolon" "got: $got"
fi
are "lab_command_arguments" "$(comp lab --script 'fork; write p')" "fork; write parent"
are "lab_command_second_argument" "$(comp lab --script 'madvise dontneed ')" \
	"madvise dontneed parent" "madvise dontneed child"
are "lab_kind_command_takes_kinds" "$(comp lab --script 'kind pfnmap-p')" "kind pfnmap-pud" "kind pfnmap-private"
are "lab_no_argument_past_the_last" "$(comp lab --script 'write parent 12 ')" ""
# an option's value is not taken for the subcommand
is "options_after_a_value" "$(comp lab --kind thp --s)" "--scenario --screen --script --seed"
is "top_level_options" "$(comp --pid "$P" --a)" "--addr"
is "no_options_for_help" "$(comp help --)" ""

# exactly the tables: the lab's commands as its help lists them, madvise's
# advices as the parser takes them, each subcommand's options as its own
# --help lists them
labnames=$("$PTINSPECT" help | awk '/^lab commands/ { on = 1; next } /^[^ ]/ { on = 0 } on && NF { print $1 }')
is "lab_commands_are_the_tables" "$(comp lab --script '')" "$labnames"
# each advice offered is one the lab takes (a refused line exits 2)
bad=
for adv in $(comp lab --script 'madvise ' | sed 's/^madvise //'); do
	"$PTINSPECT" lab --kind anon --script "madvise $adv" >/dev/null 2>&1
	[ $? -ne 2 ] || bad="$bad $adv"
done
if [ -z "$bad" ]; then ok "lab_takes_every_advice_offered"; else fail "lab_takes_every_advice_offered" "refused:$bad"; fi
is "madvise_offers_every_advice" "$(comp lab --script 'madvise ' | sed 's/^madvise //')" \
	"dontneed collapse pageout hugepage nohugepage mergeable"
# after every line the lab's completer answers, bash offers what it does
bad=
while IFS='	' read -r line vals; do
	got=$(comp lab --script "$line " | sed "s/^$line //" | sort | tr '\n' ' ')
	want=$(printf '%s\n' $vals | sort | tr '\n' ' ')
	[ "$got" = "$want" ] || bad="$bad [$line: $got != $want]"
done < <("$PTINSPECT" help --completion)
if [ -z "$bad" ] && [ "$("$PTINSPECT" help --completion | wc -l)" -gt 10 ]; then
	ok "bash_offers_what_the_lab_completer_offers"
else
	fail "bash_offers_what_the_lab_completer_offers" "$bad"
fi
is "maps_sort_offers_the_sort_keys" "$(comp lab --script 'maps sort ' | sed 's/^maps sort //')" \
	"start size populated shared copied"
is "step_offers_last" "$(comp lab --script 'fork; step ' | sed 's/^fork; step //')" "last"
is "mprotect_offers_ro_rw" "$(comp lab --script 'mprotect ' | sed 's/^mprotect //')" "ro rw"
is "exit_offers_the_child_alone" "$(comp lab --script 'fork; exit ' | sed 's/^fork; exit //')" "child"
# the options a subcommand's --help lists: "    -o, --output COLS  help"
opts_of_help() {
	awk '/^    -/ { sub(/,$/, "", $1); print $1; if ($2 ~ /^--/) print $2 }'
}
for s in dump maps decode bits lab shell replay learn; do
	want=$("$PTINSPECT" "$s" --help | opts_of_help)
	is "options_of_${s}_are_its_table" "$(comp "$s" -)" "$want"
done
# and --version, which the top level (ptinspect --pid) shares
want="$("$PTINSPECT" --pid 1 --help | opts_of_help | grep -- '^--') --version"
is "options_of_watch_are_its_table" "$(comp --pid 1 --)" "$want"
if "$PTINSPECT" dump --pid 2>/dev/null; then rc=0; else rc=$?; fi
if [ "$rc" = "$(sed -n 's/^	X(USAGE, \([0-9]*\),.*/\1/p' src/status.h)" ]; then
	ok "usage_error_exits_with_the_status_tables_code ($rc)"
else
	fail "usage_error_exits_with_the_status_tables_code" "exit $rc"
fi

has "pids_include_a_started_process" "$(comp dump --pid '')" "$P" "$$" 1
got=$(comp dump --pid "${P%?}")
bad=$(printf '%s\n' "$got" | grep -v "^${P%?}")
if [ -z "$bad" ] && printf '%s\n' "$got" | grep -qx "$P"; then
	ok "pids_by_prefix"
else
	fail "pids_by_prefix" "prefix ${P%?}: $(printf '%s ' "$got" | tr '\n' ' ')"
fi

names=$(comp dump --pid "$P" --addr '')
has "addr_names_from_the_pids_maps" "$names" sleep libc.so.6 stack
# every name offered is one ptinspect takes as an address of that process
bad=
for nm in $names; do
	"$PTINSPECT" dump --backend pagemap --pid "$P" --addr "$nm" >/dev/null 2>"$out/dump.err" ||
		bad="$bad $nm($(head -n 1 "$out/dump.err"))"
done
if [ -n "$names" ] && [ -z "$bad" ]; then ok "ptinspect_takes_every_addr_name"; else fail "ptinspect_takes_every_addr_name" "refused:$bad"; fi
is "addr_name_by_prefix_with_equals" "$(comp dump --pid="$P" --addr=st)" "stack"
has "range_takes_names_and_all" "$(comp dump --pid "$P" --range '')" all stack libc.so.6
has "top_level_addr_names" "$(comp --pid "$P" --addr '')" stack sleep
is "no_names_without_a_process" "$(comp dump --pid 999999999 --addr '')" ""

# bash's readline, typing in a tmux pane: the line as completed by Tab,
# with '=' and quotes split and closed the way an interactive bash does
# (COMP_WORDBREAKS); ptinspect there is a function printing its words
rl_lines=(
	"ptinspect dec|<decode>"
	"ptinspect dump --backend=p|<dump><--backend=pagemap>"
	"ptinspect lab --kind anon,t|<lab><--kind><anon,thp>"
	"ptinspect lab --script 'write parent; f|<lab><--script><write parent; fork>"
	"ptinspect dump --pid=$P --addr st|<dump><--pid=$P><--addr><stack>"
	"ptinspect dump --pid $P --addr=libc|<dump><--pid><$P><--addr=libc.so.6>"
	"ptinspect dump --pid $P --ran|<dump><--pid><$P><--range>"
	"ptinspect lab --script 'fork; write c|<lab><--script><fork; write child>"
	"ptinspect dump --range all -o start,entr|<dump><--range><all><-o><start,entries>"
)
if ! command -v tmux >/dev/null; then
	for l in "${rl_lines[@]}"; do
		echo "ok $((n = n + 1)) - readline: ${l%%|*} # SKIP tmux is not installed (make deps)"
	done
else
	# our own server on a socket in our temp dir: $TMUX (the user's) unset
	sock=$(realpath "$out")/tmux.sock
	unset TMUX
	tmux -S "$sock" -f /dev/null new-session -d -x 250 -y 50 "bash --norc --noprofile"
	# bash's first prompt, before any key
	for _ in $(seq 100); do
		tmux -S "$sock" capture-pane -p 2>/dev/null | grep -q . && break
		sleep 0.1
	done
	tmux -S "$sock" send-keys "PS1='$ '; . '$out/ptinspect.bash'; ptinspect() { printf '<%s>' \"\$@\"; echo; }" Enter
	# one line at a time, the next once this one's words are printed:
	# keys typed ahead while bash runs a command reach the terminal in
	# cooked mode, not readline (a clean-clone run lost one line so)
	printed() { tmux -S "$sock" capture-pane -p -S - 2>/dev/null | grep -c '^<'; }
	for l in "${rl_lines[@]}"; do
		before=$(printed)
		tmux -S "$sock" send-keys -l "${l%%|*}"
		tmux -S "$sock" send-keys Tab Enter
		for _ in $(seq 200); do
			[ "$(printed)" -gt "$before" ] && break
			sleep 0.05
		done
	done
	tmux -S "$sock" send-keys "printf '<%s>\\n' done" Enter
	for _ in $(seq 100); do
		tmux -S "$sock" capture-pane -p -S - >"$out/pane" 2>/dev/null
		grep -qx '<done>' "$out/pane" && break
		sleep 0.2
	done
	tmux -S "$sock" kill-server
	mapfile -t got < <(grep '^<' "$out/pane" | grep -vx '<done>')
	i=0
	for l in "${rl_lines[@]}"; do
		if [ "${got[i]}" = "${l#*|}" ]; then
			ok "readline: ${l%%|*}"
		else
			fail "readline: ${l%%|*}" "got:  ${got[i]}" "want: ${l#*|}"
		fi
		i=$((i + 1))
	done
fi

# zsh: its completion system, in an interactive zsh under zpty
if ! command -v zsh >/dev/null; then
	for t in zsh_subcommands zsh_backend_choices zsh_backend_after_equals \
		zsh_lab_command_after_a_semicolon zsh_kind_after_a_comma zsh_lab_command_arguments zsh_addr_names \
		zsh_dump_output_columns zsh_child_columns_after_a_comma; do
		echo "ok $((n = n + 1)) - $t # SKIP zsh is not installed (make deps)"
	done
	exit 0
fi
zcomp() {
	timeout 60 zsh -f tests/pkg/zcomp.zsh "$(pwd)/$out" "ptinspect $*" 2>&1
}
is "zsh_subcommands" "$(zcomp '')" "dump maps decode bits lab shell replay learn help subject"
is "zsh_backend_choices" "$(zcomp dump --backend '')" "auto kmod pagemap"
is "zsh_learn_lessons_by_prefix" "$(zcomp learn thp)" "thp-fork"
is "zsh_backend_after_equals" "$(zcomp dump --backend=p)" "pagemap"
is "zsh_lab_command_after_a_semicolon" "$(zcomp lab --script "'write parent; f")" "fork"
# zsh completes the word after the comma (compset)
is "zsh_kind_after_a_comma" "$(zcomp lab --random 5 --kind anon,t)" "thp"
is "zsh_lab_command_arguments" "$(zcomp lab --script "'fork; madvise dontneed c")" "child"
has "zsh_addr_names" "$(zcomp dump --pid "$P" --addr '')" sleep libc.so.6 stack
is "zsh_dump_output_columns" "$(zcomp dump -o '')" "$(cols dump)"
is "zsh_child_columns_after_a_comma" "$(zcomp dump --child "$P" --output start,c)" "$(cols dump --child 1 | grep '^c')"
