/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Range dumps: runs (JSON version 2, doc/ptinspect-dump.schema.json), one
 * entry per object (--each, version 1), parent against child.
 */
#ifndef PT_RANGEDUMP_H
#define PT_RANGEDUMP_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "columns.h"
#include "json.h"
#include "runs.h"
#include "source.h"

#define PT_JSON_RANGE_VERSION 2

/* What one mapping holds, counted per entry. */
struct pt_vma_sum {
	uint64_t leaves[PT_NR_LEVELS];	/* present leaves by level */
	uint64_t nonpresent;		/* swap, migration, marker... */
	uint64_t present_bytes, huge_bytes;
	uint64_t soft_dirty_pages, swapped_pages, exclusive_pages;
	uint64_t runs;
};

/* @e[0..nr) into @s; @size: bytes an entry of each level maps (pt_runs.size) */
void pt_vma_sum_add(struct pt_vma_sum *s, const uint64_t *size,
		    const struct pt_range_entry *e, size_t nr);
void pt_vma_sum_text(FILE *f, const struct pt_vma_sum *s, uint64_t vma_bytes);
void pt_vma_sum_json(struct pt_json *j, const struct pt_vma_sum *s,
		     uint64_t vma_bytes);
/*
 * The columns of runs (-o, --output help, the man page) and of parent
 * against child (rangecmp.c); the default ones are today's run line.
 */
extern const struct pt_col pt_run_cols[];
extern const size_t pt_run_nr_cols;
extern const struct pt_col pt_cmp_cols[];
extern const size_t pt_cmp_nr_cols;
/* The columns @list names (NULL: the default; with --kpageflags, its own). */
int pt_run_table(struct pt_table *t, const char *list, bool kpageflags,
		 struct pt_err *err);
int pt_cmp_table(struct pt_table *t, const char *list, struct pt_err *err);
/* One run as one JSON object. */
void pt_run_json(struct pt_json *j, const struct pt_layout *ly,
		 const struct pt_run *r);
/* "stopped": null, or where and why a walk stopped (@ret its status). */
void pt_rd_stopped_json(struct pt_json *j, int ret, const struct pt_err *err);

/*
 * What `dump --range` asks for, filled by sub_dump.c from its options: the
 * range views take this and not the command line's struct, so they sit
 * below the option parser (which reads their column tables for -o help).
 */
struct pt_range_req {
	pid_t pid;
	pid_t child;		/* 0, or compare against it (rangecmp.c) */
	bool json;
	bool each;		/* one entry per object */
	bool all;		/* --range all */
	bool kpageflags;
	bool pfn_runs;
	const char *output;	/* the columns, NULL: the default */
	bool noheadings;
	bool raw_table;
	enum pt_color_when color;
};

/* dump --range over [start, end) of o->pid (o->child: rangecmp.c). */
int pt_range_dump(const struct pt_range_req *o, struct pt_source *src,
		  uint64_t start, uint64_t end, struct pt_err *err);
int pt_range_compare(const struct pt_range_req *o, struct pt_source *src,
		     uint64_t start, uint64_t end, struct pt_err *err);

#endif
