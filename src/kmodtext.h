/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's text read into structs: a walk answer (the protocol of
 * kmod/ptdh_proto.h, man/ptdump_helper.4) and the layout file.  They
 * take text, so tests and the fuzzer feed them anything.
 */
#ifndef PT_KMODTEXT_H
#define PT_KMODTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../kmod/ptdh_proto.h"
#include "layout.h"

#define PT_KMOD_PAGE 4096u	/* the step of a run: both architectures' */
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
	/*
	 * a span (protocol 6, asked for): @count ptes from @va whose values
	 * and words are raw's and pm's but for their PFNs, which do not all
	 * step by one; only the first pte's are known
	 */
	bool span;
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
	size_t nr_spans;	/* entries that are spans */
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
/* The protocol version a layout file or answer begins with, or -errno. */
int pt_kmod_version(const char *text, size_t len);
/* Applies a layout file to @ly: the module's masks win. */
int pt_kmod_parse_layout(const char *text, size_t len, struct pt_layout *ly);

/* The @k-th pte of the run @e in @out: raw, va and word step so. */
void pt_kmod_run_pte(const struct pt_kmod_entry *e, unsigned int k,
		     struct pt_kmod_entry *out);
/*
 * pt_kmod_parse_answer() into the arrays of @a's last answer (or none, @a
 * zeroed): a range is read in parts, and growing new arrays for each part
 * cost page faults and copies.
 */
int pt_kmod_parse_reuse(const char *text, size_t len,
			struct pt_kmod_answer *a);

#endif
