#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Builds the parser fuzzer with clang (libFuzzer, ASan, UBSan) and runs it
# for a fixed number of inputs from the seed corpus; TAP out.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
RUNS=${PT_FUZZ_RUNS:-300000}
out=build/fuzz
mkdir -p "$out/corpus"
cp tests/fuzz/corpus/* "$out/corpus/" 2>/dev/null
if ! clang -std=gnu11 -D_GNU_SOURCE -Isrc -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all tests/fuzz/fuzz_parsers.c \
	$(ls src/*.c src/arch/*.c | grep -v src/ptinspect.c) -o "$out/fuzz_parsers" \
	-lreadline -lncursesw -ltinfo -lpfm -lm 2>"$out/build.log"; then
	t_fail "fuzz_parsers_builds" "$(head -20 "$out/build.log")"
	t_done
	exit 0
fi
t_ok "fuzz_parsers_builds"
if "$out/fuzz_parsers" -runs="$RUNS" -max_len=4096 -seed=1 "$out/corpus" >"$out/run.log" 2>&1; then
	t_ok "fuzz_parsers_${RUNS}_inputs_clean"
else
	t_fail "fuzz_parsers_${RUNS}_inputs_clean" "$(grep -A15 ERROR "$out/run.log" | head -30)"
fi
. tests/fuzz/kmod.sh
t_done
