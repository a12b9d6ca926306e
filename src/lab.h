/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lab: subject processes (subject.h) driven by events, a snapshot of
 * both after every event through the source, and the differences between
 * consecutive snapshots, bit by bit.
 *
 * Ownership: a pt_lab owns its subjects, its steps and its counters, and
 * borrows the source and the user's expectations (which must outlive it).  Steps are kept so a view
 * can step backwards and forwards; lab->cur is the step a view shows.
 */
#ifndef PT_LAB_H
#define PT_LAB_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lang.h"
#include "explain.h"
#include "model.h"
#include "pmu.h"
#include "record.h"
#include "source.h"
#include "subject.h"

#define PT_LAB_MAX_CHANGES 48
#define PT_LAB_MAX_KIDS 64
#define PT_LAB_DEFAULT_SCRIPT "write parent; fork; write child; write parent"

struct pt_lab_change {
	enum pt_who who;
	enum pt_level level;
	char what[24];		/* a bit's name, "pfn", "state", "bitN" */
	uint64_t before, after;
};

/* What a process was at one step. */
struct pt_lab_proc {
	bool exists;		/* forked, not exited */
	bool walked;		/* walk is valid */
	char err[160];		/* why not walked */
	struct pt_walk walk;
	bool has_count[PT_PMU_MAX];
	uint64_t count[PT_PMU_MAX];	/* the step's delta */
};

struct pt_lab_step {
	int n;			/* 1-based */
	char event[128];
	char err[200];		/* the event failed: why */
	struct pt_cmd cmd;	/* the event parsed; PT_C_KIND: a new mapping */
	uint64_t addr;		/* the watched address */
	bool pinned[2];		/* after the event: the process holds a pin */
	/* a read or write of another page than the watched one: pagemap
	 * had that page present in the event's process just before it */
	bool target_mapped;
	/* khugepaged's pages_collapsed moved since the step before */
	bool khugepaged;
	struct pt_lab_proc proc[2];	/* [0] parent, [1] child */
	struct pt_lab_change changes[PT_LAB_MAX_CHANGES];
	size_t nr_changes;
	struct pt_explain explain;	/* why, and was it expected */
};

struct pt_lab {
	struct pt_source *src;
	/* --expect: set before pt_lab_start(), which keeps it; NULL: none */
	const struct pt_expect *expect;
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
	/* --record: each step is written as it is taken (record.h); kept
	 * across pt_lab_start() like expect */
	struct pt_record *rec;
	/* ptinspect replay: the steps come from a recording, events cannot run */
	bool replay;
};

int pt_lab_start(struct pt_lab *lab, struct pt_source *src,
		 enum pt_lab_kind kind, const char *events, struct pt_err *err);
/*
 * Runs an event command (PT_CMD_EVENT) and appends its step; an event the
 * subject refuses is a step too, with its error.  Fails only when the lab
 * itself cannot go on.
 */
int pt_lab_event(struct pt_lab *lab, const struct pt_cmd *cmd,
		 struct pt_err *err);
/* Watches a process the user already has (ptinspect --pid): a step when
 * a bit changed since the last one (or always, with @force). */
int pt_lab_watch(struct pt_lab *lab, const char *event, bool force,
		 struct pt_err *err);
/*
 * pt_lab_watch() in two: a look at both processes, 1 when it makes a step,
 * which waits unnamed until pt_lab_keep() names and appends it (and hands
 * it to a recording).  Only after the look is it known what the step
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
