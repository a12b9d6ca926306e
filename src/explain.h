/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why the bits changed, and whether they changed as the kernel's code
 * says they should.  The expectations are data: a rows file per
 * architecture (src/rows/x86_64.rows and src/rows/arm64.rows, compiled in
 * as src/rows_ARCH.c; the running architecture's are used),
 * in the --expect syntax plus kernel range, precondition, function,
 * source line and why, parsed by the same parser as --expect.
 *
 * A row applies to (kernel range, kind, event) and to the state the
 * watched entry was observed in just before the event (empty, huge zero
 * page, read-only, writable, huge, pinned, write-notified, ...) and to
 * where the event fell (the watched page, the same 64 KiB, the same
 * 2 MiB, farther).  The state comes from the previous snapshot, never
 * from the history of event names.  A step no row describes is "not
 * modelled", never UNEXPECTED; a failed event is checked against the rows
 * about that failure, else against "nothing changed".
 */
#ifndef PT_EXPLAIN_H
#define PT_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

struct pt_lab;

#define PT_EXPLAIN_MAX 12
#define PT_EXPLAIN_ROWS 40

/* observed: the entry a row is about does not exist (an empty entry) */
#define PT_SEEN_NO_ENTRY (-2L)
/* row values relative to the step before */
#define PT_VAL_SAME (-100L)
#define PT_VAL_CHANGED (-101L)

/*
 * One row compared with what was seen.  The strings are interned
 * (intern.h): never NULL, never freed by the step.
 */
struct pt_checked {
	int who;		/* enum pt_who; PT_WHO_DEFAULT: both */
	const char *what;
	long expected, observed;
	long before;		/* for "same"/"changed": the value before */
	bool held;
	const char *func;	/* its name at the version cited ("": none) */
	const char *source;	/* "FILE:LINE at 6.18": the version named */
};

/* kept for the text and TUI views: the rows that did not hold */
#define pt_unexpected pt_checked

/*
 * A step's explanation: what matched and whether it held, in a few dozen
 * bytes.  The prose is interned (the same sentences recur step after
 * step); rows and unexpected share one allocation the explanation owns
 * (pt_explain_free()).  A zeroed explanation is "not explained": its
 * strings are NULL until pt_explain_step() or pt_explain_clear().
 */
struct pt_explain {
	const char *text;	/* why, in a sentence or two per function */
	const char *funcs;	/* the kernel functions responsible */
	const char *state;	/* the watched entry before the event, in words */
	bool modelled;		/* some row describes this state and event */
	bool gap;		/* a row changed between the modelled versions */
	int checked;		/* rows compared with what was seen */
	int skipped;		/* rows the source could not show (derived) */
	struct pt_checked *rows;	/* at most PT_EXPLAIN_ROWS */
	size_t nr_rows;
	struct pt_checked *unexpected;	/* at most PT_EXPLAIN_MAX, after rows */
	size_t nr_unexpected;
};

/* An empty explanation: no row, "" for every text. */
void pt_explain_clear(struct pt_explain *e);
/*
 * Sets @e's rows and unexpected rows (copies), freeing what it had; -1
 * out of memory (then it has none).
 */
int pt_explain_set_rows(struct pt_explain *e, const struct pt_checked *rows, size_t nr_rows,
			const struct pt_checked *unexpected, size_t nr_unexpected);
/* Frees what @e owns and clears it. */
void pt_explain_free(struct pt_explain *e);

/* @v as the table means it: a level's name, "no entry", or the number. */
const char *pt_explain_value(const char *what, long v, char *buf, size_t len);

/* Loads the compiled-in rows once; fails only on a bad rows file. */
int pt_explain_init(struct pt_err *err);
/* Explains step @i of @lab (its event, against the step before it). */
void pt_explain_step(const struct pt_lab *lab, size_t i, struct pt_explain *e);
/* The user's expectations (--expect): a lab checks its steps against them. */
struct pt_expect;
/*
 * Adds expectations of the user's to *@x (made on first use): "KIND:EVENT:
 * WHO:WHAT=VALUE [KEY=VALUE]" rows separated by ';', e.g.
 * "thp:fork:child:write=1" (for any kernel).  An unknown kind, event,
 * process, bit or precondition is an error.
 */
int pt_explain_add(struct pt_expect **x, const char *spec, struct pt_err *err);
void pt_expect_free(struct pt_expect *x);

/*
 * Checks a rows text (the unit test's way in): every bit exists in the
 * decoder of @arch for the row's kernel range, every event and
 * precondition is known, no two rows contradict each other.  Returns the
 * number of rows, or -errno with @err naming the first problem.
 */
int pt_rows_validate(const char *text, const char *arch, struct pt_err *err);
/* The compiled-in rows of @arch ("x86_64"), NULL if none. */
const char *pt_rows_text(const char *arch);

/*
 * The kernels the rows model are 6.1, 6.12, 6.18 and 7.1, each row a
 * range [since, until) bounded by the commit that changed the behaviour.
 * The kernel the lab's rows are chosen for: --kernel, else the running
 * (or recorded) one.
 */
unsigned int pt_explain_kver(const struct pt_lab *lab);
/*
 * In words, which rows a step of kernel @kver is checked against: "the
 * rows for 6.18"; between two modelled versions "the rows for 6.12 and
 * 6.18 that hold for both (6.15 is between them)"; "rows from 7.1; this
 * kernel is newer".
 */
void pt_explain_rows_for(unsigned int kver, char *buf, size_t len);
/*
 * How one row (in a rows text after its whys and sets, the first row) fares
 * on kernel @kver: 1 it holds there and *@cite names the line it cites
 * ("do_huge_zero_wp_pmd mm/huge_memory.c:1881 at 6.18": the function's
 * name and the line at the version cited); 0 not for this kernel; 2 "not
 * modelled for this version": its behaviour changed between the modelled
 * versions around @kver.  -errno on a bad text.
 */
int pt_rows_for_kernel(const char *text, const char *arch, unsigned int kver,
		       char *cite, size_t len, struct pt_err *err);

#endif
