/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model: what one process maps at one address, as a source saw it.
 *
 * A source fills a struct pt_walk and never prints; views read it with the
 * decoder (layout.h) and never read /proc.  Every fact says where it came
 * from: raw entry bits (the module) or derived from /proc (pagemap,
 * kpageflags, smaps), so no view can pass a guess off as a hardware bit.
 *
 * A pt_walk is a plain value, copied freely (the lab keeps one per step
 * per process): its only pointers are to static or interned strings,
 * never owned by the walk.
 */
#ifndef PT_MODEL_H
#define PT_MODEL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "layout.h"

enum pt_vma_kind {
	PT_VMA_ANON_PRIVATE,
	PT_VMA_ANON_SHARED,
	PT_VMA_FILE_PRIVATE,
	PT_VMA_FILE_SHARED,
	PT_VMA_HUGETLB,
	PT_VMA_PFNMAP,
	PT_VMA_SPECIAL,		/* [vdso], [vvar], [vsyscall], VM_IO, mixedmap */
	PT_VMA_NR_KINDS
};

#define PT_MAX_VMFLAGS 40

struct pt_vma {
	uint64_t start, end;
	char perms[5];		/* "rw-p" */
	uint64_t pgoff;		/* offset in the file, bytes */
	unsigned int dev_major, dev_minor;
	uint64_t inode;
	/*
	 * "" for anonymous memory, never NULL: a string interned in a pool
	 * (intern.h) that outlives the struct (the source's or the lab's: see
	 * pt_maps_parse_line()), or a literal; the struct owns none of it
	 */
	const char *path;
	char flags[PT_MAX_VMFLAGS][3];	/* smaps VmFlags: "rd", "wr"... */
	unsigned int nr_flags;
	bool has_flags;		/* smaps was readable */
	uint64_t kernel_page_size;	/* smaps KernelPageSize, 0: unknown */
	enum pt_vma_kind kind;
};

/*
 * /proc/PID/pagemap, /proc/kpageflags and /proc/kpagecount for one page.
 * The words first, the flags packed after them: a lab step holds two of
 * these, so padding costs every step (64 bytes, not 88).
 */
/*
 * KSM's state when a page's kpageflags were read (the live check of the
 * ksm-every-anon erratum): read where the page was, kept with it, so a
 * replay tells the recorded machine's state, never its own.
 */
enum pt_ksm_seen {
	PT_KSM_UNREAD,		/* not read: no KSM flag, or an older recording */
	PT_KSM_UNREADABLE,	/* /sys/kernel/mm/ksm/full_scans unreadable */
	PT_KSM_NEVER_RAN,	/* full_scans was 0 */
	PT_KSM_HAS_RUN,
	PT_KSM_NR
};

struct pt_pagemap {
	uint64_t word;
	uint64_t pfn;		/* 0 without CAP_SYS_ADMIN */
	uint64_t swp_offset;
	uint64_t kpageflags;
	uint64_t kpagecount;
	unsigned int swp_type;
	/* PAGEMAP_SCAN's PAGE_IS_HUGE: mapped by a pmd/pud (or hugetlb) */
	int scan_huge;		/* -1: unknown (older kernel), 0, 1 */
	bool valid;		/* the pagemap word was read */
	bool present, swapped, file_shared, exclusive, soft_dirty, uffd_wp;
	bool guard;
	bool pfn_hidden;	/* present, but the kernel hid the PFN */
	bool has_kpageflags;
	bool has_kpagecount;
	unsigned char ksm;	/* enum pt_ksm_seen */
};

/* the words, then the flags: 24 bytes, not 40 (ten per lab step) */
struct pt_entry {
	uint64_t raw;
	uint64_t va;		/* start of what the entry covers */
	enum pt_state state;	/* PT_STATE_ABSENT: the source cannot see it */
	bool has_raw;
	bool derived;		/* state and bits come from /proc, not raw */
	bool user_copy;		/* the top level read from PTI's user pgd */
};

#define PT_RELEASE_MAX 65

/*
 * The pagemap words of the pages around the address (the /proc source
 * only): the view compares two processes' strips page by page.
 */
#define PT_STRIP_PAGES 32
struct pt_strip {
	unsigned int nr;	/* pages read; 0: no strip */
	uint64_t first;		/* the first page's address */
	uint64_t word[PT_STRIP_PAGES];
};

struct pt_walk {
	pid_t pid;
	uint64_t addr;
	const char *source;	/* "kmod" or "pagemap": a static string */
	char release[PT_RELEASE_MAX];
	struct pt_vma vma;
	struct pt_entry level[PT_NR_LEVELS];
	struct pt_pagemap pm;
	struct pt_strip strip;
};

const char *pt_vma_kind_name(enum pt_vma_kind k);
bool pt_vma_has_flag(const struct pt_vma *v, const char *flag);
/* From perms, path and VmFlags; see the man page for the rules. */
enum pt_vma_kind pt_vma_classify(const struct pt_vma *v);

/* The level holding the leaf (or deepest entry) of a walk; -1: none. */
int pt_walk_leaf(const struct pt_walk *w);
/* The PFN of the walked 4 KiB page in leaf @l, which maps from @leaf_pfn. */
uint64_t pt_walk_page_pfn(const struct pt_walk *w, int l, uint64_t leaf_pfn);

#endif
