/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sources: where entries come from.
 *
 * Call order: pt_source_open() once (backend.c: it picks the backend and
 * sets up the decoder for the running kernel), then any number of walk() and
 * walk_range() calls for any pids, then pt_source_close().  The source
 * owns its file descriptors and private state; the caller owns every
 * pt_walk it passes to walk().  walk_range() calls @fn once per populated
 * entry in address order with a walk that lives only during the call; a
 * non-zero return from @fn stops the walk and is returned.
 *
 * A source never prints: failures come back as a negative pt_status with
 * the detail in *err.
 */
#ifndef PT_SOURCE_H
#define PT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "intern.h"
#include "layout.h"
#include "model.h"
#include "status.h"

enum pt_backend { PT_BACKEND_AUTO, PT_BACKEND_KMOD, PT_BACKEND_PAGEMAP };

typedef int (*pt_walk_fn)(const struct pt_walk *w, void *arg);

/*
 * Range walks in batches.
 *
 * walk_batch(s, pid, start, end, what, fn, arg, err) visits the mappings
 * of @pid that meet [start, end) in address order.  For each mapping it
 * calls @fn once with nr == 0 (so a mapping with nothing populated is
 * still seen), then with batches of entries in address order, every
 * entry inside that mapping.  The vma and the entries live only during
 * the call.  An entry is the leaf (or swap-like entry) that maps va: one
 * per 4 KiB page, one per huge leaf (va is then the leaf's aligned start,
 * which may lie below @start).  Holes (nothing populated) produce no
 * entry.  A non-zero return from @fn stops the walk and is returned.
 *
 * What the process does meanwhile is normal: if it exits, or the mapping
 * being walked is unmapped or changes, the walk returns -PT_EXITED or
 * -PT_CHANGED after the batches read so far, and err->msg begins with
 * "walk stopped at 0xADDR: " (ADDR: the first address not reported).
 *
 * @what asks for optional facts that cost kernel time per page:
 *   PT_RANGE_KPF      /proc/kpageflags and kpagecount of each entry's
 *                     PFN (read for runs of contiguous PFNs; a huge leaf's
 *                     head page only)
 *   PT_RANGE_VMFLAGS  smaps' VmFlags and KernelPageSize for each
 *                     mapping (smaps is read once, forward, in one pass)
 *   PT_RANGE_SPANS    ptes in a row as one entry, for a consumer that
 *                     sums or merges them and need not see each: e->more
 *                     ptes follow the first, the k-th at va + k pages,
 *                     same state, flags and pagemap flags; their PFNs
 *                     step by one (raw + k pages, pm + k) unless
 *                     e->scattered (then only the first's is known).
 *                     Never with PT_RANGE_KPF.
 * A source may give more than asked (the module always has raw bits).
 * Memory stays bounded: a source holds at most one batch.
 */
#define PT_RANGE_KPF 1u
#define PT_RANGE_VMFLAGS 2u
#define PT_RANGE_SPANS 4u

/* pt_range_entry.flags */
#define PT_RE_RAW 1u	/* raw holds the entry's bits (the module) */
#define PT_RE_PM 2u	/* pm holds the pagemap word of va */
#define PT_RE_KPF 4u	/* kpageflags read */
#define PT_RE_KPC 8u	/* kpagecount read */
#define PT_RE_SCAN 16u	/* the level is known (PAGEMAP_SCAN or the module) */

struct pt_range_entry {
	uint64_t va;
	uint64_t raw;
	uint64_t pm;
	uint64_t kpageflags;
	uint64_t kpagecount;
	uint8_t level;		/* enum pt_level of the leaf */
	uint8_t state;		/* enum pt_state */
	uint8_t flags;		/* PT_RE_* */
	/* PT_RANGE_SPANS: the PFNs of the span do not step by one */
	uint8_t scattered;
	uint32_t more;		/* PT_RANGE_SPANS: ptes after the first */
};

typedef int (*pt_batch_fn)(const struct pt_vma *vma,
			   const struct pt_range_entry *e, size_t nr,
			   void *arg);

struct pt_source;

struct pt_source_ops {
	int (*walk)(struct pt_source *s, pid_t pid, uint64_t addr,
		    struct pt_walk *w, struct pt_err *err);
	int (*walk_range)(struct pt_source *s, pid_t pid, uint64_t start,
			  uint64_t end, pt_walk_fn fn, void *arg,
			  struct pt_err *err);
	/* optional: NULL falls back to walk_range(), one entry a call */
	int (*walk_batch)(struct pt_source *s, pid_t pid, uint64_t start,
			  uint64_t end, unsigned int what, pt_batch_fn fn,
			  void *arg, struct pt_err *err);
	void (*close)(struct pt_source *s);
};

struct pt_source {
	const char *name;		/* "kmod" or "pagemap" */
	const struct pt_source_ops *ops;
	struct pt_layout layout;	/* the running kernel's decoder */
	char release[PT_RELEASE_MAX];	/* uname -r */
	/* lab --kernel X.Y: the kernel the rows are chosen for; 0: layout's */
	unsigned int rows_kver;
	/* said once per source: what it cannot show (hidden PFNs...) */
	char note[256];
	/* /proc/kpageflags and kpagecount: opened on first use (a range reads
	 * many PFNs), closed by pt_source_close(); -2 not tried, -1 unreadable */
	int kpf_fd, kpc_fd;
	void *priv;
};

int pt_source_open(struct pt_source *s, enum pt_backend b, struct pt_err *err);
void pt_source_close(struct pt_source *s);
/*
 * For a subcommand on @pid (and @child, 0: none): both exist and are not
 * zombies, and a source of backend @b is allocated and open in @src;
 * pt_source_free() closes and frees it.
 */
int pt_source_new(struct pt_source **src, enum pt_backend b, pid_t pid, pid_t child,
		  struct pt_err *err);
void pt_source_free(struct pt_source *s);
int pt_backend_parse(const char *s, enum pt_backend *b);
/* walk_batch(), or walk_range() turned into batches of one entry. */
int pt_source_walk_batch(struct pt_source *s, pid_t pid, uint64_t start,
			 uint64_t end, unsigned int what, pt_batch_fn fn,
			 void *arg, struct pt_err *err);
/* The range entry of walk @w's leaf; false when @w has none. */
bool pt_range_entry_from_walk(const struct pt_walk *w,
			      struct pt_range_entry *e);
/* The pagemap half of a walk from a range entry (w->pm, the leaf level). */
void pt_walk_from_range_entry(const struct pt_layout *ly,
			      const struct pt_range_entry *e,
			      struct pt_walk *w);

/* The /proc source, also used by the module source for its derived side. */
int pt_pagemap_open(struct pt_source *s, struct pt_err *err);

/*
 * Fills w->vma and w->pm for @pid at @addr from /proc (maps, smaps,
 * pagemap, kpageflags, kpagecount); -PT_NOT_MAPPED names the nearest
 * mappings.  @s's note collects what could not be read; its kpageflags
 * and kpagecount descriptors are used.
 */
int pt_pagemap_fill(struct pt_source *s, pid_t pid, uint64_t addr,
		    struct pt_walk *w, struct pt_err *err);
/*
 * The two halves of pt_pagemap_fill(): the VMA, then the page.  The path
 * goes to the program's pool (intern.h), where a walk's path is kept.
 */
int pt_pagemap_vma(pid_t pid, uint64_t addr, struct pt_vma *v,
		   struct pt_err *err);
/*
 * The VMA from maps alone: no smaps, which walks the VMA's page tables.
 * Its path goes to @pool, or the program's if NULL (pt_maps_parse_line()).
 */
int pt_maps_vma(pid_t pid, uint64_t addr, struct pt_vma *v, struct pt_intern *pool,
		struct pt_err *err);
int pt_pagemap_read(struct pt_source *s, pid_t pid, uint64_t addr,
		    struct pt_walk *w, struct pt_err *err);
/* @pid's pagemap word of @addr alone: no kpageflags, no PAGEMAP_SCAN. */
int pt_pagemap_word(pid_t pid, uint64_t addr, uint64_t *word, struct pt_err *err);
/* Decodes one pagemap word (exposed for the parser tests). */
void pt_pagemap_decode_word(uint64_t word, struct pt_pagemap *pm);

/* An empty walk of @pid at @addr, named for source @s. */
void pt_walk_init(const struct pt_source *s, pid_t pid, uint64_t addr,
		  struct pt_walk *w);

/*
 * Sets w->release and the layout for the running kernel; an error for a
 * machine (uname -m) no bit table describes.
 */
int pt_source_init_common(struct pt_source *s, struct pt_err *err);

#endif
