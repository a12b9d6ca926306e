#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ptinspect's command line on real processes: output, JSON schema, and the
# documented exit status of every kind of bad input.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

SCHEMA=doc/ptinspect-dump.schema.json
validate() {
	$PY -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(sys.stdin)
jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
' "$SCHEMA"
}

subject_start
subject map thp 2097152
A=$R
subject write "$A"
subject map anon 8192
B=$R
subject write "$B"
subject fork
C=$R

out=$($PTINSPECT dump --pid "$S_PID" --addr "$B" 2>/dev/null)
if [ $? -eq 0 ] && grep -q "source pagemap" <<<"$out" && grep -q "^pte leaf 4K (derived)" <<<"$out"; then
	t_ok "dump_text_names_source_and_derived_pte"
else
	t_fail "dump_text_names_source_and_derived_pte" "$out"
fi

out=$($PTINSPECT dump --pid "$S_PID" --addr "$A" --child "$C")
w=$($PY -c 'import sys; print(max(len(l.rstrip("\n")) for l in sys.stdin))' <<<"$out")
if grep -q "parent $S_PID" <<<"$out" && grep -q "child $C" <<<"$out" && [ "$w" -le 80 ]; then
	t_ok "dump_child_side_by_side_fits_80_columns"
else
	t_fail "dump_child_side_by_side_fits_80_columns" "width $w" "$out"
fi

for form in "--addr $B" "--addr $A --child $C" "--range $(printf '%s-0x%x' "$B" $((B + 8192)))" "--addr stack" "--addr ptinspect+0x10"; do
	# shellcheck disable=SC2086
	if err=$($PTINSPECT dump --pid "$S_PID" $form --json 2>/dev/null | validate 2>&1); then
		t_ok "json_validates_against_schema ($form)"
	else
		t_fail "json_validates_against_schema ($form)" "$err"
	fi
done

out=$($PTINSPECT dump --pid "$S_PID" --range "$(printf '0x%x-0x%x' "$A" $((A + 2097152)))" --each --json 2>/dev/null)
n=$($PY -c 'import json,sys; d=json.load(sys.stdin); print(len(d), d[0]["levels"][0]["level"], d[0]["levels"][0]["size"])' <<<"$out")
if [ "$n" = "1 pmd 2097152" ]; then
	t_ok "range_over_thp_is_one_pmd_entry"
else
	t_fail "range_over_thp_is_one_pmd_entry" "$n"
fi

out=$($PTINSPECT dump --pid "$S_PID" --addr "$B" --json 2>/dev/null)
if $PY -c '
import json, sys
d = json.load(sys.stdin)
assert d["pid"] == int(sys.argv[1]) and d["addr"] == sys.argv[2]
assert d["vma"]["kind"] == "anon-private" and d["vma"]["perms"] == "rw-p"
pm = d["pagemap"]
assert pm["present"] and not pm["exclusive"], pm
assert d["levels"][-1]["pfn"] == pm["pfn"]
' "$S_PID" "$B" <<<"$out"; then
	t_ok "json_fields_match_the_process"
else
	t_fail "json_fields_match_the_process" "$out"
fi

# bad input: one line on stderr, the documented exit status
sh -c 'exit 0' &
gone=$!
wait $gone
t_exit "usage_error_exits_2" 2 "$PTINSPECT" dump --pid
t_exit "unknown_command_exits_2" 2 "$PTINSPECT" frobnicate
t_exit "malformed_address_exits_2" 2 "$PTINSPECT" dump --pid "$S_PID" --addr 0xzz
t_exit "kernel_address_exits_2" 2 "$PTINSPECT" dump --pid "$S_PID" --addr 0xffffffff81000000
t_exit "malformed_range_exits_2" 2 "$PTINSPECT" dump --pid "$S_PID" --range 0x3000-0x1000
t_exit "no_such_pid_exits_3" 3 "$PTINSPECT" dump --pid "$gone" --addr heap
t_exit "not_mapped_exits_5" 5 "$PTINSPECT" dump --pid "$S_PID" --addr 0x1000
t_exit "unknown_mapping_name_exits_5" 5 "$PTINSPECT" dump --pid "$S_PID" --addr nosuchlib.so
t_exit "kernel_thread_has_nothing_mapped_exits_5" 5 "$PTINSPECT" dump --pid 2 --addr 0x400000
if $PTINSPECT dump --pid "$S_PID" --addr 0x1000 2>&1 | grep -q "above: 0x"; then
	t_ok "not_mapped_names_the_nearest_mapping"
else
	t_fail "not_mapped_names_the_nearest_mapping"
fi

# a zombie: its parent never reaps it (SIGCHLD set to default, since an
# ignored SIGCHLD is inherited and would reap it at once)
$PY -c '
import os, signal, sys, time
signal.signal(signal.SIGCHLD, signal.SIG_DFL)
pid = os.fork()
if pid == 0:
    os._exit(0)
print(pid, flush=True)
time.sleep(5)
' >"$S_DIR/zombie" &
zparent=$!
t_wait_file "$S_DIR/zombie" '^[0-9]+$'
zpid=$(cat "$S_DIR/zombie")
t_exit "exited_process_exits_4" 4 "$PTINSPECT" dump --pid "$zpid" --addr 0x1000
kill "$zparent"

# an unreadable /proc file: garbage bind-mounted over maps in a private namespace
if unshare -m true 2>/dev/null; then
	echo "not a maps file" >"$S_DIR/garbage"
	t_exit "unreadable_proc_file_exits_7" 7 unshare -m sh -c \
		"mount --bind '$S_DIR/garbage' /proc/$S_PID/maps && exec '$PTINSPECT' dump --pid $S_PID --addr 0x1000"
else
	t_skip "unreadable_proc_file_exits_7" "unshare -m is not permitted here"
fi

# permission: an unprivileged user inspecting root's process
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	tmpbin=$(mktemp -d)
	cp "$PTINSPECT" "$tmpbin/ptinspect"
	chmod 755 "$tmpbin" "$tmpbin/ptinspect"
	t_exit "permission_denied_exits_6" 6 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$tmpbin/ptinspect" dump --pid "$S_PID" --addr "$B"
	if setpriv --reuid=65534 --regid=65534 --clear-groups "$tmpbin/ptinspect" dump \
		--pid "$S_PID" --addr "$B" 2>&1 | grep -q "run ptinspect as root"; then
		t_ok "permission_denied_says_what_to_run"
	else
		t_fail "permission_denied_says_what_to_run"
	fi
	rm -rf "$tmpbin"
else
	t_skip "permission_denied_exits_6" "needs root to switch to an unprivileged user"
fi

# decode: a pasted value, any architecture
out=$($PTINSPECT decode --arch x86_64 --kernel 6.12 --level pmd 0x84000000078008a5)
if grep -q "saved_dirty" <<<"$out" && grep -q "pfn 0x7800" <<<"$out" && grep -q "dirty=1" <<<"$out"; then
	t_ok "decode_x86_pmd_shows_saved_dirty"
else
	t_fail "decode_x86_pmd_shows_saved_dirty" "$out"
fi
out=$($PTINSPECT decode --arch x86_64 --kernel 6.1 --level pmd 0x84000000078008a5)
if grep -q "devmap" <<<"$out" && ! grep -q "saved_dirty" <<<"$out"; then
	t_ok "decode_x86_pmd_on_6_1_reads_bit58_as_devmap"
else
	t_fail "decode_x86_pmd_on_6_1_reads_bit58_as_devmap" "$out"
fi
out=$($PTINSPECT decode --arch arm64 --kernel 6.12 --level pte 0x0068000012345f43 --json)
if $PY -c 'import json,sys; d=json.load(sys.stdin); assert d["bits"]["write"] and d["helpers"]["dirty"] and d["pfn"]=="0x12345", d' <<<"$out"; then
	t_ok "decode_arm64_pte_json"
else
	t_fail "decode_arm64_pte_json" "$out"
fi
# arm64's PTE_ATTRINDX by the MAIR slot's MT_* name (memory.h: 0-4), an
# unnamed slot as its number; every value of the field, never left out
bad=
for i in 0 1 2 3 4 5 6 7; do
	want=$(echo "MT_NORMAL MT_NORMAL_TAGGED MT_NORMAL_NC MT_DEVICE_nGnRnE MT_DEVICE_nGnRE 5 6 7" | cut -d ' ' -f $((i + 1)))
	raw=$(printf '0x%016x' $((0x0068000012345f43 & ~0x1c | i << 2)))
	out=$($PTINSPECT decode --arch arm64 --kernel 6.12 --level pte "$raw")
	grep -q "^   valid page attrindx=$want user shareability=inner_shareable af ng " <<<"$out" || bad="$bad $raw: $out"
	out=$($PTINSPECT decode --arch arm64 --kernel 6.12 --level pte "$raw" --json)
	$PY -c 'import json,sys; d=json.load(sys.stdin); w=sys.argv[1]; assert d["bits"]["attrindx"]==int(sys.argv[2]) and d["names"].get("attrindx", w)==w and ("attrindx" in d["names"]) == (not w.isdigit()), d' \
		"$want" "$i" <<<"$out" || bad="$bad $raw json"
done
if [ -z "$bad" ]; then
	t_ok "decode_arm64_attrindx_names_every_mair_slot"
else
	t_fail "decode_arm64_attrindx_names_every_mair_slot" "$bad"
fi
# LPA2 (arm64, 5 levels): bits 9:8 are output address bits 51:50
out=$($PTINSPECT decode --arch arm64 --kernel 6.12 --levels 5 --level pte 0x00e8000012345f43)
if grep -q "^   pfn 0xc000012345$" <<<"$out" && ! grep -q shareability <<<"$out" &&
	$PTINSPECT decode --arch arm64 --kernel 6.12 --levels 4 --level pte 0x00e8000012345f43 | grep -q "^   pfn 0x12345$"; then
	t_ok "decode_arm64_lpa2_pfn_takes_bits_9_8_as_pa_51_50"
else
	t_fail "decode_arm64_lpa2_pfn_takes_bits_9_8_as_pa_51_50" "$out"
fi
out=$($PTINSPECT bits --arch arm64 --kernel 6.1)
if grep -qE "^ +attrindx " <<<"$out" && grep -qE "^ += NORM +0 MT_NORMAL " <<<"$out" &&
	grep -qE "^ += ISH +3 inner_shareable " <<<"$out"; then
	t_ok "bits_arm64_lists_the_field_values"
else
	t_fail "bits_arm64_lists_the_field_values" "$out"
fi
# the errata table is listed with the bits, each read version's line or "right"
out=$($PTINSPECT bits)
if [ "$(grep -c '^  ksm-every-anon  ksm: this kernel sets KSM on every anonymous page; read: 6.1 right, fs/proc/page.c:136 at 6.12, fs/proc/page.c:177 at 6.18, 7.1 right; seen live where KSM had never run' <<<"$out")" = 1 ]; then
	t_ok "bits_lists_the_kpageflags_errata"
else
	t_fail "bits_lists_the_kpageflags_errata" "$(tail -3 <<<"$out")"
fi
t_exit "decode_bad_levels_exits_2" 2 "$PTINSPECT" decode --arch arm64 --levels 3 --level pte 0x1
t_exit "decode_p4d_with_4_levels_exits_2" 2 "$PTINSPECT" decode --arch arm64 --levels 4 --level p4d 0x3
t_exit "decode_bad_value_exits_2" 2 "$PTINSPECT" decode --level pte 0xnothex
t_exit "decode_bad_arch_exits_2" 2 "$PTINSPECT" decode --arch sparc --level pte 0x1

# --version: the VERSION file's, and the same in every JSON document
want=$(cat VERSION)
out=$($PTINSPECT --version)
if [ "$out" = "ptinspect $want" ] && [ "$($PTINSPECT dump --version)" = "$out" ]; then
	t_ok "version_prints_the_version_file"
else
	t_fail "version_prints_the_version_file" "$out, want $want"
fi
bad=
for form in "dump --pid $S_PID --addr $B" "dump --pid $S_PID --addr $A --child $C" \
	"dump --pid $S_PID --range $(printf '%s-0x%x' "$B" $((B + 8192)))" \
	"dump --pid $S_PID --range $(printf '%s-0x%x' "$B" $((B + 8192))) --each" \
	"dump --pid $S_PID --range $(printf '%s-0x%x' "$A" $((A + 8192))) --child $C" \
	"decode --level pte 0x8000000000000067" "lab --kind anon --script fork"; do
	# shellcheck disable=SC2086
	got=$($PTINSPECT $form --json 2>/dev/null | $PY -c '
import json, sys
text = sys.stdin.read()
try:
    docs = [json.loads(text)]
except ValueError:
    docs = [json.loads(l) for l in text.splitlines() if l.strip()]
if len(docs) == 1 and isinstance(docs[0], list):
    docs = docs[0]
print(" ".join(sorted({d.get("version", "none") for d in docs})) if docs else "none")
')
	[ "$got" = "$want" ] || bad="$bad [$form: $got]"
done
if [ -z "$bad" ]; then
	t_ok "every_json_document_carries_the_version"
else
	t_fail "every_json_document_carries_the_version" "$bad"
fi

# the subcommand table: usage, the synopsis and the parser agree
out=$($PTINSPECT help synopsis)
if [ "$out" = "$($PTINSPECT --help | head -n "$(wc -l <<<"$out")")" ] &&
	grep -q '^       ptinspect subject' <<<"$out" && grep -q '^       ptinspect --version$' <<<"$out"; then
	t_ok "help_synopsis_is_the_usage_from_the_table"
else
	t_fail "help_synopsis_is_the_usage_from_the_table" "$out"
fi
t_exit "help_unknown_topic_exits_2" 2 "$PTINSPECT" help nosuchtopic

# an unknown machine is no other architecture: the PER_LINUX32 personality
# makes uname(2) name one (i686 on x86_64, armv8l on arm64)
m=$(linux32 uname -m 2>/dev/null)
if [ -z "$m" ] || [ "$m" = "$(uname -m)" ]; then
	t_skip "unknown_machine_is_one_line_and_exit_2" "linux32 cannot change uname's machine here"
else
	out=$(linux32 "$PTINSPECT" dump --pid "$S_PID" --addr "$B" --backend pagemap 2>&1)
	rc=$?
	if [ $rc -eq 2 ] && [ "$out" = "ptinspect: no bit table for machine '$m'" ]; then
		t_ok "unknown_machine_is_one_line_and_exit_2"
	else
		t_fail "unknown_machine_is_one_line_and_exit_2" "rc $rc" "$out"
	fi
fi

subject_stop
t_done
