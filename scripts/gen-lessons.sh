#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Compiles the lessons (lessons/*.lesson) into C: one string each and the
# table of them, so ptinspect learn needs no file beside the binary.
# Usage: gen-lessons.sh lessons/a.lesson lessons/b.lesson... >build/gen/lessons_all.c
# (make does it at build time; the output is not committed)
set -eu
echo "// SPDX-License-Identifier: GPL-2.0"
echo "/* Generated from the lessons/ files by scripts/gen-lessons.sh: edit the lessons. */"
echo "#include \"lesson.h\""
echo
i=0
for f in "$@"; do
	echo "static const char pt_lesson_${i}[] ="
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$f"
	printf '\t"";\n\n'
	i=$((i + 1))
done
echo "const struct pt_lesson_src pt_lesson_srcs[] = {"
i=0
for f in "$@"; do
	printf '\t{ "%s", pt_lesson_%d },\n' "$(basename "$f" .lesson | sed 's/^[0-9]*-//')" "$i"
	i=$((i + 1))
done
echo "};"
echo
echo "const size_t pt_nr_lesson_srcs = sizeof(pt_lesson_srcs) / sizeof(pt_lesson_srcs[0]);"
