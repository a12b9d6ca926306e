/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A process's mappings, each with what the range engine counts in it
 * (struct pt_vma_sum: populated, huge, swapped...) and, beside a child,
 * how much of it the child still shares (same PFN) or has copied.  The
 * model of `ptinspect maps` and of the TUI's mappings list; views print
 * it, never read /proc.
 */
#ifndef PT_VMALIST_H
#define PT_VMALIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model.h"
#include "rangedump.h"
#include "source.h"

struct pt_vmalist_row {
	uint64_t start, end, pgoff;
	char perms[5];
	enum pt_vma_kind kind;
	char *path; /* "" for anonymous memory */
	struct pt_vma_sum sum;
	/* beside a child (pt_vmalist.child): pages with a PFN on both sides */
	uint64_t shared_pages, copied_pages;
};

/*
 * The orders of the list (maps --sort, the lab's `maps sort`), one row
 * each: X(id, name, help).  All but start put the largest first.
 */
#define PT_VMALIST_SORTS(X)                                                  \
	X(START, "start", "by address, as /proc/PID/maps lists them")        \
	X(SIZE, "size", "the largest mapping first")                         \
	X(POPULATED, "populated", "the most populated bytes first")          \
	X(SHARED, "shared", "the most bytes still shared with the child first") \
	X(COPIED, "copied", "the most bytes copied since the fork first")

enum pt_vmalist_sort {
#define PT_VMALIST_SORT_ENUM(id, name, help) PT_VL_SORT_##id,
	PT_VMALIST_SORTS(PT_VMALIST_SORT_ENUM)
#undef PT_VMALIST_SORT_ENUM
	PT_VL_SORT_NR
};

struct pt_vmalist {
	pid_t pid, child; /* child 0: none */
	enum pt_vmalist_sort sort; /* the rows' order */
	bool pfn_hidden; /* PFNs read as 0: shared/copied unknown */
	struct pt_vmalist_row *rows;
	size_t nr, cap;
	int stopped; /* 0, or -PT_EXITED/-PT_CHANGED: rows so far */
	char stopped_msg[512];
};

/*
 * Reads the mappings of @pid through @src's batched range walk (and
 * pagemap for @child, 0: none).  A process that changes or exits while
 * it is read leaves the rows read so far and l->stopped set; 0 or a
 * negative status (l is then empty).
 */
int pt_vmalist_read(struct pt_source *src, pid_t pid, pid_t child,
		    struct pt_vmalist *l, struct pt_err *err);
void pt_vmalist_free(struct pt_vmalist *l);
/* -1 for a name not in PT_VMALIST_SORTS; "start, size, ..." for errors */
int pt_vmalist_sort_parse(const char *name);
const char *pt_vmalist_sort_name(enum pt_vmalist_sort k);
const char *pt_vmalist_sort_names(char *buf, size_t len);
/* Orders @l's rows by @k (ties by address) and remembers it in l->sort. */
void pt_vmalist_sort(struct pt_vmalist *l, enum pt_vmalist_sort k);
/* The sums of shared_pages and copied_pages over @l's rows. */
void pt_vmalist_cmp_totals(const struct pt_vmalist *l, uint64_t *shared,
			   uint64_t *copied);

/* The row holding @addr, or -1. */
long pt_vmalist_find(const struct pt_vmalist *l, uint64_t addr);

/*
 * The first populated entry of @pid's mapping holding @addr after the
 * one holding @addr (@dir > 0), or the last one before it (@dir < 0),
 * into @found.  -PT_NOT_MAPPED when @addr is in no mapping or nothing is
 * populated that way (the message says which).
 */
int pt_vmalist_step(struct pt_source *src, pid_t pid, uint64_t addr, int dir,
		    uint64_t *found, struct pt_err *err);

#endif
