/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A step of the lab, as every view, the explainer and a recording see it:
 * the event, both processes' walks after it, what changed, and why.  Only
 * types: lab.h appends steps, explain.h fills in why, record.h writes and
 * reads them, and none of them needs another's header for that.
 */
#ifndef PT_STEP_H
#define PT_STEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lang.h"
#include "model.h"
#include "pmu.h"

#define PT_LAB_MAX_CHANGES 48
#define PT_EXPLAIN_MAX 12
#define PT_EXPLAIN_ROWS 40

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

/*
 * A step's explanation: what matched and whether it held, in a few dozen
 * bytes.  The prose is interned (the same sentences recur step after
 * step); rows and unexpected share one allocation the explanation owns
 * (pt_explain_free(), prose.h).  A zeroed explanation is "not explained":
 * its strings are NULL until pt_explain_step() or pt_explain_clear().
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

struct pt_lab_change {
	enum pt_who who;
	enum pt_level level;
	/*
	 * a bit's name, "pfn", "state", "bitN?": interned (intern.h), cut
	 * to 23 bytes as the buffer it once was cut it; never NULL
	 */
	const char *what;
	uint64_t before, after;
};

/* What a process was at one step. */
struct pt_lab_proc {
	bool exists;		/* forked, not exited */
	bool walked;		/* walk is valid */
	char err[160];		/* why not walked */
	struct pt_walk walk;
	/* VmPTE of /proc/PID/status: the process's page tables; 0 not read */
	uint64_t vmpte_kb;
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

#endif
