#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The terminal suites run from inside the user's tmux (make check typed
# in a tmux pane): they start and kill their own servers, and the user's
# session must outlive them.  The "user's" tmux here is a server on its
# own socket in a temp dir, and the suites run in its pane, where tmux
# sets $TMUX to it, as it does for the user.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

if ! command -v tmux >/dev/null; then
	t_fail "tmux_available" "tmux is not installed (make deps)"
	t_done
	exit 0
fi
D=$(mktemp -d)
sock=$D/outer.sock
unset TMUX
outer() { tmux -S "$sock" -f /dev/null "$@"; }
trap 'outer kill-server 2>/dev/null; rm -rf "$D"' EXIT
bin=$(realpath "$PTINSPECT")
suites="tests/tui/tui.sh tests/tui/maps.sh tests/host/record.sh"
outer new-session -d -s user -x 200 -y 50 "sleep 100000"
outer new-window -d -t user "for s in $suites; do PTINSPECT='$bin' bash \$s >'$D/'\$(basename \$s).tap 2>&1; done; touch '$D/done'; sleep 100000"
# the suites take a few minutes; the user's server must be there at the end
for ((i = 0; i < 6000; i++)); do
	[ -e "$D/done" ] && break
	outer has-session -t user 2>/dev/null || break
	sleep 0.1
done
if outer has-session -t user 2>/dev/null && [ -e "$D/done" ]; then
	t_ok "users_tmux_session_survives_the_terminal_suites"
else
	t_fail "users_tmux_session_survives_the_terminal_suites" \
		"session: $(outer has-session -t user 2>&1 || echo gone); suites done: $([ -e "$D/done" ] && echo yes || echo no)" \
		"$(tail -n 3 "$D"/*.tap 2>/dev/null)"
fi
# and the suites inside it still passed
for s in $suites; do
	f=$D/$(basename "$s").tap
	if [ -e "$f" ] && ! grep -q '^not ok' "$f" && grep -q '^1\.\.' "$f"; then
		t_ok "$(basename "$s" .sh)_passes_inside_the_users_tmux"
	else
		t_fail "$(basename "$s" .sh)_passes_inside_the_users_tmux" "$(grep -A3 '^not ok' "$f" 2>/dev/null | head -12)"
	fi
done
t_done
