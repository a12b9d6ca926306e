/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why the bits changed, and whether they changed as the kernel's code
 * says they should.  The expectations are data (explain.c): one row per
 * (kernel range, kind, event, process, bit), each naming the kernel
 * function responsible and its source line.  They were written by reading
 * mm/memory.c, mm/huge_memory.c, mm/hugetlb.c and arch/x86 at 6.1 and
 * 6.12, never bent to match an observation: a difference is reported as
 * UNEXPECTED, which is how a kernel regression shows.
 */
#ifndef PT_EXPLAIN_H
#define PT_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

struct pt_lab;

#define PT_EXPLAIN_MAX 12

/* observed: the entry a row is about does not exist (an empty entry) */
#define PT_SEEN_NO_ENTRY (-2L)

struct pt_unexpected {
	int who;		/* enum pt_who */
	char what[24];
	long expected, observed;
	const char *func;
	const char *source;
};

struct pt_explain {
	char text[640];		/* why, in a sentence or two per function */
	char funcs[160];	/* the kernel functions responsible */
	int checked;		/* rows compared with what was seen */
	int skipped;		/* rows the source could not show (derived) */
	struct pt_unexpected unexpected[PT_EXPLAIN_MAX];
	size_t nr_unexpected;
};

/* @v as the table means it: a level's name, "no entry", or the number. */
const char *pt_explain_value(const char *what, long v, char *buf, size_t len);

/* Explains step @i of @lab (its event, against the step before it). */
void pt_explain_step(const struct pt_lab *lab, size_t i, struct pt_explain *e);
/*
 * Adds expectations of the user's: "KIND:EVENT:WHO:WHAT=VALUE" rows
 * separated by ';', e.g. "thp:fork:child:write=1" (for any kernel).
 */
int pt_explain_add(const char *spec, struct pt_err *err);

#endif
