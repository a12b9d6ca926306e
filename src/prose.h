/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The explanation of a step as data (struct pt_explain, step.h: which
 * rows matched, what was seen, whether it held) and its prose: the
 * sentences the views show, made once per step in buffers and kept
 * interned (intern.h), so a step holds a few pointers and the rows that
 * matched, sized to fit.  No lab, no
 * observation: explain.c fills a struct pt_explain_build and keeps it.
 */
#ifndef PT_PROSE_H
#define PT_PROSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rows.h"
#include "step.h"

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

/* what one step's prose can hold, as made and as a recording gives it back */
#define PT_EXPLAIN_TEXT 4096
#define PT_EXPLAIN_FUNCS 192
#define PT_EXPLAIN_STATE 400

/*
 * An explanation while it is made: the prose in buffers of the sizes the
 * views were written for, the rows in place.
 */
struct pt_explain_build {
	struct pt_explain *e;	/* modelled, gap, checked, skipped */
	char text[PT_EXPLAIN_TEXT];	/* a few whys, each up to a rows line */
	char funcs[PT_EXPLAIN_FUNCS];
	char state[PT_EXPLAIN_STATE];
	struct pt_checked rows[PT_EXPLAIN_ROWS];
	size_t nr_rows;
	struct pt_checked unexpected[PT_EXPLAIN_MAX];
	size_t nr_unexpected;
};

/* Keeps what @b made in its explanation: the prose interned, the rows copied. */
void pt_explain_keep(struct pt_explain_build *b);
/* An interned copy of @s, never NULL (out of memory says so). */
const char *pt_prose_kept(const char *s);
/* Appends sentence or name @s to @buf after @sep, once. */
void pt_prose_add(char *buf, size_t len, const char *s, const char *sep);
/* Appends why @why to @b's prose as a sentence, once. */
void pt_prose_add_why(struct pt_explain_build *b, const char *why);
/* Atoms @a in words ("read-only, a huge leaf"), but the event's own. */
void pt_prose_atoms(uint64_t a, char *buf, size_t len);
/*
 * Why row @r, whose behaviour changed between modelled versions @lo and
 * @hi, cannot be checked: "the behaviour changed between 6.12 and 6.18
 * (FUNC, since 6.15, commit ID)".
 */
void pt_prose_gap(const struct pt_row *r, size_t lo, size_t hi, char *buf, size_t len);
/* a row of modelled version @lo that holds only with a config option the
 * kernel's config, unreadable, does not say */
void pt_prose_config_gap(const struct pt_row *r, size_t lo, const char *release, char *buf,
			 size_t len);
/*
 * Appends to @buf what no row describes: "write parent on read-only, a
 * pte (the event hit the watched page)" for event @ev, process @p, the
 * state in atoms @a and where the event fell in atoms @touch.
 */
void pt_prose_not_modelled(int ev, int p, uint64_t a, uint64_t touch, char *buf, size_t len);

/* @v as the table means it: a level's name, "no entry", or the number. */
const char *pt_explain_value(const char *what, long v, char *buf, size_t len);

/*
 * In words, which rows a step of kernel @kver is checked against: "the
 * rows for 6.18"; between two modelled versions "the rows for 6.12 and
 * 6.18 that hold for both (6.15 is between them)"; "rows from 7.1; this
 * kernel is newer".
 */
void pt_explain_rows_for(unsigned int kver, char *buf, size_t len);

#endif
