#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Recordings on this machine: a real lab session recorded with --record
# and replayed as text, JSON and screens, compared with what the live
# session printed; every line against the schema; SIGINT and SIGTERM in
# the middle of a session; damaged files; generated scripts; --pid on a
# forking program.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
SCHEMA=doc/ptinspect-recording.schema.json
FORKER=$(dirname "$PTINSPECT")/helpers/forker
[ -x "$FORKER" ] || FORKER=build/plain/helpers/forker

# every line of a recording against the schema: header, steps, end line
valid() {
	$PY - "$SCHEMA" "$1" <<'EOF'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().split("\n")
assert lines[-1] == "", "no newline at the end"
lines = [json.loads(l) for l in lines[:-1]]
parts = ["header"] + ["step"] * (len(lines) - 2) + ["end"]
for l, p in zip(lines, parts):
    jsonschema.validate(l, dict(schema["$defs"][p], **{"$defs": schema["$defs"]}),
                        cls=jsonschema.Draft202012Validator)
    jsonschema.validate(l, schema, cls=jsonschema.Draft202012Validator)
assert [s["step"] for s in lines[1:-1]] == list(range(1, len(lines) - 1))
assert lines[-1]["end"]["steps"] == len(lines) - 2
print(len(lines) - 2, lines[-1]["end"]["how"])
EOF
}

SCRIPT='write parent; fork; write child; write parent; madvise dontneed child; read child; exit child; write parent 0x1000'

# the live session's text and the replay's, byte for byte
$PTINSPECT lab --kind thp --script "$SCRIPT" --record "$D/thp.rec" >"$D/live.txt" 2>"$D/err"
rc=$?
$PTINSPECT replay "$D/thp.rec" >"$D/replay.txt" 2>>"$D/err"
if [ $rc -eq 0 ] && [ -s "$D/live.txt" ] && cmp -s "$D/live.txt" "$D/replay.txt"; then
	t_ok "replay_text_equals_the_live_session"
else
	t_fail "replay_text_equals_the_live_session" "rc $rc" "$(diff "$D/live.txt" "$D/replay.txt" | head -20)" "$(cat "$D/err")"
fi
n=$(grep -c '^== step' "$D/live.txt")
r=$(valid "$D/thp.rec" 2>&1)
[ "$r" = "$n end" ] && [ "$n" -eq 9 ] && t_ok "recording_is_valid_against_the_schema_with_every_step" ||
	t_fail "recording_is_valid_against_the_schema_with_every_step" "$r (live: $n steps)"
# lab --kernel: the recording keeps the rows' kernel, so the replay
# explains a 6.15 session as the live one did (valid against the schema)
K=$(mktemp -d)
$PTINSPECT lab --kernel 6.15 --kind thp --script 'read parent; write parent' --record "$K/k.rec" >"$K/live.txt" 2>"$K/err"
rc=$?
$PTINSPECT replay "$K/k.rec" >"$K/replay.txt" 2>>"$K/err"
r=$(valid "$K/k.rec" 2>&1)
if [ $rc -eq 0 ] && cmp -s "$K/live.txt" "$K/replay.txt" && [ "$r" = "3 end" ] &&
	grep -q 'the rows for 6.12 and 6.18 that hold for both (6.15 is between them)' "$K/replay.txt"; then
	t_ok "replay_keeps_the_rows_kernel"
else
	t_fail "replay_keeps_the_rows_kernel" "rc $rc $r" "$(diff "$K/live.txt" "$K/replay.txt" | head -20)" "$(cat "$K/err")"
fi
rm -rf "$K"

# the raw values and the layout are in the file: the pagemap words of the
# fork step are those the live JSON showed
r=$($PY - "$D/thp.rec" <<'EOF'
import json, sys
L = [json.loads(l) for l in open(sys.argv[1])]
h, steps = L[0], L[1:-1]
ok = h["recording"] == 1 and h["layout"]["rows"] and h["arch"] == h["layout"]["arch"]
ok = ok and steps[2]["event"] == "fork" and steps[2]["child"]["walk"] is not None
ok = ok and all(len(s["parent"]["walk"]["levels"]) == 5 for s in steps if s["parent"]["walk"])
ok = ok and steps[2]["parent"]["walk"]["pagemap"]["word"] != "0x0"
print(ok)
EOF
)
[ "$r" = True ] && t_ok "recording_holds_layout_and_pagemap_words" || t_fail "recording_holds_layout_and_pagemap_words" "$r"
tmps=$(find "$D" -maxdepth 1 -name '.thp.rec.*' | wc -l)
[ "$tmps" -eq 0 ] && t_ok "no_temporary_file_is_left" || t_fail "no_temporary_file_is_left" "$tmps left"

# JSON: the same lines
$PTINSPECT lab --kind thp --json --script "$SCRIPT" --record "$D/j.rec" >"$D/live.json" 2>/dev/null
$PTINSPECT replay --json "$D/j.rec" >"$D/replay.json" 2>"$D/err"
if [ -s "$D/live.json" ] && cmp -s "$D/live.json" "$D/replay.json"; then
	t_ok "replay_json_equals_the_live_session"
else
	t_fail "replay_json_equals_the_live_session" "$(diff "$D/live.json" "$D/replay.json" | head -10)" "$(cat "$D/err")"
fi

# the screen of the last step, stable and as it is, equals the live one
$PTINSPECT lab --kind thp --script "$SCRIPT; screen stable; screen" --record "$D/s.rec" \
	--screen "$D/live.scr" >/dev/null 2>&1
$PTINSPECT replay "$D/s.rec" --script 'step last; screen stable; screen' --screen "$D/replay.scr" \
	>/dev/null 2>"$D/err"
if [ -s "$D/live.scr" ] && grep -q 'step 9/9' "$D/live.scr" && cmp -s "$D/live.scr" "$D/replay.scr"; then
	t_ok "replay_screen_equals_the_live_screen"
else
	t_fail "replay_screen_equals_the_live_screen" "$(diff "$D/live.scr" "$D/replay.scr" | head -10)" "$(cat "$D/err")"
fi

# stepping back through the interpreter: step 4 as the live session printed it
$PTINSPECT replay "$D/thp.rec" --script 'step last; back; back; back; back; back; dump' >"$D/back.txt" 2>"$D/err"
sed -n '/^== step 4 /,/^== step 5 /p' "$D/live.txt" | sed '$d' >"$D/live4.txt"
# the replay printed step 1, then each step shown, the last dump is step 4
awk '/^== step /{n++} {b[n] = b[n] $0 "\n"} END {printf "%s", b[n]}' "$D/back.txt" >"$D/replay4.txt"
if [ -s "$D/live4.txt" ] && cmp -s "$D/live4.txt" "$D/replay4.txt"; then
	t_ok "replay_steps_back_to_step_4"
else
	t_fail "replay_steps_back_to_step_4" "$(diff "$D/live4.txt" "$D/replay4.txt" | head -10)" "$(cat "$D/err")"
fi

# a replay runs no event, reads no process, needs no root
t_exit "replay_refuses_an_event_in_one_line" 2 $PTINSPECT replay "$D/thp.rec" --script 'write parent'
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	cp "$D/thp.rec" "$D/nobody.rec"
	chmod 644 "$D/nobody.rec"
	chmod 755 "$D"
	setpriv --reuid=65534 --regid=65534 --clear-groups $PTINSPECT replay "$D/nobody.rec" \
		>"$D/nobody.txt" 2>"$D/err"
	cmp -s "$D/live.txt" "$D/nobody.txt" && t_ok "replay_as_nobody_equals_the_live_session" ||
		t_fail "replay_as_nobody_equals_the_live_session" "$(cat "$D/err")"
else
	t_skip "replay_as_nobody_equals_the_live_session" "not root"
fi

# the KSM erratum's live check is the recording machine's, kept with the
# page (pagemap.ksm), never the replaying machine's: Debian 6.12's arm64
# recording says KSM on every anonymous page; as committed (before the
# state was kept) it is told by the version, with the state written in
# the recording it is what the recording says, whatever KSM did here
ksm_rec() {
	$PY - "$1" "$2" <<'EOF2'
import json, sys
src, state = sys.argv[1], sys.argv[2]
def mark(o):
    if isinstance(o, dict):
        kpf = o.get("kpageflags")
        if "word" in o and isinstance(kpf, str) and int(kpf, 16) & (1 << 21):
            o["ksm"] = state
        for v in o.values():
            mark(v)
    elif isinstance(o, list):
        for v in o:
            mark(v)
for line in open(src):
    o = json.loads(line)
    mark(o)
    print(json.dumps(o, separators=(",", ":")))
EOF2
}
G=tests/screens/arm64-6.12/grid.rec
bad=""
$PTINSPECT replay "$G" >"$D/ksm-old.txt" 2>"$D/err" &&
	sed -z 's/\nkpageflags: / /g' "$D/ksm-old.txt" | grep -q "told by the version only (KSM's state was not read with the page)" &&
	! grep -q "seen live" "$D/ksm-old.txt" || bad="$bad old"
for st in never-ran has-run; do
	ksm_rec "$G" $st >"$D/ksm-$st.rec" && $PTINSPECT replay "$D/ksm-$st.rec" >"$D/ksm-$st.txt" 2>>"$D/err" || bad="$bad $st-rc"
	sed -z 's/\nkpageflags: / /g' "$D/ksm-$st.txt" >"$D/ksm-$st.flat"
done
grep -q "seen live: KSM had never run (/sys/kernel/mm/ksm/full_scans was 0)" "$D/ksm-never-ran.flat" &&
	! grep -q "told by the version" "$D/ksm-never-ran.flat" || bad="$bad never-ran"
grep -q "told by the version only (KSM has run: the page may be merged too)" "$D/ksm-has-run.flat" &&
	! grep -q "seen live" "$D/ksm-has-run.flat" || bad="$bad has-run"
[ -z "$bad" ] && t_ok "replay_tells_the_recorded_ksm_state_not_its_own" ||
	t_fail "replay_tells_the_recorded_ksm_state_not_its_own" "$bad" "$(cat "$D/err")" "$(grep -m2 -o 'ksm (.\{0,200\}' "$D/ksm-has-run.flat")"

# one way to make a step: each step of a --script session is written once
# (moving the view with back and step writes none), with the explanation
# the live session printed (the recorder observes after the explainer)
$PTINSPECT lab --kind anon --json --script 'write parent; fork; back; step 1; write child; step last' \
	--record "$D/once.rec" >"$D/once.json" 2>"$D/err"
rc=$?
r=$($PY - "$D/once.rec" "$D/once.json" <<'EOF2' 2>&1
import json, sys
rec = [json.loads(l) for l in open(sys.argv[1])][1:-1]
live = [json.loads(l) for l in open(sys.argv[2])]
steps = [s["step"] for s in rec]
assert steps == [1, 2, 3, 4], "recorded steps %s" % steps
assert [s["step"] for s in live] == [1, 2, 3, 2, 1, 4, 4], "shown %s" % [s["step"] for s in live]
for s in rec:
    shown = [l for l in live if l["step"] == s["step"]]
    assert all(l["explain"]["text"] == s["explain"]["text"] for l in shown), s["step"]
    assert s["explain"]["text"], "step %d unexplained" % s["step"]
print("ok")
EOF2
)
[ $rc -eq 0 ] && [ "$r" = ok ] && t_ok "each_step_is_explained_and_recorded_once" ||
	t_fail "each_step_is_explained_and_recorded_once" "rc $rc: $r" "$(cat "$D/err")"

# a replay's view commands move its own view; maps reads no process either
t_exit "replay_refuses_maps_in_one_line" 2 $PTINSPECT replay "$D/thp.rec" --script 'step 2; maps'

# SIGTERM and SIGINT while a `wait` event runs: the steps so far are saved
for sig in TERM INT; do
	# SIGINT at its default action: a background job (or one started by
	# one) inherits it ignored, and ptinspect leaves an ignored signal be
	$PY -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' $PTINSPECT lab --kind anon \
		--script 'write parent; fork; write child; wait 20000; write parent' \
		--record "$D/sig$sig.rec" >"$D/sig.out" 2>&1 &
	pid=$!
	# three steps after the first: the fourth (wait) is sleeping
	i=0
	until [ "$(cat "$D"/.sig$sig.rec.* 2>/dev/null | grep -c '"step"')" -ge 4 ] || [ $i -ge 500 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	sleep 0.2
	kill -$sig $pid
	wait $pid
	rc=$?
	r=$(valid "$D/sig$sig.rec" 2>&1)
	left=$(find "$D" -maxdepth 1 -name ".sig$sig.rec.*" | wc -l)
	want=$((128 + $(kill -l $sig)))
	if [ "$r" = "4 signal" ] && [ "$rc" -eq $want ] && [ "$left" -eq 0 ] &&
		$PTINSPECT replay "$D/sig$sig.rec" | grep -q '^== step 4  write child'; then
		t_ok "sig${sig}_mid_session_saves_every_step_so_far"
	else
		t_fail "sig${sig}_mid_session_saves_every_step_so_far" "exit $rc (want $want), $r, $left temporary files" "$(cat "$D/sig.out")"
	fi
done

# a recording is 0600 whatever the umask (PFNs, kpageflags); a session
# killed by SIGKILL leaves its temporary file, which the next recording
# to the same name removes
(umask 022 && $PTINSPECT lab --kind anon --script 'write parent' --record "$D/mode.rec" >/dev/null 2>&1)
m=$(stat -c %a "$D/mode.rec" 2>&1)
[ "$m" = 600 ] && t_ok "recording_is_created_0600_under_umask_022" ||
	t_fail "recording_is_created_0600_under_umask_022" "mode $m"
$PTINSPECT lab --kind anon --script 'write parent; wait 20000' --record "$D/kill.rec" >/dev/null 2>&1 &
pid=$!
i=0
until [ "$(cat "$D"/.kill.rec.* 2>/dev/null | grep -c '"step"')" -ge 2 ] || [ $i -ge 500 ]; do
	sleep 0.02
	i=$((i + 1))
done
kill -KILL $pid
wait $pid 2>/dev/null
left=$(find "$D" -maxdepth 1 -name '.kill.rec.*' | wc -l)
$PTINSPECT lab --kind anon --script 'write parent' --record "$D/kill.rec" >/dev/null 2>&1
after=$(find "$D" -maxdepth 1 -name '.kill.rec.*')
[ "$left" -eq 1 ] && [ -z "$after" ] && [ -s "$D/kill.rec" ] &&
	t_ok "sigkill_leftover_is_removed_by_the_next_recording" ||
	t_fail "sigkill_leftover_is_removed_by_the_next_recording" "$left left after SIGKILL, after the next run: $after"

# damaged recordings: one line, exit status 12, never a crash
head -c -20 "$D/thp.rec" >"$D/cut.rec"
t_exit "truncated_mid_line_is_refused" 12 $PTINSPECT replay "$D/cut.rec"
head -n -1 "$D/thp.rec" >"$D/noend.rec"
t_exit "truncated_at_a_line_is_refused" 12 $PTINSPECT replay "$D/noend.rec"
sed '3s/"state":"leaf"/"state":"leaf/; 3s/"state":"none"/"state":"none/' "$D/thp.rec" >"$D/corrupt.rec"
t_exit "corrupt_json_is_refused" 12 $PTINSPECT replay "$D/corrupt.rec"
sed '4s/"event":/"evnt":/' "$D/thp.rec" >"$D/field.rec"
t_exit "missing_field_is_refused" 12 $PTINSPECT replay "$D/field.rec"
sed '1s/"recording":1/"recording":2/' "$D/thp.rec" >"$D/newer.rec"
t_exit "newer_format_is_refused" 12 $PTINSPECT replay "$D/newer.rec"
$PTINSPECT replay "$D/newer.rec" 2>&1 | grep -q 'newer than this ptinspect reads' &&
	t_ok "newer_format_says_so" || t_fail "newer_format_says_so" "$($PTINSPECT replay "$D/newer.rec" 2>&1)"
sed '1s/"arch":"x86_64"/"arch":"vax"/g' "$D/thp.rec" >"$D/arch.rec"
t_exit "unknown_architecture_is_refused" 12 $PTINSPECT replay "$D/arch.rec"
sed '3d' "$D/thp.rec" >"$D/gap.rec"
t_exit "a_missing_step_is_refused" 12 $PTINSPECT replay "$D/gap.rec"
# a string that would drive the terminal: an escape sequence through
# \u, a C1 control's byte (not UTF-8) raw; a tab is text
sed '1s/"note":"/"note":"\\u001b]0;PWNED\\u0007\\u001b[31m/' "$D/thp.rec" >"$D/esc.rec"
t_exit "escape_sequence_in_a_string_is_refused" 12 $PTINSPECT replay "$D/esc.rec"
sed $'1s/"note":"/"note":"\x9b31m/' "$D/thp.rec" >"$D/c1.rec"
t_exit "c1_byte_in_a_string_is_refused" 12 $PTINSPECT replay "$D/c1.rec"
sed '1s/"note":"/"note":"\\t/' "$D/thp.rec" >"$D/tab.rec"
t_exit "tab_in_a_string_is_read" 0 sh -c "$PTINSPECT replay '$D/tab.rec' >/dev/null && echo read >&2"
# the reader's limits: one line, exit 12, in bounded memory (a 40 MB
# line of a 20-million-element array took 981 MB); a file of more steps
# than a replay holds (100000, some 4.5 KB each) is refused as it is read
r=$($PY - "$PTINSPECT" "$D/thp.rec" "$D" <<'EOF'
import re, subprocess, sys
exe, path, d = sys.argv[1:]
L = open(path).read().split("\n")[:-1]
head, steps = L[0], L[1:-1]
def run(name, lines):
    with open(f"{d}/{name}.rec", "w") as f:
        f.write("\n".join(lines) + "\n")
    # /usr/bin/time: its child is forked from a small process, not this one
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", f"{d}/rss", exe, "replay",
                        f"{d}/{name}.rec", "--script", "step last"],
                       capture_output=True, text=True)
    rss = int(open(f"{d}/rss").read().split()[-1])
    err = p.stderr.strip().split("\n")
    return p.returncode, len(err), err[0], rss
bad = []
big = '{"step":1,"x":[' + ",".join(["0"] * 20_000_000) + "]}"
rc, n, msg, rss = run("bigline", [head, big, steps[-1]])
if rc != 12 or n != 1 or "longer than" not in msg or rss > 200_000:
    bad.append(f"40 MB line: exit {rc}, {n} lines, {msg[:80]}, peak {rss} KB")
big = None
many = head[:-1] + ',"x":[' + ",".join(["0"] * 2000) + "]}"
rc, n, msg, rss = run("members", [many] + steps + ['{"end":{"steps":%d,"how":"end"}}' % len(steps)])
if rc != 12 or n != 1 or "members" not in msg:
    bad.append(f"2000 members: exit {rc}, {n} lines, {msg[:80]}")
# 100001 steps: the recorded ones again, each with its number changed
many = [head] + [re.sub(r'"step":\d+', '"step":%d' % (i + 1), steps[i % len(steps)], count=1)
                 for i in range(100_001)]
many.append('{"end":{"steps":100001,"how":"end"}}')
rc, n, msg, rss = run("steps", many)
if rc != 12 or n != 1 or "more than 100000 steps" not in msg:
    bad.append(f"100001 steps: exit {rc}, {n} lines, {msg[:80]}, peak {rss} KB")
print(bad or "ok")
EOF
)
[ "$r" = ok ] && t_ok "reader_limits_refuse_in_bounded_memory" || t_fail "reader_limits_refuse_in_bounded_memory" "$r"
rm -f "$D"/bigline.rec "$D"/members.rec "$D"/steps.rec "$D"/rss
: >"$D/empty.rec"
t_exit "empty_file_is_refused" 12 $PTINSPECT replay "$D/empty.rec"
t_exit "missing_file_is_a_usage_error" 2 $PTINSPECT replay "$D/nothing.rec"
t_exit "record_into_a_missing_directory_is_one_line" 2 $PTINSPECT lab --kind anon --script fork --record "$D/no/x.rec"
t_exit "record_into_a_directory_name_is_one_line" 2 $PTINSPECT lab --kind anon --script fork --record "$D/"
t_exit "a_session_that_never_starts_keeps_its_error" 2 $PTINSPECT lab --kind nosuch --record "$D/k.rec"
[ -z "$(find "$D" -maxdepth 1 -name '*k.rec*')" ] && t_ok "a_session_that_never_starts_leaves_no_file" ||
	t_fail "a_session_that_never_starts_leaves_no_file" "$(find "$D" -maxdepth 1 -name '*k.rec*')"
t_exit "record_goes_with_lab_shell_pid_only" 2 $PTINSPECT dump --pid $$ --addr heap --record "$D/x.rec"
# every byte cut: each prefix is refused or (at the end) read whole
r=$($PY - "$PTINSPECT" "$D/s.rec" "$D" <<'EOF'
import random, subprocess, sys
exe, path, d = sys.argv[1:]
data = open(path, "rb").read()
random.seed(7)
cuts = sorted(random.sample(range(1, len(data)), 40))
bad = []
for c in cuts:
    open(d + "/p.rec", "wb").write(data[:c])
    p = subprocess.run([exe, "replay", d + "/p.rec"], capture_output=True)
    if p.returncode != 12 or p.stderr.count(b"\n") != 1:
        bad.append((c, p.returncode, p.stderr[-200:]))
print(bad or "ok")
EOF
)
[ "$r" = ok ] && t_ok "forty_random_truncations_are_refused" || t_fail "forty_random_truncations_are_refused" "$r"

# generated inputs: random lab scripts, recorded and replayed
SEED=${PT_SEED:-$(date +%s)}
n=0 bad=""
for j in 0 1 2 3 4 5; do
	s=$((SEED + j))
	hdr=$($PTINSPECT lab --random 1 --seed $s --kind anon,thp,shared,file-private,memfd --json 2>/dev/null | head -n 1)
	kind=$($PY -c 'import json,sys; print(json.loads(sys.argv[1])["kind"])' "$hdr")
	ev=$($PY -c 'import json,sys; print(json.loads(sys.argv[1])["events"])' "$hdr")
	$PTINSPECT lab --kind "$kind" --script "$ev" --json --record "$D/g$j.rec" >"$D/g.live" 2>/dev/null
	$PTINSPECT replay --json "$D/g$j.rec" >"$D/g.replay" 2>&1
	if cmp -s "$D/g.live" "$D/g.replay" && [ -s "$D/g.live" ] && valid "$D/g$j.rec" >/dev/null 2>&1; then
		n=$((n + 1))
	else
		bad="$bad seed $s ($kind: $ev)"
	fi
done
[ $n -eq 6 ] && t_ok "six_random_scripts_replay_identically_seed_$SEED" ||
	t_fail "six_random_scripts_replay_identically_seed_$SEED" "$bad"

# --pid on a forking program: attach, the fork, the child's write
if [ -x "$FORKER" ]; then
	mkfifo "$D/fin"
	"$FORKER" <"$D/fin" >"$D/fout" &
	fpid=$!
	exec 8>"$D/fin"
	t_wait_file "$D/fout" '^addr '
	addr=$(sed -n 's/^addr //p' "$D/fout")
	$PTINSPECT --pid $fpid --addr "$addr" --interval 0.1 --json --record "$D/pid.rec" >"$D/pid.out" 2>"$D/pid.err" &
	wpid=$!
	t_wait_file "$D/pid.out" '"event"'
	echo fork >&8
	t_wait_file "$D/pid.out" '"child":\{'
	echo cwrite >&8
	sleep 0.5
	kill -TERM $wpid
	wait $wpid
	rc=$?
	echo quit >&8
	exec 8>&-
	wait $fpid
	r=$(valid "$D/pid.rec" 2>&1)
	$PTINSPECT replay --json "$D/pid.rec" >"$D/pid.replay" 2>&1
	# the fork is a step with both sides
	fork=$($PY - "$D/pid.rec" <<'EOF'
import json, sys
L = [json.loads(l) for l in open(sys.argv[1])][1:-1]
f = [s for s in L if s["event"].startswith("fork")]
print(bool(f) and f[0]["parent"]["walk"] is not None and f[0]["child"]["walk"] is not None)
EOF
)
	if [ $rc -eq 0 ] && [ "${r% end}" -ge 3 ] 2>/dev/null && cmp -s "$D/pid.out" "$D/pid.replay" &&
		grep -q '"mode":"pid"' "$D/pid.rec" && [ "$fork" = True ]; then
		t_ok "pid_watch_recording_replays_identically"
	else
		t_fail "pid_watch_recording_replays_identically" "exit $rc, $r, fork step: $fork" "$(diff "$D/pid.out" "$D/pid.replay" | head)" "$(cat "$D/pid.err")"
	fi
else
	t_skip "pid_watch_recording_replays_identically" "no forker helper"
fi

# shell: the same recording from typed lines
printf 'write parent\nfork\nwrite child\n' | $PTINSPECT shell --kind anon --record "$D/sh.rec" >"$D/sh.out" 2>&1
r=$(valid "$D/sh.rec" 2>&1)
[ "$r" = "4 end" ] && t_ok "shell_records_every_step" || t_fail "shell_records_every_step" "$r" "$(cat "$D/sh.out")"

# a terminal: q ends a recorded TUI lab with its steps saved, and the
# replay opens the same TUI, stepping with the lab's keys
if command -v tmux >/dev/null; then
	TMUX_TMPDIR=$D/tmux
	mkdir -p "$TMUX_TMPDIR"
	export TMUX_TMPDIR LC_ALL=C.UTF-8 XDG_STATE_HOME=$D/state
	# our own server on our own socket: $TMUX (the user's) would win
	unset TMUX
	echo "set -g remain-on-exit on" >"$D/tmux.conf"
	tm() { tmux -S "$TMUX_TMPDIR/sock" -f "$D/tmux.conf" "$@"; }
	# panes stay (remain-on-exit) and each session has its own name: a
	# session killed while the next starts can take the server with it
	S=rec
	pane() { tm capture-pane -t "$S" -p; }
	poll() {
		local i
		for ((i = 0; i < 500; i++)); do
			pane | grep -qF -- "$1" && return 0
			sleep 0.02
		done
		return 1
	}
	# the pane's program has exited: tmux's own flag (the "Pane is dead"
	# line it may print is not there every time)
	dead() {
		local i
		for ((i = 0; i < 500; i++)); do
			[ "$(tm display -p -t "$S" '#{pane_dead}')" = 1 ] && return 0
			sleep 0.02
		done
		return 1
	}
	bin=$(realpath "$PTINSPECT")
	tm new-session -d -s rec -x 120 -y 45 "$bin lab --kind anon --script 'write parent; fork' --record '$D/tui.rec'"
	poll "step 1/1" && tm send-keys -t rec n && poll "step 2/2" && tm send-keys -t rec n &&
		poll "step 3/3" && tm send-keys -t rec q && dead
	r=$(valid "$D/tui.rec" 2>&1)
	[ "$r" = "3 end" ] && t_ok "tui_lab_quit_with_q_saves_every_step" ||
		t_fail "tui_lab_quit_with_q_saves_every_step" "$r" "$(pane)"
	S=rep
	tm new-session -d -s rep -x 120 -y 45 "$bin replay '$D/thp.rec'"
	ok=0
	poll "step 1/9  map thp" && tm send-keys -t rep Right && poll "step 2/9  write parent" &&
		tm send-keys -t rep End && poll "step 9/9" && tm send-keys -t rep Left && poll "step 8/9" &&
		tm send-keys -t rep : && tm send-keys -t rep "write parent" Enter &&
		poll "a replay shows recorded steps" && tm send-keys -t rep q && dead && ok=1
	[ $ok -eq 1 ] && t_ok "replay_tui_steps_with_the_lab_keys_and_refuses_events" ||
		t_fail "replay_tui_steps_with_the_lab_keys_and_refuses_events" "$(pane)"
	tm kill-server 2>/dev/null
else
	t_skip "tui_lab_quit_with_q_saves_every_step" "no tmux"
	t_skip "replay_tui_steps_with_the_lab_keys_and_refuses_events" "no tmux"
fi

# Replay memory per step: what a recording of N steps costs is N steps,
# each sizeof(struct pt_lab_step) (two walks and the changes: 4,288 bytes
# on x86_64) plus the rows its explanation checked, a few dozen bytes
# each; the prose, the VMAs' paths and the changes' names are interned,
# one copy for every step that says them.  Steps of the thp session
# repeated to 1,000 and to 11,000: the peak RSS of the two replays, over
# the 10,000 steps between them, must stay under 6 KiB a step (measured
# 4,404 bytes; 100,000 steps peaked at 434,536 KiB).  Before the paths
# were interned (each walk's VMA held a PATH_MAX buffer) a step took
# 13,555 bytes (1.33 GB for 100,000 steps); before the explanation was
# interned, 28,624 bytes (2.8 GB).
MAXRSS=$(dirname "$PTINSPECT")/helpers/maxrss
[ -x "$MAXRSS" ] || MAXRSS=build/plain/helpers/maxrss
case $PTINSPECT in
*asan*)
	t_skip "replay_memory_per_step_under_6_kib" "ASan's allocator keeps freed memory in quarantine: measured on the plain build"
	;;
*)
	for n in 1000 11000; do
		$PY - "$D/thp.rec" "$n" >"$D/big$n.rec" <<'EOF'
import re, sys
lines = open(sys.argv[1]).read().split("\n")[:-1]
n = int(sys.argv[2])
steps = lines[1:-1]
print(lines[0])
for i in range(n):
    print(re.sub(r'"step":\d+', '"step":%d' % (i + 1), steps[i % len(steps)], count=1))
print('{"end":{"steps":%d,"how":"end"}}' % n)
EOF
		"$MAXRSS" "$PTINSPECT" replay "$D/big$n.rec" --script 'step last' >/dev/null 2>"$D/rss$n"
		echo "rc $?" >>"$D/rss$n"
	done
	r1=$(sed -n 's/^maxrss //p' "$D/rss1000")
	r2=$(sed -n 's/^maxrss //p' "$D/rss11000")
	if grep -q '^rc 0$' "$D/rss1000" && grep -q '^rc 0$' "$D/rss11000" && [ -n "$r1" ] && [ -n "$r2" ] &&
		[ $(((r2 - r1) * 1024 / 10000)) -lt 6144 ]; then
		t_ok "replay_memory_per_step_under_6_kib ($(((r2 - r1) * 1024 / 10000)) bytes a step)"
	else
		t_fail "replay_memory_per_step_under_6_kib" "peak RSS ${r1:-?} KiB at 1,000 steps, ${r2:-?} KiB at 11,000" \
			"$(cat "$D/rss1000" "$D/rss11000")"
	fi
	;;
esac

t_done
