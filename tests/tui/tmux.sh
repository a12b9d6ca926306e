# SPDX-License-Identifier: GPL-2.0
# The tmux harness of the terminal suites (tui.sh, maps.sh): a private
# tmux server, panes that stay after their command exits (remain-on-exit),
# and checks that poll the pane for their condition instead of sleeping.
# shellcheck shell=bash

if ! command -v tmux >/dev/null; then
	t_fail "tmux_available" "tmux is not installed (make deps)"
	t_done
	exit 0
fi
TMUX_TMPDIR=$(mktemp -d)
export TMUX_TMPDIR LC_ALL=C.UTF-8 XDG_STATE_HOME=$TMUX_TMPDIR/state
# the user's tmux is not ours: $TMUX names its server and wins over
# TMUX_TMPDIR, so every call names our own socket and TMUX is unset
unset TMUX
bin=$(realpath "$PTINSPECT")
conf=$TMUX_TMPDIR/tmux.conf
echo "set -g remain-on-exit on" >"$conf"
tm() { tmux -S "$TMUX_TMPDIR/sock" -f "$conf" "$@"; }
# tmux_cleanup: the suite's own cleanup calls it last
tmux_cleanup() { tm kill-server 2>/dev/null; rm -rf "$TMUX_TMPDIR"; }
trap tmux_cleanup EXIT

S=
screen() { tm capture-pane -t "$S" -p "$@"; }
keys() { tm send-keys -t "$S" "$@"; }
# poll CMD...: until CMD succeeds, every 20 ms, 10 s at most
poll() {
	local i
	for ((i = 0; i < 500; i++)); do
		"$@" && return 0
		sleep 0.02
	done
	return 1
}
shows() { screen | grep -qF -- "$1"; }
shows_re() { screen | grep -qE -- "$1"; }
not() { ! "$@"; }
# ended [RC]: the pane's command has ended (with RC, default 0); the line
# start() prints at the end, with the lines that scrolled away
ended() { screen -S -5 | grep -qE -- "^EXITED rc=${1:-0} TTY"; }
# check NAME CMD...: CMD must come true
check() {
	local name=$1
	shift
	if poll "$@"; then t_ok "$name"; else t_fail "$name" "$(screen -S -5 | sed '/^$/d')"; fi
}
# start SESSION W H COMMAND: after the command the pane says on one line
# (none scrolls it away) how it ended and what the terminal's modes are
start() {
	S=$1
	tm new-session -d -s "$S" -x "$2" -y "$3" \
		"$4; echo \"EXITED rc=\$? TTY \$(stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' ')\""
}
