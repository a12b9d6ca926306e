#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Regenerates the sections of a man page that come from the C tables:
# the synopsis (ptinspect help synopsis --man, from src/subcmd.h), the
# bit tables (ptinspect bits --man), the lab's commands, kinds, scenarios
# and keys (ptinspect help --man), the columns of maps and of dump --range
# with and without --child (--output help --man), the lessons (learn --man)
# and the exit statuses (src/status.h).  Usage: gen-man.sh PTINSPECT MANPAGE
set -eu
bin=$1 page=$2
dir=$(dirname "$0")/..
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.learn" "$tmp.bits" "$tmp.exit" "$tmp.lab" "$tmp.syn" "$tmp.cols" "$tmp.rcols" "$tmp.ccols"' EXIT

"$bin" bits --man >"$tmp.bits"
"$bin" help --man >"$tmp.lab"
"$bin" learn --man >"$tmp.learn"
"$bin" help synopsis --man >"$tmp.syn"
"$bin" maps --output help --man >"$tmp.cols"
"$bin" dump --output help --man >"$tmp.rcols"
# --output help lists the columns of the form the line chose (any pid)
"$bin" dump --child 1 --output help --man >"$tmp.ccols"
{
	echo ".Bl -tag -width Ds"
	# X(NAME, CODE, "message"): one item per distinct code
	sed -n 's/^	X(\([A-Z_]*\), \([0-9]*\), "\(.*\)").*/\2 \3/p' "$dir/src/status.h" |
		awk '{ code = $1; $1 = ""; sub(/^ /, ""); if (code in seen) msg[code] = msg[code] "; " $0; else { seen[code] = 1; order[n++] = code; msg[code] = $0 } }
		     END { for (i = 0; i < n; i++) printf ".It Li %s\n%s.\n", order[i], msg[order[i]] }'
	echo ".El"
} >"$tmp.exit"

awk -v learn="$tmp.learn" -v bits="$tmp.bits" -v exits="$tmp.exit" -v lab="$tmp.lab" -v syn="$tmp.syn" -v cols="$tmp.cols" -v rcols="$tmp.rcols" -v ccols="$tmp.ccols" '
	/^\.\\" BEGIN GENERATED SYNOPSIS/ { print; while ((getline l < syn) > 0) print l; skip = 1; next }
	/^\.\\" END GENERATED SYNOPSIS/ { skip = 0 }
	/^\.\\" BEGIN GENERATED COLUMNS/ { print; while ((getline l < cols) > 0) print l; skip = 1; next }
	/^\.\\" END GENERATED COLUMNS/ { skip = 0 }
	/^\.\\" BEGIN GENERATED RUN COLUMNS/ { print; while ((getline l < rcols) > 0) print l; skip = 1; next }
	/^\.\\" END GENERATED RUN COLUMNS/ { skip = 0 }
	/^\.\\" BEGIN GENERATED CHILD COLUMNS/ { print; while ((getline l < ccols) > 0) print l; skip = 1; next }
	/^\.\\" END GENERATED CHILD COLUMNS/ { skip = 0 }
	/^\.\\" BEGIN GENERATED BITS/ { print; while ((getline l < bits) > 0) print l; skip = 1; next }
	/^\.\\" END GENERATED BITS/ { skip = 0 }
	/^\.\\" BEGIN GENERATED EXIT/ { print; while ((getline l < exits) > 0) print l; skip = 1; next }
	/^\.\\" END GENERATED EXIT/ { skip = 0 }
	/^\.\\" BEGIN GENERATED LESSONS/ { print; while ((getline l < learn) > 0) print l; skip = 1; next }
	/^\.\\" END GENERATED LESSONS/ { skip = 0 }
	/^\.\\" BEGIN GENERATED LAB/ { print; while ((getline l < lab) > 0) print l; skip = 1; next }
	/^\.\\" END GENERATED LAB/ { skip = 0 }
	!skip { print }
' "$page" >"$tmp"
cat "$tmp" >"$page"
