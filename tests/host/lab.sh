#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The lab on this machine through /proc: real subject processes, real
# fork, the output of --script and --batch, counters, and --pid.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

# step N of a JSON-lines lab run, through a python expression on "s"
jq_step() {
	$PY -c '
import json, sys
steps = [json.loads(l) for l in sys.stdin if l.strip()]
s = {x["step"]: x for x in steps}
print(eval(sys.argv[1]))' "$1"
}

out=$($PTINSPECT lab --kind anon --script "write parent; fork; write child" --json 2>/dev/null)
r=$(jq_step 's[3]["parent"]["pagemap"]["pfn"] == s[3]["child"]["pagemap"]["pfn"] != None' <<<"$out")
[ "$r" = True ] && t_ok "lab_fork_child_pfn_equals_parent" || t_fail "lab_fork_child_pfn_equals_parent" "$r"
r=$(jq_step 's[4]["parent"]["pagemap"]["pfn"] != s[4]["child"]["pagemap"]["pfn"]' <<<"$out")
[ "$r" = True ] && t_ok "lab_child_write_gives_a_new_pfn" || t_fail "lab_child_write_gives_a_new_pfn" "$r"
r=$(jq_step 's[4]["counters"]["child"]["minor-faults"] >= 1' <<<"$out")
[ "$r" = True ] && t_ok "lab_counts_a_minor_fault_in_the_child" || t_fail "lab_counts_a_minor_fault_in_the_child" "$r"
r=$(jq_step 'any(c["process"] == "child" and c["what"] == "pfn" for c in s[4]["changes"])' <<<"$out")
[ "$r" = True ] && t_ok "lab_diff_names_the_child_pfn_change" || t_fail "lab_diff_names_the_child_pfn_change" "$r"

# structure of --json: one object per step per line
r=$($PY -c '
import json, sys
lines = [l for l in sys.stdin if l.strip()]
keys = {"step", "event", "error", "kind", "parent", "child", "changes", "counters"}
ok = len(lines) == 4 and all(keys <= set(json.loads(l)) for l in lines)
ok = ok and [json.loads(l)["event"] for l in lines] == ["map anon", "write parent", "fork", "write child"]
ok = ok and json.loads(lines[0])["child"] is None and json.loads(lines[2])["child"] is not None
print(ok)' <<<"$out")
[ "$r" = True ] && t_ok "lab_json_is_one_object_per_step" || t_fail "lab_json_is_one_object_per_step" "$out"

# --batch reads the same language from a file, comments and blank lines allowed
printf '# a session\nwrite parent\n\nfork   # the child\nread child\ndump\nquit\nwrite child\n' >"/tmp/pt_batch.$$"
out=$($PTINSPECT lab --kind shared --batch "/tmp/pt_batch.$$" 2>&1)
rm -f "/tmp/pt_batch.$$"
n=$(grep -c '^== step ' <<<"$out")
if [ "$n" -eq 5 ] && grep -q '^== step 4  read child' <<<"$out" && ! grep -q 'write child' <<<"$out"; then
	t_ok "lab_batch_runs_until_quit"
else
	t_fail "lab_batch_runs_until_quit" "$out"
fi

# a --batch file past 1 MiB is read whole: the bad command at its end is
# refused before any event, as it would be in a short file
{
	echo "write parent"
	for i in $(seq 1100); do printf '#%01023d\n' 0; done
	echo "nosuch-command"
} >"/tmp/pt_batch.$$"
t_exit "lab_batch_past_1mib_refuses_its_last_bad_line" 2 $PTINSPECT lab --kind anon --batch "/tmp/pt_batch.$$"
rm -f "/tmp/pt_batch.$$"

for k in anon thp shared file-private file-shared memfd; do
	out=$($PTINSPECT lab --kind $k --script "write parent; fork; read child; write child; write parent; exit child" --json 2>&1)
	r=$($PY -c '
import json, sys
steps = [json.loads(l) for l in sys.stdin if l.startswith("{")]
print(len(steps) == 7 and all(s["error"] is None for s in steps) and steps[-1]["child"] is None)' <<<"$out")
	[ "$r" = True ] && t_ok "lab_kind_${k}_runs_every_event" || t_fail "lab_kind_${k}_runs_every_event" "$out"
done

# the file-shared child write keeps the page shared: the same PFN in both
out=$($PTINSPECT lab --kind file-shared --script "write parent; fork; write child" --json 2>/dev/null)
r=$(jq_step 's[4]["parent"]["pagemap"]["pfn"] == s[4]["child"]["pagemap"]["pfn"]' <<<"$out")
[ "$r" = True ] && t_ok "lab_shared_file_write_keeps_one_pfn" || t_fail "lab_shared_file_write_keeps_one_pfn" "$r"

# hardware events a machine cannot count are a note, not a failure
out=$($PTINSPECT lab --kind anon -e minor-faults,dTLB-load-misses --script "write parent" --json 2>"/tmp/pt_note.$$")
rc=$?
r=$(jq_step 's[2]["counters"]["parent"]["minor-faults"] >= 1 and (s[2]["counters"]["parent"]["dTLB-load-misses"] is not None or "not countable" in open("/tmp/pt_note.'$$'").read())' <<<"$out")
[ $rc -eq 0 ] && [ "$r" = True ] && t_ok "lab_uncountable_hardware_event_is_a_note" ||
	t_fail "lab_uncountable_hardware_event_is_a_note" "rc $rc $r" "$(cat /tmp/pt_note.$$)"
rm -f "/tmp/pt_note.$$"
t_exit "lab_unknown_event_exits_2" 2 "$PTINSPECT" lab --kind anon -e no-such-event --script "write parent"
# libpfm4 is opened for counters only: without a loadable library a lab
# asking for counters says so in one line, and a dump does not need it
# (the library hidden by an empty file bound over it, in a mount namespace)
pfm=$(ldconfig -p 2>/dev/null | awk '/libpfm\.so\.4 / { print $NF; exit }')
if [ -n "$pfm" ] && unshare -m true 2>/dev/null; then
	pfm=$(readlink -f "$pfm")
	out=$(unshare -m sh -c 'mount --bind /dev/null "$1" && shift &&
		"$@" lab --kind anon -e minor-faults --script "write parent" 2>&1; echo "rc=$?";
		"$@" dump --pid $$ --addr stack >/dev/null 2>&1; echo "dump=$?"' sh "$pfm" "$PTINSPECT")
	case $out in
	"ptinspect: counters need libpfm4 (libpfm.so.4): "*"
rc=2
dump=0") t_ok "lab_counters_without_libpfm4_one_line_and_dump_needs_none" ;;
	*) t_fail "lab_counters_without_libpfm4_one_line_and_dump_needs_none" "$out" ;;
	esac
else
	t_skip "lab_counters_without_libpfm4_one_line_and_dump_needs_none" "no libpfm.so.4 in ldconfig, or no mount namespace (not root)"
fi

# madvise, mprotect, a write that faults: events of the lab, not failures of it
out=$($PTINSPECT lab --kind anon --script "write parent; mprotect ro; write parent; madvise dontneed; read parent; mprotect rw; write parent" --json 2>&1)
r=$(jq_step 's[4]["error"].startswith("the write faulted") and s[4]["parent"]["vma"]["perms"] == "r--p" and not s[5]["parent"]["pagemap"]["present"] and s[6]["parent"]["pagemap"]["present"] and s[8]["parent"]["pagemap"]["exclusive"] and s[8]["error"] is None' <<<"$out")
[ "$r" = True ] && t_ok "lab_mprotect_madvise_and_a_faulting_write" || t_fail "lab_mprotect_madvise_and_a_faulting_write" "$r"

# explanations: every step says why; a wrong expectation is UNEXPECTED
out=$($PTINSPECT lab --kind anon --script "write parent; fork" --json 2>/dev/null)
r=$(jq_step '"copy_present_ptes" in s[3]["explain"]["functions"] and not s[3]["explain"]["unexpected"] and s[3]["explain"]["checked"] >= 1' <<<"$out")
[ "$r" = True ] && t_ok "lab_explains_fork_and_checks_it" || t_fail "lab_explains_fork_and_checks_it" "$r"
out=$($PTINSPECT lab --kind anon --expect "anon:fork:parent:error=1" --script "write parent; fork" 2>/dev/null)
if grep -q "^UNEXPECTED: parent error: expected 1, observed 0" <<<"$out"; then
	t_ok "lab_reports_a_wrong_expectation_as_unexpected"
else
	t_fail "lab_reports_a_wrong_expectation_as_unexpected" "$out"
fi
out=$($PTINSPECT lab --kind anon --expect "anon:mprotect-ro:parent:error=1" \
	--script "write parent; mprotect rw; mprotect ro" 2>/dev/null)
if grep -q "^== step 4  mprotect ro" <<<"$out" &&
	[ "$(grep -c "^UNEXPECTED: parent error: expected 1, observed 0" <<<"$out")" = 1 ]; then
	t_ok "lab_expectation_names_an_mprotect_direction"
else
	t_fail "lab_expectation_names_an_mprotect_direction" "$out"
fi
t_exit "lab_bad_expectation_exits_2" 2 "$PTINSPECT" lab --kind anon --expect "anon:fork:nobody:write=1"
t_exit "lab_unknown_scenario_exits_2" 2 "$PTINSPECT" lab --scenario nosuch

# expectations keyed on the state seen before each event (issue 8)
# steps of a --json run as "s", through a python expression
no_unexpected='not any(x["explain"]["unexpected"] for x in s.values())'
out=$($PTINSPECT lab --kind anon --script "read parent; write parent 4096" --json 2>/dev/null)
r=$(jq_step "$no_unexpected"' and any(r["what"] == "unchanged" and r["held"] for r in s[3]["explain"]["rows"])' <<<"$out")
[ "$r" = True ] && t_ok "lab_write_to_another_page_leaves_the_watched_one" ||
	t_fail "lab_write_to_another_page_leaves_the_watched_one" "$(cut -c1-600 <<<"$out")"
out=$($PTINSPECT lab --kind file-private --script "read parent; madvise dontneed; fork" --json 2>/dev/null)
r=$(jq_step "$no_unexpected"' and s[4]["explain"]["modelled"] and any(r["process"] == "child" and r["what"] == "empty" and r["held"] for r in s[4]["explain"]["rows"]) and not any(r["function"] == "copy_present_ptes" for r in s[4]["explain"]["rows"])' <<<"$out")
[ "$r" = True ] && t_ok "lab_fork_of_nothing_mapped_expects_an_empty_child" ||
	t_fail "lab_fork_of_nothing_mapped_expects_an_empty_child" "$(cut -c1-600 <<<"$out")"
# a failed event is checked as a failure: nothing changed
out=$($PTINSPECT lab --script 'write parent; fork; fork; write child 99999999999' --json 2>/dev/null)
r=$(jq_step "$no_unexpected"' and s[4]["error"] and s[5]["error"].endswith("outside the region") and all(r["function"] in ("(failed)", "(ptinspect)") and r["held"] for i in (4, 5) for r in s[i]["explain"]["rows"]) and s[5]["explain"]["checked"] >= 2' <<<"$out")
[ "$r" = True ] && t_ok "lab_failed_event_is_checked_as_unchanged" ||
	t_fail "lab_failed_event_is_checked_as_unchanged" "$(cut -c1-900 <<<"$out")"
out=$($PTINSPECT lab --script 'write parent; fork; fork; write child 99999999999' 2>/dev/null)
if grep -q "^event failed: offset 0x174876e7ff is outside the region" <<<"$out" && ! grep -q UNEXPECTED <<<"$out"; then
	t_ok "lab_failed_event_text_has_no_unexpected"
else
	t_fail "lab_failed_event_text_has_no_unexpected" "$out"
fi
# a state no row describes is said so, in text and JSON, and is not UNEXPECTED
out=$($PTINSPECT lab --kind anon --script "write parent; madvise pageout" 2>/dev/null)
if grep -q "^not modelled: madvise-pageout parent on present" <<<"$out" && ! grep -q UNEXPECTED <<<"$out"; then
	t_ok "lab_unmodelled_state_is_said_plainly"
else
	t_fail "lab_unmodelled_state_is_said_plainly" "$out"
fi
out=$($PTINSPECT lab --kind anon --script "write parent; madvise pageout" --json 2>/dev/null)
r=$(jq_step 's[3]["explain"]["modelled"] is False and s[3]["explain"]["not_modelled"].startswith("madvise-pageout parent") and s[2]["explain"]["not_modelled"] is None' <<<"$out")
[ "$r" = True ] && t_ok "lab_json_says_not_modelled" || t_fail "lab_json_says_not_modelled" "$(cut -c1-600 <<<"$out")"
# a misspelt bit or event is an error, not a silent 0
t_exit "lab_expect_misspelt_bit_exits_2" 2 "$PTINSPECT" lab --kind thp --expect "thp:fork:child:wirte=0" --script "fork"
t_exit "lab_expect_unknown_event_exits_2" 2 "$PTINSPECT" lab --kind thp --expect "thp:frok:child:write=0" --script "fork"
t_exit "lab_expect_unknown_precondition_exits_2" 2 "$PTINSPECT" lab --kind thp --expect "thp:fork:child:write=0 pre=shiny" --script "fork"
# seeded scripts: the seed is printed, and one script replays alone
out=$($PTINSPECT lab --random 30 --seed 4242 --kind anon,thp,shared,file-private,file-shared,memfd --json 2>"/tmp/pt_gen.$$")
r=$($PY -c '
import json, sys
objs = [json.loads(l) for l in sys.stdin if l.startswith("{")]
heads = [o for o in objs if "script" in o]
steps = [o for o in objs if "step" in o]
print(len(heads) == 30 and [h["seed"] for h in heads] == list(range(4242, 4272))
      and len(steps) >= 30 * 5 and not any(s["explain"]["unexpected"] for s in steps)
      and sum(s["explain"]["checked"] > 0 for s in steps) >= 0.7 * len(steps))' <<<"$out")
if [ "$r" = True ] && grep -q "30 random scripts from seed 4242" "/tmp/pt_gen.$$" &&
	grep -q "0 unexpected; seed 4242" "/tmp/pt_gen.$$"; then
	t_ok "lab_random_scripts_hold_or_are_not_modelled"
else
	t_fail "lab_random_scripts_hold_or_are_not_modelled" "$r" "$(cat /tmp/pt_gen.$$)"
fi
rm -f "/tmp/pt_gen.$$"
seventh=$(grep '"seed":4248,' <<<"$out" | head -n 1)
again=$($PTINSPECT lab --random 1 --seed 4248 --kind anon,thp,shared,file-private,file-shared,memfd --json 2>/dev/null | head -n 1)
[ -n "$seventh" ] && [ "$seventh" = "${again/\"script\":1,/\"script\":7,}" ] && t_ok "lab_random_seed_replays_one_script" ||
	t_fail "lab_random_seed_replays_one_script" "$seventh" "$again"
# the header's own replay command (one kind) gives the same events
hdr=$($PTINSPECT lab --random 5 --seed 77 --kind anon,thp,shared 2>/dev/null | grep '^=== script 4:')
cmd=$(sed 's/^=== script 4: ptinspect //; s/  #.*//' <<<"$hdr")
# shellcheck disable=SC2086
again=$($PTINSPECT $cmd 2>/dev/null | head -n 1)
[ -n "$hdr" ] && [ "${hdr#*#}" = "${again#*#}" ] && t_ok "lab_random_header_replays_its_script" ||
	t_fail "lab_random_header_replays_its_script" "$hdr" "$again"
t_exit "lab_random_zero_exits_2" 2 "$PTINSPECT" lab --random 0
t_exit "lab_random_bad_kind_exits_2" 2 "$PTINSPECT" lab --random 1 --kind anon,nosuch

# a page pinned before fork stays the parent's alone; the child gets a copy
out=$($PTINSPECT lab --scenario pin --json 2>&1)
r=$(jq_step '(len(s) == 14 and s[4]["event"] == "fork" and s[12]["event"] == "fork"
  and all(s[i][w]["pagemap"]["exclusive"] for i in (4, 12) for w in ("parent", "child"))
  and all(s[i]["parent"]["pagemap"]["pfn"] != s[i]["child"]["pagemap"]["pfn"]
          or not s[i]["parent"]["pagemap"]["pfn"] for i in (4, 12))
  and not any(x["explain"]["unexpected"] for x in s.values())
  and all(s[i]["explain"]["checked"] >= 1 for i in (4, 5, 6, 7, 8, 12, 13, 14)))' <<<"$out")
[ "$r" = True ] && t_ok "lab_pinned_page_is_copied_for_the_child_at_fork" ||
	t_fail "lab_pinned_page_is_copied_for_the_child_at_fork" "$(cut -c1-400 <<<"$out")"
out=$($PTINSPECT lab --kind anon --script "write parent; unpin parent; pin parent; pin parent" 2>&1)
if grep -q "nothing is pinned" <<<"$out" && grep -q "pinned already" <<<"$out"; then
	t_ok "lab_pin_errors_are_step_errors"
else
	t_fail "lab_pin_errors_are_step_errors" "$out"
fi
t_exit "lab_pin_of_nobody_exits_2" 2 "$PTINSPECT" lab --kind anon --script "pin nobody"

# fault-around: a read fault of a page in the watched page's 64 KiB maps
# the watched page too (do_fault_around); a read of a page mapped already
# takes no fault and maps nothing.  Where the lab's file lands is ASLR's:
# up to four tries for a watched page and +4096 in one 64 KiB window.
for try in 1 2 3 4; do
	out=$($PTINSPECT lab --kind file-shared --script "write parent; fork; read child 4096; exit child; fork; write child 4096; read child 4096" --json 2>&1)
	r=$(jq_step '"win" if int(s[1]["parent"]["addr"], 16) >> 16 == (int(s[1]["parent"]["addr"], 16) + 4096) >> 16 else "near"' <<<"$out")
	[ "$r" = win ] && break
done
r=$(jq_step '(
  # the read faults: fault-around maps the parent'"'"'s page into the child
  any(x["function"] == "do_fault_around" and x["held"] for x in s[4]["explain"]["rows"])
  and s[4]["child"]["pagemap"]["pfn"] == s[4]["parent"]["pagemap"]["pfn"]
  # the page was mapped by the write: the read takes no fault, maps nothing
  and any(x["what"] == "unchanged" and x["function"] == "do_read_fault" and x["held"] for x in s[8]["explain"]["rows"])
  and not s[8]["child"]["pagemap"]["present"]
  and not any(x["explain"]["unexpected"] for x in s.values()))' <<<"$out")
[ "$r" = True ] && t_ok "lab_fault_around_only_when_the_read_faults" ||
	t_fail "lab_fault_around_only_when_the_read_faults" "$(cut -c1-600 <<<"$out")"

t_exit "lab_bad_script_exits_2_before_starting" 2 "$PTINSPECT" lab --kind anon --script "write parent; frob"
t_exit "lab_unknown_kind_exits_2" 2 "$PTINSPECT" lab --kind nosuch
if [ "$(cat /proc/sys/vm/nr_hugepages)" = 0 ]; then
	t_exit "lab_hugetlb_without_reserved_pages_says_how" 2 "$PTINSPECT" lab --kind hugetlb --script "write parent"
else
	t_skip "lab_hugetlb_without_reserved_pages_says_how" "huge pages are reserved on this machine"
fi
if [ "$(id -u)" -eq 0 ]; then
	old=$(cat /proc/sys/vm/nr_hugepages)
	echo 4 >/proc/sys/vm/nr_hugepages
	out=$($PTINSPECT lab --kind hugetlb --script "write parent; fork; write child" --json 2>&1)
	echo "$old" >/proc/sys/vm/nr_hugepages
	r=$(jq_step 's[4]["child"]["levels"][-1]["level"] == "pmd" and s[4]["parent"]["vma"]["kind"] == "hugetlb" and s[4]["child"]["pagemap"]["pfn"] != s[4]["parent"]["pagemap"]["pfn"]' <<<"$out")
	[ "$r" = True ] && t_ok "lab_hugetlb_child_write_copies_the_2m_page" || t_fail "lab_hugetlb_child_write_copies_the_2m_page" "$out"
fi

# --pid without a terminal: one step per change, and an exit is reported
subject_start
subject map anon 4096
A=$R
subject write "$A"
$PTINSPECT --pid "$S_PID" --addr "$A" --interval 0.1 --json >"$S_DIR/watch" 2>&1 &
wpid=$!
# Each stage waits for the watcher to have seen the last: a loaded CI
# machine may take longer than any fixed sleep to attach or refresh.
t_wait_file "$S_DIR/watch" '"event":"attach"'
subject fork
t_wait_file "$S_DIR/watch" '"what":"pm_exclusive"'
subject_stop_keep() { exec 7>&-; kill -9 "$S_PID"; wait "$S_PID" 2>/dev/null; }
subject_stop_keep
wait $wpid
rc=$?
r=$($PY -c '
import json, sys
steps = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
print(len(steps) >= 3 and steps[0]["event"] == "attach"
      and any(c["what"] == "pm_exclusive" for s in steps for c in s["changes"])
      and steps[-1]["parent"] is None and "exited" in steps[-1]["parent_error"])' "$S_DIR/watch")
[ "$r" = True ] && [ $rc -eq 0 ] && t_ok "watch_pid_steps_on_change_and_reports_exit" ||
	t_fail "watch_pid_steps_on_change_and_reports_exit" "rc $rc" "$(cut -c1-300 "$S_DIR/watch")"
# one interpreter: the shell and --script run the same lines the same way,
# the keys' lines included (back, step last, step 1), and stop at quit
lines="write parent; back; step last; step 1; quit; write parent"
a=$($PTINSPECT lab --kind anon --script "$lines" 2>/dev/null | sed -n 's/^== step \([0-9]*\) .*/\1/p' | tr '\n' ' ')
b=$(tr ';' '\n' <<<"$lines" | $PTINSPECT shell --kind anon 2>/dev/null | sed -n 's/^== step \([0-9]*\) .*/\1/p' | tr '\n' ' ')
if [ "$a" = "1 2 1 2 1 " ] && [ "$a" = "$b" ]; then
	t_ok "shell_and_script_share_the_interpreter"
else
	t_fail "shell_and_script_share_the_interpreter" "script: $a" "shell: $b"
fi
# the key table names the line each key runs, and each line is a command
out=$($PTINSPECT help)
bad=
n=0
# the line column (after the 2-space indent and 10 columns of key names)
while read -r line; do
	[ -n "$line" ] || continue
	n=$((n + 1))
	# a line the lab cannot run now (child next without --pid) is still a command
	$PTINSPECT lab --kind anon --script "$line" 2>&1 >/dev/null | grep -qE 'unknown command|usage:' &&
		bad="$bad [$line]"
done < <(sed -n '/^keys of the TUI:/,$p' <<<"$out" | tail -n +2 | cut -c14-28)
if grep -qE '^  b, Left +back +show the previous step$' <<<"$out" &&
	grep -qE '^  G, End +step last +show the last step$' <<<"$out" && [ "$n" -ge 6 ] && [ -z "$bad" ]; then
	t_ok "keys_are_rows_of_command_lines"
else
	t_fail "keys_are_rows_of_command_lines" "$bad" "$out"
fi

# This machine's kernel is a test kernel too: a write to the huge zero pmd
# is explained by the rows of the running kernel's version, with the line
# of that version (6.13 on: do_huge_zero_wp_pmd allocates a THP).
kv=$(uname -r | sed -n 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
read -r kmaj kmin <<<"$kv"
modelled_for() {	# the modelled version whose rows a kernel gets
	local a=$1 b=$2
	if [ "$a" -gt 7 ] || { [ "$a" -eq 7 ] && [ "$b" -ge 1 ]; }; then echo 7.1
	elif [ "$a" -eq 6 ] && [ "$b" -ge 18 ]; then echo 6.18
	elif [ "$a" -eq 6 ] && [ "$b" -ge 12 ]; then echo 6.12
	else echo 6.1; fi
}
thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
if [ ! -r /proc/kpageflags ] || [ -z "$thp" ] || grep -q '\[never\]' <<<"$thp"; then
	t_skip "lab_host_huge_zero_write_rows" "no THP or /proc/kpageflags here"
elif [ "$kmaj" -lt 6 ] || { [ "$kmaj" -eq 6 ] && [ "$kmin" -lt 13 ]; } ||
	{ [ "$kmaj" -eq 6 ] && [ "$kmin" -gt 12 ] && [ "$kmin" -lt 18 ]; }; then
	t_skip "lab_host_huge_zero_write_rows" "$(uname -r) has no rows citing do_huge_zero_wp_pmd's line"
else
	want=$(modelled_for "$kmaj" "$kmin")
	out=$($PTINSPECT lab --kind thp --script 'read parent; write parent' --json 2>/dev/null)
	r=$(jq_step 's[3]["explain"]["modelled"] and s[3]["explain"]["checked"] >= 1 and not s[3]["explain"]["unexpected"] and "do_huge_zero_wp_pmd" in s[3]["explain"]["functions"] and any(x["function"] == "do_huge_zero_wp_pmd" and x["held"] and x["source"].startswith("mm/huge_memory.c:") and x["source"].endswith(" at '"$want"'") for x in s[3]["explain"]["rows"]) and s[3]["parent"]["pagemap"]["huge"]' <<<"$out")
	txt=$($PTINSPECT lab --kind thp --script 'read parent; write parent' 2>/dev/null)
	if [ "$r" = True ] && grep -q '\[do_huge_zero_wp_pmd' <<<"$txt" &&
		[ "$(sed -n '/^== step 3/,$p' <<<"$txt" | grep -c '^expected: [0-9]* checks\? against the rows for '"$want"'$')" = 1 ] &&
		! grep -q 'UNEXPECTED\|not modelled' <<<"$txt"; then
		t_ok "lab_host_huge_zero_write_rows"
	else
		t_fail "lab_host_huge_zero_write_rows" "$r" "$txt"
	fi
fi

# MADV_DONTNEED of the thp kind's whole 2 MiB frees the pte table it left
# empty (6.14 on x86_64, 7.1 on arm64, CONFIG_PT_RECLAIM): the pmd is none,
# which the /proc source sees as a pte table fewer in VmPTE, and the read
# after it maps the huge zero pmd again.  The parent and the child, each
# checked by the pte_table row with the line of this kernel's version;
# where the config cannot be read (an empty file bound over
# /proc/config.gz, in a mount namespace) the step is not modelled.
arch=$(uname -m)
if [ -z "$thp" ] || grep -q '\[never\]' <<<"$thp"; then
	t_skip "lab_host_dontneed_frees_the_pte_table" "no THP here"
elif ! { [ "$arch" = x86_64 ] && { [ "$kmaj" -gt 6 ] || { [ "$kmaj" -eq 6 ] && [ "$kmin" -ge 18 ]; }; }; } &&
	! { [ "$kmaj" -gt 7 ] || { [ "$kmaj" -eq 7 ] && [ "$kmin" -ge 1 ]; }; }; then
	t_skip "lab_host_dontneed_frees_the_pte_table" "$(uname -r) on $arch has no row for it"
else
	want=$(modelled_for "$kmaj" "$kmin")
	reclaim=$( { zcat /proc/config.gz 2>/dev/null || cat "/boot/config-$(uname -r)" 2>/dev/null; } |
		sed -n 's/^CONFIG_PT_RECLAIM=\(.\)$/\1/p')
	if [ "$want" = 6.18 ]; then line="mm/pt_reclaim.c:22 at 6.18" func=try_get_and_clear_pmd
	else line="mm/memory.c:1860 at 7.1" func=zap_empty_pte_table; fi
	script="madvise nohugepage; write parent; fork; madvise dontneed child; madvise hugepage; madvise dontneed; read parent"
	out=$($PTINSPECT lab --kind thp --script "$script" --json 2>/dev/null)
	txt=$($PTINSPECT lab --kind thp --script "$script" 2>/dev/null)
	# the anon kind's 64 KiB covers no whole table: it stays (VmPTE as it was)
	small=$($PTINSPECT lab --kind anon --expect "anon:madvise-dontneed:parent:pte_table=1" \
		--script "write parent; madvise dontneed" --json 2>/dev/null)
	# held: the row says the pmd went, and pagemap agrees by the next read
	r=$(jq_step 'all(s[n]["explain"]["modelled"] and not s[n]["explain"]["unexpected"] and any(x["what"] == "pte_table" and x["expected"] == 0 and x["observed"] == 0 and x["held"] and x["process"] == p and x["function"] == "'$func'" and x["source"] == "'"$line"'" for x in s[n]["explain"]["rows"]) for n, p in ((5, "child"), (7, "parent"))) and s[3]["parent"]["pagemap"]["huge"] is False and s[8]["parent"]["pagemap"]["huge"] is True' <<<"$out")
	r2=$(jq_step '[(x["observed"], x["held"]) for x in s[3]["explain"]["rows"] if x["what"] == "pte_table"] == [(1, True)]' <<<"$small")
	if [ "$reclaim" != y ]; then
		t_skip "lab_host_dontneed_frees_the_pte_table" "CONFIG_PT_RECLAIM is '${reclaim:-not known}' here"
	elif [ "$r" = True ] && [ "$r2" = True ] && grep -q "\[zap_page_range_single_batched, $func\]\|, $func\]" <<<"$txt" &&
		! grep -q 'UNEXPECTED\|not modelled' <<<"$txt"; then
		t_ok "lab_host_dontneed_frees_the_pte_table"
	else
		t_fail "lab_host_dontneed_frees_the_pte_table" "$r $r2" "$txt"
	fi
	if [ ! -e /proc/config.gz ] || [ -e "/boot/config-$(uname -r)" ] || ! unshare -m true 2>/dev/null; then
		t_skip "lab_host_dontneed_unknown_config_is_not_modelled" "no /proc/config.gz to hide, or /boot has the config, or no mount namespace"
	else
		o=$(unshare -m sh -c 'mount --bind /dev/null /proc/config.gz && "$1" lab --kind thp --script "$2" --json' sh "$PTINSPECT" "$script" 2>/dev/null)
		r=$(jq_step 'all(not s[n]["explain"]["modelled"] and not any(x["what"] == "pte_table" for x in s[n]["explain"]["rows"]) for n in (5, 7))' <<<"$o")
		o=$(unshare -m sh -c 'mount --bind /dev/null /proc/config.gz && "$1" lab --kind thp --script "$2"' sh "$PTINSPECT" "$script" 2>&1)
		if [ "$r" = True ] && [ "$(grep -c "^not modelled for this version: $func holds only where CONFIG_PT_RECLAIM=y, and this kernel's config is not known (no /proc/config.gz, no /boot/config-$(uname -r))" <<<"$o")" = 2 ]; then
			t_ok "lab_host_dontneed_unknown_config_is_not_modelled"
		else
			t_fail "lab_host_dontneed_unknown_config_is_not_modelled" "$r" "$o"
		fi
	fi
fi

# MADV_COLLAPSE of a file range in one process unmaps the other's pte of
# the page-cache page it replaces (collapse_file -> try_to_unmap): the
# other process's "unchanged" row would lie there (a generated script on
# 7.1 found it); file-private and a shm kind
for k in file-private memfd; do
	name="lab_${k//-/_}_collapse_in_the_child_empties_the_parents_page_cache_pte"
	if [ -z "$thp" ]; then
		t_skip "$name" "no THP here"
		continue
	fi
	out=$($PTINSPECT lab --kind $k --script "fork; read parent; madvise collapse child; read parent" --json 2>/dev/null)
	r=$(jq_step "$no_unexpected"' and s[4]["parent"]["pagemap"]["present"] is False and s[4]["child"]["pagemap"]["huge"] is True and [(x["what"], x["held"], x["function"]) for x in s[4]["explain"]["rows"] if x["process"] == "parent"] == [("empty", True, "collapse_file")] and s[5]["parent"]["pagemap"]["huge"] is True' <<<"$out")
	if [ "$r" = True ]; then
		t_ok "$name"
	else
		t_fail "$name" "$r" "$($PTINSPECT lab --kind $k --script "fork; read parent; madvise collapse child; read parent" 2>&1 | tail -30)"
	fi
done

# --kernel chooses the rows: between modelled versions a row that changed
# in between is not modelled; newer than 7.1 says so; 6.12 cites 6.12
if [ ! -r /proc/kpageflags ] || [ -z "$thp" ] || grep -q '\[never\]' <<<"$thp"; then
	t_skip "lab_kernel_option_chooses_the_rows" "no THP or /proc/kpageflags here"
else
	a=$($PTINSPECT lab --kernel 6.15 --kind thp --script 'read parent; write parent' 2>/dev/null)
	b=$($PTINSPECT lab --kernel 7.2 --kind thp --script 'read parent; write parent' --json 2>/dev/null)
	c=$($PTINSPECT lab --kernel 7.2 --kind thp --script 'read parent' 2>/dev/null)
	d=$($PTINSPECT lab --kernel 6.12 --kind thp --script 'read parent; write parent' --json 2>/dev/null)
	r1=$(sed -n '/^== step 3/,$p' <<<"$a")
	r2=$(jq_step 'any(x["source"] == "mm/huge_memory.c:2127 at 7.1" for x in s[3]["explain"]["rows"])' <<<"$b")
	r3=$(jq_step '"do_huge_zero_wp_pmd" not in s[3]["explain"]["functions"] and any(x["source"].endswith(" at 6.12") for x in s[3]["explain"]["rows"])' <<<"$d")
	if grep -q '^not modelled for this version: the behaviour changed between 6.12 and 6.18 (do_huge_zero_wp_pmd, since 6.13, commit 1ced09e0331f)' <<<"$r1" &&
		! grep -q '^expected' <<<"$r1" && [ "$r2" = True ] && [ "$r3" = True ] &&
		grep -q '^expected: 1 check against rows from 7.1; this kernel is newer$' <<<"$c"; then
		t_ok "lab_kernel_option_chooses_the_rows"
	else
		t_fail "lab_kernel_option_chooses_the_rows" "$r1" "$r2" "$r3" "$c"
	fi
fi
out=$($PTINSPECT lab --kernel six --kind anon --script 'read parent' 2>&1)
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q "unreadable kernel version 'six'" <<<"$out" &&
	t_ok "lab_kernel_option_refuses_a_bad_version" || t_fail "lab_kernel_option_refuses_a_bad_version" "$rc $out"

# kpageflags: bit 34 of an anonymous page is PG_anon_exclusive, and the KSM
# erratum is told live where it can be (KSM never ran, yet a page says KSM)
if [ ! -r /proc/kpageflags ]; then
	t_skip "lab_kpageflags_anon_exclusive_and_ksm_erratum" "no /proc/kpageflags here"
else
	out=$($PTINSPECT lab --kind anon --script 'write parent' --json 2>/dev/null)
	txt=$($PTINSPECT lab --kind anon --script 'write parent' 2>/dev/null | grep '^kpageflags:' | tail -1)
	scans=$(cat /sys/kernel/mm/ksm/full_scans 2>/dev/null || echo -1)
	kvn=$((kmaj * 256 + kmin))
	r=$(jq_step '(lambda k: "anon_exclusive" in k["flags"] and "owner_2" not in k["flags"] and (
		[e["applies"] for e in k["errata"]] == [True] and "seen live: KSM had never run" in k["errata"][0]["text"]
		if "ksm" in k["flags"] and '"$scans"' == 0 else
		[e["applies"] for e in k["errata"]] == [False] and "fixed here" in k["errata"][0]["text"]
		if "ksm" not in k["flags"] and 6 * 256 + 12 <= '"$kvn"' < 7 * 256 + 1 else True))(s[2]["parent"]["pagemap"]["kpageflags"])' <<<"$out")
	if [ "$r" = True ] && grep -q ' anon_exclusive ' <<<"$txt" && ! grep -q owner_2 <<<"$txt"; then
		t_ok "lab_kpageflags_anon_exclusive_and_ksm_erratum"
	else
		t_fail "lab_kpageflags_anon_exclusive_and_ksm_erratum" "$r" "$txt" "$out"
	fi
fi

# guard regions (MADV_GUARD_INSTALL, 6.13): the marker in pagemap from
# 6.15, copied at fork, removed by unguard; each step checked, none
# unexpected; before 6.13 both events fail as the rows say
out=$($PTINSPECT lab --kind anon --script 'write parent; guard parent; fork; unguard parent' --json 2>/dev/null)
if [ "$kmaj" -gt 6 ] || { [ "$kmaj" -eq 6 ] && [ "$kmin" -ge 18 ]; }; then
	# every kind a guard region may be in (not a pfnmap, not hugetlb)
	for k in thp shared file-private file-shared memfd; do
		o=$($PTINSPECT lab --kind $k --script 'write parent; guard parent; fork; unguard parent' --json 2>/dev/null)
		r=$(jq_step 'all(s[n]["error"] is None and s[n]["explain"]["modelled"] and s[n]["explain"]["checked"] >= 1 and not s[n]["explain"]["unexpected"] for n in (3, 4, 5)) and s[4]["child"]["pagemap"]["guard"] and not s[5]["parent"]["pagemap"]["guard"]' <<<"$o")
		[ "$r" = True ] || out="$k: $o"
	done
	r=$(jq_step 'all(s[n]["error"] is None and s[n]["explain"]["modelled"] and s[n]["explain"]["checked"] >= 1 and not s[n]["explain"]["unexpected"] for n in (3, 4, 5)) and s[3]["parent"]["pagemap"]["guard"] and "madvise_guard_install" in s[3]["explain"]["functions"] and s[4]["child"]["pagemap"]["guard"] and any(x["what"] == "guard_same" and x["held"] and x["function"] == "copy_nonpresent_pte" for x in s[4]["explain"]["rows"]) and not s[5]["parent"]["pagemap"]["guard"] and s[5]["child"]["pagemap"]["guard"]' <<<"$out")
elif [ "$kmaj" -eq 6 ] && [ "$kmin" -le 12 ]; then
	r=$(jq_step 's[3]["error"] is not None and s[3]["explain"]["checked"] >= 1 and not s[3]["explain"]["unexpected"]' <<<"$out")
else
	r=skip
fi
if [ "$r" = skip ]; then
	t_skip "lab_guard_regions" "$(uname -r) lies between the modelled kernels"
elif [ "$r" = True ]; then
	t_ok "lab_guard_regions"
else
	t_fail "lab_guard_regions" "$r" "$out"
fi
out=$($PTINSPECT lab --kind anon --script 'guard sideways' 2>&1)
rc=$?
[ $rc -eq 2 ] && [ "$out" = 'ptinspect: usage: guard [parent|child]' ] && t_ok "lab_guard_refuses_a_bad_process" ||
	t_fail "lab_guard_refuses_a_bad_process" "$rc $out"

# mremap: the region moves away and back (MREMAP_FIXED both ways), so the
# lab watches the same address; the entries moved keep their page (pfn),
# their level (a THP's pmd and a hugetlb entry move whole) and their
# exclusivity; a child's mremap leaves the parent's entries alone and the
# parent's the child's.  Each mremap step is modelled by the rows, the
# pfn row of the function that moved the entry held (FUNC), none
# unexpected.  Soft-dirty (move_soft_dirty_pte) only where the
# kernel has CONFIG_MEM_SOFT_DIRTY: a new VMA then says "sd" in smaps.
mremap_check='(
  all(s[n]["error"] is None for n in range(1, 8))
  and s[4]["parent"]["pagemap"]["pfn"] is not None
  and all(s[4]["parent"][k] == s[3]["parent"][k] for k in ("addr",))
  and s[4]["parent"]["pagemap"]["pfn"] == s[3]["parent"]["pagemap"]["pfn"]
  and s[4]["parent"]["pagemap"]["exclusive"] == s[3]["parent"]["pagemap"]["exclusive"]
  and s[4]["parent"]["vma"]["start"] == s[3]["parent"]["vma"]["start"]
  and s[4]["parent"]["levels"][-1]["level"] == s[3]["parent"]["levels"][-1]["level"]
  and s[6]["parent"]["pagemap"]["pfn"] == s[5]["parent"]["pagemap"]["pfn"]
  and s[6]["parent"]["levels"][-1]["level"] == s[5]["parent"]["levels"][-1]["level"]
  and s[6]["child"]["pagemap"]["pfn"] == s[5]["child"]["pagemap"]["pfn"]
  and s[7]["parent"]["pagemap"]["pfn"] == s[6]["parent"]["pagemap"]["pfn"]
  and s[7]["child"]["pagemap"]["pfn"] == s[6]["child"]["pagemap"]["pfn"]
  and any(x["process"] == "parent" and x["function"] == "(other-mm)" and x["held"] for x in s[6]["explain"]["rows"])
  and any(x["process"] == "child" and x["function"] == "(other-mm)" and x["held"] for x in s[7]["explain"]["rows"])
  and all(s[n]["explain"]["modelled"] and s[n]["explain"]["checked"] >= 1 for n in (4, 6, 7))
  and any(x["process"] == "parent" and x["what"] == "pfn" and x["function"] == FUNC and x["held"] for x in s[4]["explain"]["rows"])
  and not any(s[n]["explain"]["unexpected"] for n in s))'
mremap_script='write parent; clear-soft-dirty; mremap parent; fork; mremap child; mremap parent'
mremap_kinds="anon thp shared file-private file-shared memfd"
hp_old=
if [ "$(id -u)" -eq 0 ]; then
	hp_old=$(cat /proc/sys/vm/nr_hugepages)
	echo 4 >/proc/sys/vm/nr_hugepages
	mremap_kinds="$mremap_kinds hugetlb hugetlb-shared"
fi
sd=
for k in $mremap_kinds; do
	out=$($PTINSPECT lab --kind $k --script "$mremap_script" --json 2>&1)
	# the function of the rows that moved the watched entry
	case $k in
	thp) f=move_huge_pmd ;;
	hugetlb*) f=move_huge_pte ;;
	*) f=move_ptes ;;
	esac
	r=$(jq_step "${mremap_check//FUNC/\"$f\"}" <<<"$out")
	case $k in
	thp | hugetlb*) [ "$r" = True ] && r=$(jq_step 's[4]["parent"]["levels"][-1]["level"] == "pmd" and s[4]["parent"]["pagemap"]["huge"]' <<<"$out") ;;
	esac
	[ "$r" = True ] && t_ok "lab_mremap_${k}_moves_the_entries_and_back" ||
		t_fail "lab_mremap_${k}_moves_the_entries_and_back" "$r" "$(cut -c1-800 <<<"$out")"
	# soft-dirty was cleared, the move sets it again
	[ "$k" = anon ] && sd=$(jq_step '("sd" in s[1]["parent"]["vma"]["flags"]) and (not s[3]["parent"]["pagemap"]["soft_dirty"]) and s[4]["parent"]["pagemap"]["soft_dirty"]' <<<"$out")
	[ "$k" = anon ] && nosd=$(jq_step '"sd" not in s[1]["parent"]["vma"]["flags"]' <<<"$out")
done
[ -n "$hp_old" ] && echo "$hp_old" >/proc/sys/vm/nr_hugepages
if [ "$nosd" = True ]; then
	t_skip "lab_mremap_sets_soft_dirty" "this kernel has no CONFIG_MEM_SOFT_DIRTY (no \"sd\" in smaps)"
else
	[ "$sd" = True ] && t_ok "lab_mremap_sets_soft_dirty" || t_fail "lab_mremap_sets_soft_dirty" "$sd"
fi
# the child's mremap needs a child; an unknown process is a usage error
out=$($PTINSPECT lab --kind anon --script 'write parent; mremap child' --json 2>&1)
r=$(jq_step 's[3]["error"] == "there is no child: fork first" and s[3]["parent"]["pagemap"]["pfn"] == s[2]["parent"]["pagemap"]["pfn"]' <<<"$out")
[ "$r" = True ] && t_ok "lab_mremap_child_without_a_child_is_a_failed_step" ||
	t_fail "lab_mremap_child_without_a_child_is_a_failed_step" "$r" "$out"
out=$($PTINSPECT lab --kind anon --script 'mremap sideways' 2>&1)
rc=$?
[ $rc -eq 2 ] && [ "$out" = 'ptinspect: usage: mremap [parent|child]' ] && t_ok "lab_mremap_refuses_a_bad_process" ||
	t_fail "lab_mremap_refuses_a_bad_process" "$rc $out"
# the subject itself refuses a range that is not its region, with one line
r=$(printf 'map anon\nmremap 1000 1000\n' | $PTINSPECT subject 2>&1 | sed -n 3p)
[ "$r" = "err mremap (not the region): Invalid argument" ] && t_ok "subject_mremap_refuses_another_range" ||
	t_fail "subject_mremap_refuses_another_range" "$r"

# Each why in a step's explanation is whole: whys longer than 399 bytes
# (SHM_READ, MPROT_RO_PMD, PT_RECLAIM...) were cut mid-sentence.  Random
# scripts over the kinds this host runs, each why of this architecture
# looked for by its start
out=$($PTINSPECT lab --kind anon,thp,shared,file-private,file-shared,memfd --random 40 --seed 7 --json 2>/dev/null)
r=$($PY tests/vm/whys.py "$(uname -m)" <<<"$out")
read -r steps seen cut <<<"$r"
if [ "${steps:-0}" -gt 100 ] && [ "${seen:-0}" -gt 100 ] && [ "$cut" = 0 ]; then
	t_ok "lab_explanations_hold_each_why_whole ($steps steps, $seen whys)"
else
	t_fail "lab_explanations_hold_each_why_whole" "steps, whys, cut: $r"
fi

# A child's first command faults nothing of its own code: it maps its
# files' pages before the fork step ends (it faulted 10 to 26 pages on its
# first command, and their tables hid a DONTNEED's freed one in VmPTE)
out=$($PTINSPECT lab --kind anon --script "write parent; fork; madvise dontneed child" --json 2>/dev/null)
r=$(jq_step 's[4]["counters"]["child"]["minor-faults"] == 0 and s[4]["child"]["pagemap"]["present"] is False' <<<"$out")
[ "$r" = True ] && t_ok "lab_child_first_command_faults_none_of_its_code" ||
	t_fail "lab_child_first_command_faults_none_of_its_code" "$r" "$out"

rm -rf "$S_DIR"
t_done
