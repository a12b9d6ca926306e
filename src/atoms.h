/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state atoms: what a step's snapshots show of the watched entry
 * (empty, the zero page, read-only, huge, pinned, ...), what its event
 * was and where it fell, as the bits of a row's precondition (rows.h).
 * Everything is read from the snapshot before the event, never from the
 * history of event names; facts that depend on the kind of mapping are
 * tables in atoms.c.  No prose, no matching.
 */
#ifndef PT_ATOMS_H
#define PT_ATOMS_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "rows.h"

struct pt_lab;
struct pt_lab_step;
struct pt_lab_proc;

/* What was seen of process @p's watched entry at one step. */
struct pt_seen {
	bool exists, walked, raw;
	bool present, empty;
	int level;
	uint64_t rawv;
	struct pt_decoded d;
	bool has_pfn;
	uint64_t pfn;		/* of the watched 4 KiB page */
	const struct pt_walk *w;
};

void pt_see(const struct pt_lab *lab, const struct pt_lab_step *s, int p, struct pt_seen *o);
/* A bit of the seen leaf; -1 when the source cannot show bits. */
long pt_seen_bit(const struct pt_lab *lab, const struct pt_seen *o, const char *name);
/*
 * The value of row subject @what for process @p (0, 1; 2: both) at step
 * @s, against @prev for "unchanged" and "kept" (@t names the bits the CPU
 * sets by itself); -1 when the source cannot show it.
 */
long pt_observe(const struct pt_rows *t, const struct pt_lab *lab, const struct pt_lab_step *s,
		const struct pt_lab_step *prev, int p, const char *what);
/* The step's event as the rows name it (enum pt_revent). */
int pt_step_event(const struct pt_lab_step *s);
/* Which processes the event acts on: bit 0 the parent, bit 1 the child. */
unsigned int pt_step_actors(const struct pt_lab_step *s);
/* The atoms of process @p before step @s (@prev: the step before, or NULL). */
uint64_t pt_atoms(const struct pt_lab *lab, const struct pt_lab_step *s,
		  const struct pt_lab_step *prev, int p);
/* The processes khugepaged collapsed during the step (bit 0 parent, 1 child). */
unsigned int pt_background(const struct pt_lab_step *s, int ev);

#endif
