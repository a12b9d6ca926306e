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
#include "step.h"

struct pt_lab;

/* observed: the entry a row is about does not exist (an empty entry) */
#define PT_SEEN_NO_ENTRY (-2L)
/* row values relative to the step before */
#define PT_VAL_SAME (-100L)
#define PT_VAL_CHANGED (-101L)

/* @v as the table means it: a level's name, "no entry", or the number. */
const char *pt_explain_value(const char *what, long v, char *buf, size_t len);

/* Loads the compiled-in rows once; fails only on a bad rows file. */
int pt_explain_init(struct pt_err *err);
/*
 * Explains step @i of @lab (its event, against the step before it) into
 * its explain, against the rows and the user's expectations @expect (a
 * struct pt_expect, NULL: none): the lab's observer (lab.h) that the lab
 * subcommands register before the recorder, which writes what it found.
 */
void pt_explain_step(void *expect, struct pt_lab *lab, size_t i);
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
