/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runs: consecutive entries that look the same, merged into one line as
 * the kernel's ptdump merges them (note_page() in mm/ptdump.c): same
 * level, same state, same bits; the PFN may advance.  A run never spans
 * two mappings: the caller flushes at each new VMA.
 */
#ifndef PT_RUNS_H
#define PT_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "source.h"

/* pt_runs.split: what else ends a run */
#define PT_RUNS_SPLIT_KPF 1u	/* kpageflags or kpagecount differ */
#define PT_RUNS_SPLIT_PFN 2u	/* the PFN does not follow on */

struct pt_run {
	uint64_t start, end;	/* [start, end) */
	uint64_t count;		/* entries */
	uint8_t level, state;
	uint8_t flags;		/* PT_RE_* of every entry */
	uint64_t raw;		/* the first entry's raw bits (PT_RE_RAW) */
	uint64_t raw_key;	/* raw without PFN or swap offset */
	uint64_t pm;		/* the first entry's pagemap word */
	uint64_t first_pfn;	/* 0: none or hidden */
	bool pfn_contig;	/* every PFN follows the one before */
	uint64_t next_pfn;
	uint64_t kpf_and, kpf_or;	/* flags on every / some entry */
	uint64_t kpc_min, kpc_max;	/* kpagecount */
};

typedef int (*pt_run_fn)(const struct pt_run *r, void *arg);

struct pt_runs {
	const struct pt_layout *ly;
	uint64_t size[PT_NR_LEVELS];	/* bytes an entry of each level maps */
	unsigned int split;
	bool open;
	struct pt_run cur;
	uint64_t key_mask;	/* of cur: raw & key_mask is its raw_key */
	pt_run_fn emit;
	void *arg;
	uint64_t nr_runs;
};

void pt_runs_init(struct pt_runs *rs, const struct pt_layout *ly,
		  unsigned int split, pt_run_fn emit, void *arg);
/* Adds one entry (in address order); emits the run it closes, if any. */
int pt_runs_add(struct pt_runs *rs, const struct pt_range_entry *e);
/* pt_runs_add() for @e[0..nr), in one loop. */
int pt_runs_add_batch(struct pt_runs *rs, const struct pt_range_entry *e,
		      size_t nr);
/* Emits the open run. */
int pt_runs_flush(struct pt_runs *rs);
/* Bytes one entry of @level maps. */
uint64_t pt_runs_entry_size(const struct pt_layout *ly, unsigned int level);
/* The PFN an entry maps, 0 when it has none or it is hidden. */
uint64_t pt_range_entry_pfn(const struct pt_layout *ly,
			    const struct pt_range_entry *e);

#endif
