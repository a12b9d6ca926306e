# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Sourced by tests/fuzz/run.sh: the module's query parser
# (kmod/ptdh_proto.h, fuzz_kquery) and src/kmod.c's reading of its answers
# and layout (fuzz_kanswer), each built with clang (libFuzzer, ASan,
# UBSan) and run for $RUNS inputs; each target's peak memory (libFuzzer's
# peak_rss_mb) is printed as a TAP comment.
kfuzz_run() {
	name=$1
	shift
	mkdir -p "$out/$name.corpus"
	if ! clang -std=gnu11 -D_GNU_SOURCE -Isrc -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all "tests/fuzz/$name.c" "$@" -o "$out/$name" \
		-lreadline -lncursesw -ltinfo -lpfm -lm 2>"$out/$name.build.log"; then
		t_fail "${name}_builds" "$(head -20 "$out/$name.build.log")"
		return
	fi
	t_ok "${name}_builds"
	if "$out/$name" -runs="$RUNS" -max_len=4096 -seed=1 -print_final_stats=1 \
		"$out/$name.corpus" tests/fuzz/corpus >"$out/$name.log" 2>&1; then
		t_ok "${name}_${RUNS}_inputs_clean"
	else
		t_fail "${name}_${RUNS}_inputs_clean" "$(grep -B2 -A15 -E 'ERROR|fuzz_k' "$out/$name.log" | head -30)"
	fi
	echo "# $name: $(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log") inputs," \
		"peak $(sed -n 's/^stat::peak_rss_mb: *//p' "$out/$name.log") MB"
}
kfuzz_run fuzz_kquery
kfuzz_run fuzz_kanswer $objs
