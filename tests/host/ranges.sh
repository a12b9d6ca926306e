#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dump --range on real processes (tests/helpers/rangemem.c): runs, THP and
# 4 KiB parts, parent against a real forked child, --range all against
# /proc/PID/maps, the JSON schema, bounded memory, and a target that exits
# or unmaps while it is walked.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

RANGEMEM=${RANGEMEM:-$(dirname "$PTINSPECT")/helpers/rangemem}
[ -x "$RANGEMEM" ] || RANGEMEM=build/plain/helpers/rangemem
SCHEMA=doc/ptinspect-dump.schema.json
G=$((1 << 30))

validate() {
	$PY -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.validate(json.load(sys.stdin), schema, cls=jsonschema.Draft202012Validator)
' "$SCHEMA"
}

# A rangemem process through a fifo; replies land in $M_DIR/out.
m_start() {
	M_DIR=$(mktemp -d)
	mkfifo "$M_DIR/in"
	# made here: the job opens it only once the fifo has a writer, and
	# m_wait may read it before that (a clean-clone run once read no
	# address and walked 0x0-0x20000000)
	: >"$M_DIR/out"
	"$RANGEMEM" <"$M_DIR/in" >"$M_DIR/out" &
	M_PID=$!
	exec 6>"$M_DIR/in"
	M_N=1
	m_wait
}
m_wait() {
	local i=0
	while [ "$(wc -l <"$M_DIR/out")" -lt "$M_N" ] && [ $i -lt 3000 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	R=$(sed -n "${M_N}p" "$M_DIR/out" | awk '{print $2}')
}
m() {
	echo "$*" >&6
	M_N=$((M_N + 1))
	m_wait
}
m_stop() {
	exec 6>&-
	kill -9 "$M_PID" 2>/dev/null
	wait "$M_PID" 2>/dev/null
	rm -rf "$M_DIR"
}
rng() { printf '0x%x-0x%x' "$1" $(($1 + $2)); }

m_start
m map4k $(printf '%x' $G)
U=$R
m mapthp $(printf '%x' $G)
T=$R
m mapmix 1000000
X=$R

# uniform 1 GiB of 4 KiB pages: a handful of runs, every page counted
out=$($PTINSPECT dump --pid "$M_PID" --range "$(rng "$U" $G)" --json)
res=$($PY -c '
import json, sys
d = json.load(sys.stdin)
runs = [r for v in d["vmas"] for r in v["runs"]]
print(len(runs), sum(r["count"] for r in runs), sorted(set(r["level"] for r in runs)))
' <<<"$out")
set -- $res
if [ "$1" -ge 1 ] && [ "$1" -le 4 ] && [ "$2" -eq 262144 ] && [ "$3" = "['pte']" ]; then
	t_ok "uniform_1g_of_4k_pages_is_a_handful_of_runs ($1 runs)"
else
	t_fail "uniform_1g_of_4k_pages_is_a_handful_of_runs" "$res"
fi
lines=$($PTINSPECT dump --pid "$M_PID" --range "$(rng "$U" $G)" | wc -l)
if [ "$lines" -le 10 ]; then
	t_ok "uniform_1g_text_is_a_few_lines ($lines)"
else
	t_fail "uniform_1g_text_is_a_few_lines" "$lines lines"
fi

# 1 GiB of THP: pmd runs covering 512 leaves
res=$($PTINSPECT dump --pid "$M_PID" --range "$(rng "$T" $G)" --json | $PY -c '
import json, sys
d = json.load(sys.stdin)
runs = [r for v in d["vmas"] for r in v["runs"]]
print(len(runs), sum(r["count"] for r in runs if r["level"] == "pmd"), d["vmas"][0]["summary"]["huge_percent"])
')
set -- $res
if [ "$1" -le 4 ] && [ "$2" -eq 512 ] && [ "$3" -eq 100 ]; then
	t_ok "thp_1g_is_pmd_runs_of_512_leaves"
else
	t_fail "thp_1g_is_pmd_runs_of_512_leaves" "$res (THP enabled: $(cat /sys/kernel/mm/transparent_hugepage/enabled))"
fi

# 16 MiB alternating: a huge leaf, 512 ptes, a huge leaf...
res=$($PTINSPECT dump --pid "$M_PID" --range "$(rng "$X" $((16 << 20)))" --json | $PY -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join("%s:%d:%x" % (r["level"], r["count"], int(r["start"], 16) - int(sys.argv[1], 16))
               for v in d["vmas"] for r in v["runs"]))
' "$X")
want="pmd:1:0 pte:512:200000 pmd:1:400000 pte:512:600000 pmd:1:800000 pte:512:a00000 pmd:1:c00000 pte:512:e00000"
if [ "$res" = "$want" ]; then
	t_ok "alternating_huge_and_4k_parts_are_alternating_runs"
else
	t_fail "alternating_huge_and_4k_parts_are_alternating_runs" "got:  $res" "want: $want"
fi

# --each keeps one version 1 object per entry
n=$($PTINSPECT dump --pid "$M_PID" --range "$(rng "$X" $((4 << 20)))" --each --json | $PY -c '
import json, sys
d = json.load(sys.stdin)
print(len(d), d[0]["ptinspect"], d[0]["levels"][0]["level"], d[1]["levels"][0]["level"])
')
if [ "$n" = "513 1 pmd pte" ]; then
	t_ok "each_gives_version_1_objects_one_per_entry"
else
	t_fail "each_gives_version_1_objects_one_per_entry" "$n"
fi

# fork, the child writes every other page of 8 MiB of 4 KiB pages
m map4k 800000
F=$R
m fork
C=$R
m cwrite "$F" 800000
out=$($PTINSPECT dump --pid "$M_PID" --child "$C" --range "$(rng "$F" $((8 << 20)))" --json)
res=$($PY -c '
import json, sys
d = json.load(sys.stdin)
t = d["totals"]
cls = sorted(set(r["class"] for r in d["runs"]))
print(t["copied_pages"], t["shared_pages"], t["copied_bytes"], t["only_parent_pages"], t["only_child_pages"], ",".join(cls), len(d["runs"]))
' <<<"$out")
if [ "$res" = "1024 1024 4194304 0 0 copied,shared 2048" ]; then
	t_ok "child_writing_every_other_page_copies_exactly_half"
else
	t_fail "child_writing_every_other_page_copies_exactly_half" "$res"
fi
if err=$(validate <<<"$out" 2>&1); then
	t_ok "json_validates_against_schema (--child --range)"
else
	t_fail "json_validates_against_schema (--child --range)" "$err"
fi
out=$($PTINSPECT dump --pid "$M_PID" --child "$C" --range "$(rng "$F" $((8 << 20)))" | tail -n 1)
if grep -q "^totals: shared 1024 pages, copied 1024 pages (4194304 bytes)" <<<"$out"; then
	t_ok "child_totals_in_text"
else
	t_fail "child_totals_in_text" "$out"
fi
# the whole of both processes: the union of their mappings, holes passed
# over, nothing past the task size; its totals are maps --child's
res=$(timeout 60 $PTINSPECT dump --pid "$M_PID" --child "$C" --range all --json 2>"$M_DIR/all.err" | $PY -c '
import json, sys
d = json.load(sys.stdin)
t = d["totals"]
top = max([int(r["end"], 16) for r in d["runs"]] or [0])
print(t["shared_pages"], t["copied_pages"], top < (1 << 47), d["stopped"] is None)
' 2>&1)
want=$($PTINSPECT maps --pid "$M_PID" --child "$C" --json | $PY -c '
import json, sys
m = json.load(sys.stdin)["mappings"]
print(sum(x["shared_bytes"] for x in m) // 4096, sum(x["copied_bytes"] for x in m) // 4096, True, True)
')
set -- $res
if [ "$res" = "$want" ] && [ "$2" -ge 1024 ]; then
	t_ok "child_range_all_totals_agree_with_maps_child ($res)"
else
	t_fail "child_range_all_totals_agree_with_maps_child" "range all: $res" "maps:      $want" "$(head -n 3 "$M_DIR/all.err")"
fi

# the THP gigabyte, untouched since the fork: shared, nothing split
res=$($PTINSPECT dump --pid "$M_PID" --child "$C" --range "$(rng "$T" $((64 << 20)))" --json | $PY -c '
import json, sys
t = json.load(sys.stdin)["totals"]
print(t["shared_pages"], t["copied_pages"], t["huge_split"])
')
if [ "$res" = "16384 0 0" ]; then
	t_ok "untouched_thp_stays_shared_after_fork"
else
	t_fail "untouched_thp_stays_shared_after_fork" "$res"
fi

# --range all: one entry per line of /proc/PID/maps, in order
maps=$(awk '{print $1}' "/proc/$M_PID/maps" | $PY -c '
import sys
print(" ".join("%x-%x" % tuple(int(x, 16) for x in l.strip().split("-")) for l in sys.stdin))')
out=$($PTINSPECT dump --pid "$M_PID" --range all --json)
got=$($PY -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join("%x-%x" % (int(v["start"], 16), int(v["end"], 16)) for v in d["vmas"]))
' <<<"$out")
if [ -n "$maps" ] && [ "$got" = "$maps" ]; then
	t_ok "range_all_covers_every_vma_of_maps ($(wc -w <<<"$maps") VMAs)"
else
	t_fail "range_all_covers_every_vma_of_maps" "maps: $maps" "got:  $got"
fi
if err=$(validate <<<"$out" 2>&1); then
	t_ok "json_validates_against_schema (--range all)"
else
	t_fail "json_validates_against_schema (--range all)" "$err"
fi
out=$($PTINSPECT dump --pid "$M_PID" --range all)
nmaps=$(wc -l <"/proc/$M_PID/maps")
if grep -q "^$nmaps mappings:$" <<<"$out" && grep -q "^runs:$" <<<"$out" &&
	[ "$(sed -n '/^runs:$/,$p' <<<"$out" | grep -c '^vma ')" -eq "$nmaps" ]; then
	t_ok "range_all_text_summary_then_runs"
else
	t_fail "range_all_text_summary_then_runs" "$(head -n 8 <<<"$out")"
fi

for form in "--range $(rng "$X" $((16 << 20)))" "--range $(rng "$X" $((4 << 20))) --kpageflags" \
	"--range $(rng "$U" $((4 << 20))) --pfn-runs" "--range $(rng "$X" $((4 << 20))) --each"; do
	# shellcheck disable=SC2086
	if err=$($PTINSPECT dump --pid "$M_PID" $form --json 2>/dev/null | validate 2>&1); then
		t_ok "json_validates_against_schema ($form)"
	else
		t_fail "json_validates_against_schema ($form)" "$err"
	fi
done

# the schema refuses what version 2 does not allow
out=$($PTINSPECT dump --pid "$M_PID" --range "$(rng "$X" $((4 << 20)))" --kpageflags --json)
for bad in 'd["ptinspect"] = 3' 'd["vmas"][0]["runs"][0]["kpageflags"]["all"].append("kpf34")' \
	'd["vmas"][0]["runs"][0]["count"] = 0' 'del d["stopped"]'; do
	if $PY -c '
import json, sys
d = json.loads(sys.stdin.read())
exec(sys.argv[1])
print(json.dumps(d))' "$bad" <<<"$out" | validate >/dev/null 2>&1; then
		t_fail "schema_refuses ($bad)"
	else
		t_ok "schema_refuses ($bad)"
	fi
done

# kpageflags: names only, as page-types names them
out=$($PTINSPECT dump --pid "$M_PID" --range "$(rng "$U" $((1 << 20)))" --kpageflags)
kpf=$($PTINSPECT dump --pid "$M_PID" --range "$(rng "$U" $((1 << 20)))" --kpageflags -o kpf --noheadings)
if grep -q "anonymous" <<<"$kpf" && grep -q " anonymous" <<<"$out" && ! grep -Eq "kpf[0-9]" <<<"$out"; then
	t_ok "kpageflags_are_named"
else
	t_fail "kpageflags_are_named" "$(sed -n 4,6p <<<"$out")"
fi

# bounded memory, whatever the range: the whole process, 4 KiB runs
# (/usr/bin/time: from a small process, so its fork is not counted)
rss=0
for args in "--range all" "--range all --kpageflags"; do
	# shellcheck disable=SC2086
	r=$(/usr/bin/time -f %M "$PTINSPECT" dump --pid "$M_PID" $args 2>&1 >/dev/null | tail -n 1)
	[ "$r" -gt "$rss" ] 2>/dev/null && rss=$r
done
case "$PTINSPECT" in
*asan*) t_skip "peak_rss_under_16_mib" "ASan's shadow memory is not ptinspect's" ;;
*)
	if [ -n "$rss" ] && [ "$rss" -lt 16384 ]; then
		t_ok "peak_rss_under_16_mib (${rss} KiB)"
	else
		t_fail "peak_rss_under_16_mib" "${rss} KiB"
	fi
	;;
esac

# outside user space: exit status 2, one line
t_exit "range_outside_user_space_exits_2" 2 "$PTINSPECT" dump --pid "$M_PID" --range 0xffff800000000000-0xffff800000200000
# holes are skipped: a range from below the first 4 KiB gigabyte to its end
lo=$(head -n 1 "/proc/$M_PID/maps" | cut -d- -f1)
out=$($PTINSPECT dump --pid "$M_PID" --range "0x1000-$(printf '0x%x' $((U + G)))" 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q "^vma 0x$lo-" <<<"$out" && grep -q "^vma $(printf '0x%x' "$U")-" <<<"$out"; then
	t_ok "range_over_holes_skips_them"
else
	t_fail "range_over_holes_skips_them" "exit $rc" "$(head -n 5 <<<"$out")"
fi

# util-linux tables: the runs as columns.  The default columns are the run
# line the document form prints; -o chooses them, --noheadings, --raw,
# --color as lsblk and maps take them.
XR=$(rng "$X" $((16 << 20)))
# (two reads of a live process: a page the kernel migrated in between is
# a difference of the process, so a mismatch is read again, twice)
for _ in 1 2 3; do
	doc=$($PTINSPECT dump --pid "$M_PID" --range "$XR" | sed -n 's/^  \(0x\)/\1/p')
	tab=$($PTINSPECT dump --pid "$M_PID" --range "$XR" --noheadings)
	[ -n "$doc" ] && [ "$doc" = "$tab" ] && break
done
if [ -n "$doc" ] && [ "$doc" = "$tab" ]; then
	t_ok "noheadings_rows_are_the_documents_run_lines ($(wc -l <<<"$tab") runs)"
else
	t_fail "noheadings_rows_are_the_documents_run_lines" "document: $(head -n 2 <<<"$doc")" "table:    $(head -n 2 <<<"$tab")"
fi
# the document's heading is the table's, indented as its runs are
h_doc=$($PTINSPECT dump --pid "$M_PID" --range "$XR" | sed -n '/^runs:$/{n;s/^  //p}')
h_tab=$($PTINSPECT dump --pid "$M_PID" --range "$XR" -o +start | head -n 1 | sed "s/ *START$//")
if [ -n "$h_doc" ] && [ "$h_doc" = "$h_tab" ] && ! grep -q '^START' <<<"$tab"; then
	t_ok "heading_unless_noheadings"
else
	t_fail "heading_unless_noheadings" "document: $h_doc" "-o +start: $h_tab"
fi
# the cells against the JSON of the same range: start, end, entries,
# level, state, size (bytes an entry maps), pfn
for _ in 1 2 3; do
json=$($PTINSPECT dump --pid "$M_PID" --range "$XR" --json)
cells=$($PTINSPECT dump --pid "$M_PID" --range "$XR" -o level,start,end,entries,state,size,pfn --raw --noheadings)
res=$($PY -c '
import json, sys
d = json.loads(sys.argv[1])
mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
rows = [l.split(" ") for l in sys.argv[2].splitlines()]
runs = [r for v in d["vmas"] for r in v["runs"]]
bad = []
if len(rows) != len(runs):
    bad.append("%d rows, %d runs" % (len(rows), len(runs)))
for c, r in zip(rows, runs):
    size = int(c[5][:-1]) * mult[c[5][-1]] if c[5][-1] in mult else int(c[5])
    want = [r["level"], int(r["start"], 16), int(r["end"], 16), r["count"], r["state"], r["size"],
            int(r["pfn"], 16) if r["pfn"] else None]
    got = [c[0], int(c[1], 16), int(c[2], 16), int(c[3]), c[4], size,
           int(c[6], 16) if c[6].startswith("0x") else None]
    if got != want:
        bad.append("%s != %s" % (got, want))
print("; ".join(bad[:3]) or "ok %d" % len(rows))
' "$json" "$cells")
	[ "${res%% *}" = ok ] && break
done
if [ "${res%% *}" = ok ]; then
	t_ok "output_cells_match_the_json (${res#ok } runs, columns reordered)"
else
	t_fail "output_cells_match_the_json" "$res"
fi

# random column subsets and orders against the table of every column:
# the huge and 4 KiB runs of the mixed region, and every mapping of a
# small process (the mapping columns: files, anonymous, stack)
allcols=$($PTINSPECT dump --output help | awk '/^  [^ ]/ { print $1 }' | paste -sd, -)
# The small process runs from copies of sleep, its loader and libc, so
# that no other process maps their pages: a page of the shared libc that
# another process maps or lets go between two reads changes its exclusive
# flag, and the runs split differently (read 40 times while a shell
# started a process a millisecond, the whole table of a plain sleep
# changed 35 times, that of this one never).  Where the copies cannot
# run (a temporary directory mounted noexec), a plain sleep.
tmpd=$(mktemp -d)
mkdir "$tmpd/lib"
deps=$(ldd /usr/bin/sleep)
ld_so=$(awk '$1 ~ /^\// { print $1 }' <<<"$deps")
# shellcheck disable=SC2046
cp /usr/bin/sleep $(awk '$3 ~ /^\// { print $3 }' <<<"$deps") "$ld_so" "$tmpd/lib/"
LC_ALL=C "$tmpd/lib/${ld_so##*/}" --library-path "$tmpd/lib" "$tmpd/lib/sleep" 600 2>/dev/null &
SL=$!
sleep 0.2
if ! kill -0 "$SL" 2>/dev/null; then
	sleep 600 &
	SL=$!
fi
seed=$RANDOM
for t in "$M_PID $XR" "$SL all"; do
	# shellcheck disable=SC2086
	set -- $t
	$PTINSPECT dump --pid "$1" --range "$2" -o "$allcols" --raw >"$tmpd/full"
	res=$($PY - "$PTINSPECT" "$1" "$seed" "$tmpd/full" "$2" <<'PYEOF'
import random, subprocess, sys
pti, pid, seed, full, rng = sys.argv[1], sys.argv[2], int(sys.argv[3]), open(sys.argv[4]).read(), sys.argv[5]
rows = [l.split(" ") for l in full.splitlines()]
head, rows = rows[0], rows[1:]
names = [h.lower() for h in subprocess.run([pti, "dump", "--output", "help"], capture_output=True,
         text=True).stdout.split("\n")[1:] if h.startswith("  ") for h in [h.split()[0]]]
rnd = random.Random(seed)
bad = []
if len(names) != len(head) or not rows:
    bad.append("%d names, %d headings, %d rows" % (len(names), len(head), len(rows)))
def table(spec):
    p = subprocess.run([pti, "dump", "--pid", pid, "--range", rng, "-o", spec, "--raw"],
                       capture_output=True, text=True)
    return p.returncode, [l.split(" ") for l in p.stdout.splitlines()]
for _ in range(8):
    sub = rnd.sample(range(len(names)), rnd.randint(1, len(names)))
    # a name in any case, as util-linux takes it
    spec = ",".join(rnd.choice([str.lower, str.upper])(names[i]) for i in sub)
    # the kernel may migrate a page (compaction) or fault one in between
    # two reads: a mismatch is read again, both tables; a column's bug
    # mismatches every time
    for attempt in range(3):
        if attempt:
            _, full = table(",".join(names))
            head, rows = full[0], full[1:]
        rc, got = table(spec)
        want = [[head[i] for i in sub]] + [[r[i] for i in sub] for r in rows]
        if not rc and got == want:
            break
    if rc or got != want:
        bad.append("-o %s: exit %d, %s" % (spec, rc,
                   next(("%s != %s" % (g, w) for g, w in zip(got, want) if g != w), "%d lines, %d wanted" % (len(got), len(want)))))
print("; ".join(bad[:2]) or "ok %d" % len(rows))
PYEOF
	)
	if [ "${res%% *}" = ok ]; then
		t_ok "random_column_subsets_are_the_full_tables_cells (--range $2, seed $seed, ${res#ok } runs)"
	else
		t_fail "random_column_subsets_are_the_full_tables_cells (--range $2, seed $seed)" "$res"
	fi
done
kill "$SL"
wait "$SL" 2>/dev/null
hdr=$($PTINSPECT dump --pid "$M_PID" --range "$XR" -o +bytes,path | head -n 1)
def=$($PTINSPECT dump --pid "$M_PID" --range "$XR" -o "$($PTINSPECT dump --output help | awk '/\(default\)$/ { print $1 }' | paste -sd, -)" | head -n 1)
if [ "$(echo $hdr)" = "$(echo $def) BYTES PATH" ]; then
	t_ok "output_plus_appends_to_the_default"
else
	t_fail "output_plus_appends_to_the_default" "$hdr" "$def"
fi
hdr=$($PTINSPECT dump --pid "$M_PID" --range "$XR" --kpageflags -o +bytes | head -n 1)
if grep -Eq '^START .* PFNS +KPF +KPF-SOME +MAPCOUNT +BYTES$' <<<"$hdr"; then
	t_ok "kpageflags_columns_join_the_default"
else
	t_fail "kpageflags_columns_join_the_default" "$hdr"
fi
# --raw: one space between cells (the aligned table has more), escaped spaces
raw=$($PTINSPECT dump --pid "$M_PID" --range all --raw)
ncol=$(head -n 1 <<<"$raw" | wc -w)
odd=$(awk -v n="$ncol" 'NF != n || /  / || /^ / || / $/' <<<"$raw" | head -n 2)
if [ -z "$odd" ] && [ "$(wc -l <<<"$raw")" -gt 10 ] && grep -q 'present\\x20' <<<"$raw" &&
	$PTINSPECT dump --pid "$M_PID" --range all --noheadings | grep -q '  '; then
	t_ok "raw_is_single_space_separated ($ncol columns)"
else
	t_fail "raw_is_single_space_separated" "$odd"
fi
# colours: SGR with always, none with never, none on a terminal with NO_COLOR
sgr=$'\e['
for form in "" "--child $C"; do
	r=$([ -n "$form" ] && echo "$(rng "$F" $((8 << 20)))" || echo "$XR")
	# shellcheck disable=SC2086
	{
		c_always=$($PTINSPECT dump --pid "$M_PID" $form --range "$r" --color=always | grep -cF "$sgr")
		c_never=$(TERM=xterm on_pty $PTINSPECT dump --pid "$M_PID" $form --range "$r" --color=never | grep -cF "$sgr")
		c_pty=$(TERM=xterm on_pty $PTINSPECT dump --pid "$M_PID" $form --range "$r" | grep -cF "$sgr")
		c_nocolor=$(NO_COLOR=1 TERM=xterm on_pty $PTINSPECT dump --pid "$M_PID" $form --range "$r" | grep -cF "$sgr")
		c_pipe=$($PTINSPECT dump --pid "$M_PID" $form --range "$r" --noheadings | grep -cF "$sgr")
		same=$(diff <($PTINSPECT dump --pid "$M_PID" $form --range "$r" --color=always | sed 's/\x1b\[[0-9;]*m//g') \
			<($PTINSPECT dump --pid "$M_PID" $form --range "$r") >/dev/null && echo yes)
	}
	if [ "$c_always" -gt 0 ] && [ "$c_never" -eq 0 ] && [ "$c_pty" -gt 0 ] && [ "$c_nocolor" -eq 0 ] &&
		[ "$c_pipe" -eq 0 ] && [ "$same" = yes ]; then
		t_ok "color_always_never_auto_no_color (${form:-runs})"
	else
		t_fail "color_always_never_auto_no_color (${form:-runs})" \
			"always $c_always never $c_never pty $c_pty NO_COLOR $c_nocolor pipe $c_pipe text-unchanged ${same:-no}"
	fi
done
# parent against child: the same table machinery, its own columns
FR=$(rng "$F" $((8 << 20)))
doc=$($PTINSPECT dump --pid "$M_PID" --child "$C" --range "$FR" | grep '^0x')
tab=$($PTINSPECT dump --pid "$M_PID" --child "$C" --range "$FR" --noheadings)
cells=$($PTINSPECT dump --pid "$M_PID" --child "$C" --range "$FR" -o class,pages,start --raw | tail -n +2)
$PTINSPECT dump --pid "$M_PID" --child "$C" --range "$FR" --json >"$tmpd/child.json"
printf '%s\n' "$cells" >"$tmpd/cells"
res=$($PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
got = open(sys.argv[2]).read().splitlines()
want = ["%s %d 0x%016x" % (r["class"], r["pages"], int(r["start"], 16)) for r in d["runs"]]
print("ok" if want and got == want else "got %s... want %s..." % (got[:2], want[:2]))
' "$tmpd/child.json" "$tmpd/cells")
rm -rf "$tmpd"
if [ -n "$doc" ] && [ "$doc" = "$tab" ] && [ "$res" = ok ]; then
	t_ok "child_runs_as_columns_match_the_document_and_json ($(wc -l <<<"$tab") runs)"
else
	t_fail "child_runs_as_columns_match_the_document_and_json" "$res" "document: $(head -n 1 <<<"$doc")" "table: $(head -n 1 <<<"$tab")"
fi
# every column --output help lists is taken by -o, in both forms
for form in "" "--child $C"; do
	# shellcheck disable=SC2086
	cols=$($PTINSPECT dump $form --output help | awk '/^  [^ ]/ { print $1 }' | paste -sd, -)
	# shellcheck disable=SC2086
	n=$($PTINSPECT dump --pid "$M_PID" $form --range "$XR" -o "$cols" | head -n 1 | wc -w)
	if [ "$n" -ge 7 ] && [ "$n" -eq "$(tr , '\n' <<<"$cols" | wc -l)" ]; then
		t_ok "output_help_lists_every_column (${form:-runs}: $n)"
	else
		t_fail "output_help_lists_every_column (${form:-runs})" "$cols" "$n headings"
	fi
done
# what does not apply: one line, exit 2
t_exit "unknown_column_exits_2" 2 $PTINSPECT dump --pid "$M_PID" --range "$XR" -o start,frob
t_exit "runs_column_with_child_exits_2" 2 $PTINSPECT dump --pid "$M_PID" --child "$C" --range "$FR" -o entries
t_exit "empty_column_list_exits_2" 2 $PTINSPECT dump --pid "$M_PID" --range "$XR" -o start,
t_exit "output_with_each_exits_2" 2 $PTINSPECT dump --pid "$M_PID" --range "$XR" --each -o start
t_exit "noheadings_with_addr_exits_2" 2 $PTINSPECT dump --pid "$M_PID" --addr "$(printf '0x%x' "$X")" --noheadings
t_exit "color_with_each_exits_2" 2 $PTINSPECT dump --pid "$M_PID" --range "$XR" --each --color=always
t_exit "raw_with_json_exits_2" 2 $PTINSPECT dump --pid "$M_PID" --range "$XR" --json --raw
t_exit "bad_color_exits_2" 2 $PTINSPECT dump --pid "$M_PID" --range "$XR" --color=sometimes
m_stop

# A target that goes away while ptinspect is blocked writing runs: the runs
# read so far, then one line saying where and why, and the exit status.
# stop_test NAME ACTION WANT_EXIT WANT_REASON [child] (ACTION: @ is the
# region; child: a forked child, compared with --child, which ACTION may
# drive with its c- commands)
stop_test() {
	local name=$1 action=$2 want=$3 why=$4 res child=
	m_start
	m mapalt 20000000
	A=$R
	if [ "${5:-}" = child ]; then
		m fork
		child=$R
	fi
	res=$(M_FD=6 M_OUT=$M_DIR/out M_N=$M_N $PY - "$PTINSPECT" "$M_PID" "$(rng "$A" $((512 << 20)))" \
		"${action//@/$(printf '%x' "$A")}" $child <<'EOF'
import array, fcntl, os, subprocess, sys, termios, time
pti, pid, rng, action = sys.argv[1:5]
cmd = [pti, "dump", "--pid", pid, "--range", rng]
if len(sys.argv) > 5:
    cmd += ["--child", sys.argv[5]]
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
fd = p.stdout.fileno()
cap = fcntl.fcntl(fd, 1032)  # F_GETPIPE_SZ


def queued():
    n = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, n)
    return n[0]


# until it blocks in write(2): the pipe is full, the walk is mid-way.  In
# write(2) alone is not enough: an early write to a pipe with room is one
# too, and an action sent then came before the walk had begun (a child
# unmapping before ptinspect read its mappings is no note: ranges-asan
# failed so, "0 65536 0", under load)
for _ in range(1000):
    try:
        if (open("/proc/%d/syscall" % p.pid).read().split()[0] == "1"
                and queued() > cap - 4096):
            break
    except (OSError, IndexError):
        pass
    time.sleep(0.01)
os.write(int(os.environ["M_FD"]), (action + "\n").encode())


def done():
    """the subject replied (its child's unmap is made), or it exited"""
    with open(os.environ["M_OUT"]) as f:
        if len(f.read().splitlines()) > int(os.environ["M_N"]):
            return True
    try:
        return open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


# the action done before the walk goes on: a sleep was not enough for a
# subject and child slow to run on a loaded machine
for _ in range(3000):
    if done():
        break
    time.sleep(0.01)
out, err = p.communicate()
# runs: indented under a VMA; with --child, one per line
runs = sum(1 for l in out.decode().splitlines() if l.lstrip().startswith("0x"))
print(p.returncode, runs, len(err.decode().splitlines()), err.decode().strip())
EOF
)
	set -- $res
	# exit 0: the walk went on, and the one line is a note
	local pat="walk stopped at 0x[0-9a-f]+: .*$why"
	[ "$want" = 0 ] && pat="note: .*$why"
	if [ "$1" = "$want" ] && [ "$2" -gt 100 ] && [ "$3" -eq 1 ] && grep -Eq "$pat" <<<"$res"; then
		t_ok "$name (exit $1 after $2 runs)"
	else
		t_fail "$name" "$res"
	fi
	m_stop
}
stop_test "target_exiting_mid_walk_prints_runs_then_where_and_why" "exit" 4 "exited"
stop_test "target_unmapping_mid_walk_prints_runs_then_where_and_why" "unmap @ 20000000" 11 "was unmapped"
# parent against child: the child unmaps its copy of the region mid-walk;
# a mapping gone between two reads is a note, and the walk goes on
stop_test "child_unmapping_mid_compare_is_a_note_and_the_walk_goes_on" "cunmap @ 20000000" 0 "was unmapped by process [0-9]+ while compared" child

# the module's answers for this host's own scattered pages, made in its
# format (bench/kmodparse.c) as protocols 2, 3, 5 and 6, dirty or not, a
# forked child sharing some pages: every dump (runs, PFN runs, both as
# JSON, --each) the same bytes whether ptes come one a line, as runs, as
# short lines or as the module's spans, and whether the source joins them
# into spans or not; PFNs need root (CI's user)
name=module_protocols_2_3_5_6_give_the_same_dumps_short_lines_and_spans_included
if [ "$(id -u)" != 0 ]; then
	t_skip "$name" "PFNs need root"
elif res=$(build/bench/kmodparse 64 compare 2>&1) &&
	[ "$(grep -c ' identical ' <<<"$res")" = 20 ] &&
	grep -Eq "protocol 3 and 5 .*short [1-9][0-9]{3,}, spans 0\)" <<<"$res" &&
	grep -Eq "protocol 5 and 6 .*spans [1-9][0-9]{2,}\)" <<<"$res"; then
	t_ok "$name ($(grep -m 1 'protocol 3 and 5' <<<"$res" | sed 's/.*(\(.*\))/\1/'); $(
		grep -m 1 'protocol 5 and 6' <<<"$res" | sed 's/.*; \(.*\))/\1/'))"
else
	t_fail "$name" "$res"
fi

t_done
