# SPDX-License-Identifier: GPL-2.0
# A little TAP for the shell suites; tests/run counts the lines.
# shellcheck shell=bash

t_n=0
PTINSPECT=${PTINSPECT:-./ptinspect}
SUBJECT=${SUBJECT:-$PTINSPECT subject}
PY=/usr/bin/python3

t_ok() { t_n=$((t_n + 1)); echo "ok $t_n - $1"; }
t_skip() { t_n=$((t_n + 1)); echo "ok $t_n - $1 # SKIP $2"; }
t_fail() {
	t_n=$((t_n + 1))
	echo "not ok $t_n - $1"
	shift
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
}
t_done() { echo "1..$t_n"; }
# Unnumbered lines, for the suites whose plan is counted at the end (vm)
u_ok() { echo "ok - $1"; }
u_skip() { echo "ok - $1 # SKIP $2"; }
u_fail() {
	echo "not ok - $1"
	shift
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
}

# t_exit NAME CODE CMD...: CMD exits CODE with one line on stderr
t_exit() {
	local name=$1 want=$2 rc lines
	shift 2
	"$@" >/tmp/pt_out.$$ 2>/tmp/pt_err.$$
	rc=$?
	lines=$(wc -l </tmp/pt_err.$$)
	if [ "$rc" -eq "$want" ] && [ "$lines" -eq 1 ]; then
		t_ok "$name"
	else
		t_fail "$name" "exit $rc (want $want), $lines stderr lines:" "$(cat /tmp/pt_err.$$)"
	fi
	rm -f /tmp/pt_out.$$ /tmp/pt_err.$$
}

# t_wait_file FILE REGEX [SECONDS]: until FILE has a line matching REGEX
# (10 s at most); for tests that must not race a background ptinspect.
t_wait_file() {
	local i=0 n=$((${3:-10} * 50))
	until grep -Eq -- "$2" "$1" 2>/dev/null; do
		[ $i -ge $n ] && return 1
		sleep 0.02
		i=$((i + 1))
	done
}

# held_start FD IN OUT CMD...: CMD in the background, its standard input
# the fifo IN held open on FD (it lives until FD closes), its output in
# OUT; returns when OUT has a line (10 s at most), CMD's pid in $HELD_PID.
held_start() {
	local fd=$1 in=$2 out=$3
	shift 3
	mkfifo "$in"
	"$@" <"$in" >"$out" &
	HELD_PID=$!
	eval "exec $fd>\"\$in\""
	t_wait_file "$out" . 10
}

# A subject process driven through a fifo; replies land in $S_OUT.
subject_start() {
	S_DIR=$(mktemp -d)
	mkfifo "$S_DIR/in"
	# made here: the job opens it only once the fifo has a writer, and
	# subject_wait may read it before that
	: >"$S_DIR/out"
	# shellcheck disable=SC2086
	$SUBJECT <"$S_DIR/in" >"$S_DIR/out" &
	S_PID=$!
	exec 7>"$S_DIR/in"
	S_LINES=1
	subject_wait >/dev/null
}

# Waits for the reply to the last command and prints it.
subject_wait() {
	local i=0
	while [ "$(wc -l <"$S_DIR/out")" -lt "$S_LINES" ] && [ $i -lt 200 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	sed -n "${S_LINES}p" "$S_DIR/out"
}

# subject CMD...: runs CMD; the reply's value (an address, a pid) is in $R.
# Not in a $(...): the line count must survive.
subject() {
	echo "$*" >&7
	S_LINES=$((S_LINES + 1))
	R=$(subject_wait | awk '{print $2}')
}

subject_stop() {
	exec 7>&-
	kill -9 "$S_PID" 2>/dev/null
	wait "$S_PID" 2>/dev/null
	rm -rf "$S_DIR"
}

# on_pty CMD...: CMD on a real pseudo-terminal, what it wrote on stdout
# (isatty() true: the colour and terminal paths of the views)
on_pty() {
	$PY -c '
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        b = os.read(fd, 65536)
    except OSError:
        break
    if not b:
        break
    out += b
os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
' "$@"
}
