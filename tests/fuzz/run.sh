#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Builds every fuzz target (tests/fuzz/fuzz_*.c) with clang's libFuzzer,
# ASan and UBSan, and runs each for PT_FUZZ_RUNS inputs (make check: a
# short run; make fuzz: 10 million) from its seeds, with a fixed memory
# limit; TAP out, with each target's peak memory as libFuzzer reports it.
#   fuzz_parsers    the first byte picks a parser (corpus/)
#   fuzz_recording  a recording, then its steps through the views
#   fuzz_lines      --script/--batch lines, run on a replay
#   fuzz_addr       address and range expressions
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
# make check's counts: the recording and line targets run the views on
# every input (some thousand a second), the others are cheaper
RUNS_parsers=${PT_FUZZ_RUNS:-300000}
RUNS_addr=${PT_FUZZ_RUNS:-300000}
RUNS_recording=${PT_FUZZ_RUNS:-20000}
RUNS_lines=${PT_FUZZ_RUNS:-20000}
RSS_MB=${PT_FUZZ_RSS_MB:-2048}
out=build/fuzz
CFLAGS_FUZZ="-std=gnu11 -D_GNU_SOURCE -Isrc -g -O1 -fno-sanitize-recover=all"
mkdir -p "$out/obj"
# the sources once (fuzzer-no-link), then each target linked with them;
# the rows' and the lessons' C is generated at build time (make gen)
rm -f "$out/build.log"
if ! MAKEFLAGS= MFLAGS= MAKELEVEL= ${MAKE:-make} --no-print-directory gen >>"$out/build.log" 2>&1; then
	t_fail "fuzz_sources_generate" "$(tail -20 "$out/build.log")"
	t_done
	exit 1
fi
srcs=$(ls src/*.c src/arch/*.c build/gen/*.c | grep -v src/ptinspect.c)
for c in $srcs; do
	o=$out/obj/$(echo "$c" | tr / _ | sed 's/\.c$/.o/')
	echo "$c $o"
done | xargs -P 2 -n 2 sh -c 'clang '"$CFLAGS_FUZZ"' -fsanitize=fuzzer-no-link,address,undefined -c "$0" -o "$1" 2>>'"$out/build.log"
# The screen grid (up to 1000x1000 cells, filled and printed cell by cell)
# is checked by ASan and UBSan but not traced for coverage: its per-cell
# comparisons took 60% of fuzz_lines' time and made a long script of
# `screen 1000x1000` lines run at some hundred inputs a second.  Its input
# is the lab and a size, not the script's bytes, whose parsers stay traced.
clang $CFLAGS_FUZZ -fsanitize=address,undefined -c src/screen.c -o "$out/obj/src_screen.o" 2>>"$out/build.log"
objs=$(echo "$srcs" | sed "s|/|_|g; s|\.c$|.o|; s|^|$out/obj/|")
for t in parsers recording lines addr; do
	seeds=tests/fuzz/seeds/$t
	[ "$t" = parsers ] && seeds=tests/fuzz/corpus
	eval "RUNS=\$RUNS_$t"
	# a recording holds steps of some KiB; an address expression is
	# short, refused past PT_ADDR_EXPR_MAX (1024): up to just past it
	max_len=4096
	[ "$t" = recording ] && max_len=65536
	[ "$t" = addr ] && max_len=1100
	if ! clang $CFLAGS_FUZZ -DPT_FUZZ_REPLAY='"tests/fuzz/replay.rec"' \
		-fsanitize=fuzzer,address,undefined "tests/fuzz/fuzz_$t.c" $objs \
		-o "$out/fuzz_$t" -lreadline -lncursesw -ltinfo -lpfm -lm 2>>"$out/build.log"; then
		t_fail "fuzz_${t}_builds" "$(tail -20 "$out/build.log")"
		continue
	fi
	t_ok "fuzz_${t}_builds"
	# a copy of the seeds: libFuzzer adds what it finds to the corpus
	rm -rf "$out/corpus-$t"
	mkdir -p "$out/corpus-$t"
	cp "$seeds"/* "$out/corpus-$t/"
	if "$out/fuzz_$t" -runs="$RUNS" -max_len=$max_len -seed=1 -rss_limit_mb="$RSS_MB" \
		-print_final_stats=1 "$out/corpus-$t" >"$out/run-$t.log" 2>&1; then
		peak=$(sed -n 's/^stat::peak_rss_mb:[[:space:]]*//p' "$out/run-$t.log")
		t_ok "fuzz_${t}_${RUNS}_inputs_clean (peak ${peak} MB, limit $RSS_MB MB)"
	else
		t_fail "fuzz_${t}_${RUNS}_inputs_clean" "$(grep -A15 -E 'ERROR|control byte|abort' "$out/run-$t.log" | head -30)"
	fi
done
# the module's query parser and its answers' reader (tests/fuzz/kmod.sh)
RUNS=${PT_FUZZ_RUNS:-300000}
. tests/fuzz/kmod.sh
t_done
