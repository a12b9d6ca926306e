#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Regenerates the sections of a man page that come from the C tables:
# the synopsis (ptinspect help synopsis --man, from src/subcmd.h), the
# bit tables (ptinspect bits --man), the lab's commands, kinds, scenarios
# and keys (ptinspect help --man), the columns of maps (ptinspect maps
# --output help --man) and the exit statuses (src/status.h).  Usage: gen-man.sh PTINSPECT MANPAGE
set -eu
bin=$1 page=$2
dir=$(dirname "$0")/..
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.bits" "$tmp.exit" "$tmp.lab" "$tmp.syn" "$tmp.cols"' EXIT

"$bin" bits --man >"$tmp.bits"
"$bin" help --man >"$tmp.lab"
"$bin" help synopsis --man >"$tmp.syn"
"$bin" maps --output help --man >"$tmp.cols"
{
	echo ".Bl -tag -width Ds"
	# X(NAME, CODE, "message"): one item per distinct code
	sed -n 's/^	X(\([A-Z_]*\), \([0-9]*\), "\(.*\)").*/\2 \3/p' "$dir/src/status.h" |
		awk '{ code = $1; $1 = ""; sub(/^ /, ""); if (code in seen) msg[code] = msg[code] "; " $0; else { seen[code] = 1; order[n++] = code; msg[code] = $0 } }
		     END { for (i = 0; i < n; i++) printf ".It Li %s\n%s.\n", order[i], msg[order[i]] }'
	echo ".El"
} >"$tmp.exit"

awk -v bits="$tmp.bits" -v exits="$tmp.exit" -v lab="$tmp.lab" -v syn="$tmp.syn" -v cols="$tmp.cols" '
	/^\.\\" BEGIN GENERATED SYNOPSIS/ { print; while ((getline l < syn) > 0) print l; skip = 1; next }
	/^\.\\" END GENERATED SYNOPSIS/ { skip = 0 }
	/^\.\\" BEGIN GENERATED COLUMNS/ { print; while ((getline l < cols) > 0) print l; skip = 1; next }
	/^\.\\" END GENERATED COLUMNS/ { skip = 0 }
	/^\.\\" BEGIN GENERATED BITS/ { print; while ((getline l < bits) > 0) print l; skip = 1; next }
	/^\.\\" END GENERATED BITS/ { skip = 0 }
	/^\.\\" BEGIN GENERATED EXIT/ { print; while ((getline l < exits) > 0) print l; skip = 1; next }
	/^\.\\" END GENERATED EXIT/ { skip = 0 }
	/^\.\\" BEGIN GENERATED LAB/ { print; while ((getline l < lab) > 0) print l; skip = 1; next }
	/^\.\\" END GENERATED LAB/ { skip = 0 }
	!skip { print }
' "$page" >"$tmp"
cat "$tmp" >"$page"
