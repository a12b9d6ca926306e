/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module source: raw entries from ptdump_helper's debugfs files
 * (man/ptdump_helper.4), with the /proc facts beside them.  The parsers
 * take text, so tests and the fuzzer feed them anything.
 */
#ifndef PT_KMOD_H
#define PT_KMOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <errno.h>

#include "../kmod/ptdh_proto.h"
#include "layout.h"
#include "source.h"

#define PT_KMOD_DIR "/sys/kernel/debug/ptdump_helper"
/* the lab's device, a module of its own (kmod/ptdump_pfnmap.c) */
#define PT_PFNMAP_DIR "/sys/kernel/debug/ptdump_pfnmap"
/* the module's own limit (kmod/ptdh_proto.h) */
#define PT_KMOD_MAX_ENTRIES PTDH_ENTRIES_MAX

struct pt_kmod_entry {
	enum pt_level level;
	bool has_pm;		/* the line gave the pagemap word (protocol 3) */
	uint64_t va;
	uint64_t raw;
	uint64_t pm;
	unsigned int vma;	/* index of the vma line it follows */
	/*
	 * ptes in the run (protocol 3): the k-th maps va + k pages, its raw
	 * value is raw + k pages and its pagemap word pm + k; 1 otherwise
	 */
	unsigned int count;
};

struct pt_kmod_vma {
	uint64_t start, end, flags;
};

/* A parsed walk answer; owns its arrays, free with pt_kmod_answer_free(). */
struct pt_kmod_answer {
	int pid;
	uint64_t start, end;
	struct pt_kmod_vma *vmas;
	size_t nr_vmas;
	struct pt_kmod_entry *entries;
	size_t nr_entries;
	size_t nr_expanded;	/* entries counting each of a run */
	/* the module stopped early: ask again from @more (protocol 2) */
	bool has_more;
	uint64_t more;
	/*
	 * "unfollowed ADDR" lines (protocol 4): pmd tables under the pud at
	 * ADDR a hugetlb VMA may share, left unread; the first ADDR
	 */
	size_t nr_unfollowed;
	uint64_t unfollowed;
	size_t ecap, vcap;	/* room in entries, vmas */
};

/* 0, or -EINVAL / -EPROTO (other version) / -E2BIG / -ENOMEM. */
int pt_kmod_parse_answer(const char *text, size_t len,
			 struct pt_kmod_answer *a);
void pt_kmod_answer_free(struct pt_kmod_answer *a);
/* Applies a layout file to @ly: the module's masks win. */
int pt_kmod_parse_layout(const char *text, size_t len, struct pt_layout *ly);

int pt_kmod_open(struct pt_source *s, struct pt_err *err);

/*
 * How a query reaches the module: send() writes it (0 or -errno, as
 * write(2) on the walk file fails), recv() reads the whole answer (its
 * length or -errno).  pt_kmod_open() uses the walk file; bench/kmodparse
 * answers from memory in the module's format, so the parsing and merging
 * can be profiled on a host without the module.
 */
struct pt_kmod_ask {
	int (*send)(void *ctx, const char *q, size_t len);
	ssize_t (*recv)(void *ctx, char *buf, size_t cap);
};

/* The module source over @ask, with @layout as the layout file's text. */
int pt_kmod_open_ask(struct pt_source *s, const char *layout, size_t len,
		     const struct pt_kmod_ask *ask, void *ctx,
		     struct pt_err *err);

#endif
