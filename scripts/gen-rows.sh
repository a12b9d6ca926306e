#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Compiles a rows file (src/rows/ARCH.rows) into C: one string, so the
# expectations are data that ships inside ptinspect, parsed at run time by
# the --expect parser.  Usage: gen-rows.sh src/rows/x86_64.rows >src/rows_x86_64.c
set -eu
arch=$(basename "$1" .rows)
echo "// SPDX-License-Identifier: GPL-2.0"
echo "/* Generated from $1 by scripts/gen-rows.sh: edit the rows file. */"
echo "extern const char pt_rows_$arch[];"
echo "const char pt_rows_$arch[] ="
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$1"
echo "\t\"\";" | sed 's/\\t/\t/'
