/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The /proc source's bulk reads: walk_batch() for one process, and a
 * chunk reader for comparing two processes page by page.
 */
#ifndef PT_PMRANGE_H
#define PT_PMRANGE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "source.h"

/* The pagemap source's walk_batch (see source.h). */
int pt_pagemap_walk_batch(struct pt_source *s, pid_t pid, uint64_t start,
			  uint64_t end, unsigned int what, pt_batch_fn fn,
			  void *arg, struct pt_err *err);

/*
 * pagemap words and PAGEMAP_SCAN's huge pages of one process, one chunk
 * (at most pt_pm_chunk_pages() pages, not crossing a multiple of that
 * many pages) at a time.
 */
struct pt_pm_chunk {
	pid_t pid;
	int fd;
	int maps_fd;
	int query_ok;		/* PROCMAP_QUERY: -1 unknown, 0, 1 */
	bool scan_ok;		/* false: huge[] is all zero (before 6.7) */
	uint64_t *words;	/* one per 4 KiB page of [start, end) */
	uint8_t *huge;		/* 1: a huge leaf maps the page */
	void *vec;
};

int pt_pm_chunk_open(struct pt_pm_chunk *c, pid_t pid, struct pt_err *err);
void pt_pm_chunk_close(struct pt_pm_chunk *c);
size_t pt_pm_chunk_pages(void);
/* -PT_EXITED ("walk stopped at ...") when the process went away. */
int pt_pm_chunk_read(struct pt_pm_chunk *c, uint64_t start, uint64_t end,
		     struct pt_err *err);
/* The words of [start, end) alone (no huge leaves): at most a chunk. */
int pt_pm_chunk_words(struct pt_pm_chunk *c, uint64_t start, uint64_t end,
		      struct pt_err *err);
/*
 * The first page at or after @from, below @to, that is present or
 * swapped in c's process, or @to; @from when PAGEMAP_SCAN is missing.
 */
int pt_pm_chunk_next(struct pt_pm_chunk *c, uint64_t from, uint64_t to,
		     uint64_t *next, struct pt_err *err);
/*
 * Is @v, a mapping as maps gave it when the walk began, still there and
 * the same?  pagemap reads zeros where nothing is mapped, so an unmap is
 * seen only this way.  0, or -PT_CHANGED / -PT_EXITED with "walk stopped
 * at 0x@addr: why".
 */
int pt_pm_chunk_check(struct pt_pm_chunk *c, const struct pt_vma *v,
		      uint64_t addr, struct pt_err *err);

#endif
