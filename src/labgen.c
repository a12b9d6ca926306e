// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "labgen.h"

/* splitmix64: small, and the same everywhere */
static uint64_t pt_rand(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned int pt_pick(uint64_t *x, unsigned int n)
{
	return (unsigned int)(pt_rand(x) % n);
}

/*
 * Offsets: the watched page itself (most often), inside it, the next
 * pages, the same 64 KiB fault-around window, the same 2 MiB, and one far
 * outside every region (a failed event).
 */
static const char *const pt_offsets[] = {
	"", "", "", "", "", "", "0x10", "0x800", "4096", "8192", "0x3000", "0x8000",
	"0x10000", "0x20000", "0x100000", "0x1ff000", "0x400000000",
};

static const struct {
	const char *text;
	unsigned int weight;
	int who;		/* 0: none, 1: parent|child, 2: [parent|child] */
	int off;		/* takes an offset */
} pt_gen_events[] = {
	{ "write", 22, 1, 1 },
	{ "read", 14, 1, 1 },
	{ "fork", 10, 0, 0 },
	{ "exit child", 4, 0, 0 },
	{ "madvise dontneed", 5, 2, 0 },
	{ "madvise pageout", 2, 2, 0 },
	{ "madvise collapse", 2, 2, 0 },
	{ "madvise hugepage", 1, 2, 0 },
	{ "madvise nohugepage", 1, 2, 0 },
	{ "mprotect ro", 4, 2, 0 },
	{ "mprotect rw", 4, 2, 0 },
	{ "clear-soft-dirty", 5, 2, 0 },
	{ "pin", 3, 2, 0 },
	{ "unpin", 2, 2, 0 },
	{ "wait 1", 1, 0, 0 },
};

void pt_labgen_script(uint64_t seed, unsigned int kinds, enum pt_lab_kind *kind,
		      char *buf, size_t len)
{
	unsigned int total = 0, nr, i, k, n, r, nk = 0;
	uint64_t x = seed;
	size_t used = 0;

	for (k = 0; k < PT_LAB_NR_KINDS; k++)
		nk += !!(kinds & (1u << k));
	/*
	 * consecutive seeds take the kinds in turn, so any nk scripts in a
	 * row cover every kind; the draw still advances the events' stream
	 */
	if (nk)
		pt_pick(&x, nk);
	r = nk ? (unsigned int)(seed % nk) : 0;
	*kind = PT_LAB_ANON;
	for (k = 0; k < PT_LAB_NR_KINDS; k++)
		if ((kinds & (1u << k)) && !r--) {
			*kind = k;
			break;
		}
	for (i = 0; i < sizeof(pt_gen_events) / sizeof(pt_gen_events[0]); i++)
		total += pt_gen_events[i].weight;
	nr = 4 + pt_pick(&x, 5);
	buf[0] = '\0';
	for (n = 0; n < nr && used + 48 < len; n++) {
		const char *who = "", *off = "";

		r = pt_pick(&x, total);
		for (i = 0; r >= pt_gen_events[i].weight; i++)
			r -= pt_gen_events[i].weight;
		if (pt_gen_events[i].who == 1)
			who = pt_pick(&x, 3) ? " parent" : " child";
		else if (pt_gen_events[i].who == 2)
			who = pt_pick(&x, 3) ? "" : pt_pick(&x, 2) ? " parent" : " child";
		if (pt_gen_events[i].off)
			off = pt_offsets[pt_pick(&x, sizeof(pt_offsets) / sizeof(pt_offsets[0]))];
		used += snprintf(buf + used, len - used, "%s%s%s%s%s", n ? "; " : "",
				 pt_gen_events[i].text, who, off[0] ? " " : "", off);
	}
}
