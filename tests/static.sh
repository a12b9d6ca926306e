#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What a reviewer checks before running anything: clang builds the sources
# warning-free too, the man pages pass mandoc -Tlint, and the man page's
# generated tables match the C tables they come from.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

if command -v clang >/dev/null; then
	# with the C make generates (build/gen: the rows, the lessons)
	out=$( (MAKEFLAGS= MFLAGS= MAKELEVEL= make -s gen 2>&1 && for f in src/*.c src/arch/*.c build/gen/*.c scripts/*.c; do
		clang -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Isrc -fsyntax-only "$f" 2>&1
	done) )
	if [ -z "$out" ]; then t_ok "clang_builds_without_warnings"; else t_fail "clang_builds_without_warnings" "$out"; fi
else
	t_fail "clang_builds_without_warnings" "clang is not installed (make deps)"
fi

for m in man/*.[0-9]; do
	out=$(mandoc -Tlint -W warning "$m" 2>&1)
	if [ -z "$out" ]; then t_ok "mandoc_lint_clean ($m)"; else t_fail "mandoc_lint_clean ($m)" "$out"; fi
done

tmp=$(mktemp)
cp man/ptinspect.8 "$tmp"
sh scripts/gen-man.sh "$PTINSPECT" "$tmp"
if cmp -s "$tmp" man/ptinspect.8; then
	t_ok "man_tables_match_the_c_tables"
else
	t_fail "man_tables_match_the_c_tables" "run 'make man' and commit:" "$(diff man/ptinspect.8 "$tmp" | head -20)"
fi
rm -f "$tmp"

# the layering: no import cycle among src/'s modules (x.c with x.h), no
# file over 1,000 lines (scripts/layers.py says which)
out=$(python3 scripts/layers.py 2>&1)
if [ $? -eq 0 ] && [ -z "$out" ]; then
	t_ok "src_has_no_import_cycle_and_no_file_over_1000_lines"
else
	t_fail "src_has_no_import_cycle_and_no_file_over_1000_lines" "$out"
fi

# every file in src/ is in src/README's map
missing=$(for f in src/*.c src/*.h; do
	b=$(basename "$f" | sed 's/\.[ch]$//')
	grep -Eq "(^|[ /])$b(\.c|\.h|\.c/h)" src/README || echo "$f"
done)
if [ -z "$missing" ]; then
	t_ok "src_readme_maps_every_file"
else
	t_fail "src_readme_maps_every_file" "not in src/README:" "$missing"
fi

# make install honours PREFIX and DESTDIR
d=$(mktemp -d)
if make -s install DESTDIR="$d" PREFIX=/opt/pt >/dev/null 2>&1 && [ -x "$d/opt/pt/sbin/ptinspect" ] &&
	[ -f "$d/opt/pt/share/man/man8/ptinspect.8" ] && [ -f "$d/opt/pt/share/man/man4/ptdump_helper.4" ]; then
	t_ok "make_install_honours_prefix_and_destdir"
else
	t_fail "make_install_honours_prefix_and_destdir" "$(find "$d")"
fi
rm -rf "$d"

# every exit status in the status table is documented
for code in $(sed -n 's/^	X([A-Z_]*, \([0-9]*\),.*/\1/p' src/status.h | sort -u); do
	if grep -q "^\.It Li $code\$" man/ptinspect.8; then
		t_ok "exit_status_${code}_documented"
	else
		t_fail "exit_status_${code}_documented"
	fi
done
t_done
