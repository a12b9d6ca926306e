/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why the bits changed, and whether they changed as the kernel's code
 * says they should.  The expectations are data: the rows (rows.h), a
 * common file and one per architecture under src/rows/, compiled in at
 * build time (the running architecture's are used), in the --expect
 * syntax plus kernel range, precondition, function, source line and why.
 *
 * A row applies to (kernel range, kind, event) and to the state the
 * watched entry was observed in just before the event (atoms.h: empty,
 * huge zero page, read-only, writable, huge, pinned, write-notified, ...)
 * and to where the event fell (the watched page, the same 64 KiB, the
 * same 2 MiB, farther).  The state comes from the previous snapshot, never
 * from the history of event names.  A step no row describes is "not
 * modelled", never UNEXPECTED; a failed event is checked against the rows
 * about that failure, else against "nothing changed".  This file is the
 * matcher; what a step keeps, and its words, are prose.h's.
 */
#ifndef PT_EXPLAIN_H
#define PT_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "prose.h"
#include "rows.h"
#include "status.h"

struct pt_lab;

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

/* The compiled-in rows of @arch ("x86_64"), NULL if none. */
const char *pt_rows_text(const char *arch);

/*
 * The kernels the rows model are 6.1, 6.12, 6.18 and 7.1, each row a
 * range [since, until) bounded by the commit that changed the behaviour.
 * The kernel the lab's rows are chosen for: --kernel, else the running
 * (or recorded) one.
 */
unsigned int pt_explain_kver(const struct pt_lab *lab);

#endif
