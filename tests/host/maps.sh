#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ptinspect maps on a real process with holes (tests/host/holes.py: 2 MiB
# with every 8th page written, a forked child that copied half of them, a
# shared file named "a b"): the counts against what the process did and
# against smaps, the JSON schema, the util-linux habits (-o, --noheadings,
# --raw, --color and NO_COLOR on a real pty); then the lab's maps,
# next-populated and prev-populated on a subject with holes, and the
# mappings list as the TUI lays it out (the screen command).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

SCHEMA=doc/ptinspect-maps.schema.json
tmp=$(mktemp -d)
exec 6>&-
cleanup() {
	exec 6>&- 2>/dev/null
	[ -n "${H_PID:-}" ] && wait "$H_PID" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

validate() {
	$PY -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
text = sys.stdin.read()
# one document, or JSON lines (lab --json)
try:
    docs = [json.loads(text)]
except ValueError:
    docs = [json.loads(l) for l in text.splitlines() if l.strip()]
assert docs
for d in docs:
    jsonschema.validate(d, schema, cls=jsonschema.Draft202012Validator)
' "$SCHEMA"
}

held_start 6 "$tmp/in" "$tmp/out" $PY tests/host/holes.py "$tmp"
H_PID=$HELD_PID
read -r ANON FILE CHILD <"$tmp/out"
if [ -z "$CHILD" ]; then
	t_fail "holes_process_starts" "no line from holes.py"
	t_done
	exit 0
fi

# the mapping's row: 64 of 512 pages populated, no huge, no swap
row=$($PTINSPECT maps --pid "$H_PID" | awk -v a="$ANON" '$1 == a')
set -- $row
if [ "$5" = anon-private ] && [ "$3" = 2M ] && [ "$6" = 256K ] && [ "$7" = 0 ] && [ "$8" = 0 ] && [ $# -eq 8 ]; then
	t_ok "maps_text_counts_every_8th_page_populated"
else
	t_fail "maps_text_counts_every_8th_page_populated" "$row"
fi

# JSON: the schema, the process's own maps, populated >= smaps' Rss
# (the zero page is present but not in Rss), equal where no zero page is
$PTINSPECT maps --pid "$H_PID" --json >"$tmp/maps.json"
if validate <"$tmp/maps.json" 2>"$tmp/v.err"; then
	t_ok "maps_json_is_valid_against_the_schema"
else
	t_fail "maps_json_is_valid_against_the_schema" "$(tail -3 "$tmp/v.err")"
fi
res=$($PY - "$tmp/maps.json" "$H_PID" "$ANON" <<'PYEOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
pid, anon = sys.argv[2], int(sys.argv[3], 16)
rss, starts, cur = {}, [], None
for line in open(f"/proc/{pid}/smaps"):
    m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) ", line)
    if m:
        cur = int(m.group(1), 16)
        starts.append(cur)
    elif line.startswith("Rss:"):
        rss[cur] = int(line.split()[1]) * 1024
got = [int(m["start"], 16) for m in d["mappings"]]
low = [m["start"] for m in d["mappings"] if m["populated_bytes"] < rss[int(m["start"], 16)]]
a = [m for m in d["mappings"] if int(m["start"], 16) == anon][0]
print(got == starts, low, a["populated_bytes"] == rss[anon], a["leaves"]["pte"], a["path"])
PYEOF
)
if [ "$res" = "True [] True 64 None" ]; then
	t_ok "maps_json_matches_proc_maps_and_smaps_rss"
else
	t_fail "maps_json_matches_proc_maps_and_smaps_rss" "$res"
fi

# beside the child: it wrote every 16th page, so half are copied
res=$($PTINSPECT maps --pid "$H_PID" --child "$CHILD" --json | $PY -c '
import json, sys
d = json.load(sys.stdin)
a = [m for m in d["mappings"] if m["start"] == sys.argv[1]][0]
f = [m for m in d["mappings"] if (m["path"] or "").endswith("/a b")][0]
print(d["child"], a["shared_bytes"], a["copied_bytes"], f["populated_bytes"], f["kind"])
' "$ANON")
if [ "$res" = "$CHILD 131072 131072 4096 file-shared" ]; then
	t_ok "maps_child_shared_and_copied_by_pfn"
else
	t_fail "maps_child_shared_and_copied_by_pfn" "$res"
fi
hdr=$($PTINSPECT maps --pid "$H_PID" --child "$CHILD" | head -1)
[ "$hdr" = "$(echo "$hdr" | grep -E 'SHARED +COPIED +COPY% +PATH$')" ] && [ -n "$hdr" ] &&
	t_ok "maps_child_adds_shared_copied_and_share_copied_columns" ||
	t_fail "maps_child_adds_shared_copied_and_share_copied_columns" "$hdr"

# who copied what: sorted by bytes copied, the share copied per mapping,
# and totals that are the rows' sums, in JSON and in text
$PTINSPECT maps --pid "$H_PID" --child "$CHILD" --sort copied --json >"$tmp/sorted.json"
$PTINSPECT maps --pid "$H_PID" --child "$CHILD" --sort copied >"$tmp/sorted.txt"
res=$($PY - "$tmp/sorted.json" "$tmp/sorted.txt" "$ANON" <<'PYEOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read().splitlines()
anon = int(sys.argv[3], 16)
m = d["mappings"]
copied = [x["copied_bytes"] for x in m]
order = copied == sorted(copied, reverse=True) and copied[0] > 0
starts = [x["start"] for x in m]
rows = [l.split()[0] for l in text[1:] if l.startswith("0x")]
a = [x for x in m if int(x["start"], 16) == anon][0]
share = all(x["copied_permille"] == (x["copied_bytes"] * 1000 // (x["shared_bytes"] + x["copied_bytes"])
            if x["shared_bytes"] + x["copied_bytes"] else 0) for x in m)
t = d["totals"]
sums = (t["shared_bytes"] == sum(x["shared_bytes"] for x in m) and
        t["copied_bytes"] == sum(x["copied_bytes"] for x in m))
last = text[-1]
tl = re.match(r"^totals: shared \S+, copied \S+: [0-9.]+% of the pages both map copied \((\d+) and (\d+) pages\); sorted by copied$", last)
tok = bool(tl) and int(tl.group(1)) * 4096 == t["shared_bytes"] and int(tl.group(2)) * 4096 == t["copied_bytes"]
print(d["sort"], order, rows == starts, a["copied_permille"], share, sums, tok)
PYEOF
)
if [ "$res" = "copied True True 500 True True True" ]; then
	t_ok "maps_sort_copied_share_copied_and_totals_by_mapping"
else
	t_fail "maps_sort_copied_share_copied_and_totals_by_mapping" "$res" "$(tail -n 2 "$tmp/sorted.txt")"
fi
if validate <"$tmp/sorted.json" 2>"$tmp/v.err"; then
	t_ok "maps_sorted_child_json_is_valid_against_the_schema"
else
	t_fail "maps_sorted_child_json_is_valid_against_the_schema" "$(tail -3 "$tmp/v.err")"
fi
t_exit "maps_sort_unknown_key_exit_2" 2 $PTINSPECT maps --pid "$H_PID" --sort frob
t_exit "maps_sort_goes_with_maps_only" 2 $PTINSPECT dump --pid "$H_PID" --range all --sort copied
row=$($PTINSPECT maps --pid "$H_PID" -o start,shared | awk -v a="$ANON" '$1 == a')
[ "$row" = "$ANON      -" ] || [ "$(echo "$row" | awk '{print $2}')" = "-" ] &&
	t_ok "maps_shared_without_child_is_unknown" || t_fail "maps_shared_without_child_is_unknown" "$row"

# -o: the columns chosen, in order; +COL adds to the default
out=$($PTINSPECT maps --pid "$H_PID" -o populated,START,kind --noheadings | grep -c .)
first=$($PTINSPECT maps --pid "$H_PID" -o populated,START,kind --noheadings | head -1)
nmaps=$(grep -c . "/proc/$H_PID/maps")
if [ "$out" -eq "$nmaps" ] && [ "$(echo "$first" | wc -w)" -eq 3 ] &&
	echo "$first" | grep -qE '^ *[0-9.]+[KMG]? 0x[0-9a-f]+ +[a-z-]+$'; then
	t_ok "maps_output_chooses_columns_noheadings_drops_the_heading"
else
	t_fail "maps_output_chooses_columns_noheadings_drops_the_heading" "$out rows, $nmaps maps" "$first"
fi
hdr=$($PTINSPECT maps --pid "$H_PID" -o +exclusive,pop% | head -1)
echo "$hdr" | grep -qE '^START .*PATH +EXCL +POP%$' && t_ok "maps_output_plus_appends" ||
	t_fail "maps_output_plus_appends" "$hdr"
# every column of the table is listed by --output help and accepted by -o
cols=$($PTINSPECT maps -o help | awk 'NR > 1 {print $1}' | paste -sd, -)
n=$($PTINSPECT maps --pid "$H_PID" -o "$cols" | head -1 | wc -w)
[ "$n" -eq "$(echo "$cols" | tr ',' '\n' | wc -l)" ] && [ "$n" -ge 14 ] &&
	t_ok "maps_output_help_lists_every_column ($n)" || t_fail "maps_output_help_lists_every_column" "$cols" "$n"
t_exit "maps_unknown_column_is_one_line_exit_2" 2 $PTINSPECT maps --pid "$H_PID" -o start,frob
t_exit "maps_empty_column_list_exit_2" 2 $PTINSPECT maps --pid "$H_PID" -o start,
t_exit "maps_bad_color_exit_2" 2 $PTINSPECT maps --pid "$H_PID" --color=sometimes
t_exit "maps_output_goes_with_maps_only" 2 $PTINSPECT dump --pid "$H_PID" --addr "$ANON" --raw
t_exit "maps_needs_a_pid" 2 $PTINSPECT maps
t_exit "maps_no_such_pid_exit_3" 3 $PTINSPECT maps --pid 999999999

# --raw: one space, values escaped as lsblk --raw does
raw=$($PTINSPECT maps --pid "$H_PID" --raw -o path,start | grep '/a\\x20b ')
want=$(printf '%s/a\\x20b %s' "$(echo "$tmp" | sed 's/ /\\x20/g')" "$FILE")
[ "$raw" = "$want" ] && t_ok "maps_raw_escapes_the_space_in_a_b" || t_fail "maps_raw_escapes_the_space_in_a_b" "$raw" "$want"
n=$($PTINSPECT maps --pid "$H_PID" --raw | grep -c '  ')
[ "$n" -eq 0 ] && t_ok "maps_raw_has_no_alignment" || t_fail "maps_raw_has_no_alignment" "$n lines with 2 spaces"

# colours: never in a pipe, asked for with --color=always; on a terminal
# (a real pty) unless NO_COLOR is set, and --color=always beats NO_COLOR
esc=$'\e['
c_pipe=$($PTINSPECT maps --pid "$H_PID" | grep -cF "$esc")
c_always=$($PTINSPECT maps --pid "$H_PID" --color=always | grep -cF "$esc")
c_pty=$(TERM=xterm on_pty $PTINSPECT maps --pid "$H_PID" | grep -cF "$esc")
c_nocolor=$(NO_COLOR=1 TERM=xterm on_pty $PTINSPECT maps --pid "$H_PID" | grep -cF "$esc")
c_never=$(TERM=xterm on_pty $PTINSPECT maps --pid "$H_PID" --color=never | grep -cF "$esc")
c_force=$(NO_COLOR=1 $PTINSPECT maps --pid "$H_PID" --color always | grep -cF "$esc")
if [ "$c_pipe" -eq 0 ] && [ "$c_always" -gt 0 ] && [ "$c_pty" -gt 0 ] && [ "$c_nocolor" -eq 0 ] &&
	[ "$c_never" -eq 0 ] && [ "$c_force" -gt 0 ]; then
	t_ok "maps_color_auto_always_never_and_no_color"
else
	t_fail "maps_color_auto_always_never_and_no_color" \
		"pipe $c_pipe always $c_always pty $c_pty NO_COLOR $c_nocolor never $c_never forced $c_force"
fi
# the same cells with colours: stripping the escapes gives the plain table
if diff <($PTINSPECT maps --pid "$H_PID" --color=always | sed 's/\x1b\[[0-9;]*m//g') \
	<($PTINSPECT maps --pid "$H_PID") >/dev/null; then
	t_ok "maps_color_changes_no_text"
else
	t_fail "maps_color_changes_no_text"
fi
exec 6>&-
wait "$H_PID"
H_PID=

# the lab: a subject with holes (pages 0 and 8 of 16 written); every
# address checked is the one the step inspected (the JSON's parent.addr)
addrs() {
	$PTINSPECT lab --kind anon --json --script "$1" 2>"$tmp/lab.err" | $PY -c '
import json, sys
steps = [json.loads(l) for l in sys.stdin if l.startswith("{") and "\"step\"" in l]
base = int(steps[0]["parent"]["vma"]["start"], 16)
print(" ".join("%s=%d" % (s["event"].split()[0], (int(s["parent"]["addr"], 16) - base) // 4096)
               for s in steps if s["parent"]))
'
}
res=$(addrs "write parent; write parent 32768; addr +4096; next-populated; prev-populated; addr +61440; prev-populated")
if [ "$res" = "map=0 write=0 write=0 addr=1 next-populated=8 prev-populated=0 addr=15 prev-populated=8" ]; then
	t_ok "lab_next_and_prev_populated_step_over_the_holes"
else
	t_fail "lab_next_and_prev_populated_step_over_the_holes" "$res" "$(cat "$tmp/lab.err")"
fi
res=$(addrs "write parent 8192; addr +0; next-populated; next-populated")
msg=$(grep -c "nothing populated after" "$tmp/lab.err")
if [ "$res" = "map=0 write=0 addr=0 next-populated=2" ] && [ "$msg" -eq 1 ]; then
	t_ok "lab_next_populated_at_the_last_page_says_so"
else
	t_fail "lab_next_populated_at_the_last_page_says_so" "$res" "$(cat "$tmp/lab.err")"
fi
t_exit "lab_prev_populated_before_the_first_fails_one_line" 5 \
	$PTINSPECT lab --kind anon --script "write parent 4096; addr +4096; prev-populated"
# a huge leaf: next-populated from inside it does not stay in it
res=$($PTINSPECT lab --kind thp --json --script "write parent; addr +8192; next-populated" 2>&1 | grep -c "nothing populated after")
[ "$res" -eq 1 ] && t_ok "lab_next_populated_leaves_a_huge_leaf" || t_fail "lab_next_populated_leaves_a_huge_leaf" "$res"

# maps in a script: the list as ptinspect maps prints it, then its JSON;
# each reads the subject's mappings once (an ASan subject has terabytes
# of shadow, which the range engine reads page by page: runs are few)
$PTINSPECT lab --kind anon --script "write parent; write parent 32768; maps; maps 100000" \
	>"$tmp/lab.out" 2>"$tmp/lab.err"
rc=$?
sel=$(sed -n 's/^mappings of pid [0-9]*: \([0-9]*\)\/\([0-9]*\) selected, \(0x[0-9a-f]*\)-.*/\1 \3/p' "$tmp/lab.out")
set -- $sel
row=$(awk -v a="$2" '$1 == a' "$tmp/lab.out")
if [ -n "$sel" ] && echo "$row" | grep -qE ' 64K rw-p +anon-private +8K '; then
	t_ok "lab_maps_selects_the_watched_mapping"
else
	t_fail "lab_maps_selects_the_watched_mapping" "$sel" "$row"
fi
if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/lab.err")" -eq 1 ] && grep -q "mappings, not 100000" "$tmp/lab.err"; then
	t_ok "lab_maps_beyond_the_list_is_one_line"
else
	t_fail "lab_maps_beyond_the_list_is_one_line" "rc $rc" "$(cat "$tmp/lab.err")"
fi
$PTINSPECT lab --kind anon --json --script "write parent; maps; maps 1" 2>/dev/null |
	grep '"mappings"' >"$tmp/lab.json"
[ "$(wc -l <"$tmp/lab.json")" -eq 2 ] && validate <"$tmp/lab.json" 2>"$tmp/v.err" &&
	t_ok "lab_maps_json_lines_are_valid" || t_fail "lab_maps_json_lines_are_valid" "$(tail -3 "$tmp/v.err")"
t_exit "lab_maps_bad_argument_is_one_line" 2 $PTINSPECT lab --kind anon --script "maps frob"

# the list on the screen: a box over the steps, the heading, the
# selected row highlighted ('^' under it), maps close shows the steps,
# a short terminal scrolls; one lab run, its screens split apart
$PTINSPECT lab --kind anon --screen "$tmp/s.all" --script "write parent; write parent 32768; maps;
	screen 110x42 stable; maps 1; screen 110x42 stable; maps 40; screen 80x14 stable;
	maps close; screen 110x42 stable" >/dev/null 2>"$tmp/s.err"
awk -v d="$tmp" '/^ptinspect lab / { n++ } { print > (d "/s" n ".txt") }' "$tmp/s.all"
hl=$(grep -A1 'anon-private' "$tmp/s1.txt" | grep -B1 '^ *\^\^\^' | head -1)
if grep -q '^│ START  *END .* PATH' "$tmp/s1.txt" && grep -qE 'mappings of pid PID: [0-9]+/[0-9]+' "$tmp/s1.txt" &&
	echo "$hl" | grep -qE '^│ ADDR +ADDR +64K rw-p +anon-private +8K' &&
	[ "$(grep -c '^ *\^' "$tmp/s1.txt")" -eq 1 ] && ! grep -q '0x[0-9a-f]\{6,\}' "$tmp/s1.txt"; then
	t_ok "screen_maps_list_highlights_the_watched_mapping"
else
	t_fail "screen_maps_list_highlights_the_watched_mapping" "$(head -20 "$tmp/s1.txt")" "$hl" "$(cat "$tmp/s.err")"
fi
first=$(grep -A1 '│ START' "$tmp/s2.txt" | tail -1)
next=$(grep -A2 '│ START' "$tmp/s2.txt" | tail -1)
echo "$next" | grep -q '^ *\^' && [ -n "$first" ] && t_ok "screen_maps_n_selects_the_nth" ||
	t_fail "screen_maps_n_selects_the_nth" "$(head -8 "$tmp/s2.txt")"
grep -qE 'mappings of pid PID: 40/' "$tmp/s3.txt" && [ "$(grep -c '^ *\^' "$tmp/s3.txt")" -eq 1 ] &&
	[ "$(wc -l <"$tmp/s3.txt")" -le 15 ] &&
	t_ok "screen_maps_scrolls_to_the_selection" || t_fail "screen_maps_scrolls_to_the_selection" "$(cat "$tmp/s3.txt")"
! grep -q 'mappings of pid' "$tmp/s4.txt" && grep -q '^step 3/3' "$tmp/s4.txt" &&
	t_ok "screen_maps_close_shows_the_steps_again" || t_fail "screen_maps_close_shows_the_steps_again" "$(head -5 "$tmp/s4.txt")"
# generated sparse layouts (tests/host/sparse.py, one seed each): the
# range walk and the child comparison skip holes with PAGEMAP_SCAN, and
# must still find every written page, shared or copied, in any layout
for seed in $(shuf -i 1-1000000 -n 4); do
	rm -f "$tmp/sin" "$tmp/sout"
	held_start 7 "$tmp/sin" "$tmp/sout" $PY tests/host/sparse.py "$seed"
	S_PID=$HELD_PID
	read -r s0 s1 <<<"$($PY -c 'import json,sys; d=json.load(sys.stdin); print(hex(d["start"]), hex(d["end"]))' <"$tmp/sout")"
	$PTINSPECT dump --pid "$S_PID" --range "$s0-$s1" --json >"$tmp/sr.json" 2>"$tmp/sr.err"
	$PTINSPECT maps --pid "$S_PID" --child "$($PY -c 'import json,sys; print(json.load(sys.stdin)["child"])' <"$tmp/sout")" \
		--json >"$tmp/sm.json" 2>>"$tmp/sr.err"
	res=$($PY - "$tmp/sout" "$tmp/sr.json" "$tmp/sm.json" <<'PYEOF'
import json, sys
want = json.load(open(sys.argv[1]))
rng = json.load(open(sys.argv[2]))
mp = json.load(open(sys.argv[3]))
s = want["start"]
got = set()
for v in rng["vmas"]:
    for r in v["runs"]:
        if r["state"] == "leaf":
            got.update(range((int(r["start"], 16) - s) // 4096, (int(r["end"], 16) - s) // 4096))
row = [m for m in mp["mappings"] if int(m["start"], 16) == s][0]
n, c = len(want["pages"]), len(want["copied"])
bad = []
if got != set(want["pages"]):
    bad.append(f"range: {len(got ^ set(want['pages']))} pages differ of {n}")
if (row["populated_bytes"], row["copied_bytes"], row["shared_bytes"]) != (4096 * n, 4096 * c, 4096 * (n - c)):
    bad.append(f"maps: {row['populated_bytes']} {row['copied_bytes']} {row['shared_bytes']} for {n} pages, {c} copied")
print("; ".join(bad) or "ok", f"({n} pages in {(want['end'] - s) >> 20} MiB)")
PYEOF
)
	exec 7>&-
	wait "$S_PID"
	case "$res" in
	ok*) t_ok "sparse_seed_${seed}_every_page_found_shared_and_copied $res" ;;
	*) t_fail "sparse_seed_${seed}_every_page_found_shared_and_copied" "$res" "$(head -3 "$tmp/sr.err")" ;;
	esac
done
# a process chooses its file names: one carrying a terminal's escape
# sequence reaches no view raw (maps, dump --range all, dump --addr by
# that name); text shows it as \x1b, JSON carries no control character
exec 8>&-
evil=$'x\033]0;PWNED\007\033[31mEVIL'
held_start 8 "$tmp/ein" "$tmp/eout" $PY -c '
import mmap, os, sys
f = open(os.path.join(sys.argv[1], sys.argv[2]), "w+b"); f.truncate(8192)
m = mmap.mmap(f.fileno(), 8192); m[0] = 1
print(os.getpid(), flush=True)
sys.stdin.read()' "$tmp" "$evil"
epid=$(awk '{print $1; exit}' "$tmp/eout")
# esc_check NAME SHOWN CMD...: CMD's output has no control character but
# tab and newline, no \u001b, and (SHOWN=1) the name as \x1b...
esc_check() {
	local name=$1 shown=$2
	shift 2
	"$@" >"$tmp/esc.out" 2>&1
	if ! LC_ALL=C grep -q $'[\001-\010\013-\037\177]' "$tmp/esc.out" &&
		! grep -qi 'u001b' "$tmp/esc.out" && grep -qF EVIL "$tmp/esc.out" &&
		{ [ "$shown" = 0 ] || grep -qF 'x\x1b]0;PWNED\x07\x1b[31mEVIL' "$tmp/esc.out"; }; then
		t_ok "$name"
	else
		t_fail "$name" "$(LC_ALL=C grep -a EVIL "$tmp/esc.out" | od -c | head -5)"
	fi
}
esc_check "maps_escapes_a_hostile_file_name" 1 $PTINSPECT maps --pid "$epid"
esc_check "maps_raw_escapes_a_hostile_file_name" 0 $PTINSPECT maps --raw --pid "$epid"
esc_check "maps_json_has_no_control_character" 0 $PTINSPECT maps --json --pid "$epid"
esc_check "dump_range_all_escapes_a_hostile_file_name" 1 $PTINSPECT dump --pid "$epid" --range all
esc_check "dump_addr_escapes_a_hostile_file_name" 1 $PTINSPECT dump --pid "$epid" --addr "$evil"
esc_check "watch_escapes_a_hostile_file_name" 1 $PTINSPECT --pid "$epid" --addr "$evil" --count 2 \
	--interval 0.1 --record "$tmp/evil.rec"
# the TUI's grid as the screen command writes it, from that recording
esc_check "tui_screen_of_its_recording_escapes_it" 1 $PTINSPECT replay "$tmp/evil.rec" --script screen
exec 8>&-
wait "$HELD_PID" 2>/dev/null

t_done
