/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lab: subject processes (subject.h) driven by events, a snapshot of
 * both after every event through the source, and the differences between
 * consecutive snapshots, bit by bit.
 *
 * A pipeline, not a hub: whatever makes a step (an event, a look at a
 * process watched with --pid, a line of a recording) appends it through
 * pt_lab_append(), which hands it to the observers the subcommand
 * registered, in their order (explain, then record).  The steps are
 * append-only; each view reads them with its own cursor (cursor.h).
 *
 * Ownership: a pt_lab owns its subjects, its steps and its counters, and
 * borrows the source and its observers' contexts (which must outlive it).
 * Its maker zeroes it once (calloc, = { 0 }) and registers the observers;
 * pt_lab_start() or pt_lab_attach() begins a session, pt_lab_stop() ends
 * it and keeps the observers for the next one (--random).
 */
#ifndef PT_LAB_H
#define PT_LAB_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lang.h"
#include "model.h"
#include "pmu.h"
#include "source.h"
#include "step.h"
#include "subject.h"

#define PT_LAB_MAX_KIDS 64
#define PT_LAB_DEFAULT_SCRIPT "write parent; fork; write child; write parent"

struct pt_lab;

/*
 * Told of step @i of @lab once, when it is appended.  An observer may
 * fill in its own part of the step for those after it (explain.h writes
 * its explanation, which record.h then writes out); it appends nothing.
 */
typedef void pt_lab_observer_fn(void *ctx, struct pt_lab *lab, size_t i);

struct pt_lab_observer {
	pt_lab_observer_fn *step;
	void *ctx;
};

#define PT_LAB_MAX_OBSERVERS 4

struct pt_lab {
	/*
	 * What reads the subjects; its layout decodes every step.  A
	 * recording's has no ops: it describes the kernel the steps were
	 * read on and reads nothing, so the lab has no live subject.
	 */
	struct pt_source *src;
	enum pt_lab_kind kind;
	pid_t pid[2];		/* subject P and child C (0: none) */
	bool owned;		/* the lab made them (not ptinspect --pid) */
	int to_p, from_p;
	uint64_t base, size, addr;
	bool pinned[2];		/* a pin event succeeded, no unpin since */
	/* khugepaged's pages_collapsed at the last snapshot (-1: unreadable) */
	int64_t collapsed;
	struct pt_pmu pmu;
	bool has_pmu;
	uint64_t last_count[2][PT_PMU_MAX];
	struct pt_lab_step *steps;
	size_t nr_steps, cap;
	/* --pid: the living children known, oldest first (follow.c) */
	pid_t kids[PT_LAB_MAX_KIDS];
	size_t nr_kids;
	/* told of each step appended; kept across sessions */
	struct pt_lab_observer obs[PT_LAB_MAX_OBSERVERS];
	size_t nr_obs;
};

/* Registers @step(@ctx, ...) after those already registered. */
int pt_lab_observe(struct pt_lab *lab, pt_lab_observer_fn *step, void *ctx,
		   struct pt_err *err);
/*
 * The slot of the next step, zeroed and numbered, for its maker to fill
 * in before pt_lab_append(); NULL when out of memory.  Not a step yet.
 */
struct pt_lab_step *pt_lab_slot(struct pt_lab *lab);
/*
 * The one way a step is made: @s (the slot, or a step of the caller's,
 * copied) becomes the last step, numbered, and each observer is told.
 */
int pt_lab_append(struct pt_lab *lab, const struct pt_lab_step *s,
		  struct pt_err *err);
/* The lab reads live processes: its own subjects or one watched with --pid. */
bool pt_lab_live(const struct pt_lab *lab);

int pt_lab_start(struct pt_lab *lab, struct pt_source *src,
		 enum pt_lab_kind kind, const char *events, struct pt_err *err);
/*
 * Runs an event command (PT_CMD_EVENT) and appends its step; an event the
 * subject refuses is a step too, with its error.  Fails only when the lab
 * itself cannot go on.
 */
int pt_lab_event(struct pt_lab *lab, const struct pt_cmd *cmd,
		 struct pt_err *err);
/*
 * The line @cmd sends the lab's subject: its row's template (lang.h) with
 * the lab's and the command's values in; "" when the row has none.
 * -EINVAL for a word the template should not have, -ENOSPC when @len is
 * short.
 */
int pt_lab_line(const struct pt_lab *lab, const struct pt_cmd *cmd, char *buf,
		size_t len);
/* Watches a process the user already has (ptinspect --pid): a step when
 * a bit changed since the last one (or always, with @force). */
int pt_lab_watch(struct pt_lab *lab, const char *event, bool force,
		 struct pt_err *err);
/*
 * pt_lab_watch() in two: a look at both processes, 1 when it makes a step,
 * which waits unnamed in the slot until pt_lab_keep() names and appends
 * it (and so hands it to the observers).  Only after the look is it known what the step
 * shows, and so what explains it.
 */
int pt_lab_look(struct pt_lab *lab, bool force, struct pt_err *err);
void pt_lab_keep(struct pt_lab *lab, const char *event);
/* The process shown as the child from now on (0: none). */
void pt_lab_set_child(struct pt_lab *lab, pid_t child);
/* Shows known child @pid (0: the next after the shown one): a step. */
int pt_lab_pick_child(struct pt_lab *lab, pid_t pid, struct pt_err *err);
int pt_lab_attach(struct pt_lab *lab, struct pt_source *src, pid_t pid,
		  pid_t child, uint64_t addr, const char *events,
		  struct pt_err *err);
void pt_lab_stop(struct pt_lab *lab);

#endif
